//! Article → short extractive summary: a few of the article's own sentences, in article order,
//! under a length budget.
//!
//! Three methods pick the sentences ([`Method`]): `model` ranks them with the encoder ([`ranked`]),
//! `lead` takes the first ones ([`lead`]), `textrank` ranks them on a graph of shared character
//! bigrams ([`textrank`]); the baselines exist so that every evaluation can show what the model
//! adds. All three draw from the same [`candidates`] (the body's sentences without bylines,
//! datelines and credits, found by [`crate::sentences`]) and fill the same [`Budget`].

pub mod clauses;
pub mod commentary;
pub mod compress;
pub mod lead;
pub mod learnt;
pub mod ranked;
pub mod readable;
pub mod scorer;
pub mod textrank;
pub mod tighten;
pub mod words;

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::model::{Encoder, ModelError};
use crate::segment::Article;
use crate::sentences::{candidates, Sentence};
use crate::text::{self, char_len};

/// How the sentences of a summary are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Score sentences with a model learnt from hand-written summaries, on the encoder's
    /// similarities (to the article, to the headline), place, length and redundancy.
    #[default]
    Model,
    /// The first sentences after the dateline.
    Lead,
    /// TextRank on a graph of shared character bigrams.
    Textrank,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Model => "model",
            Method::Lead => "lead",
            Method::Textrank => "textrank",
        }
    }
}

/// Default length budget in characters, measured on the CLTS samples (long articles with
/// ~70-character editor summaries; see [`ranked::EmbedLimits`]): 80 and 60 score within a point of
/// each other and above 100, 120 and 150; 80 keeps room for a newspaper's long first sentence.
pub const DEFAULT_MAX_CHARS: usize = 80;

/// How long a summary may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// At most this many characters.
    pub max_chars: usize,
    /// Exactly this many sentences (fewer where the article is short), instead of filling
    /// `max_chars`.
    pub sentences: Option<usize>,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget { max_chars: DEFAULT_MAX_CHARS, sentences: None }
    }
}

/// A summary: its text and which candidates (indices into [`candidates`]) it is made of.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    pub text: String,
    #[serde(skip)]
    pub sentences: Vec<usize>,
}

/// Texts shorter than this many character budgets get a one-sentence summary. Chosen on LCSTS
/// PART II val (posts of about 110 characters, headline as reference): ROUGE-L F1 of the model
/// method 20.73 with the half-length rule alone, 21.57 with one sentence; long articles (CLTS,
/// People's Daily) are not affected.
pub const SHORT_TEXT_BUDGETS: usize = 2;

/// Chooses sentences in the order of `ranking` (best first) until the budget is full, and
/// returns them in article order.
///
/// The best sentence always goes in; one longer than `max_chars` is cut after its last clause
/// that fits and can end a sentence, as a sentence of its own (`……` only where no such clause
/// fits; the model method then keeps the run of its clauses that its trimmer rates best, see
/// [`trim_sentence_over_budget`]). The budget then
/// adapts to short texts: a text shorter than [`SHORT_TEXT_BUDGETS`] budgets gets its best
/// sentence alone (a 110-character post gets one sentence; the model method then picks the
/// run of clauses it rates best, of any of its sentences, see [`tighten`]), and a summary takes
/// at most half of the article's characters and never all its sentences, so no text is given
/// back as its own summary; a one-sentence text gets its first clauses, or itself where it has
/// no clause break to cut at.
pub fn fill(candidates: &[Sentence], ranking: &[usize], budget: Budget) -> Summary {
    let Some(&best) = ranking.first() else {
        return Summary::default();
    };
    if candidates.len() == 1 {
        // Its first clauses, up to half of it; a sentence without a clause break to cut at
        // (`今天天气很好。`) has nothing shorter to give, and is kept whole within the budget.
        let text = &candidates[best].text;
        let half = (char_len(text) / 2).max(1);
        let text = cut_after_fitting_clause(text, half.min(budget.max_chars))
            .unwrap_or_else(|| cut_to_fit(text, budget.max_chars));
        return Summary { text, sentences: vec![best] };
    }
    if candidates[best].chars > budget.max_chars {
        return Summary { text: cut_to_fit(&candidates[best].text, budget.max_chars), sentences: vec![best] };
    }
    let wanted = wanted_sentences(candidates, budget);
    let limit = match budget.sentences {
        Some(_) => budget.max_chars,
        None => budget.max_chars.min(candidates.iter().map(|s| s.chars).sum::<usize>() / 2),
    };
    let mut chosen = vec![best];
    let mut used = candidates[best].chars;
    for &i in &ranking[1..] {
        if chosen.len() >= wanted {
            break;
        }
        if used + candidates[i].chars <= limit {
            chosen.push(i);
            used += candidates[i].chars;
        }
    }
    chosen.sort_unstable();
    let text = chosen.iter().map(|&i| candidates[i].text.as_str()).collect();
    Summary { text, sentences: chosen }
}

/// How many sentences a summary of `candidates` may have at most: `--sentences N` (never all of
/// them), else one for a text shorter than [`SHORT_TEXT_BUDGETS`] budgets (a post or a brief),
/// else as many as fit.
pub fn wanted_sentences(candidates: &[Sentence], budget: Budget) -> usize {
    let most = candidates.len().saturating_sub(1).max(1);
    match budget.sentences {
        Some(n) => n.clamp(1, most),
        None => {
            if is_short(candidates, budget.max_chars) {
                1
            } else {
                most
            }
        }
    }
}

/// A sentence's opening clause that only says, vaguely, when the rest happened, or on whose
/// word: `近日，`, `今年以来，`, `据新华社报道，`. A summary of a few dozen characters spends them
/// better on what happened. A date (`1月31日上午，`) stays: summaries keep dates.
static OPENING_CIRCUMSTANCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:近日|日前|近期|目前|当前|眼下|如今|近年来|今年以来|去年以来|连日来|此前|当天|当日|前不久|不久前|据[^，。；：“”]{1,16}(?:报道|消息|介绍|统计|了解|显示))[，,]\s*",
    )
    .expect("opening circumstance pattern")
});

