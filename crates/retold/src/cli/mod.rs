//! Commands and flags. Each command lives in its own file.

/// `println!` for command output that hands a write error (a reader that
/// closed the pipe, `| head`) back with `?` instead of panicking.
macro_rules! outln {
    () => {
        ::std::io::Write::write_all(&mut ::std::io::stdout().lock(), b"\n")?
    };
    ($($arg:tt)*) => {
        ::std::io::Write::write_fmt(
            &mut ::std::io::stdout().lock(),
            format_args!("{}\n", format_args!($($arg)*)),
        )?
    };
}

/// `print!` as [`outln!`] is `println!`.
macro_rules! out {
    ($($arg:tt)*) => {
        ::std::io::Write::write_fmt(&mut ::std::io::stdout().lock(), format_args!($($arg)*))?
    };
}

mod analyze;
mod compare;
mod dedup;
mod eval;
mod progress;
mod serve;
mod synth;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use retold_core::ingest::{Format, IngestOptions, Limits};

/// Exit code when a command fails (I/O, nothing readable).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code when `--strict` met bad input.
pub const EXIT_BAD_INPUT: u8 = 3;

const AFTER_HELP: &str = "\
Examples:
  retold analyze examples/corpus
  retold analyze --format json -o analysis.json crawl.warc.gz feeds/
  cat articles.jsonl | retold analyze -

Exit codes: 0 success (bad records are skipped and reported), 1 failure,
2 usage error, 3 bad input under --strict.";

/// Find every retelling of a news story, trace it to its source, show what changed.
#[derive(Debug, Parser)]
#[command(name = "retold", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read articles from files, directories or stdin (`-`) and report on them.
    #[command(after_help = AFTER_HELP)]
    Analyze(analyze::AnalyzeArgs),
    /// How two articles relate: verdict, which came first, the evidence, and
    /// the aligned passages side by side with changed words marked.
    #[command(
        after_help = "Examples:\n  retold compare examples/corpus/text/estuarypost-larkmoor-bridge.txt examples/corpus/html/portcaddoncourier-larkmoor-bridge-closed.html\n  retold compare --format html -o pair.html a.html b.html\n  retold compare --format json a.html b.html\n  retold compare --a-id abc --b-id def feed.jsonl feed.jsonl"
    )]
    Compare(compare::CompareArgs),
    /// Cluster near-duplicate articles (MinHash + LSH), or write a deduplicated corpus.
    #[command(
        after_help = "Examples:\n  retold dedup corpus.jsonl > clusters.jsonl\n  retold dedup --sketch content --threshold 0.4 corpus.jsonl\n  retold dedup --keep earliest -o deduped.jsonl crawl/"
    )]
    Dedup(dedup::DedupArgs),
    /// Write a synthetic corpus with known duplicates (for benchmarks).
    #[command(
        after_help = "Example:\n  retold synth --from examples/corpus -n 10000 --seed 7 -o synth.jsonl"
    )]
    Synth(synth::SynthArgs),
    /// Measure quality against labelled data.
    Eval(eval::EvalArgs),
    /// Serve the stories over HTTP from an embedded store: live ingest
    /// (`POST /v1/articles`, `--watch DIR`), JSON API, web page at `/`.
    #[command(
        after_help = "Examples:\n  retold serve --db /tmp/r.db --watch examples/corpus\n  retold serve --db retold.db --listen 0.0.0.0:7878 --token \"$TOKEN\"\n  curl --data-binary @articles.jsonl http://127.0.0.1:7878/v1/articles\n\nAPI: docs/openapi.yaml. Stops gracefully on SIGINT/SIGTERM."
    )]
    Serve(serve::ServeArgs),
}

/// Flags shared by every command that reads articles.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files, directories (read recursively) or `-` for stdin. Formats: text,
    /// Markdown, JSON Lines, HTML, RSS/Atom, WARC; any of them gzipped.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Read every input as this format instead of guessing from name and content.
    #[arg(long = "input-format", value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,

    /// Stop at the first bad record with exit code 3 instead of skipping it.
    #[arg(long)]
    pub strict: bool,

    /// Largest file read whole (text, HTML, feed), in bytes after decompression.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_file_bytes)]
    pub max_file_bytes: u64,

    /// Largest single record (a JSON line, a WARC record), in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_record_bytes)]
    pub max_record_bytes: u64,

    /// No progress bar (it is also off when stderr is not a terminal).
    #[arg(long, short)]
    pub quiet: bool,
}

impl InputArgs {
    pub fn options(&self) -> IngestOptions {
        IngestOptions {
            limits: Limits {
                max_file_bytes: self.max_file_bytes,
                max_record_bytes: self.max_record_bytes,
            },
            strict: self.strict,
            format: self.input_format.map(InputFormat::into_core),
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum InputFormat {
    Text,
    Markdown,
    Jsonl,
    Html,
    Feed,
    Warc,
}

impl InputFormat {
    fn into_core(self) -> Format {
        match self {
            InputFormat::Text => Format::Text,
            InputFormat::Markdown => Format::Markdown,
            InputFormat::Jsonl => Format::Jsonl,
            InputFormat::Html => Format::Html,
            InputFormat::Feed => Format::Feed,
            InputFormat::Warc => Format::Warc,
        }
    }
}

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Dedup(args) => dedup::run(args),
        Command::Synth(args) => synth::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Serve(args) => serve::run(args),
    }
}
