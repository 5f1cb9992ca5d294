//! Article splitting on the shared People's Daily pages: boundary precision / recall / F1,
//! headline exact match, and the time `jianbao split` takes over the whole directory.
//!
//! cargo bench --bench split                      # scores and timings
//! cargo bench --bench split -- --show-failures   # and every page that is not exactly right
//!
//! The pages live in `../shared/data/pages/peopledaily` (or `$JIANBAO_DATA/pages/peopledaily`);
//! they are copyrighted and never part of the repository.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use jianbao::eval::split::{SplitItem, SplitScores};
use jianbao::input::{read_sources, InputOptions};

/// Characters by which a boundary may miss and still count.
const TOLERANCE: usize = 5;
/// Below these (exact boundaries), the bench fails: the segmenter has regressed.
const MIN_F1: f64 = 0.97;
const MIN_HEADLINE_MATCH: f64 = 0.95;

fn data_dir() -> PathBuf {
    std::env::var_os("JIANBAO_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
}

fn main() {
    let show_failures = std::env::args().any(|a| a == "--show-failures");
    let dir = data_dir().join("pages/peopledaily");
    let gold_path = dir.join("gold.jsonl");
    let Ok(gold) = std::fs::read_to_string(&gold_path) else {
        eprintln!("no gold at {}; set JIANBAO_DATA to the shared data directory", gold_path.display());
        std::process::exit(2);
    };
    let mut exact = SplitScores::default();
    let mut tolerant = SplitScores::default();
    let started = Instant::now();
    for line in gold.lines() {
        let row: serde_json::Value = serde_json::from_str(line).expect("gold row");
        let file = row["file"].as_str().expect("file");
        let gold_items: Vec<SplitItem> = row["articles"]
            .as_array()
            .expect("articles")
            .iter()
            .map(|a| SplitItem {
                start: a["start"].as_u64().expect("start") as usize,
                headline: a["title"].as_str().unwrap_or("").to_owned(),
            })
            .collect();
        let text = std::fs::read_to_string(dir.join(file)).expect("page");
        let predicted: Vec<SplitItem> = jianbao::segment::split(&text)
            .into_iter()
            .map(|a| SplitItem { start: a.span.start, headline: a.headline })
            .collect();
        let before = exact.pages_exact;
        exact.add_page(&gold_items, &predicted, 0);
        tolerant.add_page(&gold_items, &predicted, TOLERANCE);
        if show_failures && exact.pages_exact == before {
            println!("{file}");
            println!(
                "  gold:      {:?}",
                gold_items.iter().map(|g| (g.start, g.headline.as_str())).collect::<Vec<_>>()
            );
            println!("  predicted: {:?}", predicted.iter().map(|g| (g.start, g.headline.as_str())).collect::<Vec<_>>());
        }
    }
    let segment_time = started.elapsed();
    for (name, s) in [("exact", &exact), (&format!("±{TOLERANCE} chars") as &str, &tolerant)] {
        println!(
            "split {name:>10}: pages {} ({} exact), articles {} found / {} expected, boundary P {:.4} R {:.4} F1 {:.4}, headline match {:.4}",
            s.pages, s.pages_exact, s.found, s.expected, s.precision(), s.recall(), s.f1(), s.headline_match()
        );
    }
    println!("segment only: {:.3} s for {} pages", segment_time.as_secs_f64(), exact.pages);
    if exact.f1() < MIN_F1 || exact.headline_match() < MIN_HEADLINE_MATCH {
        eprintln!(
            "split regressed: F1 {:.4} (min {MIN_F1}), headline match {:.4} (min {MIN_HEADLINE_MATCH})",
            exact.f1(),
            exact.headline_match()
        );
        std::process::exit(1);
    }

    let started = Instant::now();
    let (mut docs, mut articles) = (0, 0);
    read_sources(
        std::slice::from_ref(&dir),
        &InputOptions {
            filter: jianbao::input::FileFilter::new(&["*.txt".into()]).expect("glob"),
            ..Default::default()
        },
        &mut |doc| {
            let doc = doc.expect("readable page");
            docs += 1;
            articles += jianbao::split_document(&doc).expect("articles").len();
            std::ops::ControlFlow::Continue(())
        },
    );
    println!("read + segment (library): {:.3} s, {docs} pages, {articles} articles", started.elapsed().as_secs_f64());

    let binary = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/jianbao");
    if binary.exists() {
        let started = Instant::now();
        let status = Command::new(&binary)
            .args(["split", "--glob", "*.txt", "--format", "jsonl", "--out", "/dev/null"])
            .arg(&dir)
            .status()
            .expect("run jianbao");
        println!(
            "jianbao split DIR --format jsonl (release binary): {:.3} s, {status}",
            started.elapsed().as_secs_f64()
        );
    } else {
        println!("(build with `cargo build --release` to time the binary too)");
    }
}
