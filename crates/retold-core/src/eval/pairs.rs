//! Graded pairs: how well retold's relatedness of two texts follows human
//! similarity grades, overall and per language pair.
//!
//! The layout is SemEval-2022 task 8's (multilingual news article
//! similarity) as its sample with article text has it: a CSV with a header
//! naming at least `pair_id`, `lang1`, `lang2`, `text1`, `text2` and the
//! grade column (`Overall` by default; 1 = very similar … 4 = very
//! dissimilar, averaged over annotators). JSON Lines with the same field
//! names is read too.
//!
//! The measure is the Pearson and the Spearman correlation of the
//! relatedness (higher = closer) with the *negated* grade, so that a
//! positive correlation means agreement.
//!
//! ```
//! use retold_core::eval::pairs::{pearson, spearman};
//! let x = [1.0, 2.0, 3.0, 4.0];
//! let y = [2.0, 4.0, 6.0, 9.0];
//! assert!(pearson(&x, &y).unwrap() > 0.98);
//! assert_eq!(spearman(&x, &y), Some(1.0));
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::article::{Article, ArticleDraft, Origin};

/// One graded pair of texts.
#[derive(Debug, Clone, PartialEq)]
pub struct GradedPair {
    pub id: String,
    pub lang_a: String,
    pub lang_b: String,
    pub text_a: String,
    pub text_b: String,
    /// The grade as the file has it (SemEval: 1 = very similar … 4 = very
    /// dissimilar).
    pub grade: f64,
    /// Where the pair is in its file (`path:line`).
    pub at: String,
}

impl GradedPair {
    /// `de-en`: the two languages as the file orders them.
    pub fn language_pair(&self) -> String {
        format!("{}-{}", self.lang_a, self.lang_b)
    }

    /// The two texts as articles (ids `ID/1`, `ID/2`, languages as given).
    pub fn articles(&self) -> Result<(Article, Article), crate::error::IngestError> {
        let article = |side: usize, text: &str, lang: &str| {
            ArticleDraft {
                id: Some(format!("{}/{side}", self.id)),
                text: text.to_string(),
                language: (!lang.is_empty()).then(|| lang.to_string()),
                ..Default::default()
            }
            .finish(Origin::whole(&self.at))
        };
        Ok((
            article(1, &self.text_a, &self.lang_a)?,
            article(2, &self.text_b, &self.lang_b)?,
        ))
    }
}

/// Why a pairs file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PairsError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{at}: unclosed quote")]
    UnclosedQuote { at: String },
    #[error("{path}: no column `{column}` in the header (it has {header:?})")]
    MissingColumn {
        path: String,
        column: String,
        header: Vec<String>,
    },
    #[error("{at}: grade `{value}` is not a number")]
    BadGrade { at: String, value: String },
    #[error("{at}: invalid JSON: {message}")]
    Json { at: String, message: String },
    #[error("{path}: no pairs")]
    Empty { path: String },
}

/// Reads graded pairs from a CSV (by default) or JSON Lines file (name
/// ending `.jsonl`), taking the grade from column `grade_column`.
pub fn read_pairs(path: &Path, grade_column: &str) -> Result<Vec<GradedPair>, PairsError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| PairsError::Io {
        path: name.clone(),
        source,
    })?;
    let pairs = if name.ends_with(".jsonl") {
        parse_jsonl(&text, &name, grade_column)?
    } else {
        parse_csv_pairs(&text, &name, grade_column)?
    };
    if pairs.is_empty() {
        return Err(PairsError::Empty { path: name });
    }
    Ok(pairs)
}

/// The records of a CSV text (RFC 4180: quoted fields may hold commas,
/// newlines and doubled quotes), each with the line it starts on.
pub fn parse_csv(text: &str, name: &str) -> Result<Vec<(usize, Vec<String>)>, PairsError> {
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut start = 1;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => {
                    if c == '\n' {
                        line += 1;
                    }
                    field.push(c);
                }
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => {
                quoted = true;
                any = true;
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                any = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                if any || !field.is_empty() {
                    fields.push(std::mem::take(&mut field));
                    records.push((start, std::mem::take(&mut fields)));
                }
                any = false;
                line += 1;
                start = line;
            }
            c => {
                field.push(c);
                any = true;
            }
        }
    }
    if quoted {
        return Err(PairsError::UnclosedQuote {
            at: format!("{name}:{start}"),
        });
    }
    if any || !field.is_empty() {
        fields.push(field);
        records.push((start, fields));
    }
    Ok(records)
}

