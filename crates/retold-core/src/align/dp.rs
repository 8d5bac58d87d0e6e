//! Monotone dynamic programming over a sentence similarity matrix.
//!
//! The program picks a chain of matches, each later than the one before in
//! both texts, that maximizes the total *gain* `Σ (similarity − τ)`: only
//! matches at or above the threshold τ can be chosen, skipping a sentence
//! costs nothing, and a match may join one sentence to a run of up to
//! `max_merge` adjacent ones (1:n, n:1: a sentence split into several, or
//! several merged into one; also a paragraph written as one line on one
//! side and as several lines on the other). All shapes weigh the same: the
//! Dice-based similarity already punishes a sentence matched to a part of
//! its counterpart, so a merged match wins over a single one only when the
//! other sentences add real evidence, and an unrelated neighbour is not
//! swallowed.
//!
//! Sentences already used by an earlier pass can be masked, so the same
//! program finds the blocks that a first pass had to leave because they are
//! out of order (see [`super`]).

use rustc_hash::{FxHashMap, FxHashSet};

use serde::{Deserialize, Serialize};

use super::similarity::{similarity, DocProfile, SimilarityWeights};

/// How many sentences of each text a match joins: `1:1`, `1:n` (A's
/// sentence was split, or B wrote it as several lines) or `n:1` (B merged
/// several sentences of A).
///
/// ```
/// use retold_core::align::Shape;
/// assert_eq!(Shape::ONE.to_string(), "1:1");
/// assert!(!Shape { a: 2, b: 1 }.is_one_to_one());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Shape {
    /// Sentences of A.
    pub a: u8,
    /// Sentences of B.
    pub b: u8,
}

impl Shape {
    /// One sentence to one sentence.
    pub const ONE: Shape = Shape { a: 1, b: 1 };

    pub fn is_one_to_one(self) -> bool {
        self == Shape::ONE
    }
}

impl std::fmt::Display for Shape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.a, self.b)
    }
}

/// One match found by the program: sentences `a .. a + shape.a` and
/// `b .. b + shape.b`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Unit {
    pub a: usize,
    pub b: usize,
    pub shape: Shape,
    pub score: f32,
}

