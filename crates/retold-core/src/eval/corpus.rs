//! Scoring a predicted analysis against a gold file like
//! `examples/corpus/gold.json` (schema `retold-gold/1`).
//!
//! How the gold file encodes things, and how each is scored:
//!
//! - `articles[]` are keyed by `url`; each has its `story`, a `role`, and
//!   for derived ones the `parent` URL and the `relation` (`duplicate`,
//!   `copy`, `rewrite`, `spun`, `excerpt`, ...). `stories[]` give each
//!   story's `id` and its `origin` URL.
//! - **Unrelated** articles (`role: "unrelated"`) are stories of one: each
//!   gets a story label of its own whatever its `story` says, and is scored
//!   only in the story clustering (being alone is the right answer; the
//!   role a tool gives a lone article is not asked).
//! - **Independent** reports (`role: "independent"`) belong to the story
//!   but copy nobody: no `parent`; their gold relation is `same_story`.
//!   Only their role is scored (`independent` implies `same_story`).
//! - **Roles** are scored for every article in a story (origin, derived,
//!   independent); **parents** and **relations** for derived articles;
//!   **origins** once per gold story of two or more articles: the origin
//!   of the predicted story holding most of its articles must be the gold
//!   origin (so a right origin counts even when the story was split).
//! - URLs are compared in canonical form ([`canonical_url`]: fragment and
//!   tracking parameters dropped, trailing `/` trimmed); a string that is
//!   no http(s) URL is compared with a trailing `/` trimmed.
//! - A gold article missing from the prediction is wrong in every field it
//!   would be asked, and a story of its own in the clustering. Predicted
//!   articles not in gold are ignored, except as the origin of a predicted
//!   story; of several predictions for one URL the first is used.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};
use thiserror::Error;

use super::cluster::{score as cluster_score, ClusterScore};
use crate::article::{canonical_url, Article};
use crate::story::{Role, Story};

/// The schema this module reads.
pub const GOLD_SCHEMA: &str = "retold-gold/1";

/// A gold file that could not be used; every variant names the file.
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
    #[error("{path}: schema {found:?}, expected {GOLD_SCHEMA:?}")]
    Schema { path: String, found: String },
}

/// One gold article.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldArticle {
    pub url: String,
    pub story: String,
    /// `origin`, `derived`, `independent` or `unrelated`.
    pub role: String,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub relation: Option<String>,
}

/// One gold story.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldStory {
    pub id: String,
    /// URL of the article the story starts from.
    #[serde(default)]
    pub origin: Option<String>,
    /// A look-alike kept apart from every other story.
    #[serde(default)]
    pub unrelated: bool,
}

/// A gold file.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldCorpus {
    /// Absent in hand-made files; checked when present.
    #[serde(default)]
    pub schema: Option<String>,
    #[serde(default)]
    pub stories: Vec<GoldStory>,
    pub articles: Vec<GoldArticle>,
}

impl GoldCorpus {
    /// Reads a gold file; errors name it.
    pub fn load(path: &Path) -> Result<GoldCorpus, GoldError> {
        let p = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| GoldError::Read {
            path: p.clone(),
            source,
        })?;
        let gold: GoldCorpus = serde_json::from_str(&text).map_err(|source| GoldError::Parse {
            path: p.clone(),
            source,
        })?;
        match &gold.schema {
            Some(s) if s != GOLD_SCHEMA => Err(GoldError::Schema {
                path: p,
                found: s.clone(),
            }),
            _ => Ok(gold),
        }
    }

    /// The gold without its translations (relation `translated`) and what
    /// derives from them, and their URLs: what is scored when
    /// cross-lingual matching is off (no multilingual model), where a
    /// translation cannot be found and stands alone.
    pub fn without_translations(&self) -> (GoldCorpus, Vec<String>) {
        let mut dropped: Vec<String> = Vec::new();
        // A copy of a translation goes too (parents come before children
        // only by chance, so repeat until nothing more goes).
        loop {
            let before = dropped.len();
            for a in &self.articles {
                let translated = a.relation.as_deref() == Some("translated");
                let below = a.parent.as_ref().is_some_and(|p| dropped.contains(p));
                if (translated || below) && !dropped.contains(&a.url) {
                    dropped.push(a.url.clone());
                }
            }
            if dropped.len() == before {
                break;
            }
        }
        let mut gold = self.clone();
        gold.articles.retain(|a| !dropped.contains(&a.url));
        (gold, dropped)
    }
}

/// Predictions without the articles at `urls` (see
/// [`GoldCorpus::without_translations`]).
pub fn without_urls(predicted: Vec<PredictedArticle>, urls: &[String]) -> Vec<PredictedArticle> {
    predicted
        .into_iter()
        .filter(|p| !urls.iter().any(|u| key(u) == key(&p.url)))
        .collect()
}

