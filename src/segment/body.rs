//! An article's body: paragraphs (lines an export broke mid-sentence joined back), subheads,
//! bylines, credits and the dateline.

use std::sync::LazyLock;

use regex::Regex;

use super::lines::{Line, Role, Style, PARAGRAPH_MIN_CHARS};
use super::patterns::{self, Dateline};
use super::Byline;
use crate::text::{ends_paragraph, join_broken};

/// Longest line kept as a subhead inside an article.
const SUBHEAD_MAX_CHARS: usize = 30;
/// Longest indented line, without closing punctuation, taken for a subhead on an indented page.
const INDENTED_SUBHEAD_MAX_CHARS: usize = 24;

/// Most paragraphs an epigraph holds ([`ATTRIBUTION`]).
const EPIGRAPH_MAX_PARAGRAPHS: usize = 4;

/// A line that only says whose words the paragraphs above it are (`——习近平`, `——编  者`): at
/// the top of a body, after a quotation or an editor's note, it closes the article's epigraph.
static ATTRIBUTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^——\s*(?:\p{Han}\s*){2,10}$").expect("attribution pattern"));

#[derive(Debug, Default)]
pub(super) struct Body {
    pub epigraph: Vec<String>,
    pub paragraphs: Vec<String>,
    pub subheads: Vec<String>,
    pub credits: Vec<String>,
    pub byline: Byline,
    pub dateline: Option<Dateline>,
}

pub(super) fn assemble<'a>(lines: impl IntoIterator<Item = &'a Line<'a>>, style: Style) -> Body {
    let mut body = Body::default();
    // True while the last paragraph was broken off mid-sentence and the next line continues it.
    let mut open = false;
    // The line that closes an epigraph, with the paragraphs above it.
    let mut attribution = None;
    for line in lines {
        // An open paragraph ends where the page says a new one starts, whatever its last
        // character: more blank lines above the line than the page puts between paragraphs, or
        // an indent on a page that indents its paragraphs. The text lost a full stop there; an
        // export that breaks a line mid-sentence neither indents nor spaces the rest.
        let continues = open
            && matches!(line.role, Role::Body | Role::Head)
            && line.gap <= style.paragraph_gap
            && !(style.indented && line.indent > 0);
        open = false;
        match line.role {
            _ if continues => {
                let last = body.paragraphs.last_mut().expect("an open paragraph exists");
                *last = join_broken(last, line.text);
                open = !ends_paragraph(last);
            }
            Role::Byline => add_byline(&mut body.byline, line.text),
            Role::Credit => body.credits.push(line.text.to_owned()),
            Role::Head | Role::Body if attribution.is_none() && closes_epigraph(&body, line.text) => {
                attribution = Some((body.paragraphs.len(), line.text.trim()));
            }
            Role::Head if line.chars <= SUBHEAD_MAX_CHARS => body.subheads.push(line.text.to_owned()),
            Role::Body if is_indented_subhead(line, style) => body.subheads.push(line.text.to_owned()),
            Role::Head | Role::Body => {
                body.paragraphs.push(line.text.to_owned());
                open = line.chars >= PARAGRAPH_MIN_CHARS && !ends_paragraph(line.text);
            }
            Role::Blank => {}
        }
    }
    // Where the body goes on past it, the epigraph is set apart from what the article tells;
    // where it is the whole text (an editor's note over a page of pictures), it is the text.
    match attribution {
        Some((n, line)) if body.paragraphs.len() > n => {
            body.epigraph = body.paragraphs.drain(..n).collect();
            body.epigraph.push(line.to_owned());
        }
        Some((_, line)) => body.subheads.insert(0, line.to_owned()),
        None => {}
    }
    // The dateline opens the first paragraph, or the one after the lead-ins: lines without a
    // full stop (a summary in bold, `■` points) and at most one paragraph (`编者按`).
    let mut complete = 0;
    let found = body
        .paragraphs
        .iter()
        .take_while(|p| {
            let before = complete;
            complete += usize::from(ends_paragraph(p));
            before < 2
        })
        .find_map(|p| patterns::dateline(p));
    if let Some(found) = found {
        body.byline.reporters.extend(found.reporters);
        body.dateline = Some(found.dateline);
    }
    if body.byline.outlet.is_none() {
        body.byline.outlet = body.dateline.as_ref().and_then(|d| d.outlet.clone());
    }
    body.byline.reporters.dedup();
    body
}

/// Whether `line` attributes the paragraphs of `body` so far ([`ATTRIBUTION`]): a quotation or
/// an editor's note of at most [`EPIGRAPH_MAX_PARAGRAPHS`] that opens the body, before any
/// subhead. What the article tells starts after it.
fn closes_epigraph(body: &Body, line: &str) -> bool {
    body.subheads.is_empty()
        && (1..=EPIGRAPH_MAX_PARAGRAPHS).contains(&body.paragraphs.len())
        && ATTRIBUTION.is_match(line.trim())
}

