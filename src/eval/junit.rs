//! The report as JUnit XML, for CI test views: `<testsuites>` with the totals, one
//! `<testsuite>` per dataset, one `<testcase>` per figure of [`verdicts`] (every figure the
//! terminal table shows and every figure a threshold or the baseline checks), with a
//! `<failure>` for a failed threshold or a regression. Three levels of elements and one
//! escaping function are written here; no XML library is needed for that.

use std::fmt::Write as _;

use super::report::Report;
use super::verdicts::{dataset_names, verdicts, Verdict};

pub fn render(report: &Report) -> String {
    let verdicts = verdicts(report);
    let failures = |cases: &[&Verdict]| cases.iter().filter(|v| !v.passed()).count();
    let suites: Vec<(&str, Vec<&Verdict>, f64)> = dataset_names(report, &verdicts)
        .into_iter()
        .map(|name| {
            let cases: Vec<&Verdict> = verdicts.iter().filter(|v| v.dataset == name).collect();
            let seconds = report.datasets.iter().filter(|d| d.name == name).flat_map(|d| &d.results).map(|r| r.seconds);
            (name, cases, seconds.sum())
        })
        .collect();
    let all: Vec<&Verdict> = verdicts.iter().collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{:.3}\">",
        escape(&format!("jianbao eval {}", report.suite), true),
        all.len(),
        failures(&all),
        suites.iter().map(|s| s.2).sum::<f64>()
    );
    for (name, cases, seconds) in &suites {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"{seconds:.3}\">",
            escape(name, true),
            cases.len(),
            failures(cases)
        );
        properties(&mut out, report, name);
        for v in cases {
            testcase(&mut out, v);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// What the dataset is and how it was scored.
fn properties(out: &mut String, report: &Report, dataset: &str) {
    let Some(d) = report.datasets.iter().find(|d| d.name == dataset) else { return };
    let properties = [
        ("task", d.task.clone()),
        ("path", d.path.clone()),
        ("items", d.items.to_string()),
        ("model", report.model.clone().unwrap_or_else(|| "none".to_owned())),
        ("rouge_tokens", report.tokenizer.clone()),
        ("jianbao", report.jianbao.clone()),
    ];
    out.push_str("    <properties>\n");
    for (name, value) in properties {
        let _ = writeln!(out, "      <property name=\"{name}\" value=\"{}\"/>", escape(&value, true));
    }
    out.push_str("    </properties>\n");
}

fn testcase(out: &mut String, v: &Verdict) {
    let _ = write!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\">",
        escape(&v.name(), true),
        escape(&format!("jianbao.eval.{}", v.dataset), true)
    );
    let failures = v.failures();
    if failures.is_empty() {
        let held = if v.is_checked() { format!(", held to {}", v.bounds()) } else { String::new() };
        let interval = if v.ci.is_some() { format!(", 95% interval {}", v.interval_text()) } else { String::new() };
        let figure = format!("{} {}{interval}{held}", v.metric, v.value_text());
        let _ = writeln!(out, "<system-out>{}</system-out></testcase>", escape(&figure, false));
        return;
    }
    let threshold_failed = v.thresholds.iter().any(|c| !c.passed);
    let kind = match (threshold_failed, v.regressed()) {
        (true, true) => "threshold regression",
        (true, false) => "threshold",
        _ => "regression",
    };
    let _ = writeln!(
        out,
        "\n      <failure message=\"{}\" type=\"{kind}\">{}</failure>\n    </testcase>",
        escape(&failures.join("; "), true),
        escape(&failures.join("\n"), false)
    );
}

/// Escapes `text` for XML 1.0 character data or a double-quoted attribute value: the five
/// markup characters become entities; carriage returns, and in attributes tabs and line feeds
/// too, become character references (a parser would otherwise fold them); characters XML 1.0
/// cannot hold at all (other control characters, U+FFFE, U+FFFF) become U+FFFD.
pub fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if let Some(entity) = crate::text::markup_entity(c) {
            out.push_str(entity);
            continue;
        }
        match c {
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' | '\n' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::verdicts::tests::checked;

    #[test]
    fn markup_quotes_and_control_characters_are_escaped() {
        assert_eq!(escape(r#"<a> & "b" 'c'"#, true), "&lt;a&gt; &amp; &quot;b&quot; &#39;c&#39;");
        assert_eq!(escape("a\tb\nc\rd", true), "a&#9;b&#10;c&#13;d");
        assert_eq!(escape("a\tb\nc\rd", false), "a\tb\nc&#13;d");
        assert_eq!(escape("x\u{1}\u{1b}\u{ffff}y 新闻", false), "x\u{fffd}\u{fffd}\u{fffd}y 新闻");
    }

    #[test]
    fn odd_dataset_names_survive_a_parser() {
        let name = "<头版> & \"quotes\" 'too'\tand\nlines";
        let xml = render(&checked(name));
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let suite = doc.descendants().find(|n| n.has_tag_name("testsuite")).expect("a testsuite");
        assert_eq!(suite.attribute("name"), Some(name));
        let case = suite.children().find(|n| n.has_tag_name("testcase")).expect("a testcase");
        assert_eq!(case.attribute("name"), Some(format!("{name} / lead / rougeL.f1").as_str()));
        assert_eq!(case.attribute("classname"), Some(format!("jianbao.eval.{name}").as_str()));
    }

    #[test]
    fn one_case_per_figure_with_the_failed_threshold_explained() {
        let xml = render(&checked("d"));
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let root = doc.root_element();
        assert_eq!((root.attribute("tests"), root.attribute("failures")), (Some("3"), Some("2")));
        let suite = root.children().find(|n| n.has_tag_name("testsuite")).expect("a testsuite");
        assert_eq!(suite.attribute("time"), Some("1.500"));
        let failures: Vec<&str> =
            doc.descendants().filter(|n| n.has_tag_name("failure")).filter_map(|n| n.attribute("message")).collect();
        assert_eq!(
            failures,
            [
                "rougeL.f1 0.3000 (95% interval [0.2000, 0.4000]) is below the threshold 1.5",
                "rougeL.f1 is missing (no such figure from method model), so the threshold ≥ 0.2 fails"
            ]
        );
        let passing: Vec<&str> =
            doc.descendants().filter(|n| n.has_tag_name("system-out")).filter_map(|n| n.text()).collect();
        assert_eq!(passing, ["rouge1.f1 0.3500, 95% interval [0.2500, 0.4500]"]);
    }
}
