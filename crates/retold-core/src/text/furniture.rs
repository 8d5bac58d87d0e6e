//! Page furniture: the lines a site repeats on its pages ("Updated 12:24 am
//! EST", "Image 1 of 5", "Caption", "Close", share bars, section labels),
//! learned from the corpus itself.
//!
//! **Why.** Main-text extraction keeps some of a site's template in the
//! text. Two unrelated pages of one site then share a handful of identical
//! short lines, in the same order, and the aligner sees five exact pairs in
//! a row: without this module the pair verdict says `same_story` and the
//! story engine joins the two pages.
//!
//! **How.** Every page's lines are reduced to a key (lower case, words only,
//! every number and clock time folded to `0`, month and weekday names to
//! one token each, so "Updated 12:24 am EST, Wednesday, November 20, 2019"
//! and "Updated 3:05 pm EST, Tuesday, November 19, 2019" are one line) and
//! recorded per host (the article URL's host, else its source, else the
//! site its copyright line names, [`copyright_host`]), as the analysis
//! reads them (normalized: a hard-wrapped paragraph is one line). A line of
//! at most [`MAX_WORDS`] words is furniture of its host when it occurs on
//! two pages of that host that are *not versions of one text*: pages that
//! share a line longer than [`MAX_WORDS`] words, or [`COPY_SHARE`] of the
//! shorter page's sentence lines (lines of [`SENTENCE_WORDS`] words or
//! more), are copies or rewrites of one story (they share everything,
//! furniture or not), and their common lines say nothing about the site. Two pages of a site that share little else already make the
//! lines they do share furniture: most sites in a pile appear two or three
//! times (the public 181-page extraction benchmark has 50 hosts with two
//! pages, 2 with three and none with more), so a "three pages" rule would
//! learn almost nothing there. See `docs/QUALITY.md` for the measurement.
//!
//! **What is done with it.** Furniture lines are removed from the text the
//! engine analyzes, exactly like boilerplate lines (label `furniture` in
//! [`TextDoc::removed`](super::TextDoc::removed)): the clean text, its
//! sentences, term vectors, sketches, alignments and change reports never
//! see them, and every offset still maps back into the raw text through the
//! same offset map. Marking the lines and teaching the aligner and the
//! cosine to skip them would leave two views of one text (what is aligned
//! and what is reported), and a change report would list a site's timestamp
//! as an "added sentence"; stripping keeps one view, and the raw text with
//! its furniture is still the article's `text`.
//!
//! The learner is pure (no I/O) and incremental: [`Furniture::learn`] adds a
//! page, and what counts as furniture only grows as pages come. The engine
//! learns each article before analyzing it; a batch is learned whole first.
//!
//! ```
//! use retold_core::text::furniture::Furniture;
//!
//! let mut f = Furniture::default();
//! f.learn("harbor.example", "Updated 12:24 am EST\nThe new ferry terminal opens in March, the port said.\nImage 1 of 5\nCaption\nClose");
//! f.learn("harbor.example", "Updated 3:05 pm EST\nThe chess final in Lindau ended in a draw on Sunday.\nImage 1 of 9\nCaption\nClose");
//! assert!(f.is_furniture("harbor.example", "Updated 9:41 am EST"));
//! assert!(f.is_furniture("harbor.example", "Caption"));
//! assert!(!f.is_furniture("harbor.example", "The new ferry terminal opens in March, the port said."));
//! // Another site's pages are another matter.
//! assert!(!f.is_furniture("other.example", "Caption"));
//!
//! // Removed from the analyzed text like boilerplate; offsets still map back.
//! let raw = "Updated 1:00 am EST\nThe mayor closed the bridge on Monday.\nCaption";
//! let doc = f.analyze("harbor.example", raw, Some("en"));
//! assert_eq!(doc.clean, "The mayor closed the bridge on Monday.");
//! assert_eq!(doc.removed.len(), 2);
//! assert_eq!(doc.removed[0].label, "furniture");
//! let s = doc.to_original_span(doc.sentences[0]);
//! assert_eq!(&raw[s.range()], "The mayor closed the bridge on Monday.");
//! ```

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use xxhash_rust::xxh3::xxh3_64;

use super::TextDoc;
use crate::article::Article;

