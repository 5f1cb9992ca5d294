//! Summary quality: character ROUGE-1/2/L F1 of the `model`, `lead` and `textrank` methods,
//! side by side, on the shared summary sets and on People's Daily headlines.
//!
//! cargo bench --bench summaries            # report on the test sets
//! cargo bench --bench summaries -- --report-tuning  # the report, on the tuning sets
//!
//! Sets (from `../shared/data`):
//! - tuning: LCSTS PART II validation, the CLTS samples, and the People's Daily pages of
//!   February 2019 (every third article);
//! - test: LCSTS PART II test, and the pages of January and February 2020 (every second
//!   article).
//!
//! On People's Daily pages the reference is the article's headline, which the methods must not
//! see: headline, kicker and deck are removed from the article before summarising, and one
//! sentence is compared (the headline-like sentence). LCSTS posts are ~110 characters with
//! ~19-character headline summaries: the default budget gives one sentence. CLTS articles are
//! long with ~70-character editor summaries: the default budget is used.
//!
//! The model method's sentence scorer is learnt (`jianbao train-summarizer`); the
//! hand-summarised People's Daily articles are scored by `eval/full.toml`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use jianbao::eval::rouge;
use jianbao::model::source::{self, FetchOptions, ModelSpec, DEFAULT_MODEL};
use jianbao::model::{CandleEncoder, Encoder, LoadOptions};
use jianbao::segment::{self, Article};
use jianbao::summarize::learnt::SummaryModel;
use jianbao::summarize::{Budget, Method, Summarizer, DEFAULT_MAX_CHARS};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data")
}

fn read_jsonl(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("JSON row"))
        .collect()
}

/// Rows of `{text, summary}` as headline-less articles and references.
fn summary_rows(file: &str) -> (Vec<Article>, Vec<String>) {
    read_jsonl(&data_dir().join("summaries").join(file))
        .iter()
        .filter_map(|r| {
            let article = segment::single(r["text"].as_str()?, Some(""))?;
            Some((article, r["summary"].as_str()?.to_owned()))
        })
        .unzip()
}

/// People's Daily articles from pages whose name starts with one of `prefixes`, every
/// `step`-th, with their headline (the reference) hidden.
fn pd_rows(prefixes: &[&str], step: usize) -> (Vec<Article>, Vec<String>) {
    let dir = data_dir().join("pages/peopledaily");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("People's Daily pages")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            name.ends_with(".txt") && prefixes.iter().any(|pre| name.starts_with(pre))
        })
        .collect();
    files.sort();
    let mut out = (Vec::new(), Vec::new());
    let mut n = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("page");
        for mut article in segment::split(&text) {
            n += 1;
            if n % step != 0 || article.headline.trim().is_empty() {
                continue;
            }
            let reference = std::mem::take(&mut article.headline);
            article.kicker = None;
            article.deck = None;
            out.0.push(article);
            out.1.push(reference);
        }
    }
    out
}

/// Scores the three methods as users run them (`Summarizer`, default weights) on one set.
fn report(encoder: &CandleEncoder, name: &str, budget: Budget, rows: (Vec<Article>, Vec<String>)) {
    let (articles, references) = rows;
    let mut lead_l = 0.0;
    for method in [Method::Lead, Method::Textrank, Method::Model] {
        let started = Instant::now();
        let summarizer =
            Summarizer { model: SummaryModel::builtin_for(encoder.id()), ..Summarizer::new(method, budget) };
        let mut totals = [0.0f64; 4];
        for (chunk, refs) in articles.chunks(64).zip(references.chunks(64)) {
            let batch: Vec<&Article> = chunk.iter().collect();
            for (summary, reference) in
                summarizer.summarize(Some(encoder as &dyn Encoder), &batch).expect("summarize").iter().zip(refs)
            {
                let r = rouge::score_text(&summary.text, reference);
                totals[0] += r.rouge1.f1;
                totals[1] += r.rouge2.f1;
                totals[2] += r.rouge_l.f1;
                totals[3] += summary.text.chars().count() as f64;
            }
        }
        let n = articles.len().max(1) as f64;
        let [r1, r2, rl, chars] = totals.map(|t| t / n);
        let (r1, r2, rl) = (r1 * 100.0, r2 * 100.0, rl * 100.0);
        if method == Method::Lead {
            lead_l = rl;
        }
        let delta =
            if method == Method::Model { format!("  ({:+.2} R-L vs lead)", rl - lead_l) } else { String::new() };
        println!(
            "{name:<24} {:<9} R-1 {r1:>6.2}  R-2 {r2:>6.2}  R-L {rl:>6.2}  {chars:>5.1} chars  {:>5.0} s{delta}",
            method.as_str(),
            started.elapsed().as_secs_f64()
        );
    }
}

fn main() {
    jianbao::tune_allocator();
    if !data_dir().exists() {
        eprintln!("skipped: {} not found", data_dir().display());
        return;
    }
    let on_tuning_sets = std::env::args().any(|a| a == "--report-tuning");
    let spec: ModelSpec = DEFAULT_MODEL.parse().expect("default model");
    let opts = FetchOptions { offline: false, wheels: None, progress: true, force: false };
    let dir = source::resolve(&spec, &opts).expect("the default model");
    let encoder = CandleEncoder::load(&dir, &LoadOptions::default()).expect("load");
    let default = Budget::default();
    let one = Budget { max_chars: DEFAULT_MAX_CHARS, sentences: Some(1) };
    if on_tuning_sets {
        report(&encoder, "lcsts val", default, summary_rows("lcsts_part2_val.jsonl"));
        report(&encoder, "clts samples", default, summary_rows("clts_samples.jsonl"));
        report(&encoder, "peopledaily 2019 (1/3)", one, pd_rows(&["2019"], 3));
    } else {
        report(&encoder, "lcsts test", default, summary_rows("lcsts_part2_test.jsonl"));
        report(&encoder, "peopledaily 2020 (1/2)", one, pd_rows(&["2020"], 2));
    }
}
