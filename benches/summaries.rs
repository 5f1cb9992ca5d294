//! Summary quality: character ROUGE-1/2/L F1 of the `model`, `lead` and `textrank` methods,
//! side by side, on the shared summary sets and on People's Daily headlines.
//!
//! cargo bench --bench summaries            # report on the test sets
//! cargo bench --bench summaries -- --tune  # grid-search the model weights on the tuning sets
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
//! In tuning, vectors are computed once per set and the grid re-ranks them (the article vector
//! is that of the first `CAP` candidates, as in the model method); the report runs
//! `Summarizer` as users do.

use std::path::{Path, PathBuf};
use std::time::Instant;

use jianbao::eval::rouge::{self, Rouge};
use jianbao::model::memo::Memo;
use jianbao::model::source::{self, FetchOptions, ModelSpec, DEFAULT_MODEL};
use jianbao::model::{CandleEncoder, Encoder, Intent, LoadOptions};
use jianbao::segment::{self, Article};
use jianbao::summarize::ranked::{self, Weights};
use jianbao::summarize::{
    candidates, fill, lead, textrank, Budget, Method, Sentence, Summarizer, Summary, DEFAULT_MAX_CHARS,
};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Sentences embedded per article, as the model method does.
const CAP: usize = 6;

struct Set {
    name: &'static str,
    budget: Budget,
    candidates: Vec<Vec<Sentence>>,
    references: Vec<String>,
    /// Per item, the query vectors of its first `CAP` candidates.
    queries: Vec<Vec<Vec<f32>>>,
    /// The passage vector of each item's first candidates together, as the model method
    /// makes it.
    documents: Vec<Option<Vec<f32>>>,
    heads: Vec<Option<Vec<f32>>>,
}

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

fn prepare(encoder: &CandleEncoder, name: &'static str, budget: Budget, rows: (Vec<Article>, Vec<String>)) -> Set {
    let started = Instant::now();
    let (articles, references) = rows;
    let candidates: Vec<Vec<Sentence>> = articles.iter().map(candidates).collect();
    let texts: Vec<&str> = candidates.iter().flat_map(|c| c.iter().take(CAP).map(|s| s.text.as_str())).collect();
    let flat_q = encoder.embed(&texts, Intent::Query).expect("embed sentences");
    let mut queries = Vec::new();
    let mut at = 0;
    for c in &candidates {
        let n = c.len().min(CAP);
        queries.push(flat_q[at..at + n].to_vec());
        at += n;
    }
    let bodies: Vec<String> =
        candidates.iter().map(|c| c.iter().take(CAP).map(|s| s.text.as_str()).collect()).collect();
    let documents = ranked::embed_present(encoder, &bodies, Intent::Passage).expect("embed documents");
    let heads: Vec<String> = articles.iter().map(Article::heading).collect();
    let heads = ranked::embed_present(encoder, &heads, Intent::Query).expect("embed headlines");
    eprintln!(
        "{name}: {} items, {} sentences embedded in {:.0} s",
        articles.len(),
        texts.len(),
        started.elapsed().as_secs_f64()
    );
    Set { name, budget, candidates, references, queries, documents, heads }
}

#[derive(Clone, Copy)]
enum Pick {
    /// The model's ranking; with an encoder, one-sentence summaries are tightened.
    Model(Weights),
    Lead,
    Textrank,
}

/// Mean ROUGE-1/2/L F1 and mean summary length.
fn evaluate(set: &Set, pick: Pick, encoder: Option<&dyn Encoder>) -> (f64, f64, f64, f64) {
    let mut summaries: Vec<Summary> = Vec::new();
    let mut all_ranked = Vec::new();
    for i in 0..set.candidates.len() {
        let c = &set.candidates[i];
        let ranking = match pick {
            Pick::Lead => lead::ranking(c),
            Pick::Textrank => textrank::ranking(c),
            Pick::Model(w) => {
                let n = c.len().min(w.max_candidates).min(set.queries[i].len());
                let chars: Vec<usize> = c[..n].iter().map(|s| s.chars).collect();
                let document = set.documents[i].as_deref();
                let mut r = ranked::rank(&set.queries[i][..n], &chars, document, set.heads[i].as_deref(), &w);
                r.extend(n..c.len());
                all_ranked.push(ranked::Ranked {
                    order: r.clone(),
                    document: set.documents[i].clone(),
                    vectors: set.queries[i][..n].to_vec(),
                });
                r
            }
        };
        summaries.push(fill(c, &ranking, set.budget));
    }
    if let (Pick::Model(w), Some(encoder)) = (pick, encoder) {
        ranked::tighten(encoder, &mut summaries, &set.candidates, &all_ranked, set.budget, &w).expect("tighten");
    }
    let mut total = (0.0, 0.0, 0.0, 0.0);
    for (i, summary) in summaries.iter().enumerate() {
        let r: Rouge = rouge::score_text(&summary.text, &set.references[i]);
        total.0 += r.rouge1.f1;
        total.1 += r.rouge2.f1;
        total.2 += r.rouge_l.f1;
        total.3 += summary.text.chars().count() as f64;
    }
    let n = set.candidates.len().max(1) as f64;
    (total.0 / n * 100.0, total.1 / n * 100.0, total.2 / n * 100.0, total.3 / n)
}

