//! What a long batch run needs besides the pipeline itself: stable record keys, shards,
//! resuming from a JSON Lines output that an interrupted run left behind, and merging the
//! outputs of several shards.
//!
//! A record's key is `SOURCE#INDEX@HASH`: the page's source (file, `archive!entry` or
//! `rows.jsonl:line`), the article's 1-based index on the page, and 16 hex digits of the SHA-256
//! of the article's headline and paragraphs, so that a changed page is not mistaken for a done
//! one. A failed page is an error record `{source, error, kind}`.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Seek, SeekFrom};
use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::segment::Article;

/// The stable key of an article's record.
pub fn article_key(source: &str, article: &Article) -> String {
    let mut hash = Sha256::new();
    hash.update(article.headline.as_bytes());
    for p in &article.paragraphs {
        hash.update(b"\n");
        hash.update(p.as_bytes());
    }
    let digest = hash.finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{source}#{}@{hex}", article.index)
}

/// One of N deterministic parts of the inputs: a page belongs to shard `sha256(source) mod N`,
/// so N machines given the same inputs split them without talking to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// `I/N` with 0 ≤ I < N.
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}` is not a shard I/N with 0 <= I < N (e.g. 0/4)");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u64, u64) = (i.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    pub fn takes(&self, source: &str) -> bool {
        let digest = Sha256::digest(source.as_bytes());
        let mut head = [0u8; 8];
        head.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(head) % self.count == self.index
    }
}

/// What an earlier run already wrote.
#[derive(Debug, Default)]
pub struct Done {
    /// Keys of complete article records.
    pub keys: HashSet<String>,
    /// Sources with an error record.
    pub failed: HashSet<String>,
    /// Bytes of a partial last line that were cut off.
    pub repaired: u64,
}

impl Done {
    pub fn has(&self, key: &str) -> bool {
        self.keys.contains(key)
    }
}

/// Reads the JSON Lines output of an earlier run from `file` (opened for reading and writing;
/// `path` names it in errors) and cuts off a partial last line (what a kill, a power loss or a
/// full disk leaves), so that appending continues on a line boundary. Where the file is read
/// to afterwards is left to the caller.
pub fn resume(file: &mut File, path: &Path) -> io::Result<Done> {
    file.seek(SeekFrom::Start(0))?;
    // Line by line, so that only the keys stay in memory, however long the output.
    let mut reader = BufReader::new(&*file);
    let mut done = Done::default();
    let (mut complete, mut line) = (0u64, Vec::new());
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        if line.last() != Some(&b'\n') {
            done.repaired = read as u64;
            break;
        }
        complete += read as u64;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let record: Value = serde_json::from_slice(&line).map_err(|e| {
            io::Error::new(io::ErrorKind::InvalidData, format!("{}: a line is not JSON: {e}", path.display()))
        })?;
        note(&mut done, &record);
    }
    if done.repaired > 0 {
        file.set_len(complete)?;
        file.sync_all()?;
    }
    Ok(done)
}

fn note(done: &mut Done, record: &Value) {
    if let Some(key) = record.get("key").and_then(Value::as_str) {
        done.keys.insert(key.to_owned());
    } else if record.get("error").is_some() {
        if let Some(source) = record.get("source").and_then(Value::as_str) {
            done.failed.insert(source.to_owned());
        }
    }
}

/// The outcome of merging shard outputs.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Merged {
    pub records: usize,
    pub errors: usize,
    pub duplicates: usize,
    /// Partial lines left out (an interrupted shard that was not resumed).
    pub partial: usize,
    /// Pages whose articles are not all there: (source, missing 1-based indices).
    pub incomplete: Vec<(String, Vec<usize>)>,
}

/// Merges JSON Lines outputs: each article record once (by key), each error record once (by
/// source), in order of source and article index, so that shard outputs merged equal the
/// unsharded output merged. A page is complete when all `of` of its articles are present.
pub fn merge(inputs: &[&Path], out: &mut dyn io::Write) -> io::Result<Merged> {
    let mut merged = Merged::default();
    // (source, index or 0 for an error record) → line.
    let mut lines: BTreeMap<(String, usize), String> = BTreeMap::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut pages: BTreeMap<String, (usize, Vec<usize>)> = BTreeMap::new();
    for path in inputs {
        let file = File::open(path).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        let mut reader = BufReader::new(file);
        let mut line = String::new();
        let mut number = 0;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                break;
            }
            number += 1;
            if !line.ends_with('\n') {
                merged.partial += 1;
                break;
            }
            let text = line.trim_end();
            if text.is_empty() {
                continue;
            }
            let record: Value = serde_json::from_str(text).map_err(|e| {
                io::Error::new(io::ErrorKind::InvalidData, format!("{} line {number}: not JSON: {e}", path.display()))
            })?;
            let source = record.get("source").and_then(Value::as_str).unwrap_or_default().to_owned();
            let (identity, index) = match record.get("key").and_then(Value::as_str) {
                Some(key) => (key.to_owned(), record.get("index").and_then(Value::as_u64).unwrap_or(0) as usize),
                None if record.get("error").is_some() => (format!("error {source}"), 0),
                None => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "{} line {number}: neither an article record (key) nor an error record",
                            path.display()
                        ),
                    ))
                }
            };
            if !seen.insert(identity) {
                merged.duplicates += 1;
                continue;
            }
            // An article's error record (a timeout) is an error, and keeps its page complete.
            if record.get("error").is_some() {
                merged.errors += 1;
            } else {
                merged.records += 1;
            }
            if index > 0 {
                let of = record.get("of").and_then(Value::as_u64).unwrap_or(0) as usize;
                let page = pages.entry(source.clone()).or_insert((of, Vec::new()));
                page.1.push(index);
            }
            lines.insert((source, index), text.to_owned());
        }
    }
    for line in lines.values() {
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    for (source, (of, present)) in pages {
        let missing: Vec<usize> = (1..=of).filter(|i| !present.contains(i)).collect();
        if !missing.is_empty() {
            merged.incomplete.push((source, missing));
        }
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use std::fs::OpenOptions;

    use super::*;

    #[test]
    fn shards_partition_the_inputs() {
        let shards: Vec<Shard> = (0..3).map(|i| format!("{i}/3").parse().expect("shard")).collect();
        for n in 0..200 {
            let source = format!("pages/{n}.txt");
            assert_eq!(shards.iter().filter(|s| s.takes(&source)).count(), 1);
        }
        let sizes: Vec<usize> = shards.iter().map(|s| (0..300).filter(|n| s.takes(&format!("p{n}"))).count()).collect();
        assert!(sizes.iter().all(|&n| (70..130).contains(&n)), "{sizes:?}");
        for bad in ["3/3", "1", "a/2", "0/0"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn resume_cuts_a_partial_line_and_knows_what_is_done() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out.jsonl");
        std::fs::write(
            &path,
            "{\"source\":\"a\",\"index\":1,\"of\":2,\"key\":\"a#1@x\"}\n{\"source\":\"b\",\"error\":\"empty file\",\"kind\":\"empty\"}\n{\"source\":\"a\",\"ind",
        )
        .expect("write");
        let mut file = OpenOptions::new().read(true).write(true).open(&path).expect("open");
        let done = resume(&mut file, &path).expect("resume");
        assert!(done.has("a#1@x") && done.failed.contains("b"));
        assert_eq!(done.repaired, "{\"source\":\"a\",\"ind".len() as u64);
        assert!(std::fs::read_to_string(&path).expect("read").ends_with("\"kind\":\"empty\"}\n"));
        let none = dir.path().join("none.jsonl");
        let mut empty = OpenOptions::new().read(true).write(true).create_new(true).open(&none).expect("create");
        assert!(resume(&mut empty, &none).expect("an empty file is an empty run").keys.is_empty());
    }

    #[test]
    fn merge_deduplicates_orders_and_finds_gaps() {
        let dir = tempfile::tempdir().expect("tempdir");
        let one = dir.path().join("1.jsonl");
        let two = dir.path().join("2.jsonl");
        std::fs::write(&one, "{\"source\":\"b\",\"index\":2,\"of\":2,\"key\":\"b#2@x\"}\n{\"source\":\"a\",\"index\":1,\"of\":1,\"key\":\"a#1@x\"}\n").expect("write");
        std::fs::write(&two, "{\"source\":\"a\",\"index\":1,\"of\":1,\"key\":\"a#1@x\"}\n{\"source\":\"c\",\"error\":\"e\",\"kind\":\"empty\"}\n{\"sou").expect("write");
        let mut out = Vec::new();
        let m = merge(&[one.as_path(), two.as_path()], &mut out).expect("merge");
        assert_eq!((m.records, m.errors, m.duplicates, m.partial), (2, 1, 1, 1));
        assert_eq!(m.incomplete, vec![("b".to_owned(), vec![1])]);
        let sources: Vec<Value> =
            String::from_utf8(out).expect("utf-8").lines().map(|l| serde_json::from_str(l).expect("json")).collect();
        let order: Vec<&str> = sources.iter().map(|r| r["source"].as_str().expect("source")).collect();
        assert_eq!(order, ["a", "b", "c"]);
    }
}
