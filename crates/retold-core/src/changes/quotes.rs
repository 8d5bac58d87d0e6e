//! Direct quotes, who said them, and how two versions of a text quote.
//!
//! A quote is the text between double quotation marks (straight or curly)
//! of at least [`MIN_QUOTE_WORDS`] words: fewer are scare quotes and titles
//! ("the \"new normal\""). Quotes are read line by line; a quote still open
//! at the end of a paragraph runs to its end (news style reopens it on the
//! next paragraph). A quote broken by its attribution (`"…," she said. "…"`)
//! or reopened on the next paragraph is marked [`Quote::continued`] and
//! inherits the speaker; [`utterances`] joins the pieces again.
//!
//! ```
//! use retold_core::changes::quotes::{match_quotes, quotes, QuoteMatchKind};
//! let q = quotes("\"Safety comes first,\" Mayor Anneliese Corrow said on Friday. \"We will reopen it.\"");
//! assert_eq!(q[0].text, "Safety comes first,");
//! assert_eq!(q[0].speaker.as_deref(), Some("Mayor Anneliese Corrow"));
//! assert!(q[1].continued);
//! assert_eq!(q[1].speaker.as_deref(), Some("Mayor Anneliese Corrow"));
//!
//! let a = "\"It is not the end of the story,\" Marlowe said.";
//! let b = "\"It is not the end of the story,\" Tennant said.";
//! let m = match_quotes(a, &quotes(a), b, &quotes(b));
//! assert_eq!(m[0].kind, QuoteMatchKind::Reattributed);
//! ```

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::features::sketch::intersect_count_merge;

use super::diff::{word_diff, Op, Run};
use super::entities::{name_tokens, same_name};

/// Fewer words between quotation marks are scare quotes or titles.
pub const MIN_QUOTE_WORDS: usize = 3;

/// A quoted span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// Byte range of the words inside the quotation marks (trimmed).
    pub span: Range<usize>,
    pub text: String,
    /// Who said it, when the text says ("…," X said / X said: "…" / said X
    /// / X told … / X posted … / according to X), or the speaker of the
    /// quote it continues.
    pub speaker: Option<String>,
    /// Byte range of the speaker's words, when found next to this quote.
    pub speaker_span: Option<Range<usize>>,
    /// Continues the previous quote: only its attribution ("…," she said.
    /// "…") or a paragraph break lies between them.
    pub continued: bool,
}

const SPEECH: &str = r"(?:said|says|told|tells|added|adds|warned|posted|wrote|writes|stated|states|declared|insisted|argued|explained|announced|replied|responded|asked|claimed|noted|continued|tweeted|recalled|admitted|conceded)";

/// A speaker: a run of capitalized words (titles included), a pronoun, or
/// a short "the/a …" phrase ("a spokesperson for the ministry").
const SPEAKER: &str = r"(?:(?:[\p{Lu}][\p{L}'.-]*\s+){0,4}[\p{Lu}][\p{L}'-]*|[Hh]e|[Ss]he|[Tt]hey|[Ww]e|I|(?:[Tt]he|[Aa]n?)\s+(?:[\p{L}'-]+\s+){0,3}[\p{L}'-]+)";

fn compile(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

/// After the closing mark: `, X said`, `X told …`, `said X`, `according to X`.
static AFTER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    compile(&format!(
        r"^[\s,]*(?:(?P<a>{SPEAKER})\s+{SPEECH}\b|{SPEECH}\s+(?P<b>{SPEAKER})|according\s+to\s+(?P<c>{SPEAKER}))"
    ))
});

/// Before the opening mark: `X said: `, `X told reporters: `, `X said
/// that`, `According to X, `, `X called it `.
static BEFORE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    compile(&format!(
        r"(?:(?P<a>{SPEAKER})\s+(?:{SPEECH}|called|described|dubbed)(?:\s+[\p{{Ll}}][\p{{L}}'-]*){{0,5}}\s*[:,]?|[Aa]ccording\s+to\s+(?P<c>{SPEAKER})\s*,)\s*$"
    ))
});

fn is_open(c: char) -> bool {
    matches!(c, '"' | '\u{201c}' | '\u{201e}')
}

fn is_close(c: char) -> bool {
    matches!(c, '"' | '\u{201d}')
}

