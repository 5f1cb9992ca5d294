//! Integration tests: `jianbao` run as a user runs it, and its batch pipeline called as the
//! benches call it, on real pages and on files each test writes into its own temporary
//! directory.

mod adapter;
mod batch;
mod brief;
mod digest;
mod eval;
mod fetch;
mod harness;
mod inputs;
mod layers;
mod model;
mod pathological;
mod pipeline;
mod pressure;
mod real_model;
mod seed;
mod tiny;
