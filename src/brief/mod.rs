//! Briefings: a digest's records laid out the way a reader skims a day's papers (简报) — by
//! section, in the labels file's order, the front page first, each story once with where else
//! it ran, one briefing per day, week, month or paper.
//!
//! The input is what `digest` writes as JSON Lines ([`read_digest`]): one [`Story`] per line.
//! [`place`] reads each story's paper, date and page from its record or its page's name;
//! [`gather`] groups the stories into [`Briefing`]s; [`markdown`] and [`html`] write them.
//! Nothing here reads a model: a briefing of an archive already digested costs only its reading.

pub mod html;
pub mod markdown;
pub mod place;

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

pub use self::place::{place, Placement};

/// The heading of the stories that carry no section (or `unknown`).
pub const UNSORTED: &str = "未分类";

/// The title of the one briefing of everything, where its stories have no date.
pub const ALL: &str = "全部";

/// The title and file name of the briefing of stories with no date.
pub const UNDATED: (&str, &str) = ("无日期", "undated");

/// One story as a digest record gives it.
#[derive(Debug, Clone, Deserialize)]
pub struct Story {
    pub source: String,
    pub key: String,
    #[serde(default)]
    pub index: usize,
    #[serde(default)]
    pub span: Option<Span>,
    #[serde(default)]
    pub headline: String,
    #[serde(default)]
    pub kicker: Option<String>,
    #[serde(default)]
    pub deck: Option<String>,
    #[serde(default)]
    pub byline: Option<Byline>,
    #[serde(default)]
    pub dateline: Option<Dateline>,
    pub summary: String,
    #[serde(default)]
    pub section: Option<String>,
    /// A JSON Lines row's own date and page, where it had them.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default, deserialize_with = "page_number")]
    pub page: Option<u32>,
    /// The key of the first record of the same story, where this one repeats it.
    #[serde(default)]
    pub duplicate_of: Option<String>,
}

/// Where an article lies in its page, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Byline {
    #[serde(default)]
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Dateline {
    #[serde(default)]
    pub text: String,
}

/// A page as a number (`4`) or as text (`"04"`, `"A04"`, `"第4版"`).
fn page_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    Ok(match value {
        Some(serde_json::Value::Number(n)) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Some(serde_json::Value::String(s)) => {
            let digits: String = s.chars().filter(char::is_ascii_digit).collect();
            digits.parse().ok()
        }
        _ => None,
    })
}

impl Story {
    /// The deck, unless the summary says it again (a page's first paragraph is often taken for
    /// both): a reader is not given the same lines twice.
    pub fn deck_shown(&self) -> Option<&str> {
        self.deck.as_deref().filter(|d| !d.is_empty() && !crate::summarize::readable::repeats(d, &self.summary))
    }

    /// Who filed it and from where, as printed: the dateline, then the byline's lines.
    pub fn credit(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if let Some(d) = self.dateline.as_ref().filter(|d| !d.text.is_empty()) {
            parts.push(&d.text);
        }
        if let Some(b) = &self.byline {
            parts.extend(b.lines.iter().map(|l| crate::text::trim(l).trim_start_matches(['□', '■', '●'])));
        }
        parts.retain(|p| !p.is_empty());
        parts.join(" ")
    }
}

/// A line of a digest that could not be read: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    pub line: usize,
    pub message: String,
}

/// What a digest's JSON Lines hold: its stories in order, the lines that are no story (not
/// JSON, no `key` or `summary`), and how many records are a page's failure (`error`), which
/// have no story to brief.
#[derive(Debug, Default)]
pub struct Digest {
    pub stories: Vec<Story>,
    pub bad: Vec<BadLine>,
    pub failures: usize,
}

