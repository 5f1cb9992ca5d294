//! Commentary told apart from reporting, so that its summary says whose argument it is.
//!
//! A newspaper prints opinion beside its news: editorials, signed columns, theory pieces. A
//! reader's summary of a report says what happened; of a commentary, what the writer argues, and
//! that the writer argues it: `文章认为，…` ("the article argues that…"), the convention the
//! hand-written references follow. An extractive summary of an editorial otherwise states its
//! argument as news.
//!
//! [`Commentary`] reads an article two ways: a logistic regression on the two vectors the model
//! method already has for it (its passage vector and its headline's query vector) and on a few
//! [`CUES`]; and a second one on the character n-grams of its opening ([`Signs::opening`]),
//! which hears the voice the vectors blur (`我们`, `必须`, `要`, `？`, no dateline). The two
//! probabilities are mixed in a share chosen on the validation articles. Both are fitted by
//! `jianbao train-summarizer` ([`crate::train::summarizer::commentary`]) on the `kind` of
//! hand-annotated newspaper articles, the threshold chosen by the validation articles. An
//! article it judges commentary at or above the threshold gets a summary that opens with
//! [`LEAD_IN`] and fills the rest of the budget. Texts meant to get one sentence (posts, briefs:
//! [`super::wanted_sentences`]) are never framed.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::fit::dot;
use crate::fit::lexical::Lexical;
use crate::segment::{Article, Kind};

/// What a commentary's summary opens with.
pub const LEAD_IN: &str = "文章认为，";

/// Characters of [`LEAD_IN`].
pub const LEAD_IN_CHARS: usize = 5;

/// A budget smaller than this many characters past the lead-in leaves too little to frame.
const MIN_FRAMED_CHARS: usize = 20;

/// What the text says of itself beyond its vectors, in the order of the model's last weights:
/// it is signed by an author with an affiliation (`（作者为…教授）`, the mark of a signed
/// column or a theory piece: 84% of the annotated articles that have one are commentary), the
/// page lays it out as commentary (a column tag, `segment::Kind::Commentary`), and how many
/// questions it asks (up to five, over five).
pub const CUES: [&str; 3] = ["signed", "column", "questions"];

/// An author's note at the end of a signed piece.
static SIGNED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"作者(?:为|系|是|单位)").expect("author's note pattern"));

/// Characters at the end of an article where its author's note is looked for.
const SIGNED_TAIL_CHARS: usize = 300;

/// Characters of an article's heading and body that the n-gram reader reads: on the validation
/// articles, 1,200 to 2,000 read alike and 1,000 or fewer less well.
pub const OPENING_CHARS: usize = 1500;

/// What an article says of itself that tells commentary apart, besides its vectors.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Signs {
    /// The [`CUES`].
    pub cues: [f32; CUES.len()],
    /// Its kicker, headline, deck and paragraphs, one a line, cut to [`OPENING_CHARS`].
    pub opening: String,
}

/// The article's [`Signs`].
pub fn signs(article: &Article) -> Signs {
    let lines = article.kicker.iter().chain([&article.headline]).chain(&article.deck).chain(&article.paragraphs);
    let mut opening = String::new();
    for line in lines.filter(|l| !l.is_empty()) {
        if !opening.is_empty() {
            opening.push('\n');
        }
        opening.push_str(line);
        if opening.chars().nth(OPENING_CHARS).is_some() {
            break;
        }
    }
    let opening = opening.chars().take(OPENING_CHARS).collect();
    Signs { cues: cues(article), opening }
}

/// The article's [`CUES`].
pub fn cues(article: &Article) -> [f32; CUES.len()] {
    let body = article.paragraphs.join("\n");
    let n = body.chars().count();
    let tail: String = body.chars().skip(n.saturating_sub(SIGNED_TAIL_CHARS)).collect();
    let questions = body.matches(['？', '?']).count().min(5) as f32 / 5.0;
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    // The note may stand in the last paragraph or on a line of its own (read as a subhead, a
    // credit or a byline).
    let noted =
        article.subheads.iter().chain(&article.credits).chain(&article.byline.lines).any(|l| SIGNED.is_match(l));
    [flag(noted || SIGNED.is_match(&tail)), flag(article.kind == Kind::Commentary), questions]
}

/// Tells commentary from reporting by an article's passage and headline vectors and its
/// [`Signs`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commentary {
    /// Weights over the passage vector, then over the headline's vector (zeros where the
    /// article has no heading), then over the [`CUES`] (absent in a model fitted without them).
    pub weights: Vec<f32>,
    pub bias: f32,
    /// An article is framed where its probability of being commentary is at least this.
    pub threshold: f32,
    /// The n-gram reader of the opening: one label, whose logit is the log-odds of commentary.
    /// None in a model fitted without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<Lexical>,
    /// The n-gram reader's share of the probability, the vectors' the rest.
    #[serde(default)]
    pub words_share: f32,
}

