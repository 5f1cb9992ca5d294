//! Every byte jianbao writes for its results: one module per format behind [`Writer`], which
//! turns a document's articles into bytes. Errors go to stderr elsewhere; this module only
//! renders results.

mod data;
mod text;

use std::io::{self, Write};

use serde::Serialize;

use crate::segment::Article;

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
            encoding: self.encoding,
            article,
        })
    }
}

/// Renders pages in one format.
pub trait Writer {
    fn page(&mut self, page: &Page<'_>) -> io::Result<()>;
    /// Closes the output (the JSON array's bracket) and flushes it.
    fn finish(&mut self) -> io::Result<()>;
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