/// A sentence's opening connective, which ties it to the sentence before (`同时，`, `此外，`,
/// `因此，`), the dash that hands it a quotation before (`——全国政协委员李景虹…表示，…` after
/// `“传染病防控没有‘局外人’。”`), the label of the column's paragraph it opens (`【现象】`,
/// `【故事】`), or the number of the list item it opens (`一、`, `（二）`, `3、`, a statute's
/// `第一条　`): a summary's sentence stands alone, so it goes.
static OPENING_CONNECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:——|【[^【】，。]{{1,8}}】|{}|第[一二三四五六七八九十百零〇]+条[\s　]+|(?:同时|与此同时|此外|另外|除此之外|另一方面|因此|所以|对此|为此|然而|不过|但是|而且|并且|首先|其次|再次|最后|总之)[，,])\s*",
        crate::text::LIST_NUMBER
    ))
    .expect("opening connective pattern")
});

/// A trimmed sentence keeps at least this many characters.
const MIN_TRIMMED_CHARS: usize = 12;

/// A caption keeps at least this many characters once `图为` comes off it.
const MIN_CAPTION_CHARS: usize = 6;

/// `sentence` without the `图为` ("the picture shows") that opens a caption of a deed, a picture the
/// summary's reader does not have (`图为村民在参加打糍粑比赛。` says `村民在参加打糍粑比赛。`; a caption that only names a
/// thing, [`readable::names_a_picture`], points at it and keeps it), without an opening connective
/// ([`OPENING_CONNECTIVE`]) and an opening clause that only gives its time or its source
/// ([`OPENING_CIRCUMSTANCE`]), where enough is left.
pub fn drop_vague_opening(sentence: &str) -> &str {
    let mut rest = match sentence.strip_prefix("图为") {
        Some(caption) if char_len(caption) >= MIN_CAPTION_CHARS && !readable::names_a_picture(sentence) => caption,
        _ => sentence,
    };
    for pattern in [&OPENING_CONNECTIVE, &OPENING_CIRCUMSTANCE] {
        match pattern.find(rest) {
            Some(m) if m.end() > 0 && char_len(&rest[m.end()..]) >= MIN_TRIMMED_CHARS => rest = &rest[m.end()..],
            _ => {}
        }
    }
    rest
}

/// A bracketed aside that only serves the article's later text or its layout: the short name
/// it will use (`（以下简称《条例》）`, `（简称“盖茨基金会”）`), a pointer to a picture
/// (`（见图，资料照片）`, `（见上图）`, `（上图，资料图片）`), or where someone stands in it
/// (`传承人胡新明（右）`, `选手孙智博（前）`, `（左二）`, `（前排右一）`). A summary has no later
/// text and no picture; it spends the characters better.
static ASIDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"[（(](?:(?:以下简称|以下称|下称|简称|见[上下左右]?图|[上下左右]图|图为|资料照片|本报资料照片)[^（）()]{0,30}|",
        r"(?:前排|后排|中排)?(?:左|右|中|前|后|居中|中间)(?:起)?(?:第?[一二三四五六七八九十\d])?)[）)]"
    ))
    .expect("aside pattern")
});

/// `sentence` without its asides ([`ASIDE`]).
fn drop_asides(sentence: &str) -> std::borrow::Cow<'_, str> {
    ASIDE.replace_all(sentence, "")
}

/// The sentences as a summary shows them: [`drop_vague_opening`] and [`drop_asides`] applied.
pub fn as_shown(sentences: &[Sentence]) -> Vec<Sentence> {
    sentences
        .iter()
        .map(|s| {
            let text = drop_asides(drop_vague_opening(&s.text)).into_owned();
            Sentence { chars: char_len(&text), text, ..s.clone() }
        })
        .collect()
}

/// Whether a text of these sentences is shorter than [`SHORT_TEXT_BUDGETS`] budgets of
/// `max_chars`: a post or a brief, which gets one sentence.
pub fn is_short(candidates: &[Sentence], max_chars: usize) -> bool {
    candidates.iter().map(|s| s.chars).sum::<usize>() < SHORT_TEXT_BUDGETS * max_chars
}

/// `text` within `max_chars` characters: itself where it fits, else cut after its last clause that
/// fits and can end a sentence ([`cut_after_fitting_clause`]). Only where no such clause fits is it
/// cut in the middle, at `max_chars` with `……` (two characters, counted) in place of the rest; a
/// budget too small for the `……` gets the first characters alone.
pub fn cut_to_fit(text: &str, max_chars: usize) -> String {
    cut_after_fitting_clause(text, max_chars).unwrap_or_else(|| {
        if max_chars < 2 {
            return text.chars().take(max_chars).collect();
        }
        let mut out: String = text.chars().take(max_chars.saturating_sub(2)).collect();
        out.push_str("……");
        out
    })
}

/// `text` cut after its last clause that fits in `max_chars` with a [`clauses::RUN_END`], can
/// end a sentence ([`clauses::can_end`]) and leaves no quotation or bracket open
/// ([`clauses::balanced`]), as a sentence of its own; `text` itself where it fits; `None` where
/// no such clause fits.
fn cut_after_fitting_clause(text: &str, max_chars: usize) -> Option<String> {
    if char_len(text) <= max_chars {
        return Some(text.to_owned());
    }
    let pieces = text::clauses(text);
    let mut run = String::new();
    let mut cut = None;
    for piece in &pieces[..pieces.len().saturating_sub(1)] {
        run.push_str(piece);
        let shown = text::trim(run.trim_end_matches(text::CLAUSE_BREAKS));
        if char_len(shown) + 1 > max_chars {
            break;
        }
        if clauses::can_end(piece) && clauses::balanced(shown) && shown.chars().any(text::is_han) {
            cut = Some(format!("{shown}{}", clauses::RUN_END));
        }
    }
    cut
}

/// Summarises articles with one method; `model` needs an encoder.
#[derive(Debug, Clone)]
pub struct Summarizer {
    pub method: Method,
    pub budget: Budget,
    /// How many of each article's sentences the model method embeds.
    pub embed_limits: ranked::EmbedLimits,
    pub model: learnt::SummaryModel,
    /// Whether the model method opens a commentary's summary with `文章认为，`
    /// ([`commentary`]); without it, or with an encoder other than the one the summary model
    /// was fitted on, every summary is the article's own sentences.
    pub frame_commentary: bool,
}

impl Summarizer {
    /// A summarizer with the built-in summary model.
    pub fn new(method: Method, budget: Budget) -> Summarizer {
        Summarizer {
            method,
            budget,
            embed_limits: ranked::EmbedLimits::default(),
            model: learnt::SummaryModel::builtin(),
            frame_commentary: true,
        }
    }

