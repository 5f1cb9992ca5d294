//! The TextRank baseline (Mihalcea & Tarau, 2004): sentences are nodes, edges weigh how many
//! character bigrams two sentences share, and PageRank on that graph ranks the sentences. It
//! needs no model, which makes it the baseline the encoder has to beat on content selection.

use std::collections::HashSet;

use crate::sentences::Sentence;
use crate::text::is_han;

const DAMPING: f64 = 0.85;
const ITERATIONS: usize = 50;

/// The graph is built on at most this many sentences from the top: its cost grows with the
/// square of their number. The longest annotated People's Daily article (a law in full) has
/// about 660.
pub const MAX_SENTENCES: usize = 1024;

/// Candidates, most central first (ties: earlier first); beyond the first [`MAX_SENTENCES`],
/// in article order after them.
pub fn ranking(candidates: &[Sentence]) -> Vec<usize> {
    let ranked = &candidates[..candidates.len().min(MAX_SENTENCES)];
    let scores = scores(ranked);
    let mut order: Vec<usize> = (0..ranked.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    order.extend(ranked.len()..candidates.len());
    order
}

/// The bigrams of a sentence's letters (Chinese characters, ASCII letters and digits).
fn bigrams(text: &str) -> HashSet<(char, char)> {
    let chars: Vec<char> = text.chars().filter(|&c| is_han(c) || c.is_ascii_alphanumeric()).collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

/// PageRank scores on the bigram-overlap graph; the overlap of two sentences is normalised by
/// the logarithms of their sizes, as in the original paper, so long sentences do not win by
/// length alone.
pub fn scores(candidates: &[Sentence]) -> Vec<f64> {
    let n = candidates.len();
    let grams: Vec<HashSet<(char, char)>> = candidates.iter().map(|s| bigrams(&s.text)).collect();
    let mut weights = vec![0.0f64; n * n];
    for i in 0..n {
        for j in i + 1..n {
            let shared = grams[i].intersection(&grams[j]).count() as f64;
            let norm = (grams[i].len() as f64 + 1.0).ln() + (grams[j].len() as f64 + 1.0).ln();
            if shared > 0.0 && norm > 0.0 {
                weights[i * n + j] = shared / norm;
                weights[j * n + i] = shared / norm;
            }
        }
    }
    let out_sums: Vec<f64> = (0..n).map(|j| weights[j * n..(j + 1) * n].iter().sum()).collect();
    let mut rank = vec![1.0 / n as f64; n];
    for _ in 0..ITERATIONS {
        rank = (0..n)
            .map(|i| {
                let incoming: f64 =
                    (0..n).filter(|&j| out_sums[j] > 0.0).map(|j| weights[j * n + i] / out_sums[j] * rank[j]).sum();
                (1.0 - DAMPING) / n as f64 + DAMPING * incoming
            })
            .collect();
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::char_len;

    #[test]
    fn the_sentence_sharing_most_ranks_first() {
        let texts = [
            "青岛港集装箱吞吐量创新高。",
            "今年青岛港集装箱吞吐量持续增长。",
            "集装箱吞吐量增长得益于航线加密。",
            "天气晴朗。",
        ];
        let candidates: Vec<Sentence> =
            texts.iter().map(|t| Sentence { text: (*t).to_owned(), paragraph: 0, chars: char_len(t) }).collect();
        let order = ranking(&candidates);
        assert_eq!(order[0], 1, "{:?}", scores(&candidates));
        assert_eq!(*order.last().unwrap(), 3);
    }
}
