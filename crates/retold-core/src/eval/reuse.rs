//! Newsroom reuse against journalists' labels: a source text (a wire
//! story) and a text on the same event (a newspaper story) labelled
//! **wholly**, **partially** or **non** derived, the scheme of the METER
//! and COUNTER corpora.
//!
//! Scores: binary precision, recall and F1 of *derived* (wholly or
//! partially) against non derived; the macro F1 over the three classes;
//! the confusion; and, on the derived pairs, how often the direction was
//! decided and how often rightly (the source side is the wire story).
//!
//! ```
//! use retold_core::eval::reuse::{score, Outcome, ReuseClass};
//! let o = |gold, predicted| Outcome { gold, predicted, direction: None };
//! let s = score(&[
//!     o(ReuseClass::Wholly, ReuseClass::Wholly),
//!     o(ReuseClass::Partially, ReuseClass::Non),
//!     o(ReuseClass::Non, ReuseClass::Non),
//! ]);
//! assert_eq!(s.binary.precision, 1.0);
//! assert_eq!(s.binary.recall, 0.5);
//! ```

use serde::Serialize;

/// A label of the wholly / partially / non derived scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReuseClass {
    Wholly,
    Partially,
    Non,
}

impl ReuseClass {
    pub const ALL: [ReuseClass; 3] = [ReuseClass::Wholly, ReuseClass::Partially, ReuseClass::Non];

    /// Parses `wholly_derived`, `partially_derived`, `non_derived` (and the
    /// short forms `wholly`, `partially`, `non`).
    pub fn from_label(s: &str) -> Option<ReuseClass> {
        match s.trim().to_ascii_lowercase().as_str() {
            "wholly_derived" | "wholly" | "wd" => Some(ReuseClass::Wholly),
            "partially_derived" | "partially" | "pd" => Some(ReuseClass::Partially),
            "non_derived" | "non" | "nd" => Some(ReuseClass::Non),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ReuseClass::Wholly => "wholly",
            ReuseClass::Partially => "partially",
            ReuseClass::Non => "non",
        }
    }

    pub fn is_derived(self) -> bool {
        self != ReuseClass::Non
    }

    fn index(self) -> usize {
        match self {
            ReuseClass::Wholly => 0,
            ReuseClass::Partially => 1,
            ReuseClass::Non => 2,
        }
    }
}

/// One labelled pair and what was predicted for it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    pub gold: ReuseClass,
    pub predicted: ReuseClass,
    /// For pairs predicted derived: whether the predicted source is the
    /// gold source (`None`: no direction decided).
    pub direction: Option<bool>,
}

/// Precision, recall and F1 of one class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

impl Prf {
    fn new(tp: usize, fp: usize, fn_: usize) -> Prf {
        let ratio = |x: usize, y: usize| if y == 0 { 0.0 } else { x as f64 / y as f64 };
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fn_);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            precision,
            recall,
            f1,
            support: tp + fn_,
        }
    }
}

/// Direction on the gold-derived pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct DirectionScore {
    /// Gold-derived pairs predicted derived.
    pub derived_found: usize,
    /// Of those, how many had a direction decided, and how many rightly.
    pub decided: usize,
    pub right: usize,
    /// `right / derived_found`: an undecided direction counts as not right.
    pub accuracy: f64,
}

/// Every figure of a reuse evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReuseScore {
    pub pairs: usize,
    /// Derived (wholly or partially) against non derived.
    pub binary: Prf,
    /// Per class, in [`ReuseClass::ALL`] order.
    pub classes: Vec<(ReuseClass, Prf)>,
    /// The mean of the three classes' F1.
    pub ternary_macro_f1: f64,
    /// `confusion[gold][predicted]` in [`ReuseClass::ALL`] order.
    pub confusion: [[usize; 3]; 3],
    pub direction: DirectionScore,
}

/// Scores the outcomes.
pub fn score(outcomes: &[Outcome]) -> ReuseScore {
    let mut confusion = [[0usize; 3]; 3];
    let mut direction = DirectionScore::default();
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for o in outcomes {
        confusion[o.gold.index()][o.predicted.index()] += 1;
        match (o.gold.is_derived(), o.predicted.is_derived()) {
            (true, true) => {
                tp += 1;
                direction.derived_found += 1;
                if let Some(right) = o.direction {
                    direction.decided += 1;
                    direction.right += usize::from(right);
                }
            }
            (false, true) => fp += 1,
            (true, false) => fn_ += 1,
            (false, false) => {}
        }
    }
    if direction.derived_found > 0 {
        direction.accuracy = direction.right as f64 / direction.derived_found as f64;
    }
    let classes: Vec<(ReuseClass, Prf)> = ReuseClass::ALL
        .iter()
        .map(|&c| {
            let k = c.index();
            let tp = confusion[k][k];
            let fp = (0..3).filter(|&g| g != k).map(|g| confusion[g][k]).sum();
            let fn_ = (0..3).filter(|&p| p != k).map(|p| confusion[k][p]).sum();
            (c, Prf::new(tp, fp, fn_))
        })
        .collect();
    let ternary_macro_f1 = classes.iter().map(|(_, p)| p.f1).sum::<f64>() / 3.0;
    ReuseScore {
        pairs: outcomes.len(),
        binary: Prf::new(tp, fp, fn_),
        classes,
        ternary_macro_f1,
        confusion,
        direction,
    }
}