/// Speaker words that do not name anyone.
fn is_pronoun(s: &str) -> bool {
    matches!(
        s.to_lowercase().as_str(),
        "he" | "she" | "they" | "we" | "i" | "it"
    )
}

/// A speaker match: text and range (relative to `base`).
fn speaker_of(caps: &regex::Captures, base: usize) -> Option<(String, Range<usize>)> {
    let m = caps
        .name("a")
        .or_else(|| caps.name("b"))
        .or_else(|| caps.name("c"))?;
    let t = m.as_str().trim();
    // "The" alone or a capitalized sentence start such as "But" is no speaker.
    if t.is_empty() || matches!(t, "The" | "But" | "And" | "It" | "This" | "That") {
        return None;
    }
    Some((t.to_string(), base + m.start()..base + m.start() + t.len()))
}

/// The quotes of `text`, in order (spans are byte ranges of `text`).
pub fn quotes(text: &str) -> Vec<Quote> {
    // (inner range, close mark end) per quote, line by line.
    // (inner, end incl. mark, line index, closed)
    let mut raw: Vec<(Range<usize>, usize, usize, bool)> = Vec::new();
    let mut line_start = 0;
    for (line_no, line) in text.split('\n').enumerate() {
        let mut open: Option<usize> = None;
        for (i, c) in line.char_indices() {
            let at = line_start + i;
            match open {
                None if is_open(c) => open = Some(at + c.len_utf8()),
                Some(s) if is_close(c) => {
                    raw.push((s..at, at + c.len_utf8(), line_no, true));
                    open = None;
                }
                _ => {}
            }
        }
        if let Some(s) = open {
            let end = line_start + line.len();
            if s < end {
                raw.push((s..end, end, line_no, false));
            }
        }
        line_start += line.len() + 1;
    }
    let mut out: Vec<Quote> = Vec::new();
    // End of the previous kept quote (mark included), its line, whether it closed.
    let mut prev_end: Option<(usize, usize, bool)> = None;
    for (inner, close_end, line_no, closed) in raw {
        let Some(body) = text.get(inner.clone()) else {
            continue;
        };
        let trimmed = body.trim();
        if trimmed.split_whitespace().count() < MIN_QUOTE_WORDS {
            continue;
        }
        let lead = body.len() - body.trim_start().len();
        let span = inner.start + lead..inner.start + lead + trimmed.len();
        let open_at = text[..inner.start]
            .char_indices()
            .next_back()
            .map_or(0, |x| x.0);
        // Text from the last sentence end (or the previous quote) to the opening mark.
        let line_begin = text[..open_at].rfind('\n').map_or(0, |p| p + 1);
        let before_from = prev_end
            .filter(|(_, l, _)| *l == line_no)
            .map_or(line_begin, |(e, _, _)| e.max(line_begin));
        let before = text.get(before_from..open_at).unwrap_or("");
        let line_end = text[close_end.min(text.len())..]
            .find('\n')
            .map_or(text.len(), |p| close_end + p);
        let after = text.get(close_end.min(line_end)..line_end).unwrap_or("");
        let found = AFTER
            .as_ref()
            .and_then(|re| re.captures(after))
            .and_then(|c| speaker_of(&c, close_end))
            .or_else(|| {
                BEFORE
                    .as_ref()
                    .and_then(|re| re.captures(before))
                    .and_then(|c| speaker_of(&c, before_from))
            });
        // A continuation: the previous quote ended on this line with only an
        // attribution between, or on the previous line without closing.
        let continued = match (prev_end, out.last()) {
            // On the same line, after only the previous quote's attribution,
            // and without a speaker of its own.
            (Some((e, l, _)), Some(_)) if l == line_no => {
                let between = text.get(e..open_at).unwrap_or("");
                found.is_none() && between.split_whitespace().count() <= 8 && !between.contains('"')
            }
            // Reopened on the next paragraph after one left open.
            (Some((e, l, false)), Some(_)) if l + 1 == line_no || l + 2 == line_no => {
                text.get(e..open_at).is_some_and(|g| g.trim().is_empty())
            }
            _ => false,
        };
        let (speaker, speaker_span) = match found {
            Some((s, r)) => (Some(s), Some(r)),
            None if continued => (out.last().and_then(|q| q.speaker.clone()), None),
            None => (None, None),
        };
        // A speaker found only after this piece also speaks the piece before it.
        if continued {
            if let (Some(s), Some(prev)) = (&speaker, out.last_mut()) {
                if prev.speaker.is_none() {
                    prev.speaker = Some(s.clone());
                }
            }
        }
        out.push(Quote {
            text: trimmed.to_string(),
            span,
            speaker,
            speaker_span,
            continued,
        });
        prev_end = Some((close_end, line_no, closed));
    }
    out
}

