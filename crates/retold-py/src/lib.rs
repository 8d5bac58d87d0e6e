//! `retold._native`: the Rust side of the Python package `retold`.
//!
//! A thin layer over `retold-core`: Python records (dicts with the JSON
//! Lines fields) become JSON objects here, are read by the library's
//! [`RecordReader`] (the same field rules and messages as `retold analyze`
//! on a JSON array file), and the results go back as the JSON the CLI
//! writes (`analyze --format json`, `compare --format json`), which the
//! Python side loads. Everything after the conversion runs with the GIL
//! released (`Python::detach`, PyO3's name for `allow_threads`).
//!
//! The Python API and its documentation live in `python/retold/`.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use rayon::prelude::*;
use retold_core::article::Article;
use retold_core::dedup::{DedupConfig, Deduper};
use retold_core::error::{IngestError, IngestErrorKind};
use retold_core::features::minhash::MinHash;
use retold_core::features::sketch::{SketchConfig, SketchKind, Sketcher};
use retold_core::ingest::{Batch, IngestOptions, RecordReader};
use retold_core::report::pair::PairReport;
use retold_core::report::Analysis;
use retold_core::story::{Engine as CoreEngine, EngineConfig, History};
use serde_json::{Map, Value};

pyo3::create_exception!(
    retold,
    RetoldError,
    PyValueError,
    "A record retold cannot read; the message names it (`records: entry 3: missing field: text`)."
);

/// Deepest nesting of a record's values that is converted.
const MAX_DEPTH: usize = 64;

/// A Python value as JSON: None, bools, ints, floats (NaN and infinities
/// become null, as pandas marks missing values), strings, dicts, lists and
/// tuples; dates and times by their `isoformat()`; anything else by `str()`.
fn to_json(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(RetoldError::new_err("a record is nested too deeply"));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Ok(Value::String(obj.str()?.to_cow()?.into_owned()));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(serde_json::Number::from_f64(f.value()).map_or(Value::Null, Value::Number));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        return Ok(Value::Object(dict_to_map(d, depth)?));
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return l.iter().map(|v| to_json(&v, depth + 1)).collect();
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        return t.iter().map(|v| to_json(&v, depth + 1)).collect();
    }
    if obj.hasattr("isoformat")? {
        let s = obj.call_method0("isoformat")?;
        return Ok(Value::String(s.str()?.to_cow()?.into_owned()));
    }
    // numpy scalars and the like: their Python value, else their text.
    if obj.hasattr("item")? {
        if let Ok(v) = obj.call_method0("item") {
            if !v.is(obj) && !v.hasattr("item")? {
                return to_json(&v, depth + 1);
            }
        }
    }
    Ok(Value::String(obj.str()?.to_cow()?.into_owned()))
}

fn dict_to_map(d: &Bound<'_, PyDict>, depth: usize) -> PyResult<Map<String, Value>> {
    let mut map = Map::new();
    for (k, v) in d.iter() {
        let key = match k.cast::<PyString>() {
            Ok(s) => s.to_cow()?.into_owned(),
            Err(_) => k.str()?.to_cow()?.into_owned(),
        };
        map.insert(key, to_json(&v, depth + 1)?);
    }
    Ok(map)
}

/// Each record (a dict, or a string taken as the text) as a JSON object.
/// A string gets the id `default_ids[i]` when given.
fn records_to_maps(
    records: &Bound<'_, PyAny>,
    default_ids: Option<&[&str]>,
) -> PyResult<Vec<Map<String, Value>>> {
    let mut out = Vec::new();
    for (i, item) in records.try_iter()?.enumerate() {
        let item = item?;
        out.push(record_to_map(
            &item,
            default_ids.and_then(|ids| ids.get(i).copied()),
            i,
        )?);
    }
    Ok(out)
}

fn record_to_map(
    item: &Bound<'_, PyAny>,
    default_id: Option<&str>,
    i: usize,
) -> PyResult<Map<String, Value>> {
    if let Ok(d) = item.cast::<PyDict>() {
        return dict_to_map(d, 0);
    }
    if let Ok(s) = item.cast::<PyString>() {
        let mut map = Map::new();
        if let Some(id) = default_id {
            map.insert("id".into(), Value::String(id.to_owned()));
        }
        map.insert("text".into(), Value::String(s.to_cow()?.into_owned()));
        return Ok(map);
    }
    Err(RetoldError::new_err(format!(
        "records: entry {}: expected a dict with the JSON Lines fields (id, url, title, text, published, source, …) or a text, not {}",
        i + 1,
        item.get_type().name()?
    )))
}

