//! Character classes and line splitting shared by every stage that reads Chinese text.
//!
//! Nothing here knows about pages or articles: it answers questions such as "does this
//! line end a sentence?" and "where, in characters, does each line start?".

/// jieba's word cutter and part-of-speech tagger, with its built-in dictionary, loaded once.
pub fn jieba() -> &'static jieba_rs::Jieba {
    static JIEBA: std::sync::OnceLock<jieba_rs::Jieba> = std::sync::OnceLock::new();
    JIEBA.get_or_init(jieba_rs::Jieba::new)
}

/// One line of a decoded document, located by character offsets (Unicode scalar values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineSpan<'a> {
    /// The line without its terminator.
    pub raw: &'a str,
    /// Character offset of the line's first character.
    pub start: usize,
    /// Character offset just past the line's last character (terminator excluded).
    pub end: usize,
    /// Character offset just past the terminator (`\n`, `\r\n` or `\r`); equals `end` on the
    /// last line when the text does not end with a line break.
    pub next: usize,
}

/// Splits `text` into lines on `\n`, `\r\n` and `\r`, keeping character offsets exact so that
/// spans point into the text as decoded, whatever its line endings.
pub fn lines(text: &str) -> Vec<LineSpan<'_>> {
    let mut out = Vec::new();
    let mut line_byte = 0;
    let mut line_char = 0;
    let mut chars = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c == '\n' || c == '\r' {
            let end = chars;
            let mut next = chars + 1;
            if c == '\r' && matches!(iter.peek(), Some((_, '\n'))) {
                iter.next();
                next += 1;
            }
            out.push(LineSpan { raw: &text[line_byte..i], start: line_char, end, next });
            chars = next;
            line_char = next;
            line_byte = iter.peek().map_or(text.len(), |&(j, _)| j);
        } else {
            chars += 1;
        }
    }
    if line_byte < text.len() {
        out.push(LineSpan { raw: &text[line_byte..], start: line_char, end: chars, next: chars });
    }
    out
}

/// Whitespace as newspaper exports use it: ASCII, the ideographic space (U+3000), no-break
/// space and the other Unicode spaces, plus the zero-width characters some exports leave behind.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}')
}

/// Trims [`is_space`] characters from both ends.
pub fn trim(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Width of a line's indentation in characters of [`is_space`].
pub fn indent_width(s: &str) -> usize {
    s.chars().take_while(|&c| is_space(c)).count()
}

/// Number of Unicode scalar values in `s`.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Characters that close a sentence, in Chinese and Western typography.
pub fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '…' | '!' | '?' | '．' | '；' | ';')
}

/// Closing quotes and brackets that may follow a sentence end (`……。”`).
pub fn is_closing(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '）' | ')' | '】' | '》' | '"' | '\'' | '〕' | '］' | ']')
}

/// Whether `s` ends a sentence: on sentence punctuation, perhaps followed by closing quotes and
/// brackets (`……。”`). A quotation or a bracket closed without one (`叫它‘大白’`) does not.
pub fn ends_sentence(s: &str) -> bool {
    s.trim_end_matches(is_closing).ends_with(is_sentence_end)
}

/// True when a paragraph ending with `s` is complete: it ends with sentence punctuation, a colon
/// (a salutation or a lead-in to a list), or a closing quote or bracket.
pub fn ends_paragraph(s: &str) -> bool {
    match trim(s).chars().last() {
        Some(c) => is_sentence_end(c) || is_closing(c) || matches!(c, '：' | ':' | '.'),
        None => true,
    }
}

/// True for CJK ideographs (the unified blocks and their extensions), the script of the text
/// jianbao reads.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x3007)
}

