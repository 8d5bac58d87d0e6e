use super::*;
use crate::article::{ArticleDraft, Origin};

fn article(text: &str) -> Article {
    ArticleDraft {
        text: text.into(),
        ..Default::default()
    }
    .finish(Origin::whole("t"))
    .expect("article")
}

fn with_source(source: &str, text: &str) -> Article {
    ArticleDraft {
        source: Some(source.into()),
        text: text.into(),
        ..Default::default()
    }
    .finish(Origin::whole("t"))
    .expect("article")
}

#[test]
fn outlets_read_credits_and_identities() {
    let a = article(
        "The mill closed, the Harbour Post reported on Monday.\n\nSOURCE: DUNMERE LEDGER\n\nhttps://cdn.riverside-news.example/x.jpg",
    );
    let o = outlets(&a);
    assert!(o.is.is_empty(), "{o:?}");
    for c in ["harbourpost", "dunmereledger", "riversidenews"] {
        assert!(o.credits.iter().any(|x| x == c), "{c} not in {o:?}");
    }
    let told = outlets(&article("\"It is over,\" he told the Harbour Post."));
    assert_eq!(told.is, vec!["harbourpost".to_string()]);
    assert_eq!(told.wire, None);
    let ap = outlets(&article("DENVER (AP) — The storm moved east."));
    assert_eq!(
        (ap.wire.as_deref(), ap.is.clone()),
        (Some("ap"), vec!["ap".to_string()])
    );
    // A newspaper desk that names an agency beside it credits the agency.
    let desk = outlets(&article("DHAKA (Sports Desk/AFP) — Bangladesh won."));
    assert_eq!(desk.wire, None, "{desk:?}");
    assert_eq!(desk.credits, vec!["afp".to_string()]);
    assert_eq!(desk.is, vec!["sportsdesk".to_string()]);
    // A byline with no agency is no wire text.
    let staff = outlets(&article(
        "By Ann Lee, Staff Writer\n\nThe storm moved east.",
    ));
    assert_eq!(staff.wire, None, "{staff:?}");
    // A parenthesis deep in the first sentence is no dateline.
    let not = outlets(&article(
        "The national health service of the country (NHS) said on Monday that waiting lists grew.",
    ));
    assert_eq!(not.wire, None, "{not:?}");
    // Metadata names the outlet; "told X" then names whom it quotes.
    let courier = with_source("The Courier", "He told the Harbour Post.");
    assert_eq!(outlets(&courier).is, vec!["courier".to_string()]);
    assert_eq!(outlets(&courier).wire, None);
    assert_eq!(
        outlets(&with_source("APP", "The minister said."))
            .wire
            .as_deref(),
        Some("app")
    );
    // A newspaper (by its source field) that keeps the agency's dateline
    // tag credits the agency.
    let o = outlets(&with_source(
        "Express",
        "DENVER (AP) — The storm moved east.",
    ));
    assert_eq!(o.wire, None, "{o:?}");
    assert_eq!(o.credits, vec!["ap".to_string()]);
    assert_eq!(o.is, vec!["express".to_string()]);
}

