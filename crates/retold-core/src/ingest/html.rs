//! HTML pages: main text plus title, date, author, canonical URL.
//!
//! The main text comes from [`dom_smoothie`] (a Readability port; chosen by
//! measurement, see `docs/QUALITY.md`, "HTML main-text extraction"), the
//! metadata from meta tags and JSON-LD read with `scraper`.
//!
//! Hostile input is defused before any parser sees it: nesting deeper than
//! [`MAX_NESTING`] is flattened (html5ever's tree building is quadratic in
//! the depth of open elements, and tree walkers recurse), and the extractor
//! runs under `catch_unwind` with a plain paragraph extraction as fallback.
//!
//! ```
//! use retold_core::ingest::html::extract_article;
//! let page = r#"<html lang="en"><head>
//!   <title>Ferry terminal delayed | Harbor Gazette</title>
//!   <meta property="og:site_name" content="Harbor Gazette">
//!   <meta property="article:published_time" content="2026-03-02T08:00:00Z">
//! </head><body><article>
//!   <p>The harbour authority said on Tuesday that the new ferry terminal would open in March.</p>
//!   <p>Inspectors found cracks in the concrete of the northern pier, officials said.</p>
//! </article></body></html>"#;
//! let a = extract_article(page, Some("https://harbor-gazette.example/ferry")).unwrap();
//! assert_eq!(a.title.as_deref(), Some("Ferry terminal delayed"));
//! assert_eq!(a.published.as_deref(), Some("2026-03-02T08:00:00Z"));
//! assert!(a.text.contains("northern pier"));
//! ```

use std::borrow::Cow;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use scraper::{ElementRef, Html, Node, Selector};
use serde_json::Value;

use crate::article::ArticleDraft;
use crate::error::IngestErrorKind;

/// Open elements deeper than this are dropped (their text is kept).
pub const MAX_NESTING: usize = 256;

/// Up to this many words, a text is checked against the page's furniture.
const FEW_WORDS: usize = 20;

/// Extracts an article from a whole HTML page. `url_hint` is where the page
/// was fetched from (WARC target URI, feed link), used when the page names no
/// canonical URL, and to resolve a relative one.
///
/// Fails with [`IngestErrorKind::NoText`] when the page has no main text:
/// nothing but scripts, navigation, footers and the like, or binary data
/// decoded as text.
/// Never panics.
pub fn extract_article(
    html: &str,
    url_hint: Option<&str>,
) -> Result<ArticleDraft, IngestErrorKind> {
    let html = limit_nesting(html, MAX_NESTING);
    let html: &str = &html;
    let doc = catch_unwind(AssertUnwindSafe(|| Html::parse_document(html))).ok();
    let mut draft = match &doc {
        Some(doc) => catch_unwind(AssertUnwindSafe(|| page_metadata(doc, url_hint)))
            .unwrap_or_else(|_| draft_with_url(url_hint)),
        None => draft_with_url(url_hint),
    };
    let base = draft.url.clone().or_else(|| url_hint.map(str::to_string));
    let mut text = main_text(html, base.as_deref()).unwrap_or_default();
    if text.is_empty() {
        if let Some(doc) = &doc {
            text = catch_unwind(AssertUnwindSafe(|| fallback_text(doc))).unwrap_or_default();
        }
    }
    if text.is_empty() || looks_like_junk(&text) {
        return Err(IngestErrorKind::NoText);
    }
    // A very short text must be more than page furniture: a page whose only
    // words are a menu ("Home") has no article.
    if text.split_whitespace().nth(FEW_WORDS).is_none() {
        let outside_furniture = doc
            .as_ref()
            .and_then(|doc| catch_unwind(AssertUnwindSafe(|| fallback_text(doc))).ok())
            .unwrap_or_default();
        if outside_furniture.is_empty() {
            return Err(IngestErrorKind::NoText);
        }
    }
    draft.text = drop_leading_furniture(&text, &draft);
    Ok(draft)
}

/// Drops paragraphs at the top of the text that only repeat the title, the
/// byline ("By …") or the outlet name: extractors often keep the headline
/// block, and a repeated title would look like shared text between copies.
fn drop_leading_furniture(text: &str, d: &ArticleDraft) -> String {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let mut known: Vec<String> = [&d.title, &d.byline, &d.source]
        .into_iter()
        .flatten()
        .map(|s| fold(s))
        .filter(|s| !s.is_empty())
        .collect();
    if let Some(b) = &d.byline {
        known.push(fold(&format!("by {b}")));
    }
    let paras: Vec<&str> = text.split("\n\n").collect();
    let skip = paras
        .iter()
        .take(3)
        .take_while(|p| known.contains(&fold(p)))
        .count();
    if skip == 0 || skip == paras.len() {
        return text.to_string();
    }
    paras[skip..].join("\n\n")
}

fn draft_with_url(url_hint: Option<&str>) -> ArticleDraft {
    ArticleDraft {
        url: url_hint.map(str::to_string),
        ..Default::default()
    }
}

/// Text of an HTML fragment (feed content): one paragraph per block element
/// (`p`, `div`, headings, list items, quotes…), paragraphs separated by a
/// blank line; a `<br>` is a line break, two in a row a paragraph break.
///
/// ```
/// use retold_core::ingest::html::fragment_to_text;
/// let t = fragment_to_text("<p>One &amp; two.</p><ul><li>Three</li><li>Four</li></ul>");
/// assert_eq!(t, "One & two.\n\nThree\n\nFour");
/// ```
pub fn fragment_to_text(html: &str) -> String {
    let html = limit_nesting(html, MAX_NESTING);
    catch_unwind(AssertUnwindSafe(|| {
        let frag = Html::parse_fragment(&html);
        render_text(frag.root_element(), &|_| false)
    }))
    .unwrap_or_default()
}

/// Decodes page bytes. The charset is taken from a byte-order mark, else the
/// HTTP `Content-Type`, else a `<meta charset>` or `<meta http-equiv=
/// "Content-Type">` in the first 4 KiB, else UTF-8; bytes invalid in the
/// chosen encoding become U+FFFD. (A BOM wins over the header, as in
/// browsers: a page that starts with one was written in that encoding.)
///
/// ```
/// use retold_core::ingest::html::decode_html;
/// let page = b"<meta charset=windows-1252><p>caf\xe9</p>";
/// assert!(decode_html(page, None).contains("caf\u{e9}"));
/// assert!(decode_html(b"<p>caf\xe9</p>", Some("text/html; charset=ISO-8859-1")).contains("caf\u{e9}"));
/// ```
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    let enc = content_type
        .and_then(charset_param)
        .and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes()))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(4096)]))
        .unwrap_or(encoding_rs::UTF_8);
    // A page cannot declare itself UTF-16 in ASCII; such a label means UTF-8.
    let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        encoding_rs::UTF_8
    } else {
        enc
    };
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// The `charset` parameter of a `Content-Type` value.
fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).trim().to_string())
            .filter(|v| !v.is_empty())
    })
}

