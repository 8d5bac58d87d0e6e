//! `retold serve` as a process: killed with SIGKILL in the middle of an
//! ingest, restarted, the unacknowledged rest sent again. Every
//! acknowledged article must be there exactly once, and the stories must
//! be those of a clean run. Loopback only, ephemeral ports.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use retold_core::story::{Engine, EngineConfig};
use retold_server::http_client::request;
use serde_json::Value;

/// Starts `retold serve` on a free loopback port; returns the child and
/// its address (read from its "listening on" line). The engine is saved
/// after every batch, so a kill lands between saves, or in one.
fn start(db: &PathBuf) -> (Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_retold"))
        .args(["serve", "--db"])
        .arg(db)
        .args(["--listen", "127.0.0.1:0", "--save-every", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("retold serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("retold serve said where it listens")
            .expect("stderr line");
        if let Some(a) = line.split("listening on http://").nth(1) {
            break a.trim().parse().expect("an address");
        }
    };
    // Keep draining stderr so the child never blocks on it.
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

fn corpus_batches(size: usize) -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    let batch = retold_core::ingest::read_all(&[root], &Default::default(), &|_| {})
        .expect("the example corpus");
    let lines: Vec<String> = batch
        .articles
        .iter()
        .map(|a| serde_json::to_string(a).expect("JSON"))
        .collect();
    lines.chunks(size).map(|c| c.join("\n")).collect()
}

fn get_json(addr: SocketAddr, path: &str) -> Value {
    let r = request(addr, "GET", path, &[], b"").expect("GET");
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    r.json().expect("JSON")
}

/// Stories by id without their overview (what the engine decides).
fn stories(list: Vec<Value>) -> std::collections::BTreeMap<String, Value> {
    list.into_iter()
        .map(|mut s| {
            if let Some(o) = s.as_object_mut() {
                o.remove("overview");
            }
            (s["id"].as_str().unwrap_or_default().to_string(), s)
        })
        .collect()
}

#[test]
fn kill_9_mid_ingest_loses_nothing_acknowledged_and_duplicates_nothing() {
    let dir = std::env::temp_dir().join(format!("retold-kill9-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let db = dir.join("r.db");
    let batches = corpus_batches(6);
    assert!(batches.len() >= 6);

    // Two batches acknowledged, then a third in flight when the process is
    // killed (a few milliseconds in: while it is read, stored or placed).
    let (mut child, addr) = start(&db);
    let mut acknowledged: Vec<usize> = Vec::new();
    for (k, b) in batches.iter().enumerate().take(2) {
        let r = request(addr, "POST", "/v1/articles", &[], b.as_bytes()).expect("POST");
        assert_eq!(r.status, 200, "{}", r.text());
        acknowledged.push(k);
    }
    let in_flight = batches[2].clone();
    let poster = std::thread::spawn(move || {
        request(addr, "POST", "/v1/articles", &[], in_flight.as_bytes())
            .ok()
            .filter(|r| r.status == 200)
    });
    // A different point each run: 5 to 124 ms after the request went out.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let delay = 5 + u64::from(nanos % 120);
    eprintln!("killing {delay} ms into the third batch");
    std::thread::sleep(Duration::from_millis(delay));
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    if poster.join().expect("poster").is_some() {
        acknowledged.push(2);
    }

    // Restart; every acknowledged article is there, from the saved engine
    // and the stored batches after it.
    let (mut child, addr) = start(&db);
    let h = get_json(addr, "/v1/health");
    eprintln!(
        "restart: {} restored with the saved engine, {} placed again",
        h["restored"], h["replayed"]
    );
    assert_eq!(
        h["restored"]
            .as_u64()
            .zip(h["replayed"].as_u64())
            .map(|(a, b)| a + b),
        h["revisions"].as_u64(),
        "every stored revision is in the engine once"
    );
    let ids_of = |b: &str| -> Vec<String> {
        b.lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).expect("JSON");
                v["id"].as_str().expect("id").to_string()
            })
            .collect()
    };
    for &k in &acknowledged {
        for id in ids_of(&batches[k]) {
            let a = get_json(addr, &format!("/v1/articles/{id}"));
            assert_eq!(a["revisions"].as_array().map(Vec::len), Some(1), "{id}");
        }
    }
    // The rest again, in the same batches; an in-flight batch that was
    // stored before the kill comes back as unchanged.
    for (k, b) in batches.iter().enumerate() {
        if acknowledged.contains(&k) {
            continue;
        }
        let r = request(addr, "POST", "/v1/articles", &[], b.as_bytes()).expect("POST");
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json().expect("JSON");
        assert_eq!(v["rejected"], 0);
        assert_eq!(v["revisions"], 0, "a re-sent text is never a revision");
    }
    let total: usize = batches.iter().map(|b| b.lines().count()).sum();
    let h = get_json(addr, "/v1/health");
    assert_eq!(h["articles"].as_u64(), Some(total as u64));
    assert_eq!(
        h["revisions"].as_u64(),
        Some(total as u64),
        "each article exactly once"
    );
    let served = get_json(addr, "/v1/stories?limit=500");
    let served = stories(served["stories"].as_array().cloned().unwrap_or_default());
    let _ = child.kill();
    let _ = child.wait();

    // A clean run: the same batches into one engine.
    let mut engine = Engine::new(EngineConfig::default());
    for b in &batches {
        let articles =
            retold_server::ingest::read_jsonl(b.as_bytes(), "request", &Default::default())
                .into_iter()
                .map(|r| r.expect("good record").0)
                .collect();
        engine.add_all(articles, &|_| {});
    }
    let clean = stories(
        engine
            .stories()
            .iter()
            .map(|s| serde_json::to_value(s).expect("JSON"))
            .collect(),
    );
    let (served, clean) = (
        Value::Object(served.into_iter().collect()),
        Value::Object(clean.into_iter().collect()),
    );
    if let Some(d) = retold_server::http_client::json_difference(&served, &clean, "") {
        panic!("the stories differ from a clean run at {d}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn sigterm_finishes_the_batch_in_hand() {
    let dir = std::env::temp_dir().join(format!("retold-sigterm-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let db = dir.join("r.db");
    let batches = corpus_batches(30);
    let (mut child, addr) = start(&db);
    let body = batches[0].clone();
    let poster =
        std::thread::spawn(move || request(addr, "POST", "/v1/articles", &[], body.as_bytes()));
    // Let the request reach the service, then ask it to stop.
    std::thread::sleep(Duration::from_millis(300));
    // The shell's own `kill`: nothing beyond `sh` needed.
    let status = Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", child.id())])
        .status()
        .expect("kill -TERM");
    assert!(status.success());
    let exit = child.wait().expect("exit");
    assert!(exit.success(), "{exit:?}");
    // The batch in hand was finished and answered before the exit.
    let r = poster.join().expect("poster").expect("an answer");
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json().expect("JSON");
    let n = batches[0].lines().count() as u64;
    assert_eq!(v["new"].as_u64(), Some(n));
    let (mut child, addr) = start(&db);
    assert_eq!(get_json(addr, "/v1/health")["revisions"].as_u64(), Some(n));
    let _ = child.kill();
    let _ = child.wait();
    std::fs::remove_dir_all(&dir).ok();
}
