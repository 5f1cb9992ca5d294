//! The newspaper conventions the segmenter recognises, as data: byline, dateline and credit
//! patterns, the marks and reporting leads that open a sentence, the words that mark a kicker
//! or a commentary. Extend these tables to teach the segmenter a new paper's habits.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::text::char_len;

/// Words that introduce people in a byline, in the order they are tried.
const ROLE_WORDS: &[&str] = &[
    "特约记者",
    "见习记者",
    "实习记者",
    "记者",
    "記者",
    "通讯员",
    "通訊員",
    "实习生",
    "實習生",
    "作者",
    "撰稿",
    "整理",
    "文/图",
    "文／图",
    "文/",
    "文／",
    "图/",
    "图／",
];

/// A line that is only a byline: `□青岛日报/观海新闻记者 薛君妍`, `本报记者 徐元锋`,
/// `（本报记者 陈一鸣、赵小雨）`, `作者：张三`.
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    // An outlet before the role ends like one: `青岛日报/观海新闻`, `本报`, `新华社`; it may
    // hold digits (`21世纪经济报`, an OCR'd `青岛3日报`).
    const OUTLET: &str = r"(?:[\p{Han}A-Za-z0-9０-９/／·]{0,14}?(?:报|報|社|网|網|台|臺|闻|聞|刊|站|中心))?";
    const ROLE: &str = r"(?:(?:特约|特約|见习|見習|实习|實習|驻[\p{Han}]{1,8})?(?:记者|記者)|通讯员|通訊員|实习生|實習生|作者[：:]?|撰稿[：:]?|摄影[：:]?|攝影[：:]?|文[/／]图?|图[/／])";
    const NAME: &str = r"(?:[\p{Han}·]{1,5}|[A-Za-z][A-Za-z.'-]*(?: [A-Za-z][A-Za-z.'-]*){0,3})";
    let pattern =
        format!(r"^(?:[□■◎●○◇◆▲△]\s*|[（(]\s*)?{OUTLET}{ROLE}\s*{NAME}(?:[\s、，,]+(?:{ROLE}\s*)?{NAME})*\s*[）)]?$");
    Regex::new(&pattern).expect("byline pattern")
});

/// Photo, chart and editor credits: `新华社记者 钱江摄`, `制图：郑小川`, `（责任编辑：张三）`.
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^[（(]?\s*(?:制图|绘图|图片|摄影|版式设计|美编|责任编辑|责编|编辑|校对|本版责编)\s*[：:]|^[（(]?资料图片[）)]?$)")
        .expect("credit pattern")
});

/// Bracketed notes that close an article: `（本报巴黎电）`, `（据新华社北京1月7日电）`,
/// `（蒲波采访整理）`, and a reporter's name alone, `（姚 昂）`.
static SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[（(]\s*(?:(?:据)?(?:本报|本報|新华社|新華社|中新社|人民网|新华网|央视网)[\p{Han}0-9０-９]{0,12}(?:电|讯|電|訊)|[^（）()]{1,20}(?:采访整理|整理|采写|供稿)|\p{Han}(?:\s*\p{Han}){1,3})\s*[）)]$",
    )
    .expect("sign-off pattern")
});

/// A dateline at the start of a paragraph: `本报11月14日讯`, `本报北京1月31日电`,
/// `新华社北京9月30日电`, `据新华社曼谷4月8日电`, `本报讯`, optionally followed by
/// `（记者 林晓晴）` or `记者王明报道：`.
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<line>(?:据)?(?P<outlet>本报|本報|新华社|新華社|中新社|中国新闻社|中央社|人民网|新华网|央视网|[\p{Han}A-Za-z]{2,12}?(?:日报|日報|晚报|晚報|晨报|商报|时报|時報|新闻网|新闻|新聞|报|報)(?:[/／][\p{Han}]{2,8})?)?(?P<place>[\p{Han}]{2,10}?)?(?P<date>[0-9０-９]{1,2}月[0-9０-９]{1,2}日|[一二三四五六七八九十〇]{1,3}月[一二三四五六七八九十〇]{1,3}日)?(?:电|讯|電|訊))(?P<after>\s*[（(](?P<credit>[^）)]{1,60})[）)]|\s*(?P<said>(?:本报|特约|见习|实习)?(?:记者|通讯员)[^，。；：:（）()]{1,30}?报道)\s*[：:，,]?|\s|：|:|$)",
    )
    .expect("dateline pattern")
});

