//! Sentence similarity: several cheap signals, each in `[0, 1]`, combined
//! into one score in `[0, 1]`.
//!
//! | signal | what it sees | survives |
//! |---|---|---|
//! | `stems` | IDF-weighted Dice overlap of content-word stems | paraphrase that keeps words, reordering inside the sentence |
//! | `trigrams` | Dice overlap of character trigrams of content words | misspelled names ("Keir"/"Kiir"), word forms the stemmer misses, machine-translation variants |
//! | `numbers` | Dice overlap of the numbers (only when both sentences have numbers) | a changed number lowers the score |
//! | `entities` | Dice overlap of capitalized words not opening the sentence (only when both have some) | names kept across a rewrite |
//! | `dense` | cosine of sentence vectors (only when both sentences carry one) | paraphrase with other words (needs a local embedding model) |
//!
//! The score is the weighted mean of the signals that are *present* for the
//! pair, so an absent signal (no numbers, no vectors) neither helps nor
//! hurts. Adding another signal means: one more field in
//! [`SentenceProfile`], one in [`Signals`], one weight.
//!
//! Everything a comparison needs is computed once per sentence
//! ([`DocProfile::new`]): sorted `u32` hashes, so comparing two sentences is
//! a few linear merges of short sorted arrays and never allocates.

use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::features::sketch::intersect_count;
use crate::features::term_hash;
use crate::features::terms::DocFreq;
use crate::text::{Span, TextDoc, TokenKind};

/// Weights of the signals (any non-negative numbers; only ratios matter).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimilarityWeights {
    pub stems: f32,
    pub trigrams: f32,
    pub numbers: f32,
    pub entities: f32,
    pub dense: f32,
}

impl Default for SimilarityWeights {
    fn default() -> Self {
        SimilarityWeights {
            stems: 1.0,
            trigrams: 1.0,
            numbers: 0.3,
            entities: 0.0,
            dense: 1.0,
        }
    }
}

/// The signals of one sentence pair, for evidence and tuning.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Signals {
    /// IDF-weighted Dice of content stems.
    pub stems: f32,
    /// Dice of character trigrams of content words.
    pub trigrams: f32,
    /// Dice of numbers, when both sentences mention numbers.
    pub numbers: Option<f32>,
    /// Dice of capitalized words, when both sentences have some.
    pub entities: Option<f32>,
    /// Cosine of sentence vectors (clamped at 0), when both carry one.
    pub dense: Option<f32>,
}

impl Signals {
    /// The weighted mean of the present signals, in `[0, 1]`.
    ///
    /// ```
    /// use retold_core::align::similarity::{Signals, SimilarityWeights};
    /// let s = Signals { stems: 0.5, trigrams: 1.0, numbers: None, entities: None, dense: None };
    /// let w = SimilarityWeights { stems: 1.0, trigrams: 1.0, ..Default::default() };
    /// assert!((s.combine(&w) - 0.75).abs() < 1e-6);
    /// ```
    pub fn combine(&self, w: &SimilarityWeights) -> f32 {
        let mut num = w.stems * self.stems + w.trigrams * self.trigrams;
        let mut den = w.stems + w.trigrams;
        for (v, wt) in [
            (self.numbers, w.numbers),
            (self.entities, w.entities),
            (self.dense, w.dense),
        ] {
            if let Some(v) = v {
                num += wt * v;
                den += wt;
            }
        }
        if den <= 0.0 {
            0.0
        } else {
            (num / den).clamp(0.0, 1.0)
        }
    }
}

/// What a sentence (or two adjacent sentences taken together) offers to a
/// comparison. All hash lists are sorted and distinct, and shared: a clone
/// (a profile weighed for one pair of texts, see [`weigh_pair`]) copies
/// the stem weights alone.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceProfile {
    /// Byte span in the clean text (for a merged profile: from the first
    /// sentence's start to the last one's end).
    pub span: Span,
    /// Characters of text (not bytes).
    pub chars: u32,
    /// [`term_hash`] of content stems (stop words and one-letter words left out).
    pub stems: Arc<[u32]>,
    /// IDF weight of each stem, parallel to `stems` (1.0 until weighed).
    pub stem_weights: Vec<f32>,
    /// Sum of `stem_weights`.
    pub stem_total: f32,
    /// [`term_hash`] of numbers.
    pub numbers: Arc<[u32]>,
    /// [`term_hash`] of the stems of capitalized words that do not open the sentence.
    pub entities: Arc<[u32]>,
    /// Character trigrams of the lower-cased content words, each word padded
    /// with a boundary mark on both sides.
    pub trigrams: Arc<[u32]>,
    /// Hash of the sentence's letters and digits, lower-cased: equal for
    /// sentences that differ only in case, spacing and punctuation (0 for a
    /// sentence without letters or digits, which equals nothing).
    pub exact: u64,
    /// Optional sentence vector of unit length (from an embedding model).
    pub vector: Option<Box<[f32]>>,
}

