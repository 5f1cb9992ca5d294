//! Tuning the encoder's top layers for sections: the frozen encoder's vectors cap what a linear
//! head can learn, so the top `layers` transformer layers are trained too, together with a
//! linear head on the pooled, L2-normalised vector, on the head's own training rows.
//!
//! The layers below stay frozen, so each text's states after them are computed once, by the
//! inference encoder ([`CandleEncoder::lower_states`]), and kept; each step then runs only the
//! tuned layers, forward and backward, as candle-nn layers on f32 variables ([`Tunable`]),
//! initialised from the weights file. AdamW, a linear warm-up and a linear decay, batches of
//! texts of about the same length padded to their longest, balanced class weights; the epoch
//! whose validation rows (whole texts, as the head's trainer chooses) score best is kept. A
//! second objective can tune the layers for the summariser too ([`Salient`],
//! [`Settings::salience`]). A run saves a checkpoint as it goes (the variables, the optimiser's
//! moments, where it stands) and resumes from it to the same layers it would have reached
//! without stopping.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor, Var, D};
use candle_nn::{VarBuilder, VarMap};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::head::Example;
use super::TrainError;
use crate::fit::adamw::{AdamW, Params};
use crate::fit::logistic::{balanced_weights, shuffle, weighted_cross_entropy};
use crate::fit::split::Part;
use crate::model::network::bert::layer_tensors;
use crate::model::{CandleEncoder, Intent};

/// How the top layers are tuned.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Settings {
    /// Layers tuned, from the top; 0 trains the head alone on the frozen encoder.
    pub layers: usize,
    pub epochs: usize,
    pub batch: usize,
    pub learning_rate: f64,
    /// The share of the steps over which the learning rate rises from 0.
    pub warmup: f64,
    pub weight_decay: f64,
    /// Tokens of a text at most, special tokens included.
    pub max_tokens: usize,
    /// Batches drawn together whose rows are sorted by length before they are cut, so that a
    /// batch of headlines is not padded to an article's length; 1 cuts batches as drawn.
    pub length_pool: usize,
    /// What the pooled, L2-normalised vector is multiplied by before the head: a unit vector's
    /// logits would otherwise stay too close together for the cross-entropy to separate.
    pub scale: f64,
    /// The weight of the salience objective beside the sections' (0: none). Each step then also
    /// reads its share of the [`Salient`] articles, so that every one is read once an epoch.
    pub salience: f64,
    pub seed: u64,
}

/// How sharply the salience objective's target favours an article's best sentences: the
/// softmax of their ROUGE-L F1 divided by this, so that a sentence 0.1 better counts e² ≈ 7
/// times as much.
pub const SALIENCE_TEMPERATURE: f64 = 0.05;

/// An article's sentences as the summariser embeds them, with how well each would summarise
/// it (its ROUGE-L F1 against a hand-written summary, the summariser's own training target):
/// what the salience objective reads. The summariser's first feature is how close a sentence's
/// vector lies to the article's, the centroid of its sentences' vectors; the objective pulls the
/// sentences that summarise the article best closest to that centroid
/// ([`Tuned::salience_loss`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Salient {
    pub sentences: Vec<String>,
    pub targets: Vec<f32>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            layers: 2,
            epochs: 2,
            batch: 16,
            learning_rate: 1e-4,
            warmup: 0.1,
            weight_decay: 0.01,
            max_tokens: 128,
            length_pool: 32,
            scale: 20.0,
            salience: 0.0,
            seed: 17,
        }
    }
}

/// One transformer layer as candle-nn layers on variables, so that it learns.
struct Tunable {
    query: candle_nn::Linear,
    key: candle_nn::Linear,
    value: candle_nn::Linear,
    attention_out: candle_nn::Linear,
    attention_norm: (Tensor, Tensor),
    intermediate: candle_nn::Linear,
    output: candle_nn::Linear,
    output_norm: (Tensor, Tensor),
    heads: usize,
    eps: f64,
}