/// What a page sets before a lead-in's sentences: a bullet (`■`, `●`) or a label (`编者按：`).
static LEAD_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[■●◆▲□◇○◎★☆]|(?:编者按|编者的话|编后|导语|内容提要|提要)\s*[：:])\s*").expect("lead mark pattern")
});

/// How a reporter says where the news came from: `记者从人社部获悉：`, `记者8日获悉，`,
/// `本报记者日前从市教育局了解到，`. Headlines and summaries leave it out.
static REPORTING_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:本报|本報)?(?:记者|記者)[^，。；：:,;“”]{0,24}?(?:获悉|獲悉|了解到|得知|获知)\s*[，：:,]\s*")
        .expect("reporting lead pattern")
});

/// A reporting lead comes off a sentence only where at least this many characters remain.
const MIN_AFTER_LEAD_CHARS: usize = 8;

/// Bracketed column tags that mark opinion pieces: `（人民观点）`, `（钟声）`, `（评论员观察）`.
const COMMENTARY_TAGS: &[&str] = &[
    "评论",
    "观点",
    "时评",
    "社论",
    "短评",
    "钟声",
    "新论",
    "论坛",
    "随笔",
    "杂谈",
    "望海楼",
    "快评",
    "锐评",
    "微评",
    "评论员",
];

/// Endings that make a header line a kicker leading into the headline below it.
const KICKER_ENDINGS: &[&str] = &[
    "强调", "指出", "表示", "要求", "印发", "发表", "文章", "致信", "致电", "讲话", "宣布", "提出", "时说", "发布",
    "会议", "召开",
];

/// Where and when a story was filed, and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Dateline {
    /// The dateline as printed, e.g. `本报北京1月31日电`.
    pub text: String,
    /// The outlet named in it (`本报`, `新华社`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// The place, e.g. `北京`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The date as printed, e.g. `1月31日`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// A dateline found at the start of a paragraph, with any reporters credited right after it
/// and the length of what it covers (dateline and credit) in bytes.
pub(super) struct DatelineMatch {
    pub dateline: Dateline,
    pub reporters: Vec<String>,
    pub len: usize,
}

/// A bracketed note that points the reader at a picture on the page, with its caption or credit
/// if any: `（图②，本报记者李纵摄）`, `（见上图，资料图片）`, `（图⑦：西周鲁司徒伯吴盨）`. Not
/// `（图书馆）` nor `（地图）`.
pub(super) static PICTURE_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[（(]见?[左右上下]?图[①-⑳0-9]*(?:[，,：:、][^（）()]{0,40})?[）)]").expect("picture note pattern")
});

pub(super) fn is_byline(line: &str) -> bool {
    line.chars().count() <= 64 && BYLINE.is_match(line) && !line.contains('。')
}

pub(super) fn is_credit(line: &str) -> bool {
    let chars = line.chars().count();
    chars <= 40 && (CREDIT.is_match(line) || is_photo_credit(line, chars))
}

pub(super) fn is_sign_off(line: &str) -> bool {
    SIGN_OFF.is_match(line)
}

/// `新华社记者 钱江摄`, `（张三摄）`, `李四摄`, `王五摄（人民视觉）`, but not a sentence that ends
/// in 拍摄.
fn is_photo_credit(line: &str, chars: usize) -> bool {
    let mut inner = line.trim_end_matches(['）', ')']).trim_end();
    let mut named = chars;
    // An agency or photo library after the photographer: `王五摄（人民视觉）`.
    if let Some(open) = inner.rfind(['（', '(']).filter(|&open| open > 0) {
        let before = inner[..open].trim_end();
        if before.ends_with('摄') {
            inner = before;
            named = inner.chars().count();
        }
    }
    inner.ends_with('摄')
        && !inner.ends_with("拍摄")
        && (["记者", "通讯员", "摄影"].iter().any(|w| line.contains(w)) || is_bracketed(line) || named <= 5)
}

