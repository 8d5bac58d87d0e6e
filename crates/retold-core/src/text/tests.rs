//! Tests of the whole text stage, and a throughput probe.

use super::*;

/// A news article as scrapers deliver it: curly quotes, a non-breaking
/// space, CRLF line ends, a share line, an ad, a photo credit, a trailing bio
/// and a "Source link".
const SCRAPED: &str = "City Council Approves Flood Plan\r\n\r\n\
(AP Photo/Evan Vucci)\r\n\r\n\
WEXCOMBE \u{2014} The city council on Tuesday approved a $3.5\u{a0}million flood plan, \
Mayor Jane Smith said. \u{201c}We will rebuild.\u{201d} The vote was 7-2.\r\n\r\n\
Advertisement\r\n\r\n\
Sen. Tom Reyes, who chairs the U.S. Senate panel on No. 5 of the list, called it \
\u{201c}a good start\u{201d} and said the 32-member board would meet on Jan. 5 at 10 a.m. local time.\r\n\r\n\
Share this:\r\nFacebook\r\nTwitter\r\n\r\n\
Jane Doe is a senior reporter at the Wexcombe Gazette covering city hall.\r\n\r\n\
Source link";

#[test]
fn scraped_article_end_to_end() {
    let doc = analyze(SCRAPED, None);
    assert_eq!(doc.language, "en");
    let labels: Vec<&str> = doc.removed.iter().map(|r| r.label).collect();
    assert_eq!(
        labels,
        [
            "photo-credit",
            "advertisement",
            "share",
            "share",
            "share",
            "author-bio",
            "source-link"
        ]
    );
    for r in &doc.removed {
        let raw = &SCRAPED[r.span.range()];
        assert!(!raw.contains('\n'), "{raw:?}");
    }
    let sentences: Vec<&str> = doc.sentences.iter().map(|&s| doc.text(s)).collect();
    assert_eq!(
        sentences,
        [
            "City Council Approves Flood Plan",
            "WEXCOMBE - The city council on Tuesday approved a $3.5 million flood plan, Mayor Jane Smith said.",
            "\"We will rebuild.\"",
            "The vote was 7-2.",
            "Sen. Tom Reyes, who chairs the U.S. Senate panel on No. 5 of the list, called it \"a good start\" \
             and said the 32-member board would meet on Jan. 5 at 10 a.m. local time.",
        ]
    );
    assert_eq!(doc.paragraphs.len(), 3);
    // Every sentence maps back onto the raw text it came from.
    for &s in &doc.sentences {
        let o = doc.to_original_span(s);
        let raw = &SCRAPED[o.range()];
        let again = normalize(raw).text;
        assert_eq!(again, doc.text(s), "raw {raw:?}");
    }
    let numbers: Vec<&str> = doc
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Number)
        .map(|t| doc.text(t.span))
        .collect();
    assert_eq!(numbers, ["3.5", "7", "2", "5", "32", "5", "10"]);
}

#[test]
fn ascii_sentences_map_back_exactly() {
    let raw = "  The mayor spoke on Monday.  She said the plan, e.g. the dam, would hold.\n\n\
               Dr. Who left.   Nobody followed.  ";
    let doc = analyze(raw, Some("en"));
    assert_eq!(doc.sentences.len(), 4);
    for &s in &doc.sentences {
        let o = doc.to_original_span(s);
        assert_eq!(&raw[o.range()], doc.text(s));
    }
    for t in &doc.tokens {
        let o = doc.to_original_span(t.span);
        assert_eq!(&raw[o.range()], doc.text(t.span));
    }
}

#[test]
fn language_comes_from_hint_then_detection_then_english() {
    let de = "Die Bundesregierung hat am Mittwoch beschlossen, die Steuern für kleine \
              Unternehmen im kommenden Jahr deutlich zu senken.";
    assert_eq!(analyze(de, None).language, "de");
    assert_eq!(analyze(de, Some("en")).language, "en");
    assert_eq!(analyze(de, Some("nonsense")).language, "de");
    assert_eq!(analyze("Hi.", None).language, "en");
    let fr = "Le gouvernement a annoncé mercredi une baisse des impôts pour les petites \
              entreprises l'année prochaine.";
    let doc = analyze(fr, None);
    assert_eq!(doc.language, "fr");
    assert!(doc
        .tokens
        .iter()
        .any(|t| t.is_stop && doc.text(t.span) == "les"));
}

#[test]
fn sentence_tokens_and_tokens_in() {
    let doc = analyze("One two. Three four five.", Some("en"));
    assert_eq!(doc.sentence_tokens(0).len(), 2);
    assert_eq!(doc.sentence_tokens(1).len(), 3);
    assert!(doc.sentence_tokens(2).is_empty());
    assert_eq!(doc.word_count(), 5);
}

