//! Stories across languages (issue 18): the [`Engine`]'s cross-language
//! path, on only when the articles it has seen are in more than one
//! language and a multilingual embedder is at hand.
//!
//! * **When**: the languages of the articles (stated, or detected when
//!   read) are counted as they come. While there is one, nothing here runs
//!   and no model is looked for: an English-only corpus pays nothing; nor
//!   while the languages other than the most frequent hold under 1% of the
//!   articles ([`MIN_OTHER_LANGUAGE_SHARE`]: a few stray pages in a large
//!   corpus do not pay for embedding every lead, and are not linked across
//!   languages). When a second language arrives in that measure, the embedder is found
//!   ([`crate::features::embed::detect`], unless one was given with
//!   [`Engine::set_embedder`] or turned off) and the title and lead of every
//!   article seen so far are embedded in batches, once per article.
//! * **Candidates**: each article's lead vector goes into a
//!   [`CrossLanguageIndex`]; an article's other-language neighbours above
//!   [`CrossConfig::lead_floor`] (within the candidate index's time window)
//!   join its lexical candidates. Pairs in one language keep the lexical
//!   path untouched.
//! * **Verdicts**: a pair whose two languages are known and differ gets
//!   the cross-language verdict ([`crate::relate::translated`]) instead of
//!   the lexical one, wherever the engine asks for a verdict (placing and
//!   re-rooting alike); its sentence vectors are embedded once per article.
//!   A `translated` link's change report compares numbers and names
//!   across languages ([`crate::changes::cross`]).
//!
//! ```
//! use std::sync::Arc;
//! use retold_core::article::{ArticleDraft, Origin};
//! use retold_core::features::embed::{EmbedError, Embedder};
//! use retold_core::story::{Engine, EngineConfig};
//!
//! /// Counts the texts it is asked to embed.
//! struct Counting(std::sync::atomic::AtomicUsize);
//! impl Embedder for Counting {
//!     fn name(&self) -> &str { "counting" }
//!     fn dim(&self) -> usize { 2 }
//!     fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
//!         self.0.fetch_add(texts.len(), std::sync::atomic::Ordering::Relaxed);
//!         Ok(texts.iter().map(|_| vec![1.0, 0.0]).collect())
//!     }
//! }
//! let article = |id: &str, language: &str, text: &str| {
//!     ArticleDraft { id: Some(id.into()), language: Some(language.into()), text: text.into(), ..Default::default() }
//!         .finish(Origin::whole(id)).unwrap()
//! };
//! let counting = Arc::new(Counting(Default::default()));
//! let mut engine = Engine::new(EngineConfig::default());
//! engine.set_embedder(Some(counting.clone()));
//! engine.add(article("a", "en", "The river burst its banks on Sunday after three days of rain."));
//! engine.add(article("b", "en", "The council approved the library budget on Tuesday evening."));
//! // One language so far: the model was not called.
//! assert_eq!(counting.0.load(std::sync::atomic::Ordering::Relaxed), 0);
//! engine.add(article("c", "de", "Der Fluss trat am Sonntag nach drei Tagen Regen über die Ufer."));
//! // A second language: every lead is embedded (and the sentences of the
//! // candidate pairs across languages).
//! assert!(counting.0.load(std::sync::atomic::Ordering::Relaxed) >= 3);
//! ```

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use jiff::Timestamp;

use super::{Engine, Prepared};
use crate::align::Alignment;
use crate::article::Article;
use crate::features::embed::{detect, lead_text, Embedder, LEAD_CHARS};
use crate::index::cross::CrossLanguageIndex;
use crate::relate::translated::{cross_verdict, sentence_texts, CrossConfig};
use crate::relate::{outlets, Party, Verdict};

/// Articles whose sentence vectors are kept at most (then all are dropped).
const SENTENCES_KEPT: usize = 4096;

/// Which embedder the engine uses.
#[derive(Clone, Default)]
enum Choice {
    /// Found with [`detect`] when first needed.
    #[default]
    Auto,
    Off,
    Given(Arc<dyn Embedder>),
}

/// The cross-language state of an [`Engine`] (not saved with it: a loaded
/// engine embeds again what it needs).
#[derive(Default)]
pub(super) struct Cross {
    choice: Choice,
    embedder: OnceLock<Option<Arc<dyn Embedder>>>,
    pub(super) config: CrossConfig,
    /// Articles per language among the entries counted so far, and how
    /// many entries were counted.
    languages: BTreeMap<String, usize>,
    counted: usize,
    /// Lead vectors, number `k` for article `k`; `None` until the path is on.
    index: Option<CrossLanguageIndex>,
    sentences: Mutex<HashMap<usize, Arc<Vec<Vec<f32>>>>>,
    /// Texts given to the embedder.
    embedded: AtomicUsize,
    /// The first embedding failure, if any (the path is then off).
    failed: Option<String>,
}

