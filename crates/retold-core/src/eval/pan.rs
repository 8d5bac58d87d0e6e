//! PAN text-alignment corpora: reading, detecting, scoring.
//!
//! A corpus directory holds (PAN 2012–2015 layout):
//!
//! ```text
//! pairs                       "suspicious-documentXXXXX.txt source-documentYYYYY.txt" per line
//! src/  susp/                 the plain-text documents
//! 02-no-obfuscation/          one folder per obfuscation type, each with
//!     pairs                   its own pairs (optional: else read from the XML names)
//!     suspicious-document00001-source-document00002.xml
//!                             gold cases: <feature name="plagiarism" this_offset=…
//!                             this_length=… source_offset=… source_length=…/>
//! ```
//!
//! Offsets count *characters* of the original files, not bytes.
//! [`detect`] aligns a pair with [`crate::align`] and turns its passages
//! into detections; [`evaluate`] runs every pair in parallel and scores
//! overall and per folder ([`super::plagdet`]).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::plagdet::{CasePassage, PlagDetCounts, PlagDetScore};
use crate::align::{align, AlignConfig, AlignedPair, CharIndex};
use crate::text::{analyze, Span};

/// What can go wrong reading or writing a PAN corpus.
#[derive(Debug, thiserror::Error)]
pub enum PanError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a PAN text-alignment corpus: {reason}")]
    NotACorpus { path: PathBuf, reason: String },
    #[error("{path}:{line}: {reason}")]
    BadPairs {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    #[error("{path}: bad annotation XML: {reason}")]
    BadXml { path: PathBuf, reason: String },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> PanError + '_ {
    move |source| PanError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// One document pair and its gold cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanPair {
    /// Obfuscation folder (e.g. `03-random-obfuscation`).
    pub folder: String,
    /// File name in `susp/`.
    pub suspicious: String,
    /// File name in `src/`.
    pub source: String,
    /// Gold cases (none when the pair has no annotation file).
    pub cases: Vec<CasePassage>,
}

impl PanPair {
    /// The PAN file name of this pair's annotations:
    /// `suspicious-document00001-source-document00002.xml`.
    pub fn xml_name(&self) -> String {
        format!("{}-{}.xml", stem(&self.suspicious), stem(&self.source))
    }
}

fn stem(name: &str) -> &str {
    name.strip_suffix(".txt").unwrap_or(name)
}

/// A PAN text-alignment corpus on disk.
#[derive(Debug, Clone)]
pub struct PanCorpus {
    pub root: PathBuf,
    /// Obfuscation folders, sorted.
    pub folders: Vec<String>,
    /// Every pair of every folder, in folder order, then as listed.
    pub pairs: Vec<PanPair>,
}

