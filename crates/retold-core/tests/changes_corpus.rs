//! Change detection on the example corpus: every derived version against
//! its gold parent, matched with the changes planted in gold.json.
//!
//! `cargo test -p retold-core --test changes_corpus -- --nocapture` prints
//! the table docs/QUALITY.md quotes, and every miss.

mod common;

use std::collections::{BTreeMap, HashMap};

use retold_core::align::{align, AlignConfig};
use retold_core::article::Article;
use retold_core::changes::{changes, Change};
use retold_core::relate::Relation;
use retold_core::text::analyze;
use serde::Deserialize;

#[derive(Deserialize)]
struct GoldChanges {
    articles: Vec<GoldArticle>,
}

#[derive(Deserialize)]
struct GoldArticle {
    url: String,
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    relation: Option<String>,
    #[serde(default)]
    changes: Vec<GoldChange>,
}

#[derive(Deserialize)]
struct GoldChange {
    kind: String,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

const KINDS: [&str; 8] = [
    "name_variant",
    "number_changed",
    "quote_altered",
    "attribution_changed",
    "negation_flipped",
    "sentence_added",
    "sentence_dropped",
    "sentences_reordered",
];

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// One text holds the other (normalized), or they share a long enough run.
fn overlaps(a: &str, b: &str) -> bool {
    let (a, b) = (norm(a), norm(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    a.contains(&b) || b.contains(&a) || {
        let head: String = b.split_whitespace().take(5).collect::<Vec<_>>().join(" ");
        head.split_whitespace().count() >= 3 && a.contains(&head)
    }
}

fn matches(g: &GoldChange, c: &Change) -> bool {
    if c.kind.name() != g.kind {
        return false;
    }
    let p = c.parent.as_ref().map_or("", |e| e.text.as_str());
    let ch = c.child.as_ref().map_or("", |e| e.text.as_str());
    match (&g.from, &g.to, &g.text) {
        (Some(f), Some(t), _) => overlaps(p, f) || overlaps(ch, t),
        (_, _, Some(t)) => overlaps(p, t) || overlaps(ch, t),
        _ => false,
    }
}

#[test]
fn planted_changes_are_found() {
    let (articles, _) = common::load();
    let gold: GoldChanges = serde_json::from_str(
        &std::fs::read_to_string(common::corpus_dir().join("gold.json")).expect("gold.json"),
    )
    .expect("gold.json parses");
    let by_url: HashMap<String, &Article> = articles
        .iter()
        .filter_map(|a| Some((common::key(a.url.as_deref()?), a)))
        .collect();
    // kind → (gold, found, reported, reported that match gold)
    let mut table: BTreeMap<&str, [usize; 4]> = KINDS.iter().map(|k| (*k, [0; 4])).collect();
    let mut misses = Vec::new();
    let mut extra = Vec::new();
    for g in &gold.articles {
        let (Some(pu), Some(rel)) = (
            &g.parent,
            g.relation.as_deref().and_then(Relation::from_name),
        ) else {
            continue;
        };
        let (Some(child), Some(parent)) = (
            by_url.get(&common::key(&g.url)),
            by_url.get(&common::key(pu)),
        ) else {
            continue;
        };
        let (dc, dp) = (
            analyze(&child.text, child.language.as_deref()),
            analyze(&parent.text, parent.language.as_deref()),
        );
        let found = changes(&dc, &dp, &align(&dc, &dp, &AlignConfig::default()), rel);
        for gc in g
            .changes
            .iter()
            .filter(|c| KINDS.contains(&c.kind.as_str()))
        {
            let row = table.get_mut(gc.kind.as_str()).expect("kind");
            row[0] += 1;
            if found.iter().any(|c| matches(gc, c)) {
                row[1] += 1;
            } else {
                misses.push(format!(
                    "{} {}: {:?} / {:?} / {:?}",
                    child.id, gc.kind, gc.from, gc.to, gc.text
                ));
            }
        }
        for c in &found {
            let row = table.get_mut(c.kind.name()).expect("kind");
            row[2] += 1;
            if g.changes.iter().any(|gc| matches(gc, c)) {
                row[3] += 1;
            } else {
                extra.push(format!(
                    "{} {} ({rel}): {:?} -> {:?}",
                    child.id,
                    c.kind.name(),
                    c.parent.as_ref().map(|e| &e.text),
                    c.child.as_ref().map(|e| &e.text)
                ));
            }
        }
    }
    println!("kind                 gold found  recall  reported  precision");
    for (k, [g, f, r, rm]) in &table {
        let recall = if *g == 0 {
            f64::NAN
        } else {
            *f as f64 / *g as f64
        };
        let precision = if *r == 0 {
            f64::NAN
        } else {
            *rm as f64 / *r as f64
        };
        println!("{k:<20} {g:>4} {f:>5}  {recall:>6.2}  {r:>8}  {precision:>9.2}");
    }
    println!("missed: {misses:#?}");
    println!("reported, not in gold: {extra:#?}");
    let row = |k: &str| table[k];
    // Floors at what this version reaches; they catch regressions.
    let recall = |k: &str| row(k)[1] as f64 / row(k)[0].max(1) as f64;
    assert!(recall("name_variant") >= 0.6, "{:?}", row("name_variant"));
    assert!(
        recall("number_changed") >= 0.6,
        "{:?}",
        row("number_changed")
    );
    assert!(
        recall("negation_flipped") >= 1.0,
        "{:?}",
        row("negation_flipped")
    );
    assert!(
        recall("sentence_added") >= 0.5,
        "{:?}",
        row("sentence_added")
    );
}
