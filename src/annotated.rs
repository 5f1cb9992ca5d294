//! Hand-annotated references, which evaluation scores against and training learns from.
//!
//! Rows of a summaries or labels set: `{id?, text, title?, summary | summaries: […], label |
//! section, also?: […], kind?}` (an `id` defaults to the line number; where a row has both,
//! `section` is the label, and a null section means none fits: such rows are left out of label
//! sets). Pages gold: `{file, articles: [{id?, title, start, end, kicker?, deck?, byline?,
//! dateline?, section?, also?, summary?, kind?}]}`, each article a span of a page under a pages
//! directory.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// A references file that cannot be read or is malformed, or a page it points into that
/// cannot: the file, the line where one is to blame, and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{}{}: {message}", path.display(), line.map(|l| format!(" line {l}")).unwrap_or_default())]
pub struct AnnotatedError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl AnnotatedError {
    fn new(path: &Path, line: Option<usize>, message: impl Into<String>) -> AnnotatedError {
        AnnotatedError { path: path.to_owned(), line, message: message.into() }
    }
}

/// One labelled or summarised text.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: String,
    pub text: String,
    pub title: Option<String>,
    pub summaries: Vec<String>,
    pub label: Option<String>,
    pub also: Vec<String>,
    /// What kind of writing it is (`news`, `commentary`, `feature`, `notice`), where annotated.
    pub kind: Option<String>,
}

/// One page's gold articles.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldPage {
    pub file: String,
    pub articles: Vec<GoldArticle>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoldArticle {
    pub id: String,
    pub start: usize,
    pub end: usize,
    pub headline: String,
    pub kicker: Option<String>,
    pub deck: Option<String>,
    pub byline: Option<String>,
    pub dateline: Option<String>,
    pub section: Option<String>,
    pub also: Vec<String>,
    pub summaries: Vec<String>,
    /// What kind of writing it is (`news`, `commentary`, `feature`, `notice`), where annotated.
    pub kind: Option<String>,
    /// Whether the gold records kicker, deck, byline and dateline (null where there is none).
    pub has_fields: bool,
}

pub(crate) type Object = serde_json::Map<String, Value>;

/// Reads the non-blank lines of a JSON Lines file as objects, with their line numbers.
pub(crate) fn objects(path: &Path) -> Result<Vec<(usize, Object)>, AnnotatedError> {
    let text = std::fs::read_to_string(path).map_err(|e| AnnotatedError::new(path, None, e.to_string()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(map)) => out.push((i + 1, map)),
            Ok(_) => return Err(AnnotatedError::new(path, Some(i + 1), "not a JSON object")),
            Err(e) => return Err(AnnotatedError::new(path, Some(i + 1), e.to_string())),
        }
    }
    Ok(out)
}

