//! The report a person reads: one view model of an analysis, rendered as
//! JSON (its serde form), as terminal cards and as one self-contained HTML
//! file ([`html`]). Every renderer reads this model and nothing else, so
//! the numbers agree wherever they are shown.
//!
//! The model is the engine's [`Story`] values as they are, plus what a
//! reader needs and the engine does not keep: each article's row (source,
//! title, date, the file and line it came from), and per story an
//! [`Overview`]: the outlets, the time span, the derivation tree in reading
//! order (each member's depth and the rails a tree drawing needs), and, when
//! the texts are kept, each derived member beside its parent with what
//! changed marked in both texts ([`PairView`]).
//!
//! ```
//! use retold_core::ingest::{collect_inputs, read_inputs, IngestOptions};
//! use retold_core::report::Analysis;
//! use retold_core::story::{Engine, EngineConfig};
//!
//! let text = "Crews closed the Harbour Bridge on Monday after inspectors found a crack \
//!             in one of its steel girders. Repairs will take at least six weeks, the \
//!             city's transport office said.";
//! let dir = std::env::temp_dir().join(format!("retold-report-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join("a.txt"), text).unwrap();
//! std::fs::write(dir.join("b.txt"), text.replace("six weeks", "eight weeks")).unwrap();
//! let (inputs, unlisted) = collect_inputs(&[dir.clone()]);
//! let batch = read_inputs(&inputs, unlisted, &IngestOptions::default(), &|_| {}).unwrap();
//! let mut engine = Engine::new(EngineConfig::default());
//! engine.add_all(batch.articles.clone(), &|_| {});
//! let report = Analysis::new(&batch, engine.stories(), true);
//! let story = &report.stories[0];
//! assert_eq!(story.story.members.len(), 2);
//! // The tree in reading order: the origin, then its copy one level down.
//! assert_eq!(story.overview.tree.iter().map(|r| r.depth).collect::<Vec<_>>(), [0, 1]);
//! // The copy beside its origin, its changed number marked.
//! assert!(story.overview.pairs[0].child_text.iter().any(|s| s.mark.is_some()));
//! let html = retold_core::report::html::render(&report).unwrap();
//! assert!(html.contains("Harbour Bridge"));
//! # std::fs::remove_dir_all(&dir).ok();
//! ```

pub mod html;
pub mod pair;
pub mod text;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::align::{align, AlignConfig, Alignment};
use crate::article::{Article, Position};
use crate::changes::{Change, ChangeKind};
use crate::error::IngestError;
use crate::ingest::Batch;
use crate::story::{ClaimStatus, Engine, Role, Story};
use crate::text::Span;

/// Version of the JSON of an analysis; the JSON Schema is
/// `docs/schema/analysis-v1.json`. Fields added since stay optional.
pub const SCHEMA: &str = "retold-analysis/1";

/// A whole analysis: what was read, the stories, what was skipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub schema: String,
    pub summary: Summary,
    pub articles: Vec<ArticleRow>,
    pub stories: Vec<StoryView>,
    pub skipped: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// Counts of an analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub inputs: usize,
    pub articles: usize,
    pub skipped: usize,
    pub warnings: usize,
    /// Stories with more than one version.
    pub stories: usize,
    /// Articles alone in their story.
    pub singletons: usize,
}

/// One article as a reader finds it again: where it came from and what it
/// is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRow {
    pub id: String,
    pub path: String,
    /// `path`, `path:line`, `path: record N (byte B)` or `path: entry N`.
    pub at: String,
    pub position: Position,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    pub byline: Option<String>,
    pub published: Option<String>,
    pub published_raw: Option<String>,
    pub language: Option<String>,
    /// The original text, when the analysis keeps texts (`--with-text`,
    /// and always for HTML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl ArticleRow {
    /// The row of `a`; its text only if `with_text` (and it has one).
    pub fn new(a: &Article, with_text: bool) -> ArticleRow {
        ArticleRow {
            id: a.id.clone(),
            path: a.origin.path.clone(),
            at: a.origin.to_string(),
            position: a.origin.position.clone(),
            url: a.url.clone(),
            source: a.source.clone(),
            title: a.title.clone(),
            byline: a.byline.clone(),
            published: a.published.map(|t| t.to_string()),
            published_raw: a.published_raw.clone(),
            language: a.language.clone(),
            text: (with_text && !a.text.is_empty()).then(|| a.text.clone()),
        }
    }
}

