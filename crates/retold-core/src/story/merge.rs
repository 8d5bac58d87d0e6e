//! Merging stories: a second look that stays streaming.
//!
//! Articles are placed one at a time, so two reports of one event that came
//! before any article linking them start two stories; later reports then
//! split between the two. The merge pass looks again each time a new
//! article is scored against members of a story other than its own: only
//! then can the link between its story and that other story have changed.
//!
//! The **story link** of two stories is the average, over the pairs of
//! their reports (a derived copy counts for the report it derives from)
//! that were ever scored against each other, of the best link of each such
//! pair (the same link an article joins a story by: the larger of the
//! verdict's relatedness and the weighted TF-IDF cosine). Reports that were
//! never compared do not count as zero: candidates are found per article,
//! and an early report of a story was never a candidate of a later one
//! that joined its sibling story. The two stories merge when that average
//! reaches [`EngineConfig::merge_threshold`](super::EngineConfig::merge_threshold)
//! over at least [`EngineConfig::merge_min_pairs`](super::EngineConfig::merge_min_pairs)
//! report pairs, the scored pairs reach at least
//! [`EngineConfig::merge_min_coverage`](super::EngineConfig::merge_min_coverage)
//! of the reports on each side (two stories linked through one article
//! that links both would chain, as single-link clustering does), and
//! neither tells another event by the subject check (a
//! report of either story whose subject the other story, once it has
//! members enough, never names).
//!
//! The merged story keeps both provenance trees: the origin is again the
//! report most versions derive from (ties: the earlier), and the other
//! origin becomes an independent report with its subtree kept, its evidence
//! naming the links that merged the two ([`MergeEvidence`]).
//!
//! Everything here happens while an article is placed, in placing order,
//! from links recorded at placing time: the same input gives the same
//! stories whether it comes one article at a time ([`Engine::add`]) or in
//! batches ([`Engine::add_all`]).
//!
//! ```
//! use retold_core::article::{ArticleDraft, Origin};
//! use retold_core::story::{Engine, EngineConfig};
//!
//! let article = |id: &str, text: &str| {
//!     ArticleDraft { id: Some(id.into()), text: text.into(), ..Default::default() }
//!         .finish(Origin::whole(id))
//!         .unwrap()
//! };
//! let mut engine = Engine::new(EngineConfig::default());
//! engine.add(article("a", "Firefighters in Orlavik put out a blaze at the Kestrel paper mill on \
//!     Tuesday night. No one was hurt, the Orlavik fire chief Mira Dunne said."));
//! engine.add(article("b", "The chess final in Lindau ended in a draw after seven hours."));
//! assert_eq!(engine.stories().len(), 2);
//! // Scored links are kept for the merge pass and for explanations.
//! assert!(engine.trace().pairs.iter().all(|p| p.link >= 0.0));
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::subjects::Names;
use super::{relatedness, Engine, Relation, Role, Verdict};

/// One scored pair, as recorded when the later article was placed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(super) struct Scored {
    /// The earlier article.
    pub with: u32,
    pub link: f32,
    pub relation: Relation,
}

/// Why two stories were merged: the story link and its strongest pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeEvidence {
    /// The article whose placing made the merge.
    pub by: String,
    /// Average link over the scored report pairs of the two stories.
    pub story_link: f64,
    /// Report pairs that were scored.
    pub scored_pairs: usize,
    /// The strongest links between the two stories (article, article,
    /// link), best first, at most [`MERGE_LINKS_SHOWN`].
    pub links: Vec<(String, String, f64)>,
}

/// Links named in a [`MergeEvidence`].
pub const MERGE_LINKS_SHOWN: usize = 3;

/// A merge, as the engine keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct MergeNote {
    pub by: usize,
    pub story_link: f64,
    pub scored_pairs: usize,
    pub links: Vec<(usize, usize, f64)>,
}

/// What the engine decided and on which links: for explanations
/// (`retold eval stories --explain`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Trace {
    /// Every pair that was scored (later article first).
    pub pairs: Vec<TracePair>,
    /// Articles kept out of a story by the subject check (article, a
    /// member of the story kept out).
    pub subject_vetoes: Vec<(String, String)>,
    /// Merges in the order they happened: (the two articles of the
    /// strongest link between the merged stories, evidence).
    pub merges: Vec<(String, String, MergeEvidence)>,
    /// Articles kept out of a story, and stories kept from merging, by
    /// conflicting key facts (see [`events`](super::events)).
    pub event_vetoes: Vec<EventVeto>,
    /// Stories split because they held two events (see
    /// [`split`](super::split)), in the order they happened.
    pub splits: Vec<SplitTrace>,
}

