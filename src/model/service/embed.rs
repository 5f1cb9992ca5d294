//! Texts → sentence embeddings: tokenisation, windows for long inputs, length-sorted batches
//! (packed, with no padding, where the model packs; else padded), mean pooling over each
//! sequence's tokens and L2 normalisation. The transformer itself is in [`crate::model::network::bert`];
//! this module never looks inside it.

use std::sync::atomic::{AtomicU64, Ordering};

use candle_core::{Device, Tensor};
use tokenizers::Tokenizer;

use crate::model::network::bert::Bert;
use crate::model::{Intent, ModelError, Phase};

/// Tokens that consecutive windows of a long input share.
pub const WINDOW_OVERLAP: usize = 64;
/// Most tokens in one forward pass, padding included (batch × longest) where batches are
/// padded: bounds activation memory.
pub const BATCH_TOKENS: usize = 8192;
/// Most sequences in one forward pass.
pub const BATCH_MAX: usize = 64;

/// How intents are written into the input; e5 models want `query: ` / `passage: `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompts {
    pub query: String,
    pub passage: String,
}

impl Prompts {
    pub fn e5() -> Prompts {
        Prompts { query: "query: ".into(), passage: "passage: ".into() }
    }

    pub fn none() -> Prompts {
        Prompts { query: String::new(), passage: String::new() }
    }

    fn for_intent(&self, intent: Intent) -> &str {
        match intent {
            Intent::Query => &self.query,
            Intent::Passage => &self.passage,
        }
    }
}

/// The tokenizer side of an encoder: ids for texts, windows for long ones.
pub struct Tokens {
    tokenizer: Tokenizer,
    /// The ids that open and close every sequence (`<s>`, `</s>` or `[CLS]`, `[SEP]`).
    open: Vec<u32>,
    close: Vec<u32>,
    pad: u32,
    /// Longest sequence the model takes, specials included.
    max_len: usize,
    prompts: Prompts,
}

/// One window of one text, ready to batch.
#[derive(Debug, Clone)]
struct Window {
    text: usize,
    ids: Vec<u32>,
}

impl Tokens {
    pub fn new(mut tokenizer: Tokenizer, max_len: usize, prompts: Prompts) -> Result<Tokens, ModelError> {
        let fail = |e: tokenizers::Error| ModelError::new(Phase::Tokenizer, e.to_string());
        tokenizer.with_truncation(None).map_err(fail)?;
        tokenizer.with_padding(None);
        let bare = tokenizer.encode("", false).map_err(fail)?.get_ids().len();
        let framed = tokenizer.encode("", true).map_err(fail)?.get_ids().to_vec();
        if bare != 0 || framed.is_empty() {
            return Err(ModelError::new(Phase::Tokenizer, "tokenizer adds no special tokens around a sequence"));
        }
        let (open, close) = framed.split_at(framed.len().div_ceil(2).min(1));
        let pad = tokenizer
            .get_padding()
            .map(|p| p.pad_id)
            .or_else(|| ["<pad>", "[PAD]"].iter().find_map(|t| tokenizer.token_to_id(t)))
            .unwrap_or(0);
        if max_len <= framed.len() + WINDOW_OVERLAP + 16 {
            return Err(ModelError::new(
                Phase::Config,
                format!("a maximum of {max_len} tokens leaves no room for text"),
            ));
        }
        Ok(Tokens { tokenizer, open: open.to_vec(), close: close.to_vec(), pad, max_len, prompts })
    }

    pub fn vocab_size(&self) -> usize {
        self.tokenizer.get_vocab_size(true)
    }

    /// Number of tokens `text` makes with the prompt for `intent`, specials excluded.
    pub fn count(&self, text: &str, intent: Intent) -> Result<usize, ModelError> {
        Ok(self.content_ids(text, intent)?.len())
    }

    fn content_ids(&self, text: &str, intent: Intent) -> Result<Vec<u32>, ModelError> {
        let input = format!("{}{}", self.prompts.for_intent(intent), text);
        let encoding = self
            .tokenizer
            .encode(input.as_str(), false)
            .map_err(|e| ModelError::new(Phase::Tokenizer, e.to_string()))?;
        Ok(encoding.get_ids().to_vec())
    }

    /// Splits every text into windows that fit the model, overlapping by [`WINDOW_OVERLAP`]
    /// tokens; every window repeats the prompt, so each reads as the model was trained to.
    fn windows(&self, texts: &[&str], intent: Intent) -> Result<Vec<Window>, ModelError> {
        let prompt = self.content_ids("", intent)?;
        let room = self.max_len - self.open.len() - self.close.len();
        let mut out = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            let ids = self.content_ids(text, intent)?;
            if ids.len() <= room {
                out.push(Window { text: i, ids: self.frame(&ids) });
                continue;
            }
            let body = &ids[prompt.len()..];
            let chunk = room - prompt.len();
            let mut start = 0;
            loop {
                let end = (start + chunk).min(body.len());
                let mut window = prompt.clone();
                window.extend_from_slice(&body[start..end]);
                out.push(Window { text: i, ids: self.frame(&window) });
                if end == body.len() {
                    break;
                }
                start = end - WINDOW_OVERLAP;
            }
        }
        Ok(out)
    }

    /// The ids the model sees for a text that fits in one window, specials included.
    pub fn framed_ids(&self, text: &str, intent: Intent) -> Result<Vec<u32>, ModelError> {
        Ok(self.frame(&self.content_ids(text, intent)?))
    }

    fn frame(&self, content: &[u32]) -> Vec<u32> {
        let mut ids = Vec::with_capacity(content.len() + self.open.len() + self.close.len());
        ids.extend_from_slice(&self.open);
        ids.extend_from_slice(content);
        ids.extend_from_slice(&self.close);
        ids
    }
}

