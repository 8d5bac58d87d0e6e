//! RSS and Atom feeds: one article per entry.
//!
//! STUB: the feed stage replaces this body.

use std::ops::ControlFlow;

use super::Emit;
use crate::article::Origin;
use crate::error::{IngestError, IngestErrorKind};

/// Reads every entry of a feed held in `bytes`; `name` is used in messages.
pub fn read(_bytes: &[u8], name: &str, emit: &mut Emit) -> ControlFlow<()> {
    emit(Err(IngestError::new(
        Origin::whole(name),
        IngestErrorKind::Unsupported("feeds are not read yet".into()),
    )))
}
