//! The HTTP inside WARC `response` records: status line and headers
//! (httparse), chunked transfer coding, gzip/deflate content coding.

use std::io::{self, Read};

use crate::error::IngestErrorKind;

/// Status, headers and where the body starts in the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HttpHead {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body_start: usize,
}

impl HttpHead {
    /// The last value of a header (case-insensitive name).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Parses the status line and headers at the start of `block`.
///
/// Lenient where crawls are: obsolete folded headers, spaces before the
/// colon, invalid header lines (skipped), `HTTP/2` status lines.
pub(super) fn parse_head(block: &[u8]) -> Result<HttpHead, String> {
    // httparse knows HTTP/1.x only; crawlers write "HTTP/2 200" for h2 fetches.
    if let Some(rest) = [&b"HTTP/2.0"[..], b"HTTP/2", b"HTTP/3.0", b"HTTP/3"]
        .iter()
        .find_map(|v| block.strip_prefix(*v).filter(|r| r.starts_with(b" ")))
    {
        let head_len = rest.len().min(256 * 1024);
        let mut patched = b"HTTP/1.1".to_vec();
        patched.extend_from_slice(&rest[..head_len]);
        let shift = block.len() - rest.len();
        let mut head = parse_http1(&patched)?;
        head.body_start = head.body_start - 8 + shift;
        return Ok(head);
    }
    parse_http1(block)
}

fn parse_http1(block: &[u8]) -> Result<HttpHead, String> {
    let mut config = httparse::ParserConfig::default();
    config
        .allow_obsolete_multiline_headers_in_responses(true)
        .allow_spaces_after_header_name_in_responses(true)
        .allow_multiple_spaces_in_response_status_delimiters(true)
        .ignore_invalid_headers_in_responses(true);
    let mut slots = 64;
    loop {
        let mut headers = vec![httparse::EMPTY_HEADER; slots];
        let mut response = httparse::Response::new(&mut headers);
        match config.parse_response(&mut response, block) {
            Ok(httparse::Status::Complete(n)) => {
                let headers = response
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.name.to_string(),
                            String::from_utf8_lossy(h.value).trim().to_string(),
                        )
                    })
                    .collect();
                return Ok(HttpHead {
                    status: response.code.unwrap_or(0),
                    headers,
                    body_start: n,
                });
            }
            Ok(httparse::Status::Partial) => {
                return Err("the HTTP header does not end (no empty line after it)".into())
            }
            Err(httparse::Error::TooManyHeaders) if slots < 4096 => slots *= 4,
            Err(e) => {
                let line = block.split(|&b| b == b'\n').next().unwrap_or_default();
                let line = String::from_utf8_lossy(&line[..line.len().min(60)]);
                return Err(format!("{e} (status line `{}`)", line.trim_end()));
            }
        }
    }
}

/// `text/html` or `application/xhtml+xml`, ignoring parameters and case.
pub(super) fn is_html_type(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "text/html" | "application/xhtml+xml" | "application/xhtml"
    )
}

/// A body that looks like an HTML page (for records without a content type).
pub(super) fn sniff_html(body: &[u8]) -> bool {
    let head = &body[..body.len().min(1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let lower: Vec<u8> = head[start..].iter().map(u8::to_ascii_lowercase).collect();
    let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || (lower.starts_with(b"<") && (has(b"<html") || has(b"<head") || has(b"<body")))
}

/// Undoes `Transfer-Encoding: chunked`. A body that does not parse as chunks
/// (crawlers that stored it already de-chunked) comes back as it is; a body
/// cut inside a chunk keeps what arrived.
pub(super) fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let Ok(httparse::Status::Complete((used, size))) = httparse::parse_chunk_size(rest) else {
            // Not chunked after all (or cut inside a size line).
            return if out.is_empty() { body.to_vec() } else { out };
        };
        rest = &rest[used..];
        if size == 0 {
            return out;
        }
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        let take = size.min(rest.len());
        out.extend_from_slice(&rest[..take]);
        rest = &rest[take..];
        if take < size {
            return out;
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
    }
}

/// Undoes `Content-Encoding` (gzip, x-gzip, deflate; identity is a no-op),
/// never producing more than `limit` bytes.
pub(super) fn decode_content(
    body: Vec<u8>,
    encoding: Option<&str>,
    limit: u64,
) -> Result<Vec<u8>, IngestErrorKind> {
    let mut body = body;
    // "gzip, deflate" lists codings in the order they were applied.
    let codings: Vec<String> = encoding
        .unwrap_or_default()
        .split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty() && c != "identity" && c != "none")
        .collect();
    for coding in codings.iter().rev() {
        body = match coding.as_str() {
            "gzip" | "x-gzip" => {
                if !body.starts_with(&[0x1f, 0x8b]) {
                    // Stored already decoded though the header still says gzip.
                    continue;
                }
                inflate(flate2::read::MultiGzDecoder::new(&body[..]), limit, "gzip")?
            }
            "deflate" => {
                // Meant to be zlib; some servers send raw deflate.
                let zlib = body.len() >= 2
                    && body[0] & 0x0f == 8
                    && u16::from_be_bytes([body[0], body[1]]) % 31 == 0;
                if zlib {
                    inflate(flate2::read::ZlibDecoder::new(&body[..]), limit, "deflate")?
                } else {
                    inflate(
                        flate2::read::DeflateDecoder::new(&body[..]),
                        limit,
                        "deflate",
                    )?
                }
            }
            other => {
                return Err(IngestErrorKind::Unsupported(format!(
                    "HTTP Content-Encoding `{other}`"
                )))
            }
        };
    }
    Ok(body)
}

