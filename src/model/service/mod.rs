//! The embedding service around the transformer: texts into token windows, batches and pooled
//! vectors ([`embed`]), the device that runs them ([`device`]), and encoders that remember what
//! they embedded, for one batch ([`memo`]) or on disk ([`cache`]).

pub mod cache;
pub mod device;
pub mod embed;
pub mod memo;
