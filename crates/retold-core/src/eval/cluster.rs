//! Clustering quality: BCubed (Bagga & Baldwin 1998; Amigó et al. 2009) and
//! pairwise precision, recall and F1 of a predicted clustering against gold.
//!
//! Items are given as one label per item (gold and predicted, same order);
//! label values only matter by equality, so any naming works.
//!
//! BCubed precision of an item is the share of the items in its predicted
//! cluster (itself included) that share its gold cluster; recall, the share
//! of its gold cluster that share its predicted cluster; both averaged over
//! items. BCubed weighs every item alike, so one big wrong merge costs what
//! it should, unlike purity. Pairwise scores count item pairs put together:
//! precision = right pairs / predicted pairs, recall = right pairs / gold
//! pairs; with no pairs to count (all singletons) the ratio is 1.
//!
//! ```
//! use retold_core::eval::cluster::score;
//! let gold = ["a", "a", "b", "b"];
//! let got = [1, 1, 1, 2];
//! let s = score(&gold, &got);
//! assert!((s.bcubed_precision - (2.0 / 3.0 + 2.0 / 3.0 + 1.0 / 3.0 + 1.0) / 4.0).abs() < 1e-12);
//! assert_eq!(s.bcubed_recall, 0.75);
//! ```

use std::collections::HashMap;
use std::hash::Hash;

use serde::Serialize;

