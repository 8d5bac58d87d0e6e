//! `retold eval reuse DIR`: newsroom reuse against journalists' labels.
//!
//! DIR holds `articles.jsonl` (any fields retold reads: `id`, `text`,
//! `title`, `source`, `published`, …) and `pairs.jsonl`, one labelled pair
//! a line: `{"a": SOURCE_ID, "b": DERIVED_OR_OTHER_ID, "label":
//! "wholly_derived" | "partially_derived" | "non_derived"}` (the layout of
//! COUNTER). Dates are hidden unless `--with-dates`: most such corpora
//! give the direction away in their dates.
//!
//! A pair in two known languages gets the cross-language verdict the
//! engine gives it (`translated` or `unrelated`, [`compare_across`]) when
//! the multilingual model is installed, and the lexical verdict with a
//! note that cross-lingual matching is off when it is not. A pair line may
//! say what was altered in translation, `"altered": {"source": "14.2",
//! "translation": "24,2"}` (a piece of each side's wording): the report
//! then counts whether the change report shows it.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context};
use clap::Args;
use rayon::prelude::*;
use retold_core::align::AlignConfig;
use retold_core::article::Article;
use retold_core::changes::cross::cross_language_changes;
use retold_core::eval::reuse::{
    cross_score, score, CrossOutcome, CrossScore, Outcome, ReuseClass, ReuseScore,
};
use retold_core::features::embed::{self, Embedder};
use retold_core::ingest::{read_all, IngestOptions};
use retold_core::relate::model::{feature, Model, FEATURES};
use retold_core::relate::translated::{across_languages, compare_across};
use retold_core::relate::{compare_with, Comparison, Degree, Relation, Side};
use retold_core::story::{Engine, EngineConfig, Role};
use serde::{Deserialize, Serialize};

use crate::cli::OutputFormat;

#[derive(Debug, Args)]
pub struct EvalReuseArgs {
    /// A directory with `articles.jsonl` and `pairs.jsonl`.
    pub dir: PathBuf,
    /// Keep the articles' dates (hidden by default).
    #[arg(long)]
    pub with_dates: bool,
    /// Hide the articles' source names and URLs too, so that direction
    /// rests on the texts alone (datelines, bylines, credit lines).
    #[arg(long)]
    pub hide_sources: bool,
    /// Use this model (JSON, as written by `scripts/fit-verdict.py`), for
    /// the pair verdicts and the corpus run.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Write every pair's features and label here (JSON Lines), input of
    /// `scripts/fit-verdict.py`; `--set` names the set in it.
    #[arg(long)]
    pub features: Option<PathBuf>,
    /// The set name written with `--features` (default: DIR's name).
    #[arg(long)]
    pub set: Option<String>,
    /// Also run `analyze` over all the articles together and count, per
    /// gold-derived article, whether its source is its parent or an
    /// ancestor, and per non-derived one whether it is kept apart.
    #[arg(long)]
    pub corpus: bool,
    /// Score only the pairs whose `pair_type` is this (for example
    /// `agency-newspaper`, leaving out `agency-update`: one agency take
    /// against its next). Every article is still read, and the corpus run
    /// still places them all.
    #[arg(long)]
    pub pair_type: Option<String>,
    /// Run the corpus run over this many input orders of the articles:
    /// the file's, then shuffles seeded 1, 2, … (a batch is placed in
    /// publication order, undated articles longest first, so the figures
    /// should not move: this checks it). The figures of each order, and
    /// their least, mean and most. Needs `--corpus`.
    #[arg(long, default_value_t = 1, requires = "corpus")]
    pub orders: usize,
    /// With `--corpus`: list each derived article whose source is not its
    /// parent or an ancestor, and each non-derived one that descends from
    /// the other text, with where the run placed it (its parent chain and
    /// relation, or that it is a report of the story, or in another one).
    #[arg(long, requires = "corpus")]
    pub explain: bool,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: OutputFormat,
}

#[derive(Debug, Deserialize)]
struct PairLine {
    a: serde_json::Value,
    b: serde_json::Value,
    label: String,
    /// The kind of pair (`agency-newspaper`, `agency-update`, …), read by
    /// `--pair-type`.
    #[serde(default)]
    pair_type: Option<String>,
    /// What was altered in translation, if anything.
    #[serde(default)]
    altered: Option<Altered>,
}

/// One figure or name altered in translation: a piece of the source's
/// wording and of the translation's (as the change report quotes them).
#[derive(Debug, Clone, Deserialize)]
struct Altered {
    source: String,
    translation: String,
}

