//! Fitting the sentence scorer's linear model, and choosing how the summariser selects by its
//! scores (the redundancy penalty and the floor) on held-out texts.

use serde::Serialize;

use super::{centred, summary_rouge, FeaturedText, Row};
use crate::fit::first_argmax;
use crate::fit::ridge::Linear;
use crate::model::Encoder;
use crate::summarize::learnt::SummaryModel;
use crate::summarize::scorer::FEATURES;
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

pub fn held_out(scorer: &SummaryModel, scored: &[FeaturedText]) -> Held {
    let mut held = Held::default();
    for s in scored.iter().filter(|s| !s.targets.is_empty()) {
        let scores: Vec<f32> = s.features.iter().map(|f| scorer.score(f)).collect();
        let best = first_argmax(&scores).unwrap_or(0);
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
pub fn rows(scored: &[FeaturedText], weights: &[f32]) -> Vec<Row> {
    scored.iter().zip(weights).flat_map(|(s, &w)| centred(s.features.iter().copied(), &s.targets, w)).collect()
}

/// Fits a scorer for `encoder` on `rows` (no redundancy penalty, no floor: see
/// [`choose_selection`]).
pub fn fit(encoder: &dyn Encoder, rows: &[Row], ridge: f64) -> Option<SummaryModel> {
    Some(SummaryModel {
        encoder: encoder.id().to_owned(),
        article_vector: crate::summarize::learnt::ARTICLE_VECTOR.to_owned(),
        sentence_scorer: Linear::fit(&FEATURES, rows, ridge)?,
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

/// Chooses the scorer's redundancy penalty and floor ([`SummaryModel::redundancy`],
/// [`SummaryModel::min_score`]) by the summaries' mean ROUGE-L F1 on `held` texts; returns the grid.
pub fn choose_selection(scorer: &mut SummaryModel, held: &[FeaturedText], budget: Budget) -> Vec<Selection> {
    let mut grid = Vec::new();
    for redundancy in [0.0, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0] {
        for min_score in [f32::MIN, -0.1, -0.05, 0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35] {
            let candidate = SummaryModel { redundancy, min_score, ..scorer.clone() };
            grid.push(Selection { redundancy, min_score, rouge_l: summary_rouge(&candidate, held, budget) });
        }
    }
    if let Some(best) = grid.iter().max_by(|a, b| a.rouge_l.total_cmp(&b.rouge_l)) {
        (scorer.redundancy, scorer.min_score) = (best.redundancy, best.min_score);
    }
    grid
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summarize::ranked;
    use crate::summarize::tighten::tests::CharCounts;
    use crate::train::summarizer::{score_examples, SummarizedText};

    /// Made-up articles: a headline, and three sentences of which one says what the headline
    /// says (at a different place in each) and is the reference; the others say other things.
    const ARTICLES: [(&str, [&str; 3], usize); 6] = [
        (
            "市政府部署冬季供暖工作",
            [
                "昨天天气晴朗，气温略有回升，市民出行顺利。",
                "市政府召开会议，部署冬季供暖工作，确保居民温暖过冬。",
                "会后，与会人员参观了新建的城市公园。",
            ],
            1,
        ),
        (
            "交通部门增开春运列车",
            [
                "交通部门增开春运列车五百余列，保障旅客平安回家。",
                "当天下午，车站广场上人来人往，十分热闹。",
                "志愿者们为旅客送上热茶和点心。",
            ],
            0,
        ),
        (
            "全国粮食总产量再创新高",
            [
                "秋天的田野一片金黄，农民们忙着收割。",
                "村里的文艺队还排练了新的节目。",
                "统计显示，全国粮食总产量再创新高，连续多年保持稳定。",
            ],
            2,
        ),
        (
            "省教育厅发布招生新规",
            [
                "校园里的银杏叶黄了，学生们在树下读书。",
                "省教育厅发布招生新规，明确考生报名条件和录取办法。",
                "食堂推出了几道新菜，受到师生欢迎。",
            ],
            1,
        ),
        (
            "港口集装箱吞吐量稳步增长",
            [
                "港口集装箱吞吐量稳步增长，前十个月同比增长百分之八。",
                "海边的渔民一早就出海捕鱼。",
                "傍晚时分，游客们在沙滩上散步拍照。",
            ],
            0,
        ),
        (
            "市图书馆延长开放时间",
            [
                "周末的广场上，孩子们放起了风筝。",
                "一场小雨过后，空气格外清新。",
                "市图书馆延长开放时间，每天晚上开放到十点。",
            ],
            2,
        ),
    ];

    fn example(heading: &str, sentences: &[&str], reference: &str) -> SummarizedText {
        let body = format!("\u{3000}\u{3000}{}\n", sentences.join(""));
        let article = crate::segment::single(&body, Some(heading)).expect("an article");
        SummarizedText { article, reference: reference.to_owned(), source: "made-up".to_owned(), kind: None }
    }

    fn scored_articles(articles: &[(&str, [&str; 3], usize)]) -> Vec<FeaturedText> {
        let examples: Vec<SummarizedText> =
            articles.iter().map(|(heading, sentences, key)| example(heading, sentences, sentences[*key])).collect();
        score_examples(&CharCounts, &examples, &ranked::EmbedLimits::default(), 80, &|_| {}).expect("embedded")
    }

    /// The scorer fitted on the articles, and those articles scored.
    fn fitted() -> (SummaryModel, Vec<FeaturedText>) {
        let scored = scored_articles(&ARTICLES);
        assert!(scored.iter().all(|s| s.targets.len() == 3), "three embedded sentences each");
        let rows = rows(&scored, &vec![1.0; scored.len()]);
        (fit(&CharCounts, &rows, 0.1).expect("fits"), scored)
    }

    #[test]
    fn the_fitted_scorer_puts_the_sentence_like_the_reference_first() {
        let (scorer, scored) = fitted();
        assert_eq!(scorer.encoder, "char-counts");
        let held = held_out(&scorer, &scored);
        assert_eq!(held.texts, ARTICLES.len());
        assert!((held.scorer - held.oracle).abs() < 1e-9, "{held:?}");
        assert!(held.scorer > held.lead, "{held:?}");
        // And on an article it was not fitted on.
        let unseen = scored_articles(&[(
            "新建学校秋季开学",
            [
                "清晨的街道上，环卫工人正在清扫落叶。",
                "新建学校秋季开学，可容纳两千名学生就读。",
                "附近的早餐店排起了长队。",
            ],
            1,
        )]);
        let scores: Vec<f32> = unseen[0].features.iter().map(|f| scorer.score(f)).collect();
        assert_eq!(crate::fit::argmax(&scores), Some(1), "{scores:?}");
    }

    #[test]
    fn the_selection_is_the_setting_whose_summaries_score_best() {
        // Longer articles, so that a summary may take a second sentence, which the references
        // never hold: a floor on the scores keeps it out.
        let filler = [
            "路边的花坛里，各色菊花开得正艳，吸引了不少市民驻足观赏。",
            "附近的商店也早早开门营业，店员们忙着整理货架。",
        ];
        let examples: Vec<SummarizedText> = ARTICLES
            .iter()
            .map(|(heading, sentences, key)| {
                let all: Vec<&str> = sentences.iter().chain(&filler).copied().collect();
                example(heading, &all, sentences[*key])
            })
            .collect();
        let scored =
            score_examples(&CharCounts, &examples, &ranked::EmbedLimits::default(), 52, &|_| {}).expect("embedded");
        let mut scorer = fit(&CharCounts, &rows(&scored, &vec![1.0; scored.len()]), 0.1).expect("fits");
        let budget = Budget { max_chars: 52, sentences: None };
        let grid = choose_selection(&mut scorer, &scored, budget);
        assert_eq!(grid.len(), 7 * 11);
        let best = grid.iter().map(|g| g.rouge_l).fold(f64::MIN, f64::max);
        let chosen = grid
            .iter()
            .find(|g| g.redundancy == scorer.redundancy && g.min_score == scorer.min_score)
            .expect("the chosen setting is in the grid");
        assert_eq!(chosen.rouge_l, best, "{grid:?}");
        assert_eq!(summary_rouge(&scorer, &scored, budget), best);
        // Without a floor the summaries take a second sentence and score less.
        assert!(grid.iter().any(|g| g.rouge_l < best), "{grid:?}");
        assert!(scorer.min_score > f32::MIN, "{grid:?}");
    }
}
