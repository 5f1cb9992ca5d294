//! Where a batch run's records go, and what keeps them whole: one stream (standard output or
//! `--out FILE`) or one file per page under `--out-dir DIR`. The output is locked for the whole
//! run, so that a second run refuses to start instead of interleaving records; a write error
//! stops the run naming the file it hit; and a page's path never leads outside the directory,
//! whatever an archive entry is called. Rendering records is the formats' job
//! ([`super::writer`]); knowing what an earlier run wrote is [`crate::batch`]'s.
//!
//! `--out FILE` locks the file itself: it is opened without truncating and cut only once the
//! lock is held, so a refused run leaves it untouched, and no lock file is left beside it.
//! `--out-dir DIR` locks [`DIR_LOCK`] inside DIR, which stays there (removing it at the end
//! would let a third run lock a new file while a second still holds the old one). The locks are
//! advisory (`flock` on Unix) and go away with the process, however it ends. Only regular files
//! are locked: any number of runs may write to `/dev/null` or a pipe.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Component, Path, PathBuf};

use super::resume::{self, Done};
use super::{DigestPage, ErrorRecord, Format, Writer};

/// The file inside `--out-dir` that a run locks. Pages' files end in `.json`, so it is never
/// taken for one.
pub const DIR_LOCK: &str = ".jianbao.lock";

/// What is said of a page whose source leaves no file name under `--out-dir`.
pub const UNNAMED: &str =
    "no file name is left for it under --out-dir once `..`, `.`, roots and drive prefixes are dropped";

/// Why an output cannot be opened, locked or written. Each names the output; the cause, where
/// there is one, is the error's source (printed after it as `: cause`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SinkError {
    #[error("{}: another jianbao run is writing it; wait for that run to end or choose another output", .0.display())]
    Busy(PathBuf),
    #[error("{}: cannot lock", .0.display())]
    Lock(PathBuf, #[source] io::Error),
    #[error("{output}: cannot write")]
    Write {
        /// The file (or `standard output`).
        output: String,
        #[source]
        source: io::Error,
    },
    #[error("cannot resume from {}", .0.display())]
    Resume(PathBuf, #[source] io::Error),
}

impl SinkError {
    fn write(output: impl std::fmt::Display) -> impl FnOnce(io::Error) -> SinkError {
        move |source| SinkError::Write { output: output.to_string(), source }
    }
}

/// Takes the advisory lock on `file` (which stands for `path`) without waiting. A platform
/// without file locks runs unlocked.
fn lock(file: &File, path: &Path) -> Result<(), SinkError> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(TryLockError::WouldBlock) => Err(SinkError::Busy(path.to_path_buf())),
        Err(TryLockError::Error(err)) if err.kind() == io::ErrorKind::Unsupported => Ok(()),
        Err(TryLockError::Error(err)) => Err(SinkError::Lock(path.to_path_buf(), err)),
    }
}

/// Opens `path` for writing from its start, locked against other runs for as long as the file
/// (or a clone of it) is open. Nothing is truncated before the lock is held.
pub fn create_locked(path: &Path) -> Result<File, SinkError> {
    let (file, regular) = open_locked(path)?;
    if regular {
        file.set_len(0).map_err(SinkError::write(path.display()))?;
    }
    Ok(file)
}

/// Opens `path` for reading and writing, and locks it where it is a regular file (and says
/// whether it is): `/dev/null` or a pipe is neither locked nor truncated, so that any number of
/// runs may write there.
fn open_locked(path: &Path) -> Result<(File, bool), SinkError> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(SinkError::write(path.display()))?;
    let regular = file.metadata().map_err(SinkError::write(path.display()))?.is_file();
    if regular {
        lock(&file, path)?;
    }
    Ok((file, regular))
}

/// Where records go: one stream, or one file per page under a directory.
pub struct Sink<'w> {
    to: To<'w>,
}

enum To<'w> {
    Stream {
        writer: Box<dyn Writer + 'w>,
        /// The file's name, or `standard output`, for errors.
        name: String,
        /// The output file where it is a regular one (a clone of the writer's), to sync; its
        /// lock lasts as long as it.
        file: Option<File>,
    },
    Dir {
        root: PathBuf,
        /// Holds the directory's lock for the run.
        _lock: File,
    },
}

