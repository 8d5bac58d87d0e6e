//! [`compare_docs`]: the changes of a derived text against its parent.
//!
//! **Direction.** The alignment is always `align(child, parent, …)`: the
//! child (the derived text) is side A, the parent side B, as everywhere in
//! the story stage. Excerpts carry the parent's and the child's words with
//! byte spans in each article's *original* text ([`Excerpt::char_span`]
//! turns them into character offsets).
//!
//! **What is compared where.**
//! - Inside each aligned pair that is not exact, and inside *rewritten
//!   pairs* (sentences the aligner left unpaired that sit in the same gap
//!   between aligned pairs and share enough words, or are each other's
//!   nearest sentence with a good score: a spinner's garbled sentence), the
//!   word difference ([`diff::word_diff`](super::diff::word_diff)) gives the edited runs:
//!   - numbers: [`numbers::compare_quantities`](super::numbers::compare_quantities), value changes and
//!     surface-only changes ("four" → "4", detail "same value, written
//!     differently");
//!   - names: name mentions ([`entities::mentions`](super::entities::mentions)) inside a replaced run
//!     on both sides: a spelling variant, or (except in rewrites) another
//!     name in a run that is only the name ("City Hall" → "Town Corridor");
//!     where the name is the speaker ("X said", "said X", "according to
//!     X"), another person is an attribution change instead; a lower-case
//!     body name ([`entities::body_phrases`](super::entities::body_phrases): "works council") replaced by
//!     one with the same head outside quotes, except in rewrites;
//!   - negation: a "not"/"no"/"never"… inserted or deleted with at most
//!     auxiliaries around it, and the sentence's count of negations changed;
//!   - attribution: the words after "according to" replaced.
//! - Over the whole texts: quotes matched with [`quotes::match_quotes`](super::quotes::match_quotes)
//!   (altered → quote altered; another named speaker → attribution
//!   changed; a part quoted as it stood is no change), and names spelled
//!   differently anywhere, even in sentences that were not aligned
//!   ([`entities::same_name`](super::entities::same_name)).
//! - Sentences of the child in no pair are added, unless they resemble an
//!   unpaired parent sentence (rewritten), repeat a paired one closely, or
//!   their content words mostly appear in the parent's sentences around
//!   the same place (two sentences merged into one); dropped sentences
//!   likewise the other way. One change per sentence. **Excerpts:** when
//!   the child is an excerpt (the relation given, or inferred when the
//!   child covers under half of the parent in one stretch), the parent's
//!   sentences before and after the stretch it took are not reported; only
//!   gaps inside the stretch count as dropped.
//! - Reordering: the pairs off the heaviest in-order chain (by the parent's
//!   order, weighed by sentences). A block that moved past a few sentences
//!   is reported with those sentences (the passage whose order changed, in
//!   both texts: which of two swapped blocks "moved" is a matter of view);
//!   a block that moved far, alone.
//!
//! Each distinct name spelling pair is reported once (its first place).

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;

use super::diff::{split_words, word_diff, Op, Run};
use super::entities::{
    body_phrases, different_people, mentions, name_similarity, name_tokens, same_name, BodyPhrase,
    Mention,
};
use super::numbers::{compare_quantities, QuantityChange};
use super::quotes::{match_quotes, other_speaker, quotes, Quote, QuoteMatchKind};
use super::{Change, ChangeKind, Excerpt};
use crate::align::Alignment;
use crate::relate::Relation;
use crate::text::{Span, TextDoc};

/// How to compare.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CompareOptions {
    /// The relation of the child to the parent, if known: an
    /// [`Relation::Excerpt`] reports no dropped sentences outside the part
    /// it took; a [`Relation::Spun`] copy is read more leniently for
    /// garbled sentences and names; in a [`Relation::Rewrite`] another name
    /// must be a spelling to count. `None`: excerpts are inferred from the
    /// alignment.
    pub relation: Option<Relation>,
}

/// Longest replaced run (words on each side) read as a targeted edit: a
/// longer one is rewording, where names inside are not variants.
const MAX_EDIT_WORDS: usize = 5;

/// Sentences with fewer word tokens are not reported as added or dropped
/// (share prompts, datelines, "Like this story?").
const MIN_SENTENCE_WORDS: usize = 5;

/// An unpaired sentence whose nearest sentence of the other text (itself
/// unpaired) scores this much was rewritten, not added or dropped.
const REWRITTEN: f32 = 0.3;

/// An unpaired sentence this close to a paired one repeats it.
const REPEATED: f32 = 0.6;

/// Least score of two unpaired sentences, each the other's nearest, taken
/// as one sentence rewritten wherever they are.
const NEAREST_PAIR: f32 = 0.45;

/// Least word overlap (Dice over all lower-case words, stop words
/// included) of two unpaired sentences in the same gap taken as one
/// sentence rewritten.
const GAP_PAIR_DICE: f64 = 0.3;

/// Share of an unpaired sentence's content words found in the other
/// text's sentences around the same place for it to count as merged there.
const ABSORBED: f64 = 0.5;

/// A sentence of a merged pair sharing less than this share of its content
/// words with the other side was dropped or added inside the merge.
const MERGED_MIN: f64 = 0.2;

/// A moved block is reported with the sentences it moved past when there
/// are at most this many.
const MAX_CROSSED: usize = 3;

#[rustfmt::skip]
const NEGATIONS: &[&str] = &[
    "not", "no", "never", "cannot", "nor", "none", "nothing", "without", "nobody", "neither", "no-one",
];

/// Words that come and go with a negation ("would" → "would not", "did not leave").
#[rustfmt::skip]
const AUXILIARIES: &[&str] = &[
    "do", "does", "did", "is", "are", "was", "were", "be", "been", "has", "have", "had", "will",
    "would", "can", "could", "shall", "should", "may", "might", "must", "longer", "yet", "ever",
    "any",
];

/// Verbs whose subject is the speaker ("Marlowe said", "said Marlowe").
#[rustfmt::skip]
const SPEECH_VERBS: &[&str] = &[
    "said", "says", "stated", "states", "added", "adds", "warned", "posted", "wrote", "writes",
    "claimed", "insisted", "explained", "announced", "declared", "told", "tells", "informed",
    "mentioned", "argued", "noted",
];

/// Of those, the ones that may also come before their speaker ("said X").
const SPEECH_BEFORE: &[&str] = &[
    "said",
    "says",
    "added",
    "adds",
    "stated",
    "wrote",
    "mentioned",
];

