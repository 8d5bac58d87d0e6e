//! Quantities in text: digits, number words, fractions, percentages, money,
//! ordinals and compounds such as "32-member", normalized to a value, with
//! the word they count and the qualifier before them ("about", "up to").
//!
//! Retellings change numbers in two ways: the value ("140" → "150",
//! "one-fifth" → "five") or only the writing ("four" → "4", "32-member" →
//! "32 member", "38 percent" → "38 per cent"). [`compare_quantities`] pairs
//! the quantities of two aligned sentences and tells the two apart.
//!
//! ```
//! use retold_core::changes::numbers::{compare_quantities, quantities};
//! let q = quantities("Cracks were found in one-fifth of the 60 girders, a 32-member crew said.");
//! let values: Vec<f64> = q.iter().map(|q| q.value).collect();
//! assert_eq!(values, [0.2, 60.0, 32.0]);
//! assert_eq!(q[2].text, "32-member");
//!
//! let c = compare_quantities("about a quarter of the staff and four bus routes", "roughly 1 / 4 of the staff and 4 bus routes");
//! assert!(c.iter().all(|c| !c.value_changed)); // same values, other writing
//! let c = compare_quantities("in one-fifth of the girders", "in five of the girders");
//! assert!(c[0].value_changed);
//! ```

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::diff::{word_diff, Op};

/// What a quantity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum QuantityKind {
    /// A count or measure: "38,000", "twelve", "4.2 million".
    #[default]
    Count,
    /// A part of a whole: "one-fifth", "a third", "half", "1 / 4", "one in four".
    Fraction,
    /// "18 percent", "60 %"; the value is the number of percent.
    Percent,
    /// "$4.2 million", "€300m", "£186,000".
    Money,
    /// "third" (not after "a"), "3rd", "eleventh".
    Ordinal,
    /// A four-digit year, 1800–2100: "2019".
    Year,
    /// "twice", "three times".
    Multiplier,
}

/// How a qualifier bounds the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// "about", "roughly", "some", "an estimated".
    About,
    /// "nearly", "almost", "up to", "less than", "under".
    AtMost,
    /// "more than", "over", "at least", "as many as".
    AtLeast,
    /// "only", "just", "exactly".
    Exactly,
}

/// An approximation qualifier before a number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Qualifier {
    /// The words as written ("up to").
    pub text: String,
    /// Byte range in the text.
    pub span: Range<usize>,
    pub bound: Bound,
}

/// A quantity found in a text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// Byte range of the number as written, with its currency sign, scale
    /// and percent words and compound suffix ("£1.5bn", "4.2 million", "18
    /// percent", "32-member"), without the qualifier and the counted noun.
    pub span: Range<usize>,
    /// The text of `span`.
    pub text: String,
    /// The value: 0.2 for "one-fifth", 18 for "18 percent", 4.2e6 for "$4.2
    /// million", 3 for "3rd".
    pub value: f64,
    /// What is counted, lower case: the word after the number ("girders")
    /// or the compound suffix ("member" of "32-member", "year-old" of
    /// "55-year-old"); "percent" for percentages.
    pub unit: Option<String>,
    /// Byte range of the counted word when it follows the number.
    pub unit_span: Option<Range<usize>>,
    pub kind: QuantityKind,
    /// Currency sign or word ("$", "£", "€", "¥", "dollars", "euros").
    pub currency: Option<String>,
    pub qualifier: Option<Qualifier>,
}

impl Quantity {
    /// Byte range of the qualifier, number and counted word together.
    pub fn full_span(&self) -> Range<usize> {
        let start = self
            .qualifier
            .as_ref()
            .map_or(self.span.start, |q| q.span.start.min(self.span.start));
        let end = self
            .unit_span
            .as_ref()
            .map_or(self.span.end, |u| u.end.max(self.span.end));
        start..end
    }

    /// The value on a common scale for comparison: percentages and
    /// fractions as shares of one.
    fn share(&self) -> Option<f64> {
        match self.kind {
            QuantityKind::Percent => Some(self.value / 100.0),
            QuantityKind::Fraction => Some(self.value),
            _ => None,
        }
    }
}

/// Words after a number that are not what it counts.
#[rustfmt::skip]
const NOT_UNITS: &[&str] = &[
    "of", "the", "a", "an", "and", "or", "to", "in", "on", "at", "by", "for", "from", "with", "was",
    "were", "is", "are", "had", "have", "has", "that", "than", "as", "this", "it", "its", "he",
    "she", "they", "we", "but", "said", "says", "will", "would", "could", "can", "be", "been",
    "more", "less", "per", "after", "before", "into", "out", "up", "down", "over", "under", "who",
    "which", "when", "while", "if", "so", "not", "no", "next", "last", "ago", "earlier", "later",
    "each", "every",
];

