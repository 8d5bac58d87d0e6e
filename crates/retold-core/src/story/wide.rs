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
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

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
    /// What [`Engine::stories_update`] keeps between calls; `None` until
    /// its first call (which then makes every story).
    #[serde(skip)]
    update: Option<UpdateState>,
    /// The alignments of the story links between reports, kept between
    /// calls of [`Engine::stories_update`] (not saved: made again as
    /// stories are).
    #[serde(skip)]
    aligned: LinkAlignments,
}

/// The alignments of story links placement did not keep (between two
/// reports, or a derived member and a parent it was not aligned with),
/// kept between calls of [`Engine::stories_update`]. A story that gains a
/// member has all its story-wide analyses made again, but its reports and
/// most of their links are as before: those links are not aligned again.
///
/// An alignment is a function of the two texts as analyzed (text,
/// language, the furniture lines taken out) and the engine's alignment
/// settings: each is kept with the [`TextKey`]s of its two texts and used
/// only while both still read the same.
#[derive(Debug, Default)]
struct LinkAlignments {
    /// By the two members' engine indices (linked, linked to).
    by_pair: HashMap<(usize, usize), ([TextKey; 2], Arc<Alignment>)>,
    /// The pairs each story (by number) used when it was last made, so
    /// links a story no longer has are dropped.
    of_story: HashMap<usize, Vec<(usize, usize)>>,
    /// Links aligned (not found) at the last call.
    made: usize,
}

/// What a text's analysis is made from: its text and language (hashed)
/// and the furniture lines taken out of it ([`Furniture::removed_key`]).
type TextKey = (u64, u64);

/// A link aligned anew: its pair of engine indices, what its two texts
/// were analyzed from, and the alignment.
type MadeLink = ((usize, usize), [TextKey; 2], Arc<Alignment>);

/// The links of one story group aligned by [`Engine::story_wide`]: per
/// story, the pairs of engine indices of the links it aligned or found
/// (not those placement kept), and the alignments made anew.
#[derive(Default)]
struct GroupLinks {
    used: Vec<Vec<(usize, usize)>>,
    made: Vec<MadeLink>,
}

/// What [`Engine::stories_update`] knows of the stories it handed out.
#[derive(Debug, Default)]
struct UpdateState {
    /// Story numbers with members at the last call, and their ids.
    live: HashMap<usize, String>,
    /// Each story's key of story-wide results (two or more members).
    key_at: HashMap<usize, u64>,
    /// Per article: the hash of its host ([`furniture::host_key`]) and the
    /// furniture lines taken out of it ([`Furniture::removed_key`]) at the
    /// last call.
    host: Vec<u64>,
    removed: Vec<u64>,
    /// Per independent member placed on a verdict: what joined it
    /// ([`super::JoinedBy`]) as its story was last handed out. It is the
    /// one part of a story that moves when nothing in the story changed
    /// (a vocabulary cosine reads the current document frequencies), so a
    /// story is made again for it only where it differs.
    joined: HashMap<usize, Option<super::JoinedBy>>,
}

/// What changed in an engine's stories since the last
/// [`Engine::stories_update`]: written where the engine places, merges,
/// re-roots or stores a change report.
#[derive(Debug)]
pub(super) struct Touched {
    /// Everything (a new or loaded engine).
    all: bool,
    stories: HashSet<usize>,
    articles: HashSet<usize>,
}

impl Default for Touched {
    fn default() -> Self {
        Touched {
            all: true,
            stories: HashSet::new(),
            articles: HashSet::new(),
        }
    }
}

impl Touched {
    /// Story number `s` changed (a member came, left or moved).
    pub(super) fn story(&mut self, s: usize) {
        if !self.all {
            self.stories.insert(s);
        }
    }

    /// Article `m`'s place, direction, change report or link changed.
    pub(super) fn article(&mut self, m: usize) {
        if !self.all {
            self.articles.insert(m);
        }
    }
}

/// The stories an engine changed since the last
/// [`Engine::stories_update`], made again.
#[derive(Debug, Default)]
pub struct StoryUpdate {
    /// True when `changed` holds every story (the first call with this
    /// cache, or an engine new or loaded since): whatever the caller kept
    /// goes.
    pub all: bool,
    /// Each story made again, with its number: a story keeps its number
    /// while the engine lives (when it grows, is re-rooted or takes in a
    /// merged story; its id changes when its origin does).
    pub changed: Vec<(usize, Story)>,
    /// Numbers of the stories gone since the last call (merged into
    /// another).
    pub gone: Vec<usize>,
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

    /// Story links aligned by the last [`Engine::stories_update`]: the
    /// links of the stories it made again that were neither kept from
    /// placement nor aligned at an earlier call under the same texts.
    pub fn links_aligned(&self) -> usize {
        self.aligned.made
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
        // The next update makes every story again.
        cache.update = None;
        self.stories_with(Some(cache))
    }