impl PanCorpus {
    /// Reads the pair lists and gold annotations (not the documents).
    pub fn open(root: &Path) -> Result<PanCorpus, PanError> {
        for sub in ["src", "susp"] {
            if !root.join(sub).is_dir() {
                return Err(PanError::NotACorpus {
                    path: root.to_path_buf(),
                    reason: format!("no `{sub}/` folder"),
                });
            }
        }
        let mut folders = Vec::new();
        for entry in std::fs::read_dir(root).map_err(io_error(root))? {
            let entry = entry.map_err(io_error(root))?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if !path.is_dir() || name == "src" || name == "susp" || name.starts_with('.') {
                continue;
            }
            let has_xml = std::fs::read_dir(&path)
                .map_err(io_error(&path))?
                .filter_map(Result::ok)
                .any(|e| e.file_name().to_string_lossy().ends_with(".xml"));
            if has_xml || path.join("pairs").is_file() {
                folders.push(name);
            }
        }
        folders.sort();
        let mut pairs = Vec::new();
        if folders.is_empty() {
            // No gold folders: every pair of the root list, without cases.
            let list = root.join("pairs");
            if !list.is_file() {
                return Err(PanError::NotACorpus {
                    path: root.to_path_buf(),
                    reason: "no `pairs` file and no annotation folders".into(),
                });
            }
            for (susp, src) in read_pairs(&list)? {
                pairs.push(PanPair {
                    folder: String::new(),
                    suspicious: susp,
                    source: src,
                    cases: Vec::new(),
                });
            }
            folders.push(String::new());
        }
        for folder in folders.iter().filter(|f| !f.is_empty()) {
            let dir = root.join(folder);
            let list = dir.join("pairs");
            let listed = if list.is_file() {
                read_pairs(&list)?
            } else {
                let mut names: Vec<String> = std::fs::read_dir(&dir)
                    .map_err(io_error(&dir))?
                    .filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".xml"))
                    .collect();
                names.sort();
                names
                    .iter()
                    .filter_map(|n| {
                        let s = n.strip_suffix(".xml")?;
                        let k = s.find("-source-")?;
                        Some((format!("{}.txt", &s[..k]), format!("{}.txt", &s[k + 1..])))
                    })
                    .collect()
            };
            for (susp, src) in listed {
                let mut pair = PanPair {
                    folder: folder.clone(),
                    suspicious: susp,
                    source: src,
                    cases: Vec::new(),
                };
                let xml = dir.join(pair.xml_name());
                if xml.is_file() {
                    let text = std::fs::read_to_string(&xml).map_err(io_error(&xml))?;
                    pair.cases = parse_annotations(&text, "plagiarism", Some(&pair.source))
                        .map_err(|reason| PanError::BadXml { path: xml, reason })?;
                }
                pairs.push(pair);
            }
        }
        Ok(PanCorpus {
            root: root.to_path_buf(),
            folders,
            pairs,
        })
    }

    /// The text of a suspicious document.
    pub fn suspicious_text(&self, pair: &PanPair) -> Result<String, PanError> {
        let path = self.root.join("susp").join(&pair.suspicious);
        std::fs::read_to_string(&path).map_err(io_error(&path))
    }

    /// The text of a source document.
    pub fn source_text(&self, pair: &PanPair) -> Result<String, PanError> {
        let path = self.root.join("src").join(&pair.source);
        std::fs::read_to_string(&path).map_err(io_error(&path))
    }
}

/// Reads a `pairs` file: two file names per line.
fn read_pairs(path: &Path) -> Result<Vec<(String, String)>, PanError> {
    let text = std::fs::read_to_string(path).map_err(io_error(path))?;
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let mut words = line.split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (None, ..) => continue,
            (Some(a), Some(b), None) => out.push((a.to_string(), b.to_string())),
            _ => {
                return Err(PanError::BadPairs {
                    path: path.to_path_buf(),
                    line: k + 1,
                    reason: format!("expected two file names, got `{line}`"),
                })
            }
        }
    }
    Ok(out)
}

/// The `<feature name="{feature}" …/>` elements of a PAN annotation file as
/// passages (`plagiarism` for gold cases, `detected-plagiarism` for
/// detections). With `source` given, features naming another
/// `source_reference` are left out.
///
/// ```
/// use retold_core::eval::pan::parse_annotations;
/// let xml = r#"<document reference="suspicious-document00005.txt">
/// <feature name="plagiarism" obfuscation="none" source_length="698" source_offset="1300"
///   source_reference="source-document01090.txt" this_length="698" this_offset="3593" />
/// <feature name="about" authors="DUC2006" />
/// </document>"#;
/// let cases = parse_annotations(xml, "plagiarism", None).unwrap();
/// assert_eq!(cases.len(), 1);
/// assert_eq!((cases[0].this.start, cases[0].this.end), (3593, 4291));
/// assert_eq!((cases[0].source.start, cases[0].source.len()), (1300, 698));
/// assert!(parse_annotations("<document><feature name=\"plagiarism\" this_offset=\"x\"/></document>",
///     "plagiarism", None).is_err());
/// ```
pub fn parse_annotations(
    xml: &str,
    feature: &str,
    source: Option<&str>,
) -> Result<Vec<CasePassage>, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.buffer_position()))?;
        let e = match event {
            Event::Eof => break,
            Event::Empty(e) | Event::Start(e) => e,
            _ => continue,
        };
        if e.name().as_ref() != "feature" {
            continue;
        }
        let mut name = None;
        let mut reference = None;
        let mut nums = [None::<usize>; 4];
        for attr in e.attributes() {
            let attr = attr.map_err(|e| e.to_string())?;
            let value = attr
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|e| e.to_string())?;
            let key = attr.key.as_ref();
            let slot = match key {
                "name" => {
                    name = Some(value.into_owned());
                    continue;
                }
                "source_reference" => {
                    reference = Some(value.into_owned());
                    continue;
                }
                "this_offset" => 0,
                "this_length" => 1,
                "source_offset" => 2,
                "source_length" => 3,
                _ => continue,
            };
            let n = value
                .trim()
                .parse::<usize>()
                .map_err(|_| format!("attribute {key} is not a number: `{value}`"))?;
            nums[slot] = Some(n);
        }
        if name.as_deref() != Some(feature) {
            continue;
        }
        if let (Some(want), Some(got)) = (source, reference.as_deref()) {
            if want != got {
                continue;
            }
        }
        match nums {
            [Some(to), Some(tl), Some(so), Some(sl)] => {
                out.push(CasePassage::from_offsets(to, tl, so, sl))
            }
            _ => return Err(format!("a `{feature}` feature lacks an offset or length")),
        }
    }
    Ok(out)
}