/// The encoding a `<meta>` tag in the page head declares.
fn meta_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let s = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = s[from..].find("<meta") {
        let start = from + i;
        let end = s[start..].find('>').map_or(s.len(), |e| start + e);
        let tag = &s[start..end];
        from = end;
        let Some(c) = tag.find("charset") else {
            continue;
        };
        let rest = tag[c + "charset".len()..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let label: String = rest
            .trim_start()
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
            .collect();
        if let Some(enc) = encoding_rs::Encoding::for_label(label.as_bytes()) {
            return Some(enc);
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Main text

/// The main text by dom_smoothie, normalized; `None` when it fails or panics.
fn main_text(html: &str, url: Option<&str>) -> Option<String> {
    let url =
        url.filter(|u| url::Url::parse(u).is_ok_and(|u| matches!(u.scheme(), "http" | "https")));
    catch_unwind(AssertUnwindSafe(|| {
        let cfg = dom_smoothie::Config {
            text_mode: dom_smoothie::TextMode::Formatted,
            // We read JSON-LD ourselves.
            disable_json_ld: true,
            ..Default::default()
        };
        let mut r = dom_smoothie::Readability::new(html, url, Some(cfg)).ok()?;
        let article = r.parse().ok()?;
        Some(clean_paragraphs(&article.text_content))
    }))
    .ok()
    .flatten()
    .filter(|t| !t.is_empty())
}

/// Folds white space inside lines, drops empty lines and boilerplate lines,
/// and separates paragraphs with one blank line (lines of one paragraph stay
/// on their own lines).
fn clean_paragraphs(text: &str) -> String {
    let mut paras: Vec<String> = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    let flush = |cur: &mut Vec<String>, paras: &mut Vec<String>| {
        if !cur.is_empty() {
            paras.push(cur.join("\n"));
            cur.clear();
        }
    };
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            flush(&mut cur, &mut paras);
        } else if !is_boilerplate_line(&line) {
            cur.push(line);
        }
    }
    flush(&mut cur, &mut paras);
    paras.join("\n\n")
}

/// Short lines that are page furniture, not article text.
fn is_boilerplate_line(line: &str) -> bool {
    if line.len() > 200 {
        return false;
    }
    let l = line.to_lowercase();
    const STARTS: [&str; 12] = [
        "we use cookies",
        "this site uses cookies",
        "this website uses cookies",
        "by continuing to use this site",
        "accept all cookies",
        "read more:",
        "related:",
        "related articles",
        "related stories",
        "sign up for our newsletter",
        "subscribe to our newsletter",
        "share this article",
    ];
    STARTS.iter().any(|s| l.starts_with(s))
        || matches!(
            l.as_str(),
            "advertisement" | "share" | "tweet" | "share on facebook" | "share on twitter"
        )
}

/// Fallback: the text of the page's `<article>` (the longest), else `<main>`,
/// else `<body>`, without navigation, footers, asides, forms and scripts.
fn fallback_text(doc: &Html) -> String {
    let pick = |css: &str| -> Option<ElementRef<'_>> {
        let sel = Selector::parse(css).ok()?;
        doc.select(&sel)
            .max_by_key(|e| e.text().map(str::len).sum::<usize>())
    };
    let Some(root) = pick("article")
        .or_else(|| pick("main, [role=main]"))
        .or_else(|| pick("body"))
        .or_else(|| Some(doc.root_element()))
    else {
        return String::new();
    };
    let text = render_text(root, &is_furniture);
    clean_paragraphs(&text)
}

/// Page furniture the fallback leaves out.
fn is_furniture(e: &scraper::node::Element) -> bool {
    if matches!(
        e.name(),
        "nav" | "footer" | "aside" | "form" | "header" | "menu" | "dialog"
    ) {
        return true;
    }
    if matches!(
        e.attr("role"),
        Some("navigation" | "contentinfo" | "complementary" | "banner" | "dialog")
    ) {
        return true;
    }
    let marks = |s: &str| {
        let s = s.to_ascii_lowercase();
        [
            "cookie",
            "consent",
            "gdpr",
            "newsletter",
            "related",
            "share",
            "social",
            "promo",
            "subscribe",
            "comment",
            "sidebar",
            "advert",
        ]
        .iter()
        .any(|m| s.contains(m))
    };
    e.attr("class").is_some_and(marks) || e.attr("id").is_some_and(marks)
}

/// Elements whose content is never text.
fn is_hidden_content(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "title"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "math"
            | "canvas"
            | "select"
            | "button"
            | "textarea"
            | "input"
    )
}

/// Elements that start and end a paragraph.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "figure"
            | "figcaption"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "caption"
            | "address"
            | "hr"
            | "form"
            | "fieldset"
            | "details"
            | "summary"
            | "body"
            | "html"
    )
}

/// Paragraph text builder: folds white space, knows line and paragraph breaks.
#[derive(Default)]
struct TextOut {
    paras: Vec<String>,
    cur: String,
    space: bool,
}

impl TextOut {
    fn text(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_whitespace() {
                self.space = true;
            } else {
                if self.space && !self.cur.is_empty() && !self.cur.ends_with('\n') {
                    self.cur.push(' ');
                }
                self.space = false;
                self.cur.push(c);
            }
        }
    }

    fn line_break(&mut self) {
        if self.cur.ends_with('\n') {
            self.paragraph_break();
        } else if !self.cur.is_empty() {
            self.cur.push('\n');
        }
        self.space = false;
    }

    fn paragraph_break(&mut self) {
        let p = self.cur.trim();
        if !p.is_empty() {
            self.paras.push(p.to_string());
        }
        self.cur.clear();
        self.space = false;
    }

    fn finish(mut self) -> String {
        self.paragraph_break();
        self.paras.join("\n\n")
    }
}

/// Renders an element's text with paragraph structure, leaving out hidden
/// content and every element `skip` names. Iterative: no recursion depth.
fn render_text(root: ElementRef<'_>, skip: &dyn Fn(&scraper::node::Element) -> bool) -> String {
    let mut out = TextOut::default();
    // (node, is_close_event)
    let mut stack = vec![(*root, false)];
    while let Some((node, closing)) = stack.pop() {
        match node.value() {
            Node::Text(t) if !closing => out.text(t),
            Node::Element(e) => {
                let name = e.name();
                if closing {
                    if is_block(name) {
                        out.paragraph_break();
                    }
                    continue;
                }
                if node.id() != root.id() && (is_hidden_content(name) || skip(e)) {
                    continue;
                }
                if name == "br" {
                    out.line_break();
                } else if is_block(name) {
                    out.paragraph_break();
                } else if matches!(name, "td" | "th") {
                    out.text(" ");
                }
                stack.push((node, true));
                stack.extend(node.children().rev().map(|c| (c, false)));
            }
            Node::Document | Node::Fragment if !closing => {
                stack.extend(node.children().rev().map(|c| (c, false)));
            }
            _ => {}
        }
    }
    out.finish()
}