fn table(sets: &[Set], weights: Weights, encoder: &dyn Encoder) {
    println!("{:<22} {:<10} {:>8} {:>8} {:>8} {:>8}", "set", "method", "R-1", "R-2", "R-L", "chars");
    for set in sets {
        let mut lead_l = 0.0;
        for (name, pick) in [("lead", Pick::Lead), ("textrank", Pick::Textrank), ("model", Pick::Model(weights))] {
            let (r1, r2, rl, chars) = evaluate(set, pick, Some(encoder));
            if name == "lead" {
                lead_l = rl;
            }
            let delta = if name == "model" { format!("  ({:+.2} R-L vs lead)", rl - lead_l) } else { String::new() };
            println!("{:<22} {:<10} {:>8.2} {:>8.2} {:>8.2} {:>8.1}{delta}", set.name, name, r1, r2, rl, chars);
        }
    }
}

/// Scores the three methods as users run them (`Summarizer`, default weights) on one set.
fn report(encoder: &CandleEncoder, name: &str, budget: Budget, rows: (Vec<Article>, Vec<String>)) {
    let (articles, references) = rows;
    let mut lead_l = 0.0;
    for method in [Method::Lead, Method::Textrank, Method::Model] {
        let started = Instant::now();
        let summarizer = Summarizer::new(method, budget);
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

fn tune(sets: &[Set], encoder: &dyn Encoder) -> Weights {
    let base = Weights::default();
    // The ranking weights, on the sets whose references the default budget regime fits.
    let targets: Vec<&Set> = sets.iter().filter(|s| !s.name.starts_with("clts")).collect();
    let mut best = (f64::NEG_INFINITY, base);
    for length in [0.0f32, 0.05, 0.1, 0.2] {
        for position in [0.0f32, 0.05, 0.1, 0.2, 0.3] {
            for decay in [1.0f32, 3.0, 8.0] {
                for redundancy in [0.0f32, 0.6] {
                    let w = Weights { position, decay, redundancy, length, max_candidates: CAP, ..base };
                    let score =
                        targets.iter().map(|s| evaluate(s, Pick::Model(w), None).2).sum::<f64>() / targets.len() as f64;
                    if score > best.0 {
                        best = (score, w);
                    }
                }
            }
        }
    }
    println!("best mean ROUGE-L F1 untightened: {:.2} with {:?}", best.0, best.1);
    // Then the tightening of one-sentence summaries, on the chosen ranking weights.
    let base = best.1;
    for clause_length in [0.0f32, 0.05, 0.1, 0.15, 0.2, 0.3] {
        let w = Weights { clause_length, ..base };
        let scores: Vec<f64> = targets.iter().map(|s| evaluate(s, Pick::Model(w), Some(encoder)).2).collect();
        let score = scores.iter().sum::<f64>() / scores.len() as f64;
        println!("clause_length {clause_length:.2}: mean ROUGE-L F1 {score:.2} {scores:.2?}");
        if score > best.0 {
            best = (score, w);
        }
    }
    println!("best mean ROUGE-L F1: {:.2} with {:?}", best.0, best.1);
    // The default character budget, on the only set with multi-sentence references.
    if let Some(clts) = sets.iter().find(|s| s.name.starts_with("clts")) {
        for max_chars in [60, 80, 100, 120, 150] {
            let set = Set { budget: Budget { max_chars, sentences: None }, ..clone_set(clts) };
            let (r1, r2, rl, chars) = evaluate(&set, Pick::Model(best.1), Some(encoder));
            println!("clts max_chars {max_chars:>3}: R-1 {r1:.2} R-2 {r2:.2} R-L {rl:.2} ({chars:.0} chars)");
        }
    }
    best.1
}

fn clone_set(s: &Set) -> Set {
    Set {
        name: s.name,
        budget: s.budget,
        candidates: s.candidates.clone(),
        references: s.references.clone(),
        queries: s.queries.clone(),
        documents: s.documents.clone(),
        heads: s.heads.clone(),
    }
}

fn main() {
    if !data_dir().exists() {
        eprintln!("skipped: {} not found", data_dir().display());
        return;
    }
    let tuning = std::env::args().any(|a| a == "--tune");
    let on_tuning_sets = std::env::args().any(|a| a == "--report-tuning");
    let spec: ModelSpec = DEFAULT_MODEL.parse().expect("default model");
    let opts = FetchOptions { offline: false, wheels: None, progress: true, force: false };
    let dir = source::resolve(&spec, &opts).expect("the default model");
    let encoder = CandleEncoder::load(&dir, &LoadOptions::default()).expect("load");
    let default = Budget::default();
    let one = Budget { max_chars: DEFAULT_MAX_CHARS, sentences: Some(1) };
    if tuning {
        let sets = vec![
            prepare(&encoder, "lcsts val", default, summary_rows("lcsts_part2_val.jsonl")),
            prepare(&encoder, "clts samples", default, summary_rows("clts_samples.jsonl")),
            prepare(&encoder, "peopledaily 2019 (1/3)", one, pd_rows(&["2019"], 3)),
        ];
        // The grid over the tightening weight runs the library's own `ranked::tighten`; the memo
        // embeds each clause run once.
        let memo = Memo::new(&encoder);
        let weights = tune(&sets, &memo);
        table(&sets, weights, &memo);
    } else if on_tuning_sets {
        report(&encoder, "lcsts val", default, summary_rows("lcsts_part2_val.jsonl"));
        report(&encoder, "clts samples", default, summary_rows("clts_samples.jsonl"));
        report(&encoder, "peopledaily 2019 (1/3)", one, pd_rows(&["2019"], 3));
    } else {
        report(&encoder, "lcsts test", default, summary_rows("lcsts_part2_test.jsonl"));
        report(&encoder, "peopledaily 2020 (1/2)", one, pd_rows(&["2020"], 2));
    }
}
