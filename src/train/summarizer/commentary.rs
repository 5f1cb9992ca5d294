//! Fitting the commentary model ([`Commentary`]) on the annotated kinds of the training texts,
//! and choosing its threshold on the validation texts.

use serde::Serialize;

use super::FeaturedText;
use crate::eval::labels::score_labels;
use crate::fit::logistic::{fit as fit_logistic, fit_epochs, Fit, FitError, Set, Settings};
use crate::summarize::commentary::{self, Commentary};
use crate::summarize::learnt::SummaryModel;

/// How the commentary model was fitted and how it does on texts its fold's model never saw.
#[derive(Debug, Clone, Serialize)]
pub struct CommentaryFit {
    /// Annotated texts it was fitted on (training and validation), and how many of them are
    /// commentary.
    pub texts: usize,
    pub commentary: usize,
    /// Epochs of each fit: those at which the fit on the training texts told the validation
    /// texts apart best.
    pub epochs: usize,
    /// Folds of the cross-validation that measured it.
    pub folds: usize,
    /// Out of fold, at the chosen threshold: precision and recall of commentary.
    pub precision: f64,
    pub recall: f64,
    /// Each threshold tried, with the out-of-fold precision and recall at it.
    pub thresholds: Vec<(f32, f64, f64)>,
    /// The columns learnt as commentary only ([`Commentary::columns`]).
    pub columns: Vec<String>,
}

/// The texts of `scored` that the commentary model reads (annotated with a kind, with a passage
/// vector, not a dispatch or a reporter's, which are never framed), with their passage vectors
/// and whether each is commentary.
fn annotated<'a>(scored: impl IntoIterator<Item = &'a FeaturedText>) -> Vec<(&'a FeaturedText, &'a [f32], bool)> {
    scored
        .into_iter()
        .filter(|s| !s.reported)
        .filter_map(|s| Some((s, s.document.as_deref()?, s.commentary?)))
        .collect()
}

/// Share of the texts framed as commentary, out of fold, that must be commentary. A summary
/// that calls a news report an opinion is wrong, and a reader notices at once; one that states
/// a commentary's argument without the frame reads as a report of it. The frame is kept for
/// articles the model is sure of: at 0.93, as before, 1.8% of the reports among articles no
/// choice had seen were framed; at 0.97, 0.7%, with 0.66 of their commentaries framed instead
/// of 0.81 and ROUGE-L 0.3 points lower.
pub const FRAME_PRECISION: f64 = 0.97;

/// Below this share of the commentaries framed out of fold, the frame is left out altogether.
pub const MIN_FRAME_RECALL: f64 = 0.6;

/// Annotated training texts a column must head, all of them commentary, to be learnt as a
/// commentary column ([`commentary_columns`]). Two can be chance: the two training articles
/// under `（名医讲堂）` are commentary, and a validation article under it is a feature.
pub const MIN_COLUMN_TEXTS: usize = 3;

