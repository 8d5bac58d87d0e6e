//! Each kind of evidence re-roots an undated family on its own: the ids are
//! chosen so that the tie rule (date, then id) would put the copy first, so
//! every test here fails without the evidence it names.

use super::*;
use crate::article::Article;
use crate::article::{ArticleDraft, Origin};
use crate::story::{EngineConfig, Member, Story};

const FLOOD: &str = "The river Aln burst its banks early on Sunday after three days of rain. \
    About 300 homes were flooded in the old town of Wexhall, the fire service said. \
    Mayor Ines Okafor asked residents to boil their drinking water until further notice. \
    The army sent forty boats to evacuate people from the lower districts overnight. \
    Schools will stay closed until Friday, the education office announced on its website.";

fn article(id: &str, text: &str) -> Article {
    ArticleDraft {
        id: Some(id.into()),
        text: text.into(),
        ..Default::default()
    }
    .finish(Origin::whole(id))
    .expect("article")
}

fn one_story(articles: Vec<Article>) -> Story {
    let mut engine = Engine::new(EngineConfig::default());
    engine.add_all(articles, &|_| {});
    let mut stories = engine.stories();
    assert_eq!(stories.len(), 1, "{stories:#?}");
    stories.remove(0)
}

fn member<'s>(s: &'s Story, id: &str) -> &'s Member {
    s.members
        .iter()
        .find(|m| m.article == id)
        .unwrap_or_else(|| panic!("{id} not in {s:#?}"))
}

/// `source` is the origin and `copy` hangs below it, known from `basis`.
fn assert_rooted(s: &Story, source: &str, copy: &str, basis: Basis) {
    assert_eq!(s.origin, source, "{:#?}", s.members);
    let m = member(s, copy);
    assert_eq!(m.role, Role::Derived);
    assert_eq!(m.parent.as_deref(), Some(source));
    assert_eq!(m.direction, Some(DirectionStatus::Known), "{m:#?}");
    assert_eq!(m.direction_basis, vec![basis]);
    let o = member(s, source);
    assert_eq!(o.direction, Some(DirectionStatus::Known));
    assert_eq!(o.direction_basis, vec![basis]);
}

#[test]
fn a_credit_line_names_the_outlet_the_source_says_it_is() {
    let source = FLOOD.replace(
        "until further notice.",
        "until further notice, she told the Wexhall Gazette.",
    );
    let copy = format!("{FLOOD}\n\nSOURCE: WEXHALL GAZETTE");
    for order in [["a-copy", "b-gazette"], ["b-gazette", "a-copy"]] {
        let articles = order
            .iter()
            .map(|&id| article(id, if id == "a-copy" { &copy } else { &source }))
            .collect();
        assert_rooted(
            &one_story(articles),
            "b-gazette",
            "a-copy",
            Basis::Attribution,
        );
    }
}

#[test]
fn an_image_url_of_the_outlet_credits_it() {
    // The scraped copy keeps "told the Wexhall Gazette" but also the
    // Gazette's image URL: it credits the outlet it seems to be.
    let source = FLOOD.replace(
        "until further notice.",
        "until further notice, she told the Wexhall Gazette.",
    );
    let copy = format!("{source}\n\nhttps://images.wexhallgazette.example/2026/03/aln-flood.jpg");
    let s = one_story(vec![
        article("a-copy", &copy),
        article("b-gazette", &source),
    ]);
    assert_rooted(&s, "b-gazette", "a-copy", Basis::Attribution);
}

#[test]
fn an_agency_byline_marks_the_wire_text() {
    let wire = format!("By Tom Reddle, PA\n\n{FLOOD}");
    let s = one_story(vec![article("a-copy", FLOOD), article("b-wire", &wire)]);
    assert_rooted(&s, "b-wire", "a-copy", Basis::Agency);
}

#[test]
fn an_agency_tag_in_the_dateline_marks_the_wire_text() {
    let wire = format!("WEXHALL (AP) — {FLOOD}");
    let copy = format!("WEXHALL — {FLOOD}");
    let s = one_story(vec![article("a-copy", &copy), article("b-wire", &wire)]);
    assert_rooted(&s, "b-wire", "a-copy", Basis::Agency);
}

#[test]
fn containment_puts_the_excerpt_below_the_fuller_text() {
    let excerpt: String = FLOOD.split_inclusive(". ").take(3).collect();
    let longer = format!(
        "{FLOOD} Forecasters expect more rain in the hills on Tuesday. \
         The regional government has promised emergency funds for families who lost their homes."
    );
    let s = one_story(vec![
        article("a-excerpt", &excerpt),
        article("b-full", &longer),
    ]);
    assert_rooted(&s, "b-full", "a-excerpt", Basis::Containment);
}

