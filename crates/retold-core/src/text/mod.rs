//! Text: normalization, boilerplate removal, sentences, tokens, language.
//!
//! [`analyze`] runs the whole stage on an article's raw text:
//!
//! 1. [`normalize`]: NFKC, straight quotes, unified dashes and spaces,
//!    repaired spacing artifacts, joined wrapped lines (`normalize.rs`);
//! 2. boilerplate lines dropped by the patterns of `boilerplate.txt`
//!    (`boilerplate.rs`);
//! 3. the language: the hint if it names one, else [`detect_language`],
//!    else English (`language.rs`);
//! 4. [`split_sentences`]: UAX#29 plus per-language abbreviation lists
//!    (`sentences.rs`, `abbreviations/`);
//! 5. [`tokenize`]: word and number tokens with stems and stop words
//!    (`tokens.rs`).
//!
//! Every position in the clean text maps back to the raw text through
//! [`TextDoc::to_original`] / [`TextDoc::to_original_span`] (`offsets.rs`),
//! so later stages can highlight spans in what the user gave.

mod boilerplate;
pub mod furniture;
mod language;
mod normalize;
mod offsets;
mod sentences;
mod tokens;
pub mod translit;
mod uax29;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use boilerplate::{
    find_boilerplate, strip_boilerplate, Removed, PATTERNS as BOILERPLATE_PATTERNS,
};
pub use language::{detect_language, language_code};
pub use normalize::{normalize, Normalized};
pub use offsets::OffsetMap;
pub use sentences::split_sentences;
pub use tokens::{tokenize, TokenKind};

/// A byte range `[start, end)` in some string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// The span as a range, for slicing.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// A word or number token of the clean text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// Byte span in `TextDoc::clean`.
    pub span: Span,
    /// Lower-cased stem (Snowball, for the document's language). Stop words
    /// and numbers keep their lower-cased text; languages without a stemmer
    /// get the lower-cased word.
    pub stem: String,
    /// A stop word of the document's language.
    pub is_stop: bool,
    /// Word or number.
    #[serde(default)]
    pub kind: TokenKind,
}

/// An article's text made ready for the later stages.
#[derive(Debug, Clone, PartialEq)]
pub struct TextDoc {
    /// Normalized text with boilerplate removed: lines separated by `\n`,
    /// paragraphs by `\n\n`.
    pub clean: String,
    /// ISO 639-1 code used for stems and stop words.
    pub language: &'static str,
    /// Sentences as byte spans in `clean`, in order, non-overlapping,
    /// trimmed of whitespace.
    pub sentences: Vec<Span>,
    /// Word and number tokens in order.
    pub tokens: Vec<Token>,
    /// Non-empty lines of `clean` (paragraphs and headings) as byte spans.
    pub paragraphs: Vec<Span>,
    /// Boilerplate lines removed from the raw text, with raw spans.
    pub removed: Vec<Removed>,
    /// Map from offsets of `clean` to offsets of the raw text.
    pub offsets: OffsetMap,
}

impl TextDoc {
    /// Number of word tokens.
    pub fn word_count(&self) -> usize {
        self.tokens.len()
    }

    /// Raw-text offset of byte `pos` of `clean` (read as a start position).
    pub fn to_original(&self, pos: usize) -> usize {
        self.offsets.to_original(pos)
    }

    /// Raw-text span of a span of `clean`: covers every raw byte the clean
    /// text came from (a straightened quote maps to the whole curly quote).
    pub fn to_original_span(&self, span: Span) -> Span {
        self.offsets.to_original_span(span)
    }

    /// The text of a span of `clean` (empty if the span is out of bounds).
    pub fn text(&self, span: Span) -> &str {
        self.clean.get(span.range()).unwrap_or("")
    }

    /// The tokens inside `span` of `clean`.
    pub fn tokens_in(&self, span: Span) -> &[Token] {
        self.tokens.get(self.token_range(span)).unwrap_or(&[])
    }

    /// Indices into `tokens` of the tokens inside `span` of `clean`.
    pub fn token_range(&self, span: Span) -> std::ops::Range<usize> {
        let from = self.tokens.partition_point(|t| t.span.start < span.start);
        let to = self.tokens.partition_point(|t| t.span.end <= span.end);
        from..to.max(from)
    }

    /// The tokens of sentence `i` (empty if there is no such sentence).
    pub fn sentence_tokens(&self, i: usize) -> &[Token] {
        self.sentences.get(i).map_or(&[], |&s| self.tokens_in(s))
    }
}

/// Normalizes, strips boilerplate, splits sentences and tokenizes.
///
/// `language_hint` is an ISO 639 code ("en", "de-AT", "fra"); when it is
/// missing or unknown the language is detected, and English is the fallback.
///
/// ```
/// use retold_core::text::analyze;
///
/// let raw = "\u{201c}We will rebuild.\u{201d} The mayor left for the U.S. Army base.\n\nREAD ALSO: Storm news";
/// let doc = analyze(raw, Some("en"));
/// assert_eq!(doc.clean, "\"We will rebuild.\" The mayor left for the U.S. Army base.");
/// assert_eq!(doc.sentences.len(), 2);
/// assert_eq!(doc.text(doc.sentences[1]), "The mayor left for the U.S. Army base.");
/// assert_eq!(doc.removed[0].label, "read-also");
///
/// // Spans map back into the raw text, curly quotes included.
/// let first = doc.to_original_span(doc.sentences[0]);
/// assert_eq!(&raw[first.range()], "\u{201c}We will rebuild.\u{201d}");
///
/// let stems: Vec<&str> = doc.sentence_tokens(0).iter().map(|t| t.stem.as_str()).collect();
/// assert_eq!(stems, ["we", "will", "rebuild"]);
/// ```
pub fn analyze(raw: &str, language_hint: Option<&str>) -> TextDoc {
    analyze_dropping(raw, language_hint, &|_| false)
}

/// [`analyze`], also removing the lines (trimmed, of the normalized text)
/// for which `drop` says yes, as boilerplate labelled `furniture`; used with
/// the lines a site repeats ([`furniture::Furniture`]).
pub fn analyze_dropping(
    raw: &str,
    language_hint: Option<&str>,
    drop: &(dyn Fn(&str) -> bool + Sync),
) -> TextDoc {
    let norm = normalize(raw);
    let (clean, offsets, removed) = boilerplate::strip_boilerplate_with(norm, drop);
    let language = language_hint
        .and_then(language_code)
        .or_else(|| detect_language(&clean))
        .unwrap_or("en");
    let sentences = split_sentences(&clean, language);
    let tokens = tokenize(&clean, language);
    let mut paragraphs = Vec::new();
    let mut start = 0;
    for line in clean.split('\n') {
        if !line.is_empty() {
            paragraphs.push(Span {
                start,
                end: start + line.len(),
            });
        }
        start += line.len() + 1;
    }
    TextDoc {
        clean,
        language,
        sentences,
        tokens,
        paragraphs,
        removed,
        offsets,
    }
}
