//! ROUGE-1, ROUGE-2 and ROUGE-L for Chinese. Text is cut into tokens first ([`char_tokens`]:
//! each CJK character is one token, a run of ASCII letters or digits is one token, punctuation
//! and spaces are dropped), then n-grams or the longest common subsequence are counted.
//!
//! Precision, recall and F1 follow Lin (2004): ROUGE-N counts clipped n-gram matches; ROUGE-L
//! divides the LCS length by the candidate's (precision) and the reference's (recall) length,
//! F1 being their harmonic mean (β = 1).

use std::collections::HashMap;

/// Precision, recall and F1 of one comparison.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn new(matches: f64, candidate: f64, reference: f64) -> Prf {
        let precision = if candidate > 0.0 { matches / candidate } else { 0.0 };
        let recall = if reference > 0.0 { matches / reference } else { 0.0 };
        let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
        Prf { precision, recall, f1 }
    }
}

/// ROUGE-1, ROUGE-2 and ROUGE-L of one candidate against one reference.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Rouge {
    pub rouge1: Prf,
    pub rouge2: Prf,
    #[serde(rename = "rougeL")]
    pub rouge_l: Prf,
}

/// Tokens for Chinese ROUGE: CJK characters one each, ASCII letter/digit runs one each
/// (lower-cased), everything else (punctuation, spaces, symbols) dropped. Full-width letters
/// and digits count as their ASCII forms.
pub fn char_tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        let c = fold_width(c);
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
            continue;
        }
        if !word.is_empty() {
            tokens.push(std::mem::take(&mut word));
        }
        if c.is_alphanumeric() {
            tokens.push(c.to_string());
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    tokens
}

/// Full-width ASCII forms (`Ａ`, `１`) to ASCII.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// ROUGE of `candidate` against `reference`, both already tokenised.
pub fn score(candidate: &[String], reference: &[String]) -> Rouge {
    Rouge {
        rouge1: rouge_n(candidate, reference, 1),
        rouge2: rouge_n(candidate, reference, 2),
        rouge_l: rouge_l(candidate, reference),
    }
}

/// ROUGE of two texts on [`char_tokens`].
pub fn score_text(candidate: &str, reference: &str) -> Rouge {
    score(&char_tokens(candidate), &char_tokens(reference))
}

fn ngrams(tokens: &[String], n: usize) -> HashMap<&[String], usize> {
    let mut counts = HashMap::new();
    if tokens.len() >= n {
        for gram in tokens.windows(n) {
            *counts.entry(gram).or_insert(0) += 1;
        }
    }
    counts
}

/// ROUGE-N with clipped counts: an n-gram matches at most as often as the reference has it.
pub fn rouge_n(candidate: &[String], reference: &[String], n: usize) -> Prf {
    let (cand, refs) = (ngrams(candidate, n), ngrams(reference, n));
    let matches: usize = cand.iter().map(|(gram, &c)| c.min(refs.get(gram).copied().unwrap_or(0))).sum();
    let total = |counts: &HashMap<&[String], usize>| counts.values().sum::<usize>() as f64;
    Prf::new(matches as f64, total(&cand), total(&refs))
}

/// ROUGE-L from the longest common subsequence.
pub fn rouge_l(candidate: &[String], reference: &[String]) -> Prf {
    Prf::new(lcs(candidate, reference) as f64, candidate.len() as f64, reference.len() as f64)
}

/// Length of the longest common subsequence, in O(|a|·|b|) time and O(|b|) memory.
fn lcs(a: &[String], b: &[String]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y { diagonal + 1 } else { above.max(row[j]) };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    }

    #[test]
    fn tokens_are_characters_and_ascii_words() {
        assert_eq!(
            char_tokens("青岛GDP增长5.6%，Ｑ３好于预期"),
            ["青", "岛", "gdp", "增", "长", "5", "6", "q3", "好", "于", "预", "期"]
        );
        assert!(char_tokens("，。！“”（）").is_empty());
    }

    #[test]
    fn identical_chinese_scores_one() {
        let r = score_text("青岛首单创新创业公司债券发行", "青岛首单创新创业公司债券发行");
        for prf in [r.rouge1, r.rouge2, r.rouge_l] {
            close(prf.f1, 1.0);
        }
    }

    #[test]
    fn hand_computed_case() {
        // candidate 青岛发行债券 (6 tokens), reference 青岛首单债券发行 (8 tokens).
        let r = score_text("青岛发行债券", "青岛首单债券发行");
        // Unigrams: all 6 candidate characters occur in the reference.
        close(r.rouge1.precision, 6.0 / 6.0);
        close(r.rouge1.recall, 6.0 / 8.0);
        // Bigrams: 青岛 岛发 发行 行债 债券 vs 青岛 岛首 首单 单债 债券 券发 发行: 青岛, 发行, 债券 match.
        close(r.rouge2.precision, 3.0 / 5.0);
        close(r.rouge2.recall, 3.0 / 7.0);
        // LCS: 青岛债券 or 青岛发行, length 4.
        close(r.rouge_l.precision, 4.0 / 6.0);
        close(r.rouge_l.recall, 4.0 / 8.0);
        close(r.rouge_l.f1, 2.0 * (4.0 / 6.0) * (4.0 / 8.0) / (4.0 / 6.0 + 4.0 / 8.0));
    }

    #[test]
    fn counts_are_clipped_and_empty_is_zero() {
        let r = score_text("好好好好", "好");
        close(r.rouge1.precision, 0.25);
        close(r.rouge1.recall, 1.0);
        assert_eq!(score_text("", "青岛").rouge_l.f1, 0.0);
        assert_eq!(score_text("青岛", "").rouge1.f1, 0.0);
    }
}
