//! Word tokens: UAX#29 word boundaries, lower-cased Snowball stems and stop
//! words per language.
//!
//! This is on the hot path of feature extraction, so the per-language
//! stemmer and stop-word set are built once per process, stems are cached
//! per thread, word boundaries of ASCII text take a fast path (`uax29.rs`),
//! lower-casing goes through one reused buffer and each token allocates
//! exactly its stem.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use rust_stemmers::Stemmer;
use serde::{Deserialize, Serialize};

use super::language::{kit, Fnv, LanguageKit};
use super::uax29::for_each_word_segment;
use super::{Span, Token};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum TokenKind {
    /// A word (letters, possibly with digits or inner apostrophes and dots).
    #[default]
    Word,
    /// A token that starts with a digit: `3.5`, `1,200`, the `32` of
    /// `32-member`, `1990s`, `3rd`.
    Number,
}

/// Most words of news text come back again and again; Snowball stemming
/// costs far more than a hash lookup, so each thread keeps the stems it has
/// computed, per language, up to this many words (then starts afresh).
const STEM_CACHE_WORDS: usize = 100_000;

/// Lower-cased word → (stem, is stop word).
type StemMap = HashMap<Box<str>, (Box<str>, bool), BuildHasherDefault<Fnv>>;

thread_local! {
    static STEM_CACHE: RefCell<Vec<(&'static str, StemMap)>> = const { RefCell::new(Vec::new()) };
}

/// Tokenizes `text` (normally `TextDoc::clean`) for the language `language`
/// (an ISO 639-1 code; unknown codes get no stemming and no stop words).
///
/// Stop words keep their lower-cased form as stem; numbers keep their text.
pub fn tokenize(text: &str, language: &'static str) -> Vec<Token> {
    STEM_CACHE.with(|cache| match cache.try_borrow_mut() {
        Ok(mut cache) => {
            let i = match cache.iter().position(|(l, _)| *l == language) {
                Some(i) => i,
                None => {
                    cache.push((language, StemMap::default()));
                    cache.len() - 1
                }
            };
            let map = &mut cache[i].1;
            if map.len() > STEM_CACHE_WORDS {
                map.clear();
            }
            tokenize_with(text, language, Some(map))
        }
        Err(_) => tokenize_with(text, language, None),
    })
}

fn tokenize_with(
    text: &str,
    language: &'static str,
    mut cache: Option<&mut StemMap>,
) -> Vec<Token> {
    let kit = kit(language);
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut lower = String::with_capacity(32);
    for_each_word_segment(text, |start, word| {
        let Some(&b0) = word.as_bytes().first() else {
            return;
        };
        // Spaces and punctuation: most segments, dismissed by one byte.
        if b0.is_ascii() && !b0.is_ascii_alphanumeric() && b0 != b'_' && word.is_ascii() {
            return;
        }
        let Some(first) = word.chars().next() else {
            return;
        };
        let kind = if first.is_numeric() {
            TokenKind::Number
        } else if first.is_alphanumeric() || word.chars().any(char::is_alphanumeric) {
            TokenKind::Word
        } else {
            return;
        };
        lower.clear();
        if word.is_ascii() {
            lower.push_str(word);
            lower.make_ascii_lowercase();
        } else {
            for c in word.chars() {
                lower.extend(c.to_lowercase());
            }
        }
        let (stem, is_stop) = match (kind, &kit.stemmer, cache.as_deref_mut()) {
            (TokenKind::Number, _, _) => (lower.as_str().to_owned(), false),
            (TokenKind::Word, Some(stemmer), Some(map)) => match map.get(lower.as_str()) {
                Some((stem, stop)) => (String::from(&**stem), *stop),
                None => {
                    let (stem, stop) = stem_word(kit, stemmer, &lower);
                    map.insert(lower.as_str().into(), (stem.as_str().into(), stop));
                    (stem, stop)
                }
            },
            (TokenKind::Word, Some(stemmer), None) => stem_word(kit, stemmer, &lower),
            (TokenKind::Word, None, _) => {
                let stop = kit.stop_words.contains(lower.as_str());
                (lower.as_str().to_owned(), stop)
            }
        };
        tokens.push(Token {
            span: Span {
                start,
                end: start + word.len(),
            },
            stem,
            is_stop,
            kind,
        });
    });
    tokens
}

/// Stem and stop-word flag of a lower-cased word; stop words are not
/// stemmed.
fn stem_word(kit: &LanguageKit, stemmer: &Stemmer, lower: &str) -> (String, bool) {
    if kit.stop_words.contains(lower) {
        (lower.to_owned(), true)
    } else {
        (stemmer.stem(lower).into_owned(), false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(text: &'a str, tokens: &[Token]) -> Vec<&'a str> {
        tokens
            .iter()
            .map(|t| &text[t.span.start..t.span.end])
            .collect()
    }

    #[test]
    fn words_numbers_and_spans() {
        let text = "The 32-member panel cut 1,200 jobs (3.5%) in the U.S. on Monday.";
        let toks = tokenize(text, "en");
        assert_eq!(
            texts(text, &toks),
            [
                "The", "32", "member", "panel", "cut", "1,200", "jobs", "3.5", "in", "the", "U.S",
                "on", "Monday"
            ]
        );
        let kind = |s: &str| {
            toks.iter()
                .find(|t| &text[t.span.start..t.span.end] == s)
                .map(|t| t.kind)
        };
        assert_eq!(kind("32"), Some(TokenKind::Number));
        assert_eq!(kind("1,200"), Some(TokenKind::Number));
        assert_eq!(kind("3.5"), Some(TokenKind::Number));
        assert_eq!(kind("member"), Some(TokenKind::Word));
    }

    #[test]
    fn stems_are_lower_case_and_stop_words_marked() {
        let toks = tokenize("The Ministers were running meetings", "en");
        let stems: Vec<&str> = toks.iter().map(|t| t.stem.as_str()).collect();
        assert_eq!(stems, ["the", "minist", "were", "run", "meet"]);
        let stops: Vec<bool> = toks.iter().map(|t| t.is_stop).collect();
        assert_eq!(stops, [true, false, true, false, false]);
    }

    #[test]
    fn german_and_unknown_languages() {
        let toks = tokenize("Die Häuser wurden gebaut", "de");
        let stems: Vec<&str> = toks.iter().map(|t| t.stem.as_str()).collect();
        assert_eq!(stems, ["die", "haus", "wurd", "gebaut"]);
        assert!(toks[0].is_stop);
        // No stemmer: lower-cased words as they are.
        let toks = tokenize("Hello Worlds", "zz");
        let stems: Vec<&str> = toks.iter().map(|t| t.stem.as_str()).collect();
        assert_eq!(stems, ["hello", "worlds"]);
    }

    #[test]
    fn apostrophes_and_non_latin() {
        let text = "Biden's aides don't agree. Привет мир";
        let toks = tokenize(text, "en");
        assert_eq!(
            texts(text, &toks),
            ["Biden's", "aides", "don't", "agree", "Привет", "мир"]
        );
        assert_eq!(toks[0].stem, "biden");
        assert!(toks[2].is_stop);
        assert_eq!(toks[4].stem, "привет");
    }
}
