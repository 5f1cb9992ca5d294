//! The report as one self-contained HTML page: checks first, then per dataset the metrics
//! table, a confusion-matrix heat map and per-class scores for labels, and histograms of the
//! per-item scores. Charts are inline SVG written here: a heat map and a histogram are a few
//! rectangles each, and writing them directly keeps Chinese class names where they belong.

use std::fmt::Write as _;

use super::report::{folded_into_f1, metric_groups, number, DatasetReport, LabelDetail, MethodReport, Report};
use crate::text::escape_html;

const STYLE: &str =
    "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;color:#222;max-width:80em}\
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}\
th:first-child,td:first-child{text-align:left}.pass{color:#1a7f37}.fail{color:#c62828;font-weight:bold}\
.ci{color:#777;font-size:.85em}.charts{display:flex;flex-wrap:wrap;gap:1.5em}.meta{color:#555}\
.worst{background:#fdecea}h2{margin-top:2em;border-bottom:1px solid #ddd}";

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>jianbao eval: {}</title><style>{STYLE}</style></head><body>\n",
        escape_html(&report.suite)
    );
    let _ = writeln!(out, "<h1>Evaluation: {}</h1>", escape_html(&report.suite));
    let _ = writeln!(
        out,
        "<p class=\"meta\">jianbao {} · model {} · ROUGE on {} ({} of several references) · 95% bootstrap intervals, {} resamples, seed {}</p>",
        escape_html(&report.jianbao),
        escape_html(report.model.as_deref().unwrap_or("none")),
        escape_html(&report.tokenizer),
        escape_html(&report.references),
        report.resamples,
        report.seed
    );
    checks(&mut out, report);
    changes(&mut out, report);
    for d in &report.datasets {
        dataset(&mut out, d);
    }
    out.push_str("</body></html>\n");
    out
}

fn checks(out: &mut String, report: &Report) {
    if report.checks.is_empty() {
        return;
    }
    let failed = report.failed_checks().count();
    let (class, verdict) =
        if failed == 0 { ("pass", "all checks pass".to_owned()) } else { ("fail", format!("{failed} checks fail")) };
    let _ = writeln!(out, "<h2>Checks: <span class=\"{class}\">{verdict}</span></h2>");
    out.push_str(
        "<table><tr><th>dataset</th><th>method</th><th>metric</th><th>bound</th><th>value</th><th></th></tr>\n",
    );
    for c in &report.checks {
        let value = c.value.map_or_else(|| "missing".to_owned(), |v| format!("{v:.4}"));
        let mark = if c.passed { "<td class=\"pass\">pass</td>" } else { "<td class=\"fail\">FAIL</td>" };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{value}</td>{mark}</tr>",
            escape_html(&c.dataset),
            escape_html(&c.method),
            escape_html(&c.metric),
            c.threshold
        );
    }
    out.push_str("</table>\n");
}

fn changes(out: &mut String, report: &Report) {
    if report.changes.is_empty() {
        return;
    }
    out.push_str("<h2>Against the baseline</h2><table><tr><th>dataset</th><th>method</th><th>metric</th><th>old</th><th>new</th><th>change</th><th></th></tr>\n");
    for c in &report.changes {
        let flag = if c.regression {
            "<td class=\"fail\">regression</td>"
        } else if c.improvement {
            "<td class=\"pass\">improvement</td>"
        } else {
            "<td>within the interval</td>"
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.4}</td><td>{:.4}</td><td>{:+.4}</td>{flag}</tr>",
            escape_html(&c.dataset),
            escape_html(&c.method),
            escape_html(&c.metric),
            c.old,
            c.new,
            c.new - c.old
        );
    }
    out.push_str("</table>\n");
}

