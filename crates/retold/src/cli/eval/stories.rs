//! `retold eval stories FILE.jsonl`: story clustering against a gold `story`
//! field (BCubed and pairwise precision, recall, F1).

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail};
use clap::Args;
use retold_core::eval::cluster::{score, ClusterScore};
use retold_core::ingest::{read_all, IngestOptions};
use retold_core::story::{Engine, EngineConfig};
use serde::Serialize;

use crate::cli::OutputFormat;

#[derive(Debug, Args)]
pub struct EvalStoriesArgs {
    /// Articles in any input format whose records carry a gold `story`
    /// field (JSON Lines; `scripts/convert-basil.py`, `scripts/convert-ecbplus.py`).
    pub input: Vec<PathBuf>,
    /// Least average link to join a story (default: the engine's).
    #[arg(long)]
    pub join_threshold: Option<f64>,
    /// Least content-word Jaccard for a candidate to be aligned.
    #[arg(long)]
    pub min_content_jaccard: Option<f64>,
    /// Weight of the TF-IDF cosine in a link (default: the engine's).
    #[arg(long)]
    pub cosine_weight: Option<f64>,
    /// Least name fidelity of a derived link, below which relatedness
    /// counts in proportion (default: the engine's; 0 turns it off).
    #[arg(long)]
    pub min_name_fidelity: Option<f64>,
    /// Least members of a story for an article whose subject it never
    /// names to be kept out (default: the engine's; 0 turns the check off).
    #[arg(long)]
    pub subject_min_members: Option<usize>,
    /// Whether conflicting key facts (magnitudes, scores, editions, years,
    /// dates, tolls, ages, counts) keep another event of the same kind out
    /// of a story (default: the engine's).
    #[arg(long)]
    pub event_conflicts: Option<bool>,
    /// Whether a story that turns out to hold two events of one kind is
    /// split by whom its reports are about (default: the engine's; see
    /// `retold_core::story::split`).
    #[arg(long)]
    pub subject_split: Option<bool>,
    /// Least story link (average over scored report pairs) for two stories
    /// to merge (default: the engine's; 0 turns merging off).
    #[arg(long)]
    pub merge_threshold: Option<f64>,
    /// Least scored report pairs between two stories for a merge.
    #[arg(long)]
    pub merge_min_pairs: Option<usize>,
    /// Least share of each story's reports the scored pairs must reach for
    /// a merge (default: the engine's).
    #[arg(long)]
    pub merge_min_coverage: Option<f64>,
    /// Whether the links of derived members count for a merge (default:
    /// the engine's).
    #[arg(long)]
    pub merge_via_derived: Option<bool>,
    /// Weight of the lead's cosine beside the whole text's (0: whole text).
    #[arg(long)]
    pub lead_weight: Option<f64>,
    /// Texts of at most this many words get lead-index candidates (0: off).
    #[arg(long)]
    pub short_text_words: Option<u32>,
    /// Least lead stems shared with a lead candidate.
    #[arg(long)]
    pub lead_min_shared: Option<usize>,
    /// Only articles whose gold story starts with one of these prefixes
    /// (as many as given) are read: for scoring one half of a set.
    #[arg(long = "only")]
    pub only: Vec<String>,
    /// Leave out the articles that `--only` would keep (the other half).
    #[arg(long, requires = "only")]
    pub invert: bool,
    /// For each gold story split over several predicted stories, or mixed
    /// with another, list why: the links between its pieces and the stage
    /// that decided.
    #[arg(long)]
    pub explain: bool,
    /// Score every join threshold from 0.2 to 0.9 in steps of 0.05 (to
    /// choose one; report the fixed default, not the best of a sweep).
    #[arg(long)]
    pub sweep: bool,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: OutputFormat,
}

#[derive(Debug, Serialize)]
struct Row {
    join_threshold: f64,
    min_content_jaccard: f64,
    #[serde(flatten)]
    score: ClusterScore,
}

