//! Percentile bootstrap confidence intervals: resample the items with replacement, recompute
//! the statistic, take the 2.5th and 97.5th percentiles. Seeded (ChaCha8), so a report is
//! reproducible to the last digit.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// A 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// Resampling settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bootstrap {
    pub resamples: usize,
    pub seed: u64,
}

impl Default for Bootstrap {
    fn default() -> Bootstrap {
        Bootstrap { resamples: 1000, seed: 17 }
    }
}

impl Bootstrap {
    /// The 95% interval of `statistic` over `n` items. `statistic` gets the indices of one
    /// resample (with repeats). No items or no resamples give no interval.
    pub fn interval(&self, n: usize, statistic: impl Fn(&[usize]) -> f64) -> Option<Interval> {
        if n == 0 || self.resamples == 0 {
            return None;
        }
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut indices = vec![0usize; n];
        let mut values: Vec<f64> = (0..self.resamples)
            .map(|_| {
                indices.iter_mut().for_each(|i| *i = rng.random_range(0..n));
                statistic(&indices)
            })
            .collect();
        values.sort_by(f64::total_cmp);
        Some(Interval { low: percentile(&values, 0.025), high: percentile(&values, 0.975) })
    }

    /// The interval of the mean of `values`.
    pub fn mean(&self, values: &[f64]) -> Option<Interval> {
        self.interval(values.len(), |ix| ix.iter().map(|&i| values[i]).sum::<f64>() / ix.len() as f64)
    }
}

/// Linear interpolation between the closest ranks of sorted `values`.
fn percentile(values: &[f64], q: f64) -> f64 {
    let rank = q * (values.len() - 1) as f64;
    let (below, above) = (rank.floor() as usize, rank.ceil() as usize);
    values[below] + (values[above] - values[below]) * (rank - below as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate() {
        let v: Vec<f64> = (0..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.025), 2.5);
        assert_eq!(percentile(&v, 0.975), 97.5);
        assert_eq!(percentile(&[3.0], 0.5), 3.0);
    }

    #[test]
    fn interval_of_a_mean_is_seeded_and_sensible() {
        // 60 ones and 40 zeros: mean 0.6, standard error sqrt(0.24/100) ≈ 0.049.
        let values: Vec<f64> = (0..100).map(|i| if i < 60 { 1.0 } else { 0.0 }).collect();
        let b = Bootstrap::default();
        let ci = b.mean(&values).expect("interval");
        assert!(ci.low < 0.6 && 0.6 < ci.high, "{ci:?}");
        // About ±1.96 standard errors.
        assert!((ci.high - ci.low - 2.0 * 1.96 * 0.049).abs() < 0.03, "{ci:?}");
        assert_eq!(b.mean(&values), Some(ci), "same seed, same interval");
        assert_ne!(Bootstrap { seed: 18, ..b }.mean(&values), Some(ci));
        // Constant data has a point interval.
        assert_eq!(b.mean(&[0.5; 10]), Some(Interval { low: 0.5, high: 0.5 }));
        assert_eq!(b.mean(&[]), None);
    }
}
