//! Everything between a path on the command line and decoded text: files, directories,
//! archives read in memory, standard input, JSON Lines rows and text encodings.
//!
//! Input hands out [`Document`]s one at a time through a callback, in a deterministic order,
//! and reports each unusable input as an [`InputError`] without stopping. It knows nothing of
//! articles.

mod archive;
pub mod decode;
mod jsonl;
mod walk;

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;
use serde::Serialize;

use crate::error::{InputError, InputErrorKind};
pub use walk::FileFilter;

/// The default limit on one document's size in bytes (`--max-bytes`).
pub const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;

/// How inputs are read.
#[derive(Debug, Clone)]
pub struct InputOptions {
    /// Largest document (file, archive entry, stdin, JSON Lines row) read, in bytes.
    pub max_bytes: u64,
    /// Decode every text input with this encoding instead of detecting one.
    pub encoding: Option<&'static Encoding>,
    /// Which files in directories and archives are read.
    pub filter: FileFilter,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions { max_bytes: DEFAULT_MAX_BYTES, encoding: None, filter: FileFilter::default() }
    }
}

/// Where a document came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The file as given or found (`-` for standard input).
    pub path: String,
    /// The entry inside an archive, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    /// The 1-based line of a JSON Lines row, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

impl Origin {
    pub fn file(path: impl Into<String>) -> Self {
        Origin { path: path.into(), entry: None, line: None }
    }

    fn entry(&self, entry: impl Into<String>) -> Self {
        Origin { entry: Some(entry.into()), ..self.clone() }
    }

    fn line(&self, line: usize) -> Self {
        Origin { line: Some(line), ..self.clone() }
    }
}

impl fmt::Display for Origin {
    /// `pages.zip!2022/01.txt`, `rows.jsonl:12`, `page.txt`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        if let Some(entry) = &self.entry {
            write!(f, "!{entry}")?;
        }
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        Ok(())
    }
}

/// A decoded input: a page of one or more articles, or one article from a JSON Lines row.
#[derive(Debug, Clone)]
pub struct Document {
    pub origin: Origin,
    /// The decoded text, byte-order mark removed, line endings as they were.
    pub text: String,
    /// The encoding the text was decoded from (`UTF-8`, `GB18030`, `Big5`, ...).
    pub encoding: &'static str,
    /// Present for JSON Lines rows, which hold exactly one article.
    pub record: Option<Record>,
}

/// The fields a JSON Lines row brings besides its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub id: Option<String>,
    pub title: Option<String>,
    /// The row's date and page, as it gives them (`"2020-05-01"`, `4`, `"A04"`), carried to the
    /// records for briefings.
    pub date: Option<String>,
    pub page: Option<String>,
}

/// Receives each document, or the error that stopped one, in input order, and says whether
/// reading goes on: after a `Break` nothing more is read, not even the rest of an archive.
pub type Sink<'a> = dyn FnMut(Result<Document, InputError>) -> ControlFlow<()> + 'a;

/// A [`Sink`] and whether it has asked to stop: the readers check it between documents.
pub(crate) struct Feed<'s, 'a> {
    sink: &'s mut Sink<'a>,
    stopped: bool,
}

impl<'s, 'a> Feed<'s, 'a> {
    pub(crate) fn new(sink: &'s mut Sink<'a>) -> Feed<'s, 'a> {
        Feed { sink, stopped: false }
    }

    /// Hands `item` on, unless the sink has already asked to stop.
    fn send(&mut self, item: Result<Document, InputError>) {
        if !self.stopped {
            self.stopped = (self.sink)(item).is_break();
        }
    }

    fn stopped(&self) -> bool {
        self.stopped
    }
}