impl Tunable {
    fn new(vb: VarBuilder, h: usize, ff: usize, heads: usize, eps: f64) -> candle_core::Result<Tunable> {
        let linear = |name: &str, inp: usize, out: usize| candle_nn::linear(inp, out, vb.pp(name));
        let norm = |name: &str| -> candle_core::Result<(Tensor, Tensor)> {
            let vb = vb.pp(name);
            Ok((
                vb.get_with_hints(h, "weight", candle_nn::Init::Const(1.0))?,
                vb.get_with_hints(h, "bias", candle_nn::Init::Const(0.0))?,
            ))
        };
        Ok(Tunable {
            query: linear("attention.self.query", h, h)?,
            key: linear("attention.self.key", h, h)?,
            value: linear("attention.self.value", h, h)?,
            attention_out: linear("attention.output.dense", h, h)?,
            attention_norm: norm("attention.output.LayerNorm")?,
            intermediate: linear("intermediate.dense", h, ff)?,
            output: linear("output.dense", ff, h)?,
            output_norm: norm("output.LayerNorm")?,
            heads,
            eps,
        })
    }

    /// `x`: `[batch, len, hidden]`; `pad`: `[batch, 1, 1, len]`, 0 on tokens and a large
    /// negative number on padding.
    fn forward(&self, x: &Tensor, pad: &Tensor) -> candle_core::Result<Tensor> {
        use candle_core::Module;
        let (b, len, h) = x.dims3()?;
        let d = h / self.heads;
        let split = |t: Tensor| t.reshape((b, len, self.heads, d))?.transpose(1, 2)?.contiguous();
        let q = split(self.query.forward(x)?)?;
        let k = split(self.key.forward(x)?)?;
        let v = split(self.value.forward(x)?)?;
        let scores = (q.matmul(&k.t()?)? / (d as f64).sqrt())?.broadcast_add(pad)?;
        let weights = candle_nn::ops::softmax(&scores, D::Minus1)?;
        let context = weights.matmul(&v)?.transpose(1, 2)?.reshape((b, len, h))?;
        let x = layer_norm(&(self.attention_out.forward(&context)? + x)?, &self.attention_norm, self.eps)?;
        let mid = self.intermediate.forward(&x)?.gelu_erf()?;
        layer_norm(&(self.output.forward(&mid)? + &x)?, &self.output_norm, self.eps)
    }
}

/// Layer normalisation over the last dimension, in plain tensor operations (which learn).
fn layer_norm(x: &Tensor, (weight, bias): &(Tensor, Tensor), eps: f64) -> candle_core::Result<Tensor> {
    let mean = x.mean_keepdim(D::Minus1)?;
    let centred = x.broadcast_sub(&mean)?;
    let variance = centred.sqr()?.mean_keepdim(D::Minus1)?;
    centred.broadcast_div(&(variance + eps)?.sqrt()?)?.broadcast_mul(weight)?.broadcast_add(bias)
}

/// The tuned layers and the head, their variables in `vars` under the weights file's names
/// (`encoder.layer.{i}.…`) and `head.weight` / `head.bias`.
pub struct Tuned {
    pub vars: VarMap,
    layers: Vec<Tunable>,
    head: candle_nn::Linear,
    scale: f64,
}

impl Tuned {
    /// The top `settings.layers` layers of `encoder`, started from its weights, and a head of
    /// `classes` outputs.
    pub fn new(encoder: &CandleEncoder, classes: usize, settings: &Settings) -> Result<Tuned, TrainError> {
        let config = encoder.config();
        let (h, ff) = (config.hidden_size, config.intermediate_size);
        let first = config.num_hidden_layers.saturating_sub(settings.layers);
        let mut vars = VarMap::new();
        let vb = VarBuilder::from_varmap(&vars, DType::F32, &Device::Cpu);
        let layers = (first..config.num_hidden_layers)
            .map(|i| {
                Tunable::new(
                    vb.pp(format!("encoder.layer.{i}")),
                    h,
                    ff,
                    config.num_attention_heads,
                    config.layer_norm_eps,
                )
            })
            .collect::<candle_core::Result<Vec<_>>>()?;
        // A zero head, so that a seed decides everything (candle's own initialiser is unseeded).
        let zero = candle_nn::Init::Const(0.0);
        let head = candle_nn::Linear::new(
            vb.pp("head").get_with_hints((classes, h), "weight", zero)?,
            Some(vb.pp("head").get_with_hints(classes, "bias", zero)?),
        );
        for (name, tensor) in encoder.layer_weights(first)? {
            vars.set_one(&name, &tensor)?;
        }
        debug_assert_eq!(vars.all_vars().len(), layers.len() * layer_tensors(h, ff).len() + 2);
        Ok(Tuned { vars, layers, head, scale: settings.scale })
    }