fn dataset(out: &mut String, d: &DatasetReport) {
    let tolerance = d.tolerance.map(|t| format!(" · boundaries within {t} characters")).unwrap_or_default();
    let _ = writeln!(
        out,
        "<h2>{}</h2><p class=\"meta\">{} · <code>{}</code> · {} items{tolerance}</p>",
        escape_html(&d.name),
        escape_html(&d.task),
        escape_html(&d.path),
        d.items
    );
    for (names, results) in metric_groups(d) {
        let shown: Vec<&String> = names.iter().filter(|n| !folded_into_f1(n, &names)).collect();
        out.push_str("<table><tr><th>method</th>");
        for n in &shown {
            let _ = write!(out, "<th>{}</th>", escape_html(n));
        }
        out.push_str("<th>seconds</th></tr>\n");
        for r in results {
            let _ = write!(out, "<tr><td>{}</td>", escape_html(&r.method));
            for n in &shown {
                let Some(m) = r.metric(n) else {
                    out.push_str("<td></td>");
                    continue;
                };
                let _ = write!(out, "<td>{}", number(m.value));
                if let Some(ci) = m.ci {
                    let _ = write!(out, "<br><span class=\"ci\">[{:.3}, {:.3}]</span>", ci.low, ci.high);
                }
                if let Some(stem) = n.strip_suffix(".f1") {
                    if let (Some(p), Some(r)) =
                        (r.metric(&format!("{stem}.precision")), r.metric(&format!("{stem}.recall")))
                    {
                        let _ = write!(out, "<br><span class=\"ci\">P {:.3} R {:.3}</span>", p.value, r.value);
                    }
                }
                out.push_str("</td>");
            }
            let _ = writeln!(out, "<td>{:.1}</td></tr>", r.seconds);
        }
        out.push_str("</table>\n");
    }
    out.push_str("<div class=\"charts\">\n");
    for r in &d.results {
        if let Some(labels) = &r.labels {
            out.push_str(&heat_map(&r.method, labels));
        }
        if !r.distribution.is_empty() {
            out.push_str(&histogram(r));
        }
    }
    out.push_str("</div>\n");
    for r in &d.results {
        if let Some(labels) = &r.labels {
            per_class(out, &r.method, labels);
        }
    }
}

fn per_class(out: &mut String, method: &str, labels: &LabelDetail) {
    let rows: Vec<_> = labels.per_class.iter().filter(|c| c.support > 0 || c.precision > 0.0).collect();
    // The three weakest classes with gold items are shaded, unless they are perfect.
    let mut by_f1: Vec<_> = rows.iter().filter(|c| c.support > 0 && c.f1 < 1.0).collect();
    by_f1.sort_by(|a, b| a.f1.total_cmp(&b.f1));
    let worst: Vec<&str> = by_f1.iter().take(3).map(|c| c.class.as_str()).collect();
    let _ = writeln!(
        out,
        "<h3>{}: per class</h3><table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>",
        escape_html(method)
    );
    for c in rows {
        let class = if worst.contains(&c.class.as_str()) { " class=\"worst\"" } else { "" };
        let _ = writeln!(
            out,
            "<tr{class}><td>{}</td><td>{:.3}</td><td>{:.3}</td><td>{:.3}</td><td>{}</td></tr>",
            escape_html(&c.class),
            c.precision,
            c.recall,
            c.f1,
            c.support
        );
    }
    out.push_str("</table>\n");
}

/// Rows are gold classes, columns predictions; a cell's shade is its share of the row, so a
/// dark cell off the diagonal is where the model is wrong. Rows without gold items and columns
/// of classes neither gold nor predicted are left out.
fn heat_map(method: &str, labels: &LabelDetail) -> String {
    let k = labels.classes.len();
    let gold_total = |g: usize| labels.confusion[g].iter().sum::<usize>();
    let rows: Vec<usize> = (0..k).filter(|&g| gold_total(g) > 0).collect();
    let used: Vec<usize> =
        (0..k).filter(|&i| gold_total(i) > 0 || (0..k).any(|g| labels.confusion[g][i] > 0)).collect();
    let n = used.len();
    let (cell, left, top) = (30usize, 80usize, 90usize);
    let (w, h) = ((left + n * cell + 20).max(360), top + rows.len() * cell + 40);
    let mut svg = format!(
        "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" font-size=\"12\" role=\"img\">\
<title>{0}: confusion matrix</title><text x=\"{left}\" y=\"16\" font-weight=\"bold\">{0}: gold (rows) × predicted (columns)</text>\n",
        escape_html(method)
    );
    for (col, &c) in used.iter().enumerate() {
        let x = left + col * cell + cell / 2;
        let _ = write!(
            svg,
            "<text x=\"{x}\" y=\"{}\" text-anchor=\"start\" transform=\"rotate(-60 {x} {})\">{}</text>",
            top - 6,
            top - 6,
            escape_html(&labels.classes[c])
        );
    }
    for (row, &g) in rows.iter().enumerate() {
        let y = top + row * cell;
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            left - 6,
            y + cell / 2 + 4,
            escape_html(&labels.classes[g])
        );
        let total: usize = labels.confusion[g].iter().sum();
        for (col, &p) in used.iter().enumerate() {
            let count = labels.confusion[g][p];
            let share = if total == 0 { 0.0 } else { count as f64 / total as f64 };
            // Right answers in blue, mistakes in red; white is none.
            let (r, gg, b) = if g == p { (33, 102, 172) } else { (198, 40, 40) };
            let mix = |c: u8| (255.0 - (255.0 - f64::from(c)) * share).round() as u8;
            let x = left + col * cell;
            let _ = write!(
                svg,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{cell}\" height=\"{cell}\" fill=\"rgb({},{},{})\" stroke=\"#eee\"><title>gold {} → {}: {count}</title></rect>",
                mix(r),
                mix(gg),
                mix(b),
                escape_html(&labels.classes[g]),
                escape_html(&labels.classes[p])
            );
            if count > 0 {
                let color = if share > 0.5 { "#fff" } else { "#222" };
                let _ = write!(
                    svg,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{color}\" font-size=\"10\">{count}</text>",
                    x + cell / 2,
                    y + cell / 2 + 4
                );
            }
        }
    }
    svg.push_str("</svg></figure>\n");
    svg
}