    /// One summary per article. The model method embeds the sentences of all `articles` in one
    /// call, so that the encoder gets full batches; the baselines ignore `encoder`. An article
    /// with no body text (a headline alone, a photo page) is summarised by its heading.
    pub fn summarize(&self, encoder: Option<&dyn Encoder>, articles: &[&Article]) -> Result<Vec<Summary>, ModelError> {
        let candidates: Vec<Vec<Sentence>> = articles.iter().map(|a| candidates(a)).collect();
        self.summarize_candidates(encoder, articles, &candidates)
    }

    /// [`Summarizer::summarize`] with each article's [`candidates`] already found.
    pub fn summarize_candidates(
        &self,
        encoder: Option<&dyn Encoder>,
        articles: &[&Article],
        candidates: &[Vec<Sentence>],
    ) -> Result<Vec<Summary>, ModelError> {
        let mut summaries = self.choose(encoder, articles, candidates)?;
        for ((summary, article), candidates) in summaries.iter_mut().zip(articles).zip(candidates) {
            if candidates.is_empty() {
                summary.text = cut_to_fit(&article.heading(), self.budget.max_chars);
            }
        }
        Ok(summaries)
    }

    fn choose(
        &self,
        encoder: Option<&dyn Encoder>,
        articles: &[&Article],
        candidates: &[Vec<Sentence>],
    ) -> Result<Vec<Summary>, ModelError> {
        match (self.method, encoder) {
            (Method::Lead, _) => {
                let rankings: Vec<Vec<usize>> = candidates.iter().map(|c| lead::ranking(c)).collect();
                Ok(fill_all(candidates, rankings.iter().map(Vec::as_slice), self.budget))
            }
            (Method::Textrank, _) => {
                let rankings: Vec<Vec<usize>> = candidates.iter().map(|c| textrank::ranking(c)).collect();
                Ok(fill_all(candidates, rankings.iter().map(Vec::as_slice), self.budget))
            }
            (Method::Model, Some(encoder)) => self.model_summaries(encoder, articles, candidates),
            (Method::Model, None) => {
                Err(ModelError::new(crate::model::Phase::Inference, "the model method needs an encoder"))
            }
        }
    }

    /// The model method, step by step: rank each article's sentences with the encoder and the
    /// sentence scorer ([`ranked::rankings`]); drop the openings that only say when or on whose
    /// word and the asides, which the ranking saw whole ([`as_shown`]); compose each summary
    /// from the ranking ([`compose`]); then tighten a short text's one sentence to the run of
    /// clauses the tightener rates best ([`tighten_short_texts`]).
    fn model_summaries(
        &self,
        encoder: &dyn Encoder,
        articles: &[&Article],
        candidates: &[Vec<Sentence>],
    ) -> Result<Vec<Summary>, ModelError> {
        let (model, budget) = (&self.model, self.budget);
        let ranked = ranked::rankings(encoder, articles, candidates, model, &self.embed_limits, budget.max_chars)?;
        // The commentary model reads the vectors of the encoder it was fitted on: on another's
        // (a tuned one's too) it framed a quarter to a third of the validation reports as opinion,
        // and a frame on a report is the worse mistake, so it frames nothing there.
        let frame = self.frame_commentary && encoder.id() == model.encoder;
        let shown: Vec<Vec<Sentence>> = candidates.iter().map(|c| as_shown(c)).collect();
        let mut summaries: Vec<Summary> = (candidates.iter().zip(&shown).zip(&ranked).zip(articles))
            .map(|(((written, sentences), r), article)| {
                compose_shown(model, written, sentences, &Ranking::new(r, article), budget, frame)
            })
            .collect();
        tighten_short_texts(encoder, model, &mut summaries, &shown, &ranked, budget)?;
        Ok(summaries)
    }
}

/// The model method's summary of one article's `written` sentences, shown as a summary shows
/// them ([`as_shown`]), before a short text's tightening, in four steps: frame it as commentary
/// where `frame` allows, the article is no dispatch nor a reporter's (a dateline, a reporter's
/// byline) and the commentary model is sure ([`frames`]), and then open it on what the writer
/// argues rather than on a peg the article tells ([`commentary::tells`], asked of each sentence
/// as written: shown, `不久前，在…大赛上，…夺冠。` loses the `不久前，` that tells it); for a text
/// long enough for more than one sentence, take the clauses of one or two sentences the
/// compressor rates best ([`compress_longer_text`]); or else
/// fill the budget in pick order with the sentences that stand alone ([`standing_alone`],
/// [`fill_framed`]), and trim a best sentence over the budget to the clauses the trimmer rates
/// best ([`trim_sentence_over_budget`]). The trainer measures what this gives.
pub fn compose(
    model: &learnt::SummaryModel,
    written: &[Sentence],
    ranking: &Ranking,
    budget: Budget,
    frame: bool,
) -> Summary {
    compose_shown(model, written, &as_shown(written), ranking, budget, frame)
}

/// [`compose`] of `written` with its sentences already shown (`sentences`, [`as_shown`] of it).
fn compose_shown(
    model: &learnt::SummaryModel,
    written: &[Sentence],
    sentences: &[Sentence],
    ranking: &Ranking,
    budget: Budget,
    frame: bool,
) -> Summary {
    let framed = frame && !ranking.reported && frames(model, sentences, ranking, budget);
    // Where framed, which sentences argue, and may open the summary.
    let argues: Option<Vec<bool>> = framed.then(|| written.iter().map(|s| !commentary::tells(&s.text)).collect());
    if let Some(summary) = compress_longer_text(model, sentences, ranking, budget, argues.as_deref()) {
        return summary;
    }
    let alone = standing_alone(sentences, ranking.order);
    let argued: Vec<usize> =
        argues.map(|argues| alone.iter().copied().filter(|&i| argues[i]).collect()).unwrap_or_default();
    let order = if argued.is_empty() { &alone } else { &argued };
    let summary = fill_framed(sentences, order, budget, framed);
    trim_sentence_over_budget(model, summary, sentences, ranking.heading, budget, framed)
}

/// The compressor's summary ([`compress::best`]) of a text that fills the budget: not a short
/// text (those are tightened) nor one asked for a number of sentences; framed behind the
/// commentary lead-in where `argues` says which sentences argue. `None` without a compressor,
/// vectors or a unit that fits.
fn compress_longer_text(
    model: &learnt::SummaryModel,
    sentences: &[Sentence],
    ranking: &Ranking,
    budget: Budget,
    argues: Option<&[bool]>,
) -> Option<Summary> {
    let compressor = model.compressor.as_ref()?;
    let document = ranking.document?;
    if !compress::applies(sentences, budget) {
        return None;
    }
    let lead_in = if argues.is_some() { commentary::LEAD_IN } else { "" };
    let room = budget.max_chars.saturating_sub(char_len(lead_in));
    let text = compress::Text::new(sentences, ranking.vectors, ranking.scores, document, ranking.heading);
    // A framed summary opens on what the writer argues, not on the peg the article tells first
    // ([`commentary::tells`]), where the text argues anything that fits.
    let argued = argues.and_then(|argues| compress::best_opening(compressor, &text, room, |k| argues[k]));
    let (shown, from) = argued.or_else(|| compress::best(compressor, &text, room, argues.is_some()))?;
    Some(Summary { text: format!("{lead_in}{shown}"), sentences: from })
}

