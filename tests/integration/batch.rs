//! Batch runs that survive what happens to long jobs: SIGKILL and Ctrl-C at any point, then
//! `--resume`, must leave every article exactly once and every failed page's error record
//! once; shards merged must equal one unsharded run; `--out-dir` mirrors the inputs.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::{page_variant, path_str, run, seed_text, Dir};
use crate::inputs::zip_bytes;

/// `pages` variants of the example page and four bad entries: binary, empty, oversize (over
/// the 64K limit the runs use) and GBK (which decodes, and is a page like the others).
fn archive(dir: &Dir, pages: usize) -> std::path::PathBuf {
    let seed = seed_text();
    let texts: Vec<(String, Vec<u8>)> =
        (0..pages).map(|i| (format!("pages/{i:03}.txt"), page_variant(i).into_bytes())).collect();
    let gbk =
        encoding_rs::GBK.encode(&seed[..seed.char_indices().nth(2600).map_or(seed.len(), |(i, _)| i)]).0.into_owned();
    let mut entries: Vec<(&str, &[u8])> = texts.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let binary: Vec<u8> = [0x89, b'P', b'N', b'G', 0, 0, 0, 13].into_iter().chain(0..=255).collect();
    let big = "长".repeat(40_000).into_bytes();
    entries.extend([
        ("bad/binary.txt", binary.as_slice()),
        ("bad/empty.txt", b"".as_slice()),
        ("bad/big.txt", big.as_slice()),
    ]);
    entries.push(("bad/gbk.txt", gbk.as_slice()));
    dir.write("archive.zip", zip_bytes(&entries))
}

const EXPECTED_ERRORS: [(&str, &str); 3] = [
    ("archive.zip!bad/big.txt", "too-large"),
    ("archive.zip!bad/binary.txt", "binary"),
    ("archive.zip!bad/empty.txt", "empty"),
];

/// Article keys and error records of a JSON Lines output, asserting that each occurs once.
fn contents(path: &Path) -> (BTreeSet<String>, Vec<(String, String)>) {
    let text = std::fs::read_to_string(path).expect("output written");
    assert!(text.is_empty() || text.ends_with('\n'), "output ends in a partial line");
    let mut keys = BTreeSet::new();
    let mut errors = Vec::new();
    for line in text.lines() {
        let r: Value = serde_json::from_str(line).expect("a JSON line");
        match r.get("key").and_then(Value::as_str) {
            Some(key) => assert!(keys.insert(key.to_owned()), "{key} written twice"),
            None => errors
                .push((r["source"].as_str().unwrap_or("").to_owned(), r["kind"].as_str().unwrap_or("").to_owned())),
        }
    }
    errors.sort();
    (keys, errors)
}

fn expected_errors() -> Vec<(String, String)> {
    EXPECTED_ERRORS.iter().map(|(s, k)| (s.to_string(), k.to_string())).collect()
}

fn spawn(dir: &Dir, args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("jianbao"))
        .args(args)
        .current_dir(dir.dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("jianbao starts")
}

fn lines(path: &Path) -> usize {
    std::fs::read(path).map(|b| b.iter().filter(|&&c| c == b'\n').count()).unwrap_or(0)
}