/// One labelled pair whose texts are in two languages, as the
/// cross-language verdict (`translated`) saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossOutcome {
    /// The language pair, source side first (`en→de`).
    pub languages: String,
    pub gold: ReuseClass,
    /// The verdict is `translated`.
    pub translated: bool,
    /// The verdict is any derived relation (`translated` among them).
    pub derived: bool,
    /// Where the set says one figure or name was altered in translation:
    /// whether the change report shows it (`None`: nothing altered).
    pub altered_caught: Option<bool>,
    /// Number and name changes the change report lists for the pair.
    pub changes: usize,
}

/// One row of [`CrossScore`]: a language pair, or all of them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CrossRow {
    pub languages: String,
    /// Gold-derived pairs, and how many of them the verdict calls
    /// `translated`.
    pub derived: usize,
    pub translated: usize,
    /// Gold-wholly-derived pairs (full translations) and how many are
    /// called `translated`.
    pub wholly: usize,
    pub wholly_translated: usize,
    /// Gold non-derived pairs, and how many the verdict calls derived.
    pub non: usize,
    pub non_called_derived: usize,
}

/// The cross-language figures of a reuse evaluation.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CrossScore {
    /// All language pairs together, then one row per language pair.
    pub all: CrossRow,
    pub by_languages: Vec<CrossRow>,
    /// Pairs with an alteration, and how many of those alterations the
    /// change report shows (counted whatever the verdict; a pair not
    /// called `translated` has no change report).
    pub altered: usize,
    pub altered_caught: usize,
    /// Changes listed on the gold-wholly-derived pairs called
    /// `translated` with nothing altered (each one a false change).
    pub changes_without_alteration: usize,
    pub translated_without_alteration: usize,
}

/// Scores the pairs across languages.
///
/// ```
/// use retold_core::eval::reuse::{cross_score, CrossOutcome, ReuseClass};
/// let o = |gold, translated| CrossOutcome {
///     languages: "en→de".into(), gold, translated, derived: translated,
///     altered_caught: None, changes: 0,
/// };
/// let s = cross_score(&[o(ReuseClass::Wholly, true), o(ReuseClass::Non, false)]);
/// assert_eq!((s.all.derived, s.all.translated, s.all.non_called_derived), (1, 1, 0));
/// ```
pub fn cross_score(outcomes: &[CrossOutcome]) -> CrossScore {
    fn add(row: &mut CrossRow, o: &CrossOutcome) {
        if o.gold.is_derived() {
            row.derived += 1;
            row.translated += usize::from(o.translated);
            if o.gold == ReuseClass::Wholly {
                row.wholly += 1;
                row.wholly_translated += usize::from(o.translated);
            }
        } else {
            row.non += 1;
            row.non_called_derived += usize::from(o.derived);
        }
    }
    let mut s = CrossScore {
        all: CrossRow {
            languages: "all".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let mut rows: std::collections::BTreeMap<&str, CrossRow> = Default::default();
    for o in outcomes {
        add(&mut s.all, o);
        add(
            rows.entry(o.languages.as_str())
                .or_insert_with(|| CrossRow {
                    languages: o.languages.clone(),
                    ..Default::default()
                }),
            o,
        );
        match o.altered_caught {
            Some(caught) => {
                s.altered += 1;
                s.altered_caught += usize::from(caught);
            }
            None if o.gold == ReuseClass::Wholly && o.translated => {
                s.translated_without_alteration += 1;
                s.changes_without_alteration += o.changes;
            }
            None => {}
        }
    }
    s.by_languages = rows.into_values().collect();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(gold: ReuseClass, predicted: ReuseClass, direction: Option<bool>) -> Outcome {
        Outcome {
            gold,
            predicted,
            direction,
        }
    }

    #[test]
    fn scores_count_each_class() {
        use ReuseClass::*;
        let s = score(&[
            o(Wholly, Wholly, Some(true)),
            o(Wholly, Partially, Some(false)),
            o(Partially, Partially, None),
            o(Partially, Non, None),
            o(Non, Non, None),
            o(Non, Partially, Some(true)),
        ]);
        assert_eq!(s.pairs, 6);
        // Derived: 3 found of 4, 1 false positive.
        assert!((s.binary.precision - 0.75).abs() < 1e-9);
        assert!((s.binary.recall - 0.75).abs() < 1e-9);
        assert_eq!(s.confusion[0], [1, 1, 0]);
        assert_eq!(s.confusion[2], [0, 1, 1]);
        // Wholly: P 1/1, R 1/2; partially: P 2/3... (1 right of 3 predicted).
        let f = |c: ReuseClass| s.classes.iter().find(|x| x.0 == c).map(|x| x.1.f1);
        assert!((f(Wholly).unwrap_or(0.0) - 2.0 / 3.0).abs() < 1e-9);
        assert!((f(Partially).unwrap_or(0.0) - 0.4).abs() < 1e-9);
        assert!((f(Non).unwrap_or(0.0) - 0.5).abs() < 1e-9);
        assert!((s.ternary_macro_f1 - (2.0 / 3.0 + 0.4 + 0.5) / 3.0).abs() < 1e-9);
        // Direction over the 3 gold-derived pairs found: 1 right, 2 decided.
        assert_eq!(s.direction.derived_found, 3);
        assert_eq!(s.direction.decided, 2);
        assert_eq!(s.direction.right, 1);
    }

    #[test]
    fn labels_parse_in_both_forms() {
        assert_eq!(
            ReuseClass::from_label("wholly_derived"),
            Some(ReuseClass::Wholly)
        );
        assert_eq!(ReuseClass::from_label("PD"), Some(ReuseClass::Partially));
        assert_eq!(ReuseClass::from_label("non"), Some(ReuseClass::Non));
        assert_eq!(ReuseClass::from_label("source"), None);
    }
}