/// An input record that was skipped, or read with a warning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// `path:line` or `path: record N (byte B)`.
    pub at: String,
    pub path: String,
    pub code: String,
    pub message: String,
}

impl From<&IngestError> for Problem {
    fn from(e: &IngestError) -> Self {
        Problem {
            at: e.origin.to_string(),
            path: e.origin.path.clone(),
            code: e.code().to_string(),
            message: e.kind.to_string(),
        }
    }
}

/// A story as the engine gives it, and its [`Overview`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryView {
    #[serde(flatten)]
    pub story: Story,
    pub overview: Overview,
}

/// A story as a listing shows it: what to pick it by, without the members'
/// evidence and changes (the whole [`StoryView`] is one request away).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryBrief {
    pub id: String,
    pub title: String,
    pub origin: String,
    /// Versions in the story, the origin included.
    pub members: usize,
    pub derived: usize,
    pub independent: usize,
    pub outlets: Vec<String>,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
    pub claims: ClaimCounts,
    /// Names spelled more than one way, quotes with more than one wording.
    pub entities: usize,
    pub quotes: usize,
}

impl StoryView {
    /// The story's line in a listing.
    pub fn brief(&self) -> StoryBrief {
        let o = &self.overview;
        StoryBrief {
            id: self.story.id.clone(),
            title: self.story.title.clone(),
            origin: self.story.origin.clone(),
            members: self.story.members.len(),
            derived: o.derived,
            independent: o.independent,
            outlets: o.outlets.clone(),
            first_published: o.first_published.clone(),
            last_published: o.last_published.clone(),
            claims: o.claims,
            entities: self.story.entities.len(),
            quotes: self.story.quotes.len(),
        }
    }
}

/// What a reader of a story sees first, computed once for every renderer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Overview {
    /// Derived versions and independent reports.
    pub derived: usize,
    pub independent: usize,
    /// The outlets (article sources) of the story, in tree order.
    pub outlets: Vec<String>,
    /// Earliest and latest publication time of its dated members.
    pub first_published: Option<String>,
    pub last_published: Option<String>,
    /// Members in reading order: the origin and its derived versions
    /// depth first, then each independent report with its own.
    pub tree: Vec<TreeRow>,
    /// The story's claims by status.
    pub claims: ClaimCounts,
    /// Dated members, earliest first (empty when none is dated).
    pub timeline: Vec<TimelineRow>,
    /// Each derived member beside its parent, when the texts are kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pairs: Vec<PairView>,
}

/// One line of a story's derivation tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeRow {
    /// Index into the story's `members`.
    pub member: usize,
    /// 0 for the origin and independent reports, 1 for their derived
    /// versions, and so on.
    pub depth: usize,
    /// The last child of its parent.
    pub last: bool,
    /// For each level above this one (outermost first), whether a
    /// later sibling still follows there: where a drawing keeps a rail.
    pub rails: Vec<bool>,
    /// What the member changed against its parent: changes per kind.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub change_counts: BTreeMap<String, usize>,
}

/// The story's claims by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClaimCounts {
    /// Carried by two or more report groups, with the same numbers.
    pub corroborated: usize,
    pub single_source: usize,
    /// Carried by two or more report groups with different numbers.
    pub disputed: usize,
}

/// A dated member on the story's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineRow {
    pub member: usize,
    pub published: String,
    /// Seconds after the story's first dated member.
    pub offset_seconds: i64,
}

/// A derived member beside its parent: both texts cut into segments, the
/// changed words marked in each text's own wording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairView {
    pub parent: String,
    pub child: String,
    pub parent_text: Vec<Segment>,
    pub child_text: Vec<Segment>,
}

/// A run of text, marked with the change that covers it (if any).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub text: String,
    /// The change kind's name (`number_changed`, `sentence_added`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<String>,
    /// What the other text says there ("1,450 jobs → 1,540 jobs").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The words of `text` that the other version does not have, or has
    /// other words for, inside sentences aligned with it: byte spans into
    /// `text`, in order. In the parent's text they are the words the
    /// derived version deleted or replaced, in the derived version's text
    /// the words it inserted (the word difference of [`pair`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<crate::text::Span>,
}

