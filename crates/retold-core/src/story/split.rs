//! Splitting a story that turns out to hold two events of one kind.
//!
//! The subject check ([`subjects`](super::subjects)) keeps a report of
//! another event out of a story once the story has members enough for its
//! names to be known. It cannot act while the story is young. Two DUI
//! arrests of one team's players a month apart: a long report of the
//! second arrest that recounts the first can meet the first arrest's story
//! while it has one member, join it by the team, the charge and the
//! police, and bring the second player's name into the story's names.
//! From then on every report of the second arrest passes the check.
//!
//! What shows the two events afterwards is who writes whose name. A
//! report of the later arrest names the earlier one's player in passing;
//! the reports of the earlier arrest, written before the later one
//! happened, never name the later player at all. So after each placing the
//! article's story is read again:
//!
//! 1. a subject `w` that at least [`MIN_HOLDERS`] members have as their
//!    subject;
//! 2. the members that never write `w` (not as a word, nor as a near miss:
//!    a spinner garbles a name) are at least [`MIN_APART`] with subjects,
//!    and more than half of those share one subject `u` of their own.
//!
//! Then the members that write `w` leave, as a story of their own, except
//! those whose subject is `u` and not `w` (a report of the first arrest
//! written after the second names both, and is still about the first).
//! Each part's names are read again from its members, so the subject check
//! now keeps the next report of either event out of the other's story, and
//! the merge pass does not join them again (its subject check reads the
//! same names). A member whose evidence, or parent, is now in the other
//! part is given the verdict against its closest scored partner in its own
//! part: every member's evidence is still a pair `compare` shows.
//!
//! Each part's story says so in the output ([`super::Story::splits`], a
//! [`SplitView`]: which event's reports left, for which story, and when),
//! for as long as the split holds.
//!
//! Everything here reads what the engine knows when the article is placed,
//! in placing order, so one article at a time and in batches give the same
//! stories.
//!
//! ```
//! use retold_core::article::{ArticleDraft, Origin};
//! use retold_core::story::{Engine, EngineConfig};
//!
//! let article = |id: &str, text: String| {
//!     ArticleDraft { id: Some(id.into()), text, ..Default::default() }
//!         .finish(Origin::whole(id))
//!         .unwrap()
//! };
//! // Reports of one arrest (Vance Okoro), and of a second player's arrest
//! // (Darnell Pryce) that recount the first.
//! let first = |k: usize| format!(
//!     "Harbor City receiver Vance Okoro arrested on DUI charge\n\n\
//!      Harbor City Sharks receiver Vance Okoro was arrested early on Sunday on suspicion of \
//!      drunken driving, the state highway patrol said. Okoro was stopped on the coast road \
//!      at 2 a.m. and booked into the county jail. Okoro was released on bail later on Sunday. \
//!      The Sharks said they were aware of the arrest of Okoro. Report {k}."
//! );
//! let second = |k: usize| format!(
//!     "Harbor City tackle Darnell Pryce arrested on DUI charge\n\n\
//!      Harbor City Sharks tackle Darnell Pryce was arrested early on Friday on suspicion of \
//!      drunken driving, the state highway patrol said. Pryce was stopped on the coast road \
//!      at 3 a.m. and booked into the county jail. Pryce was released on bail on Friday. \
//!      The Sharks said they were aware of the arrest of Pryce. Pryce is the second Sharks \
//!      player arrested this season; receiver Vance Okoro was arrested in March. Report {k}."
//! );
//! let mut engine = Engine::new(EngineConfig::default());
//! engine.add(article("okoro-1", first(1)));
//! engine.add(article("pryce-1", second(1)));
//! for k in 2..=4 {
//!     engine.add(article(&format!("okoro-{k}"), first(k)));
//! }
//! engine.add(article("pryce-2", second(2)));
//! let stories = engine.stories();
//! let story_of = |id: &str| stories.iter().position(|s| s.articles.iter().any(|a| a == id));
//! assert_eq!(story_of("pryce-1"), story_of("pryce-2"));
//! assert_ne!(story_of("okoro-1"), story_of("pryce-1"));
//! assert_eq!(story_of("okoro-1"), story_of("okoro-4"));
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::subjects::{self, near_miss_in};
use super::{Engine, Place, Relation, Role};

