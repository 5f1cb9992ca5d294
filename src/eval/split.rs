//! Article-split metrics: boundary precision, recall and F1 with a tolerance in characters,
//! headline exact match, and articles found against expected.
//!
//! A boundary is the start offset of every article but a page's first (which always starts
//! the page). A predicted boundary counts as correct when it lies within `tolerance` characters
//! of a gold boundary not yet matched; matching is one-to-one, nearest first.

use serde::Serialize;

/// One article's span start and headline, predicted or gold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitItem {
    pub start: usize,
    pub headline: String,
}

/// Split scores summed over pages.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SplitScores {
    pub pages: usize,
    /// Articles the gold lists, and articles predicted.
    pub expected: usize,
    pub found: usize,
    /// Boundary counts behind precision and recall.
    pub boundaries_gold: usize,
    pub boundaries_predicted: usize,
    pub boundaries_matched: usize,
    /// Gold articles with a headline (a gold file may give spans alone).
    pub headlines_gold: usize,
    /// Gold articles whose start was matched and whose headline is exactly the predicted one.
    pub headlines_matched: usize,
    /// Pages where every boundary and every headline is right.
    pub pages_exact: usize,
}

impl SplitScores {
    /// Adds one page: gold and predicted articles in page order.
    pub fn add_page(&mut self, gold: &[SplitItem], predicted: &[SplitItem], tolerance: usize) {
        self.pages += 1;
        self.expected += gold.len();
        self.found += predicted.len();
        let gold_b: Vec<usize> = gold.iter().skip(1).map(|g| g.start).collect();
        let pred_b: Vec<usize> = predicted.iter().skip(1).map(|p| p.start).collect();
        let matched = match_boundaries(&gold_b, &pred_b, tolerance);
        self.boundaries_gold += gold_b.len();
        self.boundaries_predicted += pred_b.len();
        self.boundaries_matched += matched.len();
        // A page's first articles are paired by position; the rest by their matched boundary.
        let mut pairs: Vec<(usize, usize)> = matched.iter().map(|&(g, p)| (g + 1, p + 1)).collect();
        if !gold.is_empty() && !predicted.is_empty() {
            pairs.push((0, 0));
        }
        let has_headline = |g: &SplitItem| !g.headline.trim().is_empty();
        let with_headline = gold.iter().filter(|g| has_headline(g)).count();
        let headlines = pairs
            .iter()
            .filter(|&&(g, p)| has_headline(&gold[g]) && gold[g].headline.trim() == predicted[p].headline.trim())
            .count();
        self.headlines_gold += with_headline;
        self.headlines_matched += headlines;
        if matched.len() == gold_b.len() && matched.len() == pred_b.len() && headlines == with_headline {
            self.pages_exact += 1;
        }
    }

    /// Adds another tally (of other pages) to this one.
    pub fn absorb(&mut self, other: &SplitScores) {
        self.pages += other.pages;
        self.expected += other.expected;
        self.found += other.found;
        self.boundaries_gold += other.boundaries_gold;
        self.boundaries_predicted += other.boundaries_predicted;
        self.boundaries_matched += other.boundaries_matched;
        self.headlines_gold += other.headlines_gold;
        self.headlines_matched += other.headlines_matched;
        self.pages_exact += other.pages_exact;
    }

    pub fn precision(&self) -> f64 {
        ratio(self.boundaries_matched, self.boundaries_predicted)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.boundaries_matched, self.boundaries_gold)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Share of gold articles with a headline whose headline was found exactly.
    pub fn headline_match(&self) -> f64 {
        ratio(self.headlines_matched, self.headlines_gold)
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 {
        1.0
    } else {
        n as f64 / d as f64
    }
}

/// Pairs gold and predicted boundaries within `tolerance`, nearest pairs first, each used once.
/// Returns (gold index, predicted index) pairs in gold order.
pub fn match_boundaries(gold: &[usize], predicted: &[usize], tolerance: usize) -> Vec<(usize, usize)> {
    let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
    for (g, &gb) in gold.iter().enumerate() {
        for (p, &pb) in predicted.iter().enumerate() {
            let distance = gb.abs_diff(pb);
            if distance <= tolerance {
                candidates.push((distance, g, p));
            }
        }
    }
    candidates.sort_unstable();
    let (mut gold_used, mut pred_used) = (vec![false; gold.len()], vec![false; predicted.len()]);
    let mut pairs = Vec::new();
    for (_, g, p) in candidates {
        if !gold_used[g] && !pred_used[p] {
            gold_used[g] = true;
            pred_used[p] = true;
            pairs.push((g, p));
        }
    }
    pairs.sort_unstable();
    pairs
}

/// For each gold article start, the index of the predicted article that starts within
/// `tolerance` of it ([`match_boundaries`] over every start, the first included).
pub fn match_articles(gold: &[usize], predicted: &[usize], tolerance: usize) -> Vec<Option<usize>> {
    let mut matched = vec![None; gold.len()];
    for (g, p) in match_boundaries(gold, predicted, tolerance) {
        matched[g] = Some(p);
    }
    matched
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(spec: &[(usize, &str)]) -> Vec<SplitItem> {
        spec.iter().map(|&(start, h)| SplitItem { start, headline: h.into() }).collect()
    }

    #[test]
    fn boundaries_match_within_tolerance_once() {
        // Gold 100 and 200; predicted 98 (2 off), 103 (a second claim on 100), 260 (too far).
        assert_eq!(match_boundaries(&[100, 200], &[98, 103, 260], 5), vec![(0, 0)]);
        assert_eq!(match_boundaries(&[100], &[100], 0), vec![(0, 0)]);
    }

    #[test]
    fn hand_computed_page() {
        let gold = items(&[(0, "甲"), (100, "乙"), (200, "丙")]);
        let predicted = items(&[(0, "甲"), (101, "乙"), (150, "X"), (260, "丁")]);
        let mut s = SplitScores::default();
        s.add_page(&gold, &predicted, 2);
        // Boundaries: gold {100, 200}, predicted {101, 150, 260}: one match.
        assert_eq!((s.boundaries_matched, s.boundaries_gold, s.boundaries_predicted), (1, 2, 3));
        assert!((s.precision() - 1.0 / 3.0).abs() < 1e-12);
        assert!((s.recall() - 0.5).abs() < 1e-12);
        assert!((s.f1() - 0.4).abs() < 1e-12);
        // Headlines: 甲 (first) and 乙 (matched boundary) are right; 丙 was never found.
        assert_eq!(s.headlines_matched, 2);
        assert!((s.headline_match() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.pages_exact, 0);
    }

    #[test]
    fn gold_without_headlines_scores_spans_alone() {
        let gold = items(&[(0, ""), (100, "")]);
        let predicted = items(&[(0, "甲"), (100, "乙")]);
        let mut s = SplitScores::default();
        s.add_page(&gold, &predicted, 2);
        assert_eq!((s.headlines_gold, s.headlines_matched), (0, 0));
        assert_eq!(s.headline_match(), 1.0);
        assert_eq!(s.pages_exact, 1);
    }
}
