//! Fitting the tightener ([`tighten`]): what a short text's one-sentence summary keeps.

use serde::Serialize;

use super::{centred, f1, summarise, FeaturedText};
use crate::eval::rouge;
use crate::fit::ridge::Linear;
use crate::model::{Encoder, Intent};
use crate::sentences::Sentence;
use crate::summarize::learnt::SummaryModel;
use crate::summarize::tighten::{self, Choice, TIGHT_FEATURES};
use crate::summarize::{as_shown, Budget};
use crate::train::TrainError;

/// How the tightener was fitted, and how the one-sentence summaries it makes score, against
/// the best sentence cut to fit: on the texts it was fitted on, and on the validation texts
/// meant to get one sentence.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TightenerFit {
    pub texts: usize,
    pub choices: usize,
    pub untightened: f64,
    pub tightened: f64,
    pub validation_texts: usize,
    pub validation_untightened: f64,
    pub validation_tightened: f64,
}

/// The choices of each text of `scored` meant to get one sentence: the text's index, the
/// choices' features and their ROUGE-L F1 against the reference.
type Choices = Vec<(usize, Vec<[f32; TIGHT_FEATURES.len()]>, Vec<f32>)>;

fn choices(
    encoder: &dyn Encoder,
    summary_model: &SummaryModel,
    scored: &[FeaturedText],
    budget: Budget,
    progress: &dyn Fn(usize),
) -> Result<Choices, TrainError> {
    let mut out = Vec::new();
    let indices: Vec<usize> = (0..scored.len()).collect();
    for chunk in indices.chunks(256) {
        let sentences: Vec<Vec<Sentence>> = chunk.iter().map(|&i| as_shown(&scored[i].sentences)).collect();
        let scores: Vec<Vec<f32>> =
            chunk.iter().map(|&i| scored[i].features.iter().map(|f| summary_model.score(f)).collect()).collect();
        let texts: Vec<Option<tighten::Text>> = chunk
            .iter()
            .zip(&sentences)
            .zip(&scores)
            .map(|((&i, sentences), scores)| {
                tighten::text(sentences, &scored[i].vectors, scores, scored[i].document.as_deref(), budget)
            })
            .collect();
        let offered: Vec<Vec<Choice>> =
            texts.iter().map(|t| t.as_ref().map(|t| t.choices(budget.max_chars)).unwrap_or_default()).collect();
        let queries: Vec<&str> = offered.iter().flatten().filter_map(Choice::query).collect();
        let mut vectors = encoder.embed(&queries, Intent::Query)?.into_iter();
        for ((&i, text), offered) in chunk.iter().zip(&texts).zip(&offered) {
            let Some(text) = text else { continue };
            let features = text.features(offered, &mut vectors);
            let reference = rouge::char_tokens(&scored[i].reference);
            let targets = offered.iter().map(|c| f1(&c.run.text, &reference));
            if !offered.is_empty() {
                out.push((i, features, targets.collect()));
            }
        }
        progress(chunk.len());
    }
    Ok(out)
}

/// Mean ROUGE-L F1 of the texts' summaries before and after tightening by `tightener`.
fn tightening(
    summary_model: &SummaryModel,
    tightener: &Linear,
    scored: &[FeaturedText],
    table: &Choices,
    budget: Budget,
) -> (f64, f64) {
    let (mut before, mut after) = (0.0, 0.0);
    for (i, features, targets) in table {
        let s = &scored[*i];
        let summary = summarise(summary_model, s, budget);
        before += rouge::score_text(&summary.text, &s.reference).rouge_l.f1;
        after += tighten::best(tightener, features).map_or(0.0, |b| f64::from(targets[b]));
    }
    let n = table.len().max(1) as f64;
    (before / n, after / n)
}

/// Fits the scorer's tightener ([`tighten`]) on the choices of the texts of `scored` meant to
/// get one sentence (their runs embedded by `encoder`), each text weighing its weight, and
/// measures it on them. `None` where there is nothing to fit.
pub fn fit_tightener(
    summary_model: &mut SummaryModel,
    encoder: &dyn Encoder,
    scored: &[FeaturedText],
    weights: &[f32],
    budget: Budget,
    ridge: f64,
    progress: &dyn Fn(usize),
) -> Result<Option<TightenerFit>, TrainError> {
    let table = choices(encoder, summary_model, scored, budget, progress)?;
    let rows: Vec<_> = table.iter().flat_map(|(i, features, rouge)| rows(features, rouge, weights[*i])).collect();
    let Some(tightener) = Linear::fit(&TIGHT_FEATURES, &rows, ridge) else {
        return Ok(None);
    };
    let (untightened, tightened) = tightening(summary_model, &tightener, scored, &table, budget);
    summary_model.tightener = Some(tightener);
    Ok(Some(TightenerFit {
        texts: table.len(),
        choices: rows.len(),
        untightened,
        tightened,
        ..TightenerFit::default()
    }))
}

