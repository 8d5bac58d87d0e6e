//! Property tests of the whole text stage.

use proptest::prelude::*;

use super::{analyze, normalize, Span, TextDoc};

/// Strings built from the characters the normalizer treats specially, so
/// that the interesting cases come up far more often than in random Unicode.
fn tricky() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "B",
        "e",
        "z",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\r\n",
        "\t",
        "-",
        "--",
        ",",
        ".",
        "...",
        "?",
        "!",
        ":",
        ";",
        "(",
        ")",
        "[",
        "]",
        "\"",
        "'",
        "\u{201c}",
        "\u{201d}",
        "\u{2019}",
        "\u{ab}",
        "\u{bb}",
        "\u{2039}",
        "\u{203a}",
        "\u{2014}",
        "\u{2013}",
        "\u{2212}",
        "\u{a0}",
        "\u{200b}",
        "\u{ad}",
        "\u{feff}",
        "\u{301}",
        "\u{308}",
        "\u{fb01}",
        "\u{2026}",
        "\u{bd}",
        "\u{2028}",
        "\u{2029}",
        "\u{b4}",
        "\u{2033}",
        "\u{1100}",
        "\u{1161}",
        "\u{11a8}",
        "\u{ac00}",
        "Mr.",
        "U.S.",
        "No. 5",
        "3.5",
        "1,200",
        "J. ",
        "Read more: x",
        "Advertisement",
        "Source link",
        "\u{e9}",
        "\u{df}",
        "\u{130}",
        "\u{3000}",
        "\u{ff21}",
        "1. ",
        "- ",
        "\u{2022} ",
        "Jane Doe is a reporter at X.",
        "well-",
        "face -to -face",
        "( x )",
        "0",
        "7",
        "\u{0f73}",
        "\u{0f71}",
        "<",
        "\u{338}",
        // Arabic script with digits glued to words (`text::tokens`).
        "\u{06a9}\u{06d2}",
        "\u{0645}\u{06cc}\u{06ba}",
        "\u{06f3}\u{06f9}",
        "\u{066b}",
        "\u{05d1}",
        "\u{06d4}",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

fn check_doc(raw: &str, doc: &TextDoc) -> Result<(), TestCaseError> {
    let clean = &doc.clean;
    let in_bounds = |s: Span| s.start <= s.end && s.end <= clean.len();
    let on_chars = |s: Span| clean.is_char_boundary(s.start) && clean.is_char_boundary(s.end);
    let mut last_end = 0;
    for &s in &doc.sentences {
        prop_assert!(in_bounds(s) && on_chars(s), "sentence {s:?}");
        prop_assert!(s.start >= last_end, "sentences overlap or are out of order");
        prop_assert!(!s.is_empty());
        last_end = s.end;
    }
    let mut last_end = 0;
    for t in &doc.tokens {
        prop_assert!(in_bounds(t.span) && on_chars(t.span), "token {:?}", t.span);
        prop_assert!(t.span.start >= last_end);
        last_end = t.span.end;
    }
    for p in &doc.paragraphs {
        prop_assert!(in_bounds(*p) && on_chars(*p));
    }
    for r in &doc.removed {
        prop_assert!(r.span.start <= r.span.end && r.span.end <= raw.len());
        prop_assert!(raw.is_char_boundary(r.span.start) && raw.is_char_boundary(r.span.end));
    }
    let mut prev = 0;
    for pos in 0..=clean.len() {
        let o = doc.to_original(pos);
        prop_assert!(o <= raw.len(), "to_original({pos}) = {o} > {}", raw.len());
        prop_assert!(o >= prev, "to_original not monotone at {pos}");
        if clean.is_char_boundary(pos) {
            prop_assert!(
                raw.is_char_boundary(o),
                "to_original({pos}) = {o} splits a char"
            );
        }
        prev = o;
    }
    for &s in &doc.sentences {
        let o = doc.to_original_span(s);
        prop_assert!(o.start <= o.end && o.end <= raw.len());
        prop_assert!(raw.is_char_boundary(o.start) && raw.is_char_boundary(o.end));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn analyze_any_unicode(raw in any::<String>()) {
        let doc = analyze(&raw, None);
        check_doc(&raw, &doc)?;
    }

    #[test]
    fn analyze_tricky_text(raw in tricky(), lang in prop::sample::select(vec!["en", "de", "fr", "ur", "xx"])) {
        let doc = analyze(&raw, Some(lang));
        check_doc(&raw, &doc)?;
    }

    #[test]
    fn normalize_is_idempotent_on_any_unicode(raw in any::<String>()) {
        let once = normalize(&raw).text;
        prop_assert_eq!(normalize(&once).text, once);
    }

    #[test]
    fn normalize_is_idempotent_on_tricky_text(raw in tricky()) {
        let once = normalize(&raw).text;
        prop_assert_eq!(normalize(&once).text, once);
    }

    /// Plain ASCII text that needs no normalization maps back exactly.
    #[test]
    fn clean_ascii_maps_back_exactly(words in prop::collection::vec("[A-Za-z]{1,8}", 1..30)) {
        let raw = format!("{}.", words.join(" "));
        let doc = analyze(&raw, Some("en"));
        for &s in &doc.sentences {
            let o = doc.to_original_span(s);
            prop_assert_eq!(&raw[o.range()], doc.text(s));
        }
    }
}
