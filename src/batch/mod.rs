//! Batch runs: the streaming pipeline from sources through the [`crate::stages`] to a sink
//! ([`pipeline`], reading ahead on a thread of its own), and what a long run needs besides: shards ([`shard`]), skipping what a JSON Lines output that an
//! interrupted run left behind already holds (read back by [`crate::output::resume()`]), and
//! merging the outputs of several shards ([`merge`]).
//!
//! The command line, the benches and the tests all run pages through [`run`]: the CLI only
//! turns flags into a [`Job`], draws progress from an [`Observer`] and an exit code from the
//! [`Tally`].
//!
//! A record's key is `SOURCE#INDEX@HASH` ([`crate::output::article_key`]). A failed page is an
//! error record `{source, error, kind}`.

pub mod merge;
pub mod pipeline;
mod reader;
pub mod shard;

pub use self::merge::{merge, Merged};
pub use self::pipeline::{run, Job, Observer, PipelineError, Sources, Tally, Unobserved};
pub use self::shard::Shard;