/// Detections of one pair as a PAN XML document.
///
/// ```
/// use retold_core::eval::pan::{detections_xml, parse_annotations};
/// use retold_core::eval::plagdet::CasePassage;
/// let d = [CasePassage::from_offsets(10, 5, 200, 7)];
/// let xml = detections_xml("suspicious-document00001.txt", "source-document00002.txt", &d);
/// assert_eq!(parse_annotations(&xml, "detected-plagiarism", None).unwrap(), d);
/// ```
pub fn detections_xml(suspicious: &str, source: &str, detections: &[CasePassage]) -> String {
    let mut out = format!("<document reference=\"{}\">\n", xml_escape(suspicious));
    for d in detections {
        let _ = writeln!(
            out,
            "<feature name=\"detected-plagiarism\" this_offset=\"{}\" this_length=\"{}\" source_reference=\"{}\" source_offset=\"{}\" source_length=\"{}\" />",
            d.this.start,
            d.this.len(),
            xml_escape(source),
            d.source.start,
            d.source.len()
        );
    }
    out.push_str("</document>\n");
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Settings of PAN detection.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PanConfig {
    /// The aligner's settings.
    pub align: AlignConfig,
    /// Summary detection (see [`detect`]).
    pub summary: SummaryConfig,
}

/// When aligned pairs make a summary: a short stretch of the suspicious
/// document whose sentences align to sentences spread over a much longer
/// stretch of the source.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SummaryConfig {
    pub enabled: bool,
    /// Most unaligned sentences between two pairs of one summary (in the
    /// suspicious document).
    pub gap: usize,
    /// Least aligned pairs of a summary.
    pub min_pairs: usize,
    /// Least ratio of the source stretch to the suspicious stretch (characters).
    pub min_spread: f64,
    /// Most share of the pairs in one stretch of partners adjacent in the
    /// source (more would be an ordinary copied passage with other pairs
    /// around it).
    pub max_block_share: f64,
    /// Least share of the source document (characters) the partners span.
    pub min_source_share: f64,
    /// Most share of consecutive pairs of the run (in the suspicious
    /// document) whose partners follow each other in the source too: a
    /// summary picks its sentences from all over the source, a copied
    /// passage keeps them together.
    pub max_chained_share: f64,
    /// Detect the whole source document as the summary's source (PAN's
    /// gold annotates summaries that way) instead of the stretch from the
    /// first to the last aligned partner.
    pub whole_source: bool,
}

impl Default for SummaryConfig {
    fn default() -> Self {
        SummaryConfig {
            enabled: true,
            gap: 2,
            min_pairs: 3,
            min_spread: 2.5,
            max_block_share: 0.75,
            min_source_share: 0.5,
            max_chained_share: 0.5,
            whole_source: false,
        }
    }
}