/// Reads a digest's JSON Lines; a bad line is recorded and the rest read on.
pub fn read_digest(mut reader: impl BufRead) -> std::io::Result<Digest> {
    let mut digest = Digest::default();
    let mut buf = Vec::new();
    for number in 0.. {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        let bad = |message: String| BadLine { line: number + 1, message };
        let Ok(line) = std::str::from_utf8(&buf) else {
            digest.bad.push(bad("not UTF-8".into()));
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = match serde_json::from_str(line) {
            Ok(value) => value,
            Err(e) => {
                digest.bad.push(bad(format!("not JSON ({e})")));
                continue;
            }
        };
        if value.get("error").is_some() {
            digest.failures += 1;
            continue;
        }
        let missing: Vec<&str> = ["key", "summary"]
            .into_iter()
            .filter(|f| !value.get(*f).is_some_and(serde_json::Value::is_string))
            .collect();
        if !missing.is_empty() {
            digest.bad.extend(missing.iter().map(|field| bad(format!("no \"{field}\" string"))));
            continue;
        }
        match serde_json::from_value(value) {
            Ok(story) => digest.stories.push(story),
            Err(e) => digest.bad.push(bad(format!("not a digest record ({e})"))),
        }
    }
    Ok(digest)
}

/// Reads the digest at `path`.
pub fn read_digest_file(path: &Path) -> std::io::Result<Digest> {
    read_digest(std::io::BufReader::new(std::fs::File::open(path)?))
}

/// How stories are gathered into briefings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Period {
    Day,
    /// ISO weeks, Monday to Sunday.
    Week,
    Month,
    /// One briefing per paper (archive, folder or file name).
    Source,
    /// One briefing of everything.
    None,
}

/// One briefing's name: its title and the stem of its files.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Name {
    pub title: String,
    pub file: String,
}

impl Period {
    /// The briefing a story placed at `placement` belongs to; `None` where its date is needed
    /// and it has none.
    fn name(self, placement: &Placement) -> Option<Name> {
        let dated = |title: String| Name { file: title.clone(), title };
        Some(match self {
            Period::Day => dated(placement.date?.format("%Y-%m-%d").to_string()),
            Period::Week => {
                let week = placement.date?.iso_week();
                dated(format!("{}-W{:02}", week.year(), week.week()))
            }
            Period::Month => dated(placement.date?.format("%Y-%m").to_string()),
            Period::Source => Name { title: placement.paper.clone(), file: file_name(&placement.paper) },
            Period::None => Name { title: ALL.into(), file: "all".into() },
        })
    }
}

/// `name` as a file name: letters, digits, CJK and `-_.` kept, anything else `_`.
fn file_name(name: &str) -> String {
    let out: String =
        name.chars().map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    let out = out.trim_start_matches('.');
    if out.is_empty() {
        "paper".into()
    } else {
        out.to_owned()
    }
}

/// Where else a story ran: another record of it.
#[derive(Debug, Clone)]
pub struct Mention {
    pub key: String,
    pub source: String,
    pub span: Option<Span>,
    pub placement: Placement,
}

/// A story as a briefing shows it: where it ran, and where else.
#[derive(Debug, Clone)]
pub struct Item {
    pub story: Story,
    pub placement: Placement,
    /// Later records of the same story in this briefing.
    pub also: Vec<Mention>,
    /// Where the story first ran, when that is in an earlier briefing.
    pub first: Option<Mention>,
}

impl Item {
    /// The story itself as a [`Mention`]: where it ran.
    pub fn mention(&self) -> Mention {
        Mention {
            key: self.story.key.clone(),
            source: self.story.source.clone(),
            span: self.story.span,
            placement: self.placement.clone(),
        }
    }
}

/// A section of a briefing, its stories in reading order.
#[derive(Debug, Clone)]
pub struct Section {
    pub name: String,
    pub items: Vec<Item>,
}

/// One briefing: its sections in the labels' order, each with its stories.
#[derive(Debug, Clone)]
pub struct Briefing {
    pub name: Name,
    /// The first and last dates of its stories.
    pub dates: Option<(NaiveDate, NaiveDate)>,
    pub sections: Vec<Section>,
}

impl Briefing {
    /// Whether its stories span more than one day (or have no date): then each says its date.
    pub fn spans_days(&self) -> bool {
        self.dates.is_none_or(|(a, b)| a != b)
    }