impl Segment {
    /// `text` as runs of unedited and edited words (`true`), each edit its
    /// own run; the runs put together are `text`.
    pub fn runs(&self) -> Vec<(&str, bool)> {
        let mut out = Vec::new();
        let mut at = 0;
        for e in &self.edits {
            let (Some(before), Some(word)) =
                (self.text.get(at..e.start), self.text.get(e.start..e.end))
            else {
                continue;
            };
            if !before.is_empty() {
                out.push((before, false));
            }
            out.push((word, true));
            at = e.end;
        }
        if let Some(rest) = self.text.get(at..).filter(|r| !r.is_empty()) {
            out.push((rest, false));
        }
        out
    }
}

/// The alignment of a derived article (A) against its parent (B), by
/// their ids, when one is at hand.
type AlignmentOf<'a> = dyn Fn(&str, &str) -> Option<Cow<'a, Alignment>> + 'a;

impl Analysis {
    /// The view of `stories` over `batch`'s articles. `with_text` keeps
    /// each article's text (the rows' `text`, and each derived member beside
    /// its parent, its changed words marked: each such pair is aligned
    /// again); the batch must then still hold the texts.
    pub fn new(batch: &Batch, stories: Vec<Story>, with_text: bool) -> Analysis {
        let by_id: HashMap<&str, &Article> =
            batch.articles.iter().map(|a| (a.id.as_str(), a)).collect();
        let realign = |child: &str, parent: &str| {
            let (c, p) = (by_id.get(child)?, by_id.get(parent)?);
            Some(Cow::Owned(align_again(c, p)))
        };
        Analysis::build(batch, stories, with_text, &realign)
    }

