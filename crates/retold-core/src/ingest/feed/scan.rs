//! A tolerant pass over feed XML with quick-xml.
//!
//! It keeps what feed-rs drops — dates exactly as written, ids only when the
//! feed gives them, `xml:lang` — and, when feed-rs rejects a document, it
//! still yields every complete entry before the point where the XML breaks.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};

/// The kind of feed, from its root element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dialect {
    /// `<rss>`: RSS 0.9x and 2.0.
    Rss,
    /// `<rdf:RDF>`: RSS 0.90 and 1.0.
    Rdf,
    /// `<feed>`: Atom 0.3 and 1.0.
    Atom,
}

/// How a text field is marked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Markup {
    /// Declared plain text (Atom `type="text"` or no type).
    Plain,
    /// Declared HTML or XHTML (Atom `type="html"`, `content:encoded`).
    Html,
    /// Undeclared (RSS `description`): decided by looking at it.
    Guess,
}

/// A text field as written, entities resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RawText {
    pub body: String,
    pub markup: Markup,
}

/// Which element a date came from, in order of preference for "published".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum DateField {
    PubDate,
    Published,
    DcDate,
    Issued,
    Created,
    Updated,
    Modified,
}

/// A link of an entry: `href` and `rel` (`None` for RSS `<link>` text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RawLink {
    pub href: String,
    pub rel: Option<String>,
}

/// One complete `<item>` or `<entry>`, fields as the feed wrote them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct RawEntry {
    pub links: Vec<RawLink>,
    /// RSS `guid`, Atom `id`, or RDF `rdf:about`.
    pub guid: Option<String>,
    /// RSS `guid isPermaLink="false"`.
    pub guid_not_permalink: bool,
    pub title: Option<RawText>,
    pub authors: Vec<String>,
    pub dates: Vec<(DateField, String)>,
    /// `xml:lang` on the entry, else `dc:language` inside it.
    pub language: Option<String>,
    pub content: Option<RawText>,
    pub summary: Option<RawText>,
    pub categories: Vec<String>,
    /// RSS `<source>`: the outlet an aggregator took the item from.
    pub source: Option<String>,
}

impl RawEntry {
    /// The date to call "published": pubDate, published, dc:date, … updated.
    pub fn published(&self) -> Option<&str> {
        self.dates
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .min_by_key(|(f, _)| *f)
            .map(|(_, v)| v.trim())
    }

    /// The page the entry points at: an alternate (or rel-less) link.
    pub fn alternate_link(&self) -> Option<&str> {
        self.links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .map(|l| l.href.trim())
            .filter(|h| !h.is_empty())
    }
}

/// Why the pass stopped before the end of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Stop {
    /// The input ends inside `<open>`; `in_entry` when inside an item/entry.
    Truncated { open: String, in_entry: bool },
    /// The XML is broken at byte `at` (of the decoded text).
    Malformed {
        at: u64,
        message: String,
        in_entry: bool,
    },
}

/// Everything the pass found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Scanned {
    pub dialect: Option<Dialect>,
    /// Name of the root element when it is not a feed's.
    pub root: Option<String>,
    pub title: Option<RawText>,
    /// Channel `<language>` / `dc:language`, else `xml:lang` of the root or channel.
    pub language: Option<String>,
    pub entries: Vec<RawEntry>,
    pub stop: Option<Stop>,
}

/// Namespaces the pass tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// No namespace (RSS 2.0), Atom, RSS 1.0, RSS 0.90: the feed's own elements.
    Core,
    Rdf,
    Dc,
    DcTerms,
    Content,
    Other,
}

