//! The two set sketches of an article, from one pass over its bytes.
//!
//! - **shingle**: word 5-shingles, the classic near-duplicate sketch: it sees
//!   verbatim and lightly edited copies, and loses rewrites and spun copies.
//! - **content**: the set of content words (stop words dropped, words cut to
//!   a short prefix as a cheap stem) plus numbers: rewrites and spun copies
//!   keep 40–60% of it while sharing almost no 5-shingles.
//!
//! This is the hot path of `retold dedup`: a byte scanner, one multiply per
//! byte, one MinHash push per token, no allocation per token.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::minhash::{mix64, MinHash, MinHasher};

/// Which sketch to use where one is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SketchKind {
    /// Word n-shingles.
    Shingle,
    /// Content words and numbers.
    Content,
}

/// Sketch settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SketchConfig {
    /// MinHash values per signature.
    pub num_perm: usize,
    /// Words per shingle.
    pub shingle: usize,
    /// Bytes of a word kept as its stem in the content set (1 to 8).
    pub stem_prefix: usize,
}

impl Default for SketchConfig {
    fn default() -> Self {
        Self {
            num_perm: 128,
            shingle: 5,
            stem_prefix: 6,
        }
    }
}

/// Both signatures of one text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sketches {
    pub shingle: MinHash,
    pub content: MinHash,
    /// Word tokens seen.
    pub words: u32,
}

impl Sketches {
    pub fn get(&self, kind: SketchKind) -> &MinHash {
        match kind {
            SketchKind::Shingle => &self.shingle,
            SketchKind::Content => &self.content,
        }
    }
}

/// Computes [`Sketches`]; keep one per thread and reuse it.
///
/// ```
/// use retold_core::features::sketch::{Sketcher, SketchConfig};
/// let mut s = Sketcher::new(SketchConfig::default());
/// let a = s.sketch("The harbour bridge closed on Monday after engineers found a crack in its main span.", None);
/// let b = s.sketch("The harbour bridge was closed Monday after engineers found a crack in the main span.", None);
/// assert!(a.content.jaccard(&b.content) > a.shingle.jaccard(&b.shingle));
/// ```
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Sketcher {
    config: SketchConfig,
    shingles: MinHasher,
    content: MinHasher,
    /// The last `shingle` word hashes, as a ring.
    window: Vec<u64>,
}

impl Sketcher {
    pub fn new(config: SketchConfig) -> Self {
        let config = SketchConfig {
            shingle: config.shingle.max(1),
            stem_prefix: config.stem_prefix.clamp(1, 8),
            ..config
        };
        Self {
            config,
            shingles: MinHasher::new(config.num_perm),
            content: MinHasher::new(config.num_perm),
            window: Vec::with_capacity(config.shingle),
        }
    }

    pub fn config(&self) -> SketchConfig {
        self.config
    }

    /// Sketches `text`; `language` (ISO 639-1) picks the stop words, English by default.
    pub fn sketch(&mut self, text: &str, language: Option<&str>) -> Sketches {
        self.shingles.clear();
        self.content.clear();
        let (shingles, content) = (&mut self.shingles, &mut self.content);
        let words = scan(
            text,
            language,
            self.config,
            &mut self.window,
            &mut |h| shingles.push(h),
            &mut |h| content.push(h),
        );
        Sketches {
            shingle: self.shingles.finish(),
            content: self.content.finish(),
            words,
        }
    }

    /// The exact element sets behind the sketches (sorted, distinct), for
    /// verification and for measuring the sketches against the truth.
    pub fn sets(&mut self, text: &str, language: Option<&str>) -> (Vec<u64>, Vec<u64>) {
        let mut shingles = Vec::new();
        let mut content = Vec::new();
        scan(
            text,
            language,
            self.config,
            &mut self.window,
            &mut |h| shingles.push(h),
            &mut |h| content.push(h),
        );
        for v in [&mut shingles, &mut content] {
            v.sort_unstable();
            v.dedup();
        }
        (shingles, content)
    }
}

