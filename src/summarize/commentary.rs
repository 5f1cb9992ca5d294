//! Commentary told apart from reporting, so that its summary says whose argument it is.
//!
//! A newspaper prints opinion beside its news: editorials, signed columns, theory pieces. A
//! reader's summary of a report says what happened; of a commentary, what the writer argues, and
//! that the writer argues it: `文章认为，…` ("the article argues that…"), the convention the
//! hand-written references follow. An extractive summary of an editorial otherwise states its
//! argument as news.
//!
//! [`Commentary`] is a logistic regression on the two vectors the model method already has for
//! an article (its passage vector and its headline's query vector), fitted by
//! `jianbao train-summarizer` on the `kind` of hand-annotated newspaper articles, its threshold
//! chosen by the validation articles' summaries. An article it judges commentary at or above
//! the threshold gets a summary that opens with [`LEAD_IN`] and fills the rest of the budget.
//! Texts meant to get one sentence (posts, briefs: [`super::wanted_sentences`]) are never framed.

use serde::{Deserialize, Serialize};

use crate::label::train::{fit as fit_logistic, Set, Settings};
use crate::label::LabelError;

/// What a commentary's summary opens with.
pub const LEAD_IN: &str = "文章认为，";

/// Characters of [`LEAD_IN`].
pub const LEAD_IN_CHARS: usize = 5;

/// A budget smaller than this many characters past the lead-in leaves too little to frame.
const MIN_FRAMED_CHARS: usize = 20;

/// Tells commentary from reporting by an article's passage and headline vectors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commentary {
    /// Weights over the passage vector, then over the headline's vector (zeros where the
    /// article has no heading).
    pub weights: Vec<f32>,
    pub bias: f32,
    /// An article is framed where its probability of being commentary is at least this.
    pub threshold: f32,
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl Commentary {
    /// The probability that an article with these vectors is commentary; 0 where the vectors
    /// are not the size it was fitted on.
    pub fn probability(&self, document: &[f32], head: Option<&[f32]>) -> f32 {
        let d = document.len();
        if self.weights.len() != 2 * d || head.is_some_and(|h| h.len() != d) {
            return 0.0;
        }
        let z = self.bias + dot(&self.weights[..d], document) + head.map_or(0.0, |h| dot(&self.weights[d..], h));
        1.0 / (1.0 + (-z).exp())
    }

    /// Whether a summary of `max_chars` of an article with these vectors opens with
    /// [`LEAD_IN`].
    pub fn frames(&self, document: &[f32], head: Option<&[f32]>, max_chars: usize) -> bool {
        max_chars >= LEAD_IN_CHARS + MIN_FRAMED_CHARS && self.probability(document, head) >= self.threshold
    }
}

/// The input [`Commentary`] reads: the passage vector, then the headline's (zeros without one).
pub fn input(document: &[f32], head: Option<&[f32]>) -> Vec<f32> {
    let mut x = document.to_vec();
    match head {
        Some(h) => x.extend_from_slice(h),
        None => x.resize(2 * document.len(), 0.0),
    }
    x
}

/// Fits the regression on `train` inputs ([`input`]) and whether each is commentary, keeping
/// the epoch that tells `val` apart best (macro-F1, classes weighted to balance); the threshold
/// is left at 0.5 for the caller to choose.
pub fn fit(
    train: &[Vec<f32>],
    commentary: &[bool],
    val: &[Vec<f32>],
    val_commentary: &[bool],
) -> Result<Commentary, LabelError> {
    let labels = |flags: &[bool]| flags.iter().map(|&c| usize::from(c)).collect::<Vec<_>>();
    let (train_labels, val_labels) = (labels(commentary), labels(val_commentary));
    let fitted = fit_logistic(
        &Set { vectors: train, labels: &train_labels },
        &Set { vectors: val, labels: &val_labels },
        2,
        &Settings::default(),
    )?;
    // Two classes' logits: their difference is the log-odds of the second.
    let d = fitted.weight.len() / 2;
    let weights = (0..d).map(|j| fitted.weight[d + j] - fitted.weight[j]).collect();
    Ok(Commentary { weights, bias: fitted.bias[1] - fitted.bias[0], threshold: 0.5 })
}

#[cfg(test)]
mod tests {
    use super::*;

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
            inputs.push(input(&v, Some(&v)));
            flags.push(argues);
        }
        let model = fit(&inputs[..150], &flags[..150], &inputs[150..], &flags[150..]).expect("fits");
        assert_eq!(model.weights.len(), 4);
        let (argues, reports) =
            (model.probability(&[1.0, 0.0], Some(&[1.0, 0.0])), model.probability(&[0.0, 1.0], Some(&[0.0, 1.0])));
        assert!(argues > 0.5 && reports < 0.5, "{argues} {reports}");
        assert!(model.frames(&[1.0, 0.0], Some(&[1.0, 0.0]), 80) && !model.frames(&[0.0, 1.0], Some(&[0.0, 1.0]), 80));
        assert!(!model.frames(&[1.0, 0.0], Some(&[1.0, 0.0]), 24), "too small a budget to frame");
        assert_eq!(model.probability(&[1.0, 0.0, 0.0], None), 0.0, "another encoder's vectors");
    }

    #[test]
    fn the_lead_in_is_counted_right() {
        assert_eq!(LEAD_IN.chars().count(), LEAD_IN_CHARS);
    }
}
