//! The `translated` relation (issue 18): one article is a translation of
//! another, found by aligning their sentences across languages with a
//! multilingual sentence embedding ([`crate::features::embed`]).
//!
//! The lexical aligner ([`crate::align`]) compares stems, so a German
//! translation of an English article shares almost nothing with it. Here
//! each sentence of both texts (the first [`CrossConfig::max_sentences`])
//! is embedded, the cosine of every sentence pair is a similarity matrix,
//! and [`align_embedded`] finds the monotone chain of 1:1 pairs with the
//! largest total gain `margin − margin_floor` (a dynamic programme like the
//! lexical aligner's, without merges; a sentence may stay unaligned). A
//! translation keeps the order of its source's sentences, so most of the
//! translated side is covered; two different articles on one subject share
//! a sentence or two at most.
//!
//! **Why a margin, not a cosine floor.** multilingual-e5's cosines are
//! compressed and their level depends on the language pair: a German
//! translation's sentences sit at 0.87–0.94 from their English source, a
//! Japanese translation's at 0.80–0.89, while two unrelated sentences of
//! one subject sit near 0.80 in either. A fixed floor chosen on Latin-script
//! pairs (0.87) missed every Japanese translation. A pair is aligned on its
//! **ratio margin** ([`ratio_margins`], the margin of bitext mining,
//! Artetxe & Schwenk 2019): its cosine over the mean of each sentence's mean
//! cosine to its [`CrossConfig::neighbours`] nearest sentences of the other
//! text. A translated sentence stands out from the rest of its partner by
//! about the same ratio whatever the level of the cosines, so one floor
//! ([`CrossConfig::margin_floor`], 1.04) serves every language pair; a low
//! cosine guard ([`CrossConfig::sentence_floor`], 0.80, the median of two
//! different articles' sentence pairs) keeps a pair of unrelated sentences
//! from standing out among sentences that are all unrelated. The values were
//! chosen with `scripts/cross-thresholds.py` on the SemEval-2022 sample's
//! cross-language pairs (negatives) and translations outside the translation
//! set (the example corpus's German Larkmoor article, the Japanese and
//! Chinese dev translations of `examples/translations-dev`); QUALITY.md,
//! "Cross-language", has the figures. A text whose sentences are all alike
//! (every cosine equal) aligns nothing: nothing stands out.
//!
//! [`cross_verdict`] turns the chain into a [`Verdict`]: `translated` when
//! the chain covers [`CrossConfig::min_coverage`] of one side's sentences
//! with at least [`CrossConfig::min_pairs`] pairs (or every sentence of a
//! short text); `translated` too when it holds a **translated passage**: at
//! least [`CrossConfig::min_pairs`] pairs, [`CrossConfig::passage_run`] of
//! them in a row on both sides (a newspaper that translates three wire
//! paragraphs into a story of its own; two reports of one event written
//! apart share a sentence here and there, not a run); else `unrelated`.
//! The degree is read from the coverage of the derived side as for other
//! derived relations, so a passage is partially derived; the direction from
//! dates, then attribution: the usual credits and attribution lines, and a
//! translation note naming the other text's language or outlet
//! ("translated from English", "aus dem Englischen", "traduit de
//! l'anglais", …). [`Translation`] keeps the languages, the language the
//! story was first reported in, and the aligned sentence pairs with their
//! cosines as evidence.
//!
//! ```
//! use retold_core::relate::translated::{align_embedded, ratio_margins, CrossConfig};
//! // The same cosines at two levels: the translated pairs (the diagonal)
//! // stand out by the same margin, 0.91 against 0.80 or 0.85 against 0.75.
//! for (hit, miss) in [(0.91f32, 0.80f32), (0.85, 0.75)] {
//!     let sim: Vec<f32> = (0..16).map(|k| if k % 5 == 0 { hit } else { miss }).collect();
//!     let m = ratio_margins(&sim, 4, 4, 4);
//!     assert!(m[0] > 1.04 && m[1] < 1.0);
//! }
//! // Sentence vectors of two texts: the second text has an extra sentence.
//! let a = vec![vec![1.0, 0.0, 0.0], vec![0.0, 1.0, 0.0]];
//! let b = vec![vec![0.98, 0.2, 0.0], vec![0.0, 0.0, 1.0], vec![0.1, 0.99, 0.0]];
//! let pairs = align_embedded(&a, &b, &CrossConfig::default());
//! let found: Vec<(usize, usize)> = pairs.iter().map(|p| (p.a, p.b)).collect();
//! assert_eq!(found, vec![(0, 0), (1, 2)]);
//! ```

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::degree::degree_basis as degree_basis_of;
use super::direction::{self, DirectionEvidence, Party, Side};
use super::{outlets, Comparison, Model, PairFeatures, Relation, Verdict};
use crate::align::{AlignedPair, Alignment, AlignmentSummary, Coverage, Shape};
use crate::article::Article;
use crate::features::embed::{cosine, EmbedError, Embedder};
use crate::text::{Span, TextDoc};

/// Settings of the cross-language path.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CrossConfig {
    /// Least cosine of two lead embeddings for an other-language neighbour
    /// to be a candidate.
    pub lead_floor: f32,
    /// Other-language candidates per article, closest first.
    pub candidates: usize,
    /// Least cosine of two sentences to be aligned (a guard: the margin
    /// decides).
    pub sentence_floor: f32,
    /// Least ratio margin of two sentences to be aligned: their cosine over
    /// the mean of each one's mean cosine to its [`CrossConfig::neighbours`]
    /// nearest sentences of the other text ([`ratio_margins`]).
    pub margin_floor: f32,
    /// Nearest sentences of the other text in a sentence's neighbourhood.
    pub neighbours: usize,
    /// Sentences of each text embedded and aligned (the first ones).
    pub max_sentences: usize,
    /// Least share of one side's sentences the chain covers.
    pub min_coverage: f64,
    /// Least aligned pairs (a text with fewer sentences needs them all).
    pub min_pairs: usize,
    /// Least consecutive aligned pairs (in order on both sides) that make a
    /// translated passage: with [`CrossConfig::min_pairs`] pairs in all, a
    /// pair under [`CrossConfig::min_coverage`] is a partial translation.
    /// `usize::MAX` turns passages off.
    pub passage_run: usize,
    /// Whether a sentence may pair with two adjacent sentences of the
    /// other text ([`align_embedded`]).
    pub merges: bool,
    /// Whether aligned sentences whose figures disagree keep the pair
    /// from being a translation (`Anchors::figures_disagree`).
    pub figures: bool,
}

