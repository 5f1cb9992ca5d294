//! The library's batch pipeline called directly, as the benches call it: the records it writes
//! through a real sink are the ones `jianbao` writes, a bad page becomes an error record while
//! the others are written, a resumed run writes only what is missing, the stop flag ends a run
//! cleanly, and the observer hears of each page and failure.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use jianbao::batch::{self, Job, Observer, Sources, Tally, Unobserved};
use jianbao::input::InputOptions;
use jianbao::label::{head::Head, Labeller};
use jianbao::output::sink::page_path;
use jianbao::output::Done;
use jianbao::output::{DigestPage, ErrorRecord, Format, Sink};
use jianbao::stages::Stages;
use jianbao::summarize::{Budget, Method, Summarizer};
use serde_json::Value;

use crate::harness::{page_variant, path_str, run, seed_page, Dir};
use crate::real_model::default_model;

/// A temporary directory with `pages/`: three variants of the example page and two pages that
/// fail (binary, empty); and lead summaries for them, which need no model.
struct Pages {
    dir: Dir,
    paths: [PathBuf; 1],
    input: InputOptions,
    stages: Stages<'static>,
}

impl Pages {
    fn new() -> Pages {
        let dir = Dir::new();
        for i in 0..3 {
            dir.write(&format!("pages/{i}.txt"), page_variant(i));
        }
        dir.write("pages/bad/binary.txt", [0x89, b'P', b'N', b'G', 0, 0, 0, 13]);
        dir.write("pages/bad/empty.txt", b"");
        let lead = Summarizer::new(Method::Lead, Budget::default());
        let stages = Stages { summarizer: Some(lead), labeller: None, encoder: None, timeout: None };
        Pages { paths: [dir.path("pages")], dir, input: InputOptions::default(), stages }
    }

    /// A fresh run over all the pages.
    fn job(&self) -> Job<'_> {
        job(&self.paths, &self.input, &self.stages)
    }
}

fn job<'a>(paths: &'a [PathBuf], input: &'a InputOptions, stages: &'a Stages<'a>) -> Job<'a> {
    Job {
        sources: Sources { paths, input, shard: None },
        stages,
        resume: None,
        fail_fast: false,
        stop: None,
        duplicates: None,
    }
}

/// Runs `job` into a fresh JSON Lines file at `out`.
fn into_file(job: &Job<'_>, out: &Path) -> Tally {
    let (mut sink, _) = Sink::file(out, Format::Jsonl, false).expect("the output opens");
    batch::run(job, &mut sink, &mut Unobserved).expect("the run completes")
}

fn records(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("output written");
    text.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
}

fn keys(records: &[Value]) -> BTreeSet<String> {
    records.iter().filter_map(|r| r["key"].as_str()).map(str::to_owned).collect()
}

#[test]
fn the_pipeline_writes_what_jianbao_writes() {
    let pages = Pages::new();
    let (dir, paths) = (&pages.dir, &pages.paths);
    let report = into_file(&pages.job(), &dir.path("lib.jsonl"));
    assert_eq!((report.pages, report.articles, report.skipped), (3, 15, 0), "{report:?}");
    let failures: Vec<(&str, usize)> = report.failures.iter().map(|(k, &n)| (k.as_str(), n)).collect();
    assert_eq!(failures, [("binary", 1), ("empty", 1)]);
    assert!(!report.interrupted && report.first_failure.is_none());
    // The bad pages are error records; every article of the good ones is there, once, by key.
    let written = records(&dir.path("lib.jsonl"));
    let errors: Vec<(&str, &str)> = written
        .iter()
        .filter(|r| r.get("error").is_some())
        .map(|r| (r["source"].as_str().unwrap_or(""), r["kind"].as_str().unwrap_or("")))
        .collect();
    let bad = |name: &str| format!("{}/bad/{name}.txt", path_str(&paths[0]));
    assert_eq!(errors, [(bad("binary").as_str(), "binary"), (bad("empty").as_str(), "empty")]);
    assert_eq!(keys(&written).len(), 15);
    for r in written.iter().filter(|r| r.get("key").is_some()) {
        let source = r["source"].as_str().expect("source");
        assert!(r["key"].as_str().is_some_and(|k| k.starts_with(&format!("{source}#{}@", r["index"]))), "{r}");
        assert!(r["summary"].as_str().is_some_and(|s| !s.is_empty()), "{r}");
    }
    // The command line over the same pages writes the same bytes.
    let cli = run(dir, &["summarize", "--method", "lead", "-f", "jsonl", "-o", "cli.jsonl", path_str(&paths[0])]);
    assert_eq!(cli.code, 1, "two pages fail: {}", cli.stderr);
    let (lib, cli) = (std::fs::read(dir.path("lib.jsonl")), std::fs::read(dir.path("cli.jsonl")));
    assert!(lib.expect("lib") == cli.expect("cli"), "the pipeline and jianbao write different records");
}