/// Exact Jaccard similarity of two sorted, distinct sets.
///
/// ```
/// use retold_core::features::sketch::jaccard_sorted;
/// assert_eq!(jaccard_sorted(&[1, 2, 3], &[2, 3, 4]), 0.5);
/// assert_eq!(jaccard_sorted::<u64>(&[], &[]), 0.0);
/// ```
pub fn jaccard_sorted<T: Ord>(a: &[T], b: &[T]) -> f64 {
    let both = intersect_count_merge(a, b);
    let union = a.len() + b.len() - both;
    if union == 0 {
        0.0
    } else {
        both as f64 / union as f64
    }
}

/// Number of common elements of two sorted lists of distinct values.
///
/// The lists are walked in blocks of [`BLOCK`]: the two current blocks are
/// compared element by element (all pairs, which the compiler does with
/// vector instructions), then the block ending lower moves on (both when
/// they end on the same value). An element whose block moves on has met
/// every element of the other list it can equal: a block of one list is
/// left only when the other's current block ends higher, and everything
/// before that block ended lower still. So each common value is counted
/// once, as by a plain merge ([`intersect_count_merge`], used for the last
/// elements of the shorter list); the blocks only shorten the chain of
/// dependent loads and comparisons that bounds the merge (about 2.5 times
/// as fast on lists of trigrams).
///
/// ```
/// use retold_core::features::sketch::intersect_count;
/// let a: Vec<u32> = (0..100).map(|x| x * 3).collect();
/// let b: Vec<u32> = (0..100).map(|x| x * 2).collect();
/// assert_eq!(intersect_count(&a, &b), 34); // the multiples of 6 below 200
/// assert_eq!(intersect_count(&[], &b), 0);
/// ```
pub fn intersect_count(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0usize);
    while let (Some(x), Some(y)) = (a.get(i..i + BLOCK), b.get(j..j + BLOCK)) {
        let mut same = 0u32;
        for p in x {
            for q in y {
                same += u32::from(p == q);
            }
        }
        n += same as usize;
        let (last_x, last_y) = (x[BLOCK - 1], y[BLOCK - 1]);
        i += BLOCK * usize::from(last_x <= last_y);
        j += BLOCK * usize::from(last_y <= last_x);
    }
    n + intersect_count_merge(&a[i..], &b[j..])
}

/// Elements per block of [`intersect_count`].
const BLOCK: usize = 8;

/// Common elements of two sorted lists by a plain merge ([`intersect_count`]
/// on `u32`s; for any ordered values): one comparison per step, and
/// without branches on it (they mispredict on hash lists) the smaller side
/// moves on, both on a common element. On lists with repeats, a value is
/// counted as often as both lists have it.
///
/// ```
/// use retold_core::features::sketch::intersect_count_merge;
/// assert_eq!(intersect_count_merge(&[1u64, 3, 5], &[3, 4, 5]), 2);
/// assert_eq!(intersect_count_merge(&["go", "go", "we"], &["go", "go", "go"]), 2);
/// ```
pub fn intersect_count_merge<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let o = a[i].cmp(&b[j]);
        n += usize::from(o.is_eq());
        i += usize::from(o.is_le());
        j += usize::from(o.is_ge());
    }
    n
}

/// [`jaccard_sorted`] of two sorted, distinct `u32` sets, the intersection
/// counted by [`intersect_count`]: the same counts, so the same value.
///
/// ```
/// use retold_core::features::sketch::{jaccard_sorted, jaccard_sorted_u32};
/// let (a, b): (Vec<u32>, Vec<u32>) = ((0..50).collect(), (25..90).collect());
/// assert_eq!(jaccard_sorted_u32(&a, &b), jaccard_sorted(&a, &b));
/// assert_eq!(jaccard_sorted_u32(&[], &[]), 0.0);
/// ```
pub fn jaccard_sorted_u32(a: &[u32], b: &[u32]) -> f64 {
    let both = intersect_count(a, b);
    let union = a.len() + b.len() - both;
    if union == 0 {
        0.0
    } else {
        both as f64 / union as f64
    }
}

