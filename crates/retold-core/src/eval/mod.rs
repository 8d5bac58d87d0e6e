//! Evaluation against labelled data.
//!
//! - [`plagdet`]: the PAN plagiarism-detection measures (character-level
//!   precision and recall, granularity, PlagDet).
//! - [`cluster`]: BCubed and pairwise precision, recall and F1 of a
//!   clustering (stories).
//! - [`corpus`]: stories, roles, parents and relations against a gold
//!   file like the example corpus's.
//! - [`pan`]: PAN text-alignment corpora: reading pairs and gold cases,
//!   running the aligner on every pair, writing detections as PAN XML.
//! - [`pairs`]: graded pairs (SemEval-2022 task 8): Pearson and Spearman
//!   of retold's relatedness against human grades, per language pair.
//! - [`reuse`]: newsroom reuse (wholly / partially / non derived) against
//!   journalists' labels.

pub mod cluster;
pub mod corpus;
pub mod pairs;
pub mod pan;
pub mod plagdet;
pub mod reuse;
