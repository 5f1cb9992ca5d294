//! `jianbao digest` as a batch tool on the shared People's Daily pages, at 2 threads, through
//! the library's batch pipeline ([`jianbao::batch::run`], the code the binary runs), each run in
//! a child process of its own (this bench run again with `JIANBAO_BENCH_CHILD` set) so that its
//! peak memory is its own:
//!
//! - `dir`, `targz`: the pages digested (summaries and sections with the default model) as a
//!   directory and as one .tar.gz: articles per second, peak resident memory, and the share of
//!   the time the model was busy (the rest is reading, splitting and writing that the pipeline
//!   failed to overlap); the model is loaded before the clock starts; and per article, the
//!   tokens embedded and the rows the encoder's layers ran, padding included;
//! - `scale`: memory against input size: lead summaries (no model, so that the pipeline's own
//!   memory is what shows) over the pages once and ten times over, in one .tar.gz each;
//! - `cli`: the release binary's `jianbao digest` over the directory, as users run it: the same
//!   figures from its `--log-format json` summary (its time including loading the model), to
//!   show that the command line adds nothing to the pipeline's cost.
//!
//! cargo bench --bench digest                          # all of it, every page (1,268)
//! cargo bench --bench digest -- --pages 200           # the first 200 pages
//! cargo bench --bench digest -- --only dir|targz|scale|cli
//!
//! Targets: at least 20 articles/s; peak RSS under 1.5 GB; the model busy at least 90% of the
//! time; ten times the input raises peak RSS by at most 10%. The bench exits non-zero when one
//! is missed, or when a page fails.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use jianbao::batch::{self, Job, Sources, Unobserved};
use jianbao::input::InputOptions;
use jianbao::label::{head::Head, Labeller};
use jianbao::model::source::{self, FetchOptions, ModelSpec, DEFAULT_MODEL};
use jianbao::model::{CandleEncoder, Encoder, LoadOptions};
use jianbao::output::{Format, Sink};
use jianbao::stages::{Stages, Timeout, DEFAULT_TIMEOUT_SECONDS};
use jianbao::summarize::{Budget, Method, Summarizer};
use serde_json::{json, Value};

/// The allocator the `jianbao` binary uses, so that the bench measures what users run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const MIN_ARTICLES_PER_S: f64 = 20.0;
const MAX_RSS_MB: f64 = 1536.0;
const MIN_MODEL_SHARE: f64 = 0.90;
const MAX_SCALE_GROWTH: f64 = 1.10;
const THREADS: &str = "2";

/// One run's figures.
struct Measured {
    /// Seconds the run took: the pipeline's own in a child, the whole process for the binary.
    seconds: f64,
    peak_mb: f64,
    articles: f64,
    model_seconds: f64,
    failed: u64,
    success: bool,
    /// Tokens embedded and rows the encoder's layers ran (padding included), where the run
    /// was in a child with a model.
    tokens: Option<f64>,
    rows: Option<f64>,
}

impl Measured {
    fn rate(&self) -> f64 {
        self.articles / self.seconds
    }

    fn model_share(&self) -> f64 {
        self.model_seconds / self.seconds
    }
}

/// Runs the pipeline in a child process: `what` (`digest` or `lead`) over `input`.
fn in_child(what: &str, input: &Path, out: &Path) -> Measured {
    let exe = std::env::current_exe().expect("bench executable");
    let run = Command::new(exe)
        .env("JIANBAO_BENCH_CHILD", what)
        .env("JIANBAO_BENCH_INPUT", input)
        .env("JIANBAO_BENCH_OUT", out)
        .env("RAYON_NUM_THREADS", THREADS)
        .stderr(Stdio::inherit())
        .output()
        .expect("run the bench child");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let r: Value = stdout.lines().last().and_then(|l| serde_json::from_str(l).ok()).unwrap_or_default();
    Measured {
        seconds: r["seconds"].as_f64().unwrap_or(f64::NAN),
        peak_mb: r["peak_rss_mb"].as_f64().unwrap_or(f64::NAN),
        articles: r["articles"].as_f64().unwrap_or(0.0),
        model_seconds: r["model_seconds"].as_f64().unwrap_or(0.0),
        failed: r["failed"].as_u64().unwrap_or(u64::MAX),
        success: run.status.success(),
        tokens: r["tokens"].as_f64(),
        rows: r["rows"].as_f64(),
    }
}

