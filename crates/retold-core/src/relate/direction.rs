//! Which of two related articles is the source.
//!
//! Evidence is weighed in a fixed order, and the first kind that speaks
//! decides: explicit publication times, attribution text naming the other
//! outlet ("SOURCE: …", "according to …", "first reported by …"),
//! containment (an excerpt is taken from the fuller text), then scraper
//! markers (boilerplate a republisher leaves: "Source link", "READ ALSO").
//! Fidelity of names and numbers is a story-level signal (which spelling
//! most versions agree on) and is weighed by the story stage.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::article::Article;
use crate::text::{Span, TextDoc};

use super::features::PairFeatures;

/// One of the two articles of a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    A,
    B,
}

impl Side {
    /// The other side.
    pub fn other(self) -> Side {
        match self {
            Side::A => Side::B,
            Side::B => Side::A,
        }
    }
}

/// A piece of evidence about which article came first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DirectionEvidence {
    /// Both are dated and one is earlier.
    Published {
        earlier: Side,
        /// Seconds between the two.
        gap_seconds: i64,
    },
    /// `side` names the other's outlet in attribution text.
    Attribution {
        side: Side,
        /// The attribution phrase as written.
        phrase: String,
        /// Byte span of the phrase in that article's original text.
        span: Span,
    },
    /// `side` is largely contained in the other: it was taken from it.
    Containment {
        side: Side,
        /// Coverage of the contained and of the containing text.
        contained: f64,
        containing: f64,
    },
    /// `side` carries scraper boilerplate the other lacks.
    ScraperMarkers { side: Side, labels: Vec<String> },
}

impl DirectionEvidence {
    /// The side this evidence says is the source.
    pub fn source(&self) -> Side {
        match self {
            DirectionEvidence::Published { earlier, .. } => *earlier,
            DirectionEvidence::Attribution { side, .. }
            | DirectionEvidence::Containment { side, .. }
            | DirectionEvidence::ScraperMarkers { side, .. } => side.other(),
        }
    }

    /// How far this kind of evidence is trusted.
    pub fn confidence(&self) -> f64 {
        match self {
            DirectionEvidence::Published { gap_seconds, .. } => {
                if *gap_seconds >= 3600 {
                    0.95
                } else {
                    0.85
                }
            }
            DirectionEvidence::Attribution { .. } => 0.9,
            DirectionEvidence::Containment { .. } => 0.75,
            DirectionEvidence::ScraperMarkers { .. } => 0.6,
        }
    }
}

/// The decided direction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Direction {
    /// The side judged to be the source.
    pub source: Side,
    pub confidence: f64,
}

/// Boilerplate labels that a republisher, not the first publisher, leaves.
const SCRAPER_LABELS: [&str; 5] = ["source-link", "read-also", "also-read", "related", "share"];

/// Collects direction evidence for `a` and `b`, strongest kind first.
pub fn evidence(
    a: (&Article, &TextDoc),
    b: (&Article, &TextDoc),
    features: &PairFeatures,
) -> Vec<DirectionEvidence> {
    let mut out = Vec::new();
    if let (Some(ta), Some(tb)) = (a.0.published, b.0.published) {
        let gap = tb.as_second() - ta.as_second();
        if gap != 0 {
            out.push(DirectionEvidence::Published {
                earlier: if gap > 0 { Side::A } else { Side::B },
                gap_seconds: gap.abs(),
            });
        }
    }
    for (side, this, other) in [(Side::A, a, b), (Side::B, b, a)] {
        if let Some((phrase, span)) = attribution_to(&this.0.text, other.0) {
            out.push(DirectionEvidence::Attribution { side, phrase, span });
        }
    }
    let (ca, cb) = (features.a_coverage, features.b_coverage);
    if (ca - cb).abs() >= 0.3 && ca.max(cb) >= 0.8 {
        let side = if ca > cb { Side::A } else { Side::B };
        out.push(DirectionEvidence::Containment {
            side,
            contained: ca.max(cb),
            containing: ca.min(cb),
        });
    }
    let markers = |d: &TextDoc| -> Vec<String> {
        let mut l: Vec<String> = d
            .removed
            .iter()
            .filter(|r| SCRAPER_LABELS.contains(&r.label))
            .map(|r| r.label.to_string())
            .collect();
        l.sort();
        l.dedup();
        l
    };
    let (ma, mb) = (markers(a.1), markers(b.1));
    if ma.is_empty() != mb.is_empty() {
        let (side, labels) = if ma.is_empty() {
            (Side::B, mb)
        } else {
            (Side::A, ma)
        };
        out.push(DirectionEvidence::ScraperMarkers { side, labels });
    }
    out
}

/// The direction from the first kind of evidence that points one way. When
/// two pieces of the same kind disagree (each names the other), that kind is
/// skipped.
pub fn decide(evidence: &[DirectionEvidence]) -> Option<Direction> {
    let rank = |e: &DirectionEvidence| match e {
        DirectionEvidence::Published { .. } => 0,
        DirectionEvidence::Attribution { .. } => 1,
        DirectionEvidence::Containment { .. } => 2,
        DirectionEvidence::ScraperMarkers { .. } => 3,
    };
    for r in 0..4 {
        let of_rank: Vec<&DirectionEvidence> = evidence.iter().filter(|e| rank(e) == r).collect();
        let Some(first) = of_rank.first() else {
            continue;
        };
        if of_rank.iter().all(|e| e.source() == first.source()) {
            return Some(Direction {
                source: first.source(),
                confidence: first.confidence(),
            });
        }
    }
    None
}

