//! `jianbao digest`, `summarize`, `label` and `train`: the commands that read articles with the
//! encoder. Their flags become the [`Stages`] to run; pages go through the library's batch
//! pipeline ([`crate::batch::run`], shown on the console by [`super::batch`]): read and split as
//! by `split`, their articles gathered into batches of several pages so that the encoder sees
//! many sentences at once, then written in input order.

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};

use super::args::{
    BatchArgs, DigestArgs, LabelArgs, LabelOptions, OutputArgs, SummarizeArgs, SummaryArgs, TrainArgs,
    TrainSummarizerArgs,
};
use super::batch::{self, Run};
use super::{check_share, open_output, InputArgs, Outcome};
use crate::fit::logistic::{self, Set, Settings};
use crate::fit::split::Part;
use crate::label::head::Head;
use crate::label::lexical::{self, LexicalSettings};
use crate::label::train;
use crate::label::{self, Labeller, Taxonomy, ZeroShot};
use crate::model::{CandleEncoder, Encoder};
use crate::output::{self, DigestPage, Page};
use crate::segment::{self, Article};
use crate::stages::{Results, Stages};
use crate::summarize::scorer::Scorer;
use crate::summarize::{Budget, Method, Summarizer};

impl SummaryArgs {
    fn budget(&self) -> anyhow::Result<Budget> {
        if self.max_chars == 0 {
            bail!("--max-chars must be at least 1");
        }
        if self.sentences == Some(0) {
            bail!("--sentences must be at least 1");
        }
        Ok(Budget { max_chars: self.max_chars, sentences: self.sentences })
    }

    /// The scorer --scorer names, read before the model loads.
    fn scorer(&self) -> anyhow::Result<Option<Scorer>> {
        Ok(self.scorer.as_deref().map(Scorer::load).transpose()?)
    }

    /// The summarizer these options ask for. A scorer from --scorer must have been fitted on
    /// the encoder's vectors; the built-in one (fitted on e5-small's) serves any encoder, its
    /// features being similarities, places and lengths.
    fn summarizer(
        &self,
        budget: Budget,
        scorer: Option<Scorer>,
        encoder: Option<&dyn Encoder>,
    ) -> anyhow::Result<Summarizer> {
        let mut summarizer = Summarizer::new(self.method, budget);
        summarizer.frame_commentary = !self.extractive;
        if let Some(scorer) = scorer {
            if let (Some(encoder), Some(path)) = (encoder, &self.scorer) {
                scorer.check_encoder(encoder.id()).map_err(|m| anyhow::anyhow!("{}: {m}", path.display()))?;
            }
            summarizer.scorer = scorer;
        }
        Ok(summarizer)
    }
}

impl LabelOptions {
    /// The labeller these options ask for, checked against the encoder.
    fn labeller(&self, encoder: &dyn Encoder) -> anyhow::Result<Labeller> {
        let taxonomy = match &self.labels {
            Some(path) => Some(Taxonomy::load(path)?),
            None => None,
        };
        if self.zero_shot {
            let taxonomy = taxonomy.unwrap_or_else(Taxonomy::default_sections);
            return Ok(Labeller::ZeroShot(ZeroShot::new(encoder, &taxonomy)?));
        }
        let head = match &self.head {
            Some(dir) => Head::load(dir)?,
            None if taxonomy.is_some() => {
                bail!("--labels needs --zero-shot, or a --head trained on those labels (`jianbao train`)")
            }
            None => Head::builtin(),
        };
        Ok(Labeller::head(head, encoder, taxonomy.as_ref())?)
    }

    /// The labelling options, checked; called before the model loads, so that bad values fail
    /// at once.
    fn options(&self) -> anyhow::Result<label::Options> {
        check_share("--min-confidence", self.min_confidence)?;
        check_share("--page-context", self.page_context)?;
        Ok(label::Options { min_confidence: self.min_confidence, page_context: self.page_context })
    }
}