/// Reads every source in order: a file, a directory (walked recursively, sorted by name), an
/// archive (`.zip`, `.tar`, `.tar.gz`, `.tgz`, read in memory), a `.jsonl` file, or `-` for
/// standard input.
pub fn read_sources(sources: &[PathBuf], opts: &InputOptions, sink: &mut Sink<'_>) {
    let feed = &mut Feed::new(sink);
    for source in sources {
        if feed.stopped() {
            return;
        }
        if source.as_os_str() == "-" {
            read_stdin(opts, feed);
        } else if source.is_dir() {
            // Whether the walk found anything, a file or an error, so that a directory the
            // filter leaves empty is reported rather than read as nothing.
            let mut found_any = false;
            walk::walk(source, &opts.filter, &mut |found| {
                found_any = true;
                match found {
                    Ok(path) => read_file(&path, opts, feed),
                    Err(err) => feed.send(Err(err)),
                }
                if feed.stopped() {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            });
            if !found_any {
                let name = source.display().to_string();
                feed.send(Err(InputError::new(name, InputErrorKind::NoEntries)));
            }
        } else {
            read_file(source, opts, feed);
        }
    }
}

/// Reads and decodes one file as [`read_sources`] does, keeping its first document.
pub fn read_document(path: &Path) -> Result<Document, InputError> {
    let mut out = None;
    read_sources(&[path.to_owned()], &InputOptions::default(), &mut |item| {
        out = Some(item);
        ControlFlow::Break(())
    });
    out.unwrap_or_else(|| Err(InputError::new(Origin::file(path.display().to_string()), InputErrorKind::Empty)))
}

/// The characters `start..end` (Unicode scalar values, end exclusive) of `text`, as article
/// spans give them; `None` where the span runs past the text or backwards.
pub fn char_span(text: &str, start: usize, end: usize) -> Option<&str> {
    if end < start {
        return None;
    }
    let mut offsets = text.char_indices().map(|(i, _)| i).chain([text.len()]);
    let from = offsets.nth(start)?;
    let to = if end == start { from } else { offsets.nth(end - start - 1)? };
    text.get(from..to)
}

/// How a file's bytes are to be read, from its first bytes and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Zip,
    Tar,
    Gzip,
    Jsonl,
    Text,
}

impl Container {
    fn sniff(name: &str, head: &[u8]) -> Container {
        let lower = name.to_lowercase();
        if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") || lower.ends_with(".zip") {
            Container::Zip
        } else if head.starts_with(b"\x1f\x8b") || lower.ends_with(".tgz") || lower.ends_with(".gz") {
            Container::Gzip
        } else if head.get(257..262) == Some(b"ustar") || lower.ends_with(".tar") {
            Container::Tar
        } else if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") || opens_with_brace(head) {
            Container::Jsonl
        } else {
            Container::Text
        }
    }

    fn is_archive(self) -> bool {
        matches!(self, Container::Zip | Container::Tar | Container::Gzip)
    }
}

/// Whether text starts (after a UTF-8 byte-order mark and white space) with `{`: JSON Lines
/// however the file is named, or piped in. No newspaper page opens with a brace, and rows that
/// are not good JSON are then reported as such rather than read as a page.
fn opens_with_brace(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// How many documents `sources` hold, where that is cheap to know: plain text files, and
/// directories of them. Archives, JSON Lines files and standard input make it unknown.
pub fn count_documents(sources: &[PathBuf], opts: &InputOptions) -> Option<usize> {
    // One document per file, unless the file's name makes it an archive or JSON Lines.
    let single = |path: &Path| (Container::sniff(&path.to_string_lossy(), &[]) == Container::Text).then_some(1);
    let mut total = 0;
    for source in sources {
        if source.as_os_str() == "-" {
            return None;
        }
        if source.is_dir() {
            let mut unknown = false;
            walk::walk(source, &opts.filter, &mut |found| match found.ok().and_then(|p| single(&p)) {
                Some(n) => {
                    total += n;
                    ControlFlow::Continue(())
                }
                None => {
                    unknown = true;
                    ControlFlow::Break(())
                }
            });
            if unknown {
                return None;
            }
        } else {
            total += single(source)?;
        }
    }
    Some(total)
}

fn read_file(path: &Path, opts: &InputOptions, feed: &mut Feed<'_, '_>) {
    let origin = Origin::file(path.display().to_string());
    if let Err(kind) = try_read_file(path, &origin, opts, feed) {
        feed.send(Err(InputError::new(&origin, kind)));
    }
}

fn try_read_file(
    path: &Path,
    origin: &Origin,
    opts: &InputOptions,
    feed: &mut Feed<'_, '_>,
) -> Result<(), InputErrorKind> {
    let file = File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(io::Error::other("is a directory").into());
    }
    read_container(file, origin, opts, feed)
}

/// Reads `bytes` as the file `name` holding them is read from disk by [`read_sources`]: an
/// archive's entries, JSON Lines rows or one text document, each handed to `sink`, and the
/// error that stopped the whole file, if any, last.
pub fn read_in_memory(name: &str, bytes: &[u8], opts: &InputOptions, sink: &mut Sink<'_>) {
    let feed = &mut Feed::new(sink);
    let origin = Origin::file(name);
    if let Err(kind) = read_container(io::Cursor::new(bytes), &origin, opts, feed) {
        feed.send(Err(InputError::new(&origin, kind)));
    }
}