static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:source\s*:|according\s+to|(?:as\s+)?(?:first\s+|originally\s+)?(?:reported|published|appeared)\s+(?:first\s+)?(?:by|in|on|at)|via|courtesy\s+of|told)\s+(?:the\s+)?([\p{Lu}0-9][^\n.,;:()]{0,60})",
    )
    .unwrap_or_else(|_| unreachable!("the attribution pattern is valid"))
});

/// An attribution phrase in `text` that names `other`'s outlet (its source
/// name or its URL's host), with its byte span.
pub fn attribution_to(text: &str, other: &Article) -> Option<(String, Span)> {
    let names = outlet_names(other);
    if names.is_empty() {
        return None;
    }
    for cap in ATTRIBUTION.captures_iter(text) {
        let (Some(whole), Some(named)) = (cap.get(0), cap.get(1)) else {
            continue;
        };
        let named = fold(named.as_str());
        if names
            .iter()
            .any(|n| named.starts_with(n.as_str()) || (n.len() >= 6 && named.contains(n.as_str())))
        {
            return Some((
                whole.as_str().trim().to_string(),
                Span {
                    start: whole.start(),
                    end: whole.end(),
                },
            ));
        }
    }
    None
}

/// Folded names an outlet goes by: its source name with and without "The",
/// and its host without "www." and the public suffix.
fn outlet_names(a: &Article) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(s) = &a.source {
        let f = fold(s);
        let f = f.strip_prefix("the ").map(str::to_string).unwrap_or(f);
        if f.len() >= 3 {
            names.push(f);
        }
    }
    if let Some(host) = a.url.as_deref().and_then(crate::article::host_of) {
        if let Some(label) = host.split('.').next() {
            if label.len() >= 4 {
                names.push(label.to_lowercase());
            }
        }
    }
    names
}

/// Lower case, letters and digits only, single spaces.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{ArticleDraft, Origin};

    fn article(source: &str, url: &str, published: Option<&str>, text: &str) -> Article {
        ArticleDraft {
            source: Some(source.into()),
            url: Some(url.into()),
            published: published.map(str::to_string),
            text: text.into(),
            ..Default::default()
        }
        .finish(Origin::whole("t"))
        .expect("article")
    }

    #[test]
    fn attribution_names_the_other_outlet() {
        let courier = article(
            "Port Caddon Courier",
            "https://portcaddoncourier.example/x",
            None,
            "x",
        );
        let hit = attribution_to(
            "The bridge shut, as first reported by the Port Caddon Courier on Friday.",
            &courier,
        );
        assert_eq!(
            hit.map(|h| h.0).as_deref(),
            Some("as first reported by the Port Caddon Courier on Friday")
        );
        assert!(attribution_to("SOURCE: Port Caddon Courier", &courier).is_some());
        assert!(attribution_to("according to portcaddoncourier.example", &courier).is_some());
        // Attribution to someone else, or no attribution, is no evidence.
        assert!(attribution_to("according to the city engineer", &courier).is_none());
        assert!(attribution_to("The Port Caddon Courier building", &courier).is_none());
    }

    #[test]
    fn dates_come_first_then_attribution() {
        let a = article(
            "A Daily",
            "https://adaily.example/1",
            Some("2026-03-13T10:00:00Z"),
            "x",
        );
        let b = article(
            "B Post",
            "https://bpost.example/1",
            Some("2026-03-13T08:00:00Z"),
            "Copied, according to A Daily.",
        );
        let (da, db) = (
            crate::text::analyze(&a.text, Some("en")),
            crate::text::analyze(&b.text, Some("en")),
        );
        let ev = evidence((&a, &da), (&b, &db), &PairFeatures::default());
        assert!(matches!(
            ev[0],
            DirectionEvidence::Published {
                earlier: Side::B,
                gap_seconds: 7200
            }
        ));
        assert!(matches!(
            ev[1],
            DirectionEvidence::Attribution { side: Side::B, .. }
        ));
        assert_eq!(decide(&ev).map(|d| d.source), Some(Side::B));
        // Without dates the attribution decides.
        assert_eq!(decide(&ev[1..]).map(|d| d.source), Some(Side::A));
        assert_eq!(decide(&[]), None);
    }

    #[test]
    fn evidence_of_one_kind_that_disagrees_is_skipped() {
        let att = |side| DirectionEvidence::Attribution {
            side,
            phrase: String::new(),
            span: Span { start: 0, end: 0 },
        };
        let markers = DirectionEvidence::ScraperMarkers {
            side: Side::A,
            labels: vec!["source-link".into()],
        };
        let d = decide(&[att(Side::A), att(Side::B), markers]);
        assert_eq!(d.map(|d| d.source), Some(Side::B));
    }
}
