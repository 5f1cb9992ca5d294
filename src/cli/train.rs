//! `jianbao train` and `train-summarizer`: their flags become calls of [`crate::train`], which
//! they report on the console.

use std::ops::ControlFlow;

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};

use super::args::{ModelArgs, TrainArgs, TrainSummarizerArgs};
use super::Outcome;
use crate::fit::logistic::Settings;
use crate::label::Taxonomy;
use crate::model::service::cache::Cached;
use crate::model::source::adapter::{self, AdapterManifest};
use crate::model::Encoder;
use crate::train::adapter::Event;
use crate::train::{head, summarizer, Sample, Weights};

pub fn train(args: TrainArgs) -> anyhow::Result<Outcome> {
    let taxonomy = match &args.labels {
        Some(path) => Taxonomy::load(path)?,
        None => Taxonomy::default_sections(),
    };
    if args.epochs == 0 {
        bail!("--epochs must be at least 1");
    }
    if args.tune_layers == Some(0) || args.tune_epochs == 0 {
        bail!("--tune-layers and --tune-epochs must be at least 1");
    }
    if !(args.tune_salience >= 0.0 && args.tune_salience.is_finite()) {
        bail!("--tune-salience must be a weight of 0 or more, not {}", args.tune_salience);
    }
    let weights = Weights::new(args.weight.iter().cloned(), args.data.iter().chain(&args.articles))?;
    let rows = args.rows.iter().map(|(name, n)| (name.clone(), *n as usize));
    let sample = Sample::new(rows, &args.data, args.seed)?;
    let (mut examples, mut files) = head::read_examples(&args.data, &taxonomy, &weights, &sample)?;
    let (away, away_from) = kept_apart(&args.away_from)?;
    if let Some(pages) = &args.pages {
        let (articles, article_files) = head::read_articles(&args.articles, pages, &taxonomy, &weights, &away)?;
        examples.extend(articles);
        files.extend(article_files);
    }
    for f in &files {
        eprintln!("{}", f.summary());
    }
    head::check_parts(&examples, &files)?;
    let encoder = match args.tune_layers {
        None => args.model.load()?,
        Some(_) if args.model.adapter.is_some() || args.model.tuned => {
            bail!("--tune-layers tunes the encoder's own layers: give no --adapter or --tuned")
        }
        Some(_) => {
            // From the encoder's own layers; the head is then trained on the tuned encoder's
            // vectors, as users will run it.
            let plain = args.model.load()?;
            let adapter = tune(&args, &plain, &taxonomy, &examples, &away, &files, &weights)?;
            ModelArgs { adapter: Some(adapter), ..args.model.clone() }.load()?
        }
    };
    let settings = Settings {
        epochs: args.epochs,
        learning_rate: args.learning_rate,
        weight_decay: args.weight_decay,
        seed: args.seed,
        ..Settings::default()
    };
    let progress = embedding_progress(examples.len(), "texts");
    let tick = |n: usize| progress.inc(n as u64);
    let trained = head::train(
        &encoder,
        &taxonomy,
        &examples,
        files,
        weights,
        settings,
        args.no_lexical,
        args.cache.as_deref(),
        &tick,
    );
    progress.finish_and_clear();
    let mut trained = trained?;
    if let Some(sources) = away_from {
        trained.head.manifest.training["away_from"] = sources;
    }
    if let Some((epoch, mix, accuracy)) = trained.lexical {
        eprintln!("lexical part: best epoch {epoch}, mix {mix:.1} (validation accuracy {accuracy:.4})");
    }
    trained.head.save(&args.out)?;
    eprintln!("best epoch {} of {}", trained.best_epoch, settings.epochs);
    for (name, scores) in [("validation", &trained.validation), ("test", &trained.test)] {
        for (scheme, s) in scores {
            eprintln!("{name:<10} {scheme:<18} n {:>6}  accuracy {:.4}  macro-F1 {:.4}", s.n, s.accuracy, s.macro_f1);
        }
    }
    eprintln!("wrote {}", args.out.display());
    Ok(Outcome::Done)
}