/// What the tool said about one article.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictedArticle {
    pub url: String,
    /// Predicted story id (any naming: only equality matters).
    pub story: String,
    /// `origin`, `derived` or `independent`.
    pub role: String,
    pub parent_url: Option<String>,
    pub relation: Option<String>,
}

/// A disagreement with gold. For `field` "origin", `url` is the gold
/// origin's and `got` the origin of the predicted story.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mismatch {
    pub url: String,
    /// `article` (missing), `role`, `parent`, `relation` or `origin`.
    pub field: &'static str,
    pub expected: String,
    pub got: String,
}

/// Right answers over questions asked, for one field. Serialized with its
/// `accuracy` (null when nothing was asked).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Tally {
    pub right: usize,
    pub total: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        self.right += usize::from(ok);
    }

    /// `right / total`, or `None` when nothing was asked.
    pub fn accuracy(&self) -> Option<f64> {
        (self.total > 0).then(|| self.right as f64 / self.total as f64)
    }
}

impl Serialize for Tally {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Tally", 3)?;
        st.serialize_field("right", &self.right)?;
        st.serialize_field("total", &self.total)?;
        st.serialize_field("accuracy", &self.accuracy())?;
        st.end()
    }
}

/// The score of a prediction against gold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorpusScore {
    /// Story clustering over the gold articles (unrelated and missing
    /// articles are clusters of one).
    pub stories: ClusterScore,
    /// Roles of every article in a story of two or more.
    pub roles: Tally,
    /// Parents of derived articles.
    pub parents: Tally,
    /// Relations of derived articles.
    pub relations: Tally,
    /// Origins of gold stories of two or more articles.
    pub origins: Tally,
    /// Every wrong answer, in gold order (origins last).
    pub mismatches: Vec<Mismatch>,
}

fn key(u: &str) -> String {
    canonical_url(u).unwrap_or_else(|| u.trim().trim_end_matches('/').to_string())
}

fn or_dash(s: Option<&str>) -> String {
    s.unwrap_or("-").to_string()
}

/// Scores `predicted` against `gold` (conventions in the module doc).
/// The stories of an [`Engine`](crate::story::Engine) as predictions to
/// [`score`]: one per member whose article has a URL.
pub fn predictions(stories: &[Story], articles: &[Article]) -> Vec<PredictedArticle> {
    let url_of: HashMap<&str, &str> = articles
        .iter()
        .filter_map(|a| Some((a.id.as_str(), a.url.as_deref()?)))
        .collect();
    let mut out = Vec::new();
    for s in stories {
        for m in &s.members {
            let Some(url) = url_of.get(m.article.as_str()) else {
                continue;
            };
            out.push(PredictedArticle {
                url: url.to_string(),
                story: s.id.clone(),
                role: match m.role {
                    Role::Origin => "origin",
                    Role::Derived => "derived",
                    Role::Independent => "independent",
                }
                .to_string(),
                parent_url: m
                    .parent
                    .as_deref()
                    .and_then(|p| url_of.get(p))
                    .map(|u| u.to_string()),
                relation: m.relation.map(|r| r.name().to_string()),
            });
        }
    }
    out
}

pub fn score(gold: &GoldCorpus, predicted: &[PredictedArticle]) -> CorpusScore {
    let mut by_url: HashMap<String, &PredictedArticle> = HashMap::new();
    for p in predicted {
        by_url.entry(key(&p.url)).or_insert(p);
    }
    let mut mismatches = Vec::new();
    let mut miss = |url: &str, field: &'static str, expected: String, got: String| {
        mismatches.push(Mismatch {
            url: url.to_string(),
            field,
            expected,
            got,
        })
    };
    let (mut roles, mut parents, mut relations, mut origins) = (
        Tally::default(),
        Tally::default(),
        Tally::default(),
        Tally::default(),
    );
    let (mut g_labels, mut p_labels) = (Vec::new(), Vec::new());
    for (k, g) in gold.articles.iter().enumerate() {
        let unrelated = g.role == "unrelated";
        let derived = g.role == "derived";
        let p = by_url.get(&key(&g.url)).copied();
        g_labels.push(if unrelated {
            format!("unrelated#{k}")
        } else {
            format!("gold:{}", g.story)
        });
        p_labels.push(p.map_or_else(|| format!("missing#{k}"), |p| format!("got:{}", p.story)));
        let Some(p) = p else {
            miss(&g.url, "article", "present".into(), "missing".into());
            if !unrelated {
                roles.add(false);
            }
            if derived {
                parents.add(false);
                relations.add(false);
            }
            continue;
        };
        if unrelated {
            continue;
        }
        roles.add(p.role == g.role);
        if p.role != g.role {
            miss(&g.url, "role", g.role.clone(), p.role.clone());
        }
        if derived {
            let want = g.parent.as_deref().map(key);
            let got = p.parent_url.as_deref().map(key);
            parents.add(want == got);
            if want != got {
                miss(
                    &g.url,
                    "parent",
                    or_dash(want.as_deref()),
                    or_dash(got.as_deref()),
                );
            }
            relations.add(g.relation == p.relation);
            if g.relation != p.relation {
                let (want, got) = (g.relation.as_deref(), p.relation.as_deref());
                miss(&g.url, "relation", or_dash(want), or_dash(got));
            }
        }
    }
    for (origin, got) in origin_checks(gold, predicted, &by_url) {
        let ok = got.as_deref() == Some(key(&origin).as_str());
        origins.add(ok);
        if !ok {
            miss(&origin, "origin", key(&origin), or_dash(got.as_deref()));
        }
    }
    CorpusScore {
        stories: cluster_score(&g_labels, &p_labels),
        roles,
        parents,
        relations,
        origins,
        mismatches,
    }
}

