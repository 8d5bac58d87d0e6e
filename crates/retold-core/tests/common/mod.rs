//! The example corpus and its gold labels, shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use retold_core::article::{canonical_url, Article};
use retold_core::ingest::{read_all, IngestOptions};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Gold {
    pub stories: Vec<GoldStory>,
    pub articles: Vec<GoldArticle>,
}

#[derive(Deserialize)]
pub struct GoldStory {
    pub id: String,
    pub origin: Option<String>,
}

#[derive(Deserialize)]
pub struct GoldArticle {
    pub url: String,
    pub file: String,
    pub story: String,
    pub role: String,
    pub parent: Option<String>,
    pub relation: Option<String>,
    pub published: Option<String>,
    pub title: Option<String>,
}

pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus")
}

/// The corpus's articles (it must read without a skip or warning) and gold.
pub fn load() -> (Vec<Article>, Gold) {
    let dir = corpus_dir();
    let batch = read_all(
        std::slice::from_ref(&dir),
        &IngestOptions::default(),
        &|_| {},
    )
    .unwrap();
    let skipped: Vec<String> = batch.skipped.iter().map(|e| e.to_string()).collect();
    assert!(
        skipped.is_empty(),
        "the example corpus reads cleanly: {skipped:#?}"
    );
    assert!(batch.warnings.is_empty(), "{:?}", batch.warnings);
    let gold: Gold =
        serde_json::from_str(&std::fs::read_to_string(dir.join("gold.json")).unwrap()).unwrap();
    (batch.articles, gold)
}

/// A URL as the tests compare them (canonical when it parses).
pub fn key(u: &str) -> String {
    canonical_url(u).unwrap_or_else(|| u.to_string())
}
