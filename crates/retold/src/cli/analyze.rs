//! `retold analyze`: the main job.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use retold_core::article::Article;
use retold_core::changes::quotes::QuoteMatchKind;
use retold_core::changes::ChangeKind;
use retold_core::error::IngestError;
use retold_core::ingest::{collect_inputs, read_inputs, Batch};
use retold_core::story::{
    ClaimStatus, DirectionStatus, Engine, EngineConfig, JoinedBy, Member, QuoteStatus, Role, Story,
    StoryQuote,
};
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

/// Version of the JSON written by `analyze --format json`; the JSON Schema
/// is `docs/schema/analysis-v1.json`.
pub const SCHEMA: &str = "retold-analysis/1";

#[derive(Debug, Serialize)]
struct Report<'a> {
    schema: &'static str,
    summary: Summary,
    articles: Vec<ArticleRow<'a>>,
    stories: Vec<Story>,
    skipped: Vec<Problem<'a>>,
    warnings: Vec<Problem<'a>>,
}

#[derive(Debug, Serialize)]
struct Summary {
    inputs: usize,
    articles: usize,
    skipped: usize,
    warnings: usize,
    /// Stories with more than one version, and articles alone in theirs.
    stories: usize,
    singletons: usize,
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
    language: Option<&'a str>,
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
    let debug = std::env::var_os("RETOLD_DEBUG").is_some();
    let started = std::time::Instant::now();
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

    if debug {
        eprintln!("retold: read {:.1} s", started.elapsed().as_secs_f64());
    }
    let bar = progress::items_bar(batch.articles.len() as u64, "articles", args.input.quiet);
    let mut engine = Engine::new(EngineConfig::default());
    // The report's article rows need no text: the engine takes the texts,
    // the batch keeps the rest (no copy of every text).
    let mut batch = batch;
    let rows: Vec<Article> = batch.articles.iter().map(without_text).collect();
    let articles = std::mem::replace(&mut batch.articles, rows);
    engine.add_all(articles, &|n| bar.set_position(n as u64));
    bar.finish_and_clear();
    if debug {
        eprintln!("retold: added {:.1} s", started.elapsed().as_secs_f64());
    }
    let stories = engine.stories();
    if debug {
        eprintln!("retold: stories {:.1} s", started.elapsed().as_secs_f64());
    }
    let report = build_report(&batch, stories);
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
        OutputFormat::Text => write_cards(&mut out, &report)?,
    }
    out.flush().context("cannot write output")?;
    if debug {
        eprintln!("retold: total {:.1} s", started.elapsed().as_secs_f64());
    }

    if batch.articles.is_empty() && !batch.skipped.is_empty() {
        eprintln!("retold: no article could be read");
        return Ok(ExitCode::from(EXIT_FAILURE));
    }
    Ok(ExitCode::SUCCESS)
}

fn build_report(batch: &Batch, stories: Vec<Story>) -> Report<'_> {
    let articles: Vec<ArticleRow> = batch.articles.iter().map(article_row).collect();
    let singletons = stories.iter().filter(|s| s.members.len() == 1).count();
    Report {
        schema: SCHEMA,
        summary: Summary {
            inputs: batch.inputs,
            articles: batch.articles.len(),
            skipped: batch.skipped.len(),
            warnings: batch.warnings.len(),
            stories: stories.len() - singletons,
            singletons,
        },
        articles,
        stories,
        skipped: batch.skipped.iter().map(Problem::from).collect(),
        warnings: batch.warnings.iter().map(Problem::from).collect(),
    }
}

/// `a` without its text and extra fields (what an article row shows).
fn without_text(a: &Article) -> Article {
    Article {
        id: a.id.clone(),
        url: a.url.clone(),
        source: a.source.clone(),
        title: a.title.clone(),
        byline: a.byline.clone(),
        published: a.published,
        published_raw: a.published_raw.clone(),
        language: a.language.clone(),
        text: String::new(),
        origin: a.origin.clone(),
        metadata: Default::default(),
    }
}

fn article_row(a: &Article) -> ArticleRow<'_> {
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
        language: a.language.as_deref(),
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

/// One line about an article: source, date, title.
fn describe(a: Option<&ArticleRow>, id: &str) -> String {
    let Some(a) = a else {
        return id.to_string();
    };
    let date = a
        .published
        .as_deref()
        .map(|d| d.replace('T', " ").chars().take(16).collect::<String>())
        .unwrap_or_else(|| "undated".into());
    format!(
        "{} · {} · {}  [{}]",
        fit(a.source.unwrap_or("?"), 28),
        date,
        fit(a.title.unwrap_or("(no title)"), 60),
        fit(id, 20)
    )
}

