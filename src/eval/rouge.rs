//! ROUGE-1, ROUGE-2 and ROUGE-L for Chinese. Text is cut into tokens first ([`char_tokens`]:
//! each CJK character is one token, a run of ASCII letters or digits is one token, punctuation
//! and spaces are dropped), then n-grams or the longest common subsequence are counted.
//!
//! Precision, recall and F1 follow Lin (2004): ROUGE-N counts clipped n-gram matches; ROUGE-L
//! divides the LCS length by the candidate's (precision) and the reference's (recall) length,
//! F1 being their harmonic mean (β = 1).
//!
//! Words instead of characters: [`Tokenizer::Jieba`] cuts text with jieba (its default
//! dictionary and HMM for unknown words), then drops tokens without a letter or digit.
//!
//! Several references: [`score_refs`] scores the candidate against each and keeps, per metric,
//! the best F1 ([`Aggregate::Best`], the default, as `rouge_score`'s multi-reference `max`
//! does), or averages precision, recall and F1 over them ([`Aggregate::Average`]).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// How text is cut into ROUGE tokens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Tokenizer {
    /// CJK characters one token each, ASCII letter/digit runs one token each ([`char_tokens`]).
    #[default]
    Chars,
    /// Words from jieba ([`jieba_tokens`]).
    Jieba,
}

impl Tokenizer {
    pub fn tokens(self, text: &str) -> Vec<String> {
        match self {
            Tokenizer::Chars => char_tokens(text),
            Tokenizer::Jieba => jieba_tokens(text),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Tokenizer::Chars => "chars",
            Tokenizer::Jieba => "jieba",
        }
    }
}

/// How the scores against several references are combined.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    /// Per metric, the reference with the highest F1.
    #[default]
    Best,
    /// Per metric, the mean precision, recall and F1 over the references.
    Average,
}

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

/// Words for ROUGE: jieba's cut (HMM on), full-width forms folded and ASCII lower-cased,
/// tokens with no letter or digit (punctuation, spaces) dropped.
pub fn jieba_tokens(text: &str) -> Vec<String> {
    let folded: String = text.chars().map(|c| fold_width(c).to_ascii_lowercase()).collect();
    crate::text::jieba()
        .cut(&folded, true)
        .into_iter()
        .filter(|token| token.word.chars().any(char::is_alphanumeric))
        .map(|token| token.word.to_owned())
        .collect()
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

/// ROUGE of `candidate` against several references, combined by `aggregate`. No references
/// score zero.
pub fn score_refs(candidate: &str, references: &[String], tokenizer: Tokenizer, aggregate: Aggregate) -> Rouge {
    let cand = tokenizer.tokens(candidate);
    let each: Vec<Rouge> = references.iter().map(|r| score(&cand, &tokenizer.tokens(r))).collect();
    if each.is_empty() {
        return Rouge::default();
    }
    let pick = |metric: fn(&Rouge) -> Prf| -> Prf {
        match aggregate {
            Aggregate::Best => each.iter().map(metric).fold(Prf::default(), |a, b| if b.f1 > a.f1 { b } else { a }),
            Aggregate::Average => {
                let n = each.len() as f64;
                let sum = each.iter().map(metric).fold(Prf::default(), |a, b| Prf {
                    precision: a.precision + b.precision,
                    recall: a.recall + b.recall,
                    f1: a.f1 + b.f1,
                });
                Prf { precision: sum.precision / n, recall: sum.recall / n, f1: sum.f1 / n }
            }
        }
    };
    Rouge { rouge1: pick(|r| r.rouge1), rouge2: pick(|r| r.rouge2), rouge_l: pick(|r| r.rouge_l) }
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
    fn several_references_best_or_average() {
        let refs = vec!["青岛发行债券".to_owned(), "天气晴".to_owned()];
        // Against the first: R-1 P 1, R 1; against the second: nothing in common.
        let best = score_refs("青岛发行债券", &refs, Tokenizer::Chars, Aggregate::Best);
        close(best.rouge1.f1, 1.0);
        close(best.rouge_l.recall, 1.0);
        let average = score_refs("青岛发行债券", &refs, Tokenizer::Chars, Aggregate::Average);
        close(average.rouge1.f1, 0.5);
        close(average.rouge2.precision, 0.5);
        // Best is chosen per metric: R-1 from one reference, R-2 from another.
        let refs = vec!["甲乙丙丁".to_owned(), "甲乙戊".to_owned()];
        let mixed = score_refs("甲乙丙戊", &refs, Tokenizer::Chars, Aggregate::Best);
        // 甲乙丙丁 gives P 3/4, R 3/4 (F1 0.75); 甲乙戊 gives P 3/4, R 1 (F1 6/7).
        close(mixed.rouge1.f1, 6.0 / 7.0);
        // 甲乙丙丁 shares 甲乙, 乙丙 (P 2/3, R 2/3); 甲乙戊 only 甲乙 (P 1/3, R 1/2).
        close(mixed.rouge2.f1, 2.0 / 3.0);
        assert_eq!(score_refs("青岛", &[], Tokenizer::Chars, Aggregate::Best), Rouge::default());
    }

    #[test]
    fn jieba_words() {
        let words = jieba_tokens("青岛首单创新创业公司债券发行，规模５亿元");
        assert!(words.contains(&"公司债券".to_owned()), "{words:?}");
        assert!(words.contains(&"5".to_owned()), "{words:?}");
        assert!(words.iter().all(|w| w != "，"));
        let r = score_refs(
            "青岛首单创新创业公司债券发行",
            &["青岛首单创新创业公司债券发行".into()],
            Tokenizer::Jieba,
            Aggregate::Best,
        );
        close(r.rouge_l.f1, 1.0);
        // Words are coarser than characters: one wrong character costs a whole word.
        let chars = score_refs("公司债券发行", &["公司债卷发行".into()], Tokenizer::Chars, Aggregate::Best);
        let words = score_refs("公司债券发行", &["公司债卷发行".into()], Tokenizer::Jieba, Aggregate::Best);
        assert!(words.rouge1.f1 < chars.rouge1.f1);
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