/// For each gold story of two or more articles with a known origin: the
/// gold origin URL and the (canonical) origin URL of the predicted story
/// holding most of its articles (ties: the one holding the gold origin,
/// then the smallest id), `None` when there is no such story or it has no
/// origin.
fn origin_checks(
    gold: &GoldCorpus,
    predicted: &[PredictedArticle],
    by_url: &HashMap<String, &PredictedArticle>,
) -> Vec<(String, Option<String>)> {
    let mut members: BTreeMap<&str, Vec<&GoldArticle>> = BTreeMap::new();
    for g in gold.articles.iter().filter(|g| g.role != "unrelated") {
        members.entry(g.story.as_str()).or_default().push(g);
    }
    let declared: HashMap<&str, &str> = gold
        .stories
        .iter()
        .filter_map(|s| Some((s.id.as_str(), s.origin.as_deref()?)))
        .collect();
    // The first predicted origin of each predicted story.
    let mut story_origin: HashMap<&str, String> = HashMap::new();
    for p in predicted.iter().filter(|p| p.role == "origin") {
        story_origin
            .entry(p.story.as_str())
            .or_insert_with(|| key(&p.url));
    }
    let mut out = Vec::new();
    for (story, arts) in members.iter().filter(|(_, a)| a.len() >= 2) {
        let origin = declared.get(story).map(|o| o.to_string()).or_else(|| {
            arts.iter()
                .find(|g| g.role == "origin")
                .map(|g| g.url.clone())
        });
        let Some(origin) = origin else { continue };
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for g in arts {
            if let Some(p) = by_url.get(&key(&g.url)) {
                *counts.entry(p.story.as_str()).or_default() += 1;
            }
        }
        let holds_origin = by_url.get(&key(&origin)).map(|p| p.story.as_str());
        let best = counts
            .iter()
            .max_by(|a, b| {
                (a.1, holds_origin == Some(*a.0))
                    .cmp(&(b.1, holds_origin == Some(*b.0)))
                    // Smallest id wins a full tie (max_by keeps the last).
                    .then_with(|| b.0.cmp(a.0))
            })
            .map(|(s, _)| *s);
        out.push((origin, best.and_then(|s| story_origin.get(s).cloned())));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOLD: &str = r#"{"schema": "retold-gold/1",
        "stories": [
            {"id": "s", "origin": "https://a.example/1"},
            {"id": "x", "origin": "https://d.example/1", "unrelated": true}
        ],
        "articles": [
            {"url": "https://a.example/1", "story": "s", "role": "origin"},
            {"url": "https://b.example/1", "story": "s", "role": "derived", "parent": "https://a.example/1", "relation": "copy"},
            {"url": "https://c.example/1", "story": "s", "role": "independent", "parent": null, "relation": "same_story"},
            {"url": "https://d.example/1", "story": "x", "role": "unrelated"}
        ]}"#;

    fn gold() -> GoldCorpus {
        serde_json::from_str(GOLD).expect("test gold parses")
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

    fn perfect() -> Vec<PredictedArticle> {
        vec![
            // Trailing slash and a tracking parameter still match.
            p(
                "https://a.example/1/?utm_source=x",
                "1",
                "origin",
                None,
                None,
            ),
            p(
                "https://b.example/1",
                "1",
                "derived",
                Some("https://a.example/1/"),
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
        ]
    }

    #[test]
    fn a_perfect_prediction_scores_full_marks() {
        let s = score(&gold(), &perfect());
        assert_eq!(s.stories.bcubed_f1, 1.0);
        assert_eq!(s.stories.gold_clusters, 2);
        assert_eq!((s.roles.right, s.roles.total), (3, 3));
        assert_eq!((s.parents.right, s.parents.total), (1, 1));
        assert_eq!((s.relations.right, s.relations.total), (1, 1));
        assert_eq!((s.origins.right, s.origins.total), (1, 1));
        assert_eq!(s.roles.accuracy(), Some(1.0));
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
        // The missing independent report counts as a wrong role.
        assert_eq!((s.roles.right, s.roles.total), (2, 3));
        assert_eq!((s.parents.right, s.relations.right), (0, 0));
        // d joined the story: precision drops; c is a cluster of its own.
        assert!(s.stories.bcubed_precision < 1.0);
        assert_eq!(s.stories.predicted_clusters, 2);
    }

    #[test]
    fn a_missing_derived_article_is_wrong_everywhere() {
        let mut got = perfect();
        got.remove(1);
        let s = score(&gold(), &got);
        assert_eq!((s.roles.right, s.roles.total), (2, 3));
        assert_eq!((s.parents.right, s.parents.total), (0, 1));
        assert_eq!((s.relations.right, s.relations.total), (0, 1));
        assert!(s.stories.bcubed_recall < 1.0);
    }

    #[test]
    fn origin_is_that_of_the_story_holding_most_articles() {
        // The story is split: b and c together under b (wrong origin),
        // a alone. The majority story's origin is b.
        let got = [
            p("https://a.example/1", "1", "origin", None, None),
            p("https://b.example/1", "2", "origin", None, None),
            p(
                "https://c.example/1",
                "2",
                "independent",
                None,
                Some("same_story"),
            ),
            p("https://d.example/1", "3", "origin", None, None),
        ];
        let s = score(&gold(), &got);
        assert_eq!((s.origins.right, s.origins.total), (0, 1));
        let m = s.mismatches.iter().find(|m| m.field == "origin");
        assert_eq!(m.map(|m| m.got.as_str()), Some("https://b.example/1"));
        // A tie (one each) goes to the story holding the gold origin.
        let got = [
            p("https://a.example/1", "1", "origin", None, None),
            p("https://b.example/1", "2", "origin", None, None),
            p("https://d.example/1", "3", "origin", None, None),
        ];
        let s = score(&gold(), &got);
        assert_eq!((s.origins.right, s.origins.total), (1, 1));
    }

    #[test]
    fn unrelated_articles_are_scored_only_as_clusters() {
        let mut got = perfect();
        got[3].role = "independent".into();
        let s = score(&gold(), &got);
        assert!(s.mismatches.is_empty(), "{:?}", s.mismatches);
        // The same gold story id on an unrelated article does not join it.
        let g: GoldCorpus =
            serde_json::from_str(&GOLD.replace(r#""story": "x""#, r#""story": "s""#))
                .expect("test gold parses");
        let s = score(&g, &perfect());
        assert_eq!(s.stories.bcubed_f1, 1.0);
    }

    #[test]
    fn accuracy_is_serialized_and_null_when_nothing_was_asked() {
        let s = score(&gold(), &perfect());
        let v = serde_json::to_value(&s).expect("serializes");
        assert_eq!(v["roles"]["accuracy"], 1.0);
        let empty = serde_json::to_value(Tally::default()).expect("serializes");
        assert!(empty["accuracy"].is_null());
    }

    #[test]
    fn load_names_the_file_and_checks_the_schema() {
        let dir = std::env::temp_dir().join(format!("retold-gold-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let good = dir.join("gold.json");
        std::fs::write(&good, GOLD).expect("write");
        assert_eq!(
            GoldCorpus::load(&good).map(|g| g.articles.len()).ok(),
            Some(4)
        );
        let other = dir.join("other.json");
        std::fs::write(&other, GOLD.replace("retold-gold/1", "retold-gold/9")).expect("write");
        let e = GoldCorpus::load(&other)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("other.json") && e.contains("retold-gold/9"),
            "{e}"
        );
        let bad = dir.join("bad.json");
        std::fs::write(&bad, "{").expect("write");
        let e = GoldCorpus::load(&bad).map(|_| ()).unwrap_err().to_string();
        assert!(
            e.contains("bad.json") && e.contains("not a gold file"),
            "{e}"
        );
        let e = GoldCorpus::load(&dir.join("absent.json"))
            .map(|_| ())
            .unwrap_err();
        assert!(matches!(e, GoldError::Read { .. }) && e.to_string().contains("absent.json"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