/// Lines longer than this (in words) are never furniture: a long line two
/// pages share is content they share. Sites' promotional paragraphs run to
/// 30 words ("Join our Space Forums to keep talking space on the latest
/// missions, … let us know at: …"), hence not lower.
pub const MAX_WORDS: usize = 40;

/// Two pages sharing at least this share of the shorter page's lines are
/// versions of one text, not evidence of a template.
pub const COPY_SHARE: f64 = 0.5;

/// Pages of a line that are looked at when deciding whether it is
/// furniture (the first ones seen): bounds the work on a line that is on
/// thousands of pages, and keeps a decision once made.
const PAGES_CHECKED: usize = 8;

/// Lines of at least this many words are sentences: the lines by which
/// [`COPY_SHARE`] is counted.
pub const SENTENCE_WORDS: usize = 8;

/// Top bit of a line key: the line is too long to be furniture.
const LONG: u64 = 1 << 63;

/// Second bit of a line key: the line is a sentence ([`SENTENCE_WORDS`]).
const SENTENCE: u64 = 1 << 62;

/// Every host's lines, page by page.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Furniture {
    hosts: HashMap<String, Host>,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Host {
    /// Each page's distinct line keys, sorted.
    pages: Vec<Vec<u64>>,
    /// Short line key → the one page that has it (most lines are on one
    /// page only: kept without a list, to save memory).
    seen_once: HashMap<u64, u32>,
    /// Short line key → the first [`PAGES_CHECKED`] pages that have it,
    /// for lines on two pages or more.
    seen_on: HashMap<u64, Vec<u32>>,
}

impl Furniture {
    /// An empty learner.
    pub fn new() -> Furniture {
        Furniture::default()
    }

    /// Adds one page of `host`. Its lines are read as the analysis reads
    /// them, normalized ([`super::normalize`]: "ⓒ" is "c" there, a
    /// hard-wrapped paragraph one line), so that a line learned here is the
    /// line [`Furniture::analyze`] takes out.
    pub fn learn(&mut self, host: &str, text: &str) {
        let norm = super::normalize(text);
        let mut keys: Vec<u64> = norm.text.lines().filter_map(line_key).collect();
        keys.sort_unstable();
        keys.dedup();
        let h = self.hosts.entry(host.to_string()).or_default();
        let page = h.pages.len() as u32;
        for &k in keys.iter().filter(|&&k| k & LONG == 0) {
            if let Some(pages) = h.seen_on.get_mut(&k) {
                if pages.len() < PAGES_CHECKED {
                    pages.push(page);
                }
            } else if let Some(first) = h.seen_once.remove(&k) {
                h.seen_on.insert(k, vec![first, page]);
            } else {
                h.seen_once.insert(k, page);
            }
        }
        h.pages.push(keys);
    }

    /// Adds an article under its host ([`host_key`]); articles with no
    /// host (no URL, source or copyright line naming a site) teach nothing.
    pub fn learn_article(&mut self, article: &Article) {
        if let Some(host) = host_key(article) {
            self.learn(&host, &article.text);
        }
    }

    /// True when `line` is furniture of `host` (see the module doc), read
    /// normalized as the analysis reads it.
    pub fn is_furniture(&self, host: &str, line: &str) -> bool {
        let Some(h) = self.hosts.get(host) else {
            return false;
        };
        line_key(&super::normalize(line).text).is_some_and(|k| h.is_furniture(k))
    }

    /// Analyzes `raw` like [`analyze`](super::analyze), with the furniture
    /// lines of `host` removed.
    pub fn analyze(&self, host: &str, raw: &str, language_hint: Option<&str>) -> TextDoc {
        match self.hosts.get(host) {
            Some(h) if h.pages.len() > 1 => super::analyze_dropping(raw, language_hint, &|line| {
                line_key(line).is_some_and(|k| h.is_furniture(k))
            }),
            _ => super::analyze(raw, language_hint),
        }
    }

