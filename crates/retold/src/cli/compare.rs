//! `retold compare A B`: how two articles relate, with the evidence and the
//! aligned sentences side by side.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Args;
use retold_core::align::{align, AlignConfig, Alignment};
use retold_core::article::Article;
use retold_core::changes::diff::Op;
use retold_core::changes::{changes, Change};
use retold_core::ingest::{read_all, IngestOptions};
use retold_core::relate::{compare, Comparison, DirectionEvidence, Side};
use retold_core::text::TextDoc;
use serde::Serialize;

use super::OutputFormat;

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
    pub format: OutputFormat,
    /// Width of the side-by-side view (default: the terminal's, else 120).
    #[arg(long, value_name = "COLUMNS")]
    pub width: Option<usize>,
}

/// Version of the JSON written by `compare --format json`.
pub const SCHEMA: &str = "retold-compare/1";

fn load(path: &PathBuf, id: Option<&str>) -> anyhow::Result<Article> {
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
    let found = match id {
        Some(id) => batch
            .articles
            .into_iter()
            .find(|a| a.id == id || a.url.as_deref() == Some(id)),
        None => {
            if n > 1 {
                eprintln!(
                    "note: {} holds {n} articles; comparing the first (pick one with --a-id/--b-id)",
                    path.display()
                );
            }
            batch.articles.into_iter().next()
        }
    };
    match found {
        Some(a) => Ok(a),
        None if id.is_some() => bail!("{}: no article with id or URL {:?}", path.display(), id),
        None => bail!("{}: no article", path.display()),
    }
}

#[derive(Debug, Serialize)]
struct ArticleInfo<'a> {
    id: &'a str,
    path: String,
    url: Option<&'a str>,
    source: Option<&'a str>,
    title: Option<&'a str>,
    published: Option<String>,
    language: Option<&'a str>,
}

impl<'a> ArticleInfo<'a> {
    fn of(a: &'a Article) -> Self {
        ArticleInfo {
            id: &a.id,
            path: a.origin.to_string(),
            url: a.url.as_deref(),
            source: a.source.as_deref(),
            title: a.title.as_deref(),
            published: a.published.map(|t| t.to_string()),
            language: a.language.as_deref(),
        }
    }
}

/// One row of the side-by-side view.
#[derive(Debug, Serialize)]
struct Row {
    /// `aligned`, `only_a` (in A only) or `only_b`.
    kind: &'static str,
    a: Option<String>,
    b: Option<String>,
    score: Option<f32>,
    exact: bool,
    moved: bool,
    /// For aligned rows: the word-level difference, as runs of
    /// (`equal` | `a` | `b`, text).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    diff: Vec<(&'static str, String)>,
}

#[derive(Debug, Serialize)]
struct Report<'a> {
    schema: &'static str,
    a: ArticleInfo<'a>,
    b: ArticleInfo<'a>,
    verdict: &'a retold_core::relate::Verdict,
    alignment: &'a Alignment,
    /// What the derived side changed against the source (empty unless the
    /// relation is derived); `changes_of` names the derived side.
    changes_of: Option<&'static str>,
    changes: &'a [Change],
    rows: Vec<Row>,
}

/// The changes of the derived side against the source, when the verdict
/// says one derives from the other (B is taken as the source unless the
/// evidence says A is).
fn derived_changes(cmp: &Comparison) -> (Option<&'static str>, Vec<Change>) {
    let v = &cmp.verdict;
    if !v.relation.is_derived() {
        return (None, Vec::new());
    }
    if v.direction.is_some_and(|d| d.source == Side::A) {
        let al = align(&cmp.b, &cmp.a, &AlignConfig::default());
        (Some("b"), changes(&cmp.b, &cmp.a, &al, v.relation))
    } else {
        (
            Some("a"),
            changes(&cmp.a, &cmp.b, &cmp.alignment, v.relation),
        )
    }
}

