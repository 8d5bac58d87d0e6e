//! WARC archives: HTTP response records that hold HTML pages.
//!
//! STUB: the WARC stage replaces this body.

use std::io::BufRead;
use std::ops::ControlFlow;

use super::{Emit, Limits};
use crate::article::Origin;
use crate::error::{IngestError, IngestErrorKind};

/// Streams the records of a (decompressed) WARC file, one article per HTML response.
pub fn read(
    _reader: &mut dyn BufRead,
    name: &str,
    _limits: &Limits,
    emit: &mut Emit,
) -> ControlFlow<()> {
    emit(Err(IngestError::new(
        Origin::whole(name),
        IngestErrorKind::Unsupported("WARC is not read yet".into()),
    )))
}
