//! Article → section label (时政, 财经, 社会, …) with its probability and the runners-up.
//!
//! The labels and their descriptions come from a labels file ([`Taxonomy`]; the default is
//! `models/sections.toml`, built into the binary). Two classifiers read the encoder's vector of
//! [`input_parts`]:
//! - a trained head ([`head::Head`]): logistic regression on frozen embeddings, mixed with one
//!   on the text's character n-grams ([`lexical`]), trained by `jianbao train`
//!   ([`crate::train::head`]); the head for the default model and taxonomy is built in;
//! - zero-shot ([`ZeroShot`]): similarity between the article and each label's description,
//!   for a labels file without training data.
//!
//! Either way an article's probabilities then lean towards those of the articles around it on
//! its page ([`Options::page_context`]): newspapers lay their pages out by section.

pub mod head;
pub mod lexical;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::fit::dot;
use crate::model::{Encoder, Intent, ModelError};
use crate::segment::Article;

/// The default labels file.
pub const DEFAULT_SECTIONS: &str = include_str!("../../models/sections.toml");

/// The label given where the best probability is under `--min-confidence`.
pub const UNKNOWN: &str = "unknown";

/// Characters of the body's opening that count whole in the classifier's input, each sentence a
/// part of its own, and the most any one part keeps. Chosen on the hand-labelled People's Daily
/// validation pages (`eval/data/peopledaily-sections-val.jsonl`), lenient accuracy: one
/// 80-character part 0.718; one 160-character part 0.747, 240 0.739; each sentence of the first
/// 160 characters a part of its own 0.754 (strict 0.620, against 0.578 for the 80-character part).
pub const OPENING_CHARS: usize = 160;

/// Characters of the body, from its start, whose sentences go into the classifier's input; those
/// after the first [`OPENING_CHARS`] count [`LATER_WEIGHT`] each. The opening says what happened,
/// the next sentences often where and in which field (a ministry, a market, a county's crops).
/// Chosen on the 739 annotated validation articles (`eval/data/peopledaily-annotated-val.jsonl`
/// and `models/data/peopledaily-more-articles.jsonl`), with heads made away from their pages on
/// parts of the same reach, strict / lenient accuracy read alone: 160 characters (the opening
/// alone) 0.710 / 0.901; 480, each later sentence at 0.5, 0.754 / 0.939 (+4.3 points strict,
/// paired 95% interval +2.0 to +6.9), at 0.3 0.742, at 1 0.744; 640 at 0.5 0.752. A head made
/// on the opening alone gained less from the longer input (0.740 at 480 and 0.5). With the later
/// sentences counting less in training too (`train::head::part_weight`), 0.752 / 0.940, and
/// on their pages, as `jianbao label` labels them, 0.755 / 0.951 against 0.731 / 0.917.
/// Checked across months, on the 2,449 articles of `eval/later-months.toml` with heads made away
/// from their pages: 0.694 → 0.734 read alone (+4.0, +2.6 to +5.6), 0.707 → 0.746 on their pages
/// (+3.9, +2.5 to +5.3), lenient 0.902 → 0.934 and 0.911 → 0.944.
pub const BODY_CHARS: usize = 480;

/// The weight of each body sentence after the first [`OPENING_CHARS`] (the headline counts 2,
/// each opening sentence 1); see [`BODY_CHARS`].
pub const LATER_WEIGHT: f32 = 0.5;

#[derive(Debug, thiserror::Error)]
pub enum LabelError {
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("{0}")]
    Other(String),
}

impl LabelError {
    pub fn file(path: &Path, message: impl Into<String>) -> LabelError {
        LabelError::File { path: path.to_owned(), message: message.into() }
    }
}

/// One label of a taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Section {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// A labels file: `[[section]]` tables with `name` and `description`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Taxonomy {
    #[serde(rename = "section")]
    pub sections: Vec<Section>,
}

