//! The HTTP API against a service on an ephemeral loopback port, in
//! process: ingest and its outcomes, idempotency and revisions, bad
//! records, the read endpoints on the example corpus, restart equivalence,
//! the token rule, the body limit and the watched folder.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use retold_core::article::Article;
use retold_core::story::{Engine, EngineConfig};
use retold_server::http_client::request;
use retold_server::{ServeError, Server};
use serde_json::Value;

mod common;
use common::{config, corpus_lines, get, get_json, post, runtime, scratch};

/// What the service makes of a body: its articles as the engine gets them.
fn articles_of(body: &str) -> Vec<Article> {
    retold_server::ingest::read_jsonl(body.as_bytes(), "request", &Default::default())
        .into_iter()
        .map(|r| r.expect("a good record").0)
        .collect()
}

/// Stories by id, as JSON values (what the API returns for each).
fn stories_by_id(stories: &[Value]) -> std::collections::BTreeMap<String, Value> {
    stories
        .iter()
        .map(|s| {
            let mut s = s.clone();
            // The overview is the view's; the story is the engine's.
            if let Some(o) = s.as_object_mut() {
                o.remove("overview");
            }
            (s["id"].as_str().unwrap_or_default().to_string(), s)
        })
        .collect()
}

/// Asserts two story maps are equal, naming the first difference.
fn assert_same_stories(
    got: &std::collections::BTreeMap<String, Value>,
    want: &std::collections::BTreeMap<String, Value>,
) {
    let (g, w) = (
        Value::Object(got.clone().into_iter().collect()),
        Value::Object(want.clone().into_iter().collect()),
    );
    if let Some(d) = retold_server::http_client::json_difference(&g, &w, "") {
        panic!("stories differ at {d}");
    }
}

/// Every story the service has, through the pages of `/v1/stories`.
fn all_stories(addr: SocketAddr) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = get_json(addr, &format!("/v1/stories?limit=7&cursor={cursor}"));
        out.extend(page["stories"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => return out,
        }
    }
}

fn engine_stories(engine: &Engine) -> Vec<Value> {
    engine
        .stories()
        .iter()
        .map(|s| serde_json::to_value(s).expect("JSON"))
        .collect()
}

const CRANE: &str = "The harbour crane at Pier 4 collapsed on Tuesday morning, injuring two workers, the port authority said. Inspectors will examine the other four cranes of the pier this week before work resumes.";

