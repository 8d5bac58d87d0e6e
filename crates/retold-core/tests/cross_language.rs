//! The engine's cross-language path with stand-in embedders (no model
//! needed): the wiring from candidates to the `translated` member and its
//! changes, and pairs kept apart when their sentences do not align.

use std::sync::Arc;

use retold_core::article::{Article, ArticleDraft, Origin};
use retold_core::changes::ChangeKind;
use retold_core::features::embed::{EmbedError, Embedder};
use retold_core::relate::Relation;
use retold_core::story::{Engine, EngineConfig, Role};

fn article(id: &str, language: &str, date: &str, text: &str) -> Article {
    ArticleDraft {
        id: Some(id.into()),
        language: Some(language.into()),
        published: Some(date.into()),
        text: text.into(),
        ..Default::default()
    }
    .finish(Origin::whole(id))
    .unwrap_or_else(|e| panic!("{e}"))
}

/// A stand-in for a translation's embedding: each sentence of the flood
/// report and the same sentence of its German translation (told by a word
/// they share: the day, the town, the mayor, the last day) get a direction
/// of their own; every other text (the leads, which hold all four words, a
/// translation note, the fillers) one common direction. A translated
/// sentence stands out from the other sentences of its partner, as the
/// cross-language verdict asks (a ratio margin, not a cosine floor: were
/// every sentence the same vector, nothing would stand out).
struct Same;

/// The words that tell which sentence of the flood report a text is.
const KEYS: [&[&str]; 4] = [
    &["Sunday", "Sonntag"],
    &["Wexhall"],
    &["Okaf"],
    &["Friday", "Freitag"],
];

impl Embedder for Same {
    fn name(&self) -> &str {
        "same"
    }
    fn dim(&self) -> usize {
        5
    }
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        Ok(texts
            .iter()
            .map(|t| {
                let hits: Vec<usize> = (0..KEYS.len())
                    .filter(|&k| KEYS[k].iter().any(|w| t.contains(w)))
                    .collect();
                let mut v = vec![0.3, 0.0, 0.0, 0.0, 0.0];
                match hits[..] {
                    [k] => v[k + 1] = 1.0,
                    _ => v[0] = 1.0,
                }
                v
            })
            .collect())
    }
}

/// Each text gets its own direction (from a hash of its words): no two
/// texts are alike.
struct Apart;

impl Embedder for Apart {
    fn name(&self) -> &str {
        "apart"
    }
    fn dim(&self) -> usize {
        64
    }
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        Ok(texts
            .iter()
            .map(|t| {
                let mut v = vec![0f32; 64];
                let h = t.bytes().fold(1469598103934665603u64, |h, b| {
                    (h ^ u64::from(b)).wrapping_mul(1099511628211)
                });
                v[(h % 64) as usize] = 1.0;
                v
            })
            .collect())
    }
}

const EN: &str = "The river Aln burst its banks early on Sunday after three days of rain. \
    About 300 homes were flooded in the old town of Wexhall, the fire service said. \
    Mayor Ines Okafor asked residents to boil their drinking water. \
    Schools will stay closed until Friday, the education office announced.";
const DE: &str =
    "Der Fluss Aln ist am Sonntagmorgen nach drei Tagen Regen über die Ufer getreten. \
    Rund 400 Häuser in der Altstadt von Wexhall wurden überflutet, teilte die Feuerwehr mit. \
    Bürgermeisterin Ines Okafur rief die Bewohner auf, ihr Trinkwasser abzukochen. \
    Die Schulen bleiben nach Angaben des Schulamts bis Freitag geschlossen.";

/// An engine with `embedder` given the English report and, four hours
/// later, the German text.
fn english_then_german(embedder: Arc<dyn Embedder>) -> Engine {
    let mut engine = Engine::new(EngineConfig::default());
    engine.set_embedder(Some(embedder));
    engine.add_all(
        vec![
            article("en", "en", "2026-03-01T08:00:00Z", EN),
            article("de", "de", "2026-03-01T12:00:00Z", DE),
        ],
        &|_| {},
    );
    engine
}

