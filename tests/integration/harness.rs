//! A fresh temporary directory per test, and the `jianbao` binary to run in it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// A JSON file a run wrote (a report, a manifest).
pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("a file written")).expect("JSON")
}

/// The example page shipped with the project.
pub fn seed_page() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/qingdao-daily-2022-11-15.txt")
}

pub fn seed_text() -> String {
    std::fs::read_to_string(seed_page()).expect("the example page is in the repository")
}

/// The example page with one figure changed by `i`, so that each variant's articles have keys
/// of their own.
pub fn page_variant(i: usize) -> String {
    seed_text().replace("债券规模为5亿元", &format!("债券规模为{}亿元", i + 1))
}

pub struct Dir {
    pub dir: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        Dir { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `bytes` to `name` (creating parent directories) and returns its path.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, bytes).expect("write");
        path
    }

    /// `jianbao` with its working directory here.
    pub fn jianbao(&self) -> Command {
        let mut cmd = Command::cargo_bin("jianbao").expect("the jianbao binary");
        cmd.current_dir(self.dir.path());
        cmd
    }
}

/// What one run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The JSON Lines records on stdout.
    pub fn records(&self) -> Vec<Value> {
        self.stdout.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
    }

    /// The stderr lines that report a failed input.
    pub fn errors(&self) -> Vec<&str> {
        self.stderr.lines().filter(|l| l.starts_with("jianbao: ")).collect()
    }
}

/// Runs `jianbao ARGS…` in `dir`.
pub fn run(dir: &Dir, args: &[&str]) -> Run {
    let out = dir.jianbao().args(args).output().expect("run jianbao");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

/// Runs `jianbao split --format jsonl ARGS…` in `dir`.
pub fn split_jsonl(dir: &Dir, args: &[&str]) -> Run {
    run(dir, &[&["split", "--format", "jsonl"], args].concat())
}

pub fn headlines(records: &[Value]) -> Vec<&str> {
    records.iter().map(|r| r["headline"].as_str().unwrap_or("")).collect()
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}