/// The changes of `child` against `parent`, given `alignment =
/// align(child, parent, …)`, with excerpts inferred from the alignment.
///
/// ```
/// use retold_core::align::{align, AlignConfig};
/// use retold_core::changes::{compare_docs, ChangeKind};
/// use retold_core::text::analyze;
///
/// let parent = analyze("Mayor Anneliese Corrow closed the bridge on Friday. Cracks were found in one-fifth of the girders.", Some("en"));
/// let child = analyze("Mayor Annaliese Corrow closed the bridge on Friday. Cracks were found in five of the girders.", Some("en"));
/// let al = align(&child, &parent, &AlignConfig::default());
/// let found = compare_docs(&parent, &child, &al);
/// let kinds: Vec<ChangeKind> = found.iter().map(|c| c.kind).collect();
/// assert_eq!(kinds, [ChangeKind::NameVariant, ChangeKind::NumberChanged]);
/// assert_eq!(found[0].parent.as_ref().map(|e| e.text.as_str()), Some("Anneliese Corrow"));
/// assert_eq!(found[1].detail.as_deref(), Some("0.2 → 5"));
/// ```
pub fn compare_docs(parent: &TextDoc, child: &TextDoc, alignment: &Alignment) -> Vec<Change> {
    compare_docs_with(parent, child, alignment, &CompareOptions::default())
}

/// [`compare_docs`] with options (the relation, when the caller knows it).
pub fn compare_docs_with(
    parent: &TextDoc,
    child: &TextDoc,
    alignment: &Alignment,
    options: &CompareOptions,
) -> Vec<Change> {
    Comparison::new(parent, child, alignment, options, None).run()
}

/// [`compare_docs_with`] with the name mentions of both texts already
/// found (`entities::mentions` of the parent and of the child): a text
/// compared several times is scanned once.
pub fn compare_docs_with_mentions(
    parent: (&TextDoc, &[Mention]),
    child: (&TextDoc, &[Mention]),
    alignment: &Alignment,
    options: &CompareOptions,
) -> Vec<Change> {
    Comparison::new(
        parent.0,
        child.0,
        alignment,
        options,
        Some((parent.1, child.1)),
    )
    .run()
}

/// A run of sentences of one side as a clean-text span.
fn run_span(spans: &[Span], r: &Range<usize>) -> Option<Span> {
    let first = spans.get(r.start)?;
    let last = spans.get(r.end.checked_sub(1)?)?;
    Some(Span {
        start: first.start,
        end: last.end.max(first.start),
    })
}

fn excerpt(doc: &TextDoc, clean: Range<usize>) -> Excerpt {
    let span = Span {
        start: clean.start,
        end: clean.end.max(clean.start),
    };
    Excerpt {
        text: doc.text(span).to_string(),
        span: doc.to_original_span(span),
    }
}

fn lower_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn is_negation(w: &str) -> bool {
    NEGATIONS.contains(&w) || w.ends_with("n't")
}

fn negations(text: &str) -> usize {
    lower_words(text).iter().filter(|w| is_negation(w)).count()
}

/// Dice of the lower-case word multisets, stop words included.
fn word_dice(a: &str, b: &str) -> f64 {
    let (wa, wb) = (lower_words(a), lower_words(b));
    if wa.is_empty() || wb.is_empty() {
        return 0.0;
    }
    let mut pool: Vec<&String> = wb.iter().collect();
    let mut shared = 0;
    for w in &wa {
        if let Some(k) = pool.iter().position(|x| *x == w) {
            pool.swap_remove(k);
            shared += 1;
        }
    }
    2.0 * shared as f64 / (wa.len() + wb.len()) as f64
}

/// Widens byte range `r` of `text` by `k` whitespace words on each side.
fn widen(text: &str, r: &Range<usize>, k: usize) -> Range<usize> {
    let words = split_words(text);
    if words.is_empty() {
        return r.clone();
    }
    let first = words
        .iter()
        .position(|w| w.end > r.start)
        .unwrap_or(words.len() - 1);
    let last = words
        .iter()
        .rposition(|w| w.start < r.end.max(r.start + 1))
        .unwrap_or(first)
        .max(first);
    let (f, l) = (first.saturating_sub(k), (last + k).min(words.len() - 1));
    words[f].start..words[l].end
}

/// Two sentence runs taken as one passage: indices into the alignment's
/// spans (child = A, parent = B).
#[derive(Debug, Clone)]
struct Pair {
    child: Range<usize>,
    parent: Range<usize>,
    score: f32,
    /// Found by the aligner (else a rewritten pair found here).
    aligned: bool,
    exact: bool,
}

struct Comparison<'d> {
    parent: &'d TextDoc,
    child: &'d TextDoc,
    al: &'d Alignment,
    relation: Option<Relation>,
    pm: Cow<'d, [Mention]>,
    cm: Cow<'d, [Mention]>,
    /// Quotes of each side (clean text).
    pq: Vec<Quote>,
    cq: Vec<Quote>,
    out: Vec<Change>,
    /// Name spelling pairs reported (name words, lower case).
    names_done: Vec<(Vec<String>, Vec<String>)>,
}

impl<'d> Comparison<'d> {
    fn new(
        parent: &'d TextDoc,
        child: &'d TextDoc,
        al: &'d Alignment,
        options: &CompareOptions,
        known: Option<(&'d [Mention], &'d [Mention])>,
    ) -> Self {
        let (pm, cm) = match known {
            Some((pm, cm)) => (Cow::Borrowed(pm), Cow::Borrowed(cm)),
            None => (Cow::Owned(mentions(parent)), Cow::Owned(mentions(child))),
        };
        Comparison {
            parent,
            child,
            al,
            relation: options.relation,
            pm,
            cm,
            pq: quotes(&parent.clean),
            cq: quotes(&child.clean),
            out: Vec::new(),
            names_done: Vec::new(),
        }
    }

    fn run(mut self) -> Vec<Change> {
        let al = self.al;
        let mut pairs: Vec<Pair> = al
            .pairs
            .iter()
            .map(|p| Pair {
                child: p.a.clone(),
                parent: p.b.clone(),
                score: p.score,
                aligned: true,
                exact: p.exact,
            })
            .collect();
        let mut in_child = vec![false; al.a_spans.len()];
        let mut in_parent = vec![false; al.b_spans.len()];
        mark(&pairs, &mut in_child, &mut in_parent);
        let rewritten = self.rewritten_pairs(&in_child, &in_parent);
        pairs.extend(rewritten);
        mark(&pairs, &mut in_child, &mut in_parent);
        pairs.sort_by_key(|p| (p.child.start, p.parent.start));
        for p in pairs.iter().filter(|p| !p.exact) {
            self.compare_pair(p);
        }
        self.name_spellings();
        self.quote_changes();
        self.added_and_dropped(&pairs, &in_child, &in_parent);
        self.inside_merges(&pairs);
        self.reordered(&pairs);
        self.out
    }

    /// The parent's sentences an excerpt took: from the first to the last
    /// aligned one (all when the child is no excerpt).
    fn taken(&self) -> Range<usize> {
        let al = self.al;
        if !self.is_excerpt() {
            return 0..al.b_spans.len();
        }
        let lo = al.pairs.iter().map(|p| p.b.start).min().unwrap_or(0);
        let hi = al.pairs.iter().map(|p| p.b.end).max().unwrap_or(0);
        lo..hi
    }

