//! Property tests: readers and parsers never panic, and round trips hold.

use std::ops::ControlFlow;

use proptest::prelude::*;
use retold_core::article::{canonical_url, ArticleDraft, Origin};
use retold_core::ingest::{read_format, Format, Limits};

fn run(format: Format, bytes: &[u8]) -> Vec<Result<ArticleDraft, String>> {
    let limits = Limits {
        max_file_bytes: 1 << 20,
        max_record_bytes: 4096,
    };
    let mut out = Vec::new();
    let mut r = bytes;
    let _ = read_format(format, "p", &mut r, &limits, &mut |rec| {
        out.push(rec.map(|(d, _)| d).map_err(|e| e.to_string()));
        ControlFlow::Continue(())
    });
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_reader_survives_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        for f in Format::ALL {
            for d in run(f, &bytes).into_iter().flatten() {
                let _ = d.finish(Origin::whole("p"));
            }
        }
    }

    #[test]
    fn jsonl_round_trips_strings(
        id in "[a-z0-9-]{1,12}",
        title in "\\PC{0,40}",
        text in "\\PC{1,200}",
    ) {
        prop_assume!(!text.trim().is_empty());
        let line = serde_json::json!({"id": id, "title": title, "text": text}).to_string();
        let input = format!("{line}\n");
        let out = run(Format::Jsonl, input.as_bytes());
        prop_assert_eq!(out.len(), 1);
        let d = out[0].as_ref().unwrap();
        prop_assert_eq!(d.id.as_deref(), Some(id.as_str()));
        prop_assert_eq!(&d.text, &text);
    }

    #[test]
    fn text_header_round_trips(
        title in "[A-Za-z][A-Za-z0-9 ,'-]{0,60}",
        body in "[A-Za-z][A-Za-z0-9 .,;'\n-]{0,300}",
    ) {
        let file = format!("Title: {title}\nURL: https://x.example/a\n\n{body}");
        let out = run(Format::Text, file.as_bytes());
        prop_assert_eq!(out.len(), 1);
        if body.trim().is_empty() {
            prop_assert!(out[0].is_err());
        } else {
            let d = out[0].as_ref().unwrap();
            prop_assert_eq!(d.title.as_deref(), Some(title.trim()));
            prop_assert_eq!(d.text.as_str(), body.trim());
        }
    }

    #[test]
    fn canonical_url_is_idempotent(
        host in "[a-z]{1,10}\\.example",
        path in "(/[a-z0-9]{1,8}){0,4}/?",
        query in "(\\?[a-z]{1,5}=[a-z0-9]{0,5}(&utm_[a-z]{1,6}=[a-z]{1,4})?)?",
    ) {
        let raw = format!("https://WWW.{host}{path}{query}#frag");
        let once = canonical_url(&raw).unwrap();
        let twice = canonical_url(&once);
        prop_assert_eq!(twice.as_deref(), Some(once.as_str()));
        prop_assert!(!once.contains("utm_"));
        prop_assert!(!once.contains('#'));
    }

    #[test]
    fn leading_date_line_round_trips(
        year in 1990i16..2026,
        month in 1i8..=12,
        day in 1i8..=28,
        shape in 0usize..5,
        keyword in prop::sample::select(vec!["", "date ", "Date: ", "Published: ", "Posted on ", "Updated "]),
        body in "[A-Z][a-z]{1,8}( [a-z]{1,8}){2,12}\\.",
    ) {
        let months = ["January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December"];
        let name = months[month as usize - 1];
        let date = match shape {
            0 => format!("{year}-{month:02}-{day:02}"),
            1 => format!("{day} {name} {year}"),
            2 => format!("{name} {day}, {year} 4:32 PM EST"),
            3 => format!("{year}-{month:02}-{day:02}T10:00:00+08:00"),
            _ => format!("{day:02}.{month:02}.{year}"),
        };
        let file = format!("{keyword}{date}\n\n{body}");
        let out = run(Format::Text, file.as_bytes());
        let d = out[0].as_ref().unwrap();
        prop_assert_eq!(d.text.as_str(), body.as_str());
        let raw = d.published.as_deref().unwrap();
        let at = retold_core::dates::parse_dated(raw).unwrap();
        prop_assert_eq!(at.local_day, jiff::civil::date(year, month, day));
    }

    #[test]
    fn text_without_a_date_line_is_kept_whole(body in "[A-Za-z][A-Za-z .,;'\n-]{0,300}") {
        prop_assume!(!body.trim().is_empty());
        let out = run(Format::Text, body.as_bytes());
        let d = out[0].as_ref().unwrap();
        if d.title.is_none() && d.metadata.is_empty() && d.published.is_none() {
            prop_assert_eq!(d.text.as_str(), body.trim());
        }
        // No digits, no date: nothing may be read as one.
        prop_assert!(d.published.is_none());
    }

    #[test]
    fn dates_never_panic(s in "\\PC{0,60}") {
        let _ = retold_core::dates::parse_date(&s);
    }
}
