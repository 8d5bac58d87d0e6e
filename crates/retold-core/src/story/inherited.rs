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
//! 2. **R is no version of what V added to W**: the verdict on R and
//!    the sentences of V that the alignment of V against W leaves
//!    unmatched is no derived link the story would follow, or reads two
//!    reports. Whatever R shares with the sentences V took from W, W
//!    explains, and R is two reports with W; only what V brought of its
//!    own can make R its version. An independent report that a partly
//!    derived newspaper rewrite seems to have fed (it shares the wire's
//!    figures and phrasing through the newspaper's wire sentences) is
//!    nothing like the newspaper's own interviews and background, and
//!    stays a report of its own. A tabloid made from a wire's later take
//!    tells what the take added (so it is two reports with the first
//!    take) and is a version of those added paragraphs: it stays below
//!    the take.
//!
//! Rule 1 is rule 2's limit (a copy adds nothing of its own) read from
//! the placement alone, without comparing again; rule 2 aligns V with W
//! and compares R with V's own sentences, which a story does only for a
//! link rule 1 has not settled. Session 31's rule 2 counted R's lifted
//! sentences ([`PairFeatures::lifted_sentences`]) beyond those it lifts
//! from W; it left an independent report below a newspaper whenever the
//! pair stayed a rewrite on the newspaper's own reporting or shared
//! phrasing, which the count of lifted sentences does not see.
//!
//! The refusal is said with the member
//! ([`RefusedBy::InheritedFrom`]). Measured on the English reuse sets
//! (QUALITY.md, "What a copy took from its source", session 31, and
//! "What a version added", session 32).
//!
//! [`Model::two_reports_why`]: crate::relate::model::Model::two_reports_why
//! [`PairFeatures::lifted_sentences`]: crate::relate::features::PairFeatures::lifted_sentences

use super::{Engine, Prepared, RefusedBy, Verdict};
use crate::align::PreparedPair;
use crate::article::Article;
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
    /// documentation](self)), and how: the refusal to record. `to(c)` gives
    /// the verdict of `m` and text `c` with `m`'s side, when there is one.
    pub(super) fn inherited_from<'v>(
        &self,
        m: usize,
        j: usize,
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
                    if !self.version_beyond(m, j, c) {
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

    /// Whether member `m` is a version of what text `j` did not take from
    /// its ancestor `c`: of `j`'s sentences the alignment of `j` against
    /// `c` leaves unmatched (rule 2 of the [module documentation](self)).
    /// A version is a derived verdict the story would follow
    /// ([`Engine::derived_and_faithful`] without the names) that does not
    /// read two reports with `m` as the version.
    fn version_beyond(&self, m: usize, j: usize, c: usize) -> bool {
        let (pj, pc) = (self.prepared(j, None), self.prepared(c, None));
        let full = &self.config.align;
        let al = PreparedPair::from_profiles(&pj.doc, &pc.doc, &pj.profile, &pc.profile, full)
            .align(full);
        let (taken, _) = al.aligned_sentences();
        let rest: Vec<&str> = al
            .a_spans
            .iter()
            .zip(&taken)
            .filter(|(_, &t)| !t)
            .map(|(&span, _)| pj.doc.text(span))
            .collect();
        if rest.is_empty() {
            return false;
        }
        let beyond = Article {
            text: rest.join("\n\n"),
            title: None,
            ..self.entries[j].article.without_text()
        };
        let pb = Prepared::new(&beyond, full, &self.furniture);
        let pm = self.prepared(m, None);
        let (v, _) = self.lexical_verdict_of((&self.entries[m].article, &pm), (&beyond, &pb));
        v.relation.is_derived()
            && super::derived_p(&v) >= self.config.derived_threshold
            && !self.config.model.two_reports(&v.features, Some(Side::A))
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

    /// Whether member `m` records the refusal of its link to `against` as
    /// inherited from `source` (a copy of it or not, `copy`).
    fn refused_as_inherited(m: &Member, against: &str, source: &str, copy: bool) -> bool {
        m.refused.iter().any(|r| {
            r.against == against
                && matches!(&r.reason, RefusedBy::InheritedFrom { source: s, copy: c } if s == source && *c == copy)
        })
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
            assert!(refused_as_inherited(m, &copy.id, &wire.id, true), "{m:#?}");
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
        // reads a rewrite, but against what the rewrite did not take from
        // the wire the report is no version.
        let ids = ["reuse-en5:q07:t1", "reuse-en5:q07:n2", "reuse-en5:q07:n1"];
        let got = members(EngineConfig::default(), "reuse-en-5", &ids, false);
        assert_eq!(member(&got, ids[1]).parent.as_deref(), Some(ids[0]));
        let m = member(&got, ids[2]);
        assert_eq!(m.role, Role::Independent, "{m:#?}");
        assert!(refused_as_inherited(m, ids[1], ids[0], false), "{m:#?}");
        let got = members(off(), "reuse-en-5", &ids, false);
        assert_eq!(member(&got, ids[2]).parent.as_deref(), Some(ids[1]));
    }

    #[test]
    fn a_report_is_no_version_of_what_a_rewrite_took_from_the_wire() {
        // The fifth set's parish-council wire (q09:t1), a newspaper's
        // version of it with reporting of its own (n2, partially derived)
        // and a reporter's own account of the meeting (n3, non-derived).
        // The report is two reports with the wire; against the newspaper
        // it reads a rewrite, and still does with its lifted sentences
        // counted beyond those it lifts from the wire (session 31's
        // rule, which left it below the newspaper). Against the sentences
        // the newspaper did not take from the wire it is no version: what
        // it shares with the newspaper is the wire's.
        let ids = ["reuse-en5:q09:t1", "reuse-en5:q09:n2", "reuse-en5:q09:n3"];
        let texts = reuse_set_dated("reuse-en-5", &ids, false);
        let with_paper = crate::relate::compare(&texts[2], &texts[1]).verdict;
        assert_eq!(with_paper.relation, Relation::Rewrite, "{with_paper:?}");
        for dated in [false, true] {
            let got = members(EngineConfig::default(), "reuse-en-5", &ids, dated);
            assert_eq!(member(&got, ids[1]).parent.as_deref(), Some(ids[0]));
            let m = member(&got, ids[2]);
            assert_eq!(
                (m.role, m.parent.as_deref()),
                (Role::Independent, None),
                "{m:#?}"
            );
            assert!(refused_as_inherited(m, ids[1], ids[0], false), "{m:#?}");
            let got = members(off(), "reuse-en-5", &ids, dated);
            assert_eq!(member(&got, ids[2]).parent.as_deref(), Some(ids[1]));
        }
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
