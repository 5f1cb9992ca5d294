//! Which clauses a one-sentence summary keeps.
//!
//! A post or a brief (a text shorter than two budgets) gets a one-sentence summary. The
//! headline a person gives a post is much shorter than its sentences (LCSTS PART II: 18
//! characters for posts of 108), and it often says what a clause of another sentence says
//! rather than what the best sentence says whole. So every run of up
//! to [`MAX_CLAUSES`] clauses of each embedded sentence, and each whole sentence that fits, is a
//! [`Choice`]; the runs are embedded as queries, and a linear model (the tightener) scores each
//! choice on [`TIGHT_FEATURES`]: the run's similarity to the article, its sentence's similarity
//! and the sentence scorer's score, where the sentence and the run sit, its length (also in
//! bands, since the best length is not a straight line), how much of the article repeats its
//! words, figures, quotation and questions. `jianbao train-summarizer` fits it on the texts meant
//! to get one sentence (the LCSTS PART II training posts), each choice's target its ROUGE-L F1
//! against the reference less the mean of its text's choices
//! ([`crate::train::summarizer::tightener`]).
//!
//! On LCSTS PART II validation posts, ROUGE-L F1 rose from 23.4 (the best sentence's runs by
//! similarity less a length penalty) to 24.4; the oracle choice scores 37.6. Without the runs'
//! own similarity the model scores 21.9: the encoder's view of each run is what it chooses on.

use super::clauses::{self, Lexicon, Run, RUN_FEATURES};
use super::readable::points_back;
use super::{is_short, wanted_sentences, Budget, Summary};
use crate::fit::ridge::Linear;
use crate::fit::{dot, first_argmax};
use crate::model::{Encoder, Intent, ModelError};
use crate::sentences::Sentence;
use crate::text;

/// What a choice is on its own and in its text: the first of its features.
const OWN: [&str; 8] = [
    "cos_article",
    "cos_article_chars",
    "cos_article_squared",
    "sentence_cos_article",
    "sentence_score",
    "sentence_position",
    "first_sentence",
    "whole_sentence",
];

/// A choice's features go on with the trimmer's run features from this one on
/// ([`RUN_FEATURES`] without the two on the headline, which posts do not have).
const FROM_RUN: usize = 2;

/// The last of its features: a question mark, and the length bands but the last (60
/// characters and more).
const LAST: [&str; 9] = [
    "question",
    "chars_under_10",
    "chars_10_13",
    "chars_14_17",
    "chars_18_21",
    "chars_22_25",
    "chars_26_29",
    "chars_30_39",
    "chars_40_59",
];

/// The features of a choice, in the order of the tightener's weights: [`OWN`], the trimmer's
/// run features from [`FROM_RUN`] on, then [`LAST`].
pub const TIGHT_FEATURES: [&str; COUNT] = joined();

const COUNT: usize = OWN.len() + RUN_FEATURES.len() - FROM_RUN + LAST.len();

const fn joined() -> [&'static str; COUNT] {
    let mut out = [""; COUNT];
    let mut at = 0;
    while at < OWN.len() {
        out[at] = OWN[at];
        at += 1;
    }
    let mut run = FROM_RUN;
    while run < RUN_FEATURES.len() {
        out[at] = RUN_FEATURES[run];
        (at, run) = (at + 1, run + 1);
    }
    let mut last = 0;
    while last < LAST.len() {
        out[at + last] = LAST[last];
        last += 1;
    }
    out
}

/// Lower bounds of the length bands, in characters.
const BANDS: [usize; 9] = [0, 10, 14, 18, 22, 26, 30, 40, 60];

/// Runs of at most this many clauses are offered: runs of up to 4 and of up to 8 clauses scored
/// within 0.1 of 3 on the LCSTS PART II validation posts.
pub const MAX_CLAUSES: usize = 3;

/// At most this many choices per text, the first sentences' first: a bound on the encoder's
/// work for a text of many short clauses. Posts have 15 on average.
pub const MAX_CHOICES: usize = 64;

/// A run of clauses shorter than this many characters says too little to stand alone.
const MIN_CHARS: usize = 6;

/// What a one-sentence summary may be: a run of clauses of one of the embedded sentences, or
/// one of them whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Which sentence it comes from.
    pub sentence: usize,
    pub run: Run,
}

impl Choice {
    fn whole(&self) -> bool {
        self.run.first == 0 && self.run.end == self.run.of
    }

    /// The text to embed for it: `None` for a whole sentence, whose vector is the sentence's.
    pub fn query(&self) -> Option<&str> {
        (!self.whole()).then(|| self.run.words())
    }
}

