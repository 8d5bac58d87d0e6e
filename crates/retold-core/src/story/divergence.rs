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
use crate::changes::ChangeKind;

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

pub use super::members::{
    by_faithfulness, depth, fidelity, report_of, story_links, StoryText, MAX_REPORT_PEERS,
};

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
    use crate::changes::{Change, Excerpt};
    use crate::relate::Relation;
    use crate::story::members::tests::member_changed;
    use crate::text::analyze;
    use crate::text::Span;

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
}
