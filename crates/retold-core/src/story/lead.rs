//! The lead of an article: its title and first sentences, which carry the
//! news; later paragraphs drift into background that other stories share.
//!
//! [`lead_terms`] counts the content stems (and numbers) of the title and
//! the first [`LEAD_SENTENCES`] sentences, the same way the whole text's
//! term vector is counted. The story link mixes the TF-IDF cosine of the
//! two leads into the whole-text cosine with
//! [`EngineConfig::lead_weight`](super::EngineConfig::lead_weight):
//! `(cos_text + w · cos_lead) / (1 + w)`.
//!
//! ```
//! use retold_core::story::lead::lead_terms;
//! let doc = retold_core::text::analyze(
//!     "A storm cut power to Brennock. Crews worked overnight. Schools closed. \
//!      The town hall dates from 1820.",
//!     Some("en"),
//! );
//! let lead = lead_terms(&doc, Some("Brennock storm"));
//! let hall = retold_core::features::term_hash("hall");
//! assert!(!lead.iter().any(|(h, _)| *h == hall)); // the fourth sentence is background
//! let storm = retold_core::features::term_hash("storm");
//! assert_eq!(lead.iter().find(|(h, _)| *h == storm).map(|x| x.1), Some(2));
//! ```

use crate::features::term_hash;
use crate::text::{tokenize, TextDoc, Token, TokenKind};

/// Sentences of the text read as its lead, after the title.
pub const LEAD_SENTENCES: usize = 3;

/// Content stems and numbers of `title` and the first [`LEAD_SENTENCES`]
/// sentences of `doc`, counted, sorted by hash.
pub fn lead_terms(doc: &TextDoc, title: Option<&str>) -> Vec<(u32, u16)> {
    let counted =
        |t: &Token| t.kind == TokenKind::Number || !t.is_stop && t.stem.chars().count() >= 2;
    let title_tokens = title.map(|t| tokenize(t, doc.language)).unwrap_or_default();
    let mut hashes: Vec<u32> = title_tokens
        .iter()
        .chain((0..doc.sentences.len().min(LEAD_SENTENCES)).flat_map(|i| doc.sentence_tokens(i)))
        .filter(|t| counted(t))
        .map(|t| term_hash(&t.stem))
        .collect();
    hashes.sort_unstable();
    let mut out: Vec<(u32, u16)> = Vec::new();
    for h in hashes {
        match out.last_mut() {
            Some((last, n)) if *last == h => *n = n.saturating_add(1),
            _ => out.push((h, 1)),
        }
    }
    out
}
