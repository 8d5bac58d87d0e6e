//! The numbers a verdict is decided from: alignment summary plus surface
//! measures of the aligned text (word and name retention, shingles).

use std::collections::HashMap;

use rustc_hash::FxHashSet;

use serde::{Deserialize, Serialize};

use crate::align::Alignment;
use crate::features::sketch::intersect_count_merge;
use crate::text::{TextDoc, Token, TokenKind};

/// Features of an ordered pair (A, B), computed from their alignment.
///
/// "Small" and "large" name the side with the higher and the lower
/// coverage, so the features of (A, B) and (B, A) are the same apart from
/// the `a_`/`b_` fields.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct PairFeatures {
    /// Words in A and in B.
    pub a_words: usize,
    pub b_words: usize,
    /// Share of A's and of B's sentence characters aligned.
    pub a_coverage: f64,
    pub b_coverage: f64,
    /// The higher and the lower of the two coverages.
    pub cov_high: f64,
    pub cov_low: f64,
    /// Aligned pairs and the mean of their similarities.
    pub pairs: usize,
    pub mean_similarity: f64,
    /// Share of aligned pairs identical in letters and digits.
    pub exact_share: f64,
    /// Kendall's tau of the aligned positions (0 with fewer than two pairs).
    pub order: f64,
    /// Longest run of adjacent pairs in sentences of one side, and that run
    /// over the side's sentence count: the side where that share is the
    /// smaller, so that the figures do not depend on which text is A.
    pub longest_run: usize,
    pub run_share: f64,
    /// Share of the aligned pairs found out of order.
    pub moved_share: f64,
    /// Of the word tokens in aligned sentences, the share also present
    /// (same lower-cased surface form) in the partner sentence, averaged over
    /// both sides. A paraphrase keeps names and content words; a spinner or
    /// a round-trip translation swaps most of them.
    pub word_retention: f64,
    /// The same for capitalized words not at a sentence start (names), and
    /// for numbers; 1 when there are none.
    pub name_retention: f64,
    pub number_retention: f64,
    /// The name retention of the side whose names the partner keeps best,
    /// among the sides with at least [`SIDE_NAMES_MIN`] names in aligned
    /// sentences (else the pooled [`PairFeatures::name_retention`]): a
    /// short summary names few of its source's people and keeps every one
    /// it names, while its source's other names lower the pooled share.
    /// Fewer names say nothing: two one-sentence reports of one event
    /// share the two names any report of it gives.
    #[serde(default = "one")]
    pub name_retention_best: f64,
    /// Jaccard of the sets of lower-cased word 5-shingles of the two texts.
    pub shingle_jaccard: f64,
    /// Shared 5-shingles over the shingles of the smaller text: copied
    /// passages inside a longer or shorter text score high here while their
    /// Jaccard stays low.
    pub shingle_containment: f64,
    /// Distinct names (capitalized words inside sentences) and numbers that
    /// both texts use anywhere: reports of one event share people, places
    /// and figures; look-alike stories of the same kind share few.
    pub shared_names: usize,
    pub shared_numbers: usize,
    /// Of the names in aligned sentences, the share whose partner sentence
    /// has instead a near miss ("Okafor" / "Okafur", edit distance 1–2):
    /// spinners and machine translation garble names, rewriters do not.
    pub name_garbled: f64,
    /// Share of the sentences (mean of both sides) in step with the
    /// partner's: on the alignment's monotone chain, or between two of its
    /// pairs with as many unaligned sentences on each side. A spinner or a
    /// translation keeps every sentence where it was, so the sentences the
    /// aligner cannot match for the changed wording still sit in equal gaps;
    /// an independent report's few matches seldom leave equal gaps.
    #[serde(default)]
    pub lockstep: f64,
    /// Share of A's and of B's distinct word 3-grams (lower-cased, stop
    /// words included) found anywhere in the other text, quotations left
    /// out. Asymmetric on purpose: a newspaper article that takes four
    /// sentences of a wire story into new material of its own keeps a
    /// small share of the wire's 3-grams, but a telling share of its own
    /// come from the wire. Quotations are left out because independent
    /// reporters quote the same speaker word for word: with them, BASIL's
    /// independent reports of one event share a median 0.056 of their
    /// 3-grams (tenth highest 0.25); without, 0.034 (0.068).
    #[serde(default)]
    pub a_trigram_containment: f64,
    #[serde(default)]
    pub b_trigram_containment: f64,
    /// Share of A's and of B's distinct content words (stop words and
    /// quotations left out) found anywhere in the other: a text written
    /// from another takes its vocabulary even where it rewords.
    #[serde(default)]
    pub a_vocab_containment: f64,
    #[serde(default)]
    pub b_vocab_containment: f64,
    /// Share of A's and of B's words (outside quotations) inside a passage
    /// of at least [`PASSAGE_WORDS`] words, names and figures not counted,
    /// that the other text has word for word: copied passages, the
    /// evidence of reuse a reader can check.
    /// Independent reports seldom share one (BASIL: 9% of same-event pairs,
    /// mostly set phrases of a dozen words); a newspaper story that takes
    /// sentences from the wire does.
    #[serde(default)]
    pub a_passage_share: f64,
    #[serde(default)]
    pub b_passage_share: f64,
    /// Share of A's and of B's distinct *phrasing* 3-grams found among the
    /// other's 3-grams: word 3-grams outside quotations with no number and
    /// no name in them. Independent reports of one event share its facts
    /// (names, figures: "Marine Minister Halvard Brennock", "from 42,000
    /// tonnes to 25,200 tonnes"); a text written from another shares the
    /// ordinary words around them ("would fall from", "told the
    /// assembly"), even where it rewords. Without names and numbers the
    /// 3-grams BASIL's independent reports share fall from a median 0.023
    /// to 0.014 (90th percentile 0.047 to 0.034), while COUNTER's
    /// partially derived pairs keep 0.060 (Urdu has no letter case, so
    /// only numbers are taken out there). Read through the wording node
    /// (`Model::wording`) against its background.
    #[serde(default)]
    pub a_phrase_containment: f64,
    #[serde(default)]
    pub b_phrase_containment: f64,
    /// Distinct names (capitalized words inside sentences) in A and in B,
    /// and how many of them are A's or B's *own*: used in a sentence the
    /// alignment left unmatched, never used by the other text in any form
    /// (a name at a sentence start, or lower-cased, is still the name),
    /// and no near miss of a name it has ("Okafor" / "Okafur" is one name
    /// garbled). A version made from another text brings no names of its
    /// own: a desk cuts, reorders and rewords, a spinner swaps words inside
    /// the sentences it keeps (PAN's synonym spinner makes "King Street
    /// Station" "Sovereign Alley Facility": new capitalized words, but in
    /// matched sentences). A reporter who was there, or who rang round,
    /// writes sentences of their own about people the other never names:
    /// a witness, a councillor, a street. Read by
    /// [`Model::own_reporting`](super::model::Model::own_reporting), and
    /// counted ([`PairFeatures::count_own_material`]) only for a pair the
    /// verdict first reads as a rewrite or a spun copy (0 otherwise).
    #[serde(default)]
    pub a_names: usize,
    #[serde(default)]
    pub b_names: usize,
    #[serde(default)]
    pub a_own_names: usize,
    #[serde(default)]
    pub b_own_names: usize,
    /// Distinct figures (number tokens) of A and of B the other text never
    /// has, used in a sentence the alignment left unmatched or matched with
    /// sentences that give no figure: a figure changed inside a matched
    /// sentence is an edit ("one-fifth" → "five"), a figure in a sentence
    /// of its own, or added to one whose partner had none to change, is a
    /// fact the other never gave (what the withdrawals came to, how much
    /// the police traced). Counted with the own names.
    #[serde(default)]
    pub a_own_numbers: usize,
    #[serde(default)]
    pub b_own_numbers: usize,
    /// Quotations of A and of B (at least [`QUOTE_WORDS`] words) of which
    /// under half the words appear anywhere in the other text: words
    /// someone said that the other never printed. A version can cut or trim
    /// its source's quotes, not quote what its source does not have; a
    /// spinner's synonyms leave most of a quote's small words. Counted with
    /// the own names.
    #[serde(default)]
    pub a_own_quotes: usize,
    #[serde(default)]
    pub b_own_quotes: usize,
    /// Content words A and B tell that the other does not: stems of words
    /// that are no stop word, no name and no figure, outside quotations,
    /// that the other text never uses in any form. A sentence the
    /// alignment left unmatched counts all of its new words; a matched one
    /// only those beyond the words its partner sentence has and this text
    /// lacks (each is paid for by one it lost). What a reporter adds
    /// beyond names and figures ("stills from a dashcam in the car
    /// behind", "his 11-hour shifts") counts; a spinner's or a desk's
    /// swapped words are paid for by the ones they replace, and a brief
    /// cuts and adds none. On our English sets no wholly derived newspaper
    /// text reaches 22, and the independent reports the verdict first reads
    /// as rewrites reach 27 to 83, two short ones aside
    /// ([`OWN_WORDS`](super::degree::OWN_WORDS)).
    /// Counted with the own names, in cased scripts only.
    #[serde(default)]
    pub a_own_words: usize,
    #[serde(default)]
    pub b_own_words: usize,
    /// Whether A, and B, is written in a script without letter case
    /// (Arabic, Urdu, Hebrew, Chinese, Japanese, Thai: most of its words
    /// have letters that are neither capital nor small), where no names
    /// can be read ([`Surface::is_caseless`]). A text in a cased script
    /// written all in small letters is not caseless: its script has case.
    #[serde(default)]
    pub a_caseless: bool,
    #[serde(default)]
    pub b_caseless: bool,
    /// Aligned sentence pairs of which one was written from the other:
    /// the words each side tells in its own voice (outside quotations, no
    /// stop word, no name, no figure; at least [`LIFTED_WORDS`] a side)
    /// are kept in the same form in the partner sentence, [`LIFTED_KEEP`]
    /// or more of them counted over both, and the two share a run of
    /// three words (figures among them) outside quotations: a writer who
    /// copies keeps the phrasing around the words ("rose to … from … a
    /// year earlier"), a reporter who heard the same figures keeps only
    /// the terms ("Its fuel bill rose 4 per cent" / "Fuel cost … 4 per
    /// cent more" shares "4 per cent"; "11 schools are shut" / "Eleven
    /// schools would stay closed" shares none). Two reports of one hearing
    /// align sentence by sentence on its quotations, names and figures,
    /// but each tells them in its own words: BASIL's independent reports
    /// lift none in 142 of 150 pairs, and the independent reports of our
    /// first four English sets at most one in 63 of 66. A text written
    /// from another keeps the wording of some of its sentences even as it
    /// rewords: two or more in 146 of those sets' 194 derived pairs (the
    /// counts per set are in QUALITY.md). Read by [`Model::one_occasion`](super::model::Model::one_occasion).
    /// In a script without letter case no name can be told from another
    /// word, so names count among the own-voice words there; the rule that
    /// reads the count never reads such a pair (own words are not counted
    /// in it).
    #[serde(default)]
    pub lifted_sentences: usize,
}