    /// Sentences the aligner left that one text rewrote from the other: in
    /// the same gap between in-order pairs with enough words in common, or
    /// each other's nearest sentence with a good score.
    fn rewritten_pairs(&self, in_child: &[bool], in_parent: &[bool]) -> Vec<Pair> {
        let al = self.al;
        let taken = self.taken();
        let free_c = |i: usize| !in_child.get(i).copied().unwrap_or(true);
        let free_p = |j: usize| !in_parent.get(j).copied().unwrap_or(true) && taken.contains(&j);
        let mut used_c = HashSet::new();
        let mut used_p = HashSet::new();
        let mut out = Vec::new();
        for (cg, pg) in gaps(al, in_child.len(), in_parent.len()) {
            let mut cand: Vec<(f64, usize, usize)> = Vec::new();
            for i in cg.clone().filter(|&i| free_c(i)) {
                for j in pg.clone().filter(|&j| free_p(j)) {
                    let (Some(&cs), Some(&ps)) = (al.a_spans.get(i), al.b_spans.get(j)) else {
                        continue;
                    };
                    let d = word_dice(self.child.text(cs), self.parent.text(ps));
                    if d >= GAP_PAIR_DICE {
                        cand.push((d, i, j));
                    }
                }
            }
            cand.sort_by(|x, y| y.0.total_cmp(&x.0));
            let mut chosen: Vec<(usize, usize, f64)> = Vec::new();
            for (d, i, j) in cand {
                if !chosen
                    .iter()
                    .any(|&(x, y, _)| (x < i) != (y < j) || x == i || y == j)
                {
                    chosen.push((i, j, d));
                }
            }
            for (i, j, d) in chosen {
                used_c.insert(i);
                used_p.insert(j);
                out.push(Pair {
                    child: i..i + 1,
                    parent: j..j + 1,
                    score: d as f32,
                    aligned: false,
                    exact: false,
                });
            }
        }
        for (i, n) in al.nearest_in_b.iter().enumerate() {
            let Some(n) = n else { continue };
            let j = n.sentence;
            let mutual = al
                .nearest_in_a
                .get(j)
                .copied()
                .flatten()
                .is_some_and(|m| m.sentence == i);
            if mutual
                && n.score >= NEAREST_PAIR
                && free_c(i)
                && free_p(j)
                && !used_c.contains(&i)
                && !used_p.contains(&j)
            {
                used_c.insert(i);
                used_p.insert(j);
                out.push(Pair {
                    child: i..i + 1,
                    parent: j..j + 1,
                    score: n.score,
                    aligned: false,
                    exact: false,
                });
            }
        }
        out
    }

    /// Mentions of `ms` inside clean span `s`, with ranges relative to `s.start`.
    fn mentions_in(ms: &[Mention], s: Span) -> Vec<(Range<usize>, Mention)> {
        ms.iter()
            .filter(|m| m.clean.start >= s.start && m.clean.end <= s.end)
            .map(|m| (m.clean.start - s.start..m.clean.end - s.start, m.clone()))
            .collect()
    }

    fn push(
        &mut self,
        kind: ChangeKind,
        parent: Option<Excerpt>,
        child: Option<Excerpt>,
        detail: Option<String>,
    ) {
        self.out.push(Change {
            kind,
            parent,
            child,
            detail,
        });
    }

    fn compare_pair(&mut self, p: &Pair) {
        let al = self.al;
        let (Some(psp), Some(csp)) = (
            run_span(&al.b_spans, &p.parent),
            run_span(&al.a_spans, &p.child),
        ) else {
            return;
        };
        let (pt, ct) = (self.parent.text(psp), self.child.text(csp));
        if pt.is_empty() || ct.is_empty() {
            return;
        }
        let runs: Vec<Run> = word_diff(pt, ct)
            .into_iter()
            .filter(|r| r.op != Op::Equal)
            .collect();
        if runs.is_empty() {
            return;
        }
        let (ps, cs) = (psp.start, csp.start);
        let shift = |r: &Range<usize>, by: usize| r.start + by..r.end + by;
        // Numbers.
        for q in compare_quantities(pt, ct) {
            let detail = number_detail(&q);
            let (a, b) = (q.a.full_span(), q.b.full_span());
            self.push(
                ChangeKind::NumberChanged,
                Some(excerpt(self.parent, shift(&a, ps))),
                Some(excerpt(self.child, shift(&b, cs))),
                Some(detail),
            );
        }
        // Names and attribution.
        let pms = Self::mentions_in(&self.pm, psp);
        let cms = Self::mentions_in(&self.cm, csp);
        let overlaps = |r: &Range<usize>, m: &Range<usize>| r.start < m.end && m.start < r.end;
        let rewrite = self.relation == Some(Relation::Rewrite);
        // Lower-case body names ("works council"), read only where a run
        // replaced words and no capitalized name is at stake.
        let bodies = runs
            .iter()
            .any(|r| r.op == Op::Replace)
            .then(|| (body_phrases(pt), body_phrases(ct)));
        for run in &runs {
            let words = |t: &str| t.split_whitespace().count();
            let short =
                words(&run.a_text) <= MAX_EDIT_WORDS && words(&run.b_text) <= MAX_EDIT_WORDS;
            let ma: Vec<&(Range<usize>, Mention)> =
                pms.iter().filter(|(r, _)| overlaps(&run.a, r)).collect();
            let mb: Vec<&(Range<usize>, Mention)> =
                cms.iter().filter(|(r, _)| overlaps(&run.b, r)).collect();
            if ma.len() == mb.len() {
                for ((ra, a), (rb, b)) in ma
                    .iter()
                    .map(|x| (&x.0, &x.1))
                    .zip(mb.iter().map(|x| (&x.0, &x.1)))
                {
                    if a.text.eq_ignore_ascii_case(&b.text) {
                        continue;
                    }
                    let speakers = speaker_position(pt, ra) && speaker_position(ct, rb);
                    let other_person = different_people(&a.text, &b.text)
                        || (name_similarity(&a.text, &b.text) < 0.5
                            && other_speaker(&a.text, &b.text));
                    if speakers && other_person {
                        let (wa, wb) = (with_speech_verb(pt, ra), with_speech_verb(ct, rb));
                        self.push(
                            ChangeKind::AttributionChanged,
                            Some(excerpt(self.parent, shift(&wa, ps))),
                            Some(excerpt(self.child, shift(&wb, cs))),
                            Some(format!("{} → {}", a.text, b.text)),
                        );
                        continue;
                    }
                    let similar = same_name(&a.text, &b.text) || shares_a_word(&a.text, &b.text);
                    let tight =
                        outside_words(&run.a, ra, pt) <= 1 && outside_words(&run.b, rb, ct) <= 1;
                    let spun = self.relation == Some(Relation::Spun);
                    if similar || (short && (tight || spun) && !rewrite) {
                        self.name_variant(a, b);
                    }
                }
            }
            if let Some((pb, cb)) = &bodies {
                if ma.is_empty() && mb.is_empty() && run.op == Op::Replace && short && !rewrite {
                    self.body_variant(run, (pt, ps, pb), (ct, cs, cb));
                }
            }
            // "according to X" → "according to Y".
            let after_according = |t: &str, r: &Range<usize>| {
                t.get(..r.start)
                    .is_some_and(|s| lower_words(s).ends_with(&["according".into(), "to".into()]))
            };
            if run.op == Op::Replace
                && short
                && after_according(pt, &run.a)
                && after_according(ct, &run.b)
            {
                let back = "according to ".len();
                let wa = snap(pt, run.a.start.saturating_sub(back)..run.a.end);
                let wb = snap(ct, run.b.start.saturating_sub(back)..run.b.end);
                self.push(
                    ChangeKind::AttributionChanged,
                    Some(excerpt(self.parent, shift(&wa, ps))),
                    Some(excerpt(self.child, shift(&wb, cs))),
                    Some(format!("{} → {}", run.a_text.trim(), run.b_text.trim())),
                );
            }
        }
        // Negation: the sentence gains or loses a negation, and the edit is
        // the negation itself (with auxiliaries), not a rephrasing.
        if negations(pt) != negations(ct) {
            for run in &runs {
                let (wa, wb) = (lower_words(&run.a_text), lower_words(&run.b_text));
                let na = wa.iter().filter(|w| is_negation(w)).count();
                let nb = wb.iter().filter(|w| is_negation(w)).count();
                if na == nb {
                    continue;
                }
                let rest = |ws: &[String]| -> Vec<String> {
                    ws.iter()
                        .filter(|w| !is_negation(w) && !AUXILIARIES.contains(&w.as_str()))
                        .cloned()
                        .collect()
                };
                let (ra, rb) = (rest(&wa), rest(&wb));
                if ra.len() + rb.len() <= 1 || ra == rb {
                    let (xa, xb) = (widen(pt, &run.a, 3), widen(ct, &run.b, 3));
                    self.push(
                        ChangeKind::NegationFlipped,
                        Some(excerpt(self.parent, shift(&xa, ps))),
                        Some(excerpt(self.child, shift(&xb, cs))),
                        Some(if nb > na {
                            "negation added".into()
                        } else {
                            "negation removed".into()
                        }),
                    );
                    break;
                }
            }
        }
    }

