//! Fitting the compressor ([`compress`]): which one or two runs of clauses of a longer text's
//! sentences its summary is.

use serde::Serialize;

use super::{f1, summarise, FeaturedText};
use crate::eval::rouge;
use crate::fit::rank::{self, Group};
use crate::summarize::compress;
use crate::summarize::learnt::SummaryModel;
use crate::summarize::{as_shown, Budget};

/// How the compressor was fitted, and how the summaries score on the validation texts it
/// applies to: with it, without it (whole sentences in pick order, the best one trimmed where
/// over the budget), and the best its combinations could do (each text's best combination by
/// its ROUGE-L F1 against the reference, as no model can know).
#[derive(Debug, Clone, Default, Serialize)]
pub struct CompressorFit {
    pub combinations: usize,
    pub texts: usize,
    pub validation_compressed: f64,
    pub validation_oracle: f64,
    pub validation_texts: usize,
    pub validation_whole: f64,
}

/// Combinations per training text at most: every `k`-th of them where there are more, so that
/// the rows stay bounded (a text has up to ~1,100).
const MAX_TRAINING_COMBOS: usize = 400;

/// Fits the scorer's compressor ([`compress`]) on the combinations of units of the texts of
/// `scored` that fill the budget, each text a group to order by its combinations' ROUGE-L F1
/// against the reference ([`rank::pairwise`]), weighing its weight. `None` where there is
/// nothing to fit.
pub fn fit_compressor(
    summary_model: &mut SummaryModel,
    scored: &[FeaturedText],
    weights: &[f32],
    budget: Budget,
) -> Option<CompressorFit> {
    let mut groups = Vec::new();
    for (s, &weight) in scored.iter().zip(weights) {
        let group = with_combinations(summary_model, s, budget, |text, units, all| {
            let step = all.len().div_ceil(MAX_TRAINING_COMBOS);
            let kept: Vec<compress::Combo> = all.into_iter().step_by(step).collect();
            let reference = rouge::char_tokens(&s.reference);
            let targets = kept.iter().map(|&c| f1(&compress::shown(units, c).0, &reference)).collect();
            Group { features: kept.iter().map(|&c| text.features(units, c)).collect(), targets, weight }
        });
        groups.extend(group);
    }
    summary_model.compressor = Some(rank::pairwise(&compress::FEATURES, &groups, &rank::Settings::default())?);
    let combinations = groups.iter().map(|g| g.targets.len()).sum();
    Some(CompressorFit { texts: groups.len(), combinations, ..CompressorFit::default() })
}

/// Measures `summary_model`'s compressor on the `held` texts it applies to (see [`CompressorFit`]).
pub fn measure_compressor(
    fit: &mut CompressorFit,
    summary_model: &SummaryModel,
    held: &[FeaturedText],
    budget: Budget,
) {
    let without = SummaryModel { compressor: None, ..summary_model.clone() };
    let applies: Vec<&FeaturedText> =
        held.iter().filter(|s| s.document.is_some() && compress::applies(&as_shown(&s.sentences), budget)).collect();
    let n = applies.len().max(1) as f64;
    let mean = |summary_model: &SummaryModel| {
        applies
            .iter()
            .map(|s| rouge::score_text(&summarise(summary_model, s, budget).text, &s.reference).rouge_l.f1)
            .sum::<f64>()
            / n
    };
    (fit.validation_texts, fit.validation_whole, fit.validation_compressed) =
        (applies.len(), mean(&without), mean(summary_model));
    fit.validation_oracle = applies.iter().map(|s| f64::from(oracle(summary_model, s, budget))).sum::<f64>() / n;
}

/// The ROUGE-L F1 of the best of the combinations the compressor chooses among for `s`.
fn oracle(summary_model: &SummaryModel, s: &FeaturedText, budget: Budget) -> f32 {
    let reference = rouge::char_tokens(&s.reference);
    with_combinations(summary_model, s, budget, |_, units, all| {
        all.into_iter().map(|c| f1(&compress::shown(units, c).0, &reference)).fold(0.0, f32::max)
    })
    .unwrap_or(0.0)
}

/// `f` of the compressor's view of `s` ([`compress::Text`]), its units and their combinations
/// within the budget, as the summariser sees them; `None` where the compressor does not apply
/// or no combination fits.
fn with_combinations<R>(
    summary_model: &SummaryModel,
    s: &FeaturedText,
    budget: Budget,
    f: impl FnOnce(&compress::Text, &[compress::Unit], Vec<compress::Combo>) -> R,
) -> Option<R> {
    let sentences = as_shown(&s.sentences);
    let scores: Vec<f32> = s.features.iter().map(|f| summary_model.score(f)).collect();
    let document = s.document.as_deref().filter(|_| compress::applies(&sentences, budget))?;
    let text = compress::Text::new(&sentences, &s.vectors, &scores, document, &s.heading);
    let units = text.units(budget.max_chars);
    let all = compress::combos(&units, budget.max_chars);
    (!all.is_empty()).then(|| f(&text, &units, all))
}
