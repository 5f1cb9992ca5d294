//! The results of an evaluation: a stable JSON schema ([`Report`]), a table for the terminal,
//! threshold checks and the comparison with an earlier report.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::bootstrap::{Bootstrap, Interval};
use super::rouge::{Aggregate, Tokenizer};
use super::suite::{Bound, Suite};

/// Bumped whenever a field changes meaning or goes away.
pub const SCHEMA: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema: u32,
    /// jianbao's version.
    pub jianbao: String,
    /// The suite's name, or `predictions` for `--predictions`.
    pub suite: String,
    /// The encoder's id, where a method used it.
    pub model: Option<String>,
    /// How the encoder's linear layers were kept (`int8`, `f32`, …), where a method used it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<String>,
    /// ROUGE tokens: `chars` or `jieba`.
    pub tokenizer: String,
    /// How several references combine: `best` or `average`.
    pub references: String,
    pub seed: u64,
    pub resamples: usize,
    pub datasets: Vec<DatasetReport>,
    #[serde(default)]
    pub checks: Vec<Check>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetReport {
    pub name: String,
    pub task: String,
    pub path: String,
    /// Rows, or gold articles for pages.
    pub items: usize,
    /// Pages only: the boundary tolerance in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<usize>,
    pub results: Vec<MethodReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodReport {
    pub method: String,
    /// Wall time of producing the outputs (0 for predictions read from a file).
    pub seconds: f64,
    pub metrics: Vec<Metric>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<LabelDetail>,
    /// Per item: ROUGE-L F1 (summaries), the predicted label's probability (labels), or the
    /// cosine of a pair's two vectors (duplicates, `minhash+cosine`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distribution: Vec<f64>,
    /// For labels: whether each item's prediction was right (strictly), item by item, in the
    /// order of `distribution` where it has one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub correct: Vec<bool>,
}

impl MethodReport {
    pub fn metric(&self, name: &str) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.name == name)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    pub name: String,
    pub value: f64,
    /// 95% bootstrap interval, for the headline figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci: Option<Interval>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelDetail {
    pub classes: Vec<String>,
    pub per_class: Vec<ClassRow>,
    /// `confusion[gold][predicted]`, in the order of `classes`.
    pub confusion: Vec<Vec<usize>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassRow {
    pub class: String,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

/// One threshold of the suite, checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub dataset: String,
    pub method: String,
    pub metric: String,
    /// The bound the value is held to.
    #[serde(flatten)]
    pub threshold: Bound,
    /// None where the metric was not produced (which fails the check).
    pub value: Option<f64>,
    pub passed: bool,
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = self.value.map_or_else(|| "missing".to_owned(), |v| format!("{v:.4}"));
        write!(f, "{} / {} / {}: {value} ({})", self.dataset, self.method, self.metric, self.threshold)
    }
}

/// One metric against the baseline report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub dataset: String,
    pub method: String,
    pub metric: String,
    pub old: f64,
    /// The baseline's 95% interval, where it has one: a drop to its lower end is allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_ci: Option<Interval>,
    pub new: f64,
    /// Below the baseline's 95% interval (or, without one, below its value); scores only.
    pub regression: bool,
    /// Above the baseline's 95% interval.
    pub improvement: bool,
}

impl Report {
    /// A report with no datasets yet.
    pub fn new(
        suite: &str,
        model: Option<String>,
        tokenizer: Tokenizer,
        aggregate: Aggregate,
        bootstrap: Bootstrap,
    ) -> Report {
        Report {
            schema: SCHEMA,
            jianbao: env!("CARGO_PKG_VERSION").to_owned(),
            suite: suite.to_owned(),
            model,
            weights: None,
            tokenizer: tokenizer.name().to_owned(),
            references: match aggregate {
                Aggregate::Best => "best",
                Aggregate::Average => "average",
            }
            .to_owned(),
            seed: bootstrap.seed,
            resamples: bootstrap.resamples,
            datasets: Vec::new(),
            checks: Vec::new(),
            changes: Vec::new(),
        }
    }

