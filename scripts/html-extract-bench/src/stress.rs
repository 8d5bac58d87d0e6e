//! Hostile inputs: does an extractor panic, abort (stack overflow), or crawl?
//!
//! Each (extractor, case) runs in a child process of this binary, on a thread
//! with a 2 MiB stack (the default stack of rayon's worker threads, which is
//! where retold runs extraction), so an abort is recorded instead of ending
//! the run.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A realistic article paragraph.
const PARA: &str = "<p>The harbour authority said on Tuesday that the new ferry terminal would open in March, \
two months later than planned, after inspectors found cracks in the concrete of the northern pier.</p>\n";

/// Names of the cases, in order.
pub const CASES: [&str; 10] = [
    "empty",
    "script-only",
    "no-body-fragment",
    "truncated-mid-tag",
    "nested-div-100k",
    "nested-b-20k",
    "nested-table-5k",
    "10MB-of-paragraphs",
    "1MB-binary-junk",
    "10MB-one-text-node",
];

/// Builds the input of one case.
pub fn case(name: &str) -> String {
    let article = |body: &str| {
        format!(
            "<!doctype html><html><head><title>T</title></head><body><nav><a href=/>Home</a></nav>\
             <article><h1>Ferry terminal delayed</h1>{body}</article><footer>© Example</footer></body></html>"
        )
    };
    match name {
        "empty" => String::new(),
        "script-only" => "<html><head><script>var a = 1;</script></head><body><script>document.write('x')</script></body></html>".into(),
        "no-body-fragment" => PARA.repeat(5),
        "truncated-mid-tag" => {
            let full = article(&PARA.repeat(8));
            let cut = full.find("</article>").unwrap_or(full.len());
            format!("{}<a hre", &full[..cut - 40])
        }
        "nested-div-100k" => article(&format!("{}{}{}", "<div>".repeat(100_000), PARA.repeat(5), "</div>".repeat(100_000))),
        "nested-b-20k" => article(&format!("{}{}", "<b>".repeat(20_000), PARA.repeat(5))),
        "nested-table-5k" => article(&format!("{}{}", "<table><tr><td>".repeat(5_000), PARA.repeat(5))),
        "10MB-of-paragraphs" => article(&PARA.repeat(10_000_000 / PARA.len())),
        "1MB-binary-junk" => {
            // xorshift bytes, decoded lossily as a reader would.
            let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
            let bytes: Vec<u8> = (0..1_000_000)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x >> 24) as u8
                })
                .collect();
            String::from_utf8_lossy(&bytes).into_owned()
        }
        "10MB-one-text-node" => article(&format!("<p>{}</p>", "word ".repeat(2_000_000))),
        _ => String::new(),
    }
}

/// Child side: run extractor `idx` on case `name`, print the output length.
pub fn run_child(f: super::Extract, name: &str) {
    let html = case(name);
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || f(&html, "https://news.example/a"))
        .expect("spawn");
    match h.join() {
        Ok(Ok(t)) => println!("ok {}", t.trim().len()),
        Ok(Err(e)) => println!("error {}", e.replace('\n', " ")),
        Err(_) => println!("panic"),
    }
}

/// Parent side: every extractor on every case, a Markdown table on stdout.
pub fn run_all(names: &[&str], timeout: Duration) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    print!("| case |");
    for n in names {
        print!(" {n} |");
    }
    println!();
    println!("|---|{}", "---|".repeat(names.len()));
    for c in CASES {
        print!("| {c} |");
        for (i, _) in names.iter().enumerate() {
            let t = Instant::now();
            let mut child = Command::new(&exe)
                .args(["stress-one", &i.to_string(), c])
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| e.to_string())?;
            let status = loop {
                if let Some(s) = child.try_wait().map_err(|e| e.to_string())? {
                    break Some(s);
                }
                if t.elapsed() > timeout {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
                std::thread::sleep(Duration::from_millis(20));
            };
            let dt = t.elapsed().as_secs_f64();
            let out = child
                .wait_with_output()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .unwrap_or_default();
            let cell = match status {
                None => format!("TIMEOUT >{}s", timeout.as_secs()),
                Some(s) if s.success() => format!("{out} ({dt:.2} s)"),
                Some(s) => format!("CRASH {s} ({dt:.2} s)"),
            };
            print!(" {cell} |");
        }
        println!();
    }
    Ok(())
}