impl Default for SentenceProfile {
    fn default() -> Self {
        SentenceProfile {
            span: Span { start: 0, end: 0 },
            chars: 0,
            stems: Arc::from(Vec::new()),
            stem_weights: Vec::new(),
            stem_total: 0.0,
            numbers: Arc::from(Vec::new()),
            entities: Arc::from(Vec::new()),
            trigrams: Arc::from(Vec::new()),
            exact: 0,
            vector: None,
        }
    }
}

impl SentenceProfile {
    /// Profile of sentence `i` of `doc` (an empty profile if there is none).
    pub fn of_sentence(doc: &TextDoc, i: usize) -> SentenceProfile {
        match doc.sentences.get(i) {
            Some(&span) => SentenceProfile::of_span(doc, span),
            None => SentenceProfile::default(),
        }
    }

    /// Profile of any stretch of `doc`'s clean text (a sentence, or a piece
    /// of one).
    pub fn of_span(doc: &TextDoc, span: Span) -> SentenceProfile {
        let text = doc.text(span);
        let (mut stems, mut numbers, mut entities, mut trigrams) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut word = String::new();
        for (k, t) in doc.tokens_in(span).iter().enumerate() {
            match t.kind {
                TokenKind::Number => numbers.push(term_hash(&t.stem)),
                TokenKind::Word => {
                    if t.is_stop || t.stem.chars().nth(1).is_none() {
                        continue;
                    }
                    let h = term_hash(&t.stem);
                    stems.push(h);
                    let surface = doc.text(t.span);
                    if k > 0 && surface.chars().next().is_some_and(char::is_uppercase) {
                        entities.push(h);
                    }
                    word.clear();
                    word.extend(surface.chars().flat_map(char::to_lowercase));
                    push_trigrams(&word, &mut trigrams);
                }
            }
        }
        for v in [&mut stems, &mut numbers, &mut entities, &mut trigrams] {
            v.sort_unstable();
            v.dedup();
        }
        SentenceProfile {
            span,
            chars: text.chars().count() as u32,
            exact: exact_hash(text),
            stem_weights: vec![1.0; stems.len()],
            stem_total: stems.len() as f32,
            stems: stems.into(),
            numbers: numbers.into(),
            entities: entities.into(),
            trigrams: trigrams.into(),
            vector: None,
        }
    }