    /// A lower-case body name replaced by another at the place of `run`
    /// ("works council" → "jobs council"): one body phrase on each side
    /// under the run, outside quotes (there the words are the speaker's and
    /// a quote change says it), the same head noun (the same kind of body,
    /// named another way), and the run no wider than the phrases (with the
    /// quantity before them) and a word. Sides: (sentence text, its clean
    /// offset, its body phrases).
    fn body_variant(
        &mut self,
        run: &Run,
        parent: (&str, usize, &[BodyPhrase]),
        child: (&str, usize, &[BodyPhrase]),
    ) {
        let under = |r: &Range<usize>, bs: &'_ [BodyPhrase]| -> Option<BodyPhrase> {
            let mut hit = bs
                .iter()
                .filter(|b| r.start < b.name.end && b.name.start < r.end);
            match (hit.next(), hit.next()) {
                (Some(b), None) => Some(b.clone()),
                _ => None,
            }
        };
        let (Some(a), Some(b)) = (under(&run.a, parent.2), under(&run.b, child.2)) else {
            return;
        };
        let (Some(na), Some(nb)) = (parent.0.get(a.name.clone()), child.0.get(b.name.clone()))
        else {
            return;
        };
        let quoted = |qs: &[Quote], r: &Range<usize>, at: usize| {
            qs.iter()
                .any(|q| q.span.start < r.end + at && r.start + at < q.span.end)
        };
        let head = |t: &str| name_tokens(t).last().cloned();
        if quoted(&self.pq, &a.name, parent.1)
            || quoted(&self.cq, &b.name, child.1)
            || head(na) != head(nb)
            || !shares_a_word(na, nb)
            || outside_words(&run.a, &a.extent, parent.0) > 1
            || outside_words(&run.b, &b.extent, child.0) > 1
        {
            return;
        }
        let ma = mention_at(self.parent, a.name.start + parent.1..a.name.end + parent.1);
        let mb = mention_at(self.child, b.name.start + child.1..b.name.end + child.1);
        self.name_variant(&ma, &mb);
    }

    /// Reports a name written another way, once per pair of spellings.
    fn name_variant(&mut self, a: &Mention, b: &Mention) {
        let (ta, tb) = (name_tokens(&a.text), name_tokens(&b.text));
        if ta.is_empty() || tb.is_empty() || ta == tb {
            return;
        }
        // Already reported, or a part of a reported pair ("Dunleavy" of "Maura Dunleavy").
        let part = |x: &[String], y: &[String]| y.ends_with(x) || y.starts_with(x);
        if self
            .names_done
            .iter()
            .any(|(x, y)| part(&ta, x) && part(&tb, y))
        {
            return;
        }
        self.names_done.push((ta, tb));
        let detail = if same_name(&a.text, &b.text) {
            "spelling"
        } else {
            "another name in its place"
        };
        self.push(
            ChangeKind::NameVariant,
            Some(Excerpt {
                text: a.text.clone(),
                span: a.original,
            }),
            Some(Excerpt {
                text: b.text.clone(),
                span: b.original,
            }),
            Some(detail.into()),
        );
    }

    /// Names spelled another way anywhere in the child (sentences that were
    /// not aligned included): a child spelling missing from the parent
    /// that is a spelling of a parent name the child never uses.
    fn name_spellings(&mut self) {
        let lower = |m: &Mention| m.text.to_lowercase();
        let in_parent: HashSet<String> = self.pm.iter().map(lower).collect();
        let in_child: HashSet<String> = self.cm.iter().map(lower).collect();
        let mut found: Vec<(Mention, Mention)> = Vec::new();
        for b in self.cm.iter() {
            if in_parent.contains(&lower(b)) || found.iter().any(|(_, x)| lower(x) == lower(b)) {
                continue;
            }
            let best = self
                .pm
                .iter()
                .filter(|a| !in_child.contains(&lower(a)) && same_name(&a.text, &b.text))
                .max_by(|x, y| {
                    name_similarity(&x.text, &b.text).total_cmp(&name_similarity(&y.text, &b.text))
                });
            if let Some(a) = best {
                found.push((a.clone(), b.clone()));
            }
        }
        // Longer names first, so that a surname alone folds into its full name.
        found.sort_by_key(|(a, _)| std::cmp::Reverse(name_tokens(&a.text).len()));
        for (a, b) in found {
            self.name_variant(&a, &b);
        }
    }

    fn quote_changes(&mut self) {
        let (pc, cc) = (&self.parent.clean, &self.child.clean);
        let (qa, qb) = (std::mem::take(&mut self.pq), std::mem::take(&mut self.cq));
        if qa.is_empty() || qb.is_empty() {
            return;
        }
        let cover = |qs: &[Quote], ids: &[usize]| -> Option<Range<usize>> {
            let f = qs.get(*ids.first()?)?;
            let l = qs.get(*ids.last()?)?;
            Some(f.span.start..l.span.end.max(f.span.start))
        };
        let speaker = |qs: &[Quote], ids: &[usize]| {
            ids.iter().find_map(|&k| {
                qs.get(k)
                    .and_then(|q| q.speaker.clone().zip(q.speaker_span.clone()))
            })
        };
        for m in match_quotes(pc, &qa, cc, &qb) {
            let (Some(ra), Some(rb)) = (cover(&qa, &m.a), cover(&qb, &m.b)) else {
                continue;
            };
            if m.kind == QuoteMatchKind::Reattributed {
                let (sa, sb) = (speaker(&qa, &m.a), speaker(&qb, &m.b));
                let detail = match (&sa, &sb) {
                    (Some((x, _)), Some((y, _))) => Some(format!("{x} → {y}")),
                    _ => None,
                };
                let ea = sa.map_or(ra.clone(), |(_, r)| r);
                let eb = sb.map_or(rb.clone(), |(_, r)| r);
                let (xa, xb) = (excerpt(self.parent, ea), excerpt(self.child, eb));
                let dup = self.out.iter().any(|c| {
                    c.kind == ChangeKind::AttributionChanged
                        && c.parent.as_ref().is_some_and(|e| {
                            e.span.start < xa.span.end && xa.span.start < e.span.end
                        })
                });
                if !dup {
                    self.push(ChangeKind::AttributionChanged, Some(xa), Some(xb), detail);
                }
            }
            let altered = m.kind == QuoteMatchKind::Altered
                || (m.kind == QuoteMatchKind::Reattributed && m.words_changed && !m.partial);
            if altered {
                let changed: Vec<String> = m
                    .diff
                    .iter()
                    .filter(|r| r.op != Op::Equal)
                    .take(3)
                    .map(|r| format!("\"{}\" → \"{}\"", r.a_text, r.b_text))
                    .collect();
                self.push(
                    ChangeKind::QuoteAltered,
                    Some(excerpt(self.parent, ra)),
                    Some(excerpt(self.child, rb)),
                    Some(changed.join(", ")),
                );
            }
        }
    }

    /// Whether the child is an excerpt: said so, or (relation unknown) it
    /// covers under half of the parent's sentences, all in one stretch.
    fn is_excerpt(&self) -> bool {
        match self.relation {
            Some(r) => r == Relation::Excerpt,
            None => {
                let al = self.al;
                let (Some(lo), Some(hi)) = (
                    al.pairs.iter().map(|p| p.b.start).min(),
                    al.pairs.iter().map(|p| p.b.end).max(),
                ) else {
                    return false;
                };
                al.summary.coverage_b.sentences < 0.5 && (hi - lo) * 2 < al.b_spans.len().max(1)
            }
        }
    }

    /// Content stems (no stop words) of sentence spans.
    fn stems(doc: &TextDoc, spans: &[Span]) -> HashSet<String> {
        spans
            .iter()
            .flat_map(|s| doc.tokens_in(*s))
            .filter(|t| !t.is_stop)
            .map(|t| t.stem.clone())
            .collect()
    }

    fn added_and_dropped(&mut self, pairs: &[Pair], in_child: &[bool], in_parent: &[bool]) {
        let al = self.al;
        let spun = self.relation == Some(Relation::Spun);
        let rewritten = if spun { REWRITTEN / 2.0 } else { REWRITTEN };
        let long = |doc: &TextDoc, span: Span| doc.tokens_in(span).len() >= MIN_SENTENCE_WORDS;
        // Sentences of the other side around position `k` of this side.
        // The other side's sentences next to the place of sentence `k`: the
        // last sentence of the pair before it, the first of the pair after
        // it, and up to one more sentence inside the gap at each end.
        let taken = self.taken();
        let around = |k: usize, this_child: bool| -> Vec<Span> {
            let (spans, len) = if this_child {
                (&al.b_spans, al.b_spans.len())
            } else {
                (&al.a_spans, al.a_spans.len())
            };
            let (mut lo, mut hi): (Option<usize>, Option<usize>) = (None, None);
            for p in pairs {
                let (this, other) = if this_child {
                    (&p.child, &p.parent)
                } else {
                    (&p.parent, &p.child)
                };
                if this.end <= k {
                    lo = Some(lo.map_or(other.end, |l: usize| l.max(other.end)));
                } else if this.start > k {
                    hi = Some(hi.map_or(other.start, |h: usize| h.min(other.start)));
                }
            }
            let mut idx: Vec<usize> = Vec::new();
            if let Some(l) = lo {
                idx.extend(l.saturating_sub(1)..(l + 1).min(len));
            }
            if let Some(h) = hi {
                idx.extend(h.saturating_sub(1)..(h + 1).min(len));
            }
            idx.into_iter()
                .filter(|&x| !this_child || taken.contains(&x))
                .filter_map(|x| spans.get(x).copied())
                .collect()
        };
        let absorbed = |doc: &TextDoc, span: Span, other: &TextDoc, there: Vec<Span>| {
            let own = Self::stems(doc, &[span]);
            let there = Self::stems(other, &there);
            let shared = own.iter().filter(|s| there.contains(*s)).count();
            own.len() >= 2 && shared >= 2 && shared as f64 >= ABSORBED * own.len() as f64
        };
        let unexplained = |near: Option<crate::align::Nearest>,
                           partner_free: &dyn Fn(usize) -> bool| {
            match near {
                Some(n) if n.score >= REPEATED => false,
                Some(n) if n.score >= rewritten && partner_free(n.sentence) => false,
                _ => true,
            }
        };
        // An excerpt's untaken sentences explain nothing the excerpt adds.
        let parent_free =
            |j: usize| !in_parent.get(j).copied().unwrap_or(true) && taken.contains(&j);
        let child_free = |i: usize| !in_child.get(i).copied().unwrap_or(true);
        for (i, &span) in al.a_spans.iter().enumerate() {
            if child_free(i)
                && long(self.child, span)
                && unexplained(al.nearest_in_b.get(i).copied().flatten(), &parent_free)
                && !absorbed(self.child, span, self.parent, around(i, true))
            {
                self.push(
                    ChangeKind::SentenceAdded,
                    None,
                    Some(excerpt(self.child, span.range())),
                    None,
                );
            }
        }
        for (j, &span) in al.b_spans.iter().enumerate() {
            if parent_free(j)
                && taken.contains(&j)
                && long(self.parent, span)
                && unexplained(al.nearest_in_a.get(j).copied().flatten(), &child_free)
                && !absorbed(self.parent, span, self.child, around(j, false))
            {
                self.push(
                    ChangeKind::SentenceDropped,
                    Some(excerpt(self.parent, span.range())),
                    None,
                    None,
                );
            }
        }
    }

    /// A sentence the aligner joined into a merged pair (several sentences
    /// against one) that shares almost none of its content words with the
    /// other side: dropped (or added) inside the merge. Not for spun copies,
    /// whose synonyms share few words with anything.
    fn inside_merges(&mut self, pairs: &[Pair]) {
        let al = self.al;
        // A spun copy shares few words with anything: no evidence either way.
        if self.relation == Some(Relation::Spun) {
            return;
        }
        for p in pairs
            .iter()
            .filter(|p| p.aligned && (p.child.len() > 1 || p.parent.len() > 1))
        {
            let spans = |s: &[Span], r: &Range<usize>| s.get(r.clone()).unwrap_or(&[]).to_vec();
            let (cs, ps) = (spans(&al.a_spans, &p.child), spans(&al.b_spans, &p.parent));
            for (doc, own, other_doc, other, parent_side) in [
                (self.parent, &ps, self.child, &cs, true),
                (self.child, &cs, self.parent, &ps, false),
            ] {
                if own.len() < 2 {
                    continue;
                }
                let there = Self::stems(other_doc, other);
                for &span in own {
                    let mine = Self::stems(doc, &[span]);
                    let shared = mine.iter().filter(|x| there.contains(*x)).count();
                    // A sentence a copy split off must share even less to count as
                    // added: rewrites split and restructure freely.
                    let least = if parent_side {
                        MERGED_MIN
                    } else {
                        MERGED_MIN / 2.0
                    };
                    if mine.len() >= 4 && (shared as f64) < least * mine.len() as f64 {
                        let e = Some(excerpt(doc, span.range()));
                        let detail = Some("inside a merged pair".to_string());
                        if parent_side {
                            self.push(ChangeKind::SentenceDropped, e, None, detail);
                        } else {
                            self.push(ChangeKind::SentenceAdded, None, e, detail);
                        }
                    }
                }
            }
        }
    }

    /// Moved blocks: pairs off the heaviest chain in the parent's order
    /// (pairs in the child's order; weight = sentences in the pair), with
    /// the sentences they moved past when those are few.
    fn reordered(&mut self, all: &[Pair]) {
        let al = self.al;
        let pairs: Vec<&Pair> = all
            .iter()
            .filter(|p| p.aligned || p.score >= NEAREST_PAIR)
            .collect();
        let n = pairs.len();
        if n < 2 {
            return;
        }
        let weight = |p: &Pair| (p.child.len() + p.parent.len()) as f64 + p.score as f64;
        // Heaviest increasing subsequence by parent position (O(n²), n is small).
        let mut best = vec![0.0f64; n];
        let mut prev = vec![usize::MAX; n];
        for i in 0..n {
            best[i] = weight(pairs[i]);
            for j in 0..i {
                if pairs[j].parent.end <= pairs[i].parent.start
                    && best[j] + weight(pairs[i]) > best[i]
                {
                    best[i] = best[j] + weight(pairs[i]);
                    prev[i] = j;
                }
            }
        }
        let mut on_chain = vec![false; n];
        let mut k = (0..n)
            .max_by(|&x, &y| best[x].total_cmp(&best[y]))
            .unwrap_or(0);
        while k != usize::MAX {
            on_chain[k] = true;
            k = prev[k];
        }
        let chain: Vec<&Pair> = (0..n).filter(|&i| on_chain[i]).map(|i| pairs[i]).collect();
        let mut i = 0;
        while i < n {
            if on_chain[i] {
                i += 1;
                continue;
            }
            // A block: consecutive moved pairs adjacent in both texts.
            let mut j = i;
            while j + 1 < n
                && !on_chain[j + 1]
                && pairs[j + 1].child.start == pairs[j].child.end
                && pairs[j + 1].parent.start == pairs[j].parent.end
            {
                j += 1;
            }
            let mut ca = pairs[i].child.start..pairs[j].child.end;
            let mut pb = pairs[i].parent.start..pairs[j].parent.end;
            // The chain pairs it moved past: before it in one text, after it in the other.
            let crossed: Vec<&&Pair> = chain
                .iter()
                .filter(|c| (c.child.start < ca.start) != (c.parent.start < pb.start))
                .collect();
            if !crossed.is_empty()
                && crossed
                    .iter()
                    .map(|c| c.child.len().max(c.parent.len()))
                    .sum::<usize>()
                    <= MAX_CROSSED
            {
                for c in &crossed {
                    ca = ca.start.min(c.child.start)..ca.end.max(c.child.end);
                    pb = pb.start.min(c.parent.start)..pb.end.max(c.parent.end);
                }
            }
            if let (Some(c), Some(p)) = (run_span(&al.a_spans, &ca), run_span(&al.b_spans, &pb)) {
                let detail = format!(
                    "parent sentences {}–{} now at {}–{}",
                    pairs[i].parent.start + 1,
                    pairs[j].parent.end,
                    pairs[i].child.start + 1,
                    pairs[j].child.end
                );
                self.push(
                    ChangeKind::SentencesReordered,
                    Some(excerpt(self.parent, p.range())),
                    Some(excerpt(self.child, c.range())),
                    Some(detail),
                );
            }
            i = j + 1;
        }
    }
}

