//! Sentence alignment of two texts: which sentences of one retell which
//! sentences of the other, how closely, in what order.
//!
//! [`align`] runs in four steps:
//!
//! 1. **Profiles and similarity** (`similarity.rs`): every sentence is
//!    profiled once (stems with IDF weights, character trigrams, numbers,
//!    names, optionally a vector), and every sentence pair gets a score in
//!    `[0, 1]`. Sentences of more than 40 words are cut into pieces first
//!    (web text has "sentences" of thousands of words).
//! 2. **Monotone alignment** (`dp.rs`): dynamic programming picks the chain
//!    of matches in the same order in both texts with the greatest total
//!    gain `Σ (score − τ)`, skipping sentences for free and joining one
//!    sentence to a run of several (1:n / n:1) where a sentence was split,
//!    several were merged, or a paragraph became several lines, and runs to
//!    runs (up to 3:3) where a stretch was rewritten with other sentence
//!    boundaries.
//! 3. **Reordering**: the program runs again on the sentences the first
//!    pass left (up to [`AlignConfig::passes`] times), which finds blocks
//!    moved to another place (a paragraph moved up, passages copied in
//!    another order); a block found this way needs two neighbouring pairs
//!    or a high score ([`AlignConfig::reorder_threshold`]). Then sentences
//!    shuffled *inside* a passage are picked up greedily: a free pair at or
//!    above τ is taken, best first, when it lies within the passage gap of
//!    pairs already aligned. Pairs not on the first, monotone chain are
//!    marked [`AlignedPair::moved`]. Last, passages grow at their edges by
//!    the neighbouring sentence pair when one sentence largely *contains*
//!    the other (a copied sentence glued to unrelated text scores low on
//!    Dice but high on containment): [`AlignedPair::partial`]. Passage edges
//!    are then trimmed to the words shared with the partner sentence.
//! 4. **Summary and passages** (`order.rs`, `passage.rs`): coverage both
//!    ways, mean similarity, exact share, Kendall's tau, longest run
//!    ([`AlignmentSummary`]), and the maximal passages of shared text with
//!    byte spans (and, through [`passage::CharIndex`], character offsets) in
//!    both original texts.
//!
//! **Reordering, the choice made.** A strictly monotone alignment loses
//! every moved paragraph; a fully free matching (each sentence to its best
//! partner) aligns independent reports of one event sentence by sentence.
//! Repeated monotone passes over what is left keep the order evidence
//! inside each block while letting blocks move, and the local fill accepts
//! out-of-order sentences only next to pairs already found. Whether a text
//! was reordered shows in [`AlignedPair::moved`], in
//! [`AlignmentSummary::order_agreement`] and in the longest run.
//!
//! **Cost.** Time and memory grow with the product of the sentence counts:
//! about 1 µs and 9 bytes per sentence pair (two 1,000-word articles: a few
//! milliseconds, well under 100 KB).
//!
//! ```
//! use retold_core::align::{align, AlignConfig};
//! use retold_core::text::analyze;
//!
//! let source = analyze(
//!     "The river burst its banks on Sunday. About 300 homes were flooded in the old town. \
//!      The mayor asked residents to boil drinking water. Schools will stay closed until Friday.",
//!     Some("en"),
//! );
//! let copy = analyze(
//!     "Floods: About 300 houses were flooded in the old town after the river burst its banks on Sunday. \
//!      Schools will stay closed until Friday, officials said. Markets were calm.",
//!     Some("en"),
//! );
//! let al = align(&source, &copy, &AlignConfig::default());
//! assert_eq!(al.pairs.len(), 2);
//! assert_eq!((al.pairs[0].a.clone(), al.pairs[0].b.clone()), (0..2, 0..1)); // two merged into one
//! assert_eq!((al.pairs[1].a.clone(), al.pairs[1].b.clone()), (3..4, 1..2));
//! assert_eq!(al.summary.order_agreement, Some(1.0));
//! assert_eq!(al.passages.len(), 1);
//! ```

pub(crate) mod dp;
pub mod order;
pub mod passage;
pub mod similarity;

