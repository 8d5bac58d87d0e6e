//! Boilerplate removal: scraper footers, share and subscribe lines,
//! advertisements, photo credits, trailing author bios.
//!
//! Driven by the pattern file `boilerplate.txt` (compiled in), line by line
//! and conservative: a line is dropped only when a pattern matches all of it,
//! and long lines are never tested. Every removed line is recorded with its
//! span in the raw text and the label of the pattern that matched.

use std::ops::Range;
use std::sync::OnceLock;

use regex::RegexSet;
use serde::{Deserialize, Serialize};

use super::normalize::Normalized;
use super::offsets::{MapBuilder, OffsetMap};
use super::Span;

/// The compiled-in pattern file.
pub const PATTERNS: &str = include_str!("boilerplate.txt");

/// Lines longer than this are never tested against `line` patterns.
const MAX_LINE: usize = 300;
/// Lines longer than this are never tested against `tail` patterns.
const MAX_TAIL: usize = 600;
/// How many lines from the end the tail rules look at.
const TAIL_LINES: usize = 6;

/// A line removed as boilerplate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    /// Byte span in the raw text given to [`analyze`](super::analyze).
    pub span: Span,
    /// Label of the pattern that matched (`read-also`, `author-bio`, ...).
    pub label: &'static str,
}

/// One compiled scope of patterns.
struct PatternSet {
    set: RegexSet,
    labels: Vec<&'static str>,
}

impl PatternSet {
    fn label_of(&self, line: &str) -> Option<&'static str> {
        let m = self.set.matches(line);
        m.iter().next().and_then(|i| self.labels.get(i).copied())
    }
}

struct Patterns {
    line: PatternSet,
    tail: PatternSet,
}

/// A pattern line of `boilerplate.txt`: scope, label, regex.
fn parse_line(line: &'static str) -> Option<(&'static str, &'static str, &'static str)> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let (scope, rest) = line.split_once(char::is_whitespace)?;
    let (label, regex) = rest.trim_start().split_once(char::is_whitespace)?;
    Some((scope, label, regex.trim()))
}

fn anchored(regex: &str) -> String {
    format!("(?i)^(?:{regex})$")
}

fn compile(scope: &str) -> PatternSet {
    let mut sources = Vec::new();
    let mut labels = Vec::new();
    for (s, label, regex) in PATTERNS.lines().filter_map(parse_line) {
        // A pattern that does not compile is skipped rather than taking the
        // whole set down; the tests make sure none is.
        if s == scope && regex::Regex::new(&anchored(regex)).is_ok() {
            sources.push(anchored(regex));
            labels.push(label);
        }
    }
    let set = RegexSet::new(&sources).unwrap_or_else(|_| RegexSet::empty());
    PatternSet { set, labels }
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        line: compile("line"),
        tail: compile("tail"),
    })
}

/// Lines of `text` (separated by `\n`) that are boilerplate: their byte
/// ranges in `text` and the labels of the patterns that matched.
pub fn find_boilerplate(text: &str) -> Vec<(Range<usize>, &'static str)> {
    find_boilerplate_with(text, &|_| false)
}

/// [`find_boilerplate`], also taking the lines `extra` says yes to (labelled
/// `furniture`).
fn find_boilerplate_with(
    text: &str,
    extra: &(dyn Fn(&str) -> bool + Sync),
) -> Vec<(Range<usize>, &'static str)> {
    let p = patterns();
    let mut lines: Vec<(Range<usize>, Option<&'static str>)> = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let range = start..start + line.len();
        start += line.len() + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let label = if trimmed.len() <= MAX_LINE {
            p.line
                .label_of(trimmed)
                .or_else(|| extra(trimmed).then_some("furniture"))
        } else {
            None
        };
        lines.push((range, label));
    }
    // Trailing bios and credits: from the end, past other boilerplate, never
    // the first line.
    for i in (1..lines.len()).rev().take(TAIL_LINES) {
        if lines[i].1.is_some() {
            continue;
        }
        let line = text[lines[i].0.clone()].trim();
        match (line.len() <= MAX_TAIL)
            .then(|| p.tail.label_of(line))
            .flatten()
        {
            Some(label) => lines[i].1 = Some(label),
            None => break,
        }
    }
    lines
        .into_iter()
        .filter_map(|(range, label)| label.map(|l| (range, l)))
        .collect()
}