    /// A hash of which of the article's lines are furniture now (0 when
    /// none is): what [`Furniture::analyze_article`] takes out of it
    /// changes exactly when this does.
    pub fn removed_key(&self, article: &Article) -> u64 {
        let Some(h) = host_key(article).and_then(|host| self.hosts.get(&host)) else {
            return 0;
        };
        // No line on two pages, no furniture: the text is not read again.
        if h.pages.len() < 2 || h.seen_on.is_empty() {
            return 0;
        }
        let removed: Vec<u8> = super::normalize(&article.text)
            .text
            .lines()
            .enumerate()
            .filter(|(_, line)| line_key(line).is_some_and(|k| h.is_furniture(k)))
            .flat_map(|(n, _)| (n as u32).to_le_bytes())
            .collect();
        if removed.is_empty() {
            0
        } else {
            xxh3_64(&removed)
        }
    }

    /// Analyzes an article's text with its host's furniture removed.
    pub fn analyze_article(&self, article: &Article) -> TextDoc {
        let language = article.language.as_deref();
        match host_key(article) {
            Some(host) => self.analyze(&host, &article.text, language),
            None => super::analyze(&article.text, language),
        }
    }
}

impl Host {
    fn is_furniture(&self, key: u64) -> bool {
        if key & LONG != 0 {
            return false;
        }
        let Some(pages) = self.seen_on.get(&key) else {
            return false;
        };
        pages.iter().enumerate().any(|(n, &p)| {
            pages[..n]
                .iter()
                .any(|&q| !self.versions_of_one_text(p as usize, q as usize))
        })
    }

    /// Pages that share a long line, or [`COPY_SHARE`] of the shorter
    /// page's sentence lines (of all its lines when it has no sentence).
    fn versions_of_one_text(&self, p: usize, q: usize) -> bool {
        let (Some(a), Some(b)) = (self.pages.get(p), self.pages.get(q)) else {
            return false;
        };
        let (mut i, mut j, mut shared, mut shared_sentences) = (0, 0, 0usize, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    if a[i] & LONG != 0 {
                        return true;
                    }
                    shared += 1;
                    shared_sentences += usize::from(a[i] & SENTENCE != 0);
                    i += 1;
                    j += 1;
                }
            }
        }
        let sentences = |keys: &[u64]| keys.iter().filter(|&&k| k & SENTENCE != 0).count();
        let fewer = sentences(a).min(sentences(b));
        if fewer > 0 {
            shared_sentences as f64 >= COPY_SHARE * fewer as f64
        } else {
            shared as f64 >= COPY_SHARE * a.len().min(b.len()).max(1) as f64
        }
    }
}

/// The host an article's furniture is learned under: its URL's host
/// (without `www.`), else its source, else the site its own copyright
/// line names ([`copyright_host`]), lower-cased.
pub fn host_key(article: &Article) -> Option<String> {
    article
        .url
        .as_deref()
        .and_then(crate::article::host_of)
        .or_else(|| article.source.clone())
        .map(|h| h.trim().to_lowercase())
        .filter(|h| !h.is_empty())
        .or_else(|| copyright_host(&article.text))
}

/// The site a page's text names as its own in a copyright line ("Copyright
/// ⓒ Entermedia.co.kr.", "© 2019 harbor.example, all rights reserved"):
/// the domain on the last line that carries a copyright mark, lower-cased,
/// without `www.`. A page saved without its URL or outlet still ends with
/// its site's copyright line, and two such pages of one site share that
/// line and the rest of the site's template: without a host they had no
/// furniture learned, and the template joined them.
///
/// ```
/// use retold_core::text::furniture::copyright_host;
/// let text = "The column.\nCopyright ⓒ Entermedia.co.kr. All rights reserved";
/// assert_eq!(copyright_host(text).as_deref(), Some("entermedia.co.kr"));
/// // A domain the text names elsewhere is no claim of the page's own site.
/// assert_eq!(copyright_host("See www.harbor.example for more.\n© 2019 The Harbor Gazette"), None);
/// ```
pub fn copyright_host(text: &str) -> Option<String> {
    static MARK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)©|ⓒ|\(c\)|\bcopyright\b|all rights reserved").expect("a valid pattern")
    });
    static DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:www\.)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})\b")
            .expect("a valid pattern")
    });
    text.lines()
        .rev()
        .filter(|line| MARK.is_match(line))
        .find_map(|line| DOMAIN.captures(line)?.get(1))
        .map(|d| d.as_str().to_lowercase())
}

