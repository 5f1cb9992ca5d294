//! Training a [`Head`] with candle: read labelled rows, split them deterministically into
//! train / validation / test parts, embed them with the frozen encoder, and fit a
//! class-weighted multinomial logistic regression with AdamW, keeping the epoch that scores
//! best on the validation part. The test part is scored once, at the end, for the manifest.
//!
//! Rows are JSON Lines: `{"text": …, "section": …}` (or `label` where there is no `section`),
//! optionally with `scheme` naming the source's label set so that scores are reported per
//! scheme. Rows whose label is `null` or not in the labels file are dropped and counted.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor, D};
use candle_nn::{Optimizer, VarMap};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::head::{Head, Manifest};
use super::{argmax, input_description, LabelError, Taxonomy};
use crate::eval::labels::{score_labels, LabelScores};
use crate::model::{Encoder, Intent};

/// One labelled text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub text: String,
    pub label: usize,
    pub scheme: String,
    /// The part it belongs to: by its text, or, for the parts of an article, by the article's
    /// id, so that no article is split between training and scoring.
    pub part: Part,
    /// How many times it counts in training.
    pub weight: u32,
    /// A part of an article (its headline, deck or a sentence) labelled with the article's
    /// section, rather than a text labelled for itself. Such rows are trained on, but not used
    /// to choose the epoch or the mix: a sentence from the middle of an article often says
    /// nothing of its section, and scores on them favour an undertrained head.
    pub piece: bool,
}

/// Where a row goes, decided by a hash of its text alone: 80% train, 10% validation, 10% test.
/// The same text always lands in the same part, whatever file or order it comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    Train,
    Val,
    Test,
}

pub fn part_of(text: &str) -> Part {
    let digest = Sha256::digest(text.as_bytes());
    match u16::from_be_bytes([digest[0], digest[1]]) % 10 {
        0 => Part::Test,
        1 => Part::Val,
        _ => Part::Train,
    }
}

/// What reading the data found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DataStats {
    pub files: Vec<FileStats>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FileStats {
    pub file: String,
    pub sha256: String,
    pub rows: usize,
    pub used: usize,
    /// Rows labelled `null`.
    pub unlabelled: usize,
    /// Rows whose label is not in the labels file.
    pub other_labels: usize,
}

/// How many times the rows of each file count in training, by file name (1 where not named).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Weights(pub BTreeMap<String, u32>);

impl Weights {
    pub fn of(&self, file: &str) -> u32 {
        self.0.get(file).copied().unwrap_or(1)
    }
}

fn file_stats(path: &Path, bytes: &[u8]) -> FileStats {
    FileStats { file: file_name(path), sha256: format!("{:x}", Sha256::digest(bytes)), ..FileStats::default() }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Reads labelled rows from JSON Lines files.
pub fn read_examples(
    paths: &[PathBuf],
    taxonomy: &Taxonomy,
    weights: &Weights,
) -> Result<(Vec<Example>, DataStats), LabelError> {
    let mut examples = Vec::new();
    let mut stats = DataStats::default();
    for path in paths {
        let bytes = std::fs::read(path).map_err(|e| LabelError::file(path, e.to_string()))?;
        let mut file = file_stats(path, &bytes);
        let weight = weights.of(&file.file);
        for (n, line) in bytes.lines().enumerate() {
            let line = line.map_err(|e| LabelError::file(path, format!("line {}: {e}", n + 1)))?;
            if line.trim().is_empty() {
                continue;
            }
            file.rows += 1;
            let row: serde_json::Value = serde_json::from_str(&line)
                .map_err(|e| LabelError::file(path, format!("line {}: not JSON: {e}", n + 1)))?;
            let text = row["text"]
                .as_str()
                .ok_or_else(|| LabelError::file(path, format!("line {}: no string `text`", n + 1)))?;
            let label = if row.get("section").is_some() { &row["section"] } else { &row["label"] };
            let Some(label) = label.as_str() else {
                file.unlabelled += 1;
                continue;
            };
            let Some(index) = taxonomy.index(label) else {
                file.other_labels += 1;
                continue;
            };
            let scheme = row["scheme"].as_str().unwrap_or(&file.file).to_owned();
            examples.push(Example {
                text: text.to_owned(),
                label: index,
                scheme,
                part: part_of(text),
                weight,
                piece: false,
            });
            file.used += 1;
        }
        stats.files.push(file);
    }
    Ok((examples, stats))
}

/// Reads labelled newspaper articles: a pages gold file (`{file, articles: [{id, start, end,
/// section}]}`, see [`crate::eval::gold`]) and the pages it points into, under `pages`. Each
/// article is cut from its page by its span and segmented as a JSON Lines row without a title
/// would be; every one of its [`input_parts`](super::input_parts) becomes an example with the
/// article's section, so that the head learns from what it reads at run time (a newspaper's
/// headline, its deck, the body's opening sentences), not from headline sets alone.
pub fn read_articles(
    paths: &[PathBuf],
    pages: &Path,
    taxonomy: &Taxonomy,
    weights: &Weights,
) -> Result<(Vec<Example>, DataStats), LabelError> {
    let mut examples = Vec::new();
    let mut stats = DataStats::default();
    for path in paths {
        let bytes = std::fs::read(path).map_err(|e| LabelError::file(path, e.to_string()))?;
        let mut file = file_stats(path, &bytes);
        let weight = weights.of(&file.file);
        let articles = crate::eval::gold::article_texts(path, pages, |a| a.section.is_some())
            .map_err(|e| LabelError::Other(e.to_string()))?;
        for (article, span) in articles {
            let Some(section) = article.section else { continue };
            file.rows += 1;
            let Some(index) = taxonomy.index(&section) else {
                file.other_labels += 1;
                continue;
            };
            let Some(read) = crate::segment::single(&span, None) else { continue };
            let part = part_of(&article.id);
            for (text, _) in super::input_parts(&read) {
                examples.push(Example { text, label: index, scheme: file.file.clone(), part, weight, piece: true });
            }
            file.used += 1;
        }
        stats.files.push(file);
    }
    Ok((examples, stats))
}

/// Embeds `texts` as classifier inputs (queries), reusing vectors stored in `cache` by an
/// earlier run with the same encoder and texts.
pub fn embed(
    encoder: &dyn Encoder,
    texts: &[&str],
    cache: Option<&Path>,
    progress: &indicatif::ProgressBar,
) -> Result<Vec<Vec<f32>>, LabelError> {
    Ok(crate::model::service::cache::embed(encoder, texts, Intent::Query, cache, &|n| progress.inc(n as u64))?)
}

/// Optimiser settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Settings {
    pub epochs: usize,
    pub batch: usize,
    pub learning_rate: f64,
    pub weight_decay: f64,
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { epochs: 40, batch: 256, learning_rate: 1e-3, weight_decay: 1e-4, seed: 17 }
    }
}

