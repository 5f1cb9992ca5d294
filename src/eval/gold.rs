//! Reading references and predictions from JSON Lines.
//!
//! Rows of a summaries or labels set: `{id?, text, title?, summary | summaries: […], label |
//! section, also?: […]}` (an `id` defaults to the line number; where a row has both, `section`
//! is the label, and a null section means none fits: such rows are left out of label sets). Pages gold: `{file, articles:
//! [{id?, title, start, end, kicker?, deck?, byline?, dateline?, section?, also?, summary?}]}`.
//!
//! Predictions: `jianbao digest --format jsonl` records (`source`, `index`, `span`, `headline`,
//! `kicker`, `deck`, `byline`, `dateline`, `summary`, `section`), or any rows with an `id` and a
//! `summary` and/or `section` (or `label`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::EvalError;

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

/// One predicted article: from a digest record or an `{id, …}` row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prediction {
    pub id: Option<String>,
    /// The page's file name (the last part of `source`), for records of pages.
    pub file: Option<String>,
    pub start: Option<usize>,
    pub headline: Option<String>,
    pub kicker: Option<String>,
    pub deck: Option<String>,
    pub byline: Option<String>,
    pub dateline: Option<String>,
    pub summary: Option<String>,
    pub section: Option<String>,
    pub confidence: Option<f64>,
}

type Object = serde_json::Map<String, Value>;

/// Reads the non-blank lines of a JSON Lines file as objects, with their line numbers.
fn objects(path: &Path) -> Result<Vec<(usize, Object)>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|e| EvalError::file(path, None, e.to_string()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(map)) => out.push((i + 1, map)),
            Ok(_) => return Err(EvalError::file(path, Some(i + 1), "not a JSON object")),
            Err(e) => return Err(EvalError::file(path, Some(i + 1), e.to_string())),
        }
    }
    Ok(out)
}

fn string(map: &Object, key: &str) -> Option<String> {
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
fn byline(value: Option<&Value>) -> Option<String> {
    let text = match value? {
        Value::String(s) => s.clone(),
        Value::Object(o) => o.get("lines")?.as_array()?.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" "),
        _ => return None,
    };
    let text = text.trim_start_matches(['□', '■', '◎', ' ', '\u{3000}']).trim().to_owned();
    (!text.is_empty()).then_some(text)
}

fn dateline(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("text")?.as_str().map(str::to_owned),
        _ => None,
    }
}

pub fn read_rows(path: &Path) -> Result<Vec<Row>, EvalError> {
    objects(path)?
        .into_iter()
        .map(|(line, map)| {
            let text = string(&map, "text").ok_or_else(|| EvalError::file(path, Some(line), "no `text`"))?;
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

pub fn read_pages(path: &Path) -> Result<Vec<GoldPage>, EvalError> {
    objects(path)?
        .into_iter()
        .map(|(line, map)| {
            let bad = |m: &str| EvalError::file(path, Some(line), m);
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

pub fn read_predictions(path: &Path) -> Result<Vec<Prediction>, EvalError> {
    Ok(objects(path)?
        .into_iter()
        .map(|(_, map)| Prediction {
            id: string(&map, "id"),
            file: string(&map, "source").map(|s| s.rsplit(['/', '\\', ':']).next().unwrap_or(&s).to_owned()),
            start: map.get("span").and_then(|s| s.get("start")).and_then(Value::as_u64).map(|n| n as usize),
            headline: string(&map, "headline"),
            kicker: string(&map, "kicker"),
            deck: string(&map, "deck"),
            byline: byline(map.get("byline")),
            dateline: dateline(map.get("dateline")),
            summary: string(&map, "summary"),
            section: string(&map, "section").or_else(|| string(&map, "label")),
            confidence: map.get("confidence").and_then(Value::as_f64),
        })
        .collect())
}

/// The gold articles of a pages gold file that `wanted` keeps (given each article's page file
/// and the article), each with its text: its span of its page (pages under `pages`, each read
/// once, only where one of its articles is wanted).
pub fn article_texts(
    path: &Path,
    pages: &Path,
    mut wanted: impl FnMut(&str, &GoldArticle) -> bool,
) -> Result<Vec<(GoldArticle, String)>, EvalError> {
    let mut out = Vec::new();
    for page in read_pages(path)? {
        let kept: Vec<GoldArticle> = page.articles.into_iter().filter(|a| wanted(&page.file, a)).collect();
        if kept.is_empty() {
            continue;
        }
        let page_path = pages.join(&page.file);
        let text = crate::input::read_document(&page_path)
            .map_err(|err| EvalError::file(&page_path, None, err.to_string()))?
            .text;
        for a in kept {
            let span = crate::input::char_span(&text, a.start, a.end).ok_or_else(|| {
                EvalError::file(
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
) -> Result<(Vec<(GoldArticle, String)>, usize), EvalError> {
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
pub fn annotated_pages(paths: &[PathBuf]) -> Result<HashSet<String>, EvalError> {
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
pub fn is_pages_gold(path: &Path) -> Result<bool, EvalError> {
    Ok(objects(path)?.first().is_some_and(|(_, map)| map.contains_key("articles")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_digest_records_and_plain_rows() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.jsonl");
        std::fs::write(
            &path,
            r#"{"source":"pages/a.txt","index":2,"span":{"start":10,"end":20},"headline":"甲","byline":{"lines":["□本报记者 乙"]},"dateline":{"text":"本报讯"},"summary":"丙","section":"财经","confidence":0.5}

{"id":7,"label":"体育"}
"#,
        )
        .expect("write");
        let p = read_predictions(&path).expect("predictions");
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].file.as_deref(), Some("a.txt"));
        assert_eq!(p[0].start, Some(10));
        assert_eq!(p[0].byline.as_deref(), Some("本报记者 乙"));
        assert_eq!(p[0].dateline.as_deref(), Some("本报讯"));
        assert_eq!((p[1].id.as_deref(), p[1].section.as_deref()), (Some("7"), Some("体育")));
        std::fs::write(&path, "{\"text\": \"x\"}\n[1]\n").expect("write");
        let err = read_rows(&path).expect_err("not an object").to_string();
        assert!(err.contains("p.jsonl") && err.contains("line 2"), "{err}");
    }
}
