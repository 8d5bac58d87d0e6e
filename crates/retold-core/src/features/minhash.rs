//! MinHash by one-permutation hashing with optimal densification.
//!
//! Classic MinHash hashes every token `k` times. One-permutation hashing
//! (Li, Owen & Zhang 2012) hashes each token once: the hash picks one of `k`
//! bins and the bin keeps its smallest value. Bins that no token reached are
//! filled by optimal densification (Shrivastava 2017), which borrows the value
//! of a bin chosen by a per-bin hash sequence, so that the probability of two
//! signatures agreeing in a bin stays the Jaccard similarity of the two sets.
//! Cost: one multiply per token, no allocation per token.

use serde::{Deserialize, Serialize};

/// Marks a bin no token reached (before densification).
const EMPTY: u32 = u32::MAX;

/// A MinHash signature of `k` 32-bit values.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MinHash {
    values: Box<[u32]>,
    /// True when the set was empty: such a signature matches nothing.
    empty: bool,
}

/// Builds signatures of a fixed size; reuse one per thread.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct MinHasher {
    k: usize,
    bins: Vec<u32>,
}

impl MinHasher {
    /// A hasher for signatures of `k` values (`k` ≥ 1).
    pub fn new(k: usize) -> Self {
        let k = k.max(1);
        Self {
            k,
            bins: vec![EMPTY; k],
        }
    }

    pub fn k(&self) -> usize {
        self.k
    }

    /// Starts a new signature.
    #[inline]
    pub fn clear(&mut self) {
        self.bins.fill(EMPTY);
    }

    /// Adds one well-mixed 64-bit element hash.
    #[inline]
    pub fn push(&mut self, hash: u64) {
        // High half picks the bin (multiply-shift, no modulo), low half is the value.
        let bin = (((hash >> 32) * self.k as u64) >> 32) as usize;
        let value = hash as u32;
        // `bin < k` always holds because hash >> 32 < 2^32.
        if let Some(slot) = self.bins.get_mut(bin) {
            if value < *slot {
                *slot = value;
            }
        }
    }

    /// Finishes the signature (densifies empty bins) and resets the hasher.
    pub fn finish(&mut self) -> MinHash {
        let filled = self.bins.iter().filter(|&&v| v != EMPTY).count();
        let empty = filled == 0;
        let mut values = self.bins.clone().into_boxed_slice();
        if !empty && filled < self.k {
            for i in 0..self.k {
                if self.bins[i] != EMPTY {
                    continue;
                }
                // Probe bins in a sequence fixed by (i, attempt) until one is filled.
                let mut attempt: u64 = 0;
                loop {
                    let h = mix64(((i as u64) << 32) ^ attempt ^ 0x9e37_79b9_7f4a_7c15);
                    let j = (((h >> 32) * self.k as u64) >> 32) as usize;
                    if let Some(&v) = self.bins.get(j) {
                        if v != EMPTY {
                            values[i] = v;
                            break;
                        }
                    }
                    attempt += 1;
                }
            }
        }
        self.clear();
        MinHash { values, empty }
    }

    /// Signature of a whole set of element hashes.
    pub fn sign(&mut self, hashes: impl IntoIterator<Item = u64>) -> MinHash {
        self.clear();
        for h in hashes {
            self.push(h);
        }
        self.finish()
    }
}

impl MinHash {
    /// The signature values.
    pub fn values(&self) -> &[u32] {
        &self.values
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when built from an empty set.
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// Estimated Jaccard similarity: the share of agreeing values.
    /// Two signatures of different sizes, or an empty one, give 0.
    ///
    /// ```
    /// use retold_core::features::minhash::MinHasher;
    /// let mut h = MinHasher::new(256);
    /// let a = h.sign((0..1000u64).map(retold_core::features::minhash::mix64));
    /// let b = h.sign((500..1500u64).map(retold_core::features::minhash::mix64));
    /// let j = a.jaccard(&b); // true value 1/3
    /// assert!((j - 1.0 / 3.0).abs() < 0.1, "{j}");
    /// ```
    pub fn jaccard(&self, other: &MinHash) -> f64 {
        if self.empty || other.empty || self.values.len() != other.values.len() {
            return 0.0;
        }
        let same = self
            .values
            .iter()
            .zip(other.values.iter())
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / self.values.len() as f64
    }

    /// Builds a signature from stored values (e.g. after deserializing a compact form).
    pub fn from_values(values: Vec<u32>, empty: bool) -> Self {
        Self {
            values: values.into_boxed_slice(),
            empty,
        }
    }
}

/// A strong 64-bit finalizer (the one of MurmurHash3), used to spread
/// cheap token hashes over all bits before they are binned.
#[inline]
pub fn mix64(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^= x >> 33;
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn exact(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
        a.intersection(b).count() as f64 / a.union(b).count() as f64
    }

    /// Deterministic pseudo-random sets with a chosen overlap.
    fn sets(n: u64, shared: u64, seed: u64) -> (HashSet<u64>, HashSet<u64>) {
        let a: HashSet<u64> = (0..n).map(|i| mix64(i ^ (seed << 40))).collect();
        let mut b: HashSet<u64> = (0..shared).map(|i| mix64(i ^ (seed << 40))).collect();
        b.extend((0..n - shared).map(|i| mix64(i ^ (seed << 40) ^ (1 << 60))));
        (a, b)
    }

    #[test]
    fn estimates_track_exact_jaccard() {
        let mut h = MinHasher::new(256);
        // Across sizes from tiny (heavy densification) to large, and overlaps 0..1.
        for (n, seed) in [(20u64, 1u64), (100, 2), (600, 3), (5000, 4)] {
            for frac in [0.0, 0.1, 0.3, 0.5, 0.8, 1.0] {
                let shared = (n as f64 * frac) as u64;
                let (a, b) = sets(n, shared, seed);
                let truth = exact(&a, &b);
                let est = h
                    .sign(a.iter().copied())
                    .jaccard(&h.sign(b.iter().copied()));
                // 256 bins: standard error ≤ 0.031; allow 4 of them.
                assert!(
                    (est - truth).abs() < 0.125,
                    "n={n} frac={frac} truth={truth:.3} est={est:.3}"
                );
            }
        }
    }

    #[test]
    fn mean_error_is_small_over_many_pairs() {
        let mut h = MinHasher::new(128);
        let mut total = 0.0;
        let trials = 200;
        for seed in 0..trials {
            let (a, b) = sets(300, 150, seed + 10);
            let truth = exact(&a, &b);
            total += h
                .sign(a.iter().copied())
                .jaccard(&h.sign(b.iter().copied()))
                - truth;
        }
        // Unbiased: the mean error vanishes.
        assert!(
            (total / trials as f64).abs() < 0.01,
            "bias {}",
            total / trials as f64
        );
    }

    #[test]
    fn identical_sets_match_fully_and_order_does_not_matter() {
        let mut h = MinHasher::new(64);
        let items: Vec<u64> = (0..37).map(mix64).collect();
        let a = h.sign(items.iter().copied());
        let b = h.sign(items.iter().rev().copied());
        assert_eq!(a, b);
        assert_eq!(a.jaccard(&b), 1.0);
    }

    #[test]
    fn empty_sets_match_nothing() {
        let mut h = MinHasher::new(64);
        let e = h.sign(std::iter::empty());
        assert!(e.is_empty());
        assert_eq!(e.jaccard(&e), 0.0);
        let one = h.sign([mix64(7)]);
        assert!(!one.is_empty());
        // A one-element set densifies to that element everywhere.
        assert!(one.values().iter().all(|&v| v == one.values()[0]));
    }
}
