use std::io::Write;

use super::*;
use crate::ingest::RawRecord;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/warc/");

/// One WARC record with a correct Content-Length and CRLF CRLF after it.
fn record(warc_type: &str, fields: &[(&str, &str)], block: &[u8]) -> Vec<u8> {
    let mut r = format!("WARC/1.1\r\nWARC-Type: {warc_type}\r\n");
    for (k, v) in fields {
        r.push_str(&format!("{k}: {v}\r\n"));
    }
    r.push_str(&format!("Content-Length: {}\r\n\r\n", block.len()));
    let mut r = r.into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// An HTTP response: status line, headers, empty line, body.
fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut h = format!("HTTP/1.1 {status}\r\n");
    for (k, v) in headers {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    h.push_str("\r\n");
    let mut h = h.into_bytes();
    h.extend_from_slice(body);
    h
}

fn page(title: &str, text: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head>\
         <body><article><p>{text}</p></article></body></html>"
    )
    .into_bytes()
}

fn response(uri: &str, http_block: &[u8]) -> Vec<u8> {
    record(
        "response",
        &[
            ("WARC-Target-URI", uri),
            ("WARC-Date", "2026-04-03T02:11:04Z"),
            ("WARC-Record-ID", &format!("<urn:uuid:{}>", uri.len())),
            ("Content-Type", "application/http; msgtype=response"),
        ],
        http_block,
    )
}

fn html_response(uri: &str, text: &str) -> Vec<u8> {
    response(
        uri,
        &http(
            "200 OK",
            &[("Content-Type", "text/html; charset=utf-8")],
            &page("T", text),
        ),
    )
}

fn run_with(bytes: &[u8], limits: Limits) -> Vec<RawRecord> {
    let mut out = Vec::new();
    // A small buffer: records and lines cross buffer boundaries.
    let mut r = io::BufReader::with_capacity(7, bytes);
    let _ = read(&mut r, "t.warc", &limits, &mut |rec| {
        out.push(rec);
        ControlFlow::Continue(())
    });
    out
}

fn run(bytes: &[u8]) -> Vec<RawRecord> {
    run_with(bytes, Limits::default())
}

fn at(record: u64, offset: usize) -> Origin {
    Origin::new(
        "t.warc",
        Position::Record {
            record,
            offset: offset as u64,
        },
    )
}

fn ok(out: &[RawRecord], i: usize) -> &(ArticleDraft, Origin) {
    out[i].as_ref().unwrap_or_else(|e| panic!("{e}"))
}

fn err(out: &[RawRecord], i: usize) -> &IngestError {
    out[i].as_ref().expect_err("an error")
}

/// Concatenates records, returning the bytes and each record's offset.
fn join(parts: &[Vec<u8>]) -> (Vec<u8>, Vec<usize>) {
    let mut bytes = Vec::new();
    let mut offsets = Vec::new();
    for p in parts {
        offsets.push(bytes.len());
        bytes.extend_from_slice(p);
    }
    (bytes, offsets)
}

#[test]
fn only_html_2xx_responses_and_resources_become_articles() {
    let png = http(
        "200 OK",
        &[("Content-Type", "image/png")],
        b"\x89PNG\r\n\x1a\n\0\0",
    );
    let missing = http(
        "404 Not Found",
        &[("Content-Type", "text/html")],
        &page("Not found", "No such page here."),
    );
    let (bytes, offsets) = join(&[
        record(
            "warcinfo",
            &[("Content-Type", "application/warc-fields")],
            b"software: test\r\n",
        ),
        record(
            "request",
            &[
                ("WARC-Target-URI", "https://a.example/story"),
                ("Content-Type", "application/http; msgtype=request"),
            ],
            b"GET /story HTTP/1.1\r\nHost: a.example\r\n\r\n",
        ),
        html_response(
            "https://a.example/story",
            "The council approved the harbor plan on Tuesday.",
        ),
        response("https://a.example/logo.png", &png),
        response("https://a.example/gone", &missing),
        record(
            "resource",
            &[
                ("WARC-Target-URI", "https://b.example/saved"),
                ("WARC-Date", "2026-04-04T00:00:00Z"),
                ("WARC-Record-ID", "<urn:uuid:res-1>"),
                ("Content-Type", "text/html"),
            ],
            &page("Saved", "Ferries will run every twenty minutes."),
        ),
        record(
            "metadata",
            &[("Content-Type", "application/warc-fields")],
            b"via: x\r\n",
        ),
        record(
            "revisit",
            &[("WARC-Target-URI", "https://a.example/story")],
            b"",
        ),
    ]);
    let out = run(&bytes);
    assert_eq!(out.len(), 2, "{out:?}");

    let (a, origin) = ok(&out, 0);
    assert_eq!(origin, &at(3, offsets[2]));
    assert_eq!(a.url.as_deref(), Some("https://a.example/story"));
    assert!(a.text.contains("harbor plan"), "{}", a.text);
    assert_eq!(a.metadata["crawled"], "2026-04-03T02:11:04Z");
    assert_eq!(a.metadata["warc_record_id"], "<urn:uuid:23>");
    // The crawl date is not a publication date.
    assert_eq!(a.published, None);

    let (b, origin) = ok(&out, 1);
    assert_eq!(origin, &at(6, offsets[5]));
    assert_eq!(b.url.as_deref(), Some("https://b.example/saved"));
    assert!(b.text.contains("Ferries"), "{}", b.text);
    assert_eq!(b.metadata["warc_record_id"], "<urn:uuid:res-1>");
}

