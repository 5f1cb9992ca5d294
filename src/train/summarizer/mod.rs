//! Fitting the [`SummaryModel`] to hand-written summaries: its sentence scorer, and the
//! commentary frame ([`commentary`]), the trimmer ([`trimmer`]), the compressor
//! ([`compressor`]) and the tightener ([`tightener`]).
//!
//! Texts with a reference summary come from JSON Lines rows (`{text, title?, summary}`, such as
//! LCSTS posts and their headlines) and from pages gold files whose articles carry a `summary`
//! (hand-summarised newspaper articles: their spans cut from the pages). Each text is read as
//! the summarizer reads it ([`crate::sentences::candidates`]); its first sentences are embedded as the model
//! method embeds them ([`ranked::embed`]), and each sentence becomes one training row: its
//! [`features`] and, as the target, the character ROUGE-L F1 of the sentence as a summary
//! would show it (cut to the budget) against the reference.

pub mod commentary;
pub mod compressor;
pub mod scorer;
pub mod tightener;
pub mod trimmer;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use self::commentary::CommentaryFit;
use self::compressor::CompressorFit;
use self::scorer::{Held, Selection};
use self::tightener::TightenerFit;
use self::trimmer::TrimmerFit;
use super::adapter::Salient;
use super::{read_source, Source, TrainError, Weights};
use crate::eval::rouge;
use crate::model::Encoder;
use crate::segment::{self, Article};
use crate::sentences::{candidates, Sentence};
use crate::summarize::commentary::CUES;
use crate::summarize::learnt::SummaryModel;
use crate::summarize::scorer::{features, Context, FEATURES};
use crate::summarize::{compose, cut_to_fit, is_short, ranked, Budget, Ranking, Summary};

/// One text with its reference summary.
pub struct SummarizedText {
    pub article: Article,
    pub reference: String,
    /// The file it came from (its name), for weights and reports.
    pub source: String,
    /// What kind of writing it is (`news`, `commentary`, …), where annotated.
    pub kind: Option<String>,
}

/// What a data file gave.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SummaryFileStats {
    #[serde(flatten)]
    pub source: Source,
    pub texts: usize,
    pub weight: f32,
    /// Articles left out for their page, which an evaluation set annotates (`--away-from`).
    #[serde(default, skip_serializing_if = "crate::train::is_zero")]
    pub away: usize,
}

/// Reads `{text, title?, summary}` rows (the first reference where a row has several).
pub fn read_rows(path: &Path, weight: f32) -> Result<(Vec<SummarizedText>, SummaryFileStats), TrainError> {
    let (_, source) = read_source(path)?;
    let mut stats = SummaryFileStats { source, texts: 0, weight, away: 0 };
    let rows = crate::annotated::read_rows(path)?;
    let mut out = Vec::new();
    for row in rows {
        let (Some(reference), Some(article)) =
            (row.summaries.first(), segment::single(&row.text, row.title.as_deref()))
        else {
            continue;
        };
        out.push(SummarizedText {
            article,
            reference: reference.clone(),
            source: stats.source.file.clone(),
            kind: row.kind.clone(),
        });
    }
    stats.texts = out.len();
    Ok((out, stats))
}

/// Reads the summarised articles of a pages gold file that are not on one of the pages `away`,
/// cut from the pages under `pages` and read as JSON Lines rows without a title are.
pub fn read_articles(
    path: &Path,
    pages: &Path,
    weight: f32,
    away: &HashSet<String>,
) -> Result<(Vec<SummarizedText>, SummaryFileStats), TrainError> {
    let (_, source) = read_source(path)?;
    let (out, apart) = summarised_off(path, pages, away, &source.file, |_| true)?;
    let stats = SummaryFileStats { source, texts: out.len(), weight, away: apart };
    Ok((out, stats))
}

/// The articles of a pages gold file that carry a summary, that `wanted` keeps and that are not
/// on one of the pages `away`, read as JSON Lines rows without a title are (`source` names the
/// file); and how many were left out for their page.
fn summarised_off(
    path: &Path,
    pages: &Path,
    away: &HashSet<String>,
    source: &str,
    wanted: impl Fn(&crate::annotated::GoldArticle) -> bool,
) -> Result<(Vec<SummarizedText>, usize), TrainError> {
    let (articles, apart) =
        crate::annotated::article_texts_off(path, pages, away, |a| !a.summaries.is_empty() && wanted(a))?;
    let read = articles.into_iter().filter_map(|(a, span)| {
        let article = segment::single(&span, None)?;
        let reference = a.summaries[0].clone();
        Some(SummarizedText { article, reference, source: source.to_owned(), kind: a.kind })
    });
    Ok((read.collect(), apart))
}

