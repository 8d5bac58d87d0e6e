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

use rayon::prelude::*;
use retold_core::article::Article;
use retold_core::ingest::Batch;
use retold_core::report::{Analysis, ArticleRow, StoryView, Summary};
use retold_core::story::{Engine, EngineConfig, StoryCache};
use serde_json::value::RawValue;
use tokio::sync::{mpsc, oneshot};

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

impl Updated {
    /// The last change of a story with these `articles`, from each
    /// article's ingest sequence number.
    fn of<'a>(
        articles: impl IntoIterator<Item = &'a String>,
        seq_of: &HashMap<String, i64>,
    ) -> Updated {
        Updated {
            seq: articles
                .into_iter()
                .filter_map(|a| seq_of.get(a))
                .copied()
                .max()
                .unwrap_or(0),
        }
    }
}

/// The stories and article rows of a snapshot: the report's view model,
/// the stories and rows shared with the snapshots before and after it
/// where they did not change.
pub struct Stories {
    pub schema: String,
    pub summary: Summary,
    /// Every placed revision's row (no texts), in placing order.
    pub articles: Rows,
    /// Newest change first.
    pub stories: Vec<Arc<StoryView>>,
}

/// Rows per chunk of [`Rows`].
const ROWS_CHUNK: usize = 1024;

/// The article rows in placing order, in chunks a snapshot shares with
/// the snapshots before it: appending copies at most the last chunk
/// (the whole list was copied once per snapshot, 0.1 s at 100 k articles).
#[derive(Clone, Default, Debug)]
pub struct Rows {
    chunks: Vec<Arc<Vec<ArticleRow>>>,
    len: usize,
}

impl Rows {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, k: usize) -> Option<&ArticleRow> {
        self.chunks.get(k / ROWS_CHUNK)?.get(k % ROWS_CHUNK)
    }

    fn push(&mut self, row: ArticleRow) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < ROWS_CHUNK => Arc::make_mut(last).push(row),
            _ => {
                let mut chunk = Vec::with_capacity(ROWS_CHUNK);
                chunk.push(row);
                self.chunks.push(Arc::new(chunk));
            }
        }
        self.len += 1;
    }

    pub fn iter(&self) -> impl Iterator<Item = &ArticleRow> {
        self.chunks.iter().flat_map(|c| c.iter())
    }
}

/// A map a snapshot shares with the snapshots before and after it (a
/// persistent hash map: a copy costs nothing, a change copies a path).
type SharedMap<K, V> = imbl::HashMap<K, V>;

/// The stories as of one batch: what every read sees until the next
/// batch is placed.
pub struct Snapshot {
    /// The stories and article rows (no texts), newest change first.
    pub analysis: Stories,
    /// Per story (by index into `analysis.stories`): when it last changed.
    pub updated: Vec<Updated>,
    /// Story number (see [`Engine::stories_update`]) by story id, and by
    /// member engine id; `position` turns a number into an index into
    /// `analysis.stories`. The maps are kept up from one snapshot to the
    /// next for the stories that changed (rebuilt, they were O(stored
    /// articles) per snapshot).
    by_id: SharedMap<String, usize>,
    story_of: SharedMap<String, usize>,
    position: HashMap<usize, usize>,
    /// Index of each article row in `analysis.articles`, by engine id.
    row_of: SharedMap<String, usize>,
    /// The highest sequence number placed (0 when empty).
    pub last_seq: i64,
    /// Received time (RFC 3339) of each placed revision, by sequence number.
    received: SharedMap<i64, String>,
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

    /// The index (into `analysis.stories`) of the story with id `id`.
    pub fn story_by_id(&self, id: &str) -> Option<usize> {
        self.by_id
            .get(id)
            .and_then(|n| self.position.get(n))
            .copied()
    }

    /// The index of the story article `id` (an engine id) is in.
    pub fn story_of(&self, id: &str) -> Option<usize> {
        self.story_of
            .get(id)
            .and_then(|n| self.position.get(n))
            .copied()
    }

    /// When the revision with sequence number `seq` was received.
    pub fn received(&self, seq: i64) -> Option<&str> {
        self.received.get(&seq).map(String::as_str)
    }

