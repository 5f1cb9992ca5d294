//! Arbitrary bytes as a `.jsonl` file: every non-blank row is a document or a one-line error,
//! in order, and every document splits into exactly one article (or is reported as empty).
#![no_main]

use std::ops::ControlFlow;

use jianbao::error::InputErrorKind;
use jianbao::input::{read_in_memory, InputOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else { return };
    // An archive is read as one whatever its name: that is the archive target's.
    if [&b"PK\x03\x04"[..], b"PK\x05\x06", b"\x1f\x8b"].iter().any(|m| bytes.starts_with(m))
        || bytes.get(257..262) == Some(b"ustar")
    {
        return;
    }
    let mut opts = InputOptions::default();
    if first & 1 != 0 {
        opts.max_bytes = 64;
    }
    let mut last_line = 0;
    let mut items = 0;
    read_in_memory("rows.jsonl", bytes, &opts, &mut |item| {
        items += 1;
        match item {
            Ok(doc) => {
                let line = doc.origin.line.expect("a row without its line number");
                assert!(line > last_line, "row {line} after {last_line}");
                last_line = line;
                assert!(doc.record.is_some());
                assert!(!jianbao::text::trim(&doc.text).is_empty());
                match jianbao::split_document(&doc) {
                    Ok(articles) => {
                        assert_eq!(articles.len(), 1);
                        let chars = doc.text.chars().count();
                        assert_eq!((articles[0].span.start, articles[0].span.end), (0, chars));
                    }
                    Err(err) => assert!(matches!(err.kind, InputErrorKind::NoArticles), "{err}"),
                }
            }
            Err(err) => {
                let message = err.to_string();
                assert!(!message.contains(['\n', '\r']), "message of more than one line: {message:?}");
                if let Some(line) = err.origin.rsplit_once(':').and_then(|(_, l)| l.parse::<usize>().ok()) {
                    assert!(line > last_line, "row {line} after {last_line}");
                    last_line = line;
                }
            }
        }
        ControlFlow::Continue(())
    });
    assert!(items > 0, "a file that yields nothing, not even an error");
    // Never more items than lines.
    assert!(items <= bytes.split(|&b| b == b'\n').count());
});
