//! Near-duplicate stories: a reprint, the same story on two pages or a day later, re-paragraphed,
//! retitled, cut short or with a few characters changed. [`Detector`] reads texts one by one in
//! the order they arrive and names, for each copy, the first occurrence of its story. It owns
//! the shingling, the index of stories seen and the decision; it reads nothing of the pages'
//! layout and knows nothing of the model (a vector, where given, is just a vector).
//!
//! Candidates come from a MinHash LSH index (the `gaoya` crate) over character shingles of the
//! normalised text ([`shingles`]); each candidate is confirmed on a sample of the two texts'
//! shingle sets: the containment of the shorter in the longer (|A ∩ B| / min(|A|, |B|)), where
//! the shorter has at least [`Settings::length_ratio`] of the longer's shingles. Containment is
//! what catches a copy cut short: one cut to 70% of the characters has a Jaccard similarity near
//! 0.7 but a containment near 1. (A Jaccard threshold would add nothing: the Jaccard similarity
//! is never above the containment, nor above the length ratio.) Where both texts have an encoder
//! vector, their cosine must also reach [`Settings::cosine`].
//!
//! # Memory and scale
//!
//! Only a story's first occurrence is indexed, so memory grows with the distinct stories, not
//! with the records: per story its key, its MinHash signature (`bands × rows` 16-bit values),
//! one entry in each band's table, and every [`Settings::sample`]-th shingle hash (32 bits) for
//! confirmation, and its vector where it has one. Measured by `cargo bench --bench dedup`
//! (100,000 records of 850 characters on average, 75,036 stories): 3.3 KB a story without
//! vectors (a 384-wide f32 vector would add 1.5 KB), 281 MB at the peak, 8,800 records a second
//! on one core.
//!
//! Ten million articles are not one index: their stories, held at once, would take some 30 GB.
//! A reprint comes within days of its original, so a deployment keeps one [`Detector`] per
//! window of dates: records are fed in date order and [`Detector::forget_before`] drops the
//! stories first seen before the window (a month of a large feed, 30,000 articles a day, is
//! 900,000 stories, about 3 GB). Where one process is not enough, records are sharded by date
//! range with the window's overlap fed to both shards, and each shard runs its own detector;
//! chains across shards join on the overlap's keys.

pub mod shingles;

use std::collections::VecDeque;
use std::hash::{BuildHasherDefault, DefaultHasher};

use gaoya::minhash::{MinHashIndex, MinHasher, MinHasher16, SmallVecContainer};

/// How texts are compared. [`Settings::default`] holds the values chosen on the validation half
/// of `eval/data/duplicate-pairs.jsonl` (`sweep_on_the_validation_half` in `eval::duplicates`):
/// there, with 5-character shingles and one hash in 4 kept, the different stories closest to
/// one another (two sessions of one standing committee, two officials expelled in one template's
/// words) reach a containment of 0.66, and the copies keeping at least 70% that are farthest from
/// their original (2% of the characters changed) 0.88; the threshold sits between, at 0.75.
/// Shingles of 4 to 6 characters separate the two at every threshold from 0.7 to 0.8
/// (3-character ones, sampled, let a different story through at 0.75, 6-character ones lose a
/// copy at 0.85); 5, in the middle, was kept. Keeping every hash instead of one in 4 or 8 changed no decision there. 32 bands of 3
/// values make two texts of Jaccard similarity 0.5 (a copy cut to half) candidates 98.6% of the
/// time, and of 0.6 99.96%.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Characters per shingle.
    pub shingle: usize,
    /// LSH bands, and MinHash values per band: the signature has `bands × rows` values, and two
    /// texts are candidates when all the values of one band agree.
    pub bands: usize,
    pub rows: usize,
    /// Candidates whose signatures agree on less than this share of their values are dropped
    /// before they are confirmed (the signatures' estimate of the Jaccard similarity).
    pub candidate: f32,
    /// One shingle hash in `sample` is kept for confirmation (1: all of them).
    pub sample: u32,
    /// A candidate whose shorter shingle set is contained at least this much in the longer one
    /// is a copy,
    pub containment: f32,
    /// ... where the shorter has at least this share of the longer's shingles (a copy cut to
    /// half is still one; a short notice is not a copy of a long report that quotes it).
    pub length_ratio: f32,
    /// Where both texts have a vector, their cosine must reach this too. With e5-small's passage
    /// vectors on the validation half, copies keep a cosine of 0.983 or more to their original
    /// (all edits at once the lowest), random pairs of articles reach 0.944, and two stories on
    /// one subject anything from 0.906 to 0.998: the vectors cannot tell a copy from a story on
    /// its subject, only from an unrelated text. 0.95 lies between the random pairs and the
    /// copies, a veto on shingles shared by texts that have nothing else in common.
    pub cosine: f32,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            shingle: 5,
            bands: 32,
            rows: 3,
            candidate: 0.2,
            sample: 4,
            containment: 0.75,
            length_ratio: 0.4,
            cosine: 0.95,
        }
    }
}

