//! Suite files: which datasets to score, with which methods, against which thresholds.
//!
//! ```toml
//! name = "ci"
//!
//! [[dataset]]
//! name = "lcsts"
//! task = "summaries"                 # summaries | labels | pages | duplicates
//! path = "data/lcsts-sample.jsonl"   # relative to this file; "$DATA/…" is under --data-dir
//! methods = ["model", "lead", "textrank"]
//! limit = 200                        # optional: the first N rows (after `every`)
//! part = "test"                      # optional: only the test (or "val") part
//!
//! [[dataset.threshold]]
//! method = "model"
//! metric = "rougeL.f1"
//! min = 0.20
//! ```
//!
//! Tasks and what their rows hold:
//! - `summaries`: JSON Lines `{id, text, title?, summary | summaries: […]}`; methods `model`,
//!   `lead`, `textrank`.
//! - `labels`: JSON Lines `{id, text, title?, label | section, also?: […]}`; methods `head`,
//!   `tfidf` (the head's character n-gram part alone: TF-IDF-weighted character 1–3-grams and
//!   a logistic regression, trained on the head's data, the simplest peer of the encoder),
//!   `zero-shot`, `majority` (the most frequent gold label, the score of always answering it),
//!   `tuned` (e5-small with its built-in tuned layers, `--tuned`, labelling with the head made
//!   for them: what the tuned layers would add to the default).
//! - `summaries` and `labels` may also read a `pages` gold file (below): each of its articles with
//!   a summary (or a section) is then one row, its text cut from the page by its span and read
//!   alone, as a JSON Lines row without a title would be — no page context.
//! - `pages`: a gold file of pages, `{file, articles: [{title, start, end, kicker?, deck?,
//!   byline?, dateline?, section?, also?, summary?}]}` (offsets in characters), the pages in
//!   `pages` (default: the gold file's directory). The split is scored (method `split`) unless
//!   the dataset says `split = false`, as one must whose gold names only some of each page's
//!   articles (the annotated ones): the others would count as boundaries the split made up.
//!   Summary and label methods run on the articles found, scored where the gold has a summary
//!   or a section.
//! - `duplicates`: pairs of article spans, the second perhaps edited into a copy
//!   ([`super::duplicates`]), the pages in `pages`; methods `minhash` (the default), the
//!   [`crate::dedup::Detector`] on shingles alone, and `minhash+cosine`, which also holds a
//!   copy's passage vector to its original's. `part` keeps one half of the pairs, split by
//!   their first article.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::EvalError;
use crate::fit::split::Part;
use crate::summarize::Method;

/// A suite, read and resolved.
#[derive(Debug, Clone)]
pub struct Suite {
    pub name: String,
    pub path: PathBuf,
    pub datasets: Vec<Dataset>,
}

/// What a dataset asks to be scored on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Task {
    Summaries,
    Labels,
    Pages,
    Duplicates,
}

impl Task {
    pub fn as_str(self) -> &'static str {
        match self {
            Task::Summaries => "summaries",
            Task::Labels => "labels",
            Task::Pages => "pages",
            Task::Duplicates => "duplicates",
        }
    }
}

/// A system whose outputs are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    /// The segmenter (pages only; always scored there).
    Split,
    Summary(Method),
    /// The trained section head.
    Head,
    /// The head's lexical part alone: TF-IDF-weighted character n-grams, no encoder.
    Tfidf,
    /// Zero-shot labels from the sections' descriptions.
    ZeroShot,
    /// The built-in head for e5-small's built-in tuned layers, on e5-small with them
    /// (`--tuned`): what the tuned layers would add to the default, scored beside it.
    Tuned,
    /// Always the most frequent gold label.
    Majority,
    /// Near-duplicate detection: MinHash candidates confirmed on shingle sets.
    Minhash,
    /// The same, each text also embedded, two texts' vectors held to a cosine.
    MinhashCosine,
}

