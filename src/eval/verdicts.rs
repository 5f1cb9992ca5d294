//! Every check of a report gathered per figure (dataset / method / metric): the suite's
//! thresholds and the comparison with a baseline report, beside the figure's value and 95%
//! interval. The JUnit and Markdown writers list these; only thresholds decide the exit code of
//! `--check`, and that is not decided here.

use super::bootstrap::Interval;
use super::report::{is_headline, is_score, Change, Check, Report};

/// One figure and the checks made on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict<'r> {
    pub dataset: &'r str,
    pub method: &'r str,
    pub metric: &'r str,
    /// None where the method gave no such figure (which fails a threshold on it).
    pub value: Option<f64>,
    /// The figure's 95% bootstrap interval, for headline figures.
    pub ci: Option<Interval>,
    /// The suite's thresholds on this figure (one, as a rule).
    pub thresholds: Vec<&'r Check>,
    /// The comparison with the baseline report, for a score present in both.
    pub change: Option<&'r Change>,
}

impl Verdict<'_> {
    /// `dataset / method / metric`, as the terminal names a failed threshold.
    pub fn name(&self) -> String {
        format!("{} / {} / {}", self.dataset, self.method, self.metric)
    }

    /// Whether a threshold or a baseline holds this figure (else it is only shown).
    pub fn is_checked(&self) -> bool {
        !self.thresholds.is_empty() || self.change.is_some()
    }

    /// Every threshold holds and the figure did not regress.
    pub fn passed(&self) -> bool {
        self.thresholds.iter().all(|c| c.passed) && !self.regressed()
    }

    pub fn regressed(&self) -> bool {
        self.change.is_some_and(|c| c.regression)
    }

    /// `0.2533`, or `missing`.
    pub fn value_text(&self) -> String {
        self.value.map_or_else(|| "missing".to_owned(), |v| format!("{v:.4}"))
    }

    /// `[0.2297, 0.2785]`, or nothing.
    pub fn interval_text(&self) -> String {
        self.ci.map(|ci| format!("[{:.4}, {:.4}]", ci.low, ci.high)).unwrap_or_default()
    }

    /// What the figure is held to, e.g. `≥ 0.25; ≥ 0.2800 (baseline 0.3000 − 0.0200)`.
    pub fn bounds(&self) -> String {
        let mut bounds: Vec<String> = self.thresholds.iter().map(|c| c.threshold.to_string()).collect();
        if let Some(c) = self.change {
            let floor = baseline_floor(c);
            bounds.push(format!("≥ {floor:.4} (baseline {:.4} − {:.4})", c.old, c.old - floor));
        }
        bounds.join("; ")
    }

    /// One sentence per failed check (empty where the figure passed), each giving the measured
    /// value, its interval and the threshold or the baseline with the drop it allows.
    pub fn failures(&self) -> Vec<String> {
        let measured = match (self.value, self.ci) {
            (Some(v), Some(ci)) => format!("{} {v:.4} (95% interval [{:.4}, {:.4}])", self.metric, ci.low, ci.high),
            (Some(v), None) => format!("{} {v:.4} (no interval)", self.metric),
            (None, _) => format!("{} is missing (no such figure from method {})", self.metric, self.method),
        };
        let mut failures: Vec<String> = self
            .thresholds
            .iter()
            .filter(|c| !c.passed)
            .map(|c| match self.value {
                Some(v) => format!("{measured} is {}", c.threshold.missed(v)),
                None => format!("{measured}, so the threshold {} fails", c.threshold),
            })
            .collect();
        if let Some(c) = self.change.filter(|c| c.regression) {
            let floor = baseline_floor(c);
            let allowed = match c.old_ci {
                Some(_) => format!("{:.4} (down to the baseline's 95% interval, {floor:.4})", c.old - floor),
                None => "none (the baseline has no interval)".to_owned(),
            };
            failures.push(format!(
                "{measured} fell {:.4} below the baseline value {:.4}; the allowed drop is {allowed}",
                c.old - c.new,
                c.old
            ));
        }
        failures
    }
}

/// The lowest value that is not a regression: the lower end of the baseline's interval, or
/// without one its value.
fn baseline_floor(c: &Change) -> f64 {
    c.old_ci.map_or(c.old, |ci| ci.low)
}

