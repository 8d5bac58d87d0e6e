//! `retold serve`: the engine as a service (crate `retold-server`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Args;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The SQLite store (created if missing); the stories are rebuilt from
    /// it on start.
    #[arg(long, value_name = "PATH")]
    pub db: PathBuf,

    /// Address to listen on. Anything but loopback needs --token.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7878")]
    pub listen: SocketAddr,

    /// Ingest files dropped into this folder (every format `analyze` reads).
    #[arg(long, value_name = "DIR")]
    pub watch: Option<PathBuf>,

    /// How often the watched folder is polled, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0)]
    pub watch_every: f64,

    /// Most records the watched folder sends in one batch: a large drop
    /// goes in as several, each stored and placed before the next.
    #[arg(long, value_name = "N", default_value_t = retold_server::watch::WATCH_BATCH)]
    pub watch_batch: usize,

    /// Poll this RSS or Atom feed (repeat for more): conditional GET with
    /// the last ETag and Last-Modified, one article per entry, a failing
    /// feed backing off (twice the wait per failure in a row, at most an
    /// hour).
    #[arg(long = "feed", value_name = "URL")]
    pub feeds: Vec<String>,

    /// How often each feed is fetched, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300.0)]
    pub feed_every: f64,

    /// Bearer token the writing endpoints require (else RETOLD_TOKEN from
    /// the environment).
    #[arg(long)]
    pub token: Option<String>,

    /// Largest request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20)]
    pub max_body_bytes: usize,

    /// Save the engine beside the store (`DB.engine`) once this many
    /// articles were placed since the last save, or a quarter of the store
    /// if that is more; a restart loads it instead of placing every stored
    /// article again. 0: save only on a graceful stop.
    #[arg(long, value_name = "N", default_value_t = retold_server::service::SAVE_EVERY)]
    pub save_every: usize,
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let mut config = retold_server::Config::new(args.db);
    config.listen = args.listen;
    config.watch = args.watch;
    config.watch_every = Duration::from_secs_f64(args.watch_every.max(0.05));
    config.watch_batch = args.watch_batch.max(1);
    config.feeds = args.feeds;
    config.feed_every = Duration::from_secs_f64(args.feed_every.max(0.05));
    config.token = args
        .token
        .or_else(|| std::env::var("RETOLD_TOKEN").ok())
        .filter(|t| !t.is_empty());
    config.max_body_bytes = args.max_body_bytes;
    config.save_every = args.save_every;
    retold_server::run_blocking(config, |server| {
        let r = server.replay();
        eprintln!(
            "retold serve: {} stored revisions in {} batches replayed in {:.2} s",
            r.revisions, r.batches, r.seconds
        );
        // Tests and scripts read the address from this line.
        eprintln!("retold serve: listening on http://{}", server.addr());
    })
    .context("retold serve")?;
    Ok(ExitCode::SUCCESS)
}
