//! What the service's integration tests share: a runtime, a scratch
//! folder, a loopback config, requests and the example corpus as JSON
//! Lines.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

use retold_server::http_client::{request, Response};
use retold_server::Config;
use serde_json::Value;

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

/// A fresh directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("retold-api-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// A service config for `db` on a free loopback port.
pub fn config(db: PathBuf) -> Config {
    let mut c = Config::new(db);
    c.listen = SocketAddr::from(([127, 0, 0, 1], 0));
    c
}

pub fn post(addr: SocketAddr, body: &str) -> Response {
    request(addr, "POST", "/v1/articles", &[], body.as_bytes()).expect("POST")
}

pub fn get(addr: SocketAddr, path: &str) -> Response {
    request(addr, "GET", path, &[], b"").expect("GET")
}

pub fn get_json(addr: SocketAddr, path: &str) -> Value {
    let r = get(addr, path);
    assert_eq!(r.status, 200, "GET {path}: {}", r.text());
    r.json().expect("JSON")
}

/// The example corpus as JSON Lines: every article the CLI reads from it,
/// one object per line (its serde form, which the JSON Lines reader takes).
pub fn corpus_lines() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    let batch = retold_core::ingest::read_all(&[root], &Default::default(), &|_| {})
        .expect("the example corpus");
    assert!(batch.articles.len() >= 40, "{}", batch.articles.len());
    batch
        .articles
        .iter()
        .map(|a| serde_json::to_string(a).expect("JSON"))
        .collect()
}