pub fn run(args: CompareArgs) -> anyhow::Result<ExitCode> {
    let a = load(&args.a, args.a_id.as_deref())?;
    let b = load(&args.b, args.b_id.as_deref())?;
    let cmp = compare(&a, &b);
    let rows = rows(&cmp);
    let (changes_of, found) = derived_changes(&cmp);
    let mut out = std::io::stdout().lock();
    match args.format {
        OutputFormat::Json => {
            let report = Report {
                schema: SCHEMA,
                a: ArticleInfo::of(&a),
                b: ArticleInfo::of(&b),
                verdict: &cmp.verdict,
                alignment: &cmp.alignment,
                changes_of,
                changes: &found,
                rows,
            };
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        OutputFormat::Text => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let width = args.width.unwrap_or_else(terminal_width).max(40);
            print_text(&mut out, &a, &b, &cmp, &rows, width, color)?;
            print_changes(&mut out, changes_of, &found)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(120)
}

fn sentence(doc: &TextDoc, spans: &[retold_core::text::Span], r: std::ops::Range<usize>) -> String {
    match (
        spans.get(r.start),
        r.end.checked_sub(1).and_then(|e| spans.get(e)),
    ) {
        (Some(s), Some(e)) => doc
            .text(retold_core::text::Span {
                start: s.start,
                end: e.end,
            })
            .to_string(),
        _ => String::new(),
    }
}

/// The side-by-side rows: aligned pairs in A's order, with the sentences
/// only one side has placed where they stand.
fn rows(cmp: &Comparison) -> Vec<Row> {
    let al = &cmp.alignment;
    let (n, m) = (al.a_spans.len(), al.b_spans.len());
    let mut in_a = vec![false; n];
    let mut in_b = vec![false; m];
    for p in &al.pairs {
        in_a.iter_mut()
            .take(p.a.end)
            .skip(p.a.start)
            .for_each(|x| *x = true);
        in_b.iter_mut()
            .take(p.b.end)
            .skip(p.b.start)
            .for_each(|x| *x = true);
    }
    let only = |kind, doc: &TextDoc, spans: &[_], i: usize| Row {
        kind,
        a: (kind == "only_a").then(|| sentence(doc, spans, i..i + 1)),
        b: (kind == "only_b").then(|| sentence(doc, spans, i..i + 1)),
        score: None,
        exact: false,
        moved: false,
        diff: Vec::new(),
    };
    let mut out = Vec::new();
    let (mut next_a, mut next_b) = (0, 0);
    for p in &al.pairs {
        while next_a < p.a.start {
            if !in_a[next_a] {
                out.push(only("only_a", &cmp.a, &al.a_spans, next_a));
            }
            next_a += 1;
        }
        if !p.moved {
            while next_b < p.b.start {
                if !in_b[next_b] {
                    out.push(only("only_b", &cmp.b, &al.b_spans, next_b));
                }
                next_b += 1;
            }
            next_b = next_b.max(p.b.end);
        }
        next_a = next_a.max(p.a.end);
        let (ta, tb) = (
            sentence(&cmp.a, &al.a_spans, p.a.clone()),
            sentence(&cmp.b, &al.b_spans, p.b.clone()),
        );
        let diff = if p.exact {
            Vec::new()
        } else {
            word_diff(&ta, &tb)
        };
        out.push(Row {
            kind: "aligned",
            a: Some(ta),
            b: Some(tb),
            score: Some(p.score),
            exact: p.exact,
            moved: p.moved,
            diff,
        });
    }
    for i in (next_a..n).filter(|&i| !in_a[i]) {
        out.push(only("only_a", &cmp.a, &al.a_spans, i));
    }
    for j in (next_b..m).filter(|&j| !in_b[j]) {
        out.push(only("only_b", &cmp.b, &al.b_spans, j));
    }
    out
}

/// Word-level difference of two sentences ([`retold_core::changes::diff`])
/// as runs of ("equal" | "a" | "b", words): the form the JSON and the
/// columns use.
fn word_diff(a: &str, b: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for r in retold_core::changes::diff::word_diff(a, b) {
        match r.op {
            Op::Equal => out.push(("equal", r.a_text)),
            Op::Delete => out.push(("a", r.a_text)),
            Op::Insert => out.push(("b", r.b_text)),
            Op::Replace => {
                out.push(("b", r.b_text));
                out.push(("a", r.a_text));
            }
        }
    }
    out
}

fn side_name(s: Side) -> &'static str {
    match s {
        Side::A => "A",
        Side::B => "B",
    }
}

fn describe(e: &DirectionEvidence) -> String {
    match e {
        DirectionEvidence::Published {
            earlier,
            gap_seconds,
        } => format!(
            "{} was published {} earlier",
            side_name(*earlier),
            human_gap(*gap_seconds)
        ),
        DirectionEvidence::Attribution { side, phrase, .. } => {
            format!("{} credits the other: \"{phrase}\"", side_name(*side))
        }
        DirectionEvidence::Credit { side, outlet } => {
            format!(
                "{} credits an outlet the other is ({outlet})",
                side_name(*side)
            )
        }
        DirectionEvidence::Agency { wire, agency } => format!(
            "{} is the wire agency's text ({agency}), the other a newspaper's",
            side_name(*wire)
        ),
        DirectionEvidence::Containment {
            side,
            contained,
            containing,
        } => format!(
            "{} is contained in the other ({:.0}% of it aligned, against {:.0}% of the other)",
            side_name(*side),
            contained * 100.0,
            containing * 100.0
        ),
        DirectionEvidence::ScraperMarkers { side, labels } => {
            format!(
                "{} carries scraper boilerplate ({})",
                side_name(*side),
                labels.join(", ")
            )
        }
    }
}

fn human_gap(s: i64) -> String {
    match s {
        s if s < 3600 => format!("{} min", (s / 60).max(1)),
        s if s < 86_400 * 2 => format!("{:.1} h", s as f64 / 3600.0),
        s => format!("{:.1} days", s as f64 / 86_400.0),
    }
}

/// Text of one column: A's words with B's changes left out, or the reverse,
/// changed words marked.
fn column(row: &Row, side: &'static str, color: bool) -> String {
    let plain = if side == "a" { &row.a } else { &row.b };
    if row.diff.is_empty() {
        return plain.clone().unwrap_or_default();
    }
    let mut out = String::new();
    for (tag, text) in &row.diff {
        if *tag != "equal" && *tag != side {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        if *tag == "equal" {
            out.push_str(text);
        } else if color {
            let code = if side == "a" { "31" } else { "32" };
            out.push_str(&format!("\x1b[{code}m{text}\x1b[0m"));
        } else if side == "a" {
            out.push_str(&format!("[-{text}-]"));
        } else {
            out.push_str(&format!("{{+{text}+}}"));
        }
    }
    out
}

/// Wraps `text` to `width` visible characters (ANSI codes take no room).
fn wrap(text: &str, width: usize) -> Vec<(String, usize)> {
    let mut lines = Vec::new();
    let (mut line, mut len) = (String::new(), 0usize);
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let visible = visible_len(word);
        if len > 0 && len + 1 + visible > width {
            lines.push((std::mem::take(&mut line), len));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += visible;
    }
    if len > 0 || lines.is_empty() {
        lines.push((line, len));
    }
    lines
}

fn visible_len(s: &str) -> usize {
    let mut n = 0;
    let mut in_escape = false;
    for c in s.chars() {
        match (in_escape, c) {
            (false, '\x1b') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, _) => n += 1,
        }
    }
    n
}

fn print_changes(out: &mut impl Write, of: Option<&str>, found: &[Change]) -> anyhow::Result<()> {
    let Some(of) = of else {
        return Ok(());
    };
    let (child, parent) = if of == "a" { ("A", "B") } else { ("B", "A") };
    writeln!(
        out,
        "\nwhat {child} changed against {parent} ({} changes):",
        found.len()
    )?;
    for c in found {
        let text = |e: &Option<retold_core::changes::Excerpt>| {
            e.as_ref()
                .map_or("-".to_string(), |e| format!("\"{}\"", e.text))
        };
        let detail = c
            .detail
            .as_deref()
            .map(|d| format!("  ({d})"))
            .unwrap_or_default();
        writeln!(
            out,
            "  {:<20} {} → {}{detail}",
            c.kind.name(),
            text(&c.parent),
            text(&c.child)
        )?;
    }
    Ok(())
}

fn print_text(
    out: &mut impl Write,
    a: &Article,
    b: &Article,
    cmp: &Comparison,
    rows: &[Row],
    width: usize,
    color: bool,
) -> anyhow::Result<()> {
    let v = &cmp.verdict;
    let label = |x: &Article| {
        let mut s = x.title.clone().unwrap_or_else(|| x.id.clone());
        if let Some(src) = &x.source {
            s.push_str(&format!(" ({src}"));
            if let Some(t) = x.published {
                s.push_str(&format!(", {t}"));
            }
            s.push(')');
        }
        s
    };
    writeln!(out, "A: {}\n   {}", label(a), a.origin)?;
    writeln!(out, "B: {}\n   {}", label(b), b.origin)?;
    let f = &v.features;
    writeln!(
        out,
        "\nverdict: {} (confidence {:.2})",
        v.relation, v.confidence
    )?;
    match v.direction {
        Some(d) => writeln!(
            out,
            "source:  {} (direction: {}, confidence {:.2}) — {}",
            side_name(d.source),
            d.basis.name(),
            d.confidence,
            v.direction_evidence
                .iter()
                .filter(|e| e.basis() == d.basis)
                .map(describe)
                .collect::<Vec<_>>()
                .join("; ")
        )?,
        None if v.relation.is_derived() => writeln!(
            out,
            "source:  direction unknown (no date, credit, agency tag or other evidence says which came first){}",
            if v.direction_evidence.is_empty() {
                String::new()
            } else {
                format!(
                    "; conflicting: {}",
                    v.direction_evidence
                        .iter()
                        .map(describe)
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            }
        )?,
        None => {}
    }
    writeln!(
        out,
        "evidence: {} aligned pairs; coverage A {:.0}%, B {:.0}%; mean similarity {:.2}; exact {:.0}%; \
         order tau {:.2}; longest run {}; words kept {:.0}%, names kept {:.0}%, numbers kept {:.0}%; \
         5-shingle Jaccard {:.2}",
        f.pairs,
        f.a_coverage * 100.0,
        f.b_coverage * 100.0,
        f.mean_similarity,
        f.exact_share * 100.0,
        f.order,
        f.longest_run,
        f.word_retention * 100.0,
        f.name_retention * 100.0,
        f.number_retention * 100.0,
        f.shingle_jaccard
    )?;
    if rows.iter().all(|r| r.kind != "aligned") {
        return Ok(());
    }
    let col = (width.saturating_sub(9)) / 2;
    writeln!(out, "\n{:<col$} │      │ B", "A")?;
    writeln!(out, "{}─┼──────┼─{}", "─".repeat(col), "─".repeat(col))?;
    for r in rows {
        let (la, lb) = (
            wrap(&column(r, "a", color), col),
            wrap(&column(r, "b", color), col),
        );
        let mark = match (r.kind, r.score) {
            ("aligned", _) if r.exact => " ==  ".to_string(),
            ("aligned", Some(s)) => format!("{}{:.2}", if r.moved { "↕" } else { " " }, s),
            ("only_a", _) => " -   ".to_string(),
            _ => " +   ".to_string(),
        };
        let (ea, eb) = (
            if r.a.is_some() { la } else { Vec::new() },
            if r.b.is_some() { lb } else { Vec::new() },
        );
        for i in 0..ea.len().max(eb.len()) {
            let (ta, na) = ea.get(i).cloned().unwrap_or_default();
            let tb = eb.get(i).map(|x| x.0.as_str()).unwrap_or("");
            let m = if i == 0 { mark.as_str() } else { "     " };
            writeln!(
                out,
                "{ta}{} │{m} │ {tb}",
                " ".repeat(col.saturating_sub(na))
            )?;
        }
    }
    writeln!(
        out,
        "\n== exact, ↕ moved, - only in A, + only in B; changed words {}",
        if color {
            "in colour"
        } else {
            "[-in A-] {+in B+}"
        }
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_changed_words() {
        let d = word_diff(
            "The mayor closed the bridge on Monday.",
            "The mayor shut the bridge on Monday.",
        );
        assert_eq!(
            d,
            vec![
                ("equal", "The mayor".to_string()),
                ("b", "shut".to_string()),
                ("a", "closed".to_string()),
                ("equal", "the bridge on Monday.".to_string()),
            ]
        );
    }

    #[test]
    fn wrapping_ignores_colour_codes() {
        let lines = wrap("\x1b[31mred\x1b[0m words here", 9);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].1, 9);
    }
}