impl Default for PanConfig {
    /// The aligner's defaults, but passages need 150 aligned characters on
    /// each side (PAN cases are rarely shorter) and an evidence of 0.2
    /// ([`crate::align::PassageConfig::min_gain`]).
    fn default() -> Self {
        let mut align = AlignConfig::default();
        align.passage.min_chars = 150;
        align.passage.min_gain = 0.2;
        PanConfig {
            align,
            summary: SummaryConfig::default(),
        }
    }
}

/// Detections for one pair: the alignment's passages as character offsets
/// in the original files, with passages overlapping in the suspicious
/// document merged (when they also overlap in the source) or the weaker one
/// dropped.
///
/// Summaries are found apart from passages: runs of aligned pairs close
/// together in the suspicious document whose partners spread over a much
/// longer stretch of the source ([`SummaryConfig`]) become one detection
/// from the first to the last partner, replacing the passages they overlap.
///
/// ```
/// use retold_core::eval::pan::{detect, PanConfig};
/// let copied = "The glacier lost a third of its ice since 1990. Scientists blame warmer summers \
///               and thinner winter snow. Meltwater now reaches the valley three weeks earlier than \
///               it did when records began.";
/// let src = format!("Intro about nothing in particular. {copied} Tourism fell sharply.");
/// let susp = format!("Other text about cooking pasta at home. {copied}");
/// let d = detect(&susp, &src, &PanConfig::default());
/// assert_eq!(d.len(), 1);
/// // Spans are in characters; this text is ASCII, so they index bytes too.
/// assert_eq!(&susp[d[0].this.start..d[0].this.end], copied);
/// ```
pub fn detect(suspicious: &str, source: &str, config: &PanConfig) -> Vec<CasePassage> {
    detect_timed(suspicious, source, config).0
}

/// Time spent on one pair, for the speed figures of [`PanReport`].
#[derive(Debug, Clone, Copy, Default)]
struct PairTiming {
    analyze: Duration,
    align: Duration,
    sentence_pairs: u64,
}

fn detect_timed(
    suspicious: &str,
    source: &str,
    config: &PanConfig,
) -> (Vec<CasePassage>, PairTiming) {
    let t0 = Instant::now();
    let (a, b) = (analyze(suspicious, Some("en")), analyze(source, Some("en")));
    let t1 = Instant::now();
    let al = align(&a, &b, &config.align);
    let timing = PairTiming {
        analyze: t1 - t0,
        align: t1.elapsed(),
        sentence_pairs: (al.summary.a_sentences as u64) * (al.summary.b_sentences as u64),
    };
    let (ia, ib) = (CharIndex::new(suspicious), CharIndex::new(source));
    let mut dets: Vec<(CasePassage, usize)> = al
        .passages
        .iter()
        .map(|p| {
            let (this, source) = p.char_spans(&ia, &ib);
            (
                CasePassage { this, source },
                p.a.aligned_chars + p.b.aligned_chars,
            )
        })
        .collect();
    if config.summary.enabled {
        for sum in summaries(&al.pairs, &config.summary, &ia, &ib, source.chars().count()) {
            dets.retain(|(d, _)| d.this.end.min(sum.this.end) <= d.this.start.max(sum.this.start));
            dets.push((sum, usize::MAX / 4));
        }
    }
    resolve_overlaps(&mut dets);
    (dets.into_iter().map(|(d, _)| d).collect(), timing)
}