    /// The tuned layers' tensors, by the weights file's names (the head's left out).
    pub fn layer_tensors(&self) -> Result<std::collections::HashMap<String, Tensor>, TrainError> {
        let all = snapshot(&self.vars)?;
        Ok(all.into_iter().filter(|(name, _)| name.starts_with("encoder.layer.")).collect())
    }

    /// The pooled, L2-normalised vectors `[batch, hidden]` of lower states padded into `x`
    /// (`[batch, len, hidden]`), with `mask` `[batch, len]` (1 on tokens, 0 on padding): the
    /// tuned encoder's vectors.
    fn pooled(&self, x: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        let pad = ((mask.ones_like()? - mask)? * -1e4)?.unsqueeze(1)?.unsqueeze(1)?;
        let mut x = x.clone();
        for layer in &self.layers {
            x = layer.forward(&x, &pad)?;
        }
        let weights = mask.unsqueeze(2)?;
        let pooled = x.broadcast_mul(&weights)?.sum(1)?.broadcast_div(&weights.sum(1)?)?;
        pooled.broadcast_div(&pooled.sqr()?.sum_keepdim(1)?.sqrt()?)
    }

    /// Logits `[batch, classes]`, as [`Tuned::pooled`] reads its input.
    fn logits(&self, x: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        candle_core::Module::forward(&self.head, &(self.pooled(x, mask)? * self.scale)?)
    }

    /// The salience objective on one article whose sentences' lower states are padded into `x`
    /// (`[sentences, len, hidden]`, `mask` as [`Tuned::pooled`] reads it): the cross-entropy of
    /// the softmax of the sentences' cosines to their centroid (times the scale) against the
    /// softmax of their `targets` over [`SALIENCE_TEMPERATURE`].
    fn salience_loss(&self, x: &Tensor, mask: &Tensor, targets: &Tensor) -> candle_core::Result<Tensor> {
        let vectors = self.pooled(x, mask)?;
        let centroid = vectors.mean_keepdim(0)?;
        let centroid = centroid.broadcast_div(&centroid.sqr()?.sum_keepdim(1)?.sqrt()?)?;
        let cosines = vectors.matmul(&centroid.t()?)?.squeeze(1)?;
        let predicted = candle_nn::ops::log_softmax(&(cosines * self.scale)?, 0)?;
        let wanted = candle_nn::ops::softmax(&(targets / SALIENCE_TEMPERATURE)?, 0)?;
        (wanted * predicted)?.sum_all()?.neg()
    }

    /// The tuned encoder's vectors of texts whose states after the frozen layers are `states`
    /// ([`lower_states`]): what the encoder loaded with these layers as an adapter gives.
    pub fn vectors(&self, states: &[Tensor]) -> Result<Vec<Vec<f32>>, TrainError> {
        let refs: Vec<&Tensor> = states.iter().collect();
        let (x, mask) = pad(&refs)?;
        Ok(self.pooled(&x, &mask)?.to_vec2()?)
    }
}

/// What tuning found: the epoch kept and its validation accuracy, each epoch's, and the time.
#[derive(Debug, Clone, Serialize)]
pub struct TuningReport {
    /// The layers tuned.
    pub layers: Vec<usize>,
    pub settings: Settings,
    pub best_epoch: usize,
    pub validation_accuracy: Vec<f64>,
    pub training_rows: usize,
    pub validation_rows: usize,
    /// Articles the salience objective read each epoch.
    pub salient_articles: usize,
    pub seconds_lower_states: f64,
    pub seconds_training: f64,
}

