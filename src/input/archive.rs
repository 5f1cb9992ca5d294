//! Zip, tar and gzip archives, read entry by entry in memory: nothing is extracted to disk, no
//! link entry is followed, and no entry may expand past the document size limit, whatever its
//! header claims. Entry names are kept as the archive gives them (`../x` included); where they
//! become paths, under `--out-dir`, [`crate::output::sink::page_path`] makes them safe.

use std::fmt;
use std::io::{self, Read, Seek};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use super::{read_bytes, read_limited, Feed, InputOptions, Origin};
use crate::error::{InputError, InputErrorKind};

/// Counts what an archive yielded, so that one with nothing readable is reported.
struct Yield<'s, 'f, 'a> {
    feed: &'s mut Feed<'f, 'a>,
    count: usize,
}

impl Yield<'_, '_, '_> {
    fn entry(&mut self, origin: Origin, bytes: Result<Vec<u8>, InputErrorKind>, opts: &InputOptions) {
        self.count += 1;
        match bytes {
            Ok(bytes) => read_bytes(origin, bytes, opts, self.feed),
            Err(kind) => self.feed.send(Err(InputError::new(&origin, kind))),
        }
    }

    /// Whether the sink has asked to stop: the archive's other entries are not read.
    fn stopped(&self) -> bool {
        self.feed.stopped()
    }

    fn finish(self) -> Result<(), InputErrorKind> {
        if self.count == 0 {
            return Err(InputErrorKind::NoEntries);
        }
        Ok(())
    }
}

/// A broken archive, in the archive library's words on one line: they may quote the archive's
/// own bytes (a tar header's fields, an entry's name), line breaks and all, which are escaped.
fn corrupt(message: impl fmt::Display) -> InputErrorKind {
    let mut one_line = String::new();
    for c in message.to_string().chars() {
        if c.is_control() {
            one_line.extend(c.escape_debug());
        } else {
            one_line.push(c);
        }
    }
    InputErrorKind::CorruptArchive(one_line)
}

/// Reads an entry's bytes, refusing to expand it past the limit.
fn read_entry(reader: impl Read, declared: u64, opts: &InputOptions) -> Result<Vec<u8>, InputErrorKind> {
    let over = || InputErrorKind::ExpandsTooFar { limit: opts.max_bytes };
    if declared > opts.max_bytes {
        return Err(over());
    }
    read_limited(reader, opts.max_bytes, over()).map_err(|kind| match kind {
        InputErrorKind::Io(err) => corrupt(err),
        other => other,
    })
}

pub(super) fn read_zip(
    reader: impl Read + Seek,
    origin: &Origin,
    opts: &InputOptions,
    feed: &mut Feed<'_, '_>,
) -> Result<(), InputErrorKind> {
    let mut zip = zip::ZipArchive::new(reader).map_err(corrupt)?;
    let mut out = Yield { feed, count: 0 };
    for index in 0..zip.len() {
        if out.stopped() {
            break;
        }
        match zip.by_index(index) {
            Ok(entry) => {
                let name = entry.name().to_owned();
                // A symbolic link's entry holds its target's path, not a page: never followed.
                if entry.is_dir() || entry.is_symlink() || !opts.filter.matches(Path::new(&name)) {
                    continue;
                }
                let declared = entry.size();
                out.entry(origin.entry(name), read_entry(entry, declared, opts), opts);
            }
            Err(err) => {
                let kind = corrupt(err);
                out.entry(origin.entry(format!("#{}", index + 1)), Err(kind), opts);
            }
        }
    }
    out.finish()
}

pub(super) fn read_tar(
    reader: impl Read,
    origin: &Origin,
    opts: &InputOptions,
    feed: &mut Feed<'_, '_>,
) -> Result<(), InputErrorKind> {
    let mut tar = tar::Archive::new(reader);
    let entries = tar.entries().map_err(corrupt)?;
    let mut out = Yield { feed, count: 0 };
    for entry in entries {
        if out.stopped() {
            break;
        }
        let entry = match entry {
            Ok(entry) => entry,
            // A tar stream cannot be resynchronised after a broken header: report and stop.
            Err(err) => {
                out.feed.send(Err(InputError::new(origin, corrupt(err))));
                return Ok(());
            }
        };
        // Directories, links (symbolic or hard) and devices are not pages: links are never followed.
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry.path().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
        if !opts.filter.matches(Path::new(&name)) {
            continue;
        }
        let declared = entry.size();
        out.entry(origin.entry(name), read_entry(entry, declared, opts), opts);
    }
    out.finish()
}

/// A gzip file holds either a tar archive (`.tar.gz`, `.tgz`) or one compressed document.
pub(super) fn read_gzip(
    reader: impl Read,
    origin: &Origin,
    opts: &InputOptions,
    feed: &mut Feed<'_, '_>,
) -> Result<(), InputErrorKind> {
    let mut decoder = MultiGzDecoder::new(reader);
    let mut head = Vec::with_capacity(512);
    (&mut decoder).take(512).read_to_end(&mut head).map_err(|e| corrupt(format_args!("gzip: {e}")))?;
    let is_tar = head.get(257..262) == Some(b"ustar");
    let stream = io::Cursor::new(head).chain(decoder);
    if is_tar {
        return read_tar(stream, origin, opts, feed);
    }
    let bytes = read_entry(stream, 0, opts)?;
    let inner = origin.path.trim_end_matches(".gz").trim_end_matches(".GZ");
    if inner.to_lowercase().ends_with(".jsonl") {
        super::jsonl::read_rows(bytes.as_slice(), origin, opts, feed)
    } else {
        feed.send(super::text_document(origin.clone(), &bytes, opts));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_tar_header_is_reported_on_one_line() {
        // A header whose checksum is not a number: tar's message quotes the entry's name.
        let mut header = [0u8; 512];
        header[..10].copy_from_slice(b"a\nb\r\nc.txt");
        header[148..156].copy_from_slice(b"\xff\xfe\n\n\n\n\n\n");
        let mut errors = Vec::new();
        let origin = Origin::file("pages.tar");
        let sink = &mut |r: Result<_, InputError>| {
            errors.push(r.unwrap_err().to_string());
            std::ops::ControlFlow::Continue(())
        };
        read_tar(&header[..], &origin, &InputOptions::default(), &mut Feed::new(sink)).unwrap();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("pages.tar: corrupt archive: "), "{}", errors[0]);
        assert!(!errors[0].contains(['\n', '\r']), "{}", errors[0]);
        assert!(errors[0].contains(r"a\nb\r\nc.txt"), "{}", errors[0]);
    }
}