/// A story split by the subject rule ([`split`](super::split)).
#[derive(Debug, Clone, Serialize)]
pub struct SplitTrace {
    /// The article whose placing made the split.
    pub by: String,
    /// The subject the leaving members are about, and the one the
    /// staying members share.
    pub subject: String,
    pub staying_subject: String,
    /// The members of each part (the first
    /// [`NOTE_MEMBERS`](super::split::NOTE_MEMBERS)) and how many there are.
    pub leaving: Vec<String>,
    pub staying: Vec<String>,
    pub leaving_count: usize,
    pub staying_count: usize,
}

/// A join or a merge that conflicting key facts prevented.
#[derive(Debug, Clone, Serialize)]
pub struct EventVeto {
    /// The article kept out (or a report of the first story of a merge).
    pub article: String,
    /// A member of the story it was kept out of.
    pub member: String,
    /// The story link that would have joined or merged them.
    pub story_link: f64,
    /// The conflicts ("magnitude 5.8 vs 6.1").
    pub conflicts: Vec<String>,
    /// Whether it was a merge of two stories that was prevented.
    pub merge: bool,
}

/// One scored pair of a [`Trace`].
#[derive(Debug, Clone, Serialize)]
pub struct TracePair {
    pub a: String,
    pub b: String,
    pub link: f64,
    pub relation: Relation,
}

impl Engine {
    /// The link of new article `i` to an earlier article `j` with verdict
    /// `v`: the larger of the verdict's relatedness (scaled by name
    /// fidelity) and the weighted TF-IDF cosine; also the cosine. Two texts
    /// of one language weigh their words by their rarity in that language
    /// ([`DocFreq::cosine_in`](crate::features::terms::DocFreq::cosine_in)).
    pub(super) fn pair_link(&self, i: usize, j: usize, v: &Verdict) -> (f64, f64) {
        let cfg = &self.config;
        let language = match (self.languages.get(i), self.languages.get(j)) {
            (Some(x), Some(y)) if x == y => Some(*x),
            _ => None,
        };
        let cosine_of = |a: &[(u32, u16)], b: &[(u32, u16)]| match language {
            Some(l) => self.doc_freq.cosine_in(l, a, b),
            None => self.doc_freq.cosine(a, b),
        };
        let cosine = if cfg.cosine_weight > 0.0 {
            let text = cosine_of(&self.terms[i], &self.terms[j]);
            if cfg.lead_weight > 0.0 {
                let lead = cosine_of(&self.lead_terms[i], &self.lead_terms[j]);
                (text + cfg.lead_weight * lead) / (1.0 + cfg.lead_weight)
            } else {
                text
            }
        } else {
            0.0
        };
        let related =
            relatedness(v, cfg.min_name_fidelity).max((cosine * cfg.cosine_weight).min(1.0));
        (related, cosine)
    }

    /// After article `i` is placed: records its links and subjects, then
    /// merges its story with the stories it links to while their story
    /// link passes.
    pub(super) fn after_placed(&mut self, i: usize, verdicts: &[(usize, Verdict)], names: &Names) {
        let scored: Vec<Scored> = verdicts
            .iter()
            .map(|(j, v)| Scored {
                with: *j as u32,
                link: self.pair_link(i, *j, v).0 as f32,
                relation: v.relation,
            })
            .collect();
        if self.scored.len() <= i {
            self.scored.resize_with(i + 1, Vec::new);
            self.scored_by.resize_with(i + 1, Vec::new);
            self.subjects_of.resize_with(i + 1, Vec::new);
        }
        if self.subject_words_of.len() <= i {
            self.subject_words_of.resize_with(i + 1, Vec::new);
        }
        for s in &scored {
            self.scored_by[s.with as usize].push(i as u32);
        }
        self.scored[i] = scored;
        self.subjects_of[i] = names.subjects.clone();
        self.subject_words_of[i] = names.subject_words.clone();
        if self.config.merge_threshold <= 0.0 {
            return;
        }
        let own = self.places[i].story;
        if !verdicts.iter().any(|(j, _)| self.places[*j].story != own) {
            return;
        }
        // The best passing story first; then again, since the merged story
        // has new links.
        loop {
            let s = self.places[i].story;
            let passing: Vec<(usize, CrossLinks)> = self
                .cross_links(s)
                .into_iter()
                .filter(|(t, l)| {
                    l.pairs.len() >= self.config.merge_min_pairs.max(1)
                        && l.average() >= self.config.merge_threshold
                        && self.covered(s, *t, l)
                        && !self.another_event(s, *t)
                })
                .collect();
            let best = passing
                .into_iter()
                .filter(|(t, l)| !self.facts_apart(s, *t, l.average()))
                .max_by(|x, y| x.1.average().total_cmp(&y.1.average()).then(y.0.cmp(&x.0)));
            let Some((t, links)) = best else { break };
            self.merge(i, s, t, &links);
        }
    }