/// Runs `stages` over the pages of `input` (through the batch pipeline, each article within
/// --article-timeout) or over `texts`.
fn process(
    input: &InputArgs,
    texts: &[String],
    mut stages: Stages<'_>,
    output: &OutputArgs,
    batch_args: &BatchArgs,
) -> anyhow::Result<Outcome> {
    let opts = input.options()?;
    let timeout = batch_args.article_timeout()?;
    if texts.is_empty() {
        stages.timeout = timeout;
        let run = Run { opts: &opts, output, batch: batch_args, stages: &stages };
        return batch::process(&input.sources(), &run);
    }
    // A few texts from the command line: one batch, no pipeline.
    let mut articles = Vec::new();
    let mut failed = 0;
    for (i, text) in texts.iter().enumerate() {
        match segment::single(text, None) {
            Some(article) => articles.push((format!("--text {}", i + 1), article)),
            None => {
                failed += 1;
                if !output.quiet {
                    eprintln!("jianbao: --text {}: no text", i + 1);
                }
            }
        }
    }
    let pages: Vec<&[Article]> = articles.iter().map(|(_, a)| std::slice::from_ref(a)).collect();
    let Results { summaries, labels, .. } = stages.run(&pages)?;
    let (out, name) = open_output(output.out.as_deref())?;
    let mut writer = output::writer(output.format, out);
    for (i, (source, article)) in articles.iter().enumerate() {
        let page = Page { source, id: None, encoding: "utf-8", articles: std::slice::from_ref(article) };
        let digest = DigestPage {
            page,
            of: 1,
            summaries: summaries.as_deref().map(|s| &s[i..i + 1]),
            labels: labels.as_deref().map(|l| &l[i..i + 1]),
        };
        writer.digest(&digest).with_context(|| format!("{name}: cannot write"))?;
    }
    writer.finish().with_context(|| format!("{name}: cannot write"))?;
    Ok(if failed > 0 { Outcome::Partial } else { Outcome::Done })
}

pub fn digest(args: DigestArgs) -> anyhow::Result<Outcome> {
    args.input.options()?; // bad flags fail before the model loads
    let budget = args.summary.budget()?;
    let options = args.label.options()?;
    let scorer = args.summary.scorer()?;
    let encoder = args.model.load()?;
    let labeller = args.label.labeller(&encoder)?;
    let stages = Stages {
        summarizer: Some(args.summary.summarizer(budget, scorer, Some(&encoder))?),
        labeller: Some((&labeller, options)),
        encoder: Some(&encoder),
        timeout: None,
    };
    process(&args.input, &args.text, stages, &args.output, &args.batch)
}

pub fn summarize(args: SummarizeArgs) -> anyhow::Result<Outcome> {
    args.input.options()?; // bad flags fail before the model loads
    let budget = args.summary.budget()?;
    let scorer = args.summary.scorer()?;
    // The baselines need no model: do not load (or fetch) one for them.
    let encoder: Option<CandleEncoder> =
        if args.summary.method == Method::Model { Some(args.model.load()?) } else { None };
    let encoder = encoder.as_ref().map(|e| e as &dyn Encoder);
    let summarizer = args.summary.summarizer(budget, scorer, encoder)?;
    let stages = Stages { summarizer: Some(summarizer), labeller: None, encoder, timeout: None };
    process(&args.input, &args.text, stages, &args.output, &args.batch)
}

pub fn label(args: LabelArgs) -> anyhow::Result<Outcome> {
    args.input.options()?; // bad flags fail before the model loads
    let options = args.label.options()?;
    let encoder = args.model.load()?;
    let labeller = args.label.labeller(&encoder)?;
    let stages =
        Stages { summarizer: None, labeller: Some((&labeller, options)), encoder: Some(&encoder), timeout: None };
    process(&args.input, &args.text, stages, &args.output, &args.batch)
}

