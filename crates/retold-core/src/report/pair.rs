//! The report on two articles (`retold compare A B`): one view model,
//! [`PairReport`], rendered as JSON (its serde form, schema
//! `retold-compare/1`, `docs/schema/compare-v1.json`), as a terminal
//! side-by-side table ([`write_text`]) and as one self-contained HTML page
//! ([`super::html::render_pair`]).
//!
//! The model holds both articles' rows with their texts, the verdict with
//! its direction and what that rests on ([`DirectionView`]), what the
//! derived side changed, and the **aligned passages**: each aligned
//! sentence pair (or merged run) with its byte span (and character span)
//! in *both original texts* and the word-level difference cut from each
//! side's own text, so B's runs carry B's capitals and punctuation. Each
//! text is also given whole as [`Piece`]s (passages and the text between
//! them), which is what the HTML page draws.
//!
//! ```
//! use retold_core::article::{ArticleDraft, Origin};
//! use retold_core::report::pair::{write_text, PairReport, TextOptions};
//!
//! let article = |id: &str, text: &str| {
//!     ArticleDraft { id: Some(id.into()), text: text.into(), ..Default::default() }
//!         .finish(Origin::whole(format!("{id}.txt")))
//!         .expect("an article with text")
//! };
//! let a = article("a", "Crews closed the Harbour Bridge on Monday after inspectors found a \
//!     crack in one of its steel girders. Repairs will take at least six weeks, the city's \
//!     transport office said. The bridge opened in 1971.");
//! let b = article("b", "Crews shut the Harbour Bridge on Monday after inspectors found a \
//!     crack in one of its steel girders. Repairs will take at least six weeks, the city's \
//!     transport office said. The bridge, which opened in 1971, carries 40,000 cars a day.");
//! let report = PairReport::compare(&a, &b);
//! let first = &report.passages[0];
//! // Spans point into the original texts.
//! assert_eq!(&a.text[first.a.span.range()], first.a.text);
//! assert_eq!(&b.text[first.b.span.range()], first.b.text);
//! // B's changed words are B's own.
//! assert!(first.b.runs.iter().any(|r| r.changed && r.text == "shut"));
//! let mut out = Vec::new();
//! write_text(&mut out, &report, &TextOptions { width: 100, ..Default::default() }).unwrap();
//! assert!(String::from_utf8(out).unwrap().contains("{+shut+}"));
//! ```

use std::io::Write;

use serde::{Deserialize, Serialize};

use super::ArticleRow;
use crate::align::{align, AlignConfig, AlignedPair, Alignment, AlignmentSummary};
use crate::article::Article;
use crate::changes::cross::cross_language_changes;
use crate::changes::diff::{word_diff, Op};
use crate::changes::{changes, Change};
use crate::relate::{compare_any, Basis, Comparison, DirectionEvidence, Relation, Side, Verdict};
use crate::text::{Span, TextDoc};

/// Version of the JSON of a comparison; the JSON Schema is
/// `docs/schema/compare-v1.json`.
pub const SCHEMA: &str = "retold-compare/1";

/// Everything a reader sees about two articles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairReport {
    pub schema: String,
    /// The two articles, with their texts (the spans point into them).
    pub a: ArticleRow,
    pub b: ArticleRow,
    pub verdict: Verdict,
    /// Which side is the source and what that rests on (derived relations
    /// only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<DirectionView>,
    /// The alignment's numbers (sentences, coverage, similarity, order).
    pub alignment: AlignmentSummary,
    /// The derived side (`a` or `b`) whose changes `changes` lists; none
    /// unless the relation is derived (B is taken as the source unless
    /// the evidence says A is).
    pub changes_of: Option<Side>,
    pub changes: Vec<Change>,
    /// The aligned passages, in A's order; passage `n` is `p{n}`.
    pub passages: Vec<Passage>,
    /// The side-by-side rows: passages in A's order, with the sentences
    /// only one side has where they stand.
    pub rows: Vec<Row>,
    /// Sentences in no passage, per side.
    pub only_a: usize,
    pub only_b: usize,
    /// Each text whole, cut at its passages (what the HTML page draws).
    pub a_pieces: Vec<Piece>,
    pub b_pieces: Vec<Piece>,
    /// What the reader should know about how the verdict was reached
    /// ([`Comparison::note`]): e.g. two languages with cross-lingual
    /// matching off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The direction of a derived pair as a reader needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectionView {
    /// The side judged to be the source; none when nothing tells.
    pub source: Option<Side>,
    pub basis: Option<Basis>,
    pub confidence: Option<f64>,
    /// The evidence of the deciding kind, in words ("B was published
    /// 16.7 h earlier").
    pub because: Vec<String>,
    /// The other evidence, in words (when the direction is unknown: all
    /// of it, which conflicts).
    pub other: Vec<String>,
}

/// One aligned sentence pair (or merged run of sentences).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    /// `p{n}`: the id of the passage in both texts of the HTML page.
    pub id: String,
    /// Sentence indices (half-open) in the alignment.
    pub a_sentences: Span,
    pub b_sentences: Span,
    pub score: f32,
    /// The same letters and digits on both sides.
    pub exact: bool,
    /// Out of order against the other passages.
    pub moved: bool,
    pub a: PassageSide,
    pub b: PassageSide,
}

/// A passage in one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassageSide {
    /// Byte span in that article's original text (`&text[span]` is `text`).
    pub span: Span,
    /// The same span in characters (for JavaScript and other readers).
    pub chars: Span,
    pub text: String,
    /// The passage cut into runs of unchanged and changed words, in this
    /// side's own wording; the runs tile `text`.
    pub runs: Vec<DiffRun>,
}

/// A run of a passage's words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffRun {
    pub text: String,
    /// Byte span in the article's original text.
    pub span: Span,
    /// Words the other side does not have (or has other words for).
    pub changed: bool,
}

/// What a side-by-side row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    Aligned,
    OnlyA,
    OnlyB,
}

/// One row of the side-by-side view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub kind: RowKind,
    /// Index into `passages` (aligned rows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passage: Option<usize>,
    /// The sentence(s) of each side, from the original text.
    pub a: Option<String>,
    pub b: Option<String>,
    pub a_span: Option<Span>,
    pub b_span: Option<Span>,
    pub score: Option<f32>,
    pub exact: bool,
    pub moved: bool,
}

