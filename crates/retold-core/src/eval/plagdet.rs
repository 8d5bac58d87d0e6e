//! The PAN plagiarism-detection measures: character-level macro precision
//! and recall, granularity and PlagDet.
//!
//! From Potthast, Stein, Barrón-Cedeño and Rosso (2010), "An Evaluation
//! Framework for Plagiarism Detection" (COLING), as implemented by the PAN
//! organizers' `perfmeasures.py`:
//!
//! - A case `s` and a detection `r` are each a passage of the suspicious
//!   document plus a passage of the source document, read as a set of
//!   characters. `r` *detects* `s` when they overlap in both documents.
//! - recall = `1/|S| Σ_s |⋃_{r detects s} (s ∩ r)| / |s|`
//! - precision = `1/|R| Σ_r |⋃_{s detected by r} (s ∩ r)| / |r|`
//! - granularity = mean number of detections per *detected* case (1 when
//!   none is detected)
//! - PlagDet = F1(precision, recall) / log2(1 + granularity)
//!
//! As in the reference implementation, recall and precision are both 1 when
//! there are neither cases nor detections, and both 0 when only one side is
//! empty. Cases and detections of different document pairs never overlap,
//! so [`PlagDetCounts`] adds up pairs one at a time and in any order
//! (pairs can be scored in parallel and merged).

use serde::{Deserialize, Serialize};

use crate::text::Span;

/// A plagiarism case or a detection within one (suspicious, source) pair:
/// character spans in both documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CasePassage {
    /// Characters of the suspicious document ("this" in PAN XML).
    pub this: Span,
    /// Characters of the source document.
    pub source: Span,
}

impl CasePassage {
    /// A passage from PAN's offset/length pairs.
    pub fn from_offsets(
        this_offset: usize,
        this_length: usize,
        source_offset: usize,
        source_length: usize,
    ) -> CasePassage {
        CasePassage {
            this: Span {
                start: this_offset,
                end: this_offset + this_length,
            },
            source: Span {
                start: source_offset,
                end: source_offset + source_length,
            },
        }
    }

    /// Characters in both documents.
    pub fn len(&self) -> usize {
        self.this.len() + self.source.len()
    }

    /// True when the passage covers no character.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// PAN's "detects": overlapping in the suspicious and in the source document.
    pub fn overlaps(&self, other: &CasePassage) -> bool {
        overlap(self.this, other.this) > 0 && overlap(self.source, other.source) > 0
    }
}

fn overlap(a: Span, b: Span) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// Characters of `target` covered by the union of `parts`.
fn covered(target: Span, parts: impl Iterator<Item = Span>) -> usize {
    let mut clipped: Vec<(usize, usize)> = parts
        .filter_map(|p| {
            let (s, e) = (p.start.max(target.start), p.end.min(target.end));
            (s < e).then_some((s, e))
        })
        .collect();
    clipped.sort_unstable();
    let (mut total, mut reach) = (0, 0);
    for (s, e) in clipped {
        let s = s.max(reach);
        if e > s {
            total += e - s;
        }
        reach = reach.max(e);
    }
    total
}

/// Share of `x`'s characters (in both documents) that the `others`
/// overlapping it cover; also the number of those others.
fn covered_share(x: &CasePassage, others: &[CasePassage]) -> (f64, usize) {
    let hits: Vec<&CasePassage> = others.iter().filter(|o| x.overlaps(o)).collect();
    if x.is_empty() {
        return (0.0, hits.len());
    }
    let this = covered(x.this, hits.iter().map(|o| o.this));
    let source = covered(x.source, hits.iter().map(|o| o.source));
    ((this + source) as f64 / x.len() as f64, hits.len())
}

/// Sums over document pairs, from which the measures follow.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct PlagDetCounts {
    pub cases: usize,
    pub detections: usize,
    /// Σ over cases of the share of the case detected.
    pub recall_sum: f64,
    /// Σ over detections of the share of the detection that is plagiarism.
    pub precision_sum: f64,
    /// Cases hit by at least one detection.
    pub detected_cases: usize,
    /// Σ over detected cases of the detections hitting them.
    pub detections_on_detected: usize,
}

impl PlagDetCounts {
    /// Adds one document pair's gold cases and detections.
    pub fn add_pair(&mut self, cases: &[CasePassage], detections: &[CasePassage]) {
        self.cases += cases.len();
        self.detections += detections.len();
        for s in cases {
            let (share, hits) = covered_share(s, detections);
            self.recall_sum += share;
            if hits > 0 {
                self.detected_cases += 1;
                self.detections_on_detected += hits;
            }
        }
        for r in detections {
            self.precision_sum += covered_share(r, cases).0;
        }
    }

    /// Adds another set of counts (pairs scored elsewhere).
    pub fn merge(&mut self, o: &PlagDetCounts) {
        self.cases += o.cases;
        self.detections += o.detections;
        self.recall_sum += o.recall_sum;
        self.precision_sum += o.precision_sum;
        self.detected_cases += o.detected_cases;
        self.detections_on_detected += o.detections_on_detected;
    }

    /// The measures.
    pub fn score(&self) -> PlagDetScore {
        let (recall, precision) = match (self.cases, self.detections) {
            (0, 0) => (1.0, 1.0),
            (0, _) | (_, 0) => (0.0, 0.0),
            (c, d) => (self.recall_sum / c as f64, self.precision_sum / d as f64),
        };
        let granularity = if self.detected_cases == 0 {
            1.0
        } else {
            self.detections_on_detected as f64 / self.detected_cases as f64
        };
        let plagdet = if recall + precision <= 0.0 {
            0.0
        } else {
            2.0 * recall * precision / (recall + precision) / (1.0 + granularity).log2()
        };
        PlagDetScore {
            precision,
            recall,
            granularity,
            plagdet,
            cases: self.cases,
            detections: self.detections,
            detected_cases: self.detected_cases,
        }
    }
}

