#![no_main]
//! Fuzz target: sniffing picks a reader for any bytes, and that reader never panics.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| retold_fuzz::read(data, retold_core::ingest::Format::sniff(data)));