fn add_byline(byline: &mut Byline, line: &str) {
    let (outlet, people) = patterns::parse_byline(line);
    if byline.outlet.is_none() {
        byline.outlet = outlet;
    }
    for person in people {
        if !byline.reporters.contains(&person) {
            byline.reporters.push(person);
        }
    }
    byline.lines.push(line.to_owned());
}

/// On an indented page a short indented line without closing punctuation heads a section
/// (`编者的话`, `浙江杭州李明——`).
fn is_indented_subhead(line: &Line<'_>, style: Style) -> bool {
    style.indented
        && line.indent > 0
        && line.chars <= INDENTED_SUBHEAD_MAX_CHARS
        && !ends_paragraph(line.text)
        && !line.text.ends_with(['，', '、', ','])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::lines::analyse;

    fn body_of(page: &str) -> Body {
        let (lines, style) = analyse(page);
        assemble(lines.iter().filter(|l| !l.is_blank()), style)
    }

    #[test]
    fn a_quotation_or_note_over_the_story_is_its_epigraph() {
        let quoted = body_of(concat!(
            "\u{3000}\u{3000}脱贫攻坚工作进入目前阶段，要重点研究解决深度贫困问题。\n",
            "\u{3000}\u{3000}希望乡亲们同党中央一起撸起袖子加油干。\n",
            "\u{3000}\u{3000}——习近平 \n",
            "\n",
            "\u{3000}\u{3000}置身山峁沟壑间，清新的气息穿林漫坡而来，眼前风光真好。\n",
            "\u{3000}\u{3000}2017年6月，总书记深入吕梁山区看望深度贫困群众。\n",
        ));
        assert_eq!(quoted.epigraph.len(), 3, "{:?}", quoted.epigraph);
        assert_eq!(quoted.epigraph[2], "——习近平");
        assert!(quoted.paragraphs[0].starts_with("置身山峁沟壑间"), "{:?}", quoted.paragraphs);
        assert!(quoted.subheads.is_empty());
        // An editor's note that is the whole text stays the text.
        let note = body_of(concat!(
            "\u{3000}\u{3000}今天，本版从近年涌现的优秀美术作品中，遴选描绘新春的佳作，以飨读者。\n",
            "\u{3000}\u{3000}——编\u{a0}\u{a0}者\n",
        ));
        assert!(note.epigraph.is_empty());
        assert_eq!(note.paragraphs.len(), 1);
        // A dash line further down the story is a subhead, not an attribution.
        let later = body_of(concat!(
            "\u{3000}\u{3000}记者走进村里。\n",
            "\u{3000}\u{3000}村民说，日子越过越好。\n",
            "\u{3000}\u{3000}村里的变化\n",
            "\u{3000}\u{3000}——记者手记\n",
            "\u{3000}\u{3000}路修好了，产业兴旺了。\n",
        ));
        assert!(later.epigraph.is_empty(), "{:?}", later.epigraph);
    }

    #[test]
    fn a_blank_line_closes_a_paragraph_that_lost_its_full_stop() {
        // Paragraphs follow each other without blank lines; the lead-in above the dateline
        // has no full stop and a blank line under it.
        let body = body_of(concat!(
            "\u{3000}\u{3000}将加强对机场、火车站等特殊转供电区域的监督检查，让终端用户得到降价红利\n\n",
            "\u{3000}\u{3000}本报北京1月31日电 （记者林丽鹂）国家市场监管总局31日通报部分转供电主体截留降价红利。\n",
            "\u{3000}\u{3000}各转供电主体要自查自纠，切实将电费降价红利传导到终端用户，不得以任何理由截留\n",
            "拖延。\n",
            "\u{3000}\u{3000}市场监管部门将加强对大型商业综合体转供电的监督检查，发现问题依法查处。\n",
        ));
        assert_eq!(body.paragraphs.len(), 4, "{:?}", body.paragraphs);
        assert!(body.paragraphs[0].ends_with("降价红利"));
        assert!(body.paragraphs[2].ends_with("截留拖延。"), "a line broken mid-sentence is joined back");
        let dateline = body.dateline.expect("the dateline under the lead-in is found");
        assert_eq!(dateline.text, "本报北京1月31日电");
        assert_eq!(body.byline.reporters, vec!["林丽鹂"]);
    }

    #[test]
    fn on_an_indented_page_an_indented_line_starts_a_paragraph() {
        // Two points without full stops lead into the dispatch; each line is indented.
        let body = body_of(concat!(
            "\u{3000}\u{3000}●3000亿元专项再贷款和财政贴息精准支持疫情防控重点保障企业\n",
            "\u{3000}\u{3000}●援鄂医护人员达1.1万多人，3000多名医务人员奔赴湖北一线救治患者\n",
            "\u{3000}\u{3000}本报北京2月7日电 （记者欧阳洁）国务院联防联控机制7日举行新闻发布会，介绍有关情况。\n",
            "\u{3000}\u{3000}“中央财政将根据疫情发展态势和防控需要，及时追加安排资金。”财政部有关负责人说。\n",
        ));
        assert_eq!(body.paragraphs.len(), 4, "{:?}", body.paragraphs);
        assert_eq!(body.dateline.map(|d| d.text).as_deref(), Some("本报北京2月7日电"));
    }
}