/// Marks the sentences `pairs` cover.
fn mark(pairs: &[Pair], in_child: &mut [bool], in_parent: &mut [bool]) {
    for p in pairs {
        in_child
            .iter_mut()
            .take(p.child.end)
            .skip(p.child.start)
            .for_each(|x| *x = true);
        in_parent
            .iter_mut()
            .take(p.parent.end)
            .skip(p.parent.start)
            .for_each(|x| *x = true);
    }
}

/// The gaps between consecutive in-order aligned pairs: child and parent
/// sentence ranges (leading and trailing gaps included).
fn gaps(al: &Alignment, nc: usize, np: usize) -> Vec<(Range<usize>, Range<usize>)> {
    let mut chain: Vec<(Range<usize>, Range<usize>)> = al
        .pairs
        .iter()
        .filter(|p| !p.moved)
        .map(|p| (p.a.clone(), p.b.clone()))
        .collect();
    chain.sort_by_key(|x| x.0.start);
    let mut out = Vec::new();
    let (mut c, mut p) = (0, 0);
    for (a, b) in chain {
        if a.start > c && b.start > p {
            out.push((c..a.start, p..b.start));
        }
        c = c.max(a.end);
        p = p.max(b.end);
    }
    if nc > c && np > p {
        out.push((c..nc, p..np));
    }
    out
}