#[test]
fn chunked_gzip_payload_and_sniffed_type() {
    let html = page("Zipped", "A compressed page about the bridge repair.");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&html).unwrap();
    let gz = gz.finish().unwrap();
    // Chunk the gzip bytes in three pieces.
    let mut chunked = Vec::new();
    for piece in gz.chunks(gz.len() / 3 + 1) {
        chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let block = http(
        "200 OK",
        &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Transfer-Encoding", "chunked"),
            ("Content-Encoding", "gzip"),
        ],
        &chunked,
    );
    // No Content-Type at all: sniffed from the body.
    let bare = http(
        "200 OK",
        &[],
        &page("Bare", "A page served without a type."),
    );
    let (bytes, _) = join(&[
        response("https://z.example/1", &block),
        response("https://z.example/2", &bare),
    ]);
    let out = run(&bytes);
    assert_eq!(out.len(), 2, "{out:?}");
    assert!(
        ok(&out, 0).0.text.contains("bridge repair"),
        "{}",
        ok(&out, 0).0.text
    );
    assert!(ok(&out, 1).0.text.contains("without a type"));
}

#[test]
fn garbage_between_records_is_skipped_with_one_error() {
    let first = html_response("https://g.example/1", "First page text.");
    let second = html_response("https://g.example/2", "Second page text.");
    let mut bytes = first.clone();
    let garbage_at = bytes.len();
    bytes.extend_from_slice(b"this is not a record\r\nnor this\n\x00\x01\x02\r\n");
    let second_at = bytes.len();
    bytes.extend_from_slice(&second);
    let out = run(&bytes);
    assert_eq!(out.len(), 3, "{out:?}");
    assert_eq!(ok(&out, 0).1, at(1, 0));
    let e = err(&out, 1);
    assert_eq!(e.origin, at(2, garbage_at));
    assert!(
        e.to_string().contains(&format!(
            "found `this is not a record`; skipped {} bytes to the next record at byte {second_at}",
            second_at - garbage_at
        )),
        "{e}"
    );
    assert_eq!(ok(&out, 2).1, at(2, second_at));
    assert_eq!(ok(&out, 2).0.url.as_deref(), Some("https://g.example/2"));

    // Garbage at the very end.
    let mut bytes = first;
    bytes.extend_from_slice(b"trailing junk");
    let out = run(&bytes);
    assert_eq!(out.len(), 2);
    assert!(err(&out, 1).to_string().contains("to the end of the input"));
}

#[test]
fn content_length_too_short_resyncs_at_the_next_record() {
    let mut bad = html_response("https://c.example/bad", "A page with a wrong length.");
    // Declare 10 bytes fewer than the block holds.
    let text = String::from_utf8(bad.clone()).unwrap();
    let len_at = text.find("Content-Length: ").unwrap() + "Content-Length: ".len();
    let len_end = len_at + text[len_at..].find('\r').unwrap();
    let real: usize = text[len_at..len_end].parse().unwrap();
    bad.splice(len_at..len_end, (real - 10).to_string().bytes());
    let (bytes, offsets) = join(&[
        bad,
        html_response("https://c.example/next", "The next page is fine."),
    ]);
    let out = run(&bytes);
    assert_eq!(out.len(), 2, "{out:?}");
    let e = err(&out, 0);
    assert_eq!(e.origin, at(1, 0));
    assert!(
        e.to_string().contains(&format!(
            "Content-Length {} does not end the record",
            real - 10
        )),
        "{e}"
    );
    assert_eq!(ok(&out, 1).1, at(2, offsets[1]));
    assert_eq!(ok(&out, 1).0.url.as_deref(), Some("https://c.example/next"));
}