    fn empty() -> Snapshot {
        Snapshot::build(&[], Vec::new(), &HashMap::new(), &HashMap::new())
    }

    /// A snapshot made whole from `stories` (every view made and
    /// serialized; the stories numbered in the given order): what
    /// [`Worker::snapshot`] keeps up incrementally.
    fn build(
        rows: &[Article],
        stories: Vec<retold_core::story::Story>,
        seq_of: &HashMap<String, i64>,
        received: &HashMap<i64, String>,
    ) -> Snapshot {
        let batch = Batch {
            articles: rows.to_vec(),
            inputs: 0,
            ..Default::default()
        };
        let analysis = Analysis::new(&batch, stories, false);
        let updated_of =
            |v: &retold_core::report::StoryView| Updated::of(&v.story.articles, seq_of);
        let mut maps = Maps::default();
        let views: Vec<(usize, Kept)> = analysis
            .stories
            .into_iter()
            .enumerate()
            .map(|(n, v)| {
                let updated = updated_of(&v);
                let json = to_json(&v);
                maps.number(n, &v);
                (n, (Arc::new(v), json, updated))
            })
            .collect();
        for a in analysis.articles {
            maps.row(a, seq_of, received);
        }
        Snapshot::assemble(views, maps)
    }

    /// A snapshot of these stories (number, view, JSON, last change; in
    /// any order) and of the rows and maps in `maps`.
    fn assemble(mut views: Vec<(usize, Kept)>, maps: Maps) -> Snapshot {
        // Newest change first, then by story id.
        views.sort_by(|(_, x), (_, y)| {
            y.2.seq
                .cmp(&x.2.seq)
                .then_with(|| x.0.story.id.cmp(&y.0.story.id))
        });
        let singletons = views
            .iter()
            .filter(|(_, v)| v.0.story.members.len() == 1)
            .count();
        let summary = Summary {
            inputs: 0,
            articles: maps.rows.len(),
            skipped: 0,
            warnings: 0,
            stories: views.len() - singletons,
            singletons,
        };
        let mut position = HashMap::with_capacity(views.len());
        let mut stories = Vec::with_capacity(views.len());
        let mut json = Vec::with_capacity(views.len());
        let mut updated = Vec::with_capacity(views.len());
        for (k, (n, (v, j, u))) in views.into_iter().enumerate() {
            position.insert(n, k);
            stories.push(v);
            json.push(j);
            updated.push(u);
        }
        Snapshot {
            analysis: Stories {
                schema: retold_core::report::SCHEMA.to_string(),
                summary,
                articles: maps.rows,
                stories,
            },
            updated,
            by_id: maps.by_id,
            story_of: maps.story_of,
            position,
            row_of: maps.row_of,
            last_seq: maps.last_seq,
            received: maps.received,
            json,
        }
    }
}

/// The rows and lookup maps of the snapshots, kept up from one to the
/// next (each snapshot takes a copy: chunks and persistent maps, shared).
#[derive(Clone, Default)]
struct Maps {
    rows: Rows,
    row_of: SharedMap<String, usize>,
    received: SharedMap<i64, String>,
    last_seq: i64,
    /// Story number by story id, and by member.
    by_id: SharedMap<String, usize>,
    story_of: SharedMap<String, usize>,
}

impl Maps {
    /// A placed revision's row, with its sequence number (`seq_of`, by
    /// engine id) and received time (`received`, by sequence number).
    fn row(
        &mut self,
        row: ArticleRow,
        seq_of: &HashMap<String, i64>,
        received: &HashMap<i64, String>,
    ) {
        if let Some((&q, at)) = seq_of
            .get(&row.id)
            .and_then(|q| Some((q, received.get(q)?)))
        {
            self.last_seq = self.last_seq.max(q);
            self.received.insert(q, at.clone());
        }
        self.row_of.insert(row.id.clone(), self.rows.len());
        self.rows.push(row);
    }

    /// Story number `n` is `v` now: its id and members point to it.
    fn number(&mut self, n: usize, v: &StoryView) {
        self.by_id.insert(v.story.id.clone(), n);
        for a in &v.story.articles {
            self.story_of.insert(a.clone(), n);
        }
    }

