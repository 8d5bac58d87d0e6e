//! Which of two versions was written first, from the day words of the
//! sentences they share: "today" against "yesterday".
//!
//! A wire agency files the day a court sits and writes "was jailed today";
//! a newspaper printed the next morning tells the same sentence "was
//! jailed yesterday". Both name one day, each counted from the day it was
//! written, so the text whose word counts *forward* from its writing day
//! was written *earlier*: with the event on day E, a text that calls it
//! "today" was written on E, one that calls it "yesterday" on E + 1, one
//! that calls it "tomorrow" on E − 1. A version cannot be written before
//! the text it was made from, so the earlier text is the source. No date
//! is needed, only that the two sentences tell the same thing, which the
//! alignment gives.
//!
//! Read per aligned pair of sentences, words inside quotations left out (a
//! speaker's "today" counts from the day they spoke, not from the day the
//! text was written): a pair votes when each side names exactly one kind
//! of day and the two differ ("yesterday", "last night" are the day
//! before; "today", "tonight", "this morning", "this afternoon", "this
//! evening" the day itself; "tomorrow" the day after). The evidence is
//! given when some pair votes and no pair votes the other way. English day
//! words only: a text in another language gives none.
//!
//! ```
//! use retold_core::align::{align, AlignConfig};
//! use retold_core::relate::days::relative_day;
//! use retold_core::relate::Side;
//! use retold_core::text::analyze;
//!
//! let wire = analyze(
//!     "A carer who stole £48,000 from a widow with dementia was jailed for three years today. \
//!      Denise Farrow, 52, made 214 cash withdrawals over 19 months, the court heard.",
//!     Some("en"),
//! );
//! let paper = analyze(
//!     "A carer who stole £48,000 from a widow with dementia was jailed for three years yesterday. \
//!      Denise Farrow, 52, made 214 cash withdrawals over 19 months, the court heard.",
//!     Some("en"),
//! );
//! let alignment = align(&paper, &wire, &AlignConfig::default());
//! // The newspaper is side A, the wire side B: B was written first.
//! let days = relative_day(&paper, &wire, &alignment).unwrap();
//! assert_eq!(days.earlier, Side::B);
//! assert_eq!((days.earlier_says.as_str(), days.later_says.as_str()), ("today", "yesterday"));
//! ```

use serde::{Deserialize, Serialize};

use super::features::quoted_tokens;
use super::Side;
use crate::align::Alignment;
use crate::text::TextDoc;

/// What the day words of two versions' shared sentences say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelativeDay {
    /// The side written first: its day word counts forward from the other's.
    pub earlier: Side,
    /// The day word of the earlier side and of the later one, as written
    /// (lower case), from the first pair of sentences that voted.
    pub earlier_says: String,
    pub later_says: String,
    /// Aligned sentence pairs that voted this way.
    pub pairs: usize,
}

/// A day word's offset from the day its text was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Day {
    Before,
    Same,
    After,
}

impl Day {
    fn bit(self) -> u8 {
        match self {
            Day::Before => 1,
            Day::Same => 2,
            Day::After => 4,
        }
    }
}

/// The day words of each sentence of `doc` outside quotations: a bit set
/// of [`Day`]s and the first such word as written.
fn sentence_days(doc: &TextDoc) -> Vec<(u8, Option<String>)> {
    let quoted = quoted_tokens(doc);
    let word = |i: usize| -> &str {
        doc.tokens
            .get(i)
            .and_then(|t| doc.clean.get(t.span.start..t.span.end))
            .unwrap_or("")
    };
    let is = |w: &str, of: &[&str]| of.iter().any(|x| w.eq_ignore_ascii_case(x));
    doc.sentences
        .iter()
        .map(|&s| {
            let mut bits = 0u8;
            let mut first: Option<String> = None;
            let range = doc.token_range(s);
            for i in range.clone() {
                if quoted.get(i).copied().unwrap_or(false) {
                    continue;
                }
                let w = word(i);
                let next = if i + 1 < range.end { word(i + 1) } else { "" };
                let prev = if i > range.start { word(i - 1) } else { "" };
                let found = if is(w, &["yesterday"]) {
                    Some((Day::Before, w.to_string()))
                } else if is(w, &["today", "tonight"]) {
                    Some((Day::Same, w.to_string()))
                } else if is(w, &["tomorrow"]) {
                    Some((Day::After, w.to_string()))
                } else if is(w, &["last"]) && is(next, &["night"]) && !is(prev, &["the"]) {
                    // "the last night of the festival" is no day word.
                    Some((Day::Before, format!("{w} {next}")))
                } else if is(w, &["this"]) && is(next, &["morning", "afternoon", "evening"]) {
                    Some((Day::Same, format!("{w} {next}")))
                } else {
                    None
                };
                if let Some((day, text)) = found {
                    bits |= day.bit();
                    first.get_or_insert_with(|| text.to_lowercase());
                }
            }
            (bits, first)
        })
        .collect()
}

/// The one [`Day`] a bit set holds, if it holds exactly one.
fn single(bits: u8) -> Option<Day> {
    match bits {
        1 => Some(Day::Before),
        2 => Some(Day::Same),
        4 => Some(Day::After),
        _ => None,
    }
}

