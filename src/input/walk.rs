//! Directory walking and the file-name filter (`--glob`) shared by directories and archives.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::{InputError, InputErrorKind};

/// The files read from directories and archives when no `--glob` is given.
pub const DEFAULT_GLOBS: &[&str] =
    &["*.txt", "*.text", "*.md", "*.jsonl", "*.ndjson", "*.zip", "*.tar", "*.tar.gz", "*.tgz"];

/// Chooses files by name. Patterns match the file name, or the path relative to the directory
/// walked (or inside the archive) when they contain a `/`; a leading `!` excludes.
#[derive(Debug, Clone)]
pub struct FileFilter {
    include: GlobSet,
    exclude: GlobSet,
}

impl FileFilter {
    /// Builds a filter from `--glob` patterns; with none, [`DEFAULT_GLOBS`] apply. Patterns that
    /// only exclude keep the defaults as what they exclude from.
    pub fn new(patterns: &[String]) -> Result<FileFilter, globset::Error> {
        let (exclude, include): (Vec<&str>, Vec<&str>) =
            patterns.iter().map(String::as_str).partition(|p| p.starts_with('!'));
        let include = if include.is_empty() { DEFAULT_GLOBS.to_vec() } else { include };
        Ok(FileFilter {
            include: build(&include)?,
            exclude: build(&exclude.iter().map(|p| &p[1..]).collect::<Vec<_>>())?,
        })
    }

    /// True when the file at `relative` (a path inside a directory or archive) is read.
    pub fn matches(&self, relative: &Path) -> bool {
        let name = relative.file_name().map(Path::new).unwrap_or(relative);
        let hit = |set: &GlobSet| set.is_match(name) || set.is_match(relative);
        hit(&self.include) && !hit(&self.exclude)
    }
}

impl Default for FileFilter {
    fn default() -> Self {
        FileFilter::new(&[]).expect("the default globs are valid")
    }
}

fn build(patterns: &[&str]) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        builder.add(Glob::new(pattern)?);
    }
    builder.build()
}

/// Walks `root` in name order, following symbolic links, skipping hidden entries, and hands
/// `found` each file the filter accepts, or the error (a link loop, an unreadable directory)
/// that kept an entry from being walked, until `found` says to stop.
pub(super) fn walk(
    root: &Path,
    filter: &FileFilter,
    found: &mut dyn FnMut(Result<PathBuf, InputError>) -> ControlFlow<()>,
) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
                if filter.matches(relative) && found(Ok(entry.into_path())).is_break() {
                    return;
                }
            }
            Ok(_) => {}
            Err(err) => {
                let path = err.path().unwrap_or(root).display().to_string();
                let kind = match err.loop_ancestor() {
                    Some(ancestor) => InputErrorKind::LinkLoop(ancestor.display().to_string()),
                    None => match err.into_io_error() {
                        Some(io) => InputErrorKind::Io(io),
                        None => InputErrorKind::Io(std::io::Error::other("cannot walk")),
                    },
                };
                if found(Err(InputError::new(path, kind))).is_break() {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_filter_reads_text_and_archives() {
        let filter = FileFilter::default();
        assert!(filter.matches(Path::new("2022/11/15.txt")));
        assert!(filter.matches(Path::new("pages.tar.gz")));
        assert!(!filter.matches(Path::new("photo.jpg")));
    }

    #[test]
    fn globs_replace_defaults_and_exclude() {
        let filter = FileFilter::new(&["*.page".into(), "!draft*".into()]).unwrap();
        assert!(filter.matches(Path::new("a/01.page")));
        assert!(!filter.matches(Path::new("a/draft-01.page")));
        assert!(!filter.matches(Path::new("a/01.txt")));
        let only_exclude = FileFilter::new(&["!gold.jsonl".into()]).unwrap();
        assert!(!only_exclude.matches(Path::new("pages/gold.jsonl")));
        assert!(only_exclude.matches(Path::new("pages/01.txt")));
    }
}
