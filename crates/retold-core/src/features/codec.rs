//! A compact binary form of [`Features`], for caches and stores.
//!
//! Layout: the magic `RTF1`, then LEB128 varints: word count; each MinHash as
//! an empty flag, its length and its values (4 bytes each, little-endian);
//! sorted hash lists as delta-coded varints; term counts as varints; sentence
//! spans as (start delta, length). Sorted hashes delta-code to ~3 bytes each.

use super::minhash::MinHash;
use super::{Features, SentenceSketch};
use crate::text::Span;

const MAGIC: &[u8; 4] = b"RTF1";

/// Why bytes could not be decoded as features.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("not a features record (bad magic)")]
    BadMagic,
    #[error("features record ends early at byte {0}")]
    Truncated(usize),
    #[error("features record has a bad value at byte {0}")]
    BadValue(usize),
}

/// Encodes features into bytes.
///
/// ```
/// use retold_core::features::{codec, Features};
/// use retold_core::features::sketch::{SketchConfig, Sketcher};
/// let doc = retold_core::text::analyze("A bridge closed. It reopened in 2027.", None);
/// let f = Features::compute(&doc, &mut Sketcher::new(SketchConfig::default()));
/// let bytes = codec::encode(&f);
/// assert_eq!(codec::decode(&bytes).unwrap(), f);
/// ```
pub fn encode(f: &Features) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + f.shingle.len() * 8 + f.content_set.len() * 3);
    out.extend_from_slice(MAGIC);
    put(&mut out, u64::from(f.words));
    for m in [&f.shingle, &f.content] {
        put(&mut out, u64::from(m.is_empty()));
        put(&mut out, m.len() as u64);
        for &v in m.values() {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    put_sorted(&mut out, &f.content_set);
    put_counts(&mut out, &f.terms);
    put_counts(&mut out, &f.entities);
    put(&mut out, f.sentences.len() as u64);
    let mut at = 0usize;
    for s in &f.sentences {
        put(&mut out, s.span.start.saturating_sub(at) as u64);
        put(&mut out, s.span.end.saturating_sub(s.span.start) as u64);
        at = s.span.end;
        put_sorted(&mut out, &s.stems);
        put_sorted(&mut out, &s.numbers);
    }
    out
}

/// Decodes bytes written by [`encode`].
pub fn decode(bytes: &[u8]) -> Result<Features, DecodeError> {
    if bytes.len() < 4 || &bytes[..4] != MAGIC {
        return Err(DecodeError::BadMagic);
    }
    let mut r = Reader { bytes, pos: 4 };
    let words = r.u32()?;
    let mut sigs = Vec::with_capacity(2);
    for _ in 0..2 {
        let empty = r.varint()? != 0;
        let k = r.len(4)?;
        let mut values = Vec::with_capacity(k);
        for _ in 0..k {
            let b = r.take(4)?;
            values.push(u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        }
        sigs.push(MinHash::from_values(values, empty));
    }
    let content = sigs.pop().ok_or(DecodeError::BadValue(r.pos))?;
    let shingle = sigs.pop().ok_or(DecodeError::BadValue(r.pos))?;
    let content_set = r.sorted()?;
    let terms = r.counts()?;
    let entities = r.counts()?;
    let n_sent = r.len(4)?;
    let mut sentences = Vec::with_capacity(n_sent);
    let mut at = 0usize;
    for _ in 0..n_sent {
        let start = at
            .checked_add(r.usize()?)
            .ok_or(DecodeError::BadValue(r.pos))?;
        let end = start
            .checked_add(r.usize()?)
            .ok_or(DecodeError::BadValue(r.pos))?;
        at = end;
        sentences.push(SentenceSketch {
            span: Span { start, end },
            stems: r.sorted()?,
            numbers: r.sorted()?,
        });
    }
    if r.pos != bytes.len() {
        return Err(DecodeError::BadValue(r.pos));
    }
    Ok(Features {
        words,
        shingle,
        content,
        content_set,
        terms,
        entities,
        sentences,
    })
}

fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_counts(out: &mut Vec<u8>, v: &[(u32, u16)]) {
    put(out, v.len() as u64);
    let mut prev = 0u32;
    for &(t, n) in v {
        put(out, u64::from(t.wrapping_sub(prev)));
        put(out, u64::from(n));
        prev = t;
    }
}

fn put_sorted(out: &mut Vec<u8>, v: &[u32]) {
    put(out, v.len() as u64);
    let mut prev = 0u32;
    for &x in v {
        put(out, u64::from(x.wrapping_sub(prev)));
        prev = x;
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], DecodeError> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or(DecodeError::Truncated(self.pos))?;
        let s = self
            .bytes
            .get(self.pos..end)
            .ok_or(DecodeError::Truncated(self.pos))?;
        self.pos = end;
        Ok(s)
    }

    fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = *self
                .bytes
                .get(self.pos)
                .ok_or(DecodeError::Truncated(self.pos))?;
            self.pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(DecodeError::BadValue(self.pos))
    }

    fn u32(&mut self) -> Result<u32, DecodeError> {
        u32::try_from(self.varint()?).map_err(|_| DecodeError::BadValue(self.pos))
    }

    fn usize(&mut self) -> Result<usize, DecodeError> {
        usize::try_from(self.varint()?).map_err(|_| DecodeError::BadValue(self.pos))
    }

    /// A length whose items take at least `min_bytes` each: refuses lengths
    /// the remaining bytes cannot hold, so bad input cannot ask for huge memory.
    fn len(&mut self, min_bytes: usize) -> Result<usize, DecodeError> {
        let n = self.usize()?;
        let left = self.bytes.len() - self.pos;
        if n.saturating_mul(min_bytes.max(1)) > left {
            return Err(DecodeError::Truncated(self.pos));
        }
        Ok(n)
    }

    fn counts(&mut self) -> Result<Vec<(u32, u16)>, DecodeError> {
        let n = self.len(2)?;
        let mut v = Vec::with_capacity(n);
        let mut prev = 0u32;
        for _ in 0..n {
            let t = prev.wrapping_add(self.u32()?);
            let c = u16::try_from(self.varint()?).map_err(|_| DecodeError::BadValue(self.pos))?;
            v.push((t, c));
            prev = t;
        }
        Ok(v)
    }

    fn sorted(&mut self) -> Result<Vec<u32>, DecodeError> {
        let n = self.len(1)?;
        let mut v = Vec::with_capacity(n);
        let mut prev = 0u32;
        for _ in 0..n {
            prev = prev.wrapping_add(self.u32()?);
            v.push(prev);
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::sketch::{SketchConfig, Sketcher};
    use proptest::prelude::*;

    fn sample() -> Features {
        let raw = "Mayor Helena Voss said on Tuesday that 40 new buses will arrive. \
                   The plan costs 12.5 million crowns. Residents welcomed it.";
        let doc = crate::text::analyze(raw, Some("en"));
        Features::compute(&doc, &mut Sketcher::new(SketchConfig::default()))
    }

    #[test]
    fn round_trip_and_size() {
        let f = sample();
        let bytes = encode(&f);
        assert_eq!(decode(&bytes).unwrap(), f);
        let json = serde_json::to_vec(&f).unwrap();
        assert!(
            bytes.len() * 2 < json.len(),
            "{} vs {}",
            bytes.len(),
            json.len()
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        let bytes = encode(&sample());
        assert_eq!(decode(b"nope"), Err(DecodeError::BadMagic));
        for cut in [4, 10, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(decode(&extra).is_err());
    }

    proptest! {
        #[test]
        fn decode_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..512)) {
            let mut bytes = MAGIC.to_vec();
            bytes.extend(tail);
            let _ = decode(&bytes);
        }

        #[test]
        fn round_trips_any_text(text in "\\PC{0,300}") {
            let doc = crate::text::analyze(&text, None);
            let f = Features::compute(&doc, &mut Sketcher::new(SketchConfig { num_perm: 16, ..Default::default() }));
            prop_assert_eq!(decode(&encode(&f)).unwrap(), f);
        }
    }
}