/// A text found to be a copy of an earlier one.
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate {
    /// The key of the story's first occurrence.
    pub of: String,
    /// The containment of the shorter text's shingles in the longer's (on the kept sample).
    pub similarity: f32,
}

/// A story's first occurrence, as the index keeps it.
struct Story {
    key: Box<str>,
    /// Which record it was, counting from 0.
    sequence: u64,
    /// Distinct shingles in the whole text.
    shingles: u32,
    /// The kept shingle hashes, sorted and distinct.
    sample: Box<[u32]>,
    vector: Option<Box<[f32]>>,
}

type Index = MinHashIndex<u16, u32, SmallVecContainer<u32, 2>>;

/// Finds copies among texts read one by one; see the module's documentation.
pub struct Detector {
    settings: Settings,
    hasher: MinHasher16<BuildHasherDefault<DefaultHasher>>,
    index: Index,
    /// The stories indexed, oldest first; the story with id `first_id + i` is `stories[i]`.
    stories: VecDeque<Story>,
    first_id: u32,
    /// The number of texts checked so far.
    sequence: u64,
}

impl Detector {
    /// A detector with nothing seen. Sizes of 0 in `settings` count as 1.
    pub fn new(settings: Settings) -> Detector {
        let settings = Settings {
            shingle: settings.shingle.max(1),
            bands: settings.bands.max(1),
            rows: settings.rows.max(1),
            sample: settings.sample.max(1),
            ..settings
        };
        let hashes = settings.bands * settings.rows;
        Detector {
            hasher: MinHasher16::new_with_hasher(hashes, BuildHasherDefault::default()),
            index: Index::new_index(settings.bands, settings.rows, f64::from(settings.candidate)),
            settings,
            stories: VecDeque::new(),
            first_id: 0,
            sequence: 0,
        }
    }

    /// Checks `text` (headline and body) against every story seen: a copy gets the key of its
    /// story's first occurrence; a new story is indexed under `key` and gets `None`. `vector`,
    /// where given, is the text's L2-normalised embedding; two vectors of different widths are
    /// not compared. A text with no letters or digits is neither a copy nor indexed; one of a few
    /// dozen characters may keep no sampled shingle, and is then never found a copy.
    pub fn check(&mut self, key: &str, text: &str, vector: Option<&[f32]>) -> Option<Duplicate> {
        let sequence = self.sequence;
        self.sequence += 1;
        let chars = shingles::normalise(text);
        let hashes = shingles::hashes(&chars, self.settings.shingle);
        if hashes.is_empty() {
            return None;
        }
        let signature = self.hasher.create_signature(hashes.iter());
        let story = self.story(key, sequence, hashes, vector);
        if let Some(found) = self.best_match(&signature, &story) {
            return Some(found);
        }
        let Ok(id) = u32::try_from(self.stories.len()).map(|n| self.first_id.wrapping_add(n)) else {
            return None; // More than 4 billion stories held at once: too many to index more.
        };
        self.index.insert(id, signature);
        self.stories.push_back(story);
        None
    }