impl System {
    pub fn parse(name: &str) -> Option<System> {
        Some(match name {
            "split" => System::Split,
            "model" => System::Summary(Method::Model),
            "lead" => System::Summary(Method::Lead),
            "textrank" => System::Summary(Method::Textrank),
            "head" => System::Head,
            "tfidf" => System::Tfidf,
            "zero-shot" => System::ZeroShot,
            "tuned" => System::Tuned,
            "majority" => System::Majority,
            "minhash" => System::Minhash,
            "minhash+cosine" => System::MinhashCosine,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            System::Split => "split",
            System::Summary(m) => m.as_str(),
            System::Head => "head",
            System::Tfidf => "tfidf",
            System::ZeroShot => "zero-shot",
            System::Tuned => "tuned",
            System::Majority => "majority",
            System::Minhash => "minhash",
            System::MinhashCosine => "minhash+cosine",
        }
    }

    pub fn needs_model(self) -> bool {
        matches!(
            self,
            System::Summary(Method::Model)
                | System::Head
                | System::Tfidf
                | System::ZeroShot
                | System::Tuned
                | System::MinhashCosine
        )
    }

    fn fits(self, task: Task) -> bool {
        match self {
            System::Split => task == Task::Pages,
            System::Summary(_) => matches!(task, Task::Summaries | Task::Pages),
            System::Head | System::Tfidf | System::ZeroShot | System::Tuned => {
                matches!(task, Task::Labels | Task::Pages)
            }
            System::Majority => task == Task::Labels,
            System::Minhash | System::MinhashCosine => task == Task::Duplicates,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Dataset {
    pub name: String,
    pub task: Task,
    /// The path as the suite gives it, for reports.
    pub given: String,
    pub path: PathBuf,
    pub pages: Option<PathBuf>,
    pub systems: Vec<System>,
    pub limit: Option<usize>,
    pub every: usize,
    /// Keep only one part: rows of the label-training split's validation or test part, or one
    /// half of a duplicates set's pairs.
    pub part: Option<Part>,
    /// Characters by which an article boundary may miss and still count.
    pub tolerance: usize,
    pub thresholds: Vec<Threshold>,
}

/// A floor under one metric of one method (`min`: a score), or a ceiling over it (`max`: a
/// share of defects); exactly one of the two.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub method: String,
    pub metric: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

impl Threshold {
    pub fn bound(&self) -> Bound {
        Bound { min: self.min, max: self.max }
    }
}

/// What a figure is held to: a floor (`min`, for a score), a ceiling (`max`, for a share of
/// defects), or both.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, serde::Serialize)]
pub struct Bound {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

impl Bound {
    /// Whether `value` is within the bound.
    pub fn holds(&self, value: f64) -> bool {
        self.min.is_none_or(|min| value >= min) && self.max.is_none_or(|max| value <= max)
    }

    /// How `value` misses the bound: `below the threshold 0.25`, `above the threshold 0.03`.
    pub fn missed(&self, value: f64) -> String {
        match (self.min, self.max) {
            (Some(min), _) if value < min => format!("below the threshold {min}"),
            (_, Some(max)) if value > max => format!("above the threshold {max}"),
            _ => format!("within the threshold {self}"),
        }
    }
}

impl std::fmt::Display for Bound {
    /// `≥ 0.25`, `≤ 0.03`, or both.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> =
            self.min.map(|m| format!("≥ {m}")).into_iter().chain(self.max.map(|m| format!("≤ {m}"))).collect();
        write!(f, "{}", parts.join(", "))
    }
}

/// Default boundary tolerance, in characters.
pub const DEFAULT_TOLERANCE: usize = 5;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuiteFile {
    name: Option<String>,
    #[serde(rename = "dataset", default)]
    datasets: Vec<DatasetFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DatasetFile {
    name: String,
    task: Task,
    path: String,
    pages: Option<String>,
    #[serde(default)]
    methods: Vec<String>,
    limit: Option<usize>,
    every: Option<usize>,
    part: Option<String>,
    tolerance: Option<usize>,
    split: Option<bool>,
    #[serde(rename = "threshold", default)]
    thresholds: Vec<Threshold>,
}

impl Suite {
    /// Reads a suite; `$DATA/…` paths resolve under `data_dir`.
    pub fn load(path: &Path, data_dir: Option<&Path>) -> Result<Suite, EvalError> {
        let text = std::fs::read_to_string(path).map_err(|e| EvalError::file(path, None, e.to_string()))?;
        let file: SuiteFile = toml::from_str(&text).map_err(|e| EvalError::file(path, None, e.message()))?;
        let here = path.parent().unwrap_or(Path::new("."));
        let bad = |message: String| EvalError::file(path, None, message);
        if file.datasets.is_empty() {
            return Err(bad("no [[dataset]]".into()));
        }
        let resolve = |given: &str, dataset: &str| -> Result<PathBuf, EvalError> {
            match given.strip_prefix("$DATA/") {
                Some(rest) => match data_dir {
                    Some(dir) => Ok(dir.join(rest)),
                    None => Err(bad(format!("dataset `{dataset}` reads {given}: give --data-dir"))),
                },
                None => Ok(here.join(given)),
            }
        };
        let mut datasets: Vec<Dataset> = Vec::new();
        for d in file.datasets {
            // Checks find their dataset by name: two of one name would leave one's unchecked.
            if datasets.iter().any(|e| e.name == d.name) {
                return Err(bad(format!("dataset `{}` is named twice: give each its own name", d.name)));
            }
            let mut systems = Vec::new();
            for name in &d.methods {
                let system =
                    System::parse(name).ok_or_else(|| bad(format!("dataset `{}`: unknown method `{name}`", d.name)))?;
                if !system.fits(d.task) {
                    return Err(bad(format!(
                        "dataset `{}`: method `{name}` does not apply to {}",
                        d.name,
                        d.task.as_str()
                    )));
                }
                if system != System::Split {
                    systems.push(system);
                }
            }
            match (d.task, d.split) {
                (Task::Pages, Some(false)) => {}
                (Task::Pages, _) => systems.insert(0, System::Split),
                (_, None) => {}
                (task, Some(_)) => {
                    return Err(bad(format!(
                        "dataset `{}`: `split` says whether pages are split and scored, not {}",
                        d.name,
                        task.as_str()
                    )))
                }
            }
            if systems.is_empty() && d.task == Task::Pages {
                return Err(bad(format!(
                    "dataset `{}`: `split = false` and no methods leave nothing to score",
                    d.name
                )));
            }
            if d.task == Task::Duplicates && systems.is_empty() {
                systems.push(System::Minhash);
            }
            for t in &d.thresholds {
                if t.min.is_some() == t.max.is_some() {
                    return Err(bad(format!(
                        "dataset `{}`: threshold on `{}` of `{}` needs one of `min` or `max`",
                        d.name, t.metric, t.method
                    )));
                }
                if !systems.iter().any(|s| s.name() == t.method) {
                    return Err(bad(format!(
                        "dataset `{}`: threshold on `{}`, which is not among its methods",
                        d.name, t.method
                    )));
                }
            }
            let part = match d.part.as_deref() {
                None => None,
                Some("test") => Some(Part::Test),
                Some("val") => Some(Part::Val),
                Some(other) => return Err(bad(format!("dataset `{}`: part `{other}` (\"test\" or \"val\")", d.name))),
            };
            if d.every == Some(0) {
                return Err(bad(format!("dataset `{}`: every must be at least 1", d.name)));
            }
            datasets.push(Dataset {
                path: resolve(&d.path, &d.name)?,
                pages: d.pages.as_deref().map(|p| resolve(p, &d.name)).transpose()?,
                given: d.path,
                name: d.name,
                task: d.task,
                systems,
                limit: d.limit,
                every: d.every.unwrap_or(1),
                part,
                tolerance: d.tolerance.unwrap_or(DEFAULT_TOLERANCE),
                thresholds: d.thresholds,
            });
        }
        let name =
            file.name.unwrap_or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
        Ok(Suite { name, path: path.to_owned(), datasets })
    }

    pub fn needs_model(&self) -> bool {
        self.datasets.iter().flat_map(|d| &d.systems).any(|s| s.needs_model())
    }

    /// Whether any dataset lists `system`.
    pub fn uses(&self, system: System) -> bool {
        self.datasets.iter().flat_map(|d| &d.systems).any(|&s| s == system)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str, data_dir: Option<&Path>) -> Result<Suite, EvalError> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.toml");
        std::fs::write(&path, text).expect("write");
        Suite::load(&path, data_dir)
    }

    #[test]
    fn reads_datasets_and_resolves_paths() {
        let suite = load(
            r#"
[[dataset]]
name = "a"
task = "pages"
path = "$DATA/pages/gold.jsonl"
methods = ["lead", "head"]
[[dataset.threshold]]
method = "split"
metric = "boundary.f1"
min = 0.9
"#,
            Some(Path::new("/data")),
        )
        .expect("suite");
        let d = &suite.datasets[0];
        assert_eq!(d.path, Path::new("/data/pages/gold.jsonl"));
        assert_eq!(d.systems, [System::Split, System::Summary(Method::Lead), System::Head]);
        assert_eq!(d.tolerance, DEFAULT_TOLERANCE);
        assert!(suite.needs_model());
    }

    #[test]
    fn pages_whose_gold_is_partial_are_not_scored_for_the_split() {
        let partial =
            "[[dataset]]\nname = \"p\"\ntask = \"pages\"\npath = \"g.jsonl\"\nsplit = false\nmethods = [\"head\"]";
        assert_eq!(load(partial, None).expect("suite").datasets[0].systems, [System::Head]);
        let checked =
            format!("{partial}\n[[dataset.threshold]]\nmethod = \"split\"\nmetric = \"boundary.f1\"\nmin = 0.9");
        assert!(load(&checked, None).expect_err("split unscored").to_string().contains("not among its methods"));
        let bare = "[[dataset]]\nname = \"p\"\ntask = \"pages\"\npath = \"g.jsonl\"\nsplit = false";
        assert!(load(bare, None).expect_err("nothing to score").to_string().contains("nothing to score"));
        let rows = "[[dataset]]\nname = \"r\"\ntask = \"labels\"\npath = \"r.jsonl\"\nsplit = true";
        assert!(load(rows, None).expect_err("rows are not split").to_string().contains("not labels"));
    }

    #[test]
    fn duplicates_default_to_minhash_and_keep_a_part() {
        let suite =
            load("[[dataset]]\nname = \"d\"\ntask = \"duplicates\"\npath = \"pairs.jsonl\"\npart = \"val\"", None)
                .expect("suite");
        assert_eq!(suite.datasets[0].systems, [System::Minhash]);
        assert_eq!(suite.datasets[0].part, Some(Part::Val));
        assert!(!suite.needs_model());
        let wrong = "[[dataset]]\nname = \"d\"\ntask = \"duplicates\"\npath = \"p.jsonl\"\nmethods = [\"lead\"]";
        assert!(load(wrong, None).expect_err("lead on pairs").to_string().contains("does not apply to duplicates"));
        let part = "[[dataset]]\nname = \"d\"\ntask = \"labels\"\npath = \"p.jsonl\"\npart = \"train\"";
        assert!(load(part, None).expect_err("no train part").to_string().contains("part `train`"));
    }

    #[test]
    fn refuses_what_cannot_run() {
        let base = "[[dataset]]\nname = \"a\"\ntask = \"summaries\"\npath = \"x.jsonl\"\n";
        let err =
            |extra: &str, dir: Option<&Path>| load(&format!("{base}{extra}"), dir).expect_err("refused").to_string();
        assert!(err("methods = [\"majority\"]", None).contains("does not apply"));
        assert!(err("methods = [\"tfidf\"]", None).contains("method `tfidf` does not apply to summaries"));
        assert!(err("methods = [\"best\"]", None).contains("unknown method `best`"));
        assert!(err("[[dataset.threshold]]\nmethod = \"model\"\nmetric = \"rougeL.f1\"\nmin = 0.1", None)
            .contains("not among its methods"));
        let data = load("[[dataset]]\nname = \"a\"\ntask = \"labels\"\npath = \"$DATA/x.jsonl\"", None);
        assert!(data.expect_err("needs data dir").to_string().contains("--data-dir"));
        assert!(load("name = \"empty\"", None).expect_err("no datasets").to_string().contains("no [[dataset]]"));
        let twice = format!("{base}{base}");
        assert!(load(&twice, None).expect_err("a name twice").to_string().contains("named twice"));
    }
}