impl Sink<'static> {
    /// Standard output, in `format`.
    pub fn stdout(format: Format) -> Sink<'static> {
        Sink::stream("standard output", format, Box::new(BufWriter::new(io::stdout().lock())))
    }

    /// `path` in `format`, locked. With `resume`, what an earlier run wrote is kept (its partial
    /// last line cut off) and returned; otherwise the file starts empty.
    pub fn file(path: &Path, format: Format, resume: bool) -> Result<(Sink<'static>, Done), SinkError> {
        let (mut file, regular) = open_locked(path)?;
        let done = if !regular {
            Done::default()
        } else if resume {
            let done = resume::resume(&mut file, path).map_err(|e| SinkError::Resume(path.to_path_buf(), e))?;
            file.seek(SeekFrom::End(0)).map_err(SinkError::write(path.display()))?;
            done
        } else {
            file.set_len(0).map_err(SinkError::write(path.display()))?;
            Done::default()
        };
        // Only a regular file is synced: fsync fails on `/dev/null`.
        let handle = if regular { Some(file.try_clone().map_err(SinkError::write(path.display()))?) } else { None };
        let writer = super::writer(format, Box::new(BufWriter::new(file)));
        let name = path.display().to_string();
        Ok((Sink { to: To::Stream { writer, name, file: handle } }, done))
    }

    /// One JSON file per page under `root` (created if need be), locked through [`DIR_LOCK`].
    pub fn dir(root: &Path) -> Result<Sink<'static>, SinkError> {
        fs::create_dir_all(root).map_err(SinkError::write(root.display()))?;
        let lock_path = root.join(DIR_LOCK);
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(SinkError::write(lock_path.display()))?;
        lock(&file, root)?;
        Ok(Sink { to: To::Dir { root: root.to_path_buf(), _lock: file } })
    }
}

impl<'w> Sink<'w> {
    /// Any writer, in `format`; `name` is what errors call it.
    pub fn stream(name: &str, format: Format, out: Box<dyn Write + 'w>) -> Sink<'w> {
        Sink { to: To::Stream { writer: super::writer(format, out), name: name.to_owned(), file: None } }
    }

    /// Writes a page's records.
    pub fn page(&mut self, page: &DigestPage<'_>) -> Result<(), SinkError> {
        match &mut self.to {
            To::Stream { writer, name, .. } => writer.digest(page).map_err(SinkError::write(&name)),
            To::Dir { root, .. } => match page_path(root, page.page.source, "json") {
                Some(path) => write_atomically(&path, |w| {
                    let mut writer = super::writer(Format::Json, Box::new(w));
                    writer.digest(page)?;
                    writer.finish()
                }),
                None => Ok(()),
            },
        }
    }

    /// Writes a failed page's error record. Under a directory, a page with no file name
    /// ([`Sink::places`]) gets none: stderr tells of it.
    pub fn failed(&mut self, failure: &ErrorRecord<'_>) -> Result<(), SinkError> {
        match &mut self.to {
            To::Stream { writer, name, .. } => writer.error(failure).map_err(SinkError::write(&name)),
            To::Dir { root, .. } => match page_path(root, failure.source, &error_ext(failure.index)) {
                Some(path) => write_atomically(&path, |w| {
                    serde_json::to_writer_pretty(&mut *w, failure)?;
                    w.write_all(b"\n")
                }),
                None => Ok(()),
            },
        }
    }

    /// Whether the page from `source` has somewhere to go: always in a stream; under a
    /// directory, where the source leaves a file name ([`page_path`]).
    pub fn places(&self, source: &str) -> bool {
        match &self.to {
            To::Dir { root, .. } => page_path(root, source, "json").is_some(),
            To::Stream { .. } => true,
        }
    }

    /// Whether a file for `source` (with `ext`) is already under the directory; a stream
    /// holds none.
    pub fn holds(&self, source: &str, ext: &str) -> bool {
        match &self.to {
            To::Dir { root, .. } => page_path(root, source, ext).is_some_and(|p| p.exists()),
            To::Stream { .. } => false,
        }
    }

    /// Makes what is written durable: flushed, and on disk where the output is a file.
    pub fn checkpoint(&mut self) -> Result<(), SinkError> {
        if let To::Stream { writer, name, file } = &mut self.to {
            writer.flush().map_err(SinkError::write(&name))?;
            if let Some(file) = file {
                file.sync_data().map_err(SinkError::write(&name))?;
            }
        }
        Ok(())
    }

    /// Closes the output (a JSON array's bracket) and makes it durable.
    pub fn finish(&mut self) -> Result<(), SinkError> {
        if let To::Stream { writer, name, .. } = &mut self.to {
            writer.finish().map_err(SinkError::write(&name))?;
        }
        self.checkpoint()
    }
}

/// `ROOT/<source as a relative path>.<ext>`, an archive's entries under a directory named after
/// the archive. Only plain names are kept: `..`, `.`, roots and drive prefixes are dropped, and
/// in an archive entry's name `\` separates names as `/` does (Windows archivers write it), so
/// no source leads outside `root`. None where the path or an entry leaves no name at all (an
/// entry called `..` or `/`).
pub fn page_path(root: &Path, source: &str, ext: &str) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    for (i, part) in source.split('!').enumerate() {
        let part = if i == 0 { part.to_owned() } else { part.replace('\\', "/") };
        let before = path.components().count();
        for c in Path::new(&part).components() {
            if let Component::Normal(name) = c {
                path.push(name);
            }
        }
        if path.components().count() == before {
            return None;
        }
    }
    let mut name: OsString = path.file_name()?.to_owned();
    name.push(".");
    name.push(ext);
    path.set_file_name(name);
    Some(path)
}

