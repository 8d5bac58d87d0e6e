//! `retold synth` and `retold dedup` end to end on the example corpus.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

fn retold() -> Command {
    Command::new(env!("CARGO_BIN_EXE_retold"))
}

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus")
}

fn lines(path: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn synth_then_dedup_finds_verbatim_copies_and_keeps_one() {
    let dir = std::env::temp_dir().join(format!("retold-dedup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let synth = dir.join("synth.jsonl");
    let st = retold()
        .args(["synth", "--from"])
        .arg(corpus())
        .args(["-n", "400", "--seed", "11", "-o"])
        .arg(&synth)
        .status()
        .unwrap();
    assert!(st.success());
    let corpus_lines = lines(&synth);
    assert_eq!(corpus_lines.len(), 400);

    let clusters = dir.join("clusters.jsonl");
    let out = retold()
        .args(["dedup", "-q"])
        .arg(&synth)
        .arg("-o")
        .arg(&clusters)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cluster: HashMap<String, String> = lines(&clusters)
        .into_iter()
        .map(|v| {
            (
                v["id"].as_str().unwrap().to_string(),
                v["cluster"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(cluster.len(), 400);
    let mut verbatim = 0;
    for v in &corpus_lines {
        let kind = v["derivation"].as_str().unwrap();
        let id = v["id"].as_str().unwrap();
        match kind {
            "verbatim" | "boilerplate" => {
                let parent = v["parent"].as_str().unwrap();
                assert_eq!(
                    cluster[id], cluster[parent],
                    "{kind} copy {id} joins {parent}"
                );
                verbatim += 1;
            }
            // Different filler and originals never merge at 0.8.
            "filler" | "original" => assert_eq!(cluster[id], *id, "{id} starts its own cluster"),
            _ => {}
        }
    }
    assert!(verbatim > 10);

    // --keep writes one article per cluster, readable again.
    let kept = dir.join("kept.jsonl");
    let out = retold()
        .args(["dedup", "-q", "--keep", "earliest"])
        .arg(&synth)
        .arg("-o")
        .arg(&kept)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let kept_lines = lines(&kept);
    let n_clusters = cluster
        .values()
        .collect::<std::collections::HashSet<_>>()
        .len();
    assert_eq!(kept_lines.len(), n_clusters);
    assert!(kept_lines
        .iter()
        .all(|v| v["text"].as_str().is_some_and(|t| !t.is_empty())));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_threshold_is_refused() {
    let out = retold()
        .args(["dedup", "--threshold", "1.5", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--threshold"));
}