/// Text that is mostly replacement or control characters: binary data that
/// was decoded as text.
fn looks_like_junk(text: &str) -> bool {
    let (mut bad, mut total) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        total += 1;
        if c == '\u{FFFD}' || c.is_control() {
            bad += 1;
        }
    }
    total == 0 || bad * 10 > total
}

// ---------------------------------------------------------------------------
// Nesting limit

/// Elements that have no end tag or whose end tag the parser implies; they do
/// not count towards the nesting depth.
fn is_flat_element(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "rb"
            | "rt"
            | "rp"
            | "html"
            | "head"
            | "body"
    )
}

/// HTML elements that a trailing slash does not close.
fn is_html_container(name: &str) -> bool {
    matches!(
        name,
        "div"
            | "span"
            | "a"
            | "b"
            | "i"
            | "u"
            | "s"
            | "em"
            | "strong"
            | "small"
            | "big"
            | "font"
            | "center"
            | "table"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "ul"
            | "ol"
            | "dl"
            | "blockquote"
            | "form"
            | "label"
            | "figure"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "code"
            | "pre"
            | "sup"
            | "sub"
            | "q"
            | "cite"
            | "abbr"
            | "time"
            | "mark"
            | "nobr"
            | "tt"
            | "strike"
    )
}

/// Drops start tags that would open an element more than `max` levels deep,
/// and their end tags, keeping all text. One linear pass over the markup;
/// returns the input untouched when nothing is that deep.
pub fn limit_nesting(html: &str, max: usize) -> Cow<'_, str> {
    let b = html.as_bytes();
    let mut stack: Vec<String> = Vec::new();
    let mut dropped: HashMap<String, usize> = HashMap::new();
    // Byte ranges to cut out.
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr_lt(&b[i..]) {
        let lt = i + off;
        let rest = &b[lt..];
        if rest.starts_with(b"<!--") {
            i = find(b, lt + 4, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = find(b, lt + 2, b">").map_or(b.len(), |e| e + 1);
            continue;
        }
        let is_end = rest.get(1) == Some(&b'/');
        let name_start = lt + 1 + usize::from(is_end);
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let mut name_end = name_start;
        while name_end < b.len()
            && !b[name_end].is_ascii_whitespace()
            && b[name_end] != b'>'
            && b[name_end] != b'/'
        {
            name_end += 1;
        }
        let name = html[name_start..name_end].to_ascii_lowercase();
        let tag_end = tag_end(b, name_end);
        let self_closing = tag_end >= 2 && b[tag_end - 2] == b'/';
        i = tag_end;
        if is_end {
            if let Some(n) = dropped.get_mut(&name).filter(|n| **n > 0) {
                *n -= 1;
                cuts.push((lt, tag_end));
            } else if let Some(pos) = stack.iter().rposition(|s| *s == name) {
                stack.truncate(pos);
            }
            continue;
        }
        if matches!(
            name.as_str(),
            "script" | "style" | "textarea" | "title" | "xmp" | "plaintext"
        ) {
            // Raw text: skip to the end tag.
            let close = format!("</{name}");
            i = find_ci(b, tag_end, close.as_bytes()).unwrap_or(b.len());
            continue;
        }
        // `<div/>` opens a div all the same: HTML ignores the slash on its own
        // elements; only foreign ones (`<path/>` in SVG) are really closed.
        if (self_closing && !is_html_container(&name)) || is_flat_element(&name) {
            continue;
        }
        if stack.len() >= max {
            *dropped.entry(name).or_insert(0) += 1;
            cuts.push((lt, tag_end));
        } else {
            stack.push(name);
        }
    }
    if cuts.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for (s, e) in cuts {
        out.push_str(&html[at..s]);
        at = e;
    }
    out.push_str(&html[at..]);
    Cow::Owned(out)
}

fn memchr_lt(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'<')
}

fn find(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    if from >= b.len() {
        return None;
    }
    b[from..]
        .windows(pat.len())
        .position(|w| w == pat)
        .map(|p| p + from)
}

fn find_ci(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    if from >= b.len() {
        return None;
    }
    b[from..]
        .windows(pat.len())
        .position(|w| w.eq_ignore_ascii_case(pat))
        .map(|p| p + from)
}

/// Index just past the `>` that ends a tag, skipping quoted attribute values.
fn tag_end(b: &[u8], mut i: usize) -> usize {
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return i + 1,
            None => {}
        }
        i += 1;
    }
    b.len()
}

// ---------------------------------------------------------------------------
// Metadata

/// Title, date, author, URL, outlet, language and extras from meta tags,
/// JSON-LD and the markup.
fn page_metadata(doc: &Html, url_hint: Option<&str>) -> ArticleDraft {
    let meta = MetaTags::read(doc);
    let ld = JsonLd::read(doc);
    let mut d = ArticleDraft {
        url: meta
            .link_canonical
            .as_deref()
            .or(meta.get("og:url"))
            .and_then(|u| absolute_url(u, url_hint))
            .or_else(|| url_hint.map(str::to_string)),
        ..Default::default()
    };

    d.source = meta
        .get("og:site_name")
        .map(str::to_string)
        .or_else(|| ld.publisher_name());

    let raw_title = meta
        .get("og:title")
        .map(str::to_string)
        .or_else(|| ld.str_field("headline"))
        .or_else(|| first_text(doc, "h1"))
        .or_else(|| first_text(doc, "title"));
    d.title = raw_title.map(|t| {
        let host = d.url.as_deref().and_then(crate::article::host_of);
        strip_site_suffix(&t, d.source.as_deref(), host.as_deref())
    });

    // Every date the page states, best source first; `choose_date` skips
    // placeholders (`0001-01-01`) and prefers a zoned JSON-LD date over a
    // zoneless visible one of the same day.
    let mut dates: Vec<String> = Vec::new();
    dates.extend(meta.get("article:published_time").map(str::to_string));
    dates.extend(ld.str_field("datePublished"));
    for k in [
        "date",
        "pubdate",
        "publish-date",
        "publish_date",
        "dc.date.issued",
        "parsely-pub-date",
        "sailthru.date",
        "og:published_time",
    ] {
        dates.extend(meta.get(k).map(str::to_string));
    }
    dates.extend(attr_of(
        doc,
        "[itemprop=datePublished]",
        &["content", "datetime"],
    ));
    dates.extend(attr_of(
        doc,
        "article time[datetime], main time[datetime], time[pubdate][datetime]",
        &["datetime"],
    ));
    d.published = crate::dates::choose_date(dates, jiff::Timestamp::now());

    d.byline = meta
        .get("author")
        .filter(|a| !looks_like_url(a))
        .map(str::to_string)
        .or_else(|| ld.author())
        .or_else(|| {
            meta.get("article:author")
                .filter(|a| !looks_like_url(a))
                .map(str::to_string)
        })
        .or_else(|| all_text(doc, "a[rel~=author], [itemprop=author] [itemprop=name]"));

    d.language = meta
        .html_lang
        .clone()
        .or_else(|| meta.get("og:locale").map(str::to_string))
        .or_else(|| meta.get("content-language").map(str::to_string))
        .or_else(|| ld.str_field("inLanguage"));

    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            d.metadata.insert(k.to_string(), v);
        }
    };
    put(
        "section",
        meta.get("article:section")
            .map(str::to_string)
            .or_else(|| ld.str_field("articleSection"))
            .map(Value::from),
    );
    let mut keywords: Vec<String> = Vec::new();
    for k in ["news_keywords", "keywords"] {
        if let Some(v) = meta.get(k) {
            keywords.extend(v.split(',').map(|s| s.trim().to_string()));
        }
    }
    keywords.extend(meta.all("article:tag").map(str::to_string));
    if keywords.is_empty() {
        keywords.extend(ld.keywords());
    }
    let mut seen = std::collections::HashSet::new();
    keywords.retain(|k| !k.is_empty() && seen.insert(k.to_lowercase()));
    put(
        "keywords",
        (!keywords.is_empty()).then(|| Value::from(keywords)),
    );
    put(
        "description",
        meta.get("og:description")
            .or(meta.get("description"))
            .map(Value::from),
    );
    put(
        "modified",
        meta.get("article:modified_time")
            .map(str::to_string)
            .or_else(|| ld.str_field("dateModified"))
            .map(Value::from),
    );
    d
}