/// Vectors and labels of one part.
pub struct Set<'a> {
    pub vectors: &'a [Vec<f32>],
    pub labels: &'a [usize],
}

/// A fitted linear map in the original vector space: `weight` `[k × d]`, `bias` `[k]`.
pub struct Fit {
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
    pub best_epoch: usize,
    pub val: LabelScores,
}

/// Fits class-weighted logistic regression on `train`, choosing the epoch by `val` macro-F1.
///
/// Features are standardised (per-dimension mean and spread of the training vectors) for the
/// optimiser's sake; the fitted weights are folded back so that the head reads raw vectors.
pub fn fit(train: &Set<'_>, val: &Set<'_>, classes: usize, settings: &Settings) -> Result<Fit, LabelError> {
    let fail = |e: candle_core::Error| LabelError::Other(format!("training: {e}"));
    let dev = Device::Cpu;
    let (n, d) = (train.vectors.len(), train.vectors.first().map_or(0, Vec::len));
    if n == 0 || val.vectors.is_empty() {
        return Err(LabelError::Other("training: the train and validation parts must not be empty".into()));
    }
    let mut mean = vec![0f32; d];
    for v in train.vectors {
        mean.iter_mut().zip(v).for_each(|(m, x)| *m += x / n as f32);
    }
    let mut spread = vec![0f32; d];
    for v in train.vectors {
        spread.iter_mut().zip(v).zip(&mean).for_each(|((s, x), m)| *s += (x - m) * (x - m) / n as f32);
    }
    spread.iter_mut().for_each(|s| *s = s.sqrt().max(1e-6));
    let standardise = |vs: &[Vec<f32>]| -> Result<Tensor, LabelError> {
        let flat: Vec<f32> =
            vs.iter().flat_map(|v| v.iter().zip(&mean).zip(&spread).map(|((x, m), s)| (x - m) / s)).collect();
        Tensor::from_vec(flat, (vs.len(), d), &dev).map_err(fail)
    };
    let x = standardise(train.vectors)?;
    let x_val = standardise(val.vectors)?;
    let class_weights = Tensor::new(balanced_weights(train.labels, classes).as_slice(), &dev).map_err(fail)?;

    // Zero initial weights: the problem is convex, and a random start would make training
    // depend on candle's unseeded generator.
    let varmap = VarMap::new();
    let zero = candle_nn::Init::Const(0.0);
    let w = varmap.get((classes, d), "weight", zero, DType::F32, &dev).map_err(fail)?;
    let b = varmap.get(classes, "bias", zero, DType::F32, &dev).map_err(fail)?;
    let layer = candle_nn::Linear::new(w, Some(b));
    let mut opt = candle_nn::AdamW::new(
        varmap.all_vars(),
        candle_nn::ParamsAdamW {
            lr: settings.learning_rate,
            weight_decay: settings.weight_decay,
            ..Default::default()
        },
    )
    .map_err(fail)?;
    // Small data sets get smaller batches, so that they still take enough optimiser steps.
    let batch_size = settings.batch.min((n / 50).max(16));
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = settings.seed.max(1);
    // The best epoch so far, its weights still in the standardised space.
    let mut best: Option<Fit> = None;
    for epoch in 1..=settings.epochs {
        shuffle(&mut order, &mut rng);
        for batch in order.chunks(batch_size) {
            let idx =
                Tensor::new(batch.iter().map(|&i| i as u32).collect::<Vec<_>>().as_slice(), &dev).map_err(fail)?;
            let xb = x.index_select(&idx, 0).map_err(fail)?;
            let yb: Vec<u32> = batch.iter().map(|&i| train.labels[i] as u32).collect();
            let yb = Tensor::new(yb.as_slice(), &dev).map_err(fail)?;
            let loss =
                weighted_cross_entropy(&candle_nn::Module::forward(&layer, &xb).map_err(fail)?, &yb, &class_weights)
                    .map_err(fail)?;
            opt.backward_step(&loss).map_err(fail)?;
        }
        let logits = candle_nn::Module::forward(&layer, &x_val).map_err(fail)?;
        let predicted: Vec<usize> = logits
            .argmax(D::Minus1)
            .and_then(|t| t.to_vec1::<u32>())
            .map_err(fail)?
            .into_iter()
            .map(|p| p as usize)
            .collect();
        let scores = score_labels(&predicted, val.labels, classes);
        if best.as_ref().is_none_or(|b| scores.macro_f1 > b.val.macro_f1) {
            let w = layer.weight().flatten_all().and_then(|t| t.to_vec1::<f32>()).map_err(fail)?;
            let b = layer.bias().map(|b| b.to_vec1::<f32>()).transpose().map_err(fail)?.unwrap_or(vec![0.0; classes]);
            best = Some(Fit { weight: w, bias: b, best_epoch: epoch, val: scores });
        }
    }
    let Fit { weight: w, bias: b, best_epoch, val: val_scores } = best.expect("at least one epoch");
    // Fold the standardisation in: W'x + b' = W((x - m) / s) + b.
    let mut weight = vec![0f32; classes * d];
    let mut bias = b;
    for k in 0..classes {
        for j in 0..d {
            let wk = w[k * d + j] / spread[j];
            weight[k * d + j] = wk;
            bias[k] -= wk * mean[j];
        }
    }
    Ok(Fit { weight, bias, best_epoch, val: val_scores })
}

