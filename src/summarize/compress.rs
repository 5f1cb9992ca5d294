//! Compressive summaries of long texts: what a summary keeps is not whole sentences but the
//! clauses that say most, from one sentence or two.
//!
//! A reader's summary of a newspaper article gathers the facts of two or three sentences into
//! one line; the article's whole sentences rarely fit the budget together, and its best
//! sentence alone often says only half. So each of the embedded sentences offers its runs of up
//! to [`MAX_CLAUSES`] clauses and itself whole ([`units`](Text::units)), each a sentence a
//! reader can read alone ([`clauses::runs`]), and a summary is one unit or two units of
//! different sentences, in article order, within the budget, each starting its sentence or only
//! following clauses that frame it ([`clauses::opening_clauses`]) ([`combos`]). A linear model
//! (the compressor) rates each on a few numbers ([`FEATURES`]): the scorer's scores of its
//! sentences and their similarity to the article, how alike the two are, where they sit, how
//! much of them is kept, how much of the headline it holds, its length. `jianbao
//! train-summarizer` fits it on the annotated newspaper articles to order each article's
//! combinations as their character ROUGE-L F1 against the hand-written summary does (a
//! pairwise ranking, [`crate::fit::rank`]): what matters is which combination comes first, not
//! how well each is rated.

use super::clauses::{self, Lexicon, Run};
use super::readable;
use super::words::letters;
use super::{is_short, Budget};
use crate::fit::dot;
use crate::fit::ridge::Linear;
use crate::sentences::Sentence;
use crate::text::{self, char_len};

/// The features of a combination, in the order of the compressor's weights.
pub const FEATURES: [&str; 25] = [
    "score_sum",
    "score_max",
    "score_min",
    "cosine_sum",
    "cosine_max",
    "pair",
    "pair_cosine",
    "first_position",
    "last_position",
    "adjacent",
    "whole_units",
    "kept",
    "starts_late",
    "head_recall",
    "head_share",
    "shared_bigrams",
    "chars",
    "chars_squared",
    "numbers",
    "quotation",
    "chars_under_30",
    "chars_30_45",
    "chars_45_60",
    "chars_60_70",
    "chars_70_up",
];

/// Clauses a unit holds at most. Whole sentences of more clauses are units too, where they fit.
pub const MAX_CLAUSES: usize = 4;

/// A unit keeps at least this many characters.
const MIN_CHARS: usize = 12;

/// Units per text at most, in the order of their sentences, so that the combinations to rate
/// stay bounded (at most `MAX_UNITS²/2`).
pub const MAX_UNITS: usize = 48;

/// One piece a compressed summary is made of: a run of clauses of an embedded sentence, or the
/// sentence whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Which sentence it comes from.
    pub sentence: usize,
    pub run: Run,
    /// Characters as a summary shows it.
    pub chars: usize,
    /// Whether a summary may hold it: it starts its sentence, or only clauses that frame it come
    /// before ([`clauses::opening_clauses`]). A unit that starts further on lacks its subject
    /// (`是辽宁盘锦二界沟居民对…的俗称`), first in a summary or second. Such units are offered
    /// but never combined: the units of a text are its first [`MAX_UNITS`] runs, and counting
    /// them keeps the choice among the earlier sentences (on the validation articles, 0.2
    /// ROUGE-L better than leaving them out before the count).
    pub opens: bool,
}

/// A text's embedded sentences, as the combinations' features read them.
pub struct Text<'a> {
    /// The text's candidates, as the summary shows them (openings trimmed).
    pub sentences: &'a [Sentence],
    /// The query vector and the scorer's score of each embedded sentence.
    pub vectors: &'a [Vec<f32>],
    pub scores: &'a [f32],
    /// The article's vector ([`super::ranked::Embedded::document`]).
    pub document: &'a [f32],
    /// The headline's bigrams and the sentences' shared words.
    pub lexicon: Lexicon,
    /// The heading's letters, digits and characters.
    heading: String,
}

/// One unit, or two units of different sentences in article order (indices into the units).
pub type Combo = (usize, Option<usize>);

