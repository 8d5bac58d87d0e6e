//! The members of a story as the story-wide analyses read them
//! ([`super::divergence`], [`super::quotes`], [`super::consensus`]): each
//! member's parent and relation, how far its wording is to be trusted
//! ([`fidelity`]), the report it descends from ([`report_of`]), and which
//! pairs of members are aligned for the story-wide analyses
//! ([`story_links`]). The three analyses read this module and nothing of
//! each other, so data runs one way: members → quotes and claims →
//! divergence.
//!
//! ```
//! use retold_core::relate::Relation;
//! use retold_core::story::members::{fidelity, report_of, story_links, StoryText};
//! let doc = retold_core::text::analyze("Crews closed the bridge on Monday.", Some("en"));
//! let m = |relation, parent| StoryText { id: "x", doc: &doc, relation, parent, changes: &[] };
//! // An origin, a spun copy of it, and a verbatim copy of the spun copy.
//! let members = [m(None, None), m(Some(Relation::Spun), Some(0)), m(Some(Relation::Copy), Some(1))];
//! assert_eq!(report_of(&members, 2), 0);
//! assert!((fidelity(&members, 2) - 0.3).abs() < 1e-9); // as untrusted as the spun copy
//! assert_eq!(story_links(&members), [(1, 0), (2, 1)]);
//! ```

use crate::changes::Change;
use crate::relate::Relation;
use crate::text::TextDoc;

/// A member of a story as the story-wide analyses read it.
#[derive(Debug, Clone, Copy)]
pub struct StoryText<'a> {
    /// Article id.
    pub id: &'a str,
    pub doc: &'a TextDoc,
    /// Relation to the parent (derived), `same_story` (independent), none
    /// (origin).
    pub relation: Option<Relation>,
    /// Index of the parent in the same slice (derived members only).
    pub parent: Option<usize>,
    /// What it changed against its parent.
    pub changes: &'a [Change],
}

/// How far a version's wording is to be trusted, per step from its parent:
/// copies keep the words, a rewrite keeps most, a spun copy garbles them.
fn step_fidelity(relation: Option<Relation>) -> f64 {
    match relation {
        None
        | Some(Relation::SameStory | Relation::Duplicate | Relation::Copy | Relation::Excerpt) => {
            1.0
        }
        Some(Relation::Rewrite) => 0.8,
        Some(Relation::Spun | Relation::Unrelated) => 0.3,
        // Another language: its wording says nothing of the source's.
        Some(Relation::Translated) => 0.0,
    }
}

/// Longest parent chain followed (guards against a cycle in bad input).
const MAX_DEPTH: usize = 64;

/// Fidelity of member `i`: the product of the steps up to its report, so a
/// verbatim copy of a spun copy is as untrusted as the spun copy.
pub fn fidelity(members: &[StoryText], i: usize) -> f64 {
    let mut f = 1.0;
    let mut j = i;
    for _ in 0..MAX_DEPTH {
        let Some(m) = members.get(j) else { break };
        f *= step_fidelity(m.relation);
        match m.parent {
            Some(p) if p != j => j = p,
            _ => break,
        }
    }
    f
}

/// The report (origin or independent report) member `i` derives from: the
/// head of its report group.
pub fn report_of(members: &[StoryText], i: usize) -> usize {
    let mut j = i;
    for _ in 0..MAX_DEPTH {
        match members.get(j).and_then(|m| m.parent) {
            Some(p) if p != j && p < members.len() => j = p,
            _ => break,
        }
    }
    j
}

/// Steps from member `i` up to its report.
pub fn depth(members: &[StoryText], i: usize) -> usize {
    let mut d = 0;
    let mut j = i;
    while d < MAX_DEPTH {
        match members.get(j).and_then(|m| m.parent) {
            Some(p) if p != j && p < members.len() => {
                j = p;
                d += 1;
            }
            _ => break,
        }
    }
    d
}

/// Orders members most faithful first: greatest [`fidelity`], then the
/// origin before independent reports, then nearest its report, then
/// earliest. The version whose words stand for a quote or a claim.
pub fn by_faithfulness(members: &[StoryText], a: usize, b: usize) -> std::cmp::Ordering {
    let origin = |i: usize| members.get(i).is_some_and(|m| m.relation.is_none());
    fidelity(members, b)
        .total_cmp(&fidelity(members, a))
        .then(origin(b).cmp(&origin(a)))
        .then(depth(members, a).cmp(&depth(members, b)))
        .then(a.cmp(&b))
}

/// Most earlier reports each report is aligned with for the story-wide
/// analyses (the earliest ones, the origin first): bounds the cost of a
/// story with many independent reports.
pub const MAX_REPORT_PEERS: usize = 4;

/// Pairs of members whose alignment the story-wide analyses read: each
/// derived member with its parent, and each report with up to
/// [`MAX_REPORT_PEERS`] earlier reports. `(a, b)`, `a` the later one.
pub fn story_links(members: &[StoryText]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut reports: Vec<usize> = Vec::new();
    for (i, m) in members.iter().enumerate() {
        match m.parent {
            Some(p) if p != i && p < members.len() => out.push((i, p)),
            Some(_) => {}
            None => {
                out.extend(reports.iter().take(MAX_REPORT_PEERS).map(|&r| (i, r)));
                reports.push(i);
            }
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::text::analyze;

    /// A story member without changes, for tests of story-wide analyses.
    pub(crate) fn member<'a>(
        id: &'a str,
        doc: &'a TextDoc,
        relation: Option<Relation>,
        parent: Option<usize>,
    ) -> StoryText<'a> {
        member_changed(id, doc, relation, parent, &[])
    }

    pub(crate) fn member_changed<'a>(
        id: &'a str,
        doc: &'a TextDoc,
        relation: Option<Relation>,
        parent: Option<usize>,
        changes: &'a [Change],
    ) -> StoryText<'a> {
        StoryText {
            id,
            doc,
            relation,
            parent,
            changes,
        }
    }

    #[test]
    fn links_are_parents_and_a_few_earlier_reports() {
        let d = analyze("One sentence here.", Some("en"));
        let mut members = vec![member_changed("o", &d, None, None, &[])];
        for k in 1..=6 {
            members.push(member_changed(
                "r",
                &d,
                Some(Relation::SameStory),
                None,
                &[],
            ));
            members.push(member_changed(
                "c",
                &d,
                Some(Relation::Copy),
                Some(2 * k - 1),
                &[],
            ));
        }
        let links = story_links(&members);
        // Report 11 links with the first four reports (0, 1, 3, 5), copy 12 with its parent.
        assert!(links.contains(&(11, 5)) && !links.contains(&(11, 7)));
        assert!(links.contains(&(12, 11)));
        assert_eq!(links.len(), 6 + (1 + 2 + 3 + 4 + 4 + 4));
    }
}
