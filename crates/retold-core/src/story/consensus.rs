//! What the sources of a story agree on: its claims (sentences that retell
//! each other), and how many independent reports carry each.
//!
//! A claim is a cluster of sentences joined over the story's links only:
//! every aligned pair between a derived member and its parent, and, between
//! two reports, aligned pairs scoring at least [`REPORT_LINK`] and sentences
//! that are each other's nearest with at least [`REPORT_NEAREST`] (two
//! reporters tell a fact in their own order). A sentence in no cluster is a
//! claim of its own.
//!
//! Its **support** is the number of report groups carrying it (a report and
//! the versions derived from it count once: a copy of the origin adds no
//! independent support). Status: `corroborated` (two groups or more),
//! `single_source` (one), `disputed` when two groups carry it with
//! different numbers ([`compare_quantities`] on the groups' sentences:
//! another value of the same kind of quantity, not another way of writing
//! it, in sentences told in close words).

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::divergence::{by_faithfulness, depth, report_of, StoryText};
use crate::align::Alignment;
use crate::changes::numbers::{compare_quantities, QuantityKind};
use crate::changes::quotes::quote_similarity;
use crate::text::{Span, TextDoc, TokenKind};

/// Least score of an aligned pair between two reports that joins their
/// sentences into one claim.
pub const REPORT_LINK: f32 = 0.35;

/// Least score of two sentences of two reports, each the other's nearest,
/// that joins them into one claim wherever they stand.
pub const REPORT_NEAREST: f32 = 0.45;

/// Sentences with fewer word tokens are no claims (datelines, captions,
/// "Share on Facebook").
pub const MIN_CLAIM_WORDS: usize = 5;

/// Least word overlap ([`quote_similarity`]) of two report groups'
/// sentences for a changed number between them to be a dispute.
pub const DISPUTE_SIMILARITY: f64 = 0.4;

/// Two quantities that can contradict each other: the same kind, or two
/// shares ("two-fifths" and "40 percent"). A count and a share ("nine
/// degrees", "a third of its degrees") can both be true.
fn comparable(a: QuantityKind, b: QuantityKind) -> bool {
    let share = |k| matches!(k, QuantityKind::Fraction | QuantityKind::Percent);
    a == b || (share(a) && share(b))
}

/// How far the sources agree on a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// Carried by two or more report groups, with the same numbers.
    Corroborated,
    /// Carried by one report group.
    SingleSource,
    /// Carried by two or more report groups with different numbers.
    Disputed,
}

impl ClaimStatus {
    /// The serialized name.
    pub fn name(self) -> &'static str {
        match self {
            ClaimStatus::Corroborated => "corroborated",
            ClaimStatus::SingleSource => "single_source",
            ClaimStatus::Disputed => "disputed",
        }
    }
}

/// Two report groups giving a claim different numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberConflict {
    /// The articles whose sentences were compared (earlier group first).
    pub articles: [String; 2],
    /// The numbers as each writes them.
    pub values: [String; 2],
}

/// Where one article tells a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimSentence {
    pub article: String,
    /// Byte span of the sentence in the article's original text.
    pub span: Span,
}

/// A claim of a story and who carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// The sentence of the most faithful version carrying it.
    pub text: String,
    /// That version's article id.
    pub article: String,
    /// Byte span of `text` in that article's original text.
    pub span: Span,
    /// Every article carrying it, in story order.
    pub articles: Vec<String>,
    /// Every sentence telling it, in story order.
    pub sentences: Vec<ClaimSentence>,
    /// Report groups carrying it.
    pub support: usize,
    pub status: ClaimStatus,
    /// Where report groups give it different numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<NumberConflict>,
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// The sentence of `doc` holding clean-text offset `pos` (alignment spans
/// may be pieces of a long sentence).
fn sentence_at(doc: &TextDoc, pos: usize) -> Option<usize> {
    let k = doc.sentences.partition_point(|s| s.start <= pos);
    k.checked_sub(1).filter(|&k| pos < doc.sentences[k].end)
}

