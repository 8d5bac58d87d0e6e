//! Word-level difference of two short texts (aligned sentences).
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

/// A run of the difference, with byte ranges in both texts (empty on the
/// side that has no words).
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

/// The comparison key of a word: lower case, outer punctuation trimmed.
fn key(w: &str) -> String {
    w.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// Longest-common-subsequence difference of the words of `a` and `b`, as
/// maximal runs; a deletion next to an insertion is one replacement.
pub fn word_diff(a: &str, b: &str) -> Vec<Run> {
    let (wa, wb) = (split_words(a), split_words(b));
    let ka: Vec<String> = wa.iter().map(|r| key(&a[r.clone()])).collect();
    let kb: Vec<String> = wb.iter().map(|r| key(&b[r.clone()])).collect();
    let (n, m) = (ka.len(), kb.len());
    // Sentences are short (the aligner caps merged runs), so a full table is fine.
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if ka[i] == kb[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // Steps: (op, i or n, j or m) for one word.
    let mut steps: Vec<(Op, Option<usize>, Option<usize>)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && ka[i] == kb[j] {
            steps.push((Op::Equal, Some(i), Some(j)));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            steps.push((Op::Insert, None, Some(j)));
            j += 1;
        } else {
            steps.push((Op::Delete, Some(i), None));
            i += 1;
        }
    }
    let mut runs: Vec<Run> = Vec::new();
    let span = |words: &[Range<usize>], idx: &[usize]| match (idx.first(), idx.last()) {
        (Some(&f), Some(&l)) => words[f].start..words[l].end,
        _ => 0..0,
    };
    let mut k = 0;
    while k < steps.len() {
        let equal = steps[k].0 == Op::Equal;
        let mut ia = Vec::new();
        let mut ib = Vec::new();
        while k < steps.len() && (steps[k].0 == Op::Equal) == equal {
            if let Some(x) = steps[k].1 {
                ia.push(x);
            }
            if let Some(y) = steps[k].2 {
                ib.push(y);
            }
            k += 1;
        }
        let op = match (equal, ia.is_empty(), ib.is_empty()) {
            (true, _, _) => Op::Equal,
            (false, false, false) => Op::Replace,
            (false, false, true) => Op::Delete,
            _ => Op::Insert,
        };
        let (ra, rb) = (span(&wa, &ia), span(&wb, &ib));
        runs.push(Run {
            op,
            a_text: if ia.is_empty() {
                String::new()
            } else {
                a[ra.clone()].to_string()
            },
            b_text: if ib.is_empty() {
                String::new()
            } else {
                b[rb.clone()].to_string()
            },
            a: ra,
            b: rb,
        });
    }
    runs
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
        assert!(word_diff("", "").is_empty());
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
    }
}
