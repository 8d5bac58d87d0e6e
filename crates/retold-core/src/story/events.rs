//! Another event of the same kind: the key facts a report states, and the
//! conflicts that say two texts tell two events.
//!
//! Two reports of one event agree on its key facts or leave them out; two
//! events of one kind (two earthquakes in one country, two office
//! shootings, two coaching changes of one team) share the vocabulary, the
//! places and often the formulas, but state *different* values for the same
//! slot: "magnitude 6.1" against "magnitude 5.8", "24-17" against "21-20",
//! the "81st" Academy Awards against the "86th", a year of 2008 against
//! 2011. So each article's **facts** are read once, from its text: slots of
//! an event ([`Slot`]) with the value the text writes, marked when they
//! stand in the lede (the title and the text up to the sentence holding its
//! [`LEDE_WORDS`]th word), where a report states its own event; the rest of
//! the text recounts, compares and gives background.
//!
//! A **conflict** on a slot needs both sides to state it in their lede, and
//! neither side's lede value may appear anywhere in the other text (a later
//! report that recounts the earlier event writes its magnitude too; a report
//! that gives the toll of both days writes both). Absence is no conflict.
//! Values count as the same within what rewrites and independent reports
//! do to them: magnitudes within 0.3, ages within a year, calendar dates
//! within three days, counts within 10 % (20 % when qualified, "about 300"
//! against "312"). A death toll that *rises* in a later text is an update,
//! not a conflict; only a later toll clearly lower than the earlier counts.
//!
//! Slots are not equally reliable, so each conflict has a weight
//! ([`Slot::weight`]): a magnitude that differs by 0.5 or more, a score, a
//! numbered edition ("81st" / "86th" Academy Awards) and years two or more
//! apart weigh 1 each; the rest (a toll, an age, a weekday, a calendar
//! date, a year one apart, a magnitude 0.3–0.5 apart, a count of the same
//! thing) weigh ½: a single differing number of that kind never splits a
//! story, two of them do. Conflicts that add up to at least 1
//! ([`Conflicts::another_event`]) say the texts tell two events.
//!
//! The engine keeps each article's facts and reads a new article's facts
//! against the members of a story it would join as an *independent
//! report* (the first [`REPORTS_READ`]): when more of the members that
//! state a slot the article states too conflict with it (another event)
//! than agree with it (no conflict, and a value both ledes state), the
//! story tells another event,
//! its link counts as 0 and the conflict is kept as evidence. Two stories
//! are not merged when more of their cross pairs of members conflict than
//! agree. One member with an odd value does not keep out a text that the
//! others agree with; a story of one report keeps out a text that states
//! its slots otherwise.
//! Derived versions are left alone: a copy or a spun version may alter a
//! number of its source, and it is placed by its text, not by its facts;
//! save a derived link that only the structure node makes (no copied
//! passages, no shared phrasing), which a conflict refuses as two events
//! told alike (`Engine::another_event_told_alike`).
//! See [`EngineConfig::event_conflicts`](super::EngineConfig::event_conflicts).
//!
//! ```
//! use retold_core::story::events::facts;
//! use retold_core::text::analyze;
//!
//! let quake = |t: &str| facts(&analyze(t, Some("en")), None);
//! let a = quake("A magnitude 6.1 earthquake struck the Oltavian highlands on Tuesday, \
//!     killing 12 people in the town of Sarvik in 2019.");
//! let b = quake("A 5.4-magnitude earthquake shook the Oltavian highlands on Sunday, \
//!     killing three people near Sarvik in 2021.");
//! let c = quake("An earthquake of magnitude 6.1 hit the Oltavian highlands on Tuesday; \
//!     at least 14 people died, officials said.");
//! let two = b.conflicts_with(&a, true);
//! assert!(two.another_event());
//! assert!(two.to_strings().contains(&"magnitude 5.4 vs 6.1".to_string()));
//! // One event: a later report with a higher toll is an update.
//! assert!(c.conflicts_with(&a, true).list.is_empty());
//! ```

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::changes::numbers::{number_word, quantities, Bound, QuantityKind};
use crate::features::term_hash;
use crate::text::{TextDoc, TokenKind};

