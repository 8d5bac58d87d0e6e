//! Near-duplicate clustering: MinHash + banded LSH + verification + union-find.
//!
//! Documents are added one at a time (streaming). Each is queried against
//! the index before it is inserted; every candidate is verified on the full
//! signatures (estimated Jaccard ≥ threshold) before the two are joined.

use serde::{Deserialize, Serialize};

use crate::features::minhash::MinHash;
use crate::index::lsh::{LshIndex, LshParams};

/// Settings of a dedup run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DedupConfig {
    /// Jaccard similarity at which two documents are duplicates.
    pub threshold: f64,
    /// MinHash values per signature.
    pub num_perm: usize,
    /// Least probability that a pair exactly at the threshold becomes a
    /// candidate. False positives are cheap here (verification removes
    /// them) and false negatives are lost for good, so this is high.
    pub min_candidate_recall: f64,
}

impl Default for DedupConfig {
    fn default() -> Self {
        Self {
            threshold: 0.8,
            num_perm: 128,
            min_candidate_recall: 0.99,
        }
    }
}

impl DedupConfig {
    pub fn lsh_params(&self) -> LshParams {
        LshParams::for_recall(self.threshold, self.num_perm, self.min_candidate_recall)
    }
}

/// Streaming near-duplicate clusters.
///
/// ```
/// use retold_core::dedup::{DedupConfig, Deduper};
/// use retold_core::features::sketch::{SketchConfig, Sketcher};
/// let mut s = Sketcher::new(SketchConfig::default());
/// let mut d = Deduper::new(DedupConfig { threshold: 0.5, ..Default::default() });
/// let text = "The council voted on Tuesday to close the old harbour bridge for repairs that will take a year.";
/// let a = d.add(s.sketch(text, None).shingle);
/// let b = d.add(s.sketch(&format!("{text} Source link"), None).shingle);
/// let c = d.add(s.sketch("Stocks rallied in Tokyo after the central bank held rates.", None).shingle);
/// assert_eq!(d.cluster_of(b), d.cluster_of(a));
/// assert_ne!(d.cluster_of(c), d.cluster_of(a));
/// ```
#[derive(Debug, Clone)]
pub struct Deduper {
    config: DedupConfig,
    index: LshIndex,
    signatures: Vec<MinHash>,
    parent: Vec<u32>,
    candidates: u64,
    verified: u64,
}

impl Deduper {
    pub fn new(config: DedupConfig) -> Self {
        Self {
            index: LshIndex::new(config.lsh_params()),
            config,
            signatures: Vec::new(),
            parent: Vec::new(),
            candidates: 0,
            verified: 0,
        }
    }

    pub fn config(&self) -> DedupConfig {
        self.config
    }

    pub fn len(&self) -> usize {
        self.signatures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.signatures.is_empty()
    }

    /// Candidate pairs looked at, and those that passed verification.
    pub fn pair_counts(&self) -> (u64, u64) {
        (self.candidates, self.verified)
    }

    /// Adds a document; returns its number (0, 1, 2, … in order of adding).
    pub fn add(&mut self, sig: MinHash) -> u32 {
        let hashes = if sig.is_empty() {
            Vec::new()
        } else {
            self.index.params().band_hashes(&sig)
        };
        let doc = self.signatures.len() as u32;
        self.parent.push(doc);
        for other in self.index.query_hashes(&hashes) {
            self.candidates += 1;
            if self.find(other) == self.find(doc) {
                continue;
            }
            if sig.jaccard(&self.signatures[other as usize]) >= self.config.threshold {
                self.verified += 1;
                self.union(doc, other);
            }
        }
        self.index.insert_hashes(&hashes);
        self.signatures.push(sig);
        doc
    }

    /// The cluster of a document: the number of its first (lowest) member.
    pub fn cluster_of(&mut self, doc: u32) -> u32 {
        self.find(doc)
    }

    /// Cluster of every document, in document order.
    pub fn clusters(&mut self) -> Vec<u32> {
        (0..self.parent.len() as u32)
            .map(|d| self.find(d))
            .collect()
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            // Path halving keeps the trees flat.
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }

    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        // The lower number is the root, so a cluster is named by its first member.
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[hi as usize] = lo;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::minhash::{mix64, MinHasher};

    #[test]
    fn clusters_are_transitive_and_named_by_first_member() {
        let mut h = MinHasher::new(128);
        let mut d = Deduper::new(DedupConfig {
            threshold: 0.6,
            ..Default::default()
        });
        // a ~ b (J≈0.82), b ~ c (J≈0.82), a and c at J≈0.67: one cluster.
        let a = d.add(h.sign((0..1000u64).map(mix64)));
        let x = d.add(h.sign((50_000..51_000u64).map(mix64)));
        let b = d.add(h.sign((100..1100u64).map(mix64)));
        let c = d.add(h.sign((200..1200u64).map(mix64)));
        let clusters = d.clusters();
        assert_eq!(clusters[b as usize], a);
        assert_eq!(clusters[c as usize], a);
        assert_eq!(clusters[x as usize], x);
        let (cands, verified) = d.pair_counts();
        assert!(verified >= 2 && cands >= verified);
    }

    #[test]
    fn below_threshold_stays_apart() {
        let mut h = MinHasher::new(128);
        let mut d = Deduper::new(DedupConfig::default());
        // J = 0.6 < 0.8.
        let a = d.add(h.sign((0..1000u64).map(mix64)));
        let b = d.add(h.sign((250..1250u64).map(mix64)));
        assert_ne!(d.cluster_of(a), d.cluster_of(b));
    }
}
