//! Feature throughput on one core: `cargo run --release -p retold-core --example
//! sketch_throughput -- CORPUS.jsonl [ROUNDS]`. Used by `scripts/bench-features.sh`.

use std::io::BufRead;
use std::time::Instant;

use retold_core::features::sketch::{SketchConfig, Sketcher};

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
    let mut checksum = 0u64;
    for _ in 0..rounds {
        let t = Instant::now();
        for text in &texts {
            let k = s.sketch(text, None);
            checksum ^= u64::from(k.shingle.values()[0]) ^ u64::from(k.content.values()[0]);
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "{} articles ({:.0} bytes avg): {:.0} articles/s on one core, {:.0} MB/s (best of {rounds}; checksum {checksum:x})",
        texts.len(),
        bytes as f64 / texts.len().max(1) as f64,
        texts.len() as f64 / best,
        bytes as f64 / best / 1e6,
    );
    Ok(())
}