fn label(m: &Member) -> String {
    let degree = m
        .degree
        .map(|d| format!(", {} derived", d.name()))
        .unwrap_or_default();
    format!(
        "{} {:.2}{degree}",
        m.relation.map_or("origin", |r| r.name()),
        m.confidence
    )
}

/// What joined a member when the pair verdict alone would not show it
/// (`retold compare` on the same pair): copied passages, shared vocabulary
/// or a merge. Nothing for a verdict that speaks for itself.
fn joined_note(m: &Member) -> String {
    match m.evidence.as_ref().and_then(|e| e.joined_by) {
        Some(JoinedBy::CopiedPassages { share }) => {
            format!(
                "  · joined by copied passages ({:.0}% of one text)",
                100.0 * share
            )
        }
        Some(JoinedBy::Vocabulary { cosine, related }) => format!(
            "  · joined by shared vocabulary (TF-IDF cosine {cosine:.2}; the pair verdict alone: related {related:.2})"
        ),
        Some(JoinedBy::Merge) => "  · joined by a merge of two stories".to_string(),
        _ => String::new(),
    }
}

/// The passages a partially derived member reused: the first quoted (cut
/// to 90 characters), and how many more.
fn passages_note(m: &Member) -> Option<String> {
    let e = m.evidence.as_ref()?;
    let first = e.passages.first()?;
    let more = e.passages.len() - 1 + e.more_passages;
    let mut quote: String = first.text.chars().take(90).collect();
    if quote.chars().count() < first.text.chars().count() && !quote.ends_with('…') {
        quote.push('…');
    }
    let quote = quote.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(format!(
        "reused: \"{quote}\"{}",
        if more > 0 {
            format!(" + {more} more")
        } else {
            String::new()
        }
    ))
}

/// What a family member's place rests on: the evidence that decided it,
/// or that nothing did (never a silent input order).
fn direction_note(m: &Member) -> String {
    match m.direction {
        Some(DirectionStatus::Known) => {
            let basis: Vec<&str> = m.direction_basis.iter().map(|b| b.name()).collect();
            format!("  · direction: {}", basis.join(", "))
        }
        Some(DirectionStatus::Unknown) => {
            "  · direction unknown (no date, credit or other evidence says which came first)"
                .to_string()
        }
        None => String::new(),
    }
}

fn write_cards(out: &mut dyn Write, r: &Report) -> std::io::Result<()> {
    let rows: std::collections::HashMap<&str, &ArticleRow> =
        r.articles.iter().map(|a| (a.id, a)).collect();
    for s in r.stories.iter().filter(|s| s.members.len() > 1) {
        writeln!(
            out,
            "━━ {} · {} versions · {}",
            s.id,
            s.members.len(),
            fit(&s.title, 70)
        )?;
        let origin = s.members.iter().find(|m| m.role == Role::Origin);
        if let Some(o) = origin {
            writeln!(
                out,
                "   origin      {}{}",
                describe(rows.get(o.article.as_str()).copied(), &o.article),
                direction_note(o)
            )?;
            write_children(out, s, &o.article, &rows, "   ")?;
        }
        for m in s.members.iter().filter(|m| m.role == Role::Independent) {
            writeln!(
                out,
                "   independent {} ({:.2}){}{}",
                describe(rows.get(m.article.as_str()).copied(), &m.article),
                m.confidence,
                joined_note(m),
                direction_note(m)
            )?;
            write_children(out, s, &m.article, &rows, "   ")?;
        }
        for e in &s.entities {
            let others: Vec<String> = e
                .variants
                .iter()
                .filter(|v| v.spelling != e.canonical)
                .map(|v| format!("{} ({})", v.spelling, v.articles.len()))
                .collect();
            writeln!(
                out,
                "   name        {} ← also {}",
                e.canonical,
                others.join(", ")
            )?;
        }
        write_consensus(out, s)?;
        writeln!(out)?;
    }
    let singles: Vec<&Story> = r.stories.iter().filter(|s| s.members.len() == 1).collect();
    if !singles.is_empty() {
        writeln!(out, "{} articles with no other version:", singles.len())?;
        for s in singles {
            writeln!(
                out,
                "   {}",
                describe(rows.get(s.origin.as_str()).copied(), &s.origin)
            )?;
        }
    }
    writeln!(
        out,
        "\n{} articles from {} inputs: {} stories with several versions, {} single; {} skipped, {} warnings",
        r.summary.articles,
        r.summary.inputs,
        r.summary.stories,
        r.summary.singletons,
        r.summary.skipped,
        r.summary.warnings
    )?;
    Ok(())
}

/// Most disputed claims and unattested or altered quotes shown per card.
const CARD_EXAMPLES: usize = 3;

