//! Fitting the sentence [`Scorer`] to hand-written summaries.
//!
//! Texts with a reference summary come from JSON Lines rows (`{text, title?, summary}`, such as
//! LCSTS posts and their headlines) and from pages gold files whose articles carry a `summary`
//! (hand-summarised newspaper articles: their spans cut from the pages). Each text is read as
//! the summarizer reads it ([`crate::sentences::candidates`]); its first sentences are embedded as the model
//! method embeds them ([`ranked::embed`]), and each sentence becomes one training row: its
//! [`features`] and, as the target, the character ROUGE-L F1 of the sentence as a summary
//! would show it (cut to the budget) against the reference.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::clauses::{self, RUN_FEATURES};
use super::commentary::{self, Commentary};
use super::compress;
use super::scorer::{features, Context, Scorer, FEATURES};
use super::tighten::{self, Choice, TIGHT_FEATURES};
use super::{clip, compose, is_short, ranked, trimmed, Budget, Ranking};
use crate::eval::rouge;
use crate::fit::ridge::Linear;
use crate::model::{Encoder, Intent, ModelError};
use crate::segment::{self, Article};
use crate::sentences::{candidates, Sentence};

/// One text with its reference summary.
pub struct Example {
    pub article: Article,
    pub reference: String,
    /// The file it came from (its name), for weights and reports.
    pub source: String,
    /// What kind of writing it is (`news`, `commentary`, …), where annotated.
    pub kind: Option<String>,
}

/// What a data file gave.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileStats {
    pub file: String,
    pub sha256: String,
    pub texts: usize,
    pub weight: f32,
}

fn file_stats(path: &Path, bytes: &[u8], weight: f32) -> FileStats {
    FileStats { file: file_name(path), sha256: format!("{:x}", Sha256::digest(bytes)), texts: 0, weight }
}

pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("{0}")]
    Model(#[from] ModelError),
}

fn bad(path: &Path, message: impl Into<String>) -> TrainError {
    TrainError::File { path: path.to_owned(), message: message.into() }
}

/// Reads `{text, title?, summary}` rows (the first reference where a row has several).
pub fn read_rows(path: &Path, weight: f32) -> Result<(Vec<Example>, FileStats), TrainError> {
    let bytes = std::fs::read(path).map_err(|e| bad(path, e.to_string()))?;
    let mut stats = file_stats(path, &bytes, weight);
    let rows = crate::eval::gold::read_rows(path).map_err(|e| bad(path, e.to_string()))?;
    let mut out = Vec::new();
    for row in rows {
        let (Some(reference), Some(article)) =
            (row.summaries.first(), segment::single(&row.text, row.title.as_deref()))
        else {
            continue;
        };
        out.push(Example { article, reference: reference.clone(), source: stats.file.clone(), kind: row.kind.clone() });
    }
    stats.texts = out.len();
    Ok((out, stats))
}

/// Reads the summarised articles of a pages gold file, cut from the pages under `pages` and
/// read as JSON Lines rows without a title are.
pub fn read_articles(path: &Path, pages: &Path, weight: f32) -> Result<(Vec<Example>, FileStats), TrainError> {
    let bytes = std::fs::read(path).map_err(|e| bad(path, e.to_string()))?;
    let mut stats = file_stats(path, &bytes, weight);
    let articles = crate::eval::gold::article_texts(path, pages, |a| !a.summaries.is_empty())
        .map_err(|e| bad(path, e.to_string()))?;
    let mut out = Vec::new();
    for (a, span) in articles {
        if let Some(article) = segment::single(&span, None) {
            let reference = a.summaries[0].clone();
            out.push(Example { article, reference, source: stats.file.clone(), kind: a.kind.clone() });
        }
    }
    stats.texts = out.len();
    Ok((out, stats))
}

/// One training row per embedded sentence: features, target and the row's weight.
pub type Row = ([f32; FEATURES.len()], f32, f32);

