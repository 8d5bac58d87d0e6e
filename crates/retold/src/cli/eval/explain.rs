//! `retold eval stories --explain`: why a gold story came out split or
//! mixed.
//!
//! For every gold story spread over several predicted stories, each pair of
//! its pieces is listed with the links between them: how many of their
//! article pairs were scored at all, the average and best link over the
//! scored article pairs (the merge pass averages over *report* pairs, a
//! copy counting for its report), and the stage that kept them apart:
//!
//! - `candidates`: no article pair across the two pieces was ever scored
//!   (the candidate index never proposed one);
//! - `subject`: the subject check kept an article of one piece out of the
//!   other's story;
//! - `event conflict`: the two state conflicting key facts (a magnitude, a
//!   score, a year; see `retold_core::story::events`), named with their
//!   values, and an article of one piece was kept out of the other's story
//!   or the two stories were kept from merging;
//! - `story link`: pairs were scored, but the average link stayed below the
//!   merge threshold (or merging is off) and no article joined across;
//! - `coverage`: the average passed, but the scored pairs reach too few of
//!   a piece's members for a merge.
//!
//! For every predicted story that mixes gold stories, each article of a
//! minority gold story is listed with how it came in: `verdict` (derived
//! from a member, with the relation), `story link` (joined as an
//! independent report at that average link, with the weaker conflicts of
//! key facts it joined despite), or `merge` (its story was merged at that
//! story link).
//!
//! Last, every join and merge that conflicting key facts kept back is
//! listed with its conflicts and whether the gold stories agree, and every
//! story split by the subject rule (`retold_core::story::split`) with the
//! gold stories of the two parts (a piece kept apart by a split names the
//! stage `subject split`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use retold_core::story::{EngineConfig, Role, Story, Trace};