    /// The profile of several sentences read as one (a sentence split in two,
    /// or two merged): the union of their sets.
    ///
    /// ```
    /// use retold_core::align::similarity::SentenceProfile;
    /// let doc = retold_core::text::analyze("Storms hit Oslo. Floods followed.", Some("en"));
    /// let a = SentenceProfile::of_sentence(&doc, 0);
    /// let b = SentenceProfile::of_sentence(&doc, 1);
    /// let ab = SentenceProfile::merged(&[&a, &b]);
    /// assert_eq!(ab.stems.len(), a.stems.len() + b.stems.len());
    /// assert_eq!(ab.span.start, a.span.start);
    /// assert_eq!(ab.span.end, b.span.end);
    /// ```
    pub fn merged(parts: &[&SentenceProfile]) -> SentenceProfile {
        let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
            return SentenceProfile::default();
        };
        let union = |f: fn(&SentenceProfile) -> &[u32]| -> Arc<[u32]> {
            let mut v: Vec<u32> = parts.iter().flat_map(|p| f(p).iter().copied()).collect();
            v.sort_unstable();
            v.dedup();
            v.into()
        };
        // Weights travel with their stems.
        let mut weighted: Vec<(u32, f32)> = parts
            .iter()
            .flat_map(|p| p.stems.iter().copied().zip(p.stem_weights.iter().copied()))
            .collect();
        weighted.sort_unstable_by_key(|&(h, _)| h);
        weighted.dedup_by_key(|&mut (h, _)| h);
        let vector = if parts.iter().all(|p| p.vector.is_some()) {
            let dim = first.vector.as_ref().map_or(0, |v| v.len());
            let mut sum = vec![0f32; dim];
            for p in parts {
                if let Some(v) = &p.vector {
                    for (s, x) in sum.iter_mut().zip(v.iter()) {
                        *s += x;
                    }
                }
            }
            Some(unit(sum))
        } else {
            None
        };
        let mut exact = 0u64;
        for p in parts {
            exact = exact.rotate_left(17) ^ p.exact;
        }
        SentenceProfile {
            span: Span {
                start: first.span.start,
                end: last.span.end,
            },
            chars: parts.iter().map(|p| p.chars).sum(),
            stem_total: weighted.iter().map(|&(_, w)| w).sum(),
            stems: weighted
                .iter()
                .map(|&(h, _)| h)
                .collect::<Vec<u32>>()
                .into(),
            stem_weights: weighted.iter().map(|&(_, w)| w).collect(),
            numbers: union(|p| &p.numbers),
            entities: union(|p| &p.entities),
            trigrams: union(|p| &p.trigrams),
            exact,
            vector,
        }
    }

    /// This profile of a run (made by [`SentenceProfile::merged`] from
    /// `parts`' lists, whatever their weights) with the stem weights the
    /// parts have now: [`SentenceProfile::merged`] of `parts`, without
    /// merging their lists again. A stem weighs the same in every sentence
    /// of a profile ([`SentenceProfile::weigh`] reads the stem alone), so
    /// the first part holding it gives its weight.
    fn weighed_as(&self, parts: &[SentenceProfile]) -> SentenceProfile {
        self.with_weights(self.weights_from(parts))
    }

    /// The weights [`SentenceProfile::weighed_as`] gives this run of
    /// `parts`, by walking its stems.
    fn weights_from(&self, parts: &[SentenceProfile]) -> Vec<f32> {
        // Each part's stems are a sorted subset of the run's: one walk
        // along the run's stems per part.
        let mut stem_weights: Vec<Option<f32>> = vec![None; self.stems.len()];
        for p in parts {
            let mut k = 0;
            for (h, &w) in p.stems.iter().zip(&p.stem_weights) {
                while self.stems.get(k).is_some_and(|x| x < h) {
                    k += 1;
                }
                if let Some(slot) = stem_weights.get_mut(k) {
                    if self.stems[k] == *h && slot.is_none() {
                        *slot = Some(w);
                    }
                }
            }
        }
        stem_weights.into_iter().map(|w| w.unwrap_or(1.0)).collect()
    }

    /// Where [`SentenceProfile::weights_from`] takes each stem's weight
    /// from: its place in `parts`' stem lists read one after another.
    /// `None` (the walk is used) unless every part has one weight per stem
    /// (as [`SentenceProfile::weigh`] and [`SentenceProfile::of_span`]
    /// make them), every stem of the run is found in a part and the lists
    /// can be numbered in a `u32`.
    fn weight_sources(&self, parts: &[SentenceProfile]) -> Option<Box<[u32]>> {
        if parts.iter().any(|p| p.stem_weights.len() != p.stems.len()) {
            return None;
        }
        let mut from: Vec<Option<u32>> = vec![None; self.stems.len()];
        let mut offset = 0u32;
        for p in parts {
            let mut k = 0;
            for (i, h) in p.stems.iter().enumerate() {
                while self.stems.get(k).is_some_and(|x| x < h) {
                    k += 1;
                }
                if let Some(slot) = from.get_mut(k) {
                    if self.stems[k] == *h && slot.is_none() {
                        *slot = Some(offset.checked_add(u32::try_from(i).ok()?)?);
                    }
                }
            }
            offset = offset.checked_add(u32::try_from(p.stems.len()).ok()?)?;
        }
        from.into_iter().collect()
    }

    /// [`SentenceProfile::weighed_as`] with the sources of
    /// [`SentenceProfile::weight_sources`]: each stem's weight is picked
    /// from the place where the walk finds it (the parts' lists do not
    /// change, only their weights), without the walk's comparisons.
    fn weighed_from(&self, parts: &[SentenceProfile], from: &[u32]) -> SentenceProfile {
        if parts.iter().any(|p| p.stem_weights.len() != p.stems.len()) {
            return self.weighed_as(parts);
        }
        let all: Vec<f32> = parts
            .iter()
            .flat_map(|p| p.stem_weights.iter().copied())
            .collect();
        match from.iter().map(|&i| all.get(i as usize).copied()).collect() {
            Some(weights) => self.with_weights(weights),
            None => self.weighed_as(parts),
        }
    }

    /// This run's lists with `stem_weights`.
    fn with_weights(&self, stem_weights: Vec<f32>) -> SentenceProfile {
        SentenceProfile {
            span: self.span,
            chars: self.chars,
            stems: self.stems.clone(),
            stem_total: stem_weights.iter().sum(),
            stem_weights,
            numbers: self.numbers.clone(),
            entities: self.entities.clone(),
            trigrams: self.trigrams.clone(),
            exact: self.exact,
            vector: self.vector.clone(),
        }
    }

    /// Sets the stem weights from `idf`.
    pub fn weigh(&mut self, idf: &impl Fn(u32) -> f32) {
        self.stem_weights.clear();
        self.stem_weights.extend(self.stems.iter().map(|&h| idf(h)));
        self.stem_total = self.stem_weights.iter().sum();
    }

    /// True when the sentence has nothing to compare (no content word, no number).
    pub fn is_empty(&self) -> bool {
        self.stems.is_empty() && self.numbers.is_empty()
    }
}

