//! Quantities in text: digits, number words, fractions, percentages, money,
//! and compounds such as "32-member", normalized to a value.
//!
//! ```
//! use retold_core::changes::numbers::quantities;
//! let q = quantities("Cracks were found in one-fifth of the 60 girders, a 32-member crew said.");
//! let values: Vec<f64> = q.iter().map(|q| q.value).collect();
//! assert_eq!(values, [0.2, 60.0, 32.0]);
//! assert_eq!(q[2].text, "32-member");
//! ```

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// A quantity found in a text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// Byte range in the text.
    pub span: Range<usize>,
    /// The words as written ("one-fifth", "£186,000", "32-member", "4.2
    /// million", "18 percent"); a counted noun after it is in `unit`, not here.
    pub text: String,
    pub value: f64,
    /// What is counted, lower case, when it follows the number
    /// ("girders", "member", "percent", "million").
    pub unit: Option<String>,
}

/// Words after a number that are not what it counts.
const NOT_UNITS: [&str; 24] = [
    "of", "the", "a", "an", "and", "or", "to", "in", "on", "at", "by", "for", "from", "with",
    "was", "were", "is", "are", "had", "have", "has", "that", "than", "as",
];

fn small(word: &str) -> Option<f64> {
    const WORDS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(i) = WORDS.iter().position(|w| *w == word) {
        return Some(i as f64);
    }
    if let Some(i) = TENS.iter().position(|w| *w == word) {
        return Some(20.0 + 10.0 * i as f64);
    }
    // "forty-two"
    let (t, u) = word.split_once('-')?;
    let t = TENS.iter().position(|w| *w == t)?;
    let u = WORDS
        .iter()
        .position(|w| *w == u)
        .filter(|&u| (1..10).contains(&u))?;
    Some(20.0 + 10.0 * t as f64 + u as f64)
}

fn scale(word: &str) -> Option<f64> {
    Some(match word {
        "hundred" => 1e2,
        "thousand" => 1e3,
        "million" | "m" | "mn" => 1e6,
        "billion" | "bn" | "b" => 1e9,
        "trillion" | "tn" => 1e12,
        _ => return None,
    })
}

/// Denominator of a fraction word ("third" → 3, "quarters" → 4).
fn fraction(word: &str) -> Option<f64> {
    let w = word.strip_suffix('s').unwrap_or(word);
    Some(match w {
        "half" | "halve" => 2.0,
        "third" => 3.0,
        "quarter" | "fourth" => 4.0,
        "fifth" => 5.0,
        "sixth" => 6.0,
        "seventh" => 7.0,
        "eighth" => 8.0,
        "ninth" => 9.0,
        "tenth" => 10.0,
        _ => return None,
    })
}

/// Words with their byte ranges (letters, digits and inner `-.,'/` kept).
fn words(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    let b = text.as_bytes();
    for (i, c) in text.char_indices() {
        let inner = matches!(c, '-' | '.' | ',' | '\'' | '%')
            && start.is_some()
            && b.get(i + 1).is_some_and(|n| n.is_ascii_alphanumeric());
        let keep = c.is_alphanumeric() || inner || (c == '%' && start.is_some());
        match (keep, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s..i, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s..text.len(), &text[s..]));
    }
    out
}

fn currency_before(text: &str, at: usize) -> Option<char> {
    text.get(..at)?
        .chars()
        .next_back()
        .filter(|c| matches!(c, '$' | '£' | '€' | '¥'))
}