pub(super) fn dateline(paragraph: &str) -> Option<DatelineMatch> {
    let caps = DATELINE.captures(paragraph)?;
    let outlet = caps.name("outlet").map(|m| m.as_str().to_owned());
    let date = caps.name("date").map(|m| m.as_str().to_owned());
    // `…讯`/`…电` alone is an ordinary word; a dateline names an outlet or a date.
    if outlet.is_none() && date.is_none() {
        return None;
    }
    let place = caps.name("place").map(|m| m.as_str().to_owned());
    if outlet.is_none() && place.is_some() && date.is_none() {
        return None;
    }
    let reporters = caps.name("credit").or(caps.name("said")).map(|m| reporters(m.as_str())).unwrap_or_default();
    let len = caps.get(0).map_or(0, |m| m.end());
    Some(DatelineMatch { dateline: Dateline { text: caps["line"].to_owned(), outlet, place, date }, reporters, len })
}

/// `sentence` without the bullet or label (`■`, `编者按：`) and the reporting lead
/// (`记者从人社部获悉：`) it opens with.
pub(super) fn after_lead_in(sentence: &str) -> &str {
    let sentence = LEAD_MARK.find(sentence).map_or(sentence, |mark| &sentence[mark.end()..]);
    match REPORTING_LEAD.find(sentence) {
        Some(lead) if char_len(&sentence[lead.end()..]) >= MIN_AFTER_LEAD_CHARS => &sentence[lead.end()..],
        _ => sentence,
    }
}

/// Splits a byline into its outlet (what precedes the first role word) and the people named.
pub(super) fn parse_byline(line: &str) -> (Option<String>, Vec<String>) {
    let line =
        line.trim_start_matches(['□', '■', '◎', '●', '○', '◇', '◆', '▲', '△', '（', '(']).trim_end_matches(['）', ')']);
    let first = ROLE_WORDS.iter().filter_map(|w| line.find(w).map(|i| (i, w))).min();
    let outlet = first
        .map(|(i, _)| line[..i].trim_end_matches(['特', '约', '见', '习', '实']))
        .map(|s| s.trim_end_matches(|c: char| c.is_whitespace()))
        .filter(|s| !s.is_empty() && !s.starts_with('驻'))
        .map(str::to_owned);
    (outlet, reporters(line))
}

/// The people named in a credit such as `记者 张晋 通讯员 窦晓青` or `本报记者 吴 双`.
pub(super) fn reporters(credit: &str) -> Vec<String> {
    let mut rest = credit;
    for (i, c) in credit.char_indices() {
        // Whatever precedes the first role word is the outlet.
        if ROLE_WORDS.iter().any(|w| credit[i..].starts_with(w)) {
            rest = &credit[i..];
            break;
        }
        if c == '：' || c == ':' {
            rest = &credit[i + c.len_utf8()..];
        }
    }
    let mut names: Vec<String> = Vec::new();
    for token in rest.split(|c: char| c.is_whitespace() || matches!(c, '、' | '，' | ',' | '：' | ':' | '\u{3000}'))
    {
        let token = ROLE_WORDS.iter().fold(token, |t, w| t.split(w).last().unwrap_or(t));
        let token = token.trim_start_matches(|c: char| !(c.is_alphanumeric()));
        let token = token.trim_end_matches(['摄', '报', '道']).trim();
        if token.is_empty() || ["本报", "本報", "新华社", "新華社"].contains(&token) {
            continue;
        }
        // `吴 双`: two-character names padded with a space print as two one-character tokens.
        match names.last_mut() {
            Some(last) if pending_single(last) && token.chars().count() == 1 => last.push_str(token),
            _ => names.push(token.to_owned()),
        }
    }
    names
}

fn pending_single(name: &str) -> bool {
    name.chars().count() == 1
}

/// True when a header line ends with a verb or noun that leads into a headline below it.
pub(super) fn ends_like_kicker(line: &str) -> bool {
    KICKER_ENDINGS.iter().any(|e| line.ends_with(e))
}

