//! Linear models over named features fitted by weighted ridge least squares, in closed form:
//! [`Linear`] and the [`fit`] behind it.

use serde::{Deserialize, Serialize};

use super::dot;

/// A fitted linear model over named features: `bias + weights · features`. The summariser's
/// sentence scorer, trimmer, tightener and compressor are such models; it is stored as JSON
/// (`features`, `weights`, `bias`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Linear {
    /// Feature names, in order.
    pub features: Vec<String>,
    pub weights: Vec<f32>,
    pub bias: f32,
}

impl Linear {
    /// Fits the model over the features `names` to `rows` ([`fit`]); `None` where nothing can
    /// be fitted.
    pub fn fit<const K: usize>(names: &[&str; K], rows: &[([f32; K], f32, f32)], ridge: f64) -> Option<Linear> {
        let (weights, bias) = fit(rows, ridge)?;
        Some(Linear { features: names.iter().map(|f| (*f).to_owned()).collect(), weights, bias })
    }

    /// Whether its features are `names`, in order.
    pub fn fits(&self, names: &[&str]) -> bool {
        self.features.iter().map(String::as_str).eq(names.iter().copied()) && self.weights.len() == names.len()
    }

    pub fn score(&self, features: &[f32]) -> f32 {
        self.bias + dot(&self.weights, features)
    }
}

/// Fits `target ≈ bias + weights · features` by weighted least squares with a small ridge
/// penalty (features standardised first, the fit folded back), solved in closed form.
pub fn fit<const K: usize>(rows: &[([f32; K], f32, f32)], ridge: f64) -> Option<(Vec<f32>, f32)> {
    let total: f64 = rows.iter().map(|r| f64::from(r.2)).sum();
    if rows.is_empty() || total <= 0.0 {
        return None;
    }
    let (mean, spread) = standardisation(|| rows.iter().map(|(x, _, w)| (x, f64::from(*w))), total);
    let target_mean: f64 = rows.iter().map(|(_, y, w)| f64::from(*w) * f64::from(*y) / total).sum();
    // Normal equations (ZᵀWZ + ridge·I) β = ZᵀW(y - ȳ) on standardised features Z.
    let mut a = vec![[0f64; K]; K];
    let mut b = [0f64; K];
    for (x, y, w) in rows {
        let z: Vec<f64> = (0..K).map(|k| (f64::from(x[k]) - mean[k]) / spread[k]).collect();
        let w = f64::from(*w) / total;
        for i in 0..K {
            b[i] += w * z[i] * (f64::from(*y) - target_mean);
            for j in 0..K {
                a[i][j] += w * z[i] * z[j];
            }
        }
    }
    for (i, row) in a.iter_mut().enumerate() {
        row[i] += ridge;
    }
    let beta = solve(a, b)?;
    let weights: Vec<f32> = (0..K).map(|k| (beta[k] / spread[k]) as f32).collect();
    let bias = target_mean - (0..K).map(|k| beta[k] * mean[k] / spread[k]).sum::<f64>();
    Some((weights, bias as f32))
}

/// Each feature's weighted mean and spread (standard deviation, at least 1e-9) over `items`
/// (features and weight) whose weights sum to `total`; the items are read twice.
pub(super) fn standardisation<'a, const K: usize, I>(items: impl Fn() -> I, total: f64) -> ([f64; K], [f64; K])
where
    I: Iterator<Item = (&'a [f32; K], f64)>,
{
    let mut mean = [0f64; K];
    for (x, w) in items() {
        for k in 0..K {
            mean[k] += w * f64::from(x[k]) / total;
        }
    }
    let mut spread = [0f64; K];
    for (x, w) in items() {
        for k in 0..K {
            spread[k] += w * (f64::from(x[k]) - mean[k]).powi(2) / total;
        }
    }
    (mean, spread.map(|s| s.sqrt().max(1e-9)))
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting; `None` if `a` is singular.
pub(super) fn solve<const K: usize>(mut a: Vec<[f64; K]>, mut b: [f64; K]) -> Option<[f64; K]> {
    for col in 0..K {
        let pivot = (col..K).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let pivot_row = a[col];
        for row in col + 1..K {
            let f = a[row][col] / pivot_row[col];
            for (x, p) in a[row][col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0f64; K];
    for row in (0..K).rev() {
        let rest: f64 = (row + 1..K).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - rest) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_squares_recovers_a_linear_target() {
        // target = 0.1 + 0.5·x₀ − 0.2·x₁₀, with the other features varying too.
        const K: usize = 27;
        let chars = 10;
        let mut rows = Vec::new();
        let mut state = 7u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as f32 / (1u64 << 31) as f32
        };
        for _ in 0..500 {
            let mut x = [0f32; K];
            x.iter_mut().for_each(|v| *v = next());
            let y = 0.1 + 0.5 * x[0] - 0.2 * x[chars];
            rows.push((x, y, 1.0));
        }
        let (w, b) = fit(&rows, 1e-9).expect("fits");
        assert!((b - 0.1).abs() < 1e-3, "{b}");
        assert!((w[0] - 0.5).abs() < 1e-3 && (w[chars] + 0.2).abs() < 1e-3, "{w:?}");
        assert!(w.iter().enumerate().filter(|(k, _)| *k != 0 && *k != chars).all(|(_, v)| v.abs() < 1e-3));
        assert!(fit::<K>(&[], 1.0).is_none());
    }
}
