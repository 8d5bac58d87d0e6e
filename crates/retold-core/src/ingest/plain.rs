//! Plain text and Markdown, with optional header lines.
//!
//! ```text
//! Title: Harbor bridge closes after crack found
//! Source: Harbor Gazette
//! URL: https://harbor-gazette.example/2026/03/bridge
//! Date: 2026-03-14T09:30:00Z
//! By: Mara Quill
//!
//! The body starts after the first blank line.
//! ```
//!
//! Recognized keys (any case): `Title`, `Headline`, `Source`, `Outlet`,
//! `URL`, `Link`, `Date`, `Published`, `By`, `Byline`, `Author`, `Language`,
//! `Lang`, `Id`. Other `Key: value` lines in the header block go to metadata.
//! In Markdown a first line `# Heading` is the title when no `Title:` is given.
//!
//! **Leading date lines.** Up to three lines at the top of the body (after
//! the header and the heading) that are only a date, or a date keyword and a
//! date, are read and removed: `date 2025-08-19`, `Published: 19 August
//! 2025`, `Updated Aug. 20, 2025 4:32 PM EDT`, `Posted on 2025/08/19 | by
//! Mara Quill`, `19 August 2025`. A publication keyword (`published`,
//! `posted`, `date`) wins over `updated`, which is kept as metadata
//! `modified` and stands in only when nothing else dates the file. A line is
//! taken only when every word after the keyword is a date word (numbers,
//! months, weekdays, clock times, am/pm, zones, `at`, `on`), apart from a
//! short tail after a separator (`|`, `·`, `-`, `by`), so "Published
//! reports say…" or "Updated figures from March 2025 show…" stay body text.

use crate::article::ArticleDraft;
use crate::error::IngestErrorKind;

/// Reads one text or Markdown file.
pub fn read(bytes: &[u8], markdown: bool) -> Result<ArticleDraft, IngestErrorKind> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut draft = ArticleDraft::default();
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            // Old text files are often Windows-1252; decode and say so.
            let (s, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            draft
                .metadata
                .insert("encoding".into(), "windows-1252 (not valid UTF-8)".into());
            s.into_owned()
        }
    };
    let text = text.replace("\r\n", "\n");
    let body = parse_header(&text, &mut draft);
    let mut body = body.trim_start_matches('\n');
    if markdown || draft.title.is_none() {
        if let Some(rest) = body.strip_prefix("# ") {
            let (heading, after) = rest.split_once('\n').unwrap_or((rest, ""));
            if draft.title.is_none() {
                draft.title = Some(heading.trim().to_string());
            }
            body = after;
        }
    }
    let body = take_date_lines(body, &mut draft);
    draft.text = body.trim().to_string();
    if draft.text.is_empty() {
        return Err(IngestErrorKind::NoText);
    }
    Ok(draft)
}

/// Fills the draft from leading `Key: value` lines; returns the rest.
/// A block counts as a header only if it names at least one known key, so
/// prose that opens with "Officials said: …" stays body text.
fn parse_header<'a>(text: &'a str, draft: &mut ArticleDraft) -> &'a str {
    let mut consumed = 0;
    let mut pairs = Vec::new();
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if !pairs.is_empty() {
                consumed += line.len();
            }
            break;
        }
        let Some(pair) = header_pair(trimmed) else {
            break;
        };
        pairs.push(pair);
        consumed += line.len();
    }
    if !pairs.iter().any(|(k, _)| known_key(k).is_some()) {
        return text;
    }
    for (key, value) in pairs {
        let value = value.to_string();
        match known_key(key) {
            Some(Key::Title) => draft.title = Some(value),
            Some(Key::Source) => draft.source = Some(value),
            Some(Key::Url) => draft.url = Some(value),
            Some(Key::Date) => draft.published = Some(value),
            Some(Key::Byline) => draft.byline = Some(value),
            Some(Key::Language) => draft.language = Some(value),
            Some(Key::Id) => draft.id = Some(value),
            None => {
                draft
                    .metadata
                    .insert(key.to_ascii_lowercase(), value.into());
            }
        }
    }
    &text[consumed..]
}