/// The training-part articles ([`crate::fit::split::part_of`] their id, as the head's trainer
/// splits them) of pages gold files `paths` that carry a summary and are not on one of the
/// pages `away`, as tuning's salience objective reads them: the candidates the summariser
/// embeds, each with its target ([`targets`], as [`score_examples`] computes it). An article
/// with fewer than two has nothing to rank and is left out.
pub fn salient(paths: &[PathBuf], pages: &Path, away: &HashSet<String>) -> Result<Vec<Salient>, TrainError> {
    use crate::fit::split::{part_of, Part};
    let limits = ranked::EmbedLimits::default();
    let max_chars = crate::summarize::DEFAULT_MAX_CHARS;
    let mut out = Vec::new();
    for path in paths {
        let (texts, _) = summarised_off(path, pages, away, "", |a| part_of(&a.id) == Part::Train)?;
        for text in texts {
            let sentences = candidates(&text.article);
            let sentences = &sentences[..ranked::considered(&sentences, limits.max_candidates)];
            if sentences.len() < 2 {
                continue;
            }
            out.push(Salient {
                targets: targets(sentences, &text.reference, max_chars),
                sentences: sentences.iter().map(|s| s.text.clone()).collect(),
            });
        }
    }
    Ok(out)
}

/// Each of `sentences`' target: the ROUGE-L F1 of the sentence as a summary would show it (cut
/// to `max_chars`) against `reference`.
fn targets(sentences: &[Sentence], reference: &str, max_chars: usize) -> Vec<f32> {
    let reference = rouge::char_tokens(reference);
    sentences.iter().map(|s| f1(&cut_to_fit(&s.text, max_chars), &reference)).collect()
}

/// One training row per embedded sentence: features, target and the row's weight.
pub type Row = ([f32; FEATURES.len()], f32, f32);

/// An example's sentences, their features and targets.
pub struct FeaturedText {
    pub sentences: Vec<Sentence>,
    pub features: Vec<[f32; FEATURES.len()]>,
    /// ROUGE-L F1 of each embedded sentence, as shown, against the reference.
    pub targets: Vec<f32>,
    /// The query vector of each embedded sentence.
    pub vectors: Vec<Vec<f32>>,
    /// The article's vector ([`ranked::Embedded::document`]) and the heading's query vector.
    pub document: Option<Vec<f32>>,
    pub headline: Option<Vec<f32>>,
    /// The headline, kicker and deck, as embedded.
    pub heading: String,
    pub reference: String,
    /// Whether the text is annotated as commentary; `None` where its kind is not annotated.
    pub commentary: Option<bool>,
    /// Whether the article is a dispatch or a reporter's (a dateline, a reporter's byline): it
    /// reports, and is never framed as commentary.
    pub reported: bool,
    /// What the article says of itself that tells commentary apart
    /// ([`crate::summarize::commentary::cues`]).
    pub cues: [f32; CUES.len()],
}

/// Embeds the examples (in chunks, so that memory stays flat) and computes each embedded
/// sentence's features and target.
pub fn score_examples(
    encoder: &dyn Encoder,
    examples: &[SummarizedText],
    limits: &ranked::EmbedLimits,
    max_chars: usize,
    progress: &dyn Fn(usize),
) -> Result<Vec<FeaturedText>, TrainError> {
    let mut out = Vec::with_capacity(examples.len());
    for chunk in examples.chunks(256) {
        let articles: Vec<&Article> = chunk.iter().map(|e| &e.article).collect();
        let sentences: Vec<Vec<Sentence>> = articles.iter().map(|a| candidates(a)).collect();
        let embedded = ranked::embed(encoder, &articles, &sentences, limits)?;
        for ((example, sentences), e) in chunk.iter().zip(sentences).zip(embedded) {
            let context = Context {
                vectors: &e.vectors,
                document: e.document.as_deref(),
                headline: e.headline.as_deref(),
                heading: &e.heading,
                sentences: &sentences,
                max_chars,
                short: is_short(&sentences, max_chars),
            };
            let features = features(&context);
            let targets = targets(&sentences[..features.len()], &example.reference, max_chars);
            out.push(FeaturedText {
                sentences,
                features,
                targets,
                vectors: e.vectors,
                document: e.document,
                headline: e.headline,
                heading: e.heading.clone(),
                reference: example.reference.clone(),
                commentary: example.kind.as_deref().map(|k| k == "commentary"),
                reported: example.article.dateline.is_some() || example.article.byline.is_reporters(),
                cues: crate::summarize::commentary::cues(&example.article),
            });
        }
        progress(chunk.len());
    }
    Ok(out)
}