    /// How many stories it shows (each reprint once).
    pub fn stories(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }

    /// How many records it holds, reprints counted.
    pub fn records(&self) -> usize {
        self.sections.iter().flat_map(|s| &s.items).map(|i| 1 + i.also.len()).sum()
    }
}

/// A story with its place in the input and where it ran.
type Placed = (usize, Story, Placement);

/// Gathers `stories` (in input order) into briefings by `period`: dated ones in date order (or
/// papers by name), then the undated one. Within a briefing, sections follow `sections` (the
/// labels file's order), then any other section by name, then [`UNSORTED`]; within a section,
/// the front page first, then by date, page and place on the page, then input order. A story
/// whose `duplicate_of` names a story of the same briefing is shown once, under the first,
/// with where else it ran; one that repeats a story of an earlier briefing is shown, with
/// where it first ran. `date` stands for stories with no date of their own.
pub fn gather(stories: Vec<Story>, period: Period, sections: &[String], date: Option<NaiveDate>) -> Vec<Briefing> {
    // Each story's briefing, in input order.
    // Keyed by (undated, name): dated briefings first.
    let mut by_name: BTreeMap<(bool, Name), Vec<Placed>> = BTreeMap::new();
    let mut home: HashMap<String, (bool, Name)> = HashMap::new();
    for (order, story) in stories.into_iter().enumerate() {
        let mut placement = place(&story.source, story.date.as_deref(), story.page);
        placement.date = placement.date.or(date);
        let name = match period.name(&placement) {
            Some(name) => (false, name),
            None => (true, Name { title: UNDATED.0.into(), file: UNDATED.1.into() }),
        };
        home.entry(story.key.clone()).or_insert_with(|| name.clone());
        by_name.entry(name).or_default().push((order, story, placement));
    }
    let rank = |section: &str| -> (u8, usize) {
        match sections.iter().position(|s| s == section) {
            Some(i) => (0, i),
            None if section == UNSORTED => (2, 0),
            None => (1, 0),
        }
    };
    let mut out = Vec::new();
    for (name, members) in by_name {
        let mut items: Vec<(usize, Item)> = Vec::new();
        let mut shown: HashMap<String, usize> = HashMap::new();
        for (order, story, placement) in members {
            let original = story.duplicate_of.clone();
            if let Some(&at) = original.as_ref().and_then(|k| shown.get(k)) {
                let mention =
                    Mention { key: story.key.clone(), source: story.source.clone(), span: story.span, placement };
                shown.insert(story.key.clone(), at);
                items[at].1.also.push(mention);
                continue;
            }
            let first = original.filter(|k| home.get(k).is_some_and(|h| *h != name)).map(|k| Mention {
                source: source_of(&k).into(),
                placement: place(source_of(&k), None, None),
                key: k,
                span: None,
            });
            shown.insert(story.key.clone(), items.len());
            items.push((order, Item { story, placement, also: Vec::new(), first }));
        }
        let mut grouped: BTreeMap<(u8, usize, String), Vec<(usize, Item)>> = BTreeMap::new();
        for (order, item) in items {
            let section = match item.story.section.as_deref() {
                None | Some("") | Some("unknown") => UNSORTED,
                Some(s) => s,
            };
            let (group, at) = rank(section);
            grouped.entry((group, at, section.to_owned())).or_default().push((order, item));
        }
        let mut dates: Option<(NaiveDate, NaiveDate)> = None;
        let mut sections_out = Vec::new();
        for ((_, _, section), mut members) in grouped {
            members.sort_by_key(|(order, item)| {
                let p = &item.placement;
                (
                    !p.is_front_page(),
                    p.date,
                    p.page.is_none(),
                    p.page,
                    item.story.source.clone(),
                    item.story.index,
                    *order,
                )
            });
            for (_, item) in &members {
                if let Some(d) = item.placement.date {
                    dates = Some(dates.map_or((d, d), |(a, b)| (a.min(d), b.max(d))));
                }
            }
            sections_out.push(Section { name: section, items: members.into_iter().map(|(_, item)| item).collect() });
        }
        let mut name = name.1;
        if period == Period::None {
            // One briefing of everything is named for the days it spans.
            name.title = match dates {
                Some((a, b)) if a == b => a.to_string(),
                Some((a, b)) => format!("{a} 至 {b}"),
                None => name.title,
            };
        }
        out.push(Briefing { name, dates, sections: sections_out });
    }
    out
}

