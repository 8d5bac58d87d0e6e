//! Word tokens: UAX#29 word boundaries, lower-cased Snowball stems and stop
//! words per language.
//!
//! This is on the hot path of feature extraction, so the per-language
//! stemmer and stop-word set are built once per process, lower-casing goes
//! through one reused buffer and each token allocates exactly its stem.

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use super::language::kit;
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

/// Tokenizes `text` (normally `TextDoc::clean`) for the language `language`
/// (an ISO 639-1 code; unknown codes get no stemming and no stop words).
///
/// Stop words keep their lower-cased form as stem; numbers keep their text.
pub fn tokenize(text: &str, language: &'static str) -> Vec<Token> {
    let kit = kit(language);
    let mut tokens = Vec::with_capacity(text.len() / 6);
    let mut lower = String::with_capacity(32);
    for (start, word) in text.split_word_bound_indices() {
        let Some(first) = word.chars().next() else {
            continue;
        };
        let kind = if first.is_numeric() {
            TokenKind::Number
        } else if first.is_alphanumeric() || word.chars().any(char::is_alphanumeric) {
            TokenKind::Word
        } else {
            continue;
        };
        lower.clear();
        if word.is_ascii() {
            lower.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            for c in word.chars() {
                lower.extend(c.to_lowercase());
            }
        }
        let is_stop = kind == TokenKind::Word && kit.stop_words.contains(lower.as_str());
        let stem = match (&kit.stemmer, kind, is_stop) {
            (Some(stemmer), TokenKind::Word, false) => stemmer.stem(&lower).into_owned(),
            _ => lower.as_str().to_owned(),
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
    }
    tokens
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