/// Word tokens at the start of the text read as its lede (with the rest of
/// the sentence the last one stands in), besides the title.
pub const LEDE_WORDS: usize = 45;

/// Reports of a story whose facts are read against a new text (the
/// first ones), and of each story for a merge.
pub const REPORTS_READ: usize = 24;

/// A slot of an event that a report fills with a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    /// An earthquake's magnitude ("magnitude 6.1", "6.1-magnitude").
    Magnitude,
    /// A game's or a vote's score ("24-17", "7–2").
    Score,
    /// A numbered edition of a named event ("81st Academy Awards").
    Edition,
    /// A year ("in 2008").
    Year,
    /// A calendar date ("November 11", "11 Nov").
    Date,
    /// A weekday ("on Tuesday").
    Weekday,
    /// A death toll ("killing 12", "three dead").
    Toll,
    /// An age ("a 61-year-old man").
    Age,
    /// A count of one thing ("23 pirates", "300 homes").
    Count,
}

impl Slot {
    /// How far a conflict on this slot says "another event" (1: alone).
    pub fn weight(self) -> f64 {
        match self {
            Slot::Magnitude | Slot::Score | Slot::Edition | Slot::Year => 1.0,
            _ => 0.5,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Slot::Magnitude => "magnitude",
            Slot::Score => "score",
            Slot::Edition => "edition",
            Slot::Year => "year",
            Slot::Date => "date",
            Slot::Weekday => "weekday",
            Slot::Toll => "toll",
            Slot::Age => "age",
            Slot::Count => "count",
        }
    }
}

/// One value a text states for a slot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub slot: Slot,
    /// What the value is of, for slots that have several (the counted word
    /// of a [`Slot::Count`], the event of an [`Slot::Edition`]): a hash, 0
    /// when none.
    pub key: u32,
    pub value: f64,
    /// Whether the number was qualified ("about 300").
    pub approximate: bool,
    /// Whether it stands in the lede.
    pub lede: bool,
    /// The value as written ("6.1", "24-17", "Tuesday", "81st Academy").
    pub text: String,
}

/// The facts of one article (or the union over a story's members).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    pub facts: Vec<Fact>,
}

/// A stated conflict: the slot and both values as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub slot: Slot,
    /// The value of the text being placed (or of the first story).
    pub ours: String,
    /// The value of the other side.
    pub theirs: String,
    pub weight: f64,
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} vs {}", self.slot.label(), self.ours, self.theirs)
    }
}

/// The conflicts between two sides, strongest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Conflicts {
    pub list: Vec<Conflict>,
}

impl Conflicts {
    /// Sum of the weights.
    pub fn weight(&self) -> f64 {
        self.list.iter().map(|c| c.weight).sum()
    }

    /// Whether the conflicts add up to another event (a weight of 1).
    pub fn another_event(&self) -> bool {
        self.weight() >= 1.0 - 1e-9
    }

    /// Each conflict as text ("magnitude 6.1 vs 5.8").
    pub fn to_strings(&self) -> Vec<String> {
        self.list.iter().map(ToString::to_string).collect()
    }
}

use crate::dates::WEEKDAY_NAMES as WEEKDAYS;

/// Month of a month word ("november", "nov", "sept"), 1–12.
fn month(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.');
    crate::dates::MONTH_NAMES
        .iter()
        .position(|m| *m == w || ((3..=4).contains(&w.len()) && m.starts_with(w)))
        .map(|k| k as u32 + 1)
}

/// Words that count a time span or a measure, not a thing of the event.
const NO_COUNT: &[&str] = &[
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "hour",
    "hours",
    "minute",
    "minutes",
    "second",
    "seconds",
    "night",
    "nights",
    "time",
    "times",
    "percent",
    "per",
    "mile",
    "miles",
    "km",
    "kilometres",
    "kilometers",
    "metres",
    "meters",
    "feet",
    "foot",
    "inch",
    "inches",
    "pounds",
    "kg",
    "mph",
    "am",
    "pm",
    "a.m",
    "p.m",
    "o'clock",
    "point",
    "points",
    "million",
    "billion",
    "thousand",
    "hundred",
    "games",
    "game",
    "seasons",
    "season",
    "yards",
    "degrees",
    "cents",
    "dollars",
    "euros",
    "pence",
    "st",
    "nd",
    "rd",
    "th",
];

