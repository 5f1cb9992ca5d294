//! Scoring near-duplicate detection on labelled pairs of article spans: each pair's two texts
//! are cut from their pages (the second perhaps made a copy by [`edits`](super::edits)), one
//! [`Detector`] reads every text, and a pair is predicted a copy where both ends resolve to the
//! same first occurrence. Pair file rows:
//!
//! ```json
//! {"id": "d0001", "a": {"file": "20190201-01.txt", "start": 0, "end": 1076},
//!  "b": {"file": "20190201-01.txt", "start": 0, "end": 1076, "edits": [{"op": "cut", "keep": 0.7}]},
//!  "duplicate": true, "variant": "cut"}
//! ```

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::bootstrap::Bootstrap;
use super::edits::{self, Edit};
use super::report::{MethodReport, Metric};
use super::EvalError;
use crate::dedup::{Detector, Settings};
use crate::fit::split::Part;
use crate::input;

/// Copies that keep at least this share of the characters are the ones recall is held to.
pub const MIN_KEPT: f64 = 0.7;

/// One labelled pair.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    pub id: String,
    pub a: End,
    pub b: End,
    /// Whether the two are one story.
    pub duplicate: bool,
    /// How the pair was made (`cut`, `retitle`, `reprint`, `same-subject`, `random`, …), for
    /// the per-kind figures.
    pub variant: String,
    /// Why a pair read by hand was judged as it was.
    #[serde(default)]
    pub why: Option<String>,
}

/// A span of a page (in characters) and the edits made to it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct End {
    pub file: String,
    pub start: usize,
    pub end: usize,
    #[serde(default)]
    pub edits: Vec<Edit>,
}

impl Pair {
    /// The smallest share of the characters that either end keeps.
    pub fn kept(&self) -> f64 {
        self.a.edits.iter().chain(&self.b.edits).map(Edit::kept).fold(1.0, f64::min)
    }

    /// The half a pair belongs to, by the SHA-256 of its first article's place (so that every
    /// copy of one article lands in the same half): validation or test.
    pub fn part(&self) -> Part {
        let digest = Sha256::digest(format!("{}:{}", self.a.file, self.a.start).as_bytes());
        if digest[0] % 2 == 0 {
            Part::Val
        } else {
            Part::Test
        }
    }
}

/// Reads a pair file.
pub fn read_pairs(path: &Path) -> Result<Vec<Pair>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|e| EvalError::file(path, None, e.to_string()))?;
    let mut pairs = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let pair: Pair = serde_json::from_str(line).map_err(|e| EvalError::file(path, Some(i + 1), e.to_string()))?;
        pairs.push(pair);
    }
    Ok(pairs)
}

/// The two texts of each pair: its spans cut from the pages under `pages` (each page read once),
/// their edits applied.
pub fn texts(pairs: &[Pair], pages: &Path) -> Result<Vec<(String, String)>, EvalError> {
    let mut read: HashMap<String, String> = HashMap::new();
    let mut text_of = |end: &End| -> Result<String, EvalError> {
        let path = pages.join(&end.file);
        if !read.contains_key(end.file.as_str()) {
            let page = input::read_document(&path).map_err(|e| EvalError::file(&path, None, e.to_string()))?.text;
            read.insert(end.file.clone(), page);
        }
        let page = read.get(end.file.as_str()).map(String::as_str).unwrap_or_default();
        let span = input::char_span(page, end.start, end.end).ok_or_else(|| {
            EvalError::file(&path, None, format!("{}–{} is not a span of the page", end.start, end.end))
        })?;
        Ok(edits::apply(span, &end.edits))
    };
    pairs.iter().map(|p| Ok((text_of(&p.a)?, text_of(&p.b)?))).collect()
}

/// A pair's two texts' vectors.
pub type PairVectors = (Vec<f32>, Vec<f32>);

