//! The harness every reader fuzz target shares.

use std::ops::ControlFlow;

use retold_core::ingest::{read_format, Format, Limits};

/// Runs the reader of `format` over `data` with small limits and finishes
/// every draft it yields; any panic is a bug.
pub fn read(data: &[u8], format: Format) {
    let limits = Limits {
        max_file_bytes: 1 << 20,
        max_record_bytes: 1 << 16,
    };
    let mut reader: &[u8] = data;
    let _ = read_format(format, "fuzz", &mut reader, &limits, &mut |r| {
        if let Ok((draft, origin)) = r {
            let _ = draft.finish(origin);
        }
        ControlFlow::Continue(())
    });
}