    /// Checks every threshold of `suite` against this report.
    pub fn check(&mut self, suite: &Suite) {
        self.checks.clear();
        for dataset in &suite.datasets {
            for threshold in &dataset.thresholds {
                let (method, metric, bound) = (&threshold.method, &threshold.metric, threshold.bound());
                let value = self
                    .datasets
                    .iter()
                    .find(|d| d.name == dataset.name)
                    .and_then(|d| d.results.iter().find(|r| &r.method == method))
                    .and_then(|r| r.metric(metric))
                    .map(|m| m.value);
                let passed = value.is_some_and(|v| bound.holds(v));
                self.checks.push(Check {
                    dataset: dataset.name.clone(),
                    method: method.clone(),
                    metric: metric.clone(),
                    threshold: bound,
                    value,
                    passed,
                });
            }
        }
    }

    pub fn failed_checks(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.passed)
    }

    /// Compares every metric present in both reports.
    pub fn compare(&mut self, baseline: &Report) {
        self.changes.clear();
        for d in &self.datasets {
            let Some(old_d) = baseline.datasets.iter().find(|o| o.name == d.name) else { continue };
            for r in &d.results {
                let Some(old_r) = old_d.results.iter().find(|o| o.method == r.method) else { continue };
                for m in &r.metrics {
                    let Some(old) = old_r.metric(&m.name) else { continue };
                    let (low, high) = old.ci.map_or((old.value, old.value), |ci| (ci.low, ci.high));
                    const EPS: f64 = 1e-9;
                    let scored = is_score(&m.name);
                    self.changes.push(Change {
                        dataset: d.name.clone(),
                        method: r.method.clone(),
                        metric: m.name.clone(),
                        old: old.value,
                        old_ci: old.ci,
                        new: m.value,
                        regression: scored && m.value < low - EPS,
                        improvement: scored && m.value > high + EPS,
                    });
                }
            }
        }
    }

    /// The report as a plain table, for the terminal.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.heading());
        for d in &self.datasets {
            let _ = writeln!(out, "\n{} ({}, {} items{})", d.name, d.task, d.items, tolerance_note(d));
            for r in &d.results {
                let metrics: Vec<String> = r
                    .metrics
                    .iter()
                    .filter(|m| is_headline(&m.name))
                    .map(|m| match m.ci {
                        Some(ci) => format!("{} {:.4} [{:.4}, {:.4}]", m.name, m.value, ci.low, ci.high),
                        None => format!("{} {:.4}", m.name, m.value),
                    })
                    .collect();
                let _ = writeln!(out, "  {:<10} {}  ({:.1} s)", r.method, metrics.join("  "), r.seconds);
            }
        }
        self.write_changes(&mut out);
        if !self.checks.is_empty() {
            let failed = self.failed_checks().count();
            let _ = writeln!(out, "\nchecks: {} passed, {failed} failed", self.checks.len() - failed);
            for c in self.failed_checks() {
                let _ = writeln!(out, "  FAILED {c}");
            }
        }
        out
    }

    /// One line: version, suite, model, ROUGE tokens and references, bootstrap settings.
    pub fn heading(&self) -> String {
        format!(
            "jianbao {} eval · suite {} · model {}{} · ROUGE on {} ({} of several references) · bootstrap {} resamples, seed {}",
            self.jianbao,
            self.suite,
            self.model.as_deref().unwrap_or("none"),
            self.weights.as_deref().map(|w| format!(" ({w} weights)")).unwrap_or_default(),
            self.tokenizer,
            self.references,
            self.resamples,
            self.seed
        )
    }

    fn write_changes(&self, out: &mut String) {
        let flagged: Vec<&Change> = self.changes.iter().filter(|c| c.regression || c.improvement).collect();
        if self.changes.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n{}", self.changes_summary());
        for c in flagged {
            let tag = if c.regression { "REGRESSION" } else { "improvement" };
            let _ = writeln!(
                out,
                "  {tag:<11} {} / {} / {}: {:.4} → {:.4} ({:+.4})",
                c.dataset,
                c.method,
                c.metric,
                c.old,
                c.new,
                c.new - c.old
            );
        }
    }

    /// `against the baseline: N metrics compared, R regressions, I improvements (…)`.
    pub fn changes_summary(&self) -> String {
        format!(
            "against the baseline: {} metrics compared, {} regressions, {} improvements (beyond the baseline's 95% interval)",
            self.changes.len(),
            self.changes.iter().filter(|c| c.regression).count(),
            self.changes.iter().filter(|c| c.improvement).count()
        )
    }
}