/// A stretch of one text: a passage, or the text between passages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Piece {
    /// The passage's id (`p{n}`), none for text in no passage.
    pub passage: Option<String>,
    pub moved: bool,
    /// Plain text (for text in no passage), or the passage's runs.
    pub text: String,
    pub runs: Vec<DiffRun>,
}

impl PairReport {
    /// Compares `a` and `b` ([`crate::relate::compare_any`]: across two
    /// languages as the engine does) and builds the report.
    pub fn compare(a: &Article, b: &Article) -> PairReport {
        PairReport::new(a, b, &compare_any(a, b))
    }

    /// The report of `cmp`, the comparison of `a` and `b`.
    pub fn new(a: &Article, b: &Article, cmp: &Comparison) -> PairReport {
        let (changes_of, found) = derived_changes(cmp);
        let passages: Vec<Passage> = cmp
            .alignment
            .pairs
            .iter()
            .enumerate()
            .map(|(n, p)| {
                let (sa, sb) = (clamp(&a.text, p.a_original), clamp(&b.text, p.b_original));
                let (ra, rb) = runs(cmp, p, (&a.text, sa), (&b.text, sb));
                Passage {
                    id: format!("p{n}"),
                    a_sentences: Span {
                        start: p.a.start,
                        end: p.a.end,
                    },
                    b_sentences: Span {
                        start: p.b.start,
                        end: p.b.end,
                    },
                    score: p.score,
                    exact: p.exact,
                    moved: p.moved,
                    a: side(&a.text, sa, ra),
                    b: side(&b.text, sb, rb),
                }
            })
            .collect();
        let rows = rows(cmp, a, b, &passages);
        let count = |k| rows.iter().filter(|r| r.kind == k).count();
        let (only_a, only_b) = (count(RowKind::OnlyA), count(RowKind::OnlyB));
        PairReport {
            schema: SCHEMA.to_string(),
            a: ArticleRow::new(a, true),
            b: ArticleRow::new(b, true),
            direction: direction(&cmp.verdict),
            verdict: cmp.verdict.clone(),
            alignment: cmp.alignment.summary,
            changes_of,
            changes: found,
            a_pieces: pieces(&a.text, &passages, |p| &p.a),
            b_pieces: pieces(&b.text, &passages, |p| &p.b),
            passages,
            rows,
            only_a,
            only_b,
            note: cmp.note.clone(),
        }
    }

    /// The row of side `s`.
    pub fn article(&self, s: Side) -> &ArticleRow {
        match s {
            Side::A => &self.a,
            Side::B => &self.b,
        }
    }
}

/// `span` if it lies in `text` on character boundaries, else the empty
/// span at 0 (never for spans the aligner made from this text).
fn clamp(text: &str, span: Span) -> Span {
    if span.start <= span.end && text.get(span.range()).is_some() {
        span
    } else {
        Span { start: 0, end: 0 }
    }
}

fn char_span(text: &str, span: Span) -> Span {
    let start = text.get(..span.start).map_or(0, |t| t.chars().count());
    let len = text.get(span.range()).map_or(0, |t| t.chars().count());
    Span {
        start,
        end: start + len,
    }
}

fn side(text: &str, span: Span, runs: Vec<DiffRun>) -> PassageSide {
    PassageSide {
        span,
        chars: char_span(text, span),
        text: text.get(span.range()).unwrap_or("").to_string(),
        runs,
    }
}

/// The word difference of a passage, computed on the clean texts' words
/// (curly and straight quotes alike) and cut from each side's original
/// text: each side's runs tile its passage (the gaps between words go with
/// the runs around them).
fn runs(
    cmp: &Comparison,
    p: &AlignedPair,
    a: (&str, Span),
    b: (&str, Span),
) -> (Vec<DiffRun>, Vec<DiffRun>) {
    // Across languages every word differs: a word difference says nothing.
    if p.exact || cmp.verdict.relation == Relation::Translated {
        return (tile(a.0, a.1, &[]), tile(b.0, b.1, &[]));
    }
    let (wa, wb) = changed_words(cmp.a.text(p.a_clean), cmp.b.text(p.b_clean));
    // A changed run of the clean passage as a range of the original one.
    let place = |doc: &TextDoc, clean: Span, span: Span, r: &std::ops::Range<usize>| {
        let o = doc.to_original_span(Span {
            start: clean.start + r.start,
            end: clean.start + r.end,
        });
        let (s, e) = (o.start.max(span.start), o.end.min(span.end));
        (s < e).then(|| s - span.start..e - span.start)
    };
    let ca: Vec<_> = wa
        .iter()
        .filter_map(|r| place(&cmp.a, p.a_clean, a.1, r))
        .collect();
    let cb: Vec<_> = wb
        .iter()
        .filter_map(|r| place(&cmp.b, p.b_clean, b.1, r))
        .collect();
    (tile(a.0, a.1, &ca), tile(b.0, b.1, &cb))
}

/// The words of two aligned passages that the other does not have (or has
/// other words for), as byte ranges of each passage, in order: A's
/// deleted or replaced words, B's inserted or replacing ones. The one word
/// difference of every view of a pair ([`changes::diff::word_diff`]).
///
/// [`changes::diff::word_diff`]: crate::changes::diff::word_diff
pub(crate) fn changed_words(
    a: &str,
    b: &str,
) -> (Vec<std::ops::Range<usize>>, Vec<std::ops::Range<usize>>) {
    let diff = word_diff(a, b);
    let changed = diff.iter().filter(|r| r.op != Op::Equal);
    let wa = changed
        .clone()
        .filter(|r| !r.a.is_empty())
        .map(|r| r.a.clone())
        .collect();
    let wb = changed
        .filter(|r| !r.b.is_empty())
        .map(|r| r.b.clone())
        .collect();
    (wa, wb)
}

