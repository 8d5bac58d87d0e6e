//! `--watch DIR`: ingests files dropped into a folder, by polling.
//!
//! Each poll lists the folder as the CLI does (recursively, in name order,
//! hidden files, `gold.json`, `README*` and `LICENSE*` skipped) and takes
//! every file it has not taken at its current size and modification time,
//! once the file is stable (unchanged since the previous poll, or last
//! modified more than [`SETTLED`] ago). The files a poll takes go in as one
//! batch; each is then recorded in the store, so a restart does not read
//! them again. A file that changes is read again: records with an unchanged
//! text are no-ops, changed ones become revisions.

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

/// Polls `dir` every `every` until `stop` is set.
pub fn run(
    dir: PathBuf,
    every: Duration,
    store: Store,
    ingestor: Ingestor,
    options: IngestOptions,
    stop: Arc<AtomicBool>,
) {
    let mut last_seen: HashMap<String, (i64, i64)> = HashMap::new();
    while !stop.load(Ordering::SeqCst) {
        if let Err(e) = poll(&dir, &store, &ingestor, &options, &mut last_seen) {
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
    store: &Store,
    ingestor: &Ingestor,
    options: &IngestOptions,
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
    let mut records = Vec::new();
    for (_, _, input) in &due {
        records.extend(read_file(input, options));
    }
    let outcomes = ingestor.blocking_ingest(format!("watch:{}", dir.display()), records)?;
    for o in outcomes.iter().filter(|o| o.error.is_some()) {
        if let Some(e) = &o.error {
            eprintln!("retold serve: skipped {}", e.message);
        }
    }
    for (key, (size, mtime), _) in due {
        store
            .set_watched(&key, size, mtime)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
