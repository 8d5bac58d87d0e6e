//! An undated pile of one story (tests/fixtures/undated-pile): the original
//! report (which names itself: "she told the Dunmere Ledger"), a spun copy of
//! it (garbled names, altered numbers, a swapped platform name, the Ledger's
//! image URL and "Source link"), a rewrite that ends "SOURCE: DUNMERE
//! LEDGER", and two independent reports. The tree must not depend on the
//! input order: every one of the 120 orders gives the same origin, parents
//! and relations, and says what decided them.

use std::collections::BTreeMap;
use std::path::Path;

use retold_core::article::{Article, ArticleDraft, Origin};
use retold_core::relate::Relation;
use retold_core::story::{Basis, DirectionStatus, Engine, EngineConfig, Role};

const FILES: [&str; 5] = [
    "ledger-report",
    "spun-copy",
    "credited-rewrite",
    "radio-report",
    "weekly-report",
];

fn pile() -> Vec<Article> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/undated-pile");
    FILES
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(dir.join(format!("{f}.txt"))).expect("fixture");
            ArticleDraft {
                id: Some(f.to_string()),
                text,
                ..Default::default()
            }
            .finish(Origin::whole(*f))
            .expect("article")
        })
        .collect()
}

/// Every order of `0..n`.
fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for p in permutations(n - 1) {
        for at in 0..=p.len() {
            let mut q = p.clone();
            q.insert(at, n - 1);
            out.push(q);
        }
    }
    out
}

type Tree = BTreeMap<
    String,
    (
        Role,
        Option<String>,
        Option<Relation>,
        Option<DirectionStatus>,
        Vec<Basis>,
    ),
>;

fn tree(articles: Vec<Article>) -> (String, Tree) {
    let mut engine = Engine::new(EngineConfig::default());
    engine.add_all(articles, &|_| {});
    let stories = engine.stories();
    assert_eq!(stories.len(), 1, "{stories:#?}");
    let s = &stories[0];
    let t = s
        .members
        .iter()
        .map(|m| {
            (
                m.article.clone(),
                (
                    m.role,
                    m.parent.clone(),
                    m.relation,
                    m.direction,
                    m.direction_basis.clone(),
                ),
            )
        })
        .collect();
    (s.origin.clone(), t)
}

#[test]
fn the_spun_copy_first_does_not_make_it_the_origin() {
    let articles = pile();
    // The spun copy first, as in the report of the bug.
    let order = [1, 0, 2, 3, 4].map(|k| articles[k].clone()).to_vec();
    let (origin, t) = tree(order);
    println!("{t:#?}");
    assert_eq!(origin, "ledger-report");
    let spun = &t["spun-copy"];
    assert_eq!(spun.0, Role::Derived);
    assert_eq!(spun.1.as_deref(), Some("ledger-report"));
    assert_eq!(spun.2, Some(Relation::Spun));
    assert_eq!(spun.3, Some(DirectionStatus::Known));
    let rewrite = &t["credited-rewrite"];
    assert_eq!(rewrite.0, Role::Derived);
    assert_eq!(rewrite.1.as_deref(), Some("ledger-report"));
    assert_eq!(rewrite.2, Some(Relation::Rewrite));
    assert_eq!(
        (rewrite.3, rewrite.4.as_slice()),
        (Some(DirectionStatus::Known), &[Basis::Attribution][..])
    );
    for r in ["radio-report", "weekly-report"] {
        assert_eq!(t[r].0, Role::Independent, "{r}");
    }
    assert_eq!(t["ledger-report"].0, Role::Origin);
    assert_eq!(t["ledger-report"].3, Some(DirectionStatus::Known));
}

#[test]
fn every_input_order_gives_the_same_tree() {
    let articles = pile();
    let first = tree(articles.clone());
    assert_eq!(first.0, "ledger-report");
    let parent = |id: &str| first.1[id].1.as_deref();
    assert_eq!(parent("spun-copy"), Some("ledger-report"));
    assert_eq!(parent("credited-rewrite"), Some("ledger-report"));
    assert_eq!(first.1["spun-copy"].2, Some(Relation::Spun));
    assert_eq!(first.1["radio-report"].0, Role::Independent);
    assert_eq!(first.1["weekly-report"].0, Role::Independent);
    let limit: usize = std::env::var("UNDATED_PILE_PERMUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    for p in permutations(articles.len()).into_iter().take(limit) {
        let order: Vec<Article> = p.iter().map(|&k| articles[k].clone()).collect();
        let got = tree(order);
        assert_eq!(got, first, "order {p:?}");
    }
}

/// The pile renders as the HTML report: all five versions, the spun copy
/// and the credited rewrite under the original with what decided their
/// direction, both independent reports, and no input order claimed as a
/// date.
#[test]
fn the_pile_renders_as_a_report() {
    use retold_core::ingest::Batch;
    use retold_core::report::{html, Analysis};
    let articles = pile();
    let mut engine = Engine::new(EngineConfig::default());
    engine.add_all(articles.clone(), &|_| {});
    let batch = Batch {
        articles,
        skipped: Vec::new(),
        warnings: Vec::new(),
        inputs: FILES.len(),
    };
    let analysis = Analysis::with_engine(&batch, engine.stories(), &engine, true);
    let page = html::render(&analysis).expect("render");
    for f in FILES {
        assert!(page.contains(f), "{f} missing from the page");
    }
    let story = &analysis.stories[0];
    assert_eq!(story.story.origin, "ledger-report");
    assert_eq!(story.story.articles.len(), 5);
    // The direction of each derived version is said, by attribution or
    // by the garbling, never by an input order.
    assert!(
        page.contains("direction: attribution"),
        "no attribution basis shown"
    );
    assert!(!page.contains("direction: published"));
    assert!(page.contains(">spun<") && page.contains(">rewrite<"));
    assert_eq!(page.matches(">independent<").count(), 2);
}