/// Least length, in words, of a quotation counted as a text's own.
pub const QUOTE_WORDS: usize = 4;

/// Least names a side shows in aligned sentences for its own name
/// retention to count in [`PairFeatures::name_retention_best`]: the bar of
/// three items the own-material rule uses
/// ([`Model::own_material_min`](super::model::Model::own_material_min)).
pub const SIDE_NAMES_MIN: usize = 3;

/// Least words of its own voice each sentence of a lifted pair tells
/// ([`PairFeatures::lifted_sentences`]): a pair of bare attributions ("he
/// said", "the court heard") lifts nothing.
pub const LIFTED_WORDS: usize = 3;

/// Least share of their own-voice words two aligned sentences keep in the
/// same form to be one written from the other
/// ([`PairFeatures::lifted_sentences`]).
pub const LIFTED_KEEP: f64 = 0.6;

/// Least length, in words, of a copied passage.
pub const PASSAGE_WORDS: usize = 8;

impl PairFeatures {
    /// Computes the features of `a` and `b` from their alignment.
    pub fn compute(a: &TextDoc, b: &TextDoc, al: &Alignment) -> PairFeatures {
        PairFeatures::compute_with((a, &Surface::new(a)), (b, &Surface::new(b)), al)
    }

    /// [`PairFeatures::compute`] with each text's [`Surface`] made once
    /// beforehand (an article is compared with many candidates).
    pub fn compute_with(
        (a, fa): (&TextDoc, &Surface),
        (b, fb): (&TextDoc, &Surface),
        al: &Alignment,
    ) -> PairFeatures {
        let s = &al.summary;
        let (a_cov, b_cov) = (s.coverage_a.chars, s.coverage_b.chars);
        let (run_a, run_b) = (
            (s.longest_run, s.a_sentences),
            (s.longest_run_b, s.b_sentences),
        );
        // The run of a side over that side's sentences, on the side where
        // that share is the smaller (a merged block counts its sentences on
        // each side): a stretch of one text lines up with a stretch of the
        // other only as far as both hold it, and either way round the
        // figures are the same.
        let share = |(r, n): (usize, usize)| (ratio(r, n), r);
        let (longest_run, run_sentences) = if share(run_b) < share(run_a) {
            run_b
        } else {
            run_a
        };
        let mut words = Retention::default();
        let mut names = Retention::default();
        let mut side_names = [Retention::default(), Retention::default()];
        let mut numbers = Retention::default();
        let mut garbled = Retention::default();
        // Membership tests only: a faster hash gives the same answers.
        let (mut sa, mut sb) = (FxHashSet::default(), FxHashSet::default());
        let (mut na, mut nb) = (Vec::new(), Vec::new());
        let mut lifted_sentences = 0;
        for p in &al.pairs {
            let ta = token_indices(a, &al.a_spans, p.a.clone());
            let tb = token_indices(b, &al.b_spans, p.b.clone());
            sa.clear();
            sa.extend(ta.clone().map(|k| fa.words[k]));
            sb.clear();
            sb.extend(tb.clone().map(|k| fb.words[k]));
            fa.names_in(ta.clone(), &mut na);
            fb.names_in(tb.clone(), &mut nb);
            for (mine, theirs) in [(&na, &nb), (&nb, &na)] {
                for n in mine {
                    let near = !theirs.iter().any(|o| n.same_name(o))
                        && theirs.iter().any(|o| n.near_miss(o));
                    garbled.add(near);
                }
            }
            if lifted(fa, ta.clone(), &sb, fb, tb.clone(), &sa) {
                lifted_sentences += 1;
            }
            let sides = [(a, fa, ta, &sb), (b, fb, tb, &sa)];
            for (side, (doc, f, toks, other)) in sides.into_iter().enumerate() {
                for k in toks {
                    let t = &doc.tokens[k];
                    let kept = other.contains(&f.words[k]);
                    match t.kind {
                        TokenKind::Number => numbers.add(kept),
                        TokenKind::Word => {
                            if !t.is_stop {
                                words.add(kept);
                            }
                        }
                    }
                    if f.names[k] {
                        names.add(kept);
                        side_names[side].add(kept);
                    }
                }
            }
        }
        let (jaccard, containment) = fa.shingle_overlap(fb, a, b);
        let common_trigrams = intersect_count_merge(&fa.trigrams, &fb.trigrams);
        let common_vocab = intersect_count_merge(&fa.vocab, &fb.vocab);
        let (a_passages, b_passages) = (fa.passage_share(fb), fb.passage_share(fa));
        let a_phrases = intersect_count_merge(&fa.phrases, &fb.trigrams);
        let b_phrases = intersect_count_merge(&fb.phrases, &fa.trigrams);
        PairFeatures {
            a_words: a.word_count(),
            b_words: b.word_count(),
            a_coverage: a_cov,
            b_coverage: b_cov,
            cov_high: a_cov.max(b_cov),
            cov_low: a_cov.min(b_cov),
            pairs: s.pairs,
            mean_similarity: s.mean_similarity,
            exact_share: s.exact_share,
            order: s.order_agreement.unwrap_or(0.0),
            longest_run,
            run_share: ratio(longest_run, run_sentences),
            moved_share: ratio(s.moved_pairs, s.pairs),
            word_retention: words.share(0.0),
            name_retention: names.share(1.0),
            name_retention_best: side_names
                .iter()
                .filter(|r| r.all >= SIDE_NAMES_MIN)
                .map(|r| r.share(1.0))
                .fold(names.share(1.0), f64::max),
            number_retention: numbers.share(1.0),
            shingle_jaccard: jaccard,
            shingle_containment: containment,
            shared_names: intersect_count_merge(&fa.name_set, &fb.name_set),
            shared_numbers: intersect_count_merge(&fa.number_set, &fb.number_set),
            name_garbled: garbled.share(0.0),
            lockstep: lockstep(al),
            a_trigram_containment: ratio(common_trigrams, fa.trigrams.len()),
            b_trigram_containment: ratio(common_trigrams, fb.trigrams.len()),
            a_vocab_containment: ratio(common_vocab, fa.vocab.len()),
            b_vocab_containment: ratio(common_vocab, fb.vocab.len()),
            a_passage_share: a_passages,
            b_passage_share: b_passages,
            a_phrase_containment: ratio(a_phrases, fa.phrases.len()),
            b_phrase_containment: ratio(b_phrases, fb.phrases.len()),
            a_names: fa.name_set.len(),
            b_names: fb.name_set.len(),
            a_own_names: 0,
            b_own_names: 0,
            a_own_numbers: 0,
            b_own_numbers: 0,
            a_own_quotes: 0,
            b_own_quotes: 0,
            a_own_words: 0,
            b_own_words: 0,
            a_caseless: fa.caseless,
            b_caseless: fb.caseless,
            lifted_sentences,
        }
    }

