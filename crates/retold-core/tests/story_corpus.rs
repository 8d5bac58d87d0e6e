//! Stories and provenance on the example corpus against gold.json.
//!
//! `cargo test -p retold-core --test story_corpus -- --nocapture` prints
//! every disagreement.

mod common;

use std::collections::HashMap;

use retold_core::story::{Engine, EngineConfig, Role};

#[test]
fn stories_origins_parents_and_relations_match_gold() {
    let (articles, gold) = common::load();
    let url_of: HashMap<String, String> = articles
        .iter()
        .filter_map(|a| Some((a.id.clone(), common::key(a.url.as_deref()?))))
        .collect();
    let mut engine = Engine::new(EngineConfig::default());
    engine.add_all(articles.clone(), &|_| {});
    let stories = engine.stories();

    // Predicted story, role, parent url and relation per article url.
    let mut predicted: HashMap<String, (String, Role, Option<String>, Option<String>)> =
        HashMap::new();
    for s in &stories {
        for m in &s.members {
            let url = url_of.get(&m.article).cloned().unwrap_or_default();
            let parent = m.parent.as_ref().and_then(|p| url_of.get(p).cloned());
            predicted.insert(
                url,
                (
                    s.id.clone(),
                    m.role,
                    parent,
                    m.relation.map(|r| r.name().to_string()),
                ),
            );
        }
    }
    // Gold stories map to predicted stories one to one.
    let mut story_map: HashMap<&str, &str> = HashMap::new();
    let mut wrong: Vec<String> = Vec::new();
    for g in &gold.articles {
        let Some((story, role, parent, relation)) = predicted.get(&common::key(&g.url)) else {
            wrong.push(format!("{}: not in any story", g.url));
            continue;
        };
        if g.role == "unrelated" {
            let size = stories
                .iter()
                .find(|s| &s.id == story)
                .map_or(0, |s| s.members.len());
            if size != 1 {
                wrong.push(format!("{}: unrelated, but in a story of {size}", g.url));
            }
            continue;
        }
        match story_map.get(g.story.as_str()) {
            Some(s) if s != story => wrong.push(format!(
                "{}: story {} split ({s} vs {story})",
                g.url, g.story
            )),
            Some(_) => {}
            None => {
                story_map.insert(&g.story, story);
            }
        }
        let want_role = match g.role.as_str() {
            "origin" => Role::Origin,
            "derived" => Role::Derived,
            _ => Role::Independent,
        };
        if *role != want_role {
            wrong.push(format!("{}: role {:?}, expected {}", g.url, role, g.role));
        }
        if g.role == "derived" {
            if parent.as_deref() != g.parent.as_deref().map(common::key).as_deref() {
                wrong.push(format!(
                    "{}: parent {:?}, expected {:?}",
                    g.url, parent, g.parent
                ));
            }
            if relation.as_deref() != g.relation.as_deref() {
                wrong.push(format!(
                    "{}: relation {:?}, expected {:?}",
                    g.url, relation, g.relation
                ));
            }
        }
    }
    let mut seen: Vec<&&str> = story_map.values().collect();
    let n = seen.len();
    seen.sort();
    seen.dedup();
    if seen.len() != n {
        wrong.push("two gold stories merged into one".into());
    }
    for s in stories.iter().filter(|s| s.members.len() > 1) {
        println!("{} ({} members): {}", s.id, s.members.len(), s.title);
        for m in &s.members {
            println!(
                "  {:<24} {:<11?} {:<10} parent {:<24} {:.2}",
                m.article,
                m.role,
                m.relation.map_or("-", |r| r.name()),
                m.parent.as_deref().unwrap_or("-"),
                m.confidence
            );
        }
    }
    println!("{} disagreements: {wrong:#?}", wrong.len());
    assert!(wrong.len() <= 4, "{wrong:#?}");
}
