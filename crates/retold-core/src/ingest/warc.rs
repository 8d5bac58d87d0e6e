//! WARC archives (1.0, 1.1): HTTP response and resource records that hold
//! HTML pages, one article each.
//!
//! A small parser of our own rather than the `warc` crate: the reader needs
//! the byte offset of every record, a hard cap on what one record may hold
//! in memory, resynchronisation after a corrupt record, and a clear error for
//! a record cut short — none of which the crate offers (it reads whole
//! blocks into memory, and its `from_path` is broken on current Rust).
//!
//! A record is a version line (`WARC/1.0`, `WARC/1.1`), header lines, an
//! empty line, `Content-Length` bytes of block, and an empty line (CRLF CRLF).
//!
//! * `response` records (`application/http; msgtype=response`): the HTTP
//!   status line and headers are parsed; only 2xx answers with an HTML
//!   content type (sniffed when missing) become articles; chunked transfer
//!   coding and gzip/deflate content coding are undone; the HTTP charset
//!   decodes the page. `resource` records with an HTML type likewise, with
//!   no HTTP headers. The page goes through the HTML stage with the
//!   `WARC-Target-URI` as URL hint.
//! * `warcinfo`, `request`, `metadata`, `revisit`, `conversion`,
//!   `continuation`, non-HTML and non-2xx responses are skipped silently:
//!   they are not articles, not errors.
//! * `WARC-Date` (the crawl time, not the publication date) goes to
//!   `metadata["crawled"]`, `WARC-Record-ID` to `metadata["warc_record_id"]`.
//!
//! Bad input: a record whose block exceeds `max_record_bytes` is a
//! `TooLarge` error when it could be an article (its HTTP head is read to
//! decide) and is skipped without holding it; a wrong `Content-Length` is an
//! error for that record, and reading resumes at the next line that starts
//! with `WARC/1.` (bytes it swallowed from the next record are given back);
//! bytes between records that are no record are one error, reported at
//! their offset under the number of the record that follows them; a record
//! cut off by the end of the input is `Truncated`, after every complete
//! record before it was emitted.
//!
//! Positions are `record N (byte B)`: N counts records from 1, B is the
//! offset of the record's version line in the decompressed stream.

mod http;
mod stream;

use std::io::{self, BufRead};
use std::ops::ControlFlow;

use self::http::{dechunk, decode_content, is_html_type, parse_head, sniff_html};
use self::stream::Stream;
use super::html::{decode_html, extract_article};
use super::{Emit, Limits};
use crate::article::{ArticleDraft, Origin, Position};
use crate::error::{IngestError, IngestErrorKind};

/// Longest header line kept; longer lines are a malformed record.
const LINE_CAP: usize = 16 * 1024;
/// Largest WARC header section.
const HEADER_CAP: usize = 256 * 1024;
/// How much of an oversized record is read to decide whether it is a page.
const HEAD_PEEK: u64 = 64 * 1024;

