//! Training: fitting the labeller's head and the summariser's models to labelled data, with the
//! frozen encoder's vectors.
//!
//! [`head`] trains a [`crate::label::head::Head`] (its lexical half in [`lexical`]);
//! [`summarizer`] fits the [`crate::summarize::learnt::SummaryModel`]: its sentence scorer and the
//! models it carries. Both read data files named on the command line; what they share is here: how a
//! file is named and fingerprinted in a manifest ([`Source`]), how many times each file counts
//! ([`Weights`]), and the errors.

pub mod adapter;
pub mod head;
pub mod lexical;
pub mod summarizer;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::fit::logistic::FitError;
use crate::label::LabelError;
use crate::model::ModelError;

#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("{0}")]
    Model(#[from] ModelError),
    #[error("{0}")]
    Label(#[from] LabelError),
    #[error("{0}")]
    Fit(#[from] FitError),
    /// A tuning run stopped before its end; its checkpoint resumes it.
    #[error("stopped: the checkpoint in --out resumes the run where it stopped")]
    Interrupted,
    /// A tensor operation of the encoder's tuning failed.
    #[error("tuning the encoder: {0}")]
    Tuning(#[from] candle_core::Error),
    #[error("{0}")]
    Other(String),
}

pub(crate) fn bad(path: &Path, message: impl Into<String>) -> TrainError {
    TrainError::File { path: path.to_owned(), message: message.into() }
}

/// A data file as a manifest names it: its file name and the SHA-256 of its bytes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Source {
    pub file: String,
    pub sha256: String,
}

/// Reads a data file: its bytes and how a manifest names it.
pub fn read_source(path: &Path) -> Result<(Vec<u8>, Source), TrainError> {
    let bytes = std::fs::read(path).map_err(|e| bad(path, e.to_string()))?;
    let source = Source { file: file_name(path), sha256: format!("{:x}", Sha256::digest(&bytes)) };
    Ok((bytes, source))
}

/// A path's file name (the whole path where it has none), as `--weight` names files.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// How many times the rows of each file count in training, by file name (1 where not named).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Weights(pub BTreeMap<String, u32>);

impl Weights {
    /// The weights `--weight NAME=N` gives (the last where a name is given twice), each checked
    /// to name one of `files`.
    pub fn new<'a>(
        given: impl IntoIterator<Item = (String, u32)>,
        files: impl IntoIterator<Item = &'a PathBuf> + Clone,
    ) -> Result<Weights, TrainError> {
        let weights = Weights(given.into_iter().collect());
        for name in weights.0.keys() {
            if !files.clone().into_iter().any(|p| file_name(p) == *name) {
                return Err(TrainError::Other(format!(
                    "--weight {name}=…: no --data or --articles file is named {name}"
                )));
            }
        }
        Ok(weights)
    }

    pub fn of(&self, file: &str) -> u32 {
        self.0.get(file).copied().unwrap_or(1)
    }
}