/// Two names of several words with a word in common (connectors aside):
/// "Harrow Street" / "Harrow Road", "Vellmark University" / "Vellmark
/// College", not "School of History" / "College of Historical".
fn shares_a_word(a: &str, b: &str) -> bool {
    let (ta, tb) = (name_tokens(a), name_tokens(b));
    let content = |w: &&String| {
        !matches!(
            w.as_str(),
            "of" | "and" | "the" | "for" | "de" | "la" | "le" | "van" | "von"
        )
    };
    ta.len() > 1
        && tb.len() > 1
        && ta.iter().filter(content).any(|w| tb.contains(w))
        && name_similarity(a, b) >= 0.5
}

/// A mention of the words at clean byte range `r` of `doc` (for names the
/// capitalization rules do not find).
fn mention_at(doc: &TextDoc, r: Range<usize>) -> Mention {
    let clean = Span {
        start: r.start,
        end: r.end.max(r.start),
    };
    Mention {
        text: doc.text(clean).to_string(),
        clean,
        original: doc.to_original_span(clean),
        title: None,
        sentence: doc.sentences.partition_point(|s| s.end <= clean.start),
    }
}

/// Words of `run` outside the mention range `m` (both relative to `text`).
fn outside_words(run: &Range<usize>, m: &Range<usize>, text: &str) -> usize {
    let before = text
        .get(run.start..m.start.max(run.start).min(run.end))
        .unwrap_or("");
    let after = text
        .get(m.end.min(run.end).max(run.start)..run.end)
        .unwrap_or("");
    lower_words(before).len() + lower_words(after).len()
}

