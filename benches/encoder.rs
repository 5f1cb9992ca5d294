//! Encoder throughput of the default model, against ONNX Runtime on the same weights.
//!
//! cargo bench --bench encoder                 # every weight format at 1 and 2 threads
//! cargo bench --bench encoder -- --ort        # and ONNX Runtime on the same inputs
//! cargo bench --bench encoder -- --only f32@2 # one weight format at one thread count
//! cargo bench --bench encoder -- --adapter F  # the encoder with tuned layers laid over it
//!
//! Workloads: the first 60 sentences of the example page embedded together (sentences/s);
//! 64 texts of exactly 256 and of exactly 512 tokens (tokens/s); model load time; peak RSS.
//! Each configuration runs in a child process, so that thread counts and peak memory are its
//! own. Each quantised format is also checked against f32 where f32 ran too: the minimum
//! cosine between its pooled vectors and f32's over every input (int8's goal: at least 0.995).
//!
//! The ORT side (`benches/ort_reference.py`, needs `pip install onnxruntime onnx safetensors
//! numpy`) builds the encoder as an ONNX graph from the same model.safetensors, checks that
//! its vectors match candle's (cosine > 0.999), then times the same token ids, in f32 and as
//! ORT's own int8 model (`quantize_dynamic`, per-channel weights).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use jianbao::model::source::adapter::Adapter;
use jianbao::model::source::{self, FetchOptions, ModelSpec, DEFAULT_MODEL};
use jianbao::model::{CandleEncoder, Encoder, Intent, LoadOptions, WeightFormat};
use serde_json::{json, Value};

/// The allocator the `jianbao` binary uses, so that the bench measures what users run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const REPEATS: usize = 3;
const TEXTS: usize = 64;

fn out_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-encoder")
}

fn main() {
    jianbao::tune_allocator();
    if std::env::var_os("JIANBAO_BENCH_CHILD").is_some() {
        child();
        return;
    }
    let args: Vec<String> = std::env::args().collect();
    let with_ort = args.iter().any(|a| a == "--ort");
    // `--only f32@1` and the like restrict the runs: weight format @ threads.
    let only: Vec<&str> = args.windows(2).filter(|w| w[0] == "--only").map(|w| w[1].as_str()).collect();
    let adapter = args.windows(2).find(|w| w[0] == "--adapter").map(|w| w[1].clone()).unwrap_or_default();
    let exe = std::env::current_exe().expect("bench executable");
    println!(
        "{:<7} {:>7} {:>9} {:>14} {:>14} {:>14} {:>9} {:>12}",
        "weights", "threads", "load s", "seed sent/s", "256 tok/s", "512 tok/s", "RSS MB", "min cos f32"
    );
    let mut results = Vec::new();
    for threads in [1, 2] {
        for weights in ["f32", "int8", "q8_0", "q4_0"] {
            if !only.is_empty() && !only.contains(&format!("{weights}@{threads}").as_str()) {
                continue;
            }
            let out = Command::new(&exe)
                .env("JIANBAO_BENCH_CHILD", "1")
                .env("RAYON_NUM_THREADS", threads.to_string())
                .env("JIANBAO_BENCH_WEIGHTS", weights)
                .env("JIANBAO_BENCH_ADAPTER", &adapter)
                .output()
                .expect("run the bench child");
            let stdout = String::from_utf8_lossy(&out.stdout);
            let Some(line) = stdout.lines().last().filter(|_| out.status.success()) else {
                eprintln!("{weights} at {threads} threads failed: {}", String::from_utf8_lossy(&out.stderr));
                std::process::exit(1);
            };
            let r: Value = serde_json::from_str(line).expect("child JSON");
            let cosine = match (weights, results.iter().any(|(w, _, _)| *w == "f32")) {
                ("f32", _) => "-".to_owned(),
                (_, true) => format!("{:.5}", min_cosine(&vectors_file("f32"), &vectors_file(weights))),
                (_, false) => "(no f32)".to_owned(),
            };
            println!(
                "{:<7} {:>7} {:>9.2} {:>14.1} {:>14.0} {:>14.0} {:>9.0} {:>12}",
                weights,
                threads,
                r["load_s"].as_f64().unwrap_or(0.0),
                r["seed_sentences_per_s"].as_f64().unwrap_or(0.0),
                r["tokens_per_s_256"].as_f64().unwrap_or(0.0),
                r["tokens_per_s_512"].as_f64().unwrap_or(0.0),
                r["peak_rss_mb"].as_f64().unwrap_or(0.0),
                cosine
            );
            results.push((weights, threads, r));
        }
    }
    if with_ort {
        ort(&results);
    }
}

