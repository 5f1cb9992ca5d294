//! Header blocks: where an article starts, and which of its header lines is the kicker (引题),
//! the headline and the deck (副题).
//!
//! A run of head-shaped lines starts an article when the evidence for it adds up; a run that
//! falls short stays in the article above as a subhead. The weights are below, one per clue.

use super::lines::{Emphasis, Line, Role, Style};
use super::patterns;
use crate::text::char_len;

/// The first line of a page starts its first article.
const FIRST_ON_PAGE: i32 = 3;
/// An unindented line after a blank line on a page whose paragraphs are indented.
const UNINDENTED_ON_INDENTED_PAGE: i32 = 3;
/// More blank lines before the run than between the page's paragraphs.
const WIDER_GAP: i32 = 2;
/// A byline or a dateline right after the run.
const BYLINE_FOLLOWS: i32 = 3;
/// A kicker or deck marked with a dash, or emphasis (bold, a markdown heading).
const MARKED: i32 = 2;
/// Two or more header lines together.
const SEVERAL_LINES: i32 = 1;
/// The score at which a run starts an article.
const STARTS_ARTICLE: i32 = 3;
/// At most this many lines make one header.
const MAX_HEADER_LINES: usize = 4;

/// The headline lines of one article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Header {
    pub kicker: Option<String>,
    pub headline: String,
    pub deck: Option<String>,
}

