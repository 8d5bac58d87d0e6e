//! retold-core: find every retelling of a news story, trace it to its source, show what changed.
pub mod align;
pub mod article;
pub mod changes;
pub mod dates;
pub mod dedup;
pub mod error;
pub mod eval;
pub mod features;
pub mod index;
pub mod ingest;
pub mod relate;
pub mod story;
pub mod synth;
pub mod text;
