//! Offset map from a derived text (normalized, cleaned) back to the raw text.
//!
//! The map stores one segment per *edit*, not per byte: a run of text copied
//! unchanged from the raw input is one segment however long it is, and every
//! replacement (a curly quote made straight, a joined line break, an NFKC
//! expansion) is one segment that stands for a whole raw range. A typical
//! article needs a few dozen segments.

use std::ops::Range;

use super::Span;

/// One piece of the derived text and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    /// Start of the piece in the derived text.
    clean: usize,
    /// Raw range the piece stands for.
    orig_start: usize,
    orig_end: usize,
    /// True when the piece is a byte-for-byte copy of `raw[orig_start..orig_end]`,
    /// so positions inside it map one to one.
    copied: bool,
}

/// Maps byte offsets of a derived string back to the raw string it came from.
///
/// Positions inside a copied run map exactly; positions inside a replaced
/// piece map to the start of the raw range it replaced (or to its end, for
/// the end of a span). The mapping is monotone and always lands on a char
/// boundary of the raw text when given a char boundary of the derived text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OffsetMap {
    segments: Vec<Segment>,
    clean_len: usize,
}

impl OffsetMap {
    /// The identity map of a text of `len` bytes.
    pub fn identity(len: usize) -> Self {
        let segments = if len > 0 {
            vec![Segment {
                clean: 0,
                orig_start: 0,
                orig_end: len,
                copied: true,
            }]
        } else {
            Vec::new()
        };
        OffsetMap {
            segments,
            clean_len: len,
        }
    }

    /// Number of segments (a measure of how much the text was edited).
    pub fn segment_count(&self) -> usize {
        self.segments.len()
    }

    /// Length of the derived text this map was built for.
    pub fn clean_len(&self) -> usize {
        self.clean_len
    }

    /// Index of the segment holding byte `pos` (`clean <= pos`), if any.
    fn segment_at(&self, pos: usize) -> Option<usize> {
        let i = self.segments.partition_point(|s| s.clean <= pos);
        i.checked_sub(1)
    }

    fn segment_end(&self, i: usize) -> usize {
        self.segments
            .get(i + 1)
            .map_or(self.clean_len, |next| next.clean)
    }

    /// Raw offset of derived offset `pos`, read as the start of something.
    pub fn to_original(&self, pos: usize) -> usize {
        if pos >= self.clean_len {
            return self.segments.last().map_or(0, |s| s.orig_end);
        }
        let Some(i) = self.segment_at(pos) else {
            return self.segments.first().map_or(0, |s| s.orig_start);
        };
        let s = &self.segments[i];
        if s.copied {
            (s.orig_start + (pos - s.clean)).min(s.orig_end)
        } else {
            s.orig_start
        }
    }

    /// Raw offset of derived offset `pos`, read as the (exclusive) end of
    /// something: a position inside or at the end of a replaced piece maps to
    /// the end of the raw range it replaced.
    pub fn to_original_end(&self, pos: usize) -> usize {
        if pos == 0 {
            return self.segments.first().map_or(0, |s| s.orig_start);
        }
        let pos = pos.min(self.clean_len);
        // The segment holding the byte just before `pos`.
        let Some(i) = self.segment_at(pos - 1) else {
            return 0;
        };
        let s = &self.segments[i];
        if s.copied {
            (s.orig_start + (pos - s.clean)).min(s.orig_end)
        } else {
            // `pos - 1` lies inside the replaced piece.
            s.orig_end
        }
    }

    /// Raw span of a derived span: starts map as starts, ends as ends, so a
    /// span covers every raw byte its text came from.
    pub fn to_original_span(&self, span: Span) -> Span {
        let start = self.to_original(span.start);
        if span.end <= span.start {
            return Span { start, end: start };
        }
        let end = self.to_original_end(span.end).max(start);
        Span { start, end }
    }

    /// Appends the part `range` of `text` (whose map is `self`) to `out`, so
    /// that `out`'s map still points into the same raw text.
    pub(crate) fn carry(&self, text: &str, range: Range<usize>, out: &mut MapBuilder) {
        let (start, end) = (range.start.min(text.len()), range.end.min(text.len()));
        if start >= end {
            return;
        }
        let first = self.segment_at(start).unwrap_or(0);
        for i in first..self.segments.len() {
            let s = self.segments[i];
            let (seg_start, seg_end) = (s.clean, self.segment_end(i));
            if seg_start >= end {
                break;
            }
            let (a, b) = (seg_start.max(start), seg_end.min(end));
            if a >= b {
                continue;
            }
            let Some(piece) = text.get(a..b) else {
                continue;
            };
            if s.copied {
                out.push_copied(piece, s.orig_start + (a - seg_start));
            } else {
                out.push_replaced(piece, s.orig_start..s.orig_end);
            }
        }
    }
}