fn weighted_cross_entropy(logits: &Tensor, labels: &Tensor, class_weights: &Tensor) -> candle_core::Result<Tensor> {
    let logp = candle_nn::ops::log_softmax(logits, D::Minus1)?;
    let picked = logp.gather(&labels.unsqueeze(1)?, 1)?.squeeze(1)?;
    let w = class_weights.index_select(labels, 0)?;
    (picked * &w)?.sum_all()?.neg()? / w.sum_all()?.to_scalar::<f32>()? as f64
}

/// Balanced class weights, `n / (k · count)` (0 for a class without rows).
pub(super) fn balanced_weights(labels: &[usize], classes: usize) -> Vec<f32> {
    let mut counts = vec![0usize; classes];
    labels.iter().for_each(|&l| counts[l] += 1);
    let n = labels.len() as f32;
    counts.iter().map(|&c| if c == 0 { 0.0 } else { n / (classes as f32 * c as f32) }).collect()
}

/// Fisher–Yates with a xorshift generator: the same seed gives the same order everywhere.
pub(super) fn shuffle(order: &mut [usize], state: &mut u64) {
    for i in (1..order.len()).rev() {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        order.swap(i, (*state % (i as u64 + 1)) as usize);
    }
}

/// Scores of a head on labelled vectors: over all rows, and per scheme both `open` (the best of
/// all labels) and `closed` (the best among the labels that scheme's training rows use, which
/// is how a scheme's own benchmark is scored: THUCNews is a 10-class task, not a 16-class one).
pub fn evaluate(
    head: &Head,
    vectors: &[Vec<f32>],
    examples: &[&Example],
    scheme_labels: &BTreeMap<String, Vec<usize>>,
) -> BTreeMap<String, LabelScores> {
    let classes = head.labels().len();
    let logits: Vec<Vec<f32>> = vectors.iter().zip(examples).map(|(v, e)| head.logits(v, &e.text)).collect();
    let best = |l: &[f32], allowed: &mut dyn Iterator<Item = usize>| {
        allowed.max_by(|&a, &b| l[a].total_cmp(&l[b])).unwrap_or(0)
    };
    let mut out = BTreeMap::new();
    let gold: Vec<usize> = examples.iter().map(|e| e.label).collect();
    let open: Vec<usize> = logits.iter().map(|l| best(l, &mut (0..classes))).collect();
    out.insert("all".to_owned(), score_labels(&open, &gold, classes));
    for (scheme, allowed) in scheme_labels {
        let idx: Vec<usize> = (0..examples.len()).filter(|&i| &examples[i].scheme == scheme).collect();
        if idx.is_empty() {
            continue;
        }
        let g: Vec<usize> = idx.iter().map(|&i| gold[i]).collect();
        let p: Vec<usize> = idx.iter().map(|&i| open[i]).collect();
        out.insert(format!("{scheme} open"), score_labels(&p, &g, classes));
        let p: Vec<usize> = idx.iter().map(|&i| best(&logits[i], &mut allowed.iter().copied())).collect();
        out.insert(format!("{scheme} closed"), score_labels(&p, &g, classes));
    }
    out
}

