//! Producing and scoring outputs: [`run_suite`] runs each dataset's methods through
//! [`Systems`] (the real pipeline is [`Pipeline`]; tests swap in others) and scores them;
//! [`score_predictions`] scores outputs made elsewhere against a gold file.

use std::path::Path;
use std::time::Instant;

use super::bootstrap::{Bootstrap, Interval};
use super::duplicates;
use super::labels::{confusion, lenient_accuracy, score_labels};
use super::predictions::{self, Prediction};
use super::report::{ClassRow, DatasetReport, LabelDetail, MethodReport, Metric, Report};
use super::rouge::{self, Aggregate, Rouge, Tokenizer};
use super::split::{match_articles, SplitItem, SplitScores};
use super::suite::{Dataset, Suite, System, Task};
use super::EvalError;
use crate::annotated::{self, GoldArticle, GoldPage, Row};
use crate::fit::split::part_of;
use crate::input;
use crate::label::head::Head;
use crate::label::{self, LabelError, Labeller, Taxonomy, ZeroShot};
use crate::model::{Encoder, Intent};
use crate::segment::{self, Article};
use crate::stages::{Results, Stages, Timeout};
use crate::summarize::learnt::SummaryModel;
use crate::summarize::readable::{self, Defects};
use crate::summarize::{Budget, Method, Summarizer};

/// The label a missing or unmatched prediction counts as.
pub const NO_LABEL: &str = "(none)";

/// How outputs are scored.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScoringOptions {
    pub tokenizer: Tokenizer,
    pub aggregate: Aggregate,
    pub bootstrap: Bootstrap,
}

/// What produces the outputs being scored.
pub trait Systems {
    /// One summary per article.
    fn summarize(&self, method: Method, articles: &[&Article]) -> Result<Vec<String>, EvalError>;
    /// One section and its probability per article of `pages`, in order, by [`System::Head`],
    /// [`System::Tfidf`], [`System::ZeroShot`] or [`System::Tuned`].
    fn label(&self, system: System, pages: &[&[Article]]) -> Result<Vec<(String, f64)>, EvalError>;
    /// The sections labels are drawn from.
    fn sections(&self) -> Vec<String>;
    /// The encoder's id, where there is one.
    fn model_id(&self) -> Option<String>;
    /// The summaries' length budget, in characters.
    fn max_chars(&self) -> usize;
    /// Each text's L2-normalised passage vector, for methods that compare texts by meaning.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EvalError>;
}

/// jianbao's own summariser and labellers, run as `digest` runs them: through [`Stages`], so
/// that each article's sentences are found once, what is embedded is embedded once per run, and
/// each article gets `digest`'s default time budget ([`Timeout::default_limit`]). An article
/// whose time runs out is one `digest` writes no summary and no label for: it counts here as an
/// empty summary and as [`NO_LABEL`], never as the heading the stages fall back on.
pub struct Pipeline<'e> {
    encoder: Option<&'e dyn Encoder>,
    budget: Budget,
    summary_model: SummaryModel,
    head: Option<Labeller>,
    /// The head's lexical part alone.
    tfidf: Option<Labeller>,
    zero_shot: Option<Labeller>,
    /// `tuned`: e5-small with its built-in tuned layers, and their head.
    tuned: Option<(&'e dyn Encoder, Labeller)>,
    taxonomy: Taxonomy,
    page_context: f32,
    timeout: Option<Timeout>,
}

impl<'e> Pipeline<'e> {
    /// The default sections, labelled by `head` (the built-in one, or one given to score), and
    /// the built-in summary model; `encoder` may be absent where no method needs it, and `head`
    /// where no method labels with it (`head`, `tfidf`).
    pub fn new(
        encoder: Option<&'e dyn Encoder>,
        budget: Budget,
        head: Option<Head>,
        zero_shot: bool,
    ) -> Result<Pipeline<'e>, EvalError> {
        let taxonomy = Taxonomy::default_sections();
        let zero_shot = match encoder {
            Some(encoder) if zero_shot => Some(Labeller::ZeroShot(ZeroShot::new(encoder, &taxonomy)?)),
            _ => None,
        };
        let pipeline = Pipeline {
            encoder,
            budget,
            summary_model: encoder.map_or_else(SummaryModel::builtin, |e| SummaryModel::builtin_for(e.id())),
            head: None,
            tfidf: None,
            zero_shot,
            tuned: None,
            taxonomy,
            page_context: label::PAGE_CONTEXT,
            timeout: Timeout::default_limit(),
        };
        match head {
            Some(head) => pipeline.with_head(head),
            None => Ok(pipeline),
        }
    }

    /// Labels with `head` (and its lexical part, for `tfidf`), checked as `digest` checks a
    /// head: trained on the encoder's vectors, for the default sections.
    fn with_head(mut self, head: Head) -> Result<Pipeline<'e>, EvalError> {
        if let Some(encoder) = self.encoder {
            self.tfidf = head.lexical().is_some().then(|| Labeller::lexical(&head)).transpose()?;
            self.head = Some(Labeller::head(head, encoder, Some(&self.taxonomy))?);
        }
        Ok(self)
    }

    /// Labels `tuned` with `head` on `encoder`: e5-small with its built-in tuned layers, and
    /// the head built in for them, to score beside the default.
    pub fn with_tuned(mut self, encoder: &'e dyn Encoder, head: Head) -> Result<Pipeline<'e>, EvalError> {
        self.tuned = Some((encoder, Labeller::head(head, encoder, Some(&self.taxonomy))?));
        Ok(self)
    }

    /// Summarises with this summary model instead of the built-in one.
    pub fn with_summary_model(self, summary_model: SummaryModel) -> Pipeline<'e> {
        Pipeline { summary_model, ..self }
    }

    /// Labels with this page context instead of the default (see [`label::Options`]).
    pub fn with_page_context(self, page_context: f32) -> Pipeline<'e> {
        Pipeline { page_context, ..self }
    }
}

