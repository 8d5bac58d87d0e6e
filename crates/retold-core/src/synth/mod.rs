//! A synthetic corpus with known ground truth, for benchmarks and recall checks.
//!
//! From a pool of source texts it writes articles of three sorts: originals
//! (a source text), derived versions of an original made by a known
//! transformation, and unrelated filler (sentences drawn from many sources).
//! Everything follows from the seed, so a run can be repeated exactly.

mod rng;
mod transform;

use serde::{Deserialize, Serialize};

pub use rng::Rng;
pub use transform::Derivation;

/// Generator settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SynthConfig {
    /// Articles to write.
    pub articles: usize,
    pub seed: u64,
    /// Share of articles that are filler.
    pub filler_share: f64,
    /// Derived versions per original: uniform in `1..=max_derived`.
    pub max_derived: usize,
}

impl Default for SynthConfig {
    fn default() -> Self {
        Self {
            articles: 10_000,
            seed: 1,
            filler_share: 0.5,
            max_derived: 4,
        }
    }
}

/// One generated article with its truth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SynthArticle {
    pub id: String,
    pub title: String,
    pub published: String,
    pub text: String,
    /// Gold story: the original's id for originals and their versions, own id for filler.
    pub story: String,
    /// `original`, `filler`, or the derivation's name.
    pub derivation: String,
    /// The article this one was made from, for derived versions.
    pub parent: Option<String>,
}

