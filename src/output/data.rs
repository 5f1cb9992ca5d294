//! The machine-readable formats: JSON, JSON Lines and CSV.

use std::io::{self, Write};

use super::{Page, Writer};

pub(super) struct Json<'w> {
    out: Box<dyn Write + 'w>,
    written: usize,
}

impl<'w> Json<'w> {
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Json { out, written: 0 }
    }
}

impl Writer for Json<'_> {
    fn page(&mut self, page: &Page<'_>) -> io::Result<()> {
        for record in page.records() {
            self.out.write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
            serde_json::to_writer_pretty(&mut self.out, &record)?;
            self.written += 1;
        }
        Ok(())
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

impl Writer for Jsonl<'_> {
    fn page(&mut self, page: &Page<'_>) -> io::Result<()> {
        for record in page.records() {
            serde_json::to_writer(&mut self.out, &record)?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
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

pub(super) struct Csv<'w> {
    out: csv::Writer<Box<dyn Write + 'w>>,
    header_written: bool,
}

impl<'w> Csv<'w> {
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Csv { out: csv::Writer::from_writer(out), header_written: false }
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

    fn finish(&mut self) -> io::Result<()> {
        if !self.header_written {
            self.out.write_record(CSV_HEADER)?;
        }
        self.out.flush()
    }
}