/// A text's embedded sentences, as the choices' features read them.
pub struct Text<'a> {
    /// The text's candidates, as the summary shows them (openings trimmed).
    pub sentences: &'a [Sentence],
    /// The query vector and the scorer's score of each embedded sentence.
    pub vectors: &'a [Vec<f32>],
    pub scores: &'a [f32],
    /// The text's vector ([`super::ranked::Embedded::document`]).
    pub document: &'a [f32],
}

impl Text<'_> {
    /// The choices within `max_chars`: each embedded sentence's runs of up to [`MAX_CLAUSES`]
    /// clauses, then the sentence whole where it fits; a text of one sentence is never given
    /// back whole. At most [`MAX_CHOICES`].
    pub fn choices(&self, max_chars: usize) -> Vec<Choice> {
        let embedded = self.vectors.len().min(self.scores.len()).min(self.sentences.len());
        let mut out = Vec::new();
        for (k, sentence) in self.sentences[..embedded].iter().enumerate() {
            let runs = clauses::runs(&sentence.text, max_chars, MIN_CHARS, MAX_CLAUSES);
            let of = text::clauses(&sentence.text).len();
            out.extend(
                runs.into_iter().filter(|r| !(r.first == 0 && r.end == r.of)).map(|run| Choice { sentence: k, run }),
            );
            if self.sentences.len() > 1 && sentence.chars <= max_chars && !points_back(&sentence.text) {
                let run = Run { text: sentence.text.clone(), chars: sentence.chars, first: 0, end: of, of };
                out.push(Choice { sentence: k, run });
            }
        }
        out.truncate(MAX_CHOICES);
        out
    }

    /// The features of each choice; `vectors` yields the query vector of each choice that has
    /// a [`Choice::query`], in order.
    pub fn features(
        &self,
        choices: &[Choice],
        vectors: &mut impl Iterator<Item = Vec<f32>>,
    ) -> Vec<[f32; TIGHT_FEATURES.len()]> {
        let lexicon = Lexicon::new("", self.sentences);
        let n = self.sentences.len().max(1) as f32;
        choices
            .iter()
            .map(|choice| {
                let k = choice.sentence;
                let sentence_cos = dot(&self.vectors[k], self.document);
                let cos = match choice.query() {
                    Some(_) => vectors.next().map_or(sentence_cos, |v| dot(&v, self.document)),
                    None => sentence_cos,
                };
                let flag = |b: bool| if b { 1.0 } else { 0.0 };
                let chars = choice.run.chars as f32 / 100.0;
                let run = lexicon.features(&choice.run);
                let mut out = [0f32; TIGHT_FEATURES.len()];
                let own: [f32; OWN.len()] = [
                    cos,
                    cos * chars,
                    cos * cos,
                    sentence_cos,
                    self.scores[k],
                    k as f32 / n,
                    flag(k == 0),
                    flag(choice.whole()),
                ];
                let lexical = &run[FROM_RUN..];
                let (first, last) = out.split_at_mut(OWN.len() + lexical.len());
                first[..OWN.len()].copy_from_slice(&own);
                first[OWN.len()..].copy_from_slice(lexical);
                last[0] = flag(choice.run.text.contains(['？', '?']));
                let band = BANDS.iter().rposition(|&b| choice.run.chars >= b).unwrap_or(0);
                if band + 1 < BANDS.len() {
                    last[1 + band] = 1.0;
                }
                out
            })
            .collect()
    }
}