/// What a leading date line says the date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum DateKind {
    Published,
    Plain,
    Updated,
}

/// Reads and removes up to three leading date lines (see the module doc).
fn take_date_lines<'a>(body: &'a str, draft: &mut ArticleDraft) -> &'a str {
    let mut rest = body.trim_start_matches('\n');
    let mut found: Vec<(DateKind, String)> = Vec::new();
    for _ in 0..3 {
        let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
        let Some(date) = date_line(line) else {
            break;
        };
        found.push(date);
        rest = after.trim_start_matches('\n');
    }
    if found.is_empty() {
        return body;
    }
    if draft.published.is_none() {
        draft.published = found.iter().min_by_key(|(k, _)| *k).map(|(_, d)| d.clone());
    }
    if let Some((_, updated)) = found.iter().find(|(k, _)| *k == DateKind::Updated) {
        if draft.published.as_deref() != Some(updated.as_str()) {
            draft
                .metadata
                .entry("modified".into())
                .or_insert_with(|| updated.clone().into());
        }
    }
    rest
}

/// A line that is a date, with an optional keyword before it: the kind and
/// the date words (the raw date string).
fn date_line(line: &str) -> Option<(DateKind, String)> {
    // Markdown emphasis around the line: `*Published 19 August 2025*`.
    let line = line.trim().trim_matches(['*', '_']).trim();
    if line.is_empty() || line.len() > 120 {
        return None;
    }
    let keywords: [(&str, DateKind); 14] = [
        ("first published", DateKind::Published),
        ("last updated", DateKind::Updated),
        ("last modified", DateKind::Updated),
        ("published", DateKind::Published),
        ("posted", DateKind::Published),
        ("dated", DateKind::Plain),
        ("date", DateKind::Plain),
        ("updated", DateKind::Updated),
        ("modified", DateKind::Updated),
        ("veröffentlicht", DateKind::Published),
        ("aktualisiert", DateKind::Updated),
        ("publié", DateKind::Published),
        ("publicado", DateKind::Published),
        ("actualizado", DateKind::Updated),
    ];
    let (kind, after) = keywords
        .iter()
        .find_map(|(k, kind)| {
            let head = line.get(..k.len())?;
            let rest = &line[k.len()..];
            // A whole word, any case: "Dateline" is not a keyword.
            if head.to_lowercase() != *k || rest.chars().next().is_some_and(char::is_alphanumeric) {
                return None;
            }
            Some((*kind, rest))
        })
        .unwrap_or((DateKind::Plain, line));
    let after = after.trim_start_matches([':', ' ', '\t']);
    let after = strip_word(after, "on").unwrap_or(after);
    let words: Vec<&str> = after.split_whitespace().collect();
    let n = words.iter().take_while(|w| is_date_word(w)).count();
    if n == 0 {
        return None;
    }
    let tail = &words[n..];
    // A short tail after a separator ("| By Mara Quill", "· 5 min read"),
    // never a sentence ("Aug. 19, 2025 — The mayor resigned.").
    let tail_ok = match (tail.first(), tail.last()) {
        (Some(first), Some(last)) => {
            (matches!(*first, "|" | "·" | "-" | "–" | "—" | "•")
                || first.eq_ignore_ascii_case("by"))
                && tail.len() <= 6
                && !last.ends_with(['.', '!', '?', ':', ';'])
        }
        _ => true,
    };
    if !tail_ok {
        return None;
    }
    let date = words[..n]
        .join(" ")
        .trim_end_matches([',', '|', '·'])
        .to_string();
    // A date needs a year or a month beside its digits, and must parse.
    if !date.chars().any(|c| c.is_ascii_digit()) || crate::dates::parse_date(&date).is_none() {
        return None;
    }
    Some((kind, date))
}

