use super::*;
use crate::article::{ArticleDraft, Origin};
use crate::changes::Excerpt;
use crate::story::{Engine, EngineConfig};
use crate::text::Span;

fn article(id: &str, source: &str, published: &str, title: &str, text: &str) -> Article {
    ArticleDraft {
        id: Some(id.into()),
        source: Some(source.into()),
        title: Some(title.into()),
        published: Some(published.into()),
        text: text.into(),
        ..Default::default()
    }
    .finish(Origin::whole(format!("{id}.txt")))
    .expect("a valid draft")
}

const REPORT: &str = "Crews closed the Harbour Bridge in Eastport on Monday after inspectors \
    found a crack in one of its steel girders. Repairs will take at least six weeks, the city's \
    transport office said. About 40,000 vehicles cross the bridge each day. Commuters were told \
    to use the ferry or the ring road, which the council said would be cleared of roadworks by \
    Wednesday. \"We will not take risks with a structure this old,\" said transport director \
    Nadia Okonkwo. The bridge opened in 1971.";

fn batch() -> Batch {
    let copy = REPORT.replace("40,000", "45,000") + " <script>alert('x')</script> Source link";
    let spun = REPORT
        .replace("Crews closed", "Workers shut")
        .replace("inspectors found", "examiners discovered")
        .replace("Nadia Okonkwo", "Nadya Okonkow");
    Batch {
        articles: vec![
            article(
                "a",
                "Eastport Herald",
                "2026-03-02T08:00:00Z",
                "Harbour Bridge closed",
                REPORT,
            ),
            article(
                "b",
                "NewsFeedNow",
                "2026-03-02T10:30:00Z",
                "Harbour Bridge closed <b>now</b>",
                &copy,
            ),
            article(
                "c",
                "SpinDaily",
                "2026-03-03T09:00:00Z",
                "Harbour Bridge shut",
                &spun,
            ),
        ],
        inputs: 3,
        ..Default::default()
    }
}

fn analysis(with_text: bool) -> Analysis {
    let b = batch();
    let mut engine = Engine::new(EngineConfig::default());
    engine.add_all(b.articles.clone(), &|_| {});
    Analysis::new(&b, engine.stories(), with_text)
}

#[test]
fn the_overview_reads_the_story() {
    let a = analysis(true);
    assert_eq!(a.stories.len(), 1, "{:?}", a.stories);
    let s = &a.stories[0];
    assert_eq!(s.story.origin, "a");
    let o = &s.overview;
    assert_eq!(o.derived, 2);
    assert_eq!(o.tree.len(), 3);
    assert_eq!(o.tree[0].depth, 0);
    assert!(o.tree[1..].iter().all(|r| r.depth == 1));
    assert!(o.tree[2].last && !o.tree[1].last);
    assert_eq!(o.outlets[0], "Eastport Herald");
    assert_eq!(o.first_published.as_deref(), Some("2026-03-02T08:00:00Z"));
    assert_eq!(o.last_published.as_deref(), Some("2026-03-03T09:00:00Z"));
    assert_eq!(o.timeline[1].offset_seconds, 2 * 3600 + 30 * 60);
    // Each derived member beside its parent; the texts put back together
    // are the originals, and the changed number is marked on both sides.
    assert_eq!(o.pairs.len(), 2);
    let copy = o.pairs.iter().find(|p| p.child == "b").expect("b's pair");
    let joined: String = copy.child_text.iter().map(|g| g.text.as_str()).collect();
    assert_eq!(
        Some(joined.as_str()),
        a.article("b").and_then(|r| r.text.as_deref())
    );
    let marked = |side: &[Segment], what: &str| {
        side.iter()
            .any(|g| g.mark.as_deref() == Some("number_changed") && g.text.contains(what))
    };
    assert!(marked(&copy.child_text, "45,000"), "{:?}", copy.child_text);
    assert!(
        marked(&copy.parent_text, "40,000"),
        "{:?}",
        copy.parent_text
    );
    // Without texts there is nothing to put side by side.
    assert!(analysis(false).stories[0].overview.pairs.is_empty());
}