impl<'a> Text<'a> {
    /// The compressor's view of a text: its sentences as the summary shows them, the query
    /// vectors and scores of the embedded ones, its passage vector and its heading.
    pub fn new(
        sentences: &'a [Sentence],
        vectors: &'a [Vec<f32>],
        scores: &'a [f32],
        document: &'a [f32],
        heading: &str,
    ) -> Text<'a> {
        let lexicon = Lexicon::new(heading, sentences);
        Text { sentences, vectors, scores, document, lexicon, heading: letters(heading) }
    }

    /// How many of the sentences are embedded (have a vector and a score).
    fn embedded(&self) -> usize {
        self.vectors.len().min(self.scores.len()).min(self.sentences.len())
    }

    /// The units within `max_chars`: each embedded sentence's runs of up to [`MAX_CLAUSES`]
    /// clauses, and the sentence whole where it fits and stands alone, of every sentence that is
    /// not half of someone speaking, their words or their speaker alone
    /// ([`readable::half_of_speech`]); at most [`MAX_UNITS`].
    /// A run that only says what the heading says (`…会议强调，加快现代化经济体系建设。` under
    /// `加快现代化经济体系建设`) tells the reader nothing more, and is none.
    pub fn units(&self, max_chars: usize) -> Vec<Unit> {
        let mut out = Vec::new();
        for (k, sentence) in self.sentences[..self.embedded()].iter().enumerate() {
            if readable::half_of_speech(&sentence.text) {
                continue;
            }
            let mut runs = clauses::runs(&sentence.text, max_chars, MIN_CHARS, MAX_CLAUSES);
            runs.retain(|r| !self.heading.contains(&letters(&r.text)));
            let of = text::clauses(&sentence.text).len();
            let has_whole = runs.iter().any(|r| r.first == 0 && !r.is_cut());
            let opening = clauses::opening_clauses(&sentence.text);
            out.extend(runs.into_iter().map(|run| Unit {
                sentence: k,
                chars: char_len(&run.text),
                opens: run.first <= opening,
                run,
            }));
            let whole = clauses::ended(&sentence.text);
            let chars = char_len(&whole);
            if !has_whole && chars <= max_chars && clauses::whole_reads_alone(&sentence.text) {
                let run = Run { text: whole, chars: sentence.chars, first: 0, end: of, of };
                out.push(Unit { sentence: k, chars, opens: true, run });
            }
        }
        out.truncate(MAX_UNITS);
        out
    }

    /// The features of `combo` of `units`, in the order of [`FEATURES`].
    pub fn features(&self, units: &[Unit], combo: Combo) -> [f32; FEATURES.len()] {
        let parts: Vec<&Unit> = std::iter::once(&units[combo.0]).chain(combo.1.map(|b| &units[b])).collect();
        let scores: Vec<f32> = parts.iter().map(|u| self.scores[u.sentence]).collect();
        let cosines: Vec<f32> = parts.iter().map(|u| dot(&self.vectors[u.sentence], self.document)).collect();
        let (first, last) = (parts[0], parts[parts.len() - 1]);
        let pair_cosine =
            if parts.len() == 2 { dot(&self.vectors[first.sentence], &self.vectors[last.sentence]) } else { 0.0 };
        let shown = join(&parts);
        let chars = char_len(&shown) as f32;
        let whole: f32 = parts.iter().map(|u| f32::from(u8::from(!u.run.is_cut() && u.run.first == 0))).sum();
        let kept = parts.iter().map(|u| u.run.chars).sum::<usize>() as f32
            / parts.iter().map(|u| self.sentences[u.sentence].chars).sum::<usize>().max(1) as f32;
        let [recall, share, shared] = self.lexicon.words(&shown);
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        let band = |low: f32, high: f32| flag(chars >= low && chars < high);
        let sentences = self.embedded().max(1) as f32;
        [
            scores.iter().sum(),
            scores.iter().copied().fold(f32::MIN, f32::max),
            scores.iter().copied().fold(f32::MAX, f32::min),
            cosines.iter().sum(),
            cosines.iter().copied().fold(f32::MIN, f32::max),
            flag(parts.len() == 2),
            pair_cosine,
            first.sentence as f32 / sentences,
            last.sentence as f32 / sentences,
            flag(parts.len() == 2 && last.sentence == first.sentence + 1),
            whole / 2.0,
            kept,
            flag(first.run.first > 0),
            recall,
            share,
            shared,
            chars / 100.0,
            (chars / 100.0) * (chars / 100.0),
            flag(shown.chars().any(|c| c.is_ascii_digit())),
            flag(shown.contains(['“', '"', '「'])),
            band(0.0, 30.0),
            band(30.0, 45.0),
            band(45.0, 60.0),
            band(60.0, 70.0),
            band(70.0, f32::MAX),
        ]
    }
}