/// Scales a vector to unit length (a zero vector stays zero).
fn unit(mut v: Vec<f32>) -> Box<[f32]> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in &mut v {
            *x /= norm;
        }
    }
    v.into_boxed_slice()
}

/// Hash of the lower-cased letters and digits of `text`; 0 when it has none.
pub(crate) fn exact_hash(text: &str) -> u64 {
    let mut norm = String::with_capacity(text.len());
    for c in text.chars().filter(|c| c.is_alphanumeric()) {
        norm.extend(c.to_lowercase());
    }
    if norm.is_empty() {
        0
    } else {
        xxh3_64(norm.as_bytes()).max(1)
    }
}

/// Boundary mark of trigrams (a word's first and last trigram include it).
const BOUNDARY: char = '\u{2}';

/// Appends the trigrams of one lower-cased word, padded with boundaries.
/// ASCII trigrams are packed into 24 bits; others are hashed with the top
/// bit set, so the two never collide.
fn push_trigrams(word: &str, out: &mut Vec<u32>) {
    let mut w = [BOUNDARY; 3];
    let mut n = 0usize;
    for c in std::iter::once(BOUNDARY)
        .chain(word.chars())
        .chain(std::iter::once(BOUNDARY))
    {
        w = [w[1], w[2], c];
        n += 1;
        if n >= 3 {
            out.push(trigram_code(w));
        }
    }
}

fn trigram_code(w: [char; 3]) -> u32 {
    if w.iter().all(char::is_ascii) {
        (w[0] as u32) << 16 | (w[1] as u32) << 8 | w[2] as u32
    } else {
        let mut bytes = [0u8; 12];
        for (k, c) in w.iter().enumerate() {
            bytes[k * 4..k * 4 + 4].copy_from_slice(&(*c as u32).to_le_bytes());
        }
        (xxh3_64(&bytes) as u32) | 0x8000_0000
    }
}

/// Where stem weights come from.
#[derive(Debug, Clone, Copy)]
pub enum IdfSource<'a> {
    /// Every sentence of the two texts counts as one document: a stem that
    /// occurs in few sentences of the pair weighs more. Needs nothing but the
    /// pair.
    PairSentences,
    /// Document frequencies over a corpus (terms are [`term_hash`]es of
    /// stems, as in [`crate::features::Features::terms`]).
    Corpus(&'a DocFreq),
    /// Every stem weighs 1.
    Uniform,
}

/// Most sentences one side of a merged match may join (1:n and n:1).
pub const MAX_MERGE: usize = 5;

/// The sentence profiles of one text, and of each run of 2 to
/// [`DocProfile::max_merge`] adjacent sentences taken together (for 1:n and
/// n:1 matches: a sentence split into several, or several merged).
///
/// Runs are profiled when first asked for ([`DocProfile::run`]): the
/// aligner only looks at runs next to promising sentence pairs.
#[derive(Debug, Clone, Default)]
pub struct DocProfile {
    /// One profile per sentence of the `TextDoc`, in order.
    pub sentences: Vec<SentenceProfile>,
    /// `runs[k - 2][i]` reads sentences `i .. i + k` as one, once computed.
    runs: Vec<Vec<OnceLock<SentenceProfile>>>,
    /// The same runs' lists (their union of stems, numbers, names and
    /// trigrams), shared with this profile's clones: a clone weighed for
    /// one pair ([`weigh_pair`]) has the same lists and other weights, so
    /// it only weighs them. An article compared with many others merges
    /// each run's lists once, not once per pair.
    unions: Arc<Runs<RunLists>>,
}

/// Lazily made run profiles, `[k - 2][i]` for sentences `i .. i + k`.
type Runs<T = SentenceProfile> = Vec<Vec<OnceLock<T>>>;

/// A run's lists as [`SentenceProfile::merged`] makes them, and where each
/// stem's weight comes from ([`SentenceProfile::weight_sources`]).
#[derive(Debug)]
struct RunLists {
    run: SentenceProfile,
    weight_from: Option<Box<[u32]>>,
}

impl DocProfile {
    /// Profiles every sentence of `doc`, with runs of up to 4 sentences;
    /// sentences of more than 40 words are cut into pieces (see
    /// [`DocProfile::with_options`]).
    ///
    /// ```
    /// use retold_core::align::similarity::DocProfile;
    /// let doc = retold_core::text::analyze("The dam broke. Some 300 people fled.", Some("en"));
    /// let p = DocProfile::new(&doc);
    /// assert_eq!(p.sentences.len(), 2);
    /// assert_eq!(p.sentences[1].numbers.len(), 1);
    /// assert_eq!(p.run(0, 2).map(|r| r.span.end), Some(doc.clean.len()));
    /// assert!(p.run(1, 2).is_none());
    /// ```
    pub fn new(doc: &TextDoc) -> DocProfile {
        DocProfile::with_options(doc, 4, 40)
    }