fn classify(ns: &ResolveResult, prefix: Option<&str>) -> Ns {
    match ns {
        ResolveResult::Unbound => Ns::Core,
        ResolveResult::Bound(n) => match n.as_ref().trim_end_matches(['/', '#']) {
            "http://www.w3.org/2005/Atom"
            | "http://purl.org/atom/ns"
            | "http://purl.org/rss/1.0"
            | "http://my.netscape.com/rdf/simple/0.9"
            | "http://backend.userland.com/rss2"
            | "http://blogs.law.harvard.edu/tech/rss" => Ns::Core,
            "http://www.w3.org/1999/02/22-rdf-syntax-ns" => Ns::Rdf,
            "http://purl.org/dc/elements/1.1" => Ns::Dc,
            "http://purl.org/dc/terms" => Ns::DcTerms,
            "http://purl.org/rss/1.0/modules/content" => Ns::Content,
            _ => Ns::Other,
        },
        // A prefix the feed forgot to declare: go by the usual prefix names.
        ResolveResult::Unknown(_) => match prefix {
            Some("atom") => Ns::Core,
            Some("rdf") => Ns::Rdf,
            Some("dc") => Ns::Dc,
            Some("dcterms") => Ns::DcTerms,
            Some("content") => Ns::Content,
            _ => Ns::Other,
        },
    }
}

/// What a direct child of an entry means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Link,
    Guid,
    Date(DateField),
    Author,
    Summary,
    Content,
    Category,
    Language,
    Source,
}

fn entry_field(ns: Ns, local: &str) -> Option<Field> {
    Some(match (ns, local) {
        (Ns::Core, "title") => Field::Title,
        (Ns::Core, "link") => Field::Link,
        (Ns::Core, "guid" | "id") => Field::Guid,
        (Ns::Core, "pubDate") => Field::Date(DateField::PubDate),
        (Ns::Core, "published") => Field::Date(DateField::Published),
        (Ns::Core, "issued") | (Ns::DcTerms, "issued") => Field::Date(DateField::Issued),
        (Ns::Core, "created") | (Ns::DcTerms, "created") => Field::Date(DateField::Created),
        (Ns::Core, "updated") => Field::Date(DateField::Updated),
        (Ns::Core, "modified") | (Ns::DcTerms, "modified") => Field::Date(DateField::Modified),
        (Ns::Dc, "date") | (Ns::DcTerms, "date") => Field::Date(DateField::DcDate),
        (Ns::Core, "author") | (Ns::Dc, "creator") => Field::Author,
        (Ns::Core, "description" | "summary") => Field::Summary,
        (Ns::Core, "content") | (Ns::Content, "encoded") => Field::Content,
        (Ns::Core, "category") | (Ns::Dc, "subject") => Field::Category,
        (Ns::Dc, "language") => Field::Language,
        (Ns::Core, "source") => Field::Source,
        _ => return None,
    })
}

/// A field being read: from its start tag to its end tag.
struct Capture {
    field: Field,
    /// Byte where the element's content starts (after its start tag).
    start: usize,
    /// Depth of the field element itself.
    depth: usize,
    text: String,
    /// Text inside a nested `<name>` (Atom `author`).
    name: String,
    in_name: bool,
    /// Child elements were seen: the content is markup (XHTML, raw HTML).
    nested: bool,
    markup: Markup,
    href: Option<String>,
    rel: Option<String>,
    term: Option<String>,
    has_src: bool,
    not_permalink: bool,
    lang: Option<String>,
}

