//! Which of two related articles is the source: **one function for
//! `compare` and for `analyze`** ([`decide_with`]).
//!
//! Evidence is weighed by kind, strongest first, and the first kind that
//! points one way decides ([`Basis`], in this order):
//!
//! 1. **published**: explicit publication times;
//! 2. **relative day**: the day words of sentences both tell, "today" in
//!    one where the other says "yesterday": the text whose word counts
//!    forward from its writing day was written first ([`super::days`]);
//! 3. **attribution**: an attribution phrase naming the other's outlet
//!    ("SOURCE: …", "according to …", "first reported by …", from the
//!    other's source and URL), or a credit to an outlet the other *is*
//!    ([`super::outlets`]: credit lines, "X reported", a URL or image host in
//!    the text, an agency named beside a newspaper desk in the dateline, a
//!    closing line naming an agency);
//! 4. **agency**: one is a wire agency's text (a dateline tag of agencies
//!    only, "(AP) —", "(اے پی پی)"; a byline "By …, PA"; an agency as its
//!    source field) and the other is not: the agency's copy is nearer the
//!    source than a text written at a newspaper desk;
//! 5. **update**: both are one outlet's texts, by their metadata (the same
//!    source field or URL host, [`super::outlets::one_outlet`]), and one
//!    is held whole in the other (the shape containment reads): the held
//!    one is the outlet's earlier take. A wire files a short first take,
//!    then the full story keeping its sentences; a web story grows as it
//!    is updated. Between two outlets the shorter text was cut from the
//!    fuller (containment, below); an outlet's own versions grow. The
//!    later take is then a copy that adds, not the source of an excerpt
//!    (`relate_prepared` says `copy`), and is partially derived;
//! 6. **corroboration**: a story-level signal (which spelling of a name and
//!    which figure the story's other reports carry), given by the story
//!    stage ([`crate::story::root`]); a pair alone has no witnesses. Not
//!    read between one outlet's texts: there a differing figure is the
//!    later take's correction, which the story's later reports carry;
//! 7. **containment**: for verbatim reuse only (duplicate, copy, excerpt),
//!    the text contained in the other was cut from it;
//! 8. **scraper markers**: for verbatim reuse only, boilerplate a
//!    republisher leaves ("Source link", "READ ALSO").
//!
//! When two pieces of one kind disagree (each names the other), that kind
//! is skipped. When no kind speaks the direction is unknown, never a
//! guess.
//!
//! **Why containment speaks for verbatim reuse only.** A paraphrase that
//! contains the other text is as often a newspaper that built on a short
//! agency text (adding its own material) as an agency text the newspaper
//! cut down. On 423 derived agency → newspaper pairs (COUNTER, dates
//! hidden) containment decided rewrites and spun copies 36 right, 32 wrong;
//! for cut verbatim copies (excerpts) 10 right, 5 wrong. Weak evidence
//! leaves the direction `unknown`, which is better than wrong.
//!
//! **Why the update reads metadata only.** A newspaper's copy of a wire
//! story keeps the agency's dateline tag and byline, so by its text it
//! looks like the agency's own. Read from the tag, the rule turned
//! COUNTER's newspaper cuts (sources hidden) into the agency's earlier
//! takes: 20 more pairs decided, 13 of them wrong (QUALITY.md, "One
//! outlet's takes").

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::align::Alignment;
use crate::article::Article;
use crate::text::{Span, TextDoc};

use super::features::PairFeatures;
use super::outlets::{one_outlet, Outlets};
use super::Relation;

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

/// A kind of evidence that one version is nearer the source than another,
/// strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The earlier publication time.
    Published,
    /// The earlier day of writing, from day words ("today" against
    /// "yesterday") in sentences both tell.
    RelativeDay,
    /// The other credits an outlet this one is.
    Attribution,
    /// This one carries a wire agency's tag, byline or source name, the other none.
    Agency,
    /// Both are one outlet's texts (a wire agency's takes, one site's
    /// versions), and this one is held whole in the other, which adds to
    /// it: the earlier take ([`DirectionEvidence::Update`]). Read before
    /// corroboration: a later take corrects a figure or a name of the
    /// earlier one, and the story's later reports carry the correction.
    Update,
    /// This one's names and numbers are the ones the story's other members
    /// carry; the other's are garbled or altered.
    Corroboration,
    /// The other is contained in this one (verbatim reuse).
    Containment,
    /// The other carries scraper boilerplate (verbatim reuse only).
    ScraperMarkers,
}

