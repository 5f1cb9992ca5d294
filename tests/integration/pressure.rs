//! Outputs under pressure: a second run on the same output is refused before it writes a byte,
//! a write error (a full disk, a file size limit) stops the run with one line and `--resume`
//! then completes it exactly once, and no archive entry's name leads outside `--out-dir`.

use std::fs::File;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::harness::{page_variant, run, seed_text, Dir};
use crate::inputs::zip_bytes;

const LEAD: [&str; 5] = ["summarize", "--method", "lead", "--max-bytes", "64K"];

/// `n` variants of the example page in `pages.zip`.
fn pages(dir: &Dir, n: usize) -> PathBuf {
    let texts: Vec<(String, Vec<u8>)> = (0..n).map(|i| (format!("p/{i:03}.txt"), page_variant(i).into())).collect();
    let entries: Vec<(&str, &[u8])> = texts.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    dir.write("pages.zip", zip_bytes(&entries))
}

/// Every file under `root`, with its bytes, in name order.
fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| !e.file_type().is_dir())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap_or_default()))
        .collect();
    files.sort();
    files
}

/// Takes the lock a jianbao run would hold on `path`, as another run does.
fn hold_lock(path: &Path) -> File {
    let file = File::options().read(true).write(true).open(path).expect("open");
    file.try_lock().expect("the test takes the lock");
    file
}

#[test]
fn a_second_run_on_a_locked_output_is_refused() {
    let dir = Dir::new();
    pages(&dir, 3);
    let first = run(&dir, &[&LEAD[..], &["--format", "jsonl", "--out", "out.jsonl", "pages.zip"]].concat());
    assert_eq!(first.code, 0, "{}", first.stderr);
    let written = std::fs::read(dir.path("out.jsonl")).expect("written");
    let held = hold_lock(&dir.path("out.jsonl"));
    for args in [
        &[&LEAD[..], &["--format", "jsonl", "--out", "out.jsonl", "pages.zip"]].concat(),
        &[&LEAD[..], &["--format", "jsonl", "--out", "out.jsonl", "--resume", "pages.zip"]].concat(),
        &[&LEAD[..], &["--format", "json", "--out", "out.jsonl", "pages.zip"]].concat(),
        &["split", "--format", "jsonl", "--out", "out.jsonl", "pages.zip"][..],
    ] {
        let refused = run(&dir, args);
        assert_eq!(refused.code, 2, "{args:?}: {}", refused.stderr);
        assert_eq!(
            refused.stderr,
            "jianbao: out.jsonl: another jianbao run is writing it; wait for that run to end or choose another output\n",
            "{args:?}"
        );
        assert!(std::fs::read(dir.path("out.jsonl")).expect("still there") == written, "{args:?} changed the output");
    }
    drop(held);

    let out_dir = [&LEAD[..], &["--out-dir", "out", "--log-format", "json", "pages.zip"]].concat();
    let first = run(&dir, &out_dir);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let before = snapshot(&dir.path("out"));
    let held = hold_lock(&dir.path("out/.jianbao.lock"));
    for resume in [false, true] {
        let args = if resume { [&out_dir[..], &["--resume"]].concat() } else { out_dir.clone() };
        let refused = run(&dir, &args);
        assert_eq!(refused.code, 2, "{}", refused.stderr);
        assert!(refused.stderr.starts_with("jianbao: out: another jianbao run is writing it;"), "{}", refused.stderr);
        assert_eq!(refused.stderr.lines().count(), 1, "{}", refused.stderr);
        assert!(snapshot(&dir.path("out")) == before, "a refused run leaves the directory as it was");
    }
    drop(held);
    // The lock file is not a page: resuming finds every page done and nothing else.
    let again = run(&dir, &[&out_dir[..], &["--resume"]].concat());
    assert_eq!(again.code, 0, "{}", again.stderr);
    let done: Value = serde_json::from_str(again.stderr.lines().last().expect("summary")).expect("JSON");
    assert_eq!(
        (done["pages"].as_u64(), done["failed"].as_u64(), done["skipped"].as_u64()),
        (Some(0), Some(0), Some(15))
    );
}

/// Runs jianbao under `ulimit -f KIB` (bash counts in KiB), as a user whose quota is full does.
#[cfg(unix)]
fn run_limited(dir: &Dir, kib: u64, args: &[&str]) -> crate::harness::Run {
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("ulimit -f {kib} && exec \"$0\" \"$@\""))
        .arg(assert_cmd::cargo::cargo_bin("jianbao"))
        .args(args)
        .current_dir(dir.dir.path())
        .output()
        .expect("bash runs jianbao");
    crate::harness::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[cfg(unix)]
