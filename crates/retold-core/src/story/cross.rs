//! Stories across languages (issue 18): the [`Engine`]'s cross-language
//! path, decided pair by pair so that the stories after articles 1..N are
//! the same however they were batched (issue 16).
//!
//! * **Which pairs**: an article in a known language is compared across
//!   languages only with earlier articles in another known language that
//!   share *anchors* with it: what survives translation unchanged, numbers
//!   of two digits or more and Latin-script names (a capitalized word of 3
//!   letters or more that does not start a sentence; a month or a weekday
//!   is one anchor in every language), read from the title and the first
//!   [`ANCHOR_CHARS`] characters ([`anchors`]). A partner must pass three
//!   tests, each about what a translation is:
//!   - at least [`MIN_SHARED_ANCHORS`] anchors in common;
//!   - at least a third of the anchors of the one with fewer: a
//!     translation keeps most of its source's names and figures, two web
//!     pages crowded with names share a few by chance (on the translation
//!     set the translations share 0.64-0.97 of them, Japanese aside, and
//!     the articles on the same topic at most 0.19);
//!   - shared anchors rare enough that fewer than one earlier article
//!     would hold them all by chance: the sum over them of
//!     −ln(share of the earlier articles, any language, holding it) is at
//!     least ln(earlier articles). "2024" and "Health" together do not
//!     make a pair; "Aln" and "Wexhall" do.
//!
//!   Anchors are indexed per language, and only once the articles seen
//!   are in two languages or more: an English-only corpus pays nothing
//!   and no model is looked for. A query reads, for each of its anchors,
//!   the last [`ANCHOR_POSTINGS`] earlier articles of each other language
//!   holding it, within the candidate index's time window, and keeps the
//!   [`ANCHOR_PARTNERS`] with the rarest anchors in common.
//! * **Candidates**: only the articles of such pairs are embedded (title
//!   and lead, once per article, in one call per chunk), and not for a
//!   partner the lexical candidates already hold (a page labelled Spanish
//!   that copies an English one is found and judged without the model);
//!   a partner whose
//!   lead cosine reaches [`CrossConfig::lead_floor`] joins the article's
//!   lexical candidates (the [`CrossConfig::candidates`] closest). Pairs
//!   in one language keep the lexical path untouched.
//! * **Verdicts**: a pair whose two languages are known and differ gets
//!   the lexical verdict first; when that says one was made from the
//!   other (a copy, an excerpt, …) the two are in one language whatever
//!   their labels say (a page misdetected as Spanish) and it stands.
//!   Otherwise the pair gets the cross-language verdict
//!   ([`crate::relate::translated`]), wherever the engine asks for one
//!   (placing, re-rooting, merging); its sentence vectors are embedded
//!   once per article. A `translated` link's change report compares
//!   numbers and names across languages ([`crate::changes::cross`]).
//!
//! **Why per pair.** The path used to start for good once the languages
//! other than the most frequent held 1% of the articles *seen so far*.
//! The CLI sees the whole input before it decides, a service its first
//! batch: 5 pages of 500 in other languages turned the path on in `retold
//! serve` (every lead embedded, 342 s for the first batch) where `retold
//! analyze` of the same 10 k articles (0.05%) left it off, and the two
//! gave different stories. Here nothing depends on a share or on the
//! batch: whether article `i` gets cross-language candidates and verdicts
//! depends only on `i` and the articles before it (their anchors,
//! languages, dates and embeddings, all functions of the articles
//! themselves), so [`Engine::add`] one at a time, [`Engine::add_all`] in
//! any batches and a loaded engine (which indexes the anchors again on its
//! next batch) place every article alike. The cost follows the pairs
//! across languages that share names and numbers, not the corpus: a few
//! stray pages in a large English corpus embed the leads of the few
//! articles that share rare anchors with them (on 100 k English articles
//! with 5 stray Spanish pages, 3 texts embedded; before the share and
//! rarity tests, 4,609). What this gives up: a translation that shares
//! fewer than two numbers or names, or under a third of them, with its
//! source in its first 2,000 characters is not found (news translations
//! keep their names, figures and dates; a Japanese or Russian one of a
//! text with few figures is at risk).
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
//! engine.add(article("a", "en", "The river Aln burst its banks in Wexhall on Sunday after three days of rain."));
//! engine.add(article("b", "en", "The council approved the library budget on Tuesday evening."));
//! // One language so far: the model was not called.
//! assert_eq!(counting.0.load(std::sync::atomic::Ordering::Relaxed), 0);
//! engine.add(article("c", "fr", "Le conseil a voté le budget de la bibliothèque mardi soir."));
//! // A second language, but no names or numbers in common: still no call.
//! assert_eq!(counting.0.load(std::sync::atomic::Ordering::Relaxed), 0);
//! engine.add(article("d", "de", "Der Fluss Aln trat am Sonntag in Wexhall nach drei Tagen Regen über die Ufer."));
//! // "Aln" and "Wexhall" in both: the two leads are embedded (and the
//! // sentences of the pair, for its verdict).
//! assert!(counting.0.load(std::sync::atomic::Ordering::Relaxed) >= 2);
//! ```

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use jiff::Timestamp;
use rayon::prelude::*;

