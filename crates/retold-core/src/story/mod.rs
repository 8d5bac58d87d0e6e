//! Stories and provenance: which articles tell the same story, which one is
//! the origin, and how every other version derives from it.
//!
//! The [`Engine`] takes articles one at a time, in publication order (input
//! order when undated). Each new article gets candidates from the
//! [`CandidateIndex`], a [`Verdict`] against each, and then:
//!
//! 1. **Derived**: when some verdicts say it was made from an article
//!    already seen (duplicate, copy, excerpt, rewrite, spun), it joins that
//!    article's story with the closest of them as its parent. When the
//!    evidence says the new article is the source (attribution, containment
//!    of undated texts), it takes the older one's place in the tree instead.
//! 2. **Independent report**: otherwise it joins the story it links to most
//!    strongly on average over the story's *reports* (the origin and the
//!    independent reports; a copy counts for the report it copies), if that
//!    average reaches [`EngineConfig::join_threshold`]. One strong link to
//!    one member of a big story is not enough: no chaining through single
//!    edges.
//! 3. Otherwise it starts a new story as its origin.
//!
//! A derived verdict is followed only through the story's gates: the story
//! of the candidate must name the article's subject ([`subjects`]), unless
//! a real part of the article is passages copied from the candidate (a
//! newspaper's own angle on a wire story, [`SUBJECT_PASSAGES`]), the
//! names of the aligned sentences must be kept or garbled, not replaced,
//! a structure-only verdict must not cross another event's key facts
//! ([`events`]), and reuse alone (copied passages, shared phrasing) needs
//! the two texts on one subject. Each member lists the derived verdicts a
//! gate refused ([`Member::refused`]): what `retold compare` says of the
//! pair, and which gate kept the story from following it, so the pair
//! verdict and the story never disagree unexplained.
//!
//! ```
//! use retold_core::article::{ArticleDraft, Origin};
//! use retold_core::story::{Engine, EngineConfig, Role};
//!
//! let article = |id: &str, date: &str, text: &str| {
//!     ArticleDraft { id: Some(id.into()), published: Some(date.into()), text: text.into(), ..Default::default() }
//!         .finish(Origin::whole(id))
//!         .unwrap()
//! };
//! let text = "The river Aln burst its banks early on Sunday after three days of rain. \
//!     About 300 homes were flooded in the old town of Wexhall, the fire service said. \
//!     Mayor Ines Okafor asked residents to boil their drinking water. \
//!     Schools will stay closed until Friday, the education office announced.";
//! let mut engine = Engine::new(EngineConfig::default());
//! engine.add(article("first", "2026-03-01T08:00:00Z", text));
//! engine.add(article("copy", "2026-03-01T10:00:00Z", &text.replace("Friday", "Thursday")));
//! engine.add(article("other", "2026-03-01T11:00:00Z",
//!     "The chess championship in Lindau ended in a draw after seven hours of play on Sunday."));
//! let stories = engine.stories();
//! assert_eq!(stories.len(), 2);
//! assert_eq!(stories[0].origin, "first");
//! assert_eq!(stories[0].members[1].role, Role::Derived);
//! assert_eq!(stories[0].members[1].parent.as_deref(), Some("first"));
//! ```

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use jiff::Timestamp;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::align::{align, AlignConfig, Alignment, DocProfile, PreparedPair};

use crate::article::Article;
use crate::changes::entities::{mentions, Mention};
use crate::changes::{changes, changes_with_mentions, Change};
use crate::features::{sketch::Sketcher, terms::DocFreq, Features};
use crate::index::lead::LeadIndex;
use crate::index::{Candidate, CandidateConfig, CandidateIndex, Evidence};
use crate::relate::degree::{degree_basis, DegreeBasis};
use crate::relate::{
    relate_prepared, Degree, DirectionEvidence, Model, Outlets, PairFeatures, Relation, Side,
    Surface, Verdict,
};
use crate::text::furniture::Furniture;
use crate::text::TextDoc;

/// Settings of the [`Engine`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EngineConfig {
    pub candidates: CandidateConfig,
    pub align: AlignConfig,
    #[serde(skip)]
    pub model: Model,
    /// Most candidates aligned per new article (the strongest by the
    /// index's evidence).
    pub max_candidates: usize,
    /// Least probability of the derived relations for a parent link.
    pub derived_threshold: f64,
    /// Least average relatedness over a story's reports to join it as an
    /// independent report.
    pub join_threshold: f64,
    /// Weight of the TF-IDF cosine of two articles in their link: the link
    /// is the larger of the verdict's relatedness and `cosine × weight`
    /// (capped at 1). Independent reports of one event that the aligner
    /// links by a sentence or two still share vocabulary; 0 turns it off.
    pub cosine_weight: f64,
    /// Candidates whose exact content-word Jaccard is below this are not
    /// aligned (reports of one event share 0.15–0.25 of their content
    /// words, unrelated news under 0.1).
    pub min_content_jaccard: f64,
    /// Least name fidelity (see [`name_fidelity`]) of a derived link, and
    /// the fidelity below which the verdict's relatedness counts in
    /// proportion in a story link. Two reports of different events of one
    /// kind (two arrests, two earthquakes) align sentence by sentence on
    /// the same formulas, with other names in them; a copy keeps its
    /// source's names and a spinner garbles them. 0 turns it off.
    pub min_name_fidelity: f64,
    /// Least members of a story for its names to be known: an article
    /// whose subject (see [`subjects`]) no member of such a story names
    /// joins it neither as a derived version (a version takes its names
    /// from its source) nor as an independent report. A report of another
    /// event of one kind that recounts this one names this one's subject
    /// in passing, but the story's reports never name the new one. 0 turns
    /// it off.
    pub subject_min_members: usize,
    /// Whether a story that turns out to hold two events of one kind is
    /// split after a placing (see [`split`]): some members have a subject
    /// that three or more others, about a subject of their own, never
    /// write. Needs `subject_min_members` above 0.
    pub subject_split: bool,
    /// Cheaper aligner settings every candidate pair is screened with
    /// first (the similarity matrix is shared); the full `align` settings
    /// run only when the screen's verdict is not clearly unrelated.
    /// `None`: every pair gets the full alignment.
    pub screen: Option<AlignConfig>,
    /// Whether stated conflicts of key facts (see [`events`]: magnitudes,
    /// scores, editions, years, dates, tolls, ages, counts) keep an article
    /// out of a story it would join as an independent report, and two
    /// stories from merging: conflicts that add up to one strong one say
    /// the two tell another event of the same kind. Derived versions are
    /// not affected.
    pub event_conflicts: bool,
    /// Least probability of `unrelated` under the screen for its verdict
    /// to stand.
    pub screen_unrelated: f64,
    /// Least story link (average link over the scored report pairs of two
    /// stories) for two stories to merge (see [`merge`]); 0 turns merging
    /// off.
    pub merge_threshold: f64,
    /// Least scored report pairs between two stories for them to merge.
    pub merge_min_pairs: usize,
    /// Least share of each story's reports that the scored pairs between
    /// two stories must reach for them to merge (see [`merge`]).
    pub merge_min_coverage: f64,
    /// Whether the links of derived members count for a merge (as links
    /// of the reports they derive from). Off: a digest that copies two
    /// stories' reports links both strongly without telling one event.
    pub merge_via_derived: bool,
    /// Weight of the lead's TF-IDF cosine (title and first sentences, see
    /// [`lead`]) beside the whole text's in a link: the cosine used is
    /// `(cos_text + w · cos_lead) / (1 + w)`; 0 reads the whole text only.
    pub lead_weight: f64,
    /// Texts of at most this many words also get candidates from the lead
    /// index (see `story::briefs`); 0 turns it off.
    pub short_text_words: u32,
    /// Least lead stems a short text shares with a lead candidate.
    pub lead_min_shared: usize,
    /// Whether a member's derived link to a copy or version of a text it
    /// is two reports with is refused when what the two share is that
    /// text's (see [`inherited`]).
    pub inherited: bool,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            candidates: CandidateConfig::default(),
            align: AlignConfig::default(),
            model: Model::builtin(),
            max_candidates: 12,
            derived_threshold: 0.5,
            join_threshold: 0.35,
            min_content_jaccard: 0.08,
            cosine_weight: 1.2,
            min_name_fidelity: 0.5,
            subject_min_members: 3,
            subject_split: true,
            event_conflicts: true,
            screen: None,
            screen_unrelated: 0.95,
            merge_threshold: 0.35,
            merge_min_pairs: 1,
            merge_min_coverage: 0.5,
            merge_via_derived: true,
            lead_weight: 0.0,
            short_text_words: 0,
            lead_min_shared: 3,
            inherited: true,
        }
    }
}

/// An article's place in its story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The first report, from which the derived versions come.
    Origin,
    /// Made from another member (its parent).
    Derived,
    /// A report of the same event written independently.
    Independent,
}

/// Why a member sits where it does: the verdict against the member it was
/// linked to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberEvidence {
    /// The article the verdict is against (the parent for derived members,
    /// the most related report for independent ones).
    pub against: String,
    pub relation: Relation,
    pub confidence: f64,
    /// Average relatedness over the story's reports when it joined as an
    /// independent report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story_link: Option<f64>,
    /// The pair features of the verdict (all zero for a former origin of
    /// a merged story, which joined by the `merged` story link).
    pub features: PairFeatures,
    pub direction: Vec<DirectionEvidence>,
    /// When the member was the origin of a story merged into this one: the
    /// links that merged the two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged: Option<MergeEvidence>,
    /// What joined the member to its story, so that a membership the pair
    /// verdict alone would not show (`retold compare` on the same pair)
    /// says where it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_by: Option<JoinedBy>,
    /// The passages a derived member reused from its parent, when it is
    /// partially derived or joined by copied passages: at most
    /// [`MAX_PASSAGES`], the longest, in the member's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passages: Vec<ReusedPassage>,
    /// Reused passages beyond those listed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub more_passages: usize,
    /// Key facts an independent report states otherwise than the story it
    /// joined, too weak to say another event (see [`events`]): "toll 9 vs
    /// 12".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
    /// A `translated` member: the two languages, the language the story
    /// was first reported in and the sentences aligned across languages
    /// with their cosines (see [`crate::relate::translated`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation: Option<Box<crate::relate::translated::Translation>>,
    /// A round trip: the member was made by translating `via`, a
    /// translation of the original, back into the original's language
    /// (see [`Engine::mark_round_trips`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round_trip: Option<RoundTrip>,
}

/// The translation a round trip came through: its article id, language
/// and outlet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundTrip {
    pub via: String,
    pub language: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Reused passages listed per member.
pub const MAX_PASSAGES: usize = 3;

/// Characters of a reused passage's wording kept in [`ReusedPassage::text`].
pub const PASSAGE_TEXT_CHARS: usize = 300;

