//! An article → its candidate sentences: the body's sentences that a summary or a label may
//! read, without datelines, bylines, credits, subheadings between paragraphs and repeats
//! ([`candidates`]), each with the paragraph it is in ([`Sentence`]).

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;
use std::time::Instant;

use regex::Regex;

use crate::segment::{self, Article};
use crate::text::{self, char_len};

/// One sentence a summary may use, or a label read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub text: String,
    /// Which paragraph of the article it is in.
    pub paragraph: usize,
    pub chars: usize,
}

impl Sentence {
    pub fn new(text: &str, paragraph: usize) -> Sentence {
        Sentence { text: text.to_owned(), paragraph, chars: char_len(text) }
    }
}

/// What ends a line that the page leaves without punctuation (a deck, a standfirst, a pull
/// quote, a line of verse), so that a summary joining it to the next sentence keeps them apart.
pub const LINE_END: char = '。';

/// `sentence`, ending with [`LINE_END`] where it ends on a letter, digit or character, or on a
/// quotation or bracket closed without sentence punctuation (`叫它‘大白’`), rather than on
/// punctuation: a line without an end of its own (a deck, a pull quote) reads as a sentence.
fn as_sentence(sentence: &str) -> Cow<'_, str> {
    if ends_bare(sentence) {
        format!("{sentence}{LINE_END}").into()
    } else {
        sentence.into()
    }
}

/// Whether `text` ends without punctuation of its own: on a letter, digit or character, or on
/// a closing quote or bracket with no sentence end or colon before it.
pub fn ends_bare(text: &str) -> bool {
    let open = text.trim_end_matches(text::is_closing);
    open.chars().last().is_some_and(char::is_alphanumeric)
}

/// A paragraph this short without a sentence end is a subheading inside the body
/// (`凝聚更多共识`), not a sentence.
const MAX_SUBHEADING_CHARS: usize = 30;

/// A sentence longer than this many characters is ranked in pieces cut at clause breaks
/// ([`text::split_long_sentence`]), so that the work per candidate is bounded whatever the text looks like.
/// Far above a newspaper's sentences: among the 72,000 sentences of the annotated People's Daily
/// pages, one in a thousand is over 215 characters, and those are tables and lists without a
/// full stop.
pub const MAX_SENTENCE_CHARS: usize = 256;

/// The body's sentences in order, without what is not summary text: the dateline opening the first
/// paragraph (`本报11月14日讯` goes, the sentence after it stays), a reporter's source or a lead-in's
/// bullet or label opening a sentence (`记者从人社部获悉：`, `■`, `编者按：`), bylines, credits (photo, chart,
/// editor lines), notices to the reader ([`NOTICE`]), notes that point at a picture
/// ([`segment::without_picture_notes`]) and sign-offs inside paragraphs, subheadings between
/// paragraphs, fragments without a Chinese character, and a sentence's second copy.
/// A sentence over [`MAX_SENTENCE_CHARS`] comes in pieces.
pub fn candidates(article: &Article) -> Vec<Sentence> {
    candidates_within(article, None).unwrap_or_default()
}

/// How many candidates [`candidates_within`] takes between looks at the clock.
const CLOCK_EVERY: usize = 64;

/// [`candidates`], or `None` once `deadline` has passed: the clock is read after each
/// paragraph and every [`CLOCK_EVERY`] candidates, so that the work on an article whose text
/// grows without end stops soon after its time is up.
pub fn candidates_within(article: &Article, deadline: Option<Instant>) -> Option<Vec<Sentence>> {
    let late = || deadline.is_some_and(|d| Instant::now() > d);
    let mut out = Vec::new();
    // Kept aside: a body made of nothing but short lines (a poem, a list) is summarised from them.
    let mut subheadings = Vec::new();
    let mut seen = HashSet::new();
    // A dateline opens the first paragraph, or a later one where dispatches are merged.
    let paragraphs: Vec<Cow<'_, str>> =
        article.paragraphs.iter().map(|p| segment::without_picture_notes(segment::after_dateline(p))).collect();
    for (p, paragraph) in paragraphs.iter().enumerate() {
        let parts = lost_paragraphs(paragraph);
        for part in &parts {
            let sentences = text::sentences(part);
            let alone = sentences.len() == 1 && (article.paragraphs.len() > 1 || parts.len() > 1);
            let pieces = sentences.into_iter().flat_map(|sentence| {
                let sentence = segment::after_lead_in(strip_credit_tail(sentence));
                text::split_long_sentence(sentence, MAX_SENTENCE_CHARS)
            });
            for (n, sentence) in pieces.enumerate() {
                if n % CLOCK_EVERY == CLOCK_EVERY - 1 && late() {
                    return None;
                }
                if segment::is_boilerplate(sentence) || NOTICE.is_match(sentence) || !sentence.chars().any(text::is_han)
                {
                    continue;
                }
                // A sentence the page prints twice (a pull quote above its paragraph) is one candidate.
                if !seen.insert(sentence) {
                    continue;
                }
                let ends =
                    sentence.trim_end_matches(text::is_closing).ends_with(|c| text::is_sentence_end(c) || c == '：');
                let candidate = Sentence::new(&as_sentence(sentence), p);
                if alone && !ends && char_len(sentence) <= MAX_SUBHEADING_CHARS {
                    subheadings.push(candidate);
                } else {
                    out.push(candidate);
                }
            }
        }
        if late() {
            return None;
        }
    }
    Some(if out.is_empty() { subheadings } else { out })
}

