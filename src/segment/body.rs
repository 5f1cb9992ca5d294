//! An article's body: paragraphs (lines an export broke mid-sentence joined back), subheads,
//! bylines, credits and the dateline.

use super::lines::{Line, Role, Style, PARAGRAPH_MIN_CHARS};
use super::patterns::{self, Dateline};
use super::Byline;
use crate::text::{ends_paragraph, join_broken};

/// Longest line kept as a subhead inside an article.
const SUBHEAD_MAX_CHARS: usize = 30;
/// Longest indented line, without closing punctuation, taken for a subhead on an indented page.
const INDENTED_SUBHEAD_MAX_CHARS: usize = 24;

#[derive(Debug, Default)]
pub(super) struct Body {
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
            Role::Head if line.chars <= SUBHEAD_MAX_CHARS => body.subheads.push(line.text.to_owned()),
            Role::Body if is_indented_subhead(line, style) => body.subheads.push(line.text.to_owned()),
            Role::Head | Role::Body => {
                body.paragraphs.push(line.text.to_owned());
                open = line.chars >= PARAGRAPH_MIN_CHARS && !ends_paragraph(line.text);
            }
            Role::Blank => {}
        }
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
