//! `jianbao eval`: run a suite (or read predictions), score, report, check.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context};

use super::args::{EvalArgs, ReferencesArg};
use super::{check_share, Outcome};
use crate::eval::bootstrap::Bootstrap;
use crate::eval::report::Report;
use crate::eval::rouge::Aggregate;
use crate::eval::run::{self, Pipeline, ScoringOptions, Systems};
use crate::eval::suite::{Suite, System};
use crate::label::head::Head;
use crate::label::Taxonomy;
use crate::model::{CandleEncoder, Encoder};
use crate::summarize::learnt::SummaryModel;
use crate::summarize::Budget;

pub fn eval(args: EvalArgs) -> anyhow::Result<Outcome> {
    if args.max_chars == 0 {
        bail!("--max-chars must be at least 1");
    }
    check_share("--page-context", args.page_context)?;
    let to_stdout = [&args.json, &args.markdown, &args.html, &args.junit]
        .iter()
        .filter(|p| p.as_deref().is_some_and(is_stdout))
        .count();
    if to_stdout > 1 {
        bail!("only one of --json, --markdown, --html and --junit can be - (standard output)");
    }
    if args.check && args.suite.is_none() {
        bail!("--check needs a --suite, whose thresholds it checks");
    }
    let opts = ScoringOptions {
        tokenizer: args.rouge_tokens,
        aggregate: match args.references {
            ReferencesArg::Best => Aggregate::Best,
            ReferencesArg::Average => Aggregate::Average,
        },
        bootstrap: Bootstrap { resamples: args.resamples, seed: args.seed },
    };
    let mut report = match (&args.suite, &args.predictions, &args.gold) {
        (Some(path), _, _) => {
            let suite = Suite::load(path, args.data_dir.as_deref())?;
            // Load (and if need be fetch) the model only when a method uses it.
            let encoder: Option<CandleEncoder> = if suite.needs_model() { Some(args.model.load()?) } else { None };
            let zero_shot = suite.uses(System::ZeroShot);
            let budget = Budget { max_chars: args.max_chars, sentences: None };
            // A head only where a method labels with it: a suite of summaries scores an
            // adapter's summaries without a head made for it.
            let labels = suite.uses(System::Head) || suite.uses(System::Tfidf);
            let head = match &args.head {
                Some(dir) => Some(Head::load(dir)?),
                None if labels => Some(encoder.as_ref().map_or_else(Head::builtin, |e| Head::builtin_for(e.id()))),
                None => None,
            };
            // `tuned`: e5-small with its built-in tuned layers, with their head.
            let tuned: Option<CandleEncoder> =
                if suite.uses(System::Tuned) { Some(args.model.with_tuned().load()?) } else { None };
            let mut pipeline = Pipeline::new(encoder.as_ref().map(|e| e as &dyn Encoder), budget, head, zero_shot)?
                .with_page_context(args.page_context);
            if let Some(tuned) = &tuned {
                pipeline = pipeline.with_tuned(tuned, Head::builtin_for(tuned.id()))?;
            }
            if let Some(path) = &args.summary_model {
                let summary_model = SummaryModel::load(path)?;
                if let Some(encoder) = &encoder {
                    summary_model
                        .check_encoder(encoder.id())
                        .map_err(|m| anyhow::anyhow!("{}: {m}", path.display()))?;
                }
                pipeline = pipeline.with_summary_model(summary_model);
            }
            let quiet = args.quiet;
            let mut report = run::run_suite(&suite, &pipeline as &dyn Systems, &opts, &mut |d| {
                if !quiet {
                    eprintln!("jianbao eval: {} ({}, {})", d.name, d.task.as_str(), d.given);
                }
            })?;
            if report.model.is_some() {
                report.weights = encoder.as_ref().map(|e| e.weights().as_str().to_owned());
            }
            report
        }
        (None, Some(predictions), Some(gold)) => {
            let sections = Taxonomy::default_sections().names();
            run::score_predictions(predictions, gold, args.tolerance, &sections, &opts)?
        }
        _ => bail!("give --suite FILE, or --predictions FILE with --gold FILE"),
    };
    if let Some(path) = &args.baseline {
        let text = fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let baseline: Report = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a jianbao eval --json report", path.display()))?;
        report.compare(&baseline);
    }
    write(args.json.as_deref(), || serde_json::to_string_pretty(&report).map(|s| s + "\n").map_err(Into::into))?;
    write(args.markdown.as_deref(), || Ok(crate::eval::markdown::render(&report)))?;
    write(args.html.as_deref(), || Ok(crate::eval::html::render(&report)))?;
    write(args.junit.as_deref(), || Ok(crate::eval::junit::render(&report)))?;
    if !args.quiet {
        // Standard output holds the report asked for there; the table goes beside it.
        if to_stdout == 1 {
            eprint!("{}", report.table());
        } else {
            print!("{}", report.table());
        }
    }
    if args.check {
        let failed: Vec<String> = report.failed_checks().map(ToString::to_string).collect();
        for f in &failed {
            eprintln!("jianbao eval: threshold failed: {f}");
        }
        if !failed.is_empty() {
            return Ok(Outcome::Partial);
        }
    }
    Ok(Outcome::Done)
}

/// `-` stands for standard output.
fn is_stdout(path: &Path) -> bool {
    path == Path::new("-")
}

fn write(path: Option<&Path>, content: impl FnOnce() -> anyhow::Result<String>) -> anyhow::Result<()> {
    match path {
        None => {}
        Some(path) if is_stdout(path) => {
            std::io::stdout().write_all(content()?.as_bytes()).context("cannot write to standard output")?
        }
        Some(path) => fs::write(path, content()?).with_context(|| format!("cannot write {}", path.display()))?,
    }
    Ok(())
}
