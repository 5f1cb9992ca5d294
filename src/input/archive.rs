//! Zip, tar and gzip archives, read entry by entry in memory: nothing is extracted to disk, no
//! link entry is followed, and no entry may expand past the document size limit, whatever its
//! header claims. Entry names are kept as the archive gives them (`../x` included); where they
//! become paths, under `--out-dir`, [`crate::output::sink::page_path`] makes them safe.

use std::io::{self, Read, Seek};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use super::{read_bytes, read_limited, InputOptions, Origin, Sink};
use crate::error::{InputError, InputErrorKind};

/// Counts what an archive yielded, so that one with nothing readable is reported.
struct Yield<'s, 'a> {
    sink: &'s mut Sink<'a>,
    count: usize,
}

impl Yield<'_, '_> {
    fn entry(&mut self, origin: Origin, bytes: Result<Vec<u8>, InputErrorKind>, opts: &InputOptions) {
        self.count += 1;
        match bytes {
            Ok(bytes) => read_bytes(origin, bytes, opts, self.sink),
            Err(kind) => (self.sink)(Err(InputError::new(&origin, kind))),
        }
    }

    fn finish(self) -> Result<(), InputErrorKind> {
        if self.count == 0 {
            return Err(InputErrorKind::NoEntries);
        }
        Ok(())
    }
}

/// Reads an entry's bytes, refusing to expand it past the limit.
fn read_entry(reader: impl Read, declared: u64, opts: &InputOptions) -> Result<Vec<u8>, InputErrorKind> {
    let over = || InputErrorKind::ExpandsTooFar { limit: opts.max_bytes };
    if declared > opts.max_bytes {
        return Err(over());
    }
    read_limited(reader, opts.max_bytes, over()).map_err(|kind| match kind {
        InputErrorKind::Io(err) => InputErrorKind::CorruptArchive(err.to_string()),
        other => other,
    })
}

pub(super) fn read_zip(
    reader: impl Read + Seek,
    origin: &Origin,
    opts: &InputOptions,
    sink: &mut Sink<'_>,
) -> Result<(), InputErrorKind> {
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| InputErrorKind::CorruptArchive(e.to_string()))?;
    let mut out = Yield { sink, count: 0 };
    for index in 0..zip.len() {
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
                let kind = InputErrorKind::CorruptArchive(err.to_string());
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
    sink: &mut Sink<'_>,
) -> Result<(), InputErrorKind> {
    let mut tar = tar::Archive::new(reader);
    let entries = tar.entries().map_err(|e| InputErrorKind::CorruptArchive(e.to_string()))?;
    let mut out = Yield { sink, count: 0 };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            // A tar stream cannot be resynchronised after a broken header: report and stop.
            Err(err) => {
                (out.sink)(Err(InputError::new(origin, InputErrorKind::CorruptArchive(err.to_string()))));
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
    sink: &mut Sink<'_>,
) -> Result<(), InputErrorKind> {
    let mut decoder = MultiGzDecoder::new(reader);
    let mut head = Vec::with_capacity(512);
    (&mut decoder)
        .take(512)
        .read_to_end(&mut head)
        .map_err(|e| InputErrorKind::CorruptArchive(format!("gzip: {e}")))?;
    let is_tar = head.get(257..262) == Some(b"ustar");
    let stream = io::Cursor::new(head).chain(decoder);
    if is_tar {
        return read_tar(stream, origin, opts, sink);
    }
    let bytes = read_entry(stream, 0, opts)?;
    let inner = origin.path.trim_end_matches(".gz").trim_end_matches(".GZ");
    if inner.to_lowercase().ends_with(".jsonl") {
        super::jsonl::read_rows(bytes.as_slice(), origin, opts, sink)
    } else {
        sink(super::text_document(origin.clone(), &bytes, opts));
        Ok(())
    }
}
