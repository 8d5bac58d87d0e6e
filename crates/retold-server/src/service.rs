//! The service's state: one ingest worker owns the engine and the store's
//! write connection; readers see the latest [`Snapshot`].
//!
//! A batch (one request, one watched file) goes through the worker in one
//! piece: its records are checked against the store, the new revisions are
//! committed in one transaction (only then is anything acknowledged), then
//! placed with [`Engine::add_all`], then a new snapshot of the stories is
//! published and the batch's outcomes are returned. Batches are handled
//! one at a time in the order they arrive; the store keeps that order, so a
//! restart replays the same batches into a fresh engine and gets the same
//! stories.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use retold_core::article::Article;
use retold_core::ingest::Batch;
use retold_core::report::Analysis;
use retold_core::story::{Engine, EngineConfig, StoryCache};
use serde_json::value::RawValue;
use tokio::sync::{mpsc, oneshot};
use xxhash_rust::xxh3::Xxh3;

use crate::ingest::{plan, Outcome, Record};
use crate::metrics::Metrics;
use crate::state::{self, WorkerState};
use crate::store::{Store, StoreError};

/// A batch to ingest and where to send its outcomes.
pub struct Job {
    /// What sent it (`http`, `watch:path`), kept with the batch.
    pub via: String,
    pub records: Vec<Record>,
    pub reply: oneshot::Sender<Result<Vec<Outcome>, IngestFailure>>,
}

/// When a story last changed.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Updated {
    /// The highest ingest sequence number among its members.
    pub seq: i64,
}

/// The stories as of one batch: what every read sees until the next
/// batch is placed.
pub struct Snapshot {
    /// The stories and article rows (no texts), newest change first.
    pub analysis: Analysis,
    /// Per story (by index into `analysis.stories`): when it last changed.
    pub updated: Vec<Updated>,
    /// Story index by story id, and by member engine id.
    pub by_id: HashMap<String, usize>,
    pub story_of: HashMap<String, usize>,
    /// Index of each article row in `analysis.articles`, by engine id.
    pub row_of: HashMap<String, usize>,
    /// The highest sequence number placed (0 when empty).
    pub last_seq: i64,
    /// Received time (RFC 3339) of each placed revision, by sequence number.
    pub received: HashMap<i64, String>,
    /// Each story's view as JSON (by index into `analysis.stories`), made
    /// once per change of the story (see [`Views`]), so a read of a page
    /// of stories copies bytes instead of serializing deep views.
    pub json: Vec<Arc<RawValue>>,
}

impl Snapshot {
    /// The article row of engine id `id`.
    pub fn row(&self, id: &str) -> Option<&retold_core::report::ArticleRow> {
        self.row_of
            .get(id)
            .and_then(|&k| self.analysis.articles.get(k))
    }

    fn empty() -> Snapshot {
        Snapshot::build(&[], Vec::new(), &HashMap::new(), HashMap::new())
    }

    fn build(
        rows: &[Article],
        stories: Vec<retold_core::story::Story>,
        seq_of: &HashMap<String, i64>,
        received: HashMap<i64, String>,
    ) -> Snapshot {
        let batch = Batch {
            articles: rows.to_vec(),
            inputs: 0,
            ..Default::default()
        };
        let mut analysis = Analysis::new(&batch, stories, false);
        let updated_of = |v: &retold_core::report::StoryView| Updated {
            seq: v
                .story
                .articles
                .iter()
                .filter_map(|a| seq_of.get(a))
                .copied()
                .max()
                .unwrap_or(0),
        };
        // Newest change first, then by story id.
        analysis.stories.sort_by(|x, y| {
            updated_of(y)
                .seq
                .cmp(&updated_of(x).seq)
                .then_with(|| x.story.id.cmp(&y.story.id))
        });
        let updated: Vec<Updated> = analysis.stories.iter().map(updated_of).collect();
        let mut by_id = HashMap::new();
        let mut story_of = HashMap::new();
        for (k, v) in analysis.stories.iter().enumerate() {
            by_id.insert(v.story.id.clone(), k);
            for a in &v.story.articles {
                story_of.insert(a.clone(), k);
            }
        }
        let row_of = analysis
            .articles
            .iter()
            .enumerate()
            .map(|(k, a)| (a.id.clone(), k))
            .collect();
        Snapshot {
            analysis,
            updated,
            by_id,
            story_of,
            row_of,
            last_seq: seq_of.values().copied().max().unwrap_or(0),
            received,
            json: Vec::new(),
        }
    }
}