/// Builds a derived string together with its [`OffsetMap`].
#[derive(Debug, Default)]
pub(crate) struct MapBuilder {
    text: String,
    segments: Vec<Segment>,
    /// Raw range of the last replaced piece, so that several output pieces
    /// standing for the same raw range share one segment.
    last_replaced: Option<(usize, usize)>,
}

impl MapBuilder {
    pub(crate) fn with_capacity(n: usize) -> Self {
        MapBuilder {
            text: String::with_capacity(n),
            segments: Vec::new(),
            last_replaced: None,
        }
    }

    /// Appends `piece`, a verbatim copy of the raw text at `orig`.
    pub(crate) fn push_copied(&mut self, piece: &str, orig: usize) {
        if piece.is_empty() {
            return;
        }
        self.last_replaced = None;
        let clean = self.text.len();
        self.text.push_str(piece);
        if let Some(last) = self.segments.last_mut() {
            if last.copied && last.orig_end == orig {
                last.orig_end += piece.len();
                return;
            }
        }
        self.segments.push(Segment {
            clean,
            orig_start: orig,
            orig_end: orig + piece.len(),
            copied: true,
        });
    }

    /// Appends a single char copied verbatim from raw offset `orig`.
    pub(crate) fn push_copied_char(&mut self, c: char, orig: usize) {
        let mut buf = [0u8; 4];
        self.push_copied(c.encode_utf8(&mut buf), orig);
    }

    /// Appends `piece`, which stands for the raw range `orig`.
    pub(crate) fn push_replaced(&mut self, piece: &str, orig: Range<usize>) {
        if piece.is_empty() {
            return;
        }
        let key = (orig.start, orig.end);
        let clean = self.text.len();
        self.text.push_str(piece);
        if self.last_replaced == Some(key) {
            return;
        }
        self.last_replaced = Some(key);
        self.segments.push(Segment {
            clean,
            orig_start: orig.start,
            orig_end: orig.end.max(orig.start),
            copied: false,
        });
    }

    /// Appends a single char standing for the raw range `orig`.
    pub(crate) fn push_replaced_char(&mut self, c: char, orig: Range<usize>) {
        let mut buf = [0u8; 4];
        self.push_replaced(c.encode_utf8(&mut buf), orig);
    }

    /// The finished text and its map.
    pub(crate) fn finish_with_text(mut self) -> (String, OffsetMap) {
        let text = std::mem::take(&mut self.text);
        let segments = std::mem::take(&mut self.segments);
        let map = OffsetMap {
            clean_len: text.len(),
            segments,
        };
        (text, map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_maps_every_position_to_itself() {
        let m = OffsetMap::identity(10);
        for i in 0..=10 {
            assert_eq!(m.to_original(i), i);
        }
        assert_eq!(m.segment_count(), 1);
    }

    #[test]
    fn copies_merge_and_replacements_cover_their_raw_range() {
        // raw: "a “b” c"  (curly quotes are 3 bytes each)
        let raw = "a \u{201c}b\u{201d} c";
        let mut b = MapBuilder::default();
        b.push_copied("a ", 0);
        b.push_replaced("\"", 2..5);
        b.push_copied("b", 5);
        b.push_replaced("\"", 6..9);
        b.push_copied(" c", 9);
        let (text, m) = b.finish_with_text();
        assert_eq!(text, "a \"b\" c");
        assert_eq!(m.segment_count(), 5);
        assert_eq!(m.to_original(2), 2);
        assert_eq!(m.to_original(3), 5);
        assert_eq!(m.to_original_end(3), 5);
        let whole = m.to_original_span(Span { start: 2, end: 5 });
        assert_eq!(&raw[whole.start..whole.end], "\u{201c}b\u{201d}");
        assert_eq!(m.to_original(text.len()), raw.len());
    }

    #[test]
    fn deleted_raw_bytes_are_skipped_by_spans() {
        // raw "ab  cd": one of the two spaces was dropped.
        let mut b = MapBuilder::default();
        b.push_copied("ab ", 0);
        b.push_copied("cd", 4);
        let (text, m) = b.finish_with_text();
        assert_eq!(text, "ab cd");
        assert_eq!(
            m.to_original_span(Span { start: 0, end: 2 }),
            Span { start: 0, end: 2 }
        );
        assert_eq!(
            m.to_original_span(Span { start: 3, end: 5 }),
            Span { start: 4, end: 6 }
        );
    }

    #[test]
    fn carry_composes_two_maps() {
        let mut b = MapBuilder::default();
        b.push_copied("one ", 10);
        b.push_replaced("-", 14..17);
        b.push_copied(" two", 17);
        let (text, m) = b.finish_with_text();
        let mut out = MapBuilder::default();
        m.carry(&text, 4..text.len(), &mut out);
        let (t2, m2) = out.finish_with_text();
        assert_eq!(t2, "- two");
        assert_eq!(m2.to_original(0), 14);
        assert_eq!(m2.to_original(1), 17);
        assert_eq!(m2.to_original_end(1), 17);
        assert_eq!(m2.to_original(t2.len()), 21);
    }
}