    /// Story number `n`, which had id `id`, is gone or changes: its id no
    /// longer points to it (its members are in stories that changed, and
    /// point to those).
    fn unnumber(&mut self, n: usize, id: &str) {
        if self.by_id.get(id) == Some(&n) {
            self.by_id.remove(id);
        }
    }
}

/// A story view as JSON.
fn to_json(v: &StoryView) -> Arc<RawValue> {
    match serde_json::value::to_raw_value(v) {
        Ok(j) => Arc::from(j),
        // A view that does not serialize (a bug): null rather than a
        // missing story.
        Err(e) => {
            eprintln!("retold serve: story {}: {e}", v.story.id);
            Arc::from(RawValue::NULL.to_owned())
        }
    }
}

/// A story's view, its JSON and when it last changed.
type Kept = (Arc<StoryView>, Arc<RawValue>, Updated);

/// The stories' views kept from one snapshot to the next, by story
/// number ([`Engine::stories_update`]): a snapshot makes (and serializes)
/// again only the stories the engine made again, and shares the others'
/// views and JSON with the snapshot before. At 10 k articles a page of 50
/// full views is 3.7 MB of JSON: serialized per read, 50 readers during
/// ingest held p99 at seconds (PERFORMANCE.md).
#[derive(Default)]
pub struct Views {
    kept: HashMap<usize, Kept>,
    /// The article rows (one per placed revision) and the lookup maps.
    maps: Maps,
    /// Views made at the last snapshot (the others were kept).
    pub made: usize,
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
    /// The stories' views and JSON, kept between snapshots.
    views: Views,
    /// Wall seconds of the batches handled since the last snapshot, for
    /// `RETOLD_DEBUG`.
    phases: Phases,
    /// The end of the last save ([`state::Tail::finish`]: the rest of the
    /// file, the sync, the rename), running beside the worker; joined
    /// before the next save, a restore, and on the way out.
    pending: Option<Pending>,
}

/// A save's end running on its own thread, and what to say when it is done.
struct Pending {
    /// The file's size, or what failed, and the thread's seconds.
    thread: std::thread::JoinHandle<(Result<u64, state::StateError>, f64)>,
    articles: usize,
    /// Seconds the worker was held (encoding, the engine written).
    held: f64,
}

