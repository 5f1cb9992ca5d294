//! Pathological pages (see `tests/pages/pathological.rs`), the 31 MB one included, each
//! digested as `jianbao digest` digests a page: decoded, split, then summarised and labelled
//! with the default model by the stages digest runs ([`jianbao::stages::Stages`], with its
//! default 30 s per article), at 2 threads. Prints each page's size, articles, the seconds
//! spent reading and splitting it, in the stages (finding sentences, summarising, labelling),
//! and in all (the model loaded once beforehand, not counted); exits non-zero when a page takes
//! 2 s or more or an article runs out of time.
//!
//! cargo bench --bench pathological

use std::time::Instant;

use jianbao::input::decode::decode;
use jianbao::label::{head::Head, Labeller};
use jianbao::model::source::{self, FetchOptions, ModelSpec, DEFAULT_MODEL};
use jianbao::model::{CandleEncoder, Encoder, LoadOptions};
use jianbao::segment;
use jianbao::stages::Stages;

#[path = "../tests/pages/pathological.rs"]
mod pages;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The most one page may take.
const MAX_SECONDS: f64 = 2.0;

fn main() {
    jianbao::tune_allocator();
    // As `--threads 2` sets them: rayon's pool and candle's matrix kernels.
    std::env::set_var("RAYON_NUM_THREADS", "2");
    rayon::ThreadPoolBuilder::new().num_threads(2).build_global().expect("thread pool");
    let spec: ModelSpec = DEFAULT_MODEL.parse().expect("default model");
    let opts = FetchOptions { offline: false, wheels: None, progress: true, force: false };
    let dir = source::resolve(&spec, &opts).expect("the default model");
    let encoder = CandleEncoder::load(&dir, &LoadOptions::default()).expect("load");
    let labeller = Labeller::Head(Box::new(Head::builtin_for(encoder.id())));
    let stages = Stages::digest(&encoder, &labeller);
    let mut slow = 0;
    println!("{:<24} {:>10} {:>9} {:>9} {:>9} {:>9}", "page", "bytes", "articles", "split", "stages", "seconds");
    for page in pages::pages(true) {
        let started = Instant::now();
        let text = decode(&page.bytes, None).expect("decodes").text;
        let articles = segment::split(&text);
        let split = started.elapsed().as_secs_f64();
        let results = stages.run(&[&articles]).expect("summaries and labels");
        let seconds = started.elapsed().as_secs_f64();
        let stages_seconds = seconds - split;
        let done = |n: Option<usize>| n == Some(articles.len());
        assert!(done(results.summaries.as_ref().map(Vec::len)) && done(results.labels.as_ref().map(Vec::len)));
        let late = results.timed_out.iter().filter(|&&late| late).count();
        println!(
            "{:<24} {:>10} {:>9} {split:>9.3} {stages_seconds:>9.3} {seconds:>9.3}{}",
            page.name,
            page.bytes.len(),
            articles.len(),
            if late > 0 { format!("  {late} out of time") } else { String::new() }
        );
        if seconds >= MAX_SECONDS || late > 0 {
            slow += 1;
        }
    }
    if slow > 0 {
        eprintln!("{slow} page(s) took {MAX_SECONDS} s or more, or ran out of time");
        std::process::exit(1);
    }
}
