//! Arbitrary text as a page and as a JSON Lines row: no panic, and article spans are what the
//! segment module promises: character offsets that cover the page in order, without gaps or
//! overlaps.
#![no_main]

use jianbao::input::{char_span, Document, Origin, Record};
use jianbao::segment;
use jianbao::text::{self, char_len};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let total = char_len(&text);
    let articles = segment::split(&text);
    if articles.is_empty() {
        // Only space, and markdown emphasis around nothing, makes no article.
        assert!(
            text.chars().all(|c| text::is_space(c) || c == '*' || c == '#'),
            "a page with visible text gave no article"
        );
    } else {
        assert_eq!(articles[0].span.start, 0, "the first article must start the page");
        assert_eq!(articles.last().unwrap().span.end, total, "the last article must end the page");
        for (i, pair) in articles.windows(2).enumerate() {
            assert_eq!(pair[0].span.end, pair[1].span.start, "a gap or overlap after article {}", i + 1);
        }
    }
    for (i, article) in articles.iter().enumerate() {
        assert_eq!(article.index, i + 1);
        assert!(article.span.start <= article.span.end, "backwards span {:?}", article.span);
        assert!(char_span(&text, article.span.start, article.span.end).is_some());
    }

    let page = Document { origin: Origin::file("page.txt"), text: text.to_string(), encoding: "UTF-8", record: None };
    if let Ok(split) = jianbao::split_document(&page) {
        assert_eq!(split, articles);
    } else {
        assert!(articles.is_empty());
    }
    let title = text.lines().next().map(|l| l.to_owned());
    for title in [None, Some(String::new()), title] {
        let row = Document { record: Some(Record { id: None, title: title.clone() }), ..page.clone() };
        if let Ok(split) = jianbao::split_document(&row) {
            assert_eq!(split.len(), 1, "a row is one article");
            assert_eq!((split[0].span.start, split[0].span.end), (0, total));
            if let Some(title) = &title {
                assert_eq!(&split[0].headline, title);
            }
        }
    }
});