/// Mean ROUGE-L F1 of the summaries the summary model makes of `scored` texts, as the model method
/// makes them (sentence openings trimmed, commentary framed, the budget filled in its pick
/// order, a sentence over the budget trimmed to its best clauses), without the tightening of one-sentence summaries, which needs the encoder.
pub fn summary_rouge(summary_model: &SummaryModel, scored: &[FeaturedText], budget: Budget) -> f64 {
    let total: f64 = scored
        .iter()
        .map(|s| {
            let summary = summarise(summary_model, s, budget);
            rouge::score_text(&summary.text, &s.reference).rouge_l.f1
        })
        .sum();
    total / scored.len().max(1) as f64
}

/// The summary the model method makes of a scored text with `summary_model`, untightened.
fn summarise(summary_model: &SummaryModel, s: &FeaturedText, budget: Budget) -> Summary {
    let scores: Vec<f32> = s.features.iter().map(|f| summary_model.score(f)).collect();
    let order = summary_model.pick_order(&scores, &s.vectors);
    let ranking = Ranking {
        order: &order,
        vectors: &s.vectors,
        scores: &scores,
        reported: s.reported,
        cues: s.cues,
        document: s.document.as_deref(),
        headline: s.headline.as_deref(),
        heading: &s.heading,
    };
    compose(summary_model, &s.sentences, &ranking, budget, true)
}

/// ROUGE-L F1 of `text` against a reference already split into characters
/// ([`rouge::char_tokens`]), as a training target.
fn f1(text: &str, reference: &[String]) -> f32 {
    rouge::score(&rouge::char_tokens(text), reference).rouge_l.f1 as f32
}

/// Training rows of one group (a text's sentences, a sentence's runs, a text's choices): each
/// target less the group's mean, the group's `weight` spread evenly over its rows, so that a
/// group counts the same whatever its number of rows.
fn centred<'a, F: 'a>(
    features: impl IntoIterator<Item = F, IntoIter: 'a>,
    targets: &'a [f32],
    weight: f32,
) -> impl Iterator<Item = (F, f32, f32)> + 'a {
    let n = targets.len().max(1) as f32;
    let (mean, each) = (targets.iter().sum::<f32>() / n, weight / n);
    features.into_iter().zip(targets).map(move |(f, &t)| (f, t - mean, each))
}

/// The texts the summariser is trained on and those that choose its settings, with what each
/// file gave and each training text's weight.
#[derive(Default)]
pub struct Data {
    pub examples: Vec<SummarizedText>,
    pub weights: Vec<f32>,
    pub files: Vec<SummaryFileStats>,
    pub held: Vec<SummarizedText>,
    pub held_files: Vec<SummaryFileStats>,
}

/// Reads the training texts of `data` (rows) and `articles` (pages gold files, their pages
/// under `pages`), weighed by `weights`, and the validation texts of `validation` (pages gold
/// files), leaving out the articles on the pages `away`: the validation texts choose the
/// settings and fit the commentary model, so they too are read off a test part's pages.
pub fn read(
    data: &[PathBuf],
    articles: &[PathBuf],
    validation: &[PathBuf],
    pages: &Path,
    weights: &Weights,
    away: &HashSet<String>,
) -> Result<Data, TrainError> {
    let mut out = Data::default();
    let weight_of = |path: &Path| weights.of(&super::file_name(path)) as f32;
    let add = |(examples, stats): (Vec<SummarizedText>, SummaryFileStats), out: &mut Data| {
        out.weights.extend(std::iter::repeat_n(stats.weight, examples.len()));
        out.examples.extend(examples);
        out.files.push(stats);
    };
    for path in data {
        add(read_rows(path, weight_of(path))?, &mut out);
    }
    for path in articles {
        add(read_articles(path, pages, weight_of(path), away)?, &mut out);
    }
    for path in validation {
        let (examples, stats) = read_articles(path, pages, 1.0, away)?;
        out.held.extend(examples);
        out.held_files.push(stats);
    }
    Ok(out)
}

