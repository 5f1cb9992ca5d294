//! Reading what users point jianbao at: encodings, line endings, directories, archives, JSON
//! Lines and standard input; and every kind of bad input, each reported on one line while the
//! other inputs are still processed.

use std::io::Write;
use std::ops::ControlFlow;

use encoding_rs::{BIG5, GB18030, UTF_16BE, UTF_16LE};

use crate::harness::{headlines, path_str, seed_text, split_jsonl, Dir, Run};

/// A short two-article page, written in whatever encoding a test needs.
const PAGE: &str = "青岛首单创新创业公司债券发行\n\n□青岛日报/观海新闻记者 傅军\n\n本报11月14日讯 青岛财通集团有限公司日前在深圳成功发行青岛首单创新创业公司债券，债券规模为5亿元。\n\n青岛入选全省首批“平安农机”示范市\n\n□青岛日报/观海新闻记者 张晋\n\n本报11月14日讯 日前，山东省农业农村厅和山东省应急管理厅联合发布全省“平安农机”示范单位名单。\n";
const PAGE_HEADLINES: [&str; 2] = ["青岛首单创新创业公司债券发行", "青岛入选全省首批“平安农机”示范市"];

/// The same page in traditional characters, as Big5 text comes.
const PAGE_TRADITIONAL: &str = "青島首單創新創業公司債券發行\n\n□青島日報記者 傅軍\n\n本報11月14日訊 青島財通集團有限公司日前在深圳成功發行青島首單創新創業公司債券，債券規模為5億元。\n\n青島入選全省首批「平安農機」示範市\n\n□青島日報記者 張晉\n\n本報11月14日訊 日前，山東省農業農村廳和山東省應急管理廳聯合發布全省「平安農機」示範單位名單。\n";

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
    for unit in text.encode_utf16() {
        out.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
    }
    out
}

#[test]
fn every_supported_encoding_gives_the_same_articles() {
    let dir = Dir::new();
    let (gb, _, _) = GB18030.encode(PAGE);
    let (big5, _, unmappable) = BIG5.encode(PAGE_TRADITIONAL);
    assert!(!unmappable, "the traditional page must be pure Big5");
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(PAGE.as_bytes());
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("utf8.txt", PAGE.as_bytes().to_vec(), "UTF-8"),
        ("utf8-bom.txt", bom, "UTF-8"),
        ("utf16le.txt", utf16(PAGE, false), UTF_16LE.name()),
        ("utf16be.txt", utf16(PAGE, true), UTF_16BE.name()),
        ("gb18030.txt", gb.into_owned(), "gb18030"),
        ("big5.txt", big5.into_owned(), "Big5"),
    ];
    for (name, bytes, encoding) in cases {
        let path = dir.write(name, &bytes);
        let run = split_jsonl(&dir, &[path_str(&path)]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        let records = run.records();
        assert_eq!(records[0]["encoding"].as_str().map(str::to_lowercase), Some(encoding.to_lowercase()), "{name}");
        if name.starts_with("big5") {
            assert_eq!(headlines(&records), ["青島首單創新創業公司債券發行", "青島入選全省首批「平安農機」示範市"]);
            assert_eq!(records[1]["byline"]["reporters"][0], "張晉");
            assert_eq!(records[1]["dateline"]["text"], "本報11月14日訊");
        } else {
            assert_eq!(headlines(&records), PAGE_HEADLINES, "{name}");
            assert_eq!(records[1]["byline"]["reporters"][0], "张晋", "{name}");
        }
    }
}