/// Writes through a temporary file and renames it into place, so that a page's file is either
/// whole or absent; on failure the temporary file is removed.
fn write_atomically(path: &Path, write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>) -> Result<(), SinkError> {
    let tmp = path.with_extension("partial");
    let written = (|| {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let mut w = BufWriter::new(File::create(&tmp)?);
        write(&mut w)?;
        w.flush()?;
        drop(w);
        fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written.map_err(SinkError::write(path.display()))
}

/// The extension of an error record's file under --out-dir: PAGE.error.json for a page,
/// PAGE.N.error.json for its N-th article.
fn error_ext(index: Option<usize>) -> String {
    match index {
        Some(n) => format!("{n}.error.json"),
        None => "error.json".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::error::Error;
    use std::rc::Rc;

    use super::*;
    use crate::output::{article_key, Page};
    use crate::segment::{self, Article};

    #[test]
    fn page_paths_stay_under_the_root() {
        let root = Path::new("/out");
        let path = |source: &str| page_path(root, source, "json");
        assert_eq!(path("pages/2019/01.txt").as_deref(), Some(Path::new("/out/pages/2019/01.txt.json")));
        assert_eq!(path("a.zip!x/y.txt").as_deref(), Some(Path::new("/out/a.zip/x/y.txt.json")));
        assert_eq!(
            page_path(root, "/abs/../p.txt", "error.json").as_deref(),
            Some(Path::new("/out/abs/p.txt.error.json"))
        );
        assert_eq!(path("rows.jsonl:3").as_deref(), Some(Path::new("/out/rows.jsonl:3.json")));
        assert_eq!(path("-").as_deref(), Some(Path::new("/out/-.json")));
        for (entry, expected) in [
            ("../x.txt", "/out/a.zip/x.txt.json"),
            ("../../../../x.txt", "/out/a.zip/x.txt.json"),
            ("/etc/x.txt", "/out/a.zip/etc/x.txt.json"),
            ("a/../../x.txt", "/out/a.zip/a/x.txt.json"),
            ("..\\..\\x.txt", "/out/a.zip/x.txt.json"),
            ("./a//b/./x.txt", "/out/a.zip/a/b/x.txt.json"),
        ] {
            assert_eq!(path(&format!("a.zip!{entry}")).as_deref(), Some(Path::new(expected)), "{entry}");
        }
        for source in ["..", "/", "a.zip!..", "a.zip!/", "a.zip!../..", "a.zip!..\\", "a.zip!"] {
            assert_eq!(path(source), None, "{source}");
        }
    }

    #[test]
    fn a_locked_output_refuses_a_second_sink() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out.jsonl");
        let (mut first, _) = Sink::file(&path, Format::Jsonl, false).expect("the first run locks");
        let articles = example_articles();
        first.page(&digest("p.txt", &articles)).expect("write");
        first.checkpoint().expect("flush");
        let written = fs::read(&path).expect("read");
        for resume in [false, true] {
            let refused = Sink::file(&path, Format::Jsonl, resume).err().expect("the second run is refused");
            assert!(matches!(refused, SinkError::Busy(_)));
            assert!(refused.to_string().contains("out.jsonl: another jianbao run is writing it"), "{refused}");
            assert_eq!(fs::read(&path).expect("read"), written, "a refused run leaves the output as it was");
        }
        drop(first);
        assert!(Sink::file(&path, Format::Jsonl, true).is_ok(), "the lock goes with the run");

        let out = dir.path().join("out");
        let first = Sink::dir(&out).expect("the first run locks");
        assert!(matches!(Sink::dir(&out), Err(SinkError::Busy(_))));
        drop(first);
        let again = Sink::dir(&out).expect("the lock goes with the run");
        assert!(!again.holds(DIR_LOCK, "json") && out.join(DIR_LOCK).exists());

        #[cfg(unix)]
        {
            let null = Path::new("/dev/null");
            let (mut first, _) = Sink::file(null, Format::Jsonl, false).expect("/dev/null is not locked");
            first.page(&digest("p.txt", &articles)).expect("write");
            first.finish().expect("/dev/null is not synced");
            assert!(Sink::file(null, Format::Jsonl, true).is_ok() && create_locked(null).is_ok());
        }
    }

    /// Takes `limit` bytes, then fails as a full disk does.
    struct FullAfter {
        taken: Rc<RefCell<Vec<u8>>>,
        limit: usize,
    }

    impl Write for FullAfter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let mut taken = self.taken.borrow_mut();
            let n = buf.len().min(self.limit - taken.len());
            if n == 0 {
                return Err(io::Error::from_raw_os_error(28));
            }
            taken.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn example_articles() -> Vec<Article> {
        let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/qingdao-daily-2022-11-15.txt");
        segment::split(&fs::read_to_string(page).expect("the example page"))
    }

    fn digest<'a>(source: &'a str, articles: &'a [Article]) -> DigestPage<'a> {
        let page = Page { source, id: None, date: None, page_number: None, encoding: "UTF-8", articles };
        DigestPage { page, of: articles.len(), summaries: None, labels: None, duplicates: None }
    }

    #[test]
    fn a_full_disk_stops_the_sink_and_resume_completes_the_output() {
        let articles = example_articles();
        let sources: Vec<String> = (0..8).map(|i| format!("pages/{i}.txt")).collect();
        // What a run that is not stopped writes.
        let whole = Rc::new(RefCell::new(Vec::new()));
        let mut sink =
            Sink::stream("out.jsonl", Format::Jsonl, Box::new(FullAfter { taken: whole.clone(), limit: usize::MAX }));
        for source in &sources {
            sink.page(&digest(source, &articles)).expect("write");
        }
        sink.finish().expect("finish");
        let whole = whole.borrow().clone();

        // The disk fills halfway through, in the middle of a line.
        let taken = Rc::new(RefCell::new(Vec::new()));
        let mut sink = Sink::stream(
            "out.jsonl",
            Format::Jsonl,
            Box::new(FullAfter { taken: taken.clone(), limit: whole.len() / 2 + 7 }),
        );
        let err = sources.iter().find_map(|s| sink.page(&digest(s, &articles)).err()).expect("the disk fills");
        let cause = err.source().map(ToString::to_string).unwrap_or_default();
        assert_eq!(format!("{err}: {cause}"), format!("out.jsonl: cannot write: {}", io::Error::from_raw_os_error(28)));
        let taken = taken.borrow().clone();
        assert_eq!(&whole[..taken.len()], taken.as_slice(), "what was written is intact");

        // Once there is room again, resuming writes every article exactly once.
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out.jsonl");
        fs::write(&path, &taken).expect("write");
        let (mut sink, done) = Sink::file(&path, Format::Jsonl, true).expect("resume");
        assert!(done.repaired > 0, "the partial last line is cut off");
        for source in &sources {
            let rest: Vec<Article> = articles.iter().filter(|a| !done.has(&article_key(source, a))).cloned().collect();
            if !rest.is_empty() {
                sink.page(&DigestPage { of: articles.len(), ..digest(source, &rest) }).expect("write");
            }
        }
        sink.finish().expect("finish");
        drop(sink);
        assert!(fs::read(&path).expect("read") == whole, "the resumed output equals an uninterrupted one");
    }
}
