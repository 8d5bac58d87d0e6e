//! Names across scripts (issue 18): a Russian translation writes "Ines
//! Okafor" as "Инес Окафор", a Greek one as "Ίνες Οκαφόρ". To compare
//! names across languages, a word in Cyrillic or Greek letters is
//! transliterated into Latin letters ([`to_latin`]), and every name, of
//! either script, is reduced to a **name key** ([`name_key`]) that forgets
//! what transliteration conventions disagree on: letter case and accents,
//! doubled letters, `w`/`v`, `y`/`j`/`i`, `c`/`k`/`q`, `ph`/`f`, `kh`/`h`,
//! `x`/`ks`. Two spellings of one name get one key; a name changed by a
//! letter or two still differs.
//!
//! ```
//! use retold_core::text::translit::{name_key, to_latin};
//! assert_eq!(to_latin("Окафор").as_deref(), Some("okafor"));
//! assert_eq!(name_key("Okafor"), name_key("Окафор"));
//! assert_eq!(name_key("Kowalski"), name_key("Ковальски"));
//! assert_eq!(name_key("Kowalski"), name_key("Kowalsky"));
//! assert_ne!(name_key("Rourke"), name_key("Roarke"));
//! // Latin words are not transliterated.
//! assert_eq!(to_latin("Okafor"), None);
//! ```

use unicode_normalization::UnicodeNormalization;

/// The Latin letters of one Cyrillic or Greek letter (lower case), or
/// `None` for a letter of neither script.
fn letter(c: char) -> Option<&'static str> {
    Some(match c {
        // Russian, Ukrainian, Belarusian, Bulgarian, Serbian Cyrillic.
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'ґ' => "g",
        'д' => "d",
        'ђ' => "dj",
        'е' => "e",
        'ё' => "e",
        'є' => "ye",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'і' => "i",
        'ї' => "yi",
        'й' => "y",
        'ј' => "j",
        'к' => "k",
        'л' => "l",
        'љ' => "lj",
        'м' => "m",
        'н' => "n",
        'њ' => "nj",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'ћ' => "c",
        'у' => "u",
        'ў' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'џ' => "dz",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        // Greek (accents are stripped before).
        'α' => "a",
        'β' => "v",
        'γ' => "g",
        'δ' => "d",
        'ε' => "e",
        'ζ' => "z",
        'η' => "i",
        'θ' => "th",
        'ι' => "i",
        'κ' => "k",
        'λ' => "l",
        'μ' => "m",
        'ν' => "n",
        'ξ' => "x",
        'ο' => "o",
        'π' => "p",
        'ρ' => "r",
        'σ' | 'ς' => "s",
        'τ' => "t",
        'υ' => "y",
        'φ' => "f",
        'χ' => "ch",
        'ψ' => "ps",
        'ω' => "o",
        _ => return None,
    })
}

/// `word` in Latin letters (lower case) when it is written in Cyrillic or
/// Greek letters (hyphens kept); `None` for a word in any other script or
/// mixing scripts.
pub fn to_latin(word: &str) -> Option<String> {
    let mut out = String::new();
    let mut any = false;
    for c in word.nfd().flat_map(char::to_lowercase) {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c == '-' {
            out.push(c);
            continue;
        }
        out.push_str(letter(c)?);
        any = true;
    }
    any.then_some(out)
}

/// The key of a name in Latin letters or in a script [`to_latin`] reads:
/// lower case, no accents, and the spelling differences of
/// transliteration conventions folded (see the module docs).
pub fn name_key(word: &str) -> String {
    let latin = to_latin(word).unwrap_or_else(|| {
        word.nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .collect()
    });
    let folded = latin
        .replace("ph", "f")
        .replace("kh", "h")
        .replace("ck", "k")
        .replace('x', "ks");
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        let c = match c {
            'w' => 'v',
            'y' | 'j' => 'i',
            'c' | 'q' => 'k',
            _ => c,
        };
        if out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Whether `c` is a Cyrillic or Greek letter.
pub fn cyrillic_or_greek(c: char) -> bool {
    matches!(c, '\u{370}'..='\u{3ff}' | '\u{400}'..='\u{52f}' | '\u{1f00}'..='\u{1fff}')
        && c.is_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_two_scripts_share_a_key() {
        for (latin, other) in [
            ("Okafor", "Окафор"),
            ("Kowalski", "Ковальски"),
            ("Alexis", "Алексис"),
            ("Christodoulou", "Χριστοδούλου"),
        ] {
            let (a, b) = (name_key(latin), name_key(other));
            let d = strsim::levenshtein(&a, &b);
            assert!(d <= 2, "{latin} {other}: {a} {b}");
        }
        assert_eq!(name_key("Okafor"), name_key("Окафор"));
        assert_eq!(name_key("Alexis"), name_key("Алексис"));
        // A changed name keeps its difference.
        assert_ne!(name_key("Okafor"), name_key("Окафур"));
        assert_eq!(to_latin("Mixed Окафор"), None);
        assert_eq!(to_latin("東京"), None);
    }
}