/// Where the pass is.
struct State {
    depth: usize,
    /// Local names of the open elements, for messages.
    open: Vec<String>,
    /// Depth of the open entry element.
    entry_depth: Option<usize>,
    entry: RawEntry,
    capture: Option<Capture>,
    /// Depth of the channel (RSS/RDF) or the root (Atom): where feed-level fields sit.
    channel_depth: Option<usize>,
    /// Feed-level field being read: `title` or `language`.
    channel_field: Option<(usize, &'static str, String, Markup)>,
    root_lang: Option<String>,
    channel_language: Option<String>,
}

/// Reads the feed in `xml` as far as it is well-formed.
pub(super) fn scan(xml: &str) -> Scanned {
    let mut reader = NsReader::from_str(xml);
    let mut out = Scanned::default();
    let mut st = State {
        depth: 0,
        open: Vec::new(),
        entry_depth: None,
        entry: RawEntry::default(),
        capture: None,
        channel_depth: None,
        channel_field: None,
        root_lang: None,
        channel_language: None,
    };
    loop {
        let before = reader.buffer_position() as usize;
        let (ns, event) = match reader.read_resolved_event() {
            Ok((ns, event)) => {
                let prefix = match &event {
                    Event::Start(e) | Event::Empty(e) => e.name().prefix().map(|p| p.into_inner()),
                    Event::End(e) => e.name().prefix().map(|p| p.into_inner()),
                    _ => None,
                };
                (classify(&ns, prefix), event)
            }
            Err(e) => {
                out.stop = Some(stop_for_error(&e, &st, reader.error_position()));
                break;
            }
        };
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(e) => {
                let local = e.local_name().as_ref().to_string();
                st.depth += 1;
                if st.depth == 1 {
                    out.dialect = match (ns, local.as_str()) {
                        (_, "rss") => Some(Dialect::Rss),
                        (Ns::Rdf, "RDF") | (_, "RDF") => Some(Dialect::Rdf),
                        (Ns::Core, "feed") => Some(Dialect::Atom),
                        _ => None,
                    };
                    if out.dialect.is_none() {
                        out.root = Some(e.name().as_ref().to_string());
                        return out;
                    }
                    st.root_lang = attr(&e, "xml:lang");
                    if out.dialect == Some(Dialect::Atom) {
                        st.channel_depth = Some(1);
                    }
                }
                st.open.push(local.clone());
                start_element(&mut st, &mut out, ns, &local, &e, after, false);
            }
            Event::Empty(e) => {
                let local = e.local_name().as_ref().to_string();
                if st.depth == 0 {
                    // A root that closes at once: nothing inside.
                    out.root = Some(e.name().as_ref().to_string());
                    return out;
                }
                st.depth += 1;
                start_element(&mut st, &mut out, ns, &local, &e, after, true);
                end_element(&mut st, &mut out, xml, before, after);
                st.depth -= 1;
            }
            Event::End(_) => {
                end_element(&mut st, &mut out, xml, before, after);
                st.open.pop();
                st.depth = st.depth.saturating_sub(1);
                if st.depth == 0 {
                    break;
                }
            }
            Event::Text(t) => push_text(&mut st, &t.xml10_content()),
            Event::CData(t) => push_text(&mut st, &t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved: Cow<str> = match r.resolve_char_ref() {
                    Ok(Some(c)) => Cow::Owned(c.to_string()),
                    _ => match quick_xml::escape::resolve_predefined_entity(&r) {
                        Some(s) => Cow::Borrowed(s),
                        // Unknown entities (`&nbsp;`) stay as written, for the HTML step.
                        None => Cow::Owned(format!("&{};", &*r)),
                    },
                };
                push_text(&mut st, &resolved);
            }
            Event::Eof => {
                if st.depth > 0 {
                    out.stop = Some(Stop::Truncated {
                        open: st.open.last().cloned().unwrap_or_default(),
                        in_entry: st.entry_depth.is_some(),
                    });
                }
                break;
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    out.language = st.channel_language.or(st.root_lang);
    out
}

fn stop_for_error(e: &quick_xml::Error, st: &State, at: u64) -> Stop {
    use quick_xml::errors::SyntaxError;
    let in_entry = st.entry_depth.is_some();
    match e {
        // Every "unclosed …" syntax error means the input ended inside markup.
        quick_xml::Error::Syntax(
            SyntaxError::UnclosedTag
            | SyntaxError::UnclosedCData
            | SyntaxError::UnclosedComment
            | SyntaxError::UnclosedPI
            | SyntaxError::UnclosedXmlDecl
            | SyntaxError::UnclosedDoctype
            | SyntaxError::UnclosedSingleQuotedAttributeValue
            | SyntaxError::UnclosedDoubleQuotedAttributeValue,
        ) if st.depth > 0 => Stop::Truncated {
            open: st.open.last().cloned().unwrap_or_default(),
            in_entry,
        },
        _ => Stop::Malformed {
            at,
            message: e.to_string(),
            in_entry,
        },
    }
}

fn attr(e: &BytesStart, key: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.trim().to_string())
        })
        .filter(|v| !v.is_empty())
}

