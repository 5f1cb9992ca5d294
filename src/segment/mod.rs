//! Page → articles. A page's lines are described by their features ([`lines`]), runs of
//! head-shaped lines that carry enough evidence start articles ([`header`]), and what follows a
//! header up to the next one is its body ([`body`]). Conventions such as byline and dateline
//! forms are data in [`patterns`].
//!
//! Segmentation works on decoded text only; it never reads files and never calls a model.

mod body;
mod header;
mod lines;
mod patterns;

use serde::Serialize;

use self::lines::{Line, Role, Style};
pub use self::patterns::Dateline;
use crate::text::char_len;

/// One article cut from a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Article {
    /// Position on the page, from 1.
    pub index: usize,
    /// The main headline (主题); empty when the text has none.
    pub headline: String,
    /// The line above the headline that leads into it (引题).
    pub kicker: Option<String>,
    /// The line under the headline (副题).
    pub deck: Option<String>,
    pub byline: Byline,
    pub dateline: Option<Dateline>,
    /// Section heads inside the article.
    pub subheads: Vec<String>,
    /// The quotation or editor's note the body opens with, ending on its attribution line
    /// (`——习近平`, `——编  者`): words set above the story, not the story.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub epigraph: Vec<String>,
    /// Body paragraphs, in order, with lines an export broke apart joined back.
    pub paragraphs: Vec<String>,
    /// Photo, chart and editor credits.
    pub credits: Vec<String>,
    pub kind: Kind,
    /// Where the article lies in the decoded text.
    pub span: Span,
}

/// Who wrote an article, and for whom.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Byline {
    /// The outlet (`青岛日报/观海新闻`, `本报`, `新华社`).
    pub outlet: Option<String>,
    /// Reporters and correspondents, in the order named.
    pub reporters: Vec<String>,
    /// The byline lines as printed.
    pub lines: Vec<String>,
}

impl Byline {
    /// Whether a reporter files it (`本报记者 张三`), as a report or a feature is filed; a
    /// commentary is signed by its author.
    pub fn is_reporters(&self) -> bool {
        self.lines.iter().any(|l| l.contains("记者"))
    }
}

/// Character offsets (Unicode scalar values) into the decoded text; `end` is exclusive. The
/// spans of a page's articles cover the page without gaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// What sort of article it is, where the text tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    News,
    Commentary,
    Unknown,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::News => "news",
            Kind::Commentary => "commentary",
            Kind::Unknown => "unknown",
        }
    }
}

/// An article in the making: the header run and the body lines that follow it.
struct Group {
    header: Vec<usize>,
    content: Vec<usize>,
}

impl Group {
    fn first(&self) -> usize {
        self.header.first().or(self.content.first()).copied().unwrap_or(0)
    }

    fn last(&self) -> usize {
        self.content.last().or(self.header.last()).copied().unwrap_or(0)
    }
}

impl Article {
    /// Kicker, headline and deck (without its leading dashes) in one line, as a reader takes
    /// them in; empty where the article has none.
    pub fn heading(&self) -> String {
        let deck = self.deck.as_deref().map(|d| d.trim_start_matches(['—', '-']));
        let parts = [self.kicker.as_deref(), Some(self.headline.as_str()), deck];
        parts.into_iter().flatten().filter(|p| !p.trim().is_empty()).collect::<Vec<_>>().join(" ")
    }
}

/// `paragraph` without the dateline it opens with (`本报11月14日讯 `, `本报北京1月31日电　（记者
/// 林晓晴）`), or all of it where it has none.
pub fn after_dateline(paragraph: &str) -> &str {
    match patterns::dateline(paragraph) {
        Some(found) => {
            paragraph[found.len..].trim_start_matches(|c: char| crate::text::is_space(c) || "，,：:".contains(c))
        }
        None => paragraph,
    }
}

/// `paragraph` without the notes in it that point at a picture on the page, with their caption
/// or credit (`（图②，本报记者李纵摄）`, `（见上图，资料图片）`): read apart from the page, they
/// point at nothing.
pub fn without_picture_notes(paragraph: &str) -> std::borrow::Cow<'_, str> {
    patterns::PICTURE_NOTE.replace_all(paragraph, "")
}

/// `sentence` without what opens it but is not its text: a lead-in's bullet or label (`■`,
/// `编者按：`) and a reporter's source (`记者从人社部获悉：`, kept where little would remain).
pub fn after_lead_in(sentence: &str) -> &str {
    patterns::after_lead_in(sentence)
}

/// Whether a line or sentence is a byline, a credit (photo, chart, editor) or a bracketed
/// sign-off (`（新华社电）`), not article text.
pub fn is_boilerplate(sentence: &str) -> bool {
    let sentence = crate::text::trim(sentence);
    patterns::is_byline(sentence) || patterns::is_credit(sentence) || patterns::is_sign_off(sentence)
}

/// Splits a page into its articles. A text with no headlines comes out as one article; a text
/// with no visible characters as none.
pub fn split(text: &str) -> Vec<Article> {
    let (lines, style) = lines::analyse(text);
    let groups = group(&lines, style);
    let total = char_len(text);
    let boundaries = boundaries(&lines, &groups, total);
    groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let span = Span { start: boundaries[i].0, end: boundaries[i + 1].0 };
            build(i + 1, &lines, g, style, slots(&lines, g, boundaries[i].1, style), span)
        })
        .collect()
}