/// Streams the records of a (decompressed) WARC file, one article per HTML response.
pub fn read(
    reader: &mut dyn BufRead,
    name: &str,
    limits: &Limits,
    emit: &mut Emit,
) -> ControlFlow<()> {
    let mut s = Stream::new(reader);
    let mut records: u64 = 0;
    let mut line = Vec::new();
    // Bytes that are no record: where they start and a sample of them.
    let mut garbage: Option<(u64, String)> = None;
    // After a broken record, bytes up to the next record belong to it.
    let mut quiet = false;
    loop {
        let line_start = s.pos();
        line.clear();
        match s.read_line(LINE_CAP, &mut line) {
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => {
                let at = Origin::new(
                    name,
                    Position::Record {
                        record: records + 1,
                        offset: line_start,
                    },
                );
                return emit(Err(IngestError::new(at, super::source::io_kind(&e))));
            }
        }
        if !is_version_line(&line) {
            if !quiet && garbage.is_none() && !line.iter().all(u8::is_ascii_whitespace) {
                garbage = Some((line_start, sample(&line)));
            }
            continue;
        }
        if let Some((start, found)) = garbage.take() {
            let kind = IngestErrorKind::Warc(format!(
                "not a WARC record: expected a `WARC/1.x` version line, found `{found}`; \
                 skipped {} bytes to the next record at byte {line_start}",
                line_start - start
            ));
            emit(Err(IngestError::new(
                record_origin(name, records + 1, start),
                kind,
            )))?;
        }
        quiet = false;
        records += 1;
        let origin = record_origin(name, records, line_start);
        let outcome = match read_record(&mut s, limits) {
            Ok(o) => o,
            Err(e) => {
                let kind = match super::source::io_kind(&e) {
                    IngestErrorKind::Truncated(m) => {
                        IngestErrorKind::Truncated(format!("the record is cut off: {m}"))
                    }
                    other => other,
                };
                return emit(Err(IngestError::new(origin, kind)));
            }
        };
        match outcome {
            Outcome::Complete(record) => {
                if let Some(r) = article(record, limits) {
                    emit(
                        r.map(|d| (d, origin.clone()))
                            .map_err(|k| IngestError::new(origin, k)),
                    )?;
                }
            }
            Outcome::Broken { kind, resync } => {
                quiet = resync;
                emit(Err(IngestError::new(origin, kind)))?;
            }
            Outcome::Truncated(message) => {
                return emit(Err(IngestError::new(
                    origin,
                    IngestErrorKind::Truncated(message),
                )));
            }
        }
    }
    if let Some((start, found)) = garbage {
        let kind = IngestErrorKind::Warc(format!(
            "not a WARC record: expected a `WARC/1.x` version line, found `{found}`; \
             skipped {} bytes to the end of the input",
            s.pos() - start
        ));
        return emit(Err(IngestError::new(
            record_origin(name, records + 1, start),
            kind,
        )));
    }
    ControlFlow::Continue(())
}

fn record_origin(name: &str, record: u64, offset: u64) -> Origin {
    Origin::new(name, Position::Record { record, offset })
}

/// `WARC/1.0`, `WARC/1.1` (and the older `WARC/0.17`): digits, a dot, digits.
fn is_version_line(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"WARC/") else {
        return false;
    };
    let version = rest.trim_ascii();
    let mut parts = version.splitn(2, |&b| b == b'.');
    let major = parts.next().unwrap_or_default();
    let minor = parts.next().unwrap_or_default();
    !major.is_empty()
        && !minor.is_empty()
        && major.iter().all(u8::is_ascii_digit)
        && minor.iter().all(u8::is_ascii_digit)
}