use super::{Engine, Prepared};
use crate::align::Alignment;
use crate::article::Article;
use crate::changes::cross::{calendar_word, values};
use crate::features::embed::{cosine, detect, lead_text, Embedder, LEAD_CHARS};
use crate::relate::degree::DegreeBasis;
use crate::relate::translated::{cross_verdict, sentence_texts, CrossConfig};
use crate::relate::{outlets, Degree, Party, Relation, Verdict};

/// Articles whose sentence vectors are kept at most (then all are dropped).
const SENTENCES_KEPT: usize = 4096;

/// Least anchors (numbers and Latin-script names, see [`anchors`]) two
/// articles in different languages share for their leads to be compared.
pub const MIN_SHARED_ANCHORS: usize = 2;

/// Characters of an article's text (after its title) its anchors are read
/// from.
pub const ANCHOR_CHARS: usize = 2000;

/// Earlier articles of one language read per anchor of a query (the most
/// recent ones): a common anchor ("2024") costs no more than this.
pub const ANCHOR_POSTINGS: usize = 256;

/// Other-language partners per article whose leads are compared (those
/// sharing the most anchors).
pub const ANCHOR_PARTNERS: usize = 16;

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
/// engine indexes the anchors again and embeds what it needs; all of it is
/// a function of the articles).
#[derive(Default)]
pub(super) struct Cross {
    choice: Choice,
    embedder: OnceLock<Option<Arc<dyn Embedder>>>,
    pub(super) config: CrossConfig,
    /// The known languages among the first `counted` entries.
    languages: BTreeSet<String>,
    counted: usize,
    /// Per language, per anchor, the articles holding it (ascending
    /// numbers); empty while the articles are in one language.
    anchors: HashMap<String, HashMap<u64, Vec<u32>>>,
    /// Articles whose anchors are indexed (numbers below it).
    anchored: usize,
    /// How many anchors each indexed article has, by article number.
    anchor_counts: Vec<u32>,
    /// Lead vectors of the articles embedded so far, by article.
    leads: HashMap<usize, Vec<f32>>,
    sentences: Mutex<HashMap<usize, Arc<Vec<Vec<f32>>>>>,
    /// Texts given to the embedder.
    embedded: AtomicUsize,
    /// The first embedding failure, if any (the path is then off).
    failed: Option<String>,
}

impl Engine {
    /// Sets the multilingual embedder (`None`: the cross-language path is
    /// off). Without a call the engine looks for the model itself
    /// ([`detect`]) when a pair across languages first needs it.
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

