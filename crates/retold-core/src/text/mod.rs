//! Text: normalization, boilerplate removal, sentences, tokens, language.
//!
//! STUB: the signatures here are the contract; the bodies are placeholders
//! until the text stage lands.

use serde::{Deserialize, Serialize};

/// A byte range `[start, end)` in some string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A word token of the clean text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// Byte span in `TextDoc::clean`.
    pub span: Span,
    /// Lower-cased stem.
    pub stem: String,
    pub is_stop: bool,
}

/// An article's text made ready for the later stages.
#[derive(Debug, Clone, PartialEq)]
pub struct TextDoc {
    /// Normalized text with boilerplate removed.
    pub clean: String,
    /// ISO 639-1 code used for stems and stop words.
    pub language: &'static str,
    /// Sentences as byte spans in `clean`.
    pub sentences: Vec<Span>,
    pub tokens: Vec<Token>,
}

impl TextDoc {
    /// Number of word tokens.
    pub fn word_count(&self) -> usize {
        self.tokens.len()
    }
}

/// Normalizes, strips boilerplate, splits sentences and tokenizes.
pub fn analyze(raw: &str, _language_hint: Option<&str>) -> TextDoc {
    let clean = raw.trim().to_string();
    let mut tokens = Vec::new();
    let mut pos = 0;
    for w in clean.split_whitespace() {
        let start = clean[pos..].find(w).map(|i| i + pos).unwrap_or(pos);
        pos = start + w.len();
        tokens.push(Token {
            span: Span { start, end: pos },
            stem: w.to_lowercase(),
            is_stop: false,
        });
    }
    let sentences = vec![Span {
        start: 0,
        end: clean.len(),
    }];
    TextDoc {
        clean,
        language: "en",
        sentences,
        tokens,
    }
}

/// ISO 639-1 code of the text's language, when it can be told.
pub fn detect_language(_text: &str) -> Option<&'static str> {
    None
}
