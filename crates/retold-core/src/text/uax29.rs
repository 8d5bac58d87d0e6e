//! UAX#29 word and sentence boundaries, with a fast path for ASCII.
//!
//! unicode-segmentation implements UAX#29 for all of Unicode at roughly
//! 20–30 ns a byte; most news text is ASCII after normalization, and for
//! ASCII the rules reduce to a few byte comparisons. The ASCII paths below
//! give exactly the boundaries unicode-segmentation gives (property tests
//! compare them) and anything else goes to unicode-segmentation.

use unicode_segmentation::UnicodeSegmentation;

/// Calls `emit(start, segment)` for every UAX#29 word segment of `text`
/// (words, numbers, spaces and single punctuation marks alike), in order.
pub(crate) fn for_each_word_segment<'a>(text: &'a str, mut emit: impl FnMut(usize, &'a str)) {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        let Some(q) = b[i..].iter().position(|c| !c.is_ascii()).map(|p| p + i) else {
            ascii_words(text, i, n, &mut emit);
            return;
        };
        // The slow region starts at the last run of spaces before the
        // non-ASCII char (a combining mark after spaces belongs to them)...
        let mut c = q;
        while c > i && b[c - 1] != b' ' {
            c -= 1;
        }
        while c > i && b[c - 1] == b' ' {
            c -= 1;
        }
        ascii_words(text, i, c, &mut emit);
        // ...and ends at a run of spaces followed by ASCII: the boundaries
        // on both sides are then the same as in the whole text.
        let mut e = q;
        loop {
            while e < n && b[e] != b' ' {
                e += 1;
            }
            let mut r = e;
            while r < n && b[r] == b' ' {
                r += 1;
            }
            if r >= n || b[r].is_ascii() {
                break;
            }
            e = r;
        }
        for (j, seg) in text[c..e].split_word_bound_indices() {
            emit(c + j, seg);
        }
        i = e;
    }
}

fn is_aletter(b: u8) -> bool {
    b.is_ascii_alphabetic()
}

/// UAX#29 word segments of the ASCII slice `text[start..end]`.
fn ascii_words<'a>(text: &'a str, start: usize, end: usize, emit: &mut impl FnMut(usize, &'a str)) {
    let b = text.as_bytes();
    let mut i = start;
    while i < end {
        let s = i;
        let c = b[i];
        i += 1;
        match c {
            b' ' => {
                // WB3d: horizontal space runs stay together.
                while i < end && b[i] == b' ' {
                    i += 1;
                }
            }
            b'\r' if i < end && b[i] == b'\n' => i += 1,
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' => loop {
                if i >= end {
                    break;
                }
                let n = b[i];
                if n.is_ascii_alphanumeric() || n == b'_' {
                    i += 1;
                    continue;
                }
                // WB6/7: letter (MidLetter | MidNumLet | ') letter;
                // WB11/12: digit (MidNum | MidNumLet | ') digit.
                if i + 1 < end {
                    let (p, after) = (b[i - 1], b[i + 1]);
                    let joins_letters =
                        is_aletter(p) && matches!(n, b':' | b'.' | b'\'') && is_aletter(after);
                    let joins_digits = p.is_ascii_digit()
                        && matches!(n, b',' | b';' | b'.' | b'\'')
                        && after.is_ascii_digit();
                    if joins_letters || joins_digits {
                        i += 2;
                        continue;
                    }
                }
                break;
            },
            _ => {}
        }
        emit(s, &text[s..i]);
    }
}