/// Scores of one clustering (all zero for no items).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ClusterScore {
    /// Items scored.
    pub items: usize,
    /// Distinct gold labels.
    pub gold_clusters: usize,
    /// Distinct predicted labels.
    pub predicted_clusters: usize,
    pub bcubed_precision: f64,
    pub bcubed_recall: f64,
    pub bcubed_f1: f64,
    pub pairwise_precision: f64,
    pub pairwise_recall: f64,
    pub pairwise_f1: f64,
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Scores `predicted` against `gold`: one label per item, in the same order.
/// Slices of different lengths are a caller's bug; only their common prefix
/// is scored (and `items` says how many).
pub fn score<G: Eq + Hash, P: Eq + Hash>(gold: &[G], predicted: &[P]) -> ClusterScore {
    let n = gold.len().min(predicted.len());
    if n == 0 {
        return ClusterScore::default();
    }
    let mut g_size: HashMap<&G, usize> = HashMap::new();
    let mut p_size: HashMap<&P, usize> = HashMap::new();
    let mut both: HashMap<(&G, &P), usize> = HashMap::new();
    for (g, p) in gold.iter().zip(predicted).take(n) {
        *g_size.entry(g).or_default() += 1;
        *p_size.entry(p).or_default() += 1;
        *both.entry((g, p)).or_default() += 1;
    }
    // Every item of a (gold, predicted) cell sees the same counts.
    let (mut bp, mut br) = (0.0, 0.0);
    let mut together_right = 0u64;
    for (&(g, p), &c) in &both {
        bp += c as f64 * c as f64 / p_size[p] as f64;
        br += c as f64 * c as f64 / g_size[g] as f64;
        together_right += (c * (c - 1) / 2) as u64;
    }
    let pairs = |m: &mut dyn Iterator<Item = usize>| {
        m.map(|c| (c * (c.saturating_sub(1)) / 2) as u64)
            .sum::<u64>()
    };
    let together_pred = pairs(&mut p_size.values().copied());
    let together_gold = pairs(&mut g_size.values().copied());
    let ratio = |x: u64, y: u64| if y == 0 { 1.0 } else { x as f64 / y as f64 };
    let (bp, br) = (bp / n as f64, br / n as f64);
    let (pp, pr) = (
        ratio(together_right, together_pred),
        ratio(together_right, together_gold),
    );
    ClusterScore {
        items: n,
        gold_clusters: g_size.len(),
        predicted_clusters: p_size.len(),
        bcubed_precision: bp,
        bcubed_recall: br,
        bcubed_f1: f1(bp, br),
        pairwise_precision: pp,
        pairwise_recall: pr,
        pairwise_f1: f1(pp, pr),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn perfect_and_degenerate_clusterings() {
        let gold = [1, 1, 2, 2, 3];
        let s = score(&gold, &["x", "x", "y", "y", "z"]);
        assert_eq!((s.bcubed_f1, s.pairwise_f1), (1.0, 1.0));
        // All singletons: precision 1, recall = mean 1/|gold cluster|.
        let s = score(&gold, &[1, 2, 3, 4, 5]);
        assert_eq!(s.bcubed_precision, 1.0);
        assert!((s.bcubed_recall - (0.5 * 4.0 + 1.0) / 5.0).abs() < 1e-12);
        assert_eq!(s.pairwise_recall, 0.0);
        // One big cluster: recall 1, precision = mean |gold cluster| / 5.
        let s = score(&gold, &[0, 0, 0, 0, 0]);
        assert_eq!(s.bcubed_recall, 1.0);
        assert!((s.bcubed_precision - (2.0 * 4.0 + 1.0) / 25.0).abs() < 1e-12);
        assert!((s.pairwise_precision - 2.0 / 10.0).abs() < 1e-12);
    }

    #[test]
    fn no_items_scores_zero() {
        let none: [u8; 0] = [];
        assert_eq!(score(&none, &none), ClusterScore::default());
    }

    #[test]
    fn singletons_against_singletons_are_perfect() {
        let s = score(&[1, 2, 3], &["a", "b", "c"]);
        assert_eq!((s.bcubed_f1, s.pairwise_f1), (1.0, 1.0));
        assert_eq!((s.gold_clusters, s.predicted_clusters), (3, 3));
    }

    #[test]
    fn worked_example() {
        // Gold {a1 a2 a3} {b1 b2}; predicted {a1 a2} {a3 b1 b2}.
        let s = score(&["a", "a", "a", "b", "b"], &[1, 1, 2, 2, 2]);
        // Precision: a1, a2: 1; a3: 1/3; b1, b2: 2/3 → (2 + 1/3 + 4/3) / 5.
        assert!((s.bcubed_precision - (2.0 + 1.0 / 3.0 + 4.0 / 3.0) / 5.0).abs() < 1e-12);
        // Recall: a1, a2: 2/3; a3: 1/3; b1, b2: 1 → (4/3 + 1/3 + 2) / 5.
        assert!((s.bcubed_recall - (4.0 / 3.0 + 1.0 / 3.0 + 2.0) / 5.0).abs() < 1e-12);
        // Pairs: predicted 1 + 3 = 4, gold 3 + 1 = 4, right 1 + 1 = 2.
        assert_eq!((s.pairwise_precision, s.pairwise_recall), (0.5, 0.5));
    }

    fn values(s: &ClusterScore) -> [f64; 6] {
        [
            s.bcubed_precision,
            s.bcubed_recall,
            s.bcubed_f1,
            s.pairwise_precision,
            s.pairwise_recall,
            s.pairwise_f1,
        ]
    }

    proptest! {
        #[test]
        fn scores_are_bounded_and_relabeling_invariant(
            labels in proptest::collection::vec((0u8..5, 0u8..5), 1..40)
        ) {
            let gold: Vec<u8> = labels.iter().map(|x| x.0).collect();
            let got: Vec<u8> = labels.iter().map(|x| x.1).collect();
            let s = score(&gold, &got);
            for v in values(&s) {
                prop_assert!((0.0..=1.0 + 1e-12).contains(&v));
            }
            // Renaming labels (one-to-one) changes nothing.
            let renamed: Vec<String> = got.iter().map(|&x| format!("c{}", 1000 - u32::from(x) * 7)).collect();
            let r = score(&gold, &renamed);
            prop_assert_eq!((s.items, s.gold_clusters, s.predicted_clusters), (r.items, r.gold_clusters, r.predicted_clusters));
            for (a, b) in values(&s).into_iter().zip(values(&r)) {
                prop_assert!((a - b).abs() < 1e-12);
            }
            // Identical partitions are perfect.
            let same = score(&gold, &gold);
            prop_assert_eq!((same.bcubed_f1, same.pairwise_f1), (1.0, 1.0));
            // Swapping gold and prediction swaps precision and recall.
            let t = score(&got, &gold);
            prop_assert!((s.bcubed_precision - t.bcubed_recall).abs() < 1e-12);
            prop_assert!((s.pairwise_precision - t.pairwise_recall).abs() < 1e-12);
        }
    }
}
