//! The learnt summariser: every model the model method reads, fitted together by
//! `jianbao train-summarizer` and stored as one file (`models/e5-small/summarizer.json`, built
//! in for the default encoder, with the data it was trained on and its held-out scores).
//!
//! It holds the sentence scorer ([`super::scorer`]) and its maximal-marginal-relevance
//! settings, the commentary model ([`super::commentary`]), and the three linear models that
//! choose what a summary keeps of its sentences, each for one case: the compressor for a
//! longer text ([`super::compress`]), the trimmer for a best sentence over the budget
//! ([`super::clauses`]) and the tightener for a short text's one sentence ([`super::tighten`]).
//! It does not fit them: `crate::train::summarizer` does.

use serde::{Deserialize, Serialize};

use super::clauses::RUN_FEATURES;
use super::commentary::Commentary;
use super::scorer::{mmr, FEATURES};
use super::tighten::TIGHT_FEATURES;
use crate::fit::ridge::Linear;

/// What the article's vector is, in this build's summaries ([`super::ranked::embed`]): the
/// centroid of its first sentences' query vectors (a short text's passage). A model fitted on
/// another kind of article vector reads this one wrongly: one fitted when the vector was the
/// first sentences embedded as a passage scored ROUGE-L 0.3362 on the validation articles with
/// centroids, against 0.3396 with passages, and framed 79 commentaries instead of 121.
pub const ARTICLE_VECTOR: &str = "centroid";

/// The summary model built in for the default encoder.
const BUILTIN: &str = include_str!("../../models/e5-small/summarizer.json");
const TUNED: &str = include_str!("../../models/e5-small/tuned/summarizer.json");

/// A summary model file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct SummaryModelError {
    pub path: std::path::PathBuf,
    pub message: String,
}

/// The learnt summariser: its fitted models and settings, and what they were fitted on. The
/// field names of `summarizer.json` are those of its first version (`trimmer`, …): renaming a
/// field here keeps them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryModel {
    /// The encoder whose vectors the features come from.
    pub encoder: String,
    /// What the article's vector was when it was fitted ([`ARTICLE_VECTOR`]); `passage` in a
    /// model from before it was named.
    #[serde(default = "before_named")]
    pub article_vector: String,
    /// The sentence scorer: how much better than its text's average sentence a sentence is
    /// expected to score, over [`FEATURES`] (its fields sit at the top of the file).
    #[serde(flatten)]
    pub sentence_scorer: Linear,
    /// Maximal-marginal-relevance penalty, in the score's units per unit of cosine similarity
    /// to a sentence already picked.
    pub redundancy: f32,
    /// A summary takes a sentence beyond its first only where the sentence scores at least
    /// this (its expected ROUGE-L F1 over its text's average sentence): filling the budget with
    /// weak sentences costs precision.
    pub min_score: f32,
    /// Tells commentary from reporting, so that a commentary's summary says it is an argument
    /// ([`super::commentary`]); none in a model fitted without annotated kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commentary: Option<Commentary>,
    /// The trimmer: chooses the clauses a summary keeps of a best sentence over the budget
    /// ([`super::clauses`]); without it, such a sentence is cut after its last clause that fits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trimmer: Option<Linear>,
    /// The tightener: chooses the run of clauses a short text's one-sentence summary keeps, of
    /// any of its embedded sentences ([`super::tighten`]); without it, such a summary is the best
    /// sentence, cut to fit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tightener: Option<Linear>,
    /// The compressor: chooses what a longer text's summary keeps, a run of clauses of one of
    /// its embedded sentences, or of two, or sentences whole ([`super::compress`]); without it,
    /// whole sentences fill the budget in pick order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compressor: Option<Linear>,
    /// The data, settings and held-out scores of the fit.
    #[serde(default)]
    pub training: serde_json::Value,
}

/// The article vector of a summary model from before [`SummaryModel::article_vector`].
fn before_named() -> String {
    "passage".to_owned()
}

impl SummaryModel {
    /// The built-in summary model for the default encoder, without its tuned layers.
    pub fn builtin() -> SummaryModel {
        let model: SummaryModel = serde_json::from_str(BUILTIN).expect("the built-in summary model parses");
        debug_assert!(model.fits());
        model
    }

    /// The built-in summary model for `encoder` (its id): the one fitted on the default model
    /// with its built-in tuned layers where that is the encoder, else [`SummaryModel::builtin`].
    pub fn builtin_for(encoder: &str) -> SummaryModel {
        let tuned: SummaryModel = serde_json::from_str(TUNED).expect("the built-in tuned summary model parses");
        if tuned.encoder != encoder {
            return SummaryModel::builtin();
        }
        debug_assert!(tuned.fits());
        tuned
    }

