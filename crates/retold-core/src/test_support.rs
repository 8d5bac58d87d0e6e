//! Helpers shared by the unit tests of several stages.

use crate::article::{Article, ArticleDraft, Origin};

/// Articles of an `examples/<set>/articles.jsonl` file (a newsroom-reuse set
/// written for this project), by id, with their title, source and text but
/// no date: what `retold eval reuse` gives the engine.
pub(crate) fn reuse_set(set: &str, ids: &[&str]) -> Vec<Article> {
    reuse_set_dated(set, ids, false)
}

/// [`reuse_set`], with the articles' dates when `dated`.
pub(crate) fn reuse_set_dated(set: &str, ids: &[&str], dated: bool) -> Vec<Article> {
    let path = format!(
        "{}/../../examples/{set}/articles.jsonl",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("an example set");
    let rows: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    ids.iter()
        .map(|id| {
            let row = rows.iter().find(|r| r["id"] == *id).expect(id);
            let field = |k: &str| row[k].as_str().map(String::from);
            ArticleDraft {
                id: field("id"),
                source: field("source"),
                title: field("title"),
                language: Some("en".into()),
                text: field("text").unwrap_or_default(),
                published: field("published").filter(|_| dated),
                ..Default::default()
            }
            .finish(Origin::whole(*id))
            .expect("article")
        })
        .collect()
}
