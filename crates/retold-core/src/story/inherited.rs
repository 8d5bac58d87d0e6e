//! What a version took from its source is the source's: a text that is
//! two reports with a story's source is no version of that source's copy
//! or rewrite through what the copy or rewrite took from it.
//!
//! A pair verdict sees two texts. In a story, a third can explain what
//! they share. An independent report R of an occasion the wire story W
//! covers shares the occasion's order, names, figures and terms with W,
//! and so with every version of W: with a copy V of W it shares just what
//! it shares with W, give or take V's few edits. When the verdict on R
//! and W reads two reports ([`Model::two_reports_why`]), the verdict on R
//! and V can still read a rewrite, because V's edits happen to carry one
//! more of R's words across the line (on the fifth English set, a wire's
//! "The department has proposed" that a copy turned into "Police have
//! proposed", as the independent report has it). Hanging R below V then
//! makes a story that contradicts the pair verdict `compare` gives on R
//! and W.
//!
//! So, where a story places a member (the engine's placement, and the
//! re-rooting of a family), a derived link from member R to V is refused
//! when an ancestor W of V, as placed, is a text R is two reports with
//! (R read as the version), and either
//!
//! 1. **V is a copy of W** (every text between them a verbatim copy,
//!    duplicate or excerpt of its parent, held in it for at least
//!    [`COPY_HELD`]): what R shares with V, V took from W; or
//! 2. **beyond W, the pair is two reports too**: the verdict on R and V,
//!    its lifted sentences ([`PairFeatures::lifted_sentences`]) counted
//!    beyond those R lifts from W, is two reports. A rewrite V of W that
//!    adds its own material can pass that material on: a tabloid version
//!    of a wire's later take tells what the take added, and so is two
//!    reports with the first take but a version of the later one. It
//!    brings no words of its own against the take, so rule 2 keeps it.
//!
//! The refusal is said with the member
//! ([`RefusedBy::InheritedFrom`]). Measured on the English reuse sets
//! (QUALITY.md, "What a copy took from its source", session 31).
//!
//! [`Model::two_reports_why`]: crate::relate::model::Model::two_reports_why
//! [`PairFeatures::lifted_sentences`]: crate::relate::features::PairFeatures::lifted_sentences

use super::{Engine, RefusedBy, Verdict};
use crate::relate::degree::DegreeBasis;
use crate::relate::{Relation, Side};

/// The share of a copy that must be held in its parent for what a member
/// shares with it to be its parent's (rule 1 of the [module
/// documentation](self)):
/// a copy that adds a tenth of its own can have taken those lines from
/// elsewhere.
pub const COPY_HELD: f64 = 0.9;

impl Engine {
    /// Whether member `m`'s derived link to placed text `j` is explained by
    /// an ancestor of `j` that `m` is two reports with (see the [module
    /// documentation](self)), and how: the refusal to record. `to_j` is the
    /// verdict of `m` and `j`, `m` its side `m_side`; `to(c)` gives the
    /// verdict of `m` and text `c` with `m`'s side, when there is one.
    pub(super) fn inherited_from<'v>(
        &self,
        j: usize,
        to_j: &Verdict,
        m_side: Side,
        to: impl Fn(usize) -> Option<(&'v Verdict, Side)>,
    ) -> Option<RefusedBy> {
        if !self.config.inherited {
            return None;
        }
        let mut copies = true;
        let mut x = j;
        while let Some(c) = self.places[x].parent {
            copies &= self.held_copy(x);
            if let Some((v, side)) = to(c) {
                if self.two_reports_with(v, side) {
                    let source = self.entries[c].article.id.clone();
                    if copies {
                        return Some(RefusedBy::InheritedFrom { source, copy: true });
                    }
                    let mut beyond = to_j.features;
                    beyond.lifted_sentences = beyond
                        .lifted_sentences
                        .saturating_sub(v.features.lifted_sentences);
                    if self.config.model.two_reports(&beyond, Some(m_side)) {
                        return Some(RefusedBy::InheritedFrom {
                            source,
                            copy: false,
                        });
                    }
                }
            }
            x = c;
        }
        None
    }

    /// Whether placed member `x` is a verbatim copy of its parent held in
    /// it for at least [`COPY_HELD`].
    fn held_copy(&self, x: usize) -> bool {
        let p = &self.places[x];
        p.relation.is_some_and(Relation::is_verbatim)
            && matches!(p.degree, Some(DegreeBasis::Share { share, .. }) if share >= COPY_HELD)
    }