/// Index of the `W` of the first version line in `buf` after its start.
fn find_version_line(buf: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = find(&buf[from..], b"\nWARC/") {
        let start = from + i + 1;
        let end = buf[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(buf.len(), |e| start + e);
        if is_version_line(&buf[start..end]) {
            return Some(start);
        }
        from = start;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A short printable sample of bytes for messages.
fn sample(bytes: &[u8]) -> String {
    let bytes = bytes.trim_ascii();
    let cut = &bytes[..bytes.len().min(40)];
    let mut s: String = String::from_utf8_lossy(cut)
        .chars()
        .map(|c| if c.is_control() { '.' } else { c })
        .collect();
    if bytes.len() > cut.len() {
        s.push('…');
    }
    s
}

/// The WARC header fields of one record.
#[derive(Debug, Clone, Default)]
struct WarcHeaders(Vec<(String, String)>);

impl WarcHeaders {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

/// A record's block: whole, or only its start when it is over the limit.
enum Block {
    Whole(Vec<u8>),
    Oversized { head: Vec<u8>, size: u64 },
}

struct Record {
    headers: WarcHeaders,
    block: Block,
}

enum Outcome {
    /// A well-framed record.
    Complete(Record),
    /// An error for this record; with `resync`, the bytes up to the next
    /// version line belong to it and are skipped without a second message.
    Broken { kind: IngestErrorKind, resync: bool },
    /// The input ends inside the record.
    Truncated(String),
}

/// Reads one record after its version line.
fn read_record(s: &mut Stream, limits: &Limits) -> io::Result<Outcome> {
    // Header lines up to the empty line.
    let mut headers = WarcHeaders::default();
    let mut header_bytes = 0usize;
    let mut line = Vec::new();
    loop {
        line.clear();
        let Some(len) = s.read_line(LINE_CAP, &mut line)? else {
            return Ok(Outcome::Truncated(
                "the input ends inside the record's WARC header".into(),
            ));
        };
        header_bytes += len as usize;
        if line.trim_ascii().is_empty() {
            break;
        }
        if is_version_line(&line) {
            // A new record begins before this one's header ended.
            s.unread(&line);
            return Ok(broken(
                "the WARC header has no empty line after it; the next record starts inside it",
                false,
            ));
        }
        if len as usize > LINE_CAP || header_bytes > HEADER_CAP {
            return Ok(broken(
                &format!("WARC header longer than {HEADER_CAP} bytes or a header line longer than {LINE_CAP}"),
                true,
            ));
        }
        if line[0] == b' ' || line[0] == b'\t' {
            // Folded continuation of the previous field.
            if let Some((_, v)) = headers.0.last_mut() {
                v.push(' ');
                v.push_str(String::from_utf8_lossy(line.trim_ascii()).as_ref());
                continue;
            }
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return Ok(broken(
                &format!("malformed WARC header line `{}`", sample(&line)),
                true,
            ));
        };
        let key = String::from_utf8_lossy(line[..colon].trim_ascii()).into_owned();
        let value = String::from_utf8_lossy(line[colon + 1..].trim_ascii()).into_owned();
        headers.0.push((key, value));
    }

    let Some(length) = headers
        .get("Content-Length")
        .and_then(|v| v.trim().parse::<u64>().ok())
    else {
        let what = match headers.get("Content-Length") {
            Some(v) => format!("invalid Content-Length `{v}`"),
            None => "missing Content-Length".into(),
        };
        return Ok(broken(&what, true));
    };

    // The block.
    let block = if length > limits.max_record_bytes {
        let mut head = Vec::new();
        let peek = length.min(HEAD_PEEK).min(limits.max_record_bytes);
        let got = s.read_up_to(peek, &mut head)?;
        let skipped = s.skip(length - got)?;
        if got + skipped < length {
            // Oversized and cut: the size decides what it was.
            return Ok(Outcome::Broken {
                kind: too_large(length, limits),
                resync: false,
            });
        }
        Block::Oversized { head, size: length }
    } else {
        let mut buf = Vec::with_capacity(length as usize);
        let got = s.read_up_to(length, &mut buf)?;
        if got < length {
            if let Some(next) = find_version_line(&buf) {
                let at = s.pos() - (buf.len() - next) as u64;
                s.unread(&buf[next..]);
                return Ok(broken(
                    &format!(
                        "Content-Length {length} runs past the end of the record: \
                         the next record starts at byte {at}"
                    ),
                    false,
                ));
            }
            return Ok(Outcome::Truncated(format!(
                "the input ends after {got} of the {length} bytes of the record's block"
            )));
        }
        Block::Whole(buf)
    };

    // The empty line after the block: CRLF CRLF (bare LFs tolerated).
    let end_of_block = s.pos();
    let after = s.peek(4)?;
    let newlines = after
        .iter()
        .take_while(|b| **b == b'\r' || **b == b'\n')
        .count();
    s.skip(newlines as u64)?;
    let next = s.peek(8)?;
    let well_framed = after.starts_with(b"\r\n\r\n")
        || next.is_empty()
        || (newlines > 0 && next.starts_with(b"WARC/"));
    if well_framed {
        return Ok(Outcome::Complete(Record { headers, block }));
    }
    // The length is wrong. Too long: the next record hides inside the block.
    if let Block::Whole(buf) = &block {
        if let Some(next) = find_version_line(buf) {
            let at = end_of_block - (buf.len() - next) as u64;
            s.unread(&after[..newlines]);
            s.unread(&buf[next..]);
            return Ok(broken(
                &format!(
                    "Content-Length {length} runs past the end of the record: \
                     the next record starts at byte {at}"
                ),
                false,
            ));
        }
    }
    // Too short, or bytes appended to the block.
    Ok(broken(
        &format!(
            "Content-Length {length} does not end the record: expected an empty line at byte \
             {end_of_block}, found `{}`; skipping to the next record",
            sample(&[&after[newlines..], &next[..]].concat())
        ),
        true,
    ))
}

fn broken(message: &str, resync: bool) -> Outcome {
    Outcome::Broken {
        kind: IngestErrorKind::Warc(message.to_string()),
        resync,
    }
}

fn too_large(size: u64, limits: &Limits) -> IngestErrorKind {
    IngestErrorKind::TooLarge {
        what: "record",
        size,
        limit: limits.max_record_bytes,
    }
}

/// The article in a record: `None` for records that hold none.
fn article(record: Record, limits: &Limits) -> Option<Result<ArticleDraft, IngestErrorKind>> {
    let h = &record.headers;
    let warc_type = h.get("WARC-Type").unwrap_or_default().to_ascii_lowercase();
    let warc_content_type = h.get("Content-Type");
    let target = h
        .get("WARC-Target-URI")
        .map(|u| u.trim_matches(|c| c == '<' || c == '>').trim().to_string());

    let (body, content_type) = match warc_type.as_str() {
        "response" => {
            // DNS answers and other non-HTTP responses carry other types.
            if warc_content_type.is_some_and(|t| !t.to_ascii_lowercase().contains("http")) {
                return None;
            }
            let block = match &record.block {
                Block::Whole(b) => &b[..],
                Block::Oversized { head, .. } => &head[..],
            };
            let head = match parse_head(block) {
                Ok(head) => head,
                Err(_) if matches!(record.block, Block::Oversized { .. }) => {
                    // Cannot tell what it is: say that it was too big.
                    return oversized(&record.block, limits);
                }
                Err(e) => {
                    return Some(Err(IngestErrorKind::Warc(format!(
                        "response record with a malformed HTTP header: {e}"
                    ))))
                }
            };
            if !(200..300).contains(&head.status) {
                return None;
            }
            let content_type = head.get("Content-Type").map(str::to_string);
            if content_type.as_deref().is_some_and(|t| !is_html_type(t)) {
                return None;
            }
            let Block::Whole(block) = record.block else {
                return oversized(&record.block, limits);
            };
            let mut body = block;
            body.drain(..head.body_start.min(body.len()));
            if head
                .get("Transfer-Encoding")
                .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"))
            {
                body = dechunk(&body);
            }
            let body =
                match decode_content(body, head.get("Content-Encoding"), limits.max_record_bytes) {
                    Ok(b) => b,
                    Err(kind) => return Some(Err(kind)),
                };
            if content_type.is_none() && !sniff_html(&body) {
                return None;
            }
            (body, content_type)
        }
        "resource" => {
            if warc_content_type.is_some_and(|t| !is_html_type(t)) {
                return None;
            }
            let Block::Whole(block) = record.block else {
                return oversized(&record.block, limits);
            };
            if warc_content_type.is_none() && !sniff_html(&block) {
                return None;
            }
            (block, warc_content_type.map(str::to_string))
        }
        // warcinfo, request, metadata, revisit, conversion, continuation.
        _ => return None,
    };

    let html = decode_html(&body, content_type.as_deref());
    drop(body);
    let mut draft = match extract_article(&html, target.as_deref()) {
        Ok(d) => d,
        Err(kind) => return Some(Err(kind)),
    };
    if draft.url.is_none() {
        draft.url = target;
    }
    if let Some(date) = h.get("WARC-Date") {
        draft.metadata.insert("crawled".into(), date.into());
    }
    if let Some(id) = h.get("WARC-Record-ID") {
        draft.metadata.insert("warc_record_id".into(), id.into());
    }
    if let Some(why) = h.get("WARC-Truncated") {
        draft.metadata.insert("warc_truncated".into(), why.into());
    }
    Some(Ok(draft))
}

fn oversized(block: &Block, limits: &Limits) -> Option<Result<ArticleDraft, IngestErrorKind>> {
    match block {
        Block::Oversized { size, .. } => Some(Err(too_large(*size, limits))),
        Block::Whole(_) => None,
    }
}

#[cfg(test)]
mod tests;