const COLUMNS: [&str; 5] = ["pair_id", "lang1", "lang2", "text1", "text2"];

fn parse_csv_pairs(
    text: &str,
    name: &str,
    grade_column: &str,
) -> Result<Vec<GradedPair>, PairsError> {
    let mut records = parse_csv(text.trim_start_matches('\u{feff}'), name)?.into_iter();
    let Some((_, header)) = records.next() else {
        return Ok(Vec::new());
    };
    let column = |c: &str| {
        header
            .iter()
            .position(|h| h.trim() == c)
            .ok_or_else(|| PairsError::MissingColumn {
                path: name.to_string(),
                column: c.to_string(),
                header: header.clone(),
            })
    };
    let mut at = [0; 5];
    for (slot, c) in at.iter_mut().zip(COLUMNS) {
        *slot = column(c)?;
    }
    let grade_at = column(grade_column)?;
    let mut pairs = Vec::new();
    for (line, record) in records {
        let get = |i: usize| record.get(i).map(String::as_str).unwrap_or("");
        let here = format!("{name}:{line}");
        let grade = parse_grade(get(grade_at), &here)?;
        pairs.push(GradedPair {
            id: get(at[0]).to_string(),
            lang_a: get(at[1]).trim().to_string(),
            lang_b: get(at[2]).trim().to_string(),
            text_a: get(at[3]).to_string(),
            text_b: get(at[4]).to_string(),
            grade,
            at: here,
        });
    }
    Ok(pairs)
}

fn parse_grade(value: &str, at: &str) -> Result<f64, PairsError> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|g| g.is_finite())
        .ok_or_else(|| PairsError::BadGrade {
            at: at.to_string(),
            value: value.to_string(),
        })
}

fn parse_jsonl(text: &str, name: &str, grade_column: &str) -> Result<Vec<GradedPair>, PairsError> {
    let mut pairs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = format!("{name}:{}", i + 1);
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| PairsError::Json {
            at: at.clone(),
            message: e.to_string(),
        })?;
        let field = |k: &str| match v.get(k) {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(serde_json::Value::Null) | None => None,
            Some(other) => Some(other.to_string()),
        };
        for c in COLUMNS.iter().chain([&grade_column]) {
            if field(c).is_none() {
                return Err(PairsError::MissingColumn {
                    path: at.clone(),
                    column: c.to_string(),
                    header: v
                        .as_object()
                        .map(|o| o.keys().cloned().collect())
                        .unwrap_or_default(),
                });
            }
        }
        let get = |k: &str| field(k).unwrap_or_default();
        pairs.push(GradedPair {
            grade: parse_grade(&get(grade_column), &at)?,
            id: get("pair_id"),
            lang_a: get("lang1"),
            lang_b: get("lang2"),
            text_a: get("text1"),
            text_b: get("text2"),
            at,
        });
    }
    Ok(pairs)
}

/// Pearson's correlation; `None` when fewer than two values or either
/// side is constant.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    if n < 2 {
        return None;
    }
    let mean = |v: &[f64]| v[..n].iter().sum::<f64>() / n as f64;
    let (mx, my) = (mean(x), mean(y));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x[..n].iter().zip(&y[..n]) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Ranks from 1, ties sharing their mean rank.
pub fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut out = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            out[k] = rank;
        }
        i = j + 1;
    }
    out
}

/// Spearman's rank correlation (Pearson of the tie-averaged ranks).
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    pearson(&ranks(&x[..n]), &ranks(&y[..n]))
}

/// What the model says about a pair: the cosine of the two texts' lead
/// embeddings, raw and centred, and where their vectors are in an
/// embedding cache.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeadSignal {
    /// The cosine of the two lead embeddings.
    pub cosine: f64,
    /// The same after the model's fitted centre is taken out of both
    /// vectors ([`centred_cosine`]); `None` for a model without one.
    ///
    /// [`centred_cosine`]: crate::features::embed::centred_cosine
    #[serde(skip_serializing_if = "Option::is_none")]
    pub centred: Option<f64>,
    /// The two leads' keys in an embedding cache
    /// ([`key_hex`](crate::features::embed_cache::key_hex)), for the
    /// script that fits the centre.
    pub leads: [String; 2],
}

/// One scored pair: its language pair, its grade and retold's
/// relatedness, with the signals it was made of.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredPair {
    pub id: String,
    pub language_pair: String,
    pub grade: f64,
    pub relatedness: f64,
    /// The lexical path's relatedness ([`lexical_relatedness`]).
    pub lexical: f64,
    /// The model's signal, when a model ran.
    #[serde(flatten)]
    pub model: Option<LeadSignal>,
}