/// An example's sentences, their features and targets.
pub struct Scored {
    pub sentences: Vec<Sentence>,
    pub features: Vec<[f32; FEATURES.len()]>,
    /// ROUGE-L F1 of each embedded sentence, as shown, against the reference.
    pub targets: Vec<f32>,
    /// The query vector of each embedded sentence.
    pub vectors: Vec<Vec<f32>>,
    /// The passage vector of the embedded sentences and the heading's query vector.
    pub document: Option<Vec<f32>>,
    pub head: Option<Vec<f32>>,
    /// The headline, kicker and deck, as embedded.
    pub heading: String,
    pub reference: String,
    /// Whether the text is annotated as commentary; `None` where its kind is not annotated.
    pub commentary: Option<bool>,
    /// Whether the article is a dispatch or a reporter's (a dateline, a reporter's byline): it
    /// reports, and is never framed as commentary.
    pub reported: bool,
    /// What the article says of itself that tells commentary apart ([`commentary::cues`]).
    pub cues: [f32; commentary::CUES.len()],
}

/// Embeds the examples (in chunks, so that memory stays flat) and computes each embedded
/// sentence's features and target.
pub fn score_examples(
    encoder: &dyn Encoder,
    examples: &[Example],
    weights: &ranked::Weights,
    max_chars: usize,
    progress: &dyn Fn(usize),
) -> Result<Vec<Scored>, TrainError> {
    let mut out = Vec::with_capacity(examples.len());
    for chunk in examples.chunks(256) {
        let articles: Vec<&Article> = chunk.iter().map(|e| &e.article).collect();
        let sentences: Vec<Vec<Sentence>> = articles.iter().map(|a| candidates(a)).collect();
        let embedded = ranked::embed(encoder, &articles, &sentences, weights.max_candidates)?;
        for ((example, sentences), e) in chunk.iter().zip(sentences).zip(embedded) {
            let context = Context {
                vectors: &e.vectors,
                document: e.document.as_deref(),
                head: e.head.as_deref(),
                heading: &e.heading,
                sentences: &sentences,
                max_chars,
                short: super::is_short(&sentences, max_chars),
            };
            let features = features(&context);
            let reference = rouge::char_tokens(&example.reference);
            let targets = sentences[..features.len()]
                .iter()
                .map(|s| rouge::score(&rouge::char_tokens(&clip(&s.text, max_chars)), &reference).rouge_l.f1 as f32)
                .collect();
            out.push(Scored {
                sentences,
                features,
                targets,
                vectors: e.vectors,
                document: e.document,
                head: e.head,
                heading: e.heading.clone(),
                reference: example.reference.clone(),
                commentary: example.kind.as_deref().map(|k| k == "commentary"),
                reported: example.article.dateline.is_some() || example.article.byline.is_reporters(),
                cues: commentary::cues(&example.article),
            });
        }
        progress(chunk.len());
    }
    Ok(out)
}

/// Mean target of the sentence each scorer puts first, over texts with at least one embedded
/// sentence: the ROUGE-L F1 of a one-sentence summary by the scorer, by the first sentence
/// (lead) and by the best sentence (oracle).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Held {
    pub texts: usize,
    pub scorer: f64,
    pub lead: f64,
    pub oracle: f64,
}

pub fn held_out(scorer: &Scorer, scored: &[Scored]) -> Held {
    let mut held = Held::default();
    for s in scored.iter().filter(|s| !s.targets.is_empty()) {
        let scores: Vec<f32> = s.features.iter().map(|f| scorer.score(f)).collect();
        let best = (0..scores.len()).max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a))).unwrap_or(0);
        held.texts += 1;
        held.scorer += f64::from(s.targets[best]);
        held.lead += f64::from(s.targets[0]);
        held.oracle += f64::from(s.targets.iter().copied().fold(0.0, f32::max));
    }
    let n = held.texts.max(1) as f64;
    Held { scorer: held.scorer / n, lead: held.lead / n, oracle: held.oracle / n, ..held }
}

/// Training rows of scored examples, each weighted by its file's weight spread over its
/// sentences, so that a text counts the same whatever its number of sentences. Targets are
/// taken relative to the mean of their text's sentences: the scorer is to tell which sentence
/// of a text to take, not which texts summarise well (on the validation articles, centred and
/// raw targets gave summaries within 0.5 ROUGE-L of each other at the chosen weights).
pub fn rows(scored: &[Scored], weights: &[f32]) -> Vec<Row> {
    scored
        .iter()
        .zip(weights)
        .flat_map(|(s, &w)| {
            let each = w / s.targets.len().max(1) as f32;
            let mean = s.targets.iter().sum::<f32>() / s.targets.len().max(1) as f32;
            s.features.iter().zip(&s.targets).map(move |(f, &t)| (*f, t - mean, each))
        })
        .collect()
}