/// The changed words of every inexact aligned pair of `al` (the alignment
/// of `a_text` against `b_text`), as byte spans of each original text in
/// order: `(A's, B's)`. The passages are compared in their original
/// wording (an alignment kept without its clean texts).
pub(crate) fn word_edits(al: &Alignment, a_text: &str, b_text: &str) -> (Vec<Span>, Vec<Span>) {
    let (mut ea, mut eb) = (Vec::new(), Vec::new());
    for p in al.pairs.iter().filter(|p| !p.exact) {
        let (sa, sb) = (clamp(a_text, p.a_original), clamp(b_text, p.b_original));
        let (Some(ta), Some(tb)) = (a_text.get(sa.range()), b_text.get(sb.range())) else {
            continue;
        };
        let (wa, wb) = changed_words(ta, tb);
        let at = |base: usize, r: std::ops::Range<usize>| Span {
            start: base + r.start,
            end: base + r.end,
        };
        ea.extend(wa.into_iter().map(|r| at(sa.start, r)));
        eb.extend(wb.into_iter().map(|r| at(sb.start, r)));
    }
    for e in [&mut ea, &mut eb] {
        e.sort_by_key(|s| (s.start, s.end));
        let mut end = 0;
        e.retain(|s| {
            let keep = s.start >= end && s.start < s.end;
            if keep {
                end = s.end;
            }
            keep
        });
    }
    (ea, eb)
}

/// The passage `span` of `text` as runs: the `changed` ranges (relative to
/// the passage, in order, not overlapping) and the text between them.
fn tile(text: &str, span: Span, changed: &[std::ops::Range<usize>]) -> Vec<DiffRun> {
    let mut out = Vec::new();
    let mut push = |s: usize, e: usize, changed: bool| {
        let abs = Span {
            start: span.start + s,
            end: span.start + e,
        };
        if let Some(t) = text.get(abs.range()).filter(|t| !t.is_empty()) {
            out.push(DiffRun {
                text: t.to_string(),
                span: abs,
                changed,
            });
        }
    };
    let mut at = 0;
    for r in changed {
        if r.start < at || r.end > span.len() {
            continue;
        }
        push(at, r.start, false);
        push(r.start, r.end, true);
        at = r.end;
    }
    push(at, span.len(), false);
    out
}

/// Each text whole, cut at its passages' spans (in that text's order; a
/// passage overlapping an earlier one stays unmarked).
fn pieces(text: &str, passages: &[Passage], pick: fn(&Passage) -> &PassageSide) -> Vec<Piece> {
    let mut order: Vec<&Passage> = passages
        .iter()
        .filter(|p| !pick(p).span.is_empty())
        .collect();
    order.sort_by_key(|p| pick(p).span.start);
    let mut out = Vec::new();
    let plain = |s: usize, e: usize| {
        text.get(s..e).filter(|t| !t.is_empty()).map(|t| Piece {
            passage: None,
            moved: false,
            text: t.to_string(),
            runs: Vec::new(),
        })
    };
    let mut at = 0;
    for p in order {
        let s = pick(p);
        if s.span.start < at {
            continue;
        }
        out.extend(plain(at, s.span.start));
        out.push(Piece {
            passage: Some(p.id.clone()),
            moved: p.moved,
            text: s.text.clone(),
            runs: s.runs.clone(),
        });
        at = s.span.end;
    }
    out.extend(plain(at, text.len()));
    out
}

/// The changes of the derived side against the source, when the verdict
/// says one derives from the other (B is taken as the source unless the
/// evidence says A is).
fn derived_changes(cmp: &Comparison) -> (Option<Side>, Vec<Change>) {
    let v = &cmp.verdict;
    if !v.relation.is_derived() {
        return (None, Vec::new());
    }
    if v.relation == Relation::Translated {
        // Across languages: numbers and names over the aligned sentence
        // pairs, the derived side as side A (as the engine reports them).
        return if v.direction.is_some_and(|d| d.source == Side::A) {
            let al = swapped(&cmp.alignment);
            (Some(Side::B), cross_language_changes(&cmp.b, &cmp.a, &al))
        } else {
            (
                Some(Side::A),
                cross_language_changes(&cmp.a, &cmp.b, &cmp.alignment),
            )
        };
    }
    if v.direction.is_some_and(|d| d.source == Side::A) {
        let al = align(&cmp.b, &cmp.a, &AlignConfig::default());
        (Some(Side::B), changes(&cmp.b, &cmp.a, &al, v.relation))
    } else {
        (
            Some(Side::A),
            changes(&cmp.a, &cmp.b, &cmp.alignment, v.relation),
        )
    }
}

/// `al` read the other way round (B's sentences as side A).
fn swapped(al: &Alignment) -> Alignment {
    let mut out = al.clone();
    for p in &mut out.pairs {
        std::mem::swap(&mut p.a, &mut p.b);
        std::mem::swap(&mut p.a_clean, &mut p.b_clean);
        std::mem::swap(&mut p.a_original, &mut p.b_original);
    }
    out.pairs.sort_by_key(|p| p.a.start);
    std::mem::swap(&mut out.nearest_in_a, &mut out.nearest_in_b);
    out
}

/// The text of sentences `r` (indices into `spans`, clean-text spans of
/// `doc`) as a span of the original text.
fn original(doc: &TextDoc, spans: &[Span], r: std::ops::Range<usize>) -> Option<Span> {
    let s = spans.get(r.start)?;
    let e = spans.get(r.end.checked_sub(1)?)?;
    Some(doc.to_original_span(Span {
        start: s.start,
        end: e.end,
    }))
}