/// Sets the head's mix of encoder and lexical logits to the one (in tenths) with the best
/// accuracy on the given labelled vectors; returns it and that accuracy.
pub fn choose_mix(head: &mut Head, vectors: &[Vec<f32>], examples: &[&Example]) -> (f32, f64) {
    let parts: Vec<(Vec<f32>, Vec<f32>)> = vectors
        .iter()
        .zip(examples)
        .map(|(v, e)| (head.encoder_logits(v), head.lexical_logits(&e.text).unwrap_or_default()))
        .collect();
    let mut best = (0.0f32, f64::NEG_INFINITY);
    for tenth in 0..=10u8 {
        let m = f32::from(tenth) / 10.0;
        let correct = parts
            .iter()
            .zip(examples)
            .filter(|((enc, lex), e)| {
                let z = if lex.is_empty() { enc.clone() } else { super::head::mix(enc, lex, m) };
                argmax(&z) == Some(e.label)
            })
            .count();
        let accuracy = correct as f64 / examples.len().max(1) as f64;
        if accuracy > best.1 {
            best = (m, accuracy);
        }
    }
    head.set_mix(best.0);
    best
}

/// The labels each scheme's rows use.
pub fn scheme_labels(examples: &[&Example]) -> BTreeMap<String, Vec<usize>> {
    let mut out: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for e in examples {
        let labels = out.entry(e.scheme.clone()).or_default();
        if !labels.contains(&e.label) {
            labels.push(e.label);
        }
    }
    out.values_mut().for_each(|l| l.sort_unstable());
    out
}

/// Builds the manifest of a freshly trained head.
pub fn manifest(encoder: &dyn Encoder, taxonomy: &Taxonomy, training: serde_json::Value) -> Manifest {
    Manifest {
        encoder: encoder.id().to_owned(),
        dim: encoder.dim(),
        labels: taxonomy.names(),
        input: input_description(),
        lexical: None,
        training,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_stable_and_roughly_80_10_10() {
        let parts: Vec<Part> = (0..5000).map(|i| part_of(&format!("标题{i}"))).collect();
        let test = parts.iter().filter(|&&p| p == Part::Test).count();
        let val = parts.iter().filter(|&&p| p == Part::Val).count();
        assert!((400..600).contains(&test) && (400..600).contains(&val), "{test} {val}");
        assert_eq!(part_of("标题7"), parts[7]);
    }

    #[test]
    fn logistic_regression_separates_separable_classes() {
        // Three clusters on the unit sphere in 8 dimensions.
        let mut vectors = Vec::new();
        let mut labels = Vec::new();
        for i in 0..300 {
            let class = i % 3;
            let mut v: Vec<f32> = (0..8).map(|j| ((i * 7 + j * 13) % 17) as f32 * 0.01).collect();
            v[class] += 1.0;
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            vectors.push(v.iter().map(|x| x / norm).collect::<Vec<f32>>());
            labels.push(class);
        }
        let set = Set { vectors: &vectors, labels: &labels };
        let settings = Settings { epochs: 30, batch: 32, learning_rate: 1e-2, ..Settings::default() };
        let fit = fit(&set, &set, 3, &settings).unwrap();
        assert!(fit.val.accuracy > 0.99, "{:?}", fit.val);
        // The folded weights classify raw vectors the same way.
        let manifest = Manifest {
            encoder: "test".into(),
            dim: 8,
            labels: vec!["a".into(), "b".into(), "c".into()],
            input: String::new(),
            lexical: None,
            training: serde_json::Value::Null,
        };
        let head = Head::new(manifest, fit.weight, fit.bias).unwrap();
        let correct = vectors.iter().zip(&labels).filter(|(v, &l)| {
            let p = head.probabilities(v, "");
            (0..3).max_by(|&a, &b| p[a].total_cmp(&p[b])) == Some(l)
        });
        assert_eq!(correct.count(), 300);
    }
}