    /// Whether articles are linked across languages: a pair across
    /// languages needed the embedder, and there is one that has not failed.
    pub fn cross_language_on(&self) -> bool {
        self.cross.failed.is_none() && self.cross.embedder.get().is_some_and(Option::is_some)
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

    /// The article numbered `j`: an entry, or one of `pending` (the
    /// articles being added, numbered from the entries' count on).
    fn article_at<'a>(&'a self, j: usize, pending: &'a [Article]) -> Option<&'a Article> {
        match self.entries.get(j) {
            Some(e) => Some(&e.article),
            None => pending.get(j - self.entries.len()),
        }
    }

    /// Indexes the anchors of the entries and of `pending` not indexed yet,
    /// once the articles are in two languages or more; returns whether
    /// they are.
    fn cross_index(&mut self, pending: &[Article]) -> bool {
        let seen = self.entries.len();
        for e in &self.entries[self.cross.counted.min(seen)..] {
            if let Some(l) = &e.article.language {
                self.cross.languages.insert(l.clone());
            }
        }
        self.cross.counted = seen;
        let mut languages = self.cross.languages.clone();
        languages.extend(pending.iter().filter_map(|a| a.language.clone()));
        if languages.len() < 2 {
            return false;
        }
        let total = seen + pending.len();
        let from = self.cross.anchored.min(total);
        let found: Vec<(usize, String, Vec<u64>)> = (from..total)
            .into_par_iter()
            .filter_map(|j| {
                let a = self.article_at(j, pending)?;
                Some((j, a.language.clone()?, anchors(a)))
            })
            .collect();
        self.cross.anchor_counts.resize(total, 0);
        for (j, language, keys) in found {
            self.cross.anchor_counts[j] = keys.len() as u32;
            let index = self.cross.anchors.entry(language).or_default();
            for k in keys {
                index.entry(k).or_default().push(j as u32);
            }
        }
        self.cross.anchored = total;
        true
    }

    /// The earlier articles (numbered below `i`) in another known language
    /// that pass the three anchor tests of the module docs with article
    /// `i`, within the candidate window, rarest anchors in common first.
    fn anchor_partners(&self, i: usize, pending: &[Article]) -> Vec<usize> {
        let Some(article) = self.article_at(i, pending) else {
            return Vec::new();
        };
        let Some(language) = article.language.as_deref() else {
            return Vec::new();
        };
        let keys = anchors(article);
        // How many earlier articles (any language) hold each anchor, and
        // how many earlier articles there are: the chance an unrelated
        // article holds it.
        let earlier = i.max(1) as f64;
        let held = |k: &u64| -> usize {
            self.cross
                .anchors
                .values()
                .filter_map(|index| index.get(k))
                .map(|holders| holders.partition_point(|&j| (j as usize) < i))
                .sum()
        };
        // Per partner: anchors shared, and their surprise (the sum of
        // -ln(share of earlier articles holding each)).
        let mut shared: HashMap<u32, (usize, f64)> = HashMap::new();
        for k in &keys {
            let weight = (earlier / held(k).max(1) as f64).ln().max(0.0);
            for (l, index) in &self.cross.anchors {
                if l == language {
                    continue;
                }
                let Some(holders) = index.get(k) else {
                    continue;
                };
                let end = holders.partition_point(|&j| (j as usize) < i);
                for &j in &holders[end.saturating_sub(ANCHOR_POSTINGS)..end] {
                    let s = shared.entry(j).or_default();
                    s.0 += 1;
                    s.1 += weight;
                }
            }
        }
        let window = self.config.candidates.window_secs;
        let near = |j: usize| {
            let published = self.article_at(j, pending).and_then(|a| a.published);
            match (window, article.published, published) {
                (Some(w), Some(x), Some(y)) => gap(x, y) <= w,
                _ => true,
            }
        };
        // Fewer than one earlier article would hold them all by chance.
        let enough = earlier.ln();
        // A translation keeps most of its source's names and numbers: at
        // least a third of the anchors of the one with fewer are shared.
        let fewer = |j: u32| {
            let theirs = self
                .cross
                .anchor_counts
                .get(j as usize)
                .copied()
                .unwrap_or(0) as usize;
            theirs.min(keys.len())
        };
        let mut hits: Vec<(usize, f64)> = shared
            .into_iter()
            .filter(|&(j, (n, w))| n >= MIN_SHARED_ANCHORS && 3 * n >= fewer(j) && w >= enough)
            .map(|(j, (_, w))| (j as usize, w))
            .filter(|&(j, _)| near(j))
            .collect();
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        hits.truncate(ANCHOR_PARTNERS);
        hits.into_iter().map(|(j, _)| j).collect()
    }

    /// `candidates` (the lexical candidates of each of `pending`, the
    /// articles being added, numbered from the entries' count on) with the
    /// other-language partners ([`Engine::anchor_partners`]) whose lead
    /// cosine reaches [`CrossConfig::lead_floor`], closest first. Leads are
    /// embedded once per article, all a call needs in one batch.
    pub(super) fn with_cross_candidates(
        &mut self,
        mut candidates: Vec<Vec<usize>>,
        pending: &[Article],
    ) -> Vec<Vec<usize>> {
        if self.cross.failed.is_some() || !self.cross_index(pending) {
            return candidates;
        }
        let base = self.entries.len();
        let engine = &*self;
        let partners: Vec<Vec<usize>> = (0..pending.len())
            .into_par_iter()
            .map(|k| {
                // A partner the lexical path already holds is compared
                // anyway: its lead need not be embedded.
                let mut p = engine.anchor_partners(base + k, pending);
                if let Some(c) = candidates.get(k) {
                    p.retain(|j| !c.contains(j));
                }
                p
            })
            .collect();
        if partners.iter().all(Vec::is_empty) {
            return candidates;
        }
        let mut need: Vec<usize> = partners
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.is_empty())
            .flat_map(|(k, p)| std::iter::once(base + k).chain(p.iter().copied()))
            .filter(|j| !self.cross.leads.contains_key(j))
            .collect();
        need.sort_unstable();
        need.dedup();
        if !need.is_empty() {
            let texts: Vec<String> = need
                .iter()
                .filter_map(|&j| self.article_at(j, pending))
                .map(|a| lead_text(a.title.as_deref(), &a.text, LEAD_CHARS))
                .collect();
            if self.embedder().is_none() {
                return candidates;
            }
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            match self.embed(&refs) {
                Some(vectors) if vectors.len() == need.len() => {
                    self.cross.leads.extend(need.into_iter().zip(vectors));
                }
                _ => {
                    self.cross.failed = Some("the embedder failed on the leads".into());
                    return candidates;
                }
            }
        }
        let floor = self.cross.config.lead_floor;
        let most = self.cross.config.candidates;
        for (k, p) in partners.into_iter().enumerate() {
            let Some(vi) = self.cross.leads.get(&(base + k)) else {
                continue;
            };
            let mut close: Vec<(usize, f32)> = p
                .into_iter()
                .filter_map(|j| Some((j, cosine(vi, self.cross.leads.get(&j)?))))
                .filter(|&(_, c)| c >= floor)
                .collect();
            close.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            close.truncate(most);
            if let Some(c) = candidates.get_mut(k) {
                for (j, _) in close {
                    if !c.contains(&j) {
                        c.push(j);
                    }
                }
            }
        }
        candidates
    }