fn ort(results: &[(&str, usize, Value)]) {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/ort_reference.py");
    println!("\nONNX Runtime on the same token ids (ratio = candle / ORT):");
    for threads in [1, 2] {
        let out = Command::new("python3")
            .arg(&script)
            .arg(out_dir().join("workloads.json"))
            .arg(threads.to_string())
            .output()
            .expect("run python3");
        if !out.status.success() {
            eprintln!("ORT reference failed: {}", String::from_utf8_lossy(&out.stderr));
            std::process::exit(1);
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        let r: Value = serde_json::from_str(stdout.lines().last().unwrap_or("{}")).expect("ORT JSON");
        ort_row("ort", threads, &r, "vs candle");
        let q = &r["int8"];
        ort_row("ort-int8", threads, q, "vs candle f32");
        for (weights, t, c) in results.iter().filter(|(_, t, _)| *t == threads) {
            let ratio = |k: &str, of: &Value| c[k].as_f64().unwrap_or(0.0) / of[k].as_f64().unwrap_or(f64::NAN);
            let line = |of: &Value| {
                format!(
                    "seed ×{:.2}, 256 ×{:.2}, 512 ×{:.2}",
                    ratio("seed_sentences_per_s", of),
                    ratio("tokens_per_s_256", of),
                    ratio("tokens_per_s_512", of)
                )
            };
            println!("  {weights:<5} at {t}: vs ORT f32 {}; vs ORT int8 {}", line(&r), line(q));
        }
    }
}

/// One ORT configuration's figures, as the candle rows print theirs.
fn ort_row(name: &str, threads: usize, r: &Value, cosine: &str) {
    println!(
        "{name:<7} {threads:>7} {:>9.2} {:>14.1} {:>14.0} {:>14.0}   min cosine {cosine} {:.5}",
        r["load_s"].as_f64().unwrap_or(0.0),
        r["seed_sentences_per_s"].as_f64().unwrap_or(0.0),
        r["tokens_per_s_256"].as_f64().unwrap_or(0.0),
        r["tokens_per_s_512"].as_f64().unwrap_or(0.0),
        r["min_cosine"].as_f64().unwrap_or(0.0)
    );
}

/// The example page's first 60 sentences.
fn seed_sentences() -> Vec<String> {
    let page = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/qingdao-daily-2022-11-15.txt"),
    )
    .expect("example page");
    jianbao::segment::split(&page)
        .iter()
        .flat_map(|a| {
            a.paragraphs.iter().flat_map(|p| jianbao::text::sentences(p)).map(str::to_owned).collect::<Vec<_>>()
        })
        .take(60)
        .collect()
}