use std::ops::Range;

use serde::{Deserialize, Serialize};

pub use dp::Shape;
pub use passage::{CharIndex, Passage, PassageConfig, PassageSide};
pub use similarity::{DocProfile, IdfSource, SentenceProfile, SimilarityWeights};

use crate::text::{Span, TextDoc};
use dp::{monotone_chain, DpParams, Matrix, MergeMemo, Unit};
use passage::{group_blocks, Block};
use similarity::{exact_hash, weigh_pair};

/// Settings of the aligner.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlignConfig {
    /// How the similarity signals are weighed.
    pub weights: SimilarityWeights,
    /// τ: the least sentence similarity of an aligned pair.
    pub threshold: f32,
    /// Most sentences joined to one in a merged match (1:n, n:1); 1 turns
    /// merges off. At most [`similarity::MAX_MERGE`].
    pub max_merge: usize,
    /// Most sentences on each side of an n:m match with n, m ≥ 2 (a
    /// stretch rewritten with other sentence boundaries); below 2 none. At
    /// most `max_merge`.
    pub max_block: usize,
    /// Sentences of more than this many words are cut into pieces aligned
    /// as sentences of their own (0: never). See [`DocProfile::with_options`].
    pub max_sentence_words: usize,
    /// Monotone passes (1 = strictly monotone; more find moved blocks).
    pub passes: usize,
    /// Least score of a lone pair (no neighbour within the passage gap)
    /// found after the first pass.
    pub reorder_threshold: f32,
    /// Fill in shuffled sentences near aligned ones (step 3 above).
    pub local_fill: bool,
    /// Least similarity of a pair taken by the local fill (it needs aligned
    /// neighbours, so it may be lower than τ).
    pub fill_threshold: f32,
    /// Grow passages by a neighbouring sentence pair when one of the two
    /// sentences largely contains the other (step 3 above).
    pub extend_edges: bool,
    /// Least containment ([`similarity::containment`]) for that.
    pub edge_containment: f32,
    /// How passages are formed.
    pub passage: PassageConfig,
}

impl Default for AlignConfig {
    fn default() -> Self {
        AlignConfig {
            weights: SimilarityWeights::default(),
            threshold: 0.35,
            max_merge: 4,
            max_block: 3,
            max_sentence_words: 40,
            passes: 4,
            reorder_threshold: 0.6,
            local_fill: true,
            fill_threshold: 0.35,
            extend_edges: true,
            edge_containment: 0.5,
            passage: PassageConfig::default(),
        }
    }
}

/// One aligned pair: a sentence (or a run of them) of A with a sentence (or
/// a run) of B.
///
/// "Sentence" here and in every index of an [`Alignment`] means an entry of
/// [`DocProfile::sentences`]: a sentence of the `TextDoc`, except that
/// sentences longer than [`AlignConfig::max_sentence_words`] count as
/// several pieces ([`similarity::segments`]). The spans are exact either way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlignedPair {
    /// Sentence indices in A, half-open.
    pub a: Range<usize>,
    /// Sentence indices in B, half-open.
    pub b: Range<usize>,
    pub shape: Shape,
    /// Similarity in `[0, 1]`.
    pub score: f32,
    /// Same letters and digits on both sides (case, spacing and punctuation aside).
    pub exact: bool,
    /// Not on the first, monotone chain: found as a moved block or a
    /// shuffled sentence.
    pub moved: bool,
    /// Added at a passage edge because one sentence largely contains the
    /// other (a sentence that is only partly shared, e.g. glued onto other
    /// text); its score is usually below the threshold.
    pub partial: bool,
    /// Byte spans in the clean texts.
    pub a_clean: Span,
    pub b_clean: Span,
    /// Byte spans in the original texts.
    pub a_original: Span,
    pub b_original: Span,
}

/// How much of one text the alignment covers.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Coverage {
    /// Share of sentences aligned.
    pub sentences: f64,
    /// Share of sentence characters aligned.
    pub chars: f64,
}

