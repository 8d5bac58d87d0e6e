//! `retold eval`: quality against labelled data.

use std::collections::{BTreeMap, HashMap};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Context};
use clap::{Args, Subcommand};
use rayon::prelude::*;
use retold_core::features::sketch::{jaccard_sorted, SketchKind, Sketcher};
use retold_core::index::lsh::LshIndex;
use retold_core::ingest::{collect_inputs, stream_inputs, IngestOptions};
use serde::Serialize;

use super::dedup::{SimilarityArgs, CHUNK};
use super::OutputFormat;

mod corpus;
mod explain;
mod pairs;
mod reuse;
mod stories;
mod verdict;

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(subcommand)]
    pub what: EvalCommand,
}

#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Candidate and cluster recall of `dedup` on a `retold synth` corpus
    /// (gold fields `story`, `derivation`, `parent`), per derivation type and
    /// per band of exact Jaccard.
    Dedup(EvalDedupArgs),
    /// Text alignment on a PAN corpus (`pairs`, `src/`, `susp/`, one folder
    /// of gold XML per obfuscation type): character precision, recall,
    /// granularity and PlagDet, overall and per folder.
    #[command(
        after_help = "Examples:\n  retold eval pan ../shared/data/pan13-text-alignment-train\n  retold eval pan --folder 04-translation-obfuscation --out detections/ --format json DIR"
    )]
    Pan(pan::EvalPanArgs),
    /// The pair verdict on labelled pairs (JSON Lines with `set`, `label`,
    /// `a`, `b`): agreement and confusion per set; `--features` writes the
    /// input of `scripts/fit-verdict.py`.
    #[command(
        after_help = "Examples:\n  python3 scripts/verdict-pairs.py ../shared/data target/verdict/pairs.jsonl\n  retold eval verdict target/verdict/pairs.jsonl --features target/verdict/features.jsonl"
    )]
    Verdict(verdict::EvalVerdictArgs),
    /// Story clustering against a gold `story` field: BCubed and pairwise
    /// precision, recall and F1 (`--sweep` over join thresholds).
    #[command(
        after_help = "Examples:\n  python3 scripts/convert-basil.py ../shared/data/basil-2010-2014 target/stories/basil.jsonl\n  retold eval stories target/stories/basil.jsonl\n  retold eval stories --sweep target/stories/ecbplus.jsonl"
    )]
    Stories(stories::EvalStoriesArgs),
    /// Stories, roles, parents and relations against a directory's
    /// `gold.json` (the example corpus's format).
    #[command(after_help = "Example:\n  retold eval corpus examples/corpus")]
    Corpus(corpus::EvalCorpusArgs),
    /// Newsroom reuse against journalists' labels (a directory with
    /// `articles.jsonl` and `pairs.jsonl`, labels wholly / partially / non
    /// derived): binary and ternary F1, confusion, direction; dates hidden
    /// unless `--with-dates`.
    #[command(
        after_help = "Examples:\n  retold eval reuse ../shared/data/counter-urdu-news-reuse\n  retold eval reuse --corpus --format json DIR\n  retold eval reuse DIR --features target/verdict/counter.jsonl --set counter"
    )]
    Reuse(reuse::EvalReuseArgs),
    /// retold's relatedness against graded pairs (SemEval-2022 task 8
    /// layout: `pair_id`, `lang1`, `lang2`, `text1`, `text2`, `Overall`):
    /// Pearson and Spearman overall, same- and cross-language, per
    /// language pair.
    #[command(
        after_help = "Examples:\n  retold eval pairs ../shared/data/semeval2022-task8-sample-train/training_set.csv\n  retold eval pairs --json --scores target/pairs.jsonl FILE.csv"
    )]
    Pairs(pairs::EvalPairsArgs),
}