/// Fits a scorer for `encoder` on `rows` (no redundancy penalty, no floor: see
/// [`choose_selection`]).
pub fn fit(encoder: &dyn Encoder, rows: &[Row], ridge: f64) -> Option<Scorer> {
    Some(Scorer {
        encoder: encoder.id().to_owned(),
        model: Linear::fit(&FEATURES, rows, ridge)?,
        redundancy: 0.0,
        min_score: f32::MIN,
        commentary: None,
        trimmer: None,
        tightener: None,
        compressor: None,
        training: serde_json::Value::Null,
    })
}

/// Mean ROUGE-L F1 of the summaries the scorer makes of `scored` texts, as the model method
/// makes them (sentence openings trimmed, commentary framed, the budget filled in its pick
/// order, a sentence over the budget trimmed to its best clauses), without the tightening of one-sentence summaries, which needs the encoder.
pub fn summary_rouge(scorer: &Scorer, scored: &[Scored], budget: Budget) -> f64 {
    let total: f64 = scored
        .iter()
        .map(|s| {
            let summary = summarise(scorer, s, budget);
            rouge::score(&rouge::char_tokens(&summary.text), &rouge::char_tokens(&s.reference)).rouge_l.f1
        })
        .sum();
    total / scored.len().max(1) as f64
}

/// The summary the model method makes of a scored text with `scorer`, untightened.
fn summarise(scorer: &Scorer, s: &Scored, budget: Budget) -> super::Summary {
    let scores: Vec<f32> = s.features.iter().map(|f| scorer.score(f)).collect();
    let order = scorer.pick_order(&scores, &s.vectors);
    let ranking = Ranking {
        order: &order,
        vectors: &s.vectors,
        scores: &scores,
        reported: s.reported,
        cues: s.cues,
        document: s.document.as_deref(),
        head: s.head.as_deref(),
        heading: &s.heading,
    };
    compose(scorer, &trimmed(&s.sentences), &ranking, budget, true)
}

/// One setting of the selection grid and its score.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Selection {
    pub redundancy: f32,
    pub min_score: f32,
    pub rouge_l: f64,
}

/// Chooses the scorer's redundancy penalty and floor ([`Scorer::redundancy`],
/// [`Scorer::min_score`]) by the summaries' mean ROUGE-L F1 on `held` texts; returns the grid.
pub fn choose_selection(scorer: &mut Scorer, held: &[Scored], budget: Budget) -> Vec<Selection> {
    let mut grid = Vec::new();
    for redundancy in [0.0, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0] {
        for min_score in [f32::MIN, -0.1, -0.05, 0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35] {
            let candidate = Scorer { redundancy, min_score, ..scorer.clone() };
            grid.push(Selection { redundancy, min_score, rouge_l: summary_rouge(&candidate, held, budget) });
        }
    }
    if let Some(best) = grid.iter().max_by(|a, b| a.rouge_l.total_cmp(&b.rouge_l)) {
        (scorer.redundancy, scorer.min_score) = (best.redundancy, best.min_score);
    }
    grid
}

/// How the commentary model was fitted and how it does on the validation texts.
#[derive(Debug, Clone, Serialize)]
pub struct CommentaryFit {
    /// Annotated texts it was fitted on, and how many of them are commentary.
    pub texts: usize,
    pub commentary: usize,
    /// On the validation texts at the chosen threshold: precision and recall of commentary.
    pub validation_texts: usize,
    pub precision: f64,
    pub recall: f64,
    /// Each threshold tried, with the validation texts' precision and recall at it.
    pub thresholds: Vec<(f32, f64, f64)>,
}

/// The texts of `scored` that the commentary model reads (annotated with a kind, with a
/// passage vector, not a dispatch or a reporter's, which are never framed), with their passage vectors
/// and whether each is commentary.
fn annotated(scored: &[Scored]) -> Vec<(&Scored, &[f32], bool)> {
    scored.iter().filter(|s| !s.reported).filter_map(|s| Some((s, s.document.as_deref()?, s.commentary?))).collect()
}

/// Share of the validation texts framed as commentary that must be commentary. A summary that
/// calls a news report an opinion is wrong, and a reader notices: the frame is kept for
/// articles the model is sure of. The target is 0.90 on articles never seen; 0.93 on the
/// validation texts leaves about the half-width of the validation precision's interval (~150
/// framed texts) as margin.
pub const FRAME_PRECISION: f64 = 0.93;

