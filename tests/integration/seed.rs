//! The example page: five articles with every header part right.

use serde_json::Value;

use crate::harness::{headlines, path_str, seed_page, seed_text, split_jsonl, Dir};

fn seed_records() -> Vec<Value> {
    let dir = Dir::new();
    let run = split_jsonl(&dir, &[path_str(&seed_page())]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    run.records()
}

fn field<'a>(r: &'a Value, name: &str) -> Option<&'a str> {
    r[name].as_str()
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

#[test]
fn five_articles_with_their_headlines() {
    let records = seed_records();
    assert_eq!(
        headlines(&records),
        vec![
            "让党的二十大精神在基层落地生根",
            "创建全国文明典范城市",
            "青岛首单创新创业公司债券发行",
            "青岛人选全省首批“平安农机”示范市",
            "市北：以强作风促落实，以实干求实效",
        ]
    );
}

#[test]
fn kickers_and_decks() {
    let r = seed_records();
    let kickers: Vec<Option<&str>> = r.iter().map(|a| field(a, "kicker")).collect();
    let decks: Vec<Option<&str>> = r.iter().map(|a| field(a, "deck")).collect();
    assert_eq!(
        kickers,
        vec![
            None,
            Some("全民动员 人人参与"),
            None,
            None,
            Some("前三季度全区固投增速15%，新落地6个30亿元项目，加速推进259个城市更新和城市建设项目"),
        ]
    );
    assert_eq!(
        decks,
        vec![
            Some("省委宣讲团成员在青岛宣讲党的二十大精神，与基层干部群众面对面交流"),
            None,
            Some("规模5亿元，主要投向现代物流、科技服务等产业领域"),
            None,
            None,
        ]
    );
}

#[test]
fn bylines_and_datelines() {
    let r = seed_records();
    let reporters: Vec<Vec<&str>> = r.iter().map(|a| strings(&a["byline"]["reporters"])).collect();
    assert_eq!(reporters, vec![vec!["薛君妍"], vec![], vec!["傅军"], vec!["张晋", "窦晓青"], vec!["余瑞新"]]);
    for i in [0, 2, 3, 4] {
        assert_eq!(r[i]["byline"]["outlet"], "青岛日报/观海新闻", "article {}", i + 1);
    }
    assert!(r[1]["byline"]["outlet"].is_null(), "the commentary has no byline");
    let datelines: Vec<Option<&str>> = r.iter().map(|a| a["dateline"]["text"].as_str()).collect();
    assert_eq!(datelines, vec![Some("本报11月14日讯"), None, Some("本报11月14日讯"), Some("本报11月14日讯"), None]);
    assert_eq!(r[0]["dateline"]["date"], "11月14日");
    assert_eq!(r[1]["kind"], "commentary");
    assert_eq!(r[0]["kind"], "news");
}

#[test]
fn subheads_stay_inside_the_last_article() {
    let r = seed_records();
    assert_eq!(
        strings(&r[4]["subheads"]),
        vec!["抓实经济发展第一要务", "扛牢城市更新主城担当", "推动解决群众急难愁盼问题"]
    );
    for a in &r[..4] {
        assert!(strings(&a["subheads"]).is_empty());
    }
    // Subheads are neither headlines nor body text.
    let body: Vec<&str> = strings(&r[4]["paragraphs"]);
    assert!(!body.contains(&"抓实经济发展第一要务"));
}

#[test]
fn broken_lines_are_joined_back() {
    let r = seed_records();
    let all: String = r.iter().flat_map(|a| strings(&a["paragraphs"])).collect::<Vec<_>>().join("\n");
    for joined in ["特别是习近平总书记在党的二十大报告中指出", "深化“放管服”改革", "259栋老旧小区改造"]
    {
        assert!(all.contains(joined), "`{joined}` should be one run of text");
    }
    let first: Vec<&str> = strings(&r[0]["paragraphs"]);
    assert_eq!(first.len(), 7, "the break after 习近平 must not make a paragraph of its own");
    assert!(!first.iter().any(|p| p.starts_with("总书记")));
}

#[test]
fn bylines_are_not_body_text() {
    for a in seed_records() {
        for p in strings(&a["paragraphs"]) {
            assert!(!p.starts_with('□'), "byline left in the body: {p}");
        }
    }
}

#[test]
fn spans_cover_the_page_and_hold_each_headline() {
    let r = seed_records();
    let text: Vec<char> = seed_text().chars().collect();
    assert_eq!(r[0]["span"]["start"], 0);
    assert_eq!(r[4]["span"]["end"].as_u64(), Some(text.len() as u64));
    for pair in r.windows(2) {
        assert_eq!(pair[0]["span"]["end"], pair[1]["span"]["start"], "spans must be contiguous");
    }
    for a in &r {
        let (start, end) = (a["span"]["start"].as_u64().unwrap() as usize, a["span"]["end"].as_u64().unwrap() as usize);
        let slice: String = text[start..end].iter().collect();
        assert!(slice.contains(a["headline"].as_str().unwrap()), "span of {} misses its headline", a["headline"]);
        let first_paragraph = strings(&a["paragraphs"])[0];
        let probe: String = first_paragraph.chars().take(12).collect();
        assert!(slice.contains(&probe), "span of {} misses its body", a["headline"]);
    }
}

#[test]
fn every_format_renders_all_five_articles() {
    let dir = Dir::new();
    let page = seed_page();
    type CountArticles = fn(&str) -> usize;
    let formats: [(&str, CountArticles); 4] = [
        ("text", |s: &str| s.matches("── ").count()),
        ("md", |s: &str| s.matches("\n## ").count() + usize::from(s.starts_with("## "))),
        ("csv", |s: &str| csv::Reader::from_reader(s.as_bytes()).records().count()),
        ("json", |s: &str| serde_json::from_str::<Vec<Value>>(s).map(|v| v.len()).unwrap_or(0)),
    ];
    for (format, count) in formats {
        let out = dir.jianbao().args(["split", "--format", format]).arg(&page).output().unwrap();
        assert!(out.status.success(), "{format}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(count(&stdout), 5, "{format} output:\n{stdout}");
        assert!(stdout.contains("市北：以强作风促落实，以实干求实效"), "{format}");
    }
}

#[test]
fn output_is_deterministic_and_goes_to_out() {
    let dir = Dir::new();
    let page = seed_page();
    let first = dir.jianbao().args(["split", "-f", "jsonl"]).arg(&page).output().unwrap().stdout;
    dir.jianbao().args(["split", "-f", "jsonl", "--out", "a.jsonl"]).arg(&page).assert().success();
    assert_eq!(std::fs::read(dir.path("a.jsonl")).unwrap(), first);
}
