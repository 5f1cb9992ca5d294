//! Linear models that rank: fitted on which of two items of a group is better, not on how good
//! each is ([`pairwise`]).
//!
//! A summariser picks one candidate of each text; what it needs is that the best of a text's
//! candidates scores highest, not that every score is near its target. A least-squares fit
//! spends itself on the many poor candidates; a pairwise logistic regression (the linear
//! RankNet) learns the order: for pairs of candidates of one group, the probability that the
//! first is better is `σ(w · (x₁ − x₂))`, each pair weighing how far apart their targets are.

use super::ridge::{solve, standardisation, Linear};
use super::xorshift;

/// One group of items to rank among themselves (a text's candidates): each item's features
/// and target, and the group's weight.
pub struct Group<const K: usize> {
    pub features: Vec<[f32; K]>,
    pub targets: Vec<f32>,
    pub weight: f32,
}

/// How [`pairwise`] fits.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Pairs drawn from each group (with replacement; ties are skipped).
    pub pairs: usize,
    /// L2 penalty on the standardised weights, against pair weights that sum to one.
    pub penalty: f64,
    /// Newton steps at most.
    pub steps: usize,
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { pairs: 400, penalty: 1e-4, steps: 30, seed: 17 }
    }
}

/// Fits a linear model over the features `names` that orders the items of each of `groups` as
/// their targets do: a pairwise logistic regression on the standardised features' differences
/// of pairs drawn from each group, each pair weighing the gap between its targets and its
/// group's weight shared among its pairs, solved by Newton's method. Its bias is zero and its
/// scores mean only their order within a group. `None` where no group has two items with
/// different targets.
pub fn pairwise<const K: usize>(names: &[&str; K], groups: &[Group<K>], settings: &Settings) -> Option<Linear> {
    let (mean, spread) = group_standardisation(groups)?;
    let standard = |x: &[f32; K]| -> [f64; K] { std::array::from_fn(|k| (f64::from(x[k]) - mean[k]) / spread[k]) };
    let mut state = settings.seed.max(1);
    let mut pairs: Vec<([f64; K], f64)> = Vec::new();
    for group in groups {
        let n = group.targets.len().min(group.features.len());
        if n < 2 {
            continue;
        }
        let start = pairs.len();
        for _ in 0..settings.pairs {
            let a = (xorshift(&mut state) % n as u64) as usize;
            let b = (xorshift(&mut state) % n as u64) as usize;
            let gap = group.targets[a] - group.targets[b];
            if gap == 0.0 {
                continue;
            }
            // Oriented so that the first of the pair is the better one.
            let (better, worse) = if gap > 0.0 { (a, b) } else { (b, a) };
            let (x, y) = (standard(&group.features[better]), standard(&group.features[worse]));
            pairs.push((std::array::from_fn(|k| x[k] - y[k]), f64::from(gap.abs())));
        }
        let drawn = (pairs.len() - start).max(1) as f64;
        pairs[start..].iter_mut().for_each(|p| p.1 *= f64::from(group.weight) / drawn);
    }
    let total: f64 = pairs.iter().map(|p| p.1).sum();
    if pairs.is_empty() || total <= 0.0 {
        return None;
    }
    pairs.iter_mut().for_each(|p| p.1 /= total);

    // Newton's method on Σ wₚ log(1 + e^(−β·dₚ)) + penalty/2 ‖β‖².
    let mut beta = [0f64; K];
    for _ in 0..settings.steps {
        let mut gradient: [f64; K] = std::array::from_fn(|k| settings.penalty * beta[k]);
        let mut hessian = vec![[0f64; K]; K];
        for (k, row) in hessian.iter_mut().enumerate() {
            row[k] = settings.penalty;
        }
        for (d, w) in &pairs {
            let margin: f64 = (0..K).map(|k| beta[k] * d[k]).sum();
            let p = 1.0 / (1.0 + (-margin).exp());
            for i in 0..K {
                gradient[i] -= w * (1.0 - p) * d[i];
                for j in 0..K {
                    hessian[i][j] += w * p * (1.0 - p) * d[i] * d[j];
                }
            }
        }
        let step = solve(hessian, gradient)?;
        (0..K).for_each(|k| beta[k] -= step[k]);
        if step.iter().map(|s| s.abs()).fold(0.0, f64::max) < 1e-9 {
            break;
        }
    }
    let weights: Vec<f32> = (0..K).map(|k| (beta[k] / spread[k]) as f32).collect();
    Some(Linear { features: names.iter().map(|f| (*f).to_owned()).collect(), weights, bias: 0.0 })
}

/// Each feature's mean and spread over the items of `groups` ([`standardisation`]); `None`
/// where there are no items.
fn group_standardisation<const K: usize>(groups: &[Group<K>]) -> Option<([f64; K], [f64; K])> {
    let n = groups.iter().map(|g| g.features.len()).sum::<usize>();
    (n > 0).then(|| standardisation(|| groups.iter().flat_map(|g| &g.features).map(|x| (x, 1.0)), n as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator for the tests' made-up features.
    fn uniform(state: &mut u64) -> f32 {
        (xorshift(state) >> 40) as f32 / (1u64 << 24) as f32
    }

    #[test]
    fn pairwise_recovers_the_order_of_each_group() {
        // Within each group the target is 2·x₀ − x₁ plus a group offset that no feature shows;
        // x₂ is noise. A ranker needs only the order within a group.
        let mut state = 5;
        let groups: Vec<Group<3>> = (0..40)
            .map(|g| {
                let features: Vec<[f32; 3]> =
                    (0..30).map(|_| [uniform(&mut state), uniform(&mut state), uniform(&mut state)]).collect();
                let offset = g as f32 * 0.7;
                let targets = features.iter().map(|x| offset + 2.0 * x[0] - x[1]).collect();
                Group { features, targets, weight: 1.0 }
            })
            .collect();
        let model = pairwise(&["a", "b", "noise"], &groups, &Settings::default()).expect("fits");
        let [a, b, noise] = [model.weights[0], model.weights[1], model.weights[2]];
        assert!(a > 0.0 && b < 0.0, "{:?}", model.weights);
        assert!((a / -b - 2.0).abs() < 0.5, "the weights keep the target's ratio: {:?}", model.weights);
        assert!(noise.abs() < 0.2 * a, "{:?}", model.weights);
        // Its best item of a new group is the group's best.
        let features: Vec<[f32; 3]> = (0..30).map(|_| [uniform(&mut state), uniform(&mut state), 0.5]).collect();
        let best = |score: &dyn Fn(&[f32; 3]) -> f32| {
            (0..features.len()).max_by(|&i, &j| score(&features[i]).total_cmp(&score(&features[j]))).expect("items")
        };
        assert_eq!(best(&|x| model.score(x)), best(&|x| 2.0 * x[0] - x[1]));
    }

    #[test]
    fn nothing_to_order_fits_nothing() {
        let tied = Group { features: vec![[1.0], [2.0]], targets: vec![0.5, 0.5], weight: 1.0 };
        let alone = Group { features: vec![[1.0]], targets: vec![0.3], weight: 1.0 };
        assert!(pairwise(&["x"], &[tied, alone], &Settings::default()).is_none());
        assert!(pairwise::<1>(&["x"], &[], &Settings::default()).is_none());
    }
}
