//! The character bigrams the summariser's features count: a text's bigrams ([`bigrams`]) and how
//! many of an article's sentences hold each ([`holders`]).

use crate::sentences::Sentence;

/// Two consecutive letters or digits.
pub type Bigram = (char, char);

/// A text's letters, digits and characters, punctuation and spaces skipped.
pub fn letters(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The character bigrams of a text's letters and digits (punctuation and spaces skipped).
pub fn bigrams(text: &str) -> Vec<Bigram> {
    let chars: Vec<char> = letters(text).chars().collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

/// How many of the first [`MAX_LEXICAL_SENTENCES`] sentences hold each bigram.
pub fn holders(sentences: &[Sentence]) -> std::collections::HashMap<Bigram, u32> {
    let mut holders = std::collections::HashMap::new();
    for sentence in sentences.iter().take(MAX_LEXICAL_SENTENCES) {
        let own: std::collections::HashSet<Bigram> = bigrams(&sentence.text).into_iter().collect();
        for b in own {
            *holders.entry(b).or_default() += 1;
        }
    }
    holders
}

/// The shared bigrams are counted over at most this many sentences from the top, so that the
/// work per article is bounded; the longest annotated People's Daily article has about 660.
pub const MAX_LEXICAL_SENTENCES: usize = 1024;
