//! The pipeline's reader: reads and splits pages on a thread of its own, into a bounded queue,
//! so that reading and splitting overlap the stages. Pages outside the run's shard are dropped
//! here, before they are split.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver};

use super::Shard;
use crate::input::{self, InputOptions};
use crate::segment::Article;

/// Pages read ahead of the stages.
const QUEUE_PAGES: usize = 64;

/// A page read and split, waiting for its batch.
pub(super) struct Pending {
    pub source: String,
    pub id: Option<String>,
    /// A row's date and page, where it gives them.
    pub date: Option<String>,
    pub page: Option<String>,
    pub encoding: &'static str,
    /// The articles still to write (on resume, those not written before).
    pub articles: Vec<Article>,
    /// How many articles the page has.
    pub of: usize,
}

/// What the reader sends.
pub(super) enum Item {
    Page(Pending),
    Failed { source: String, error: String, kind: &'static str },
}

/// Starts the reader on `paths`. When the receiver goes away (the run ended, or failed), the
/// reader stops: nothing more is read, split or sent.
pub(super) fn spawn(paths: Vec<PathBuf>, opts: InputOptions, shard: Option<Shard>) -> Receiver<Item> {
    let (tx, rx) = sync_channel(QUEUE_PAGES);
    std::thread::spawn(move || {
        input::read_sources(&paths, &opts, &mut |item| {
            let item = match item {
                Ok(doc) => {
                    let source = doc.origin.to_string();
                    if shard.is_some_and(|s| !s.takes(&source)) {
                        return ControlFlow::Continue(());
                    }
                    match crate::split_document(&doc) {
                        Ok(articles) => Item::Page(Pending {
                            id: doc.record.as_ref().and_then(|r| r.id.clone()),
                            date: doc.record.as_ref().and_then(|r| r.date.clone()),
                            page: doc.record.as_ref().and_then(|r| r.page.clone()),
                            encoding: doc.encoding,
                            of: articles.len(),
                            articles,
                            source,
                        }),
                        Err(err) => Item::Failed { source, error: err.kind.to_string(), kind: err.kind.code() },
                    }
                }
                Err(err) => {
                    if shard.is_some_and(|s| !s.takes(&err.origin)) {
                        return ControlFlow::Continue(());
                    }
                    Item::Failed { error: err.kind.to_string(), kind: err.kind.code(), source: err.origin }
                }
            };
            match tx.send(item) {
                Ok(()) => ControlFlow::Continue(()),
                Err(_) => ControlFlow::Break(()),
            }
        });
    });
    rx
}