/// The value of an attribute whatever its prefix (`rdf:about`, `about`).
fn attr_local(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.trim().to_string())
        })
        .filter(|v| !v.is_empty())
}

/// Atom text constructs say how they are marked up with `type`.
fn markup_of(e: &BytesStart, ns: Ns) -> Markup {
    if ns == Ns::Content {
        return Markup::Html;
    }
    match attr(e, "type").map(|t| t.to_ascii_lowercase()).as_deref() {
        Some("html" | "xhtml" | "text/html" | "application/xhtml+xml") => Markup::Html,
        Some("text" | "text/plain") => Markup::Plain,
        // RSS descriptions and titles say nothing; Atom without type is text,
        // but feeds in the wild put HTML there too, so look.
        _ => Markup::Guess,
    }
}

#[allow(clippy::too_many_arguments)]
fn start_element(
    st: &mut State,
    out: &mut Scanned,
    ns: Ns,
    local: &str,
    e: &BytesStart,
    after: usize,
    empty: bool,
) {
    if let Some(cap) = st.capture.as_mut() {
        cap.nested = true;
        if local == "name" && st.depth == cap.depth + 1 {
            cap.in_name = !empty;
        }
        return;
    }
    if let Some(entry_depth) = st.entry_depth {
        if st.depth != entry_depth + 1 {
            return;
        }
        let Some(field) = entry_field(ns, local) else {
            return;
        };
        st.capture = Some(Capture {
            field,
            start: after,
            depth: st.depth,
            text: String::new(),
            name: String::new(),
            in_name: false,
            nested: false,
            markup: markup_of(e, ns),
            href: attr(e, "href"),
            rel: attr(e, "rel"),
            term: attr(e, "term").or_else(|| attr(e, "label")),
            has_src: attr(e, "src").is_some(),
            not_permalink: attr(e, "isPermaLink").is_some_and(|v| v.eq_ignore_ascii_case("false")),
            lang: attr(e, "xml:lang"),
        });
        return;
    }
    let is_entry = match (ns, local) {
        (Ns::Core, "item") => matches!(out.dialect, Some(Dialect::Rss | Dialect::Rdf)),
        (Ns::Core, "entry") => out.dialect == Some(Dialect::Atom),
        _ => false,
    };
    if is_entry {
        st.entry_depth = Some(st.depth);
        st.entry = RawEntry {
            language: attr(e, "xml:lang"),
            guid: attr_local(e, "about"),
            ..Default::default()
        };
        return;
    }
    if ns == Ns::Core && local == "channel" && st.depth == 2 {
        st.channel_depth = Some(2);
        if st.root_lang.is_none() {
            st.root_lang = attr(e, "xml:lang");
        }
        return;
    }
    if st.channel_field.is_none() && st.channel_depth.is_some_and(|d| st.depth == d + 1) {
        match (ns, local) {
            (Ns::Core, "title") if out.title.is_none() => {
                st.channel_field = Some((st.depth, "title", String::new(), markup_of(e, ns)))
            }
            (Ns::Core | Ns::Dc, "language") if st.channel_language.is_none() => {
                st.channel_field = Some((st.depth, "language", String::new(), Markup::Plain))
            }
            _ => {}
        }
    }
}

fn push_text(st: &mut State, text: &str) {
    if let Some(cap) = st.capture.as_mut() {
        cap.text.push_str(text);
        if cap.in_name {
            cap.name.push_str(text);
        }
    } else if let Some((_, _, buf, _)) = st.channel_field.as_mut() {
        buf.push_str(text);
    }
}