impl Default for CrossConfig {
    fn default() -> Self {
        CrossConfig {
            lead_floor: 0.84,
            candidates: 4,
            sentence_floor: 0.80,
            margin_floor: 1.04,
            neighbours: 4,
            max_sentences: 32,
            min_coverage: 0.6,
            min_pairs: 3,
            passage_run: 2,
            merges: true,
            figures: true,
        }
    }
}

/// Characters of a sentence embedded (longer ones are cut).
pub const EMBEDDED_CHARS: usize = 400;

/// The texts of the first `max` sentences of `doc`, each cut at
/// [`EMBEDDED_CHARS`]: what is embedded for the sentence alignment, by the
/// engine and by [`compare_across`] alike.
pub fn sentence_texts(doc: &TextDoc, max: usize) -> Vec<String> {
    doc.sentences
        .iter()
        .take(max)
        .map(|&s| doc.text(s).chars().take(EMBEDDED_CHARS).collect())
        .collect()
}

/// Whether `a` and `b` are in two known, different languages: the pairs
/// the engine gives the cross-language verdict.
pub fn across_languages(a: &Article, b: &Article) -> bool {
    matches!((&a.language, &b.language), (Some(x), Some(y)) if x != y)
}

/// The comparison of two texts in different languages, as the engine
/// makes it: both texts analyzed (with the furniture the two pages show),
/// their first [`CrossConfig::max_sentences`] sentences embedded with
/// `embedder`, and [`cross_verdict`] on the vectors. The alignment holds
/// the aligned sentence pairs (also when the verdict is `unrelated`, so a
/// reader sees what did line up).
pub fn compare_across(
    a: &Article,
    b: &Article,
    model: &Model,
    embedder: &dyn Embedder,
) -> Result<Comparison, EmbedError> {
    let (da, db) = super::analyze_pair(a, b);
    let config = CrossConfig::default();
    let embed = |doc: &TextDoc| -> Result<Vec<Vec<f32>>, EmbedError> {
        let texts = sentence_texts(doc, config.max_sentences);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let v = embedder.embed(&refs)?;
        if v.len() == refs.len() {
            Ok(v)
        } else {
            Err(EmbedError::Engine(-1))
        }
    };
    let (va, vb) = (embed(&da)?, embed(&db)?);
    let (oa, ob) = (outlets::outlets(a), outlets::outlets(b));
    let (verdict, alignment) = cross_verdict(
        Party {
            article: a,
            doc: &da,
            outlets: &oa,
        },
        Party {
            article: b,
            doc: &db,
            outlets: &ob,
        },
        &va,
        &vb,
        &config,
        model.wholly_above,
    );
    Ok(Comparison {
        a: da,
        b: db,
        alignment,
        verdict,
        note: None,
    })
}

/// One aligned sentence pair (or a sentence and two adjacent ones), by
/// sentence index in each text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SentencePair {
    /// The first sentence of each side.
    pub a: usize,
    pub b: usize,
    /// Sentences of each side: 1:1, or 1:2 and 2:1 merges.
    pub shape: Shape,
    pub cosine: f32,
    /// The pair's ratio margin ([`ratio_margins`]).
    pub margin: f32,
}

/// The ratio margin of every sentence pair of an `n × m` cosine matrix
/// (row-major): `cos(x, y)` over the mean of `x`'s mean cosine to its `k`
/// nearest sentences of the other text and `y`'s (fewer when that text is
/// shorter). The margin of bitext mining (Artetxe & Schwenk 2019, "Margin-based
/// parallel corpus mining with multilingual sentence embeddings"), with the
/// neighbourhoods taken in the other text of the pair: a translated sentence
/// stands out from the other sentences of its partner whatever the level of
/// the model's cosines for that language pair.
pub fn ratio_margins(sim: &[f32], n: usize, m: usize, k: usize) -> Vec<f32> {
    let (rows, cols) = neighbourhoods(sim, n, m, k);
    let mut out = Vec::with_capacity(n * m);
    for (i, r) in rows.iter().enumerate() {
        for (j, c) in cols.iter().enumerate() {
            let d = (r + c) / 2.0;
            out.push(if d > 0.0 { sim[i * m + j] / d } else { 0.0 });
        }
    }
    out
}