/// The run of head-shaped lines that begins at line `at`: lines separated by no more blank
/// lines than the page puts between paragraphs (one at least).
pub(super) fn run(lines: &[Line<'_>], at: usize, style: Style) -> Vec<usize> {
    let max_gap = style.paragraph_gap.max(1);
    let mut run = vec![at];
    let mut next = next_non_blank(lines, at + 1);
    while let Some(k) = next {
        if run.len() >= MAX_HEADER_LINES || lines[k].role != Role::Head || lines[k].gap > max_gap {
            break;
        }
        run.push(k);
        next = next_non_blank(lines, k + 1);
    }
    run
}

pub(super) fn next_non_blank(lines: &[Line<'_>], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&k| !lines[k].is_blank())
}

/// Adds up the clues that the header `run` starts a new article.
pub(super) fn starts_article(lines: &[Line<'_>], run: &[usize], style: Style, first_on_page: bool) -> bool {
    let first = &lines[run[0]];
    let mut score = 0;
    if first_on_page {
        score += FIRST_ON_PAGE;
    }
    if style.indented && first.indent == 0 && first.gap > 0 {
        score += UNINDENTED_ON_INDENTED_PAGE;
    }
    if first.gap > style.paragraph_gap {
        score += WIDER_GAP;
    }
    let last = *run.last().unwrap_or(&run[0]);
    if let Some(after) = next_non_blank(lines, last + 1) {
        let after = &lines[after];
        if after.role == Role::Byline || patterns::dateline(after.text).is_some() {
            score += BYLINE_FOLLOWS;
        }
    }
    if run.iter().any(|&k| {
        let l = &lines[k];
        l.is_kicker_marked() || l.is_deck_marked() || l.emphasis != Emphasis::None
    }) {
        score += MARKED;
    }
    if run.len() > 1 {
        score += SEVERAL_LINES;
    }
    score >= STARTS_ARTICLE
}

/// Assigns header lines to kicker, headline and deck. `slots` is the page layout's fixed
/// pre-title / headline / subtitle positions where the page has them.
pub(super) fn assign(texts: &[&str], slots: Option<[Option<&str>; 3]>) -> Header {
    if let Some([pre, Some(headline), sub]) = slots {
        let strip = |s: Option<&str>| s.map(strip_dashes).filter(|s| !s.is_empty());
        return Header { kicker: strip(pre), headline: strip_dashes(headline), deck: strip(sub) };
    }
    let mut kicker = Vec::new();
    let mut deck = Vec::new();
    let mut plain = Vec::new();
    for &text in texts {
        if text.ends_with("——") || text.ends_with("--") {
            kicker.push(strip_dashes(text));
        } else if text.starts_with("——") || text.starts_with("--") {
            deck.push(strip_dashes(text));
        } else if patterns::is_bracketed(text) && (!kicker.is_empty() || !plain.is_empty()) {
            // A line all in brackets under a title annotates it (a date, a source).
            deck.push(text.to_owned());
        } else {
            plain.push(text);
        }
    }
    let headline = match plain.len() {
        0 if !kicker.is_empty() => kicker.pop().unwrap_or_default(),
        0 => deck.pop().unwrap_or_default(),
        1 => plain[0].to_owned(),
        _ => {
            let at = usize::from(kicker_score(plain[0], plain[1]) >= deck_score(plain[0], plain[1]));
            kicker.splice(0..0, plain[..at].iter().map(|s| s.to_string()));
            deck.splice(0..0, plain[at + 1..].iter().map(|s| s.to_string()));
            plain[at].to_owned()
        }
    };
    let join = |parts: Vec<String>| Some(parts.join(" ")).filter(|s| !s.is_empty());
    Header { kicker: join(kicker), headline, deck: join(deck) }
}

/// Removes the dash that marks a kicker (`…——`) or a deck (`——…`); a minus sign stays.
fn strip_dashes(s: &str) -> String {
    let s = s.strip_prefix("——").or_else(|| s.strip_prefix("--")).unwrap_or(s);
    let s = s.strip_suffix("——").or_else(|| s.strip_suffix("--")).unwrap_or(s);
    crate::text::trim(s).to_owned()
}

/// How much `upper` looks like a kicker leading into `lower`.
fn kicker_score(upper: &str, lower: &str) -> i32 {
    let mut score = 0;
    if patterns::ends_like_kicker(upper) {
        score += 2;
    }
    if char_len(upper) > char_len(lower) {
        score += 1;
    }
    // Parallel phrases set apart by a space, a slogan above the headline: `全民动员 人人参与`.
    if upper.split_whitespace().count() >= 2 && upper.split_whitespace().all(|p| char_len(p) <= 8) {
        score += 1;
    }
    score
}

/// How much `lower` looks like a deck under the headline `upper`.
fn deck_score(upper: &str, lower: &str) -> i32 {
    let mut score = 0;
    let chars = char_len(lower);
    if chars > char_len(upper) {
        score += 1;
    }
    if lower.chars().any(|c| c.is_ascii_digit()) {
        score += 1;
    }
    if chars > 20 && lower.contains(['，', '、']) {
        score += 1;
    }
    if lower.ends_with('。') {
        score += 2;
    }
    if patterns::is_bracketed(lower) {
        score += 3;
    }
    if patterns::has_column_tag(lower) {
        score -= 2;
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(texts: &[&str]) -> (Option<String>, String, Option<String>) {
        let h = assign(texts, None);
        (h.kicker, h.headline, h.deck)
    }

    #[test]
    fn marked_kicker_and_deck() {
        assert_eq!(
            header(&["加速推进——", "市北：以强作风促落实"]),
            (Some("加速推进".into()), "市北：以强作风促落实".into(), None)
        );
        assert_eq!(header(&["让党的二十大精神在基层落地生根", "——省委宣讲团"]).2.as_deref(), Some("省委宣讲团"));
    }

    #[test]
    fn unmarked_pairs() {
        assert_eq!(header(&["全民动员 人人参与", "创建全国文明典范城市"]).1, "创建全国文明典范城市");
        assert_eq!(
            header(&["青岛首单创新创业公司债券发行", "规模5亿元，主要投向现代物流、科技服务等产业领域"]).1,
            "青岛首单创新创业公司债券发行"
        );
        assert_eq!(header(&["省政府办公厅印发", "关于加快发展数字经济的实施意见"]).1, "关于加快发展数字经济的实施意见");
        assert_eq!(header(&["在全市经济工作会议上的讲话", "（二〇二二年十二月五日）"]).1, "在全市经济工作会议上的讲话");
    }

    #[test]
    fn slots_decide_when_the_layout_has_them() {
        let h = assign(&["两国外长举行会谈"], Some([None, Some("两国外长举行会谈"), Some("双方同意加强合作。")]));
        assert_eq!(h.kicker, None);
        assert_eq!(h.deck.as_deref(), Some("双方同意加强合作。"));
    }
}
