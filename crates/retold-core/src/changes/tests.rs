//! Changes between hand-made versions, through [`changes`] (the story
//! stage's entry point).

use super::*;
use crate::align::{align, AlignConfig};
use crate::text::analyze;

fn found(parent: &str, child: &str, rel: Relation) -> Vec<(ChangeKind, String, String)> {
    let (p, c) = (analyze(parent, Some("en")), analyze(child, Some("en")));
    let al = align(&c, &p, &AlignConfig::default());
    changes(&c, &p, &al, rel)
        .into_iter()
        .map(|ch| {
            (
                ch.kind,
                ch.parent.map(|e| e.text).unwrap_or_default(),
                ch.child.map(|e| e.text).unwrap_or_default(),
            )
        })
        .collect()
}

const PARENT: &str = "The council voted on Monday to close the Harrow Street depot. \
    Councillor Nell Brannigan said the move would save about 140 jobs. \
    The union said it had ruled out a strike for now. \
    \"We were warned about this in 2019, and we chose to wait,\" Marlowe said. \
    The depot opened in 1971.";

#[test]
fn names_numbers_negations_quotes_and_attribution() {
    let child = "The council voted on Monday to close the Harrow Road depot. \
        Councillor Nell Branagan said the move would save about 150 jobs. \
        The union said it had not ruled out a strike for now. \
        \"We were warned about this years ago, and we chose to wait,\" Tennant said. \
        The depot opened in 1971.";
    let f = found(PARENT, child, Relation::Copy);
    let kinds: Vec<ChangeKind> = f.iter().map(|x| x.0).collect();
    assert!(
        f.contains(&(
            ChangeKind::NameVariant,
            "Harrow Street".into(),
            "Harrow Road".into()
        )),
        "{f:#?}"
    );
    assert!(
        f.contains(&(
            ChangeKind::NameVariant,
            "Nell Brannigan".into(),
            "Nell Branagan".into()
        )),
        "{f:#?}"
    );
    assert!(
        f.iter().any(|x| x.0 == ChangeKind::NumberChanged
            && x.1 == "about 140 jobs"
            && x.2 == "about 150 jobs"),
        "{f:#?}"
    );
    assert!(kinds.contains(&ChangeKind::NegationFlipped), "{f:#?}");
    assert!(kinds.contains(&ChangeKind::QuoteAltered), "{f:#?}");
    assert!(kinds.contains(&ChangeKind::AttributionChanged), "{f:#?}");
    assert!(
        !kinds.contains(&ChangeKind::SentenceAdded)
            && !kinds.contains(&ChangeKind::SentenceDropped)
    );
}

#[test]
fn added_dropped_and_excerpts() {
    let child = "The council voted on Monday to close the Harrow Street depot. \
        Councillor Nell Brannigan said the move would save about 140 jobs. \
        Shares in the operator rose sharply in early trading on the news. \
        The depot opened in 1971.";
    let f = found(PARENT, child, Relation::Copy);
    let kinds: Vec<ChangeKind> = f.iter().map(|x| x.0).collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == ChangeKind::SentenceAdded)
            .count(),
        1,
        "{f:#?}"
    );
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == ChangeKind::SentenceDropped)
            .count(),
        2,
        "{f:#?}"
    );
    // An excerpt of the first two sentences drops nothing.
    let excerpt = "The council voted on Monday to close the Harrow Street depot. \
        Councillor Nell Brannigan said the move would save about 140 jobs.";
    assert!(found(PARENT, excerpt, Relation::Excerpt).is_empty());
    // The same text changes nothing.
    assert!(found(PARENT, PARENT, Relation::Duplicate).is_empty());
}

#[test]
fn excerpts_point_into_the_original_text() {
    let parent = "Mayor \u{201c}Anneliese\u{201d} Corrow closed the Larkmoor Bridge today after the inspection.";
    let child = "Mayor \u{201c}Annaliese\u{201d} Corrow closed the Larkmoor Bridge today after the inspection.";
    let (p, c) = (analyze(parent, Some("en")), analyze(child, Some("en")));
    let al = align(&c, &p, &AlignConfig::default());
    for ch in changes(&c, &p, &al, Relation::Copy) {
        if let Some(e) = ch.parent {
            assert!(
                parent
                    .get(e.span.range())
                    .is_some_and(|t| t.contains("Anneliese")),
                "{e:?}"
            );
        }
    }
}

const WORKS: &str = "Auberon Motors will close the Wexcombe plant next year. \
    The 11-member works council, which includes union representatives, will begin talks next week. \
    The plant opened in 1988 and built 96,000 cars last year.";

fn names_of(f: &[(ChangeKind, String, String)]) -> Vec<(&str, &str)> {
    f.iter()
        .filter(|x| x.0 == ChangeKind::NameVariant)
        .map(|x| (x.1.as_str(), x.2.as_str()))
        .collect()
}

#[test]
fn lower_case_body_names_at_aligned_places() {
    let spun = "Auberon Motors will close the Wexcombe plant next year. \
        The 11 member jobs council, that includes union representatives, will begin talks following week. \
        The plant opened in 1988 and built 96,000 cars last year.";
    let f = found(WORKS, spun, Relation::Spun);
    // The quantity before the name is not part of it.
    assert_eq!(names_of(&f), [("works council", "jobs council")], "{f:#?}");
    // The same without a relation (as `compare_docs` reads it).
    let (p, c) = (analyze(WORKS, Some("en")), analyze(spun, Some("en")));
    let al = align(&c, &p, &AlignConfig::default());
    assert!(compare_docs(&p, &c, &al)
        .iter()
        .any(|ch| ch.kind == ChangeKind::NameVariant
            && ch.child.as_ref().is_some_and(|e| e.text == "jobs council")));
    // A rewrite rewords ordinary words: no name there.
    assert!(names_of(&found(WORKS, spun, Relation::Rewrite)).is_empty());
}

#[test]
fn lower_case_body_names_need_the_same_head_outside_quotes() {
    // Another head noun: another word for the body, not another name.
    let board = WORKS.replace("works council", "works board");
    assert!(names_of(&found(WORKS, &board, Relation::Spun)).is_empty());
    // Inside a quote the words are the speaker's (a quote change says it).
    let quoted = "Auberon Motors will close the Wexcombe plant next year. \
        \"Nobody wants to go back to the drawing board on this,\" Farrow said. \
        The plant opened in 1988 and built 96,000 cars last year.";
    let spun = quoted.replace("drawing board", "drafting board");
    assert!(names_of(&found(quoted, &spun, Relation::Spun)).is_empty());
    // Not opened by a determiner, possessive or quantity: no phrase.
    let verb = WORKS.replace("includes union", "includes trade union");
    let verb_spun = WORKS.replace("includes union", "includes commerce union");
    assert!(!names_of(&found(&verb, &verb_spun, Relation::Spun))
        .iter()
        .any(|(a, _)| a.contains("union")));
}
