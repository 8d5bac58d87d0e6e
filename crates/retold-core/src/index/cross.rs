//! Candidates across languages (issue 18, first slice): the nearest
//! articles *in another language* by the cosine of their lead embeddings
//! ([`crate::features::embed`]), by an exact scan.
//!
//! Same-language pairs keep the lexical candidate search
//! ([`super::CandidateIndex`]); only articles whose language is known and
//! differs are compared here, so a corpus in one language never reaches
//! the scan. The scan costs one dot product per other-language article a
//! query is compared with (384 floats for multilingual-e5-small); an ANN
//! index (HNSW) is the next step when that grows too large.
//!
//! ```
//! use retold_core::index::cross::CrossLanguageIndex;
//! let mut index = CrossLanguageIndex::new(2);
//! index.insert(Some("de"), &[1.0, 0.0]);
//! index.insert(Some("en"), &[1.0, 0.0]);
//! index.insert(Some("fr"), &[0.0, 1.0]);
//! // An English query finds the German text, not the English one.
//! let hits = index.query(Some("en"), &[0.9, 0.1], 5, 0.5);
//! assert_eq!(hits.iter().map(|h| h.0).collect::<Vec<_>>(), vec![0]);
//! ```

/// Lead embeddings of articles with their languages, scanned exactly.
#[derive(Debug, Clone)]
pub struct CrossLanguageIndex {
    dim: usize,
    vectors: Vec<f32>,
    languages: Vec<Option<String>>,
}

impl CrossLanguageIndex {
    /// An empty index of `dim`-float vectors.
    pub fn new(dim: usize) -> Self {
        Self {
            dim,
            vectors: Vec::new(),
            languages: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.languages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.languages.is_empty()
    }

    /// Adds an article's unit vector (cut or zero-padded to the index's
    /// dimension); returns its number.
    pub fn insert(&mut self, language: Option<&str>, vector: &[f32]) -> u32 {
        let n = self.languages.len() as u32;
        let take = vector.len().min(self.dim);
        self.vectors.extend_from_slice(&vector[..take]);
        self.vectors
            .extend(std::iter::repeat_n(0.0, self.dim - take));
        self.languages.push(language.map(str::to_string));
        n
    }

    /// The at most `k` articles in a known language other than `language`
    /// whose cosine with `vector` (a unit vector) is at least
    /// `min_cosine`, closest first. A query of unknown language finds
    /// nothing: without a language the pair cannot be told to cross one.
    pub fn query(
        &self,
        language: Option<&str>,
        vector: &[f32],
        k: usize,
        min_cosine: f32,
    ) -> Vec<(u32, f32)> {
        self.query_before(language, vector, k, min_cosine, u32::MAX)
    }

    /// [`CrossLanguageIndex::query`] among the articles numbered below
    /// `limit` (those added before the query's own article).
    pub fn query_before(
        &self,
        language: Option<&str>,
        vector: &[f32],
        k: usize,
        min_cosine: f32,
        limit: u32,
    ) -> Vec<(u32, f32)> {
        let Some(language) = language else {
            return Vec::new();
        };
        if k == 0 || self.dim == 0 {
            return Vec::new();
        }
        let mut hits: Vec<(u32, f32)> = self
            .vectors
            .chunks_exact(self.dim)
            .zip(&self.languages)
            .take(limit as usize)
            .enumerate()
            .filter(|(_, (_, l))| l.as_deref().is_some_and(|l| l != language))
            .map(|(i, (v, _))| (i as u32, dot(v, vector)))
            .filter(|&(_, c)| c >= min_cosine)
            .collect();
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        hits.truncate(k);
        hits
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn only_other_known_languages_closest_first() {
        let mut index = CrossLanguageIndex::new(3);
        index.insert(Some("en"), &unit(&[1.0, 0.0, 0.0])); // 0: same language
        index.insert(None, &unit(&[1.0, 0.0, 0.0])); // 1: unknown language
        index.insert(Some("de"), &unit(&[1.0, 0.2, 0.0])); // 2
        index.insert(Some("fr"), &unit(&[1.0, 0.5, 0.0])); // 3
        index.insert(Some("ja"), &unit(&[0.0, 0.0, 1.0])); // 4: far
        let q = unit(&[1.0, 0.0, 0.0]);
        let hits = index.query(Some("en"), &q, 10, 0.5);
        let ids: Vec<u32> = hits.iter().map(|h| h.0).collect();
        assert_eq!(ids, vec![2, 3]);
        assert!(hits[0].1 > hits[1].1);
        // k bounds the answer; an unknown query language finds nothing.
        assert_eq!(index.query(Some("en"), &q, 1, 0.5).len(), 1);
        assert!(index.query(None, &q, 10, 0.0).is_empty());
        // Only the articles before the limit.
        assert_eq!(index.query_before(Some("en"), &q, 10, 0.5, 3).len(), 1);
        // A lower floor lets the far one in, last.
        let all = index.query(Some("en"), &q, 10, -1.0);
        assert_eq!(all.last().map(|h| h.0), Some(4));
    }

    #[test]
    fn short_vectors_are_padded() {
        let mut index = CrossLanguageIndex::new(3);
        index.insert(Some("de"), &[1.0]);
        assert_eq!(index.len(), 1);
        let hits = index.query(Some("en"), &[1.0, 0.0, 0.0], 1, 0.9);
        assert_eq!(hits, vec![(0, 1.0)]);
    }
}