/// The key of a line: a hash of its words, lower-cased, with numbers and
/// clock times folded to `0` (runs of them to one), month and weekday names
/// to one token each, `am`/`pm` dropped. Long lines get the [`LONG`] bit.
/// `None` for a line without words.
fn line_key(line: &str) -> Option<u64> {
    let mut key = String::new();
    let mut words = 0usize;
    let mut last_number = false;
    for word in line
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let w = word.to_lowercase();
        let token = if w.chars().any(|c| c.is_ascii_digit()) {
            if last_number {
                continue;
            }
            "0"
        } else if matches!(w.as_str(), "am" | "pm" | "a" | "p" | "m") {
            continue;
        } else if is_month(&w) {
            "<month>"
        } else if is_weekday(&w) {
            "<day>"
        } else {
            w.as_str()
        };
        last_number = token == "0";
        words += 1;
        key.push_str(token);
        key.push(' ');
    }
    if words == 0 {
        return None;
    }
    let hash = xxh3_64(key.as_bytes()) & !(LONG | SENTENCE);
    Some(if words > MAX_WORDS {
        hash | LONG | SENTENCE
    } else if words >= SENTENCE_WORDS {
        hash | SENTENCE
    } else {
        hash
    })
}

fn is_month(w: &str) -> bool {
    crate::dates::is_month_word(w)
}

