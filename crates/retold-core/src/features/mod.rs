//! Features: what is computed once per article for candidate search and alignment.
//!
//! [`Features::compute`] runs after the text stage: two MinHash sketches
//! (word 5-shingles and content words), the exact content-word set (for
//! verifying candidates), term frequencies of content stems (for IDF-weighted
//! similarity) and one small sketch per sentence (for the aligner). Features
//! serialize with serde and with a compact binary form ([`codec`]).

pub mod codec;
mod e5_centre;
pub mod embed;
pub mod embed_cache;
pub mod minhash;
pub mod sketch;
pub mod terms;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::text::{Span, TextDoc, TokenKind};
use minhash::MinHash;
use sketch::Sketcher;

/// A sentence as the aligner sees it before alignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentenceSketch {
    /// Byte span in the clean text of the article's `TextDoc`.
    pub span: Span,
    /// Sorted, distinct hashes of the sentence's content stems.
    pub stems: Vec<u32>,
    /// Sorted, distinct hashes of the numbers it mentions.
    pub numbers: Vec<u32>,
}

/// Everything later stages need of one article, computed once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Features {
    /// Word tokens in the text.
    pub words: u32,
    /// MinHash of word 5-shingles.
    pub shingle: MinHash,
    /// MinHash of content words and numbers.
    pub content: MinHash,
    /// The exact content-word set behind `content` (sorted, distinct, 32-bit).
    pub content_set: Vec<u32>,
    /// Term frequency of each content stem, sorted by term hash.
    pub terms: Vec<(u32, u16)>,
    /// Name-like terms (capitalized words that do not open a sentence; in a
    /// script without letter case, every content word) and numbers, with
    /// counts, sorted by hash: what independent reports of one event share
    /// when they share no wording.
    pub entities: Vec<(u32, u16)>,
    pub sentences: Vec<SentenceSketch>,
}

/// The key a language is counted under in the document frequencies
/// ([`terms::DocFreq::add_in`]) and the word statistics
/// ([`crate::story::History`]): the [`term_hash`] of its code.
pub fn language_key(code: &str) -> u32 {
    term_hash(code)
}

/// The 32-bit hash of a stem or number, stable across runs and versions.
#[inline]
pub fn term_hash(term: &str) -> u32 {
    xxh3_64(term.as_bytes()) as u32
}

impl Features {
    /// Computes the features of an analyzed article.
    ///
    /// ```
    /// use retold_core::features::Features;
    /// use retold_core::features::sketch::{SketchConfig, Sketcher};
    /// let raw = "The bridge closed on Monday. Engineers found 3 cracks in the span.";
    /// let doc = retold_core::text::analyze(raw, Some("en"));
    /// let f = Features::compute(&doc, &mut Sketcher::new(SketchConfig::default()));
    /// assert_eq!(f.sentences.len(), 2);
    /// assert_eq!(f.sentences[1].numbers.len(), 1);
    /// ```
    pub fn compute(doc: &TextDoc, sketcher: &mut Sketcher) -> Features {
        // Sketch the clean text: boilerplate is already gone from it.
        let sk = sketcher.sketch(&doc.clean, Some(doc.language));
        let (_, content) = sketcher.sets(&doc.clean, Some(doc.language));
        let mut content_set: Vec<u32> = content.iter().map(|&h| h as u32).collect();
        content_set.sort_unstable();
        content_set.dedup();

        let mut terms: Vec<(u32, u16)> = Vec::new();
        let mut entities: Vec<(u32, u16)> = Vec::new();
        let mut sentences = Vec::with_capacity(doc.sentences.len());
        for (i, &span) in doc.sentences.iter().enumerate() {
            let mut stems = Vec::new();
            let mut numbers = Vec::new();
            for (k, t) in doc.sentence_tokens(i).iter().enumerate() {
                match t.kind {
                    TokenKind::Number => {
                        let h = term_hash(&t.stem);
                        numbers.push(h);
                        entities.push((h, 1));
                    }
                    _ if t.is_stop || t.stem.chars().count() < 2 => {}
                    _ => {
                        let h = term_hash(&t.stem);
                        stems.push(h);
                        let first = doc.text(t.span).chars().next();
                        let capital = first.is_some_and(char::is_uppercase);
                        if (capital && k > 0) || first.is_some_and(is_caseless_letter) {
                            entities.push((h, 1));
                        }
                    }
                }
            }
            for &h in stems.iter().chain(&numbers) {
                terms.push((h, 1));
            }
            for v in [&mut stems, &mut numbers] {
                v.sort_unstable();
                v.dedup();
            }
            sentences.push(SentenceSketch {
                span,
                stems,
                numbers,
            });
        }
        Features {
            words: sk.words,
            shingle: sk.shingle,
            content: sk.content,
            content_set,
            terms: count_sorted(terms),
            entities: count_sorted(entities),
            sentences,
        }
    }
}