/// The JSON of each story's view, kept from one snapshot to the next while
/// the story does not change: by story id, its fingerprint and JSON. The
/// fingerprint is the story cache's key ([`StoryCache::key_of`]: members,
/// tree, change reports, texts, furniture, alignments) and the members'
/// own placing evidence, which that key leaves out (role, confidence,
/// degree, direction, the verdict against the parent without its
/// features, other events); a story of one member is its article, whose
/// row never changes. At 10 k articles a page of 50 full views is 3.7 MB
/// of JSON: serialized per read, 50 readers during ingest held p99 at
/// seconds (PERFORMANCE.md).
#[derive(Default)]
pub struct Views {
    json: HashMap<String, (u64, Arc<RawValue>)>,
    /// Views serialized at the last snapshot (the others were kept).
    pub made: usize,
}

impl Views {
    /// The JSON of every story of `analysis`, in order: kept where the
    /// fingerprint is the same, made where not; views of stories gone are
    /// dropped.
    fn of(&mut self, analysis: &Analysis, cache: &StoryCache) -> Vec<Arc<RawValue>> {
        let mut next = HashMap::with_capacity(analysis.stories.len());
        let mut out = Vec::with_capacity(analysis.stories.len());
        self.made = 0;
        for v in &analysis.stories {
            let id = &v.story.id;
            let print = fingerprint(v, cache.key_of(id));
            let json = match self.json.remove(id) {
                Some((p, j)) if p == print => j,
                _ => {
                    self.made += 1;
                    match serde_json::value::to_raw_value(v) {
                        Ok(j) => Arc::from(j),
                        // A view that does not serialize (a bug): null
                        // rather than a missing story.
                        Err(e) => {
                            eprintln!("retold serve: story {id}: {e}");
                            Arc::from(RawValue::NULL.to_owned())
                        }
                    }
                }
            };
            next.insert(id.clone(), (print, Arc::clone(&json)));
            out.push(json);
        }
        self.json = next;
        out
    }
}

/// See [`Views`].
fn fingerprint(v: &retold_core::report::StoryView, key: Option<u64>) -> u64 {
    let mut h = Xxh3::new();
    h.update(&key.unwrap_or(0).to_le_bytes());
    for m in &v.story.members {
        h.update(m.article.as_bytes());
        h.update(&[m.role as u8, m.degree.map_or(9, |d| d as u8)]);
        h.update(&m.confidence.to_bits().to_le_bytes());
        let evidence = m.evidence.as_ref().map(|e| {
            (
                &e.against,
                e.relation,
                e.confidence,
                e.story_link,
                &e.direction,
                &e.merged,
                &e.joined_by,
                &e.conflicts,
            )
        });
        let placing = (&m.direction, &m.direction_basis, &m.other_events, evidence);
        if let Ok(bytes) = serde_json::to_vec(&placing) {
            h.update(&bytes);
        }
    }
    h.digest()
}

/// What the HTTP handlers share.
pub struct Shared {
    pub snapshot: RwLock<Arc<Snapshot>>,
    /// A read connection to the store (WAL: reads do not wait for writes).
    pub reader: Mutex<Store>,
    pub metrics: Metrics,
    pub queue_depth: AtomicUsize,
    /// What the replay at start took.
    pub replay: Replay,
}