fn ingest_error(e: &IngestError) -> PyErr {
    RetoldError::new_err(e.to_string())
}

fn to_json_string<T: serde::Serialize>(v: &T) -> PyResult<String> {
    serde_json::to_string(v).map_err(|e| RetoldError::new_err(format!("cannot write JSON: {e}")))
}

fn options(strict: bool) -> IngestOptions {
    IngestOptions {
        strict,
        ..Default::default()
    }
}

/// Word statistics given as `(docs, keys, counts)`: `docs` articles, of
/// which `counts[i]` hold `keys[i]` (keys of `history_keys`).
type HistoryTable = (u64, Vec<u64>, Vec<u64>);

fn history_of(table: Option<HistoryTable>) -> PyResult<Option<History>> {
    let Some((docs, keys, counts)) = table else {
        return Ok(None);
    };
    if keys.len() != counts.len() {
        return Err(PyValueError::new_err(format!(
            "history: {} keys but {} counts",
            keys.len(),
            counts.len()
        )));
    }
    History::from_counts(docs, keys.into_iter().zip(counts))
        .map(Some)
        .map_err(|e| PyValueError::new_err(format!("history: {e}")))
}

/// analyze(records, name="records", strict=True, with_text=False, history=None) -> str
///
/// The main job on records: the analysis as `retold analyze --format json`
/// writes it (a JSON string). `history=(docs, keys, counts)`: the word
/// statistics of `docs` articles placed elsewhere before these (each key of
/// `history_keys` and how many of them hold it); the engine starts from
/// them (`Engine::with_history`).
#[pyfunction]
#[pyo3(signature = (records, name = "records", strict = true, with_text = false, history = None))]
fn analyze(
    py: Python<'_>,
    records: &Bound<'_, PyAny>,
    name: &str,
    strict: bool,
    with_text: bool,
    history: Option<HistoryTable>,
) -> PyResult<String> {
    let maps = records_to_maps(records, None)?;
    let name = name.to_owned();
    py.detach(move || {
        let history = history_of(history)?;
        let mut reader = RecordReader::new(name, options(strict));
        let batch = reader.read_batch(maps).map_err(|e| ingest_error(&e))?;
        let view = match history {
            None => Analysis::analyze(batch, EngineConfig::default(), with_text, &|_| {}),
            Some(h) => {
                let engine = CoreEngine::with_history(EngineConfig::default(), &h);
                Analysis::analyze_with(batch, engine, with_text, &|_| {})
            }
        };
        to_json_string(&view)
    })
}

/// history_keys(records) -> list[list[int] | None]
///
/// Each record's keys of the engine's word statistics (sorted, distinct):
/// its content terms (stem and number hashes, below 2^32), its names
/// and numbers (2^32 + the hash) and its language (2^33 + the hash of its
/// code: articles are counted per language), from the text as the engine reads and
/// analyzes it (language detected, boilerplate removed; no site furniture).
/// None for a record that cannot be read. Counting the keys of many
/// articles gives the `history` of `analyze`.
#[pyfunction]
fn history_keys(py: Python<'_>, records: &Bound<'_, PyAny>) -> PyResult<Vec<Option<Vec<u64>>>> {
    let maps = records_to_maps(records, None)?;
    Ok(py.detach(move || {
        let mut reader = RecordReader::new("records", options(false));
        reader
            .read(maps)
            .into_par_iter()
            .map(|r| r.ok().map(|(a, _)| History::keys_of(&a)))
            .collect()
    }))
}

/// compare(a, b) -> str
///
/// How two articles relate, as `retold compare --format json` writes it.
#[pyfunction]
fn compare(py: Python<'_>, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<String> {
    let a = record_to_map(a, Some("a"), 0)?;
    let b = record_to_map(b, Some("b"), 1)?;
    py.detach(move || {
        let mut reader = RecordReader::new("records", options(true));
        let mut read = reader.read(vec![a, b]).into_iter();
        let mut next = || -> PyResult<Article> {
            match read.next() {
                Some(Ok((article, _))) => Ok(article),
                Some(Err(e)) => Err(ingest_error(&e)),
                None => Err(RetoldError::new_err("compare needs two articles")),
            }
        };
        let (a, b) = (next()?, next()?);
        to_json_string(&PairReport::compare(&a, &b))
    })
}