/// A passage a derived member took from its parent: a run of sentences
/// aligned in order in both texts (from the alignment made when the pair
/// was placed; nothing is aligned again), as character offsets into each
/// article's text, and the member's wording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReusedPassage {
    /// The member's wording, cut at [`PASSAGE_TEXT_CHARS`] characters with
    /// "…".
    pub text: String,
    /// Character span in the member's text.
    pub member: crate::text::Span,
    /// Character span in the parent's text.
    pub parent: crate::text::Span,
    /// Aligned sentence pairs inside, and their mean similarity.
    pub sentences: usize,
    pub similarity: f32,
}

/// A story an article was kept out of because the two state conflicting
/// key facts (see [`events`]): another event of the same kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OtherEvent {
    /// A member of that story (its first report when the article came).
    pub story_of: String,
    /// The story link the article had to it (the average over its reports).
    pub story_link: f64,
    /// The conflicts, the article's value first ("magnitude 5.8 vs 6.1").
    pub conflicts: Vec<String>,
}

/// A derived verdict the story did not follow: `retold compare` on the
/// member and `against` says `relation`, and a gate of the story stage
/// kept the member from hanging below `against`. Listed so that the pair
/// verdict and the story never disagree unexplained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refusal {
    pub against: String,
    /// The pair verdict's relation and confidence.
    pub relation: Relation,
    pub confidence: f64,
    pub reason: RefusedBy,
}

/// A refused derived verdict as the engine keeps it: the candidate, the
/// pair verdict's relation and confidence, and the gate.
type Refused = (usize, Relation, f64, RefusedBy);

/// Refusals listed per member, the most confident first.
pub const MAX_REFUSALS: usize = 3;

/// Which gate of the story stage refused a derived verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RefusedBy {
    /// The story of `against` has members enough for its names to be
    /// known and never names the member's subject (see [`subjects`]): a
    /// version takes its names from its source. Not read when at least
    /// [`SUBJECT_PASSAGES`] of the member is passages copied from
    /// `against`.
    Subject { subject: String },
    /// The names of the aligned sentences are replaced rather than kept or
    /// garbled: `fidelity` is below the engine's `min_name_fidelity`.
    NamesReplaced { fidelity: f64 },
    /// Only the structure node says derived (no copied passages, no shared
    /// phrasing), and the two state another event's key facts (see
    /// [`events`]).
    AnotherEvent { conflicts: Vec<String> },
    /// Only copied passages or shared phrasing say derived, not the
    /// structure of a whole version, and the texts are not on one subject:
    /// the TF-IDF `cosine` (times the engine's weight) or the member's
    /// `story_link` to the story of `against` is below `needed`, the join
    /// threshold (two stories of one outlet can share a background
    /// paragraph, two reports of one kind a formula).
    ReuseOffSubject {
        cosine: f64,
        story_link: f64,
        needed: f64,
    },
    /// Only the structure node says derived, and the member brings
    /// reporting of its own that `against` never has: `items` names,
    /// figures and quotations in sentences the two do not share, or
    /// `words` words of its own; or (`occasion`) the structure and the
    /// wording nodes say derived, no passage is copied, the two have
    /// `lifted` sentences one written from the other's, too few to make a
    /// version, and the member tells `words` words of its own: one
    /// occasion reported twice
    /// ([`Model::two_reports_why`](crate::relate::model::Model::two_reports_why)).
    /// Refused where the story's tree is decided ([`root`]); `compare`
    /// says so only when the direction is known or both texts bring
    /// their own.
    OwnReporting {
        items: usize,
        #[serde(default)]
        words: usize,
        #[serde(default)]
        occasion: bool,
        #[serde(default)]
        lifted: usize,
    },
    /// What the member shares with `against` is `source`'s, an ancestor
    /// of `against` the member is two reports with: `against` is a copy
    /// of it (`copy`), or the member is no version of what `against`
    /// added to `source` (see [`inherited`]).
    InheritedFrom { source: String, copy: bool },
}

/// What joined a member to its story.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JoinedBy {
    /// A derived member whose verdict's structure node (coverage, runs of
    /// sentences in order, lockstep) says it is a version of its parent.
    Structure { probability: f64 },
    /// A derived member that only the reuse node calls derived: copied
    /// passages cover `share` of one of the two texts (and it is on the
    /// same subject, in a story it links to as a report would).
    CopiedPassages { share: f64 },
    /// A derived member that only the wording node calls derived: `share`
    /// of its phrasing 3-grams (no names, no numbers; the lower of the two
    /// sides) are the other text's, more than independent reports of one
    /// event share (and it is on the same subject, in a story it links to
    /// as a report would).
    SharedWording { share: f64 },
    /// An independent report whose link to the story's reports is the pair
    /// verdict's relatedness (1 − P(unrelated)).
    Verdict { related: f64 },
    /// An independent report whose link is the texts' shared vocabulary:
    /// `cosine` × the engine's `cosine_weight` beat the verdict's
    /// relatedness (`related`), which `compare` shows alone.
    Vocabulary { cosine: f64, related: f64 },
    /// The origin of a story merged into this one (see `merged`).
    Merge,
    /// A translation: `share` of its sentences carry its parent's, in
    /// order, across languages (see [`crate::relate::translated`]).
    Translation { share: f64 },
}

/// One article of a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub article: String,
    pub role: Role,
    /// Relation to the parent (derived), or `same_story` (independent);
    /// none for the origin.
    pub relation: Option<Relation>,
    pub parent: Option<String>,
    pub confidence: f64,
    /// How much of a derived member comes from its parent: `wholly` (the
    /// parent is its only source) or `partially` (some passages of the
    /// parent inside material of its own). See [`crate::relate::degree`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub degree: Option<Degree>,
    /// What the degree was read from, with its numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub degree_basis: Option<DegreeBasis>,
    pub evidence: Option<MemberEvidence>,
    /// What a derived member changed against its parent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// Whether the member's place in its derivation family rests on
    /// evidence ([`root`]); none for members of no family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<DirectionStatus>,
    /// The kinds of evidence that decided it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub direction_basis: Vec<Basis>,
    /// Stories the member would have joined as an independent report but
    /// that tell another event of the same kind: their stated key facts
    /// conflict with its own (see [`events`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_events: Vec<OtherEvent>,
    /// Derived verdicts on the member that the story did not follow, and
    /// why (at most [`MAX_REFUSALS`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<Refusal>,
}

/// A story: every version of one piece of news.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// `s-` and the origin's id: stable whatever the input order.
    pub id: String,
    /// The origin's title (or the start of its text).
    pub title: String,
    pub origin: String,
    /// Member ids in processing order.
    pub articles: Vec<String>,
    pub members: Vec<Member>,
    /// Names spelled more than one way across the versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<Entity>,
    /// Each utterance quoted in the story, its wordings and how far it is
    /// attested.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<StoryQuote>,
    /// The story's claims and how many independent reports carry each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consensus: Vec<Claim>,
    /// Subject splits this story is a part of ([`split`]): the reports of
    /// another event of the same kind that were taken out of it, or the
    /// story it was taken out of.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub splits: Vec<split::SplitView>,
}

impl Story {
    /// The member that is article `id`, if the story holds it.
    pub fn member(&self, id: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.article == id)
    }
}

/// An article made ready for comparisons: its analyzed text, sentence
/// profiles and surface forms.
#[derive(Clone)]
struct Prepared {
    doc: TextDoc,
    profile: DocProfile,
    surface: Surface,
    /// Name mentions, found when a change report first needs them (a
    /// parent of several copies is scanned once).
    mentions: OnceLock<Vec<Mention>>,
    names: Names,
    /// Terms of the title and first sentences (see [`lead`]).
    lead: Vec<(u32, u16)>,
    /// The outlets it is and credits (direction evidence), read when a
    /// derived verdict or the re-rooting first needs them.
    outlets: OnceLock<Outlets>,
    /// The key facts it states (see [`events`]).
    facts: Facts,
}

impl Prepared {
    fn new(article: &Article, config: &AlignConfig, furniture: &Furniture) -> Prepared {
        // The host's furniture lines are left out (text/furniture.rs).
        let doc = furniture.analyze_article(article);
        Prepared {
            profile: DocProfile::with_options(&doc, config.max_merge, config.max_sentence_words),
            surface: Surface::new(&doc),
            names: subjects::names(&doc, article.title.as_deref()),
            lead: lead::lead_terms(&doc, article.title.as_deref()),
            outlets: OnceLock::new(),
            facts: events::facts(&doc, article.title.as_deref()),
            doc,
            mentions: OnceLock::new(),
        }
    }

    fn mentions(&self) -> &[Mention] {
        self.mentions.get_or_init(|| mentions(&self.doc))
    }
}

/// Stories whose texts are analyzed together for the story-wide analyses.
const STORY_GROUP: usize = 512;

/// What a derived article changed against its parent, and the alignment
/// that shows it.
struct ChangeReport {
    child: usize,
    parent: usize,
    changes: Vec<Change>,
    alignment: Alignment,
}

/// Where [`Engine::place_verdicts`] put an article.
enum Placed {
    /// Derived, below the candidate of verdict `k`.
    Below(usize),
    /// The source of an older article, which now hangs below it; the new
    /// article took the older one's place (below `parent`, if any).
    /// `moved`: the older one's children that now hang below the new one
    /// (the older one is its duplicate).
    Above {
        older: usize,
        parent: Option<usize>,
        moved: Vec<usize>,
    },
    /// A report: independent, or the origin of a new story.
    Report,
}

/// A placed article and the older texts it adopted ([`Engine::adopt`]).
struct Placing {
    placed: Placed,
    adopted: Vec<usize>,
}

/// Where an article stands, while the engine runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Place {
    story: usize,
    role: Role,
    parent: Option<usize>,
    relation: Option<Relation>,
    confidence: f64,
    evidence: Option<(usize, Verdict, Option<f64>)>,
    /// How much of a derived member comes from its parent, and what that
    /// was read from.
    degree: Option<DegreeBasis>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    article: Article,
    published: Option<Timestamp>,
}