/// Waits until `path` has at least `n` lines, or the child has ended. True if it is still running.
fn wait_for_lines(child: &mut Child, path: &Path, n: usize) -> bool {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if child.try_wait().expect("wait").is_some() {
            return false;
        }
        if lines(path) >= n {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("no progress on {}", path.display());
}

const SUMMARIZE: [&str; 6] = ["summarize", "--format", "jsonl", "--max-bytes", "64K", "--quiet"];

#[test]
fn killed_and_interrupted_runs_resume_to_exactly_once() {
    let dir = Dir::new();
    archive(&dir, 24);
    // The reference: one uninterrupted run.
    let full = run(&dir, &[&SUMMARIZE[..], &["--out", "full.jsonl", "archive.zip"]].concat());
    assert_eq!(full.code, 1, "some pages fail: {}", full.stderr);
    let (all_keys, errors) = contents(&dir.path("full.jsonl"));
    assert_eq!(errors, expected_errors());
    let total = all_keys.len() + errors.len();
    assert!(all_keys.len() >= 24 * 5, "{} articles", all_keys.len());

    let out = dir.path("out.jsonl");
    let args = [&SUMMARIZE[..], &["--out", "out.jsonl", "--resume", "archive.zip"]].concat();
    let mut killed = 0;
    // SIGKILL at three points, a power loss (a partial last line) after the second, then
    // Ctrl-C with a quarter of the run still to do (so that the run cannot finish before the
    // signal lands, even on a busy machine), then a last resume that finishes.
    for (step, share) in [0.15, 0.35, 0.55, 0.75].into_iter().enumerate() {
        // Wait for this run's own progress: at least one line more than the last run left.
        let target = ((total as f64 * share) as usize).max(lines(&out) + 1);
        let mut child = spawn(&dir, &args);
        let running = wait_for_lines(&mut child, &out, target);
        if step < 3 {
            child.kill().expect("SIGKILL");
            let _ = child.wait();
            killed += usize::from(running);
            if step == 1 {
                let mut bytes = std::fs::read(&out).expect("output");
                bytes.extend_from_slice(br#"{"source":"archive.zip!pages/0"#);
                std::fs::write(&out, bytes).expect("half a line");
            }
        } else if running {
            let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill -INT");
            assert!(status.success());
            let outcome = child.wait_with_output().expect("wait");
            assert_eq!(outcome.status.code(), Some(130), "{}", String::from_utf8_lossy(&outcome.stderr));
            let text = std::fs::read_to_string(&out).expect("output");
            assert!(text.ends_with('\n'), "Ctrl-C leaves whole lines");
        }
    }
    assert!(killed >= 2, "the kills landed mid-run ({killed})");
    let last = run(&dir, &args);
    assert!(last.code == 0 || last.code == 1, "{}", last.stderr);
    let (keys, errors) = contents(&out);
    assert_eq!(errors, expected_errors());
    assert_eq!(keys, all_keys, "every article exactly once");
    // Resuming a finished run does nothing.
    let again = run(&dir, &args);
    assert_eq!(contents(&out).0.len(), all_keys.len());
    assert_eq!(again.code, 0, "{}", again.stderr);
}

const LEAD: [&str; 7] = ["summarize", "--method", "lead", "--format", "jsonl", "--max-bytes", "64K"];

#[test]
fn shards_merged_equal_the_unsharded_run() {
    let dir = Dir::new();
    archive(&dir, 60);
    let whole = run(&dir, &[&LEAD[..], &["--out", "whole.jsonl", "archive.zip"]].concat());
    assert_eq!(whole.code, 1, "{}", whole.stderr);
    let mut shard_files = Vec::new();
    let mut sizes = Vec::new();
    for i in 0..3 {
        let name = format!("shard-{i}.jsonl");
        let shard = format!("{i}/3");
        let r = run(&dir, &[&LEAD[..], &["--shard", &shard, "--out", &name, "archive.zip"]].concat());
        assert!(r.code <= 1, "{}", r.stderr);
        sizes.push(lines(&dir.path(&name)));
        shard_files.push(name);
    }
    assert!(sizes.iter().all(|&n| n > 0), "every shard has work: {sizes:?}");
    assert_eq!(sizes.iter().sum::<usize>(), lines(&dir.path("whole.jsonl")), "shards partition the pages");
    let shard_args: Vec<&str> = shard_files.iter().map(String::as_str).collect();
    let merged = run(&dir, &[&["merge", "--out", "merged.jsonl"], &shard_args[..]].concat());
    assert_eq!(merged.code, 0, "{}", merged.stderr);
    let reference = run(&dir, &["merge", "--out", "reference.jsonl", "whole.jsonl", "whole.jsonl"]);
    assert_eq!(reference.code, 0, "{}", reference.stderr);
    assert!(reference.stderr.contains(&format!("{} duplicates dropped", lines(&dir.path("whole.jsonl")))));
    let (a, b) = (
        std::fs::read(dir.path("merged.jsonl")).expect("merged"),
        std::fs::read(dir.path("reference.jsonl")).expect("ref"),
    );
    assert!(a == b, "merged shards differ from the merged unsharded run");
    // A missing shard is found.
    let partial = run(&dir, &["merge", "--out", "partial.jsonl", "shard-0.jsonl", "shard-1.jsonl"]);
    assert_eq!(partial.code, 0, "whole pages missing cannot be seen without the inputs");
    let truncated = dir.write("cut.jsonl", {
        let text = std::fs::read_to_string(dir.path("shard-0.jsonl")).expect("shard");
        let first = text.lines().find(|l| l.contains("\"index\":1,")).expect("a first article").to_owned();
        first + "\n"
    });
    let gaps = run(&dir, &["merge", path_str(&truncated)]);
    assert_eq!(gaps.code, 1);
    assert!(gaps.stderr.contains("articles 2, 3, 4, 5 missing"), "{}", gaps.stderr);
}

#[test]
fn out_dir_mirrors_the_inputs_and_resumes() {
    let dir = Dir::new();
    archive(&dir, 3);
    let r = run(
        &dir,
        &[&LEAD[..3], &["--max-bytes", "64K", "--out-dir", "out", "--log-format", "json", "archive.zip"]].concat(),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    for page in ["000", "001", "002"] {
        let json: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path(&format!("out/archive.zip/pages/{page}.txt.json")))
                .expect("a file per page"),
        )
        .expect("JSON");
        assert_eq!(json.as_array().map(Vec::len), Some(5));
    }
    assert!(dir.path("out/archive.zip/bad/binary.txt.error.json").exists());
    // Machine logs: one JSON object per line, the last the summary.
    let events: Vec<Value> = r.stderr.lines().map(|l| serde_json::from_str(l).expect("a JSON event")).collect();
    let summary = events.last().expect("a summary");
    assert_eq!(summary["event"], "done");
    assert_eq!(summary["pages"], 4);
    assert_eq!(summary["failures"], serde_json::json!({"binary": 1, "empty": 1, "too-large": 1}));
    let again = run(
        &dir,
        &[&LEAD[..3], &["--max-bytes", "64K", "--out-dir", "out", "--resume", "--log-format", "json", "archive.zip"]]
            .concat(),
    );
    let done: Value = serde_json::from_str(again.stderr.lines().last().expect("summary")).expect("JSON");
    let first = events.last().expect("summary");
    let before = first["articles"].as_u64().zip(first["failed"].as_u64()).map(|(a, f)| a + f);
    assert_eq!((done["pages"].as_u64(), done["skipped"].as_u64()), (Some(0), before), "{done}");
}
