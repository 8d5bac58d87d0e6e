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
//! batch covered (8 bytes), the length of the first section (8 bytes),
//! then two sections of MessagePack with field names (the engine's types
//! skip empty fields and carry JSON metadata): the engine, then the
//! article rows and the story-wide cache to the end of the file. A save
//! streams the engine to the file while a second thread encodes the rest
//! ([`begin`], which holds the worker); writing the rest, the sync and the
//! rename need nothing of the state and run beside the next batches
//! ([`Tail::finish`]); a load maps the file and decodes the two sections on two threads: at
//! 10 k articles (188 MB) the load took 0.87-1.10 s read through a buffer
//! in one piece, 0.64-0.73 s decoded from memory, and the engine is three
//! quarters of it (PERFORMANCE.md).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use retold_core::article::Article;
use retold_core::story::{Engine, StoryCache};
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

const MAGIC: &[u8; 8] = b"RETOLDE3";

/// Magic, build key, last batch, length of the first section (the engine).
const HEAD: usize = 32;

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

/// The first section of the file: everything but the engine.
#[derive(Serialize)]
struct RestOut<'a> {
    rows: &'a [Article],
    seq_of: &'a HashMap<String, i64>,
    received: &'a HashMap<i64, String>,
    cache: &'a StoryCache,
}