/// Each text's states after the frozen layers, `[tokens, hidden]`, its tokens cut to
/// `max_tokens` (the closing special token kept).
pub fn lower_states(
    encoder: &CandleEncoder,
    texts: &[&str],
    frozen: usize,
    max_tokens: usize,
    progress: &dyn Fn(usize),
) -> Result<Vec<Tensor>, TrainError> {
    let hidden = encoder.config().hidden_size;
    let mut out = Vec::with_capacity(texts.len());
    for chunk in texts.chunks(64) {
        let mut ids = Vec::new();
        let mut starts = vec![0];
        for text in chunk {
            let mut t = encoder.token_ids(text, Intent::Query)?;
            if t.len() > max_tokens {
                let last = t[t.len() - 1];
                t.truncate(max_tokens - 1);
                t.push(last);
            }
            ids.extend(t);
            starts.push(ids.len());
        }
        let states = encoder.lower_states(&ids, &starts, frozen)?;
        let values = states.flatten_all().and_then(|t| t.to_vec1::<f32>())?;
        for w in starts.windows(2) {
            // A tensor of its own: a view would keep the whole batch's storage alive.
            let own = values[w[0] * hidden..w[1] * hidden].to_vec();
            out.push(Tensor::from_vec(own, (w[1] - w[0], hidden), &Device::Cpu)?);
        }
        progress(chunk.len());
    }
    Ok(out)
}

/// Tuned layers' tensors (as [`Tuned::layer_tensors`] gives them) with each weight matrix cut
/// to the change tuning made to `encoder`'s, as two factors of rank `rank` at most
/// ([`crate::model::source::adapter`]'s `NAME.lora_a` and `NAME.lora_b`); biases and norms
/// stay whole. Also the least share of a change's squared norm that a cut kept.
pub fn low_rank(
    encoder: &CandleEncoder,
    tuned: HashMap<String, Tensor>,
    rank: usize,
) -> Result<(HashMap<String, Tensor>, f64), TrainError> {
    let base: HashMap<String, Tensor> = encoder.layer_weights(0)?.into_iter().collect();
    let mut out = HashMap::new();
    let mut least = 1f64;
    for (name, t) in tuned {
        let (Some(own), &[rows, cols]) = (base.get(&name), t.dims()) else {
            out.insert(name, t);
            continue;
        };
        let change = (&t - own)?.flatten_all()?.to_vec1::<f32>()?;
        if !change.iter().all(|x| x.is_finite()) {
            return Err(TrainError::Other(format!("the tuned `{name}` is not finite: the run diverged")));
        }
        let cut = crate::fit::low_rank::factors(&change, rows, cols, rank);
        least = least.min(cut.kept);
        out.insert(format!("{name}.lora_b"), Tensor::from_vec(cut.b, (rows, cut.rank), &Device::Cpu)?);
        out.insert(format!("{name}.lora_a"), Tensor::from_vec(cut.a, (cut.rank, cols), &Device::Cpu)?);
    }
    Ok((out, least))
}

/// Pads `states` (each `[tokens, hidden]`) into `[batch, len, hidden]`, with its mask.
fn pad(states: &[&Tensor]) -> candle_core::Result<(Tensor, Tensor)> {
    let len = states.iter().map(|s| s.dim(0).unwrap_or(0)).max().unwrap_or(0);
    let hidden = states.first().map_or(Ok(0), |s| s.dim(1))?;
    let mut rows = Vec::with_capacity(states.len());
    let mut mask = Vec::with_capacity(states.len() * len);
    for s in states {
        let n = s.dim(0)?;
        rows.push(if n < len {
            Tensor::cat(&[*s, &Tensor::zeros((len - n, hidden), DType::F32, s.device())?], 0)?
        } else {
            (*s).clone()
        });
        mask.extend((0..len).map(|i| if i < n { 1f32 } else { 0.0 }));
    }
    Ok((Tensor::stack(&rows, 0)?, Tensor::from_vec(mask, (states.len(), len), &Device::Cpu)?))
}

/// What tuning tells its caller as it goes; the caller answers whether to go on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event {
    /// Texts whose lower states are computed, of all.
    LowerStates { done: usize, of: usize },
    /// Optimiser steps taken, of all.
    Step { done: usize, of: usize },
    /// An epoch ended with this validation accuracy.
    Epoch { epoch: usize, accuracy: f64 },
}

/// Steps between two checkpoints, besides one at the end of each epoch.
pub const CHECKPOINT_STEPS: usize = 200;