/// The side-by-side rows: passages in A's order, with the sentences only
/// one side has placed where they stand.
fn rows(cmp: &Comparison, a: &Article, b: &Article, passages: &[Passage]) -> Vec<Row> {
    let al = &cmp.alignment;
    let (n, m) = (al.a_spans.len(), al.b_spans.len());
    let (in_a, in_b) = al.aligned_sentences();
    let only = |kind: RowKind, i: usize| {
        let (doc, spans, text) = match kind {
            RowKind::OnlyA => (&cmp.a, &al.a_spans, &a.text),
            _ => (&cmp.b, &al.b_spans, &b.text),
        };
        let span = original(doc, spans, i..i + 1).map(|s| clamp(text, s));
        let words = span.and_then(|s| text.get(s.range())).map(str::to_string);
        let is_a = kind == RowKind::OnlyA;
        Row {
            kind,
            passage: None,
            a: if is_a { words.clone() } else { None },
            b: if is_a { None } else { words },
            a_span: if is_a { span } else { None },
            b_span: if is_a { None } else { span },
            score: None,
            exact: false,
            moved: false,
        }
    };
    let mut out = Vec::new();
    let (mut next_a, mut next_b) = (0, 0);
    for (k, p) in al.pairs.iter().enumerate() {
        while next_a < p.a.start {
            if !in_a[next_a] {
                out.push(only(RowKind::OnlyA, next_a));
            }
            next_a += 1;
        }
        if !p.moved {
            while next_b < p.b.start {
                if !in_b[next_b] {
                    out.push(only(RowKind::OnlyB, next_b));
                }
                next_b += 1;
            }
            next_b = next_b.max(p.b.end);
        }
        next_a = next_a.max(p.a.end);
        let Some(pg) = passages.get(k) else {
            continue;
        };
        out.push(Row {
            kind: RowKind::Aligned,
            passage: Some(k),
            a: Some(pg.a.text.clone()),
            b: Some(pg.b.text.clone()),
            a_span: Some(pg.a.span),
            b_span: Some(pg.b.span),
            score: Some(p.score),
            exact: p.exact,
            moved: p.moved,
        });
    }
    for i in (next_a..n).filter(|&i| !in_a[i]) {
        out.push(only(RowKind::OnlyA, i));
    }
    for j in (next_b..m).filter(|&j| !in_b[j]) {
        out.push(only(RowKind::OnlyB, j));
    }
    out
}

/// "A" or "B".
pub fn side_name(s: Side) -> &'static str {
    match s {
        Side::A => "A",
        Side::B => "B",
    }
}

/// One piece of direction evidence in words.
pub fn describe(e: &DirectionEvidence) -> String {
    match e {
        DirectionEvidence::Published {
            earlier,
            gap_seconds,
        } => format!(
            "{} was published {} earlier",
            side_name(*earlier),
            human_gap(*gap_seconds)
        ),
        DirectionEvidence::RelativeDay {
            earlier,
            earlier_says,
            later_says,
            pairs,
        } => format!(
            "{} was written a day earlier: it says \"{earlier_says}\" where {} says \"{later_says}\" of the same thing ({} sentence{})",
            side_name(*earlier),
            side_name(earlier.other()),
            pairs,
            if *pairs == 1 { "" } else { "s" }
        ),
        DirectionEvidence::Attribution { side, phrase, .. } => {
            format!("{} credits the other: \"{phrase}\"", side_name(*side))
        }
        DirectionEvidence::Credit { side, outlet } => {
            format!(
                "{} credits an outlet the other is ({outlet})",
                side_name(*side)
            )
        }
        DirectionEvidence::Agency { wire, agency } => format!(
            "{} is the wire agency's text ({agency}), the other a newspaper's",
            side_name(*wire)
        ),
        DirectionEvidence::Update {
            earlier,
            outlet,
            held,
            holding,
        } => format!(
            "both are {outlet}'s texts, and {} is held in the other, which adds to it ({:.0}% of it aligned, against {:.0}% of the other): its earlier take",
            side_name(*earlier),
            held * 100.0,
            holding * 100.0
        ),
        DirectionEvidence::Containment {
            side,
            contained,
            containing,
        } => format!(
            "{} is contained in the other ({:.0}% of it aligned, against {:.0}% of the other)",
            side_name(*side),
            contained * 100.0,
            containing * 100.0
        ),
        DirectionEvidence::ScraperMarkers { side, labels } => {
            format!(
                "{} carries scraper boilerplate ({})",
                side_name(*side),
                labels.join(", ")
            )
        }
    }
}

fn human_gap(s: i64) -> String {
    match s {
        s if s < 3600 => format!("{} min", (s / 60).max(1)),
        s if s < 86_400 * 2 => format!("{:.1} h", s as f64 / 3600.0),
        s => format!("{:.1} days", s as f64 / 86_400.0),
    }
}

fn direction(v: &Verdict) -> Option<DirectionView> {
    if !v.relation.is_derived() {
        return None;
    }
    Some(match v.direction {
        Some(d) => {
            let (because, other): (Vec<_>, Vec<_>) = v
                .direction_evidence
                .iter()
                .partition(|e| e.basis() == d.basis);
            DirectionView {
                source: Some(d.source),
                basis: Some(d.basis),
                confidence: Some(d.confidence),
                because: because.into_iter().map(describe).collect(),
                other: other.into_iter().map(describe).collect(),
            }
        }
        None => DirectionView {
            source: None,
            basis: None,
            confidence: None,
            because: Vec::new(),
            other: v.direction_evidence.iter().map(describe).collect(),
        },
    })
}

/// How the side-by-side table is written.
#[derive(Debug, Clone)]
pub struct TextOptions {
    /// Width of the table in columns (at least 40 is used).
    pub width: usize,
    /// ANSI colours for changed words (else `[-A's-]` and `{+B's+}`).
    pub color: bool,
    /// Every sentence only one side has, not just how many.
    pub all: bool,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            width: 120,
            color: false,
            all: false,
        }
    }
}

/// Sentences only one side has are listed when there are at most this
/// many, or no more than passages; else each gap is one line with counts.
const LIST_ONE_SIDED: usize = 8;

