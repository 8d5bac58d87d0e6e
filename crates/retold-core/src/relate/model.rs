//! The fitted decision model: one logistic regression per decision node.
//!
//! The relation is decided in four binary steps, each a logistic model over
//! [`PairFeatures`]: related (or unrelated) → derived (or an independent
//! report) → verbatim (copy, duplicate, excerpt) or paraphrase (rewrite,
//! spun) → within paraphrases, spun or rewrite. Within verbatim versions,
//! an excerpt and a duplicate are told apart by definition (coverage), not
//! by fitting. Weights come from `scripts/fit-verdict.py` and live in
//! `model.json` beside this file, so refitting changes no code.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::features::PairFeatures;

/// The model shipped with retold, fitted by `scripts/fit-verdict.py`.
pub const BUILTIN: &str = include_str!("model.json");

/// One binary logistic model: `P = σ(bias + Σ weight · feature)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub bias: f64,
    /// Feature name (see [`feature`]) → weight.
    pub weights: BTreeMap<String, f64>,
}

impl Node {
    /// The probability of the positive side.
    pub fn probability(&self, f: &PairFeatures) -> f64 {
        let z = self
            .weights
            .iter()
            .map(|(name, w)| w * feature(f, name).unwrap_or(0.0))
            .sum::<f64>()
            + self.bias;
        1.0 / (1.0 + (-z).exp())
    }
}

/// The four decision nodes and the definitional thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// Where the weights came from (data sets, command, date).
    #[serde(default)]
    pub fitted_on: String,
    /// Related at all (anything but unrelated).
    pub related: Node,
    /// Derived from the other (not an independent report).
    pub derived: Node,
    /// Verbatim reuse (duplicate, copy, excerpt) rather than a paraphrase.
    pub verbatim: Node,
    /// Spun (machine translation, synonym spinning) rather than rewritten.
    pub spun: Node,
    /// Verbatim reuse covering less than this share of the larger text is an
    /// excerpt.
    pub excerpt_below: f64,
    /// Verbatim reuse with both coverages and the exact share at least this,
    /// and shingle Jaccard at least `duplicate_shingles`, is a duplicate.
    pub duplicate_above: f64,
    pub duplicate_shingles: f64,
}

impl Model {
    /// The model shipped with retold.
    pub fn builtin() -> Model {
        // The file is checked by a unit test; a broken one falls back to the
        // hand-set model rather than failing at run time.
        serde_json::from_str(BUILTIN).unwrap_or_else(|_| Model::hand_set())
    }

    /// Weights set by hand (the starting point of fitting, and the fallback).
    pub fn hand_set() -> Model {
        let node = |bias: f64, w: &[(&str, f64)]| Node {
            bias,
            weights: w.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        };
        Model {
            fitted_on: "hand-set".into(),
            related: node(-4.0, &[("cov_high", 8.0), ("longest_run_log", 2.0)]),
            derived: node(-6.0, &[("cov_high", 5.0), ("run_share", 6.0)]),
            verbatim: node(-8.0, &[("word_retention", 10.0)]),
            spun: node(3.0, &[("name_retention", -4.0)]),
            excerpt_below: 0.6,
            duplicate_above: 0.95,
            duplicate_shingles: 0.9,
        }
    }
}

/// The names a model may weigh, with their values for `f`.
pub const FEATURES: [&str; 19] = [
    "cov_high",
    "cov_low",
    "mean_similarity",
    "exact_share",
    "order",
    "run_share",
    "longest_run_log",
    "moved_share",
    "word_retention",
    "name_retention",
    "number_retention",
    "shingle_jaccard",
    "length_ratio",
    "pairs_log",
    "shared_names_log",
    "shared_numbers_log",
    "name_garbled",
    "shingle_containment",
    "lockstep",
];

/// The value of feature `name` (see [`FEATURES`]).
pub fn feature(f: &PairFeatures, name: &str) -> Option<f64> {
    Some(match name {
        "cov_high" => f.cov_high,
        "cov_low" => f.cov_low,
        "mean_similarity" => f.mean_similarity,
        "exact_share" => f.exact_share,
        "order" => f.order,
        "run_share" => f.run_share,
        "longest_run_log" => (f.longest_run as f64).ln_1p(),
        "moved_share" => f.moved_share,
        "word_retention" => f.word_retention,
        "name_retention" => f.name_retention,
        "number_retention" => f.number_retention,
        "shingle_jaccard" => f.shingle_jaccard,
        "length_ratio" => {
            let (x, y) = (f.a_words.min(f.b_words), f.a_words.max(f.b_words));
            if y == 0 {
                0.0
            } else {
                x as f64 / y as f64
            }
        }
        "pairs_log" => (f.pairs as f64).ln_1p(),
        "shared_names_log" => (f.shared_names as f64).ln_1p(),
        "shared_numbers_log" => (f.shared_numbers as f64).ln_1p(),
        "name_garbled" => f.name_garbled,
        "shingle_containment" => f.shingle_containment,
        "lockstep" => f.lockstep,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_model_parses_and_names_known_features() {
        let m: Model = serde_json::from_str(BUILTIN).expect("model.json parses");
        for node in [&m.related, &m.derived, &m.verbatim, &m.spun] {
            for name in node.weights.keys() {
                assert!(FEATURES.contains(&name.as_str()), "unknown feature {name}");
            }
        }
        assert!(m.excerpt_below > 0.0 && m.excerpt_below < 1.0);
    }

    #[test]
    fn every_feature_name_has_a_value() {
        let f = PairFeatures::default();
        for name in FEATURES {
            assert!(feature(&f, name).is_some(), "{name}");
        }
        assert!(feature(&f, "nonsense").is_none());
    }
}
