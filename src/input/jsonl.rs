//! JSON Lines: one article per row, `{"text": ..., "id": ..., "title": ...}`, the way archives
//! exported from a database arrive. Rows are streamed; a bad row is reported and skipped.

use std::io::{BufRead, Read};

use serde_json::Value;

use super::{Document, Feed, InputOptions, Origin, Record};
use crate::error::{InputError, InputErrorKind};

pub(super) fn read_rows(
    mut reader: impl BufRead,
    origin: &Origin,
    opts: &InputOptions,
    feed: &mut Feed<'_, '_>,
) -> Result<(), InputErrorKind> {
    let mut rows = 0;
    let mut buf = Vec::new();
    // Rows without a "text" field, held back until a row with one comes: a file none of whose
    // rows has one holds no articles (annotations kept beside the pages, a gold file) and is
    // one failure, not one per row.
    let mut held: Vec<InputError> = Vec::new();
    let mut any_text = false;
    for number in 1.. {
        if feed.stopped() {
            return Ok(());
        }
        buf.clear();
        let read = (&mut reader).take(opts.max_bytes.saturating_add(1)).read_until(b'\n', &mut buf)?;
        if read == 0 {
            break;
        }
        let here = origin.line(number);
        if buf.len() as u64 > opts.max_bytes {
            skip_line(&mut reader)?;
            release(&mut held, feed);
            feed.send(Err(InputError::new(&here, InputErrorKind::TooLarge { limit: opts.max_bytes })));
            rows += 1;
            continue;
        }
        let line = if number == 1 { buf.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&buf) } else { &buf };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        rows += 1;
        match parse_row(line) {
            Ok((text, record)) => {
                any_text = true;
                release(&mut held, feed);
                feed.send(Ok(Document { origin: here.clone(), text, encoding: "UTF-8", record: Some(record) }));
            }
            Err(message) => {
                let error = InputError::new(&here, InputErrorKind::BadRow(message.clone()));
                if message == NO_TEXT && !any_text && held.len() < MAX_HELD {
                    held.push(error);
                } else {
                    release(&mut held, feed);
                    feed.send(Err(error));
                }
            }
        }
    }
    if rows == 0 {
        return Err(InputErrorKind::Empty);
    }
    if held.len() == rows {
        return Err(InputErrorKind::BadRow(format!("none of its {rows} rows has a \"text\" field: no article rows")));
    }
    release(&mut held, feed);
    Ok(())
}

/// Why a row without a `text` field is bad.
const NO_TEXT: &str = "no \"text\" field";

/// Rows without text held back at most; past it, each is reported as it comes.
const MAX_HELD: usize = 100_000;

/// Reports the rows held back, in their order.
fn release(held: &mut Vec<InputError>, feed: &mut Feed<'_, '_>) {
    for error in held.drain(..) {
        feed.send(Err(error));
    }
}

fn skip_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    let mut sink = Vec::new();
    loop {
        sink.clear();
        let n = reader.take(64 * 1024).read_until(b'\n', &mut sink)?;
        if n == 0 || sink.last() == Some(&b'\n') {
            return Ok(());
        }
    }
}

fn parse_row(line: &[u8]) -> Result<(String, Record), String> {
    let value: Value = serde_json::from_slice(line).map_err(|e| format!("not JSON ({e})"))?;
    let Value::Object(map) = value else {
        return Err("not a JSON object".into());
    };
    let text = match map.get("text") {
        Some(Value::String(s)) if !crate::text::trim(s).is_empty() => s.clone(),
        Some(Value::String(_)) => return Err("empty \"text\"".into()),
        Some(_) => return Err("\"text\" is not a string".into()),
        None => return Err(NO_TEXT.into()),
    };
    let id = string_or_number(&map, "id")?;
    let date = string_or_number(&map, "date")?;
    let page = string_or_number(&map, "page")?;
    let title = match map.get("title") {
        None | Some(Value::Null) => None,
        // `""` says the text has no headline: none is looked for at its top.
        Some(Value::String(s)) => Some(crate::text::trim(s).to_owned()),
        Some(_) => return Err("\"title\" is not a string".into()),
    };
    Ok((text, Record { id, title, date, page }))
}