/// The report as the terminal shows it: both articles (whole ids, the
/// input each came from), the verdict and its direction, the evidence, the
/// passages side by side with changed words marked in each side's wording,
/// and the changes of the derived side.
pub fn write_text(out: &mut dyn Write, r: &PairReport, o: &TextOptions) -> std::io::Result<()> {
    for (name, x) in [("A", &r.a), ("B", &r.b)] {
        let mut label = x.title.clone().unwrap_or_else(|| "(no title)".into());
        label = one_line(&label);
        let src = x.source.as_deref().unwrap_or("unknown source");
        let date = x.published.as_deref().unwrap_or("undated");
        writeln!(out, "{name}: {label} ({src}, {date})")?;
        writeln!(out, "   id {} · {}", x.id, x.at)?;
    }
    let v = &r.verdict;
    let degree = v
        .degree
        .map(|d| format!(", {} derived", d.name()))
        .unwrap_or_default();
    writeln!(
        out,
        "\nverdict: {} (confidence {:.2}{degree})",
        v.relation, v.confidence
    )?;
    if let Some(d) = &r.direction {
        match (d.source, d.basis, d.confidence) {
            (Some(s), Some(b), Some(c)) => writeln!(
                out,
                "source:  {} (direction: {}, confidence {:.2}) — {}",
                side_name(s),
                b.name(),
                c,
                d.because.join("; ")
            )?,
            _ => writeln!(
                out,
                "source:  direction unknown (no date, credit, agency tag or other evidence says which came first){}",
                if d.other.is_empty() {
                    String::new()
                } else {
                    format!("; conflicting: {}", d.other.join("; "))
                }
            )?,
        }
    }
    if let Some(b) = &v.degree_basis {
        // The side the degree was read from: the version when the
        // direction is known, else the one more of which is the other's.
        let source = match r.direction.as_ref().and_then(|d| d.source) {
            Some(s) => side_name(s).to_string(),
            None => "the other text".to_string(),
        };
        writeln!(out, "degree:  {}", super::text::degree_reason(b, &source))?;
    }
    if let Some(t) = &v.two_reports {
        writeln!(out, "reports: {}", super::text::two_reports_said(t))?;
    }
    if let Some(t) = &v.two_reports_if {
        let who = t.version.map_or("each text", side_name);
        let said = super::text::two_reports_said(t);
        writeln!(out, "reports: if {who} came second, {said}")?;
    }
    if let Some(note) = &r.note {
        writeln!(out, "note:    {note}")?;
    }
    let f = &v.features;
    if let Some(t) = &v.translation {
        writeln!(
            out,
            "evidence: {} sentence pairs aligned across languages (A {}, B {}) by the multilingual model; \
             coverage A {:.0}%, B {:.0}%; mean cosine {:.2}; names kept {:.0}%, numbers kept {:.0}%",
            f.pairs,
            t.a_language,
            t.b_language,
            t.a_coverage * 100.0,
            t.b_coverage * 100.0,
            f.mean_similarity,
            f.name_retention * 100.0,
            f.number_retention * 100.0,
        )?;
        if let Some(l) = &t.first_reported_in {
            writeln!(out, "first reported in: {l}")?;
        }
        if !r.passages.is_empty() {
            write_table(out, r, o)?;
        }
        return write_changes(out, r);
    }
    let f = &v.features;
    writeln!(
        out,
        "evidence: {} aligned pairs; coverage A {:.0}%, B {:.0}%; mean similarity {:.2}; exact {:.0}%; \
         order tau {:.2}; longest run {}; words kept {:.0}%, names kept {:.0}%, numbers kept {:.0}%; \
         5-shingle Jaccard {:.2}",
        f.pairs,
        f.a_coverage * 100.0,
        f.b_coverage * 100.0,
        f.mean_similarity,
        f.exact_share * 100.0,
        f.order,
        f.longest_run,
        f.word_retention * 100.0,
        f.name_retention * 100.0,
        f.number_retention * 100.0,
        f.shingle_jaccard
    )?;
    if !r.passages.is_empty() {
        write_table(out, r, o)?;
    } else {
        writeln!(
            out,
            "\nno aligned passages; {} sentences in A, {} in B",
            r.only_a, r.only_b
        )?;
    }
    write_changes(out, r)
}

fn write_table(out: &mut dyn Write, r: &PairReport, o: &TextOptions) -> std::io::Result<()> {
    let width = o.width.max(40);
    let col = width.saturating_sub(9) / 2;
    let list = o.all || r.only_a + r.only_b <= LIST_ONE_SIDED.max(r.passages.len());
    writeln!(out, "\n{:<col$} │      │ B", "A")?;
    writeln!(out, "{}─┼──────┼─{}", "─".repeat(col), "─".repeat(col))?;
    let mut gap = (0usize, 0usize);
    let flush = |out: &mut dyn Write, gap: &mut (usize, usize)| -> std::io::Result<()> {
        if *gap == (0, 0) {
            return Ok(());
        }
        let cell = |n: usize, s: &str| {
            if n == 0 {
                String::new()
            } else {
                format!(
                    "… {n} sentence{} only in {s}",
                    if n == 1 { "" } else { "s" }
                )
            }
        };
        let (ca, cb) = (cell(gap.0, "A"), cell(gap.1, "B"));
        write_row(out, &[ca], &[cb], " ·   ", col)?;
        *gap = (0, 0);
        Ok(())
    };
    for row in &r.rows {
        match row.kind {
            RowKind::OnlyA | RowKind::OnlyB if !list => {
                if row.kind == RowKind::OnlyA {
                    gap.0 += 1;
                } else {
                    gap.1 += 1;
                }
                continue;
            }
            _ => flush(out, &mut gap)?,
        }
        let (ca, cb, mark) = match row.kind {
            RowKind::Aligned => {
                let Some(p) = row.passage.and_then(|k| r.passages.get(k)) else {
                    continue;
                };
                let mark = if p.exact {
                    " ==  ".to_string()
                } else {
                    format!("{}{:.2}", if p.moved { "↕" } else { " " }, p.score)
                };
                (
                    cell(&p.a.runs, Side::A, o.color),
                    cell(&p.b.runs, Side::B, o.color),
                    mark,
                )
            }
            RowKind::OnlyA => (
                one_line(row.a.as_deref().unwrap_or("")),
                String::new(),
                " -   ".to_string(),
            ),
            RowKind::OnlyB => (
                String::new(),
                one_line(row.b.as_deref().unwrap_or("")),
                " +   ".to_string(),
            ),
        };
        write_row(out, &wrap(&ca, col), &wrap(&cb, col), &mark, col)?;
    }
    flush(out, &mut gap)?;
    let shown = if list {
        String::new()
    } else {
        format!(
            "\n{} sentence{} only in A, {} only in B (--all to list them)",
            r.only_a,
            if r.only_a == 1 { "" } else { "s" },
            r.only_b
        )
    };
    writeln!(
        out,
        "{shown}\n== exact, ↕ moved, - only in A, + only in B; changed words {}",
        if o.color {
            "in colour"
        } else {
            "[-in A-] {+in B+}"
        }
    )
}