impl Basis {
    /// Every kind, strongest first.
    pub const ALL: [Basis; 8] = [
        Basis::Published,
        Basis::RelativeDay,
        Basis::Attribution,
        Basis::Agency,
        Basis::Update,
        Basis::Corroboration,
        Basis::Containment,
        Basis::ScraperMarkers,
    ];

    /// The name used in JSON and text output.
    pub fn name(self) -> &'static str {
        match self {
            Basis::Published => "published",
            Basis::RelativeDay => "relative_day",
            Basis::Attribution => "attribution",
            Basis::Agency => "agency",
            Basis::Corroboration => "corroboration",
            Basis::Update => "update",
            Basis::Containment => "containment",
            Basis::ScraperMarkers => "scraper_markers",
        }
    }

    /// How far this kind of evidence is trusted.
    fn confidence(self) -> f64 {
        match self {
            Basis::Published => 0.95,
            Basis::RelativeDay => 0.9,
            Basis::Attribution => 0.9,
            Basis::Agency => 0.85,
            Basis::Corroboration => 0.75,
            Basis::Update => 0.7,
            Basis::Containment => 0.75,
            Basis::ScraperMarkers => 0.6,
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
    /// `earlier` was written a day before the other: its day word for
    /// something both tell counts forward from the other's ([`super::days`]).
    RelativeDay {
        earlier: Side,
        /// The earlier side's day word and the later side's, as written.
        earlier_says: String,
        later_says: String,
        /// Aligned sentence pairs that say so (none says the other way).
        pairs: usize,
    },
    /// `side` names the other's outlet in attribution text.
    Attribution {
        side: Side,
        /// The attribution phrase as written.
        phrase: String,
        /// Byte span of the phrase in that article's original text.
        span: Span,
    },
    /// `side` credits an outlet the other is ([`Outlets`]).
    Credit {
        side: Side,
        /// The outlet, folded (agencies by their key: "pa", "app").
        outlet: String,
    },
    /// `wire` is a wire agency's text and the other is not.
    Agency {
        wire: Side,
        /// The agency's key ([`super::outlets::WIRE_AGENCIES`]).
        agency: String,
    },
    /// Both are texts of `outlet` (by their source field or URL host,
    /// [`super::outlets::one_outlet`]), and `earlier` is held whole in the
    /// other, which adds to it: an outlet's later take keeps its earlier
    /// one and adds what came in since (a wire's snap, then the full
    /// story; a web story updated). The rule of
    /// [`DirectionEvidence::Containment`], turned round: another outlet's
    /// shorter text was cut from the fuller one, an outlet's own grew.
    Update {
        earlier: Side,
        /// The outlet both are, as the first one's source field names it
        /// (or the host both pages are on).
        outlet: String,
        /// Coverage of the earlier (held) and of the later text.
        held: f64,
        holding: f64,
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
            DirectionEvidence::Published { earlier, .. }
            | DirectionEvidence::RelativeDay { earlier, .. }
            | DirectionEvidence::Update { earlier, .. } => *earlier,
            DirectionEvidence::Agency { wire, .. } => *wire,
            DirectionEvidence::Attribution { side, .. }
            | DirectionEvidence::Credit { side, .. }
            | DirectionEvidence::Containment { side, .. }
            | DirectionEvidence::ScraperMarkers { side, .. } => side.other(),
        }
    }

    /// The kind of evidence.
    pub fn basis(&self) -> Basis {
        match self {
            DirectionEvidence::Published { .. } => Basis::Published,
            DirectionEvidence::RelativeDay { .. } => Basis::RelativeDay,
            DirectionEvidence::Attribution { .. } | DirectionEvidence::Credit { .. } => {
                Basis::Attribution
            }
            DirectionEvidence::Agency { .. } => Basis::Agency,
            DirectionEvidence::Update { .. } => Basis::Update,
            DirectionEvidence::Containment { .. } => Basis::Containment,
            DirectionEvidence::ScraperMarkers { .. } => Basis::ScraperMarkers,
        }
    }

    /// How far this kind of evidence is trusted.
    pub fn confidence(&self) -> f64 {
        match self {
            DirectionEvidence::Published { gap_seconds, .. } if *gap_seconds < 3600 => 0.85,
            e => e.basis().confidence(),
        }
    }
}

/// The decided direction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Direction {
    /// The side judged to be the source.
    pub source: Side,
    pub confidence: f64,
    /// The kind of evidence that decided it.
    pub basis: Basis,
}

