//! Direction without dates, decided per story: after membership, each
//! derivation family of a story (a report and every version derived from
//! it) is re-rooted on all the evidence, so that the tree does not depend on
//! the order the articles came in.
//!
//! The engine places articles one at a time in publication order; undated
//! articles come longest text first ([`super::publication_order`]; as they
//! arrive, with [`Engine::add`]), and a pair whose texts carry no evidence
//! of direction then keeps the order it came in. So once every member is
//! in, each family with an undated member is looked at again as a whole:
//!
//! 1. **Pairwise evidence.** Every pair of the family is compared (the same
//!    verdict as `compare`), and the first kind of evidence that points one
//!    way decides which of the two is nearer the source, by the one
//!    function `compare` decides with
//!    ([`crate::relate::direction::decide_with`]; [`Basis`], in this
//!    order): publication times; **relative day** ("today" in one where
//!    the other says "yesterday" of the same thing, [`crate::relate::days`]);
//!    **attribution** to an outlet (a credit line
//!    "SOURCE: X", "X reported", "according to X", a URL or image host in
//!    the text naming X, against an article that *is* X: its source or URL,
//!    "he told X" in its own text when it has no metadata, a byline "By …,
//!    PA" or an agency tag in its dateline "(AP) —"; an article that credits
//!    the outlet it seems to be, such as a scraped copy keeping "told X" and
//!    X's image URL, is not X; [`crate::relate::outlets`]); an **agency**
//!    text (tag, byline or source field naming a wire agency of
//!    [`crate::relate::outlets::WIRE_AGENCIES`]) against a text without
//!    one; **update** (two texts of one outlet by source field or host, one
//!    held whole in the other: the held one is its earlier take);
//!    **corroboration**, the one kind a pair alone cannot have (names
//!    spelled differently by the two, "Keira"/"Kiara", and numbers they
//!    disagree on: the spelling and the figure the story's other members
//!    carry, independent reports counting double, is the source's, the
//!    garbled variant is derived; not read between one outlet's texts,
//!    whose differing figure is a correction); **containment** (an excerpt
//!    is cut from
//!    the fuller text) and scraper markers ("Source link"), both for
//!    verbatim reuse only. A pair the verdict does not call derived (two
//!    siblings) is decided on its outlets alone.
//! 2. **Order.** Members are ranked by wins minus losses over the decided
//!    pairs; ties go to the earlier date (dated members before undated
//!    ones), then to the member that **holds most of the others** (the
//!    share of each other member's sentences that line up with it, summed:
//!    a wire story holds what each newspaper cut from it, two newspapers
//!    hold of each other only what both kept), then to the article id
//!    (stable whatever the input order), never to input order. What the
//!    evidence does not decide stays `unknown` (step 4): the holding rule
//!    chooses which tree is shown, it is no finding.
//! 3. **Tree.** The top member becomes the family's report, and the tree
//!    grows from it: the next member is the one closest to a member already
//!    in by a derived verdict, never before a member the evidence puts
//!    first, nor below one it puts after (the next by rank when none links
//!    in). Each hangs below the closest member in before it among its
//!    derived links (the engine's own parent rule: closeness, the higher in
//!    the tree on a tie, shared edits on a near tie, and then the later
//!    take of the chosen member's outlet that holds a tenth more of it,
//!    `later_take`). A copy of a copy is closer to the copy than to the
//!    source, so it comes after the copy. A link to a copy or version of
//!    a member it is two reports with is refused when what the two share
//!    is that member's ([`super::inherited`]).
//! 4. **Said.** Each member of a family records whether its place rests on
//!    evidence (`direction: known`, with `direction_basis`) or not
//!    (`unknown`): a derived member is known when the pair with its parent
//!    is decided that way, the family's report when it wins a decided pair
//!    and loses none.
//!
//! Families whose members are all dated at distinct times are left as
//! placed (the dates decide; no pair is compared again).
//!
//! ```
//! use retold_core::article::{ArticleDraft, Origin};
//! use retold_core::story::{Engine, EngineConfig, Role};
//! use retold_core::story::root::{Basis, DirectionStatus};
//!
//! let article = |id: &str, text: &str| {
//!     ArticleDraft { id: Some(id.into()), text: text.into(), ..Default::default() }
//!         .finish(Origin::whole(id))
//!         .unwrap()
//! };
//! let body = "The river Aln burst its banks early on Sunday after three days of rain. \
//!     About 300 homes were flooded in the old town of Wexhall, the fire service said. \
//!     Mayor Ines Okafor asked residents to boil their drinking water, she told the Wexhall Gazette. \
//!     Schools will stay closed until Friday, the education office announced.";
//! let copy = format!("{}\n\nSOURCE: WEXHALL GAZETTE", body.replace(", she told the Wexhall Gazette", ""));
//! // The copy comes first: without dates, the credit line decides.
//! let mut engine = Engine::new(EngineConfig::default());
//! engine.add_all(vec![article("copy", &copy), article("gazette", body)], &|_| {});
//! let story = &engine.stories()[0];
//! assert_eq!(story.origin, "gazette");
//! let copy = story.member("copy").unwrap();
//! assert_eq!(copy.role, Role::Derived);
//! assert_eq!(copy.direction, Some(DirectionStatus::Known));
//! assert_eq!(copy.direction_basis, vec![Basis::Attribution]);
//! ```

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::{closeness, Engine, Place, Prepared, Role, CLOSENESS_TIE};
use super::{RefusedBy, Verdict, SHARED_EDITS_NEAR};
use crate::changes::entities::token_similarity;
use crate::relate::direction::{decide_with, outlet_evidence};
use crate::relate::model::TwoReportsBasis;
use crate::relate::outlets::one_outlet;
use crate::relate::Side;