#[rustfmt::skip]
const SMALL: [&str; 20] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
];
#[rustfmt::skip]
const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// "twelve", "forty", "forty-two".
fn small(word: &str) -> Option<f64> {
    if let Some(i) = SMALL.iter().position(|w| *w == word) {
        return Some(i as f64);
    }
    if let Some(i) = TENS.iter().position(|w| *w == word) {
        return Some(20.0 + 10.0 * i as f64);
    }
    let (t, u) = word.split_once('-')?;
    let t = TENS.iter().position(|w| *w == t)?;
    let u = SMALL
        .iter()
        .position(|w| *w == u)
        .filter(|&u| (1..10).contains(&u))?;
    Some(20.0 + 10.0 * t as f64 + u as f64)
}

/// Whether a lowercase word can start a count the parser reads without a
/// digit: "twelve", "forty-two", "five-year-old", "hundred", "dozen". A
/// cheap test for passages that hold no digit.
pub(crate) fn number_word(word: &str) -> bool {
    let head = word.split('-').next().unwrap_or(word);
    small(head).is_some()
        || TENS.contains(&head)
        || matches!(
            head,
            "hundred" | "thousand" | "million" | "billion" | "trillion" | "dozen"
        )
}

fn scale(word: &str) -> Option<f64> {
    Some(match word {
        "hundred" => 1e2,
        "thousand" | "k" => 1e3,
        "million" | "millions" | "m" | "mn" | "mln" => 1e6,
        "billion" | "billions" | "bn" | "b" => 1e9,
        "trillion" | "tn" => 1e12,
        _ => return None,
    })
}

#[rustfmt::skip]
const ORD: [&str; 20] = [
    "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
    "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
    "sixteenth", "seventeenth", "eighteenth", "nineteenth",
];
#[rustfmt::skip]
const TENTHS: [&str; 8] = [
    "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth",
    "ninetieth",
];

/// Whether a word can start a number written in words (its part before a
/// hyphen is a number or an ordinal, or it is "half", "twice", …): every
/// other word is passed over with one hash lookup instead of the whole
/// parse.
fn may_start_words(w: &str) -> bool {
    static HEADS: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::LazyLock::new(|| {
            SMALL
                .iter()
                .chain(&TENS)
                .chain(&ORD)
                .chain(&TENTHS)
                .chain(&["twice", "thrice", "half", "dozen"])
                .copied()
                .collect()
        });
    HEADS.contains(w.split('-').next().unwrap_or(w))
}

/// Ordinal words and their number ("third" → 3, "eleventh" → 11).
fn ordinal(word: &str) -> Option<f64> {
    if let Some(i) = ORD.iter().position(|w| *w == word) {
        return Some(i as f64);
    }
    if let Some(i) = TENTHS.iter().position(|w| *w == word) {
        return Some(20.0 + 10.0 * i as f64);
    }
    if let Some((t, u)) = word.split_once('-') {
        let t = TENS.iter().position(|w| *w == t)?;
        let u = ORD
            .iter()
            .position(|w| *w == u)
            .filter(|&u| (1..10).contains(&u))?;
        return Some(20.0 + 10.0 * t as f64 + u as f64);
    }
    // "3rd", "21st"
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && matches!(suffix, "st" | "nd" | "rd" | "th")
    {
        return digits.parse().ok();
    }
    None
}

/// Denominator of a fraction word ("third" → 3, "quarters" → 4).
fn denominator(word: &str) -> Option<f64> {
    let w = word.strip_suffix('s').unwrap_or(word);
    Some(match w {
        "half" | "halve" => 2.0,
        "quarter" => 4.0,
        _ => return ordinal(w).filter(|d| *d >= 3.0),
    })
}

fn currency_word(word: &str) -> bool {
    matches!(
        word,
        "dollar"
            | "dollars"
            | "euro"
            | "euros"
            | "pound"
            | "pounds"
            | "sterling"
            | "yen"
            | "crowns"
            | "kroner"
            | "krona"
            | "kronor"
            | "francs"
            | "rupees"
            | "yuan"
            | "usd"
            | "eur"
            | "gbp"
    )
}

/// Approximation qualifiers, longest first, with their bound.
const QUALIFIERS: &[(&str, Bound)] = &[
    ("in excess of", Bound::AtLeast),
    ("as many as", Bound::AtMost),
    ("as much as", Bound::AtMost),
    ("as few as", Bound::AtMost),
    ("more than", Bound::AtLeast),
    ("greater than", Bound::AtLeast),
    ("fewer than", Bound::AtMost),
    ("less than", Bound::AtMost),
    ("up to", Bound::AtMost),
    ("at least", Bound::AtLeast),
    ("at most", Bound::AtMost),
    ("close to", Bound::About),
    ("just over", Bound::AtLeast),
    ("just under", Bound::AtMost),
    ("well over", Bound::AtLeast),
    ("upwards of", Bound::AtLeast),
    ("an estimated", Bound::About),
    ("about", Bound::About),
    ("around", Bound::About),
    ("roughly", Bound::About),
    ("approximately", Bound::About),
    ("some", Bound::About),
    ("estimated", Bound::About),
    ("nearly", Bound::AtMost),
    ("almost", Bound::AtMost),
    ("virtually", Bound::AtMost),
    ("under", Bound::AtMost),
    ("below", Bound::AtMost),
    ("over", Bound::AtLeast),
    ("above", Bound::AtLeast),
    ("only", Bound::Exactly),
    ("just", Bound::Exactly),
    ("exactly", Bound::Exactly),
];