/// Normalized text without its boilerplate lines: the clean text, its map
/// back to the raw text, and the removed lines.
pub fn strip_boilerplate(norm: Normalized) -> (String, OffsetMap, Vec<Removed>) {
    strip_boilerplate_with(norm, &|_| false)
}

/// [`strip_boilerplate`], also removing the lines `extra` says yes to.
pub(crate) fn strip_boilerplate_with(
    norm: Normalized,
    extra: &(dyn Fn(&str) -> bool + Sync),
) -> (String, OffsetMap, Vec<Removed>) {
    let found = find_boilerplate_with(&norm.text, extra);
    if found.is_empty() {
        return (norm.text, norm.offsets, Vec::new());
    }
    let text = norm.text.as_str();
    let removed = found
        .iter()
        .map(|(range, label)| Removed {
            span: norm.offsets.to_original_span(Span {
                start: range.start,
                end: range.end,
            }),
            label,
        })
        .collect();

    let mut out = MapBuilder::with_capacity(text.len());
    let mut dropped = found.iter().map(|(r, _)| r.start).peekable();
    // End of the last kept line, and whether a paragraph break was passed
    // since.
    let mut last_kept: Option<usize> = None;
    let mut paragraph = false;
    let mut start = 0;
    for line in text.split('\n') {
        let range = start..start + line.len();
        start += line.len() + 1;
        if line.is_empty() {
            paragraph = true;
            continue;
        }
        if dropped.peek() == Some(&range.start) {
            dropped.next();
            continue;
        }
        if let Some(end) = last_kept {
            // Keep one separator of the gap: a paragraph break if the gap
            // had one, else the line break after the previous kept line.
            let gap = text.get(end..range.start).unwrap_or("");
            let sep_range = match gap.find("\n\n") {
                Some(i) if paragraph => end + i..end + i + 2,
                _ => end..end + 1,
            };
            norm.offsets.carry(text, sep_range, &mut out);
        }
        norm.offsets.carry(text, range.clone(), &mut out);
        last_kept = Some(range.end);
        paragraph = false;
    }
    let (clean, map) = out.finish_with_text();
    (clean, map, removed)
}

#[cfg(test)]
mod tests {
    use super::super::normalize::normalize;
    use super::*;

    fn strip(raw: &str) -> (String, Vec<&'static str>) {
        let n = normalize(raw);
        let (clean, _, removed) = strip_boilerplate(n);
        (clean, removed.iter().map(|r| r.label).collect())
    }

    #[test]
    fn every_pattern_compiles() {
        for (scope, label, regex) in PATTERNS.lines().filter_map(parse_line) {
            assert!(scope == "line" || scope == "tail", "bad scope {scope}");
            assert!(!label.is_empty());
            assert!(
                regex::Regex::new(&anchored(regex)).is_ok(),
                "{label}: {regex}"
            );
        }
        let p = patterns();
        assert!(p.line.labels.len() > 20);
        assert!(p.tail.labels.len() >= 5);
    }

    #[test]
    fn removes_known_boilerplate_lines() {
        let cases = [
            ("Source link", "source-link"),
            ("READ ALSO: Floods hit the north", "read-also"),
            ("Also Read: Ten things to know", "also-read"),
            ("Read more: How the vote works", "read-more"),
            ("Comments are closed.", "comments"),
            ("Share this:", "share"),
            ("Share on Facebook", "share"),
            ("Click to share on Twitter (Opens in new window)", "share"),
            ("Facebook Twitter WhatsApp Email", "share"),
            ("Subscribe to our newsletter", "subscribe"),
            ("Sign up for our daily briefing", "sign-up"),
            ("Advertisement", "advertisement"),
            ("ADVERTISEMENT", "advertisement"),
            ("Photo: Reuters", "photo-credit"),
            ("(AP Photo/Evan Vucci)", "photo-credit"),
            ("Image credit: Getty Images", "photo-credit"),
            ("https://cdn.example.com/img/2024/05/flood.jpg", "image-url"),
            ("© 2024 Example Media. All rights reserved.", "copyright"),
            ("Related Articles", "related"),
        ];
        for (line, label) in cases {
            let raw = format!("The river rose overnight.\n\n{line}\n\nResidents left their homes.");
            let (clean, labels) = strip(&raw);
            assert_eq!(
                clean, "The river rose overnight.\n\nResidents left their homes.",
                "line {line:?}"
            );
            assert_eq!(labels, [label], "line {line:?}");
        }
    }

