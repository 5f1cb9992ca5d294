//! The streaming driver behind `digest`, `summarize` and `label`: a reader thread reads and
//! splits pages into a bounded queue; this thread gathers their articles into batches for the
//! encoder and writes each page as soon as its batch is done. Memory stays bounded by the queue
//! and one batch, whatever the size of the archive.
//!
//! Around it: shards (`--shard I/N`), resuming from an earlier output (`--resume`), error
//! records for failed pages, `--fail-fast`, Ctrl-C (finish the batch in flight, flush, exit
//! 130), progress on stderr, and a summary at the end. The output itself (locked for the run,
//! write errors named, pages' paths kept inside --out-dir) is [`crate::output::Sink`]'s.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::time::{Duration, Instant};

use anyhow::bail;
use indicatif::{ProgressBar, ProgressStyle};

use super::args::{BatchArgs, LogFormat, OutputArgs};
use super::Outcome;
use crate::batch::{self, Done, Results, Shard, Timeout};
use crate::input::{self, InputOptions};
use crate::output::sink::UNNAMED;
use crate::output::{DigestPage, ErrorRecord, Format, Page, Sink};
use crate::segment::Article;

/// Articles gathered before the encoder runs: enough for full batches, few enough that output
/// follows input closely.
const BATCH_ARTICLES: usize = 64;
/// Pages read ahead of the encoder.
const QUEUE_PAGES: usize = 64;

/// Set by Ctrl-C; the run stops after the batch in flight.
static STOP: AtomicBool = AtomicBool::new(false);

