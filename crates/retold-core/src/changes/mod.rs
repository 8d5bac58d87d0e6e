//! What a retelling changed against its source: entity variants, numbers,
//! quotes, negations, attribution, added, dropped and reordered sentences.
//!
//! [`changes`] reads an alignment of a derived text (A) with its parent (B)
//! and reports each change with the parent's and the child's words and
//! their byte spans in the original texts. Inside aligned sentences it works
//! on the word-level difference ([`diff::word_diff`]); sentences without a
//! partner are added or dropped, pairs found out of order are reordered.
//!
//! ```
//! use retold_core::align::{align, AlignConfig};
//! use retold_core::changes::{changes, ChangeKind};
//! use retold_core::relate::Relation;
//! use retold_core::text::analyze;
//!
//! let parent = analyze("Mayor Anneliese Corrow closed the bridge. Cracks were found in one-fifth of the girders.", Some("en"));
//! let child = analyze("Mayor Annaliese Corrow closed the bridge. Cracks were found in five of the girders.", Some("en"));
//! let al = align(&child, &parent, &AlignConfig::default());
//! let found = changes(&child, &parent, &al, Relation::Copy);
//! let kinds: Vec<ChangeKind> = found.iter().map(|c| c.kind).collect();
//! assert_eq!(kinds, [ChangeKind::NameVariant, ChangeKind::NumberChanged]);
//! assert_eq!(found[0].parent.as_ref().map(|e| e.text.as_str()), Some("Anneliese Corrow"));
//! ```

pub mod compare;
pub mod diff;
pub mod entities;
pub mod numbers;
pub mod quotes;

pub use compare::{compare_docs, compare_docs_with, CompareOptions};

use serde::{Deserialize, Serialize};

use crate::align::Alignment;
use crate::relate::Relation;
use crate::text::{Span, TextDoc};
use diff::{word_diff, Op, Run};

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

/// An unaligned sentence whose closest partner scores this much is a
/// sentence rewritten beyond alignment (spun), not added or dropped.
const GARBLED: f32 = 0.3;

const NEGATIONS: [&str; 10] = [
    "not", "no", "never", "cannot", "nor", "none", "nothing", "without", "nobody", "neither",
];

/// Longest replaced run (in words, each side) read as a targeted edit; a
/// longer one is rewording, where a number or name inside is not "changed".
const MAX_EDIT_WORDS: usize = 5;

/// Sentences shorter than this are not reported as added or dropped
/// (share prompts, datelines, "Like this story?").
const MIN_SENTENCE_WORDS: usize = 5;

fn negations(text: &str) -> usize {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
                .to_lowercase()
        })
        .filter(|w| NEGATIONS.contains(&w.as_str()) || w.ends_with("n't"))
        .count()
}

/// A capitalized word that is not the first word of its sentence.
fn is_name_word(sentence: &str, at: usize, word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    let upper = w.chars().next().is_some_and(char::is_uppercase);
    let lower_rest = w.chars().skip(1).any(char::is_lowercase) || w.chars().count() == 1;
    let first = sentence[..at]
        .trim_matches(|c: char| !c.is_alphanumeric())
        .is_empty();
    upper && lower_rest && !first && !STOP_CAPS.contains(&w)
}

/// Capitalized words that are not names.
const STOP_CAPS: [&str; 12] = [
    "The", "A", "An", "I", "He", "She", "It", "We", "They", "But", "And", "In",
];

/// The run of name words around byte range `r` of `sentence`, widened to
/// the whole capitalized mention ("Annaliese" → "Mayor Annaliese Corrow"
/// minus the title).
fn mention(sentence: &str, r: &std::ops::Range<usize>) -> std::ops::Range<usize> {
    let words = diff::split_words(sentence);
    let inside: Vec<usize> = (0..words.len())
        .filter(|&k| words[k].start < r.end && words[k].end > r.start)
        .filter(|&k| is_name_word(sentence, words[k].start, &sentence[words[k].clone()]))
        .collect();
    let (Some(&f), Some(&l)) = (inside.first(), inside.last()) else {
        return r.clone();
    };
    let name = |k: usize| is_name_word(sentence, words[k].start, &sentence[words[k].clone()]);
    let (mut f, mut l) = (f, l);
    while f > 0
        && name(f - 1)
        && !TITLES
            .contains(&sentence[words[f - 1].clone()].trim_matches(|c: char| !c.is_alphanumeric()))
    {
        f -= 1;
    }
    while l + 1 < words.len()
        && name(l + 1)
        && !sentence[words[l].clone()].ends_with([',', '.', ';', ':'])
    {
        l += 1;
    }
    let end = words[l].start
        + sentence[words[l].clone()]
            .trim_end_matches(|c: char| !c.is_alphanumeric())
            .len();
    let start = words[f].start
        + (sentence[words[f].clone()].len()
            - sentence[words[f].clone()]
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .len());
    start..end.max(start)
}

