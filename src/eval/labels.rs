//! Classification scores: accuracy, macro-F1 and per-class precision / recall / F1 / support,
//! the confusion matrix, and lenient accuracy where a gold item accepts several labels.

use serde::Serialize;

/// Scores of predicted against gold class indices.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelScores {
    pub n: usize,
    pub accuracy: f64,
    /// Mean F1 over the classes that occur in the gold labels or the predictions.
    pub macro_f1: f64,
    /// Per class: precision, recall, F1, support (gold count).
    pub per_class: Vec<ClassScores>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClassScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

pub fn score_labels(predicted: &[usize], gold: &[usize], classes: usize) -> LabelScores {
    let n = predicted.len().min(gold.len());
    let mut tp = vec![0usize; classes];
    let mut predicted_count = vec![0usize; classes];
    let mut gold_count = vec![0usize; classes];
    for (&p, &g) in predicted.iter().zip(gold) {
        predicted_count[p] += 1;
        gold_count[g] += 1;
        if p == g {
            tp[p] += 1;
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let per_class: Vec<ClassScores> = (0..classes)
        .map(|c| {
            let (precision, recall) = (ratio(tp[c], predicted_count[c]), ratio(tp[c], gold_count[c]));
            let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
            ClassScores { precision, recall, f1, support: gold_count[c] }
        })
        .collect();
    let present: Vec<usize> = (0..classes).filter(|&c| gold_count[c] > 0 || predicted_count[c] > 0).collect();
    let macro_f1 = if present.is_empty() {
        0.0
    } else {
        present.iter().map(|&c| per_class[c].f1).sum::<f64>() / present.len() as f64
    };
    LabelScores { n, accuracy: ratio(tp.iter().sum(), n), macro_f1, per_class }
}

/// Counts of (gold, predicted) pairs: `matrix[gold][predicted]`.
pub fn confusion(predicted: &[usize], gold: &[usize], classes: usize) -> Vec<Vec<usize>> {
    let mut matrix = vec![vec![0usize; classes]; classes];
    for (&p, &g) in predicted.iter().zip(gold) {
        matrix[g][p] += 1;
    }
    matrix
}

/// Share of items whose prediction is the gold label or one of its acceptable alternatives.
pub fn lenient_accuracy(predicted: &[usize], gold: &[usize], also: &[Vec<usize>]) -> f64 {
    let n = predicted.len().min(gold.len());
    if n == 0 {
        return 0.0;
    }
    let right = (0..n).filter(|&i| predicted[i] == gold[i] || also.get(i).is_some_and(|a| a.contains(&predicted[i])));
    right.count() as f64 / n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_scores() {
        // gold:      0 0 0 1 1 2
        // predicted: 0 0 1 1 2 2
        let s = score_labels(&[0, 0, 1, 1, 2, 2], &[0, 0, 0, 1, 1, 2], 4);
        assert!((s.accuracy - 4.0 / 6.0).abs() < 1e-12);
        // class 0: P 2/2, R 2/3, F1 0.8; class 1: P 1/2, R 1/2, F1 0.5; class 2: P 1/2, R 1, F1 2/3.
        assert!((s.per_class[0].f1 - 0.8).abs() < 1e-12);
        assert!((s.per_class[1].f1 - 0.5).abs() < 1e-12);
        assert!((s.per_class[2].f1 - 2.0 / 3.0).abs() < 1e-12);
        // Class 3 never occurs and does not count.
        assert!((s.macro_f1 - (0.8 + 0.5 + 2.0 / 3.0) / 3.0).abs() < 1e-12);
        assert_eq!(s.per_class[0].support, 3);
        let m = confusion(&[0, 0, 1, 1, 2, 2], &[0, 0, 0, 1, 1, 2], 3);
        assert_eq!(m, vec![vec![2, 1, 0], vec![0, 1, 1], vec![0, 0, 1]]);
    }

    #[test]
    fn lenient_accepts_alternatives() {
        // Item 2 (gold 0, predicted 1) accepts 1; item 4 (gold 1, predicted 2) accepts only 0.
        let also = vec![vec![], vec![], vec![1], vec![], vec![0], vec![]];
        let (predicted, gold) = ([0, 0, 1, 1, 2, 2], [0, 0, 0, 1, 1, 2]);
        assert!((lenient_accuracy(&predicted, &gold, &also) - 5.0 / 6.0).abs() < 1e-12);
        assert!((lenient_accuracy(&predicted, &gold, &[]) - 4.0 / 6.0).abs() < 1e-12);
    }
}