    /// The stories that changed since the last call with `cache`, made
    /// again; every other story is as the last call (or an earlier one)
    /// gave it. A caller that keeps the stories by number, replaces the
    /// changed ones and drops the gone ones has exactly what
    /// [`Engine::stories`] gives (`tests/story_cache.rs`), at a cost that
    /// follows the stories a batch changed rather than the store:
    ///
    /// * stories a batch placed an article in, merged, re-rooted
    ///   differently or gave a new change report (the engine notes them as
    ///   it goes);
    /// * stories with a member whose page furniture changed (a line of
    ///   its site became furniture or stopped being it): only articles of
    ///   the sites the new articles came from are looked at;
    /// * stories with an independent member placed on a verdict: its
    ///   [`super::JoinedBy`] reads the vocabulary cosine with the current
    ///   document frequencies, which every article moves. Their story-wide
    ///   results are kept without hashing (nothing they read changed).
    pub fn stories_update(&mut self, cache: &mut StoryCache) -> StoryUpdate {
        let touched = std::mem::replace(
            &mut self.touched,
            Touched {
                all: false,
                stories: HashSet::new(),
                articles: HashSet::new(),
            },
        );
        let all = touched.all || cache.update.is_none();
        if all {
            cache.aligned = LinkAlignments::default();
        }
        let mut state = if all {
            // The kept results stay (a loaded cache has them all) until
            // the keys are known.
            cache.keys.clear();
            UpdateState::default()
        } else {
            cache.update.take().unwrap_or_default()
        };
        let n = self.entries.len();
        // Stories whose story-wide inputs may have changed.
        let mut redo: HashSet<usize> = HashSet::new();
        let old = state.host.len().min(n);
        let host_of = |k: usize| {
            crate::text::furniture::host_key(&self.entries[k].article)
                .map_or(0, |h| xxh3_64(h.as_bytes()))
        };
        let new_hosts: Vec<u64> = (old..n).into_par_iter().map(host_of).collect();
        let removed_of = |k: usize| self.furniture.removed_key(&self.entries[k].article);
        if all {
            redo.extend((0..self.stories.len()).filter(|&s| !self.stories[s].is_empty()));
            state.host = new_hosts;
            state.removed = (0..n).into_par_iter().map(removed_of).collect();
        } else {
            redo.extend(touched.stories);
            redo.extend(
                touched
                    .articles
                    .iter()
                    .filter_map(|&m| self.places.get(m))
                    .map(|p| p.story),
            );
            // Sites that learned pages: their older pages may have lost or
            // gained furniture lines.
            let learned: HashSet<u64> = new_hosts.iter().copied().filter(|&h| h != 0).collect();
            let check: Vec<usize> = (0..old)
                .filter(|&k| learned.contains(&state.host[k]))
                .collect();
            let now: Vec<u64> = check.par_iter().map(|&k| removed_of(k)).collect();
            for (&k, key) in check.iter().zip(now) {
                if state.removed[k] != key {
                    state.removed[k] = key;
                    redo.insert(self.places[k].story);
                }
            }
            state.removed.extend((old..n).map(removed_of));
            state.host.extend(new_hosts);
        }
        // Stories to make again: those, and those where what joined an
        // independent member now reads otherwise (a vocabulary cosine
        // under the current document frequencies; a verdict's relatedness
        // does not move).
        let joined: HashMap<usize, Option<super::JoinedBy>> = self
            .places
            .par_iter()
            .enumerate()
            .filter(|(_, p)| p.role == Role::Independent)
            .filter_map(|(m, p)| {
                let (j, v, _) = p.evidence.as_ref()?;
                Some((m, self.joined_by(m, *j, v, Role::Independent)))
            })
            .collect();
        let mut make: Vec<usize> = redo.iter().copied().collect();
        if !all {
            make.extend(
                joined
                    .iter()
                    .filter(|(m, now)| state.joined.get(m) != Some(now))
                    .map(|(&m, _)| self.places[m].story)
                    .filter(|s| !redo.contains(s)),
            );
        }
        state.joined = joined;
        make.sort_unstable();
        make.dedup();
        make.retain(|&s| self.stories.get(s).is_some_and(|m| !m.is_empty()));
        let gone: Vec<usize> = {
            let mut g: Vec<usize> = state
                .live
                .keys()
                .copied()
                .filter(|&s| self.stories.get(s).is_none_or(|m| m.is_empty()))
                .collect();
            g.sort_unstable();
            g
        };
        for s in &gone {
            if let Some(id) = state.live.remove(s) {
                cache.keys.remove(&id);
            }
            if let Some(k) = state.key_at.remove(s) {
                cache.wide.remove(&k);
            }
        }
        let vetoes = self.vetoes_by_article();
        let splits = self.split_views();
        let mut changed: Vec<(usize, Story)> = make
            .par_iter()
            .map(|&s| {
                let here = splits.get(&s).map_or(&[][..], Vec::as_slice);
                let story = self.story_of_members(&self.stories[s], &vetoes, here);
                (s, story)
            })
            .collect();
        // The members' indices, by id (of the stories made again only).
        let index: HashMap<&str, usize> = make
            .iter()
            .flat_map(|&s| self.stories[s].iter())
            .map(|&k| (self.entries[k].article.id.as_str(), k))
            .collect();
        let by_id: HashMap<&str, &Article> = index
            .iter()
            .map(|(&id, &k)| (id, &self.entries[k].article))
            .collect();
        for (_, story) in changed.iter_mut() {
            for m in story.members.iter_mut().filter(|m| m.role == Role::Derived) {
                if let Some(c) = index
                    .get(m.article.as_str())
                    .and_then(|&k| self.changes.get(k))
                {
                    m.changes = c.clone();
                }
            }
        }
        // Story-wide results: kept by number where nothing they read
        // changed, else by key, else computed.
        let keys: Vec<Option<u64>> = changed
            .par_iter()
            .map(|(s, story)| {
                if story.members.len() < 2 {
                    None
                } else if !redo.contains(s) && state.key_at.contains_key(s) {
                    state.key_at.get(s).copied()
                } else {
                    Some(self.story_key(story, &index))
                }
            })
            .collect();
        let mut todo: Vec<&mut Story> = Vec::new();
        let mut todo_keys = Vec::new();
        let mut todo_numbers = Vec::new();
        for ((s, story), key) in changed.iter_mut().zip(keys) {
            if let Some(id) = state.live.insert(*s, story.id.clone()) {
                if id != story.id {
                    cache.keys.remove(&id);
                }
            }
            let Some(key) = key else {
                if let Some(k) = state.key_at.remove(s) {
                    cache.wide.remove(&k);
                }
                continue;
            };
            if let Some(k) = state.key_at.insert(*s, key) {
                if k != key {
                    cache.wide.remove(&k);
                }
            }
            cache.keys.insert(story.id.clone(), key);
            match cache.wide.get(&key) {
                Some(w) => w.fill(story),
                None => {
                    todo.push(story);
                    todo_keys.push(key);
                    todo_numbers.push(*s);
                }
            }
        }
        let mut links = GroupLinks::default();
        for group in todo.chunks_mut(STORY_GROUP) {
            let made = self.story_wide(group, &by_id, &index, Some(&cache.aligned));
            links.used.extend(made.used);
            links.made.extend(made.made);
        }
        cache.aligned.keep(&todo_numbers, &gone, links);
        cache.computed = todo.len();
        for (story, key) in todo.iter().zip(todo_keys) {
            cache.wide.insert(key, Wide::of(story));
        }
        if all {
            // Results of stories that are no more.
            let live: HashSet<u64> = state.key_at.values().copied().collect();
            cache.wide.retain(|k, _| live.contains(k));
        }
        cache.update = Some(state);
        StoryUpdate { all, changed, gone }
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
                self.story_wide(group, &by_id, &index, None);
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
            self.story_wide(group, &by_id, &index, None);
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

    /// What the analysis of article `k`'s text is made from
    /// ([`TextKey`]).
    fn text_key(&self, k: usize) -> TextKey {
        let a = &self.entries[k].article;
        let mut h = Xxh3::new();
        h.update(a.text.as_bytes());
        h.update(&[0xff]);
        h.update(a.language.as_deref().unwrap_or("").as_bytes());
        (h.digest(), self.furniture.removed_key(a))
    }

    /// Entities, quotes and claims of `stories`. The links placement did
    /// not keep are taken from `aligned_before` where their texts read as
    /// when they were aligned, and aligned otherwise; what was used and
    /// made is returned for the caller to keep.
    fn story_wide(
        &self,
        stories: &mut [&mut Story],
        by_id: &HashMap<&str, &Article>,
        index: &HashMap<&str, usize>,
        aligned_before: Option<&LinkAlignments>,
    ) -> GroupLinks {
        let clock = std::time::Instant::now();
        let debug = std::env::var_os("RETOLD_DEBUG").is_some();
        // A text the last batch kept prepared under the furniture it has
        // now is that analysis already (`Prepared::new`).
        let docs: HashMap<&str, Cow<TextDoc>> = stories
            .iter()
            .filter(|s| s.members.len() > 1)
            .flat_map(|s| s.members.iter())
            .filter_map(|m| by_id.get(m.article.as_str()).copied())
            .collect::<Vec<&Article>>()
            .par_iter()
            .map(|a| {
                let kept = index
                    .get(a.id.as_str())
                    .and_then(|k| self.carried.get(k))
                    .filter(|(key, _)| *key == self.furniture.removed_key(a));
                let doc = match kept {
                    Some((_, p)) => Cow::Borrowed(&p.doc),
                    None => Cow::Owned(self.furniture.analyze_article(a)),
                };
                (a.id.as_str(), doc)
            })
            .collect();
        let reused = docs
            .values()
            .filter(|d| matches!(d, Cow::Borrowed(_)))
            .count();
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
                            doc: docs.get(m.article.as_str())?.as_ref(),
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
        let mut aligned: Vec<Vec<&Alignment>> = vec![Vec::new(); stories.len()];
        // A derived member's link to its parent was aligned for its change
        // report; the others (between reports) were aligned at an earlier
        // call, or are aligned now.
        let pair_of = |si: usize, a: usize, b: usize| -> Option<(usize, usize)> {
            let (child, parent) = (texts[si][a].id, texts[si][b].id);
            Some((*index.get(child)?, *index.get(parent)?))
        };
        let kept = |pair: Option<(usize, usize)>| -> Option<&Alignment> {
            let (c, p) = pair?;
            match self.links.get(c)? {
                Some((q, al)) if *q == p => Some(al),
                _ => None,
            }
        };
        let found: Vec<Found> = all
            .par_iter()
            .map(|&(si, a, b)| {
                let pair = pair_of(si, a, b);
                if let Some(al) = kept(pair) {
                    return Found::Kept(al);
                }
                let keys = pair.map(|(c, p)| [self.text_key(c), self.text_key(p)]);
                if let (Some(pair), Some(keys), Some(before)) = (pair, keys, aligned_before) {
                    if let Some((k, al)) = before.by_pair.get(&pair) {
                        if *k == keys {
                            return Found::Before(pair, al);
                        }
                    }
                }
                let al = Arc::new(align(
                    texts[si][a].doc,
                    texts[si][b].doc,
                    &self.config.align,
                ));
                Found::Made(pair.zip(keys), al)
            })
            .collect();
        let mut links_of = GroupLinks {
            used: vec![Vec::new(); stories.len()],
            made: Vec::new(),
        };
        for (&(si, _, _), f) in all.iter().zip(&found) {
            match f {
                Found::Kept(_) | Found::Made(None, _) => {}
                Found::Before(pair, _) => links_of.used[si].push(*pair),
                Found::Made(Some((pair, keys)), al) => {
                    links_of.used[si].push(*pair);
                    if aligned_before.is_some() {
                        links_of.made.push((*pair, *keys, Arc::clone(al)));
                    }
                }
            }
        }
        for (&(si, _, _), f) in all.iter().zip(&found) {
            aligned[si].push(match f {
                Found::Kept(al) => al,
                Found::Before(_, al) => al.as_ref(),
                Found::Made(_, al) => al.as_ref(),
            });
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
                "retold: story-wide group: {} texts analyzed ({reused} of them kept from the last batch) {t_analyze:.2} s, {} links ({} aligned now) {t_align:.2} s, entities/quotes/claims {:.2} s",
                docs.len(),
                all.len(),
                found.iter().filter(|f| matches!(f, Found::Made(..))).count(),
                clock.elapsed().as_secs_f64()
            );
        }
        for (s, (entities, (quotes, consensus))) in stories.iter_mut().zip(wide) {
            s.entities = entities;
            s.quotes = quotes;
            s.consensus = consensus;
        }
        links_of
    }
}

