//! Ingest: bytes of files, directories or stdin → `Article`s.
//!
//! One reader per format, chosen by extension and by sniffing the content;
//! gzip is undone transparently. A bad record becomes an [`IngestError`]
//! naming its file and line or record; the batch goes on.
//!
//! ```no_run
//! use retold_core::ingest::{read_all, IngestOptions};
//! let batch = read_all(&["examples/corpus".into()], &IngestOptions::default(), &|_| {}).unwrap();
//! for a in &batch.articles {
//!     println!("{} {:?}", a.id, a.title);
//! }
//! for e in &batch.skipped {
//!     eprintln!("skipped {e}");
//! }
//! ```

pub mod feed;
pub mod html;
pub mod jsonl;
pub mod plain;
mod source;
pub mod warc;

use std::collections::HashMap;
use std::io::BufRead;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::article::{Article, ArticleDraft, Origin};
use crate::error::{IngestError, IngestErrorKind};

pub use source::{list_inputs, open_input, Input};

/// A draft with its place, or the error that replaced it.
pub type RawRecord = Result<(ArticleDraft, Origin), IngestError>;

/// Where readers send their records; `Break` stops the reader (strict mode).
pub type Emit<'a> = dyn FnMut(RawRecord) -> ControlFlow<()> + 'a;

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
    Jsonl,
    Html,
    Feed,
    Warc,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Text,
        Format::Markdown,
        Format::Jsonl,
        Format::Html,
        Format::Feed,
        Format::Warc,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Jsonl => "jsonl",
            Format::Html => "html",
            Format::Feed => "feed",
            Format::Warc => "warc",
        }
    }

    /// The format a file name promises (`.gz` already stripped), if any.
    ///
    /// ```
    /// use retold_core::ingest::Format;
    /// assert_eq!(Format::from_extension("a/b.JSONL"), Some(Format::Jsonl));
    /// assert_eq!(Format::from_extension("feed.atom"), Some(Format::Feed));
    /// assert_eq!(Format::from_extension("notes"), None);
    /// ```
    pub fn from_extension(name: &str) -> Option<Format> {
        let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            "jsonl" | "ndjson" | "json" => Format::Jsonl,
            "html" | "htm" | "xhtml" => Format::Html,
            "rss" | "atom" => Format::Feed,
            "warc" => Format::Warc,
            // .xml may be a feed or a page: sniff it.
            _ => return None,
        })
    }

    /// Guesses the format from the first bytes of the content.
    ///
    /// ```
    /// use retold_core::ingest::Format;
    /// assert_eq!(Format::sniff(b"WARC/1.1\r\n"), Format::Warc);
    /// assert_eq!(Format::sniff(b"<?xml version=\"1.0\"?><rss>"), Format::Feed);
    /// assert_eq!(Format::sniff(b"  <!DOCTYPE html><html>"), Format::Html);
    /// assert_eq!(Format::sniff(b"{\"text\":\"a\"}\n"), Format::Jsonl);
    /// assert_eq!(Format::sniff(b"Title: A\n\nBody."), Format::Text);
    /// ```
    pub fn sniff(head: &[u8]) -> Format {
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let start = head
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(head.len());
        let head = &head[start..];
        if head.starts_with(b"WARC/") {
            return Format::Warc;
        }
        if head.starts_with(b"{") || head.starts_with(b"[") {
            return Format::Jsonl;
        }
        if head.starts_with(b"<") {
            let window = &head[..head.len().min(2048)];
            let lower: Vec<u8> = window.iter().map(u8::to_ascii_lowercase).collect();
            let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
            if has(b"<rss") || has(b"<feed") || has(b"<rdf:rdf") {
                return Format::Feed;
            }
            return Format::Html;
        }
        if head.starts_with(b"# ") {
            return Format::Markdown;
        }
        Format::Text
    }
}

/// Size limits that keep one bad input from exhausting memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Largest file read whole (text, HTML, feeds, JSON arrays), after decompression.
    pub max_file_bytes: u64,
    /// Largest single record: a JSON line, a WARC record.
    pub max_record_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 256 << 20,
            max_record_bytes: 16 << 20,
        }
    }
}

/// How to read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IngestOptions {
    pub limits: Limits,
    /// Stop at the first bad record instead of skipping it.
    pub strict: bool,
    /// Read every input as this format instead of guessing.
    pub format: Option<Format>,
    /// Leave unstated languages unknown instead of detecting them.
    pub skip_language_detection: bool,
}

/// Everything read from a set of inputs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Batch {
    pub articles: Vec<Article>,
    /// Records that were not read, in input order.
    pub skipped: Vec<IngestError>,
    /// Records kept with a caveat (renamed duplicate ids, dates not taken).
    pub warnings: Vec<IngestError>,
    /// Files (or stdin) read.
    pub inputs: usize,
}