impl Taxonomy {
    /// The default sections.
    pub fn default_sections() -> Taxonomy {
        Taxonomy::parse(DEFAULT_SECTIONS, Path::new("models/sections.toml")).expect("the built-in labels file parses")
    }

    pub fn load(path: &Path) -> Result<Taxonomy, LabelError> {
        let text = std::fs::read_to_string(path).map_err(|e| LabelError::file(path, e.to_string()))?;
        Taxonomy::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Taxonomy, LabelError> {
        let taxonomy: Taxonomy = toml::from_str(text).map_err(|e| {
            LabelError::file(path, format!("not a labels file ([[section]] with name, description): {}", e.message()))
        })?;
        if taxonomy.sections.len() < 2 {
            return Err(LabelError::file(path, "a labels file needs at least two [[section]] entries"));
        }
        let mut names: Vec<&str> = taxonomy.sections.iter().map(|s| s.name.as_str()).collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(LabelError::file(path, format!("section `{}` is listed twice", w[0])));
        }
        if let Some(s) = taxonomy.sections.iter().find(|s| s.name.trim().is_empty()) {
            return Err(LabelError::file(
                path,
                format!("a section has an empty name (description `{}`)", s.description),
            ));
        }
        Ok(taxonomy)
    }

    pub fn names(&self) -> Vec<String> {
        self.sections.iter().map(|s| s.name.clone()).collect()
    }

    pub fn index(&self, name: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.name == name)
    }
}

/// A section label for one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    /// The most probable section, or `unknown` under the confidence threshold.
    pub section: String,
    /// The most probable section's probability.
    pub confidence: f32,
    /// The three most probable sections, best first.
    pub top: Vec<Scored>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub section: String,
    pub probability: f32,
}

/// What the classifier reads, as separate short texts with weights: the headline (twice the
/// weight of each other part), the kicker, the deck, and each of the body's sentences after the
/// dateline up to [`BODY_CHARS`] characters in all, those after the first [`OPENING_CHARS`] at
/// [`LATER_WEIGHT`]; no part keeps more than [`OPENING_CHARS`] characters. Heads are trained
/// on headlines, so each part is classified on its own, where it looks like what the head
/// learnt from, and the parts' probabilities are averaged; one long concatenation reads as none
/// of them. A newspaper headline often says little of the topic (`担当`, `出征`), which the
/// first sentences carry.
pub fn input_parts(article: &Article) -> Vec<(String, f32)> {
    input_parts_from(article, &crate::sentences::candidates(article))
}

/// [`input_parts`] from the article's [`crate::sentences::candidates`], already found.
pub fn input_parts_from(article: &Article, candidates: &[crate::sentences::Sentence]) -> Vec<(String, f32)> {
    let mut parts = Vec::new();
    let mut push = |text: &str, weight: f32| {
        let text = crate::text::prefix(text.trim().trim_start_matches(['—', '-']).trim(), OPENING_CHARS);
        if !text.is_empty() {
            parts.push((text.to_owned(), weight));
        }
    };
    push(&article.headline, 2.0);
    if let Some(kicker) = &article.kicker {
        push(kicker, 1.0);
    }
    if let Some(deck) = &article.deck {
        push(deck, 1.0);
    }
    let mut used = 0;
    for sentence in candidates {
        if used > 0 && used + sentence.chars > BODY_CHARS {
            break;
        }
        let weight = if used < OPENING_CHARS { 1.0 } else { LATER_WEIGHT };
        used += sentence.chars;
        push(&sentence.text, weight);
    }
    parts
}

/// How [`input_parts`] are built, for head manifests.
pub fn input_description() -> String {
    format!(
        "query: headline (weight 2), kicker, deck and each of the body's sentences (up to {BODY_CHARS} \
         characters in all, those after the first {OPENING_CHARS} at weight {LATER_WEIGHT}; each part at most \
         {OPENING_CHARS}) classified separately, probabilities averaged"
    )
}

