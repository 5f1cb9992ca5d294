//! The model method: rank an article's sentences with the encoder.
//!
//! Each candidate sentence is embedded as a query (`query: `), and the article's vector is the
//! mean of those vectors (their centroid, normalised): the sentence that lies closest to it is
//! the one that best says what the others say. A short text (a post, a brief) is embedded whole
//! as a passage (`passage: `) for its vector instead. The headline, kicker and deck are embedded
//! as a query too. Each sentence is then scored by a model learnt from hand-written summaries
//! ([`SummaryModel::score`]: its similarity to the article and to the headline, its place, length, figures
//! and quotation marks), and sentences are picked by maximal marginal relevance: each next
//! pick maximises `score - redundancy · max cos(s, picked)`.
//!
//! Only the first [`EmbedLimits::max_candidates`] sentences are embedded, and no more than
//! [`MAX_EMBEDDED_CHARS`] of them: in news the summary sentences sit near the top, and the caps
//! bound the encoder's work per article.
//!
//! A summary meant to be one sentence is then tightened to a run of clauses
//! ([`super::tighten`]).

use super::learnt::SummaryModel;
use super::scorer::{self, Context};
use super::{DEFAULT_MAX_CHARS, SHORT_TEXT_BUDGETS};
use crate::model::{Encoder, Intent, ModelError};
use crate::segment::Article;
use crate::sentences::{Sentence, MAX_SENTENCE_CHARS};
use crate::text;

/// How the model method embeds. (How it picks sentences beyond the first is the summary model's:
/// [`SummaryModel::redundancy`], [`SummaryModel::min_score`].)
///
/// The article's vector was once its first 8 candidates embedded together as a passage
/// (`passage: `), as e5 was trained to match queries with. That passage was 45% of the tokens
/// through the encoder, and the centroid of the queries serves as well. On the 739 validation
/// articles (each summary model refitted), 10 candidates and a passage of 8 scored ROUGE-L
/// 0.3396; 10 candidates and their centroid 0.3381; 12 and their centroid 0.3395, a paired 95%
/// interval of -0.4 to +0.4 points against the passage, with commentary told apart as well
/// (frame precision 0.94 → 0.93, recall 0.70 → 0.77); 14, 0.3393. Weighting the centroid by
/// sentence length or place scored lower (0.3377, 0.3336). With 12, an article costs 395 tokens
/// instead of 558, and `cargo bench --bench digest` went from 15.1 to 23.5 articles/s on one
/// machine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EmbedLimits {
    /// Sentences embedded per article as queries, from the top: what a summary is made of, and
    /// what the article's vector is the centroid of.
    pub max_candidates: usize,
    /// An article whose embedded candidates hold fewer characters than this (a post, a brief:
    /// what gets a one-sentence summary under the default budget) is embedded whole as a
    /// passage too, and that is its vector: the centroid of a few sentences is mostly each of
    /// them. With the centroid alone, LCSTS posts' summaries fell from ROUGE-L 0.2387 to 0.2219
    /// on the validation part; with the passage below 160, 240 or 320 characters, 0.2387, 0.2387
    /// and 0.2386, the newspaper articles' 0.3391, 0.3395 and 0.3391.
    pub passage_below_chars: usize,
}

impl Default for EmbedLimits {
    fn default() -> EmbedLimits {
        EmbedLimits { max_candidates: 12, passage_below_chars: SHORT_TEXT_BUDGETS * DEFAULT_MAX_CHARS }
    }
}

/// An article's candidates ranked by the model.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ranked {
    /// Indices into the candidates, best first.
    pub order: Vec<usize>,
    /// The article's vector ([`Embedded::document`]).
    pub document: Option<Vec<f32>>,
    /// The query vector of the headline, kicker and deck; `None` without a heading.
    pub headline: Option<Vec<f32>>,
    /// The query vector of each embedded candidate (the first `max_candidates`).
    pub vectors: Vec<Vec<f32>>,
    /// The scorer's score of each embedded candidate.
    pub scores: Vec<f32>,
    /// The headline, kicker and deck, as embedded.
    pub heading: String,
}

/// An article's embedded sentences: what the scorer's features are computed from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Embedded {
    /// The article's vector: the centroid of its candidates' ([`centroid`]), or for a short
    /// article its candidates embedded together as a passage
    /// ([`EmbedLimits::passage_below_chars`]); `None` without candidates.
    pub document: Option<Vec<f32>>,
    /// The query vector of the headline, kicker and deck; `None` without a heading.
    pub headline: Option<Vec<f32>>,
    /// The headline, kicker and deck ([`Article::heading`]); empty for an article without
    /// candidates.
    pub heading: String,
    /// The query vector of each of the first `max_candidates` candidates.
    pub vectors: Vec<Vec<f32>>,
}