/// Titles that cue a name but are not part of it.
const TITLES: [&str; 14] = [
    "Mayor",
    "President",
    "Chancellor",
    "Premier",
    "Minister",
    "Secretary",
    "Councillor",
    "Dr",
    "Mr",
    "Mrs",
    "Ms",
    "Professor",
    "Chief",
    "Executive",
];

fn speech_next_to(sentence: &str, r: &std::ops::Range<usize>) -> bool {
    let before: Vec<&str> = sentence[..r.start]
        .split_whitespace()
        .rev()
        .take(2)
        .collect();
    let after: Vec<&str> = sentence[r.end..].split_whitespace().take(1).collect();
    let verb = |w: &&str| {
        matches!(
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
                .as_str(),
            "said" | "says" | "told" | "stated" | "added" | "according"
        )
    };
    before.iter().any(verb)
        || after.iter().any(verb)
        || (before.first() == Some(&"to")
            && before
                .get(1)
                .is_some_and(|w| w.eq_ignore_ascii_case("according")))
}

/// Two spellings of one name: similar as wholes (Jaro–Winkler ≥ 0.85) or
/// sharing a word with the rest similar ("Harrow Street" / "Harrow Road").
pub fn same_entity(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    if strsim::jaro_winkler(&a, &b) >= 0.85 {
        return true;
    }
    let (wa, wb): (Vec<&str>, Vec<&str>) = (
        a.split_whitespace().collect(),
        b.split_whitespace().collect(),
    );
    wa.iter().any(|x| x.len() > 2 && wb.contains(x))
}

struct Side<'d> {
    doc: &'d TextDoc,
    /// Clean-text span of the sentence run.
    span: Span,
}

impl Side<'_> {
    fn text(&self) -> &str {
        self.doc.text(self.span)
    }
    /// An excerpt of `r` (relative to the sentence run).
    fn excerpt(&self, r: &std::ops::Range<usize>) -> Excerpt {
        let clean = Span {
            start: self.span.start + r.start,
            end: self.span.start + r.end,
        };
        Excerpt {
            text: self.doc.text(clean).to_string(),
            span: self.doc.to_original_span(clean),
        }
    }
    fn whole(&self) -> Excerpt {
        self.excerpt(&(0..self.span.len()))
    }
}

/// Widens `r` by `k` words on each side (for context in negation reports).
fn widen(text: &str, r: &std::ops::Range<usize>, k: usize) -> std::ops::Range<usize> {
    let words = diff::split_words(text);
    let f = words.iter().position(|w| w.end > r.start).unwrap_or(0);
    let l = words
        .iter()
        .rposition(|w| w.start < r.end.max(r.start + 1))
        .unwrap_or(f);
    let f = f.saturating_sub(k);
    let l = (l + k).min(words.len().saturating_sub(1));
    match (words.get(f), words.get(l)) {
        (Some(a), Some(b)) => a.start..b.end,
        _ => r.clone(),
    }
}