/// The child: one pipeline run as the JIANBAO_BENCH_* variables say, its figures as a JSON line.
fn child(what: &str) {
    rayon::ThreadPoolBuilder::new().num_threads(2).build_global().expect("thread pool");
    let var = |name: &str| PathBuf::from(std::env::var_os(name).unwrap_or_else(|| panic!("{name} is set")));
    let (input, out) = (var("JIANBAO_BENCH_INPUT"), var("JIANBAO_BENCH_OUT"));
    let encoder = (what == "digest").then(|| {
        let spec: ModelSpec = DEFAULT_MODEL.parse().expect("default model");
        let opts = FetchOptions { offline: false, wheels: None, progress: true, force: false };
        let dir = source::resolve(&spec, &opts).expect("the default model");
        CandleEncoder::load(&dir, &LoadOptions::default()).expect("load")
    });
    // As `jianbao digest` and `jianbao summarize --method lead` run them by default.
    let labeller;
    let stages = match &encoder {
        Some(encoder) => {
            labeller = Labeller::Head(Box::new(Head::builtin_for(encoder.id())));
            Stages::digest(encoder, &labeller)
        }
        None => Stages {
            summarizer: Some(Summarizer::new(Method::Lead, Budget::default())),
            labeller: None,
            encoder: None,
            timeout: Timeout::from_secs(DEFAULT_TIMEOUT_SECONDS).expect("the default timeout"),
        },
    };
    let paths = [input];
    let options = InputOptions::default();
    let job = Job {
        sources: Sources { paths: &paths, input: &options, shard: None },
        stages: &stages,
        resume: None,
        fail_fast: false,
        stop: None,
        duplicates: Some(jianbao::dedup::Settings::default()),
    };
    let (mut sink, _) = Sink::file(&out, Format::Jsonl, false).expect("the output opens");
    let report = batch::run(&job, &mut sink, &mut Unobserved).expect("the run completes");
    let mut record = json!({
        "pages": report.pages,
        "articles": report.articles,
        "failed": report.failed(),
        "seconds": report.elapsed.as_secs_f64(),
        "model_seconds": report.model_time.as_secs_f64(),
        "peak_rss_mb": peak_rss_mb(&std::fs::read_to_string("/proc/self/status").unwrap_or_default()),
    });
    if let Some(encoder) = &encoder {
        record["tokens"] = json!(encoder.work().tokens());
        record["rows"] = json!(encoder.work().rows());
    }
    println!("{record}");
}

