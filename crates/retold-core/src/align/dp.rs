//! Monotone dynamic programming over a sentence similarity matrix.
//!
//! The program picks a chain of matches, each later than the one before in
//! both texts, that maximizes the total *gain* `Σ (similarity − τ) · w`:
//! only matches at or above the threshold τ can be chosen, skipping a
//! sentence costs nothing, and a match may join one sentence to two
//! adjacent ones (1:2, 2:1: a sentence split in two, or two merged). All
//! shapes weigh the same: the Dice-based similarity already punishes a
//! sentence matched to half of its counterpart, so a merged match wins over
//! a single one only when the second sentence adds real evidence, and an
//! unrelated neighbour is not swallowed.
//!
//! Sentences already used by an earlier pass can be masked, so the same
//! program finds the blocks that a first pass had to leave because they are
//! out of order (see [`super`]).

use super::similarity::{similarity, DocProfile, SimilarityWeights};

/// How many sentences of each text a match joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// One sentence to one sentence.
    OneToOne,
    /// One sentence of A to two adjacent sentences of B (A's sentence was split).
    OneToTwo,
    /// Two adjacent sentences of A to one of B (B merged them).
    TwoToOne,
}

impl Shape {
    /// Sentences of A and of B the shape joins.
    pub fn sizes(self) -> (usize, usize) {
        match self {
            Shape::OneToOne => (1, 1),
            Shape::OneToTwo => (1, 2),
            Shape::TwoToOne => (2, 1),
        }
    }

    /// Weight of the gain of a match of this shape.
    fn weight(self) -> f32 {
        1.0
    }
}

/// One match found by the program: sentences `a..a+na` and `b..b+nb`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Unit {
    pub a: usize,
    pub b: usize,
    pub shape: Shape,
    pub score: f32,
}

impl Unit {
    pub fn a_end(&self) -> usize {
        self.a + self.shape.sizes().0
    }
    pub fn b_end(&self) -> usize {
        self.b + self.shape.sizes().1
    }
}

/// The 1:1 similarities of all sentence pairs, row-major (`n × m`).
#[derive(Debug, Clone)]
pub(crate) struct Matrix {
    pub n: usize,
    pub m: usize,
    pub cells: Vec<f32>,
}

impl Matrix {
    /// Scores every pair; pairs with nothing in common (no shared stem,
    /// number or trigram-rich word) are cheap.
    pub fn compute(a: &DocProfile, b: &DocProfile, w: &SimilarityWeights) -> Matrix {
        let (n, m) = (a.sentences.len(), b.sentences.len());
        let mut cells = Vec::with_capacity(n * m);
        for pa in &a.sentences {
            for pb in &b.sentences {
                cells.push(similarity(pa, pb, w));
            }
        }
        Matrix { n, m, cells }
    }

    #[inline]
    pub fn get(&self, i: usize, j: usize) -> f32 {
        self.cells.get(i * self.m + j).copied().unwrap_or(0.0)
    }
}

/// What the program may do.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DpParams {
    /// τ: the least similarity of a match.
    pub threshold: f32,
    /// Allow 1:2 and 2:1 matches.
    pub merges: bool,
    /// A merged match is scored only when one of its 1:1 cells reaches this.
    pub merge_floor: f32,
}

const SKIP_A: u8 = 1;
const SKIP_B: u8 = 2;
const ONE: u8 = 3;
const ONE_TWO: u8 = 4;
const TWO_ONE: u8 = 5;