/// Least members that have the subject `w` a story is split on.
pub const MIN_HOLDERS: usize = 2;

/// Least members with subjects that never write `w`.
pub const MIN_APART: usize = 3;

/// Members of each part a [`SplitNote`] lists at most (a story split
/// again and again must not grow the engine by its size each time).
pub const NOTE_MEMBERS: usize = 32;

/// A split made: the article whose placing made it, the subject the
/// leaving part is about, the subject the staying part shares, and the
/// first [`NOTE_MEMBERS`] members of each part with their counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitNote {
    pub by: usize,
    pub subject: String,
    pub staying_subject: String,
    pub staying: Vec<usize>,
    pub leaving: Vec<usize>,
    #[serde(default)]
    pub staying_count: usize,
    #[serde(default)]
    pub leaving_count: usize,
}

/// A subject split a story is part of, as the analysis shows it
/// ([`super::Story::splits`]): the split still holds (most of each part's
/// listed members are in different stories now; a merge that joined the
/// two again undoes it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitView {
    /// Whether this story is the part that left (`true`) or the one that
    /// stayed.
    pub left: bool,
    /// The subject this part's reports are about, and the other part's.
    pub subject: String,
    pub other_subject: String,
    /// How many members each part had at the split.
    pub members: usize,
    pub other_members: usize,
    /// The other part's first members (at most [`NOTE_MEMBERS`]), by
    /// article id: where the reports of the other event went.
    pub other_articles: Vec<String>,
    /// The article whose placing showed the two events.
    pub by: String,
}

/// The split a story calls for: who leaves, and on which subjects.
struct Split {
    subject: String,
    staying_subject: String,
    leaving: Vec<usize>,
}

impl Engine {
    /// The split the story of `members` (sorted) calls for, if any (see
    /// the module docs).
    fn subject_split(&self, members: &[usize]) -> Option<Split> {
        if members.len() < MIN_HOLDERS + MIN_APART {
            return None;
        }
        let subjects_of = |m: usize| self.subjects_of.get(m).map_or(&[][..], Vec::as_slice);
        let mut holders: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
        for &m in members {
            for &h in subjects_of(m) {
                let e = holders.entry(h).or_insert((0, m));
                e.0 += 1;
            }
        }
        let mut candidates: Vec<(u32, usize, usize)> = holders
            .iter()
            .filter(|(_, (n, _))| *n >= MIN_HOLDERS)
            .map(|(&h, &(n, first))| (h, n, first))
            .collect();
        candidates.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        for (w, _, first) in candidates {
            let Some(word) = self.subject_word(first, w) else {
                continue;
            };
            // Members that never write `w`: not among their subjects or
            // terms (cheap), then no near miss in their text, read only when
            // the members lacking the word look like another event's.
            let lacking = |m: &&usize| {
                subjects_of(**m).binary_search(&w).is_err()
                    && self.terms[**m].binary_search_by_key(&w, |t| t.0).is_err()
            };
            let mut apart: Vec<usize> = members.iter().filter(lacking).copied().collect();
            apart.sort_unstable();
            if self.shared_subject(&apart).is_none() {
                continue;
            }
            let apart: Vec<usize> = apart
                .into_iter()
                .filter(|&m| !near_miss_in(&self.entries[m].article.text, &word))
                .collect();
            let Some(u) = self.shared_subject(&apart) else {
                continue;
            };
            let Some(staying_subject) = apart
                .iter()
                .find(|&&m| subjects_of(m).binary_search(&u).is_ok())
                .and_then(|&m| self.subject_word(m, u))
            else {
                continue;
            };
            let leaving: Vec<usize> = members
                .iter()
                .copied()
                .filter(|m| apart.binary_search(m).is_err())
                .filter(|&m| {
                    let own = subjects_of(m);
                    own.binary_search(&w).is_ok() || own.binary_search(&u).is_err()
                })
                .collect();
            if leaving.len() < MIN_HOLDERS {
                continue;
            }
            return Some(Split {
                subject: word,
                staying_subject,
                leaving,
            });
        }
        None
    }