/// Measures `summary_model`'s tightener on the `held` texts meant to get one sentence (see
/// [`TightenerFit`]).
pub fn measure_tightener(
    fit: &mut TightenerFit,
    summary_model: &SummaryModel,
    encoder: &dyn Encoder,
    held: &[FeaturedText],
    budget: Budget,
    progress: &dyn Fn(usize),
) -> Result<(), TrainError> {
    let Some(tightener) = &summary_model.tightener else { return Ok(()) };
    let table = choices(encoder, summary_model, held, budget, progress)?;
    (fit.validation_untightened, fit.validation_tightened) = tightening(summary_model, tightener, held, &table, budget);
    fit.validation_texts = table.len();
    Ok(())
}

/// One training row per choice: features, target and weight.
pub type ChoiceRow = ([f32; TIGHT_FEATURES.len()], f32, f32);

/// Training rows from one text's choices, their features and their ROUGE-L F1 against the
/// reference: each target is taken less the mean of the text's choices, and the text weighs
/// `weight` in all.
pub fn rows(features: &[[f32; TIGHT_FEATURES.len()]], rouge: &[f32], weight: f32) -> Vec<ChoiceRow> {
    centred(features.iter().copied(), rouge, weight).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summarize::tighten::tests::{embedded, sentences, CharCounts};
    use crate::summarize::tighten::{applies, choose_best, Text};
    use crate::summarize::Summary;
    use crate::text::char_len;

    #[test]
    fn a_fitted_tightener_keeps_what_the_headlines_keep() {
        // Each post's headline is what happened: the clause after the source and the time.
        let posts = [
            (
                ["据新华社报道，昨天下午，市政府部署冬季供暖工作，各区负责人参加。", "会议还研究了其他事项。"],
                "市政府部署冬季供暖工作",
            ),
            (
                ["据本报记者了解，今年以来，交通部门增开旅客列车五百余列，各地积极配合。", "春运期间客流平稳。"],
                "交通部门增开旅客列车五百余列",
            ),
            (
                ["据统计，截至目前，全国粮食总产量再创新高，农民收入持续增长。", "各地秋收进展顺利。"],
                "全国粮食总产量再创新高",
            ),
            (
                ["据有关方面透露，本周一上午，省教育厅发布招生新规，考生家长十分关注。", "新规将于明年实施。"],
                "省教育厅发布招生新规",
            ),
        ];
        let mut rows = Vec::new();
        for (texts, headline) in posts {
            let post = sentences(&texts);
            let (vectors, document) = embedded(&post);
            let text = Text { sentences: &post, vectors: &vectors, scores: &[0.1, 0.0], document: &document };
            let choices = text.choices(80);
            let queries: Vec<&str> = choices.iter().filter_map(Choice::query).collect();
            let mut run_vectors = CharCounts.embed(&queries, Intent::Query).unwrap().into_iter();
            let features = text.features(&choices, &mut run_vectors);
            let rouge: Vec<f32> =
                choices.iter().map(|c| rouge::score_text(&c.run.text, headline).rouge_l.f1 as f32).collect();
            rows.extend(self::rows(&features, &rouge, 1.0));
        }
        let tightener = Linear::fit(&TIGHT_FEATURES, &rows, 0.1).expect("fits");
        assert!(tightener.fits(&TIGHT_FEATURES));
        let post = sentences(&["据本台消息，昨天上午，省政府部署森林防火工作，各地严阵以待。", "会议由省长主持。"]);
        let (vectors, document) = embedded(&post);
        let texts = [Some(Text { sentences: &post, vectors: &vectors, scores: &[0.1, 0.0], document: &document })];
        let budget = Budget { max_chars: 80, sentences: None };
        assert!(applies(&post, budget));
        let mut summaries = vec![Summary { text: post[0].text.clone(), sentences: vec![0] }];
        choose_best(&CharCounts, &tightener, &mut summaries, &texts, budget).unwrap();
        let kept = &summaries[0].text;
        assert!(kept.contains("省政府部署森林防火工作") && !kept.starts_with("据本台消息"), "{kept}");
        assert!(char_len(kept) < post[0].chars, "{kept}");
        assert_eq!(summaries[0].sentences, [0]);
        // A text without its vectors is left as it is.
        let before = summaries.clone();
        choose_best(&CharCounts, &tightener, &mut summaries, &[None], budget).unwrap();
        assert_eq!(summaries, before);
    }
}
