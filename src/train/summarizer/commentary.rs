//! Fitting the commentary model ([`Commentary`]) on the annotated kinds of the training texts,
//! and choosing its threshold on the validation texts.

use serde::Serialize;

use super::FeaturedText;
use crate::eval::labels::score_labels;
use crate::fit::logistic::{fit as fit_logistic, FitError, Set, Settings};
use crate::summarize::commentary::{self, Commentary};
use crate::summarize::learnt::SummaryModel;

/// How the commentary model was fitted and how it does on the validation texts.
#[derive(Debug, Clone, Serialize)]
pub struct CommentaryFit {
    /// Annotated texts it was fitted on, and how many of them are commentary.
    pub texts: usize,
    pub commentary: usize,
    /// On the validation texts at the chosen threshold: precision and recall of commentary.
    pub validation_texts: usize,
    pub precision: f64,
    pub recall: f64,
    /// Each threshold tried, with the validation texts' precision and recall at it.
    pub thresholds: Vec<(f32, f64, f64)>,
    /// The columns learnt as commentary only ([`Commentary::columns`]).
    pub columns: Vec<String>,
}

/// The texts of `scored` that the commentary model reads (annotated with a kind, with a
/// passage vector, not a dispatch or a reporter's, which are never framed), with their passage vectors
/// and whether each is commentary.
fn annotated(scored: &[FeaturedText]) -> Vec<(&FeaturedText, &[f32], bool)> {
    scored.iter().filter(|s| !s.reported).filter_map(|s| Some((s, s.document.as_deref()?, s.commentary?))).collect()
}

/// Share of the validation texts framed as commentary that must be commentary. A summary that
/// calls a news report an opinion is wrong, and a reader notices: the frame is kept for
/// articles the model is sure of. The target is 0.90 on articles never seen; 0.93 on the
/// validation texts leaves about the half-width of the validation precision's interval (~150
/// framed texts) as margin.
pub const FRAME_PRECISION: f64 = 0.93;

/// Below this share of the validation commentaries framed, the frame is left out altogether.
pub const MIN_FRAME_RECALL: f64 = 0.6;

/// Annotated training texts a column must head, all of them commentary, to be learnt as a
/// commentary column ([`commentary_columns`]). Two can be chance: the two training articles
/// under `（名医讲堂）` are commentary, and a validation article under it is a feature.
pub const MIN_COLUMN_TEXTS: usize = 3;

/// The columns ([`commentary::columns`]) that head at least [`MIN_COLUMN_TEXTS`] of the annotated
/// `texts` (dispatches and reporters' pieces counted too) and only commentary, in order.
pub fn commentary_columns(texts: &[FeaturedText]) -> Vec<String> {
    let mut seen: std::collections::BTreeMap<&str, (usize, bool)> = std::collections::BTreeMap::new();
    for s in texts {
        let Some(argues) = s.commentary else { continue };
        // A name twice in one heading counts once.
        let mut names: Vec<&str> = commentary::columns(&s.heading).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            let entry = seen.entry(name).or_insert((0, true));
            *entry = (entry.0 + 1, entry.1 && argues);
        }
    }
    seen.into_iter().filter(|(_, (n, only))| *n >= MIN_COLUMN_TEXTS && *only).map(|(c, _)| c.to_owned()).collect()
}

/// The thresholds tried, in steps of 0.01 from 0.5; over 1, nothing is framed.
fn frame_thresholds() -> impl Iterator<Item = f32> {
    (50..100).map(|t| t as f32 / 100.0).chain([1.1])
}