impl ScoredPair {
    /// A pair scored from its signals ([`combined_relatedness`] of the
    /// centred cosine, or of the raw one for a model without a centre).
    pub fn new(pair: &GradedPair, lexical: f64, model: Option<LeadSignal>) -> ScoredPair {
        let cosine = model.as_ref().map(|m| m.centred.unwrap_or(m.cosine));
        ScoredPair {
            id: pair.id.clone(),
            language_pair: pair.language_pair(),
            grade: pair.grade,
            relatedness: combined_relatedness(lexical, cosine, pair.lang_a != pair.lang_b),
            lexical,
            model,
        }
    }
}

/// The correlations of one group of pairs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlation {
    pub group: String,
    pub pairs: usize,
    /// Of relatedness with the negated grade; `None` for a constant side.
    pub pearson: Option<f64>,
    pub spearman: Option<f64>,
    pub mean_relatedness: f64,
}

/// Every figure of a graded-pairs evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairsScore {
    pub overall: Correlation,
    /// Pairs whose two languages are the same, and the others.
    pub same_language: Correlation,
    pub cross_language: Correlation,
    /// Per language pair, most pairs first.
    pub by_language_pair: Vec<Correlation>,
}

fn correlation(group: &str, pairs: &[&ScoredPair]) -> Correlation {
    let x: Vec<f64> = pairs.iter().map(|p| p.relatedness).collect();
    let y: Vec<f64> = pairs.iter().map(|p| -p.grade).collect();
    Correlation {
        group: group.to_string(),
        pairs: pairs.len(),
        pearson: pearson(&x, &y),
        spearman: spearman(&x, &y),
        mean_relatedness: x.iter().sum::<f64>() / x.len().max(1) as f64,
    }
}

fn is_cross(language_pair: &str) -> bool {
    match language_pair.split_once('-') {
        Some((a, b)) => a != b,
        None => false,
    }
}

/// Scores scored pairs: overall, same- and cross-language, per language
/// pair.
pub fn score(pairs: &[ScoredPair]) -> PairsScore {
    let all: Vec<&ScoredPair> = pairs.iter().collect();
    let (cross, same): (Vec<&ScoredPair>, Vec<&ScoredPair>) =
        all.iter().partition(|p| is_cross(&p.language_pair));
    let mut groups: BTreeMap<&str, Vec<&ScoredPair>> = BTreeMap::new();
    for p in pairs {
        groups.entry(p.language_pair.as_str()).or_default().push(p);
    }
    let mut by_language_pair: Vec<Correlation> = groups
        .iter()
        .map(|(g, members)| correlation(g, members))
        .collect();
    by_language_pair.sort_by(|a, b| b.pairs.cmp(&a.pairs).then(a.group.cmp(&b.group)));
    PairsScore {
        overall: correlation("overall", &all),
        same_language: correlation("same language", &same),
        cross_language: correlation("cross language", &cross),
        by_language_pair,
    }
}

/// Weight of the lexical relatedness beside the stretched cosine in
/// [`combined_relatedness`] (fitted with the cosine anchors).
pub const LEXICAL_WEIGHT: f64 = 0.02;

/// Relatedness from the lexical path and, when a model ran, the centred
/// cosine of the lead embeddings ([`LeadSignal::centred`]):
/// `LEXICAL_WEIGHT × lexical + (1 − LEXICAL_WEIGHT) × stretched cosine`
/// ([`cosine_relatedness`], with its own anchors for pairs across
/// languages). Fitted on one half of the SemEval-2022 sample and reported
/// on the other (`scripts/fit-centre.py`, `scripts/fit-pairs.py`;
/// QUALITY.md, "Graded pairs with the model"): the grades are about the
/// same event, which the embedding of the leads follows better than shared
/// sentences do.
///
/// [`cosine_relatedness`]: crate::features::embed::cosine_relatedness
pub fn combined_relatedness(lexical: f64, cosine: Option<f64>, cross_language: bool) -> f64 {
    match cosine {
        None => lexical,
        Some(c) => {
            let stretched = crate::features::embed::cosine_relatedness(c as f32, cross_language);
            LEXICAL_WEIGHT * lexical + (1.0 - LEXICAL_WEIGHT) * stretched
        }
    }
}

/// Keeps every other pair: `Half::A` the 1st, 3rd, …, `Half::B` the 2nd,
/// 4th, … (a fit on one half is reported on the other).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Half {
    A,
    B,
}