fn strip_word<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    let (first, rest) = s.split_once(char::is_whitespace)?;
    first.eq_ignore_ascii_case(word).then(|| rest.trim_start())
}

/// A word that can be part of a written date or time.
fn is_date_word(word: &str) -> bool {
    let w = word.trim_matches(|c: char| matches!(c, ',' | '(' | ')'));
    let w = w.strip_suffix('.').unwrap_or(w).to_lowercase();
    if w.is_empty() {
        return false;
    }
    const WORDS: [&str; 13] = [
        "at", "on", "am", "pm", "a.m", "p.m", "gmt", "utc", "z", "the", "of", "um", "le",
    ];
    if WORDS.contains(&w.as_str()) {
        return true;
    }
    if crate::dates::is_month_word(&w) || crate::dates::is_weekday_word(&w) {
        return true;
    }
    // Zone abbreviations: EST, CEST, AEDT…
    if (2..=5).contains(&w.len())
        && word.chars().all(|c| c.is_ascii_uppercase())
        && w.ends_with('t')
    {
        return true;
    }
    // Numbers, ordinals, ISO dates and clock times: digits with date punctuation.
    let digits = w.chars().filter(char::is_ascii_digit).count();
    let ordinal = ["st", "nd", "rd", "th"].iter().any(|s| {
        w.strip_suffix(s)
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    });
    ordinal
        || (digits > 0
            && w.chars().all(|c| {
                c.is_ascii_digit() || matches!(c, '-' | '/' | '.' | ':' | '+' | 't' | 'z')
            }))
        || matches!(w.strip_suffix("am").or(w.strip_suffix("pm")), Some(n) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == ':'))
}

enum Key {
    Title,
    Source,
    Url,
    Date,
    Byline,
    Language,
    Id,
}

fn known_key(key: &str) -> Option<Key> {
    Some(match key.to_ascii_lowercase().as_str() {
        "title" | "headline" => Key::Title,
        "source" | "outlet" | "publisher" => Key::Source,
        "url" | "link" | "canonical" => Key::Url,
        "date" | "published" | "pubdate" => Key::Date,
        "by" | "byline" | "author" => Key::Byline,
        "language" | "lang" => Key::Language,
        "id" => Key::Id,
        _ => return None,
    })
}

