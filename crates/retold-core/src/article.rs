//! The `Article`: one news text with its metadata and where it came from.

use std::collections::BTreeMap;
use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

/// Where inside an input a record sits, so every message can point at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Position {
    /// The whole file is one record.
    Whole,
    /// A 1-based line number (JSON Lines).
    Line { line: u64 },
    /// A 1-based record number and the byte offset where it starts (WARC).
    Record { record: u64, offset: u64 },
    /// A 1-based entry number inside a feed.
    Entry { entry: u64 },
}

/// The file (or `-` for stdin) and the position inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub path: String,
    #[serde(flatten)]
    pub position: Position,
}

impl Origin {
    pub fn new(path: impl Into<String>, position: Position) -> Self {
        Self {
            path: path.into(),
            position,
        }
    }

    pub fn whole(path: impl Into<String>) -> Self {
        Self::new(path, Position::Whole)
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.position {
            Position::Whole => write!(f, "{}", self.path),
            Position::Line { line } => write!(f, "{}:{}", self.path, line),
            Position::Record { record, offset } => {
                write!(f, "{}: record {} (byte {})", self.path, record, offset)
            }
            Position::Entry { entry } => write!(f, "{}: entry {}", self.path, entry),
        }
    }
}

/// One news article, as read from any input format.
///
/// `text` is the main text as the source gave it (after HTML extraction); the
/// `text` module derives normalized text and sentences from it, with offsets
/// that point back into this string.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable id: given by the input, else from the canonical URL, else from the content.
    pub id: String,
    pub url: Option<String>,
    /// Outlet name; the URL host when the input names none.
    pub source: Option<String>,
    pub title: Option<String>,
    pub byline: Option<String>,
    /// Publication time, when the input's date could be parsed.
    pub published: Option<Timestamp>,
    /// The date string exactly as the input gave it.
    pub published_raw: Option<String>,
    /// ISO 639-1 code (`en`, `de`, …), given or detected.
    pub language: Option<String>,
    pub text: String,
    pub origin: Origin,
    /// Any other fields the input carried (JSON Lines extras, feed categories…).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, serde_json::Value>,
}

impl Article {
    /// This article without its text and extra fields: what an article row
    /// of a report shows (the engine takes the texts, the rows keep the rest).
    pub fn without_text(&self) -> Article {
        Article {
            id: self.id.clone(),
            url: self.url.clone(),
            source: self.source.clone(),
            title: self.title.clone(),
            byline: self.byline.clone(),
            published: self.published,
            published_raw: self.published_raw.clone(),
            language: self.language.clone(),
            text: String::new(),
            origin: self.origin.clone(),
            metadata: Default::default(),
        }
    }

    /// This article as a record of the JSON Lines input format, so it can
    /// be read again (`retold dedup --keep` writes these): `id`, the fields
    /// it has (`published` as the input gave it), `text`, then its extra
    /// fields.
    ///
    /// ```
    /// use retold_core::article::{ArticleDraft, Origin};
    /// let a = ArticleDraft { id: Some("a".into()), text: "Body.".into(), ..Default::default() }
    ///     .finish_with(Origin::whole("a.txt"), false)
    ///     .unwrap();
    /// assert_eq!(serde_json::Value::Object(a.to_record()), serde_json::json!({"id": "a", "text": "Body."}));
    /// ```
    pub fn to_record(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut obj = serde_json::Map::new();
        obj.insert("id".into(), self.id.clone().into());
        for (k, v) in [
            ("url", &self.url),
            ("source", &self.source),
            ("title", &self.title),
            ("byline", &self.byline),
            ("published", &self.published_raw),
            ("language", &self.language),
        ] {
            if let Some(v) = v {
                obj.insert(k.into(), v.clone().into());
            }
        }
        obj.insert("text".into(), self.text.clone().into());
        for (k, v) in &self.metadata {
            obj.entry(k.clone()).or_insert_with(|| v.clone());
        }
        obj
    }
}

/// What a reader extracted before ids, dates and languages are settled.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleDraft {
    pub id: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    pub byline: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    pub text: String,
    pub metadata: BTreeMap<String, serde_json::Value>,
}

impl ArticleDraft {
    /// Settles id, source, date and language. Fails when there is no text.
    pub fn finish(self, origin: Origin) -> Result<Article, crate::error::IngestError> {
        self.finish_with(origin, true)
    }