impl Half {
    pub fn keep<T>(self, items: Vec<T>) -> Vec<T> {
        let want = usize::from(self == Half::B);
        items
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == want)
            .map(|(_, x)| x)
            .collect()
    }
}

/// retold's relatedness of two articles from the pair verdict alone: the
/// probability that they are related (any relation but `unrelated`), plus
/// the probability that one is derived from the other, halved (so a copy
/// ranks above an independent report of the same event), in [0, 1].
pub fn lexical_relatedness(a: &Article, b: &Article) -> f64 {
    let verdict = crate::relate::compare(a, b).verdict;
    relatedness_of(&verdict)
}

/// [`lexical_relatedness`] from a verdict already made.
pub fn relatedness_of(verdict: &crate::relate::Verdict) -> f64 {
    let mut related = 0.0;
    let mut derived = 0.0;
    for &(r, p) in &verdict.probabilities {
        if r != crate::relate::Relation::Unrelated {
            related += p;
        }
        if r.is_derived() {
            derived += p;
        }
    }
    ((related + derived) / 2.0).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_commas_and_newlines() {
        let text = "a,b,c\r\n1,\"x, \"\"y\"\"\nz\",3\n\n4,,\"\"\n";
        let r = parse_csv(text, "t.csv").unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(
            r[1],
            (2, vec!["1".into(), "x, \"y\"\nz".into(), "3".into()])
        );
        assert_eq!(r[2], (5, vec!["4".into(), String::new(), String::new()]));
        assert!(matches!(
            parse_csv("a\n\"open", "t.csv"),
            Err(PairsError::UnclosedQuote { at }) if at == "t.csv:2"
        ));
    }

    #[test]
    fn reads_the_semeval_layout() {
        let text = "Unnamed: 0,pair_id,lang1,lang2,text1,text2,Overall,Tone\n\
                    7,10_20,de,en,\"Ein Text, lang.\",An English text.,1.5,2\n\
                    8,11_21,en,en,One.,Two.,4.0,1\n";
        let pairs = parse_csv_pairs(text, "s.csv", "Overall").unwrap();
        assert_eq!(pairs.len(), 2);
        assert_eq!(pairs[0].id, "10_20");
        assert_eq!(pairs[0].language_pair(), "de-en");
        assert_eq!(pairs[0].text_a, "Ein Text, lang.");
        assert_eq!(pairs[0].grade, 1.5);
        assert_eq!(pairs[1].at, "s.csv:3");
        let tone = parse_csv_pairs(text, "s.csv", "Tone").unwrap();
        assert_eq!(tone[0].grade, 2.0);
        assert!(matches!(
            parse_csv_pairs(text, "s.csv", "Narrative"),
            Err(PairsError::MissingColumn { column, .. }) if column == "Narrative"
        ));
        let bad = "pair_id,lang1,lang2,text1,text2,Overall\n1,en,en,a,b,high\n";
        assert!(matches!(
            parse_csv_pairs(bad, "b.csv", "Overall"),
            Err(PairsError::BadGrade { at, .. }) if at == "b.csv:2"
        ));
    }

    #[test]
    fn reads_json_lines() {
        let text = "{\"pair_id\":\"p\",\"lang1\":\"fr\",\"lang2\":\"en\",\"text1\":\"Un.\",\"text2\":\"One.\",\"Overall\":2}\n";
        let pairs = parse_jsonl(text, "p.jsonl", "Overall").unwrap();
        assert_eq!(pairs[0].grade, 2.0);
        assert_eq!(pairs[0].language_pair(), "fr-en");
        assert!(parse_jsonl("{\"pair_id\":1}\n", "p.jsonl", "Overall").is_err());
    }

    #[test]
    fn correlations() {
        // Perfectly opposite, ties in ranks, constant side.
        let x = [1.0, 2.0, 3.0];
        assert!((pearson(&x, &[3.0, 2.0, 1.0]).unwrap() + 1.0).abs() < 1e-12);
        assert_eq!(ranks(&[5.0, 1.0, 5.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
        assert_eq!(pearson(&x, &[1.0, 1.0, 1.0]), None);
        assert_eq!(pearson(&[1.0], &[1.0]), None);
        // Monotone but not linear: Spearman 1, Pearson below.
        let y = [1.0, 2.0, 30.0];
        assert_eq!(spearman(&x, &y), Some(1.0));
        assert!(pearson(&x, &y).unwrap() < 0.95);
    }

    #[test]
    fn score_groups_by_language_pair() {
        let p = |lp: &str, grade: f64, relatedness: f64| ScoredPair {
            id: String::new(),
            language_pair: lp.into(),
            grade,
            relatedness,
            lexical: relatedness,
            model: None,
        };
        let s = score(&[
            p("en-en", 1.0, 0.9),
            p("en-en", 4.0, 0.1),
            p("en-en", 2.0, 0.7),
            p("de-en", 1.0, 0.1),
            p("de-en", 4.0, 0.9),
        ]);
        assert_eq!(s.overall.pairs, 5);
        assert_eq!(s.same_language.pairs, 3);
        assert_eq!(s.cross_language.pairs, 2);
        // Agreement within en-en (low grade = similar = high relatedness)…
        assert!(s.same_language.pearson.unwrap() > 0.9);
        // …and the reverse across languages.
        assert!((s.cross_language.pearson.unwrap() + 1.0).abs() < 1e-9);
        assert_eq!(s.by_language_pair[0].group, "en-en");
        assert_eq!(s.by_language_pair[1].group, "de-en");
    }

    #[test]
    fn halves_and_combination() {
        assert_eq!(Half::A.keep(vec![0, 1, 2, 3, 4]), vec![0, 2, 4]);
        assert_eq!(Half::B.keep(vec![0, 1, 2, 3, 4]), vec![1, 3]);
        // Without a model the lexical relatedness is the relatedness.
        assert_eq!(combined_relatedness(0.3, None, false), 0.3);
        // A high cosine lifts a pair the lexical path cannot see…
        assert!(combined_relatedness(0.0, Some(0.95), true) > 0.9);
        // …the lexical path still counts a little…
        assert!(
            combined_relatedness(1.0, Some(0.5), false)
                > combined_relatedness(0.0, Some(0.5), false)
        );
        // …and across languages the same cosine means more.
        assert!(
            combined_relatedness(0.0, Some(0.4), true)
                > combined_relatedness(0.0, Some(0.4), false)
        );
    }

    #[test]
    fn the_centred_cosine_scores_when_there_is_one() {
        let pair = GradedPair {
            id: "p".into(),
            lang_a: "de".into(),
            lang_b: "en".into(),
            text_a: "a".into(),
            text_b: "b".into(),
            grade: 1.0,
            at: "t:1".into(),
        };
        // A raw cosine of 0.85 is mid-range for e5; centred, the pair
        // stands out (0.6) or does not (0.0).
        let signal = |centred: Option<f64>| LeadSignal {
            cosine: 0.85,
            centred,
            leads: [String::new(), String::new()],
        };
        let close = ScoredPair::new(&pair, 0.0, Some(signal(Some(0.6))));
        let apart = ScoredPair::new(&pair, 0.0, Some(signal(Some(0.0))));
        assert!(close.relatedness > 0.9, "{}", close.relatedness);
        assert!(apart.relatedness < 0.1, "{}", apart.relatedness);
        // A model without a centre: the raw cosine is used.
        let raw = ScoredPair::new(&pair, 0.0, Some(signal(None)));
        assert_eq!(raw.relatedness, combined_relatedness(0.0, Some(0.85), true));
        // The scores file carries both cosines and the leads' cache keys.
        let line = serde_json::to_value(&close).unwrap();
        assert_eq!(line["cosine"], 0.85);
        assert_eq!(line["centred"], 0.6);
        assert!(line["leads"].is_array());
    }

    #[test]
    fn copy_is_more_related_than_unrelated() {
        let source = "The river burst its banks early on Sunday after three days of rain. \
            About 300 homes were flooded in the old town, the fire service said. \
            Mayor Ines Okafor asked residents to boil their drinking water. \
            Schools will stay closed until Friday, the education office announced.";
        let copy = source.replace("closed", "shut");
        let other = "The council approved a new budget for the public library on Tuesday. \
            Opening hours will be extended on weekends from next month. \
            The head librarian said the money would also buy new children's books. \
            A reading festival is planned for the summer in the town square.";
        let pair = |b: &str| GradedPair {
            id: "x".into(),
            lang_a: "en".into(),
            lang_b: "en".into(),
            text_a: source.into(),
            text_b: b.into(),
            grade: 1.0,
            at: "t:1".into(),
        };
        let (a, b) = pair(&copy).articles().unwrap();
        let near = lexical_relatedness(&a, &b);
        let (a, c) = pair(other).articles().unwrap();
        let far = lexical_relatedness(&a, &c);
        assert!(near > 0.9, "{near}");
        assert!(far < 0.1, "{far}");
    }
}