/// `ranking` without the sentences that open by pointing back at text before them
/// ([`readable::points_back`]: `这`, `该`, `但`): a reader of the summary does not have what they
/// point at; nor those that trail off as the page may let a list do (`…稳岗就业……`:
/// [`readable::is_cut_off`]), which read as a summary cut short; nor someone's words alone, whose
/// speaker another sentence names, nor a speaker alone, whose words another sentence gives
/// ([`readable::half_of_speech`]). `ranking` itself where every
/// sentence does. Nor those that only announce what follows (`以下是…日记。`:
/// [`readable::announces`]). Nor, after the first, the sentences that repeat one ranked before them
/// ([`readable::repeats`]: `到2024年，贵州省民政厅将培养3.7万名养老专业人才。` and
/// `贵州省民政厅将培养3.7万名养老专业人才。`): a summary says each thing once.
pub fn standing_alone(candidates: &[Sentence], ranking: &[usize]) -> Vec<usize> {
    let alone: Vec<usize> = ranking
        .iter()
        .copied()
        .filter(|&i| {
            let text = &candidates[i].text;
            !readable::points_back(text)
                && !readable::is_cut_off(text)
                && !readable::half_of_speech(text)
                && !readable::announces(text)
        })
        .collect();
    let alone = if alone.is_empty() { ranking.to_vec() } else { alone };
    let mut kept: Vec<usize> = Vec::with_capacity(alone.len());
    for i in alone {
        if !kept.iter().any(|&k| readable::repeats(&candidates[k].text, &candidates[i].text)) {
            kept.push(i);
        }
    }
    kept
}

/// Whether the model method frames the summary of an article with these `candidates` and
/// vectors as commentary ([`commentary`]): the model has a commentary model, the article has
/// its vector, its summary may take more than one sentence, and the budget has room.
pub fn frames(model: &learnt::SummaryModel, candidates: &[Sentence], ranking: &Ranking, budget: Budget) -> bool {
    let (Some(commentary), Some(document)) = (&model.commentary, ranking.document) else {
        return false;
    };
    !candidates.is_empty()
        && wanted_sentences(candidates, budget) != 1
        && commentary.frames(document, ranking.headline, &ranking.cues, ranking.heading, budget.max_chars)
}

/// [`fill`], or, for a `framed` article, [`commentary::LEAD_IN`] followed by a fill of the rest
/// of the budget.
pub fn fill_framed(candidates: &[Sentence], ranking: &[usize], budget: Budget, framed: bool) -> Summary {
    if !framed {
        return demands_last(candidates, fill(candidates, ranking, budget));
    }
    let rest = Budget { max_chars: budget.max_chars.saturating_sub(commentary::LEAD_IN_CHARS), ..budget };
    let inner = fill(candidates, ranking, rest);
    Summary { text: format!("{}{}", commentary::LEAD_IN, inner.text), sentences: inner.sentences }
}

/// `summary`, of whole `candidates` in article order, told with its demands last
/// ([`clauses::demands_last`]). Only for a summary that is not framed: a commentary's own demand
/// is what it argues, and may open it.
fn demands_last(candidates: &[Sentence], summary: Summary) -> Summary {
    let mut order = summary.sentences.clone();
    clauses::demands_last(&mut order, |&i| &candidates[i].text);
    let whole = |order: &[usize]| order.iter().map(|&i| candidates[i].text.as_str()).collect::<String>();
    if order == summary.sentences || whole(&summary.sentences) != summary.text {
        return summary;
    }
    Summary { text: whole(&order), sentences: summary.sentences }
}

/// A summary that is one sentence cut to fit the budget keeps the run of the sentence's
/// clauses that the model's trimmer rates best ([`clauses`]), instead of its first clauses.
/// Short texts meant to get one sentence (posts, briefs) are left to the tightener
/// ([`tighten`]); a framed summary keeps its lead-in.
pub fn trim_sentence_over_budget(
    model: &learnt::SummaryModel,
    summary: Summary,
    candidates: &[Sentence],
    heading: &str,
    budget: Budget,
    framed: bool,
) -> Summary {
    let (Some(trimmer), &[s]) = (&model.trimmer, summary.sentences.as_slice()) else {
        return summary;
    };
    let room = budget.max_chars.saturating_sub(if framed { commentary::LEAD_IN_CHARS } else { 0 });
    if candidates[s].chars <= room || tighten::applies(candidates, budget) {
        return summary;
    }
    match clauses::best(trimmer, &clauses::Lexicon::new(heading, candidates), &candidates[s].text, room) {
        Some(run) => {
            let lead_in = if framed { commentary::LEAD_IN } else { "" };
            Summary { text: format!("{lead_in}{}", run.text), sentences: summary.sentences }
        }
        None => summary,
    }
}

/// A short text's one-sentence summary (a post's, a brief's) becomes the run of clauses of its
/// sentences that the model's tightener rates best ([`tighten`]); the runs of all the texts are
/// embedded in one call. Framed summaries are never one sentence's: tightening leaves them
/// alone. Nothing changes without a tightener.
fn tighten_short_texts(
    encoder: &dyn Encoder,
    model: &learnt::SummaryModel,
    summaries: &mut [Summary],
    shown: &[Vec<Sentence>],
    ranked: &[ranked::Ranked],
    budget: Budget,
) -> Result<(), ModelError> {
    let Some(tightener) = &model.tightener else {
        return Ok(());
    };
    let texts: Vec<Option<tighten::Text>> = (shown.iter().zip(ranked))
        .map(|(c, r)| tighten::text(c, &r.vectors, &r.scores, r.document.as_deref(), budget))
        .collect();
    tighten::choose_best(encoder, tightener, summaries, &texts, budget)
}