impl Unit {
    pub fn a_end(&self) -> usize {
        self.a + usize::from(self.shape.a)
    }
    pub fn b_end(&self) -> usize {
        self.b + usize::from(self.shape.b)
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
    /// Scores every pair.
    pub fn compute(a: &DocProfile, b: &DocProfile, w: &SimilarityWeights) -> Matrix {
        let (n, m) = (a.sentences.len(), b.sentences.len());
        let with_vectors = a
            .sentences
            .iter()
            .chain(&b.sentences)
            .any(|s| s.vector.is_some());
        if with_vectors || n * m < 64 {
            let mut cells = Vec::with_capacity(n * m);
            for pa in &a.sentences {
                for pb in &b.sentences {
                    cells.push(similarity(pa, pb, w));
                }
            }
            return Matrix { n, m, cells };
        }
        // Most sentence pairs share no content stem and no number: their
        // similarity is near zero and never reaches τ, so only pairs found
        // through an inverted index of B's stems and numbers are scored
        // (about a tenth of the cells between two news articles).
        // (term, sentence of B), sorted: a term's sentences are one run.
        let mut postings: Vec<(u32, u32)> = b
            .sentences
            .iter()
            .enumerate()
            .flat_map(|(j, pb)| {
                pb.stems
                    .iter()
                    .chain(pb.numbers.iter())
                    .map(move |&h| (h, j as u32))
            })
            .collect();
        postings.sort_unstable();
        let sentences_of = |h: u32| {
            let start = postings.partition_point(|&(t, _)| t < h);
            postings[start..].iter().take_while(move |&&(t, _)| t == h)
        };
        // A sentence with an exact copy on the other side matches it (1.0);
        // its similarity to another sentence that has an exact copy too
        // would only matter to a chain that gives up both copies, so it is
        // not scored (most of the cost between two long near-copies).
        let exact_in = |p: &DocProfile| -> FxHashSet<u64> {
            p.sentences
                .iter()
                .map(|s| s.exact)
                .filter(|&h| h != 0)
                .collect()
        };
        let (in_a, in_b) = (exact_in(a), exact_in(b));
        let col_copied: Vec<bool> = b
            .sentences
            .iter()
            .map(|s| in_a.contains(&s.exact))
            .collect();
        let mut cells = vec![0.0f32; n * m];
        let mut shared = vec![0u8; m];
        let mut cols: Vec<u32> = Vec::new();
        for (i, pa) in a.sentences.iter().enumerate() {
            cols.clear();
            for h in pa.stems.iter().chain(pa.numbers.iter()) {
                for &(_, j) in sentences_of(*h) {
                    let c = &mut shared[j as usize];
                    if *c == 0 {
                        cols.push(j);
                    }
                    *c = c.saturating_add(1);
                }
            }
            // In long texts of repeated vocabulary (lists, tables) a
            // sentence shares terms with hundreds of others: only those
            // sharing the largest part of their terms are scored.
            if cols.len() > MAX_ROW_CANDIDATES {
                let size_a = pa.stems.len() + pa.numbers.len();
                let overlap = |j: u32| {
                    let pb = &b.sentences[j as usize];
                    f32::from(shared[j as usize])
                        / (size_a + pb.stems.len() + pb.numbers.len()) as f32
                };
                cols.select_nth_unstable_by(MAX_ROW_CANDIDATES, |&x, &y| {
                    overlap(y).total_cmp(&overlap(x)).then(x.cmp(&y))
                });
                for &j in &cols[MAX_ROW_CANDIDATES..] {
                    shared[j as usize] = 0;
                }
                cols.truncate(MAX_ROW_CANDIDATES);
            }
            let row = &mut cells[i * m..(i + 1) * m];
            let row_copied = in_b.contains(&pa.exact);
            for &j in &cols {
                let j = j as usize;
                let pb = &b.sentences[j];
                let count = std::mem::take(&mut shared[j]);
                if row_copied && col_copied[j] && pa.exact != pb.exact {
                    continue;
                }
                // One shared term between two sentences of several content
                // words scores far below τ (a common word, or a name in two
                // unrelated sentences): not worth the trigram merge.
                if usize::from(count) < MIN_SHARED_TERMS
                    && pa.stems.len().min(pb.stems.len()) > SHORT_SENTENCE_STEMS
                    && pa.exact != pb.exact
                {
                    continue;
                }
                row[j] = similarity(pa, pb, w);
            }
            // Identical sentences without content stems (rare) still match.
            if pa.exact != 0 && pa.stems.is_empty() && pa.numbers.is_empty() {
                for (j, pb) in b.sentences.iter().enumerate() {
                    if pb.exact == pa.exact {
                        row[j] = 1.0;
                    }
                }
            }
        }
        Matrix { n, m, cells }
    }

    #[inline]
    pub fn get(&self, i: usize, j: usize) -> f32 {
        self.cells.get(i * self.m + j).copied().unwrap_or(0.0)
    }
}

/// Sentences with at most this many content stems are scored on one
/// shared term.
const SHORT_SENTENCE_STEMS: usize = 3;

/// Most sentences of B one sentence of A is scored against (those sharing
/// the largest part of their terms with it); see [`Matrix::compute`].
const MAX_ROW_CANDIDATES: usize = 48;

/// Shared stems or numbers needed before a pair of longer sentences is
/// scored (PAN PlagDet 0.9260 at 1, 0.9261 at 2, 0.9254 at 3).
const MIN_SHARED_TERMS: usize = 2;

/// What the program may do.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DpParams {
    /// τ: the least similarity of a match.
    pub threshold: f32,
    /// Most sentences on the long side of a merged match (1 = no merges).
    pub max_merge: usize,
    /// Most sentences on each side of an n:m match with n, m ≥ 2 (below 2:
    /// none).
    pub max_block: usize,
    /// A merged match is scored only when one of its 1:1 cells reaches this.
    pub merge_floor: f32,
}