/// The verdicts of a report, in its order (dataset, method, metric): every figure the terminal
/// table shows and every figure a threshold or the baseline checks; then thresholds on figures
/// the report lacks.
pub fn verdicts(report: &Report) -> Vec<Verdict<'_>> {
    let mut out = Vec::new();
    for d in &report.datasets {
        for r in &d.results {
            for m in &r.metrics {
                let same = |dataset: &str, method: &str, metric: &str| {
                    dataset == d.name && method == r.method && metric == m.name
                };
                let thresholds: Vec<&Check> =
                    report.checks.iter().filter(|c| same(&c.dataset, &c.method, &c.metric)).collect();
                let change =
                    report.changes.iter().find(|c| is_score(&c.metric) && same(&c.dataset, &c.method, &c.metric));
                if is_headline(&m.name) || !thresholds.is_empty() || change.is_some() {
                    out.push(Verdict {
                        dataset: &d.name,
                        method: &r.method,
                        metric: &m.name,
                        value: Some(m.value),
                        ci: m.ci,
                        thresholds,
                        change,
                    });
                }
            }
        }
    }
    let first_missing = out.len();
    for c in &report.checks {
        let present = report
            .datasets
            .iter()
            .filter(|d| d.name == c.dataset)
            .flat_map(|d| &d.results)
            .any(|r| r.method == c.method && r.metric(&c.metric).is_some());
        if present {
            continue;
        }
        let key = |v: &Verdict| v.dataset == c.dataset && v.method == c.method && v.metric == c.metric;
        match out[first_missing..].iter_mut().find(|v| key(v)) {
            Some(v) => v.thresholds.push(c),
            None => out.push(Verdict {
                dataset: &c.dataset,
                method: &c.method,
                metric: &c.metric,
                value: None,
                ci: None,
                thresholds: vec![c],
                change: None,
            }),
        }
    }
    out
}

/// Dataset names in the report's order, then any that only a threshold names.
pub fn dataset_names<'r>(report: &'r Report, verdicts: &[Verdict<'r>]) -> Vec<&'r str> {
    let mut names: Vec<&str> = report.datasets.iter().map(|d| d.name.as_str()).collect();
    for v in verdicts {
        if !names.contains(&v.dataset) {
            names.push(v.dataset);
        }
    }
    names
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::eval::bootstrap::Bootstrap;
    use crate::eval::report::{DatasetReport, MethodReport, Metric};
    use crate::eval::rouge::{Aggregate, Tokenizer};

    /// A report of one dataset named `dataset`: `lead` with ROUGE-L 0.3 [0.2, 0.4] and a mean
    /// length; thresholds of 0.25 (holds) and 1.5 (fails) on its ROUGE-L, and one on a method
    /// that did not run.
    pub(crate) fn checked(dataset: &str) -> Report {
        let mut r = Report::new("s", None, Tokenizer::Chars, Aggregate::Best, Bootstrap::default());
        let metric = |name: &str, value, ci| Metric { name: name.into(), value, ci };
        r.datasets = vec![DatasetReport {
            name: dataset.into(),
            task: "summaries".into(),
            path: "x.jsonl".into(),
            items: 3,
            tolerance: None,
            results: vec![MethodReport {
                method: "lead".into(),
                seconds: 1.5,
                metrics: vec![
                    metric("rougeL.f1", 0.3, Some(Interval { low: 0.2, high: 0.4 })),
                    metric("rouge1.f1", 0.35, Some(Interval { low: 0.25, high: 0.45 })),
                    metric("chars.mean", 40.0, None),
                ],
                labels: None,
                distribution: vec![],
                correct: vec![],
            }],
        }];
        let check = |method: &str, min, value: Option<f64>| Check {
            dataset: dataset.into(),
            method: method.into(),
            metric: "rougeL.f1".into(),
            threshold: crate::eval::suite::Bound { min: Some(min), max: None },
            value,
            passed: value.is_some_and(|v| v >= min),
        };
        r.checks = vec![check("lead", 0.25, Some(0.3)), check("lead", 1.5, Some(0.3)), check("model", 0.2, None)];
        r
    }

    #[test]
    fn thresholds_gather_on_their_figure_and_missing_figures_come_last() {
        let report = checked("d");
        let v = verdicts(&report);
        let names: Vec<String> = v.iter().map(Verdict::name).collect();
        // chars.mean is neither shown nor checked.
        assert_eq!(names, ["d / lead / rougeL.f1", "d / lead / rouge1.f1", "d / model / rougeL.f1"]);
        assert_eq!(v[0].thresholds.len(), 2);
        assert!(!v[0].passed() && v[1].passed() && !v[1].is_checked() && !v[2].passed());
        assert_eq!(v[0].bounds(), "≥ 0.25; ≥ 1.5");
        assert_eq!(v[0].failures(), ["rougeL.f1 0.3000 (95% interval [0.2000, 0.4000]) is below the threshold 1.5"]);
        assert_eq!(
            v[2].failures(),
            ["rougeL.f1 is missing (no such figure from method model), so the threshold ≥ 0.2 fails"]
        );
        assert_eq!(dataset_names(&report, &v), ["d"]);
    }

    #[test]
    fn a_regression_names_the_baseline_and_the_drop_it_allows() {
        let old = checked("d");
        let mut new = checked("d");
        new.datasets[0].results[0].metrics[1].value = 0.2;
        new.compare(&old);
        let v = verdicts(&new);
        let rouge1 = v.iter().find(|v| v.metric == "rouge1.f1").expect("rouge1");
        assert!(rouge1.regressed() && !rouge1.passed());
        assert_eq!(rouge1.bounds(), "≥ 0.2500 (baseline 0.3500 − 0.1000)");
        assert_eq!(
            rouge1.failures(),
            ["rouge1.f1 0.2000 (95% interval [0.2500, 0.4500]) fell 0.1500 below the baseline value 0.3500; \
the allowed drop is 0.1000 (down to the baseline's 95% interval, 0.2500)"]
        );
        // A length is compared but is no check.
        assert!(!v.iter().any(|v| v.metric == "chars.mean"));
    }
}
