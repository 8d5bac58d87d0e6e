//! The example corpus read end to end and checked against its gold labels.

mod common;

use common::{load, GoldArticle};

use std::collections::{BTreeSet, HashMap};

use retold_core::article::{canonical_url, Article};

fn by_url(articles: &[Article]) -> HashMap<String, &Article> {
    articles
        .iter()
        .filter_map(|a| a.url.clone().map(|u| (u, a)))
        .collect()
}

#[test]
fn every_gold_article_is_read_once_from_its_file() {
    let (articles, gold) = load();
    let index = by_url(&articles);
    assert_eq!(
        index.len(),
        articles.len(),
        "every article has a distinct URL"
    );
    assert_eq!(
        articles.len(),
        gold.articles.len(),
        "no article without gold, no gold without article"
    );
    for g in &gold.articles {
        let url = canonical_url(&g.url).unwrap();
        let a = index
            .get(&url)
            .unwrap_or_else(|| panic!("gold article {url} was not read"));
        let file = g.file.trim_end_matches(".gz");
        assert!(
            a.origin
                .path
                .replace('\\', "/")
                .contains(file.trim_end_matches(".gz")),
            "{url} read from {} but gold says {}",
            a.origin.path,
            g.file
        );
        assert!(
            a.text.split_whitespace().count() >= 40,
            "{url} has too little text: {:?}",
            a.text
        );
        // Titles as gold has them (one text file deliberately has none).
        assert_eq!(a.title, g.title, "{url}");
    }
}

#[test]
fn dates_match_gold() {
    let (articles, gold) = load();
    let index = by_url(&articles);
    for g in &gold.articles {
        let a = index[&canonical_url(&g.url).unwrap()];
        match &g.published {
            Some(want) => {
                let want: jiff::Timestamp = want.parse().unwrap();
                assert_eq!(
                    a.published,
                    Some(want),
                    "{} raw {:?}",
                    g.url,
                    a.published_raw
                );
            }
            None => assert!(a.published.is_none(), "{} should be undated", g.url),
        }
    }
}

#[test]
fn languages_are_identified() {
    let (articles, _) = load();
    let langs: BTreeSet<&str> = articles
        .iter()
        .filter_map(|a| a.language.as_deref())
        .collect();
    assert!(
        langs.contains("de") && langs.contains("fr") && langs.contains("en"),
        "{langs:?}"
    );
    let english = articles
        .iter()
        .filter(|a| a.language.as_deref() == Some("en"))
        .count();
    assert_eq!(
        english,
        articles.len() - 3,
        "all but the two German and the French articles are English"
    );
}

#[test]
fn gold_is_consistent() {
    let (_, gold) = load();
    let story_of: HashMap<&str, &str> = gold
        .articles
        .iter()
        .map(|a| (a.url.as_str(), a.story.as_str()))
        .collect();
    let stories: BTreeSet<&str> = gold.stories.iter().map(|s| s.id.as_str()).collect();
    let mut derived_kinds: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for a in &gold.articles {
        assert!(
            stories.contains(a.story.as_str()),
            "{} names an unknown story",
            a.url
        );
        match a.role.as_str() {
            "derived" => {
                let p = a.parent.as_deref().expect("derived articles have a parent");
                assert_eq!(
                    story_of.get(p),
                    Some(&a.story.as_str()),
                    "{}: parent in the same story",
                    a.url
                );
                derived_kinds
                    .entry(&a.story)
                    .or_default()
                    .insert(a.relation.as_deref().unwrap());
            }
            "independent" => assert_eq!(a.relation.as_deref(), Some("same_story")),
            "origin" | "unrelated" => assert!(a.parent.is_none() && a.relation.is_none()),
            other => panic!("unknown role {other}"),
        }
    }
    // Each real story has every kind of derived version and an origin.
    let real_stories = gold.stories.iter().filter(|s| {
        gold.articles
            .iter()
            .any(|a| a.story == s.id && a.role == "origin")
    });
    for s in real_stories {
        assert!(s.origin.is_some(), "story {} names its origin", s.id);
        let kinds = &derived_kinds[s.id.as_str()];
        for k in ["duplicate", "copy", "rewrite", "spun", "excerpt"] {
            assert!(kinds.contains(k), "story {} lacks a {k}", s.id);
        }
        let independents = gold
            .articles
            .iter()
            .filter(|a| a.story == s.id && a.role == "independent")
            .count();
        assert!(
            independents >= 2,
            "story {} has {independents} independent reports",
            s.id
        );
    }
    assert!(
        gold.articles
            .iter()
            .filter(|a| a.role == "unrelated")
            .count()
            >= 10
    );
}

/// Candidate search on the corpus: every derived version finds its parent and
/// every independent report finds a member of its story, in publication order.
#[test]
fn candidates_find_every_derived_parent() {
    use retold_core::features::sketch::{SketchConfig, Sketcher};
    use retold_core::features::Features;
    use retold_core::index::{CandidateConfig, CandidateIndex};

    let (mut articles, gold) = load();
    // Publication order, undated last, as the story stage will process them.
    articles.sort_by_key(|a| (a.published.is_none(), a.published));
    let gold_of: HashMap<String, &GoldArticle> = gold
        .articles
        .iter()
        .map(|g| (canonical_url(&g.url).unwrap(), g))
        .collect();
    let mut sketcher = Sketcher::new(SketchConfig::default());
    let mut index = CandidateIndex::new(CandidateConfig {
        window_secs: None,
        ..Default::default()
    });
    let mut urls: Vec<String> = Vec::new();
    let mut found: HashMap<String, Vec<String>> = HashMap::new();
    for a in &articles {
        let doc = retold_core::text::analyze(&a.text, a.language.as_deref());
        let f = Features::compute(&doc, &mut sketcher);
        let url = a.url.clone().unwrap();
        let now = index.query(&f, a.published);
        if std::env::var_os("RETOLD_DEBUG").is_some() {
            for c in &now {
                eprintln!("{url} <- {} {:?}", urls[c.doc as usize], c.evidence);
            }
        }
        let hits: Vec<String> = now.iter().map(|c| urls[c.doc as usize].clone()).collect();
        // Candidates are symmetric: record both directions.
        for h in &hits {
            found.entry(h.clone()).or_default().push(url.clone());
        }
        found.entry(url.clone()).or_default().extend(hits);
        index.insert(&f, a.published);
        urls.push(url);
    }
    let mut cross_story = 0;
    for (url, g) in &gold_of {
        let hits = found.get(url).cloned().unwrap_or_default();
        match g.role.as_str() {
            // A translation is found across languages by the multilingual
            // model (story::cross), not by this lexical index.
            "derived" if g.relation.as_deref() == Some("translated") => {}
            "derived" => {
                let parent = canonical_url(g.parent.as_deref().unwrap()).unwrap();
                assert!(
                    hits.contains(&parent),
                    "{url} ({:?}) misses its parent {parent}; found {hits:?}",
                    g.relation
                );
            }
            "independent" => {
                assert!(
                    hits.iter().any(|h| gold_of[h].story == g.story),
                    "{url} finds nothing of its story; found {hits:?}"
                );
            }
            _ => {}
        }
        cross_story += hits.iter().filter(|h| gold_of[*h].story != g.story).count();
    }
    // Candidates may cross stories (the aligner decides), but not wholesale.
    assert!(
        cross_story <= 2 * gold.articles.len(),
        "{cross_story} cross-story candidate ends"
    );
}
