//! The model method: rank an article's sentences with the encoder.
//!
//! Each candidate sentence is embedded as a query (`query: `), the text of the candidates
//! together as a passage (`passage: `): e5 was trained to find the passage a query is about, so
//! the sentence whose query vector lies closest to the article's passage vector is the one that
//! best says what the article is about. The headline, kicker and deck are embedded as a query
//! too. Each sentence is then scored by a model learnt from hand-written summaries
//! ([`Scorer`]: its similarity to the article and to the headline, its place, length, figures
//! and quotation marks), and sentences are picked by maximal marginal relevance: each next
//! pick maximises `score - redundancy · max cos(s, picked)`.
//!
//! Only the first [`Weights::max_candidates`] sentences are embedded, and no more than
//! [`MAX_EMBEDDED_CHARS`] of them: in news the summary sentences sit near the top, and the caps
//! bound the encoder's work per article.
//!
//! A summary meant to be one sentence (a short text's, or `--sentences 1`) is then tightened
//! ([`tighten`]): the runs of up to [`MAX_SPAN_CLAUSES`] clauses of that sentence (split at
//! `，；：`) are embedded as queries too, and the run (or the whole sentence) scoring best by
//!
//! ```text
//! cos(run, article) - clause_length · chars / 100
//! ```
//!
//! stands in for it. A long first sentence often opens with circumstance (`据……报道`, `日前`,
//! `在……会议上`) and ends with detail; the clauses in between say what happened.

use super::clauses::{self, Run};
use super::scorer::{self, Context, Scorer};
use super::{wanted_sentences, Budget, Sentence, Summary, MAX_SENTENCE_CHARS};
use crate::model::{Encoder, Intent, ModelError};
use crate::segment::Article;
use crate::text::{self, char_len};

/// How the model method embeds and tightens. (How it picks sentences beyond the first is the
/// scorer's: [`Scorer::redundancy`], [`Scorer::min_score`].)
///
/// The cap of 8 candidates was chosen with the learnt scorer on the hand-summarised newspaper
/// articles (5-fold cross-validation over the 961 training articles, then the 99 validation
/// ones): summaries' mean ROUGE-L 29.6 / 30.7 with 6 candidates, 30.3 / 31.0 with 8, 30.5 / 30.4
/// with 10. The first 8 sentences of those articles hold 357 characters on average, against 275
/// for 6 and 435 for 10, each embedded twice (as queries and as the passage).
/// The clause-length penalty of [`tighten`] was chosen on the LCSTS PART II
/// validation rows and the February 2019 People's Daily pages (headline as reference): mean
/// ROUGE-L 20.11 untightened, 20.81 at 0.05, 21.60 at 0.10, 22.02 at 0.15, 21.98 at 0.20, 21.47
/// at 0.30.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Sentences embedded per article, from the top.
    pub max_candidates: usize,
    /// Penalty per 100 characters when a one-sentence summary is tightened to its clauses.
    pub clause_length: f32,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights { max_candidates: 8, clause_length: 0.15 }
    }
}

/// An article's candidates ranked by the model.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ranked {
    /// Indices into the candidates, best first.
    pub order: Vec<usize>,
    /// The passage vector of the article's first candidates; `None` without candidates.
    pub document: Option<Vec<f32>>,
    /// The query vector of the headline, kicker and deck; `None` without a heading.
    pub head: Option<Vec<f32>>,
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
    /// The passage vector of the article's first candidates; `None` without candidates.
    pub document: Option<Vec<f32>>,
    /// The query vector of the headline, kicker and deck; `None` without a heading.
    pub head: Option<Vec<f32>>,
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

/// Embeds, for each article, its first candidates ([`considered`]) as queries, those
/// candidates together as a passage, and its heading as a query, in three calls.
pub fn embed(
    encoder: &dyn Encoder,
    articles: &[&Article],
    candidates: &[Vec<Sentence>],
    max_candidates: usize,
) -> Result<Vec<Embedded>, ModelError> {
    let considered: Vec<usize> = candidates.iter().map(|c| considered(c, max_candidates)).collect();
    let texts: Vec<&str> =
        candidates.iter().zip(&considered).flat_map(|(c, &n)| c[..n].iter().map(|s| s.text.as_str())).collect();
    let vectors = encoder.embed(&texts, Intent::Query)?;
    let bodies: Vec<String> =
        candidates.iter().zip(&considered).map(|(c, &n)| c[..n].iter().map(|s| s.text.as_str()).collect()).collect();
    let documents = embed_present(encoder, &bodies, Intent::Passage)?;
    // Articles without candidates have nothing to rank: their headline need not be embedded.
    let headings: Vec<String> = articles
        .iter()
        .zip(&considered)
        .map(|(a, &n)| if n > 0 { text::prefix(&a.heading(), MAX_SENTENCE_CHARS).to_owned() } else { String::new() })
        .collect();
    let heads = embed_present(encoder, &headings, Intent::Query)?;
    let mut vectors = vectors.into_iter();
    Ok(considered
        .iter()
        .zip(documents.into_iter().zip(heads).zip(headings))
        .map(|(&n, ((document, head), heading))| Embedded {
            document,
            head,
            heading,
            vectors: vectors.by_ref().take(n).collect(),
        })
        .collect())
}

