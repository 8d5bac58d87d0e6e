//! JSON Lines: one article object per line (also a JSON array of them, or
//! one object in a `.json` file).
//!
//! Fields: `id`, `url`, `source`, `title`, `byline` (or `author`),
//! `published` (or `date`), `language` (or `lang`), and `text` or `html`
//! (one is required). Every other field is kept as metadata.

use std::io::BufRead;
use std::ops::ControlFlow;

use serde_json::{Map, Value};

use super::{Emit, Limits};
use crate::article::{ArticleDraft, Origin, Position};
use crate::error::{IngestError, IngestErrorKind};

/// Lines parsed together on all cores before they are emitted in order.
const PARSE_BATCH_LINES: usize = 512;
/// ... or fewer lines when they hold this many bytes.
const PARSE_BATCH_BYTES: usize = 32 << 20;

/// Streams lines; a bad line is reported with its number and the rest go on.
///
/// Lines are parsed in batches on all cores (JSON parsing is most of the
/// cost of reading a large JSON Lines file) and emitted in input order.
pub fn read(
    reader: &mut dyn BufRead,
    name: &str,
    limits: &Limits,
    emit: &mut Emit,
) -> ControlFlow<()> {
    let mut line_no: u64 = 0;
    let mut buf = Vec::new();
    let mut pending: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut pending_bytes = 0;
    loop {
        buf.clear();
        line_no += 1;
        let origin = Origin::new(name, Position::Line { line: line_no });
        let n = match read_line_limited(reader, &mut buf, limits.max_record_bytes) {
            Ok(Some(n)) => n,
            Ok(None) => return flush(&mut pending, name, emit),
            Err(e) => {
                flush(&mut pending, name, emit)?;
                return emit(Err(super::source::read_error(origin, &e)));
            }
        };
        if n > limits.max_record_bytes {
            let kind = IngestErrorKind::TooLarge {
                what: "record",
                size: n,
                limit: limits.max_record_bytes,
            };
            flush(&mut pending, name, emit)?;
            pending_bytes = 0;
            emit(Err(IngestError::new(origin, kind)))?;
            continue;
        }
        let line = buf.trim_ascii();
        let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        if line_no == 1 {
            if line.first() == Some(&b'[') {
                // A JSON array file: read it whole, entries numbered from 1.
                return read_array(line, reader, name, limits, emit);
            }
            if line == b"{" && parse_value(line).is_err() {
                // A pretty-printed single object spans lines: the whole file.
                return read_array(line, reader, name, limits, emit);
            }
        }
        pending_bytes += line.len();
        pending.push((line_no, line.to_vec()));
        if pending.len() >= PARSE_BATCH_LINES || pending_bytes >= PARSE_BATCH_BYTES {
            flush(&mut pending, name, emit)?;
            pending_bytes = 0;
        }
    }
}

/// Parses the pending lines in parallel and emits them in order.
fn flush(pending: &mut Vec<(u64, Vec<u8>)>, name: &str, emit: &mut Emit) -> ControlFlow<()> {
    use rayon::prelude::*;
    let parsed: Vec<_> = pending
        .par_iter()
        .map(|(line_no, line)| {
            let origin = Origin::new(name, Position::Line { line: *line_no });
            match parse_value(line) {
                Ok(Value::Object(map)) => object_to_draft(map)
                    .map(|d| (d, origin.clone()))
                    .map_err(|k| IngestError::new(origin, k)),
                Ok(_) => Err(IngestError::new(
                    origin,
                    IngestErrorKind::InvalidJson("expected an object".into()),
                )),
                Err(e) => Err(IngestError::new(origin, e)),
            }
        })
        .collect();
    pending.clear();
    for r in parsed {
        emit(r)?;
    }
    ControlFlow::Continue(())
}

fn parse_value(bytes: &[u8]) -> Result<Value, IngestErrorKind> {
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(IngestErrorKind::InvalidUtf8(e.valid_up_to() as u64));
    }
    serde_json::from_slice(bytes).map_err(|e| IngestErrorKind::InvalidJson(e.to_string()))
}

/// Reads a whole JSON document (array of objects, or one object).
fn read_array(
    first: &[u8],
    reader: &mut dyn BufRead,
    name: &str,
    limits: &Limits,
    emit: &mut Emit,
) -> ControlFlow<()> {
    let mut all = first.to_vec();
    all.push(b'\n');
    let whole = Origin::whole(name);
    match super::source::read_limited(reader, limits.max_file_bytes, "file") {
        Ok(rest) => all.extend(rest),
        Err(k) => return emit(Err(IngestError::new(whole, k))),
    }
    let items = match parse_value(&all) {
        Ok(Value::Array(items)) => items,
        Ok(obj @ Value::Object(_)) => vec![obj],
        Ok(_) => {
            let k = IngestErrorKind::InvalidJson("expected an array of objects".into());
            return emit(Err(IngestError::new(whole, k)));
        }
        Err(k) => return emit(Err(IngestError::new(whole, k))),
    };
    for (i, item) in items.into_iter().enumerate() {
        let origin = Origin::new(
            name,
            Position::Entry {
                entry: i as u64 + 1,
            },
        );
        let r = match item {
            Value::Object(map) => object_to_draft(map),
            _ => Err(IngestErrorKind::InvalidJson("expected an object".into())),
        };
        emit(
            r.map(|d| (d, origin.clone()))
                .map_err(|k| IngestError::new(origin, k)),
        )?;
    }
    ControlFlow::Continue(())
}