impl Systems for Pipeline<'_> {
    fn summarize(&self, method: Method, articles: &[&Article]) -> Result<Vec<String>, EvalError> {
        if method == Method::Model && self.encoder.is_none() {
            return Err(EvalError::NeedsModel("model"));
        }
        let summarizer = Summarizer { model: self.summary_model.clone(), ..Summarizer::new(method, self.budget) };
        let stages =
            Stages { summarizer: Some(summarizer), labeller: None, encoder: self.encoder, timeout: self.timeout };
        // Each article is a page of its own: pages matter to labels only.
        let pages: Vec<&[Article]> = articles.iter().map(|a| std::slice::from_ref(*a)).collect();
        let Results { summaries, timed_out, .. } = stages.run(&pages)?;
        let summaries = summaries.into_iter().flatten().zip(&timed_out);
        Ok(summaries.map(|(s, &late)| if late { String::new() } else { s.text }).collect())
    }

    fn label(&self, system: System, pages: &[&[Article]]) -> Result<Vec<(String, f64)>, EvalError> {
        let (labeller, encoder) = match system {
            System::Head => (self.head.as_ref(), self.encoder),
            System::Tfidf => (self.tfidf.as_ref(), self.encoder),
            System::ZeroShot => (self.zero_shot.as_ref(), self.encoder),
            System::Tuned => self.tuned.as_ref().map_or((None, None), |(e, l)| (Some(l), Some(*e))),
            _ => (None, None),
        };
        let (Some(labeller), Some(encoder)) = (labeller, encoder) else {
            let by_head = matches!(system, System::Head | System::Tfidf);
            if by_head && self.encoder.is_some() && self.head.is_none() {
                return Err(LabelError::Other(format!("method `{}`: no head to label with", system.name())).into());
            }
            if system == System::Tfidf && self.encoder.is_some() {
                return Err(LabelError::Other("method `tfidf`: the head has no lexical part".into()).into());
            }
            return Err(EvalError::NeedsModel(system.name()));
        };
        let options = label::Options { min_confidence: 0.0, page_context: self.page_context };
        let stages = Stages {
            summarizer: None,
            labeller: Some((labeller, options)),
            encoder: Some(encoder),
            timeout: self.timeout,
        };
        let Results { labels, timed_out, .. } = stages.run(pages)?;
        let labels = labels.into_iter().flatten().zip(&timed_out);
        Ok(labels
            .map(|(l, &late)| if late { (NO_LABEL.to_owned(), 0.0) } else { (l.section, f64::from(l.confidence)) })
            .collect())
    }

    fn sections(&self) -> Vec<String> {
        self.taxonomy.names()
    }

    fn max_chars(&self) -> usize {
        self.budget.max_chars
    }

    fn model_id(&self) -> Option<String> {
        self.encoder.map(|e| e.id().to_owned())
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EvalError> {
        let encoder = self.encoder.ok_or(EvalError::NeedsModel("minhash+cosine"))?;
        Ok(encoder.embed(texts, Intent::Passage)?)
    }
}

fn empty_report(suite: &str, model: Option<String>, opts: &ScoringOptions) -> Report {
    Report::new(suite, model, opts.tokenizer, opts.aggregate, opts.bootstrap)
}

fn dataset_report(dataset: &Dataset, items: usize, results: Vec<MethodReport>) -> DatasetReport {
    DatasetReport {
        name: dataset.name.clone(),
        task: dataset.task.as_str().to_owned(),
        path: dataset.given.clone(),
        items,
        tolerance: (dataset.task == Task::Pages).then_some(dataset.tolerance),
        results,
    }
}

/// Runs every dataset of `suite` and checks its thresholds. `progress` hears of each
/// dataset as it starts.
pub fn run_suite(
    suite: &Suite,
    systems: &dyn Systems,
    opts: &ScoringOptions,
    progress: &mut dyn FnMut(&Dataset),
) -> Result<Report, EvalError> {
    let mut report = empty_report(&suite.name, systems.model_id(), opts);
    for dataset in &suite.datasets {
        progress(dataset);
        let mut result = match dataset.task {
            Task::Summaries | Task::Labels => run_rows(dataset, systems, opts)?,
            Task::Pages => run_pages(dataset, systems, opts)?,
            Task::Duplicates => run_duplicates(dataset, systems, opts)?,
        };
        add_gains(&mut result.results, opts.bootstrap);
        report.datasets.push(result);
    }
    report.check(suite);
    Ok(report)
}

/// The baselines a dataset's methods are measured against, item by item, and the score
/// compared: a label method's accuracy against `tfidf`'s, the simplest peer the encoder must
/// beat, and a summary method's ROUGE-L F1 against `lead`'s.
const BASELINES: [(&str, &str); 2] = [("tfidf", "accuracy"), ("lead", "rougeL.f1")];