/// Where an export ran a page's paragraphs into one line, each still opens with its indentation
/// of two ideographic spaces (`…有关事项公告如下。　　一、奖项设置　　2020年…`): a paragraph
/// break, so that a subheading between paragraphs is not read into the next sentence.
const LOST_BREAK: &str = "\u{3000}\u{3000}";

/// The paragraphs an export ran into `paragraph` ([`LOST_BREAK`]): a break follows a sentence's
/// end or a numbered subheading (`一、奖项设置`, `（二）申报条件`); elsewhere the spaces set apart
/// the lines of a poem or a slogan, or a name from what is said of it, which read on.
fn lost_paragraphs(paragraph: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (at, _) in paragraph.match_indices(LOST_BREAK) {
        let before = text::trim(&paragraph[start..at]);
        if text::ends_sentence(before) || NUMBERED_SUBHEADING.is_match(before) {
            out.push(before);
            start = at + LOST_BREAK.len();
        }
    }
    out.push(text::trim(&paragraph[start..]));
    out.retain(|p| !p.is_empty());
    out
}

/// A subheading numbered as an item of a list, without a sentence end.
static NUMBERED_SUBHEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^{}[^。！？；]{{1,20}}$", text::LIST_NUMBER)).expect("numbered subheading pattern")
});

/// A notice to the reader, not news: where to see more or what is to come (`看更多照片和征稿信息，
/// 请登录…专题主页。`, `本报今起推出“…”系列报道，敬请关注。`, `扫描二维码观看视频`), or where to send
/// one's own (`欢迎赐图投稿，邮箱：…`).
static NOTICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"敬请(?:关注|期待|垂注)|请(?:登录|登陆|访问|扫描|扫码)|扫描[^，。；]{0,6}二维码|扫码(?:关注|下载|观看|阅读)|欢迎(?:赐图|赐稿|来稿|投稿)|投稿邮箱")
        .expect("notice pattern")
});

