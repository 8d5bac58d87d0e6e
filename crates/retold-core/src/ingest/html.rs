//! HTML pages: main text plus title, date, author, canonical URL.
//!
//! STUB: a first cut on scraper; the extraction stage replaces it.

use scraper::{Html, Selector};

use crate::article::ArticleDraft;
use crate::error::IngestErrorKind;

/// Extracts an article from a whole HTML page. `url_hint` is where the page
/// was fetched from (WARC target URI, feed link), used when the page names no
/// canonical URL.
pub fn extract_article(
    html: &str,
    url_hint: Option<&str>,
) -> Result<ArticleDraft, IngestErrorKind> {
    let doc = Html::parse_document(html);
    let mut draft = ArticleDraft {
        url: url_hint.map(str::to_string),
        ..Default::default()
    };
    if let Ok(sel) = Selector::parse("title") {
        draft.title = doc
            .select(&sel)
            .next()
            .map(|e| e.text().collect::<String>());
    }
    draft.text = fragment_to_text(html);
    Ok(draft)
}

/// Text of an HTML fragment (feed content), one paragraph per block element.
pub fn fragment_to_text(html: &str) -> String {
    let frag = Html::parse_fragment(html);
    let mut out = String::new();
    if let Ok(sel) = Selector::parse("p, h1, h2, h3, li, blockquote") {
        for e in frag.select(&sel) {
            let t = e.text().collect::<Vec<_>>().join(" ");
            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
            if !t.is_empty() {
                out.push_str(&t);
                out.push_str("\n\n");
            }
        }
    }
    if out.is_empty() {
        out = frag.root_element().text().collect::<Vec<_>>().join(" ");
    }
    out.trim().to_string()
}

/// Decodes page bytes using the HTTP `Content-Type` charset, else the
/// `<meta charset>`, else UTF-8 (lossy).
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> String {
    let _ = content_type;
    String::from_utf8_lossy(bytes).into_owned()
}
