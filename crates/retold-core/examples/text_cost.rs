//! CPU time of the text stage on real inputs, one thread:
//! `cargo run --release -p retold-core --example text_cost -- FILE.jsonl [N]`
//! (the first N articles, default 3000, read once, then analyzed twice:
//! the second round shows the warm stem cache). Times the text analysis,
//! the sentence profiles, the pair surface and the key facts.

use std::time::Instant;

use retold_core::align::{AlignConfig, DocProfile};
use retold_core::ingest::{read_all, IngestOptions};
use retold_core::relate::Surface;
use retold_core::story::events::facts;
use retold_core::text::analyze;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "examples/corpus".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(3000);
    let batch = match read_all(&[path.into()], &IngestOptions::default(), &|_| {}) {
        Ok(b) => b,
        Err(e) => return eprintln!("{e}"),
    };
    let articles: Vec<_> = batch.articles.iter().take(n).collect();
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let config = AlignConfig::default();
    for round in 1..=2 {
        let (mut t_an, mut t_prof, mut t_surf, mut t_facts) = (0.0, 0.0, 0.0, 0.0);
        for a in &articles {
            let c = Instant::now();
            let doc = analyze(&a.text, a.language.as_deref());
            t_an += c.elapsed().as_secs_f64();
            let c = Instant::now();
            let p = DocProfile::with_options(&doc, config.max_merge, config.max_sentence_words);
            t_prof += c.elapsed().as_secs_f64();
            let c = Instant::now();
            let s = Surface::new(&doc);
            t_surf += c.elapsed().as_secs_f64();
            let c = Instant::now();
            let f = facts(&doc, a.title.as_deref());
            t_facts += c.elapsed().as_secs_f64();
            std::hint::black_box((p, s, f));
        }
        println!(
            "round {round}: {} articles, {:.1} MB: analyze {:.3} s, profile {:.3} s, surface {:.3} s, key facts {:.3} s ({:.0} us per article)",
            articles.len(),
            bytes as f64 / 1e6,
            t_an,
            t_prof,
            t_surf,
            t_facts,
            (t_an + t_prof + t_surf + t_facts) * 1e6 / articles.len().max(1) as f64
        );
    }
}
