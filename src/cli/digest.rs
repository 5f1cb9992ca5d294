//! `jianbao digest`, `summarize` and `label`: the commands that read articles with the
//! encoder. Their flags become the [`Stages`] to run; pages go through the library's batch
//! pipeline ([`crate::batch::run`], shown on the console by [`super::batch`]): read and split as
//! by `split`, their articles gathered into batches of several pages so that the encoder sees
//! many sentences at once, then written in input order.

use anyhow::{bail, Context};

use super::args::{BatchArgs, DigestArgs, LabelArgs, LabelOptions, OutputArgs, SummarizeArgs, SummaryArgs};
use super::batch::{self, BatchSetup};
use super::{check_share, open_output, InputArgs, Outcome};
use crate::label::head::Head;
use crate::label::{self, Labeller, Taxonomy, ZeroShot};
use crate::model::{CandleEncoder, Encoder};
use crate::output::{self, DigestPage, Page};
use crate::segment::{self, Article};
use crate::stages::{Results, Stages};
use crate::summarize::learnt::SummaryModel;
use crate::summarize::{Budget, Method, Summarizer};

impl SummaryArgs {
    fn budget(&self) -> anyhow::Result<Budget> {
        if self.max_chars == 0 {
            bail!("--max-chars must be at least 1");
        }
        if self.sentences == Some(0) {
            bail!("--sentences must be at least 1");
        }
        Ok(Budget { max_chars: self.max_chars, sentences: self.sentences })
    }

    /// The summary model --summary-model names, read before the model loads.
    fn summary_model(&self) -> anyhow::Result<Option<SummaryModel>> {
        Ok(self.summary_model.as_deref().map(SummaryModel::load).transpose()?)
    }

    /// The summarizer these options ask for. A summary model from --summary-model must have been fitted on
    /// the encoder's vectors; the built-in one (fitted on e5-small's) serves any encoder, its
    /// features being similarities, places and lengths, but frames commentary on e5-small's
    /// vectors only.
    fn summarizer(
        &self,
        budget: Budget,
        summary_model: Option<SummaryModel>,
        encoder: Option<&dyn Encoder>,
    ) -> anyhow::Result<Summarizer> {
        let mut summarizer = Summarizer::new(self.method, budget);
        summarizer.frame_commentary = !self.extractive;
        if let Some(summary_model) = summary_model {
            if let (Some(encoder), Some(path)) = (encoder, &self.summary_model) {
                summary_model.check_encoder(encoder.id()).map_err(|m| anyhow::anyhow!("{}: {m}", path.display()))?;
            }
            summarizer.model = summary_model;
        } else if let Some(encoder) = encoder {
            summarizer.model = SummaryModel::builtin_for(encoder.id());
        }
        Ok(summarizer)
    }
}

impl LabelOptions {
    /// The labeller these options ask for, checked against the encoder.
    fn labeller(&self, encoder: &dyn Encoder) -> anyhow::Result<Labeller> {
        let taxonomy = match &self.labels {
            Some(path) => Some(Taxonomy::load(path)?),
            None => None,
        };
        if self.zero_shot {
            let taxonomy = taxonomy.unwrap_or_else(Taxonomy::default_sections);
            return Ok(Labeller::ZeroShot(ZeroShot::new(encoder, &taxonomy)?));
        }
        let head = match &self.head {
            Some(dir) => Head::load(dir)?,
            None if taxonomy.is_some() => {
                bail!("--labels needs --zero-shot, or a --head trained on those labels (`jianbao train`)")
            }
            None => Head::builtin_for(encoder.id()),
        };
        Ok(Labeller::head(head, encoder, taxonomy.as_ref())?)
    }

    /// The labelling options, checked; called before the model loads, so that bad values fail
    /// at once.
    fn options(&self) -> anyhow::Result<label::Options> {
        check_share("--min-confidence", self.min_confidence)?;
        check_share("--page-context", self.page_context)?;
        Ok(label::Options { min_confidence: self.min_confidence, page_context: self.page_context })
    }
}

