//! An inverted index over rare terms, for same-event candidates.
//!
//! Independent reports of one event share few phrases but many rare terms:
//! the names of the people and places, the numbers. A term stays indexed
//! while few articles hold it; once it is common its postings are dropped,
//! which also bounds memory.

use rustc_hash::FxHashMap;

/// Postings of rare terms.
///
/// ```
/// use retold_core::index::rare::RareTermIndex;
/// let mut index = RareTermIndex::default();
/// index.insert(&[(1, 1), (2, 1), (3, 1), (9, 1)]);
/// index.insert(&[(9, 1)]);
/// assert_eq!(index.query(&[(1, 1), (2, 1), (3, 1)], 10, 3), vec![(0, 3)]);
/// assert!(index.query(&[(1, 1), (2, 1)], 10, 3).is_empty());
/// ```
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct RareTermIndex {
    /// `None` once a term became too common to be worth listing.
    postings: FxHashMap<u32, Option<Vec<u32>>>,
    docs: u32,
    /// Terms are dropped once more than this many articles hold them.
    cap: u32,
    /// Articles that held each term before the first one inserted here
    /// ([`RareTermIndex::seed`]): they count toward `max_df` and the cap
    /// but are not listed (they are no candidates).
    #[serde(default, skip_serializing_if = "FxHashMap::is_empty")]
    before: FxHashMap<u32, u32>,
}

impl RareTermIndex {
    /// An index that stops listing a term once `cap` articles hold it.
    pub fn with_cap(cap: u32) -> Self {
        Self {
            cap,
            ..Self::default()
        }
    }

    fn cap(&self) -> usize {
        if self.cap == 0 {
            200
        } else {
            self.cap as usize
        }
    }

    /// Counts `n` articles holding term `t` as seen before any article of
    /// this index (articles of the corpus that another engine placed, see
    /// [`crate::story::History`]): a term counts as rare only while these
    /// and the inserted articles holding it stay within the limits, as if
    /// those articles had been inserted first and could not be candidates.
    ///
    /// ```
    /// use retold_core::index::rare::RareTermIndex;
    /// let mut index = RareTermIndex::with_cap(8);
    /// index.seed([(9, 3)]);
    /// index.insert(&[(1, 1), (9, 1)]);
    /// // Term 9 is held by 4 articles (3 before), more than max_df 3.
    /// assert!(index.query(&[(9, 1)], 3, 1).is_empty());
    /// assert_eq!(index.query(&[(9, 1)], 4, 1), vec![(0, 1)]);
    /// ```
    pub fn seed(&mut self, counts: impl IntoIterator<Item = (u32, u32)>) {
        let cap = self.cap();
        for (t, n) in counts {
            if n == 0 {
                continue;
            }
            let before = self.before.entry(t).or_insert(0);
            *before = before.saturating_add(n);
            let listed = self
                .postings
                .get(&t)
                .and_then(Option::as_ref)
                .map_or(0, Vec::len);
            if listed + self.before(t) > cap {
                // Too common already: never listed.
                self.postings.insert(t, None);
            }
        }
    }

    /// Articles seeded as holding `t` ([`RareTermIndex::seed`]).
    fn before(&self, t: u32) -> usize {
        if self.before.is_empty() {
            // Not seeded (every engine but a window's): no lookup.
            return 0;
        }
        self.before.get(&t).map_or(0, |&n| n as usize)
    }

    /// Adds an article's terms (sorted, distinct); returns its number.
    pub fn insert(&mut self, terms: &[(u32, u16)]) -> u32 {
        let doc = self.insert_unpruned(terms);
        let cap = self.cap();
        for &(t, _) in terms {
            self.prune_term(t, cap);
        }
        doc
    }

    /// Adds an article's terms without dropping the terms that became
    /// common; [`RareTermIndex::prune`] drops them later. Queries with a
    /// limit ([`RareTermIndex::query_before`]) answer in between as if each
    /// article had been inserted with [`RareTermIndex::insert`].
    pub fn insert_unpruned(&mut self, terms: &[(u32, u16)]) -> u32 {
        let doc = self.docs;
        for &(t, _) in terms {
            let entry = self.postings.entry(t).or_insert_with(|| Some(Vec::new()));
            if let Some(list) = entry {
                list.push(doc);
            }
        }
        self.docs += 1;
        doc
    }