impl Shared {
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(s) => Arc::clone(&s),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    pub fn publish(&self, s: Snapshot) {
        let s = Arc::new(s);
        match self.snapshot.write() {
            Ok(mut g) => *g = s,
            Err(poisoned) => *poisoned.into_inner() = s,
        }
    }
}

/// A handle that hands batches to the worker (the worker stops once every
/// handle is dropped).
#[derive(Clone)]
pub struct Ingestor {
    pub jobs: mpsc::Sender<Job>,
    pub shared: Arc<Shared>,
}

impl Ingestor {
    /// Hands a batch to the worker and waits for its outcomes.
    pub async fn ingest(
        &self,
        via: String,
        records: Vec<Record>,
    ) -> Result<Vec<Outcome>, IngestFailure> {
        let (job, rx) = self.job(via, records);
        if self.jobs.send(job).await.is_err() {
            return Err(self.not_taken());
        }
        rx.await
            .map_err(|_| IngestFailure::Unavailable("the ingest worker stopped".into()))?
    }

    /// A job for the worker, counted in the queue depth until the worker
    /// takes it, and where its outcomes will come.
    fn job(
        &self,
        via: String,
        records: Vec<Record>,
    ) -> (Job, oneshot::Receiver<Result<Vec<Outcome>, IngestFailure>>) {
        let (reply, rx) = oneshot::channel();
        self.shared.queue_depth.fetch_add(1, Ordering::SeqCst);
        let job = Job {
            via,
            records,
            reply,
        };
        (job, rx)
    }

    /// A job the worker will never take: no longer counted.
    fn not_taken(&self) -> IngestFailure {
        self.shared.queue_depth.fetch_sub(1, Ordering::SeqCst);
        IngestFailure::Unavailable("the service is shutting down".into())
    }

    /// [`Ingestor::ingest`] from a thread outside the runtime.
    pub fn blocking_ingest(
        &self,
        via: String,
        records: Vec<Record>,
    ) -> Result<Vec<Outcome>, IngestFailure> {
        let (job, rx) = self.job(via, records);
        if self.jobs.blocking_send(job).is_err() {
            return Err(self.not_taken());
        }
        rx.blocking_recv()
            .map_err(|_| IngestFailure::Unavailable("the ingest worker stopped".into()))?
    }
}

/// The engine and what the snapshots are built from; lives on the worker
/// thread.
pub struct Worker {
    s: WorkerState,
    store: Store,
    /// Where the state is saved (see [`crate::state`]), and this build's
    /// key; `None`: not saved.
    saving: Option<(PathBuf, u64)>,
    /// Revisions placed since the state was last saved.
    unsaved: usize,
    /// Save when this many were placed since the last save, or a quarter
    /// of the store if more; 0: only when asked to ([`Worker::save`] with
    /// `now`).
    pub save_every: usize,
    /// What places a batch in the engine ([`add_all`]; tests put a failing
    /// one here).
    placer: fn(&mut Engine, Vec<Article>),
    /// The stories' JSON, kept between snapshots.
    views: Views,
}

/// Places a batch: [`Engine::add_all`].
fn add_all(engine: &mut Engine, batch: Vec<Article>) {
    engine.add_all(batch, &|_| {});
}

/// Why a batch was not taken.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IngestFailure {
    /// The service is stopping, or the store refused the batch (a full
    /// disk): nothing of it was stored; it may be sent again later.
    #[error("{0}")]
    Unavailable(String),
    /// Placing the batch in the engine failed: a bug in retold. Nothing of
    /// the batch was kept, the engine was rebuilt from the store, and the
    /// service goes on with the next batch.
    #[error("{0}")]
    Failed(String),
}

/// How the worker's engine was rebuilt at start.
#[derive(Debug, Clone, Copy)]
pub struct Replay {
    /// Batches and revisions placed again from the store.
    pub batches: usize,
    pub revisions: usize,
    /// Revisions that came with the saved state instead.
    pub loaded: usize,
    pub seconds: f64,
}

