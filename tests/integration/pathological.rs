//! Pages as OCR and exports produce them at their worst (see `tests/pages/pathological.rs`)
//! digest like any other: every article gets a record, and its summary is within the budget and
//! made of the article's own characters. How long each takes is the `pathological` bench's.

use std::collections::{HashMap, HashSet};

use crate::harness::{path_str, run, Dir};

#[path = "../pages/pathological.rs"]
mod pages;

/// The text of a page as jianbao reads it (UTF-16 with lone surrogates mended).
fn decoded(bytes: &[u8]) -> String {
    match bytes {
        [0xff, 0xfe, rest @ ..] => {
            let units: Vec<u16> = rest.chunks_exact(2).map(|p| u16::from_le_bytes([p[0], p[1]])).collect();
            String::from_utf16_lossy(&units)
        }
        _ => String::from_utf8(bytes.to_vec()).expect("UTF-8 page"),
    }
}

#[test]
fn pathological_pages_digest_like_any_other() {
    let dir = Dir::new();
    let mut texts = HashMap::new();
    for page in pages::pages(false) {
        dir.write(&format!("pages/{}", page.name), &page.bytes);
        texts.insert(page.name.to_owned(), decoded(&page.bytes));
    }
    let pages_dir = dir.path("pages");
    let split = run(&dir, &["split", "--format", "jsonl", path_str(&pages_dir)]);
    assert_eq!(split.code, 0, "{}", split.stderr);
    let digest = run(&dir, &["digest", "--format", "jsonl", path_str(&pages_dir)]);
    assert_eq!(digest.code, 0, "{}", digest.stderr);
    let records = digest.records();
    // Every article of every page, and nothing else.
    assert_eq!(records.len(), split.records().len());
    let sources: HashSet<&str> = records.iter().map(|r| r["source"].as_str().unwrap()).collect();
    assert_eq!(sources.len(), texts.len(), "{sources:?}");
    for record in &records {
        let source = record["source"].as_str().unwrap();
        let name = source.rsplit('/').next().unwrap();
        let text = &texts[name];
        let (start, end) = (record["span"]["start"].as_u64().unwrap(), record["span"]["end"].as_u64().unwrap());
        let own: HashSet<char> = text.chars().skip(start as usize).take((end - start) as usize).collect();
        let summary = record["summary"].as_str().unwrap();
        assert!(!summary.is_empty() && summary.chars().count() <= 80, "{name}: {summary}");
        // (A headline-only article's summary is its heading: kicker, headline and deck joined
        // with spaces.)
        let own_words = summary.trim_start_matches(jianbao::summarize::commentary::LEAD_IN);
        assert!(own_words.chars().all(|c| c == '…' || c == '。' || c == ' ' || own.contains(&c)), "{name}: {summary}");
        assert!(!record["section"].as_str().unwrap().is_empty(), "{name}");
    }
    // The damaged UTF-16 page is read, its lone surrogates as U+FFFD.
    let utf16 = records.iter().find(|r| r["source"].as_str().unwrap().ends_with("utf16-surrogates.txt")).unwrap();
    assert_eq!(utf16["headline"], "代理对测试");
}

#[test]
fn an_article_out_of_time_gets_a_timeout_record_and_its_page_goes_on() {
    let dir = Dir::new();
    // The example page twice, with a 9 MB run of clauses between: finding the sentences of the
    // article that takes it in takes far longer than 50 ms, the example page's articles far less.
    let seed = crate::harness::seed_text();
    let clauses: Vec<&str> = (0..1_500_000).map(|i| ["青岛发布报告", "市里召开会议", "各区加强巡查"][i % 3]).collect();
    let page = format!("{}\n\n超长文章\n\n\u{3000}\u{3000}{}\n\n{seed}", seed.trim_end(), clauses.join("，"));
    let page = dir.write("page.txt", page);
    let split = run(&dir, &["split", "--format", "jsonl", "--max-bytes", "64M", path_str(&page)]);
    let articles = split.records();
    let span = |r: &serde_json::Value| r["span"]["end"].as_u64().unwrap() - r["span"]["start"].as_u64().unwrap();
    let long = articles.iter().max_by_key(|r| span(r)).unwrap()["index"].as_u64().unwrap();
    let of = articles.len() as u64;
    let out = dir.path("out.jsonl");
    let args = [
        "digest",
        "--format",
        "jsonl",
        "--max-bytes",
        "64M",
        "--article-timeout",
        "0.05",
        "--out",
        path_str(&out),
        path_str(&page),
    ];
    let first = run(&dir, &args);
    // Exit 1: done, with a failure recorded.
    assert_eq!(first.code, 1, "{}", first.stderr);
    assert!(first.stderr.contains("took longer than --article-timeout"), "{}", first.stderr);
    let lines: Vec<serde_json::Value> =
        std::fs::read_to_string(&out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let (errors, records): (Vec<_>, Vec<_>) = lines.iter().partition(|r| r.get("error").is_some());
    assert_eq!(records.len() as u64, of - 1, "every other article of the page is written");
    assert!(records.iter().all(|r| r["summary"].as_str().is_some_and(|s| !s.is_empty())));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["kind"], "timeout");
    assert_eq!((errors[0]["index"].as_u64(), errors[0]["of"].as_u64()), (Some(long), Some(of)));
    assert!(errors[0]["key"].as_str().is_some_and(|k| k.contains(&format!("page.txt#{long}@"))));
    // The page counts as complete, and resuming does not try the article again.
    let merged = run(&dir, &["merge", "--out", path_str(&dir.path("merged.jsonl")), path_str(&out)]);
    assert_eq!(merged.code, 0, "{}", merged.stderr);
    let resumed = run(&dir, &[&args[..], &["--resume"]].concat());
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count() as u64, of);
    // Without a limit, the article is digested like the others.
    let unlimited =
        run(&dir, &["digest", "--format", "jsonl", "--max-bytes", "64M", "--article-timeout", "0", path_str(&page)]);
    assert_eq!(unlimited.code, 0, "{}", unlimited.stderr);
    assert_eq!(unlimited.records().len() as u64, of);
}
