#![no_main]
//! Fuzz target: the text reader never panics and reports errors as data.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| retold_fuzz::read(data, retold_core::ingest::Format::Text));
