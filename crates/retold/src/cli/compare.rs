//! `retold compare A B`: how two articles relate, with the evidence and the
//! aligned passages side by side. The report is the library's
//! [`PairReport`] view model, rendered as text, JSON or HTML.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Args;
use retold_core::article::Article;
use retold_core::ingest::{read_all, IngestOptions};
use retold_core::report::html::render_pair;
use retold_core::report::pair::{write_text, PairReport, TextOptions};

/// How `compare` writes its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    /// The verdict and the aligned passages side by side, for the terminal.
    Text,
    /// The whole report (`docs/schema/compare-v1.json`).
    Json,
    /// One self-contained page: both texts side by side, passages linked.
    Html,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The first article: a file in any input format (the first article in
    /// it, or the one named by `--a-id`).
    pub a: PathBuf,
    /// The second article.
    pub b: PathBuf,
    /// Pick this article id (or URL) from A when it holds several.
    #[arg(long, value_name = "ID")]
    pub a_id: Option<String>,
    /// Pick this article id (or URL) from B when it holds several.
    #[arg(long, value_name = "ID")]
    pub b_id: Option<String>,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: CompareFormat,
    /// Width of the side-by-side view (default: the terminal's, else 120).
    #[arg(long, value_name = "COLUMNS")]
    pub width: Option<usize>,
    /// List every sentence only one side has (by default a long list is
    /// cut to counts).
    #[arg(long)]
    pub all: bool,
    /// Write the output to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Ids shown when `--a-id`/`--b-id` names none of a file's articles.
const IDS_SHOWN: usize = 10;

fn load(path: &PathBuf, id: Option<&str>, flag: &str) -> anyhow::Result<Article> {
    let batch = read_all(
        std::slice::from_ref(path),
        &IngestOptions::default(),
        &|_| {},
    )
    .with_context(|| format!("reading {}", path.display()))?;
    for e in &batch.skipped {
        eprintln!("warning: skipped {e}");
    }
    let n = batch.articles.len();
    let Some(id) = id else {
        if n > 1 {
            eprintln!(
                "note: {} holds {n} articles; comparing the first (pick one with --a-id/--b-id)",
                path.display()
            );
        }
        return match batch.articles.into_iter().next() {
            Some(a) => Ok(a),
            None => bail!("{}: no article", path.display()),
        };
    };
    let ids: Vec<String> = batch
        .articles
        .iter()
        .take(IDS_SHOWN)
        .map(|a| a.id.clone())
        .collect();
    match batch
        .articles
        .into_iter()
        .find(|a| a.id == id || a.url.as_deref() == Some(id))
    {
        Some(a) => Ok(a),
        None if n == 0 => bail!("{}: no article", path.display()),
        None => bail!(
            "{}: no article with id or URL \"{id}\" ({flag}); it holds {n}: {}{}",
            path.display(),
            ids.join(", "),
            if n > IDS_SHOWN { ", …" } else { "" }
        ),
    }
}

pub fn run(args: CompareArgs) -> anyhow::Result<ExitCode> {
    // A bad `-o` is reported before the work, not after it.
    let file = match &args.output {
        Some(p) => Some(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        ),
        None => None,
    };
    let a = load(&args.a, args.a_id.as_deref(), "--a-id")?;
    let b = load(&args.b, args.b_id.as_deref(), "--b-id")?;
    let report = PairReport::compare(&a, &b);
    let to_terminal = file.is_none() && std::io::stdout().is_terminal();
    let mut out: Box<dyn Write> = match file {
        Some(f) => Box::new(std::io::BufWriter::new(f)),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match args.format {
        CompareFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report).context("cannot write JSON")?;
            writeln!(out)?;
        }
        CompareFormat::Text => {
            let options = TextOptions {
                width: args.width.unwrap_or_else(terminal_width),
                color: to_terminal && std::env::var_os("NO_COLOR").is_none(),
                all: args.all,
            };
            write_text(&mut out, &report, &options)?;
        }
        CompareFormat::Html => {
            let page = render_pair(&report)?;
            out.write_all(page.as_bytes())
                .context("cannot write the HTML page")?;
        }
    }
    out.flush().context("cannot write output")?;
    Ok(ExitCode::SUCCESS)
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(120)
}
