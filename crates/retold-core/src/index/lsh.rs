//! Banded LSH over MinHash signatures.
//!
//! A signature of `k` values is cut into `b` bands of `r` rows; two documents
//! become candidates when any band agrees entirely. The chance of that at
//! Jaccard `s` is `1 - (1 - s^r)^b`, an S-curve whose step sits near the
//! target threshold when `b` and `r` are chosen by [`LshParams::for_threshold`].

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use crate::features::minhash::{mix64, MinHash};

/// Bands and rows of a banded LSH.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LshParams {
    pub bands: usize,
    pub rows: usize,
}

impl LshParams {
    /// Chooses bands × rows ≤ `num_perm` minimizing
    /// `fp_weight · P(false positive) + fn_weight · P(false negative)`, where
    /// the probabilities are the areas under the S-curve below and above the
    /// threshold (Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, §3.4).
    ///
    /// ```
    /// use retold_core::index::lsh::LshParams;
    /// let p = LshParams::for_threshold(0.8, 128, 0.5, 0.5);
    /// assert!(p.bands * p.rows <= 128);
    /// // The S-curve rises through the threshold.
    /// assert!(p.probability(0.5) < 0.1 && p.probability(0.95) > 0.95, "{p:?}");
    /// ```
    pub fn for_threshold(threshold: f64, num_perm: usize, fp_weight: f64, fn_weight: f64) -> Self {
        let t = threshold.clamp(0.01, 0.99);
        let mut best = (f64::INFINITY, LshParams { bands: 1, rows: 1 });
        for bands in 1..=num_perm.max(1) {
            for rows in 1..=(num_perm / bands).max(1) {
                if bands * rows > num_perm.max(1) {
                    break;
                }
                let p = LshParams { bands, rows };
                let fp = integrate(|s| p.probability(s), 0.0, t);
                let fneg = integrate(|s| 1.0 - p.probability(s), t, 1.0);
                let err = fp_weight * fp + fn_weight * fneg;
                if err < best.0 - 1e-12 {
                    best = (err, p);
                }
            }
        }
        best.1
    }

    /// Chooses bands × rows ≤ `num_perm` so that a pair at exactly
    /// `threshold` becomes a candidate with probability at least
    /// `min_recall` (pairs above it even more surely), and among those the
    /// one with the least false-positive area below the threshold. Falls
    /// back to [`LshParams::for_threshold`] with recall-heavy weights when no
    /// split reaches `min_recall`.
    ///
    /// ```
    /// use retold_core::index::lsh::LshParams;
    /// let p = LshParams::for_recall(0.3, 128, 0.99);
    /// assert!(p.probability(0.3) >= 0.99, "{p:?}");
    /// ```
    pub fn for_recall(threshold: f64, num_perm: usize, min_recall: f64) -> Self {
        let t = threshold.clamp(0.01, 0.99);
        let k = num_perm.max(1);
        let mut best: Option<(f64, LshParams)> = None;
        for rows in 1..=k {
            // More bands only raise both recall and false positives: take the
            // fewest bands that reach the recall floor.
            let Some(bands) =
                (1..=k / rows).find(|&b| LshParams { bands: b, rows }.probability(t) >= min_recall)
            else {
                continue;
            };
            let p = LshParams { bands, rows };
            let fp = integrate(|s| p.probability(s), 0.0, t);
            if best.is_none_or(|(f, _)| fp < f - 1e-12) {
                best = Some((fp, p));
            }
        }
        best.map(|(_, p)| p)
            .unwrap_or_else(|| Self::for_threshold(t, k, 0.05, 0.95))
    }