/// The vectors of each pair's two texts, by `embed`, each distinct text embedded once.
pub fn vectors(
    texts: &[(String, String)],
    embed: impl Fn(&[&str]) -> Result<Vec<Vec<f32>>, EvalError>,
) -> Result<Vec<PairVectors>, EvalError> {
    let mut distinct: Vec<&str> = texts.iter().flat_map(|(a, b)| [a.as_str(), b.as_str()]).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let embedded = embed(&distinct)?;
    let of = |text: &str| distinct.binary_search(&text).ok().and_then(|i| embedded.get(i)).cloned().unwrap_or_default();
    Ok(texts.iter().map(|(a, b)| (of(a), of(b))).collect())
}

/// Whether each pair is predicted one story: one detector reads every first text, then every
/// second one (with its vector, where given), and a pair is a copy where both resolve to the
/// same first occurrence.
pub fn predict(texts: &[(String, String)], vectors: Option<&[PairVectors]>, settings: Settings) -> Vec<bool> {
    let mut detector = Detector::new(settings);
    let mut root = |key: String, text: &str, vector: Option<&Vec<f32>>| {
        detector.check(&key, text, vector.map(Vec::as_slice)).map_or(key, |found| found.of)
    };
    let vector = |i: usize, second: bool| vectors.and_then(|v| v.get(i)).map(|(a, b)| if second { b } else { a });
    let first: Vec<String> =
        texts.iter().enumerate().map(|(i, (a, _))| root(format!("a{i}"), a, vector(i, false))).collect();
    let second: Vec<String> =
        texts.iter().enumerate().map(|(i, (_, b))| root(format!("b{i}"), b, vector(i, true))).collect();
    first.iter().zip(&second).map(|(a, b)| a == b).collect()
}

/// Counts behind precision and recall.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Counts {
    /// Pairs predicted a copy, and of those, copies.
    predicted: usize,
    right: usize,
    /// Copies keeping at least [`MIN_KEPT`], and of those, found.
    kept: usize,
    kept_found: usize,
    /// All copies, and of those, found.
    copies: usize,
    found: usize,
}

impl Counts {
    fn of<'p>(items: impl Iterator<Item = (&'p Pair, bool)>) -> Counts {
        let mut c = Counts::default();
        for (pair, predicted) in items {
            c.predicted += usize::from(predicted);
            c.right += usize::from(predicted && pair.duplicate);
            if pair.duplicate {
                c.copies += 1;
                c.found += usize::from(predicted);
                if pair.kept() >= MIN_KEPT {
                    c.kept += 1;
                    c.kept_found += usize::from(predicted);
                }
            }
        }
        c
    }

    /// With nothing predicted, nothing is wrong.
    fn precision(&self) -> f64 {
        if self.predicted == 0 {
            1.0
        } else {
            self.right as f64 / self.predicted as f64
        }
    }

    fn recall(&self) -> f64 {
        ratio(self.kept_found, self.kept)
    }

    fn recall_all(&self) -> f64 {
        ratio(self.found, self.copies)
    }

    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        n as f64 / d as f64
    }
}