/// What an encoder has run so far: the tokens of its inputs (prompts and special tokens
/// included, overlapping windows counted in each), and the rows its layers ran, padding
/// included.
#[derive(Debug, Default)]
pub struct Work {
    tokens: AtomicU64,
    rows: AtomicU64,
}

impl Work {
    fn add(&self, tokens: usize, rows: usize) {
        self.tokens.fetch_add(tokens as u64, Ordering::Relaxed);
        self.rows.fetch_add(rows as u64, Ordering::Relaxed);
    }

    pub fn tokens(&self) -> u64 {
        self.tokens.load(Ordering::Relaxed)
    }

    pub fn rows(&self) -> u64 {
        self.rows.load(Ordering::Relaxed)
    }
}

/// Embeds `texts`: one L2-normalised vector per text, in order. A text longer than the model
/// takes is the token-weighted mean of its windows' pooled vectors, then normalised.
pub fn embed(
    model: &Bert,
    tokens: &Tokens,
    hidden: usize,
    texts: &[&str],
    intent: Intent,
    work: &Work,
) -> Result<Vec<Vec<f32>>, ModelError> {
    let mut windows = tokens.windows(texts, intent)?;
    // Longest first, so that each batch's padding is small and the first batch is the largest
    // that any run will allocate.
    windows.sort_by(|a, b| b.ids.len().cmp(&a.ids.len()).then(a.text.cmp(&b.text)));
    let mut sums = vec![vec![0f64; hidden]; texts.len()];
    let mut weights = vec![0f64; texts.len()];
    let lengths: Vec<usize> = windows.iter().map(|w| w.ids.len()).collect();
    let packs = model.packs();
    let cut = if packs { packed_batches(&lengths) } else { batches(&lengths) };
    for batch in cut {
        let batch = &windows[batch];
        let pooled = if packs {
            let tokens = batch.iter().map(|w| w.ids.len()).sum();
            work.add(tokens, tokens);
            forward_packed_pooled(model, batch, tokens)?
        } else {
            let longest = batch[0].ids.len();
            work.add(batch.iter().map(|w| w.ids.len()).sum(), batch.len() * longest);
            forward_pooled(model, tokens.pad, batch, longest)?
        };
        for (window, vector) in batch.iter().zip(pooled) {
            let w = window.ids.len() as f64;
            for (s, v) in sums[window.text].iter_mut().zip(vector) {
                *s += w * v as f64;
            }
            weights[window.text] += w;
        }
    }
    Ok(sums
        .into_iter()
        .map(|sum| {
            let norm = sum.iter().map(|v| v * v).sum::<f64>().sqrt().max(1e-12);
            sum.into_iter().map(|v| (v / norm) as f32).collect()
        })
        .collect())
}

/// What one more forward pass costs besides its rows, in rows: its share of thread start-up,
/// weight reads and the per-layer work that does not grow with the batch.
const PASS_COST_ROWS: usize = 128;