/// Below this share of the validation commentaries framed, the frame is left out altogether.
pub const MIN_FRAME_RECALL: f64 = 0.6;

/// The thresholds tried, in steps of 0.01 from 0.5; over 1, nothing is framed.
fn frame_thresholds() -> impl Iterator<Item = f32> {
    (50..100).map(|t| t as f32 / 100.0).chain([1.1])
}

/// Fits the scorer's commentary model on the annotated texts of `scored`, stopping by those of
/// `held`, and chooses its threshold on `held`: the lowest at which at least
/// [`FRAME_PRECISION`] of the texts it frames are commentary, where that frames at least
/// [`MIN_FRAME_RECALL`] of the commentaries; else a threshold over 1, which frames nothing.
/// `None` where either part has no annotated text of each kind, or the regression cannot be
/// fitted (then the scorer frames nothing, as one fitted without kinds).
pub fn fit_commentary(scorer: &mut Scorer, scored: &[Scored], held: &[Scored]) -> Option<CommentaryFit> {
    let (train, val) = (annotated(scored), annotated(held));
    let inputs = |part: &[(&Scored, &[f32], bool)]| -> (Vec<Vec<f32>>, Vec<bool>) {
        part.iter().map(|(s, document, flag)| (commentary::input(document, s.head.as_deref(), &s.cues), *flag)).unzip()
    };
    let ((train_inputs, flags), (val_inputs, val_flags)) = (inputs(&train), inputs(&val));
    let both = |flags: &[bool]| flags.contains(&true) && flags.contains(&false);
    if !both(&flags) || !both(&val_flags) {
        return None;
    }
    let model = commentary::fit(&train_inputs, &flags, &val_inputs, &val_flags).ok()?;
    let probabilities: Vec<f32> =
        val.iter().map(|(s, document, _)| model.probability(document, s.head.as_deref(), &s.cues)).collect();
    let at = |threshold: f32| -> (f64, f64) {
        let said: Vec<bool> = probabilities.iter().map(|&p| p >= threshold).collect();
        let hits = said.iter().zip(&val_flags).filter(|(s, f)| **s && **f).count() as f64;
        let framed = said.iter().filter(|s| **s).count();
        let precision = if framed == 0 { 1.0 } else { hits / framed as f64 };
        (precision, hits / val_flags.iter().filter(|f| **f).count().max(1) as f64)
    };
    let thresholds: Vec<(f32, f64, f64)> = frame_thresholds()
        .map(|t| {
            let (precision, recall) = at(t);
            (t, precision, recall)
        })
        .collect();
    let threshold = thresholds
        .iter()
        .find(|&&(_, precision, recall)| precision >= FRAME_PRECISION && recall >= MIN_FRAME_RECALL)
        .map_or(1.1, |t| t.0);
    let (precision, recall) = at(threshold);
    let fit = CommentaryFit {
        texts: flags.len(),
        commentary: flags.iter().filter(|f| **f).count(),
        validation_texts: val_flags.len(),
        precision,
        recall,
        thresholds,
    };
    scorer.commentary = Some(Commentary { threshold, ..model });
    Some(fit)
}

/// How the trimmer was fitted, and what it does on the validation texts whose summary it
/// changes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TrimmerFit {
    /// Over-long sentences and their runs it was fitted on.
    pub sentences: usize,
    pub runs: usize,
    /// Validation texts whose summary the trimmer changes, and those summaries' mean ROUGE-L
    /// F1 cut after the last clause that fits and trimmed by the fitted model.
    pub validation_changed: usize,
    pub validation_cut: f64,
    pub validation_trimmed: f64,
}