/// The numbers a verdict is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct AlignmentSummary {
    /// Sentences in A and in B.
    pub a_sentences: usize,
    pub b_sentences: usize,
    /// How much of A is aligned to B, and of B to A.
    pub coverage_a: Coverage,
    pub coverage_b: Coverage,
    /// Mean similarity of the aligned pairs (0 when there are none).
    pub mean_similarity: f64,
    /// Share of aligned pairs that are exact.
    pub exact_share: f64,
    /// Kendall's tau of the aligned pairs' positions (`None` for fewer than two).
    pub order_agreement: Option<f64>,
    /// Longest run of pairs adjacent in both texts, in sentences of A.
    pub longest_run: usize,
    /// The same in sentences of B ([`order::longest_runs`]).
    #[serde(default)]
    pub longest_run_b: usize,
    /// Aligned pairs, and of those, found out of order.
    pub pairs: usize,
    pub moved_pairs: usize,
}

/// The alignment of two texts.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Alignment {
    /// Aligned pairs, sorted by their position in A.
    pub pairs: Vec<AlignedPair>,
    /// Maximal passages of shared text, sorted by their position in A.
    pub passages: Vec<Passage>,
    pub summary: AlignmentSummary,
    /// For each sentence of A, the most similar sentence of B whatever the
    /// order (`None` when nothing in B shares anything with it). Aligned or
    /// not: this is where a sentence's content went in a summary, or the
    /// closest thing the other text says.
    pub nearest_in_b: Vec<Option<Nearest>>,
    /// For each sentence of B, the most similar sentence of A.
    pub nearest_in_a: Vec<Option<Nearest>>,
    /// The clean-text spans of the sentences of A and B that indices refer
    /// to (pieces of over-long sentences included).
    pub a_spans: Vec<Span>,
    pub b_spans: Vec<Span>,
}

impl Alignment {
    /// For each sentence of A and of B (as `a_spans`, `b_spans`), whether
    /// an aligned pair holds it.
    pub fn aligned_sentences(&self) -> (Vec<bool>, Vec<bool>) {
        let mut in_a = vec![false; self.a_spans.len()];
        let mut in_b = vec![false; self.b_spans.len()];
        for p in &self.pairs {
            for (side, range) in [(&mut in_a, &p.a), (&mut in_b, &p.b)] {
                side.iter_mut()
                    .take(range.end)
                    .skip(range.start)
                    .for_each(|x| *x = true);
            }
        }
        (in_a, in_b)
    }
}

/// The most similar sentence of the other text.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Nearest {
    /// Its index (as in [`AlignedPair`]).
    pub sentence: usize,
    /// The 1:1 similarity.
    pub score: f32,
}

/// Aligns the sentences of `a` and `b`, with stem weights from the
/// sentences of the two texts ([`IdfSource::PairSentences`]).
///
/// See the [module documentation](self) for an example.
pub fn align(a: &TextDoc, b: &TextDoc, config: &AlignConfig) -> Alignment {
    PreparedPair::new(a, b, config).align(config)
}

/// Two texts profiled and scored sentence by sentence, ready to be aligned
/// under one or more settings: the similarity matrix, most of an
/// alignment's cost, is computed once. A cheap setting can screen a pair
/// and a full one run only when the screen finds something.
///
/// ```
/// use retold_core::align::{AlignConfig, PreparedPair};
/// use retold_core::text::analyze;
/// let a = analyze("Oil prices fell 3% on Friday. Traders were calm.", Some("en"));
/// let b = analyze("On Friday oil prices fell 3%. Traders stayed calm.", Some("en"));
/// let full = AlignConfig::default();
/// let cheap = AlignConfig { max_merge: 1, max_block: 0, passes: 1, ..full };
/// let pair = PreparedPair::new(&a, &b, &full);
/// assert_eq!(pair.align(&cheap).pairs.len(), pair.align(&full).pairs.len());
/// ```
pub struct PreparedPair<'d> {
    a: &'d TextDoc,
    b: &'d TextDoc,
    pa: DocProfile,
    pb: DocProfile,
    matrix: Matrix,
}