/// Wall seconds of a group's steps: checking the records against the
/// store, the store's commit, placing.
#[derive(Debug, Default, Clone, Copy)]
struct Phases {
    plan: f64,
    commit: f64,
    place: f64,
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
            phases: Phases::default(),
            pending: None,
        };
        let stats = w.restore()?;
        Ok((w, stats))
    }

    /// Rebuilds the engine from the saved state (when usable) and the
    /// batches stored after it.
    fn restore(&mut self) -> Result<Replay, StoreError> {
        // A save still being written would rename its file over the one
        // read here.
        self.finish_save();
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
    /// [`Worker::save_every`]), or whenever anything was with `now`. The
    /// worker is held while the state is encoded and the engine written;
    /// the rest of the file, its sync and its rename go on beside the next
    /// batches ([`state::Tail`]; a quarter of a save's time at 100 k
    /// articles), and the save before is finished first.
    pub fn save(&mut self, now: bool) {
        let Some((path, key)) = &self.saving else {
            return;
        };
        let due = self.save_every.max(self.s.rows.len() / 4);
        if self.unsaved == 0 || (!now && (self.save_every == 0 || self.unsaved < due)) {
            return;
        }
        let (path, key) = (path.clone(), *key);
        self.finish_save();
        let clock = Instant::now();
        match state::begin(&path, key, &self.s) {
            Ok(tail) => {
                self.unsaved = 0;
                let held = clock.elapsed().as_secs_f64();
                let thread = std::thread::Builder::new()
                    .name("retold-save".into())
                    .spawn(move || {
                        let clock = Instant::now();
                        (tail.finish(), clock.elapsed().as_secs_f64())
                    });
                match thread {
                    Ok(thread) => {
                        self.pending = Some(Pending {
                            thread,
                            articles: self.s.rows.len(),
                            held,
                        })
                    }
                    Err(e) => eprintln!("retold serve: cannot finish the save: {e}"),
                }
            }
            // The store has everything: a restart replays what is unsaved.
            Err(e) => eprintln!("retold serve: {e}"),
        }
    }

    /// Waits for the save running beside the worker, if any, and reports it.
    pub fn finish_save(&mut self) {
        let Some(p) = self.pending.take() else {
            return;
        };
        match p.thread.join() {
            Ok((Ok(size), tail)) => {
                if std::env::var_os("RETOLD_DEBUG").is_some() {
                    eprintln!(
                        "retold serve: saved the engine of {} articles ({:.1} MB): the worker held {:.2} s, the rest written and synced beside it in {tail:.2} s",
                        p.articles,
                        size as f64 / 1e6,
                        p.held
                    );
                }
            }
            // The state saved before stays in place; a restart replays
            // the rest from the store.
            Ok((Err(e), _)) => eprintln!("retold serve: {e}"),
            Err(_) => eprintln!("retold serve: finishing the save panicked"),
        }
    }

    /// The snapshot of the stories as they stand: the stories the engine
    /// changed since the last one made again ([`Engine::stories_update`]),
    /// the others' views kept.
    pub fn snapshot(&mut self) -> Snapshot {
        let clock = Instant::now();
        let update = self.s.engine.stories_update(&mut self.s.cache);
        let took = clock.elapsed().as_secs_f64();
        let views = &mut self.views;
        if update.all || views.maps.rows.len() > self.s.rows.len() {
            views.kept.clear();
            views.maps = Maps::default();
        }
        let maps = &mut views.maps;
        for a in self.s.rows.iter().skip(maps.rows.len()) {
            maps.row(ArticleRow::new(a, false), &self.s.seq_of, &self.s.received);
        }
        for n in &update.gone {
            if let Some(old) = views.kept.remove(n) {
                maps.unnumber(*n, &old.0.story.id);
            }
        }
        for (n, _) in &update.changed {
            if let Some(old) = views.kept.get(n) {
                maps.unnumber(*n, &old.0.story.id);
            }
        }
        views.made = update.changed.len();
        let (rows, row_of, seq_of) = (&maps.rows, &maps.row_of, &self.s.seq_of);
        let made: Vec<(usize, Kept)> = update
            .changed
            .into_par_iter()
            .map(|(n, story)| {
                let members: HashMap<&str, &ArticleRow> = story
                    .articles
                    .iter()
                    .filter_map(|a| rows.get(*row_of.get(a)?))
                    .map(|r| (r.id.as_str(), r))
                    .collect();
                let updated = Updated::of(&story.articles, seq_of);
                let view = Analysis::view_of(story, &members);
                let json = to_json(&view);
                (n, (Arc::new(view), json, updated))
            })
            .collect();
        for (n, kept) in &made {
            maps.number(*n, &kept.0);
        }
        views.kept.extend(made);
        let snap = Snapshot::assemble(
            views.kept.iter().map(|(&n, k)| (n, k.clone())).collect(),
            views.maps.clone(),
        );
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
        let clock = Instant::now();
        let (mut outcomes, new) = plan(&self.store, records).map_err(unavailable)?;
        self.phases.plan += clock.elapsed().as_secs_f64();
        if new.is_empty() {
            for o in &outcomes {
                metrics.count_outcome(o.status);
            }
            return Ok((outcomes, false));
        }
        let received = jiff::Timestamp::now().to_string();
        let revisions: Vec<_> = new.iter().map(|(_, r)| r.clone()).collect();
        let clock = Instant::now();
        let (b, seqs) = self
            .store
            .commit_batch(via, &received, &revisions)
            .map_err(unavailable)?;
        self.phases.commit += clock.elapsed().as_secs_f64();
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
        let took = clock.elapsed().as_secs_f64();
        self.phases.place += took;
        metrics.observe_placement(took, n);
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

/// How long after a group began a batch that came while it was being
/// placed still joins it. Under a steady flow (several clients, a folder
/// filling up) the next batch usually arrives while one is placed, not
/// before it is taken: without this, each batch got a snapshot of its own
/// (a fifth of the work per batch at 100 k stored articles). The answers
/// of a group go out together, so this also bounds how much longer the
/// first batch of a group waits for its answer.
pub const GROUP_FOR: std::time::Duration = std::time::Duration::from_millis(1500);

/// Runs the worker until every job sender is gone: each job in arrival
/// order. Each batch is stored and placed on its own (so a replay of the
/// store places the same batches); the jobs already waiting when one is
/// taken, or that come while the group is placed and it is younger than
/// [`GROUP_FOR`] (up to [`MAX_GROUP`]), are handled with it, and one snapshot of
/// the stories is made for the group before their answers go out (it
/// redoes the stories the group changed; the rest is shared with the
/// snapshot before, see [`Worker::snapshot`] and PERFORMANCE.md). The batch in
/// hand is always finished: graceful shutdown closes the channel and waits
/// for this to return, and the state is saved on the way out (see
/// [`crate::state`]; also during ingest, every [`SAVE_EVERY`] revisions or
/// more).
pub fn run_worker(mut worker: Worker, mut jobs: mpsc::Receiver<Job>, shared: Arc<Shared>) {
    let debug = std::env::var_os("RETOLD_DEBUG").is_some();
    while let Some(first) = jobs.blocking_recv() {
        let cpu0 = cpu_seconds();
        let wall0 = Instant::now();
        let mut group = std::collections::VecDeque::from([first]);
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push_back(job),
                Err(_) => break,
            }
        }
        let mut handled = Vec::with_capacity(group.len());
        let mut changed = false;
        while let Some(job) = group.pop_front() {
            shared.queue_depth.fetch_sub(1, Ordering::SeqCst);
            let result = worker.handle(&job.via, job.records, &shared.metrics);
            if let Ok((_, true)) = &result {
                changed = true;
            }
            handled.push((job.reply, result));
            // A batch that came meanwhile joins while the group is young.
            if group.is_empty() && handled.len() < MAX_GROUP && wall0.elapsed() < GROUP_FOR {
                if let Ok(job) = jobs.try_recv() {
                    group.push_back(job);
                }
            }
        }
        let cpu1 = cpu_seconds();
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
                        .and_then(|id| snap.story_of(id))
                        .map(|k| snap.analysis.stories[k].story.id.clone());
                }
                outcomes
            });
            // The client may have gone; the batch is stored either way.
            let _ = reply.send(answer);
        }
        let cpu2 = cpu_seconds();
        let wall2 = wall0.elapsed().as_secs_f64();
        // After the answers: a save holds up the next batch, not these.
        worker.save(false);
        if debug {
            let p = std::mem::take(&mut worker.phases);
            eprintln!(
                "retold serve: CPU seconds (the process's): store and place {:.2}, snapshot and answers {:.2}, save {:.2}",
                cpu1 - cpu0,
                cpu2 - cpu1,
                cpu_seconds() - cpu2
            );
            eprintln!(
                "retold serve: wall seconds: check {:.3}, commit {:.3}, place {:.3}, to the answers {wall2:.3}",
                p.plan, p.commit, p.place
            );
        }
    }
    // Shutting down: whatever was placed since the last save, written
    // whole before the worker returns.
    worker.save(true);
    worker.finish_save();
}