/// Every quantity in `text`, in order.
pub fn quantities(text: &str) -> Vec<Quantity> {
    let ws = words(text);
    let lower: Vec<String> = ws.iter().map(|w| w.1.to_lowercase()).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let (range, word) = (&ws[i].0, ws[i].1);
        let w = lower[i].as_str();
        let mut end = i + 1;
        let mut unit: Option<String> = None;
        let value: Option<f64> = if word.starts_with(|c: char| c.is_ascii_digit()) {
            // Digits, with a suffix glued on: "32-member", "3rd", "18%", "€300m".
            let digits: String = w
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
                .filter(|c| *c != ',')
                .collect();
            let rest = &w[w
                .char_indices()
                .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
                .map_or(w.len(), |x| x.0)..];
            let mut v: f64 = digits
                .trim_end_matches('.')
                .parse()
                .ok()
                .unwrap_or(f64::NAN);
            let rest = rest.trim_start_matches('-');
            if let Some(s) = scale(rest) {
                v *= s;
                unit = Some(rest.to_string());
            } else if rest == "%" {
                unit = Some("percent".into());
            } else if !rest.is_empty() && !matches!(rest, "st" | "nd" | "rd" | "th" | "s") {
                unit = Some(rest.to_string());
            }
            // "1 / 4"
            if rest.is_empty()
                && text
                    .get(range.end..)
                    .is_some_and(|t| t.trim_start().starts_with('/'))
            {
                if let Some(d) = ws.get(i + 1).and_then(|n| n.1.parse::<f64>().ok()) {
                    if d != 0.0 {
                        v /= d;
                        end = i + 2;
                    }
                }
            }
            Some(v).filter(|v| v.is_finite())
        } else if let Some(d) = w
            .split_once('-')
            .and_then(|(n, f)| Some(small(n)? / fraction(f)?))
        {
            Some(d) // "one-fifth", "two-thirds"
        } else if let Some(v) = small(w) {
            // "forty two", "a third" is below; "one fifth"
            if let Some(d) = lower.get(i + 1).and_then(|n| fraction(n)) {
                end = i + 2;
                Some(v / d)
            } else {
                Some(v)
            }
        } else if (w == "a" || w == "an" || w == "half")
            && lower.get(i + 1).is_some_and(|n| fraction(n).is_some())
        {
            // "a third", "a quarter", "half a" is left out
            if w == "half" {
                None
            } else {
                end = i + 2;
                lower.get(i + 1).and_then(|n| fraction(n)).map(|d| 1.0 / d)
            }
        } else if w == "half" {
            Some(0.5)
        } else {
            None
        };
        let Some(mut value) = value else {
            i += 1;
            continue;
        };
        // Scale and unit words after the number: "4.2 million", "18 percent", "60 girders".
        if unit.is_none() {
            if let Some(s) = lower.get(end).and_then(|n| scale(n)) {
                value *= s;
                unit = lower.get(end).cloned();
                end += 1;
            }
        }
        if unit.is_none() {
            if let Some(n) = lower.get(end) {
                if n == "percent" || n == "per" {
                    unit = Some("percent".into());
                    end += if n == "per" { 2 } else { 1 };
                } else if n.chars().all(char::is_alphabetic) && !NOT_UNITS.contains(&n.as_str()) {
                    unit = Some(n.clone());
                }
            }
        }
        let start = range.start;
        let stop = ws[end.min(ws.len()) - 1].0.end;
        let start = match currency_before(text, start) {
            Some(c) => {
                unit = unit.or_else(|| Some(c.to_string()));
                start - c.len_utf8()
            }
            None => start,
        };
        // A lone "one" is often a pronoun ("one of the", "no one"), not a count.
        let pronoun_one = w == "one"
            && end == i + 1
            && (lower.get(i + 1).is_some_and(|n| n == "of")
                || i.checked_sub(1)
                    .and_then(|p| lower.get(p))
                    .is_some_and(|p| {
                        matches!(
                            p.as_str(),
                            "no" | "any" | "every" | "some" | "each" | "someone" | "this" | "that"
                        )
                    }));
        if !pronoun_one {
            out.push(Quantity {
                span: start..stop,
                text: text[start..stop].to_string(),
                value,
                unit,
            });
        }
        i = end;
    }
    out
}

/// Same value within rounding (1% relative).
pub fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.01 * a.abs().max(b.abs()).max(1e-9)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn values(t: &str) -> Vec<(String, f64)> {
        quantities(t)
            .into_iter()
            .map(|q| (q.text, q.value))
            .collect()
    }

    #[test]
    fn digits_words_fractions_money_and_compounds() {
        let v = values(
            "About 38,000 vehicles, a third of them lorries; 1.5 million euros; £186,000; \
             the 55-year-old crossing; twelve hours; forty-two boats; 18 percent; 3rd day; roughly 1 / 4.",
        );
        let want = [
            ("38,000", 38000.0),
            ("a third", 1.0 / 3.0),
            ("1.5 million", 1.5e6),
            ("£186,000", 186000.0),
            ("55-year-old", 55.0),
            ("twelve", 12.0),
            ("forty-two", 42.0),
            ("18 percent", 18.0),
            ("3rd", 3.0),
            ("1 / 4", 0.25),
        ];
        assert_eq!(v.len(), want.len(), "{v:?}");
        for ((t, x), (wt, wx)) in v.iter().zip(want) {
            assert_eq!(t, wt);
            assert!((x - wx).abs() < 1e-9, "{t}: {x} vs {wx}");
        }
    }

    #[test]
    fn units_follow_the_number() {
        let q = quantities("up to 140 academic posts and 32-member council, 12%");
        let units: Vec<Option<&str>> = q.iter().map(|q| q.unit.as_deref()).collect();
        assert_eq!(units, [Some("academic"), Some("member"), Some("percent")]);
    }

    #[test]
    fn garbled_fractions_change_value() {
        let a = quantities("in one-fifth of its main steel girders");
        let b = quantities("in five of its principle metal beams");
        assert!(!same_value(a[0].value, b[0].value));
        let c = quantities("four bus routes");
        let d = quantities("4 bus routes");
        assert!(same_value(c[0].value, d[0].value));
    }

    proptest! {
        #[test]
        fn spans_are_in_bounds_on_char_boundaries(s in "\\PC{0,80}") {
            for q in quantities(&s) {
                prop_assert!(q.span.end <= s.len());
                prop_assert!(s.is_char_boundary(q.span.start) && s.is_char_boundary(q.span.end));
                prop_assert_eq!(&s[q.span.clone()], q.text.as_str());
            }
        }
    }
}
