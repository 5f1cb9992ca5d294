//! Scoring jianbao's outputs against hand-labelled references. Metrics ([`rouge`], [`labels`],
//! [`split`], [`duplicates`], with [`bootstrap`] intervals) are pure functions of predictions
//! and gold ([`edits`] make the copies that duplicate detection is scored on);
//! [`suite`] reads what to evaluate, [`predictions`] outputs made elsewhere (the references are
//! [`crate::annotated`]'s), [`run`] produces and scores the outputs, [`report`] holds the
//! results and the terminal table; [`verdicts`] gathers the checks per figure for [`junit`] and
//! [`markdown`]; [`html`] writes the page.

pub mod bootstrap;
pub mod duplicates;
pub mod edits;
pub mod html;
pub mod junit;
pub mod labels;
pub mod markdown;
pub mod predictions;
pub mod report;
pub mod rouge;
pub mod run;
pub mod split;
pub mod suite;
pub mod verdicts;

use std::path::{Path, PathBuf};

use crate::label::LabelError;
use crate::model::ModelError;
use crate::stages::StageError;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A suite, gold or predictions file that cannot be read or is malformed.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(" line {l}")).unwrap_or_default())]
    File { path: PathBuf, line: Option<usize>, message: String },
    #[error("method `{0}` needs the model")]
    NeedsModel(&'static str),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Label(#[from] LabelError),
}

impl From<StageError> for EvalError {
    fn from(err: StageError) -> EvalError {
        match err {
            StageError::Summary(err) => EvalError::Model(err),
            StageError::Label(err) => EvalError::Label(err),
        }
    }
}

impl From<crate::annotated::AnnotatedError> for EvalError {
    fn from(err: crate::annotated::AnnotatedError) -> EvalError {
        EvalError::File { path: err.path, line: err.line, message: err.message }
    }
}

impl EvalError {
    pub fn file(path: &Path, line: Option<usize>, message: impl Into<String>) -> EvalError {
        EvalError::File { path: path.to_owned(), line, message: message.into() }
    }
}