/// True when a header line carries a column tag in brackets, as headlines do.
pub(super) fn has_column_tag(line: &str) -> bool {
    (line.ends_with('）') || line.ends_with(')')) && !(line.starts_with('（') || line.starts_with('('))
}

/// True when a header line is all in brackets, like a date under a speech's title.
pub(super) fn is_bracketed(line: &str) -> bool {
    (line.starts_with('（') || line.starts_with('(')) && (line.ends_with('）') || line.ends_with(')'))
}

pub(super) fn has_commentary_tag(header: &str) -> bool {
    COMMENTARY_TAGS.iter().any(|t| {
        header.contains(&format!("（{t}"))
            || header.contains(&format!("({t}"))
            || header.contains(&format!("{t}）"))
            || header.contains(&format!("{t})"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines() {
        let m = dateline("本报北京3月2日电\u{a0}（记者林晓晴）全国春耕备耕工作").unwrap();
        assert_eq!(m.dateline.text, "本报北京3月2日电");
        assert_eq!(m.dateline.place.as_deref(), Some("北京"));
        assert_eq!(m.reporters, vec!["林晓晴"]);
        let m = dateline("本报11月14日讯 按照省委统一安排").unwrap();
        assert_eq!(&"本报11月14日讯 按照省委统一安排"[m.len..], "按照省委统一安排");
        assert_eq!((m.dateline.outlet.as_deref(), m.dateline.date.as_deref()), (Some("本报"), Some("11月14日")));
        assert_eq!(dateline("据新华社曼谷4月8日电 （记者周明远）").unwrap().dateline.place.as_deref(), Some("曼谷"));
        let opening = "本报讯 记者王明 通讯员李华报道：今天上午，市里召开会议";
        let m = dateline(opening).unwrap();
        assert_eq!(
            (&opening[m.len..], m.reporters),
            ("今天上午，市里召开会议", vec!["王明".to_owned(), "李华".to_owned()])
        );
        let opening = "本报讯 记者从市发改委获悉，今年以来全市固投增速15%。";
        assert_eq!(&opening[dateline(opening).unwrap().len..], "记者从市发改委获悉，今年以来全市固投增速15%。");
        assert!(dateline("今天下午，学习贯彻党的二十大精神").is_none());
        assert!(dateline("通讯员发现").is_none());
    }

    #[test]
    fn bylines() {
        assert!(is_byline("□青岛日报/观海新闻记者 张晋 通讯员 窦晓青"));
        assert!(is_byline("本报记者 吴 双"));
        assert!(is_byline("（本报记者 陈一鸣、赵小雨、孙立）"));
        assert!(is_byline("□青岛3日报/观海新闻记者 薛君妍"), "digits in the outlet");
        assert!(!is_byline("记者从市北区获悉，今年以来全区固投增速15%。"));
        assert!(!is_byline("记者新春探访乡村治理"));
        assert!(!is_byline("向坚守岗位的社区工作者致敬"));
        assert!(!is_byline("发言人就近期热点答记者问"));
        let (outlet, people) = parse_byline("□青岛日报/观海新闻记者 张晋 通讯员 窦晓青");
        assert_eq!(outlet.as_deref(), Some("青岛日报/观海新闻"));
        assert_eq!(people, vec!["张晋", "窦晓青"]);
        assert_eq!(parse_byline("本报记者 吴 双").1, vec!["吴双"]);
    }

    #[test]
    fn credits() {
        assert!(is_credit("新华社记者\u{a0}钱江摄"));
        assert!(is_credit("制图：郑小川"));
        assert!(is_credit("王熙维摄（人民视觉）"));
        assert!(is_credit("（张三摄）"));
        assert!(!is_credit("他拿起相机拍摄"));
        assert!(!is_credit("他拿起相机拍摄（资料）"));
        for note in ["（本报巴黎电）", "（新华社电）", "（据新华社北京1月7日电）", "（蒲波采访整理）", "（姚\u{a0}昂）"]
        {
            assert!(is_sign_off(note), "{note}");
        }
        assert!(!is_sign_off("（据统计，今年增长了三成）"));
        assert!(!is_sign_off("会议在北京召开（新华社电）"));
    }
}