pub fn train(args: TrainArgs) -> anyhow::Result<Outcome> {
    let taxonomy = match &args.labels {
        Some(path) => Taxonomy::load(path)?,
        None => Taxonomy::default_sections(),
    };
    if args.epochs == 0 {
        bail!("--epochs must be at least 1");
    }
    let weights = train::Weights(args.weight.iter().cloned().collect());
    for name in weights.0.keys() {
        let named = |p: &std::path::PathBuf| p.file_name().is_some_and(|n| n.to_string_lossy() == name.as_str());
        if !args.data.iter().chain(&args.articles).any(named) {
            bail!("--weight {name}=…: no --data or --articles file is named {name}");
        }
    }
    let (mut examples, mut stats) = train::read_examples(&args.data, &taxonomy, &weights)?;
    if let Some(pages) = &args.pages {
        let (articles, article_stats) = train::read_articles(&args.articles, pages, &taxonomy, &weights)?;
        examples.extend(articles);
        stats.files.extend(article_stats.files);
    }
    for f in &stats.files {
        eprintln!(
            "{}: {} rows, {} used, {} unlabelled, {} with other labels",
            f.file, f.rows, f.used, f.unlabelled, f.other_labels
        );
    }
    let encoder = args.model.load()?;
    let parts: Vec<Part> = examples.iter().map(|e| e.part).collect();
    let progress = embedding_progress(examples.len(), "texts");
    let mut vectors = Vec::new();
    let mut members = Vec::new();
    for part in [Part::Train, Part::Val, Part::Test] {
        let idx: Vec<usize> = (0..examples.len()).filter(|&i| parts[i] == part).collect();
        let texts: Vec<&str> = idx.iter().map(|&i| examples[i].text.as_str()).collect();
        vectors.push(train::embed(&encoder, &texts, args.cache.as_deref(), &progress)?);
        members.push(idx);
    }
    progress.finish_and_clear();
    let labels_of = |p: usize| -> Vec<usize> { members[p].iter().map(|&i| examples[i].label).collect() };
    let val_labels = labels_of(1);
    // Training rows count as often as their file's weight says.
    let repeat = |i: usize| std::iter::repeat_n(i, examples[i].weight as usize);
    let train_rows: Vec<usize> = (0..members[0].len()).flat_map(|k| repeat(members[0][k]).map(move |_| k)).collect();
    let train_vectors: Vec<Vec<f32>> = train_rows.iter().map(|&k| vectors[0][k].clone()).collect();
    let train_labels: Vec<usize> = train_rows.iter().map(|&k| examples[members[0][k]].label).collect();
    let train_texts: Vec<&str> = train_rows.iter().map(|&k| examples[members[0][k]].text.as_str()).collect();
    let settings = Settings {
        epochs: args.epochs,
        learning_rate: args.learning_rate,
        weight_decay: args.weight_decay,
        seed: args.seed,
        ..Settings::default()
    };
    // The epoch and the mix are chosen on the validation part's whole texts (see `Example::piece`).
    let chooser: Vec<usize> = (0..members[1].len()).filter(|&k| !examples[members[1][k]].piece).collect();
    let chooser_vectors: Vec<Vec<f32>> = chooser.iter().map(|&k| vectors[1][k].clone()).collect();
    let chooser_labels: Vec<usize> = chooser.iter().map(|&k| val_labels[k]).collect();
    let chooser_texts: Vec<&str> = chooser.iter().map(|&k| examples[members[1][k]].text.as_str()).collect();
    let chooser_examples: Vec<&train::Example> = chooser.iter().map(|&k| &examples[members[1][k]]).collect();
    let classes = taxonomy.sections.len();
    let fit = logistic::fit(
        &Set { vectors: &train_vectors, labels: &train_labels },
        &Set { vectors: &chooser_vectors, labels: &chooser_labels },
        classes,
        &settings,
        |predicted, gold| crate::eval::labels::score_labels(predicted, gold, classes).macro_f1,
    )?;
    let mut head = Head::new(train::manifest(&encoder, &taxonomy, serde_json::Value::Null), fit.weight, fit.bias)?;
    let examples_of = |p: usize| -> Vec<&train::Example> { members[p].iter().map(|&i| &examples[i]).collect() };
    let mut lexical_training = serde_json::Value::Null;
    if !args.no_lexical {
        let settings = LexicalSettings { seed: args.seed, ..LexicalSettings::default() };
        let (lexical, epoch) = lexical::fit(
            (&train_texts, &train_labels),
            (&chooser_texts, &chooser_labels),
            taxonomy.sections.len(),
            &settings,
        )?;
        head = head.with_lexical(lexical.rounded_to_f16()?, 0.0)?;
        // The mix that labels the validation part best.
        let (mix, accuracy) = train::choose_mix(&mut head, &chooser_vectors, &chooser_examples);
        eprintln!("lexical part: best epoch {epoch}, mix {mix:.1} (validation accuracy {accuracy:.4})");
        lexical_training = serde_json::json!({
            "model": "multinomial logistic regression on hashed character 1-3-grams, (1 + ln tf)·idf, L2-normalised; \
                      balanced class weights, per-example AdaGrad; the epoch and the mix chosen on the validation part",
            "settings": settings,
            "best_epoch": epoch,
            "mix": mix,
        });
    }
    let summary = |scores: &std::collections::BTreeMap<String, crate::eval::labels::LabelScores>| {
        scores
            .iter()
            .map(|(k, s)| (k.clone(), serde_json::json!({"n": s.n, "accuracy": s.accuracy, "macro_f1": s.macro_f1})))
            .collect::<serde_json::Map<_, _>>()
    };
    let schemes = train::scheme_labels(&examples_of(0));
    let val = train::evaluate(&head, &vectors[1], &examples_of(1), &schemes);
    let test = train::evaluate(&head, &vectors[2], &examples_of(2), &schemes);
    head.manifest.training = serde_json::json!({
        "data": stats.files,
        "split": "by SHA-256 of the text (of the article's id for --articles parts): first two bytes mod 10 = 0 \
                  test, 1 validation, else train",
        "weights": weights,
        "rows": {"train": members[0].len(), "train_weighted": train_rows.len(), "validation": members[1].len(), "test": members[2].len()},
        "model": "multinomial logistic regression, balanced class weights, standardised inputs (folded into the weights)",
        "settings": settings,
        "best_epoch": fit.best_epoch,
        "lexical": lexical_training,
        "validation": summary(&val),
        "test": summary(&test),
    });
    head.save(&args.out)?;
    eprintln!("best epoch {} of {}", fit.best_epoch, settings.epochs);
    for (name, scores) in [("validation", &val), ("test", &test)] {
        for (scheme, s) in scores {
            eprintln!("{name:<10} {scheme:<18} n {:>6}  accuracy {:.4}  macro-F1 {:.4}", s.n, s.accuracy, s.macro_f1);
        }
    }
    eprintln!("wrote {}", args.out.display());
    Ok(Outcome::Done)
}

