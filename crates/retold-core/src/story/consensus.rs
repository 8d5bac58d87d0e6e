//! What the sources of a story agree on: its claims (sentences that retell
//! each other), and how many independent reports carry each.
//!
//! A claim is a cluster of sentences joined over the story's links only, in
//! two stages. First every aligned pair between a derived member and its
//! parent (a copy retells its parent's sentence, whatever the score). Then,
//! between two reports, aligned pairs scoring at least [`REPORT_LINK`]
//! ([`REPORT_NEAREST`] for a merged pair, which joins several sentences
//! through one score) and sentences that are each other's nearest with at
//! least [`REPORT_NEAREST`] (two reporters tell a fact in their own order),
//! by average link: a
//! sentence joins a claim only if it links, on average, to the sentences of
//! every report of the claim that was aligned with its own, so a claim does
//! not grow through one weak edge. A weak link between sentences that give
//! other values of the same kind of quantity in other words is two facts,
//! not one. A sentence in no cluster is a claim of its own.
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

use super::members::{by_faithfulness, depth, report_of, StoryText};
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

/// The claims of a story: `links` as [`super::members::story_links`]
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
    // Stage 1: a derived member's aligned pairs with its parent are one
    // sentence retold, whatever their score.
    let mut parent: Vec<usize> = (0..nodes.len()).collect();
    // Stage 2 candidates: (score, node, node) between two reports.
    let mut report_edges: Vec<(f32, usize, usize)> = Vec::new();
    let mut linked_reports: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (&(a, b), al) in links.iter().zip(alignments) {
        let al: &Alignment = al.borrow();
        let (Some(ma), Some(mb)) = (members.get(a), members.get(b)) else {
            continue;
        };
        let derived = ma.parent == Some(b);
        if !derived {
            linked_reports.insert((a.min(b), a.max(b)));
        }
        let sa = |k: usize| al.a_spans.get(k).and_then(|s| sentence_at(ma.doc, s.start));
        let sb = |k: usize| al.b_spans.get(k).and_then(|s| sentence_at(mb.doc, s.start));
        let mut edge = |x: usize, y: usize, score: f32, parent: &mut Vec<usize>| {
            let (Some(&u), Some(&v)) = (node.get(&(a, x)), node.get(&(b, y))) else {
                return;
            };
            if derived {
                let (ru, rv) = (find(parent, u), find(parent, v));
                if ru != rv {
                    parent[ru.max(rv)] = ru.min(rv);
                }
            } else if score >= REPORT_NEAREST || !other_facts(ma.doc, x, mb.doc, y) {
                report_edges.push((score, u, v));
            }
        };
        for p in &al.pairs {
            // Between reports a merged pair (several sentences on a side)
            // joins them all through one score that pools their words: it
            // must be as strong as a nearest-sentence link.
            let merged = p.a.len() + p.b.len() > 2;
            if !derived && (p.score < REPORT_LINK || (merged && p.score < REPORT_NEAREST)) {
                continue;
            }
            let xs: BTreeSet<usize> = p.a.clone().filter_map(sa).collect();
            let ys: BTreeSet<usize> = p.b.clone().filter_map(sb).collect();
            for &x in &xs {
                for &y in &ys {
                    edge(x, y, p.score, &mut parent);
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
                        edge(x, y, n.score, &mut parent);
                    }
                }
            }
        }
    }
    let unit: Vec<usize> = (0..nodes.len()).map(|k| find(&mut parent, k)).collect();
    let groups = join_reports(members, &nodes, &unit, &report_edges, &linked_reports);
    let mut clusters: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
    for (k, &n) in nodes.iter().enumerate() {
        clusters.entry(groups[unit[k]]).or_default().push(n);
    }
    let mut out: Vec<((usize, usize), Claim)> = clusters
        .into_values()
        .map(|sentences| claim(members, &sentences))
        .collect();
    out.sort_by_key(|x| x.0);
    out.into_iter().map(|x| x.1).collect()
}

/// Two sentences of two reports that give other values of the same kind
/// of quantity without telling it in close words: two facts about one
/// subject ("built 96,000 cars last year", "built to make up to 240,000
/// cars a year"), so a weak link between them is no corroboration. In
/// close words it is one fact told two ways, a dispute ([`claim`]).
fn other_facts(a: &TextDoc, x: usize, b: &TextDoc, y: usize) -> bool {
    let (Some(&sx), Some(&sy)) = (a.sentences.get(x), b.sentences.get(y)) else {
        return false;
    };
    let (tx, ty) = (a.text(sx), b.text(sy));
    quote_similarity(tx, ty) < DISPUTE_SIMILARITY
        && compare_quantities(tx, ty)
            .iter()
            .any(|c| c.value_changed && comparable(c.a.kind, c.b.kind))
}