#[test]
fn content_length_too_long_gives_back_the_next_record() {
    let good = html_response("https://c.example/ok", "A correct record.");
    let mut bad = html_response("https://c.example/bad", "A record claiming too much.");
    let text = String::from_utf8(bad.clone()).unwrap();
    let len_at = text.find("Content-Length: ").unwrap() + "Content-Length: ".len();
    let len_end = len_at + text[len_at..].find('\r').unwrap();
    let real: usize = text[len_at..len_end].parse().unwrap();
    // Swallows the next record's header and part of its block.
    bad.splice(len_at..len_end, (real + 300).to_string().bytes());
    let third = html_response("https://c.example/third", "The third record.");
    let (bytes, offsets) = join(&[
        good,
        bad,
        html_response("https://c.example/next", &"Long enough text. ".repeat(40)),
        third,
    ]);
    let out = run(&bytes);
    assert_eq!(out.len(), 4, "{out:?}");
    assert_eq!(ok(&out, 0).1, at(1, 0));
    let e = err(&out, 1);
    assert_eq!(e.origin, at(2, offsets[1]));
    assert!(
        e.to_string().contains(&format!(
            "runs past the end of the record: the next record starts at byte {}",
            offsets[2]
        )),
        "{e}"
    );
    assert_eq!(ok(&out, 2).1, at(3, offsets[2]));
    assert_eq!(ok(&out, 2).0.url.as_deref(), Some("https://c.example/next"));
    assert_eq!(ok(&out, 3).1, at(4, offsets[3]));
}

#[test]
fn truncated_last_record_comes_after_the_complete_ones() {
    let (bytes, offsets) = join(&[
        html_response("https://t.example/1", "One."),
        html_response("https://t.example/2", "Two."),
        html_response("https://t.example/3", "Three, cut off."),
    ]);
    let header_end = offsets[2] + find(&bytes[offsets[2]..], b"\r\n\r\n").unwrap() + 4;
    let cut = header_end + 40;
    let out = run(&bytes[..cut]);
    assert_eq!(out.len(), 3, "{out:?}");
    assert_eq!(ok(&out, 1).1, at(2, offsets[1]));
    let e = err(&out, 2);
    assert_eq!(e.code(), "truncated");
    assert_eq!(e.origin, at(3, offsets[2]));
    let msg = e.to_string();
    assert!(
        msg.starts_with(&format!(
            "t.warc: record 3 (byte {}): truncated input: the input ends after 40 of the",
            offsets[2]
        )),
        "{msg}"
    );

    // Cut inside the WARC header.
    let out = run(&bytes[..offsets[2] + 20]);
    assert_eq!(out.len(), 3);
    assert!(err(&out, 2)
        .to_string()
        .contains("inside the record's WARC header"));
}

#[test]
fn oversized_records() {
    let big_text = "Words of a long article. ".repeat(400);
    let (bytes, offsets) = join(&[
        html_response("https://l.example/big", &big_text),
        // A big image is not an article: skipped without a word.
        response(
            "https://l.example/big.png",
            &http("200 OK", &[("Content-Type", "image/png")], &[7u8; 20_000]),
        ),
        html_response("https://l.example/small", "Small page."),
    ]);
    let limits = Limits {
        max_record_bytes: 4096,
        ..Limits::default()
    };
    let out = run_with(&bytes, limits);
    assert_eq!(out.len(), 2, "{out:?}");
    let e = err(&out, 0);
    assert_eq!(e.origin, at(1, 0));
    assert_eq!(e.code(), "too_large");
    assert!(e.to_string().contains("the limit is 4096"), "{e}");
    assert_eq!(ok(&out, 1).1, at(3, offsets[2]));
}

#[test]
fn malformed_records() {
    let (bytes, offsets) = join(&[
        // No Content-Length.
        b"WARC/1.0\r\nWARC-Type: response\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<html></html>\r\n\r\n"
            .to_vec(),
        // HTTP header that never ends.
        response(
            "https://m.example/1",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html",
        ),
        html_response("https://m.example/2", "Still read."),
    ]);
    let out = run(&bytes);
    assert_eq!(out.len(), 3, "{out:?}");
    assert!(err(&out, 0).to_string().contains("missing Content-Length"));
    assert_eq!(err(&out, 1).origin, at(2, offsets[1]));
    assert!(
        err(&out, 1).to_string().contains("malformed HTTP header"),
        "{}",
        err(&out, 1)
    );
    assert_eq!(ok(&out, 2).1, at(3, offsets[2]));
}