/// Incremental story clustering and provenance. See the [module
/// documentation](self).
#[derive(Serialize, Deserialize)]
pub struct Engine {
    /// Not saved with the engine: given again when a saved engine is
    /// deserialized (the server's saved state, `retold-server`'s `state.rs`).
    #[serde(skip)]
    config: EngineConfig,
    sketcher: Sketcher,
    index: CandidateIndex,
    entries: Vec<Entry>,
    /// Content-stem counts per article and their document frequencies.
    terms: Vec<Vec<(u32, u16)>>,
    /// Each article's language as the document frequencies count it
    /// ([`crate::features::language_key`]).
    #[serde(default)]
    languages: Vec<u32>,
    doc_freq: DocFreq,
    places: Vec<Place>,
    /// Members of each story, in processing order.
    stories: Vec<Vec<usize>>,
    /// What each derived article changed against its parent, made when it
    /// was placed (empty for reports).
    changes: Vec<Vec<Change>>,
    /// Each derived article's parent and its alignment against it, from
    /// the change report (the story-wide analyses read it again).
    links: Vec<Option<(usize, Alignment)>>,
    /// Change reports [`Engine::shared_edits`] made before their chunk's
    /// (`j` → its parent then and the changes); dropped once the chunk's
    /// report is in, and all at [`EDIT_CACHE_MAX`].
    #[serde(skip)]
    edit_cache: HashMap<usize, (usize, Vec<Change>)>,
    /// Every name the members of each story use (sorted, distinct).
    story_names: Vec<Vec<u32>>,
    /// The lines each site repeats, learned from the articles added.
    furniture: std::sync::Arc<Furniture>,
    /// Each family member's direction, from [`root`].
    rooting: HashMap<usize, root::Rooting>,
    /// Each article's scored pairs with earlier articles, and the later
    /// articles scored against it (for [`merge`]).
    scored: Vec<Vec<merge::Scored>>,
    scored_by: Vec<Vec<u32>>,
    /// Each article's subjects (see [`subjects`]), and each as the text
    /// first writes it.
    subjects_of: Vec<Vec<u32>>,
    #[serde(default)]
    subject_words_of: Vec<Vec<String>>,
    /// Stories split because they held two events ([`split`]).
    #[serde(default)]
    splits: Vec<split::SplitNote>,
    /// Stories split since the last re-rooting.
    #[serde(skip)]
    split_touched: Vec<usize>,
    /// Names of articles read again for a split (see [`split`]): a story
    /// that the merge pass joins again and the next placing splits again
    /// reads its members once. At most [`EDIT_CACHE_MAX`] entries.
    #[serde(skip)]
    names_cache: HashMap<usize, Vec<u32>>,
    /// Lead terms per article (see [`lead`]), and the index over them for
    /// short texts (see [`briefs`]).
    lead_terms: Vec<Vec<(u32, u16)>>,
    leads: LeadIndex,
    /// Merges made, and the former origins each merge concerned.
    merges: Vec<merge::MergeNote>,
    merge_notes: HashMap<usize, merge::MergeNote>,
    /// (article, a member of a story the subject check kept it out of).
    subject_vetoes: Vec<(usize, usize)>,
    /// The key facts each article states (see [`events`]); empty unless
    /// `event_conflicts`.
    facts_of: Vec<Facts>,
    /// Stories each article was kept out of by conflicting facts: (article,
    /// a member of the story, story link, conflicts).
    event_vetoes: Vec<(usize, usize, f64, Conflicts)>,
    /// Weak conflicts of independent reports with the story they joined.
    join_conflicts: HashMap<usize, Conflicts>,
    /// Derived verdicts a story gate refused when each article was placed
    /// (the candidate and why); see [`Refusal`].
    #[serde(default)]
    refusals: HashMap<usize, Vec<Refused>>,
    /// The same, refused by the re-rooting ([`root`]) the last time each
    /// member's family was re-rooted.
    #[serde(default)]
    root_refusals: HashMap<usize, Vec<Refused>>,
    /// Merges kept back by conflicting facts: (a report of each story,
    /// story link, conflicts), each pair of stories once.
    merge_event_vetoes: Vec<(usize, usize, f64, Conflicts)>,
    merge_vetoed: std::collections::HashSet<(usize, usize)>,
    /// The cross-language path (see [`cross`]).
    #[serde(skip)]
    cross: cross::Cross,
    /// Round trips found ([`Engine::mark_round_trips`]): a member made by
    /// translating a translation of its parent back into the parent's
    /// language, with the translation it came through.
    #[serde(default)]
    round_trips: HashMap<usize, usize>,
    /// The prepared texts the last [`Engine::add_all`] kept (its most
    /// recent articles and their candidates), by article, with the
    /// furniture key each was prepared under ([`Furniture::removed_key`]):
    /// the next batch starts with them instead of preparing its older
    /// candidates again.
    #[serde(skip)]
    carried: HashMap<usize, (u64, Prepared)>,
    /// What changed since the last [`Engine::stories_update`] (see
    /// [`wide`]): everything, for a new or loaded engine.
    #[serde(skip)]
    touched: wide::Touched,
}

/// Entries [`Engine::edit_cache`] holds at most.
const EDIT_CACHE_MAX: usize = 4096;

impl Engine {
    pub fn new(config: EngineConfig) -> Engine {
        Engine {
            sketcher: Sketcher::new(Default::default()),
            index: CandidateIndex::new(config.candidates),
            entries: Vec::new(),
            terms: Vec::new(),
            languages: Vec::new(),
            doc_freq: DocFreq::default(),
            places: Vec::new(),
            stories: Vec::new(),
            changes: Vec::new(),
            links: Vec::new(),
            edit_cache: HashMap::new(),
            story_names: Vec::new(),
            furniture: Default::default(),
            rooting: HashMap::new(),
            scored: Vec::new(),
            scored_by: Vec::new(),
            subjects_of: Vec::new(),
            subject_words_of: Vec::new(),
            splits: Vec::new(),
            split_touched: Vec::new(),
            names_cache: HashMap::new(),
            lead_terms: Vec::new(),
            leads: LeadIndex::new(
                config.candidates.rare_max_df,
                config.lead_min_shared,
                config.candidates.window_secs,
                config.short_text_words,
            ),
            merges: Vec::new(),
            merge_notes: HashMap::new(),
            subject_vetoes: Vec::new(),
            facts_of: Vec::new(),
            event_vetoes: Vec::new(),
            join_conflicts: HashMap::new(),
            refusals: HashMap::new(),
            root_refusals: HashMap::new(),
            merge_event_vetoes: Vec::new(),
            merge_vetoed: Default::default(),
            cross: Default::default(),
            round_trips: HashMap::new(),
            carried: HashMap::new(),
            touched: Default::default(),
            config,
        }
    }

    /// The lead terms kept for the story link: none unless it reads them
    /// (`lead_weight` above 0).
    fn lead_kept(&self, p: &Prepared) -> Vec<(u32, u16)> {
        if self.config.lead_weight > 0.0 {
            p.lead.clone()
        } else {
            Vec::new()
        }
    }

    /// Number of articles added.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True before the first article.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds one article (call in publication order) and returns its index.
    pub fn add(&mut self, article: Article) -> usize {
        std::sync::Arc::make_mut(&mut self.furniture).learn_article(&article);
        let prepared = Prepared::new(&article, &self.config.align, &self.furniture);
        let features = Features::compute(&prepared.doc, &mut self.sketcher);
        let candidates = self.candidates(&features, article.published);
        let candidates =
            self.with_lead_candidates(candidates, &prepared, article.published, u32::MAX);
        let candidates = self
            .with_cross_candidates(vec![candidates], std::slice::from_ref(&article))
            .pop()
            .unwrap_or_default();
        self.leads.insert(
            &prepared.lead,
            article.published,
            briefs::word_count(&prepared),
        );
        let i = self.entries.len();
        self.index.insert(&features, article.published);
        let language = crate::features::language_key(prepared.doc.language);
        self.doc_freq.add_in(language, &features.terms);
        self.languages.push(language);
        self.terms.push(features.terms);
        self.lead_terms.push(self.lead_kept(&prepared));
        self.entries.push(Entry {
            published: article.published,
            article,
        });
        // The new article's text is analyzed already; candidates' are not kept.
        let verdicts = self.verdicts_with(i, &candidates, &|j| (j == i).then_some(&prepared));
        let due = self.place(i, verdicts, &prepared.names, &prepared.facts);
        self.changes.push(Vec::new());
        self.links.push(None);
        let reports = self.change_reports(due, &|j| (j == i).then_some(&prepared));
        self.apply_changes(reports);
        self.mark_round_trips(i, &|j| (j == i).then_some(&prepared));
        let story = self.places[i].story;
        self.reroot_story(story);
        // The other part of a split made by this placing.
        for s in std::mem::take(&mut self.split_touched) {
            if s != story {
                self.reroot_story(s);
            }
        }
        i
    }

    /// The strongest candidates among the articles already added.
    fn candidates(&self, f: &Features, published: Option<Timestamp>) -> Vec<usize> {
        self.candidates_before(f, published, u32::MAX)
    }

    /// The strongest candidates among the articles numbered below `limit`.
    fn candidates_before(
        &self,
        f: &Features,
        published: Option<Timestamp>,
        limit: u32,
    ) -> Vec<usize> {
        let mut c: Vec<(f64, u32)> = self
            .index
            .query_before(f, published, limit)
            .into_iter()
            .map(|c: Candidate| {
                let j = match c.evidence {
                    Evidence::Content { jaccard } => jaccard,
                    Evidence::RareTerms { .. } => self.index.content_jaccard(f, c.doc),
                };
                (j, c.doc)
            })
            .filter(|&(j, _)| j >= self.config.min_content_jaccard)
            .collect();
        c.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        c.truncate(self.config.max_candidates);
        c.into_iter().map(|c| c.1 as usize).collect()
    }

    /// Verdicts of article `i` (side A) against each candidate (side B),
    /// with prepared texts from `cached` where it has them.
    fn verdicts_with<'d>(
        &self,
        i: usize,
        candidates: &[usize],
        cached: &(dyn Fn(usize) -> Option<&'d Prepared> + Sync),
    ) -> Vec<(usize, Verdict, Option<Alignment>)> {
        if candidates.is_empty() {
            return Vec::new();
        }
        let prepared = |j: usize| self.prepared(j, cached(j));
        let pa = prepared(i);
        candidates
            .iter()
            .filter(|&&j| j != i)
            .map(|&j| {
                let (v, al) = self.verdict(i, j, &pa, &prepared(j));
                (j, v, al)
            })
            .collect()
    }

