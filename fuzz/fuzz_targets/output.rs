//! Arbitrary articles, summaries, labels and failures through every output format into memory:
//! no panic, no write error, and the machine-readable formats parse back with one record per
//! article (and per failure).
#![no_main]

use std::io::Write;

use arbitrary::Arbitrary;
use jianbao::label::{Label, Scored};
use jianbao::output::{self, DigestPage, ErrorRecord, Format, Page};
use jianbao::segment::{Article, Byline, Dateline, Kind, Span};
use jianbao::summarize::Summary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct ArbArticle {
    headline: String,
    kicker: Option<String>,
    deck: Option<String>,
    outlet: Option<String>,
    reporters: Vec<String>,
    byline: Vec<String>,
    dateline: Option<ArbDateline>,
    subheads: Vec<String>,
    paragraphs: Vec<String>,
    credits: Vec<String>,
    kind: u8,
    span: (usize, usize),
}

#[derive(Arbitrary, Debug)]
struct ArbDateline {
    text: String,
    outlet: Option<String>,
    place: Option<String>,
    date: Option<String>,
}

#[derive(Arbitrary, Debug)]
struct ArbLabel {
    section: String,
    confidence: f32,
    top: Vec<(String, f32)>,
}

#[derive(Arbitrary, Debug)]
struct Input {
    source: String,
    id: Option<String>,
    encoding: String,
    articles: Vec<ArbArticle>,
    of: usize,
    summaries: Option<Vec<String>>,
    labels: Option<Vec<ArbLabel>>,
    /// A failed page, or (with an index) one article of it.
    failure: Option<(String, String, String, Option<(String, usize, usize)>)>,
}

fn article(index: usize, a: ArbArticle) -> Article {
    Article {
        index,
        headline: a.headline,
        kicker: a.kicker,
        deck: a.deck,
        byline: Byline { outlet: a.outlet, reporters: a.reporters, lines: a.byline },
        dateline: a.dateline.map(|d| Dateline { text: d.text, outlet: d.outlet, place: d.place, date: d.date }),
        subheads: a.subheads,
        paragraphs: a.paragraphs,
        credits: a.credits,
        kind: [Kind::News, Kind::Commentary, Kind::Unknown][usize::from(a.kind % 3)],
        span: Span { start: a.span.0, end: a.span.1 },
    }
}

const FORMATS: [Format; 5] = [Format::Text, Format::Json, Format::Jsonl, Format::Csv, Format::Md];

/// Writes with a fresh writer, as one run of `split` or `digest` does, and returns the bytes.
fn write(format: Format, body: impl FnOnce(&mut dyn output::Writer) -> std::io::Result<()>) -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let out: Box<dyn Write + '_> = Box::new(&mut bytes);
        let mut writer = output::writer(format, out);
        body(writer.as_mut()).expect("writing into memory failed");
        writer.finish().expect("finishing into memory failed");
    }
    bytes
}

/// The records a machine-readable output holds, parsed back.
fn records(format: Format, bytes: &[u8]) -> Option<usize> {
    match format {
        Format::Jsonl => {
            let text = std::str::from_utf8(bytes).expect("JSON Lines output is not UTF-8");
            let mut n = 0;
            for line in text.lines() {
                let value: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
                assert!(value.is_object(), "{line:?}");
                n += 1;
            }
            assert!(text.is_empty() || text.ends_with('\n'));
            Some(n)
        }
        Format::Json => {
            let value: serde_json::Value = serde_json::from_slice(bytes).expect("JSON output does not parse");
            Some(value.as_array().expect("JSON output is not an array").len())
        }
        Format::Csv => {
            let mut reader = csv::Reader::from_reader(bytes);
            let mut n = 0;
            for row in reader.records() {
                row.expect("CSV output does not parse");
                n += 1;
            }
            Some(n)
        }
        Format::Text | Format::Md => {
            std::str::from_utf8(bytes).expect("text output is not UTF-8");
            None
        }
    }
}

fuzz_target!(|input: Input| {
    let articles: Vec<Article> = input.articles.into_iter().enumerate().map(|(i, a)| article(i + 1, a)).collect();
    let summaries: Option<Vec<Summary>> =
        input.summaries.map(|s| s.into_iter().map(|text| Summary { text, sentences: Vec::new() }).collect());
    let labels: Option<Vec<Label>> = input.labels.map(|l| {
        l.into_iter()
            .map(|l| Label {
                section: l.section,
                confidence: l.confidence,
                top: l.top.into_iter().map(|(section, probability)| Scored { section, probability }).collect(),
            })
            .collect()
    });
    let page = Page { source: &input.source, id: input.id.as_deref(), encoding: &input.encoding, articles: &articles };
    let digest = DigestPage { page, of: input.of, summaries: summaries.as_deref(), labels: labels.as_deref() };
    let failure = input.failure.as_ref().map(|(source, error, kind, article)| match article {
        Some((key, index, of)) => ErrorRecord::article(source, key, *index, *of, error, kind),
        None => ErrorRecord::page(source, error, kind),
    });

    for format in FORMATS {
        // Failures are records only in the JSON formats.
        let failed = usize::from(failure.is_some() && matches!(format, Format::Json | Format::Jsonl));
        let split = write(format, |w| {
            w.page(&page)?;
            failure.as_ref().map_or(Ok(()), |f| w.error(f))
        });
        if let Some(n) = records(format, &split) {
            assert_eq!(n, articles.len() + if format == Format::Csv { 0 } else { failed }, "{format:?} split");
        }
        let digested = write(format, |w| {
            w.digest(&digest)?;
            failure.as_ref().map_or(Ok(()), |f| w.error(f))
        });
        if let Some(n) = records(format, &digested) {
            assert_eq!(n, articles.len() + if format == Format::Csv { 0 } else { failed }, "{format:?} digest");
        }
    }
});