/// Installs the Ctrl-C handler: the first asks the run to stop cleanly, a second exits at once.
fn catch_interrupt() {
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

/// A page read and split, waiting for its batch.
pub struct Pending {
    pub source: String,
    pub id: Option<String>,
    pub encoding: &'static str,
    /// The articles still to write (on resume, those not written before).
    pub articles: Vec<Article>,
    /// How many articles the page has.
    pub of: usize,
}

/// What the reader sends.
enum Item {
    Page(Pending),
    Failed { source: String, error: String, kind: &'static str },
}

/// Counts for the progress line and the summary.
#[derive(Default)]
struct Tally {
    pages: usize,
    articles: usize,
    /// Articles (and failed pages) already in the output of an earlier run.
    skipped: usize,
    failures: BTreeMap<&'static str, usize>,
    model_time: Duration,
}

impl Tally {
    fn failed(&self) -> usize {
        self.failures.values().sum()
    }
}

/// Everything the driver needs besides the inputs.
pub struct Run<'a> {
    pub opts: &'a InputOptions,
    pub output: &'a OutputArgs,
    pub batch: &'a BatchArgs,
    /// Runs the model on a batch of pages' articles.
    pub engine: &'a dyn Fn(&[&[Article]]) -> anyhow::Result<Results>,
}

/// Reads `paths` and processes every page: see the module documentation.
pub fn process(paths: &[PathBuf], run: &Run<'_>) -> anyhow::Result<Outcome> {
    let args = run.batch;
    let (mut sink, done) = open_sink(run)?;
    catch_interrupt();
    let started = Instant::now();
    let progress = progress_bar(paths, run);
    let streamed = stream(paths, run, &mut sink, &done, &progress);
    // Cleared whatever happened, so that an error's line is the last word on stderr.
    progress.finish_and_clear();
    let (tally, fail_fast) = streamed?;
    let interrupted = STOP.load(Ordering::SeqCst);
    summary(args, run.output.quiet, &tally, started.elapsed(), interrupted);
    if let Some(failure) = fail_fast {
        bail!("stopped at the first failure (--fail-fast): {failure}");
    }
    Ok(if interrupted {
        Outcome::Interrupted
    } else if tally.failed() == 0 {
        Outcome::Done
    } else if tally.pages == 0 && tally.skipped == 0 {
        Outcome::Failed
    } else {
        Outcome::Partial
    })
}

/// Opens and locks the output (a second run on the same output is refused here, before
/// anything is written) and, on --resume, reads what an earlier run wrote.
fn open_sink(run: &Run<'_>) -> anyhow::Result<(Sink<'static>, Done)> {
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

/// The run itself: pages from the reader gathered into batches, each batch's results written
/// as soon as they are done. Returns the counts and, with --fail-fast, the failure it stopped at.
fn stream(
    paths: &[PathBuf],
    run: &Run<'_>,
    sink: &mut Sink<'_>,
    done: &Done,
    progress: &ProgressBar,
) -> anyhow::Result<(Tally, Option<String>)> {
    let args = run.batch;
    let items = spawn_reader(paths.to_vec(), run.opts.clone(), args.shard);
    let mut tally = Tally::default();
    let mut pending: Vec<Pending> = Vec::new();
    let mut queued = 0;
    let mut fail_fast = None;
    let flush = |pending: &mut Vec<Pending>, sink: &mut Sink, tally: &mut Tally| -> anyhow::Result<()> {
        let pages: Vec<&[Article]> = pending.iter().map(|p| p.articles.as_slice()).collect();
        let model_started = Instant::now();
        let results = (run.engine)(&pages)?;
        tally.model_time += model_started.elapsed();
        let mut at = 0;
        for p in pending.drain(..) {
            let n = p.articles.len();
            let late = &results.timed_out[at..at + n];
            // Articles out of time get error records of their own, after the page's others.
            let articles = on_time(&p.articles, late);
            let summaries = results.summaries.as_deref().map(|s| on_time(&s[at..at + n], late));
            let labels = results.labels.as_deref().map(|l| on_time(&l[at..at + n], late));
            at += n;
            tally.pages += 1;
            if !articles.is_empty() {
                let page = Page { source: &p.source, id: p.id.as_deref(), encoding: p.encoding, articles: &articles };
                let digest = DigestPage { page, of: p.of, summaries: summaries.as_deref(), labels: labels.as_deref() };
                sink.page(&digest)?;
                tally.articles += articles.len();
            }
            for article in p.articles.iter().zip(late).filter(|(_, &late)| late).map(|(a, _)| a) {
                let key = batch::article_key(&p.source, article);
                let error =
                    format!("article {} took longer than --article-timeout {} s", article.index, args.article_timeout);
                sink.failed(&ErrorRecord::article(&p.source, &key, article.index, p.of, &error, "timeout"))?;
                *tally.failures.entry("timeout").or_default() += 1;
                log_failure(args, run.output.quiet, &p.source, &error, "timeout", progress);
            }
        }
        Ok(sink.checkpoint()?)
    };
    for item in items.iter() {
        // A page that --out-dir has no file name for (an archive entry called `..`) fails.
        let item = match item {
            Item::Page(page) if !sink.places(&page.source) => {
                Item::Failed { source: page.source, error: UNNAMED.to_owned(), kind: "unsafe-name" }
            }
            item => item,
        };
        match item {
            Item::Page(mut page) => {
                let before = page.articles.len();
                if args.resume && sink.holds(&page.source, "json") {
                    page.articles.clear();
                } else {
                    page.articles.retain(|a| !done.has(&batch::article_key(&page.source, a)));
                }
                tally.skipped += before - page.articles.len();
                if page.articles.is_empty() {
                    continue;
                }
                queued += page.articles.len();
                pending.push(page);
                if queued >= BATCH_ARTICLES {
                    queued = 0;
                    flush(&mut pending, sink, &mut tally)?;
                }
            }
            Item::Failed { source, error, kind } => {
                let resumed = done.failed.contains(&source) || (args.resume && sink.holds(&source, "error.json"));
                if resumed {
                    tally.skipped += 1;
                    continue;
                }
                *tally.failures.entry(kind).or_default() += 1;
                sink.failed(&ErrorRecord::page(&source, &error, kind))?;
                log_failure(args, run.output.quiet, &source, &error, kind, progress);
                if args.fail_fast {
                    fail_fast = Some(format!("{source}: {error}"));
                }
            }
        }
        progress.set_position(tally.pages as u64);
        progress.set_message(format!("{} articles, {} failed", tally.articles, tally.failed()));
        if fail_fast.is_some() || STOP.load(Ordering::SeqCst) {
            break;
        }
    }
    // The batch in flight is finished even when stopping.
    flush(&mut pending, sink, &mut tally)?;
    sink.finish()?;
    Ok((tally, fail_fast))
}

/// The items whose article is not `late`: borrowed as they are where none is, the common case.
fn on_time<'a, T: Clone>(items: &'a [T], late: &[bool]) -> Cow<'a, [T]> {
    if late.contains(&true) {
        Cow::Owned(items.iter().zip(late).filter(|(_, &late)| !late).map(|(item, _)| item.clone()).collect())
    } else {
        Cow::Borrowed(items)
    }
}

