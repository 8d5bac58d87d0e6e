//! Two unrelated German posts of one company blog among the English
//! articles of `examples/reuse-en` (tests/fixtures/minority-language: an
//! electronic patient record, a trade fair). They share the blog's words
//! ("Team", "Kunden", "Plattform", "Datenschutz und Sicherheit", …), and
//! against 85 English texts every German word is rare: weighed by its
//! rarity among all articles, the two had a TF-IDF cosine of 0.31 and the
//! engine joined them as one story by their vocabulary. Weighed by its
//! rarity among the articles of their language, each shared word is held
//! by both German texts and counts little: two stories.

use std::path::Path;

use retold_core::article::{Article, ArticleDraft, Origin};
use retold_core::ingest::{read_all, IngestOptions};
use retold_core::story::{Engine, EngineConfig};

fn german(name: &str) -> Article {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minority-language");
    let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).expect("fixture");
    ArticleDraft {
        id: Some(format!("de-{name}")),
        url: Some(format!("https://blog.nordlicht-digital.de/{name}")),
        text,
        ..Default::default()
    }
    .finish(Origin::whole(name))
    .expect("article")
}

fn english() -> Vec<Article> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/reuse-en/articles.jsonl");
    let batch = read_all(&[path], &IngestOptions::default(), &|_| {}).expect("reuse-en");
    assert!(batch.skipped.is_empty());
    batch.articles
}

fn story_of(engine: &Engine, id: &str) -> String {
    engine
        .stories()
        .into_iter()
        .find(|s| s.member(id).is_some())
        .map(|s| s.id)
        .expect("a story")
}

#[test]
fn two_unrelated_texts_of_a_minority_language_are_not_joined_by_their_shared_words() {
    let mut articles = english();
    assert!(articles.len() >= 80);
    articles.push(german("patientenakte"));
    articles.push(german("messe"));
    let mut engine = Engine::new(EngineConfig::default());
    engine.add_all(articles, &|_| {});
    assert_ne!(
        story_of(&engine, "de-patientenakte"),
        story_of(&engine, "de-messe")
    );
    // The English stories are as they were.
    let mut alone = Engine::new(EngineConfig::default());
    alone.add_all(english(), &|_| {});
    let multi = |e: &Engine| {
        e.stories()
            .into_iter()
            .filter(|s| s.members.len() > 1)
            .count()
    };
    assert_eq!(multi(&engine), multi(&alone));
}
