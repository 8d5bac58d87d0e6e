//! Index: features → candidate pairs.
//!
//! [`CandidateIndex`] joins two ways of finding the articles a new one may
//! relate to: banded LSH over the content-word MinHash (derived copies sit at
//! content Jaccard 0.35–0.6 and above) and an inverted index over rare terms
//! (independent reports of the same event share names and numbers, not
//! wording). LSH hits are verified on the exact content sets; rare-term hits
//! need several shared rare terms. A time window bounds both when dates are
//! known.

pub mod cross;
pub mod lead;
pub mod lsh;
pub mod rare;

use jiff::Timestamp;
use serde::Serialize;

use crate::features::minhash::MinHash;
use crate::features::sketch::jaccard_sorted_u32;
use crate::features::Features;
use lsh::{LshIndex, LshParams};
use rare::RareTermIndex;

/// Candidate search settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct CandidateConfig {
    /// Content-word Jaccard a derived copy is expected to reach.
    pub content_threshold: f64,
    /// MinHash values per signature (must match the features).
    pub num_perm: usize,
    /// A term is rare while at most this many indexed articles hold it.
    pub rare_max_df: u32,
    /// Shared rare terms needed for a same-event candidate: at least
    /// `rare_min_shared`, at least `rare_min_share` of the smaller article's
    /// name-and-number terms, and never more than `rare_enough_shared`.
    pub rare_min_shared: usize,
    pub rare_min_share: f64,
    pub rare_enough_shared: usize,
    /// Only articles published within this many seconds of each other are
    /// compared, when both have dates. `None`: no window.
    pub window_secs: Option<i64>,
    /// LSH hits whose MinHash estimate of the content Jaccard is more than
    /// this below `content_threshold` are dropped before the exact check
    /// (about 2.5 standard errors at 128 values; the exact merge of two
    /// long content sets is the costly part of a query).
    pub estimate_slack: f64,
}

impl Default for CandidateConfig {
    fn default() -> Self {
        Self {
            content_threshold: 0.25,
            num_perm: 128,
            rare_max_df: 50,
            rare_min_shared: 4,
            rare_min_share: 0.2,
            rare_enough_shared: 8,
            window_secs: Some(14 * 24 * 3600),
            estimate_slack: 0.1,
        }
    }
}

/// Why a pair was proposed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "via", rename_all = "snake_case")]
pub enum Evidence {
    /// Exact content-word Jaccard at or above the threshold.
    Content { jaccard: f64 },
    /// Shared rare terms (names, numbers, unusual words).
    RareTerms { shared: usize },
}

/// A proposed pair: an earlier article and why.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Candidate {
    pub doc: u32,
    pub evidence: Evidence,
}

/// Incremental candidate search over article features.
///
/// ```
/// use retold_core::features::Features;
/// use retold_core::features::sketch::{SketchConfig, Sketcher};
/// use retold_core::index::{CandidateConfig, CandidateIndex};
/// let mut s = Sketcher::new(SketchConfig::default());
/// let f = |t: &str, s: &mut Sketcher| Features::compute(&retold_core::text::analyze(t, Some("en")), s);
/// let mut index = CandidateIndex::new(CandidateConfig::default());
/// let a = f("Mayor Helena Voss said the council will close the Larkmoor bridge for nine months.", &mut s);
/// let b = f("The Larkmoor bridge will close for nine months, Mayor Helena Voss told the council.", &mut s);
/// index.insert(&a, None);
/// let found = index.query(&b, None);
/// assert_eq!(found.len(), 1);
/// ```
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct CandidateIndex {
    config: CandidateConfig,
    lsh: LshIndex,
    rare: RareTermIndex,
    sets: Vec<Vec<u32>>,
    signatures: Vec<MinHash>,
    times: Vec<Option<Timestamp>>,
    /// Name-and-number terms per article.
    entity_counts: Vec<u32>,
    /// Per article: the latest publication second among the dated articles
    /// numbered up to it ([`NO_DATE`] while there is none). A query walking
    /// back from the newest insert stops at the first dated article whose
    /// figure is before the window: every article inserted before it is
    /// older still, whatever order the rest came in.
    latest_by: Vec<i64>,
}

/// [`CandidateIndex`]'s `latest_by` before any dated article.
const NO_DATE: i64 = i64::MIN;

impl CandidateIndex {
    pub fn new(config: CandidateConfig) -> Self {
        // Missed pairs are lost for good while extra ones cost one set
        // comparison: a pair at the threshold is found 99 times in 100.
        let params = LshParams::for_recall(config.content_threshold, config.num_perm, 0.99);
        Self {
            config,
            lsh: LshIndex::new(params),
            rare: RareTermIndex::with_cap(config.rare_max_df.saturating_mul(4).max(1)),
            sets: Vec::new(),
            signatures: Vec::new(),
            times: Vec::new(),
            entity_counts: Vec::new(),
            latest_by: Vec::new(),
        }
    }