/// Similarities of merged runs, kept across the passes of one alignment
/// (each pass would otherwise merge and score the same runs again).
#[derive(Debug)]
pub(crate) struct MergeMemo {
    weights: SimilarityWeights,
    scores: FxHashMap<(u32, u8, u32, u8), f32>,
    /// [`hot_cells`] for a merge floor and window, kept across passes.
    hot: Option<(f32, usize, Vec<bool>)>,
}

impl MergeMemo {
    pub fn new(weights: SimilarityWeights) -> MergeMemo {
        MergeMemo {
            weights,
            scores: FxHashMap::default(),
            hot: None,
        }
    }

    /// [`hot_cells`] of `matrix`, computed once per floor and window (the
    /// memo belongs to one matrix).
    fn take_hot(&mut self, matrix: &Matrix, floor: f32, k: usize) -> Vec<bool> {
        match self.hot.take() {
            Some((f, kk, hot)) if f == floor && kk == k && hot.len() == matrix.n * matrix.m => hot,
            _ => hot_cells(matrix, floor, k),
        }
    }

    /// Similarity of A's sentences `start .. start + len` read as one
    /// against B's; `None` when a run is out of range.
    fn get(
        &mut self,
        a: &DocProfile,
        b: &DocProfile,
        (ia, ka): (usize, usize),
        (jb, kb): (usize, usize),
    ) -> Option<f32> {
        let key = (ia as u32, ka as u8, jb as u32, kb as u8);
        if let Some(&s) = self.scores.get(&key) {
            return Some(s);
        }
        let s = similarity(a.run(ia, ka)?, b.run(jb, kb)?, &self.weights);
        self.scores.insert(key, s);
        Some(s)
    }
}

const SKIP_A: u8 = 1;
const SKIP_B: u8 = 2;
const ONE: u8 = 3;
/// `ONE_TO + k`: 1:k.
const ONE_TO: u8 = 10;
/// `TO_ONE + k`: k:1.
const TO_ONE: u8 = 20;
/// `BLOCK + 10 ka + kb`: ka:kb with both at least 2.
const BLOCK: u8 = 100;

/// For each cell `(i, j)`, whether some cell in rows `i + 1 - k ..= i` and
/// columns `j + 1 - k ..= j` reaches `floor`: every match ending at the
/// cell (1:1 or merged, at most `k` sentences a side) lies in that window,
/// and none is tried unless one of its cells reaches the floor.
fn hot_cells(matrix: &Matrix, floor: f32, k: usize) -> Vec<bool> {
    let (n, m) = (matrix.n, matrix.m);
    // Along rows: a cell at or above the floor within the last k columns.
    let mut across = vec![false; n * m];
    for i in 0..n {
        let mut last: Option<usize> = None;
        for j in 0..m {
            if matrix.cells[i * m + j] >= floor {
                last = Some(j);
            }
            across[i * m + j] = last.is_some_and(|l| j - l < k);
        }
    }
    // Then down columns, over the last k rows (row by row, for the cache).
    let mut hot = vec![false; n * m];
    let mut last = vec![usize::MAX; m];
    for i in 0..n {
        for j in 0..m {
            if across[i * m + j] {
                last[j] = i;
            }
            hot[i * m + j] = last[j] != usize::MAX && i - last[j] < k;
        }
    }
    hot
}

