//! What an earlier run wrote to a JSON Lines output: the keys of its article records and the
//! sources of its error records, read back line by line after a partial last line (what a
//! kill, a power loss or a full disk leaves) is cut off.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Seek, SeekFrom};
use std::path::Path;

use serde_json::Value;

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

#[cfg(test)]
mod tests {
    use std::fs::OpenOptions;

    use super::*;

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
}