/// `, boundaries within N chars` for pages, else nothing.
pub fn tolerance_note(d: &DatasetReport) -> String {
    d.tolerance.map(|t| format!(", boundaries within {t} chars")).unwrap_or_default()
}

/// A dataset's results grouped by the metrics they have (split, summaries, labels), each
/// group with its metric names: one table per group.
pub fn metric_groups(d: &DatasetReport) -> Vec<(Vec<String>, Vec<&MethodReport>)> {
    let mut groups: Vec<(Vec<String>, Vec<&MethodReport>)> = Vec::new();
    for r in &d.results {
        let names: Vec<String> = r.metrics.iter().map(|m| m.name.clone()).collect();
        match groups.iter_mut().find(|(n, _)| *n == names) {
            Some((_, members)) => members.push(r),
            None => groups.push((names, vec![r])),
        }
    }
    groups
}

/// Whether `name` is a precision or recall whose F1 is among `names`: a table shows it in the
/// F1's cell, not on its own.
pub fn folded_into_f1(name: &str, names: &[String]) -> bool {
    name.strip_suffix(".precision")
        .or_else(|| name.strip_suffix(".recall"))
        .is_some_and(|stem| names.iter().any(|n| n.strip_suffix(".f1") == Some(stem)))
}

/// Counts as integers, scores to four places.
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() > 1.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.4}")
    }
}

/// Whether higher is better: true of every metric but counts and lengths, which a comparison
/// lists without calling a change good or bad.
pub fn is_score(name: &str) -> bool {
    !matches!(
        name,
        "chars.mean" | "empty" | "articles.expected" | "articles.found" | "pairs.copies" | "pairs.different"
    )
}

/// The figures the terminal table shows; the rest are in the JSON and Markdown.
pub fn is_headline(name: &str) -> bool {
    matches!(
        name,
        "rouge1.f1"
            | "rouge2.f1"
            | "rougeL.f1"
            | "accuracy"
            | "lenient_accuracy"
            | "macro_f1"
            | "boundary.f1"
            | "headline_match"
            | "rougeL.f1.over_lead"
            | "accuracy.over_tfidf"
            | "readable.defects"
            | "duplicates.precision"
            | "duplicates.recall"
            | "duplicates.f1"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(value: f64, ci: Option<Interval>) -> Report {
        let mut r = Report::new("s", None, Tokenizer::Chars, Aggregate::Best, Bootstrap::default());
        r.datasets = vec![DatasetReport {
            name: "d".into(),
            task: "summaries".into(),
            path: "x".into(),
            items: 3,
            tolerance: None,
            results: vec![MethodReport {
                method: "model".into(),
                seconds: 0.0,
                metrics: vec![Metric { name: "rougeL.f1".into(), value, ci }],
                labels: None,
                distribution: vec![],
                correct: vec![],
            }],
        }];
        r
    }

    #[test]
    fn regressions_are_drops_beyond_the_interval() {
        let old = report(0.30, Some(Interval { low: 0.28, high: 0.32 }));
        let mut within = report(0.285, None);
        within.compare(&old);
        assert!(!within.changes[0].regression && !within.changes[0].improvement);
        let mut worse = report(0.25, None);
        worse.compare(&old);
        assert!(worse.changes[0].regression);
        assert!(worse.table().contains("REGRESSION"));
        let mut better = report(0.35, None);
        better.compare(&old);
        assert!(better.changes[0].improvement);
    }

    #[test]
    fn json_round_trips() {
        let r = report(0.3, Some(Interval { low: 0.2, high: 0.4 }));
        let json = serde_json::to_string(&r).expect("json");
        assert_eq!(serde_json::from_str::<Report>(&json).expect("parse"), r);
    }
}
