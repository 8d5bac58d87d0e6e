//! IDF-weighted term vectors: document frequencies and cosine similarity.

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

/// Document frequencies of terms over a collection, updated as articles arrive.
///
/// ```
/// use retold_core::features::terms::DocFreq;
/// let mut df = DocFreq::default();
/// df.add(&[(1, 2), (2, 1)]);
/// df.add(&[(1, 1), (3, 4)]);
/// assert!(df.idf(3) > df.idf(1)); // rarer terms weigh more
/// let a = [(1, 2), (2, 1)];
/// assert!((df.cosine(&a, &a) - 1.0).abs() < 1e-9);
/// assert_eq!(df.cosine(&a, &[(3, 1)]), 0.0);
/// ```
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DocFreq {
    docs: u32,
    df: FxHashMap<u32, u32>,
}

impl DocFreq {
    /// Counts one article's terms (sorted, distinct term hashes with counts).
    pub fn add(&mut self, terms: &[(u32, u16)]) {
        self.docs += 1;
        for &(t, _) in terms {
            *self.df.entry(t).or_insert(0) += 1;
        }
    }

    /// Counts that start from statistics gathered elsewhere: `docs`
    /// articles, of which `df[t]` hold term `t` (see
    /// [`crate::story::History`]). [`DocFreq::add`] goes on from there.
    ///
    /// ```
    /// use retold_core::features::terms::DocFreq;
    /// let mut seeded = DocFreq::seeded(2, [(1, 2)].into_iter().collect());
    /// let mut counted = DocFreq::default();
    /// counted.add(&[(1, 1)]);
    /// counted.add(&[(1, 3), (2, 1)]);
    /// seeded.add(&[(2, 1)]);
    /// counted.add(&[(2, 1)]);
    /// assert_eq!(seeded.idf(1), counted.idf(1));
    /// assert_eq!(seeded.idf(2), DocFreq::seeded(3, [(1, 2), (2, 1)].into_iter().collect()).idf(2));
    /// ```
    pub fn seeded(docs: u32, df: FxHashMap<u32, u32>) -> DocFreq {
        DocFreq { docs, df }
    }

    pub fn docs(&self) -> u32 {
        self.docs
    }

    /// Articles containing `term`.
    pub fn df(&self, term: u32) -> u32 {
        self.df.get(&term).copied().unwrap_or(0)
    }

    /// Smoothed inverse document frequency, ≥ 1.
    pub fn idf(&self, term: u32) -> f64 {
        ((f64::from(self.docs) + 1.0) / (f64::from(self.df(term)) + 1.0)).ln() + 1.0
    }

    /// Cosine of two TF-IDF vectors given as sorted (term, count) lists.
    pub fn cosine(&self, a: &[(u32, u16)], b: &[(u32, u16)]) -> f64 {
        // Each term's weight is computed once (a logarithm and a lookup)
        // and used for the norm and the dot product alike: the same
        // numbers, summed in the same order.
        let weights = |v: &[(u32, u16)]| -> Vec<f64> {
            v.iter()
                .map(|&(t, n)| (1.0 + f64::from(n).ln()) * self.idf(t))
                .collect()
        };
        let (wa, wb) = (weights(a), weights(b));
        let norm = |w: &[f64]| w.iter().map(|x| x.powi(2)).sum::<f64>().sqrt();
        let (na, nb) = (norm(&wa), norm(&wb));
        if na == 0.0 || nb == 0.0 {
            return 0.0;
        }
        let (mut i, mut j, mut dot) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    dot += wa[i] * wb[j];
                    i += 1;
                    j += 1;
                }
            }
        }
        dot / (na * nb)
    }
}