/// The state is saved once this many revisions were placed since the
/// last save, or a quarter of the store if that is more: saving costs
/// O(stored articles), so it is spread to a bounded share of ingest time.
pub const SAVE_EVERY: usize = 2000;

impl Worker {
    /// A worker over `store`: the saved state at `state_path` when this
    /// build wrote it and it matches the store, then every stored batch
    /// after it placed again in order (every batch when there is no usable
    /// state; the cost then grows with the store, see PERFORMANCE.md).
    pub fn replay(
        store: Store,
        state_path: Option<PathBuf>,
    ) -> Result<(Worker, Replay), StoreError> {
        let saving = state_path.and_then(|p| state::build_key().map(|k| (p, k)));
        let mut w = Worker {
            s: empty_state(),
            store,
            saving,
            unsaved: 0,
            save_every: SAVE_EVERY,
            placer: add_all,
            views: Views::default(),
        };
        let stats = w.restore()?;
        Ok((w, stats))
    }

    /// Rebuilds the engine from the saved state (when usable) and the
    /// batches stored after it.
    fn restore(&mut self) -> Result<Replay, StoreError> {
        let clock = Instant::now();
        let mut loaded = None;
        if let Some((path, key)) = &self.saving {
            if path.exists() {
                match state::load(path, *key) {
                    Ok(s) if self.store.revisions_up_to(s.last_batch)? == s.rows.len() as i64 => {
                        loaded = Some(s)
                    }
                    Ok(_) => eprintln!(
                        "retold serve: {}: the saved state does not match the store; placing every stored article again",
                        path.display()
                    ),
                    Err(e) => eprintln!("retold serve: {e}; placing every stored article again"),
                }
            }
        }
        let from_state = loaded.as_ref().map_or(0, |s| s.rows.len());
        self.s = loaded.unwrap_or_else(empty_state);
        self.unsaved = 0;
        let mut stats = Replay {
            batches: 0,
            revisions: 0,
            loaded: from_state,
            seconds: 0.0,
        };
        let mut batches = Vec::new();
        self.store.batches(self.s.last_batch, &mut |b, list| {
            batches.push((b, list));
            Ok(())
        })?;
        for (b, list) in batches {
            stats.batches += 1;
            stats.revisions += list.len();
            let articles: Vec<(i64, String, Article)> = list
                .into_iter()
                .map(|r| (r.seq, r.received_at, r.article))
                .collect();
            self.place(b, articles);
        }
        stats.seconds = clock.elapsed().as_secs_f64();
        Ok(stats)
    }

    /// Saves the state when enough was placed since the last save (see
    /// [`Worker::save_every`]), or whenever anything was with `now`.
    pub fn save(&mut self, now: bool) {
        let Some((path, key)) = &self.saving else {
            return;
        };
        let due = self.save_every.max(self.s.rows.len() / 4);
        if self.unsaved == 0 || (!now && (self.save_every == 0 || self.unsaved < due)) {
            return;
        }
        let clock = Instant::now();
        match state::save(path, *key, &self.s) {
            Ok(size) => {
                self.unsaved = 0;
                if std::env::var_os("RETOLD_DEBUG").is_some() {
                    eprintln!(
                        "retold serve: saved the engine of {} articles ({:.1} MB) in {:.2} s",
                        self.s.rows.len(),
                        size as f64 / 1e6,
                        clock.elapsed().as_secs_f64()
                    );
                }
            }
            // The store has everything: a restart replays what is unsaved.
            Err(e) => eprintln!("retold serve: {e}"),
        }
    }

