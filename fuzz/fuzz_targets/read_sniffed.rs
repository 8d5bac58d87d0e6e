#![no_main]
//! Fuzz target: sniffing picks a reader for any bytes, and that reader never panics.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let format = retold_core::ingest::Format::sniff(data);
    let limits = retold_core::ingest::Limits {
        max_file_bytes: 1 << 20,
        max_record_bytes: 1 << 16,
    };
    let mut reader: &[u8] = data;
    let _ = retold_core::ingest::read_format(format, "fuzz", &mut reader, &limits, &mut |_| {
        std::ops::ControlFlow::Continue(())
    });
});
