//! Word statistics of articles an engine does not place: what a time
//! window's engine needs to know of the corpus before it.
//!
//! Two things the [`Engine`] learns from every article it places decide
//! many stories on their own, whatever the candidates:
//!
//! * the **document frequencies** of the content terms (stems and
//!   numbers, [`Features::terms`]): the TF-IDF cosine in each story link
//!   weighs a shared word by them ([`DocFreq`]);
//! * how many articles hold each **name or number**
//!   ([`Features::entities`]): the rare-term candidates count a term only
//!   while at most `rare_max_df` articles hold it (and the index stops
//!   listing it beyond four times that).
//!
//! Both are counts per term over the articles placed before, so they add
//! up: a [`History`] is those counts over some articles, and
//! [`Engine::with_history`] starts an engine as if it had placed them,
//! without their texts, stories or candidates. The engine places article
//! `i` with the counts of every article before it *and of `i` itself* (in
//! publication order), so an engine seeded with the counts of all articles
//! published before its first one places each of its articles with the
//! same statistics as one engine over the whole corpus.
//!
//! What a history does not carry: the stories and candidates of those
//! articles, the sites' page furniture ([`crate::text::furniture`], learned
//! from the articles' lines per host), and the lead index's counts (off
//! unless `short_text_words` is set). Keys are counted from the text as the
//! engine analyzes it without any site's furniture.
//!
//! ```
//! use retold_core::article::{ArticleDraft, Origin};
//! use retold_core::story::{Engine, EngineConfig, History};
//!
//! let article = |id: &str, text: &str| {
//!     ArticleDraft { id: Some(id.into()), text: text.into(), ..Default::default() }
//!         .finish(Origin::whole(id))
//!         .unwrap()
//! };
//! let mut history = History::default();
//! history.add_keys(&History::keys_of(&article("old", "Mayor Ines Okafor opened the bridge.")));
//! assert_eq!(history.docs(), 1);
//! // The same counts, as a table of keys (terms, and names with NAME_KEY set).
//! let table: Vec<(u64, u64)> = history.counts().map(|(k, n)| (k, u64::from(n))).collect();
//! let again = History::from_counts(1, table).unwrap();
//! assert_eq!(again, history);
//! assert_eq!(again.counts().count(), history.counts().count());
//! let engine = Engine::with_history(EngineConfig::default(), &history);
//! assert!(engine.is_empty());
//! ```

use rustc_hash::FxHashMap;

use super::{Engine, EngineConfig};
use crate::article::Article;
use crate::features::sketch::Sketcher;
use crate::features::terms::DocFreq;
use crate::features::Features;
use crate::text::furniture::Furniture;

/// The bit of a statistics key that marks a name or number (counted for
/// the rare-term index); without it, a key is a content term (counted for
/// the document frequencies). The low 32 bits are the term's hash
/// ([`crate::features::term_hash`]).
pub const NAME_KEY: u64 = 1 << 32;

/// The bits of a statistics key that mark an article's language (the low
/// 32 bits: [`crate::features::language_key`]): the count is the
/// articles of that language, which the document frequencies of a pair of
/// texts of one language are read against
/// ([`DocFreq::cosine_in`](crate::features::terms::DocFreq::cosine_in)).
pub const LANGUAGE_KEY: u64 = 2 << 32;

/// A history that cannot be right.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    /// A key above 2^34: neither a term, a name nor a language.
    #[error("statistics key {0} is neither a term (below 2^32), a name (2^32 + a term) nor a language (2^33 + its hash)")]
    BadKey(u64),
    /// More articles hold a term than were counted.
    #[error("statistics key {key} is held by {count} articles, more than the {docs} counted")]
    CountAboveDocs { key: u64, count: u64, docs: u64 },
    /// A count beyond what the engine keeps (2^32 − 1).
    #[error("a count of {0} articles is beyond what the engine keeps (2^32 - 1)")]
    TooMany(u64),
}

/// Word statistics of a set of articles (see the [module documentation](self)).
/// Every count is at most `docs`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    docs: u32,
    terms: FxHashMap<u32, u32>,
    names: FxHashMap<u32, u32>,
    languages: FxHashMap<u32, u32>,
}