/// Where a tuning run keeps its checkpoint, one file: the variables, the optimiser's moments,
/// the best epoch's variables, and where the run stands (its [`Position`] as JSON bytes).
pub fn checkpoint_path(dir: &Path) -> PathBuf {
    dir.join("tuning.checkpoint.safetensors")
}

/// Where a run stands: what a checkpoint records besides the tensors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Position {
    /// The data and settings it belongs to.
    fingerprint: String,
    /// The epoch under way (from 1), and the generator's state before its shuffle.
    epoch: usize,
    epoch_rng: u64,
    /// Steps taken in all, and in this epoch.
    step: usize,
    epoch_step: usize,
    accuracies: Vec<f64>,
    /// The best epoch so far and its accuracy (0 for none).
    best_epoch: usize,
    best_accuracy: f64,
}

/// Tunes the top layers of `encoder` and a head on the training part of `examples` (each
/// counted as its weight says), and, where [`Settings::salience`] weighs it, for the `salient`
/// articles' summaries, keeping the epoch that labels the validation part's whole texts best.
/// With `checkpoint`, a directory, the run saves where it stands there every
/// [`CHECKPOINT_STEPS`] steps and at each epoch's end, and resumes from what it finds there
/// (the same data and settings give the same layers, stopped or not); it stops with
/// [`TrainError::Interrupted`] when `progress` answers [`ControlFlow::Break`].
pub fn tune(
    encoder: &CandleEncoder,
    examples: &[Example],
    salient: &[Salient],
    classes: usize,
    settings: &Settings,
    checkpoint: Option<&Path>,
    progress: &dyn Fn(Event) -> ControlFlow<()>,
) -> Result<(Tuned, TuningReport), TrainError> {
    let train: Vec<&Example> = examples.iter().filter(|e| e.part == Part::Train).collect();
    let val: Vec<&Example> = examples.iter().filter(|e| e.part == Part::Val && !e.piece).collect();
    if train.is_empty() || val.is_empty() {
        return Err(TrainError::Other("tuning: the train and validation parts must not be empty".into()));
    }
    let salient = if settings.salience > 0.0 { salient } else { &[] };
    let fingerprint = fingerprint(&train, &val, salient, classes, settings);
    let mut resumed = match checkpoint {
        Some(dir) => read_checkpoint(dir, &fingerprint)?,
        None => None,
    };
    let frozen = encoder.config().num_hidden_layers.saturating_sub(settings.layers);
    let started = std::time::Instant::now();
    let sentences = salient.iter().flat_map(|s| s.sentences.iter().map(String::as_str));
    let texts: Vec<&str> = train.iter().chain(&val).map(|e| e.text.as_str()).chain(sentences).collect();
    let done = std::cell::Cell::new(0);
    let states = lower_states(encoder, &texts, frozen, settings.max_tokens, &|n| {
        done.set(done.get() + n);
        let _ = progress(Event::LowerStates { done: done.get(), of: texts.len() });
    })?;
    let (train_states, rest) = states.split_at(train.len());
    let (val_states, mut sentence_states) = rest.split_at(val.len());
    let mut articles = Vec::with_capacity(salient.len());
    for s in salient {
        let (these, rest) = sentence_states.split_at(s.sentences.len());
        articles.push((these.iter().collect::<Vec<_>>(), Tensor::new(s.targets.as_slice(), &Device::Cpu)?));
        sentence_states = rest;
    }
    let seconds_lower_states = started.elapsed().as_secs_f64();

    let started = std::time::Instant::now();
    let mut tuned = Tuned::new(encoder, classes, settings)?;
    let named: Vec<(String, Var)> = {
        let data = tuned.vars.data().lock().map_err(|_| TrainError::Other("tuning: variables poisoned".into()))?;
        let mut named: Vec<(String, Var)> = data.iter().map(|(n, v)| (n.clone(), v.clone())).collect();
        named.sort_by(|a, b| a.0.cmp(&b.0));
        named
    };
    let mut opt = AdamW::new(named, Params::new(0.0, settings.weight_decay))?;
    let mut best: Option<Snapshot> = None;
    if let Some((at, tensors)) = &resumed {
        let prefixed = |prefix: &str| -> HashMap<String, Tensor> {
            tensors.iter().filter_map(|(k, t)| Some((k.strip_prefix(prefix)?.to_owned(), t.clone()))).collect()
        };
        for (name, tensor) in prefixed("var.") {
            tuned.vars.set_one(&name, &tensor)?;
        }
        opt.restore(&prefixed("opt."), at.step)?;
        let kept = prefixed("best.");
        best = (!kept.is_empty()).then(|| kept.into_iter().collect());
    }
    let mut at = resumed.take().map(|(at, _)| at).unwrap_or(Position {
        fingerprint,
        epoch: 1,
        epoch_rng: settings.seed.max(1),
        step: 0,
        epoch_step: 0,
        accuracies: Vec::new(),
        best_epoch: 0,
        best_accuracy: 0.0,
    });
    let rows: Vec<usize> = (0..train.len()).flat_map(|i| std::iter::repeat_n(i, train[i].weight as usize)).collect();
    let labels: Vec<usize> = rows.iter().map(|&i| train[i].label).collect();
    let lengths = rows.iter().map(|&i| train_states[i].dim(0)).collect::<candle_core::Result<Vec<_>>>()?;
    let class_weights = Tensor::new(balanced_weights(&labels, classes).as_slice(), &Device::Cpu)?;
    let steps_per_epoch = rows.len().div_ceil(settings.batch);
    let total = (steps_per_epoch * settings.epochs).max(1);
    let warmup = ((total as f64 * settings.warmup) as usize).max(1);
    let save = |at: &Position, opt: &AdamW, best: &Option<Snapshot>| -> Result<(), TrainError> {
        match checkpoint {
            Some(dir) => save_checkpoint(dir, at, &tuned.vars, opt, best.as_ref()),
            None => Ok(()),
        }
    };
    while at.epoch <= settings.epochs {
        let mut rng = at.epoch_rng;
        // The salient articles' order this epoch, from the epoch's own generator state, so that
        // a resumed epoch reads them as the whole one did.
        let mut turn: Vec<usize> = (0..articles.len()).collect();
        shuffle(&mut turn, &mut (at.epoch_rng ^ 0x5a11_e9ce).max(1));
        for batch in batches(&lengths, settings, &mut rng).iter().skip(at.epoch_step) {
            opt.params.lr = if at.step < warmup {
                settings.learning_rate * (at.step + 1) as f64 / warmup as f64
            } else {
                settings.learning_rate * (total - at.step) as f64 / (total - warmup).max(1) as f64
            };
            let states: Vec<&Tensor> = batch.iter().map(|&r| &train_states[rows[r]]).collect();
            let (x, mask) = pad(&states)?;
            let y: Vec<u32> = batch.iter().map(|&r| labels[r] as u32).collect();
            let y = Tensor::new(y.as_slice(), &Device::Cpu)?;
            let mut loss = weighted_cross_entropy(&tuned.logits(&x, &mask)?, &y, &class_weights)?;
            let share = |step: usize| step * articles.len() / steps_per_epoch.max(1);
            let read = &turn[share(at.epoch_step)..share(at.epoch_step + 1)];
            for &a in read {
                let (states, targets) = &articles[a];
                let (x, mask) = pad(states)?;
                let salience = tuned.salience_loss(&x, &mask, targets)?;
                loss = (loss + (salience * (settings.salience / read.len() as f64))?)?;
            }
            opt.step(&loss.backward()?)?;
            at.step += 1;
            at.epoch_step += 1;
            let stop = progress(Event::Step { done: at.step, of: total }).is_break();
            if stop || at.step % CHECKPOINT_STEPS == 0 {
                save(&at, &opt, &best)?;
            }
            if stop {
                return Err(TrainError::Interrupted);
            }
        }
        let accuracy = accuracy(&tuned, val_states, &val.iter().map(|e| e.label).collect::<Vec<_>>())?;
        at.accuracies.push(accuracy);
        // The last of equals, as the crate's argmax: the later epoch has learnt more.
        if at.best_epoch == 0 || accuracy >= at.best_accuracy {
            (at.best_epoch, at.best_accuracy) = (at.epoch, accuracy);
            best = Some(snapshot(&tuned.vars)?);
        }
        let stop = progress(Event::Epoch { epoch: at.epoch, accuracy }).is_break();
        (at.epoch, at.epoch_rng, at.epoch_step) = (at.epoch + 1, rng, 0);
        save(&at, &opt, &best)?;
        if stop && at.epoch <= settings.epochs {
            return Err(TrainError::Interrupted);
        }
    }
    for (name, tensor) in best.unwrap_or_default() {
        tuned.vars.set_one(&name, &tensor)?;
    }
    let report = TuningReport {
        layers: (frozen..encoder.config().num_hidden_layers).collect(),
        settings: *settings,
        best_epoch: at.best_epoch,
        validation_accuracy: at.accuracies,
        training_rows: rows.len(),
        validation_rows: val.len(),
        salient_articles: articles.len(),
        seconds_lower_states,
        seconds_training: started.elapsed().as_secs_f64(),
    };
    Ok((tuned, report))
}

