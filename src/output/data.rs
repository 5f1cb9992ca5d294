//! The machine-readable formats: JSON, JSON Lines and CSV.

use std::io::{self, Write};

use serde::Serialize;

use super::{DigestPage, ErrorRecord, Page, Writer};
use crate::segment::Span;

pub(super) struct Json<'w> {
    out: Box<dyn Write + 'w>,
    written: usize,
}

impl<'w> Json<'w> {
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Json { out, written: 0 }
    }
}

impl Json<'_> {
    fn record(&mut self, record: &impl Serialize) -> io::Result<()> {
        self.out.write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
        serde_json::to_writer_pretty(&mut self.out, record)?;
        self.written += 1;
        Ok(())
    }
}

impl Writer for Json<'_> {
    fn page(&mut self, page: &Page<'_>) -> io::Result<()> {
        page.records().try_for_each(|r| self.record(&r))
    }

    fn digest(&mut self, page: &DigestPage<'_>) -> io::Result<()> {
        page.records().try_for_each(|r| self.record(&r))
    }

    fn error(&mut self, failure: &ErrorRecord<'_>) -> io::Result<()> {
        self.record(failure)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

pub(super) struct Jsonl<'w> {
    out: Box<dyn Write + 'w>,
}

impl<'w> Jsonl<'w> {
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Jsonl { out }
    }
}

impl Jsonl<'_> {
    /// Writes one line and flushes it, so that an interrupted run leaves whole lines but the
    /// last.
    fn record(&mut self, record: &impl Serialize) -> io::Result<()> {
        let mut line = serde_json::to_vec(record)?;
        line.push(b'\n');
        self.out.write_all(&line)?;
        self.out.flush()
    }
}

impl Writer for Jsonl<'_> {
    fn page(&mut self, page: &Page<'_>) -> io::Result<()> {
        page.records().try_for_each(|r| self.record(&r))
    }

    fn digest(&mut self, page: &DigestPage<'_>) -> io::Result<()> {
        page.records().try_for_each(|r| self.record(&r))
    }

    fn error(&mut self, failure: &ErrorRecord<'_>) -> io::Result<()> {
        self.record(failure)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

const CSV_HEADER: [&str; 16] = [
    "source",
    "id",
    "index",
    "start",
    "end",
    "kind",
    "kicker",
    "headline",
    "deck",
    "outlet",
    "reporters",
    "dateline",
    "subheads",
    "credits",
    "body",
    "epigraph",
];

const DIGEST_HEADER: [&str; 14] = [
    "source",
    "id",
    "index",
    "start",
    "end",
    "kicker",
    "headline",
    "deck",
    "outlet",
    "reporters",
    "dateline",
    "summary",
    "section",
    "confidence",
];

pub(super) struct Csv<'w> {
    out: csv::Writer<Box<dyn Write + 'w>>,
    header_written: bool,
}

impl<'w> Csv<'w> {
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Csv { out: csv::Writer::from_writer(out), header_written: false }
    }
}

impl Csv<'_> {
    /// Writes `header` before the first row.
    fn header(&mut self, header: &[&str]) -> io::Result<()> {
        if !self.header_written {
            self.out.write_record(header)?;
            self.header_written = true;
        }
        Ok(())
    }
}

/// The cells that say where an article is: source, id, index, start, end.
fn location(source: &str, id: Option<&str>, index: usize, span: Span) -> [String; 5] {
    [
        source.to_owned(),
        id.unwrap_or_default().to_owned(),
        index.to_string(),
        span.start.to_string(),
        span.end.to_string(),
    ]
}

impl Writer for Csv<'_> {
    fn page(&mut self, page: &Page<'_>) -> io::Result<()> {
        self.header(&CSV_HEADER)?;
        for a in page.articles {
            let rest = [
                a.kind.as_str().to_owned(),
                a.kicker.clone().unwrap_or_default(),
                a.headline.clone(),
                a.deck.clone().unwrap_or_default(),
                a.byline.outlet.clone().unwrap_or_default(),
                a.byline.reporters.join("、"),
                a.dateline.as_ref().map(|d| d.text.clone()).unwrap_or_default(),
                a.subheads.join("\n"),
                a.credits.join("\n"),
                a.paragraphs.join("\n"),
                a.epigraph.join("\n"),
            ];
            self.out.write_record(location(page.source, page.id, a.index, a.span).into_iter().chain(rest))?;
        }
        Ok(())
    }

    fn digest(&mut self, page: &DigestPage<'_>) -> io::Result<()> {
        self.header(&DIGEST_HEADER)?;
        for r in page.records() {
            let rest = [
                r.kicker.unwrap_or_default().to_owned(),
                r.headline.to_owned(),
                r.deck.unwrap_or_default().to_owned(),
                r.byline.outlet.clone().unwrap_or_default(),
                r.byline.reporters.join("、"),
                r.dateline.map(|d| d.text.clone()).unwrap_or_default(),
                r.summary.unwrap_or_default().to_owned(),
                r.section.unwrap_or_default().to_owned(),
                r.confidence.map(|c| format!("{c:.4}")).unwrap_or_default(),
            ];
            self.out.write_record(location(r.source, r.id, r.index, r.span).into_iter().chain(rest))?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        // An empty output still says what its columns would have been.
        self.header(&CSV_HEADER)?;
        self.out.flush()
    }
}
