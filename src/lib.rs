//! jianbao (简报) reads Chinese newspaper pages, splits them into articles, and (with a small
//! transformer run by candle) summarises and labels each one.
//!
//! Data flows one way, one module per stage:
//! [`input`] (paths → decoded [`input::Document`]s) → [`segment`] (page → [`segment::Article`]s)
//! → [`model`] (texts → vectors) → [`summarize`] and [`label`] (article → summary, section) →
//! [`output`] (records → bytes); [`dedup`] finds the copies of a story among a stream of
//! articles, and [`brief`] lays a digest's records out as briefings. [`stages`] runs the
//! summariser and the labeller over a batch of articles as `digest` does (one shared model, a
//! time budget per article); [`batch`] streams pages through them into an output, resumable and
//! shardable; [`eval`] scores what they make against references ([`annotated`]), from which
//! [`train`] fits the summariser's and the labeller's models; [`cli`] turns the command line
//! into calls of the above.
//!
//! # Layers
//!
//! A module uses only modules on layers below its own, never one beside or above it; inside a
//! module, its files and folders do not use one another in a circle. `tests/integration/layers.rs`
//! reads the code against this list and names any arrows that still break it.
//!
//! 1. [`error`], [`text`]: input errors; character classes and line splitting.
//! 2. [`input`]: paths, archives and JSON Lines → decoded documents.
//! 3. [`annotated`], [`segment`]: references (labelled rows, and the articles of pages with
//!    their spans) → rows and article texts; a page → its articles.
//! 4. [`crate`]'s own items: [`split_document`], a document → its articles.
//! 5. [`sentences`]: an article → its candidate sentences.
//! 6. [`model`]: texts → vectors.
//! 7. [`fit`]: the learning maths, fitted by training and read by inference: linear models over
//!    named features (by least squares, or ranking the items of a group pairwise), logistic
//!    regression on vectors, the split of labelled data into training, validation and test
//!    parts, and one `dot`, `argmax` and seeded generator for the crate.
//! 8. [`summarize`], [`label`], [`dedup`]: an article → its summary; an article → its section;
//!    a stream of articles → the first occurrence of each one's story.
//! 9. [`stages`]: a batch of articles → their summaries and sections, with one shared model
//!    and within a time budget per article, as `digest` makes them.
//! 10. [`eval`]: scores of summaries, labels and splits against references.
//! 11. [`train`]: fitting the summariser's models and the labeller's head on labelled data
//!     ([`annotated`]), scored with eval's metrics.
//! 12. [`output`]: records → bytes, their keys, and reading back an output to resume.
//! 13. [`brief`]: a digest's records → briefings by period and section, as Markdown and HTML.
//! 14. [`batch`]: pages streamed through the stages into an output.
//! 15. [`cli`]: the command line.
//!
//! Below the model, nothing knows of it; above the stages, [`eval`] and [`output`] each take
//! their results without knowing of the other, [`train`] fits the inference modules' models and
//! scores them as [`eval`] does, and only [`batch`] and [`cli`] put it all together.

pub mod annotated;
pub mod batch;
pub mod brief;
pub mod cli;
pub mod dedup;
pub mod error;
pub mod eval;
pub mod fit;
pub mod input;
pub mod label;
pub mod model;
pub mod output;
pub mod segment;
pub mod sentences;
pub mod stages;
pub mod summarize;
pub mod text;
pub mod train;

use error::{InputError, InputErrorKind};

/// mimalloc's options this tunes (their places in its v3 `mi_option_t`, which the Rust
/// bindings do not name).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const MI_OPTION_PAGE_COMMIT_ON_DEMAND: libmimalloc_sys::mi_option_t = 40;

/// Sets mimalloc (the allocator of the `jianbao` binary and of the benches) up for the
/// encoder, which frees and reallocates the same large buffers every layer; call it first
/// thing in `main`. Freed pages are kept instead of handed back to the kernel 10 ms later
/// (zeroing refaulted pages cost a tenth of `digest`'s time), and a page's memory is committed
/// when the page is taken rather than as it is touched (on demand, the kernel's page zeroing
/// was 3% of `digest`'s samples, on the thread that drives the encoder: 27.3–27.7 s → 25.6–26.4
/// s on 100 pages). Peak memory is unchanged; memory is not returned until exit.
pub fn tune_allocator() {
    // Safety: sets process-wide options; mimalloc reads them when it next needs them.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
        libmimalloc_sys::mi_option_set(MI_OPTION_PAGE_COMMIT_ON_DEMAND, 0);
    }
}
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