fn is_weekday(w: &str) -> bool {
    crate::dates::is_weekday_word(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY_A: &str = "The harbour authority said the ferry terminal opens in March.\nInspectors found cracks in the northern pier last week.";
    const STORY_B: &str = "The chess final in Lindau ended in a draw after seven hours.\nBoth players agreed to share the title and the prize money.";
    const STORY_C: &str = "Wexhall council voted to close the old library on Fridays.\nLibrarians said the savings would be small.";

    fn page(stamp: &str, story: &str, images: u32) -> String {
        format!("{stamp}\n{story}\nImage 1 of {images}\nCaption\nClose\nAdvertisement")
    }

    #[test]
    fn pages_without_url_or_source_learn_under_their_copyright_line() {
        // Two unrelated pages saved without URL or outlet, ending with the
        // site's copyright line (its "ⓒ" is "c" once normalized) and a
        // contact line, paragraphs apart as extracted pages are.
        let page = |id: &str, story: &str| {
            crate::article::ArticleDraft {
                id: Some(id.into()),
                text: format!(
                    "{story}\n\nCopyright ⓒ Harbor.example. All rights reserved\n\nNews desk: write to the editors at any time"
                ),
                ..Default::default()
            }
            .finish_with(crate::article::Origin::whole(id), false)
            .unwrap()
        };
        let (a, b) = (page("a", STORY_A), page("b", STORY_B));
        assert_eq!(host_key(&a).as_deref(), Some("harbor.example"));
        let mut f = Furniture::default();
        f.learn_article(&a);
        f.learn_article(&b);
        let doc = f.analyze_article(&a);
        assert!(doc.clean.contains("ferry terminal"), "{}", doc.clean);
        assert!(!doc.clean.contains("News desk"), "{}", doc.clean);
        // Learned from the lines as the analysis reads them: the copyright
        // line goes too.
        assert!(!doc.clean.contains("Copyright"), "{}", doc.clean);
        assert!(f.is_furniture(
            "harbor.example",
            "Copyright ⓒ Harbor.example. All rights reserved"
        ));
        assert_ne!(f.removed_key(&a), 0);
    }

    #[test]
    fn keys_fold_numbers_times_and_dates() {
        let k = |s: &str| line_key(s).unwrap();
        assert_eq!(
            k("Updated 12:24 am EST, Wednesday, November 20, 2019"),
            k("Updated 3:05 pm EST, Tuesday, Nov. 19, 2019")
        );
        assert_eq!(k("Image 1 of 23"), k("Image 1 of / 9"));
        assert_ne!(k("Updated 12:24 am EST"), k("Updated 12:24 am CST"));
        assert_eq!(line_key("  — · "), None);
        assert_ne!(k(&"word ".repeat(MAX_WORDS + 1)) & LONG, 0);
        assert_eq!(k(&"word ".repeat(MAX_WORDS)) & LONG, 0);
    }

    #[test]
    fn two_unrelated_pages_of_a_host_make_furniture() {
        let mut f = Furniture::new();
        f.learn("a.example", &page("Updated 12:24 am EST", STORY_A, 5));
        assert!(
            !f.is_furniture("a.example", "Caption"),
            "one page is no site"
        );
        f.learn("a.example", &page("Updated 3:05 pm EST", STORY_B, 9));
        for line in ["Updated 7:00 pm EST", "Image 1 of 3", "Caption", "Close"] {
            assert!(f.is_furniture("a.example", line), "{line}");
        }
        assert!(!f.is_furniture("a.example", STORY_A.lines().next().unwrap()));
        assert!(!f.is_furniture("b.example", "Caption"));
    }

    #[test]
    fn copies_of_one_story_are_not_furniture() {
        let mut f = Furniture::new();
        // Two versions of one story on one site: every line shared.
        f.learn("a.example", &page("Updated 12:24 am EST", STORY_A, 5));
        f.learn("a.example", &page("Updated 2:00 am EST", STORY_A, 5));
        assert!(!f.is_furniture("a.example", "Caption"));
        assert!(!f.is_furniture("a.example", STORY_A.lines().next().unwrap()));
        // A third page of another story shows the template.
        f.learn("a.example", &page("Updated 3:05 pm EST", STORY_C, 2));
        assert!(f.is_furniture("a.example", "Caption"));
        assert!(!f.is_furniture("a.example", STORY_A.lines().next().unwrap()));
    }

    #[test]
    fn a_shared_long_line_marks_versions_of_one_text() {
        let long = "The council said on Monday that the new bridge over the river Aln would cost more than forty million euros and open two years later than planned, \
            because the steel for its main span has to come from a mill in the north that is booked until the end of next year, officials said";
        assert!(long.split_whitespace().count() > MAX_WORDS);
        let mut f = Furniture::new();
        f.learn(
            "a.example",
            &format!("Caption\n{long}\n{STORY_A}\nOne.\nTwo.\nThree."),
        );
        f.learn(
            "a.example",
            &format!("Caption\n{long}\n{STORY_B}\nFour.\nFive.\nSix."),
        );
        assert!(!f.is_furniture("a.example", "Caption"));
        assert!(!f.is_furniture("a.example", long));
    }

    #[test]
    fn analyze_strips_furniture_and_keeps_offsets() {
        let mut f = Furniture::new();
        f.learn("a.example", &page("Updated 12:24 am EST", STORY_A, 5));
        f.learn("a.example", &page("Updated 3:05 pm EST", STORY_B, 9));
        let raw = page("Updated 9:00 am EST", STORY_C, 4);
        let doc = f.analyze("a.example", &raw, Some("en"));
        assert_eq!(doc.clean, STORY_C);
        // "Advertisement" is boilerplate anyway; the other four are this site's.
        let labels: Vec<&str> = doc.removed.iter().map(|r| r.label).collect();
        assert_eq!(
            labels.iter().filter(|l| **l == "furniture").count(),
            4,
            "{labels:?}"
        );
        for &s in &doc.sentences {
            let raw_span = doc.to_original_span(s);
            assert_eq!(&raw[raw_span.range()], doc.text(s));
        }
        // Without pages of its host learned, the text is analyzed as is.
        let plain = f.analyze("b.example", &raw, Some("en"));
        assert_eq!(plain, crate::text::analyze(&raw, Some("en")));
    }

    #[test]
    fn host_is_the_url_host_else_the_source() {
        let a = crate::article::ArticleDraft {
            text: "Text.".into(),
            url: Some("https://www.Harbor.example/a".into()),
            source: Some("Harbor Gazette".into()),
            ..Default::default()
        }
        .finish_with(crate::article::Origin::whole("x"), false)
        .unwrap();
        assert_eq!(host_key(&a).as_deref(), Some("harbor.example"));
        let mut b = a.clone();
        b.url = None;
        assert_eq!(host_key(&b).as_deref(), Some("harbor gazette"));
        b.source = None;
        assert_eq!(host_key(&b), None);
        // Neither: the site its copyright line names.
        b.text =
            "Text.\n저작권자 ⓒ 엔터미디어(www.Entermedia.co.kr), 무단전재 및 재배포금지".into();
        assert_eq!(host_key(&b).as_deref(), Some("entermedia.co.kr"));
    }
}
