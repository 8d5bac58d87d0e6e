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
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("retold: error: {e:#}");
            ExitCode::from(cli::EXIT_FAILURE)
        }
    }
}
