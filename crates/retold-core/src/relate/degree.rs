//! How far a derived text was made from its source: **wholly** (the source
//! is its only source, possibly rewritten and cut) or **partially** (the
//! source is one of its sources: some of its passages, inside material of
//! its own). This is the scheme journalists used to label newsroom reuse in
//! the METER and COUNTER corpora.
//!
//! The degree is read from the derived side alone, asymmetrically: a
//! newspaper story that keeps four sentences of a long wire story covers a
//! small share of the wire story whatever it does, so what tells is the
//! share of the *derived* text that comes from the source. That share is
//! [`wholly_share`]: the larger of the derived side's aligned sentence
//! coverage and the share of its word 3-grams found in the source.
//! When the direction is unknown, the side with the larger share is taken
//! as the derived one (a text mostly made of another's passages is more
//! likely the copy).
//!
//! A desk rewrite rewords sentences past the reach of the alignment and of
//! 3-grams, so the share undercounts it. Where names can be read, the rule
//! that settles it is that a version of one source brings nobody the source
//! does not name ([`degree_of`]). In a script without letter case no names
//! are read, and the share of the derived text's content words found in
//! its source ([`vocab_share`]) stands in: a rewrite tells the source's
//! things in the source's words; a text written around a few passages
//! brings the words of what it adds. On COUNTER (Urdu), with the bar
//! fitted without COUNTER, the ternary macro F1 rose 0.608 → 0.688
//! (QUALITY.md, session 22).
//!
//! ```
//! use retold_core::relate::degree::{degree, Degree};
//! use retold_core::relate::{PairFeatures, Side};
//! let f = PairFeatures {
//!     a_coverage: 0.2, b_coverage: 0.9,
//!     a_trigram_containment: 0.15, b_trigram_containment: 0.7,
//!     ..Default::default()
//! };
//! // B takes 90% of its text from A: wholly derived.
//! assert_eq!(degree(&f, Some(Side::B), 0.5), Degree::Wholly);
//! // Had A been the derived side, only a fifth of it came from B.
//! assert_eq!(degree(&f, Some(Side::A), 0.5), Degree::Partially);
//! ```

use serde::{Deserialize, Serialize};

use super::direction::Side;
use super::features::PairFeatures;

/// How much of a derived text comes from its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Degree {
    /// The source is the text's only source (possibly rewritten or cut).
    Wholly,
    /// The source gave some passages to a text that has others of its own.
    Partially,
}

impl Degree {
    /// The snake_case name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Degree::Wholly => "wholly",
            Degree::Partially => "partially",
        }
    }
}

impl std::fmt::Display for Degree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The bars a derived text's share must reach to be wholly derived
/// ([`degree_of`]), as a model carries them
/// ([`Model::wholly_bars`](super::model::Model::wholly_bars)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WhollyBars {
    /// On [`wholly_share`].
    pub share: f64,
    /// On [`vocab_share`], for a derived text in a script without letter
    /// case ([`PairFeatures::a_caseless`]); `None`: the share bar decides
    /// there too.
    pub vocabulary: Option<f64>,
}

impl WhollyBars {
    /// The share bar alone.
    pub fn share(share: f64) -> WhollyBars {
        WhollyBars {
            share,
            vocabulary: None,
        }
    }
}

/// The share of side `derived`'s content words (stop words and quotations
/// aside) found anywhere in the other text
/// ([`PairFeatures::a_vocab_containment`]). A desk rewrite rewords its
/// source sentence by sentence and past the reach of the alignment and of
/// 3-grams, but the things it tells are the source's, so its vocabulary is
/// the source's; a text written around a few of the source's passages
/// brings the vocabulary of what it adds.
pub fn vocab_share(f: &PairFeatures, derived: Side) -> f64 {
    match derived {
        Side::A => f.a_vocab_containment,
        Side::B => f.b_vocab_containment,
    }
}

