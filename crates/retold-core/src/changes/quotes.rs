//! Direct quotes and who said them.
//!
//! ```
//! use retold_core::changes::quotes::quotes;
//! let q = quotes("\"Safety comes first,\" Mayor Anneliese Corrow said on Friday.");
//! assert_eq!(q[0].text, "Safety comes first,");
//! assert_eq!(q[0].speaker.as_deref(), Some("Mayor Anneliese Corrow"));
//! ```

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// A quoted span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// Byte range of the words inside the quotation marks.
    pub span: Range<usize>,
    pub text: String,
    /// Who said it, when the sentence says ("…," X said / X said: "…" /
    /// according to X).
    pub speaker: Option<String>,
}

const SPEECH: &str = r"(?:said|says|told|added|warned|posted|wrote|stated|declared|insisted|argued|explained|announced)";

static AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*(?:(?P<a>(?:[\p{{Lu}}][\p{{L}}'’.-]*\s+){{0,4}}[\p{{Lu}}][\p{{L}}'’-]*|he|she|they)\s+{SPEECH}\b|{SPEECH}\s+(?P<b>(?:[\p{{Lu}}][\p{{L}}'’.-]*\s+){{0,4}}[\p{{Lu}}][\p{{L}}'’-]*))"
    ))
    .unwrap_or_else(|_| unreachable!("valid pattern"))
});

static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<a>(?:[\p{{Lu}}][\p{{L}}'’.-]*\s+){{0,4}}[\p{{Lu}}][\p{{L}}'’-]*)\s+{SPEECH}\s*[:,]?\s*$"
    ))
    .unwrap_or_else(|_| unreachable!("valid pattern"))
});

fn is_open(c: char) -> bool {
    matches!(c, '"' | '\u{201c}' | '\u{201e}')
}

fn is_close(c: char) -> bool {
    matches!(c, '"' | '\u{201d}')
}

/// The quotes of `text` (one paragraph or sentence), in order. An unclosed
/// quote runs to the end of the text.
pub fn quotes(text: &str) -> Vec<Quote> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut spans = Vec::new();
    for (i, c) in text.char_indices() {
        match open {
            None if is_open(c) => open = Some(i + c.len_utf8()),
            Some(s) if is_close(c) => {
                spans.push(s..i);
                open = None;
            }
            _ => {}
        }
    }
    if let Some(s) = open {
        if s < text.len() {
            spans.push(s..text.len());
        }
    }
    for span in spans {
        let inner = text[span.clone()].trim();
        if inner.split_whitespace().count() < 3 {
            continue; // scare quotes and titles, not speech
        }
        let close_end = text[span.end..]
            .char_indices()
            .nth(1)
            .map_or(text.len(), |(k, _)| span.end + k);
        let after = &text[close_end.min(text.len())..];
        let before_start = text[..span.start]
            .char_indices()
            .next_back()
            .map_or(0, |x| x.0);
        let before = &text[..before_start];
        let speaker = AFTER
            .captures(after)
            .and_then(|c| c.name("a").or_else(|| c.name("b")))
            .map(|m| m.as_str().trim().to_string())
            .or_else(|| {
                BEFORE
                    .captures(before)
                    .and_then(|c| c.name("a"))
                    .map(|m| m.as_str().trim().to_string())
            });
        let lead = text[span.clone()].len() - text[span.clone()].trim_start().len();
        let start = span.start + lead;
        out.push(Quote {
            span: start..start + inner.len(),
            text: inner.to_string(),
            speaker,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn speakers_before_and_after() {
        let q =
            quotes("Corrow said: \u{201c}This is going to be painful for a lot of people.\u{201d}");
        assert_eq!(q[0].speaker.as_deref(), Some("Corrow"));
        let q = quotes("\"It is not the end of the story,\" said Tennant.");
        assert_eq!(q[0].speaker.as_deref(), Some("Tennant"));
        let q = quotes("The \"new normal\" is here.");
        assert!(q.is_empty());
        let q = quotes("\"Once these posts are gone, they are gone.");
        assert_eq!(q[0].text, "Once these posts are gone, they are gone.");
    }

    proptest! {
        #[test]
        fn spans_hold_the_text(s in "[a-z \"\u{201c}\u{201d},.A-Z]{0,60}") {
            for q in quotes(&s) {
                prop_assert!(s.is_char_boundary(q.span.start) && s.is_char_boundary(q.span.end));
                prop_assert_eq!(&s[q.span.clone()], q.text.as_str());
            }
        }
    }
}
