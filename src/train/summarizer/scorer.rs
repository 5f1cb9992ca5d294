//! Fitting the sentence scorer's linear model, and choosing how the summariser selects by its
//! scores (the redundancy penalty and the floor) on held-out texts.

use serde::Serialize;

use super::{centred, summary_rouge, Row, Scored};
use crate::fit::ridge::Linear;
use crate::model::Encoder;
use crate::summarize::scorer::{Scorer, FEATURES};
use crate::summarize::Budget;

/// Mean target of the sentence each scorer puts first, over texts with at least one embedded
/// sentence: the ROUGE-L F1 of a one-sentence summary by the scorer, by the first sentence
/// (lead) and by the best sentence (oracle).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Held {
    pub texts: usize,
    pub scorer: f64,
    pub lead: f64,
    pub oracle: f64,
}

pub fn held_out(scorer: &Scorer, scored: &[Scored]) -> Held {
    let mut held = Held::default();
    for s in scored.iter().filter(|s| !s.targets.is_empty()) {
        let scores: Vec<f32> = s.features.iter().map(|f| scorer.score(f)).collect();
        let best = (0..scores.len()).max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a))).unwrap_or(0);
        held.texts += 1;
        held.scorer += f64::from(s.targets[best]);
        held.lead += f64::from(s.targets[0]);
        held.oracle += f64::from(s.targets.iter().copied().fold(0.0, f32::max));
    }
    let n = held.texts.max(1) as f64;
    Held { scorer: held.scorer / n, lead: held.lead / n, oracle: held.oracle / n, ..held }
}

/// Training rows of scored examples, each weighted by its file's weight spread over its
/// sentences, so that a text counts the same whatever its number of sentences. Targets are
/// taken relative to the mean of their text's sentences: the scorer is to tell which sentence
/// of a text to take, not which texts summarise well (on the validation articles, centred and
/// raw targets gave summaries within 0.5 ROUGE-L of each other at the chosen weights).
pub fn rows(scored: &[Scored], weights: &[f32]) -> Vec<Row> {
    scored.iter().zip(weights).flat_map(|(s, &w)| centred(s.features.iter().copied(), &s.targets, w)).collect()
}

/// Fits a scorer for `encoder` on `rows` (no redundancy penalty, no floor: see
/// [`choose_selection`]).
pub fn fit(encoder: &dyn Encoder, rows: &[Row], ridge: f64) -> Option<Scorer> {
    Some(Scorer {
        encoder: encoder.id().to_owned(),
        model: Linear::fit(&FEATURES, rows, ridge)?,
        redundancy: 0.0,
        min_score: f32::MIN,
        commentary: None,
        trimmer: None,
        tightener: None,
        compressor: None,
        training: serde_json::Value::Null,
    })
}

/// One setting of the selection grid and its score.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Selection {
    pub redundancy: f32,
    pub min_score: f32,
    pub rouge_l: f64,
}

/// Chooses the scorer's redundancy penalty and floor ([`Scorer::redundancy`],
/// [`Scorer::min_score`]) by the summaries' mean ROUGE-L F1 on `held` texts; returns the grid.
pub fn choose_selection(scorer: &mut Scorer, held: &[Scored], budget: Budget) -> Vec<Selection> {
    let mut grid = Vec::new();
    for redundancy in [0.0, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0] {
        for min_score in [f32::MIN, -0.1, -0.05, 0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35] {
            let candidate = Scorer { redundancy, min_score, ..scorer.clone() };
            grid.push(Selection { redundancy, min_score, rouge_l: summary_rouge(&candidate, held, budget) });
        }
    }
    if let Some(best) = grid.iter().max_by(|a, b| a.rouge_l.total_cmp(&b.rouge_l)) {
        (scorer.redundancy, scorer.min_score) = (best.redundancy, best.min_score);
    }
    grid
}
