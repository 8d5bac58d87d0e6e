//! A store that cannot grow (a full disk, simulated with SQLite's page
//! cap) refuses the batch with a clear error, acknowledges nothing of it,
//! keeps serving what it has, and takes batches again once there is room.
//! (Its own test binary: the cap is read from the environment.)

use retold_server::http_client::request;
use retold_server::store::MAX_PAGES_VAR;
use retold_server::Server;

mod common;
use common::{config, corpus_lines, get_json, runtime, scratch};

#[test]
fn a_full_store_refuses_the_batch_clearly_and_loses_nothing() {
    let dir = scratch("full");
    let lines = corpus_lines();
    let rt = runtime();
    let c = config(dir.join("r.db"));
    // Room for the schema and a few articles, not for the whole corpus.
    std::env::set_var(MAX_PAGES_VAR, "24");
    let server = rt.block_on(Server::start(c.clone())).expect("start");
    let addr = server.addr();
    let first = lines[..3].join("\n");
    let r = request(addr, "POST", "/v1/articles", &[], first.as_bytes()).expect("POST");
    assert_eq!(r.status, 200, "{}", r.text());

    let rest = lines[3..].join("\n");
    let r = request(addr, "POST", "/v1/articles", &[], rest.as_bytes()).expect("POST");
    assert!(r.status >= 500, "{} {}", r.status, r.text());
    assert!(
        r.text().contains("full"),
        "the error says the store is full: {}",
        r.text()
    );
    // Nothing of the refused batch is stored or placed; the rest is served.
    let h = get_json(addr, "/v1/health");
    assert_eq!(h["articles"].as_u64(), Some(3), "{h}");
    assert_eq!(h["last_seq"].as_u64(), Some(3), "{h}");
    rt.block_on(server.stop()).expect("stop");

    // Room again: the same batch goes in whole.
    std::env::remove_var(MAX_PAGES_VAR);
    let server = rt.block_on(Server::start(c)).expect("restart");
    let addr = server.addr();
    let r = request(addr, "POST", "/v1/articles", &[], rest.as_bytes()).expect("POST");
    assert_eq!(r.status, 200, "{}", r.text());
    let h = get_json(addr, "/v1/health");
    assert_eq!(h["articles"].as_u64(), Some(lines.len() as u64), "{h}");
    assert_eq!(h["revisions"].as_u64(), Some(lines.len() as u64), "{h}");
    rt.block_on(server.stop()).expect("stop");
    std::fs::remove_dir_all(&dir).ok();
}
