//! Line features: what each line of a page looks like (length, indentation, punctuation,
//! emphasis, the blank lines before it) and the role that shape suggests.
//!
//! The numbers that decide a role are named constants, so the rules read as a table.

use super::patterns;
use crate::text::{self, char_len, indent_width};

/// Longest line taken for a headline on a page whose body is not indented.
const HEAD_MAX_CHARS: usize = 40;
/// Longest kicker (`…——`) or deck (`——…`) line.
const MARKED_MAX_CHARS: usize = 100;
/// Longest non-indented header line (pre-title, headline, subtitle) on an indented page.
const INDENTED_PAGE_HEAD_MAX_CHARS: usize = 240;
/// Lines at least this long are paragraphs; they decide the page's style.
pub(super) const PARAGRAPH_MIN_CHARS: usize = 30;
/// Share of paragraphs that must be indented for a page to count as indented.
const INDENTED_SHARE: f64 = 0.6;

/// What a line is, judged from its own shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Blank,
    /// Could be a headline, kicker, deck or subhead.
    Head,
    /// Names reporters or the outlet, on a line of its own.
    Byline,
    /// A photo, chart or editor credit.
    Credit,
    Body,
}

/// How emphasis marks a line: markdown bold (`**…**`) or a markdown heading (`# …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Emphasis {
    #[default]
    None,
    Bold,
    Heading,
}

#[derive(Debug, Clone)]
pub(super) struct Line<'a> {
    /// The line's content: trimmed, emphasis marks removed.
    pub text: &'a str,
    /// Character offsets of the raw line, and just past its terminator.
    pub start: usize,
    pub next: usize,
    pub indent: usize,
    pub chars: usize,
    /// Blank lines since the previous non-blank line (or the start of the page).
    pub gap: usize,
    pub emphasis: Emphasis,
    pub role: Role,
}

impl Line<'_> {
    pub fn is_blank(&self) -> bool {
        self.role == Role::Blank
    }

    /// A kicker line ends with a dash that leads into the headline below it.
    pub fn is_kicker_marked(&self) -> bool {
        self.text.ends_with("——") || self.text.ends_with("--")
    }

    /// A deck line starts with a dash.
    pub fn is_deck_marked(&self) -> bool {
        self.text.starts_with("——") || self.text.starts_with("--")
    }
}

/// What a whole page looks like.
#[derive(Debug, Clone, Copy)]
pub(super) struct Style {
    /// Paragraphs start with an indent, so an unindented line is a header.
    pub indented: bool,
    /// The usual number of blank lines between paragraphs.
    pub paragraph_gap: usize,
}

pub(super) fn analyse(text: &str) -> (Vec<Line<'_>>, Style) {
    let mut lines = Vec::new();
    let mut gap = 0;
    let mut bold_open = false;
    for raw in text::lines(text) {
        let trimmed = text::trim(raw.raw);
        let (content, emphasis, still_bold) = strip_emphasis(trimmed, bold_open);
        // A blank line ends any bold span that was never closed.
        bold_open = still_bold && !content.is_empty();
        let blank = content.is_empty();
        lines.push(Line {
            text: content,
            start: raw.start,
            next: raw.next,
            indent: indent_width(raw.raw),
            chars: char_len(content),
            gap,
            emphasis,
            role: if blank { Role::Blank } else { Role::Body },
        });
        gap = if blank { gap + 1 } else { 0 };
    }
    let style = page_style(&lines);
    for line in lines.iter_mut().filter(|l| !l.is_blank()) {
        line.role = role(line, style);
    }
    promote_colon_kickers(&mut lines, style);
    (lines, style)
}

/// Removes markdown emphasis; a bold span may cover several lines.
fn strip_emphasis(line: &str, bold_open: bool) -> (&str, Emphasis, bool) {
    if let Some(rest) = line.strip_prefix('#') {
        let heading = rest.trim_start_matches('#');
        if heading.starts_with(' ') {
            return (text::trim(heading), Emphasis::Heading, false);
        }
    }
    let opens = line.starts_with("**");
    let body = line.strip_prefix("**").unwrap_or(line);
    let closes = body.ends_with("**") && (opens || bold_open);
    let body = if closes { &body[..body.len() - 2] } else { body };
    if opens || bold_open {
        (text::trim(body), Emphasis::Bold, (opens || bold_open) && !closes)
    } else {
        (line, Emphasis::None, false)
    }
}

