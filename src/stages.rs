//! What is done to each batch of articles: summarise and / or label them, with one model shared
//! by both, and within a time budget per article. `jianbao digest`'s batch pipeline
//! ([`crate::batch::pipeline`]) decides what goes into a batch and writes what comes out;
//! `--text` runs call [`Stages::run`] on their texts directly, and the evaluation
//! ([`crate::eval::run::Pipeline`]) runs its datasets' articles through it, so that it scores
//! what users run.

use std::fmt;
use std::time::{Duration, Instant};

use crate::label::{self, Label, LabelError, Labeller};
use crate::model::service::memo::Memo;
use crate::model::{Encoder, ModelError};
use crate::segment::Article;
use crate::sentences::{self, Sentence};
use crate::summarize::{self, Summarizer, Summary};

/// The default time budget of an article's own text, in seconds.
pub const DEFAULT_TIMEOUT_SECONDS: f64 = 30.0;

/// The most time the work on one article's own text may take.
///
/// Kept as the seconds it was given in as well, so that an error record quotes the limit as
/// given: a `Duration` holds nanoseconds, and `1.118` seconds read back from one prints as
/// `1.1179999999999999`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timeout {
    seconds: f64,
    limit: Duration,
}

/// A time limit that is not a number of seconds from 0 up.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("a timeout must be a number of seconds, 0 or more (got {0})")]
pub struct BadTimeout(pub f64);

impl Timeout {
    /// `seconds` as a limit; `None` for 0, which means no limit.
    pub fn from_secs(seconds: f64) -> Result<Option<Timeout>, BadTimeout> {
        match Duration::try_from_secs_f64(seconds) {
            Ok(limit) if limit.is_zero() => Ok(None),
            Ok(limit) => Ok(Some(Timeout { seconds, limit })),
            Err(_) => Err(BadTimeout(seconds)),
        }
    }

    /// The time budget `digest` gives each article unless told otherwise
    /// ([`DEFAULT_TIMEOUT_SECONDS`]).
    pub fn default_limit() -> Option<Timeout> {
        Timeout::from_secs(DEFAULT_TIMEOUT_SECONDS).ok().flatten()
    }

    pub fn limit(&self) -> Duration {
        self.limit
    }
}

impl fmt::Display for Timeout {
    /// The seconds as given.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.seconds.fmt(f)
    }
}

/// Why a batch's stages failed: the model, or the labeller around it. The message is the
/// stage's own.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StageError {
    #[error(transparent)]
    Summary(#[from] ModelError),
    #[error(transparent)]
    Label(#[from] LabelError),
}

/// What to do with each article.
pub struct Stages<'e> {
    /// Summarise each article; `None` leaves summaries out.
    pub summarizer: Option<Summarizer>,
    /// Label each article, with these options; `None` leaves labels out.
    pub labeller: Option<(&'e Labeller, label::Options)>,
    /// The model both use, where one is loaded (the lead and TextRank summaries need none;
    /// labels are left out without one).
    pub encoder: Option<&'e dyn Encoder>,
    /// The most time the work on each article's own text may take; `None` for no limit.
    pub timeout: Option<Timeout>,
}

/// Summaries and labels for a batch of articles, and which of them ran out of time.
pub struct Results {
    pub summaries: Option<Vec<Summary>>,
    pub labels: Option<Vec<Label>>,
    /// One flag per article: its time ran out, and its summary and label are not to be written.
    pub timed_out: Vec<bool>,
}

impl<'e> Stages<'e> {
    /// What `jianbao digest` does by default: model summaries (the built-in summary model for
    /// `encoder`, the default budget), sections from `labeller` with the default options, and
    /// the default time budget per article.
    pub fn digest(encoder: &'e dyn Encoder, labeller: &'e Labeller) -> Stages<'e> {
        let summarizer = Summarizer {
            model: summarize::learnt::SummaryModel::builtin_for(encoder.id()),
            ..Summarizer::new(summarize::Method::Model, summarize::Budget::default())
        };
        Stages {
            summarizer: Some(summarizer),
            labeller: Some((labeller, label::Options::default())),
            encoder: Some(encoder),
            timeout: Timeout::default_limit(),
        }
    }

    /// Summaries and labels for the articles of `pages`, in order.
    ///
    /// With a timeout, the work on each article's own text (finding its sentences, which grows
    /// with the text) stops when the article's time is up, and the article is marked as timed
    /// out instead of being summarised and labelled; the model's share of each article is
    /// bounded by the summarizer's and the labeller's caps.
    pub fn run(&self, pages: &[&[Article]]) -> Result<Results, StageError> {
        // The summariser and the labeller share what they embed in this batch.
        let memo = self.encoder.map(Memo::new);
        let encoder = memo.as_ref().map(|m| m as &dyn Encoder);
        let articles: Vec<&Article> = pages.iter().flat_map(|p| p.iter()).collect();
        let timeout = self.timeout.map(|t| t.limit());
        let mut timed_out = vec![false; articles.len()];
        // Each article's sentences are found once, for its summary and its label.
        let candidates: Vec<Vec<Sentence>> = articles
            .iter()
            .zip(&mut timed_out)
            .map(|(article, late)| {
                let deadline = timeout.map(|t| Instant::now() + t);
                sentences::candidates_within(article, deadline).unwrap_or_else(|| {
                    *late = true;
                    Vec::new()
                })
            })
            .collect();
        let summaries =
            self.summarizer.as_ref().map(|s| s.summarize_candidates(encoder, &articles, &candidates)).transpose()?;
        let labels = match (self.labeller, encoder) {
            (Some((labeller, options)), Some(encoder)) => {
                let parts: Vec<_> = articles
                    .iter()
                    .zip(&candidates)
                    .zip(&timed_out)
                    .map(
                        |((article, candidates), &late)| {
                            if late {
                                Vec::new()
                            } else {
                                label::input_parts_from(article, candidates)
                            }
                        },
                    )
                    .collect();
                Some(labeller.label_parts(encoder, pages, &parts, options)?)
            }
            _ => None,
        };
        Ok(Results { summaries, labels, timed_out })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_keep_the_seconds_as_given() {
        let t = Timeout::from_secs(1.118).expect("valid").expect("a limit");
        assert_eq!(t.to_string(), "1.118");
        assert!(t.limit().abs_diff(Duration::from_millis(1118)) <= Duration::from_nanos(1));
        assert_eq!(Timeout::from_secs(0.0), Ok(None));
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            assert!(Timeout::from_secs(bad).is_err(), "{bad}");
        }
    }
}
