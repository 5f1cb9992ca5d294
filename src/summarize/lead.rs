//! The lead baseline: news puts its key facts first, so take the first sentences after the
//! dateline.

use crate::sentences::Sentence;

/// Candidates in article order.
pub fn ranking(candidates: &[Sentence]) -> Vec<usize> {
    (0..candidates.len()).collect()
}