#[test]
fn a_resumed_run_writes_only_what_is_missing() {
    let pages = Pages::new();
    let full = pages.dir.path("full.jsonl");
    into_file(&pages.job(), &full);
    let whole = std::fs::read_to_string(&full).expect("full");
    // A run killed after seven records, in the middle of the eighth.
    let out = pages.dir.path("out.jsonl");
    let cut: usize = whole.split_inclusive('\n').take(7).map(str::len).sum();
    std::fs::write(&out, format!("{}{{\"source\":\"pa", &whole[..cut])).expect("write");
    let resume = |out: &Path| {
        let (mut sink, done) = Sink::file(out, Format::Jsonl, true).expect("the output opens");
        let job = Job { resume: Some(&done), ..pages.job() };
        (batch::run(&job, &mut sink, &mut Unobserved).expect("the run completes"), done)
    };
    let (report, done) = resume(&out);
    assert!(done.repaired > 0, "the partial line is cut off");
    assert_eq!(report.skipped, 7, "{report:?}");
    assert_eq!(report.articles + report.failed() + report.skipped, 17, "{report:?}");
    assert_eq!(std::fs::read_to_string(&out).expect("out"), whole, "the resumed output is the uninterrupted one");
    // Resuming a finished run writes nothing.
    let (again, _) = resume(&out);
    assert_eq!((again.pages, again.articles, again.failed(), again.skipped), (0, 0, 0, 17), "{again:?}");
    assert_eq!(std::fs::read_to_string(&out).expect("out"), whole);
}

#[test]
fn fail_fast_stops_at_the_first_bad_page() {
    let pages = Pages::new();
    let paths = [pages.paths[0].join("bad"), seed_page()];
    let job = Job { fail_fast: true, ..job(&paths, &pages.input, &pages.stages) };
    let report = into_file(&job, &pages.dir.path("out.jsonl"));
    let first = report.first_failure.as_deref().expect("a first failure");
    assert!(first.ends_with("binary.txt: binary file (PNG image), not text"), "{first}");
    assert_eq!((report.pages, report.failed()), (0, 1), "{report:?}");
}

/// Counts what an observer hears.
#[derive(Default)]
struct Heard {
    written: Vec<String>,
    failed: Vec<String>,
    progress: usize,
}

impl Observer for Heard {
    fn written(&mut self, page: &DigestPage<'_>) {
        self.written.push(page.page.source.to_owned());
    }

    fn failed(&mut self, record: &ErrorRecord<'_>) {
        self.failed.push(record.kind.to_owned());
    }

    fn progress(&mut self, _: &Tally) {
        self.progress += 1;
    }
}

#[test]
fn a_directory_sink_the_stop_flag_and_the_observer() {
    let pages = Pages::new();
    let (dir, paths) = (&pages.dir, &pages.paths);
    let out = dir.path("out");
    // Stopped from the start: the first page (0.txt: a directory is read in name order) is
    // taken, and its batch finished and written.
    let stop = AtomicBool::new(true);
    let mut heard = Heard::default();
    let mut sink = Sink::dir(&out).expect("the directory opens");
    let report =
        batch::run(&Job { stop: Some(&stop), ..pages.job() }, &mut sink, &mut heard).expect("the run completes");
    drop(sink);
    assert!(report.interrupted);
    assert_eq!((report.pages, report.articles, report.failed()), (1, 5, 0), "{report:?}");
    assert_eq!((heard.written.len(), heard.failed.len(), heard.progress), (1, 0, 1));
    // The rest, resumed, heard of page by page.
    let done = Done::default();
    let mut heard = Heard::default();
    let mut sink = Sink::dir(&out).expect("the directory opens");
    let report =
        batch::run(&Job { resume: Some(&done), ..pages.job() }, &mut sink, &mut heard).expect("the run completes");
    assert_eq!((report.skipped, report.pages, report.articles, report.failed()), (5, 2, 10, 2), "{report:?}");
    assert_eq!(heard.written.len(), 2);
    assert_eq!(heard.failed, ["binary", "empty"]);
    assert_eq!(heard.progress, 4);
    for i in 0..3 {
        let file = page_path(&out, path_str(&paths[0].join(format!("{i}.txt"))), "json").expect("a file name");
        let page: Value = serde_json::from_str(&std::fs::read_to_string(file).expect("a file per page")).expect("JSON");
        assert_eq!(page.as_array().map(Vec::len), Some(5));
    }
}