    /// Article `j` prepared: `cached` if given, else made now.
    fn prepared<'d>(&self, j: usize, cached: Option<&'d Prepared>) -> Cow<'d, Prepared> {
        match cached {
            Some(p) => Cow::Borrowed(p),
            None => Cow::Owned(Prepared::new(
                &self.entries[j].article,
                &self.config.align,
                &self.furniture,
            )),
        }
    }

    /// The verdict of article `i` (side A) against `j` (side B), and the
    /// alignment when the verdict says derived (kept for the change report
    /// of a parent link).
    fn verdict(
        &self,
        i: usize,
        j: usize,
        pa: &Prepared,
        pb: &Prepared,
    ) -> (Verdict, Option<Alignment>) {
        // Two known languages: the cross-language verdict (see `cross`),
        // unless the lexical one finds a version of one text in the other.
        if self.across_languages(i, j) {
            let lexical = self.lexical_verdict(i, j, pa, pb);
            if lexical.0.relation.is_derived() {
                return lexical;
            }
            return self.cross_verdict(i, j, pa, pb).unwrap_or(lexical);
        }
        self.lexical_verdict(i, j, pa, pb)
    }

    /// The verdict of article `i` (side A) against `j` (side B) from their
    /// alignment, whatever their languages.
    fn lexical_verdict(
        &self,
        i: usize,
        j: usize,
        pa: &Prepared,
        pb: &Prepared,
    ) -> (Verdict, Option<Alignment>) {
        let (a, b) = (&self.entries[i].article, &self.entries[j].article);
        self.lexical_verdict_of((a, pa), (b, pb))
    }

    /// [`Engine::lexical_verdict`] of two articles, each with its prepared
    /// text, whether or not they are entries (`inherited` compares a member
    /// with part of another).
    fn lexical_verdict_of(
        &self,
        (a, pa): (&Article, &Prepared),
        (b, pb): (&Article, &Prepared),
    ) -> (Verdict, Option<Alignment>) {
        let full = &self.config.align;
        let pair = PreparedPair::from_profiles(&pa.doc, &pb.doc, &pa.profile, &pb.profile, full);
        let verdict = |al: &Alignment| {
            relate_prepared(
                (a, &pa.doc, &pa.surface, &pa.outlets),
                (b, &pb.doc, &pb.surface, &pb.outlets),
                al,
                &self.config.model,
            )
        };
        if let Some(screen) = &self.config.screen {
            let v = verdict(&pair.align(screen));
            if unrelated_p(&v) >= self.config.screen_unrelated {
                return (v, None);
            }
        }
        let al = pair.align(full);
        let v = verdict(&al);
        let keep = v.relation.is_derived().then_some(al);
        (v, keep)
    }

    /// The change reports of derived links `(child, parent, alignment of
    /// child against parent if kept)`, in parallel, with prepared texts
    /// from `cached` where it has them.
    fn change_reports<'d>(
        &self,
        due: Vec<(usize, usize, Option<Alignment>)>,
        cached: &(dyn Fn(usize) -> Option<&'d Prepared> + Sync),
    ) -> Vec<ChangeReport> {
        due.into_par_iter()
            .map(|(child, parent, al)| {
                let (dc, dp) = (
                    self.prepared(child, cached(child)),
                    self.prepared(parent, cached(parent)),
                );
                let relation = self.places[child].relation.unwrap_or(Relation::Copy);
                if relation == Relation::Translated {
                    // Across languages: numbers and names only.
                    let al = al
                        .or_else(|| {
                            self.cross_verdict(child, parent, &dc, &dp)
                                .and_then(|x| x.1)
                        })
                        .unwrap_or_default();
                    return ChangeReport {
                        child,
                        parent,
                        changes: crate::changes::cross::cross_language_changes(
                            &dc.doc, &dp.doc, &al,
                        ),
                        alignment: al,
                    };
                }
                let al = al.unwrap_or_else(|| align(&dc.doc, &dp.doc, &self.config.align));
                ChangeReport {
                    child,
                    parent,
                    changes: changes_with_mentions(
                        (&dc.doc, dc.mentions()),
                        (&dp.doc, dp.mentions()),
                        &al,
                        relation,
                    ),
                    alignment: al,
                }
            })
            .collect()
    }

    /// Stores change reports and their alignments, later ones over
    /// earlier ones.
    fn apply_changes(&mut self, reports: Vec<ChangeReport>) {
        for r in reports {
            self.touched.article(r.child);
            if let Some(slot) = self.changes.get_mut(r.child) {
                *slot = r.changes;
            }
            if let Some(slot) = self.links.get_mut(r.child) {
                *slot = Some((r.parent, r.alignment));
            }
        }
    }

    /// Steps from member `j` up to its report.
    fn depth(&self, mut j: usize) -> usize {
        let mut d = 0;
        while let Some(p) = self.places[j].parent {
            j = p;
            d += 1;
        }
        d
    }

    /// The report (origin or independent member) that member `j` belongs to.
    fn report_of(&self, mut j: usize) -> usize {
        while let Some(p) = self.places[j].parent {
            j = p;
        }
        j
    }

    /// Places article `i` and returns the derived links it made or moved,
    /// as `(child, parent, alignment of child against parent if known)`:
    /// their change reports are due.
    fn place(
        &mut self,
        i: usize,
        mut verdicts: Vec<(usize, Verdict, Option<Alignment>)>,
        names: &Names,
        facts: &Facts,
    ) -> Vec<(usize, usize, Option<Alignment>)> {
        let alignments: Vec<Option<Alignment>> =
            verdicts.iter_mut().map(|(_, _, al)| al.take()).collect();
        let verdicts: Vec<(usize, Verdict)> =
            verdicts.into_iter().map(|(j, v, _)| (j, v)).collect();
        if self.facts_of.len() <= i {
            self.facts_of.resize_with(i + 1, Facts::default);
        }
        if self.config.event_conflicts {
            self.facts_of[i] = facts.clone().compact();
        }
        let Placing {
            placed: placed_under,
            adopted,
        } = self.place_verdicts(i, &verdicts, names, facts);
        let story = self.places[i].story;
        if self.story_names.len() <= story {
            self.story_names.resize_with(story + 1, Vec::new);
        }
        subjects::merge_into(&mut self.story_names[story], &names.vocabulary);

        self.after_placed(i, &verdicts, names);
        let split = self.split_by_subject(i).is_some();
        // An adopted text's alignment was made with it as side B: made again.
        let adopted = adopted.into_iter().map(|c| (c, i, None));
        let mut due: Vec<(usize, usize, Option<Alignment>)> = match placed_under {
            Placed::Below(k) => {
                let j = verdicts[k].0;
                std::iter::once((i, j, alignments.into_iter().nth(k).flatten()))
                    .chain(adopted)
                    .collect()
            }
            // The older article now hangs below `i` (its alignment was made
            // the other way round, so it is made again), and `i` below the
            // older one's parent, if it had one.
            Placed::Above {
                older,
                parent,
                moved,
            } => std::iter::once((older, i, None))
                .chain(parent.map(|p| (i, p, None)))
                .chain(moved.into_iter().map(|c| (c, i, None)))
                .chain(adopted)
                .collect(),
            Placed::Report => Vec::new(),
        };
        // A split ([`split`]) may have taken a new link apart.
        if split {
            due.retain(|(child, parent, _)| self.places[*child].parent == Some(*parent));
        }
        due
    }

    /// Whether member `t` is a later take of `j`: it hangs below `j`, and
    /// the pair is one outlet's two texts with `j` held whole in `t` (the
    /// `update` evidence of [`crate::relate::direction`]), the evidence
    /// naming as earlier the side the link's direction makes the source,
    /// `j` (as the re-rooting reads the decided side).
    fn later_take_of(&self, t: usize, j: usize) -> bool {
        let place = &self.places[t];
        place.parent == Some(j)
            && place.evidence.as_ref().is_some_and(|(against, v, _)| {
                let Some(source) = v.direction.map(|d| d.source) else {
                    return false;
                };
                *against == j
                    && v.direction_evidence.iter().any(
                        |e| matches!(e, DirectionEvidence::Update { earlier, .. } if *earlier == source),
                    )
            })
    }

    /// How many of `j`'s edits against its parent `p` article `i` carries
    /// and how many it reverts to `p`'s wording ([`edits_carried`]). `j`'s
    /// change report is used when known, else made now (its chunk may still
    /// be placing): called only when `p` is nearly as close to `i` as `j`.
    fn shared_edits(&mut self, i: usize, j: usize, p: usize) -> (usize, usize) {
        let words = edit_words(&self.entries[i].article.text).collect();
        let known = matches!(self.links.get(j), Some(Some((q, _))) if *q == p);
        if known {
            self.edit_cache.remove(&j);
            if let Some(c) = self.changes.get(j) {
                return edits_carried(c, &words);
            }
        }
        if let Some((q, c)) = self.edit_cache.get(&j) {
            if *q == p {
                return edits_carried(c, &words);
            }
        }
        let prepare = |k: usize| self.furniture.analyze_article(&self.entries[k].article);
        let (dj, dp) = (prepare(j), prepare(p));
        let al = align(&dj, &dp, &self.config.align);
        let relation = self.places[j].relation.unwrap_or(Relation::Copy);
        let made = changes(&dj, &dp, &al, relation);
        let counts = edits_carried(&made, &words);
        if self.edit_cache.len() >= EDIT_CACHE_MAX {
            self.edit_cache.clear();
        }
        self.edit_cache.insert(j, (p, made));
        counts
    }

    /// The article's subject (as it first writes it) that story `s` never
    /// names, when the story tells another event than an article with
    /// these subjects: it has members enough for its names to be known,
    /// and one of the article's subjects is neither among them nor written
    /// as a near miss by a candidate member of `s` (a spinner or a round
    /// trip through translation garbles a name the same way throughout:
    /// "Jackson" → "Jakson"). `None` when it tells the article's event.
    fn tells_another_event(
        &self,
        s: usize,
        subjects: &Names,
        verdicts: &[(usize, Verdict)],
    ) -> Option<String> {
        let min = self.config.subject_min_members;
        if min == 0 || self.stories[s].len() < min {
            return None;
        }
        let known = self.story_names.get(s)?;
        let misspelled_by_member = |w: &str| {
            verdicts.iter().any(|(j, _)| {
                self.places[*j].story == s
                    && subjects::near_miss_in(&self.entries[*j].article.text, w)
            })
        };
        subjects
            .subjects
            .iter()
            .zip(&subjects.subject_words)
            .find(|(h, w)| known.binary_search(h).is_err() && !misspelled_by_member(w))
            .map(|(_, w)| w.clone())
    }

    fn place_verdicts(
        &mut self,
        i: usize,
        verdicts: &[(usize, Verdict)],
        subjects: &Names,
        facts: &Facts,
    ) -> Placing {
        let cfg = &self.config;
        // 1. A parent among the derived links: the most faithful text; when
        // two are as close (a duplicate of the origin, say), the one higher
        // in the tree, then the earlier.
        // The stories of candidates whose members never name the article's
        // subject (once they have members enough for their names to be
        // known) tell another event: the article neither derives from
        // their members (a version takes its names from its source) nor
        // joins them.
        let debug_links = std::env::var_os("RETOLD_DEBUG").is_some_and(|v| v == "links");
        // Sorted by story (from the ordered set), for the lookups below.
        let about_another: Vec<(usize, String)> = verdicts
            .iter()
            .map(|(j, _)| self.places[*j].story)
            .collect::<std::collections::BTreeSet<usize>>()
            .into_iter()
            .filter_map(|s| Some((s, self.tells_another_event(s, subjects, verdicts)?)))
            .collect();
        for (s, _) in &about_another {
            self.subject_vetoes.push((i, self.stories[*s][0]));
        }
        let missing_subject = |s: usize| {
            about_another
                .binary_search_by_key(&s, |x| x.0)
                .ok()
                .map(|k| about_another[k].1.clone())
        };
        if debug_links {
            for &(s, _) in &about_another {
                eprintln!(
                    "subject\t{}\tnot named by the story of {}",
                    self.entries[i].article.id, self.entries[self.stories[s][0]].article.id
                );
            }
        }
        let mut best_per_report: BTreeMap<usize, (f64, usize)> = BTreeMap::new();
        // Each pair's TF-IDF cosine, for the copied-passages rule below.
        let mut cosines = Vec::with_capacity(verdicts.len());
        for (k, (j, v)) in verdicts.iter().enumerate() {
            let (related, cosine) = self.pair_link(i, *j, v);
            cosines.push(cosine);
            if debug_links {
                eprintln!(
                    "link\t{}\t{}\t{}\trelated {:.3}\tcosine {:.3}\tnames {:.2}\tlink {:.3}",
                    self.entries[i].article.id,
                    self.entries[*j].article.id,
                    v.relation,
                    1.0 - unrelated_p(v),
                    cosine,
                    name_fidelity(v),
                    related
                );
            }
            let r = self.report_of(*j);
            let e = best_per_report.entry(r).or_insert((0.0, k));
            if related > e.0 {
                *e = (related, k);
            }
        }
        let mut per_story: BTreeMap<usize, (f64, usize, f64)> = BTreeMap::new();
        for (r, (link, k)) in &best_per_report {
            let e = per_story
                .entry(self.places[*r].story)
                .or_insert((0.0, *k, -1.0));
            e.0 += link;
            if *link > e.2 {
                e.1 = *k;
                e.2 = *link;
            }
        }
        // Average link per story over its reports (derived members count
        // for the report they copy).
        let story_link: BTreeMap<usize, (f64, usize)> = per_story
            .iter()
            .map(|(&s, &(sum, k, _))| {
                let reports = self.stories[s]
                    .iter()
                    .filter(|&&m| self.places[m].role != Role::Derived)
                    .count()
                    .max(1);
                (s, (sum / reports as f64, k))
            })
            .collect();
        // Each derived verdict through the story's gates: `Ok` when it may
        // place the article below its candidate, `Err(Some(why))` when the
        // pair verdict (what `retold compare` shows) says derived and a
        // gate refuses it, `Err(None)` when the verdict says no derivation.
        let gate = |k: usize, j: usize, v: &Verdict| -> Result<(), Option<RefusedBy>> {
            // A translation is read by its own verdict: the subject check
            // and the structure node compare words of one language.
            if v.relation == Relation::Translated {
                return (derived_p(v) >= cfg.derived_threshold
                    && derived_name_fidelity(v) >= cfg.min_name_fidelity)
                    .then_some(())
                    .ok_or(None);
            }
            if !v.relation.is_derived() || derived_p(v) < cfg.derived_threshold {
                return Err(None);
            }
            // A text of which a real part is passages copied from the
            // candidate took them from it, whoever it leads with
            // (`SUBJECT_PASSAGES`).
            if let Some(subject) = missing_subject(self.places[j].story) {
                if v.features.a_passage_share < SUBJECT_PASSAGES {
                    return Err(Some(RefusedBy::Subject { subject }));
                }
            }
            let fidelity = derived_name_fidelity(v);
            if fidelity < cfg.min_name_fidelity {
                return Err(Some(RefusedBy::NamesReplaced { fidelity }));
            }
            if let Some(c) = self.another_event_told_alike(facts, j, v) {
                return Err(Some(RefusedBy::AnotherEvent {
                    conflicts: c.to_strings(),
                }));
            }
            // What it shares with a copy or version of a text it is two
            // reports with is that text's (`inherited`).
            if let Some(why) = self.inherited_from(i, j, |c| {
                verdicts
                    .iter()
                    .find(|(x, _)| *x == c)
                    .map(|(_, w)| (w, Side::A))
            }) {
                return Err(Some(why));
            }
            // A text that shares copied passages but not the structure of
            // a whole version (the reuse node alone says derived) is a
            // report of its own with some reuse, and two stories of one
            // outlet can share a background paragraph. It derives from a
            // text of its story only: one on the same subject (their
            // TF-IDF cosine reaches the join threshold as a story link,
            // copied passages or not) in a story it links to as a report
            // would (the average link over the story's reports), never
            // through that one edge.
            if cfg.model.derived_by_structure(&v.features) {
                return Ok(());
            }
            let cosine = cosines[k] * cfg.cosine_weight;
            let link = story_link.get(&self.places[j].story).map_or(0.0, |x| x.0);
            if cosine >= cfg.join_threshold && link >= cfg.join_threshold {
                Ok(())
            } else {
                Err(Some(RefusedBy::ReuseOffSubject {
                    cosine,
                    story_link: link,
                    needed: cfg.join_threshold,
                }))
            }
        };
        let gated: Vec<Result<(), Option<RefusedBy>>> = verdicts
            .iter()
            .enumerate()
            .map(|(k, (j, v))| gate(k, *j, v))
            .collect();
        let derived: Vec<(usize, &(usize, Verdict))> = verdicts
            .iter()
            .enumerate()
            .filter(|(k, _)| gated[*k].is_ok())
            .collect();
        let mut refused: Vec<Refused> = verdicts
            .iter()
            .zip(gated)
            .filter_map(|((j, v), g)| Some((*j, v.relation, v.confidence, g.err()??)))
            .collect();
        // A few beyond those listed, for candidates the final tree links
        // to the article anyway (memory stays bounded per article).
        refused.sort_by(|x, y| y.2.total_cmp(&x.2));
        refused.truncate(2 * MAX_REFUSALS);
        if !refused.is_empty() {
            self.refusals.insert(i, refused);
        }
        let top = derived
            .iter()
            .map(|(_, (_, v))| closeness(v))
            .fold(f64::NEG_INFINITY, f64::max);
        let mut parent = derived
            .iter()
            .filter(|(_, (_, v))| closeness(v) >= top - CLOSENESS_TIE)
            .min_by_key(|(_, (j, _))| (self.depth(*j), *j))
            .copied();
        // When the chosen text is itself derived and its own parent is nearly
        // as close, the shared edits decide: a child that carries its
        // source's wording where the chosen text changed it was made from
        // the source, not from the chosen text (rare; the chosen text's
        // changes are made here if not known yet).
        for _ in 0..derived.len() {
            let Some((_, (j, _))) = parent else { break };
            let Some(p) = self.places[*j].parent else {
                break;
            };
            let Some(up) = derived
                .iter()
                .find(|(_, (c, v))| *c == p && closeness(v) >= top - SHARED_EDITS_NEAR)
                .copied()
            else {
                break;
            };
            let (shared, reverted) = self.shared_edits(i, *j, p);
            if reverted <= shared {
                break;
            }
            parent = Some(up);
        }
        // A version made from a later take of the same outlet hangs below
        // that take (`root::later_take`; the new article is side A).
        if let Some((_, (j, _))) = parent {
            let j = *j;
            let takes: Vec<usize> = derived
                .iter()
                .map(|(_, (t, _))| *t)
                .filter(|&t| t != j && self.later_take_of(t, j))
                .collect();
            let held = |c: usize| {
                derived
                    .iter()
                    .find(|(_, (x, _))| *x == c)
                    .map_or(0.0, |(_, (_, v))| v.features.a_coverage)
            };
            let t = root::later_take(j, &takes, held);
            if t != j {
                parent = derived.iter().find(|(_, (x, _))| *x == t).copied();
            }
        }
        if let Some((k, (j, v))) = parent {
            let (j, v) = (*j, v.clone());
            let story = self.places[j].story;
            let new_is_source = adopts(&v);
            if new_is_source {
                // The new article is the older one's source: it takes its
                // place, and the older one hangs below it.
                let old = self.places[j].clone();
                self.places.push(Place {
                    story,
                    role: old.role,
                    parent: old.parent,
                    relation: old.relation,
                    confidence: old.confidence,
                    evidence: old.evidence,
                    degree: old.degree,
                });
                // A duplicate's children were made from the same text: they
                // move up to the new article, as the tie rule (the one higher
                // in the tree) would have placed them had it come first.
                let moved: Vec<usize> = if v.relation == Relation::Duplicate {
                    self.stories[story]
                        .iter()
                        .copied()
                        .filter(|&c| self.places[c].parent == Some(j))
                        .collect()
                } else {
                    Vec::new()
                };
                for &c in &moved {
                    self.places[c].parent = Some(i);
                }
                // The older article is side B of the verdict.
                self.places[j] = self.derived_place(story, i, &v, Side::B);
                self.stories[story].push(i);
                self.touched.story(story);
                // With no parent taken over, the new article still hangs
                // below a text it was made from, if any (the closest).
                let parent = old.parent.or_else(|| self.hang_below(i, &derived));
                let adopted = self.adopt(i, j, &derived);
                return Placing {
                    placed: Placed::Above {
                        older: j,
                        parent,
                        moved,
                    },
                    adopted,
                };
            } else {
                // The new article is side A of the verdict.
                let place = self.derived_place(story, j, &v, Side::A);
                self.places.push(place);
            }
            self.stories[story].push(i);
            self.touched.story(story);
            let adopted = self.adopt(i, j, &derived);
            return Placing {
                placed: Placed::Below(k),
                adopted,
            };
        }
        // 2. An independent report: average link over each story's reports
        // (ordered maps: the sums and ties must not depend on hash order).
        // RETOLD_DEBUG=links prints each link.
        // A story whose stated key facts conflict with the article's tells
        // another event of the same kind (see `events`): its link counts as
        // 0, and the conflict is kept as evidence.
        let cfg = &self.config;
        if std::env::var_os("RETOLD_DEBUG").is_some_and(|v| v == "facts") {
            for (&s, &(avg, _)) in &story_link {
                {
                    let (c, _) = self.facts_against(facts, s);
                    eprintln!(
                        "facts\t{}\t{}\t{avg:.3}\t{:.1}\t{}",
                        self.entries[i].article.id,
                        self.entries[self.stories[s][0]].article.id,
                        c.weight(),
                        c.to_strings().join("; ")
                    );
                }
            }
        }
        let mut joinable: Vec<(usize, f64, usize)> = story_link
            .into_iter()
            .filter(|(s, _)| missing_subject(*s).is_none())
            .map(|(s, (avg, k))| (s, avg, k))
            .filter(|&(_, avg, _)| avg >= cfg.join_threshold)
            .collect();
        let mut weak: HashMap<usize, Conflicts> = HashMap::new();
        if cfg.event_conflicts && !facts.is_empty() {
            let mut vetoed = Vec::new();
            joinable.retain(|&(s, avg, _)| {
                let (c, against) = self.facts_against(facts, s);
                if let Some(m) = against {
                    vetoed.push((i, m, avg, c));
                    return false;
                }
                if !c.list.is_empty() {
                    weak.insert(s, c);
                }
                true
            });
            if debug_links {
                for (_, m, avg, c) in &vetoed {
                    eprintln!(
                        "event\t{}\tnot the story of {} (link {avg:.3}): {}",
                        self.entries[i].article.id,
                        self.entries[*m].article.id,
                        c.to_strings().join("; ")
                    );
                }
            }
            self.event_vetoes.extend(vetoed);
        }
        let best = joinable
            .into_iter()
            .max_by(|x, y| x.1.total_cmp(&y.1).then(y.0.cmp(&x.0)));
        if let Some((story, avg, k)) = best {
            if let Some(c) = weak.remove(&story) {
                self.join_conflicts.insert(i, c);
            }
            let (j, v) = verdicts[k].clone();
            self.places.push(Place {
                story,
                role: Role::Independent,
                parent: None,
                relation: Some(Relation::SameStory),
                confidence: avg,
                evidence: Some((j, v, Some(avg))),
                degree: None,
            });
            self.stories[story].push(i);
            self.touched.story(story);
            return Placing {
                placed: Placed::Report,
                adopted: Vec::new(),
            };
        }
        // 3. A new story.
        self.places.push(Place {
            story: self.stories.len(),
            role: Role::Origin,
            parent: None,
            relation: None,
            confidence: 1.0,
            evidence: None,
            degree: None,
        });
        self.touched.story(self.stories.len());
        self.stories.push(vec![i]);
        Placing {
            placed: Placed::Report,
            adopted: Vec::new(),
        }
    }

    /// Adopts the older texts new article `i` is the source of, other than
    /// `placed_by` (the candidate its place came from): each derived link
    /// through the story's gates (`derived`) whose verdict makes `i` the
    /// source, to a text that has no parent (the origin of its story or an
    /// independent report) and is not above `i`. That text hangs below `i`,
    /// and its story, if another, becomes `i`'s. Returns the adopted texts.
    ///
    /// Without it an article that came before its source kept the place it
    /// took then whenever the source, once come, hung below a third text:
    /// the engine places an article once, below its closest derived link
    /// or in the place of the older text it is the source of, not both.
    /// Which texts end up in one derivation family then depended on the
    /// order the articles came in. On COUNTER's undated corpus run placed
    /// in input order, six orders found the source of 277 to 296 of its
    /// 423 derived articles. (A batch is now placed in one order whatever
    /// the input order, [`publication_order`]; articles added one at a
    /// time still come as they come.)
    fn adopt(
        &mut self,
        i: usize,
        placed_by: usize,
        derived: &[(usize, &(usize, Verdict))],
    ) -> Vec<usize> {
        let mut adopted = Vec::new();
        for (_, (j, v)) in derived {
            let j = *j;
            if j == placed_by || !adopts(v) || self.places[j].parent.is_some() {
                continue;
            }
            if !may_hang_below(v, Side::B, &self.config.model) {
                continue;
            }
            // Not above `i` (the report of `i`'s own family), and not the
            // origin of `i`'s story (the re-rooting orders one story's
            // families, [`root`]).
            let (si, sj) = (self.places[i].story, self.places[j].story);
            if self.report_of(i) == j || (si == sj && self.places[j].role == Role::Origin) {
                continue;
            }
            self.hang(j, i, v, Side::B);
            self.touched.article(j);
            adopted.push(j);
        }
        adopted
    }

    /// Hangs new article `i`, which took an older text's place as its
    /// source and has no parent, below the closest text it was made from:
    /// a derived link through the story's gates (`derived`) whose verdict
    /// makes `i` the version, to a text not below `i`. Its story, if
    /// another, becomes `i`'s. The mirror of [`Engine::adopt`]: the engine
    /// places an article once, in the place of the older text it is the
    /// source of or below its closest derived link, and an article that is
    /// both (an agency's update of its own earlier take, which a newspaper
    /// copy came before) lost the second link. Returns the parent.
    fn hang_below(&mut self, i: usize, derived: &[(usize, &(usize, Verdict))]) -> Option<usize> {
        let (j, v) = derived
            .iter()
            .map(|(_, (j, v))| (*j, v))
            .filter(|(j, v)| {
                !adopts(v)
                    && may_hang_below(v, Side::A, &self.config.model)
                    && self.report_of(*j) != i
                    && (self.places[*j].story != self.places[i].story
                        || self.places[i].role != Role::Origin)
            })
            .max_by(|x, y| {
                closeness(x.1)
                    .total_cmp(&closeness(y.1))
                    .then(y.0.cmp(&x.0))
            })?;
        self.hang(i, j, v, Side::A);
        Some(j)
    }

    /// Hangs placed article `child` below `parent` by verdict `v` (`child`
    /// is its side `side`); `child`'s story, if another, becomes
    /// `parent`'s.
    fn hang(&mut self, child: usize, parent: usize, v: &Verdict, side: Side) {
        let (sc, sp) = (self.places[child].story, self.places[parent].story);
        if sc != sp {
            self.absorb(sc, sp);
        }
        let story = self.places[parent].story;
        self.places[child] = self.derived_place(story, parent, v, side);
        self.touched.story(story);
    }

    /// The place of a text of story `story` derived from `parent` by
    /// verdict `v`, the text being side `side` of the verdict (its degree
    /// is read on that side).
    fn derived_place(&self, story: usize, parent: usize, v: &Verdict, side: Side) -> Place {
        Place {
            story,
            role: Role::Derived,
            parent: Some(parent),
            relation: Some(v.relation),
            confidence: v.confidence,
            degree: Some(degree_basis(
                v.relation,
                &v.features,
                Some(side),
                self.config.model.wholly_bars(),
            )),
            evidence: Some((parent, v.clone(), None)),
        }
    }

    /// Moves every member of story `gone` into story `keep`'s place: the
    /// two become one, the lower number staying. A merge
    /// ([`merge`]) notes why; a derived link ([`Engine::adopt`]) is its own
    /// evidence.
    fn absorb(&mut self, keep: usize, gone: usize) {
        let (keep, gone) = (keep.min(gone), keep.max(gone));
        self.touched.story(keep);
        self.touched.story(gone);
        let moved = std::mem::take(&mut self.stories[gone]);
        for &m in &moved {
            self.places[m].story = keep;
        }
        let mut members = std::mem::take(&mut self.stories[keep]);
        members.extend(moved);
        members.sort_unstable();
        self.stories[keep] = members;
        if self.story_names.len() > gone {
            let names = std::mem::take(&mut self.story_names[gone]);
            if self.story_names.len() <= keep {
                self.story_names.resize_with(keep + 1, Vec::new);
            }
            subjects::merge_into(&mut self.story_names[keep], &names);
        }
    }

    /// The passages derived member `m` reused from its parent `parent`
    /// (see [`ReusedPassage`]), from the alignment kept for its change
    /// report, and how many more there are. Nothing when that alignment is
    /// not against `parent`.
    ///
    /// A passage is a run of aligned sentence pairs adjacent in both texts.
    /// The alignment's own passages (`align::passage`) join groups up to
    /// three sentences apart, so a local report that takes three wire
    /// sentences between sentences of its own would list its own sentences
    /// too.
    fn reused_passages(&self, m: usize, parent: usize) -> (Vec<ReusedPassage>, usize) {
        let Some(Some((p, al))) = self.links.get(m) else {
            return (Vec::new(), 0);
        };
        if *p != parent || al.pairs.is_empty() {
            return (Vec::new(), 0);
        }
        // Runs of pairs adjacent in both texts: (first, last) pair indices.
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (k, pair) in al.pairs.iter().enumerate() {
            match runs.last_mut() {
                Some((_, last))
                    if al.pairs[*last].a.end == pair.a.start
                        && al.pairs[*last].b.end == pair.b.start =>
                {
                    *last = k
                }
                _ => runs.push((k, k)),
            }
        }
        let span = |run: &(usize, usize)| {
            let (x, y) = (&al.pairs[run.0], &al.pairs[run.1]);
            (
                crate::text::Span {
                    start: x.a_original.start,
                    end: y.a_original.end,
                },
                crate::text::Span {
                    start: x.b_original.start,
                    end: y.b_original.end,
                },
            )
        };
        runs.sort_by(|x, y| {
            let (sx, sy) = (span(x).0, span(y).0);
            (sy.end - sy.start)
                .cmp(&(sx.end - sx.start))
                .then(sx.start.cmp(&sy.start))
        });
        let more = runs.len().saturating_sub(MAX_PASSAGES);
        runs.truncate(MAX_PASSAGES);
        runs.sort_by_key(|r| span(r).0.start);
        let (child_text, parent_text) = (
            &self.entries[m].article.text,
            &self.entries[parent].article.text,
        );
        let (ci, pi) = (
            crate::align::passage::CharIndex::new(child_text),
            crate::align::passage::CharIndex::new(parent_text),
        );
        let listed = runs
            .iter()
            .map(|run| {
                let (a, b) = span(run);
                let whole = child_text.get(a.range()).unwrap_or("").trim();
                let mut text: String = whole.chars().take(PASSAGE_TEXT_CHARS).collect();
                if text.len() < whole.len() {
                    text.push('…');
                }
                let pairs = &al.pairs[run.0..=run.1];
                ReusedPassage {
                    text,
                    member: ci.char_span(a),
                    parent: pi.char_span(b),
                    sentences: pairs.len(),
                    similarity: pairs.iter().map(|p| p.score).sum::<f32>() / pairs.len() as f32,
                }
            })
            .collect();
        (listed, more)
    }

    /// What joined member `m` (evidence: its verdict `v` against `j`).
    fn joined_by(&self, m: usize, j: usize, v: &Verdict, role: Role) -> Option<JoinedBy> {
        match role {
            Role::Origin => None,
            Role::Derived if v.relation == Relation::Translated => Some(JoinedBy::Translation {
                share: v.features.cov_high,
            }),
            Role::Derived => {
                let structure = self.config.model.derived.probability(&v.features);
                let f = &v.features;
                Some(if self.config.model.derived_by_structure(f) {
                    JoinedBy::Structure {
                        probability: structure,
                    }
                } else if self.config.model.derived_by_passages(f) {
                    JoinedBy::CopiedPassages {
                        share: f.a_passage_share.max(f.b_passage_share),
                    }
                } else {
                    JoinedBy::SharedWording {
                        share: f.a_phrase_containment.min(f.b_phrase_containment),
                    }
                })
            }
            Role::Independent => {
                let related = relatedness(v, self.config.min_name_fidelity);
                let (_, cosine) = self.pair_link(m, j, v);
                Some(if cosine * self.config.cosine_weight > related {
                    JoinedBy::Vocabulary { cosine, related }
                } else {
                    JoinedBy::Verdict { related }
                })
            }
        }
    }

    /// Each derived article's alignment against its parent as kept for its
    /// change report (the article is A, the parent B), by article id:
    /// `(parent id, alignment)`. A report shows the changed words of
    /// the aligned sentences from these without aligning again.
    pub fn parent_alignments(&self) -> HashMap<&str, (&str, &Alignment)> {
        self.links
            .iter()
            .enumerate()
            .filter_map(|(c, l)| {
                let (p, al) = l.as_ref()?;
                let child = self.entries.get(c)?.article.id.as_str();
                let parent = self.entries.get(*p)?.article.id.as_str();
                Some((child, (parent, al)))
            })
            .collect()
    }

    /// The stories so far, largest first (then by origin id).
    pub fn stories(&self) -> Vec<Story> {
        self.stories_with(None)
    }

    /// The stories, their story-wide results from `cache` where a story did
    /// not change (see [`wide`]).
    fn stories_with(&self, cache: Option<&mut StoryCache>) -> Vec<Story> {
        let vetoes = self.vetoes_by_article();
        let splits = self.split_views();
        let mut out: Vec<Story> = self
            .stories
            .iter()
            .enumerate()
            .filter(|(_, members)| !members.is_empty())
            .map(|(s, members)| {
                let splits = splits.get(&s).map_or(&[][..], Vec::as_slice);
                self.story_of_members(members, &vetoes, splits)
            })
            .collect();
        let t = std::time::Instant::now();
        self.diverge(&mut out, cache);
        if std::env::var_os("RETOLD_DEBUG").is_some() {
            eprintln!("retold: story-wide {:.1} s", t.elapsed().as_secs_f64());
        }
        out.sort_by(|x, y| y.members.len().cmp(&x.members.len()).then(x.id.cmp(&y.id)));
        out
    }

    /// The story of these members (not empty) as placed, without the
    /// derived members' changes and the story-wide results ([`Engine::diverge`]
    /// fills them in); `vetoes`: [`Engine::vetoes_by_article`].
    fn story_of_members(
        &self,
        members: &[usize],
        vetoes: &HashMap<usize, Vec<usize>>,
        splits: &[split::SplitView],
    ) -> Story {
        let id = |i: usize| self.entries[i].article.id.clone();
        let origin = self.origin_of(members);
        let a = &self.entries[origin].article;
        let title = a.title.clone().unwrap_or_else(|| {
            let t: String = a.text.chars().take(80).collect();
            t.split_whitespace().collect::<Vec<_>>().join(" ")
        });
        let mut ordered = members.to_vec();
        ordered.sort_by_key(|&m| {
            (
                self.entries[m].published.is_none(),
                self.entries[m].published,
                m,
            )
        });
        Story {
            id: format!("s-{}", id(origin)),
            title,
            origin: id(origin),
            articles: ordered.iter().map(|&m| id(m)).collect(),
            members: ordered
                .iter()
                .map(|&m| {
                    let p = &self.places[m];
                    // Reports other than the origin are independent.
                    let (role, relation) = match p.role {
                        Role::Derived => (Role::Derived, p.relation),
                        _ if m == origin => (Role::Origin, None),
                        _ => (Role::Independent, Some(Relation::SameStory)),
                    };
                    let (direction, direction_basis) = self.rooting_of(m);
                    // A former origin of a merged story: independent,
                    // by the merge's story link.
                    let merged = (m != origin && p.role == Role::Origin)
                        .then(|| self.merge_evidence(m))
                        .flatten();
                    let note = merged.as_ref().and(self.merge_note(m));
                    let basis = p.degree.filter(|_| role == Role::Derived);
                    Member {
                        article: id(m),
                        direction,
                        direction_basis,
                        role,
                        relation,
                        parent: p.parent.map(id),
                        confidence: note.map_or(p.confidence, |n| n.0),
                        degree: basis.map(DegreeBasis::degree),
                        degree_basis: basis,
                        evidence: match (p.evidence.as_ref(), merged) {
                            (_, Some(merged)) => Some(MemberEvidence {
                                against: note.map_or_else(|| id(origin), |n| id(n.1)),
                                relation: Relation::SameStory,
                                confidence: merged.story_link,
                                story_link: Some(merged.story_link),
                                features: PairFeatures::default(),
                                direction: Vec::new(),
                                merged: Some(merged),
                                joined_by: Some(JoinedBy::Merge),
                                passages: Vec::new(),
                                more_passages: 0,
                                conflicts: Vec::new(),
                                translation: None,
                                round_trip: None,
                            }),
                            (Some((j, v, link)), None) => {
                                let joined_by = self.joined_by(m, *j, v, role);
                                let reuse = role == Role::Derived
                                    && (basis.map(DegreeBasis::degree) == Some(Degree::Partially)
                                        || matches!(
                                            joined_by,
                                            Some(JoinedBy::CopiedPassages { .. })
                                        ));
                                let (passages, more_passages) = if reuse {
                                    self.reused_passages(m, *j)
                                } else {
                                    (Vec::new(), 0)
                                };
                                Some(MemberEvidence {
                                    against: id(*j),
                                    relation: v.relation,
                                    confidence: v.confidence,
                                    story_link: *link,
                                    features: v.features,
                                    direction: v.direction_evidence.clone(),
                                    merged: None,
                                    joined_by,
                                    passages,
                                    more_passages,
                                    conflicts: self
                                        .join_conflicts
                                        .get(&m)
                                        .map(Conflicts::to_strings)
                                        .unwrap_or_default(),
                                    translation: v.translation.clone(),
                                    round_trip: self.round_trip_of(m).map(|g| {
                                        let via = &self.entries[g].article;
                                        RoundTrip {
                                            via: id(g),
                                            language: via.language.clone().unwrap_or_default(),
                                            source: via.source.clone(),
                                        }
                                    }),
                                })
                            }
                            (None, None) => None,
                        },
                        changes: Vec::new(),
                        other_events: self.other_events_of(m, vetoes),
                        refused: self.refusals_of(m),
                    }
                })
                .collect(),
            entities: Vec::new(),
            quotes: Vec::new(),
            consensus: Vec::new(),
            splits: splits.to_vec(),
        }
    }

    /// The story's origin: of its reports (members derived from nothing in
    /// the story), the one most versions derive from; ties go to the first.
    fn origin_of(&self, members: &[usize]) -> usize {
        let mut descendants: HashMap<usize, usize> = HashMap::new();
        for &m in members {
            if self.places[m].role == Role::Derived {
                *descendants.entry(self.report_of(m)).or_default() += 1;
            }
        }
        members
            .iter()
            .copied()
            .filter(|&m| self.places[m].role != Role::Derived)
            .max_by(|&x, &y| {
                let (dx, dy) = (
                    descendants.get(&x).copied().unwrap_or(0),
                    descendants.get(&y).copied().unwrap_or(0),
                );
                dx.cmp(&dy).then(y.cmp(&x))
            })
            .unwrap_or(members[0])
    }

    /// The conflicting key facts, when a derived verdict on member `j` is
    /// two reports of two events of one kind told alike: only the
    /// structure node says derived (no copied passages, no shared phrasing
    /// beyond independent reports') and the key facts the two state
    /// conflict as another event's do
    /// ("magnitude 6.1 vs 5.8", "Tuesday vs Sunday", "14 dead vs 3"). A
    /// version made from a text keeps its wording around the figures it
    /// changes (a spinner keeps most words, a desk rewrite its phrasing),
    /// so the wording or reuse node speaks for it; two reports written the
    /// same way about two earthquakes in one region have nothing but their
    /// order of facts in common. Off with
    /// [`EngineConfig::event_conflicts`].
    fn another_event_told_alike(&self, facts: &Facts, j: usize, v: &Verdict) -> Option<Conflicts> {
        if !self.config.event_conflicts
            || facts.is_empty()
            || !self.config.model.structure_alone(&v.features)
        {
            return None;
        }
        self.facts_of
            .get(j)
            .map(|theirs| facts.conflicts_with(theirs, true))
            .filter(Conflicts::another_event)
    }

    /// The facts of a new article read against the members of story `s`
    /// (the first [`events::REPORTS_READ`]): the strongest conflicts with
    /// one of them, and that member when the story tells another event
    /// (more of the members conflict with it than agree with it on a value
    /// both ledes state).
    fn facts_against(&self, facts: &Facts, s: usize) -> (Conflicts, Option<usize>) {
        let (mut conflicting, mut agreeing) = (0usize, 0usize);
        let mut strongest: Option<(Conflicts, usize)> = None;
        // Every member counts (a copy states its source's facts again):
        // roles may still change as the story is re-rooted, membership not.
        for &m in self.stories[s].iter().take(events::REPORTS_READ) {
            let Some(theirs) = self.facts_of.get(m) else {
                continue;
            };
            let c = facts.conflicts_with(theirs, true);
            if c.another_event() {
                conflicting += 1;
            } else if c.list.is_empty() && facts.agrees(theirs) {
                agreeing += 1;
            }
            if strongest.as_ref().is_none_or(|x| c.weight() > x.0.weight()) {
                strongest = Some((c, m));
            }
        }
        let Some((c, m)) = strongest else {
            return (Conflicts::default(), None);
        };
        let another = conflicting > 0 && conflicting > agreeing;
        (c, another.then_some(m))
    }

    /// The stories each article was kept out of by conflicting key facts
    /// (indices into `event_vetoes`).
    pub(super) fn vetoes_by_article(&self) -> HashMap<usize, Vec<usize>> {
        let mut out: HashMap<usize, Vec<usize>> = HashMap::new();
        for (k, v) in self.event_vetoes.iter().enumerate() {
            out.entry(v.0).or_default().push(k);
        }
        out
    }

    /// The stories article `m` was kept out of by conflicting key facts.
    fn other_events_of(&self, m: usize, by: &HashMap<usize, Vec<usize>>) -> Vec<OtherEvent> {
        by.get(&m)
            .into_iter()
            .flatten()
            .map(|&k| {
                let (_, j, link, c) = &self.event_vetoes[k];
                OtherEvent {
                    story_of: self.entries[*j].article.id.clone(),
                    story_link: *link,
                    conflicts: c.to_strings(),
                }
            })
            .collect()
    }

    /// The derived verdicts on article `m` a story gate refused, save
    /// those the tree followed after all (`m` below the candidate, or the
    /// candidate below `m`), each candidate once, the most confident first.
    fn refusals_of(&self, m: usize) -> Vec<Refusal> {
        let list = self
            .refusals
            .get(&m)
            .into_iter()
            .chain(self.root_refusals.get(&m))
            .flatten();
        let mut out: Vec<Refusal> = Vec::new();
        for (j, relation, confidence, reason) in list {
            let linked = self.places[m].parent == Some(*j) || self.places[*j].parent == Some(m);
            let article = &self.entries[*j].article.id;
            if linked || out.iter().any(|r| &r.against == article) {
                continue;
            }
            out.push(Refusal {
                against: article.clone(),
                relation: *relation,
                confidence: *confidence,
                reason: reason.clone(),
            });
        }
        out.sort_by(|x, y| y.confidence.total_cmp(&x.confidence));
        out.truncate(MAX_REFUSALS);
        out
    }

    /// The articles added, in processing order.
    pub fn articles(&self) -> impl Iterator<Item = &Article> {
        self.entries.iter().map(|e| &e.article)
    }
}

