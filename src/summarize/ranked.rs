//! The model method: rank an article's sentences with the encoder.
//!
//! Each candidate sentence is embedded as a query (`query: `), the text of the candidates
//! together as a passage (`passage: `): e5 was trained to find the passage a query is about, so
//! the sentence whose query vector lies closest to the article's passage vector is the one that
//! best says what the article is about. The headline, kicker and deck are embedded as a query
//! too. Each sentence is then scored by a model learnt from hand-written summaries
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
use crate::model::{Encoder, Intent, ModelError};
use crate::segment::Article;
use crate::sentences::{Sentence, MAX_SENTENCE_CHARS};
use crate::text;

/// How the model method embeds. (How it picks sentences beyond the first is the summary model's:
/// [`SummaryModel::redundancy`], [`SummaryModel::min_score`].)
///
/// The passage's 8 sentences were chosen with the learnt scorer on the hand-summarised newspaper
/// articles (5-fold cross-validation over the 961 training articles, then the 99 validation
/// ones): summaries' mean ROUGE-L 29.6 / 30.7 with 6 candidates, 30.3 / 31.0 with 8, 30.5 / 30.4
/// with 10. The first 8 sentences of those articles hold 357 characters on average, against 275
/// for 6 and 435 for 10. Since summaries are composed of clauses ([`super::compress`]), two more
/// sentences to compose from are worth 0.2 ROUGE-L on the 739 validation articles (each model
/// refitted: 0.3385 against 0.3365, a paired 95% interval of -0.2 to +0.5 points; 0.3389 with a
/// passage of 10 too), for 10% more tokens through the encoder, where a passage of 10 would add
/// 19% (`cargo bench --bench digest`: 506, 558 and 601 tokens per article).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EmbedLimits {
    /// Sentences embedded per article as queries, from the top: what a summary is made of.
    pub max_candidates: usize,
    /// How many of those (at most `max_candidates`) make up the article's passage: what the
    /// sentences are compared with.
    pub passage_candidates: usize,
}

impl Default for EmbedLimits {
    fn default() -> EmbedLimits {
        EmbedLimits { max_candidates: 10, passage_candidates: 8 }
    }
}

/// An article's candidates ranked by the model.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ranked {
    /// Indices into the candidates, best first.
    pub order: Vec<usize>,
    /// The passage vector of the article's first candidates ([`EmbedLimits::passage_candidates`]);
    /// `None` without candidates.
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
    /// The passage vector of the article's first candidates ([`EmbedLimits::passage_candidates`]);
    /// `None` without candidates.
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
fn considered(candidates: &[Sentence], max_candidates: usize) -> usize {
    let mut chars = 0;
    let within = candidates.iter().take(max_candidates).take_while(|s| {
        chars += s.chars;
        chars <= MAX_EMBEDDED_CHARS
    });
    within.count().max(candidates.len().min(1))
}

/// Embeds, for each article, its first candidates ([`considered`]) as queries, the first of
/// them ([`EmbedLimits::passage_candidates`]) together as a passage, and its heading as a
/// query, in three calls.
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
    // The passage is a prefix of what is considered: the same characters' cap, fewer sentences.
    let bodies: Vec<String> = candidates
        .iter()
        .zip(&considered)
        .map(|(c, &n)| c[..n.min(limits.passage_candidates)].iter().map(|s| s.text.as_str()).collect())
        .collect();
    let documents = embed_present(encoder, &bodies, Intent::Passage)?;
    // Articles without candidates have nothing to rank: their headline need not be embedded.
    let headings: Vec<String> = articles
        .iter()
        .zip(&considered)
        .map(|(a, &n)| if n > 0 { text::prefix(&a.heading(), MAX_SENTENCE_CHARS).to_owned() } else { String::new() })
        .collect();
    let headlines = embed_present(encoder, &headings, Intent::Query)?;
    let mut vectors = vectors.into_iter();
    Ok(considered
        .iter()
        .zip(documents.into_iter().zip(headlines).zip(headings))
        .map(|(&n, ((document, headline), heading))| Embedded {
            document,
            headline,
            heading,
            vectors: vectors.by_ref().take(n).collect(),
        })
        .collect())
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
            Ok(texts.iter().map(|_| vec![0.6, 0.8]).collect())
        }
    }

    #[test]
    fn more_sentences_are_offered_than_make_up_the_passage() {
        let texts: Vec<String> = (1..=12).map(|k| format!("第{k}句话说了一件事。")).collect();
        let candidates: Vec<Sentence> =
            texts.iter().map(|t| Sentence { text: t.clone(), paragraph: 0, chars: char_len(t) }).collect();
        let article = crate::segment::single(&texts.concat(), Some("标题")).expect("an article");
        let encoder = Recording::default();
        let limits = EmbedLimits::default();
        let embedded = embed(&encoder, &[&article], &[candidates], &limits).expect("embedded").remove(0);
        assert_eq!(embedded.vectors.len(), limits.max_candidates);
        assert!(limits.passage_candidates < limits.max_candidates);
        let seen = encoder.seen.lock().expect("lock");
        let passages: Vec<&String> = seen.iter().filter(|(i, _)| *i == Intent::Passage).map(|(_, t)| t).collect();
        assert_eq!(passages, [&texts[..limits.passage_candidates].concat()]);
        let queries: Vec<&String> = seen.iter().filter(|(i, _)| *i == Intent::Query).map(|(_, t)| t).collect();
        assert_eq!(queries.len(), limits.max_candidates + 1, "the candidates and the heading");
        assert!(
            queries.contains(&&texts[limits.max_candidates - 1]) && !queries.contains(&&texts[limits.max_candidates])
        );
    }
}
