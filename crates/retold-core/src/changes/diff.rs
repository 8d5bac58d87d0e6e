//! Word-level difference of two short texts (aligned sentences), for
//! finding what a copy changed inside a sentence and for printing it.
//!
//! Words are compared in lower case with outer punctuation trimmed, so
//! "bridge." equals "Bridge"; the runs carry the words as written. The
//! difference is Myers' ([`similar`]), which keeps the longest common run
//! of words; a deletion next to an insertion is one replacement.
//!
//! ```
//! use retold_core::changes::diff::{word_diff, Op};
//! let d = word_diff("The mayor closed the bridge.", "The mayor shut the bridge.");
//! let ops: Vec<Op> = d.iter().map(|r| r.op).collect();
//! assert_eq!(ops, [Op::Equal, Op::Replace, Op::Equal]);
//! assert_eq!((d[1].a_text.as_str(), d[1].b_text.as_str()), ("closed", "shut"));
//! ```

use std::ops::Range;

use serde::{Deserialize, Serialize};
use similar::{capture_diff_slices, Algorithm, DiffTag};

/// What a run of words is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// The same words on both sides (case and punctuation aside).
    Equal,
    /// Words only in A.
    Delete,
    /// Words only in B.
    Insert,
    /// Words of A replaced by words of B.
    Replace,
}

/// A run of the difference, with byte ranges in both texts (an empty range
/// where the insertion or deletion sits on the side that has no words).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub op: Op,
    pub a: Range<usize>,
    pub b: Range<usize>,
    pub a_text: String,
    pub b_text: String,
}

/// Whitespace-separated words with their byte ranges.
pub fn split_words(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// The comparison key of a word: lower case, outer punctuation trimmed
/// (a word of punctuation only keeps it, so "-" is still a word), curly
/// apostrophes straight (original texts are compared too, not only clean
/// ones).
fn key(w: &str) -> String {
    let t = w.trim_matches(|c: char| !c.is_alphanumeric());
    let k = if t.is_empty() { w } else { t }.to_lowercase();
    const CURLY: [char; 2] = ['\u{2018}', '\u{2019}'];
    if k.contains(CURLY) {
        k.replace(CURLY, "'")
    } else {
        k
    }
}

/// The byte range covering words `idx` of `words`; where there are none, the
/// empty range at the start of word `at` (or the end of the text).
fn cover(words: &[Range<usize>], idx: Range<usize>, text_len: usize) -> Range<usize> {
    match (
        words.get(idx.start),
        idx.end.checked_sub(1).and_then(|l| words.get(l)),
    ) {
        (Some(f), Some(l)) if !idx.is_empty() => f.start..l.end,
        _ => {
            let at = words.get(idx.start).map_or(text_len, |w| w.start);
            at..at
        }
    }
}

/// The difference of the words of `a` and `b` as maximal runs.
pub fn word_diff(a: &str, b: &str) -> Vec<Run> {
    let (wa, wb) = (split_words(a), split_words(b));
    let ka: Vec<String> = wa.iter().map(|r| key(&a[r.clone()])).collect();
    let kb: Vec<String> = wb.iter().map(|r| key(&b[r.clone()])).collect();
    let mut runs: Vec<Run> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &ka, &kb) {
        let (tag, ra, rb) = op.as_tag_tuple();
        let op = match tag {
            DiffTag::Equal => Op::Equal,
            DiffTag::Delete => Op::Delete,
            DiffTag::Insert => Op::Insert,
            DiffTag::Replace => Op::Replace,
        };
        let (sa, sb) = (cover(&wa, ra, a.len()), cover(&wb, rb, b.len()));
        // Merge neighbouring non-equal runs (a deletion then an insertion).
        if let Some(last) = runs.last_mut() {
            if op != Op::Equal && last.op != Op::Equal {
                if !sa.is_empty() {
                    last.a = if last.a.is_empty() {
                        sa.clone()
                    } else {
                        last.a.start..sa.end
                    };
                }
                if !sb.is_empty() {
                    last.b = if last.b.is_empty() {
                        sb.clone()
                    } else {
                        last.b.start..sb.end
                    };
                }
                last.a_text = a[last.a.clone()].to_string();
                last.b_text = b[last.b.clone()].to_string();
                last.op = match (last.a.is_empty(), last.b.is_empty()) {
                    (false, false) => Op::Replace,
                    (false, true) => Op::Delete,
                    _ => Op::Insert,
                };
                continue;
            }
        }
        runs.push(Run {
            op,
            a_text: a[sa.clone()].to_string(),
            b_text: b[sb.clone()].to_string(),
            a: sa,
            b: sb,
        });
    }
    runs
}

/// Changed words only: the runs that are not [`Op::Equal`].
pub fn changed_runs(a: &str, b: &str) -> Vec<Run> {
    word_diff(a, b)
        .into_iter()
        .filter(|r| r.op != Op::Equal)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn insertions_deletions_and_replacements() {
        let d = word_diff(
            "he has ruled out funding",
            "he has not ruled out new funding",
        );
        let ops: Vec<(Op, &str, &str)> = d
            .iter()
            .map(|r| (r.op, r.a_text.as_str(), r.b_text.as_str()))
            .collect();
        assert_eq!(
            ops,
            [
                (Op::Equal, "he has", "he has"),
                (Op::Insert, "", "not"),
                (Op::Equal, "ruled out", "ruled out"),
                (Op::Insert, "", "new"),
                (Op::Equal, "funding", "funding"),
            ]
        );
        // An insertion points where it goes in A.
        assert_eq!(d[1].a, 7..7);
        assert!(word_diff("", "").is_empty());
        let d = word_diff("a b c", "a x y c");
        assert_eq!(d[1].op, Op::Replace);
        assert_eq!((d[1].a_text.as_str(), d[1].b_text.as_str()), ("b", "x y"));
    }

    #[test]
    fn case_and_punctuation_do_not_count() {
        let d = word_diff("The bridge, closed.", "the bridge closed");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].op, Op::Equal);
        let d = word_diff("the city\u{2019}s estuary", "the city's estuary");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].op, Op::Equal);
    }

    proptest! {
        #[test]
        fn runs_rebuild_both_word_lists(a in "[a-c ]{0,30}", b in "[a-c ]{0,30}") {
            let d = word_diff(&a, &b);
            let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
            let ra: Vec<String> = d.iter().flat_map(|r| words(&r.a_text)).collect();
            let rb: Vec<String> = d.iter().flat_map(|r| words(&r.b_text)).collect();
            prop_assert_eq!(ra, words(&a));
            prop_assert_eq!(rb, words(&b));
        }

        #[test]
        fn spans_hold_the_text(a in "\\PC{0,40}", b in "\\PC{0,40}") {
            for r in word_diff(&a, &b) {
                prop_assert_eq!(a.get(r.a.clone()), Some(r.a_text.as_str()));
                prop_assert_eq!(b.get(r.b.clone()), Some(r.b_text.as_str()));
            }
        }
    }
}