    /// Profiles the sentences of `doc`, with runs of 2 to `max_merge`
    /// sentences (at most [`MAX_MERGE`]). A sentence of more than
    /// `max_words` words (0: no limit) is cut into near-equal pieces of at
    /// most that many words, each profiled as a sentence of its own: web
    /// text has "sentences" of thousands of words (lists, tables, text
    /// without punctuation) that no sentence of a retelling can match whole.
    ///
    /// ```
    /// use retold_core::align::similarity::DocProfile;
    /// let long = vec!["word"; 130].join(" ");
    /// let doc = retold_core::text::analyze(&format!("{long}. Short one."), Some("en"));
    /// let p = DocProfile::with_options(&doc, 2, 50);
    /// assert_eq!(p.sentences.len(), 4); // 130 words as 3 pieces of 44, 43, 43
    /// assert_eq!(p.sentences[0].span.start, 0);
    /// assert_eq!(p.sentences[2].span.end, doc.sentences[0].end);
    /// assert_eq!(DocProfile::with_options(&doc, 2, 0).sentences.len(), 2);
    /// ```
    pub fn with_options(doc: &TextDoc, max_merge: usize, max_words: usize) -> DocProfile {
        let sentences: Vec<SentenceProfile> = segments(doc, max_words)
            .into_iter()
            .map(|span| SentenceProfile::of_span(doc, span))
            .collect();
        let mut p = DocProfile {
            sentences,
            runs: Vec::new(),
            unions: Arc::default(),
        };
        p.reset_runs(max_merge);
        p.unions = Arc::new(p.empty_runs(max_merge));
        p
    }

    /// Forgets the weighed runs (the shared lists stay: weights do not
    /// change them).
    fn reset_runs(&mut self, max_merge: usize) {
        self.runs = self.empty_runs(max_merge);
    }

    fn empty_runs<T>(&self, max_merge: usize) -> Runs<T> {
        let n = self.sentences.len();
        (2..=max_merge.min(MAX_MERGE))
            .map(|k| {
                (0..(n + 1).saturating_sub(k))
                    .map(|_| OnceLock::new())
                    .collect()
            })
            .collect()
    }

    /// The longest run this profile offers.
    pub fn max_merge(&self) -> usize {
        self.runs.len() + 1
    }

    /// The profile of sentences `start .. start + len` read as one.
    pub fn run(&self, start: usize, len: usize) -> Option<&SentenceProfile> {
        match len {
            0 => None,
            1 => self.sentences.get(start),
            _ => {
                let cell = self.runs.get(len - 2)?.get(start)?;
                let parts = self.sentences.get(start..start.checked_add(len)?)?;
                let merge = || SentenceProfile::merged(&parts.iter().collect::<Vec<_>>());
                let lists = || {
                    let run = merge();
                    let weight_from = run.weight_sources(parts);
                    RunLists { run, weight_from }
                };
                Some(cell.get_or_init(
                    || match self.unions.get(len - 2).and_then(|u| u.get(start)) {
                        Some(union) => {
                            let union = union.get_or_init(lists);
                            match &union.weight_from {
                                Some(from) => union.run.weighed_from(parts, from),
                                None => union.run.weighed_as(parts),
                            }
                        }
                        None => merge(),
                    },
                ))
            }
        }
    }

    /// Attaches sentence vectors (one per sentence, any dimension; they are
    /// scaled to unit length). Vectors of the wrong count are ignored.
    pub fn set_vectors(&mut self, vectors: Vec<Vec<f32>>) {
        if vectors.len() != self.sentences.len() {
            return;
        }
        for (p, v) in self.sentences.iter_mut().zip(vectors) {
            p.vector = Some(unit(v));
        }
        self.reset_runs(self.max_merge());
        // The runs' vectors change: lists shared with clones are dropped.
        self.unions = Arc::new(self.empty_runs(self.max_merge()));
    }

    /// Sets the stem weights of every sentence from `idf`.
    pub fn weigh(&mut self, idf: &impl Fn(u32) -> f32) {
        for p in &mut self.sentences {
            p.weigh(idf);
        }
        self.reset_runs(self.max_merge());
    }
}

/// The sentences of `doc` as clean-text spans, with sentences of more than
/// `max_words` words (0: no limit) cut into near-equal pieces at word
/// boundaries (the text between two pieces goes to the first).
pub fn segments(doc: &TextDoc, max_words: usize) -> Vec<Span> {
    let mut out = Vec::with_capacity(doc.sentences.len());
    for (i, &span) in doc.sentences.iter().enumerate() {
        let toks = doc.sentence_tokens(i);
        if max_words == 0 || toks.len() <= max_words {
            out.push(span);
            continue;
        }
        let pieces = toks.len().div_ceil(max_words);
        let size = toks.len().div_ceil(pieces);
        let mut start = span.start;
        for k in 1..pieces {
            let Some(next) = toks.get(k * size) else {
                break;
            };
            let piece = doc.text(Span {
                start,
                end: next.span.start,
            });
            out.push(Span {
                start,
                end: start + piece.trim_end().len(),
            });
            start = next.span.start;
        }
        out.push(Span {
            start,
            end: span.end,
        });
    }
    out
}