/// A progress bar for embedding `total` items, shown on a terminal only.
fn embedding_progress(total: usize, items: &str) -> ProgressBar {
    let progress = if console_is_terminal() { ProgressBar::new(total as u64) } else { ProgressBar::hidden() };
    let template = format!("embedding {{bar:30}} {{pos}}/{{len}} {items}, {{per_sec}}, eta {{eta}}");
    progress.set_style(ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()));
    progress
}

pub fn train_summarizer(args: TrainSummarizerArgs) -> anyhow::Result<Outcome> {
    use crate::summarize::train as fit;
    if args.data.is_empty() && args.articles.is_empty() {
        bail!("give texts with summaries: --data or --articles");
    }
    let weight_of = |path: &std::path::Path| {
        let name = fit::file_name(path);
        args.weight.iter().find(|(n, _)| *n == name).map_or(1.0, |(_, w)| *w as f32)
    };
    for (name, _) in &args.weight {
        if !args.data.iter().chain(&args.articles).any(|p| fit::file_name(p) == *name) {
            bail!("--weight {name}=…: no --data or --articles file is named {name}");
        }
    }
    let pages = args.pages.clone().unwrap_or_default();
    let (mut examples, mut files) = (Vec::new(), Vec::new());
    let mut weights = Vec::new();
    for path in &args.data {
        let (e, stats) = fit::read_rows(path, weight_of(path))?;
        weights.extend(std::iter::repeat_n(stats.weight, e.len()));
        examples.extend(e);
        files.push(stats);
    }
    for path in &args.articles {
        let (e, stats) = fit::read_articles(path, &pages, weight_of(path))?;
        weights.extend(std::iter::repeat_n(stats.weight, e.len()));
        examples.extend(e);
        files.push(stats);
    }
    let mut held_examples = Vec::new();
    let mut held_files = Vec::new();
    for path in &args.validation {
        let (e, stats) = fit::read_articles(path, &pages, 1.0)?;
        held_examples.extend(e);
        held_files.push(stats);
    }
    for f in files.iter().chain(&held_files) {
        eprintln!("{}: {} texts with a summary (weight {})", f.file, f.texts, f.weight);
    }
    let loaded = args.model.load()?;
    let cached = args.cache.clone().map(|dir| crate::model::service::cache::Cached { encoder: &loaded, dir });
    let encoder: &dyn Encoder = match &cached {
        Some(cached) => cached,
        None => &loaded,
    };
    let total = examples.len() + held_examples.len();
    let progress = embedding_progress(total, "texts");
    let settings = crate::summarize::ranked::Weights::default();
    let budget = crate::summarize::DEFAULT_MAX_CHARS;
    let tick = |n: usize| progress.inc(n as u64);
    let scored = fit::score_examples(encoder, &examples, &settings, budget, &tick)?;
    let held = fit::score_examples(encoder, &held_examples, &settings, budget, &tick)?;
    progress.finish_and_clear();
    let rows = fit::rows(&scored, &weights);
    let Some(mut scorer) = fit::fit(encoder, &rows, args.ridge) else {
        bail!("no training rows (or all features constant): nothing to fit");
    };
    let default_budget = Budget::default();
    // The trimmer first: the selection and the commentary threshold are chosen on the summaries
    // as the model method makes them, trimmed.
    let mut trimmer = fit::fit_trimmer(&mut scorer, &scored, &weights, default_budget, args.ridge);
    let grid = if held.is_empty() { Vec::new() } else { fit::choose_selection(&mut scorer, &held, default_budget) };
    let commentary = fit::fit_commentary(&mut scorer, &scored, &held);
    if let Some(trimmer) = &mut trimmer {
        fit::measure_trimmer(trimmer, &scorer, &held, default_budget);
    }
    let mut compressor = fit::fit_compressor(&mut scorer, &scored, &weights, default_budget, args.ridge);
    if let Some(compressor) = &mut compressor {
        fit::measure_compressor(compressor, &scorer, &held, default_budget);
    }
    // The clause runs of the texts meant to get one sentence, for the tightener.
    let progress = embedding_progress(total, "texts' clause runs");
    let tick = |n: usize| progress.inc(n as u64);
    let mut tightener = fit::fit_tightener(&mut scorer, encoder, &scored, &weights, default_budget, args.ridge, &tick)?;
    if let Some(tightener) = &mut tightener {
        fit::measure_tightener(tightener, &scorer, encoder, &held, default_budget, &tick)?;
    }
    progress.finish_and_clear();
    let train_scores = fit::held_out(&scorer, &scored);
    let val_scores = fit::held_out(&scorer, &held);
    let val_summaries = fit::summary_rouge(&scorer, &held, default_budget);
    scorer.training = serde_json::json!({
        "data": files,
        "validation_data": held_files,
        "target": "character ROUGE-L F1 of the sentence as a summary shows it (cut to the budget) against the \
                   reference, less the mean of its text's sentences",
        "budget_chars": budget,
        "sentences_per_text": settings.max_candidates,
        "rows": rows.len(),
        "model": "weighted least squares, ridge on standardised features; each text's weight spread over its sentences",
        "ridge": args.ridge,
        "train": train_scores,
        "validation": val_scores,
        "selection": "redundancy and min_score chosen by the validation texts' summary ROUGE-L F1 (default budget, \
                      untightened); without validation texts, none and no floor",
        "selection_grid": grid,
        "validation_summary_rouge_l": val_summaries,
        "commentary": commentary.as_ref().map(|c| serde_json::json!({
            "model": "logistic regression on the passage and headline vectors, classes weighted to balance, \
                      the epoch chosen by the validation texts' macro-F1",
            "fit": c,
            "selection": format!(
                "the lowest threshold at which the validation texts framed are commentary at a precision of at \
                 least {} with a recall of at least {} (above 1: never framed)",
                fit::FRAME_PRECISION,
                fit::MIN_FRAME_RECALL
            ),
        })),
        "trimmer": trimmer.as_ref().map(|t| serde_json::json!({
            "model": "weighted least squares on the runs of clauses of each over-long sentence, ridge on standardised \
                      features; target: the run's ROUGE-L F1 against the reference, less the mean of its sentence's runs",
            "fit": t,
        })),
        "compressor": compressor.as_ref().map(|c| serde_json::json!({
            "model": "weighted least squares on the combinations of each text that fills the budget (one or two runs of \
                      up to four clauses of its embedded sentences, or those sentences whole, in article order), ridge on \
                      standardised features; target: the combination's ROUGE-L F1 against the reference, less the mean of \
                      its text's combinations",
            "fit": c,
        })),
        "tightener": tightener.as_ref().map(|t| serde_json::json!({
            "model": "weighted least squares on the choices of each text meant to get one sentence (runs of up to three \
                      clauses of its embedded sentences, and those sentences whole), ridge on standardised features; \
                      target: the choice's ROUGE-L F1 against the reference, less the mean of its text's choices",
            "fit": t,
        })),
    });
    let json = serde_json::to_string_pretty(&scorer)?;
    std::fs::write(&args.out, json + "\n").with_context(|| format!("cannot write {}", args.out.display()))?;
    if !held.is_empty() {
        eprintln!(
            "validation summaries: ROUGE-L F1 {val_summaries:.4} (redundancy {}, min_score {})",
            scorer.redundancy, scorer.min_score
        );
    }
    if let (Some(c), Some(model)) = (&commentary, &scorer.commentary) {
        eprintln!(
            "commentary: {} of {} annotated texts; threshold {} (validation precision {:.2}, recall {:.2})",
            c.commentary, c.texts, model.threshold, c.precision, c.recall
        );
    }
    if let Some(t) = &trimmer {
        eprintln!(
            "trimmer: {} runs of {} over-long sentences; {} validation summaries changed, ROUGE-L F1 {:.4} cut, {:.4} trimmed",
            t.runs, t.sentences, t.validation_changed, t.validation_cut, t.validation_trimmed
        );
    }
    if let Some(t) = &tightener {
        eprintln!(
            "tightener: {} choices of {} texts meant to get one sentence, ROUGE-L F1 {:.4} cut, {:.4} tightened \
             ({} validation texts: {:.4}, {:.4})",
            t.choices,
            t.texts,
            t.untightened,
            t.tightened,
            t.validation_texts,
            t.validation_untightened,
            t.validation_tightened
        );
    }
    for (name, h) in [("train", train_scores), ("validation", val_scores)] {
        eprintln!(
            "{name:<10} {} texts: first sentence by the scorer R-L {:.4}, lead {:.4}, oracle {:.4}",
            h.texts, h.scorer, h.lead, h.oracle
        );
    }
    eprintln!("wrote {}", args.out.display());
    Ok(Outcome::Done)
}

fn console_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal()
}