impl History {
    /// The statistics keys of one article, as the engine would count it:
    /// its distinct content terms (the hash), its distinct names and
    /// numbers ([`NAME_KEY`] + the hash) and its language
    /// ([`LANGUAGE_KEY`] plus the hash of its code), sorted. The article's text is
    /// analyzed as the engine analyzes it (its language, boilerplate),
    /// without site furniture.
    pub fn keys_of(article: &Article) -> Vec<u64> {
        // As `Prepared::new` analyzes it, with no furniture learned.
        let doc = Furniture::default().analyze_article(article);
        let features = Features::compute(&doc, &mut Sketcher::new(Default::default()));
        let mut keys: Vec<u64> = features
            .terms
            .iter()
            .map(|&(t, _)| u64::from(t))
            .chain(
                features
                    .entities
                    .iter()
                    .map(|&(t, _)| NAME_KEY | u64::from(t)),
            )
            .chain([LANGUAGE_KEY | u64::from(crate::features::language_key(doc.language))])
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// Counts one article by its keys ([`History::keys_of`]). A key of
    /// neither kind is left out.
    pub fn add_keys(&mut self, keys: &[u64]) {
        self.docs = self.docs.saturating_add(1);
        for &k in keys {
            let map = match k >> 32 {
                0 => &mut self.terms,
                1 => &mut self.names,
                2 => &mut self.languages,
                _ => continue,
            };
            let n = map.entry(k as u32).or_insert(0);
            *n = n.saturating_add(1);
        }
    }

    /// Statistics from counts made elsewhere (a group-by over the keys of
    /// many articles): `docs` articles, and for each key the number of them
    /// holding it (a key may come more than once; its counts add up).
    pub fn from_counts(
        docs: u64,
        counts: impl IntoIterator<Item = (u64, u64)>,
    ) -> Result<History, HistoryError> {
        let docs32 = u32::try_from(docs).map_err(|_| HistoryError::TooMany(docs))?;
        let mut h = History {
            docs: docs32,
            ..History::default()
        };
        for (key, count) in counts {
            let map = match key >> 32 {
                0 => &mut h.terms,
                1 => &mut h.names,
                2 => &mut h.languages,
                _ => return Err(HistoryError::BadKey(key)),
            };
            let n = map.entry(key as u32).or_insert(0);
            let total = u64::from(*n) + count;
            if total > docs {
                return Err(HistoryError::CountAboveDocs {
                    key,
                    count: total,
                    docs,
                });
            }
            *n = total as u32;
        }
        Ok(h)
    }

    /// Articles counted.
    pub fn docs(&self) -> u32 {
        self.docs
    }

    /// Every key with its count (terms, names, then languages; each in no
    /// set order).
    pub fn counts(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.terms
            .iter()
            .map(|(&t, &n)| (u64::from(t), n))
            .chain(
                self.names
                    .iter()
                    .map(|(&t, &n)| (NAME_KEY | u64::from(t), n)),
            )
            .chain(
                self.languages
                    .iter()
                    .map(|(&t, &n)| (LANGUAGE_KEY | u64::from(t), n)),
            )
    }
}

impl Engine {
    /// An engine that starts with the word statistics of articles it does
    /// not place (see the [module documentation](self)): their document
    /// frequencies and the counts of their names and numbers for the
    /// rare-term candidates. Nothing else of them: no stories, no
    /// candidates. With an empty history this is [`Engine::new`].
    pub fn with_history(config: EngineConfig, history: &History) -> Engine {
        let mut engine = Engine::new(config);
        engine.doc_freq = DocFreq::seeded_in(
            history.docs,
            history.terms.clone(),
            history.languages.clone(),
        );
        engine
            .index
            .seed_rare_terms(history.names.iter().map(|(&t, &n)| (t, n)));
        engine
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_checked() {
        assert_eq!(
            History::from_counts(1, [(5, 2)]),
            Err(HistoryError::CountAboveDocs {
                key: 5,
                count: 2,
                docs: 1
            })
        );
        assert_eq!(
            History::from_counts(1, [(3 << 32, 1)]),
            Err(HistoryError::BadKey(3 << 32))
        );
        assert_eq!(
            History::from_counts(1 << 40, []),
            Err(HistoryError::TooMany(1 << 40))
        );
        let h = History::from_counts(
            4,
            [(5, 2), (5, 1), (NAME_KEY | 5, 4), (LANGUAGE_KEY | 9, 4)],
        )
        .unwrap();
        let mut c: Vec<_> = h.counts().collect();
        c.sort_unstable();
        assert_eq!(c, [(5, 3), (NAME_KEY | 5, 4), (LANGUAGE_KEY | 9, 4)]);
    }
}