/// The explanation text of one run.
pub fn explain(
    gold: &HashMap<String, String>,
    stories: &[Story],
    trace: &Trace,
    config: &EngineConfig,
) -> String {
    let mut out = String::new();
    let story_of: HashMap<&str, &str> = stories
        .iter()
        .flat_map(|s| s.articles.iter().map(move |a| (a.as_str(), s.id.as_str())))
        .collect();
    let link: HashMap<(&str, &str), f64> = trace
        .pairs
        .iter()
        .flat_map(|p| {
            [
                ((p.a.as_str(), p.b.as_str()), p.link),
                ((p.b.as_str(), p.a.as_str()), p.link),
            ]
        })
        .collect();
    // Predicted stories an article was kept out of by the subject check.
    let mut vetoed: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for (a, member) in &trace.subject_vetoes {
        if let Some(&s) = story_of.get(member.as_str()) {
            vetoed.entry(a.as_str()).or_default().insert(s);
        }
    }
    // Joins and merges kept back by conflicting facts, by the predicted
    // stories of the two articles.
    let mut conflicts: HashMap<(&str, &str), Vec<String>> = HashMap::new();
    for v in &trace.event_vetoes {
        if let (Some(&a), Some(&b)) = (
            story_of.get(v.article.as_str()),
            story_of.get(v.member.as_str()),
        ) {
            let said = format!("{} ({} | {})", v.conflicts.join("; "), v.article, v.member);
            conflicts.entry((a, b)).or_default().push(said.clone());
            conflicts.entry((b, a)).or_default().push(said);
        }
    }
    // Articles a subject split took apart: (leaving, staying) → subject.
    let mut split_apart: HashMap<(&str, &str), &str> = HashMap::new();
    for sp in &trace.splits {
        for a in &sp.leaving {
            for b in &sp.staying {
                split_apart.insert((a.as_str(), b.as_str()), sp.subject.as_str());
                split_apart.insert((b.as_str(), a.as_str()), sp.subject.as_str());
            }
        }
    }
    // Gold story → predicted story → articles.
    let mut pieces: BTreeMap<&str, BTreeMap<&str, Vec<&str>>> = BTreeMap::new();
    for (a, g) in gold {
        if let Some(&p) = story_of.get(a.as_str()) {
            pieces
                .entry(g.as_str())
                .or_default()
                .entry(p)
                .or_default()
                .push(a.as_str());
        }
    }
    for (g, by_story) in &pieces {
        if by_story.len() < 2 {
            continue;
        }
        let sizes: Vec<String> = by_story.values().map(|v| v.len().to_string()).collect();
        let _ = writeln!(
            out,
            "split  gold {g}: {} articles in {} stories ({})",
            by_story.values().map(Vec::len).sum::<usize>(),
            by_story.len(),
            sizes.join(" + ")
        );
        let list: Vec<(&&str, &Vec<&str>)> = by_story.iter().collect();
        for (x, (sx, ax)) in list.iter().enumerate() {
            for (sy, ay) in &list[x + 1..] {
                let scored: Vec<f64> = ax
                    .iter()
                    .flat_map(|a| ay.iter().filter_map(|b| link.get(&(*a, *b)).copied()))
                    .collect();
                let subject = ax
                    .iter()
                    .any(|a| vetoed.get(a).is_some_and(|v| v.contains(**sy)))
                    || ay
                        .iter()
                        .any(|a| vetoed.get(a).is_some_and(|v| v.contains(**sx)));
                let avg = if scored.is_empty() {
                    0.0
                } else {
                    scored.iter().sum::<f64>() / scored.len() as f64
                };
                let best = scored.iter().copied().fold(0.0, f64::max);
                let split = ax
                    .iter()
                    .find_map(|a| ay.iter().find_map(|b| split_apart.get(&(*a, *b))));
                let stage = if let Some(w) = split {
                    format!("subject split (on {w:?})")
                } else if scored.is_empty() {
                    "candidates (no pair scored)".to_string()
                } else if subject {
                    "subject check".to_string()
                } else if let Some(c) = conflicts.get(&(**sx, **sy)) {
                    format!("event conflict: {}", c.join(", "))
                } else if config.merge_threshold > 0.0 && avg >= config.merge_threshold {
                    // Linked strongly enough, but through few members.
                    let reached = |from: &[&str], to: &[&str]| {
                        from.iter()
                            .filter(|a| to.iter().any(|b| link.contains_key(&(**a, *b))))
                            .count()
                    };
                    format!(
                        "coverage (scored pairs reach {} of {} and {} of {} articles; merge needs {:.0}% of each side's reports)",
                        reached(ax, ay),
                        ax.len(),
                        reached(ay, ax),
                        ay.len(),
                        config.merge_min_coverage * 100.0
                    )
                } else if config.merge_threshold > 0.0 {
                    format!(
                        "story link (average {avg:.3} < merge {:.2})",
                        config.merge_threshold
                    )
                } else {
                    "story link (no merge pass)".to_string()
                };
                let _ = writeln!(
                    out,
                    "       {sx} ({}) | {sy} ({}): {} of {} pairs scored, link avg {avg:.3} best {best:.3}: {stage}",
                    ax.len(),
                    ay.len(),
                    scored.len(),
                    ax.len() * ay.len()
                );
            }
        }
    }
    for s in stories {
        let mut golds: BTreeMap<&str, usize> = BTreeMap::new();
        for a in &s.articles {
            if let Some(g) = gold.get(a) {
                *golds.entry(g.as_str()).or_default() += 1;
            }
        }
        if golds.len() < 2 {
            continue;
        }
        let major = golds
            .iter()
            .max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(x.0)))
            .map(|x| *x.0)
            .unwrap_or_default();
        let parts: Vec<String> = golds.iter().map(|(g, n)| format!("{g} {n}")).collect();
        let _ = writeln!(out, "mixed  {}: {}", s.id, parts.join(", "));
        for m in &s.members {
            let Some(g) = gold.get(&m.article) else {
                continue;
            };
            if g == major {
                continue;
            }
            let how = match (&m.evidence, m.role) {
                (_, Role::Origin) => "origin of the story".to_string(),
                (Some(e), _) if e.merged.is_some() => {
                    let merged = e.merged.as_ref().map_or(0.0, |x| x.story_link);
                    format!("merge (story link {merged:.3})")
                }
                (Some(e), Role::Derived) => format!(
                    "verdict ({} of {}, p {:.2})",
                    e.relation, e.against, e.confidence
                ),
                (Some(e), _) if !e.conflicts.is_empty() => format!(
                    "story link {:.3} (best against {}), despite {}",
                    e.story_link.unwrap_or(0.0),
                    e.against,
                    e.conflicts.join("; ")
                ),
                (Some(e), _) => format!(
                    "story link {:.3} (best against {})",
                    e.story_link.unwrap_or(0.0),
                    e.against
                ),
                (None, _) => "no evidence".to_string(),
            };
            let _ = writeln!(out, "       {} (gold {g}): {how}", m.article);
        }
    }
    for sp in &trace.splits {
        let golds = |ids: &[String]| -> BTreeSet<&str> {
            ids.iter()
                .filter_map(|a| gold.get(a).map(String::as_str))
                .collect()
        };
        let (leaving, staying) = (golds(&sp.leaving), golds(&sp.staying));
        let verdict = if leaving.is_empty() || staying.is_empty() {
            "no gold".to_string()
        } else if leaving.is_disjoint(&staying) {
            "right: gold apart".to_string()
        } else {
            let both: Vec<&str> = leaving.intersection(&staying).copied().collect();
            format!("wrong: gold {} on both sides", both.join(", "))
        };
        let _ = writeln!(
            out,
            "subject split by {}: {} members about {:?} left, {} about {:?} stayed ({verdict})",
            sp.by, sp.leaving_count, sp.subject, sp.staying_count, sp.staying_subject
        );
    }
    for v in &trace.event_vetoes {
        let verdict = match (gold.get(&v.article), gold.get(&v.member)) {
            (Some(a), Some(b)) if a == b => format!("wrong: both gold {a}"),
            (Some(a), Some(b)) => format!("right: gold {a} and {b}"),
            _ => "no gold".to_string(),
        };
        let _ = writeln!(
            out,
            "event  {} {} {} (link {:.3}): {} ({verdict})",
            v.article,
            if v.merge {
                "not merged with the story of"
            } else {
                "kept out of the story of"
            },
            v.member,
            v.story_link,
            v.conflicts.join("; ")
        );
    }
    out
}