/// Replaces the summary of each text that has one here ([`text`]) with the choice of the text
/// that `tightener` scores best. The runs of all those texts are embedded in one call.
pub fn choose_best(
    encoder: &dyn Encoder,
    tightener: &Linear,
    summaries: &mut [Summary],
    texts: &[Option<Text<'_>>],
    budget: Budget,
) -> Result<(), ModelError> {
    let choices: Vec<Vec<Choice>> =
        texts.iter().map(|t| t.as_ref().map(|t| t.choices(budget.max_chars)).unwrap_or_default()).collect();
    let queries: Vec<&str> = choices.iter().flatten().filter_map(Choice::query).collect();
    let mut vectors = encoder.embed(&queries, Intent::Query)?.into_iter();
    for ((summary, text), choices) in summaries.iter_mut().zip(texts).zip(&choices) {
        let Some(text) = text else { continue };
        if let Some(i) = best(tightener, &text.features(choices, &mut vectors)) {
            *summary = Summary { text: choices[i].run.text.clone(), sentences: vec![choices[i].sentence] };
        }
    }
    Ok(())
}

/// Which of the choices with these `features` `tightener` scores best (the first of equals).
pub fn best(tightener: &Linear, features: &[[f32; TIGHT_FEATURES.len()]]) -> Option<usize> {
    let scores: Vec<f32> = features.iter().map(|f| tightener.score(f)).collect();
    first_argmax(&scores)
}

/// Whether a summary of `candidates` is tightened: a short text's (a post's, a brief's) that is
/// meant to be one sentence. A longer text asked for one sentence keeps its best sentence (a
/// sentence over the budget is trimmed, see [`super::trim_sentence_over_budget`]): on the annotated
/// People's Daily validation articles with `--sentences 1`, the best sentence scores 31.2
/// ROUGE-L against the hand-written summaries, its runs chosen by this tightener 20.5 and by the
/// similarity-minus-length rule it replaced 25.4.
pub fn applies(candidates: &[Sentence], budget: Budget) -> bool {
    !candidates.is_empty() && is_short(candidates, budget.max_chars) && wanted_sentences(candidates, budget) == 1
}

/// The text whose summary is tightened, for an article with these `candidates` (openings
/// trimmed), the query vectors and scores of those embedded and the article's vector: `None`
/// where the summary is not meant to be one sentence, or the article has no vector.
pub fn text<'a>(
    candidates: &'a [Sentence],
    vectors: &'a [Vec<f32>],
    scores: &'a [f32],
    document: Option<&'a [f32]>,
    budget: Budget,
) -> Option<Text<'a>> {
    let document = document?;
    applies(candidates, budget).then_some(Text { sentences: candidates, vectors, scores, document })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::text::char_len;

    /// An encoder for tests: a text's vector is its normalised character counts.
    pub(crate) struct CharCounts;

    impl Encoder for CharCounts {
        fn id(&self) -> &str {
            "char-counts"
        }

        fn dim(&self) -> usize {
            97
        }

        fn embed(&self, texts: &[&str], _: Intent) -> Result<Vec<Vec<f32>>, ModelError> {
            Ok(texts
                .iter()
                .map(|t| {
                    let mut v = vec![0f32; 97];
                    t.chars().filter(|c| text::is_han(*c)).for_each(|c| v[c as usize % 97] += 1.0);
                    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
                    v.iter().map(|x| x / n).collect()
                })
                .collect())
        }
    }

    pub(crate) fn sentences(texts: &[&str]) -> Vec<Sentence> {
        texts.iter().map(|t| Sentence { text: (*t).to_owned(), paragraph: 0, chars: char_len(t) }).collect()
    }

    /// The vectors a short text's choices are scored with: its sentences' and its passage's.
    pub(crate) fn embedded(sentences: &[Sentence]) -> (Vec<Vec<f32>>, Vec<f32>) {
        let texts: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
        let vectors = CharCounts.embed(&texts, Intent::Query).unwrap();
        let passage: String = texts.concat();
        let document = CharCounts.embed(&[&passage], Intent::Passage).unwrap().remove(0);
        (vectors, document)
    }

    #[test]
    fn the_features_are_named_in_the_order_they_are_computed() {
        let lexical = &RUN_FEATURES[FROM_RUN..];
        let at = TIGHT_FEATURES.iter().position(|f| *f == lexical[0]).expect("the run features");
        assert_eq!(&TIGHT_FEATURES[at..at + lexical.len()], lexical);
        assert_eq!(TIGHT_FEATURES[at + lexical.len()], "question");
        assert_eq!(TIGHT_FEATURES.len(), at + lexical.len() + BANDS.len());
    }

    #[test]
    fn choices_are_the_runs_and_whole_sentences_that_fit() {
        let post = sentences(&[
            "据新华社报道，昨天下午，市政府召开常务会议，部署冬季供暖工作，会议由市长主持。",
            "有关部门负责人列席会议。",
        ]);
        let (vectors, document) = embedded(&post);
        let scores = [0.0, 0.0];
        let text = Text { sentences: &post, vectors: &vectors, scores: &scores, document: &document };
        let choices = text.choices(30);
        let shown: Vec<&str> = choices.iter().map(|c| c.run.text.as_str()).collect();
        assert!(shown.contains(&"市政府召开常务会议，部署冬季供暖工作。"), "{shown:?}");
        assert!(shown.contains(&"有关部门负责人列席会议。"), "the second sentence whole: {shown:?}");
        assert!(choices.iter().all(|c| char_len(&c.run.text) <= 30 && c.run.end - c.run.first <= MAX_CLAUSES));
        // Too short alone: `昨天下午`; the first sentence is over the budget whole.
        assert!(!shown.iter().any(|t| t.starts_with("昨天下午。") || *t == post[0].text), "{shown:?}");
        // Only whole sentences have no query of their own.
        assert!(choices.iter().all(|c| c.query().is_none() == (c.run.text == post[1].text)));
        // A text of one sentence is never given back whole.
        let one = sentences(&["市政府召开常务会议，部署冬季供暖工作。"]);
        let (vectors, document) = embedded(&one);
        let text = Text { sentences: &one, vectors: &vectors, scores: &[0.0], document: &document };
        let choices = text.choices(80);
        assert!(!choices.is_empty() && choices.iter().all(|c| c.run.text != one[0].text), "{choices:?}");
    }
}