/// Cuts windows of `lengths` (sorted longest first) into batches: each pads its windows to its
/// first, holds at most [`BATCH_MAX`] windows and [`BATCH_TOKENS`] padded tokens (or is one
/// window), and the cut is the one with the fewest padded rows plus [`PASS_COST_ROWS`] per
/// batch. Every row of padding goes through every linear layer, so on a mix of lengths this
/// runs fewer rows than filling each batch to its limits; a window's vector does not depend
/// on what it is batched with.
fn batches(lengths: &[usize]) -> Vec<std::ops::Range<usize>> {
    let n = lengths.len();
    // cost[i]: the cheapest way to run windows i.., whose first batch ends at end[i].
    let mut cost = vec![usize::MAX; n + 1];
    let mut end = vec![n; n + 1];
    cost[n] = 0;
    for i in (0..n).rev() {
        for j in i + 1..=(i + BATCH_MAX).min(n) {
            let rows = (j - i) * lengths[i];
            if j > i + 1 && rows > BATCH_TOKENS {
                break;
            }
            let total = cost[j] + rows + PASS_COST_ROWS;
            if total < cost[i] {
                (cost[i], end[i]) = (total, j);
            }
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        out.push(i..end[i]);
        i = end[i];
    }
    out
}

/// Cuts windows of `lengths` into batches for [`Bert::forward_packed`], which runs no padding:
/// in order, each as many windows as fit in [`BATCH_TOKENS`] tokens and [`BATCH_MAX`] windows
/// (or one window).
fn packed_batches(lengths: &[usize]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < lengths.len() {
        let mut end = start + 1;
        let mut tokens = lengths[start];
        while end < lengths.len() && end - start < BATCH_MAX && tokens + lengths[end] <= BATCH_TOKENS {
            tokens += lengths[end];
            end += 1;
        }
        out.push(start..end);
        start = end;
    }
    out
}

fn run_error(e: candle_core::Error) -> ModelError {
    ModelError::candle(Phase::Inference, "", &e)
}

/// Runs one batch of `tokens` tokens back to back, no padding, and mean-pools each sequence.
fn forward_packed_pooled(model: &Bert, batch: &[Window], tokens: usize) -> Result<Vec<Vec<f32>>, ModelError> {
    let mut ids = Vec::with_capacity(tokens);
    let mut starts = Vec::with_capacity(batch.len() + 1);
    starts.push(0);
    for w in batch {
        ids.extend_from_slice(&w.ids);
        starts.push(ids.len());
    }
    let hidden = model.forward_packed(&ids, &starts).map_err(run_error)?;
    let width = hidden.dim(1).map_err(run_error)?;
    let values = hidden.flatten_all().and_then(|h| h.to_vec1::<f32>()).map_err(run_error)?;
    Ok(starts
        .windows(2)
        .map(|span| {
            let mut sum = vec![0f32; width];
            for row in values[span[0] * width..span[1] * width].chunks_exact(width) {
                for (s, v) in sum.iter_mut().zip(row) {
                    *s += v;
                }
            }
            let count = (span[1] - span[0]).max(1) as f32;
            sum.into_iter().map(|s| s / count).collect()
        })
        .collect())
}

/// Runs one padded batch and mean-pools each sequence over its real tokens.
fn forward_pooled(model: &Bert, pad: u32, batch: &[Window], len: usize) -> Result<Vec<Vec<f32>>, ModelError> {
    let mut ids = Vec::with_capacity(batch.len() * len);
    let mut mask = Vec::with_capacity(batch.len() * len);
    for w in batch {
        ids.extend_from_slice(&w.ids);
        ids.extend(std::iter::repeat_n(pad, len - w.ids.len()));
        mask.extend(std::iter::repeat_n(1f32, w.ids.len()));
        mask.extend(std::iter::repeat_n(0f32, len - w.ids.len()));
    }
    let device: &Device = model.device();
    let shape = (batch.len(), len);
    let ids = Tensor::from_vec(ids, shape, device).map_err(run_error)?;
    let mask = Tensor::from_vec(mask, shape, device).map_err(run_error)?;
    let hidden = model.forward(&ids, &mask).map_err(run_error)?;
    let pooled = (|| {
        let summed = hidden.broadcast_mul(&mask.unsqueeze(2)?)?.sum(1)?;
        let counts = mask.sum_keepdim(1)?;
        summed.broadcast_div(&counts)?.to_device(&Device::Cpu)?.to_vec2::<f32>()
    })();
    pooled.map_err(run_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Padded rows of a cut: each batch pads to its first window.
    fn rows(lengths: &[usize], cut: &[std::ops::Range<usize>]) -> usize {
        cut.iter().map(|b| b.len() * lengths[b.start]).sum()
    }

    #[test]
    fn batches_cover_the_windows_in_order_within_their_limits() {
        // Lengths as a batch of articles gives them: many short sentences, some long passages.
        let mut lengths: Vec<usize> = (0..700).map(|i| 12 + (i * 37) % 90).collect();
        lengths.extend((0..70).map(|i| 150 + (i * 53) % 360));
        lengths.extend([512, 512, 3]);
        lengths.sort_by(|a, b| b.cmp(a));
        let cut = batches(&lengths);
        let mut next = 0;
        for b in &cut {
            assert_eq!(b.start, next, "batches in order, none skipped");
            assert!(!b.is_empty() && b.len() <= BATCH_MAX);
            assert!(b.len() == 1 || b.len() * lengths[b.start] <= BATCH_TOKENS);
            next = b.end;
        }
        assert_eq!(next, lengths.len());
        // Filling each batch to its limits pads far more.
        let mut filled = Vec::new();
        let mut start = 0;
        while start < lengths.len() {
            let count = (BATCH_TOKENS / lengths[start]).clamp(1, BATCH_MAX).min(lengths.len() - start);
            filled.push(start..start + count);
            start += count;
        }
        let real: usize = lengths.iter().sum();
        let (ours, full) = (rows(&lengths, &cut), rows(&lengths, &filled));
        assert!(ours - real < (full - real) / 2, "padding {} against {}", ours - real, full - real);
        // Windows of one length need no padding: as few batches as the limits allow.
        assert_eq!(batches(&[100; 130]).len(), 3);
        assert!(batches(&[]).is_empty());
    }
}