pub fn eval_stories(args: EvalStoriesArgs) -> anyhow::Result<ExitCode> {
    let mut batch =
        read_all(&args.input, &IngestOptions::default(), &|_| {}).map_err(|e| anyhow!("{e}"))?;
    if !args.only.is_empty() {
        let story = |a: &retold_core::article::Article| {
            a.metadata
                .get("story")
                .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_string))
                .unwrap_or_default()
        };
        batch
            .articles
            .retain(|a| args.only.iter().any(|p| story(a).starts_with(p.as_str())) != args.invert);
    }
    for e in &batch.skipped {
        eprintln!("warning: skipped {e}");
    }
    let gold: HashMap<String, String> = batch
        .articles
        .iter()
        .filter_map(|a| {
            let s = a.metadata.get("story")?;
            Some((
                a.id.clone(),
                s.as_str().map_or_else(|| s.to_string(), str::to_string),
            ))
        })
        .collect();
    if gold.is_empty() {
        bail!("no article carries a gold `story` field");
    }
    let base = EngineConfig::default();
    let thresholds: Vec<f64> = if args.sweep {
        (4..=18).map(|k| k as f64 * 0.05).collect()
    } else {
        vec![args.join_threshold.unwrap_or(base.join_threshold)]
    };
    let mut rows = Vec::new();
    let mut explanations: Vec<String> = Vec::new();
    for t in thresholds {
        let config = EngineConfig {
            join_threshold: t,
            min_content_jaccard: args.min_content_jaccard.unwrap_or(base.min_content_jaccard),
            cosine_weight: args.cosine_weight.unwrap_or(base.cosine_weight),
            min_name_fidelity: args.min_name_fidelity.unwrap_or(base.min_name_fidelity),
            subject_min_members: args.subject_min_members.unwrap_or(base.subject_min_members),
            event_conflicts: args.event_conflicts.unwrap_or(base.event_conflicts),
            subject_split: args.subject_split.unwrap_or(base.subject_split),
            merge_threshold: args.merge_threshold.unwrap_or(base.merge_threshold),
            merge_min_pairs: args.merge_min_pairs.unwrap_or(base.merge_min_pairs),
            merge_min_coverage: args.merge_min_coverage.unwrap_or(base.merge_min_coverage),
            merge_via_derived: args.merge_via_derived.unwrap_or(base.merge_via_derived),
            lead_weight: args.lead_weight.unwrap_or(base.lead_weight),
            short_text_words: args.short_text_words.unwrap_or(base.short_text_words),
            lead_min_shared: args.lead_min_shared.unwrap_or(base.lead_min_shared),
            ..base.clone()
        };
        let mut engine = Engine::new(config.clone());
        engine.add_all(batch.articles.clone(), &|_| {});
        let mut story_of: HashMap<String, String> = HashMap::new();
        let stories = engine.stories();
        for s in &stories {
            for id in &s.articles {
                story_of.insert(id.clone(), s.id.clone());
            }
        }
        if args.explain {
            explanations.push(super::explain::explain(
                &gold,
                &stories,
                &engine.trace(),
                &config,
            ));
        }
        let (g, p): (Vec<&str>, Vec<&str>) = gold
            .iter()
            .filter_map(|(id, g)| Some((g.as_str(), story_of.get(id)?.as_str())))
            .unzip();
        rows.push(Row {
            join_threshold: t,
            min_content_jaccard: config.min_content_jaccard,
            score: score(&g, &p),
        });
    }
    match args.format {
        OutputFormat::Json => outln!("{}", serde_json::to_string_pretty(&rows)?),
        OutputFormat::Text => {
            outln!("join  items gold pred   B3-P   B3-R  B3-F1   pw-P   pw-R  pw-F1");
            for r in &rows {
                let s = &r.score;
                outln!(
                    "{:.2} {:>6} {:>4} {:>4}  {:.3}  {:.3}  {:.3}  {:.3}  {:.3}  {:.3}",
                    r.join_threshold,
                    s.items,
                    s.gold_clusters,
                    s.predicted_clusters,
                    s.bcubed_precision,
                    s.bcubed_recall,
                    s.bcubed_f1,
                    s.pairwise_precision,
                    s.pairwise_recall,
                    s.pairwise_f1
                );
            }
        }
    }
    for e in explanations {
        out!("{e}");
    }
    Ok(ExitCode::SUCCESS)
}
