//! A briefing as one self-contained HTML page (no network, no external fonts or scripts), and
//! an archive's `index.html`: its briefings with their counts and each section's share over
//! time as an SVG chart. The pages read from a phone (390 px) to a desktop, follow the reader's
//! light or dark scheme, and print without a section's heading parted from its first story.

use std::fmt::Write;

use super::markdown::{meta, overview, where_ran};
use super::{Briefing, Item, Span};
use crate::text::escape_html as escape;

/// CJK fonts the reader's system already has, for each platform, before the generic family.
const FONTS: &str = r#"system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif"#;

const STYLE: &str = r#"
:root { color-scheme: light dark; --fg: #1d1d1f; --muted: #5f6368; --bg: #fdfcf9; --rule: #dcd7cc; --accent: #9b1c1c; --card: #ffffff; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e6e3; --muted: #a8a29e; --bg: #17171a; --rule: #3a3a40; --accent: #f08a7e; --card: #202024; } }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font-family: FONTS; line-height: 1.7; overflow-wrap: anywhere; }
main { max-width: 46rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
header h1 { font-size: 1.6rem; margin: .5rem 0 .25rem; color: var(--accent); }
.overview, .meta, .also, nav { color: var(--muted); font-size: .9rem; }
nav { display: flex; flex-wrap: wrap; gap: .25rem .75rem; margin: .5rem 0 1rem; }
nav a, .meta a, .also a, td a { color: inherit; }
section > h2 { font-size: 1.25rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem; margin: 2rem 0 .75rem; break-after: avoid; page-break-after: avoid; }
h2 .count { color: var(--muted); font-weight: normal; font-size: .9rem; margin-left: .4rem; }
article { background: var(--card); border: 1px solid var(--rule); border-radius: 6px; padding: .75rem 1rem; margin: 0 0 .75rem; break-inside: avoid; page-break-inside: avoid; }
article .kicker { color: var(--muted); font-size: .85rem; margin: 0; }
article h3 { font-size: 1.08rem; margin: 0 0 .2rem; }
article .deck { color: var(--muted); margin: 0 0 .4rem; font-size: .95rem; }
article .summary { margin: .3rem 0; }
.meta, .also { margin: .2rem 0 0; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid var(--rule); }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.chart svg { width: 100%; height: auto; display: block; border: 1px solid var(--rule); }
.legend { display: flex; flex-wrap: wrap; gap: .2rem .8rem; list-style: none; padding: 0; font-size: .85rem; }
.legend i { display: inline-block; width: .8em; height: .8em; margin-right: .3em; vertical-align: -.05em; }
@media print { body { background: #fff; color: #000; } nav { display: none; } article { border-color: #999; } }
"#;

/// Colours of the sections in the chart, in the labels' order (d3's category 20, whose
/// neighbours differ in hue); the rest share the last.
const COLOURS: [&str; 17] = [
    "#d62728", "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#17becf", "#bcbd22",
    "#98df8a", "#aec7e8", "#ffbb78", "#c5b0d5", "#c49c94", "#ff9896", "#dbdb8d",
];

/// Links around a briefing: the archive's index and the briefings before and after it.
#[derive(Debug, Clone, Default)]
pub struct Around {
    pub index: Option<String>,
    pub previous: Option<(String, String)>,
    pub next: Option<(String, String)>,
}

/// `briefing` as an HTML page; `href` links a story's source (see [`super::source_href`]).
pub fn render(briefing: &Briefing, around: &Around, href: &dyn Fn(&str) -> Option<String>) -> String {
    let title = format!("简报 · {}", briefing.name.title);
    let mut body = String::new();
    let _ = write!(
        body,
        "<header><h1>{}</h1><p class=\"overview\">{}</p></header>",
        escape(&title),
        escape(&overview(briefing))
    );
    let mut nav = String::new();
    if let Some(index) = &around.index {
        let _ = write!(nav, "<a href=\"{}\">全部简报</a>", escape(index));
    }
    if let Some((link, name)) = &around.previous {
        let _ = write!(nav, "<a href=\"{}\" rel=\"prev\">← {}</a>", escape(link), escape(name));
    }
    if let Some((link, name)) = &around.next {
        let _ = write!(nav, "<a href=\"{}\" rel=\"next\">{} →</a>", escape(link), escape(name));
    }
    for (i, section) in briefing.sections.iter().enumerate() {
        let _ = write!(nav, "<a href=\"#s{}\">{} {}</a>", i + 1, escape(&section.name), section.items.len());
    }
    let _ = write!(body, "<nav>{nav}</nav>");
    for (i, section) in briefing.sections.iter().enumerate() {
        let _ = write!(
            body,
            "<section id=\"s{}\"><h2>{}<span class=\"count\">{} 篇</span></h2>",
            i + 1,
            escape(&section.name),
            section.items.len()
        );
        for item in &section.items {
            story(&mut body, item, briefing.spans_days(), href);
        }
        body.push_str("</section>");
    }
    page(&title, &body)
}

fn story(out: &mut String, item: &Item, dated: bool, href: &dyn Fn(&str) -> Option<String>) {
    let story = &item.story;
    let _ = write!(out, "<article data-key=\"{}\">", escape(&story.key));
    if let Some(kicker) = story.kicker.as_deref().filter(|k| !k.is_empty()) {
        let _ = write!(out, "<p class=\"kicker\">{}</p>", escape(kicker));
    }
    let headline = if story.headline.is_empty() { "（无标题）" } else { &story.headline };
    let _ = write!(out, "<h3>{}</h3>", escape(headline));
    if let Some(deck) = story.deck_shown() {
        let _ = write!(out, "<p class=\"deck\">{}</p>", escape(deck));
    }
    let _ = write!(out, "<p class=\"summary\">{}</p>", escape(&story.summary));
    let mut parts: Vec<String> = meta(item, dated).iter().map(|p| escape(p)).collect();
    parts.push(source_link(&story.source, story.span, href));
    let _ = write!(out, "<p class=\"meta\">{}</p>", parts.join(" · "));
    if !item.also.is_empty() {
        let also: Vec<String> = item
            .also
            .iter()
            .map(|m| format!("{}（{}）", escape(&where_ran(m, dated)), source_link(&m.source, m.span, href)))
            .collect();
        let _ = write!(out, "<p class=\"also\">另见：{}</p>", also.join("；"));
    }
    if let Some(first) = &item.first {
        let _ = write!(
            out,
            "<p class=\"also\">首见于：{}（{}）</p>",
            escape(&where_ran(first, true)),
            source_link(&first.source, None, href)
        );
    }
    out.push_str("</article>");
}

fn source_link(source: &str, span: Option<Span>, href: &dyn Fn(&str) -> Option<String>) -> String {
    let (name, span) = super::source_label(source, span);
    match href(source) {
        Some(link) => format!("<a href=\"{}\">{}</a>{span}", escape(&link), escape(name)),
        None => format!("{}{span}", escape(name)),
    }
}

/// One briefing as the index lists it: its title, the file it is in, and its sections' counts.
#[derive(Debug, Clone)]
pub struct Entry {
    pub title: String,
    pub href: String,
    pub stories: usize,
    pub sections: Vec<(String, usize)>,
}

impl Entry {
    pub fn of(briefing: &Briefing, href: String) -> Entry {
        Entry {
            title: briefing.name.title.clone(),
            href,
            stories: briefing.stories(),
            sections: briefing.sections.iter().map(|s| (s.name.clone(), s.items.len())).collect(),
        }
    }
}

/// An archive's index: a chart of each section's share of every briefing's stories (in the
/// order of `sections`, then any other), and the briefings with their counts.
pub fn index(entries: &[Entry], sections: &[String]) -> String {
    let mut names: Vec<String> = sections.to_vec();
    for entry in entries {
        for (name, _) in &entry.sections {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    let colour = |name: &str| COLOURS[names.iter().position(|n| n == name).unwrap_or(0).min(COLOURS.len() - 1)];
    let total: usize = entries.iter().map(|e| e.stories).sum();
    let mut body = String::new();
    let _ = write!(
        body,
        "<header><h1>简报 · 索引</h1><p class=\"overview\">{} 份简报，{} 篇</p></header>",
        entries.len(),
        total
    );
    body.push_str(&chart(entries, &names, &colour));
    body.push_str("<table><thead><tr><th>简报</th><th class=\"n\">篇数</th><th>最多的栏目</th></tr></thead><tbody>");
    for entry in entries {
        let mut top = entry.sections.clone();
        top.sort_by_key(|&(_, count)| std::cmp::Reverse(count));
        let top: Vec<String> = top.iter().take(3).map(|(n, c)| format!("{} {c}", escape(n))).collect();
        let _ = write!(
            body,
            "<tr><td><a href=\"{}\">{}</a></td><td class=\"n\">{}</td><td>{}</td></tr>",
            escape(&entry.href),
            escape(&entry.title),
            entry.stories,
            top.join(" · ")
        );
    }
    body.push_str("</tbody></table>");
    page("简报 · 索引", &body)
}

/// Each section's share of each briefing's stories, as stacked columns, one per briefing.
fn chart(entries: &[Entry], names: &[String], colour: &dyn Fn(&str) -> &'static str) -> String {
    if entries.is_empty() {
        return String::new();
    }
    let (width, height) = (1000.0_f64, 260.0_f64);
    let step = width / entries.len() as f64;
    let gap = if step > 4.0 { step * 0.15 } else { 0.0 };
    let mut svg = format!(
        "<figure class=\"chart\"><svg viewBox=\"0 0 {width} {height}\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"各栏目所占比例\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, entry) in entries.iter().enumerate() {
        let x = i as f64 * step + gap / 2.0;
        let mut y = height;
        let all = entry.stories.max(1) as f64;
        for name in names {
            let Some(&(_, count)) = entry.sections.iter().find(|(n, _)| n == name) else { continue };
            let h = height * count as f64 / all;
            y -= h;
            let _ = write!(
                svg,
                "<rect x=\"{x:.2}\" y=\"{y:.2}\" width=\"{:.2}\" height=\"{h:.2}\" fill=\"{}\"><title>{} {} {count} 篇（{:.0}%）</title></rect>",
                (step - gap).max(0.5),
                colour(name),
                escape(&entry.title),
                escape(name),
                100.0 * count as f64 / all
            );
        }
    }
    svg.push_str("</svg><figcaption>");
    if let (Some(first), Some(last)) = (entries.first(), entries.last()) {
        // The columns run left to right in the briefings' order.
        let _ = write!(svg, "<p class=\"overview\">{} → {}</p>", escape(&first.title), escape(&last.title));
    }
    svg.push_str("<ul class=\"legend\">");
    for name in names {
        if entries.iter().any(|e| e.sections.iter().any(|(n, _)| n == name)) {
            let _ = write!(svg, "<li><i style=\"background:{}\"></i>{}</li>", colour(name), escape(name));
        }
    }
    svg.push_str("</ul></figcaption></figure>");
    svg
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{}</style></head><body><main>{body}</main></body></html>\n",
        escape(title),
        STYLE.replace("FONTS", FONTS)
    )
}

#[cfg(test)]
mod tests {
    use super::super::{gather, Period, Story};
    use super::*;

    fn story(source: &str, index: usize, section: &str, headline: &str) -> Story {
        serde_json::from_value(serde_json::json!({
            "source": source, "key": format!("{source}#{index}@0"), "index": index,
            "headline": headline, "summary": "摘要<b>。", "section": section,
        }))
        .expect("a record")
    }

    #[test]
    fn a_page_is_self_contained_and_escaped() {
        let stories =
            vec![story("pd/20190201-01.txt", 1, "时政", "会谈 & 合作"), story("pd/20190201-02.txt", 1, "体育", "比赛")];
        let briefing = &gather(stories, Period::Day, &["时政".into(), "体育".into()], None)[0];
        let html = render(briefing, &Around { index: Some("index.html".into()), ..Around::default() }, &|_| None);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("会谈 &amp; 合作") && html.contains("摘要&lt;b&gt;。"), "escaped");
        assert!(
            !html.contains("<script") && !html.contains("<link") && !html.contains("src=") && !html.contains("url(")
        );
        assert_eq!(html.matches("<article").count(), 2);
        assert!(html.find("id=\"s1\"").expect("first section") < html.find("id=\"s2\"").expect("second"));
        assert!(html.contains("prefers-color-scheme: dark") && html.contains("break-after: avoid"));
        let index = index(&[Entry::of(briefing, "2019-02-01.html".into())], &["时政".into()]);
        assert!(index.contains("<svg") && index.contains("href=\"2019-02-01.html\""), "{index}");
        assert_eq!(index.matches("<rect").count(), 2, "one bar part per section");
    }
}