/// The share of side `derived` that comes from the other side: the larger
/// of its aligned sentence coverage and its 3-gram containment.
pub fn wholly_share(f: &PairFeatures, derived: Side) -> f64 {
    match derived {
        Side::A => f.a_coverage.max(f.a_trigram_containment),
        Side::B => f.b_coverage.max(f.b_trigram_containment),
    }
}

/// The side to read the degree from: the derived one when known, else the
/// one with the larger [`wholly_share`].
pub fn derived_side(f: &PairFeatures, derived: Option<Side>) -> Side {
    derived.unwrap_or_else(|| {
        if wholly_share(f, Side::A) >= wholly_share(f, Side::B) {
            Side::A
        } else {
            Side::B
        }
    })
}

/// Names a derived side must show before "none of its own" says anything
/// ([`brings_nothing_of_its_own`]): a text in a script without letter case
/// shows none.
pub const NAMES_SEEN: usize = 3;

/// Whether the derived side of a rewrite brings no names of its own: it
/// shows at least [`NAMES_SEEN`] names and none of them, in the sentences
/// the alignment left unmatched, is one the source lacks
/// ([`PairFeatures::a_own_names`], counted for rewrites and spun copies).
/// A desk rewrite cuts, reorders and rewords its one source, so its share
/// measured in aligned sentences and 3-grams drops with every sentence
/// reworded past recognition; but it adds nobody the source does not
/// name. An article that reuses a source among others brings their
/// people, places and bodies: the other sources are what "partially"
/// means. (On `examples/reuse-en` the 19 wholly derived articles show 0
/// names of their own, the partially derived ones the verdict calls
/// rewrites 5-22; QUALITY.md, session 14.)
pub fn brings_nothing_of_its_own(f: &PairFeatures, derived: Side) -> bool {
    let (names, own) = match derived {
        Side::A => (f.a_names, f.a_own_names),
        Side::B => (f.b_names, f.b_own_names),
    };
    names >= NAMES_SEEN && own == 0
}

/// What side `side` brings of its own: its names, figures and quotations
/// the other text never has ([`PairFeatures::a_own_names`],
/// [`PairFeatures::a_own_numbers`], [`PairFeatures::a_own_quotes`];
/// counted for rewrites and spun copies only). Names and figures count in
/// the sentences the alignment left unmatched (figures also in a matched
/// sentence whose partner gives none): a figure changed inside a matched
/// sentence is an edit (the change report lists it), a figure in a
/// sentence of its own is a fact the other never gave. A quotation counts
/// wherever it stands: a version can cut or trim its source's quotes but
/// cannot quote words its source never printed.
pub fn own_material(f: &PairFeatures, side: Side) -> usize {
    match side {
        Side::A => f.a_own_names + f.a_own_numbers + f.a_own_quotes,
        Side::B => f.b_own_names + f.b_own_numbers + f.b_own_quotes,
    }
}

/// Side `side`'s own words ([`PairFeatures::a_own_words`]: content words
/// the other never uses and no lost word of the other pays for; counted
/// for rewrites and spun copies only).
pub fn own_words(f: &PairFeatures, side: Side) -> usize {
    match side {
        Side::A => f.a_own_words,
        Side::B => f.b_own_words,
    }
}

/// Own words ([`own_words`]) that mark a text as telling more than a
/// version of one source tells: a report of its own, when its names,
/// figures and quotations alone do not show it
/// ([`Model::own_reporting`](super::model::Model::own_reporting)), and a
/// rewrite that is not wholly derived ([`degree_basis`]). Set from the
/// definition, above what versions reach in the fitting data: PAN's spun
/// passages reach 13, `retold synth`'s spun copies 16, MSRP's paraphrases
/// 16, Clough's rewritten answers 31 (one of 15; the others under 20),
/// and the wholly derived newspaper texts of the English reuse sets 21;
/// their independent reports that the verdict first reads as rewrites
/// bring 27 to 83, two short ones aside (QUALITY.md, session 29).
pub const OWN_WORDS: usize = 25;