/// Whether a member's place in the derivation tree rests on evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DirectionStatus {
    /// Some evidence decided it ([`Basis`]).
    Known,
    /// Nothing in the texts or their metadata speaks: the order shown is
    /// the re-rooting's tie rule (date, then the member holding most of
    /// the others, then id), not a finding.
    Unknown,
}

pub use crate::relate::direction::Basis;
pub use crate::relate::outlets::{outlets, Outlets};

/// A member's direction and what decided it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(super) struct Rooting {
    pub status: DirectionStatus,
    pub basis: Vec<Basis>,
}

/// A family member's place, change report and link before a re-rooting.
type Was = (
    Place,
    Option<Vec<crate::changes::Change>>,
    Option<Option<(usize, crate::align::Alignment)>>,
);

/// Families larger than this are not compared again (pairs grow with the
/// square); their members keep the engine's placement, the direction known
/// only where the verdict with the parent had evidence.
const MAX_FAMILY: usize = 24;

/// The names (capitalized words of three letters or more) and numbers
/// (digit runs, number words) of a text: what corroboration compares.
#[derive(Debug, Default, Clone)]
pub struct Facts {
    names: HashSet<String>,
    numbers: HashSet<String>,
}

const NUMBER_WORDS: [&str; 30] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "million", "billion",
    "half", "third", "thirds", "quarter", "fifth", "fifths", "tenth", "dozen", "dozens", "percent",
];

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d[\d,.]*\d|\d").unwrap_or_else(|_| unreachable!("the pattern is valid"))
});

/// The [`Facts`] of a text.
pub fn facts(text: &str) -> Facts {
    let mut f = Facts::default();
    for w in text.split(|c: char| !c.is_alphanumeric() && c != '\'') {
        let w = w.trim_matches('\'');
        let mut chars = w.chars();
        let Some(first) = chars.next() else { continue };
        if first.is_uppercase() && w.chars().count() >= 3 && w.chars().all(char::is_alphabetic) {
            f.names.insert(w.to_string());
        } else if NUMBER_WORDS.contains(&w) {
            f.numbers.insert(w.to_string());
        }
    }
    f.numbers.extend(
        NUMBER
            .find_iter(text)
            .map(|m| m.as_str().trim_end_matches([',', '.']).to_string()),
    );
    f
}

/// Least token similarity of two spellings of one name ("Fitzgerald",
/// "Fitzjerrald").
const GARBLED: f64 = 0.75;

/// Least margin, in witnesses, for corroboration to decide.
const CORROBORATION_MARGIN: f64 = 1.0;

/// Which of `x` and `y` the witnesses (facts of other members, with a
/// weight each) side with on what the two disagree about: names one of
/// them spells differently from the other (near misses) and numbers where
/// both have figures the other lacks. `Some(true)`: `x`.
pub fn corroborated(x: &Facts, y: &Facts, witnesses: &[(&Facts, f64)]) -> Option<bool> {
    let garbled = |a: &Facts, b: &Facts| -> Vec<String> {
        let only_b: Vec<&String> = b.names.difference(&a.names).collect();
        a.names
            .difference(&b.names)
            .filter(|n| {
                let n = n.to_lowercase();
                only_b
                    .iter()
                    .any(|m| token_similarity(&n, &m.to_lowercase()) >= GARBLED)
            })
            .cloned()
            .collect()
    };
    let (mut tx, mut ty) = (garbled(x, y), garbled(y, x));
    let (nx, ny): (Vec<&String>, Vec<&String>) = (
        x.numbers.difference(&y.numbers).collect(),
        y.numbers.difference(&x.numbers).collect(),
    );
    if !nx.is_empty() && !ny.is_empty() {
        tx.extend(nx.into_iter().cloned());
        ty.extend(ny.into_iter().cloned());
    }
    let support = |tokens: &[String]| -> f64 {
        tokens
            .iter()
            .map(|t| {
                witnesses
                    .iter()
                    .filter(|(w, _)| w.names.contains(t) || w.numbers.contains(t))
                    .map(|(_, weight)| weight)
                    .sum::<f64>()
            })
            .sum()
    };
    let (sx, sy) = (support(&tx), support(&ty));
    if (sx - sy).abs() < CORROBORATION_MARGIN {
        return None;
    }
    Some(sx > sy)
}