/// How much more of one of an outlet's two texts the other holds (of
/// sentences, at least 0.8 of it held) for the held one to be its earlier
/// take ([`DirectionEvidence::Update`]). Lower than the 0.3 that
/// containment between two outlets needs: one outlet's later take keeps
/// the earlier one nearly whole and adds paragraphs, so each new paragraph
/// lowers the later take's share held while the earlier one's stays near
/// whole. A take that adds a third to a story of ten paragraphs leaves
/// the earlier one 0.85–1 held and itself about 0.65–0.75
/// (`examples/reuse-en-4`'s updates: differences 0.17–0.33; reuse-en-3's
/// short first takes 0.5–0.8). Two versions of one size (a correction, a
/// trim) hold each other alike and stay undecided.
pub const TAKE_MARGIN: f64 = 0.15;

/// Boilerplate labels that a republisher, not the first publisher, leaves.
const SCRAPER_LABELS: [&str; 5] = ["source-link", "read-also", "also-read", "related", "share"];

/// One article of a pair as direction evidence reads it.
#[derive(Debug, Clone, Copy)]
pub struct Party<'a> {
    pub article: &'a Article,
    pub doc: &'a TextDoc,
    pub outlets: &'a Outlets,
}

/// Evidence from the two articles' outlets alone ([`Outlets`]): a credit
/// to an outlet the other is, and a wire agency's text against a text that
/// is none. Read for every pair of a derivation family, related or not.
pub fn outlet_evidence(a: &Outlets, b: &Outlets) -> Vec<DirectionEvidence> {
    let mut out = Vec::new();
    for (side, this, other) in [(Side::A, a, b), (Side::B, b, a)] {
        if let Some(outlet) = this.credited_outlet_of(other) {
            out.push(DirectionEvidence::Credit {
                side,
                outlet: outlet.clone(),
            });
        }
    }
    match (&a.wire, &b.wire) {
        (Some(agency), None) => out.push(DirectionEvidence::Agency {
            wire: Side::A,
            agency: agency.clone(),
        }),
        (None, Some(agency)) => out.push(DirectionEvidence::Agency {
            wire: Side::B,
            agency: agency.clone(),
        }),
        _ => {}
    }
    out
}

