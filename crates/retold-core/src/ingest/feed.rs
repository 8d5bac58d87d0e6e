//! RSS and Atom feeds: one article per entry.
//!
//! Two passes over the same bytes:
//!
//! * [`feed_rs`] parses the structure (RSS 0.9x/1.0/2.0, Atom, JSON Feed):
//!   links resolved against `xml:base`, titles, authors, content and summary
//!   with their media types, categories.
//! * a light quick-xml pass (`scan`) keeps what feed-rs drops or invents:
//!   dates exactly as written (feed-rs turns "14 Mar 2026 9:30 EST" into
//!   nothing), ids only when the feed gives one (feed-rs makes one up),
//!   `xml:lang`, an item's `<source>`. It is also the fallback: when feed-rs
//!   rejects the document (a truncated download, broken XML, an `<rss>`
//!   without a version it knows) the pass still yields every complete entry
//!   before the break, and the break is reported after them.
//!
//! The quick-xml pass decides which entries exist; feed-rs fields are used
//! when both passes saw the same entries.
//!
//! Per entry: `url` is the (alternate) link, else a permalink `guid`; `id` is
//! the guid or Atom id only when there is no URL; `published` is the raw
//! `pubDate` / `published` / `dc:date` / `updated`; `source` is the item's
//! `<source>` or the channel title; `text` is `content:encoded` / Atom
//! `content`, else `description` / `summary`, HTML turned into text;
//! categories go to `metadata["categories"]`.

mod scan;

use std::borrow::Cow;
use std::ops::ControlFlow;

use feed_rs::model as fr;

use self::scan::{Markup, RawEntry, RawText, Scanned, Stop};
use super::html::fragment_to_text;
use super::Emit;
use crate::article::{ArticleDraft, Origin, Position};
use crate::error::{IngestError, IngestErrorKind};