/// How much more of a version a later take must hold than the take the
/// tree chose for it ([`later_take`]): a tenth of its sentences, one or two
/// sentences of a newspaper story, the size of what a take adds.
const TAKE_MARGIN: f64 = 0.1;

/// The take a version was made from. An agency files a story in takes,
/// each later one holding the one before whole and adding to it; a version
/// made from the second take lines up with the first take for everything
/// but what the second added, so the closeness of the two is within a tie
/// and the shallower first take won it. `chosen` is the parent the tree
/// chose, `takes` the members the evidence decides are later takes of it
/// (one outlet, `chosen` held whole: [`Basis::Update`]) that the version
/// also derives from, and `held(c)` the share of the version's sentences
/// that line up with `c`. The later take holding the most of the version,
/// by at least [`TAKE_MARGIN`] more than `chosen`, is its parent: it holds
/// what the version took from the later take. Only one outlet's takes:
/// another outlet's text that holds the chosen parent whole is a rewrite of
/// it, and a report that draws on both is no copy of the rewrite.
pub(super) fn later_take(chosen: usize, takes: &[usize], held: impl Fn(usize) -> f64) -> usize {
    let floor = held(chosen) + TAKE_MARGIN;
    takes
        .iter()
        .map(|&t| (t, held(t)))
        .filter(|&(_, h)| h >= floor)
        .max_by(|x, y| x.1.total_cmp(&y.1).then(y.0.cmp(&x.0)))
        .map_or(chosen, |(t, _)| t)
}

/// The pairwise decision: which of the two (`true`: side A) is nearer the
/// source, and on what. The pair's evidence is the verdict's (the one
/// `compare` shows) or, for a pair the verdict does not call derived, the
/// outlet evidence alone; [`decide_with`] decides, as for `compare`, with
/// corroboration by the story's other members at its rank.
fn decide_pair(
    v: &Verdict,
    outlets: (&Outlets, &Outlets),
    facts: (&Facts, &Facts),
    witnesses: &[(&Facts, f64)],
    one_outlet: bool,
) -> Option<(bool, Basis)> {
    let own;
    let evidence = if v.relation.is_derived() {
        &v.direction_evidence
    } else {
        own = outlet_evidence(outlets.0, outlets.1);
        &own
    };
    // Two texts of one outlet (a wire's takes) that disagree on a figure
    // or a name: the later one corrected the earlier, and the story's
    // later reports carry the correction, so agreeing with them says
    // nothing of which came first.
    let corroboration = || {
        if one_outlet {
            return None;
        }
        corroborated(facts.0, facts.1, witnesses).map(|a| if a { Side::A } else { Side::B })
    };
    decide_with(evidence, &corroboration).map(|d| (d.source == Side::A, d.basis))
}

/// The members of `placed` (positions in the fixed order) that the member
/// at position `k` derives from, with their closeness. `stored` gives each
/// pair's verdict, which reads the later member of the fixed order as side
/// A; the verdict is not symmetric, so when none of those says derived,
/// the member is read as side A (`as_child`, as the engine reads a new
/// article and as the link is read once chosen) against the members whose
/// verdict read them, before it is said to derive from none.
fn derived_links<'v>(
    placed: &[usize],
    k: usize,
    stored: impl Fn(usize) -> Option<&'v Verdict>,
    derives: impl Fn(&Verdict, Side) -> bool,
    mut as_child: impl FnMut(usize) -> Verdict,
) -> Vec<(usize, f64)> {
    let mut out: Vec<(usize, f64)> = placed
        .iter()
        .filter_map(|&c| {
            let v = stored(c)?;
            let child = if k > c { Side::A } else { Side::B };
            derives(v, child).then(|| (c, closeness(v)))
        })
        .collect();
    if out.is_empty() {
        for &c in placed.iter().filter(|&&c| k < c) {
            let v = as_child(c);
            if derives(&v, Side::A) {
                out.push((c, closeness(&v)));
            }
        }
    }
    out
}