/// One pass over the text: shingle hashes to `on_shingle`, content-word
/// hashes to `on_content`; returns the word count. `window` is scratch space.
fn scan(
    text: &str,
    language: Option<&str>,
    config: SketchConfig,
    window: &mut Vec<u64>,
    on_shingle: &mut impl FnMut(u64),
    on_content: &mut impl FnMut(u64),
) -> u32 {
    let stops = stop_hashes(language.unwrap_or("en"));
    let n = config.shingle;
    window.clear();
    window.resize(n, 0);
    let mut words: u32 = 0;
    let mut short_text_hash: Option<u64> = None;
    let mut rolling: u64 = 0;
    // ROLL^(n-1): the weight of the oldest word in the window.
    let top = (1..n).fold(1u64, |acc, _| acc.wrapping_mul(ROLL));
    for_each_word(text.as_bytes(), config.stem_prefix, |word| {
        words += 1;
        // Stop words count inside shingles only.
        let is_stop = !word.has_digit && stops.contains(&word.full);
        if !is_stop && (word.len > 1 || word.has_digit) {
            // One mix per content word: numbers by their whole text, words
            // by their (unmixed) prefix bytes.
            let key = if word.has_digit {
                word.full ^ CONTENT_SALT
            } else {
                word.prefix_bytes ^ PREFIX_SALT
            };
            on_content(mix64(key));
        }
        // Polynomial rolling hash over the last n words: take out the word
        // leaving the window, shift, add the new one. Three operations a word.
        let seen = words as usize;
        let slot = (seen - 1) % n;
        if seen > n {
            rolling = rolling.wrapping_sub(window[slot].wrapping_mul(top));
        }
        rolling = rolling.wrapping_mul(ROLL).wrapping_add(word.full);
        window[slot] = word.full;
        if seen >= n {
            on_shingle(mix64(rolling));
        } else {
            short_text_hash = Some(mix64(rolling));
        }
    });
    // Texts shorter than one shingle get one shingle of all their words.
    if (words as usize) < n {
        if let Some(h) = short_text_hash {
            on_shingle(h);
        }
    }
    words
}

/// Keeps prefix keys apart from whole-word keys in hash space.
const PREFIX_SALT: u64 = 0x51af_d7ed_558c_cd11;

/// Keeps the content set apart from the shingle set in hash space.
const CONTENT_SALT: u64 = 0x5bd1_e995_1234_5678;

/// Multiplier of the rolling shingle hash (odd, so it is invertible mod 2^64).
const ROLL: u64 = 0x9e37_79b9_7f4a_7c15;

/// One word as the scanner saw it.
#[derive(Debug, Clone, Copy)]
struct Word {
    /// Hash of the whole lower-cased word.
    full: u64,
    /// Its first `stem_prefix` bytes, lower-cased, packed (not yet mixed:
    /// only content words need a hash of it).
    prefix_bytes: u64,
    len: usize,
    has_digit: bool,
}

/// Byte classes for the scanner.
const OTHER: u8 = 0;
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
/// '.', ',' and '\'': inside a word only between the right neighbours.
const JOINER: u8 = 3;

/// Class of every byte: ASCII letters and digits and all non-ASCII bytes
/// are word bytes (so "café" and "Zürich" stay whole).
const CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphabetic() || c >= 0x80 {
            LETTER
        } else if c.is_ascii_digit() {
            DIGIT
        } else if c == b'.' || c == b',' || c == b'\'' {
            JOINER
        } else {
            OTHER
        };
        b += 1;
    }
    t
};