    /// Counts [`PairFeatures::a_own_names`], `a_own_numbers`,
    /// `a_own_quotes` and their `b_` twins. Not done by
    /// [`PairFeatures::compute_with`]: a name the other text does not have
    /// is compared with each of its names for a near miss, which costs
    /// more than the rest of the features on the many candidate pairs that
    /// share little (30% more time on the 10 k synthetic corpus), and the
    /// verdict reads the counts only for a pair it first calls a rewrite or
    /// a spun copy ([`Model::own_reporting`](super::model::Model::own_reporting)).
    pub fn count_own_material(
        &mut self,
        (a, fa): (&TextDoc, &Surface),
        (b, fb): (&TextDoc, &Surface),
        al: &Alignment,
    ) {
        let (mut in_a, mut in_b) = (vec![false; a.tokens.len()], vec![false; b.tokens.len()]);
        // A figure inside a matched sentence is an edit only when the
        // sentence it is matched with gives a figure to edit.
        let (mut edit_a, mut edit_b) = (vec![false; a.tokens.len()], vec![false; b.tokens.len()]);
        let has_figure = |doc: &TextDoc, r: &std::ops::Range<usize>| {
            doc.tokens[r.clone()]
                .iter()
                .any(|t| t.kind == TokenKind::Number)
        };
        // Each aligned pair as token ranges of A and of B.
        let (pairs_a, pairs_b): (Vec<_>, Vec<_>) = al
            .pairs
            .iter()
            .map(|p| {
                (
                    token_indices(a, &al.a_spans, p.a.clone()),
                    token_indices(b, &al.b_spans, p.b.clone()),
                )
            })
            .unzip();
        for (ta, tb) in pairs_a.iter().zip(&pairs_b) {
            if has_figure(b, tb) {
                edit_a[ta.clone()].iter_mut().for_each(|x| *x = true);
            }
            if has_figure(a, ta) {
                edit_b[tb.clone()].iter_mut().for_each(|x| *x = true);
            }
            in_a[ta.clone()].iter_mut().for_each(|x| *x = true);
            in_b[tb.clone()].iter_mut().for_each(|x| *x = true);
        }
        self.a_own_names = fa.own_names(fb, &in_a);
        self.b_own_names = fb.own_names(fa, &in_b);
        self.a_own_numbers = fa.own_numbers(fb, &edit_a);
        self.b_own_numbers = fb.own_numbers(fa, &edit_b);
        self.a_own_quotes = fa.own_quotes(fb);
        self.b_own_quotes = fb.own_quotes(fa);
        // In a script without letter case no name can be told from
        // another word, so a text's own words would count its names: not
        // read there (the degree reads such a text by its vocabulary).
        if !(fa.caseless || fb.caseless) {
            let (wa, wb) = (OwnWords::new(a, fa), OwnWords::new(b, fb));
            self.a_own_words = wa.own(&wb, &pairs_a, &pairs_b);
            self.b_own_words = wb.own(&wa, &pairs_b, &pairs_a);
        }
    }
}

/// What the pair features need of one text, computed once per text: a
/// hash of every token's lower-cased surface form, which tokens are names,
/// and the distinct 5-shingles, names and numbers.
#[derive(Debug, Clone, Default)]
pub struct Surface {
    /// Per token of the `TextDoc`.
    words: Vec<u64>,
    names: Vec<bool>,
    /// Sorted and distinct.
    shingles: Vec<u64>,
    /// Word 3-grams outside quotations, sorted and distinct.
    trigrams: Vec<u64>,
    /// Those of them with no number and no name: phrasing
    /// ([`PairFeatures::a_phrase_containment`]).
    phrases: Vec<u64>,
    /// Content words (not stop words) outside quotations, sorted and
    /// distinct.
    vocab: Vec<u64>,
    /// Windows of [`PASSAGE_WORDS`] words outside quotations: first
    /// token, end token (exclusive) and hash; and the hashes sorted and
    /// distinct.
    passage_at: Vec<(u32, u32, u64)>,
    passages: Vec<u64>,
    /// Word tokens (numbers aside) outside quotations.
    unquoted: usize,
    /// Which tokens are words (not numbers).
    is_word: Vec<bool>,
    name_set: Vec<u64>,
    /// The name of each of `name_set`, in its order, as its number in
    /// `token_names` (the same distinct lower-cased texts).
    name_ids: Vec<u32>,
    /// Per token, its name in `token_names` ([`NOT_A_NAME`] for a token
    /// that is not a name).
    name_of: Vec<u32>,
    /// The distinct lower-cased texts of the name tokens: the names of a
    /// stretch of text ([`Surface::names_in`]) without lower-casing them
    /// again for each aligned pair.
    token_names: Vec<Name>,
    /// Every word's lower-cased form, sorted and distinct.
    word_set: Vec<u64>,
    number_set: Vec<u64>,
    /// The word hashes of each quotation of at least [`QUOTE_WORDS`] words.
    quotes: Vec<Vec<u64>>,
    /// Which tokens are words told in the text's own voice: outside
    /// quotations, no stop word, no name ([`PairFeatures::lifted_sentences`]).
    narrative: Vec<bool>,
    /// Per token, the hash of the three tokens from it when none is quoted
    /// and one is a word (0 otherwise): runs of phrasing
    /// ([`PairFeatures::lifted_sentences`]).
    run_at: Vec<u64>,
    /// Written in a script without letter case ([`Surface::is_caseless`]).
    caseless: bool,
}