pub(crate) fn string(map: &Object, key: &str) -> Option<String> {
    match map.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn strings(map: &Object, key: &str) -> Vec<String> {
    match map.get(key) {
        Some(Value::Array(items)) => items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The summary references of a row: `summaries` (a list) and/or `summary`.
fn references(map: &Object) -> Vec<String> {
    let mut refs = strings(map, "summaries");
    refs.extend(string(map, "summary"));
    refs
}

/// A byline as text: a string, or a record's `{lines}` joined, without the leading □.
pub(crate) fn byline(value: Option<&Value>) -> Option<String> {
    let text = match value? {
        Value::String(s) => s.clone(),
        Value::Object(o) => o.get("lines")?.as_array()?.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" "),
        _ => return None,
    };
    let text = text.trim_start_matches(['□', '■', '◎', ' ', '\u{3000}']).trim().to_owned();
    (!text.is_empty()).then_some(text)
}

pub(crate) fn dateline(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("text")?.as_str().map(str::to_owned),
        _ => None,
    }
}

pub fn read_rows(path: &Path) -> Result<Vec<Row>, AnnotatedError> {
    objects(path)?
        .into_iter()
        .map(|(line, map)| {
            let text = string(&map, "text").ok_or_else(|| AnnotatedError::new(path, Some(line), "no `text`"))?;
            Ok(Row {
                id: string(&map, "id").unwrap_or_else(|| format!("line {line}")),
                title: string(&map, "title"),
                summaries: references(&map),
                // A labelled headline set's `section` (null: no section fits) over its own `label`.
                label: if map.contains_key("section") { string(&map, "section") } else { string(&map, "label") },
                also: strings(&map, "also"),
                kind: string(&map, "kind"),
                text,
            })
        })
        .collect()
}

pub fn read_pages(path: &Path) -> Result<Vec<GoldPage>, AnnotatedError> {
    objects(path)?
        .into_iter()
        .map(|(line, map)| {
            let bad = |m: &str| AnnotatedError::new(path, Some(line), m);
            let file = string(&map, "file").ok_or_else(|| bad("no `file`"))?;
            let items = map.get("articles").and_then(Value::as_array).ok_or_else(|| bad("no `articles` list"))?;
            let mut articles = Vec::new();
            for (k, item) in items.iter().enumerate() {
                let a = item.as_object().ok_or_else(|| bad("an article is not an object"))?;
                let offset = |key: &str| {
                    a.get(key)
                        .and_then(Value::as_u64)
                        .map(|n| n as usize)
                        .ok_or_else(|| bad(&format!("an article has no `{key}` offset")))
                };
                articles.push(GoldArticle {
                    id: string(a, "id").unwrap_or_else(|| format!("{file}#{}", k + 1)),
                    start: offset("start")?,
                    end: offset("end")?,
                    headline: string(a, "title").or_else(|| string(a, "headline")).unwrap_or_default(),
                    kicker: string(a, "kicker"),
                    deck: string(a, "deck"),
                    byline: byline(a.get("byline")),
                    dateline: dateline(a.get("dateline")),
                    section: string(a, "section"),
                    also: strings(a, "also"),
                    summaries: references(a),
                    kind: string(a, "kind"),
                    has_fields: ["kicker", "deck", "byline", "dateline"].iter().any(|k| a.contains_key(*k)),
                });
            }
            Ok(GoldPage { file, articles })
        })
        .collect()
}

/// The gold articles of a pages gold file that `wanted` keeps (given each article's page file
/// and the article), each with its text: its span of its page (pages under `pages`, each read
/// once, only where one of its articles is wanted).
pub fn article_texts(
    path: &Path,
    pages: &Path,
    mut wanted: impl FnMut(&str, &GoldArticle) -> bool,
) -> Result<Vec<(GoldArticle, String)>, AnnotatedError> {
    let mut out = Vec::new();
    for page in read_pages(path)? {
        let kept: Vec<GoldArticle> = page.articles.into_iter().filter(|a| wanted(&page.file, a)).collect();
        if kept.is_empty() {
            continue;
        }
        let page_path = pages.join(&page.file);
        let text = crate::input::read_document(&page_path)
            .map_err(|err| AnnotatedError::new(&page_path, None, err.to_string()))?
            .text;
        for a in kept {
            let span = crate::input::char_span(&text, a.start, a.end).ok_or_else(|| {
                AnnotatedError::new(
                    &page_path,
                    None,
                    format!("article `{}` ({}–{}) is not a span of the page", a.id, a.start, a.end),
                )
            })?;
            let span = span.to_owned();
            out.push((a, span));
        }
    }
    Ok(out)
}

/// The gold articles of a pages gold file that `wanted` keeps, less those on one of the pages
/// `away` (an evaluation set's, which training keeps off), each with its text; and how many
/// of those wanted it left out for their page.
pub fn article_texts_off(
    path: &Path,
    pages: &Path,
    away: &HashSet<String>,
    wanted: impl Fn(&GoldArticle) -> bool,
) -> Result<(Vec<(GoldArticle, String)>, usize), AnnotatedError> {
    let mut apart = 0;
    let kept = article_texts(path, pages, |page, a| {
        let (wanted, off) = (wanted(a), away.contains(page));
        apart += usize::from(wanted && off);
        wanted && !off
    })?;
    Ok((kept, apart))
}

/// The pages (their file names) on which the pages gold files `paths` annotate an article,
/// with a section or a summary.
pub fn annotated_pages(paths: &[PathBuf]) -> Result<HashSet<String>, AnnotatedError> {
    let mut pages = HashSet::new();
    for path in paths {
        for page in read_pages(path)? {
            if page.articles.iter().any(|a| a.section.is_some() || !a.summaries.is_empty()) {
                pages.insert(page.file);
            }
        }
    }
    Ok(pages)
}

/// Whether a file holds pages gold (its first row has `articles`).
pub fn is_pages_gold(path: &Path) -> Result<bool, AnnotatedError> {
    Ok(objects(path)?.first().is_some_and(|(_, map)| map.contains_key("articles")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_row_is_named_by_file_and_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.jsonl");
        std::fs::write(&path, "{\"text\": \"x\"}\n[1]\n").expect("write");
        let err = read_rows(&path).expect_err("not an object").to_string();
        assert!(err.contains("p.jsonl") && err.contains("line 2"), "{err}");
        std::fs::write(&path, "{\"title\": \"x\"}\n").expect("write");
        let err = read_rows(&path).expect_err("no text").to_string();
        assert!(err.contains("line 1") && err.contains("no `text`"), "{err}");
    }
}