    /// Probability that two documents at Jaccard `s` share at least one band.
    pub fn probability(&self, s: f64) -> f64 {
        1.0 - (1.0 - s.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// The Jaccard similarity where the S-curve crosses one half.
    pub fn midpoint(&self) -> f64 {
        (1.0 - 0.5f64.powf(1.0 / self.bands as f64)).powf(1.0 / self.rows as f64)
    }

    /// Band hashes of a signature, one per band.
    pub fn band_hashes(&self, sig: &MinHash) -> Vec<u64> {
        let v = sig.values();
        (0..self.bands)
            .map(|b| {
                let start = b * self.rows;
                let rows = v.get(start..start + self.rows).unwrap_or(&[]);
                let mut h: u64 = (b as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                for &x in rows {
                    h = mix64(h ^ u64::from(x)).wrapping_add(0x632b_e59b_d9b4_e019);
                }
                h
            })
            .collect()
    }
}

/// Simpson's rule with 64 intervals; the integrands are smooth.
fn integrate(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    let n = 64;
    let h = (b - a) / n as f64;
    let mut sum = f(a) + f(b);
    for i in 1..n {
        let w = if i % 2 == 1 { 4.0 } else { 2.0 };
        sum += w * f(a + i as f64 * h);
    }
    sum * h / 3.0
}

/// Band hashes are already uniform: hash them by identity.
#[derive(Default, Clone, Copy)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type BandMap = HashMap<u64, u32, BuildHasherDefault<IdentityHasher>>;

/// An incremental LSH index of document numbers `0..n`.
///
/// Memory per document and band: one map entry (band hash → newest
/// document) and one link to the previous document with that band hash.
/// No shingles or signatures are kept.
///
/// ```
/// use retold_core::features::minhash::{mix64, MinHasher};
/// use retold_core::index::lsh::{LshIndex, LshParams};
/// let mut h = MinHasher::new(128);
/// let mut index = LshIndex::new(LshParams::for_threshold(0.5, 128, 0.5, 0.5));
/// let a = h.sign((0..400u64).map(mix64));
/// let b = h.sign((40..440u64).map(mix64)); // Jaccard 0.82
/// let c = h.sign((1000..1400u64).map(mix64));
/// assert_eq!(index.insert(&a), 0);
/// assert_eq!(index.query(&b), vec![0]);
/// assert!(index.query(&c).is_empty());
/// ```
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LshIndex {
    params: LshParams,
    heads: Vec<BandMap>,
    /// `links[band][doc]`: the previous document with the same band hash, or `u32::MAX`.
    links: Vec<Vec<u32>>,
    len: u32,
}

const NONE: u32 = u32::MAX;

impl LshIndex {
    pub fn new(params: LshParams) -> Self {
        Self {
            params,
            heads: (0..params.bands).map(|_| BandMap::default()).collect(),
            links: (0..params.bands).map(|_| Vec::new()).collect(),
            len: 0,
        }
    }

    pub fn params(&self) -> LshParams {
        self.params
    }

    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds a signature; returns its document number.
    pub fn insert(&mut self, sig: &MinHash) -> u32 {
        let hashes = if sig.is_empty() {
            Vec::new()
        } else {
            self.params.band_hashes(sig)
        };
        self.insert_hashes(&hashes)
    }

    /// Adds precomputed band hashes (empty for a document that must match nothing).
    pub fn insert_hashes(&mut self, hashes: &[u64]) -> u32 {
        let doc = self.len;
        for (band, links) in self.links.iter_mut().enumerate() {
            let prev = match hashes.get(band) {
                Some(&h) => self.heads[band].insert(h, doc).unwrap_or(NONE),
                None => NONE,
            };
            links.push(prev);
        }
        self.len += 1;
        doc
    }

    /// Documents sharing at least one band with `sig`, ascending, without repeats.
    pub fn query(&self, sig: &MinHash) -> Vec<u32> {
        if sig.is_empty() {
            return Vec::new();
        }
        self.query_hashes(&self.params.band_hashes(sig))
    }

    /// Like [`LshIndex::query`], stopping each band's walk at the first
    /// document `too_old` accepts (see [`LshIndex::query_hashes_until`]).
    pub fn query_until(&self, sig: &MinHash, too_old: impl Fn(u32) -> bool) -> Vec<u32> {
        self.query_before(sig, u32::MAX, too_old)
    }

    /// Like [`LshIndex::query_until`], as if only the documents numbered
    /// below `limit` had been inserted (see [`LshIndex::query_hashes_before`]).
    pub fn query_before(
        &self,
        sig: &MinHash,
        limit: u32,
        too_old: impl Fn(u32) -> bool,
    ) -> Vec<u32> {
        if sig.is_empty() {
            return Vec::new();
        }
        self.query_hashes_before(&self.params.band_hashes(sig), limit, too_old)
    }

    /// Like [`LshIndex::query`] with precomputed band hashes.
    pub fn query_hashes(&self, hashes: &[u64]) -> Vec<u32> {
        self.query_hashes_until(hashes, |_| false)
    }

    /// Like [`LshIndex::query_hashes`], but each band's documents are
    /// walked from the newest insert back and the walk stops at the first
    /// document for which `too_old` holds (with inserts in time order, the
    /// rest of the band is older still).
    ///
    /// ```
    /// use retold_core::index::lsh::{LshIndex, LshParams};
    /// let mut index = LshIndex::new(LshParams { bands: 1, rows: 1 });
    /// for _ in 0..4 {
    ///     index.insert_hashes(&[7]);
    /// }
    /// assert_eq!(index.query_hashes_until(&[7], |doc| doc < 2), vec![2, 3]);
    /// ```
    pub fn query_hashes_until(&self, hashes: &[u64], too_old: impl Fn(u32) -> bool) -> Vec<u32> {
        self.query_hashes_before(hashes, u32::MAX, too_old)
    }

    /// Like [`LshIndex::query_hashes_until`], as if only the documents
    /// numbered below `limit` had been inserted (queries of several new
    /// documents can then run in parallel after all were inserted).
    ///
    /// ```
    /// use retold_core::index::lsh::{LshIndex, LshParams};
    /// let mut index = LshIndex::new(LshParams { bands: 1, rows: 1 });
    /// for _ in 0..4 {
    ///     index.insert_hashes(&[7]);
    /// }
    /// assert_eq!(index.query_hashes_before(&[7], 3, |doc| doc < 1), vec![1, 2]);
    /// ```
    pub fn query_hashes_before(
        &self,
        hashes: &[u64],
        limit: u32,
        too_old: impl Fn(u32) -> bool,
    ) -> Vec<u32> {
        let mut out = Vec::new();
        for (band, &h) in hashes.iter().enumerate().take(self.params.bands) {
            let mut doc = self.heads[band].get(&h).copied().unwrap_or(NONE);
            // Newest first: documents after the limit come first.
            while doc != NONE && doc >= limit {
                doc = self.links[band][doc as usize];
            }
            while doc != NONE && !too_old(doc) {
                out.push(doc);
                doc = self.links[band][doc as usize];
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::minhash::MinHasher;

    #[test]
    fn params_favour_recall_when_asked() {
        let balanced = LshParams::for_threshold(0.3, 128, 0.5, 0.5);
        let recall = LshParams::for_threshold(0.3, 128, 0.1, 0.9);
        assert!(recall.probability(0.3) > balanced.probability(0.3));
        assert!(
            recall.probability(0.35) > 0.9,
            "{recall:?} {}",
            recall.probability(0.35)
        );
        for p in [balanced, recall] {
            assert!(p.bands * p.rows <= 128);
        }
    }

    #[test]
    fn recall_floor_is_met_with_least_false_positive_area() {
        for (t, k) in [(0.3, 128), (0.5, 128), (0.8, 128), (0.8, 64)] {
            let p = LshParams::for_recall(t, k, 0.99);
            assert!(
                p.probability(t) >= 0.99 && p.bands * p.rows <= k,
                "{t} {k} {p:?}"
            );
            // One band fewer would miss the floor.
            let fewer = LshParams {
                bands: p.bands - 1,
                rows: p.rows,
            };
            assert!(p.bands == 1 || fewer.probability(t) < 0.99);
        }
    }

    #[test]
    fn midpoint_is_where_probability_is_half() {
        let p = LshParams { bands: 16, rows: 8 };
        assert!((p.probability(p.midpoint()) - 0.5).abs() < 1e-9);
    }

    #[test]
    fn finds_near_duplicates_and_not_strangers() {
        let params = LshParams::for_threshold(0.5, 128, 0.3, 0.7);
        let mut index = LshIndex::new(params);
        let mut h = MinHasher::new(128);
        // 200 base documents, then a near copy (J≈0.8) of each.
        for d in 0..200u64 {
            index.insert(&h.sign((0..300).map(|i| mix64(d * 10_000 + i))));
        }
        let mut found = 0;
        let mut false_hits = 0;
        for d in 0..200u64 {
            let sig = h.sign((30..330).map(|i| mix64(d * 10_000 + i)));
            let hits = index.query(&sig);
            if hits.contains(&(d as u32)) {
                found += 1;
            }
            false_hits += hits.iter().filter(|&&x| x != d as u32).count();
        }
        assert!(found >= 198, "recall {found}/200");
        assert_eq!(false_hits, 0);
    }

    #[test]
    fn empty_signature_matches_nothing() {
        let mut index = LshIndex::new(LshParams { bands: 4, rows: 4 });
        let mut h = MinHasher::new(16);
        let e = h.sign(std::iter::empty());
        assert_eq!(index.insert(&e), 0);
        assert_eq!(index.insert(&e), 1);
        assert!(index.query(&e).is_empty());
    }
}
