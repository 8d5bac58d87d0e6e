//! Quotes across a story: each distinct utterance once, with the wordings
//! the versions give it, who they say said it, and how far it is attested.
//!
//! Utterances ([`utterances`]: a quote with the pieces its attribution
//! broke off) are matched with [`match_quotes`] over the story's links only
//! (each derived member with its parent, reports with each other), and
//! matches join into one story quote. Its reference wording is the one of
//! the most faithful member ([`by_faithfulness`]: a copy of a spun copy is
//! not trusted; the origin before other reports). Every other wording is compared with it, again
//! with [`match_quotes`]: the word-level difference, a part quoted as it
//! stood, or another speaker.
//!
//! A story quote is, first that applies:
//! - **reattributed**: some version gives the words to another speaker;
//! - **altered**: some version changed the words (a part quoted as it
//!   stood is no change);
//! - **unattested**: carried by one report group only (a report and the
//!   versions derived from it) while the story has others, or by derived
//!   versions only, not by the report they come from;
//! - **exact**: the same words everywhere.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::members::{by_faithfulness, report_of, StoryText};
use crate::changes::diff::changed_runs;
use crate::changes::quotes::{
    doc_quotes, match_quotes, other_speaker, quote_words, utterances, Quote, QuoteMatchKind,
};

/// How a quote fares across a story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    /// The same words everywhere it is quoted.
    Exact,
    /// Some version changed the words.
    Altered,
    /// No other report group carries it (or only copies do, not the report
    /// they come from).
    Unattested,
    /// Some version gives the same words to another speaker.
    Reattributed,
}

impl QuoteStatus {
    /// The serialized name.
    pub fn name(self) -> &'static str {
        match self {
            QuoteStatus::Exact => "exact",
            QuoteStatus::Altered => "altered",
            QuoteStatus::Unattested => "unattested",
            QuoteStatus::Reattributed => "reattributed",
        }
    }
}

/// Words of the reference wording replaced in another wording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordChange {
    /// The reference's words (empty: inserted).
    pub from: String,
    /// This wording's words (empty: deleted).
    pub to: String,
}

/// One wording of a story quote and the articles that carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteWording {
    pub text: String,
    pub speaker: Option<String>,
    /// Article ids, in story order.
    pub articles: Vec<String>,
    /// Against the reference wording: `exact` (the reference itself or the
    /// same words), `altered`, `partial` (a part quoted as it stood) or
    /// `reattributed`.
    pub kind: QuoteMatchKind,
    /// The word-level difference from the reference wording.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<WordChange>,
}

/// One utterance quoted across a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryQuote {
    /// The reference wording (of the most faithful version quoting it).
    pub text: String,
    /// Its speaker there (or the first one any version names).
    pub speaker: Option<String>,
    /// The article of the reference wording.
    pub article: String,
    pub status: QuoteStatus,
    /// Report groups carrying it (a report and the versions derived from it
    /// count once).
    pub groups: usize,
    /// Every wording, the reference first.
    pub wordings: Vec<QuoteWording>,
}

/// One utterance of one member.
#[derive(Debug, Clone)]
struct Said {
    member: usize,
    /// Its pieces, the first not marked as continued.
    pieces: Vec<Quote>,
    text: String,
}