/// Adds to each method of a dataset that also runs one of [`BASELINES`] of its kind its gain over
/// that baseline (`accuracy.over_tfidf`, `rougeL.f1.over_lead`): the difference of their scores
/// on the same items, with a paired 95% interval (the items resampled once for both), narrower
/// than the two methods' own intervals would suggest, since both meet the same hard items. The
/// baseline's own gain is 0, so that it sits in the same table as the others.
fn add_gains(results: &mut [MethodReport], bootstrap: Bootstrap) {
    // Per item: right (1) or wrong (0) for a label method, ROUGE-L F1 for a summary method.
    let per_item = |r: &MethodReport| -> Vec<f64> {
        match r.labels {
            Some(_) => r.correct.iter().map(|&right| f64::from(u8::from(right))).collect(),
            None => r.distribution.clone(),
        }
    };
    for (baseline, metric) in BASELINES {
        let Some(base) = results.iter().find(|r| r.method == baseline) else { continue };
        let (labels, base_items) = (base.labels.is_some(), per_item(base));
        if base_items.is_empty() {
            continue;
        }
        for r in results.iter_mut().filter(|r| r.labels.is_some() == labels && r.metric(metric).is_some()) {
            let items = per_item(r);
            if items.len() != base_items.len() {
                continue;
            }
            let gain: Vec<f64> = items.iter().zip(&base_items).map(|(a, b)| a - b).collect();
            let value = gain.iter().sum::<f64>() / gain.len() as f64;
            let ci = if r.method == baseline { None } else { bootstrap.mean(&gain) };
            r.metrics.push(Metric { name: format!("{metric}.over_{baseline}"), value, ci });
        }
    }
}

/// The rows a dataset keeps: its part if asked, every n-th, at most `limit`.
fn select<T>(items: Vec<T>, dataset: &Dataset, text: impl Fn(&T) -> &str) -> Vec<T> {
    let kept = items.into_iter().filter(|item| dataset.part.is_none_or(|part| part_of(text(item)) == part));
    kept.step_by(dataset.every).take(dataset.limit.unwrap_or(usize::MAX)).collect()
}

fn run_rows(dataset: &Dataset, systems: &dyn Systems, opts: &ScoringOptions) -> Result<DatasetReport, EvalError> {
    let mut rows = if annotated::is_pages_gold(&dataset.path)? {
        span_rows(dataset)?
    } else {
        annotated::read_rows(&dataset.path)?
    };
    if dataset.task == Task::Labels {
        rows.retain(|r| r.label.is_some());
    }
    let rows = select(rows, dataset, |r: &Row| r.text.as_str());
    let articles: Vec<Option<Article>> = rows.iter().map(|r| segment::single(&r.text, r.title.as_deref())).collect();
    let present: Vec<&Article> = articles.iter().flatten().collect();
    // Outputs for the rows that made an article; the rest count as empty / no label.
    let spread = |outputs: Vec<String>| -> Vec<String> {
        let mut outputs = outputs.into_iter();
        articles.iter().map(|a| a.as_ref().and_then(|_| outputs.next()).unwrap_or_default()).collect()
    };
    let mut results = Vec::new();
    for &system in &dataset.systems {
        let started = Instant::now();
        let mut result = match system {
            System::Summary(method) => {
                let summaries = spread(systems.summarize(method, &present)?);
                let refs: Vec<&[String]> = rows.iter().map(|r| r.summaries.as_slice()).collect();
                if refs.iter().any(|r| r.is_empty()) {
                    return Err(EvalError::file(&dataset.path, None, "a row has no `summary`"));
                }
                let mut result = summary_result(system.name(), &summaries, &refs, opts);
                let read: Vec<Read> = rows
                    .iter()
                    .zip(&summaries)
                    .map(|(r, s)| Read { summary: s, source: &r.text, kind: r.kind.as_deref() })
                    .collect();
                result.metrics.extend(readability(&read, systems.max_chars()));
                result
            }
            System::Head | System::Tfidf | System::ZeroShot | System::Tuned | System::Majority => {
                let gold = gold_labels(&rows, dataset)?;
                let (predicted, confidence) = match system {
                    System::Majority => (vec![majority(&gold); rows.len()], Vec::new()),
                    _ => {
                        // Each row is a page of its own.
                        let pages: Vec<&[Article]> = present.iter().map(|a| std::slice::from_ref(*a)).collect();
                        let labelled = systems.label(system, &pages)?;
                        let confidence: Vec<f64> = labelled.iter().map(|l| l.1).collect();
                        (spread(labelled.into_iter().map(|l| l.0).collect()), confidence)
                    }
                };
                let also: Vec<Vec<String>> = rows.iter().map(|r| r.also.clone()).collect();
                label_result(system.name(), &predicted, &confidence, &gold, &also, &systems.sections(), opts)
            }
            System::Split | System::Minhash | System::MinhashCosine => {
                unreachable!("split and minhash score pages and pairs")
            }
        };
        result.seconds = started.elapsed().as_secs_f64();
        results.push(result);
    }
    Ok(dataset_report(dataset, rows.len(), results))
}

/// Rows cut from pages: each gold article of a pages gold file that has what the dataset's
/// task scores (a section, or a summary) becomes one row, its text the article's span of the
/// page and no title given, as a JSON Lines row `{id, text}` would bring it. The same gold then
/// scores articles read alone as well as on their pages, without the text in the gold file.
fn span_rows(dataset: &Dataset) -> Result<Vec<Row>, EvalError> {
    let wanted = |_: &str, a: &GoldArticle| match dataset.task {
        Task::Labels => a.section.is_some(),
        _ => !a.summaries.is_empty(),
    };
    Ok(annotated::article_texts(&dataset.path, &pages_dir(dataset), wanted)?
        .into_iter()
        .map(|(a, text)| Row {
            id: a.id,
            text,
            title: None,
            summaries: a.summaries,
            label: a.section,
            also: a.also,
            kind: a.kind,
        })
        .collect())
}