    /// Counts articles seen before any inserted here, per name-or-number
    /// term ([`Features::entities`]): `(term, articles holding it)`. They
    /// make terms common for the rare-term candidates as if they had been
    /// inserted first, but are no candidates themselves (see
    /// [`RareTermIndex::seed`] and [`crate::story::History`]).
    pub fn seed_rare_terms(&mut self, counts: impl IntoIterator<Item = (u32, u32)>) {
        self.rare.seed(counts);
    }

    pub fn len(&self) -> usize {
        self.sets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Adds an article; returns its number.
    pub fn insert(&mut self, f: &Features, published: Option<Timestamp>) -> u32 {
        let doc = self.insert_unpruned(f, published);
        self.rare.prune([f.entities.as_slice()]);
        doc
    }

    /// Adds an article without dropping the rare terms it made common: for
    /// a batch inserted at once and then queried in parallel with
    /// [`CandidateIndex::query_before`]; call [`CandidateIndex::prune`] with
    /// the batch after.
    pub fn insert_unpruned(&mut self, f: &Features, published: Option<Timestamp>) -> u32 {
        let doc = self.lsh.insert(&f.content);
        self.rare.insert_unpruned(&f.entities);
        self.sets.push(f.content_set.clone());
        self.signatures.push(f.content.clone());
        self.times.push(published);
        self.entity_counts.push(f.entities.len() as u32);
        let before = self.latest_by.last().copied().unwrap_or(NO_DATE);
        self.latest_by
            .push(published.map_or(before, |t| before.max(t.as_second())));
        doc
    }

    /// Earlier articles that may relate to `f`, verified, in article order.
    /// Exact content-set Jaccard of `f` and indexed document `doc` (0 for an
    /// unknown document).
    pub fn content_jaccard(&self, f: &Features, doc: u32) -> f64 {
        self.sets
            .get(doc as usize)
            .map_or(0.0, |s| jaccard_sorted_u32(&f.content_set, s))
    }

    /// Drops the rare terms a batch of [`CandidateIndex::insert_unpruned`]
    /// made common.
    pub fn prune<'f>(&mut self, batch: impl IntoIterator<Item = &'f Features>) {
        self.rare
            .prune(batch.into_iter().map(|f| f.entities.as_slice()));
    }

    /// Whether a query for an article published at `published`, walking
    /// each LSH band back from the newest insert, can stop at `doc`: a
    /// dated article such that every dated article numbered up to it is
    /// before the window's start. With inserts in time order that is the
    /// first dated article before the window; an article that came out of
    /// order (a late feed, an archive page) only keeps the walk going past
    /// it, not every walk after it. Undated articles inserted before the
    /// stop are not reached, as with inserts in order.
    pub fn walk_ends_at(&self, doc: u32, published: Option<Timestamp>) -> bool {
        self.walk_start(published)
            .is_some_and(|start| self.ends_before(doc, start))
    }

    /// The window's start for an article published at `published` (in
    /// seconds), once per query; `None`: no window, every article walked.
    fn walk_start(&self, published: Option<Timestamp>) -> Option<i64> {
        Some(
            published?
                .as_second()
                .saturating_sub(self.config.window_secs?),
        )
    }

    /// [`CandidateIndex::walk_ends_at`] with the window's start known.
    fn ends_before(&self, doc: u32, start: i64) -> bool {
        let doc = doc as usize;
        self.times.get(doc).is_some_and(Option::is_some)
            && self.latest_by.get(doc).is_some_and(|&l| l < start)
    }

    pub fn query(&self, f: &Features, published: Option<Timestamp>) -> Vec<Candidate> {
        self.query_before(f, published, u32::MAX)
    }