    /// Whether articles `i` and `j` are in two known, different languages.
    pub(super) fn across_languages(&self, i: usize, j: usize) -> bool {
        let (a, b) = (&self.entries[i].article, &self.entries[j].article);
        matches!((&a.language, &b.language), (Some(x), Some(y)) if x != y)
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
    /// not across two known languages or there is no embedder.
    pub(super) fn cross_verdict(
        &self,
        i: usize,
        j: usize,
        pa: &Prepared,
        pb: &Prepared,
    ) -> Option<(Verdict, Option<Alignment>)> {
        if self.cross.failed.is_some() || !self.across_languages(i, j) {
            return None;
        }
        let (a, b) = (&self.entries[i].article, &self.entries[j].article);
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

impl Engine {
    /// Round trips among the articles from `first` on (issue 18): a text
    /// translated into another language and back into its own is a spun
    /// copy of the original, made through the translation. When a member
    /// placed below a text of its own language (its parent) aligns, across
    /// languages, with a translation of that parent in the story (the
    /// cross-language verdict calls the pair `translated`, wholly), it is
    /// marked a round trip through that translation, and its relation to
    /// the parent is `spun`, wholly derived, whatever the lexical verdict
    /// called it (a back-translation keeps the names a translator kept, so
    /// the lexical path reads it as a rewrite). A member placed below the
    /// translation itself, whose grandparent is in its own language, is
    /// one too: it moves up below the original, its evidence the lexical
    /// verdict against it, the translation named as the way it came. A
    /// member below the original must carry an edit the translation made
    /// ([`Engine::carries_edit_of`]): a faithful translation put back reads
    /// like any copy of the original, and every copy aligns with the
    /// translation as well as the original does. Only with the
    /// multilingual model; stories without a translation cost nothing.
    /// The members whose relation changed get their change reports made
    /// again, for the new relation.
    pub(super) fn mark_round_trips<'d>(
        &mut self,
        first: usize,
        cached: &(dyn Fn(usize) -> Option<&'d Prepared> + Sync),
    ) {
        if !self.cross_language_on() {
            return;
        }
        let mut changed = Vec::new();
        for i in first..self.places.len() {
            let place = &self.places[i];
            let Some(parent) = place.parent else {
                continue;
            };
            let language = |k: usize| self.entries[k].article.language.as_deref();
            let Some(own) = language(i) else {
                continue;
            };
            // The original (in i's language) and the translations of it
            // that i may have come through.
            let (original, vias): (usize, Vec<usize>) =
                if place.relation == Some(Relation::Translated) {
                    match self.places[parent].parent {
                        Some(g)
                            if self.places[parent].relation == Some(Relation::Translated)
                                && language(g) == Some(own) =>
                        {
                            (g, vec![parent])
                        }
                        _ => continue,
                    }
                } else if language(parent) == Some(own) {
                    let vias = self.stories[place.story]
                        .iter()
                        .copied()
                        .filter(|&g| {
                            g != i
                                && self.places[g].parent == Some(parent)
                                && self.places[g].relation == Some(Relation::Translated)
                                && language(g).is_some_and(|l| l != own)
                        })
                        .collect();
                    (parent, vias)
                } else {
                    continue;
                };
            // Made after the translation, and carrying an edit the
            // translation made: without one, a back-translation of a
            // faithful translation reads like any copy of the original.
            let vias: Vec<usize> = vias
                .into_iter()
                .filter(|&g| g < i && self.carries_edit_of(i, g, original))
                .collect();
            if vias.is_empty() {
                continue;
            }
            let pi = self.prepared(i, cached(i));
            let found = vias.into_iter().find(|&g| {
                let pg = self.prepared(g, cached(g));
                self.cross_verdict(i, g, &pi, &pg).is_some_and(|(v, _)| {
                    v.relation == Relation::Translated && v.degree == Some(Degree::Wholly)
                })
            });
            let Some(via) = found else {
                continue;
            };
            self.round_trips.insert(i, via);
            self.touched.story(self.places[i].story);
            if parent != original {
                // Below the translation: it hangs below the original, as a
                // spun copy of it, read by the lexical verdict against it.
                let po = self.prepared(original, cached(original));
                let (v, _) = self.lexical_verdict(i, original, &pi, &po);
                let place = &mut self.places[i];
                place.parent = Some(original);
                place.confidence = v.confidence;
                place.evidence = Some((original, v, None));
            }
            if parent != original || self.places[i].relation != Some(Relation::Spun) {
                let place = &mut self.places[i];
                place.relation = Some(Relation::Spun);
                place.degree = Some(DegreeBasis::RoundTrip);
                if let Some((_, v, _)) = place.evidence.as_mut() {
                    v.relation = Relation::Spun;
                    v.set_degree(Some(DegreeBasis::RoundTrip));
                }
                changed.push((i, original, None));
            }
        }
        if !changed.is_empty() {
            let reports = self.change_reports(changed, cached);
            self.apply_changes(reports);
        }
    }

    /// Whether member `i` carries an edit translation `g` made of
    /// `original`: a figure `g` changed (its change report against
    /// `original`) whose new value `i` states and whose old value it does
    /// not, or a name `g` respelled that `i` writes `g`'s way and never the
    /// original's. A member below the translation itself was made from it.
    fn carries_edit_of(&self, i: usize, g: usize, original: usize) -> bool {
        use crate::changes::{numbers::same_value, ChangeKind};
        if self.places[i].parent != Some(original) {
            return self.places[i].parent == Some(g);
        }
        let lang = |k: usize| self.entries[k].article.language.clone().unwrap_or_default();
        let text = &self.entries[i].article.text;
        let in_text: Vec<f64> = values(text, &lang(i)).iter().map(|v| v.value).collect();
        let has = |x: f64| in_text.iter().any(|&y| same_value(x, y));
        let lower = text.to_lowercase();
        let Some(of_g) = self.changes.get(g) else {
            return false;
        };
        of_g.iter().any(|c| {
            let (Some(old), Some(new)) = (&c.parent, &c.child) else {
                return false;
            };
            match c.kind {
                ChangeKind::NumberChanged => {
                    let olds = values(&old.text, &lang(original));
                    let news = values(&new.text, &lang(g));
                    !olds.iter().any(|v| has(v.value))
                        && news.iter().any(|v| {
                            has(v.value) && !olds.iter().any(|o| same_value(o.value, v.value))
                        })
                }
                ChangeKind::NameVariant => {
                    lower.contains(&new.text.to_lowercase())
                        && !lower.contains(&old.text.to_lowercase())
                }
                _ => false,
            }
        })
    }

    /// The translation member `m` came through, when it is a round trip
    /// ([`Engine::mark_round_trips`]) and the tree still says so.
    pub(super) fn round_trip_of(&self, m: usize) -> Option<usize> {
        let via = *self.round_trips.get(&m)?;
        let parent = self.places[m].parent?;
        (self.places[via].parent == Some(parent)).then_some(via)
    }
}

/// 64-bit FNV-1a of `bytes` after a one-byte `kind`.
fn key(kind: u8, bytes: impl Iterator<Item = u8>) -> u64 {
    std::iter::once(kind)
        .chain(bytes)
        .fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// Whether `w` is written in Latin letters only.
fn latin_word(w: &str) -> bool {
    w.chars().all(|c| c.is_alphabetic() && latin_letter(c))
}

/// Whether `c` is in the Latin blocks (ASCII, Latin-1, Latin Extended A and B).
fn latin_letter(c: char) -> bool {
    c.is_ascii() || ('\u{c0}'..='\u{24f}').contains(&c)
}

/// The anchors of `article`, sorted and distinct: what a translation keeps
/// of its source whatever the language. Read from its title and the first
/// [`ANCHOR_CHARS`] characters of its text: numbers of two digits or more
/// (their digits alone, so "11.4" and "11,4", "2,000" and "2.000" are one);
/// numbers written with a scale or in words, by their whole value in the
/// article's language ("4.8 million", "4,8 Millionen", "480万" and
/// "4,800,000" are one: [`crate::changes::cross::values`]); and
/// Latin-script names (a capitalized word of 3 letters or more, with a
/// lower-case letter, that does not start a sentence; lower-cased).
pub fn anchors(article: &Article) -> Vec<u64> {
    let cut = article
        .text
        .char_indices()
        .nth(ANCHOR_CHARS)
        .map_or(article.text.len(), |(i, _)| i);
    let language = article.language.as_deref().unwrap_or("en");
    let mut out = Vec::new();
    for part in [article.title.as_deref().unwrap_or(""), &article.text[..cut]] {
        // Numbers with a scale or in words: their value, and their digits
        // are no anchor of their own (the "4.8" of "4.8 million").
        let scaled: Vec<(usize, usize)> = values(part, language)
            .into_iter()
            .filter(|v| part[v.start..v.end].chars().any(char::is_alphabetic))
            .filter_map(|v| {
                let whole = v.value.round();
                let integral =
                    (10.0..1e15).contains(&whole) && (v.value - whole).abs() <= 1e-9 * whole;
                integral.then(|| {
                    out.push(key(b'#', format!("{whole:.0}").bytes()));
                    (v.start, v.end)
                })
            })
            .collect();
        let in_scaled = |at: usize| scaled.iter().any(|&(s, e)| s <= at && at < e);
        // Whether the next word starts a sentence.
        let mut initial = true;
        let mut word = String::new();
        let mut word_at = 0;
        let mut chars = part.char_indices().peekable();
        let mut prev = ' ';
        let take = |word: &str, at: usize, initial: bool, out: &mut Vec<u64>| {
            if !(word.starts_with(|c: char| c.is_ascii_digit()) && in_scaled(at)) {
                take_anchor(word, initial, out);
            }
        };
        while let Some((at, c)) = chars.next() {
            let digit_group = matches!(c, '.' | ',')
                && prev.is_ascii_digit()
                && chars.peek().is_some_and(|x| x.1.is_ascii_digit());
            // Scripts written without spaces (Chinese, Japanese) run
            // figures into the words around them ("49歳の", "2023年6月"):
            // a figure ends where such letters start, and starts where
            // they end.
            let script_turn = word.chars().last().is_some_and(|l| {
                (l.is_ascii_digit() && c.is_alphabetic() && !latin_letter(c))
                    || (c.is_ascii_digit() && l.is_alphabetic() && !latin_letter(l))
            });
            if script_turn {
                take(&word, word_at, initial, &mut out);
                initial = false;
                word.clear();
            }
            if c.is_alphanumeric() || digit_group {
                if word.is_empty() {
                    word_at = at;
                }
                word.push(c);
            } else {
                if !word.is_empty() {
                    take(&word, word_at, initial, &mut out);
                    initial = false;
                    word.clear();
                }
                if matches!(
                    c,
                    '.' | '!' | '?' | ':' | ';' | '\n' | '"' | '“' | '„' | '«' | '—'
                ) {
                    initial = true;
                }
            }
            prev = c;
        }
        if !word.is_empty() {
            take(&word, word_at, initial, &mut out);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Adds the anchor of `word` (a run of letters and digits), if it is one.
fn take_anchor(word: &str, initial: bool, out: &mut Vec<u64>) {
    if word.starts_with(|c: char| c.is_ascii_digit()) {
        let digits = word.bytes().filter(u8::is_ascii_digit);
        if digits.clone().count() >= 2 {
            out.push(key(b'#', digits));
        }
        return;
    }
    let mut chars = word.chars();
    let first_upper = chars.next().is_some_and(char::is_uppercase);
    if !initial
        && first_upper
        && chars.any(char::is_lowercase)
        && word.chars().count() >= 3
        && latin_word(word)
    {
        // A month or a weekday is one anchor in every language ("Friday",
        // "Freitag", "vendredi").
        match calendar_word(word) {
            Some(c) => out.push(key(b'c', std::iter::once(c))),
            None => out.push(key(b'n', word.to_lowercase().bytes())),
        }
    }
}

fn gap(x: Timestamp, y: Timestamp) -> i64 {
    (x.as_second() - y.as_second()).abs()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{ArticleDraft, Origin};

    fn article(text: &str) -> Article {
        ArticleDraft {
            id: Some("a".into()),
            text: text.into(),
            ..Default::default()
        }
        .finish(Origin::whole("a"))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn shared(a: &str, b: &str) -> usize {
        let (x, y) = (anchors(&article(a)), anchors(&article(b)));
        x.iter().filter(|k| y.binary_search(k).is_ok()).count()
    }

    #[test]
    fn numbers_and_names_are_anchors_across_languages() {
        // "Aln", "Wexhall", "Ines", 11.4 / 11,4 and Sunday / Sonntag (one
        // day in every language); not "The" / "Der" (they start a
        // sentence).
        assert_eq!(
            shared(
                "The river Aln flooded Wexhall on Sunday. Mayor Ines Okafor said it cost 11.4 million.",
                "Der Fluss Aln überflutete Wexhall am Sonntag. Bürgermeisterin Ines Okafur sprach von 11,4 Millionen."
            ),
            5
        );
        // Words that start a sentence and one-digit numbers are not anchors.
        assert_eq!(
            shared(
                "Mayor said 3 things. Schools closed.",
                "Mayor says 3. Schools open."
            ),
            0
        );
        assert!(anchors(&article("all in lower case, with 1 digit.")).is_empty());
    }

    #[test]
    fn figures_inside_text_without_spaces_are_anchors() {
        // Japanese runs figures into the words around them: "49歳の",
        // "48時間", "2023年6月". Read as one word with the letters, "49歳の
        // 同監督…3日朝" was one anchor of the digits 493, shared with nothing.
        let en =
            "The 49-year-old left less than 48 hours after a defeat. Garrity joined in June 2023.";
        let ja = "49歳の同監督の退任は3日朝に発表された。敗戦から48時間もたっていなかった。2023年6月に就任した。";
        assert_eq!(shared(en, ja), 3);
        // Latin words next to figures are read as before.
        assert_eq!(shared("Bus 12 left Wexhall.", "Bus 12 verließ Wexhall."), 2);
    }

    #[test]
    fn numbers_with_a_scale_are_one_anchor_by_value() {
        let lang = |text: &str, language: &str| {
            let mut a = article(text);
            a.language = Some(language.into());
            anchors(&a)
        };
        let common = |x: &[u64], y: &[u64]| x.iter().filter(|k| y.binary_search(k).is_ok()).count();
        let en = lang(
            "The repairs will cost £19 million and 2.7 million more.",
            "en",
        );
        let ja = lang("修理費は1900万ポンドで、さらに270万ポンドかかる。", "ja");
        let de = lang(
            "Die Reparatur kostet 19 Millionen Pfund und weitere 2,7 Millionen.",
            "de",
        );
        let digits = lang(
            "The repairs will cost £19,000,000 and £2,700,000 more.",
            "en",
        );
        assert_eq!(common(&en, &ja), 2, "{en:?} {ja:?}");
        assert_eq!(common(&en, &de), 2);
        assert_eq!(common(&en, &digits), 2);
        // The digits before a scale are no anchor of their own: "19" and
        // "27" would be shared with nothing.
        assert_eq!(en.len(), 2, "{en:?}");
    }
}
