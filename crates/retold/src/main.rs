//! The `retold` command line.

mod cli;

use std::process::ExitCode;

use clap::Parser;

// The pipeline makes many small short-lived allocations (token and
// profile vectors per sentence pair); glibc malloc took a quarter of a
// 10 k-article run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        // A reader that stops early (`| head`) is not a failure.
        Err(e) if closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("retold: error: {e:#}");
            ExitCode::from(cli::EXIT_FAILURE)
        }
    }
}

/// Whether `e` is (or was caused by) a write to a reader that has gone: a
/// closed pipe, met by an I/O write or inside a JSON serializer (whose
/// error does not name the I/O error as its source).
fn closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        let io = c.downcast_ref::<std::io::Error>().map(std::io::Error::kind);
        let json = c
            .downcast_ref::<serde_json::Error>()
            .and_then(serde_json::Error::io_error_kind);
        io.or(json) == Some(std::io::ErrorKind::BrokenPipe)
    })
}