/// Precision, recall on the copies keeping at least [`MIN_KEPT`] and on all, F1 (with
/// intervals), and per variant the share of pairs predicted a copy: recall for a kind of copy,
/// the false-positive rate for a kind of different stories.
pub fn score(method: &str, pairs: &[Pair], predicted: &[bool], bootstrap: &Bootstrap) -> MethodReport {
    let counts = |ix: &mut dyn Iterator<Item = usize>| Counts::of(ix.map(|i| (&pairs[i], predicted[i])));
    let all = counts(&mut (0..pairs.len()));
    let interval = |f: fn(&Counts) -> f64| bootstrap.interval(pairs.len(), |ix| f(&counts(&mut ix.iter().copied())));
    let metric = |name: &str, f: fn(&Counts) -> f64| Metric {
        name: format!("duplicates.{name}"),
        value: f(&all),
        ci: interval(f),
    };
    let mut metrics = vec![
        metric("precision", Counts::precision),
        metric("recall", Counts::recall),
        metric("recall_all", Counts::recall_all),
        metric("f1", Counts::f1),
        Metric { name: "pairs.copies".into(), value: all.copies as f64, ci: None },
        Metric { name: "pairs.different".into(), value: (pairs.len() - all.copies) as f64, ci: None },
    ];
    let mut variants: Vec<(&str, bool)> = Vec::new();
    for p in pairs {
        if !variants.contains(&(p.variant.as_str(), p.duplicate)) {
            variants.push((p.variant.as_str(), p.duplicate));
        }
    }
    // Kinds of copies first, then kinds of different stories, each in the order of their names.
    variants.sort_by_key(|&(variant, duplicate)| (!duplicate, variant));
    for (variant, duplicate) in variants {
        let ix: Vec<usize> = (0..pairs.len()).filter(|&i| pairs[i].variant == variant).collect();
        let flagged = ix.iter().filter(|&&i| predicted[i]).count();
        let name = if duplicate { "recall" } else { "false_positives" };
        metrics.push(Metric {
            name: format!("duplicates.{name}.{variant}"),
            value: ratio(flagged, ix.len()),
            ci: None,
        });
    }
    MethodReport {
        method: method.into(),
        seconds: 0.0,
        metrics,
        labels: None,
        distribution: Vec::new(),
        correct: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(duplicate: bool, variant: &str, keep: Option<f64>) -> Pair {
        let end = |edits: Vec<Edit>| End { file: "p.txt".into(), start: 0, end: 10, edits };
        Pair {
            id: "d".into(),
            a: end(Vec::new()),
            b: end(keep.map(|keep| vec![Edit::Cut { keep }]).unwrap_or_default()),
            duplicate,
            variant: variant.into(),
            why: None,
        }
    }

    #[test]
    fn hand_computed_scores() {
        // Copies: two kept ≥ 0.7 (one found), one cut to half (found). Different: two, one flagged.
        let pairs = [
            pair(true, "cut", Some(0.7)),
            pair(true, "retitle", None),
            pair(true, "cut-0.5", Some(0.5)),
            pair(false, "random", None),
            pair(false, "random", None),
        ];
        let predicted = [true, false, true, true, false];
        let r = score("minhash", &pairs, &predicted, &Bootstrap::default());
        let value = |name: &str| r.metric(name).map(|m| m.value).expect(name);
        assert!((value("duplicates.precision") - 2.0 / 3.0).abs() < 1e-12);
        assert!((value("duplicates.recall") - 0.5).abs() < 1e-12);
        assert!((value("duplicates.recall_all") - 2.0 / 3.0).abs() < 1e-12);
        assert!((value("duplicates.f1") - 2.0 * (2.0 / 3.0) * 0.5 / (2.0 / 3.0 + 0.5)).abs() < 1e-12);
        assert_eq!(value("duplicates.recall.retitle"), 0.0);
        assert_eq!(value("duplicates.false_positives.random"), 0.5);
        assert!(r.metric("duplicates.precision").and_then(|m| m.ci).is_some());
    }

    #[test]
    fn one_detector_resolves_both_ends() {
        let story = "青山县建成万亩高标准农田\n　　今年以来，该县整合涉农资金一亿二千万元，新建高标准农田一万二千亩，覆盖十八个行政村，惠及农户六千余户，灌溉渠里清水潺潺。";
        let other = "青山县人大常委会举行会议\n　　会议听取了县人民政府关于国民经济和社会发展计划执行情况的报告，组成人员就垃圾分类、占道经营等问题提出修改意见。";
        let texts = vec![
            (story.to_owned(), story.replace('\n', "\n\n")),
            (story.to_owned(), other.to_owned()),
            (other.to_owned(), other.replace("县人民政府", "县政府")),
        ];
        assert_eq!(predict(&texts, None, Settings::default()), [true, false, true]);
        // Vectors that disagree keep the first pair apart.
        let (x, y) = (vec![1.0, 0.0], vec![0.0, 1.0]);
        let vectors = [(x.clone(), y), (x.clone(), x.clone()), (x.clone(), x)];
        assert_eq!(predict(&texts, Some(&vectors), Settings::default()), [false, false, true]);
    }

    #[test]
    fn pairs_read_with_their_edits_and_halves() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("pairs.jsonl");
        std::fs::write(
            &path,
            r#"{"id":"d1","a":{"file":"p.txt","start":0,"end":4},"b":{"file":"p.txt","start":0,"end":4,"edits":[{"op":"retitle","headline":"乙"},{"op":"cut","keep":0.8}]},"duplicate":true,"variant":"combined"}"#,
        )
        .expect("write");
        let pairs = read_pairs(&path).expect("pairs");
        assert_eq!(pairs[0].kept(), 0.8);
        std::fs::write(dir.path().join("p.txt"), "甲\n丙丁").expect("page");
        let texts = texts(&pairs, dir.path()).expect("texts");
        assert_eq!(texts[0], ("甲\n丙丁".to_owned(), "乙\n\u{3000}\u{3000}丙丁\n".to_owned()));
        assert!(matches!(pairs[0].part(), Part::Val | Part::Test));
        std::fs::write(&path, r#"{"id":"d1","a":{},"b":{}}"#).expect("write");
        assert!(read_pairs(&path).expect_err("malformed").to_string().contains("line 1"));
    }

    /// The grid the default settings were chosen on: `cargo test --release --lib
    /// sweep_on_the_validation_half -- --ignored --nocapture` (needs `../shared/data`).
    #[test]
    #[ignore]
    fn sweep_on_the_validation_half() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let pairs = read_pairs(&root.join("eval/data/duplicate-pairs.jsonl")).expect("pairs");
        let pairs: Vec<Pair> = pairs.into_iter().filter(|p| p.part() == Part::Val).collect();
        let texts = texts(&pairs, &root.join("../shared/data/pages/peopledaily")).expect("texts");
        let bootstrap = Bootstrap { resamples: 0, ..Bootstrap::default() };
        // Each pair alone, every candidate confirmed: how close the closest different stories
        // and how far the farthest copies are.
        let open = Settings { candidate: 0.0, containment: 0.0, length_ratio: 0.0, ..Settings::default() };
        let mut alone: Vec<(f32, &Pair)> = texts
            .iter()
            .zip(&pairs)
            .map(|((a, b), pair)| {
                let mut d = Detector::new(open);
                d.check("a", a, None);
                (d.check("b", b, None).map_or(0.0, |f| f.similarity), pair)
            })
            .collect();
        alone.sort_by(|x, y| x.0.total_cmp(&y.0));
        let show = |(c, p): &&(f32, &Pair)| println!("  {c:.3} {} {} {:?}", p.id, p.variant, p.why);
        println!("different stories, closest:");
        alone.iter().filter(|(_, p)| !p.duplicate).rev().take(8).for_each(|x| show(&x));
        println!("copies keeping ≥ {MIN_KEPT}, farthest:");
        alone.iter().filter(|(_, p)| p.duplicate && p.kept() >= MIN_KEPT).take(8).for_each(|x| show(&x));
        for shingle in [3, 4, 5, 6] {
            for sample in [1, 4, 8] {
                for containment in [0.5, 0.6, 0.7, 0.75, 0.8, 0.85] {
                    let settings = Settings { shingle, sample, containment, ..Settings::default() };
                    let r = score("minhash", &pairs, &predict(&texts, None, settings), &bootstrap);
                    let v = |n: &str| r.metric(&format!("duplicates.{n}")).map_or(f64::NAN, |m| m.value);
                    println!(
                        "n={shingle} sample={sample} C={containment}: P {:.3} R {:.3} R_all {:.3} F1 {:.3}",
                        v("precision"),
                        v("recall"),
                        v("recall_all"),
                        v("f1")
                    );
                }
            }
        }
    }
}
