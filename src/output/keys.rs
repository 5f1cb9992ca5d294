//! The stable key of an article's record: `SOURCE#INDEX@HASH`, the page's source (file,
//! `archive!entry` or `rows.jsonl:line`), the article's 1-based index on the page, and 16 hex
//! digits of the SHA-256 of the article's headline and paragraphs, so that a changed page is not
//! mistaken for a done one.

use sha2::{Digest, Sha256};

use crate::segment::Article;

/// The stable key of an article's record.
pub fn article_key(source: &str, article: &Article) -> String {
    let mut hash = Sha256::new();
    hash.update(article.headline.as_bytes());
    for p in &article.paragraphs {
        hash.update(b"\n");
        hash.update(p.as_bytes());
    }
    let digest = hash.finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{source}#{}@{hex}", article.index)
}