/// The quotes of a document's clean text.
pub fn doc_quotes(doc: &crate::text::TextDoc) -> Vec<Quote> {
    quotes(&doc.clean)
}

/// Quotes joined with the pieces that continue them: indices into `quotes`
/// and the joined words.
pub fn utterances(quotes: &[Quote]) -> Vec<(Vec<usize>, String)> {
    let mut out: Vec<(Vec<usize>, String)> = Vec::new();
    for (i, q) in quotes.iter().enumerate() {
        match out.last_mut() {
            Some((ids, text)) if q.continued => {
                ids.push(i);
                text.push(' ');
                text.push_str(&q.text);
            }
            _ => out.push((vec![i], q.text.clone())),
        }
    }
    out
}

/// Lower-case words of a quote, punctuation dropped.
pub fn quote_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'')
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Word overlap of two quotes in `[0, 1]`: the larger of Dice and the share
/// of the shorter quote found in the longer (a quote cut short still
/// matches its whole).
pub fn quote_similarity(a: &str, b: &str) -> f64 {
    similarity_of_words(&sorted_words(a), &sorted_words(b))
}

/// [`quote_words`] of `text`, sorted: what [`similarity_of_words`] reads.
pub fn sorted_words(text: &str) -> Vec<String> {
    let mut w = quote_words(text);
    w.sort_unstable();
    w
}

/// [`quote_similarity`] of two quotes given as their [`sorted_words`]: the
/// words they share are counted with their repeats (a word twice in each
/// is two shared words), in one merge of the two sorted lists. Matching
/// the quotes of two versions compares every quote of one with every
/// quote of the other, so each quote's words are made and sorted once.
pub fn similarity_of_words(wa: &[String], wb: &[String]) -> f64 {
    if wa.is_empty() || wb.is_empty() {
        return 0.0;
    }
    let shared = intersect_count_merge(wa, wb);
    let dice = 2.0 * shared as f64 / (wa.len() + wb.len()) as f64;
    let contain = shared as f64 / wa.len().min(wb.len()) as f64;
    // Containment counts only for a real part (not two words of ten).
    let contain = if wa.len().min(wb.len()) >= 4 && contain >= 0.8 {
        contain
    } else {
        0.0
    };
    dice.max(contain)
}

/// How a quote of one version stands in the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteMatchKind {
    /// The same words (case and punctuation aside), the same speaker.
    Exact,
    /// Other words: changed, cut short or lengthened.
    Altered,
    /// In one version only.
    Unattested,
    /// Words kept (or altered), given to another named speaker.
    Reattributed,
    /// B quotes a part of A word for word, cut where a sentence or a piece
    /// of the quote ends, or a fragment inside a sentence ("given \"a leaflet
    /// and a handshake\""): quoting in part, no alteration. A sentence cut
    /// short and closed with a full stop is [`QuoteMatchKind::Altered`].
    Partial,
}

/// A quote (joined with its continuations, see [`utterances`]) of version A
/// matched with one of version B.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteMatch {
    pub kind: QuoteMatchKind,
    /// Indices into A's and B's quotes (every piece of the utterance).
    pub a: Vec<usize>,
    pub b: Vec<usize>,
    /// [`quote_similarity`] of the two (0 when unattested).
    pub similarity: f64,
    /// The word-level difference, for altered quotes (ranges relative to
    /// the joined utterance texts).
    pub diff: Vec<Run>,
    /// The words also changed (a reattributed quote may be altered too).
    pub words_changed: bool,
    /// B quotes a part of A as it stood (see [`QuoteMatchKind::Partial`]).
    pub partial: bool,
}

/// Least [`quote_similarity`] of two quotes taken as one quote altered.
pub const ALTERED_MIN: f64 = 0.4;