/// The CPU time of the whole process so far, in seconds (user and
/// system, every thread), for `RETOLD_DEBUG`; 0 where it cannot be read.
fn cpu_seconds() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec the call writes; a failure leaves it 0.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) } == 0;
    if ok {
        t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
    } else {
        0.0
    }
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

    #[test]
    fn a_save_ends_beside_the_worker_and_is_whole_before_the_next() {
        let dir = std::env::temp_dir().join(format!("retold-save-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("w.db");
        let at = state::path_for(&db);
        let (mut w, _) = Worker::replay(Store::open(&db).unwrap(), Some(at.clone())).unwrap();
        let key = w
            .saving
            .as_ref()
            .expect("the test binary has a build key")
            .1;
        let m = Metrics::default();
        w.handle("test", records(&["a", "b"]), &m).unwrap();
        w.save(true);
        assert!(
            w.pending.is_some(),
            "the file's end, sync and rename run beside the worker"
        );
        w.handle("test", records(&["c"]), &m).unwrap();
        // The first save is finished before the second writes its file.
        w.save(true);
        w.finish_save();
        assert!(w.pending.is_none());
        let saved = state::load(&at, key).unwrap();
        assert_eq!((saved.last_batch, saved.rows.len()), (w.s.last_batch, 3));
        drop(w);
        // A restart loads it and places nothing again.
        let (_, replay) = Worker::replay(Store::open(&db).unwrap(), Some(at)).unwrap();
        assert_eq!((replay.loaded, replay.revisions), (3, 0));
        std::fs::remove_dir_all(&dir).ok();
    }

    /// A job [`sends_another`] puts in the worker's channel while it places
    /// its first batch.
    static ANOTHER: Mutex<Option<(mpsc::Sender<Job>, Job)>> = Mutex::new(None);

    /// Places like `add_all`, and on the first batch sends [`ANOTHER`]'s
    /// job: a batch that comes while one is placed.
    fn sends_another(engine: &mut Engine, batch: Vec<Article>) {
        engine.add_all(batch, &|_| {});
        let next = ANOTHER.lock().map(|mut g| g.take()).ok().flatten();
        if let Some((tx, job)) = next {
            assert!(tx.try_send(job).is_ok());
        }
    }

    #[test]
    fn a_batch_that_comes_while_one_is_placed_shares_its_snapshot() {
        let (dir, mut w) = scratch_worker("retold-group");
        w.placer = sends_another;
        let (tx, rx) = mpsc::channel(8);
        let job = |ids: &[&str]| {
            let (reply, answer) = oneshot::channel();
            let job = Job {
                via: "test".into(),
                records: records(ids),
                reply,
            };
            (job, answer)
        };
        let (first, first_answer) = job(&["a", "b"]);
        let (second, second_answer) = job(&["c"]);
        *ANOTHER.lock().unwrap() = Some((tx.clone(), second));
        tx.try_send(first).unwrap();
        drop(tx);
        let shared = Arc::new(Shared {
            snapshot: RwLock::new(Arc::new(empty_snapshot())),
            reader: Mutex::new(Store::open(&dir.join("w.db")).unwrap()),
            metrics: Metrics::default(),
            queue_depth: AtomicUsize::new(2),
            replay: Replay {
                batches: 0,
                revisions: 0,
                loaded: 0,
                seconds: 0.0,
            },
        });
        run_worker(w, rx, Arc::clone(&shared));
        let metrics = shared.metrics.render(3, 3, 0);
        assert!(
            metrics.contains("retold_snapshot_seconds_count 1\n"),
            "one snapshot for both batches: {metrics}"
        );
        // Both answers name the stories of that snapshot.
        for answer in [first_answer, second_answer] {
            let outcomes = answer.blocking_recv().unwrap().unwrap();
            assert!(outcomes.iter().all(|o| o.story.is_some()), "{outcomes:?}");
        }
        std::fs::remove_dir_all(&dir).ok();
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

    /// `snap` is what a snapshot made whole from a fresh `stories()`
    /// gives: the same stories in the same order, byte for byte the same
    /// JSON, the same rows and summary.
    fn same_as_fresh(w: &Worker, snap: &Snapshot) {
        let fresh = Snapshot::build(&w.s.rows, w.s.engine.stories(), &w.s.seq_of, &w.s.received);
        let json =
            |s: &Snapshot| -> Vec<String> { s.json.iter().map(|j| j.get().to_string()).collect() };
        assert_eq!(json(snap), json(&fresh));
        assert_eq!(snap.updated, fresh.updated);
        assert_eq!(snap.analysis.summary, fresh.analysis.summary);
        let rows =
            |s: &Snapshot| -> Vec<ArticleRow> { s.analysis.articles.iter().cloned().collect() };
        assert_eq!(rows(snap), rows(&fresh));
        assert_eq!(snap.last_seq, fresh.last_seq);
        // Every id, member, row and received time is found where a
        // snapshot made whole finds it, and nothing else is found.
        for (k, v) in fresh.analysis.stories.iter().enumerate() {
            assert_eq!(snap.story_by_id(&v.story.id), Some(k), "{}", v.story.id);
            for a in &v.story.articles {
                assert_eq!(snap.story_of(a), Some(k), "{a}");
            }
        }
        assert_eq!(snap.by_id.len(), fresh.by_id.len());
        assert_eq!(snap.story_of.len(), fresh.story_of.len());
        assert_eq!(snap.row_of, fresh.row_of);
        assert_eq!(snap.received, fresh.received);
    }

    /// The example corpus posted in batches (a revision among them): after
    /// every batch the snapshot, which makes again only the stories the
    /// engine changed, is the one made whole from a fresh `stories()`.
    #[test]
    fn every_snapshot_equals_one_made_whole() {
        let (dir, mut w) = scratch_worker("retold-snapshots");
        let m = Metrics::default();
        let corpus =
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
        let batch = retold_core::ingest::read_all(
            std::slice::from_ref(&corpus),
            &IngestOptions::default(),
            &|_| {},
        )
        .unwrap();
        let texts: Vec<(String, String)> = batch
            .articles
            .iter()
            .map(|a| (a.id.clone(), a.text.clone()))
            .collect();
        let mut made = Vec::new();
        for chunk in texts.chunks(6) {
            let refs: Vec<(&str, String)> =
                chunk.iter().map(|(i, t)| (i.as_str(), t.clone())).collect();
            w.handle("test", records_of(&refs), &m).unwrap();
            let snap = w.snapshot();
            same_as_fresh(&w, &snap);
            made.push((w.views.made, snap.analysis.stories.len()));
        }
        // A changed text: a new revision, placed as its own article.
        let (id, text) = &texts[0];
        w.handle(
            "test",
            records_of(&[(id.as_str(), text.clone() + " Updated.")]),
            &m,
        )
        .unwrap();
        let snap = w.snapshot();
        same_as_fresh(&w, &snap);
        // Later snapshots keep most stories.
        assert!(
            made.iter().skip(1).any(|&(made, all)| made < all),
            "{made:?}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    /// A later batch merges away a story none of whose articles it holds
    /// (the reactions' story joins the fire's through a roundup telling
    /// both): the gone story's id no longer finds anything, its members
    /// find the merged story, and the snapshot is the one made whole.
    #[test]
    fn a_story_merged_away_by_a_later_batch_is_found_in_the_merged_one() {
        let (dir, mut w) = scratch_worker("retold-merged-away");
        let m = Metrics::default();
        let facts = "A fire destroyed the main hall of the Kestrel paper mill in Orlavik \
            on Tuesday night. Flames rose forty metres above the river bank and could be seen from \
            Dunmere. Eighty firefighters fought the blaze for nine hours before it was under \
            control. Two workers were taken to hospital with burns.";
        let reactions = "Orlavik council leader Petra Voss promised emergency grants \
            after Tuesday's blaze at Kestrel. Unions asked whether sprinklers had been switched \
            off during maintenance. The owners, Halden Pulp, said production would resume in March \
            and that no job was at risk.";
        let roundup = "Orlavik is counting the cost of the fire at the Kestrel paper mill, \
            which gutted the main hall on Tuesday night and sent two workers to hospital with burns \
            after eighty firefighters battled it for nine hours. Council leader Petra Voss has \
            promised emergency grants, while unions want to know whether the sprinklers were off for \
            maintenance. Halden Pulp, which owns the mill, expects to restart production in March \
            and says no jobs will go.";
        w.handle(
            "test",
            records_of(&[("facts", facts.into()), ("reactions", reactions.into())]),
            &m,
        )
        .unwrap();
        let snap = w.snapshot();
        same_as_fresh(&w, &snap);
        let (f, r) = (snap.story_of("facts"), snap.story_of("reactions"));
        assert!(f.is_some() && r.is_some() && f != r, "two stories first");
        let gone = snap.analysis.stories[r.unwrap()].story.id.clone();
        w.handle("test", records_of(&[("roundup", roundup.into())]), &m)
            .unwrap();
        let snap = w.snapshot();
        same_as_fresh(&w, &snap);
        let k = snap.story_of("facts").unwrap();
        assert_eq!(snap.story_of("reactions"), Some(k));
        assert_eq!(snap.story_of("roundup"), Some(k));
        if snap.analysis.stories[k].story.id != gone {
            assert_eq!(snap.story_by_id(&gone), None, "{gone} still found");
        }
        assert_eq!(snap.analysis.stories.len(), 1);
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
        same_as_fresh(&w, &snap);
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
        let k = snap.story_of("copy").unwrap();
        assert!(snap.json[k].get().contains("\"copy\""));
        std::fs::remove_dir_all(&dir).ok();
    }
}