    /// The main job on a batch read (what `retold analyze` does): the
    /// articles go into a new [`Engine`] (in publication order, on all
    /// cores), and its stories into the view model. `with_text` keeps the
    /// texts in the article rows and each derived member beside its parent
    /// (the HTML page needs them); without it the rows have no text.
    /// `progress` is called with the number of articles placed.
    pub fn analyze(
        batch: Batch,
        config: crate::story::EngineConfig,
        with_text: bool,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Analysis {
        Analysis::analyze_with(batch, Engine::new(config), with_text, progress)
    }

    /// [`Analysis::analyze`] with an engine made by the caller (one
    /// started from a [`History`](crate::story::History), say); its
    /// stories are those of the batch's articles and of any it placed
    /// before.
    pub fn analyze_with(
        mut batch: Batch,
        mut engine: Engine,
        with_text: bool,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Analysis {
        // The engine takes the texts, the batch keeps the rest.
        let articles = if with_text {
            batch.articles.clone()
        } else {
            let rows: Vec<Article> = batch.articles.iter().map(Article::without_text).collect();
            std::mem::replace(&mut batch.articles, rows)
        };
        engine.add_all(articles, progress);
        let stories = engine.stories();
        // The page marks the changed words of each derived version with the
        // alignments the engine kept for its change report.
        Analysis::with_engine(&batch, stories, &engine, with_text)
    }

    /// [`Analysis::new`] with the alignments `engine` kept for the change
    /// reports of its derived members (`stories` are its stories): nothing
    /// is aligned again unless a member's link was not kept.
    pub fn with_engine(
        batch: &Batch,
        stories: Vec<Story>,
        engine: &Engine,
        with_text: bool,
    ) -> Analysis {
        if !with_text {
            return Analysis::build(batch, stories, false, &|_, _| None);
        }
        let kept = engine.parent_alignments();
        let by_id: HashMap<&str, &Article> =
            batch.articles.iter().map(|a| (a.id.as_str(), a)).collect();
        let lookup = |child: &str, parent: &str| match kept.get(child) {
            Some(&(p, al)) if p == parent => Some(Cow::Borrowed(al)),
            _ => {
                let (c, p) = (by_id.get(child)?, by_id.get(parent)?);
                Some(Cow::Owned(align_again(c, p)))
            }
        };
        Analysis::build(batch, stories, true, &lookup)
    }

    fn build(
        batch: &Batch,
        stories: Vec<Story>,
        with_text: bool,
        alignment_of: &AlignmentOf<'_>,
    ) -> Analysis {
        let articles: Vec<ArticleRow> = batch
            .articles
            .iter()
            .map(|a| ArticleRow::new(a, with_text))
            .collect();
        let singletons = stories.iter().filter(|s| s.members.len() == 1).count();
        let summary = Summary {
            inputs: batch.inputs,
            articles: batch.articles.len(),
            skipped: batch.skipped.len(),
            warnings: batch.warnings.len(),
            stories: stories.len() - singletons,
            singletons,
        };
        let rows: HashMap<&str, &ArticleRow> =
            articles.iter().map(|a| (a.id.as_str(), a)).collect();
        let stories = stories
            .into_iter()
            .map(|story| {
                let overview = overview(&story, &rows, alignment_of);
                StoryView { story, overview }
            })
            .collect();
        Analysis {
            schema: SCHEMA.to_string(),
            summary,
            articles,
            stories,
            skipped: batch.skipped.iter().map(Problem::from).collect(),
            warnings: batch.warnings.iter().map(Problem::from).collect(),
        }
    }

    /// The view of one story without texts (as [`Analysis::new`] makes
    /// each with `with_text` false); `rows`: its members' rows by id.
    pub fn view_of(story: Story, rows: &HashMap<&str, &ArticleRow>) -> StoryView {
        let overview = overview(&story, rows, &|_, _| None);
        StoryView { story, overview }
    }

    /// The row of article `id`.
    pub fn article(&self, id: &str) -> Option<&ArticleRow> {
        self.articles.iter().find(|a| a.id == id)
    }
}

/// A derived article aligned against its parent as `compare` aligns two
/// articles (page furniture of their site left out).
fn align_again(child: &Article, parent: &Article) -> Alignment {
    let mut furniture = crate::text::furniture::Furniture::new();
    furniture.learn_article(child);
    furniture.learn_article(parent);
    align(
        &furniture.analyze_article(child),
        &furniture.analyze_article(parent),
        &AlignConfig::default(),
    )
}

/// The story's overview; `rows` by article id.
fn overview(
    story: &Story,
    rows: &HashMap<&str, &ArticleRow>,
    alignment_of: &AlignmentOf<'_>,
) -> Overview {
    let tree = tree(story);
    let mut outlets: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    for r in &tree {
        let Some(m) = story.members.get(r.member) else {
            continue;
        };
        if let Some(source) = rows.get(m.article.as_str()).and_then(|a| a.source.as_ref()) {
            if seen.insert(source.clone()) {
                outlets.push(source.clone());
            }
        }
    }
    // Times are RFC 3339 in UTC from the one formatter, so text order is
    // time order; the offsets need the parsed values.
    let mut dated: Vec<(usize, String, jiff::Timestamp)> = story
        .members
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let p = rows.get(m.article.as_str())?.published.clone()?;
            let t: jiff::Timestamp = p.parse().ok()?;
            Some((i, p, t))
        })
        .collect();
    dated.sort_by(|a, b| a.2.cmp(&b.2).then(a.0.cmp(&b.0)));
    let start = dated.first().map(|d| d.2);
    let timeline: Vec<TimelineRow> = dated
        .iter()
        .map(|(i, p, t)| TimelineRow {
            member: *i,
            published: p.clone(),
            offset_seconds: start.map_or(0, |s| t.as_second() - s.as_second()),
        })
        .collect();
    let pairs = story
        .members
        .iter()
        .filter(|m| m.role == Role::Derived)
        .filter_map(|m| {
            let parent = m.parent.as_deref()?;
            let pt = rows.get(parent)?.text.as_deref()?;
            let ct = rows.get(m.article.as_str())?.text.as_deref()?;
            // Words cannot be compared across languages: a translation
            // shows its listed changes (numbers, names) only.
            let (child_edits, parent_edits) = alignment_of(&m.article, parent)
                .filter(|_| m.relation != Some(crate::relate::Relation::Translated))
                .map(|al| pair::word_edits(&al, ct, pt))
                .unwrap_or_default();
            Some(PairView {
                parent: parent.to_string(),
                child: m.article.clone(),
                parent_text: elide(segments(pt, &m.changes, Side::Parent, &parent_edits)),
                child_text: elide(segments(ct, &m.changes, Side::Child, &child_edits)),
            })
        })
        .collect();
    let claims = |st: ClaimStatus| story.consensus.iter().filter(|c| c.status == st).count();
    Overview {
        claims: ClaimCounts {
            corroborated: claims(ClaimStatus::Corroborated),
            single_source: claims(ClaimStatus::SingleSource),
            disputed: claims(ClaimStatus::Disputed),
        },
        derived: count(story, Role::Derived),
        independent: count(story, Role::Independent),
        outlets,
        first_published: timeline.first().map(|t| t.published.clone()),
        last_published: timeline.last().map(|t| t.published.clone()),
        tree,
        timeline,
        pairs,
    }
}

