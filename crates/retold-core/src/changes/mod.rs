//! What a retelling changed against its source: name variants, numbers,
//! quotes, attribution, negations, added, dropped and reordered sentences.
//!
//! [`compare_docs`] reads the alignment of a derived text with its parent
//! (always `align(child, parent, …)`: the child is side A) and reports each
//! change with the parent's and the child's words and their byte spans in
//! the original texts ([`Excerpt::char_span`] gives character offsets).
//! How and where each kind is found: [`compare`]. The parts:
//!
//! - [`diff`]: word-level difference of two aligned sentences (on the
//!   `similar` crate), which `retold compare` prints;
//! - [`numbers`]: quantities (digits, number words, fractions, percentages,
//!   money, ordinals, "32-member") with value, unit and qualifier, and their
//!   comparison (value changed or only written differently);
//! - [`quotes`]: quotes with speakers, across sentences and paragraphs, and
//!   their matching between versions (exact, altered, partial, unattested,
//!   reattributed);
//! - [`entities`]: name mentions, name similarity and the story-level
//!   [`entities::EntityMerger`] (canonical spellings, never two people in
//!   one entity).
//!
//! ```
//! use retold_core::align::{align, AlignConfig};
//! use retold_core::changes::{compare_docs, ChangeKind};
//! use retold_core::text::analyze;
//!
//! let parent = analyze("Mayor Anneliese Corrow closed the bridge. Cracks were found in one-fifth of the girders.", Some("en"));
//! let child = analyze("Mayor Annaliese Corrow closed the bridge. Cracks were found in five of the girders.", Some("en"));
//! let al = align(&child, &parent, &AlignConfig::default());
//! let found = compare_docs(&parent, &child, &al);
//! let kinds: Vec<ChangeKind> = found.iter().map(|c| c.kind).collect();
//! assert_eq!(kinds, [ChangeKind::NameVariant, ChangeKind::NumberChanged]);
//! assert_eq!(found[0].parent.as_ref().map(|e| e.text.as_str()), Some("Anneliese Corrow"));
//! ```

pub mod compare;
pub mod cross;
pub mod diff;
pub mod entities;
pub mod numbers;
pub mod quotes;

pub use compare::{compare_docs, compare_docs_with, compare_docs_with_mentions, CompareOptions};

use serde::{Deserialize, Serialize};

use crate::align::Alignment;
use crate::relate::Relation;
use crate::text::{Span, TextDoc};

/// The kinds of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    NameVariant,
    NumberChanged,
    QuoteAltered,
    AttributionChanged,
    NegationFlipped,
    SentenceAdded,
    SentenceDropped,
    SentencesReordered,
}

impl ChangeKind {
    /// The snake_case name used in JSON and gold files.
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::NameVariant => "name_variant",
            ChangeKind::NumberChanged => "number_changed",
            ChangeKind::QuoteAltered => "quote_altered",
            ChangeKind::AttributionChanged => "attribution_changed",
            ChangeKind::NegationFlipped => "negation_flipped",
            ChangeKind::SentenceAdded => "sentence_added",
            ChangeKind::SentenceDropped => "sentence_dropped",
            ChangeKind::SentencesReordered => "sentences_reordered",
        }
    }

    /// Every kind, in the order above.
    pub const ALL: [ChangeKind; 8] = [
        ChangeKind::NameVariant,
        ChangeKind::NumberChanged,
        ChangeKind::QuoteAltered,
        ChangeKind::AttributionChanged,
        ChangeKind::NegationFlipped,
        ChangeKind::SentenceAdded,
        ChangeKind::SentenceDropped,
        ChangeKind::SentencesReordered,
    ];

    /// One change of this kind and several, in words ([`counted`]).
    fn words(self) -> (&'static str, &'static str) {
        match self {
            ChangeKind::NameVariant => ("name variant", "name variants"),
            ChangeKind::NumberChanged => ("number changed", "numbers changed"),
            ChangeKind::QuoteAltered => ("quote altered", "quotes altered"),
            ChangeKind::AttributionChanged => ("attribution changed", "attributions changed"),
            ChangeKind::NegationFlipped => ("negation flipped", "negations flipped"),
            ChangeKind::SentenceAdded => ("sentence added", "sentences added"),
            ChangeKind::SentenceDropped => ("sentence dropped", "sentences dropped"),
            ChangeKind::SentencesReordered => ("sentences reordered", "sentences reordered"),
        }
    }
}

/// `n` changes of the kind named `kind` ([`ChangeKind::name`]) said in
/// words: "1 sentence added", "3 sentences added", "2 name variants". A
/// name that is no kind is said as it is, with its underscores as spaces.
///
/// ```
/// use retold_core::changes::counted;
/// assert_eq!(counted("sentence_added", 1), "1 sentence added");
/// assert_eq!(counted("sentence_added", 3), "3 sentences added");
/// assert_eq!(counted("name_variant", 2), "2 name variants");
/// assert_eq!(counted("sentences_reordered", 1), "sentences reordered");
/// ```
pub fn counted(kind: &str, n: usize) -> String {
    match ChangeKind::ALL.into_iter().find(|k| k.name() == kind) {
        // One change that moves a run of sentences.
        Some(ChangeKind::SentencesReordered) if n == 1 => "sentences reordered".into(),
        Some(ChangeKind::SentencesReordered) => format!("sentences reordered {n} times"),
        Some(k) => {
            let (one, many) = k.words();
            format!("{n} {}", if n == 1 { one } else { many })
        }
        None => format!("{n} {}", kind.replace('_', " ")),
    }
}

/// Words of one side, with their byte span in that article's original text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Excerpt {
    pub text: String,
    pub span: Span,
}

impl Excerpt {
    /// The span as character offsets (not bytes) in `original`, the text
    /// `span` points into; `None` if it does not fit there.
    pub fn char_span(&self, original: &str) -> Option<std::ops::Range<usize>> {
        let before = original.get(..self.span.start)?;
        let inside = original.get(self.span.range())?;
        let start = before.chars().count();
        Some(start..start + inside.chars().count())
    }
}

/// One change of a derived text against its parent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// The parent's words (none for an added sentence).
    pub parent: Option<Excerpt>,
    /// The child's words (none for a dropped sentence).
    pub child: Option<Excerpt>,
    /// A note: "same value, written differently", "0.2 → 5", the speakers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The changes of `child` against `parent`, given `alignment =
/// align(child, parent, …)` (child is side A) and the relation between them:
/// [`compare_docs_with`] with that relation, arguments in the order the
/// story stage calls it.
pub fn changes(
    child: &TextDoc,
    parent: &TextDoc,
    alignment: &Alignment,
    relation: Relation,
) -> Vec<Change> {
    compare_docs_with(
        parent,
        child,
        alignment,
        &CompareOptions {
            relation: Some(relation),
        },
    )
}

/// [`changes`] with the name mentions of both texts already found
/// (`(text, entities::mentions(text))`).
pub fn changes_with_mentions(
    child: (&TextDoc, &[entities::Mention]),
    parent: (&TextDoc, &[entities::Mention]),
    alignment: &Alignment,
    relation: Relation,
) -> Vec<Change> {
    compare_docs_with_mentions(
        parent,
        child,
        alignment,
        &CompareOptions {
            relation: Some(relation),
        },
    )
}

#[cfg(test)]
mod tests;