/// Maps a JSON object onto a draft; `html` is run through main-text extraction.
pub fn object_to_draft(mut map: Map<String, Value>) -> Result<ArticleDraft, IngestErrorKind> {
    let mut draft = ArticleDraft {
        id: take_string_or_number(&mut map, "id")?,
        url: take_string(&mut map, &["url", "link", "canonical_url"])?,
        source: take_string(&mut map, &["source", "outlet", "publisher"])?,
        title: take_string(&mut map, &["title", "headline"])?,
        byline: take_string(&mut map, &["byline", "author"])?,
        published: None,
        language: take_string(&mut map, &["language", "lang"])?,
        ..Default::default()
    };
    // `published`, else `date`, else the page's own date: the first one that
    // is a plausible date (a `0001-01-01` placeholder gives way).
    let mut dates: Vec<String> = Vec::new();
    dates.extend(take_string_or_number(&mut map, "published")?);
    dates.extend(take_string_or_number(&mut map, "date")?);
    let text = take_string(&mut map, &["text", "body", "content"])?;
    let html = take_string(&mut map, &["html"])?;
    match (text, html) {
        (Some(t), _) if !t.trim().is_empty() => draft.text = t,
        (_, Some(h)) => {
            let page = super::html::extract_article(&h, draft.url.as_deref())?;
            draft.text = page.text;
            draft.title = draft.title.or(page.title);
            draft.byline = draft.byline.or(page.byline);
            dates.extend(page.published);
            draft.source = draft.source.or(page.source);
            draft.language = draft.language.or(page.language);
            draft.url = draft.url.or(page.url);
        }
        (Some(_), None) => return Err(IngestErrorKind::NoText),
        (None, None) => return Err(IngestErrorKind::MissingField("text")),
    }
    draft.published = crate::dates::choose_date(dates, jiff::Timestamp::now());
    draft.metadata = map.into_iter().collect();
    Ok(draft)
}

fn take_string(
    map: &mut Map<String, Value>,
    keys: &[&'static str],
) -> Result<Option<String>, IngestErrorKind> {
    for &k in keys {
        match map.remove(k) {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) => return Ok(Some(s)),
            // An author list: join names.
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                let names: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                return Ok(Some(names.join(", ")));
            }
            Some(_) => {
                return Err(IngestErrorKind::WrongType {
                    field: k,
                    expected: "a string",
                })
            }
        }
    }
    Ok(None)
}

fn take_string_or_number(
    map: &mut Map<String, Value>,
    key: &'static str,
) -> Result<Option<String>, IngestErrorKind> {
    match map.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(IngestErrorKind::WrongType {
            field: key,
            expected: "a string or a number",
        }),
    }
}

