//! The command line's side of a batch run (`digest`, `summarize` and `label` over pages): the
//! flags become a [`Job`] and a [`Sink`], Ctrl-C sets the job's stop flag (the run finishes the
//! batch in flight, flushes and exits 130; a second Ctrl-C exits at once), and what the
//! pipeline tells and reports becomes a progress bar and log lines on stderr, a summary and an
//! exit code. The pipeline itself is [`crate::batch::pipeline`]'s.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::bail;
use indicatif::{ProgressBar, ProgressStyle};

use super::args::{BatchArgs, LogFormat, OutputArgs};
use super::Outcome;
use crate::batch::{self, Job, Observer, Sources, Tally};
use crate::input::{self, InputOptions};
use crate::output::{Done, ErrorRecord, Format, Sink};
use crate::stages::{Stages, Timeout};

/// Set by Ctrl-C; the run stops after the batch in flight.
static STOP: AtomicBool = AtomicBool::new(false);

/// Whether Ctrl-C asked the run to stop.
pub(super) fn stopping() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// Installs the Ctrl-C handler: the first asks the run to stop cleanly, a second exits at once.
pub(super) fn catch_interrupt() {
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
}

impl BatchArgs {
    /// `--article-timeout` as a limit; `None` for no limit.
    pub fn article_timeout(&self) -> anyhow::Result<Option<Timeout>> {
        let t = self.article_timeout;
        Timeout::from_secs(t)
            .map_err(|_| anyhow::anyhow!("--article-timeout must be a number of seconds, 0 or more (got {t})"))
    }
}

/// Everything a batch run needs besides the inputs.
pub struct BatchSetup<'a> {
    pub opts: &'a InputOptions,
    pub output: &'a OutputArgs,
    pub batch: &'a BatchArgs,
    pub stages: &'a Stages<'a>,
    /// Look for copies of earlier stories, with these settings (`digest`).
    pub duplicates: Option<crate::dedup::Settings>,
}

/// Runs the pipeline over `paths`, showing its progress and summary on stderr.
pub fn process(paths: &[PathBuf], run: &BatchSetup<'_>) -> anyhow::Result<Outcome> {
    let args = run.batch;
    let (mut sink, done) = open_sink(run)?;
    catch_interrupt();
    let mut console = Console { args, quiet: run.output.quiet, bar: progress_bar(paths, run) };
    let job = Job {
        sources: Sources { paths, input: run.opts, shard: args.shard },
        stages: run.stages,
        resume: args.resume.then_some(&done),
        fail_fast: args.fail_fast,
        stop: Some(&STOP),
        duplicates: run.duplicates,
    };
    let report = batch::run(&job, &mut sink, &mut console);
    // Cleared whatever happened, so that an error's line is the last word on stderr.
    console.bar.finish_and_clear();
    let report = report?;
    summary(args, run.output.quiet, &report);
    if let Some(failure) = &report.first_failure {
        bail!("stopped at the first failure (--fail-fast): {failure}");
    }
    Ok(if report.interrupted {
        Outcome::Interrupted
    } else if report.failed() == 0 {
        Outcome::Done
    } else if report.pages == 0 && report.skipped == 0 {
        Outcome::Failed
    } else {
        Outcome::Partial
    })
}

/// Opens and locks the output (a second run on the same output is refused here, before
/// anything is written) and, on --resume, reads what an earlier run wrote.
fn open_sink(run: &BatchSetup<'_>) -> anyhow::Result<(Sink<'static>, Done)> {
    let args = run.batch;
    Ok(match (&args.out_dir, &run.output.out) {
        (Some(_), Some(_)) => bail!("--out and --out-dir exclude each other"),
        (None, _) if args.resume && (run.output.out.is_none() || run.output.format != Format::Jsonl) => {
            bail!("--resume needs --format jsonl --out FILE, or --out-dir DIR")
        }
        (Some(dir), None) => (Sink::dir(dir)?, Done::default()),
        (None, Some(path)) => {
            let (sink, done) = Sink::file(path, run.output.format, args.resume)?;
            if done.repaired > 0 {
                let message = format!("cut a partial last line ({} bytes) from {}", done.repaired, path.display());
                log(args, run.output.quiet, "repaired", &message);
            }
            (sink, done)
        }
        (None, None) => (Sink::stdout(run.output.format), Done::default()),
    })
}

