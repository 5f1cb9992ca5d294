//! The formats for people: plain text blocks and Markdown.

use std::io::{self, Write};

use super::{DigestPage, Page, Writer};
use crate::label::Label;
use crate::segment::Article;
use crate::text::char_len;

/// How many characters of each paragraph the text format shows.
const PREVIEW_CHARS: usize = 48;

pub(super) struct Text<'w> {
    out: Box<dyn Write + 'w>,
    written: usize,
}

impl<'w> Text<'w> {
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Text { out, written: 0 }
    }
}

fn byline_text(a: &Article) -> Option<String> {
    let people = a.byline.reporters.join("、");
    match (&a.byline.outlet, people.is_empty()) {
        (Some(outlet), false) => Some(format!("{people} ({outlet})")),
        (Some(outlet), true) => Some(outlet.clone()),
        (None, false) => Some(people),
        (None, true) => None,
    }
}

/// The article's header lines as (name, value), absent ones as `None`.
fn head_fields(a: &Article) -> [(&'static str, Option<String>); 5] {
    [
        ("kicker", a.kicker.clone()),
        ("headline", Some(a.headline.clone()).filter(|h| !h.is_empty())),
        ("deck", a.deck.clone()),
        ("byline", byline_text(a)),
        ("dateline", a.dateline.as_ref().map(|d| d.text.clone())),
    ]
}

fn preview(paragraph: &str) -> String {
    if char_len(paragraph) <= PREVIEW_CHARS {
        return paragraph.to_owned();
    }
    let cut: String = paragraph.chars().take(PREVIEW_CHARS).collect();
    format!("{cut}…")
}

impl Writer for Text<'_> {
    fn page(&mut self, page: &Page<'_>) -> io::Result<()> {
        let total = page.articles.len();
        for a in page.articles {
            if self.written > 0 {
                writeln!(self.out)?;
            }
            self.written += 1;
            let id = page.id.map(|id| format!(" · id {id}")).unwrap_or_default();
            writeln!(
                self.out,
                "── {} · {}/{}{} · chars {}–{} · {}",
                page.source,
                a.index,
                total,
                id,
                a.span.start,
                a.span.end,
                a.kind.as_str()
            )?;
            let subheads = Some(a.subheads.join(" / ")).filter(|s| !s.is_empty());
            let epigraph = Some(a.epigraph.join(" / ")).filter(|s| !s.is_empty());
            for (name, value) in head_fields(a).into_iter().chain([("subheads", subheads), ("epigraph", epigraph)]) {
                if let Some(value) = value {
                    writeln!(self.out, "{name:<9} {value}")?;
                }
            }
            let chars: usize = a.paragraphs.iter().map(|p| char_len(p)).sum();
            writeln!(self.out, "{:<9} {} paragraphs, {} characters", "body", a.paragraphs.len(), chars)?;
            for paragraph in &a.paragraphs {
                writeln!(self.out, "  {}", preview(paragraph))?;
            }
        }
        Ok(())
    }

    fn digest(&mut self, page: &DigestPage<'_>) -> io::Result<()> {
        let total = page.page.articles.len();
        for (i, a) in page.page.articles.iter().enumerate() {
            if self.written > 0 {
                writeln!(self.out)?;
            }
            self.written += 1;
            let id = page.page.id.map(|id| format!(" · id {id}")).unwrap_or_default();
            writeln!(
                self.out,
                "── {} · {}/{}{} · chars {}–{}",
                page.page.source, a.index, total, id, a.span.start, a.span.end
            )?;
            let copy = page.duplicates.and_then(|d| d.get(i)).and_then(Option::as_ref);
            let results = [
                ("section", page.labels.and_then(|l| l.get(i)).map(label_text)),
                ("summary", page.summaries.and_then(|s| s.get(i)).map(|s| s.text.clone())),
                ("copy of", copy.map(|d| format!("{} ({:.2})", d.of, d.similarity))),
            ];
            for (name, value) in head_fields(a).into_iter().chain(results) {
                if let Some(value) = value {
                    writeln!(self.out, "{name:<9} {value}")?;
                }
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// `时政 0.93 (社会 0.04, 财经 0.02)`.
fn label_text(label: &Label) -> String {
    let others: Vec<String> = label.top.iter().skip(1).map(|s| format!("{} {:.2}", s.section, s.probability)).collect();
    format!("{} {:.2} ({})", label.section, label.confidence, others.join(", "))
}

pub(super) struct Markdown<'w> {
    out: Box<dyn Write + 'w>,
}

impl<'w> Markdown<'w> {
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Markdown { out }
    }
}

impl Writer for Markdown<'_> {
    fn page(&mut self, page: &Page<'_>) -> io::Result<()> {
        for a in page.articles {
            if let Some(kicker) = &a.kicker {
                writeln!(self.out, "*{kicker}*\n")?;
            }
            let headline = if a.headline.is_empty() { "(untitled)" } else { &a.headline };
            writeln!(self.out, "## {headline}\n")?;
            if let Some(deck) = &a.deck {
                writeln!(self.out, "**{deck}**\n")?;
            }
            let mut meta = vec![format!("`{}` #{} ({}–{})", page.source, a.index, a.span.start, a.span.end)];
            meta.extend(byline_text(a));
            meta.extend(a.dateline.as_ref().map(|d| d.text.clone()));
            meta.push(a.kind.as_str().to_owned());
            writeln!(self.out, "> {}\n", meta.join(" · "))?;
            for paragraph in &a.paragraphs {
                writeln!(self.out, "{paragraph}\n")?;
            }
        }
        Ok(())
    }

    fn digest(&mut self, page: &DigestPage<'_>) -> io::Result<()> {
        for (i, a) in page.page.articles.iter().enumerate() {
            let headline = if a.headline.is_empty() { "(untitled)" } else { &a.headline };
            writeln!(self.out, "## {headline}\n")?;
            let mut meta = vec![format!("`{}` #{} ({}–{})", page.page.source, a.index, a.span.start, a.span.end)];
            meta.extend(byline_text(a));
            meta.extend(a.dateline.as_ref().map(|d| d.text.clone()));
            if let Some(label) = page.labels.and_then(|l| l.get(i)) {
                meta.push(format!("**{}** {:.2}", label.section, label.confidence));
            }
            if let Some(copy) = page.duplicates.and_then(|d| d.get(i)).and_then(Option::as_ref) {
                meta.push(format!("copy of `{}`", copy.of));
            }
            writeln!(self.out, "> {}\n", meta.join(" · "))?;
            if let Some(summary) = page.summaries.and_then(|s| s.get(i)) {
                writeln!(self.out, "{}\n", summary.text)?;
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
