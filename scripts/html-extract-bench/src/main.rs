//! Scores HTML main-text extractors on the article-extraction benchmark
//! (181 pages, gzipped under `html/`, expected text in `ground-truth.json`).
//!
//! ```text
//! html-extract-bench run   [--data DIR] [--out DIR] [--repeat N]
//! html-extract-bench score [--data DIR] PREDICTIONS.json...
//! html-extract-bench stress
//! ```
//!
//! `run` runs every extractor compiled in (cargo features) on every page,
//! writes its predictions in the benchmark's own format to `--out`, and prints
//! a Markdown table. `score` scores prediction files made by anything else
//! (for instance the benchmark's published `output/*.json`), which checks
//! this scorer against the published numbers. `stress` feeds hostile inputs
//! (deep nesting, 10 MB pages, binary junk) to each extractor in a child
//! process and reports panics, crashes and time.

mod metric;
mod stress;

use std::collections::BTreeMap;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

type Extract = fn(&str, &str) -> Result<String, String>;

/// The extractors compiled in: (name, function).
fn extractors() -> Vec<(&'static str, Extract)> {
    #[allow(unused_mut)]
    let mut v: Vec<(&'static str, Extract)> = Vec::new();
    #[cfg(feature = "rs-trafilatura")]
    v.push(("rs-trafilatura 0.2.2", run_rs_trafilatura));
    #[cfg(feature = "dom_smoothie")]
    {
        v.push(("dom_smoothie 0.19 (raw text)", run_dom_smoothie_raw));
        v.push((
            "dom_smoothie 0.19 (formatted text)",
            run_dom_smoothie_formatted,
        ));
    }
    #[cfg(feature = "retold")]
    v.push(("retold extract_article", run_retold));
    v
}

#[cfg(feature = "retold")]
fn run_retold(html: &str, url: &str) -> Result<String, String> {
    let url = (!url.is_empty()).then_some(url);
    retold_core::ingest::html::extract_article(html, url)
        .map(|d| d.text)
        .map_err(|e| e.to_string())
}

#[cfg(feature = "rs-trafilatura")]
fn run_rs_trafilatura(html: &str, _url: &str) -> Result<String, String> {
    rs_trafilatura::extract(html)
        .map(|r| r.content_text)
        .map_err(|e| e.to_string())
}

#[cfg(feature = "dom_smoothie")]
fn dom_smoothie_with(
    html: &str,
    url: &str,
    mode: dom_smoothie::TextMode,
) -> Result<String, String> {
    let cfg = dom_smoothie::Config {
        text_mode: mode,
        ..Default::default()
    };
    let url = (!url.is_empty()).then_some(url);
    let mut r = dom_smoothie::Readability::new(html, url, Some(cfg)).map_err(|e| e.to_string())?;
    r.parse()
        .map(|a| a.text_content.to_string())
        .map_err(|e| e.to_string())
}

#[cfg(feature = "dom_smoothie")]
fn run_dom_smoothie_raw(html: &str, url: &str) -> Result<String, String> {
    dom_smoothie_with(html, url, dom_smoothie::TextMode::Raw)
}

#[cfg(feature = "dom_smoothie")]
fn run_dom_smoothie_formatted(html: &str, url: &str) -> Result<String, String> {
    dom_smoothie_with(html, url, dom_smoothie::TextMode::Formatted)
}

struct Page {
    key: String,
    url: String,
    html: String,
    expected: String,
}

fn load_pages(data: &Path) -> Result<Vec<Page>, String> {
    let gt = load_ground_truth(data)?;
    let mut pages = Vec::new();
    for (key, v) in gt {
        let path = data.join("html").join(format!("{key}.html.gz"));
        let f = std::fs::File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(f)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        pages.push(Page {
            key,
            url: v
                .get("url")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            // All 181 pages are UTF-8; lossy decoding keeps the harness total.
            html: String::from_utf8_lossy(&bytes).into_owned(),
            expected: v
                .get("articleBody")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        });
    }
    Ok(pages)
}

fn load_ground_truth(data: &Path) -> Result<BTreeMap<String, Value>, String> {
    let path = data.join("ground-truth.json");
    let s = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&s).map_err(|e| format!("{}: {e}", path.display()))
}

