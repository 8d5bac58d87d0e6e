//! retold-core: find every retelling of a news story, trace it to its source, show what changed.
//!
//! The data flows one way: [`ingest`] reads articles, [`text`] normalizes and
//! splits them, [`features`] and [`index`] find candidate pairs, [`align`]
//! aligns two texts sentence by sentence, [`relate`] turns an alignment into
//! a verdict with direction and evidence, and [`story`] groups articles into
//! stories with an origin and a derivation tree.
//!
//! Two articles: [`relate::compare`]. Many: [`story::Engine`].
//!
//! ```
//! use retold_core::article::{ArticleDraft, Origin};
//! use retold_core::story::{Engine, EngineConfig};
//!
//! let text = "The river Aln burst its banks early on Sunday after three days of rain. \
//!     About 300 homes were flooded in the old town of Wexhall, the fire service said. \
//!     Mayor Ines Okafor asked residents to boil their drinking water.";
//! let article = |id: &str, date: &str, text: String| {
//!     ArticleDraft { id: Some(id.into()), published: Some(date.into()), text, ..Default::default() }
//!         .finish(Origin::whole(id))
//!         .expect("an article with text")
//! };
//! let mut engine = Engine::new(EngineConfig::default());
//! engine.add(article("a", "2026-03-01T08:00:00Z", text.to_string()));
//! engine.add(article("b", "2026-03-01T09:00:00Z", format!("{text} Schools are closed.")));
//! let stories = engine.stories();
//! assert_eq!(stories.len(), 1);
//! assert_eq!(stories[0].origin, "a");
//! assert_eq!(stories[0].members[1].parent.as_deref(), Some("a"));
//! ```
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
pub mod report;
pub mod story;
pub mod synth;
pub mod text;

#[cfg(test)]
mod test_support;