fn sketch_kind(sketch: &str) -> PyResult<SketchKind> {
    match sketch {
        "shingle" | "shingles" => Ok(SketchKind::Shingle),
        "content" => Ok(SketchKind::Content),
        other => Err(PyValueError::new_err(format!(
            "sketch must be \"shingles\" or \"content\", not {other:?}"
        ))),
    }
}

fn dedup_config(threshold: f64, num_perm: usize) -> PyResult<DedupConfig> {
    if !(0.0..=1.0).contains(&threshold) {
        return Err(PyValueError::new_err(format!(
            "threshold must be between 0 and 1, not {threshold}"
        )));
    }
    Ok(DedupConfig {
        threshold,
        num_perm: num_perm.max(1),
        ..Default::default()
    })
}

/// dedup(records, threshold=0.8, sketch="shingles", num_perm=128, shingle=5) -> (ids, clusters)
///
/// Near-duplicate clusters as `retold dedup` makes them: each record's id
/// (as read: a repeated id is renamed `id~2`) and the number of its
/// cluster's first member. Strings are texts with their position as id. An
/// exact repeat of a record (same id and text), which `retold dedup` skips,
/// is put in the cluster of the record it repeats.
#[pyfunction]
#[pyo3(signature = (records, threshold = 0.8, sketch = "shingles", num_perm = 128, shingle = 5))]
fn dedup(
    py: Python<'_>,
    records: &Bound<'_, PyAny>,
    threshold: f64,
    sketch: &str,
    num_perm: usize,
    shingle: usize,
) -> PyResult<(Vec<String>, Vec<u32>)> {
    let kind = sketch_kind(sketch)?;
    let config = dedup_config(threshold, num_perm)?;
    let n = records.len().unwrap_or(0);
    let positions: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    let position_ids: Vec<&str> = positions.iter().map(String::as_str).collect();
    let maps = records_to_maps(records, Some(&position_ids))?;
    let sketch_config = SketchConfig {
        num_perm: num_perm.max(1),
        shingle: shingle.max(1),
        ..Default::default()
    };
    py.detach(move || {
        let mut reader = quick_reader();
        let read = reader.read(maps);
        // Each record: its id, and its signature or the id it repeats.
        let sketched: Vec<Result<(String, MinHash), IngestError>> = read
            .into_par_iter()
            .map_init(
                || Sketcher::new(sketch_config),
                |s, r| {
                    r.map(|(a, _)| {
                        let sig = s.sketch(&a.text, a.language.as_deref());
                        (a.id, sig.get(kind).clone())
                    })
                },
            )
            .collect();
        let mut deduper = Deduper::new(config);
        let mut ids = Vec::with_capacity(sketched.len());
        // Record number → document number in the deduper.
        let mut doc_of: Vec<u32> = Vec::with_capacity(sketched.len());
        let mut by_id: std::collections::HashMap<String, u32> = Default::default();
        for r in sketched {
            match r {
                Ok((id, sig)) => {
                    let doc = deduper.add(sig);
                    by_id.insert(id.clone(), doc);
                    ids.push(id);
                    doc_of.push(doc);
                }
                Err(e) => match &e.kind {
                    IngestErrorKind::DuplicateRecord { id, .. } => {
                        let doc = by_id.get(id).copied().ok_or_else(|| ingest_error(&e))?;
                        ids.push(id.clone());
                        doc_of.push(doc);
                    }
                    _ => return Err(ingest_error(&e)),
                },
            }
        }
        let clusters = deduper.clusters();
        // The cluster named by the record number of its first document.
        let mut first_record: Vec<u32> = vec![u32::MAX; clusters.len()];
        for (record, &doc) in doc_of.iter().enumerate() {
            let slot = &mut first_record[doc as usize];
            if *slot == u32::MAX {
                *slot = record as u32;
            }
        }
        let labels = doc_of
            .iter()
            .map(|&doc| first_record[clusters[doc as usize] as usize])
            .collect();
        Ok((ids, labels))
    })
}

