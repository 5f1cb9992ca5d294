//! Class-weighted multinomial logistic regression on vectors, fitted with candle's AdamW on
//! standardised inputs and folded back so that the fit reads raw vectors ([`fit`]); with the
//! helpers other fitters share: balanced class weights and a seeded shuffle.

use candle_core::{DType, Device, Tensor, D};
use candle_nn::{Optimizer, VarMap};
use serde::Serialize;

/// A logistic regression that cannot be fitted.
#[derive(Debug, thiserror::Error)]
pub enum FitError {
    #[error("training: the train and validation parts must not be empty")]
    Empty,
    #[error("training: {0}")]
    Candle(#[from] candle_core::Error),
}

/// Optimiser settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Settings {
    pub epochs: usize,
    pub batch: usize,
    pub learning_rate: f64,
    pub weight_decay: f64,
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { epochs: 40, batch: 256, learning_rate: 1e-3, weight_decay: 1e-4, seed: 17 }
    }
}

/// Vectors and labels of one part.
pub struct Set<'a> {
    pub vectors: &'a [Vec<f32>],
    pub labels: &'a [usize],
}

/// A fitted linear map in the original vector space: `weight` `[k × d]`, `bias` `[k]`.
pub struct Fit {
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
    pub best_epoch: usize,
    /// What `score` gave the validation part's predictions at that epoch.
    pub val: f64,
}

/// Fits class-weighted logistic regression on `train`, keeping the epoch whose predictions of
/// `val` `score` (of the predicted and the gold classes, higher is better) rates best, the
/// first of equals.
///
/// Features are standardised (per-dimension mean and spread of the training vectors) for the
/// optimiser's sake; the fitted weights are folded back so that the head reads raw vectors.
pub fn fit(
    train: &Set<'_>,
    val: &Set<'_>,
    classes: usize,
    settings: &Settings,
    score: impl Fn(&[usize], &[usize]) -> f64,
) -> Result<Fit, FitError> {
    if val.vectors.is_empty() {
        return Err(FitError::Empty);
    }
    fit_keeping(train, Some((val, &score)), classes, settings)
}

/// Fits class-weighted logistic regression on `train` for exactly `settings.epochs`, keeping
/// the last: for an epoch count chosen before, as cross-validation's folds need. The fit's
/// `val` is 0.
pub fn fit_epochs(train: &Set<'_>, classes: usize, settings: &Settings) -> Result<Fit, FitError> {
    fit_keeping(train, None, classes, settings)
}

/// A validation part and how its predictions are scored.
type Scored<'a> = (&'a Set<'a>, &'a dyn Fn(&[usize], &[usize]) -> f64);

/// [`fit`] where `val` is given; else every epoch is kept over the one before.
fn fit_keeping(train: &Set<'_>, val: Option<Scored<'_>>, classes: usize, settings: &Settings) -> Result<Fit, FitError> {
    let fail = FitError::Candle;
    let dev = Device::Cpu;
    let (n, d) = (train.vectors.len(), train.vectors.first().map_or(0, Vec::len));
    if n == 0 {
        return Err(FitError::Empty);
    }
    let mut mean = vec![0f32; d];
    for v in train.vectors {
        mean.iter_mut().zip(v).for_each(|(m, x)| *m += x / n as f32);
    }
    let mut spread = vec![0f32; d];
    for v in train.vectors {
        spread.iter_mut().zip(v).zip(&mean).for_each(|((s, x), m)| *s += (x - m) * (x - m) / n as f32);
    }
    spread.iter_mut().for_each(|s| *s = s.sqrt().max(1e-6));
    let standardise = |vs: &[Vec<f32>]| -> Result<Tensor, FitError> {
        let flat: Vec<f32> =
            vs.iter().flat_map(|v| v.iter().zip(&mean).zip(&spread).map(|((x, m), s)| (x - m) / s)).collect();
        Tensor::from_vec(flat, (vs.len(), d), &dev).map_err(fail)
    };
    let x = standardise(train.vectors)?;
    let x_val = val.map(|(val, _)| standardise(val.vectors)).transpose()?;
    let class_weights = Tensor::new(balanced_weights(train.labels, classes).as_slice(), &dev).map_err(fail)?;

    // Zero initial weights: the problem is convex, and a random start would make training
    // depend on candle's unseeded generator.
    let varmap = VarMap::new();
    let zero = candle_nn::Init::Const(0.0);
    let w = varmap.get((classes, d), "weight", zero, DType::F32, &dev).map_err(fail)?;
    let b = varmap.get(classes, "bias", zero, DType::F32, &dev).map_err(fail)?;
    let layer = candle_nn::Linear::new(w, Some(b));
    let mut opt = candle_nn::AdamW::new(
        varmap.all_vars(),
        candle_nn::ParamsAdamW {
            lr: settings.learning_rate,
            weight_decay: settings.weight_decay,
            ..Default::default()
        },
    )
    .map_err(fail)?;
    // Small data sets get smaller batches, so that they still take enough optimiser steps.
    let batch_size = settings.batch.min((n / 50).max(16));
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = settings.seed.max(1);
    // The best epoch so far, its weights still in the standardised space.
    let mut best: Option<Fit> = None;
    for epoch in 1..=settings.epochs {
        shuffle(&mut order, &mut rng);
        for batch in order.chunks(batch_size) {
            let idx =
                Tensor::new(batch.iter().map(|&i| i as u32).collect::<Vec<_>>().as_slice(), &dev).map_err(fail)?;
            let xb = x.index_select(&idx, 0).map_err(fail)?;
            let yb: Vec<u32> = batch.iter().map(|&i| train.labels[i] as u32).collect();
            let yb = Tensor::new(yb.as_slice(), &dev).map_err(fail)?;
            let loss =
                weighted_cross_entropy(&candle_nn::Module::forward(&layer, &xb).map_err(fail)?, &yb, &class_weights)
                    .map_err(fail)?;
            opt.backward_step(&loss).map_err(fail)?;
        }
        let scores = match (val, &x_val) {
            (Some((val, score)), Some(x_val)) => {
                let logits = candle_nn::Module::forward(&layer, x_val).map_err(fail)?;
                let predicted: Vec<usize> = logits
                    .argmax(D::Minus1)
                    .and_then(|t| t.to_vec1::<u32>())
                    .map_err(fail)?
                    .into_iter()
                    .map(|p| p as usize)
                    .collect();
                score(&predicted, val.labels)
            }
            _ => 0.0,
        };
        if val.is_none() || best.as_ref().is_none_or(|b| scores > b.val) {
            let w = layer.weight().flatten_all().and_then(|t| t.to_vec1::<f32>()).map_err(fail)?;
            let b = layer.bias().map(|b| b.to_vec1::<f32>()).transpose().map_err(fail)?.unwrap_or(vec![0.0; classes]);
            best = Some(Fit { weight: w, bias: b, best_epoch: epoch, val: scores });
        }
    }
    let Fit { weight: w, bias: b, best_epoch, val: val_scores } = best.expect("at least one epoch");
    // Fold the standardisation in: W'x + b' = W((x - m) / s) + b.
    let mut weight = vec![0f32; classes * d];
    let mut bias = b;
    for k in 0..classes {
        for j in 0..d {
            let wk = w[k * d + j] / spread[j];
            weight[k * d + j] = wk;
            bias[k] -= wk * mean[j];
        }
    }
    Ok(Fit { weight, bias, best_epoch, val: val_scores })
}

