//! Pathological pages (see `tests/pages/pathological.rs`), the 31 MB one included, each
//! digested as `jianbao digest` digests a page: decoded, split, summarised and labelled with
//! the default model, at 2 threads. Prints each page's size, articles, the seconds spent
//! reading and splitting it, finding its sentences and summarising them, and in all (the model
//! loaded once beforehand, not counted); exits non-zero when a page takes 2 s or more.
//!
//! cargo bench --bench pathological

use std::time::Instant;

use jianbao::input::decode::decode;
use jianbao::label::{self, head::Head, Labeller, Options};
use jianbao::model::memo::Memo;
use jianbao::model::source::{self, FetchOptions, ModelSpec, DEFAULT_MODEL};
use jianbao::model::{CandleEncoder, Encoder, LoadOptions};
use jianbao::segment::{self, Article};
use jianbao::summarize::{self, Budget, Method, Summarizer};

#[path = "../tests/pages/pathological.rs"]
mod pages;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The most one page may take.
const MAX_SECONDS: f64 = 2.0;

fn main() {
    // As `--threads 2` sets them: rayon's pool and candle's matrix kernels.
    std::env::set_var("RAYON_NUM_THREADS", "2");
    rayon::ThreadPoolBuilder::new().num_threads(2).build_global().expect("thread pool");
    let spec: ModelSpec = DEFAULT_MODEL.parse().expect("default model");
    let opts = FetchOptions { offline: false, wheels: None, progress: true, force: false };
    let dir = source::resolve(&spec, &opts).expect("the default model");
    let encoder = CandleEncoder::load(&dir, &LoadOptions::default()).expect("load");
    let labeller = Labeller::Head(Box::new(Head::builtin()));
    let summarizer = Summarizer::new(Method::Model, Budget::default());
    let mut slow = 0;
    println!(
        "{:<24} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "page", "bytes", "articles", "split", "sentences", "summary", "seconds"
    );
    for page in pages::pages(true) {
        let started = Instant::now();
        let text = decode(&page.bytes, None).expect("decodes").text;
        let articles = segment::split(&text);
        let split = started.elapsed().as_secs_f64();
        let memo = Memo::new(&encoder);
        let encoder: &dyn Encoder = &memo;
        // As `digest` does: each article's sentences found once, for the summary and the label.
        let refs: Vec<&Article> = articles.iter().collect();
        let candidates: Vec<_> = refs.iter().map(|a| summarize::candidates(a)).collect();
        let sentences = started.elapsed().as_secs_f64() - split;
        let summaries = summarizer.summarize_candidates(Some(encoder), &refs, &candidates).expect("summaries");
        let summary = started.elapsed().as_secs_f64() - split - sentences;
        let parts: Vec<_> = refs.iter().zip(&candidates).map(|(a, c)| label::input_parts_from(a, c)).collect();
        let labels = labeller.label_parts(encoder, &[&articles], &parts, Options::default()).expect("labels");
        let seconds = started.elapsed().as_secs_f64();
        assert_eq!((summaries.len(), labels.len()), (articles.len(), articles.len()));
        println!(
            "{:<24} {:>10} {:>9} {split:>9.3} {sentences:>9.3} {summary:>9.3} {seconds:>9.3}",
            page.name,
            page.bytes.len(),
            articles.len()
        );
        if seconds >= MAX_SECONDS {
            slow += 1;
        }
    }
    if slow > 0 {
        eprintln!("{slow} page(s) took {MAX_SECONDS} s or more");
        std::process::exit(1);
    }
}