impl Surface {
    /// ```
    /// use retold_core::relate::features::{PairFeatures, Surface};
    /// use retold_core::align::{align, AlignConfig};
    /// let a = retold_core::text::analyze("Mayor Ines Okafor closed the bridge on Monday.", Some("en"));
    /// let b = retold_core::text::analyze("Mayor Ines Okafur shut the bridge on Monday.", Some("en"));
    /// let al = align(&a, &b, &AlignConfig::default());
    /// let (sa, sb) = (Surface::new(&a), Surface::new(&b));
    /// assert_eq!(PairFeatures::compute_with((&a, &sa), (&b, &sb), &al), PairFeatures::compute(&a, &b, &al));
    /// ```
    pub fn new(doc: &TextDoc) -> Surface {
        let mut lower = String::new();
        let words: Vec<u64> = doc
            .tokens
            .iter()
            .map(|t| {
                lower.clear();
                lower.extend(doc.text(t.span).chars().flat_map(char::to_lowercase));
                xxhash_rust::xxh3::xxh3_64(lower.as_bytes())
            })
            .collect();
        let names: Vec<bool> = doc
            .tokens
            .iter()
            .map(|t| t.kind == TokenKind::Word && is_name(doc, t))
            .collect();
        let sorted = |mut v: Vec<u64>| {
            v.sort_unstable();
            v.dedup();
            v
        };
        let grams = |n: usize| {
            sorted(
                words
                    .windows(n)
                    .map(|w| {
                        w.iter().fold(0u64, |h, &x| {
                            h.rotate_left(13) ^ x.wrapping_mul(0x9E37_79B9_7F4A_7C15)
                        })
                    })
                    .collect(),
            )
        };
        let shingles = grams(5);
        let quoted = quoted_tokens(doc);
        let trigram_at = |k: usize| {
            words[k..k + 3].iter().fold(0u64, |h, &x| {
                h.rotate_left(13) ^ x.wrapping_mul(0x9E37_79B9_7F4A_7C15)
            })
        };
        let unquoted_at: Vec<usize> = (0..words.len().saturating_sub(2))
            .filter(|&k| !quoted[k..k + 3].contains(&true))
            .collect();
        // Each unquoted 3-gram's hash, by its first token (0: quoted or
        // past the end), read for the trigram set and for runs of phrasing.
        let mut trigram_here = vec![0u64; doc.tokens.len()];
        for &k in &unquoted_at {
            trigram_here[k] = trigram_at(k).max(1);
        }
        let trigrams = sorted(unquoted_at.iter().map(|&k| trigram_here[k]).collect());
        let phrases = sorted(
            unquoted_at
                .iter()
                .filter(|&&k| {
                    (k..k + 3).all(|j| doc.tokens[j].kind == TokenKind::Word && !names[j])
                })
                .map(|&k| trigram_here[k])
                .collect(),
        );
        // Windows of PASSAGE_WORDS words (numbers and names between them
        // ride along but do not count: a shared figure phrase such as "fell
        // from 42,000 tonnes to 25,200 tonnes", or a speaker named with his
        // title, "Chief Superintendent Alan Marsh of Kelso Police said", is
        // what independent reports of one event have in common; a passage
        // is evidence of copying through the words a writer chose).
        let word_at: Vec<usize> = (0..doc.tokens.len())
            .filter(|&k| doc.tokens[k].kind == TokenKind::Word)
            .collect();
        let told_at: Vec<usize> = word_at.iter().copied().filter(|&k| !names[k]).collect();
        let passage_at: Vec<(u32, u32, u64)> = told_at
            .windows(PASSAGE_WORDS)
            .filter_map(|w| {
                let (start, end) = (w[0], w[PASSAGE_WORDS - 1] + 1);
                if quoted[start..end].contains(&true) {
                    return None;
                }
                let h = words[start..end].iter().fold(0u64, |h, &x| {
                    h.rotate_left(13) ^ x.wrapping_mul(0x9E37_79B9_7F4A_7C15)
                });
                Some((u32::try_from(start).ok()?, u32::try_from(end).ok()?, h))
            })
            .collect();
        let passages = sorted(passage_at.iter().map(|p| p.2).collect());
        let unquoted = word_at.iter().filter(|&&k| !quoted[k]).count();
        let vocab = sorted(
            words
                .iter()
                .zip(&doc.tokens)
                .zip(&quoted)
                .filter(|((_, t), &q)| !q && !t.is_stop && t.kind == TokenKind::Word)
                .map(|((&w, _), _)| w)
                .collect(),
        );
        let mut named: Vec<(u64, usize)> = words
            .iter()
            .zip(&names)
            .enumerate()
            .filter(|(_, (_, &n))| n)
            .map(|(k, (&w, _))| (w, k))
            .collect();
        named.sort_unstable();
        named.dedup_by_key(|x| x.0);
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut token_names: Vec<Name> = Vec::new();
        let mut name_of = vec![NOT_A_NAME; doc.tokens.len()];
        for (k, t) in doc.tokens.iter().enumerate().filter(|&(k, _)| names[k]) {
            let text = doc.text(t.span).to_lowercase();
            name_of[k] = *ids.entry(text).or_insert_with_key(|text| {
                token_names.push(Name::new(text.clone()));
                (token_names.len() - 1) as u32
            });
        }
        let name_set: Vec<u64> = named.iter().map(|x| x.0).collect();
        let name_ids: Vec<u32> = named.iter().map(|&(_, k)| name_of[k]).collect();
        let word_set = sorted(words.clone());
        let number_set = sorted(
            words
                .iter()
                .zip(&doc.tokens)
                .filter(|(_, t)| t.kind == TokenKind::Number)
                .map(|(&w, _)| w)
                .collect(),
        );
        let mut quotes: Vec<Vec<u64>> = Vec::new();
        let mut current: Vec<u64> = Vec::new();
        let mut last_quoted = false;
        for (k, t) in doc.tokens.iter().enumerate() {
            if quoted[k] {
                if !last_quoted {
                    current = Vec::new();
                }
                if t.kind == TokenKind::Word {
                    current.push(words[k]);
                }
            } else if last_quoted && current.len() >= QUOTE_WORDS {
                quotes.push(std::mem::take(&mut current));
            }
            last_quoted = quoted[k];
        }
        if last_quoted && current.len() >= QUOTE_WORDS {
            quotes.push(current);
        }
        let narrative: Vec<bool> = (0..doc.tokens.len())
            .map(|k| {
                let t = &doc.tokens[k];
                t.kind == TokenKind::Word && !t.is_stop && !quoted[k] && !names[k]
            })
            .collect();
        // A run of phrasing has a word in it (not three figures).
        let mut run_at = trigram_here;
        for &k in &unquoted_at {
            if !(k..k + 3).any(|j| doc.tokens[j].kind == TokenKind::Word) {
                run_at[k] = 0;
            }
        }
        Surface {
            narrative,
            run_at,
            caseless: Surface::is_caseless(doc),
            quotes,
            words,
            names,
            shingles,
            trigrams,
            phrases,
            vocab,
            passage_at,
            passages,
            unquoted,
            is_word: doc
                .tokens
                .iter()
                .map(|t| t.kind == TokenKind::Word)
                .collect(),
            name_set,
            name_ids,
            name_of,
            token_names,
            word_set,
            number_set,
        }
    }

    /// Whether most of the text's words that hold letters hold none with
    /// a case: a script without capitals, where names cannot be told.
    ///
    /// ```
    /// use retold_core::relate::features::Surface;
    /// let text = |t: &str| retold_core::text::analyze(t, None);
    /// assert!(Surface::is_caseless(&text("ارتفع النهر أربعة أمتار في ست ساعات.")));
    /// assert!(!Surface::is_caseless(&text("the river rose four metres in six hours.")));
    /// ```
    pub fn is_caseless(doc: &TextDoc) -> bool {
        let (mut caseless, mut lettered) = (0usize, 0usize);
        for t in doc.tokens.iter().filter(|t| t.kind == TokenKind::Word) {
            let w = doc.text(t.span);
            if w.chars().any(char::is_alphabetic) {
                lettered += 1;
                if !w.chars().any(|c| c.is_uppercase() || c.is_lowercase()) {
                    caseless += 1;
                }
            }
        }
        lettered > 0 && 2 * caseless > lettered
    }

    /// How many of this text's distinct names `other` does not have:
    /// not as any word (a name at a sentence start, or lower-cased, is
    /// still the name), not in a possessive form and not as a near miss
    /// of one of its names.
    fn own_names(&self, other: &Surface, aligned: &[bool]) -> usize {
        let outside: FxHashSet<u64> = self
            .words
            .iter()
            .zip(&self.names)
            .zip(aligned)
            .filter(|((_, &n), &x)| n && !x)
            .map(|((&w, _), _)| w)
            .collect();
        self.name_set
            .iter()
            .zip(self.name_texts())
            .filter(|(h, text)| {
                outside.contains(h)
                    && other.word_set.binary_search(h).is_err()
                    && !other
                        .name_texts()
                        .any(|o| text.same_name(o) || text.near_miss(o))
            })
            .count()
    }

    /// The name of each of `name_set`, in its order.
    fn name_texts(&self) -> impl Iterator<Item = &Name> {
        self.name_ids.iter().map(|&i| &self.token_names[i as usize])
    }

    /// How many of this text's distinct figures `other` never has, among
    /// those used outside the tokens `aligned` marks (the sentences the
    /// alignment matched).
    fn own_numbers(&self, other: &Surface, aligned: &[bool]) -> usize {
        let mut own: Vec<u64> = self
            .words
            .iter()
            .zip(&self.is_word)
            .zip(aligned)
            .filter(|((_, &w), &x)| !w && !x)
            .map(|((&h, _), _)| h)
            .filter(|h| other.number_set.binary_search(h).is_err())
            .collect();
        own.sort_unstable();
        own.dedup();
        own.len()
    }

    /// How many of this text's quotations have under half their words
    /// anywhere in `other`.
    fn own_quotes(&self, other: &Surface) -> usize {
        self.quotes
            .iter()
            .filter(|q| {
                let found = q
                    .iter()
                    .filter(|h| other.word_set.binary_search(h).is_ok())
                    .count();
                2 * found < q.len()
            })
            .count()
    }