    /// The subject most of `members` that have subjects share, when they
    /// are at least [`MIN_APART`] and more than half of them have it.
    fn shared_subject(&self, members: &[usize]) -> Option<u32> {
        let with: Vec<&Vec<u32>> = members
            .iter()
            .filter_map(|&m| self.subjects_of.get(m))
            .filter(|s| !s.is_empty())
            .collect();
        if with.len() < MIN_APART {
            return None;
        }
        let mut count: BTreeMap<u32, usize> = BTreeMap::new();
        for s in &with {
            for &h in s.iter() {
                *count.entry(h).or_default() += 1;
            }
        }
        let (h, n) = count
            .into_iter()
            .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0)))?;
        (2 * n > with.len()).then_some(h)
    }

    /// Subject `hash` of member `m` as its text writes it.
    fn subject_word(&self, m: usize, hash: u32) -> Option<String> {
        let k = self.subjects_of.get(m)?.binary_search(&hash).ok()?;
        self.subject_words_of.get(m)?.get(k).cloned()
    }

    /// After article `i` is placed: splits its story when it holds two
    /// events (see the module docs). Returns the new story.
    pub(super) fn split_by_subject(&mut self, i: usize) -> Option<usize> {
        if !self.config.subject_split || self.config.subject_min_members == 0 {
            return None;
        }
        let s = self.places[i].story;
        let split = self.subject_split(&self.stories[s])?;
        let t = self.stories.len();
        let leaving = split.leaving;
        let staying: Vec<usize> = self.stories[s]
            .iter()
            .copied()
            .filter(|m| leaving.binary_search(m).is_err())
            .collect();
        if std::env::var_os("RETOLD_DEBUG").is_some_and(|v| v == "links") {
            eprintln!(
                "split\t{}\t{} members about {:?} leave the story of {} ({} stay, about {:?})",
                self.entries[i].article.id,
                leaving.len(),
                split.subject,
                self.entries[staying[0]].article.id,
                staying.len(),
                split.staying_subject
            );
        }
        for &m in &leaving {
            self.places[m].story = t;
        }
        self.stories[s] = staying.clone();
        self.stories.push(leaving.clone());
        self.touched.story(s);
        self.touched.story(t);
        for part in [&staying, &leaving] {
            for &m in part.iter() {
                self.keep_within(m, part);
            }
        }
        // Each part's names, read again from its members.
        if self.story_names.len() <= t {
            self.story_names.resize_with(t + 1, Vec::new);
        }
        for (x, part) in [(s, &staying), (t, &leaving)] {
            let mut names = Vec::new();
            for &m in part.iter() {
                subjects::merge_into(&mut names, &self.names_of(m));
            }
            self.story_names[x] = names;
        }
        self.splits.push(SplitNote {
            by: i,
            subject: split.subject,
            staying_subject: split.staying_subject,
            staying_count: staying.len(),
            leaving_count: leaving.len(),
            staying: staying.into_iter().take(NOTE_MEMBERS).collect(),
            leaving: leaving.into_iter().take(NOTE_MEMBERS).collect(),
        });
        self.split_touched.extend([s, t]);
        Some(t)
    }

    /// The splits that still hold, by story index: each split the story
    /// of most of one part's listed members is part of, while most of the
    /// other part's are in another story. The latest split between two
    /// stories only (the merge pass may join two parts and the next placing
    /// split them again).
    pub(super) fn split_views(&self) -> HashMap<usize, Vec<SplitView>> {
        let story_of = |part: &[usize]| -> Option<usize> {
            let mut count: BTreeMap<usize, usize> = BTreeMap::new();
            for &m in part {
                if let Some(p) = self.places.get(m) {
                    *count.entry(p.story).or_default() += 1;
                }
            }
            let (&s, &n) = count
                .iter()
                .max_by_key(|(s, n)| (**n, std::cmp::Reverse(**s)))?;
            (2 * n > part.len()).then_some(s)
        };
        let id = |m: &usize| self.entries[*m].article.id.clone();
        let mut out: HashMap<usize, Vec<SplitView>> = HashMap::new();
        let mut seen: HashSet<(usize, usize)> = HashSet::new();
        for note in self.splits.iter().rev() {
            let (Some(gone), Some(kept)) = (story_of(&note.leaving), story_of(&note.staying))
            else {
                continue;
            };
            if gone == kept || !seen.insert((gone.min(kept), gone.max(kept))) {
                continue;
            }
            // Each part: (its story, whether it left, its subject, members
            // listed, members counted).
            let parts = [
                (gone, true, &note.subject, &note.leaving, note.leaving_count),
                (
                    kept,
                    false,
                    &note.staying_subject,
                    &note.staying,
                    note.staying_count,
                ),
            ];
            for (k, &(story, left, subject, listed, count)) in parts.iter().enumerate() {
                let (_, _, other_subject, other, other_count) = parts[1 - k];
                out.entry(story).or_default().push(SplitView {
                    left,
                    subject: subject.clone(),
                    other_subject: other_subject.clone(),
                    members: count.max(listed.len()),
                    other_members: other_count.max(other.len()),
                    other_articles: other.iter().map(id).collect(),
                    by: id(&note.by),
                });
            }
        }
        out
    }

    /// The names article `m` uses ([`subjects::Names::vocabulary`]), read
    /// again from its text, or from the cache of the last splits.
    fn names_of(&mut self, m: usize) -> Vec<u32> {
        if let Some(v) = self.names_cache.get(&m) {
            return v.clone();
        }
        let article = &self.entries[m].article;
        let doc = self.furniture.analyze_article(article);
        let names = subjects::names(&doc, article.title.as_deref()).vocabulary;
        if self.names_cache.len() >= super::EDIT_CACHE_MAX {
            self.names_cache.clear();
        }
        self.names_cache.insert(m, names.clone());
        names
    }

    /// Member `m` of a story just split, whose part is `part` (sorted): a
    /// parent or evidence in the other part is replaced by the verdict
    /// against its closest scored partner in `part`; a member with none
    /// becomes the first report of its part.
    fn keep_within(&mut self, m: usize, part: &[usize]) {
        let inside = |k: usize| part.binary_search(&k).is_ok();
        let place = &self.places[m];
        let parent_out = place.parent.is_some_and(|p| !inside(p));
        let evidence_out = place.evidence.as_ref().is_some_and(|e| !inside(e.0));
        // A former origin of a merged story shows the merge's links: none
        // may reach the other part.
        let merge_out = self.merge_notes.get(&m).is_some_and(|n| {
            !inside(n.by) || n.links.iter().any(|&(a, b, _)| !inside(a) || !inside(b))
        });
        if merge_out {
            self.merge_notes.remove(&m);
        }
        if !parent_out && !evidence_out && !merge_out {
            return;
        }
        self.touched.article(m);
        // The closest scored partner in this part.
        let best = self
            .scored_links(m)
            .filter(|&(k, _)| inside(k))
            .max_by(|x, y| x.1.total_cmp(&y.1).then(y.0.cmp(&x.0)));
        let story = self.places[m].story;
        if parent_out {
            if let Some(c) = self.changes.get_mut(m) {
                c.clear();
            }
            if let Some(l) = self.links.get_mut(m) {
                *l = None;
            }
        }
        let Some((partner, link)) = best else {
            self.places[m] = Place {
                story,
                role: Role::Origin,
                parent: None,
                relation: None,
                confidence: 1.0,
                evidence: None,
                degree: None,
            };
            return;
        };
        let (pm, pp) = (self.prepared(m, None), self.prepared(partner, None));
        let (v, _) = self.verdict(m, partner, &pm, &pp);
        let role = if self.places[m].role == Role::Origin {
            Role::Origin
        } else {
            Role::Independent
        };
        self.places[m] = Place {
            story,
            role,
            parent: None,
            relation: (role == Role::Independent).then_some(Relation::SameStory),
            confidence: f64::from(link),
            evidence: Some((partner, v, Some(f64::from(link)))),
            degree: None,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::super::{EngineConfig, Story};
    use super::*;
    use crate::article::{Article, ArticleDraft, Origin};

    fn article(id: &str, day: u32, text: String) -> Article {
        ArticleDraft {
            id: Some(id.into()),
            published: Some(format!("2026-03-{day:02}T08:00:00Z")),
            text,
            ..Default::default()
        }
        .finish(Origin::whole(id))
        .expect("article")
    }

    /// Reports of one arrest, and a long report of a second arrest that
    /// recounts the first, placed while the first's story is young.
    fn arrests() -> Vec<Article> {
        let first = |k: usize| {
            format!(
                "Harbor City receiver Vance Okoro arrested on DUI charge\n\n\
                 Harbor City Sharks receiver Vance Okoro was arrested early on Sunday on \
                 suspicion of drunken driving, the state highway patrol said. Okoro was stopped \
                 on the coast road at 2 a.m. and booked into the county jail. Okoro was released \
                 on bail later on Sunday. The Sharks said they were aware of the arrest of Okoro. \
                 Report {k}."
            )
        };
        let second = |k: usize| {
            format!(
                "Harbor City tackle Darnell Pryce arrested on DUI charge\n\n\
                 Harbor City Sharks tackle Darnell Pryce was arrested early on Friday on \
                 suspicion of drunken driving, the state highway patrol said. Pryce was stopped \
                 on the coast road at 3 a.m. and booked into the county jail. Pryce was released \
                 on bail on Friday. The Sharks said they were aware of the arrest of Pryce. Pryce \
                 is the second Sharks player arrested this season; receiver Vance Okoro was \
                 arrested in March. Report {k}."
            )
        };
        vec![
            article("okoro-1", 1, first(1)),
            article("pryce-1", 2, second(1)),
            article("okoro-2", 3, first(2)),
            article("okoro-3", 4, first(3)),
            article("okoro-4", 5, first(4)),
            article("pryce-2", 6, second(2)),
        ]
    }

    fn story_of(stories: &[Story], id: &str) -> Option<usize> {
        stories
            .iter()
            .position(|s| s.articles.iter().any(|a| a == id))
    }

    fn one_by_one(config: EngineConfig) -> (Engine, Vec<Story>) {
        let mut e = Engine::new(config);
        for a in arrests() {
            e.add(a);
        }
        let stories = e.stories();
        (e, stories)
    }

    #[test]
    fn a_story_holding_two_arrests_is_split_by_whom_each_report_is_about() {
        let (e, stories) = one_by_one(EngineConfig::default());
        let at = |id: &str| story_of(&stories, id);
        assert_eq!(at("pryce-1"), at("pryce-2"), "{stories:#?}");
        assert_ne!(at("okoro-1"), at("pryce-1"), "{stories:#?}");
        for k in 2..=4 {
            let id = format!("okoro-{k}");
            assert_eq!(at("okoro-1"), at(&id), "{stories:#?}");
        }
        let note = e.splits.first().expect("a split");
        assert_eq!(note.subject, "pryce");
        assert_eq!(note.staying_subject, "okoro");
        // Every member's evidence is a pair within its own story.
        for s in &stories {
            for m in &s.members {
                if let Some(ev) = &m.evidence {
                    assert!(s.articles.contains(&ev.against), "{m:#?} in {s:#?}");
                    if let Some(merged) = &ev.merged {
                        assert!(s.articles.contains(&merged.by), "{m:#?}");
                        for (a, b, _) in &merged.links {
                            assert!(s.articles.contains(a) && s.articles.contains(b), "{m:#?}");
                        }
                    }
                }
                if let Some(p) = &m.parent {
                    assert!(s.articles.contains(p), "{m:#?}");
                }
            }
        }
    }

    #[test]
    fn after_a_split_the_first_story_no_longer_names_the_second_subject() {
        let (mut e, _) = one_by_one(EngineConfig::default());
        let third = arrests()[5].text.replace("Report 2.", "Report 3.");
        e.add(article("pryce-3", 7, third));
        let stories = e.stories();
        assert_eq!(
            story_of(&stories, "pryce-3"),
            story_of(&stories, "pryce-1"),
            "{stories:#?}"
        );
        // Kept out by the subject check (the Okoro story's names, read
        // again at the split, have no Pryce), not taken in and split off
        // again.
        assert_eq!(e.splits.len(), 1);
        let okoro = |id: &str| id.starts_with("okoro");
        assert!(
            e.trace()
                .subject_vetoes
                .iter()
                .any(|(a, m)| a == "pryce-3" && okoro(m)),
            "{:?}",
            e.trace().subject_vetoes
        );
    }

    #[test]
    fn each_part_of_a_split_says_which_reports_left_and_why() {
        let (_, stories) = one_by_one(EngineConfig::default());
        let okoro = &stories[story_of(&stories, "okoro-1").expect("okoro")];
        let pryce = &stories[story_of(&stories, "pryce-1").expect("pryce")];
        let [stayed] = &okoro.splits[..] else {
            panic!("{:#?}", okoro.splits)
        };
        let [left] = &pryce.splits[..] else {
            panic!("{:#?}", pryce.splits)
        };
        assert!(!stayed.left && left.left);
        assert_eq!(
            (stayed.subject.as_str(), stayed.other_subject.as_str()),
            ("okoro", "pryce")
        );
        assert_eq!(
            (left.subject.as_str(), left.other_subject.as_str()),
            ("pryce", "okoro")
        );
        assert_eq!(stayed.by, left.by);
        // Each names the other part's reports, which are in the other story.
        for a in &stayed.other_articles {
            assert!(pryce.articles.contains(a), "{a} {stayed:#?}");
        }
        for a in &left.other_articles {
            assert!(okoro.articles.contains(a), "{a} {left:#?}");
        }
        assert_eq!(
            (stayed.members, stayed.other_members),
            (left.other_members, left.members)
        );
        // The terminal card says it.
        let line = crate::report::text::split_note(stayed);
        assert!(line.contains("reports about \"pryce\""), "{line}");
        assert!(
            line.contains(&format!("when {} came in", stayed.by)),
            "{line}"
        );
    }

    #[test]
    fn a_split_the_stories_no_longer_show_is_not_shown() {
        // Both parts put back in one story (as the merge pass may do): the
        // split no longer holds, and neither story lists it.
        let (mut e, _) = one_by_one(EngineConfig::default());
        let note = e.splits.last().expect("a split").clone();
        let into = e.places[note.staying[0]].story;
        let from = e.places[note.leaving[0]].story;
        let moved = std::mem::take(&mut e.stories[from]);
        for &m in &moved {
            e.places[m].story = into;
        }
        e.stories[into].extend(moved);
        e.stories[into].sort_unstable();
        assert!(e.split_views().is_empty());
        assert!(e.stories().iter().all(|s| s.splits.is_empty()));
    }

    #[test]
    fn without_the_split_the_second_arrest_stays_in_the_first_ones_story() {
        let config = EngineConfig {
            subject_split: false,
            ..Default::default()
        };
        let (_, stories) = one_by_one(config);
        assert_eq!(
            story_of(&stories, "okoro-1"),
            story_of(&stories, "pryce-2"),
            "{stories:#?}"
        );
    }

    #[test]
    fn one_by_one_and_in_a_batch_split_alike() {
        let (_, one) = one_by_one(EngineConfig::default());
        let mut e = Engine::new(EngineConfig::default());
        e.add_all(arrests(), &|_| {});
        let batch = e.stories();
        let view = |stories: &[Story]| {
            let mut v: Vec<Vec<(String, String, Option<String>)>> = stories
                .iter()
                .map(|s| {
                    let mut m: Vec<_> = s
                        .members
                        .iter()
                        .map(|m| (m.article.clone(), format!("{:?}", m.role), m.parent.clone()))
                        .collect();
                    m.sort_by(|a, b| a.0.cmp(&b.0));
                    m
                })
                .collect();
            v.sort();
            v
        };
        assert_eq!(view(&one), view(&batch));
    }
}
