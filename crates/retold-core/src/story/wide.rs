//! The story-wide analyses (entities spelled more than one way, quotes and
//! their wordings, claims and their support) of the stories an [`Engine`]
//! hands out, and the cache that lets a long-running engine redo them only
//! for the stories that changed.
//!
//! Every story-wide result is a function of the story as placed (its
//! members in order, their parents, relations and change reports), the
//! members' texts, the page furniture removed from them and the
//! alignments kept from placement. [`StoryCache`] keys each story's results
//! by a hash of all of these, so [`Engine::stories_cached`] gives exactly
//! what [`Engine::stories`] gives, and a service that asks after every
//! batch pays for the stories the batch touched rather than for the whole
//! store:
//!
//! ```
//! use retold_core::article::{Article, ArticleDraft, Origin};
//! use retold_core::story::{Engine, EngineConfig, StoryCache};
//!
//! let article = |id: &str, text: &str| -> Article {
//!     let draft = ArticleDraft { id: Some(id.into()), text: text.into(), ..Default::default() };
//!     draft.finish(Origin::whole(id)).unwrap()
//! };
//! let report = "The council closed the Larkmoor bridge on Monday after engineers found cracks \
//!     in two supports. Repairs will take six weeks, council engineer Mara Pell said. Buses \
//!     will run a detour through the old town while the work goes on.";
//! let mut engine = Engine::new(EngineConfig::default());
//! let mut cache = StoryCache::default();
//! engine.add(article("wire", report));
//! engine.add(article("copy", &format!("{report}\nRead more at our site.")));
//! let first = engine.stories_cached(&mut cache);
//! assert_eq!((cache.len(), cache.computed()), (1, 1)); // one story of two members
//! engine.add(article("zoo", "The city zoo welcomed a baby giraffe on Tuesday, its keepers said."));
//! let second = engine.stories_cached(&mut cache);
//! assert_eq!(cache.computed(), 0); // the bridge story's results were kept
//! assert_eq!(second, engine.stories()); // and are what a fresh computation gives
//! assert_eq!(first[0], second[0]);
//! ```
//! ```

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use super::{divergence, Engine, Role, Story, StoryQuote, STORY_GROUP};
use crate::align::{align, Alignment};
use crate::article::Article;
use crate::text::TextDoc;

/// Story-wide results kept between calls of [`Engine::stories_cached`],
/// by the hash of everything they are computed from (see the module doc).
/// Results of stories that no longer exist in that form are dropped at
/// each call, so the cache holds one entry per story of two or more
/// members.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct StoryCache {
    wide: HashMap<u64, Wide>,
    /// Stories whose results were computed (not found) at the last call.
    computed: usize,
    /// Each story's key at the last call, by story id (stories of two or
    /// more members).
    #[serde(skip)]
    keys: HashMap<String, u64>,
}

impl StoryCache {
    /// Stories whose results are kept.
    pub fn len(&self) -> usize {
        self.wide.len()
    }

    /// True when nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.wide.is_empty()
    }

    /// Stories whose story-wide results the last call computed (the others
    /// came from the cache).
    pub fn computed(&self) -> usize {
        self.computed
    }

    /// The key of story `id` at the last call (stories of two or more
    /// members): the hash of everything its story-wide results are
    /// computed from, so a caller can keep what it made of the story (the
    /// service keeps its JSON) until the key changes.
    pub fn key_of(&self, id: &str) -> Option<u64> {
        self.keys.get(id).copied()
    }
}

/// One story's story-wide results.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Wide {
    entities: Vec<super::Entity>,
    quotes: Vec<StoryQuote>,
    consensus: Vec<super::Claim>,
}

impl Wide {
    fn of(s: &Story) -> Wide {
        Wide {
            entities: s.entities.clone(),
            quotes: s.quotes.clone(),
            consensus: s.consensus.clone(),
        }
    }

    fn fill(&self, s: &mut Story) {
        s.entities.clone_from(&self.entities);
        s.quotes.clone_from(&self.quotes);
        s.consensus.clone_from(&self.consensus);
    }
}

impl Engine {
    /// [`Engine::stories`], with the story-wide results of stories that did
    /// not change since the last call taken from `cache` (see the module
    /// doc). The result is the same as [`Engine::stories`].
    pub fn stories_cached(&self, cache: &mut StoryCache) -> Vec<Story> {
        self.stories_with(Some(cache))
    }