/// Where a dataset's pages are: `pages`, or else the gold file's directory.
fn pages_dir(dataset: &Dataset) -> std::path::PathBuf {
    dataset.pages.clone().unwrap_or_else(|| dataset.path.parent().map(Path::to_owned).unwrap_or_default())
}

fn gold_labels(rows: &[Row], dataset: &Dataset) -> Result<Vec<String>, EvalError> {
    rows.iter()
        .map(|r| {
            r.label
                .clone()
                .ok_or_else(|| EvalError::file(&dataset.path, None, format!("row `{}` has no `label`", r.id)))
        })
        .collect()
}

/// The most frequent label (the first of those tied, in order of appearance).
fn majority(gold: &[String]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for g in gold {
        match counts.iter_mut().find(|(label, _)| label == g) {
            Some((_, n)) => *n += 1,
            None => counts.push((g, 1)),
        }
    }
    let best = counts.iter().fold(None::<(&str, usize)>, |best, &(l, n)| match best {
        Some((_, m)) if m >= n => best,
        _ => Some((l, n)),
    });
    best.map(|(l, _)| l.to_owned()).unwrap_or_default()
}

/// Pairs of spans scored for near-duplicate detection: their half if asked, every n-th, at
/// most `limit`; one detector with the default settings reads them all, with each text's
/// vector for `minhash+cosine`.
fn run_duplicates(dataset: &Dataset, systems: &dyn Systems, opts: &ScoringOptions) -> Result<DatasetReport, EvalError> {
    let pairs = duplicates::read_pairs(&dataset.path)?;
    let pairs: Vec<duplicates::Pair> =
        pairs.into_iter().filter(|p| dataset.part.is_none_or(|part| p.part() == part)).collect();
    let pairs: Vec<duplicates::Pair> =
        pairs.into_iter().step_by(dataset.every).take(dataset.limit.unwrap_or(usize::MAX)).collect();
    let texts = duplicates::texts(&pairs, &pages_dir(dataset))?;
    let mut results = Vec::new();
    for &system in &dataset.systems {
        let started = Instant::now();
        let vectors = match system {
            System::MinhashCosine => Some(duplicates::vectors(&texts, |t| systems.embed(t))?),
            _ => None,
        };
        let predicted = duplicates::predict(&texts, vectors.as_deref(), crate::dedup::Settings::default());
        let mut result = duplicates::score(system.name(), &pairs, &predicted, &opts.bootstrap);
        // Per pair, the cosine of its two texts' vectors.
        result.distribution = vectors.iter().flatten().map(|(a, b)| f64::from(crate::fit::dot(a, b))).collect();
        result.seconds = started.elapsed().as_secs_f64();
        results.push(result);
    }
    Ok(dataset_report(dataset, pairs.len(), results))
}

/// A page read, its gold and what the segmenter found.
struct PageRun {
    gold: GoldPage,
    /// The page's decoded text.
    text: String,
    articles: Vec<Article>,
    /// For each gold article, the index of the predicted article at its boundary.
    matched: Vec<Option<usize>>,
}

fn run_pages(dataset: &Dataset, systems: &dyn Systems, opts: &ScoringOptions) -> Result<DatasetReport, EvalError> {
    let gold_pages = select(annotated::read_pages(&dataset.path)?, dataset, |p: &GoldPage| p.file.as_str());
    let dir = pages_dir(dataset);
    let started = Instant::now();
    let mut pages = Vec::new();
    for gold in gold_pages {
        let path = dir.join(&gold.file);
        let document = read_document(&path)?;
        let articles = crate::split_document(&document).map_err(|err| EvalError::file(&path, None, err.to_string()))?;
        let text = document.text;
        let predicted_starts: Vec<usize> = articles.iter().map(|a| a.span.start).collect();
        let gold_starts: Vec<usize> = gold.articles.iter().map(|a| a.start).collect();
        let matched = match_articles(&gold_starts, &predicted_starts, dataset.tolerance);
        pages.push(PageRun { gold, text, articles, matched });
    }
    let mut results = Vec::new();
    if dataset.systems.contains(&System::Split) {
        let mut split = split_result(&pages, dataset.tolerance, opts);
        split.seconds = started.elapsed().as_secs_f64();
        results.push(split);
    }

    // Summaries and labels of the gold articles, from the predicted article at each boundary.
    let all: Vec<&Article> = pages.iter().flat_map(|p| &p.articles).collect();
    let per_gold = |outputs: &[String]| -> Vec<String> {
        let mut at = 0;
        let mut out = Vec::new();
        for p in &pages {
            out.extend(p.matched.iter().map(|m| m.map_or_else(String::new, |i| outputs[at + i].clone())));
            at += p.articles.len();
        }
        out
    };
    let gold_articles: Vec<&GoldArticle> = pages.iter().flat_map(|p| &p.gold.articles).collect();
    // Each gold article's text, as its page has it.
    let gold_texts: Vec<&str> = pages
        .iter()
        .flat_map(|p| p.gold.articles.iter().map(|a| input::char_span(&p.text, a.start, a.end).unwrap_or_default()))
        .collect();
    let has_summaries = gold_articles.iter().any(|a| !a.summaries.is_empty());
    let has_sections = gold_articles.iter().any(|a| a.section.is_some());
    for &system in dataset.systems.iter().filter(|&&s| s != System::Split) {
        // A method whose half of the gold is missing has nothing to be scored on.
        let summary = matches!(system, System::Summary(_));
        if (summary && !has_summaries) || (!summary && !has_sections) {
            continue;
        }
        let started = Instant::now();
        let mut result = match system {
            System::Summary(method) => {
                let outputs = per_gold(&systems.summarize(method, &all)?);
                let keep: Vec<usize> =
                    (0..gold_articles.len()).filter(|&i| !gold_articles[i].summaries.is_empty()).collect();
                let summaries: Vec<String> = keep.iter().map(|&i| outputs[i].clone()).collect();
                let refs: Vec<&[String]> = keep.iter().map(|&i| gold_articles[i].summaries.as_slice()).collect();
                let mut result = summary_result(system.name(), &summaries, &refs, opts);
                let read: Vec<Read> = keep
                    .iter()
                    .zip(&summaries)
                    .map(|(&i, s)| Read { summary: s, source: gold_texts[i], kind: gold_articles[i].kind.as_deref() })
                    .collect();
                result.metrics.extend(readability(&read, systems.max_chars()));
                result
            }
            _ => {
                let page_articles: Vec<&[Article]> = pages.iter().map(|p| p.articles.as_slice()).collect();
                let labelled = systems.label(system, &page_articles)?;
                let sections = per_gold(&labelled.iter().map(|l| l.0.clone()).collect::<Vec<_>>());
                let keep: Vec<usize> =
                    (0..gold_articles.len()).filter(|&i| gold_articles[i].section.is_some()).collect();
                let predicted: Vec<String> = keep
                    .iter()
                    .map(|&i| if sections[i].is_empty() { NO_LABEL.to_owned() } else { sections[i].clone() })
                    .collect();
                let gold: Vec<String> =
                    keep.iter().map(|&i| gold_articles[i].section.clone().unwrap_or_default()).collect();
                let also: Vec<Vec<String>> = keep.iter().map(|&i| gold_articles[i].also.clone()).collect();
                label_result(system.name(), &predicted, &[], &gold, &also, &systems.sections(), opts)
            }
        };
        result.seconds = started.elapsed().as_secs_f64();
        results.push(result);
    }
    Ok(dataset_report(dataset, gold_articles.len(), results))
}