/// Weighs the stems of both texts from `source`.
///
/// ```
/// use retold_core::align::similarity::{weigh_pair, DocProfile, IdfSource};
/// let a = retold_core::text::analyze("Rain fell. Rain fell on Oslo.", Some("en"));
/// let b = retold_core::text::analyze("Rain fell again.", Some("en"));
/// let (mut pa, mut pb) = (DocProfile::new(&a), DocProfile::new(&b));
/// weigh_pair(&mut pa, &mut pb, IdfSource::PairSentences);
/// // "oslo" is in one sentence of three, "rain" in all: it weighs more.
/// let s = &pa.sentences[1];
/// let w_oslo = s.stem_weights.iter().cloned().fold(0.0, f32::max);
/// let w_rain = s.stem_weights.iter().cloned().fold(f32::MAX, f32::min);
/// assert!(w_oslo > w_rain);
/// ```
pub fn weigh_pair(a: &mut DocProfile, b: &mut DocProfile, source: IdfSource<'_>) {
    match source {
        IdfSource::Uniform => {
            let one = |_: u32| 1.0f32;
            a.weigh(&one);
            b.weigh(&one);
        }
        IdfSource::Corpus(df) => {
            let idf = |h: u32| df.idf(h) as f32;
            a.weigh(&idf);
            b.weigh(&idf);
        }
        IdfSource::PairSentences => {
            let df = sentence_doc_freq(a, b);
            // The idf depends on the stem's count alone, at most the
            // number of sentences: each count's is computed once (the
            // same expression as `DocFreq::idf`).
            let by_count: Vec<std::cell::Cell<f32>> =
                vec![std::cell::Cell::new(f32::NAN); df.docs() as usize + 1];
            let idf = |h: u32| {
                let c = df.df(h);
                match by_count.get(c as usize) {
                    Some(cell) if !cell.get().is_nan() => cell.get(),
                    Some(cell) => {
                        let w = df.idf(h) as f32;
                        cell.set(w);
                        w
                    }
                    None => df.idf(h) as f32,
                }
            };
            a.weigh(&idf);
            b.weigh(&idf);
        }
    }
}

/// Document frequencies over the sentences of two texts, each sentence
/// counted as one document.
pub fn sentence_doc_freq(a: &DocProfile, b: &DocProfile) -> DocFreq {
    let mut df = DocFreq::default();
    let mut terms: Vec<(u32, u16)> = Vec::new();
    for p in a.sentences.iter().chain(&b.sentences) {
        terms.clear();
        terms.extend(p.stems.iter().map(|&h| (h, 1)));
        df.add(&terms);
    }
    df
}

fn dice(a: &[u32], b: &[u32]) -> f32 {
    let total = a.len() + b.len();
    if total == 0 {
        return 0.0;
    }
    2.0 * intersect_count(a, b) as f32 / total as f32
}

