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

/// The weekly report was written as an independent report of the Ledger's
/// story. It shares 6% of its phrasing 3-grams with the Ledger's report
/// (outside names, numbers and quotations: "who advised the council on the
/// programme, said", "at its meeting on"), about the 98th percentile of the
/// English independent pairs the wording node's background is read from
/// (the 95th, the threshold, is 3.4%). So it reads as partially derived by
/// its wording alone: a false positive, measured and accepted for the
/// recall the cased-script background buys on newsroom reuse (QUALITY.md,
/// "English newsroom reuse of our own"). What must hold either way: it is
/// not the origin and no version's parent, and when it is derived, the
/// tree says that nothing tells its direction, rather than taking the
/// input order for one.
fn weekly_is_independent_or_said_to_rest_on_wording(t: &Tree) {
    let (role, _, relation, direction, _) = &t["weekly-report"];
    match role {
        Role::Independent => {}
        Role::Derived => {
            assert_eq!(*relation, Some(Relation::Rewrite), "{t:#?}");
            assert_eq!(*direction, Some(DirectionStatus::Unknown), "{t:#?}");
        }
        Role::Origin => panic!("the weekly report is the origin: {t:#?}"),
    }
    assert!(
        t.values().all(|m| m.1.as_deref() != Some("weekly-report")),
        "{t:#?}"
    );
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
    assert_eq!(t["radio-report"].0, Role::Independent);
    weekly_is_independent_or_said_to_rest_on_wording(&t);
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
    weekly_is_independent_or_said_to_rest_on_wording(&first.1);
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
/// direction, the independent reports (the radio report; the weekly
/// report unless it reads as derived by its wording, see above), and no
/// input order claimed as a date.
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
    let weekly = story
        .story
        .member("weekly-report")
        .expect("the weekly report");
    let independent = 1 + usize::from(weekly.role == Role::Independent);
    assert_eq!(page.matches(">independent<").count(), independent);
}

/// The three English reuse sets of the repository (`examples/reuse-en*`:
/// wire stories, the agency's later takes, newspaper texts made from them
/// and reports of their own), 255 articles, with every date taken off.
fn reuse_pile() -> Vec<Article> {
    reuse_sets()
        .into_iter()
        .map(|mut a| {
            a.published = None;
            a
        })
        .collect()
}

/// The three English reuse sets as they are, every article dated.
fn reuse_sets() -> Vec<Article> {
    use retold_core::ingest::{read_all, IngestOptions};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let paths: Vec<_> = ["reuse-en", "reuse-en-2", "reuse-en-3"]
        .iter()
        .map(|d| root.join(d).join("articles.jsonl"))
        .collect();
    let batch = read_all(&paths, &IngestOptions::default(), &|_| {}).expect("the reuse sets");
    assert!(batch.skipped.is_empty(), "{:?}", batch.skipped);
    assert!(batch.articles.iter().all(|a| a.published.is_some()));
    batch.articles
}

/// A fixed shuffle (a linear congruential generator), so the test needs
/// no random source and fails the same way every run.
fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut v = items.to_vec();
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    for i in (1..v.len()).rev() {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = ((state >> 33) % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
    v
}

/// At corpus scale too: a batch of undated articles is placed longest text
/// first, then by the text's hash (`publication_order`), never in input
/// order, so every story, member, parent, relation, confidence and piece of
/// evidence is the same whatever order the pile comes in. Placed in input
/// order, the trees moved with it: COUNTER's 423 derived articles had their
/// source found for 277 to 303 of them over six orders (QUALITY.md, "The
/// same pile in another order").
#[test]
fn a_large_undated_pile_gives_the_same_stories_in_any_order() {
    let pile = reuse_pile();
    assert!(pile.len() >= 250, "{}", pile.len());
    same_stories_in_any_order(&pile, &[1]);
}

/// `pile` in its order, reversed and shuffled with each of `seeds` gives
/// the same stories (at least 20 of them).
fn same_stories_in_any_order(pile: &[Article], seeds: &[u64]) {
    let stories = |articles: Vec<Article>| {
        let mut engine = Engine::new(EngineConfig::default());
        engine.add_all(articles, &|_| {});
        engine.stories()
    };
    let first = stories(pile.to_vec());
    assert!(first.len() >= 20, "{}", first.len());
    let mut reversed = pile.to_vec();
    reversed.reverse();
    assert!(stories(reversed) == first, "reversed: other stories");
    for &seed in seeds {
        assert!(
            stories(shuffled(pile, seed)) == first,
            "shuffle {seed}: other stories"
        );
    }
}

/// A pile of dated and undated articles, as a crawl of web pages is (151
/// of the 181 pages of the article-extraction benchmark carry a date):
/// the undated ones go after every dated one, longest first, whatever the
/// input order. Placed with the dated article before them in the input,
/// they met other texts first in each order, and the stories moved with it
/// (on those 181 pages, a file-name order and its reverse gave a different
/// origin to three stories and a member more to one).
#[test]
fn a_pile_of_dated_and_undated_articles_gives_the_same_stories_in_any_order() {
    // Every third article of the file keeps its date.
    let pile: Vec<Article> = reuse_sets()
        .into_iter()
        .enumerate()
        .map(|(k, mut a)| {
            if k % 3 != 0 {
                a.published = None;
            }
            a
        })
        .collect();
    same_stories_in_any_order(&pile, &[1, 2]);
}
