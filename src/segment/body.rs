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
        let continues = open && matches!(line.role, Role::Body | Role::Head);
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
    if let Some(first) = body.paragraphs.first() {
        if let Some(found) = patterns::dateline(first) {
            body.byline.reporters.extend(found.reporters);
            body.dateline = Some(found.dateline);
        }
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
