//! `jianbao eval`: the CI suite passes with the real pipeline and fails with a broken
//! summariser; predictions made elsewhere score as the suite scores them; reports (JUnit and
//! Markdown for CI among them), baselines, checks and bad files behave; the suite's pipeline
//! gives the summaries and sections `digest` writes, and refuses the heads `digest` refuses.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use jianbao::eval::bootstrap::Bootstrap;
use jianbao::eval::run::{run_suite, Pipeline, ScoringOptions, Systems};
use jianbao::eval::suite::{Suite, System, Task};
use jianbao::eval::EvalError;
use jianbao::label::head::Head;
use jianbao::model::Encoder;
use jianbao::segment::Article;
use jianbao::summarize::{Budget, Method};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::harness::{path_str, read_json, run, seed_page, Dir};
use crate::real_model::default_model;

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The real pipeline with every summary replaced by nothing.
struct EmptySummaries<'a>(Pipeline<'a>);

impl Systems for EmptySummaries<'_> {
    fn summarize(&self, _: Method, articles: &[&Article]) -> Result<Vec<String>, EvalError> {
        Ok(vec![String::new(); articles.len()])
    }
    fn label(&self, system: System, pages: &[&[Article]]) -> Result<Vec<(String, f64)>, EvalError> {
        self.0.label(system, pages)
    }
    fn sections(&self) -> Vec<String> {
        self.0.sections()
    }
    fn model_id(&self) -> Option<String> {
        self.0.model_id()
    }
    fn max_chars(&self) -> usize {
        self.0.max_chars()
    }
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EvalError> {
        self.0.embed(texts)
    }
}

#[test]
fn ci_suite_passes_and_an_empty_summariser_fails_it() {
    let suite = Suite::load(&repo("eval/ci.toml"), None).expect("eval/ci.toml reads");
    // The default model as the command line runs it: e5-small as it is, with its head.
    let encoder = default_model() as &dyn Encoder;
    let opts = ScoringOptions { bootstrap: Bootstrap { resamples: 200, seed: 17 }, ..ScoringOptions::default() };
    let head = || Head::builtin_for(encoder.id());
    let pipeline = || Pipeline::new(Some(encoder), Budget::default(), Some(head()), true).expect("pipeline");

    let report = run_suite(&suite, &pipeline(), &opts, &mut |_| {}).expect("the suite runs");
    let failed: Vec<String> = report.failed_checks().map(ToString::to_string).collect();
    assert!(failed.is_empty(), "the real pipeline fails {failed:?}");
    assert!(report.checks.len() >= 10);

    let broken = run_suite(&suite, &EmptySummaries(pipeline()), &opts, &mut |_| {}).expect("the suite runs");
    let failed: Vec<(&str, &str, &str)> =
        broken.failed_checks().map(|c| (c.dataset.as_str(), c.method.as_str(), c.metric.as_str())).collect();
    // Every summary floor fails, and only those.
    let summary_floors: Vec<(&str, &str, &str)> = broken
        .checks
        .iter()
        .filter(|c| c.metric.starts_with("rouge"))
        .map(|c| (c.dataset.as_str(), c.method.as_str(), c.metric.as_str()))
        .collect();
    assert!(!summary_floors.is_empty());
    assert_eq!(failed, summary_floors);
    let empty = broken
        .datasets
        .iter()
        .find(|d| d.name == "lcsts")
        .expect("lcsts")
        .results
        .iter()
        .find(|r| r.method == "model")
        .expect("model");
    assert_eq!(empty.metric("empty").map(|m| m.value), Some(1.0));
}

/// A suite of the example page with the lead baseline only (no model needed).
fn lead_suite(dir: &Dir, floor: f64) -> PathBuf {
    dir.write(
        "lead.toml",
        format!(
            "[[dataset]]\nname = \"seed\"\ntask = \"pages\"\npath = \"{}\"\npages = \"{}\"\nmethods = [\"lead\"]\n\
[[dataset.threshold]]\nmethod = \"lead\"\nmetric = \"rougeL.f1\"\nmin = {floor}\n",
            path_str(&repo("eval/data/seed-gold.jsonl")),
            path_str(&repo("examples"))
        ),
    )
}