/// `张明：` or `《某节目》“某主题”：` on its own line after a blank, right above a header
/// line, is a kicker, not a salutation: on an indented page, make it a header line too.
fn promote_colon_kickers(lines: &mut [Line<'_>], style: Style) {
    if !style.indented {
        return;
    }
    for k in 0..lines.len().saturating_sub(1) {
        let (line, below) = (&lines[k], &lines[k + 1]);
        let colon = line.text.ends_with('：') || line.text.ends_with(':');
        if colon
            && line.role == Role::Body
            && line.indent == 0
            && line.gap > 0
            && line.chars <= HEAD_MAX_CHARS
            && below.role == Role::Head
        {
            lines[k].role = Role::Head;
        }
    }
}

fn page_style(lines: &[Line<'_>]) -> Style {
    let paragraphs: Vec<&Line> = lines.iter().filter(|l| l.chars >= PARAGRAPH_MIN_CHARS).collect();
    let indented = paragraphs.iter().filter(|l| l.indent > 0).count();
    let indented = !paragraphs.is_empty() && indented as f64 >= INDENTED_SHARE * paragraphs.len() as f64;
    let mut gaps: Vec<usize> = paragraphs.iter().skip(1).map(|l| l.gap).collect();
    gaps.sort_unstable();
    let paragraph_gap = gaps.get(gaps.len() / 2).copied().unwrap_or(0);
    Style { indented, paragraph_gap }
}

fn role(line: &Line<'_>, style: Style) -> Role {
    if patterns::is_credit(line.text) {
        Role::Credit
    } else if patterns::is_byline(line.text) {
        Role::Byline
    } else if head_shaped(line, style) {
        Role::Head
    } else {
        Role::Body
    }
}

/// Could this line be part of a header? Short, not closed like a sentence, not a salutation
/// or a dateline; on an indented page, any unindented line qualifies.
fn head_shaped(line: &Line<'_>, style: Style) -> bool {
    let last = line.text.chars().last().unwrap_or(' ');
    if matches!(last, '：' | ':' | '，' | ',' | '、') || patterns::dateline(line.text).is_some() {
        return false;
    }
    if style.indented {
        return line.indent == 0 && line.chars <= INDENTED_PAGE_HEAD_MAX_CHARS;
    }
    if line.emphasis != Emphasis::None {
        return line.chars <= MARKED_MAX_CHARS;
    }
    if line.is_kicker_marked() || line.is_deck_marked() {
        return line.chars <= MARKED_MAX_CHARS;
    }
    let closed = text::is_sentence_end(last) && !(matches!(last, '！' | '？' | '!' | '?') && line.chars <= 30);
    line.chars <= HEAD_MAX_CHARS && !closed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_spans_two_lines() {
        let (lines, _) = analyse("**全民动员 人人参与\n创建全国文明典范城市**\n正文。");
        assert_eq!(lines[0].text, "全民动员 人人参与");
        assert_eq!(lines[1].text, "创建全国文明典范城市");
        assert_eq!(lines[1].emphasis, Emphasis::Bold);
        assert_eq!(lines[2].emphasis, Emphasis::None);
    }

    #[test]
    fn salutations_and_sentences_are_not_heads() {
        let style = Style { indented: false, paragraph_gap: 1 };
        let line = |t: &'static str| Line {
            text: t,
            start: 0,
            next: 0,
            indent: 0,
            chars: char_len(t),
            gap: 1,
            emphasis: Emphasis::None,
            role: Role::Body,
        };
        assert!(head_shaped(&line("抓实经济发展第一要务"), style));
        assert!(!head_shaped(&line("亲爱的祖国母亲："), style));
        assert!(!head_shaped(&line("本报11月14日讯 日前，山东省农业农村厅"), style));
        assert!(!head_shaped(&line("他们说好。"), style));
    }
}