/// Joins two pieces of a paragraph that an export broke apart: no separator between Chinese
/// text, one space where both sides are Latin letters or digits.
pub fn join_broken(left: &str, right: &str) -> String {
    let left = trim(left);
    let right = trim(right);
    let needs_space = left.chars().last().is_some_and(|c| c.is_ascii_alphabetic())
        && right.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    let mut out = String::with_capacity(left.len() + right.len() + 1);
    out.push_str(left);
    if needs_space {
        out.push(' ');
    }
    out.push_str(right);
    out
}

/// Quotation marks and brackets that open a run which a sentence end inside does not close.
fn is_opening(c: char) -> bool {
    matches!(c, '“' | '‘' | '「' | '『' | '（' | '(' | '【' | '〔')
}

/// A quotation longer than this many characters is split at its own sentence ends, so that a
/// missing closing mark (or a speech quoted at length) does not make a paragraph one sentence.
pub const MAX_QUOTED_CHARS: usize = 120;

/// A sentence of at most this many characters right after a closing quote says who spoke
/// (`辛鸣说。`, `他表示。`) and stays with the quotation.
const ATTRIBUTION_CHARS: usize = 8;

/// Splits a paragraph into sentences after `。！？…；` (and `!?;`), keeping closing quotes and
/// brackets with the sentence they close (`……。”`); never splits on `，`. A quotation of several
/// sentences stays one sentence (up to [`MAX_QUOTED_CHARS`]), and a short attribution after it
/// (`“……。”辛鸣说。`) stays with it.
pub fn sentences(paragraph: &str) -> Vec<&str> {
    // Byte ranges of the sentences; an attribution extends the range before it.
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    // Open quotation marks and brackets, and the characters of the sentence so far.
    let mut depth = 0usize;
    let mut chars_in = 0usize;
    // Whether the last sentence ended with a closing quote.
    let mut after_quote = false;
    let mut chars = paragraph.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        chars_in += 1;
        if is_opening(c) {
            depth += 1;
        } else if is_closing(c) {
            depth = depth.saturating_sub(1);
        }
        if !is_sentence_end(c) {
            continue;
        }
        // Swallow runs of ends (`？！`, `……`) and the closing marks that follow.
        let mut closed = false;
        while let Some(&(_, next)) = chars.peek() {
            if is_sentence_end(next) || is_closing(next) {
                closed |= matches!(next, '”' | '’' | '」' | '』');
                if is_closing(next) {
                    depth = depth.saturating_sub(1);
                }
                chars_in += 1;
                chars.next();
            } else {
                break;
            }
        }
        // Still inside a quotation that goes on, or after one the sentence goes on from
        // (`推出“中国加油！我们在一起！”的整版海报`, `“……！”，他说`): the sentence goes on too.
        let goes_on = closed && chars.peek().is_some_and(|&(_, next)| matches!(next, '的' | '等' | '、' | '，' | ','));
        if (depth > 0 || goes_on) && chars_in < MAX_QUOTED_CHARS {
            continue;
        }
        let end = chars.peek().map_or(paragraph.len(), |&(j, _)| j);
        add_span(&mut spans, paragraph, (start, end), after_quote);
        after_quote = closed;
        start = end;
        depth = 0;
        chars_in = 0;
    }
    add_span(&mut spans, paragraph, (start, paragraph.len()), after_quote);
    spans.into_iter().map(|(s, e)| trim(&paragraph[s..e])).collect()
}

/// The number of a list's item, as it opens the item: `一、`, `（二）`, `3、` (a pattern).
pub const LIST_NUMBER: &str = r"(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[、．])";

/// Where a sentence divides into clauses.
pub const CLAUSE_BREAKS: [char; 5] = ['，', '；', '：', ',', ';'];

/// The clauses of `sentence`, each with the break that ends it (the last may have none); a
/// trailing run of white space is not a clause.
pub fn clauses(sentence: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (at, c) in sentence.char_indices() {
        if CLAUSE_BREAKS.contains(&c) {
            out.push(&sentence[start..at + c.len_utf8()]);
            start = at + c.len_utf8();
        }
    }
    if !trim(&sentence[start..]).is_empty() {
        out.push(&sentence[start..]);
    }
    out
}

