//! The `retold` command line.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("retold: error: {e:#}");
            ExitCode::from(cli::EXIT_FAILURE)
        }
    }
}