/// Which side of an aligned pair of texts was written first, from the day
/// words of their aligned sentences (see the [module documentation](self)).
pub fn relative_day(a: &TextDoc, b: &TextDoc, alignment: &Alignment) -> Option<RelativeDay> {
    let some_day = |days: &[(u8, Option<String>)]| days.iter().any(|d| d.0 != 0);
    let da = sentence_days(a);
    if !some_day(&da) {
        return None;
    }
    let db = sentence_days(b);
    if !some_day(&db) {
        return None;
    }
    let gather = |days: &[(u8, Option<String>)], r: &std::ops::Range<usize>| {
        let mut bits = 0u8;
        let mut first = None;
        for d in days.get(r.clone()).unwrap_or(&[]) {
            bits |= d.0;
            if first.is_none() {
                first.clone_from(&d.1);
            }
        }
        (bits, first)
    };
    let mut votes = [0usize; 2];
    let mut first: [Option<(String, String)>; 2] = [None, None];
    for p in &alignment.pairs {
        let (ba, wa) = gather(&da, &p.a);
        let (bb, wb) = gather(&db, &p.b);
        let (Some(x), Some(y)) = (single(ba), single(bb)) else {
            continue;
        };
        if x == y {
            continue;
        }
        // The word counting further forward was written on an earlier day.
        let (k, words) = if x > y { (0, (wa, wb)) } else { (1, (wb, wa)) };
        votes[k] += 1;
        if first[k].is_none() {
            first[k] = Some((words.0.unwrap_or_default(), words.1.unwrap_or_default()));
        }
    }
    let k = match votes {
        [0, 0] => return None,
        [_, 0] => 0,
        [0, _] => 1,
        _ => return None,
    };
    let (earlier_says, later_says) = first[k].take().unwrap_or_default();
    Some(RelativeDay {
        earlier: if k == 0 { Side::A } else { Side::B },
        earlier_says,
        later_says,
        pairs: votes[k],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::{align, AlignConfig};

    fn pair(a: &str, b: &str) -> Option<RelativeDay> {
        let (a, b) = (
            crate::text::analyze(a, Some("en")),
            crate::text::analyze(b, Some("en")),
        );
        relative_day(&a, &b, &align(&a, &b, &AlignConfig::default()))
    }

    const WIRE: &str = "A carer who stole £48,000 from a widow with dementia was jailed for three years today. \
        Denise Farrow, 52, made 214 cash withdrawals over 19 months, Brackenford Crown Court heard. \
        The theft came to light when the widow's nephew checked her savings account last month.";

    #[test]
    fn the_text_that_says_today_was_written_before_the_one_that_says_yesterday() {
        let paper = WIRE.replace("years today", "years yesterday");
        let d = pair(&paper, WIRE).expect("the day words speak");
        assert_eq!(d.earlier, Side::B);
        assert_eq!(
            (d.earlier_says.as_str(), d.later_says.as_str()),
            ("today", "yesterday")
        );
        assert_eq!(d.pairs, 1);
        // Read the other way round, the same text is the earlier one.
        assert_eq!(pair(WIRE, &paper).map(|d| d.earlier), Some(Side::A));
    }

    #[test]
    fn tomorrow_counts_forward_from_today_and_last_night_back() {
        let before = WIRE.replace("jailed for three years today", "sentenced tomorrow");
        let after = WIRE.replace("jailed for three years today", "sentenced today");
        assert_eq!(pair(&after, &before).map(|d| d.earlier), Some(Side::B));
        let tonight = WIRE.replace("years today", "years tonight");
        let last_night = WIRE.replace("years today", "years last night");
        assert_eq!(
            pair(&last_night, &tonight).map(|d| d.earlier),
            Some(Side::B)
        );
        let this_morning = WIRE.replace("years today", "years this morning");
        assert_eq!(
            pair(&this_morning, &last_night).map(|d| d.earlier),
            Some(Side::A)
        );
    }

    #[test]
    fn the_same_day_word_a_quotation_or_two_kinds_in_one_sentence_say_nothing() {
        assert_eq!(pair(WIRE, WIRE), None);
        // A speaker's "today" counts from the day they spoke.
        let quoted = WIRE.replace(
            "was jailed for three years today.",
            "was jailed for three years. \"Today justice was done,\" her nephew said.",
        );
        let said = WIRE.replace(
            "was jailed for three years today.",
            "was jailed for three years. \"Justice was done yesterday,\" her nephew said.",
        );
        assert_eq!(pair(&quoted, &said), None);
        // One sentence naming two days says neither.
        let both = WIRE.replace("years today", "years yesterday and appeals today");
        assert_eq!(pair(&both, WIRE), None);
        // "The last night of" is no day word.
        let festival = WIRE.replace("years today", "years on the last night of the festival");
        assert_eq!(pair(&festival, WIRE), None);
    }

    #[test]
    fn pairs_that_vote_both_ways_say_nothing() {
        // Each pair alone would decide, one each way.
        let wire = WIRE.replace("last month", "yesterday");
        let paper = WIRE
            .replace("years today", "years yesterday")
            .replace("last month", "today");
        assert_eq!(pair(&paper, &wire), None);
        // Only the first: the wire.
        let paper = WIRE.replace("years today", "years yesterday");
        assert_eq!(pair(&paper, &wire).map(|d| d.earlier), Some(Side::B));
    }
}
