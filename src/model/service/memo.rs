//! An encoder that embeds each text once: the summariser and the labeller read some of the
//! same texts (a headline with no kicker or deck, an opening sentence), and within one batch of
//! articles they need not be encoded twice.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use crate::model::{Encoder, Intent, ModelError, Phase};

/// Wraps an encoder for the length of one batch of work; what it remembers goes with it.
pub struct Memo<'e> {
    inner: &'e dyn Encoder,
    /// Per intent, each text's vector (looked up by `&str`, without allocating a key).
    seen: Mutex<HashMap<Intent, HashMap<String, Vec<f32>>>>,
}

impl<'e> Memo<'e> {
    pub fn new(inner: &'e dyn Encoder) -> Memo<'e> {
        Memo { inner, seen: Mutex::new(HashMap::new()) }
    }
}

impl Encoder for Memo<'_> {
    fn id(&self) -> &str {
        self.inner.id()
    }

    fn dim(&self) -> usize {
        self.inner.dim()
    }

    /// Embeds the texts not seen before (each once, in one call to the wrapped encoder, so that
    /// it still gets full batches) and answers the rest from memory.
    fn embed(&self, texts: &[&str], intent: Intent) -> Result<Vec<Vec<f32>>, ModelError> {
        let mut all = self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let seen = all.entry(intent).or_default();
        let mut asked = HashSet::new();
        let new: Vec<&str> = texts.iter().copied().filter(|&t| !seen.contains_key(t) && asked.insert(t)).collect();
        let vectors = if new.is_empty() { Vec::new() } else { self.inner.embed(&new, intent)? };
        if vectors.len() != new.len() {
            return Err(ModelError::new(Phase::Inference, "the encoder answered with fewer vectors than texts"));
        }
        for (text, vector) in new.into_iter().zip(vectors) {
            seen.insert(text.to_owned(), vector);
        }
        Ok(texts.iter().map(|&t| seen[t].clone()).collect())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Vectors made from the text's characters, counting the texts it is asked for.
    struct Counting {
        texts: AtomicUsize,
    }

    impl Encoder for Counting {
        fn id(&self) -> &str {
            "counting"
        }

        fn dim(&self) -> usize {
            2
        }

        fn embed(&self, texts: &[&str], intent: Intent) -> Result<Vec<Vec<f32>>, ModelError> {
            self.texts.fetch_add(texts.len(), Ordering::SeqCst);
            let shift = if intent == Intent::Query { 0.0 } else { 1.0 };
            Ok(texts.iter().map(|t| vec![t.chars().count() as f32, shift]).collect())
        }
    }

    #[test]
    fn each_text_is_embedded_once_per_intent() {
        let inner = Counting { texts: AtomicUsize::new(0) };
        let memo = Memo::new(&inner);
        let first = memo.embed(&["标题", "第一句。", "标题"], Intent::Query).unwrap();
        assert_eq!(first, vec![vec![2.0, 0.0], vec![4.0, 0.0], vec![2.0, 0.0]]);
        assert_eq!(inner.texts.load(Ordering::SeqCst), 2);
        let again = memo.embed(&["第一句。", "第二句。"], Intent::Query).unwrap();
        assert_eq!(again, vec![vec![4.0, 0.0], vec![4.0, 0.0]]);
        assert_eq!(inner.texts.load(Ordering::SeqCst), 3);
        // The same text for another purpose is another vector.
        assert_eq!(memo.embed(&["标题"], Intent::Passage).unwrap(), vec![vec![2.0, 1.0]]);
        assert_eq!(inner.texts.load(Ordering::SeqCst), 4);
    }
}