#[test]
fn datelines_with_a_place_and_a_date_carry_the_tag() {
    // Five words before the tag: a place of two words, a separator and a
    // date (rejected by a four-word limit alone).
    let urdu = outlets(&article(
        "اسلام آباد ۔ 15 ستمبر (اے پی پی) انسداد دہشت گردی کی خصوصی عدالت نے فیصلہ سنایا۔",
    ));
    assert_eq!(urdu.wire.as_deref(), Some("app"), "{urdu:?}");
    let short = outlets(&article(
        "ڈھاکہ ۔ یکم دسمبر (اے پی پی) بنگلہ دیش نے سیریز جیت لی۔",
    ));
    assert_eq!(short.wire.as_deref(), Some("app"));
    let hindi = outlets(&article("नई दिल्ली, 1 दिसंबर (भाषा) सरकार ने सोमवार को कहा।"));
    assert_eq!(hindi.wire.as_deref(), Some("pti"), "{hindi:?}");
    let reuters = outlets(&article(
        "WASHINGTON, Dec 1 (Reuters) - The Senate passed the bill on Monday.",
    ));
    assert_eq!(reuters.wire.as_deref(), Some("reuters"));
    let arabic = outlets(&article("القاهرة (أ ف ب) - قالت الحكومة يوم الاثنين"));
    assert_eq!(arabic.wire.as_deref(), Some("afp"), "{arabic:?}");
    // A newspaper desk, in Urdu: the desk is the outlet, no wire text.
    let desk = outlets(&article(
        "میر پور(وقت نیوز) بنگلہ دیش نے 5 میچوں کی سیریز جیت لی۔",
    ));
    assert_eq!(desk.wire, None, "{desk:?}");
    assert_eq!(desk.is, vec!["وقتنیوز".to_string()]);
    // Many words and no dateline mark: a parenthesis in a sentence.
    let sentence = outlets(&article(
        "Officials at the regional transport office of the county (PA) said the road would reopen.",
    ));
    assert_eq!(sentence.wire, None, "{sentence:?}");
}

#[test]
fn a_dateline_tag_naming_the_articles_own_outlet_is_its_filed_copy() {
    // An agency the table does not know, tagging its own dateline.
    let wire = outlets(&with_source(
        "Allied Press",
        "ORRIN FALLS (Allied Press) - A former city treasurer was jailed on Thursday.",
    ));
    assert_eq!(wire.wire.as_deref(), Some("alliedpress"), "{wire:?}");
    // Its short name in the tag: the initials of its name, or the part of
    // its source field in parentheses.
    for source in ["Continental News Service", "Continental News Service (CNS)"] {
        let short = outlets(&with_source(
            source,
            "HARLOW BEND, Ohio (CNS) - The city council voted 5-2 on Tuesday night.",
        ));
        assert!(short.wire.is_some(), "{source}: {short:?}");
    }
    let app = outlets(&with_source(
        "Associated Press of Pakistan",
        "KARACHI, Dec 1 (APP) - The provincial assembly met on Monday.",
    ));
    assert!(app.wire.is_some(), "{app:?}");
    // Initials that are not the tag's are no filing of its own (a source
    // field naming itself a news agency marks its text by that alone:
    // `a_source_field_naming_itself_a_news_agency_marks_its_text`).
    let other = outlets(&with_source(
        "Continental Broadcasting",
        "HARLOW BEND, Ohio (CBS) - The city council voted 5-2 on Tuesday night.",
    ));
    assert_eq!(other.wire, None, "{other:?}");
    // The same tag on another outlet's article is no filing of its own.
    let paper = outlets(&with_source(
        "Tri-County Ledger",
        "ORRIN FALLS (Allied Press) - A former city treasurer was jailed on Thursday.",
    ));
    assert_eq!(paper.wire, None, "{paper:?}");
    // Without a source field the tag names an outlet, not a filing: a
    // newspaper's desk tags its own copy too ("میر پور (وقت نیوز)").
    let bare = outlets(&article(
        "ORRIN FALLS (Allied Press) - A former city treasurer was jailed on Thursday.",
    ));
    assert_eq!(bare.wire, None, "{bare:?}");
    // The direction follows: the outlet's filed copy against a desk's text.
    let desk = outlets(&with_source("Tri-County Ledger", "A treasurer was jailed."));
    let ev = crate::relate::direction::outlet_evidence(&desk, &wire);
    assert!(
        matches!(
            ev.as_slice(),
            [crate::relate::direction::DirectionEvidence::Agency {
                wire: crate::relate::direction::Side::B,
                ..
            }]
        ),
        "{ev:?}"
    );
}