/// One epoch's batches of the rows whose token counts are `lengths`, drawn with `rng`: the rows
/// shuffled, the rows of each [`Settings::length_pool`] batches sorted by length and cut into
/// batches, and the batches shuffled. Every row is in one batch; a batch's rows are about the
/// same length, and so padded little, while what a batch holds and when it comes stay random.
fn batches(lengths: &[usize], settings: &Settings, rng: &mut u64) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    shuffle(&mut order, rng);
    let size = settings.batch.max(1);
    let mut batches: Vec<Vec<usize>> = Vec::with_capacity(order.len().div_ceil(size));
    for pool in order.chunks_mut(size * settings.length_pool.max(1)) {
        pool.sort_by_key(|&r| lengths[r]);
        batches.extend(pool.chunks(size).map(<[usize]>::to_vec));
    }
    let mut turn: Vec<usize> = (0..batches.len()).collect();
    shuffle(&mut turn, rng);
    turn.into_iter().map(|i| std::mem::take(&mut batches[i])).collect()
}

/// What a run's checkpoint must match: its settings, its training and validation rows and the
/// salient articles it reads.
fn fingerprint(
    train: &[&Example],
    val: &[&Example],
    salient: &[Salient],
    classes: usize,
    settings: &Settings,
) -> String {
    let mut hasher = Sha256::new();
    hasher.update(serde_json::to_string(settings).unwrap_or_default());
    hasher.update(classes.to_le_bytes());
    for (part, examples) in [("train", train), ("val", val)] {
        hasher.update(part);
        for e in examples {
            hasher.update(e.text.as_bytes());
            hasher.update([0]);
            hasher.update(e.label.to_le_bytes());
            hasher.update(e.weight.to_le_bytes());
        }
    }
    for s in salient {
        for (sentence, target) in s.sentences.iter().zip(&s.targets) {
            hasher.update(sentence.as_bytes());
            hasher.update(target.to_le_bytes());
        }
        hasher.update([1]);
    }
    format!("{:x}", hasher.finalize())
}