/// The columns ([`commentary::columns`]) that head at least [`MIN_COLUMN_TEXTS`] of the annotated
/// `texts` (dispatches and reporters' pieces counted too) and only commentary, in order.
pub fn commentary_columns<'a>(texts: impl IntoIterator<Item = &'a FeaturedText>) -> Vec<String> {
    let mut seen: std::collections::BTreeMap<&str, (usize, bool)> = std::collections::BTreeMap::new();
    for s in texts.into_iter() {
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

/// Folds of the cross-validation that chooses the threshold.
pub const FOLDS: usize = 5;

/// Fits the scorer's commentary model on the annotated texts of `scored` and `held` together,
/// with its commentary columns ([`commentary_columns`]), and chooses its threshold by
/// cross-validation over them: the lowest at which at least [`FRAME_PRECISION`] of the texts
/// framed out of fold (by the threshold or by their column) are commentary, where that frames
/// at least [`MIN_FRAME_RECALL`] of the commentaries; else a threshold over 1, which frames
/// nothing. The epochs are those at which a fit on `scored` tells `held` apart best.
///
/// A threshold chosen on the validation texts alone, as the lowest to reach the precision,
/// favours the threshold their chance draw flatters: on articles no choice had seen, such a
/// frame fell 1–3 points short of its validation precision. Out of fold, every annotated text
/// is measured by a model that did not see it, and twice as many texts choose.
///
/// `None` where either part has no annotated text of each kind, or the regression cannot be
/// fitted (then the scorer frames nothing, as one fitted without kinds).
pub fn fit_commentary(
    summary_model: &mut SummaryModel,
    scored: &[FeaturedText],
    held: &[FeaturedText],
) -> Option<CommentaryFit> {
    let inputs = |part: &[(&FeaturedText, &[f32], bool)]| -> (Vec<Vec<f32>>, Vec<bool>) {
        part.iter()
            .map(|(s, document, flag)| (commentary::input(document, s.headline.as_deref(), &s.cues), *flag))
            .unzip()
    };
    let ((train_inputs, flags), (val_inputs, val_flags)) = (inputs(&annotated(scored)), inputs(&annotated(held)));
    let both = |flags: &[bool]| flags.contains(&true) && flags.contains(&false);
    if !both(&flags) || !both(&val_flags) {
        return None;
    }
    let (_, epochs) = fit_model(&train_inputs, &flags, &val_inputs, &val_flags).ok()?;

    // Every text in a fold by its place; each fold's texts read by a model (and columns) of the
    // others'.
    let texts: Vec<&FeaturedText> = scored.iter().chain(held).collect();
    let fold_of = |i: usize| i % FOLDS;
    let mut out_of_fold: Vec<(f32, bool, bool)> = Vec::new();
    for fold in 0..FOLDS {
        let rest = texts.iter().enumerate().filter(|(i, _)| fold_of(*i) != fold).map(|(_, s)| *s);
        let (rest_inputs, rest_flags) = inputs(&annotated(rest.clone()));
        let this = annotated(texts.iter().enumerate().filter(|(i, _)| fold_of(*i) == fold).map(|(_, s)| *s));
        if this.is_empty() || !both(&rest_flags) {
            continue;
        }
        let model =
            Commentary { columns: commentary_columns(rest), ..fit_model_for(&rest_inputs, &rest_flags, epochs).ok()? };
        out_of_fold.extend(this.iter().map(|(s, document, flag)| {
            (model.probability(document, s.headline.as_deref(), &s.cues), model.in_column(&s.heading), *flag)
        }));
    }
    let at = |threshold: f32| -> (f64, f64) {
        let said = out_of_fold.iter().map(|&(p, column, flag)| (column || p >= threshold, flag));
        let (framed, hits) =
            said.fold((0usize, 0usize), |(n, h), (s, f)| (n + usize::from(s), h + usize::from(s && f)));
        let commentaries = out_of_fold.iter().filter(|t| t.2).count().max(1);
        let precision = if framed == 0 { 1.0 } else { hits as f64 / framed as f64 };
        (precision, hits as f64 / commentaries as f64)
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

    let (all_inputs, all_flags) = inputs(&annotated(texts.iter().copied()));
    let model = Commentary {
        threshold,
        columns: commentary_columns(texts.iter().copied()),
        ..fit_model_for(&all_inputs, &all_flags, epochs).ok()?
    };
    let fit = CommentaryFit {
        texts: all_flags.len(),
        commentary: all_flags.iter().filter(|f| **f).count(),
        epochs,
        folds: FOLDS,
        precision,
        recall,
        thresholds,
        columns: model.columns.clone(),
    };
    summary_model.commentary = Some(model);
    Some(fit)
}

/// Fits the regression on `train` inputs ([`commentary::input`]) and whether each is commentary, keeping
/// the epoch that tells `val` apart best (macro-F1, classes weighted to balance), and says which
/// epoch that is; the threshold is left at 0.5 for the caller to choose.
pub fn fit_model(
    train: &[Vec<f32>],
    commentary: &[bool],
    val: &[Vec<f32>],
    val_commentary: &[bool],
) -> Result<(Commentary, usize), FitError> {
    let (train_labels, val_labels) = (labels(commentary), labels(val_commentary));
    let fitted = fit_logistic(
        &Set { vectors: train, labels: &train_labels },
        &Set { vectors: val, labels: &val_labels },
        2,
        &Settings::default(),
        |predicted, gold| score_labels(predicted, gold, 2).macro_f1,
    )?;
    let epochs = fitted.best_epoch;
    Ok((log_odds(&fitted), epochs))
}

/// Fits the regression on `train` inputs for `epochs`, as [`fit_model`] does without a part to
/// stop by.
pub fn fit_model_for(train: &[Vec<f32>], commentary: &[bool], epochs: usize) -> Result<Commentary, FitError> {
    let fitted = fit_epochs(
        &Set { vectors: train, labels: &labels(commentary) },
        2,
        &Settings { epochs, ..Settings::default() },
    )?;
    Ok(log_odds(&fitted))
}

/// The regression's classes: 1 for commentary, 0 for the rest.
fn labels(flags: &[bool]) -> Vec<usize> {
    flags.iter().map(|&c| usize::from(c)).collect()
}

/// Two classes' logits as one model: their difference is the log-odds of the second.
fn log_odds(fitted: &Fit) -> Commentary {
    let d = fitted.weight.len() / 2;
    let weights = (0..d).map(|j| fitted.weight[d + j] - fitted.weight[j]).collect();
    Commentary { weights, bias: fitted.bias[1] - fitted.bias[0], threshold: 0.5, columns: Vec::new() }
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
        let (model, _) = fit_model(&inputs[..150], &flags[..150], &inputs[150..], &flags[150..]).expect("fits");
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
        let fit = fit_commentary(&mut summary_model, &texts(450), &texts(300)).expect("both kinds in both parts");
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
        assert_eq!(fit.texts, 150);
    }

    #[test]
    fn the_validation_texts_are_fitted_on_too() {
        // Commentary leans on the first axis among the training texts, on the third among the
        // validation texts; reports lean on the second everywhere.
        let leaning = |axis: usize, n: usize| -> Vec<FeaturedText> {
            (0..n)
                .map(|i| {
                    let argues = i % 3 == 0;
                    let mut lean = vec![0.0, 0.0, 0.0];
                    lean[if argues { axis } else { 1 }] = 1.0;
                    lean[(i % 3 + 1) % 3] += (i % 7) as f32 / 20.0;
                    FeaturedText { document: Some(lean), ..text(argues, false, 0.0) }
                })
                .collect()
        };
        let mut summary_model = SummaryModel::builtin();
        let fit = fit_commentary(&mut summary_model, &leaning(0, 450), &leaning(2, 300)).expect("both kinds");
        assert_eq!(fit.texts, 750);
        let model = summary_model.commentary.as_ref().expect("a model");
        let third = model.probability(&[0.0, 0.0, 1.0], None, &NONE);
        let second = model.probability(&[0.0, 1.0, 0.0], None, &NONE);
        assert!(third > 0.5 && second < 0.5, "{third} {second}");
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
