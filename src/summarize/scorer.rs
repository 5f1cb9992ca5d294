//! How good a summary sentence is, learnt from what people wrote.
//!
//! Each candidate sentence of an article is described by a few numbers ([`FEATURES`]): how
//! close its vector lies to the article's and to the headline's (and how far below the
//! article's closest sentence), how central it is among the article's sentences (in vectors and
//! in shared character bigrams), how much it shares the headline's words, where it stands in the
//! article and in its paragraph, its length, and whether it carries figures or a quotation.
//! Centrality and headline words added to the first 21 features raised the summaries' mean
//! ROUGE-L on the hand-summarised newspaper articles from 29.8 to 30.3 (5-fold
//! cross-validation, 8 candidates) and on the validation articles from 30.8 to 31.0. A linear model (the sentence scorer of
//! [`super::learnt::SummaryModel`]) maps them to how
//! much better than the text's average sentence the sentence's character ROUGE-L F1 against a
//! hand-written summary is expected to be. It stays linear: boosted regression trees on the same
//! features gained 0.2–0.4 ROUGE-L in cross-validation but lost 0.2–1.1 on the validation
//! articles, and products of feature pairs did no better. It is fitted by
//! `jianbao train-summarizer` ([`crate::fit::ridge::fit`]) on newspaper articles with hand-written summaries and on
//! LCSTS posts with their headlines, and stored with the summariser's other models
//! ([`super::learnt`]).

use super::words::{bigrams, holders, Bigram};
use crate::fit::dot;
use crate::sentences::Sentence;
use crate::text;

/// The features, in the order of the sentence scorer's weights
/// ([`super::learnt::SummaryModel::sentence_scorer`]).
pub const FEATURES: [&str; 27] = [
    "cos_article",
    "cos_article_gap",
    "closest_to_article",
    "cos_head",
    "cos_head_gap",
    "has_head",
    "first",
    "position",
    "first_in_paragraph",
    "first_paragraph",
    "chars",
    "over_budget",
    "numbers",
    "number_share",
    "quotation",
    "opens_with_quotation",
    "question",
    // How central the sentence is among the embedded ones (mean cosine to the others), and how
    // many of its character bigrams the article's other sentences share: a summary sentence
    // gathers what the article keeps coming back to.
    "centrality",
    "centrality_gap",
    "shared_bigrams",
    "shared_bigrams_per_sentence",
    // How much of the sentence is in the headline's words, and how much of the headline is in
    // the sentence (character bigrams), beside the vectors' similarity.
    "head_bigram_share",
    "head_bigram_recall",
    // A text shorter than two budgets (a post, a brief) gets one sentence; what makes that
    // sentence good differs from what makes a long article's lead: these let the model say so.
    "short",
    "short_first",
    "short_cos_article",
    "short_chars",
];

/// What the features of one article's sentences are computed from.
pub struct Context<'a> {
    /// The query vectors of the first sentences (those the model embeds).
    pub vectors: &'a [Vec<f32>],
    /// The article's vector ([`super::ranked::Embedded::document`]).
    pub document: Option<&'a [f32]>,
    /// The query vector of the headline, kicker and deck.
    pub headline: Option<&'a [f32]>,
    /// The headline, kicker and deck.
    pub heading: &'a str,
    /// The article's candidate sentences (at least as many as `vectors`).
    pub sentences: &'a [Sentence],
    /// The summary's budget in characters.
    pub max_chars: usize,
    /// Whether the text is short enough to get one sentence ([`super::wanted_sentences`]).
    pub short: bool,
}

/// For each embedded sentence: the mean, over its bigrams, of how many other candidate
/// sentences (of the first [`super::words::MAX_LEXICAL_SENTENCES`]) hold the bigram; and the
/// share of its bigrams in the heading and of the heading's bigrams in it.
fn lexical(ctx: &Context<'_>) -> Vec<[f32; 3]> {
    use std::collections::HashSet;
    let holders = holders(ctx.sentences);
    let embedded: Vec<Vec<Bigram>> = ctx.sentences.iter().take(ctx.vectors.len()).map(|s| bigrams(&s.text)).collect();
    let headline: HashSet<Bigram> = bigrams(ctx.heading).into_iter().collect();
    embedded
        .iter()
        .map(|own| {
            let n = own.len().max(1) as f32;
            let shared = own.iter().map(|b| holders.get(b).map_or(0, |h| h - 1) as f32).sum::<f32>() / n;
            let in_head = own.iter().filter(|b| headline.contains(b)).count() as f32 / n;
            let distinct: HashSet<_> = own.iter().collect();
            let recall = headline.iter().filter(|b| distinct.contains(b)).count() as f32 / headline.len().max(1) as f32;
            [shared, in_head, recall]
        })
        .collect()
}

