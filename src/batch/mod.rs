//! Batch runs: what to do with each batch of articles ([`stages`]), and what a long run needs
//! besides: stable record keys ([`keys`]), shards ([`shard`]), resuming from a JSON Lines output
//! that an interrupted run left behind ([`resume`]), and merging the outputs of several shards
//! ([`merge`]).
//!
//! A record's key is `SOURCE#INDEX@HASH` ([`article_key`]). A failed page is an error record
//! `{source, error, kind}`.

pub mod keys;
pub mod merge;
pub mod resume;
pub mod shard;
pub mod stages;

pub use self::keys::article_key;
pub use self::merge::{merge, Merged};
pub use self::resume::{resume, Done};
pub use self::shard::Shard;
pub use self::stages::{Results, Stages, Timeout};