/// How far the names of a pair's aligned sentences are kept or garbled
/// (rather than replaced by other names): 1 when the aligned sentences
/// hold no names.
pub fn name_fidelity(v: &Verdict) -> f64 {
    (v.features.name_retention + v.features.name_garbled).min(1.0)
}

/// Whether verdict `v` lets its side `child` hang below the other side:
/// not when only the structure node calls the pair a rewrite or a spun
/// copy and `child` brings reporting of its own
/// ([`Model::two_reports`](crate::relate::model::Model::two_reports)).
/// The verdict applies that rule with the direction its evidence gives;
/// when the direction is unknown it applies it only when both sides bring
/// their own, since either could be the version. A story still has to
/// choose which side hangs below which, and the side with material of its
/// own is not a rewrite of the other. Read where the tree is decided, by
/// the re-rooting ([`root`]); the engine's first placing of an article
/// is provisional. (Read there too, it changed which member an independent
/// report's confidence is read against when `retold.spark` analyses a
/// window without the corpus's undated articles, for no gain.)
/// Whether a verdict of a new article (side A) against an older one makes
/// the new article the source by evidence in the texts or their outlets,
/// not by publication times (a later article is never the source of an
/// earlier one; in publication order that is every dated pair).
fn adopts(v: &Verdict) -> bool {
    v.direction.is_some_and(|d| d.source == Side::A)
        && !matches!(
            v.direction_evidence.first(),
            Some(DirectionEvidence::Published { .. })
        )
}

