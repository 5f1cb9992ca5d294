//! The streaming pipeline behind `digest`, `summarize` and `label` over pages: a reader thread
//! reads and splits pages into a bounded queue ([`super::reader`]); the calling thread gathers
//! their articles into batches for the [`Stages`] and writes each page as soon as its batch is
//! done. Memory stays bounded by the queue and one batch, whatever the size of the archive.
//!
//! Around it: shards, skipping what an earlier run wrote, error records for failed pages and
//! for articles out of time, stopping at the first failure, and stopping cleanly when asked
//! (the batch in flight is finished and flushed). What happens is told to an [`Observer`] and
//! counted in a [`Tally`]; showing either (a progress bar, log lines, an exit code) is the
//! caller's. The output itself (locked for the run, write errors named, pages' paths kept
//! inside a directory) is [`Sink`]'s.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::reader::{self, Item, Pending};
use super::Shard;
use crate::dedup::{self, Detector, Duplicate};
use crate::input::InputOptions;
use crate::output::sink::UNNAMED;
use crate::output::{article_key, DigestPage, Done, ErrorRecord, Page, Sink, SinkError};
use crate::segment::Article;
use crate::stages::{Results, StageError, Stages};

/// Articles gathered before the stages run: enough for full batches for the model, few enough
/// that output follows input closely.
const BATCH_ARTICLES: usize = 64;

/// Where the pages come from.
pub struct Sources<'a> {
    /// Files, directories, archives, JSON Lines files, or `-` for standard input.
    pub paths: &'a [PathBuf],
    pub input: &'a InputOptions,
    /// Only the pages of this shard; every page where `None`.
    pub shard: Option<Shard>,
}

/// A batch run: its pages, what to do with them, and when to stop.
pub struct Job<'a> {
    pub sources: Sources<'a>,
    pub stages: &'a Stages<'a>,
    /// Continue an earlier run: skip the articles and failed pages it wrote (what
    /// [`Sink::file`] read back with `resume`), and under a directory ([`Sink::dir`]) the pages
    /// whose file is there. `None` for a fresh run.
    pub resume: Option<&'a Done>,
    /// Stop at the first page that fails (its error record written).
    pub fail_fast: bool,
    /// Checked after each page: once set, the run finishes the batch in flight, flushes and
    /// returns, [`Tally::interrupted`] set.
    pub stop: Option<&'a AtomicBool>,
    /// Look for copies of earlier stories ([`Detector`]) with these settings: each record of a
    /// copy names its story's first record. Every article read is checked, in input order,
    /// those an earlier run wrote too, so that a resumed run finds what a whole one would.
    pub duplicates: Option<dedup::Settings>,
}

impl Job<'_> {
    fn stopped(&self) -> bool {
        self.stop.is_some_and(|s| s.load(Ordering::SeqCst))
    }
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Pages whose batch was done (a page whose articles all ran out of time counts).
    pub pages: usize,
    /// Article records written.
    pub articles: usize,
    /// Articles (and failed pages) that an earlier run had written, skipped.
    pub skipped: usize,
    /// Error records written (failed pages, articles out of time), by kind.
    pub failures: BTreeMap<String, usize>,
    /// Time spent in the stages, the model's work included.
    pub model_time: Duration,
    /// Time since the run started.
    pub elapsed: Duration,
    /// The stop flag ended the run.
    pub interrupted: bool,
    /// With `fail_fast`, the failure the run stopped at: `SOURCE: ERROR`.
    pub first_failure: Option<String>,
}

impl Tally {
    /// Error records written.
    pub fn failed(&self) -> usize {
        self.failures.values().sum()
    }

    /// Article records written per second of the run.
    pub fn articles_per_second(&self) -> f64 {
        self.per_second(self.articles as f64)
    }

    /// The share of the run's time spent in the stages: what is left is reading, splitting and
    /// writing that the pipeline failed to overlap.
    pub fn model_share(&self) -> f64 {
        self.per_second(self.model_time.as_secs_f64())
    }

    /// `amount` over the run's seconds; 0 for a run too short to time.
    fn per_second(&self, amount: f64) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            amount / seconds
        } else {
            0.0
        }
    }
}

