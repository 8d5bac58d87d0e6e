//! Changes across languages (issue 18): what a translation altered in
//! numbers and names, read language-independently over the sentence pairs
//! of a cross-language alignment ([`crate::relate::translated`]).
//!
//! Wording cannot be compared across languages, but two things survive
//! translation unchanged: **numbers** (their value, whatever the digit
//! grouping — "11.4 million" in English is "11,4 Millionen" in German and
//! "11,4 millions" in French — or number words, "three" / "drei" / "trois"
//! / "tres") and **names in Latin script** ("Renate Kowalski" stays
//! "Renate Kowalski"). In each aligned sentence pair a value of the parent
//! that the child lacks, while the child has a value the parent lacks, is
//! a changed number; a name of the parent written nearly but not exactly
//! the same in the child (edit distance 1–2, not an inflection ending) is a
//! name variant. A name the child leaves out is not reported: translators
//! rephrase ("City Hall" → "Rathaus").
//!
//! ```
//! use retold_core::changes::cross::values;
//! let v: Vec<f64> = values("Der Umbau kostete 11,4 Millionen Euro, drei Jahre lang.", "de")
//!     .iter().map(|x| x.value).collect();
//! assert_eq!(v, vec![11_400_000.0, 3.0]);
//! let v: Vec<f64> = values("The conversion cost 11.4 million euros over three years.", "en")
//!     .iter().map(|x| x.value).collect();
//! assert_eq!(v, vec![11_400_000.0, 3.0]);
//! ```

use super::numbers::same_value;
use super::{Change, ChangeKind, Excerpt};
use crate::align::Alignment;
use crate::text::translit::{cyrillic_or_greek, name_key, to_latin};
use crate::text::{Span, TextDoc};

/// A number in a sentence: its value and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub value: f64,
    /// Byte range in the sentence.
    pub start: usize,
    pub end: usize,
}

/// Number words 0–20, tens, and scales, per language (lower case).
fn word_value(w: &str, language: &str) -> Option<(f64, bool)> {
    // (value, is a scale word that multiplies the number before it)
    let small: &[&str] = match language {
        "en" => &[
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
            "twenty",
        ],
        "de" => &[
            "null",
            "eins",
            "zwei",
            "drei",
            "vier",
            "fünf",
            "sechs",
            "sieben",
            "acht",
            "neun",
            "zehn",
            "elf",
            "zwölf",
            "dreizehn",
            "vierzehn",
            "fünfzehn",
            "sechzehn",
            "siebzehn",
            "achtzehn",
            "neunzehn",
            "zwanzig",
        ],
        "fr" => &[
            "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
            "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit",
            "dix-neuf", "vingt",
        ],
        "es" => &[
            "cero",
            "uno",
            "dos",
            "tres",
            "cuatro",
            "cinco",
            "seis",
            "siete",
            "ocho",
            "nueve",
            "diez",
            "once",
            "doce",
            "trece",
            "catorce",
            "quince",
            "dieciséis",
            "diecisiete",
            "dieciocho",
            "diecinueve",
            "veinte",
        ],
        _ => &[],
    };
    // "one"/"un"/"uno" double as articles and pronouns: not counted.
    if let Some(k) = small.iter().position(|x| *x == w) {
        return (k != 1).then_some((k as f64, false));
    }
    // German inflected forms that still count: "einer", "zweier" are
    // rare; "ein" is an article.
    let tens: &[(&str, f64)] = match language {
        "en" => &[
            ("thirty", 30.0),
            ("forty", 40.0),
            ("fifty", 50.0),
            ("hundred", 100.0),
        ],
        "de" => &[
            ("dreißig", 30.0),
            ("vierzig", 40.0),
            ("fünfzig", 50.0),
            ("hundert", 100.0),
        ],
        "fr" => &[
            ("trente", 30.0),
            ("quarante", 40.0),
            ("cinquante", 50.0),
            ("cent", 100.0),
        ],
        "es" => &[
            ("treinta", 30.0),
            ("cuarenta", 40.0),
            ("cincuenta", 50.0),
            ("cien", 100.0),
        ],
        _ => &[],
    };
    if let Some((_, v)) = tens.iter().find(|(x, _)| *x == w) {
        return Some((*v, false));
    }
    scale_word(w).map(|x| (x, true))
}

