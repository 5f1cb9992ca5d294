//! What tuning the encoder costs on this machine (`jianbao train --tune-layers`): the library's
//! own tuner ([`jianbao::train::adapter::tune`]) on the repository's headline sample and the
//! annotated training articles' pieces (their pages under `../shared/data`), one epoch.
//!
//! cargo bench --bench tune                        # the top 4 layers, 640 rows
//! cargo bench --bench tune -- --layers 12 --rows 320
//! cargo bench --bench tune -- --length-pool 1     # batches cut as drawn, not by length
//!
//! Prints the training rows and their mean tokens, the seconds the frozen layers took, the
//! seconds per optimiser step (a batch of 16), what an epoch of the README's run (24,547 rows)
//! would take at that rate, and the epoch's validation accuracy (every tenth headline).

use std::ops::ControlFlow;
use std::path::PathBuf;

use jianbao::fit::split::Part;
use jianbao::label::Taxonomy;
use jianbao::model::source::{self, FetchOptions, ModelSpec, DEFAULT_MODEL};
use jianbao::model::{CandleEncoder, Intent, LoadOptions};
use jianbao::train::adapter::{self, Event, Settings};
use jianbao::train::{head, Sample, Weights};

/// The allocator the `jianbao` binary uses, so that the bench measures what users run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Training rows of one epoch in the README's tuning run (`--tune-rows 2000`, the README's
/// weights).
const README_ROWS: f64 = 24_547.0;

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.windows(2).find(|w| w[0] == name).map_or(default, |w| w[1].parse().expect("a number"))
}

fn main() {
    jianbao::tune_allocator();
    rayon::ThreadPoolBuilder::new().num_threads(2).build_global().expect("thread pool");
    let args: Vec<String> = std::env::args().collect();
    let (layers, rows) = (arg(&args, "--layers", 4), arg(&args, "--rows", 640));
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let pages = root.join("../shared/data/pages/peopledaily");
    assert!(pages.is_dir(), "the bench reads the shared pages at {}", pages.display());

    let spec: ModelSpec = DEFAULT_MODEL.parse().expect("default model");
    let opts = FetchOptions { offline: false, wheels: None, progress: true, force: false };
    let dir = source::resolve(&spec, &opts).expect("the default model");
    let encoder = CandleEncoder::load(&dir, &LoadOptions::default()).expect("load");

    let taxonomy = Taxonomy::default_sections();
    let weights = Weights::default();
    let data = root.join("eval/data");
    let (mut examples, _) =
        head::read_examples(&[data.join("labels-sample.jsonl")], &taxonomy, &weights, &Sample::default())
            .expect("headlines");
    let (pieces, _) = head::read_articles(
        &[data.join("peopledaily-annotated-train.jsonl")],
        &pages,
        &taxonomy,
        &weights,
        &Default::default(),
    )
    .expect("articles");
    examples.extend(pieces);
    // The sample is drawn from the headline sets' test part: every tenth headline scores the
    // epoch here instead, as the validation part does in a real run.
    for (i, e) in examples.iter_mut().filter(|e| !e.piece).enumerate() {
        e.part = if i % 10 == 0 { Part::Val } else { Part::Train };
    }
    // Headlines and pieces interleaved, so that the first `rows` training rows hold both.
    let (mut heads, mut rest): (Vec<_>, Vec<_>) = examples.into_iter().partition(|e| !e.piece);
    let mut mixed = Vec::new();
    while !heads.is_empty() || !rest.is_empty() {
        mixed.extend(heads.pop());
        mixed.extend(rest.pop());
        mixed.extend(rest.pop());
    }
    let mut train = 0;
    let examples: Vec<_> = mixed
        .into_iter()
        .filter(|e| {
            let keep = e.part != Part::Train || train < rows;
            train += usize::from(e.part == Part::Train);
            keep
        })
        .collect();
    let tokens: Vec<usize> = examples
        .iter()
        .filter(|e| e.part == Part::Train)
        .map(|e| encoder.token_ids(&e.text, Intent::Query).map_or(0, |t| t.len().min(128)))
        .collect();
    let mean_tokens = tokens.iter().sum::<usize>() as f64 / tokens.len().max(1) as f64;

    let length_pool = arg(&args, "--length-pool", Settings::default().length_pool);
    let settings = Settings { layers, epochs: 1, length_pool, ..Settings::default() };
    let steps = std::cell::Cell::new(0usize);
    let progress = |event: Event| {
        if let Event::Step { .. } = event {
            steps.set(steps.get() + 1);
        }
        ControlFlow::Continue(())
    };
    let (_, report) =
        adapter::tune(&encoder, &examples, &[], taxonomy.sections.len(), &settings, None, &progress).expect("tuning");
    let steps = steps.get();
    let per_step = report.seconds_training / steps.max(1) as f64;
    let per_row = per_step / settings.batch as f64;
    println!(
        "layers {layers}, length pool {length_pool}: {} training rows ({mean_tokens:.1} tokens each), lower layers {:.1} s, \
         {} steps, {per_step:.3} s a step, {:.1} rows/s; an epoch of {README_ROWS} rows: {:.0} min; \
         validation accuracy {:.3}",
        report.training_rows,
        report.seconds_lower_states,
        steps,
        1.0 / per_row,
        README_ROWS * per_row / 60.0,
        report.validation_accuracy.last().copied().unwrap_or(0.0),
    );
}