/// The monotone chain of sentence pairs with the largest total gain
/// `margin − margin_floor` over the pairs whose ratio margin reaches
/// [`CrossConfig::margin_floor`] and whose cosine reaches
/// [`CrossConfig::sentence_floor`] (no other pair is ever taken).
///
/// With [`CrossConfig::merges`], a sentence may also pair with two adjacent
/// sentences of the other text (1:2 or 2:1), as the lexical aligner's
/// merges do: translators join two short sentences or split a long one, and
/// a Japanese translation keeps a three-sentence English quote in one
/// 「…」と述べた. The two sentences are read as one by the sum of their
/// vectors (no second embedding). A merge is taken only when it reads
/// closer to the single sentence than either of its parts does, and its
/// ratio margin, with the merged vector's own neighbourhood in the other
/// text, clears the floor: a sum of two vectors moves towards what all
/// sentences share and reads closer to every sentence, so only its own
/// neighbourhood tells a translation from that drift.
pub fn align_embedded(a: &[Vec<f32>], b: &[Vec<f32>], config: &CrossConfig) -> Vec<SentencePair> {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return Vec::new();
    }
    let sim: Vec<f32> = a
        .iter()
        .flat_map(|x| b.iter().map(move |y| cosine(x, y)))
        .collect();
    let margins = ratio_margins(&sim, n, m, config.neighbours);
    let floor = config.margin_floor;
    let merged = |v: &[Vec<f32>]| -> Vec<Vec<f32>> {
        v.windows(2)
            .map(|w| w[0].iter().zip(&w[1]).map(|(x, y)| x + y).collect())
            .collect()
    };
    // The margins' denominators: each sentence's mean cosine to its
    // nearest sentences of the other text (ratio_margins' rows and columns).
    let (rows, cols) = neighbourhoods(&sim, n, m, config.neighbours);
    // A merge of a[i] with b[j], b[j + 1] (one_two) or of a[i], a[i + 1]
    // with b[j] (two_one): its cosine and margin, when it clears both
    // floors and reads closer than either part.
    let (mb, ma) = if config.merges {
        (merged(b), merged(a))
    } else {
        (Vec::new(), Vec::new())
    };
    // The merged vector's own neighbourhood: summing two sentences moves
    // the vector towards what every sentence shares, so it reads closer to
    // every sentence of the other text, not only to its translation.
    let own = |x: &[f32], other: &[Vec<f32>]| -> f32 {
        top_mean(
            other.iter().map(|y| cosine(x, y)).collect(),
            config.neighbours,
        )
    };
    // A merge of a[i] with b[j], b[j + 1] (shape 1:2) or of a[i], a[i + 1]
    // with b[j] (2:1), when it reads closer than either part and its
    // margin clears the floor.
    let merge = |i: usize, j: usize, shape: Shape| -> Option<SentencePair> {
        let (c, parts) = if shape.b == 2 {
            let y = mb.get(j)?;
            (cosine(&a[i], y), sim[i * m + j].max(sim[i * m + j + 1]))
        } else {
            let x = ma.get(i)?;
            (cosine(x, &b[j]), sim[i * m + j].max(sim[(i + 1) * m + j]))
        };
        if c < config.sentence_floor || c <= parts {
            return None;
        }
        let d = if shape.b == 2 {
            (rows[i] + own(mb.get(j)?, a)) / 2.0
        } else {
            (own(ma.get(i)?, b) + cols[j]) / 2.0
        };
        let g = if d > 0.0 { c / d } else { 0.0 };
        (g >= floor).then_some(SentencePair {
            a: i,
            b: j,
            shape,
            cosine: c,
            margin: g,
        })
    };
    // best[(i, j)]: the best gain over the first i sentences of A and j of
    // B; how[(i, j)]: the pair that ends there (None: a sentence skipped).
    let w = m + 1;
    let mut best = vec![0f32; (n + 1) * w];
    let mut how: Vec<Option<SentencePair>> = vec![None; (n + 1) * w];
    for i in 1..=n {
        for j in 1..=m {
            let k = (i - 1) * m + (j - 1);
            let mut v = best[(i - 1) * w + j].max(best[i * w + j - 1]);
            let mut end = None;
            let mut take = |gain: f32, pair: SentencePair, v: &mut f32| {
                if gain > *v {
                    *v = gain;
                    end = Some(pair);
                }
            };
            if sim[k] >= config.sentence_floor && margins[k] >= floor {
                let pair = SentencePair {
                    a: i - 1,
                    b: j - 1,
                    shape: Shape::ONE,
                    cosine: sim[k],
                    margin: margins[k],
                };
                take(
                    best[(i - 1) * w + j - 1] + (margins[k] - floor),
                    pair,
                    &mut v,
                );
            }
            for shape in [Shape { a: 1, b: 2 }, Shape { a: 2, b: 1 }] {
                let (di, dj) = (usize::from(shape.a), usize::from(shape.b));
                if i >= di && j >= dj {
                    if let Some(pair) = merge(i - di, j - dj, shape) {
                        take(
                            best[(i - di) * w + j - dj] + (pair.margin - floor),
                            pair,
                            &mut v,
                        );
                    }
                }
            }
            best[i * w + j] = v;
            how[i * w + j] = end;
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        match how[i * w + j] {
            Some(p) => {
                out.push(p);
                i = p.a;
                j = p.b;
            }
            None if best[i * w + j] == best[(i - 1) * w + j] => i -= 1,
            None => j -= 1,
        }
    }
    out.reverse();
    out
}

/// Each row's and each column's mean cosine to its `k` nearest sentences
/// of the other text (fewer when that text is shorter): the terms of the
/// ratio margin's denominator.
fn neighbourhoods(sim: &[f32], n: usize, m: usize, k: usize) -> (Vec<f32>, Vec<f32>) {
    let rows = (0..n)
        .map(|i| top_mean(sim[i * m..(i + 1) * m].to_vec(), k))
        .collect();
    let cols = (0..m)
        .map(|j| top_mean((0..n).map(|i| sim[i * m + j]).collect(), k))
        .collect();
    (rows, cols)
}

/// The mean of the `k` largest of `v` (all of them when fewer).
fn top_mean(mut v: Vec<f32>, k: usize) -> f32 {
    v.sort_by(|x, y| y.total_cmp(x));
    let k = k.clamp(1, v.len().max(1));
    v.iter().take(k).sum::<f32>() / k as f32
}

const NO_SPAN: Span = Span { start: 0, end: 0 };

/// Characters of each sentence kept in [`TranslatedSentence`].
pub const SENTENCE_CHARS: usize = 160;

/// Sentence pairs listed in [`Translation::sentences`].
pub const MAX_LISTED: usize = 12;

/// An aligned sentence pair as evidence: each side's wording (cut at
/// [`SENTENCE_CHARS`] characters) and byte span in its original text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranslatedSentence {
    pub a: String,
    pub b: String,
    pub a_span: Span,
    pub b_span: Span,
    pub cosine: f32,
}

/// What a cross-language verdict read: the languages, where the story was
/// first reported, the coverage and the aligned sentences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Translation {
    pub a_language: String,
    pub b_language: String,
    /// The source side's language, when the direction is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_reported_in: Option<String>,
    /// Share of each side's (embedded) sentences aligned.
    pub a_coverage: f64,
    pub b_coverage: f64,
    /// The first [`MAX_LISTED`] aligned pairs, in order.
    pub sentences: Vec<TranslatedSentence>,
    /// Aligned pairs beyond those listed.
    #[serde(default)]
    pub more_sentences: usize,
}