    /// The story links of story `s` to every other story it has scored
    /// pairs with, by story (ordered: sums must not depend on hash order).
    fn cross_links(&self, s: usize) -> BTreeMap<usize, CrossLinks> {
        let mut out: BTreeMap<usize, CrossLinks> = BTreeMap::new();
        for &m in &self.stories[s] {
            for (other, link) in self.scored_links(m) {
                let t = self.places[other].story;
                if t == s {
                    continue;
                }
                // A derived text's link to another story says it took text
                // from both (a digest, a round-up), not that they tell one
                // event.
                let derived = |k: usize| self.places[k].role == Role::Derived;
                if !self.config.merge_via_derived && (derived(m) || derived(other)) {
                    continue;
                }
                let key = (self.report_of(m), self.report_of(other));
                let e = out
                    .entry(t)
                    .or_default()
                    .pairs
                    .entry(key)
                    .or_insert((0.0, m, other));
                if f64::from(link) > e.0 {
                    *e = (f64::from(link), m, other);
                }
            }
        }
        out
    }

    /// The articles article `m` was scored against, earlier and later,
    /// with the link of each pair.
    pub(super) fn scored_links(&self, m: usize) -> impl Iterator<Item = (usize, f32)> + '_ {
        let forward = self
            .scored
            .get(m)
            .into_iter()
            .flatten()
            .map(|x| (x.with as usize, x.link));
        let backward = self.scored_by.get(m).into_iter().flatten().map(move |&k| {
            let link = self.scored[k as usize]
                .iter()
                .find(|x| x.with as usize == m)
                .map_or(0.0, |x| x.link);
            (k as usize, link)
        });
        forward.chain(backward)
    }

    /// Whether the scored pairs of stories `s` and `t` reach at least
    /// [`EngineConfig::merge_min_coverage`](super::EngineConfig::merge_min_coverage)
    /// of the reports on each side: two stories are linked through most of
    /// their reports, not through one article that links both (which would
    /// chain stories as single-link clustering does).
    fn covered(&self, s: usize, t: usize, links: &CrossLinks) -> bool {
        let reports = |x: usize| {
            self.stories[x]
                .iter()
                .filter(|&&m| self.places[m].role != Role::Derived)
                .count()
                .max(1)
        };
        let share = |n: usize, x: usize| n as f64 / reports(x) as f64;
        let (mut ours, mut theirs): (Vec<usize>, Vec<usize>) = links.pairs.keys().copied().unzip();
        for v in [&mut ours, &mut theirs] {
            v.sort_unstable();
            v.dedup();
        }
        let min = self.config.merge_min_coverage;
        share(ours.len(), s) >= min && share(theirs.len(), t) >= min
    }

    /// Whether stories `s` and `t` tell two events by the subject check: a
    /// report of one has a subject the other story (with members enough
    /// for its names to be known) never names.
    fn another_event(&self, s: usize, t: usize) -> bool {
        let min = self.config.subject_min_members;
        if min == 0 {
            return false;
        }
        let unnamed = |x: usize, y: usize| {
            self.stories[y].len() >= min
                && self.stories[x]
                    .iter()
                    .filter(|&&m| self.places[m].role != Role::Derived)
                    .flat_map(|&m| self.subjects_of[m].iter())
                    .any(|h| self.story_names[y].binary_search(h).is_err())
        };
        unnamed(s, t) || unnamed(t, s)
    }

    /// Whether stories `s` and `t` tell two events by their key facts:
    /// more of the cross pairs of their members (the first
    /// [`REPORTS_READ`](super::events::REPORTS_READ) of each) conflict than
    /// agree (see [`events`](super::events)). The first time a merge is kept
    /// back so, it is noted for the trace.
    fn facts_apart(&mut self, s: usize, t: usize, link: f64) -> bool {
        if !self.config.event_conflicts {
            return false;
        }
        // Every member counts, as for a join (roles may still change as a
        // story is re-rooted, membership not).
        let reports = |x: usize| -> Vec<usize> {
            self.stories[x]
                .iter()
                .copied()
                .take(super::events::REPORTS_READ)
                .collect()
        };
        let (ours, theirs) = (reports(s), reports(t));
        let (mut conflicting, mut agreeing) = (0usize, 0usize);
        let mut strongest: Option<(super::Conflicts, usize, usize)> = None;
        for &a in &ours {
            for &b in &theirs {
                let (Some(fa), Some(fb)) = (self.facts_of.get(a), self.facts_of.get(b)) else {
                    continue;
                };
                // The later text reads against the earlier (a toll may rise).
                let (later, earlier, fl, fe) = if a > b {
                    (a, b, fa, fb)
                } else {
                    (b, a, fb, fa)
                };
                let c = fl.conflicts_with(fe, true);
                if c.another_event() {
                    conflicting += 1;
                    if strongest.as_ref().is_none_or(|x| c.weight() > x.0.weight()) {
                        strongest = Some((c, later, earlier));
                    }
                } else if c.list.is_empty() && fl.agrees(fe) {
                    agreeing += 1;
                }
            }
        }
        let Some((c, a, b)) = strongest else {
            return false;
        };
        if std::env::var_os("RETOLD_DEBUG").is_some_and(|v| v == "links") {
            eprintln!(
                "facts\tstories of {} and {}: {conflicting} member pairs conflict, {agreeing} agree",
                self.entries[a].article.id, self.entries[b].article.id
            );
        }
        if conflicting <= agreeing {
            return false;
        }
        let key = (a, b);
        if self.merge_vetoed.insert(key) {
            if std::env::var_os("RETOLD_DEBUG").is_some_and(|v| v == "links") {
                eprintln!(
                    "event\tstory of {} not merged with the story of {} (link {link:.3}): {}",
                    self.entries[key.0].article.id,
                    self.entries[key.1].article.id,
                    c.to_strings().join("; ")
                );
            }
            self.merge_event_vetoes.push((key.0, key.1, link, c));
        }
        true
    }

    /// Merges stories `s` and `t` (the earlier-made one keeps its number),
    /// on the placing of article `by`.
    fn merge(&mut self, by: usize, s: usize, t: usize, links: &CrossLinks) {
        self.absorb(s, t);
        let origins: Vec<usize> = self.stories[s.min(t)]
            .iter()
            .copied()
            .filter(|&m| self.places[m].role == Role::Origin)
            .collect();

        let mut best: Vec<(usize, usize, f64)> =
            links.pairs.values().map(|&(l, a, b)| (a, b, l)).collect();
        best.sort_by(|x, y| y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
        best.truncate(MERGE_LINKS_SHOWN);
        let note = MergeNote {
            by,
            story_link: links.average(),
            scored_pairs: links.pairs.len(),
            links: best,
        };
        if std::env::var_os("RETOLD_DEBUG").is_some_and(|v| v == "links") {
            eprintln!(
                "merge\t{}\tstory link {:.3} over {} report pairs",
                self.entries[by].article.id, note.story_link, note.scored_pairs
            );
        }
        // Every former origin carries the note; the one that stays the
        // origin shows none.
        for o in origins {
            self.merge_notes.insert(o, note.clone());
        }
        self.merges.push(note);
    }

    /// Evidence of a merge for article `m` (a former origin), if any.
    pub(super) fn merge_evidence(&self, m: usize) -> Option<MergeEvidence> {
        self.merge_notes.get(&m).map(|n| self.evidence_of(n))
    }

    fn evidence_of(&self, n: &MergeNote) -> MergeEvidence {
        let id = |k: usize| self.entries[k].article.id.clone();
        MergeEvidence {
            by: id(n.by),
            story_link: n.story_link,
            scored_pairs: n.scored_pairs,
            links: n.links.iter().map(|&(a, b, l)| (id(a), id(b), l)).collect(),
        }
    }

    /// The merge note of article `m`, if it was an origin when its story
    /// was merged (its story link and the best pair).
    pub(super) fn merge_note(&self, m: usize) -> Option<(f64, usize)> {
        self.merge_notes
            .get(&m)
            .map(|n| (n.story_link, n.links.first().map_or(n.by, |l| l.1)))
    }

    /// The scored pairs, subject vetoes and merges so far.
    pub fn trace(&self) -> Trace {
        let id = |k: usize| self.entries[k].article.id.clone();
        Trace {
            pairs: self
                .scored
                .iter()
                .enumerate()
                .flat_map(|(a, v)| {
                    v.iter().map(move |x| TracePair {
                        a: id(a),
                        b: id(x.with as usize),
                        link: f64::from(x.link),
                        relation: x.relation,
                    })
                })
                .collect(),
            subject_vetoes: self
                .subject_vetoes
                .iter()
                .map(|&(a, b)| (id(a), id(b)))
                .collect(),
            event_vetoes: self
                .event_vetoes
                .iter()
                .map(|(a, m, link, c)| (*a, *m, *link, c, false))
                .chain(
                    self.merge_event_vetoes
                        .iter()
                        .map(|(a, m, link, c)| (*a, *m, *link, c, true)),
                )
                .map(|(a, m, link, c, merge)| EventVeto {
                    article: id(a),
                    member: id(m),
                    story_link: link,
                    conflicts: c.to_strings(),
                    merge,
                })
                .collect(),
            splits: self
                .splits
                .iter()
                .map(|n| SplitTrace {
                    by: id(n.by),
                    subject: n.subject.clone(),
                    staying_subject: n.staying_subject.clone(),
                    leaving: n.leaving.iter().map(|&k| id(k)).collect(),
                    staying: n.staying.iter().map(|&k| id(k)).collect(),
                    leaving_count: n.leaving_count,
                    staying_count: n.staying_count,
                })
                .collect(),
            merges: self
                .merges
                .iter()
                .map(|n| {
                    let (a, b) = n.links.first().map_or((n.by, n.by), |l| (l.0, l.1));
                    (id(a), id(b), self.evidence_of(n))
                })
                .collect(),
        }
    }
}

