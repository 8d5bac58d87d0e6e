//! Tests of the whole aligner on hand-made texts.

use super::*;
use crate::text::analyze;

const STORY: [&str; 8] = [
    "The river burst its banks early on Sunday after three days of rain.",
    "About 300 homes were flooded in the old town, the fire service said.",
    "Mayor Ines Okafor asked residents to boil their drinking water.",
    "The army sent forty boats to evacuate people from the lower districts.",
    "Power lines were cut across the valley and 12,000 households lost electricity.",
    "Schools will stay closed until Friday, the education office announced.",
    "Insurers expect claims to pass two million euros.",
    "Forecasters warned that more rain could fall on Tuesday.",
];

const OTHER: [&str; 4] = [
    "Stock markets in Asia closed higher on strong export figures.",
    "The chess championship ended in a draw after seven hours of play.",
    "A new museum of modern design opened its doors in the harbour district.",
    "The central bank left interest rates unchanged for the fifth month.",
];

fn doc(sentences: &[&str]) -> TextDoc {
    analyze(&sentences.join(" "), Some("en"))
}

fn spans(al: &Alignment) -> Vec<(Range<usize>, Range<usize>)> {
    al.pairs
        .iter()
        .map(|p| (p.a.clone(), p.b.clone()))
        .collect()
}

#[test]
fn a_verbatim_copy_aligns_completely() {
    let (a, b) = (doc(&STORY), doc(&STORY));
    let al = align(&a, &b, &AlignConfig::default());
    assert_eq!(al.pairs.len(), 8);
    let s = al.summary;
    assert_eq!(s.coverage_a.sentences, 1.0);
    assert_eq!(s.coverage_b.chars, 1.0);
    assert_eq!(s.exact_share, 1.0);
    assert_eq!(s.mean_similarity, 1.0);
    assert_eq!(s.order_agreement, Some(1.0));
    assert_eq!(s.longest_run, 8);
    assert_eq!(s.moved_pairs, 0);
    assert_eq!(al.passages.len(), 1);
    assert_eq!(
        al.passages[0].a.clean,
        Span {
            start: 0,
            end: a.clean.len()
        }
    );
}

#[test]
fn unrelated_texts_do_not_align() {
    let al = align(&doc(&STORY), &doc(&OTHER), &AlignConfig::default());
    assert!(al.pairs.is_empty(), "{:?}", spans(&al));
    assert!(al.passages.is_empty());
    assert_eq!(al.summary.coverage_a.chars, 0.0);
    assert_eq!(al.summary.order_agreement, None);
    // Nor do empty ones.
    let al = align(&doc(&[]), &doc(&STORY), &AlignConfig::default());
    assert!(al.pairs.is_empty());
    assert_eq!(al.summary.a_sentences, 0);
}

#[test]
fn an_excerpt_inside_other_news_is_one_passage_with_partial_coverage() {
    let a = doc(&STORY);
    let mut parts: Vec<&str> = OTHER[..2].to_vec();
    parts.extend(&STORY[2..6]);
    parts.extend(&OTHER[2..]);
    let b = doc(&parts);
    let al = align(&a, &b, &AlignConfig::default());
    assert_eq!(
        spans(&al),
        [(2..3, 2..3), (3..4, 3..4), (4..5, 4..5), (5..6, 5..6)]
    );
    assert_eq!(al.summary.coverage_a.sentences, 0.5);
    assert!((al.summary.coverage_b.sentences - 0.5).abs() < 1e-9);
    assert_eq!(al.passages.len(), 1);
    let p = &al.passages[0];
    assert_eq!((p.a.sentences.clone(), p.b.sentences.clone()), (2..6, 2..6));
    assert_eq!(b.text(p.b.clean), STORY[2..6].join(" "));
}