/// The verdict on two texts in different languages from their sentence
/// vectors (`a_vectors[k]`: sentence `k` of `a.doc`, the first
/// [`CrossConfig::max_sentences`]), and the alignment as the lexical
/// aligner would report it (for the change report and the side-by-side
/// view).
pub fn cross_verdict(
    a: Party<'_>,
    b: Party<'_>,
    a_vectors: &[Vec<f32>],
    b_vectors: &[Vec<f32>],
    config: &CrossConfig,
    wholly_above: f64,
) -> (Verdict, Alignment) {
    let chain = align_embedded(a_vectors, b_vectors, config);
    let alignment = to_alignment(a.doc, b.doc, &chain, a_vectors.len(), b_vectors.len());
    let (na, nb) = (a_vectors.len().max(1), b_vectors.len().max(1));
    let (ca, cb) = covered(&chain, na, nb);
    let mean = if chain.is_empty() {
        0.0
    } else {
        chain.iter().map(|p| f64::from(p.cosine)).sum::<f64>() / chain.len() as f64
    };
    let anchors = anchors_kept(a.doc, b.doc, &chain);
    let (names, numbers) = (anchors.names, anchors.numbers);
    let features = PairFeatures {
        a_words: a.doc.word_count(),
        b_words: b.doc.word_count(),
        a_coverage: ca,
        b_coverage: cb,
        cov_high: ca.max(cb),
        cov_low: ca.min(cb),
        pairs: chain.len(),
        mean_similarity: mean,
        order: if chain.len() > 1 { 1.0 } else { 0.0 },
        name_retention: names,
        name_retention_best: names,
        // Near misses count as kept names for the name fidelity.
        name_garbled: 1.0 - names,
        number_retention: numbers,
        lockstep: ca.min(cb),
        ..Default::default()
    };
    let needed = config.min_pairs.min(na.min(nb));
    let whole =
        !chain.is_empty() && chain.len() >= needed && features.cov_high >= config.min_coverage;
    // A translated passage inside material of its own: a few sentences in
    // a row, translated in order (the cross-language counterpart of the
    // lexical reuse node's copied passage).
    let run = longest_run(&chain);
    let passage = !whole && chain.len() >= config.min_pairs && run >= config.passage_run;
    // Sentences that line up but carry other figures are two events of one
    // kind, not a translation.
    let translated = (whole || passage) && !(config.figures && anchors.figures_disagree());
    // A rule, not a fitted model: how far the coverage is past its bar; a
    // passage, how long its run is.
    let p = if !translated {
        0.0
    } else if whole {
        (0.5 + 0.5 * (features.cov_high - config.min_coverage) / (1.0 - config.min_coverage))
            .clamp(0.5, 0.99)
    } else if passage {
        (0.5 + 0.05 * run as f64).min(0.75)
    } else {
        0.0
    };
    let features = PairFeatures {
        longest_run: run,
        ..features
    };
    let probabilities = Relation::ALL
        .iter()
        .map(|&r| {
            let x = match r {
                Relation::Translated => p,
                Relation::Unrelated => 1.0 - p,
                _ => 0.0,
            };
            (r, x)
        })
        .collect();
    let (relation, confidence) = if translated {
        (Relation::Translated, p)
    } else {
        (Relation::Unrelated, 1.0 - p)
    };
    let mut evidence = Vec::new();
    let mut direction = None;
    let mut degree_basis = None;
    if translated {
        evidence = direction::evidence(a, b, Relation::Translated, &features, None);
        for (side, this, other) in [(Side::A, a, b), (Side::B, b, a)] {
            if let Some((phrase, span)) = translation_note(&this.article.text, other) {
                evidence.push(DirectionEvidence::Attribution { side, phrase, span });
            }
        }
        direction = direction::decide(&evidence);
        degree_basis = Some(degree_basis_of(
            Relation::Translated,
            &features,
            direction.map(|d| d.source.other()),
            super::degree::WhollyBars::share(wholly_above),
        ));
    }
    let lang = |p: &Party| p.article.language.clone().unwrap_or_default();
    let first_reported_in = direction.map(|d| match d.source {
        Side::A => lang(&a),
        Side::B => lang(&b),
    });
    let listed = chain
        .iter()
        .take(MAX_LISTED)
        .map(|p| {
            let side = |doc: &TextDoc, k: usize, len: u8| {
                let s = sentences_of(doc, k, len);
                let text: String = doc.text(s).chars().take(SENTENCE_CHARS).collect();
                (text, doc.to_original_span(s))
            };
            let ((at, asp), (bt, bsp)) = (side(a.doc, p.a, p.shape.a), side(b.doc, p.b, p.shape.b));
            TranslatedSentence {
                a: at,
                b: bt,
                a_span: asp,
                b_span: bsp,
                cosine: p.cosine,
            }
        })
        .collect();
    let translation = Translation {
        a_language: lang(&a),
        b_language: lang(&b),
        first_reported_in,
        a_coverage: ca,
        b_coverage: cb,
        sentences: listed,
        more_sentences: chain.len().saturating_sub(MAX_LISTED),
    };
    let verdict = Verdict {
        relation,
        confidence,
        probabilities,
        direction,
        degree: degree_basis.map(super::degree::DegreeBasis::degree),
        degree_basis,
        features,
        direction_evidence: evidence,
        translation: Some(Box::new(translation)),
        two_reports: None,
        two_reports_if: None,
    };
    (verdict, alignment)
}

