//! `jianbao digest`, `summarize`, `label` and `train` on the example page and on small
//! generated data: sections, summaries free of bylines and datelines and within budget, the
//! baselines without a model, zero-shot labels, and heads that belong to another encoder;
//! `train` on newspaper articles and `train-summarizer`.

use std::path::PathBuf;

use serde_json::Value;

use crate::harness::{path_str, read_json, run, seed_page, seed_text, Dir};
use crate::tiny;

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn seed() -> String {
    seed_page().display().to_string()
}

/// Each summary sentence is the article's own words: a sentence of its body, or a run of a
/// sentence's clauses, which ends as a sentence.
fn assert_extractive(summary: &str, article_text: &str) {
    for sentence in jianbao::text::sentences(summary.trim_end_matches('…')) {
        let sentence = sentence.trim_end_matches(['…', '。']);
        assert!(article_text.contains(sentence), "`{sentence}` is not in the article");
    }
}

#[test]
fn digest_of_the_example_page() {
    let dir = Dir::new();
    let run = run(&dir, &["digest", "--format", "jsonl", &seed()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let records = run.records();
    assert_eq!(records.len(), 5);
    let sections: Vec<&str> = records.iter().map(|r| r["section"].as_str().unwrap()).collect();
    assert_eq!(&sections[..4], ["时政", "社会", "财经", "农业"], "{sections:?}");
    // The fifth, a district's work report (investment, urban renewal, work style), is 时政 or
    // 财经 to a reader.
    assert!(["时政", "财经"].contains(&sections[4]), "{sections:?}");
    let page = seed_text();
    let chars: Vec<char> = page.chars().collect();
    // Every article of the page reports (the second, on smart communities, too: its reference
    // summary states what the city did), so no summary is framed as an argument.
    let lead_in = jianbao::summarize::commentary::LEAD_IN;
    let framed: Vec<bool> = records.iter().map(|r| r["summary"].as_str().unwrap().starts_with(lead_in)).collect();
    assert_eq!(framed, [false; 5], "{records:?}");
    for r in &records {
        let summary = r["summary"].as_str().unwrap();
        assert!(!summary.is_empty());
        assert!(summary.chars().count() <= jianbao::summarize::DEFAULT_MAX_CHARS, "over budget: {summary}");
        // No byline, reporter, dateline or credit in the summary.
        for reporter in r["byline"]["reporters"].as_array().unwrap() {
            assert!(!summary.contains(reporter.as_str().unwrap()), "{summary}");
        }
        for marker in ["本报", "□", "记者", "通讯员", "讯 ", "日讯"] {
            assert!(!summary.contains(marker), "`{marker}` in {summary}");
        }
        let span: String = chars
            [r["span"]["start"].as_u64().unwrap() as usize..r["span"]["end"].as_u64().unwrap() as usize]
            .iter()
            .collect();
        assert_extractive(summary.trim_start_matches(lead_in), &span.replace('\n', ""));
        let confidence = r["confidence"].as_f64().unwrap();
        assert!(confidence > 0.0 && confidence <= 1.0);
        let top = r["top"].as_array().unwrap();
        assert_eq!(top.len(), 3);
        assert_eq!(top[0]["section"], r["section"]);
    }
    // The readable format shows the same.
    let text = run_text(&dir, &["digest", &seed()]);
    assert_eq!(text.matches("\nsummary ").count() + usize::from(text.starts_with("summary ")), 5);
    assert!(text.contains("section   农业"), "{text}");
    // --extractive: every summary is the article's own sentences.
    let extractive = crate::harness::run(&dir, &["digest", "--format", "jsonl", "--extractive", &seed()]);
    assert_eq!(extractive.code, 0, "{}", extractive.stderr);
    assert!(extractive.records().iter().all(|r| !r["summary"].as_str().unwrap().starts_with(lead_in)));
}

fn run_text(dir: &Dir, args: &[&str]) -> String {
    let run = run(dir, args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn the_baselines_need_no_model() {
    let dir = Dir::new();
    // An unreachable model proves that none is loaded.
    for method in ["lead", "textrank"] {
        let run = run(
            &dir,
            &["summarize", "--method", method, "--model", "/nonexistent/model", "--format", "jsonl", &seed()],
        );
        assert_eq!(run.code, 0, "{method}: {}", run.stderr);
        let records = run.records();
        assert_eq!(records.len(), 5);
        assert!(records.iter().all(|r| r.get("section").is_none()));
        let first = records[0]["summary"].as_str().unwrap();
        if method == "lead" {
            // The sentence after the dateline, not the dateline.
            assert!(first.starts_with("按照省委统一安排"), "{first}");
        }
    }
    // --sentences takes that many, in article order.
    let run = run(
        &dir,
        &["summarize", "--method", "lead", "--sentences", "2", "--max-chars", "400", "--format", "jsonl", &seed()],
    );
    let fifth = run.records()[4]["summary"].as_str().unwrap().to_owned();
    assert_eq!(jianbao::text::sentences(&fifth).len(), 2, "{fifth}");
}

#[test]
fn summarize_and_label_plain_text_and_rows() {
    let dir = Dir::new();
    let post = "据消息人士透露，春节前，在一次内部沟通会上，证监会高层明确表示，注册制目前还只是一个目标。现阶段需要创造很多条件来完成向注册制的过渡，而这个过程并非一蹴而就。有市场人士分析称，注册制一两年之内估计都不会实行。";
    let run1 = run(&dir, &["summarize", "--format", "jsonl", "--text", post]);
    assert_eq!(run1.code, 0, "{}", run1.stderr);
    let summary = run1.records()[0]["summary"].as_str().unwrap().to_owned();
    assert!(!summary.is_empty() && summary.chars().count() < post.chars().count() / 2, "{summary}");
    assert_extractive(&summary, post);

    let rows = dir.write(
        "rows.jsonl",
        "{\"id\": \"a1\", \"title\": \"国足公布世预赛大名单\", \"text\": \"中国男足主教练今天公布了世界杯预选赛的集训大名单，多名年轻球员入选。\"}\n\
         {\"id\": \"a2\", \"title\": \"央行下调存款准备金率\", \"text\": \"中国人民银行决定下调金融机构存款准备金率0.25个百分点，释放长期资金约5000亿元。\"}\n",
    );
    let run2 = run(&dir, &["label", "--format", "jsonl", rows.to_str().unwrap()]);
    assert_eq!(run2.code, 0, "{}", run2.stderr);
    let records = run2.records();
    assert_eq!(records.iter().map(|r| r["id"].as_str().unwrap()).collect::<Vec<_>>(), ["a1", "a2"]);
    assert_eq!(records.iter().map(|r| r["section"].as_str().unwrap()).collect::<Vec<_>>(), ["体育", "财经"]);
    assert!(records.iter().all(|r| r.get("summary").is_none()));
    // Under the threshold the answer is `unknown`.
    let run3 = run(&dir, &["label", "--format", "jsonl", "--min-confidence", "1", rows.to_str().unwrap()]);
    assert!(run3.records().iter().all(|r| r["section"] == "unknown"));

    // `digest` takes texts too. A headline alone is its own summary; a reporter's credit after
    // the dateline and a reporter's source are not summary text.
    let report = "本报讯 记者王明报道：记者从市发改委获悉，今年全市已储备电煤200万吨，可保障整个供暖季需要。会议要求各区县确保居民按时供暖。";
    let run4 = run(&dir, &["digest", "--format", "jsonl", "--text", "国足3比0战胜对手", "--text", report]);
    assert_eq!(run4.code, 0, "{}", run4.stderr);
    let records = run4.records();
    assert_eq!(
        (records[0]["summary"].as_str(), records[0]["section"].as_str()),
        (Some("国足3比0战胜对手"), Some("体育"))
    );
    assert_eq!(records[1]["byline"]["reporters"], serde_json::json!(["王明"]));
    let summary = records[1]["summary"].as_str().unwrap();
    assert!(!summary.is_empty() && !summary.contains("记者"), "{summary}");
    assert_extractive(summary, report);
}

/// A sports page: two clear match reports around a short item that, alone, reads as culture.
const SPORTS_PAGE: &str = "中国女排3比1战胜巴西队\n\n本报东京7月30日电  在30日进行的排球联赛小组赛中，中国女排以3比1战胜巴西队，取得两连胜。主教练赛后表示，球队的发球和拦网都有进步，接下来将全力备战与美国队的比赛。\n\n吉祥物花灯为元宵灯会添彩\n\n本报武汉2月21日电  以军人运动会吉祥物为原型制作的6盏花灯，与舞狮表演一起亮相今年的元宵灯会，吸引了众多市民驻足观看。\n\n苏炳添晋级男子百米决赛\n\n本报东京7月30日电  在30日晚进行的田径比赛男子100米半决赛中，中国选手苏炳添以9秒83的成绩晋级决赛，并刷新亚洲纪录。\n";

#[test]
fn an_article_leans_on_its_neighbours_on_the_page() {
    let dir = Dir::new();
    let page = dir.write("sports.txt", SPORTS_PAGE);
    let sections = |extra: &[&str], path: &str| -> Vec<String> {
        let mut args = vec!["label", "--format", "jsonl"];
        args.extend_from_slice(extra);
        args.push(path);
        let out = run(&dir, &args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.records().iter().map(|r| r["section"].as_str().unwrap().to_owned()).collect()
    };
    // Leaning on the page by half, the middle item goes with its page. (At the default share
    // the head, which learnt from newspaper articles, keeps it as what it is: culture.)
    let with_page = sections(&["--page-context", "0.5"], page.to_str().unwrap());
    assert_eq!(with_page, ["体育", "体育", "体育"]);
    // On its own the middle item is not sports: the page made it so.
    let alone = sections(&["--page-context", "0"], page.to_str().unwrap());
    assert_eq!((alone[0].as_str(), alone[2].as_str()), ("体育", "体育"));
    assert_ne!(alone[1], "体育", "{alone:?}");
    // Rows of a JSON Lines file are pages of their own: no row leans on another.
    let articles: Vec<&str> = SPORTS_PAGE.split("\n\n").collect();
    let rows: String = articles
        .chunks(2)
        .enumerate()
        .map(|(i, a)| serde_json::json!({"id": i, "title": a[0], "text": a[1]}).to_string() + "\n")
        .collect();
    let rows = dir.write("rows.jsonl", rows);
    assert_eq!(sections(&[], rows.to_str().unwrap()), sections(&["--page-context", "0"], rows.to_str().unwrap()));
    assert_eq!(sections(&[], rows.to_str().unwrap())[1], alone[1]);
    // A bad value fails before any model is looked for.
    let missing = dir.path("no-model");
    let bad =
        run(&dir, &["label", "--model", missing.to_str().unwrap(), "--page-context", "1.5", page.to_str().unwrap()]);
    assert_eq!(bad.code, 2);
    assert_eq!(bad.stderr.trim(), "jianbao: --page-context must be between 0 and 1");
}

#[test]
fn zero_shot_labels_come_from_the_labels_file() {
    let dir = Dir::new();
    let labels = dir.write(
        "mine.toml",
        "[[section]]\nname = \"经济\"\ndescription = \"经济、企业、金融、债券、投资、产业项目\"\n\n\
         [[section]]\nname = \"党政\"\ndescription = \"党的会议、宣讲、学习贯彻精神、政府工作\"\n\n\
         [[section]]\nname = \"农村\"\ndescription = \"农业、农机、农民、乡村\"\n",
    );
    let run1 =
        run(&dir, &["digest", "--format", "jsonl", "--labels", labels.to_str().unwrap(), "--zero-shot", &seed()]);
    assert_eq!(run1.code, 0, "{}", run1.stderr);
    let sections: Vec<String> = run1.records().iter().map(|r| r["section"].as_str().unwrap().to_owned()).collect();
    assert_eq!(sections[0], "党政", "{sections:?}");
    assert_eq!(sections[2], "经济", "{sections:?}");
    assert_eq!(sections[3], "农村", "{sections:?}");
    // A labels file without a head trained on it needs --zero-shot.
    let run2 = run(&dir, &["label", "--labels", labels.to_str().unwrap(), &seed()]);
    assert_eq!(run2.code, 2);
    assert!(run2.stderr.contains("--zero-shot"), "{}", run2.stderr);
    // A broken labels file is named.
    let broken = dir.write("broken.toml", "[[section]]\nname = 3\n");
    let run3 = run(&dir, &["label", "--zero-shot", "--labels", broken.to_str().unwrap(), &seed()]);
    assert_eq!(run3.code, 2);
    assert!(run3.stderr.contains("broken.toml"), "{}", run3.stderr);
}

/// Two labels, told apart by their characters (all in the tiny model's vocabulary): the labels
/// file and 200 rows (and one unlabelled).
fn two_labels(dir: &Dir) -> (PathBuf, PathBuf) {
    let labels = dir.write("two.toml", "[[section]]\nname = \"甲\"\n\n[[section]]\nname = \"乙\"\n");
    let mut rows = String::new();
    for i in 0..200 {
        let (text, label) = if i % 2 == 0 {
            ("青岛首单创新创业公司债券发行", "甲")
        } else {
            ("今天气很好他说我们要坚持开放交流", "乙")
        };
        let text: String = text.chars().cycle().skip(i % 5).take(6 + i % 4).collect();
        rows.push_str(&serde_json::json!({"text": format!("{text}{i}"), "section": label}).to_string());
        rows.push('\n');
    }
    rows.push_str("{\"text\": \"无关\", \"section\": null}\n");
    (labels, dir.write("data.jsonl", rows))
}

#[test]
fn train_names_the_file_and_what_it_found_when_nothing_can_be_trained_on() {
    let dir = Dir::new();
    let other = dir.write(
        "other.jsonl",
        "{\"text\": \"今天多云转晴\", \"section\": null}\n{\"text\": \"明天有雨\", \"section\": \"天气\"}\n",
    );
    let empty = dir.write("empty.jsonl", "");
    for (data, found) in [
        (&other, "other.jsonl: 2 rows, 0 used, 1 unlabelled, 1 with other labels (the first `天气`, line 2)"),
        (&empty, "empty.jsonl: 0 rows, 0 used"),
    ] {
        let out = dir.path("head");
        let r = run(&dir, &["train", "--data", path_str(data), "--out", path_str(&out)]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        let error = r.errors();
        assert_eq!(error.len(), 1, "{}", r.stderr);
        assert!(error[0].contains("no labelled rows to train on") && error[0].contains(found), "{}", r.stderr);
        assert!(!out.exists());
    }
}

#[test]
fn train_a_head_for_a_tiny_model_and_refuse_heads_of_other_encoders() {
    let dir = Dir::new();
    let model = dir.path("tiny");
    tiny::write_model(&model);
    let model = model.to_str().unwrap().to_owned();
    // The built-in head belongs to e5-small, not to this model.
    let run1 = run(&dir, &["label", "--model", &model, "--text", "青岛发行债券"]);
    assert_eq!(run1.code, 2);
    assert!(run1.stderr.contains("trained for encoder `e5-small`"), "{}", run1.stderr);

    let (labels, data) = two_labels(&dir);
    let out = dir.path("head");
    let run2 = run(
        &dir,
        &[
            "train",
            "--model",
            &model,
            "--data",
            data.to_str().unwrap(),
            "--labels",
            labels.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--epochs",
            "30",
        ],
    );
    assert_eq!(run2.code, 0, "{}", run2.stderr);
    assert!(run2.stderr.contains("1 unlabelled"), "{}", run2.stderr);
    let manifest: Value = read_json(&out.join("head.json"));
    assert_eq!(manifest["labels"], serde_json::json!(["甲", "乙"]));
    assert_eq!(manifest["encoder"].as_str().unwrap(), model);
    // With its lexical part (character n-grams), the mix chosen on the validation part.
    assert_eq!(manifest["lexical"]["buckets"], jianbao::label::lexical::DEFAULT_BUCKETS);
    let mix = manifest["lexical"]["mix"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&mix), "{mix}");
    let rows_used = &manifest["training"]["rows"];
    assert_eq!(
        rows_used["train"].as_u64().unwrap()
            + rows_used["validation"].as_u64().unwrap()
            + rows_used["test"].as_u64().unwrap(),
        200
    );
    // The trained head labels new texts with the tiny model.
    let run3 = run(
        &dir,
        &[
            "label",
            "--model",
            &model,
            "--head",
            out.to_str().unwrap(),
            "--format",
            "jsonl",
            "--text",
            "公司债券发行",
            "--text",
            "今天天气很好",
        ],
    );
    assert_eq!(run3.code, 0, "{}", run3.stderr);
    let sections: Vec<String> = run3.records().iter().map(|r| r["section"].as_str().unwrap().to_owned()).collect();
    assert_eq!(sections, ["甲", "乙"]);
    // Without the lexical part, the head is the encoder's alone, and still labels.
    let plain = dir.path("plain-head");
    let args = ["--data", data.to_str().unwrap(), "--labels", labels.to_str().unwrap(), "--epochs", "30"];
    let run4 = run(
        &dir,
        &[&["train", "--model", &model, "--no-lexical", "--out", plain.to_str().unwrap()], &args[..]].concat(),
    );
    assert_eq!(run4.code, 0, "{}", run4.stderr);
    let manifest: Value = read_json(&plain.join("head.json"));
    assert!(manifest.get("lexical").is_none(), "{manifest}");
    let run4 = run(
        &dir,
        &["label", "--model", &model, "--head", plain.to_str().unwrap(), "--format", "jsonl", "--text", "公司债券发行"],
    );
    assert_eq!(run4.records()[0]["section"], "甲");
    // The built-in tuned layers are e5-small's: another model refuses them in one line.
    let tuned = run(&dir, &["label", "--model", &model, "--tuned", "--text", "公司债券发行"]);
    assert_eq!(tuned.code, 2, "{}", tuned.stderr);
    assert!(tuned.stderr.contains("--tuned: the built-in tuned layers are made for e5-small only"), "{}", tuned.stderr);
    assert_eq!(tuned.stderr.lines().count(), 1, "{}", tuned.stderr);
    // A damaged head is named, not a panic.
    let broken = dir.path("broken-head");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::copy(out.join("head.json"), broken.join("head.json")).unwrap();
    std::fs::write(broken.join("head.safetensors"), b"not a tensor file").unwrap();
    let run5 = run(&dir, &["label", "--model", &model, "--head", broken.to_str().unwrap(), "--text", "公司债券"]);
    assert_eq!(run5.code, 2);
    assert!(run5.stderr.contains("head.safetensors: not a readable safetensors file"), "{}", run5.stderr);
    assert_eq!(run5.stderr.lines().count(), 1, "{}", run5.stderr);
    // And the default model refuses it.
    let run4 = run(&dir, &["label", "--head", out.to_str().unwrap(), "--text", "青岛债券发行"]);
    assert_eq!(run4.code, 2);
    assert!(run4.stderr.contains("not `e5-small`"), "{}", run4.stderr);
}

#[test]
fn a_bad_page_in_a_batch_loses_nothing_else() {
    let dir = Dir::new();
    dir.write("pages/a.txt", seed_text());
    dir.write("pages/b.txt", [0x89u8, b'P', b'N', b'G', 0, 0, 0, 13, 0, 1, 2, 3]);
    dir.write("pages/c.txt", "   \n\n");
    let run = run(&dir, &["digest", "--format", "jsonl", "--method", "lead", "pages"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let records = run.records();
    assert_eq!(records.iter().filter(|r| r.get("key").is_some()).count(), 5);
    // Each failed page is also an error record in the output, with a stable kind.
    let mut failed: Vec<(String, &str)> = records
        .iter()
        .filter(|r| r.get("error").is_some())
        .map(|r| (r["source"].as_str().unwrap().rsplit('/').next().unwrap().to_owned(), r["kind"].as_str().unwrap()))
        .collect();
    failed.sort();
    assert_eq!(failed, [("b.txt".to_owned(), "binary"), ("c.txt".to_owned(), "empty")]);
    let errors = run.errors();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(errors.iter().any(|e| e.contains("b.txt")) && errors.iter().any(|e| e.contains("c.txt")), "{errors:?}");
}

/// The example page's five articles by their spans (from its gold), with the sections of the
/// two-label set, the gold's summaries and their kinds (the second is a commentary).
fn example_articles(dir: &Dir) -> PathBuf {
    let gold = std::fs::read_to_string(repo("eval/data/seed-gold.jsonl")).unwrap();
    let mut page: Value = serde_json::from_str(gold.lines().next().unwrap()).unwrap();
    for (i, article) in page["articles"].as_array_mut().unwrap().iter_mut().enumerate() {
        article["section"] = Value::from(if i % 2 == 0 { "甲" } else { "乙" });
        article["kind"] = Value::from(if i == 1 { "commentary" } else { "news" });
    }
    dir.write("articles.jsonl", format!("{page}\n"))
}

#[test]
fn train_on_newspaper_articles_with_weights() {
    let dir = Dir::new();
    let model = dir.path("tiny");
    tiny::write_model(&model);
    let (labels, data) = two_labels(&dir);
    let articles = example_articles(&dir);
    let examples = repo("examples");
    let out = dir.path("head");
    let base = [
        "train",
        "--model",
        model.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--labels",
        labels.to_str().unwrap(),
        "--epochs",
        "5",
        "--articles",
        articles.to_str().unwrap(),
        "--pages",
        examples.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let r = run(&dir, &[&base[..], &["--weight", "articles.jsonl=3"]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("articles.jsonl: 5 rows, 5 used"), "{}", r.stderr);
    let manifest: Value = read_json(&out.join("head.json"));
    let training = &manifest["training"];
    assert_eq!(training["weights"]["articles.jsonl"], 3);
    let files = training["data"].as_array().unwrap();
    assert!(files.iter().any(|f| f["file"] == "articles.jsonl" && f["used"] == 5), "{training}");
    // Each article gives several rows (headline, deck, opening sentences), and the training
    // part's article rows count three times.
    let rows = &training["rows"];
    let total = ["train", "validation", "test"].iter().map(|p| rows[p].as_u64().unwrap()).sum::<u64>();
    assert!(total > 200 + 5, "{rows}");
    assert!(rows["train_weighted"].as_u64().unwrap() > rows["train"].as_u64().unwrap(), "{rows}");
    // A weight for a file that is not there is a mistake, named.
    let r = run(&dir, &[&base[..], &["--weight", "other.jsonl=2"]].concat());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("other.jsonl"), "{}", r.stderr);

    // --rows reads a sample of a file's usable rows, and the manifest says how many.
    let r = run(&dir, &[&base[..], &["--rows", "data.jsonl=50"]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("data.jsonl: 201 rows, 50 used, 1 unlabelled"), "{}", r.stderr);
    let manifest: Value = read_json(&out.join("head.json"));
    let files = manifest["training"]["data"].as_array().unwrap();
    assert!(files.iter().any(|f| f["file"] == "data.jsonl" && f["used"] == 50), "{files:?}");
    let r = run(&dir, &[&base[..], &["--rows", "other.jsonl=50"]].concat());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--rows other.jsonl"), "{}", r.stderr);

    // --away-from leaves out the articles on the pages an evaluation set annotates (here the
    // example page's), counted, and the manifest names the set it kept apart from.
    let measured = dir.write("measured.jsonl", std::fs::read_to_string(&articles).unwrap());
    let r = run(&dir, &[&base[..], &["--away-from", measured.to_str().unwrap()]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("articles.jsonl: 5 rows, 0 used, 0 unlabelled, 0 with other labels, 5 on pages kept apart"),
        "{}",
        r.stderr
    );
    let training = &read_json(&out.join("head.json"))["training"];
    assert_eq!(training["away_from"][0]["file"], "measured.jsonl", "{training}");
    assert!(training["data"].as_array().unwrap().iter().any(|f| f["file"] == "articles.jsonl" && f["away"] == 5));
    // An evaluation set that cannot be read is named.
    let r = run(&dir, &[&base[..], &["--away-from", "missing.jsonl"]].concat());
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("missing.jsonl"), "{}", r.stderr);
}

#[test]
fn tune_the_top_layer_into_a_low_rank_adapter_and_label_with_it() {
    let dir = Dir::new();
    let model = dir.path("tiny");
    tiny::write_model(&model);
    let (labels, data) = two_labels(&dir);
    let out = dir.path("tuned");
    let (model, out_dir) = (model.to_str().unwrap(), out.to_str().unwrap());
    let common = ["--model", model, "--data", data.to_str().unwrap(), "--labels", labels.to_str().unwrap()];
    let tuning = ["--epochs", "5", "--tune-layers", "1", "--tune-epochs", "1", "--tune-rank", "3", "--out", out_dir];
    let r = run(&dir, &[&["train"], &common[..], &tuning[..]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("cut to rank 3"), "{}", r.stderr);
    let manifest: Value = read_json(&out.join("adapter.json"));
    assert_eq!(manifest["layers"], serde_json::json!([1]));
    assert_eq!(manifest["training"]["rank"], 3);
    assert!(manifest["training"]["data"][0]["sha256"].as_str().is_some_and(|s| s.len() == 64), "{manifest}");
    let adapter = jianbao::model::source::adapter::Adapter::load(&out.join("adapter.safetensors")).unwrap();
    // The head was trained on the tuned encoder, and labels with it, not without it.
    let head: Value = read_json(&out.join("head.json"));
    assert_eq!(head["encoder"], adapter.tuned_id(model));
    let adapter_file = out.join("adapter.safetensors");
    let label = ["label", "--format", "jsonl", "--head", out_dir, "--text", "公司债券发行"];
    let r = run(&dir, &[&label[..], &["--model", model, "--adapter", adapter_file.to_str().unwrap()]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"section\""), "{}", r.stdout);
    let r = run(&dir, &[&label[..], &["--model", model]].concat());
    assert_eq!(r.code, 2, "{}", r.stdout);
    // Tuning starts from the weights file's layers, not from an adapter's.
    let again = ["--adapter", adapter_file.to_str().unwrap()];
    let r = run(&dir, &[&["train"], &common[..], &tuning[..], &again[..]].concat());
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("give no --adapter"), "{}", r.stderr);
}

#[test]
fn fit_a_summary_scorer_and_report_it_against_lead_and_oracle() {
    let dir = Dir::new();
    let model = dir.path("tiny");
    tiny::write_model(&model);
    let articles = example_articles(&dir);
    let out = dir.path("scorer.json");
    let (lcsts, examples) = (repo("eval/data/lcsts-sample.jsonl"), repo("examples"));
    let base = [
        "train-summarizer",
        "--model",
        model.to_str().unwrap(),
        "--data",
        lcsts.to_str().unwrap(),
        "--articles",
        articles.to_str().unwrap(),
        "--pages",
        examples.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let validation = ["--validation", articles.to_str().unwrap(), "--weight", "articles.jsonl=4"];
    let r = run(&dir, &[&base[..], &validation[..]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let scorer: Value = read_json(&out);
    let features: Vec<&str> = scorer["features"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert_eq!(features, jianbao::summarize::scorer::FEATURES);
    assert!(scorer["weights"].as_array().unwrap().iter().all(|w| w.as_f64().is_some_and(f64::is_finite)));
    let held = &scorer["training"]["validation"];
    assert_eq!(held["texts"], 5);
    // The best sentence bounds what any choice of one sentence scores.
    let (pick, lead, oracle) =
        (held["scorer"].as_f64().unwrap(), held["lead"].as_f64().unwrap(), held["oracle"].as_f64().unwrap());
    assert!(oracle >= pick && oracle >= lead && oracle > 0.0, "{held}");
    assert_eq!(scorer["training"]["data"][1]["weight"], 4.0);
    // The commentary model reads only articles that are neither dispatches nor a reporter's:
    // on the example page, one (the second), so both kinds are not there to fit it on, and
    // nothing is framed.
    assert!(scorer["training"]["commentary"].is_null(), "{}", scorer["training"]["commentary"]);
    assert!(scorer["commentary"].is_null());
    // The compressor is fitted on the combinations of the articles that fill the budget.
    let fit = &scorer["training"]["compressor"]["fit"];
    let (texts, combinations) = (fit["texts"].as_u64().unwrap(), fit["combinations"].as_u64().unwrap());
    assert!(texts >= 4 && combinations > texts, "{fit}");
    let names: Vec<&str> =
        scorer["compressor"]["features"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert_eq!(names, jianbao::summarize::compress::FEATURES);
    // The example page's sentences over the budget fit the trimmer, on every run of their clauses.
    let fit = &scorer["training"]["trimmer"]["fit"];
    let (sentences, runs) = (fit["sentences"].as_u64().unwrap(), fit["runs"].as_u64().unwrap());
    assert!(sentences >= 2 && runs > sentences, "{fit}");
    let names: Vec<&str> =
        scorer["trimmer"]["features"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert_eq!(names, jianbao::summarize::clauses::RUN_FEATURES);
    // The LCSTS sample's posts are meant to get one sentence: they fit the tightener, on the
    // runs of their sentences and those sentences whole, and it is measured on them.
    let fit = &scorer["training"]["tightener"]["fit"];
    let (texts, choices) = (fit["texts"].as_u64().unwrap(), fit["choices"].as_u64().unwrap());
    assert!(texts >= 10 && choices > 2 * texts, "{fit}");
    assert!(fit["tightened"].as_f64().is_some_and(|r| r > 0.0 && r <= 1.0), "{fit}");
    let names: Vec<&str> =
        scorer["tightener"]["features"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert_eq!(names, jianbao::summarize::tighten::TIGHT_FEATURES);
    // Kept apart from the pages an evaluation set annotates (the example page's), the articles
    // are left out, counted, and the manifest names the set; the validation articles too, which
    // choose the settings and fit the commentary model.
    let measured = dir.write("measured.jsonl", std::fs::read_to_string(&articles).unwrap());
    let held_out = dir.write("validation.jsonl", std::fs::read_to_string(&articles).unwrap());
    let apart = ["--away-from", measured.to_str().unwrap(), "--validation", held_out.to_str().unwrap()];
    let r = run(&dir, &[&base[..], &apart[..]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    for file in ["articles.jsonl", "validation.jsonl"] {
        let line = format!("{file}: 0 texts with a summary (weight 1), 5 on pages kept apart");
        assert!(r.stderr.contains(&line), "{}", r.stderr);
    }
    let training = &read_json(&out)["training"];
    assert_eq!(training["away_from"][0]["file"], "measured.jsonl", "{training}");
    assert_eq!(training["data"][1]["away"], 5, "{training}");
    // Nothing to learn from is refused.
    let r = run(&dir, &["train-summarizer", "--model", model.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--data or --articles"), "{}", r.stderr);
}
