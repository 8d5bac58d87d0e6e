//! Passages: aligned pairs grouped into maximal stretches of shared text.
//!
//! Two groups join when they are at most `gap` sentences apart in *both*
//! texts, whatever their order: a copied passage whose sentences were
//! shuffled, or that lost a sentence or two to an edit, stays one passage.
//! Groups are joined until no two are close, so the result does not depend
//! on the order pairs come in.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::text::Span;

/// How passages are formed and which are kept.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PassageConfig {
    /// Most sentences between two groups (in each text) that still join them.
    pub gap: usize,
    /// A passage of a single aligned pair is kept only at this similarity or above.
    pub min_single_score: f32,
    /// Least evidence of a passage: the sum over its pairs of how far each
    /// score lies above the aligner's threshold τ (`Σ max(0, score − τ)`).
    /// Keeps out passages of a few barely similar sentences on a shared
    /// topic.
    pub min_gain: f32,
    /// Least characters of aligned text (in the shorter side) of a passage.
    pub min_chars: usize,
    /// Cut each end of a passage to the first and last word its edge
    /// sentence shares with its partner (drops headings and unrelated text
    /// glued onto an edge sentence).
    pub trim_edges: bool,
}

impl Default for PassageConfig {
    fn default() -> Self {
        PassageConfig {
            gap: 3,
            min_single_score: 0.5,
            min_gain: 0.0,
            min_chars: 0,
            trim_edges: true,
        }
    }
}

/// One text's side of a [`Passage`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassageSide {
    /// Sentence indices, half-open.
    pub sentences: Range<usize>,
    /// Byte span in the clean text.
    pub clean: Span,
    /// Byte span in the original text.
    pub original: Span,
    /// Characters of the sentences inside that are aligned.
    pub aligned_chars: usize,
}

/// A maximal stretch of text shared by both sides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    pub a: PassageSide,
    pub b: PassageSide,
    /// Aligned pairs inside.
    pub pairs: usize,
    /// Mean similarity of those pairs.
    pub mean_similarity: f32,
}

impl Passage {
    /// The passage as character (not byte) offsets in both original texts.
    ///
    /// ```
    /// use retold_core::align::passage::CharIndex;
    /// let raw = "é€ ab";
    /// let ix = CharIndex::new(raw);
    /// assert_eq!(ix.char_at(raw.len()), 5);
    /// assert_eq!(ix.char_at(5), 2); // the byte after "é€"
    /// ```
    pub fn char_spans(&self, a: &CharIndex, b: &CharIndex) -> (Span, Span) {
        (a.char_span(self.a.original), b.char_span(self.b.original))
    }
}

/// Converts byte offsets of a text to character offsets (`O(log k)` per
/// lookup, `k` = multi-byte characters in the text).
#[derive(Debug, Clone, Default)]
pub struct CharIndex {
    /// (byte offset just after a multi-byte char, extra bytes so far).
    steps: Vec<(usize, usize)>,
}

impl CharIndex {
    pub fn new(text: &str) -> CharIndex {
        let mut steps = Vec::new();
        let mut extra = 0;
        for (i, c) in text.char_indices() {
            let len = c.len_utf8();
            if len > 1 {
                extra += len - 1;
                steps.push((i + len, extra));
            }
        }
        CharIndex { steps }
    }

    /// The character offset of byte offset `byte` (a char boundary).
    pub fn char_at(&self, byte: usize) -> usize {
        let k = self.steps.partition_point(|&(b, _)| b <= byte);
        let extra = k.checked_sub(1).map_or(0, |k| self.steps[k].1);
        byte - extra.min(byte)
    }

    /// A byte span as a character span.
    pub fn char_span(&self, span: Span) -> Span {
        Span {
            start: self.char_at(span.start),
            end: self.char_at(span.end),
        }
    }
}

/// A block of aligned sentences as the grouping sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Block {
    pub a: (usize, usize),
    pub b: (usize, usize),
    pub score: f32,
}

/// A group of blocks: the extents in both texts and the blocks inside.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    pub a: (usize, usize),
    pub b: (usize, usize),
    pub members: Vec<usize>,
}

fn distance(x: (usize, usize), y: (usize, usize)) -> usize {
    y.0.saturating_sub(x.1).max(x.0.saturating_sub(y.1))
}

/// Groups blocks that lie within `gap` sentences of each other in both
/// texts (transitively, on the groups' extents). Groups come sorted by
/// their start in A; members keep the blocks' indices, sorted.
pub(crate) fn group_blocks(blocks: &[Block], gap: usize) -> Vec<Group> {
    let mut groups: Vec<Group> = blocks
        .iter()
        .enumerate()
        .map(|(k, bl)| Group {
            a: bl.a,
            b: bl.b,
            members: vec![k],
        })
        .collect();
    loop {
        groups.sort_by_key(|g| g.a);
        let mut merged = false;
        let mut i = 0;
        while i < groups.len() {
            let mut j = i + 1;
            while j < groups.len() {
                // Sorted by start in A: later groups only start further away.
                if groups[j].a.0 > groups[i].a.1.saturating_add(gap) {
                    break;
                }
                if distance(groups[i].a, groups[j].a) <= gap
                    && distance(groups[i].b, groups[j].b) <= gap
                {
                    let g = groups.remove(j);
                    let host = &mut groups[i];
                    host.a = (host.a.0.min(g.a.0), host.a.1.max(g.a.1));
                    host.b = (host.b.0.min(g.b.0), host.b.1.max(g.b.1));
                    host.members.extend(g.members);
                    merged = true;
                    // The host grew: look at all later groups again.
                    j = i + 1;
                } else {
                    j += 1;
                }
            }
            i += 1;
        }
        if !merged {
            break;
        }
    }
    for g in &mut groups {
        g.members.sort_unstable();
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(a: usize, b: usize) -> Block {
        Block {
            a: (a, a + 1),
            b: (b, b + 1),
            score: 1.0,
        }
    }

    #[test]
    fn shuffled_neighbours_form_one_group() {
        let blocks = [block(10, 32), block(11, 30), block(12, 31), block(40, 2)];
        let g = group_blocks(&blocks, 1);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].a, (10, 13));
        assert_eq!(g[0].b, (30, 33));
        assert_eq!(g[0].members, [0, 1, 2]);
        assert_eq!(g[1].members, [3]);
    }

    #[test]
    fn close_in_one_text_only_stays_apart() {
        let g = group_blocks(&[block(0, 0), block(1, 50)], 3);
        assert_eq!(g.len(), 2);
        // A gap of exactly `gap` sentences joins.
        let g = group_blocks(&[block(0, 0), block(4, 4)], 3);
        assert_eq!(g.len(), 1);
        let g = group_blocks(&[block(0, 0), block(5, 5)], 3);
        assert_eq!(g.len(), 2);
    }

    #[test]
    fn joining_is_transitive_through_grown_extents() {
        // 0 and 2 are too far apart alone, but 1 bridges them.
        let g = group_blocks(&[block(0, 0), block(8, 8), block(4, 4)], 3);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].members, [0, 1, 2]);
    }

    #[test]
    fn char_index_counts_characters() {
        let raw = "aé b€c";
        let ix = CharIndex::new(raw);
        for (chars, (byte, _)) in raw.char_indices().enumerate() {
            assert_eq!(ix.char_at(byte), chars);
        }
        assert_eq!(ix.char_at(raw.len()), raw.chars().count());
        assert_eq!(
            ix.char_span(Span { start: 1, end: 3 }),
            Span { start: 1, end: 2 }
        );
    }
}
