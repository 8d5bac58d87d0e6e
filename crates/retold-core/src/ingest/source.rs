//! Finding inputs and opening them: files, directories, stdin, gzip.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;

use super::{Format, IngestOptions};
use crate::article::Origin;
use crate::error::{IngestError, IngestErrorKind};

/// One input to read: a file or stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// `None` for stdin.
    pub path: Option<PathBuf>,
    /// The name used in messages: the path as given, or `-`.
    pub name: String,
    /// Size on disk (compressed size for `.gz`), 0 for stdin.
    pub size: u64,
    /// The format the file name promises, if any.
    pub format_hint: Option<super::Format>,
}

impl Input {
    pub fn origin(&self) -> Origin {
        Origin::whole(self.name.clone())
    }

    fn file(path: PathBuf, size: u64) -> Self {
        let name = path.display().to_string();
        let stem = name
            .strip_suffix(".gz")
            .or_else(|| name.strip_suffix(".GZ"))
            .unwrap_or(&name);
        let format_hint = Format::from_extension(stem);
        Self {
            path: Some(path),
            name,
            size,
            format_hint,
        }
    }
}

/// Files a directory walk leaves alone: gold labels and notes beside a corpus.
fn is_ignored_in_walk(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with('.')
        || lower == "gold.json"
        || lower.ends_with(".gold.json")
        || lower.starts_with("readme")
        || lower.starts_with("license")
}

/// Expands `path` into inputs: `-` is stdin, a directory is walked
/// recursively in name order (skipping hidden files, `gold.json`, READMEs and
/// LICENSEs), a file is itself. Entries that cannot be listed come back as
/// errors beside the inputs that could.
pub fn list_inputs(path: &Path) -> (Vec<Input>, Vec<IngestError>) {
    if path.as_os_str() == "-" {
        let stdin = Input {
            path: None,
            name: "-".into(),
            size: 0,
            format_hint: None,
        };
        return (vec![stdin], vec![]);
    }
    let origin = || Origin::whole(path.display().to_string());
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return (vec![], vec![read_error(origin(), &e)]),
    };
    if meta.is_file() {
        return (vec![Input::file(path.to_path_buf(), meta.len())], vec![]);
    }
    if !meta.is_dir() {
        let kind = IngestErrorKind::Unsupported("not a regular file or directory".into());
        return (vec![], vec![IngestError::new(origin(), kind)]);
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let walker = walkdir::WalkDir::new(path)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_in_walk(&e.file_name().to_string_lossy()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let size = e.metadata().map(|m| m.len()).unwrap_or(0);
                out.push(Input::file(e.into_path(), size));
            }
            Ok(_) => {}
            Err(e) => {
                let at = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| path.display().to_string());
                let kind = IngestErrorKind::Io(e.to_string());
                errors.push(IngestError::new(Origin::whole(at), kind));
            }
        }
    }
    (out, errors)
}

/// Opens an input, undoing gzip when the content starts with its magic bytes.
pub fn open_input(
    input: &Input,
    _options: &IngestOptions,
) -> Result<Box<dyn BufRead + Send>, IngestError> {
    let raw: Box<dyn Read + Send> = match &input.path {
        None => Box::new(io::stdin()),
        Some(p) => Box::new(File::open(p).map_err(|e| read_error(input.origin(), &e))?),
    };
    let mut buffered = BufReader::with_capacity(64 * 1024, raw);
    let head = buffered
        .fill_buf()
        .map_err(|e| read_error(input.origin(), &e))?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(BufReader::with_capacity(
            64 * 1024,
            GzReader(MultiGzDecoder::new(buffered)),
        )))
    } else {
        Ok(Box::new(buffered))
    }
}

/// Marks errors that come out of the gzip decoder, so they read as such.
struct GzReader<R: BufRead>(MultiGzDecoder<R>);

impl<R: BufRead> Read for GzReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf).map_err(|e| {
            let kind = if e.kind() == io::ErrorKind::UnexpectedEof {
                io::ErrorKind::UnexpectedEof
            } else {
                io::ErrorKind::InvalidData
            };
            io::Error::new(kind, GzipFault(e.to_string()))
        })
    }
}

#[derive(Debug)]
struct GzipFault(String);

impl std::fmt::Display for GzipFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GzipFault {}

/// Turns an I/O error into the matching error kind.
pub(crate) fn read_error(origin: Origin, e: &io::Error) -> IngestError {
    IngestError::new(origin, io_kind(e))
}

pub(crate) fn io_kind(e: &io::Error) -> IngestErrorKind {
    let gz = e
        .get_ref()
        .is_some_and(|inner| inner.downcast_ref::<GzipFault>().is_some());
    match (gz, e.kind()) {
        (true, io::ErrorKind::UnexpectedEof) => {
            IngestErrorKind::Truncated("gzip stream ends early".into())
        }
        (true, _) => IngestErrorKind::Gzip(e.to_string()),
        (false, io::ErrorKind::UnexpectedEof) => IngestErrorKind::Truncated(e.to_string()),
        _ => IngestErrorKind::Io(e.to_string()),
    }
}

/// Reads to the end, failing once more than `limit` bytes arrive.
pub(crate) fn read_limited(
    reader: &mut dyn BufRead,
    limit: u64,
    what: &'static str,
) -> Result<Vec<u8>, IngestErrorKind> {
    let mut bytes = Vec::new();
    let n = reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_kind(&e))?;
    if n as u64 > limit {
        // Count the rest so the message gives the real size.
        let rest = io::copy(reader, &mut io::sink()).unwrap_or(0);
        return Err(IngestErrorKind::TooLarge {
            what,
            size: n as u64 + rest,
            limit,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn read_limited_reports_real_size() {
        let data = vec![b'a'; 100];
        let mut r: &[u8] = &data;
        let err = read_limited(&mut r, 10, "file").unwrap_err();
        assert_eq!(
            err,
            IngestErrorKind::TooLarge {
                what: "file",
                size: 100,
                limit: 10
            }
        );
        let mut r: &[u8] = &data;
        assert_eq!(read_limited(&mut r, 100, "file").unwrap().len(), 100);
    }

    #[test]
    fn truncated_gzip_is_reported_as_truncated() {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&b"hello world ".repeat(1000)).unwrap();
        let gz = enc.finish().unwrap();
        let dir = std::env::temp_dir().join(format!("retold-gz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("cut.txt.gz");
        std::fs::write(&p, &gz[..gz.len() / 2]).unwrap();
        let input = list_inputs(&p).0.remove(0);
        assert_eq!(input.format_hint, Some(Format::Text));
        let mut r = open_input(&input, &IngestOptions::default()).unwrap();
        let err = read_limited(&mut r, 1 << 20, "file").unwrap_err();
        assert!(matches!(err, IngestErrorKind::Truncated(_)), "{err:?}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn walk_skips_gold_and_hidden() {
        assert!(is_ignored_in_walk("gold.json"));
        assert!(is_ignored_in_walk(".git"));
        assert!(is_ignored_in_walk("README.md"));
        assert!(!is_ignored_in_walk("story.txt"));
    }
}
