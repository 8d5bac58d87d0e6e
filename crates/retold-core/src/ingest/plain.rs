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
    fn header_only_is_no_text() {
        assert_eq!(
            read(b"Title: Only a title\n\n", false).unwrap_err(),
            IngestErrorKind::NoText
        );
    }
}