/// Reads files, directories (recursively, in name order) and `-` for stdin.
///
/// Inputs are read in parallel; the result keeps input order. With
/// `options.strict` the first bad record is returned as the error.
/// `progress` is called with the byte size of each input as it is finished.
pub fn read_all(
    paths: &[PathBuf],
    options: &IngestOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Batch, IngestError> {
    let (inputs, unlisted) = collect_inputs(paths);
    read_inputs(&inputs, unlisted, options, progress)
}

/// Expands every path into inputs; entries that cannot be listed are errors.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<IngestError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        let (found, errs) = list_inputs(p);
        inputs.extend(found);
        errors.extend(errs);
    }
    (inputs, errors)
}

/// Reads listed inputs (see [`read_all`]); `unlisted` are listing errors to
/// report first.
pub fn read_inputs(
    inputs: &[Input],
    unlisted: Vec<IngestError>,
    options: &IngestOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Batch, IngestError> {
    let skipped = unlisted;
    let per_input: Vec<Vec<RawRecord>> = inputs
        .par_iter()
        .map(|input| {
            let mut records = Vec::new();
            let _ = read_input(input, options, &mut |r| {
                let stop = options.strict && r.is_err();
                records.push(r);
                if stop {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            });
            progress(input.size);
            records
        })
        .collect();

    let mut batch = Batch {
        inputs: inputs.len(),
        skipped,
        ..Default::default()
    };
    if options.strict {
        if let Some(e) = batch.skipped.first() {
            return Err(e.clone());
        }
    }
    let mut ids = IdRegistry::default();
    let now = jiff::Timestamp::now();
    for records in per_input {
        let finished = finish_records(records, &mut ids, options, now);
        add_to_batch(&mut batch, finished, options.strict)?;
    }
    Ok(batch)
}

/// An article read, with the warnings it was kept with (a date not taken,
/// a repeated id renamed).
pub type Admitted = (Article, Vec<IngestError>);

/// Finishes drafts (ids, dates, languages) in parallel and admits them in
/// order: a repeated id is renamed, an exact repeat of a record skipped.
fn finish_records(
    records: Vec<RawRecord>,
    ids: &mut IdRegistry,
    options: &IngestOptions,
    now: jiff::Timestamp,
) -> Vec<Result<Admitted, IngestError>> {
    let finished: Vec<Result<(Article, Option<IngestError>), IngestError>> = records
        .into_par_iter()
        .map(|r| {
            r.and_then(|(draft, origin)| {
                draft.finish_at(origin, !options.skip_language_detection, now)
            })
        })
        .collect();
    finished
        .into_iter()
        .map(|r| {
            r.and_then(|(a, date_warning)| {
                ids.admit(a).map(|(a, id_warning)| {
                    (a, date_warning.into_iter().chain(id_warning).collect())
                })
            })
        })
        .collect()
}

/// Puts admitted articles and their warnings into `batch`, bad records
/// into its `skipped`; under `strict` the first bad record is the error.
fn add_to_batch(
    batch: &mut Batch,
    records: Vec<Result<Admitted, IngestError>>,
    strict: bool,
) -> Result<(), IngestError> {
    for r in records {
        match r {
            Ok((article, warnings)) => {
                batch.warnings.extend(warnings);
                batch.articles.push(article);
            }
            Err(e) => {
                if strict {
                    return Err(e);
                }
                batch.skipped.push(e);
            }
        }
    }
    Ok(())
}

/// Reads records that a program hands over as JSON objects with the JSON
/// Lines fields (`id`, `url`, `source`, `title`, `published`, `text`, …;
/// see [`jsonl`]), the way `retold analyze` reads a JSON array file: each
/// record is named `NAME: entry N` (N from 1, counted over every call), ids
/// stay unique over every call (a repeated id is renamed `id~2`, an exact
/// repeat skipped). The Python package reads its records through this.
///
/// ```
/// use retold_core::ingest::{IngestOptions, RecordReader};
/// let mut reader = RecordReader::new("records", IngestOptions::default());
/// let objects = vec![
///     serde_json::json!({"id": "a", "text": "The bridge is closed."}),
///     serde_json::json!({"id": "b", "title": "No text"}),
/// ];
/// let objects = objects.into_iter().filter_map(|v| v.as_object().cloned()).collect();
/// let read = reader.read(objects);
/// assert_eq!(read[0].as_ref().unwrap().0.id, "a");
/// let e = read[1].as_ref().unwrap_err();
/// assert_eq!(e.to_string(), "records: entry 2: missing field: text");
/// ```
pub struct RecordReader {
    name: String,
    options: IngestOptions,
    ids: IdRegistry,
    read: u64,
}

impl RecordReader {
    /// A reader naming its records `name: entry N`.
    pub fn new(name: impl Into<String>, options: IngestOptions) -> Self {
        Self {
            name: name.into(),
            options,
            ids: IdRegistry::default(),
            read: 0,
        }
    }

    /// Records read so far (good and bad).
    pub fn count(&self) -> u64 {
        self.read
    }

    /// Reads objects; one result per object, in order.
    pub fn read(
        &mut self,
        objects: Vec<serde_json::Map<String, serde_json::Value>>,
    ) -> Vec<Result<Admitted, IngestError>> {
        let first = self.read;
        self.read += objects.len() as u64;
        let name = self.name.as_str();
        let records: Vec<RawRecord> = objects
            .into_par_iter()
            .enumerate()
            .map(|(i, map)| {
                let origin = Origin::new(
                    name,
                    crate::article::Position::Entry {
                        entry: first + i as u64 + 1,
                    },
                );
                jsonl::object_to_draft(map)
                    .map(|d| (d, origin.clone()))
                    .map_err(|k| IngestError::new(origin, k))
            })
            .collect();
        finish_records(
            records,
            &mut self.ids,
            &self.options,
            jiff::Timestamp::now(),
        )
    }

    /// Reads objects into a [`Batch`] (one input); a bad record is skipped
    /// and listed, or with `options.strict` returned as the error.
    pub fn read_batch(
        &mut self,
        objects: Vec<serde_json::Map<String, serde_json::Value>>,
    ) -> Result<Batch, IngestError> {
        let read = self.read(objects);
        let mut batch = Batch {
            inputs: 1,
            ..Default::default()
        };
        add_to_batch(&mut batch, read, self.options.strict)?;
        Ok(batch)
    }
}

/// Reads inputs one after another and hands over finished articles in
/// chunks of about `chunk` records, in input order; each chunk is finished
/// (ids, dates, languages) in parallel. Memory stays at one chunk, whatever
/// the size of the inputs. `sink` may stop the run by returning `Break`.
/// Under `options.strict` the first bad record is returned as the error.
pub fn stream_inputs(
    inputs: &[Input],
    options: &IngestOptions,
    chunk: usize,
    sink: &mut dyn FnMut(Vec<Result<Article, IngestError>>) -> ControlFlow<()>,
) -> Result<(), IngestError> {
    let chunk = chunk.max(1);
    let stop = std::sync::atomic::AtomicBool::new(false);
    // A reader thread parses while this thread finishes and hands over the
    // previous chunk; the channel holds two chunks, so memory stays bounded.
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<RawRecord>>(2);
        let stop = &stop;
        scope.spawn(move || {
            let mut pending: Vec<RawRecord> = Vec::with_capacity(chunk);
            for input in inputs {
                let _ = read_input(input, options, &mut |r| {
                    pending.push(r);
                    if pending.len() >= chunk {
                        let full = std::mem::replace(&mut pending, Vec::with_capacity(chunk));
                        if tx.send(full).is_err() || stop.load(std::sync::atomic::Ordering::Relaxed)
                        {
                            return ControlFlow::Break(());
                        }
                    }
                    ControlFlow::Continue(())
                });
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    return;
                }
            }
            if !pending.is_empty() {
                let _ = tx.send(pending);
            }
        });
        let mut ids = IdRegistry::default();
        for raw in rx {
            let finished: Vec<Result<Article, IngestError>> = raw
                .into_par_iter()
                .map(|r| {
                    r.and_then(|(draft, origin)| {
                        draft.finish_with(origin, !options.skip_language_detection)
                    })
                })
                .collect();
            let mut out = Vec::with_capacity(finished.len());
            for r in finished {
                // Duplicate-id and date warnings are dropped here; the renamed
                // (or undated) article is kept.
                let r = r.and_then(|a| ids.admit(a)).map(|(a, _)| a);
                if options.strict {
                    if let Err(e) = r {
                        stop.store(true, std::sync::atomic::Ordering::Relaxed);
                        return Err(e);
                    }
                }
                out.push(r);
            }
            if sink(out).is_break() {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
                return Ok(());
            }
        }
        Ok(())
    })
}