/// What the corpus run found.
#[derive(Debug, Default, Clone, Serialize)]
struct CorpusRun {
    derived: usize,
    /// Gold-derived articles whose source is their parent or an ancestor.
    source_found: usize,
    /// ... or whose parent or an ancestor is a duplicate of the source
    /// (the same text; an agency that sent one story twice, each copy
    /// labelled with another newspaper), counted with `source_found`.
    source_or_duplicate_found: usize,
    /// ... or at least in the same story.
    same_story: usize,
    non_derived: usize,
    /// Non-derived articles that do not descend from the other text.
    kept_apart: usize,
    /// With `--explain`: each pair the run got wrong, and where it placed
    /// the article.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    misses: Vec<CorpusMiss>,
}

/// A labelled pair the corpus run got wrong ([`CorpusRun::misses`]).
#[derive(Debug, Clone, Serialize)]
struct CorpusMiss {
    /// The newspaper (or later) text, its label, and the text it is
    /// labelled against.
    article: String,
    label: &'static str,
    against: String,
    /// Its parent, the parent's parent, … (empty: a report of its story).
    chain: Vec<String>,
    /// Its relation to its parent, or `same_story` for a report.
    relation: Option<Relation>,
    /// Whether it is in the story of the text it is labelled against.
    same_story: bool,
}

#[derive(Debug, Serialize)]
struct Report {
    dir: String,
    model: String,
    dates: bool,
    sources: bool,
    #[serde(flatten)]
    score: ReuseScore,
    #[serde(skip_serializing_if = "Option::is_none")]
    corpus: Option<CorpusRun>,
    /// With `--orders`: the corpus run in each input order (the first is
    /// the file's, the one `corpus` shows).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    orders: Vec<CorpusRun>,
    /// Pairs in two languages: whether the cross-language verdict ran
    /// (the multilingual model), why not, and its figures.
    #[serde(skip_serializing_if = "Option::is_none")]
    cross_language: Option<CrossReport>,
}

#[derive(Debug, Serialize)]
struct CrossReport {
    on: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    off: Option<String>,
    #[serde(flatten)]
    score: CrossScore,
}

