//! Typed errors of the library.

use serde::{Serialize, Serializer};

use crate::article::Origin;

/// A record that could not be read, with the place it came from.
///
/// Displayed as `path:line: message` (or `path: record N (byte B): message`),
/// so users can go straight to the bad input.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[error("{origin}: {kind}")]
pub struct IngestError {
    pub origin: Origin,
    #[serde(serialize_with = "as_display")]
    pub kind: IngestErrorKind,
}

impl IngestError {
    pub fn new(origin: Origin, kind: IngestErrorKind) -> Self {
        Self { origin, kind }
    }

    /// A short machine-readable name of the kind (`invalid_json`, `too_large`, …).
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

fn as_display<S: Serializer, T: std::fmt::Display>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// What went wrong with one record or file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IngestErrorKind {
    #[error("cannot read: {0}")]
    Io(String),
    #[error("empty input")]
    Empty,
    #[error("binary data, not text (found a NUL byte or too many control characters)")]
    Binary,
    #[error("invalid UTF-8 at byte {0}")]
    InvalidUtf8(u64),
    #[error("too large: {size} bytes, the limit is {limit} (raise it with --max-{what}-bytes)")]
    TooLarge {
        what: &'static str,
        size: u64,
        limit: u64,
    },
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    #[error("missing field: {0}")]
    MissingField(&'static str),
    #[error("field `{field}` has the wrong type: expected {expected}")]
    WrongType {
        field: &'static str,
        expected: &'static str,
    },
    #[error("no article text")]
    NoText,
    #[error("malformed HTML: {0}")]
    Html(String),
    #[error("malformed feed: {0}")]
    Feed(String),
    #[error("malformed WARC: {0}")]
    Warc(String),
    #[error("truncated input: {0}")]
    Truncated(String),
    #[error("corrupt gzip stream: {0}")]
    Gzip(String),
    #[error("duplicate id `{id}` (first seen at {first}); kept as `{renamed}`")]
    DuplicateId {
        id: String,
        first: String,
        renamed: String,
    },
    #[error("exact duplicate of `{id}` (first seen at {first}); skipped")]
    DuplicateRecord { id: String, first: String },
    #[error("unsupported format: {0}")]
    Unsupported(String),
    #[error("publication date `{raw}` ignored: {why}")]
    ImplausibleDate {
        raw: String,
        why: crate::dates::Implausible,
    },
}

impl IngestErrorKind {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Io(_) => "io",
            Self::Empty => "empty",
            Self::Binary => "binary",
            Self::InvalidUtf8(_) => "invalid_utf8",
            Self::TooLarge { .. } => "too_large",
            Self::InvalidJson(_) => "invalid_json",
            Self::MissingField(_) => "missing_field",
            Self::WrongType { .. } => "wrong_type",
            Self::NoText => "no_text",
            Self::Html(_) => "html",
            Self::Feed(_) => "feed",
            Self::Warc(_) => "warc",
            Self::Truncated(_) => "truncated",
            Self::Gzip(_) => "gzip",
            Self::DuplicateId { .. } => "duplicate_id",
            Self::DuplicateRecord { .. } => "duplicate_record",
            Self::Unsupported(_) => "unsupported",
            Self::ImplausibleDate { .. } => "implausible_date",
        }
    }

    /// Warnings keep the record (renamed, or without its date); everything
    /// else skips it.
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            Self::DuplicateId { .. } | Self::ImplausibleDate { .. }
        )
    }
}