/// The claims of a story: `links` as [`super::divergence::story_links`]
/// gives them, `alignments[k] = align(members[a].doc, members[b].doc)` for
/// link `k = (a, b)` (owned or borrowed).
pub fn claims<A: Borrow<Alignment>>(
    members: &[StoryText],
    links: &[(usize, usize)],
    alignments: &[A],
) -> Vec<Claim> {
    // Nodes: the sentences long enough to be claims.
    let mut node: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut nodes: Vec<(usize, usize)> = Vec::new();
    for (i, m) in members.iter().enumerate() {
        for s in 0..m.doc.sentences.len() {
            let words = m
                .doc
                .sentence_tokens(s)
                .iter()
                .filter(|t| t.kind == TokenKind::Word)
                .count();
            if words >= MIN_CLAIM_WORDS {
                node.insert((i, s), nodes.len());
                nodes.push((i, s));
            }
        }
    }
    let mut parent: Vec<usize> = (0..nodes.len()).collect();
    let mut unite = |x: (usize, usize), y: (usize, usize)| {
        if let (Some(&a), Some(&b)) = (node.get(&x), node.get(&y)) {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            if ra != rb {
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
    };
    for (&(a, b), al) in links.iter().zip(alignments) {
        let al: &Alignment = al.borrow();
        let (Some(ma), Some(mb)) = (members.get(a), members.get(b)) else {
            continue;
        };
        let derived = ma.parent == Some(b);
        let sa = |k: usize| al.a_spans.get(k).and_then(|s| sentence_at(ma.doc, s.start));
        let sb = |k: usize| al.b_spans.get(k).and_then(|s| sentence_at(mb.doc, s.start));
        for p in &al.pairs {
            if !derived && p.score < REPORT_LINK {
                continue;
            }
            let xs: BTreeSet<usize> = p.a.clone().filter_map(sa).collect();
            let ys: BTreeSet<usize> = p.b.clone().filter_map(sb).collect();
            for &x in &xs {
                for &y in &ys {
                    unite((a, x), (b, y));
                }
            }
        }
        if !derived {
            for (k, near) in al.nearest_in_b.iter().enumerate() {
                let Some(n) = near.filter(|n| n.score >= REPORT_NEAREST) else {
                    continue;
                };
                let back = al.nearest_in_a.get(n.sentence).copied().flatten();
                if back.is_some_and(|m| m.sentence == k) {
                    if let (Some(x), Some(y)) = (sa(k), sb(n.sentence)) {
                        unite((a, x), (b, y));
                    }
                }
            }
        }
    }
    let mut clusters: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
    for (k, &n) in nodes.iter().enumerate() {
        let r = find(&mut parent, k);
        clusters.entry(r).or_default().push(n);
    }
    let mut out: Vec<((usize, usize), Claim)> = clusters
        .into_values()
        .map(|sentences| claim(members, &sentences))
        .collect();
    out.sort_by_key(|x| x.0);
    out.into_iter().map(|x| x.1).collect()
}

/// One claim from its sentences `(member, sentence)`, with its
/// representative's position (for ordering).
fn claim(members: &[StoryText], sentences: &[(usize, usize)]) -> ((usize, usize), Claim) {
    let rep = sentences
        .iter()
        .copied()
        .min_by(|x, y| by_faithfulness(members, x.0, y.0).then(x.1.cmp(&y.1)))
        .unwrap_or(sentences[0]);
    let doc = members[rep.0].doc;
    let span = doc.sentences[rep.1];
    let carriers: BTreeSet<usize> = sentences.iter().map(|x| x.0).collect();
    // Per report group, the text of the member nearest the report.
    let mut groups: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for &m in &carriers {
        let g = report_of(members, m);
        let key = (depth(members, m), m);
        let e = groups.entry(g).or_insert(key);
        if key < *e {
            *e = key;
        }
    }
    let text_of = |m: usize| -> String {
        let d = members[m].doc;
        sentences
            .iter()
            .filter(|x| x.0 == m)
            .map(|x| d.text(d.sentences[x.1]))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let heads: Vec<usize> = groups.values().map(|x| x.1).collect();
    let mut conflicts = Vec::new();
    for (k, &x) in heads.iter().enumerate() {
        for &y in &heads[k + 1..] {
            let (tx, ty) = (text_of(x), text_of(y));
            // Only where the two tell it in close words: numbers in loosely
            // related sentences count different things.
            if quote_similarity(&tx, &ty) < DISPUTE_SIMILARITY {
                continue;
            }
            for c in compare_quantities(&tx, &ty)
                .into_iter()
                .filter(|c| c.value_changed && comparable(c.a.kind, c.b.kind))
            {
                conflicts.push(NumberConflict {
                    articles: [members[x].id.to_string(), members[y].id.to_string()],
                    values: [c.a.text.clone(), c.b.text.clone()],
                });
            }
        }
    }
    let support = groups.len();
    let status = if !conflicts.is_empty() {
        ClaimStatus::Disputed
    } else if support >= 2 {
        ClaimStatus::Corroborated
    } else {
        ClaimStatus::SingleSource
    };
    (
        rep,
        Claim {
            text: doc.text(span).to_string(),
            article: members[rep.0].id.to_string(),
            span: doc.to_original_span(span),
            articles: carriers
                .iter()
                .map(|&m| members[m].id.to_string())
                .collect(),
            sentences: {
                let mut all = sentences.to_vec();
                all.sort_unstable();
                all.into_iter()
                    .map(|(m, k)| ClaimSentence {
                        article: members[m].id.to_string(),
                        span: members[m].doc.to_original_span(members[m].doc.sentences[k]),
                    })
                    .collect()
            },
            support,
            status,
            conflicts,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::{align, AlignConfig};
    use crate::relate::Relation;
    use crate::story::divergence::story_links;
    use crate::text::analyze;

    use crate::story::divergence::tests::member;

    fn run(members: &[StoryText]) -> Vec<Claim> {
        let links = story_links(members);
        let als: Vec<Alignment> = links
            .iter()
            .map(|&(a, b)| align(members[a].doc, members[b].doc, &AlignConfig::default()))
            .collect();
        claims(members, &links, &als)
    }

    fn about<'c>(cs: &'c [Claim], words: &str) -> &'c Claim {
        cs.iter()
            .find(|c| c.text.contains(words))
            .unwrap_or_else(|| panic!("no claim with {words:?} in {cs:#?}"))
    }

    const ORIGIN: &str = "The Larkmoor Bridge was closed to all traffic on Friday after inspectors found cracks in its girders. \
        The bridge opened in 1971 and carries about 38,000 vehicles a day across the estuary. \
        The repairs will cost the city an estimated 14 million dollars this year. \
        Bakery owner Priya Salt said a third of her customers came from across the water.";

    #[test]
    fn a_copy_adds_no_support_an_independent_report_does() {
        let origin = analyze(ORIGIN, Some("en"));
        let copy = analyze(&ORIGIN.replace("Friday", "Saturday"), Some("en"));
        let report = analyze(
            "Commuters faced long queues at the Fennick Road tunnel this morning. \
             The bridge, which opened in 1971, carries around 38,000 vehicles a day across the estuary. \
             Police officers turned cars around at the Mill Lane roundabout before seven.",
            Some("en"),
        );
        let members = [
            member("o", &origin, None, None),
            member("c", &copy, Some(Relation::Copy), Some(0)),
            member("r", &report, Some(Relation::SameStory), None),
        ];
        let cs = run(&members);
        let traffic = about(&cs, "38,000 vehicles");
        assert_eq!(traffic.status, ClaimStatus::Corroborated, "{cs:#?}");
        assert_eq!(traffic.support, 2);
        assert_eq!(traffic.articles, ["o", "c", "r"]);
        assert_eq!(traffic.article, "o");
        assert_eq!(&ORIGIN[traffic.span.start..traffic.span.end], traffic.text);
        // Origin and its copy: one group.
        let salt = about(&cs, "Priya Salt");
        assert_eq!(salt.status, ClaimStatus::SingleSource);
        assert_eq!(salt.articles, ["o", "c"]);
        assert_eq!(salt.support, 1);
        let queues = about(&cs, "long queues");
        assert_eq!((queues.support, queues.articles.len()), (1, 1));
    }

    #[test]
    fn reports_giving_other_numbers_dispute_a_claim() {
        let origin = analyze(ORIGIN, Some("en"));
        let report = analyze(
            "Drivers were sent through the tunnel on Friday morning. \
             The bridge opened in 1971 and carries about 45,000 vehicles a day across the estuary.",
            Some("en"),
        );
        // A copy's changed number is its own change, not a dispute.
        let copy = analyze(&ORIGIN.replace("38,000", "39,000"), Some("en"));
        let members = [
            member("o", &origin, None, None),
            member("r", &report, Some(Relation::SameStory), None),
            member("c", &copy, Some(Relation::Copy), Some(0)),
        ];
        let cs = run(&members);
        let traffic = about(&cs, "vehicles a day");
        assert_eq!(traffic.status, ClaimStatus::Disputed, "{cs:#?}");
        assert_eq!(
            traffic.conflicts,
            [NumberConflict {
                articles: ["o".into(), "r".into()],
                values: ["38,000".into(), "45,000".into()],
            }]
        );
        // The same value written another way is no dispute.
        let words = analyze(
            "The bridge opened in 1971 and carries some 38000 vehicles a day across the estuary.",
            Some("en"),
        );
        let members = [
            member("o", &origin, None, None),
            member("r", &words, Some(Relation::SameStory), None),
        ];
        let cs = run(&members);
        assert_eq!(
            about(&cs, "vehicles a day").status,
            ClaimStatus::Corroborated,
            "{cs:#?}"
        );
    }

    #[test]
    fn unrelated_sentences_of_two_reports_stay_apart() {
        let origin = analyze(ORIGIN, Some("en"));
        let report = analyze(
            "The city council will meet in an emergency session on Monday evening. \
             Ferry sailings across the harbour will double from Saturday morning.",
            Some("en"),
        );
        let members = [
            member("o", &origin, None, None),
            member("r", &report, Some(Relation::SameStory), None),
        ];
        let cs = run(&members);
        assert!(cs.iter().all(|c| c.support == 1), "{cs:#?}");
        assert_eq!(cs.len(), 6);
    }
}
