//! `retold analyze`: the main job.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use rayon::prelude::*;
use retold_core::article::Article;
use retold_core::error::IngestError;
use retold_core::ingest::{collect_inputs, read_inputs, Batch};
use retold_core::text;
use serde::Serialize;

use super::{progress, InputArgs, OutputFormat, EXIT_BAD_INPUT, EXIT_FAILURE};

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: OutputFormat,

    /// Write the output to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Version of the JSON written by `analyze --format json`.
pub const SCHEMA: &str = "retold-analysis/0";

#[derive(Debug, Serialize)]
struct Report<'a> {
    schema: &'static str,
    summary: Summary,
    articles: Vec<ArticleRow<'a>>,
    skipped: Vec<Problem<'a>>,
    warnings: Vec<Problem<'a>>,
}

#[derive(Debug, Serialize)]
struct Summary {
    inputs: usize,
    articles: usize,
    skipped: usize,
    warnings: usize,
}

#[derive(Debug, Serialize)]
struct ArticleRow<'a> {
    id: &'a str,
    path: &'a str,
    /// `path`, `path:line`, `path: record N (byte B)` or `path: entry N`.
    at: String,
    position: &'a retold_core::article::Position,
    url: Option<&'a str>,
    source: Option<&'a str>,
    title: Option<&'a str>,
    byline: Option<&'a str>,
    published: Option<String>,
    published_raw: Option<&'a str>,
    language: &'a str,
    words: usize,
    sentences: usize,
}

#[derive(Debug, Serialize)]
struct Problem<'a> {
    /// `path:line` or `path: record N (byte B)`.
    at: String,
    path: &'a str,
    code: &'static str,
    message: String,
}

impl<'a> From<&'a IngestError> for Problem<'a> {
    fn from(e: &'a IngestError) -> Self {
        Problem {
            at: e.origin.to_string(),
            path: &e.origin.path,
            code: e.code(),
            message: e.kind.to_string(),
        }
    }
}

pub fn run(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let options = args.input.options();
    let (inputs, unlisted) = collect_inputs(&args.input.paths);
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

    let report = build_report(&batch);
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match args.format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report).context("cannot write JSON")?;
            writeln!(out)?;
        }
        OutputFormat::Text => write_table(&mut out, &report)?,
    }
    out.flush().context("cannot write output")?;

    if batch.articles.is_empty() && !batch.skipped.is_empty() {
        eprintln!("retold: no article could be read");
        return Ok(ExitCode::from(EXIT_FAILURE));
    }
    Ok(ExitCode::SUCCESS)
}

fn build_report(batch: &Batch) -> Report<'_> {
    let articles: Vec<ArticleRow> = batch.articles.par_iter().map(article_row).collect();
    Report {
        schema: SCHEMA,
        summary: Summary {
            inputs: batch.inputs,
            articles: batch.articles.len(),
            skipped: batch.skipped.len(),
            warnings: batch.warnings.len(),
        },
        articles,
        skipped: batch.skipped.iter().map(Problem::from).collect(),
        warnings: batch.warnings.iter().map(Problem::from).collect(),
    }
}

fn article_row(a: &Article) -> ArticleRow<'_> {
    let doc = text::analyze(&a.text, a.language.as_deref());
    ArticleRow {
        id: &a.id,
        path: &a.origin.path,
        at: a.origin.to_string(),
        position: &a.origin.position,
        url: a.url.as_deref(),
        source: a.source.as_deref(),
        title: a.title.as_deref(),
        byline: a.byline.as_deref(),
        published: a.published.map(|t| t.to_string()),
        published_raw: a.published_raw.as_deref(),
        language: a.language.as_deref().unwrap_or(doc.language),
        words: doc.word_count(),
        sentences: doc.sentences.len(),
    }
}

/// Cuts to `width` characters, marking the cut with `…`.
fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn write_table(out: &mut dyn Write, r: &Report) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<18} {:<24} {:<16} {:<4} {:>6} {:>5}  TITLE",
        "ID", "SOURCE", "PUBLISHED", "LANG", "WORDS", "SENTS"
    )?;
    for a in &r.articles {
        let date = a
            .published
            .as_deref()
            .map(|d| d.replace('T', " ").chars().take(16).collect::<String>())
            .unwrap_or_else(|| "-".into());
        writeln!(
            out,
            "{:<18} {:<24} {:<16} {:<4} {:>6} {:>5}  {}",
            fit(a.id, 18),
            fit(a.source.unwrap_or("-"), 24),
            date,
            a.language,
            a.words,
            a.sentences,
            fit(a.title.unwrap_or("-"), 60),
        )?;
    }
    writeln!(
        out,
        "\n{} articles from {} inputs; {} skipped, {} warnings",
        r.summary.articles, r.summary.inputs, r.summary.skipped, r.summary.warnings
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_marks_cuts() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("a longer title here", 8), "a longe…");
        assert_eq!(fit("ééééé", 3), "éé…");
    }
}