/// Stderr during a run: the progress bar, and a line for each failure.
struct Console<'a> {
    args: &'a BatchArgs,
    quiet: bool,
    bar: ProgressBar,
}

impl Observer for Console<'_> {
    fn failed(&mut self, record: &ErrorRecord<'_>) {
        let ErrorRecord { source, error, kind, .. } = record;
        match self.args.log_format {
            LogFormat::Json => {
                eprintln!("{}", serde_json::json!({"event": "failed", "source": source, "error": error, "kind": kind}));
            }
            LogFormat::Text if !self.quiet => self.bar.suspend(|| eprintln!("jianbao: {source}: {error}")),
            LogFormat::Text => {}
        }
    }

    fn progress(&mut self, so_far: &Tally) {
        self.bar.set_position(so_far.pages as u64);
        self.bar.set_message(format!("{} articles, {} failed", so_far.articles, so_far.failed()));
    }
}

fn progress_bar(paths: &[PathBuf], run: &BatchSetup<'_>) -> ProgressBar {
    if run.output.quiet || !std::io::stderr().is_terminal() || run.batch.log_format == LogFormat::Json {
        return ProgressBar::hidden();
    }
    let (bar, template) = match input::count_documents(paths, run.opts) {
        Some(total) => (
            ProgressBar::new(total as u64),
            "{bar:30} {pos}/{len} pages, {msg} · {per_sec} · {elapsed_precise} · eta {eta}",
        ),
        None => (ProgressBar::new_spinner(), "{spinner} {pos} pages, {msg} · {per_sec} · {elapsed_precise}"),
    };
    bar.set_style(ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()));
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

fn log(args: &BatchArgs, quiet: bool, event: &str, message: &str) {
    match args.log_format {
        LogFormat::Json => eprintln!("{}", serde_json::json!({"event": event, "message": message})),
        LogFormat::Text if !quiet => eprintln!("jianbao: {message}"),
        LogFormat::Text => {}
    }
}

/// The last word on stderr: pages, articles, failures by kind, time, rate, and the share of
/// time the model was busy.
fn summary(args: &BatchArgs, quiet: bool, report: &Tally) {
    let seconds = report.elapsed.as_secs_f64();
    let rate = report.articles_per_second();
    let interrupted = report.interrupted;
    match args.log_format {
        LogFormat::Json => eprintln!(
            "{}",
            serde_json::json!({
                "event": if interrupted { "interrupted" } else { "done" },
                "pages": report.pages, "articles": report.articles, "skipped": report.skipped,
                "failed": report.failed(), "failures": report.failures,
                "seconds": seconds, "articles_per_second": rate,
                "model_seconds": report.model_time.as_secs_f64(),
            })
        ),
        LogFormat::Text if !quiet && (report.pages + report.failed() > 1 || interrupted) => {
            let kinds: Vec<String> = report.failures.iter().map(|(k, n)| format!("{k} {n}")).collect();
            let failures = if kinds.is_empty() { String::new() } else { format!(" ({})", kinds.join(", ")) };
            let skipped = if report.skipped > 0 { format!(", {} already done", report.skipped) } else { String::new() };
            eprintln!(
                "{}: {} pages, {} articles{skipped}, {} failed{failures} in {seconds:.1} s, {rate:.1} articles/s, model busy {:.0}%",
                if interrupted { "interrupted" } else { "done" },
                report.pages,
                report.articles,
                report.failed(),
                report.model_share() * 100.0
            );
        }
        LogFormat::Text => {}
    }
}
