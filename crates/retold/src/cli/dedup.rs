//! `retold dedup`: classic near-duplicate clustering of a corpus.

use std::io::Write;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use retold_core::article::Article;
use retold_core::dedup::{DedupConfig, Deduper};
use retold_core::features::sketch::{SketchConfig, SketchKind, Sketcher};
use retold_core::ingest::{collect_inputs, stream_inputs, IngestOptions, Input};
use serde::Serialize;

use super::{progress, InputArgs, EXIT_BAD_INPUT, EXIT_FAILURE};

#[derive(Debug, Args)]
pub struct DedupArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub similarity: SimilarityArgs,

    /// Write the deduplicated corpus (JSON Lines) to -o, keeping one article per cluster.
    #[arg(long, value_enum, requires = "output")]
    pub keep: Option<Keep>,

    /// Output file (default: stdout).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// How articles are compared (shared by `dedup` and `eval dedup`).
#[derive(Debug, Args)]
pub struct SimilarityArgs {
    /// Jaccard similarity at which two articles are duplicates.
    #[arg(long, default_value_t = 0.8)]
    pub threshold: f64,

    /// The set compared: word 5-shingles (classic), or content words and
    /// numbers (also catches rewrites and spun copies; use a lower threshold,
    /// e.g. 0.4).
    #[arg(long, value_enum, default_value = "shingle")]
    pub sketch: SketchArg,

    /// MinHash values per signature.
    #[arg(long, default_value_t = 128)]
    pub num_perm: usize,

    /// Words per shingle.
    #[arg(long, default_value_t = 5)]
    pub shingle: usize,
}

impl SimilarityArgs {
    pub fn kind(&self) -> SketchKind {
        match self.sketch {
            SketchArg::Shingle => SketchKind::Shingle,
            SketchArg::Content => SketchKind::Content,
        }
    }

    pub fn sketch_config(&self) -> SketchConfig {
        SketchConfig {
            num_perm: self.num_perm.max(1),
            shingle: self.shingle.max(1),
            ..Default::default()
        }
    }

    /// The dedup settings; refuses a threshold outside 0..=1.
    pub fn dedup_config(&self) -> anyhow::Result<DedupConfig> {
        if !(0.0..=1.0).contains(&self.threshold) {
            bail!(
                "--threshold must be between 0 and 1, not {}",
                self.threshold
            );
        }
        Ok(DedupConfig {
            threshold: self.threshold,
            num_perm: self.num_perm.max(1),
            ..Default::default()
        })
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SketchArg {
    Shingle,
    Content,
}

/// Which member of a cluster survives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Keep {
    /// The first in input order.
    First,
    /// The longest text.
    Longest,
    /// The earliest publication date (undated last).
    Earliest,
}

/// Articles handed over per chunk: enough to keep both cores busy, few
/// enough that the chunks in flight (three at most) stay small.
pub const CHUNK: usize = 2048;

/// What is kept of each document between the passes.
struct Doc {
    id: String,
    len: usize,
    published: Option<jiff::Timestamp>,
}

#[derive(Serialize)]
struct ClusterLine<'a> {
    id: &'a str,
    cluster: &'a str,
}

