//! Counters for `/metrics`, in the Prometheus text format (written by
//! hand: a few counters and one histogram need no crate).

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::ingest::Status;

/// Upper bounds (seconds) of the placement-latency histogram buckets.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// The service's counters.
#[derive(Default)]
pub struct Metrics {
    new: AtomicU64,
    revision: AtomicU64,
    unchanged: AtomicU64,
    rejected: AtomicU64,
    batches_placed: AtomicU64,
    articles_placed: AtomicU64,
    /// Per bucket (cumulative when written), then the sum in microseconds.
    buckets: [AtomicU64; BUCKETS.len()],
    placement_micros: AtomicU64,
    snapshots: AtomicU64,
    snapshot_micros: AtomicU64,
}

impl Metrics {
    pub fn count_outcome(&self, s: Status) {
        let c = match s {
            Status::New => &self.new,
            Status::Revision => &self.revision,
            Status::Unchanged => &self.unchanged,
            Status::Rejected => &self.rejected,
        };
        c.fetch_add(1, Ordering::Relaxed);
    }

    /// A batch of `n` articles placed in `seconds`.
    pub fn observe_placement(&self, seconds: f64, n: usize) {
        self.batches_placed.fetch_add(1, Ordering::Relaxed);
        self.articles_placed.fetch_add(n as u64, Ordering::Relaxed);
        self.placement_micros
            .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
        if let Some(k) = BUCKETS.iter().position(|&b| seconds <= b) {
            self.buckets[k].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// A snapshot of the stories rebuilt in `seconds`.
    pub fn observe_snapshot(&self, seconds: f64) {
        self.snapshots.fetch_add(1, Ordering::Relaxed);
        self.snapshot_micros
            .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }

    /// The Prometheus text exposition, with the gauges read now.
    pub fn render(&self, articles: i64, revisions: i64, queue_depth: usize) -> String {
        let mut s = String::new();
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let _ = writeln!(s, "# HELP retold_articles_stored Articles in the store (distinct ids).\n# TYPE retold_articles_stored gauge\nretold_articles_stored {articles}");
        let _ = writeln!(s, "# HELP retold_revisions_stored Article revisions in the store.\n# TYPE retold_revisions_stored gauge\nretold_revisions_stored {revisions}");
        let _ = writeln!(s, "# HELP retold_ingest_records_total Records received since start, by outcome.\n# TYPE retold_ingest_records_total counter");
        for (name, c) in [
            ("new", &self.new),
            ("revision", &self.revision),
            ("unchanged", &self.unchanged),
            ("rejected", &self.rejected),
        ] {
            let _ = writeln!(
                s,
                "retold_ingest_records_total{{outcome=\"{name}\"}} {}",
                get(c)
            );
        }
        let _ = writeln!(s, "# HELP retold_ingest_queue_depth Batches waiting for the ingest worker.\n# TYPE retold_ingest_queue_depth gauge\nretold_ingest_queue_depth {queue_depth}");
        let _ = writeln!(s, "# HELP retold_articles_placed_total Revisions placed into stories since start (not counting the replay).\n# TYPE retold_articles_placed_total counter\nretold_articles_placed_total {}", get(&self.articles_placed));
        let _ = writeln!(s, "# HELP retold_placement_seconds Time to place one batch into the stories.\n# TYPE retold_placement_seconds histogram");
        let mut cumulative = 0;
        for (b, c) in BUCKETS.iter().zip(&self.buckets) {
            cumulative += get(c);
            let _ = writeln!(
                s,
                "retold_placement_seconds_bucket{{le=\"{b}\"}} {cumulative}"
            );
        }
        let count = get(&self.batches_placed);
        let _ = writeln!(s, "retold_placement_seconds_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(
            s,
            "retold_placement_seconds_sum {}",
            get(&self.placement_micros) as f64 / 1e6
        );
        let _ = writeln!(s, "retold_placement_seconds_count {count}");
        let _ = writeln!(s, "# HELP retold_snapshot_seconds Time to rebuild the stories readers see after a batch.\n# TYPE retold_snapshot_seconds summary");
        let _ = writeln!(
            s,
            "retold_snapshot_seconds_sum {}\nretold_snapshot_seconds_count {}",
            get(&self.snapshot_micros) as f64 / 1e6,
            get(&self.snapshots)
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_is_cumulative() {
        let m = Metrics::default();
        m.observe_placement(0.02, 3);
        m.observe_placement(0.3, 5);
        m.count_outcome(Status::New);
        let text = m.render(8, 9, 1);
        assert!(text.contains("retold_placement_seconds_bucket{le=\"0.025\"} 1\n"));
        assert!(text.contains("retold_placement_seconds_bucket{le=\"0.5\"} 2\n"));
        assert!(text.contains("retold_placement_seconds_count 2\n"));
        assert!(text.contains("retold_articles_placed_total 8\n"));
        assert!(text.contains("retold_ingest_records_total{outcome=\"new\"} 1\n"));
        assert!(text.contains("retold_ingest_queue_depth 1\n"));
    }
}