/// Stage 2 of [`claims`]: joins the units of stage 1 (sentences of one
/// report group retelling one sentence, `unit[node]` its root node) across
/// report groups by average link, strongest edge first. Two clusters join
/// only when, over every pair of their units from two reports that were
/// aligned with each other, the mean link score (0 where the aligner
/// linked nothing) reaches [`REPORT_LINK`]: a sentence that links to one
/// report of a claim and not to the others stays out, so no claim grows
/// through one weak edge. Returns the cluster root of each unit.
fn join_reports(
    members: &[StoryText],
    nodes: &[(usize, usize)],
    unit: &[usize],
    edges: &[(f32, usize, usize)],
    linked: &BTreeSet<(usize, usize)>,
) -> Vec<usize> {
    let report = |u: usize| report_of(members, nodes[u].0);
    // Strongest link between two units.
    let mut weight: BTreeMap<(usize, usize), f32> = BTreeMap::new();
    for &(w, x, y) in edges {
        let (u, v) = (unit[x], unit[y]);
        if u == v || report(u) == report(v) {
            continue;
        }
        let e = weight.entry((u.min(v), u.max(v))).or_insert(0.0);
        *e = e.max(w);
    }
    let mut order: Vec<(f32, usize, usize)> =
        weight.iter().map(|(&(u, v), &w)| (w, u, v)).collect();
    order.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    let mut root: Vec<usize> = (0..nodes.len()).collect();
    let mut held: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &u in unit {
        held.entry(u).or_insert_with(|| vec![u]);
    }
    for (_, u, v) in order {
        let (ru, rv) = (find(&mut root, u), find(&mut root, v));
        if ru == rv {
            continue;
        }
        let (Some(cu), Some(cv)) = (held.get(&ru), held.get(&rv)) else {
            continue;
        };
        let (mut sum, mut pairs) = (0.0f64, 0usize);
        for &x in cu {
            for &y in cv {
                let (gx, gy) = (report(x), report(y));
                if gx != gy && linked.contains(&(gx.min(gy), gx.max(gy))) {
                    pairs += 1;
                    sum += f64::from(weight.get(&(x.min(y), x.max(y))).copied().unwrap_or(0.0));
                }
            }
        }
        if pairs > 0 && sum / pairs as f64 >= f64::from(REPORT_LINK) {
            let (keep, gone) = (ru.min(rv), ru.max(rv));
            let moved = held.remove(&gone).unwrap_or_default();
            held.entry(keep).or_default().extend(moved);
            root[gone] = keep;
        }
    }
    (0..nodes.len()).map(|k| find(&mut root, k)).collect()
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
    use crate::story::members::story_links;
    use crate::text::analyze;

    use crate::story::members::tests::member;

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
    fn a_sentence_linked_to_one_report_of_a_claim_only_stays_out() {
        let origin = analyze(
            "Ferry sailings across the harbour will double from Saturday morning. \
             The council voted on Monday to close the Harrow Street bus depot, and the drivers' union said it would ballot its members on a strike next month. \
             Bakery owner Priya Salt said a third of her customers came from across the water.",
            Some("en"),
        );
        let first = analyze(
            "Police officers turned cars around at the Mill Lane roundabout before seven. \
             The council voted on Monday to close the Harrow Street bus depot. \
             Commuters faced long queues at the Fennick Road tunnel this morning.",
            Some("en"),
        );
        let second = analyze(
            "Schools in Saltmarsh opened their breakfast clubs an hour early. \
             The drivers' union said it would ballot its members on a strike next month. \
             A nurse said her journey had taken fifty minutes instead of ten.",
            Some("en"),
        );
        let members = [
            member("o", &origin, None, None),
            member("r1", &first, Some(Relation::SameStory), None),
            member("r2", &second, Some(Relation::SameStory), None),
        ];
        let links = story_links(&members);
        let als: Vec<Alignment> = links
            .iter()
            .map(|&(a, b)| align(members[a].doc, members[b].doc, &AlignConfig::default()))
            .collect();
        // Each report's sentence links to the origin's on its own.
        let linked = |k: usize| {
            als[k].pairs.iter().any(|p| p.score >= REPORT_LINK)
                || als[k]
                    .nearest_in_b
                    .iter()
                    .flatten()
                    .any(|n| n.score >= REPORT_NEAREST)
        };
        assert_eq!(links, [(1, 0), (2, 0), (2, 1)]);
        assert!(linked(0) && linked(1), "{als:#?}");
        let cs = claims(&members, &links, &als);
        // Chained over the origin's sentence the claim would hold all three.
        // The two reports were aligned with each other and do not link (each
        // tells another half), so the weaker one stays out on average.
        let depot = about(&cs, "Harrow Street bus depot, and");
        assert_eq!(depot.articles.len(), 2, "{cs:#?}");
        assert_eq!(depot.articles[0], "o");
        let out = if depot.articles[1] == "r1" {
            "r2"
        } else {
            "r1"
        };
        let rest: Vec<&Claim> = cs.iter().filter(|c| c.articles == [out]).collect();
        assert_eq!(rest.len(), 3, "{cs:#?}");
    }

    #[test]
    fn other_numbers_in_other_words_are_other_facts() {
        let a = analyze(
            "The plant, which opened in 1988, built 96,000 cars last year, down from a peak of 210,000 in 2017.",
            Some("en"),
        );
        let b = analyze(
            "The plant is the oldest in the group and was built to make up to 240,000 cars a year.",
            Some("en"),
        );
        assert!(other_facts(&a, 0, &b, 0));
        // In close words another number is a dispute, not another fact.
        let c = analyze(
            "The plant, which opened in 1988, built 90,000 cars last year, down from a peak of 210,000 in 2017.",
            Some("en"),
        );
        assert!(!other_facts(&a, 0, &c, 0));
        // The same numbers: no evidence either way.
        let d = analyze(
            "Last year the factory made 96,000 vehicles in all.",
            Some("en"),
        );
        assert!(!other_facts(&a, 0, &d, 0));
        assert!(!other_facts(&a, 5, &d, 0));
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
