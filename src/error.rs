//! The library's error types. Each names the input it concerns, so that a caller can print it
//! as one line and go on with the next input.

use std::fmt;

/// Why one input (a file, an archive entry, a JSON Lines row) could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{origin}: {kind}")]
pub struct InputError {
    /// Where the input came from, as printed to the user.
    pub origin: String,
    /// What was wrong with it.
    pub kind: InputErrorKind,
}

impl InputError {
    pub fn new(origin: impl fmt::Display, kind: InputErrorKind) -> Self {
        InputError { origin: origin.to_string(), kind }
    }
}

/// The reasons an input is refused. New reasons may be added.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputErrorKind {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("empty file")]
    Empty,
    #[error("binary file ({0}), not text")]
    Binary(&'static str),
    #[error("{0}")]
    Undecodable(String),
    #[error("larger than the limit of {limit} bytes (raise it with --max-bytes)")]
    TooLarge { limit: u64 },
    #[error("archive entry expands past the limit of {limit} bytes (raise it with --max-bytes)")]
    ExpandsTooFar { limit: u64 },
    #[error("corrupt archive: {0}")]
    CorruptArchive(String),
    #[error("holds no files that the file filter (--glob) selects")]
    NoEntries,
    #[error("archive inside an archive is not read; extract the outer one first")]
    NestedArchive,
    #[error("symbolic link loop back to {0}")]
    LinkLoop(String),
    #[error("bad JSON Lines row: {0}")]
    BadRow(String),
    #[error("no text to split into articles")]
    NoArticles,
}

impl InputErrorKind {
    /// A short, stable name for the kind of failure, for machine-readable error records.
    pub fn code(&self) -> &'static str {
        match self {
            InputErrorKind::Io(_) => "io",
            InputErrorKind::Empty => "empty",
            InputErrorKind::Binary(_) => "binary",
            InputErrorKind::Undecodable(_) => "encoding",
            InputErrorKind::TooLarge { .. } => "too-large",
            InputErrorKind::ExpandsTooFar { .. } => "too-large",
            InputErrorKind::CorruptArchive(_) => "corrupt-archive",
            InputErrorKind::NestedArchive => "nested-archive",
            InputErrorKind::NoEntries => "empty",
            InputErrorKind::LinkLoop(_) => "link-loop",
            InputErrorKind::BadRow(_) => "bad-row",
            InputErrorKind::NoArticles => "no-articles",
        }
    }
}