/// `sentence` in consecutive pieces of at most `max_chars` characters, each cut after the last
/// clause break ([`CLAUSE_BREAKS`], or an enumeration comma `、`) that fits, or at `max_chars` where none does; a sentence
/// that fits is one piece. Text without a full stop (an OCR export's run of clauses, a line
/// without punctuation) is one "sentence" however long it is: the pieces keep every later stage's
/// work per sentence bounded. Pieces are slices of `sentence`, trimmed, never empty.
pub fn split_long_sentence(sentence: &str, max_chars: usize) -> Vec<&str> {
    let max_chars = max_chars.max(1);
    let mut out = Vec::new();
    let mut push = |piece| {
        let piece = trim(piece);
        if !piece.is_empty() {
            out.push(piece);
        }
    };
    // The current piece's start (a byte offset) and length in characters, and the byte offset
    // and length just after its last clause break.
    let (mut start, mut chars) = (0, 0);
    let mut last_break: Option<(usize, usize)> = None;
    for (at, c) in sentence.char_indices() {
        if chars == max_chars {
            let (cut, kept) = last_break.unwrap_or((at, chars));
            push(&sentence[start..cut]);
            start = cut;
            chars -= kept;
            last_break = None;
        }
        chars += 1;
        if CLAUSE_BREAKS.contains(&c) || c == '、' {
            last_break = Some((at + c.len_utf8(), chars));
        }
    }
    push(&sentence[start..]);
    out
}

/// The first `max_chars` characters of `s` (all of it where it is shorter).
pub fn prefix(s: &str, max_chars: usize) -> &str {
    match s.char_indices().nth(max_chars) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}

/// Verbs that end a longer attribution: `大年初六返京的常先生由衷感叹。`.
const SPEECH_VERBS: &[&str] =
    &["说", "说道", "表示", "介绍", "感叹", "感慨", "透露", "指出", "强调", "坦言", "解释", "回忆", "告诉记者"];

/// Whether `sentence`, its end marks and closing quotes aside, ends on one of the
/// [`SPEECH_VERBS`] (`…在接受本报记者专访时表示。`): what was said is not in it, unless it
/// quotes it before.
pub fn ends_on_speech_verb(sentence: &str) -> bool {
    let bare = sentence.trim_end_matches(|c| is_sentence_end(c) || is_closing(c));
    SPEECH_VERBS.iter().any(|v| bare.ends_with(v))
}

/// A sentence of at most this many characters, without a comma outside quotation marks, that
/// ends with one of the [`SPEECH_VERBS`] says who spoke, however long the speaker's title
/// (`…研究所“一带一路”研究中心研究员…在接受本报记者专访时表示。`): alone, it gives a speaker
/// without the words.
const LONG_ATTRIBUTION_CHARS: usize = 80;

/// Whether a sentence right after a quotation only says who spoke.
fn is_attribution(sentence: &str) -> bool {
    let chars = char_len(sentence);
    let bare = sentence.trim_end_matches(|c| is_sentence_end(c) || is_closing(c));
    chars <= ATTRIBUTION_CHARS
        || (chars <= LONG_ATTRIBUTION_CHARS
            && !bare.starts_with(is_opening)
            && !breaks_outside_quotes(bare)
            && ends_on_speech_verb(bare))
}

/// Whether `text` has a clause break (`，`, `；`) outside quotation marks: a name in them
/// (`“一带一路”`) does not make a clause.
fn breaks_outside_quotes(text: &str) -> bool {
    outside_quotations(text).any(|(_, c)| matches!(c, '，' | ',' | '；' | ';'))
}