impl<'d> PreparedPair<'d> {
    /// Profiles both texts (stems weighed by the pair's sentences, see
    /// [`align`]) and scores every sentence pair with `config`'s weights.
    /// Later alignments use this segmentation, these weights and merges of
    /// at most `config.max_merge` sentences, whatever their own settings say.
    pub fn new(a: &'d TextDoc, b: &'d TextDoc, config: &AlignConfig) -> PreparedPair<'d> {
        let profile = |d| DocProfile::with_options(d, config.max_merge, config.max_sentence_words);
        PreparedPair::weighed(a, b, profile(a), profile(b), config)
    }

    /// [`PreparedPair::new`] from profiles made beforehand with
    /// [`DocProfile::with_options`]`(doc, config.max_merge,
    /// config.max_sentence_words)` (an article compared with many
    /// candidates is profiled once). The profiles are copied and weighed
    /// for this pair.
    pub fn from_profiles(
        a: &'d TextDoc,
        b: &'d TextDoc,
        pa: &DocProfile,
        pb: &DocProfile,
        config: &AlignConfig,
    ) -> PreparedPair<'d> {
        PreparedPair::weighed(a, b, pa.clone(), pb.clone(), config)
    }

    /// Weighs the pair's own profiles and scores the sentence pairs.
    fn weighed(
        a: &'d TextDoc,
        b: &'d TextDoc,
        mut pa: DocProfile,
        mut pb: DocProfile,
        config: &AlignConfig,
    ) -> PreparedPair<'d> {
        weigh_pair(&mut pa, &mut pb, IdfSource::PairSentences);
        let matrix = Matrix::compute(&pa, &pb, &config.weights);
        PreparedPair {
            a,
            b,
            pa,
            pb,
            matrix,
        }
    }

    /// The alignment under `config`'s program settings (threshold, merges,
    /// passes, fill, edges, passages).
    pub fn align(&self, config: &AlignConfig) -> Alignment {
        align_matrix(self.a, self.b, &self.pa, &self.pb, &self.matrix, config)
    }
}

/// Aligns two texts whose profiles the caller made (to weigh stems by a
/// corpus with [`similarity::weigh_pair`], or to attach sentence vectors).
/// The profiles must come from `a` and `b`; merged matches join at most as
/// many sentences as both the profiles and the config allow.
///
/// ```
/// use retold_core::align::{align_profiles, AlignConfig, DocProfile, IdfSource};
/// use retold_core::align::similarity::weigh_pair;
/// use retold_core::text::analyze;
/// let a = analyze("Oil prices fell 3% on Friday.", Some("en"));
/// let b = analyze("On Friday oil prices fell 3%.", Some("en"));
/// let (mut pa, mut pb) = (DocProfile::new(&a), DocProfile::new(&b));
/// weigh_pair(&mut pa, &mut pb, IdfSource::Uniform);
/// let al = align_profiles(&a, &b, &pa, &pb, &AlignConfig::default());
/// assert_eq!(al.pairs.len(), 1);
/// assert!(!al.pairs[0].exact);
/// ```
pub fn align_profiles(
    a: &TextDoc,
    b: &TextDoc,
    pa: &DocProfile,
    pb: &DocProfile,
    config: &AlignConfig,
) -> Alignment {
    let matrix = Matrix::compute(pa, pb, &config.weights);
    align_matrix(a, b, pa, pb, &matrix, config)
}

fn align_matrix(
    a: &TextDoc,
    b: &TextDoc,
    pa: &DocProfile,
    pb: &DocProfile,
    matrix: &Matrix,
    config: &AlignConfig,
) -> Alignment {
    let units = find_units(matrix, pa, pb, config);
    let mut al = build(a, b, pa, pb, units, config);
    (al.nearest_in_b, al.nearest_in_a) = nearest(matrix);
    al
}