/// Byte offsets (relative to `line`) where UAX#29 starts a new sentence,
/// excluding 0 and `line.len()`.
pub(crate) fn sentence_breaks(line: &str, out: &mut Vec<usize>) {
    out.clear();
    let b = line.as_bytes();
    if !line.is_ascii() || b.contains(&b'\r') || b.contains(&b'\n') {
        out.extend(
            line.split_sentence_bound_indices()
                .map(|(i, _)| i)
                .filter(|&i| i > 0),
        );
        return;
    }
    let is_sp = |c: u8| matches!(c, b' ' | b'\t' | 0x0B | 0x0C);
    let is_close = |c: u8| matches!(c, b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}');
    let is_saterm = |c: u8| matches!(c, b'.' | b'!' | b'?');
    let is_scontinue = |c: u8| matches!(c, b',' | b'-' | b':' | b';');
    // State after b[k-1]: the terminator that starts the current
    // `SATerm Close* Sp*` run, and whether a space was seen in it.
    let mut term: Option<usize> = None;
    let mut spaced = false;
    // SB8 lookahead memo: index of the first letter or terminator at or
    // after some position (b.len() when none).
    let mut next_sig: Option<usize> = None;
    for k in 1..b.len() {
        let prev = b[k - 1];
        if is_saterm(prev) {
            term = Some(k - 1);
            spaced = false;
        } else if is_close(prev) {
            if spaced {
                term = None;
            }
        } else if is_sp(prev) {
            if term.is_some() {
                spaced = true;
            }
        } else {
            term = None;
        }
        let Some(t) = term else {
            continue;
        };
        let next = b[k];
        let tc = b[t];
        if tc == b'.' {
            if t == k - 1 {
                // SB6 `ATerm × Numeric`, SB7 `(Upper | Lower) ATerm × Upper`
                if next.is_ascii_digit() {
                    continue;
                }
                if t > 0 && b[t - 1].is_ascii_alphabetic() && next.is_ascii_uppercase() {
                    continue;
                }
            }
            // SB8: no break when the next letter (before any terminator) is
            // lower case.
            let m = match next_sig {
                Some(m) if m >= k => m,
                _ => {
                    let m = (k..b.len())
                        .find(|&m| b[m].is_ascii_alphabetic() || is_saterm(b[m]))
                        .unwrap_or(b.len());
                    next_sig = Some(m);
                    m
                }
            };
            if m < b.len() && b[m].is_ascii_lowercase() {
                continue;
            }
        }
        // SB8a, SB9, SB10
        if is_scontinue(next) || is_saterm(next) {
            continue;
        }
        if !spaced && (is_close(next) || is_sp(next)) {
            continue;
        }
        if is_sp(next) {
            continue;
        }
        out.push(k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words_fast(text: &str) -> Vec<(usize, String)> {
        let mut v = Vec::new();
        for_each_word_segment(text, |i, s| v.push((i, s.to_string())));
        v
    }

    fn words_reference(text: &str) -> Vec<(usize, String)> {
        text.split_word_bound_indices()
            .map(|(i, s)| (i, s.to_string()))
            .collect()
    }

    fn breaks_fast(text: &str) -> Vec<usize> {
        let mut v = Vec::new();
        sentence_breaks(text, &mut v);
        v
    }

    fn breaks_reference(text: &str) -> Vec<usize> {
        text.split_sentence_bound_indices()
            .map(|(i, _)| i)
            .filter(|&i| i > 0)
            .collect()
    }

    #[test]
    fn examples_match_unicode_segmentation() {
        for t in [
            "The U.S. Army, e.g. 3.5 and 1,200; don't k:a x_y 10:30 a.b. 'q' \"r\"",
            "Mr. Smith left. \"We will rebuild.\" The end... Next? yes! (No.) [A.] B",
            "a. 5 b. B. c.) D.  E ?! F. , g .; ?;",
            "caf\u{e9} na\u{ef}ve r\u{e9}sum\u{e9}s. Na\u{ef}ve \u{301}x",
        ] {
            assert_eq!(words_fast(t), words_reference(t), "{t}");
            assert_eq!(breaks_fast(t), breaks_reference(t), "{t}");
        }
    }

    fn ascii_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a", "b", "Z", "Q", "0", "7", " ", "  ", "\t", "\u{b}", "\u{c}", ".", "!", "?", ",",
            ";", ":", "-", "_", "'", "\"", "(", ")", "[", "]", "{", "}", "#", "$", "%", "&", "*",
            "/", "\u{1}", "~", "Mr.", "U.S.", "e.g.", "3.5", "1,200",
        ]);
        prop::collection::vec(pieces, 0..30).prop_map(|v| v.concat())
    }

    fn mixed_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a",
            "Z",
            "0",
            " ",
            "  ",
            ".",
            "?",
            ",",
            "'",
            "\"",
            "(",
            ")",
            "\u{e9}",
            "\u{301}",
            "\u{200d}",
            "\u{1f600}",
            "\u{3002}",
            "\u{5b57}",
            "\u{a0}",
            "\u{2019}",
            "\u{ab}",
            "\u{93e}",
            "\u{5d0}",
            "\u{30a2}",
            "\u{ff0e}",
            "\u{2024}",
        ]);
        prop::collection::vec(pieces, 0..30).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn ascii_words_match(text in ascii_text()) {
            prop_assert_eq!(words_fast(&text), words_reference(&text));
        }

        #[test]
        fn ascii_sentences_match(text in ascii_text()) {
            prop_assert_eq!(breaks_fast(&text), breaks_reference(&text));
        }

        #[test]
        fn mixed_words_match(text in mixed_text()) {
            prop_assert_eq!(words_fast(&text), words_reference(&text));
        }

        #[test]
        fn any_ascii_matches(text in "[\\x00-\\x7f]{0,40}") {
            prop_assert_eq!(words_fast(&text), words_reference(&text));
            prop_assert_eq!(breaks_fast(&text), breaks_reference(&text));
        }
    }
}