#[test]
fn empty_and_whitespace_input() {
    for raw in ["", "   ", "\n\n\n", "\u{200b}\u{feff}"] {
        let doc = analyze(raw, None);
        assert_eq!(doc.clean, "");
        assert!(doc.sentences.is_empty() && doc.tokens.is_empty());
        assert_eq!(doc.to_original(0), 0);
    }
}

/// A ~3 KB English news article for the throughput probe.
fn article_3kb() -> String {
    let para = "The city council on Tuesday approved a $3.5 million flood defence plan after \
                months of debate, Mayor Jane Smith said. \u{201c}We will rebuild,\u{201d} she told \
                reporters outside City Hall, adding that the 32-member board would meet again on \
                Jan. 5. Sen. Tom Reyes, who chairs the U.S. Senate panel on infrastructure, called \
                the vote a good start but warned that one-fifth of the money had not been found.";
    let mut s = String::from("Council Approves Flood Plan\n\n");
    while s.len() < 3000 {
        s.push_str(para);
        s.push_str("\n\n");
    }
    s.push_str("Advertisement\n\nSource link");
    s
}

/// CPU time of this thread in seconds (Linux), so that other processes
/// on a busy machine do not inflate the numbers; wall time elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Measures `f` over `rounds` calls: seconds per call (thread CPU time when
/// available).
fn time_per_call(rounds: usize, mut f: impl FnMut()) -> f64 {
    let wall = std::time::Instant::now();
    let cpu = cpu_seconds();
    for _ in 0..rounds {
        f();
    }
    let secs = match (cpu, cpu_seconds()) {
        (Some(a), Some(b)) => b - a,
        _ => wall.elapsed().as_secs_f64(),
    };
    secs / rounds as f64
}

/// Throughput of `analyze`; run with
/// `cargo test --release -p retold-core text::tests::throughput -- --ignored --nocapture`.
#[test]
#[ignore]
fn throughput() {
    let article = article_3kb();
    let rounds = 5_000;
    let mb = article.len() as f64 / 1e6;
    for (hint, name) in [(Some("en"), "with language hint"), (None, "with detection")] {
        let t = time_per_call(rounds, || {
            std::hint::black_box(analyze(std::hint::black_box(&article), hint));
        });
        println!(
            "analyze {name}: {} bytes/article, {:.1} MB/s, {:.0} articles/s, {:.1} us/article",
            article.len(),
            mb / t,
            1.0 / t,
            t * 1e6
        );
    }
    let clean = analyze(&article, Some("en")).clean;
    let us = |t: f64| t * 1e6;
    let t_norm = time_per_call(rounds, || {
        std::hint::black_box(normalize(std::hint::black_box(&article)));
    });
    let t_boiler = time_per_call(rounds, || {
        std::hint::black_box(find_boilerplate(std::hint::black_box(&clean)));
    });
    let t_sent = time_per_call(rounds, || {
        std::hint::black_box(split_sentences(std::hint::black_box(&clean), "en"));
    });
    let t_tok = time_per_call(rounds, || {
        std::hint::black_box(tokenize(std::hint::black_box(&clean), "en"));
    });
    let t_lang = time_per_call(rounds, || {
        std::hint::black_box(detect_language(std::hint::black_box(&clean)));
    });
    println!(
        "per article: normalize {:.1} us, boilerplate {:.1} us, sentences {:.1} us, tokens {:.1} us, language {:.1} us",
        us(t_norm),
        us(t_boiler),
        us(t_sent),
        us(t_tok),
        us(t_lang)
    );
}

/// Fields of a CSV file with quoted fields ("" escapes a quote).
fn csv_records(data: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = data.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (c, _) => field.push(c),
        }
    }
    records
}

/// Language detection against the labeled multilingual SemEval-2022 sample
/// in `../shared/data` (skipped when absent); run with
/// `cargo test --release -p retold-core text::tests::language_accuracy -- --ignored --nocapture`.
#[test]
#[ignore]
fn language_accuracy() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/semeval2022-task8-sample-train/training_set.csv"
    );
    let Ok(data) = std::fs::read_to_string(path) else {
        println!("no data at {path}");
        return;
    };
    let records = csv_records(&data);
    let mut texts = Vec::new();
    for r in records.iter().skip(1) {
        if r.len() >= 6 {
            texts.push((r[2].clone(), r[4].clone()));
            texts.push((r[3].clone(), r[5].clone()));
        }
    }
    let (mut right, mut wrong, mut none) = (0, 0, 0);
    for (lang, text) in &texts {
        match detect_language(text) {
            Some(l) if l == lang => right += 1,
            Some(_) => wrong += 1,
            None => none += 1,
        }
    }
    println!(
        "{} texts (mean {} bytes): right {right}, wrong {wrong}, none {none}",
        texts.len(),
        texts.iter().map(|t| t.1.len()).sum::<usize>() / texts.len().max(1)
    );
}