/// The training and validation texts, scored ([`score_examples`]) with the model method's
/// settings and the default budget.
pub fn score(
    encoder: &dyn Encoder,
    data: &Data,
    progress: &dyn Fn(usize),
) -> Result<(Vec<FeaturedText>, Vec<FeaturedText>), TrainError> {
    let settings = ranked::EmbedLimits::default();
    let budget = crate::summarize::DEFAULT_MAX_CHARS;
    let scored = score_examples(encoder, &data.examples, &settings, budget, progress)?;
    let held = score_examples(encoder, &data.held, &settings, budget, progress)?;
    Ok((scored, held))
}

/// A summary model fitted by [`fit`], its manifest in [`SummaryModel::training`], and what fitting
/// found.
pub struct Trained {
    pub model: SummaryModel,
    pub validation_summaries: f64,
    pub commentary: Option<CommentaryFit>,
    pub trimmer: Option<TrimmerFit>,
    pub compressor: Option<CompressorFit>,
    pub tightener: Option<TightenerFit>,
    pub train: Held,
    pub validation: Held,
}

/// Fits the scorer on the `scored` training texts of `data` (ridge `ridge`), then the models it
/// carries, choosing its selection and the commentary threshold on the `held` validation texts;
/// `progress` counts the texts whose clause runs the tightener embeds. `None` where there are
/// no training rows (or all features are constant).
pub fn fit(
    encoder: &dyn Encoder,
    data: &Data,
    scored: &[FeaturedText],
    held: &[FeaturedText],
    ridge: f64,
    progress: &dyn Fn(usize),
) -> Result<Option<Trained>, TrainError> {
    let weights = &data.weights;
    let rows = scorer::rows(scored, weights);
    let Some(mut fitted) = scorer::fit(encoder, &rows, ridge) else {
        return Ok(None);
    };
    let budget = Budget::default();
    // The trimmer first: the selection and the commentary threshold are chosen on the summaries
    // as the model method makes them, trimmed.
    let mut trimmer = trimmer::fit_trimmer(&mut fitted, scored, weights, budget, ridge);
    let grid = if held.is_empty() { Vec::new() } else { scorer::choose_selection(&mut fitted, held, budget) };
    let commentary = commentary::fit_commentary(&mut fitted, scored, held);
    if let Some(trimmer) = &mut trimmer {
        trimmer::measure_trimmer(trimmer, &fitted, held, budget);
    }
    let mut compressor = compressor::fit_compressor(&mut fitted, scored, weights, budget);
    if let Some(compressor) = &mut compressor {
        compressor::measure_compressor(compressor, &fitted, held, budget);
    }
    let mut tightener = tightener::fit_tightener(&mut fitted, encoder, scored, weights, budget, ridge, progress)?;
    if let Some(tightener) = &mut tightener {
        tightener::measure_tightener(tightener, &fitted, encoder, held, budget, progress)?;
    }
    let train = scorer::held_out(&fitted, scored);
    let validation = scorer::held_out(&fitted, held);
    let validation_summaries = summary_rouge(&fitted, held, budget);
    let training = Training {
        budget_chars: crate::summarize::DEFAULT_MAX_CHARS,
        commentary: commentary.clone().map(|fit| CommentaryTraining {
            fit,
            model: "logistic regression on the article's and the headline's vectors, classes weighted to balance, \
                    the epoch chosen by the validation texts' macro-F1; and the bracketed column names that head \
                    only commentary among the annotated training texts, at least three of them",
            selection: format!(
                "the lowest threshold at which the validation texts framed (by it or by their column) are \
                 commentary at a precision of at least {} with a recall of at least {} (above 1: never framed)",
                commentary::FRAME_PRECISION,
                commentary::MIN_FRAME_RECALL
            ),
        }),
        compressor: compressor.clone().map(|fit| Fitted {
            fit,
            model: "pairwise logistic regression on the combinations of each text that fills the budget (one or two \
                    runs of up to four clauses of its embedded sentences, or those sentences whole, in article order): \
                    pairs of one text's combinations, each weighing the gap between their ROUGE-L F1 against the \
                    reference, the text's weight shared among its pairs; standardised features, Newton's method",
        }),
        data: &data.files,
        model: "weighted least squares, ridge on standardised features; each text's weight spread over its sentences",
        ridge,
        rows: rows.len(),
        selection: "redundancy and min_score chosen by the validation texts' summary ROUGE-L F1 (default budget, \
                    untightened); without validation texts, none and no floor",
        selection_grid: grid,
        sentences_per_text: ranked::EmbedLimits::default().max_candidates,
        target: "character ROUGE-L F1 of the sentence as a summary shows it (cut to the budget) against the \
                 reference, less the mean of its text's sentences",
        tightener: tightener.clone().map(|fit| Fitted {
            fit,
            model: "weighted least squares on the choices of each text meant to get one sentence (runs of up to three \
                    clauses of its embedded sentences, and those sentences whole), ridge on standardised features; \
                    target: the choice's ROUGE-L F1 against the reference, less the mean of its text's choices",
        }),
        train,
        trimmer: trimmer.clone().map(|fit| Fitted {
            fit,
            model: "weighted least squares on the runs of clauses of each over-long sentence, ridge on standardised \
                    features; target: the run's ROUGE-L F1 against the reference, less the mean of its sentence's runs",
        }),
        validation,
        validation_data: &data.held_files,
        validation_summary_rouge_l: validation_summaries,
    };
    fitted.training = serde_json::to_value(&training).map_err(|e| TrainError::Other(e.to_string()))?;
    Ok(Some(Trained {
        model: fitted,
        validation_summaries,
        commentary,
        trimmer,
        compressor,
        tightener,
        train,
        validation,
    }))
}

