//! IDF-weighted term vectors: document frequencies and cosine similarity.

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

/// Document frequencies of terms over a collection, updated as articles arrive.
///
/// Articles may also be counted per language ([`DocFreq::add_in`]): a
/// term's weight in a pair of texts of one language is then its rarity
/// among the texts of that language ([`DocFreq::cosine_in`]). Against
/// every text of a mostly English corpus, each word of the two German
/// texts in it is rare, and any two German texts share "rare" words.
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
    /// Articles counted per language (a hash of its code).
    #[serde(default)]
    languages: FxHashMap<u32, u32>,
}

impl DocFreq {
    /// Counts one article's terms (sorted, distinct term hashes with counts).
    pub fn add(&mut self, terms: &[(u32, u16)]) {
        self.docs += 1;
        for &(t, _) in terms {
            *self.df.entry(t).or_insert(0) += 1;
        }
    }

    /// Counts one article of `language` ([`crate::features::language_key`]).
    pub fn add_in(&mut self, language: u32, terms: &[(u32, u16)]) {
        self.add(terms);
        *self.languages.entry(language).or_insert(0) += 1;
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
        DocFreq::seeded_in(docs, df, FxHashMap::default())
    }

    /// [`DocFreq::seeded`] with the articles counted per language too.
    pub fn seeded_in(
        docs: u32,
        df: FxHashMap<u32, u32>,
        languages: FxHashMap<u32, u32>,
    ) -> DocFreq {
        DocFreq {
            docs,
            df,
            languages,
        }
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
        Self::idf_of(self.docs, self.df(term))
    }

    fn idf_of(docs: u32, df: u32) -> f64 {
        ((f64::from(docs) + 1.0) / (f64::from(df) + 1.0)).ln() + 1.0
    }

    /// Articles counted in `language` ([`DocFreq::add_in`]).
    pub fn docs_in(&self, language: u32) -> u32 {
        self.languages.get(&language).copied().unwrap_or(0)
    }

    /// Cosine of two TF-IDF vectors given as sorted (term, count) lists.
    pub fn cosine(&self, a: &[(u32, u16)], b: &[(u32, u16)]) -> f64 {
        self.cosine_over(self.docs, a, b)
    }

    /// [`DocFreq::cosine`] of two texts of one `language`, each term
    /// weighed by its rarity among the articles of that language: the
    /// articles counted in it, not all (a term's holders are counted in
    /// every language, and a word is mostly held by texts of its own).
    /// Without articles counted in `language`, as [`DocFreq::cosine`].
    ///
    /// ```
    /// use retold_core::features::terms::DocFreq;
    /// let (en, de) = (1, 2);
    /// let mut df = DocFreq::default();
    /// for k in 0..20 {
    ///     df.add_in(en, &[(100 + k, 1), (7, 1)]);
    /// }
    /// // Two German texts sharing two common words of German.
    /// let (a, b) = ([(1, 1), (2, 1), (3, 1)], [(1, 1), (2, 1), (4, 1)]);
    /// df.add_in(de, &a);
    /// df.add_in(de, &b);
    /// assert!(df.cosine_in(de, &a, &b) < df.cosine(&a, &b));
    /// // A language with no article counted: weighed against all.
    /// assert_eq!(df.cosine_in(3, &a, &b), df.cosine(&a, &b));
    /// ```
    pub fn cosine_in(&self, language: u32, a: &[(u32, u16)], b: &[(u32, u16)]) -> f64 {
        match self.docs_in(language) {
            0 => self.cosine(a, b),
            docs => self.cosine_over(docs, a, b),
        }
    }

    fn cosine_over(&self, docs: u32, a: &[(u32, u16)], b: &[(u32, u16)]) -> f64 {
        // Each term's weight is computed once (a logarithm and a lookup)
        // and used for the norm and the dot product alike: the same
        // numbers, summed in the same order.
        let weights = |v: &[(u32, u16)]| -> Vec<f64> {
            v.iter()
                .map(|&(t, n)| (1.0 + f64::from(n).ln()) * Self::idf_of(docs, self.df(t).min(docs)))
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
