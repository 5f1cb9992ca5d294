//! Training a [`Head`]: read labelled rows, split them deterministically into train /
//! validation / test parts, embed them with the frozen encoder, and fit a class-weighted
//! multinomial logistic regression ([`crate::fit::logistic`]), keeping the epoch that scores
//! best on the validation part. The test part is scored once, at the end, for the manifest.
//!
//! Rows are JSON Lines: `{"text": …, "section": …}` (or `label` where there is no `section`),
//! optionally with `scheme` naming the source's label set so that scores are reported per
//! scheme. Rows whose label is `null` or not in the labels file are dropped and counted.

use std::collections::{BTreeMap, HashSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::lexical::{self, LexicalSettings};
use super::{bad, read_source, Sample, Source, TrainError, Weights};
use crate::eval::labels::{score_labels, LabelScores};
use crate::fit::argmax;
use crate::fit::logistic::{self, Set, Settings};
use crate::fit::split::{part_of, Part};
use crate::label::head::{self, Head, Manifest};
use crate::label::{input_description, input_parts, Taxonomy};
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

/// What reading one data file found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileStats {
    #[serde(flatten)]
    pub source: Source,
    pub rows: usize,
    pub used: usize,
    /// Rows labelled `null`.
    pub unlabelled: usize,
    /// Rows whose label is not in the labels file.
    pub other_labels: usize,
    /// The first of them: its label and where it is (a line, or an article's id).
    #[serde(skip)]
    pub first_other: Option<(String, String)>,
    /// Articles left out for their page, which an evaluation set annotates (`--away-from`).
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub away: usize,
}

impl FileStats {
    /// The index of `label` in `taxonomy`; `None`, counted, where it has none, the first such
    /// kept with `place` (where the row is) for the messages.
    fn index(&mut self, taxonomy: &Taxonomy, label: &str, place: impl FnOnce() -> String) -> Option<usize> {
        let index = taxonomy.index(label);
        if index.is_none() {
            self.other_labels += 1;
            self.first_other.get_or_insert_with(|| (label.to_owned(), place()));
        }
        index
    }

    /// What reading found, for the console: `rows, used, unlabelled, with other labels` (the
    /// first of those named), and the articles left out for their pages.
    pub fn summary(&self) -> String {
        let first = match &self.first_other {
            Some((label, place)) => format!(" (the first `{label}`, {place})"),
            None => String::new(),
        };
        format!(
            "{}: {} rows, {} used, {} unlabelled, {} with other labels{first}, {} on pages kept apart",
            self.source.file, self.rows, self.used, self.unlabelled, self.other_labels, self.away
        )
    }
}

/// Checks that `examples`, read from `files`, leave rows to train on and rows to choose the
/// epoch on (a text's part is drawn by its hash: one in ten validates); where they do not, the
/// error names each file with what reading it found.
pub fn check_parts(examples: &[Example], files: &[FileStats]) -> Result<(), TrainError> {
    let has = |part: Part| examples.iter().any(|e| e.part == part);
    if has(Part::Train) && has(Part::Val) {
        return Ok(());
    }
    let found: Vec<String> = files.iter().map(FileStats::summary).collect();
    let what = if examples.is_empty() {
        "no labelled rows to train on".to_owned()
    } else {
        format!(
            "{} labelled rows, too few for a training and a validation part (one text in ten, by its hash, validates)",
            examples.len()
        )
    };
    Err(TrainError::Other(format!("{what}: {}", found.join("; "))))
}