#[test]
fn a_translation_is_placed_below_its_source_with_its_changes() {
    let engine = english_then_german(Arc::new(Same));
    assert!(engine.cross_language_on());
    let stories = engine.stories();
    assert_eq!(stories.len(), 1, "{stories:#?}");
    let m = &stories[0].members[1];
    assert_eq!(m.article, "de");
    assert_eq!(m.role, Role::Derived);
    assert_eq!(m.relation, Some(Relation::Translated));
    assert_eq!(m.parent.as_deref(), Some("en"));
    let t = m
        .evidence
        .as_ref()
        .and_then(|e| e.translation.as_ref())
        .expect("translation evidence");
    assert_eq!(t.first_reported_in.as_deref(), Some("en"));
    assert_eq!(t.sentences.len(), 4);
    // The altered figure and the garbled name, found across languages.
    let changed: Vec<(ChangeKind, &str, &str)> = m
        .changes
        .iter()
        .filter_map(|c| {
            Some((
                c.kind,
                c.parent.as_ref()?.text.as_str(),
                c.child.as_ref()?.text.as_str(),
            ))
        })
        .collect();
    assert!(
        changed.contains(&(ChangeKind::NumberChanged, "300", "400")),
        "{changed:?}"
    );
    assert!(
        changed.contains(&(ChangeKind::NameVariant, "Okafor", "Okafur")),
        "{changed:?}"
    );
    // "three" / "drei" and "Friday" / "Freitag" are not changes.
    assert_eq!(changed.len(), 2, "{changed:?}");
}

#[test]
fn the_translation_may_come_first() {
    // The German text is older: the English one is its translation.
    let mut engine = Engine::new(EngineConfig::default());
    engine.set_embedder(Some(Arc::new(Same)));
    engine.add(article("de", "de", "2026-03-01T08:00:00Z", DE));
    engine.add(article("en", "en", "2026-03-01T12:00:00Z", EN));
    let stories = engine.stories();
    assert_eq!(stories.len(), 1);
    assert_eq!(stories[0].origin, "de");
    let m = &stories[0].members[1];
    assert_eq!(
        (m.relation, m.parent.as_deref()),
        (Some(Relation::Translated), Some("de"))
    );
    let t = m.evidence.as_ref().and_then(|e| e.translation.as_ref());
    assert_eq!(t.and_then(|t| t.first_reported_in.as_deref()), Some("de"));
}

#[test]
fn texts_whose_sentences_do_not_align_stay_apart() {
    let engine = english_then_german(Arc::new(Apart));
    assert!(engine.cross_language_on());
    assert_eq!(engine.stories().len(), 2);
}

#[test]
fn without_an_embedder_nothing_crosses() {
    let mut engine = Engine::new(EngineConfig::default());
    engine.set_embedder(None);
    engine.add(article("en", "en", "2026-03-01T08:00:00Z", EN));
    engine.add(article("de", "de", "2026-03-01T12:00:00Z", DE));
    assert!(!engine.cross_language_on());
    assert_eq!(engine.embedded_texts(), 0);
    assert_eq!(engine.stories().len(), 2);
}

