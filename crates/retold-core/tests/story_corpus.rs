//! Stories and provenance on the example corpus against gold.json, scored
//! by `eval::corpus` (the same scoring as `retold eval corpus`).
//!
//! `cargo test -p retold-core --test story_corpus -- --nocapture` prints
//! the stories and every disagreement.

mod common;

use retold_core::eval::corpus::{predictions, score, GoldCorpus};
use retold_core::story::{Engine, EngineConfig};

#[test]
fn stories_origins_parents_and_relations_match_gold() {
    let (articles, _) = common::load();
    let gold = GoldCorpus::load(&common::corpus_dir().join("gold.json")).expect("gold.json");
    let mut engine = Engine::new(EngineConfig::default());
    engine.add_all(articles.clone(), &|_| {});
    let stories = engine.stories();
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
    let s = score(&gold, &predictions(&stories, &articles));
    let wrong: Vec<String> = s
        .mismatches
        .iter()
        .map(|m| format!("{}: {} {}, expected {}", m.url, m.field, m.got, m.expected))
        .collect();
    println!("{} disagreements: {wrong:#?}", wrong.len());
    // No gold story split or merged, unrelated articles alone.
    assert_eq!(s.stories.bcubed_f1, 1.0, "{:?}", s.stories);
    assert!(wrong.len() <= 4, "{wrong:#?}");
}
