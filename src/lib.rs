//! jianbao (简报) reads Chinese newspaper pages, splits them into articles, and (with a small
//! transformer run by candle) summarises and labels each one.
//!
//! Data flows one way, one module per stage:
//! [`input`] (paths → decoded [`input::Document`]s) → [`segment`] (page → [`segment::Article`]s)
//! → [`model`] (texts → vectors) → [`summarize`] and [`label`] (article → summary, section) →
//! [`output`] (records → bytes). [`batch`] streams pages through those stages into an output,
//! resumable and shardable; [`eval`] scores outputs against references; [`cli`] turns the
//! command line into calls of the above.

pub mod batch;
pub mod cli;
pub mod error;
pub mod eval;
pub mod input;
pub mod label;
pub mod model;
pub mod output;
pub mod segment;
pub mod summarize;
pub mod text;

use error::{InputError, InputErrorKind};
use input::Document;
use segment::Article;

/// Splits one document into articles: a page into as many as it holds, a JSON Lines row into
/// exactly one. A document with nothing to split is an error, so that it is reported.
pub fn split_document(doc: &Document) -> Result<Vec<Article>, InputError> {
    let articles = match &doc.record {
        Some(record) => segment::single(&doc.text, record.title.as_deref()).into_iter().collect(),
        None => segment::split(&doc.text),
    };
    if articles.is_empty() {
        return Err(InputError::new(&doc.origin, InputErrorKind::NoArticles));
    }
    Ok(articles)
}