/// The mean cross-entropy of `logits` against `labels`, each row weighed by its class's weight.
pub fn weighted_cross_entropy(logits: &Tensor, labels: &Tensor, class_weights: &Tensor) -> candle_core::Result<Tensor> {
    let logp = candle_nn::ops::log_softmax(logits, D::Minus1)?;
    let picked = logp.gather(&labels.unsqueeze(1)?, 1)?.squeeze(1)?;
    let w = class_weights.index_select(labels, 0)?;
    (picked * &w)?.sum_all()?.neg()? / w.sum_all()?.to_scalar::<f32>()? as f64
}

/// Balanced class weights, `n / (k · count)` (0 for a class without rows).
pub fn balanced_weights(labels: &[usize], classes: usize) -> Vec<f32> {
    let mut counts = vec![0usize; classes];
    labels.iter().for_each(|&l| counts[l] += 1);
    let n = labels.len() as f32;
    counts.iter().map(|&c| if c == 0 { 0.0 } else { n / (classes as f32 * c as f32) }).collect()
}

/// Fisher–Yates with a xorshift generator: the same seed gives the same order everywhere.
pub fn shuffle(order: &mut [usize], state: &mut u64) {
    for i in (1..order.len()).rev() {
        order.swap(i, (super::xorshift(state) % (i as u64 + 1)) as usize);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::{argmax, dot};

    #[test]
    fn logistic_regression_separates_separable_classes() {
        // Three clusters on the unit sphere in 8 dimensions.
        let mut vectors = Vec::new();
        let mut labels = Vec::new();
        for i in 0..300 {
            let class = i % 3;
            let mut v: Vec<f32> = (0..8).map(|j| ((i * 7 + j * 13) % 17) as f32 * 0.01).collect();
            v[class] += 1.0;
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            vectors.push(v.iter().map(|x| x / norm).collect::<Vec<f32>>());
            labels.push(class);
        }
        let set = Set { vectors: &vectors, labels: &labels };
        let settings = Settings { epochs: 30, batch: 32, learning_rate: 1e-2, ..Settings::default() };
        let accuracy =
            |p: &[usize], g: &[usize]| p.iter().zip(g).filter(|(p, g)| p == g).count() as f64 / g.len() as f64;
        let fit = fit(&set, &set, 3, &settings, accuracy).unwrap();
        assert!(fit.val > 0.99, "{}", fit.val);
        // The folded weights classify raw vectors the same way.
        let correct = vectors.iter().zip(&labels).filter(|(v, &l)| {
            let logits: Vec<f32> = (0..3).map(|k| fit.bias[k] + dot(&fit.weight[k * 8..(k + 1) * 8], v)).collect();
            argmax(&logits) == Some(l)
        });
        assert_eq!(correct.count(), 300);

        // Fitted for a number of epochs, it keeps the last; by a score, the first of equals.
        let last = fit_epochs(&set, 3, &settings).unwrap();
        assert_eq!(last.best_epoch, 30);
        let first = super::fit(&set, &set, 3, &settings, |_, _| 1.0).unwrap();
        assert_eq!(first.best_epoch, 1, "the first of equals");
    }
}
