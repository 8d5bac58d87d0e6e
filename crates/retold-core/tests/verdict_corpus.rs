//! The pair verdict on the example corpus: every derived version against its
//! gold parent, every independent report against its story's origin, and
//! every pair of articles from different stories that the candidate index
//! proposes (shared names and numbers across look-alike stories).
//!
//! `cargo test -p retold-core --test verdict_corpus -- --nocapture` prints
//! the table that docs/QUALITY.md quotes.

mod common;

use std::collections::HashMap;

use retold_core::article::Article;
use retold_core::features::{sketch::Sketcher, Features};
use retold_core::index::{CandidateConfig, CandidateIndex};
use retold_core::relate::{compare, Relation, Side};
use retold_core::text::analyze;

#[test]
fn verdicts_on_the_example_corpus() {
    let (articles, gold) = common::load();
    let by_url: HashMap<String, &Article> = articles
        .iter()
        .filter_map(|a| a.url.as_deref().map(|u| (common::key(u), a)))
        .collect();
    let origin_of: HashMap<&str, &str> = gold
        .stories
        .iter()
        .filter_map(|s| Some((s.id.as_str(), s.origin.as_deref()?)))
        .collect();
    let story_of: HashMap<String, &str> = gold
        .articles
        .iter()
        .map(|g| (common::key(&g.url), g.story.as_str()))
        .collect();

    // (expected relation, child, parent)
    let mut rows: Vec<(Relation, &Article, &Article)> = Vec::new();
    for g in &gold.articles {
        let parent = match (g.role.as_str(), g.parent.as_deref()) {
            ("derived", Some(p)) => p,
            ("independent", _) => match origin_of.get(g.story.as_str()) {
                Some(o) => o,
                None => continue,
            },
            _ => continue,
        };
        let rel = g
            .relation
            .as_deref()
            .and_then(Relation::from_name)
            .unwrap_or(Relation::SameStory);
        if let (Some(c), Some(p)) = (
            by_url.get(&common::key(&g.url)),
            by_url.get(&common::key(parent)),
        ) {
            rows.push((rel, c, p));
        }
    }
    let derived = rows.iter().filter(|r| r.0.is_derived()).count();
    assert!(derived >= 20 && rows.len() >= 28, "gold pairs not found");

    // Cross-story pairs the candidate index proposes must come out unrelated.
    let mut sketcher = Sketcher::new(Default::default());
    let mut index = CandidateIndex::new(CandidateConfig::default());
    let mut seen: Vec<&Article> = Vec::new();
    let story = |a: &Article| {
        a.url
            .as_deref()
            .and_then(|u| story_of.get(&common::key(u)).copied())
    };
    for a in &articles {
        let f = Features::compute(&analyze(&a.text, a.language.as_deref()), &mut sketcher);
        for c in index.query(&f, None) {
            let other = seen[c.doc as usize];
            if story(a) != story(other) && story(a).is_some() {
                rows.push((Relation::Unrelated, a, other));
            }
        }
        index.insert(&f, None);
        seen.push(a);
    }

    let mut wrong = Vec::new();
    let mut wrong_direction = Vec::new();
    let mut per: HashMap<Relation, (usize, usize)> = HashMap::new();
    println!("expected    got         conf  source  child");
    for (rel, c, p) in &rows {
        let v = compare(c, p).verdict;
        let e = per.entry(*rel).or_default();
        e.0 += 1;
        if v.relation == *rel {
            e.1 += 1;
        } else {
            wrong.push(format!(
                "{}: {} expected, got {} ({:.2}) {:?}",
                c.id, rel, v.relation, v.confidence, v.features
            ));
        }
        let source = v.direction.map(|d| d.source);
        if rel.is_derived() && source != Some(Side::B) {
            wrong_direction.push(format!(
                "{}: source {:?} ({:?})",
                c.id, source, v.direction_evidence
            ));
        }
        if *rel != Relation::Unrelated || v.relation != Relation::Unrelated {
            println!(
                "{:<11} {:<11} {:.2}  {:<6}  {}",
                rel.name(),
                v.relation.name(),
                v.confidence,
                source.map_or("-", |s| if s == Side::B { "parent" } else { "child" }),
                c.id
            );
        }
    }
    let mut classes: Vec<_> = per.into_iter().collect();
    classes.sort();
    for (rel, (n, ok)) in &classes {
        println!("{:<11} {ok}/{n}", rel.name());
    }
    println!("wrong relation: {wrong:#?}\nwrong direction: {wrong_direction:#?}");
    // No independent report is called a copy of anything, and no unrelated
    // pair is called derived.
    for (rel, c, p) in &rows {
        if !rel.is_derived() {
            let v = compare(c, p).verdict;
            assert!(
                !v.relation.is_derived(),
                "{} against {}: {:?}",
                c.id,
                p.id,
                v.relation
            );
        }
    }
    assert!(wrong.len() <= 3, "{wrong:#?}");
    assert!(wrong_direction.len() <= 3, "{wrong_direction:#?}");
}