pub(crate) fn may_hang_below(
    v: &Verdict,
    child: Side,
    model: &crate::relate::model::Model,
) -> bool {
    !(matches!(v.relation, Relation::Rewrite | Relation::Spun)
        && model.two_reports(&v.features, Some(child)))
}

/// The name fidelity a derived link is read at: that of the side whose
/// names the partner keeps best ([`PairFeatures::name_retention_best`](crate::relate::features::PairFeatures::name_retention_best)),
/// near misses counted as kept.
pub fn derived_name_fidelity(v: &Verdict) -> f64 {
    (v.features.name_retention_best + v.features.name_garbled).min(1.0)
}

/// The verdict's relatedness (1 − P(unrelated)), in proportion to the name
/// fidelity while that is below `min_fidelity`.
fn relatedness(v: &Verdict, min_fidelity: f64) -> f64 {
    let related = 1.0 - unrelated_p(v);
    if min_fidelity > 0.0 {
        related * (name_fidelity(v) / min_fidelity).min(1.0)
    } else {
        related
    }
}

/// P(derived | related), the quantity the verdict's own decision reads
/// (`relate::decide`), so the engine and `compare` agree on what is
/// derived.
fn derived_p(v: &Verdict) -> f64 {
    let derived: f64 = v
        .probabilities
        .iter()
        .filter(|(r, _)| r.is_derived())
        .map(|x| x.1)
        .sum();
    let related = 1.0 - unrelated_p(v);
    if related > 0.0 {
        derived / related
    } else {
        0.0
    }
}

