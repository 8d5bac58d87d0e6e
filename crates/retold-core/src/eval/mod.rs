//! Evaluation against labelled data.
//!
//! - [`plagdet`]: the PAN plagiarism-detection measures (character-level
//!   precision and recall, granularity, PlagDet).
//! - [`pan`]: PAN text-alignment corpora: reading pairs and gold cases,
//!   running the aligner on every pair, writing detections as PAN XML.

pub mod pan;
pub mod plagdet;
