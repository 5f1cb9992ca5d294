//! The machine-readable formats: JSON, JSON Lines and CSV.

use std::io::{self, Write};

use serde::Serialize;

use super::{DigestPage, Page, Writer};

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
    fn record(&mut self, record: &impl Serialize) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, record)?;
        self.out.write_all(b"\n")
    }
}

impl Writer for Jsonl<'_> {
    fn page(&mut self, page: &Page<'_>) -> io::Result<()> {
        page.records().try_for_each(|r| self.record(&r))
    }

    fn digest(&mut self, page: &DigestPage<'_>) -> io::Result<()> {
        page.records().try_for_each(|r| self.record(&r))
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

const CSV_HEADER: [&str; 15] = [
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
    digest: bool,
}

impl<'w> Csv<'w> {
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Csv { out: csv::Writer::from_writer(out), header_written: false, digest: false }
    }
}

impl Writer for Csv<'_> {
    fn page(&mut self, page: &Page<'_>) -> io::Result<()> {
        if !self.header_written {
            self.out.write_record(CSV_HEADER)?;
            self.header_written = true;
        }
        for a in page.articles {
            let row = [
                page.source.to_owned(),
                page.id.unwrap_or_default().to_owned(),
                a.index.to_string(),
                a.span.start.to_string(),
                a.span.end.to_string(),
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
            ];
            self.out.write_record(&row)?;
        }
        Ok(())
    }

    fn digest(&mut self, page: &DigestPage<'_>) -> io::Result<()> {
        self.digest = true;
        if !self.header_written {
            self.out.write_record(DIGEST_HEADER)?;
            self.header_written = true;
        }
        for r in page.records() {
            let row = [
                r.source.to_owned(),
                r.id.unwrap_or_default().to_owned(),
                r.index.to_string(),
                r.span.start.to_string(),
                r.span.end.to_string(),
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
            self.out.write_record(&row)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        if !self.header_written {
            self.out.write_record(if self.digest { &DIGEST_HEADER[..] } else { &CSV_HEADER[..] })?;
        }
        self.out.flush()
    }
}
