//! `--feed URL`: polls RSS and Atom feeds, with conditional GET and a
//! backoff per feed.
//!
//! Each feed is fetched every `every` with the `ETag` and `Last-Modified`
//! of its last good answer (`If-None-Match`, `If-Modified-Since`): a `304
//! Not Modified` costs one round trip and reads nothing. A changed feed
//! goes in as one batch (`via` = `feed:URL`) read as the CLI reads a feed
//! file: one article per entry. Entries seen before are no-ops (ingest is
//! idempotent by id), changed ones become revisions. A feed that fails (no
//! answer, a 4xx or 5xx, a body that is not a feed) waits twice as long
//! after each failure in a row, up to [`MAX_BACKOFF`], or as long as a
//! `Retry-After` asks; the other feeds go on. The validators are kept in
//! memory: after a restart the first fetch of each feed is unconditional,
//! and what it reads again is a no-op.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use retold_core::ingest::{Format, IngestOptions};

use crate::ingest::read_with;
use crate::service::Ingestor;

/// The longest wait after failures in a row.
pub const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// A feed body larger than this is refused.
pub const MAX_FEED_BYTES: u64 = 32 << 20;

/// One polled feed.
#[derive(Debug, Clone)]
pub struct Feed {
    pub url: String,
    etag: Option<String>,
    last_modified: Option<String>,
    /// Failures in a row.
    pub failures: u32,
    next: Instant,
}

/// What one fetch of a feed came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetched {
    /// `304`: unchanged since the validators were given.
    NotModified,
    /// A new body, ingested: records taken, and how many were refused.
    Ingested { records: usize, refused: usize },
    /// Nothing usable; the feed backs off.
    Failed(String),
}

impl Feed {
    pub fn new(url: impl Into<String>) -> Feed {
        Feed {
            url: url.into(),
            etag: None,
            last_modified: None,
            failures: 0,
            next: Instant::now(),
        }
    }

    /// How long to wait after this fetch: `every` when it went well, else
    /// doubled for each failure in a row (at most [`MAX_BACKOFF`]), or the
    /// server's `Retry-After` if that is longer.
    fn wait(&self, every: Duration, retry_after: Option<Duration>) -> Duration {
        let backoff = if self.failures == 0 {
            every
        } else {
            every
                .saturating_mul(1u32 << self.failures.min(16))
                .min(MAX_BACKOFF)
        };
        retry_after.map_or(backoff, |r| r.min(MAX_BACKOFF).max(backoff))
    }

    /// Fetches the feed once and hands what changed to `ingestor`.
    pub fn poll(
        &mut self,
        agent: &ureq::Agent,
        ingestor: &Ingestor,
        options: &IngestOptions,
        every: Duration,
    ) -> Fetched {
        let (fetched, retry_after) = self.fetch(agent, ingestor, options);
        match &fetched {
            Fetched::Failed(_) => self.failures = self.failures.saturating_add(1),
            _ => self.failures = 0,
        }
        self.next = Instant::now() + self.wait(every, retry_after);
        fetched
    }

    fn fetch(
        &mut self,
        agent: &ureq::Agent,
        ingestor: &Ingestor,
        options: &IngestOptions,
    ) -> (Fetched, Option<Duration>) {
        let mut req = agent.get(&self.url);
        if let Some(e) = &self.etag {
            req = req.header("If-None-Match", e);
        }
        if let Some(m) = &self.last_modified {
            req = req.header("If-Modified-Since", m);
        }
        let mut resp = match req.call() {
            Ok(r) => r,
            Err(e) => return (Fetched::Failed(e.to_string()), None),
        };
        let header = |name: &str| -> Option<String> {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let status = resp.status().as_u16();
        let retry_after = header("retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        if status == 304 {
            return (Fetched::NotModified, None);
        }
        if status != 200 {
            return (Fetched::Failed(format!("HTTP {status}")), retry_after);
        }
        let (etag, modified) = (header("etag"), header("last-modified"));
        let body = match resp
            .body_mut()
            .with_config()
            .limit(MAX_FEED_BYTES)
            .read_to_vec()
        {
            Ok(b) => b,
            Err(e) => return (Fetched::Failed(e.to_string()), None),
        };
        let mut reader: &[u8] = &body;
        let records = read_with(Format::Feed, &mut reader, &self.url, options);
        if records.iter().all(Result::is_err) {
            let why = records
                .iter()
                .find_map(|r| r.as_ref().err().map(|e| e.to_string()))
                .unwrap_or_else(|| "no entries".into());
            return (Fetched::Failed(why), None);
        }
        let taken = records.len();
        match ingestor.blocking_ingest(format!("feed:{}", self.url), records) {
            Ok(outcomes) => {
                // Validators only once the body is in: a failed ingest is
                // fetched whole again.
                self.etag = etag;
                self.last_modified = modified;
                let refused = outcomes.iter().filter(|o| o.error.is_some()).count();
                (
                    Fetched::Ingested {
                        records: taken,
                        refused,
                    },
                    None,
                )
            }
            Err(e) => (Fetched::Failed(e.to_string()), None),
        }
    }
}

/// An HTTP agent for feeds: a timeout per request, HTTP errors as
/// statuses (the poller decides), redirects followed.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .http_status_as_error(false)
        .user_agent(concat!(
            "retold/",
            env!("CARGO_PKG_VERSION"),
            " (feed poller)"
        ))
        .build()
        .into()
}

/// Polls `urls` until `stop` is set, each every `every` (or later, backing
/// off after failures).
pub fn run(
    urls: Vec<String>,
    every: Duration,
    ingestor: Ingestor,
    options: IngestOptions,
    stop: Arc<AtomicBool>,
) {
    let agent = agent();
    let mut feeds: Vec<Feed> = urls.into_iter().map(Feed::new).collect();
    while !stop.load(Ordering::SeqCst) {
        for f in feeds.iter_mut() {
            if stop.load(Ordering::SeqCst) || Instant::now() < f.next {
                continue;
            }
            match f.poll(&agent, &ingestor, &options, every) {
                Fetched::Failed(why) => {
                    eprintln!(
                    "retold serve: feed {}: {why} ({} failure(s) in a row; next try in {:.0} s)",
                    f.url,
                    f.failures,
                    f.next.saturating_duration_since(Instant::now()).as_secs_f64()
                )
                }
                Fetched::Ingested { refused, .. } if refused > 0 => {
                    eprintln!("retold serve: feed {}: {refused} entr(ies) refused", f.url)
                }
                _ => {}
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_feed_waits_twice_as_long_per_failure_up_to_an_hour() {
        let every = Duration::from_secs(60);
        let mut f = Feed::new("https://news.example/feed.xml");
        assert_eq!(f.wait(every, None), every);
        f.failures = 1;
        assert_eq!(f.wait(every, None), Duration::from_secs(120));
        f.failures = 3;
        assert_eq!(f.wait(every, None), Duration::from_secs(480));
        f.failures = 40;
        assert_eq!(f.wait(every, None), MAX_BACKOFF);
        // A server's Retry-After wins when it asks for longer, never past
        // the cap.
        f.failures = 1;
        let asked = Duration::from_secs(900);
        assert_eq!(f.wait(every, Some(asked)), asked);
        assert_eq!(
            f.wait(every, Some(Duration::from_secs(5))),
            Duration::from_secs(120)
        );
        assert_eq!(
            f.wait(every, Some(Duration::from_secs(99_999))),
            MAX_BACKOFF
        );
    }
}