/// The first candidates embedded hold at most this many characters (the first one always
/// goes in). A bound on the encoder's work per article, not a setting: the first 8 sentences
/// of the annotated People's Daily articles hold 333 characters at the median and 892 at most.
pub const MAX_EMBEDDED_CHARS: usize = 1024;

/// How many of `candidates`, from the top, are embedded: at most `max_candidates`, holding at
/// most [`MAX_EMBEDDED_CHARS`] between them, and at least one where there is one.
pub fn considered(candidates: &[Sentence], max_candidates: usize) -> usize {
    let mut chars = 0;
    let within = candidates.iter().take(max_candidates).take_while(|s| {
        chars += s.chars;
        chars <= MAX_EMBEDDED_CHARS
    });
    within.count().max(candidates.len().min(1))
}

/// Embeds, for each article, its first candidates ([`considered`]) and its heading as queries,
/// and takes the centroid of the candidates' vectors for the article's; a short article's
/// candidates are embedded together as a passage for it instead
/// ([`EmbedLimits::passage_below_chars`]). Three calls in all.
pub fn embed(
    encoder: &dyn Encoder,
    articles: &[&Article],
    candidates: &[Vec<Sentence>],
    limits: &EmbedLimits,
) -> Result<Vec<Embedded>, ModelError> {
    let considered: Vec<usize> = candidates.iter().map(|c| considered(c, limits.max_candidates)).collect();
    let texts: Vec<&str> =
        candidates.iter().zip(&considered).flat_map(|(c, &n)| c[..n].iter().map(|s| s.text.as_str())).collect();
    let vectors = encoder.embed(&texts, Intent::Query)?;
    // Articles without candidates have nothing to rank: their headline need not be embedded.
    let headings: Vec<String> = articles
        .iter()
        .zip(&considered)
        .map(|(a, &n)| if n > 0 { text::prefix(&a.heading(), MAX_SENTENCE_CHARS).to_owned() } else { String::new() })
        .collect();
    let headlines = embed_present(encoder, &headings, Intent::Query)?;
    // A short text is embedded whole as a passage too: the centroid of a few sentences is
    // mostly each of them.
    let passages: Vec<String> = candidates
        .iter()
        .zip(&considered)
        .map(|(c, &n)| {
            let chosen = &c[..n];
            if chosen.iter().map(|s| s.chars).sum::<usize>() < limits.passage_below_chars {
                chosen.iter().map(|s| s.text.as_str()).collect()
            } else {
                String::new()
            }
        })
        .collect();
    let passages = embed_present(encoder, &passages, Intent::Passage)?;
    let mut vectors = vectors.into_iter();
    Ok(considered
        .iter()
        .zip(headlines.into_iter().zip(headings).zip(passages))
        .map(|(&n, ((headline, heading), passage))| {
            let vectors: Vec<Vec<f32>> = vectors.by_ref().take(n).collect();
            Embedded { document: passage.or_else(|| centroid(&vectors)), headline, heading, vectors }
        })
        .collect())
}

/// The mean of `vectors`, scaled to unit length; `None` for no vectors, or ones that cancel out.
pub fn centroid(vectors: &[Vec<f32>]) -> Option<Vec<f32>> {
    let mut sum = vec![0.0f32; vectors.first()?.len()];
    for v in vectors {
        for (s, x) in sum.iter_mut().zip(v) {
            *s += x;
        }
    }
    let norm = crate::fit::dot(&sum, &sum).sqrt();
    (norm > f32::EPSILON).then(|| sum.iter().map(|s| s / norm).collect())
}

/// One ranking per article over its embedded candidates: the scorer's scores, then maximal
/// marginal relevance, without the sentences a summary should not take beyond its first
/// ([`SummaryModel::pick_order`]).
pub fn rankings(
    encoder: &dyn Encoder,
    articles: &[&Article],
    candidates: &[Vec<Sentence>],
    model: &SummaryModel,
    limits: &EmbedLimits,
    max_chars: usize,
) -> Result<Vec<Ranked>, ModelError> {
    let embedded = embed(encoder, articles, candidates, limits)?;
    Ok(embedded
        .into_iter()
        .zip(candidates)
        .map(|(e, c)| {
            let context = Context {
                vectors: &e.vectors,
                document: e.document.as_deref(),
                headline: e.headline.as_deref(),
                heading: &e.heading,
                sentences: c,
                max_chars,
                short: super::is_short(c, max_chars),
            };
            let scores: Vec<f32> = scorer::features(&context).iter().map(|f| model.score(f)).collect();
            let order = model.pick_order(&scores, &e.vectors);
            Ranked { order, document: e.document, headline: e.headline, vectors: e.vectors, scores, heading: e.heading }
        })
        .collect())
}

