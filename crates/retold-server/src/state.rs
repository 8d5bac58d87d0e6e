//! The engine saved beside the store, so a restart loads it instead of
//! placing every stored article again.
//!
//! The store stays the truth: it has every acknowledged revision, batch by
//! batch. The saved state is the worker's engine (features, index,
//! placements, change reports), its article rows and the story-wide cache
//! as they stood after batch `B`. A restart that finds a state saved by the
//! same executable loads it and replays only the batches after `B`; any
//! other state (a different build, a damaged or partial file, a `B` the
//! store does not have) is ignored with a message and the whole store is
//! replayed, as before. Since placing is deterministic, both ways give the
//! same engine: what `tests/serve.rs` checks with a kill -9 between saves.
//!
//! File: `<db>.engine`, written to `<db>.engine.tmp`, synced and renamed
//! over the old one, so a crash mid-write leaves the previous state. Layout:
//! 8 bytes of magic, the build key (8 bytes, little-endian), the last
//! batch covered (8 bytes), then the worker state as MessagePack with field
//! names (the engine's types skip empty fields and carry JSON metadata).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use retold_core::article::Article;
use retold_core::story::{Engine, StoryCache};
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

const MAGIC: &[u8; 8] = b"RETOLDE1";

/// What went wrong saving or loading the state.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: cannot encode the engine: {message}")]
    Encode { path: PathBuf, message: String },
    #[error("{path}: not a state this build wrote ({why})")]
    Stale { path: PathBuf, why: &'static str },
    #[error("{path}: damaged state: {message}")]
    Damaged { path: PathBuf, message: String },
}

/// The worker's state: everything but the store.
#[derive(Serialize, Deserialize)]
pub struct WorkerState {
    pub engine: Engine,
    /// Every placed revision without its text (the report's rows).
    pub rows: Vec<Article>,
    pub seq_of: HashMap<String, i64>,
    pub received: HashMap<i64, String>,
    pub cache: StoryCache,
    /// The last batch placed (0 before any).
    pub last_batch: i64,
}

/// Where the state of the store at `db` is kept.
pub fn path_for(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".engine");
    PathBuf::from(p)
}

/// The key of this build: a hash of the running executable, so a state is
/// loaded only by the build that wrote it (another build may place
/// differently). `None` when the executable cannot be read: then no state
/// is saved or loaded.
pub fn build_key() -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let mut f = File::open(exe).ok()?;
    let mut h = Xxh3::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Some(h.digest())
}

/// Writes `state` to `path` (through a temporary file and a rename).
pub fn save(path: &Path, key: u64, state: &WorkerState) -> Result<u64, StateError> {
    let io = |source| StateError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let file = File::create(&tmp).map_err(io)?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    w.write_all(MAGIC).map_err(io)?;
    w.write_all(&key.to_le_bytes()).map_err(io)?;
    w.write_all(&state.last_batch.to_le_bytes()).map_err(io)?;
    rmp_serde::encode::write_named(&mut w, state).map_err(|e| StateError::Encode {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let file = w.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    drop(file);
    std::fs::rename(&tmp, path).map_err(io)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // The rename is durable once the directory is synced.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(size)
}

/// Reads the state at `path` if this build (`key`) wrote it.
pub fn load(path: &Path, key: u64) -> Result<WorkerState, StateError> {
    let file = File::open(path).map_err(|source| StateError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut r = BufReader::with_capacity(1 << 20, file);
    let mut head = [0u8; 24];
    r.read_exact(&mut head).map_err(|_| StateError::Damaged {
        path: path.to_path_buf(),
        message: "shorter than its header".into(),
    })?;
    let stale = |why| StateError::Stale {
        path: path.to_path_buf(),
        why,
    };
    if &head[..8] != MAGIC {
        return Err(stale("no retold state header"));
    }
    let mut k = [0u8; 8];
    k.copy_from_slice(&head[8..16]);
    if u64::from_le_bytes(k) != key {
        return Err(stale("written by another build"));
    }
    let state: WorkerState = rmp_serde::decode::from_read(r).map_err(|e| StateError::Damaged {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    Ok(state)
}