/// Items of [`own_material`] that mark a text as more than a version of
/// one source: a report of its own
/// ([`Model::own_reporting`](super::model::Model::own_reporting) reads
/// its own bar, this number by default), and a spun copy that is not
/// wholly derived ([`degree_of`]).
pub const OWN_MATERIAL: usize = 3;

/// What a derived pair's degree was read from ([`degree_basis`]), with the
/// numbers: the degree explains itself.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DegreeBasis {
    /// The derived side's share that comes from the source
    /// ([`wholly_share`]) against the bar: wholly at `bar` or more.
    Share { share: f64, bar: f64 },
    /// A rewrite that shows `names` names (at least [`NAMES_SEEN`]), none
    /// of them new in the sentences the alignment left unmatched
    /// ([`brings_nothing_of_its_own`]): wholly.
    NothingOfItsOwn { names: usize },
    /// A spun copy bringing `own` items of its own, fewer than
    /// [`OWN_MATERIAL`]: wholly.
    SpunCopy { own: usize },
    /// A rewrite that tells `words` words of its own ([`own_words`], at
    /// least [`OWN_WORDS`]): written around its source, partially.
    OwnWords { words: usize },
    /// Made by translating a translation of the source back into the
    /// source's language (a round trip): a spun copy of one source, wholly.
    RoundTrip,
    /// A script without letter case, so no names to read: the share of
    /// the derived side's content words found in the source
    /// ([`vocab_share`]) against the bar: wholly at `bar` or more.
    Vocabulary { share: f64, bar: f64 },
}

impl DegreeBasis {
    /// The degree it gives.
    pub fn degree(self) -> Degree {
        match self {
            DegreeBasis::Share { share, bar } | DegreeBasis::Vocabulary { share, bar } => {
                if share >= bar {
                    Degree::Wholly
                } else {
                    Degree::Partially
                }
            }
            DegreeBasis::OwnWords { .. } => Degree::Partially,
            DegreeBasis::NothingOfItsOwn { .. }
            | DegreeBasis::SpunCopy { .. }
            | DegreeBasis::RoundTrip => Degree::Wholly,
        }
    }
}

/// The degree of a derived pair with relation `relation`
/// ([`degree_basis`]).
pub fn degree_of(
    relation: super::Relation,
    f: &PairFeatures,
    derived: Option<Side>,
    bars: WhollyBars,
) -> Degree {
    degree_basis(relation, f, derived, bars).degree()
}

/// What the degree of a derived pair with relation `relation` is read
/// from: a spun copy is wholly derived by definition (a spinner or a round
/// trip through translation rewrites every sentence of one source, so its
/// measured share says how much the wording changed, not how much came
/// from elsewhere) unless it brings [`OWN_MATERIAL`] of its own (a spinner
/// adds no sentences with facts of their own; a text that does was written
/// around its source); so is a rewrite that brings nothing of its own
/// ([`brings_nothing_of_its_own`]); any other, by its share ([`degree`]).
///
/// Those two rules read names, and in a script without letter case (Urdu,
/// Arabic, Chinese) no names are seen: there the derived side is read by
/// its vocabulary ([`vocab_share`], `bars.vocabulary`), the one measure of
/// "brings nothing of its own" that needs no names. A text in a cased
/// script that names few people (a brief, or a feed in small letters)
/// keeps the share: on our English sets in small letters, the share reads
/// the degree better than the vocabulary bar fitted on Urdu (QUALITY.md,
/// session 22). A translation is read by its share: its words are another
/// language's.
pub fn degree_basis(
    relation: super::Relation,
    f: &PairFeatures,
    derived: Option<Side>,
    bars: WhollyBars,
) -> DegreeBasis {
    let side = derived_side(f, derived);
    let (names, caseless) = match side {
        Side::A => (f.a_names, f.a_caseless),
        Side::B => (f.b_names, f.b_caseless),
    };
    if let Some(bar) = bars.vocabulary {
        if caseless && relation != super::Relation::Translated {
            return DegreeBasis::Vocabulary {
                share: vocab_share(f, side),
                bar,
            };
        }
    }
    let own = own_material(f, side);
    let words = own_words(f, side);
    if relation == super::Relation::Spun && own < OWN_MATERIAL {
        DegreeBasis::SpunCopy { own }
    } else if relation == super::Relation::Rewrite && words >= OWN_WORDS {
        DegreeBasis::OwnWords { words }
    } else if relation == super::Relation::Rewrite && brings_nothing_of_its_own(f, side) {
        DegreeBasis::NothingOfItsOwn { names }
    } else {
        DegreeBasis::Share {
            share: wholly_share(f, side),
            bar: bars.share,
        }
    }
}

