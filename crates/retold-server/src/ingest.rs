//! From request bodies and files to records, and from records to stored
//! and placed revisions.
//!
//! Parsing uses the library's readers ([`retold_core::ingest`]): JSON Lines
//! (also one object or an array), HTML pages, and for watched files every
//! format the CLI reads. Each record then gets its outcome against the
//! store: `new`, `revision` (same id, changed text), `unchanged` (same id,
//! same text as a stored revision: nothing happens) or `rejected`.

use std::collections::HashMap;
use std::io::BufRead;
use std::ops::ControlFlow;

use rayon::prelude::*;
use retold_core::article::Article;
use retold_core::error::IngestError;
use retold_core::ingest::{html, read_format, Format, IngestOptions};
use serde::Serialize;

use crate::store::{NewRevision, Store, StoreError};

/// One record of a request or file: an article ready for the store, or
/// why it is not.
pub type Record = Result<(Article, Option<IngestError>), IngestError>;

/// Reads a JSON Lines body (one object, JSON Lines, or an array) with the
/// library's reader; `name` names the records in messages (`name:line`).
pub fn read_jsonl(body: &[u8], name: &str, options: &IngestOptions) -> Vec<Record> {
    let mut reader: &[u8] = body;
    read_with(Format::Jsonl, &mut reader, name, options)
}

/// Reads one HTML page fetched from `url` (used for the canonical URL and
/// id when the page names none).
pub fn read_html(
    body: &[u8],
    url: Option<&str>,
    content_type: Option<&str>,
    name: &str,
) -> Vec<Record> {
    let origin = retold_core::article::Origin::whole(name);
    let page = html::decode_html(body, content_type);
    let r = html::extract_article(&page, url)
        .map_err(|k| IngestError::new(origin.clone(), k))
        .and_then(|draft| draft.finish_at(origin, true, jiff::Timestamp::now()));
    vec![r]
}

/// Reads `reader` as `format` (every format the CLI reads).
pub fn read_with(
    format: Format,
    reader: &mut dyn BufRead,
    name: &str,
    options: &IngestOptions,
) -> Vec<Record> {
    let mut raw = Vec::new();
    let _ = read_format(format, name, reader, &options.limits, &mut |r| {
        raw.push(r);
        ControlFlow::Continue(())
    });
    finish(raw, options)
}

/// Reads a file (any format, sniffed; gzip undone) as the CLI does.
pub fn read_file(input: &retold_core::ingest::Input, options: &IngestOptions) -> Vec<Record> {
    let mut raw = Vec::new();
    let _ = retold_core::ingest::read_input(input, options, &mut |r| {
        raw.push(r);
        ControlFlow::Continue(())
    });
    finish(raw, options)
}

fn finish(raw: Vec<retold_core::ingest::RawRecord>, options: &IngestOptions) -> Vec<Record> {
    let now = jiff::Timestamp::now();
    // Dates and languages in parallel, as the CLI's reader does.
    raw.into_par_iter()
        .map(|r| {
            r.and_then(|(draft, origin)| {
                draft.finish_at(origin, !options.skip_language_detection, now)
            })
        })
        .collect()
}

/// What became of one record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// Where the record was: `request:3` (line 3), `request: entry 2`, a
    /// file name.
    pub at: String,
    /// Line number for JSON Lines records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    pub status: Status,
    /// The article id (as given, or derived from the URL or text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its revision number: 1 for a new article; for `unchanged`, the
    /// stored revision with the same text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<i64>,
    /// The id the stories use for this revision (`id`, or `id~N`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine_id: Option<String>,
    /// The ingest sequence number of a stored revision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seq: Option<i64>,
    /// The story it is in once placed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story: Option<String>,
    /// Why a record was rejected, or a caveat of a kept one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Problem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<Problem>,
}

/// A machine code and a message naming the record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub code: String,
    pub message: String,
}

impl From<&IngestError> for Problem {
    fn from(e: &IngestError) -> Self {
        Problem {
            code: e.code().to_string(),
            message: e.to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    New,
    Revision,
    Unchanged,
    Rejected,
}

fn line_of(e: &retold_core::article::Origin) -> Option<u64> {
    match e.position {
        retold_core::article::Position::Line { line } => Some(line),
        _ => None,
    }
}

/// The hash that decides whether a re-posted text changed: the text's
/// bytes (as the CLI's duplicate check).
pub fn text_hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// Every record's outcome, and the revisions to store with the index of
/// their outcome.
pub type Plan = (Vec<Outcome>, Vec<(usize, NewRevision)>);

/// Decides each record's outcome against the store and the records before
/// it in the same batch. Returns the outcomes (in record order) and the
/// revisions to store, with the index of their outcome.
pub fn plan(store: &Store, records: Vec<Record>) -> Result<Plan, StoreError> {
    let mut outcomes = Vec::with_capacity(records.len());
    let mut new = Vec::new();
    // Revisions of this batch: article id → (rev, hash) list; engine ids taken.
    let mut batch_known: HashMap<String, Vec<(i64, u64, String)>> = HashMap::new();
    let mut batch_engine_ids: std::collections::HashSet<String> = Default::default();
    for r in records {
        let (mut article, warning) = match r {
            Ok(x) => x,
            Err(e) => {
                outcomes.push(Outcome {
                    at: e.origin.to_string(),
                    line: line_of(&e.origin),
                    status: Status::Rejected,
                    id: None,
                    rev: None,
                    engine_id: None,
                    seq: None,
                    story: None,
                    error: Some(Problem::from(&e)),
                    warning: None,
                });
                continue;
            }
        };
        let id = article.id.clone();
        let hash = text_hash(&article.text);
        let mut known: Vec<(i64, u64, String)> = match batch_known.get(&id) {
            Some(k) => k.clone(),
            None => store.known(&id)?.map(|k| k.hashes).unwrap_or_default(),
        };
        let base = Outcome {
            at: article.origin.to_string(),
            line: line_of(&article.origin),
            status: Status::New,
            id: Some(id.clone()),
            rev: None,
            engine_id: None,
            seq: None,
            story: None,
            error: None,
            warning: warning.as_ref().map(Problem::from),
        };
        if let Some((rev, _, engine_id)) = known.iter().find(|(_, h, _)| *h == hash) {
            outcomes.push(Outcome {
                status: Status::Unchanged,
                rev: Some(*rev),
                engine_id: Some(engine_id.clone()),
                ..base
            });
            continue;
        }
        let rev = known.len() as i64 + 1;
        let wanted = if rev == 1 {
            id.clone()
        } else {
            format!("{id}~{rev}")
        };
        // An engine id nobody uses yet (a given id may look like `x~2`).
        let mut engine_id = wanted.clone();
        let mut n = 2;
        while batch_engine_ids.contains(&engine_id) || store.engine_id_taken(&engine_id)? {
            engine_id = format!("{wanted}~{n}");
            n += 1;
        }
        batch_engine_ids.insert(engine_id.clone());
        known.push((rev, hash, engine_id.clone()));
        batch_known.insert(id.clone(), known);
        article.id = engine_id.clone();
        outcomes.push(Outcome {
            status: if rev == 1 {
                Status::New
            } else {
                Status::Revision
            },
            rev: Some(rev),
            engine_id: Some(engine_id),
            ..base
        });
        new.push((
            outcomes.len() - 1,
            NewRevision {
                article_id: id,
                rev,
                article,
                text_hash: hash,
            },
        ));
    }
    Ok((outcomes, new))
}
