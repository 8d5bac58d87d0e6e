//! `retold eval corpus DIR`: stories, roles, parents and relations against
//! the directory's `gold.json` (like `examples/corpus`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;
use clap::Args;
use retold_core::eval::corpus::{predictions, score, without_urls, GoldCorpus};
use retold_core::ingest::{read_all, IngestOptions};
use retold_core::story::{Engine, EngineConfig};

use crate::cli::OutputFormat;

#[derive(Debug, Args)]
pub struct EvalCorpusArgs {
    /// A directory of articles with a `gold.json` (schema retold-gold/1).
    pub dir: PathBuf,
    /// The gold file (default: DIR/gold.json).
    #[arg(long)]
    pub gold: Option<PathBuf>,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: OutputFormat,
}

pub fn eval_corpus(args: EvalCorpusArgs) -> anyhow::Result<ExitCode> {
    let gold_path = args
        .gold
        .clone()
        .unwrap_or_else(|| args.dir.join("gold.json"));
    let gold = GoldCorpus::load(&gold_path)?;
    let batch = read_all(
        std::slice::from_ref(&args.dir),
        &IngestOptions::default(),
        &|_| {},
    )
    .map_err(|e| anyhow!("{e}"))?;
    for e in &batch.skipped {
        eprintln!("warning: skipped {e}");
    }
    let mut engine = Engine::new(EngineConfig::default());
    engine.add_all(batch.articles.clone(), &|_| {});
    let mut predicted = predictions(&engine.stories(), &batch.articles);
    // Without the multilingual model a translation cannot be found: the
    // gold's translations are left out (and said so).
    let mut gold = gold;
    if !engine.cross_language_on() {
        let (kept, dropped) = gold.without_translations();
        if !dropped.is_empty() {
            eprintln!(
                "retold: {} translated article(s) left out of the score: cross-lingual matching is off",
                dropped.len()
            );
            gold = kept;
            predicted = without_urls(predicted, &dropped);
        }
    }
    let s = score(&gold, &predicted);
    match args.format {
        OutputFormat::Json => outln!("{}", serde_json::to_string_pretty(&s)?),
        OutputFormat::Text => {
            let c = &s.stories;
            outln!(
                "stories: BCubed P {:.3} R {:.3} F1 {:.3} ({} gold, {} predicted, {} articles)",
                c.bcubed_precision,
                c.bcubed_recall,
                c.bcubed_f1,
                c.gold_clusters,
                c.predicted_clusters,
                c.items
            );
            for (name, t) in [
                ("roles", s.roles),
                ("parents", s.parents),
                ("relations", s.relations),
            ] {
                outln!("{name:<9} {}/{}", t.right, t.total);
            }
            for m in &s.mismatches {
                outln!(
                    "  {} {}: expected {}, got {}",
                    m.url,
                    m.field,
                    m.expected,
                    m.got
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
