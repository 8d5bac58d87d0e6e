//! Feature throughput on one core: `cargo run --release -p retold-core --example
//! sketch_throughput -- CORPUS.jsonl [ROUNDS]`. Used by `scripts/bench-features.sh`.

use std::io::BufRead;
use std::time::Instant;

use retold_core::features::sketch::{SketchConfig, Sketcher};

/// CPU time of this thread (Linux: /proc/thread-self/schedstat), so a busy
/// machine does not distort the number.
fn thread_cpu_secs() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: sketch_throughput CORPUS.jsonl [ROUNDS]")?;
    let rounds: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(3);
    let mut texts = Vec::new();
    for line in std::io::BufReader::new(std::fs::File::open(&path)?).lines() {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
            texts.push(t.to_string());
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut s = Sketcher::new(SketchConfig::default());
    let mut best = f64::INFINITY;
    let mut best_cpu = f64::INFINITY;
    let mut checksum = 0u64;
    for _ in 0..rounds {
        let t = Instant::now();
        let c = thread_cpu_secs();
        for text in &texts {
            let k = s.sketch(text, None);
            checksum ^= u64::from(k.shingle.values()[0]) ^ u64::from(k.content.values()[0]);
        }
        best = best.min(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c, thread_cpu_secs()) {
            best_cpu = best_cpu.min(b - a);
        }
    }
    let avg = bytes as f64 / texts.len().max(1) as f64;
    println!(
        "{} articles ({avg:.0} bytes avg): wall {:.0} articles/s, {:.0} MB/s; thread CPU {:.0} articles/s, {:.0} MB/s (best of {rounds}; checksum {checksum:x})",
        texts.len(),
        texts.len() as f64 / best,
        bytes as f64 / best / 1e6,
        texts.len() as f64 / best_cpu,
        bytes as f64 / best_cpu / 1e6,
    );
    Ok(())
}