/// Told what happens during a run, as it happens, on the thread that called [`run`]. Every
/// method does nothing unless implemented.
pub trait Observer {
    /// A page's records were written.
    fn written(&mut self, _page: &DigestPage<'_>) {}
    /// A page failed, or one of its articles ran out of time; `record` was written for it.
    fn failed(&mut self, _record: &ErrorRecord<'_>) {}
    /// A page was taken from the reader (queued for a batch, or failed); `so_far` counts what
    /// is done.
    fn progress(&mut self, _so_far: &Tally) {}
}

/// An observer that watches nothing.
pub struct Unobserved;

impl Observer for Unobserved {}

/// Why a run stopped before its end: the stages failed, or the output could not be written.
/// The message is theirs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PipelineError {
    #[error(transparent)]
    Stages(#[from] StageError),
    #[error(transparent)]
    Sink(#[from] SinkError),
}

/// Reads the job's sources and runs its stages on every page, writing to `sink`: see the
/// module documentation. A page that fails becomes an error record and the run goes on (unless
/// `fail_fast`); the stages failing or the sink failing to write ends the run with an error.
pub fn run(job: &Job<'_>, sink: &mut Sink<'_>, observer: &mut dyn Observer) -> Result<Tally, PipelineError> {
    let started = Instant::now();
    let sources = &job.sources;
    let items = reader::spawn(sources.paths.to_vec(), sources.input.clone(), sources.shard);
    let mut batch = Batch {
        job,
        sink,
        observer,
        report: Tally::default(),
        pending: Vec::new(),
        queued: 0,
        detector: job.duplicates.map(Detector::new),
    };
    for item in items.iter() {
        // A page or failure already done is passed over without a word.
        if !batch.take(item)? {
            continue;
        }
        batch.report.elapsed = started.elapsed();
        batch.observer.progress(&batch.report);
        if batch.report.first_failure.is_some() || job.stopped() {
            break;
        }
    }
    // The batch in flight is finished even when stopping.
    batch.flush()?;
    batch.sink.finish()?;
    let mut report = batch.report;
    report.elapsed = started.elapsed();
    report.interrupted = job.stopped();
    Ok(report)
}

/// The pages gathered for the next batch, and where their results go.
struct Batch<'j, 's, 'w> {
    job: &'j Job<'j>,
    sink: &'s mut Sink<'w>,
    observer: &'s mut dyn Observer,
    report: Tally,
    /// Pages waiting for the stages, each with what the detector found of its articles.
    pending: Vec<(Pending, Vec<Option<Duplicate>>)>,
    /// Articles in `pending`.
    queued: usize,
    detector: Option<Detector>,
}

impl Batch<'_, '_, '_> {
    /// Queues a page (running the batch once it is full) or writes a failure. False where the
    /// item was already done by an earlier run.
    fn take(&mut self, item: Item) -> Result<bool, PipelineError> {
        // A page that a directory has no file name for (an archive entry called `..`) fails.
        let item = match item {
            Item::Page(page) if !self.sink.places(&page.source) => {
                Item::Failed { source: page.source, error: UNNAMED.to_owned(), kind: "unsafe-name" }
            }
            item => item,
        };
        match item {
            Item::Page(mut page) => {
                let before = page.articles.len();
                // Each article's key, computed once, where copies are looked for or a run resumed.
                let keys: Vec<String> = if self.detector.is_some() || self.job.resume.is_some() {
                    page.articles.iter().map(|a| article_key(&page.source, a)).collect()
                } else {
                    Vec::new()
                };
                let mut duplicates = self.find_copies(&page, &keys);
                if let Some(done) = self.job.resume {
                    let whole_page = self.sink.holds(&page.source, "json");
                    let keep: Vec<bool> = keys.iter().map(|key| !whole_page && !done.has(key)).collect();
                    retain_kept(&mut page.articles, &keep);
                    retain_kept(&mut duplicates, &keep);
                }
                self.report.skipped += before - page.articles.len();
                if page.articles.is_empty() {
                    return Ok(false);
                }
                self.queued += page.articles.len();
                self.pending.push((page, duplicates));
                if self.queued >= BATCH_ARTICLES {
                    self.flush()?;
                }
            }
            Item::Failed { source, error, kind } => {
                let resumed = self
                    .job
                    .resume
                    .is_some_and(|done| done.failed.contains(&source) || self.sink.holds(&source, "error.json"));
                if resumed {
                    self.report.skipped += 1;
                    return Ok(false);
                }
                self.fail(&ErrorRecord::page(&source, &error, kind))?;
                if self.job.fail_fast {
                    self.report.first_failure = Some(format!("{source}: {error}"));
                }
            }
        }
        Ok(true)
    }

    /// Runs the stages on the pending pages and writes each page, then makes what was written
    /// durable.
    fn flush(&mut self) -> Result<(), PipelineError> {
        self.queued = 0;
        let pending = std::mem::take(&mut self.pending);
        let pages: Vec<&[Article]> = pending.iter().map(|(p, _)| p.articles.as_slice()).collect();
        let started = Instant::now();
        let results = self.job.stages.run(&pages)?;
        self.report.model_time += started.elapsed();
        let mut at = 0;
        for (page, duplicates) in &pending {
            self.write(page, duplicates, &results, at)?;
            at += page.articles.len();
        }
        Ok(self.sink.checkpoint()?)
    }

    /// What the detector finds of each of `page`'s articles, whose `keys` they are (nothing
    /// where the job looks for no copies): its headline and paragraphs are the text compared.
    fn find_copies(&mut self, page: &Pending, keys: &[String]) -> Vec<Option<Duplicate>> {
        let Some(detector) = &mut self.detector else {
            return vec![None; page.articles.len()];
        };
        page.articles
            .iter()
            .zip(keys)
            .map(|(article, key)| {
                let mut text = article.headline.clone();
                for paragraph in &article.paragraphs {
                    text.push('\n');
                    text.push_str(paragraph);
                }
                detector.check(key, &text, None)
            })
            .collect()
    }

    /// Writes `page`, whose results start at `at` in `results` (with what the detector found of
    /// its articles): its records, then an error record for each article that ran out of time.
    fn write(
        &mut self,
        page: &Pending,
        duplicates: &[Option<Duplicate>],
        results: &Results,
        at: usize,
    ) -> Result<(), SinkError> {
        let range = at..at + page.articles.len();
        let late = &results.timed_out[range.clone()];
        let articles = on_time(&page.articles, late);
        let summaries = results.summaries.as_deref().map(|s| on_time(&s[range.clone()], late));
        let labels = results.labels.as_deref().map(|l| on_time(&l[range], late));
        let duplicates = self.detector.is_some().then(|| on_time(duplicates, late));
        self.report.pages += 1;
        if !articles.is_empty() {
            let record = Page {
                source: &page.source,
                id: page.id.as_deref(),
                date: page.date.as_deref(),
                page_number: page.page.as_deref(),
                encoding: page.encoding,
                articles: &articles,
            };
            let digest = DigestPage {
                page: record,
                of: page.of,
                summaries: summaries.as_deref(),
                labels: labels.as_deref(),
                duplicates: duplicates.as_deref(),
            };
            self.sink.page(&digest)?;
            self.report.articles += articles.len();
            self.observer.written(&digest);
        }
        for article in page.articles.iter().zip(late).filter(|(_, &late)| late).map(|(a, _)| a) {
            let key = article_key(&page.source, article);
            // The limit as the command line's flag gave it: records are read against it.
            let limit = self.job.stages.timeout.map(|t| t.to_string()).unwrap_or_default();
            let error = format!("article {} took longer than --article-timeout {limit} s", article.index);
            self.fail(&ErrorRecord::article(&page.source, &key, article.index, page.of, &error, "timeout"))?;
        }
        Ok(())
    }

    /// Writes a failure's record, counts it and tells the observer.
    fn fail(&mut self, record: &ErrorRecord<'_>) -> Result<(), SinkError> {
        self.sink.failed(record)?;
        *self.report.failures.entry(record.kind.to_owned()).or_default() += 1;
        self.observer.failed(record);
        Ok(())
    }
}

/// `items` without those whose `keep` is false (one flag per item, in order).
fn retain_kept<T>(items: &mut Vec<T>, keep: &[bool]) {
    let mut flags = keep.iter();
    items.retain(|_| flags.next().copied().unwrap_or(true));
}

/// The items whose article is not `late`: borrowed as they are where none is, the common case.
fn on_time<'a, T: Clone>(items: &'a [T], late: &[bool]) -> Cow<'a, [T]> {
    if late.contains(&true) {
        Cow::Owned(items.iter().zip(late).filter(|(_, &late)| !late).map(|(item, _)| item.clone()).collect())
    } else {
        Cow::Borrowed(items)
    }
}
