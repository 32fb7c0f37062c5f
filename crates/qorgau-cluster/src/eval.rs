//! Agreement between a clustering and known templates.
//!
//! Used by the benchmark and by tests to state clustering quality in the
//! usual terms: pairwise precision/recall/F1 (over pairs of documents put
//! together), adjusted Rand index, and B-cubed precision/recall/F1 (per
//! document, so large clusters do not dominate). All are computed from the
//! contingency table in O(n).

use std::collections::HashMap;
use std::hash::Hash;

use serde::{Deserialize, Serialize};

/// Quality of a predicted partition against a true one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    /// Documents compared.
    pub docs: usize,
    /// Predicted clusters (singletons included).
    pub predicted_clusters: usize,
    /// True clusters.
    pub true_clusters: usize,
    /// Share of predicted same-cluster pairs that are truly together (1 when
    /// nothing is predicted together).
    pub pair_precision: f64,
    /// Share of truly-together pairs predicted together (1 when no pair is
    /// truly together).
    pub pair_recall: f64,
    /// Harmonic mean of the two.
    pub pair_f1: f64,
    /// Adjusted Rand index (1 perfect, about 0 for chance).
    pub adjusted_rand: f64,
    /// Mean over documents of |pred ∩ true| / |pred|.
    pub bcubed_precision: f64,
    /// Mean over documents of |pred ∩ true| / |true|.
    pub bcubed_recall: f64,
    /// Harmonic mean of the two B-cubed figures.
    pub bcubed_f1: f64,
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn pairs(n: u64) -> f64 {
    (n as f64) * (n as f64 - 1.0) / 2.0
}

fn intern<L: Hash + Eq>(labels: &[L]) -> (Vec<u32>, usize) {
    let mut ids: HashMap<&L, u32> = HashMap::new();
    let out = labels
        .iter()
        .map(|l| {
            let next = ids.len() as u32;
            *ids.entry(l).or_insert(next)
        })
        .collect();
    (out, ids.len())
}

/// Compares `predicted` with `truth` (same documents, same order; extra
/// labels in the longer slice are ignored).
pub fn agreement<P: Hash + Eq, T: Hash + Eq>(predicted: &[P], truth: &[T]) -> Agreement {
    let n = predicted.len().min(truth.len());
    let (p, kp) = intern(&predicted[..n]);
    let (t, kt) = intern(&truth[..n]);
    let mut a = vec![0u64; kp];
    let mut b = vec![0u64; kt];
    let mut cells: HashMap<(u32, u32), u64> = HashMap::new();
    for (&x, &y) in p.iter().zip(&t) {
        a[x as usize] += 1;
        b[y as usize] += 1;
        *cells.entry((x, y)).or_insert(0) += 1;
    }
    let index: f64 = cells.values().map(|&c| pairs(c)).sum();
    let sum_a: f64 = a.iter().map(|&c| pairs(c)).sum();
    let sum_b: f64 = b.iter().map(|&c| pairs(c)).sum();
    let pair_precision = if sum_a == 0.0 { 1.0 } else { index / sum_a };
    let pair_recall = if sum_b == 0.0 { 1.0 } else { index / sum_b };
    let total = pairs(n as u64);
    let expected = if total == 0.0 {
        0.0
    } else {
        sum_a * sum_b / total
    };
    let max = (sum_a + sum_b) / 2.0;
    let adjusted_rand = if (max - expected).abs() < f64::EPSILON {
        1.0
    } else {
        (index - expected) / (max - expected)
    };
    let (mut bp, mut br) = (0.0, 0.0);
    for (&(x, y), &c) in &cells {
        let c = c as f64;
        bp += c * c / a[x as usize] as f64;
        br += c * c / b[y as usize] as f64;
    }
    let (bp, br) = if n == 0 {
        (1.0, 1.0)
    } else {
        (bp / n as f64, br / n as f64)
    };
    Agreement {
        docs: n,
        predicted_clusters: kp,
        true_clusters: kt,
        pair_precision,
        pair_recall,
        pair_f1: f1(pair_precision, pair_recall),
        adjusted_rand,
        bcubed_precision: bp,
        bcubed_recall: br,
        bcubed_f1: f1(bp, br),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_split_partitions() {
        let truth = ["a", "a", "a", "b", "b", "c"];
        let same = agreement(&[1, 1, 1, 2, 2, 3], &truth);
        assert_eq!(same.pair_f1, 1.0);
        assert!((same.adjusted_rand - 1.0).abs() < 1e-12);
        assert_eq!(same.bcubed_f1, 1.0);
        // Split "a" into {0,1} and {2}: 2 of the 4 true pairs are lost.
        let split = agreement(&[1, 1, 9, 2, 2, 3], &truth);
        assert_eq!(split.pair_precision, 1.0);
        assert!((split.pair_recall - 0.5).abs() < 1e-12);
        // Known value: sklearn.metrics.adjusted_rand_score gives 0.5945945945945946.
        assert!((split.adjusted_rand - 0.594_594_594_594_594_6).abs() < 1e-12);
        let merged = agreement(&[1, 1, 1, 1, 1, 1], &truth);
        assert!((merged.pair_precision - 4.0 / 15.0).abs() < 1e-12);
        assert_eq!(merged.pair_recall, 1.0);
    }
}