/// Words that make a number a death toll, after it ("12 killed", "12
/// people died") or before it ("killing 12", "death toll rose to 12").
const DEATH_AFTER: &[&str] = &[
    "dead",
    "killed",
    "died",
    "deaths",
    "dies",
    "fatalities",
    "bodies",
    "lives",
];
const DEATH_BEFORE: &[&str] = &["killing", "killed", "toll", "kills", "kill"];

/// A word's byte range in a text and in the string of lowercase words.
type WordSpan = (Range<usize>, Range<usize>);

/// The alphanumeric words of `text`: their byte ranges in `text` and in
/// the returned string, which holds their lowercase forms one after
/// another (one allocation, not one per word).
fn words(text: &str) -> (Vec<WordSpan>, String) {
    let mut out = Vec::new();
    let mut lower = String::with_capacity(text.len());
    let mut push = |r: Range<usize>| {
        let w = text[r.clone()].trim_end_matches(['-', '\'']);
        let from = lower.len();
        if w.is_ascii() {
            lower.push_str(w);
            lower[from..].make_ascii_lowercase();
        } else {
            lower.extend(w.chars().flat_map(char::to_lowercase));
        }
        out.push((r, from..lower.len()));
    };
    let mut start = None;
    for (i, c) in text.char_indices() {
        let inner = c.is_alphanumeric() || (c == '-' || c == '\'') && start.is_some();
        match (inner, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push(s..text.len());
    }
    (out, lower)
}

/// Byte offset where the lede of `doc` ends: the end of the sentence that
/// holds its [`LEDE_WORDS`]th word token.
fn lede_end(doc: &TextDoc) -> usize {
    let Some(t) = doc
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .nth(LEDE_WORDS - 1)
    else {
        return doc.clean.len();
    };
    doc.sentences
        .iter()
        .find(|s| s.start <= t.span.start && t.span.start < s.end)
        .map_or(t.span.end, |s| s.end)
}

/// The facts of `doc` (and of its `title`, if given apart from the text).
pub fn facts(doc: &TextDoc, title: Option<&str>) -> Facts {
    let mut out = Vec::new();
    if let Some(t) = title {
        scan(t, t.len(), &mut out);
    }
    let (text, lede) = (doc.clean.as_str(), lede_end(doc));
    if doc.sentences.is_empty() {
        scan(text, lede, &mut out);
        return Facts { facts: out };
    }
    // Past the lede only sentences that can state a value are read: most
    // hold no digit, number word or weekday, and the scan costs a lowercase
    // word list and the number parser per sentence. Adjacent sentences are
    // read as one run.
    let mut run: Option<Range<usize>> = None;
    for s in &doc.sentences {
        if s.start < lede || may_state(&text[s.start..s.end]) {
            run = Some(match run {
                Some(r) if text[r.end..s.start].trim().is_empty() => r.start..s.end,
                Some(r) => {
                    scan(&text[r.clone()], lede.saturating_sub(r.start), &mut out);
                    s.start..s.end
                }
                None => s.start..s.end,
            });
        }
    }
    if let Some(r) = run {
        scan(&text[r.clone()], lede.saturating_sub(r.start), &mut out);
    }
    Facts { facts: out }
}

/// Whether `sentence` can hold a fact: a digit, a number word or a weekday.
fn may_state(sentence: &str) -> bool {
    sentence.bytes().any(|b| b.is_ascii_digit())
        || sentence
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .filter(|w| w.len() >= 3 && w.len() <= 40)
            .filter(|w| w.is_ascii())
            .any(|w| {
                let mut buf = [0u8; 40];
                let buf = &mut buf[..w.len()];
                buf.copy_from_slice(w.as_bytes());
                buf.make_ascii_lowercase();
                std::str::from_utf8(buf).is_ok_and(|l| number_word(l) || WEEKDAYS.contains(&l))
            })
}

/// Adds the facts of `text` to `out`; those starting before `lede` are in
/// the lede.
fn scan(text: &str, lede: usize, out: &mut Vec<Fact>) {
    let (spans, lower) = words(text);
    let ws: Vec<(Range<usize>, &str)> = spans
        .into_iter()
        .map(|(r, l)| (r, lower.get(l).unwrap_or("")))
        .collect();
    let at = |k: usize| ws.get(k).map_or("", |w| w.1);
    let mut push = |slot, key, value, approximate, start: usize, written: &str| {
        out.push(Fact {
            slot,
            key,
            value,
            approximate,
            lede: start < lede,
            text: written.to_string(),
        });
    };
    // Scores: "24-17", "7–2" (not a date "12-3-2008", a range of years,
    // nor a compound "6-year").
    for (k, (r, w)) in ws.iter().enumerate() {
        if let Some(score) = score_of(text, r, w, at(k + 1)) {
            push(Slot::Score, 0, score, false, r.start, &text[r.clone()]);
        }
        // Weekdays and dates: "Tuesday", "Nov. 11", "11 November".
        if let Some(d) = WEEKDAYS.iter().position(|d| d == w) {
            push(Slot::Weekday, 0, d as f64, false, r.start, &text[r.clone()]);
        }
        if let Some(m) = month(w) {
            let day = |x: &str| x.parse::<u32>().ok().filter(|d| (1..=31).contains(d));
            let capital = text[r.clone()].starts_with(char::is_uppercase);
            let found = match (day(at(k + 1)), k.checked_sub(1)) {
                (Some(d), _) => Some((d, r.start, ws[k + 1].0.end)),
                (None, Some(p)) => day(at(p)).map(|d| (d, ws[p].0.start, r.end)),
                _ => None,
            };
            if let (Some((d, start, end)), true) = (found, capital) {
                let value = f64::from((m - 1) * 31 + d);
                push(Slot::Date, 0, value, false, start, &text[start..end]);
            }
        }
    }
    for q in quantities(text) {
        if q.text.contains(['-', '\u{2013}'])
            && q.text.chars().filter(char::is_ascii_digit).count() >= 2
            && q.text
                .split(['-', '\u{2013}'])
                .nth(1)
                .is_some_and(|x| x.starts_with(|c: char| c.is_ascii_digit()))
        {
            continue; // a score or a range, read above
        }
        let full = q.full_span();
        let approximate = q
            .qualifier
            .as_ref()
            .is_some_and(|x| x.bound != Bound::Exactly);
        let k = ws.partition_point(|w| w.0.end <= full.start);
        let kend = ws.partition_point(|w| w.0.start < q.span.end);
        let before: Vec<&str> = (k.saturating_sub(3)..k).map(at).collect();
        let after: Vec<&str> = (kend..kend + 3).map(at).collect();
        let unit = q.unit.as_deref().unwrap_or("");
        let near = |list: &[&str], set: &[&str]| list.iter().any(|w| set.contains(w));
        let written = &text[q.span.clone()];
        match q.kind {
            QuantityKind::Year => {
                push(Slot::Year, 0, q.value, false, q.span.start, written);
                continue;
            }
            QuantityKind::Ordinal => {
                // "81st annual Academy Awards", "86th Oscars": written in
                // digits, before a name.
                if written.starts_with(|c: char| c.is_ascii_digit()) {
                    let name = (kend..kend + 2)
                        .filter_map(|x| ws.get(x))
                        .find(|w| w.1 != "annual");
                    if let Some((r, w)) = name {
                        if text[r.clone()].starts_with(char::is_uppercase) {
                            let key = term_hash(w.trim_end_matches('s'));
                            let shown = format!("{written} {}", &text[r.clone()]);
                            push(Slot::Edition, key, q.value, false, q.span.start, &shown);
                        }
                    }
                }
                continue;
            }
            QuantityKind::Count => {}
            _ => continue,
        }
        let magnitude = unit == "magnitude"
            || near(&before, &["magnitude", "magnitude-"])
            || near(&after, &["magnitude", "richter"]);
        if magnitude && (1.0..10.0).contains(&q.value) {
            let shown = format!("{}", q.value);
            push(
                Slot::Magnitude,
                0,
                q.value,
                approximate,
                q.span.start,
                &shown,
            );
            continue;
        }
        if unit == "year-old" || (unit == "years" && after.first() == Some(&"old")) {
            let shown = format!("{}", q.value);
            push(Slot::Age, 0, q.value, false, q.span.start, &shown);
            continue;
        }
        if q.value.fract() != 0.0 || q.value < 1.0 {
            continue;
        }
        // "Chohan, 59, was killed": an age in apposition, no toll.
        let apposition = text[q.span.end..].starts_with(',');
        let toll = !apposition && near(&after, DEATH_AFTER)
            || before.last().is_some_and(|w| DEATH_BEFORE.contains(w))
            || before.contains(&"toll");
        if toll {
            push(Slot::Toll, 0, q.value, approximate, q.span.start, written);
            continue;
        }
        if q.value >= 2.0
            && !unit.is_empty()
            && unit.chars().all(char::is_alphabetic)
            && !NO_COUNT.contains(&unit)
            && month(unit).is_none()
            && !WEEKDAYS.contains(&unit)
        {
            let key = term_hash(unit.trim_end_matches('s'));
            let shown = format!("{written} {unit}");
            push(Slot::Count, key, q.value, approximate, q.span.start, &shown);
        }
    }
}

/// A score at word `w` (range `r` of `text`): two numbers of one to three
/// digits joined by a hyphen or an en dash, not part of a date or a
/// compound, not before a unit of time or measure. Order-free: (high, low).
fn score_of(text: &str, r: &Range<usize>, w: &str, next: &str) -> Option<f64> {
    let (x, y) = w.split_once(['-', '\u{2013}'])?;
    let n = |s: &str| {
        (!s.is_empty() && s.len() <= 3 && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (x, y) = (n(x)?, n(y)?);
    let before = text[..r.start].chars().next_back();
    let after = text[r.end..].chars().next();
    if before.is_some_and(|c| c.is_ascii_digit() || matches!(c, '/' | '-' | '.' | ':'))
        || after.is_some_and(|c| c.is_alphanumeric() || matches!(c, '/' | '-' | '%'))
        || NO_COUNT.contains(&next)
        || next == "percent"
    {
        return None;
    }
    Some(f64::from(x.max(y) * 1000 + x.min(y)))
}

/// Whether two values of `slot` are the same within what reports of one
/// event do to them.
fn same(slot: Slot, a: &Fact, b: &Fact) -> bool {
    if a.key != b.key {
        return false;
    }
    let (x, y) = (a.value, b.value);
    match slot {
        Slot::Magnitude => (x - y).abs() < 0.3 - 1e-9,
        Slot::Age => (x - y).abs() <= 1.0,
        Slot::Date => (x - y).abs() <= 3.0,
        Slot::Year => (x - y).abs() < 1.0,
        Slot::Score | Slot::Edition | Slot::Weekday => x == y,
        Slot::Toll | Slot::Count => {
            let tolerance = if a.approximate || b.approximate {
                0.2
            } else {
                0.1
            };
            (x - y).abs() <= tolerance * x.max(y)
        }
    }
}

impl Facts {
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    /// Whether both ledes state one value for one slot (of one thing): the
    /// two agree on a key fact.
    pub fn agrees(&self, other: &Facts) -> bool {
        self.facts.iter().filter(|f| f.lede).any(|f| {
            other
                .facts
                .iter()
                .any(|g| g.lede && g.slot == f.slot && same(f.slot, f, g))
        })
    }

    /// Drops the written form of facts outside the lede (only their values
    /// are read), to keep what the engine holds per article small.
    pub fn compact(mut self) -> Facts {
        for f in self.facts.iter_mut().filter(|f| !f.lede) {
            f.text = String::new();
        }
        self.facts.shrink_to_fit();
        self
    }

    /// The conflicts of these facts (`self`, the text being placed or the
    /// first story) with `other`'s. `later`: `self` comes after `other` (a
    /// death toll may rise in a later text); otherwise tolls are not read.
    pub fn conflicts_with(&self, other: &Facts, later: bool) -> Conflicts {
        let mut list = Vec::new();
        let mut keys: Vec<(Slot, u32)> = self
            .facts
            .iter()
            .filter(|f| f.lede)
            .map(|f| (f.slot, f.key))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let (mut counts, mut days) = (0.0, 0.0);
        for (slot, key) in keys {
            if slot == Slot::Toll && !later {
                continue;
            }
            fn of(x: &Facts, slot: Slot, key: u32, lede: bool) -> Vec<&Fact> {
                x.facts
                    .iter()
                    .filter(|f| f.slot == slot && f.key == key && (f.lede || !lede))
                    .collect()
            }
            let (ours, theirs) = (of(self, slot, key, true), of(other, slot, key, true));
            if theirs.is_empty() {
                continue;
            }
            let (all_ours, all_theirs) = (of(self, slot, key, false), of(other, slot, key, false));
            let matched = ours
                .iter()
                .any(|a| all_theirs.iter().any(|b| same(slot, a, b)))
                || theirs
                    .iter()
                    .any(|b| all_ours.iter().any(|a| same(slot, a, b)));
            if matched {
                continue;
            }
            // A toll that rose in the later text is an update.
            if slot == Slot::Toll
                && ours
                    .iter()
                    .any(|a| theirs.iter().any(|b| a.value >= b.value))
            {
                continue;
            }
            let (a, b) = (ours[0], theirs[0]);
            let mut weight = slot.weight();
            match slot {
                Slot::Magnitude if (a.value - b.value).abs() < 0.5 - 1e-9 => weight = 0.5,
                Slot::Year if (a.value - b.value).abs() < 2.0 => weight = 0.5,
                Slot::Count => {
                    // Counts of several things add up to one weak conflict.
                    if counts >= 0.5 {
                        continue;
                    }
                    counts += 0.5;
                }
                Slot::Date | Slot::Weekday => {
                    // A date and its weekday are one fact: a follow-up a
                    // few days later differs in both.
                    if days >= 0.5 {
                        continue;
                    }
                    days += 0.5;
                }
                _ => {}
            }
            list.push(Conflict {
                slot,
                ours: a.text.clone(),
                theirs: b.text.clone(),
                weight,
            });
        }
        list.sort_by(|x, y| y.weight.total_cmp(&x.weight).then(x.slot.cmp(&y.slot)));
        Conflicts { list }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analyze;

    fn of(t: &str) -> Facts {
        facts(&analyze(t, Some("en")), None)
    }

    fn slots(f: &Facts) -> Vec<(Slot, String, bool)> {
        f.facts
            .iter()
            .map(|x| (x.slot, x.text.clone(), x.lede))
            .collect()
    }

    #[test]
    fn facts_are_read_from_the_text() {
        let f = of(
            "A 6.1-magnitude quake killed 12 people on Tuesday, March 3, in Sarvik. \
             The Rovers won 24-17. A 61-year-old man and 23 pirates were held at the 81st Academy \
             Awards in 2009.",
        );
        let s = slots(&f);
        for (slot, text) in [
            (Slot::Magnitude, "6.1"),
            (Slot::Toll, "12"),
            (Slot::Weekday, "Tuesday"),
            (Slot::Date, "March 3"),
            (Slot::Score, "24-17"),
            (Slot::Age, "61"),
            (Slot::Count, "23 pirates"),
            (Slot::Edition, "81st Academy"),
            (Slot::Year, "2009"),
        ] {
            assert!(
                s.iter().any(|x| x.0 == slot && x.1 == text && x.2),
                "{slot:?} {text}: {s:?}"
            );
        }
    }

    #[test]
    fn sentences_without_a_number_are_skipped_and_nothing_is_lost() {
        let t = "A magnitude 6.1 earthquake struck the Oltavian highlands on Tuesday, \
            killing 12 people in the town of Sarvik in 2019. Rescuers worked through the \
            night. The mayor said the old church had fallen. Schools were closed. \
            Three villages lost power, and forty-two homes were damaged. Nobody \
            expected it. On Friday a second tremor of magnitude 4.2 followed. The \
            region last shook in 1998, when 300 homes fell.";
        let doc = analyze(t, Some("en"));
        let mut whole = Vec::new();
        scan(&doc.clean, lede_end(&doc), &mut whole);
        let key = |f: &Fact| (f.slot, f.key, f.value.to_bits(), f.lede);
        let read: Vec<_> = facts(&doc, None).facts.iter().map(key).collect();
        assert_eq!(read, whole.iter().map(key).collect::<Vec<_>>());
        assert!(read.iter().any(|f| f.0 == Slot::Magnitude && !f.3));
        assert!(read.iter().any(|f| f.0 == Slot::Count && !f.3));
        assert!(!may_state("Rescuers worked through the night."));
        assert!(may_state("Forty-two homes were damaged."));
        assert!(may_state("It happened on Friday."));
        assert!(may_state("In 1998."));
    }

    #[test]
    fn magnitudes_written_every_way() {
        for t in [
            "A magnitude 5.8 earthquake",
            "A 5.8-magnitude quake",
            "a quake measuring 5.8 on the Richter scale",
            "a quake of magnitude 5.8",
        ] {
            let f = of(t);
            assert!(
                f.facts
                    .iter()
                    .any(|x| x.slot == Slot::Magnitude && x.value == 5.8),
                "{t}: {:?}",
                slots(&f)
            );
        }
    }

    #[test]
    fn values_recounted_in_the_other_text_are_no_conflict() {
        let first = of("A magnitude 5.8 earthquake struck Sarvik on Sunday.");
        let second = of("A magnitude 6.4 earthquake struck Sarvik on Friday. \
             It came five days after a magnitude 5.8 quake hit the same area on Sunday.");
        assert!(second.conflicts_with(&first, true).list.is_empty());
    }

    #[test]
    fn rounding_updates_and_absence_are_no_conflict() {
        let a = of("About 300 homes were flooded and 4 people died in Wexhall on Sunday.");
        let b = of("Floods hit 312 homes in Wexhall; the toll rose to 9 dead on Sunday.");
        let c = of("Floods hit Wexhall.");
        assert!(b.conflicts_with(&a, true).list.is_empty());
        assert!(c.conflicts_with(&a, true).list.is_empty());
        assert!(a.conflicts_with(&c, true).list.is_empty());
        // A toll that falls in the later text is a weak conflict only.
        // An age in apposition is no toll.
        assert!(of("Raj Chohan, 59, was killed on Friday.")
            .facts
            .iter()
            .all(|f| f.slot != Slot::Toll));
        let d = of("Floods hit 305 homes in Wexhall, killing 1 person on Sunday.");
        let e = d.conflicts_with(&b, true);
        assert_eq!(e.to_strings(), ["toll 1 vs 9"]);
        assert!(!e.another_event());
    }

    #[test]
    fn two_weak_conflicts_or_one_strong_make_another_event() {
        let a = of("The Rovers beat the Dukes 24-17 on Sunday.");
        let b = of("The Rovers beat the Dukes 21-20 on Sunday.");
        let c = b.conflicts_with(&a, true);
        assert_eq!(c.to_strings(), ["score 21-20 vs 24-17"]);
        assert!(c.another_event());
        let a = of("A 61-year-old man was charged on Saturday.");
        let b = of("A 36-year-old man was charged on Monday.");
        let c = b.conflicts_with(&a, true);
        assert_eq!(
            c.to_strings(),
            ["weekday Monday vs Saturday", "age 36 vs 61"]
        );
        assert!(c.another_event());
        let b = of("A 36-year-old man was charged on Saturday.");
        assert!(!b.conflicts_with(&a, true).another_event());
    }

    #[test]
    fn the_lede_states_the_event_and_the_rest_does_not() {
        let filler = "word ".repeat(60);
        let a = of(&format!(
            "A magnitude 6.1 quake hit Sarvik. {filler}. In 2009 a magnitude 5.2 quake hit."
        ));
        let b = of("A magnitude 5.2 quake hit Sarvik.");
        // b's magnitude is in a's text (background): no conflict.
        assert!(b.conflicts_with(&a, true).list.is_empty());
        let m: Vec<bool> = a
            .facts
            .iter()
            .filter(|f| f.slot == Slot::Magnitude)
            .map(|f| f.lede)
            .collect();
        assert_eq!(m, [true, false]);
    }

    #[test]
    fn texts_agree_on_a_value_both_ledes_state() {
        let a = of("A magnitude 6.1 quake hit Sarvik on Tuesday.");
        assert!(a.agrees(&of("The quake, magnitude 6.2, hit Sarvik.")));
        assert!(!a.agrees(&of("The quake, magnitude 5.2, hit Sarvik.")));
        assert!(!a.agrees(&of("A quake hit Sarvik; 12 people died.")));
    }
}