#[test]
fn undated_a_translation_note_tells_the_direction() {
    let undated = |id: &str, language: &str, text: &str| {
        ArticleDraft {
            id: Some(id.into()),
            language: Some(language.into()),
            text: text.into(),
            ..Default::default()
        }
        .finish(Origin::whole(id))
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let de = format!("{DE} Aus dem Englischen übersetzt.");
    let mut engine = Engine::new(EngineConfig::default());
    engine.set_embedder(Some(Arc::new(Same)));
    // The translation comes first in the input, with no dates to tell.
    engine.add(undated("de", "de", &de));
    engine.add(undated("en", "en", EN));
    let stories = engine.stories();
    assert_eq!(stories.len(), 1);
    assert_eq!(stories[0].origin, "en", "{stories:#?}");
    let m = stories[0].member("de").expect("member");
    assert_eq!(
        (m.relation, m.parent.as_deref()),
        (Some(Relation::Translated), Some("en"))
    );
    let e = m.evidence.as_ref().expect("evidence");
    assert!(
        e.direction.iter().any(|d| matches!(
            d,
            retold_core::relate::DirectionEvidence::Attribution { phrase, .. } if phrase == "Aus dem Englischen"
        )),
        "{:?}",
        e.direction
    );
}

/// An English text of its own (words made from `n`, no names or numbers):
/// filler that shares nothing with the flood report or its translation.
fn filler(n: usize) -> String {
    let word = |k: usize| {
        let syllables = [
            "ka", "lo", "mi", "ren", "tu", "vas", "po", "dre", "sil", "nor",
        ];
        let mut w = String::new();
        let mut x = n * 7 + k * 13 + 1;
        for _ in 0..3 {
            w.push_str(syllables[x % syllables.len()]);
            x /= syllables.len();
            x += k;
        }
        w
    };
    let words: Vec<String> = (0..24).map(word).collect();
    format!(
        "The {} of the {} was seen by the {} near the {}. It was said that the {} and the {} \
         had gone to the {} before the {} came. Nobody knew why the {} stayed in the {}.",
        words[0],
        words[1],
        words[2],
        words[3],
        words[4],
        words[5],
        words[6],
        words[7],
        words[8],
        words[9]
    )
}

/// The flood report, its German translation four hours later, then 119
/// English fillers an hour apart: the first ten articles are 10% German,
/// all 121 under 1%.
fn stream() -> Vec<Article> {
    let mut out = vec![
        article("en", "en", "2026-03-01T08:00:00Z", EN),
        article("de", "de", "2026-03-01T12:00:00Z", DE),
    ];
    let start = jiff::Timestamp::from_second(1_772_366_400).unwrap_or_else(|e| panic!("{e}"));
    for n in 0..119 {
        let at = start + jiff::SignedDuration::from_secs(3600 * (n as i64 + 1));
        out.push(article(
            &format!("f{n:03}"),
            "en",
            &at.to_string(),
            &filler(n),
        ));
    }
    out
}

/// The stories after the stream in batches of `size` (0: one call).
fn in_batches(size: usize, embedder: Option<Arc<dyn Embedder>>) -> Vec<retold_core::story::Story> {
    let articles = stream();
    let mut engine = Engine::new(EngineConfig::default());
    engine.set_embedder(embedder);
    if size == 0 {
        engine.add_all(articles, &|_| {});
    } else {
        for batch in articles.chunks(size) {
            engine.add_all(batch.to_vec(), &|_| {});
        }
    }
    engine.stories()
}

/// Issue 16: a service adds a stream in batches, the CLI all at once;
/// whether a pair is compared across languages must not depend on which
/// articles came in the same batch (the first ten here are 10% German,
/// the whole under 1%), with the model or without.
#[test]
fn batches_and_one_call_give_the_same_stories() {
    for embedder in [Some(Arc::new(Same) as Arc<dyn Embedder>), None] {
        let whole = in_batches(0, embedder.clone());
        for size in [1, 10, 50] {
            assert_eq!(
                in_batches(size, embedder.clone()),
                whole,
                "batches of {size}, embedder {}",
                embedder.is_some()
            );
        }
        let translated = whole
            .iter()
            .flat_map(|s| &s.members)
            .any(|m| m.article == "de" && m.relation == Some(Relation::Translated));
        assert_eq!(translated, embedder.is_some());
    }
    // Added one by one, the same.
    let mut engine = Engine::new(EngineConfig::default());
    engine.set_embedder(Some(Arc::new(Same)));
    for a in stream() {
        engine.add(a);
    }
    assert_eq!(engine.stories(), in_batches(0, Some(Arc::new(Same))));
}

/// The fillers share no names or numbers with anything across languages:
/// only the flood report and its translation are embedded (their leads,
/// then their sentences).
#[test]
fn only_pairs_sharing_anchors_are_embedded() {
    let counting = Arc::new(Counting::default());
    let mut engine = Engine::new(EngineConfig::default());
    engine.set_embedder(Some(counting.clone()));
    engine.add_all(stream(), &|_| {});
    // Two leads and the two texts' four sentences each.
    assert_eq!(counting.texts(), 2 + 4 + 4);
}

/// Counts the texts it is asked to embed (all one vector).
#[derive(Default)]
struct Counting(std::sync::atomic::AtomicUsize);

impl Counting {
    fn texts(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Embedder for Counting {
    fn name(&self) -> &str {
        "counting"
    }
    fn dim(&self) -> usize {
        3
    }
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.0
            .fetch_add(texts.len(), std::sync::atomic::Ordering::Relaxed);
        Ok(texts.iter().map(|_| vec![0.6, 0.8, 0.0]).collect())
    }
}

/// How many texts an engine with a counting embedder sends to the model
/// for `articles`, added in one call.
fn embedded(articles: Vec<Article>) -> usize {
    let counting = Arc::new(Counting::default());
    let mut engine = Engine::new(EngineConfig::default());
    engine.set_embedder(Some(counting.clone()));
    engine.add_all(articles, &|_| {});
    counting.texts()
}

/// The anchors' surprise: 30 English articles name the mayor Okafor and
/// the year 2024; a French article that names both, and nothing else in
/// common, shares only what every earlier article holds (a chance
/// partner of any of them), so nothing is embedded. With the two names
/// rare (the English articles name 30 people, one of them Okafor) the same French
/// article is compared with the one that names them.
#[test]
fn anchors_every_article_holds_do_not_start_the_model() {
    let english = |n: usize, name: &str| {
        article(
            &format!("e{n:02}"),
            "en",
            &format!("2026-03-01T{:02}:{:02}:00Z", n / 6, (n % 6) * 10),
            &format!("{} Mayor {name} spoke about the plans for 2024.", filler(n)),
        )
    };
    let french = article(
        "fr",
        "fr",
        "2026-03-01T06:00:00Z",
        "Le maire Okafor a parlé des fêtes de la rentrée de 2024 devant les écoles.",
    );
    let mut common: Vec<Article> = (0..30).map(|n| english(n, "Okafor")).collect();
    common.push(french.clone());
    assert_eq!(embedded(common), 0);
    let mut rare: Vec<Article> = (0..30).map(|n| english(n, PEOPLE[n])).collect();
    rare.push(french);
    assert!(embedded(rare) >= 2);
}

/// Surnames for [`anchors_every_article_holds_do_not_start_the_model`].
const PEOPLE: [&str; 30] = [
    "Abara",
    "Bexley",
    "Corrin",
    "Dunmore",
    "Eldrith",
    "Farrow",
    "Gallin",
    "Okafor",
    "Ilsley",
    "Jarrow",
    "Kellan",
    "Lindqvist",
    "Morrow",
    "Nyland",
    "Orlow",
    "Pennick",
    "Quill",
    "Ruthven",
    "Sallow",
    "Tarrant",
    "Ulfsson",
    "Varley",
    "Wexford",
    "Yarrow",
    "Zelman",
    "Ashby",
    "Brandt",
    "Cobham",
    "Dorsey",
    "Elton",
];

/// The share of anchors: an English article that names twenty people and
/// a French one that names twenty others share three names, too few of
/// either's to be a translation; nothing is embedded. A French article
/// that names the English one's twenty people is compared.
#[test]
fn a_few_names_among_many_are_not_a_translation() {
    let english = article(
        "en",
        "en",
        "2026-03-01T08:00:00Z",
        &format!(
            "The list was read out by the clerk: {}.",
            PEOPLE[..20].join(", ")
        ),
    );
    let french = |people: &[&str]| {
        let said: Vec<String> = people
            .chunks(2)
            .map(|p| format!("Hier soir, {} a salué {} devant la mairie.", p[0], p[1]))
            .collect();
        article("fr", "fr", "2026-03-01T09:00:00Z", &said.join(" "))
    };
    let others = [
        "Aldous",
        "Brennan",
        "Caspian",
        "Delacroix",
        "Evander",
        "Faramond",
        "Gideon",
    ];
    let few: Vec<&str> = PEOPLE[17..].iter().chain(&others).copied().collect();
    assert_eq!(few.len(), 20);
    assert_eq!(embedded(vec![english.clone(), french(&few)]), 0);
    let mut all = PEOPLE[..20].to_vec();
    all.reverse();
    assert!(embedded(vec![english, french(&all)]) >= 2);
}

/// A page labelled Spanish that copies an English article is found by the
/// lexical path and called a copy by the lexical verdict: the model is not
/// needed for it.
#[test]
fn a_copy_the_lexical_path_finds_needs_no_model() {
    let copy = article("es", "es", "2026-03-01T12:00:00Z", EN);
    assert_eq!(
        embedded(vec![article("en", "en", "2026-03-01T08:00:00Z", EN), copy]),
        0
    );
}

/// The German translation put back into English by a content farm: it
/// carries the translation's figure (400) and spelling (Okafur).
const ROUND_TRIP: &str =
    "The river Aln stepped over its banks on Sunday morning after three days of rain. \
    Around 400 houses in the old town of Wexhall were flooded, the fire brigade communicated. \
    Mayoress Ines Okafur called on the inhabitants to boil off their drinking water. \
    The schools remain closed until Friday according to the school office.";

#[test]
fn a_translation_put_back_into_the_source_language_is_a_round_trip() {
    let mut engine = Engine::new(EngineConfig::default());
    engine.set_embedder(Some(Arc::new(Same)));
    engine.add_all(
        vec![
            article("en", "en", "2026-03-01T08:00:00Z", EN),
            article("de", "de", "2026-03-01T12:00:00Z", DE),
            article("back", "en", "2026-03-02T09:00:00Z", ROUND_TRIP),
            // A copy of the English report after the translation: it
            // aligns with the German text as well as the report does, but
            // carries none of the translation's edits.
            article("copy", "en", "2026-03-02T10:00:00Z", EN),
        ],
        &|_| {},
    );
    let stories = engine.stories();
    assert_eq!(stories.len(), 1, "{stories:#?}");
    let member = |id: &str| {
        stories[0]
            .member(id)
            .unwrap_or_else(|| panic!("{id} not in {stories:#?}"))
    };
    let back = member("back");
    assert_eq!(
        (back.relation, back.parent.as_deref()),
        (Some(Relation::Spun), Some("en")),
        "{back:#?}"
    );
    let rt = back.evidence.as_ref().and_then(|e| e.round_trip.as_ref());
    assert_eq!(
        rt.map(|r| (r.via.as_str(), r.language.as_str())),
        Some(("de", "de")),
        "{back:#?}"
    );
    let copy = member("copy");
    assert!(
        copy.evidence
            .as_ref()
            .is_some_and(|e| e.round_trip.is_none()),
        "{copy:#?}"
    );
    assert_ne!(copy.relation, Some(Relation::Spun), "{copy:#?}");
}