/// The degree of a derived pair by its share alone: wholly when at least
/// `wholly_above` of the derived side comes from the other
/// ([`DegreeBasis::Share`]).
pub fn degree(f: &PairFeatures, derived: Option<Side>, wholly_above: f64) -> Degree {
    DegreeBasis::Share {
        share: wholly_share(f, derived_side(f, derived)),
        bar: wholly_above,
    }
    .degree()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{ArticleDraft, Origin};
    use crate::relate::compare;

    fn article(text: &str) -> crate::article::Article {
        ArticleDraft {
            text: text.into(),
            language: Some("en".into()),
            ..Default::default()
        }
        .finish(Origin::whole("t"))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    const WIRE: &str =
        "Flood waters forced 2,400 people from their homes in the Tarn valley on Sunday, \
        regional officials said. The river rose four metres in six hours after a week of storms. \
        Rescue crews used boats to reach villages cut off by the water near Albiac. \
        The prefect ordered schools in 14 towns to stay closed on Monday. \
        Forecasters expect more rain on Tuesday before the weather clears.";

    #[test]
    fn a_few_wire_sentences_in_new_material_are_partial_reuse() {
        // Two wire sentences kept word for word inside a local report.
        let local =
            "Shopkeepers in Gaillac spent Sunday carrying stock upstairs as the water crept \
            along the quays. \"We have seen floods before, but never this fast,\" said baker \
            Odile Maury, whose shop sits two streets from the river. \
            The river rose four metres in six hours after a week of storms. \
            Volunteers from the rugby club filled sandbags outside the town hall until dark. \
            Rescue crews used boats to reach villages cut off by the water near Albiac. \
            The mayor said the town would open its sports hall to families who had to leave. \
            Farmers on the plain moved cattle to higher fields before nightfall. \
            Many said they feared for the harvest stored in their barns.";
        let cmp = compare(&article(local), &article(WIRE));
        let f = &cmp.verdict.features;
        assert!(f.a_trigram_containment > 0.15, "{f:?}");
        assert!(f.a_trigram_containment < f.b_trigram_containment, "{f:?}");
        assert_eq!(degree(f, Some(Side::A), 0.5), Degree::Partially);
        // Read from the wire's side, the same pair would look wholly taken.
        assert!(wholly_share(f, Side::B) > wholly_share(f, Side::A));
    }

    #[test]
    fn a_spun_copy_is_wholly_derived_whatever_its_share() {
        let f = PairFeatures {
            a_coverage: 0.55,
            a_trigram_containment: 0.2,
            ..Default::default()
        };
        assert_eq!(degree(&f, Some(Side::A), 0.86), Degree::Partially);
        assert_eq!(
            degree_of(
                crate::relate::Relation::Spun,
                &f,
                Some(Side::A),
                WhollyBars::share(0.86)
            ),
            Degree::Wholly
        );
        assert_eq!(
            degree_of(
                crate::relate::Relation::Rewrite,
                &f,
                Some(Side::A),
                WhollyBars::share(0.86)
            ),
            Degree::Partially
        );
    }

    #[test]
    fn a_spun_copy_with_material_of_its_own_is_read_by_its_share() {
        let f = PairFeatures {
            a_coverage: 0.6,
            a_trigram_containment: 0.1,
            a_own_numbers: 2,
            a_own_quotes: 1,
            ..Default::default()
        };
        // Two figures and a quotation its source never gave: written around
        // the source, not spun from it alone.
        assert_eq!(own_material(&f, Side::A), OWN_MATERIAL);
        assert_eq!(
            degree_of(
                crate::relate::Relation::Spun,
                &f,
                Some(Side::A),
                WhollyBars::share(0.86)
            ),
            Degree::Partially
        );
        // One figure fewer: a spinner's copy, wholly derived.
        let spun = PairFeatures {
            a_own_numbers: 1,
            ..f
        };
        assert_eq!(
            degree_of(
                crate::relate::Relation::Spun,
                &spun,
                Some(Side::A),
                WhollyBars::share(0.86)
            ),
            Degree::Wholly
        );
        // The other side's material is not the copy's.
        let other = PairFeatures {
            a_own_numbers: 0,
            a_own_quotes: 0,
            b_own_numbers: 5,
            ..f
        };
        assert_eq!(
            degree_of(
                crate::relate::Relation::Spun,
                &other,
                Some(Side::A),
                WhollyBars::share(0.86)
            ),
            Degree::Wholly
        );
    }

    #[test]
    fn a_rewrite_that_brings_no_names_of_its_own_is_wholly_derived() {
        use crate::relate::Relation;
        // A desk rewrite: two thirds of it aligned, little wording kept,
        // eight names, all of them the source's.
        let f = PairFeatures {
            a_coverage: 0.66,
            a_trigram_containment: 0.12,
            a_names: 8,
            a_own_names: 0,
            ..Default::default()
        };
        assert_eq!(degree(&f, Some(Side::A), 0.86), Degree::Partially);
        assert_eq!(
            degree_of(
                Relation::Rewrite,
                &f,
                Some(Side::A),
                WhollyBars::share(0.86)
            ),
            Degree::Wholly
        );
        // Names of its own: other sources.
        let own = PairFeatures {
            a_own_names: 4,
            ..f
        };
        assert_eq!(
            degree_of(
                Relation::Rewrite,
                &own,
                Some(Side::A),
                WhollyBars::share(0.86)
            ),
            Degree::Partially
        );
        // No names to see (a script without letter case): the share decides.
        let caseless = PairFeatures { a_names: 0, ..f };
        assert_eq!(
            degree_of(
                Relation::Rewrite,
                &caseless,
                Some(Side::A),
                WhollyBars::share(0.86)
            ),
            Degree::Partially
        );
        // Own names are counted only for rewrites and spun copies: an
        // excerpt's zero says nothing.
        assert_eq!(
            degree_of(
                Relation::Excerpt,
                &f,
                Some(Side::A),
                WhollyBars::share(0.86)
            ),
            Degree::Partially
        );
    }

    #[test]
    fn a_text_whose_names_cannot_be_read_is_read_by_its_vocabulary() {
        use crate::relate::Relation;
        // The degree of side A as the version.
        let of = |relation, f: &PairFeatures, bars| degree_of(relation, f, Some(Side::A), bars);
        let bars = WhollyBars {
            share: 0.84,
            vocabulary: Some(0.66),
        };
        // An Urdu desk copy of an agency story (no letter case, so no
        // names): 70% of its sentences aligned, 20% of its 3-grams kept,
        // 80% of its content words found in the source.
        let desk = PairFeatures {
            a_coverage: 0.7,
            a_trigram_containment: 0.2,
            a_vocab_containment: 0.8,
            a_names: 0,
            a_caseless: true,
            ..Default::default()
        };
        assert_eq!(of(Relation::Rewrite, &desk, bars), Degree::Wholly);
        // The share alone would call it partial.
        assert_eq!(
            of(Relation::Rewrite, &desk, WhollyBars::share(0.84)),
            Degree::Partially
        );
        // A text written around a few of the source's passages brings the
        // words of what it adds; called spun, it is still read by them (a
        // spun copy's own material is read by its names, unseen here).
        let around = PairFeatures {
            a_vocab_containment: 0.45,
            ..desk
        };
        for relation in [Relation::Rewrite, Relation::Spun] {
            assert_eq!(
                of(relation, &around, bars),
                Degree::Partially,
                "{relation:?}"
            );
        }
        // A script with case: the own-material rules and the share decide,
        // not the vocabulary, names or none (a brief, a feed in small
        // letters).
        let named = PairFeatures {
            a_names: 6,
            a_own_names: 3,
            a_caseless: false,
            ..desk
        };
        assert_eq!(
            of(
                Relation::Rewrite,
                &PairFeatures {
                    a_caseless: false,
                    ..desk
                },
                bars
            ),
            Degree::Partially
        );
        assert_eq!(of(Relation::Rewrite, &named, bars), Degree::Partially);
        // The vocabulary read is the derived side's.
        let other_side = PairFeatures {
            a_vocab_containment: 0.3,
            b_vocab_containment: 0.9,
            ..desk
        };
        assert_eq!(of(Relation::Rewrite, &other_side, bars), Degree::Partially);
        // A translation's words are another language's: the share decides.
        assert_eq!(of(Relation::Translated, &desk, bars), Degree::Partially);
    }

    #[test]
    fn the_shipped_model_reads_a_text_without_names_by_its_vocabulary() {
        let bars = crate::relate::Model::builtin().wholly_bars();
        assert!(
            bars.vocabulary.is_some_and(|v| v > 0.5 && v < 0.9),
            "{bars:?}"
        );
    }

    #[test]
    fn a_lightly_edited_copy_is_wholly_derived() {
        let copy = WIRE
            .replace("Sunday", "Sunday morning")
            .replace("Forecasters expect", "Forecasters said they expect");
        let cmp = compare(&article(&copy), &article(WIRE));
        assert_eq!(
            degree(&cmp.verdict.features, Some(Side::A), 0.5),
            Degree::Wholly
        );
        assert_eq!(derived_side(&cmp.verdict.features, None), Side::A);
    }

    #[test]
    fn a_rewrite_telling_words_of_its_own_is_partially_derived() {
        // Eight names, none of its own: by the names alone, a rewrite that
        // brings nothing of its own, wholly derived.
        let f = PairFeatures {
            a_names: 8,
            a_coverage: 0.9,
            a_trigram_containment: 0.1,
            a_own_words: OWN_WORDS - 1,
            ..Default::default()
        };
        let degree = |f: &PairFeatures| {
            degree_basis(
                crate::relate::Relation::Rewrite,
                f,
                Some(Side::A),
                WhollyBars::share(0.5),
            )
        };
        assert_eq!(degree(&f), DegreeBasis::NothingOfItsOwn { names: 8 });
        // Telling as many words of its own as the bar: written around its
        // source, whatever names it shares.
        let told = PairFeatures {
            a_own_words: OWN_WORDS,
            ..f
        };
        assert_eq!(degree(&told), DegreeBasis::OwnWords { words: OWN_WORDS });
        assert_eq!(degree(&told).degree(), Degree::Partially);
        // The other side's words say nothing of this side, and a spun copy
        // is read by its items.
        let other = PairFeatures {
            b_own_words: 80,
            ..f
        };
        assert_eq!(degree(&other).degree(), Degree::Wholly);
        assert_eq!(
            degree_basis(
                crate::relate::Relation::Spun,
                &told,
                Some(Side::A),
                WhollyBars::share(0.5)
            ),
            DegreeBasis::SpunCopy { own: 0 }
        );
    }
}