#[derive(Debug, Args)]
pub struct EvalDedupArgs {
    /// JSON Lines corpus written by `retold synth`.
    pub corpus: PathBuf,
    #[command(flatten)]
    pub similarity: SimilarityArgs,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// The model at `path` (JSON, as `scripts/fit-verdict.py` writes it), or
/// the built-in one; with the name to print.
fn load_model(
    path: Option<&std::path::Path>,
) -> anyhow::Result<(retold_core::relate::Model, String)> {
    match path {
        Some(m) => {
            let text =
                std::fs::read_to_string(m).with_context(|| format!("reading {}", m.display()))?;
            let model = serde_json::from_str(&text)
                .with_context(|| format!("{}: not a model", m.display()))?;
            Ok((model, m.display().to_string()))
        }
        None => Ok((retold_core::relate::Model::builtin(), "built-in".into())),
    }
}

pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    match args.what {
        EvalCommand::Dedup(a) => eval_dedup(a),
        EvalCommand::Pan(a) => pan::eval_pan(a),
        EvalCommand::Verdict(a) => verdict::eval_verdict(a),
        EvalCommand::Stories(a) => stories::eval_stories(a),
        EvalCommand::Corpus(a) => corpus::eval_corpus(a),
        EvalCommand::Reuse(a) => reuse::eval_reuse(a),
        EvalCommand::Pairs(a) => pairs::eval_pairs(a),
    }
}

/// One article as the evaluation needs it.
struct Doc {
    id: String,
    story: String,
    derivation: String,
    parent: Option<String>,
    set: Vec<u64>,
}

#[derive(Debug, Default, Serialize)]
struct Row {
    pairs: usize,
    mean_exact_jaccard: f64,
    candidate_recall: f64,
    cluster_recall: f64,
}

#[derive(Debug, Serialize)]
struct DedupReport {
    corpus: String,
    articles: usize,
    sketch: &'static str,
    threshold: f64,
    num_perm: usize,
    bands: usize,
    rows: usize,
    /// Gold pairs (derived, parent) whose exact Jaccard is at least the threshold.
    above_threshold: Row,
    by_derivation: BTreeMap<String, Row>,
    by_exact_jaccard: BTreeMap<String, Row>,
    cluster_pairwise_precision: Option<f64>,
}