/// A piece of text: a word (letters and digits, with `,` `.` between
/// digits and `-` `'` between letters or digits inside) or one symbol.
#[derive(Debug, Clone)]
struct Piece {
    range: Range<usize>,
    /// Its lowercase form, a range of the parser's `lowers`.
    lower: Range<usize>,
    symbol: bool,
}

/// The pieces of `text` and their lowercase forms, one after another in
/// one string (one allocation, not one per word).
fn pieces(text: &str) -> (Vec<Piece>, String) {
    let mut out = Vec::new();
    let mut lowers = String::with_capacity(text.len());
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            k += 1;
            while k < chars.len() {
                let (j, d) = chars[k];
                if d.is_alphanumeric() {
                    end = j + d.len_utf8();
                    k += 1;
                    continue;
                }
                let next = chars.get(k + 1).map(|x| x.1);
                let prev_digit = chars[k - 1].1.is_ascii_digit();
                let inner = match d {
                    ',' | '.' => prev_digit && next.is_some_and(|n| n.is_ascii_digit()),
                    '-' | '\'' | '\u{2019}' => next.is_some_and(char::is_alphanumeric),
                    _ => false,
                };
                if inner {
                    k += 1;
                } else {
                    break;
                }
            }
            let from = lowers.len();
            let word = &text[i..end];
            if word.is_ascii() {
                lowers.push_str(word);
                lowers[from..].make_ascii_lowercase();
            } else {
                lowers.extend(word.chars().flat_map(char::to_lowercase));
            }
            out.push(Piece {
                range: i..end,
                lower: from..lowers.len(),
                symbol: false,
            });
        } else {
            if matches!(c, '%' | '$' | '£' | '€' | '¥' | '/') {
                let from = lowers.len();
                lowers.push(c);
                out.push(Piece {
                    range: i..i + c.len_utf8(),
                    lower: from..lowers.len(),
                    symbol: true,
                });
            }
            k += 1;
        }
    }
    (out, lowers)
}

/// The digits at the start of a word as a number ("1,450" → 1450, "4.2" →
/// 4.2, "3,5" → 3.5) and the rest of the word.
fn leading_number(w: &str) -> Option<(f64, &str)> {
    let end = w
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(w.len());
    let (num, rest) = w.split_at(end);
    let num = num.trim_end_matches(['.', ',']);
    if num.is_empty() {
        return None;
    }
    let groups: Vec<&str> = num.split(',').collect();
    let thousands = groups.len() > 1
        && groups[1..]
            .iter()
            .all(|g| g.split('.').next().is_some_and(|h| h.len() == 3));
    let plain: String = if thousands || groups.len() == 1 {
        num.replace(',', "")
    } else {
        num.replace(',', ".")
    };
    let v: f64 = plain.parse().ok()?;
    v.is_finite().then_some((v, rest))
}

struct Parser<'t> {
    text: &'t str,
    p: Vec<Piece>,
    lowers: String,
}

/// A number parsed at some piece: value, kind, index after it, unit from a
/// compound suffix.
struct Parsed {
    value: f64,
    kind: QuantityKind,
    end: usize,
    unit: Option<String>,
    currency: Option<String>,
}