/// The characters of `text` outside its quotations (`“…”`, `「…」`, `『…』`, `‘…’`, the marks
/// themselves left out), with their byte offsets.
pub fn outside_quotations(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut quoted = 0usize;
    text.char_indices().filter(move |&(_, c)| match c {
        '“' | '「' | '『' | '‘' => {
            quoted += 1;
            false
        }
        '”' | '」' | '』' | '’' => {
            quoted = quoted.saturating_sub(1);
            false
        }
        _ => quoted == 0,
    })
}

/// Adds a sentence's range, or, where it is a short attribution right after a quotation, extends
/// the quotation's range to take it in. Blank ranges are dropped.
fn add_span(spans: &mut Vec<(usize, usize)>, paragraph: &str, (start, end): (usize, usize), after_quote: bool) {
    let sentence = trim(&paragraph[start..end]);
    if sentence.is_empty() {
        return;
    }
    match spans.last_mut() {
        Some(last) if after_quote && last.1 == start && is_attribution(sentence) => last.1 = end,
        _ => spans.push((start, end)),
    }
}

/// The entity HTML and XML write for one of their five markup characters (`&`, `<`, `>`, `"`,
/// `'`); `None` for any other character.
pub fn markup_entity(c: char) -> Option<&'static str> {
    Some(match c {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",
        '"' => "&quot;",
        '\'' => "&#39;",
        _ => return None,
    })
}