#[test]
fn a_moved_paragraph_is_found_and_marked() {
    let a = doc(&STORY);
    // The last three sentences moved to the top.
    let mut moved: Vec<&str> = STORY[5..].to_vec();
    moved.extend(&STORY[..5]);
    let b = doc(&moved);
    let al = align(&a, &b, &AlignConfig::default());
    assert_eq!(al.pairs.len(), 8, "{:?}", spans(&al));
    assert_eq!(al.summary.moved_pairs, 3);
    // Every sentence's nearest partner is its own copy, moved or not.
    for (i, n) in al.nearest_in_b.iter().enumerate() {
        let want = if i >= 5 { i - 5 } else { i + 3 };
        assert_eq!(n.map(|n| (n.sentence, n.score)), Some((want, 1.0)));
    }
    assert_eq!(al.nearest_in_a.len(), 8);
    assert!(al.pairs[5..].iter().all(|p| p.moved));
    let tau = al.summary.order_agreement.unwrap_or(1.0);
    assert!(tau < 0.5 && tau > -0.5, "{tau}");
    assert_eq!(al.summary.longest_run, 5);
    // The two blocks touch in both texts: one passage of shared text.
    assert_eq!(al.passages.len(), 1);
    // Strictly monotone: the moved block is lost.
    let strict = AlignConfig {
        passes: 1,
        local_fill: false,
        ..Default::default()
    };
    assert_eq!(align(&a, &b, &strict).pairs.len(), 5);
}

#[test]
fn shuffled_sentences_inside_a_passage_stay_one_passage() {
    let a = doc(&STORY);
    let shuffled = [
        STORY[0], STORY[3], STORY[1], STORY[2], STORY[6], STORY[4], STORY[5], STORY[7],
    ];
    let b = doc(&shuffled);
    let al = align(&a, &b, &AlignConfig::default());
    assert_eq!(al.pairs.len(), 8);
    assert_eq!(al.passages.len(), 1);
    let tau = al.summary.order_agreement.unwrap_or(0.0);
    assert!(tau > 0.5 && tau < 1.0, "{tau}");
}

#[test]
fn an_edited_copy_keeps_its_pairs_with_lower_scores() {
    let a = doc(&STORY[..4]);
    let b = doc(&[
        "The river broke its banks on Sunday morning after 3 days of heavy rain.",
        "Some 300 houses were flooded in the old town, according to firefighters.",
        "Mayor Ines Okafor told residents to boil drinking water.",
        "Soldiers brought forty boats to evacuate people from the lower districts.",
    ]);
    let al = align(&a, &b, &AlignConfig::default());
    assert_eq!(
        spans(&al),
        [(0..1, 0..1), (1..2, 1..2), (2..3, 2..3), (3..4, 3..4)]
    );
    assert!(al.pairs.iter().all(|p| !p.exact && p.score < 1.0));
    assert_eq!(al.summary.exact_share, 0.0);
    assert!(al.summary.mean_similarity > 0.4 && al.summary.mean_similarity < 0.95);
}

#[test]
fn spans_point_into_the_original_text() {
    let raw_a = "Intro line.\n\n\u{201c}The river burst its banks early on Sunday after three days of rain.\u{201d}";
    let raw_b = "The river burst its banks early on Sunday after three days of rain. Then quiet.";
    let (a, b) = (analyze(raw_a, Some("en")), analyze(raw_b, Some("en")));
    let al = align(&a, &b, &AlignConfig::default());
    assert_eq!(al.pairs.len(), 1);
    let p = &al.pairs[0];
    assert!(raw_a[p.a_original.range()].starts_with('\u{201c}'));
    assert!(raw_a[p.a_original.range()].ends_with('\u{201d}'));
    assert_eq!(&raw_b[p.b_original.range()], STORY[0]);
    let pass = &al.passages[0];
    let (ca, cb) = pass.char_spans(&CharIndex::new(raw_a), &CharIndex::new(raw_b));
    assert_eq!(ca.start, raw_a[..p.a_original.start].chars().count());
    assert_eq!(
        ca.end - ca.start,
        raw_a[p.a_original.range()].chars().count()
    );
    assert_eq!(
        cb,
        Span {
            start: 0,
            end: STORY[0].len()
        }
    );
}