    /// The distinct names (lower-cased, as `str::to_lowercase` gives them)
    /// of tokens `toks`, into `out`: what a set of their lower-cased texts
    /// holds, each name once, as one distinct text is one entry of
    /// `token_names`.
    fn names_in<'s>(&'s self, toks: std::ops::Range<usize>, out: &mut Vec<&'s Name>) {
        let mut ids: Vec<u32> = self.name_of[toks]
            .iter()
            .copied()
            .filter(|&i| i != NOT_A_NAME)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        out.clear();
        out.extend(ids.iter().map(|&i| &self.token_names[i as usize]));
    }

    /// [`PairFeatures::a_passage_share`] of this text against `other`.
    fn passage_share(&self, other: &Surface) -> f64 {
        if other.passages.is_empty() || self.unquoted == 0 {
            return 0.0;
        }
        // Words covered by a window the other text has; windows overlap, so
        // count each word once, from the end of the last covering window.
        let (mut covered, mut until) = (0usize, 0usize);
        for &(start, end, h) in &self.passage_at {
            let (start, end) = (start as usize, end as usize);
            if other.passages.binary_search(&h).is_ok() {
                let from = until.max(start);
                covered += self.is_word[from.min(end)..end]
                    .iter()
                    .filter(|&&w| w)
                    .count();
                until = until.max(end);
            }
        }
        (covered as f64 / self.unquoted as f64).min(1.0)
    }

    /// Jaccard and containment (over the smaller set) of the 5-shingle sets.
    fn shingle_overlap(&self, other: &Surface, a: &TextDoc, b: &TextDoc) -> (f64, f64) {
        let (sa, sb) = (&self.shingles, &other.shingles);
        if sa.is_empty() || sb.is_empty() {
            let same = f64::from(u8::from(a.word_count() > 0 && a.clean == b.clean));
            return (same, same);
        }
        let inter = intersect_count_merge(sa, sb) as f64;
        (
            inter / ((sa.len() + sb.len()) as f64 - inter),
            inter / sa.len().min(sb.len()) as f64,
        )
    }
}

/// Which tokens sit inside a quotation: between a pair of double quotes
/// (straight after normalization) or guillemets, within one paragraph (an
/// unclosed quote ends with its paragraph).
pub(crate) fn quoted_tokens(doc: &TextDoc) -> Vec<bool> {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for p in &doc.paragraphs {
        let text = doc.clean.get(p.start..p.end).unwrap_or("");
        let mut open: Option<usize> = None;
        for (i, c) in text.char_indices() {
            match (c, open) {
                ('"', None) | ('\u{ab}', None) => open = Some(p.start + i),
                ('"', Some(o)) | ('\u{bb}', Some(o)) => {
                    ranges.push((o, p.start + i));
                    open = None;
                }
                _ => {}
            }
        }
        // Left open: a quotation that goes on in the next paragraph (which
        // opens it again), as news style writes a quote of several
        // paragraphs. Its words are the speaker's, not the writer's.
        if let Some(o) = open {
            ranges.push((o, p.end));
        }
    }
    let mut r = 0;
    doc.tokens
        .iter()
        .map(|t| {
            while r < ranges.len() && ranges[r].1 < t.span.start {
                r += 1;
            }
            ranges
                .get(r)
                .is_some_and(|&(o, c)| o < t.span.start && t.span.start < c)
        })
        .collect()
}

/// [`PairFeatures::lockstep`] of an alignment.
fn lockstep(al: &Alignment) -> f64 {
    let (na, nb) = (al.summary.a_sentences, al.summary.b_sentences);
    if na == 0 || nb == 0 {
        return 0.0;
    }
    let mut chain: Vec<_> = al.pairs.iter().filter(|p| !p.moved).collect();
    chain.sort_by_key(|p| (p.a.start, p.b.start));
    let (mut in_a, mut in_b) = (0, 0);
    let mut prev: Option<(usize, usize)> = None;
    for p in chain {
        if let Some((ea, eb)) = prev {
            if p.a.start < ea || p.b.start < eb {
                continue;
            }
            let (ga, gb) = (p.a.start - ea, p.b.start - eb);
            if ga == gb {
                in_a += ga;
                in_b += gb;
            }
        }
        in_a += p.a.len();
        in_b += p.b.len();
        prev = Some((p.a.end, p.b.end));
    }
    (ratio(in_a, na) + ratio(in_b, nb)) / 2.0
}

fn one() -> f64 {
    1.0
}

/// Whether an aligned pair, the tokens `ta` of one text (its
/// [`Surface`] `fa`) and `tb` of the other, is a lifted sentence
/// ([`PairFeatures::lifted_sentences`]); `sa` and `sb` hold the word
/// hashes of each side's tokens.
fn lifted(
    fa: &Surface,
    ta: std::ops::Range<usize>,
    sb: &FxHashSet<u64>,
    fb: &Surface,
    tb: std::ops::Range<usize>,
    sa: &FxHashSet<u64>,
) -> bool {
    let told = |f: &Surface, toks: std::ops::Range<usize>, other: &FxHashSet<u64>| {
        toks.filter(|&k| f.narrative[k])
            .fold((0usize, 0usize), |(all, kept), k| {
                (all + 1, kept + usize::from(other.contains(&f.words[k])))
            })
    };
    let (a_all, a_kept) = told(fa, ta.clone(), sb);
    let (b_all, b_kept) = told(fb, tb.clone(), sa);
    a_all >= LIFTED_WORDS
        && b_all >= LIFTED_WORDS
        && ratio(a_kept + b_kept, a_all + b_all) >= LIFTED_KEEP
        && shares_a_run(fa, ta, fb, tb)
}

/// Whether the tokens `ta` of one text and `tb` of the other share a run
/// of three tokens outside quotations ([`Surface::run_at`]).
fn shares_a_run(
    fa: &Surface,
    ta: std::ops::Range<usize>,
    fb: &Surface,
    tb: std::ops::Range<usize>,
) -> bool {
    let runs = |f: &Surface, t: std::ops::Range<usize>| -> Vec<u64> {
        let end = t.end.saturating_sub(2);
        (t.start..end)
            .map(|k| f.run_at[k])
            .filter(|&h| h != 0)
            .collect()
    };
    let theirs = runs(fb, tb);
    runs(fa, ta).iter().any(|h| theirs.contains(h))
}

fn ratio(x: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        x as f64 / of as f64
    }
}

#[derive(Default)]
struct Retention {
    kept: usize,
    all: usize,
}

impl Retention {
    fn add(&mut self, kept: bool) {
        self.all += 1;
        self.kept += usize::from(kept);
    }
    fn share(&self, none: f64) -> f64 {
        if self.all == 0 {
            none
        } else {
            self.kept as f64 / self.all as f64
        }
    }
}

/// Token indices of sentences `range` (indices into `spans`), which are
/// consecutive in the text.
fn token_indices(
    doc: &TextDoc,
    spans: &[crate::text::Span],
    range: std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    match spans.get(range) {
        Some([first, .., last]) => {
            let (x, y) = (doc.token_range(*first), doc.token_range(*last));
            x.start..y.end.max(x.start)
        }
        Some([one]) => doc.token_range(*one),
        _ => 0..0,
    }
}

/// One text's content words for [`PairFeatures::a_own_words`]: per token,
/// the stem of a content word (a word, no stop word, no name, outside
/// quotations; `None` otherwise), and every stem the text uses.
struct OwnWords<'d> {
    content: Vec<Option<&'d str>>,
    all: FxHashSet<&'d str>,
}

impl<'d> OwnWords<'d> {
    fn new(doc: &'d TextDoc, surface: &Surface) -> OwnWords<'d> {
        let quoted = quoted_tokens(doc);
        let content = doc
            .tokens
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let content = t.kind == TokenKind::Word
                    && !t.is_stop
                    && !quoted.get(k).copied().unwrap_or(false)
                    && !surface.names.get(k).copied().unwrap_or(false)
                    && t.stem.chars().filter(|c| c.is_alphabetic()).count() >= 3;
                content.then_some(t.stem.as_str())
            })
            .collect();
        let all = doc.tokens.iter().map(|t| t.stem.as_str()).collect();
        OwnWords { content, all }
    }

    /// The distinct new stems among tokens `tokens` that `other` never
    /// uses, not counted before (`seen`).
    fn new_in(
        &self,
        other: &OwnWords<'_>,
        tokens: impl Iterator<Item = usize>,
        seen: &mut FxHashSet<&'d str>,
    ) -> usize {
        tokens
            .filter_map(|k| self.content.get(k).copied().flatten())
            .filter(|w| !other.all.contains(w) && seen.insert(w))
            .count()
    }

    /// This text's own words against `other`: the new words of each
    /// sentence the alignment left unmatched, and of each matched one
    /// those beyond the partner's words this text lacks (`mine[i]` is
    /// matched with `theirs[i]`, as token ranges).
    fn own(
        &self,
        other: &OwnWords<'_>,
        mine: &[std::ops::Range<usize>],
        theirs: &[std::ops::Range<usize>],
    ) -> usize {
        let mut matched = vec![false; self.content.len()];
        let mut seen = FxHashSet::default();
        let mut own = 0usize;
        for (m, t) in mine.iter().zip(theirs) {
            if let Some(x) = matched.get_mut(m.clone()) {
                x.iter_mut().for_each(|x| *x = true);
            }
            let added = self.new_in(other, m.clone(), &mut seen);
            let lost = other.new_in(self, t.clone(), &mut FxHashSet::default());
            own += added.saturating_sub(lost);
        }
        let unmatched = (0..matched.len()).filter(|&k| !matched[k]);
        own + self.new_in(other, unmatched, &mut seen)
    }
}