/// A name in speaker position: right before a speech verb ("Marlowe
/// said", "Brennock told …"), right after "said"/"says" ("said Marlowe"),
/// or after "according to".
fn speaker_position(text: &str, r: &Range<usize>) -> bool {
    let before = lower_words(text.get(..r.start).unwrap_or(""));
    let after = lower_words(text.get(r.end..).unwrap_or(""));
    let next_is_verb = after
        .first()
        .is_some_and(|w| SPEECH_VERBS.contains(&w.as_str()))
        || (after.len() >= 2
            && SPEECH_VERBS.contains(&after[1].as_str())
            && after[0].ends_with("ly"));
    let prev = before.last().map(String::as_str);
    let said_before = prev.is_some_and(|w| SPEECH_BEFORE.contains(&w));
    let according =
        before.len() >= 2 && before[before.len() - 2] == "according" && prev == Some("to");
    next_is_verb || said_before || according
}

/// Range `r` widened to the speech verb right after or before it ("Marlowe said").
fn with_speech_verb(text: &str, r: &Range<usize>) -> Range<usize> {
    let words = split_words(text);
    let verb = |w: &Range<usize>| {
        let t = text
            .get(w.clone())
            .unwrap_or("")
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        SPEECH_VERBS.contains(&t.as_str())
    };
    if let Some(next) = words.iter().find(|w| w.start >= r.end) {
        if verb(next) {
            let t = text.get(next.clone()).unwrap_or("");
            return r.start..next.start + t.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
        }
    }
    if let Some(prev) = words.iter().rev().find(|w| w.end <= r.start) {
        if verb(prev) {
            return prev.start..r.end;
        }
    }
    r.clone()
}

/// `r` moved onto char boundaries of `text`.
fn snap(text: &str, r: Range<usize>) -> Range<usize> {
    let mut s = r.start.min(text.len());
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    let mut e = r.end.clamp(s, text.len());
    while !text.is_char_boundary(e) {
        e += 1;
    }
    s..e
}