/// The best monotone chain of matches between sentences not yet used.
///
/// `used_a` and `used_b` mask sentences taken by earlier passes (they must
/// have one entry per sentence).
pub(crate) fn monotone_chain(
    matrix: &Matrix,
    a: &DocProfile,
    b: &DocProfile,
    params: DpParams,
    used_a: &[bool],
    used_b: &[bool],
    memo: &mut MergeMemo,
) -> Vec<Unit> {
    let (n, m) = (matrix.n, matrix.m);
    if n == 0 || m == 0 {
        return Vec::new();
    }
    let tau = params.threshold;
    let floor = params.merge_floor;
    let kmax = params
        .max_merge
        .min(a.max_merge())
        .min(b.max_merge())
        .clamp(1, 9);
    let bmax = params.max_block.min(kmax);
    let free_a = |i: usize| !used_a.get(i).copied().unwrap_or(true);
    let free_b = |j: usize| !used_b.get(j).copied().unwrap_or(true);
    // Rows where nothing can match are skipped for free: find them first.
    let row_live: Vec<bool> = (0..n)
        .map(|i| free_a(i) && (0..m).any(|j| free_b(j) && matrix.get(i, j) >= floor))
        .collect();
    let hot = memo.take_hot(matrix, floor, kmax);
    let w1 = m + 1;
    let mut score = vec![0f32; (n + 1) * w1];
    let mut back = vec![0u8; (n + 1) * w1];
    for i in 1..=n {
        let live = row_live[i - 1];
        // A row where no match can end (a used sentence of A, or no cell
        // near the floor) copies the row above: scores never fall along a
        // row, so skipping its sentence of A is best.
        if !free_a(i - 1) || !hot[(i - 1) * m..i * m].contains(&true) {
            score.copy_within((i - 1) * w1..i * w1, i * w1);
            back[i * w1 + 1..(i + 1) * w1].fill(SKIP_A);
            continue;
        }
        for j in 1..=m {
            let at = i * w1 + j;
            let mut best = score[at - w1];
            let mut how = SKIP_A;
            if score[at - 1] > best {
                best = score[at - 1];
                how = SKIP_B;
            }
            // No match of any shape can end here: skip it at once.
            if !hot[(i - 1) * m + (j - 1)] {
                score[at] = best;
                back[at] = how;
                continue;
            }
            if live && free_b(j - 1) {
                let s = matrix.get(i - 1, j - 1);
                if s >= tau {
                    let c = score[at - w1 - 1] + (s - tau);
                    if c > best {
                        best = c;
                        how = ONE;
                    }
                }
                // 1:k — sentence i-1 of A against j-k .. j of B.
                let mut peak = s;
                for k in 2..=kmax.min(j) {
                    if !free_b(j - k) {
                        break;
                    }
                    peak = peak.max(matrix.get(i - 1, j - k));
                    // A merged match scores at most 1: skip runs that could
                    // not beat the best way found so far even so.
                    if peak < floor || score[at - w1 - k] + (1.0 - tau) <= best {
                        continue;
                    }
                    if let Some(sk) = memo.get(a, b, (i - 1, 1), (j - k, k)) {
                        let c = score[at - w1 - k] + (sk - tau);
                        if sk >= tau && c > best {
                            best = c;
                            how = ONE_TO + k as u8;
                        }
                    }
                }
            }
            if free_a(i - 1) && free_b(j - 1) {
                // k:1 — sentences i-k .. i of A against j-1 of B.
                let mut peak = matrix.get(i - 1, j - 1);
                for k in 2..=kmax.min(i) {
                    if !free_a(i - k) {
                        break;
                    }
                    peak = peak.max(matrix.get(i - k, j - 1));
                    if peak < floor || score[at - k * w1 - 1] + (1.0 - tau) <= best {
                        continue;
                    }
                    if let Some(sk) = memo.get(a, b, (i - k, k), (j - 1, 1)) {
                        let c = score[at - k * w1 - 1] + (sk - tau);
                        if sk >= tau && c > best {
                            best = c;
                            how = TO_ONE + k as u8;
                        }
                    }
                }
                // ka:kb, both at least 2 — a stretch rewritten with other
                // sentence boundaries.
                for ka in 2..=bmax.min(i) {
                    if !free_a(i - ka) {
                        break;
                    }
                    for kb in 2..=bmax.min(j) {
                        if !free_b(j - kb) {
                            break;
                        }
                        if score[at - ka * w1 - kb] + (1.0 - tau) <= best {
                            continue;
                        }
                        let peak = (i - ka..i)
                            .flat_map(|x| (j - kb..j).map(move |y| (x, y)))
                            .map(|(x, y)| matrix.get(x, y))
                            .fold(0.0f32, f32::max);
                        if peak < floor {
                            continue;
                        }
                        if let Some(sk) = memo.get(a, b, (i - ka, ka), (j - kb, kb)) {
                            let c = score[at - ka * w1 - kb] + (sk - tau);
                            if sk >= tau && c > best {
                                best = c;
                                how = BLOCK + (ka * 10 + kb) as u8;
                            }
                        }
                    }
                }
            }
            score[at] = best;
            back[at] = how;
        }
    }
    memo.hot = Some((floor, kmax, hot));
    // Walk back from the end.
    let mut units = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        let how = back[i * w1 + j];
        let (ka, kb) = match how {
            SKIP_A => {
                i -= 1;
                continue;
            }
            SKIP_B => {
                j -= 1;
                continue;
            }
            ONE => (1, 1),
            x if x > BLOCK => (usize::from((x - BLOCK) / 10), usize::from((x - BLOCK) % 10)),
            x if x > TO_ONE => (usize::from(x - TO_ONE), 1),
            x if x > ONE_TO => (1, usize::from(x - ONE_TO)),
            _ => break,
        };
        let (Some(ia), Some(jb)) = (i.checked_sub(ka), j.checked_sub(kb)) else {
            break;
        };
        let s = if (ka, kb) == (1, 1) {
            matrix.get(ia, jb)
        } else {
            memo.get(a, b, (ia, ka), (jb, kb)).unwrap_or(0.0)
        };
        units.push(Unit {
            a: ia,
            b: jb,
            shape: Shape {
                a: ka as u8,
                b: kb as u8,
            },
            score: s,
        });
        i = ia;
        j = jb;
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
        max_merge: 4,
        max_block: 3,
        merge_floor: 0.15,
    };

    #[test]
    fn identical_texts_align_diagonally() {
        let t = "The river rose overnight. Farmers moved their cattle. The army sent boats. Schools stayed shut.";
        let (pa, pb, mx, w) = setup(t, t);
        let units = monotone_chain(
            &mx,
            &pa,
            &pb,
            PARAMS,
            &[false; 4],
            &[false; 4],
            &mut MergeMemo::new(w),
        );
        let got: Vec<(usize, usize)> = units.iter().map(|u| (u.a, u.b)).collect();
        assert_eq!(got, [(0, 0), (1, 1), (2, 2), (3, 3)]);
        assert!(units
            .iter()
            .all(|u| u.shape.is_one_to_one() && u.score == 1.0));
    }

    #[test]
    fn skips_inserted_sentences_and_finds_a_split() {
        let a = "The river rose overnight and farmers moved their cattle to the hills. The army sent boats to the village.";
        let b = "Stocks fell sharply in Tokyo. The river rose overnight. Farmers moved their cattle to the hills. The army sent boats to the village.";
        let (pa, pb, mx, w) = setup(a, b);
        let units = monotone_chain(
            &mx,
            &pa,
            &pb,
            PARAMS,
            &[false; 2],
            &[false; 4],
            &mut MergeMemo::new(w),
        );
        assert_eq!(units.len(), 2, "{units:?}");
        assert_eq!(
            (units[0].a, units[0].b, units[0].shape),
            (0, 1, Shape { a: 1, b: 2 })
        );
        assert_eq!((units[1].a, units[1].b, units[1].shape), (1, 3, Shape::ONE));
    }

    #[test]
    fn merged_sentences_give_two_to_one() {
        let a = "The storm flooded the harbour. The mayor ordered an evacuation of the old town.";
        let b =
            "The storm flooded the harbour and the mayor ordered an evacuation of the old town.";
        let (pa, pb, mx, w) = setup(a, b);
        let units = monotone_chain(
            &mx,
            &pa,
            &pb,
            PARAMS,
            &[false; 2],
            &[false; 1],
            &mut MergeMemo::new(w),
        );
        assert_eq!(units.len(), 1);
        assert_eq!(units[0].shape, Shape { a: 2, b: 1 });
        assert_eq!((units[0].a_end(), units[0].b_end()), (2, 1));
    }

    #[test]
    fn a_paragraph_written_as_lines_gives_one_to_many() {
        let a = "Raffles has 103 suites, a palm court and a grand lobby, nine restaurants and four bars, an outdoor pool, a gym and a spa.";
        let b = "Raffles has 103 suites, a palm court and a grand lobby\nNine restaurants and four bars\nAn outdoor pool, a gym and a spa.";
        let (pa, pb, mx, w) = setup(a, b);
        assert_eq!(pb.sentences.len(), 3);
        let units = monotone_chain(
            &mx,
            &pa,
            &pb,
            PARAMS,
            &[false; 1],
            &[false; 3],
            &mut MergeMemo::new(w),
        );
        assert_eq!(units.len(), 1, "{units:?}");
        assert_eq!(units[0].shape, Shape { a: 1, b: 3 });
        assert!(units[0].score > 0.9);
        // Without merges only one line is taken.
        let one = DpParams {
            max_merge: 1,
            ..PARAMS
        };
        let units = monotone_chain(
            &mx,
            &pa,
            &pb,
            one,
            &[false; 1],
            &[false; 3],
            &mut MergeMemo::new(w),
        );
        assert_eq!(units[0].shape, Shape::ONE);
    }

    #[test]
    fn a_stretch_with_other_sentence_boundaries_gives_a_block() {
        // The same words cut into two sentences at other places: each
        // sentence shares only part of its words with any one counterpart.
        let a = "Rescue teams reached the flooded village at dawn. They found the old bridge gone and the only road cut.";
        let b = "Rescue teams reached the flooded village at dawn and found the old bridge gone. The only road was cut.";
        let (pa, pb, mx, w) = setup(a, b);
        let strict = DpParams {
            threshold: 0.8,
            ..PARAMS
        };
        assert!(mx.cells.iter().all(|&c| c < 0.8), "{:?}", mx.cells);
        let units = monotone_chain(
            &mx,
            &pa,
            &pb,
            strict,
            &[false; 2],
            &[false; 2],
            &mut MergeMemo::new(w),
        );
        assert_eq!(units.len(), 1, "{units:?}");
        assert_eq!(units[0].shape, Shape { a: 2, b: 2 });
        let none = DpParams {
            max_block: 0,
            ..strict
        };
        let units = monotone_chain(
            &mx,
            &pa,
            &pb,
            none,
            &[false; 2],
            &[false; 2],
            &mut MergeMemo::new(w),
        );
        assert!(units.iter().all(|u| u.shape.a == 1 || u.shape.b == 1));
    }

    #[test]
    fn masks_and_empty_inputs() {
        let t = "The river rose overnight. Farmers moved their cattle.";
        let (pa, pb, mx, w) = setup(t, t);
        let units = monotone_chain(
            &mx,
            &pa,
            &pb,
            PARAMS,
            &[true, false],
            &[false, false],
            &mut MergeMemo::new(w),
        );
        assert_eq!(units.len(), 1);
        assert_eq!((units[0].a, units[0].b), (1, 1));
        let (pa, pb, mx, w) = setup("", t);
        assert!(monotone_chain(
            &mx,
            &pa,
            &pb,
            PARAMS,
            &[],
            &[false; 2],
            &mut MergeMemo::new(w)
        )
        .is_empty());
    }

    #[test]
    fn swapped_blocks_give_one_of_them() {
        let a = "Volcano ash grounded flights in Iceland. Airlines cancelled three hundred routes.";
        let b = "Airlines cancelled three hundred routes. Volcano ash grounded flights in Iceland.";
        let (pa, pb, mx, w) = setup(a, b);
        let units = monotone_chain(
            &mx,
            &pa,
            &pb,
            PARAMS,
            &[false; 2],
            &[false; 2],
            &mut MergeMemo::new(w),
        );
        assert_eq!(units.len(), 1, "a monotone chain cannot take both");
    }
}