/// VmHWM (peak resident memory) from a /proc status, in MB.
fn peak_rss_mb(status: &str) -> f64 {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Runs the jianbao binary with `args`, sampling its peak RSS, and reads the JSON summary it
/// logs last.
fn binary(args: &[&str]) -> Measured {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run jianbao");
    let status_path = format!("/proc/{}/status", child.id());
    let stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let mut peak_mb = 0f64;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_path) {
            peak_mb = peak_mb.max(peak_rss_mb(&status));
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let seconds = started.elapsed().as_secs_f64();
    let log = reader.join().unwrap_or_default();
    let summary: Value = log.lines().rev().find_map(|l| serde_json::from_str(l).ok()).unwrap_or_default();
    // The model's share of the run, as the run measured it, applied to the process's time.
    let share = summary["model_seconds"].as_f64().unwrap_or(0.0) / summary["seconds"].as_f64().unwrap_or(f64::MAX);
    Measured {
        seconds,
        peak_mb,
        articles: summary["articles"].as_f64().unwrap_or(0.0),
        model_seconds: share * seconds,
        failed: summary["failed"].as_u64().unwrap_or(u64::MAX),
        success: status.success(),
        tokens: None,
        rows: None,
    }
}

/// A .tar.gz of `files`, `copies` times over (each copy under its own directory).
fn tar_gz(path: &Path, files: &[PathBuf], copies: usize) {
    let gz = flate2::write::GzEncoder::new(File::create(path).expect("create archive"), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    for copy in 0..copies {
        for file in files {
            let name = format!("copy{copy}/{}", file.file_name().expect("name").to_string_lossy());
            tar.append_path_with_name(file, name).expect("append");
        }
    }
    tar.into_inner().expect("tar").finish().expect("gzip");
}

/// Prints a digest run's figures; false where it failed or missed a target.
fn digest_report(name: &str, pages: usize, m: &Measured) -> bool {
    println!(
        "digest {name:>5}: {pages} pages, {} articles in {:.1} s: {:.2} articles/s, peak RSS {:.0} MB, model busy {:.1}%",
        m.articles,
        m.seconds,
        m.rate(),
        m.peak_mb,
        m.model_share() * 100.0
    );
    if let (Some(tokens), Some(rows)) = (m.tokens, m.rows) {
        println!(
            "  per article: {:.0} tokens embedded, {:.0} rows through the encoder's layers (padding {:.1}%)",
            tokens / m.articles,
            rows / m.articles,
            100.0 * (1.0 - tokens / rows)
        );
    }
    let mut ok = true;
    if !m.success || m.failed != 0 {
        eprintln!("digest {name} failed ({} failed pages)", m.failed);
        ok = false;
    }
    let on_target = m.rate() >= MIN_ARTICLES_PER_S && m.peak_mb < MAX_RSS_MB && m.model_share() >= MIN_MODEL_SHARE;
    if !on_target {
        eprintln!(
            "digest {name} below target (≥ {MIN_ARTICLES_PER_S} articles/s, < {MAX_RSS_MB} MB, model busy ≥ {:.0}%)",
            MIN_MODEL_SHARE * 100.0
        );
        ok = false;
    }
    ok
}

fn main() {
    jianbao::tune_allocator();
    if let Ok(what) = std::env::var("JIANBAO_BENCH_CHILD") {
        child(&what);
        return;
    }
    let pages = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/pages/peopledaily");
    if !pages.exists() {
        eprintln!("skipped: {} not found", pages.display());
        return;
    }
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| args.windows(2).find(|w| w[0] == flag).map(|w| w[1].clone());
    let limit: Option<usize> = value("--pages").and_then(|v| v.parse().ok());
    let only = value("--only");
    let wanted = |part: &str| only.as_deref().is_none_or(|o| o == part);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&pages)
        .expect("pages")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files.truncate(limit.unwrap_or(files.len()));
    let work = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-digest");
    std::fs::create_dir_all(&work).expect("work dir");
    // The pages to read: a directory of exactly the chosen pages (links), and one .tar.gz.
    let dir = work.join("pages");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("pages dir");
    for f in &files {
        std::os::unix::fs::symlink(f, dir.join(f.file_name().expect("name"))).expect("link");
    }
    let archive = work.join("pages.tar.gz");
    tar_gz(&archive, &files, 1);
    let out = work.join("out.jsonl");

    let mut failed = false;
    for (name, input) in [("dir", &dir), ("targz", &archive)] {
        if wanted(name) {
            failed |= !digest_report(name, files.len(), &in_child("digest", input, &out));
        }
    }
    if wanted("scale") {
        let big = work.join("pages-x10.tar.gz");
        tar_gz(&big, &files, 10);
        let mut peaks = Vec::new();
        for (copies, input) in [(1, &archive), (10, &big)] {
            let m = in_child("lead", input, &out);
            println!("lead ×{copies:<2}: {} articles in {:.1} s, peak RSS {:.1} MB", m.articles, m.seconds, m.peak_mb);
            failed |= !m.success;
            peaks.push(m.peak_mb);
        }
        let growth = peaks[1] / peaks[0];
        println!("peak RSS ×10 input / ×1: {growth:.3} (target ≤ {MAX_SCALE_GROWTH})");
        failed |= growth.is_nan() || growth > MAX_SCALE_GROWTH;
    }
    if wanted("cli") {
        // Load (and if needed fetch) the model once, outside the timing.
        let warm = Command::new(env!("CARGO_BIN_EXE_jianbao"))
            .args(["label", "--text", "预热"])
            .stdout(Stdio::null())
            .status();
        assert!(warm.is_ok_and(|s| s.success()), "jianbao label failed");
        let (dir, out) = (dir.to_str().expect("path"), out.to_str().expect("path"));
        let m =
            binary(&["--threads", THREADS, "digest", "--format", "jsonl", "--out", out, "--log-format", "json", dir]);
        failed |= !digest_report("cli", files.len(), &m);
    }
    if failed {
        std::process::exit(1);
    }
}