impl Commentary {
    /// The probability that an article with these vectors and signs is commentary. The
    /// vectors' part is 0 where they are not the size it was fitted on.
    pub fn probability(&self, document: &[f32], headline: Option<&[f32]>, signs: &Signs) -> f32 {
        let from_vectors = self.vectors_probability(document, headline, &signs.cues);
        match &self.words {
            Some(words) if words.labels() == 1 => {
                let z = words.logits(&signs.opening)[0];
                let from_words = 1.0 / (1.0 + (-z).exp());
                (1.0 - self.words_share) * from_vectors + self.words_share * from_words
            }
            _ => from_vectors,
        }
    }

    /// The regression on the vectors and cues alone.
    fn vectors_probability(&self, document: &[f32], headline: Option<&[f32]>, cues: &[f32; CUES.len()]) -> f32 {
        let d = document.len();
        let with_cues = self.weights.len() == 2 * d + CUES.len();
        if !(with_cues || self.weights.len() == 2 * d) || headline.is_some_and(|h| h.len() != d) {
            return 0.0;
        }
        let z = self.bias
            + dot(&self.weights[..d], document)
            + headline.map_or(0.0, |h| dot(&self.weights[d..2 * d], h))
            + if with_cues { dot(&self.weights[2 * d..], cues) } else { 0.0 };
        1.0 / (1.0 + (-z).exp())
    }

    /// Whether its parts agree in size: the n-gram reader is whole and has one label, and its
    /// share is a share.
    pub fn is_whole(&self) -> bool {
        self.words.as_ref().is_none_or(|w| w.is_whole() && w.labels() == 1) && (0.0..=1.0).contains(&self.words_share)
    }

    /// Whether a summary of `max_chars` of an article with these vectors and signs opens with
    /// [`LEAD_IN`].
    pub fn frames(&self, document: &[f32], headline: Option<&[f32]>, signs: &Signs, max_chars: usize) -> bool {
        max_chars >= LEAD_IN_CHARS + MIN_FRAMED_CHARS && self.probability(document, headline, signs) >= self.threshold
    }
}

/// The input [`Commentary`] reads: the passage vector, then the headline's (zeros without
/// one), then the cues.
pub fn input(document: &[f32], headline: Option<&[f32]>, cues: &[f32; CUES.len()]) -> Vec<f32> {
    let mut x = document.to_vec();
    match headline {
        Some(h) => x.extend_from_slice(h),
        None => x.resize(2 * document.len(), 0.0),
    }
    x.extend_from_slice(cues);
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_piece_and_its_questions_are_cues() {
        let page = "让改革红利惠及更多群众\n\n\u{3000}\u{3000}改革为了什么？改革为了谁？这是必须回答好的问题。\n\u{3000}\u{3000}（作者为中国人民大学教授）\n";
        let article = crate::segment::single(page, None).expect("an article");
        let [signed, _, questions] = cues(&article);
        assert_eq!(signed, 1.0);
        assert!((questions - 0.4).abs() < 1e-6, "{questions}");
        let report =
            crate::segment::single("市里召开会议\n\n\u{3000}\u{3000}本报讯 市里召开会议部署供暖工作。\n", None)
                .expect("an article");
        assert_eq!(cues(&report)[0], 0.0);
    }

    #[test]
    fn the_opening_is_the_heading_and_body_cut_to_its_length() {
        let long = "改革".repeat(OPENING_CHARS);
        let page = format!("让改革红利惠及更多群众\n\n\u{3000}\u{3000}改革为了什么？\n\u{3000}\u{3000}{long}\n");
        let article = crate::segment::single(&page, None).expect("an article");
        let signs = signs(&article);
        assert!(signs.opening.starts_with("让改革红利惠及更多群众\n改革为了什么？\n改革改革"), "{}", signs.opening);
        assert_eq!(signs.opening.chars().count(), OPENING_CHARS);
        assert_eq!(signs.cues, cues(&article));
    }

    #[test]
    fn the_words_reader_mixes_in_its_share() {
        // One bucket in all: every n-gram lands in it, so any text's features are that bucket at
        // 1, and its logit is the bucket's weight, ln 3 (a probability of 3/4).
        let words = Lexical { buckets: 1, idf: vec![1.0], weight: vec![3f32.ln()], bias: vec![0.0] };
        let model = |share| Commentary {
            weights: vec![0.0; 2],
            bias: 0.0,
            threshold: 0.5,
            words: Some(words.clone()),
            words_share: share,
        };
        let signs = Signs { cues: [0.0; CUES.len()], opening: "我们要".into() };
        // The vectors' part says 1/2 (no weight, no bias).
        for (share, want) in [(0.0, 0.5), (0.5, 0.625), (1.0, 0.75)] {
            let p = model(share).probability(&[1.0], None, &signs);
            assert!((p - want).abs() < 1e-5, "share {share}: {p}");
        }
        assert!(model(0.5).is_whole() && !model(1.5).is_whole());
        let two_labels = Commentary {
            words: Some(Lexical { weight: vec![0.0; 2], bias: vec![0.0; 2], ..words.clone() }),
            ..model(0.5)
        };
        assert!(!two_labels.is_whole());
    }

    #[test]
    fn the_lead_in_is_counted_right() {
        assert_eq!(LEAD_IN.chars().count(), LEAD_IN_CHARS);
    }
}