struct RunResult {
    outputs: Vec<String>,
    best_total: Duration,
    slowest_page: Duration,
    errors: usize,
    panics: usize,
}

fn run_one(f: Extract, pages: &[Page], repeat: usize) -> RunResult {
    let mut best_total = Duration::MAX;
    let mut slowest_page = Duration::ZERO;
    let mut outputs = Vec::new();
    let (mut errors, mut panics) = (0, 0);
    for round in 0..repeat.max(1) {
        let mut total = Duration::ZERO;
        let mut outs = Vec::with_capacity(pages.len());
        for p in pages {
            let t = Instant::now();
            let r = catch_unwind(AssertUnwindSafe(|| f(&p.html, &p.url)));
            let dt = t.elapsed();
            total += dt;
            slowest_page = slowest_page.max(dt);
            let text = match r {
                Ok(Ok(t)) => t,
                Ok(Err(e)) => {
                    if round == 0 {
                        errors += 1;
                        eprintln!("  {}: error: {e}", p.key);
                    }
                    String::new()
                }
                Err(_) => {
                    if round == 0 {
                        panics += 1;
                        eprintln!("  {}: panicked", p.key);
                    }
                    String::new()
                }
            };
            outs.push(text);
        }
        best_total = best_total.min(total);
        outputs = outs;
    }
    RunResult {
        outputs,
        best_total,
        slowest_page,
        errors,
        panics,
    }
}

