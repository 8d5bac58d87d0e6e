//! Progress on stderr: a bar when a person is watching (stderr is a
//! terminal), a plain line every few seconds when stderr goes to a log
//! (a long run is never silent), nothing with `--quiet`.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Seconds between two progress lines when stderr is not a terminal.
pub const LOG_EVERY: Duration = Duration::from_secs(5);

/// A hidden bar whose position a thread writes to stderr every
/// [`LOG_EVERY`] until the bar is finished: `retold: reading 40 MB of
/// 120 MB (33%), 10 s`.
fn logged(total: Option<u64>, what: &'static str, bytes: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden());
    let watched = bar.clone();
    let started = Instant::now();
    std::thread::spawn(move || {
        let mut last = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(250));
            if watched.is_finished() {
                return;
            }
            if last.elapsed() < LOG_EVERY {
                continue;
            }
            last = Instant::now();
            let line = log_line(watched.position(), watched.length(), what, bytes);
            eprintln!("retold: {line}, {} s", started.elapsed().as_secs());
        }
    });
    bar
}

/// `reading 40 MB of 120 MB (33%)`, `relating 3200 of 10000 articles
/// (32%)`, `1200 pairs`.
fn log_line(pos: u64, len: Option<u64>, what: &str, bytes: bool) -> String {
    let n = |v: u64| {
        if bytes {
            format!("{} MB", v / 1_000_000)
        } else {
            v.to_string()
        }
    };
    match len {
        Some(len) if len > 0 => {
            let pct = 100 * pos / len;
            if bytes {
                format!("{what} {} of {} ({pct}%)", n(pos), n(len))
            } else {
                format!("relating {pos} of {len} {what} ({pct}%)")
            }
        }
        _ => format!("{} {what}", n(pos)),
    }
}

/// A byte-counting bar; a line every few seconds when stderr is not a
/// terminal; nothing when `quiet` is set.
pub fn bytes_bar(total: u64, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    }
    if !std::io::stderr().is_terminal() {
        return logged(Some(total), "reading", true);
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{spinner} reading [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    bar.set_style(style);
    bar
}

/// A counting spinner for streams of unknown length.
pub fn count_bar(what: &'static str, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    if !std::io::stderr().is_terminal() {
        return logged(None, what, false);
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let template = format!("{{spinner}} {{pos}} {what} ({{per_sec}}, {{elapsed}})");
    let style = ProgressStyle::with_template(&template)
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar
}

/// A counting bar with a known total (articles placed into stories).
pub fn items_bar(total: u64, what: &'static str, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    }
    if !std::io::stderr().is_terminal() {
        return logged(Some(total), what, false);
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let template =
        format!("{{spinner}} relating [{{bar:30}}] {{pos}}/{{len}} {what} ({{per_sec}}, {{eta}})");
    let style = ProgressStyle::with_template(&template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_lines_say_how_far() {
        assert_eq!(
            log_line(40_000_000, Some(120_000_000), "reading", true),
            "reading 40 MB of 120 MB (33%)"
        );
        assert_eq!(
            log_line(3200, Some(10_000), "articles", false),
            "relating 3200 of 10000 articles (32%)"
        );
        assert_eq!(log_line(1200, None, "pairs", false), "1200 pairs");
    }
}