#[test]
fn forced_encoding_overrides_detection() {
    let dir = Dir::new();
    let (gbk, _, _) = encoding_rs::GBK.encode(PAGE);
    let path = dir.write("page.txt", &gbk);
    let run = split_jsonl(&dir, &["--encoding", "gbk", path_str(&path)]);
    assert_eq!(headlines(&run.records()), PAGE_HEADLINES);
    let run = split_jsonl(&dir, &["--encoding", "utf-8", path_str(&path)]);
    assert_eq!(run.code, 1);
    assert_eq!(run.errors().len(), 1);
    assert!(run.errors()[0].contains("page.txt") && run.errors()[0].contains("not valid UTF-8"), "{}", run.stderr);
    let run = split_jsonl(&dir, &["--encoding", "klingon", path_str(&path)]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown encoding `klingon`"), "{}", run.stderr);
}

#[test]
fn line_endings_do_not_change_articles_and_spans_stay_exact() {
    let dir = Dir::new();
    let seed = seed_text();
    let lf = split_jsonl(&dir, &[path_str(&dir.write("lf.txt", &seed))]).records();
    for (name, ending) in [("crlf.txt", "\r\n"), ("cr.txt", "\r")] {
        let text = seed.replace('\n', ending);
        let records = split_jsonl(&dir, &[path_str(&dir.write(name, &text))]).records();
        assert_eq!(headlines(&records), headlines(&lf), "{name}");
        let chars: Vec<char> = text.chars().collect();
        for r in &records {
            let start = r["span"]["start"].as_u64().unwrap() as usize;
            let end = r["span"]["end"].as_u64().unwrap() as usize;
            let slice: String = chars[start..end].iter().collect();
            assert!(slice.contains(r["headline"].as_str().unwrap()), "{name}");
            assert_eq!(r["paragraphs"], lf[r["index"].as_u64().unwrap() as usize - 1]["paragraphs"], "{name}");
        }
        assert_eq!(records.last().unwrap()["span"]["end"].as_u64(), Some(chars.len() as u64));
    }
}

#[test]
fn directories_are_walked_in_order_and_filtered() {
    let dir = Dir::new();
    dir.write("pages/b/02.txt", PAGE);
    dir.write("pages/a/01.txt", seed_text());
    dir.write("pages/notes.doc", "not a page");
    dir.write("pages/.hidden.txt", PAGE);
    let run = split_jsonl(&dir, &["pages"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sources: Vec<String> = run.records().iter().map(|r| r["source"].as_str().unwrap().to_owned()).collect();
    assert_eq!(sources.len(), 7);
    assert!(
        sources[..5].iter().all(|s| s.ends_with("a/01.txt")) && sources[5..].iter().all(|s| s.ends_with("b/02.txt"))
    );
    let run = split_jsonl(&dir, &["--glob", "b/*.txt", "pages"]);
    assert_eq!(run.records().len(), 2);
}

pub fn zip_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn tar_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut tar = tar::Builder::new(Vec::new());
    for (name, bytes) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, name, *bytes).unwrap();
    }
    tar.into_inner().unwrap()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn archives_are_read_in_memory_with_entry_origins() {
    let dir = Dir::new();
    let entries: [(&str, &[u8]); 2] = [("2022/page.txt", PAGE.as_bytes()), ("2022/photo.jpg", b"\xff\xd8\xff")];
    dir.write("pages.zip", zip_bytes(&entries));
    dir.write("pages.tar", tar_bytes(&entries));
    dir.write("pages.tar.gz", gzip(&tar_bytes(&entries)));
    dir.write("pages.tgz", gzip(&tar_bytes(&entries)));
    dir.write("page.txt.gz", gzip(PAGE.as_bytes()));
    for name in ["pages.zip", "pages.tar", "pages.tar.gz", "pages.tgz", "page.txt.gz"] {
        let run = split_jsonl(&dir, &[name]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        let records = run.records();
        assert_eq!(headlines(&records), PAGE_HEADLINES, "{name}");
        let expected = if name.ends_with(".txt.gz") { name.to_owned() } else { format!("{name}!2022/page.txt") };
        assert_eq!(records[0]["source"], expected.as_str());
    }
    assert!(
        std::fs::read_dir(dir.dir.path()).unwrap().all(|e| e.unwrap().file_type().unwrap().is_file()),
        "nothing extracted"
    );
}

#[test]
fn reading_stops_when_the_sink_says_so() {
    // Three documents in each kind of container: a sink that stops after the second gets two,
    // whether they are files in a directory, entries of an archive or rows of JSON Lines.
    let dir = Dir::new();
    let pages: Vec<String> = (1..=3).map(|n| format!("第{n}版\n\n正文第{n}段。\n")).collect();
    let entries: Vec<(String, &[u8])> =
        pages.iter().enumerate().map(|(i, p)| (format!("{i}.txt"), p.as_bytes())).collect();
    let entries: Vec<(&str, &[u8])> = entries.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    for (name, bytes) in &entries {
        dir.write(&format!("pages/{name}"), bytes);
    }
    dir.write("pages.zip", zip_bytes(&entries));
    dir.write("pages.tar.gz", gzip(&tar_bytes(&entries)));
    let rows: String = pages.iter().map(|p| serde_json::json!({ "text": p }).to_string() + "\n").collect();
    dir.write("pages.jsonl", rows);
    for name in ["pages", "pages.zip", "pages.tar.gz", "pages.jsonl"] {
        let mut seen = Vec::new();
        let sources = [dir.path(name), dir.path("pages.zip")];
        jianbao::input::read_sources(&sources, &jianbao::input::InputOptions::default(), &mut |item| {
            seen.push(item.expect("readable").text);
            if seen.len() == 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        assert_eq!(seen, pages[..2], "{name}");
    }
}

#[test]
fn json_lines_rows_are_articles_that_keep_their_id() {
    let dir = Dir::new();
    let rows = "{\"id\": \"a-1\", \"title\": \"青岛首单创新创业公司债券发行\", \"text\": \"本报11月14日讯 青岛财通集团有限公司日前在深圳成功发行债券。\"}\n\
                {\"id\": 2, \"text\": \"市北：以强作风促落实\\n\\n今年以来，市北区认真贯彻市委工作部署，扎实推进活动。\"}\n\
                {\"id\": 3, \"title\": \"没有正文\"}\n";
    dir.write("rows.jsonl", rows);
    let run = split_jsonl(&dir, &["rows.jsonl"]);
    assert_eq!(run.code, 1);
    let records = run.records();
    assert_eq!(records.len(), 2);
    assert_eq!((records[0]["id"].as_str(), records[1]["id"].as_str()), (Some("a-1"), Some("2")));
    assert_eq!(records[0]["dateline"]["text"], "本报11月14日讯");
    assert_eq!(records[1]["headline"], "市北：以强作风促落实");
    assert_eq!(records[1]["source"], "rows.jsonl:2");
    assert_eq!(run.errors(), vec!["jianbao: rows.jsonl:3: bad JSON Lines row: no \"text\" field"]);
}

/// Rows are recognised by their content too: piped in, or in a file not named `.jsonl`; and
/// a row that is not good JSON is reported, not read as the text of a page.
#[test]
fn json_lines_are_recognised_by_their_content() {
    let dir = Dir::new();
    let rows = "\u{feff}{\"id\": \"a-1\", \"title\": \"青岛首单创新创业公司债券发行\", \"text\": \"本报11月14日讯 青岛财通集团有限公司日前在深圳成功发行债券。\"}\n\
                {\"id\": \"a-2\", \"title\": \"没有写完\"\n";
    let out = dir.jianbao().args(["split", "-f", "jsonl", "-"]).write_stdin(rows).output().unwrap();
    let piped = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    };
    dir.write("rows.txt", rows);
    let named = split_jsonl(&dir, &["rows.txt"]);
    for (run, source) in [(piped, "-"), (named, "rows.txt")] {
        assert_eq!(run.code, 1, "{source}: {}", run.stderr);
        let records = run.records();
        assert_eq!(records.len(), 1, "{source}");
        assert_eq!(records[0]["id"], "a-1");
        assert_eq!(records[0]["headline"], "青岛首单创新创业公司债券发行");
        assert_eq!(records[0]["source"], format!("{source}:1").as_str());
        let errors = run.errors();
        assert_eq!(errors.len(), 1, "{source}: {}", run.stderr);
        assert!(errors[0].starts_with(&format!("jianbao: {source}:2: bad JSON Lines row")), "{}", errors[0]);
    }
}

#[test]
fn standard_input() {
    let dir = Dir::new();
    let out = dir.jianbao().args(["split", "-f", "jsonl", "-"]).write_stdin(PAGE).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 2);
    assert!(stdout.contains("\"source\":\"-\""));
}

/// Each bad input is named on one line of stderr with its reason, the good page beside it is
/// still split, and the exit code is 1.
fn assert_reported(dir: &Dir, args: &[&str], culprit: &str, reason: &str) {
    let good = dir.write("good.txt", PAGE);
    let mut all = args.to_vec();
    all.push(path_str(&good));
    let run = split_jsonl(dir, &all);
    assert_eq!(run.code, 1, "{culprit}: exit code; stderr {}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let errors = run.errors();
    assert!(
        errors.iter().any(|e| e.contains(culprit) && e.contains(reason)),
        "{culprit}: want `{reason}`, got {errors:?}"
    );
    assert_eq!(
        headlines(&run.records())[run.records().len() - 2..],
        PAGE_HEADLINES,
        "{culprit}: the good page is lost"
    );
}

#[test]
fn empty_and_blank_files() {
    let dir = Dir::new();
    dir.write("empty.txt", "");
    dir.write("blank.txt", "\u{3000}\n \r\n");
    assert_reported(&dir, &["empty.txt"], "empty.txt", "empty file");
    assert_reported(&dir, &["blank.txt"], "blank.txt", "empty file");
    dir.write("scans/page.jpg", "not text");
    assert_reported(&dir, &["scans"], "scans", "holds no files that the file filter (--glob) selects");
}

#[test]
fn binary_files() {
    let dir = Dir::new();
    dir.write("photo.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10");
    dir.write("nul.txt", b"abc\0\0\0def");
    assert_reported(&dir, &["photo.txt"], "photo.txt", "binary file (PNG image)");
    assert_reported(&dir, &["nul.txt"], "nul.txt", "binary file (NUL bytes)");
}

#[test]
fn undecodable_bytes() {
    let dir = Dir::new();
    let mut bytes = PAGE.as_bytes()[..60].to_vec();
    bytes.extend_from_slice(b"\xff\xfe\xff\x80\xff");
    dir.write("broken.txt", bytes);
    assert_reported(&dir, &["broken.txt"], "broken.txt", "not valid UTF-8, GB18030 or Big5");
}

#[test]
fn files_over_the_size_limit() {
    let dir = Dir::new();
    dir.write("big.txt", PAGE.repeat(20));
    assert_reported(&dir, &["--max-bytes", "2K", "big.txt"], "big.txt", "larger than the limit of 2048 bytes");
}

#[test]
fn unreadable_paths() {
    let dir = Dir::new();
    assert_reported(&dir, &["missing.txt"], "missing.txt", "cannot read");
}

#[test]
fn corrupt_archives() {
    let dir = Dir::new();
    dir.write("junk.zip", b"PK\x03\x04 this is not really a zip archive");
    let tgz = gzip(&tar_bytes(&[("page.txt", PAGE.as_bytes())]));
    dir.write("cut.tar.gz", &tgz[..tgz.len() / 2]);
    dir.write("junk.tar", vec![b'x'; 1024]);
    assert_reported(&dir, &["junk.zip"], "junk.zip", "corrupt archive");
    assert_reported(&dir, &["cut.tar.gz"], "cut.tar.gz", "corrupt archive");
    assert_reported(&dir, &["junk.tar"], "junk.tar", "corrupt archive");
}

#[test]
fn a_corrupt_entry_does_not_lose_the_others() {
    let dir = Dir::new();
    let mut zip = zip_bytes(&[("bad.txt", seed_text().as_bytes()), ("good.txt", PAGE.as_bytes())]);
    // Damage the first entry's compressed data (after its 30-byte header and 7-byte name).
    for b in &mut zip[40..60] {
        *b ^= 0x5a;
    }
    dir.write("mixed.zip", zip);
    let run = split_jsonl(&dir, &["mixed.zip"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.errors().iter().any(|e| e.contains("mixed.zip!bad.txt")), "{:?}", run.errors());
    assert_eq!(headlines(&run.records()), PAGE_HEADLINES);
}

#[test]
fn zip_bombs_stop_at_the_limit() {
    let dir = Dir::new();
    let huge = "青岛首单创新创业公司债券发行。".repeat(200_000); // 9 MB that compresses to a few KB
    dir.write("bomb.zip", zip_bytes(&[("bomb.txt", huge.as_bytes())]));
    dir.write("bomb.tar.gz", gzip(&tar_bytes(&[("bomb.txt", huge.as_bytes())])));
    assert_reported(&dir, &["--max-bytes", "1M", "bomb.zip"], "bomb.zip!bomb.txt", "expands past the limit");
    assert_reported(&dir, &["--max-bytes", "1M", "bomb.tar.gz"], "bomb.tar.gz!bomb.txt", "expands past the limit");
}

#[cfg(unix)]
#[test]
fn symlink_loops() {
    let dir = Dir::new();
    dir.write("pages/page.txt", PAGE);
    std::os::unix::fs::symlink(dir.path("pages"), dir.path("pages/loop")).unwrap();
    let good = dir.write("good.txt", PAGE);
    let run = split_jsonl(&dir, &["pages", path_str(&good)]);
    assert_eq!(run.code, 1);
    assert!(run.errors().iter().any(|e| e.contains("loop") && e.contains("symbolic link loop")), "{:?}", run.errors());
    assert_eq!(run.records().len(), 4, "the page in the directory and the good page");
}

#[test]
fn help_version_and_completions() {
    let dir = Dir::new();
    let help = dir.jianbao().args(["split", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    for needle in ["--format", "--glob", "--encoding", "--max-bytes", "Examples:", "Exit codes:"] {
        assert!(help.contains(needle), "split --help lacks {needle}");
    }
    let version = dir.jianbao().arg("--version").output().unwrap();
    assert!(String::from_utf8(version.stdout).unwrap().starts_with("jianbao "));
    for shell in ["bash", "zsh", "fish"] {
        let out = dir.jianbao().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        assert!(String::from_utf8(out.stdout).unwrap().contains("split"), "{shell}");
    }
}