/// Splits a source text into sentences well enough for generation.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split("\n\n") {
        let mut start = 0;
        let bytes = para.as_bytes();
        for i in 0..bytes.len() {
            let end_mark = matches!(bytes[i], b'.' | b'!' | b'?');
            let next_is_space = bytes.get(i + 1).is_some_and(|b| *b == b' ');
            let next_upper = bytes
                .get(i + 2)
                .is_some_and(|b| b.is_ascii_uppercase() || *b == b'"');
            if !(end_mark && next_is_space && next_upper) {
                continue;
            }
            // Keep "Mr. Smith" and initials together. `i` is on an ASCII byte,
            // so it is a char boundary.
            let short_word = para[start..i].rsplit(' ').next().is_some_and(|w| {
                w.len() <= 2 || matches!(w, "Mr" | "Mrs" | "Dr" | "St" | "Gov" | "Sen")
            });
            if !short_word {
                let s = para[start..=i].trim();
                if !s.is_empty() {
                    out.push(s.split_whitespace().collect::<Vec<_>>().join(" "));
                }
                start = i + 1;
            }
        }
        let s = para[start..].trim();
        if !s.is_empty() {
            out.push(s.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    out
}

/// Longest source sentence used, in words.
const MAX_SENTENCE_WORDS: usize = 60;

/// Writes `config.articles` articles from `sources` (each a list of
/// sentences), calling `emit` for each in order.
///
/// ```
/// use retold_core::synth::{generate, sentences, SynthConfig};
/// let sources = vec![
///     sentences("The bridge closed on Monday. Engineers found a crack. The mayor spoke. Repairs start soon."),
///     sentences("Markets fell in Tokyo. Investors sold shares. The yen rose. Analysts were surprised."),
/// ];
/// let mut out = Vec::new();
/// generate(&sources, &SynthConfig { articles: 20, ..Default::default() }, |a| out.push(a));
/// assert_eq!(out.len(), 20);
/// ```
pub fn generate(sources: &[Vec<String>], config: &SynthConfig, mut emit: impl FnMut(SynthArticle)) {
    // Web text holds "sentences" of hundreds of words (lists, run-on
    // paragraphs). Two articles that drew the same one would look like
    // copies, so only sentences of ordinary length are used.
    let trimmed: Vec<Vec<String>> = sources
        .iter()
        .map(|s| {
            s.iter()
                .filter(|x| (3..=MAX_SENTENCE_WORDS).contains(&x.split_whitespace().count()))
                .cloned()
                .collect()
        })
        .collect();
    let usable: Vec<&Vec<String>> = trimmed.iter().filter(|s| s.len() >= 3).collect();
    if usable.is_empty() {
        return;
    }
    let mut rng = Rng::new(config.seed);
    let all_sentences: Vec<&str> = usable
        .iter()
        .flat_map(|s| s.iter().map(String::as_str))
        .collect();
    let mut written = 0usize;
    let mut n_original = 0usize;
    // Publication times step forward so derived versions come after originals.
    // They start in 1995 so that a million articles (about 28 years of
    // steps) still end in the past: ingest drops dates more than a day
    // ahead of the clock, and an undated corpus is another benchmark.
    let mut clock: i64 = 788_918_400; // 1995-01-01T00:00:00Z
    let stamp = |t: i64| {
        jiff::Timestamp::from_second(t)
            .map(|ts| ts.to_string())
            .unwrap_or_default()
    };
    // A story yields 1 + (max_derived + 1) / 2 articles on average; choose
    // filler per draw so that `filler_share` holds per article.
    let per_story = 1.0 + (config.max_derived.max(1) as f64 + 1.0) / 2.0;
    let f = config.filler_share.clamp(0.0, 1.0);
    let filler_draw = if f >= 1.0 {
        1.0
    } else {
        f * per_story / (1.0 - f + f * per_story)
    };
    while written < config.articles {
        clock += 60 + rng.below(600) as i64;
        if rng.chance(filler_draw) {
            let id = format!("f{written:07}");
            let text = paragraphs(compose(&usable, &mut rng));
            emit(SynthArticle {
                title: title_of(&text),
                story: id.clone(),
                id,
                published: stamp(clock),
                text,
                derivation: "filler".into(),
                parent: None,
            });
            written += 1;
            continue;
        }
        let body = compose(&usable, &mut rng);
        let id = format!("o{n_original:07}");
        n_original += 1;
        let text = paragraphs(body.clone());
        emit(SynthArticle {
            title: title_of(&text),
            story: id.clone(),
            id: id.clone(),
            published: stamp(clock),
            text,
            derivation: "original".into(),
            parent: None,
        });
        written += 1;
        let copies = 1 + rng.below(config.max_derived.max(1) as u64) as usize;
        for c in 0..copies {
            if written >= config.articles {
                break;
            }
            let kind = Derivation::ALL[rng.below(Derivation::ALL.len() as u64) as usize];
            let derived = kind.apply(&body, &mut rng, &all_sentences);
            clock += 30 + rng.below(3600) as i64;
            let text = paragraphs(derived);
            emit(SynthArticle {
                id: format!("{id}-{c}"),
                title: title_of(&text),
                published: stamp(clock),
                text,
                story: id.clone(),
                derivation: kind.name().into(),
                parent: Some(id.clone()),
            });
            written += 1;
        }
    }
}

/// A new article body: 12–30 sentences in short runs (1–3 consecutive
/// sentences) from random places of random sources. Originals and filler are
/// made alike, so that two of them share a sentence only by rare chance and a
/// corpus of a million articles needs only a few thousand sources.
fn compose(sources: &[&Vec<String>], rng: &mut Rng) -> Vec<String> {
    let target = 12 + rng.below(19) as usize;
    let mut out = Vec::with_capacity(target + 2);
    while out.len() < target {
        let src = sources[rng.below(sources.len() as u64) as usize];
        let run = 1 + rng.below(3) as usize;
        let start = rng.below(src.len() as u64) as usize;
        out.extend(src[start..(start + run).min(src.len())].iter().cloned());
    }
    out
}

/// Groups sentences into paragraphs of three.
fn paragraphs(sentences: Vec<String>) -> String {
    sentences
        .chunks(3)
        .map(|c| c.join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn title_of(text: &str) -> String {
    text.split_whitespace()
        .take(8)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> Vec<Vec<String>> {
        (0..30)
            .map(|d| {
                (0..12)
                    .map(|s| format!("Source {d} says that item {s} of report {d} cost 4{s}0 crowns in Harbortown today."))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn deterministic_and_labelled() {
        let cfg = SynthConfig {
            articles: 300,
            seed: 7,
            ..Default::default()
        };
        let mut a = Vec::new();
        generate(&pool(), &cfg, |x| a.push(x));
        let mut b = Vec::new();
        generate(&pool(), &cfg, |x| b.push(x));
        assert_eq!(a, b);
        assert_eq!(a.len(), 300);
        let ids: std::collections::HashSet<&str> = a.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids.len(), 300, "ids are unique");
        for x in &a {
            match x.derivation.as_str() {
                "filler" | "original" => assert_eq!(x.story, x.id),
                _ => assert_eq!(x.parent.as_deref(), Some(x.story.as_str())),
            }
        }
        let fillers = a.iter().filter(|x| x.derivation == "filler").count();
        assert!((100..200).contains(&fillers), "{fillers}");
        // Every derivation kind shows up.
        for k in Derivation::ALL {
            assert!(a.iter().any(|x| x.derivation == k.name()), "{}", k.name());
        }
    }

    proptest::proptest! {
        #[test]
        fn sentence_splitter_never_panics(text in "\\PC{0,200}") {
            for s in sentences(&text) {
                proptest::prop_assert!(!s.is_empty());
            }
        }
    }

    #[test]
    fn sentence_splitter_keeps_titles() {
        let s = sentences("Mr. Smith met Dr. Jones. They spoke. \"Fine,\" he said.");
        assert_eq!(
            s,
            vec![
                "Mr. Smith met Dr. Jones.",
                "They spoke.",
                "\"Fine,\" he said."
            ]
        );
    }
}
