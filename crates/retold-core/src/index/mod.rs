//! Index: features → candidate pairs.

pub mod lsh;