/// Collects direction evidence for `a` and `b` related by `relation`,
/// strongest kind first. `alignment` (of `a` against `b`, when the two are
/// in one language) gives the sentences both tell, whose day words speak.
pub fn evidence(
    a: Party<'_>,
    b: Party<'_>,
    relation: Relation,
    features: &PairFeatures,
    alignment: Option<&Alignment>,
) -> Vec<DirectionEvidence> {
    let mut out = Vec::new();
    if let (Some(ta), Some(tb)) = (a.article.published, b.article.published) {
        let gap = tb.as_second() - ta.as_second();
        if gap != 0 {
            out.push(DirectionEvidence::Published {
                earlier: if gap > 0 { Side::A } else { Side::B },
                gap_seconds: gap.abs(),
            });
        }
    }
    if let Some(d) = alignment.and_then(|al| super::days::relative_day(a.doc, b.doc, al)) {
        out.push(DirectionEvidence::RelativeDay {
            earlier: d.earlier,
            earlier_says: d.earlier_says,
            later_says: d.later_says,
            pairs: d.pairs,
        });
    }
    for (side, this, other) in [(Side::A, a, b), (Side::B, b, a)] {
        if let Some((phrase, span)) = attribution_to(&this.article.text, other.article) {
            out.push(DirectionEvidence::Attribution { side, phrase, span });
        }
    }
    out.extend(outlet_evidence(a.outlets, b.outlets));
    let (ca, cb) = (features.a_coverage, features.b_coverage);
    let held = (ca - cb).abs() >= 0.3 && ca.max(cb) >= 0.8;
    let take = (ca - cb).abs() >= TAKE_MARGIN && ca.max(cb) >= 0.8;
    let side = if ca > cb { Side::A } else { Side::B };
    if let Some(outlet) = take.then(|| one_outlet(a.article, b.article)).flatten() {
        // One outlet's two texts: the held one is its earlier take, and
        // containment (which says the other way) is not read.
        out.push(DirectionEvidence::Update {
            earlier: side,
            outlet,
            held: ca.max(cb),
            holding: ca.min(cb),
        });
        return out;
    }
    if !relation.is_verbatim() {
        return out;
    }
    if held {
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
    let (ma, mb) = (markers(a.doc), markers(b.doc));
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

/// The direction from the first kind of evidence that points one way
/// ([`decide_with`] without corroboration: a pair alone has no witnesses).
pub fn decide(evidence: &[DirectionEvidence]) -> Option<Direction> {
    decide_with(evidence, &|| None)
}

/// The direction from the first kind of evidence ([`Basis`] order) that
/// points one way; `corroboration` is asked, at its rank, which side the
/// story's other members side with. When two pieces of the same kind
/// disagree (each names the other), that kind is skipped. `compare` and
/// the story stage both decide here.
pub fn decide_with(
    evidence: &[DirectionEvidence],
    corroboration: &dyn Fn() -> Option<Side>,
) -> Option<Direction> {
    for basis in Basis::ALL {
        if basis == Basis::Corroboration {
            if let Some(source) = corroboration() {
                return Some(Direction {
                    source,
                    confidence: basis.confidence(),
                    basis,
                });
            }
            continue;
        }
        let of_kind: Vec<&DirectionEvidence> =
            evidence.iter().filter(|e| e.basis() == basis).collect();
        let Some(first) = of_kind.first() else {
            continue;
        };
        if of_kind.iter().all(|e| e.source() == first.source()) {
            return Some(Direction {
                source: first.source(),
                confidence: of_kind.iter().map(|e| e.confidence()).fold(0.0, f64::max),
                basis,
            });
        }
    }
    None
}

static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:source\s*:|according\s+to|(?:as\s+)?(?:first\s+|originally\s+)?(?:reported|published|appeared)\s+(?:first\s+)?(?:by|in|on|at)|via|courtesy\s+of|told)\s+(?:the\s+)?([\p{Lu}0-9][^\n.,;:()]{0,60})",
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
    use crate::relate::outlets::{outlets, Outlets};

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

    /// The direction evidence of pair (`a`, `b`) for `relation` and the
    /// pair's features `f`, each text analyzed and its outlets read.
    fn evidence_of(
        a: &Article,
        b: &Article,
        relation: Relation,
        f: &PairFeatures,
    ) -> Vec<DirectionEvidence> {
        let (da, db) = (
            crate::text::analyze(&a.text, Some("en")),
            crate::text::analyze(&b.text, Some("en")),
        );
        let (oa, ob) = (outlets(a), outlets(b));
        let party = |article, doc, outlets| Party {
            article,
            doc,
            outlets,
        };
        evidence(party(a, &da, &oa), party(b, &db, &ob), relation, f, None)
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
        let ev = evidence_of(&a, &b, Relation::Copy, &PairFeatures::default());
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
    fn containment_and_markers_speak_for_verbatim_reuse_only() {
        // A newspaper that built on a short agency text contains it as
        // surely as an excerpt is contained in its source: for a paraphrase
        // containment is no evidence, for a verbatim cut it is.
        let a = article("A Daily", "https://adaily.example/1", None, "x");
        let b = article("B Post", "https://bpost.example/1", None, "y");
        let f = PairFeatures {
            a_coverage: 0.95,
            b_coverage: 0.4,
            ..Default::default()
        };
        let ev = |relation| evidence_of(&a, &b, relation, &f);
        for r in [Relation::Rewrite, Relation::Spun] {
            assert!(ev(r).is_empty(), "{r}");
        }
        for r in [Relation::Excerpt, Relation::Copy] {
            let d = decide(&ev(r));
            assert_eq!(
                d.map(|d| (d.source, d.basis)),
                Some((Side::B, Basis::Containment)),
                "{r}"
            );
        }
    }

    #[test]
    fn the_wire_text_comes_before_containment_and_after_attribution() {
        let wire = Outlets {
            is: vec!["ap".into()],
            wire: Some("ap".into()),
            credits: Vec::new(),
        };
        let paper = Outlets::default();
        let contained = DirectionEvidence::Containment {
            side: Side::A,
            contained: 0.95,
            containing: 0.5,
        };
        // A (the wire text) is contained in B (a newspaper that added to it).
        let mut ev = outlet_evidence(&wire, &paper);
        ev.push(contained);
        let d = decide(&ev).expect("decided");
        assert_eq!((d.source, d.basis), (Side::A, Basis::Agency));
        // A credit outranks the agency tag: B credits an outlet A is.
        let crediting = Outlets {
            credits: vec!["express".into()],
            ..Outlets::default()
        };
        let express = Outlets {
            is: vec!["express".into()],
            ..Outlets::default()
        };
        let ev = outlet_evidence(&express, &crediting);
        assert_eq!(decide(&ev).map(|d| d.source), Some(Side::A));
        // Corroboration comes between the agency and containment.
        let only_contained = [DirectionEvidence::Containment {
            side: Side::B,
            contained: 0.95,
            containing: 0.5,
        }];
        let d = decide_with(&only_contained, &|| Some(Side::B)).expect("decided");
        assert_eq!((d.source, d.basis), (Side::B, Basis::Corroboration));
        assert_eq!(
            decide(&only_contained).map(|d| d.basis),
            Some(Basis::Containment)
        );
    }

    #[test]
    fn one_outlets_shorter_text_is_its_earlier_take() {
        // B is held whole in A, which adds to it.
        let f = PairFeatures {
            a_coverage: 0.45,
            b_coverage: 0.95,
            ..Default::default()
        };
        let pa = |url| article("Press Association Wire (PAW)", url, None, "x");
        let (full, snap) = (pa("https://pa.example/2"), pa("https://pa.example/1"));
        for r in [Relation::Excerpt, Relation::Copy, Relation::Rewrite] {
            let ev = evidence_of(&full, &snap, r, &f);
            assert!(
                matches!(&ev[..], [DirectionEvidence::Update { earlier: Side::B, outlet, .. }] if outlet == "Press Association Wire (PAW)"),
                "{r}: {ev:?}"
            );
            let d = decide(&ev).expect("decided");
            assert_eq!((d.source, d.basis), (Side::B, Basis::Update), "{r}");
        }
        // A later take that keeps most of the earlier one and adds a few
        // paragraphs holds it nearly whole (0.88) and is held less (0.7):
        // one outlet's earlier take at [`TAKE_MARGIN`], though two
        // outlets' texts would need 0.3 to say containment.
        let grown = PairFeatures {
            a_coverage: 0.7,
            b_coverage: 0.88,
            ..Default::default()
        };
        let d = decide(&evidence_of(&full, &snap, Relation::Copy, &grown)).expect("decided");
        assert_eq!((d.source, d.basis), (Side::B, Basis::Update));
        // Two versions of one size (a trim, a correction) say nothing.
        let trimmed = PairFeatures {
            a_coverage: 0.82,
            b_coverage: 0.91,
            ..Default::default()
        };
        assert!(evidence_of(&full, &snap, Relation::Copy, &trimmed).is_empty());
        // Two outlets: the shorter text was cut from the fuller one
        // (verbatim reuse), or nothing says (a paraphrase).
        let daily = article("A Daily", "https://adaily.example/1", None, "x");
        let paper = article("The Daily Clarion", "https://clarion.example/1", None, "x");
        assert!(evidence_of(&daily, &paper, Relation::Copy, &grown).is_empty());
        let d = decide(&evidence_of(&daily, &paper, Relation::Excerpt, &f)).expect("decided");
        assert_eq!((d.source, d.basis), (Side::A, Basis::Containment));
        assert!(evidence_of(&daily, &paper, Relation::Rewrite, &f).is_empty());
        // One site's two pages, by their host alone.
        let page = |url| {
            ArticleDraft {
                url: Some(String::from(url)),
                text: "x".into(),
                ..Default::default()
            }
            .finish(Origin::whole("t"))
            .expect("article")
        };
        let ev = evidence_of(
            &page("https://www.gazette.example/a"),
            &page("https://gazette.example/b"),
            Relation::Excerpt,
            &f,
        );
        assert_eq!(decide(&ev).map(|d| d.basis), Some(Basis::Update));
        // What a text says of itself is no metadata: a newspaper's copy
        // keeps the agency's dateline tag.
        let tagged = |text: &str| {
            ArticleDraft {
                text: text.into(),
                ..Default::default()
            }
            .finish(Origin::whole("t"))
            .expect("article")
        };
        let ev = evidence_of(
            &tagged(
                "HARLOW BEND, Ohio (CNS) - The council voted on Monday to sell the water works.",
            ),
            &tagged("HARLOW BEND, Ohio (CNS) - The council voted to sell the water works."),
            Relation::Excerpt,
            &f,
        );
        assert_eq!(decide(&ev).map(|d| d.basis), Some(Basis::Containment));
        // Not held whole: no take is said to be earlier.
        let partly = PairFeatures {
            a_coverage: 0.45,
            b_coverage: 0.7,
            ..Default::default()
        };
        assert!(evidence_of(&full, &snap, Relation::Rewrite, &partly).is_empty());
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
