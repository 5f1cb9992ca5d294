//! Training a [`Head`]: read labelled rows, split them deterministically into train /
//! validation / test parts, embed them with the frozen encoder, and fit a class-weighted
//! multinomial logistic regression ([`crate::fit::logistic`]), keeping the epoch that scores
//! best on the validation part. The test part is scored once, at the end, for the manifest.
//!
//! Rows are JSON Lines: `{"text": …, "section": …}` (or `label` where there is no `section`),
//! optionally with `scheme` naming the source's label set so that scores are reported per
//! scheme. Rows whose label is `null` or not in the labels file are dropped and counted.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::head::{Head, Manifest};
use super::{input_description, LabelError, Taxonomy};
use crate::eval::labels::{score_labels, LabelScores};
use crate::fit::argmax;
use crate::fit::split::{part_of, Part};
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