/// Summary detections (character offsets) from aligned pairs.
fn summaries(
    pairs: &[AlignedPair],
    config: &SummaryConfig,
    ia: &CharIndex,
    ib: &CharIndex,
    source_chars: usize,
) -> Vec<CasePassage> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < pairs.len() {
        // A run of pairs close together in the suspicious document.
        let mut end = k + 1;
        let mut reach = pairs[k].a.end;
        while let Some(p) = pairs.get(end) {
            if p.a.start > reach.saturating_add(config.gap) {
                break;
            }
            reach = reach.max(p.a.end);
            end += 1;
        }
        let run = &pairs[k..end];
        k = end;
        if run.len() < config.min_pairs {
            continue;
        }
        let this = Span {
            start: run
                .iter()
                .map(|p| ia.char_at(p.a_original.start))
                .min()
                .unwrap_or(0),
            end: run
                .iter()
                .map(|p| ia.char_at(p.a_original.end))
                .max()
                .unwrap_or(0),
        };
        let source = Span {
            start: run
                .iter()
                .map(|p| ib.char_at(p.b_original.start))
                .min()
                .unwrap_or(0),
            end: run
                .iter()
                .map(|p| ib.char_at(p.b_original.end))
                .max()
                .unwrap_or(0),
        };
        if this.is_empty()
            || (source.len() as f64) < config.min_spread * this.len() as f64
            || (source.len() as f64) < config.min_source_share * source_chars as f64
        {
            continue;
        }
        // Scattered in the source.
        let mut bs: Vec<(usize, usize)> = run.iter().map(|p| (p.b.start, p.b.end)).collect();
        bs.sort_unstable();
        let (mut largest, mut size, mut reach) = (0, 0, 0);
        for (i, &(s, e)) in bs.iter().enumerate() {
            size = if i > 0 && s <= reach + 1 { size + 1 } else { 1 };
            reach = if size == 1 { e } else { reach.max(e) };
            largest = largest.max(size);
        }
        let chained = run
            .windows(2)
            .filter(|w| w[1].b.start == w[0].b.end)
            .count();
        if largest as f64 > config.max_block_share * run.len() as f64
            || chained as f64 > config.max_chained_share * (run.len() - 1) as f64
        {
            continue;
        }
        let source = if config.whole_source {
            Span {
                start: 0,
                end: source_chars,
            }
        } else {
            source
        };
        out.push(CasePassage { this, source });
    }
    out
}

/// Merges detections that overlap in both documents; of two that overlap
/// in the suspicious document only, keeps the one with more aligned text.
fn resolve_overlaps(dets: &mut Vec<(CasePassage, usize)>) {
    let mut changed = true;
    while changed {
        changed = false;
        'outer: for i in 0..dets.len() {
            for j in i + 1..dets.len() {
                let (x, y) = (dets[i].0, dets[j].0);
                let this = x.this.end.min(y.this.end) > x.this.start.max(y.this.start);
                if !this {
                    continue;
                }
                let src = x.source.end.min(y.source.end) > x.source.start.max(y.source.start);
                if src {
                    let merged = CasePassage {
                        this: crate::text::Span {
                            start: x.this.start.min(y.this.start),
                            end: x.this.end.max(y.this.end),
                        },
                        source: crate::text::Span {
                            start: x.source.start.min(y.source.start),
                            end: x.source.end.max(y.source.end),
                        },
                    };
                    dets[i] = (merged, dets[i].1 + dets[j].1);
                    dets.remove(j);
                } else if dets[j].1 > dets[i].1 {
                    dets.remove(i);
                } else {
                    dets.remove(j);
                }
                changed = true;
                break 'outer;
            }
        }
    }
    dets.sort_by_key(|(d, _)| (d.this.start, d.source.start));
}

/// Results of one obfuscation folder.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FolderReport {
    pub folder: String,
    pub pairs: usize,
    /// Pairs with at least one detection.
    pub pairs_with_detections: usize,
    /// Measures against the gold cases (`None` when the folder has none).
    pub score: Option<PlagDetScore>,
    /// For a folder without cases: the share of pairs with any detection.
    pub false_positive_rate: Option<f64>,
    pub counts: PlagDetCounts,
}

/// Results of a whole corpus.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PanReport {
    pub corpus: String,
    pub pairs: usize,
    pub overall: PlagDetScore,
    pub folders: Vec<FolderReport>,
    /// Wall-clock seconds of detection and scoring (reading included).
    pub seconds: f64,
    pub threads: usize,
    /// Thread seconds spent in text analysis and in alignment, summed over
    /// pairs (each pair runs on one thread).
    pub analyze_seconds: f64,
    pub align_seconds: f64,
    /// Sentence pairs compared (Σ over pairs of sentences × sentences).
    pub sentence_pairs: u64,
    /// Alignment time per sentence pair, in nanoseconds.
    pub align_ns_per_sentence_pair: f64,
    pub config: PanConfig,
}