    /// Drops the listed terms held by more than the cap.
    pub fn prune<'t>(&mut self, terms: impl IntoIterator<Item = &'t [(u32, u16)]>) {
        let cap = self.cap();
        for t in terms {
            for &(t, _) in t {
                self.prune_term(t, cap);
            }
        }
    }

    fn prune_term(&mut self, t: u32, cap: usize) {
        let before = self.before(t);
        if let Some(entry) = self.postings.get_mut(&t) {
            if entry.as_ref().is_some_and(|l| l.len() + before > cap) {
                *entry = None;
            }
        }
    }

    /// Articles sharing at least `min_shared` terms held by at most `max_df`
    /// articles, with the number shared, in article order.
    pub fn query(&self, terms: &[(u32, u16)], max_df: u32, min_shared: usize) -> Vec<(u32, usize)> {
        self.query_before(terms, max_df, min_shared, u32::MAX)
    }

    /// Like [`RareTermIndex::query`], as if only the articles numbered below
    /// `limit` had been inserted. Exact even before [`RareTermIndex::prune`]:
    /// a term that would have been dropped is held by more than the cap
    /// before the limit, and is not counted.
    pub fn query_before(
        &self,
        terms: &[(u32, u16)],
        max_df: u32,
        min_shared: usize,
        limit: u32,
    ) -> Vec<(u32, usize)> {
        let cap = self.cap();
        let mut counts: FxHashMap<u32, usize> = FxHashMap::default();
        for &(t, _) in terms {
            if let Some(Some(list)) = self.postings.get(&t) {
                let list = &list[..list.partition_point(|&d| d < limit)];
                // Over the cap before the limit: dropped, had it been pruned.
                let held = list.len() + self.before(t);
                if held <= max_df as usize && held <= cap {
                    for &d in list {
                        *counts.entry(d).or_insert(0) += 1;
                    }
                }
            }
        }
        let mut out: Vec<(u32, usize)> = counts
            .into_iter()
            .filter(|&(_, n)| n >= min_shared.max(1))
            .collect();
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limited_queries_before_pruning_match_inserts_one_by_one() {
        // Terms reach the cap inside a batch: a query limited to the first
        // k articles answers as the index held just those k.
        let docs: Vec<Vec<(u32, u16)>> = (0..12u32)
            .map(|k| {
                let mut t = vec![(1, 1), (2 + k % 3, 1), (9, 1)];
                t.sort_unstable();
                t.dedup();
                t
            })
            .collect();
        let mut lazy = RareTermIndex::with_cap(4);
        for d in &docs {
            lazy.insert_unpruned(d);
        }
        for k in 0..docs.len() {
            let mut eager = RareTermIndex::with_cap(4);
            for d in &docs[..k] {
                eager.insert(d);
            }
            for q in &docs {
                for max_df in [2, 3, 4, 10] {
                    assert_eq!(
                        lazy.query_before(q, max_df, 1, k as u32),
                        eager.query(q, max_df, 1),
                        "k {k}, max_df {max_df}"
                    );
                }
            }
        }
        lazy.prune(docs.iter().map(Vec::as_slice));
        let mut eager = RareTermIndex::with_cap(4);
        for d in &docs {
            eager.insert(d);
        }
        assert_eq!(lazy.query(&docs[0], 10, 1), eager.query(&docs[0], 10, 1));
    }

    #[test]
    fn common_terms_stop_counting() {
        let mut index = RareTermIndex::with_cap(3);
        for _ in 0..5 {
            index.insert(&[(7, 1)]);
        }
        index.insert(&[(1, 1), (2, 1)]);
        // Term 7 is now in 5 articles: over the cap, dropped.
        assert!(index.query(&[(7, 1)], 100, 1).is_empty());
        assert_eq!(index.query(&[(1, 1), (2, 1), (7, 1)], 100, 2), vec![(5, 2)]);
        // max_df filters at query time too.
        let mut index = RareTermIndex::default();
        index.insert(&[(1, 1)]);
        index.insert(&[(1, 1)]);
        assert_eq!(index.query(&[(1, 1)], 1, 1), vec![]);
        assert_eq!(index.query(&[(1, 1)], 2, 1), vec![(0, 1), (1, 1)]);
    }
}
