//! `--watch DIR`: ingests files dropped into a folder, by polling.
//!
//! Each poll lists the folder as the CLI does (recursively, in name order,
//! hidden files, `gold.json`, `README*` and `LICENSE*` skipped) and takes
//! every file it has not taken at its current size and modification time,
//! once the file is stable (unchanged since the previous poll, or last
//! modified more than [`SETTLED`] ago). The files a poll takes go in as
//! batches of at most `batch` records (the `--watch-batch` option,
//! [`WATCH_BATCH`] by default), so a folder of ten thousand files or one
//! file of a million lines is one file's records in memory and a bounded
//! transaction at a time, and readers see stories grow as it goes in. A
//! file is recorded in the store once all its records are in, so a restart
//! does not read it again; one stopped half-way is read again, and the
//! records already stored are no-ops. A file that changes is read again:
//! records with an unchanged text are no-ops, changed ones become
//! revisions.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use retold_core::ingest::{list_inputs, IngestOptions};

use crate::ingest::read_file;
use crate::service::Ingestor;
use crate::store::Store;

/// A file last modified this long ago is taken without waiting a poll.
pub const SETTLED: Duration = Duration::from_secs(2);

/// Records per batch from a watched folder, by default: about 2 s of
/// placement on 2 cores (PERFORMANCE.md), so readers see a large drop
/// arrive in steps.
pub const WATCH_BATCH: usize = 500;

/// What to watch and how.
pub struct Watch {
    pub dir: PathBuf,
    /// Time between polls.
    pub every: Duration,
    /// Most records per batch (at least 1).
    pub batch: usize,
}

/// Polls the folder every `watch.every` until `stop` is set.
pub fn run(
    watch: Watch,
    store: Store,
    ingestor: Ingestor,
    options: IngestOptions,
    stop: Arc<AtomicBool>,
) {
    let mut last_seen: HashMap<String, (i64, i64)> = HashMap::new();
    let Watch { dir, every, batch } = watch;
    let batch = batch.max(1);
    while !stop.load(Ordering::SeqCst) {
        let polled = poll(
            &dir,
            batch,
            &store,
            &ingestor,
            &options,
            &stop,
            &mut last_seen,
        );
        if let Err(e) = polled {
            eprintln!("retold serve: watch {}: {e}", dir.display());
        }
        // Sleep in small steps so a shutdown is not kept waiting.
        let mut slept = Duration::ZERO;
        while slept < every && !stop.load(Ordering::SeqCst) {
            let step = Duration::from_millis(50).min(every - slept);
            std::thread::sleep(step);
            slept += step;
        }
    }
}

fn poll(
    dir: &std::path::Path,
    batch: usize,
    store: &Store,
    ingestor: &Ingestor,
    options: &IngestOptions,
    stop: &AtomicBool,
    last_seen: &mut HashMap<String, (i64, i64)>,
) -> Result<(), String> {
    let (inputs, errors) = list_inputs(dir);
    for e in errors {
        eprintln!("retold serve: watch: {e}");
    }
    let now = SystemTime::now();
    let mut due = Vec::new();
    for input in inputs {
        let Some(path) = input.path.clone() else {
            continue;
        };
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        let mtime = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        let mtime_ns = mtime
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i64);
        let key = path.display().to_string();
        let stamp = (meta.len() as i64, mtime_ns);
        if store.watched(&key).map_err(|e| e.to_string())? == Some(stamp) {
            continue;
        }
        let settled = now.duration_since(mtime).is_ok_and(|d| d >= SETTLED);
        let stable = last_seen.insert(key.clone(), stamp) == Some(stamp);
        if settled || stable {
            due.push((key, stamp, input));
        }
    }
    if due.is_empty() {
        return Ok(());
    }
    let via = format!("watch:{}", dir.display());
    let send = |records: Vec<_>| -> Result<(), String> {
        let outcomes = ingestor
            .blocking_ingest(via.clone(), records)
            .map_err(|e| e.to_string())?;
        for o in outcomes.iter().filter(|o| o.error.is_some()) {
            if let Some(e) = &o.error {
                eprintln!("retold serve: skipped {}", e.message);
            }
        }
        Ok(())
    };
    let mark = |files: &mut Vec<(String, (i64, i64))>| -> Result<(), String> {
        for (key, (size, mtime)) in files.drain(..) {
            store
                .set_watched(&key, size, mtime)
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    };
    // Files whose records are all in `records` or already sent.
    let mut read = Vec::new();
    let mut records = Vec::with_capacity(batch.min(4096));
    for (key, stamp, input) in due {
        for r in read_file(&input, options) {
            if records.is_empty() && stop.load(Ordering::SeqCst) {
                // Shutting down between batches: the file in hand is read
                // again at the next start (its stored records are no-ops).
                return Ok(());
            }
            records.push(r);
            if records.len() == batch {
                send(std::mem::take(&mut records))?;
                mark(&mut read)?;
            }
        }
        read.push((key, stamp));
    }
    if !records.is_empty() {
        send(records)?;
    }
    mark(&mut read)
}