/// `Key: value` where Key is one or two short words and the value is short.
fn header_pair(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim();
    let value = value.trim();
    let ok_key = !key.is_empty()
        && key.len() <= 24
        && key.split_whitespace().count() <= 2
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '_')
        && key.chars().next().is_some_and(char::is_alphabetic);
    if ok_key && !value.is_empty() && (known_key(key).is_some() || value.len() <= 200) {
        Some((key, value))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_then_body() {
        let d = read(
            b"Title: A bridge closes\nSource: Harbor Gazette\nURL: https://hg.example/a\nDate: 2026-03-14\nBy: Mara Quill\nSection: City\n\nFirst paragraph.\n\nSecond.",
            false,
        )
        .unwrap();
        assert_eq!(d.title.as_deref(), Some("A bridge closes"));
        assert_eq!(d.source.as_deref(), Some("Harbor Gazette"));
        assert_eq!(d.url.as_deref(), Some("https://hg.example/a"));
        assert_eq!(d.published.as_deref(), Some("2026-03-14"));
        assert_eq!(d.byline.as_deref(), Some("Mara Quill"));
        assert_eq!(d.metadata["section"], "City");
        assert_eq!(d.text, "First paragraph.\n\nSecond.");
    }

    #[test]
    fn no_header_keeps_everything() {
        let d = read(b"Officials said: the bridge is closed.\nMore text.", false).unwrap();
        // A colon line that names no known key is prose, not a header.
        assert_eq!(d.text, "Officials said: the bridge is closed.\nMore text.");
        assert!(d.title.is_none());
    }

    #[test]
    fn markdown_heading_is_title() {
        let d = read(b"# Storm hits coast\n\nWaves rose.", true).unwrap();
        assert_eq!(d.title.as_deref(), Some("Storm hits coast"));
        assert_eq!(d.text, "Waves rose.");
    }

    #[test]
    fn crlf_and_bom() {
        let d = read(b"\xEF\xBB\xBFTitle: T\r\n\r\nBody line.\r\n", false).unwrap();
        assert_eq!(d.title.as_deref(), Some("T"));
        assert_eq!(d.text, "Body line.");
    }

    #[test]
    fn latin1_is_decoded_and_marked() {
        let d = read(b"Caf\xe9 opens on the pier.", false).unwrap();
        assert_eq!(d.text, "Café opens on the pier.");
        assert!(d.metadata.contains_key("encoding"));
    }

    #[test]
    fn leading_date_lines_are_read_and_removed() {
        for (file, want) in [
            ("date 2025-08-19\nThe mayor resigned.", "2025-08-19"),
            (
                "date 2025-08-19 14:05 UTC\n\nThe mayor resigned.",
                "2025-08-19 14:05 UTC",
            ),
            (
                "Published: 19 August 2025\n\nThe mayor resigned.",
                "19 August 2025",
            ),
            (
                "Published on Tuesday, Aug. 19, 2025 at 4:32 p.m. EDT\nThe mayor resigned.",
                "Tuesday, Aug. 19, 2025 at 4:32 p.m. EDT",
            ),
            (
                "Posted 2025/08/19 | By Mara Quill\nThe mayor resigned.",
                "2025/08/19",
            ),
            ("19 August 2025\nThe mayor resigned.", "19 August 2025"),
            (
                "*Published 19 August 2025*\n\nThe mayor resigned.",
                "19 August 2025",
            ),
            ("Updated Aug 20, 2025\nThe mayor resigned.", "Aug 20, 2025"),
        ] {
            let d = read(file.as_bytes(), false).unwrap();
            assert_eq!(d.published.as_deref(), Some(want), "{file:?}");
            assert_eq!(d.text, "The mayor resigned.", "{file:?}");
            assert!(crate::dates::parse_date(want).is_some(), "{want}");
        }
    }

    #[test]
    fn published_beats_updated_and_header_date_stays() {
        let d = read(
            b"# Mayor resigns\n\nUpdated 20 August 2025 10:00\nPublished 19 August 2025 08:00\n\nThe mayor resigned.",
            true,
        )
        .unwrap();
        assert_eq!(d.title.as_deref(), Some("Mayor resigns"));
        assert_eq!(d.published.as_deref(), Some("19 August 2025 08:00"));
        assert_eq!(d.metadata["modified"], "20 August 2025 10:00");
        assert_eq!(d.text, "The mayor resigned.");
        // A header Date is not overridden by a date line below it.
        let d = read(
            b"Date: 2025-08-18\n\nPublished 19 August 2025\nThe mayor resigned.",
            false,
        )
        .unwrap();
        assert_eq!(d.published.as_deref(), Some("2025-08-18"));
        assert_eq!(d.text, "The mayor resigned.");
    }

    #[test]
    fn sentences_that_start_like_dates_stay() {
        for body in [
            "Published reports say the mayor will resign.",
            "Updated figures from March 2025 show exports rose 5%.",
            "May 5, 2025 was a day the town will remember.",
            "Aug. 19, 2025 — The mayor resigned on Tuesday.",
            "Date palms line the harbour road.",
            "2025 was a hard year for the harbour.",
            "Dateline: Harbor City.",
        ] {
            let d = read(format!("{body}\nMore text.").as_bytes(), false).unwrap();
            assert_eq!(d.published, None, "{body}");
            assert_eq!(d.text, format!("{body}\nMore text."));
        }
    }

    #[test]
    fn header_only_is_no_text() {
        assert_eq!(
            read(b"Title: Only a title\n\n", false).unwrap_err(),
            IngestErrorKind::NoText
        );
    }
}