impl Engine {
    /// Sets the multilingual embedder (`None`: the cross-language path is
    /// off). Without a call the engine looks for the model itself
    /// ([`detect`]) when a second language first arrives.
    pub fn set_embedder(&mut self, embedder: Option<Arc<dyn Embedder>>) {
        self.cross.choice = match embedder {
            Some(e) => Choice::Given(e),
            None => Choice::Off,
        };
        self.cross.embedder = OnceLock::new();
    }

    /// Texts sent to the embedder so far (leads and sentences): 0 for a
    /// corpus in one language.
    pub fn embedded_texts(&self) -> usize {
        self.cross.embedded.load(Ordering::Relaxed)
    }

    /// Whether articles are linked across languages (the path is on).
    pub fn cross_language_on(&self) -> bool {
        self.cross.index.is_some()
    }

    /// Why the cross-language path stopped, if it failed.
    pub fn cross_language_error(&self) -> Option<&str> {
        self.cross.failed.as_deref()
    }

    fn embedder(&self) -> Option<Arc<dyn Embedder>> {
        self.cross
            .embedder
            .get_or_init(|| match &self.cross.choice {
                Choice::Off => None,
                Choice::Given(e) => Some(Arc::clone(e)),
                Choice::Auto => detect().ok(),
            })
            .clone()
    }

    fn embed(&self, texts: &[&str]) -> Option<Vec<Vec<f32>>> {
        let e = self.embedder()?;
        self.cross
            .embedded
            .fetch_add(texts.len(), Ordering::Relaxed);
        e.embed(texts).ok().filter(|v| v.len() == texts.len())
    }

    /// Before the articles of `batch` are added (in that order): counts
    /// their languages and, when there are two or more and an embedder,
    /// embeds the leads of earlier articles not embedded yet and returns
    /// the batch's lead vectors. `None`: the path is off for this batch.
    pub(super) fn cross_prepare(&mut self, batch: &[Article]) -> Option<Vec<Vec<f32>>> {
        if self.cross.failed.is_some() {
            return None;
        }
        for e in &self.entries[self.cross.counted.min(self.entries.len())..] {
            if let Some(l) = &e.article.language {
                *self.cross.languages.entry(l.clone()).or_default() += 1;
            }
        }
        self.cross.counted = self.entries.len();
        let mut languages = self.cross.languages.clone();
        for a in batch {
            if let Some(l) = &a.language {
                *languages.entry(l.clone()).or_default() += 1;
            }
        }
        if self.cross.index.is_none() && !mixed(&languages) {
            return None;
        }
        let embedder = self.embedder()?;
        let lead = |a: &Article| lead_text(a.title.as_deref(), &a.text, LEAD_CHARS);
        if self.cross.index.is_none() {
            let mut index = CrossLanguageIndex::new(embedder.dim());
            let earlier: Vec<String> = self.entries.iter().map(|e| lead(&e.article)).collect();
            let refs: Vec<&str> = earlier.iter().map(String::as_str).collect();
            let Some(vectors) = self.embed(&refs) else {
                self.cross.failed = Some("the embedder failed on the leads".into());
                return None;
            };
            for (e, v) in self.entries.iter().zip(&vectors) {
                index.insert(e.article.language.as_deref(), v);
            }
            self.cross.index = Some(index);
        }
        let leads: Vec<String> = batch.iter().map(lead).collect();
        let refs: Vec<&str> = leads.iter().map(String::as_str).collect();
        let vectors = self.embed(&refs);
        if vectors.is_none() {
            self.cross.failed = Some("the embedder failed on the leads".into());
            self.cross.index = None;
        }
        vectors
    }

    /// Adds an article's lead vector (the next article number).
    pub(super) fn cross_insert(&mut self, article: &Article, vector: &[f32]) {
        if let Some(index) = &mut self.cross.index {
            index.insert(article.language.as_deref(), vector);
        }
    }

    /// `candidates` with the other-language neighbours of `article` (lead
    /// vector `vector`) among the articles numbered below `limit`;
    /// `pending`: the articles indexed but not yet entries (a chunk being
    /// added), numbered from the entries' count on.
    pub(super) fn with_cross_candidates(
        &self,
        mut candidates: Vec<usize>,
        article: &Article,
        vector: Option<&[f32]>,
        limit: u32,
        pending: &[Article],
    ) -> Vec<usize> {
        let (Some(index), Some(vector)) = (&self.cross.index, vector) else {
            return candidates;
        };
        let c = &self.cross.config;
        let window = self.config.candidates.window_secs;
        let published = |j: usize| match self.entries.get(j) {
            Some(e) => e.published,
            None => pending
                .get(j - self.entries.len())
                .and_then(|a| a.published),
        };
        let near = |j: usize| match (window, article.published, published(j)) {
            (Some(w), Some(x), Some(y)) => gap(x, y) <= w,
            _ => true,
        };
        for (j, _) in index.query_before(
            article.language.as_deref(),
            vector,
            c.candidates,
            c.lead_floor,
            limit,
        ) {
            let j = j as usize;
            if !candidates.contains(&j) && near(j) {
                candidates.push(j);
            }
        }
        candidates
    }

