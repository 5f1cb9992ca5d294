//! Which clauses of an over-long sentence a summary keeps.
//!
//! A newspaper's best sentence is often longer than the budget. Cut after its last clause that
//! fits, it keeps the when and on whose word and loses what happened; the clauses a person keeps
//! are often further on. The trimmer scores every run of consecutive clauses that fits
//! ([`runs`]) on a few numbers ([`RUN_FEATURES`]): how much of the headline it holds and how much
//! of it is headline, how much of the article repeats its words, its length, where it starts
//! and ends in the sentence, figures and quotation. A linear model maps them to how much better
//! than the sentence's average run its character ROUGE-L F1 against a hand-written summary is
//! expected to be. `jianbao train-summarizer` fits it on the over-long sentences of the
//! hand-summarised newspaper articles ([`crate::train::summarizer::trimmer`]).
//!
//! On the annotated training articles whose best sentence is over the budget (15% of them,
//! 5-fold cross-validation), the learnt run scores 34.0–34.5 ROUGE-L against 32.2 for the cut.
//!
//! In three layers, each built on the one below: [`clause`] says what one clause's words do
//! (end a sentence, frame it, leave open what the next clause says); [`alone`] whether a run of
//! them reads as a sentence of its own; and this module lists a sentence's runs ([`runs`]) and
//! rates them ([`best`]). The compressor and the tightener choose among the same runs
//! ([`super::compress`], [`super::tighten`]).

mod alone;
mod clause;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

pub use self::alone::{balanced, ended, leans_back, opening_clauses, whole_reads_alone, RUN_END};
use self::alone::{conditions_open, opens_well, reads_alone, stops_well};
pub use self::clause::{can_end, demands_last, ends_in_question, opens_on_demand};
use super::words::{bigrams, holders, Bigram};
use crate::fit::argmax;
use crate::fit::ridge::Linear;
use crate::sentences::Sentence;
use crate::text::{self, char_len, CLAUSE_BREAKS};

/// The features of a run, in the order of the trimmer's weights.
pub const RUN_FEATURES: [&str; 11] = [
    "head_recall",
    "head_share",
    "shared_bigrams",
    "chars",
    "chars_squared",
    "opens_sentence",
    "closes_sentence",
    "start",
    "rest",
    "numbers",
    "quotation",
];

/// A run the trimmer may choose keeps at least this many characters.
pub const MIN_RUN_CHARS: usize = 12;

/// Runs offered per sentence at most, so that the work on a sentence of many short clauses is
/// bounded (a 256-character piece has a few dozen clauses).
const MAX_RUNS: usize = 512;

/// A run of consecutive clauses of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The run as a summary shows it: a sentence of its own, ending in [`RUN_END`] where its
    /// sentence goes on (or ends on a clause break).
    pub text: String,
    /// Characters of the run itself, without a [`RUN_END`] it was given.
    pub chars: usize,
    /// Its first clause, the clause after its last, and the sentence's number of clauses.
    pub first: usize,
    pub end: usize,
    pub of: usize,
}

impl Run {
    /// Whether the run stops before its sentence does.
    pub fn is_cut(&self) -> bool {
        self.end < self.of
    }

    /// The run's own words: without the [`RUN_END`] it was given where it is cut.
    pub fn words(&self) -> &str {
        if self.is_cut() {
            self.text.strip_suffix(RUN_END).unwrap_or(&self.text)
        } else {
            &self.text
        }
    }
}