#[test]
fn lone_weak_pairs_make_no_passage() {
    let a = doc(&["The river burst its banks early on Sunday after three days of rain."]);
    let b = doc(&["Rain fell for three days on the plains, farmers said."]);
    let cfg = AlignConfig {
        threshold: 0.1,
        ..Default::default()
    };
    let al = align(&a, &b, &cfg);
    assert_eq!(al.pairs.len(), 1);
    assert!(al.pairs[0].score < cfg.passage.min_single_score);
    assert!(al.passages.is_empty());
}

#[test]
fn passage_edges_leave_glued_headings_out() {
    let raw_a = "Home Weather Sports Business Culture Opinion Contact Us The council approved the new harbour budget on Monday after a long debate. \
                 Fishermen welcomed the decision.";
    let raw_b = "The council approved the new harbour budget on Monday after a long debate. \
                 Fishermen welcomed the decision. Gardening tips follow.";
    let (a, b) = (analyze(raw_a, Some("en")), analyze(raw_b, Some("en")));
    let al = align(&a, &b, &AlignConfig::default());
    assert_eq!(al.passages.len(), 1);
    let p = &al.passages[0];
    assert!(
        a.text(p.a.clean).starts_with("The council approved"),
        "{}",
        a.text(p.a.clean)
    );
    assert!(a.text(p.a.clean).ends_with("decision."));
    assert_eq!(
        b.text(p.b.clean),
        &raw_b[..raw_b.find(" Gardening").unwrap_or(0)]
    );
    // Without trimming the heading stays in.
    let cfg = AlignConfig {
        passage: PassageConfig {
            trim_edges: false,
            ..Default::default()
        },
        ..Default::default()
    };
    let al = align(&a, &b, &cfg);
    assert!(a.text(al.passages[0].a.clean).starts_with("Home Weather"));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Texts of a few sentences from a small vocabulary, so that random
    /// texts share words and sentences, with some non-ASCII and numbers.
    fn text() -> impl Strategy<Value = String> {
        let word = prop::sample::select(vec![
            "river", "bridge", "mayor", "Kiir", "Keir", "floods", "3", "1,200", "the", "of",
            "closed", "Zürich", "schools", "€5", "said", "army", "boats",
        ]);
        let sentence = prop::collection::vec(word, 1..12).prop_map(|w| {
            let mut s = w.join(" ");
            if let Some(c) = s.get(..1) {
                s = c.to_uppercase() + &s[1..];
            }
            s + "."
        });
        prop::collection::vec(sentence, 0..12).prop_map(|s| s.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn alignments_are_well_formed(ta in text(), tb in text()) {
            let (a, b) = (analyze(&ta, Some("en")), analyze(&tb, Some("en")));
            let al = align(&a, &b, &AlignConfig::default());
            let s = al.summary;
            prop_assert!(s.coverage_a.chars <= 1.0 + 1e-9 && s.coverage_b.sentences <= 1.0 + 1e-9);
            if let Some(t) = s.order_agreement {
                prop_assert!((-1.0..=1.0).contains(&t));
            }
            let (mut used_a, mut used_b) = (vec![false; s.a_sentences], vec![false; s.b_sentences]);
            for p in &al.pairs {
                prop_assert!(p.a.end <= s.a_sentences && p.b.end <= s.b_sentences);
                prop_assert!((0.0..=1.0).contains(&p.score));
                prop_assert!(p.a_original.end <= ta.len() && p.b_original.end <= tb.len());
                prop_assert!(ta.is_char_boundary(p.a_original.start) && tb.is_char_boundary(p.b_original.end));
                // No sentence is aligned twice.
                for i in p.a.clone() {
                    prop_assert!(!used_a[i]);
                    used_a[i] = true;
                }
                for j in p.b.clone() {
                    prop_assert!(!used_b[j]);
                    used_b[j] = true;
                }
            }
            prop_assert!(al.pairs.windows(2).all(|w| w[0].a.start < w[1].a.start));
            for p in &al.passages {
                prop_assert!(p.a.clean.start <= p.a.clean.end && p.a.clean.end <= a.clean.len());
                prop_assert!(p.b.original.end <= tb.len());
            }
            // A text aligned with itself is covered whole.
            let same = align(&a, &a, &AlignConfig::default());
            if a.sentences.iter().all(|&sp| a.text(sp).chars().any(char::is_alphanumeric)) {
                prop_assert_eq!(same.summary.coverage_a.sentences, if s.a_sentences == 0 { 0.0 } else { 1.0 });
            }
        }
    }
}

/// The alignment summary separates the relation classes of the example
/// corpus (`examples/corpus/gold.json`): each derived article against its
/// parent, each independent report against its story's origin, and origins
/// of different stories against each other. Run with `--nocapture` for the
/// table.
#[test]
fn example_corpus_relations_separate() {
    use std::collections::HashMap;
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    let batch = crate::ingest::read_all(
        std::slice::from_ref(&dir),
        &crate::ingest::IngestOptions::default(),
        &|_| {},
    )
    .expect("the example corpus reads");
    let gold: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("gold.json")).expect("gold.json"))
            .expect("gold.json is JSON");
    let key = |u: &str| u.trim_end_matches('/').to_string();
    let by_url: HashMap<String, &crate::article::Article> = batch
        .articles
        .iter()
        .filter_map(|a| a.url.as_deref().map(|u| (key(u), a)))
        .collect();
    let empty = Vec::new();
    let articles = gold["articles"].as_array().unwrap_or(&empty);
    let origin_of: HashMap<&str, &str> = gold["stories"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .filter_map(|s| Some((s["id"].as_str()?, s["origin"].as_str()?)))
        .collect();
    let mut rows: Vec<(String, &crate::article::Article, &crate::article::Article)> = Vec::new();
    for g in articles {
        let parent = match (g["parent"].as_str(), g["role"].as_str()) {
            (Some(p), _) => p,
            (None, Some("independent")) => match g["story"].as_str().and_then(|s| origin_of.get(s))
            {
                Some(o) => o,
                None => continue,
            },
            _ => continue,
        };
        let child = g["url"].as_str().and_then(|u| by_url.get(&key(u)));
        if let (Some(c), Some(p)) = (child, by_url.get(&key(parent))) {
            let rel = g["relation"].as_str().unwrap_or("same_story");
            rows.push((rel.to_string(), *c, *p));
        }
    }
    let origins: Vec<&crate::article::Article> = articles
        .iter()
        .filter(|g| g["role"] == "origin")
        .filter_map(|g| g["url"].as_str().and_then(|u| by_url.get(&key(u))).copied())
        .collect();
    for w in origins.windows(2) {
        rows.push(("unrelated".into(), w[0], w[1]));
    }
    assert!(rows.len() >= 20, "only {} gold pairs found", rows.len());
    println!("relation    covA  covB  mean  exact  tau   run pairs");
    for (rel, c, p) in &rows {
        let a = analyze(&c.text, c.language.as_deref());
        let b = analyze(&p.text, p.language.as_deref());
        let s = align(&a, &b, &AlignConfig::default()).summary;
        let tau = s.order_agreement.unwrap_or(0.0);
        println!(
            "{rel:<11} {:.2}  {:.2}  {:.2}  {:.2}  {tau:>5.2} {:>3} {:>3}  {}",
            s.coverage_a.chars,
            s.coverage_b.chars,
            s.mean_similarity,
            s.exact_share,
            s.longest_run,
            s.pairs,
            c.id
        );
        let ok = match rel.as_str() {
            "duplicate" => s.coverage_a.chars >= 0.95 && s.exact_share >= 0.95,
            "copy" => {
                s.coverage_a.chars >= 0.9 && s.coverage_b.chars >= 0.9 && s.mean_similarity >= 0.9
            }
            "excerpt" => s.coverage_a.chars >= 0.85 && s.coverage_b.chars <= 0.5,
            "rewrite" | "spun" => s.coverage_a.chars >= 0.5 && tau >= 0.9 && s.longest_run >= 5,
            "same_story" => s.longest_run <= 4 && s.coverage_b.chars < 0.5,
            "unrelated" => s.pairs == 0,
            _ => true,
        };
        assert!(ok, "{rel}: {} against {}: {s:?}", c.id, p.id);
    }
}