/// The `training` section of the summariser's manifest. It is written as a JSON value, whose
/// keys are sorted: the fields are declared in that order.
#[derive(Serialize)]
struct Training<'a> {
    budget_chars: usize,
    commentary: Option<CommentaryTraining>,
    compressor: Option<Fitted<CompressorFit>>,
    data: &'a [SummaryFileStats],
    model: &'static str,
    ridge: f64,
    rows: usize,
    selection: &'static str,
    selection_grid: Vec<Selection>,
    sentences_per_text: usize,
    target: &'static str,
    tightener: Option<Fitted<TightenerFit>>,
    train: Held,
    trimmer: Option<Fitted<TrimmerFit>>,
    validation: Held,
    validation_data: &'a [SummaryFileStats],
    validation_summary_rouge_l: f64,
}

/// How the commentary model was fitted and its threshold chosen.
#[derive(Serialize)]
struct CommentaryTraining {
    fit: CommentaryFit,
    model: &'static str,
    selection: String,
}

/// How one of the scorer's linear models was fitted.
#[derive(Serialize)]
struct Fitted<T> {
    fit: T,
    model: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_is_centred_on_its_mean_and_weighs_its_weight() {
        let rows: Vec<(char, f32, f32)> = centred(['a', 'b', 'c', 'd'], &[0.1, 0.3, 0.5, 0.3], 2.0).collect();
        assert_eq!(rows.iter().map(|r| r.0).collect::<String>(), "abcd");
        assert!(rows.iter().map(|r| r.1).sum::<f32>().abs() < 1e-6, "{rows:?}");
        assert!((rows[2].1 - 0.2).abs() < 1e-6 && (rows[0].1 + 0.2).abs() < 1e-6, "{rows:?}");
        assert!(rows.iter().all(|r| r.2 == 0.5), "{rows:?}");
        assert_eq!(centred(Vec::<char>::new(), &[], 1.0).count(), 0);
    }

    #[test]
    fn a_weight_must_name_a_data_file() {
        let files = [PathBuf::from("data/a.jsonl"), PathBuf::from("b.jsonl")];
        let weights = Weights::new([("a.jsonl".to_owned(), 8)], &files).expect("a.jsonl is given");
        assert_eq!((weights.of("a.jsonl"), weights.of("b.jsonl")), (8, 1));
        let wrong = Weights::new([("c.jsonl".to_owned(), 2)], &files).expect_err("no file is named c.jsonl");
        assert!(wrong.to_string().contains("no --data or --articles file is named c.jsonl"), "{wrong}");
    }
}