fn slug(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .split('_')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

fn cmd_run(data: &Path, out: &Path, repeat: usize) -> Result<(), String> {
    let pages = load_pages(data)?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    // Silence panic messages of extractors; they are counted instead.
    std::panic::set_hook(Box::new(|_| {}));
    println!(
        "| extractor | F1 | precision | recall | accuracy | ms/page (mean) | slowest page ms | pages F1<0.5 | pages F1<0.8 | median page F1 | errors | panics | empty outputs | lines/page |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (name, f) in extractors() {
        eprintln!(
            "running {name} on {} pages, {repeat} round(s)…",
            pages.len()
        );
        let r = run_one(f, &pages, repeat);
        let pairs: Vec<(&str, &str)> = pages
            .iter()
            .zip(&r.outputs)
            .map(|(p, o)| (p.expected.as_str(), o.as_str()))
            .collect();
        let s = metric::score(&pairs);
        let mut per_page: Vec<f64> = pairs
            .iter()
            .map(|(e, p)| metric::page_f1(&metric::page_counts(e, p)))
            .collect();
        per_page.sort_by(f64::total_cmp);
        let below = |x: f64| per_page.iter().filter(|&&f| f < x).count();
        let median = per_page.get(per_page.len() / 2).copied().unwrap_or(0.0);
        let empty = r.outputs.iter().filter(|o| o.trim().is_empty()).count();
        let lines: usize = r
            .outputs
            .iter()
            .map(|o| o.lines().filter(|l| !l.trim().is_empty()).count())
            .sum();
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} | {:.3} | {:.2} | {:.1} | {} | {} | {:.3} | {} | {} | {} | {:.1} |",
            s.f1,
            s.precision,
            s.recall,
            s.accuracy,
            r.best_total.as_secs_f64() * 1000.0 / pages.len() as f64,
            r.slowest_page.as_secs_f64() * 1000.0,
            below(0.5),
            below(0.8),
            median,
            r.errors,
            r.panics,
            empty,
            lines as f64 / pages.len() as f64,
        );
        let mut pred = serde_json::Map::new();
        for (p, o) in pages.iter().zip(&r.outputs) {
            pred.insert(p.key.clone(), json!({ "articleBody": o }));
        }
        let path = out.join(format!("{}.json", slug(name)));
        let body = serde_json::to_string_pretty(&json!({ "version": name, "output": pred }))
            .map_err(|e| e.to_string())?;
        std::fs::write(&path, body).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// How often retold's extract_article finds each metadata field.
#[cfg(feature = "retold")]
fn cmd_meta(data: &Path) -> Result<(), String> {
    let pages = load_pages(data)?;
    let mut found = [0usize; 7];
    let mut same_host = 0;
    for p in &pages {
        let Ok(d) = retold_core::ingest::html::extract_article(&p.html, None) else {
            continue;
        };
        let fields = [
            d.title.is_some(),
            d.published.is_some(),
            d.byline.is_some(),
            d.url.is_some(),
            d.source.is_some(),
            d.language.is_some(),
            d.metadata.contains_key("section") || d.metadata.contains_key("keywords"),
        ];
        for (f, n) in fields.iter().zip(found.iter_mut()) {
            *n += usize::from(*f);
        }
        let host = |u: &str| retold_core::article::host_of(u);
        if d.url.as_deref().and_then(host).is_some()
            && d.url.as_deref().and_then(host) == host(&p.url)
        {
            same_host += 1;
        }
    }
    println!("| field | pages with it (of {}) |", pages.len());
    println!("|---|---|");
    let names = [
        "title",
        "published",
        "byline",
        "url (canonical / og:url)",
        "source (site name)",
        "language",
        "section or keywords",
    ];
    for (n, c) in names.iter().zip(found) {
        println!("| {n} | {c} |");
    }
    println!("| url on the page's own host | {same_host} |");
    Ok(())
}

fn cmd_score(data: &Path, files: &[PathBuf]) -> Result<(), String> {
    let gt = load_ground_truth(data)?;
    println!("| predictions | F1 | precision | recall | accuracy |");
    println!("|---|---|---|---|---|");
    for file in files {
        let s = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let v: Value = serde_json::from_str(&s).map_err(|e| format!("{}: {e}", file.display()))?;
        // Either {key: {articleBody}} or {"version": .., "output": {key: {articleBody}}}.
        let pred = match v.get("output") {
            Some(o) if v.get("version").is_some() => o.clone(),
            _ => v,
        };
        let mut texts = Vec::new();
        for (key, t) in &gt {
            let expected = t.get("articleBody").and_then(Value::as_str).unwrap_or("");
            let predicted = pred
                .get(key)
                .ok_or_else(|| format!("{}: no prediction for {key}", file.display()))?
                .get("articleBody")
                .and_then(Value::as_str)
                .unwrap_or("");
            texts.push((expected, predicted));
        }
        let sc = metric::score(&texts);
        println!(
            "| {} | {:.3} | {:.3} | {:.3} | {:.3} |",
            file.display(),
            sc.f1,
            sc.precision,
            sc.recall,
            sc.accuracy
        );
    }
    Ok(())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let cmd = args.next().unwrap_or_default();
    let mut data = PathBuf::from("/tmp/aeb");
    let mut out = PathBuf::from("/tmp/aeb/out");
    let mut repeat = 3usize;
    let mut files = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--data" => data = args.next().map(PathBuf::from).unwrap_or(data),
            "--out" => out = args.next().map(PathBuf::from).unwrap_or(out),
            "--repeat" => repeat = args.next().and_then(|r| r.parse().ok()).unwrap_or(repeat),
            _ => files.push(PathBuf::from(a)),
        }
    }
    let r = match cmd.as_str() {
        "run" => cmd_run(&data, &out, repeat),
        "score" => cmd_score(&data, &files),
        #[cfg(feature = "retold")]
        "meta" => cmd_meta(&data),
        "stress" => {
            let names: Vec<&str> = extractors().iter().map(|e| e.0).collect();
            stress::run_all(&names, Duration::from_secs(120))
        }
        "stress-one" => {
            let idx: usize = files.first().and_then(|f| f.to_str()?.parse().ok()).unwrap_or(0);
            let case = files.get(1).and_then(|f| f.to_str()).unwrap_or("empty").to_string();
            std::panic::set_hook(Box::new(|_| {}));
            stress::run_child(extractors()[idx].1, &case);
            Ok(())
        }
        _ => Err("usage: html-extract-bench run [--data DIR] [--out DIR] [--repeat N]\n       html-extract-bench score [--data DIR] PREDICTIONS.json...\n       html-extract-bench stress".into()),
    };
    if let Err(e) = r {
        eprintln!("{e}");
        std::process::exit(2);
    }
}
