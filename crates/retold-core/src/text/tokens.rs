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
    let mut push = |start: usize, word: &str| {
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
            (TokenKind::Number, _, _) => (western_digits(&lower), false),
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
    };
    for_each_word_segment(text, |start, word| {
        if word.is_ascii()
            || !word.chars().any(char::is_numeric)
            || !word.chars().any(unglued_script)
        {
            push(start, word);
        } else {
            for (offset, piece) in unglue_digits(word) {
                push(start + offset, piece);
            }
        }
    });
    tokens
}

/// A letter of a script that writes no suffix on a digit (Arabic script:
/// Urdu, Arabic, Persian; Hebrew). UAX#29 joins letters and digits into one
/// word (`28th`, `MP3`), but in these scripts a digit glued to a word is a
/// missing space: Urdu newspaper copy writes `28کے مقابلے میں39` for the
/// agency's `28 کے مقابلے میں 39` (about two in five numbers of COUNTER's
/// texts touch a letter), and read as one word the number is lost to
/// number retention, shared numbers and key facts.
fn unglued_script(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{05FF}' | '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}'
        | '\u{08A0}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// A UAX#29 word of such a script split where digits meet letters: the
/// runs of digits (with the separators between digits UAX#29 keeps:
/// `2,500`, `24.3`) and the runs of everything else, with their byte
/// offsets in `word`.
fn unglue_digits(word: &str) -> Vec<(usize, &str)> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut digits: Option<bool> = None;
    let mut chars = word.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_digit = chars.peek().is_some_and(|&(_, n)| n.is_numeric());
        let is_digit = c.is_numeric()
            || (digits == Some(true)
                && matches!(c, '.' | ',' | '\'' | '\u{066B}' | '\u{066C}')
                && next_is_digit);
        match digits {
            Some(d) if d != is_digit => {
                pieces.push((start, &word[start..i]));
                start = i;
            }
            _ => {}
        }
        digits = Some(is_digit);
    }
    if start < word.len() {
        pieces.push((start, &word[start..]));
    }
    pieces
}

/// A number's digits in ASCII: Arabic-Indic and Extended Arabic-Indic
/// digits (`۲۸`, used in some Urdu and Persian copy) are the same number as
/// `28` in other texts. Other characters are kept.
fn western_digits(number: &str) -> String {
    number
        .chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            _ => c,
        })
        .collect()
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
    fn digits_glued_to_arabic_script_words_are_numbers_of_their_own() {
        // Urdu newspaper copy of an agency sentence: "28کے" and "میں39" are
        // one UAX#29 word each, but the numbers are the agency's 28 and 39.
        let agency = "حریف ٹیم کو 28 کے مقابلے میں 39 پوائنٹس سے ہرا دیا";
        let paper = "حریف ٹیم کو 28کے مقابلے میں39 پوائنٹس سے ہرا دیا، سکور 24.3";
        let numbers = |text: &str| -> Vec<String> {
            tokenize(text, "ur")
                .into_iter()
                .filter(|t| t.kind == TokenKind::Number)
                .map(|t| t.stem)
                .collect()
        };
        assert_eq!(numbers(agency), ["28", "39"]);
        assert_eq!(numbers(paper), ["28", "39", "24.3"]);
        let toks = tokenize(paper, "ur");
        let t = texts(paper, &toks);
        assert!(t.contains(&"کے") && t.contains(&"میں"), "{t:?}");
        // Arabic-Indic digits are the same number.
        assert_eq!(numbers("میں ۳۹ پوائنٹس"), ["39"]);
        // Latin script keeps UAX#29's words: "28th" and "MP3" are one word.
        let text = "the 28th MP3 player";
        assert_eq!(
            texts(text, &tokenize(text, "en")),
            ["the", "28th", "MP3", "player"]
        );
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