/// Ten bins over [0, 1] of the per-item scores; for labels, right and wrong stacked.
fn histogram(r: &MethodReport) -> String {
    const BINS: usize = 10;
    let labels = !r.correct.is_empty();
    let mut right = [0usize; BINS];
    let mut wrong = [0usize; BINS];
    for (i, &v) in r.distribution.iter().enumerate() {
        let bin = ((v.clamp(0.0, 1.0) * BINS as f64) as usize).min(BINS - 1);
        if !labels || r.correct.get(i).copied().unwrap_or(false) {
            right[bin] += 1;
        } else {
            wrong[bin] += 1;
        }
    }
    let max = (0..BINS).map(|b| right[b] + wrong[b]).max().unwrap_or(0).max(1);
    let (bar, height, left, top) = (28usize, 140usize, 40usize, 30usize);
    let (w, h) = (left + BINS * bar + 20, top + height + 40);
    let what = if labels { "probability of the predicted label" } else { "ROUGE-L F1 per item" };
    let mut svg = format!(
        "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" font-size=\"11\" role=\"img\">\
<title>{0}: {what}</title><text x=\"4\" y=\"14\" font-weight=\"bold\">{0}: {what}</text>\n",
        escape_html(&r.method)
    );
    let base = top + height;
    for b in 0..BINS {
        let x = left + b * bar;
        let mut y = base;
        for (count, color) in [(right[b], "#2166ac"), (wrong[b], "#c62828")] {
            let bar_h = count * height / max;
            if bar_h > 0 {
                y -= bar_h;
                let _ = write!(
                    svg,
                    "<rect x=\"{}\" y=\"{y}\" width=\"{}\" height=\"{bar_h}\" fill=\"{color}\"><title>{:.1}–{:.1}: {count}</title></rect>",
                    x + 1,
                    bar - 2,
                    b as f64 / BINS as f64,
                    (b + 1) as f64 / BINS as f64
                );
            }
        }
    }
    let _ = write!(
        svg,
        "<line x1=\"{left}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" stroke=\"#444\"/>\
<text x=\"{left}\" y=\"{}\" text-anchor=\"middle\">0</text><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">0.5</text>\
<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">1</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{max}</text>",
        left + BINS * bar,
        base + 14,
        left + BINS * bar / 2,
        base + 14,
        left + BINS * bar,
        base + 14,
        left - 4,
        top + 10
    );
    if labels {
        let _ = write!(
            svg,
            "<text x=\"{left}\" y=\"{}\"><tspan fill=\"#2166ac\">■ right</tspan> <tspan fill=\"#c62828\">■ wrong</tspan></text>",
            base + 32
        );
    }
    svg.push_str("</svg></figure>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::run::{label_result, summary_result, ScoringOptions};

    #[test]
    fn page_has_heat_map_histograms_and_escapes() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let opts = ScoringOptions::default();
        let labels = label_result(
            "head",
            &s(&["时政", "财经", "财经"]),
            &[0.9, 0.6, 0.4],
            &s(&["时政", "财经", "时政"]),
            &[],
            &s(&["时政", "财经"]),
            &opts,
        );
        let refs = [s(&["青岛发行债券"])];
        let refs: Vec<&[String]> = refs.iter().map(Vec::as_slice).collect();
        let summaries = summary_result("<lead>", &s(&["青岛发行"]), &refs, &opts);
        let mut report = Report::new("s & t", None, opts.tokenizer, opts.aggregate, opts.bootstrap);
        report.datasets.push(DatasetReport {
            name: "d".into(),
            task: "labels".into(),
            path: "x".into(),
            items: 3,
            tolerance: None,
            results: vec![labels, summaries],
        });
        let html = render(&report);
        assert!(html.contains("s &amp; t") && html.contains("&lt;lead&gt;"));
        assert!(html.contains("gold 时政 → 财经: 1"), "the mistake is a cell of the heat map");
        assert!(html.contains("ROUGE-L F1 per item"));
        assert_eq!(html.matches("<svg").count(), 3);
    }
}