/// `text` for HTML and SVG, as text or a quoted attribute's value ([`markup_entity`]).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match markup_entity(c) {
            Some(entity) => out.push_str(entity),
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_keep_quotes_and_never_split_on_commas() {
        let p = "他说：“高质量发展离不开数字化转型。”近日，青岛发布报告。真的吗？！是的……好";
        assert_eq!(
            sentences(p),
            vec!["他说：“高质量发展离不开数字化转型。”", "近日，青岛发布报告。", "真的吗？！", "是的……", "好"]
        );
        assert_eq!(sentences("一、二，三"), vec!["一、二，三"]);
        // A quotation the sentence goes on from is part of it.
        let p = "《俄罗斯报》推出“中国加油！我们在一起！”的整版海报，声援中国抗击疫情。该报还刊文。";
        assert_eq!(
            sentences(p),
            vec!["《俄罗斯报》推出“中国加油！我们在一起！”的整版海报，声援中国抗击疫情。", "该报还刊文。"]
        );
        assert_eq!(sentences("“加油！”，他喊道。好。"), vec!["“加油！”，他喊道。", "好。"]);
    }

    #[test]
    fn quotations_stay_whole_with_who_said_them() {
        let p = "“以前要走十来分钟才能到车站。现在门口就能搭公交，方便多了。”日前，一位负责人说。“高质量发展是首要任务。”辛鸣说。他又补充了几句话。";
        assert_eq!(
            sentences(p),
            vec![
                "“以前要走十来分钟才能到车站。现在门口就能搭公交，方便多了。”",
                "日前，一位负责人说。",
                "“高质量发展是首要任务。”辛鸣说。",
                "他又补充了几句话。",
            ]
        );
        // A longer attribution without a comma that ends with a speech verb stays too.
        let p = "“真好，这么晚还能坐上地铁回家。”大年初六返京的常先生由衷感叹。为了保障返程高峰，地铁延长了运营时间。";
        assert_eq!(
            sentences(p),
            vec![
                "“真好，这么晚还能坐上地铁回家。”大年初六返京的常先生由衷感叹。",
                "为了保障返程高峰，地铁延长了运营时间。"
            ]
        );
        // However long the speaker's title, with a name in quotation marks; a comma outside
        // them makes a sentence of its own.
        let p = "“开放带来了进步。”某国“丝绸之路”经济研究中心高级研究员、国际关系学院客座教授安娜·彼得罗娃在接受记者采访时表示。她说，合作还会深化。";
        assert_eq!(
            sentences(p),
            vec![
                "“开放带来了进步。”某国“丝绸之路”经济研究中心高级研究员、国际关系学院客座教授安娜·彼得罗娃在接受记者采访时表示。",
                "她说，合作还会深化。"
            ]
        );
        assert_eq!(
            sentences("“开放带来了进步。”在接受采访时，某国经济研究中心的一位高级研究员表示。"),
            vec!["“开放带来了进步。”", "在接受采访时，某国经济研究中心的一位高级研究员表示。"]
        );
        // Brackets too, and a quotation without its closing mark is split once it is too long.
        assert_eq!(sentences("（据统计。今年增长。）全年完成。"), vec!["（据统计。今年增长。）", "全年完成。"]);
        let unclosed = format!("“{}", "这是一句很长的话。".repeat(20));
        let parts = sentences(&unclosed);
        assert!(parts.len() > 1 && parts.iter().all(|s| char_len(s) <= MAX_QUOTED_CHARS + 8), "{parts:?}");
    }

    #[test]
    fn long_sentences_come_in_pieces_cut_at_clause_breaks() {
        // A sentence that fits is one piece, and an empty one none.
        assert_eq!(split_long_sentence("今天天气很好。", 10), vec!["今天天气很好。"]);
        assert!(split_long_sentence("", 10).is_empty());
        // Cut after the last clause break that fits; the pieces give back the sentence.
        let s = "第一分句说明情况，第二分句补充细节，第三分句给出结论。";
        let got = split_long_sentence(s, 20);
        assert_eq!(got, vec!["第一分句说明情况，第二分句补充细节，", "第三分句给出结论。"]);
        assert_eq!(got.concat(), s);
        // Without a clause break, cut at the limit.
        let run = "甲".repeat(25);
        let got = split_long_sentence(&run, 10);
        assert_eq!(got.iter().map(|p| char_len(p)).collect::<Vec<_>>(), [10, 10, 5]);
        // Clauses and runs mixed: never over the limit, nothing lost.
        let mixed = format!("{}，{}、短，{}", "乙".repeat(30), "丙".repeat(7), "丁".repeat(3));
        let got = split_long_sentence(&mixed, 12);
        assert!(got.iter().all(|p| char_len(p) <= 12), "{got:?}");
        assert_eq!(got.concat(), mixed);
    }

    #[test]
    fn prefixes_count_characters() {
        assert_eq!(prefix("新闻联播", 2), "新闻");
        assert_eq!(prefix("新闻", 5), "新闻");
        assert_eq!(prefix("", 0), "");
    }

    #[test]
    fn lines_keep_char_offsets_for_every_line_ending() {
        let text = "甲乙\r\n丙\r丁\n\n戊";
        let got: Vec<_> = lines(text).iter().map(|l| (l.raw, l.start, l.end, l.next)).collect();
        assert_eq!(got, vec![("甲乙", 0, 2, 4), ("丙", 4, 5, 6), ("丁", 6, 7, 8), ("", 8, 8, 9), ("戊", 9, 10, 10)]);
    }

    #[test]
    fn trailing_newline_makes_no_extra_line() {
        assert_eq!(lines("a\n").len(), 1);
        assert!(lines("").is_empty());
    }

    #[test]
    fn trims_ideographic_and_no_break_spaces() {
        assert_eq!(trim("\u{3000}\u{3000}本报讯\u{a0} "), "本报讯");
        assert_eq!(indent_width("\u{3000}\u{3000}本报"), 2);
    }

    #[test]
    fn paragraph_ends() {
        assert!(ends_paragraph("他说：“好。”"));
        assert!(ends_paragraph("同志们："));
        assert!(!ends_paragraph("特别是习近平"));
        assert!(!ends_paragraph("深化“放管"));
    }

    #[test]
    fn joins_latin_words_with_a_space() {
        assert_eq!(join_broken("习近平", "总书记"), "习近平总书记");
        assert_eq!(join_broken("the Belt and", "Road"), "the Belt and Road");
        assert_eq!(join_broken("259", "栋"), "259栋");
    }
}
