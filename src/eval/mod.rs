//! Scoring jianbao's outputs against hand-labelled references. Metrics ([`rouge`], [`labels`],
//! [`split`], with [`bootstrap`] intervals) are pure functions of predictions and gold; [`suite`]
//! reads what to evaluate, [`run`] produces and scores predictions, [`report`] writes the results.

pub mod bootstrap;
pub mod labels;
pub mod rouge;
pub mod split;
