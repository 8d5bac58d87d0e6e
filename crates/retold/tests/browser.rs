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
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
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
    let dom = headless(&browser, &dir.join("profile-dom"))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("chromium runs");
    let dom_text = String::from_utf8_lossy(&dom.stdout);
    let log = String::from_utf8_lossy(&dom.stderr);
    assert!(
        dom_text.contains("data-ready=\"1\""),
        "the page script did not finish:\n{log}"
    );
    let console_errors: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") && (l.contains("Uncaught") || l.contains("Error")))
        .collect();
    assert!(console_errors.is_empty(), "{console_errors:?}");

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
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    let out = Command::new(env!("CARGO_BIN_EXE_retold"))
        .args(["compare", "--format", "html", "-o"])
        .arg(&page)
        .arg(corpus.join("text/viralpulsedaily-larkmoor-bridge.md"))
        .arg(corpus.join("html/portcaddoncourier-larkmoor-bridge-closed.html"))
        .output()
        .expect("retold runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = format!("file://{}", page.display());
    let dom = headless(&browser, &dir.join("profile-dom"))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("chromium runs");
    let dom_text = String::from_utf8_lossy(&dom.stdout);
    let log = String::from_utf8_lossy(&dom.stderr);
    assert!(
        dom_text.contains("data-ready=\"1\""),
        "the page script did not finish:\n{log}"
    );
    // Both texts carry their passages, linked by one id.
    assert!(dom_text.contains("id=\"a-p0\"") && dom_text.contains("id=\"b-p0\""));
    let console_errors: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") && (l.contains("Uncaught") || l.contains("Error")))
        .collect();
    assert!(console_errors.is_empty(), "{console_errors:?}");

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
