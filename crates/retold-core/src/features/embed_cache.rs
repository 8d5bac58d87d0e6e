//! An embedding cache on disk: an [`Embedder`] that remembers every vector
//! it was asked for, so that a second run over the same texts (a fitting
//! loop over `retold eval pairs`, a rerun of a held-out report) asks the
//! model for nothing.
//!
//! The file is JSON Lines: a header `{"model": NAME, "dim": D}`, then one
//! line per text, `{"key": HASH, "vector": [...]}`, where `HASH` is the
//! 128-bit xxh3 of the text's UTF-8 bytes in hexadecimal (the texts
//! themselves are not stored). New vectors are appended as they are made,
//! so an interrupted run keeps what it embedded; a line that does not
//! parse (the torn last line of an interrupted write) is skipped and
//! counted. A file made with another model (name or dimension) is refused
//! rather than mixed.
//!
//! ```
//! use std::sync::Arc;
//! use retold_core::features::embed::{EmbedError, Embedder};
//! use retold_core::features::embed_cache::CachedEmbedder;
//!
//! struct Len;
//! impl Embedder for Len {
//!     fn name(&self) -> &str { "len" }
//!     fn dim(&self) -> usize { 2 }
//!     fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
//!         Ok(texts.iter().map(|t| vec![t.len() as f32, 1.0]).collect())
//!     }
//! }
//!
//! let path = std::env::temp_dir().join(format!("retold-doc-cache-{}.jsonl", std::process::id()));
//! let _ = std::fs::remove_file(&path);
//! let cache = CachedEmbedder::open(&path, Arc::new(Len)).unwrap();
//! assert_eq!(cache.embed(&["abc"]).unwrap(), vec![vec![3.0, 1.0]]);
//! assert_eq!((cache.hits(), cache.misses()), (0, 1));
//! let again = CachedEmbedder::open(&path, Arc::new(Len)).unwrap();
//! assert_eq!(again.embed(&["abc"]).unwrap(), vec![vec![3.0, 1.0]]);
//! assert_eq!((again.hits(), again.misses()), (1, 0));
//! std::fs::remove_file(&path).unwrap();
//! ```

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_128;

use super::embed::{EmbedError, Embedder};

#[derive(Serialize, Deserialize)]
struct Header {
    model: String,
    dim: usize,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    key: String,
    vector: Vec<f32>,
}

/// The cache key of a text.
fn key(text: &str) -> u128 {
    xxh3_128(text.as_bytes())
}

/// The cache key of a text as the file writes it (32 hexadecimal digits).
pub fn key_hex(text: &str) -> String {
    format!("{:032x}", key(text))
}

/// An [`Embedder`] in front of another, with its vectors kept in a file
/// (see the module documentation).
pub struct CachedEmbedder {
    inner: Arc<dyn Embedder>,
    path: PathBuf,
    known: Mutex<HashMap<u128, Vec<f32>>>,
    hits: AtomicUsize,
    misses: AtomicUsize,
    skipped: usize,
}

impl CachedEmbedder {
    /// Opens (or creates) the cache file at `path` for `inner`'s vectors.
    pub fn open(path: &Path, inner: Arc<dyn Embedder>) -> Result<CachedEmbedder, EmbedError> {
        let fail = |message: String| EmbedError::Cache {
            path: path.display().to_string(),
            message,
        };
        let header = Header {
            model: inner.name().to_string(),
            dim: inner.dim(),
        };
        let mut known = HashMap::new();
        let mut skipped = 0;
        match std::fs::read_to_string(path) {
            Ok(text) if !text.trim().is_empty() => {
                let mut lines = text.lines();
                let first = lines.next().unwrap_or("");
                let found: Header = serde_json::from_str(first)
                    .map_err(|e| fail(format!("not an embedding cache (first line: {e})")))?;
                if found.model != header.model || found.dim != header.dim {
                    return Err(fail(format!(
                        "made with {} ({} dimensions), not {} ({}): remove it or name another file",
                        found.model, found.dim, header.model, header.dim
                    )));
                }
                for line in lines.filter(|l| !l.trim().is_empty()) {
                    let entry = serde_json::from_str::<Entry>(line)
                        .ok()
                        .filter(|e| e.vector.len() == header.dim)
                        .and_then(|e| u128::from_str_radix(&e.key, 16).ok().map(|k| (k, e)));
                    match entry {
                        Some((k, e)) => {
                            known.insert(k, e.vector);
                        }
                        None => skipped += 1,
                    }
                }
                // A torn last line: start the next entry on a line of its own.
                if !text.ends_with('\n') {
                    append(path, "\n").map_err(fail)?;
                }
            }
            Ok(_) => write_new(path, &header).map_err(fail)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                write_new(path, &header).map_err(fail)?
            }
            Err(e) => return Err(fail(e.to_string())),
        }
        Ok(CachedEmbedder {
            inner,
            path: path.to_path_buf(),
            known: Mutex::new(known),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            skipped,
        })
    }

    /// Texts answered from the cache so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// Texts the model embedded so far (each distinct text once).
    pub fn misses(&self) -> usize {
        self.misses.load(Ordering::Relaxed)
    }

    /// Lines of the file that could not be read when it was opened.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Vectors in the cache.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u128, Vec<f32>>> {
        match self.known.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

