//! Fitting the lexical half of a head ([`Lexical`]), without candle: the features are sparse
//! (about 60 of 131,072 per headline), and per-example AdaGrad on the touched rows takes
//! seconds.

use super::TrainError;
use crate::fit::argmax;
use crate::fit::logistic::{balanced_weights, shuffle};
use crate::label::lexical::{self, Lexical};
use crate::label::softmax;

/// Smoothed inverse document frequency, `ln((1 + n) / (1 + df)) + 1`, over `texts`.
pub fn idf(texts: &[&str], buckets: usize) -> Vec<f32> {
    let mut df = vec![0u32; buckets];
    for t in texts {
        lexical::counts(t, buckets).iter().for_each(|&(j, _)| df[j] += 1);
    }
    let n = texts.len() as f32;
    df.iter().map(|&d| ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0).collect()
}

/// Training settings of the lexical head.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LexicalSettings {
    pub buckets: usize,
    pub epochs: usize,
    /// AdaGrad's step size.
    pub learning_rate: f32,
    pub seed: u64,
}

impl Default for LexicalSettings {
    fn default() -> LexicalSettings {
        LexicalSettings { buckets: lexical::DEFAULT_BUCKETS, epochs: 8, learning_rate: 0.2, seed: 17 }
    }
}

/// Fits class-weighted (balanced) logistic regression by per-example AdaGrad, keeping the epoch
/// with the best accuracy on `val`. Returns the head and that epoch.
pub fn fit(
    train: (&[&str], &[usize]),
    val: (&[&str], &[usize]),
    classes: usize,
    settings: &LexicalSettings,
) -> Result<(Lexical, usize), TrainError> {
    let (texts, labels) = train;
    if texts.is_empty() || val.0.is_empty() || classes < 2 {
        return Err(TrainError::Other("lexical training: empty train or validation part".into()));
    }
    let buckets = settings.buckets;
    let idf = idf(texts, buckets);
    let mut model = Lexical { buckets, idf, weight: vec![0.0; buckets * classes], bias: vec![0.0; classes] };
    let x: Vec<Vec<(usize, f32)>> = texts.iter().map(|t| model.features(t)).collect();
    let x_val: Vec<Vec<(usize, f32)>> = val.0.iter().map(|t| model.features(t)).collect();
    let class_weight = balanced_weights(labels, classes);

    let mut g2_w = vec![1e-6f32; buckets * classes];
    let mut g2_b = vec![1e-6f32; classes];
    let mut order: Vec<usize> = (0..texts.len()).collect();
    let mut rng = settings.seed.max(1);
    let mut best: Option<(f64, Lexical, usize)> = None;
    let mut z = vec![0f32; classes];
    for epoch in 1..=settings.epochs {
        shuffle(&mut order, &mut rng);
        for &i in &order {
            model.logits_into(&x[i], &mut z);
            // Gradient of the weighted cross-entropy: weight · (softmax - onehot).
            let cw = class_weight[labels[i]];
            let mut p = softmax(&z);
            p.iter_mut().enumerate().for_each(|(c, p)| *p = cw * (*p - if c == labels[i] { 1.0 } else { 0.0 }));
            for (c, g) in p.iter().enumerate() {
                g2_b[c] += g * g;
                model.bias[c] -= settings.learning_rate * g / g2_b[c].sqrt();
            }
            for &(j, v) in &x[i] {
                let row = j * classes;
                for (c, g) in p.iter().enumerate() {
                    let g = g * v;
                    g2_w[row + c] += g * g;
                    model.weight[row + c] -= settings.learning_rate * g / g2_w[row + c].sqrt();
                }
            }
        }
        let correct = x_val
            .iter()
            .zip(val.1)
            .filter(|(f, &gold)| {
                model.logits_into(f, &mut z);
                argmax(&z) == Some(gold)
            })
            .count();
        let accuracy = correct as f64 / x_val.len() as f64;
        if best.as_ref().is_none_or(|(a, _, _)| accuracy > *a) {
            best = Some((accuracy, model.clone(), epoch));
        }
    }
    let (_, model, epoch) = best.expect("at least one epoch");
    Ok((model, epoch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_learns_which_words_go_with_which_label() {
        let texts = ["港股收盘上涨", "沪指收盘下跌", "球队客场获胜", "主队点球告负", "港股午后走低", "球队主场战平"];
        let labels = [0, 0, 1, 1, 0, 1];
        let settings = LexicalSettings { buckets: 1 << 12, epochs: 20, ..LexicalSettings::default() };
        let (model, _) = fit((&texts, &labels), (&texts, &labels), 2, &settings).unwrap();
        for (text, want) in [("港股早盘上涨", 0), ("球队客场战平", 1)] {
            let z = model.logits(text);
            assert_eq!(usize::from(z[1] > z[0]), want, "{text}: {z:?}");
        }
    }
}
