//! `retold serve`: the story engine as a service over an embedded store.
//!
//! Articles come in over HTTP (`POST /v1/articles`: one JSON object, JSON
//! Lines, or an HTML page with its URL) or from a watched folder; each
//! batch is committed to SQLite ([`store`]) before it is acknowledged, then
//! placed into stories by one [`retold_core::story::Engine`] on a worker
//! thread ([`service`]). Reads (`/v1/stories`, `/v1/stories/{id}`,
//! `/v1/articles/{id}`, `/v1/compare`, the web pages) see the stories as of
//! the last placed batch and answer with the report view model
//! ([`retold_core::report`]). On restart the engine is rebuilt by replaying
//! the stored batches in order. The API is documented in
//! `docs/openapi.yaml`.
//!
//! The core library stays free of HTTP, SQL and async; all of it is here.

pub mod feed;
pub mod http;
pub mod http_client;
pub mod ingest;
pub mod metrics;
pub mod service;
pub mod state;
pub mod store;
pub mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use retold_core::ingest::IngestOptions;
use tokio::sync::{mpsc, oneshot};

use crate::service::{Ingestor, Shared, Worker};
use crate::store::{Store, StoreError};

/// How to run the service.
#[derive(Debug, Clone)]
pub struct Config {
    /// The SQLite file (created if missing).
    pub db: PathBuf,
    /// Where to listen; port 0 picks a free port.
    pub listen: SocketAddr,
    /// A folder to ingest files from.
    pub watch: Option<PathBuf>,
    pub watch_every: Duration,
    /// Most records per batch from the watched folder.
    pub watch_batch: usize,
    /// RSS/Atom feeds to poll (see [`feed`]), each every `feed_every`.
    pub feeds: Vec<String>,
    pub feed_every: Duration,
    /// Bearer token for the writing endpoints; required to listen beyond
    /// loopback.
    pub token: Option<String>,
    /// Largest request body.
    pub max_body_bytes: usize,
    /// Batches waiting for the worker before writers wait.
    pub queue: usize,
    /// Save the engine once this many revisions were placed since the last
    /// save (or a quarter of the store if more); 0: only on a graceful
    /// stop (see [`state`]).
    pub save_every: usize,
}

impl Config {
    /// Defaults: loopback port 7878, a watched folder polled every 2 s,
    /// feeds every 5 minutes, 64 MiB bodies.
    pub fn new(db: PathBuf) -> Config {
        Config {
            db,
            listen: SocketAddr::from(([127, 0, 0, 1], 7878)),
            watch: None,
            watch_every: Duration::from_secs(2),
            watch_batch: watch::WATCH_BATCH,
            feeds: Vec::new(),
            feed_every: Duration::from_secs(300),
            token: None,
            max_body_bytes: 64 << 20,
            queue: 64,
            save_every: service::SAVE_EVERY,
        }
    }
}

/// Why the service did not start or stopped badly.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("refusing to listen on {0} (not a loopback address) without a token: give --token or RETOLD_TOKEN")]
    NoToken(SocketAddr),
    #[error("cannot open the store {path}: {source}")]
    Store {
        path: PathBuf,
        #[source]
        source: StoreError,
    },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot poll feed `{0}`: not an http:// or https:// URL")]
    Feed(String),
    #[error("cannot watch {path}: not a directory")]
    Watch { path: PathBuf },
    #[error("the server failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("a service thread panicked")]
    Panicked,
}