pub fn run(args: DedupArgs) -> anyhow::Result<ExitCode> {
    let config = args.similarity.dedup_config()?;
    let mut options = args.input.options();
    options.skip_language_detection = true;
    let (inputs, unlisted) = collect_inputs(&args.input.paths);
    for e in &unlisted {
        eprintln!("retold: skipped {e}");
    }
    if args.keep.is_some() && inputs.iter().any(|i| i.path.is_none()) {
        bail!("--keep reads the inputs twice and cannot re-read stdin: give files");
    }
    let kind = args.similarity.kind();
    let sketch_config = args.similarity.sketch_config();
    let started = Instant::now();
    let bar = progress::count_bar("articles", args.input.quiet);
    let mut deduper = Deduper::new(config);
    let mut docs: Vec<Doc> = Vec::new();
    let mut skipped = 0usize;
    let result = stream_inputs(&inputs, &options, CHUNK, &mut |chunk| {
        let sketched: Vec<_> = chunk
            .into_par_iter()
            .map_init(
                || Sketcher::new(sketch_config),
                |s, r| {
                    r.map(|a| {
                        let sig = s.sketch(&a.text, a.language.as_deref());
                        let sig = match kind {
                            SketchKind::Shingle => sig.shingle,
                            SketchKind::Content => sig.content,
                        };
                        (doc_of(a), sig)
                    })
                },
            )
            .collect();
        for r in sketched {
            match r {
                Ok((doc, sig)) => {
                    deduper.add(sig);
                    docs.push(doc);
                }
                Err(e) => {
                    skipped += 1;
                    eprintln!("retold: skipped {e}");
                }
            }
        }
        bar.set_position(docs.len() as u64);
        ControlFlow::Continue(())
    });
    bar.finish_and_clear();
    if let Err(e) = result {
        eprintln!("retold: bad input (--strict): {e}");
        return Ok(ExitCode::from(EXIT_BAD_INPUT));
    }
    let clusters = deduper.clusters();
    let n_clusters = clusters
        .iter()
        .enumerate()
        .filter(|(i, &c)| *i as u32 == c)
        .count();
    let (candidates, verified) = deduper.pair_counts();
    let elapsed = started.elapsed().as_secs_f64();
    eprintln!(
        "retold: {} articles, {} clusters, {} duplicates; {} candidate pairs, {} verified; {:.2} s ({:.0} articles/s){}",
        docs.len(),
        n_clusters,
        docs.len() - n_clusters,
        candidates,
        verified,
        elapsed,
        docs.len() as f64 / elapsed.max(1e-9),
        if skipped > 0 { format!("; {skipped} skipped") } else { String::new() },
    );

    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match args.keep {
        None => {
            for (doc, &c) in docs.iter().zip(&clusters) {
                let line = ClusterLine {
                    id: &doc.id,
                    cluster: &docs[c as usize].id,
                };
                serde_json::to_writer(&mut out, &line)?;
                out.write_all(b"\n")?;
            }
        }
        Some(keep) => {
            let keepers = choose(&docs, &clusters, keep);
            write_kept(&inputs, &options, &keepers, &mut out)?;
        }
    }
    out.flush().context("cannot write output")?;
    if docs.is_empty() && skipped > 0 {
        return Ok(ExitCode::from(EXIT_FAILURE));
    }
    Ok(ExitCode::SUCCESS)
}

fn doc_of(a: Article) -> Doc {
    Doc {
        len: a.text.len(),
        published: a.published,
        id: a.id,
    }
}

/// Marks the surviving member of each cluster.
fn choose(docs: &[Doc], clusters: &[u32], keep: Keep) -> Vec<bool> {
    let mut best: Vec<u32> = (0..docs.len() as u32).collect();
    for (i, &c) in clusters.iter().enumerate() {
        let c = c as usize;
        let cur = best[c] as usize;
        let better = match keep {
            Keep::First => false,
            Keep::Longest => docs[i].len > docs[cur].len,
            Keep::Earliest => match (docs[i].published, docs[cur].published) {
                (Some(a), Some(b)) => a < b,
                (Some(_), None) => true,
                _ => false,
            },
        };
        if better {
            best[c] = i as u32;
        }
    }
    let mut kept = vec![false; docs.len()];
    for (i, &c) in clusters.iter().enumerate() {
        if i as u32 == c {
            kept[best[i] as usize] = true;
        }
    }
    kept
}

/// Second pass: writes the kept articles as JSON Lines in input order.
fn write_kept(
    inputs: &[Input],
    options: &IngestOptions,
    kept: &[bool],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut n = 0usize;
    let mut failure: Option<anyhow::Error> = None;
    let _ = stream_inputs(inputs, options, CHUNK, &mut |chunk| {
        for a in chunk.into_iter().flatten() {
            let keep = kept.get(n).copied().unwrap_or(false);
            n += 1;
            if keep {
                if let Err(e) = write_article(out, &a) {
                    failure = Some(e);
                    return ControlFlow::Break(());
                }
            }
        }
        ControlFlow::Continue(())
    });
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// An article in retold's JSON Lines input format, so the output can be read again.
fn write_article(out: &mut dyn Write, a: &Article) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, &a.to_record())?;
    out.write_all(b"\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, len: usize, day: Option<i64>) -> Doc {
        Doc {
            id: id.into(),
            len,
            published: day.map(|d| jiff::Timestamp::from_second(d * 86_400).unwrap()),
        }
    }

    #[test]
    fn keep_policies() {
        let docs = vec![
            doc("a", 10, None),
            doc("b", 30, Some(5)),
            doc("c", 20, Some(3)),
            doc("d", 5, None),
        ];
        let clusters = vec![0, 0, 0, 3];
        assert_eq!(
            choose(&docs, &clusters, Keep::First),
            vec![true, false, false, true]
        );
        assert_eq!(
            choose(&docs, &clusters, Keep::Longest),
            vec![false, true, false, true]
        );
        assert_eq!(
            choose(&docs, &clusters, Keep::Earliest),
            vec![false, false, true, true]
        );
    }
}
