#![no_main]
//! Fuzz target: the date parser never panics.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = retold_core::dates::parse_date(s);
    }
});