/// Reads and decodes one page as `jianbao split` does.
fn read_document(path: &Path) -> Result<input::Document, EvalError> {
    input::read_document(path).map_err(|err| EvalError::file(path, None, err.to_string()))
}

/// Compares fields as a reader would: surrounding spaces and the kicker's or deck's dashes off.
fn normal(field: Option<&str>) -> String {
    field.unwrap_or("").trim().trim_matches(['—', '-', ' ', '\u{3000}']).to_owned()
}

fn split_result(pages: &[PageRun], tolerance: usize, opts: &ScoringOptions) -> MethodReport {
    let per_page: Vec<SplitScores> = pages
        .iter()
        .map(|p| {
            let gold: Vec<SplitItem> =
                p.gold.articles.iter().map(|a| SplitItem { start: a.start, headline: a.headline.clone() }).collect();
            let predicted: Vec<SplitItem> =
                p.articles.iter().map(|a| SplitItem { start: a.span.start, headline: a.headline.clone() }).collect();
            let mut s = SplitScores::default();
            s.add_page(&gold, &predicted, tolerance);
            s
        })
        .collect();
    let sum = |ix: &mut dyn Iterator<Item = usize>| {
        let mut total = SplitScores::default();
        ix.for_each(|i| total.absorb(&per_page[i]));
        total
    };
    let total = sum(&mut (0..per_page.len()));
    let b = opts.bootstrap;
    let mut metrics = split_metrics(
        &total,
        b.interval(per_page.len(), |ix| sum(&mut ix.iter().copied()).f1()),
        b.interval(per_page.len(), |ix| sum(&mut ix.iter().copied()).headline_match()),
    );
    metrics.push(Metric { name: "pages.exact".into(), value: ratio(total.pages_exact, total.pages), ci: None });
    // Where the gold records them, the other header fields of the articles found.
    type Field = fn(&GoldArticle, &Article) -> (String, String);
    let fields: [(&str, Field); 4] = [
        ("kicker_match", |g, a| (normal(g.kicker.as_deref()), normal(a.kicker.as_deref()))),
        ("deck_match", |g, a| (normal(g.deck.as_deref()), normal(a.deck.as_deref()))),
        ("byline_match", |g, a| {
            let lines = a.byline.lines.join(" ");
            (normal(g.byline.as_deref()), normal(Some(lines.trim_start_matches(['□', '■', '◎']))))
        }),
        ("dateline_match", |g, a| {
            (normal(g.dateline.as_deref()), normal(a.dateline.as_ref().map(|d| d.text.as_str())))
        }),
    ];
    let annotated: Vec<(&GoldArticle, Option<&Article>)> = pages
        .iter()
        .flat_map(|p| p.gold.articles.iter().zip(&p.matched).map(|(g, m)| (g, m.map(|i| &p.articles[i]))))
        .filter(|(g, _)| g.has_fields)
        .collect();
    if !annotated.is_empty() {
        for (name, field) in fields {
            let right = annotated.iter().filter(|(g, a)| a.is_some_and(|a| field(g, a).0 == field(g, a).1)).count();
            metrics.push(Metric { name: name.into(), value: ratio(right, annotated.len()), ci: None });
        }
    }
    MethodReport {
        method: "split".into(),
        seconds: 0.0,
        metrics,
        labels: None,
        distribution: Vec::new(),
        correct: Vec::new(),
    }
}