fn id_of(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn eval_reuse(args: EvalReuseArgs) -> anyhow::Result<ExitCode> {
    let articles_path = args.dir.join("articles.jsonl");
    let pairs_path = args.dir.join("pairs.jsonl");
    let batch = read_all(
        std::slice::from_ref(&articles_path),
        &IngestOptions::default(),
        &|_| {},
    )
    .map_err(|e| anyhow!("{}: {e}", articles_path.display()))?;
    for e in &batch.skipped {
        eprintln!("warning: skipped {e}");
    }
    let mut articles: Vec<Article> = batch.articles;
    if !args.with_dates {
        for a in &mut articles {
            a.published = None;
            a.published_raw = None;
        }
    }
    if args.hide_sources {
        for a in &mut articles {
            a.source = None;
            a.url = None;
        }
    }
    let by_id: HashMap<&str, &Article> = articles.iter().map(|a| (a.id.as_str(), a)).collect();
    let path = pairs_path.display().to_string();
    let file = std::fs::File::open(&pairs_path).with_context(|| format!("opening {path}"))?;
    let mut pairs: Vec<(ReuseClass, &Article, &Article)> = Vec::new();
    let mut altered: Vec<Option<Altered>> = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let n = i + 1;
        let line = line.with_context(|| format!("{path}:{n}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let p: PairLine = match serde_json::from_str(&line) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("warning: {path}:{n}: skipped: {e}");
                continue;
            }
        };
        if args
            .pair_type
            .as_ref()
            .is_some_and(|t| p.pair_type.as_ref() != Some(t))
        {
            continue;
        }
        let Some(class) = ReuseClass::from_label(&p.label) else {
            eprintln!("warning: {path}:{n}: skipped: unknown label {:?}", p.label);
            continue;
        };
        let (a, b) = (id_of(&p.a), id_of(&p.b));
        match (by_id.get(a.as_str()), by_id.get(b.as_str())) {
            (Some(x), Some(y)) => {
                pairs.push((class, x, y));
                altered.push(p.altered);
            }
            _ => eprintln!("warning: {path}:{n}: skipped: article {a} or {b} not found"),
        }
    }
    if pairs.is_empty() {
        match &args.pair_type {
            Some(t) => bail!("{path}: no pairs of type {t:?}"),
            None => bail!("{path}: no pairs"),
        }
    }
    let (model, model_name) = super::load_model(args.model.as_deref())?;
    let config = AlignConfig::default();
    // Pairs in two languages get the engine's cross-language verdict when
    // the multilingual model is there (looked for only then).
    let crossing = pairs.iter().any(|(_, s, o)| across_languages(o, s));
    let (embedder, off): (Option<std::sync::Arc<dyn Embedder>>, Option<String>) = if crossing {
        match embed::detect() {
            Ok(e) => (Some(e), None),
            Err(e) => {
                let why = format!("cross-lingual matching is off ({e})");
                eprintln!(
                    "retold: {why}: the pairs in two languages get the lexical verdict, which does not see a translation"
                );
                (None, Some(why))
            }
        }
    } else {
        (None, None)
    };
    // Side A is the text labelled (possibly) derived, side B its source.
    let compared: Vec<(ReuseClass, Comparison, bool)> = pairs
        .par_iter()
        .map(|(class, source, other)| {
            let across = across_languages(other, source);
            let c = match (&embedder, across) {
                (Some(e), true) => compare_across(other, source, &model, &**e).unwrap_or_else(
                    |err| {
                        eprintln!(
                            "warning: {} / {}: the multilingual model failed ({err}): lexical verdict",
                            source.id, other.id
                        );
                        compare_with(other, source, &config, &model)
                    },
                ),
                _ => compare_with(other, source, &config, &model),
            };
            (*class, c, across)
        })
        .collect();
    let cross_language = crossing.then(|| {
        let outcomes: Vec<CrossOutcome> = compared
            .iter()
            .zip(&pairs)
            .zip(&altered)
            .filter(|((c, _), _)| c.2)
            .map(|(((gold, c, _), (_, source, other)), alt)| {
                let translated = c.verdict.relation == Relation::Translated;
                let changes = if translated {
                    cross_language_changes(&c.a, &c.b, &c.alignment)
                } else {
                    Vec::new()
                };
                let shows = |a: &Altered| {
                    changes.iter().any(|ch| {
                        let has = |x: &Option<retold_core::changes::Excerpt>, w: &str| {
                            x.as_ref()
                                .is_some_and(|e| e.text.contains(w) || w.contains(&e.text))
                        };
                        has(&ch.parent, &a.source) && has(&ch.child, &a.translation)
                    })
                };
                CrossOutcome {
                    languages: format!(
                        "{}→{}",
                        source.language.as_deref().unwrap_or("?"),
                        other.language.as_deref().unwrap_or("?")
                    ),
                    gold: *gold,
                    translated,
                    derived: c.verdict.relation.is_derived(),
                    altered_caught: alt.as_ref().map(shows),
                    changes: changes.len(),
                }
            })
            .collect();
        CrossReport {
            on: embedder.is_some(),
            off: off.clone(),
            score: cross_score(&outcomes),
        }
    });
    let verdicts: Vec<_> = compared
        .into_iter()
        .map(|(g, c, _)| (g, c.verdict))
        .collect();
    let outcomes: Vec<Outcome> = verdicts
        .iter()
        .map(|(gold, v)| Outcome {
            gold: *gold,
            predicted: match (v.relation.is_derived(), v.degree) {
                (false, _) => ReuseClass::Non,
                (true, Some(Degree::Partially)) => ReuseClass::Partially,
                (true, _) => ReuseClass::Wholly,
            },
            direction: v.direction.map(|d| d.source == Side::B),
        })
        .collect();
    if let Some(out) = &args.features {
        let set = args.set.clone().unwrap_or_else(|| {
            args.dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "reuse".into())
        });
        let mut w = std::io::BufWriter::new(
            std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?,
        );
        for (gold, v) in &verdicts {
            let values: BTreeMap<&str, f64> = FEATURES
                .iter()
                .filter_map(|&n| feature(&v.features, n).map(|x| (n, x)))
                .collect();
            let label = match gold {
                ReuseClass::Wholly => "wholly_derived",
                ReuseClass::Partially => "partially_derived",
                ReuseClass::Non => "non_derived",
            };
            let row = serde_json::json!({
                "set": set, "label": label, "predicted": v.relation,
                "degree": v.degree, "direction": v.direction,
                "direction_evidence": v.direction_evidence, "features": values, "raw": v.features,
            });
            writeln!(w, "{row}").with_context(|| format!("writing {}", out.display()))?;
        }
        w.flush()?;
    }
    let orders: Vec<CorpusRun> = if args.corpus && args.orders > 1 {
        (0..args.orders as u64)
            .map(|seed| {
                let mut shuffled = articles.clone();
                if seed > 0 {
                    fastrand::Rng::with_seed(seed).shuffle(&mut shuffled);
                }
                corpus_run(&shuffled, &pairs, &model, args.explain && seed == 0)
            })
            .collect()
    } else {
        Vec::new()
    };
    let corpus = args.corpus.then(|| match orders.first() {
        Some(first) => first.clone(),
        None => corpus_run(&articles, &pairs, &model, args.explain),
    });
    let report = Report {
        dir: args.dir.display().to_string(),
        model: model_name,
        dates: args.with_dates,
        sources: !args.hide_sources,
        score: score(&outcomes),
        corpus,
        orders,
        cross_language,
    };
    match args.format {
        OutputFormat::Json => outln!("{}", serde_json::to_string_pretty(&report)?),
        OutputFormat::Text => print_text(&report)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs the engine, with the verdict's `model`, over every article and
/// checks each labelled pair's place in the trees (and, with `explain`,
/// lists the misses).
fn corpus_run(
    articles: &[Article],
    pairs: &[(ReuseClass, &Article, &Article)],
    model: &Model,
    explain: bool,
) -> CorpusRun {
    let mut engine = Engine::new(EngineConfig {
        model: model.clone(),
        ..EngineConfig::default()
    });
    engine.add_all(articles.to_vec(), &|_| {});
    let stories = engine.stories();
    let mut parent: HashMap<String, String> = HashMap::new();
    let mut story: HashMap<String, String> = HashMap::new();
    // Each duplicate's nearest ancestor that is not a duplicate of its
    // parent: texts with the same representative are one text.
    let mut duplicate_of: HashMap<String, String> = HashMap::new();
    let mut relation: HashMap<String, Option<Relation>> = HashMap::new();
    for s in &stories {
        for m in &s.members {
            story.insert(m.article.clone(), s.id.clone());
            relation.insert(m.article.clone(), m.relation);
            if m.role == Role::Derived {
                if let Some(p) = &m.parent {
                    parent.insert(m.article.clone(), p.clone());
                    if m.relation == Some(Relation::Duplicate) {
                        duplicate_of.insert(m.article.clone(), p.clone());
                    }
                }
            }
        }
    }
    let representative = |id: &str| -> String {
        let mut at = id;
        for _ in 0..duplicate_of.len() + 1 {
            match duplicate_of.get(at) {
                Some(p) => at = p,
                None => break,
            }
        }
        at.to_string()
    };
    // Its parent, the parent's parent, … (bounded: a cycle cannot hang it).
    let ancestors = |child: &str| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut at = child;
        while let Some(p) = parent.get(at) {
            if out.len() > parent.len() {
                break;
            }
            out.push(p.clone());
            at = p;
        }
        out
    };
    let mut run = CorpusRun::default();
    for (class, source, other) in pairs {
        let chain = ancestors(&other.id);
        let below = chain.contains(&source.id);
        let same_story = story.get(&other.id) == story.get(&source.id);
        if class.is_derived() {
            run.derived += 1;
            run.source_found += usize::from(below);
            let text = representative(&source.id);
            let via_duplicate = chain.iter().any(|p| representative(p) == text);
            run.source_or_duplicate_found += usize::from(below || via_duplicate);
            run.same_story += usize::from(same_story);
        } else {
            run.non_derived += 1;
            run.kept_apart += usize::from(!below);
        }
        // A miss: a derived text not below its source, a non-derived one
        // below the text it is labelled against.
        if explain && below != class.is_derived() {
            run.misses.push(CorpusMiss {
                article: other.id.clone(),
                label: class.name(),
                against: source.id.clone(),
                chain,
                relation: relation.get(&other.id).copied().flatten(),
                same_story,
            });
        }
    }
    run
}