/// The scored report pairs between one story and another: (report of the
/// first, report of the other) → (best link, the articles that gave it).
#[derive(Debug, Default)]
struct CrossLinks {
    pairs: BTreeMap<(usize, usize), (f64, usize, usize)>,
}

impl CrossLinks {
    fn average(&self) -> f64 {
        if self.pairs.is_empty() {
            return 0.0;
        }
        self.pairs.values().map(|x| x.0).sum::<f64>() / self.pairs.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use crate::article::{ArticleDraft, Origin};

    fn article(id: &str, date: &str, text: &str) -> Article {
        ArticleDraft {
            id: Some(id.into()),
            published: Some(date.into()),
            text: text.into(),
            ..Default::default()
        }
        .finish(Origin::whole(id))
        .expect("article")
    }

    /// What happened at the Kestrel mill, and what was said after: two
    /// reports of one fire that share few words (neither is a candidate of
    /// the other), and a later report that tells both.
    const FACTS: &str = "A fire destroyed the main hall of the Kestrel paper mill in Orlavik \
        on Tuesday night. Flames rose forty metres above the river bank and could be seen from \
        Dunmere. Eighty firefighters fought the blaze for nine hours before it was under \
        control. Two workers were taken to hospital with burns.";
    const REACTIONS: &str = "Orlavik council leader Petra Voss promised emergency grants \
        after Tuesday's blaze at Kestrel. Unions asked whether sprinklers had been switched \
        off during maintenance. The owners, Halden Pulp, said production would resume in March \
        and that no job was at risk.";

    /// A report of its own that tells both the fire and what was said
    /// after, in its own words.
    const ROUNDUP: &str = "Orlavik is counting the cost of the fire at the Kestrel paper mill, \
        which gutted the main hall on Tuesday night and sent two workers to hospital with burns \
        after eighty firefighters battled it for nine hours. Council leader Petra Voss has \
        promised emergency grants, while unions want to know whether the sprinklers were off for \
        maintenance. Halden Pulp, which owns the mill, expects to restart production in March \
        and says no jobs will go.";

    fn fire_articles() -> Vec<Article> {
        let chess = "The chess final in Lindau ended in a draw after seven hours of play. \
            Both players agreed to a rematch in the spring, the federation said.";
        vec![
            article("facts", "2026-03-03T08:00:00Z", FACTS),
            article("chess", "2026-03-03T09:00:00Z", chess),
            article("reactions", "2026-03-03T10:00:00Z", REACTIONS),
            article("roundup", "2026-03-03T12:00:00Z", ROUNDUP),
        ]
    }

    fn merging(threshold: f64) -> EngineConfig {
        EngineConfig {
            merge_threshold: threshold,
            ..EngineConfig::default()
        }
    }

    fn story_of<'s>(stories: &'s [Story], id: &str) -> Option<&'s Story> {
        stories.iter().find(|s| s.articles.iter().any(|a| a == id))
    }

    #[test]
    fn an_article_that_links_two_stories_merges_them() {
        let mut e = Engine::new(merging(0.5));
        e.add_all(fire_articles(), &|_| {});
        let stories = e.stories();
        let s = story_of(&stories, "facts").expect("facts");
        assert!(
            s.articles.iter().any(|a| a == "reactions"),
            "{stories:#?}\n{:#?}",
            e.trace()
        );
        assert!(!s.articles.iter().any(|a| a == "chess"));
        // The two never were candidates of each other.
        let trace = e.trace();
        assert!(!trace
            .pairs
            .iter()
            .any(|p| [p.a.as_str(), p.b.as_str()] == ["reactions", "facts"]));
        // One origin; the other former origin is an independent report whose
        // evidence names the links that merged the two.
        assert_eq!(s.origin, "facts");
        let r = s.member("reactions").expect("member");
        assert_eq!(r.role, Role::Independent);
        let merged = r
            .evidence
            .as_ref()
            .and_then(|e| e.merged.as_ref())
            .expect("merge evidence");
        assert_eq!(merged.by, "roundup");
        assert!(merged.story_link >= 0.5);
        assert!(merged
            .links
            .iter()
            .any(|(a, b, _)| a == "roundup" || b == "roundup"));
        assert_eq!(trace.merges.len(), 1);
        // Without the merge pass the reactions stay a story of their own.
        let mut e = Engine::new(merging(0.0));
        e.add_all(fire_articles(), &|_| {});
        let stories = e.stories();
        let s = story_of(&stories, "facts").expect("facts");
        assert!(!s.articles.iter().any(|a| a == "reactions"));
    }

    /// The reactions' story has no article in the second batch, yet the
    /// merge takes it into the facts' story: an update reports it gone,
    /// and what a caller keeps equals the fresh stories.
    #[test]
    fn an_update_drops_a_story_merged_away_by_a_later_batch() {
        let mut e = Engine::new(merging(0.5));
        let mut cache = StoryCache::default();
        let mut kept: std::collections::BTreeMap<usize, Story> = Default::default();
        let mut articles = fire_articles();
        let roundup = articles.pop().expect("roundup");
        e.add_all(articles, &|_| {});
        let first = e.stories_update(&mut cache);
        assert!(first.all);
        kept.extend(first.changed);
        let reactions = kept
            .iter()
            .find(|(_, s)| s.origin == "reactions")
            .map(|(&n, _)| n)
            .expect("a story of its own");
        e.add_all(vec![roundup], &|_| {});
        let update = e.stories_update(&mut cache);
        assert!(!update.all);
        assert_eq!(update.gone, vec![reactions]);
        for n in &update.gone {
            kept.remove(n);
        }
        kept.extend(update.changed);
        let mut now: Vec<Story> = kept.into_values().collect();
        now.sort_by(|x, y| y.members.len().cmp(&x.members.len()).then(x.id.cmp(&y.id)));
        assert_eq!(now, e.stories());
        assert!(
            story_of(&now, "facts").is_some_and(|s| s.articles.iter().any(|a| a == "reactions"))
        );
    }

    #[test]
    fn one_by_one_and_in_batches_give_the_same_stories() {
        let mut articles = fire_articles();
        articles.push(article(
            "copy",
            "2026-03-03T13:00:00Z",
            &FACTS.replace("Eighty", "Ninety"),
        ));
        let config = merging(0.5);
        let mut whole = Engine::new(config.clone());
        whole.add_all(articles.clone(), &|_| {});
        let mut single = Engine::new(config.clone());
        for a in articles.clone() {
            single.add(a);
        }
        let mut pieces = Engine::new(config);
        for chunk in articles.chunks(2) {
            pieces.add_all(chunk.to_vec(), &|_| {});
        }
        let expected = whole.stories();
        assert!(expected.len() < articles.len());
        assert_eq!(single.stories(), expected);
        assert_eq!(pieces.stories(), expected);
        let links = |e: &Engine| -> Vec<(String, String, f64)> {
            e.trace()
                .pairs
                .into_iter()
                .map(|p| (p.a, p.b, p.link))
                .collect()
        };
        assert_eq!(links(&single), links(&whole));
    }

    /// Three reports of a ferry captain's arrest, and a report of a second
    /// captain's arrest six days later that recounts the first at length.
    const FERRANT: [&str; 3] = [
        "Norvik Lines captain Aldo Ferrant was detained on suspicion of sailing drunk early \
         Monday in Skalby, the coast guard said. Ferrant was stopped in the harbour channel \
         shortly after 6 a.m. and failed a breath test. Ferrant was held at the port police \
         station and released on bail. The ferry to Halmo sailed two hours late with a relief crew.",
        "Ferry captain Aldo Ferrant of Norvik Lines was detained on Monday on suspicion of being \
         drunk at the helm, the coast guard in Skalby said. Officers stopped Ferrant in the \
         harbour channel at about 6 a.m. Ferrant was released on bail after a night at the port \
         police station. Norvik Lines said it was aware of the arrest.",
        "Aldo Ferrant, a captain for Norvik Lines, was detained in Skalby early Monday on \
         suspicion of sailing under the influence, the coast guard said. Ferrant failed a breath \
         test in the harbour channel, officers said. Ferrant said he looked forward to clearing \
         his name. The Halmo crossing was delayed by two hours.",
    ];
    const OOSTING: &str = "Norvik Lines captain Bram Oosting was detained on suspicion of \
        sailing drunk early Sunday in Skalby, the coast guard said. Oosting was stopped in the \
        harbour channel shortly after 6 a.m. and failed a breath test. Oosting was held at the \
        port police station and released on bail. Captain Aldo Ferrant was detained on suspicion \
        of sailing drunk in the harbour channel last Monday, the coast guard said. Ferrant also \
        failed a breath test at about 6 a.m. Oosting is the second Norvik Lines captain detained \
        in a week.";

    #[test]
    fn the_subject_check_keeps_a_second_arrest_out_of_the_first() {
        let mut articles: Vec<Article> = FERRANT
            .iter()
            .enumerate()
            .map(|(k, t)| article(&format!("ferrant-{k}"), "2026-05-04T12:00:00Z", t))
            .collect();
        articles.push(article("oosting", "2026-05-10T12:00:00Z", OOSTING));
        let together = |config: EngineConfig| {
            let mut e = Engine::new(config);
            e.add_all(articles.clone(), &|_| {});
            let stories = e.stories();
            let s = story_of(&stories, "ferrant-0").expect("ferrant");
            assert_eq!(
                ["ferrant-1", "ferrant-2"].map(|id| s.articles.iter().any(|a| a == id)),
                [true, true]
            );
            (
                s.articles.iter().any(|a| a == "oosting"),
                e.trace().subject_vetoes.len(),
            )
        };
        // The links alone (the later report retells the first arrest with
        // the same formulas) would put it in the first story ...
        let off = EngineConfig {
            subject_min_members: 0,
            ..merging(0.5)
        };
        assert_eq!(together(off), (true, 0));
        // ... but its subject, Oosting, is named by no Ferrant report: kept
        // out, neither joined nor merged in later.
        let (joined, vetoes) = together(merging(0.5));
        assert!(!joined);
        assert!(vetoes > 0);
    }
}