/// The value of a scale word (lower case), in the languages news is
/// translated between most: "million", "Millionen", "millones", Italian
/// "milioni", Russian "млн" and "миллиона", Japanese and Chinese 万 and 億.
fn scale_word(w: &str) -> Option<f64> {
    let w = w.trim_end_matches('.');
    Some(match w {
        "thousand" | "tausend" | "mille" | "mil" | "mila" | "тыс" | "тысяч" | "тысячи"
        | "тысяча" | "千" => 1e3,
        "万" | "萬" => 1e4,
        "million" | "millions" | "millionen" | "mio" | "millón" | "millones" | "milione"
        | "milioni" | "млн" | "миллион" | "миллиона" | "миллионов" => {
            1e6
        }
        "億" | "亿" => 1e8,
        "billion"
        | "billions"
        | "milliarde"
        | "milliarden"
        | "mrd"
        | "milliard"
        | "milliards"
        | "miliardo"
        | "miliardi"
        | "млрд"
        | "миллиард"
        | "миллиарда"
        | "миллиардов" => 1e9,
        _ => return None,
    })
}

/// [`scale_word`] of one character (万, 億, 千).
fn scale_char(c: char) -> Option<f64> {
    scale_word(c.encode_utf8(&mut [0; 4]))
}

/// Words between two numbers that make them a range ("between 48 and 55
/// million", "zwischen 48 und 55 Millionen", "passée de 95 à 71
/// millions"): a scale word written once, after the second, is the
/// first's too. `Some(true)`: a range in either direction ("to", "bis",
/// "à", a dash); `Some(false)`: a conjunction, a range only when the
/// numbers rise ("60 staff and 4 million euros" is a count and an amount).
fn range_word(w: &str) -> Option<bool> {
    match w {
        "to" | "bis" | "à" | "a" | "до" | "-" | "–" | "—" | "~" | "〜" | "から" => {
            Some(true)
        }
        "and" | "or" | "und" | "oder" | "et" | "ou" | "y" | "o" | "e" | "i" | "и" | "или" => {
            Some(false)
        }
        _ => None,
    }
}

/// A character of the scripts written without spaces between words
/// (CJK ideographs, kana, Hangul and their punctuation blocks).
fn ideograph(c: char) -> bool {
    c as u32 >= 0x2E80 && !('\u{FF10}'..='\u{FF19}').contains(&c)
}