    /// The snapshot of the stories as they stand.
    pub fn snapshot(&mut self) -> Snapshot {
        let clock = Instant::now();
        let stories = self.s.engine.stories_cached(&mut self.s.cache);
        let took = clock.elapsed().as_secs_f64();
        let mut snap = Snapshot::build(
            &self.s.rows,
            stories,
            &self.s.seq_of,
            self.s.received.clone(),
        );
        snap.json = self.views.of(&snap.analysis, &self.s.cache);
        if std::env::var_os("RETOLD_DEBUG").is_some() {
            eprintln!(
                "retold serve: snapshot of {} articles: stories {took:.2} s ({} redone), view {:.2} s ({} serialized)",
                self.s.rows.len(),
                self.s.cache.computed(),
                clock.elapsed().as_secs_f64() - took,
                self.views.made
            );
        }
        snap
    }

    /// Places stored batch `b`'s revisions (sequence number, received
    /// time, article).
    fn place(&mut self, b: i64, articles: Vec<(i64, String, Article)>) {
        let mut batch = Vec::with_capacity(articles.len());
        for (seq, received, a) in articles {
            self.s.seq_of.insert(a.id.clone(), seq);
            self.s.received.insert(seq, received);
            self.s.rows.push(without_text(&a));
            batch.push(a);
        }
        self.unsaved += batch.len();
        (self.placer)(&mut self.s.engine, batch);
        self.s.last_batch = b;
    }

    /// One batch: store, place, outcomes with their stories.
    ///
    /// When placing panics (a bug in retold), the batch is taken back out
    /// of the store, the engine is rebuilt from the store as at a restart,
    /// and the batch gets [`IngestFailure::Failed`]: the store and the
    /// engine hold the same articles, and the next batch is placed as if
    /// this one had never come.
    pub fn handle(
        &mut self,
        via: &str,
        records: Vec<Record>,
        metrics: &Metrics,
    ) -> Result<(Vec<Outcome>, bool), IngestFailure> {
        let unavailable = |e: StoreError| IngestFailure::Unavailable(e.to_string());
        let (mut outcomes, new) = plan(&self.store, records).map_err(unavailable)?;
        if new.is_empty() {
            for o in &outcomes {
                metrics.count_outcome(o.status);
            }
            return Ok((outcomes, false));
        }
        let received = jiff::Timestamp::now().to_string();
        let revisions: Vec<_> = new.iter().map(|(_, r)| r.clone()).collect();
        let (b, seqs) = self
            .store
            .commit_batch(via, &received, &revisions)
            .map_err(unavailable)?;
        let clock = Instant::now();
        let placed: Vec<(i64, String, Article)> = new
            .into_iter()
            .zip(&seqs)
            .map(|((k, r), &seq)| {
                outcomes[k].seq = Some(seq);
                (seq, received.clone(), r.article)
            })
            .collect();
        let n = placed.len();
        let placing =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.place(b, placed)));
        if let Err(panic) = placing {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".into());
            eprintln!("retold serve: placing batch {b} ({n} articles, via {via}) failed: {why}; taking it back and rebuilding the engine");
            self.store.uncommit_batch(b).map_err(unavailable)?;
            let rebuilt = self.restore().map_err(unavailable)?;
            eprintln!(
                "retold serve: engine rebuilt ({} articles loaded, {} placed again) in {:.1} s",
                rebuilt.loaded, rebuilt.revisions, rebuilt.seconds
            );
            return Err(IngestFailure::Failed(format!(
                "placing the batch failed ({why}): a bug in retold; nothing of the batch was stored, and the service goes on"
            )));
        }
        for o in &outcomes {
            metrics.count_outcome(o.status);
        }
        metrics.observe_placement(clock.elapsed().as_secs_f64(), n);
        Ok((outcomes, true))
    }
}

/// A worker state with nothing placed.
fn empty_state() -> WorkerState {
    WorkerState {
        engine: Engine::new(EngineConfig::default()),
        rows: Vec::new(),
        seq_of: HashMap::new(),
        received: HashMap::new(),
        cache: StoryCache::default(),
        last_batch: 0,
    }
}