/// Whether a summary of `sentences` within `budget` is composed by the compressor: a text that
/// fills the budget, neither a short text (tightened instead) nor one asked for a number of
/// sentences.
pub fn applies(sentences: &[Sentence], budget: Budget) -> bool {
    budget.sentences.is_none() && !is_short(sentences, budget.max_chars)
}

/// The combinations of `units` within `max_chars`: each unit a summary may hold ([`Unit::opens`])
/// alone where it keeps [`MIN_CHARS`] (a sentence whole may be shorter: `“打铁火喽！”` alone says
/// nothing of the article), and with each such unit of a later sentence that does not repeat it
/// ([`readable::repeats`]). A summary tells: no unit that ends in a question is in one
/// ([`clauses::ends_in_question`]: `方舱医院内部保障如何，患者生活怎么样？`, nor a quoted one, which
/// leaves the reader with the question too), though an article may ask one to open what it goes
/// on to tell.
pub fn combos(units: &[Unit], max_chars: usize) -> Vec<Combo> {
    // Asked once for each unit, not for each pair.
    let may: Vec<bool> = units.iter().map(|u| u.opens && !clauses::ends_in_question(&u.run.text)).collect();
    let mut out: Vec<Combo> =
        (0..units.len()).filter(|&a| may[a] && units[a].chars >= MIN_CHARS).map(|a| (a, None)).collect();
    for (a, first) in units.iter().enumerate().filter(|&(a, _)| may[a]) {
        for (b, second) in units.iter().enumerate().skip(a + 1) {
            if may[b]
                && second.sentence > first.sentence
                && first.chars + second.chars <= max_chars
                && !readable::repeats(&first.run.text, &second.run.text)
            {
                out.push((a, Some(b)));
            }
        }
    }
    out
}

/// The units as a summary shows them, in article order.
fn join(parts: &[&Unit]) -> String {
    parts.iter().map(|u| u.run.text.as_str()).collect()
}

/// The summary text of `combo`, and the sentences it draws on, in article order.
pub fn shown(units: &[Unit], combo: Combo) -> (String, Vec<usize>) {
    let parts: Vec<&Unit> = std::iter::once(&units[combo.0]).chain(combo.1.map(|b| &units[b])).collect();
    (join(&parts), parts.iter().map(|u| u.sentence).collect())
}

/// The combination `compressor` rates best among those of `text` within `max_chars`: its text
/// and sentences; `None` where no unit fits. Unless `framed`, its units are told with their
/// demands last ([`clauses::demands_last`]); a commentary's own demand is what it argues, and
/// may open its summary.
pub fn best(compressor: &Linear, text: &Text, max_chars: usize, framed: bool) -> Option<(String, Vec<usize>)> {
    let units = text.units(max_chars);
    let (a, b) = rated_best(compressor, text, &units, max_chars, |_| true)?;
    let mut told: Vec<usize> = std::iter::once(a).chain(b).collect();
    if !framed {
        clauses::demands_last(&mut told, |&u| &units[u].run.text);
    }
    let (shown, mut from) = shown(&units, (told[0], told.get(1).copied()));
    from.sort_unstable();
    Some((shown, from))
}

/// [`best`] among the combinations whose first unit comes from a sentence `may_open` allows.
pub fn best_opening(
    compressor: &Linear,
    text: &Text,
    max_chars: usize,
    may_open: impl Fn(usize) -> bool,
) -> Option<(String, Vec<usize>)> {
    let units = text.units(max_chars);
    let combo = rated_best(compressor, text, &units, max_chars, may_open)?;
    Some(shown(&units, combo))
}

