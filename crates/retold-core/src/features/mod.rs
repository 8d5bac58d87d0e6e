//! Features: what is computed once per article for candidate search and alignment.

pub mod minhash;
pub mod sketch;