/// One table row: the two columns' lines side by side, `mark` on the first.
fn write_row(
    out: &mut dyn Write,
    a: &[String],
    b: &[String],
    mark: &str,
    col: usize,
) -> std::io::Result<()> {
    for i in 0..a.len().max(b.len()).max(1) {
        let ta = a.get(i).map_or("", String::as_str);
        let tb = b.get(i).map_or("", String::as_str);
        let m = if i == 0 { mark } else { "     " };
        let pad = col.saturating_sub(visible_len(ta));
        writeln!(out, "{ta}{} │{m} │ {tb}", " ".repeat(pad))?;
    }
    Ok(())
}

/// Whitespace (line and paragraph breaks included) as single spaces.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One side's passage on one line, its changed words marked (each word
/// coloured alone, so a wrapped line never carries an open colour).
fn cell(runs: &[DiffRun], side: Side, color: bool) -> String {
    let mut out = String::new();
    for r in runs {
        let words = one_line(&r.text);
        if words.is_empty() {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
            continue;
        }
        if r.text.starts_with(char::is_whitespace) && !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        if !r.changed {
            out.push_str(&words);
        } else if color {
            let code = if side == Side::A { "31" } else { "32" };
            let coloured: Vec<String> = words
                .split(' ')
                .map(|w| format!("\x1b[{code}m{w}\x1b[0m"))
                .collect();
            out.push_str(&coloured.join(" "));
        } else if side == Side::A {
            out.push_str(&format!("[-{words}-]"));
        } else {
            out.push_str(&format!("{{+{words}+}}"));
        }
        if r.text.ends_with(char::is_whitespace) {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

/// Wraps `text` to `width` visible characters (ANSI codes take no room);
/// a word longer than the width is cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let (mut line, mut len) = (String::new(), 0usize);
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word = word.to_string();
        loop {
            let visible = visible_len(&word);
            if len > 0 && len + 1 + visible > width {
                lines.push(std::mem::take(&mut line));
                len = 0;
            }
            if len == 0 && visible > width {
                let (head, rest) = cut(&word, width);
                lines.push(head);
                word = rest;
                continue;
            }
            if len > 0 {
                line.push(' ');
                len += 1;
            }
            line.push_str(&word);
            len += visible;
            break;
        }
    }
    if len > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// An over-long word cut after `width` visible characters; a coloured word
/// (as [`cell`] writes it) stays coloured in both parts.
fn cut(word: &str, width: usize) -> (String, String) {
    let coloured = word
        .strip_prefix("\x1b[")
        .and_then(|w| w.split_once('m'))
        .and_then(|(code, w)| Some((code, w.strip_suffix("\x1b[0m")?)));
    match coloured {
        Some((code, inner)) => {
            let head: String = inner.chars().take(width).collect();
            let tail: String = inner.chars().skip(width).collect();
            (
                format!("\x1b[{code}m{head}\x1b[0m"),
                format!("\x1b[{code}m{tail}\x1b[0m"),
            )
        }
        None => (
            word.chars().take(width).collect(),
            word.chars().skip(width).collect(),
        ),
    }
}

fn visible_len(s: &str) -> usize {
    let mut n = 0;
    let mut in_escape = false;
    for c in s.chars() {
        match (in_escape, c) {
            (false, '\x1b') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, _) => n += 1,
        }
    }
    n
}

fn write_changes(out: &mut dyn Write, r: &PairReport) -> std::io::Result<()> {
    let Some(of) = r.changes_of else {
        return Ok(());
    };
    let (child, parent) = (side_name(of), side_name(of.other()));
    writeln!(
        out,
        "\nwhat {child} changed against {parent} ({} changes):",
        r.changes.len()
    )?;
    for c in &r.changes {
        let text = |e: &Option<crate::changes::Excerpt>| {
            e.as_ref()
                .map_or("-".to_string(), |e| format!("\"{}\"", one_line(&e.text)))
        };
        let detail = c
            .detail
            .as_deref()
            .map(|d| format!("  ({d})"))
            .unwrap_or_default();
        writeln!(
            out,
            "  {:<20} {} → {}{detail}",
            c.kind.name(),
            text(&c.parent),
            text(&c.child)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sentence's vector is the key word it holds (a stand-in for what
    /// the model sees across languages); a sentence with none points
    /// elsewhere.
    struct Keyed;

    impl crate::features::embed::Embedder for Keyed {
        fn name(&self) -> &str {
            "keyed"
        }
        fn dim(&self) -> usize {
            4
        }
        fn embed(
            &self,
            texts: &[&str],
        ) -> Result<Vec<Vec<f32>>, crate::features::embed::EmbedError> {
            let keys = ["Aln", "Wexhall", "Fr"];
            Ok(texts
                .iter()
                .map(|t| {
                    let mut v = vec![0.0; 4];
                    v[keys.iter().position(|k| t.contains(k)).unwrap_or(3)] = 1.0;
                    v
                })
                .collect())
        }
    }

    fn in_language(id: &str, language: &str, published: &str, text: &str) -> Article {
        crate::article::ArticleDraft {
            id: Some(id.into()),
            language: Some(language.into()),
            published: Some(published.into()),
            text: text.into(),
            ..Default::default()
        }
        .finish(crate::article::Origin::whole(id))
        .expect("article")
    }

    /// Two reports of one hearing (reuse-en-4 p07): with the agency's
    /// source field the direction is known and the verdict says two
    /// reports and why; as two bare texts nothing says which came first,
    /// the verdict stays a rewrite and says on what condition it would be
    /// two reports.
    #[test]
    fn two_reports_are_said_so_and_without_a_direction_said_as_a_condition() {
        use crate::relate::model::{TwoReportsBasis, LIFTED_MIN};
        let texts =
            crate::test_support::reuse_set("reuse-en-4", &["reuse-en4:p07:t1", "reuse-en4:p07:n4"]);
        let text_of = |r: &PairReport| {
            let mut out = Vec::new();
            write_text(&mut out, r, &TextOptions::default()).expect("written");
            String::from_utf8(out).expect("utf-8")
        };
        let r = PairReport::compare(&texts[0], &texts[1]);
        assert_eq!(r.verdict.relation, Relation::SameStory);
        let t = r.verdict.two_reports.expect("why two reports");
        assert_eq!(
            (t.basis, t.version),
            (TwoReportsBasis::Occasion, Some(Side::B))
        );
        assert!(t.lifted < LIFTED_MIN && t.words >= crate::relate::degree::OWN_WORDS);
        assert!(r.verdict.two_reports_if.is_none());
        assert!(text_of(&r).contains("B tells"), "{}", text_of(&r));
        let bare: Vec<Article> = texts
            .iter()
            .map(|a| {
                crate::article::ArticleDraft {
                    text: a.text.clone(),
                    language: Some("en".into()),
                    ..Default::default()
                }
                .finish(crate::article::Origin::whole("bare"))
                .expect("article")
            })
            .collect();
        let r = PairReport::compare(&bare[0], &bare[1]);
        assert_eq!(r.verdict.relation, Relation::Rewrite);
        assert_eq!(r.verdict.direction, None);
        assert!(r.verdict.two_reports.is_none());
        let t = r.verdict.two_reports_if.expect("the condition");
        assert_eq!(t.version, Some(Side::B));
        assert!(
            text_of(&r).contains("reports: if B came second, the structure and shared phrasing"),
            "{}",
            text_of(&r)
        );
    }

    #[test]
    fn a_translation_is_reported_with_its_changes_whichever_side_is_the_source() {
        let en = "The river Aln burst its banks early on Sunday after three days of rain. \
            About 300 homes were flooded in the old town of Wexhall, the fire service said. \
            Schools will stay closed until Friday, the education office announced.";
        let de = "Ein Bericht unserer Korrespondentin aus dem Norden. \
            Der Fluss Aln ist am Sonntagmorgen nach drei Tagen Regen über die Ufer getreten. \
            Rund 400 Häuser in der Altstadt von Wexhall wurden überflutet, teilte die Feuerwehr mit. \
            Die Schulen bleiben nach Angaben des Schulamts bis Freitag geschlossen.";
        let source = in_language("en", "en", "2026-03-01T08:00:00Z", en);
        let copy = in_language("de", "de", "2026-03-01T12:00:00Z", de);
        for (a, b, derived) in [(&source, &copy, Side::B), (&copy, &source, Side::A)] {
            let cmp = crate::relate::translated::compare_across(
                a,
                b,
                &crate::relate::Model::builtin(),
                &Keyed,
            )
            .expect("embedded");
            let r = PairReport::new(a, b, &cmp);
            assert_eq!(r.verdict.relation, Relation::Translated);
            assert_eq!(r.changes_of, Some(derived));
            assert_eq!(r.passages.len(), 3);
            // No word-level difference across languages.
            assert!(r.passages.iter().all(|p| p
                .a
                .runs
                .iter()
                .chain(&p.b.runs)
                .all(|x| !x.changed)));
            // The altered figure, read with the source as the parent.
            let changed: Vec<(&str, &str)> = r
                .changes
                .iter()
                .filter_map(|c| {
                    Some((
                        c.parent.as_ref()?.text.as_str(),
                        c.child.as_ref()?.text.as_str(),
                    ))
                })
                .collect();
            assert!(changed.contains(&("300", "400")), "{changed:?}");
            let mut out = Vec::new();
            write_text(
                &mut out,
                &r,
                &TextOptions {
                    width: 100,
                    ..Default::default()
                },
            )
            .expect("text");
            let text = String::from_utf8(out).expect("utf-8");
            assert!(
                text.contains("3 sentence pairs aligned across languages"),
                "{text}"
            );
        }
    }

    fn article(id: &str, text: &str) -> Article {
        crate::article::ArticleDraft {
            id: Some(id.into()),
            text: text.into(),
            ..Default::default()
        }
        .finish(crate::article::Origin::whole(format!("{id}.txt")))
        .expect("a valid draft")
    }

    #[test]
    fn the_degree_says_what_it_was_read_from() {
        use crate::relate::degree::DegreeBasis;
        let wire = "Flood waters forced 2,400 people from their homes in the Tarn valley on \
            Sunday, regional officials said. The river rose four metres in six hours after a week \
            of storms. Rescue crews used boats to reach villages cut off by the water near Albiac. \
            The prefect ordered schools in 14 towns to stay closed on Monday. Forecasters expect \
            more rain on Tuesday before the weather clears.";
        let desk = "Regional officials said 2,400 people in the Tarn valley had to leave their \
            homes on Sunday as flood waters rose. After a week of storms the river climbed four \
            metres in just six hours. Crews in boats reached villages near Albiac that the water \
            had cut off. Schools in 14 towns will stay shut on Monday on the prefect's orders. More \
            rain is expected on Tuesday, forecasters said, before the weather clears.";
        let text_of = |r: &PairReport| {
            let mut out = Vec::new();
            write_text(&mut out, r, &TextOptions::default()).expect("written");
            String::from_utf8(out).expect("utf-8")
        };
        // Names to read: a rewrite that adds none of its own.
        let r = PairReport::compare(&article("desk", desk), &article("wire", wire));
        assert_eq!(r.verdict.relation, Relation::Rewrite);
        assert!(
            matches!(r.verdict.degree_basis, Some(DegreeBasis::NothingOfItsOwn { names }) if names >= 3),
            "{:?}",
            r.verdict.degree_basis
        );
        assert!(text_of(&r)
            .contains("degree:  a rewrite of the other text that adds no names of its own"));
        // The same texts in small letters (as some feeds deliver them): no
        // names are seen, but the script has case, and the share decides.
        let r = PairReport::compare(
            &article("desk", &desk.to_lowercase()),
            &article("wire", &wire.to_lowercase()),
        );
        assert!(
            matches!(r.verdict.degree_basis, Some(DegreeBasis::Share { .. })),
            "{:?}",
            r.verdict.degree_basis
        );
        // In a script without letter case (Arabic), the content words
        // decide: the desk copy takes its words from the wire, the local
        // report built around two of its sentences brings its own.
        let wire = "أجبرت مياه الفيضانات ألفين وأربعمئة شخص على مغادرة منازلهم في وادي تارن يوم \
            الأحد، بحسب مسؤولين في المنطقة. ارتفع النهر أربعة أمتار في ست ساعات بعد أسبوع من \
            العواصف. استخدمت فرق الإنقاذ القوارب للوصول إلى القرى المعزولة قرب ألبياك. أمر \
            المحافظ بإغلاق المدارس في أربع عشرة بلدة يوم الاثنين. يتوقع خبراء الأرصاد مزيدا من \
            الأمطار يوم الثلاثاء قبل أن يتحسن الطقس.";
        let desk = "قال مسؤولون في المنطقة إن مياه الفيضانات أجبرت ألفين وأربعمئة شخص على مغادرة \
            منازلهم في وادي تارن يوم الأحد. ارتفع النهر أربعة أمتار في ست ساعات فقط بعد أسبوع من \
            العواصف. وصلت فرق الإنقاذ بالقوارب إلى القرى المعزولة قرب ألبياك. ستبقى المدارس \
            مغلقة في أربع عشرة بلدة يوم الاثنين بأمر المحافظ. يتوقع خبراء الأرصاد مزيدا من \
            الأمطار يوم الثلاثاء قبل أن يتحسن الطقس.";
        let local = "أمضى أصحاب المتاجر في غاياك يوم الأحد في نقل البضائع إلى الطوابق العليا مع \
            تقدم المياه على الأرصفة. قال الخباز إنه رأى فيضانات من قبل لكن ليس بهذه السرعة. ارتفع \
            النهر أربعة أمتار في ست ساعات بعد أسبوع من العواصف. ملأ متطوعون من نادي الرغبي أكياس \
            الرمل أمام مبنى البلدية حتى حلول الظلام. استخدمت فرق الإنقاذ القوارب للوصول إلى القرى \
            المعزولة قرب ألبياك. فتح رئيس البلدية القاعة الرياضية للعائلات التي اضطرت إلى مغادرة \
            منازلها. نقل المزارعون في السهل مواشيهم إلى الحقول المرتفعة قبل حلول الليل.";
        for (text, degree) in [
            (desk, crate::relate::Degree::Wholly),
            (local, crate::relate::Degree::Partially),
        ] {
            let r = PairReport::compare(&article("version", text), &article("wire", wire));
            assert!(r.verdict.relation.is_derived(), "{:?}", r.verdict.relation);
            let Some(DegreeBasis::Vocabulary { share, .. }) = r.verdict.degree_basis else {
                panic!("{:?}", r.verdict.degree_basis)
            };
            assert_eq!(r.verdict.degree, Some(degree), "{share}");
            let text = text_of(&r);
            assert!(
                text.contains(&format!(
                    "degree:  no names to read; {:.0}% of its content words are the other text's",
                    100.0 * share
                )),
                "{text}"
            );
        }
    }

    #[test]
    fn runs_tile_each_side_in_its_own_wording() {
        let a = article(
            "a",
            "Crews closed the Harbour Bridge in Eastport on Monday after inspectors found a crack.\n\n\
             The bridge, which opened in 1971, carries 40,000 cars each day across the city's estuary.",
        );
        let b = article(
            "b",
            "Crews closed the Harbour Bridge in Eastport on Monday after inspectors found a crack.\n\n\
             the bridge which Opened in 1971 carries many cars each day across the city\u{2019}s estuary!",
        );
        let r = PairReport::compare(&a, &b);
        assert_eq!(r.passages.len(), 2, "{:?}", r.passages);
        for p in &r.passages {
            for (x, s) in [(&a, &p.a), (&b, &p.b)] {
                assert_eq!(&x.text[s.span.range()], s.text);
                let joined: String = s.runs.iter().map(|r| r.text.as_str()).collect();
                assert_eq!(joined, s.text);
                for run in &s.runs {
                    assert_eq!(&x.text[run.span.range()], run.text);
                }
                let chars: String = x
                    .text
                    .chars()
                    .skip(s.chars.start)
                    .take(s.chars.end - s.chars.start)
                    .collect();
                assert_eq!(chars, s.text);
            }
        }
        let p = &r.passages[1];
        // B's words as B writes them; the curly apostrophe is no change.
        assert!(p
            .b
            .runs
            .iter()
            .any(|r| !r.changed && r.text.contains("the bridge which Opened")));
        assert!(p.b.runs.iter().any(|r| r.changed && r.text == "many"));
        assert!(p.a.runs.iter().any(|r| r.changed && r.text == "40,000"));
        assert!(!p
            .b
            .runs
            .iter()
            .any(|r| r.changed && r.text.contains("city")));
        // Both texts whole, passages in place.
        let whole: String = r.b_pieces.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(whole, b.text);
        assert_eq!(r.b_pieces.iter().filter(|g| g.passage.is_some()).count(), 2);
    }

    #[test]
    fn cells_are_one_line_and_marked() {
        let runs = vec![
            DiffRun {
                text: "The bridge\n\n".into(),
                span: Span { start: 0, end: 12 },
                changed: false,
            },
            DiffRun {
                text: "opened".into(),
                span: Span { start: 12, end: 18 },
                changed: true,
            },
            DiffRun {
                text: " today.".into(),
                span: Span { start: 18, end: 25 },
                changed: false,
            },
        ];
        assert_eq!(cell(&runs, Side::B, false), "The bridge {+opened+} today.");
        assert_eq!(cell(&runs, Side::A, false), "The bridge [-opened-] today.");
        let coloured = cell(&runs, Side::A, true);
        assert!(coloured.contains("\x1b[31mopened\x1b[0m"));
    }

    #[test]
    fn wrapping_ignores_colour_codes_and_cuts_long_words() {
        let lines = wrap("\x1b[31mred\x1b[0m words here", 9);
        assert_eq!(lines.len(), 2);
        assert_eq!(visible_len(&lines[0]), 9);
        let lines = wrap("abcdefghijkl", 5);
        assert_eq!(lines, ["abcde", "fghij", "kl"]);
        let lines = wrap("\x1b[32mabcdefg\x1b[0m", 4);
        assert_eq!(lines, ["\x1b[32mabcd\x1b[0m", "\x1b[32mefg\x1b[0m"]);
    }
}
