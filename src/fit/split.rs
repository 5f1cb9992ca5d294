//! The split of labelled data into training, validation and test parts, by a hash of each text.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// Where a row goes, decided by a hash of its text alone: 80% train, 10% validation, 10% test.
/// The same text always lands in the same part, whatever file or order it comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    Train,
    Val,
    Test,
}

pub fn part_of(text: &str) -> Part {
    let digest = Sha256::digest(text.as_bytes());
    match u16::from_be_bytes([digest[0], digest[1]]) % 10 {
        0 => Part::Test,
        1 => Part::Val,
        _ => Part::Train,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_stable_and_roughly_80_10_10() {
        let parts: Vec<Part> = (0..5000).map(|i| part_of(&format!("标题{i}"))).collect();
        let test = parts.iter().filter(|&&p| p == Part::Test).count();
        let val = parts.iter().filter(|&&p| p == Part::Val).count();
        assert!((400..600).contains(&test) && (400..600).contains(&val), "{test} {val}");
        assert_eq!(part_of("标题7"), parts[7]);
    }
}