/// Reads and splits on a thread of its own, into a bounded queue. When the receiver goes away
/// (the run stopped), the reader stops splitting and sending.
fn spawn_reader(paths: Vec<PathBuf>, opts: InputOptions, shard: Option<Shard>) -> Receiver<Item> {
    let (tx, rx) = sync_channel(QUEUE_PAGES);
    std::thread::spawn(move || {
        let mut closed = false;
        input::read_sources(&paths, &opts, &mut |item| {
            if closed {
                return;
            }
            let item = match item {
                Ok(doc) => {
                    let source = doc.origin.to_string();
                    if shard.is_some_and(|s| !s.takes(&source)) {
                        return;
                    }
                    match crate::split_document(&doc) {
                        Ok(articles) => Item::Page(Pending {
                            id: doc.record.as_ref().and_then(|r| r.id.clone()),
                            encoding: doc.encoding,
                            of: articles.len(),
                            articles,
                            source,
                        }),
                        Err(err) => Item::Failed { source, error: err.kind.to_string(), kind: err.kind.code() },
                    }
                }
                Err(err) => {
                    if shard.is_some_and(|s| !s.takes(&err.origin)) {
                        return;
                    }
                    Item::Failed { error: err.kind.to_string(), kind: err.kind.code(), source: err.origin }
                }
            };
            closed = tx.send(item).is_err();
        });
    });
    rx
}

fn progress_bar(paths: &[PathBuf], run: &Run<'_>) -> ProgressBar {
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

fn log_failure(args: &BatchArgs, quiet: bool, source: &str, error: &str, kind: &str, progress: &ProgressBar) {
    match args.log_format {
        LogFormat::Json => {
            eprintln!("{}", serde_json::json!({"event": "failed", "source": source, "error": error, "kind": kind}));
        }
        LogFormat::Text if !quiet => progress.suspend(|| eprintln!("jianbao: {source}: {error}")),
        LogFormat::Text => {}
    }
}

/// The last word on stderr: pages, articles, failures by kind, time, rate, and the share of
/// time the model was busy.
fn summary(args: &BatchArgs, quiet: bool, tally: &Tally, elapsed: Duration, interrupted: bool) {
    let seconds = elapsed.as_secs_f64();
    let rate = if seconds > 0.0 { tally.articles as f64 / seconds } else { 0.0 };
    let model_share = if seconds > 0.0 { tally.model_time.as_secs_f64() / seconds } else { 0.0 };
    match args.log_format {
        LogFormat::Json => eprintln!(
            "{}",
            serde_json::json!({
                "event": if interrupted { "interrupted" } else { "done" },
                "pages": tally.pages, "articles": tally.articles, "skipped": tally.skipped,
                "failed": tally.failed(), "failures": tally.failures,
                "seconds": seconds, "articles_per_second": rate,
                "model_seconds": tally.model_time.as_secs_f64(),
            })
        ),
        LogFormat::Text if !quiet && (tally.pages + tally.failed() > 1 || interrupted) => {
            let kinds: Vec<String> = tally.failures.iter().map(|(k, n)| format!("{k} {n}")).collect();
            let failures = if kinds.is_empty() { String::new() } else { format!(" ({})", kinds.join(", ")) };
            let skipped = if tally.skipped > 0 { format!(", {} already done", tally.skipped) } else { String::new() };
            eprintln!(
                "{}: {} pages, {} articles{skipped}, {} failed{failures} in {seconds:.1} s, {rate:.1} articles/s, model busy {:.0}%",
                if interrupted { "interrupted" } else { "done" },
                tally.pages,
                tally.articles,
                tally.failed(),
                model_share * 100.0
            );
        }
        LogFormat::Text => {}
    }
}