/// Fits the scorer's commentary model on the annotated texts of `scored`, stopping by those of
/// `held`, learns its commentary columns from `scored` ([`commentary_columns`]), and chooses its
/// threshold on `held`: the lowest at which at least [`FRAME_PRECISION`] of the texts it frames
/// (by the threshold or by their column) are commentary, where that frames at least
/// [`MIN_FRAME_RECALL`] of the commentaries; else a threshold over 1, which frames nothing.
/// `None` where either part has no annotated text of each kind, or the regression cannot be
/// fitted (then the scorer frames nothing, as one fitted without kinds).
pub fn fit_commentary(
    summary_model: &mut SummaryModel,
    scored: &[FeaturedText],
    held: &[FeaturedText],
) -> Option<CommentaryFit> {
    let (train, val) = (annotated(scored), annotated(held));
    let inputs = |part: &[(&FeaturedText, &[f32], bool)]| -> (Vec<Vec<f32>>, Vec<bool>) {
        part.iter()
            .map(|(s, document, flag)| (commentary::input(document, s.headline.as_deref(), &s.cues), *flag))
            .unzip()
    };
    let ((train_inputs, flags), (val_inputs, val_flags)) = (inputs(&train), inputs(&val));
    let both = |flags: &[bool]| flags.contains(&true) && flags.contains(&false);
    if !both(&flags) || !both(&val_flags) {
        return None;
    }
    let model = Commentary {
        columns: commentary_columns(scored),
        ..fit_model(&train_inputs, &flags, &val_inputs, &val_flags).ok()?
    };
    let probabilities: Vec<f32> =
        val.iter().map(|(s, document, _)| model.probability(document, s.headline.as_deref(), &s.cues)).collect();
    let in_column: Vec<bool> = val.iter().map(|(s, _, _)| model.in_column(&s.heading)).collect();
    let at = |threshold: f32| -> (f64, f64) {
        let said: Vec<bool> =
            probabilities.iter().zip(&in_column).map(|(&p, &column)| column || p >= threshold).collect();
        let hits = said.iter().zip(&val_flags).filter(|(s, f)| **s && **f).count() as f64;
        let framed = said.iter().filter(|s| **s).count();
        let precision = if framed == 0 { 1.0 } else { hits / framed as f64 };
        (precision, hits / val_flags.iter().filter(|f| **f).count().max(1) as f64)
    };
    let thresholds: Vec<(f32, f64, f64)> = frame_thresholds()
        .map(|t| {
            let (precision, recall) = at(t);
            (t, precision, recall)
        })
        .collect();
    let threshold = thresholds
        .iter()
        .find(|&&(_, precision, recall)| precision >= FRAME_PRECISION && recall >= MIN_FRAME_RECALL)
        .map_or(1.1, |t| t.0);
    let (precision, recall) = at(threshold);
    let fit = CommentaryFit {
        texts: flags.len(),
        commentary: flags.iter().filter(|f| **f).count(),
        validation_texts: val_flags.len(),
        precision,
        recall,
        thresholds,
        columns: model.columns.clone(),
    };
    summary_model.commentary = Some(Commentary { threshold, ..model });
    Some(fit)
}

