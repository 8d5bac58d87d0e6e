//! Time of one alignment + verdict for news-length pairs under a few
//! aligner settings: `cargo run --release -p retold-core --example align_cost -- FILE.jsonl`
//! (the first 200 articles, each against the next).

use std::time::Instant;

use retold_core::align::{align, AlignConfig};
use retold_core::ingest::{read_all, IngestOptions};
use retold_core::relate::{relate, Model};
use retold_core::text::analyze;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "examples/corpus".into());
    let batch = match read_all(&[path.into()], &IngestOptions::default(), &|_| {}) {
        Ok(b) => b,
        Err(e) => return eprintln!("{e}"),
    };
    let docs: Vec<_> = batch
        .articles
        .iter()
        .take(200)
        .map(|a| (a, analyze(&a.text, a.language.as_deref())))
        .collect();
    let model = Model::builtin();
    let base = AlignConfig::default();
    let configs = [
        ("default", base),
        (
            "merge 2, no blocks",
            AlignConfig {
                max_merge: 2,
                max_block: 0,
                ..base
            },
        ),
        (
            "merge 2, no blocks, 2 passes",
            AlignConfig {
                max_merge: 2,
                max_block: 0,
                passes: 2,
                ..base
            },
        ),
    ];
    for (name, cfg) in configs {
        let t = Instant::now();
        let mut n = 0;
        for w in docs.windows(2) {
            let al = align(&w[0].1, &w[1].1, &cfg);
            let v = relate((w[0].0, &w[0].1), (w[1].0, &w[1].1), &al, &model);
            n += usize::from(v.relation.is_derived());
        }
        let per = t.elapsed().as_secs_f64() * 1000.0 / (docs.len().max(2) - 1) as f64;
        println!("{name:<30} {per:.2} ms per pair ({n} derived)");
    }
}
