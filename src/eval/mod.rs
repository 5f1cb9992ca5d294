//! Scoring jianbao's outputs against hand-labelled references. Metrics are pure functions of
//! predictions and gold; reading data and printing reports happen elsewhere.

pub mod labels;
pub mod rouge;
pub mod split;