/// Fits the regression on `train` inputs ([`commentary::input`]) and whether each is commentary, keeping
/// the epoch that tells `val` apart best (macro-F1, classes weighted to balance); the threshold
/// is left at 0.5 for the caller to choose.
pub fn fit_model(
    train: &[Vec<f32>],
    commentary: &[bool],
    val: &[Vec<f32>],
    val_commentary: &[bool],
) -> Result<Commentary, FitError> {
    let labels = |flags: &[bool]| flags.iter().map(|&c| usize::from(c)).collect::<Vec<_>>();
    let (train_labels, val_labels) = (labels(commentary), labels(val_commentary));
    let fitted = fit_logistic(
        &Set { vectors: train, labels: &train_labels },
        &Set { vectors: val, labels: &val_labels },
        2,
        &Settings::default(),
        |predicted, gold| score_labels(predicted, gold, 2).macro_f1,
    )?;
    // Two classes' logits: their difference is the log-odds of the second.
    let d = fitted.weight.len() / 2;
    let weights = (0..d).map(|j| fitted.weight[d + j] - fitted.weight[j]).collect();
    Ok(Commentary { weights, bias: fitted.bias[1] - fitted.bias[0], threshold: 0.5, columns: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summarize::commentary::{input, CUES};

    #[test]
    fn the_regression_learns_which_side_commentary_lies_on() {
        // Two-dimensional "vectors": commentary leans on the first axis, reports on the second;
        // the headline repeats the article's lean.
        let mut state = 11u64;
        let mut noise = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 33) as f32 / (1u64 << 31) as f32 - 0.5) * 0.6
        };
        let mut inputs = Vec::new();
        let mut flags = Vec::new();
        for i in 0..200 {
            let argues = i % 3 == 0;
            let v = if argues { [1.0 + noise(), noise()] } else { [noise(), 1.0 + noise()] };
            inputs.push(input(&v, Some(&v), &NONE));
            flags.push(argues);
        }
        let model = fit_model(&inputs[..150], &flags[..150], &inputs[150..], &flags[150..]).expect("fits");
        assert_eq!(model.weights.len(), 4 + CUES.len());
        let (argues, reports) = (
            model.probability(&[1.0, 0.0], Some(&[1.0, 0.0]), &NONE),
            model.probability(&[0.0, 1.0], Some(&[0.0, 1.0]), &NONE),
        );
        assert!(argues > 0.5 && reports < 0.5, "{argues} {reports}");
        assert!(
            model.frames(&[1.0, 0.0], Some(&[1.0, 0.0]), &NONE, "", 80)
                && !model.frames(&[0.0, 1.0], Some(&[0.0, 1.0]), &NONE, "", 80)
        );
        assert!(!model.frames(&[1.0, 0.0], Some(&[1.0, 0.0]), &NONE, "", 24), "too small a budget to frame");
        assert_eq!(model.probability(&[1.0, 0.0, 0.0], None, &NONE), 0.0, "another encoder's vectors");
    }

    const NONE: [f32; CUES.len()] = [0.0; CUES.len()];

    /// A text whose passage vector leans to the first axis when it argues, to the second when
    /// it reports, blurred by `noise` (so that some fall on the wrong side).
    fn text(argues: bool, reported: bool, noise: f32) -> FeaturedText {
        let lean = if argues { [1.0, noise] } else { [noise, 1.0] };
        FeaturedText {
            sentences: Vec::new(),
            features: Vec::new(),
            targets: Vec::new(),
            vectors: Vec::new(),
            document: Some(lean.to_vec()),
            headline: None,
            heading: String::new(),
            reference: String::new(),
            commentary: Some(argues),
            reported,
            cues: [0.0; CUES.len()],
        }
    }

    /// Texts of both kinds, a share of them blurred towards the other side.
    fn texts(n: usize) -> Vec<FeaturedText> {
        (0..n).map(|i| text(i % 3 == 0, false, if i % 5 == 0 { 0.9 } else { (i % 7) as f32 / 20.0 })).collect()
    }

    #[test]
    fn the_frame_threshold_is_the_lowest_with_the_precision_asked_for() {
        let mut summary_model = SummaryModel::builtin();
        let fit = fit_commentary(&mut summary_model, &texts(90), &texts(60)).expect("both kinds in both parts");
        let threshold = summary_model.commentary.as_ref().expect("a model").threshold;
        assert!(fit.precision >= FRAME_PRECISION && fit.recall >= MIN_FRAME_RECALL, "{fit:?}");
        // Every lower threshold tried misses the precision (or the recall) asked for.
        for &(t, precision, recall) in fit.thresholds.iter().filter(|t| t.0 < threshold) {
            assert!(precision < FRAME_PRECISION || recall < MIN_FRAME_RECALL, "{t}: {precision} {recall}");
        }
        // Dispatches and reporters' pieces are left out of the fit and of its measure.
        let mut with_reports = texts(90);
        with_reports.extend((0..30).map(|_| text(false, true, 0.0)));
        let fit = fit_commentary(&mut summary_model, &with_reports, &texts(60)).expect("fits");
        assert_eq!(fit.texts, 90);
    }

    #[test]
    fn a_model_that_cannot_be_precise_enough_frames_nothing() {
        // The two kinds lie on the same side: no threshold reaches the precision asked for.
        let alike: Vec<FeaturedText> = (0..90)
            .map(|i| FeaturedText { document: Some(vec![1.0, (i % 4) as f32 / 4.0]), ..text(i % 2 == 0, false, 0.0) })
            .collect();
        let mut summary_model = SummaryModel::builtin();
        let fit = fit_commentary(&mut summary_model, &alike, &alike).expect("both kinds");
        assert!(summary_model.commentary.as_ref().expect("a model").threshold > 1.0, "{fit:?}");
        assert_eq!(fit.recall, 0.0);
    }

    #[test]
    fn columns_that_head_only_commentary_are_learnt() {
        let under = |heading: &str, argues: bool, reported: bool| FeaturedText {
            heading: heading.to_owned(),
            ..text(argues, reported, 0.0)
        };
        let mut labelled = Vec::new();
        for i in 0..3 {
            labelled.push(under(&format!("第{i}篇（快评）"), true, false));
            // A column the dispatches under it still count against.
            labelled.push(under(&format!("第{i}篇（钟声）"), i != 0, i == 0));
            labelled.push(under(&format!("第{i}篇（新春走基层）（快评）"), i != 2, false));
        }
        labelled.push(under("第3篇（钟声）", true, false));
        labelled.push(under("一篇（名医讲堂）", true, false));
        labelled.push(under("另一篇（名医讲堂）", true, false));
        labelled.push(under("头一篇（人民时评）", true, false));
        labelled.push(FeaturedText { commentary: None, ..under("未标注（人民时评）", true, false) });
        // `新春走基层` heads a feature; `快评` five commentaries and a feature; `名医讲堂` too few.
        assert_eq!(commentary_columns(&labelled), Vec::<String>::new());
        labelled.retain(|t| !t.heading.contains("新春走基层"));
        labelled.push(under("一篇（人民时评）", true, false));
        labelled.push(under("又一篇（人民时评）（人民时评）", true, false));
        assert_eq!(commentary_columns(&labelled), ["人民时评", "快评"]);

        // An article under a learnt column is framed whatever its vectors say.
        let mut summary_model = SummaryModel::builtin();
        let held = texts(60);
        let mut scored = texts(90);
        scored.extend((0..3).map(|i| under(&format!("第{i}篇（快评）"), true, false)));
        let fit = fit_commentary(&mut summary_model, &scored, &held).expect("both kinds in both parts");
        assert_eq!(fit.columns, ["快评"]);
        let model = summary_model.commentary.as_ref().expect("a model");
        let reports = [0.0, 1.0];
        assert!(!model.frames(&reports, None, &NONE, "一篇", 80));
        assert!(model.frames(&reports, None, &NONE, "一篇（快评）", 80));
    }
}