#[test]
fn english_agency_bylines_and_credit_lines() {
    let pa = outlets(&article(
        "Floods close schools\nBy Tom Reddle, PA Political Correspondent\n\nSchools shut.",
    ));
    assert_eq!(pa.wire.as_deref(), Some("pa"), "{pa:?}");
    let press = outlets(&article("By Press Association\n\nSchools shut on Monday."));
    assert_eq!(press.wire.as_deref(), Some("pa"), "{press:?}");
    // A columnist whose initials spell an agency is no agency.
    let gill = outlets(&article("By AA Gill\n\nThe restaurant was empty."));
    assert_eq!(gill.wire, None, "{gill:?}");
    // Every spelling of one agency is one outlet: a newspaper that credits
    // "the Press Association" credits the text bylined "PA".
    let paper = outlets(&article(
        "Schools shut on Monday, according to the Press Association.",
    ));
    assert_eq!(paper.credits, vec!["pa".to_string()], "{paper:?}");
    assert!(paper.credited_outlet_of(&pa).is_some());
    // A closing line naming an agency alone credits it.
    let closing = outlets(&article("Schools shut on Monday.\n\n- PA"));
    assert_eq!(closing.wire, None);
    assert_eq!(closing.credits, vec!["pa".to_string()], "{closing:?}");
    let byline_field = ArticleDraft {
        byline: Some("Tom Reddle, Press Association".into()),
        text: "Schools shut.".into(),
        ..Default::default()
    }
    .finish(Origin::whole("t"))
    .expect("article");
    assert_eq!(outlets(&byline_field).wire.as_deref(), Some("pa"));
}

#[test]
fn every_spelling_in_the_table_folds_to_its_agency() {
    for (key, names) in WIRE_AGENCIES {
        for n in *names {
            assert_eq!(agency(n), Some(*key), "{n}");
        }
    }
    // No spelling names two agencies.
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (key, names) in WIRE_AGENCIES {
        for n in *names {
            let f = canonical(n).unwrap_or_default();
            if let Some(other) = seen.insert(f.clone(), key) {
                assert_eq!(other, *key, "{n} names {other} and {key}");
            }
        }
    }
}

#[test]
fn a_source_field_that_begins_with_an_agency_marks_its_text() {
    for (source, key) in [
        ("AP", "ap"),
        ("Press Association Wire (PAW)", "pa"),
        ("Reuters UK", "reuters"),
        ("AP News", "ap"),
    ] {
        let o = outlets(&with_source(source, "The mill closed on Monday."));
        assert_eq!(o.wire.as_deref(), Some(key), "{source}: {o:?}");
        assert!(o.is.iter().any(|x| x == key), "{source}: {o:?}");
        assert_eq!(o.is.iter().filter(|x| *x == key).count(), 1, "{o:?}");
    }
    for source in ["The Daily Clarion", "Allied Press", "Harbour Post"] {
        let o = outlets(&with_source(source, "The mill closed on Monday."));
        assert_eq!(o.wire, None, "{source}: {o:?}");
    }
}

#[test]
fn a_source_field_naming_itself_a_news_agency_marks_its_text() {
    let story = "The mill closed on Monday after 120 years, the owners said.";
    for source in [
        "National News Agency (NNA)",
        "Central Press Agency",
        "Atlantic Wire Service",
        "Capitol News Service",
        // Styled as a wire's metadata styles it: its initials after it.
        "Northern Counties Press (NCP)",
    ] {
        let o = outlets(&with_source(source, story));
        let key = canonical(source).map(keyed);
        assert_eq!(o.wire, key, "{source}: {o:?}");
        // The agency text is the source of a newspaper's copy of it, with
        // no date to say so.
        let paper = outlets(&with_source("The Daily Clarion", story));
        let ev = crate::relate::direction::outlet_evidence(&o, &paper);
        assert!(
            ev.iter()
                .any(|e| matches!(e, crate::relate::DirectionEvidence::Agency { .. })),
            "{source}: {ev:?}"
        );
    }
    for source in [
        "Environment Agency",
        "The News Servicemen",
        "Daily Press",
        "Northern Counties Press",
        "The Times (London)",
    ] {
        let o = outlets(&with_source(source, story));
        assert_eq!(o.wire, None, "{source}: {o:?}");
    }
}