/// Weighted Dice of the stems: common weight over mean total weight. A
/// stem's weight is the mean of its weights on both sides.
fn weighted_dice(a: &SentenceProfile, b: &SentenceProfile) -> f32 {
    let total = a.stem_total + b.stem_total;
    if total <= 0.0 {
        return 0.0;
    }
    let (sa, sb) = (&a.stems, &b.stems);
    let (mut i, mut j, mut common) = (0, 0, 0.0f32);
    while i < sa.len() && j < sb.len() {
        let (x, y) = (sa[i], sb[j]);
        if x == y {
            common += a.stem_weights.get(i).copied().unwrap_or(1.0)
                + b.stem_weights.get(j).copied().unwrap_or(1.0);
        }
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    (common / total).min(1.0)
}

/// How much of `a` is found in `b`, in `[0, 1]`: the mean of the
/// IDF-weighted share of `a`'s stems and the share of `a`'s trigrams that
/// `b` has too. Unlike [`similarity`] it does not fall when `b` is much
/// longer than `a`.
///
/// ```
/// use retold_core::align::similarity::{containment, SentenceProfile};
/// let long = retold_core::text::analyze(
///     "Menu Contact Home The harbour bridge closed on Monday after engineers found cracks.", Some("en"));
/// let short = retold_core::text::analyze(
///     "The harbour bridge closed on Monday after engineers found cracks.", Some("en"));
/// let (l, s) = (SentenceProfile::of_sentence(&long, 0), SentenceProfile::of_sentence(&short, 0));
/// assert_eq!(containment(&s, &l), 1.0);
/// assert!(containment(&l, &s) < 0.9);
/// ```
pub fn containment(a: &SentenceProfile, b: &SentenceProfile) -> f32 {
    let (sa, sb) = (&a.stems, &b.stems);
    let (mut i, mut j, mut common) = (0, 0, 0.0f32);
    while i < sa.len() && j < sb.len() {
        let (x, y) = (sa[i], sb[j]);
        if x == y {
            common += a.stem_weights.get(i).copied().unwrap_or(1.0);
        }
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    let stems = if a.stem_total > 0.0 {
        (common / a.stem_total).min(1.0)
    } else {
        0.0
    };
    let trigrams = if a.trigrams.is_empty() {
        0.0
    } else {
        intersect_count(&a.trigrams, &b.trigrams) as f32 / a.trigrams.len() as f32
    };
    (stems + trigrams) / 2.0
}

/// The signals of a sentence pair.
///
/// ```
/// use retold_core::align::similarity::{signals, SentenceProfile};
/// let a = retold_core::text::analyze("President Salva Kiir met 12 ministers in Juba.", Some("en"));
/// let b = retold_core::text::analyze("President Salva Keir met twelve ministers at Juba.", Some("en"));
/// let s = signals(&SentenceProfile::of_sentence(&a, 0), &SentenceProfile::of_sentence(&b, 0));
/// assert!(s.trigrams > s.stems); // the misspelled name still shares trigrams
/// assert_eq!(s.numbers, None);   // only one side writes the number in digits
/// ```
pub fn signals(a: &SentenceProfile, b: &SentenceProfile) -> Signals {
    let both = |x: &[u32], y: &[u32]| (!x.is_empty() && !y.is_empty()).then(|| dice(x, y));
    Signals {
        stems: weighted_dice(a, b),
        trigrams: dice(&a.trigrams, &b.trigrams),
        numbers: both(&a.numbers, &b.numbers),
        entities: both(&a.entities, &b.entities),
        dense: match (&a.vector, &b.vector) {
            (Some(x), Some(y)) if x.len() == y.len() => Some(
                x.iter()
                    .zip(y.iter())
                    .map(|(p, q)| p * q)
                    .sum::<f32>()
                    .max(0.0),
            ),
            _ => None,
        },
    }
}

/// The similarity of two sentences in `[0, 1]`: the weighted mean of their
/// present [`Signals`].
///
/// ```
/// use retold_core::align::similarity::{similarity, DocProfile, SimilarityWeights};
/// let a = retold_core::text::analyze(
///     "The bridge closed on Monday after engineers found cracks. Rain is expected.", Some("en"));
/// let b = retold_core::text::analyze(
///     "Engineers found cracks, so the bridge was closed on Monday. Markets rallied.", Some("en"));
/// let (pa, pb) = (DocProfile::new(&a), DocProfile::new(&b));
/// let w = SimilarityWeights::default();
/// let same = similarity(&pa.sentences[0], &pb.sentences[0], &w);
/// let other = similarity(&pa.sentences[1], &pb.sentences[1], &w);
/// assert!(same > 0.7, "{same}");
/// assert!(other < 0.2, "{other}");
/// ```
#[inline]
pub fn similarity(a: &SentenceProfile, b: &SentenceProfile, w: &SimilarityWeights) -> f32 {
    if a.exact == b.exact && a.exact != 0 {
        return 1.0;
    }
    signals(a, b).combine(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analyze;

    fn profile(text: &str) -> SentenceProfile {
        SentenceProfile::of_sentence(&analyze(text, Some("en")), 0)
    }

    #[test]
    fn identical_sentences_score_one_unrelated_near_zero() {
        let w = SimilarityWeights::default();
        let a = profile("The central bank raised its key rate to 4.5 percent on Thursday.");
        let b = profile("the central bank raised its key rate to 4.5 percent on thursday");
        assert_eq!(similarity(&a, &b, &w), 1.0);
        let c = profile("Heavy snow closed schools across the northern valleys.");
        assert!(similarity(&a, &c, &w) < 0.1);
    }

    #[test]
    fn trigrams_see_misspelled_names() {
        let a = profile("Keir Starmer visited Glasgow.");
        let b = profile("Kiir Starmer visited Glasgow.");
        let s = signals(&a, &b);
        assert!(s.stems < 0.8);
        assert!(s.trigrams > s.stems, "{s:?}");
        assert!(s.trigrams > 0.7);
    }

    #[test]
    fn changed_numbers_lower_the_score() {
        let w = SimilarityWeights::default();
        let a = profile("Officials said 32 people died in the flood.");
        let same = profile("Officials said 32 people died in the floods.");
        let changed = profile("Officials said 35 people died in the floods.");
        assert!(similarity(&a, &same, &w) > similarity(&a, &changed, &w));
        assert_eq!(signals(&a, &changed).numbers, Some(0.0));
    }

    #[test]
    fn idf_weights_favor_rare_stems() {
        let a = analyze(
            "The minister spoke. The minister spoke about Lagos. The minister left.",
            Some("en"),
        );
        let b = analyze("The minister spoke about Accra.", Some("en"));
        let (mut pa, mut pb) = (DocProfile::new(&a), DocProfile::new(&b));
        weigh_pair(&mut pa, &mut pb, IdfSource::PairSentences);
        let lagos = term_hash("lago");
        let minist = term_hash("minist");
        let s = &pa.sentences[1];
        let w = |h| {
            s.stems
                .iter()
                .position(|&x| x == h)
                .map(|k| s.stem_weights[k])
        };
        assert!(w(lagos).unwrap_or(0.0) > w(minist).unwrap_or(f32::MAX));
        // Uniform weights are all one.
        weigh_pair(&mut pa, &mut pb, IdfSource::Uniform);
        assert!(pa.sentences[1].stem_weights.iter().all(|&w| w == 1.0));
    }

    #[test]
    fn merged_profile_matches_a_split_sentence_better() {
        let w = SimilarityWeights::default();
        let long = analyze(
            "The storm flooded the harbour and the mayor ordered an evacuation of the old town.",
            Some("en"),
        );
        let split = analyze(
            "The storm flooded the harbour. The mayor ordered an evacuation of the old town.",
            Some("en"),
        );
        let (pl, ps) = (DocProfile::new(&long), DocProfile::new(&split));
        let one = similarity(&pl.sentences[0], &ps.sentences[0], &w);
        let both = similarity(&pl.sentences[0], ps.run(0, 2).unwrap(), &w);
        assert!(both > one + 0.2, "one {one} both {both}");
        assert!(both > 0.9);
    }

    #[test]
    fn dense_vectors_are_one_more_signal() {
        let doc = analyze("Prices rose. Costs went up.", Some("en"));
        let mut p = DocProfile::new(&doc);
        let w = SimilarityWeights::default();
        let without = similarity(&p.sentences[0], &p.sentences[1], &w);
        p.set_vectors(vec![vec![1.0, 0.1], vec![2.0, 0.3]]);
        let with = similarity(&p.sentences[0], &p.sentences[1], &w);
        assert!(with > without + 0.2, "{without} -> {with}");
        assert!(p.run(0, 2).is_some_and(|r| r.vector.is_some()));
        // A wrong count of vectors is ignored.
        p.set_vectors(vec![vec![1.0]]);
        assert!(p.sentences[0].vector.is_some());
    }

    #[test]
    fn trigram_codes_do_not_collide_between_ascii_and_unicode() {
        let mut v = Vec::new();
        push_trigrams("ab", &mut v);
        assert_eq!(v.len(), 2);
        assert!(v.iter().all(|&c| c < 0x0100_0000));
        let mut u = Vec::new();
        push_trigrams("äb", &mut u);
        assert!(u.iter().all(|&c| c >= 0x8000_0000));
        let mut e = Vec::new();
        push_trigrams("", &mut e);
        assert_eq!(e.len(), 0);
    }

    #[test]
    fn intersect_counts() {
        assert_eq!(intersect_count(&[1, 3, 5, 7], &[2, 3, 4, 7, 9]), 2);
        assert_eq!(intersect_count(&[], &[1]), 0);
    }

    #[test]
    fn runs_weighed_for_a_pair_are_the_merged_parts() {
        // Stems repeated across sentences, so a run's stem is held by
        // several parts; weighed for two different pairs after the shared
        // lists were made.
        let a = DocProfile::new(&analyze(
            "Storms hit Oslo and Bergen. Floods in Oslo closed roads. Bergen roads reopened. \
             Rain fell on Oslo again. Officials in Bergen counted damage.",
            Some("en"),
        ));
        let others = [
            "Oslo flooded. Roads closed in Oslo and Bergen.",
            "Damage was counted in Bergen after rain. Storms moved north.",
        ];
        let _ = a.run(0, 3); // the shared lists, made unweighed
        for other in others {
            let (mut pa, mut pb) = (a.clone(), DocProfile::new(&analyze(other, Some("en"))));
            weigh_pair(&mut pa, &mut pb, IdfSource::PairSentences);
            for len in 2..=pa.max_merge() {
                for start in 0..pa.sentences.len() + 1 - len {
                    let parts: Vec<&SentenceProfile> =
                        pa.sentences[start..start + len].iter().collect();
                    let merged = SentenceProfile::merged(&parts);
                    let run = pa.run(start, len).expect("a run");
                    assert_eq!(run.stems, merged.stems);
                    assert_eq!(run.stem_weights, merged.stem_weights, "{start} {len}");
                    assert_eq!(run.stem_total.to_bits(), merged.stem_total.to_bits());
                    let walked = run.weighed_as(&pa.sentences[start..start + len]);
                    assert_eq!(walked.stem_weights, run.stem_weights);
                }
            }
        }
    }
}
