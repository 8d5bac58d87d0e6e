//! Whole-batch behaviour of ingest: good and bad inputs side by side.

use std::io::Write;
use std::path::{Path, PathBuf};

use retold_core::ingest::{read_all, IngestOptions, Limits};

/// A fresh temp directory per test, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let p = std::env::temp_dir().join(format!("retold-test-{}-{}", name, std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn read(paths: &[PathBuf], options: &IngestOptions) -> retold_core::ingest::Batch {
    read_all(paths, options, &|_| {}).unwrap()
}

#[test]
fn a_bad_record_never_loses_the_rest() {
    let d = TempDir::new("mixed");
    d.write(
        "a/one.txt",
        b"Title: One\nURL: https://one.example/1\n\nThe first article. It has two sentences.",
    );
    d.write(
        "a/lines.jsonl",
        b"{\"id\":\"l1\",\"text\":\"Line one.\"}\n{\"id\":\"l2\",\"text\":\n{\"id\":\"l3\",\"text\":\"Line three.\"}\n",
    );
    d.write("b/empty.txt", b"");
    d.write("b/blank.md", b"   \n\n");
    d.write("b/image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    d.write(
        "b/latin1.txt",
        b"URL: https://l.example/x\n\nCaf\xe9 reopens.",
    );
    d.write("gold.json", b"{\"not\": \"an article\"}");
    d.write(".hidden.txt", b"never read");

    let batch = read(&[d.path().to_path_buf()], &IngestOptions::default());
    let ids: Vec<&str> = batch.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert!(ids.contains(&"l1") && ids.contains(&"l3"));
    let messages: Vec<String> = batch.skipped.iter().map(|e| e.to_string()).collect();
    assert_eq!(batch.skipped.len(), 4, "{messages:#?}");
    let has = |needle: &str| messages.iter().any(|m| m.contains(needle));
    assert!(has("lines.jsonl:2: invalid JSON"), "{messages:#?}");
    assert!(has("empty.txt: empty input"), "{messages:#?}");
    assert!(has("blank.md: empty input"), "{messages:#?}");
    assert!(has("image.png: binary data"), "{messages:#?}");
    // Directory order is name order, so output is stable.
    assert!(batch.articles[0].origin.path.ends_with("lines.jsonl"));
    assert_eq!(batch.inputs, 6);
}

#[test]
fn strict_mode_fails_on_the_first_bad_record() {
    let d = TempDir::new("strict");
    d.write("a.jsonl", b"{\"text\":\"ok\"}\n{oops}\n");
    let options = IngestOptions {
        strict: true,
        ..Default::default()
    };
    let err = read_all(&[d.path().to_path_buf()], &options, &|_| {}).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("a.jsonl:2: invalid JSON: key must be a string at line 1 column 2"),
        "{err}"
    );
}

#[test]
fn gzip_is_transparent_and_truncation_is_reported() {
    let d = TempDir::new("gzip");
    let lines = |prefix: &str| {
        let mut s = String::new();
        for i in 0..2000 {
            s.push_str(&format!(
                "{{\"id\":\"{prefix}{i}\",\"text\":\"Article {i} about harbours.\"}}\n"
            ));
        }
        gzip(s.as_bytes())
    };
    d.write("whole.jsonl.gz", &lines("w"));
    let gz = lines("c");
    // Gzip content behind a name that does not say so.
    d.write(
        "sneaky.txt",
        &gzip(b"URL: https://s.example/1\n\nA gzipped text file."),
    );
    d.write("cut.jsonl.gz", &gz[..gz.len() * 2 / 3]);

    let batch = read(&[d.path().to_path_buf()], &IngestOptions::default());
    let from = |name: &str| {
        batch
            .articles
            .iter()
            .filter(|a| a.origin.path.ends_with(name))
            .count()
    };
    assert_eq!(from("whole.jsonl.gz"), 2000);
    assert_eq!(from("sneaky.txt"), 1);
    let cut = from("cut.jsonl.gz");
    assert!(cut > 500 && cut < 2000, "kept {cut} records before the cut");
    assert_eq!(batch.skipped.len(), 1, "{:?}", batch.skipped);
    let msg = batch.skipped[0].to_string();
    assert!(
        msg.contains("cut.jsonl.gz:") && msg.contains("truncated"),
        "{msg}"
    );
}

#[test]
fn limits_turn_huge_inputs_into_errors() {
    let d = TempDir::new("limits");
    d.write("big.txt", &b"word ".repeat(10_000));
    d.write("ok.txt", b"Small text.");
    d.write(
        "lines.jsonl",
        format!(
            "{{\"text\":\"{}\"}}\n{{\"text\":\"fine\"}}\n",
            "x".repeat(4000)
        )
        .as_bytes(),
    );
    let options = IngestOptions {
        limits: Limits {
            max_file_bytes: 1000,
            max_record_bytes: 1000,
        },
        ..Default::default()
    };
    let batch = read(&[d.path().to_path_buf()], &options);
    assert_eq!(batch.articles.len(), 2);
    let msgs: Vec<String> = batch.skipped.iter().map(|e| e.to_string()).collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("big.txt: too large: 50000 bytes, the limit is 1000")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("lines.jsonl:1: too large")),
        "{msgs:?}"
    );
}