/// Whether a link from a member to the parent chosen for it is read by the
/// verdict with the parent as side A (`stored`) rather than by the member's
/// own reading as side A (`own`): when the link was chosen on the stored
/// reading's derived relation and the member's own reading says same_story
/// or unrelated. The verdict is not symmetric; read the member's way, the
/// link would be a derived member whose relation says it is none.
fn reads_parent_side(stored: &Verdict, own: &Verdict) -> bool {
    stored.relation.is_derived() && !own.relation.is_derived()
}

impl Engine {
    /// Re-roots every story (see the [module documentation](self)).
    pub(super) fn reroot_all(&mut self) {
        for s in 0..self.stories.len() {
            self.reroot_story(s);
        }
    }

    /// Re-roots the derivation families of story `s`.
    pub(super) fn reroot_story(&mut self, s: usize) {
        let Some(members) = self.stories.get(s).cloned() else {
            return;
        };
        if members.len() < 2 {
            return;
        }
        let mut families: HashMap<usize, Vec<usize>> = HashMap::new();
        for &m in &members {
            families.entry(self.report_of(m)).or_default().push(m);
        }
        self.join_families(&members, &mut families);
        let mut roots: Vec<usize> = families.keys().copied().collect();
        roots.sort_unstable();
        for r in roots {
            let family = families.remove(&r).unwrap_or_default();
            if family.len() < 2 {
                if self.rooting.remove(&r).is_some() {
                    self.touched.article(r);
                }
                continue;
            }
            let mut dates: Vec<_> = family.iter().map(|&m| self.entries[m].published).collect();
            let all_dated = dates.iter().all(Option::is_some);
            dates.sort();
            dates.dedup();
            if all_dated && dates.len() == family.len() {
                for &m in &family {
                    self.set_rooting(
                        m,
                        Rooting {
                            status: DirectionStatus::Known,
                            basis: vec![Basis::Published],
                        },
                    );
                }
            } else if family.len() > MAX_FAMILY {
                self.root_as_placed(&family);
            } else {
                self.reroot_family(&members, r, family);
            }
        }
    }

    /// Joins the derivation families of an undated story (keyed by their
    /// report) that a derived verdict links: a member of one that the
    /// verdict, read either way, calls derived from a member of another.
    /// Which families the engine made depends on the order articles came
    /// in (a report placed before the text it was made from joins the story
    /// as an independent report, and nothing placed later moves it); the
    /// families re-rooted must not. The joined family keeps the report
    /// that is the story's origin, if one is among them. Stories with every
    /// member dated, or with more than [`MAX_FAMILY`] members, are left as
    /// placed.
    fn join_families(&self, members: &[usize], families: &mut HashMap<usize, Vec<usize>>) {
        if families.len() < 2
            || members.len() > MAX_FAMILY
            || members.iter().all(|&m| self.entries[m].published.is_some())
        {
            return;
        }
        let mut reports: Vec<usize> = families.keys().copied().collect();
        reports.sort_unstable();
        // Union-find over the reports.
        let mut up: HashMap<usize, usize> = reports.iter().map(|&r| (r, r)).collect();
        fn find(up: &HashMap<usize, usize>, mut r: usize) -> usize {
            while let Some(&u) = up.get(&r) {
                if u == r {
                    break;
                }
                r = u;
            }
            r
        }
        let prepared: HashMap<usize, Prepared> = members
            .iter()
            .map(|&m| (m, self.prepared(m, None).into_owned()))
            .collect();
        let derives = |v: &Verdict| self.derives_enough(v, Side::A);
        for (i, &ri) in reports.iter().enumerate() {
            for &rj in &reports[i + 1..] {
                if find(&up, ri) == find(&up, rj) {
                    continue;
                }
                let linked = families[&ri].iter().any(|&a| {
                    families[&rj].iter().any(|&b| {
                        let (pa, pb) = (&prepared[&a], &prepared[&b]);
                        derives(&self.verdict(a, b, pa, pb).0)
                            || derives(&self.verdict(b, a, pb, pa).0)
                    })
                });
                if linked {
                    let (x, y) = (find(&up, ri), find(&up, rj));
                    up.insert(x.max(y), x.min(y));
                }
            }
        }
        let mut joined: HashMap<usize, Vec<usize>> = HashMap::new();
        for r in reports {
            let top = find(&up, r);
            joined.entry(top).or_default().push(r);
        }
        for (_, group) in joined {
            if group.len() < 2 {
                continue;
            }
            let keep = group
                .iter()
                .copied()
                .find(|&r| self.places[r].role == Role::Origin)
                .unwrap_or(group[0]);
            let mut all = Vec::new();
            for r in &group {
                all.extend(families.remove(r).unwrap_or_default());
            }
            families.insert(keep, all);
        }
    }