/// The best monotone chain of matches between sentences not yet used.
///
/// `used_a` and `used_b` mask sentences taken by earlier passes (they must
/// have one entry per sentence).
pub(crate) fn monotone_chain(
    matrix: &Matrix,
    a: &DocProfile,
    b: &DocProfile,
    weights: &SimilarityWeights,
    params: DpParams,
    used_a: &[bool],
    used_b: &[bool],
) -> Vec<Unit> {
    let (n, m) = (matrix.n, matrix.m);
    if n == 0 || m == 0 {
        return Vec::new();
    }
    let tau = params.threshold;
    let free_a = |i: usize| !used_a.get(i).copied().unwrap_or(true);
    let free_b = |j: usize| !used_b.get(j).copied().unwrap_or(true);
    // Rows and columns where nothing can match are skipped for free: find
    // them first so the program runs over the rest only.
    let row_live: Vec<bool> = (0..n)
        .map(|i| free_a(i) && (0..m).any(|j| free_b(j) && matrix.get(i, j) >= params.merge_floor))
        .collect();
    let w1 = m + 1;
    let mut score = vec![0f32; (n + 1) * w1];
    let mut back = vec![0u8; (n + 1) * w1];
    for i in 1..=n {
        let live = row_live[i - 1];
        for j in 1..=m {
            let at = i * w1 + j;
            let mut best = score[at - w1];
            let mut how = SKIP_A;
            if score[at - 1] > best {
                best = score[at - 1];
                how = SKIP_B;
            }
            if live && free_b(j - 1) {
                let s = matrix.get(i - 1, j - 1);
                if s >= tau {
                    let c = score[at - w1 - 1] + (s - tau) * Shape::OneToOne.weight();
                    if c > best {
                        best = c;
                        how = ONE;
                    }
                }
                if params.merges {
                    // 1:2 — sentence i-1 of A against j-2 and j-1 of B.
                    if j >= 2
                        && free_b(j - 2)
                        && matrix.get(i - 1, j - 2).max(s) >= params.merge_floor
                    {
                        if let (Some(pa), Some(pb)) =
                            (a.sentences.get(i - 1), b.adjacent.get(j - 2))
                        {
                            let s12 = similarity(pa, pb, weights);
                            if s12 >= tau {
                                let c = score[at - w1 - 2] + (s12 - tau) * Shape::OneToTwo.weight();
                                if c > best {
                                    best = c;
                                    how = ONE_TWO;
                                }
                            }
                        }
                    }
                    // 2:1 — sentences i-2 and i-1 of A against j-1 of B.
                    if i >= 2
                        && free_a(i - 2)
                        && matrix.get(i - 2, j - 1).max(s) >= params.merge_floor
                    {
                        if let (Some(pa), Some(pb)) =
                            (a.adjacent.get(i - 2), b.sentences.get(j - 1))
                        {
                            let s21 = similarity(pa, pb, weights);
                            if s21 >= tau {
                                let c =
                                    score[at - 2 * w1 - 1] + (s21 - tau) * Shape::TwoToOne.weight();
                                if c > best {
                                    best = c;
                                    how = TWO_ONE;
                                }
                            }
                        }
                    }
                }
            }
            score[at] = best;
            back[at] = how;
        }
    }
    // Walk back from the end.
    let mut units = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        match back[i * w1 + j] {
            SKIP_A => i -= 1,
            SKIP_B => j -= 1,
            ONE => {
                units.push(Unit {
                    a: i - 1,
                    b: j - 1,
                    shape: Shape::OneToOne,
                    score: matrix.get(i - 1, j - 1),
                });
                i -= 1;
                j -= 1;
            }
            ONE_TWO => {
                let s = match (a.sentences.get(i - 1), b.adjacent.get(j - 2)) {
                    (Some(pa), Some(pb)) => similarity(pa, pb, weights),
                    _ => 0.0,
                };
                units.push(Unit {
                    a: i - 1,
                    b: j - 2,
                    shape: Shape::OneToTwo,
                    score: s,
                });
                i -= 1;
                j -= 2;
            }
            TWO_ONE => {
                let s = match (a.adjacent.get(i - 2), b.sentences.get(j - 1)) {
                    (Some(pa), Some(pb)) => similarity(pa, pb, weights),
                    _ => 0.0,
                };
                units.push(Unit {
                    a: i - 2,
                    b: j - 1,
                    shape: Shape::TwoToOne,
                    score: s,
                });
                i -= 2;
                j -= 1;
            }
            _ => break,
        }
    }
    units.reverse();
    units
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analyze;

    fn setup(a: &str, b: &str) -> (DocProfile, DocProfile, Matrix, SimilarityWeights) {
        let w = SimilarityWeights::default();
        let pa = DocProfile::new(&analyze(a, Some("en")));
        let pb = DocProfile::new(&analyze(b, Some("en")));
        let mx = Matrix::compute(&pa, &pb, &w);
        (pa, pb, mx, w)
    }

    const PARAMS: DpParams = DpParams {
        threshold: 0.35,
        merges: true,
        merge_floor: 0.15,
    };

    #[test]
    fn identical_texts_align_diagonally() {
        let t = "The river rose overnight. Farmers moved their cattle. The army sent boats. Schools stayed shut.";
        let (pa, pb, mx, w) = setup(t, t);
        let units = monotone_chain(&mx, &pa, &pb, &w, PARAMS, &[false; 4], &[false; 4]);
        let got: Vec<(usize, usize)> = units.iter().map(|u| (u.a, u.b)).collect();
        assert_eq!(got, [(0, 0), (1, 1), (2, 2), (3, 3)]);
        assert!(units
            .iter()
            .all(|u| u.shape == Shape::OneToOne && u.score == 1.0));
    }

    #[test]
    fn skips_inserted_sentences_and_finds_a_split() {
        let a = "The river rose overnight and farmers moved their cattle to the hills. The army sent boats to the village.";
        let b = "Stocks fell sharply in Tokyo. The river rose overnight. Farmers moved their cattle to the hills. The army sent boats to the village.";
        let (pa, pb, mx, w) = setup(a, b);
        let units = monotone_chain(&mx, &pa, &pb, &w, PARAMS, &[false; 2], &[false; 4]);
        assert_eq!(units.len(), 2, "{units:?}");
        assert_eq!(
            (units[0].a, units[0].b, units[0].shape),
            (0, 1, Shape::OneToTwo)
        );
        assert_eq!(
            (units[1].a, units[1].b, units[1].shape),
            (1, 3, Shape::OneToOne)
        );
    }

    #[test]
    fn merged_sentences_give_two_to_one() {
        let a = "The storm flooded the harbour. The mayor ordered an evacuation of the old town.";
        let b =
            "The storm flooded the harbour and the mayor ordered an evacuation of the old town.";
        let (pa, pb, mx, w) = setup(a, b);
        let units = monotone_chain(&mx, &pa, &pb, &w, PARAMS, &[false; 2], &[false; 1]);
        assert_eq!(units.len(), 1);
        assert_eq!(units[0].shape, Shape::TwoToOne);
        assert_eq!((units[0].a_end(), units[0].b_end()), (2, 1));
    }

    #[test]
    fn masks_and_empty_inputs() {
        let t = "The river rose overnight. Farmers moved their cattle.";
        let (pa, pb, mx, w) = setup(t, t);
        let units = monotone_chain(&mx, &pa, &pb, &w, PARAMS, &[true, false], &[false, false]);
        assert_eq!(units.len(), 1);
        assert_eq!((units[0].a, units[0].b), (1, 1));
        let (pa, pb, mx, w) = setup("", t);
        assert!(monotone_chain(&mx, &pa, &pb, &w, PARAMS, &[], &[false; 2]).is_empty());
    }

    #[test]
    fn swapped_blocks_give_one_of_them() {
        let a = "Volcano ash grounded flights in Iceland. Airlines cancelled three hundred routes.";
        let b = "Airlines cancelled three hundred routes. Volcano ash grounded flights in Iceland.";
        let (pa, pb, mx, w) = setup(a, b);
        let units = monotone_chain(&mx, &pa, &pb, &w, PARAMS, &[false; 2], &[false; 2]);
        assert_eq!(units.len(), 1, "a monotone chain cannot take both");
    }
}