/// Boundary F1 (with `f1_ci`), precision and recall, headline match (with `headline_ci`), and
/// articles expected and found.
fn split_metrics(total: &SplitScores, f1_ci: Option<Interval>, headline_ci: Option<Interval>) -> Vec<Metric> {
    vec![
        Metric { name: "boundary.f1".into(), value: total.f1(), ci: f1_ci },
        Metric { name: "boundary.precision".into(), value: total.precision(), ci: None },
        Metric { name: "boundary.recall".into(), value: total.recall(), ci: None },
        Metric { name: "headline_match".into(), value: total.headline_match(), ci: headline_ci },
        Metric { name: "articles.expected".into(), value: total.expected as f64, ci: None },
        Metric { name: "articles.found".into(), value: total.found as f64, ci: None },
    ]
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        n as f64 / d as f64
    }
}

/// One summary as a reader meets it: with the text it summarises and, where annotated, the
/// article's kind.
pub struct Read<'a> {
    pub summary: &'a str,
    pub source: &'a str,
    pub kind: Option<&'a str>,
}

/// What a reader sees at once ([`readable::Defects`]), as shares of the summaries: the
/// commentary frame on an article annotated as not commentary (of those annotated), and its
/// precision and recall where kinds are annotated; a sentence cut off with `……`; an opening
/// that points back; two lines of the source fused; the same thing said twice; a question of
/// its own; over `max_chars`; any of these.
pub fn readability(read: &[Read], max_chars: usize) -> Vec<Metric> {
    let defects: Vec<Defects> =
        read.iter().map(|r| Defects::of(r.summary, r.source, max_chars, r.kind.map(|k| k == "commentary"))).collect();
    let share = |f: fn(&Defects) -> bool| ratio(defects.iter().filter(|d| f(d)).count(), defects.len());
    let metric = |name: &str, value: f64| Metric { name: format!("readable.{name}"), value, ci: None };
    let kinds: Vec<(bool, bool)> =
        read.iter().filter_map(|r| r.kind.map(|k| (k == "commentary", readable::is_framed(r.summary)))).collect();
    let framed_right = kinds.iter().filter(|&&(c, f)| c && f).count();
    let mut out = Vec::new();
    if !kinds.is_empty() {
        let not_commentary = kinds.iter().filter(|k| !k.0).count();
        let framed_wrong = kinds.iter().filter(|&&(c, f)| !c && f).count();
        out.push(metric("frame_on_non_commentary", ratio(framed_wrong, not_commentary)));
        // With nothing framed, no frame is wrong.
        let framed = framed_right + framed_wrong;
        out.push(metric("frame_precision", if framed == 0 { 1.0 } else { ratio(framed_right, framed) }));
        out.push(metric("frame_recall", ratio(framed_right, kinds.iter().filter(|k| k.0).count())));
    }
    out.push(metric("cut_off", share(|d| d.cut_off)));
    out.push(metric("dangling", share(|d| d.dangling)));
    out.push(metric("fused", share(|d| d.fused)));
    out.push(metric("repeated", share(|d| d.repeated)));
    out.push(metric("asks", share(|d| d.asks)));
    out.push(metric("speaker_only", share(|d| d.speaker_only)));
    out.push(metric("over_budget", share(|d| d.over_budget)));
    out.push(metric("defects", share(Defects::any)));
    out
}

/// ROUGE of each summary against its references, averaged, with intervals for the F1s.
pub fn summary_result(method: &str, summaries: &[String], refs: &[&[String]], opts: &ScoringOptions) -> MethodReport {
    let scores: Vec<Rouge> =
        summaries.iter().zip(refs).map(|(s, r)| rouge::score_refs(s, r, opts.tokenizer, opts.aggregate)).collect();
    let mut metrics = Vec::new();
    for (name, pick) in [
        ("rouge1", (|r: &Rouge| r.rouge1) as fn(&Rouge) -> rouge::Prf),
        ("rouge2", |r: &Rouge| r.rouge2),
        ("rougeL", |r: &Rouge| r.rouge_l),
    ] {
        let f1: Vec<f64> = scores.iter().map(|r| pick(r).f1).collect();
        let mean = |v: &[f64]| if v.is_empty() { 0.0 } else { v.iter().sum::<f64>() / v.len() as f64 };
        metrics.push(Metric { name: format!("{name}.f1"), value: mean(&f1), ci: opts.bootstrap.mean(&f1) });
        let p: Vec<f64> = scores.iter().map(|r| pick(r).precision).collect();
        let r: Vec<f64> = scores.iter().map(|r| pick(r).recall).collect();
        metrics.push(Metric { name: format!("{name}.precision"), value: mean(&p), ci: None });
        metrics.push(Metric { name: format!("{name}.recall"), value: mean(&r), ci: None });
    }
    let chars: usize = summaries.iter().map(|s| s.chars().count()).sum();
    metrics.push(Metric { name: "chars.mean".into(), value: ratio(chars, summaries.len()), ci: None });
    let empty = summaries.iter().filter(|s| s.trim().is_empty()).count();
    metrics.push(Metric { name: "empty".into(), value: ratio(empty, summaries.len()), ci: None });
    MethodReport {
        method: method.into(),
        seconds: 0.0,
        metrics,
        labels: None,
        distribution: scores.iter().map(|r| r.rouge_l.f1).collect(),
        correct: Vec::new(),
    }
}