/// Reads one line into `buf`, keeping at most `limit` bytes of it. Returns
/// `None` at the end of input, else the line's full length (without the
/// newline). Never holds more than `limit` bytes, whatever the line's size.
fn read_line_limited(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: u64,
) -> std::io::Result<Option<u64>> {
    let mut total: u64 = 0;
    let mut consumed_any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(consumed_any.then_some(total));
        }
        consumed_any = true;
        let (chunk_len, content_len, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, i, true),
            None => (available.len(), available.len(), false),
        };
        let room = limit.saturating_sub(buf.len() as u64) as usize;
        buf.extend_from_slice(&available[..content_len.min(room)]);
        total += content_len as u64;
        reader.consume(chunk_len);
        if done {
            return Ok(Some(total));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str, limits: Limits) -> Vec<Result<ArticleDraft, String>> {
        let mut out = Vec::new();
        let mut r = input.as_bytes();
        let _ = read(&mut r, "in.jsonl", &limits, &mut |rec| {
            out.push(rec.map(|(d, _)| d).map_err(|e| e.to_string()));
            ControlFlow::Continue(())
        });
        out
    }

    #[test]
    fn batches_keep_input_order_and_line_numbers() {
        // More lines than one parse batch, an oversized line and bad lines
        // between them: every record comes out in order, numbered right.
        let n = PARSE_BATCH_LINES * 2 + 7;
        let mut input = String::new();
        for k in 1..=n {
            match k % 100 {
                13 => input.push_str("{broken\n"),
                50 => input.push_str(&format!(
                    "{{\"id\":\"{k}\",\"text\":\"{}\"}}\n",
                    "x".repeat(300)
                )),
                _ => input.push_str(&format!("{{\"id\":\"{k}\",\"text\":\"Body {k}.\"}}\n")),
            }
        }
        let limits = Limits {
            max_record_bytes: 200,
            ..Limits::default()
        };
        let out = run(&input, limits);
        assert_eq!(out.len(), n);
        for (k, r) in (1..=n).zip(&out) {
            match (k % 100, r) {
                (13, Err(e)) => {
                    assert!(e.starts_with(&format!("in.jsonl:{k}: invalid JSON")), "{e}")
                }
                (50, Err(e)) => assert!(e.starts_with(&format!("in.jsonl:{k}:")), "{e}"),
                (_, Ok(d)) => assert_eq!(d.id.as_deref(), Some(k.to_string().as_str())),
                (_, r) => panic!("line {k}: {r:?}"),
            }
        }
    }

    #[test]
    fn placeholder_published_gives_way_to_date_or_page() {
        let input = concat!(
            r#"{"id":"a","published":"0001-01-01T00:00:00Z","date":"2019-11-19","text":"Body."}"#,
            "\n",
            r#"{"id":"b","published":"0001-01-01","html":"<html><head><meta property='article:published_time' content='2019-11-20T08:00:00Z'></head><body><article><p>The harbour authority said on Tuesday that the new ferry terminal would open in March.</p></article></body></html>"}"#,
            "\n",
            r#"{"id":"c","published":"0001-01-01","text":"Body."}"#,
            "\n",
        );
        let out = run(input, Limits::default());
        let dates: Vec<Option<&str>> = out
            .iter()
            .map(|r| r.as_ref().unwrap().published.as_deref())
            .collect();
        // The lone placeholder stays raw; finishing drops it with a warning.
        assert_eq!(
            dates,
            [
                Some("2019-11-19"),
                Some("2019-11-20T08:00:00Z"),
                Some("0001-01-01")
            ]
        );
    }

    #[test]
    fn good_and_bad_lines() {
        let input = concat!(
            r#"{"id":"a1","url":"https://x.example/a","title":"T","published":"2026-03-14","text":"Body.","section":"city"}"#,
            "\n\n",
            "{not json}\n",
            r#"{"id":"a3","title":"no text"}"#,
            "\n",
            r#"{"id":7,"text":"Numeric id.","author":["A","B"]}"#,
            "\n",
            r#"{"text": 5}"#,
            "\n",
            "[1,2]\n",
        );
        let out = run(input, Limits::default());
        assert_eq!(out.len(), 6, "{out:?}");
        let a = out[0].as_ref().unwrap();
        assert_eq!(a.id.as_deref(), Some("a1"));
        assert_eq!(a.metadata["section"], "city");
        assert!(out[1]
            .as_ref()
            .unwrap_err()
            .starts_with("in.jsonl:3: invalid JSON"));
        assert_eq!(
            out[2].as_ref().unwrap_err(),
            "in.jsonl:4: missing field: text"
        );
        let n = out[3].as_ref().unwrap();
        assert_eq!(n.id.as_deref(), Some("7"));
        assert_eq!(n.byline.as_deref(), Some("A, B"));
        assert!(out[4].as_ref().unwrap_err().contains("wrong type"));
        assert!(out[5].as_ref().unwrap_err().contains("expected an object"));
    }

    #[test]
    fn overlong_line_is_skipped_not_buffered() {
        let long = format!(
            "{{\"text\":\"{}\"}}\n{{\"text\":\"short\"}}\n",
            "x".repeat(5000)
        );
        let limits = Limits {
            max_record_bytes: 100,
            ..Limits::default()
        };
        let out = run(&long, limits);
        assert_eq!(out.len(), 2);
        assert!(
            out[0].as_ref().unwrap_err().contains("too large"),
            "{:?}",
            out[0]
        );
        assert_eq!(out[1].as_ref().unwrap().text, "short");
    }

    #[test]
    fn json_array_and_pretty_object() {
        let out = run(r#"[{"text":"one"},{"text":"two"}, 3]"#, Limits::default());
        assert_eq!(out.len(), 3);
        assert_eq!(out[1].as_ref().unwrap().text, "two");
        assert_eq!(
            out[2].as_ref().unwrap_err(),
            "in.jsonl: entry 3: invalid JSON: expected an object"
        );
        let out = run("{\n  \"text\": \"pretty\"\n}\n", Limits::default());
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].as_ref().unwrap().text, "pretty");
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let mut bytes = b"{\"text\":\"ok\"}\n{\"text\":\"bad \xff\"}\n".to_vec();
        bytes.extend_from_slice(b"{\"text\":\"after\"}\n");
        let mut out = Vec::new();
        let mut r = bytes.as_slice();
        let _ = read(&mut r, "u.jsonl", &Limits::default(), &mut |rec| {
            out.push(rec.map(|(d, _)| d.text).map_err(|e| e.to_string()));
            ControlFlow::Continue(())
        });
        assert_eq!(out[0].as_deref(), Ok("ok"));
        assert_eq!(
            out[1].as_ref().unwrap_err(),
            "u.jsonl:2: invalid UTF-8 at byte 13"
        );
        assert_eq!(out[2].as_deref(), Ok("after"));
    }
}