    /// Like [`ArticleDraft::finish`]; `detect_language: false` leaves an
    /// unstated language unknown (saves time where it is not needed).
    pub fn finish_with(
        self,
        origin: Origin,
        detect_language: bool,
    ) -> Result<Article, crate::error::IngestError> {
        self.finish_at(origin, detect_language, Timestamp::now())
            .map(|(article, _)| article)
    }

    /// Like [`ArticleDraft::finish_with`], and also returns the warning
    /// about a date that was not taken: a placeholder or impossible date
    /// (before 1990, or more than a day after `now`) leaves `published`
    /// empty, keeps `published_raw`, and names the record in the warning.
    ///
    /// ```
    /// use retold_core::article::{ArticleDraft, Origin};
    /// let draft = ArticleDraft {
    ///     text: "Body.".into(),
    ///     published: Some("0001-01-01T00:00:00Z".into()),
    ///     ..Default::default()
    /// };
    /// let now = "2026-03-14T00:00:00Z".parse().unwrap();
    /// let (a, warning) = draft.finish_at(Origin::whole("page.html"), false, now).unwrap();
    /// assert_eq!(a.published, None);
    /// assert_eq!(a.published_raw.as_deref(), Some("0001-01-01T00:00:00Z"));
    /// assert_eq!(
    ///     warning.unwrap().to_string(),
    ///     "page.html: publication date `0001-01-01T00:00:00Z` ignored: before 1990 (a placeholder)"
    /// );
    /// ```
    pub fn finish_at(
        self,
        origin: Origin,
        detect_language: bool,
        now: Timestamp,
    ) -> Result<(Article, Option<crate::error::IngestError>), crate::error::IngestError> {
        let text = self.text;
        if text.trim().is_empty() {
            return Err(crate::error::IngestError::new(
                origin,
                crate::error::IngestErrorKind::NoText,
            ));
        }
        let url = self.url.and_then(|u| canonical_url(&u));
        let id = match non_empty(self.id) {
            Some(id) => id,
            None => match &url {
                Some(u) => format!("u{:016x}", xxh3_64(u.as_bytes())),
                None => format!("h{:016x}", content_hash(&text)),
            },
        };
        let source = non_empty(self.source).or_else(|| url.as_deref().and_then(host_of));
        let published_raw = non_empty(self.published);
        let mut warning = None;
        let published = published_raw
            .as_deref()
            .and_then(crate::dates::parse_date)
            .and_then(|t| match crate::dates::check_plausible(t, now) {
                Ok(t) => Some(t),
                Err(why) => {
                    let raw = published_raw.clone().unwrap_or_default();
                    let kind = crate::error::IngestErrorKind::ImplausibleDate { raw, why };
                    warning = Some(crate::error::IngestError::new(origin.clone(), kind));
                    None
                }
            });
        let language = non_empty(self.language)
            .map(|l| normalize_language_code(&l))
            .or_else(|| {
                detect_language
                    .then(|| crate::text::detect_language(&text))
                    .flatten()
                    .map(|l| l.to_string())
            });
        let article = Article {
            id,
            url,
            source,
            title: non_empty(self.title).map(|t| collapse_ws(&t)),
            byline: non_empty(self.byline).map(|t| collapse_ws(&t)),
            published,
            published_raw,
            language,
            text,
            origin,
            metadata: self.metadata,
        };
        Ok((article, warning))
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Hash of the text with white space folded, so re-wrapped copies of one file share it.
pub fn content_hash(text: &str) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for (i, w) in text.split_whitespace().enumerate() {
        if i > 0 {
            h.update(b" ");
        }
        h.update(w.as_bytes());
    }
    h.digest()
}

/// Lower-cases the scheme and host, drops the fragment, tracking parameters
/// (`utm_*`, `fbclid`, `gclid`) and a trailing slash, so one page has one URL.
///
/// ```
/// use retold_core::article::canonical_url;
/// assert_eq!(
///     canonical_url("HTTPS://News.Example/a/b/?utm_source=x&id=3#top").as_deref(),
///     Some("https://news.example/a/b?id=3")
/// );
/// assert_eq!(canonical_url("not a url"), None);
/// ```
pub fn canonical_url(raw: &str) -> Option<String> {
    let mut u = url::Url::parse(raw.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    u.set_fragment(None);
    let kept: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !(k.starts_with("utm_") || k == "fbclid" || k == "gclid" || k == "ocid")
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(kept);
    }
    let mut s = u.to_string();
    if u.path().len() > 1 && u.path().ends_with('/') && u.query().is_none() {
        s.pop();
    } else if let Some(q) = s.find("/?") {
        if u.path().len() > 1 {
            s.remove(q);
        }
    }
    Some(s)
}

/// The host of a URL without a leading `www.`.
pub fn host_of(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    let host = u.host_str()?;
    Some(host.strip_prefix("www.").unwrap_or(host).to_string())
}

/// `EN`, `en-US`, `en_GB` → `en`.
fn normalize_language_code(code: &str) -> String {
    code.split(['-', '_'])
        .next()
        .unwrap_or(code)
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(text: &str) -> ArticleDraft {
        ArticleDraft {
            text: text.to_string(),
            ..Default::default()
        }
    }

    #[test]
    fn id_prefers_given_then_url_then_content() {
        let o = Origin::whole("a.txt");
        let mut d = draft("Some text here.");
        d.id = Some(" given-1 ".into());
        d.url = Some("https://x.example/a".into());
        assert_eq!(d.clone().finish(o.clone()).unwrap().id, "given-1");
        d.id = None;
        let by_url = d.clone().finish(o.clone()).unwrap();
        assert!(by_url.id.starts_with('u'));
        // Tracking parameters do not change the id.
        d.url = Some("https://x.example/a?utm_source=feed".into());
        assert_eq!(d.clone().finish(o.clone()).unwrap().id, by_url.id);
        d.url = None;
        let by_text = d.finish(o.clone()).unwrap();
        assert!(by_text.id.starts_with('h'));
        // Stable: same text, same id; white space does not matter.
        assert_eq!(draft("Some  text\nhere.").finish(o).unwrap().id, by_text.id);
    }

    #[test]
    fn source_falls_back_to_host() {
        let mut d = draft("Text.");
        d.url = Some("https://www.harbor-gazette.example/2026/story".into());
        let a = d.finish(Origin::whole("x")).unwrap();
        assert_eq!(a.source.as_deref(), Some("harbor-gazette.example"));
    }

    #[test]
    fn empty_text_is_an_error_naming_the_place() {
        let err = draft("  \n ")
            .finish(Origin::new("feed.xml", Position::Entry { entry: 3 }))
            .unwrap_err();
        assert_eq!(err.to_string(), "feed.xml: entry 3: no article text");
    }

    #[test]
    fn language_code_is_normalized() {
        let mut d = draft("Text.");
        d.language = Some("en-US".into());
        assert_eq!(
            d.finish(Origin::whole("x")).unwrap().language.as_deref(),
            Some("en")
        );
    }

    #[test]
    fn implausible_dates_are_dropped_with_a_warning() {
        let now: Timestamp = "2026-03-14T12:00:00Z".parse().unwrap();
        let with_date = |raw: &str| {
            let mut d = draft("Text.");
            d.published = Some(raw.into());
            d.finish_at(
                Origin::new("a.jsonl", Position::Line { line: 4 }),
                false,
                now,
            )
            .unwrap()
        };
        for raw in [
            "0001-01-01",
            "0001-01-01T00:00:00Z",
            "0000000000",
            "1970-01-01T00:00:00Z",
        ] {
            let (a, w) = with_date(raw);
            assert_eq!(a.published, None, "{raw}");
            assert_eq!(a.published_raw.as_deref(), Some(raw));
            let w = w.unwrap_or_else(|| panic!("no warning for {raw}"));
            assert_eq!(w.code(), "implausible_date");
            assert!(w.kind.is_warning());
            assert!(w.to_string().starts_with("a.jsonl:4: "), "{w}");
        }
        let (a, w) = with_date("2026-03-20");
        assert_eq!(a.published, None);
        assert!(w.unwrap().to_string().contains("in the future"));
        // A real date passes without a warning; an unparsable one is kept raw, silently.
        let (a, w) = with_date("2026-03-14T09:00:00+01:00");
        assert_eq!(a.published.unwrap().to_string(), "2026-03-14T08:00:00Z");
        assert!(w.is_none());
        let (a, w) = with_date("soon");
        assert_eq!((a.published, w), (None, None));
    }

    #[test]
    fn origin_display() {
        let o = Origin::new(
            "a.warc",
            Position::Record {
                record: 2,
                offset: 512,
            },
        );
        assert_eq!(o.to_string(), "a.warc: record 2 (byte 512)");
        assert_eq!(
            Origin::new("a.jsonl", Position::Line { line: 7 }).to_string(),
            "a.jsonl:7"
        );
    }
}
