//! `jianbao brief`: the example page as one day's briefing; a digest's records briefed by day
//! and week with reprints shown once, bad lines named and the rest briefed; the HTML rendered
//! in headless Chromium at a phone's and a desktop's width, where one is installed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use crate::harness::{run, seed_page, Dir};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `##` section heading each `###` story heading of a Markdown briefing falls under.
fn stories_by_section(md: &str) -> Vec<(String, String)> {
    let mut section = String::new();
    let mut out = Vec::new();
    for line in md.lines() {
        if let Some(rest) = line.strip_prefix("### ") {
            out.push((section.clone(), rest.replace('\\', "")));
        } else if let Some(rest) = line.strip_prefix("## ") {
            section = rest.split('（').next().unwrap_or(rest).to_owned();
        }
    }
    out
}

#[test]
fn the_example_page_briefs_into_five_stories_under_their_sections() {
    let dir = Dir::new();
    let page = seed_page().display().to_string();
    let out = run(&dir, &["brief", "--out-dir", "briefs", &page]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let briefs = dir.path("briefs");
    let records: Vec<Value> =
        read(&briefs.join("digest.jsonl")).lines().map(|l| serde_json::from_str(l).expect("a record")).collect();
    assert_eq!(records.len(), 5);
    let md = read(&briefs.join("2022-11-15.md"));
    assert!(md.starts_with("# 简报 · 2022-11-15\n"), "{md}");
    let shown = stories_by_section(&md);
    let expected: BTreeSet<(String, String)> = records
        .iter()
        .map(|r| (r["section"].as_str().unwrap().to_owned(), r["headline"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(shown.iter().cloned().collect::<BTreeSet<_>>(), expected, "{md}");
    assert_eq!(shown.len(), 5);
    for r in &records {
        assert!(md.contains(r["summary"].as_str().unwrap()), "every summary is shown");
    }
    let html = read(&briefs.join("2022-11-15.html"));
    assert_eq!(html.matches("<article ").count(), 5);
    assert!(read(&briefs.join("index.html")).contains("href=\"2022-11-15.html\""));
    // The sections follow the labels file's order: 时政 before 财经 before 社会 before 农业.
    let order = ["## 时政", "## 财经", "## 社会", "## 农业"];
    let at: Vec<usize> = order.iter().filter_map(|h| md.find(h)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{md}");

    // Without --out-dir: one briefing on stdout, the digest not kept; --resume digests nothing
    // again and gives the same briefing.
    let stdout = run(&dir, &["brief", &page]);
    assert_eq!(stdout.code, 0, "{}", stdout.stderr);
    assert_eq!(stories_by_section(&stdout.stdout).len(), 5);
    let again = run(&dir, &["brief", "--out-dir", "briefs", "--resume", &page]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(read(&briefs.join("digest.jsonl")).lines().count(), 5);
    assert_eq!(read(&briefs.join("2022-11-15.md")), md);
}

#[test]
fn rows_are_briefed_by_their_own_date_and_page() {
    let dir = Dir::new();
    let row = |date: &str, page: Value, title: &str, text: &str| {
        json!({"id": title, "date": date, "page": page, "title": title, "text": text}).to_string()
    };
    let rows = [
        row(
            "2021-03-05",
            json!(2),
            "全国两会开幕",
            "十三届全国人大四次会议5日上午在人民大会堂开幕。国务院总理作政府工作报告，代表们认真审议。",
        ),
        row(
            "2021年3月6日",
            json!("A01"),
            "春耕备耕有序推进",
            "各地抢抓农时推进春耕备耕，农资供应充足，农机具检修到位，小麦返青长势良好。",
        ),
    ];
    dir.write("rows.jsonl", rows.join("\n") + "\n");
    let out = run(&dir, &["brief", "--out-dir", "briefs", "rows.jsonl"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let records: Vec<Value> =
        read(&dir.path("briefs/digest.jsonl")).lines().map(|l| serde_json::from_str(l).expect("a record")).collect();
    assert_eq!((records[0]["date"].as_str(), records[0]["page"].as_str()), (Some("2021-03-05"), Some("2")));
    let first = read(&dir.path("briefs/2021-03-05.md"));
    assert!(first.contains("### 全国两会开幕") && first.contains("第2版"), "{first}");
    let second = read(&dir.path("briefs/2021-03-06.md"));
    assert!(second.contains("### 春耕备耕有序推进") && second.contains("第1版"), "{second}");
}

/// A digest of two days' pages, a page with no date, a reprint on the same day and one days
/// later, a failed page's record, a line that is not JSON and one without a summary.
fn digest_lines(dir: &Dir) -> (PathBuf, Vec<Value>) {
    let page = |name: &str| dir.write(&format!("pages/{name}"), "版面").display().to_string();
    let (d1p1, d1p2, d2p1, undated) =
        (page("20190201-01.txt"), page("20190201-02.txt"), page("20190203-01.txt"), page("notes.txt"));
    let record = |source: &str, index: usize, section: &str, headline: &str, summary: &str| {
        json!({
            "source": source, "key": format!("{source}#{index}@{index:016x}"), "index": index, "of": 3,
            "span": {"start": index * 100, "end": index * 100 + 99}, "headline": headline,
            "byline": {"outlet": null, "reporters": [], "lines": ["本报记者 李四"]},
            "dateline": {"text": "本报北京2月1日电"}, "summary": summary, "section": section,
        })
    };
    let long = "https://example.org/a/very/long/address/that/has/no/break/in/it/at/all/and/goes/on/and/on/for/ever";
    let mut records = vec![
        record(&d1p2, 1, "财经", "前三季度经济运行稳中向好", "前三季度国内生产总值同比增长百分之五。"),
        record(
            &d1p1,
            1,
            "时政",
            "国务院常务会议部署冬季供暖",
            "国务院常务会议部署冬季供暖工作，要求确保群众温暖过冬。",
        ),
        record(&d1p1, 2, "国际", "中外领导人举行会谈", &format!("双方同意深化合作，详见{long}。")),
        record(&d2p1, 1, "时政", "国务院常务会议部署春耕", "国务院常务会议部署春耕备耕工作。"),
        record(&undated, 1, "社会", "社区志愿者冬日巡逻", "社区志愿者每天巡逻，守护居民安全。"),
    ];
    // The front page's meeting, again on page 2, and two days later.
    let first = records[1]["key"].clone();
    let mut again = record(&d1p2, 2, "时政", "国务院常务会议部署冬季供暖（转载）", "国务院常务会议部署冬季供暖工作。");
    again["duplicate_of"] = first.clone();
    let mut later = record(&d2p1, 2, "时政", "国务院常务会议部署冬季供暖（再刊）", "国务院常务会议部署冬季供暖工作。");
    later["duplicate_of"] = first;
    records.push(again);
    records.push(later);
    let mut lines: Vec<String> = records.iter().map(Value::to_string).collect();
    lines.insert(2, "{not json".into());
    lines.insert(4, json!({"source": d1p1, "key": "x#9@0", "headline": "无摘要"}).to_string());
    lines.push(json!({"source": "pages/broken.txt", "error": "no articles", "kind": "no-articles"}).to_string());
    (dir.write("digest.jsonl", lines.join("\n") + "\n"), records)
}

/// Every relative link of the HTML pages in `dir` names a file there (or an id of its own page).
fn assert_links_resolve(dir: &Path) {
    for entry in std::fs::read_dir(dir).expect("the briefings' folder") {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = read(&path);
        for link in html.split("href=\"").skip(1).filter_map(|rest| rest.split('"').next()) {
            if let Some(id) = link.strip_prefix('#') {
                assert!(html.contains(&format!("id=\"{id}\"")), "{}: #{id} names no element", path.display());
            } else {
                let target = dir.join(link.replace("%20", " "));
                assert!(target.exists(), "{}: {link} is not there", path.display());
            }
        }
    }
}

#[test]
fn a_digest_briefs_by_day_with_reprints_once_and_bad_lines_named() {
    let dir = Dir::new();
    let (digest, _) = digest_lines(&dir);
    let out = run(&dir, &["brief", "--from-digest", "digest.jsonl", "--out-dir", "briefs"]);
    assert_eq!(out.code, 1, "a bad line makes the run partial: {}", out.stderr);
    let errors: Vec<&str> = out.errors();
    assert_eq!(errors.len(), 2, "{}", out.stderr);
    assert!(errors[0].starts_with("jianbao: digest.jsonl:3: not JSON"), "{errors:?}");
    assert!(errors[1].starts_with("jianbao: digest.jsonl:5: ") && errors[1].contains("summary"), "{errors:?}");
    let briefs = dir.path("briefs");
    for name in ["2019-02-01", "2019-02-03", "undated"] {
        assert!(briefs.join(format!("{name}.html")).exists() && briefs.join(format!("{name}.md")).exists(), "{name}");
    }
    let day = read(&briefs.join("2019-02-01.md"));
    // Front page first within 时政; the reprint on page 2 shown once, under the first.
    assert_eq!(
        stories_by_section(&day),
        [
            ("时政".to_owned(), "国务院常务会议部署冬季供暖".to_owned()),
            ("财经".to_owned(), "前三季度经济运行稳中向好".to_owned()),
            ("国际".to_owned(), "中外领导人举行会谈".to_owned()),
        ]
    );
    assert!(day.contains("另见：第2版（[20190201-02.txt](../pages/20190201-02.txt)，第 200–299 字）"), "{day}");
    assert!(day.contains("3 篇（另有重复刊登 1 篇）"), "{day}");
    let later = read(&briefs.join("2019-02-03.md"));
    assert!(later.contains("首见于：2019-02-01 第1版"), "{later}");
    assert!(read(&briefs.join("undated.md")).starts_with("# 简报 · 无日期"));
    let index = read(&briefs.join("index.html"));
    for name in ["2019-02-01.html", "2019-02-03.html", "undated.html"] {
        assert!(index.contains(&format!("href=\"{name}\"")), "{index}");
    }
    assert_links_resolve(&briefs);

    // By week: one briefing of both days; to stdout, one of everything.
    let week = run(&dir, &["brief", "--from-digest", "digest.jsonl", "--by", "week", "--out-dir", "weeks", "-q"]);
    assert_eq!(week.code, 1);
    assert!(week.stderr.is_empty(), "quiet: {}", week.stderr);
    assert!(dir.path("weeks/2019-W05.md").exists());
    let all = run(&dir, &["brief", "--from-digest", &digest.display().to_string(), "-q", "--date", "2019-02-05"]);
    assert!(all.stdout.starts_with("# 简报 · 2019-02-01 至 2019-02-05\n"), "{}", all.stdout);
    let html = run(&dir, &["brief", "--from-digest", "digest.jsonl", "-f", "html", "--by", "day", "-q"]);
    assert_eq!(html.code, 2, "several briefings do not fit one page");
    assert!(html.stderr.contains("--out-dir"), "{}", html.stderr);
}

/// The script each page gets for the browser: whether the page scrolls sideways or an element
/// passes the window's right edge, which stories it shows, and whether CJK text has glyphs of
/// its own: drawn in the page's fonts, four different characters give four different images,
/// where a missing font draws each as the same box (tofu).
const PROBE: &str = r#"<script>
(() => {
  const family = getComputedStyle(document.body).fontFamily;
  const draw = (ch) => {
    const c = document.createElement('canvas');
    c.width = c.height = 32;
    const x = c.getContext('2d');
    x.font = '24px ' + family;
    x.fillText(ch, 2, 26);
    return x.getImageData(0, 0, 32, 32).data.join(',');
  };
  const glyphs = new Set(['简', '报', '国', '闻'].map(draw)).size;
  const stories = [...document.querySelectorAll('article')].map(a => a.dataset.key);
  const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1).length;
  parent.postMessage(JSON.stringify({ width: innerWidth, scroll: document.documentElement.scrollWidth, wide, glyphs, stories }), '*');
})();
</script>"#;

/// The page that holds a page under test in a frame of a given width (headless Chromium's
/// window is at least 500 px wide) and writes what the page's probe sends it into its own DOM.
const FRAME: &str = r#"<!DOCTYPE html><html><body style="margin:0"><iframe src="PAGE" style="width:WIDTHpx;height:1200px;border:0"></iframe>
<script>addEventListener('message', e => { const p = document.createElement('pre'); p.id = 'probe'; p.textContent = e.data; document.body.appendChild(p); });</script>
</body></html>"#;

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|name| {
        let found = Command::new("which").arg(name).output().ok()?;
        found.status.success().then(|| PathBuf::from(String::from_utf8_lossy(&found.stdout).trim()))
    })
}

/// `page` loaded in headless Chromium in a frame `width` pixels wide: what [`PROBE`] found.
fn probe(browser: &Path, page: &Path, width: u32) -> Value {
    let probed = page.with_extension("probed.html");
    let html = read(page).replace("</body>", &format!("{PROBE}</body>"));
    std::fs::write(&probed, html).expect("write the probed page");
    let name = probed.file_name().and_then(|n| n.to_str()).expect("a file name");
    let frame = page.with_extension(format!("frame{width}.html"));
    std::fs::write(&frame, FRAME.replace("PAGE", name).replace("WIDTH", &width.to_string())).expect("write the frame");
    let profile = tempfile::tempdir().expect("a profile folder");
    let out = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--window-size=1400,1300")
        .arg("--virtual-time-budget=5000")
        .arg("--allow-file-access-from-files")
        .arg("--dump-dom")
        .arg(format!("file://{}", frame.display()))
        .output()
        .expect("run Chromium");
    let dom = String::from_utf8_lossy(&out.stdout);
    let json =
        dom.split("<pre id=\"probe\">").nth(1).and_then(|rest| rest.split("</pre>").next()).unwrap_or_else(|| {
            panic!("{}: no probe in the DOM; stderr: {}", page.display(), String::from_utf8_lossy(&out.stderr))
        });
    let json = json.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    serde_json::from_str(&json).expect("the probe's JSON")
}

#[test]
fn briefings_render_in_a_browser_from_a_phone_to_a_desktop() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: no Chromium (Debian: apt-get install chromium fonts-noto-cjk)");
        return;
    };
    let dir = Dir::new();
    let (_, records) = digest_lines(&dir);
    let out = run(&dir, &["brief", "--from-digest", "digest.jsonl", "--out-dir", "briefs", "-q"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let briefs = dir.path("briefs");
    let shown_once: BTreeSet<String> = records
        .iter()
        .filter(|r| r.get("duplicate_of").is_none() || r["source"].as_str().is_some_and(|s| s.contains("20190203")))
        .map(|r| r["key"].as_str().unwrap().to_owned())
        .collect();
    let mut seen = BTreeSet::new();
    for name in ["2019-02-01.html", "2019-02-03.html", "undated.html", "index.html"] {
        for width in [390, 1280] {
            let found = probe(&browser, &briefs.join(name), width);
            assert_eq!(found["width"], width, "{name}: the window is {width} px wide: {found}");
            assert!(found["scroll"].as_u64() <= Some(width.into()), "{name} scrolls sideways at {width} px: {found}");
            assert_eq!(found["wide"], 0, "{name}: an element passes the right edge at {width} px: {found}");
            assert_eq!(found["glyphs"], 4, "{name}: CJK characters drawn as boxes: {found}");
            for key in found["stories"].as_array().unwrap() {
                seen.insert(key.as_str().unwrap().to_owned());
            }
        }
    }
    assert_eq!(seen, shown_once, "the stories shown are the records, each reprint once");
}