/// Reads a text known to hold a single article (a JSON Lines row). A given `title` is the
/// headline (an empty one: the article has none); without one, a header at the top of the
/// text is used.
pub fn single(text: &str, title: Option<&str>) -> Option<Article> {
    let (lines, style) = lines::analyse(text);
    let mut content: Vec<usize> = (0..lines.len()).filter(|&k| !lines[k].is_blank()).collect();
    let first = *content.first()?;
    let mut header_lines = Vec::new();
    match title {
        Some(title) if lines[first].text == title => {
            content.remove(0);
        }
        Some(_) => {}
        None if lines[first].role == Role::Head => {
            header_lines = header::run(&lines, first, style);
            content.retain(|k| !header_lines.contains(k));
        }
        None => {}
    }
    let group = Group { header: header_lines, content };
    let mut article = build(1, &lines, &group, style, None, Span { start: 0, end: char_len(text) });
    if let Some(title) = title {
        article.headline = title.to_owned();
    }
    Some(article)
}

/// Walks the non-blank lines, opening a new group at every header run that starts an article.
fn group(lines: &[Line<'_>], style: Style) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut next = header::next_non_blank(lines, 0);
    let mut first_on_page = true;
    while let Some(k) = next {
        if lines[k].role == Role::Head {
            let run = header::run(lines, k, style);
            if header::starts_article(lines, &run, style, first_on_page) {
                next = header::next_non_blank(lines, run[run.len() - 1] + 1);
                groups.push(Group { header: run, content: Vec::new() });
                first_on_page = false;
                continue;
            }
        }
        first_on_page = false;
        match groups.last_mut() {
            Some(g) => g.content.push(k),
            None => groups.push(Group { header: Vec::new(), content: vec![k] }),
        }
        next = header::next_non_blank(lines, k + 1);
    }
    groups
}

/// Where each article begins, as (character offset, line index), plus the end of the text.
/// Between two articles the first empty line belongs to the one above; further blank lines
/// (an empty pre-title slot) to the one below. Lines of nothing but spaces are the layout of
/// the article above (an indented empty paragraph), so an empty line is looked for first.
fn boundaries(lines: &[Line<'_>], groups: &[Group], total: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(groups.len() + 1);
    for (i, g) in groups.iter().enumerate() {
        if i == 0 {
            out.push((0, 0));
            continue;
        }
        let previous_end = groups[i - 1].last();
        let first = g.first();
        let gap = previous_end + 1..first;
        let separator = gap.clone().find(|&k| lines[k].is_blank() && lines[k].indent == 0);
        match separator.or_else(|| gap.clone().find(|&k| lines[k].is_blank())) {
            Some(blank) => out.push((lines[blank].next, blank + 1)),
            None => out.push((lines[first].start, first)),
        }
    }
    out.push((total, lines.len()));
    out
}

/// On an indented page whose header takes exactly three lines, blank or not, between the
/// article's boundary and its first body line, those lines are the pre-title, headline and
/// subtitle slots of an e-paper layout.
fn slots<'a>(lines: &[Line<'a>], g: &Group, from: usize, style: Style) -> Option<[Option<&'a str>; 3]> {
    let body = *g.content.first()?;
    if !style.indented || g.header.is_empty() || body.checked_sub(from)? != 3 {
        return None;
    }
    let slot = |k: usize| Some(lines[k].text).filter(|t| !t.is_empty());
    Some([slot(from), slot(from + 1), slot(from + 2)])
}

fn build(
    index: usize,
    lines: &[Line<'_>],
    g: &Group,
    style: Style,
    slots: Option<[Option<&str>; 3]>,
    span: Span,
) -> Article {
    let texts: Vec<&str> = g.header.iter().map(|&k| lines[k].text).collect();
    let header = if texts.is_empty() { header::Header::default() } else { header::assign(&texts, slots) };
    let body = body::assemble(g.content.iter().map(|&k| &lines[k]), style);
    let kind = kind(&header, &body);
    Article {
        index,
        headline: header.headline,
        kicker: header.kicker,
        deck: header.deck,
        byline: body.byline,
        dateline: body.dateline,
        subheads: body.subheads,
        epigraph: body.epigraph,
        paragraphs: body.paragraphs,
        credits: body.credits,
        kind,
        span,
    }
}

/// News carries a dateline or a reporter's byline; commentary a column tag such as `（钟声）`,
/// or, with neither dateline nor reporter, the first person plural of an editorial.
fn kind(header: &header::Header, body: &body::Body) -> Kind {
    let heading = [header.kicker.as_deref(), Some(header.headline.as_str()), header.deck.as_deref()];
    let heading: String = heading.into_iter().flatten().collect();
    if patterns::has_commentary_tag(&heading) || body.byline.lines.iter().any(|l| l.contains("评论员")) {
        return Kind::Commentary;
    }
    if body.dateline.is_some() || body.byline.lines.iter().any(|l| l.contains("记者")) {
        return Kind::News;
    }
    let we = body.paragraphs.iter().map(|p| p.matches("我们").count()).sum::<usize>();
    if body.byline.reporters.is_empty() && we >= 2 {
        return Kind::Commentary;
    }
    Kind::Unknown
}
