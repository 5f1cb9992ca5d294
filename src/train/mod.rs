//! Training: fitting the labeller's head and the summariser's models to labelled data, with the
//! frozen encoder's vectors.
//!
//! [`head`] trains a [`crate::label::head::Head`] (its lexical half in [`lexical`]);
//! [`summarizer`] fits the [`crate::summarize::learnt::SummaryModel`]: its sentence scorer and the
//! models it carries. Both read data files named on the command line; what they share is here: how a
//! file is named and fingerprinted in a manifest ([`Source`]), how many times each file counts
//! ([`Weights`]) and how many of its rows are read ([`Sample`]), and the errors.

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
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Label(#[from] LabelError),
    #[error(transparent)]
    Fit(#[from] FitError),
    /// A references file (rows or pages gold) that cannot be read, or a page it points into.
    #[error(transparent)]
    Annotated(#[from] crate::annotated::AnnotatedError),
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

/// Whether a count is zero: a manifest leaves out what did not happen.
pub(crate) fn is_zero(n: &usize) -> bool {
    *n == 0
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
        check_names("--weight", weights.0.keys(), files, "--data or --articles")?;
        Ok(weights)
    }

    pub fn of(&self, file: &str) -> u32 {
        self.0.get(file).copied().unwrap_or(1)
    }
}

/// How many of each file's rows training reads at most, by file name (all where not named): a
/// seeded sample, so that a large headline set can be cut to a smaller share of the mix than
/// its rows would take (a weight only multiplies them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sample {
    pub rows: BTreeMap<String, usize>,
    pub seed: u64,
}

impl Sample {
    /// The limits `--rows NAME=N` gives, each checked to name one of `files`.
    pub fn new<'a>(
        given: impl IntoIterator<Item = (String, usize)>,
        files: impl IntoIterator<Item = &'a PathBuf> + Clone,
        seed: u64,
    ) -> Result<Sample, TrainError> {
        let sample = Sample { rows: given.into_iter().collect(), seed };
        check_names("--rows", sample.rows.keys(), files, "--data")?;
        Ok(sample)
    }

    /// Which of the `n` rows read from `file` are kept: all, or a seeded draw of the limit,
    /// the same for the same seed and file.
    pub fn keep(&self, file: &str, n: usize) -> Vec<bool> {
        let Some(&limit) = self.rows.get(file).filter(|&&limit| limit < n) else {
            return vec![true; n];
        };
        let mut order: Vec<usize> = (0..n).collect();
        let salt = u64::from_le_bytes(Sha256::digest(file)[..8].try_into().unwrap_or_default());
        let mut state = (self.seed ^ salt).max(1);
        crate::fit::logistic::shuffle(&mut order, &mut state);
        let mut keep = vec![false; n];
        for &i in &order[..limit] {
            keep[i] = true;
        }
        keep
    }
}

/// Checks that each of `names`, given with `flag NAME=N`, names one of `files` (given with
/// the flags `given`).
fn check_names<'a, 'b>(
    flag: &str,
    mut names: impl Iterator<Item = &'b String>,
    files: impl IntoIterator<Item = &'a PathBuf> + Clone,
    given: &str,
) -> Result<(), TrainError> {
    match names.find(|name| !files.clone().into_iter().any(|p| file_name(p) == **name)) {
        Some(name) => Err(TrainError::Other(format!("{flag} {name}=…: no {given} file is named {name}"))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_keeps_the_limit_of_a_named_files_rows_the_same_for_the_same_seed() {
        let files = [PathBuf::from("data/a.jsonl"), PathBuf::from("b.jsonl")];
        let sample = Sample::new([("a.jsonl".to_owned(), 30)], &files, 17).expect("a.jsonl is given");
        let keep = sample.keep("a.jsonl", 100);
        assert_eq!(keep.iter().filter(|&&k| k).count(), 30);
        assert_eq!(keep, sample.keep("a.jsonl", 100));
        // Spread over the file, not its first rows.
        assert!(keep[50..].iter().any(|&k| k) && keep[..50].iter().any(|&k| k));
        let other = Sample { seed: 18, ..sample.clone() };
        assert_ne!(keep, other.keep("a.jsonl", 100));
        // Files not named, and files shorter than their limit, are read whole.
        assert!(sample.keep("b.jsonl", 100).iter().all(|&k| k));
        assert!(sample.keep("a.jsonl", 20).iter().all(|&k| k));
        let err = Sample::new([("c.jsonl".to_owned(), 5)], &files, 17).expect_err("no file is named c.jsonl");
        assert!(err.to_string().contains("--rows c.jsonl=…: no --data file"), "{err}");
    }
}