/// Two speakers who are not the same: both named (no pronoun, no "the …"
/// phrase against a name) and not spellings of one name.
pub fn other_speaker(a: &str, b: &str) -> bool {
    if is_pronoun(a) || is_pronoun(b) {
        return false;
    }
    let named = |s: &str| s.chars().next().is_some_and(char::is_uppercase);
    if !named(a) || !named(b) {
        return false;
    }
    let (ta, tb) = (name_tokens(a), name_tokens(b));
    // "Mayor Anneliese Corrow" and "Corrow": one person.
    let last = |t: &[String]| t.last().cloned().unwrap_or_default();
    if last(&ta) == last(&tb) || same_name(a, b) {
        return false;
    }
    // Spelling variants of the surname: the same person misspelled.
    let (la, lb) = (last(&ta), last(&tb));
    !(strsim::jaro_winkler(&la, &lb) >= 0.85 && strsim::levenshtein(&la, &lb) <= 2)
}

/// Matches the quotes of two versions of a text: each utterance of A to
/// the most similar utterance of B (one to one, best pairs first), then the
/// kind of each pair; utterances left over on either side are unattested.
pub fn match_quotes(a_text: &str, qa: &[Quote], b_text: &str, qb: &[Quote]) -> Vec<QuoteMatch> {
    let _ = (a_text, b_text); // spans refer to these; kept for symmetry of the API
    let (ua, ub) = (utterances(qa), utterances(qb));
    let words = |u: &[(Vec<usize>, String)]| -> Vec<Vec<String>> {
        u.iter().map(|(_, t)| sorted_words(t)).collect()
    };
    let (wa, wb) = (words(&ua), words(&ub));
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, xa) in wa.iter().enumerate() {
        for (j, xb) in wb.iter().enumerate() {
            let s = similarity_of_words(xa, xb);
            if s >= ALTERED_MIN {
                pairs.push((s, i, j));
            }
        }
    }
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let (mut used_a, mut used_b) = (HashSet::new(), HashSet::new());
    let mut out = Vec::new();
    for (s, i, j) in pairs {
        if used_a.contains(&i) || used_b.contains(&j) {
            continue;
        }
        used_a.insert(i);
        used_b.insert(j);
        let (ia, ta) = &ua[i];
        let (ib, tb) = &ub[j];
        let words_changed = quote_words(ta) != quote_words(tb);
        let part = words_changed && quoted_in_part(qa, ia, qb, ib);
        let speaker = |q: &[Quote], ids: &[usize]| {
            ids.iter()
                .find_map(|&k| q.get(k).and_then(|x| x.speaker.clone()))
        };
        let reattributed = match (speaker(qa, ia), speaker(qb, ib)) {
            (Some(x), Some(y)) => other_speaker(&x, &y),
            _ => false,
        };
        let kind = if reattributed {
            QuoteMatchKind::Reattributed
        } else if part {
            QuoteMatchKind::Partial
        } else if words_changed {
            QuoteMatchKind::Altered
        } else {
            QuoteMatchKind::Exact
        };
        let diff = if words_changed {
            word_diff(ta, tb)
        } else {
            Vec::new()
        };
        out.push(QuoteMatch {
            kind,
            a: ia.clone(),
            b: ib.clone(),
            similarity: s,
            diff,
            words_changed,
            partial: part,
        });
    }
    for (i, (ids, _)) in ua.iter().enumerate() {
        if !used_a.contains(&i) {
            out.push(unattested(ids.clone(), Vec::new()));
        }
    }
    for (j, (ids, _)) in ub.iter().enumerate() {
        if !used_b.contains(&j) {
            out.push(unattested(Vec::new(), ids.clone()));
        }
    }
    out.sort_by_key(|m| {
        (
            m.a.first().copied().unwrap_or(usize::MAX),
            m.b.first().copied().unwrap_or(usize::MAX),
        )
    });
    out
}

fn unattested(a: Vec<usize>, b: Vec<usize>) -> QuoteMatch {
    QuoteMatch {
        kind: QuoteMatchKind::Unattested,
        a,
        b,
        similarity: 0.0,
        diff: Vec::new(),
        words_changed: true,
        partial: false,
    }
}