fn run_changes(parent: &Side, child: &Side, run: &Run, relation: Relation, out: &mut Vec<Change>) {
    let (pt, ct) = (parent.text(), child.text());
    let words = |t: &str| t.split_whitespace().count();
    if words(&run.a_text) > MAX_EDIT_WORDS || words(&run.b_text) > MAX_EDIT_WORDS {
        return;
    }
    // Negation: the run and the whole sentence must both gain or lose one
    // (a rewrite that moves a "not" to another clause flips nothing).
    if negations(&run.a_text) != negations(&run.b_text) && negations(pt) != negations(ct) {
        let (wa, wb) = (widen(pt, &run.a, 3), widen(ct, &run.b, 3));
        out.push(Change {
            kind: ChangeKind::NegationFlipped,
            parent: Some(parent.excerpt(&wa)),
            child: Some(child.excerpt(&wb)),
            detail: None,
        });
        return;
    }
    if run.op != Op::Replace {
        return;
    }
    // Numbers.
    let overlapping =
        |qs: Vec<numbers::Quantity>, r: &std::ops::Range<usize>| -> Vec<numbers::Quantity> {
            qs.into_iter()
                .filter(|q| q.span.start < r.end && q.span.end > r.start)
                .collect()
        };
    let (qa, qb) = (
        overlapping(numbers::quantities(pt), &run.a),
        overlapping(numbers::quantities(ct), &run.b),
    );
    if !qa.is_empty() || !qb.is_empty() {
        let span_of =
            |qs: &[numbers::Quantity], r: &std::ops::Range<usize>| match (qs.first(), qs.last()) {
                (Some(f), Some(l)) => f.span.start.min(r.start)..l.span.end.max(r.end),
                _ => r.clone(),
            };
        let detail = match (qa.first(), qb.first()) {
            (Some(x), Some(y)) if numbers::same_value(x.value, y.value) => {
                "same value, written differently".to_string()
            }
            (Some(x), Some(y)) => format!("{} → {}", x.value, y.value),
            (Some(x), None) => format!("{} → a word, no number", x.value),
            (None, Some(y)) => format!("no number → {}", y.value),
            (None, None) => String::new(),
        };
        out.push(Change {
            kind: ChangeKind::NumberChanged,
            parent: Some(parent.excerpt(&span_of(&qa, &run.a))),
            child: Some(child.excerpt(&span_of(&qb, &run.b))),
            detail: Some(detail),
        });
        return;
    }
    // Names and attribution.
    let named = |text: &str, r: &std::ops::Range<usize>| {
        diff::split_words(text)
            .into_iter()
            .filter(|w| w.start >= r.start && w.end <= r.end)
            .any(|w| is_name_word(text, w.start, &text[w.clone()]))
    };
    let (na, nb) = (named(pt, &run.a), named(ct, &run.b));
    let (ma, mb) = (mention(pt, &run.a), mention(ct, &run.b));
    // A spelling variant of the same name stays a name variant even next
    // to "said"; another name there is another speaker.
    let variant = na && nb && same_entity(&pt[ma.clone()], &ct[mb.clone()]);
    let attribution = speech_next_to(pt, &run.a) || speech_next_to(ct, &run.b);
    let according = pt[..run.a.start]
        .trim_end()
        .to_lowercase()
        .ends_with("according to");
    if !variant && attribution && (na || nb || according) {
        out.push(Change {
            kind: ChangeKind::AttributionChanged,
            parent: Some(parent.excerpt(&widen(pt, &run.a, 2))),
            child: Some(child.excerpt(&widen(ct, &run.b, 2))),
            detail: None,
        });
    } else if na && nb && (variant || relation == Relation::Spun) {
        // Outside spun copies a different name is a different thing (a
        // rewrite names the Assembly where its source named the minister),
        // not a spelling variant.
        out.push(Change {
            kind: ChangeKind::NameVariant,
            parent: Some(parent.excerpt(&ma)),
            child: Some(child.excerpt(&mb)),
            detail: None,
        });
    }
}

fn quote_changes(parent: &Side, child: &Side, out: &mut Vec<Change>) {
    let (qa, qb) = (quotes::quotes(parent.text()), quotes::quotes(child.text()));
    let norm = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric() || c.is_whitespace())
            .collect::<String>()
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    for (a, b) in qa.iter().zip(&qb) {
        if norm(&a.text) != norm(&b.text) {
            out.push(Change {
                kind: ChangeKind::QuoteAltered,
                parent: Some(parent.excerpt(&a.span)),
                child: Some(child.excerpt(&b.span)),
                detail: None,
            });
        }
        let pronoun = |s: &str| {
            matches!(
                s.to_lowercase().as_str(),
                "he" | "she" | "they" | "it" | "we" | "i"
            )
        };
        if let (Some(x), Some(y)) = (&a.speaker, &b.speaker) {
            if !same_entity(x, y)
                && !pronoun(x)
                && !pronoun(y)
                && !out.iter().any(|c| c.kind == ChangeKind::AttributionChanged)
            {
                out.push(Change {
                    kind: ChangeKind::AttributionChanged,
                    parent: Some(parent.excerpt(&a.span)),
                    child: Some(child.excerpt(&b.span)),
                    detail: Some(format!("{x} → {y}")),
                });
            }
        }
    }
}