/// The chain as an [`Alignment`] of 1:1 pairs (score: the cosine), with
/// sentence coverage of the embedded sentences.
fn to_alignment(
    a: &TextDoc,
    b: &TextDoc,
    chain: &[SentencePair],
    na: usize,
    nb: usize,
) -> Alignment {
    let pairs: Vec<AlignedPair> = chain
        .iter()
        .map(|p| {
            let (sa, sb) = (
                sentences_of(a, p.a, p.shape.a),
                sentences_of(b, p.b, p.shape.b),
            );
            AlignedPair {
                a: p.a..p.a + usize::from(p.shape.a),
                b: p.b..p.b + usize::from(p.shape.b),
                shape: p.shape,
                score: p.cosine,
                exact: false,
                moved: false,
                partial: false,
                a_clean: sa,
                b_clean: sb,
                a_original: a.to_original_span(sa),
                b_original: b.to_original_span(sb),
            }
        })
        .collect();
    let chars = |d: &TextDoc, n: usize, side_a: bool| {
        let total: usize = d.sentences.iter().take(n).map(|s| s.end - s.start).sum();
        let kept: usize = chain
            .iter()
            .flat_map(|p| {
                let (k, len) = if side_a {
                    (p.a, p.shape.a)
                } else {
                    (p.b, p.shape.b)
                };
                k..k + usize::from(len)
            })
            .filter_map(|k| d.sentences.get(k))
            .map(|s| s.end - s.start)
            .sum();
        if total == 0 {
            0.0
        } else {
            kept as f64 / total as f64
        }
    };
    let (share_a, share_b) = covered(chain, na, nb);
    let mean = if chain.is_empty() {
        0.0
    } else {
        chain.iter().map(|p| f64::from(p.cosine)).sum::<f64>() / chain.len() as f64
    };
    Alignment {
        summary: AlignmentSummary {
            a_sentences: a.sentences.len(),
            b_sentences: b.sentences.len(),
            coverage_a: Coverage {
                sentences: if na == 0 { 0.0 } else { share_a },
                chars: chars(a, na, true),
            },
            coverage_b: Coverage {
                sentences: if nb == 0 { 0.0 } else { share_b },
                chars: chars(b, nb, false),
            },
            mean_similarity: mean,
            exact_share: 0.0,
            order_agreement: (chain.len() > 1).then_some(1.0),
            // Counted in pairs, the same on both sides.
            longest_run: longest_run(chain),
            longest_run_b: longest_run(chain),
            pairs: chain.len(),
            moved_pairs: 0,
        },
        pairs,
        a_spans: a.sentences.clone(),
        b_spans: b.sentences.clone(),
        ..Default::default()
    }
}

/// Share of each side's `na` and `nb` sentences the chain covers.
fn covered(chain: &[SentencePair], na: usize, nb: usize) -> (f64, f64) {
    let (ka, kb) = chain.iter().fold((0usize, 0usize), |(x, y), p| {
        (x + usize::from(p.shape.a), y + usize::from(p.shape.b))
    });
    (ka as f64 / na.max(1) as f64, kb as f64 / nb.max(1) as f64)
}

/// The text of sentences `k .. k + len` of `doc`, and their span.
fn sentences_of(doc: &TextDoc, k: usize, len: u8) -> Span {
    let first = doc.sentences.get(k).copied().unwrap_or(NO_SPAN);
    let last = doc
        .sentences
        .get(k + usize::from(len).max(1) - 1)
        .copied()
        .unwrap_or(first);
    Span {
        start: first.start,
        end: last.end.max(first.end),
    }
}

fn longest_run(chain: &[SentencePair]) -> usize {
    let (mut best, mut run) = (0, 0);
    for (k, p) in chain.iter().enumerate() {
        run = match k.checked_sub(1).map(|x| chain[x]) {
            Some(q)
                if q.a + usize::from(q.shape.a) == p.a && q.b + usize::from(q.shape.b) == p.b =>
            {
                run + 1
            }
            _ => 1,
        };
        best = best.max(run);
    }
    best
}

/// What the aligned sentences' anchors say: of the Latin-script names of
/// either side that the partner writes exactly or nearly (see
/// [`crate::changes::cross`]), the share written exactly; of the numbers
/// of A's aligned sentences, the share its partner sentence carries too (by
/// value); and whether the figures disagree ([`Anchors::figures_disagree`]).
/// A name the partner lacks altogether says nothing across languages
/// (German writes every noun with a capital; translators rephrase).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Anchors {
    names: f64,
    numbers: f64,
    /// Numbers in A's aligned sentences and how many B's partner holds;
    /// the same the other way.
    a_numbers: (usize, usize),
    b_numbers: (usize, usize),
}

/// Numbers a side's aligned sentences must hold before their agreement
/// counts ([`Anchors::figures_disagree`]).
pub const FIGURES_THAT_SPEAK: usize = 3;

impl Anchors {
    /// Whether the aligned sentences tell other facts: a side holding at
    /// least [`FIGURES_THAT_SPEAK`] numbers finds fewer than half of them
    /// in its partner sentences, and no such side finds half. A
    /// translation carries its source's figures (a translator's slip or a
    /// converted unit is one figure among several); two reports of two
    /// events of one kind line up sentence for sentence ("the plant opened
    /// in 1971 and employed 2,000" against "built in 1968, it employed
    /// nearly three thousand") with other figures. Number words the reader
    /// of a language does not know count as not found, hence both sides
    /// are read and either may speak for the pair.
    fn figures_disagree(&self) -> bool {
        let speaks = |(n, _): (usize, usize)| n >= FIGURES_THAT_SPEAK;
        let agrees = |(n, k): (usize, usize)| 2 * k >= n;
        let sides = [self.a_numbers, self.b_numbers];
        sides.iter().any(|&x| speaks(x)) && !sides.iter().any(|&x| speaks(x) && agrees(x))
    }
}