/// Precision, recall, granularity and PlagDet of a set of detections.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlagDetScore {
    pub precision: f64,
    pub recall: f64,
    pub granularity: f64,
    pub plagdet: f64,
    pub cases: usize,
    pub detections: usize,
    pub detected_cases: usize,
}

/// Scores the detections of one document pair against its cases.
///
/// ```
/// use retold_core::eval::plagdet::{plagdet, CasePassage};
/// let case = CasePassage::from_offsets(100, 50, 1000, 50);
/// // Perfect.
/// assert_eq!(plagdet(&[case], &[case]).plagdet, 1.0);
/// // Two halves: full recall and precision, granularity 2.
/// let halves = [
///     CasePassage::from_offsets(100, 25, 1000, 25),
///     CasePassage::from_offsets(125, 25, 1025, 25),
/// ];
/// let s = plagdet(&[case], &halves);
/// assert_eq!((s.recall, s.precision, s.granularity), (1.0, 1.0, 2.0));
/// assert!((s.plagdet - 1.0 / 3f64.log2()).abs() < 1e-12);
/// ```
pub fn plagdet(cases: &[CasePassage], detections: &[CasePassage]) -> PlagDetScore {
    let mut c = PlagDetCounts::default();
    c.add_pair(cases, detections);
    c.score()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(this: (usize, usize), source: (usize, usize)) -> CasePassage {
        CasePassage::from_offsets(this.0, this.1, source.0, source.1)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn perfect_detection_scores_one() {
        let cases = [p((0, 100), (500, 120)), p((300, 50), (0, 40))];
        let s = plagdet(&cases, &cases);
        assert_eq!(
            (s.precision, s.recall, s.granularity, s.plagdet),
            (1.0, 1.0, 1.0, 1.0)
        );
        assert_eq!(s.detected_cases, 2);
    }

    #[test]
    fn half_overlap() {
        // The detection covers the second half of the case and as much
        // again after it, in both documents.
        let case = p((100, 100), (1000, 100));
        let det = p((150, 100), (1050, 100));
        let s = plagdet(&[case], &[det]);
        assert!(close(s.recall, 0.5));
        assert!(close(s.precision, 0.5));
        assert_eq!(s.granularity, 1.0);
        assert!(close(s.plagdet, 0.5));
        // Overlap in one document only detects nothing.
        let elsewhere = p((150, 100), (5000, 100));
        let s = plagdet(&[case], &[elsewhere]);
        assert_eq!((s.recall, s.precision, s.detected_cases), (0.0, 0.0, 0));
    }

    #[test]
    fn split_detections_raise_granularity() {
        let case = p((0, 300), (0, 300));
        let thirds = [
            p((0, 100), (0, 100)),
            p((100, 100), (100, 100)),
            p((200, 100), (200, 100)),
        ];
        let s = plagdet(&[case], &thirds);
        assert_eq!((s.recall, s.precision, s.granularity), (1.0, 1.0, 3.0));
        assert!(close(s.plagdet, 0.5)); // 1 / log2(4)
                                        // Overlapping detections count their shared characters once.
        let overlapping = [p((0, 200), (0, 200)), p((100, 200), (100, 200))];
        let s = plagdet(&[case], &overlapping);
        assert_eq!((s.recall, s.precision, s.granularity), (1.0, 1.0, 2.0));
    }

    #[test]
    fn no_detections_and_false_positives_only() {
        let case = p((0, 100), (0, 100));
        let s = plagdet(&[case], &[]);
        assert_eq!(
            (s.recall, s.precision, s.plagdet, s.granularity),
            (0.0, 0.0, 0.0, 1.0)
        );
        let s = plagdet(&[case], &[p((500, 100), (500, 100))]);
        assert_eq!((s.recall, s.precision, s.plagdet), (0.0, 0.0, 0.0));
        assert_eq!(s.detections, 1);
        // No cases at all: any detection is wrong, none is right.
        assert_eq!(plagdet(&[], &[case]).plagdet, 0.0);
        assert_eq!(plagdet(&[], &[]).plagdet, 1.0);
    }

    #[test]
    fn macro_averages_weigh_each_case_and_detection_once() {
        // A short case found whole and a long case missed: recall 0.5, not
        // the character share.
        let short = p((0, 10), (0, 10));
        let long = p((100, 1000), (100, 1000));
        let s = plagdet(&[short, long], &[short]);
        assert!(close(s.recall, 0.5));
        assert!(close(s.precision, 1.0));
        // One exact detection and one false positive: precision 0.5.
        let s = plagdet(&[short], &[short, p((5000, 10), (5000, 10))]);
        assert!(close(s.precision, 0.5));
        assert!(close(s.recall, 1.0));
    }

    #[test]
    fn counts_merge_like_one_run() {
        let (c1, d1) = ([p((0, 100), (0, 100))], [p((0, 50), (0, 50))]);
        let (c2, d2) = (
            [p((10, 10), (10, 10))],
            [p((0, 40), (0, 40)), p((12, 4), (12, 4))],
        );
        let mut a = PlagDetCounts::default();
        a.add_pair(&c1, &d1);
        let mut b = PlagDetCounts::default();
        b.add_pair(&c2, &d2);
        a.merge(&b);
        let s = a.score();
        assert_eq!((s.cases, s.detections, s.detected_cases), (2, 3, 2));
        assert!(close(s.recall, (0.5 + 1.0) / 2.0));
        assert!(close(s.precision, (1.0 + 0.25 + 1.0) / 3.0));
        assert!(close(s.granularity, 1.5));
    }
}