    /// Fills in the changes of derived members (made when they were
    /// placed) and the stories' story-wide results, from `cache` where a
    /// story is unchanged.
    pub(super) fn diverge(&self, stories: &mut [Story], cache: Option<&mut StoryCache>) {
        let by_id: HashMap<&str, &Article> = self
            .entries
            .iter()
            .map(|e| (e.article.id.as_str(), &e.article))
            .collect();
        let index: HashMap<&str, usize> = self
            .entries
            .iter()
            .enumerate()
            .map(|(k, e)| (e.article.id.as_str(), k))
            .collect();
        for s in stories.iter_mut() {
            for m in s.members.iter_mut().filter(|m| m.role == Role::Derived) {
                if let Some(c) = index
                    .get(m.article.as_str())
                    .and_then(|&k| self.changes.get(k))
                {
                    m.changes = c.clone();
                }
            }
        }
        // A story of one member has no story-wide results.
        let mut todo: Vec<&mut Story> = Vec::new();
        let Some(cache) = cache else {
            todo.extend(stories.iter_mut().filter(|s| s.members.len() > 1));
            for group in todo.chunks_mut(STORY_GROUP) {
                self.story_wide(group, &by_id, &index);
            }
            return;
        };
        let keys: Vec<u64> = stories
            .par_iter()
            .map(|s| {
                if s.members.len() > 1 {
                    self.story_key(s, &index)
                } else {
                    0
                }
            })
            .collect();
        let mut kept: HashMap<u64, Wide> = HashMap::with_capacity(cache.wide.len());
        let mut todo_keys = Vec::new();
        cache.keys.clear();
        for (s, key) in stories.iter_mut().zip(keys) {
            if s.members.len() < 2 {
                continue;
            }
            cache.keys.insert(s.id.clone(), key);
            match cache.wide.remove(&key) {
                Some(w) => {
                    w.fill(s);
                    kept.insert(key, w);
                }
                None => {
                    todo.push(s);
                    todo_keys.push(key);
                }
            }
        }
        for group in todo.chunks_mut(STORY_GROUP) {
            self.story_wide(group, &by_id, &index);
        }
        cache.computed = todo.len();
        for (s, key) in todo.iter().zip(todo_keys) {
            kept.insert(key, Wide::of(s));
        }
        cache.wide = kept;
    }