/// Whether the utterance `ib` of B quotes a contiguous part of utterance
/// `ia` of A word for word, without closing a sentence A goes on with
/// (where B's quote ends, A's sentence or piece of quote ends too, or B's
/// quote is a fragment without closing punctuation).
fn quoted_in_part(qa: &[Quote], ia: &[usize], qb: &[Quote], ib: &[usize]) -> bool {
    // A's words (normalized and as written) and where its pieces end.
    let mut wa: Vec<(String, String, bool)> = Vec::new();
    for q in ia.iter().filter_map(|&k| qa.get(k)) {
        let raw: Vec<&str> = q.text.split_whitespace().collect();
        let n = raw.len();
        for (k, r) in raw.into_iter().enumerate() {
            let w: String = r
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'')
                .collect::<String>()
                .to_lowercase();
            if !w.is_empty() {
                wa.push((w, r.to_string(), k + 1 == n));
            }
        }
    }
    let raw_b: Vec<&str> = ib
        .iter()
        .filter_map(|&k| qb.get(k))
        .flat_map(|q| q.text.split_whitespace())
        .collect();
    let wb: Vec<String> = raw_b
        .iter()
        .map(|r| {
            r.chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'')
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    if wb.is_empty() || wb.len() >= wa.len() {
        return false;
    }
    let Some(start) =
        (0..=wa.len() - wb.len()).find(|&s| wa[s..s + wb.len()].iter().map(|x| &x.0).eq(wb.iter()))
    else {
        return false;
    };
    let ends_sentence = |w: &str| {
        w.trim_end_matches(['"', '\'', ')'])
            .ends_with(['.', '!', '?'])
    };
    // B ends its quote as a sentence ("…gone." or "…gone," she said), not
    // as a fragment inside its own sentence.
    let b_closes = raw_b
        .last()
        .is_some_and(|w| ends_sentence(w) || w.ends_with(','));
    let (_, a_raw, a_piece_end) = &wa[start + wb.len() - 1];
    !b_closes || ends_sentence(a_raw) || *a_piece_end
}

