//! Shards: which of N parts of the inputs a page belongs to.

use sha2::{Digest, Sha256};

/// One of N deterministic parts of the inputs: a page belongs to shard `sha256(source) mod N`,
/// so N machines given the same inputs split them without talking to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// `I/N` with 0 ≤ I < N.
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}` is not a shard I/N with 0 <= I < N (e.g. 0/4)");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u64, u64) = (i.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    pub fn takes(&self, source: &str) -> bool {
        let digest = Sha256::digest(source.as_bytes());
        let mut head = [0u8; 8];
        head.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(head) % self.count == self.index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_inputs() {
        let shards: Vec<Shard> = (0..3).map(|i| format!("{i}/3").parse().expect("shard")).collect();
        for n in 0..200 {
            let source = format!("pages/{n}.txt");
            assert_eq!(shards.iter().filter(|s| s.takes(&source)).count(), 1);
        }
        let sizes: Vec<usize> = shards.iter().map(|s| (0..300).filter(|n| s.takes(&format!("p{n}"))).count()).collect();
        assert!(sizes.iter().all(|&n| (70..130).contains(&n)), "{sizes:?}");
        for bad in ["3/3", "1", "a/2", "0/0"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
