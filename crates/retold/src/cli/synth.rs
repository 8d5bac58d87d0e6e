//! `retold synth`: a synthetic corpus with known duplicates, for benchmarks.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Args;
use retold_core::ingest::{read_all, IngestOptions};
use retold_core::synth::{generate, sentences, SynthConfig};

#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Source texts (any input format): originals and filler are drawn from them.
    #[arg(long = "from", required = true, value_name = "PATH")]
    pub from: Vec<PathBuf>,

    /// Number of articles to write.
    #[arg(long, short = 'n', default_value_t = 10_000)]
    pub articles: usize,

    /// Seed: the same seed and sources give the same corpus.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Share of articles that are unrelated filler.
    #[arg(long, default_value_t = 0.5)]
    pub filler_share: f64,

    /// Most derived versions per original.
    #[arg(long, default_value_t = 4)]
    pub max_derived: usize,

    /// Output JSON Lines file (default: stdout). Each line carries the gold
    /// fields `story`, `derivation` and `parent`.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: SynthArgs) -> anyhow::Result<ExitCode> {
    let options = IngestOptions {
        skip_language_detection: true,
        ..Default::default()
    };
    let batch = read_all(&args.from, &options, &|_| {}).map_err(|e| anyhow::anyhow!("{e}"))?;
    for e in &batch.skipped {
        eprintln!("retold: skipped {e}");
    }
    let sources: Vec<Vec<String>> = batch.articles.iter().map(|a| sentences(&a.text)).collect();
    if sources.iter().all(|s| s.len() < 3) {
        bail!("no source text has three sentences or more");
    }
    let config = SynthConfig {
        articles: args.articles,
        seed: args.seed,
        filler_share: args.filler_share,
        max_derived: args.max_derived,
    };
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut failure = None;
    generate(&sources, &config, |a| {
        if failure.is_none() {
            if let Err(e) = serde_json::to_writer(&mut out, &a)
                .map_err(anyhow::Error::from)
                .and_then(|_| Ok(out.write_all(b"\n")?))
            {
                failure = Some(e);
            }
        }
    });
    if let Some(e) = failure {
        return Err(e).context("cannot write the corpus");
    }
    out.flush().context("cannot write the corpus")?;
    eprintln!(
        "retold: wrote {} articles from {} sources",
        args.articles,
        sources.len()
    );
    Ok(ExitCode::SUCCESS)
}
