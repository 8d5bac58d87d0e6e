//! Candidates for short texts: an index over the words of each article's
//! lead (title and first sentences), beside the body index.
//!
//! A brief of 20–110 words shares too few content words with a full report
//! of its event for the content sketch (Jaccard against a set ten times its
//! size stays under any useful threshold) and too few names and numbers
//! for the rare-term path. What it does share is the lead: a brief is a
//! lead, and a full report opens with the same facts. [`LeadIndex`] lists
//! every article under the content stems of its lead (while few articles
//! hold a stem, as [`RareTermIndex`] does) and proposes the earlier
//! articles whose leads share at least [`LeadIndex::min_shared`] stems and
//! at least a third of the new lead's stems, when one of the two is short
//! (at most `short_words` words): a brief finds its full reports, and a
//! full report the briefs before it.
//!
//! ```
//! use retold_core::index::lead::LeadIndex;
//! let mut index = LeadIndex::new(50, 3, None, 110);
//! index.insert(&[(1, 1), (2, 1), (3, 1), (4, 1)], None, 600); // a full report's lead
//! index.insert(&[(7, 1), (8, 1), (9, 1)], None, 500);          // another story
//! // A brief of 40 words:
//! assert_eq!(index.query(&[(1, 1), (2, 1), (3, 1), (5, 1)], None, 40), vec![(0, 3)]);
//! // Two long texts are left to the body index:
//! assert!(index.query(&[(1, 1), (2, 1), (3, 1), (5, 1)], None, 700).is_empty());
//! ```

use jiff::Timestamp;

use super::rare::RareTermIndex;

/// Lead stems of every article, for short-text candidates.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LeadIndex {
    terms: RareTermIndex,
    times: Vec<Option<Timestamp>>,
    words: Vec<u32>,
    max_df: u32,
    /// Least lead stems shared with a candidate.
    pub min_shared: usize,
    window_secs: Option<i64>,
    short_words: u32,
}

impl LeadIndex {
    /// An index counting stems held by at most `max_df` articles, proposing
    /// articles that share `min_shared` of them within `window_secs` (when
    /// both are dated), when one of the two has at most `short_words`
    /// words.
    pub fn new(
        max_df: u32,
        min_shared: usize,
        window_secs: Option<i64>,
        short_words: u32,
    ) -> LeadIndex {
        LeadIndex {
            terms: RareTermIndex::with_cap(max_df.saturating_mul(4).max(1)),
            times: Vec::new(),
            words: Vec::new(),
            max_df,
            min_shared,
            window_secs,
            short_words,
        }
    }

    /// Adds an article's lead stems (sorted, distinct) and its length in
    /// words.
    pub fn insert(&mut self, lead: &[(u32, u16)], published: Option<Timestamp>, words: u32) -> u32 {
        let doc = self.insert_unpruned(lead, published, words);
        if self.short_words > 0 {
            self.terms.prune([lead]);
        }
        doc
    }

    /// Adds an article without dropping the stems it made common (see
    /// [`RareTermIndex::insert_unpruned`]); [`LeadIndex::prune`] after.
    pub fn insert_unpruned(
        &mut self,
        lead: &[(u32, u16)],
        published: Option<Timestamp>,
        words: u32,
    ) -> u32 {
        self.times.push(published);
        self.words.push(words);
        // Switched off: numbered, but nothing listed.
        let lead = if self.short_words == 0 { &[][..] } else { lead };
        self.terms.insert_unpruned(lead)
    }

    /// Drops the stems a batch of unpruned inserts made common.
    pub fn prune<'t>(&mut self, leads: impl IntoIterator<Item = &'t [(u32, u16)]>) {
        self.terms.prune(leads);
    }

    pub fn query(
        &self,
        lead: &[(u32, u16)],
        published: Option<Timestamp>,
        words: u32,
    ) -> Vec<(u32, usize)> {
        self.query_before(lead, published, words, u32::MAX)
    }

    /// Earlier articles (numbered below `limit`) whose leads share enough
    /// stems with `lead` (of a text of `words` words), one of the two
    /// short: (article, stems shared), in article order.
    pub fn query_before(
        &self,
        lead: &[(u32, u16)],
        published: Option<Timestamp>,
        words: u32,
        limit: u32,
    ) -> Vec<(u32, usize)> {
        if self.short_words == 0 {
            return Vec::new();
        }
        let short = words <= self.short_words;
        let needed = self.min_shared.max(lead.len().div_ceil(3));
        self.terms
            .query_before(lead, self.max_df, needed, limit)
            .into_iter()
            .filter(|&(doc, _)| short || self.words[doc as usize] <= self.short_words)
            .filter(
                |&(doc, _)| match (self.window_secs, published, self.times[doc as usize]) {
                    (Some(w), Some(a), Some(b)) => (a.as_second() - b.as_second()).abs() <= w,
                    _ => true,
                },
            )
            .collect()
    }
}