fn unrelated_p(v: &Verdict) -> f64 {
    v.probabilities
        .iter()
        .find(|(r, _)| *r == Relation::Unrelated)
        .map_or(1.0, |x| x.1)
}

/// The share of an article's own text in passages copied from a candidate
/// (eight words or more, outside quotations: `a_passage_share`) from which
/// the subject check does not refuse the link. A newspaper's own angle on
/// a wire story leads with a person the wire never names (a victim's
/// family, a local trader) and lifts the wire's sentences below: the
/// subject check read it as another event. A report of another event of
/// the same kind recounts the earlier one in a sentence, or shares the
/// genre's stock lines. Measured (QUALITY.md, "A newspaper's own angle"):
/// the gold sources the check refused in `examples/reuse-en-3` make 0.21
/// to 0.31 of their newspaper's text; every other pair it refused there
/// (siblings, a distractor trial at the same court) 0.10 at most, and
/// ECB+'s reports of a second arrest of the same kind, recounting the
/// first, 0.053 at most.
pub const SUBJECT_PASSAGES: f64 = 0.15;

/// Closeness scores this near the best count as a tie.
const CLOSENESS_TIE: f64 = 0.01;

/// A derived candidate's own parent this near the best closeness is weighed
/// by the shared edits ([`Engine::shared_edits`]).
const SHARED_EDITS_NEAR: f64 = 0.1;

