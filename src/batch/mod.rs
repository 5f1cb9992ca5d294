//! What a long batch run needs besides the stages themselves: stable record keys ([`keys`]),
//! shards ([`shard`]), resuming from a JSON Lines output that an interrupted run left behind
//! ([`resume`]), and merging the outputs of several shards ([`merge`]).
//!
//! A record's key is `SOURCE#INDEX@HASH` ([`article_key`]). A failed page is an error record
//! `{source, error, kind}`.

pub mod keys;
pub mod merge;
pub mod resume;
pub mod shard;

pub use self::keys::article_key;
pub use self::merge::{merge, Merged};
pub use self::resume::{resume, Done};
pub use self::shard::Shard;