/// The vector of each non-empty text, embedded in one call; `None` for empty texts.
pub fn embed_present(
    encoder: &dyn Encoder,
    texts: &[String],
    intent: Intent,
) -> Result<Vec<Option<Vec<f32>>>, ModelError> {
    let present: Vec<&str> = texts.iter().map(String::as_str).filter(|t| !t.is_empty()).collect();
    let mut vectors = encoder.embed(&present, intent)?.into_iter();
    Ok(texts.iter().map(|t| if t.is_empty() { None } else { vectors.next() }).collect())
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::text::char_len;

    /// An encoder that keeps what it is given, and why.
    #[derive(Default)]
    struct Recording {
        seen: Mutex<Vec<(Intent, String)>>,
    }

    impl Encoder for Recording {
        fn id(&self) -> &str {
            "recording"
        }

        fn dim(&self) -> usize {
            2
        }

        fn embed(&self, texts: &[&str], intent: Intent) -> Result<Vec<Vec<f32>>, ModelError> {
            self.seen.lock().expect("lock").extend(texts.iter().map(|t| (intent, (*t).to_owned())));
            let v = match intent {
                Intent::Query => vec![0.6, 0.8],
                Intent::Passage => vec![0.8, 0.6],
            };
            Ok(texts.iter().map(|_| v.clone()).collect())
        }
    }

    #[test]
    fn a_longer_text_is_embedded_once_as_queries() {
        let texts: Vec<String> = (1..=14).map(|k| format!("第{k}句话说了一件事，它发生在一个寒冷的冬天。")).collect();
        let candidates: Vec<Sentence> =
            texts.iter().map(|t| Sentence { text: t.clone(), paragraph: 0, chars: char_len(t) }).collect();
        let article = crate::segment::single(&texts.concat(), Some("标题")).expect("an article");
        let encoder = Recording::default();
        let limits = EmbedLimits::default();
        let embedded = embed(&encoder, &[&article], &[candidates], &limits).expect("embedded").remove(0);
        assert_eq!(embedded.vectors.len(), limits.max_candidates);
        assert_eq!(embedded.document, centroid(&embedded.vectors));
        let seen = encoder.seen.lock().expect("lock");
        assert!(seen.iter().all(|(i, _)| *i == Intent::Query), "no passage is embedded");
        let queries: Vec<&String> = seen.iter().map(|(_, t)| t).collect();
        assert_eq!(queries.len(), limits.max_candidates + 1, "the candidates and the heading");
        assert!(
            queries.contains(&&texts[limits.max_candidates - 1]) && !queries.contains(&&texts[limits.max_candidates])
        );
    }

    #[test]
    fn a_short_text_is_embedded_whole_as_a_passage() {
        let texts = ["春节假期，全国铁路发送旅客1.2亿人次。", "同比增长8%。"];
        let candidates: Vec<Sentence> =
            texts.iter().map(|t| Sentence { text: (*t).to_owned(), paragraph: 0, chars: char_len(t) }).collect();
        let article = crate::segment::single(&texts.concat(), Some("标题")).expect("an article");
        let encoder = Recording::default();
        let limits = EmbedLimits::default();
        let embedded = embed(&encoder, &[&article], &[candidates], &limits).expect("embedded").remove(0);
        assert_eq!(embedded.vectors.len(), 2);
        let seen = encoder.seen.lock().expect("lock");
        let passages: Vec<&String> = seen.iter().filter(|(i, _)| *i == Intent::Passage).map(|(_, t)| t).collect();
        assert_eq!(passages, [&texts.concat()]);
        assert_eq!(embedded.document, Some(vec![0.8, 0.6]), "the passage's vector, not the centroid");
    }

    #[test]
    fn the_centroid_is_the_mean_direction() {
        let c = centroid(&[vec![1.0, 0.0], vec![0.0, 1.0]]).expect("a centroid");
        let half = std::f32::consts::FRAC_1_SQRT_2;
        assert!((c[0] - half).abs() < 1e-6 && (c[1] - half).abs() < 1e-6, "{c:?}");
        let one = centroid(&[vec![0.6, 0.8]]).expect("a centroid");
        assert!((one[0] - 0.6).abs() < 1e-6 && (one[1] - 0.8).abs() < 1e-6, "{one:?}");
        assert_eq!(centroid(&[]), None);
        assert_eq!(centroid(&[vec![1.0, 0.0], vec![-1.0, 0.0]]), None, "vectors that cancel out");
    }
}