/// Fits the scorer's trimmer ([`clauses`]) on the runs of the over-long embedded sentences of the texts
/// of `scored` that get more than one sentence (as the model method trims them: openings
/// trimmed), each sentence weighing its text's weight. `None` where there is nothing to fit.
pub fn fit_trimmer(
    scorer: &mut Scorer,
    scored: &[Scored],
    weights: &[f32],
    budget: Budget,
    ridge: f64,
) -> Option<TrimmerFit> {
    let mut rows = Vec::new();
    let mut sentences_used = 0;
    for (s, &weight) in scored.iter().zip(weights) {
        let sentences = trimmed(&s.sentences);
        if is_short(&sentences, budget.max_chars) {
            continue;
        }
        let over: Vec<usize> = (0..s.targets.len()).filter(|&i| sentences[i].chars > budget.max_chars).collect();
        sentences_used += over.len();
        let reference = rouge::char_tokens(&s.reference);
        let score = |run: &str| rouge::score(&rouge::char_tokens(run), &reference).rouge_l.f1 as f32;
        rows.extend(clauses::rows(&s.heading, &sentences, &over, budget.max_chars, weight, score));
    }
    scorer.trimmer = Some(Linear::fit(&RUN_FEATURES, &rows, ridge)?);
    Some(TrimmerFit { sentences: sentences_used, runs: rows.len(), ..TrimmerFit::default() })
}

/// Measures `scorer`'s trimmer on the `held` texts whose summary it changes (see
/// [`TrimmerFit`]).
pub fn measure_trimmer(fit: &mut TrimmerFit, scorer: &Scorer, held: &[Scored], budget: Budget) {
    let without = Scorer { trimmer: None, ..scorer.clone() };
    let (mut changed, mut cut, mut kept) = (0usize, 0.0, 0.0);
    for s in held {
        let (before, after) = (summarise(&without, s, budget), summarise(scorer, s, budget));
        if before.text != after.text {
            let reference = rouge::char_tokens(&s.reference);
            let f1 = |text: &str| rouge::score(&rouge::char_tokens(text), &reference).rouge_l.f1;
            (changed, cut, kept) = (changed + 1, cut + f1(&before.text), kept + f1(&after.text));
        }
    }
    let n = changed.max(1) as f64;
    (fit.validation_changed, fit.validation_cut, fit.validation_trimmed) = (changed, cut / n, kept / n);
}

/// How the compressor was fitted, and how the summaries score with it and without it (whole
/// sentences in pick order, the best one trimmed where over the budget) on the validation texts
/// it applies to.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CompressorFit {
    pub texts: usize,
    pub combinations: usize,
    pub validation_texts: usize,
    pub validation_whole: f64,
    pub validation_compressed: f64,
}

/// Combinations per training text at most: every `k`-th of them where there are more, so that
/// the rows stay bounded (a text has up to ~1,100).
const MAX_TRAINING_COMBOS: usize = 400;

/// Fits the scorer's compressor ([`compress`]) on the combinations of units of the texts of
/// `scored` that fill the budget (each text weighing its weight, spread over its
/// combinations), each combination's target its ROUGE-L F1 against the reference less its
/// text's mean. `None` where there is nothing to fit.
pub fn fit_compressor(
    scorer: &mut Scorer,
    scored: &[Scored],
    weights: &[f32],
    budget: Budget,
    ridge: f64,
) -> Option<CompressorFit> {
    let mut rows = Vec::new();
    let mut texts = 0;
    for (s, &weight) in scored.iter().zip(weights) {
        let sentences = trimmed(&s.sentences);
        let scores: Vec<f32> = s.features.iter().map(|f| scorer.score(f)).collect();
        let Some(document) = s.document.as_deref().filter(|_| compress::applies(&sentences, budget)) else {
            continue;
        };
        let text = compress::Text::new(&sentences, &s.vectors, &scores, document, &s.heading);
        let units = text.units(budget.max_chars);
        let all = compress::combos(&units, budget.max_chars);
        if all.is_empty() {
            continue;
        }
        let step = all.len().div_ceil(MAX_TRAINING_COMBOS);
        let kept: Vec<compress::Combo> = all.into_iter().step_by(step).collect();
        let reference = rouge::char_tokens(&s.reference);
        let targets: Vec<f32> = kept
            .iter()
            .map(|&c| rouge::score(&rouge::char_tokens(&compress::shown(&units, c).0), &reference).rouge_l.f1 as f32)
            .collect();
        let mean = targets.iter().sum::<f32>() / targets.len() as f32;
        let each = weight / kept.len() as f32;
        rows.extend(kept.iter().zip(&targets).map(|(&c, t)| (text.features(&units, c), t - mean, each)));
        texts += 1;
    }
    scorer.compressor = Some(Linear::fit(&compress::FEATURES, &rows, ridge)?);
    Some(CompressorFit { texts, combinations: rows.len(), ..CompressorFit::default() })
}