fn end_element(st: &mut State, out: &mut Scanned, xml: &str, before: usize, _after: usize) {
    if let Some(cap) = st.capture.as_mut() {
        if st.depth > cap.depth {
            if st.depth == cap.depth + 1 {
                cap.in_name = false;
            }
            return;
        }
        let cap = st.capture.take().expect("capture is open");
        finish_field(&mut st.entry, cap, xml, before);
        return;
    }
    if st.entry_depth == Some(st.depth) {
        st.entry_depth = None;
        out.entries.push(std::mem::take(&mut st.entry));
        return;
    }
    if let Some((depth, _, _, _)) = &st.channel_field {
        if *depth == st.depth {
            let (_, which, text, markup) = st.channel_field.take().expect("field is open");
            let text = text.trim().to_string();
            if !text.is_empty() {
                match which {
                    "title" => out.title = Some(RawText { body: text, markup }),
                    _ => st.channel_language = Some(text),
                }
            }
        }
    }
}

fn finish_field(entry: &mut RawEntry, cap: Capture, xml: &str, end: usize) {
    let text = if cap.nested && cap.field != Field::Author {
        // XHTML or raw HTML inside the element: keep the markup as written.
        xml.get(cap.start..end)
            .unwrap_or_default()
            .trim()
            .to_string()
    } else {
        cap.text.trim().to_string()
    };
    let markup = if cap.nested { Markup::Html } else { cap.markup };
    match cap.field {
        Field::Title => {
            if entry.title.is_none() && !text.is_empty() {
                entry.title = Some(RawText { body: text, markup });
            }
        }
        Field::Link => {
            let href = cap.href.unwrap_or(text);
            if !href.is_empty() {
                entry.links.push(RawLink { href, rel: cap.rel });
            }
        }
        Field::Guid => {
            if !text.is_empty() {
                entry.guid = Some(text);
                entry.guid_not_permalink = cap.not_permalink;
            }
        }
        Field::Date(which) => {
            if !text.is_empty() {
                entry.dates.push((which, text));
            }
        }
        Field::Author => {
            let name = cap.name.trim();
            let who = if cap.nested { name } else { text.as_str() };
            let who = person_name(who);
            if !who.is_empty() && !entry.authors.iter().any(|a| a == who) {
                entry.authors.push(who.to_string());
            }
        }
        Field::Summary => {
            if entry.summary.is_none() && !text.is_empty() {
                entry.summary = Some(RawText { body: text, markup });
            }
        }
        Field::Content => {
            // `<content src="…"/>` points elsewhere: no text here.
            if !cap.has_src && !text.is_empty() {
                // content:encoded wins over a second, lesser content element.
                if entry.content.is_none() || markup == Markup::Html {
                    entry.content = Some(RawText { body: text, markup });
                }
                if entry.language.is_none() {
                    entry.language = cap.lang;
                }
            }
        }
        Field::Category => {
            let term = cap.term.unwrap_or(text);
            if !term.is_empty() && !entry.categories.contains(&term) {
                entry.categories.push(term);
            }
        }
        Field::Language => {
            if entry.language.is_none() && !text.is_empty() {
                entry.language = Some(text);
            }
        }
        // Atom's `<source>` is a nested feed description, not a name.
        Field::Source => {
            if !cap.nested && !text.is_empty() {
                entry.source = Some(text);
            }
        }
    }
}