fn anchors_kept(a: &TextDoc, b: &TextDoc, chain: &[SentencePair]) -> Anchors {
    use crate::changes::cross::{name_in, names, values};
    let (mut names_found, mut names_exact) = (0usize, 0);
    let (mut a_numbers, mut b_numbers) = ((0usize, 0usize), (0usize, 0usize));
    for p in chain {
        let (sa, sb) = (
            a.text(sentences_of(a, p.a, p.shape.a)),
            b.text(sentences_of(b, p.b, p.shape.b)),
        );
        let (va, vb) = (values(sa, a.language), values(sb, b.language));
        let found = |x: &crate::changes::cross::Value, ys: &[crate::changes::cross::Value]| {
            ys.iter()
                .any(|y| crate::changes::numbers::same_value(x.value, y.value))
        };
        for v in &va {
            a_numbers.0 += 1;
            a_numbers.1 += usize::from(found(v, &vb));
        }
        for v in &vb {
            b_numbers.0 += 1;
            b_numbers.1 += usize::from(found(v, &va));
        }
        for n in names(sa) {
            if let Some((_, exact)) = name_in(&n.text, a.language, sb, b.language) {
                names_found += 1;
                names_exact += usize::from(exact);
            }
        }
    }
    let share = |k: usize, n: usize| if n == 0 { 1.0 } else { k as f64 / n as f64 };
    Anchors {
        names: share(names_exact, names_found),
        numbers: share(a_numbers.1, a_numbers.0),
        a_numbers,
        b_numbers,
    }
}

/// Translation notes: the phrase and the language or outlet named after it.
static NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(translated\s+from(?:\s+the)?|translation\s+(?:of|from)(?:\s+the)?|übersetzt\s+(?:aus|von)(?:\s+dem|\s+der)?|übersetzung\s+(?:aus|von)(?:\s+dem|\s+der)?|aus\s+dem|traduit\s+(?:de|du)(?:\s+l')?|traduction\s+(?:de|du)(?:\s+l')?|traducido\s+del?|traducción\s+del?|tradotto\s+da(?:l|ll')?)\s*([\p{L}][\p{L} .'-]{1,40})",
    )
    .unwrap_or_else(|_| unreachable!("the translation note pattern is valid"))
});

/// Names of a language in en, de, fr, es and it, folded, by ISO code.
const LANGUAGE_NAMES: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "english",
            "englischen",
            "englisch",
            "anglais",
            "ingles",
            "inglés",
            "inglese",
        ],
    ),
    (
        "de",
        &[
            "german",
            "deutschen",
            "deutsch",
            "allemand",
            "aleman",
            "alemán",
            "tedesco",
        ],
    ),
    (
        "fr",
        &[
            "french",
            "französischen",
            "franzosischen",
            "französisch",
            "francais",
            "français",
            "frances",
            "francés",
            "francese",
        ],
    ),
    (
        "es",
        &[
            "spanish",
            "spanischen",
            "spanisch",
            "espagnol",
            "espanol",
            "español",
            "spagnolo",
        ],
    ),
    (
        "it",
        &[
            "italian",
            "italienischen",
            "italienisch",
            "italien",
            "italiano",
        ],
    ),
];

/// Names of a language in Japanese and in Chinese (simplified and
/// traditional), by ISO code: notes in those languages name the language
/// before the verb ("英語から翻訳", "译自英文").
const CJK_LANGUAGE_NAMES: &[(&str, &[&str])] = &[
    ("en", &["英語", "英语", "英文"]),
    ("de", &["ドイツ語", "德语", "德語", "德文"]),
    ("fr", &["フランス語", "法语", "法語", "法文"]),
    ("es", &["スペイン語", "西班牙语", "西班牙語", "西班牙文"]),
    ("it", &["イタリア語", "意大利语", "意大利語"]),
    ("ru", &["ロシア語", "俄语", "俄語", "俄文"]),
    ("ja", &["日本語", "日语", "日文"]),
    ("zh", &["中国語", "中文", "汉语", "漢語"]),
];

/// A note in Japanese or Chinese that `text` was translated from the
/// language `language`: "英語から翻訳", "英語からの翻訳", "英語より翻訳",
/// "译自英文", "翻译自英语", "譯自英文", "英文翻译".
fn cjk_translation_note(text: &str, language: &str) -> Option<(String, Span)> {
    let names = CJK_LANGUAGE_NAMES
        .iter()
        .find(|(code, _)| *code == language)?
        .1;
    for name in names {
        let forms = [
            format!("{name}から翻訳"),
            format!("{name}からの翻訳"),
            format!("{name}より翻訳"),
            format!("翻译自{name}"),
            format!("翻譯自{name}"),
            format!("译自{name}"),
            format!("譯自{name}"),
            format!("{name}翻译"),
            format!("{name}翻譯"),
        ];
        for form in forms {
            if let Some(start) = text.find(&form) {
                let span = Span {
                    start,
                    end: start + form.len(),
                };
                return Some((form, span));
            }
        }
    }
    None
}