/// Runs [`detect`] on every pair (in parallel) and scores the detections
/// overall and per folder. With `out`, writes each pair's detections as PAN
/// XML there. `progress` is called once per finished pair.
pub fn evaluate(
    corpus: &PanCorpus,
    config: &PanConfig,
    out: Option<&Path>,
    progress: &(dyn Fn() + Sync),
) -> Result<PanReport, PanError> {
    let start = Instant::now();
    if let Some(dir) = out {
        std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    }
    let timed: Vec<(Vec<CasePassage>, PairTiming)> = corpus
        .pairs
        .par_iter()
        .map(|pair| {
            let susp = corpus.suspicious_text(pair)?;
            let src = corpus.source_text(pair)?;
            let (dets, timing) = detect_timed(&susp, &src, config);
            if let Some(dir) = out {
                let path = dir.join(pair.xml_name());
                std::fs::write(&path, detections_xml(&pair.suspicious, &pair.source, &dets))
                    .map_err(io_error(&path))?;
            }
            progress();
            Ok((dets, timing))
        })
        .collect::<Result<_, PanError>>()?;
    let mut total = PairTiming::default();
    for (_, t) in &timed {
        total.analyze += t.analyze;
        total.align += t.align;
        total.sentence_pairs += t.sentence_pairs;
    }
    let results: Vec<Vec<CasePassage>> = timed.into_iter().map(|(d, _)| d).collect();
    let mut overall = PlagDetCounts::default();
    let mut folders = Vec::new();
    for folder in &corpus.folders {
        let mut counts = PlagDetCounts::default();
        let (mut pairs, mut flagged) = (0, 0);
        for (pair, dets) in corpus.pairs.iter().zip(&results) {
            if &pair.folder != folder {
                continue;
            }
            pairs += 1;
            flagged += usize::from(!dets.is_empty());
            counts.add_pair(&pair.cases, dets);
        }
        overall.merge(&counts);
        let has_cases = counts.cases > 0;
        folders.push(FolderReport {
            folder: folder.clone(),
            pairs,
            pairs_with_detections: flagged,
            score: has_cases.then(|| counts.score()),
            false_positive_rate: (!has_cases && pairs > 0).then(|| flagged as f64 / pairs as f64),
            counts,
        });
    }
    Ok(PanReport {
        corpus: corpus.root.display().to_string(),
        pairs: corpus.pairs.len(),
        overall: overall.score(),
        folders,
        seconds: start.elapsed().as_secs_f64(),
        threads: rayon::current_num_threads(),
        analyze_seconds: total.analyze.as_secs_f64(),
        align_seconds: total.align.as_secs_f64(),
        sentence_pairs: total.sentence_pairs,
        align_ns_per_sentence_pair: total.align.as_secs_f64() * 1e9
            / total.sentence_pairs.max(1) as f64,
        config: *config,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(path, text).unwrap();
    }

    const SOURCE: &str = "Die Stadt plant ein neues Museum. Café owners in the old quarter complained about the new parking rules on Monday. \
        The council said the rules would cut traffic by a fifth within two years. \
        Shops reported fewer customers since the rules began in March. \
        Unrelated closing remarks about the weather follow here.";

    /// A corpus of two folders, written to a temporary directory.
    fn tiny_corpus(dir: &Path) {
        let prefix = "Völlig anderer Text über Gärten und Blumen am Fluss. ";
        let copied =
            "Café owners in the old quarter complained about the new parking rules on Monday. \
            The council said the rules would cut traffic by a fifth within two years. \
            Shops reported fewer customers since the rules began in March.";
        let susp =
            format!("{prefix}{copied} Nothing else to see in this last sentence about gardens.");
        write(&dir.join("susp/suspicious-document00001.txt"), &susp);
        write(
            &dir.join("susp/suspicious-document00002.txt"),
            "A text on alpine skiing and its history in Norway. Skis were found in bogs.",
        );
        write(&dir.join("src/source-document00001.txt"), SOURCE);
        let this_offset = prefix.chars().count();
        let source_offset = SOURCE
            .find("Café")
            .map(|b| SOURCE[..b].chars().count())
            .unwrap();
        let len = copied.chars().count();
        write(
            &dir.join("02-no-obfuscation/pairs"),
            "suspicious-document00001.txt source-document00001.txt\n",
        );
        write(
            &dir.join("02-no-obfuscation/suspicious-document00001-source-document00001.xml"),
            &format!(
                "<document reference=\"suspicious-document00001.txt\">\n<feature name=\"plagiarism\" source_length=\"{len}\" source_offset=\"{source_offset}\" source_reference=\"source-document00001.txt\" this_length=\"{len}\" this_offset=\"{this_offset}\" />\n</document>\n"
            ),
        );
        write(
            &dir.join("01-no-plagiarism/suspicious-document00002-source-document00001.xml"),
            "<document reference=\"suspicious-document00002.txt\">\n</document>\n",
        );
    }

    #[test]
    fn a_tiny_corpus_reads_and_scores() {
        let dir = std::env::temp_dir().join(format!("retold-pan-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        tiny_corpus(&dir);
        let corpus = PanCorpus::open(&dir).unwrap();
        assert_eq!(corpus.folders, ["01-no-plagiarism", "02-no-obfuscation"]);
        assert_eq!(corpus.pairs.len(), 2);
        assert_eq!(corpus.pairs[0].suspicious, "suspicious-document00002.txt");
        assert!(corpus.pairs[0].cases.is_empty());
        assert_eq!(corpus.pairs[1].cases.len(), 1);

        let out = dir.join("out");
        let report = evaluate(&corpus, &PanConfig::default(), Some(&out), &|| {}).unwrap();
        // Character offsets, not bytes: the umlauts and the é would shift a byte count.
        assert!(report.overall.plagdet > 0.98, "{:?}", report.overall);
        let nop = &report.folders[0];
        assert_eq!(nop.false_positive_rate, Some(0.0));
        assert!(nop.score.is_none());
        let xml =
            std::fs::read_to_string(out.join("suspicious-document00001-source-document00001.xml"))
                .unwrap();
        let dets = parse_annotations(&xml, "detected-plagiarism", None).unwrap();
        assert_eq!(dets.len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let dir = std::env::temp_dir().join(format!("retold-pan-bad-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        assert!(matches!(
            PanCorpus::open(&dir),
            Err(PanError::NotACorpus { .. })
        ));
        write(&dir.join("src/x.txt"), "x");
        write(&dir.join("susp/y.txt"), "y");
        write(&dir.join("02-x/pairs"), "a.txt b.txt c.txt\n");
        let err = PanCorpus::open(&dir).unwrap_err();
        assert!(matches!(err, PanError::BadPairs { line: 1, .. }), "{err}");
        write(&dir.join("02-x/pairs"), "a.txt b.txt\n");
        write(
            &dir.join("02-x/a-b.xml"),
            "<document><feature name=\"plagiarism\" this_offset=\"1\"/></document>",
        );
        assert!(matches!(
            PanCorpus::open(&dir),
            Err(PanError::BadXml { .. })
        ));
        // A missing document is an I/O error naming the file.
        write(&dir.join("02-x/a-b.xml"), "<document></document>");
        let corpus = PanCorpus::open(&dir).unwrap();
        let err = evaluate(&corpus, &PanConfig::default(), None, &|| {}).unwrap_err();
        assert!(err.to_string().contains("a.txt"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn overlapping_detections_are_resolved() {
        let p = CasePassage::from_offsets;
        let mut d = vec![
            (p(0, 100, 0, 100), 10),
            (p(50, 100, 50, 100), 10),
            (p(60, 10, 900, 10), 1),
        ];
        resolve_overlaps(&mut d);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].0, p(0, 150, 0, 150));
        assert_eq!(d[0].1, 20);
    }
}