impl Parser<'_> {
    fn lower(&self, i: usize) -> &str {
        self.p
            .get(i)
            .filter(|x| !x.symbol)
            .map_or("", |x| self.word(x))
    }

    /// The lowercase form of a piece.
    fn word(&self, x: &Piece) -> &str {
        self.lowers.get(x.lower.clone()).unwrap_or("")
    }

    fn sym(&self, i: usize) -> Option<&str> {
        self.p.get(i).filter(|x| x.symbol).map(|x| self.word(x))
    }

    /// Only whitespace between pieces `i` and `i + 1`.
    fn adjacent(&self, i: usize) -> bool {
        match (self.p.get(i), self.p.get(i + 1)) {
            (Some(a), Some(b)) => self
                .text
                .get(a.range.end..b.range.start)
                .is_some_and(|g| g.trim().is_empty()),
            _ => false,
        }
    }

    /// Number words from piece `i`: "one hundred and five", "two million",
    /// "a hundred", "forty two".
    fn words_number(&self, i: usize) -> Option<(f64, usize)> {
        let mut total = 0.0;
        let mut current = 0.0;
        let mut k = i;
        let mut any = false;
        let mut last_small = false;
        loop {
            let w = self.lower(k);
            if let Some(v) = small(w) {
                // "forty two" joins; "five six" does not.
                if last_small && !(current % 100.0 >= 20.0 && current % 10.0 == 0.0 && v < 10.0) {
                    break;
                }
                current += v;
                any = true;
                last_small = true;
            } else if w == "hundred" && any {
                current = current.max(1.0) * 100.0;
                last_small = false;
            } else if let Some(s) = scale(w).filter(|_| any && w.len() > 2) {
                total += current.max(1.0) * s;
                current = 0.0;
                last_small = false;
            } else if (w == "a" || w == "an")
                && !any
                && matches!(
                    self.lower(k + 1),
                    "hundred" | "thousand" | "million" | "billion" | "dozen"
                )
            {
                if self.lower(k + 1) == "dozen" {
                    return Some((12.0, k + 2));
                }
                current = 1.0;
                any = true;
                last_small = false;
            } else if w == "and" && any && !last_small && small(self.lower(k + 1)).is_some() {
                // "one hundred and five"
            } else {
                break;
            }
            if !self.adjacent(k) {
                k += 1;
                break;
            }
            k += 1;
        }
        // Drop a trailing "and" that led nowhere.
        while k > i && self.lower(k - 1) == "and" {
            k -= 1;
        }
        any.then_some((total + current, k))
    }

    fn parse_at(&self, i: usize) -> Option<Parsed> {
        let piece = self.p.get(i)?;
        let mut currency = None;
        let mut start_digits = i;
        if piece.symbol {
            if matches!(self.word(piece), "$" | "£" | "€" | "¥")
                && self.adjacent(i)
                && self.lower(i + 1).starts_with(|c: char| c.is_ascii_digit())
                && self.p[i].range.end == self.p[i + 1].range.start
            {
                currency = Some(self.word(piece).to_string());
                start_digits = i + 1;
            } else {
                return None;
            }
        }
        let w = self.lower(start_digits);
        if w.starts_with(|c: char| c.is_ascii_digit()) {
            return self.parse_digits(start_digits, currency);
        }
        self.parse_words(i)
    }

    fn parse_digits(&self, i: usize, currency: Option<String>) -> Option<Parsed> {
        let w = self.lower(i);
        let (mut value, rest) = leading_number(w)?;
        let mut kind = if currency.is_some() {
            QuantityKind::Money
        } else {
            QuantityKind::Count
        };
        let mut unit = None;
        let mut end = i + 1;
        let rest = rest.trim_start_matches('-');
        if let Some(s) = scale(rest) {
            value *= s;
        } else if matches!(rest, "st" | "nd" | "rd" | "th") {
            kind = QuantityKind::Ordinal;
        } else if rest == "s" {
            // "1990s"
            kind = QuantityKind::Year;
        } else if !rest.is_empty() {
            unit = Some(rest.to_string());
        }
        // "1 / 4", "1/4"
        if rest.is_empty() && self.sym(end) == Some("/") {
            if let Some((d, _)) =
                leading_number(self.lower(end + 1)).filter(|(d, r)| *d != 0.0 && r.is_empty())
            {
                return Some(Parsed {
                    value: value / d,
                    kind: QuantityKind::Fraction,
                    end: end + 2,
                    unit: None,
                    currency,
                });
            }
        }
        // "1 in 4"
        if rest.is_empty() && self.lower(end) == "in" && self.adjacent(end) {
            let d = leading_number(self.lower(end + 1))
                .filter(|(_, r)| r.is_empty())
                .map(|x| x.0);
            if let Some(d) = d.filter(|d| *d > value && *d <= 1000.0 && d.fract() == 0.0) {
                return Some(Parsed {
                    value: value / d,
                    kind: QuantityKind::Fraction,
                    end: end + 2,
                    unit: None,
                    currency,
                });
            }
        }
        if rest.is_empty() && self.adjacent(i) {
            if let Some(s) = scale(self.lower(end)) {
                value *= s;
                end += 1;
            }
        }
        if rest.is_empty() || scale(rest).is_some() {
            if self.sym(end) == Some("%") || matches!(self.lower(end), "percent" | "pc") {
                kind = QuantityKind::Percent;
                end += 1;
            } else if matches!(
                (self.lower(end), self.lower(end + 1)),
                ("per", "cent") | ("p", "c")
            ) {
                kind = QuantityKind::Percent;
                end += 2;
            }
        }
        if kind == QuantityKind::Count
            && unit.is_none()
            && w.len() == 4
            && (1800.0..=2100.0).contains(&value)
            && value.fract() == 0.0
            && !w.contains([',', '.'])
            && end == i + 1
        {
            kind = QuantityKind::Year;
        }
        Some(Parsed {
            value,
            kind,
            end,
            unit,
            currency,
        })
    }

    fn parse_words(&self, i: usize) -> Option<Parsed> {
        let w = self.lower(i);
        // "a" and "an" start a number only before a fraction or a scale
        // word ("a third", "a 3rd", "a hundred", "a dozen").
        let a_number = |n: &str| {
            let m = n.strip_suffix('s').unwrap_or(n);
            n.starts_with(|c: char| c.is_ascii_digit())
                || may_start_words(m)
                || matches!(
                    m,
                    "halve" | "quarter" | "hundred" | "thousand" | "million" | "billion"
                )
        };
        let article = matches!(w, "a" | "an");
        if !(may_start_words(w) || article && a_number(self.lower(i + 1))) {
            return None;
        }
        let mk = |value, kind, end, unit: Option<String>| {
            Some(Parsed {
                value,
                kind,
                end,
                unit,
                currency: None,
            })
        };
        // "twice", "thrice"
        match w {
            "twice" => return mk(2.0, QuantityKind::Multiplier, i + 1, None),
            "thrice" => return mk(3.0, QuantityKind::Multiplier, i + 1, None),
            "half" => return mk(0.5, QuantityKind::Fraction, i + 1, None),
            "dozen" => return mk(12.0, QuantityKind::Count, i + 1, None),
            _ => {}
        }
        // "a third", "a quarter", "a half", "a 3rd"
        if matches!(w, "a" | "an") && self.adjacent(i) {
            let n = self.lower(i + 1);
            if let Some(d) = denominator(n) {
                return mk(1.0 / d, QuantityKind::Fraction, i + 2, None);
            }
        }
        // "twenty-first"
        if let Some(v) = ordinal(w).filter(|_| w.contains('-')) {
            return mk(v, QuantityKind::Ordinal, i + 1, None);
        }
        // "one-fifth", "two-thirds", "four-hour", "forty-two-year-old"
        if w.contains('-') && !w.starts_with('-') {
            let parts: Vec<&str> = w.split('-').collect();
            for cut in (1..=parts.len().min(2)).rev() {
                let head = parts[..cut].join("-");
                if let Some(v) = small(&head) {
                    let tail = parts[cut..].join("-");
                    if tail.is_empty() {
                        break; // a plain "forty-two": below
                    }
                    if let Some(d) = denominator(&tail) {
                        return mk(v / d, QuantityKind::Fraction, i + 1, None);
                    }
                    return mk(v, QuantityKind::Count, i + 1, Some(tail));
                }
            }
        }
        if let Some((v, end)) = self.words_number(i) {
            // "two fifths", "one in four"
            if end == i + 1 && self.adjacent(i) {
                if let Some(d) = denominator(self.lower(end)).filter(|_| (1.0..10.0).contains(&v)) {
                    if self.lower(end) != "second" {
                        return mk(v / d, QuantityKind::Fraction, end + 1, None);
                    }
                }
                if self.lower(end) == "in" {
                    if let Some((d, e2)) = self.words_number(end + 1) {
                        if d > v && e2 == end + 2 {
                            return mk(v / d, QuantityKind::Fraction, e2, None);
                        }
                    }
                }
                if self.lower(end) == "times" {
                    return mk(v, QuantityKind::Multiplier, end + 1, None);
                }
            }
            let mut value = v;
            let mut end = end;
            let mut kind = QuantityKind::Count;
            if matches!(self.lower(end), "percent" | "pc") {
                kind = QuantityKind::Percent;
                end += 1;
            } else if self.lower(end) == "per" && self.lower(end + 1) == "cent" {
                kind = QuantityKind::Percent;
                end += 2;
            } else if self.lower(end) == "dozen" {
                value *= 12.0;
                end += 1;
            }
            return mk(value, kind, end, None);
        }
        if let Some(v) = ordinal(w) {
            return mk(v, QuantityKind::Ordinal, i + 1, None);
        }
        None
    }

    /// The qualifier right before piece `i`.
    fn qualifier(&self, i: usize) -> Option<Qualifier> {
        for (q, bound) in QUALIFIERS {
            let n = q.split(' ').count();
            let Some(first) = i.checked_sub(n) else {
                continue;
            };
            let words_match = q
                .split(' ')
                .enumerate()
                .all(|(k, w)| self.lower(first + k) == w);
            let joined = (first..i).all(|k| self.adjacent(k));
            if words_match && joined {
                let span = self.p[first].range.start..self.p[i - 1].range.end;
                return Some(Qualifier {
                    text: self.text[span.clone()].to_string(),
                    span,
                    bound: *bound,
                });
            }
        }
        None
    }
}

