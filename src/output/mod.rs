//! Every byte jianbao writes for its results: one module per format behind [`Writer`], which
//! turns a document's articles into bytes, and [`sink`], which puts a batch run's records in a
//! locked file or directory. Errors go to stderr elsewhere; this module only writes results.
//!
//! The records carry a stable key ([`keys`]: `SOURCE#INDEX@HASH`), by which [`resume()`] reads
//! back what an interrupted run's JSON Lines output already holds.

mod data;
pub mod keys;
pub mod resume;
pub mod sink;
mod text;

use std::io::{self, Write};

use serde::Serialize;

use crate::dedup::Duplicate;
use crate::label::{Label, Scored};
use crate::segment::{Article, Byline, Dateline, Span};
use crate::summarize::Summary;

pub use self::keys::article_key;
pub use self::resume::{resume, Done};
pub use self::sink::{Sink, SinkError};

/// Output formats for article records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable blocks, one per article.
    Text,
    /// One JSON array of all records.
    Json,
    /// One JSON object per line, per article.
    Jsonl,
    /// A header row, then one row per article.
    Csv,
    /// Markdown, one section per article.
    Md,
}

/// A document's articles, with where they came from.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    /// `path`, `archive!entry` or `rows.jsonl:line`.
    pub source: &'a str,
    /// The JSON Lines row's `id`, if it had one.
    pub id: Option<&'a str>,
    /// The row's `date` and `page`, if it had them.
    pub date: Option<&'a str>,
    pub page_number: Option<&'a str>,
    /// The encoding the text was decoded from.
    pub encoding: &'a str,
    pub articles: &'a [Article],
}

/// One article as the machine-readable formats write it.
#[derive(Debug, Serialize)]
pub struct ArticleRecord<'a> {
    /// Where the page came from: `path`, `archive!entry` or `rows.jsonl:line`.
    pub source: &'a str,
    /// The JSON Lines row's `id`, when the input had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    /// The row's `date` and `page`, when it had them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none", rename = "page")]
    pub page_number: Option<&'a str>,
    /// The encoding the page was decoded from.
    pub encoding: &'a str,
    /// The article: index, headline, kicker, deck, byline, dateline, subheads, paragraphs,
    /// credits, kind and span.
    #[serde(flatten)]
    pub article: &'a Article,
}

impl<'a> Page<'a> {
    pub fn records(&self) -> impl Iterator<Item = ArticleRecord<'a>> + '_ {
        self.articles.iter().map(|article| ArticleRecord {
            source: self.source,
            id: self.id,
            date: self.date,
            page_number: self.page_number,
            encoding: self.encoding,
            article,
        })
    }
}

/// A page's articles with their summaries and labels (either may be absent: `summarize` and
/// `label` each produce one half).
#[derive(Debug, Clone, Copy)]
pub struct DigestPage<'a> {
    /// The articles to write: all of the page's, or on resume those not written before.
    pub page: Page<'a>,
    /// How many articles the page has.
    pub of: usize,
    /// One per article, where summaries were made.
    pub summaries: Option<&'a [Summary]>,
    /// One per article, where labels were given.
    pub labels: Option<&'a [Label]>,
    /// One per article, where copies were looked for: the story's first occurrence, for a copy.
    pub duplicates: Option<&'a [Option<Duplicate>]>,
}

/// One article's digest as the machine-readable formats write it: where it is, what it is
/// called, who wrote it, its summary and its section. The article's full text stays out (use
/// `split` for that).
#[derive(Debug, Serialize)]
pub struct DigestRecord<'a> {
    pub source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    /// The row's `date` and `page`, when it had them: a briefing places the story by them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none", rename = "page")]
    pub page_number: Option<&'a str>,
    /// Stable across runs: source, index and a hash of the article ([`article_key`]).
    pub key: String,
    pub index: usize,
    /// How many articles the page has, so that a merged output can be checked for gaps.
    pub of: usize,
    pub span: Span,
    pub headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kicker: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deck: Option<&'a str>,
    pub byline: &'a Byline,
    pub dateline: Option<&'a Dateline>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top: Option<&'a [Scored]>,
    /// For a copy of an earlier record's story (a reprint, the same story on another page):
    /// the key of the story's first record, and how much of the shorter text the longer holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f32>,
}

impl<'a> DigestPage<'a> {
    pub fn records(&self) -> impl Iterator<Item = DigestRecord<'a>> + '_ {
        self.page.articles.iter().enumerate().map(|(i, a)| {
            let label = self.labels.and_then(|l| l.get(i));
            let duplicate = self.duplicates.and_then(|d| d.get(i)).and_then(Option::as_ref);
            DigestRecord {
                source: self.page.source,
                id: self.page.id,
                date: self.page.date,
                page_number: self.page.page_number,
                key: article_key(self.page.source, a),
                index: a.index,
                of: self.of,
                span: a.span,
                headline: &a.headline,
                kicker: a.kicker.as_deref(),
                deck: a.deck.as_deref(),
                byline: &a.byline,
                dateline: a.dateline.as_ref(),
                summary: self.summaries.and_then(|s| s.get(i)).map(|s| s.text.as_str()),
                section: label.map(|l| l.section.as_str()),
                confidence: label.map(|l| l.confidence),
                top: label.map(|l| l.top.as_slice()),
                duplicate_of: duplicate.map(|d| d.of.as_str()),
                similarity: duplicate.map(|d| d.similarity),
            }
        })
    }
}

/// Renders pages in one format.
pub trait Writer {
    fn page(&mut self, page: &Page<'_>) -> io::Result<()>;
    /// Writes a page's digests: summaries and/or labels.
    fn digest(&mut self, page: &DigestPage<'_>) -> io::Result<()>;
    /// Records a page that failed, where the format has records for that (JSON, JSON Lines);
    /// the others leave failures to stderr.
    fn error(&mut self, _failure: &ErrorRecord<'_>) -> io::Result<()> {
        Ok(())
    }
    /// Flushes what is written so far.
    fn flush(&mut self) -> io::Result<()>;
    /// Closes the output (the JSON array's bracket) and flushes it.
    fn finish(&mut self) -> io::Result<()>;
}

/// A page that failed, or one article of a page: where, why, and a stable name for the kind of
/// failure. An article's record carries its key, index and the page's article count, so that
/// resuming skips it and merging counts its page complete.
#[derive(Debug, Serialize)]
pub struct ErrorRecord<'a> {
    pub source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of: Option<usize>,
    pub error: &'a str,
    pub kind: &'a str,
}

impl<'a> ErrorRecord<'a> {
    /// A page that failed as a whole.
    pub fn page(source: &'a str, error: &'a str, kind: &'a str) -> ErrorRecord<'a> {
        ErrorRecord { source, key: None, index: None, of: None, error, kind }
    }

    /// One article, the `index`-th of the page's `of`, that failed.
    pub fn article(
        source: &'a str,
        key: &'a str,
        index: usize,
        of: usize,
        error: &'a str,
        kind: &'a str,
    ) -> ErrorRecord<'a> {
        ErrorRecord { source, key: Some(key), index: Some(index), of: Some(of), error, kind }
    }
}

/// The writer for `format`, writing to `out`.
pub fn writer<'w>(format: Format, out: Box<dyn Write + 'w>) -> Box<dyn Writer + 'w> {
    match format {
        Format::Text => Box::new(text::Text::new(out)),
        Format::Md => Box::new(text::Markdown::new(out)),
        Format::Json => Box::new(data::Json::new(out)),
        Format::Jsonl => Box::new(data::Jsonl::new(out)),
        Format::Csv => Box::new(data::Csv::new(out)),
    }
}
