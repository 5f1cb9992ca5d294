//! Tuning the encoder's top layers for sections: the frozen encoder's vectors cap what a linear
//! head can learn, so the top `layers` transformer layers are trained too, together with a
//! linear head on the pooled, L2-normalised vector, on the head's own training rows.
//!
//! The layers below stay frozen, so each text's states after them are computed once, by the
//! inference encoder ([`CandleEncoder::lower_states`]), and kept; each step then runs only the
//! tuned layers, forward and backward, as candle-nn layers on f32 variables ([`Tunable`]),
//! initialised from the weights file. AdamW, a linear warm-up and a linear decay, batches of
//! texts padded to their longest, balanced class weights; the epoch whose validation rows
//! (whole texts, as the head's trainer chooses) score best is kept.

use candle_core::{DType, Device, Tensor, Var, D};
use candle_nn::{Optimizer, VarBuilder, VarMap};

use super::head::Example;
use super::TrainError;
use crate::fit::logistic::{balanced_weights, shuffle, weighted_cross_entropy};
use crate::fit::split::Part;
use crate::model::network::bert::layer_tensors;
use crate::model::{CandleEncoder, Intent};

/// How the top layers are tuned.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
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
    /// What the pooled, L2-normalised vector is multiplied by before the head: a unit vector's
    /// logits would otherwise stay too close together for the cross-entropy to separate.
    pub scale: f64,
    pub seed: u64,
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
            scale: 20.0,
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

    /// The tuned encoder's vectors of texts whose states after the frozen layers are `states`
    /// ([`lower_states`]): what the encoder loaded with these layers as an adapter gives.
    pub fn vectors(&self, states: &[Tensor]) -> Result<Vec<Vec<f32>>, TrainError> {
        let refs: Vec<&Tensor> = states.iter().collect();
        let (x, mask) = pad(&refs)?;
        Ok(self.pooled(&x, &mask)?.to_vec2()?)
    }
}

/// What tuning found: the epoch kept and its validation accuracy, each epoch's, and the time.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    /// The layers tuned.
    pub layers: Vec<usize>,
    pub settings: Settings,
    pub best_epoch: usize,
    pub validation_accuracy: Vec<f64>,
    pub training_rows: usize,
    pub validation_rows: usize,
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
        let hidden = encoder.config().hidden_size;
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

/// Tunes the top layers of `encoder` and a head on the training part of `examples` (each
/// counted as its weight says), keeping the epoch that labels the validation part's whole
/// texts best.
pub fn tune(
    encoder: &CandleEncoder,
    examples: &[Example],
    classes: usize,
    settings: &Settings,
    progress: &dyn Fn(&str, usize, usize),
) -> Result<(Tuned, Report), TrainError> {
    let train: Vec<&Example> = examples.iter().filter(|e| e.part == Part::Train).collect();
    let val: Vec<&Example> = examples.iter().filter(|e| e.part == Part::Val && !e.piece).collect();
    if train.is_empty() || val.is_empty() {
        return Err(TrainError::Other("tuning: the train and validation parts must not be empty".into()));
    }
    let frozen = encoder.config().num_hidden_layers.saturating_sub(settings.layers);
    let started = std::time::Instant::now();
    let texts: Vec<&str> = train.iter().chain(&val).map(|e| e.text.as_str()).collect();
    let done = std::cell::Cell::new(0);
    let states = lower_states(encoder, &texts, frozen, settings.max_tokens, &|n| {
        done.set(done.get() + n);
        progress("lower states", done.get(), texts.len());
    })?;
    let (train_states, val_states) = states.split_at(train.len());
    let seconds_lower_states = started.elapsed().as_secs_f64();

    let started = std::time::Instant::now();
    let tuned = Tuned::new(encoder, classes, settings)?;
    let rows: Vec<usize> = (0..train.len()).flat_map(|i| std::iter::repeat_n(i, train[i].weight as usize)).collect();
    let labels: Vec<usize> = rows.iter().map(|&i| train[i].label).collect();
    let class_weights = Tensor::new(balanced_weights(&labels, classes).as_slice(), &Device::Cpu)?;
    let mut opt = candle_nn::AdamW::new(
        tuned.vars.all_vars(),
        candle_nn::ParamsAdamW { lr: 0.0, weight_decay: settings.weight_decay, ..Default::default() },
    )?;
    let steps_per_epoch = rows.len().div_ceil(settings.batch);
    let total = (steps_per_epoch * settings.epochs).max(1);
    let warmup = ((total as f64 * settings.warmup) as usize).max(1);
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut rng = settings.seed.max(1);
    let mut step = 0;
    let mut accuracies = Vec::new();
    // The best validation accuracy so far, its epoch and its weights.
    let mut best: Option<(f64, usize, Snapshot)> = None;
    for epoch in 1..=settings.epochs {
        shuffle(&mut order, &mut rng);
        for batch in order.chunks(settings.batch) {
            let lr = if step < warmup {
                settings.learning_rate * (step + 1) as f64 / warmup as f64
            } else {
                settings.learning_rate * (total - step) as f64 / (total - warmup).max(1) as f64
            };
            opt.set_learning_rate(lr);
            let states: Vec<&Tensor> = batch.iter().map(|&r| &train_states[rows[r]]).collect();
            let (x, mask) = pad(&states)?;
            let y: Vec<u32> = batch.iter().map(|&r| labels[r] as u32).collect();
            let y = Tensor::new(y.as_slice(), &Device::Cpu)?;
            let loss = weighted_cross_entropy(&tuned.logits(&x, &mask)?, &y, &class_weights)?;
            opt.backward_step(&loss)?;
            step += 1;
            progress("training", step, total);
        }
        let accuracy = accuracy(&tuned, val_states, &val.iter().map(|e| e.label).collect::<Vec<_>>())?;
        accuracies.push(accuracy);
        if best.as_ref().is_none_or(|(a, _, _)| accuracy > *a) {
            best = Some((accuracy, epoch, snapshot(&tuned.vars)?));
        }
    }
    let (_, best_epoch, weights) = best.ok_or_else(|| TrainError::Other("tuning: no epoch".into()))?;
    let mut tuned = tuned;
    for (name, tensor) in weights {
        tuned.vars.set_one(&name, &tensor)?;
    }
    let report = Report {
        layers: (frozen..encoder.config().num_hidden_layers).collect(),
        settings: *settings,
        best_epoch,
        validation_accuracy: accuracies,
        training_rows: rows.len(),
        validation_rows: val.len(),
        seconds_lower_states,
        seconds_training: started.elapsed().as_secs_f64(),
    };
    Ok((tuned, report))
}

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