/// Reads one opened input with the reader for its format.
pub fn read_input(input: &Input, options: &IngestOptions, emit: &mut Emit) -> ControlFlow<()> {
    let mut reader = match open_input(input, options) {
        Ok(r) => r,
        Err(e) => return emit(Err(e)),
    };
    let format = match options.format {
        Some(f) => f,
        None => match reader.fill_buf() {
            Ok([]) => {
                return emit(Err(IngestError::new(
                    input.origin(),
                    IngestErrorKind::Empty,
                )))
            }
            Ok(head) => {
                if looks_binary(head) {
                    return emit(Err(IngestError::new(
                        input.origin(),
                        IngestErrorKind::Binary,
                    )));
                }
                input.format_hint.unwrap_or_else(|| Format::sniff(head))
            }
            Err(e) => return emit(Err(source::read_error(input.origin(), &e))),
        },
    };
    read_format(format, &input.name, &mut reader, &options.limits, emit)
}

/// Runs the reader of `format` over `reader`; `name` is used in messages.
pub fn read_format(
    format: Format,
    name: &str,
    reader: &mut dyn BufRead,
    limits: &Limits,
    emit: &mut Emit,
) -> ControlFlow<()> {
    match format {
        Format::Jsonl => jsonl::read(reader, name, limits, emit),
        Format::Warc => warc::read(reader, name, limits, emit),
        Format::Text | Format::Markdown | Format::Html | Format::Feed => {
            let origin = Origin::whole(name);
            let bytes = match source::read_limited(reader, limits.max_file_bytes, "file") {
                Ok(b) => b,
                Err(kind) => return emit(Err(IngestError::new(origin, kind))),
            };
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return emit(Err(IngestError::new(origin, IngestErrorKind::Empty)));
            }
            match format {
                Format::Feed => feed::read(&bytes, name, emit),
                Format::Html => {
                    let html = html::decode_html(&bytes, None);
                    let r = html::extract_article(&html, None)
                        .map(|d| (d, origin.clone()))
                        .map_err(|k| IngestError::new(origin, k));
                    emit(r)
                }
                _ => {
                    let r = plain::read(&bytes, format == Format::Markdown)
                        .map(|d| (d, origin.clone()))
                        .map_err(|k| IngestError::new(origin, k));
                    emit(r)
                }
            }
        }
    }
}