/// [`Surface::name_of`] of a token that is not a name.
const NOT_A_NAME: u32 = u32::MAX;

/// A name's lower-cased text and its length in characters, counted once
/// per text rather than at each comparison ([`near_miss_counted`]).
#[derive(Debug, Clone, Default)]
struct Name {
    text: String,
    chars: usize,
}

impl Name {
    fn new(text: String) -> Name {
        let chars = text.chars().count();
        Name { text, chars }
    }

    /// Whether the two are one name, a possessive aside ("Pendergast",
    /// "Pendergast's").
    fn same_name(&self, other: &Name) -> bool {
        without_possessive(&self.text) == without_possessive(&other.text)
    }

    /// Whether the two texts are a near miss ([`near_miss_counted`]).
    fn near_miss(&self, other: &Name) -> bool {
        near_miss_counted((&self.text, self.chars), (&other.text, other.chars))
    }
}

/// [`near_miss_counted`], counting the characters.
#[cfg(test)]
fn near_miss(x: &str, y: &str) -> bool {
    near_miss_counted((x, x.chars().count()), (y, y.chars().count()))
}

/// Two different words of at least four letters within edit distance 2
/// (1 for words under seven letters), `x` of `a` characters and `y` of `b`.
fn near_miss_counted((x, a): (&str, usize), (y, b): (&str, usize)) -> bool {
    if a < 4 || b < 4 || x == y || a.abs_diff(b) > 2 {
        return false;
    }
    // "Pendergast" and "Pendergast's" are one name: a possessive is no
    // respelling.
    if without_possessive(x) == without_possessive(y) {
        return false;
    }
    let limit = if a.min(b) < 7 { 1 } else { 2 };
    if x.is_ascii() && y.is_ascii() && letters_apart(x, y) > limit {
        return false;
    }
    strsim::levenshtein(x, y) <= limit
}

/// A word without its possessive ending ("'s", "’s", or the apostrophe
/// after a plural's s).
fn without_possessive(x: &str) -> &str {
    ["'s", "’s", "'", "’"]
        .iter()
        .find_map(|end| x.strip_suffix(end))
        .unwrap_or(x)
}

/// A lower bound of the edit distance of two ASCII words: the letters one
/// has beyond the other's (counted with repeats), on the side with more.
/// An edit (insert, delete, substitute) changes that count by at most one,
/// so words further apart than the limit need no edit distance computed.
/// Bytes are counted by their low five bits (the letters apart; another
/// byte may share a count with a letter, which only lowers the bound).
fn letters_apart(x: &str, y: &str) -> usize {
    let mut count = [0i32; 32];
    for c in x.bytes() {
        count[usize::from(c & 31)] += 1;
    }
    for c in y.bytes() {
        count[usize::from(c & 31)] -= 1;
    }
    let (mut more, mut fewer) = (0i32, 0i32);
    for n in count {
        more += n.max(0);
        fewer += (-n).max(0);
    }
    more.max(fewer) as usize
}