/// Reads labelled rows from JSON Lines files, keeping the `sample` of each file's usable rows.
pub fn read_examples(
    paths: &[PathBuf],
    taxonomy: &Taxonomy,
    weights: &Weights,
    sample: &Sample,
) -> Result<(Vec<Example>, Vec<FileStats>), TrainError> {
    each_file(paths, weights, |path, bytes, file, weight, examples| {
        let first = examples.len();
        for (n, line) in bytes.lines().enumerate() {
            let line = line.map_err(|e| bad(path, format!("line {}: {e}", n + 1)))?;
            if line.trim().is_empty() {
                continue;
            }
            file.rows += 1;
            let row: serde_json::Value =
                serde_json::from_str(&line).map_err(|e| bad(path, format!("line {}: not JSON: {e}", n + 1)))?;
            let text = row["text"].as_str().ok_or_else(|| bad(path, format!("line {}: no string `text`", n + 1)))?;
            let label = if row.get("section").is_some() { &row["section"] } else { &row["label"] };
            let Some(label) = label.as_str() else {
                file.unlabelled += 1;
                continue;
            };
            let Some(index) = file.index(taxonomy, label, || format!("line {}", n + 1)) else { continue };
            let scheme = row["scheme"].as_str().unwrap_or(&file.source.file).to_owned();
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
        let read = examples.split_off(first);
        let keep = sample.keep(&file.source.file, read.len());
        examples.extend(read.into_iter().zip(keep).filter_map(|(e, keep)| keep.then_some(e)));
        file.used = examples.len() - first;
        Ok(())
    })
}

/// Reads labelled newspaper articles: a pages gold file (`{file, articles: [{id, start, end,
/// section}]}`, see [`crate::annotated`]) and the pages it points into, under `pages`. Each
/// article is cut from its page by its span and segmented as a JSON Lines row without a title
/// would be, unless its page is one of `away` (an evaluation set's, that training keeps
/// off); every one of its [`input_parts`](crate::label::input_parts) becomes an example
/// with the article's section, counted as [`part_weight`] says, so that the head learns from
/// what it reads at run time (a newspaper's headline, its deck, the body's sentences), not from
/// headline sets alone.
pub fn read_articles(
    paths: &[PathBuf],
    pages: &Path,
    taxonomy: &Taxonomy,
    weights: &Weights,
    away: &HashSet<String>,
) -> Result<(Vec<Example>, Vec<FileStats>), TrainError> {
    each_file(paths, weights, |path, _, file, weight, examples| {
        let (articles, apart) = crate::annotated::article_texts_off(path, pages, away, |a| a.section.is_some())?;
        file.away = apart;
        file.rows += apart;
        for (article, span) in articles {
            let Some(section) = article.section else { continue };
            file.rows += 1;
            let Some(index) = file.index(taxonomy, &section, || format!("article {}", article.id)) else { continue };
            let Some(read) = crate::segment::single(&span, None) else { continue };
            let part = part_of(&article.id);
            let scheme = &file.source.file;
            examples.extend(input_parts(&read).into_iter().map(|(text, read_at)| Example {
                text,
                label: index,
                scheme: scheme.clone(),
                part,
                weight: part_weight(weight, read_at),
                piece: true,
            }));
            file.used += 1;
        }
        Ok(())
    })
}

/// How many times an article's part counts in training, where its file counts `file_weight`
/// times and `label` reads the part at `read_at` ([`input_parts`]): a later sentence, read at
/// less than full weight, counts that share of the file's weight (rounded down, at least once),
/// so that the articles' longer reach does not outweigh the headline sets; a part read at full
/// weight or more (the headline) counts as its file does. Measured with a head made away from
/// the 739 validation articles' pages: the later sentences counting as often as the opening
/// (3 times) cost THUCNews's test rows 1.5 points and NLPCC's 1.4 for the same articles read
/// alone (0.754 against 0.752 strict); counting once, 0.7 and 0.6.
fn part_weight(file_weight: u32, read_at: f32) -> u32 {
    if read_at < 1.0 {
        ((file_weight as f32 * read_at) as u32).max(1)
    } else {
        file_weight
    }
}

/// Reads each of `paths` with `read`, which is given the file's bytes, its stats to count in
/// and its weight, and adds its examples.
fn each_file(
    paths: &[PathBuf],
    weights: &Weights,
    mut read: impl FnMut(&Path, Vec<u8>, &mut FileStats, u32, &mut Vec<Example>) -> Result<(), TrainError>,
) -> Result<(Vec<Example>, Vec<FileStats>), TrainError> {
    let mut examples = Vec::new();
    let mut stats = Vec::new();
    for path in paths {
        let (bytes, source) = read_source(path)?;
        let mut file = FileStats { source, ..FileStats::default() };
        let weight = weights.of(&file.source.file);
        read(path, bytes, &mut file, weight, &mut examples)?;
        stats.push(file);
    }
    Ok((examples, stats))
}

/// Embeds `texts` as classifier inputs (queries), reusing vectors stored in `cache` by an
/// earlier run with the same encoder and texts.
pub fn embed(
    encoder: &dyn Encoder,
    texts: &[&str],
    cache: Option<&Path>,
    progress: &dyn Fn(usize),
) -> Result<Vec<Vec<f32>>, TrainError> {
    Ok(crate::model::service::cache::embed(encoder, texts, Intent::Query, cache, progress)?)
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
                let z = if lex.is_empty() { enc.clone() } else { head::mix(enc, lex, m) };
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

/// A head trained by [`train`], and what its training found.
pub struct Trained {
    pub head: Head,
    pub best_epoch: usize,
    /// The lexical part's best epoch, its mix and the validation accuracy at that mix.
    pub lexical: Option<(usize, f32, f64)>,
    pub validation: BTreeMap<String, LabelScores>,
    pub test: BTreeMap<String, LabelScores>,
}

/// Trains a head for `taxonomy` on `examples` (read from `files` and weighed by `weights`):
/// embeds each part (reusing the vectors in `cache`), fits the encoder head with `settings`
/// and, unless `no_lexical`, the lexical part and the mix of the two, and scores the
/// validation and test parts. The head's manifest says all of it.
#[allow(clippy::too_many_arguments)]
pub fn train(
    encoder: &dyn Encoder,
    taxonomy: &Taxonomy,
    examples: &[Example],
    files: Vec<FileStats>,
    weights: Weights,
    settings: Settings,
    no_lexical: bool,
    cache: Option<&Path>,
    progress: &dyn Fn(usize),
) -> Result<Trained, TrainError> {
    let parts = [Part::Train, Part::Val, Part::Test];
    let members: BTreeMap<Part, Vec<usize>> =
        parts.iter().map(|&part| (part, (0..examples.len()).filter(|&i| examples[i].part == part).collect())).collect();
    let mut vectors = BTreeMap::new();
    for part in parts {
        let texts: Vec<&str> = members[&part].iter().map(|&i| examples[i].text.as_str()).collect();
        vectors.insert(part, embed(encoder, &texts, cache, progress)?);
    }
    let (train, val) = (&members[&Part::Train], &members[&Part::Val]);
    // Training rows count as often as their file's weight says.
    let repeat = |i: usize| std::iter::repeat_n(i, examples[i].weight as usize);
    let train_rows: Vec<usize> = (0..train.len()).flat_map(|k| repeat(train[k]).map(move |_| k)).collect();
    let train_vectors: Vec<Vec<f32>> = train_rows.iter().map(|&k| vectors[&Part::Train][k].clone()).collect();
    let train_labels: Vec<usize> = train_rows.iter().map(|&k| examples[train[k]].label).collect();
    let train_texts: Vec<&str> = train_rows.iter().map(|&k| examples[train[k]].text.as_str()).collect();
    // The epoch and the mix are chosen on the validation part's whole texts (see `Example::piece`).
    let chooser: Vec<usize> = (0..val.len()).filter(|&k| !examples[val[k]].piece).collect();
    let chooser_vectors: Vec<Vec<f32>> = chooser.iter().map(|&k| vectors[&Part::Val][k].clone()).collect();
    let chooser_labels: Vec<usize> = chooser.iter().map(|&k| examples[val[k]].label).collect();
    let chooser_texts: Vec<&str> = chooser.iter().map(|&k| examples[val[k]].text.as_str()).collect();
    let chooser_examples: Vec<&Example> = chooser.iter().map(|&k| &examples[val[k]]).collect();
    let classes = taxonomy.sections.len();
    let fit = logistic::fit(
        &Set { vectors: &train_vectors, labels: &train_labels },
        &Set { vectors: &chooser_vectors, labels: &chooser_labels },
        classes,
        &settings,
        |predicted, gold| score_labels(predicted, gold, classes).macro_f1,
    )?;
    let mut head = Head::new(manifest(encoder, taxonomy, serde_json::Value::Null), fit.weight, fit.bias)?;
    let mut lexical_training = None;
    let mut lexical_report = None;
    if !no_lexical {
        let settings = LexicalSettings { seed: settings.seed, ..LexicalSettings::default() };
        let (lexical, epoch) =
            lexical::fit((&train_texts, &train_labels), (&chooser_texts, &chooser_labels), classes, &settings)?;
        head = head.with_lexical(lexical.rounded_to_f16()?, 0.0)?;
        // The mix that labels the validation part best.
        let (mix, accuracy) = choose_mix(&mut head, &chooser_vectors, &chooser_examples);
        lexical_report = Some((epoch, mix, accuracy));
        lexical_training = Some(LexicalTraining {
            best_epoch: epoch,
            mix,
            model: "multinomial logistic regression on hashed character 1-3-grams, (1 + ln tf)·idf, L2-normalised; \
                    balanced class weights, per-example AdaGrad; the epoch and the mix chosen on the validation part",
            settings,
        });
    }
    let examples_of = |part: Part| -> Vec<&Example> { members[&part].iter().map(|&i| &examples[i]).collect() };
    let schemes = scheme_labels(&examples_of(Part::Train));
    let validation = evaluate(&head, &vectors[&Part::Val], &examples_of(Part::Val), &schemes);
    let test = evaluate(&head, &vectors[&Part::Test], &examples_of(Part::Test), &schemes);
    let training = Training {
        best_epoch: fit.best_epoch,
        data: files,
        lexical: lexical_training,
        model: "multinomial logistic regression, balanced class weights, standardised inputs (folded into the weights)",
        rows: Rows {
            test: members[&Part::Test].len(),
            train: train.len(),
            train_weighted: train_rows.len(),
            validation: val.len(),
        },
        settings,
        split: "by SHA-256 of the text (of the article's id for --articles parts): first two bytes mod 10 = 0 \
                test, 1 validation, else train",
        test: scores(&test),
        validation: scores(&validation),
        weights,
    };
    head.manifest.training = serde_json::to_value(&training).map_err(|e| TrainError::Other(e.to_string()))?;
    Ok(Trained { head, best_epoch: fit.best_epoch, lexical: lexical_report, validation, test })
}

/// The `training` section of a head's manifest. It is written as a JSON value, whose keys are
/// sorted: the fields are declared in that order.
#[derive(Serialize)]
struct Training {
    best_epoch: usize,
    data: Vec<FileStats>,
    lexical: Option<LexicalTraining>,
    model: &'static str,
    rows: Rows,
    settings: Settings,
    split: &'static str,
    test: BTreeMap<String, Scores>,
    validation: BTreeMap<String, Scores>,
    weights: Weights,
}

/// How the lexical part was fitted.
#[derive(Serialize)]
struct LexicalTraining {
    best_epoch: usize,
    mix: f32,
    model: &'static str,
    settings: LexicalSettings,
}

/// Rows of each part, and the training rows counted with their weights.
#[derive(Serialize)]
struct Rows {
    test: usize,
    train: usize,
    train_weighted: usize,
    validation: usize,
}

/// A part's scores as the manifest keeps them.
#[derive(Serialize)]
struct Scores {
    accuracy: f64,
    macro_f1: f64,
    n: usize,
}

fn scores(scores: &BTreeMap<String, LabelScores>) -> BTreeMap<String, Scores> {
    scores.iter().map(|(k, s)| (k.clone(), Scores { accuracy: s.accuracy, macro_f1: s.macro_f1, n: s.n })).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_sentences_count_less_in_training_as_they_do_when_read() {
        assert_eq!([part_weight(3, 2.0), part_weight(3, 1.0), part_weight(3, 0.5)], [3, 3, 1]);
        assert_eq!([part_weight(5, 0.5), part_weight(1, 0.5), part_weight(1, 0.1)], [2, 1, 1]);
        // The example page's articles, counted three times: their later sentences once.
        let gold = PathBuf::from("eval/data/seed-gold.jsonl");
        let weights = Weights([("seed-gold.jsonl".to_owned(), 3)].into());
        let taxonomy = Taxonomy::default_sections();
        let (examples, stats) =
            read_articles(&[gold], Path::new("examples"), &taxonomy, &weights, &HashSet::new()).expect("the example");
        assert_eq!(stats[0].used, 5);
        let counts = |w: u32| examples.iter().filter(|e| e.weight == w).count();
        assert!(counts(1) > 0 && counts(3) > counts(1), "{} once, {} three times", counts(1), counts(3));
        assert_eq!(counts(1) + counts(3), examples.len());
    }

    #[test]
    fn too_few_rows_for_both_parts_is_an_error_naming_each_file() {
        let example = |part: Part| Example {
            text: "青岛发行债券".into(),
            label: 0,
            scheme: "s".into(),
            part,
            weight: 1,
            piece: false,
        };
        let file = FileStats {
            source: Source { file: "mine.jsonl".into(), ..Source::default() },
            rows: 3,
            used: 2,
            other_labels: 1,
            first_other: Some(("天气".into(), "line 3".into())),
            ..FileStats::default()
        };
        let files = [file];
        let err = check_parts(&[example(Part::Train), example(Part::Test)], &files).unwrap_err().to_string();
        assert!(err.starts_with("2 labelled rows, too few for a training and a validation part"), "{err}");
        assert!(err.ends_with("mine.jsonl: 3 rows, 2 used, 0 unlabelled, 1 with other labels (the first `天气`, line 3), 0 on pages kept apart"), "{err}");
        assert!(check_parts(&[example(Part::Train), example(Part::Val)], &files).is_ok());
    }
}
