//! Fitting the trimmer ([`crate::summarize::clauses`]): which run of clauses of an over-long
//! sentence a summary keeps.

use serde::Serialize;

use super::{centred, f1, summarise, FeaturedText};
use crate::eval::rouge;
use crate::fit::ridge::Linear;
use crate::sentences::Sentence;
use crate::summarize::clauses::{self, Lexicon, MIN_RUN_CHARS, RUN_FEATURES};
use crate::summarize::learnt::SummaryModel;
use crate::summarize::{as_shown, is_short, Budget};

/// How the trimmer was fitted, and what it does on the validation texts whose summary it
/// changes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TrimmerFit {
    /// Over-long sentences and their runs it was fitted on.
    pub sentences: usize,
    pub runs: usize,
    /// Validation texts whose summary the trimmer changes, and those summaries' mean ROUGE-L
    /// F1 cut after the last clause that fits and trimmed by the fitted model.
    pub validation_changed: usize,
    pub validation_cut: f64,
    pub validation_trimmed: f64,
}

/// Fits the scorer's trimmer ([`crate::summarize::clauses`]) on the runs of the over-long embedded sentences of the texts
/// of `scored` that get more than one sentence (as the model method trims them: openings
/// trimmed), each sentence weighing its text's weight. `None` where there is nothing to fit.
pub fn fit_trimmer(
    summary_model: &mut SummaryModel,
    scored: &[FeaturedText],
    weights: &[f32],
    budget: Budget,
    ridge: f64,
) -> Option<TrimmerFit> {
    let mut rows = Vec::new();
    let mut sentences_used = 0;
    for (s, &weight) in scored.iter().zip(weights) {
        let sentences = as_shown(&s.sentences);
        if is_short(&sentences, budget.max_chars) {
            continue;
        }
        let over: Vec<usize> = (0..s.targets.len()).filter(|&i| sentences[i].chars > budget.max_chars).collect();
        sentences_used += over.len();
        let reference = rouge::char_tokens(&s.reference);
        rows.extend(self::rows(&s.heading, &sentences, &over, budget.max_chars, weight, |run| f1(run, &reference)));
    }
    summary_model.trimmer = Some(Linear::fit(&RUN_FEATURES, &rows, ridge)?);
    Some(TrimmerFit { sentences: sentences_used, runs: rows.len(), ..TrimmerFit::default() })
}

/// Measures `summary_model`'s trimmer on the `held` texts whose summary it changes (see
/// [`TrimmerFit`]).
pub fn measure_trimmer(fit: &mut TrimmerFit, summary_model: &SummaryModel, held: &[FeaturedText], budget: Budget) {
    let without = SummaryModel { trimmer: None, ..summary_model.clone() };
    let (mut changed, mut cut, mut kept) = (0usize, 0.0, 0.0);
    for s in held {
        let (before, after) = (summarise(&without, s, budget), summarise(summary_model, s, budget));
        if before.text != after.text {
            let reference = rouge::char_tokens(&s.reference);
            let f1 = |text: &str| rouge::score(&rouge::char_tokens(text), &reference).rouge_l.f1;
            (changed, cut, kept) = (changed + 1, cut + f1(&before.text), kept + f1(&after.text));
        }
    }
    let n = changed.max(1) as f64;
    (fit.validation_changed, fit.validation_cut, fit.validation_trimmed) = (changed, cut / n, kept / n);
}

/// One training row per run: features, target and weight.
pub type RunRow = ([f32; RUN_FEATURES.len()], f32, f32);

/// Training rows from one article's over-long sentences (`sentences` longer than `max_chars`):
/// each run's features and, as the target, its ROUGE-L F1 against `reference` (by `rouge`)
/// less the mean of its sentence's runs; each sentence weighs `weight` in all.
pub fn rows(
    heading: &str,
    sentences: &[Sentence],
    over: &[usize],
    max_chars: usize,
    weight: f32,
    rouge: impl Fn(&str) -> f32,
) -> Vec<RunRow> {
    let lexicon = Lexicon::new(heading, sentences);
    let mut out = Vec::new();
    for &i in over {
        let mut runs = clauses::runs(&sentences[i].text, max_chars, MIN_RUN_CHARS, usize::MAX);
        let opening = clauses::opening_clauses(&sentences[i].text);
        runs.retain(|run| run.first <= opening);
        if runs.is_empty() {
            continue;
        }
        let targets: Vec<f32> = runs.iter().map(|r| rouge(&r.text)).collect();
        out.extend(centred(runs.iter().map(|r| lexicon.features(r)), &targets, weight));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summarize::clauses::best;
    use crate::text::char_len;

    fn sentence(text: &str) -> Sentence {
        Sentence { text: text.to_owned(), paragraph: 0, chars: char_len(text) }
    }

    #[test]
    fn a_fitted_trimmer_keeps_what_the_references_keep() {
        // References keep what happened, never the opening time and source clauses.
        let texts = [
            ("冬季供暖", "据新华社报道，昨天下午，市政府召开常务会议，部署冬季供暖工作，要求各区确保居民按时供暖，会议由市长主持。", "市政府部署冬季供暖工作，要求各区确保居民按时供暖。"),
            ("春运", "据本报记者了解，今年以来，交通运输部门加强春运组织，增开旅客列车五百余列，确保旅客平安回家，各地积极配合。", "交通运输部门加强春运组织，增开旅客列车五百余列，确保旅客平安回家。"),
            ("粮食", "据统计，截至目前，全国粮食总产量再创新高，达到一万三千亿斤以上，连续多年保持稳定，农民收入持续增长。", "全国粮食总产量再创新高，达到一万三千亿斤以上，连续多年保持稳定。"),
        ];
        let mut rows = Vec::new();
        for (heading, text, reference) in texts {
            let sentences = vec![sentence(text)];
            let score = |run: &str| rouge::score_text(run, reference).rouge_l.f1 as f32;
            rows.extend(super::rows(heading, &sentences, &[0], 40, 1.0, score));
        }
        let trimmer = Linear::fit(&RUN_FEATURES, &rows, 0.1).expect("fits");
        assert!(trimmer.fits(&RUN_FEATURES));
        let text =
            "据新华社报道，昨天上午，省政府召开专题会议，部署秋冬季森林防火工作，要求各地严防死守，会议由省长主持。";
        let sentences = vec![sentence(text)];
        let best = best(&trimmer, &Lexicon::new("森林防火", &sentences), text, 40).expect("a run");
        assert!(!best.text.starts_with("据新华社报道"), "{}", best.text);
        assert!(best.text.contains("部署秋冬季森林防火工作"), "{}", best.text);
    }
}
