//! A long-running engine asked for its stories after every batch
//! (`Engine::stories_cached`, what `retold serve` does) gives exactly what a
//! fresh `Engine::stories` gives, and redoes the story-wide analyses only
//! for the stories a batch changed.

mod common;

use retold_core::article::{Article, ArticleDraft, Origin};
use retold_core::story::{Engine, EngineConfig, StoryCache};

#[test]
fn cached_stories_equal_fresh_ones_after_every_batch() {
    let (articles, _) = common::load();
    let mut engine = Engine::new(EngineConfig::default());
    let mut cache = StoryCache::default();
    let mut computed = Vec::new();
    let mut keys: std::collections::HashMap<String, u64> = Default::default();
    for chunk in articles.chunks(7) {
        engine.add_all(chunk.to_vec(), &|_| {});
        let cached = engine.stories_cached(&mut cache);
        assert_eq!(cached, engine.stories(), "after {} articles", engine.len());
        computed.push(cache.computed());
        // A story keeps its key while it is unchanged; the stories whose
        // key changed are the ones recomputed.
        let mut changed = 0;
        for s in &cached {
            let key = cache.key_of(&s.id);
            assert_eq!(key.is_some(), s.members.len() > 1, "{}", s.id);
            if let Some(k) = key {
                changed += usize::from(keys.insert(s.id.clone(), k) != Some(k));
            }
        }
        assert!(
            changed >= cache.computed(),
            "{changed} < {}",
            cache.computed()
        );
    }
    let multi = engine
        .stories()
        .iter()
        .filter(|s| s.members.len() > 1)
        .count();
    assert_eq!(
        cache.len(),
        multi,
        "one cache entry per story of two or more"
    );
    // Later batches touch a few stories, not all of them.
    let last = *computed.last().unwrap_or(&0);
    assert!(
        last < multi,
        "the last batch recomputed {last} of {multi} stories ({computed:?})"
    );
    // Nothing new: nothing recomputed.
    let again = engine.stories_cached(&mut cache);
    assert_eq!(cache.computed(), 0);
    assert_eq!(again, engine.stories());
}

fn page(id: &str, lines: &[&str]) -> Article {
    ArticleDraft {
        id: Some(id.into()),
        url: Some(format!("https://www.harbour-gazette.example/news/{id}")),
        text: lines.join("\n\n"),
        language: Some("en".into()),
        ..Default::default()
    }
    .finish(Origin::whole(id))
    .expect("article")
}

const FERRY: &[&str] = &[
    "The island ferry service will stop its night crossings from March, the operator Tessaly Lines said on Thursday.",
    "Fewer than forty passengers a night used the last two sailings over the winter, the company said.",
    "Councillor Brannock Hale said islanders who work late shifts on the mainland would be stranded.",
    "The operator said it would review the timetable again before the summer season.",
];

const LIBRARY: &[&str] = &[
    "The old harbour library will reopen next month after a two-year restoration of its roof and reading room.",
    "Volunteers catalogued more than twelve thousand books that had been stored in a warehouse.",
    "The reading room keeps its original oak shelves, restored by a local joiner.",
    "Opening hours will be longer on weekends than before the closure.",
];

const MARKET: &[&str] = &[
    "Stallholders at the Saturday fish market say a new parking charge has cut the number of shoppers by a third.",
    "The charge was introduced in January to pay for repairs to the quay wall.",
    "Traders asked the council for two free hours on market days.",
    "A decision is expected at the council's meeting next week.",
];

/// A page's lines: an image caption line, `body`, and a closing `tail`.
fn with(body: &[&str], tail: &str) -> Vec<String> {
    let mut l: Vec<String> = vec!["Image 1 of 4".into()];
    l.extend(body.iter().map(|s| s.to_string()));
    l.push(tail.into());
    l
}