/// `a` without its text and extra fields (what an article row shows).
fn without_text(a: &Article) -> Article {
    Article {
        text: String::new(),
        metadata: Default::default(),
        ..a.clone()
    }
}

/// Batches handled together before one snapshot is rebuilt for all of
/// them (when several are waiting).
pub const MAX_GROUP: usize = 16;

/// Runs the worker until every job sender is gone: each job in arrival
/// order. Each batch is stored and placed on its own (so a replay of the
/// store places the same batches); the jobs already waiting when one is
/// taken (up to [`MAX_GROUP`]) are handled with it, and one snapshot of
/// the stories is rebuilt for the group before their answers go out
/// (rebuilding is O(stored articles), see PERFORMANCE.md). The batch in
/// hand is always finished: graceful shutdown closes the channel and waits
/// for this to return, and the state is saved on the way out (see
/// [`crate::state`]; also during ingest, every [`SAVE_EVERY`] revisions or
/// more).
pub fn run_worker(mut worker: Worker, mut jobs: mpsc::Receiver<Job>, shared: Arc<Shared>) {
    while let Some(first) = jobs.blocking_recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let mut handled = Vec::with_capacity(group.len());
        let mut changed = false;
        for job in group {
            shared.queue_depth.fetch_sub(1, Ordering::SeqCst);
            let result = worker.handle(&job.via, job.records, &shared.metrics);
            if let Ok((_, true)) = &result {
                changed = true;
            }
            handled.push((job.reply, result));
        }
        let snap = if changed {
            let clock = Instant::now();
            let snap = Arc::new(worker.snapshot());
            shared
                .metrics
                .observe_snapshot(clock.elapsed().as_secs_f64());
            match shared.snapshot.write() {
                Ok(mut g) => *g = Arc::clone(&snap),
                Err(poisoned) => *poisoned.into_inner() = Arc::clone(&snap),
            }
            snap
        } else {
            shared.snapshot()
        };
        for (reply, result) in handled {
            let answer = result.map(|(mut outcomes, _)| {
                // Each stored or unchanged record's story.
                for o in &mut outcomes {
                    o.story = o
                        .engine_id
                        .as_ref()
                        .and_then(|id| snap.story_of.get(id))
                        .map(|&k| snap.analysis.stories[k].story.id.clone());
                }
                outcomes
            });
            // The client may have gone; the batch is stored either way.
            let _ = reply.send(answer);
        }
        // After the answers: a save holds up the next batch, not these.
        worker.save(false);
    }
    // Shutting down: whatever was placed since the last save.
    worker.save(true);
}

/// The nice value of the ingest threads: below the readers' (0).
pub const INGEST_NICE: i32 = 10;

/// Lowers the calling thread's scheduling priority to [`INGEST_NICE`]
/// (Linux: the nice value is per thread). Best effort: where it cannot
/// be lowered the thread runs as it is.
pub fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority reads no memory of ours; `who` 0 is the calling
    // thread, and a failure only leaves its priority as it was.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, INGEST_NICE);
    }
}