#[test]
fn ingest_is_idempotent_keeps_good_records_and_reports_revisions() {
    let dir = scratch("ingest");
    let rt = runtime();
    let server = rt
        .block_on(Server::start(config(dir.join("r.db"))))
        .expect("start");
    let addr = server.addr();

    let body = format!(
        "{}\nnot json\n{{\"id\":\"no-text\"}}\n{}\n",
        serde_json::json!({"id": "crane-1", "text": CRANE, "published": "2026-03-03T08:00:00Z"}),
        serde_json::json!({"id": "crane-2", "text": CRANE.replace("two workers", "three workers"), "published": "2026-03-03T09:00:00Z"}),
    );
    let r = post(addr, &body);
    assert_eq!(r.status, 422, "{}", r.text());
    let v = r.json().expect("JSON");
    assert_eq!(
        (v["new"].as_u64(), v["rejected"].as_u64()),
        (Some(2), Some(2))
    );
    let records = v["records"].as_array().expect("records");
    let statuses: Vec<&str> = records
        .iter()
        .filter_map(|o| o["status"].as_str())
        .collect();
    assert_eq!(statuses, ["new", "rejected", "rejected", "new"]);
    // Each bad record is named by its line.
    assert_eq!(records[1]["line"], 2);
    assert_eq!(records[1]["error"]["code"], "invalid_json");
    assert_eq!(records[2]["line"], 3);
    assert_eq!(records[2]["error"]["code"], "missing_field");
    assert!(records[2]["error"]["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("request:3:")));
    // The copy joined the origin's story.
    assert_eq!(records[0]["story"], "s-crane-1");
    assert_eq!(records[3]["story"], "s-crane-1");

    // The same text again: nothing happens, and it says so.
    let again = serde_json::json!({"id": "crane-1", "text": CRANE}).to_string();
    let r = post(addr, &again);
    assert_eq!(r.status, 200);
    let v = r.json().expect("JSON");
    assert_eq!(v["records"][0]["status"], "unchanged");
    assert_eq!(v["records"][0]["rev"], 1);
    assert_eq!(v["records"][0]["story"], "s-crane-1");
    assert_eq!(get_json(addr, "/v1/health")["revisions"], 2);

    // A changed text is a new revision.
    let seen = get_json(addr, "/v1/health")["last_seq"]
        .as_i64()
        .expect("last_seq");
    let t0 = jiff::Timestamp::now();
    let changed =
        serde_json::json!({"id": "crane-1", "text": format!("{CRANE} The pier is closed.")})
            .to_string();
    let v = post(addr, &changed).json().expect("JSON");
    assert_eq!(v["records"][0]["status"], "revision");
    assert_eq!(v["records"][0]["rev"], 2);
    assert_eq!(v["records"][0]["engine_id"], "crane-1~2");
    let a = get_json(addr, "/v1/articles/crane-1");
    let revs = a["revisions"].as_array().expect("revisions");
    assert_eq!(revs.len(), 2);
    assert_eq!(
        revs[1]["article"]["text"],
        format!("{CRANE} The pier is closed.")
    );
    let h = get_json(addr, "/v1/health");
    assert_eq!(
        (h["articles"].as_i64(), h["revisions"].as_i64()),
        (Some(2), Some(3))
    );
    // Stories changed since then: the one the revision joined.
    let ids = |v: &Value| -> Vec<String> {
        v["stories"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s["id"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        ids(&get_json(addr, &format!("/v1/stories?since={seen}"))),
        ["s-crane-1"]
    );
    assert_eq!(
        ids(&get_json(addr, &format!("/v1/stories?since={t0}"))),
        ["s-crane-1"]
    );
    assert!(ids(&get_json(addr, "/v1/stories?since=2999-01-01T00:00:00Z")).is_empty());
    // The listing of briefs picks the same stories, in a line each.
    let brief = get_json(addr, &format!("/v1/stories?since={seen}&view=brief"));
    assert_eq!(ids(&brief), ["s-crane-1"]);
    let line = &brief["stories"][0];
    assert_eq!(
        (line["members"].as_u64(), line["derived"].as_u64()),
        (Some(3), Some(2)),
        "{line}"
    );
    assert!(line["updated"]["seq"].as_i64().is_some() && line.get("evidence").is_none());
    assert!(brief.get("articles").is_none());
    assert_eq!(get(addr, "/v1/stories?view=everything").status, 400);
    assert_eq!(get(addr, "/v1/stories?since=yesterday").status, 400);
    assert_eq!(get(addr, "/v1/stories?cursor=nonsense").status, 400);
    assert_eq!(get(addr, "/v1/articles/nobody").status, 404);

    // An HTML page with its URL.
    let page = format!(
        "<html><head><title>Crane down</title></head><body><article><h1>Crane down</h1><p>{CRANE}</p><p>Port officials said the cause was not yet known and that an investigation had begun.</p></article></body></html>"
    );
    let r = request(
        addr,
        "POST",
        "/v1/articles?url=https://port.example/news/crane",
        &[("Content-Type", "text/html")],
        page.as_bytes(),
    )
    .expect("POST");
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json().expect("JSON");
    assert_eq!(v["records"][0]["status"], "new");
    let id = v["records"][0]["id"].as_str().expect("id").to_string();
    let a = get_json(addr, &format!("/v1/articles/{id}"));
    assert_eq!(
        a["revisions"][0]["article"]["url"],
        "https://port.example/news/crane"
    );

    // Metrics count what happened.
    let m = get(addr, "/metrics").text();
    assert!(
        m.contains("retold_ingest_records_total{outcome=\"rejected\"} 2\n"),
        "{m}"
    );
    assert!(
        m.contains("retold_ingest_records_total{outcome=\"unchanged\"} 1\n"),
        "{m}"
    );
    assert!(m.contains("retold_articles_stored 3\n"), "{m}");
    assert_eq!(post(addr, "  \n").status, 400);

    rt.block_on(server.stop()).expect("stop");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn stories_story_compare_and_pages_on_the_example_corpus() {
    let dir = scratch("corpus");
    let rt = runtime();
    let server = rt
        .block_on(Server::start(config(dir.join("r.db"))))
        .expect("start");
    let addr = server.addr();
    let body = corpus_lines().join("\n");
    let r = post(addr, &body);
    assert_eq!(r.status, 200, "{}", r.text());

    // The same stories as one engine given the same batch.
    let mut engine = Engine::new(EngineConfig::default());
    engine.add_all(articles_of(&body), &|_| {});
    let expected = stories_by_id(&engine_stories(&engine));
    let served = all_stories(addr);
    assert_eq!(served.len(), expected.len(), "each story on one page only");
    assert_same_stories(&stories_by_id(&served), &expected);
    assert!(
        expected
            .values()
            .filter(|s| s["members"].as_array().is_some_and(|m| m.len() > 1))
            .count()
            >= 4
    );

    // Search, and a story with its pairs.
    let bridge = get_json(addr, "/v1/stories?q=larkmoor");
    let big = bridge["stories"]
        .as_array()
        .and_then(|s| {
            s.iter()
                .find(|s| s["members"].as_array().is_some_and(|m| m.len() > 2))
        })
        .expect("the Larkmoor bridge story")
        .clone();
    let id = big["id"].as_str().expect("id");
    let one = get_json(addr, &format!("/v1/stories/{id}"));
    let story = &one["stories"][0];
    assert_eq!(story["id"], id);
    let pairs = story["overview"]["pairs"].as_array().expect("pairs");
    assert!(!pairs.is_empty());
    assert_eq!(get(addr, "/v1/stories/s-nothing").status, 404);

    // Compare a derived member with its parent: the verdict compare gives.
    let member = story["members"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["role"] == "derived"))
        .expect("a derived member");
    let (child, parent) = (
        member["article"].as_str().expect("id"),
        member["parent"].as_str().expect("parent"),
    );
    let cmp = get_json(addr, &format!("/v1/compare?a={child}&b={parent}"));
    assert_eq!(cmp["schema"], "retold-compare/1");
    let all = articles_of(&body);
    let find = |id: &str| all.iter().find(|a| a.id == id).expect("article");
    let local = retold_core::report::pair::PairReport::compare(find(child), find(parent));
    let want = serde_json::to_value(&local.verdict).expect("JSON");
    assert_eq!(
        retold_server::http_client::json_difference(&cmp["verdict"], &want, ""),
        None
    );
    assert_eq!(get(addr, "/v1/compare?a=x").status, 400);

    // The pages: the index with the stories and the polling script, a
    // story page, a compare page.
    let index = get(addr, "/");
    assert_eq!(index.status, 200);
    let html = index.text();
    assert!(html.contains(&*escape(big["title"].as_str().expect("title"))));
    assert!(html.contains("fetch('/v1/health')"));
    assert!(
        !html.contains("http://") || !html.contains("<script src="),
        "no external scripts"
    );
    let page = get(addr, &format!("/stories/{id}"));
    assert_eq!(page.status, 200);
    assert!(page.text().contains(id));
    let pair = get(addr, &format!("/compare?a={child}&b={parent}"));
    assert_eq!(pair.status, 200);
    assert!(pair.text().contains("id=\"a-p0\""));

    rt.block_on(server.stop()).expect("stop");
    std::fs::remove_dir_all(&dir).ok();
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#x22;")
        .replace('\'', "&#x27;")
}

#[test]
fn restart_loads_the_saved_engine_or_replays_the_store_into_the_same_stories() {
    let dir = scratch("restart");
    let db = dir.join("r.db");
    let state = retold_server::state::path_for(&db);
    let lines = corpus_lines();
    // N in two batches, restart, M in one.
    let cut = lines.len() / 3;
    let batches: Vec<String> = vec![
        lines[..cut].join("\n"),
        lines[cut..2 * cut].join("\n"),
        lines[2 * cut..].join("\n"),
    ];
    let rt = runtime();
    let server = rt
        .block_on(Server::start(config(db.clone())))
        .expect("start");
    for b in &batches[..2] {
        assert_eq!(post(server.addr(), b).status, 200);
    }
    let before = all_stories(server.addr());
    rt.block_on(server.stop()).expect("stop");
    assert!(state.exists(), "a graceful stop saves the engine");

    // The saved engine is loaded: nothing is placed again.
    let server = rt
        .block_on(Server::start(config(db.clone())))
        .expect("restart");
    let r = server.replay();
    assert_eq!((r.loaded, r.batches, r.revisions), (2 * cut, 0, 0));
    // Nothing moved on restart.
    assert_same_stories(
        &stories_by_id(&all_stories(server.addr())),
        &stories_by_id(&before),
    );
    assert_eq!(post(server.addr(), &batches[2]).status, 200);
    let after = all_stories(server.addr());
    rt.block_on(server.stop()).expect("stop");

    let mut engine = Engine::new(EngineConfig::default());
    for b in &batches {
        engine.add_all(articles_of(b), &|_| {});
    }
    assert_same_stories(
        &stories_by_id(&after),
        &stories_by_id(&engine_stories(&engine)),
    );

    // A damaged state is ignored: the store is replayed whole, to the
    // same stories.
    let bytes = std::fs::read(&state).expect("state");
    std::fs::write(&state, &bytes[..bytes.len() / 2]).expect("truncate");
    let server = rt
        .block_on(Server::start(config(db.clone())))
        .expect("restart");
    let r = server.replay();
    assert_eq!((r.loaded, r.batches, r.revisions), (0, 3, lines.len()));
    assert_same_stories(
        &stories_by_id(&all_stories(server.addr())),
        &stories_by_id(&after),
    );
    rt.block_on(server.stop()).expect("stop");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn beyond_loopback_needs_a_token_and_writes_need_it() {
    let dir = scratch("token");
    let rt = runtime();
    let mut open = config(dir.join("r.db"));
    open.listen = SocketAddr::from(([0, 0, 0, 0], 0));
    assert!(matches!(
        rt.block_on(Server::start(open)),
        Err(ServeError::NoToken(_))
    ));

    let mut c = config(dir.join("r.db"));
    c.token = Some("s3cret".into());
    c.max_body_bytes = 4096;
    let server = rt.block_on(Server::start(c)).expect("start");
    let addr = server.addr();
    let body = serde_json::json!({"id": "t", "text": CRANE}).to_string();
    assert_eq!(post(addr, &body).status, 401);
    let wrong = request(
        addr,
        "POST",
        "/v1/articles",
        &[("Authorization", "Bearer nope")],
        body.as_bytes(),
    )
    .expect("POST");
    assert_eq!(wrong.status, 401);
    let right = request(
        addr,
        "POST",
        "/v1/articles",
        &[("Authorization", "Bearer s3cret")],
        body.as_bytes(),
    )
    .expect("POST");
    assert_eq!(right.status, 200, "{}", right.text());
    // Reads need no token.
    assert_eq!(get_json(addr, "/v1/health")["articles"], 1);
    // A body over the limit is refused.
    let big = "x".repeat(5000);
    let r = request(
        addr,
        "POST",
        "/v1/articles",
        &[("Authorization", "Bearer s3cret")],
        big.as_bytes(),
    )
    .expect("POST");
    assert_eq!(r.status, 413);
    rt.block_on(server.stop()).expect("stop");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_watched_folder_is_ingested_once() {
    let dir = scratch("watch");
    let inbox = dir.join("inbox");
    std::fs::create_dir_all(&inbox).expect("inbox");
    let rt = runtime();
    let mut c = config(dir.join("r.db"));
    c.watch = Some(inbox.clone());
    c.watch_every = Duration::from_millis(100);
    let server = rt.block_on(Server::start(c.clone())).expect("start");
    let addr = server.addr();
    std::fs::write(
        inbox.join("crane.txt"),
        format!("Title: Crane down\nId: crane-w\n\n{CRANE}\n"),
    )
    .expect("write");
    std::fs::write(
        inbox.join("more.jsonl"),
        format!(
            "{}\n",
            serde_json::json!({"id": "crane-j", "text": CRANE.replace("Tuesday", "Wednesday")})
        ),
    )
    .expect("write");
    let wait_for = |n: i64| {
        let start = Instant::now();
        loop {
            if get_json(addr, "/v1/health")["articles"].as_i64() == Some(n) {
                return;
            }
            assert!(start.elapsed() < Duration::from_secs(30), "not ingested");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for(2);
    assert_eq!(
        get_json(addr, "/v1/articles/crane-w")["revisions"][0]["article"]["title"],
        "Crane down"
    );
    rt.block_on(server.stop()).expect("stop");
    // A restart does not read the files again.
    let server = rt.block_on(Server::start(c)).expect("restart");
    std::thread::sleep(Duration::from_millis(400));
    let m = get(server.addr(), "/metrics").text();
    assert!(
        m.contains("retold_ingest_records_total{outcome=\"unchanged\"} 0\n"),
        "{m}"
    );
    assert!(
        m.contains("retold_ingest_records_total{outcome=\"new\"} 0\n"),
        "{m}"
    );
    rt.block_on(server.stop()).expect("stop");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_large_drop_goes_in_as_bounded_batches() {
    let dir = scratch("watch-batch");
    let inbox = dir.join("inbox");
    std::fs::create_dir_all(&inbox).expect("inbox");
    let lines: Vec<String> = (0..5)
        .map(|k| {
            serde_json::json!({"id": format!("crane-{k}"), "text": CRANE.replace("Tuesday", &format!("day {k}"))})
                .to_string()
        })
        .collect();
    std::fs::write(inbox.join("many.jsonl"), lines.join("\n") + "\n").expect("write");
    std::fs::write(
        inbox.join("one.txt"),
        format!("Title: Crane down\nId: crane-t\n\n{CRANE}\n"),
    )
    .expect("write");
    let rt = runtime();
    let mut c = config(dir.join("r.db"));
    c.watch = Some(inbox.clone());
    c.watch_every = Duration::from_millis(100);
    c.watch_batch = 2;
    let server = rt.block_on(Server::start(c.clone())).expect("start");
    let addr = server.addr();
    let start = Instant::now();
    while get_json(addr, "/v1/health")["articles"].as_i64() != Some(6) {
        assert!(start.elapsed() < Duration::from_secs(30), "not ingested");
        std::thread::sleep(Duration::from_millis(50));
    }
    rt.block_on(server.stop()).expect("stop");
    // Six records in batches of at most two: three batches, not one.
    let store = retold_server::store::Store::open(&dir.join("r.db")).expect("store");
    let counts = store.counts().expect("counts");
    assert_eq!((counts.revisions, counts.batches), (6, 3));
    // Both files are recorded: a restart reads neither again.
    for f in ["many.jsonl", "one.txt"] {
        let key = inbox.join(f).display().to_string();
        assert!(store.watched(&key).expect("watched").is_some(), "{f}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_openapi_file_documents_every_route() {
    let spec = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.yaml"),
    )
    .expect("docs/openapi.yaml");
    for route in [
        "/v1/articles:",
        "/v1/articles/{id}:",
        "/v1/stories:",
        "/v1/stories/{id}:",
        "/v1/compare:",
        "/v1/health:",
        "/metrics:",
        "/stories/{id}:",
        "/compare:",
    ] {
        assert!(
            spec.contains(&format!("  {route}\n")),
            "{route} undocumented"
        );
    }
}

#[test]
fn concurrent_batches_are_all_stored_and_replay_in_arrival_order() {
    let dir = scratch("concurrent");
    let db = dir.join("r.db");
    let lines = corpus_lines();
    let batches: Vec<String> = lines.chunks(8).map(|c| c.join("\n")).collect();
    let rt = runtime();
    let server = rt
        .block_on(Server::start(config(db.clone())))
        .expect("start");
    let addr = server.addr();
    let posters: Vec<_> = batches
        .iter()
        .cloned()
        .map(|b| std::thread::spawn(move || post(addr, &b)))
        .collect();
    for p in posters {
        let r = p.join().expect("poster");
        assert_eq!(r.status, 200, "{}", r.text());
        // Every stored record is answered with its story.
        let v = r.json().expect("JSON");
        for o in v["records"].as_array().expect("records") {
            assert!(
                o["story"].as_str().is_some_and(|s| s.starts_with("s-")),
                "{o}"
            );
        }
    }
    assert_eq!(
        get_json(addr, "/v1/health")["revisions"].as_u64(),
        Some(lines.len() as u64)
    );
    let before = all_stories(addr);
    rt.block_on(server.stop()).expect("stop");
    // Without the saved engine, the restart places the stored batches
    // again: in the order they arrived.
    std::fs::remove_file(retold_server::state::path_for(&db)).expect("saved state");
    let server = rt.block_on(Server::start(config(db))).expect("restart");
    assert_eq!(server.replay().batches, batches.len());
    assert_same_stories(
        &stories_by_id(&all_stories(server.addr())),
        &stories_by_id(&before),
    );
    rt.block_on(server.stop()).expect("stop");
    std::fs::remove_dir_all(&dir).ok();
}