#[test]
fn shards_partition_the_pages() {
    let pages = Pages::new();
    let (dir, paths) = (&pages.dir, &pages.paths);
    let mut seen = BTreeSet::new();
    for index in 0..2 {
        let shard = Some(batch::Shard { index, count: 2 });
        let job = Job { sources: Sources { paths, input: &pages.input, shard }, ..pages.job() };
        let out = dir.path(&format!("shard-{index}.jsonl"));
        into_file(&job, &out);
        for r in records(&out) {
            assert!(seen.insert(r["key"].as_str().map_or_else(|| r["source"].to_string(), str::to_owned)), "{r}");
        }
    }
    assert_eq!(seen.len(), 17, "every article and error record in exactly one shard");
}

#[test]
fn digest_through_the_pipeline_with_the_default_model() {
    let dir = Dir::new();
    let encoder = default_model();
    let head = Head::builtin();
    head.check_encoder(encoder).expect("the built-in head is the default model's");
    let labeller = Labeller::Head(Box::new(head));
    let stages = Stages::digest(encoder, &labeller);
    let paths = [seed_page()];
    let report = into_file(&job(&paths, &InputOptions::default(), &stages), &dir.path("lib.jsonl"));
    assert_eq!((report.pages, report.articles, report.failed()), (1, 5, 0), "{report:?}");
    assert!(report.model_time > std::time::Duration::ZERO && report.model_time <= report.elapsed);
    let cli = run(&dir, &["digest", "-f", "jsonl", "-o", "cli.jsonl", path_str(&seed_page())]);
    assert_eq!(cli.code, 0, "{}", cli.stderr);
    let fields = |path: &Path| -> Vec<(String, String, String)> {
        records(path)
            .iter()
            .map(|r| {
                let field = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
                (field("key"), field("summary"), field("section"))
            })
            .collect()
    };
    let lib = fields(&dir.path("lib.jsonl"));
    assert!(lib.iter().all(|(_, summary, section)| !summary.is_empty() && !section.is_empty()), "{lib:?}");
    assert_eq!(lib, fields(&dir.path("cli.jsonl")), "the pipeline and `jianbao digest` agree");
}

#[test]
fn copies_name_their_first_record_in_a_whole_run_and_a_resumed_one() {
    // The three pages are the example page with one figure changed: each article of the
    // second and third is a copy of the first page's.
    let pages = Pages::new();
    let job = || Job { duplicates: Some(jianbao::dedup::Settings::default()), ..pages.job() };
    let full = pages.dir.path("full.jsonl");
    into_file(&job(), &full);
    let whole = std::fs::read_to_string(&full).expect("full");
    let records: Vec<Value> = whole
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .filter(|r: &Value| r.get("key").is_some())
        .collect();
    assert_eq!(records.len(), 15);
    let first: Vec<&str> = records[..5].iter().map(|r| r["key"].as_str().unwrap()).collect();
    assert!(records[..5].iter().all(|r| r.get("duplicate_of").is_none()), "{records:?}");
    for copy in &records[5..] {
        let index = copy["index"].as_u64().unwrap() as usize;
        assert_eq!(copy["duplicate_of"].as_str(), Some(first[index - 1]), "{copy}");
        assert!(copy["similarity"].as_f64().unwrap() >= 0.75, "{copy}");
    }
    // Cut after the first page and resumed: the copies still name the first page's records.
    let out = pages.dir.path("out.jsonl");
    let cut: usize = whole.split_inclusive('\n').take(5).map(str::len).sum();
    std::fs::write(&out, &whole[..cut]).expect("write");
    let (mut sink, done) = Sink::file(&out, Format::Jsonl, true).expect("the output opens");
    batch::run(&Job { resume: Some(&done), ..job() }, &mut sink, &mut Unobserved).expect("the run completes");
    assert_eq!(std::fs::read_to_string(&out).expect("out"), whole, "the resumed output is the whole run's");
}