/// The runs of at most `max_clauses` consecutive clauses of `sentence` (split after `，；：`)
/// that fit in `max_chars` (their [`RUN_END`] counted), of at least `min_chars` characters with
/// a Chinese character, that can be read alone: a run cut from its sentence stops where a
/// sentence can ([`can_end`]) and not before a clause that carries it on
/// ([`CARRIES_ON`](clause::CARRIES_ON)), and opens where it can ([`opens_well`]: no
/// `亚洲事务负责人陈文雄率领的法国青年议员团。` cut from after `会见由…法中友好小组主席，`); a
/// sentence ending on a colon is no run ([`leads_into`](clause::leads_into)); every run closes
/// the quotations and brackets it opens (and closes none it does not); and no run opens with a
/// word that points back, nor does its first clause after those that frame it
/// ([`leans_back`]). At most [`MAX_RUNS`] of them, in order of their first clause, then of
/// their length.
pub fn runs(sentence: &str, max_chars: usize, min_chars: usize, max_clauses: usize) -> Vec<Run> {
    let clauses = text::clauses(sentence);
    let of = clauses.len();
    let opening = opening_clauses(sentence);
    let stops: Vec<bool> = (1..=of).map(|end| stops_well(&clauses, end)).collect();
    let open_conditions = conditions_open(&clauses);
    let mut out = Vec::new();
    for (first, &condition_open) in open_conditions.iter().enumerate() {
        let opens = opens_well(&clauses, first, opening) && !condition_open;
        let mut run = String::new();
        for end in first + 1..=first.saturating_add(max_clauses).min(of) {
            run.push_str(clauses[end - 1]);
            let shown = text::trim(run.trim_end_matches(CLAUSE_BREAKS));
            let chars = char_len(shown);
            // A run ends as a sentence: one cut from its sentence, or a sentence that ends on a
            // clause break (`；`), a letter or a character, is given a full stop.
            let unended = !text::ends_sentence(shown);
            if chars + usize::from(unended) > max_chars {
                break;
            }
            if chars < min_chars
                || !shown.chars().any(text::is_han)
                || !reads_alone(&clauses, first, end, opening, shown, opens, stops[end - 1])
            {
                continue;
            }
            let text = if unended { format!("{shown}{RUN_END}") } else { shown.to_owned() };
            out.push(Run { text, chars, first, end, of });
            if out.len() == MAX_RUNS {
                return out;
            }
        }
    }
    out
}

/// What a run's features are computed from: the bigrams of the article's headline, and how
/// many of its sentences hold each bigram.
pub struct Lexicon {
    head: HashSet<Bigram>,
    holders: HashMap<Bigram, u32>,
}

impl Lexicon {
    pub fn new(heading: &str, sentences: &[Sentence]) -> Lexicon {
        Lexicon { head: bigrams(heading).into_iter().collect(), holders: holders(sentences) }
    }

    /// How `text` uses the article's words: the share of the headline's bigrams it holds, the
    /// share of its bigrams that are the headline's, and how many of the article's other
    /// sentences hold its bigrams on average (its own sentence is one holder), over ten.
    pub fn words(&self, text: &str) -> [f32; 3] {
        let own = bigrams(text);
        let n = own.len().max(1) as f32;
        let distinct: HashSet<&Bigram> = own.iter().collect();
        let recall = self.head.iter().filter(|b| distinct.contains(b)).count() as f32 / self.head.len().max(1) as f32;
        let share = own.iter().filter(|b| self.head.contains(b)).count() as f32 / n;
        let shared = own.iter().map(|b| self.holders.get(b).map_or(0, |h| h.saturating_sub(1)) as f32).sum::<f32>() / n;
        [recall, share, shared / 10.0]
    }

    /// The features of `run`, in the order of [`RUN_FEATURES`].
    pub fn features(&self, run: &Run) -> [f32; RUN_FEATURES.len()] {
        let [recall, share, shared] = self.words(&run.text);
        let chars = run.chars as f32 / 100.0;
        let of = run.of.max(1) as f32;
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        [
            recall,
            share,
            shared,
            chars,
            chars * chars,
            flag(run.first == 0),
            flag(run.end == run.of),
            run.first as f32 / of,
            (run.of - run.end) as f32 / of,
            flag(run.text.chars().any(|c| c.is_ascii_digit())),
            flag(run.text.contains(['“', '"', '「'])),
        ]
    }
}

/// The run of `sentence` within `max_chars` that `trimmer` (a linear model over
/// [`RUN_FEATURES`]) scores best; `None` where no run fits.
pub fn best(trimmer: &Linear, lexicon: &Lexicon, sentence: &str, max_chars: usize) -> Option<Run> {
    let opening = opening_clauses(sentence);
    let mut fitting: Vec<Run> =
        runs(sentence, max_chars, MIN_RUN_CHARS, usize::MAX).into_iter().filter(|run| run.first <= opening).collect();
    let scores: Vec<f32> = fitting.iter().map(|run| trimmer.score(&lexicon.features(run))).collect();
    argmax(&scores).map(|k| fitting.swap_remove(k))
}