/// Where a story's source is, as a link from `dir` (where the briefing is written; `None`: the
/// working directory): the page's file, or the archive or JSON Lines file that holds it, by a
/// relative path where one exists. `None` where the file is not there to link to.
pub fn source_href(source: &str, dir: Option<&Path>) -> Option<String> {
    let target = std::fs::canonicalize(place::file_of(source)).ok()?;
    let base = match dir {
        Some(dir) => std::fs::canonicalize(dir).ok()?,
        None => std::env::current_dir().ok()?.canonicalize().ok()?,
    };
    let (t, b): (Vec<_>, Vec<_>) = (target.components().collect(), base.components().collect());
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_owned(), b.len() - common).collect();
    parts.extend(t[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    let mut out = String::new();
    for c in parts.join("/").chars() {
        match c {
            '%' => out.push_str("%25"),
            ' ' => out.push_str("%20"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            _ => out.push(c),
        }
    }
    Some(out)
}

/// How a story's source is named beside its link: the file name, and the article's span in
/// characters (`，第 0–1076 字`) where the record has one.
pub fn source_label(source: &str, span: Option<Span>) -> (&str, String) {
    let name = source.rsplit(['/', '\\']).next().unwrap_or(source);
    (name, span.map(|s| format!("，第 {}–{} 字", s.start, s.end)).unwrap_or_default())
}

/// The source part of a record key (`SOURCE#INDEX@HASH`).
fn source_of(key: &str) -> &str {
    key.rsplit_once('#').map_or(key, |(source, _)| source)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(source: &str, index: usize, section: &str, headline: &str) -> Story {
        let line = serde_json::json!({
            "source": source, "key": format!("{source}#{index}@0"), "index": index,
            "headline": headline, "summary": format!("{headline}。"), "section": section,
        });
        serde_json::from_value(line).expect("a record")
    }

    fn names(briefing: &Briefing) -> Vec<(String, Vec<String>)> {
        briefing
            .sections
            .iter()
            .map(|s| (s.name.clone(), s.items.iter().map(|i| i.story.headline.clone()).collect()))
            .collect()
    }

    #[test]
    fn stories_are_grouped_by_day_and_section_front_page_first() {
        let order: Vec<String> = ["时政", "财经", "社会"].map(String::from).into();
        let stories = vec![
            story("pd/20190202-04.txt", 1, "财经", "四版财经"),
            story("pd/20190201-02.txt", 2, "时政", "二版时政乙"),
            story("pd/20190201-02.txt", 1, "时政", "二版时政甲"),
            story("pd/20190201-01.txt", 3, "时政", "头版时政"),
            story("pd/20190201-01.txt", 4, "体育", "头版体育"),
            story("pd/20190201-03.txt", 1, "unknown", "三版未知"),
            story("notes.txt", 1, "社会", "无日期社会"),
        ];
        let briefings = gather(stories, Period::Day, &order, None);
        let titles: Vec<&str> = briefings.iter().map(|b| b.name.title.as_str()).collect();
        assert_eq!(titles, ["2019-02-01", "2019-02-02", "无日期"]);
        assert_eq!(
            names(&briefings[0]),
            [
                ("时政".into(), vec!["头版时政".into(), "二版时政甲".into(), "二版时政乙".into()]),
                ("体育".into(), vec!["头版体育".into()]),
                (UNSORTED.into(), vec!["三版未知".into()]),
            ]
        );
        assert_eq!(briefings[0].stories(), 5);
        assert_eq!(briefings[2].name.file, "undated");
        // --date gives the undated their day; one briefing of everything keeps the sections.
        let all = gather(
            vec![story("notes.txt", 1, "社会", "甲")],
            Period::Month,
            &order,
            NaiveDate::from_ymd_opt(2020, 5, 1),
        );
        assert_eq!(all[0].name.title, "2020-05");
        let week = gather(vec![story("pd/20190203-01.txt", 1, "社会", "甲")], Period::Week, &order, None);
        assert_eq!(week[0].name.title, "2019-W05");
        // One briefing per paper, named after its folder or file, dated or not.
        let papers = gather(
            vec![
                story("pd/20190203-01.txt", 1, "社会", "甲"),
                story("qd/qingdao-daily-2022-11-15.txt", 1, "时政", "乙"),
                story("pd/20190204-02.txt", 1, "时政", "丙"),
            ],
            Period::Source,
            &order,
            None,
        );
        let named: Vec<(&str, usize)> = papers.iter().map(|b| (b.name.file.as_str(), b.stories())).collect();
        assert_eq!(named, [("pd", 2), ("qingdao-daily", 1)]);
    }

    #[test]
    fn a_reprint_is_shown_once_with_where_else_it_ran() {
        let order = vec!["时政".to_owned()];
        let first = story("pd/20190201-01.txt", 1, "时政", "会谈");
        let mut again = story("pd/20190201-03.txt", 2, "时政", "会谈（转载）");
        again.duplicate_of = Some(first.key.clone());
        let mut later = story("pd/20190205-02.txt", 1, "时政", "会谈（再次）");
        later.duplicate_of = Some(first.key.clone());
        let briefings = gather(vec![first, again, later], Period::Day, &order, None);
        assert_eq!(briefings[0].stories(), 1);
        assert_eq!(briefings[0].records(), 2);
        let item = &briefings[0].sections[0].items[0];
        assert_eq!(item.also.len(), 1);
        assert_eq!(item.also[0].placement.page, Some(3));
        // Days later, it is shown again with where it first ran.
        let later = &briefings[1].sections[0].items[0];
        assert_eq!(later.first.as_ref().map(|m| m.placement.date), Some(NaiveDate::from_ymd_opt(2019, 2, 1)));
    }

    #[test]
    fn a_deck_the_summary_repeats_is_not_shown() {
        let mut s = story("pd/20190201-01.txt", 1, "时政", "会见");
        s.summary = "习近平强调，中方高度重视筹办北京冬奥会，目前各项工作正在扎实有序推进。".into();
        s.deck = Some("习近平强调，中方高度重视筹办北京冬奥会，目前各项工作正在扎实有序推进".into());
        assert_eq!(s.deck_shown(), None);
        s.deck = Some("规模5亿元，主要投向现代物流、科技服务等产业领域".into());
        assert!(s.deck_shown().is_some());
    }

    #[test]
    fn bad_lines_are_named_and_the_rest_read() {
        let text = concat!(
            "{\"source\":\"a.txt\",\"key\":\"a.txt#1@0\",\"headline\":\"甲\",\"summary\":\"甲。\",\"page\":\"A04\"}\n",
            "not json\n",
            "{\"source\":\"a.txt\",\"key\":\"a.txt#2@0\"}\n",
            "\n",
            "{\"source\":\"b.txt\",\"error\":\"no articles\",\"kind\":\"no-articles\"}\n",
            "{\"source\":\"a.txt\",\"key\":\"a.txt#3@0\",\"headline\":\"丙\",\"summary\":\"丙。\"}\n",
        );
        let mut bytes = text.as_bytes().to_vec();
        bytes.extend_from_slice(b"{\"summary\": \"\xff\"}\n");
        let digest = read_digest(bytes.as_slice()).expect("reads");
        assert_eq!(digest.stories.len(), 2);
        assert_eq!(digest.stories[0].page, Some(4));
        assert_eq!(digest.failures, 1);
        let lines: Vec<usize> = digest.bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, [2, 3, 7]);
        assert_eq!(digest.bad[2].message, "not UTF-8");
        assert!(digest.bad[1].message.contains("summary"), "{:?}", digest.bad);
    }
}