/// What the model method knows of an article when it composes the summary: its sentences' pick
/// order, the article's vector and its headline's, and its heading.
pub struct Ranking<'a> {
    pub order: &'a [usize],
    /// The query vector and the scorer's score of each embedded sentence.
    pub vectors: &'a [Vec<f32>],
    pub scores: &'a [f32],
    /// Whether the article is a dispatch or a reporter's (a dateline `本报北京1月31日电`, a byline
    /// `本报记者 张三`): it reports.
    pub reported: bool,
    /// What the article says of itself that tells commentary apart ([`commentary::cues`]).
    pub cues: [f32; commentary::CUES.len()],
    pub document: Option<&'a [f32]>,
    pub headline: Option<&'a [f32]>,
    pub heading: &'a str,
}

impl<'a> Ranking<'a> {
    /// What the model method knows of `article`, given its ranking.
    pub fn new(ranked: &'a ranked::Ranked, article: &Article) -> Ranking<'a> {
        Ranking {
            order: &ranked.order,
            vectors: &ranked.vectors,
            scores: &ranked.scores,
            reported: article.dateline.is_some() || article.byline.is_reporters(),
            cues: commentary::cues(article),
            document: ranked.document.as_deref(),
            headline: ranked.headline.as_deref(),
            heading: &ranked.heading,
        }
    }
}

/// [`fill`] for each article's candidates and ranking.
fn fill_all<'r>(
    candidates: &[Vec<Sentence>],
    rankings: impl Iterator<Item = &'r [usize]>,
    budget: Budget,
) -> Vec<Summary> {
    candidates.iter().zip(rankings).map(|(c, r)| fill(c, r, budget)).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::sentences::MAX_SENTENCE_CHARS;

    fn sentences(texts: &[&str]) -> Vec<Sentence> {
        texts.iter().map(|t| Sentence { text: (*t).to_owned(), paragraph: 0, chars: char_len(t) }).collect()
    }

    /// An encoder that keeps count of what it is given.
    #[derive(Default)]
    struct Counting {
        texts: std::sync::Mutex<Vec<usize>>,
    }

    impl Encoder for Counting {
        fn id(&self) -> &str {
            "counting"
        }

        fn dim(&self) -> usize {
            4
        }

        fn embed(&self, texts: &[&str], _: crate::model::Intent) -> Result<Vec<Vec<f32>>, ModelError> {
            let mut seen = self.texts.lock().expect("lock");
            seen.extend(texts.iter().map(|t| char_len(t)));
            Ok(texts
                .iter()
                .map(|t| vec![0.5, 0.5, 0.5, if char_len(t).is_multiple_of(2) { 0.5 } else { -0.5 }])
                .collect())
        }
    }

    #[test]
    fn the_model_work_per_article_is_bounded_whatever_the_text() {
        let clause = |i: usize| ["青岛发布报告", "市里召开会议", "各区加强巡查", "今年增长"][i % 4];
        let pathological = [
            // Twenty thousand clauses and no full stop.
            (0..20_000).map(clause).collect::<Vec<_>>().join("，"),
            // A line without any punctuation.
            "青岛发布报告".repeat(50_000),
            // A hundred thousand one-character lines.
            "青\n岛\n".repeat(50_000),
            // Brackets opened and never closed, around sentences.
            format!("{}内容。{}", "（“《".repeat(10_000), "文字，".repeat(5_000)),
        ];
        for text in &pathological {
            let article = crate::segment::single(text, Some("标题")).expect("an article");
            let encoder = Counting::default();
            let summarizer = Summarizer::new(Method::Model, Budget::default());
            let summary = summarizer.summarize(Some(&encoder), &[&article]).expect("summary").remove(0);
            let seen = encoder.texts.lock().expect("lock");
            // At most the candidates, a short text's passage, the headline and the choices of a
            // one-sentence summary.
            let limit = ranked::EmbedLimits::default().max_candidates + 2 + tighten::MAX_CHOICES;
            assert!(seen.len() <= limit, "{} texts embedded", seen.len());
            // The candidates and a short text's passage, the heading and those choices.
            let total: usize = seen.iter().sum();
            let most = 2 * ranked::MAX_EMBEDDED_CHARS + MAX_SENTENCE_CHARS + tighten::MAX_CHOICES * DEFAULT_MAX_CHARS;
            assert!(total <= most, "{total} chars");
            assert!(char_len(&summary.text) <= DEFAULT_MAX_CHARS, "{}", summary.text);
            // Made of the article's own characters (its heading's, where it has no body text).
            let own: HashSet<char> =
                article.paragraphs.iter().flat_map(|p| p.chars()).chain(article.heading().chars()).collect();
            let own_words = summary.text.trim_start_matches(commentary::LEAD_IN);
            // Punctuation aside: a run cut from its sentence ends as a sentence.
            assert!(
                own_words.chars().all(|c| c == '…' || c == clauses::RUN_END || own.contains(&c)),
                "{}",
                summary.text
            );
        }
    }

    #[test]
    fn a_commentary_summary_says_whose_argument_it_is_within_the_budget() {
        let article = sentences(&[
            "推进全面从严治党，必须坚持问题导向，以钉钉子精神抓好作风建设。",
            "作风建设永远在路上。",
            "各级党组织要把责任扛在肩上，把工作落到实处，让群众真切感受到变化。",
            "这既是政治责任，也是历史使命。",
            "只有坚持不懈、久久为功，才能把作风建设不断引向深入，为高质量发展提供坚强保证。",
            "广大党员干部要以身作则、率先垂范，在攻坚克难中锤炼过硬作风。",
            "唯有如此，才能赢得人民群众的信任和支持。",
        ]);
        let budget = Budget::default();
        let plain = fill(&article, &[0, 1, 2, 3, 4, 5, 6], budget);
        let framed = fill_framed(&article, &[0, 1, 2, 3, 4, 5, 6], budget, true);
        assert_eq!(fill_framed(&article, &[0, 1, 2, 3, 4, 5, 6], budget, false), plain);
        assert!(framed.text.starts_with(commentary::LEAD_IN), "{}", framed.text);
        assert!(char_len(&framed.text) <= budget.max_chars, "{}", framed.text);
        // The rest is a fill of what the lead-in leaves.
        let rest = Budget { max_chars: budget.max_chars - commentary::LEAD_IN_CHARS, ..budget };
        assert_eq!(framed.text[commentary::LEAD_IN.len()..], fill(&article, &[0, 1, 2, 3, 4, 5, 6], rest).text);
        // Whether to frame: a model that tells commentary apart, the article's vector, room, and a
        // text long enough for more than one sentence.
        let mut model = learnt::SummaryModel::builtin();
        model.commentary = Some(commentary::Commentary {
            weights: vec![1.0, 0.0, 0.0, 0.0],
            bias: 0.0,
            threshold: 0.6,
            columns: Vec::new(),
        });
        let ranking = |document: Option<&'static [f32]>| Ranking {
            order: &[],
            vectors: &[],
            scores: &[],
            reported: false,
            cues: [0.0; commentary::CUES.len()],
            document,
            headline: None,
            heading: "",
        };
        const ARGUES: &[f32] = &[1.0, 0.0];
        const REPORTS: &[f32] = &[0.0, 1.0];
        assert!(frames(&model, &article, &ranking(Some(ARGUES)), budget));
        assert!(!frames(&model, &article, &ranking(Some(REPORTS)), budget), "a report");
        assert!(!frames(&model, &article, &ranking(None), budget), "no vector");
        assert!(!frames(&model, &article[1..2], &ranking(Some(ARGUES)), budget), "one sentence's text");
        assert!(!frames(&model, &article, &ranking(Some(ARGUES)), Budget { max_chars: 20, sentences: None }));
        // A dispatch or a reporter's piece is never framed, however it reads.
        let order = [0, 1, 2, 3, 4, 5, 6];
        let reported = Ranking { reported: true, order: &order, ..ranking(Some(ARGUES)) };
        assert!(!compose(&model, &article, &reported, budget, true).text.starts_with(commentary::LEAD_IN));
        // A framed summary opens on what the writer argues, not on the peg the article tells,
        // however well the peg ranks; unframed, the peg may open it.
        let mut pegged = sentences(&["笔者去吉林桦甸市采访，碰到一件暖心事儿。"]);
        pegged.extend(article.iter().cloned());
        let order = [0, 1, 2, 3, 4, 5, 6, 7];
        let argued = Ranking { order: &order, ..ranking(Some(ARGUES)) };
        let framed = compose(&model, &pegged, &argued, budget, true);
        assert!(framed.text.starts_with(commentary::LEAD_IN) && !framed.text.contains("笔者"), "{}", framed.text);
        assert!(compose(&model, &pegged, &argued, budget, false).text.starts_with("笔者"));
        // Asked of the sentence as written: shown, the peg loses the `不久前，` that tells it.
        pegged[0] = Sentence::new("不久前，在中国男篮全明星扣篮大赛上，来自云南的草根选手矣进宏夺冠。", 0);
        assert!(drop_vague_opening(&pegged[0].text).starts_with("在中国男篮"));
        let framed = compose(&model, &pegged, &argued, budget, true);
        assert!(framed.text.starts_with(commentary::LEAD_IN) && !framed.text.contains("夺冠"), "{}", framed.text);
        assert!(compose(&model, &pegged, &argued, budget, false).text.starts_with("在中国男篮"));
        model.commentary = None;
        assert!(!frames(&model, &article, &ranking(Some(ARGUES)), budget));
    }

    #[test]
    fn a_best_sentence_over_the_budget_keeps_the_clauses_the_trimmer_rates_best() {
        // The best sentence (98 characters) is over the budget, in a text long enough for more
        // than one sentence.
        let long = "据记者从有关部门获悉，截至今年十月底，在各方面的共同努力下，全省累计建成高标准农田四千二百万亩，\
                    粮食总产量连续八年稳定在一千亿斤以上，农民人均可支配收入较上年增长百分之六点八，增速继续快于城镇居民。";
        let article = sentences(&[
            long,
            "各地积极推进农田建设，因地制宜完善灌排设施。",
            "专家认为，高标准农田建设成效明显，增产作用突出。",
            "下一步，全省还将继续加大投入，提升建设标准和管护水平。",
        ]);
        let budget = Budget::default();
        let cut = fill(&article, &[0, 1, 2, 3], budget);
        assert_eq!(cut.sentences, [0]);
        assert!(cut.text.starts_with("据记者从有关部门获悉"), "{}", cut.text);
        // A trimmer that prefers runs starting late in the sentence.
        let start = clauses::RUN_FEATURES.iter().position(|f| *f == "start").unwrap();
        let mut weights = vec![0.0; clauses::RUN_FEATURES.len()];
        weights[start] = 1.0;
        let features = clauses::RUN_FEATURES.iter().map(|f| (*f).to_owned()).collect();
        let trimmer = crate::fit::ridge::Linear { features, weights, bias: 0.0 };
        let mut model = learnt::SummaryModel::builtin();
        model.trimmer = Some(trimmer);
        let trimmed = trim_sentence_over_budget(&model, cut.clone(), &article, "全省建成高标准农田", budget, false);
        assert_eq!(trimmed.sentences, [0]);
        assert!(
            !trimmed.text.starts_with("据记者") && long.contains(trimmed.text.trim_end_matches(clauses::RUN_END)),
            "{}",
            trimmed.text
        );
        assert!(char_len(&trimmed.text) <= budget.max_chars, "{}", trimmed.text);
        // Framed, it keeps the lead-in and the whole within the budget.
        let framed = fill_framed(&article, &[0, 1, 2, 3], budget, true);
        let framed = trim_sentence_over_budget(&model, framed, &article, "", budget, true);
        assert!(framed.text.starts_with(commentary::LEAD_IN) && char_len(&framed.text) <= budget.max_chars);
        // Left alone: a summary whose sentence fits, two sentences, a model without a trimmer.
        let fits = fill(&article, &[1, 2, 3], budget);
        assert_eq!(trim_sentence_over_budget(&model, fits.clone(), &article, "", budget, false), fits);
        model.trimmer = None;
        assert_eq!(trim_sentence_over_budget(&model, cut.clone(), &article, "", budget, false), cut);
    }

    #[test]
    fn the_budget_adapts_to_short_texts() {
        // A 110-character post: one sentence, never the whole post back.
        let post = sentences(&[
            "据消息人士透露，春节前，在一次内部沟通会上，证监会高层明确表示，注册制目前还只是一个目标。",
            "现阶段需要创造很多条件来完成向注册制的过渡，而这个过程并非一蹴而就。",
            "有市场人士分析称，注册制一两年之内估计都不会实行。",
        ]);
        let summary = fill(&post, &[1, 0, 2], Budget::default());
        assert_eq!(summary.sentences, [1]);
        assert_eq!(summary.text, post[1].text);
        // Two short sentences would fit in half of a short text; it still gets one.
        let brief = sentences(&[
            "市政府今天召开常务会议。",
            "会议研究部署冬季供暖工作，要求各区确保居民按时供暖。",
            &"会议还听取了有关情况汇报并作出安排。".repeat(3),
        ]);
        assert!(brief.iter().map(|s| s.chars).sum::<usize>() < SHORT_TEXT_BUDGETS * DEFAULT_MAX_CHARS);
        assert_eq!(fill(&brief, &[0, 1, 2], Budget::default()).sentences, [0]);
        // Twice as long, it gets the budget.
        let long = sentences(&[&brief[0].text, &brief[1].text, &brief[2].text.repeat(3)]);
        assert_eq!(fill(&long, &[0, 1, 2], Budget::default()).sentences, [0, 1]);
        // Sentences come out in article order, whatever the ranking.
        let summary = fill(&post, &[2, 0, 1], Budget { max_chars: 200, sentences: Some(2) });
        assert_eq!(summary.sentences, [0, 2]);
        // A one-sentence text gives back its first clauses.
        let one = sentences(&["今天上午，市里召开会议，部署冬季供暖工作，要求各区确保居民按时供暖。"]);
        let summary = fill(&one, &[0], Budget::default());
        assert!(
            summary.text.chars().count() < one[0].chars && summary.text.starts_with("今天上午"),
            "{}",
            summary.text
        );
        // One without a clause break has nothing shorter to give: it is not cut to a stub.
        let clause = sentences(&["今天天气很好。"]);
        assert_eq!(fill(&clause, &[0], Budget::default()).text, "今天天气很好。");
        let tight = Budget { max_chars: 4, sentences: None };
        assert_eq!(fill(&clause, &[0], tight).text, "今天……");
    }

    #[test]
    fn an_opening_clause_of_time_or_source_is_trimmed() {
        let dated = "1月31日上午，王沪宁代表习近平总书记看望文化界知名人士。";
        assert_eq!(drop_vague_opening(dated), dated);
        assert_eq!(
            drop_vague_opening("据新华社报道，国家航天局发布嫦娥四号着陆区域命名。"),
            "国家航天局发布嫦娥四号着陆区域命名。"
        );
        assert_eq!(drop_vague_opening("今年以来，全市固定资产投资增长15%以上。"), "全市固定资产投资增长15%以上。");
        // What is left must say something; and a clause that is more than time stays.
        assert_eq!(drop_vague_opening("近日，会议召开。"), "近日，会议召开。");
        // The dash that hands a sentence the quotation before it goes too.
        assert_eq!(
            drop_vague_opening("——全国政协委员李景虹日前接受采访时表示，应全面禁止食用野生动物。"),
            "全国政协委员李景虹日前接受采访时表示，应全面禁止食用野生动物。"
        );
        // So does the label of a column's paragraph, and a time clause after it.
        assert_eq!(
            drop_vague_opening("【现象】当前，不少企业采用远程办公模式，办公软件用户激增。"),
            "不少企业采用远程办公模式，办公软件用户激增。"
        );
        // And the number of a list item.
        for numbered in [
            "一、应邀请，国家主席于1月17日进行国事访问。",
            "（二）应邀请，国家主席于1月17日进行国事访问。",
            "第一条　应邀请，国家主席于1月17日进行国事访问。",
        ] {
            assert_eq!(drop_vague_opening(numbered), "应邀请，国家主席于1月17日进行国事访问。");
        }
        let kept = "第二条线路于1月17日开通，全长30公里，沿线设站12座。";
        assert_eq!(drop_vague_opening(kept), kept);
        let kept = "春耕备耕不能松懈，要做好个人防护和农资准备工作。";
        assert_eq!(drop_vague_opening(kept), kept);
        assert_eq!(
            drop_asides("国务院印发《关于加强监管的意见》（以下简称《意见》），自公布之日起施行。"),
            "国务院印发《关于加强监管的意见》，自公布之日起施行。"
        );
        assert_eq!(drop_asides("59岁的张锐（见图，资料照片）中等个头。"), "59岁的张锐中等个头。");
        assert_eq!(drop_asides("成飞公司钳工刘时勇（见上图，资料照片）手持气钻。"), "成飞公司钳工刘时勇手持气钻。");
        assert_eq!(drop_asides("展区一角（上图，资料图片）。"), "展区一角。");
        assert_eq!(drop_asides("传承人胡新明（右）与民间艺人交流。"), "传承人胡新明与民间艺人交流。");
        assert_eq!(drop_asides("队长谢建明（左二）和队员（前排右一）做操。"), "队长谢建明和队员做操。");
        // A part of a series, or a gloss, is no place in a picture.
        assert_eq!(drop_asides("脱贫路上（上）"), "脱贫路上（上）");
        assert_eq!(drop_asides("玄宁（马来酸左旋氨氯地平）"), "玄宁（马来酸左旋氨氯地平）");
        let named = "西南四省份（云贵川渝）的进出境货物增长33.8%。";
        assert_eq!(drop_asides(named), named, "an aside that names is kept");
    }

    #[test]
    fn an_overlong_sentence_is_cut_at_a_clause_break() {
        let long =
            sentences(&["第一分句说明了情况，第二分句补充了细节，第三分句给出了结论和展望。", "另一句。", "再一句。"]);
        let summary = fill(&long, &[0, 1, 2], Budget { max_chars: 22, sentences: None });
        assert_eq!(summary.text, "第一分句说明了情况，第二分句补充了细节。");
        assert!(summary.text.chars().count() <= 22);
        // A break before anything to keep is no place to cut.
        assert_eq!(cut_to_fit("，第一分句说明了情况", 6), "，第一分……");
    }

    #[test]
    fn a_cut_stops_where_a_sentence_can_and_ends_as_one() {
        // Not on a clause that leads into the rest (`他表示，`), nor inside a time clause.
        let said = "市发改委主任王明在新闻发布会上表示，今年全市将新开工重大项目一百二十个，总投资超过三千亿元。";
        let cut = cut_to_fit(said, 30);
        assert!(cut.ends_with("……") && char_len(&cut) == 30, "{cut}");
        let timed = "随着春节临近，各地客流持续增长，铁路部门加开旅客列车，确保旅客平安有序出行。";
        assert_eq!(cut_to_fit(timed, 30), "随着春节临近，各地客流持续增长，铁路部门加开旅客列车。");
        // With no clause that may end it inside the budget, the cut is marked.
        assert_eq!(cut_to_fit(timed, 8), "随着春节临近……");
        // An enumeration comma is no place to stop a sentence.
        let listed = "会议审议了交通、教育、医疗、养老等领域的十项民生实事，并作出部署。";
        assert!(cut_to_fit(listed, 25).ends_with("……"), "{}", cut_to_fit(listed, 25));
        // Nor a comma inside a quotation: the cut would leave it open.
        let quoted = "全会作出了部署，“坚持党的集中统一领导，保持政治稳定，确保国家始终沿着社会主义方向前进”位列首位。";
        assert_eq!(cut_to_fit(quoted, 40), "全会作出了部署。");
    }

    #[test]
    fn a_line_without_punctuation_stays_a_sentence_of_its_own() {
        // A standfirst without a full stop above the first paragraph: a summary of both keeps
        // them apart.
        let page = "透视红包背后的消费\n\n\u{3000}\u{3000}红包背后是消费人群结构的变化和消费升级的新趋势，这些正是挖掘消费潜力的重要方向\n\u{3000}\u{3000}\n\u{3000}\u{3000}今年春节，手机抢红包依然是百姓假期生活里的一项保留节目。各大平台开启春节红包盛宴。\n";
        let article = crate::segment::single(page, None).expect("an article");
        let found = candidates(&article);
        assert!(found[0].text.ends_with("重要方向。"), "{:?}", found[0].text);
        let summary = fill(&found, &[0, 1, 2], Budget { max_chars: 200, sentences: Some(2) });
        assert!(!readable::fuses_lines(&summary.text, page), "{}", summary.text);
        assert!(summary.text.contains("重要方向。今年春节"), "{}", summary.text);
    }

    #[test]
    fn a_summary_never_opens_by_pointing_back() {
        let article = sentences(&[
            "这是全市智慧社区建设的一个缩影。",
            "青岛市今年建成智慧社区一百个，覆盖居民五十万人。",
            "此外，还将新建养老服务中心二十处。",
        ]);
        // The best-rated sentence points back: the next that stands alone leads. A connective
        // opening comes off first, as the model method trims openings.
        assert_eq!(standing_alone(&article, &[0, 1, 2]), [1]);
        assert_eq!(standing_alone(&as_shown(&article), &[0, 1, 2]), [1, 2]);
        // A connective opening comes off; a pronoun cannot.
        assert_eq!(drop_vague_opening(&article[2].text), "还将新建养老服务中心二十处。");
        assert_eq!(drop_vague_opening(&article[0].text), article[0].text);
        assert_eq!(drop_vague_opening("图为村民在参加打糍粑比赛。"), "村民在参加打糍粑比赛。");
        assert_eq!(drop_vague_opening("图为参加实弹射击考核的女兵。"), "图为参加实弹射击考核的女兵。");
        // Nor by someone's words whose speaker another sentence names.
        let quoted = sentences(&["“多养母牛，可以靠牦牛奶挣钱。”", "扎西达结尝到了甜头：牦牛奶有人上门收。"]);
        assert_eq!(standing_alone(&quoted, &[0, 1]), [1]);
        // Nor by announcing what the text goes on to give.
        let diaries = sentences(&["以下是4位患者写的日记。", "武汉已有15家方舱医院开舱收治病人。"]);
        assert_eq!(standing_alone(&diaries, &[0, 1]), [1]);
        // Where every sentence points back, the ranking is kept.
        assert_eq!(standing_alone(&article[..1], &[0]), [0]);
        // A sentence that repeats one ranked before it is left out.
        let twice = sentences(&[
            "到2024年，贵州省民政厅将培养3.7万名养老专业人才。",
            "贵州省民政厅将培养3.7万名养老专业人才。",
            "全省养老机构床位将达到20万张。",
        ]);
        assert_eq!(standing_alone(&twice, &[0, 1, 2]), [0, 2]);
        // Nor does a list the page lets trail off stand as a sentence of the summary.
        let trailing = sentences(&[
            "各地多措并举，为文旅企业复工复产创造有利条件。",
            "资金支持、金融扶持、税费优惠、社会保障、稳岗就业……",
            "北京市文化改革和发展领导小组办公室发布28项措施。",
        ]);
        assert_eq!(standing_alone(&trailing, &[0, 1, 2]), [0, 2]);
    }

    #[test]
    fn a_demand_follows_the_sentence_that_says_who_makes_it() {
        let article = sentences(&[
            "要深化对国际国内金融形势的认识，正确把握金融本质。",
            "中共中央政治局2月22日下午就完善金融服务、防范金融风险举行集体学习。",
            "习近平在主持学习时发表了重要讲话。",
            "金融活，经济活；金融稳，经济稳。",
            "会议强调，金融是国家重要的核心竞争力，金融安全是国家安全的重要组成部分。",
            "会议指出，要增强金融服务实体经济能力，坚决打好防范化解重大金融风险攻坚战。",
        ]);
        assert!(clauses::opens_on_demand(&article[0].text) && !clauses::opens_on_demand(&article[1].text));
        let budget = Budget::default();
        let plain = fill(&article, &[0, 1], budget);
        assert_eq!(plain.sentences, [0, 1]);
        assert!(plain.text.starts_with("要深化"), "{}", plain.text);
        // Unframed, the demand goes after who makes it; the sentences are still told in
        // article order.
        let told = fill_framed(&article, &[0, 1], budget, false);
        assert_eq!(told.text, format!("{}{}", article[1].text, article[0].text));
        assert_eq!(told.sentences, [0, 1]);
        // A commentary's own demand may open it.
        let framed = fill_framed(&article, &[0, 1], budget, true);
        assert!(framed.text.starts_with(&format!("{}要深化", commentary::LEAD_IN)), "{}", framed.text);
        // Demands alone, or after what says who makes them, stay as they are.
        assert_eq!(fill_framed(&article, &[1, 0, 2], Budget { max_chars: 200, sentences: Some(3) }, false).text, {
            [1, 2, 0].iter().map(|&i| article[i].text.as_str()).collect::<String>()
        });
        assert_eq!(fill_framed(&article, &[1, 2], budget, false), fill(&article, &[1, 2], budget));
    }

    #[test]
    fn a_budget_too_small_for_the_ellipsis_is_kept() {
        assert_eq!(cut_to_fit("第一分句", 1), "第");
        assert_eq!(cut_to_fit("第一分句", 0), "");
        let lead = Summarizer::new(Method::Lead, Budget { max_chars: 1, sentences: None });
        let article = crate::segment::single("今天上午，市里召开会议。会议部署冬季供暖工作。", Some("")).unwrap();
        let summaries = lead.summarize(None, &[&article]).unwrap();
        assert_eq!(summaries[0].text, "今");
    }
}