/// `<meta>` values by lower-cased `property`, `name`, `itemprop` or
/// `http-equiv`, in page order, plus `<link rel=canonical>` and `<html lang>`.
struct MetaTags {
    values: Vec<(String, String)>,
    link_canonical: Option<String>,
    html_lang: Option<String>,
}

impl MetaTags {
    fn read(doc: &Html) -> Self {
        let mut values = Vec::new();
        if let Ok(sel) = Selector::parse("meta") {
            for m in doc.select(&sel) {
                let e = m.value();
                let Some(content) = e.attr("content").map(str::trim).filter(|c| !c.is_empty())
                else {
                    continue;
                };
                for key in ["property", "name", "itemprop", "http-equiv"] {
                    if let Some(k) = e.attr(key) {
                        values.push((k.trim().to_ascii_lowercase(), content.to_string()));
                    }
                }
            }
        }
        let link_canonical = Selector::parse("link[rel][href]").ok().and_then(|sel| {
            doc.select(&sel)
                .find(|l| {
                    l.value().attr("rel").is_some_and(|r| {
                        r.split_whitespace()
                            .any(|t| t.eq_ignore_ascii_case("canonical"))
                    })
                })
                .and_then(|l| l.value().attr("href"))
                .map(|h| h.trim().to_string())
                .filter(|h| !h.is_empty())
        });
        let html_lang = doc
            .root_element()
            .value()
            .attr("lang")
            .or_else(|| doc.root_element().value().attr("xml:lang"))
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty());
        Self {
            values,
            link_canonical,
            html_lang,
        }
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.values
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The JSON-LD nodes of a page (arrays and `@graph`s flattened; malformed
/// blocks ignored) and the one that describes the article.
struct JsonLd {
    nodes: Vec<Value>,
    article: Option<usize>,
}

impl JsonLd {
    fn read(doc: &Html) -> Self {
        let mut nodes = Vec::new();
        if let Ok(sel) = Selector::parse("script[type]") {
            for s in doc.select(&sel) {
                let ty = s.value().attr("type").unwrap_or("").to_ascii_lowercase();
                if !ty.contains("ld+json") {
                    continue;
                }
                let raw: String = s.text().collect();
                let raw = raw.trim();
                let raw = raw
                    .strip_prefix("<!--")
                    .and_then(|r| r.strip_suffix("-->"))
                    .unwrap_or(raw);
                // Hand-written JSON-LD often breaks a string over lines (a raw
                // newline is invalid JSON); outside strings line breaks are
                // white space, so turning them into spaces loses nothing.
                let parsed = serde_json::from_str::<Value>(raw).or_else(|_| {
                    serde_json::from_str::<Value>(&raw.replace(['\n', '\r', '\t'], " "))
                });
                if let Ok(v) = parsed {
                    flatten_ld(v, &mut nodes, 0);
                }
            }
        }
        let article = nodes
            .iter()
            .position(|n| has_type(n, is_article_type))
            .or_else(|| nodes.iter().position(|n| n.get("headline").is_some()));
        Self { nodes, article }
    }

    fn article(&self) -> Option<&Value> {
        self.article.and_then(|i| self.nodes.get(i))
    }

    /// Follows `{"@id": …}` references to the node with that id.
    fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        if let Some(id) = v.get("@id").and_then(Value::as_str) {
            if v.as_object().is_some_and(|o| o.len() == 1) {
                if let Some(n) = self
                    .nodes
                    .iter()
                    .find(|n| n.get("@id").and_then(Value::as_str) == Some(id))
                {
                    return n;
                }
            }
        }
        v
    }

    fn str_field(&self, key: &str) -> Option<String> {
        let v = self.article()?.get(key)?;
        let v = match v {
            Value::Array(a) => a.first()?,
            v => v,
        };
        v.as_str()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    fn name_of(&self, v: &Value) -> Option<String> {
        let v = self.resolve(v);
        match v {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Object(_) => v.get("name").and_then(|n| match n {
                Value::String(s) => Some(s.trim().to_string()),
                Value::Array(a) => a.first()?.as_str().map(|s| s.trim().to_string()),
                _ => None,
            }),
            _ => None,
        }
        .filter(|s| !s.is_empty() && !looks_like_url(s))
    }

    fn author(&self) -> Option<String> {
        let a = self.article()?.get("author")?;
        let names: Vec<String> = match a {
            Value::Array(items) => items.iter().filter_map(|i| self.name_of(i)).collect(),
            v => self.name_of(v).into_iter().collect(),
        };
        (!names.is_empty()).then(|| names.join(", "))
    }

    fn publisher_name(&self) -> Option<String> {
        let p = self.article()?.get("publisher")?;
        match p {
            Value::Array(items) => items.iter().find_map(|i| self.name_of(i)),
            v => self.name_of(v),
        }
    }

    fn keywords(&self) -> Vec<String> {
        match self.article().and_then(|a| a.get("keywords")) {
            Some(Value::String(s)) => s.split(',').map(|k| k.trim().to_string()).collect(),
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .map(|k| k.trim().to_string())
                .collect(),
            _ => Vec::new(),
        }
    }
}

fn flatten_ld(v: Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 4 || out.len() > 256 {
        return;
    }
    match v {
        Value::Array(items) => {
            for i in items {
                flatten_ld(i, out, depth + 1);
            }
        }
        Value::Object(mut o) => {
            if let Some(g) = o.remove("@graph") {
                flatten_ld(g, out, depth + 1);
            }
            // A WebPage that carries the article as `mainEntity`.
            if let Some(m) = o.get("mainEntity").filter(|m| has_type(m, is_article_type)) {
                out.push(m.clone());
            }
            if !o.is_empty() {
                out.push(Value::Object(o));
            }
        }
        _ => {}
    }
}

fn has_type(v: &Value, pred: fn(&str) -> bool) -> bool {
    match v.get("@type") {
        Some(Value::String(s)) => pred(s),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(pred),
        _ => false,
    }
}

fn is_article_type(t: &str) -> bool {
    t.ends_with("Article") || matches!(t, "BlogPosting" | "Report" | "LiveBlogPosting")
}

fn looks_like_url(s: &str) -> bool {
    let s = s.trim_start();
    s.starts_with("http://") || s.starts_with("https://") || s.starts_with("//")
}

/// An absolute http(s) URL, resolving a relative one against `base`.
fn absolute_url(u: &str, base: Option<&str>) -> Option<String> {
    let u = u.trim();
    if let Ok(p) = url::Url::parse(u) {
        return matches!(p.scheme(), "http" | "https").then(|| p.to_string());
    }
    let base = url::Url::parse(base?).ok()?;
    let p = base.join(u).ok()?;
    matches!(p.scheme(), "http" | "https").then(|| p.to_string())
}

fn first_text(doc: &Html, css: &str) -> Option<String> {
    let sel = Selector::parse(css).ok()?;
    doc.select(&sel)
        .map(|e| collapse(&e.text().collect::<String>()))
        .find(|t| !t.is_empty())
}

/// Distinct texts of all matches, joined with ", ".
fn all_text(doc: &Html, css: &str) -> Option<String> {
    let sel = Selector::parse(css).ok()?;
    let mut names: Vec<String> = Vec::new();
    for e in doc.select(&sel) {
        let t = collapse(&e.text().collect::<String>());
        if !t.is_empty() && !names.contains(&t) {
            names.push(t);
        }
    }
    (!names.is_empty()).then(|| names.join(", "))
}

fn attr_of(doc: &Html, css: &str, attrs: &[&str]) -> Option<String> {
    let sel = Selector::parse(css).ok()?;
    doc.select(&sel).find_map(|e| {
        attrs
            .iter()
            .find_map(|a| e.value().attr(a))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    })
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes a trailing (or leading) " | Outlet", " - Outlet" … when the part
/// names the site: equal to `site` or to the host name, ignoring case and
/// punctuation.
fn strip_site_suffix(title: &str, site: Option<&str>, host: Option<&str>) -> String {
    let title = collapse(title);
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let mut names: Vec<String> = Vec::new();
    if let Some(s) = site {
        names.push(squash(s));
    }
    if let Some(h) = host {
        let h = h.strip_prefix("www.").unwrap_or(h);
        // "harbor-gazette.example" -> "harborgazette"; "news.bbc.co.uk" -> "bbc" too.
        let labels: Vec<&str> = h.split('.').collect();
        if labels.len() >= 2 {
            names.push(squash(labels[..labels.len() - 1].join("").as_str()));
            names.push(squash(labels[labels.len() - 2]));
        }
        names.push(squash(h));
    }
    names.retain(|n| !n.is_empty());
    if names.is_empty() {
        return title;
    }
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " » ", ": "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            if !head.trim().is_empty() && names.contains(&squash(tail)) {
                return head.trim().to_string();
            }
        }
        if let Some((head, tail)) = title.split_once(sep) {
            if !tail.trim().is_empty() && sep != ": " && names.contains(&squash(head)) {
                return tail.trim().to_string();
            }
        }
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A news page as outlets publish them: navigation, a cookie banner,
    /// share buttons, related links, a newsletter box, a footer, JSON-LD.
    const NEWS_PAGE: &str = r##"<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Ferry terminal opening delayed after cracks found in pier | Harbor Gazette</title>
  <link rel="canonical" href="https://www.harbor-gazette.example/news/2026/03/ferry-terminal-delayed">
  <meta property="og:title" content="Ferry terminal opening delayed after cracks found in pier | Harbor Gazette">
  <meta property="og:site_name" content="Harbor Gazette">
  <meta property="og:url" content="https://www.harbor-gazette.example/news/2026/03/ferry-terminal-delayed?ref=og">
  <meta property="article:section" content="Local news">
  <meta name="keywords" content="ferry, harbour, infrastructure">
  <script type="application/ld+json">
  {"@context": "https://schema.org", "@type": "NewsArticle",
   "headline": "Ferry terminal opening delayed after cracks found in pier",
   "datePublished": "2026-03-02T08:15:00+01:00",
   "dateModified": "2026-03-02T10:40:00+01:00",
   "author": [{"@type": "Person", "name": "Mara Keane"}, {"@type": "Person", "name": "Tomas Reyes"}],
   "publisher": {"@type": "Organization", "name": "Harbor Gazette"}}
  </script>
  <script>window.dataLayer = [{"page": "article"}];</script>
</head>
<body>
  <div id="cookie-consent" class="cookie-banner">
    <p>We use cookies to improve your experience. By continuing to use this site you agree to our cookie policy.</p>
    <button>Accept all</button>
  </div>
  <header class="site-header">
    <nav class="main-nav"><ul>
      <li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
      <li><a href="/business">Business</a></li><li><a href="/opinion">Opinion</a></li>
    </ul></nav>
  </header>
  <main>
    <article class="story">
      <h1>Ferry terminal opening delayed after cracks found in pier</h1>
      <div class="byline">By <a rel="author" href="/staff/mara-keane">Mara Keane</a></div>
      <time datetime="2026-03-02T08:15:00+01:00">2 March 2026</time>
      <div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
      <div class="story-body">
        <p>The harbour authority said on Tuesday that the new ferry terminal would open in March, two months later
           than planned, after inspectors found cracks in the concrete of the northern pier.</p>
        <p>"Safety comes first," said Ilse Brandt, the authority's chief engineer. "We will not open a pier that we
           cannot vouch for, and the repairs will take at least eight weeks."</p>
        <p>The terminal, which cost 48 million euros, was meant to double the number of crossings to the islands.
           Ferry operators said the delay would cost them about 1.2 million euros in lost bookings.</p>
        <p>The city council will discuss the repairs at its meeting on Thursday, a spokesman said.</p>
      </div>
    </article>
    <aside class="related-links">
      <h2>Related stories</h2>
      <ul>
        <li><a href="/news/1">Island residents protest ferry fare rise</a></li>
        <li><a href="/news/2">Harbour dredging to start next year</a></li>
      </ul>
    </aside>
    <div class="newsletter-signup"><h3>Sign up for our newsletter</h3><form><input type="email"></form></div>
  </main>
  <footer class="site-footer">
    <p>© 2026 Harbor Gazette. All rights reserved.</p>
    <ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/contact">Contact us</a></li></ul>
  </footer>
</body>
</html>"##;

    #[test]
    fn html_news_page_text_and_metadata() {
        let a = extract_article(NEWS_PAGE, Some("https://feeds.example/item/9")).unwrap();
        println!("{}", a.text);
        let paras: Vec<&str> = a.text.split("\n\n").collect();
        assert_eq!(paras.len(), 4, "{:?}", paras);
        assert!(paras[0].starts_with("The harbour authority said on Tuesday"));
        assert!(paras[0].ends_with("the northern pier."));
        assert!(paras[1].starts_with("\"Safety comes first,\""));
        assert!(paras[3].starts_with("The city council will discuss"));
        for junk in [
            "cookie",
            "Home",
            "Sport",
            "Share on",
            "Related",
            "Island residents",
            "newsletter",
            "All rights reserved",
            "Privacy",
            "dataLayer",
            "Mara Keane",
        ] {
            assert!(!a.text.contains(junk), "{junk:?} leaked into {:?}", a.text);
        }
        assert_eq!(
            a.title.as_deref(),
            Some("Ferry terminal opening delayed after cracks found in pier")
        );
        assert_eq!(a.published.as_deref(), Some("2026-03-02T08:15:00+01:00"));
        assert_eq!(a.byline.as_deref(), Some("Mara Keane, Tomas Reyes"));
        assert_eq!(
            a.url.as_deref(),
            Some("https://www.harbor-gazette.example/news/2026/03/ferry-terminal-delayed")
        );
        assert_eq!(a.source.as_deref(), Some("Harbor Gazette"));
        assert_eq!(a.language.as_deref(), Some("en-GB"));
        assert_eq!(a.metadata["section"], "Local news");
        assert_eq!(
            a.metadata["keywords"],
            serde_json::json!(["ferry", "harbour", "infrastructure"])
        );
        assert_eq!(a.metadata["modified"], "2026-03-02T10:40:00+01:00");
    }

    /// A page with the given head and article paragraphs.
    fn page(head: &str, paras: &[&str]) -> String {
        let body: String = paras.iter().map(|p| format!("<p>{p}</p>\n")).collect();
        format!("<html><head>{head}</head><body><article>{body}</article></body></html>")
    }

    const P1: &str = "The harbour authority said on Tuesday that the new ferry terminal would open in March, two months later than planned.";
    const P2: &str = "Inspectors found cracks in the concrete of the northern pier, and repairs will take at least eight weeks, officials said.";
    const P3: &str = "The terminal cost 48 million euros and was meant to double the number of crossings to the islands this summer.";

    #[test]
    fn html_title_site_suffix_is_stripped_only_when_it_names_the_site() {
        let t = |head: &str, url: Option<&str>| {
            extract_article(&page(head, &[P1, P2, P3]), url)
                .unwrap()
                .title
        };
        let site = r#"<meta property="og:site_name" content="The Harbor Gazette">"#;
        assert_eq!(
            t(
                &format!("{site}<title>Pier cracks delay terminal | The Harbor Gazette</title>"),
                None
            )
            .as_deref(),
            Some("Pier cracks delay terminal")
        );
        assert_eq!(
            t(
                &format!("{site}<title>Pier cracks delay terminal - the harbor gazette</title>"),
                None
            )
            .as_deref(),
            Some("Pier cracks delay terminal")
        );
        // Site name taken from the host when the page names none.
        assert_eq!(
            t(
                "<title>Pier cracks delay terminal – Harbor Gazette</title>",
                Some("https://www.harbor-gazette.example/a")
            )
            .as_deref(),
            Some("Pier cracks delay terminal")
        );
        // Not the site's name: kept whole.
        assert_eq!(
            t(
                &format!("{site}<title>Ferries - what the delay means for you</title>"),
                None
            )
            .as_deref(),
            Some("Ferries - what the delay means for you")
        );
        // og:title beats JSON-LD headline beats <h1> beats <title>.
        let ld = r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"From JSON-LD"}</script>"#;
        assert_eq!(
            t(
                &format!("<title>From title</title>{ld}<meta property=og:title content='From og'>"),
                None
            )
            .as_deref(),
            Some("From og")
        );
        assert_eq!(
            t(&format!("<title>From title</title>{ld}"), None).as_deref(),
            Some("From JSON-LD")
        );
        let with_h1 = format!(
            "<html><head><title>From title</title></head><body><h1>From h1</h1><article><p>{P1}</p><p>{P2}</p></article></body></html>"
        );
        assert_eq!(
            extract_article(&with_h1, None).unwrap().title.as_deref(),
            Some("From h1")
        );
    }

    #[test]
    fn html_repeated_headline_and_byline_are_not_text() {
        let html = format!(
            "<html><head><title>Pier cracks delay terminal</title><meta name=author content='Mara Keane'></head>\
             <body><article><div><h2>Pier cracks delay terminal</h2><div>By Mara Keane</div></div>\
             <p>{P1}</p><p>{P2}</p><p>{P3}</p></article></body></html>"
        );
        let a = extract_article(&html, None).unwrap();
        assert!(a.text.starts_with("The harbour authority"), "{:?}", a.text);
        // A page whose whole text is its title keeps it.
        let d = ArticleDraft {
            title: Some("Only this".into()),
            ..Default::default()
        };
        assert_eq!(drop_leading_furniture("Only this", &d), "Only this");
    }

    #[test]
    fn html_json_ld_array_graph_and_references() {
        let array = r#"<script type="application/ld+json">[
            {"@type": "BreadcrumbList", "itemListElement": []},
            {"@type": ["NewsArticle"], "headline": "Array headline", "datePublished": "2026-03-02",
             "author": {"@type": "Person", "name": "Mara Keane"},
             "publisher": {"@type": "NewsMediaOrganization", "name": "Array Times"}}
        ]</script>"#;
        let a = extract_article(&page(array, &[P1, P2]), None).unwrap();
        assert_eq!(a.title.as_deref(), Some("Array headline"));
        assert_eq!(a.published.as_deref(), Some("2026-03-02"));
        assert_eq!(a.byline.as_deref(), Some("Mara Keane"));
        assert_eq!(a.source.as_deref(), Some("Array Times"));

        let graph = r#"<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
            {"@type": "WebSite", "@id": "https://g.example/#site", "name": "Graph Post"},
            {"@type": "Organization", "@id": "https://g.example/#org", "name": "Graph Post Ltd"},
            {"@type": "Person", "@id": "https://g.example/#tom", "name": "Tomas Reyes"},
            {"@type": "Article", "headline": "Graph headline", "datePublished": "2026-03-03T09:00:00Z",
             "author": [{"@id": "https://g.example/#tom"}, "Ilse Brandt"],
             "publisher": {"@id": "https://g.example/#org"}, "articleSection": "Business",
             "keywords": ["ports", "ferries"]}
        ]}</script>"#;
        let a = extract_article(&page(graph, &[P1, P2]), None).unwrap();
        assert_eq!(a.title.as_deref(), Some("Graph headline"));
        assert_eq!(a.published.as_deref(), Some("2026-03-03T09:00:00Z"));
        assert_eq!(a.byline.as_deref(), Some("Tomas Reyes, Ilse Brandt"));
        assert_eq!(a.source.as_deref(), Some("Graph Post Ltd"));
        assert_eq!(a.metadata["section"], "Business");
        assert_eq!(
            a.metadata["keywords"],
            serde_json::json!(["ports", "ferries"])
        );

        // Malformed JSON-LD is ignored; the meta tags still count.
        let broken = r#"<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Bro</script>
            <meta name="author" content="Ilse Brandt"><meta name="parsely-pub-date" content="2026-03-04">
            <title>Plain title</title>"#;
        let a = extract_article(&page(broken, &[P1, P2]), None).unwrap();
        assert_eq!(a.title.as_deref(), Some("Plain title"));
        assert_eq!(a.byline.as_deref(), Some("Ilse Brandt"));
        assert_eq!(a.published.as_deref(), Some("2026-03-04"));
    }

    #[test]
    fn html_placeholder_date_gives_way_to_the_next_source() {
        // JSON-LD `0001-01-01` (a template's empty date) is skipped for the <time>.
        let ld = r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"0001-01-01T00:00:00Z"}</script>"#;
        let html = format!(
            "<html><head>{ld}</head><body><article><time datetime='2026-03-05T07:00:00Z'>5 March</time>\
             <p>{P1}</p><p>{P2}</p></article></body></html>"
        );
        let a = extract_article(&html, None).unwrap();
        assert_eq!(a.published.as_deref(), Some("2026-03-05T07:00:00Z"));
        // Only the placeholder: kept raw, so finishing reports it.
        let a = extract_article(&page(ld, &[P1, P2]), None).unwrap();
        assert_eq!(a.published.as_deref(), Some("0001-01-01T00:00:00Z"));
    }

    #[test]
    fn html_json_ld_offset_beats_a_zoneless_visible_date() {
        // The page's meta date has no zone; JSON-LD states +08:00 for the same day.
        let head = r#"<meta property="article:published_time" content="November 20, 2019 13:42">
            <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2019-11-20 13:42:06+08:00"}</script>"#;
        let a = extract_article(&page(head, &[P1, P2]), None).unwrap();
        let raw = a.published.unwrap();
        assert_eq!(raw, "2019-11-20 13:42:06+08:00");
        // Also when the JSON-LD breaks a string over two lines (invalid JSON, common).
        let head = "<meta property=\"article:published_time\" content=\"November 20, 2019 13:42\">\
            <script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"description\":\"Two\n lines\",\
            \"datePublished\":\"2019-11-20 13:42:06+08:00\"}</script>";
        let a = extract_article(&page(head, &[P1, P2]), None).unwrap();
        assert_eq!(a.published.as_deref(), Some("2019-11-20 13:42:06+08:00"));
        assert_eq!(
            crate::dates::parse_date(&raw).unwrap().to_string(),
            "2019-11-20T05:42:06Z"
        );
    }

    #[test]
    fn html_dates_urls_and_language_fallbacks() {
        // <time datetime> inside the article; relative canonical resolved on the hint; og:locale.
        let html = format!(
            "<html><head><link rel=canonical href='/news/ferry'><meta property='og:locale' content='de_DE'></head>\
             <body><time datetime='2025-01-01'>site clock</time><article><time datetime='2026-03-05T07:00:00Z'>5 March</time>\
             <p>{P1}</p><p>{P2}</p></article></body></html>"
        );
        let a = extract_article(&html, Some("https://harbor.example/feed/item?id=3")).unwrap();
        assert_eq!(a.published.as_deref(), Some("2026-03-05T07:00:00Z"));
        assert_eq!(a.url.as_deref(), Some("https://harbor.example/news/ferry"));
        assert_eq!(a.language.as_deref(), Some("de_DE"));
        // No canonical, no og:url: the hint.
        let a = extract_article(&page("", &[P1, P2]), Some("https://harbor.example/x")).unwrap();
        assert_eq!(a.url.as_deref(), Some("https://harbor.example/x"));
        let a = extract_article(
            &page(
                "<meta property='og:url' content='https://harbor.example/og'>",
                &[P1],
            ),
            Some("https://h.example/x"),
        )
        .unwrap();
        assert_eq!(a.url.as_deref(), Some("https://harbor.example/og"));
    }

    #[test]
    fn html_windows_1252_by_meta_charset_and_by_content_type() {
        // "café" with é = 0xE9, "€" = 0x80, curly quotes 0x93/0x94 in windows-1252.
        let body = b"<p>Le caf\xe9 co\xfbte 3 \x80, dit \x93Marie\x94 au Harbor Gazette ce mardi matin, avant la r\xe9union du conseil.</p>\
            <p>Les travaux du quai nord dureront au moins huit semaines, selon l'autorit\xe9 portuaire de la ville.</p></body></html>";
        let mut with_meta =
            b"<html><head><meta charset=\"windows-1252\"><title>T</title></head><body>".to_vec();
        with_meta.extend_from_slice(body);
        let mut with_http_equiv =
            b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head><body>".to_vec();
        with_http_equiv.extend_from_slice(body);
        let mut bare = b"<html><head></head><body>".to_vec();
        bare.extend_from_slice(body);
        for (bytes, ct) in [
            (&with_meta, None),
            (&with_http_equiv, None),
            (&bare, Some("text/html; charset=\"Windows-1252\"")),
            // The header wins over a wrong meta.
            (&with_meta.clone(), Some("text/html;charset=cp1252")),
        ] {
            let html = decode_html(bytes, ct);
            let a = extract_article(&html, None).unwrap();
            assert!(
                a.text.contains("Le café coûte 3 €, dit “Marie”"),
                "{:?}",
                a.text
            );
            assert!(!a.text.contains('\u{FFFD}'));
        }
        // Without any declaration the same bytes are not UTF-8: replacement characters, no panic.
        assert!(decode_html(&bare, None).contains('\u{FFFD}'));
        // A header charset beats the meta one.
        let utf8_page = "<meta charset=windows-1252><p>café</p>".as_bytes();
        assert!(decode_html(utf8_page, Some("text/html; charset=utf-8")).contains("café"));
        assert!(!decode_html(utf8_page, None).contains("café"));
        // A BOM wins; unknown labels fall back to UTF-8.
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("<p>café</p>".as_bytes());
        assert_eq!(
            decode_html(&bom, Some("text/html; charset=windows-1252")),
            "<p>café</p>"
        );
        assert_eq!(
            decode_html("<p>café</p>".as_bytes(), Some("text/html; charset=klingon")),
            "<p>café</p>"
        );
    }

    #[test]
    fn html_truncated_page_keeps_paragraphs_before_the_cut() {
        let full = NEWS_PAGE;
        // Cut in the middle of the fourth paragraph's opening tag.
        let cut = full.find("<p>The city council").unwrap() + 2;
        let a = extract_article(&full[..cut], None).unwrap();
        assert!(a.text.contains("the northern pier."), "{:?}", a.text);
        assert!(a.text.contains("at least eight weeks"));
        assert!(a.text.contains("in lost bookings."));
        assert!(!a.text.contains("city council"));
        assert_eq!(a.source.as_deref(), Some("Harbor Gazette"));
        // Cut inside an attribute value, and inside a word.
        for needle in ["<div class=\"story-bo", "concrete of the nor"] {
            let cut = full.find(needle).unwrap() + needle.len();
            assert!(
                extract_article(&full[..cut], None).is_ok(),
                "cut after {needle:?}"
            );
        }
    }

    #[test]
    fn html_pages_without_text_are_no_text() {
        for html in [
            "",
            "   \n ",
            "<html><head><title>Only a title</title></head></html>",
            "<html><head><script>var a = '<p>not text</p>';</script></head><body><script>document.write('x')</script><style>p{}</style></body></html>",
            "<html><body><nav><a href=/>Home</a></nav></body></html>",
        ] {
            assert_eq!(extract_article(html, None), Err(IngestErrorKind::NoText), "{html:?}");
        }
    }

    #[test]
    fn html_hostile_input_never_panics_and_stays_fast() {
        let para = format!("<p>{P1}</p><p>{P2}</p>");
        let junk: Vec<u8> = (0u32..200_000)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let cases: Vec<(&str, String)> = vec![
            ("no body", format!("{P1}<br>{P2}")),
            (
                "nested divs",
                format!("<body>{}{para}", "<div>".repeat(100_000)),
            ),
            (
                "nested inline",
                format!("<body>{}{para}", "<b><i>".repeat(20_000)),
            ),
            (
                "nested tables",
                format!("<body>{}{para}", "<table><tr><td>".repeat(5_000)),
            ),
            (
                "self-closed divs",
                format!("<body>{}{para}", "<div/>".repeat(100_000)),
            ),
            (
                "distinct formatting then many paragraphs",
                format!(
                    "<body>{}{}",
                    (0..20_000)
                        .map(|i| format!("<b id={i}>"))
                        .collect::<String>(),
                    para.repeat(500)
                ),
            ),
            ("binary junk", String::from_utf8_lossy(&junk).into_owned()),
            ("nul bytes", format!("<p>{}</p>", "\0".repeat(10_000))),
            (
                "4 MB",
                format!(
                    "<html><body><article>{}</article></body></html>",
                    para.repeat(4_000_000 / para.len())
                ),
            ),
            ("unclosed comment", format!("<body><p>{P1}</p><!-- {P2}")),
            (
                "lone angle brackets",
                format!("<body><p>{P1} < > </ <3 </p><p>{P2}</p>"),
            ),
        ];
        // Run as retold does, on a thread with the default 2 MiB stack.
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                for (name, html) in &cases {
                    let t = std::time::Instant::now();
                    let r = extract_article(html, Some("https://x.example/a"));
                    let secs = t.elapsed().as_secs_f64();
                    // A guard against blow-ups (quadratic nesting took
                    // minutes), not a speed test: generous for a debug build
                    // on a loaded 2-core machine.
                    assert!(secs < 60.0, "{name}: {secs:.1} s");
                    match (*name, r) {
                        ("binary junk" | "nul bytes", r) => {
                            assert_eq!(r, Err(IngestErrorKind::NoText), "{name}")
                        }
                        (_, Ok(a)) => assert!(a.text.contains("harbour authority"), "{name}"),
                        (_, Err(e)) => panic!("{name}: {e}"),
                    }
                }
            })
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn html_limit_nesting_drops_only_deep_tags() {
        let shallow = "<div><p>a<b>b</b></p><br/><img src=x></div><script>if (a<b) {}</script>";
        assert!(matches!(limit_nesting(shallow, 4), Cow::Borrowed(_)));
        let deep = format!(
            "{}x{}",
            "<div class=\"a>b\">".repeat(10),
            "</div>".repeat(10)
        );
        let out = limit_nesting(&deep, 3);
        assert_eq!(
            out,
            format!("{}x{}", "<div class=\"a>b\">".repeat(3), "</div>".repeat(3))
        );
        // Unclosed paragraphs and list items do not count as depth.
        let flat = "<ul><li>a<li>b<li>c</ul><p>1<p>2<p>3<p>4<p>5";
        assert!(matches!(limit_nesting(flat, 2), Cow::Borrowed(_)));
        // Text inside script is not markup.
        let script = format!("<script>{}</script><div>x</div>", "<div>".repeat(10));
        assert!(matches!(limit_nesting(&script, 2), Cow::Borrowed(_)));
    }

    #[test]
    fn html_fragment_to_text_paragraphs_breaks_and_lists() {
        let frag = "<p>First  paragraph,\n with <b>bold</b> and <a href='x'>a link</a>.</p>\
            <p>Line one<br>line two<br/><br>After a double break.</p>\
            Loose text &amp; entities&nbsp;here.\
            <ul><li>Item one</li><li>Item <i>two</i></li></ul>\
            <ol><li>Step</li></ol><script>alert(1)</script><blockquote>A quote.</blockquote>";
        assert_eq!(
            fragment_to_text(frag),
            "First paragraph, with bold and a link.\n\n\
             Line one\nline two\n\nAfter a double break.\n\n\
             Loose text & entities here.\n\n\
             Item one\n\nItem two\n\nStep\n\nA quote."
        );
        assert_eq!(
            fragment_to_text("Just text, no tags."),
            "Just text, no tags."
        );
        assert_eq!(fragment_to_text(""), "");
        assert_eq!(
            fragment_to_text("<div><div><p>Nested</p></div></div>"),
            "Nested"
        );
    }
}