impl Said {
    fn speaker(&self) -> Option<&str> {
        self.pieces.iter().find_map(|q| q.speaker.as_deref())
    }
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// The story's quotes, matched over `links` (pairs of member indices, as
/// [`super::members::story_links`] gives them).
pub fn story_quotes(members: &[StoryText], links: &[(usize, usize)]) -> Vec<StoryQuote> {
    let per_member: Vec<Vec<Quote>> = members.iter().map(|m| doc_quotes(m.doc)).collect();
    // All utterances, and per member the index of its first one.
    let mut said: Vec<Said> = Vec::new();
    let mut first: Vec<usize> = Vec::with_capacity(members.len());
    // Per member: quote index → its utterance's global index.
    let mut of_quote: Vec<BTreeMap<usize, usize>> = Vec::with_capacity(members.len());
    for (i, qs) in per_member.iter().enumerate() {
        first.push(said.len());
        let mut map = BTreeMap::new();
        for (ids, text) in utterances(qs) {
            for &k in &ids {
                map.insert(k, said.len());
            }
            let mut pieces: Vec<Quote> = ids.iter().filter_map(|&k| qs.get(k).cloned()).collect();
            if let Some(p) = pieces.first_mut() {
                p.continued = false;
            }
            said.push(Said {
                member: i,
                pieces,
                text,
            });
        }
        of_quote.push(map);
    }
    if said.is_empty() {
        return Vec::new();
    }
    let mut parent: Vec<usize> = (0..said.len()).collect();
    for &(a, b) in links {
        let (Some(qa), Some(qb)) = (per_member.get(a), per_member.get(b)) else {
            continue;
        };
        for m in match_quotes(&members[a].doc.clean, qa, &members[b].doc.clean, qb) {
            let ua = m.a.first().and_then(|k| of_quote[a].get(k));
            let ub = m.b.first().and_then(|k| of_quote[b].get(k));
            if let (Some(&x), Some(&y)) = (ua, ub) {
                let (rx, ry) = (find(&mut parent, x), find(&mut parent, y));
                if rx != ry {
                    parent[ry.max(rx)] = ry.min(rx);
                }
            }
        }
    }
    let mut clusters: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for u in 0..said.len() {
        let r = find(&mut parent, u);
        clusters.entry(r).or_default().push(u);
    }
    let all_groups: BTreeSet<usize> = (0..members.len()).map(|i| report_of(members, i)).collect();
    let mut out: Vec<(usize, StoryQuote)> = clusters
        .into_values()
        .map(|ids| story_quote(members, &said, &ids, all_groups.len()))
        .collect();
    out.sort_by_key(|x| x.0);
    out.into_iter().map(|x| x.1).collect()
}

/// One story quote from the utterances `ids` (global indices into `said`),
/// with the global index of its reference utterance (for ordering).
fn story_quote(
    members: &[StoryText],
    said: &[Said],
    ids: &[usize],
    story_groups: usize,
) -> (usize, StoryQuote) {
    let reference = ids
        .iter()
        .copied()
        .min_by(|&x, &y| by_faithfulness(members, said[x].member, said[y].member).then(x.cmp(&y)))
        .unwrap_or(ids[0]);
    let r = &said[reference];
    let rdoc = members[r.member].doc;
    // Wordings keyed by their words and, when reattributed, the speaker.
    let mut wordings: Vec<(Vec<String>, Option<String>, QuoteWording)> = Vec::new();
    let mut order: Vec<usize> = ids.to_vec();
    order.sort_by_key(|&u| (u != reference, said[u].member, u));
    for u in order {
        let s = &said[u];
        let (kind, changes) = if u == reference {
            (QuoteMatchKind::Exact, Vec::new())
        } else {
            against(r, rdoc, s, members[s.member].doc)
        };
        let words = quote_words(&s.text);
        let other = (kind == QuoteMatchKind::Reattributed)
            .then(|| s.speaker().map(str::to_string))
            .flatten();
        let id = members[s.member].id.to_string();
        match wordings
            .iter_mut()
            .find(|(w, o, _)| *w == words && *o == other)
        {
            Some((_, _, w)) => {
                if !w.articles.contains(&id) {
                    w.articles.push(id);
                }
                if w.speaker.is_none() {
                    w.speaker = s.speaker().map(str::to_string);
                }
            }
            None => wordings.push((
                words,
                other,
                QuoteWording {
                    text: s.text.clone(),
                    speaker: s.speaker().map(str::to_string),
                    articles: vec![id],
                    kind,
                    changes,
                },
            )),
        }
    }
    let wordings: Vec<QuoteWording> = wordings.into_iter().map(|w| w.2).collect();
    let groups: BTreeSet<usize> = ids
        .iter()
        .map(|&u| report_of(members, said[u].member))
        .collect();
    let in_a_report = ids
        .iter()
        .any(|&u| members[said[u].member].parent.is_none());
    let has = |k: QuoteMatchKind| wordings.iter().any(|w| w.kind == k);
    let status = if has(QuoteMatchKind::Reattributed) {
        QuoteStatus::Reattributed
    } else if has(QuoteMatchKind::Altered) {
        QuoteStatus::Altered
    } else if !in_a_report || (groups.len() == 1 && story_groups > 1) {
        QuoteStatus::Unattested
    } else {
        QuoteStatus::Exact
    };
    let speaker = r
        .speaker()
        .or_else(|| ids.iter().find_map(|&u| said[u].speaker()))
        .map(str::to_string);
    (
        reference,
        StoryQuote {
            text: r.text.clone(),
            speaker,
            article: members[r.member].id.to_string(),
            status,
            groups: groups.len(),
            wordings,
        },
    )
}

/// How utterance `s` quotes the reference `r`: the kind and the changed
/// words. Two utterances joined only through others (too unlike to match
/// directly) are altered.
fn against(
    r: &Said,
    rdoc: &crate::text::TextDoc,
    s: &Said,
    sdoc: &crate::text::TextDoc,
) -> (QuoteMatchKind, Vec<WordChange>) {
    let direct = match_quotes(&rdoc.clean, &r.pieces, &sdoc.clean, &s.pieces)
        .into_iter()
        .find(|m| !m.a.is_empty() && !m.b.is_empty());
    let kind = match &direct {
        Some(m) => m.kind,
        None => match (r.speaker(), s.speaker()) {
            (Some(x), Some(y)) if other_speaker(x, y) => QuoteMatchKind::Reattributed,
            _ if quote_words(&r.text) == quote_words(&s.text) => QuoteMatchKind::Exact,
            _ => QuoteMatchKind::Altered,
        },
    };
    let changes = if quote_words(&r.text) == quote_words(&s.text) {
        Vec::new()
    } else {
        changed_runs(&r.text, &s.text)
            .into_iter()
            .map(|run| WordChange {
                from: run.a_text,
                to: run.b_text,
            })
            .collect()
    };
    (kind, changes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relate::Relation;
    use crate::text::analyze;

    use crate::story::members::tests::member;

    fn status_of<'q>(qs: &'q [StoryQuote], words: &str) -> &'q StoryQuote {
        qs.iter()
            .find(|q| q.wordings.iter().any(|w| w.text.contains(words)))
            .unwrap_or_else(|| panic!("no quote with {words:?} in {qs:#?}"))
    }