#[test]
fn a_file_size_limit_stops_the_run_and_resume_completes_it() {
    let dir = Dir::new();
    pages(&dir, 12);
    let jsonl = [&LEAD[..], &["--format", "jsonl", "--quiet"]].concat();
    let whole = run(&dir, &[&jsonl[..], &["--out", "whole.jsonl", "pages.zip"]].concat());
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    let whole = std::fs::read(dir.path("whole.jsonl")).expect("written");
    let kib = whole.len() as u64 / 2048;
    assert!(kib >= 4, "{} bytes", whole.len());

    // The limit is reached halfway: SIGXFSZ does not kill the run, the write fails and says so.
    let args = [&jsonl[..], &["--out", "out.jsonl", "--resume", "pages.zip"]].concat();
    let stopped = run_limited(&dir, kib, &args);
    let too_large = std::io::Error::from_raw_os_error(libc::EFBIG);
    assert_eq!(stopped.code, 2, "{}", stopped.stderr);
    assert_eq!(stopped.stderr, format!("jianbao: out.jsonl: cannot write: {too_large}\n"));
    let cut = std::fs::read(dir.path("out.jsonl")).expect("written");
    assert!(cut.len() as u64 <= kib * 1024 && cut.len() * 3 > whole.len(), "{} of {} bytes", cut.len(), whole.len());
    assert!(whole.starts_with(&cut), "what was written is intact");

    let resumed = run(&dir, &args);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    assert!(std::fs::read(dir.path("out.jsonl")).expect("written") == whole, "resumed equals uninterrupted");
    let merged = run(&dir, &["merge", "--out", "merged.jsonl", "out.jsonl"]);
    assert_eq!(merged.code, 0, "{}", merged.stderr);
    assert!(
        merged.stderr.starts_with("merged 60 article records and 0 error records; 0 duplicates"),
        "{}",
        merged.stderr
    );

    // Under --out-dir, a page's file that cannot be written is not left half there.
    let out_dir = [&LEAD[..], &["--quiet", "--out-dir", "out", "--resume", "pages.zip"]].concat();
    let stopped = run_limited(&dir, 1, &out_dir);
    assert_eq!(stopped.code, 2, "{}", stopped.stderr);
    assert_eq!(stopped.stderr, format!("jianbao: out/pages.zip/p/000.txt.json: cannot write: {too_large}\n"));
    let left: Vec<PathBuf> = snapshot(&dir.path("out")).into_iter().map(|(p, _)| p).collect();
    assert_eq!(left, [dir.path("out/.jianbao.lock")]);
    let resumed = run(&dir, &out_dir);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    let articles: usize = (0..12)
        .map(|i| {
            let page = std::fs::read_to_string(dir.path(&format!("out/pages.zip/p/{i:03}.txt.json"))).expect("a page");
            serde_json::from_str::<Vec<Value>>(&page).expect("JSON").len()
        })
        .sum();
    assert_eq!(articles, 60);
}

/// A tar entry whose name (and link target) are written as they are, as a hostile archiver
/// would: the tar crate refuses to write `..` and absolute names itself.
fn raw_tar_entry(tar: &mut tar::Builder<Vec<u8>>, name: &str, link: Option<&str>, body: &[u8]) {
    let mut header = tar::Header::new_gnu();
    let gnu = header.as_gnu_mut().expect("a GNU header");
    assert!(name.len() < gnu.name.len(), "{name} fits a tar header");
    gnu.name[..name.len()].copy_from_slice(name.as_bytes());
    if let Some(link) = link {
        gnu.linkname[..link.len()].copy_from_slice(link.as_bytes());
    }
    header.set_entry_type(if link.is_some() { tar::EntryType::Symlink } else { tar::EntryType::Regular });
    header.set_size(body.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    tar.append(&header, body).expect("append");
}

#[test]
fn archive_entries_never_leave_the_out_dir() {
    let dir = Dir::new();
    let page = seed_text();
    let absolute = dir.path("escaped-abs.txt");
    let absolute = absolute.to_str().expect("a UTF-8 temporary path");
    let names = ["../../../../escaped-up.txt", absolute, "a/../../../../escaped-mid.txt", "..\\..\\escaped-win.txt"];
    let mut tar = tar::Builder::new(Vec::new());
    for name in names.iter().chain(&["ok/page.txt", ".."]) {
        raw_tar_entry(&mut tar, name, None, page.as_bytes());
    }
    dir.write("secret.txt", &page);
    raw_tar_entry(&mut tar, "link.txt", Some("../../secret.txt"), b"");
    dir.write("in/pages.tar", tar.into_inner().expect("tar"));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for name in names.iter().chain(&["ok/page.txt", ".."]) {
        zip.start_file(*name, zip::write::SimpleFileOptions::default()).expect("entry");
        std::io::Write::write_all(&mut zip, page.as_bytes()).expect("write");
    }
    // A link whose target is a page's text: read as a file, it would be a page.
    zip.add_symlink("link.txt", &page, zip::write::SimpleFileOptions::default()).expect("link");
    dir.write("in/pages.zip", zip.finish().expect("zip").into_inner());

    // Every entry is read, whatever its name (`..` would not match the default globs).
    let r = run(&dir, &[&LEAD[..], &["--glob", "*", "--out-dir", "out", "in/pages.tar", "in/pages.zip"]].concat());
    assert_eq!(r.code, 1, "the entries called `..` fail, the rest are done: {}", r.stderr);
    for archive in ["in/pages.tar", "in/pages.zip"] {
        assert!(
            r.stderr.contains(&format!("jianbao: {archive}!..: no file name is left for it under --out-dir")),
            "{}",
            r.stderr
        );
    }

    let root = dir.dir.path();
    let outside: Vec<PathBuf> = snapshot(root)
        .into_iter()
        .map(|(p, _)| p.strip_prefix(root).expect("under the temporary directory").to_path_buf())
        .filter(|p| !p.starts_with("out"))
        .collect();
    assert_eq!(outside, [Path::new("in/pages.tar"), Path::new("in/pages.zip"), Path::new("secret.txt")]);
    let absolute_under = Path::new(absolute).strip_prefix("/").expect("absolute");
    for archive in ["in/pages.tar", "in/pages.zip"] {
        let under = dir.path("out").join(archive);
        let mut expected: Vec<PathBuf> = ["escaped-up.txt", "a/escaped-mid.txt", "escaped-win.txt", "ok/page.txt"]
            .iter()
            .map(|p| under.join(format!("{p}.json")))
            .chain([under.join(format!("{}.json", absolute_under.display()))])
            .collect();
        expected.sort();
        let written: Vec<PathBuf> = snapshot(&under).into_iter().map(|(p, _)| p).collect();
        assert_eq!(written, expected, "{archive}: every page that can be read, under out/, and no link");
    }
}