/// A snapshot with nothing in it (before the worker publishes).
pub fn empty_snapshot() -> Snapshot {
    Snapshot::empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read_jsonl;
    use retold_core::ingest::IngestOptions;

    const TEXT: &str =
        "A crane collapsed onto a busy street in Wexhall on Tuesday, injuring three \
        workers. The city closed the road while inspectors examined the site.";

    fn records(ids: &[&str]) -> Vec<Record> {
        let texts: Vec<(&str, String)> = ids
            .iter()
            .map(|id| (*id, TEXT.replace("Tuesday", id)))
            .collect();
        records_of(&texts)
    }

    fn records_of(texts: &[(&str, String)]) -> Vec<Record> {
        let body: String = texts
            .iter()
            .map(|(id, text)| serde_json::json!({"id": id, "text": text}).to_string() + "\n")
            .collect();
        read_jsonl(body.as_bytes(), "request", &IngestOptions::default())
    }

    /// A worker over a fresh store in a scratch folder (removed by the test).
    fn scratch_worker(name: &str) -> (std::path::PathBuf, Worker) {
        let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("w.db");
        let _ = std::fs::remove_file(&path);
        let (w, _) = Worker::replay(Store::open(&path).unwrap(), None).unwrap();
        (dir, w)
    }

    /// Places like `add_all`, but panics on a batch holding article `boom`.
    fn fragile(engine: &mut Engine, batch: Vec<Article>) {
        let boom = batch.iter().any(|a| a.id == "boom");
        engine.add_all(batch, &|_| {});
        assert!(!boom, "placing boom");
    }

    #[test]
    fn a_batch_whose_placing_panics_is_taken_back_and_the_next_one_is_placed() {
        let (dir, mut w) = scratch_worker("retold-worker");
        w.placer = fragile;
        let m = Metrics::default();
        let (first, changed) = w.handle("test", records(&["a", "b"]), &m).unwrap();
        assert!(changed && first.iter().all(|o| o.seq.is_some()));
        // The failing batch also brings a new revision of `a`.
        let mut bad = records(&["boom", "c"]);
        bad.extend(records_of(&[(
            "a",
            TEXT.replace("Tuesday", "a") + " The mayor called for a review.",
        )]));
        let failed = w.handle("test", bad, &m);
        assert!(
            matches!(&failed, Err(IngestFailure::Failed(m)) if m.contains("placing boom")),
            "{failed:?}"
        );
        // Nothing of it is stored, and `a` is as it was.
        let counts = w.store.counts().unwrap();
        assert_eq!(
            (counts.articles, counts.revisions, counts.batches),
            (2, 2, 1)
        );
        assert!(w.store.known("boom").unwrap().is_none());
        assert_eq!(w.store.revisions("a").unwrap().len(), 1);
        // The engine holds what the store holds, and goes on.
        assert_eq!(w.s.rows.len(), 2);
        let (next, changed) = w.handle("test", records(&["c", "d"]), &m).unwrap();
        assert!(changed && next.iter().all(|o| o.error.is_none()));
        let snap = w.snapshot();
        assert_eq!(snap.analysis.articles.len(), 4);
        assert_eq!(w.store.counts().unwrap().revisions, 4);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_story_view_is_serialized_again_only_when_the_story_changes() {
        let (dir, mut w) = scratch_worker("retold-views");
        let m = Metrics::default();
        let same = |snap: &Snapshot| {
            for (k, v) in snap.analysis.stories.iter().enumerate() {
                let fresh = serde_json::to_string(v).unwrap();
                assert_eq!(snap.json[k].get(), fresh, "{}", v.story.id);
            }
        };
        w.handle("test", records_of(&[("first", TEXT.into())]), &m)
            .unwrap();
        let snap = w.snapshot();
        assert_eq!((snap.analysis.stories.len(), w.views.made), (1, 1));
        same(&snap);
        // An unrelated article: its story is new, the first one kept.
        let other = "Voters in Marlow chose a new mayor on Sunday after a campaign \
            dominated by housing and the future of the town's harbour.";
        w.handle("test", records_of(&[("other", other.into())]), &m)
            .unwrap();
        let snap = w.snapshot();
        assert_eq!((snap.analysis.stories.len(), w.views.made), (2, 1));
        same(&snap);
        // A copy joins the first story: that story's view is made again,
        // and shows the copy.
        let copy = TEXT.replace("busy street", "crowded street");
        w.handle("test", records_of(&[("copy", copy)]), &m).unwrap();
        let snap = w.snapshot();
        assert_eq!((snap.analysis.stories.len(), w.views.made), (2, 1));
        same(&snap);
        let k = snap.story_of["copy"];
        assert!(snap.json[k].get().contains("\"copy\""));
        std::fs::remove_dir_all(&dir).ok();
    }
}