/// Measures `scorer`'s compressor on the `held` texts it applies to (see [`CompressorFit`]).
pub fn measure_compressor(fit: &mut CompressorFit, scorer: &Scorer, held: &[Scored], budget: Budget) {
    let without = Scorer { compressor: None, ..scorer.clone() };
    let applies: Vec<&Scored> =
        held.iter().filter(|s| s.document.is_some() && compress::applies(&trimmed(&s.sentences), budget)).collect();
    let mean = |scorer: &Scorer| {
        applies
            .iter()
            .map(|s| rouge::score_text(&summarise(scorer, s, budget).text, &s.reference).rouge_l.f1)
            .sum::<f64>()
            / applies.len().max(1) as f64
    };
    (fit.validation_texts, fit.validation_whole, fit.validation_compressed) =
        (applies.len(), mean(&without), mean(scorer));
}

/// How the tightener was fitted, and how the one-sentence summaries it makes score, against
/// the best sentence cut to fit: on the texts it was fitted on, and on the validation texts
/// meant to get one sentence.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TightenerFit {
    pub texts: usize,
    pub choices: usize,
    pub untightened: f64,
    pub tightened: f64,
    pub validation_texts: usize,
    pub validation_untightened: f64,
    pub validation_tightened: f64,
}

/// The choices of each text of `scored` meant to get one sentence: the text's index, the
/// choices' features and their ROUGE-L F1 against the reference.
type Choices = Vec<(usize, Vec<[f32; TIGHT_FEATURES.len()]>, Vec<f32>)>;

fn choices(
    encoder: &dyn Encoder,
    scorer: &Scorer,
    scored: &[Scored],
    budget: Budget,
    progress: &dyn Fn(usize),
) -> Result<Choices, TrainError> {
    let mut out = Vec::new();
    let indices: Vec<usize> = (0..scored.len()).collect();
    for chunk in indices.chunks(256) {
        let sentences: Vec<Vec<Sentence>> = chunk.iter().map(|&i| trimmed(&scored[i].sentences)).collect();
        let scores: Vec<Vec<f32>> =
            chunk.iter().map(|&i| scored[i].features.iter().map(|f| scorer.score(f)).collect()).collect();
        let texts: Vec<Option<tighten::Text>> = chunk
            .iter()
            .zip(&sentences)
            .zip(&scores)
            .map(|((&i, sentences), scores)| {
                tighten::text(sentences, &scored[i].vectors, scores, scored[i].document.as_deref(), budget)
            })
            .collect();
        let offered: Vec<Vec<Choice>> =
            texts.iter().map(|t| t.as_ref().map(|t| t.choices(budget.max_chars)).unwrap_or_default()).collect();
        let queries: Vec<&str> = offered.iter().flatten().filter_map(Choice::query).collect();
        let mut vectors = encoder.embed(&queries, Intent::Query)?.into_iter();
        for ((&i, text), offered) in chunk.iter().zip(&texts).zip(&offered) {
            let Some(text) = text else { continue };
            let features = text.features(offered, &mut vectors);
            let reference = rouge::char_tokens(&scored[i].reference);
            let targets =
                offered.iter().map(|c| rouge::score(&rouge::char_tokens(&c.run.text), &reference).rouge_l.f1 as f32);
            if !offered.is_empty() {
                out.push((i, features, targets.collect()));
            }
        }
        progress(chunk.len());
    }
    Ok(out)
}

/// Mean ROUGE-L F1 of the texts' summaries before and after tightening by `tightener`.
fn tightening(scorer: &Scorer, tightener: &Linear, scored: &[Scored], table: &Choices, budget: Budget) -> (f64, f64) {
    let (mut before, mut after) = (0.0, 0.0);
    for (i, features, targets) in table {
        let s = &scored[*i];
        let summary = summarise(scorer, s, budget);
        before += rouge::score(&rouge::char_tokens(&summary.text), &rouge::char_tokens(&s.reference)).rouge_l.f1;
        after += tighten::best(tightener, features).map_or(0.0, |b| f64::from(targets[b]));
    }
    let n = table.len().max(1) as f64;
    (before / n, after / n)
}