/// sketch_bands(texts, languages=None, threshold=0.8, sketch="shingles", num_perm=128, shingle=5, min_candidate_recall=0.99)
///     -> list[tuple[list[int], list[int]]]
///
/// Per text: its LSH band keys (signed 64-bit, one per band, band number
/// mixed in, so equal keys mean equal bands) and its MinHash signature,
/// with the bands `retold dedup` uses for `threshold`. Two texts are
/// candidates when they share a key; `jaccard` verifies them.
#[pyfunction]
#[pyo3(signature = (texts, languages = None, threshold = 0.8, sketch = "shingles", num_perm = 128, shingle = 5, min_candidate_recall = 0.99))]
#[allow(clippy::too_many_arguments)]
fn sketch_bands(
    py: Python<'_>,
    texts: Vec<String>,
    languages: Option<Vec<Option<String>>>,
    threshold: f64,
    sketch: &str,
    num_perm: usize,
    shingle: usize,
    min_candidate_recall: f64,
) -> PyResult<Vec<(Vec<i64>, Vec<u32>)>> {
    let kind = sketch_kind(sketch)?;
    let mut config = dedup_config(threshold, num_perm)?;
    config.min_candidate_recall = min_candidate_recall.clamp(0.5, 0.999_999);
    let params = config.lsh_params();
    let sketch_config = SketchConfig {
        num_perm: num_perm.max(1),
        shingle: shingle.max(1),
        ..Default::default()
    };
    let languages = languages.unwrap_or_default();
    Ok(py.detach(move || {
        texts
            .par_iter()
            .enumerate()
            .map_init(
                || Sketcher::new(sketch_config),
                |s, (i, text)| {
                    let lang = languages.get(i).and_then(|l| l.as_deref());
                    let sig = s.sketch(text, lang).get(kind).clone();
                    let keys = if sig.is_empty() {
                        Vec::new()
                    } else {
                        params
                            .band_hashes(&sig)
                            .into_iter()
                            .map(|h| h as i64)
                            .collect()
                    };
                    let values = if sig.is_empty() {
                        Vec::new()
                    } else {
                        sig.values().to_vec()
                    };
                    (keys, values)
                },
            )
            .collect()
    }))
}

/// jaccard(a, b) -> float
///
/// The Jaccard similarity two MinHash signatures (from `sketch_bands`)
/// estimate; 0 when either text had no words.
#[pyfunction]
fn jaccard(a: Vec<u32>, b: Vec<u32>) -> f64 {
    let (ea, eb) = (a.is_empty(), b.is_empty());
    MinHash::from_values(a, ea).jaccard(&MinHash::from_values(b, eb))
}

/// A lenient reader that detects no language: for the cheap passes over
/// records that do not analyze their texts (dates, order, sketches).
fn quick_reader() -> RecordReader {
    let mut ingest = options(false);
    ingest.skip_language_detection = true;
    RecordReader::new("records", ingest)
}

/// published(records) -> list[int | None]
///
/// Each record's publication time as the engine reads it (the same fields,
/// formats and plausibility check as `retold analyze`), in whole seconds
/// since 1970-01-01 UTC; None for an undated record and for one that
/// cannot be read (it has no text, say). One entry per record, in order.
/// Texts are not analyzed (no language detection): this is cheap, for
/// cutting a corpus into time windows before the engine runs.
#[pyfunction]
fn published(py: Python<'_>, records: &Bound<'_, PyAny>) -> PyResult<Vec<Option<i64>>> {
    let maps = records_to_maps(records, None)?;
    Ok(py.detach(move || {
        let mut reader = quick_reader();
        reader
            .read(maps)
            .into_iter()
            .map(|r| r.ok().and_then(|(a, _)| a.published.map(|t| t.as_second())))
            .collect()
    }))
}

/// publication_order(records) -> list[int]
///
/// The positions of the records in the order a batch places them
/// (`analyze`, `Engine.add_many`): dated ones by time, then the undated
/// ones longest text first, then by the text's hash: never in input
/// order. Adding the records one at a time (`Engine.add`) in this order
/// gives the batch's stories. Records that cannot be read are left out.
#[pyfunction]
fn publication_order(py: Python<'_>, records: &Bound<'_, PyAny>) -> PyResult<Vec<usize>> {
    let maps = records_to_maps(records, None)?;
    Ok(py.detach(move || {
        let mut reader = quick_reader();
        let (at, articles): (Vec<usize>, Vec<Article>) = reader
            .read(maps)
            .into_iter()
            .enumerate()
            .filter_map(|(k, r)| r.ok().map(|(a, _)| (k, a)))
            .unzip();
        retold_core::story::publication_positions(&articles)
            .into_iter()
            .map(|k| at[k])
            .collect()
    }))
}