/// Lower case without accents ("México" and "Mexico" are one name).
fn unaccented(w: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    w.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether digits in `language` group thousands with "." and mark decimals
/// with "," (German, French, Spanish, Italian, …) rather than the English
/// way round.
fn comma_decimal(language: &str) -> bool {
    !matches!(language, "en" | "zh" | "ja" | "ko" | "he" | "th")
}

/// Parses a run of digits and separators in the conventions of `language`.
fn parse_digits(s: &str, language: &str) -> Option<f64> {
    let (group, decimal) = if comma_decimal(language) {
        ('.', ',')
    } else {
        (',', '.')
    };
    let mut clean = String::with_capacity(s.len());
    let parts: Vec<&str> = s.split(decimal).collect();
    if parts.len() > 2 {
        return None;
    }
    // A single group separator followed by exactly three digits groups
    // thousands; otherwise (e.g. "3.5" in a German text, "3,5" in an
    // English one) it is read as a decimal point written the other way.
    let whole = parts[0];
    let groups: Vec<&str> = whole.split(group).collect();
    if groups.len() > 1 && groups[1..].iter().all(|g| g.len() == 3) {
        clean.push_str(&groups.concat());
    } else if groups.len() == 2 && parts.len() == 1 {
        clean.push_str(groups[0]);
        clean.push('.');
        clean.push_str(groups[1]);
    } else if groups.len() == 1 {
        clean.push_str(whole);
    } else {
        return None;
    }
    if let Some(frac) = parts.get(1) {
        clean.push('.');
        clean.push_str(frac);
    }
    clean.parse().ok()
}

/// The numbers in `text` (a sentence) written in `language`: digit runs
/// with the language's grouping and decimal marks (a space between digit
/// groups too, as French writes "2 000"), number words in en, de, fr and
/// es, each times a scale word after it ("million", "Millionen",
/// "millions", "millones").
pub fn values(text: &str, language: &str) -> Vec<Value> {
    // Words: maximal runs of letters, digits and separators inside numbers
    // (a plain space groups digits in French, Polish, Russian, …).
    let space_groups = !matches!(language, "en" | "de" | "es" | "it" | "zh" | "ja");
    let mut words: Vec<(usize, usize)> = Vec::new();
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < bytes.len() {
        let (start, c) = bytes[k];
        if c.is_alphanumeric() {
            let mut e = k + 1;
            while e < bytes.len() {
                let c = bytes[e].1;
                // Chinese and Japanese write no spaces: a number is where the
                // digits are ("わずか5勝", "480万人"), a scale character
                // after them included; a number before 月 is a month.
                let prev = bytes[e - 1].1;
                let after_scale =
                    e >= 2 && bytes[e - 2].1.is_ascii_digit() && scale_char(prev).is_some();
                if (prev.is_ascii_digit() && ideograph(c) && scale_char(c).is_none())
                    || (ideograph(prev) && (c.is_ascii_digit() || after_scale))
                {
                    break;
                }
                let inner_sep = matches!(c, '.' | ',' | '\u{a0}' | '\u{202f}' | ' ')
                    && (c != ' ' || space_groups)
                    && bytes[e - 1].1.is_ascii_digit()
                    && bytes.get(e + 1).is_some_and(|x| x.1.is_ascii_digit())
                    && (c != ' '
                        || bytes[e + 1..]
                            .iter()
                            .take(4)
                            .filter(|x| x.1.is_ascii_digit())
                            .count()
                            == 3);
                if c.is_alphanumeric() || c == '-' && bytes[e - 1].1.is_alphabetic() || inner_sep {
                    e += 1;
                } else {
                    break;
                }
            }
            let end = bytes.get(e).map_or(text.len(), |x| x.0);
            words.push((start, end));
            k = e;
        } else {
            k += 1;
        }
    }
    // A month written with digits ("6月") is a date, not a figure.
    words.retain(|&(_, e)| !text[e..].starts_with('月'));
    let mut out: Vec<Value> = Vec::new();
    // Values multiplied by a scale word after them: (index, scale).
    let mut scaled: Vec<(usize, f64)> = Vec::new();
    let mut last_word_number = false;
    for &(s, e) in &words {
        let w = &text[s..e];
        let lower = w.to_lowercase();
        let digits: String = w
            .chars()
            .take_while(|c| {
                c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '\u{a0}' | '\u{202f}')
            })
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        let digits = digits.trim_end_matches(['.', ',']);
        let value = if !digits.is_empty() && w.starts_with(|c: char| c.is_ascii_digit()) {
            // A scale written onto the digits: "480万", "6млн".
            let rest = lower.trim_start_matches(|c: char| {
                c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '\u{a0}' | '\u{202f}')
            });
            let scale = scale_word(rest)
                .or_else(|| rest.chars().next().and_then(scale_char))
                .unwrap_or(1.0);
            parse_digits(digits, language).map(|v| (v * scale, false))
        } else {
            word_value(&lower, language)
        };
        match value {
            Some((scale, true)) if last_word_number => {
                if let Some(prev) = out.last_mut() {
                    prev.value *= scale;
                    prev.end = e;
                }
                scaled.push((out.len() - 1, scale));
                last_word_number = false;
            }
            Some((_, true)) => last_word_number = false,
            Some((v, false)) => {
                out.push(Value {
                    value: v,
                    start: s,
                    end: e,
                });
                last_word_number = true;
            }
            None => last_word_number = false,
        }
    }
    // A range with its scale written once: the first number takes the
    // second's scale when only a range word stands between them and the
    // first is the smaller ("48 und 55 Millionen" is 48 and 55 million).
    for &(k, scale) in &scaled {
        let Some(first) = k.checked_sub(1) else {
            continue;
        };
        if scaled.iter().any(|x| x.0 == first) {
            continue;
        }
        let between = text[out[first].end..out[k].start].trim();
        let second = out[k].value / scale;
        let either_way = range_word(&between.to_lowercase());
        if either_way == Some(true) || either_way == Some(false) && out[first].value <= second {
            out[first].value *= scale;
        }
    }
    out
}