    #[test]
    fn keeps_look_alike_sentences() {
        let sentences = [
            "Read more about the plan on the city's website, officials said.",
            "Share prices fell 5% on Monday after the announcement.",
            "Advertisement revenue rose for the third quarter in a row.",
            "Sign up for the vaccine opens on Friday, the ministry said.",
            "More than 100 people were evacuated from the area.",
            "The statement was released via Reuters on Monday.",
            "Copyright law was changed in 2019, the court said.",
            "Photographs of the scene were shared widely online.",
            "Comments are closed to the public until further notice, the mayor said.",
            "Source: the ministry, which declined to give details.",
            "See the full list of winners below.",
            "Subscribers will pay more from next month.",
            "Follow-up talks are planned for next week.",
            "The source of the leak has not been found.",
            "Related charges were filed against two other men.",
        ];
        for s in sentences {
            let raw = format!("The river rose overnight.\n\n{s}\n\nResidents left their homes.");
            let (clean, labels) = strip(&raw);
            assert!(labels.is_empty(), "dropped {s:?} as {labels:?}");
            assert!(clean.contains(s), "{clean}");
        }
    }

    #[test]
    fn trailing_author_bio_only_at_the_end() {
        let bio = "Jane Doe is a senior reporter at the Daily Example covering climate.";
        let raw = format!("The river rose overnight.\n\nResidents left.\n\n{bio}\n\nSource link");
        let (clean, labels) = strip(&raw);
        assert_eq!(clean, "The river rose overnight.\n\nResidents left.");
        assert_eq!(labels, ["author-bio", "source-link"]);
        // The same sentence inside the article stays.
        let raw = format!("The river rose overnight.\n\n{bio}\n\nResidents left.");
        assert_eq!(strip(&raw).1, Vec::<&str>::new());
        // A last paragraph about a journalist in the news stays.
        let raw = "The prize went to Manila.\n\nMaria Ressa is a journalist and Nobel laureate.";
        assert!(strip(raw).1.is_empty());
        // "About the author" heading and credits.
        let raw = "Body text here.\n\nAbout the author\nJohn Roe writes about trade for Example News.\n\n\
                   Reporting by John Roe; Editing by Jane Doe";
        let (clean, labels) = strip(raw);
        assert_eq!(clean, "Body text here.");
        assert_eq!(labels, ["author-bio", "author-bio", "credits"]);
        // Never the whole text.
        assert!(strip("Reporting by John Roe").1.is_empty());
    }

    #[test]
    fn removed_spans_point_into_raw() {
        let raw = "First line.\r\n\r\nREAD ALSO:\u{a0}Floods\r\n\r\nLast line.";
        let n = normalize(raw);
        let (clean, map, removed) = strip_boilerplate(n);
        assert_eq!(clean, "First line.\n\nLast line.");
        assert_eq!(removed.len(), 1);
        let s = removed[0].span;
        assert_eq!(&raw[s.start..s.end], "READ ALSO:\u{a0}Floods");
        let last = clean.find("Last").unwrap_or(0);
        let o = map.to_original(last);
        assert_eq!(&raw[o..o + 4], "Last");
    }

    #[test]
    fn line_separators_survive_removal() {
        let (clean, _) = strip(
            "Heading\nAdvertisement\nBody line one.\n\nShare this:\nFacebook\nTwitter\n\nEnd.",
        );
        assert_eq!(clean, "Heading\nBody line one.\n\nEnd.");
    }
}
