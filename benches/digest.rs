//! `jianbao digest` throughput on the shared People's Daily pages: articles per second at 2
//! threads and peak resident memory, for the release binary as users run it.
//!
//! cargo bench --bench digest                 # every page (1,268 pages)
//! cargo bench --bench digest -- --pages 200  # the first 200 pages
//!
//! Targets: at least 10 articles/s, peak RSS under 1.5 GB. The bench exits non-zero when
//! either is missed, or when any page fails.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MIN_ARTICLES_PER_S: f64 = 10.0;
const MAX_RSS_MB: f64 = 1536.0;

fn main() {
    let pages = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/pages/peopledaily");
    if !pages.exists() {
        eprintln!("skipped: {} not found", pages.display());
        return;
    }
    let args: Vec<String> = std::env::args().collect();
    let limit: Option<usize> = args.windows(2).find(|w| w[0] == "--pages").and_then(|w| w[1].parse().ok());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&pages)
        .expect("pages")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files.truncate(limit.unwrap_or(files.len()));
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-digest.jsonl");
    let exe = env!("CARGO_BIN_EXE_jianbao");
    // Load (and if needed fetch) the model once, outside the timing.
    let warm = Command::new(exe).args(["label", "--text", "预热"]).stdout(Stdio::null()).status().expect("run jianbao");
    assert!(warm.success(), "jianbao label failed");

    let started = Instant::now();
    let mut child = Command::new(exe)
        .args(["--threads", "2", "digest", "--format", "jsonl", "--out"])
        .arg(&out)
        .args(&files)
        .stdout(Stdio::null())
        .spawn()
        .expect("run jianbao digest");
    let status_path = format!("/proc/{}/status", child.id());
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
    let articles = std::fs::read_to_string(&out).expect("digest output").lines().count();
    let rate = articles as f64 / seconds;
    let rss_mb = peak_kb / 1024.0;
    println!("digest: {} pages, {articles} articles in {seconds:.1} s at 2 threads", files.len());
    println!("throughput: {rate:.2} articles/s (target ≥ {MIN_ARTICLES_PER_S})");
    println!("peak RSS: {rss_mb:.0} MB (target < {MAX_RSS_MB:.0})");
    let mut failed = false;
    if !status.success() {
        eprintln!("jianbao digest exited with {status}");
        failed = true;
    }
    if rate < MIN_ARTICLES_PER_S || rss_mb >= MAX_RSS_MB {
        eprintln!("below target");
        failed = true;
    }
    if failed {
        std::process::exit(1);
    }
}
