//! The scoring of the article-extraction benchmark, reimplemented.
//!
//! Per page: the expected and the predicted text are cut into word tokens
//! (runs of alphanumeric characters or `_`, case kept), the tokens into
//! overlapping 4-token shingles, and the two multisets of shingles compared:
//! a shingle counts as true positive up to the smaller of its two counts, the
//! excess on the predicted side is a false positive, on the expected side a
//! false negative. The three counts are divided by their sum so that every
//! page weighs the same.
//!
//! Over the pages: precision is the mean per-page precision over the pages
//! with something predicted or matched (tp + fp > 0), recall the mean per-page
//! recall over the pages with something expected or matched (tp + fn > 0),
//! F1 the harmonic mean of those two means (not the mean of per-page F1s), and
//! accuracy the share of pages whose token sequences are exactly equal.

use std::collections::HashMap;

/// Shingle length of the benchmark.
pub const SHINGLE: usize = 4;

/// Normalized true positives, false positives, false negatives of one page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageCounts {
    pub tp: f64,
    pub fp: f64,
    pub fn_: f64,
}

/// Word tokens: maximal runs of alphanumeric characters and underscores.
pub fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let word = c.is_alphanumeric() || c == '_';
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// Multiset of shingles. A text shorter than `n` tokens (but not empty) is
/// one shingle of all its tokens; an empty text has none.
fn shingles<'a>(toks: &[&'a str], n: usize) -> HashMap<Vec<&'a str>, u32> {
    let mut m = HashMap::new();
    if toks.is_empty() {
        return m;
    }
    if toks.len() < n {
        *m.entry(toks.to_vec()).or_insert(0) += 1;
        return m;
    }
    for w in toks.windows(n) {
        *m.entry(w.to_vec()).or_insert(0) += 1;
    }
    m
}

/// Compares one page's expected and predicted text.
pub fn page_counts(expected: &str, predicted: &str) -> PageCounts {
    let t = tokens(expected);
    let p = tokens(predicted);
    let ts = shingles(&t, SHINGLE);
    let ps = shingles(&p, SHINGLE);
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    for (k, &tc) in &ts {
        let pc = ps.get(k).copied().unwrap_or(0);
        tp += f64::from(tc.min(pc));
        fn_ += f64::from(tc.saturating_sub(pc));
    }
    for (k, &pc) in &ps {
        let tc = ts.get(k).copied().unwrap_or(0);
        fp += f64::from(pc.saturating_sub(tc));
    }
    let s = tp + fp + fn_;
    if s > 0.0 {
        PageCounts {
            tp: tp / s,
            fp: fp / s,
            fn_: fn_ / s,
        }
    } else {
        PageCounts { tp, fp, fn_ }
    }
}

fn page_precision(c: &PageCounts) -> f64 {
    if c.fp == 0.0 && c.fn_ == 0.0 {
        1.0
    } else if c.tp == 0.0 && c.fp == 0.0 {
        0.0
    } else {
        c.tp / (c.tp + c.fp)
    }
}

fn page_recall(c: &PageCounts) -> f64 {
    if c.fp == 0.0 && c.fn_ == 0.0 {
        1.0
    } else if c.tp == 0.0 && c.fn_ == 0.0 {
        0.0
    } else {
        c.tp / (c.tp + c.fn_)
    }
}

/// F1 of one page (0 when nothing matched).
pub fn page_f1(c: &PageCounts) -> f64 {
    let (p, r) = (page_precision(c), page_recall(c));
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// Whether the two texts have exactly the same token sequence.
pub fn exact(expected: &str, predicted: &str) -> bool {
    tokens(expected) == tokens(predicted)
}

/// Corpus-level scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub accuracy: f64,
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (s, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 {
        0.0
    } else {
        s / n as f64
    }
}

/// Scores a list of (expected, predicted) pages.
pub fn score(pages: &[(&str, &str)]) -> Scores {
    let counts: Vec<PageCounts> = pages.iter().map(|(e, p)| page_counts(e, p)).collect();
    let precision = mean(
        counts
            .iter()
            .filter(|c| c.tp + c.fp > 0.0)
            .map(page_precision),
    );
    let recall = mean(
        counts
            .iter()
            .filter(|c| c.tp + c.fn_ > 0.0)
            .map(page_recall),
    );
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    let accuracy = mean(
        pages
            .iter()
            .map(|(e, p)| if exact(e, p) { 1.0 } else { 0.0 }),
    );
    Scores {
        precision,
        recall,
        f1,
        accuracy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_on_non_word_characters() {
        assert_eq!(
            tokens("Hello, wörld! snake_case 3.5"),
            vec!["Hello", "wörld", "snake_case", "3", "5"]
        );
        assert!(tokens(" ,. ").is_empty());
    }

    #[test]
    fn identical_text_is_perfect() {
        let c = page_counts("a b c d e f", "a  b\nc d, e f");
        assert_eq!(c.fp, 0.0);
        assert_eq!(c.fn_, 0.0);
        assert!(exact("a b c", "a, b. c"));
    }

    #[test]
    fn extra_text_costs_precision_only() {
        // expected: 3 shingles; predicted adds 2 more words -> 2 extra shingles.
        let c = page_counts("a b c d e f", "a b c d e f g h");
        assert!((c.tp - 3.0 / 5.0).abs() < 1e-12);
        assert!((c.fp - 2.0 / 5.0).abs() < 1e-12);
        assert_eq!(c.fn_, 0.0);
        let s = score(&[("a b c d e f", "a b c d e f g h")]);
        assert!((s.precision - 0.6).abs() < 1e-12);
        assert_eq!(s.recall, 1.0);
        assert!((s.f1 - 0.75).abs() < 1e-12);
        assert_eq!(s.accuracy, 0.0);
    }

    #[test]
    fn empty_prediction_has_zero_recall_and_no_precision_vote() {
        let s = score(&[("a b c d e", ""), ("a b c d e", "a b c d e")]);
        // Page 1 has tp+fp == 0: left out of precision.
        assert_eq!(s.precision, 1.0);
        assert!((s.recall - 0.5).abs() < 1e-12);
    }

    #[test]
    fn short_texts_are_one_shingle() {
        let c = page_counts("a b", "a b");
        assert_eq!(c.tp, 1.0);
        let c = page_counts("a b", "a c");
        assert_eq!(c.tp, 0.0);
        assert_eq!(c.fp, 0.5);
    }

    #[test]
    fn repeated_shingles_count_as_multisets() {
        let c = page_counts("x y z w x y z w", "x y z w");
        // expected shingles: xyzw×2, yzwx, zwxy, wxyz; predicted: xyzw×1
        assert!((c.tp - 1.0 / 5.0).abs() < 1e-12);
        assert!((c.fn_ - 4.0 / 5.0).abs() < 1e-12);
    }
}
