//! Where a story ran: its paper, date and page, read from what the record says (`date`, `page`)
//! or from the name of the page it came from (`20200501-04.txt`, `2020-05-01/04.txt`,
//! `qingdao-daily-2022-11-15.txt`), as e-paper exports name their files.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

/// A date and, after it, a page number: `20200501-04`, `2020-05-01_4`.
static DATE_PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])((?:19|20)\d{2})-?(\d{2})-?(\d{2})(?:[-_ ](\d{1,3}))?(?:[^0-9]|$)").expect("date pattern")
});

/// A page number alone, as a file in a dated folder is named: `04`, `page-4`, `A04`.
static PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:page|p|版)?[-_ ]?[A-Za-z]?(\d{1,3})$").expect("page pattern"));

/// Where a story ran, as far as its record and its page's name tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The paper: the archive, folder or file stem the page came from, without its date and
    /// page (`peopledaily`, `qingdao-daily`).
    pub paper: String,
    pub date: Option<NaiveDate>,
    /// The page number (`1` for the front page).
    pub page: Option<u32>,
}

impl Placement {
    pub fn is_front_page(&self) -> bool {
        self.page == Some(1)
    }
}

/// Parses a date as records write it: `2020-05-01`, `2020/05/01`, `20200501`, `2020年5月1日`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let digits: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .filter_map(|part| part.parse().ok())
        .collect();
    match digits.as_slice() {
        [y, m, d, ..] if *y >= 1000 => NaiveDate::from_ymd_opt(i32::try_from(*y).ok()?, *m, *d),
        [ymd, ..] if (19_000_101..=20_991_231).contains(ymd) => {
            NaiveDate::from_ymd_opt(i32::try_from(ymd / 10_000).ok()?, ymd / 100 % 100, ymd % 100)
        }
        _ => None,
    }
}

/// The path of the page a record's `source` names: an archive entry's (`a.tar.gz!2020-05-01/04.txt`)
/// or a file's, without a JSON Lines row's `:LINE`.
fn page_path(source: &str) -> (&str, &str) {
    let file = match source.rsplit_once(':') {
        Some((file, line)) if !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => file,
        _ => source,
    };
    match file.split_once('!') {
        Some((archive, entry)) => (archive, entry),
        None => ("", file),
    }
}

/// The file on disk that holds the page a record's `source` names: the archive for an archive
/// entry, the JSON Lines file for a row, the page's own file otherwise.
pub fn file_of(source: &str) -> &str {
    match page_path(source) {
        ("", file) => file,
        (archive, _) => archive,
    }
}

/// Where the story of a record from `source` ran, `date` and `page` being the record's own
/// fields where it has them.
pub fn place(source: &str, date: Option<&str>, page: Option<u32>) -> Placement {
    let (archive, path) = page_path(source);
    let parts: Vec<&str> = path.split(['/', '\\']).filter(|p| !p.is_empty() && *p != "." && *p != "..").collect();
    let stem = parts.last().map_or("", |name| name.rsplit_once('.').map_or(*name, |(stem, _)| stem));
    let mut found_date = None;
    let mut found_page = None;
    let mut paper_from_stem = stem.to_owned();
    if let Some(caps) = DATE_PAGE.captures(stem) {
        found_date = date_of(&caps);
        found_page = caps.get(4).and_then(|p| p.as_str().parse().ok());
        let whole = caps.get(0).map_or(0..0, |m| m.range());
        paper_from_stem = format!("{}{}", &stem[..whole.start], &stem[whole.end..]);
    } else if let Some(dir) = parts.iter().rev().skip(1).find_map(|dir| DATE_PAGE.captures(dir)) {
        found_date = date_of(&dir);
        found_page = PAGE.captures(stem).and_then(|p| p[1].parse().ok());
        paper_from_stem.clear();
    }
    let paper_from_stem = paper_from_stem.trim_matches(|c: char| c == '-' || c == '_' || c == ' ' || c == '.');
    let paper = if !archive.is_empty() {
        stem_of(archive)
    } else if !paper_from_stem.is_empty() && (found_date.is_some() || parts.len() < 2) {
        paper_from_stem.to_owned()
    } else {
        // A dated page in a folder named after its paper (`peopledaily/20190201-01.txt`), or
        // dated folders in one (`peopledaily/2019-02-01/01.txt`).
        parts
            .iter()
            .rev()
            .skip(1)
            .find(|dir| !DATE_PAGE.is_match(dir))
            .map_or_else(|| paper_from_stem.to_owned(), |dir| (*dir).to_owned())
    };
    Placement { paper, date: date.and_then(parse_date).or(found_date), page: page.or(found_page) }
}

fn date_of(caps: &regex::Captures<'_>) -> Option<NaiveDate> {
    let number = |i: usize| caps.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    NaiveDate::from_ymd_opt(i32::try_from(number(1)?).ok()?, number(2)?, number(3)?)
}

/// An archive's name without its folders and extensions (`papers.tar.gz` → `papers`).
fn stem_of(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.split('.').next().unwrap_or(name).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn dates_and_pages_come_from_the_names_of_pages() {
        let p = place("../shared/data/pages/peopledaily/20190201-04.txt", None, None);
        assert_eq!(p, Placement { paper: "peopledaily".into(), date: day(2019, 2, 1), page: Some(4) });
        let p = place("papers/peopledaily/2020-05-01/01.txt", None, None);
        assert_eq!(p, Placement { paper: "peopledaily".into(), date: day(2020, 5, 1), page: Some(1) });
        assert!(p.is_front_page());
        let p = place("../shared/data/seed/qingdao-daily-2022-11-15.txt", None, None);
        assert_eq!(p, Placement { paper: "qingdao-daily".into(), date: day(2022, 11, 15), page: None });
        let p = place("archive.tar.gz!2020-05-01/page-3.txt", None, None);
        assert_eq!(p, Placement { paper: "archive".into(), date: day(2020, 5, 1), page: Some(3) });
        // A row: the record's own fields, else nothing.
        let p = place("rows.jsonl:12", Some("2021年3月5日"), Some(2));
        assert_eq!(p, Placement { paper: "rows".into(), date: day(2021, 3, 5), page: Some(2) });
        assert_eq!(place("notes.txt", None, None).date, None);
        // Not a date: a number that is no day of the calendar.
        assert_eq!(place("20191340-01.txt", None, None).date, None);
    }

    #[test]
    fn dates_are_read_as_records_write_them() {
        for text in ["2020-05-01", "2020/5/1", "20200501", "2020年5月1日", "2020-05-01T08:00"] {
            assert_eq!(parse_date(text).map(|d| d.to_string()).as_deref(), Some("2020-05-01"), "{text}");
        }
        assert_eq!(parse_date("2020-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
    }
}