    /// Whether verdict `v` reads two reports with its side `side` as the
    /// version: turned to `same_story` that way, or derived (through the
    /// story's gates) with `side` bringing its own reporting.
    fn two_reports_with(&self, v: &Verdict, side: Side) -> bool {
        v.two_reports
            .as_ref()
            .is_some_and(|t| t.version.is_none_or(|x| x == side))
            || (v.relation.is_derived()
                && super::derived_p(v) >= self.config.derived_threshold
                && !super::may_hang_below(v, side, &self.config.model))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::{EngineConfig, Member, Role};
    use crate::test_support::reuse_set_dated;

    /// The members of one engine run over `ids` of `set`.
    fn members(config: EngineConfig, set: &str, ids: &[&str], dated: bool) -> Vec<Member> {
        let mut e = Engine::new(config);
        e.add_all(reuse_set_dated(set, ids, dated), &|_| {});
        e.stories().into_iter().flat_map(|s| s.members).collect()
    }

    fn member<'m>(members: &'m [Member], id: &str) -> &'m Member {
        members
            .iter()
            .find(|m| m.article == id)
            .unwrap_or_else(|| panic!("{id} placed: {members:#?}"))
    }

    fn off() -> EngineConfig {
        EngineConfig {
            inherited: false,
            ..EngineConfig::default()
        }
    }

    #[test]
    fn a_report_is_no_version_of_a_copy_of_the_wire_it_is_two_reports_with() {
        // The fifth English set's drone-hearing wire story (q07:t1), a
        // newspaper's copy of it (n3: one sentence dropped, "The
        // department has proposed" made "Police have proposed") and a
        // reporter's own account of the hearing (n1, non-derived).
        let ids = ["reuse-en5:q07:t1", "reuse-en5:q07:n3", "reuse-en5:q07:n1"];
        let texts = reuse_set_dated("reuse-en-5", &ids, false);
        let (wire, copy, report) = (&texts[0], &texts[1], &texts[2]);
        // The pair verdicts: two reports with the wire, but a rewrite of
        // the copy (whose edit carries one more of the report's words, and
        // so a second lifted sentence).
        let model = EngineConfig::default().model;
        let with_wire = crate::relate::compare(report, wire).verdict;
        assert!(
            model.two_reports(&with_wire.features, Some(Side::A)),
            "{with_wire:?}"
        );
        let with_copy = crate::relate::compare(report, copy).verdict;
        assert_eq!(with_copy.relation, Relation::Rewrite, "{with_copy:?}");
        assert!(
            !model.two_reports(&with_copy.features, Some(Side::A)),
            "{with_copy:?}"
        );
        // In a story, what the report shares with the copy is the wire's:
        // the report is a report of its own, dated (the engine's
        // placement) or not (the re-rooting), and says why.
        for dated in [false, true] {
            let got = members(EngineConfig::default(), "reuse-en-5", &ids, dated);
            assert_eq!(
                member(&got, &copy.id).parent.as_deref(),
                Some(wire.id.as_str())
            );
            let m = member(&got, &report.id);
            assert_eq!(
                (m.role, m.parent.as_deref()),
                (Role::Independent, None),
                "{m:#?}"
            );
            assert!(
                m.refused.iter().any(|r| r.against == copy.id
                    && matches!(&r.reason, RefusedBy::InheritedFrom { source, copy: true } if *source == wire.id)),
                "{m:#?}"
            );
            // Without the rule the report hangs below the copy.
            let got = members(off(), "reuse-en-5", &ids, dated);
            assert_eq!(
                member(&got, &report.id).parent.as_deref(),
                Some(copy.id.as_str())
            );
        }
    }

    #[test]
    fn beyond_what_a_rewrite_took_from_the_wire_two_reports_stay_two() {
        // The same report against a broadcaster's rewrite of the wire
        // (n2, partially derived: 35 words of its own), undated: the pair
        // reads a rewrite, but counted beyond the sentences the report
        // lifts from the wire it is two reports.
        let ids = ["reuse-en5:q07:t1", "reuse-en5:q07:n2", "reuse-en5:q07:n1"];
        let got = members(EngineConfig::default(), "reuse-en-5", &ids, false);
        assert_eq!(member(&got, ids[1]).parent.as_deref(), Some(ids[0]));
        let m = member(&got, ids[2]);
        assert_eq!(m.role, Role::Independent, "{m:#?}");
        assert!(
            m.refused.iter().any(|r| r.against == ids[1]
                && matches!(&r.reason, RefusedBy::InheritedFrom { source, copy: false } if source == ids[0])),
            "{m:#?}"
        );
        let got = members(off(), "reuse-en-5", &ids, false);
        assert_eq!(member(&got, ids[2]).parent.as_deref(), Some(ids[1]));
    }

    #[test]
    fn a_version_of_what_a_later_take_added_stays_below_the_take() {
        // The third set's play-off wire (m04:t1), the agency's later take
        // (t2, which adds the teenage scorer's story) and a tabloid made
        // from the take alone (n1, wholly derived). Against the first take
        // the tabloid tells names, figures and quotations the take added:
        // in the story (whose background the wording node reads) the two
        // are two reports. Against the take it brings no word of
        // its own, so what it shares with the take is more than the first
        // take explains, and it stays the take's version.
        let ids = ["reuse-en3:m04:t1", "reuse-en3:m04:t2", "reuse-en3:m04:n1"];
        let mut e = Engine::new(EngineConfig::default());
        e.add_all(reuse_set_dated("reuse-en-3", &ids, false), &|_| {});
        let at = |id: &str| {
            e.entries
                .iter()
                .position(|x| x.article.id == id)
                .expect("placed")
        };
        let (first, tabloid) = (at(ids[0]), at(ids[2]));
        let (pf, pt) = (e.prepared(first, None), e.prepared(tabloid, None));
        let (v, _) = e.verdict(first, tabloid, &pf, &pt);
        assert!(e.two_reports_with(&v, Side::B), "{v:?}");
        let got: Vec<Member> = e.stories().into_iter().flat_map(|s| s.members).collect();
        assert_eq!(member(&got, ids[1]).parent.as_deref(), Some(ids[0]));
        let m = member(&got, ids[2]);
        assert_eq!(m.parent.as_deref(), Some(ids[1]), "{m:#?}");
    }
}