/// The changes of `child` against `parent`, given `alignment =
/// align(child, parent, …)` (child is side A) and the relation between them
/// (an excerpt's untaken sentences are not reported as dropped).
pub fn changes(
    child: &TextDoc,
    parent: &TextDoc,
    alignment: &Alignment,
    relation: Relation,
) -> Vec<Change> {
    let mut out = Vec::new();
    let al = alignment;
    let run_span = |spans: &[Span], r: &std::ops::Range<usize>| -> Option<Span> {
        let (f, l) = (spans.get(r.start)?, spans.get(r.end.checked_sub(1)?)?);
        Some(Span {
            start: f.start,
            end: l.end,
        })
    };
    for p in &al.pairs {
        let (Some(cs), Some(ps)) = (run_span(&al.a_spans, &p.a), run_span(&al.b_spans, &p.b))
        else {
            continue;
        };
        let (c, pa) = (
            Side {
                doc: child,
                span: cs,
            },
            Side {
                doc: parent,
                span: ps,
            },
        );
        if p.moved {
            out.push(Change {
                kind: ChangeKind::SentencesReordered,
                parent: Some(pa.whole()),
                child: Some(c.whole()),
                detail: None,
            });
        }
        if p.exact {
            continue;
        }
        let mut local = Vec::new();
        for run in word_diff(pa.text(), c.text())
            .iter()
            .filter(|r| r.op != Op::Equal)
        {
            run_changes(&pa, &c, run, relation, &mut local);
        }
        quote_changes(&pa, &c, &mut local);
        out.extend(local);
    }
    let mut in_a = vec![false; al.a_spans.len()];
    let mut in_b = vec![false; al.b_spans.len()];
    for p in &al.pairs {
        in_a.iter_mut()
            .take(p.a.end)
            .skip(p.a.start)
            .for_each(|x| *x = true);
        in_b.iter_mut()
            .take(p.b.end)
            .skip(p.b.start)
            .for_each(|x| *x = true);
    }
    let near = |n: &[Option<crate::align::Nearest>], i: usize| {
        n.get(i).copied().flatten().map_or(0.0, |x| x.score)
    };
    // A spun copy garbles whole sentences past what the aligner links: any
    // real resemblance means "rewritten", not added or dropped.
    let garbled = if relation == Relation::Spun {
        GARBLED / 2.0
    } else {
        GARBLED
    };
    let long = |doc: &TextDoc, span: Span| doc.tokens_in(span).len() >= MIN_SENTENCE_WORDS;
    for (i, &span) in al.a_spans.iter().enumerate() {
        if !in_a[i] && near(&al.nearest_in_b, i) < garbled && long(child, span) {
            out.push(Change {
                kind: ChangeKind::SentenceAdded,
                parent: None,
                child: Some(Side { doc: child, span }.whole()),
                detail: None,
            });
        }
    }
    // An excerpt leaves most of its source out on purpose: only gaps inside
    // the part it took count as dropped.
    let taken = al.pairs.iter().map(|p| p.b.start).min().unwrap_or(0)
        ..al.pairs.iter().map(|p| p.b.end).max().unwrap_or(0);
    for (j, &span) in al.b_spans.iter().enumerate() {
        let outside = relation == Relation::Excerpt && !taken.contains(&j);
        if !in_b[j] && !outside && near(&al.nearest_in_a, j) < garbled && long(parent, span) {
            out.push(Change {
                kind: ChangeKind::SentenceDropped,
                parent: Some(Side { doc: parent, span }.whole()),
                child: None,
                detail: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