#[test]
fn duplicate_ids_across_files() {
    let d = TempDir::new("dups");
    d.write(
        "1.jsonl",
        b"{\"id\":\"x\",\"text\":\"Same text.\"}\n{\"id\":\"y\",\"text\":\"Other.\"}\n",
    );
    d.write(
        "2.jsonl",
        b"{\"id\":\"x\",\"text\":\"Same text.\"}\n{\"id\":\"y\",\"text\":\"Different.\"}\n",
    );
    let batch = read(&[d.path().to_path_buf()], &IngestOptions::default());
    let ids: Vec<&str> = batch.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["x", "y", "y~2"]);
    assert_eq!(batch.skipped.len(), 1);
    assert_eq!(batch.skipped[0].code(), "duplicate_record");
    assert_eq!(batch.warnings.len(), 1);
    assert!(batch.warnings[0]
        .to_string()
        .contains("2.jsonl:2: duplicate id `y`"));
}

#[test]
fn missing_path_is_an_error_not_a_crash() {
    let batch = read(
        &[PathBuf::from("/definitely/not/here.txt")],
        &IngestOptions::default(),
    );
    assert!(batch.articles.is_empty());
    assert_eq!(batch.skipped[0].code(), "io");
    assert!(batch.skipped[0]
        .to_string()
        .starts_with("/definitely/not/here.txt: cannot read"));
}

#[test]
fn forced_format_overrides_guessing() {
    let d = TempDir::new("forced");
    let p = d.write(
        "data.log",
        b"{\"text\":\"looks like JSON but read as text\"}",
    );
    let options = IngestOptions {
        format: Some(retold_core::ingest::Format::Text),
        ..Default::default()
    };
    let batch = read(std::slice::from_ref(&p), &options);
    assert!(batch.articles[0].text.starts_with('{'));
    let batch = read(&[p], &IngestOptions::default());
    assert_eq!(batch.articles[0].text, "looks like JSON but read as text");
}

#[test]
fn streaming_keeps_order_and_bounds_chunks() {
    use retold_core::ingest::{collect_inputs, stream_inputs};
    use std::ops::ControlFlow;
    let d = TempDir::new("stream");
    let mut lines = String::new();
    for i in 0..1000 {
        lines.push_str(&format!("{{\"id\":\"s{i}\",\"text\":\"Text {i}.\"}}\n"));
    }
    lines.push_str("{bad}\n");
    d.write("a.jsonl", lines.as_bytes());
    d.write("b.txt", b"URL: https://b.example/1\n\nLast one.");
    let (inputs, _) = collect_inputs(&[d.path().to_path_buf()]);

    let mut seen = Vec::new();
    let mut errors = 0;
    stream_inputs(&inputs, &IngestOptions::default(), 64, &mut |chunk| {
        assert!(chunk.len() <= 64);
        for r in chunk {
            match r {
                Ok(a) => seen.push(a.id),
                Err(_) => errors += 1,
            }
        }
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(seen.len(), 1001);
    assert_eq!(errors, 1);
    assert_eq!(seen[0], "s0");
    assert_eq!(seen[999], "s999");
    assert!(seen[1000].starts_with('u'));

    // The sink can stop the run early.
    let mut chunks = 0;
    stream_inputs(&inputs, &IngestOptions::default(), 64, &mut |_| {
        chunks += 1;
        ControlFlow::Break(())
    })
    .unwrap();
    assert_eq!(chunks, 1);

    // Strict: the bad line is the error.
    let strict = IngestOptions {
        strict: true,
        ..Default::default()
    };
    let err = stream_inputs(&inputs, &strict, 64, &mut |_| ControlFlow::Continue(())).unwrap_err();
    assert!(err.to_string().contains("a.jsonl:1001"), "{err}");
}

#[test]
fn placeholder_dates_become_warnings_naming_the_record() {
    let d = TempDir::new("dates");
    d.write(
        "page.html",
        br#"<html><head><script type="application/ld+json">{"@type":"NewsArticle","datePublished":"0001-01-01T00:00:00Z"}</script></head>
<body><article><p>The harbour authority said on Tuesday that the new ferry terminal would open in March.</p></article></body></html>"#,
    );
    d.write(
        "lines.jsonl",
        b"{\"id\":\"ok\",\"published\":\"2019-11-19\",\"text\":\"Line one.\"}\n{\"id\":\"future\",\"published\":\"2999-01-01\",\"text\":\"Line two.\"}\n",
    );
    d.write("note.txt", b"date 2025-08-19\nThe ferry terminal opened.");
    let batch = read(&[d.path().to_path_buf()], &IngestOptions::default());
    assert_eq!(batch.articles.len(), 4);
    assert!(batch.skipped.is_empty());
    let warnings: Vec<String> = batch.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].ends_with(
            "lines.jsonl:2: publication date `2999-01-01` ignored: more than a day in the future"
        ),
        "{warnings:?}"
    );
    assert!(warnings[1].ends_with("page.html: publication date `0001-01-01T00:00:00Z` ignored: before 1990 (a placeholder)"), "{warnings:?}");
    let by_id = |id: &str| batch.articles.iter().find(|a| a.id == id).unwrap();
    assert_eq!(
        by_id("ok").published.unwrap().to_string(),
        "2019-11-19T00:00:00Z"
    );
    assert_eq!(by_id("future").published, None);
    assert_eq!(by_id("future").published_raw.as_deref(), Some("2999-01-01"));
    let note = batch
        .articles
        .iter()
        .find(|a| a.origin.path.ends_with("note.txt"))
        .unwrap();
    assert_eq!(note.published.unwrap().to_string(), "2025-08-19T00:00:00Z");
    assert_eq!(note.text, "The ferry terminal opened.");
}