/// Fits the scorer's tightener ([`tighten`]) on the choices of the texts of `scored` meant to
/// get one sentence (their runs embedded by `encoder`), each text weighing its weight, and
/// measures it on them. `None` where there is nothing to fit.
pub fn fit_tightener(
    scorer: &mut Scorer,
    encoder: &dyn Encoder,
    scored: &[Scored],
    weights: &[f32],
    budget: Budget,
    ridge: f64,
    progress: &dyn Fn(usize),
) -> Result<Option<TightenerFit>, TrainError> {
    let table = choices(encoder, scorer, scored, budget, progress)?;
    let rows: Vec<_> =
        table.iter().flat_map(|(i, features, rouge)| tighten::rows(features, rouge, weights[*i])).collect();
    let Some(tightener) = Linear::fit(&TIGHT_FEATURES, &rows, ridge) else {
        return Ok(None);
    };
    let (untightened, tightened) = tightening(scorer, &tightener, scored, &table, budget);
    scorer.tightener = Some(tightener);
    Ok(Some(TightenerFit {
        texts: table.len(),
        choices: rows.len(),
        untightened,
        tightened,
        ..TightenerFit::default()
    }))
}

/// Measures `scorer`'s tightener on the `held` texts meant to get one sentence (see
/// [`TightenerFit`]).
pub fn measure_tightener(
    fit: &mut TightenerFit,
    scorer: &Scorer,
    encoder: &dyn Encoder,
    held: &[Scored],
    budget: Budget,
    progress: &dyn Fn(usize),
) -> Result<(), TrainError> {
    let Some(tightener) = &scorer.tightener else { return Ok(()) };
    let table = choices(encoder, scorer, held, budget, progress)?;
    (fit.validation_untightened, fit.validation_tightened) = tightening(scorer, tightener, held, &table, budget);
    fit.validation_texts = table.len();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text whose passage vector leans to the first axis when it argues, to the second when
    /// it reports, blurred by `noise` (so that some fall on the wrong side).
    fn text(argues: bool, reported: bool, noise: f32) -> Scored {
        let lean = if argues { [1.0, noise] } else { [noise, 1.0] };
        Scored {
            sentences: Vec::new(),
            features: Vec::new(),
            targets: Vec::new(),
            vectors: Vec::new(),
            document: Some(lean.to_vec()),
            head: None,
            heading: String::new(),
            reference: String::new(),
            commentary: Some(argues),
            reported,
            cues: [0.0; commentary::CUES.len()],
        }
    }

    /// Texts of both kinds, a share of them blurred towards the other side.
    fn texts(n: usize) -> Vec<Scored> {
        (0..n).map(|i| text(i % 3 == 0, false, if i % 5 == 0 { 0.9 } else { (i % 7) as f32 / 20.0 })).collect()
    }

    #[test]
    fn the_frame_threshold_is_the_lowest_with_the_precision_asked_for() {
        let mut scorer = Scorer::builtin();
        let fit = fit_commentary(&mut scorer, &texts(90), &texts(60)).expect("both kinds in both parts");
        let threshold = scorer.commentary.as_ref().expect("a model").threshold;
        assert!(fit.precision >= FRAME_PRECISION && fit.recall >= MIN_FRAME_RECALL, "{fit:?}");
        // Every lower threshold tried misses the precision (or the recall) asked for.
        for &(t, precision, recall) in fit.thresholds.iter().filter(|t| t.0 < threshold) {
            assert!(precision < FRAME_PRECISION || recall < MIN_FRAME_RECALL, "{t}: {precision} {recall}");
        }
        // Dispatches and reporters' pieces are left out of the fit and of its measure.
        let mut with_reports = texts(90);
        with_reports.extend((0..30).map(|_| text(false, true, 0.0)));
        let fit = fit_commentary(&mut scorer, &with_reports, &texts(60)).expect("fits");
        assert_eq!(fit.texts, 90);
    }

    #[test]
    fn a_model_that_cannot_be_precise_enough_frames_nothing() {
        // The two kinds lie on the same side: no threshold reaches the precision asked for.
        let alike: Vec<Scored> = (0..90)
            .map(|i| Scored { document: Some(vec![1.0, (i % 4) as f32 / 4.0]), ..text(i % 2 == 0, false, 0.0) })
            .collect();
        let mut scorer = Scorer::builtin();
        let fit = fit_commentary(&mut scorer, &alike, &alike).expect("both kinds");
        assert!(scorer.commentary.as_ref().expect("a model").threshold > 1.0, "{fit:?}");
        assert_eq!(fit.recall, 0.0);
    }
}