/// A Latin-script name in a sentence: a capitalized word that is not the
/// sentence's first word, of 3 letters or more.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Whether `w` is written in Latin letters, parts of a double name joined
/// by hyphens included ("Drury-Clarke").
fn latin_word(w: &str) -> bool {
    !w.starts_with('-')
        && !w.ends_with('-')
        && w.chars().all(|c| {
            c == '-' || (c.is_alphabetic() && (c.is_ascii() || ('\u{c0}'..='\u{24f}').contains(&c)))
        })
}

/// The names of `text` (see [`Name`]).
pub fn names(text: &str) -> Vec<Name> {
    let mut out = Vec::new();
    for (k, (start, w)) in word_spans(text).into_iter().enumerate() {
        if k == 0 || w.chars().count() < 3 || !latin_word(w) {
            continue;
        }
        if w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().skip(1).any(char::is_lowercase)
        {
            out.push(Name {
                text: w.to_string(),
                start,
                end: start + w.len(),
            });
        }
    }
    out
}

/// Words of `text` (letters, digits, inner apostrophes and hyphens) with
/// their byte offsets.
fn word_spans(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let inside = |c: char| c.is_alphanumeric() || c == '\'' || c == '-';
    for (i, c) in text.char_indices() {
        match (start, inside(c)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out.into_iter()
        .filter_map(|(s, w)| {
            let t = w.trim_start_matches(['\'', '-']);
            let lead = w.len() - t.len();
            let t = t.trim_end_matches(['\'', '-']);
            (!t.is_empty()).then_some((s + lead, t))
        })
        .collect()
}

/// How `name` (a word of a text in `name_language`) appears in `text` (a
/// sentence in `text_language`): exactly (`Some((name, true))`), nearly (a
/// capitalized word at edit distance 1 for names of up to 6 letters, 2
/// above, with the same first letter, and not the name with an inflection
/// ending: `Some((variant, false))`), or not at all.
///
/// An inflection ending is one the language of the longer word puts on
/// names ([`name_endings`]): German "Lindenhags" is Lindenhag, but French
/// "Drury-Clark" is not English "Drury-Clarke" (French adds no ending, and
/// English only "'s").
pub fn name_in(
    name: &str,
    name_language: &str,
    text: &str,
    text_language: &str,
) -> Option<(String, bool)> {
    let words = names_anywhere(text);
    let n = name.chars().count();
    let limit = if n <= 6 { 1 } else { 2 };
    let script = |w: &str| w.chars().any(cyrillic_or_greek);
    // Across scripts ("Окафор" for "Okafor") a name is found when the name
    // keys (`text::translit`) are within the edit limit, and never reported
    // as a variant: a translator transliterates by ear ("Eldridge" /
    // "Элдридж", "Neil" / "Нил"), so a letter or two says nothing.
    let found_across = words.iter().find(|w| {
        script(w) != script(name) && {
            let (x, y) = (name_key(w), name_key(name));
            let d = strsim::levenshtein(&x, &y);
            d <= limit
                || x.strip_prefix(y.as_str())
                    .is_some_and(|end| name_endings(text_language).contains(&end))
        }
    });
    let words: Vec<String> = words
        .iter()
        .filter(|w| script(w) == script(name))
        .cloned()
        .collect();
    if let Some(w) = words
        .iter()
        .find(|w| *w == name || unaccented(w) == unaccented(name))
        .or(found_across)
    {
        return Some((w.clone(), true));
    }
    let inflected = |w: &str| {
        let (long, short, language) = if w.len() > name.len() {
            (w, name, text_language)
        } else {
            (name, w, name_language)
        };
        long.strip_prefix(short)
            .is_some_and(|end| name_endings(language).contains(&end))
    };
    words
        .into_iter()
        .filter(|w| w.chars().next() == name.chars().next() && !inflected(w))
        .map(|w| (strsim::levenshtein(&w, name), w))
        .filter(|(d, w)| *d >= 1 && *d <= limit && w.chars().count() >= 3)
        .min_by_key(|x| x.0)
        .map(|(_, w)| (w, false))
}

/// The endings `language` puts on a name written in Latin letters (a
/// genitive, a case): none in the Romance languages, the possessive in
/// English, the genitive and the demonym's "-er" in German and Dutch, the
/// case endings of the Slavic, Baltic and Finno-Ugric languages; for a
/// language not listed, all of these.
fn name_endings(language: &str) -> &'static [&'static str] {
    match language {
        "fr" | "es" | "it" | "pt" | "ca" | "ro" => &[],
        "en" => &["'s"],
        "de" | "nl" | "da" | "sv" | "no" | "nb" => &["s", "es", "n", "en", "'s", "er"],
        "ru" | "uk" | "be" | "bg" | "mk" => &[
            "a", "u", "e", "i", "om", "oi", "im", "ei", "ia", "iu", "ov", "ova", "ogo", "omu",
        ],
        "pl" | "cs" | "sk" | "sl" | "hr" | "sr" | "bs" | "lt" | "lv" | "fi" | "et" | "hu" => &[
            "a", "e", "u", "y", "i", "em", "om", "ie", "owi", "ego", "emu", "ym", "n", "en", "in",
            "ssa", "lle", "sta", "ja",
        ],
        _ => &["s", "es", "n", "en", "'s", "e", "er", "a"],
    }
}

/// Capitalized words in Latin, Cyrillic or Greek letters anywhere in
/// `text`, the first included.
fn names_anywhere(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .map(|w| w.trim_matches(['\'', '-']))
        .filter(|w| {
            (latin_word(w) || to_latin(w).is_some())
                && w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().skip(1).any(char::is_lowercase)
        })
        .map(str::to_string)
        .collect()
}

/// The number and name changes of `child` against `parent` (texts in two
/// languages), over the sentence pairs of `alignment` (child is side A).
pub fn cross_language_changes(
    child: &TextDoc,
    parent: &TextDoc,
    alignment: &Alignment,
) -> Vec<Change> {
    let mut out = Vec::new();
    for pair in &alignment.pairs {
        let (Some(&cs), Some(&ps)) = (
            child.sentences.get(pair.a.start),
            parent.sentences.get(pair.b.start),
        ) else {
            continue;
        };
        let (ct, pt) = (child.text(cs), parent.text(ps));
        let excerpt = |doc: &TextDoc, sentence: Span, start: usize, end: usize, text: &str| {
            let clean = Span {
                start: sentence.start + start,
                end: sentence.start + end,
            };
            Excerpt {
                text: text[start..end].to_string(),
                span: doc.to_original_span(clean),
            }
        };
        let (cv, pv) = (values(ct, child.language), values(pt, parent.language));
        let only = |xs: &[Value], ys: &[Value]| -> Vec<Value> {
            xs.iter()
                .filter(|x| !ys.iter().any(|y| same_value(x.value, y.value)))
                .cloned()
                .collect()
        };
        let (lost, new) = (only(&pv, &cv), only(&cv, &pv));
        for (p, c) in lost.iter().zip(&new) {
            out.push(Change {
                kind: ChangeKind::NumberChanged,
                parent: Some(excerpt(parent, ps, p.start, p.end, pt)),
                child: Some(excerpt(child, cs, c.start, c.end, ct)),
                detail: Some(format!(
                    "{} → {} (across languages)",
                    fmt_value(p.value),
                    fmt_value(c.value)
                )),
            });
        }
        for name in names(pt) {
            // A capitalized function word ("She" after a quotation) is no name.
            let span = Span {
                start: ps.start + name.start,
                end: ps.start + name.end,
            };
            if parent.tokens_in(span).iter().any(|t| t.is_stop) {
                continue;
            }
            if let Some((variant, false)) = name_in(&name.text, parent.language, ct, child.language)
            {
                // "January" is "Januar" in German: the same month.
                if calendar_word(&name.text).is_some()
                    && calendar_word(&name.text) == calendar_word(&variant)
                {
                    continue;
                }
                let Some(at) = find_word(ct, &variant) else {
                    continue;
                };
                out.push(Change {
                    kind: ChangeKind::NameVariant,
                    parent: Some(excerpt(parent, ps, name.start, name.end, pt)),
                    child: Some(excerpt(child, cs, at, at + variant.len(), ct)),
                    detail: Some("spelled otherwise across languages".into()),
                });
            }
        }
    }
    out
}

/// Months and weekdays in English, German, French, Spanish, Italian,
/// Portuguese and Dutch: which month (1-12) or weekday (101-107) a word
/// names. A translation writes them in its own language, and many are a
/// letter or two from the English ("June" / "Juni", "April" / "Abril"):
/// not a garbled name.
pub(crate) fn calendar_word(w: &str) -> Option<u8> {
    const TABLE: &[(u8, &[&str])] = &[
        (
            1,
            &[
                "january", "januar", "janvier", "enero", "gennaio", "janeiro", "januari",
            ],
        ),
        (
            2,
            &[
                "february",
                "februar",
                "février",
                "febrero",
                "febbraio",
                "fevereiro",
                "februari",
            ],
        ),
        (3, &["march", "märz", "mars", "marzo", "março", "maart"]),
        (4, &["april", "avril", "abril", "aprile"]),
        (5, &["may", "mai", "mayo", "maggio", "maio", "mei"]),
        (6, &["june", "juni", "juin", "junio", "giugno", "junho"]),
        (7, &["july", "juli", "juillet", "julio", "luglio", "julho"]),
        (8, &["august", "août", "agosto", "augustus"]),
        (
            9,
            &[
                "september",
                "septembre",
                "septiembre",
                "settembre",
                "setembro",
            ],
        ),
        (
            10,
            &[
                "october", "oktober", "octobre", "octubre", "ottobre", "outubro",
            ],
        ),
        (11, &["november", "novembre", "noviembre", "novembro"]),
        (
            12,
            &[
                "december",
                "dezember",
                "décembre",
                "diciembre",
                "dicembre",
                "dezembro",
            ],
        ),
        (
            101,
            &["monday", "montag", "lundi", "lunes", "lunedì", "maandag"],
        ),
        (
            102,
            &[
                "tuesday", "dienstag", "mardi", "martes", "martedì", "dinsdag",
            ],
        ),
        (
            103,
            &[
                "wednesday",
                "mittwoch",
                "mercredi",
                "miércoles",
                "mercoledì",
                "woensdag",
            ],
        ),
        (
            104,
            &[
                "thursday",
                "donnerstag",
                "jeudi",
                "jueves",
                "giovedì",
                "donderdag",
            ],
        ),
        (
            105,
            &[
                "friday", "freitag", "vendredi", "viernes", "venerdì", "vrijdag",
            ],
        ),
        (
            106,
            &[
                "saturday", "samstag", "samedi", "sábado", "sabato", "zaterdag",
            ],
        ),
        (
            107,
            &[
                "sunday", "sonntag", "dimanche", "domingo", "domenica", "zondag",
            ],
        ),
    ];
    let w = w.to_lowercase();
    TABLE
        .iter()
        .find(|(_, names)| names.contains(&w.as_str()))
        .map(|(k, _)| *k)
}

/// The byte offset of `word` as a whole word in `text`.
fn find_word(text: &str, word: &str) -> Option<usize> {
    text.match_indices(word).map(|x| x.0).find(|&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn fmt_value(v: f64) -> String {
    for (scale, word) in [(1e9, "billion"), (1e6, "million")] {
        if v.abs() >= scale {
            return format!("{} {word}", fmt_value(v / scale));
        }
    }
    let rounded = (v * 1000.0).round() / 1000.0;
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(t: &str, l: &str) -> Vec<f64> {
        values(t, l).iter().map(|v| v.value).collect()
    }

    #[test]
    fn digits_in_each_convention() {
        assert_eq!(vals("mehr als 2.000 Besucher", "de"), vec![2000.0]);
        assert_eq!(vals("more than 2,000 visitors", "en"), vec![2000.0]);
        assert_eq!(vals("plus de 2 000 visiteurs", "fr"), vec![2000.0]);
        assert_eq!(
            vals("rund 85.000 Bücher, 11,4 Millionen Euro", "de"),
            vec![85000.0, 11_400_000.0]
        );
        assert_eq!(
            vals("some 85,000 books, 11.4 million euros", "en"),
            vec![85000.0, 11_400_000.0]
        );
        assert_eq!(vals("von 9 bis 20 Uhr", "de"), vec![9.0, 20.0]);
        assert_eq!(vals("in 2026.", "en"), vec![2026.0]);
    }

    #[test]
    fn number_words_in_four_languages() {
        assert_eq!(vals("three days of rain", "en"), vec![3.0]);
        assert_eq!(vals("drei Tage Regen", "de"), vec![3.0]);
        assert_eq!(vals("trois jours de pluie", "fr"), vec![3.0]);
        assert_eq!(vals("tres días de lluvia", "es"), vec![3.0]);
        // Articles are not numbers.
        assert!(vals("un homme, une femme", "fr").is_empty());
        assert_eq!(vals("two million people", "en"), vec![2e6]);
    }

    #[test]
    fn a_range_shares_its_scale_and_scales_have_many_spellings() {
        assert_eq!(
            vals("zwischen 48 und 55 Millionen Pfund", "de"),
            vec![48e6, 55e6]
        );
        assert_eq!(
            vals("between 48 million and 55 million pounds", "en"),
            vec![48e6, 55e6]
        );
        assert_eq!(vals("de 48 à 55 millions", "fr"), vec![48e6, 55e6]);
        assert_eq!(vals("passée de 95 à 71 millions", "fr"), vec![95e6, 71e6]);
        // Not a range: a count, then an amount.
        assert_eq!(vals("60 staff and 4 million euros", "en"), vec![60.0, 4e6]);
        assert_eq!(vals("ущерб в 6 млн фунтов", "ru"), vec![6e6]);
        assert_eq!(vals("6,5 млрд рублей", "ru"), vec![6.5e9]);
        assert_eq!(vals("480万人", "ja"), vec![4.8e6]);
        assert_eq!(
            vals(
                "2023年6月に就任し、1年目に導いたが、わずか5勝にとどまっている。",
                "ja"
            ),
            vec![2023.0, 1.0, 5.0]
        );
        assert_eq!(vals("3 milioni di euro", "it"), vec![3e6]);
    }

    #[test]
    fn months_in_another_language_are_not_name_changes() {
        assert_eq!(calendar_word("June"), calendar_word("Juni"));
        assert_ne!(calendar_word("June"), calendar_word("Juli"));
        assert_eq!(calendar_word("Kowalski"), None);
    }

    #[test]
    fn names_exact_near_and_inflected() {
        let ns: Vec<String> = names("Mayor Renate Kowalski opened it.")
            .into_iter()
            .map(|n| n.text)
            .collect();
        assert_eq!(ns, vec!["Renate", "Kowalski"]);
        assert_eq!(
            name_in(
                "Kowalski",
                "en",
                "Bürgermeisterin Renate Kowalski sprach.",
                "de"
            ),
            Some(("Kowalski".into(), true))
        );
        assert_eq!(
            name_in(
                "Kowalski",
                "en",
                "Bürgermeisterin Renate Kowalsky sprach.",
                "de"
            ),
            Some(("Kowalsky".into(), false))
        );
        // A genitive is the same name.
        assert_eq!(
            name_in("Lindenhag", "en", "die Bibliothek Lindenhags", "de"),
            None
        );
        assert_eq!(name_in("Kowalski", "en", "Der Rat sprach.", "de"), None);
        // French puts no ending on a name: a letter less is another name.
        assert_eq!(
            name_in("Drury-Clarke", "en", "Mme Drury-Clark a déclaré", "fr"),
            Some(("Drury-Clark".into(), false))
        );
        // Across scripts, by the name keys: the same name, and with a
        // Russian case ending.
        assert_eq!(
            name_in("Okafor", "en", "Мэр Инес Окафор заявила", "ru"),
            Some(("Окафор".into(), true))
        );
        // Transliterated by ear: found, never a variant.
        assert_eq!(
            name_in("Eldridge", "en", "сказал Элдридж", "ru"),
            Some(("Элдридж".into(), true))
        );
        assert_eq!(
            name_in("Okafor", "en", "слова Окафора", "ru"),
            Some(("Окафора".into(), true))
        );
        assert_eq!(name_in("Okafor", "en", "Мэр Инес Петрова", "ru"), None);
        // Nor does English: the German source's genitive is its name.
        assert_eq!(name_in("Okafors", "de", "Okafor said", "en"), None);
        // An accent is the same name.
        assert_eq!(
            name_in("Mexico", "en", "La planta de México cerrará.", "es"),
            Some(("México".into(), true))
        );
    }
}