#[test]
fn a_brief_is_the_listing_line_of_the_story() {
    let a = analysis(false);
    let s = &a.stories[0];
    let b = s.brief();
    assert_eq!((b.id.as_str(), b.origin.as_str()), ("s-a", "a"));
    assert_eq!((b.members, b.derived, b.independent), (3, 2, 0));
    assert_eq!(b.outlets, s.overview.outlets);
    assert_eq!(b.first_published.as_deref(), Some("2026-03-02T08:00:00Z"));
    assert_eq!(b.entities, s.story.entities.len());
    // No member's evidence: a small fraction of the story's JSON.
    let (brief, whole) = (
        serde_json::to_string(&b).unwrap_or_default(),
        serde_json::to_string(s).unwrap_or_default(),
    );
    assert!(!brief.contains("evidence") && whole.contains("evidence"));
    assert!(
        brief.len() * 4 < whole.len(),
        "{} vs {}",
        brief.len(),
        whole.len()
    );
}

#[test]
fn the_json_of_the_view_model_keeps_the_story_fields_at_the_top() {
    let a = analysis(false);
    let v = serde_json::to_value(&a).expect("serializable");
    let s = &v["stories"][0];
    assert_eq!(s["origin"], "a");
    assert!(s["members"].is_array());
    assert_eq!(s["overview"]["derived"], 2);
    assert!(v["articles"][0].get("text").is_none());
    let back: Analysis = serde_json::from_value(v).expect("round trip");
    assert_eq!(back, a);
}

#[test]
fn the_html_page_shows_every_version_and_escapes_every_text() {
    let a = analysis(true);
    let page = html::render(&a).expect("renders");
    for id in ["a", "b", "c"] {
        assert!(
            page.contains(&format!("id=\"{}--{id}\"", a.stories[0].story.id)),
            "{id}"
        );
    }
    // The article's markup is text, never markup.
    assert!(!page.contains("<script>alert"));
    assert!(page.contains("&lt;script&gt;alert("));
    assert!(page.contains("Harbour Bridge closed &lt;b&gt;now&lt;&#x2f;b&gt;"));
    assert!(page.contains("<mark class=\"number_changed\""));
    // Self-contained: nothing is fetched.
    for external in ["src=\"http", "href=\"http", "@import", "url("] {
        assert!(!page.contains(external), "{external}");
    }
}

#[test]
fn segments_cover_the_text_once_and_skip_overlaps() {
    let text = "one two three four";
    let ex = |s: usize, e: usize| {
        Some(Excerpt {
            text: text[s..e].into(),
            span: Span { start: s, end: e },
        })
    };
    let change = |kind, child| Change {
        kind,
        parent: None,
        child,
        detail: None,
    };
    let changes = [
        change(ChangeKind::NumberChanged, ex(4, 7)),
        change(ChangeKind::SentenceAdded, ex(4, 13)),
        // Out of the text: ignored.
        change(
            ChangeKind::NameVariant,
            Some(Excerpt {
                text: "x".into(),
                span: Span { start: 30, end: 40 },
            }),
        ),
    ];
    let segs = segments(text, &changes, Side::Child, &[]);
    let joined: String = segs.iter().map(|g| g.text.as_str()).collect();
    assert_eq!(joined, text);
    let marked: Vec<&str> = segs
        .iter()
        .filter(|g| g.mark.is_some())
        .map(|g| g.text.as_str())
        .collect();
    assert_eq!(marked, ["two three"]);
}

