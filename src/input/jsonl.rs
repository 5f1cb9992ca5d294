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
            feed.send(Err(InputError::new(&here, InputErrorKind::TooLarge { limit: opts.max_bytes })));
            rows += 1;
            continue;
        }
        let line = if number == 1 { buf.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&buf) } else { &buf };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        rows += 1;
        feed.send(
            parse_row(line)
                .map(|(text, record)| Document { origin: here.clone(), text, encoding: "UTF-8", record: Some(record) })
                .map_err(|message| InputError::new(&here, InputErrorKind::BadRow(message))),
        );
    }
    if rows == 0 {
        return Err(InputErrorKind::Empty);
    }
    Ok(())
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
        None => return Err("no \"text\" field".into()),
    };
    let id = match map.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => return Err("\"id\" is neither a string nor a number".into()),
    };
    let title = match map.get("title") {
        None | Some(Value::Null) => None,
        // `""` says the text has no headline: none is looked for at its top.
        Some(Value::String(s)) => Some(crate::text::trim(s).to_owned()),
        Some(_) => return Err("\"title\" is not a string".into()),
    };
    Ok((text, Record { id, title }))
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
        assert_eq!(first.record, Some(Record { id: Some("7".into()), title: Some("标题".into()) }));
        assert_eq!(first.origin.to_string(), "rows.jsonl:1");
        let err = got[1].as_ref().unwrap_err().to_string();
        assert_eq!(err, "rows.jsonl:3: bad JSON Lines row: no \"text\" field");
        assert!(got[2].is_err());
        assert_eq!(got[3].as_ref().unwrap().origin.line, Some(5));
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