    /// The hash of everything a story's story-wide results are computed
    /// from ([`super::members::StoryText`] and the alignments): each
    /// member in order with its relation, parent and change report, its
    /// text, language and host, the furniture lines taken out of it, and
    /// the alignment kept from its placement. (Not the members' evidence
    /// or confidence: the analyses do not read them, and hashing them made
    /// the key cost more than the analyses at 60 k articles.)
    fn story_key(&self, s: &Story, index: &HashMap<&str, usize>) -> u64 {
        let mut h = Xxh3::new();
        let mut field = |bytes: &[u8]| {
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        for m in &s.members {
            field(m.article.as_bytes());
            field(m.parent.as_deref().unwrap_or("").as_bytes());
            field(m.relation.map_or("", |r| r.name()).as_bytes());
            // Serializing a change list cannot fail (no non-string map keys).
            if !m.changes.is_empty() {
                field(&serde_json::to_vec(&m.changes).unwrap_or_default());
            }
            let Some(&k) = index.get(m.article.as_str()) else {
                continue;
            };
            let a = &self.entries[k].article;
            field(&xxh3_64(a.text.as_bytes()).to_le_bytes());
            field(a.language.as_deref().unwrap_or("").as_bytes());
            field(
                crate::text::furniture::host_key(a)
                    .unwrap_or_default()
                    .as_bytes(),
            );
            field(&self.furniture.removed_key(a).to_le_bytes());
            if let Some(Some((p, al))) = self.links.get(k) {
                field(&(*p as u64).to_le_bytes());
                for pair in &al.pairs {
                    for x in [pair.a.start, pair.a.end, pair.b.start, pair.b.end] {
                        field(&(x as u64).to_le_bytes());
                    }
                }
            }
        }
        h.digest()
    }

    /// Entities, quotes and claims of `stories`.
    fn story_wide(
        &self,
        stories: &mut [&mut Story],
        by_id: &HashMap<&str, &Article>,
        index: &HashMap<&str, usize>,
    ) {
        let clock = std::time::Instant::now();
        let debug = std::env::var_os("RETOLD_DEBUG").is_some();
        let docs: HashMap<&str, TextDoc> = stories
            .iter()
            .filter(|s| s.members.len() > 1)
            .flat_map(|s| s.members.iter())
            .filter_map(|m| by_id.get(m.article.as_str()).copied())
            .collect::<Vec<&Article>>()
            .par_iter()
            .map(|a| (a.id.as_str(), self.furniture.analyze_article(a)))
            .collect();
        let texts: Vec<Vec<divergence::StoryText>> = stories
            .iter()
            .map(|s| {
                // Names, quotes and claims are compared in the origin's
                // language: in a story with a translation, members known to
                // be in another language (translations, and copies of them)
                // are left out.
                let language = |id: &str| by_id.get(id).and_then(|a| a.language.as_deref());
                let crossed = s
                    .members
                    .iter()
                    .any(|m| m.relation == Some(crate::relate::Relation::Translated));
                let origin_language = language(&s.origin).filter(|_| crossed);
                let kept: Vec<&super::Member> = s
                    .members
                    .iter()
                    .filter(|m| match (origin_language, language(&m.article)) {
                        (Some(o), Some(l)) => o == l,
                        _ => true,
                    })
                    .collect();
                let at: HashMap<&str, usize> = kept
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (m.article.as_str(), i))
                    .collect();
                kept.into_iter()
                    .filter_map(|m| {
                        Some(divergence::StoryText {
                            id: &m.article,
                            doc: docs.get(m.article.as_str())?,
                            relation: m.relation,
                            parent: m.parent.as_deref().and_then(|p| at.get(p).copied()),
                            changes: &m.changes,
                        })
                    })
                    .collect()
            })
            .collect();
        let t_analyze = clock.elapsed().as_secs_f64();
        let clock = std::time::Instant::now();
        let links: Vec<Vec<(usize, usize)>> =
            texts.iter().map(|t| divergence::story_links(t)).collect();
        let all: Vec<(usize, usize, usize)> = links
            .iter()
            .enumerate()
            .flat_map(|(si, l)| l.iter().map(move |&(a, b)| (si, a, b)))
            .collect();
        let mut aligned: Vec<Vec<Cow<Alignment>>> = vec![Vec::new(); stories.len()];
        // A derived member's link to its parent was aligned for its change
        // report; the others (between reports) are aligned now.
        let kept = |si: usize, a: usize, b: usize| -> Option<&Alignment> {
            let (child, parent) = (texts[si][a].id, texts[si][b].id);
            let (&c, &p) = (index.get(child)?, index.get(parent)?);
            match self.links.get(c)? {
                Some((q, al)) if *q == p => Some(al),
                _ => None,
            }
        };
        let found: Vec<Cow<Alignment>> = all
            .par_iter()
            .map(|&(si, a, b)| match kept(si, a, b) {
                Some(al) => Cow::Borrowed(al),
                None => Cow::Owned(align(
                    texts[si][a].doc,
                    texts[si][b].doc,
                    &self.config.align,
                )),
            })
            .collect();
        for (&(si, _, _), al) in all.iter().zip(found) {
            aligned[si].push(al);
        }
        let t_align = clock.elapsed().as_secs_f64();
        let clock = std::time::Instant::now();
        let wide: Vec<_> = texts
            .par_iter()
            .zip(&links)
            .zip(&aligned)
            .map(|((t, l), al)| {
                if t.len() < 2 {
                    return Default::default();
                }
                (divergence::entities(t), divergence::story_wide(t, l, al))
            })
            .collect();
        drop(texts);
        if debug {
            eprintln!(
                "retold: story-wide group: {} texts analyzed {t_analyze:.2} s, {} links aligned {t_align:.2} s, entities/quotes/claims {:.2} s",
                docs.len(),
                all.len(),
                clock.elapsed().as_secs_f64()
            );
        }
        for (s, (entities, (quotes, consensus))) in stories.iter_mut().zip(wide) {
            s.entities = entities;
            s.quotes = quotes;
            s.consensus = consensus;
        }
    }
}
