//! A briefing as Markdown: the briefing's title and counts, a `##` heading per section with its
//! count, a `###` heading per story with its kicker and deck, its summary, and a line saying
//! where it ran (page, dateline and byline, the source with the article's character span) and
//! where else.

use std::fmt::Write;

use super::{Briefing, Item, Mention};

/// `briefing` as Markdown; `href` links a story's source (see [`super::source_href`]).
pub fn render(briefing: &Briefing, href: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# 简报 · {}\n", briefing.name.title);
    let _ = writeln!(out, "{}\n", overview(briefing));
    for section in &briefing.sections {
        let _ = writeln!(out, "## {}（{}）\n", section.name, section.items.len());
        for item in &section.items {
            story(&mut out, item, briefing.spans_days(), href);
        }
    }
    out
}

/// The line under a briefing's title: its dates, its stories, and the count of each section.
pub fn overview(briefing: &Briefing) -> String {
    let dates = match briefing.dates {
        Some((a, b)) if a == b => format!("{a} · "),
        Some((a, b)) => format!("{a} 至 {b} · "),
        None => String::new(),
    };
    let reprints = briefing.records() - briefing.stories();
    let reprints = if reprints > 0 { format!("（另有重复刊登 {reprints} 篇）") } else { String::new() };
    let counts: Vec<String> = briefing.sections.iter().map(|s| format!("{} {}", s.name, s.items.len())).collect();
    format!("{dates}{} 篇{reprints}：{}", briefing.stories(), counts.join(" · "))
}

/// Where a story (or another record of it) ran: the page, and the date where `dated` (a
/// briefing of more than a day, another record of the story).
pub fn where_ran(mention: &Mention, dated: bool) -> String {
    let mut parts = Vec::new();
    if let Some(date) = mention.placement.date.filter(|_| dated) {
        parts.push(date.to_string());
    }
    if let Some(page) = mention.placement.page {
        parts.push(format!("第{page}版"));
    }
    parts.join(" ")
}

/// What a story's line says of it before its source: where it ran (with its date where `dated`)
/// and who filed it from where.
pub fn meta(item: &Item, dated: bool) -> Vec<String> {
    [where_ran(&item.mention(), dated), item.story.credit()].into_iter().filter(|p| !p.is_empty()).collect()
}

fn story(out: &mut String, item: &Item, dated: bool, href: &dyn Fn(&str) -> Option<String>) {
    let story = &item.story;
    if let Some(kicker) = story.kicker.as_deref().filter(|k| !k.is_empty()) {
        let _ = writeln!(out, "<small>{}</small>\n", escape(kicker));
    }
    let headline = if story.headline.is_empty() { "（无标题）" } else { &story.headline };
    let _ = writeln!(out, "### {}\n", escape(headline));
    if let Some(deck) = story.deck_shown() {
        let _ = writeln!(out, "*{}*\n", escape(deck));
    }
    let _ = writeln!(out, "{}\n", escape(&story.summary));
    let mut parts: Vec<String> = meta(item, dated).iter().map(|p| escape(p)).collect();
    parts.push(source_link(&story.source, story.span, href));
    let _ = writeln!(out, "{}\n", parts.join(" · "));
    if !item.also.is_empty() {
        let also: Vec<String> = item
            .also
            .iter()
            .map(|m| format!("{}（{}）", where_ran(m, dated), source_link(&m.source, m.span, href)))
            .collect();
        let _ = writeln!(out, "另见：{}\n", also.join("；"));
    }
    if let Some(first) = &item.first {
        let _ = writeln!(out, "首见于：{}（{}）\n", where_ran(first, true), source_link(&first.source, None, href));
    }
}

/// The source's name with the article's span, linked where the file is there.
fn source_link(source: &str, span: Option<super::Span>, href: &dyn Fn(&str) -> Option<String>) -> String {
    let (name, span) = super::source_label(source, span);
    match href(source) {
        Some(link) => format!("[{}]({link}){span}", escape(name)),
        None => format!("{}{span}", escape(name)),
    }
}

/// `text` with Markdown's active characters escaped, on one line.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{gather, Period, Story};
    use super::*;

    #[test]
    fn a_briefing_reads_as_sections_of_stories() {
        let line = |source: &str, index: usize, section: &str, headline: &str| -> Story {
            serde_json::from_value(serde_json::json!({
                "source": source, "key": format!("{source}#{index}@0"), "index": index,
                "span": {"start": 0, "end": 120}, "headline": headline, "kicker": "引题",
                "summary": format!("{headline}的摘要。"), "section": section,
                "dateline": {"text": "本报北京2月1日电"}, "byline": {"lines": ["□本报记者 张三"]},
            }))
            .expect("a record")
        };
        let stories =
            vec![line("pd/20190201-01.txt", 1, "时政", "会谈*举行"), line("pd/20190201-04.txt", 1, "财经", "经济运行")];
        let briefing = &gather(stories, Period::Day, &["时政".into(), "财经".into()], None)[0];
        let md = render(briefing, &|s| Some(format!("../{s}")));
        assert!(md.starts_with("# 简报 · 2019-02-01\n"), "{md}");
        assert!(md.contains("2019-02-01 · 2 篇：时政 1 · 财经 1"), "{md}");
        let politics = md.find("## 时政（1）").expect("a section heading");
        let economy = md.find("## 财经（1）").expect("a section heading");
        assert!(politics < economy);
        assert!(md.contains("### 会谈\\*举行"), "Markdown is escaped: {md}");
        assert!(
            md.contains(
                "第1版 · 本报北京2月1日电 本报记者 张三 · [20190201-01.txt](../pd/20190201-01.txt)，第 0–120 字"
            ),
            "{md}"
        );
    }
}
