//! The report as short Markdown for a CI job summary (e.g. GitHub's `$GITHUB_STEP_SUMMARY`):
//! a verdict line, the checks (thresholds, and regressions against a baseline) as one pass/fail
//! table, then per dataset one table of every figure with the methods side by side, so that
//! the baselines stand beside the model. No HTML; per-class scores and confusion matrices are
//! in the JSON and HTML reports.

use std::fmt::Write as _;

use super::report::{
    folded_into_f1, is_score, metric_groups, number, tolerance_note, Change, DatasetReport, MethodReport, Report,
};
use super::verdicts::{verdicts, Verdict};

pub fn render(report: &Report) -> String {
    let verdicts = verdicts(report);
    let listed: Vec<&Verdict> = verdicts.iter().filter(|v| !v.thresholds.is_empty() || v.regressed()).collect();
    let checks = report.checks.len() + report.changes.iter().filter(|c| is_score(&c.metric)).count();
    let failed = report.failed_checks().count() + report.changes.iter().filter(|c| c.regression).count();
    let verdict = match (checks, failed) {
        (0, _) => "no checks".to_owned(),
        (n, 0) => format!("✅ all {n} checks pass"),
        (n, f) => format!("❌ {f} of {n} checks fail"),
    };
    let mut out = format!("## jianbao eval: {} — {verdict}\n\n{}\n", cell(&report.suite), cell(&report.heading()));
    if !listed.is_empty() {
        out.push_str("\n| | check | value | 95% interval | threshold |\n|---|---|---|---|---|\n");
        for v in &listed {
            let mark = if v.passed() { "✅" } else { "❌" };
            let _ = writeln!(
                out,
                "| {mark} | {} | {} | {} | {} |",
                cell(&v.name()),
                v.value_text(),
                v.interval_text(),
                cell(&v.bounds())
            );
        }
    }
    if !report.changes.is_empty() {
        let _ = writeln!(out, "\n{}", capitalise(&report.changes_summary()));
    }
    for d in &report.datasets {
        dataset(&mut out, report, d);
    }
    out
}

/// One table per group of methods that share their metrics: a row per metric (precision and
/// recall in their F1's cell), a column per method, and the seconds each took.
fn dataset(out: &mut String, report: &Report, d: &DatasetReport) {
    let _ = writeln!(
        out,
        "\n### {}\n\n{} · {} · {} items{}",
        cell(&d.name),
        d.task,
        cell(&d.path),
        d.items,
        tolerance_note(d)
    );
    let mut flagged = false;
    for (names, results) in metric_groups(d) {
        let methods: Vec<String> = results.iter().map(|r| cell(&r.method)).collect();
        let _ = writeln!(out, "\n| metric | {} |\n|---|{}", methods.join(" | "), "---|".repeat(methods.len()));
        for name in names.iter().filter(|n| !folded_into_f1(n, &names)) {
            let cells: Vec<String> = results
                .iter()
                .map(|r| {
                    let change = report
                        .changes
                        .iter()
                        .find(|c| c.dataset == d.name && c.method == r.method && c.metric == *name);
                    flagged |= change.is_some_and(|c| c.regression || c.improvement);
                    figure(r, name, change)
                })
                .collect();
            let _ = writeln!(out, "| {} | {} |", cell(name), cells.join(" | "));
        }
        let seconds: Vec<String> = results.iter().map(|r| format!("{:.1}", r.seconds)).collect();
        let _ = writeln!(out, "| seconds | {} |", seconds.join(" | "));
    }
    if flagged {
        out.push_str("\n↓ / ↑: below / above the baseline's 95% interval (its value in brackets).\n");
    }
}

/// `0.4031 [0.2453, 0.5739] · P 0.3818 · R 0.4289`, and where it moved beyond the baseline's
/// interval ` ↓ (0.4100)`.
fn figure(r: &MethodReport, name: &str, change: Option<&Change>) -> String {
    let Some(m) = r.metric(name) else { return String::new() };
    let mut text = number(m.value);
    if let Some(ci) = m.ci {
        text.push_str(&format!(" [{:.4}, {:.4}]", ci.low, ci.high));
    }
    if let Some(stem) = name.strip_suffix(".f1") {
        if let (Some(p), Some(r)) = (r.metric(&format!("{stem}.precision")), r.metric(&format!("{stem}.recall"))) {
            text.push_str(&format!(" · P {:.4} · R {:.4}", p.value, r.value));
        }
    }
    match change {
        Some(c) if c.regression => text.push_str(&format!(" ↓ ({:.4})", c.old)),
        Some(c) if c.improvement => text.push_str(&format!(" ↑ ({:.4})", c.old)),
        _ => {}
    }
    text
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Text for a table cell or a heading: Markdown's markup characters are escaped with a
/// backslash (a `|` would end the cell, a `<` open HTML), line breaks become spaces.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '*' | '`' | '<' | '>' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::report::Metric;
    use crate::eval::verdicts::tests::checked;

    #[test]
    fn checks_come_first_marked_then_methods_side_by_side() {
        let mut report = checked("d");
        let metrics = &mut report.datasets[0].results[0].metrics;
        metrics.push(Metric { name: "rougeL.precision".into(), value: 0.25, ci: None });
        metrics.push(Metric { name: "rougeL.recall".into(), value: 0.375, ci: None });
        let md = render(&report);
        assert!(md.starts_with("## jianbao eval: s — ❌ 2 of 3 checks fail\n"), "{md}");
        assert!(md.contains("| ❌ | d / lead / rougeL.f1 | 0.3000 | [0.2000, 0.4000] | ≥ 0.25; ≥ 1.5 |"), "{md}");
        assert!(md.contains("| ❌ | d / model / rougeL.f1 | missing |  | ≥ 0.2 |"), "{md}");
        assert!(
            md.contains("| metric | lead |\n|---|---|\n| rougeL.f1 | 0.3000 [0.2000, 0.4000] · P 0.2500 · R 0.3750 |"),
            "{md}"
        );
        assert!(!md.contains("| rougeL.precision"), "{md}");
        assert!(md.contains("| chars.mean | 40 |") && md.contains("| seconds | 1.5 |"), "{md}");
        assert!(!md.contains('<'), "no HTML: {md}");
    }

    #[test]
    fn a_regression_is_a_failed_check_and_marked_in_the_figures() {
        let old = checked("d");
        let mut new = checked("d");
        new.checks.clear();
        new.datasets[0].results[0].metrics[1].value = 0.2;
        new.compare(&old);
        let md = render(&new);
        assert!(md.contains("❌ 1 of 2 checks fail"), "{md}");
        assert!(md.contains(
            "| ❌ | d / lead / rouge1.f1 | 0.2000 | [0.2500, 0.4500] | ≥ 0.2500 (baseline 0.3500 − 0.1000) |"
        ));
        assert!(md.contains("| rouge1.f1 | 0.2000 [0.2500, 0.4500] ↓ (0.3500) |"), "{md}");
        assert!(md.contains("Against the baseline: 3 metrics compared, 1 regressions"), "{md}");
    }

    #[test]
    fn names_cannot_break_a_table() {
        assert_eq!(cell("a|b <c> *d* `e` [f]\nx\\"), r"a\|b \<c\> \*d\* \`e\` \[f\] x\\");
    }
}
