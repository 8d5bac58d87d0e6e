//! `--feed`: a feed served on loopback is polled with conditional GET, its
//! entries are ingested once, a changed feed brings its new entry, and a
//! failing feed backs off.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use retold_server::http_client::request;
use retold_server::Server;

mod common;
use serde_json::Value;

/// What the feed server answers next, and what it was asked.
#[derive(Default)]
struct Script {
    /// (status, ETag, body) by version; `version` picks one.
    version: usize,
    failing: bool,
    /// Each request's If-None-Match header (empty when absent).
    asked: Vec<String>,
}

const ITEMS: &[(&str, &str)] = &[
    (
        "https://harbour.example/news/ferry",
        "The island ferry service will stop its night crossings from March, the operator Tessaly Lines said on Thursday. Fewer than forty passengers a night used the last two sailings over the winter.",
    ),
    (
        "https://harbour.example/news/library",
        "The old harbour library will reopen next month after a two-year restoration of its roof and reading room. Volunteers catalogued more than twelve thousand books.",
    ),
    (
        "https://harbour.example/news/market",
        "Stallholders at the Saturday fish market say a new parking charge has cut the number of shoppers by a third. The charge was introduced in January to pay for repairs to the quay wall.",
    ),
];

fn rss(items: usize) -> String {
    let entries: String = ITEMS[..items]
        .iter()
        .map(|(link, text)| {
            format!(
                "<item><title>{}</title><link>{link}</link><guid>{link}</guid><pubDate>Thu, 05 Nov 2026 09:00:00 GMT</pubDate><description>{text}</description></item>",
                &text[..40]
            )
        })
        .collect();
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour Gazette</title><link>https://harbour.example/</link>{entries}</channel></rss>")
}

/// Serves the feed on a loopback port until the test ends.
fn feed_server(script: Arc<Mutex<Script>>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut etag_asked = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((k, v)) = line.split_once(':') {
                    if k.eq_ignore_ascii_case("if-none-match") {
                        etag_asked = v.trim().to_string();
                    }
                }
            }
            let (status, etag, body) = {
                let mut s = script.lock().expect("script");
                s.asked.push(etag_asked.clone());
                let etag = format!("\"v{}\"", s.version);
                if s.failing {
                    ("500 Internal Server Error", etag, String::from("down"))
                } else if etag_asked == etag {
                    ("304 Not Modified", etag, String::new())
                } else {
                    ("200 OK", etag, rss(s.version + 2))
                }
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nETag: {etag}\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    addr
}

fn health(addr: SocketAddr) -> Value {
    request(addr, "GET", "/v1/health", &[], b"")
        .expect("GET")
        .json()
        .expect("JSON")
}

/// Waits (at most 30 s) until `done` holds.
fn until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_feed_is_polled_conditionally_and_backs_off_when_failing() {
    let dir = common::scratch("feed");
    let script = Arc::new(Mutex::new(Script::default()));
    let feed = feed_server(Arc::clone(&script));
    let rt = common::runtime();
    let mut c = common::config(dir.join("r.db"));
    c.feeds = vec![format!("http://{feed}/feed.xml")];
    c.feed_every = Duration::from_millis(100);
    let server = rt.block_on(Server::start(c)).expect("start");
    let addr = server.addr();

    // The first fetch brings both entries; the next ones send the ETag and
    // get 304s, which read nothing.
    // (`last_seq` is the stories' own: placed, not only stored.)
    until("the first two entries", || {
        health(addr)["last_seq"].as_u64() == Some(2)
    });
    until("conditional fetches", || {
        let s = script.lock().expect("script");
        s.asked.len() >= 4
    });
    {
        let s = script.lock().expect("script");
        assert_eq!(s.asked[0], "", "the first fetch is unconditional");
        assert!(s.asked[1..].iter().all(|e| e == "\"v0\""), "{:?}", s.asked);
    }
    assert_eq!(health(addr)["revisions"].as_u64(), Some(2));

    // The feed changes: its new entry comes in, the old ones are no-ops.
    script.lock().expect("script").version = 1;
    until("the new entry", || {
        health(addr)["last_seq"].as_u64() == Some(3)
    });
    assert_eq!(health(addr)["articles"].as_u64(), Some(3));
    assert_eq!(health(addr)["revisions"].as_u64(), Some(3));
    let found = request(addr, "GET", "/v1/stories?q=fish&view=brief", &[], b"")
        .expect("GET")
        .json()
        .expect("JSON");
    assert_eq!(
        found["stories"].as_array().map(Vec::len),
        Some(1),
        "{found}"
    );

    // The feed fails: fetches space out (100 ms doubled per failure: in
    // 3 s about 5 tries, where a steady poll would make 30).
    let before = {
        let mut s = script.lock().expect("script");
        s.failing = true;
        s.asked.len()
    };
    std::thread::sleep(Duration::from_secs(3));
    let tries = script.lock().expect("script").asked.len() - before;
    assert!(
        (1..=8).contains(&tries),
        "{tries} fetches of a failing feed in 3 s"
    );
    rt.block_on(server.stop()).expect("stop");
    std::fs::remove_dir_all(&dir).ok();
}