/// For each row, the column of the highest positive score, and for each
/// column the row (the first on ties), in one pass over the rows.
fn nearest(matrix: &Matrix) -> (Vec<Option<Nearest>>, Vec<Option<Nearest>>) {
    let (n, m) = (matrix.n, matrix.m);
    let mut rows: Vec<Option<Nearest>> = vec![None; n];
    let mut cols: Vec<Option<Nearest>> = vec![None; m];
    for (i, row) in matrix.cells.chunks_exact(m.max(1)).take(n).enumerate() {
        for (j, &s) in row.iter().enumerate() {
            if s <= 0.0 {
                continue;
            }
            if rows[i].is_none_or(|b| s > b.score) {
                rows[i] = Some(Nearest {
                    sentence: j,
                    score: s,
                });
            }
            if cols[j].is_none_or(|b| s > b.score) {
                cols[j] = Some(Nearest {
                    sentence: i,
                    score: s,
                });
            }
        }
    }
    (rows, cols)
}

/// How a unit was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// On the first, monotone chain.
    Chain,
    /// In a later pass or by the local fill.
    Moved,
    /// By edge extension (containment at a passage edge).
    Edge,
}

/// Steps 2 and 3: the matched units, and how each was found.
fn find_units(
    matrix: &Matrix,
    pa: &DocProfile,
    pb: &DocProfile,
    config: &AlignConfig,
) -> Vec<(Unit, Found)> {
    let (n, m) = (pa.sentences.len(), pb.sentences.len());
    let params = DpParams {
        threshold: config.threshold,
        max_merge: config.max_merge,
        max_block: config.max_block,
        merge_floor: config.threshold * 0.75,
    };
    let (mut used_a, mut used_b) = (vec![false; n], vec![false; m]);
    let mut memo = MergeMemo::new(config.weights);
    let mut units: Vec<(Unit, Found)> = Vec::new();
    let gap = config.passage.gap;
    let mark = |u: &Unit, used_a: &mut [bool], used_b: &mut [bool]| {
        for x in used_a.iter_mut().take(u.a_end()).skip(u.a) {
            *x = true;
        }
        for x in used_b.iter_mut().take(u.b_end()).skip(u.b) {
            *x = true;
        }
    };
    for pass in 0..config.passes.max(1) {
        let chain = monotone_chain(matrix, pa, pb, params, &used_a, &used_b, &mut memo);
        let kept: Vec<Unit> = if pass == 0 {
            chain
        } else {
            // A block found out of order must be a block: two pairs close
            // together, or one strong pair.
            chain
                .iter()
                .enumerate()
                .filter(|&(k, u)| {
                    let near = |v: &Unit| {
                        v.a.abs_diff(u.a) <= gap.saturating_add(1)
                            && v.b.abs_diff(u.b) <= gap.saturating_add(1)
                    };
                    u.score >= config.reorder_threshold
                        || (k > 0 && near(&chain[k - 1]))
                        || chain.get(k + 1).is_some_and(near)
                })
                .map(|(_, u)| *u)
                .collect()
        };
        if kept.is_empty() {
            break;
        }
        for u in &kept {
            mark(u, &mut used_a, &mut used_b);
            units.push((
                *u,
                if pass == 0 {
                    Found::Chain
                } else {
                    Found::Moved
                },
            ));
        }
    }
    if config.local_fill && !units.is_empty() {
        let mut free: Vec<(f32, usize, usize)> = Vec::new();
        for i in (0..n).filter(|&i| !used_a[i]) {
            for j in (0..m).filter(|&j| !used_b[j]) {
                let s = matrix.get(i, j);
                if s >= config.fill_threshold {
                    free.push((s, i, j));
                }
            }
        }
        free.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
        loop {
            let mut took = false;
            for &(s, i, j) in &free {
                if used_a[i] || used_b[j] {
                    continue;
                }
                let near = units
                    .iter()
                    .any(|(u, _)| dist(i, u.a, u.a_end()) <= gap && dist(j, u.b, u.b_end()) <= gap);
                if near {
                    let u = Unit {
                        a: i,
                        b: j,
                        shape: Shape::ONE,
                        score: s,
                    };
                    mark(&u, &mut used_a, &mut used_b);
                    units.push((u, Found::Moved));
                    took = true;
                }
            }
            if !took {
                break;
            }
        }
    }
    if config.extend_edges {
        for _ in 0..EDGE_STEPS {
            let blocks: Vec<Block> = units
                .iter()
                .map(|(u, _)| Block {
                    a: (u.a, u.a_end()),
                    b: (u.b, u.b_end()),
                    score: u.score,
                })
                .collect();
            let mut took = false;
            for g in group_blocks(&blocks, gap) {
                let before = g.a.0.checked_sub(1).zip(g.b.0.checked_sub(1));
                for (i, j) in before.into_iter().chain([(g.a.1, g.b.1)]) {
                    let (Some(x), Some(y)) = (pa.sentences.get(i), pb.sentences.get(j)) else {
                        continue;
                    };
                    if used_a[i] || used_b[j] {
                        continue;
                    }
                    let c = |p: &SentenceProfile, q: &SentenceProfile| {
                        if p.stems.len() >= EDGE_MIN_STEMS {
                            similarity::containment(p, q)
                        } else {
                            0.0
                        }
                    };
                    if c(x, y).max(c(y, x)) >= config.edge_containment {
                        let u = Unit {
                            a: i,
                            b: j,
                            shape: Shape::ONE,
                            score: matrix.get(i, j),
                        };
                        mark(&u, &mut used_a, &mut used_b);
                        units.push((u, Found::Edge));
                        took = true;
                    }
                }
            }
            if !took {
                break;
            }
        }
    }
    units.sort_by_key(|(u, _)| (u.a, u.b));
    units
}