pub fn train_summarizer(args: TrainSummarizerArgs) -> anyhow::Result<Outcome> {
    if args.data.is_empty() && args.articles.is_empty() {
        bail!("give texts with summaries: --data or --articles");
    }
    let weights = Weights::new(args.weight.iter().cloned(), args.data.iter().chain(&args.articles))?;
    let pages = args.pages.clone().unwrap_or_default();
    let (away, away_from) = kept_apart(&args.away_from)?;
    let data = summarizer::read(&args.data, &args.articles, &args.validation, &pages, &weights, &away)?;
    for f in data.files.iter().chain(&data.held_files) {
        eprintln!(
            "{}: {} texts with a summary (weight {}), {} on pages kept apart",
            f.source.file, f.texts, f.weight, f.away
        );
    }
    let loaded = args.model.load()?;
    let cached = args.cache.clone().map(|dir| Cached { encoder: &loaded, dir });
    let encoder: &dyn Encoder = match &cached {
        Some(cached) => cached,
        None => &loaded,
    };
    let total = data.examples.len() + data.held.len();
    let progress = embedding_progress(total, "texts");
    let (scored, held) = summarizer::score(encoder, &data, &|n| progress.inc(n as u64))?;
    progress.finish_and_clear();
    // The clause runs of the texts meant to get one sentence, for the tightener.
    let progress = embedding_progress(total, "texts' clause runs");
    let trained = summarizer::fit(encoder, &data, &scored, &held, args.ridge, &|n| progress.inc(n as u64))?;
    progress.finish_and_clear();
    let Some(mut trained) = trained else {
        bail!("no training rows (or all features constant): nothing to fit");
    };
    if let Some(sources) = away_from {
        trained.model.training["away_from"] = sources;
    }
    let summary_model = &trained.model;
    let json = serde_json::to_string_pretty(summary_model)?;
    std::fs::write(&args.out, json + "\n").with_context(|| format!("cannot write {}", args.out.display()))?;
    if !held.is_empty() {
        eprintln!(
            "validation summaries: ROUGE-L F1 {:.4} (redundancy {}, min_score {})",
            trained.validation_summaries, summary_model.redundancy, summary_model.min_score
        );
    }
    if let (Some(c), Some(model)) = (&trained.commentary, &summary_model.commentary) {
        eprintln!(
            "commentary: {} of {} annotated texts, {} epochs; threshold {} (out of {} folds: precision {:.2}, recall {:.2})",
            c.commentary, c.texts, c.epochs, model.threshold, c.folds, c.precision, c.recall
        );
    }
    if let Some(t) = &trained.trimmer {
        eprintln!(
            "trimmer: {} runs of {} over-long sentences; {} validation summaries changed, ROUGE-L F1 {:.4} cut, {:.4} trimmed",
            t.runs, t.sentences, t.validation_changed, t.validation_cut, t.validation_trimmed
        );
    }
    if let Some(c) = &trained.compressor {
        eprintln!(
            "compressor: {} combinations of {} texts; {} validation texts, ROUGE-L F1 {:.4} whole sentences, {:.4} \
             compressed, {:.4} the best combination",
            c.combinations,
            c.texts,
            c.validation_texts,
            c.validation_whole,
            c.validation_compressed,
            c.validation_oracle
        );
    }
    if let Some(t) = &trained.tightener {
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
    for (name, h) in [("train", trained.train), ("validation", trained.validation)] {
        eprintln!(
            "{name:<10} {} texts: first sentence by the scorer R-L {:.4}, lead {:.4}, oracle {:.4}",
            h.texts, h.scorer, h.lead, h.oracle
        );
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

fn console_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal()
}

/// `jianbao train --tune-layers N`: tunes the top layers on a sample of the training rows (and,
/// with --tune-salience, on the summaries of the articles off the pages `away`) and writes them
/// to --out as an adapter, whose path it returns; its manifest records the files read (with
/// their SHA-256) and their weights, as a head's does.
fn tune(
    args: &TrainArgs,
    encoder: &crate::model::CandleEncoder,
    taxonomy: &Taxonomy,
    examples: &[head::Example],
    away: &std::collections::HashSet<String>,
    files: &[head::FileStats],
    weights: &Weights,
) -> anyhow::Result<std::path::PathBuf> {
    use crate::fit::split::Part;
    let salient = match (&args.pages, args.tune_salience > 0.0) {
        (Some(pages), true) => summarizer::salient(&args.articles, pages, away)?,
        _ => Vec::new(),
    };
    if args.tune_salience > 0.0 {
        if salient.is_empty() {
            bail!("--tune-salience: no training article of --articles off the kept-apart pages has a summary");
        }
        eprintln!("salience: {} training articles with a summary", salient.len());
    }
    // At most --tune-rows training rows of each scheme, a seeded sample.
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut state = args.seed.max(1);
    crate::fit::logistic::shuffle(&mut order, &mut state);
    let mut keep = vec![true; examples.len()];
    for i in order {
        if examples[i].part == Part::Train {
            let n = seen.entry(examples[i].scheme.clone()).or_default();
            *n += 1;
            keep[i] = *n <= args.tune_rows;
        }
    }
    let examples: Vec<head::Example> =
        examples.iter().zip(keep).filter(|(_, keep)| *keep).map(|(e, _)| e.clone()).collect();
    let settings = crate::train::adapter::Settings {
        layers: args.tune_layers.unwrap_or_default(),
        epochs: args.tune_epochs,
        learning_rate: args.tune_learning_rate,
        salience: args.tune_salience,
        seed: args.seed,
        ..Default::default()
    };
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} {elapsed_precise} (ETA {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    super::batch::catch_interrupt();
    let progress = |event: Event| {
        match event {
            Event::LowerStates { done, of } => {
                bar.set_message("lower layers");
                bar.set_length(of as u64);
                bar.set_position(done as u64);
            }
            Event::Step { done, of } => {
                bar.set_message("tuning");
                bar.set_length(of as u64);
                bar.set_position(done as u64);
            }
            Event::Epoch { epoch, accuracy } => {
                bar.println(format!("epoch {epoch}: validation accuracy {accuracy:.4}"));
            }
        }
        if super::batch::stopping() {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let tuned = crate::train::adapter::tune(
        encoder,
        &examples,
        &salient,
        taxonomy.sections.len(),
        &settings,
        Some(&args.out),
        &progress,
    );
    bar.finish_and_clear();
    let (tuned, report) = tuned?;
    std::fs::create_dir_all(&args.out)?;
    let mut training = serde_json::to_value(&report)?;
    training["data"] = serde_json::to_value(files)?;
    training["weights"] = serde_json::to_value(weights)?;
    let mut tensors = tuned.layer_tensors()?;
    if let Some(rank) = args.tune_rank {
        let (cut, kept) = crate::train::adapter::low_rank(encoder, tensors, rank as usize)?;
        eprintln!("cut to rank {rank}: each weight's change keeps at least {:.1}% of its squared norm", kept * 100.0);
        training["rank"] = rank.into();
        training["least_norm_kept"] = kept.into();
        tensors = cut;
    }
    let manifest = AdapterManifest {
        scale: args.tune_scale,
        ..AdapterManifest::new(encoder.id(), report.layers.clone(), training)
    };
    let path = args.out.join("adapter.safetensors");
    adapter::save(&path, &manifest, &tensors)?;
    eprintln!("{}", serde_json::to_string_pretty(&report)?);
    crate::train::adapter::remove_checkpoint(&args.out);
    eprintln!("wrote {}", path.display());
    Ok(path)
}

/// What `--away-from` keeps training off: the pages its files annotate, and, where it names
/// any, those files named and fingerprinted as the training data are, for the manifest (a test
/// of the shipped models checks that what they were measured on was kept apart).
fn kept_apart(
    paths: &[std::path::PathBuf],
) -> anyhow::Result<(std::collections::HashSet<String>, Option<serde_json::Value>)> {
    let pages = crate::annotated::annotated_pages(paths)?;
    if paths.is_empty() {
        return Ok((pages, None));
    }
    let sources = paths.iter().map(|p| Ok(crate::train::read_source(p)?.1)).collect::<anyhow::Result<Vec<_>>>()?;
    Ok((pages, Some(serde_json::to_value(sources)?)))
}