/// Reads every entry of a feed held in `bytes`; `name` is used in messages.
///
/// Entries are numbered from 1 in document order; an entry without text is
/// a `NoText` error at its number and the others are still read. A document
/// that is no feed at all is one error for the whole file.
pub fn read(bytes: &[u8], name: &str, emit: &mut Emit) -> ControlFlow<()> {
    let xml = decode_xml(bytes);
    let scanned = scan::scan(&xml);
    let parsed = parse_with_feed_rs(bytes);
    let whole = Origin::whole(name);

    if scanned.dialect.is_none() {
        // Not RSS or Atom XML; feed-rs may still know it (JSON Feed).
        return match parsed {
            Ok(feed) if !feed.entries.is_empty() => {
                for (i, e) in feed.entries.iter().enumerate() {
                    let draft = draft_from_feed_rs(e, &feed);
                    emit(finish_entry(draft, name, i))?;
                }
                ControlFlow::Continue(())
            }
            _ => emit(Err(IngestError::new(
                whole,
                IngestErrorKind::Feed(not_a_feed(&scanned, &xml)),
            ))),
        };
    }

    let fr_feed = parsed.ok();
    // Use feed-rs's fields only when it saw exactly the entries the scan saw.
    let matched = fr_feed
        .as_ref()
        .filter(|f| scanned.stop.is_none() && f.entries.len() == scanned.entries.len());
    let channel = Channel::new(&scanned, matched);
    for (i, raw) in scanned.entries.iter().enumerate() {
        let fr_entry = matched.map(|f| &f.entries[i]);
        let draft = draft_from(raw, fr_entry, &channel);
        emit(finish_entry(draft, name, i))?;
    }

    let done = scanned.entries.len();
    match &scanned.stop {
        None if done == 0 => emit(Err(IngestError::new(
            whole,
            IngestErrorKind::Feed("the feed has no items or entries".into()),
        ))),
        None => ControlFlow::Continue(()),
        Some(Stop::Truncated { open, in_entry }) => {
            let origin = broken_at(name, *in_entry, done);
            let place = if *in_entry {
                format!("inside <{open}> of entry {}", done + 1)
            } else {
                format!("inside <{open}>")
            };
            emit(Err(IngestError::new(
                origin,
                IngestErrorKind::Truncated(format!(
                    "the feed ends {place}; {} complete {} before it were read",
                    done,
                    plural(done)
                )),
            )))
        }
        Some(Stop::Malformed {
            at,
            message,
            in_entry,
        }) => {
            let origin = broken_at(name, *in_entry, done);
            let line = line_of(&xml, *at);
            emit(Err(IngestError::new(
                origin,
                IngestErrorKind::Feed(format!(
                    "broken XML at line {line}: {message}; {done} complete {} before it were read, the rest is skipped",
                    plural(done)
                )),
            )))
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        "entry"
    } else {
        "entries"
    }
}

/// The entry being read when the feed broke, or the whole file.
fn broken_at(name: &str, in_entry: bool, done: usize) -> Origin {
    if in_entry {
        Origin::new(
            name,
            Position::Entry {
                entry: done as u64 + 1,
            },
        )
    } else {
        Origin::whole(name)
    }
}

fn finish_entry(draft: ArticleDraft, name: &str, index: usize) -> super::RawRecord {
    let origin = Origin::new(
        name,
        Position::Entry {
            entry: index as u64 + 1,
        },
    );
    if draft.text.trim().is_empty() {
        Err(IngestError::new(origin, IngestErrorKind::NoText))
    } else {
        Ok((draft, origin))
    }
}

/// Says why a document is not a feed.
fn not_a_feed(scanned: &Scanned, xml: &str) -> String {
    if let Some(root) = &scanned.root {
        return format!("not an RSS or Atom feed: the root element is <{root}>");
    }
    match &scanned.stop {
        Some(Stop::Malformed { at, message, .. }) => {
            format!(
                "not a feed: no XML root element (line {}: {message})",
                line_of(xml, *at)
            )
        }
        _ => "not a feed: no XML root element".into(),
    }
}

fn line_of(xml: &str, at: u64) -> usize {
    let at = (at as usize).min(xml.len());
    let at = (0..=at)
        .rev()
        .find(|&i| xml.is_char_boundary(i))
        .unwrap_or(0);
    xml[..at].matches('\n').count() + 1
}

/// feed-rs on the raw bytes (it honours the XML declaration's encoding).
/// A panic inside it is a failed parse, not a crash of the batch.
fn parse_with_feed_rs(bytes: &[u8]) -> Result<fr::Feed, String> {
    std::panic::catch_unwind(|| {
        // Its parsed dates are used only where no raw string exists (JSON Feed).
        feed_rs::parser::parse(bytes)
    })
    .map_err(|_| "feed parser panicked".to_string())?
    .map_err(|e| e.to_string())
}

/// Decodes feed bytes: BOM, else the XML declaration's `encoding`, else
/// UTF-8; invalid UTF-8 is read as Windows-1252, the usual mislabel.
fn decode_xml(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return text;
    }
    let declared = declared_encoding(bytes)
        .and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes()))
        // UTF-16 without a BOM is almost always a wrong label on ASCII bytes.
        .filter(|e| *e != encoding_rs::UTF_16LE && *e != encoding_rs::UTF_16BE)
        .unwrap_or(encoding_rs::UTF_8);
    let (text, had_errors) = declared.decode_without_bom_handling(bytes);
    if had_errors && declared == encoding_rs::UTF_8 {
        return encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0;
    }
    text
}

/// `encoding="…"` of an `<?xml …?>` declaration at the start.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(512)];
    let start = head.windows(5).position(|w| w == b"<?xml")?;
    let end = start + head[start..].windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&head[start..end]).ok()?;
    let at = decl.find("encoding")? + "encoding".len();
    let rest = decl[at..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].trim().to_string())
}

/// Feed-level values every entry inherits.
struct Channel {
    title: Option<String>,
    language: Option<String>,
}