    /// Whether a verdict makes a derived link here: derived, with the
    /// engine's derived probability and name fidelity.
    /// `child` is the side that would hang below the other.
    fn derives_enough(&self, v: &Verdict, child: Side) -> bool {
        self.derived_and_faithful(v) && super::may_hang_below(v, child, &self.config.model)
    }

    /// Whether a verdict is derived with the engine's derived probability
    /// and name fidelity (whichever side would hang below the other).
    fn derived_and_faithful(&self, v: &Verdict) -> bool {
        v.relation.is_derived()
            && super::derived_p(v) >= self.config.derived_threshold
            && super::derived_name_fidelity(v) >= self.config.min_name_fidelity
    }

    /// Direction of a family too large to compare again: from the verdict
    /// each derived member was placed on.
    fn root_as_placed(&mut self, family: &[usize]) {
        for m in family {
            self.root_refusals.remove(m);
        }
        for &m in family {
            let known = self.places[m]
                .evidence
                .as_ref()
                .is_some_and(|(_, v, _)| v.direction.is_some());
            let basis = self.places[m]
                .evidence
                .as_ref()
                .and_then(|(_, v, _)| v.direction)
                .map(|d| d.basis);
            self.set_rooting(
                m,
                Rooting {
                    status: if known && self.places[m].role == Role::Derived {
                        DirectionStatus::Known
                    } else {
                        DirectionStatus::Unknown
                    },
                    basis: basis.into_iter().collect(),
                },
            );
        }
    }