/// A pages dataset whose gold is not every article of its pages says `split = false`: the
/// split is then not reported, and the other methods score as before.
#[test]
fn a_pages_dataset_can_leave_the_split_unscored() {
    let dir = Dir::new();
    let whole = lead_suite(&dir, 0.1);
    let text = std::fs::read_to_string(&whole).expect("suite written");
    let partial = dir.write("partial.toml", text.replace("task = \"pages\"\n", "task = \"pages\"\nsplit = false\n"));
    let methods = |report: &Value| -> Vec<String> {
        let results = report["datasets"][0]["results"].as_array().expect("results");
        results.iter().map(|r| r["method"].as_str().expect("method").to_owned()).collect()
    };
    for (suite, json) in [(&whole, "whole.json"), (&partial, "partial.json")] {
        let out = run(&dir, &["eval", "--suite", path_str(suite), "--check", "--json", json]);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    let (whole, partial) = (read_json(&dir.path("whole.json")), read_json(&dir.path("partial.json")));
    assert_eq!(methods(&whole), ["split", "lead"]);
    assert_eq!(methods(&partial), ["lead"]);
    assert_eq!(metric(&whole, 0, "lead", "rougeL.f1"), metric(&partial, 0, "lead", "rougeL.f1"));
}

fn metric(report: &Value, dataset: usize, method: &str, name: &str) -> f64 {
    let results = report["datasets"][dataset]["results"].as_array().expect("results");
    let r = results.iter().find(|r| r["method"].as_str().is_some_and(|m| m.starts_with(method))).expect(method);
    let m = r["metrics"].as_array().expect("metrics").iter().find(|m| m["name"] == name).expect(name);
    m["value"].as_f64().expect("value")
}

#[test]
fn predictions_score_as_the_suite_scores_them() {
    let dir = Dir::new();
    let suite = lead_suite(&dir, 0.1);
    let by_suite =
        run(&dir, &["eval", "--suite", path_str(&suite), "--check", "--json", "suite.json", "--html", "r.html"]);
    assert_eq!(by_suite.code, 0, "{}", by_suite.stderr);
    let summarized = run(
        &dir,
        &["summarize", "--method", "lead", "--format", "jsonl", "--out", "pred.jsonl", path_str(&seed_page())],
    );
    assert_eq!(summarized.code, 0, "{}", summarized.stderr);
    let scored = run(
        &dir,
        &[
            "eval",
            "--predictions",
            "pred.jsonl",
            "--gold",
            path_str(&repo("eval/data/seed-gold.jsonl")),
            "--json",
            "pred.json",
        ],
    );
    assert_eq!(scored.code, 0, "{}", scored.stderr);
    let (suite_report, pred_report) = (read_json(&dir.path("suite.json")), read_json(&dir.path("pred.json")));
    assert_eq!(suite_report["schema"], 1);
    assert_eq!(suite_report["tokenizer"], "chars");
    for name in ["rouge1.f1", "rouge2.f1", "rougeL.f1"] {
        let (a, b) = (metric(&suite_report, 0, "lead", name), metric(&pred_report, 0, "pred", name));
        assert!((a - b).abs() < 1e-12, "{name}: suite {a}, predictions {b}");
        assert!(a > 0.1);
    }
    assert_eq!(metric(&pred_report, 0, "split", "boundary.f1"), 1.0);
    // On jieba words the report says so, and the figures are those of words, not characters.
    let gold = path_str(&repo("eval/data/seed-gold.jsonl")).to_owned();
    let words = run(
        &dir,
        &["eval", "--predictions", "pred.jsonl", "--gold", &gold, "--rouge-tokens", "jieba", "--json", "w.json"],
    );
    assert_eq!(words.code, 0, "{}", words.stderr);
    assert!(words.stdout.contains("ROUGE on jieba"), "{}", words.stdout);
    let words_report = read_json(&dir.path("w.json"));
    assert_eq!(words_report["tokenizer"], "jieba");
    let (chars, jieba) = (metric(&pred_report, 0, "pred", "rouge1.f1"), metric(&words_report, 0, "pred", "rouge1.f1"));
    assert!(jieba > 0.0 && (chars - jieba).abs() > 1e-3, "chars {chars}, jieba {jieba}");
    assert_eq!(metric(&pred_report, 0, "split", "headline_match"), 1.0);
    let html = std::fs::read_to_string(dir.path("r.html")).expect("html written");
    assert!(html.contains("<svg") && html.contains("ROUGE-L F1 per item") && html.contains("all checks pass"));
    // `--json -` puts the report on standard output, the same report as in a file; the table
    // moves to standard error.
    let piped = run(&dir, &["eval", "--predictions", "pred.jsonl", "--gold", &gold, "--json", "-"]);
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    let piped_report: serde_json::Value = serde_json::from_str(&piped.stdout).expect("JSON on standard output");
    for name in ["rouge1.f1", "rougeL.f1", "boundary.f1"] {
        let method = if name == "boundary.f1" { "split" } else { "pred" };
        assert_eq!(metric(&piped_report, 0, method, name), metric(&pred_report, 0, method, name), "{name}");
    }
    assert!(piped.stderr.contains("rougeL.f1") && !dir.path("-").exists(), "{}", piped.stderr);
}

#[test]
fn check_names_the_failed_floor_and_baseline_flags_regressions() {
    let dir = Dir::new();
    let strict = lead_suite(&dir, 0.99);
    let failed = run(&dir, &["eval", "--suite", path_str(&strict), "--check", "--json", "old.json"]);
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    assert!(failed.stderr.contains("threshold failed: seed / lead / rougeL.f1"), "{}", failed.stderr);
    // A summary of 20 characters scores well below the default's interval.
    let short = run(
        &dir,
        &["eval", "--suite", path_str(&strict), "--max-chars", "20", "--baseline", "old.json", "--markdown", "r.md"],
    );
    assert_eq!(short.code, 0, "without --check a failed floor is reported, not an error");
    let flagged: Vec<&str> = short.stdout.lines().filter(|l| l.trim_start().starts_with("REGRESSION")).collect();
    assert!(flagged.iter().any(|l| l.contains("seed / lead / rougeL.f1")), "{}", short.stdout);
    assert!(!flagged.iter().any(|l| l.contains("chars.mean")), "a shorter summary is not itself a regression");
    let md = std::fs::read_to_string(dir.path("r.md")).expect("markdown written");
    assert!(md.contains("| ❌ | seed / lead / rougeL.f1 |") && md.contains(" ↓ ("), "{md}");
}

/// A suite of the example page with the lead baseline: a floor on its ROUGE-L that holds, and
/// one on the split's boundary F1 that no F1 can reach.
fn pass_and_fail_suite(dir: &Dir) -> PathBuf {
    dir.write(
        "checks.toml",
        format!(
            "name = \"checks\"\n[[dataset]]\nname = \"seed\"\ntask = \"pages\"\npath = \"{}\"\npages = \"{}\"\nmethods = [\"lead\"]\n\
[[dataset.threshold]]\nmethod = \"lead\"\nmetric = \"rougeL.f1\"\nmin = 0.1\n\
[[dataset.threshold]]\nmethod = \"split\"\nmetric = \"boundary.f1\"\nmin = 1.5\n",
            path_str(&repo("eval/data/seed-gold.jsonl")),
            path_str(&repo("examples"))
        ),
    )
}

fn failure<'a, 'i>(case: roxmltree::Node<'a, 'i>) -> Option<roxmltree::Node<'a, 'i>> {
    case.children().find(|n| n.has_tag_name("failure"))
}

/// `value [low, high]` of a metric of the JSON report, as the reports print them.
fn figure(report: &Value, method: &str, name: &str) -> (String, String) {
    let results = report["datasets"][0]["results"].as_array().expect("results");
    let r = results.iter().find(|r| r["method"] == method).expect(method);
    let m = r["metrics"].as_array().expect("metrics").iter().find(|m| m["name"] == name).expect(name);
    let f = |v: &Value| v.as_f64().expect("a number");
    (format!("{:.4}", f(&m["value"])), format!("[{:.4}, {:.4}]", f(&m["ci"]["low"]), f(&m["ci"]["high"])))
}

#[test]
fn junit_names_each_check_and_a_failed_one_still_exits_1() {
    let dir = Dir::new();
    let suite = pass_and_fail_suite(&dir);
    let r = run(&dir, &["eval", "--suite", path_str(&suite), "--check", "--junit", "eval.xml", "--json", "r.json"]);
    assert_eq!(r.code, 1, "a failed threshold exits 1 once the reports are written: {}", r.stderr);
    assert!(r.stderr.contains("threshold failed: seed / split / boundary.f1"), "{}", r.stderr);
    let report = read_json(&dir.path("r.json"));
    // Every figure the terminal table shows is a case; both thresholds are on such figures.
    let shown: usize = report["datasets"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .flat_map(|r| r["metrics"].as_array().expect("metrics"))
        .filter(|m| m["name"].as_str().is_some_and(jianbao::eval::report::is_headline))
        .count();
    assert!(shown >= 2);

    let xml = std::fs::read_to_string(dir.path("eval.xml")).expect("JUnit written");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let (tests, failures) = (shown.to_string(), "1");
    assert_eq!((root.attribute("tests"), root.attribute("failures")), (Some(tests.as_str()), Some(failures)));
    let suites: Vec<_> = root.children().filter(|n| n.has_tag_name("testsuite")).collect();
    assert_eq!(suites.len(), 1);
    let seed = suites[0];
    assert_eq!(seed.attribute("name"), Some("seed"));
    assert_eq!((seed.attribute("tests"), seed.attribute("failures")), (Some(tests.as_str()), Some(failures)));
    assert!(seed.attribute("time").and_then(|t| t.parse::<f64>().ok()).is_some_and(|t| t >= 0.0), "{xml}");
    let cases: Vec<_> = seed.children().filter(|n| n.has_tag_name("testcase")).collect();
    assert_eq!(cases.len(), shown);
    let case = |name: &str| *cases.iter().find(|c| c.attribute("name") == Some(name)).expect(name);
    assert!(failure(case("seed / lead / rougeL.f1")).is_none(), "{xml}");
    let failed = case("seed / split / boundary.f1");
    assert_eq!(failed.attribute("classname"), Some("jianbao.eval.seed"));
    let message = failure(failed).and_then(|f| f.attribute("message")).expect("a failure message");
    let (value, interval) = figure(&report, "split", "boundary.f1");
    for part in [value.as_str(), interval.as_str(), "threshold 1.5"] {
        assert!(message.contains(part), "`{part}` not in `{message}`");
    }

    // `-` is standard output, as for --json; the table moves to standard error. Without
    // --check the failure is reported, not an exit code.
    let piped = run(&dir, &["eval", "--suite", path_str(&suite), "--junit", "-"]);
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    let doc = roxmltree::Document::parse(&piped.stdout).expect("JUnit on standard output");
    assert_eq!(doc.root_element().attribute("failures"), Some("1"));
    assert!(piped.stderr.contains("rougeL.f1"), "{}", piped.stderr);
    let both = run(&dir, &["eval", "--suite", path_str(&suite), "--junit", "-", "--json", "-"]);
    assert_eq!(both.code, 2, "{}", both.stderr);
}

#[test]
fn markdown_marks_the_passed_and_the_failed_check() {
    let dir = Dir::new();
    let suite = pass_and_fail_suite(&dir);
    let r =
        run(&dir, &["eval", "--suite", path_str(&suite), "--check", "--markdown", "summary.md", "--json", "r.json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let (md, report) =
        (std::fs::read_to_string(dir.path("summary.md")).expect("written"), read_json(&dir.path("r.json")));
    assert!(md.starts_with("## jianbao eval: checks — ❌ 1 of 2 checks fail\n"), "{md}");
    let (value, interval) = figure(&report, "lead", "rougeL.f1");
    assert!(md.contains(&format!("| ✅ | seed / lead / rougeL.f1 | {value} | {interval} | ≥ 0.1 |")), "{md}");
    let (value, interval) = figure(&report, "split", "boundary.f1");
    assert!(md.contains(&format!("| ❌ | seed / split / boundary.f1 | {value} | {interval} | ≥ 1.5 |")), "{md}");
    // Then every figure, precision and recall beside their F1.
    assert!(md.contains("| metric | lead |") && md.contains("| rougeL.f1 | ") && !md.contains("| rougeL.recall"));
    assert!(!md.contains("<table") && !md.contains("<br"), "no HTML: {md}");
}

#[test]
fn bad_files_are_one_line_errors_naming_them() {
    let dir = Dir::new();
    let missing = dir.write(
        "missing.toml",
        "[[dataset]]\nname = \"x\"\ntask = \"labels\"\npath = \"nowhere.jsonl\"\nmethods = [\"majority\"]\n",
    );
    let r = run(&dir, &["eval", "--suite", path_str(&missing)]);
    assert_eq!(r.code, 2);
    let errors = r.errors();
    assert!(errors.len() == 1 && errors[0].contains("nowhere.jsonl"), "{}", r.stderr);
    dir.write("bad.jsonl", "{\"text\": \"甲\", \"label\": \"体育\"}\n{\"text\": \"乙\", \"label\"\n");
    let bad = dir.write(
        "bad.toml",
        "[[dataset]]\nname = \"x\"\ntask = \"labels\"\npath = \"bad.jsonl\"\nmethods = [\"majority\"]\n",
    );
    let r = run(&dir, &["eval", "--suite", path_str(&bad)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.jsonl line 2"), "{}", r.stderr);
    let r = run(&dir, &["eval", "--predictions", "nothing.jsonl"]);
    assert_eq!(r.code, 2, "--predictions needs --gold");
}

#[test]
fn a_pages_gold_scores_its_articles_read_alone_too() {
    let dir = Dir::new();
    let gold = path_str(&repo("eval/data/seed-gold.jsonl")).to_owned();
    let pages = path_str(&repo("examples")).to_owned();
    let suite = dir.write(
        "rows.toml",
        format!(
            "[[dataset]]\nname = \"seed-rows\"\ntask = \"labels\"\npath = \"{gold}\"\npages = \"{pages}\"\nmethods = [\"majority\"]\n\n\
[[dataset]]\nname = \"seed-summaries\"\ntask = \"summaries\"\npath = \"{gold}\"\npages = \"{pages}\"\nmethods = [\"lead\"]\n"
        ),
    );
    let report = dir.path("report.json");
    let r = run(&dir, &["eval", "--suite", path_str(&suite), "--json", path_str(&report)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report = read_json(&report);
    // The five articles of the example page, each a row cut from the page by its span.
    assert_eq!(report["datasets"][0]["items"], 5);
    assert_eq!(report["datasets"][1]["items"], 5);
    // Two of the five are 时政: always answering it is right two times in five.
    assert!((metric(&report, 0, "majority", "accuracy") - 0.4).abs() < 1e-9);
    // The lead of each article alone: its first sentence after the dateline, scored against the
    // hand-written summaries.
    assert!(metric(&report, 1, "lead", "rougeL.f1") > 0.2);

    // A span past the end of its page is named, on one line.
    let broken = dir.write(
        "broken.jsonl",
        "{\"file\": \"qingdao-daily-2022-11-15.txt\", \"articles\": [{\"start\": 0, \"end\": 99999, \"section\": \"时政\"}]}\n",
    );
    let suite = dir.write(
        "broken.toml",
        format!(
            "[[dataset]]\nname = \"x\"\ntask = \"labels\"\npath = \"{}\"\npages = \"{pages}\"\nmethods = [\"majority\"]\n",
            path_str(&broken)
        ),
    );
    let r = run(&dir, &["eval", "--suite", path_str(&suite)]);
    assert_eq!(r.code, 2);
    let errors = r.errors();
    assert!(errors.len() == 1 && errors[0].contains("qingdao-daily-2022-11-15.txt"), "{}", r.stderr);
    assert!(errors[0].contains("not a span of the page"), "{}", r.stderr);
}

/// The pages (`file`) of a set of People's Daily annotations.
fn pages_of(path: &str) -> HashSet<String> {
    let text = std::fs::read_to_string(repo(path)).unwrap();
    text.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["file"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn no_training_article_is_on_a_page_that_is_measured() {
    let training = [
        "models/data/peopledaily-articles.jsonl",
        "models/data/peopledaily-more-articles.jsonl",
        "models/data/peopledaily-added-articles.jsonl",
    ];
    let measured = [
        "eval/data/peopledaily-annotated-val.jsonl",
        "eval/data/peopledaily-annotated-test.jsonl",
        "eval/data/peopledaily-sections.jsonl",
        "eval/data/peopledaily-sections-val.jsonl",
    ];
    let measured: HashSet<String> = measured.iter().flat_map(|p| pages_of(p)).collect();
    for set in training {
        let pages = pages_of(set);
        assert!(!pages.is_empty(), "{set}");
        let shared: Vec<_> = pages.intersection(&measured).collect();
        assert!(shared.is_empty(), "{set} has articles on measured pages: {shared:?}");
    }
}

const SHIPPED_MANIFESTS: [&str; 5] = [
    "models/e5-small/tuned/adapter.json",
    "models/e5-small/tuned/head.json",
    "models/e5-small/tuned/summarizer.json",
    "models/e5-small/head.json",
    "models/e5-small/summarizer.json",
];

/// The `peopledaily-*` article sets of the repository.
fn article_sets() -> Vec<String> {
    ["eval/data", "models/data"]
        .iter()
        .flat_map(|dir| {
            std::fs::read_dir(repo(dir))
                .unwrap()
                .map(move |e| format!("{dir}/{}", e.unwrap().file_name().to_string_lossy()))
        })
        .filter(|path| path.contains("peopledaily-"))
        .collect()
}

/// A test part's annotations are its own: it annotates `articles` articles, none of which
/// another set annotates, and no shipped model names it as training data.
fn assert_own_annotations(test_file: &str, articles: usize) {
    let name = Path::new(test_file).file_name().unwrap().to_str().unwrap();
    for manifest in SHIPPED_MANIFESTS {
        let data = read_json(&repo(manifest))["training"]["data"].clone();
        assert!(data.as_array().unwrap().iter().all(|d| d["file"] != name), "{manifest} trains on {name}");
    }
    let spans = |path: &str| -> HashSet<(String, u64)> {
        let text = std::fs::read_to_string(repo(path)).unwrap();
        text.lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .flat_map(|page| {
                let file = page["file"].as_str().unwrap().to_owned();
                let annotated: Vec<Value> = match page["articles"].as_array() {
                    Some(articles) => articles.iter().filter(|a| a.get("section").is_some()).cloned().collect(),
                    None => vec![page.clone()],
                };
                annotated.into_iter().map(move |a| (file.clone(), a["start"].as_u64().unwrap()))
            })
            .collect()
    };
    let test_spans = spans(test_file);
    assert_eq!(test_spans.len(), articles);
    for set in article_sets().iter().filter(|set| !set.ends_with(name) && !set.ends_with("-later.jsonl")) {
        assert_eq!(spans(set).intersection(&test_spans).count(), 0, "{set}");
    }
}

/// The blind test part is on pages that no shipped model read an article of: each article set
/// in a model's manifest holds none of its pages, or the manifest says its articles were kept
/// apart from them (`--away-from`, the blind file named with its SHA-256 as it is now).
#[test]
fn the_blind_test_part_shares_no_page_with_training() {
    let blind_file = "eval/data/peopledaily-annotated-blind.jsonl";
    assert_own_annotations(blind_file, 440);
    let blind = pages_of(blind_file);
    assert!(blind.len() >= 100, "{}", blind.len());
    let blind_sha = format!("{:x}", Sha256::digest(std::fs::read(repo(blind_file)).unwrap()));
    let article_sets = article_sets();
    let mut checked = 0;
    for manifest in SHIPPED_MANIFESTS {
        let training = &read_json(&repo(manifest))["training"];
        let kept_apart = training["away_from"].as_array().is_some_and(|files| {
            files.iter().any(|f| f["file"] == "peopledaily-annotated-blind.jsonl" && f["sha256"] == blind_sha.as_str())
        });
        for data in training["data"].as_array().unwrap() {
            let name = data["file"].as_str().unwrap();
            let Some(set) = article_sets.iter().find(|path| path.ends_with(&format!("/{name}"))) else { continue };
            checked += 1;
            if !kept_apart {
                let shared: Vec<_> = pages_of(set).intersection(&blind).cloned().collect();
                assert!(shared.is_empty(), "{manifest}: {set} has articles on the blind part's pages: {shared:?}");
            }
        }
    }
    assert!(checked >= 10, "{checked}");
}

/// The hold-out test part annotates articles of its own, which no shipped model read, and a
/// head or summary model made `--away-from` it reads no article of its pages: every page it
/// lists carries an annotated article. Its suite scores it alone, and not with the tuned
/// layers, which were tuned on articles of its pages before it was drawn.
#[test]
fn the_hold_out_test_part_is_its_own_and_keeps_its_pages_apart() {
    let holdout = "eval/data/peopledaily-annotated-holdout.jsonl";
    assert_own_annotations(holdout, 460);
    let kept_apart = jianbao::annotated::annotated_pages(&[repo(holdout)]).expect("pages gold reads");
    assert_eq!(kept_apart, pages_of(holdout));
    assert!(kept_apart.len() >= 200, "{}", kept_apart.len());
    let suite = Suite::load(&repo("eval/holdout.toml"), Some(Path::new("/data"))).expect("the suite reads");
    assert_eq!(suite.datasets.len(), 3);
    assert!(suite.datasets.iter().all(|d| d.path.ends_with("peopledaily-annotated-holdout.jsonl")));
    assert!(suite.datasets.iter().all(|d| !d.systems.contains(&System::Tuned)));
}

/// The later months' part holds the annotated articles of the 2020 pages alone, none of the blind
/// part's, and as pages gold it keeps a head made `--away-from` it off every one of those pages:
/// what `eval/later-months.toml` scores is what such a head never read.
#[test]
fn the_later_months_part_is_the_2020_pages_without_the_blind_part() {
    let later_file = "eval/data/peopledaily-annotated-later.jsonl";
    let later = pages_of(later_file);
    assert!(later.len() >= 800, "{}", later.len());
    assert!(later.iter().all(|file| file.starts_with("2020")), "{later:?}");
    let ids = |path: &str| -> HashSet<String> {
        let text = std::fs::read_to_string(repo(path)).unwrap();
        text.lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .flat_map(|page| page["articles"].as_array().cloned().unwrap_or_default())
            .filter(|a| a.get("section").is_some())
            .map(|a| a["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let scored = ids(later_file);
    assert!(scored.len() >= 2000, "{}", scored.len());
    assert_eq!(scored.intersection(&ids("eval/data/peopledaily-annotated-blind.jsonl")).count(), 0);
    // Every annotated article of those pages in the sets a head reads is kept apart by it.
    let kept_apart = jianbao::annotated::annotated_pages(&[repo(later_file)]).expect("pages gold reads");
    assert_eq!(kept_apart, later);
    for set in ["models/data/peopledaily-articles.jsonl", "models/data/peopledaily-more-articles.jsonl"] {
        let on_later: HashSet<String> = ids(set).into_iter().filter(|id| id.starts_with("2020")).collect();
        assert!(!on_later.is_empty() && on_later.is_subset(&scored), "{set}");
    }
    let suite = Suite::load(&repo("eval/later-months.toml"), Some(Path::new("/data"))).expect("the suite reads");
    // The articles read alone, and on their pages as `jianbao label` reads them.
    let tasks: Vec<Task> = suite.datasets.iter().map(|d| d.task).collect();
    assert_eq!(tasks, [Task::Labels, Task::Pages]);
    assert!(suite.datasets.iter().all(|d| d.path.ends_with("peopledaily-annotated-later.jsonl")));
}

/// `count` rows of a JSON Lines file of the repository, as written there.
fn rows_of(path: &str, count: usize) -> Vec<Value> {
    let text = std::fs::read_to_string(repo(path)).expect("eval data is in the repository");
    text.lines().take(count).map(|l| serde_json::from_str(l).expect("a JSON row")).collect()
}

/// The evaluation scores what users run: the model summaries and head sections the suite's real
/// pipeline gives rows of a dataset are those `jianbao digest -f jsonl` writes for the same rows.
#[test]
fn eval_summaries_and_sections_are_those_digest_writes() {
    // The example page's articles as rows of their own (as `span_rows` cuts them), news summary
    // rows, headline rows, and a row with a title.
    let page = crate::harness::seed_text();
    let mut rows: Vec<Value> = jianbao::segment::split(&page)
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let text = jianbao::input::char_span(&page, a.span.start, a.span.end).expect("an article's span");
            serde_json::json!({"id": format!("seed-{i}"), "text": text})
        })
        .collect();
    assert_eq!(rows.len(), 5);
    rows.extend(rows_of("eval/data/lcsts-sample.jsonl", 5));
    rows.extend(rows_of("eval/data/labels-sample.jsonl", 4));
    let news = rows_of("eval/data/lcsts-sample.jsonl", 6).pop().expect("a sixth row");
    rows.push(serde_json::json!({"id": "titled", "title": "证监会高层称注册制需要过渡", "text": news["text"]}));
    let dir = Dir::new();
    let jsonl: String = rows.iter().map(|r| format!("{r}\n")).collect();
    let path = dir.write("rows.jsonl", jsonl);

    let digest = run(&dir, &["digest", "-f", "jsonl", path_str(&path)]);
    assert_eq!(digest.code, 0, "{}", digest.stderr);
    let records = digest.records();
    assert_eq!(records.len(), rows.len(), "{}", digest.stdout);
    let field = |name: &str| -> Vec<String> {
        records.iter().map(|r| r[name].as_str().unwrap_or_else(|| panic!("no `{name}` in {r}")).to_owned()).collect()
    };

    // The rows read as the evaluation reads a dataset's rows, each a page of its own.
    let read = jianbao::annotated::read_rows(&path).expect("the rows read");
    let articles: Vec<Article> =
        read.iter().map(|r| jianbao::segment::single(&r.text, r.title.as_deref()).expect("an article")).collect();
    let present: Vec<&Article> = articles.iter().collect();
    let pages: Vec<&[Article]> = articles.iter().map(std::slice::from_ref).collect();
    // The default model as the command line runs it: e5-small as it is, with its head.
    let encoder = default_model();
    let pipeline =
        Pipeline::new(Some(encoder as &dyn Encoder), Budget::default(), Some(Head::builtin_for(encoder.id())), false)
            .expect("pipeline");
    let summaries = pipeline.summarize(Method::Model, &present).expect("summaries");
    let sections: Vec<String> =
        pipeline.label(System::Head, &pages).expect("sections").into_iter().map(|(s, _)| s).collect();

    assert_eq!(summaries, field("summary"));
    assert_eq!(sections, field("section"));
    assert!(summaries.iter().all(|s| !s.is_empty()), "{summaries:?}");

    // A suite that only summarises needs no head (one made for an adapter's encoder, say): the
    // summaries are the same, and labelling says what is missing.
    let headless = Pipeline::new(Some(encoder as &dyn Encoder), Budget::default(), None, false).expect("pipeline");
    assert_eq!(headless.summarize(Method::Model, &present).expect("summaries"), summaries);
    let err = headless.label(System::Head, &pages).expect_err("no head to label with").to_string();
    assert!(err.contains("`head`"), "{err}");
}

/// `eval --head` refuses a head for other sections than those it scores, as `label --labels`
/// refuses one for other sections than the labels file's, with the same one-line message.
#[test]
fn a_head_for_other_sections_is_refused_by_eval_as_by_digest() {
    let encoder = default_model() as &dyn Encoder;
    let two =
        jianbao::label::Taxonomy::parse("[[section]]\nname = \"甲\"\n\n[[section]]\nname = \"乙\"\n", Path::new("two"))
            .expect("a labels file");
    let manifest = jianbao::train::head::manifest(encoder, &two, Value::Null);
    let head = Head::new(manifest, vec![0.0; 2 * encoder.dim()], vec![0.0; 2]).expect("a head");
    let dir = Dir::new();
    let head_dir = dir.path("two-head");
    head.save(&head_dir).expect("the head is saved");

    let refused = Pipeline::new(Some(encoder), Budget::default(), Some(head), false)
        .err()
        .expect("a head for other sections is refused");
    assert!(refused.to_string().contains("the head's labels (甲 乙) are not the sections'"), "{refused}");

    let suite = dir.write(
        "labels.toml",
        format!(
            "[[dataset]]\nname = \"headlines\"\ntask = \"labels\"\npath = \"{}\"\nmethods = [\"head\"]\n",
            path_str(&repo("eval/data/labels-sample.jsonl"))
        ),
    );
    let eval = run(&dir, &["eval", "--suite", path_str(&suite), "--head", path_str(&head_dir)]);
    let label = run(
        &dir,
        &[
            "label",
            "--head",
            path_str(&head_dir),
            "--labels",
            path_str(&repo("models/sections.toml")),
            "--text",
            "青岛",
        ],
    );
    for refused in [&eval, &label] {
        assert_eq!(refused.code, 2, "{}", refused.stderr);
        assert!(refused.stderr.contains("the head's labels (甲 乙) are not the sections'"), "{}", refused.stderr);
        assert_eq!(refused.stderr.lines().count(), 1, "{}", refused.stderr);
    }
}

#[test]
fn duplicates_are_scored_on_pairs_of_spans_and_edits() {
    let dir = Dir::new();
    let page = "qingdao-daily-2022-11-15.txt";
    let span = |start: usize, end: usize, edits: &str| {
        format!("{{\"file\": \"{page}\", \"start\": {start}, \"end\": {end}, \"edits\": [{edits}]}}")
    };
    let pair = |id: &str, a: String, b: String, duplicate: bool, variant: &str| {
        format!(
            "{{\"id\": \"{id}\", \"a\": {a}, \"b\": {b}, \"duplicate\": {duplicate}, \"variant\": \"{variant}\"}}\n"
        )
    };
    // Three copies of the example page's articles (one cut to half) and two different stories.
    let pairs = [
        pair("d1", span(0, 1368, ""), span(0, 1368, r#"{"op": "cut", "keep": 0.7}"#), true, "cut"),
        pair(
            "d2",
            span(1368, 2491, ""),
            span(1368, 2491, r#"{"op": "retitle", "headline": "青岛新闻"}, {"op": "noise", "rate": 0.01, "seed": 3}"#),
            true,
            "combined",
        ),
        pair("d3", span(3606, 5921, ""), span(3606, 5921, r#"{"op": "cut", "keep": 0.5}"#), true, "cut-0.5"),
        pair("d4", span(2491, 3012, ""), span(3012, 3606, ""), false, "random"),
        pair("d5", span(0, 1368, ""), span(3606, 5921, ""), false, "random"),
    ]
    .concat();
    let pairs = dir.write("pairs.jsonl", pairs);
    let pages = path_str(&repo("examples")).to_owned();
    let suite = dir.write(
        "dup.toml",
        format!(
            "[[dataset]]\nname = \"dup\"\ntask = \"duplicates\"\npath = \"{}\"\npages = \"{pages}\"\n\n\
[[dataset.threshold]]\nmethod = \"minhash\"\nmetric = \"duplicates.precision\"\nmin = 1.0\n",
            path_str(&pairs)
        ),
    );
    let report = dir.path("report.json");
    let r = run(&dir, &["eval", "--suite", path_str(&suite), "--json", path_str(&report), "--check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("duplicates.recall 1.0000"), "{}", r.stdout);
    let report = read_json(&report);
    assert_eq!(report["datasets"][0]["items"], 5);
    for name in ["duplicates.precision", "duplicates.recall", "duplicates.recall_all", "duplicates.f1"] {
        assert_eq!(metric(&report, 0, "minhash", name), 1.0, "{name}");
    }
    assert_eq!(metric(&report, 0, "minhash", "duplicates.false_positives.random"), 0.0);
}

/// `tuned` scores, in the same run as the default, what `--tuned` scores as `head`: e5-small
/// with its built-in tuned layers, with the head built in for them.
#[test]
fn tuned_labels_as_the_default_does_with_its_tuned_layers() {
    let dir = Dir::new();
    let suite = |methods: &str| {
        format!(
            "[[dataset]]\nname = \"headlines\"\ntask = \"labels\"\npath = \"{}\"\nmethods = [{methods}]\n",
            path_str(&repo("eval/data/labels-sample.jsonl"))
        )
    };
    let both = dir.write("both.toml", suite("\"head\", \"tuned\""));
    let r = run(&dir, &["eval", "--suite", path_str(&both), "--json", "both.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let head = dir.write("head.toml", suite("\"head\""));
    let r = run(&dir, &["eval", "--suite", path_str(&head), "--tuned", "--json", "tuned.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (both, tuned) = (read_json(&dir.path("both.json")), read_json(&dir.path("tuned.json")));
    assert_eq!(both["model"], "e5-small");
    assert!(tuned["model"].as_str().is_some_and(|m| m.starts_with("e5-small+adapter-")), "{}", tuned["model"]);
    let figures =
        |report: &Value, method: &str| (metric(report, 0, method, "accuracy"), metric(report, 0, method, "macro_f1"));
    assert_eq!(figures(&both, "tuned"), figures(&tuned, "head"));
    assert_ne!(figures(&both, "tuned"), figures(&both, "head"));
}