/// Where [`Engine::story_wide`] got a link's alignment.
enum Found<'e> {
    /// Kept by placement (a derived member's link to its parent).
    Kept(&'e Alignment),
    /// Aligned at an earlier call ([`LinkAlignments`]).
    Before((usize, usize), &'e Arc<Alignment>),
    /// Aligned now (with its pair and texts' keys, when both are members
    /// the engine knows).
    Made(Option<((usize, usize), [TextKey; 2])>, Arc<Alignment>),
}

impl LinkAlignments {
    /// After a call that made the stories `made` (by number) again and
    /// found the stories `gone`: the links those stories no longer have
    /// go, the links made now are kept.
    fn keep(&mut self, made: &[usize], gone: &[usize], links: GroupLinks) {
        let used: HashSet<(usize, usize)> = links.used.iter().flatten().copied().collect();
        for s in made.iter().chain(gone) {
            for pair in self.of_story.remove(s).unwrap_or_default() {
                if !used.contains(&pair) {
                    self.by_pair.remove(&pair);
                }
            }
        }
        for (&s, pairs) in made.iter().zip(links.used) {
            if !pairs.is_empty() {
                self.of_story.insert(s, pairs);
            }
        }
        self.made = links.made.len();
        for (pair, keys, al) in links.made {
            self.by_pair.insert(pair, (keys, al));
        }
    }
}
