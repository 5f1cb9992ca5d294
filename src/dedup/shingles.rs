//! What two copies of a story are compared on: the text normalised so that layout does not
//! count, cut into overlapping runs of characters (shingles), each hashed to a number.

use std::hash::{DefaultHasher, Hash, Hasher};

/// The characters that carry a story's words, as one run: whitespace and punctuation dropped
/// (re-paragraphing, indentation and a changed comma do not count), full-width Latin letters
/// and digits made half-width and letters lower-case (`２０１９` and `2019` are one number).
pub fn normalise(text: &str) -> Vec<char> {
    text.chars().filter(|c| c.is_alphanumeric()).map(half_width).map(|c| c.to_ascii_lowercase()).collect()
}

/// A full-width ASCII letter or digit as its ASCII form; anything else unchanged.
fn half_width(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// The hash of every run of `n` characters of `chars`, in order (repeats kept); a text shorter
/// than `n` is one shingle of its own, and an empty one has none.
pub fn hashes(chars: &[char], n: usize) -> Vec<u64> {
    if chars.is_empty() {
        return Vec::new();
    }
    let hash = |run: &[char]| {
        // `DefaultHasher::new` has fixed keys: a shingle hashes alike in every run.
        let mut hasher = DefaultHasher::new();
        run.hash(&mut hasher);
        hasher.finish()
    };
    if chars.len() < n {
        return vec![hash(chars)];
    }
    chars.windows(n).map(hash).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_and_width_do_not_count() {
        let a = normalise("　　２０１９年，ＧＤＰ增长6.6%。\n\n");
        assert_eq!(a.iter().collect::<String>(), "2019年gdp增长66");
        let b = normalise("2019年 GDP\n增长 6.6 % 。");
        assert_eq!(a, b);
    }

    #[test]
    fn shingles_overlap() {
        let chars: Vec<char> = "人民日报社".chars().collect();
        assert_eq!(hashes(&chars, 2).len(), 4);
        assert_eq!(hashes(&chars, 9).len(), 1, "a short text is one shingle");
        assert!(hashes(&[], 5).is_empty());
        let again: Vec<char> = "日报".chars().collect();
        assert_eq!(hashes(&chars, 2)[2], hashes(&again, 2)[0], "人民|民日|日报|报社");
    }
}