/// The distinctive words of an excerpt: numbers (digit runs) and words of
/// four letters or more, lower-cased.
fn edit_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            w.chars().all(|c| c.is_ascii_digit()) && !w.is_empty() || w.chars().count() >= 4
        })
        .map(str::to_lowercase)
}

/// Of the word-level edits a text made against its parent (`edits`), how
/// many another text (its words `words`) carries (it has the edit's new
/// words and none of the old) and how many it reverts (the old words and
/// none of the new). Added and dropped sentences are not counted: a
/// rewrite may paraphrase or drop them on its own.
fn edits_carried(edits: &[Change], words: &std::collections::HashSet<String>) -> (usize, usize) {
    let (mut shared, mut reverted) = (0, 0);
    for c in edits {
        let (Some(old), Some(new)) = (&c.parent, &c.child) else {
            continue;
        };
        let old: std::collections::HashSet<String> = edit_words(&old.text).collect();
        let new: std::collections::HashSet<String> = edit_words(&new.text).collect();
        let has = |a: &std::collections::HashSet<String>, b: &std::collections::HashSet<String>| {
            a.difference(b).any(|w| words.contains(w))
        };
        match (has(&new, &old), has(&old, &new)) {
            (true, false) => shared += 1,
            (false, true) => reverted += 1,
            _ => {}
        }
    }
    (shared, reverted)
}

/// How close a derived text is to a candidate parent: how much of the
/// wording, names and numbers they share (a copy of a copy shares the
/// copy's changes, so it is closer to the copy than to the origin).
fn closeness(v: &Verdict) -> f64 {
    let f = &v.features;
    f.mean_similarity
        + f.word_retention
        + 0.5 * (f.name_retention + f.number_retention)
        + 0.5 * f.cov_low
}

/// The order a batch is placed in ([`Engine::add_all`]): dated articles by
/// time (ties by id), then the undated ones **longest text first**, then
/// by a hash of the text, then by id: never in input order. So the same
/// pile, dated, undated or mixed, gives the same stories and trees in
/// whatever order it comes.
///
/// Why undated articles after the dated ones: their time is not known, and
/// a dated report is known to be out by its time, so the earliest dated
/// report of a story is its first (the re-rooting's tie rule, [`root`],
/// puts dated members first too), and an undated text meets every story
/// the dated ones made (the engine's time window does not apply to it).
/// Until session 26 an undated article rode with the latest dated one
/// before it in the input, on the idea that a file is mostly in time
/// order; a directory of web pages is in file-name order, and on the 181
/// pages of the article-extraction benchmark (30 undated) a file-name
/// order and its reverse gave three stories another origin and one a
/// member more. On COUNTER with half its dates taken off (QUALITY.md,
/// "Undated articles among dated ones") riding found the source of 280 to
/// 296 derived articles over the input orders, this order 283 to 289
/// (three random halves) in all of them.
///
/// Why longest first: a version is mostly cut from its source, so the
/// text that holds more tends to be the source, and a source placed before
/// its copies is where the engine's candidates and parents look first.
/// Re-rooting ([`root`]) decides each family's direction on the evidence
/// afterwards; this order only fixes which texts meet first. Measured on
/// COUNTER's undated corpus run (QUALITY.md, "The same pile in another
/// order"): six input orders found the source of 277 to 303 of its 423
/// derived articles; this order finds the same number in all of them.
pub fn publication_order(articles: Vec<Article>) -> Vec<Article> {
    let order = publication_positions(&articles);
    let mut slots: Vec<Option<Article>> = articles.into_iter().map(Some).collect();
    order.into_iter().filter_map(|k| slots[k].take()).collect()
}

/// The positions of `articles` in [`publication_order`]: the `k`-th
/// article placed is `articles[publication_positions(articles)[k]]`.
pub fn publication_positions(articles: &[Article]) -> Vec<usize> {
    let keys: Vec<PileKey<'_>> = articles.iter().map(PileKey::of).collect();
    let mut order: Vec<usize> = (0..articles.len()).collect();
    order.sort_by(|&x, &y| keys[x].cmp(&keys[y]));
    order
}

/// An article's place in [`publication_order`]: the dated ones by time,
/// then id, before every undated one; these longest text first, then by
/// the text's [`content_hash`](crate::article::content_hash), then by id.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum PileKey<'a> {
    Dated(Timestamp, &'a str),
    Undated(std::cmp::Reverse<usize>, u64, &'a str),
}

impl<'a> PileKey<'a> {
    fn of(a: &'a Article) -> PileKey<'a> {
        match a.published {
            Some(t) => PileKey::Dated(t, &a.id),
            None => PileKey::Undated(
                std::cmp::Reverse(a.text.chars().count()),
                crate::article::content_hash(&a.text),
                &a.id,
            ),
        }
    }
}

mod batch;
mod briefs;
pub mod consensus;
pub mod cross;
pub mod divergence;
pub mod events;
pub mod history;
pub mod inherited;
pub mod lead;
pub mod members;
pub mod merge;
pub mod quotes;
pub mod root;
pub mod split;
pub mod subjects;
pub mod wide;

use events::{Conflicts, Facts};
use subjects::Names;

pub use consensus::{Claim, ClaimStatus};
pub use divergence::{Entity, Variant};
pub use events::Conflict;
pub use history::{History, HistoryError};
pub use merge::{EventVeto, MergeEvidence, SplitTrace, Trace, TracePair};
pub use quotes::{QuoteStatus, StoryQuote};
pub use root::{Basis, DirectionStatus};
pub use wide::{StoryCache, StoryUpdate};

#[cfg(test)]
pub(crate) mod tests;
