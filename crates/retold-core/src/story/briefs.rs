//! Candidates for short texts: the engine's side of
//! [`LeadIndex`](crate::index::lead::LeadIndex).
//!
//! The body index proposes the strongest candidates by content-word
//! Jaccard; when the new article or an earlier one is short (at most
//! [`EngineConfig::short_text_words`](super::EngineConfig::short_text_words)
//! words), the earlier articles whose leads share enough stems with the new
//! one's are proposed too (the most shared first, at most
//! [`LEAD_CANDIDATES`] more). The aligner and the story link then decide
//! as for any candidate.

use jiff::Timestamp;

use super::{Engine, Prepared};
use crate::text::TokenKind;

/// Most lead candidates added to the body index's.
pub const LEAD_CANDIDATES: usize = 6;

/// Word tokens of a prepared text.
pub(super) fn word_count(p: &Prepared) -> u32 {
    p.doc
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .count() as u32
}

impl Engine {
    /// `candidates` (from the body index) with the lead index's for article
    /// `p`, among the articles numbered below `limit`.
    pub(super) fn with_lead_candidates(
        &self,
        mut candidates: Vec<usize>,
        p: &Prepared,
        published: Option<Timestamp>,
        limit: u32,
    ) -> Vec<usize> {
        if self.config.short_text_words == 0 {
            return candidates;
        }
        let mut found = self
            .leads
            .query_before(&p.lead, published, word_count(p), limit);
        found.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        let extra: Vec<usize> = found
            .into_iter()
            .map(|(d, _)| d as usize)
            .filter(|d| !candidates.contains(d))
            .take(LEAD_CANDIDATES)
            .collect();
        candidates.extend(extra);
        candidates
    }
}