/// The checkpoint in `dir`, where there is one: where the run stood and its tensors; an error
/// where it belongs to another run.
fn read_checkpoint(dir: &Path, fingerprint: &str) -> Result<Option<(Position, Tensors)>, TrainError> {
    let path = checkpoint_path(dir);
    if !path.exists() {
        return Ok(None);
    }
    let fail = |m: String| super::bad(&path, m);
    let mut tensors = candle_core::safetensors::load(&path, &Device::Cpu)
        .map_err(|e| fail(format!("not a tuning checkpoint: {e}")))?;
    let bytes = tensors
        .remove("position")
        .ok_or_else(|| fail("not a tuning checkpoint: no position".into()))?
        .to_vec1::<u8>()?;
    let position: Position =
        serde_json::from_slice(&bytes).map_err(|e| fail(format!("not a tuning checkpoint: {e}")))?;
    if position.fingerprint != fingerprint {
        return Err(fail("a checkpoint of another run (other data or settings): remove it to start this one".into()));
    }
    Ok(Some((position, tensors)))
}

/// Writes the checkpoint through a temporary file renamed into place, so that a run stopped
/// while writing leaves the last whole checkpoint.
fn save_checkpoint(
    dir: &Path,
    at: &Position,
    vars: &VarMap,
    opt: &AdamW,
    best: Option<&Snapshot>,
) -> Result<(), TrainError> {
    std::fs::create_dir_all(dir).map_err(|e| super::bad(dir, e.to_string()))?;
    let mut tensors: HashMap<String, Tensor> = HashMap::new();
    tensors.extend(snapshot(vars)?.into_iter().map(|(n, t)| (format!("var.{n}"), t)));
    tensors.extend(opt.moments().into_iter().map(|(n, t)| (format!("opt.{n}"), t)));
    tensors.extend(best.into_iter().flatten().map(|(n, t)| (format!("best.{n}"), t.clone())));
    let json = serde_json::to_vec(at).map_err(|e| TrainError::Other(e.to_string()))?;
    let len = json.len();
    tensors.insert("position".into(), Tensor::from_vec(json, len, &Device::Cpu)?);
    let path = checkpoint_path(dir);
    let partial = path.with_extension("partial");
    candle_core::safetensors::save(&tensors, &partial)?;
    std::fs::rename(&partial, &path).map_err(|e| super::bad(&path, e.to_string()))
}