    /// Re-roots one family (`report` and its derived members) of a story
    /// with these `members`.
    fn reroot_family(&mut self, members: &[usize], report: usize, mut family: Vec<usize>) {
        // A fixed order whatever the input order: by date, then id.
        family.sort_by(|&x, &y| {
            let (ex, ey) = (&self.entries[x], &self.entries[y]);
            (ex.published.is_none(), ex.published, &ex.article.id).cmp(&(
                ey.published.is_none(),
                ey.published,
                &ey.article.id,
            ))
        });
        let n = family.len();
        for m in &family {
            self.root_refusals.remove(m);
        }
        // Each member's place, change report and link before, to tell
        // whether the re-rooting changed the story (families of at most
        // MAX_FAMILY members with an undated one).
        let was: Vec<Was> = family
            .iter()
            .map(|&m| {
                (
                    self.places[m].clone(),
                    self.changes.get(m).cloned(),
                    self.links.get(m).cloned(),
                )
            })
            .collect();
        let prepared: Vec<Prepared> = family
            .iter()
            .map(|&m| self.prepared(m, None).into_owned())
            .collect();
        let in_family: HashSet<usize> = family.iter().copied().collect();
        let all_facts: HashMap<usize, Facts> = members
            .iter()
            .map(|&m| (m, facts(&self.entries[m].article.text)))
            .collect();
        let empty = Facts::default();
        let fact = |m: usize| all_facts.get(&m).unwrap_or(&empty);
        // Verdicts of every pair, the later in the fixed order as side A.
        let mut verdicts: HashMap<(usize, usize), (Verdict, Option<crate::align::Alignment>)> =
            HashMap::new();
        let mut decided: HashMap<(usize, usize), (bool, Basis)> = HashMap::new();
        let mut score = vec![0i64; n];
        for y in 0..n {
            for x in (y + 1)..n {
                let got = self.verdict(family[x], family[y], &prepared[x], &prepared[y]);
                let witnesses: Vec<(&Facts, f64)> = members
                    .iter()
                    .filter(|&&m| m != family[x] && m != family[y])
                    .map(|&m| (fact(m), if in_family.contains(&m) { 0.5 } else { 1.0 }))
                    .collect();
                if let Some((a_first, basis)) = decide_pair(
                    &got.0,
                    (
                        prepared[x]
                            .outlets
                            .get_or_init(|| outlets(&self.entries[family[x]].article)),
                        prepared[y]
                            .outlets
                            .get_or_init(|| outlets(&self.entries[family[y]].article)),
                    ),
                    (fact(family[x]), fact(family[y])),
                    &witnesses,
                    one_outlet(
                        &self.entries[family[x]].article,
                        &self.entries[family[y]].article,
                    )
                    .is_some(),
                ) {
                    decided.insert((x, y), (a_first, basis));
                    let (win, lose) = if a_first { (x, y) } else { (y, x) };
                    score[win] += 1;
                    score[lose] -= 1;
                }
                verdicts.insert((x, y), got);
            }
        }
        // Which of `a` and `b` (positions) the evidence puts first, and on what.
        let decision = |a: usize, b: usize| -> Option<(usize, Basis)> {
            let (x, y) = (a.max(b), a.min(b));
            decided
                .get(&(x, y))
                .map(|&(a_first, basis)| (if a_first { x } else { y }, basis))
        };
        // Among members the evidence does not tell apart, the one that
        // holds most of the others first: the share of each other member's
        // sentences that line up with it, summed. A wire story holds what
        // each newspaper cut from it; two newspapers hold of each other only
        // what both kept. A guess, said as `unknown`, never a finding.
        let holds: Vec<f64> = (0..n)
            .map(|k| {
                (0..n)
                    .filter(|&j| j != k)
                    .filter_map(|j| {
                        let (v, _) = verdicts.get(&(k.max(j), k.min(j)))?;
                        // The later of the fixed order is side A.
                        Some(if j > k {
                            v.features.a_coverage
                        } else {
                            v.features.b_coverage
                        })
                    })
                    .sum()
            })
            .collect();
        let mut order: Vec<usize> = (0..n).collect();
        // Dates are facts and go before that guess: dated members first,
        // the earlier first (two dated members whose pair no evidence
        // decided are siblings, not versions of one another).
        let date = |k: usize| {
            let p = self.entries[family[k]].published;
            (p.is_none(), p)
        };
        order.sort_by(|&x, &y| {
            score[y]
                .cmp(&score[x])
                .then(date(x).cmp(&date(y)))
                .then(holds[y].total_cmp(&holds[x]))
                .then(x.cmp(&y))
        });
        let order = self.grown_from_the_root(&order, &verdicts, &decision);
        let story = self.places[report].story;
        let old = self.places[report].clone();
        let before: Vec<(Option<usize>, Option<crate::relate::Relation>)> = family
            .iter()
            .map(|&m| (self.places[m].parent, self.places[m].relation))
            .collect();
        let root = family[order[0]];
        self.places[root] = Place {
            story,
            role: old.role,
            parent: None,
            relation: old.relation,
            confidence: old.confidence,
            evidence: if root == report { old.evidence } else { None },
            degree: if root == report { old.degree } else { None },
        };
        let mut due = Vec::new();
        for (rank, &k) in order.iter().enumerate().skip(1) {
            let m = family[k];
            let placed = &order[..rank];
            let pair = |c: usize| {
                let key = (k.max(c), k.min(c));
                verdicts.get(&key).map(|x| &x.0)
            };
            let derives = |v: &Verdict, child: Side| self.derives_enough(v, child);
            let mut derived = derived_links(placed, k, pair, derives, |c| {
                self.verdict(m, family[c], &prepared[k], &prepared[c]).0
            });
            // Links through what a copy or version took from a text the
            // member is two reports with (`inherited`).
            let side_of = |c: usize| if k > c { Side::A } else { Side::B };
            let mut inherited: Vec<super::Refused> = Vec::new();
            derived.retain(|&(c, _)| {
                let Some(v) = pair(c) else { return true };
                let position = |a: usize| family.iter().position(|&x| x == a);
                let why = self.inherited_from(m, family[c], |a| {
                    let p = position(a)?;
                    Some((pair(p)?, side_of(p)))
                });
                match why {
                    Some(why) => {
                        inherited.push((family[c], v.relation, v.confidence, why));
                        false
                    }
                    None => true,
                }
            });
            // No verdict says it was made from a member ranked before it
            // (its derived links all go to members the evidence puts below
            // it): it is a report of the story, as the engine makes a text
            // that is no version of any earlier one. Hanging it below the
            // closest member anyway made a "derived" member whose relation
            // says same_story or unrelated.
            if derived.is_empty() {
                // Derived verdicts the story refuses here: the member
                // brings reporting of its own (`may_hang_below`). The
                // stored verdict holds the member on either side (the
                // later-placed text is side A); its relation is what
                // `retold compare` gives the pair either way round, and
                // the own material is read on the member's side.
                let refused: Vec<super::Refused> = placed
                    .iter()
                    .filter_map(|&c| {
                        let v = pair(c)?;
                        let side = if k > c { Side::A } else { Side::B };
                        if !self.derived_and_faithful(v)
                            || super::may_hang_below(v, side, &self.config.model)
                        {
                            return None;
                        }
                        let why = self.config.model.two_reports_why(&v.features, Some(side))?;
                        Some((
                            family[c],
                            v.relation,
                            v.confidence,
                            RefusedBy::OwnReporting {
                                items: why.items,
                                words: why.words,
                                occasion: why.basis == TwoReportsBasis::Occasion,
                                lifted: why.lifted,
                            },
                        ))
                    })
                    .chain(inherited)
                    .collect();
                if !refused.is_empty() {
                    self.root_refusals.insert(m, refused);
                }
                let closest = placed
                    .iter()
                    .filter_map(|&c| Some((c, pair(c)?)))
                    .max_by(|x, y| closeness(x.1).total_cmp(&closeness(y.1)));
                let evidence = closest.map(|(c, _)| {
                    let key = (k.max(c), k.min(c));
                    let v = if k > c {
                        verdicts.get(&key).map(|x| x.0.clone())
                    } else {
                        None
                    };
                    let v = v.unwrap_or_else(|| {
                        self.verdict(m, family[c], &prepared[k], &prepared[c]).0
                    });
                    (family[c], v, None)
                });
                let confidence = evidence.as_ref().map_or(0.0, |(_, v, _)| {
                    super::relatedness(v, self.config.min_name_fidelity)
                });
                self.places[m] = Place {
                    story,
                    role: Role::Independent,
                    parent: None,
                    relation: Some(crate::relate::Relation::SameStory),
                    confidence,
                    evidence,
                    degree: None,
                };
                if let Some(c) = self.changes.get_mut(m) {
                    c.clear();
                }
                if let Some(l) = self.links.get_mut(m) {
                    *l = None;
                }
                continue;
            }
            let pool = derived;
            let top = pool.iter().map(|x| x.1).fold(f64::NEG_INFINITY, f64::max);
            let rank_of = |c: usize| order.iter().position(|&o| o == c).unwrap_or(n);
            let mut parent = pool
                .iter()
                .filter(|x| x.1 >= top - CLOSENESS_TIE)
                .min_by_key(|x| (self.depth(family[x.0]), rank_of(x.0)))
                .map(|x| x.0);
            // Shared edits, as in the engine's own placement.
            for _ in 0..pool.len() {
                let Some(j) = parent else { break };
                let Some(p) = self.places[family[j]].parent else {
                    break;
                };
                let Some(&(up, _)) = pool
                    .iter()
                    .find(|x| family[x.0] == p && x.1 >= top - SHARED_EDITS_NEAR)
                else {
                    break;
                };
                let (shared, reverted) = self.shared_edits(m, family[j], p);
                if reverted <= shared {
                    break;
                }
                parent = Some(up);
            }
            // A version made from a later take of the same outlet hangs
            // below that take ([`later_take`]).
            if let Some(j) = parent {
                let held = |c: usize| {
                    let key = (k.max(c), k.min(c));
                    verdicts.get(&key).map_or(0.0, |(v, _)| {
                        if k > c {
                            v.features.a_coverage
                        } else {
                            v.features.b_coverage
                        }
                    })
                };
                let takes: Vec<usize> = pool
                    .iter()
                    .map(|x| x.0)
                    .filter(|&t| {
                        t != j
                            && matches!(decision(j, t), Some((first, Basis::Update)) if first == j)
                    })
                    .collect();
                parent = Some(later_take(j, &takes, held));
            }
            let Some(c) = parent else { continue };
            // The link's verdict with the child as side A, unless that
            // reading is not derived while the one the link was chosen on
            // (the parent as side A) is: then that one, the child its side B.
            let (v, al, side) = if k > c {
                let (v, al) = verdicts
                    .get(&(k, c))
                    .map(|(v, al)| (v.clone(), al.clone()))
                    .unwrap_or_else(|| self.verdict(m, family[c], &prepared[k], &prepared[c]));
                (v, al, Side::A)
            } else {
                let (own, al) = self.verdict(m, family[c], &prepared[k], &prepared[c]);
                match pair(c) {
                    Some(stored) if reads_parent_side(stored, &own) => {
                        (stored.clone(), None, Side::B)
                    }
                    _ => (own, al, Side::A),
                }
            };
            self.places[m] = Place {
                story,
                role: Role::Derived,
                parent: Some(family[c]),
                relation: Some(v.relation),
                confidence: v.confidence,
                degree: Some(crate::relate::degree::degree_basis(
                    v.relation,
                    &v.features,
                    Some(side),
                    self.config.model.wholly_bars(),
                )),
                evidence: Some((family[c], v.clone(), None)),
            };
            if before[k] != (Some(family[c]), Some(v.relation)) {
                due.push((m, family[c], al.filter(|_| v.relation.is_derived())));
            }
        }
        if root != report {
            if let Some(c) = self.changes.get_mut(root) {
                c.clear();
            }
            if let Some(l) = self.links.get_mut(root) {
                *l = None;
            }
        }
        let reports = self.change_reports(due, &|_| None);
        self.apply_changes(reports);
        // What each member's place rests on.
        let mut root_basis: Vec<Basis> = Vec::new();
        let mut root_lost = false;
        for k in 0..n {
            if k == order[0] {
                continue;
            }
            match decision(order[0], k) {
                Some((w, b)) if w == order[0] => root_basis.push(b),
                Some(_) => root_lost = true,
                None => {}
            }
        }
        root_basis.sort();
        root_basis.dedup();
        for (k, &m) in family.iter().enumerate() {
            let rooting = if k == order[0] {
                Rooting {
                    status: if root_basis.is_empty() || root_lost {
                        DirectionStatus::Unknown
                    } else {
                        DirectionStatus::Known
                    },
                    basis: if root_lost {
                        Vec::new()
                    } else {
                        root_basis.clone()
                    },
                }
            } else {
                let parent = self.places[m]
                    .parent
                    .and_then(|p| family.iter().position(|&f| f == p));
                match parent.and_then(|p| decision(p, k).map(|d| (p, d))) {
                    Some((p, (w, b))) if w == p => Rooting {
                        status: DirectionStatus::Known,
                        basis: vec![b],
                    },
                    _ => Rooting {
                        status: DirectionStatus::Unknown,
                        basis: Vec::new(),
                    },
                }
            };
            self.set_rooting(m, rooting);
        }
        // What the re-rooting changed (places, change reports, links).
        for (m, was) in family.iter().zip(was) {
            let now = (&self.places[*m], self.changes.get(*m), self.links.get(*m));
            if now != (&was.0, was.1.as_ref(), was.2.as_ref()) {
                self.touched.article(*m);
            }
        }
    }