/// NUL bytes or many control characters in the first bytes.
fn looks_binary(head: &[u8]) -> bool {
    let window = &head[..head.len().min(8192)];
    if window.contains(&0) {
        return true;
    }
    let control = window
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 10 > window.len().max(1)
}

/// Keeps ids unique: an exact repeat of a record is skipped, a different
/// record reusing an id is kept under `id~2`, `id~3`, ….
#[derive(Default)]
struct IdRegistry {
    seen: HashMap<String, (u64, String)>,
}

impl IdRegistry {
    fn admit(&mut self, mut a: Article) -> Result<(Article, Option<IngestError>), IngestError> {
        // Raw bytes: an exact repeat of a record has the same text to the byte.
        let hash = xxhash_rust::xxh3::xxh3_64(a.text.as_bytes());
        let Some((first_hash, first_at)) = self.seen.get(&a.id).cloned() else {
            self.seen.insert(a.id.clone(), (hash, a.origin.to_string()));
            return Ok((a, None));
        };
        if first_hash == hash {
            let kind = IngestErrorKind::DuplicateRecord {
                id: a.id.clone(),
                first: first_at,
            };
            return Err(IngestError::new(a.origin.clone(), kind));
        }
        let mut n = 2;
        let renamed = loop {
            let candidate = format!("{}~{}", a.id, n);
            if !self.seen.contains_key(&candidate) {
                break candidate;
            }
            n += 1;
        };
        let kind = IngestErrorKind::DuplicateId {
            id: a.id.clone(),
            first: first_at,
            renamed: renamed.clone(),
        };
        a.id = renamed.clone();
        self.seen.insert(renamed, (hash, a.origin.to_string()));
        Ok((a.clone(), Some(IngestError::new(a.origin, kind))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_detection() {
        assert!(looks_binary(b"\x89PNG\r\n\x1a\n\0\0\0"));
        assert!(!looks_binary("Plain words, café.\n".as_bytes()));
    }

    #[test]
    fn duplicate_ids_are_renamed_or_skipped() {
        let mk = |id: &str, text: &str, path: &str| {
            ArticleDraft {
                id: Some(id.into()),
                text: text.into(),
                ..Default::default()
            }
            .finish(Origin::whole(path))
            .unwrap()
        };
        let mut reg = IdRegistry::default();
        assert!(reg.admit(mk("a", "one", "f1")).unwrap().1.is_none());
        let (renamed, warn) = reg.admit(mk("a", "two", "f2")).unwrap();
        assert_eq!(renamed.id, "a~2");
        assert_eq!(warn.unwrap().code(), "duplicate_id");
        let err = reg.admit(mk("a", "one", "f3")).unwrap_err();
        assert_eq!(err.code(), "duplicate_record");
        assert!(err.to_string().contains("first seen at f1"), "{err}");
    }
}