/// Accuracy (strict and lenient), macro-F1, per-class scores and the confusion matrix. Classes
/// are `sections`, then any other label seen in the gold or the predictions.
pub fn label_result(
    method: &str,
    predicted: &[String],
    confidence: &[f64],
    gold: &[String],
    also: &[Vec<String>],
    sections: &[String],
    opts: &ScoringOptions,
) -> MethodReport {
    let mut classes: Vec<String> = sections.to_vec();
    for label in gold.iter().chain(predicted).chain(also.iter().flatten()) {
        if !classes.contains(label) {
            classes.push(label.clone());
        }
    }
    let index = |l: &String| classes.iter().position(|c| c == l).unwrap_or(0);
    let p: Vec<usize> = predicted.iter().map(index).collect();
    let g: Vec<usize> = gold.iter().map(index).collect();
    let a: Vec<Vec<usize>> = also.iter().map(|v| v.iter().map(index).collect()).collect();
    let k = classes.len();
    let scores = score_labels(&p, &g, k);
    let b = opts.bootstrap;
    let pick = |ix: &[usize], v: &[usize]| ix.iter().map(|&i| v[i]).collect::<Vec<_>>();
    let metrics = vec![
        Metric {
            name: "accuracy".into(),
            value: scores.accuracy,
            ci: b.interval(p.len(), |ix| score_labels(&pick(ix, &p), &pick(ix, &g), k).accuracy),
        },
        Metric {
            name: "lenient_accuracy".into(),
            value: lenient_accuracy(&p, &g, &a),
            ci: b.interval(p.len(), |ix| {
                let also: Vec<Vec<usize>> = ix.iter().map(|&i| a.get(i).cloned().unwrap_or_default()).collect();
                lenient_accuracy(&pick(ix, &p), &pick(ix, &g), &also)
            }),
        },
        Metric {
            name: "macro_f1".into(),
            value: scores.macro_f1,
            ci: b.interval(p.len(), |ix| score_labels(&pick(ix, &p), &pick(ix, &g), k).macro_f1),
        },
    ];
    let per_class = classes
        .iter()
        .zip(&scores.per_class)
        .map(|(c, s)| ClassRow {
            class: c.clone(),
            precision: s.precision,
            recall: s.recall,
            f1: s.f1,
            support: s.support,
        })
        .collect();
    MethodReport {
        method: method.into(),
        seconds: 0.0,
        metrics,
        labels: Some(LabelDetail { classes: classes.clone(), per_class, confusion: confusion(&p, &g, k) }),
        distribution: confidence.to_vec(),
        correct: p.iter().zip(&g).map(|(p, g)| p == g).collect(),
    }
}