/// One ranking per article over its embedded candidates: the scorer's scores, then maximal
/// marginal relevance, without the sentences a summary should not take beyond its first
/// ([`Scorer::pick_order`]).
pub fn rankings(
    encoder: &dyn Encoder,
    articles: &[&Article],
    candidates: &[Vec<Sentence>],
    scorer: &Scorer,
    weights: &Weights,
    max_chars: usize,
) -> Result<Vec<Ranked>, ModelError> {
    let embedded = embed(encoder, articles, candidates, weights.max_candidates)?;
    Ok(embedded
        .into_iter()
        .zip(candidates)
        .map(|(e, c)| {
            let context = Context {
                vectors: &e.vectors,
                document: e.document.as_deref(),
                head: e.head.as_deref(),
                heading: &e.heading,
                sentences: c,
                max_chars,
                short: super::is_short(c, max_chars),
            };
            let scores: Vec<f32> = scorer::features(&context).iter().map(|f| scorer.score(f)).collect();
            let order = scorer.pick_order(&scores, &e.vectors);
            Ranked { order, document: e.document, head: e.head, vectors: e.vectors, scores, heading: e.heading }
        })
        .collect())
}

/// Runs of at most this many clauses are tried when a one-sentence summary is tightened.
/// Tuning sets (see [`Weights`]): 3 and unlimited runs scored the same, with fewer texts to
/// embed.
pub const MAX_SPAN_CLAUSES: usize = 3;

/// At most this many runs are embedded when a sentence is tightened, the first clauses' first:
/// a newspaper sentence of ten clauses has 27.
pub const MAX_SPANS: usize = 48;

/// A run of clauses shorter than this many characters says too little to stand alone.
const MIN_SPAN_CHARS: usize = 6;

/// The runs of up to [`MAX_SPAN_CLAUSES`] clauses of `sentence` that fit in `max_chars`
/// (their `……` counted), the whole sentence excluded; at most [`MAX_SPANS`] of them.
pub fn spans(sentence: &str, max_chars: usize) -> Vec<Run> {
    clauses::runs(sentence, max_chars, MIN_SPAN_CHARS, MAX_SPAN_CLAUSES)
        .into_iter()
        .filter(|r| !(r.first == 0 && r.end == r.of))
        .take(MAX_SPANS)
        .collect()
}