/// Splits text into words, lower-casing ASCII on the fly, and keeps "3.5",
/// "1,200" and "don't" as one word. Bytes are packed eight to a u64 and
/// folded with one multiply per eight bytes; `stem_prefix` (at most 8) bytes
/// of each word also give a prefix hash.
#[inline]
fn for_each_word(bytes: &[u8], stem_prefix: usize, mut f: impl FnMut(Word)) {
    const SEED: u64 = 0x243f_6a88_85a3_08d3;
    const K: u64 = 0x9fb2_1c65_1e98_df25;
    let prefix_mask: u64 = match stem_prefix.min(8) {
        8 => u64::MAX,
        p => (1u64 << (8 * p)) - 1,
    };
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        if !matches!(CLASS[bytes[i] as usize], LETTER | DIGIT) {
            i += 1;
            continue;
        }
        let mut h = SEED;
        let mut first = 0u64;
        let mut acc = 0u64;
        let mut shift = 0u32;
        let mut len = 0usize;
        let mut has_digit = false;
        while i < n {
            let c = bytes[i];
            let class = CLASS[c as usize];
            let ok = match class {
                LETTER => true,
                DIGIT => {
                    has_digit = true;
                    true
                }
                JOINER => match bytes.get(i + 1) {
                    Some(&next) if c == b'\'' => next.is_ascii_alphabetic(),
                    Some(&next) => has_digit && next.is_ascii_digit(),
                    None => false,
                },
                _ => false,
            };
            if !ok {
                break;
            }
            acc |= u64::from(c.to_ascii_lowercase()) << shift;
            shift += 8;
            len += 1;
            i += 1;
            if shift == 64 {
                if len == 8 {
                    first = acc;
                }
                h = (h ^ acc).wrapping_mul(K).rotate_left(29);
                acc = 0;
                shift = 0;
            }
        }
        if len < 8 {
            first = acc;
        }
        if shift > 0 {
            h = (h ^ acc).wrapping_mul(K).rotate_left(29);
        }
        f(Word {
            full: mix64(h ^ len as u64),
            prefix_bytes: first & prefix_mask,
            len,
            has_digit,
        });
    }
}

/// Stop words as a 65,536-bit filter on the word hash: 8 KiB, stays in L1
/// cache, one load per word. A content word that collides with a stop word's
/// bits (about 0.3% of words, always the same ones) is treated as a stop word.
#[derive(Debug)]
struct StopSet(Box<[u64; 1024]>);

impl Default for StopSet {
    fn default() -> Self {
        StopSet(Box::new([0; 1024]))
    }
}

impl StopSet {
    #[inline]
    fn bit(h: u64) -> (usize, u64) {
        let b = (h >> 48) as usize;
        (b >> 6, 1u64 << (b & 63))
    }

    fn insert(&mut self, h: u64) {
        let (i, m) = Self::bit(h);
        self.0[i] |= m;
    }

    #[inline]
    fn contains(&self, h: &u64) -> bool {
        let (i, m) = Self::bit(*h);
        self.0[i] & m != 0
    }
}