/// Removes a finished run's checkpoint from `dir`.
pub fn remove_checkpoint(dir: &Path) {
    let _ = std::fs::remove_file(checkpoint_path(dir));
}

/// Tensors by name, as a checkpoint holds them.
type Tensors = HashMap<String, Tensor>;

/// Every variable's value, by name.
type Snapshot = Vec<(String, Tensor)>;

/// A copy of every variable's value, by name.
fn snapshot(vars: &VarMap) -> candle_core::Result<Snapshot> {
    let data = vars.data().lock().map_err(|_| candle_core::Error::Msg("variables poisoned".into()))?;
    data.iter().map(|(name, var): (&String, &Var)| Ok((name.clone(), var.as_tensor().copy()?))).collect()
}

/// The share of `states` whose best logit is their label.
fn accuracy(tuned: &Tuned, states: &[Tensor], labels: &[usize]) -> candle_core::Result<f64> {
    let mut correct = 0;
    for (chunk, gold) in states.chunks(64).zip(labels.chunks(64)) {
        let refs: Vec<&Tensor> = chunk.iter().collect();
        let (x, mask) = pad(&refs)?;
        let predicted = tuned.logits(&x, &mask)?.argmax(D::Minus1)?.to_vec1::<u32>()?;
        correct += predicted.iter().zip(gold).filter(|(p, g)| **p as usize == **g).count();
    }
    Ok(correct as f64 / labels.len().max(1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows padded in all: each batch as long as its longest row.
    fn padded(batches: &[Vec<usize>], lengths: &[usize]) -> usize {
        batches.iter().map(|b| b.len() * b.iter().map(|&r| lengths[r]).max().unwrap_or(0)).sum()
    }

    #[test]
    fn batches_of_like_lengths_hold_every_row_once_and_pad_less() {
        // Headlines of about 20 tokens among article sentences of about 100, as tuning reads.
        let lengths: Vec<usize> = (0..1000).map(|i| if i % 3 == 0 { 90 + i % 38 } else { 12 + i % 17 }).collect();
        let pooled = Settings::default();
        let drawn = Settings { length_pool: 1, ..pooled };
        let (mut a, mut b) = (7, 7);
        let sorted = batches(&lengths, &pooled, &mut a);
        let plain = batches(&lengths, &drawn, &mut b);
        for cut in [&sorted, &plain] {
            let mut rows: Vec<usize> = cut.iter().flatten().copied().collect();
            rows.sort_unstable();
            assert_eq!(rows, (0..1000).collect::<Vec<_>>());
            assert!(cut.iter().all(|b| b.len() <= pooled.batch));
        }
        let real: usize = lengths.iter().sum();
        assert!(padded(&sorted, &lengths) * 10 < real * 12, "{} {real}", padded(&sorted, &lengths));
        assert!(padded(&plain, &lengths) > real * 2, "{} {real}", padded(&plain, &lengths));
        // The same generator state gives the same batches: a resumed epoch finds its place.
        assert_eq!(batches(&lengths, &pooled, &mut 7), sorted);
        assert_ne!(batches(&lengths, &pooled, &mut 8), sorted);
    }
}
