//! An inverted index over rare terms, for same-event candidates.
//!
//! Independent reports of one event share few phrases but many rare terms:
//! the names of the people and places, the numbers. A term stays indexed
//! while few articles hold it; once it is common its postings are dropped,
//! which also bounds memory.

use std::collections::HashMap;

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
#[derive(Debug, Clone, Default)]
pub struct RareTermIndex {
    /// `None` once a term became too common to be worth listing.
    postings: HashMap<u32, Option<Vec<u32>>>,
    docs: u32,
    /// Terms are dropped once more than this many articles hold them.
    cap: u32,
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

    /// Adds an article's terms (sorted, distinct); returns its number.
    pub fn insert(&mut self, terms: &[(u32, u16)]) -> u32 {
        let doc = self.docs;
        let cap = self.cap();
        for &(t, _) in terms {
            let entry = self.postings.entry(t).or_insert_with(|| Some(Vec::new()));
            if let Some(list) = entry {
                list.push(doc);
                if list.len() > cap {
                    *entry = None;
                }
            }
        }
        self.docs += 1;
        doc
    }

    /// Articles sharing at least `min_shared` terms held by at most `max_df`
    /// articles, with the number shared, in article order.
    pub fn query(&self, terms: &[(u32, u16)], max_df: u32, min_shared: usize) -> Vec<(u32, usize)> {
        let mut counts: HashMap<u32, usize> = HashMap::new();
        for &(t, _) in terms {
            if let Some(Some(list)) = self.postings.get(&t) {
                if list.len() <= max_df as usize {
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
