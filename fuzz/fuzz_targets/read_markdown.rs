#![no_main]
//! Fuzz target: the markdown reader never panics and reports errors as data.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    retold_fuzz_common(data, retold_core::ingest::Format::Markdown);
});

fn retold_fuzz_common(data: &[u8], format: retold_core::ingest::Format) {
    let limits = retold_core::ingest::Limits {
        max_file_bytes: 1 << 20,
        max_record_bytes: 1 << 16,
    };
    let mut reader: &[u8] = data;
    let _ = retold_core::ingest::read_format(format, "fuzz", &mut reader, &limits, &mut |r| {
        if let Ok((draft, origin)) = r {
            let _ = draft.finish(origin);
        }
        std::ops::ControlFlow::Continue(())
    });
}