/// read(paths, strict=False) -> str
///
/// Files and directories read as `retold analyze` reads them, as JSON:
/// `{"records": [...], "skipped": [...], "warnings": [...]}`, each record
/// in the JSON Lines input format with an `at` field (where it was read).
#[pyfunction]
#[pyo3(signature = (paths, strict = false))]
fn read(py: Python<'_>, paths: Vec<std::path::PathBuf>, strict: bool) -> PyResult<String> {
    py.detach(move || {
        let batch = retold_core::ingest::read_all(&paths, &options(strict), &|_| {})
            .map_err(|e| ingest_error(&e))?;
        let records: Vec<Value> = batch
            .articles
            .iter()
            .map(|a| {
                let mut r = a.to_record();
                r.insert("at".into(), Value::String(a.origin.to_string()));
                Value::Object(r)
            })
            .collect();
        let problems = |v: &[IngestError]| -> Vec<retold_core::report::Problem> {
            v.iter().map(retold_core::report::Problem::from).collect()
        };
        let out = serde_json::json!({
            "records": records,
            "skipped": problems(&batch.skipped),
            "warnings": problems(&batch.warnings),
        });
        to_json_string(&out)
    })
}

/// Engine(strict=True): stories kept up to date as articles arrive.
#[pyclass(module = "retold._native")]
struct Engine {
    inner: retold_core::story::Engine,
    reader: RecordReader,
    /// The rows of the articles added (without their texts), and what was
    /// skipped or warned about.
    rows: Batch,
}

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (strict = true))]
    fn new(strict: bool) -> Self {
        Engine {
            inner: retold_core::story::Engine::new(EngineConfig::default()),
            reader: RecordReader::new("records", options(strict)),
            rows: Batch {
                inputs: 1,
                ..Default::default()
            },
        }
    }

    /// add_many(records) -> list[str]: adds a batch; the ids as read.
    fn add_many(&mut self, py: Python<'_>, records: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
        let maps = records_to_maps(records, None)?;
        let (inner, reader, rows) = (&mut self.inner, &mut self.reader, &mut self.rows);
        py.detach(move || {
            let batch = reader.read_batch(maps).map_err(|e| ingest_error(&e))?;
            let ids: Vec<String> = batch.articles.iter().map(|a| a.id.clone()).collect();
            rows.articles
                .extend(batch.articles.iter().map(Article::without_text));
            rows.skipped.extend(batch.skipped);
            rows.warnings.extend(batch.warnings);
            inner.add_all(batch.articles, &|_| {});
            Ok(ids)
        })
    }

    /// add(record) -> str | None: adds one article (in publication order);
    /// its id as read, None when it was skipped (`strict=False`).
    fn add(&mut self, py: Python<'_>, record: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
        let map = record_to_map(record, None, self.reader.count() as usize)?;
        let (inner, reader, rows) = (&mut self.inner, &mut self.reader, &mut self.rows);
        py.detach(move || {
            let batch = reader.read_batch(vec![map]).map_err(|e| ingest_error(&e))?;
            rows.skipped.extend(batch.skipped);
            rows.warnings.extend(batch.warnings);
            let Some(article) = batch.articles.into_iter().next() else {
                return Ok(None);
            };
            let id = article.id.clone();
            rows.articles.push(article.without_text());
            inner.add(article);
            Ok(Some(id))
        })
    }

    /// analysis_json() -> str: the analysis of everything added, as
    /// `retold analyze --format json` writes it.
    fn analysis_json(&self, py: Python<'_>) -> PyResult<String> {
        let (inner, rows) = (&self.inner, &self.rows);
        py.detach(move || {
            let view = Analysis::with_engine(rows, inner.stories(), inner, false);
            to_json_string(&view)
        })
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("RetoldError", m.py().get_type::<RetoldError>())?;
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(dedup, m)?)?;
    m.add_function(wrap_pyfunction!(sketch_bands, m)?)?;
    m.add_function(wrap_pyfunction!(jaccard, m)?)?;
    m.add_function(wrap_pyfunction!(read, m)?)?;
    m.add_function(wrap_pyfunction!(published, m)?)?;
    m.add_function(wrap_pyfunction!(publication_order, m)?)?;
    m.add_function(wrap_pyfunction!(history_keys, m)?)?;
    m.add_class::<Engine>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