#[test]
fn text_json_and_html_show_the_same_numbers() {
    let a = analysis(true);
    let mut cards = Vec::new();
    text::write_cards(&mut cards, &a).expect("writes");
    let cards = String::from_utf8(cards).expect("utf-8");
    let page = html::render(&a).expect("renders");
    let json = serde_json::to_value(&a).expect("serializable");
    for (k, v) in a.stories.iter().enumerate() {
        let s = &v.story;
        let o = &v.overview;
        let n = s.members.len();
        assert!(
            cards.contains(&format!("{} · {n} versions", s.id)),
            "{cards}"
        );
        assert!(page.contains(&format!(
            "{n} versions · {} derived · {} independent",
            o.derived, o.independent
        )));
        assert_eq!(
            json["stories"][k]["members"].as_array().map(Vec::len),
            Some(n)
        );
        let c = &o.claims;
        if !s.consensus.is_empty() {
            assert!(cards.contains(&format!(
                "{} corroborated by 2+ reports, {} single-source, {} disputed",
                c.corroborated, c.single_source, c.disputed
            )));
            assert!(page.contains(&format!(
                "{} corroborated by 2+ reports · {} single-source · {} disputed",
                c.corroborated, c.single_source, c.disputed
            )));
        }
        // Every member's confidence, as both print it.
        for m in s.members.iter().filter(|m| m.role != Role::Origin) {
            let conf = format!("{:.2}", m.confidence);
            assert!(cards.contains(&conf) && page.contains(&conf), "{conf}");
        }
    }
    let summary = format!(
        "{} articles from {} inputs",
        a.summary.articles, a.summary.inputs
    );
    assert!(cards.contains(&summary) && page.contains(&summary));
    assert_eq!(json["summary"]["articles"], a.summary.articles);
}

#[test]
fn long_unchanged_runs_are_elided_around_the_changes() {
    let para = |k: usize| format!("Paragraph {k} says the same thing in both.\n\n");
    let text: String = (0..20).map(para).collect();
    let at = text.find("Paragraph 10").expect("there");
    let end = at + "Paragraph 10".len();
    let changes = [Change {
        kind: ChangeKind::SentenceAdded,
        parent: None,
        child: Some(Excerpt {
            text: text[at..end].into(),
            span: Span { start: at, end },
        }),
        detail: None,
    }];
    // Word edits in paragraph 11 (shown, next to the change) and 5 (elided).
    let word = |k: usize| {
        let at = text.find(&format!("Paragraph {k} ")).expect("there") + "Paragraph ".len();
        Span {
            start: at,
            end: at + k.to_string().len(),
        }
    };
    let segs = elide(segments(&text, &changes, Side::Child, &[word(5), word(11)]));
    let edited: Vec<&str> = segs
        .iter()
        .flat_map(|g| g.runs())
        .filter(|r| r.1)
        .map(|r| r.0)
        .collect();
    assert_eq!(edited, ["11"]);
    let shown: String = segs.iter().map(|g| g.text.as_str()).collect();
    // The opening paragraph, the changed one and one on each side stay.
    for k in [0, 1, 9, 10, 11] {
        assert!(shown.contains(&format!("Paragraph {k} ")), "{k}: {shown}");
    }
    for k in [5, 15, 19] {
        assert!(!shown.contains(&format!("Paragraph {k} ")), "{k}: {shown}");
    }
    let elided: Vec<&str> = segs
        .iter()
        .filter(|g| g.mark.as_deref() == Some("elided"))
        .map(|g| g.text.as_str())
        .collect();
    assert_eq!(elided.len(), 2, "{elided:?}");
    assert!(elided[0].contains("6 paragraphs"), "{elided:?}");
    // Text without changes shows nothing elided when short.
    let short = "One.\n\nTwo.\n\nThree.\n";
    assert_eq!(elide(segments(short, &[], Side::Child, &[])).len(), 1);
}

#[test]
fn the_pair_page_escapes_every_text_and_links_passages() {
    let b = batch();
    let (copy, origin) = (&b.articles[1], &b.articles[0]);
    let r = super::pair::PairReport::compare(copy, origin);
    assert!(!r.passages.is_empty());
    for p in &r.passages {
        assert_eq!(&copy.text[p.a.span.range()], p.a.text);
        assert_eq!(&origin.text[p.b.span.range()], p.b.text);
    }
    let page = html::render_pair(&r).expect("renders");
    assert!(!page.contains("<script>alert"), "unescaped text");
    assert!(page.contains("&lt;script&gt;alert("));
    assert!(!page.contains("<b>now</b>"));
    assert!(page.contains("id=\"a-p0\"") && page.contains("id=\"b-p0\""));
    // The JSON names the schema and round-trips.
    let json = serde_json::to_string(&r).expect("JSON");
    let back: super::pair::PairReport = serde_json::from_str(&json).expect("reads back");
    assert_eq!(back.passages.len(), r.passages.len());
    assert!(json.contains("\"schema\":\"retold-compare/1\""));
}