#[test]
fn lf_only_framing_and_warc_1_0() {
    let html = page("LF", "Written with bare line feeds.");
    let block = [
        b"HTTP/1.0 200 OK\nContent-Type: text/html\n\n".as_slice(),
        &html,
    ]
    .concat();
    let mut bytes = format!(
        "WARC/1.0\nWARC-Type: response\nWARC-Target-URI: https://lf.example/\nContent-Length: {}\n\n",
        block.len()
    )
    .into_bytes();
    bytes.extend_from_slice(&block);
    bytes.extend_from_slice(b"\n\n");
    let second = bytes.len();
    bytes.extend_from_slice(&html_response("https://lf.example/2", "Second."));
    let out = run(&bytes);
    assert_eq!(out.len(), 2, "{out:?}");
    assert!(ok(&out, 0).0.text.contains("bare line feeds"));
    assert_eq!(ok(&out, 1).1, at(2, second));
}

#[test]
fn break_stops_at_once() {
    let (bytes, _) = join(&[
        html_response("https://s.example/1", "One."),
        html_response("https://s.example/2", "Two."),
    ]);
    let mut seen = 0;
    let mut r = &bytes[..];
    let flow = read(&mut r, "t.warc", &Limits::default(), &mut |_| {
        seen += 1;
        ControlFlow::Break(())
    });
    assert_eq!(flow, ControlFlow::Break(()));
    assert_eq!(seen, 1);
}

#[test]
fn version_lines() {
    assert!(is_version_line(b"WARC/1.0\r\n"));
    assert!(is_version_line(b"WARC/1.1\n"));
    assert!(is_version_line(b"WARC/0.17"));
    assert!(!is_version_line(b"WARC/1.x"));
    assert!(!is_version_line(b"WARC-Type: response"));
    assert_eq!(find_version_line(b"abc\r\nWARC/1.1\r\nx"), Some(5));
    assert_eq!(find_version_line(b"abc\nWARC/one\nWARC/1.0"), Some(13));
}

/// The committed fixture is a `.warc.gz` with one gzip member per record, as
/// crawlers write them; offsets are in the decompressed stream.
#[test]
fn gzipped_fixture_through_the_framework() {
    let path = std::path::PathBuf::from(format!("{FIXTURES}mixed.warc.gz"));
    let (inputs, errors) = crate::ingest::list_inputs(&path);
    assert!(errors.is_empty());
    let mut out = Vec::new();
    let _ = crate::ingest::read_input(&inputs[0], &Default::default(), &mut |r| {
        out.push(r);
        ControlFlow::Continue(())
    });
    let summary: Vec<String> = out
        .iter()
        .map(|r| match r {
            Ok((d, o)) => format!("{o} {}", d.url.as_deref().unwrap_or("-")),
            Err(e) => format!("{e}"),
        })
        .collect();
    let expected_file = std::fs::read_to_string(format!("{FIXTURES}mixed.expected.txt")).unwrap();
    let expected: Vec<String> = expected_file
        .lines()
        .map(|l| l.replace("{FIXTURE}", &path.display().to_string()))
        .collect();
    assert_eq!(summary, expected);
}

#[test]
fn every_cut_keeps_the_records_before_it() {
    let parts = [
        html_response("https://p.example/1", "One."),
        response(
            "https://p.example/i.png",
            &http("200 OK", &[("Content-Type", "image/png")], b"\x89PNG...."),
        ),
        html_response("https://p.example/2", "Two."),
    ];
    let (bytes, offsets) = join(&parts);
    // Where each HTML record's block ends: from there on it is complete.
    let block_end = |i: usize| offsets[i] + parts[i].len() - 4;
    for cut in 0..=bytes.len() {
        let out = run(&bytes[..cut]);
        let oks = out.iter().filter(|r| r.is_ok()).count();
        let expected = [0, 2].iter().filter(|&&i| block_end(i) <= cut).count();
        assert_eq!(oks, expected, "cut at {cut}: {out:?}");
        let errors: Vec<_> = out.iter().filter_map(|r| r.as_ref().err()).collect();
        assert!(errors.len() <= 1, "cut at {cut}: {errors:?}");
        // The error, if any, comes last and points into the input.
        if let Some(e) = errors.first() {
            assert!(out.last().unwrap().is_err(), "cut at {cut}");
            let Position::Record { offset, .. } = e.origin.position else {
                panic!("{e}")
            };
            assert!(offset as usize <= cut, "cut at {cut}: {e}");
        }
    }
}
