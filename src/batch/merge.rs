//! Merging the JSON Lines outputs of several shards (or of a run and its resumptions) into one:
//! each record once, in a fixed order, with the pages that are not complete named.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;

use serde_json::Value;

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
    use super::*;

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