/// A translation note in `text` that names `other`'s language or outlet
/// ("translated from English", "Aus dem Englischen übersetzt", "traduit de
/// l'anglais", "英語から翻訳"), with its byte span.
pub fn translation_note(text: &str, other: Party<'_>) -> Option<(String, Span)> {
    let language = other.article.language.as_deref()?;
    if let Some(note) = cjk_translation_note(text, language) {
        return Some(note);
    }
    let names: Vec<&str> = LANGUAGE_NAMES
        .iter()
        .find(|(code, _)| *code == language)
        .map(|x| x.1.to_vec())
        .unwrap_or_default();
    for cap in NOTE.captures_iter(text) {
        let (Some(whole), Some(named)) = (cap.get(0), cap.get(2)) else {
            continue;
        };
        let named = named.as_str().to_lowercase();
        let first = named.split_whitespace().next().unwrap_or("");
        let names_language = names.iter().any(|n| first.trim_end_matches('.') == *n);
        let names_outlet =
            direction::attribution_to(&format!("via {}", cap[2].trim()), other.article).is_some();
        if names_language || names_outlet {
            // The note up to the language named, or to the end of its
            // sentence for an outlet.
            let end = if names_language {
                cap.get(2).map_or(whole.end(), |n| {
                    n.start() + n.as_str().find(char::is_whitespace).unwrap_or(n.len())
                })
            } else {
                whole.end()
            };
            let phrase = text.get(whole.start()..end).unwrap_or("");
            let phrase = phrase.trim().trim_end_matches(['.', ',', ';']);
            return Some((
                phrase.to_string(),
                Span {
                    start: whole.start(),
                    end: whole.start() + phrase.len(),
                },
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{ArticleDraft, Origin};

    #[test]
    fn chain_is_monotone_and_skips_low_pairs() {
        let config = CrossConfig::default();
        let a = vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![0.7, 0.7]];
        let b = vec![vec![0.0, 1.0], vec![1.0, 0.0]];
        // Crossing pairs cannot both be taken: one of (0,1) and (1,0).
        let c = align_embedded(&a, &b, &config);
        assert_eq!(c.len(), 1);
        assert!(align_embedded(&a, &[], &config).is_empty());
        // Nothing reaches a cosine floor above every cosine.
        let high = CrossConfig {
            sentence_floor: 1.1,
            ..config
        };
        assert!(align_embedded(&a, &b, &high).is_empty());
        assert_eq!(longest_run(&[]), 0);
    }

    /// A sentence vector as multilingual-e5 makes them: a large part every
    /// sentence shares (dimension 7) and the sentence's own content.
    fn shared(parts: &[(usize, f32)]) -> Vec<f32> {
        let mut x = vec![0.0; 8];
        x[7] = 2.0;
        for &(k, w) in parts {
            x[k] += w;
        }
        x
    }

    #[test]
    fn a_sentence_may_pair_with_two_of_the_other_text() {
        // Five source sentences; the translation keeps sentences 1 and 2
        // (a quote of two sentences) in one sentence of its own.
        let a: Vec<Vec<f32>> = (0..5).map(|k| shared(&[(k, 1.0)])).collect();
        let b = vec![
            shared(&[(0, 0.9)]),
            shared(&[(1, 0.7), (2, 0.7)]),
            shared(&[(3, 0.9)]),
            shared(&[(4, 0.9)]),
        ];
        let config = CrossConfig::default();
        let chain = align_embedded(&a, &b, &config);
        let shapes: Vec<(usize, usize, u8, u8)> = chain
            .iter()
            .map(|p| (p.a, p.b, p.shape.a, p.shape.b))
            .collect();
        assert_eq!(
            shapes,
            vec![(0, 0, 1, 1), (1, 1, 2, 1), (3, 2, 1, 1), (4, 3, 1, 1)]
        );
        assert_eq!(covered(&chain, 5, 4), (1.0, 1.0));
        assert_eq!(longest_run(&chain), 4);
        // The same read the other way is a 1:2 merge.
        let back = align_embedded(&b, &a, &config);
        assert!(back
            .iter()
            .any(|p| (p.a, p.b, p.shape) == (1, 1, Shape { a: 1, b: 2 })));
        // Without merges one sentence of the quote stays unaligned.
        let off = CrossConfig {
            merges: false,
            ..config
        };
        let one = align_embedded(&a, &b, &off);
        assert_eq!(covered(&one, 5, 4), (0.8, 1.0));
        // A sentence next to one it does not translate is not merged with
        // it: the neighbour dilutes the match.
        let b = vec![
            shared(&[(0, 0.9)]),
            shared(&[(5, 1.0)]),
            shared(&[(3, 0.9)]),
        ];
        let chain = align_embedded(&a, &b, &config);
        assert!(chain.iter().all(|p| p.shape == Shape::ONE), "{chain:?}");
    }

    #[test]
    fn the_margin_does_not_depend_on_the_level_of_the_cosines() {
        // The same text pair twice: with cosines of 0.91 against 0.80 (a
        // language pair the model places close) and 0.85 against 0.75
        // (one it places further apart). The translated sentence stands
        // out by the same ratio, so both align fully; an absolute floor of
        // 0.87 would keep only the first.
        let matrix = |hit: f32, miss: f32| -> Vec<f32> {
            (0..5)
                .flat_map(|i| (0..5).map(move |j| if i == j { hit } else { miss }))
                .collect()
        };
        for (hit, miss) in [(0.91, 0.80), (0.85, 0.75)] {
            let m = ratio_margins(&matrix(hit, miss), 5, 5, 4);
            let on = m[0];
            let off = m[1];
            assert!(on > 1.04 && off < 1.0, "{hit} {miss}: {on} {off}");
        }
        // Every sentence as close to every other: nothing stands out.
        let flat = ratio_margins(&[0.9; 9], 3, 3, 4);
        assert!(flat.iter().all(|&x| (x - 1.0).abs() < 1e-6));
    }

    fn article(text: &str, language: &str, source: &str) -> crate::article::Article {
        ArticleDraft {
            text: text.into(),
            language: Some(language.into()),
            source: Some(source.into()),
            ..Default::default()
        }
        .finish(Origin::whole("t"))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Unit vector `k` of dimension 24, nudged towards dimension 23 by
    /// `nudge` (a translation is close to its source, not equal).
    fn unit(k: usize, nudge: f32) -> Vec<f32> {
        let mut v = vec![0.0; 24];
        v[k] = 1.0;
        v[23] += nudge;
        v
    }

    /// The cross-language verdict of `a` against `b` from the given
    /// sentence vectors (no outlets known, `wholly_above` 0.86).
    fn verdict_with(
        a: (&crate::article::Article, &TextDoc),
        b: (&crate::article::Article, &TextDoc),
        va: &[Vec<f32>],
        vb: &[Vec<f32>],
        config: &CrossConfig,
    ) -> Verdict {
        let outlets = super::super::Outlets::default();
        let party = |(article, doc)| Party {
            article,
            doc,
            outlets: &outlets,
        };
        cross_verdict(party(a), party(b), va, vb, config, 0.86).0
    }

    #[test]
    fn a_translated_passage_is_a_partial_translation() {
        // No figures in the sentences (the vectors say what translates what).
        const WORDS: [&str; 10] = [
            "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
            "juliett",
        ];
        let en: Vec<String> = WORDS
            .iter()
            .map(|w| format!("Sentence {w} of the report."))
            .collect();
        let de: Vec<String> = WORDS[..8]
            .iter()
            .map(|w| format!("Satz {w} des Berichts."))
            .collect();
        let en = article(&en.join(" "), "en", "Wexcombe Chronicle");
        let de = article(&de.join(" "), "de", "Lindenhager Anzeiger");
        let doc_en = crate::text::analyze(&en.text, Some("en"));
        let doc_de = crate::text::analyze(&de.text, Some("de"));
        assert_eq!((doc_en.sentences.len(), doc_de.sentences.len()), (10, 8));
        let en_vectors: Vec<Vec<f32>> = (0..10).map(|k| unit(k, 0.0)).collect();
        // German sentences 3, 4, 5 translate English 2, 3, 4 (a passage);
        // the rest are the German writer's own (dimensions 10-22).
        let passage: Vec<Vec<f32>> = (0..8)
            .map(|k| match k {
                3..=5 => unit(k - 1, 0.3),
                _ => unit(12 + k, 0.0),
            })
            .collect();
        // The same three sentences scattered, one here and one there, are
        // what two reports of one event share: no passage.
        let scattered: Vec<Vec<f32>> = (0..8)
            .map(|k| match k {
                1 => unit(1, 0.3),
                4 => unit(5, 0.3),
                7 => unit(9, 0.3),
                _ => unit(12 + k, 0.0),
            })
            .collect();
        let verdict = |de_vectors: &[Vec<f32>], config: &CrossConfig| {
            let v = verdict_with(
                (&en, &doc_en),
                (&de, &doc_de),
                &en_vectors,
                de_vectors,
                config,
            );
            (v.relation, v.degree, v.features.longest_run)
        };
        let config = CrossConfig::default();
        assert_eq!(
            verdict(&passage, &config),
            (
                Relation::Translated,
                Some(super::super::Degree::Partially),
                3
            )
        );
        assert_eq!(verdict(&scattered, &config).0, Relation::Unrelated);
        let off = CrossConfig {
            passage_run: usize::MAX,
            ..config
        };
        assert_eq!(verdict(&passage, &off).0, Relation::Unrelated);
    }

    #[test]
    fn sentences_that_line_up_with_other_figures_are_no_translation() {
        let en = article(
            "The plant opened in 1971 and employed 2,000 people. It made 40,000 brake \
             discs a year. Orders fell by 30 percent last year. The union said it was \
             shocked.",
            "en",
            "Allied Press",
        );
        // Another plant's closure, told in the same order: other figures.
        let other = article(
            "Das Werk wurde 1968 eröffnet und beschäftigte 3.000 Menschen. Es stellte \
             jährlich 25.000 Kupplungen her. Die Aufträge sanken im vergangenen Jahr um 12 \
             Prozent. Die Gewerkschaft zeigte sich schockiert.",
            "de",
            "Börsen-Bote",
        );
        // A translation with one figure altered (30 → 13).
        let translation = article(
            "Das Werk wurde 1971 eröffnet und beschäftigte 2.000 Menschen. Es stellte \
             jährlich 40.000 Bremsscheiben her. Die Aufträge sanken im vergangenen Jahr um \
             13 Prozent. Die Gewerkschaft zeigte sich schockiert.",
            "de",
            "Elbe-Kurier",
        );
        let doc_en = crate::text::analyze(&en.text, Some("en"));
        let vectors: Vec<Vec<f32>> = (0..4).map(|k| unit(k, 0.3)).collect();
        let verdict = |de: &crate::article::Article, config: &CrossConfig| {
            let doc_de = crate::text::analyze(&de.text, Some("de"));
            assert_eq!(doc_de.sentences.len(), 4);
            verdict_with((&en, &doc_en), (de, &doc_de), &vectors, &vectors, config).relation
        };
        let config = CrossConfig::default();
        assert_eq!(verdict(&translation, &config), Relation::Translated);
        assert_eq!(verdict(&other, &config), Relation::Unrelated);
        let off = CrossConfig {
            figures: false,
            ..config
        };
        assert_eq!(verdict(&other, &off), Relation::Translated);
        // Fewer than three figures say nothing either way.
        let few = Anchors {
            names: 1.0,
            numbers: 0.0,
            a_numbers: (2, 0),
            b_numbers: (2, 0),
        };
        assert!(!few.figures_disagree());
        let words_unread = Anchors {
            a_numbers: (4, 1),
            b_numbers: (3, 2),
            ..few
        };
        assert!(!words_unread.figures_disagree());
    }

    #[test]
    fn translation_notes_name_the_other_language() {
        let en = article("The council met on Monday.", "en", "Wexcombe Chronicle");
        let de = article(
            "Der Rat tagte am Montag. Aus dem Englischen übersetzt von Anna Weber.",
            "de",
            "Lindenhager Anzeiger",
        );
        let pa = |a: &crate::article::Article| a.clone();
        let (en, de) = (pa(&en), pa(&de));
        let doc_en = crate::text::analyze(&en.text, Some("en"));
        let doc_de = crate::text::analyze(&de.text, Some("de"));
        let outlets = super::super::Outlets::default();
        let party = |a, d| Party {
            article: a,
            doc: d,
            outlets: &outlets,
        };
        let note = translation_note(&de.text, party(&en, &doc_en));
        assert_eq!(note.map(|n| n.0).as_deref(), Some("Aus dem Englischen"));
        // The English text names no translation.
        assert!(translation_note(&en.text, party(&de, &doc_de)).is_none());
        // A note naming another language than the other text's is no evidence.
        let fr = "Traduit de l'espagnol par la rédaction.";
        assert!(translation_note(fr, party(&en, &doc_en)).is_none());
        let fr = "Traduit de l'anglais par la rédaction.";
        assert!(translation_note(fr, party(&en, &doc_en)).is_some());
        let en2 = "This report was translated from the Lindenhager Anzeiger.";
        assert!(translation_note(en2, party(&de, &doc_de)).is_some());
        // Japanese and Chinese name the language before the verb.
        let ja = "ウェクスリーは21位につけている。  （英語から翻訳）";
        let note = translation_note(ja, party(&en, &doc_en));
        assert_eq!(note.as_ref().map(|n| n.0.as_str()), Some("英語から翻訳"));
        let span = note.map(|n| n.1).expect("a span");
        assert_eq!(&ja[span.start..span.end], "英語から翻訳");
        assert!(translation_note("本文译自英文原稿。", party(&en, &doc_en)).is_some());
        // The German text's language is not English.
        assert!(translation_note(ja, party(&de, &doc_de)).is_none());
    }
}