    /// Reads a summary model written by `jianbao train-summarizer`.
    pub fn load(path: &std::path::Path) -> Result<SummaryModel, SummaryModelError> {
        let fail = |message: String| SummaryModelError { path: path.to_owned(), message };
        let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
        let model: SummaryModel =
            serde_json::from_str(&text).map_err(|e| fail(format!("not a summarizer scorer: {e}")))?;
        if model.article_vector != ARTICLE_VECTOR {
            return Err(fail(format!(
                "it was fitted when an article's vector was its {}, and this build compares sentences with their \
                 {ARTICLE_VECTOR}: fit it again with `jianbao train-summarizer`",
                model.article_vector
            )));
        }
        if !model.fits() {
            return Err(fail(format!(
                "its features are not this build's ({}; runs: {}; one-sentence choices: {})",
                FEATURES.join(", "),
                RUN_FEATURES.join(", "),
                TIGHT_FEATURES.join(", ")
            )));
        }
        Ok(model)
    }

    /// Refuses a model fitted on another encoder's vectors.
    pub fn check_encoder(&self, encoder: &str) -> Result<(), String> {
        if self.encoder == encoder {
            Ok(())
        } else {
            Err(format!("the summarizer scorer was fitted for encoder `{}`, not `{encoder}`", self.encoder))
        }
    }

    /// Whether its features are this build's.
    pub fn fits(&self) -> bool {
        self.sentence_scorer.fits(&FEATURES)
            && self.trimmer.as_ref().is_none_or(|t| t.fits(&RUN_FEATURES))
            && self.tightener.as_ref().is_none_or(|t| t.fits(&TIGHT_FEATURES))
            && self.compressor.as_ref().is_none_or(|c| c.fits(&super::compress::FEATURES))
    }

    /// The order in which a summary takes an article's embedded sentences, given their scores
    /// and vectors: maximal marginal relevance ([`mmr`]), less the sentences after the first
    /// that score under [`SummaryModel::min_score`].
    pub fn pick_order(&self, scores: &[f32], vectors: &[Vec<f32>]) -> Vec<usize> {
        let mut order = mmr(scores, vectors, self.redundancy);
        let mut rest = order.split_off(order.len().min(1));
        rest.retain(|&i| scores[i] >= self.min_score);
        order.extend(rest);
        order
    }

    /// How much better than its text's average sentence a sentence with these features is
    /// expected to score (ROUGE-L F1).
    pub fn score(&self, features: &[f32; FEATURES.len()]) -> f32 {
        self.sentence_scorer.score(features)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn weak_sentences_after_the_first_are_left_out() {
        // Sentences 0 and 1 are near-duplicates; 0 scores best, 1 second, 2 third.
        let vectors = vec![unit(&[1.0, 0.1, 0.0]), unit(&[1.0, 0.12, 0.0]), unit(&[0.0, 0.0, 1.0])];
        let scores = [0.5, 0.45, 0.4];
        let mut model = SummaryModel::builtin();
        (model.redundancy, model.min_score) = (0.2, 0.42);
        assert_eq!(model.pick_order(&scores, &vectors), [0, 1], "2 scores under the floor");
        model.min_score = 0.6;
        assert_eq!(model.pick_order(&scores, &vectors), [0], "the best always goes in");
    }

    #[test]
    fn the_builtin_model_fits_these_features() {
        let model = SummaryModel::builtin();
        assert!(model.fits());
        assert_eq!(model.encoder, "e5-small");
        assert_eq!(model.article_vector, ARTICLE_VECTOR);
    }

    #[test]
    fn a_model_fitted_on_another_article_vector_is_refused() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let dir = dir.path();
        let mut json = serde_json::to_value(SummaryModel::builtin()).expect("serialised");
        let same = dir.join("same.json");
        std::fs::write(&same, json.to_string()).expect("written");
        let loaded = SummaryModel::load(&same).expect("this build's model");
        assert_eq!(loaded.article_vector, ARTICLE_VECTOR);
        // A file from before the field: its article vector was the passage.
        json.as_object_mut().expect("an object").remove("article_vector");
        let old = dir.join("old.json");
        std::fs::write(&old, json.to_string()).expect("written");
        let message = SummaryModel::load(&old).expect_err("refused").to_string();
        assert!(message.starts_with(&old.display().to_string()), "{message}");
        assert!(message.contains("its passage") && message.contains("jianbao train-summarizer"), "{message}");
        assert!(!message.contains('\n'), "one line: {message}");
    }
}