/// Hashes of a language's stop words, built once per language.
fn stop_hashes(language: &str) -> &'static StopSet {
    static SETS: OnceLock<Vec<(&'static str, StopSet)>> = OnceLock::new();
    static EMPTY: OnceLock<StopSet> = OnceLock::new();
    let sets = SETS.get_or_init(|| {
        [
            "en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "no", "fi", "ru", "pl", "tr",
        ]
        .iter()
        .filter_map(|&code| {
            let words = stop_words::lookup(code)?;
            let mut set = StopSet::default();
            for w in words {
                for_each_word(w.as_bytes(), usize::MAX, |word| {
                    set.insert(word.full);
                });
            }
            Some((code, set))
        })
        .collect()
    });
    sets.iter()
        .find(|(code, _)| *code == language)
        .or_else(|| sets.iter().find(|(code, _)| *code == "en"))
        .map(|(_, s)| s)
        .unwrap_or_else(|| EMPTY.get_or_init(StopSet::default))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A sorted set of values below `range`, so that two sets share some.
    fn set(range: u32) -> impl Strategy<Value = Vec<u32>> {
        proptest::collection::btree_set(0..range, 0..300).prop_map(|s| s.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn block_intersection_counts_as_the_merge(
            (a, b) in (1u32..2000).prop_flat_map(|r| (set(r), set(r)))
        ) {
            prop_assert_eq!(intersect_count(&a, &b), intersect_count_merge(&a, &b));
            prop_assert_eq!(intersect_count(&b, &a), intersect_count_merge(&a, &b));
            prop_assert_eq!(jaccard_sorted_u32(&a, &b), jaccard_sorted(&a, &b));
        }
    }

    fn words(text: &str) -> Vec<(usize, bool)> {
        let mut out = Vec::new();
        for_each_word(text.as_bytes(), 6, |w| out.push((w.len, w.has_digit)));
        out
    }

    #[test]
    fn scanner_keeps_numbers_and_contractions_whole() {
        assert_eq!(
            words("It cost $1,200.50, don't panic. Zürich 3.5"),
            vec![
                (2, false),
                (4, false),
                (8, true),
                (5, false),
                (5, false),
                (7, false),
                (3, true)
            ]
        );
        // Case does not matter.
        let mut a = Vec::new();
        let mut b = Vec::new();
        for_each_word(b"Bridge", 6, |w| a.push(w.full));
        for_each_word(b"bRIDGE", 6, |w| b.push(w.full));
        assert_eq!(a, b);
    }

    #[test]
    fn prefix_stems_merge_inflections() {
        let mut p = Vec::new();
        for_each_word(b"bridges bridge bridged", 6, |w| p.push(w.prefix_bytes));
        assert!(p.iter().all(|&x| x == p[0]));
    }

    #[test]
    fn spun_copy_keeps_content_not_shingles() {
        let mut s = Sketcher::new(SketchConfig {
            num_perm: 256,
            ..Default::default()
        });
        let original =
            "Mayor Keir Halloran said on Tuesday that one-fifth of the harbour bridge's \
            32 steel cables would be replaced before winter, at a cost of 4.2 million crowns. \
            Engineers found a crack in the main span last week, and the bridge has been closed \
            to lorries since then. The council will meet face-to-face with residents on Friday.";
        let spun = "Mayor Kiir Halloran stated on Tuesday that five of the harbor bridge's \
            32 steel cables might be substituted prior to winter, at an expense of 4.2 million crowns. \
            Engineers discovered a fissure in the principal span last week, and the bridge has been shut \
            to trucks ever since. The council will meet face -to -face with inhabitants on Friday.";
        let a = s.sketch(original, Some("en"));
        let b = s.sketch(spun, Some("en"));
        let c = s.sketch(
            "Markets fell sharply in Tokyo as investors weighed new export data.",
            Some("en"),
        );
        assert!(
            a.shingle.jaccard(&b.shingle) < 0.15,
            "{}",
            a.shingle.jaccard(&b.shingle)
        );
        assert!(
            a.content.jaccard(&b.content) > 0.3,
            "{}",
            a.content.jaccard(&b.content)
        );
        assert!(a.content.jaccard(&c.content) < 0.1);
    }

    #[test]
    fn sketches_estimate_the_exact_sets() {
        let mut s = Sketcher::new(SketchConfig {
            num_perm: 256,
            ..Default::default()
        });
        let a = "The regional council in Larkmoor voted on Tuesday to close the old harbour bridge \
            for at least nine months after inspectors found corrosion in one-fifth of its cables. \
            Traffic will be diverted through the ring road, adding about twenty minutes to commutes.";
        let b = "The regional council in Larkmoor decided on Tuesday to shut the old harbour bridge \
            for at least nine months after inspectors discovered corrosion in a fifth of its cables. \
            Traffic will be sent through the ring road, adding roughly twenty minutes to journeys.";
        let (sa, ca) = s.sets(a, None);
        let (sb, cb) = s.sets(b, None);
        let (ka, kb) = (s.sketch(a, None), s.sketch(b, None));
        let exact_c = jaccard_sorted(&ca, &cb);
        let exact_s = jaccard_sorted(&sa, &sb);
        assert!(
            (ka.content.jaccard(&kb.content) - exact_c).abs() < 0.15,
            "{exact_c}"
        );
        assert!(
            (ka.shingle.jaccard(&kb.shingle) - exact_s).abs() < 0.15,
            "{exact_s}"
        );
        assert!(
            exact_c > 0.4 && exact_s < 0.3,
            "content {exact_c} shingle {exact_s}"
        );
    }

    #[test]
    fn identical_texts_identical_sketches() {
        let mut s = Sketcher::new(SketchConfig::default());
        let t = "One short text. Two.";
        assert_eq!(s.sketch(t, None), s.sketch(t, None));
        // Shorter than one shingle still gets a shingle signature.
        assert!(!s.sketch("Hi there", None).shingle.is_empty());
        assert!(s.sketch("", None).shingle.is_empty());
    }
}