fn print_text(r: &Report) -> std::io::Result<()> {
    let s = &r.score;
    outln!(
        "{} ({} model, dates {}{}): {} pairs",
        r.dir,
        r.model,
        if r.dates { "kept" } else { "hidden" },
        if r.sources { "" } else { ", sources hidden" },
        s.pairs
    );
    outln!(
        "derived vs not: P {:.3} R {:.3} F1 {:.3}",
        s.binary.precision,
        s.binary.recall,
        s.binary.f1
    );
    outln!("ternary macro F1 {:.3}", s.ternary_macro_f1);
    for (c, p) in &s.classes {
        outln!(
            "  {:<9} P {:.3} R {:.3} F1 {:.3} ({} pairs)",
            c.name(),
            p.precision,
            p.recall,
            p.f1,
            p.support
        );
    }
    outln!("confusion (rows gold, columns predicted: wholly partially non)");
    for c in ReuseClass::ALL {
        let row = &s.confusion[ReuseClass::ALL.iter().position(|&x| x == c).unwrap_or(0)];
        outln!(
            "  {:<9} {:>7} {:>9} {:>5}",
            c.name(),
            row[0],
            row[1],
            row[2]
        );
    }
    let d = &s.direction;
    outln!(
        "direction on derived pairs found: {} of {} right ({:.3}), {} decided",
        d.right,
        d.derived_found,
        d.accuracy,
        d.decided
    );
    if let Some(x) = &r.cross_language {
        print_cross(x)?;
    }
    if let Some(c) = &r.corpus {
        let pct = |x: usize, n: usize| 100.0 * x as f64 / n.max(1) as f64;
        outln!(
            "corpus run: source is parent or ancestor for {} of {} derived ({:.1}%; {} counting a duplicate of the source, {:.1}%), same story {} ({:.1}%); non-derived kept apart {} of {} ({:.1}%)",
            c.source_found,
            c.derived,
            pct(c.source_found, c.derived),
            c.source_or_duplicate_found,
            pct(c.source_or_duplicate_found, c.derived),
            c.same_story,
            pct(c.same_story, c.derived),
            c.kept_apart,
            c.non_derived,
            pct(c.kept_apart, c.non_derived)
        );
    }
    if let Some(c) = r.corpus.as_ref().filter(|c| !c.misses.is_empty()) {
        outln!("corpus run, what it got wrong (--explain):");
        for m in &c.misses {
            let relation = m.relation.map_or("no relation", |r| r.name());
            let placed = match (m.chain.as_slice(), m.same_story) {
                ([], true) if m.relation.is_none() => "the story's origin".to_string(),
                ([], true) => format!("a report of the story ({relation})"),
                ([], false) => "a report of another story".to_string(),
                (chain, _) => format!("below {} ({relation})", chain.join(" ← ")),
            };
            if m.label == ReuseClass::Non.name() {
                outln!(
                    "  non-derived {} joined under {}: {placed}",
                    m.article,
                    m.against
                );
            } else {
                let story = if m.same_story {
                    ""
                } else {
                    ", in another story"
                };
                outln!(
                    "  {} {} missed its source {}: {placed}{story}",
                    m.label,
                    m.article,
                    m.against
                );
            }
        }
    }
    if r.orders.len() > 1 {
        let spread = |f: &dyn Fn(&CorpusRun) -> usize| {
            let v: Vec<usize> = r.orders.iter().map(f).collect();
            let mean = v.iter().sum::<usize>() as f64 / v.len() as f64;
            let list = v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
            format!(
                "{} (least {}, mean {:.1}, most {})",
                list.join(" "),
                v.iter().min().copied().unwrap_or(0),
                mean,
                v.iter().max().copied().unwrap_or(0)
            )
        };
        outln!(
            "input orders ({}; the file's first): source found {}; kept apart {}",
            r.orders.len(),
            spread(&|c| c.source_found),
            spread(&|c| c.kept_apart)
        );
    }
    Ok(())
}

fn print_cross(x: &CrossReport) -> std::io::Result<()> {
    let s = &x.score;
    match &x.off {
        Some(why) => outln!(
            "pairs in two languages: {} ({why}; their verdicts are the lexical ones)",
            s.all.derived + s.all.non
        ),
        None => outln!(
            "pairs in two languages: {} (cross-language verdict, multilingual model)",
            s.all.derived + s.all.non
        ),
    }
    outln!(
        "  languages  derived called translated (full translations)  non-derived called derived"
    );
    for row in std::iter::once(&s.all).chain(&s.by_languages) {
        outln!(
            "  {:<9} {:>3} of {:<3} ({:>3} of {:<3})  {:>3} of {:<3}",
            row.languages,
            row.translated,
            row.derived,
            row.wholly_translated,
            row.wholly,
            row.non_called_derived,
            row.non
        );
    }
    if s.altered > 0 {
        outln!(
            "  altered in translation: {} of {} shown by the change report",
            s.altered_caught,
            s.altered
        );
    }
    if s.translated_without_alteration > 0 {
        outln!(
            "  changes listed on {} full translations with nothing altered: {}",
            s.translated_without_alteration,
            s.changes_without_alteration
        );
    }
    Ok(())
}