fn write_new(path: &Path, header: &Header) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let line = serde_json::to_string(header).map_err(|e| e.to_string())?;
    std::fs::write(path, format!("{line}\n")).map_err(|e| e.to_string())
}

fn append(path: &Path, text: &str) -> Result<(), String> {
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| e.to_string())
}

impl Embedder for CachedEmbedder {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn dim(&self) -> usize {
        self.inner.dim()
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let keys: Vec<u128> = texts.iter().map(|t| key(t)).collect();
        // The distinct texts the cache does not hold, in first-seen order.
        let missing: Vec<usize> = {
            let known = self.lock();
            let mut seen = std::collections::HashSet::new();
            (0..texts.len())
                .filter(|&i| !known.contains_key(&keys[i]) && seen.insert(keys[i]))
                .collect()
        };
        if !missing.is_empty() {
            let asked: Vec<&str> = missing.iter().map(|&i| texts[i]).collect();
            let vectors = self.inner.embed(&asked)?;
            if vectors.len() != asked.len() {
                return Err(EmbedError::Engine(-1));
            }
            let mut lines = String::new();
            for (&i, v) in missing.iter().zip(&vectors) {
                let entry = Entry {
                    key: key_hex(texts[i]),
                    vector: v.clone(),
                };
                let line = serde_json::to_string(&entry).map_err(|e| EmbedError::Cache {
                    path: self.path.display().to_string(),
                    message: e.to_string(),
                })?;
                lines.push_str(&line);
                lines.push('\n');
            }
            append(&self.path, &lines).map_err(|message| EmbedError::Cache {
                path: self.path.display().to_string(),
                message,
            })?;
            let mut known = self.lock();
            for (&i, v) in missing.iter().zip(vectors) {
                known.insert(keys[i], v);
            }
            self.misses.fetch_add(missing.len(), Ordering::Relaxed);
        }
        let known = self.lock();
        let out: Option<Vec<Vec<f32>>> = keys.iter().map(|k| known.get(k).cloned()).collect();
        self.hits
            .fetch_add(texts.len() - missing.len(), Ordering::Relaxed);
        out.ok_or(EmbedError::Engine(-1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts the texts it is asked to embed; a text's vector is its length
    /// and its first byte.
    struct Counting(AtomicUsize, &'static str);

    impl Embedder for Counting {
        fn name(&self) -> &str {
            self.1
        }
        fn dim(&self) -> usize {
            2
        }
        fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
            self.0.fetch_add(texts.len(), Ordering::Relaxed);
            Ok(texts
                .iter()
                .map(|t| vec![t.len() as f32, f32::from(t.bytes().next().unwrap_or(0))])
                .collect())
        }
    }

    fn temp(name: &str) -> PathBuf {
        let p = std::env::temp_dir().join(format!(
            "retold-embed-cache-{}-{name}.jsonl",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&p);
        p
    }

    #[test]
    fn second_run_asks_the_model_for_nothing() {
        let path = temp("rerun");
        let model = Arc::new(Counting(AtomicUsize::new(0), "m"));
        let cache = CachedEmbedder::open(&path, model.clone()).unwrap();
        let first = cache.embed(&["alpha", "beta", "alpha"]).unwrap();
        // A repeated text is embedded once.
        assert_eq!(model.0.load(Ordering::Relaxed), 2);
        assert_eq!(first[0], first[2]);
        drop(cache);
        let again = CachedEmbedder::open(&path, model.clone()).unwrap();
        assert_eq!(again.len(), 2);
        let second = again.embed(&["beta", "alpha", "gamma"]).unwrap();
        assert_eq!(model.0.load(Ordering::Relaxed), 3, "only gamma is new");
        assert_eq!(second[0], first[1]);
        assert_eq!(second[1], first[0]);
        assert_eq!(second[2], vec![5.0, f32::from(b'g')]);
        assert_eq!((again.hits(), again.misses()), (2, 1));
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn torn_line_is_skipped_and_another_model_refused() {
        let path = temp("torn");
        let model = Arc::new(Counting(AtomicUsize::new(0), "m"));
        CachedEmbedder::open(&path, model.clone())
            .unwrap()
            .embed(&["one", "two"])
            .unwrap();
        // An interrupted write leaves half a line without its newline.
        append(&path, "{\"key\":\"00ff\",\"vector\":[1.0").unwrap();
        let cache = CachedEmbedder::open(&path, model.clone()).unwrap();
        assert_eq!((cache.len(), cache.skipped()), (2, 1));
        cache.embed(&["three"]).unwrap();
        let reopened = CachedEmbedder::open(&path, model.clone()).unwrap();
        assert_eq!((reopened.len(), reopened.skipped()), (3, 1));
        let other = Arc::new(Counting(AtomicUsize::new(0), "another model"));
        assert!(matches!(
            CachedEmbedder::open(&path, other),
            Err(EmbedError::Cache { message, .. }) if message.contains("another model")
        ));
        std::fs::remove_file(&path).unwrap();
    }
}