/// A letter of a script without letter case (Arabic, Hebrew, Devanagari,
/// Chinese, Thai, …). No word of such a script shows itself as a name by a
/// capital, so each of its content words is listed with the name-like
/// terms ([`Features::entities`]): the rare-term index keeps those that few
/// articles hold (names, places, unusual words) and drops the common ones,
/// so reports of one event in Urdu find each other as English ones do by
/// their names.
fn is_caseless_letter(c: char) -> bool {
    c.is_alphabetic() && !c.is_uppercase() && !c.is_lowercase()
}

/// Sorts (hash, count) pairs and merges repeats.
fn count_sorted(mut items: Vec<(u32, u16)>) -> Vec<(u32, u16)> {
    items.sort_unstable_by_key(|&(h, _)| h);
    let mut merged: Vec<(u32, u16)> = Vec::with_capacity(items.len());
    for (h, n) in items {
        match merged.last_mut() {
            Some((last, c)) if *last == h => *c = c.saturating_add(n),
            _ => merged.push((h, n)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::sketch::SketchConfig;

    #[test]
    fn terms_count_stems_across_sentences() {
        let raw = "Bridges closed. The bridge reopened after the bridge inspection.";
        let doc = crate::text::analyze(raw, Some("en"));
        let f = Features::compute(&doc, &mut Sketcher::new(SketchConfig::default()));
        let bridge = doc
            .tokens
            .iter()
            .find(|t| doc.text(t.span).eq_ignore_ascii_case("bridge"))
            .map(|t| term_hash(&t.stem))
            .unwrap();
        let tf = f.terms.iter().find(|(h, _)| *h == bridge).map(|(_, n)| *n);
        assert_eq!(tf, Some(3), "bridges/bridge/bridge share a stem");
        assert!(f.terms.windows(2).all(|w| w[0].0 < w[1].0));
        // Stop words are not terms.
        let the = term_hash("the");
        assert!(f.terms.iter().all(|(h, _)| *h != the));
        assert!(f.content_set.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn entities_are_names_and_numbers_not_sentence_openers() {
        let raw = "Officials met Mayor Helena Voss in Larkmoor. The 32 cables failed.";
        let doc = crate::text::analyze(raw, Some("en"));
        let f = Features::compute(&doc, &mut Sketcher::new(SketchConfig::default()));
        let has = |word: &str| {
            let t = doc
                .tokens
                .iter()
                .find(|t| doc.text(t.span) == word)
                .unwrap();
            f.entities.iter().any(|(h, _)| *h == term_hash(&t.stem))
        };
        assert!(has("Helena") && has("Voss") && has("Larkmoor") && has("32"));
        assert!(!has("Officials"), "a sentence opener is not a name");
        assert!(!has("cables"));
    }

    #[test]
    fn words_of_a_caseless_script_are_name_like_terms() {
        // Urdu has no capitals: a name ("تیج الاسلام") looks like any word,
        // so the content words of such a script are listed for the rare-term
        // index, which keeps the ones few articles hold.
        let raw = "بنگلہ دیش نے زمبابوے کو 5 وکٹوں سے شکست دے دی۔ تیج الاسلام نے ہیٹ ٹرک کی۔";
        let doc = crate::text::analyze(raw, Some("ur"));
        let f = Features::compute(&doc, &mut Sketcher::new(SketchConfig::default()));
        let listed = |word: &str| {
            doc.tokens
                .iter()
                .filter(|t| doc.text(t.span) == word)
                .all(|t| f.entities.iter().any(|(h, _)| *h == term_hash(&t.stem)))
        };
        assert!(listed("زمبابوے") && listed("الاسلام") && listed("5"));
        // Stop words are not.
        let stop = doc
            .tokens
            .iter()
            .find(|t| t.is_stop)
            .map(|t| term_hash(&t.stem));
        assert!(stop.is_some_and(|h| f.entities.iter().all(|(e, _)| *e != h)));
        // A lower-case Latin word is still no name.
        assert!(!is_caseless_letter('a') && !is_caseless_letter('A'));
        assert!(is_caseless_letter('ز') && !is_caseless_letter('5'));
    }
}