/// Least net weight of foreign words (each unshared content word −0.5,
/// each shared one +1) an edge trim must cut.
const TRIM_GAIN: f32 = 3.0;

/// Sentences a passage may grow by at each edge through containment.
const EDGE_STEPS: usize = 2;
/// Content words the contained sentence of an edge pair needs at least.
const EDGE_MIN_STEMS: usize = 3;

/// Sentences between position `i` and the range `start..end`.
fn dist(i: usize, start: usize, end: usize) -> usize {
    if i < start {
        start - i
    } else {
        (i + 1).saturating_sub(end)
    }
}

/// The byte span in the clean text of sentences `r` (empty at 0 if none).
fn sentences_span(p: &DocProfile, r: &Range<usize>) -> Span {
    match (
        p.sentences.get(r.start),
        r.end.checked_sub(1).and_then(|e| p.sentences.get(e)),
    ) {
        (Some(s), Some(e)) => Span {
            start: s.span.start,
            end: e.span.end.max(s.span.start),
        },
        _ => Span { start: 0, end: 0 },
    }
}

/// Step 4: pairs with spans, the summary and the passages.
fn build(
    a: &TextDoc,
    b: &TextDoc,
    pa: &DocProfile,
    pb: &DocProfile,
    units: Vec<(Unit, Found)>,
    config: &AlignConfig,
) -> Alignment {
    let chars = |p: &DocProfile, r: &Range<usize>| -> usize {
        p.sentences
            .get(r.clone())
            .map_or(0, |s| s.iter().map(|x| x.chars as usize).sum())
    };
    let pairs: Vec<AlignedPair> = units
        .iter()
        .map(|(u, found)| {
            let ra = u.a..u.a_end();
            let rb = u.b..u.b_end();
            let (ca, cb) = (sentences_span(pa, &ra), sentences_span(pb, &rb));
            // A single sentence's span is its profile's, whose `exact` is
            // `exact_hash` of that text (`SentenceProfile::of_span`): not
            // hashed again. A merged unit's span takes in the text between
            // its sentences, so it is hashed whole.
            let (ha, hb) = match (pa.sentences.get(u.a), pb.sentences.get(u.b)) {
                (Some(sa), Some(sb)) if u.shape.is_one_to_one() => (sa.exact, sb.exact),
                _ => (exact_hash(a.text(ca)), exact_hash(b.text(cb))),
            };
            let exact = ha != 0 && ha == hb;
            AlignedPair {
                shape: u.shape,
                score: if exact { 1.0 } else { u.score },
                exact,
                moved: *found == Found::Moved,
                partial: *found == Found::Edge,
                a_clean: ca,
                b_clean: cb,
                a_original: a.to_original_span(ca),
                b_original: b.to_original_span(cb),
                a: ra,
                b: rb,
            }
        })
        .collect();

    let (na, nb) = (pa.sentences.len(), pb.sentences.len());
    let coverage = |p: &DocProfile, n: usize, side: &dyn Fn(&AlignedPair) -> &Range<usize>| {
        let total: usize = p.sentences.iter().map(|s| s.chars as usize).sum();
        let sent: usize = pairs.iter().map(|x| side(x).len()).sum();
        let ch: usize = pairs.iter().map(|x| chars(p, side(x))).sum();
        Coverage {
            sentences: if n == 0 { 0.0 } else { sent as f64 / n as f64 },
            chars: if total == 0 {
                0.0
            } else {
                ch as f64 / total as f64
            },
        }
    };
    let k = pairs.len();
    let positions: Vec<(usize, usize)> = pairs.iter().map(|p| (p.a.start, p.b.start)).collect();
    let blocks: Vec<(usize, usize, usize, usize)> = pairs
        .iter()
        .map(|p| (p.a.start, p.a.end, p.b.start, p.b.end))
        .collect();
    let runs = order::longest_runs(&blocks);
    let summary = AlignmentSummary {
        a_sentences: na,
        b_sentences: nb,
        coverage_a: coverage(pa, na, &|x| &x.a),
        coverage_b: coverage(pb, nb, &|x| &x.b),
        mean_similarity: if k == 0 {
            0.0
        } else {
            pairs.iter().map(|p| f64::from(p.score)).sum::<f64>() / k as f64
        },
        exact_share: if k == 0 {
            0.0
        } else {
            pairs.iter().filter(|p| p.exact).count() as f64 / k as f64
        },
        order_agreement: order::kendall_tau(&positions),
        longest_run: runs.0,
        longest_run_b: runs.1,
        pairs: k,
        moved_pairs: pairs.iter().filter(|p| p.moved).count(),
    };

    let pblocks: Vec<Block> = pairs
        .iter()
        .map(|p| Block {
            a: (p.a.start, p.a.end),
            b: (p.b.start, p.b.end),
            score: p.score,
        })
        .collect();
    let pc = &config.passage;
    let passages = group_blocks(&pblocks, pc.gap)
        .into_iter()
        .filter_map(|g| {
            let members: Vec<&AlignedPair> =
                g.members.iter().filter_map(|&i| pairs.get(i)).collect();
            let n = members.len();
            let mean = members.iter().map(|p| p.score).sum::<f32>() / n.max(1) as f32;
            let aligned_a: usize = members.iter().map(|p| chars(pa, &p.a)).sum();
            let aligned_b: usize = members.iter().map(|p| chars(pb, &p.b)).sum();
            if n == 0
                || (n == 1 && mean < pc.min_single_score)
                || members
                    .iter()
                    .map(|p| (p.score - config.threshold).max(0.0))
                    .sum::<f32>()
                    < pc.min_gain
                || aligned_a.min(aligned_b) < pc.min_chars
            {
                return None;
            }
            let side = |doc: &TextDoc, r: Range<usize>, aligned: usize, is_a: bool| {
                let mut clean = sentences_span(if is_a { pa } else { pb }, &r);
                if pc.trim_edges {
                    clean = trim_edges(doc, clean, &r, &members, is_a, pa, pb);
                }
                PassageSide {
                    sentences: r,
                    clean,
                    original: doc.to_original_span(clean),
                    aligned_chars: aligned,
                }
            };
            Some(Passage {
                a: side(a, g.a.0..g.a.1, aligned_a, true),
                b: side(b, g.b.0..g.b.1, aligned_b, false),
                pairs: n,
                mean_similarity: mean,
            })
        })
        .collect();
    Alignment {
        pairs,
        passages,
        summary,
        nearest_in_b: Vec::new(),
        nearest_in_a: Vec::new(),
        a_spans: pa.sentences.iter().map(|p| p.span).collect(),
        b_spans: pb.sentences.iter().map(|p| p.span).collect(),
    }
}

