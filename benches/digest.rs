//! `jianbao digest` as a batch tool on the shared People's Daily pages, the release binary as
//! users run it, at 2 threads:
//!
//! - the pages as a directory and as one .tar.gz: articles per second, peak resident memory,
//!   and the share of the time the model was busy (from the run's `--log-format json` summary;
//!   the rest is reading, splitting and writing that the pipeline failed to overlap);
//! - memory against input size: `summarize --method lead` (no model, so that the pipeline's own
//!   memory is what shows) over the pages once and ten times over, in one .tar.gz each.
//!
//! cargo bench --bench digest                          # all of it, every page (1,268)
//! cargo bench --bench digest -- --pages 200           # the first 200 pages
//! cargo bench --bench digest -- --only dir|targz|scale
//!
//! Targets: at least 10 articles/s; peak RSS under 1.5 GB; the model busy at least 90% of the
//! time; ten times the input raises peak RSS by at most 10%. The bench exits non-zero when one
//! is missed, or when a page fails.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MIN_ARTICLES_PER_S: f64 = 10.0;
const MAX_RSS_MB: f64 = 1536.0;
const MIN_MODEL_SHARE: f64 = 0.90;
const MAX_SCALE_GROWTH: f64 = 1.10;

struct Measured {
    seconds: f64,
    peak_mb: f64,
    summary: serde_json::Value,
    success: bool,
}

/// Runs jianbao with `args`, sampling its peak RSS, and reads the JSON summary it logs last.
fn measure(args: &[&str]) -> Measured {
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
    let mut peak_kb = 0f64;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_path) {
            if let Some(kb) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            {
                peak_kb = peak_kb.max(kb);
            }
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let seconds = started.elapsed().as_secs_f64();
    let log = reader.join().unwrap_or_default();
    let summary = log.lines().rev().find_map(|l| serde_json::from_str(l).ok()).unwrap_or_default();
    Measured { seconds, peak_mb: peak_kb / 1024.0, summary, success: status.success() }
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

fn main() {
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
    let out = out.to_str().expect("path");
    // Load (and if needed fetch) the model once, outside the timing.
    let warm =
        Command::new(env!("CARGO_BIN_EXE_jianbao")).args(["label", "--text", "预热"]).stdout(Stdio::null()).status();
    assert!(warm.is_ok_and(|s| s.success()), "jianbao label failed");

    let mut failed = false;
    for (name, input) in [("dir", &dir), ("targz", &archive)] {
        if !wanted(name) {
            continue;
        }
        let input = input.to_str().expect("path");
        let m =
            measure(&["--threads", "2", "digest", "--format", "jsonl", "--out", out, "--log-format", "json", input]);
        let articles = m.summary["articles"].as_f64().unwrap_or(0.0);
        let rate = articles / m.seconds;
        let share =
            m.summary["model_seconds"].as_f64().unwrap_or(0.0) / m.summary["seconds"].as_f64().unwrap_or(f64::MAX);
        println!(
            "digest {name:>5}: {} pages, {articles} articles in {:.1} s: {rate:.2} articles/s, peak RSS {:.0} MB, model busy {:.1}%",
            files.len(),
            m.seconds,
            m.peak_mb,
            share * 100.0
        );
        if !m.success || m.summary["failed"].as_u64() != Some(0) {
            eprintln!("digest {name} failed: {}", m.summary);
            failed = true;
        }
        if rate < MIN_ARTICLES_PER_S || m.peak_mb >= MAX_RSS_MB || share < MIN_MODEL_SHARE {
            eprintln!(
                "digest {name} below target (≥ {MIN_ARTICLES_PER_S} articles/s, < {MAX_RSS_MB} MB, model busy ≥ {:.0}%)",
                MIN_MODEL_SHARE * 100.0
            );
            failed = true;
        }
    }
    if wanted("scale") {
        let big = work.join("pages-x10.tar.gz");
        tar_gz(&big, &files, 10);
        let mut peaks = Vec::new();
        for (copies, input) in [(1, &archive), (10, &big)] {
            let input = input.to_str().expect("path");
            let m = measure(&[
                "--threads",
                "2",
                "summarize",
                "--method",
                "lead",
                "--format",
                "jsonl",
                "--out",
                out,
                "--log-format",
                "json",
                input,
            ]);
            println!(
                "lead ×{copies:<2}: {} articles in {:.1} s, peak RSS {:.1} MB",
                m.summary["articles"], m.seconds, m.peak_mb
            );
            failed |= !m.success;
            peaks.push(m.peak_mb);
        }
        let growth = peaks[1] / peaks[0];
        println!("peak RSS ×10 input / ×1: {growth:.3} (target ≤ {MAX_SCALE_GROWTH})");
        failed |= growth > MAX_SCALE_GROWTH;
    }
    if failed {
        std::process::exit(1);
    }
}