/// Turns probabilities over `names` into a [`Label`].
pub fn label_from(names: &[String], probabilities: &[f32], min_confidence: f32) -> Label {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| probabilities[b].total_cmp(&probabilities[a]).then(a.cmp(&b)));
    let best = order[0];
    let confidence = probabilities[best];
    let section = if confidence < min_confidence { UNKNOWN.to_owned() } else { names[best].clone() };
    let top =
        order.iter().take(3).map(|&i| Scored { section: names[i].clone(), probability: probabilities[i] }).collect();
    Label { section, confidence, top }
}

/// Zero-shot labelling: the probability of each label is a softmax over the cosine
/// similarities between the article (`query: `) and the label's name and description
/// (`passage: `), at a temperature that spreads e5's narrow similarity range.
pub struct ZeroShot {
    names: Vec<String>,
    vectors: Vec<Vec<f32>>,
}

/// Softmax temperature for zero-shot similarities, chosen so that the probabilities mean what
/// they say: on 3,170 headlines of the label sets' validation part (every third row) with the
/// default sections, it minimises the negative log-likelihood (2.10 at 0.02, 1.57 at 0.006) and
/// brings the calibration error from 0.39 to 0.04 (mean confidence 0.52, accuracy 0.56). The
/// order of the sections, and so the label, does not depend on it.
pub const ZERO_SHOT_TEMPERATURE: f32 = 0.006;

impl ZeroShot {
    pub fn new(encoder: &dyn Encoder, taxonomy: &Taxonomy) -> Result<ZeroShot, LabelError> {
        let texts: Vec<String> = taxonomy
            .sections
            .iter()
            .map(|s| if s.description.is_empty() { s.name.clone() } else { format!("{}：{}", s.name, s.description) })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        Ok(ZeroShot { names: taxonomy.names(), vectors: encoder.embed(&refs, Intent::Passage)? })
    }

    pub fn probabilities(&self, vector: &[f32]) -> Vec<f32> {
        let logits: Vec<f32> = self.vectors.iter().map(|v| dot(v, vector) / ZERO_SHOT_TEMPERATURE).collect();
        softmax(&logits)
    }
}

