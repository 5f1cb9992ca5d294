//! The edits that turn an article into the kind of copy a paper prints of another's story:
//! re-paragraphed, retitled, cut short, under another dateline, with a few characters changed.
//! Seeded and deterministic, so that a pair file holds spans and edits and never a page's text.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;

use crate::text;

/// One edit, as a pair file writes it (`{"op": "cut", "keep": 0.7}`), applied in order.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase", deny_unknown_fields)]
pub enum Edit {
    /// The body's paragraphs joined and split again between sentences, 1–4 sentences a paragraph.
    Reparagraph { seed: u64 },
    /// The first line replaced by `headline`.
    Retitle { headline: String },
    /// Whole paragraphs kept from the start until they hold `keep` of the characters.
    Cut { keep: f64 },
    /// `text` put before the first paragraph of the body (`新华社北京2月1日电　`).
    Dateline { text: String },
    /// Each Han character, with probability `rate`, deleted (one in five) or replaced by one
    /// often confused with it (or, where the table has none, a common character).
    Noise { rate: f64, seed: u64 },
}

impl Edit {
    /// The share of the characters a cut keeps; 1 for other edits.
    pub fn kept(&self) -> f64 {
        match self {
            Edit::Cut { keep } => *keep,
            _ => 1.0,
        }
    }
}

/// `text` with `edits` applied in order. An unedited text is returned as it is; an edited one
/// is written one paragraph a line, the headline first.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    if edits.is_empty() {
        return text.to_owned();
    }
    let mut paragraphs: Vec<String> =
        text.lines().map(text::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    for edit in edits {
        match edit {
            Edit::Reparagraph { seed } => reparagraph(&mut paragraphs, *seed),
            Edit::Retitle { headline } => match paragraphs.first_mut() {
                Some(first) => *first = headline.clone(),
                None => paragraphs.push(headline.clone()),
            },
            Edit::Cut { keep } => cut(&mut paragraphs, *keep),
            Edit::Dateline { text } => match paragraphs.get_mut(1) {
                Some(first) => first.insert_str(0, text),
                None => paragraphs.push(text.clone()),
            },
            Edit::Noise { rate, seed } => noise(&mut paragraphs, *rate, *seed),
        }
    }
    let body: Vec<String> = paragraphs.iter().skip(1).map(|p| format!("\u{3000}\u{3000}{p}")).collect();
    let headline = paragraphs.first().map(String::as_str).unwrap_or_default();
    format!("{headline}\n{}\n", body.join("\n"))
}

fn reparagraph(paragraphs: &mut Vec<String>, seed: u64) {
    if paragraphs.len() < 2 {
        return;
    }
    let body = paragraphs.split_off(1).concat();
    let sentences = text::sentences(&body);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut at = 0;
    while at < sentences.len() {
        let take = rng.random_range(1..=4).min(sentences.len() - at);
        paragraphs.push(sentences[at..at + take].concat());
        at += take;
    }
}

fn cut(paragraphs: &mut Vec<String>, keep: f64) {
    let total: usize = paragraphs.iter().map(|p| text::char_len(p)).sum();
    let mut kept = 0;
    let mut count = 0;
    while count < paragraphs.len() && (kept as f64) < keep * total as f64 {
        kept += text::char_len(&paragraphs[count]);
        count += 1;
    }
    paragraphs.truncate(count);
}

/// Characters often written for one another, each pair both ways.
const CONFUSED: [(char, char); 24] = [
    ('的', '地'),
    ('得', '的'),
    ('在', '再'),
    ('做', '作'),
    ('已', '以'),
    ('像', '象'),
    ('须', '需'),
    ('即', '既'),
    ('部', '布'),
    ('带', '戴'),
    ('制', '治'),
    ('园', '圆'),
    ('权', '全'),
    ('型', '形'),
    ('工', '功'),
    ('发', '法'),
    ('经', '径'),
    ('化', '华'),
    ('建', '健'),
    ('年', '念'),
    ('国', '过'),
    ('市', '是'),
    ('展', '战'),
    ('进', '近'),
];

/// Stand-ins for characters the table does not have.
const COMMON: [char; 16] =
    ['一', '是', '不', '了', '人', '有', '这', '中', '大', '来', '上', '个', '和', '们', '为', '出'];

fn noise(paragraphs: &mut [String], rate: f64, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for paragraph in paragraphs {
        let mut out = String::with_capacity(paragraph.len());
        for c in paragraph.chars() {
            if !text::is_han(c) || rng.random::<f64>() >= rate {
                out.push(c);
                continue;
            }
            if rng.random_range(0..5) == 0 {
                continue; // Deleted.
            }
            let partner = CONFUSED.iter().find_map(|&(x, y)| (x == c).then_some(y).or((y == c).then_some(x)));
            out.push(partner.unwrap_or_else(|| COMMON[rng.random_range(0..COMMON.len())]));
        }
        *paragraph = out;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "标题在此\n\n\u{3000}\u{3000}第一句话。第二句话。\n\u{3000}\u{3000}第三句话！第四句。\n\u{3000}\u{3000}最后一段很长很长很长很长很长很长很长。\n";

    #[test]
    fn edits_keep_what_they_should() {
        assert_eq!(apply(ARTICLE, &[]), ARTICLE, "no edits, the span as it is");
        let retitled = apply(ARTICLE, &[Edit::Retitle { headline: "新标题".into() }]);
        assert!(retitled.starts_with("新标题\n\u{3000}\u{3000}第一句话"), "{retitled}");
        let dated = apply(ARTICLE, &[Edit::Dateline { text: "新华社北京2月1日电　".into() }]);
        assert!(dated.contains("\u{3000}\u{3000}新华社北京2月1日电　第一句话"), "{dated}");
        // 4 + 10 + 10 + 19 characters: half is reached with the third paragraph.
        let cut = apply(ARTICLE, &[Edit::Cut { keep: 0.5 }]);
        assert!(cut.contains("第四句") && !cut.contains("最后"), "{cut}");
        assert_eq!(Edit::Cut { keep: 0.5 }.kept(), 0.5);
    }

    #[test]
    fn reparagraphing_keeps_the_sentences_and_is_seeded() {
        let again = apply(ARTICLE, &[Edit::Reparagraph { seed: 3 }]);
        assert_eq!(again, apply(ARTICLE, &[Edit::Reparagraph { seed: 3 }]));
        let strip = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(strip(&again), strip(ARTICLE));
    }

    #[test]
    fn noise_changes_about_its_rate_of_han_characters() {
        let long = format!("标题\n{}", "经济社会发展的建设进展。".repeat(200));
        let noisy = apply(&long, &[Edit::Noise { rate: 0.05, seed: 9 }]);
        let han = |s: &str| s.chars().filter(|&c| text::is_han(c)).collect::<Vec<char>>();
        let (before, after) = (han(&long), han(&noisy));
        assert!(after.len() < before.len(), "some deleted");
        let changed = before.iter().zip(&after).take_while(|(a, b)| a == b).count();
        assert!(changed > 0 && changed < 200, "the first change comes early: {changed}");
        assert_eq!(noisy, apply(&long, &[Edit::Noise { rate: 0.05, seed: 9 }]));
    }
}