    #[test]
    fn classifies_exact_altered_reattributed_and_unattested() {
        let origin = analyze(
            "\"We will reopen the bridge before the summer holidays,\" Corrow said. \
             \"Nobody on this council wants another delay,\" Dace said. \
             \"The budget for the repairs is already spent,\" Wrenfield said.",
            Some("en"),
        );
        let copy = analyze(
            "\"We will reopen the bridge before the autumn holidays,\" Corrow said. \
             \"Nobody on this council wants another delay,\" Tennant said. \
             \"The budget for the repairs is already spent,\" Wrenfield said. \
             \"Every family here will pay for this mistake,\" Obi said.",
            Some("en"),
        );
        let other = analyze(
            "\"The budget for the repairs is already spent,\" Wrenfield told reporters. \
             \"Ferries will run every fifteen minutes from Monday,\" Obi said.",
            Some("en"),
        );
        let members = [
            member("o", &origin, None, None),
            member("c", &copy, Some(Relation::Copy), Some(0)),
            member("r", &other, Some(Relation::SameStory), None),
        ];
        let links = super::super::members::story_links(&members);
        assert_eq!(links, [(1, 0), (2, 0)]);
        let qs = story_quotes(&members, &links);
        let altered = status_of(&qs, "reopen the bridge");
        assert_eq!(altered.status, QuoteStatus::Altered);
        assert_eq!(altered.article, "o");
        assert_eq!(
            altered.text,
            "We will reopen the bridge before the summer holidays,"
        );
        assert_eq!(
            altered.wordings[1].changes,
            [WordChange {
                from: "summer".into(),
                to: "autumn".into()
            }]
        );
        assert_eq!(altered.wordings[1].articles, ["c"]);
        let moved = status_of(&qs, "Nobody on this council");
        assert_eq!(moved.status, QuoteStatus::Reattributed);
        assert_eq!(moved.speaker.as_deref(), Some("Dace"));
        assert_eq!(moved.wordings[1].speaker.as_deref(), Some("Tennant"));
        let exact = status_of(&qs, "already spent");
        assert_eq!(exact.status, QuoteStatus::Exact);
        assert_eq!(exact.groups, 2);
        assert_eq!(exact.wordings.len(), 1);
        assert_eq!(exact.wordings[0].articles, ["o", "c", "r"]);
        // Only in the copy, not in the report it copies.
        assert_eq!(
            status_of(&qs, "Every family").status,
            QuoteStatus::Unattested
        );
        // Only in the other report group.
        let ferries = status_of(&qs, "Ferries will run");
        assert_eq!(ferries.status, QuoteStatus::Unattested);
        assert_eq!(ferries.groups, 1);
    }

    #[test]
    fn a_part_quoted_as_it_stood_is_no_alteration() {
        let origin = analyze(
            "\"Once these posts are gone, they are gone. The students will pay for it,\" Okafor said.",
            Some("en"),
        );
        let report = analyze(
            "Okafor said: \"Once these posts are gone, they are gone.\" He left the meeting early.",
            Some("en"),
        );
        let members = [
            member("o", &origin, None, None),
            member("r", &report, Some(Relation::SameStory), None),
        ];
        let qs = story_quotes(&members, &[(1, 0)]);
        assert_eq!(qs.len(), 1, "{qs:#?}");
        assert_eq!(qs[0].status, QuoteStatus::Exact);
        assert_eq!(qs[0].groups, 2);
        assert_eq!(qs[0].wordings[1].kind, QuoteMatchKind::Partial);
    }

    #[test]
    fn without_other_reports_nothing_is_unattested() {
        let origin = analyze(
            "\"The writing has been on the wall for several seasons,\" Carrow said.",
            Some("en"),
        );
        let members = [member("o", &origin, None, None)];
        let qs = story_quotes(&members, &[]);
        assert_eq!(qs[0].status, QuoteStatus::Exact);
        assert_eq!(qs[0].groups, 1);
    }
}