impl Channel {
    fn new(scanned: &Scanned, fr_feed: Option<&fr::Feed>) -> Self {
        let title = scanned
            .title
            .as_ref()
            .map(raw_text)
            .or_else(|| fr_feed.and_then(|f| f.title.as_ref()).map(fr_text))
            .map(|t| one_line(&t))
            .filter(|t| !t.is_empty());
        let language = scanned
            .language
            .clone()
            .or_else(|| fr_feed.and_then(|f| f.language.clone()));
        Self { title, language }
    }
}

/// One entry: the scan's raw strings, feed-rs's structure when it agreed.
fn draft_from(raw: &RawEntry, fr_entry: Option<&fr::Entry>, channel: &Channel) -> ArticleDraft {
    let mut draft = ArticleDraft::default();

    let link = fr_entry
        .and_then(fr_alternate_link)
        .or_else(|| raw.alternate_link().map(str::to_string));
    // An RSS guid is a permalink unless it says otherwise.
    let permalink = raw
        .guid
        .as_deref()
        .filter(|g| !raw.guid_not_permalink && is_http_url(g))
        .map(str::to_string);
    draft.url = link.or(permalink);
    if draft.url.is_none() {
        draft.id = raw.guid.clone();
    }

    draft.title = fr_entry
        .and_then(|e| e.title.as_ref())
        .map(fr_text)
        .or_else(|| raw.title.as_ref().map(raw_text))
        .map(|t| one_line(&t))
        .filter(|t| !t.is_empty());

    let fr_authors: Vec<String> = fr_entry
        .map(|e| {
            e.authors
                .iter()
                .filter_map(|p| p.name.as_deref().map(str::trim))
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let authors = if fr_authors.is_empty() {
        &raw.authors
    } else {
        &fr_authors
    };
    if !authors.is_empty() {
        draft.byline = Some(authors.join(", "));
    }

    draft.published = raw.published().map(str::to_string).or_else(|| {
        fr_entry
            .and_then(|e| e.published.or(e.updated))
            .map(|d| d.to_rfc3339())
    });
    draft.language = raw.language.clone().or_else(|| channel.language.clone());
    draft.source = raw.source.clone().or_else(|| channel.title.clone());
    if raw.source.is_some() {
        if let Some(feed) = &channel.title {
            draft.metadata.insert("feed".into(), feed.clone().into());
        }
    }

    // Full content beats a summary, whichever pass found it.
    let fr_content = fr_entry
        .and_then(|e| e.content.as_ref())
        .and_then(|c| Some((c.body.as_deref()?, c.content_type.to_string())))
        .map(|(body, mime)| text_of(body, markup_of_mime(&mime)));
    let fr_summary = fr_entry.and_then(|e| e.summary.as_ref()).map(fr_text);
    draft.text = [
        fr_content,
        raw.content.as_ref().map(raw_text),
        fr_summary,
        raw.summary.as_ref().map(raw_text),
    ]
    .into_iter()
    .flatten()
    .find(|t| !t.trim().is_empty())
    .unwrap_or_default();

    let fr_categories: Vec<String> = fr_entry
        .map(|e| {
            e.categories
                .iter()
                .map(|c| c.label.as_deref().unwrap_or(&c.term).trim().to_string())
                .filter(|c| !c.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let categories = if fr_categories.is_empty() {
        &raw.categories
    } else {
        &fr_categories
    };
    if !categories.is_empty() {
        draft
            .metadata
            .insert("categories".into(), categories.clone().into());
    }
    draft
}

/// An entry known only to feed-rs (JSON Feed).
fn draft_from_feed_rs(e: &fr::Entry, feed: &fr::Feed) -> ArticleDraft {
    let channel = Channel {
        title: feed
            .title
            .as_ref()
            .map(|t| one_line(&fr_text(t)))
            .filter(|t| !t.is_empty()),
        language: e.language.clone().or_else(|| feed.language.clone()),
    };
    let mut raw = RawEntry::default();
    if e.links.is_empty() && !e.id.is_empty() && is_http_url(&e.id) {
        raw.guid = Some(e.id.clone());
    }
    draft_from(&raw, Some(e), &channel)
}

fn fr_alternate_link(e: &fr::Entry) -> Option<String> {
    e.links
        .iter()
        .filter(|l| l.target.is_none())
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .map(|l| l.href.trim().to_string())
        .filter(|h| !h.is_empty())
}

/// Titles and names: one line, single spaces.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_http_url(s: &str) -> bool {
    let s = s.trim();
    s.starts_with("http://") || s.starts_with("https://")
}

fn markup_of_mime(mime: &str) -> Markup {
    if mime.contains("html") {
        Markup::Html
    } else {
        // feed-rs calls Atom text and RSS titles text/plain; HTML shows up there too.
        Markup::Guess
    }
}

fn fr_text(t: &fr::Text) -> String {
    text_of(&t.content, markup_of_mime(t.content_type.as_ref()))
}

fn raw_text(t: &RawText) -> String {
    text_of(&t.body, t.markup)
}

/// Plain text of a feed field: HTML fragments through the HTML stage,
/// plain text kept as written.
fn text_of(body: &str, markup: Markup) -> String {
    let body = body.trim();
    match markup {
        Markup::Plain => body.to_string(),
        Markup::Html | Markup::Guess if looks_like_html(body) => fragment_to_text(body),
        Markup::Html | Markup::Guess => body.to_string(),
    }
}

/// A tag (`<p`, `</`, `<br/>`, `<!--`) or an entity (`&amp;`, `&#39;`).
fn looks_like_html(s: &str) -> bool {
    let b = s.as_bytes();
    let tag = b
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
        && s.contains('>');
    tag || has_entity(s)
}

fn has_entity(s: &str) -> bool {
    s.match_indices('&').any(|(i, _)| {
        let rest = &s[i + 1..];
        let end = rest.find(';').filter(|&e| (1..=10).contains(&e));
        end.is_some_and(|e| {
            let name = &rest[..e];
            name.strip_prefix('#').map_or_else(
                || name.chars().all(|c| c.is_ascii_alphanumeric()),
                |n| {
                    !n.is_empty()
                        && (n.chars().all(|c| c.is_ascii_digit())
                            || (n.starts_with(['x', 'X'])
                                && n[1..].chars().all(|c| c.is_ascii_hexdigit())))
                },
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/feed/");

    type Out = Vec<Result<(ArticleDraft, Origin), IngestError>>;

    fn run_bytes(bytes: &[u8]) -> Out {
        let mut out = Vec::new();
        let _ = read(bytes, "f.xml", &mut |r| {
            out.push(r);
            ControlFlow::Continue(())
        });
        out
    }

    fn fixture(name: &str) -> Out {
        let bytes = std::fs::read(format!("{FIXTURES}{name}")).unwrap();
        let mut out = Vec::new();
        let _ = read(&bytes, name, &mut |r| {
            out.push(r);
            ControlFlow::Continue(())
        });
        out
    }

    fn ok(out: &Out, i: usize) -> &ArticleDraft {
        &out[i].as_ref().unwrap_or_else(|e| panic!("{e}")).0
    }

    fn err(out: &Out, i: usize) -> &IngestError {
        out[i].as_ref().expect_err("an error")
    }

    #[test]
    fn rss2_content_encoded_and_odd_date() {
        let out = fixture("rss2.xml");
        assert_eq!(out.len(), 2, "{out:?}");
        let a = ok(&out, 0);
        assert_eq!(
            a.url.as_deref(),
            Some("https://harbor-gazette.example/2026/03/bridge")
        );
        assert_eq!(a.id, None, "a link makes the guid unnecessary");
        assert_eq!(
            a.title.as_deref(),
            Some("Harbor bridge closes after crack found")
        );
        assert_eq!(a.byline.as_deref(), Some("Mara Quill"));
        // feed-rs cannot parse this date; the raw string must survive.
        assert_eq!(a.published.as_deref(), Some("14 Mar 2026 9:30 EST"));
        assert_eq!(a.source.as_deref(), Some("Harbor Gazette"));
        assert_eq!(a.language.as_deref(), Some("en-us"));
        assert!(
            a.text.starts_with("Engineers closed the Harbor bridge"),
            "{}",
            a.text
        );
        assert!(a.text.contains("Traffic is diverted"), "{}", a.text);
        assert!(!a.text.contains('<'), "{}", a.text);
        assert_eq!(
            a.metadata["categories"],
            serde_json::json!(["City", "Transport"])
        );
        assert_eq!(
            out[0].as_ref().unwrap().1,
            Origin::new("rss2.xml", Position::Entry { entry: 1 })
        );

        // No link: the guid is the id; plain description kept as written.
        let b = ok(&out, 1);
        assert_eq!(b.url, None);
        assert_eq!(b.id.as_deref(), Some("hg-2026-0042"));
        assert_eq!(
            b.text,
            "Ferries run every 20 minutes while the bridge is shut."
        );
        assert_eq!(
            b.published.as_deref(),
            Some("Sat, 14 Mar 2026 11:02:00 +0000")
        );
    }

    #[test]
    fn atom_lang_and_html_content() {
        let out = fixture("atom.xml");
        assert_eq!(out.len(), 2, "{out:?}");
        let a = ok(&out, 0);
        // feed-rs parsed the link (it percent-encodes); the scan agreed on the entries.
        assert_eq!(
            a.url.as_deref(),
            Some("https://wire.example/de/2026/br%C3%BCcke")
        );
        assert_eq!(a.title.as_deref(), Some("Brücke gesperrt"));
        assert_eq!(a.language.as_deref(), Some("de"));
        assert_eq!(a.byline.as_deref(), Some("Ana Berg"));
        assert_eq!(a.published.as_deref(), Some("2026-03-14T09:00:00+01:00"));
        assert_eq!(a.source.as_deref(), Some("Wire Service"));
        assert!(a.text.contains("Die Brücke"), "{}", a.text);
        assert!(!a.text.contains("<p>"), "{}", a.text);
        // Second entry: xhtml content, its own xml:lang, only `updated`.
        let b = ok(&out, 1);
        assert_eq!(b.language.as_deref(), Some("fr"));
        assert_eq!(b.published.as_deref(), Some("2026-03-15T08:00:00Z"));
        assert!(b.text.contains("Le pont"), "{}", b.text);
        assert!(!b.text.contains("<div"), "{}", b.text);
        assert_eq!(b.metadata["categories"], serde_json::json!(["Verkehr"]));
    }

    #[test]
    fn rss1_rdf() {
        let out = fixture("rss1.rdf");
        assert_eq!(out.len(), 2, "{out:?}");
        let a = ok(&out, 0);
        assert_eq!(a.url.as_deref(), Some("https://valley-news.example/flood"));
        assert_eq!(a.published.as_deref(), Some("2026-03-14T07:15:00-05:00"));
        assert_eq!(a.byline.as_deref(), Some("J. Ortiz"));
        assert_eq!(a.source.as_deref(), Some("Valley News"));
        assert_eq!(a.language.as_deref(), Some("en"));
        assert!(a.text.starts_with("The river rose"), "{}", a.text);
        assert_eq!(ok(&out, 1).title.as_deref(), Some("Shelters open"));
    }

    #[test]
    fn entry_without_text_is_an_error_at_its_number() {
        let out = fixture("rss2_notext.xml");
        assert_eq!(out.len(), 3, "{out:?}");
        assert_eq!(ok(&out, 0).title.as_deref(), Some("One"));
        let e = err(&out, 1);
        assert_eq!(e.kind, IngestErrorKind::NoText);
        assert_eq!(e.to_string(), "rss2_notext.xml: entry 2: no article text");
        assert_eq!(ok(&out, 2).title.as_deref(), Some("Three"));
    }

    #[test]
    fn garbage_is_one_error_for_the_file() {
        for bytes in [
            &b"\x00\x01garbage \xff\xfe not xml at all"[..],
            b"<html><body><p>A page, not a feed.</p></body></html>",
            b"",
        ] {
            let out = run_bytes(bytes);
            assert_eq!(out.len(), 1, "{out:?}");
            let e = err(&out, 0);
            assert_eq!(e.origin, Origin::whole("f.xml"));
            assert_eq!(e.code(), "feed", "{e}");
        }
        let out = run_bytes(b"<html><body></body></html>");
        assert!(err(&out, 0).to_string().contains("root element is <html>"));
    }

    #[test]
    fn truncated_feed_keeps_entries_before_the_cut() {
        let bytes = std::fs::read(format!("{FIXTURES}rss2.xml")).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        // Cut in the middle of the second item's description.
        let cut = text.find("Ferries run").unwrap() + 4;
        let out = run_bytes(&text.as_bytes()[..cut]);
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!(
            ok(&out, 0).published.as_deref(),
            Some("14 Mar 2026 9:30 EST")
        );
        let e = err(&out, 1);
        assert_eq!(e.code(), "truncated");
        assert_eq!(e.origin, Origin::new("f.xml", Position::Entry { entry: 2 }));
        assert!(
            e.to_string().contains("inside <description> of entry 2"),
            "{e}"
        );
    }

    #[test]
    fn every_cut_of_a_feed_reports_once_and_keeps_complete_entries() {
        let bytes = std::fs::read(format!("{FIXTURES}rss2.xml")).unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        let first_item_end = text.find("</item>").unwrap() + "</item>".len();
        let root_end = text.find("</rss>").unwrap() + "</rss>".len();
        for cut in 0..=bytes.len() {
            let out = run_bytes(&bytes[..cut]);
            let oks: Vec<_> = out.iter().filter_map(|r| r.as_ref().ok()).collect();
            let errors = out.len() - oks.len();
            assert_eq!(errors, usize::from(cut < root_end), "cut at {cut}: {out:?}");
            assert!(
                out.last().unwrap().is_err() || cut >= root_end,
                "cut at {cut}"
            );
            if cut >= first_item_end {
                // The first entry survives every later cut, raw date and all.
                assert_eq!(
                    oks[0].0.published.as_deref(),
                    Some("14 Mar 2026 9:30 EST"),
                    "cut at {cut}"
                );
            } else {
                assert!(oks.is_empty(), "cut at {cut}: {oks:?}");
            }
        }
    }

    #[test]
    fn broken_xml_midway_is_reported_after_earlier_entries() {
        let xml = "<rss version=\"2.0\"><channel><title>T</title>\
            <item><title>A</title><description>First.</description></item>\
            <item><title>B</title><description>Bad <b>nesting</i></description></item>\
            <item><title>C</title><description>Never read.</description></item>\
            </channel></rss>";
        let out = run_bytes(xml.as_bytes());
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!(ok(&out, 0).text, "First.");
        let e = err(&out, 1);
        assert_eq!(e.code(), "feed");
        assert!(
            e.to_string()
                .contains("entry 2: malformed feed: broken XML at line 1"),
            "{e}"
        );
    }

    #[test]
    fn rss_without_version_and_empty_feed() {
        // feed-rs rejects an <rss> without a version it knows; the scan reads it.
        let xml = "<rss><channel><title>T</title><item><link>https://t.example/1</link>\
            <description>Body text.</description></item></channel></rss>";
        let out = run_bytes(xml.as_bytes());
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(ok(&out, 0).url.as_deref(), Some("https://t.example/1"));
        assert_eq!(ok(&out, 0).source.as_deref(), Some("T"));

        let out = run_bytes(b"<rss version=\"2.0\"><channel><title>T</title></channel></rss>");
        assert_eq!(out.len(), 1);
        assert!(err(&out, 0).to_string().contains("no items"), "{out:?}");
    }

    #[test]
    fn latin1_declared_encoding_and_item_source() {
        let mut xml =
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<rss version=\"2.0\"><channel>\
            <title>Aggregator</title><item><title>Caf\xe9</title><link>https://a.example/x</link>\
            <source url=\"https://orig.example/rss\">Original Times</source>\
            <description>Le caf\xe9 ouvre.</description></item></channel></rss>"
                .to_vec();
        let out = run_bytes(&xml);
        let a = ok(&out, 0);
        assert_eq!(a.title.as_deref(), Some("Café"));
        assert_eq!(a.text, "Le café ouvre.");
        assert_eq!(a.source.as_deref(), Some("Original Times"));
        assert_eq!(a.metadata["feed"], "Aggregator");
        // The same bytes without a declaration: invalid UTF-8 read as Windows-1252.
        xml.drain(..xml.iter().position(|&b| b == b'\n').unwrap() + 1);
        assert_eq!(ok(&run_bytes(&xml), 0).title.as_deref(), Some("Café"));
    }

    #[test]
    fn json_feed_through_feed_rs() {
        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"J Wire",
            "items":[{"id":"j1","url":"https://j.example/1","title":"Hi",
            "content_html":"<p>Hello there.</p>","date_published":"2026-03-14T09:30:00Z"}]}"#;
        let out = run_bytes(json.as_bytes());
        assert_eq!(out.len(), 1, "{out:?}");
        let a = ok(&out, 0);
        assert_eq!(a.url.as_deref(), Some("https://j.example/1"));
        assert_eq!(a.text, "Hello there.");
        assert_eq!(a.source.as_deref(), Some("J Wire"));
        assert_eq!(a.published.as_deref(), Some("2026-03-14T09:30:00+00:00"));
    }

    #[test]
    fn break_stops_at_once() {
        let bytes = std::fs::read(format!("{FIXTURES}rss2.xml")).unwrap();
        let mut seen = 0;
        let flow = read(&bytes, "f.xml", &mut |_| {
            seen += 1;
            ControlFlow::Break(())
        });
        assert_eq!(flow, ControlFlow::Break(()));
        assert_eq!(seen, 1);
    }

    #[test]
    fn fixtures_take_the_merged_path() {
        // The well-formed fixtures must be read by feed-rs too, so the tests
        // above check the merge of both passes, not the fallback alone.
        for name in ["rss2.xml", "atom.xml", "rss1.rdf", "rss2_notext.xml"] {
            let bytes = std::fs::read(format!("{FIXTURES}{name}")).unwrap();
            let feed = parse_with_feed_rs(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            let xml = decode_xml(&bytes);
            let scanned = scan::scan(&xml);
            assert_eq!(feed.entries.len(), scanned.entries.len(), "{name}");
            assert_eq!(scanned.stop, None, "{name}");
        }
    }

    #[test]
    fn html_detection() {
        assert!(looks_like_html("<p>x</p>"));
        assert!(looks_like_html("Tom &amp; Jerry"));
        assert!(looks_like_html("it&#39;s"));
        assert!(!looks_like_html("a < b and c > d"));
        assert!(!looks_like_html("AT&T and R&D"));
        assert_eq!(text_of("a < b", Markup::Guess), "a < b");
    }

    #[test]
    fn declared_encoding_is_found() {
        assert_eq!(
            declared_encoding(b"<?xml version='1.0' encoding = 'windows-1252' ?><rss/>").as_deref(),
            Some("windows-1252")
        );
        assert_eq!(declared_encoding(b"<rss/>"), None);
    }
}