/// The features of each embedded sentence of an article.
pub fn features(ctx: &Context<'_>) -> Vec<[f32; FEATURES.len()]> {
    let n = ctx.vectors.len();
    let cos_article: Vec<f32> = ctx.vectors.iter().map(|v| ctx.document.map_or(0.0, |d| dot(v, d))).collect();
    let cos_head: Vec<f32> = ctx.vectors.iter().map(|v| ctx.headline.map_or(0.0, |h| dot(v, h))).collect();
    let best = |xs: &[f32]| xs.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let (best_article, best_head) = (best(&cos_article), best(&cos_head));
    let centrality: Vec<f32> = (0..n)
        .map(|i| {
            let others = (0..n).filter(|&j| j != i).map(|j| dot(&ctx.vectors[i], &ctx.vectors[j]));
            if n > 1 {
                others.sum::<f32>() / (n - 1) as f32
            } else {
                0.0
            }
        })
        .collect();
    let best_centrality = best(&centrality);
    let lexical = lexical(ctx);
    let sentences = ctx.sentences.len().max(1) as f32;
    (0..n)
        .map(|i| {
            let s = &ctx.sentences[i];
            let first_in_paragraph = i == 0 || ctx.sentences[i - 1].paragraph != s.paragraph;
            let flag = |b: bool| if b { 1.0 } else { 0.0 };
            let digits = s.text.chars().filter(char::is_ascii_digit).count();
            let opening = s.text.trim_start();
            let short = flag(ctx.short);
            [
                cos_article[i],
                cos_article[i] - best_article,
                flag(cos_article[i] >= best_article),
                cos_head[i],
                if ctx.headline.is_some() { cos_head[i] - best_head } else { 0.0 },
                flag(ctx.headline.is_some()),
                flag(i == 0),
                1.0 / (1.0 + i as f32),
                flag(first_in_paragraph),
                flag(s.paragraph == ctx.sentences[0].paragraph),
                s.chars as f32 / 100.0,
                flag(s.chars > ctx.max_chars),
                flag(digits > 0),
                digits as f32 / s.chars.max(1) as f32,
                flag(s.text.contains(['“', '"', '「'])),
                flag(opening.starts_with(['“', '"', '「'])),
                flag(s.text.trim_end_matches(text::is_closing).ends_with(['？', '?'])),
                centrality[i],
                centrality[i] - best_centrality,
                lexical[i][0],
                lexical[i][0] / sentences,
                lexical[i][1],
                lexical[i][2],
                short,
                short * flag(i == 0),
                short * cos_article[i],
                short * s.chars as f32 / 100.0,
            ]
        })
        .collect()
}