fn fmt_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// "0.2 → 5", "same value, written differently", "qualifier: about → more than".
fn number_detail(q: &QuantityChange) -> String {
    let unit = |u: &Option<String>| u.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
    if q.value_changed {
        if q.unit_changed {
            return format!(
                "{}{} → {}{}",
                fmt_value(q.a.value),
                unit(&q.a.unit),
                fmt_value(q.b.value),
                unit(&q.b.unit)
            );
        }
        return format!("{} → {}", fmt_value(q.a.value), fmt_value(q.b.value));
    }
    if q.qualifier_changed {
        let t = |x: &super::numbers::Quantity| {
            x.qualifier
                .as_ref()
                .map_or("none".to_string(), |q| q.text.clone())
        };
        return format!("qualifier: {} → {}", t(&q.a), t(&q.b));
    }
    "same value, written differently".into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::{align, AlignConfig};
    use crate::text::analyze;
    use proptest::prelude::*;

    /// Text made of news-like pieces: names, numbers, quotes, negations.
    fn news() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("Mayor Anneliese Corrow said".to_string()),
            Just("Annaliese Corow stated".to_string()),
            Just("the bridge was not closed".to_string()),
            Just("about 38,000 vehicles".to_string()),
            Just("one-fifth of the girders".to_string()),
            Just("\u{201c}We will rebuild it,\u{201d}".to_string()),
            Just("\"Safety comes first for all of us,\"".to_string()),
            Just("according to the council".to_string()),
            Just(". ".to_string()),
            Just("\n\n".to_string()),
            "[a-zé ]{1,12}",
        ];
        prop::collection::vec(piece, 0..14).prop_map(|v| v.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn never_panics_and_spans_fit(parent in news(), child in news()) {
            let (p, c) = (analyze(&parent, Some("en")), analyze(&child, Some("en")));
            let al = align(&c, &p, &AlignConfig::default());
            for relation in [None, Some(Relation::Spun), Some(Relation::Excerpt)] {
                for ch in compare_docs_with(&p, &c, &al, &CompareOptions { relation }) {
                    if let Some(e) = &ch.parent {
                        prop_assert!(parent.get(e.span.range()).is_some(), "{:?}", e);
                        prop_assert!(e.char_span(&parent).is_some());
                    }
                    if let Some(e) = &ch.child {
                        prop_assert!(child.get(e.span.range()).is_some(), "{:?}", e);
                    }
                }
            }
        }
    }

    fn found(
        parent: &str,
        child: &str,
        relation: Option<Relation>,
    ) -> Vec<(ChangeKind, String, String)> {
        let (p, c) = (analyze(parent, Some("en")), analyze(child, Some("en")));
        let al = align(&c, &p, &AlignConfig::default());
        compare_docs_with(&p, &c, &al, &CompareOptions { relation })
            .into_iter()
            .map(|ch| {
                (
                    ch.kind,
                    ch.parent.map(|e| e.text).unwrap_or_default(),
                    ch.child.map(|e| e.text).unwrap_or_default(),
                )
            })
            .collect()
    }

    const PARENT: &str = "The council voted on Monday to close the Harrow Street depot. \
        Councillor Nell Brannigan said the move would save about 140 jobs. \
        The union said it had ruled out a strike for now. \
        \"We were warned about this in 2019, and we chose to wait,\" Marlowe said. \
        The stock has fallen 38 percent since 2019, according to government figures. \
        The depot opened in 1971 and employs four hundred drivers.";

    #[test]
    fn names_numbers_negation_quotes_and_attribution() {
        let child = "The council voted on Monday to close the Harrow Road depot. \
            Councillor Nell Branagan said the move would save about 150 jobs. \
            The union said it had not ruled out a strike for now. \
            \"We were warned about this years ago, and we chose to wait,\" Tennant said. \
            The stock has fallen 38 per cent since 2019, according to the cooperative. \
            The depot opened in 1971 and employs four hundred drivers.";
        let f = found(PARENT, child, None);
        let has = |k: ChangeKind, a: &str, b: &str| {
            f.iter()
                .any(|x| x.0 == k && x.1.contains(a) && x.2.contains(b))
        };
        assert!(
            has(ChangeKind::NameVariant, "Harrow Street", "Harrow Road"),
            "{f:#?}"
        );
        assert!(
            has(ChangeKind::NameVariant, "Nell Brannigan", "Nell Branagan"),
            "{f:#?}"
        );
        assert!(has(ChangeKind::NumberChanged, "140", "150"), "{f:#?}");
        assert!(
            has(ChangeKind::NumberChanged, "38 percent", "38 per cent"),
            "{f:#?}"
        );
        assert!(
            has(
                ChangeKind::NegationFlipped,
                "had ruled out",
                "had not ruled out"
            ),
            "{f:#?}"
        );
        assert!(
            has(ChangeKind::QuoteAltered, "in 2019", "years ago"),
            "{f:#?}"
        );
        assert!(
            has(ChangeKind::AttributionChanged, "Marlowe", "Tennant"),
            "{f:#?}"
        );
        assert!(
            has(
                ChangeKind::AttributionChanged,
                "government figures",
                "the cooperative"
            ),
            "{f:#?}"
        );
        let kinds: Vec<ChangeKind> = f.iter().map(|x| x.0).collect();
        assert!(
            !kinds.contains(&ChangeKind::SentenceAdded)
                && !kinds.contains(&ChangeKind::SentenceDropped),
            "{f:#?}"
        );
        assert_eq!(
            kinds
                .iter()
                .filter(|k| **k == ChangeKind::AttributionChanged)
                .count(),
            2,
            "{f:#?}"
        );
    }

    #[test]
    fn added_dropped_excerpts_and_duplicates() {
        let child = "The council voted on Monday to close the Harrow Street depot. \
            Councillor Nell Brannigan said the move would save about 140 jobs. \
            Shares in the operator rose sharply in early trading on the news. \
            The depot opened in 1971 and employs four hundred drivers.";
        let f = found(PARENT, child, None);
        let count = |k: ChangeKind| f.iter().filter(|x| x.0 == k).count();
        assert_eq!(count(ChangeKind::SentenceAdded), 1, "{f:#?}");
        assert_eq!(count(ChangeKind::SentenceDropped), 3, "{f:#?}");
        // An excerpt of the first two sentences drops nothing, said or inferred.
        let excerpt = "The council voted on Monday to close the Harrow Street depot. \
            Councillor Nell Brannigan said the move would save about 140 jobs.";
        assert!(found(PARENT, excerpt, Some(Relation::Excerpt)).is_empty());
        assert!(found(PARENT, excerpt, None).is_empty());
        // As a copy, the rest is dropped.
        assert_eq!(found(PARENT, excerpt, Some(Relation::Copy)).len(), 4);
        assert!(found(PARENT, PARENT, None).is_empty());
    }

    #[test]
    fn reordered_blocks() {
        let parent = "The river burst its banks on Sunday morning. About 300 homes were flooded in the old town. \
            The mayor asked residents to boil their drinking water. Schools will stay closed until Friday. \
            The army sent two hundred soldiers to help with sandbags.";
        let child = "The army sent two hundred soldiers to help with sandbags. \
            The river burst its banks on Sunday morning. About 300 homes were flooded in the old town. \
            The mayor asked residents to boil their drinking water. Schools will stay closed until Friday.";
        let f = found(parent, child, None);
        let moved: Vec<&(ChangeKind, String, String)> = f
            .iter()
            .filter(|x| x.0 == ChangeKind::SentencesReordered)
            .collect();
        assert_eq!(moved.len(), 1, "{f:#?}");
        assert!(moved[0].1.starts_with("The army"), "{f:#?}");
    }

    #[test]
    fn garbled_sentences_are_compared_not_added() {
        let parent = "The council met on Monday. \"We are between a rock and a hard place,\" Maura Dunleavy said. \
            The depot will close in March after a long review of its costs.";
        let child = "The council met on Monday. \"We're in between a stone and a tough location,\" Maura Dunlevy stated. \
            The depot will close in March after a long review of its costs.";
        let f = found(parent, child, Some(Relation::Spun));
        assert!(
            f.iter().any(|x| x.0 == ChangeKind::NameVariant
                && x.1 == "Maura Dunleavy"
                && x.2 == "Maura Dunlevy"),
            "{f:#?}"
        );
        assert!(
            !f.iter()
                .any(|x| matches!(x.0, ChangeKind::SentenceAdded | ChangeKind::SentenceDropped)),
            "{f:#?}"
        );
        assert!(
            !f.iter().any(|x| x.0 == ChangeKind::AttributionChanged),
            "{f:#?}"
        );
    }

    #[test]
    fn different_people_are_not_variants() {
        let parent = "The plan was drawn up by Daniel Okafor and approved on Monday by the board of the college.";
        let child = "The plan was drawn up by Daniel Whitcombe and approved on Monday by the board of the college.";
        let f = found(parent, child, None);
        assert!(!f.is_empty());
        let p = analyze(parent, Some("en"));
        let c = analyze(child, Some("en"));
        let al = align(&c, &p, &AlignConfig::default());
        for ch in compare_docs(&p, &c, &al) {
            if ch.kind == ChangeKind::NameVariant {
                assert_eq!(ch.detail.as_deref(), Some("another name in its place"));
            }
        }
    }

    #[test]
    fn spans_point_into_the_original() {
        let parent = "\u{201c}We closed the Larkmoor Bridge for good,\u{201d} Mayor Anneliese Corrow said on Friday.";
        let child = "\u{201c}We closed the Larkmoor Bridge for now,\u{201d} Mayor Annaliese Corrow said on Friday.";
        let (p, c) = (analyze(parent, Some("en")), analyze(child, Some("en")));
        let al = align(&c, &p, &AlignConfig::default());
        let f = compare_docs(&p, &c, &al);
        assert_eq!(f.len(), 2, "{f:#?}");
        for ch in f {
            if let Some(e) = ch.parent {
                assert!(parent.get(e.span.range()).is_some(), "{e:?}");
                assert!(e.char_span(parent).is_some());
            }
            if let Some(e) = ch.child {
                assert!(child.get(e.span.range()).is_some(), "{e:?}");
            }
        }
    }
}