/// A capitalized word not at the start of a sentence or line.
pub(crate) fn is_name(doc: &TextDoc, t: &Token) -> bool {
    let starts_upper = doc
        .text(t.span)
        .chars()
        .next()
        .is_some_and(char::is_uppercase);
    if !starts_upper || t.is_stop {
        return false;
    }
    // The character before the word, skipping spaces and quotes.
    let before = doc.clean.get(..t.span.start).unwrap_or("");
    let prev = before
        .chars()
        .rev()
        .find(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '(' | '\u{2018}' | '\u{201c}'));
    !matches!(prev, None | Some('.' | '!' | '?' | ':' | '\n'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::{align, AlignConfig};
    use crate::text::analyze;

    const SRC: &str = "Mayor Ines Okafor closed the Harbour Bridge on Monday. \
        Engineers found cracks in 12 of the 60 girders. \
        Repairs will cost about 4 million euros, the council said.";

    fn features(a: &str, b: &str) -> PairFeatures {
        let (a, b) = (analyze(a, Some("en")), analyze(b, Some("en")));
        PairFeatures::compute(&a, &b, &align(&a, &b, &AlignConfig::default()))
    }

    #[test]
    fn the_best_name_retention_is_the_side_whose_names_the_partner_keeps() {
        // A short version names two of its source's people and keeps both;
        // the source's sentence names three more the version dropped.
        let short =
            crate::text::analyze("Mayor Ines Okafor closed the bridge on Monday.", Some("en"));
        let long = crate::text::analyze(
            "Mayor Ines Okafor and councillor Tom Reddle closed the Wexhall bridge on Monday, police chief Ada Brenn said.",
            Some("en"),
        );
        let al = align(&short, &long, &AlignConfig::default());
        assert!(al.summary.pairs >= 1, "{:?}", al.summary);
        let f = PairFeatures::compute(&short, &long, &al);
        assert_eq!(f.name_retention_best, 1.0, "{f:?}");
        assert!(f.name_retention < 0.8, "{f:?}");
        // A side with fewer names than SIDE_NAMES_MIN says nothing: the
        // pooled share stands.
        let two = crate::text::analyze("Mayor Okafor closed the bridge.", Some("en"));
        let al = align(&two, &long, &AlignConfig::default());
        let f = PairFeatures::compute(&two, &long, &al);
        assert!(al.summary.pairs >= 1, "{:?}", al.summary);
        assert_eq!(f.name_retention_best, f.name_retention, "{f:?}");
        assert!(f.name_retention < 1.0, "{f:?}");
    }

    #[test]
    fn identical_texts_keep_everything() {
        let f = features(SRC, SRC);
        assert_eq!(f.cov_low, 1.0);
        assert_eq!(f.word_retention, 1.0);
        assert_eq!(f.name_retention, 1.0);
        assert_eq!(f.number_retention, 1.0);
        assert_eq!(f.shingle_jaccard, 1.0);
        assert_eq!(f.exact_share, 1.0);
    }

    #[test]
    fn garbled_names_and_numbers_lower_retention() {
        let spun = "Mayor Ines Okafur shut the Harbor Bridge on Monday. \
            Engineers discovered cracks in 12 of the 6 girders. \
            Repairs will cost round 4 million euros, the council stated.";
        let f = features(SRC, spun);
        assert_eq!(f.pairs, 3);
        assert!(f.name_retention < 1.0 && f.name_retention > 0.4, "{f:?}");
        assert!(f.number_retention < 1.0, "{f:?}");
        assert!(f.word_retention < 0.9, "{f:?}");
        assert!(f.shingle_jaccard < 0.5, "{f:?}");
    }

    #[test]
    fn lockstep_counts_unmatched_sentences_in_equal_gaps() {
        let mut al = align(
            &analyze(SRC, Some("en")),
            &analyze(SRC, Some("en")),
            &AlignConfig::default(),
        );
        let Some(base) = al.pairs.first().cloned() else {
            panic!("no pairs: {al:?}");
        };
        let pair = |a: usize, b: usize| crate::align::AlignedPair {
            a: a..a + 1,
            b: b..b + 1,
            moved: false,
            ..base.clone()
        };
        al.summary.a_sentences = 10;
        al.summary.b_sentences = 10;
        // Matched at 0, 4 and 9 on both sides: the gaps of 3 and 4 are in step.
        al.pairs = vec![pair(0, 0), pair(4, 4), pair(9, 9)];
        assert!((lockstep(&al) - 1.0).abs() < 1e-9);
        // Matched at 0 → 0 and 4 → 6: the gap of 3 against 5 is not; 9 → 9
        // goes back in B after 6, still a gap of 4 against 2.
        al.pairs = vec![pair(0, 0), pair(4, 6), pair(9, 9)];
        assert!((lockstep(&al) - 0.3).abs() < 1e-9, "{}", lockstep(&al));
    }

    #[test]
    fn shared_quotations_are_no_copied_wording() {
        // Two reports that quote the same sentence and word the rest their
        // own way share wording only inside the quotation.
        let a = "The minister spoke in Lyon on Friday. \"We will rebuild every bridge \
            that the floods took from us,\" she told the crowd.";
        let b = "Speaking to farmers near the river, the minister promised help: \
            \"We will rebuild every bridge that the floods took from us.\"";
        let f = features(a, b);
        assert!(f.a_trigram_containment < 0.1, "{f:?}");
        assert!(f.b_trigram_containment < 0.1, "{f:?}");
        // Without the quotation marks the same words are copied wording.
        let f = features(&a.replace('"', ""), &b.replace('"', ""));
        assert!(f.a_trigram_containment > 0.4, "{f:?}");
        assert!(f.b_trigram_containment > 0.4, "{f:?}");
    }

    /// A quotation of two paragraphs, in news style: the first paragraph
    /// leaves it open, the next opens it again. Two court reports that
    /// quote the judge the same way share only the judge's words.
    #[test]
    fn a_quotation_left_open_at_its_paragraph_end_is_still_a_quotation() {
        let wire = "Sentencing, Judge Helen Marsh told the defendant: \"You were paid to care \
            for a vulnerable woman who could not protect herself. Instead you treated her bank \
            account as your own.\n\n\"This was a gross breach of trust.\"\n\nShe was jailed for \
            three years at Brackenford Crown Court.";
        let local = "The carer wept in the dock as the judge spoke. \"You were paid to care \
            for a vulnerable woman who could not protect herself. Instead you treated her bank \
            account as your own.\n\n\"Nothing other than immediate custody can be justified.\"\n\n\
            Her husband watched from the public gallery.";
        let f = features(local, wire);
        assert_eq!(f.a_passage_share, 0.0, "{f:?}");
        assert_eq!(f.b_passage_share, 0.0, "{f:?}");
        assert!(f.b_trigram_containment < 0.1, "{f:?}");
        // Closed at the paragraph end, the same words are the judge's too.
        let closed = |t: &str| t.replace("your own.\n", "your own.\"\n");
        let g = features(&closed(local), &closed(wire));
        assert_eq!(
            (g.a_passage_share, g.b_passage_share),
            (f.a_passage_share, f.b_passage_share)
        );
    }

    #[test]
    fn copied_passages_are_counted_outside_quotations() {
        let wire =
            "Flood waters forced 2,400 people from their homes in the Tarn valley on Sunday. \
            The river rose four metres in six hours after a week of storms.";
        let local = "Shopkeepers in Gaillac carried stock upstairs all day. \
            The river rose four metres in six hours after a week of storms, officials said.";
        let f = features(local, wire);
        // 13 of the local text's 23 words sit in the copied sentence.
        assert!((f.a_passage_share - 13.0 / 23.0).abs() < 1e-9, "{f:?}");
        assert!(f.b_passage_share > 0.4, "{f:?}");
        // The same sentence as a quotation in both is not a copied passage.
        let q = |t: &str| {
            t.replace(
                "The river rose four metres in six hours after a week of storms",
                "\"The river rose four metres in six hours after a week of storms\"",
            )
        };
        let f = features(&q(local), &q(wire));
        assert_eq!(f.a_passage_share, 0.0, "{f:?}");
        // Seven shared words in a row are no passage.
        let f = features(
            "One two three four five six seven alpha.",
            "Beta one two three four five six seven.",
        );
        assert_eq!(f.a_passage_share, 0.0, "{f:?}");
        // Nor is a figure phrase: numbers do not count as words.
        let f = features(
            "The catch would fall from 42,000 tonnes to 25,200 tonnes next year, a blow to the town.",
            "Skippers said the quota would fall from 42,000 tonnes to 25,200 tonnes under the deal.",
        );
        assert_eq!(f.a_passage_share, 0.0, "{f:?}");
        // Nor a speaker named with title and force: names do not count
        // either (nine words in a row shared, three of them not names).
        let f = features(
            "Residents were moved to the school hall overnight, Chief Superintendent Alan Marsh of Kelso Police said.",
            "Chief Superintendent Alan Marsh of Kelso Police said no one had been hurt in the blaze.",
        );
        assert_eq!(f.a_passage_share, 0.0, "{f:?}");
    }

    #[test]
    fn containment_is_read_from_each_side() {
        let long = format!("{SRC} The bridge carries 40,000 vehicles a day. Traffic will be diverted through Oster Vik.");
        let f = features(SRC, &long);
        assert!((f.a_trigram_containment - 1.0).abs() < 1e-9, "{f:?}");
        assert!(f.b_trigram_containment < 0.8, "{f:?}");
        assert!((f.a_vocab_containment - 1.0).abs() < 1e-9, "{f:?}");
        assert!(f.b_vocab_containment < f.a_vocab_containment, "{f:?}");
    }

    #[test]
    fn phrasing_leaves_out_names_and_numbers() {
        // Two reports of one event share its names and figures in their own
        // sentences: their 3-grams meet, their phrasing does not.
        let a = "The quota will fall from 42,000 tonnes to 25,200 tonnes, Marine Minister \
            Halvard Brennock told the assembly in Kilbrae. Boat owners fear the cut.";
        let b = "Skippers gathered at the harbour after Marine Minister Halvard Brennock set \
            the catch limit at 25,200 tonnes, down from 42,000 tonnes last year.";
        let f = features(a, b);
        assert!(f.a_trigram_containment > 0.1, "{f:?}");
        assert_eq!(f.a_phrase_containment, 0.0, "{f:?}");
        assert_eq!(f.b_phrase_containment, 0.0, "{f:?}");
        // Words around the facts taken over are phrasing.
        let c = "Boat owners fear the cut, and the quota will fall from 42,000 tonnes to 25,200 \
            tonnes next year.";
        let f = features(c, a);
        assert!(f.a_phrase_containment > 0.3, "{f:?}");
    }

    fn with_own_names(a: &str, b: &str) -> PairFeatures {
        let (a, b) = (analyze(a, Some("en")), analyze(b, Some("en")));
        let al = align(&a, &b, &AlignConfig::default());
        let (sa, sb) = (Surface::new(&a), Surface::new(&b));
        let mut f = PairFeatures::compute_with((&a, &sa), (&b, &sb), &al);
        assert_eq!((f.a_own_names, f.b_own_names), (0, 0));
        f.count_own_material((&a, &sa), (&b, &sb), &al);
        f
    }

    #[test]
    fn own_names_are_in_sentences_of_its_own_and_nowhere_in_the_other() {
        // A sentence of its own with a witness and her street: four names
        // the source never uses. "Okafur" in a sentence of its own is the
        // source's mayor garbled, and "Harbour" the source has: not its own.
        let report = format!(
            "{SRC} Resident Harriet Quill, of Mossgate Lane, heard the girders crack. \
             Later, Okafur thanked the Harbour staff."
        );
        let f = with_own_names(&report, SRC);
        assert_eq!(f.a_own_names, 4, "{f:?}");
        assert_eq!(f.b_own_names, 0, "{f:?}");
        // The source's mayor in the possessive is the source's name.
        let possessive = format!("{report} Later, Okafor's office said nothing more.");
        assert_eq!(with_own_names(&possessive, SRC).a_own_names, 4);
        // Names swapped inside the sentences that line up (a spinner's
        // synonyms: "Harbour Bridge" → "Haven Crossing") are not its own.
        let spun = SRC.replace("Harbour Bridge", "Haven Crossing");
        let f = with_own_names(&spun, SRC);
        assert!(f.cov_low > 0.9, "{f:?}");
        assert_eq!(f.a_own_names, 0, "{f:?}");
    }

    #[test]
    fn a_lifted_sentence_keeps_the_words_the_other_tells_its_story_in() {
        let lifted = |a: &str, b: &str| {
            let (a, b) = (analyze(a, Some("en")), analyze(b, Some("en")));
            let al = align(&a, &b, &AlignConfig::default());
            let f = PairFeatures::compute(&a, &b, &al);
            assert!(f.pairs >= 2, "the sentences align: {f:?}");
            f.lifted_sentences
        };
        const WIRE: &str = "Council engineers closed the Larkmoor bridge on Tuesday after \
            finding deep cracks in its main span. Mayor Ines Okafor told the meeting: \
            \"We will not let this bridge fall into the river while I hold this office.\" \
            Repairs are expected to take at least six months.";
        // A desk's rewrite keeps most of the words each sentence tells its
        // story in, reordered and trimmed.
        let desk = "The Larkmoor bridge was closed by council engineers on Tuesday \
            after they found deep cracks in its main span. Mayor Ines Okafor told the \
            meeting: \"We will not let this bridge fall into the river while I hold this \
            office.\" Repairs are expected to take six months at least.";
        assert!(lifted(desk, WIRE) >= 2, "{}", lifted(desk, WIRE));
        // A reporter at the same meeting: the same facts and the same
        // quotation, each sentence in words of their own. The quoted
        // sentence aligns, but its own words ("told the meeting" against
        // "speaking afterwards, said") are not kept: a quotation is the
        // speaker's, not the writer's.
        let report = "Engineers working for the council shut Larkmoor's crossing on \
            Tuesday when inspections showed its central section had split badly. \
            Speaking afterwards, Mayor Ines Okafor said: \"We will not let this bridge \
            fall into the river while I hold this office.\" Work could last half a year \
            or more, officials warned.";
        assert_eq!(lifted(report, WIRE), 0);
        // The same terms restated keep no run of the other's phrasing:
        // four of the five words "The town's … has been closed to traffic
        // and 11 schools are shut" tells its fact in are the other's, but
        // no three in a row.
        let closed = "The town's Leddon Bridge has been closed to traffic and 11 schools \
            are shut. Rescue crews worked through the night in Millbrook.";
        let restated = "Eleven schools would stay closed, and Leddon Bridge was shut to all \
            traffic. Rescue crews worked through the night in Millbrook.";
        let copied = "The town's Leddon Bridge has been closed to traffic, and 11 schools \
            will stay shut. Rescue crews worked through the night in Millbrook.";
        assert_eq!(lifted(restated, closed), 1, "only the identical sentence");
        assert_eq!(lifted(copied, closed), 2);
    }

    #[test]
    fn own_words_are_what_a_report_adds_not_what_a_spinner_swaps() {
        const WIRE: &str = "A delivery driver who was watching videos on his phone \
            when his van hit a cyclist has been jailed. Craig Hollins was travelling at \
            52mph on Fellgate Road when he struck Margaret Ellery from behind. Phone data \
            showed Hollins had been watching clips for almost four minutes before the \
            collision. The judge said it was a sustained and deliberate decision to drive \
            while looking at a screen.";
        // A reporter in court: the same events in the same order, each
        // told with details the wire never gives, and a sentence of its own.
        let report = "A delivery driver who had been watching videos on his phone when \
            his van hit a cyclist was jailed today. Craig Hollins was travelling at 52mph on \
            Fellgate Road, stills from a dashcam in the car behind showed, when the van \
            drifted towards the verge and struck Margaret Ellery. Phone data showed Hollins \
            had scrolled through short clips after leaving a parcel depot, almost four \
            minutes before the collision. He kept his head bowed in the dock, wiping tears, \
            as former colleagues watched from the public gallery. The judge said it was a \
            sustained and deliberate decision to drive while looking at a screen.";
        let f = with_own_names(report, WIRE);
        assert!(f.a_own_words >= 20, "{f:?}");
        assert_eq!(f.b_own_words, 0, "{f:?}");
        // A spinner's swaps are paid for by the words they replace.
        let spun = WIRE
            .replace("travelling", "moving")
            .replace("struck", "smashed")
            .replace("sustained and deliberate", "prolonged and intentional");
        let f = with_own_names(&spun, WIRE);
        assert!(f.cov_low > 0.9, "{f:?}");
        assert_eq!((f.a_own_words, f.b_own_words), (0, 0), "{f:?}");
        // A brief cuts and adds nothing; what it cut is the wire's own.
        let brief = WIRE.split(" Phone data").next().unwrap_or(WIRE);
        let f = with_own_names(brief, WIRE);
        assert_eq!(f.a_own_words, 0, "{f:?}");
        assert!(f.b_own_words >= 8, "{f:?}");
        // In a script without letter case no name can be told from another
        // word: not counted.
        let f = with_own_names(
            "ڈرائیور کو سات سال قید کی سزا سنائی گئی۔ عدالت میں اس کے ساتھی بھی موجود تھے۔",
            "ڈرائیور کو سات سال قید کی سزا سنائی گئی۔",
        );
        assert_eq!(f.a_own_words, 0, "{f:?}");
    }

    #[test]
    fn own_figures_are_in_sentences_of_its_own_and_own_quotes_anywhere() {
        let src =
            format!("{SRC} \"We could not risk another winter of traffic on it,\" Okafor said.");
        // A sentence of its own with two figures the source never gives, and
        // a quotation the source never printed.
        let report = format!(
            "{src} About 9,000 cars crossed it each day, and the detour adds 25 minutes. \
             \"Nobody told the shopkeepers anything until the barriers went up,\" said one trader."
        );
        let f = with_own_names(&report, &src);
        assert_eq!(f.a_own_numbers, 2, "{f:?}");
        assert_eq!(f.a_own_quotes, 1, "{f:?}");
        assert_eq!((f.b_own_numbers, f.b_own_quotes), (0, 0), "{f:?}");
        // A figure changed inside a sentence that lines up is an edit, and a
        // quote trimmed or reworded in a few words is still the source's.
        let edited = src.replace("12 of the 60", "14 of the 60").replace(
            "We could not risk another winter",
            "We could not risk one more winter",
        );
        let f = with_own_names(&edited, &src);
        assert!(f.cov_low > 0.9, "{f:?}");
        assert_eq!((f.a_own_numbers, f.a_own_quotes), (0, 0), "{f:?}");
        // A figure in a sentence that lines up with one giving no figure at
        // all is a fact the other never gave: there was nothing to edit.
        let added = src.replace(
            "closed the Harbour Bridge on Monday",
            "closed the Harbour Bridge, which 9,000 cars cross each day, on Monday",
        );
        let f = with_own_names(&added, &src);
        assert!(f.cov_low > 0.9, "{f:?}");
        assert_eq!(f.a_own_numbers, 1, "{f:?}");
        // Quotations shorter than QUOTE_WORDS say nothing: "sorry".
        let short = format!("{src} Okafor only said \"sorry\" to the drivers.");
        assert_eq!(with_own_names(&short, &src).a_own_quotes, 0);
    }

    #[test]
    fn near_misses_are_small_edits_of_long_words() {
        assert!(near_miss("okafor", "okafur"));
        assert!(near_miss("wrenfield", "wrenfeld"));
        assert!(!near_miss("okafor", "okafor"));
        assert!(!near_miss("tom", "tim"));
        assert!(!near_miss("daniel", "darnell"));
        // A possessive is the same name.
        assert!(!near_miss("pendergast", "pendergast's"));
        assert!(!near_miss("pendergast’s", "pendergast"));
        assert!(!near_miss("okafors'", "okafors"));
        assert!(near_miss("okafur's", "okafor's"));
        let f = features(
            SRC,
            "Mayor Ines Okafur closed the Harbour Bridge on Monday.",
        );
        assert!(f.name_garbled > 0.1, "{f:?}");
        // A rewrite that puts a name in the possessive garbles nothing (a
        // tabloid's "Okafor's bridge" was read as a respelling, and the
        // spun node then called the rewrite spun).
        let f = features(
            SRC,
            "Mayor Ines Okafor's Harbour Bridge was closed on Monday.",
        );
        assert!(f.pairs > 0, "{f:?}");
        assert_eq!(f.name_garbled, 0.0, "{f:?}");
    }

    #[test]
    fn the_letter_count_bound_never_changes_a_near_miss() {
        let words = [
            "okafor",
            "okafur",
            "rokafo",
            "wrenfield",
            "wrenfeld",
            "wrenfielde",
            "daniel",
            "darnell",
            "danielle",
            "nadiel",
            "tomas",
            "thomas",
            "mossgate",
            "mossgrate",
            "gatemoss",
            "larkmoor",
            "larkmore",
            "kiir",
            "keir",
            "juba",
            "jubaa",
            "müller",
            "muller",
            "mueller",
            "abcd",
            "dcba",
            "abdc",
            "aabb",
            "bbaa",
        ];
        for x in words {
            for y in words {
                let (a, b) = (x.chars().count(), y.chars().count());
                let expected = a >= 4
                    && b >= 4
                    && x != y
                    && a.abs_diff(b) <= 2
                    && strsim::levenshtein(x, y) <= if a.min(b) < 7 { 1 } else { 2 };
                assert_eq!(near_miss(x, y), expected, "{x} {y}");
                if x.is_ascii() && y.is_ascii() {
                    assert!(letters_apart(x, y) <= strsim::levenshtein(x, y), "{x} {y}");
                }
            }
        }
    }

    #[test]
    fn names_are_capitalized_words_inside_sentences() {
        let doc = analyze(
            "The Mayor met Ines. \"Okafor spoke.\" Then Bridge",
            Some("en"),
        );
        let names: Vec<&str> = doc
            .tokens
            .iter()
            .filter(|t| is_name(&doc, t))
            .map(|t| doc.text(t.span))
            .collect();
        assert_eq!(names, ["Mayor", "Ines", "Bridge"]);
    }
}