/// The row's `field` as text: a string as it is, a number written out; absent or null: none.
fn string_or_number(map: &serde_json::Map<String, Value>, field: &str) -> Result<Option<String>, String> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(format!("\"{field}\" is neither a string nor a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(data: &str) -> Vec<Result<Document, InputError>> {
        let mut out = Vec::new();
        let origin = Origin::file("rows.jsonl");
        let sink = &mut |r| {
            out.push(r);
            std::ops::ControlFlow::Continue(())
        };
        read_rows(data.as_bytes(), &origin, &InputOptions::default(), &mut Feed::new(sink)).unwrap();
        out
    }

    #[test]
    fn rows_keep_ids_and_bad_rows_name_their_line() {
        let got = collect("{\"id\": 7, \"title\": \"标题\", \"text\": \"正文。\"}\n\n{\"title\": \"x\"}\n[1]\n{\"id\": \"b\", \"text\": \"二。\"}\n");
        assert_eq!(got.len(), 4);
        let first = got[0].as_ref().unwrap();
        assert_eq!(
            first.record,
            Some(Record { id: Some("7".into()), title: Some("标题".into()), ..Record::default() })
        );
        assert_eq!(first.origin.to_string(), "rows.jsonl:1");
        let err = got[1].as_ref().unwrap_err().to_string();
        assert_eq!(err, "rows.jsonl:3: bad JSON Lines row: no \"text\" field");
        assert!(got[2].is_err());
        assert_eq!(got[3].as_ref().unwrap().origin.line, Some(5));
    }

    #[test]
    fn a_file_without_any_text_field_is_one_failure() {
        let origin = Origin::file("gold.jsonl");
        let rows = "{\"file\": \"a.txt\", \"articles\": []}\n{\"file\": \"b.txt\", \"articles\": []}\n";
        let mut out = Vec::new();
        let sink = &mut |r| {
            out.push(r);
            std::ops::ControlFlow::Continue(())
        };
        let result = read_rows(rows.as_bytes(), &origin, &InputOptions::default(), &mut Feed::new(sink));
        let message = result.expect_err("one failure for the file").to_string();
        assert!(message.contains("none of its 2 rows"), "{message}");
        assert!(out.is_empty(), "no row is reported alone");
        // Rows without text before one with text are each reported, in order.
        let got = collect("{\"title\": \"x\"}\n{\"text\": \"正文。\"}\n{\"title\": \"y\"}\n");
        let lines: Vec<(Option<usize>, bool)> = got
            .iter()
            .map(|r| match r {
                Ok(d) => (d.origin.line, true),
                Err(e) => (e.to_string().split(':').nth(1).and_then(|n| n.parse().ok()), false),
            })
            .collect();
        assert_eq!(lines, [(Some(1), false), (Some(2), true), (Some(3), false)]);
    }

    #[test]
    fn an_empty_title_means_no_headline() {
        let text = "供暖会议召开\n今天上午，市里召开会议部署冬季供暖工作。会议要求各区县确保按时供暖。";
        let row = serde_json::json!({"title": "", "text": text}).to_string();
        let got = collect(&row);
        let record = got[0].as_ref().unwrap().record.clone().unwrap();
        assert_eq!(record.title.as_deref(), Some(""));
        let article = crate::segment::single(text, record.title.as_deref()).unwrap();
        assert_eq!(article.headline, "");
        assert_eq!(article.subheads, ["供暖会议召开"], "the short first line stays in the body");
        // Without a title, the short first line is the headline.
        let article = crate::segment::single(text, None).unwrap();
        assert_eq!((article.headline.as_str(), article.paragraphs.len()), ("供暖会议召开", 1));
    }
}