    /// [`CandidateIndex::query`] as if only the articles numbered below
    /// `limit` had been inserted: the same answer whether the articles after
    /// it are in the index or not (the early stop of the walk,
    /// [`CandidateIndex::walk_ends_at`], reads only the articles inserted up
    /// to where it stops).
    pub fn query_before(
        &self,
        f: &Features,
        published: Option<Timestamp>,
        limit: u32,
    ) -> Vec<Candidate> {
        let in_window =
            |doc: u32| match (self.config.window_secs, published, self.times[doc as usize]) {
                (Some(w), Some(a), Some(b)) => (a.as_second() - b.as_second()).abs() <= w,
                _ => true,
            };
        let start = self.walk_start(published);
        let too_old = |doc: u32| start.is_some_and(|s| self.ends_before(doc, s));
        let mut out: Vec<Candidate> = Vec::new();
        for doc in self.lsh.query_before(&f.content, limit, too_old) {
            if !in_window(doc) {
                continue;
            }
            let floor = self.config.content_threshold - self.config.estimate_slack;
            if f.content.jaccard(&self.signatures[doc as usize]) < floor {
                continue;
            }
            let j = jaccard_sorted_u32(&f.content_set, &self.sets[doc as usize]);
            if j >= self.config.content_threshold {
                out.push(Candidate {
                    doc,
                    evidence: Evidence::Content { jaccard: j },
                });
            }
        }
        for (doc, shared) in self.rare.query_before(
            &f.terms,
            self.config.rare_max_df,
            self.config.rare_min_shared,
            limit,
        ) {
            // Unrelated news shares weekdays, months and small numbers; the
            // same event shares a good part of its names.
            let smaller = f
                .entities
                .len()
                .min(self.entity_counts[doc as usize] as usize);
            let needed = ((smaller as f64 * self.config.rare_min_share).ceil() as usize).clamp(
                self.config.rare_min_shared,
                self.config
                    .rare_enough_shared
                    .max(self.config.rare_min_shared),
            );
            if shared >= needed && in_window(doc) && !out.iter().any(|c| c.doc == doc) {
                out.push(Candidate {
                    doc,
                    evidence: Evidence::RareTerms { shared },
                });
            }
        }
        out.sort_by_key(|c| c.doc);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::sketch::{SketchConfig, Sketcher};

    const TEXT: &str =
        "Mayor Helena Voss said the council will close the Larkmoor bridge for nine months \
        after inspectors found cracks in four steel girders.";

    fn at(day: &str) -> Option<Timestamp> {
        Some(format!("2026-{day}T12:00:00Z").parse().expect("timestamp"))
    }

    fn found(index: &CandidateIndex, f: &Features, day: &str) -> Vec<u32> {
        index.query(f, at(day)).iter().map(|c| c.doc).collect()
    }

    #[test]
    fn batch_queries_answer_as_one_by_one_inserts() {
        // Texts sharing names in varying measure, some dated out of order,
        // and a cap low enough that rare terms become common mid-batch.
        let texts: Vec<String> = (0..24)
            .map(|k| {
                format!(
                    "{TEXT} Councillor Brenna Vosk{} met Inspector Talia Orrin{} at Port Caddon on day {}.",
                    k % 4,
                    k % 3,
                    k % 5
                )
            })
            .collect();
        let mut s = Sketcher::new(SketchConfig::default());
        let fs: Vec<Features> = texts
            .iter()
            .map(|t| Features::compute(&crate::text::analyze(t, Some("en")), &mut s))
            .collect();
        let days: Vec<Option<Timestamp>> = (0..24)
            .map(|k| at(&format!("03-{:02}", 1 + (k * 7) % 20)))
            .collect();
        let config = CandidateConfig {
            rare_max_df: 2,
            rare_min_shared: 1,
            ..CandidateConfig::default()
        };
        let mut one_by_one = CandidateIndex::new(config);
        let mut expected = Vec::new();
        for (f, &day) in fs.iter().zip(&days) {
            expected.push(one_by_one.query(f, day));
            one_by_one.insert(f, day);
        }
        let mut batch = CandidateIndex::new(config);
        for (f, &day) in fs.iter().zip(&days) {
            batch.insert_unpruned(f, day);
        }
        for (k, (f, &day)) in fs.iter().zip(&days).enumerate() {
            assert_eq!(
                batch.query_before(f, day, k as u32),
                expected[k],
                "article {k}"
            );
        }
        assert!(expected.iter().any(|c| c.len() > 1));
        batch.prune(&fs);
        let probe = &fs[5];
        assert_eq!(
            batch.query(probe, days[5]),
            one_by_one.query(probe, days[5])
        );
    }

    #[test]
    fn the_window_bounds_candidates_in_and_out_of_order() {
        let mut s = Sketcher::new(SketchConfig::default());
        let f = Features::compute(&crate::text::analyze(TEXT, Some("en")), &mut s);
        // In time order: the walk back stops at the window's start.
        let mut index = CandidateIndex::new(CandidateConfig::default());
        for day in ["01-01", "02-01", "03-01"] {
            index.insert(&f, at(day));
        }
        assert_eq!(found(&index, &f, "03-02"), [2]);
        assert_eq!(found(&index, &f, "02-10"), [1]);
        // Out of order: an old article between two recent ones must not
        // hide the earlier recent one.
        let mut index = CandidateIndex::new(CandidateConfig::default());
        for day in ["03-01", "01-01", "03-02"] {
            index.insert(&f, at(day));
        }
        assert_eq!(found(&index, &f, "03-03"), [0, 2]);
        // One article out of order does not make every later walk go back
        // to the first insert, and the walk does not stop at it while an
        // article inserted before it is in the window.
        let mut index = CandidateIndex::new(CandidateConfig::default());
        for day in ["01-01", "03-30", "01-15", "04-10"] {
            index.insert(&f, at(day));
        }
        assert_eq!(found(&index, &f, "04-11"), [1, 3]);
        let ends = |doc| index.walk_ends_at(doc, at("04-11"));
        // The window starts 03-28: the late 01-15 came after 03-30, so the
        // walk goes past it and ends at 01-01.
        assert!(!ends(3) && !ends(2) && !ends(1) && ends(0));
        assert!(
            !index.walk_ends_at(0, None),
            "an undated query walks every article"
        );
        // No window: everything.
        let mut index = CandidateIndex::new(CandidateConfig {
            window_secs: None,
            ..CandidateConfig::default()
        });
        for day in ["01-01", "02-01", "03-01"] {
            index.insert(&f, at(day));
        }
        assert_eq!(found(&index, &f, "03-02"), [0, 1, 2]);
    }
}
