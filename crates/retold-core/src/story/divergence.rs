//! What the versions of a story changed: per derived member, its changes
//! against its parent; per story, the names that were spelled several ways,
//! the quotes ([`super::quotes`]) and the claims with their support
//! ([`super::consensus`]).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::consensus::{self, Claim};
use super::quotes::{self, StoryQuote};
use crate::align::{align, AlignConfig, Alignment};
use crate::changes::entities::{EntityMerger, Substitution};
use crate::changes::{Change, ChangeKind};
use crate::relate::Relation;
use crate::text::TextDoc;

/// One spelling of an entity and the articles that use it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub spelling: String,
    /// Ids of the articles using it, in story order.
    pub articles: Vec<String>,
}

/// An entity spelled more than one way across a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// The spelling of the most faithful versions (summed fidelity of the
    /// articles using it; a surname alone only when no full name exists).
    pub canonical: String,
    pub variants: Vec<Variant>,
}

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

/// Entities spelled more than one way across a story, from one
/// [`EntityMerger`]: every member's name mentions weighed by its
/// [`fidelity`], and the name variants its changes found at aligned
/// positions against its parent. The canonical spelling is the one of the
/// most faithful versions; surname-only forms are listed with their entity
/// but do not make it "spelled more than one way" on their own.
pub fn entities(members: &[StoryText]) -> Vec<Entity> {
    let mut merger = EntityMerger::new();
    for (i, m) in members.iter().enumerate() {
        merger.add_doc(i, m.doc, fidelity(members, i));
    }
    for (i, m) in members.iter().enumerate() {
        let Some(p) = m.parent else { continue };
        for c in m
            .changes
            .iter()
            .filter(|c| c.kind == ChangeKind::NameVariant)
        {
            if let (Some(a), Some(b)) = (&c.parent, &c.child) {
                merger.add_substitution(&Substitution {
                    parent_article: p,
                    parent_name: a.text.clone(),
                    child_article: i,
                    child_name: b.text.clone(),
                });
            }
        }
    }
    merger
        .merge()
        .into_iter()
        .filter(|e| e.is_respelled())
        .map(|e| Entity {
            canonical: e.canonical,
            variants: e
                .variants
                .into_iter()
                .map(|v| Variant {
                    spelling: v.spelling,
                    articles: v
                        .articles
                        .iter()
                        .filter_map(|&a| members.get(a).map(|m| m.id.to_string()))
                        .collect(),
                })
                .collect(),
        })
        .collect()
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

/// The story's quotes and claims from the alignments of its
/// [`story_links`] (`alignments[k] = align(members[a].doc,
/// members[b].doc)` for link `k = (a, b)`, owned or borrowed).
pub fn story_wide<A: std::borrow::Borrow<Alignment>>(
    members: &[StoryText],
    links: &[(usize, usize)],
    alignments: &[A],
) -> (Vec<StoryQuote>, Vec<Claim>) {
    (
        quotes::story_quotes(members, links),
        consensus::claims(members, links, alignments),
    )
}

/// Aligns the [`story_links`] of a story.
pub fn align_links(
    members: &[StoryText],
    links: &[(usize, usize)],
    config: &AlignConfig,
) -> Vec<Alignment> {
    links
        .par_iter()
        .map(|&(a, b)| align(members[a].doc, members[b].doc, config))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::changes::Excerpt;
    use crate::text::analyze;
    use crate::text::Span;

    /// A story member without changes, for tests of story-wide analyses.
    pub(crate) fn member<'a>(
        id: &'a str,
        doc: &'a TextDoc,
        relation: Option<Relation>,
        parent: Option<usize>,
    ) -> StoryText<'a> {
        member_changed(id, doc, relation, parent, &[])
    }

    fn variant(from: &str, to: &str) -> Change {
        let e = |t: &str| Excerpt {
            text: t.into(),
            span: Span { start: 0, end: 0 },
        };
        Change {
            kind: ChangeKind::NameVariant,
            parent: Some(e(from)),
            child: Some(e(to)),
            detail: None,
        }
    }

    fn member_changed<'a>(
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
    fn the_most_faithful_spelling_is_canonical() {
        let text = "Industry Minister Siobhan Marlowe spoke. Marlowe left.";
        let (a, b) = (analyze(text, Some("en")), analyze(text, Some("en")));
        let c = analyze(
            "Industry Minister Siobahn Marlow spoke. Marlow left.",
            Some("en"),
        );
        // Two spun copies do not outvote the origin and its copy.
        let d = analyze(
            "Industry Minister Siobahn Marlow talked. Marlow went.",
            Some("en"),
        );
        let changes = [
            variant("Siobhan Marlowe", "Siobahn Marlow"),
            variant("Marlowe", "Marlow"),
        ];
        let members = [
            member_changed("a", &a, None, None, &[]),
            member_changed("b", &b, Some(Relation::Copy), Some(0), &[]),
            member_changed("c", &c, Some(Relation::Spun), Some(0), &changes),
            member_changed("d", &d, Some(Relation::Copy), Some(2), &[]),
        ];
        assert!((fidelity(&members, 3) - 0.3).abs() < 1e-9);
        assert_eq!(report_of(&members, 3), 0);
        assert_eq!(depth(&members, 3), 2);
        let e = entities(&members);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].canonical, "Siobhan Marlowe");
        let marlow = e[0]
            .variants
            .iter()
            .find(|v| v.spelling == "Marlow")
            .expect("variant");
        assert_eq!(marlow.articles, ["c", "d"]);
    }

    #[test]
    fn different_people_stay_apart_and_surnames_alone_are_no_respelling() {
        let a = analyze(
            "Nell Brannigan and Colm Varley met. Brannigan left.",
            Some("en"),
        );
        let b = analyze(
            "Nell Branagan and Colum Varley met. Branagan left.",
            Some("en"),
        );
        let changes = [
            variant("Nell Brannigan", "Nell Branagan"),
            variant("Colm Varley", "Colum Varley"),
            // A spinner's substitution of another person is refused.
            variant("Nell Brannigan", "Colum Varley"),
        ];
        let members = [
            member_changed("a", &a, None, None, &[]),
            member_changed("b", &b, Some(Relation::Spun), Some(0), &changes),
        ];
        let e = entities(&members);
        let names: Vec<&str> = e.iter().map(|e| e.canonical.as_str()).collect();
        assert_eq!(names, ["Colm Varley", "Nell Brannigan"], "{e:?}");
        // "Brannigan" alone joins its full name without making it respelled.
        let c = analyze("Nell Brannigan spoke. Brannigan left.", Some("en"));
        let members = [
            member_changed("a", &a, None, None, &[]),
            member_changed("c", &c, Some(Relation::Copy), Some(0), &[]),
        ];
        assert!(entities(&members)
            .iter()
            .all(|e| e.canonical != "Nell Brannigan"));
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
