//! The HTML report as a person sees it: `retold analyze --format html` on
//! the example corpus, opened from disk in headless Chromium. The page's
//! script must run to its end (it marks `<body data-ready>`), no console
//! error may appear, and screenshots of the index, a story and a pair of
//! versions must show content (not a blank page). The same holds for
//! `retold compare --format html` on two versions of one story.
//!
//! Chromium is the Debian package `chromium`; `.ci/run` installs it and
//! sets `RETOLD_BROWSER_TESTS=1`, which makes a missing browser a failure.
//! Elsewhere the test says it was skipped. `RETOLD_SCREENSHOTS=DIR` keeps
//! the screenshots (the README's come from there).

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// The repository root: the commands run there with relative inputs, so
/// the pages (and the screenshots kept for the README) show paths such as
/// `examples/corpus/…`, not where the repository happens to be.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The page at `url` after its script ran (`--dump-dom`), and Chromium's log.
fn dump_dom(browser: &Path, profile: &Path, url: &str) -> (String, String) {
    let out = headless(browser, profile)
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("chromium runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The page script ran to its end and the console shows no error.
fn assert_rendered(dom: &str, log: &str) {
    assert!(
        dom.contains("data-ready=\"1\""),
        "the page script did not finish:\n{log}"
    );
    let console_errors: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") && (l.contains("Uncaught") || l.contains("Error")))
        .collect();
    assert!(console_errors.is_empty(), "{console_errors:?}");
}

/// Headless Chromium with a fresh profile and no network chatter.
fn headless(browser: &Path, profile: &Path) -> Command {
    let mut c = Command::new(browser);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
        "--window-size=1300,1600",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

/// Share of pixels that are not (near) the page background, and the
/// number of distinct colours, of a PNG screenshot.
fn ink(png_path: &Path) -> (f64, usize) {
    let file = std::fs::File::open(png_path).expect("screenshot written");
    let decoder = png::Decoder::new(std::io::BufReader::new(file));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let mut inked = 0usize;
    let mut colours = std::collections::HashSet::new();
    let mut total = 0usize;
    for px in pixels.chunks(channels) {
        total += 1;
        if px.iter().take(3).any(|&v| v < 235) {
            inked += 1;
        }
        if colours.len() < 10_000 {
            colours.insert(px.iter().take(3).copied().collect::<Vec<u8>>());
        }
    }
    (inked as f64 / total.max(1) as f64, colours.len())
}

/// Chromium, or `None` (the test is skipped) when it is not installed and
/// `RETOLD_BROWSER_TESTS` is not set.
fn browser_or_skip() -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        assert!(
            std::env::var_os("RETOLD_BROWSER_TESTS").is_none(),
            "RETOLD_BROWSER_TESTS is set but no Chromium was found"
        );
        eprintln!("skipped: no Chromium (install the Debian package `chromium`)");
    }
    found
}

#[test]
fn the_report_renders_in_a_browser() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("retold-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let page = dir.join("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_retold"))
        .current_dir(repo_root())
        .args(["analyze", "--quiet", "--format", "html", "-o"])
        .arg(&page)
        .arg("examples/corpus")
        .output()
        .expect("retold runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&page).expect("page written");
    let story = html
        .split("<section class=\"story\" id=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a story section")
        .to_string();
    // A pair whose texts differ in a number (the copy that changed one).
    let pair = html
        .split("class=\"pairbox\" id=\"")
        .skip(1)
        .find(|box_| box_.contains("<mark class=\"number_changed\""))
        .and_then(|s| s.split('"').next())
        .expect("a pair box with a changed number")
        .to_string();
    let url = format!("file://{}", page.display());

    // The DOM after the script ran.
    let (dom_text, log) = dump_dom(&browser, &dir.join("profile-dom"), &url);
    assert_rendered(&dom_text, &log);

    let keep = std::env::var_os("RETOLD_SCREENSHOTS").map(PathBuf::from);
    // "#focus=ID" shows one story or pair alone (a screenshot of a page
    // scrolled far down comes out blank in headless Chromium).
    for (name, fragment) in [("index", String::new()), ("story", story), ("pair", pair)] {
        let shot = dir.join(format!("{name}.png"));
        let out = headless(&browser, &dir.join(format!("profile-{name}")))
            .arg(format!("--screenshot={}", shot.display()))
            .arg(format!("{url}#focus={fragment}"))
            .output()
            .expect("chromium runs");
        assert!(
            shot.exists(),
            "no screenshot of {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (share, colours) = ink(&shot);
        assert!(
            share > 0.02 && colours > 50,
            "{name} looks blank: {share:.3} inked, {colours} colours"
        );
        if let Some(k) = &keep {
            std::fs::create_dir_all(k).expect("screenshot dir");
            std::fs::copy(&shot, k.join(format!("report-{name}.png"))).expect("copy");
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_compare_page_renders_in_a_browser() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("retold-browser-pair-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let page = dir.join("pair.html");
    let out = Command::new(env!("CARGO_BIN_EXE_retold"))
        .current_dir(repo_root())
        .args(["compare", "--format", "html", "-o"])
        .arg(&page)
        .arg("examples/corpus/text/viralpulsedaily-larkmoor-bridge.md")
        .arg("examples/corpus/html/portcaddoncourier-larkmoor-bridge-closed.html")
        .output()
        .expect("retold runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = format!("file://{}", page.display());
    let (dom_text, log) = dump_dom(&browser, &dir.join("profile-dom"), &url);
    assert_rendered(&dom_text, &log);
    // Both texts carry their passages, linked by one id; the inputs are
    // named as given.
    assert!(dom_text.contains("id=\"a-p0\"") && dom_text.contains("id=\"b-p0\""));
    assert!(dom_text.contains(">examples/corpus/text/viralpulsedaily-larkmoor-bridge.md<"));

    let shot = dir.join("pair.png");
    let out = headless(&browser, &dir.join("profile-shot"))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(
        shot.exists(),
        "no screenshot of the compare page: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (share, colours) = ink(&shot);
    assert!(
        share > 0.02 && colours > 50,
        "the compare page looks blank: {share:.3} inked, {colours} colours"
    );
    if let Some(k) = std::env::var_os("RETOLD_SCREENSHOTS").map(PathBuf::from) {
        std::fs::create_dir_all(&k).expect("screenshot dir");
        std::fs::copy(&shot, k.join("compare-pair.png")).expect("copy");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// `n` made-up words of story `story`: random letters (splitmix64 from the
/// story's number), so that two stories share no wording.
fn made_up_words(story: usize, n: usize) -> Vec<String> {
    let mix = |mut z: u64| {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    // Streams that start far apart (not one step apart).
    let mut x = mix(story as u64 + 1);
    let mut next = move || {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(x)
    };
    (0..n)
        .map(|_| {
            let len = 5 + (next() % 5) as usize;
            (0..len)
                .map(|_| char::from(b'a' + (next() % 26) as u8))
                .collect()
        })
        .collect()
}

/// A page that loads `target` in a frame and, once it has loaded, runs
/// `script` with `doc` (the framed page's document) and `report(key,
/// value)`, which writes what it found into this page's DOM for
/// `--dump-dom`. Chromium lets one file page reach into another only with
/// `--allow-file-access-from-files`.
fn harness(dir: &Path, target: &Path, script: &str) -> PathBuf {
    let page = dir.join(format!(
        "harness-{}.html",
        target
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("page")
    ));
    let html = format!(
        r#"<!doctype html><html><body><pre id="out"></pre>
<iframe id="f" src="{src}" width="1200" height="900"></iframe>
<script>
document.getElementById("f").addEventListener("load", function () {{
  var doc = this.contentDocument;
  var out = document.getElementById("out");
  function report(k, v) {{ out.textContent += k + "=" + v + "\n"; }}
  try {{ {script} }} catch (e) {{ report("error", e); }}
  document.body.setAttribute("data-done", "1");
}});
</script></body></html>"#,
        src = target.file_name().and_then(|s| s.to_str()).unwrap_or(""),
    );
    std::fs::write(&page, html).expect("harness written");
    page
}

/// What the harness reported: `key=value` lines.
fn harness_results(dom: &str) -> std::collections::HashMap<String, String> {
    let out = dom
        .split("<pre id=\"out\">")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
        .unwrap_or("");
    out.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn a_click_opens_a_story_and_pins_a_passage() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("retold-browser-click-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // More stories than a page opens on load (each an article and a copy
    // that changed one number and one word), so a story opens on a click.
    let stories = 64;
    let mut lines = String::new();
    for k in 0..stories {
        let words = made_up_words(k, 60);
        let sentences: Vec<String> = words
            .chunks(10)
            .enumerate()
            .map(|(i, w)| {
                format!(
                    "{} counted {} {}.",
                    w[..5].join(" "),
                    10 + i,
                    w[5..].join(" ")
                )
            })
            .collect();
        let text = sentences.join(" ");
        let copy = text
            .replacen("counted 12", "counted 14", 1)
            .replacen(&words[0], "Zorblat", 1);
        for (id, outlet, hour, t) in [("a", "Origin", 8, &text), ("b", "Copier", 9, &copy)] {
            lines.push_str(
                &serde_json::json!({
                    "id": format!("s{k}-{id}"),
                    "source": format!("{outlet} {k}"),
                    "title": format!("Story {k}"),
                    "published": format!("2026-03-01T{hour:02}:00:00Z"),
                    "text": t,
                })
                .to_string(),
            );
            lines.push('\n');
        }
    }
    let corpus = dir.join("stories.jsonl");
    std::fs::write(&corpus, lines).expect("corpus written");
    let page = dir.join("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_retold"))
        .args(["analyze", "--quiet", "--format", "html", "-o"])
        .arg(&page)
        .arg(&corpus)
        .output()
        .expect("retold runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The first story's button, clicked as a person clicks it: the story's
    // tree, evidence and changed words appear.
    let analysis = harness(
        &dir,
        &page,
        r#"
  var s = doc.querySelector("section.story[data-search]");
  report("stories", doc.querySelectorAll("section.story[data-search]").length);
  report("open_before", s.querySelectorAll("ul.tree li.member").length);
  s.querySelector("button.open").click();
  report("members", s.querySelectorAll("ul.tree li.member").length);
  report("evidence", s.querySelectorAll("details.evidence > summary").length);
  report("changes", s.querySelectorAll(".changes").length);
  report("ins", Array.prototype.map.call(s.querySelectorAll(".pair ins"), function (e) { return e.textContent; }).join(" "));
  report("del", Array.prototype.map.call(s.querySelectorAll(".pair del"), function (e) { return e.textContent; }).join(" "));
  report("button_hidden", s.querySelector(".more").classList.contains("hidden"));
  var other = doc.querySelectorAll("section.story[data-search]")[1];
  report("other_open", other.querySelectorAll("ul.tree li.member").length);
  var ev = s.querySelector("details.evidence");
  ev.querySelector("summary").click();
  report("evidence_open", ev.open);
"#,
    );
    // The compare page: a click on a passage of A pins its partner in B.
    let pair = dir.join("pair.html");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    let out = Command::new(env!("CARGO_BIN_EXE_retold"))
        .args(["compare", "--format", "html", "-o"])
        .arg(&pair)
        .arg(examples.join("text/viralpulsedaily-larkmoor-bridge.md"))
        .arg(examples.join("html/portcaddoncourier-larkmoor-bridge-closed.html"))
        .output()
        .expect("retold runs");
    assert!(out.status.success());
    let compare = harness(
        &dir,
        &pair,
        r#"
  report("pinned_before", doc.querySelectorAll(".passage.pinned").length);
  doc.getElementById("a-p1").click();
  report("pinned", Array.prototype.map.call(doc.querySelectorAll(".passage.pinned"), function (e) { return e.id; }).join(" "));
  doc.getElementById("a-p1").click();
  report("pinned_after_second_click", doc.querySelectorAll(".passage.pinned").length);
"#,
    );
    let run = |page: &Path, name: &str| {
        let dom = headless(&browser, &dir.join(format!("profile-{name}")))
            .args([
                "--allow-file-access-from-files",
                "--virtual-time-budget=5000",
            ])
            .arg("--dump-dom")
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("chromium runs");
        let text = String::from_utf8_lossy(&dom.stdout).into_owned();
        assert!(
            text.contains("data-done=\"1\""),
            "{name}: the harness did not finish:\n{}",
            String::from_utf8_lossy(&dom.stderr)
        );
        harness_results(&text)
    };
    let got = run(&analysis, "analysis");
    let get = |k: &str| got.get(k).map(String::as_str).unwrap_or("(missing)");
    assert_eq!(get("error"), "(missing)", "{got:?}");
    // More stories than open on load (html::OPEN_ALL_BELOW is 60).
    assert!(
        get("stories").parse::<usize>().is_ok_and(|n| n > 60),
        "{got:?}"
    );
    assert_eq!(get("open_before"), "0", "opened before the click: {got:?}");
    assert!(
        get("members").parse::<usize>().is_ok_and(|n| n >= 2),
        "{got:?}"
    );
    assert_eq!(get("evidence"), "1", "{got:?}");
    assert_eq!(get("button_hidden"), "true", "{got:?}");
    assert_eq!(get("other_open"), "0", "a click opens one story: {got:?}");
    assert_eq!(get("evidence_open"), "true", "{got:?}");
    assert!(
        get("changes").parse::<usize>().is_ok_and(|n| n > 0),
        "{got:?}"
    );
    // The changed number and word, marked in each text's own wording.
    for (side, words) in [("del", ["12", ""]), ("ins", ["14", "Zorblat"])] {
        for w in words.iter().filter(|w| !w.is_empty()) {
            assert!(
                get(side).split(' ').any(|x| x == *w),
                "{side} lacks {w}: {got:?}"
            );
        }
    }
    let got = run(&compare, "compare");
    let get = |k: &str| got.get(k).map(String::as_str).unwrap_or("(missing)");
    assert_eq!(get("error"), "(missing)", "{got:?}");
    assert_eq!(get("pinned_before"), "0", "{got:?}");
    assert_eq!(get("pinned"), "a-p1 b-p1", "{got:?}");
    assert_eq!(get("pinned_after_second_click"), "0", "{got:?}");
    std::fs::remove_dir_all(&dir).ok();
}

/// `retold serve` on the example corpus (a watched folder): the web index
/// at `/` loads in the browser, its script runs to its end, and the
/// stories the API lists are on it.
#[test]
fn the_service_page_shows_the_stories() {
    use std::io::BufRead;
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("retold-browser-serve-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_retold"))
        .current_dir(repo_root())
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--watch",
            "examples/corpus",
        ])
        .args(["--watch-every", "0.1", "--db"])
        .arg(dir.join("r.db"))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("retold serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = std::io::BufReader::new(stderr).lines();
    let addr: std::net::SocketAddr = loop {
        let line = lines.next().expect("a listening line").expect("stderr");
        if let Some(a) = line.split("listening on http://").nth(1) {
            break a.trim().parse().expect("an address");
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let get = |path: &str| -> serde_json::Value {
        let r = retold_server::http_client::request(addr, "GET", path, &[], b"").expect("GET");
        r.json().expect("JSON")
    };
    let start = std::time::Instant::now();
    while get("/v1/health")["stories"].as_u64().unwrap_or(0) < 4 {
        assert!(
            start.elapsed().as_secs() < 120,
            "the corpus was not ingested"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let stories = get("/v1/stories?limit=5");
    let titles: Vec<String> = stories["stories"]
        .as_array()
        .expect("stories")
        .iter()
        .filter(|s| s["members"].as_array().is_some_and(|m| m.len() > 1))
        .filter_map(|s| s["title"].as_str().map(str::to_string))
        .collect();
    assert!(!titles.is_empty());
    let (dom_text, log) = dump_dom(&browser, &dir.join("profile"), &format!("http://{addr}/"));
    let _ = child.kill();
    let _ = child.wait();
    assert_rendered(&dom_text, &log);
    assert!(dom_text.contains("id=\"serve-bar\""));
    for t in &titles {
        // The DOM serializer escapes only &, < and > in text.
        let shown = t
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(dom_text.contains(&shown), "story `{t}` not on the page");
    }
    std::fs::remove_dir_all(&dir).ok();
}