fn pile(name: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/undated-pile");
    std::fs::read_to_string(dir.join(format!("{name}.txt"))).expect("fixture")
}

#[test]
fn corroboration_puts_the_garbled_variant_below() {
    // The pile without its outlet signals: only the independent reports'
    // spellings and figures tell the original from the spun copy.
    let strip = |t: String| {
        t.replace(", she told the Dunmere Ledger.", ", she said.")
            .lines()
            .filter(|l| !l.starts_with("https://"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let s = one_story(vec![
        article("a-spun", &strip(pile("spun-copy"))),
        article("b-original", &strip(pile("ledger-report"))),
        article("c-radio", &pile("radio-report")),
        article("d-weekly", &pile("weekly-report")),
    ]);
    assert_rooted(&s, "b-original", "a-spun", Basis::Corroboration);
    assert_eq!(
        member(&s, "a-spun").relation,
        Some(crate::relate::Relation::Spun)
    );
}

#[test]
fn when_nothing_speaks_the_direction_is_unknown_and_the_tree_does_not_follow_input_order() {
    let copy = FLOOD.replace("forty boats", "forty small boats");
    let run = |first: bool| {
        let (a, b) = (article("x-one", FLOOD), article("y-two", &copy));
        one_story(if first { vec![a, b] } else { vec![b, a] })
    };
    let (s1, s2) = (run(true), run(false));
    assert_eq!(s1.origin, s2.origin);
    for s in [&s1, &s2] {
        for m in &s.members {
            assert_eq!(m.direction, Some(DirectionStatus::Unknown), "{m:#?}");
            assert!(m.direction_basis.is_empty());
        }
    }
}

#[test]
fn corroboration_counts_witnesses_of_what_the_two_disagree_on() {
    let x = facts("Keira Holloway said 2,340 homes were visited.");
    let y = facts("Kiara Halloway said 2,430 homes were visited.");
    let w1 = facts("Councillor Keira Holloway: 2,340 homes.");
    let w2 = facts("Holloway said 462 of 2,340 homes failed.");
    assert_eq!(corroborated(&x, &y, &[(&w1, 1.0), (&w2, 1.0)]), Some(true));
    assert_eq!(corroborated(&y, &x, &[(&w1, 1.0), (&w2, 1.0)]), Some(false));
    // No witness, no decision.
    assert_eq!(corroborated(&x, &y, &[]), None);
}

#[test]
fn compare_and_analyze_agree_on_a_wire_text_and_the_newspaper_that_built_on_it() {
    // A newspaper takes the agency's whole text, drops its dateline tag and
    // adds material of its own: the wire text is contained in it. The pair
    // verdict used to read that containment as "the newspaper is the
    // source" while the story stage read the agency tag; both now decide
    // with one function, on the agency tag.
    let wire = format!("WEXHALL (AP) — {FLOOD}");
    let paper = format!(
        "WEXHALL — {FLOOD} Local traders said the floods were the worst since 1968. \
         The council has opened three rest centres for families who cannot go home. \
         Volunteers from the rowing club helped the fire service overnight."
    );
    let (w, p) = (article("b-wire", &wire), article("a-paper", &paper));
    let cmp = crate::relate::compare(&p, &w);
    assert!(cmp.verdict.relation.is_derived(), "{:?}", cmp.verdict);
    let d = cmp.verdict.direction.expect("a direction");
    assert_eq!(
        (d.source, d.basis),
        (Side::B, Basis::Agency),
        "{:?}",
        cmp.verdict
    );
    let s = one_story(vec![p, w]);
    assert_rooted(&s, "b-wire", "a-paper", Basis::Agency);
}

#[test]
fn an_english_newspaper_crediting_the_press_association_hangs_below_the_pa_copy() {
    // The wire copy's byline names PA with a job title; the newspaper's own
    // byline is staff, and its credit line spells the agency out: one
    // outlet, so the credit decides.
    let wire = format!("By Tom Reddle, PA Home Affairs Correspondent\n\n{FLOOD}");
    let paper = format!(
        "By Ann Lee\n\n{FLOOD} Local traders said the floods were the worst since 1968.\n\n\
         Additional reporting by the Press Association"
    );
    let s = one_story(vec![article("a-paper", &paper), article("b-wire", &wire)]);
    assert_rooted(&s, "b-wire", "a-paper", Basis::Attribution);
    // Without the credit line the byline alone marks the agency's text.
    let paper =
        format!("By Ann Lee\n\n{FLOOD} Local traders said the floods were the worst since 1968.");
    let s = one_story(vec![article("a-paper", &paper), article("b-wire", &wire)]);
    assert_rooted(&s, "b-wire", "a-paper", Basis::Agency);
}