    /// Forgets the stories first seen before record `sequence` (counting checks from 0), so that
    /// memory stays bounded over a stream: a copy of one of them is then a new story. Returns
    /// how many were forgotten.
    pub fn forget_before(&mut self, sequence: u64) -> usize {
        let mut forgotten = 0;
        while self.stories.front().is_some_and(|s| s.sequence < sequence) {
            self.stories.pop_front();
            self.index.remove(&self.first_id);
            self.first_id = self.first_id.wrapping_add(1);
            forgotten += 1;
        }
        forgotten
    }

    /// The number of texts checked so far: the sequence number the next one gets.
    pub fn sequence(&self) -> u64 {
        self.sequence
    }

    /// The number of stories indexed.
    pub fn stories(&self) -> usize {
        self.stories.len()
    }

    /// What the index keeps of a text.
    fn story(&self, key: &str, sequence: u64, mut hashes: Vec<u64>, vector: Option<&[f32]>) -> Story {
        hashes.sort_unstable();
        hashes.dedup();
        let sample = u64::from(self.settings.sample);
        // The kept hashes are those divisible by `sample`; their high halves are what is kept.
        let mut kept: Vec<u32> = hashes.iter().filter(|&&h| h % sample == 0).map(|&h| (h >> 32) as u32).collect();
        kept.sort_unstable();
        kept.dedup();
        Story {
            key: key.into(),
            sequence,
            shingles: u32::try_from(hashes.len()).unwrap_or(u32::MAX),
            sample: kept.into(),
            vector: vector.map(Into::into),
        }
    }

    /// The confirmed candidate of highest containment (the earliest of equals), as a duplicate.
    fn best_match(&self, signature: &Vec<u16>, query: &Story) -> Option<Duplicate> {
        // The similarity and the place in `stories` of the best so far.
        let mut best: Option<(f32, usize)> = None;
        for &id in self.index.query(signature) {
            let at = id.wrapping_sub(self.first_id) as usize;
            let Some(story) = self.stories.get(at) else { continue };
            let Some(similarity) = self.confirm(query, story) else { continue };
            if best.is_none_or(|(s, b)| similarity > s || (similarity == s && at < b)) {
                best = Some((similarity, at));
            }
        }
        let (similarity, at) = best?;
        let story = self.stories.get(at)?;
        Some(Duplicate { of: story.key.to_string(), similarity })
    }

    /// The containment of `a` and `b` where they are copies of one story, else `None`.
    fn confirm(&self, a: &Story, b: &Story) -> Option<f32> {
        let s = &self.settings;
        let overlap = Overlap::of(&a.sample, &b.sample);
        let (shorter, longer) = (a.shingles.min(b.shingles), a.shingles.max(b.shingles));
        let ratio = shorter as f32 / longer.max(1) as f32;
        let copy = overlap.containment() >= s.containment && ratio >= s.length_ratio;
        let cosine_agrees = match (&a.vector, &b.vector) {
            (Some(x), Some(y)) if x.len() == y.len() => {
                x.iter().zip(y.iter()).map(|(p, q)| p * q).sum::<f32>() >= s.cosine
            }
            _ => true,
        };
        (copy && cosine_agrees).then(|| overlap.containment())
    }
}

/// The sizes of two sorted sets and of their intersection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Overlap {
    a: usize,
    b: usize,
    both: usize,
}

impl Overlap {
    fn of(a: &[u32], b: &[u32]) -> Overlap {
        let (mut i, mut j, mut both) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    both += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        Overlap { a: a.len(), b: b.len(), both }
    }

    fn containment(&self) -> f32 {
        let shorter = self.a.min(self.b);
        if shorter == 0 {
            0.0
        } else {
            self.both as f32 / shorter as f32
        }
    }
}

#[cfg(test)]
mod tests;