pub fn softmax(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = logits.iter().map(|l| (l - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.iter().map(|e| e / sum).collect()
}

/// How much an article's section leans on its neighbours' by default; see
/// [`Options::page_context`]. Chosen on the two People's Daily validation sets together (the
/// 142 hand-labelled articles of `eval/data/peopledaily-sections-val.jsonl` and the 99
/// annotated ones of `eval/data/peopledaily-annotated-val.jsonl`, 241 in all) with the current
/// head, strict / lenient accuracy: 0.718 / 0.892 alone, 0.722 / 0.905 at 0.1, 0.726 / 0.905 at
/// 0.2, 0.718 / 0.896 at 0.3, 0.722 / 0.896 at 0.4. (With the earlier head, trained on
/// headlines only, 0.4 had been best: the better an article's own label, the less its
/// neighbours add.) Neighbours up to 2 articles either side scored the same as 3. Measured
/// again on the 2,449 articles of `eval/later-months.toml`'s pages, with a head made on
/// February 2019 alone: 0.683 / 0.867 alone, 0.692 / 0.872 at 0.1, 0.702 / 0.876 at 0.2, 0.707 /
/// 0.878 at 0.3, 0.706 / 0.869 at 0.4, 0.688 / 0.851 at 0.5; 0.3's half point over 0.2 is within
/// its paired 95% interval (−0.2 to +1.2 points strict), and 0.2 stays.
pub const PAGE_CONTEXT: f32 = 0.2;

/// Neighbours, for [`Options::page_context`]: up to this many articles either side on the same
/// page. About a People's Daily page's worth, without letting a whole issue in one file pull
/// every article towards its commonest section.
pub const PAGE_WINDOW: usize = 3;

/// The temperature of an article's probabilities where it was read in several parts (headline
/// and body): `p^(1/T)`, renormalised. The head is calibrated on headlines (on the CI sample
/// its mean confidence is 0.75 for an accuracy of 0.78), but averaging the parts' probabilities
/// and mixing in the neighbours' flattens them: on the People's Daily validation pages the mean
/// confidence was 0.34 for a strict accuracy of 0.72 (expected calibration error, 10 bins,
/// 0.38). 0.5 minimises the negative log-likelihood there (estimated from the top three
/// probabilities: 1.46 at 1, 1.19 at 0.6, 1.16 at 0.5, 1.18 at 0.4); with it the mean
/// confidence is 0.60 and the calibration error 0.14, and on the test pages, never used to
/// choose, 0.64 for an accuracy of 0.65, error 0.30 → 0.10. The order of the sections, and so
/// the label, does not depend on it.
pub const ARTICLE_TEMPERATURE: f32 = 0.5;

/// `p^(1/temperature)`, renormalised.
fn sharpen(p: &[f32], temperature: f32) -> Vec<f32> {
    let powered: Vec<f32> = p.iter().map(|x| x.powf(1.0 / temperature)).collect();
    let sum: f32 = powered.iter().sum();
    powered.iter().map(|x| x / sum).collect()
}

/// How articles are labelled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Answer [`UNKNOWN`] where the best probability is below this.
    pub min_confidence: f32,
    /// The share of an article's probabilities taken by the mean of its neighbours' on the same
    /// page (up to [`PAGE_WINDOW`] either side); 0 labels each article on its own. A newspaper
    /// lays its pages out by section (a 国际 page, a 体育 page), so an article whose own text
    /// says little (`图片报道`) or sits between two sections (foreign politics: 时政 or 国际)
    /// most likely belongs with its neighbours, while one whose text is clear keeps its own.
    pub page_context: f32,
}

impl Default for Options {
    fn default() -> Options {
        Options { min_confidence: 0.0, page_context: PAGE_CONTEXT }
    }
}

/// `own[i]` mixed with the mean of its neighbours' within [`PAGE_WINDOW`] (articles with
/// nothing to classify left out): `(1 − weight)·own + weight·mean`.
fn with_neighbours(own: &[Option<Vec<f32>>], i: usize, weight: f32) -> Option<Vec<f32>> {
    let mine = own[i].as_ref()?;
    let window = i.saturating_sub(PAGE_WINDOW)..(i + PAGE_WINDOW + 1).min(own.len());
    let neighbours: Vec<&Vec<f32>> = window.filter(|&j| j != i).filter_map(|j| own[j].as_ref()).collect();
    if neighbours.is_empty() || weight == 0.0 {
        return Some(mine.clone());
    }
    let share = weight / neighbours.len() as f32;
    let mut mixed: Vec<f32> = mine.iter().map(|p| (1.0 - weight) * p).collect();
    for n in neighbours {
        mixed.iter_mut().zip(n).for_each(|(m, p)| *m += share * p);
    }
    Some(mixed)
}

/// Labels articles: a trained head or zero-shot, over one taxonomy.
pub enum Labeller {
    Head(Box<head::Head>),
    ZeroShot(ZeroShot),
    /// A head's lexical part alone ([`lexical`]): a logistic regression on the text's
    /// TF-IDF-weighted character 1–3-grams, trained on the head's own data. It reads no vector:
    /// it is what the simplest peer of the encoder would do, shown beside the head (`tfidf`).
    Lexical {
        names: Vec<String>,
        lexical: Box<lexical::Lexical>,
    },
}

impl Labeller {
    /// `head` as a labeller, checked as every command that labels with one checks it: trained
    /// on `encoder`'s vectors and, where the sections are given (a labels file, or the sections
    /// an evaluation scores), for those sections, in their order.
    pub fn head(head: head::Head, encoder: &dyn Encoder, sections: Option<&Taxonomy>) -> Result<Labeller, LabelError> {
        head.check_encoder(encoder)?;
        if let Some(taxonomy) = sections {
            if taxonomy.names() != head.labels() {
                return Err(LabelError::Other(format!(
                    "the head's labels ({}) are not the sections' ({}); train a head on them with `jianbao train`",
                    head.labels().join(" "),
                    taxonomy.names().join(" ")
                )));
            }
        }
        Ok(Labeller::Head(Box::new(head)))
    }

    /// The lexical part of `head` as a labeller of its own ([`Labeller::Lexical`]); an error
    /// where the head has none (one trained with `--no-lexical`).
    pub fn lexical(head: &head::Head) -> Result<Labeller, LabelError> {
        let lexical = head
            .lexical()
            .ok_or_else(|| LabelError::Other("the head has no lexical part (trained with --no-lexical)".to_owned()))?;
        Ok(Labeller::Lexical { names: head.labels().to_vec(), lexical: Box::new(lexical.clone()) })
    }

    pub fn names(&self) -> &[String] {
        match self {
            Labeller::Head(h) => h.labels(),
            Labeller::ZeroShot(z) => &z.names,
            Labeller::Lexical { names, .. } => names,
        }
    }

    /// Probabilities over [`Labeller::names`] for each text (one of [`input_parts`]).
    pub fn probabilities(&self, encoder: &dyn Encoder, texts: &[&str]) -> Result<Vec<Vec<f32>>, LabelError> {
        // The lexical labeller reads the characters alone: nothing to embed.
        let vectors = match self {
            Labeller::Lexical { .. } => vec![Vec::new(); texts.len()],
            Labeller::Head(_) | Labeller::ZeroShot(_) => encoder.embed(texts, Intent::Query)?,
        };
        Ok(vectors
            .iter()
            .zip(texts)
            .map(|(v, text)| match self {
                Labeller::Head(h) => h.probabilities(v, text),
                Labeller::ZeroShot(z) => z.probabilities(v),
                Labeller::Lexical { lexical, .. } => softmax(&lexical.logits(text)),
            })
            .collect())
    }

    /// One label per article of `pages`, in order; each page's articles in page order, so that
    /// each can lean on its neighbours ([`Options::page_context`]). Rows of a JSON Lines file
    /// or texts of their own are pages of one article.
    pub fn label(
        &self,
        encoder: &dyn Encoder,
        pages: &[&[Article]],
        options: Options,
    ) -> Result<Vec<Label>, LabelError> {
        let articles: Vec<&Article> = pages.iter().flat_map(|p| p.iter()).collect();
        let parts: Vec<Vec<(String, f32)>> = articles.iter().map(|a| input_parts(a)).collect();
        self.label_parts(encoder, pages, &parts, options)
    }

    /// [`Labeller::label`] with each article's [`input_parts`] already made, in the order of
    /// the pages' articles. An article without parts leans on its neighbours alone, or gets
    /// even odds.
    pub fn label_parts(
        &self,
        encoder: &dyn Encoder,
        pages: &[&[Article]],
        parts: &[Vec<(String, f32)>],
        options: Options,
    ) -> Result<Vec<Label>, LabelError> {
        let own = self.article_probabilities(encoder, parts)?;
        let k = self.names().len();
        let mut out = Vec::with_capacity(parts.len());
        let mut at = 0;
        for page in pages {
            let own = &own[at..at + page.len()];
            for i in 0..own.len() {
                let probabilities = match with_neighbours(own, i, options.page_context) {
                    Some(p) if parts[at + i].len() > 1 => sharpen(&p, ARTICLE_TEMPERATURE),
                    Some(p) => p,
                    None => vec![1.0 / k as f32; k],
                };
                out.push(label_from(self.names(), &probabilities, options.min_confidence));
            }
            at += page.len();
        }
        Ok(out)
    }

    /// Each article's own probabilities: the weighted mean over its [`input_parts`]; `None`
    /// for an article with nothing to classify.
    fn article_probabilities(
        &self,
        encoder: &dyn Encoder,
        parts: &[Vec<(String, f32)>],
    ) -> Result<Vec<Option<Vec<f32>>>, LabelError> {
        let texts: Vec<&str> = parts.iter().flatten().map(|(t, _)| t.as_str()).collect();
        let probabilities = self.probabilities(encoder, &texts)?;
        let k = self.names().len();
        let mut at = 0;
        let mut out = Vec::with_capacity(parts.len());
        for article_parts in parts {
            if article_parts.is_empty() {
                out.push(None);
                continue;
            }
            let mut mean = vec![0f32; k];
            let total: f32 = article_parts.iter().map(|(_, w)| w).sum();
            for ((_, weight), p) in article_parts.iter().zip(&probabilities[at..]) {
                mean.iter_mut().zip(p).for_each(|(m, p)| *m += weight * p / total);
            }
            at += article_parts.len();
            out.push(Some(mean));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_classifier_reads_the_headline_and_the_bodys_sentences_the_later_ones_lighter() {
        let long = |what: &str| {
            format!("{what}新落地6个30亿元项目，{}各项工作取得新成效。", "一批城市建设项目加快推进，".repeat(12))
        };
        let (first, second, third) = (long("北岭"), long("南岭"), long("西岭"));
        let page = format!(
            "市北：以强作风促落实\n\n本报记者 张三\n\n　　本报11月14日讯 今年以来，市北区扎实推进城市更新。全区固投增速15%。\
             {first}{second}{third}\n"
        );
        let article = crate::segment::split(&page).remove(0);
        let parts = input_parts(&article);
        let texts: Vec<&str> = parts.iter().map(|(t, _)| t.as_str()).collect();
        let cut = |s: &str| crate::text::prefix(s, OPENING_CHARS).to_owned();
        // Each part keeps at most OPENING_CHARS; the fifth sentence would pass BODY_CHARS and is
        // left out.
        assert_eq!(
            texts,
            [
                "市北：以强作风促落实",
                "今年以来，市北区扎实推进城市更新。",
                "全区固投增速15%。",
                &cut(&first),
                &cut(&second)
            ]
        );
        // The headline counts double, the sentences that start within the opening once, the
        // later ones LATER_WEIGHT.
        let weights: Vec<f32> = parts.iter().map(|(_, w)| *w).collect();
        assert_eq!(weights, [2.0, 1.0, 1.0, 1.0, LATER_WEIGHT]);
    }

    #[test]
    fn an_article_leans_on_neighbours_within_the_window() {
        let (a, b) = (Some(vec![0.8, 0.2]), Some(vec![0.1, 0.9]));
        // Alone on its page, or with no weight given to the page, an article keeps its own.
        assert_eq!(with_neighbours(std::slice::from_ref(&a), 0, 0.4), a);
        assert_eq!(with_neighbours(&[a.clone(), b.clone()], 0, 0.0), a);
        // (1 − 0.5)·own + 0.5·mean of the neighbours.
        let mixed = with_neighbours(&[a.clone(), b.clone(), b.clone()], 0, 0.5).unwrap();
        assert!((mixed[0] - 0.45).abs() < 1e-6 && (mixed[1] - 0.55).abs() < 1e-6, "{mixed:?}");
        // Articles with nothing to classify are no neighbours, and get nothing of their own.
        assert_eq!(with_neighbours(&[a.clone(), None], 0, 0.5), a);
        assert_eq!(with_neighbours(&[a.clone(), None], 1, 0.5), None);
        // Beyond PAGE_WINDOW articles away, a page's far end does not count.
        let mut page = vec![a.clone()];
        page.extend(std::iter::repeat_n(None, PAGE_WINDOW));
        page.push(b.clone());
        assert_eq!(with_neighbours(&page, 0, 0.5), a);
    }

    #[test]
    fn sharpening_keeps_the_order_and_the_total() {
        let p = [0.5, 0.3, 0.2];
        let s = sharpen(&p, 0.5);
        assert!((s.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!(s[0] > 0.5 && s[0] > s[1] && s[1] > s[2], "{s:?}");
        assert!((s[0] - 0.25 / 0.38).abs() < 1e-6);
        assert_eq!(sharpen(&p, 1.0), p);
    }

    #[test]
    fn the_default_taxonomy_has_sixteen_described_sections() {
        let t = Taxonomy::default_sections();
        assert_eq!(t.sections.len(), 16);
        assert!(t.sections.iter().all(|s| !s.description.is_empty()));
        assert_eq!(t.index("农业"), Some(10));
    }

    #[test]
    fn bad_labels_files_are_refused() {
        let path = Path::new("x.toml");
        assert!(Taxonomy::parse("[[section]]\nname = \"a\"\n", path).is_err());
        let twice = "[[section]]\nname = \"a\"\n[[section]]\nname = \"a\"\n";
        assert!(Taxonomy::parse(twice, path).unwrap_err().to_string().contains("twice"));
        assert!(Taxonomy::parse("section = 3", path).unwrap_err().to_string().starts_with("x.toml: "));
    }

    #[test]
    fn labels_report_the_top_three_and_the_threshold() {
        let names: Vec<String> = ["时政", "财经", "社会", "农业"].iter().map(|s| s.to_string()).collect();
        let label = label_from(&names, &[0.1, 0.6, 0.2, 0.1], 0.5);
        assert_eq!(label.section, "财经");
        assert_eq!(label.top.iter().map(|s| s.section.as_str()).collect::<Vec<_>>(), ["财经", "社会", "时政"]);
        assert_eq!(label_from(&names, &[0.1, 0.4, 0.3, 0.2], 0.5).section, UNKNOWN);
    }

    /// An encoder that must not be asked: the lexical labeller reads characters only.
    struct Refusing;

    impl Encoder for Refusing {
        fn id(&self) -> &str {
            "refusing"
        }

        fn dim(&self) -> usize {
            2
        }

        fn embed(&self, _: &[&str], _: Intent) -> Result<Vec<Vec<f32>>, ModelError> {
            Err(ModelError::new(crate::model::Phase::Inference, "the lexical labeller embedded a text"))
        }
    }

    /// A two-label head whose encoder half prefers `b` and whose lexical half says `a` for
    /// texts with 港 and `b` otherwise.
    fn head(with_lexical: bool) -> head::Head {
        let manifest = head::Manifest {
            encoder: "refusing".into(),
            dim: 2,
            labels: vec!["a".into(), "b".into()],
            input: String::new(),
            lexical: None,
            training: serde_json::Value::Null,
        };
        let head = head::Head::new(manifest, vec![0.0, 0.0, 1.0, 1.0], vec![0.0, 0.0]).expect("a head");
        if !with_lexical {
            return head;
        }
        let buckets = 64;
        let mut weight = vec![0.0; buckets * 2];
        for (bucket, _) in lexical::counts("港", buckets) {
            weight[bucket * 2] = 20.0;
        }
        let lexical = lexical::Lexical::new(buckets, vec![1.0; buckets], weight, vec![0.0, 0.5]).expect("lexical");
        head.with_lexical(lexical, 0.5).expect("same labels")
    }

    #[test]
    fn the_tfidf_labeller_is_the_heads_lexical_part_alone() {
        let full = head(true);
        let tfidf = Labeller::lexical(&full).expect("the head has a lexical part");
        assert_eq!(tfidf.names(), ["a", "b"]);
        let texts = ["港股大涨", "市里开会"];
        let p = tfidf.probabilities(&Refusing, &texts).expect("no vector needed");
        for (p, text) in p.iter().zip(texts) {
            assert_eq!(*p, softmax(&full.lexical_logits(text).expect("lexical")));
        }
        assert!(p[0][0] > 0.9 && p[1][1] > 0.5, "{p:?}");
        // The head itself mixes in its encoder half, which prefers `b`.
        assert!(full.probabilities(&[1.0, 0.0], texts[0])[0] < p[0][0]);
        let err = Labeller::lexical(&head(false)).err().expect("no lexical part");
        assert!(err.to_string().contains("no lexical part"), "{err}");
    }
}