fn eval_dedup(args: EvalDedupArgs) -> anyhow::Result<ExitCode> {
    let content = args.similarity.kind() == SketchKind::Content;
    let sketch_config = args.similarity.sketch_config();
    let config = args.similarity.dedup_config()?;
    let params = config.lsh_params();
    let options = IngestOptions {
        skip_language_detection: true,
        ..Default::default()
    };
    let (inputs, errors) = collect_inputs(std::slice::from_ref(&args.corpus));
    if let Some(e) = errors.first() {
        return Err(anyhow!("{e}"));
    }
    let mut docs: Vec<Doc> = Vec::new();
    let mut band_hashes: Vec<Vec<u64>> = Vec::new();
    let mut sigs = Vec::new();
    stream_inputs(&inputs, &options, CHUNK, &mut |chunk| {
        let done: Vec<_> = chunk
            .into_par_iter()
            .filter_map(Result::ok)
            .map_init(
                || Sketcher::new(sketch_config),
                |s, a| {
                    let sk = s.sketch(&a.text, None);
                    let sig = if content { sk.content } else { sk.shingle };
                    let (shingles, words) = s.sets(&a.text, None);
                    let field = |k: &str| {
                        a.metadata
                            .get(k)
                            .and_then(|v| v.as_str())
                            .map(str::to_string)
                    };
                    let doc = Doc {
                        story: field("story").unwrap_or_else(|| a.id.clone()),
                        derivation: field("derivation").unwrap_or_default(),
                        parent: field("parent"),
                        id: a.id,
                        set: if content { words } else { shingles },
                    };
                    (doc, sig)
                },
            )
            .collect();
        for (doc, sig) in done {
            band_hashes.push(if sig.is_empty() {
                Vec::new()
            } else {
                params.band_hashes(&sig)
            });
            sigs.push(sig);
            docs.push(doc);
        }
        ControlFlow::Continue(())
    })
    .map_err(|e| anyhow!("{e}"))?;

    // Replay the streaming dedup, remembering each document's candidates.
    let mut index = LshIndex::new(params);
    let mut deduper = retold_core::dedup::Deduper::new(config);
    let mut candidates: Vec<Vec<u32>> = Vec::with_capacity(docs.len());
    for (hashes, sig) in band_hashes.iter().zip(sigs) {
        candidates.push(index.query_hashes(hashes));
        index.insert_hashes(hashes);
        deduper.add(sig);
    }
    let clusters = deduper.clusters();
    let number: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();

    #[derive(Default)]
    struct Acc {
        n: usize,
        j: f64,
        cand: usize,
        clus: usize,
    }
    let mut by_kind: BTreeMap<String, Acc> = BTreeMap::new();
    let mut by_band: BTreeMap<String, Acc> = BTreeMap::new();
    let mut above = Acc::default();
    for (i, d) in docs.iter().enumerate() {
        let Some(p) = d.parent.as_deref().and_then(|p| number.get(p)).copied() else {
            continue;
        };
        let j = jaccard_sorted(&d.set, &docs[p].set);
        let cand = candidates[i].binary_search(&(p as u32)).is_ok();
        let clus = clusters[i] == clusters[p];
        let band = format!(
            "{:.1}-{:.1}",
            (j * 10.0).floor() / 10.0,
            ((j * 10.0).floor() + 1.0) / 10.0
        );
        let mut targets = vec![
            by_kind.entry(d.derivation.clone()).or_default(),
            by_band.entry(band).or_default(),
        ];
        if j >= config.threshold {
            targets.push(&mut above);
        }
        for acc in targets {
            acc.n += 1;
            acc.j += j;
            acc.cand += usize::from(cand);
            acc.clus += usize::from(clus);
        }
    }
    let row = |a: &Acc| Row {
        pairs: a.n,
        mean_exact_jaccard: a.j / a.n.max(1) as f64,
        candidate_recall: a.cand as f64 / a.n.max(1) as f64,
        cluster_recall: a.clus as f64 / a.n.max(1) as f64,
    };
    let mut members: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, &c) in clusters.iter().enumerate() {
        members.entry(c).or_default().push(i);
    }
    let (mut pairs, mut good) = (0u64, 0u64);
    for m in members.values() {
        for (x, &a) in m.iter().enumerate() {
            for &b in &m[x + 1..] {
                pairs += 1;
                good += u64::from(docs[a].story == docs[b].story);
            }
        }
    }
    let report = DedupReport {
        corpus: args.corpus.display().to_string(),
        articles: docs.len(),
        sketch: if content { "content" } else { "shingle" },
        threshold: config.threshold,
        num_perm: sketch_config.num_perm,
        bands: params.bands,
        rows: params.rows,
        above_threshold: row(&above),
        by_derivation: by_kind.iter().map(|(k, a)| (k.clone(), row(a))).collect(),
        by_exact_jaccard: by_band.iter().map(|(k, a)| (k.clone(), row(a))).collect(),
        cluster_pairwise_precision: (pairs > 0).then(|| good as f64 / pairs as f64),
    };
    match args.format {
        OutputFormat::Json => {
            outln!("{}", serde_json::to_string_pretty(&report).context("JSON")?)
        }
        OutputFormat::Text => print_report(&report)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(r: &DedupReport) -> std::io::Result<()> {
    outln!(
        "{} articles, {} sketch, threshold {}, {} perms as {} bands x {} rows",
        r.articles,
        r.sketch,
        r.threshold,
        r.num_perm,
        r.bands,
        r.rows
    );
    let line = |name: &str, row: &Row| -> std::io::Result<()> {
        outln!(
            "  {:<22} {:>7} {:>10.3} {:>10.4} {:>10.4}",
            name,
            row.pairs,
            row.mean_exact_jaccard,
            row.candidate_recall,
            row.cluster_recall
        );
        Ok(())
    };
    outln!(
        "  {:<22} {:>7} {:>10} {:>10} {:>10}",
        "gold pairs",
        "pairs",
        "exact J",
        "cand.rec",
        "clus.rec"
    );
    line(&format!("J >= {}", r.threshold), &r.above_threshold)?;
    for (k, row) in &r.by_derivation {
        line(k, row)?;
    }
    for (k, row) in &r.by_exact_jaccard {
        line(&format!("J {k}"), row)?;
    }
    match r.cluster_pairwise_precision {
        Some(p) => outln!("  cluster pairwise precision {p:.4}"),
        None => outln!("  no clusters with two or more members"),
    }
    Ok(())
}

/// `retold eval pan`: PAN text alignment.
mod pan {
    use std::path::PathBuf;
    use std::process::ExitCode;

    use anyhow::{anyhow, Context};
    use clap::Args;
    use retold_core::eval::pan::{evaluate, PanConfig, PanCorpus, PanReport};
    use retold_core::eval::plagdet::PlagDetScore;

    use super::super::progress::count_bar;
    use super::super::OutputFormat;

    #[derive(Debug, Args)]
    pub struct EvalPanArgs {
        /// Corpus directory (holds `src/`, `susp/` and the gold folders).
        pub dir: PathBuf,
        /// Write each pair's detections as PAN XML into this directory.
        #[arg(long, value_name = "DIR")]
        pub out: Option<PathBuf>,
        /// Only these obfuscation folders (repeatable).
        #[arg(long, value_name = "NAME")]
        pub folder: Vec<String>,
        /// Least sentence similarity of an aligned pair.
        #[arg(long)]
        pub threshold: Option<f32>,
        /// Sentences bridged inside a passage.
        #[arg(long)]
        pub gap: Option<usize>,
        /// Least aligned characters on each side of a detection.
        #[arg(long)]
        pub min_chars: Option<usize>,
        /// Detection settings as JSON (fields of `PanConfig`; missing ones
        /// keep their defaults), applied before the flags above.
        #[arg(long, value_name = "FILE")]
        pub config: Option<PathBuf>,
        #[arg(long, short = 'f', value_enum, default_value = "text")]
        pub format: OutputFormat,
        /// No progress bar.
        #[arg(long, short)]
        pub quiet: bool,
    }

    pub fn eval_pan(args: EvalPanArgs) -> anyhow::Result<ExitCode> {
        let mut corpus = PanCorpus::open(&args.dir)?;
        if !args.folder.is_empty() {
            let unknown: Vec<&String> = args
                .folder
                .iter()
                .filter(|f| !corpus.folders.contains(f))
                .collect();
            if !unknown.is_empty() {
                return Err(anyhow!(
                    "no folder {unknown:?} in {} (it has {:?})",
                    args.dir.display(),
                    corpus.folders
                ));
            }
            corpus.folders.retain(|f| args.folder.contains(f));
            corpus.pairs.retain(|p| args.folder.contains(&p.folder));
        }
        let mut config = match &args.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading {}", path.display()))?;
                serde_json::from_str::<PanConfig>(&text)
                    .with_context(|| format!("{}: not a PAN config", path.display()))?
            }
            None => PanConfig::default(),
        };
        if let Some(t) = args.threshold {
            config.align.threshold = t;
        }
        if let Some(g) = args.gap {
            config.align.passage.gap = g;
        }
        if let Some(c) = args.min_chars {
            config.align.passage.min_chars = c;
        }
        let bar = count_bar("pairs", args.quiet);
        let report = evaluate(&corpus, &config, args.out.as_deref(), &|| bar.inc(1))?;
        bar.finish_and_clear();
        match args.format {
            OutputFormat::Json => {
                outln!("{}", serde_json::to_string_pretty(&report).context("JSON")?)
            }
            OutputFormat::Text => print_report(&report)?,
        }
        Ok(ExitCode::SUCCESS)
    }

    fn print_report(r: &PanReport) -> std::io::Result<()> {
        outln!(
            "{}: {} pairs in {:.1} s on {} threads",
            r.corpus,
            r.pairs,
            r.seconds,
            r.threads
        );
        outln!(
            "  thread time: text analysis {:.1} s, alignment {:.1} s for {} sentence pairs ({:.0} ns per sentence pair)",
            r.analyze_seconds, r.align_seconds, r.sentence_pairs, r.align_ns_per_sentence_pair
        );
        outln!(
            "  {:<28} {:>6} {:>6} {:>6} {:>8} {:>8} {:>8} {:>8}",
            "folder",
            "pairs",
            "cases",
            "dets",
            "prec",
            "recall",
            "gran",
            "plagdet"
        );
        let row = |name: &str, pairs: usize, s: &PlagDetScore| -> std::io::Result<()> {
            outln!(
                "  {:<28} {:>6} {:>6} {:>6} {:>8.4} {:>8.4} {:>8.4} {:>8.4}",
                name,
                pairs,
                s.cases,
                s.detections,
                s.precision,
                s.recall,
                s.granularity,
                s.plagdet
            );
            Ok(())
        };
        for f in &r.folders {
            match (&f.score, f.false_positive_rate) {
                (Some(s), _) => row(&f.folder, f.pairs, s)?,
                (None, fp) => outln!(
                    "  {:<28} {:>6} {:>6} {:>6}   no cases; pairs with a detection: {} ({:.2}%)",
                    f.folder,
                    f.pairs,
                    0,
                    f.counts.detections,
                    f.pairs_with_detections,
                    100.0 * fp.unwrap_or(0.0)
                ),
            }
        }
        row("overall", r.pairs, &r.overall)
    }
}