/// Scores predictions made elsewhere (`digest --format jsonl`, another tool) against a gold
/// file: pages gold (matched by file name and article start within `tolerance`) or rows
/// (matched by `id`). Summaries are scored where both sides have them, labels likewise.
pub fn score_predictions(
    predictions: &Path,
    gold_path: &Path,
    tolerance: usize,
    sections: &[String],
    opts: &ScoringOptions,
) -> Result<Report, EvalError> {
    let preds = predictions::read_predictions(predictions)?;
    let method = predictions.file_stem().map_or_else(|| "predictions".to_owned(), |s| s.to_string_lossy().into_owned());
    let mut report = empty_report("predictions", None, opts);
    // Per gold item: its references, its label and alternatives, and the matched prediction.
    type Item<'p> = (Vec<String>, Option<(String, Vec<String>)>, Option<&'p Prediction>);
    let mut items: Vec<Item> = Vec::new();
    let task;
    let mut extra = Vec::new();
    if annotated::is_pages_gold(gold_path)? {
        task = Task::Pages;
        let pages = annotated::read_pages(gold_path)?;
        let mut split = SplitScores::default();
        for page in &pages {
            let found: Vec<&Prediction> =
                preds.iter().filter(|p| p.file.as_deref() == Some(page.file.as_str())).collect();
            let starts: Vec<usize> = found.iter().map(|p| p.start.unwrap_or(usize::MAX)).collect();
            let gold_starts: Vec<usize> = page.articles.iter().map(|a| a.start).collect();
            let matched = match_articles(&gold_starts, &starts, tolerance);
            let gold_items: Vec<SplitItem> =
                page.articles.iter().map(|a| SplitItem { start: a.start, headline: a.headline.clone() }).collect();
            let pred_items: Vec<SplitItem> = found
                .iter()
                .map(|p| SplitItem {
                    start: p.start.unwrap_or(usize::MAX),
                    headline: p.headline.clone().unwrap_or_default(),
                })
                .collect();
            split.add_page(&gold_items, &pred_items, tolerance);
            for (a, m) in page.articles.iter().zip(matched) {
                items.push((a.summaries.clone(), a.section.clone().map(|s| (s, a.also.clone())), m.map(|p| found[p])));
            }
        }
        extra.push(MethodReport {
            method: "split".into(),
            seconds: 0.0,
            metrics: split_metrics(&split, None, None),
            labels: None,
            distribution: Vec::new(),
            correct: Vec::new(),
        });
    } else {
        task = Task::Labels;
        for row in annotated::read_rows(gold_path)? {
            let m = preds.iter().find(|p| p.id.as_deref() == Some(row.id.as_str()));
            items.push((row.summaries, row.label.map(|l| (l, row.also)), m));
        }
    }
    let with_refs: Vec<_> = items.iter().filter(|i| !i.0.is_empty()).collect();
    if !with_refs.is_empty() && with_refs.iter().any(|i| i.2.is_some_and(|p| p.summary.is_some())) {
        let summaries: Vec<String> =
            with_refs.iter().map(|i| i.2.and_then(|p| p.summary.clone()).unwrap_or_default()).collect();
        let refs: Vec<&[String]> = with_refs.iter().map(|i| i.0.as_slice()).collect();
        let mut r = summary_result(&method, &summaries, &refs, opts);
        r.method = format!("{method} summaries");
        extra.push(r);
    }
    let labelled: Vec<_> = items.iter().filter_map(|i| i.1.as_ref().map(|l| (l, i.2))).collect();
    if !labelled.is_empty() && labelled.iter().any(|(_, p)| p.is_some_and(|p| p.section.is_some())) {
        let predicted: Vec<String> = labelled
            .iter()
            .map(|(_, p)| p.and_then(|p| p.section.clone()).unwrap_or_else(|| NO_LABEL.to_owned()))
            .collect();
        let gold: Vec<String> = labelled.iter().map(|(l, _)| l.0.clone()).collect();
        let also: Vec<Vec<String>> = labelled.iter().map(|(l, _)| l.1.clone()).collect();
        let confidence: Vec<f64> = labelled.iter().filter_map(|(_, p)| p.and_then(|p| p.confidence)).collect();
        let confidence = if confidence.len() == labelled.len() { confidence } else { Vec::new() };
        let mut r = label_result(&method, &predicted, &confidence, &gold, &also, sections, opts);
        r.method = format!("{method} labels");
        extra.push(r);
    }
    if extra.is_empty() {
        return Err(EvalError::file(predictions, None, "nothing to score: no summary or section matches a gold item"));
    }
    report.datasets.push(DatasetReport {
        name: gold_path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned()),
        task: if task == Task::Pages { "pages" } else { "rows" }.to_owned(),
        path: gold_path.display().to_string(),
        items: items.len(),
        tolerance: (task == Task::Pages).then_some(tolerance),
        results: extra,
    });
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majority_is_the_most_frequent_first_on_ties() {
        let g = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(majority(&g(&["a", "b", "b", "c"])), "b");
        assert_eq!(majority(&g(&["a", "b"])), "a");
    }

    #[test]
    fn label_result_counts_unknown_labels_as_classes() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let r = label_result(
            "m",
            &s(&["时政", NO_LABEL, "财经"]),
            &[],
            &s(&["时政", "财经", "时政"]),
            &[vec![], vec![], s(&["财经"])],
            &s(&["时政", "财经"]),
            &ScoringOptions::default(),
        );
        let labels = r.labels.clone().expect("detail");
        assert_eq!(labels.classes, ["时政", "财经", NO_LABEL]);
        assert!((r.metric("accuracy").expect("acc").value - 1.0 / 3.0).abs() < 1e-12);
        assert!((r.metric("lenient_accuracy").expect("lenient").value - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(labels.confusion[1][2], 1, "财经 predicted as nothing");
    }

    #[test]
    fn gains_over_a_baseline_are_paired_and_of_the_same_kind() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let opts = ScoringOptions::default();
        // 40 items: the head is right on 30, tfidf on 20, and tfidf's right ones are among the
        // head's, so the head's gain is 10 items in every resample that draws one of them.
        let gold = s(&["时政"; 40]);
        let answers = |right: usize| s(&(0..40).map(|i| if i < right { "时政" } else { "财经" }).collect::<Vec<_>>());
        let sections = s(&["时政", "财经"]);
        let label = |name: &str, right: usize| label_result(name, &answers(right), &[], &gold, &[], &sections, &opts);
        let refs = [s(&["今天天气很好"]), s(&["明天下雨"])];
        let refs: Vec<&[String]> = refs.iter().map(Vec::as_slice).collect();
        let mut results = vec![
            summary_result("model", &s(&["今天天气很好", "明天"]), &refs, &opts),
            summary_result("lead", &s(&["今天", "后天下雪"]), &refs, &opts),
            label("head", 30),
            label("tfidf", 20),
            label("majority", 40),
        ];
        add_gains(&mut results, opts.bootstrap);
        let gain =
            |method: &str, metric: &str| results.iter().find(|r| r.method == method).unwrap().metric(metric).cloned();
        let head = gain("head", "accuracy.over_tfidf").expect("the head's gain");
        assert!((head.value - 0.25).abs() < 1e-12, "{head:?}");
        let ci = head.ci.expect("an interval");
        // Paired: the gain never goes below 0 in a resample (the head is right wherever tfidf is),
        // where the two accuracies' own intervals overlap.
        assert!(ci.low >= 0.0 && ci.low < 0.25 && ci.high > 0.25, "{ci:?}");
        let own = |method: &str| results.iter().find(|r| r.method == method).unwrap().metric("accuracy").unwrap().ci;
        assert!(own("head").unwrap().low < own("tfidf").unwrap().high);
        assert!((gain("majority", "accuracy.over_tfidf").unwrap().value - 0.5).abs() < 1e-12);
        // The baseline's own gain is 0, with no interval.
        let tfidf = gain("tfidf", "accuracy.over_tfidf").unwrap();
        assert!(tfidf.value == 0.0 && tfidf.ci.is_none(), "{tfidf:?}");
        // Summaries are measured against lead, on ROUGE-L F1, and labels never against it.
        let model = gain("model", "rougeL.f1.over_lead").expect("the model's gain");
        let rouge =
            |method: &str| results.iter().find(|r| r.method == method).unwrap().metric("rougeL.f1").unwrap().value;
        assert!((model.value - (rouge("model") - rouge("lead"))).abs() < 1e-12 && model.value > 0.0, "{model:?}");
        assert!(gain("head", "rougeL.f1.over_lead").is_none() && gain("model", "accuracy.over_tfidf").is_none());
        // Without the baseline, nothing is added.
        let mut alone = vec![label("head", 30)];
        add_gains(&mut alone, opts.bootstrap);
        assert!(alone[0].metric("accuracy.over_tfidf").is_none());
    }
}