/// "one" that is a pronoun ("one of the", "no one"), not a count.
fn pronoun_one(parser: &Parser, i: usize, end: usize) -> bool {
    parser.lower(i) == "one"
        && end == i + 1
        && (matches!(parser.lower(i + 1), "of" | "another" | "who" | "that")
            || i.checked_sub(1).is_some_and(|p| {
                matches!(
                    parser.lower(p),
                    "no" | "any" | "every" | "some" | "each" | "this" | "that" | "the" | "which"
                )
            }))
}

/// Every quantity in `text`, in order.
pub fn quantities(text: &str) -> Vec<Quantity> {
    let (p, lowers) = pieces(text);
    let parser = Parser { text, p, lowers };
    let n = parser.p.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let Some(mut parsed) = parser.parse_at(i) else {
            i += 1;
            continue;
        };
        let end = parsed.end.clamp(i + 1, n);
        if pronoun_one(&parser, i, end) {
            i = end;
            continue;
        }
        let start = parser.p[i].range.start;
        let stop = parser.p[end - 1].range.end;
        // The counted word after the number.
        let mut unit_span = None;
        if parsed.unit.is_none() && parsed.kind != QuantityKind::Ordinal && parser.adjacent(end - 1)
        {
            if let Some(next) = parser.p.get(end).filter(|x| !x.symbol) {
                let w = parser.word(next);
                if w == "o'clock"
                    || (w.chars().all(|c| c.is_alphabetic() || c == '-') && !NOT_UNITS.contains(&w))
                {
                    if currency_word(w) {
                        parsed.kind = QuantityKind::Money;
                        parsed.currency = Some(w.to_string());
                    }
                    parsed.unit = Some(w.to_string());
                    unit_span = Some(next.range.clone());
                }
            }
        }
        if parsed.kind == QuantityKind::Percent {
            parsed.unit = Some("percent".into());
        }
        if parsed.value.is_finite() {
            out.push(Quantity {
                span: start..stop,
                text: text[start..stop].to_string(),
                value: parsed.value,
                unit: parsed.unit,
                unit_span,
                kind: parsed.kind,
                currency: parsed.currency,
                qualifier: parser.qualifier(i),
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

/// Two quantities say the same amount: equal values, or the same share
/// written as a fraction and as a percentage ("half" / "50 %").
pub fn same_amount(a: &Quantity, b: &Quantity) -> bool {
    match (a.share(), b.share()) {
        (Some(x), Some(y)) => same_value(x, y),
        _ => same_value(a.value, b.value),
    }
}

/// A time unit in years ("decades" → 10, "months" → 1/12): "thirty years"
/// and "three decades" are one amount, "four decades" and "4 years" not.
fn years_per(u: &str) -> Option<f64> {
    let u = u.strip_suffix('s').unwrap_or(u);
    Some(match u {
        "second" => 1.0 / 31_557_600.0,
        "minute" => 1.0 / 525_960.0,
        "hour" | "hr" => 1.0 / 8_766.0,
        "day" => 1.0 / 365.25,
        "week" => 7.0 / 365.25,
        "month" => 1.0 / 12.0,
        "year" | "yr" => 1.0,
        "decade" => 10.0,
        "century" | "centurie" => 100.0,
        _ => return None,
    })
}

/// Bounds that change what a number says: "about" or "only" next to no
/// qualifier is the same claim, "at least" / "less than" next to another
/// bound or to none is not.
fn bound_changed(a: Option<Bound>, b: Option<Bound>) -> bool {
    let loose = |x: Option<Bound>| matches!(x, None | Some(Bound::About) | Some(Bound::Exactly));
    a != b && !(loose(a) && loose(b))
}

/// Quantities that can stand for one another: an ordinal only for an
/// ordinal, a year only for a year or a plain count.
fn comparable(a: &Quantity, b: &Quantity) -> bool {
    use QuantityKind::*;
    match (a.kind, b.kind) {
        (Ordinal, Ordinal) => true,
        (Ordinal, _) | (_, Ordinal) => false,
        (Year, x) | (x, Year) => matches!(x, Year | Count),
        _ => true,
    }
}

/// Two quantities paired across versions of a sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuantityChange {
    /// In the first text (the parent).
    pub a: Quantity,
    /// In the second text (the child).
    pub b: Quantity,
    /// A different amount (or a time unit of another magnitude: "four
    /// decades" → "4 years").
    pub value_changed: bool,
    /// The qualifier bounds the number another way ("at least" → "less
    /// than", "more than" dropped); "about" → "roughly" or "about" dropped
    /// is no change.
    pub qualifier_changed: bool,
    /// The counted word differs ("girders" → "beams"): usually a synonym.
    pub unit_changed: bool,
}

impl QuantityChange {
    /// Only the writing changed: "four" → "4", "32-member" → "32 member".
    pub fn surface_only(&self) -> bool {
        !self.value_changed && !self.qualifier_changed
    }

    fn of(a: &Quantity, b: &Quantity) -> QuantityChange {
        let units = (a.unit.as_deref(), b.unit.as_deref());
        // Amounts of time compare in years.
        let value_changed = match (units.0.and_then(years_per), units.1.and_then(years_per)) {
            (Some(x), Some(y)) => !same_value(a.value * x, b.value * y),
            _ => !same_amount(a, b),
        };
        let qa = a.qualifier.as_ref().map(|q| q.bound);
        let qb = b.qualifier.as_ref().map(|q| q.bound);
        let unit_key = |u: Option<&str>| u.map(|u| u.trim_end_matches('s').replace('-', " "));
        QuantityChange {
            a: a.clone(),
            b: b.clone(),
            value_changed,
            qualifier_changed: bound_changed(qa, qb),
            unit_changed: unit_key(units.0) != unit_key(units.1),
        }
    }
}

/// How a number is written, lower case, without its qualifier and counted
/// word (a spinner's "about" → "roughly" or "homes" → "houses" is not a
/// number change).
fn written(q: &Quantity, text: &str) -> String {
    let number = text.get(q.span.clone()).unwrap_or("");
    number
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The word right before the quantity or its qualifier, or right after the
/// number or its counted word, is the same in both texts.
fn same_neighbour(a: &str, x: &Quantity, b: &str, y: &Quantity) -> bool {
    let word = |t: &str| {
        t.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let before = |t: &str, at: usize| {
        t.get(..at)
            .and_then(|s| s.split_whitespace().last())
            .map(word)
    };
    let after = |t: &str, at: usize| {
        t.get(at..)
            .and_then(|s| s.split_whitespace().next())
            .map(word)
    };
    let some_eq =
        |p: Option<String>, q: Option<String>| p.is_some_and(|p| !p.is_empty() && Some(p) == q);
    let (fx, fy) = (x.full_span(), y.full_span());
    some_eq(before(a, fx.start), before(b, fy.start))
        || some_eq(before(a, x.span.start), before(b, y.span.start))
        || some_eq(after(a, fx.end), after(b, fy.end))
        || some_eq(after(a, x.span.end), after(b, y.span.end))
}

/// The changed run holds nothing but the two quantities.
fn only_numbers(run: &super::diff::Run, x: &Quantity, y: &Quantity) -> bool {
    let inside = |r: &Range<usize>, q: &Quantity| {
        let f = q.full_span();
        f.start <= r.start && r.end <= f.end
    };
    inside(&run.a, x) && inside(&run.b, y)
}

/// Longest replaced run read as a targeted edit: in a longer one (a
/// rewritten clause) numbers are paired only when they count the same thing.
const MAX_EDIT_WORDS: usize = 6;

/// Pairs the quantities of `a` and `b` (two versions of one sentence or
/// passage) through their word difference and reports the pairs written
/// differently. A quantity with no counterpart (a number added with new
/// words, or dropped with its clause) is not reported.
pub fn compare_quantities(a: &str, b: &str) -> Vec<QuantityChange> {
    let (qa, qb) = (quantities(a), quantities(b));
    if qa.is_empty() || qb.is_empty() {
        return Vec::new();
    }
    let runs = word_diff(a, b);
    let mut used_a = vec![false; qa.len()];
    let mut used_b = vec![false; qb.len()];
    let mut out = Vec::new();
    let overlaps = |r: &Range<usize>, s: &Range<usize>| r.start < s.end && s.start < r.end;
    let given =
        |qs: &[Quantity], q: &Quantity| qs.iter().any(|z| comparable(z, q) && same_amount(z, q));
    // Inside one changed run (or touching it), in order.
    for run in runs.iter().filter(|r| r.op != Op::Equal) {
        let words = |t: &str| t.split_whitespace().count();
        let long = words(&run.a_text) > MAX_EDIT_WORDS || words(&run.b_text) > MAX_EDIT_WORDS;
        let touch = |r: &Range<usize>, q: &Quantity| {
            overlaps(r, &q.full_span()) || (r.is_empty() && q.full_span().contains(&r.start))
        };
        let ia: Vec<usize> = (0..qa.len())
            .filter(|&i| !used_a[i] && touch(&run.a, &qa[i]))
            .collect();
        let ib: Vec<usize> = (0..qb.len())
            .filter(|&j| !used_b[j] && touch(&run.b, &qb[j]))
            .collect();
        for (&i, &j) in ia.iter().zip(&ib) {
            let (x, y) = (&qa[i], &qb[j]);
            // Two figures each still given by the other text, paired
            // crosswise by the diff because the sentence gives them in
            // another order ("212,000 in the US and 48,500 in Britain" /
            // "48,500 in the UK and 212,000 in the US"), are moved, not
            // changed. (A range turned round, "from 40 to 50" / "from 50
            // to 40", reads so too: the word difference still shows it.)
            if !same_amount(x, y) && given(&qb, x) && given(&qa, y) {
                continue;
            }
            let same_thing = x.unit.is_some() && x.unit == y.unit;
            let context = same_thing || same_neighbour(a, x, b, y) || only_numbers(run, x, y);
            if !comparable(x, y) || !context || (long && !same_thing && !same_amount(x, y)) {
                continue;
            }
            used_a[i] = true;
            used_b[j] = true;
            let change = QuantityChange::of(x, y);
            if written(x, a) != written(y, b) || change.qualifier_changed {
                out.push(change);
            }
        }
    }
    out.sort_by_key(|c| c.a.span.start);
    out
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
             the 55-year-old crossing; twelve hours; forty-two boats; 18 percent; 3rd day; roughly 1 / 4; \
             one hundred and five; $4.2 million; €300m; £1.5bn; one in four; 38 per cent; 60 %.",
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
            ("one hundred and five", 105.0),
            ("$4.2 million", 4.2e6),
            ("€300m", 3e8),
            ("£1.5bn", 1.5e9),
            ("one in four", 0.25),
            ("38 per cent", 38.0),
            ("60 %", 60.0),
        ];
        assert_eq!(v.len(), want.len(), "{v:?}");
        for ((t, x), (wt, wx)) in v.iter().zip(want) {
            assert_eq!(t, wt);
            assert!((x - wx).abs() < 1e-6 * wx.max(1.0), "{t}: {x} vs {wx}");
        }
    }

    #[test]
    fn kinds_units_and_qualifiers() {
        let q = quantities(
            "up to 140 academic posts, a 32-member council, 12%, the third day, in 2019, twice",
        );
        let got: Vec<(QuantityKind, Option<&str>, Option<Bound>)> = q
            .iter()
            .map(|q| {
                (
                    q.kind,
                    q.unit.as_deref(),
                    q.qualifier.as_ref().map(|x| x.bound),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (QuantityKind::Count, Some("academic"), Some(Bound::AtMost)),
                (QuantityKind::Count, Some("member"), None),
                (QuantityKind::Percent, Some("percent"), None),
                (QuantityKind::Ordinal, None, None),
                (QuantityKind::Year, None, None),
                (QuantityKind::Multiplier, None, None),
            ]
        );
        assert_eq!(
            q[0].qualifier.as_ref().map(|x| x.text.as_str()),
            Some("up to")
        );
        let m = quantities("a fund of 9.5 million crowns");
        assert_eq!((m[0].kind, m[0].value), (QuantityKind::Money, 9.5e6));
        assert!(quantities("no one of them").is_empty());
    }

    #[test]
    fn figures_given_in_another_order_are_not_changed() {
        let c = compare_quantities(
            "sold about 212,000 in the United States and 48,500 in Britain",
            "About 48,500 were sold in the UK and some 212,000 in the US",
        );
        assert!(c.iter().all(|q| !q.value_changed), "{c:?}");
        // A figure the other text gives nowhere is still a change.
        let c = compare_quantities(
            "sold 212,000 in the US and 48,500 in Britain",
            "sold 48,500 in the UK and 230,000 in the US",
        );
        assert!(
            c.iter().any(|q| q.value_changed && q.b.value == 230_000.0),
            "{c:?}"
        );
    }

    #[test]
    fn value_and_surface_changes() {
        let c = compare_quantities(
            "in one-fifth of its main steel girders",
            "in five of its principle metal beams",
        );
        assert_eq!(c.len(), 1);
        assert!(c[0].value_changed);
        let c = compare_quantities(
            "cut up to 140 academic posts",
            "cut up to 150 academic posts",
        );
        assert!(c[0].value_changed && !c[0].qualifier_changed);
        for (x, y) in [
            ("four bus routes", "4 bus routes"),
            ("a 32-member council", "a 32 member council"),
            ("fallen 38 percent since", "fallen 38 per cent since"),
            ("a cut of half", "a slash of 50 %"),
            ("a third of the staff", "a 3rd of the staff"),
            ("about a quarter said", "roughly 1 / 4 said"),
            ("one in four jobs", "1 in 4 jobs"),
            ("twice the volume", "two times the quantity"),
        ] {
            let c = compare_quantities(x, y);
            assert_eq!(c.len(), 1, "{x} / {y}: {c:?}");
            assert!(c[0].surface_only(), "{x} / {y}: {c:?}");
        }
        let c = compare_quantities(
            "almost four decades of car-making",
            "virtually 4 years of car-making",
        );
        assert!(c[0].value_changed);
        // Amounts of time compare in years.
        let c = compare_quantities("in more than thirty years", "in more than three decades");
        assert!(c[0].surface_only(), "{c:?}");
        // A bound turned around is a change; a synonym of "about" is none.
        let c = compare_quantities(
            "closed for at least 16 weeks",
            "closed for less than 16 weeks",
        );
        assert!(c[0].qualifier_changed && !c[0].value_changed);
        assert!(compare_quantities(
            "carries about 38,000 vehicles",
            "carries roughly 38,000 vehicles"
        )
        .is_empty());
        assert!(compare_quantities(
            "carries about 38,000 vehicles",
            "carries 38,000 automobiles"
        )
        .is_empty());
        // An ordinal is no count.
        assert!(
            compare_quantities("voted at the eleventh hour", "voted two days later").is_empty()
        );
        // Unchanged numbers and numbers without a counterpart are not reported.
        assert!(compare_quantities("about 300 homes", "about 300 houses").is_empty());
        assert!(compare_quantities(
            "was twice interrupted by protesters",
            "lasted four hours and was interrupted"
        )
        .is_empty());
    }

    proptest! {
        #[test]
        fn spans_are_in_bounds_on_char_boundaries(s in "\\PC{0,80}") {
            for q in quantities(&s) {
                prop_assert!(s.get(q.span.clone()) == Some(q.text.as_str()));
                prop_assert!(s.get(q.full_span()).is_some());
                prop_assert!(q.value.is_finite());
            }
        }

        #[test]
        fn number_like_text_never_panics(s in "([0-9]{1,4}[,./ %-]?|one|a|third|half|in|hundred|and|per|cent|\\$|£| ){0,12}") {
            for q in quantities(&s) {
                prop_assert!(s.get(q.span.clone()) == Some(q.text.as_str()));
            }
            let _ = compare_quantities(&s, "about 3 / 4 of the 1,200 posts");
        }
    }
}