/// Decompresses at most `limit` bytes. A stream cut short keeps what came
/// out before the cut (crawlers truncate long payloads); a stream that
/// yields nothing is an error.
fn inflate(decoder: impl Read, limit: u64, what: &str) -> Result<Vec<u8>, IngestErrorKind> {
    let mut out = Vec::new();
    let mut limited = decoder.take(limit.saturating_add(1));
    let result = limited.read_to_end(&mut out);
    if out.len() as u64 > limit {
        let rest = io::copy(&mut limited.into_inner(), &mut io::sink()).unwrap_or(0);
        return Err(IngestErrorKind::TooLarge {
            what: "record",
            size: out.len() as u64 + rest,
            limit,
        });
    }
    match result {
        Ok(_) => Ok(out),
        Err(_) if !out.is_empty() => Ok(out),
        Err(e) => Err(IngestErrorKind::Warc(format!(
            "the HTTP payload is not valid {what}: {e}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn head_parsing() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=iso-8859-1\r\nX-Folded: a\r\n b\r\n\r\n<html>";
        let head = parse_head(block).unwrap();
        assert_eq!(head.status, 200);
        assert_eq!(
            head.get("content-type"),
            Some("text/html; charset=iso-8859-1")
        );
        assert_eq!(&block[head.body_start..], b"<html>");

        let block = b"HTTP/2 404 \r\ncontent-type: text/html\r\n\r\nnope";
        let head = parse_head(block).unwrap();
        assert_eq!(head.status, 404);
        assert_eq!(&block[head.body_start..], b"nope");

        assert!(parse_head(b"HTTP/1.1 200 OK\r\nContent-Type: te")
            .unwrap_err()
            .contains("does not end"));
        assert!(parse_head(b"GIF89a....").is_err());
    }

    #[test]
    fn chunks() {
        assert_eq!(
            dechunk(b"5\r\nHello\r\n6;ext=1\r\n world\r\n0\r\n\r\n"),
            b"Hello world"
        );
        // Already de-chunked by the crawler: unchanged.
        assert_eq!(dechunk(b"<html>hi</html>"), b"<html>hi</html>");
        // Cut inside a chunk: keep what arrived.
        assert_eq!(dechunk(b"a\r\nHello"), b"Hello");
    }

    #[test]
    fn codings_and_limits() {
        let page = b"<html><body><p>Hi</p></body></html>".repeat(20);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&page).unwrap();
        let gz = gz.finish().unwrap();
        assert_eq!(
            decode_content(gz.clone(), Some("gzip"), 1 << 20).unwrap(),
            page
        );
        // Header says gzip, bytes are plain: kept.
        assert_eq!(
            decode_content(page.clone(), Some("gzip"), 1 << 20).unwrap(),
            page
        );
        let err = decode_content(gz.clone(), Some("x-gzip"), 100).unwrap_err();
        assert_eq!(
            err,
            IngestErrorKind::TooLarge {
                what: "record",
                size: page.len() as u64,
                limit: 100
            }
        );
        // Cut gzip keeps the part that inflated.
        let cut = decode_content(gz[..gz.len() - 12].to_vec(), Some("gzip"), 1 << 20).unwrap();
        assert!(!cut.is_empty() && page.starts_with(&cut));

        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(&page).unwrap();
        assert_eq!(
            decode_content(z.finish().unwrap(), Some("deflate"), 1 << 20).unwrap(),
            page
        );
        let mut raw =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        raw.write_all(&page).unwrap();
        assert_eq!(
            decode_content(raw.finish().unwrap(), Some("deflate"), 1 << 20).unwrap(),
            page
        );

        assert_eq!(
            decode_content(page.clone(), Some("br"), 1 << 20)
                .unwrap_err()
                .code(),
            "unsupported"
        );
    }

    #[test]
    fn html_types_and_sniffing() {
        assert!(is_html_type("Text/HTML; charset=utf-8"));
        assert!(is_html_type("application/xhtml+xml"));
        assert!(!is_html_type("image/png"));
        assert!(sniff_html(b"\n <!DOCTYPE html><html>"));
        assert!(sniff_html(b"<?xml version=\"1.0\"?><html xmlns=\"x\">"));
        assert!(!sniff_html(b"\x89PNG\r\n"));
        assert!(!sniff_html(b"{\"a\": \"<html>\"}"));
    }
}