/// Tightens each summary meant to be one sentence (a short text's, or one asked for with
/// `--sentences 1`) to the run of its sentence's clauses (or the whole sentence) that best says
/// what the article is about, less a length penalty.
/// A summary already cut to fit an over-long sentence keeps within the length it was cut to,
/// and a text's only sentence is never given back whole.
pub fn tighten(
    encoder: &dyn Encoder,
    summaries: &mut [Summary],
    candidates: &[Vec<Sentence>],
    ranked: &[Ranked],
    budget: Budget,
    weights: &Weights,
) -> Result<(), ModelError> {
    struct Job {
        summary: usize,
        spans: Vec<Run>,
        /// The whole sentence's own score, where it may stay whole.
        whole: Option<f32>,
    }
    let mut jobs = Vec::new();
    for (i, summary) in summaries.iter().enumerate() {
        let (&[s], Some(document)) = (summary.sentences.as_slice(), ranked[i].document.as_deref()) else {
            continue;
        };
        // A long article whose best sentence happens to fill the budget keeps its sentence: it
        // was meant to get the budget's worth.
        if wanted_sentences(&candidates[i], budget) != 1 {
            continue;
        }
        let sentence = &candidates[i][s];
        // A text's only sentence may give way to any shorter run of its clauses (`spans` never
        // yields the whole), not only to the first ones `fill` cut it to; it never stays whole.
        let only = candidates[i].len() == 1;
        let clipped = summary.text != sentence.text;
        let limit = if clipped && !only { char_len(&summary.text) } else { budget.max_chars };
        let spans = spans(&sentence.text, limit);
        if spans.is_empty() {
            continue;
        }
        let whole = match (only || clipped, ranked[i].vectors.get(s)) {
            (true, _) => None,
            (false, Some(v)) => Some(dot(v, document) - weights.clause_length * sentence.chars as f32 / 100.0),
            // Not embedded (beyond the candidates ranked by the model): left as it is.
            (false, None) => continue,
        };
        jobs.push(Job { summary: i, spans, whole });
    }
    let texts: Vec<&str> = jobs.iter().flat_map(|j| j.spans.iter().map(|s| s.text.trim_end_matches('…'))).collect();
    let mut vectors = encoder.embed(&texts, Intent::Query)?.into_iter();
    for job in jobs {
        let Some(document) = ranked[job.summary].document.as_deref() else { continue };
        let mut best: (f32, Option<&Run>) = (job.whole.unwrap_or(f32::NEG_INFINITY), None);
        for span in &job.spans {
            let Some(v) = vectors.next() else { break };
            let score = dot(&v, document) - weights.clause_length * span.chars as f32 / 100.0;
            if score > best.0 {
                best = (score, Some(span));
            }
        }
        if let (_, Some(span)) = best {
            summaries[job.summary].text = span.text.clone();
        }
    }
    Ok(())
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

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summarize::{fill, Budget};

    /// An encoder for tests: a text's vector is its normalised character counts.
    struct CharCounts;

    impl Encoder for CharCounts {
        fn id(&self) -> &str {
            "char-counts"
        }

        fn dim(&self) -> usize {
            97
        }

        fn embed(&self, texts: &[&str], _: Intent) -> Result<Vec<Vec<f32>>, ModelError> {
            Ok(texts
                .iter()
                .map(|t| {
                    let mut v = vec![0f32; 97];
                    t.chars().filter(|c| text::is_han(*c)).for_each(|c| v[c as usize % 97] += 1.0);
                    unit(&v)
                })
                .collect())
        }
    }

    fn sentence(text: &str) -> Sentence {
        Sentence { text: text.to_owned(), paragraph: 0, chars: char_len(text) }
    }

    #[test]
    fn spans_are_runs_of_clauses_that_fit() {
        let s = "据新华社报道，昨天下午，市政府召开常务会议，部署冬季供暖工作。";
        let runs: Vec<String> = spans(s, 80).into_iter().map(|s| s.text).collect();
        // Runs of one to three clauses; `……` where the sentence goes on; the whole sentence
        // and runs under six characters (`昨天下午`) are not offered.
        assert!(runs.contains(&"市政府召开常务会议，部署冬季供暖工作。".to_owned()), "{runs:?}");
        assert!(runs.contains(&"据新华社报道，昨天下午，市政府召开常务会议……".to_owned()), "{runs:?}");
        assert!(!runs.iter().any(|t| t == s || t.starts_with("昨天下午……")), "{runs:?}");
        assert!(!runs.contains(&"据新华社报道，昨天下午，市政府召开常务会议，部署冬季供暖工作。".to_owned()));
        // The budget counts the `……`.
        assert!(spans(s, 11).iter().all(|s| char_len(&s.text) <= 11));
        assert!(spans("没有分句的一句话。", 80).is_empty());
    }

    #[test]
    fn a_one_sentence_summary_is_tightened_to_what_the_article_is_about() {
        let enc = CharCounts;
        let candidates = vec![vec![
            sentence("据新华社报道，昨天下午，市政府召开常务会议部署冬季供暖工作，会议由市长主持。"),
            sentence("有关部门负责人列席会议。"),
            sentence("会议还研究了其他事项。"),
        ]];
        let about = enc.embed(&["市政府召开常务会议部署冬季供暖工作供暖"], Intent::Passage).unwrap().remove(0);
        let texts: Vec<&str> = candidates[0].iter().map(|s| s.text.as_str()).collect();
        let vectors = enc.embed(&texts, Intent::Query).unwrap();
        let ranked = vec![Ranked {
            order: vec![0, 1, 2],
            document: Some(about),
            head: None,
            vectors,
            scores: vec![],
            heading: String::new(),
        }];
        let budget = Budget { max_chars: 80, sentences: Some(1) };
        let mut summaries = vec![fill(&candidates[0], &ranked[0].order, budget)];
        tighten(&enc, &mut summaries, &candidates, &ranked, budget, &Weights::default()).unwrap();
        assert_eq!(summaries[0].text, "市政府召开常务会议部署冬季供暖工作……");
        assert_eq!(summaries[0].sentences, [0]);
        // Two sentences are left as they are.
        let two = Budget { max_chars: 80, sentences: Some(2) };
        let mut summaries = vec![fill(&candidates[0], &ranked[0].order, two)];
        let before = summaries.clone();
        tighten(&enc, &mut summaries, &candidates, &ranked, two, &Weights::default()).unwrap();
        assert_eq!(summaries, before);
        // A summary cut to fit stays within the length it was cut to.
        let tight = Budget { max_chars: 14, sentences: Some(1) };
        let mut summaries = vec![fill(&candidates[0], &ranked[0].order, tight)];
        let cut = char_len(&summaries[0].text);
        tighten(&enc, &mut summaries, &candidates, &ranked, tight, &Weights::default()).unwrap();
        assert!(char_len(&summaries[0].text) <= cut, "{}", summaries[0].text);
    }

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }
}