/// A page's text: one paragraph a line, as extracted pages are (lines
/// one newline apart read as one hard-wrapped paragraph, where no line is
/// a line of its own and none can be furniture).
fn lines(v: &[String]) -> String {
    v.iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A line becomes page furniture when pages of the host that are not
/// versions of one text share it; the stories whose members carry it are
/// then analyzed without it, so their cached results must be redone.
#[test]
fn a_story_is_redone_when_its_pages_furniture_changes() {
    let mut engine = Engine::new(EngineConfig::default());
    let mut cache = StoryCache::default();
    let ferry = with(FERRY, "Share this story");
    engine.add(page("ferry", &[&lines(&ferry)]));
    engine.add(page("ferry-copy", &[&lines(&ferry)]));
    let before = engine.stories_cached(&mut cache);
    assert_eq!(cache.computed(), 1);
    // Two other stories of the same site carry the same template lines.
    engine.add(page(
        "library",
        &[&lines(&with(LIBRARY, "Share this story"))],
    ));
    engine.add(page("market", &[&lines(&with(MARKET, "Share this story"))]));
    let after = engine.stories_cached(&mut cache);
    assert_eq!(after, engine.stories());
    assert_eq!(
        cache.computed(),
        1,
        "the ferry story's pages lost their furniture lines: its results are redone"
    );
    assert_eq!(before.len() + 2, after.len());
}

/// The stories kept by number from [`Engine::stories_update`]: the
/// changed ones replaced, the gone ones dropped, in the order
/// [`Engine::stories`] gives them.
fn apply(
    kept: &mut std::collections::BTreeMap<usize, retold_core::story::Story>,
    update: retold_core::story::StoryUpdate,
) -> Vec<retold_core::story::Story> {
    if update.all {
        kept.clear();
    }
    for s in &update.gone {
        kept.remove(s);
    }
    kept.extend(update.changed);
    let mut out: Vec<_> = kept.values().cloned().collect();
    out.sort_by(|x, y| y.members.len().cmp(&x.members.len()).then(x.id.cmp(&y.id)));
    out
}

/// A service keeps the stories a batch did not change from one snapshot
/// to the next: what it keeps plus what the update made again must be
/// what a fresh `stories()` gives after every batch, including stories
/// that changed without one of their articles in the batch (a merge, a
/// re-rooting, furniture), which this corpus has.
#[test]
fn stories_kept_between_updates_equal_fresh_ones_after_every_batch() {
    let (articles, _) = common::load();
    for size in [5, 9] {
        let mut engine = Engine::new(EngineConfig::default());
        let mut cache = StoryCache::default();
        let mut kept = std::collections::BTreeMap::new();
        let mut before: Vec<retold_core::story::Story> = Vec::new();
        let (mut outside, mut merged) = (0, 0);
        for (n, chunk) in articles.chunks(size).enumerate() {
            engine.add_all(chunk.to_vec(), &|_| {});
            let update = engine.stories_update(&mut cache);
            assert_eq!(update.all, n == 0);
            merged += update.gone.len();
            let made = update.changed.len();
            let now = apply(&mut kept, update);
            let fresh = engine.stories();
            assert_eq!(
                now,
                fresh,
                "batch {n} of {size}: after {} articles",
                engine.len()
            );
            // Stories that changed though no article of theirs was in the batch.
            let batch: std::collections::HashSet<&str> =
                chunk.iter().map(|a| a.id.as_str()).collect();
            outside += fresh
                .iter()
                .filter(|s| !s.articles.iter().any(|a| batch.contains(a.as_str())))
                .filter(|s| !before.contains(s))
                .count();
            if n > 0 {
                assert!(
                    made < fresh.len(),
                    "batch {n}: all {made} stories made again"
                );
            }
            before = fresh;
        }
        // (This corpus in these batches may have no story that changes
        // without an article of its own in the batch; the merge test in
        // `story/merge.rs` and the furniture test below have one.)
        eprintln!("batches of {size}: {merged} merged away, {outside} changed outside the batch");
        // Nothing new: nothing made again.
        let update = engine.stories_update(&mut cache);
        assert!(!update.all && update.gone.is_empty());
        assert_eq!(cache.computed(), 0);
    }
}

/// A line every page of the site carries, a quote.
const TAIL: &str =
    "\"We read every letter and answer most of them,\" the paper's editor Wilma Strand said.";

/// A story none of whose pages is in a batch may change when the batch
/// makes lines of its site furniture (its texts are analyzed without
/// them): the update makes it again.
#[test]
fn an_update_makes_again_a_story_whose_pages_furniture_changed() {
    let mut engine = Engine::new(EngineConfig::default());
    let mut cache = StoryCache::default();
    let mut kept = std::collections::BTreeMap::new();
    let ferry = with(FERRY, TAIL);
    engine.add_all(
        vec![
            page("ferry", &[&lines(&ferry)]),
            page(
                "ferry-copy",
                &[&lines(&ferry).replace("answer most", "answer nearly all")],
            ),
        ],
        &|_| {},
    );
    apply(&mut kept, engine.stories_update(&mut cache));
    engine.add_all(
        vec![
            page("library", &[&lines(&with(LIBRARY, TAIL))]),
            page("market", &[&lines(&with(MARKET, TAIL))]),
        ],
        &|_| {},
    );
    let update = engine.stories_update(&mut cache);
    let ferry_of = |stories: &[retold_core::story::Story]| {
        stories
            .iter()
            .find(|s| s.articles.contains(&"ferry".to_string()))
            .cloned()
    };
    let was = ferry_of(&kept.values().cloned().collect::<Vec<_>>());
    let ferry_story = kept
        .iter()
        .find(|(_, s)| s.articles.contains(&"ferry".to_string()))
        .map(|(&n, _)| n);
    assert!(
        update.changed.iter().any(|(n, _)| Some(*n) == ferry_story),
        "the ferry story's pages lost furniture lines: it is made again"
    );
    let now = apply(&mut kept, update);
    assert_eq!(now, engine.stories());
    assert!(was.is_some() && ferry_of(&now).is_some());
}

/// The story links between a story's reports (`divergence::story_links`):
/// each report after the first with up to `MAX_REPORT_PEERS` of the
/// earliest ones.
fn report_links(s: &retold_core::story::Story) -> usize {
    let reports = s.members.iter().filter(|m| m.parent.is_none()).count();
    (0..reports)
        .map(|i| i.min(retold_core::story::divergence::MAX_REPORT_PEERS))
        .sum()
}

/// A story that gains a member has its story-wide analyses made again,
/// but the links between its reports that were there before are not
/// aligned again (their texts read the same): the update aligns fewer
/// links than the story has, and its stories are what a fresh
/// `stories()` gives.
#[test]
fn a_story_that_gains_a_member_keeps_the_alignments_of_its_other_links() {
    let (articles, _) = common::load();
    // The story with the most reports over the whole corpus, and its
    // latest derived member (placed last, it links only to its parent).
    let mut whole = Engine::new(EngineConfig::default());
    whole.add_all(articles.clone(), &|_| {});
    let stories = whole.stories();
    let story = stories
        .iter()
        .max_by_key(|s| (report_links(s), s.members.len()))
        .expect("a story");
    assert!(report_links(story) >= 3, "{}", report_links(story));
    let late = story
        .members
        .iter()
        .rev()
        .find(|m| {
            m.parent.is_some()
                && !story
                    .members
                    .iter()
                    .any(|o| o.parent == Some(m.article.clone()))
        })
        .map(|m| m.article.clone())
        .expect("a derived member without children");
    let (rest, held): (Vec<Article>, Vec<Article>) =
        articles.into_iter().partition(|a| a.id != late);
    let mut engine = Engine::new(EngineConfig::default());
    let mut cache = StoryCache::default();
    engine.add_all(rest, &|_| {});
    let first = engine.stories_update(&mut cache);
    assert!(first.all);
    assert!(cache.links_aligned() > 0);
    engine.add_all(held, &|_| {});
    let update = engine.stories_update(&mut cache);
    let grown = update
        .changed
        .iter()
        .find(|(_, s)| s.articles.contains(&late))
        .map(|(_, s)| s.clone())
        .expect("the story that gained the held member is made again");
    assert!(
        cache.links_aligned() < report_links(&grown),
        "{} links aligned again, the story has {} between reports",
        cache.links_aligned(),
        report_links(&grown)
    );
    let mut kept = std::collections::BTreeMap::new();
    apply(&mut kept, first);
    assert_eq!(apply(&mut kept, update), engine.stories());
}