#[derive(Deserialize)]
struct RestIn {
    rows: Vec<Article>,
    seq_of: HashMap<String, i64>,
    received: HashMap<i64, String>,
    cache: StoryCache,
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

/// A save (to a temporary file, then renamed over `path`) whose state is encoded and whose engine is written: the rest of
/// the file (encoded already), the sync and the rename are left to
/// [`Tail::finish`], which needs nothing of the state and may run on
/// another thread while the worker goes on. Until it has run, `path` holds
/// the state saved before (or none): a crash then loses this save only.
pub struct Tail {
    file: File,
    rest: Vec<u8>,
    engine_len: u64,
    path: PathBuf,
    tmp: PathBuf,
}

/// Starts saving `state` to `path`: the part that reads the state, which
/// encodes it and writes the engine to a temporary file;
/// [`Tail::finish`] completes the save.
pub fn begin(path: &Path, key: u64, state: &WorkerState) -> Result<Tail, StateError> {
    let io = |source| StateError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let file = File::create(&tmp).map_err(io)?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let encode = |e: rmp_serde::encode::Error| StateError::Encode {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    w.write_all(MAGIC).map_err(io)?;
    w.write_all(&key.to_le_bytes()).map_err(io)?;
    w.write_all(&state.last_batch.to_le_bytes()).map_err(io)?;
    // The engine's length, written once it is known.
    w.write_all(&0u64.to_le_bytes()).map_err(io)?;
    // The engine goes to the file while the rest is encoded beside it
    // (a quarter of the state at 100 k articles).
    let (rest, engine) = std::thread::scope(|scope| {
        let rest = scope.spawn(|| {
            rmp_serde::to_vec_named(&RestOut {
                rows: &state.rows,
                seq_of: &state.seq_of,
                received: &state.received,
                cache: &state.cache,
            })
        });
        let engine = rmp_serde::encode::write_named(&mut w, &state.engine);
        (rest.join(), engine)
    });
    engine.map_err(encode)?;
    let rest = rest
        .map_err(|_| StateError::Encode {
            path: path.to_path_buf(),
            message: "encoding panicked".into(),
        })?
        .map_err(encode)?;
    let mut file = w.into_inner().map_err(|e| io(e.into_error()))?;
    let engine_len = file.stream_position().map_err(io)? - HEAD as u64;
    Ok(Tail {
        file,
        rest,
        engine_len,
        path: path.to_path_buf(),
        tmp,
    })
}

impl Tail {
    /// Writes the rest, syncs the file and renames it into place; returns
    /// the file's size.
    pub fn finish(self) -> Result<u64, StateError> {
        let Tail {
            mut file,
            rest,
            engine_len,
            path,
            tmp,
        } = self;
        let io = |source| StateError::Io {
            path: path.clone(),
            source,
        };
        file.write_all(&rest).map_err(io)?;
        drop(rest);
        file.seek(SeekFrom::Start(24)).map_err(io)?;
        file.write_all(&engine_len.to_le_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        drop(file);
        std::fs::rename(&tmp, &path).map_err(io)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The rename is durable once the directory is synced.
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(size)
    }
}

/// Reads the state at `path` if this build (`key`) wrote it.
pub fn load(path: &Path, key: u64) -> Result<WorkerState, StateError> {
    let file = File::open(path).map_err(|source| StateError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    // SAFETY: the file is this service's own, written whole to a temporary
    // name and renamed into place, never written in place; a map of it is
    // only read, and only while this function runs.
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|source| StateError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let damaged = |message: String| StateError::Damaged {
        path: path.to_path_buf(),
        message,
    };
    if map.len() < HEAD {
        return Err(damaged("shorter than its header".into()));
    }
    let stale = |why| StateError::Stale {
        path: path.to_path_buf(),
        why,
    };
    if &map[..8] != MAGIC {
        return Err(stale("no retold state header of this version"));
    }
    let word = |at: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&map[at..at + 8]);
        u64::from_le_bytes(b)
    };
    if word(8) != key {
        return Err(stale("written by another build"));
    }
    let last_batch = word(16) as i64;
    let engine_len = usize::try_from(word(24)).unwrap_or(usize::MAX);
    if engine_len > map.len() - HEAD {
        return Err(damaged("shorter than its first section".into()));
    }
    let (engine, rest) = map[HEAD..].split_at(engine_len);
    let (rest, engine) = std::thread::scope(|scope| {
        let rest = scope.spawn(|| rmp_serde::from_slice::<RestIn>(rest));
        let engine = rmp_serde::from_slice::<Engine>(engine);
        (rest.join(), engine)
    });
    let rest = rest
        .map_err(|_| damaged("decoding panicked".into()))?
        .map_err(|e| damaged(e.to_string()))?;
    let engine = engine.map_err(|e| damaged(e.to_string()))?;
    Ok(WorkerState {
        engine,
        rows: rest.rows,
        seq_of: rest.seq_of,
        received: rest.received,
        cache: rest.cache,
        last_batch,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use retold_core::article::{ArticleDraft, Origin};
    use retold_core::story::EngineConfig;

    #[test]
    fn a_saved_state_loads_back_and_a_cut_one_is_refused() {
        let dir = std::env::temp_dir().join(format!("retold-state-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.engine");
        let mut engine = Engine::new(EngineConfig::default());
        let article = |id: &str, text: &str| {
            ArticleDraft {
                id: Some(id.into()),
                text: text.into(),
                ..Default::default()
            }
            .finish(Origin::whole("t"))
            .unwrap()
        };
        let text = "A crane collapsed onto a busy street in Wexhall on Tuesday, injuring three \
            workers. The city closed the road while inspectors examined the site.";
        let articles = vec![
            article("a", text),
            article("b", &text.replace("busy", "crowded")),
        ];
        engine.add_all(articles.clone(), &|_| {});
        let mut cache = StoryCache::default();
        let stories = engine.stories_cached(&mut cache);
        let state = WorkerState {
            engine,
            rows: articles,
            seq_of: HashMap::from([("a".to_string(), 1), ("b".to_string(), 2)]),
            received: HashMap::from([(1, "r1".to_string()), (2, "r2".to_string())]),
            cache,
            last_batch: 7,
        };
        let size = begin(&path, 42, &state).unwrap().finish().unwrap();
        let mut back = load(&path, 42).unwrap();
        assert_eq!(back.last_batch, 7);
        assert_eq!(back.rows, state.rows);
        assert_eq!((back.seq_of, back.received), (state.seq_of, state.received));
        assert_eq!(back.engine.stories_cached(&mut back.cache), stories);
        assert_eq!(back.cache.computed(), 0, "the cache came back too");
        assert!(matches!(load(&path, 43), Err(StateError::Stale { .. })));
        // Cut anywhere: refused, never a panic or a partial engine.
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes.len() as u64, size);
        for cut in [
            0,
            10,
            HEAD - 1,
            HEAD,
            HEAD + 5,
            bytes.len() / 2,
            bytes.len() - 1,
        ] {
            std::fs::write(&path, &bytes[..cut]).unwrap();
            assert!(
                matches!(load(&path, 42), Err(StateError::Damaged { .. })),
                "cut at {cut}"
            );
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