#[test]
fn changed_words_are_marked_in_each_versions_own_wording() {
    let parent = "Crews closed the Harbour Bridge in Eastport on Monday after inspectors \
        found a crack in one of its steel girders. Repairs will take at least 12 weeks, the \
        city's transport office said. The bridge opened in 1971 and carries most of the \
        traffic between the two halves of the town.";
    let child = parent
        .replace("12 weeks", "14 weeks")
        .replace("the \n        city's", "the city's")
        .replace("Crews closed", "Crews <shut>")
        + " <b>Updated</b>";
    let b = Batch {
        articles: vec![
            article(
                "p",
                "Eastport Herald",
                "2026-03-02T08:00:00Z",
                "Bridge",
                parent,
            ),
            article("c", "CopyDesk", "2026-03-02T09:00:00Z", "Bridge", &child),
        ],
        inputs: 2,
        ..Default::default()
    };
    let mut engine = Engine::new(EngineConfig::default());
    engine.add_all(b.articles.clone(), &|_| {});
    // The alignments the engine kept, and the pair aligned again, mark the
    // same words.
    let kept = Analysis::with_engine(&b, engine.stories(), &engine, true);
    let again = Analysis::new(&b, engine.stories(), true);
    assert_eq!(kept, again);
    let pair = kept
        .stories
        .iter()
        .flat_map(|s| &s.overview.pairs)
        .find(|p| p.child == "c")
        .expect("the copy beside its parent");
    let edited = |side: &[Segment]| -> Vec<String> {
        side.iter()
            .flat_map(|g| g.runs())
            .filter(|r| r.1)
            .map(|r| r.0.to_string())
            .collect()
    };
    let (deleted, inserted) = (edited(&pair.parent_text), edited(&pair.child_text));
    assert!(deleted.contains(&"12".to_string()), "{deleted:?}");
    assert!(inserted.contains(&"14".to_string()), "{inserted:?}");
    assert!(deleted.contains(&"closed".to_string()), "{deleted:?}");
    assert!(inserted.contains(&"<shut>".to_string()), "{inserted:?}");
    // Unchanged words are not marked, and the runs tile each text.
    assert!(!deleted.iter().any(|w| w.contains("Harbour")));
    let whole: String = pair
        .child_text
        .iter()
        .flat_map(|g| g.runs())
        .map(|r| r.0)
        .collect();
    assert_eq!(whole, child);
    // The page marks them in each text's own wording, escaped.
    let page = html::render(&kept).expect("renders");
    assert!(page.contains("<del>12</del>"), "no deletion marked");
    assert!(page.contains("<ins>14</ins>"), "no insertion marked");
    assert!(
        page.contains("<ins>&lt;shut&gt;</ins>"),
        "an edit unescaped"
    );
    assert!(!page.contains("<shut>"));
}

#[test]
fn a_subject_split_is_said_on_the_card_and_the_page() {
    let mut a = analysis(false);
    a.stories[0]
        .story
        .splits
        .push(crate::story::split::SplitView {
            left: false,
            subject: "okonkwo".into(),
            other_subject: "<b>pryce</b>".into(),
            members: 3,
            other_members: 2,
            other_articles: vec!["p-1".into(), "p-2".into()],
            by: "p-2".into(),
        });
    let page = html::render(&a).expect("renders");
    assert!(
        page.contains("2 reports about “&lt;b&gt;pryce&lt;&#x2f;b&gt;” (<span class=\"id\">p-1</span> and 1 more) taken out to a story of their own"),
        "{page}"
    );
    let mut card = Vec::new();
    text::write_cards(&mut card, &a).expect("writes");
    let card = String::from_utf8(card).expect("utf-8");
    assert!(
        card.contains("   split       2 reports about \"<b>pryce</b>\" (p-1 and 1 more) taken out to a story of their own when p-2 came in"),
        "{card}"
    );
}