fn count(story: &Story, role: Role) -> usize {
    story.members.iter().filter(|m| m.role == role).count()
}

/// Members in reading order: the origin and its derived versions depth
/// first, then each independent report with its own, then (bad input
/// only) any member whose parent is not in the story.
fn tree(story: &Story) -> Vec<TreeRow> {
    let mut children: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, m) in story.members.iter().enumerate() {
        if m.role == Role::Derived {
            if let Some(p) = m.parent.as_deref() {
                children.entry(p).or_default().push(i);
            }
        }
    }
    let mut out = Vec::with_capacity(story.members.len());
    let mut placed = vec![false; story.members.len()];
    let heads = story
        .members
        .iter()
        .enumerate()
        .filter(|(_, m)| m.role == Role::Origin)
        .chain(
            story
                .members
                .iter()
                .enumerate()
                .filter(|(_, m)| m.role == Role::Independent),
        )
        .map(|(i, _)| i)
        .collect::<Vec<_>>();
    // Each head with its versions; then (bad input only) whatever no head
    // reached.
    let n = story.members.len();
    for i in heads.into_iter().chain(0..n) {
        let mut rails = Vec::new();
        walk(
            story,
            &children,
            i,
            0,
            true,
            &mut rails,
            &mut placed,
            &mut out,
        );
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn walk(
    story: &Story,
    children: &HashMap<&str, Vec<usize>>,
    i: usize,
    depth: usize,
    last: bool,
    rails: &mut Vec<bool>,
    placed: &mut [bool],
    out: &mut Vec<TreeRow>,
) {
    if placed[i] {
        return;
    }
    placed[i] = true;
    let mut change_counts = BTreeMap::new();
    for c in &story.members[i].changes {
        *change_counts.entry(c.kind.name().to_string()).or_default() += 1;
    }
    out.push(TreeRow {
        member: i,
        depth,
        last,
        rails: rails.clone(),
        change_counts,
    });
    let Some(kids) = children.get(story.members[i].article.as_str()) else {
        return;
    };
    let kids: Vec<usize> = kids.iter().copied().filter(|&k| !placed[k]).collect();
    if depth > 0 {
        rails.push(!last);
    }
    for (n, &k) in kids.iter().enumerate() {
        walk(
            story,
            children,
            k,
            depth + 1,
            n + 1 == kids.len(),
            rails,
            placed,
            out,
        );
    }
    if depth > 0 {
        rails.pop();
    }
}

#[derive(Clone, Copy)]
enum Side {
    Parent,
    Child,
}

/// `text` cut into segments at the changes' spans on one side; where two
/// changes overlap, the earlier-starting (then longer) one is marked. The
/// word `edits` (byte spans of `text`, in order, not overlapping) go with
/// the segments they fall in, cut at segment ends.
fn segments(text: &str, changes: &[Change], side: Side, edits: &[Span]) -> Vec<Segment> {
    let mut marks: Vec<(usize, usize, &Change)> = changes
        .iter()
        .filter_map(|c| {
            let e = match side {
                Side::Parent => c.parent.as_ref()?,
                Side::Child => c.child.as_ref()?,
            };
            let (s, t) = (e.span.start, e.span.end);
            (s < t && text.get(s..t).is_some()).then_some((s, t, c))
        })
        .collect();
    marks.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out = Vec::new();
    let mut at = 0;
    for (s, t, c) in marks {
        if s < at {
            continue;
        }
        if s > at {
            out.push(plain(&text[at..s]));
        }
        out.push(Segment {
            text: text[s..t].to_string(),
            mark: Some(c.kind.name().to_string()),
            note: note(c, side),
            edits: Vec::new(),
        });
        at = t;
    }
    if at < text.len() {
        out.push(plain(&text[at..]));
    }
    // Each segment's share of the edits, relative to its start.
    let mut start = 0;
    let mut k = 0;
    for seg in &mut out {
        let end = start + seg.text.len();
        while k < edits.len() && edits[k].end <= start {
            k += 1;
        }
        let mut j = k;
        while j < edits.len() && edits[j].start < end {
            let (s, e) = (edits[j].start.max(start), edits[j].end.min(end));
            if s < e {
                seg.edits.push(Span {
                    start: s - start,
                    end: e - start,
                });
            }
            j += 1;
        }
        start = end;
    }
    out
}

/// Unmarked paragraphs kept on each side of a change (and at the start
/// of a text) before the rest of an unmarked run is elided.
const CONTEXT_PARAGRAPHS: usize = 1;

/// Long runs of paragraphs without a change, cut to one `elided` segment
/// that says how many paragraphs it stands for: the pair view shows where
/// the versions differ, not every shared paragraph (a copy of a long
/// report would otherwise repeat both texts whole). The paragraph a change
/// sits in, one more on each side and the opening paragraph stay.
fn elide(segments: Vec<Segment>) -> Vec<Segment> {
    let n = segments.len();
    let mut out = Vec::with_capacity(n);
    for (k, seg) in segments.into_iter().enumerate() {
        if seg.mark.is_some() {
            out.push(seg);
            continue;
        }
        // Paragraphs of this unmarked run, each with its line breaks.
        let pieces: Vec<&str> = seg.text.split_inclusive('\n').collect();
        let paragraphs = split_paragraphs(&pieces);
        let keep_head = CONTEXT_PARAGRAPHS + 1; // the rest of the marked one, and context
        let keep_tail = if k + 1 == n {
            0
        } else {
            CONTEXT_PARAGRAPHS + 1
        };
        if paragraphs.len() <= keep_head + keep_tail + 1 {
            out.push(seg);
            continue;
        }
        let cut = paragraphs.len() - keep_head - keep_tail;
        let head = paragraphs[..keep_head].concat();
        let tail = paragraphs[paragraphs.len() - keep_tail..].concat();
        let tail_at = seg.text.len() - tail.len();
        out.push(Segment {
            edits: edits_within(&seg.edits, 0, head.len()),
            ..plain(&head)
        });
        out.push(Segment {
            text: format!("[… {cut} paragraphs without a listed change …]\n\n"),
            mark: Some("elided".to_string()),
            note: Some(format!("{cut} paragraphs left out here")),
            edits: Vec::new(),
        });
        if keep_tail > 0 {
            out.push(Segment {
                edits: edits_within(&seg.edits, tail_at, seg.text.len()),
                ..plain(&tail)
            });
        }
    }
    out
}

/// Lines grouped into paragraphs: a paragraph ends after a blank line, or
/// at each line when the text has no blank lines.
fn split_paragraphs(lines: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let blank_lines = lines.iter().any(|l| l.trim().is_empty());
    for l in lines {
        current.push_str(l);
        if !blank_lines || l.trim().is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn plain(text: &str) -> Segment {
    Segment {
        text: text.to_string(),
        mark: None,
        note: None,
        edits: Vec::new(),
    }
}

/// The parts of `edits` within `start..end`, relative to `start`.
fn edits_within(edits: &[Span], start: usize, end: usize) -> Vec<Span> {
    edits
        .iter()
        .filter_map(|e| {
            let (s, t) = (e.start.max(start), e.end.min(end));
            (s < t).then(|| Span {
                start: s - start,
                end: t - start,
            })
        })
        .collect()
}

/// What the other side says where a change sits.
fn note(c: &Change, side: Side) -> Option<String> {
    let (this, other) = match side {
        Side::Parent => (c.parent.as_ref(), c.child.as_ref()),
        Side::Child => (c.child.as_ref(), c.parent.as_ref()),
    };
    let kind = c.kind.name().replace('_', " ");
    match (this, other) {
        (Some(_), Some(o))
            if !matches!(
                c.kind,
                ChangeKind::SentenceAdded | ChangeKind::SentenceDropped
            ) =>
        {
            let arrow = match side {
                Side::Parent => format!("{kind}: becomes “{}”", o.text),
                Side::Child => format!("{kind}: was “{}”", o.text),
            };
            Some(match &c.detail {
                Some(d) => format!("{arrow} ({d})"),
                None => arrow,
            })
        }
        _ => Some(kind),
    }
}

#[cfg(test)]
mod tests;