/// Reads a whole file, on disk or in memory, as its first bytes and its name say.
fn read_container(
    mut reader: impl Read + Seek,
    origin: &Origin,
    opts: &InputOptions,
    feed: &mut Feed<'_, '_>,
) -> Result<(), InputErrorKind> {
    let mut head = Vec::with_capacity(512);
    (&mut reader).take(512).read_to_end(&mut head)?;
    reader.seek(SeekFrom::Start(0))?;
    match Container::sniff(&origin.path, &head) {
        Container::Zip => archive::read_zip(reader, origin, opts, feed),
        Container::Tar => archive::read_tar(reader, origin, opts, feed),
        Container::Gzip => archive::read_gzip(reader, origin, opts, feed),
        Container::Jsonl => jsonl::read_rows(io::BufReader::new(reader), origin, opts, feed),
        Container::Text => {
            let bytes = read_limited(reader, opts.max_bytes, InputErrorKind::TooLarge { limit: opts.max_bytes })?;
            feed.send(text_document(origin.clone(), &bytes, opts));
            Ok(())
        }
    }
}

fn read_stdin(opts: &InputOptions, feed: &mut Feed<'_, '_>) {
    let origin = Origin::file("-");
    let limit = InputErrorKind::TooLarge { limit: opts.max_bytes };
    match read_limited(io::stdin().lock(), opts.max_bytes, limit) {
        Ok(bytes) => read_bytes(origin, bytes, opts, feed),
        Err(kind) => feed.send(Err(InputError::new(&origin, kind))),
    }
}

/// Reads a document that is already in memory (standard input, an archive entry): a nested
/// archive is refused, JSON Lines become rows, anything else is one text document.
fn read_bytes(origin: Origin, bytes: Vec<u8>, opts: &InputOptions, feed: &mut Feed<'_, '_>) {
    let name = origin.entry.as_deref().unwrap_or(&origin.path);
    let container = Container::sniff(name, &bytes[..bytes.len().min(512)]);
    if container.is_archive() {
        if origin.entry.is_some() {
            feed.send(Err(InputError::new(&origin, InputErrorKind::NestedArchive)));
            return;
        }
        let result = match container {
            Container::Zip => archive::read_zip(io::Cursor::new(bytes), &origin, opts, feed),
            Container::Tar => archive::read_tar(io::Cursor::new(bytes), &origin, opts, feed),
            _ => archive::read_gzip(io::Cursor::new(bytes), &origin, opts, feed),
        };
        if let Err(kind) = result {
            feed.send(Err(InputError::new(&origin, kind)));
        }
    } else if container == Container::Jsonl {
        if let Err(kind) = jsonl::read_rows(bytes.as_slice(), &origin, opts, feed) {
            feed.send(Err(InputError::new(&origin, kind)));
        }
    } else {
        feed.send(text_document(origin, &bytes, opts));
    }
}

fn text_document(origin: Origin, bytes: &[u8], opts: &InputOptions) -> Result<Document, InputError> {
    match decode::decode(bytes, opts.encoding) {
        Ok(decoded) => Ok(Document { origin, text: decoded.text, encoding: decoded.encoding.name(), record: None }),
        Err(kind) => Err(InputError::new(&origin, kind)),
    }
}

/// Reads at most `limit` bytes; more than that is the error `over`.
fn read_limited(reader: impl Read, limit: u64, over: InputErrorKind) -> Result<Vec<u8>, InputErrorKind> {
    let mut bytes = Vec::new();
    reader.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(over);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_count_characters_not_bytes() {
        let text = "本报讯\n青岛a首单。";
        assert_eq!(char_span(text, 0, 3), Some("本报讯"));
        assert_eq!(char_span(text, 4, 10), Some("青岛a首单。"));
        assert_eq!(char_span(text, 10, 10), Some(""));
        assert_eq!(char_span(text, 4, 11), None, "past the end");
        assert_eq!(char_span(text, 5, 4), None, "backwards");
    }

    /// What a file yields, as (origin, text or error message).
    fn yields(read: impl FnOnce(&mut Sink<'_>)) -> Vec<(String, String)> {
        let mut out = Vec::new();
        read(&mut |item| {
            out.push(match item {
                Ok(doc) => (doc.origin.to_string(), doc.text),
                Err(err) => (err.origin, err.kind.to_string()),
            });
            ControlFlow::Continue(())
        });
        out
    }

    #[test]
    fn a_file_in_memory_reads_as_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let files: [(&str, &[u8]); 3] = [
            ("rows.jsonl", "{\"text\": \"正文。\"}\nnot json\n".as_bytes()),
            ("page.txt", b"\xff\xfe\x2c\x67\xa5\x62\xaf\x8b"),
            ("pages.tar", b"not a tar archive"),
        ];
        for (name, bytes) in files {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            let opts = InputOptions::default();
            let on_disk = yields(|sink| read_sources(std::slice::from_ref(&path), &opts, sink));
            let shown = path.display().to_string();
            let in_memory = yields(|sink| read_in_memory(&shown, bytes, &opts, sink));
            assert_eq!(in_memory, on_disk, "{name}");
            assert!(!in_memory.is_empty());
        }
    }
}
