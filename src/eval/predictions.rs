//! Reading predictions from JSON Lines: `jianbao digest --format jsonl` records (`source`,
//! `index`, `span`, `headline`, `kicker`, `deck`, `byline`, `dateline`, `summary`, `section`),
//! or any rows with an `id` and a `summary` and/or `section` (or `label`), to score against the
//! references ([`crate::annotated`]).

use std::path::Path;

use serde_json::Value;

use crate::annotated::{byline, dateline, objects, string};

use super::EvalError;

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
    }
}