/// Trims a passage side to the first and last words shared with the
/// partner sentences of its edge pairs, so a heading or the tail of another
/// text glued onto an edge sentence stays out.
fn trim_edges(
    doc: &TextDoc,
    clean: Span,
    r: &Range<usize>,
    members: &[&AlignedPair],
    is_a: bool,
    pa: &DocProfile,
    pb: &DocProfile,
) -> Span {
    let mine = |p: &AlignedPair| if is_a { p.a.clone() } else { p.b.clone() };
    let partner = |p: &AlignedPair| {
        let (prof, range) = if is_a { (pb, &p.b) } else { (pa, &p.a) };
        let run = prof.run(range.start, range.len());
        let mut set: Vec<u32> = run
            .map(|x| x.stems.iter().chain(x.numbers.iter()).copied().collect())
            .unwrap_or_default();
        set.sort_unstable();
        set
    };
    let shared = |t: &crate::text::Token, set: &[u32]| {
        let content = t.kind == crate::text::TokenKind::Number
            || (!t.is_stop && t.stem.chars().nth(1).is_some());
        content
            && set
                .binary_search(&crate::features::term_hash(&t.stem))
                .is_ok()
    };
    // Shared content words pull the edge out, other content words push it
    // in, stop words are neutral: the edge goes where the sum is highest.
    let value = |t: &crate::text::Token, set: &[u32]| -> f32 {
        if shared(t, set) {
            1.0
        } else if t.is_stop
            || (t.kind == crate::text::TokenKind::Word && t.stem.chars().nth(1).is_none())
        {
            0.0
        } else {
            -0.5
        }
    };
    let mut out = clean;
    if let Some(first) = members.iter().find(|p| mine(p).contains(&r.start)) {
        let set = partner(first);
        let own = if is_a { pa } else { pb };
        let toks = doc.tokens_in(sentences_span(own, &mine(first)));
        if !first.exact && !toks.is_empty() {
            // The suffix with the highest sum (the longest among equals).
            let (mut best, mut at, mut sum) = (f32::MIN, 0, 0.0);
            for k in (0..toks.len()).rev() {
                sum += value(&toks[k], &set);
                if sum >= best {
                    best = sum;
                    at = k;
                }
            }
            // Only a clearly foreign prefix is cut.
            if sum - best > -TRIM_GAIN {
                at = 0;
            }
            // Keep the stop words just before it.
            let k = toks[..at]
                .iter()
                .rposition(|t| !t.is_stop)
                .map_or(0, |x| x + 1);
            if k > 0 {
                out.start = toks[k].span.start.max(out.start);
            }
        }
    }
    if let Some(last) = r
        .end
        .checked_sub(1)
        .and_then(|e| members.iter().find(|p| mine(p).contains(&e)))
    {
        let set = partner(last);
        let edge = sentences_span(if is_a { pa } else { pb }, &mine(last));
        let toks = doc.tokens_in(edge);
        if !last.exact && !toks.is_empty() {
            let (mut best, mut at, mut sum) = (f32::MIN, 0, 0.0);
            for (k, t) in toks.iter().enumerate() {
                sum += value(t, &set);
                if sum >= best {
                    best = sum;
                    at = k;
                }
            }
            if sum - best > -TRIM_GAIN {
                at = toks.len() - 1;
            }
            let k = toks[at + 1..]
                .iter()
                .position(|t| !t.is_stop)
                .map_or(toks.len(), |x| at + 1 + x);
            if let Some(next) = toks.get(k) {
                // Cut before the first word that is neither kept nor a stop word.
                let cut = doc.text(Span {
                    start: edge.start,
                    end: next.span.start,
                });
                out.end = (edge.start + cut.trim_end().len()).min(out.end);
            }
        }
    }
    if out.end <= out.start {
        clean
    } else {
        out
    }
}

#[cfg(test)]
mod tests;