/// The changed words of an altered quote, for display ("2019" → "years ago").
pub fn changed_words(m: &QuoteMatch) -> Vec<(String, String)> {
    m.diff
        .iter()
        .filter(|r| r.op != Op::Equal)
        .map(|r| (r.a_text.clone(), r.b_text.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn speakers(t: &str) -> Vec<Option<String>> {
        quotes(t).into_iter().map(|q| q.speaker).collect()
    }

    #[test]
    fn speakers_before_and_after() {
        assert_eq!(
            speakers(
                "Corrow said: \u{201c}This is going to be painful for a lot of people.\u{201d}"
            ),
            [Some("Corrow".to_string())]
        );
        assert_eq!(
            speakers("\"It is not the end of the story,\" said Tennant."),
            [Some("Tennant".to_string())]
        );
        assert_eq!(
            speakers("\"We will not let that happen again,\" a spokesperson for the union told reporters."),
            [Some("a spokesperson for the union".to_string())]
        );
        assert_eq!(
            speakers("The stock has fallen 38 percent, according to government figures, \"and it is not over yet\"."),
            [None]
        );
        assert_eq!(
            speakers("\"The stock has fallen by more than a third,\" according to Maura Dunleavy."),
            [Some("Maura Dunleavy".to_string())]
        );
        assert_eq!(
            speakers("Dunleavy called the fund \"a drop in the ocean\" and left."),
            [Some("Dunleavy".to_string())]
        );
        assert!(quotes("The \"new normal\" is here.").is_empty());
        let q = quotes("\"Once these posts are gone, they are gone.");
        assert_eq!(q[0].text, "Once these posts are gone, they are gone.");
    }

    /// The pool count the similarity was first written with: each word of
    /// A takes an equal word of B out of the pool.
    fn pooled_shared(wa: &[String], wb: &[String]) -> usize {
        let mut pool: Vec<&String> = wb.iter().collect();
        let mut shared = 0usize;
        for w in wa {
            if let Some(k) = pool.iter().position(|x| *x == w) {
                pool.swap_remove(k);
                shared += 1;
            }
        }
        shared
    }

    proptest::proptest! {
        /// The merge of sorted word lists counts what the pool counted,
        /// repeated words included.
        #[test]
        fn the_sorted_merge_counts_as_the_pool(
            a in "((we|will|not|go|back|We|go,|it's) ){0,14}",
            b in "((we|will|not|go|back|now|Go|it's) ){0,14}",
        ) {
            let (wa, wb) = (quote_words(&a), quote_words(&b));
            proptest::prop_assert_eq!(
                intersect_count_merge(&sorted_words(&a), &sorted_words(&b)),
                pooled_shared(&wa, &wb)
            );
        }
    }

    #[test]
    fn broken_and_reopened_quotes() {
        let t = "\"We were warned about this in 2019,\" Marlowe said. \"And we chose to wait.\"";
        let q = quotes(t);
        assert_eq!(q.len(), 2);
        assert!(q[1].continued);
        assert_eq!(q[1].speaker.as_deref(), Some("Marlowe"));
        assert_eq!(
            utterances(&q)[0].1,
            "We were warned about this in 2019, And we chose to wait."
        );
        // Reopened on the next paragraph; the speaker comes later.
        let t = "\"This is the first part of it.\n\n\"And this is the second,\" Corrow said.";
        let q = quotes(t);
        assert_eq!(q.len(), 2);
        assert!(q[1].continued);
        assert_eq!(q[0].speaker.as_deref(), Some("Corrow"));
        // Two quotes far apart are two utterances.
        let t = "\"We were warned about this,\" Marlowe said on Monday after the long meeting with the unions and the council had ended. \"Nobody listened to us then.\"";
        assert!(!quotes(t)[1].continued);
    }

    #[test]
    fn matching_versions() {
        let a = "\"We were warned about this bridge in 2019, and we chose to patch it,\" Corrow said.\n\n\
                 \"Safety comes first for all of us,\" Wrenfield said. \"The budget is gone for good,\" Dace added.";
        let b = "\"We were warned about this bridge years ago, and we chose to patch it,\" Corrow said.\n\n\
                 \"Safety comes first for all of us,\" Wrenfield said. \"We will build a new bridge,\" Dace added.";
        let m = match_quotes(a, &quotes(a), b, &quotes(b));
        let kinds: Vec<QuoteMatchKind> = m.iter().map(|m| m.kind).collect();
        use QuoteMatchKind::*;
        assert_eq!(kinds, [Altered, Exact, Unattested, Unattested]);
        assert_eq!(
            changed_words(&m[0]),
            [("in 2019,".to_string(), "years ago,".to_string())]
        );
        // Quoting one piece or one sentence is quoting in part; closing a
        // sentence the source goes on with is an alteration.
        let a = "\"None of the cracks is large on its own,\" Wrenfield said. \"We need to understand why before anyone drives on it again.\"";
        let b = "\"We need to understand why before anyone drives on it again,\" he said.";
        assert_eq!(
            match_quotes(a, &quotes(a), b, &quotes(b))[0].kind,
            QuoteMatchKind::Partial
        );
        let a = "\"Last time, people were given a leaflet and a handshake and the town was left to fend for itself,\" Tennant said.";
        let b = "Back then people got \"a leaflet and a handshake\" and nothing else.";
        assert_eq!(
            match_quotes(a, &quotes(a), b, &quotes(b))[0].kind,
            QuoteMatchKind::Partial
        );
        // A cut quote is altered, not unattested.
        let a = "\"Once these posts are gone, they are gone, and the students of 2035 will pay,\" Okafor said.";
        let b = "\"Once these posts are gone, they are gone,\" Okafor said.";
        assert_eq!(
            match_quotes(a, &quotes(a), b, &quotes(b))[0].kind,
            QuoteMatchKind::Altered
        );
        // A pronoun or a spelling variant is no other speaker.
        assert!(!other_speaker("Marlowe", "she"));
        assert!(!other_speaker("Siobhan Marlowe", "Siobahn Marlow"));
        assert!(!other_speaker("Mayor Anneliese Corrow", "Corrow"));
        assert!(other_speaker("Marlowe", "Tennant"));
    }

    proptest! {
        #[test]
        fn spans_hold_the_text(s in "[a-z \"\u{201c}\u{201d},.A-Z\n]{0,80}") {
            for q in quotes(&s) {
                prop_assert!(s.is_char_boundary(q.span.start) && s.is_char_boundary(q.span.end));
                prop_assert_eq!(&s[q.span.clone()], q.text.as_str());
                if let Some(r) = &q.speaker_span {
                    prop_assert!(s.get(r.clone()).is_some());
                }
            }
        }

        #[test]
        fn any_text_never_panics(s in "\\PC{0,80}", t in "\\PC{0,40}") {
            let (qa, qb) = (quotes(&s), quotes(&t));
            for q in &qa {
                prop_assert_eq!(s.get(q.span.clone()), Some(q.text.as_str()));
            }
            let _ = match_quotes(&s, &qa, &t, &qb);
        }
    }
}