/// Removes a trailing bracketed credit such as `（记者 张三）` or `（新华社）` from a sentence.
fn strip_credit_tail(sentence: &str) -> &str {
    let trimmed = text::trim(sentence);
    if let Some(open) = trimmed.rfind(['（', '(']) {
        let tail = &trimmed[open..];
        if (tail.ends_with('）') || tail.ends_with(')')) && segment::is_boilerplate(tail) {
            return text::trim(&trimmed[..open]);
        }
    }
    trimmed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines_bylines_credits_and_subheadings_are_not_candidates() {
        let page = "市里召开会议部署冬季供暖\n\n本报记者 张三\n\n　　本报11月14日讯 今天上午，市里召开会议部署冬季供暖工作。会议要求各区确保居民按时供暖。（记者 李四）\n\n　　用好“管网图”（记者手记）\n\n　　各区要加强管网巡查。（本报北京电）\n\n　　王五摄（人民视觉）\n\n（责任编辑：王五）\n";
        let article = crate::segment::split(page).remove(0);
        let texts: Vec<String> = candidates(&article).into_iter().map(|s| s.text).collect();
        assert_eq!(
            texts,
            ["今天上午，市里召开会议部署冬季供暖工作。", "会议要求各区确保居民按时供暖。", "各区要加强管网巡查。"]
        );
        // A reporter's source comes off the sentence it opens, unless little would be left.
        let mut sourced = article.clone();
        sourced.paragraphs = vec!["记者从市发改委获悉：今年以来全市固定资产投资增长15%。记者获悉，暂无。".into()];
        let texts: Vec<String> = candidates(&sourced).into_iter().map(|s| s.text).collect();
        assert_eq!(texts, ["今年以来全市固定资产投资增长15%。", "记者获悉，暂无。"]);
        // Paragraphs an export ran into one line are paragraphs still, and a subheading
        // between them is no part of the sentence after it.
        sourced.paragraphs = vec!["评奖工作即日启动，有关事项公告如下。　　一、奖项设置　　今年设置3个奖项。".into()];
        let texts: Vec<String> = candidates(&sourced).into_iter().map(|s| s.text).collect();
        assert_eq!(texts, ["评奖工作即日启动，有关事项公告如下。", "今年设置3个奖项。"]);
        // A notice of where to see more, or of what is to come, is no news.
        sourced.paragraphs = vec![
            "本报今起推出系列报道，敬请关注。松溉古镇位于永川区南端。看更多照片，请登录专题主页。欢迎赐图投稿，邮箱：a@b.com。"
                .into(),
        ];
        let texts: Vec<String> = candidates(&sourced).into_iter().map(|s| s.text).collect();
        assert_eq!(texts, ["松溉古镇位于永川区南端。"]);
        // Lines of a poem, or a name and what is said of it, set apart by the spaces read on.
        let poem = "抗击疫情　　是一场没有硝烟的战争　　他们主动请缨　　奔赴一线。";
        assert_eq!(lost_paragraphs(poem), [poem]);
        assert_eq!(lost_paragraphs("张  三　　某大学2015级本科生。"), ["张  三　　某大学2015级本科生。"]);
        // A note pointing at a picture is not read, wherever it stands; a library or a map in
        // brackets is.
        sourced.paragraphs = vec![
            "在绣球街，符小艳（图②，本报记者李纵摄）也是排得上号的巧手。一件青铜簋（图⑦：西周鲁司徒伯吴盨）入藏。"
                .into(),
            "新馆（见上图）设有阅览室（图书馆）和展厅（地图）。".into(),
        ];
        let texts: Vec<String> = candidates(&sourced).into_iter().map(|s| s.text).collect();
        assert_eq!(
            texts,
            ["在绣球街，符小艳也是排得上号的巧手。", "一件青铜簋入藏。", "新馆设有阅览室（图书馆）和展厅（地图）。"]
        );
        // A sentence printed twice is one candidate.
        sourced.paragraphs = vec![
            "严谨细致，是科学家基本的专业素养。".into(),
            "严谨细致，是科学家基本的专业素养。获奖者做出了表率。".into(),
        ];
        let texts: Vec<String> = candidates(&sourced).into_iter().map(|s| s.text).collect();
        assert_eq!(texts, ["严谨细致，是科学家基本的专业素养。", "获奖者做出了表率。"]);
        // Neither are the bullets and labels of a lead-in.
        sourced.paragraphs = vec![
            "■ 要贯彻新时代党的强军思想，聚焦备战打仗，提高警卫能力，努力开创卫戍区建设新局面".into(),
            "编者按： 1958年，我国第一台半导体收音机诞生。".into(),
            "来往的旅客也亲切地叫它‘大白’，还录了视频发到网上，让这位同事刚上班就火了‘大白’".into(),
        ];
        let texts: Vec<String> = candidates(&sourced).into_iter().map(|s| s.text).collect();
        assert_eq!(
            texts,
            [
                // A line the page leaves without punctuation ends as a sentence, a quotation
                // closed without a sentence end too.
                "要贯彻新时代党的强军思想，聚焦备战打仗，提高警卫能力，努力开创卫戍区建设新局面。",
                "1958年，我国第一台半导体收音机诞生。",
                "来往的旅客也亲切地叫它‘大白’，还录了视频发到网上，让这位同事刚上班就火了‘大白’。"
            ]
        );
        assert!(ends_bare("叫它‘大白’") && ends_bare("新局面") && !ends_bare("一起。”") && !ends_bare("如下："));
        // Short lines are all a poem has: they are its sentences.
        let mut poem = article;
        poem.paragraphs =
            vec!["风吹过田野，麦苗青青".into(), "我们在路上，心里亮堂".into(), "远方的人，请你回家".into()];
        let texts: Vec<String> = candidates(&poem).into_iter().map(|s| s.text).collect();
        let lines: Vec<String> = poem.paragraphs.iter().map(|p| format!("{p}{LINE_END}")).collect();
        assert_eq!(texts, lines);
    }
}
