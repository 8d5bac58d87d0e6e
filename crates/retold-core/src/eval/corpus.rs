//! Scoring stories against a gold file like `examples/corpus/gold.json`
//! (schema `retold-gold/1`).
//!
//! Conventions of the gold file: `articles[]` keyed by `url`, each with its
//! `story`, a `role` (`origin`, `derived`, `independent` or `unrelated` for
//! articles alone in their story), for derived ones the `parent` URL and the
//! `relation`. Independent reports have no parent; their relation is
//! `same_story`. URLs are compared in canonical form.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::cluster::{score as cluster_score, ClusterScore};
use crate::article::canonical_url;

/// A gold file that could not be used.
#[derive(Debug, Error)]
pub enum GoldError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not a gold file: {source}")]
    Parse {
        path: String,
        source: serde_json::Error,
    },
}

/// One gold article.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldArticle {
    pub url: String,
    pub story: String,
    pub role: String,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub relation: Option<String>,
}

/// A gold file.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldCorpus {
    pub articles: Vec<GoldArticle>,
}

impl GoldCorpus {
    /// Reads a gold file.
    pub fn load(path: &Path) -> Result<GoldCorpus, GoldError> {
        let p = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| GoldError::Read {
            path: p.clone(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| GoldError::Parse { path: p, source })
    }
}

/// What the tool said about one article.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictedArticle {
    pub url: String,
    /// Predicted story id (any naming).
    pub story: String,
    /// `origin`, `derived` or `independent`.
    pub role: String,
    pub parent_url: Option<String>,
    pub relation: Option<String>,
}

/// A disagreement with gold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mismatch {
    pub url: String,
    pub field: &'static str,
    pub expected: String,
    pub got: String,
}

/// Right answers over questions asked, for one field.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Tally {
    pub right: usize,
    pub total: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        self.right += usize::from(ok);
    }
}

/// The score of a prediction against gold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorpusScore {
    /// Story clustering (singletons are clusters of one).
    pub stories: ClusterScore,
    /// Roles of every article in a story of two or more.
    pub roles: Tally,
    /// Parents and relations of derived articles.
    pub parents: Tally,
    pub relations: Tally,
    pub mismatches: Vec<Mismatch>,
}

fn key(u: &str) -> String {
    canonical_url(u).unwrap_or_else(|| u.trim_end_matches('/').to_string())
}

/// Scores `predicted` against `gold`. Gold articles missing from the
/// prediction count as wrong everywhere.
pub fn score(gold: &GoldCorpus, predicted: &[PredictedArticle]) -> CorpusScore {
    let by_url: HashMap<String, &PredictedArticle> =
        predicted.iter().map(|p| (key(&p.url), p)).collect();
    let mut mismatches = Vec::new();
    let (mut roles, mut parents, mut relations) =
        (Tally::default(), Tally::default(), Tally::default());
    let (mut g_labels, mut p_labels) = (Vec::new(), Vec::new());
    let mut miss = |url: &str, field: &'static str, expected: &str, got: &str| {
        mismatches.push(Mismatch {
            url: url.to_string(),
            field,
            expected: expected.to_string(),
            got: got.to_string(),
        })
    };
    for (k, g) in gold.articles.iter().enumerate() {
        let p = by_url.get(&key(&g.url));
        // Unrelated gold articles are stories of their own.
        g_labels.push(if g.role == "unrelated" {
            format!("unrelated#{k}")
        } else {
            g.story.clone()
        });
        p_labels.push(p.map_or_else(|| format!("missing#{k}"), |p| p.story.clone()));
        let Some(p) = p else {
            miss(&g.url, "article", "present", "missing");
            continue;
        };
        if g.role == "unrelated" {
            continue;
        }
        let want = if g.role == "origin" || g.role == "derived" {
            g.role.as_str()
        } else {
            "independent"
        };
        roles.add(p.role == want);
        if p.role != want {
            miss(&g.url, "role", want, &p.role);
        }
        if g.role == "derived" {
            let want_parent = g.parent.as_deref().map(key);
            let got_parent = p.parent_url.as_deref().map(key);
            parents.add(want_parent == got_parent);
            if want_parent != got_parent {
                miss(
                    &g.url,
                    "parent",
                    want_parent.as_deref().unwrap_or("-"),
                    got_parent.as_deref().unwrap_or("-"),
                );
            }
            let ok = g.relation == p.relation;
            relations.add(ok);
            if !ok {
                miss(
                    &g.url,
                    "relation",
                    g.relation.as_deref().unwrap_or("-"),
                    p.relation.as_deref().unwrap_or("-"),
                );
            }
        }
    }
    CorpusScore {
        stories: cluster_score(&g_labels, &p_labels),
        roles,
        parents,
        relations,
        mismatches,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold() -> GoldCorpus {
        serde_json::from_str(
            r#"{"articles": [
                {"url": "https://a.example/1", "story": "s", "role": "origin"},
                {"url": "https://b.example/1", "story": "s", "role": "derived", "parent": "https://a.example/1", "relation": "copy"},
                {"url": "https://c.example/1", "story": "s", "role": "independent", "relation": "same_story"},
                {"url": "https://d.example/1", "story": "x", "role": "unrelated"}
            ]}"#,
        )
        .expect("gold")
    }

    fn p(
        url: &str,
        story: &str,
        role: &str,
        parent: Option<&str>,
        rel: Option<&str>,
    ) -> PredictedArticle {
        PredictedArticle {
            url: url.into(),
            story: story.into(),
            role: role.into(),
            parent_url: parent.map(str::to_string),
            relation: rel.map(str::to_string),
        }
    }

    #[test]
    fn a_perfect_prediction_scores_full_marks() {
        let got = [
            p("https://a.example/1/", "1", "origin", None, None),
            p(
                "https://b.example/1",
                "1",
                "derived",
                Some("https://a.example/1"),
                Some("copy"),
            ),
            p(
                "https://c.example/1",
                "1",
                "independent",
                None,
                Some("same_story"),
            ),
            p("https://d.example/1", "2", "origin", None, None),
        ];
        let s = score(&gold(), &got);
        assert_eq!(s.stories.bcubed_f1, 1.0);
        assert_eq!((s.roles.right, s.roles.total), (3, 3));
        assert_eq!((s.parents.right, s.relations.right), (1, 1));
        assert!(s.mismatches.is_empty(), "{:?}", s.mismatches);
    }

    #[test]
    fn wrong_fields_and_missing_articles_are_listed() {
        let got = [
            p("https://a.example/1", "1", "origin", None, None),
            p(
                "https://b.example/1",
                "1",
                "derived",
                Some("https://c.example/1"),
                Some("rewrite"),
            ),
            p("https://d.example/1", "1", "independent", None, None),
        ];
        let s = score(&gold(), &got);
        let fields: Vec<&str> = s.mismatches.iter().map(|m| m.field).collect();
        assert_eq!(fields, ["parent", "relation", "article"]);
        assert!(s.stories.bcubed_precision < 1.0);
    }
}