/// A running service: its address, and how to stop it.
pub struct Server {
    addr: SocketAddr,
    replay: service::Replay,
    shutdown: Option<oneshot::Sender<()>>,
    serving: tokio::task::JoinHandle<std::io::Result<()>>,
    stop_watch: Arc<AtomicBool>,
    /// The watched folder's and the feeds' threads.
    pollers: Vec<std::thread::JoinHandle<()>>,
    worker: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Opens the store, rebuilds the engine from it, binds and starts
    /// serving (call inside a tokio runtime).
    pub async fn start(config: Config) -> Result<Server, ServeError> {
        if !config.listen.ip().is_loopback() && config.token.as_deref().is_none_or(str::is_empty) {
            return Err(ServeError::NoToken(config.listen));
        }
        if let Some(f) = config
            .feeds
            .iter()
            .find(|f| !(f.starts_with("http://") || f.starts_with("https://")))
        {
            return Err(ServeError::Feed(f.clone()));
        }
        if let Some(w) = &config.watch {
            if !w.is_dir() {
                return Err(ServeError::Watch { path: w.clone() });
            }
        }
        let open = |path: &PathBuf| {
            Store::open(path).map_err(|source| ServeError::Store {
                path: path.clone(),
                source,
            })
        };
        let store = open(&config.db)?;
        let db = config.db.clone();
        let state_path = state::path_for(&config.db);
        let save_every = config.save_every;
        let (mut worker, replay) = tokio::task::spawn_blocking(move || {
            Worker::replay(store, Some(state_path)).map(|(mut w, r)| {
                w.save_every = save_every;
                (w, r)
            })
        })
        .await
        .map_err(|_| ServeError::Panicked)?
        .map_err(|source| ServeError::Store { path: db, source })?;
        let shared = Arc::new(Shared {
            snapshot: RwLock::new(Arc::new(service::empty_snapshot())),
            reader: Mutex::new(open(&config.db)?),
            metrics: Default::default(),
            queue_depth: AtomicUsize::new(0),
            replay,
        });
        shared.publish(worker.snapshot());
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|source| ServeError::Bind {
                addr: config.listen,
                source,
            })?;
        let addr = listener.local_addr()?;
        let (jobs, rx) = mpsc::channel(config.queue.max(1));
        let ingestor = Ingestor {
            jobs,
            shared: Arc::clone(&shared),
        };
        let worker_shared = Arc::clone(&shared);
        // Readers first: placement runs on the ingest thread and rayon's
        // pool at a lower priority, so a read is not queued behind it on 2
        // cores (see PERFORMANCE.md).
        let _ = rayon::ThreadPoolBuilder::new()
            .start_handler(|_| service::lower_priority())
            .build_global();
        let worker = std::thread::Builder::new()
            .name("retold-ingest".into())
            .spawn(move || {
                service::lower_priority();
                service::run_worker(worker, rx, worker_shared)
            })?;
        let options = IngestOptions::default();
        let stop_watch = Arc::new(AtomicBool::new(false));
        let poller = |name: &str, run: Box<dyn FnOnce() + Send>| {
            std::thread::Builder::new().name(name.into()).spawn(run)
        };
        let mut pollers = Vec::new();
        if let Some(dir) = &config.watch {
            let store = open(&config.db)?;
            let watch = watch::Watch {
                dir: dir.clone(),
                every: config.watch_every,
                batch: config.watch_batch,
            };
            let (ing, opts, stop) = (ingestor.clone(), options.clone(), Arc::clone(&stop_watch));
            pollers.push(poller(
                "retold-watch",
                Box::new(move || watch::run(watch, store, ing, opts, stop)),
            )?);
        }
        if !config.feeds.is_empty() {
            let (urls, every) = (config.feeds.clone(), config.feed_every);
            let (ing, opts, stop) = (ingestor.clone(), options.clone(), Arc::clone(&stop_watch));
            pollers.push(poller(
                "retold-feeds",
                Box::new(move || feed::run(urls, every, ing, opts, stop)),
            )?);
        }
        let app = http::App {
            ingestor,
            token: config.token.filter(|t| !t.is_empty()).map(Arc::from),
            options: Arc::new(options),
        };
        let router = http::router(app, config.max_body_bytes);
        let (shutdown, on_shutdown) = oneshot::channel::<()>();
        let serving = tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = on_shutdown.await;
                })
                .await
        });
        Ok(Server {
            addr,
            replay,
            shutdown: Some(shutdown),
            serving,
            stop_watch,
            pollers,
            worker: Some(worker),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// What rebuilding the engine from the store took at start.
    pub fn replay(&self) -> service::Replay {
        self.replay
    }

    /// Stops accepting, lets requests in flight finish (their batches are
    /// stored and placed), stops the watcher and the feed poller after
    /// their batch in hand, and
    /// waits for the worker to finish every queued batch.
    pub async fn stop(mut self) -> Result<(), ServeError> {
        if let Some(s) = self.shutdown.take() {
            let _ = s.send(());
        }
        self.stop_watch
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let served = (&mut self.serving)
            .await
            .map_err(|_| ServeError::Panicked)?;
        let (pollers, worker) = (std::mem::take(&mut self.pollers), self.worker.take());
        tokio::task::spawn_blocking(move || {
            let polled = pollers.into_iter().all(|p| p.join().is_ok());
            // Every job sender is gone now: the worker drains and returns.
            let k = worker.map(|w| w.join());
            match (polled, k) {
                (false, _) | (_, Some(Err(_))) => Err(ServeError::Panicked),
                _ => Ok(()),
            }
        })
        .await
        .map_err(|_| ServeError::Panicked)??;
        served?;
        Ok(())
    }
}

/// Runs the service until SIGINT or SIGTERM, then shuts down gracefully.
/// `ready` is called with the address once it listens.
pub async fn run_until_signal(
    config: Config,
    ready: impl FnOnce(&Server),
) -> Result<(), ServeError> {
    let server = Server::start(config).await?;
    ready(&server);
    shutdown_signal().await;
    eprintln!("retold serve: shutting down (finishing the batches in hand)");
    server.stop().await
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(t) => t,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

/// [`run_until_signal`] on a runtime of its own (for the CLI).
pub fn run_blocking(config: Config, ready: impl FnOnce(&Server)) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("retold-serve")
        .build()?;
    runtime.block_on(run_until_signal(config, ready))
}
