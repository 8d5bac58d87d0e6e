//! Page furniture never links stories: pages of one site that share only
//! the site's template lines stay apart, streaming or in a batch, while
//! versions of one story (on one site or across sites) are still joined.
//! Every page here is invented for this test.

use retold_core::article::{Article, ArticleDraft, Origin};
use retold_core::relate::{compare, Relation};
use retold_core::story::{Engine, EngineConfig};

/// The template of the Tidewater Ledger around a story's paragraphs.
fn ledger(id: &str, hour: u32, images: u32, body: &[&str]) -> Article {
    let mut lines = vec![
        format!("Updated {hour}:24 am EST, Wednesday, November 20, 2019"),
        format!("Image 1 of {images}"),
        "Caption".to_string(),
        "Close".to_string(),
        format!("Image 1 of {images}"),
        "Share this story".to_string(),
    ];
    lines.extend(body.iter().map(|s| s.to_string()));
    lines.extend(
        [
            "Sign up for the Ledger morning briefing",
            "Most popular on the Ledger",
            "Comments are closed for this story",
        ]
        .map(str::to_string),
    );
    page(
        id,
        &format!("https://www.tidewater-ledger.example/news/{id}"),
        &lines,
        hour,
    )
}

/// The template of the Northfield Post.
fn post(id: &str, hour: u32, body: &[&str]) -> Article {
    let mut lines = vec![
        format!("Published {hour}:00 am CST, Wednesday, November 20, 2019"),
        "Caption".to_string(),
        "Close".to_string(),
        "Listen to this article".to_string(),
    ];
    lines.extend(body.iter().map(|s| s.to_string()));
    lines.extend(
        [
            "Read more from the Northfield Post newsroom",
            "Follow the Post on social media",
        ]
        .map(str::to_string),
    );
    page(
        id,
        &format!("https://northfield-post.example/{id}"),
        &lines,
        hour,
    )
}

fn page(id: &str, url: &str, lines: &[String], hour: u32) -> Article {
    ArticleDraft {
        id: Some(id.into()),
        url: Some(url.into()),
        published: Some(format!("2019-11-20T{hour:02}:00:00Z")),
        text: lines.join("\n"),
        language: Some("en".into()),
        ..Default::default()
    }
    .finish(Origin::whole(id))
    .expect("article")
}

const AUTO_SHOW: &[&str] = &[
    "Electric vans and a redesigned compact hatchback are the main attractions at the Pacific Motor Fair this week.",
    "Organizers expect more than nine hundred thousand visitors over the ten days of the fair in Port Alder.",
    "One carmaker is showing a folding cargo bike that charges from the van it rides in.",
    "Dealers said the prices of the new models would be announced in the spring.",
    "The fair opens to the public on Friday morning at the harbour exhibition halls.",
];

const SCHOOL_BOARD: &[&str] = &[
    "The Marren County school board voted five to two on Tuesday to extend the school day by twenty minutes.",
    "Teachers asked the board to hire more classroom aides before lengthening lessons.",
    "Parents who spoke at the meeting were split over the earlier bus schedule.",
    "The change takes effect in the autumn term if the state education office approves it.",
    "Board chair Delia Fensworth said the extra minutes would go to reading practice.",
];

const HARVEST: &[&str] = &[
    "Cranberry growers along the Sellick river reported their smallest harvest in twelve years.",
    "A dry August left the bogs short of water just as the berries were ripening.",
    "The growers' cooperative said prices for fresh berries would rise before the holidays.",
    "Some farms flooded their bogs from wells for the first time, at great cost.",
    "Agronomist Ravi Okonkwo said the crop could recover next year if winter brings snow.",
];

const BRIDGE: &[&str] = &[
    "Engineers closed the Quarry Lane bridge in Northfield after finding a cracked steel girder on Monday.",
    "Traffic is being sent over the old mill crossing, adding twenty minutes to the commute for many drivers.",
    "City engineer Tomasz Whitlow said repairs would take at least six weeks and cost about two million dollars.",
    "The bridge carried eleven thousand vehicles a day and was last inspected in the spring.",
    "Residents said cracks had been visible from the riverbank for months before the closure.",
];

/// Four pages of one site (three unrelated stories, one story twice), and
/// two of another site, one of them a rewrite of a Ledger story.
fn corpus() -> Vec<Article> {
    let bridge_rewrite: Vec<String> = BRIDGE
        .iter()
        .map(|s| {
            s.replace("Engineers closed", "City engineers shut")
                .replace("at least six weeks", "six weeks or more")
        })
        .collect();
    let bridge_rewrite: Vec<&str> = bridge_rewrite.iter().map(String::as_str).collect();
    vec![
        ledger("ledger-auto", 1, 23, AUTO_SHOW),
        post("post-school", 2, SCHOOL_BOARD),
        ledger("ledger-harvest", 3, 9, HARVEST),
        ledger("ledger-bridge", 4, 5, BRIDGE),
        post("post-bridge", 6, &bridge_rewrite),
        ledger("ledger-bridge-again", 7, 5, BRIDGE),
    ]
}

/// Each story's member ids, sorted, stories sorted.
fn groups(engine: &Engine) -> Vec<Vec<String>> {
    let mut g: Vec<Vec<String>> = engine
        .stories()
        .iter()
        .map(|s| {
            let mut ids: Vec<String> = s.members.iter().map(|m| m.article.clone()).collect();
            ids.sort();
            ids
        })
        .collect();
    g.sort();
    g
}

fn expected() -> Vec<Vec<String>> {
    let mut want: Vec<Vec<String>> = vec![
        vec!["ledger-auto".into()],
        vec![
            "ledger-bridge".into(),
            "ledger-bridge-again".into(),
            "post-bridge".into(),
        ],
        vec!["ledger-harvest".into()],
        vec!["post-school".into()],
    ];
    want.sort();
    want
}

#[test]
fn furniture_joins_nothing_in_a_batch() {
    let mut engine = Engine::new(EngineConfig::default());
    engine.add_all(corpus(), &|_| {});
    assert_eq!(groups(&engine), expected());
}

#[test]
fn furniture_joins_nothing_one_at_a_time() {
    let mut engine = Engine::new(EngineConfig::default());
    for a in corpus() {
        engine.add(a);
    }
    assert_eq!(groups(&engine), expected());
}

#[test]
fn compare_calls_template_twins_unrelated() {
    let pages = corpus();
    let by = |id: &str| pages.iter().find(|a| a.id == id).unwrap();
    let cmp = compare(by("ledger-auto"), by("ledger-harvest"));
    assert_eq!(
        cmp.verdict.relation,
        Relation::Unrelated,
        "{:?}",
        cmp.verdict.features
    );
    // The site's lines are out of both analyzed texts, offsets intact.
    assert!(cmp.a.removed.iter().any(|r| r.label == "furniture"));
    assert!(!cmp.a.clean.contains("Caption"));
    // Versions of one story on one site keep every shared line.
    let same = compare(by("ledger-bridge-again"), by("ledger-bridge"));
    assert!(
        same.verdict.relation.is_derived(),
        "{:?}",
        same.verdict.relation
    );
    assert!(same.a.removed.iter().all(|r| r.label != "furniture"));
}
