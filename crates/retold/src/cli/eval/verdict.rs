//! `retold eval verdict`: the pair verdict against labelled pairs.
//!
//! Input: JSON Lines, one pair per line:
//! `{"set": "clough", "label": "rewrite", "a": {"text": …}, "b": {"text": …}}`
//! where `a` is the derived (or second) text, `b` the source, and each side
//! may carry `published`, `source`, `url`, `language`. A label is a relation
//! name or a coarse group: `related` (anything but unrelated), `derived`
//! (duplicate, copy, excerpt, rewrite, spun) or `verbatim` (duplicate, copy,
//! excerpt). `scripts/verdict-pairs.py` builds such files from the data sets
//! under `../shared/data`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Args;
use rayon::prelude::*;
use retold_core::align::AlignConfig;
use retold_core::article::{Article, ArticleDraft, Origin, Position};
use retold_core::relate::model::{feature, FEATURES};
use retold_core::relate::{compare_with, Relation};
use serde::{Deserialize, Serialize};

use crate::cli::OutputFormat;

#[derive(Debug, Args)]
pub struct EvalVerdictArgs {
    /// Labelled pairs (JSON Lines).
    pub pairs: PathBuf,
    /// Write every pair's features and label here (JSON Lines), the input
    /// of `scripts/fit-verdict.py`.
    #[arg(long)]
    pub features: Option<PathBuf>,
    /// Use this model (JSON, as written by `scripts/fit-verdict.py`)
    /// instead of the built-in one.
    #[arg(long)]
    pub model: Option<PathBuf>,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: OutputFormat,
}

#[derive(Debug, Deserialize)]
struct Side {
    text: String,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    language: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Pair {
    #[serde(default)]
    set: String,
    label: String,
    a: Side,
    b: Side,
}

/// Whether a predicted relation agrees with a (possibly coarse) label.
fn agrees(label: &str, got: Relation) -> bool {
    match label {
        "related" => got != Relation::Unrelated,
        "derived" | "wholly_derived" | "partially_derived" => got.is_derived(),
        "non_derived" => !got.is_derived(),
        "verbatim" => matches!(
            got,
            Relation::Duplicate | Relation::Copy | Relation::Excerpt
        ),
        _ => Relation::from_name(label) == Some(got),
    }
}

#[derive(Debug, Default, Serialize)]
struct SetReport {
    pairs: usize,
    correct: usize,
    accuracy: f64,
    /// Label → predicted relation → count.
    confusion: BTreeMap<String, BTreeMap<String, usize>>,
}

#[derive(Debug, Serialize)]
struct Report {
    pairs: String,
    model: String,
    overall: SetReport,
    sets: BTreeMap<String, SetReport>,
}

fn article(side: Side, path: &str, line: u64, which: &str) -> anyhow::Result<Article> {
    ArticleDraft {
        id: Some(format!("{line}{which}")),
        text: side.text,
        published: side.published,
        source: side.source,
        url: side.url,
        language: side.language,
        ..Default::default()
    }
    .finish(Origin::new(path, Position::Line { line }))
    .with_context(|| format!("{path}:{line}: side {which}"))
}

pub fn eval_verdict(args: EvalVerdictArgs) -> anyhow::Result<ExitCode> {
    let path = args.pairs.display().to_string();
    let file = std::fs::File::open(&args.pairs).with_context(|| format!("opening {path}"))?;
    let mut pairs: Vec<(String, String, Article, Article)> = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let n = i as u64 + 1;
        let line = line.with_context(|| format!("{path}:{n}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let p: Pair = match serde_json::from_str(&line) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("warning: {path}:{n}: skipped: {e}");
                continue;
            }
        };
        match (article(p.a, &path, n, "a"), article(p.b, &path, n, "b")) {
            (Ok(a), Ok(b)) => pairs.push((p.set, p.label, a, b)),
            (Err(e), _) | (_, Err(e)) => eprintln!("warning: skipped: {e:#}"),
        }
    }
    if pairs.is_empty() {
        bail!("{path}: no pairs");
    }
    let (model, model_name) = super::load_model(args.model.as_deref())?;
    let config = AlignConfig::default();
    let results: Vec<_> = pairs
        .par_iter()
        .map(|(set, label, a, b)| {
            let v = compare_with(a, b, &config, &model).verdict;
            (set.as_str(), label.as_str(), v)
        })
        .collect();

    if let Some(out) = &args.features {
        let mut w = std::io::BufWriter::new(
            std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?,
        );
        for (set, label, v) in &results {
            let values: BTreeMap<&str, f64> = FEATURES
                .iter()
                .filter_map(|&n| feature(&v.features, n).map(|x| (n, x)))
                .collect();
            let row = serde_json::json!({"set": set, "label": label, "predicted": v.relation, "features": values, "raw": v.features});
            writeln!(w, "{row}").with_context(|| format!("writing {}", out.display()))?;
        }
        w.flush()?;
    }

    let mut overall = SetReport::default();
    let mut sets: BTreeMap<String, SetReport> = BTreeMap::new();
    for (set, label, v) in &results {
        let ok = agrees(label, v.relation);
        for r in [&mut overall, sets.entry(set.to_string()).or_default()] {
            r.pairs += 1;
            r.correct += usize::from(ok);
            *r.confusion
                .entry(label.to_string())
                .or_default()
                .entry(v.relation.name().to_string())
                .or_default() += 1;
        }
    }
    for r in std::iter::once(&mut overall).chain(sets.values_mut()) {
        r.accuracy = r.correct as f64 / r.pairs.max(1) as f64;
    }
    let report = Report {
        pairs: path,
        model: model_name,
        overall,
        sets,
    };
    match args.format {
        OutputFormat::Json => outln!("{}", serde_json::to_string_pretty(&report)?),
        OutputFormat::Text => print_text(&report)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn print_text(r: &Report) -> std::io::Result<()> {
    outln!("{} ({} model)", r.pairs, r.model);
    let names: Vec<&str> = Relation::ALL.iter().map(|r| r.name()).collect();
    for (name, s) in
        std::iter::once(("overall", &r.overall)).chain(r.sets.iter().map(|(k, v)| (k.as_str(), v)))
    {
        outln!(
            "\n{name}: {}/{} agree ({:.3})",
            s.correct,
            s.pairs,
            s.accuracy
        );
        out!("  {:<11}", "label\\got");
        for n in &names {
            out!(" {:>10}", n);
        }
        outln!();
        for (label, row) in &s.confusion {
            out!("  {label:<11}");
            for n in &names {
                out!(" {:>10}", row.get(*n).copied().unwrap_or(0));
            }
            outln!();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coarse_labels_accept_their_members() {
        assert!(agrees("derived", Relation::Spun));
        assert!(!agrees("derived", Relation::SameStory));
        assert!(agrees("verbatim", Relation::Excerpt));
        assert!(!agrees("verbatim", Relation::Rewrite));
        assert!(agrees("related", Relation::SameStory));
        assert!(!agrees("related", Relation::Unrelated));
        assert!(agrees("copy", Relation::Copy));
        assert!(!agrees("copy", Relation::Duplicate));
    }
}
