#![no_main]
//! Fuzz target: text analysis never panics and keeps spans in bounds.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let doc = retold_core::text::analyze(s, None);
        for span in &doc.sentences {
            assert!(span.start <= span.end && span.end <= doc.clean.len());
            assert!(doc.clean.is_char_boundary(span.start) && doc.clean.is_char_boundary(span.end));
        }
    }
});