/// Runs `stages` over the pages of `input` (through the batch pipeline, each article within
/// --article-timeout, looking for copies of earlier stories where `duplicates` says how) or
/// over `texts`.
fn process(
    input: &InputArgs,
    texts: &[String],
    mut stages: Stages<'_>,
    output: &OutputArgs,
    batch_args: &BatchArgs,
    duplicates: Option<crate::dedup::Settings>,
) -> anyhow::Result<Outcome> {
    let opts = input.options()?;
    let timeout = batch_args.article_timeout()?;
    if texts.is_empty() {
        stages.timeout = timeout;
        let run = BatchSetup { opts: &opts, output, batch: batch_args, stages: &stages, duplicates };
        return batch::process(&input.sources(), &run);
    }
    // A few texts from the command line: one batch, no pipeline.
    let mut articles = Vec::new();
    let mut failed = 0;
    for (i, text) in texts.iter().enumerate() {
        match segment::single(text, None) {
            Some(article) => articles.push((format!("--text {}", i + 1), article)),
            None => {
                failed += 1;
                if !output.quiet {
                    eprintln!("jianbao: --text {}: no text", i + 1);
                }
            }
        }
    }
    let pages: Vec<&[Article]> = articles.iter().map(|(_, a)| std::slice::from_ref(a)).collect();
    let Results { summaries, labels, .. } = stages.run(&pages)?;
    let (out, name) = open_output(output.out.as_deref())?;
    let mut writer = output::writer(output.format, out);
    for (i, (source, article)) in articles.iter().enumerate() {
        let page = Page {
            source,
            id: None,
            date: None,
            page_number: None,
            encoding: "utf-8",
            articles: std::slice::from_ref(article),
        };
        let digest = DigestPage {
            page,
            of: 1,
            summaries: summaries.as_deref().map(|s| &s[i..i + 1]),
            labels: labels.as_deref().map(|l| &l[i..i + 1]),
            duplicates: None,
        };
        writer.digest(&digest).with_context(|| format!("{name}: cannot write"))?;
    }
    writer.finish().with_context(|| format!("{name}: cannot write"))?;
    Ok(if failed > 0 { Outcome::Partial } else { Outcome::Done })
}

pub fn digest(args: DigestArgs) -> anyhow::Result<Outcome> {
    args.input.options()?; // bad flags fail before the model loads
    let budget = args.summary.budget()?;
    let options = args.label.options()?;
    let summary_model = args.summary.summary_model()?;
    let encoder = args.model.load()?;
    let labeller = args.label.labeller(&encoder)?;
    let stages = Stages {
        summarizer: Some(args.summary.summarizer(budget, summary_model, Some(&encoder))?),
        labeller: Some((&labeller, options)),
        encoder: Some(&encoder),
        timeout: None,
    };
    process(&args.input, &args.text, stages, &args.output, &args.batch, Some(crate::dedup::Settings::default()))
}

pub fn summarize(args: SummarizeArgs) -> anyhow::Result<Outcome> {
    args.input.options()?; // bad flags fail before the model loads
    let budget = args.summary.budget()?;
    let summary_model = args.summary.summary_model()?;
    // The baselines need no model: do not load (or fetch) one for them.
    let encoder: Option<CandleEncoder> =
        if args.summary.method == Method::Model { Some(args.model.load()?) } else { None };
    let encoder = encoder.as_ref().map(|e| e as &dyn Encoder);
    let summarizer = args.summary.summarizer(budget, summary_model, encoder)?;
    let stages = Stages { summarizer: Some(summarizer), labeller: None, encoder, timeout: None };
    process(&args.input, &args.text, stages, &args.output, &args.batch, None)
}

pub fn label(args: LabelArgs) -> anyhow::Result<Outcome> {
    args.input.options()?; // bad flags fail before the model loads
    let options = args.label.options()?;
    let encoder = args.model.load()?;
    let labeller = args.label.labeller(&encoder)?;
    let stages =
        Stages { summarizer: None, labeller: Some((&labeller, options)), encoder: Some(&encoder), timeout: None };
    process(&args.input, &args.text, stages, &args.output, &args.batch, None)
}