/// Maximal-marginal-relevance order of sentences given their scores and (unit) vectors: each
/// next pick maximises `score − redundancy · max cos(sentence, picked)`.
pub fn mmr(scores: &[f32], vectors: &[Vec<f32>], redundancy: f32) -> Vec<usize> {
    let n = scores.len().min(vectors.len());
    let mut order = Vec::with_capacity(n);
    let mut closest = vec![0f32; n];
    let mut left: Vec<usize> = (0..n).collect();
    while !left.is_empty() {
        let value = |i: usize| scores[i] - redundancy * closest[i];
        let (k, &pick) = left
            .iter()
            .enumerate()
            .max_by(|(_, &a), (_, &b)| value(a).total_cmp(&value(b)).then(b.cmp(&a)))
            .expect("non-empty");
        left.swap_remove(k);
        order.push(pick);
        for &i in &left {
            closest[i] = closest[i].max(dot(&vectors[i], &vectors[pick]));
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_lead_and_redundancy_pushes_near_duplicates_back() {
        // Sentences 0 and 1 are near-duplicates; 0 scores best, 1 second, 2 third.
        let vectors = vec![unit(&[1.0, 0.1, 0.0]), unit(&[1.0, 0.12, 0.0]), unit(&[0.0, 0.0, 1.0])];
        let scores = [0.5, 0.45, 0.4];
        assert_eq!(mmr(&scores, &vectors, 0.0), [0, 1, 2]);
        assert_eq!(mmr(&scores, &vectors, 0.2), [0, 2, 1], "the duplicate falls behind");
        assert!(mmr(&[], &[], 0.2).is_empty());
    }

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn features_describe_place_length_and_similarity() {
        let sentence = |text: &str, paragraph| Sentence { text: text.into(), paragraph, chars: text.chars().count() };
        let sentences = [sentence("今年增长15%。", 0), sentence("“我们很高兴。”", 0), sentence("下一段吗？", 1)];
        let vectors = vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![0.6, 0.8]];
        let document = [1.0, 0.0];
        let ctx = Context {
            vectors: &vectors,
            document: Some(&document),
            headline: None,
            heading: "增长",
            sentences: &sentences,
            max_chars: 6,
            short: false,
        };
        let f = features(&ctx);
        assert_eq!(f.len(), 3);
        let at = |name: &str| FEATURES.iter().position(|n| *n == name).unwrap();
        assert_eq!((f[0][at("cos_article")], f[1][at("cos_article_gap")]), (1.0, -1.0));
        assert_eq!((f[0][at("first")], f[1][at("first")]), (1.0, 0.0));
        assert_eq!((f[1][at("first_in_paragraph")], f[2][at("first_in_paragraph")]), (0.0, 1.0));
        assert_eq!((f[0][at("numbers")], f[1][at("quotation")], f[2][at("question")]), (1.0, 1.0, 1.0));
        assert_eq!((f[0][at("closest_to_article")], f[1][at("closest_to_article")]), (1.0, 0.0));
        assert_eq!((f[1][at("opens_with_quotation")], f[0][at("number_share")]), (1.0, 2.0 / 8.0));
        assert!(f.iter().all(|f| f[at("short")] == 0.0 && f[at("short_cos_article")] == 0.0));
        assert_eq!((f[0][at("over_budget")], f[2][at("over_budget")]), (1.0, 0.0));
        assert_eq!(f[0][at("has_head")], 0.0);
        // Centrality: mean cosine to the other two; the third sentence is the most central.
        let close = |a: f32, b: f32| (a - b).abs() < 1e-6;
        assert!(close(f[0][at("centrality")], 0.3) && close(f[2][at("centrality")], 0.7), "{f:?}");
        assert!(close(f[0][at("centrality_gap")], -0.4) && f[2][at("centrality_gap")] == 0.0);
        // 今年增长15 has five bigrams, one of them the heading's only one (增长).
        assert!(close(f[0][at("head_bigram_share")], 0.2) && f[0][at("head_bigram_recall")] == 1.0);
        assert_eq!((f[1][at("head_bigram_share")], f[1][at("head_bigram_recall")]), (0.0, 0.0));
        assert_eq!(f[0][at("shared_bigrams")], 0.0, "no other sentence shares a bigram");
    }

    #[test]
    fn shared_bigrams_count_the_other_sentences_that_hold_them() {
        let sentence = |text: &str| Sentence { text: text.into(), paragraph: 0, chars: text.chars().count() };
        let sentences = [sentence("债券发行成功。"), sentence("债券规模五亿。"), sentence("债券发行顺利。")];
        let vectors = vec![vec![1.0, 0.0]; 3];
        let ctx = Context {
            vectors: &vectors,
            document: None,
            headline: None,
            heading: "",
            sentences: &sentences,
            max_chars: 80,
            short: false,
        };
        let f = features(&ctx);
        let at = |name: &str| FEATURES.iter().position(|n| *n == name).unwrap();
        // 债券 is in both others, 券发 and 发行 in one, 行成 and 成功 in none: 4 over 5 bigrams.
        assert!((f[0][at("shared_bigrams")] - 0.8).abs() < 1e-6, "{}", f[0][at("shared_bigrams")]);
        assert!((f[0][at("shared_bigrams_per_sentence")] - 0.8 / 3.0).abs() < 1e-6);
        assert_eq!(f[0][at("head_bigram_recall")], 0.0, "no heading, nothing recalled");
    }
}