/// The combination of `units` that `compressor` rates best among those whose first unit comes
/// from a sentence `may_open` allows.
fn rated_best(
    compressor: &Linear,
    text: &Text,
    units: &[Unit],
    max_chars: usize,
    may_open: impl Fn(usize) -> bool,
) -> Option<Combo> {
    let (_, combo) = combos(units, max_chars)
        .into_iter()
        .filter(|&(a, _)| may_open(units[a].sentence))
        .map(|c| (compressor.score(&text.features(units, c)), c))
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(&a.1)))?;
    Some(combo)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::rank::{self, Group};

    fn sentences(texts: &[&str]) -> Vec<Sentence> {
        texts.iter().map(|t| Sentence::new(t, 0)).collect()
    }

    /// Made-up vectors of a text's sentences (the earlier, the closer to the article), with
    /// their scores and the article's vector.
    struct Embedded {
        vectors: Vec<Vec<f32>>,
        scores: Vec<f32>,
        document: Vec<f32>,
    }

    impl Embedded {
        fn new(scores: &[f32]) -> Embedded {
            let vectors = (0..scores.len()).map(|i| vec![1.0 / (i as f32 + 1.0), 0.5]).collect();
            Embedded { vectors, scores: scores.to_vec(), document: vec![1.0, 0.0] }
        }

        fn text<'a>(&'a self, sentences: &'a [Sentence], heading: &str) -> Text<'a> {
            Text::new(sentences, &self.vectors, &self.scores, &self.document, heading)
        }
    }

    /// The units within 80 characters of a text of `texts` with the sentences' `scores`.
    fn units_of(texts: &[&str], scores: &[f32], heading: &str) -> Vec<Unit> {
        let article = sentences(texts);
        let embedded = Embedded::new(scores);
        embedded.text(&article, heading).units(80)
    }

    #[test]
    fn units_and_combinations_fit_and_read_alone() {
        let article = sentences(&[
            "据新华社报道，昨天下午，市政府召开常务会议，部署冬季供暖工作，要求各区确保居民按时供暖，会议由市长主持。",
            "这是今年第三次专题部署供暖。",
            "全市今年新增供暖面积一千二百万平方米。",
        ]);
        let embedded = Embedded::new(&[0.2, 0.1, 0.0]);
        let t = embedded.text(&article, "供暖");
        let units = t.units(40);
        assert!(units.iter().all(|u| u.chars <= 40 && char_len(&u.run.text) == u.chars));
        // The second sentence points back: it is no unit.
        assert!(units.iter().all(|u| u.sentence != 1), "{units:?}");
        assert!(units.iter().any(|u| u.run.text == "市政府召开常务会议，部署冬季供暖工作。"), "{units:?}");
        let combos = combos(&units, 40);
        for &c in &combos {
            let (shown, from) = shown(&units, c);
            assert!(char_len(&shown) <= 40, "{shown}");
            assert!(from.windows(2).all(|w| w[0] < w[1]), "article order: {from:?}");
            assert_eq!(t.features(&units, c).len(), FEATURES.len());
        }
        assert!(combos.iter().any(|c| c.1.is_some()), "two units of different sentences combine");
        // No combination holds a unit that starts mid-sentence, without its subject
        // (`部署冬季供暖工作，…`), first or second.
        assert!(combos.iter().all(|&(a, b)| units[a].opens && b.is_none_or(|b| units[b].opens)));
        assert!(units.iter().any(|u| !u.opens && u.run.text.starts_with("部署")), "{units:?}");
        // A run that only says what the heading says is no unit.
        let restated = ["去年底召开的中央经济工作会议强调，加快现代化经济体系建设。"];
        let units = units_of(&restated, &[0.3], "加快现代化经济体系建设（深入学习）");
        assert!(units.iter().all(|u| u.run.text != "加快现代化经济体系建设。"), "{units:?}");
        assert!(!units_of(&restated, &[0.3], "稳住经济基本盘").is_empty());
        // A cry, someone's words alone, is no unit: the summary would give it with no one to
        // say it.
        let cry = ["“打铁火喽！”", "罗庄村的村民最期待的当数新春庙会晚上那场打铁火仪式了。"];
        let units = units_of(&cry, &[0.3, 0.1], "打铁火");
        assert!(units.iter().all(|u| u.sentence == 1), "{units:?}");
        assert!(!super::combos(&units, 80).is_empty());
        // One too short to say anything is no summary alone.
        let short = ["铁火飞溅。", "罗庄村的村民最期待的当数新春庙会晚上那场打铁火仪式了。"];
        let units = units_of(&short, &[0.3, 0.1], "打铁火");
        assert!(units.iter().any(|u| u.run.text == "铁火飞溅。"), "{units:?}");
        let cut = super::combos(&units, 80);
        assert!(cut.iter().all(|&c| c.1.is_some() || units[c.0].chars >= MIN_CHARS), "{cut:?}");
        assert!(!cut.is_empty());
        // A question is no part of a summary.
        let asked = [
            "武汉已建成16家方舱医院，累计收治患者1万余人。",
            "方舱医院内部保障如何，患者生活怎么样？",
            "记者走进武昌方舱医院，看到患者在医护人员带领下做操。",
        ];
        let units = units_of(&asked, &[0.1, 0.3, 0.0], "方舱医院");
        assert!(units.iter().any(|u| u.sentence == 1), "the question is a unit: {units:?}");
        let told = super::combos(&units, 80);
        assert!(!told.is_empty());
        assert!(told.iter().all(|&(a, b)| units[a].sentence != 1 && b.is_none_or(|b| units[b].sentence != 1)));
    }

    #[test]
    fn a_fitted_compressor_keeps_what_the_references_keep() {
        // References gather the event of the first sentence and the figure of the third.
        let make = |topic: &str, figure: &str| {
            sentences(&[
                &format!("据本报记者了解，今年以来，{topic}工作扎实推进，各项任务有序开展，取得明显成效。"),
                "有关负责人介绍了相关情况。",
                &format!("全年累计完成{figure}，同比增长百分之十二。"),
            ])
        };
        let cases = [("冬季供暖", "投资五十亿元"), ("春运保障", "运送旅客三亿人次"), ("粮食生产", "播种面积一亿亩")];
        let mut groups = Vec::new();
        for (topic, figure) in cases {
            let article = make(topic, figure);
            let reference = format!("{topic}工作扎实推进，全年累计完成{figure}。");
            let embedded = Embedded::new(&[0.1, 0.0, 0.1]);
            let t = embedded.text(&article, topic);
            let units = t.units(60);
            let all = combos(&units, 60);
            let targets: Vec<f32> = all
                .iter()
                .map(|&c| crate::eval::rouge::score_text(&shown(&units, c).0, &reference).rouge_l.f1 as f32)
                .collect();
            let features = all.iter().map(|&c| t.features(&units, c)).collect();
            groups.push(Group { features, targets, weight: 1.0 });
        }
        let compressor = rank::pairwise(&FEATURES, &groups, &rank::Settings::default()).expect("fits");
        let article = make("防汛抗旱", "加固堤防三千公里");
        let embedded = Embedded::new(&[0.1, 0.0, 0.1]);
        let t = embedded.text(&article, "防汛抗旱");
        let (summary, from) = best(&compressor, &t, 60, false).expect("a summary");
        assert!(summary.contains("防汛抗旱工作扎实推进") && summary.contains("加固堤防三千公里"), "{summary}");
        assert_eq!(from, [0, 2]);
        assert!(char_len(&summary) <= 60);
        // A demand goes after what does not open on one, unless the summary is framed.
        let demanded = sentences(&[
            "要把防汛抗旱工作扎实推进，各项任务有序开展，取得明显成效。",
            "有关负责人介绍了相关情况。",
            "全年累计完成加固堤防三千公里，同比增长百分之十二。",
        ]);
        let t = embedded.text(&demanded, "防汛抗旱");
        let (told, from) = best(&compressor, &t, 60, false).expect("a summary");
        assert!(told.starts_with("全年累计完成") && told.contains("要把防汛抗旱"), "{told}");
        assert_eq!(from, [0, 2]);
        let (framed, _) = best(&compressor, &t, 60, true).expect("a summary");
        assert!(framed.starts_with("要把防汛抗旱"), "{framed}");
    }
}
