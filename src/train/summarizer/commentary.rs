//! Fitting the commentary model ([`Commentary`]) on the annotated kinds of the training texts,
//! and choosing its threshold on the validation texts.

use serde::Serialize;

use super::FeaturedText;
use crate::eval::labels::score_labels;
use crate::fit::lexical::Lexical;
use crate::fit::logistic::{fit as fit_logistic, FitError, Set, Settings};
use crate::summarize::commentary::{self, Commentary};
use crate::summarize::learnt::SummaryModel;
use crate::train::lexical::{self, LexicalSettings};
use crate::train::TrainError;

/// How the commentary model was fitted and how it does on the validation texts.
#[derive(Debug, Clone, Serialize)]
pub struct CommentaryFit {
    /// Annotated texts it was fitted on, and how many of them are commentary.
    pub texts: usize,
    pub commentary: usize,
    pub validation_texts: usize,
    /// The n-gram reader's share of the probability chosen (0 without it).
    pub words_share: f32,
    /// On the validation texts at the chosen threshold: precision and recall of commentary.
    pub precision: f64,
    pub recall: f64,
    /// Each threshold tried, with the validation texts' precision and recall at it.
    pub thresholds: Vec<(f32, f64, f64)>,
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

/// The thresholds tried, in steps of 0.01 from 0.5; over 1, nothing is framed.
fn frame_thresholds() -> impl Iterator<Item = f32> {
    (50..100).map(|t| t as f32 / 100.0).chain([1.1])
}

/// Each threshold tried, with the validation texts' precision and recall at it.
type Thresholds = Vec<(f32, f64, f64)>;

/// The n-gram reader's shares of the probability tried, the vectors' the rest.
const WORDS_SHARES: [f32; 5] = [0.0, 0.25, 0.5, 0.75, 1.0];

/// Buckets of the n-gram reader: on the validation articles 2^13 to 2^15 read alike, and 2^13
/// keeps the summary model file small.
const WORDS_BUCKETS: usize = 1 << 13;

/// Fits the scorer's commentary model on the annotated texts of `scored`, stopping by those of
/// `held`, and chooses on `held` the n-gram reader's share and the threshold: the lowest
/// threshold at which at least [`FRAME_PRECISION`] of the texts it frames are commentary, where
/// that frames at least [`MIN_FRAME_RECALL`] of the commentaries (else a threshold over 1, which
/// frames nothing); of the shares, the one that frames most commentaries so (the smallest of
/// equals). `None` where either part has no annotated text of each kind, or the vectors'
/// regression cannot be fitted (then the scorer frames nothing, as one fitted without kinds).
pub fn fit_commentary(
    summary_model: &mut SummaryModel,
    scored: &[FeaturedText],
    held: &[FeaturedText],
) -> Option<CommentaryFit> {
    let (train, val) = (annotated(scored), annotated(held));
    let inputs = |part: &[(&FeaturedText, &[f32], bool)]| -> (Vec<Vec<f32>>, Vec<bool>) {
        part.iter()
            .map(|(s, document, flag)| (commentary::input(document, s.headline.as_deref(), &s.signs.cues), *flag))
            .unzip()
    };
    let ((train_inputs, flags), (val_inputs, val_flags)) = (inputs(&train), inputs(&val));
    let both = |flags: &[bool]| flags.contains(&true) && flags.contains(&false);
    if !both(&flags) || !both(&val_flags) {
        return None;
    }
    let mut model = fit_model(&train_inputs, &flags, &val_inputs, &val_flags).ok()?;
    let (train_openings, val_openings): (Vec<&str>, Vec<&str>) = (
        train.iter().map(|(s, _, _)| s.signs.opening.as_str()).collect(),
        val.iter().map(|(s, _, _)| s.signs.opening.as_str()).collect(),
    );
    model.words = fit_words(&train_openings, &flags, &val_openings, &val_flags).ok();
    let shares: &[f32] = if model.words.is_some() { &WORDS_SHARES } else { &[0.0] };
    // The best share so far: the model at its threshold, its validation precision and recall,
    // and the thresholds tried.
    let mut best: Option<(Commentary, (f64, f64), Thresholds)> = None;
    for &share in shares {
        let candidate = Commentary { words_share: share, ..model.clone() };
        let probabilities: Vec<f32> = val
            .iter()
            .map(|(s, document, _)| candidate.probability(document, s.headline.as_deref(), &s.signs))
            .collect();
        let thresholds: Thresholds = frame_thresholds()
            .map(|t| {
                let (precision, recall) = precision_recall(&probabilities, &val_flags, t);
                (t, precision, recall)
            })
            .collect();
        let (threshold, precision, recall) = thresholds
            .iter()
            .copied()
            .find(|&(_, precision, recall)| precision >= FRAME_PRECISION && recall >= MIN_FRAME_RECALL)
            .unwrap_or((1.1, 1.0, 0.0));
        if best.as_ref().is_none_or(|(_, (_, best_recall), _)| recall > *best_recall) {
            best = Some((Commentary { threshold, ..candidate }, (precision, recall), thresholds));
        }
    }
    let (model, (precision, recall), thresholds) = best?;
    let fit = CommentaryFit {
        texts: flags.len(),
        commentary: flags.iter().filter(|f| **f).count(),
        validation_texts: val_flags.len(),
        words_share: model.words_share,
        precision,
        recall,
        thresholds,
    };
    summary_model.commentary = Some(model);
    Some(fit)
}

/// Precision and recall of commentary where the texts at or above `threshold` are framed
/// (precision 1 where none is).
fn precision_recall(probabilities: &[f32], flags: &[bool], threshold: f32) -> (f64, f64) {
    let said: Vec<bool> = probabilities.iter().map(|&p| p >= threshold).collect();
    let hits = said.iter().zip(flags).filter(|(s, f)| **s && **f).count() as f64;
    let framed = said.iter().filter(|s| **s).count();
    let precision = if framed == 0 { 1.0 } else { hits / framed as f64 };
    (precision, hits / flags.iter().filter(|f| **f).count().max(1) as f64)
}

/// Fits the n-gram reader on the openings of the `train` texts and whether each is
/// commentary, keeping the epoch that labels `val` best, as one label whose logit is the
/// log-odds of commentary.
pub fn fit_words(
    train: &[&str],
    commentary: &[bool],
    val: &[&str],
    val_commentary: &[bool],
) -> Result<Lexical, TrainError> {
    let labels = |flags: &[bool]| flags.iter().map(|&c| usize::from(c)).collect::<Vec<_>>();
    let settings = LexicalSettings { buckets: WORDS_BUCKETS, ..LexicalSettings::default() };
    let (two, _) = lexical::fit((train, &labels(commentary)), (val, &labels(val_commentary)), 2, &settings)?;
    let weight = two.weight.chunks(2).map(|w| w[1] - w[0]).collect();
    Ok(Lexical { weight, bias: vec![two.bias[1] - two.bias[0]], ..two })
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
    Ok(Commentary { weights, bias: fitted.bias[1] - fitted.bias[0], threshold: 0.5, words: None, words_share: 0.0 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summarize::commentary::{input, Signs, CUES};

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
            model.probability(&[1.0, 0.0], Some(&[1.0, 0.0]), &none()),
            model.probability(&[0.0, 1.0], Some(&[0.0, 1.0]), &none()),
        );
        assert!(argues > 0.5 && reports < 0.5, "{argues} {reports}");
        assert!(
            model.frames(&[1.0, 0.0], Some(&[1.0, 0.0]), &none(), 80)
                && !model.frames(&[0.0, 1.0], Some(&[0.0, 1.0]), &none(), 80)
        );
        assert!(!model.frames(&[1.0, 0.0], Some(&[1.0, 0.0]), &none(), 24), "too small a budget to frame");
        assert_eq!(model.probability(&[1.0, 0.0, 0.0], None, &none()), 0.0, "another encoder's vectors");
    }

    const NONE: [f32; CUES.len()] = [0.0; CUES.len()];

    fn none() -> Signs {
        Signs::default()
    }

    /// An opening that argues (a call on the reader, a question) or reports (a dispatch of a
    /// meeting), varied by `i`.
    fn opening(argues: bool, i: usize) -> String {
        let topics = ["乡村振兴", "营商环境", "生态保护", "基层治理", "科技创新", "文化传承", "民生保障"];
        let topic = topics[i % topics.len()];
        if argues {
            format!("让{topic}行稳致远\n我们必须认识到，{topic}是一篇大文章。怎样做好这篇文章？关键在于久久为功，要把功夫下在平时。")
        } else {
            format!("{topic}工作会议召开\n本报讯 {}月{}日，全省{topic}工作会议在省城召开，会议通报了上半年{topic}进展情况。", i % 12 + 1, i % 28 + 1)
        }
    }

    #[test]
    fn the_words_are_heard_where_the_vectors_cannot_tell() {
        // Every text has the same vectors; only its opening tells an argument from a report.
        let with_opening = |i: usize| {
            let argues = i.is_multiple_of(3);
            FeaturedText { signs: Signs { cues: NONE, opening: opening(argues, i) }, ..text(argues, false, 0.5) }
        };
        let alike = |t: FeaturedText| FeaturedText { document: Some(vec![0.5, 0.5]), ..t };
        let (train, held): (Vec<_>, Vec<_>) =
            ((0..120).map(|i| alike(with_opening(i))).collect(), (120..180).map(|i| alike(with_opening(i))).collect());
        let mut summary_model = SummaryModel::builtin();
        let fit = fit_commentary(&mut summary_model, &train, &held).expect("both kinds");
        assert!(fit.words_share > 0.0 && fit.recall >= MIN_FRAME_RECALL, "{fit:?}");
        let model = summary_model.commentary.expect("a model");
        assert!(model.is_whole());
        let signs = |argues| Signs { cues: NONE, opening: opening(argues, 500) };
        assert!(model.frames(&[0.5, 0.5], None, &signs(true), 80));
        assert!(!model.frames(&[0.5, 0.5], None, &signs(false), 80));
    }

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
            signs: none(),
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
}