    /// The sentence vectors of article `i` (the first
    /// [`CrossConfig::max_sentences`] sentences of its analyzed text),
    /// embedded once.
    fn sentence_vectors(&self, i: usize, p: &Prepared) -> Option<Arc<Vec<Vec<f32>>>> {
        if let Ok(kept) = self.cross.sentences.lock() {
            if let Some(v) = kept.get(&i) {
                return Some(Arc::clone(v));
            }
        }
        let texts = sentence_texts(&p.doc, self.cross.config.max_sentences);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let v = Arc::new(self.embed(&refs)?);
        if let Ok(mut kept) = self.cross.sentences.lock() {
            if kept.len() >= SENTENCES_KEPT {
                kept.clear();
            }
            kept.insert(i, Arc::clone(&v));
        }
        Some(v)
    }

    /// The cross-language verdict of article `i` (side A) against `j`, and
    /// its alignment when it says `translated`; `None` when the pair is
    /// not across two known languages or the path is off.
    pub(super) fn cross_verdict(
        &self,
        i: usize,
        j: usize,
        pa: &Prepared,
        pb: &Prepared,
    ) -> Option<(Verdict, Option<Alignment>)> {
        self.cross.index.as_ref()?;
        let (a, b) = (&self.entries[i].article, &self.entries[j].article);
        match (&a.language, &b.language) {
            (Some(x), Some(y)) if x != y => {}
            _ => return None,
        }
        let (va, vb) = (self.sentence_vectors(i, pa)?, self.sentence_vectors(j, pb)?);
        let oa = pa.outlets.get_or_init(|| outlets::outlets(a));
        let ob = pb.outlets.get_or_init(|| outlets::outlets(b));
        let (v, al) = cross_verdict(
            Party {
                article: a,
                doc: &pa.doc,
                outlets: oa,
            },
            Party {
                article: b,
                doc: &pb.doc,
                outlets: ob,
            },
            &va,
            &vb,
            &self.cross.config,
            self.config.model.wholly_above,
        );
        let keep = v.relation.is_derived().then_some(al);
        Some((v, keep))
    }
}

/// Least share of the articles (with a known language) that the languages
/// other than the most frequent one must hold for the path to start: a
/// few stray articles in another language in a large corpus (the 100 k
/// synthetic English corpus holds 2 Spanish pages and 3 English ones
/// detected as Spanish) do not make it pay for embedding every lead.
pub const MIN_OTHER_LANGUAGE_SHARE: f64 = 0.01;

/// Whether articles in `languages` (counts) are in two languages or more,
/// the others than the most frequent holding at least
/// [`MIN_OTHER_LANGUAGE_SHARE`] of them.
fn mixed(languages: &BTreeMap<String, usize>) -> bool {
    let total: usize = languages.values().sum();
    let most = languages.values().copied().max().unwrap_or(0);
    languages.len() >= 2 && (total - most) as f64 >= MIN_OTHER_LANGUAGE_SHARE * total as f64
}

/// Whether `articles` would start the cross-language path on their own
/// (two languages or more, in the measure of [`MIN_OTHER_LANGUAGE_SHARE`]).
pub fn mixed_languages(articles: &[Article]) -> bool {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for l in articles.iter().filter_map(|a| a.language.as_ref()) {
        *counts.entry(l.clone()).or_default() += 1;
    }
    mixed(&counts)
}

fn gap(x: Timestamp, y: Timestamp) -> i64 {
    (x.as_second() - y.as_second()).abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_stray_articles_do_not_start_the_path() {
        let counts = |pairs: &[(&str, usize)]| -> BTreeMap<String, usize> {
            pairs.iter().map(|(l, n)| (l.to_string(), *n)).collect()
        };
        assert!(!mixed(&counts(&[("en", 10)])));
        assert!(mixed(&counts(&[("en", 1), ("de", 1)])));
        assert!(mixed(&counts(&[("en", 43), ("de", 2), ("fr", 1)])));
        // 5 Spanish pages among 99,792 English ones.
        assert!(!mixed(&counts(&[("en", 99_792), ("es", 5)])));
        assert!(mixed(&counts(&[("en", 990), ("es", 10)])));
        assert!(!mixed(&BTreeMap::new()));
    }
}