/// RSS `<author>` is `email (Name)`; keep the name.
fn person_name(raw: &str) -> &str {
    let raw = raw.trim();
    if let (Some(open), true) = (raw.find('('), raw.ends_with(')')) {
        let name = raw[open + 1..raw.len() - 1].trim();
        if raw[..open].contains('@') && !name.is_empty() {
            return name;
        }
    }
    raw
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_fields_as_written() {
        let s = scan(
            r#"<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Harbor &amp; Gazette</title><language>en-us</language>
<item>
  <title>Bridge closes</title><link> https://hg.example/a </link>
  <guid isPermaLink="false">hg-1</guid>
  <pubDate>14 Mar 2026 9:30 EST</pubDate>
  <dc:creator>Mara Quill</dc:creator>
  <category>City</category><category>Transport</category>
  <description>Short &lt;b&gt;teaser&lt;/b&gt;</description>
  <content:encoded><![CDATA[<p>Full text.</p>]]></content:encoded>
  <media:content url="https://hg.example/i.jpg"/>
</item>
</channel></rss>"#,
        );
        assert_eq!(s.dialect, Some(Dialect::Rss));
        assert_eq!(s.title.as_ref().unwrap().body, "Harbor & Gazette");
        assert_eq!(s.language.as_deref(), Some("en-us"));
        assert_eq!(s.stop, None);
        let e = &s.entries[0];
        assert_eq!(e.alternate_link(), Some("https://hg.example/a"));
        assert_eq!(e.guid.as_deref(), Some("hg-1"));
        assert!(e.guid_not_permalink);
        assert_eq!(e.published(), Some("14 Mar 2026 9:30 EST"));
        assert_eq!(e.authors, ["Mara Quill"]);
        assert_eq!(e.categories, ["City", "Transport"]);
        assert_eq!(e.summary.as_ref().unwrap().body, "Short <b>teaser</b>");
        let c = e.content.as_ref().unwrap();
        assert_eq!(
            (c.body.as_str(), c.markup),
            ("<p>Full text.</p>", Markup::Html)
        );
    }

    #[test]
    fn atom_xhtml_author_and_source() {
        let s = scan(
            r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><title>Wire</title>
<entry xml:lang="fr"><id>urn:x:1</id>
 <link rel="self" href="https://w.example/self"/><link href="https://w.example/1"/>
 <author><name>Ana Berg</name><email>a@w.example</email></author>
 <updated>2026-03-14T10:00:00Z</updated><published>2026-03-14T09:00:00+01:00</published>
 <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Eins.</p></div></content>
 <source><title>Other</title><id>urn:other</id></source>
</entry></feed>"#,
        );
        assert_eq!(s.dialect, Some(Dialect::Atom));
        assert_eq!(s.language.as_deref(), Some("de"));
        let e = &s.entries[0];
        assert_eq!(e.alternate_link(), Some("https://w.example/1"));
        assert_eq!(e.guid.as_deref(), Some("urn:x:1"));
        assert_eq!(e.authors, ["Ana Berg"]);
        assert_eq!(e.published(), Some("2026-03-14T09:00:00+01:00"));
        assert_eq!(e.language.as_deref(), Some("fr"));
        let c = e.content.as_ref().unwrap();
        assert_eq!(c.markup, Markup::Html);
        assert!(c.body.starts_with("<div") && c.body.contains("<p>Eins.</p>"));
    }

    #[test]
    fn truncation_keeps_complete_entries() {
        let s = scan("<rss version=\"2.0\"><channel><item><title>A</title></item><item><title>B");
        assert_eq!(s.entries.len(), 1);
        assert_eq!(
            s.stop,
            Some(Stop::Truncated {
                open: "title".into(),
                in_entry: true
            })
        );
        let s = scan("<rss><channel><item><title>A</title></item><item><ti");
        assert_eq!(s.entries.len(), 1);
        assert!(
            matches!(s.stop, Some(Stop::Truncated { .. })),
            "{:?}",
            s.stop
        );
    }

    #[test]
    fn mismatched_tags_stop_as_malformed() {
        let s =
            scan("<rss><channel><item><title>A</title></item><item><b></i></item></channel></rss>");
        assert_eq!(s.entries.len(), 1);
        assert!(
            matches!(&s.stop, Some(Stop::Malformed { in_entry: true, .. })),
            "{:?}",
            s.stop
        );
    }

    #[test]
    fn not_a_feed() {
        let s = scan("<html><body>x</body></html>");
        assert_eq!(s.dialect, None);
        assert_eq!(s.root.as_deref(), Some("html"));
    }
}