    /// The family's members in the order the tree grows from its root
    /// (`ranked[0]`): next, the member closest to one already in
    /// ([`closeness`]) by a pair verdict that says derived, among the
    /// members no member still out comes before by the evidence, and not
    /// below one the evidence puts after it; when none links to the tree so,
    /// the next by rank. Ties go to the rank.
    ///
    /// Why: members are ranked by decided wins minus losses, so a member
    /// with a decided loss ranks below one with no decided pair at all.
    /// An agency's full story (decided: after the first take, which it
    /// holds whole) then ranked below the third take, rewritten from it and
    /// so decided against neither, and the third take hung below the first
    /// take, the only member ranked before it. A copy of a copy is closer
    /// to the copy than to the source: grown by closeness, the third take
    /// comes after the full story and hangs below it.
    fn grown_from_the_root(
        &self,
        ranked: &[usize],
        verdicts: &HashMap<(usize, usize), (Verdict, Option<crate::align::Alignment>)>,
        decision: &dyn Fn(usize, usize) -> Option<(usize, Basis)>,
    ) -> Vec<usize> {
        let Some((&root, rest)) = ranked.split_first() else {
            return Vec::new();
        };
        let mut grown = vec![root];
        let mut left: Vec<usize> = rest.to_vec();
        // Whether the evidence puts `a` before `b`.
        let before = |a: usize, b: usize| decision(a, b).is_some_and(|(first, _)| first == a);
        while !left.is_empty() {
            let ready = |v: usize| !left.iter().any(|&w| w != v && before(w, v));
            let mut best: Option<(f64, usize)> = None;
            for (i, &v) in left.iter().enumerate().filter(|(_, &v)| ready(v)) {
                for &u in &grown {
                    let Some((pair, _)) = verdicts.get(&(u.max(v), u.min(v))) else {
                        continue;
                    };
                    if before(v, u) || !self.derived_and_faithful(pair) {
                        continue;
                    }
                    let c = closeness(pair);
                    if best.is_none_or(|(b, _)| c > b + CLOSENESS_TIE) {
                        best = Some((c, i));
                    }
                }
            }
            let next = best
                .map(|(_, i)| i)
                .or_else(|| left.iter().position(|&v| ready(v)))
                .unwrap_or(0);
            grown.push(left.remove(next));
        }
        grown
    }

    /// Sets member `m`'s direction, noting a change.
    fn set_rooting(&mut self, m: usize, rooting: Rooting) {
        if self.rooting.get(&m) != Some(&rooting) {
            self.rooting.insert(m, rooting);
            self.touched.article(m);
        }
    }

    /// A member's direction and its basis, for the output.
    pub(super) fn rooting_of(&self, m: usize) -> (Option<DirectionStatus>, Vec<Basis>) {
        match self.rooting.get(&m) {
            Some(r) => (Some(r.status), r.basis.clone()),
            None => (None, Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests;
