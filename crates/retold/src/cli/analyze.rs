//! `retold analyze`: the main job.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use retold_core::article::Article;
use retold_core::ingest::{collect_inputs, read_inputs};
use retold_core::report::{html, text::write_cards, Analysis};
use retold_core::story::EngineConfig;

use super::{progress, InputArgs, EXIT_BAD_INPUT, EXIT_FAILURE};

/// How `analyze` writes its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AnalyzeFormat {
    /// A card per story, for the terminal.
    Text,
    /// The whole analysis (`docs/schema/analysis-v1.json`).
    Json,
    /// One self-contained page: story index, trees, timelines, changes,
    /// each version beside its parent (opens from disk, no network).
    Html,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: AnalyzeFormat,

    /// Put each article's text in the JSON output (the HTML page always
    /// holds the texts it shows).
    #[arg(long)]
    pub with_text: bool,

    /// Write the output to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let debug = std::env::var_os("RETOLD_DEBUG").is_some();
    let started = std::time::Instant::now();
    // A bad `-o` is reported before the work, not after it.
    let file = match &args.output {
        Some(p) => Some(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        ),
        None => None,
    };
    let options = args.input.options();
    let (inputs, unlisted) = collect_inputs(&args.input.paths);
    if inputs.is_empty() && unlisted.is_empty() {
        let paths: Vec<String> = args
            .input
            .paths
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        eprintln!(
            "retold: warning: no input file found in {} (hidden files, gold.json, README and LICENSE are skipped)",
            paths.join(", ")
        );
    }
    let total: u64 = inputs.iter().map(|i| i.size).sum();
    let bar = progress::bytes_bar(total, args.input.quiet);
    let result = read_inputs(&inputs, unlisted, &options, &|n| bar.inc(n));
    bar.finish_and_clear();
    let batch = match result {
        Ok(b) => b,
        Err(e) => {
            eprintln!("retold: bad input (--strict): {e}");
            return Ok(ExitCode::from(EXIT_BAD_INPUT));
        }
    };
    for e in &batch.skipped {
        eprintln!("retold: skipped {e}");
    }
    for w in &batch.warnings {
        eprintln!("retold: warning: {w}");
    }

    cross_language_note(&batch.articles);
    if debug {
        eprintln!("retold: read {:.1} s", started.elapsed().as_secs_f64());
    }
    let bar = progress::items_bar(batch.articles.len() as u64, "articles", args.input.quiet);
    let keep_text = args.format == AnalyzeFormat::Html || args.with_text;
    // One view model, rendered as asked (retold_core::report).
    let view = Analysis::analyze(batch, EngineConfig::default(), keep_text, &|n| {
        bar.set_position(n as u64)
    });
    bar.finish_and_clear();
    if debug {
        eprintln!("retold: analyzed {:.1} s", started.elapsed().as_secs_f64());
    }
    let mut out: Box<dyn Write> = match file {
        Some(f) => Box::new(std::io::BufWriter::new(f)),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match args.format {
        AnalyzeFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &view).context("cannot write JSON")?;
            writeln!(out)?;
        }
        AnalyzeFormat::Text => write_cards(&mut out, &view)?,
        AnalyzeFormat::Html => {
            let page = html::render(&view)?;
            out.write_all(page.as_bytes())
                .context("cannot write the HTML report")?;
        }
    }
    out.flush().context("cannot write output")?;
    if debug {
        eprintln!("retold: total {:.1} s", started.elapsed().as_secs_f64());
    }

    if view.articles.is_empty() && !view.skipped.is_empty() {
        eprintln!("retold: no article could be read");
        return Ok(ExitCode::from(EXIT_FAILURE));
    }
    Ok(ExitCode::SUCCESS)
}

/// Says once whether articles in more than one language can be linked:
/// not without the multilingual model. Articles in one language pay
/// nothing (the model is not looked for); in several, only the pairs
/// across languages that share names or numbers are embedded.
fn cross_language_note(articles: &[Article]) {
    let languages: std::collections::BTreeSet<&str> = articles
        .iter()
        .filter_map(|a| a.language.as_deref())
        .collect();
    if languages.len() < 2 {
        return;
    }
    match retold_core::features::embed::locate() {
        Err(e) => eprintln!("retold: {}", retold_core::features::embed::off_note(&e)),
        Ok(_) => eprintln!(
            "retold: note: cross-lingual matching is on (articles in {} languages; the titles \
             and leads of pairs across languages that share names or numbers are embedded \
             with the multilingual model)",
            languages.len()
        ),
    }
}