/// The story's consensus line, its disputed claims, and the quotes that
/// were altered, reattributed or carried by one report group only.
fn write_consensus(out: &mut dyn Write, s: &Story) -> std::io::Result<()> {
    if !s.consensus.is_empty() {
        let n = |st: ClaimStatus| s.consensus.iter().filter(|c| c.status == st).count();
        writeln!(
            out,
            "   claims      {} corroborated by 2+ reports, {} single-source, {} disputed",
            n(ClaimStatus::Corroborated),
            n(ClaimStatus::SingleSource),
            n(ClaimStatus::Disputed)
        )?;
        for c in s
            .consensus
            .iter()
            .filter(|c| c.status == ClaimStatus::Disputed)
            .take(CARD_EXAMPLES)
        {
            let values: Vec<String> = c
                .conflicts
                .iter()
                .map(|x| format!("{} vs {}", x.values[0], x.values[1]))
                .collect();
            writeln!(
                out,
                "   disputed    {} ({})",
                fit(&c.text, 90),
                values.join("; ")
            )?;
        }
    }
    for (status, label) in [
        (QuoteStatus::Reattributed, "reattributed"),
        (QuoteStatus::Altered, "altered"),
        (QuoteStatus::Unattested, "unattested"),
    ] {
        let qs: Vec<&StoryQuote> = s.quotes.iter().filter(|q| q.status == status).collect();
        if qs.is_empty() {
            continue;
        }
        writeln!(out, "   quotes      {} {label}", qs.len())?;
        for q in qs.iter().take(CARD_EXAMPLES) {
            let what = match status {
                QuoteStatus::Reattributed => {
                    let others: Vec<&str> = q
                        .wordings
                        .iter()
                        .filter(|w| w.kind == QuoteMatchKind::Reattributed)
                        .filter_map(|w| w.speaker.as_deref())
                        .collect();
                    format!(
                        "{} → {}",
                        q.speaker.as_deref().unwrap_or("?"),
                        others.join(", ")
                    )
                }
                QuoteStatus::Altered => q
                    .wordings
                    .iter()
                    .flat_map(|w| w.changes.iter())
                    .filter(|c| !c.from.is_empty() && !c.to.is_empty())
                    .take(2)
                    .map(|c| format!("{} → {}", fit(&c.from, 30), fit(&c.to, 30)))
                    .collect::<Vec<_>>()
                    .join("; "),
                _ => q.speaker.clone().unwrap_or_default(),
            };
            writeln!(out, "      “{}” {}", fit(&q.text, 70), fit(&what, 70))?;
        }
    }
    Ok(())
}

/// One line on what a derived member changed: counts per kind and the
/// first name and number changes.
fn change_summary(m: &Member) -> Option<String> {
    if m.changes.is_empty() {
        return None;
    }
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for c in &m.changes {
        *counts.entry(c.kind.name()).or_default() += 1;
    }
    let mut parts: Vec<String> = counts
        .iter()
        .map(|(k, n)| format!("{n} {}", k.replace('_', " ")))
        .collect();
    let examples: Vec<String> = m
        .changes
        .iter()
        .filter(|c| matches!(c.kind, ChangeKind::NameVariant | ChangeKind::NumberChanged))
        .filter_map(|c| {
            Some(format!(
                "{} → {}",
                c.parent.as_ref()?.text,
                c.child.as_ref()?.text
            ))
        })
        .take(3)
        .collect();
    if !examples.is_empty() {
        parts.push(format!("e.g. {}", examples.join("; ")));
    }
    Some(fit(&format!("changed: {}", parts.join(", ")), 150))
}

/// The derived versions of `parent`, as a tree.
fn write_children(
    out: &mut dyn Write,
    s: &Story,
    parent: &str,
    rows: &std::collections::HashMap<&str, &ArticleRow>,
    indent: &str,
) -> std::io::Result<()> {
    let kids: Vec<&Member> = s
        .members
        .iter()
        .filter(|m| m.role == Role::Derived && m.parent.as_deref() == Some(parent))
        .collect();
    for (k, m) in kids.iter().enumerate() {
        let last = k + 1 == kids.len();
        writeln!(
            out,
            "{indent}{} {:<15} {}{}{}",
            if last { "└─" } else { "├─" },
            label(m),
            describe(rows.get(m.article.as_str()).copied(), &m.article),
            joined_note(m),
            direction_note(m)
        )?;
        let deeper = format!("{indent}{}", if last { "   " } else { "│  " });
        if let Some(summary) = change_summary(m) {
            writeln!(out, "{deeper}   {summary}")?;
        }
        if let Some(note) = passages_note(m) {
            writeln!(out, "{deeper}   {note}")?;
        }
        write_children(out, s, &m.article, rows, &deeper)?;
    }
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