/// `TEXTS` texts cut from the example page's body so that each makes exactly `tokens` tokens.
fn texts_of(encoder: &CandleEncoder, tokens: usize) -> Vec<String> {
    let page = seed_sentences().concat();
    let chars: Vec<char> = page.chars().chain(page.chars()).collect();
    (0..TEXTS)
        .map(|i| {
            let start = (i * 53) % (chars.len() / 2);
            let (mut lo, mut hi) = (1, chars.len() - start);
            while lo < hi {
                let mid = (lo + hi).div_ceil(2);
                let text: String = chars[start..start + mid].iter().collect();
                let n = encoder.token_ids(&text, Intent::Passage).expect("tokenize").len();
                if n <= tokens {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            chars[start..start + lo].iter().collect()
        })
        .collect()
}

fn best_seconds(mut run: impl FnMut()) -> f64 {
    (0..REPEATS)
        .map(|_| {
            let t = Instant::now();
            run();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn child() {
    let weights = match std::env::var("JIANBAO_BENCH_WEIGHTS").as_deref() {
        Ok("f32") => WeightFormat::F32,
        Ok("q4_0") => WeightFormat::Q4_0,
        Ok("int8") => WeightFormat::Int8,
        _ => WeightFormat::Q8_0,
    };
    let spec: ModelSpec = DEFAULT_MODEL.parse().expect("default model");
    let opts = FetchOptions {
        offline: false,
        wheels: std::env::var_os("JIANBAO_WHEELS").map(PathBuf::from),
        progress: true,
        force: false,
    };
    let dir = source::resolve(&spec, &opts).expect("the default model");
    let started = Instant::now();
    let adapter = std::env::var_os("JIANBAO_BENCH_ADAPTER")
        .filter(|path| !path.is_empty())
        .map(|path| Adapter::load(Path::new(&path)).expect("the adapter"));
    let encoder = CandleEncoder::load(&dir, &LoadOptions { weights, adapter, ..Default::default() }).expect("load");
    let load_s = started.elapsed().as_secs_f64();
    let sentences = seed_sentences();
    let refs: Vec<&str> = sentences.iter().map(String::as_str).collect();
    encoder.embed(&refs[..4], Intent::Passage).expect("warm up");
    let seed_s = best_seconds(|| {
        encoder.embed(&refs, Intent::Passage).expect("embed");
    });
    let mut record =
        json!({ "weights": weights.as_str(), "load_s": load_s, "seed_sentences_per_s": refs.len() as f64 / seed_s });
    let mut workloads =
        json!({ "model_dir": dir.weights.parent().map(Path::to_path_buf), "seed": ids_and_vectors(&encoder, &refs) });
    for tokens in [256, 512] {
        let texts = texts_of(&encoder, tokens);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let seconds = best_seconds(|| {
            encoder.embed(&refs, Intent::Passage).expect("embed");
        });
        let total: usize = refs.iter().map(|t| encoder.token_ids(t, Intent::Passage).expect("ids").len()).sum();
        record[format!("tokens_per_s_{tokens}")] = json!(total as f64 / seconds);
        workloads[format!("t{tokens}")] = ids_and_vectors(&encoder, &refs);
    }
    record["peak_rss_mb"] = json!(peak_rss_mb());
    std::fs::create_dir_all(out_dir()).expect("bench dir");
    std::fs::write(vectors_file(weights.as_str()), workloads.to_string()).expect("write workloads");
    println!("{record}");
}

/// Where a child leaves its token ids and vectors: f32's are the ORT reference's workloads.
fn vectors_file(weights: &str) -> PathBuf {
    out_dir().join(if weights == "f32" { "workloads.json".to_owned() } else { format!("vectors-{weights}.json") })
}

/// The smallest cosine between the two files' vectors, input by input (both are normalised).
fn min_cosine(a: &Path, b: &Path) -> f64 {
    let read =
        |p: &Path| -> Value { serde_json::from_str(&std::fs::read_to_string(p).expect("vectors")).expect("JSON") };
    let (a, b) = (read(a), read(b));
    let mut min = f64::INFINITY;
    for key in ["seed", "t256", "t512"] {
        let (x, y) = (a[key]["vectors"].as_array().expect("vectors"), b[key]["vectors"].as_array().expect("vectors"));
        assert_eq!(x.len(), y.len(), "{key}: the runs embedded different inputs");
        for (u, v) in x.iter().zip(y) {
            let dot: f64 = u
                .as_array()
                .expect("vector")
                .iter()
                .zip(v.as_array().expect("vector"))
                .map(|(p, q)| p.as_f64().unwrap_or(0.0) * q.as_f64().unwrap_or(0.0))
                .sum();
            min = min.min(dot);
        }
    }
    min
}

fn ids_and_vectors(encoder: &CandleEncoder, texts: &[&str]) -> Value {
    let ids: Vec<Vec<u32>> = texts.iter().map(|t| encoder.token_ids(t, Intent::Passage).expect("ids")).collect();
    let vectors = encoder.embed(texts, Intent::Passage).expect("embed");
    json!({ "ids": ids, "vectors": vectors })
}
