//! Adding a batch: [`Engine::add_all`], the same placing as
//! [`Engine::add`] one article at a time, with the work spread over all
//! cores.
//!
//! The batch goes in chunks of [`CHUNK`] articles, in publication order.
//! Each chunk goes through five steps:
//!
//! 1. **Analysis** (parallel): each text is analyzed once, when its chunk
//!    comes ([`Prepared`]), and sketched for the candidate index. The next
//!    chunk is analyzed while this chunk's candidates are found.
//! 2. **Candidates**: the chunk goes into the index, then each article's
//!    query sees only the articles before it, exactly as if they had been
//!    added one by one; the queries run in parallel.
//! 3. **Older candidates** no longer at hand are prepared again: the
//!    prepared texts of the last [`PREPARED_KEPT`] articles stay, since
//!    candidates are mostly recent (the index window).
//! 4. **Verdicts** (parallel), one task per pair, not per article, so a
//!    long text's pairs do not hold up a chunk; the previous chunk's change
//!    reports run beside them.
//! 5. **Placing**, in order: the story links and merges depend on what was
//!    placed before. The change reports of the derived links placed here
//!    are due with the next chunk.
//!
//! `RETOLD_DEBUG=1` prints the wall time of each step; `RETOLD_DEBUG=pairs`
//! also prints each pair's verdict time and size.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::{
    briefs, publication_order, ChangeReport, Engine, Entry, Facts, Names, Prepared, Verdict,
};
use crate::align::Alignment;
use crate::article::Article;
use crate::features::{sketch::Sketcher, Features};
use crate::text::furniture::Furniture;

/// Articles a chunk of [`Engine::add_all`] takes.
const CHUNK: usize = 256;

/// Prepared texts [`Engine::add_all`] keeps for later candidates (the most
/// recent articles).
const PREPARED_KEPT: usize = 2048;

/// A derived link placed in one chunk whose change report is due with the
/// next: child, parent and the alignment the verdict made, if kept.
type Due = (usize, usize, Option<Alignment>);

/// One chunk's verdicts: for each of its articles, the candidate each
/// verdict is against, the verdict and its alignment.
type ChunkVerdicts = Vec<Vec<(usize, Verdict, Option<Alignment>)>>;

/// Wall time of each step of [`Engine::add_all`], and its counts, for
/// `RETOLD_DEBUG`.
#[derive(Default)]
struct Timings {
    /// Embedding the leads (cross-language path only).
    embed: f64,
    analyze: f64,
    /// The sequential candidate queries and inserts alone.
    query: f64,
    candidates: f64,
    verdicts: f64,
    place: f64,
    changes: f64,
    /// Re-rooting every story after the batch.
    reroot: f64,
    pairs: usize,
    prepared_again: usize,
    /// Prepared texts kept from the previous batch and still valid.
    carried: usize,
}

/// An analyzed chunk: the articles, their prepared texts and sketches, and
/// the wall time the analysis took.
type Analyzed = (Vec<Article>, Vec<(Prepared, Features)>, f64);

/// Step 1: analyzes a chunk (pure, so it can run beside other work).
fn analyze_chunk(
    batch: Vec<Article>,
    engine_align: crate::align::AlignConfig,
    furniture: &Furniture,
) -> Analyzed {
    let clock = std::time::Instant::now();
    let sketch_config = Default::default();
    let made = batch
        .par_iter()
        .map_init(
            || Sketcher::new(sketch_config),
            |s, a| {
                let p = Prepared::new(a, &engine_align, furniture);
                let f = Features::compute(&p.doc, s);
                (p, f)
            },
        )
        .collect();
    (batch, made, clock.elapsed().as_secs_f64())
}

impl Engine {
    /// Adds a batch: sorted into publication order first
    /// ([`publication_order`]: dated articles by time, then the undated
    /// ones longest text first, never in input order), with
    /// analysis and alignment spread over all cores. The stories are the
    /// same as with [`Engine::add`] one article at a time in that order.
    ///
    /// The batch goes in chunks of 256 articles, each through five steps:
    /// analysis (the next chunk's beside this chunk's candidate queries),
    /// candidates (each query sees only the articles before it), older
    /// candidates prepared again (the last 2,048 prepared texts are kept),
    /// verdicts (one parallel task per pair, beside the previous chunk's
    /// change reports), and placing, in order.
    pub fn add_all(&mut self, articles: Vec<Article>, progress: &(dyn Fn(usize) + Sync)) {
        let articles = publication_order(articles);
        let n = articles.len();
        let first = self.entries.len();
        // The whole batch teaches the sites' furniture before any text is analyzed.
        let learner = Arc::make_mut(&mut self.furniture);
        articles.iter().for_each(|a| learner.learn_article(a));
        let furniture = Arc::clone(&self.furniture);
        let debug = std::env::var_os("RETOLD_DEBUG").is_some();
        let debug_pairs = std::env::var_os("RETOLD_DEBUG").is_some_and(|v| v == "pairs");
        let mut t = Timings::default();
        // The prepared texts the last batch kept, where this batch's pages
        // left the lines taken out of them as they were (a text is
        // prepared with its site's furniture removed).
        let mut kept: HashMap<usize, Prepared> = std::mem::take(&mut self.carried)
            .into_iter()
            .filter(|(j, (key, _))| {
                self.entries
                    .get(*j)
                    .is_some_and(|e| furniture.removed_key(&e.article) == *key)
            })
            .map(|(j, (_, p))| (j, p))
            .collect();
        t.carried = kept.len();
        let mut articles = articles.into_iter();
        let align = self.config.align;
        let mut next = analyze_chunk(articles.by_ref().take(CHUNK).collect(), align, &furniture);
        let mut pending: Vec<Due> = Vec::new();
        let mut done = 0;
        while done < n {
            let base = self.entries.len();
            let (batch, made, analyzed) = std::mem::take(&mut next);
            let len = batch.len();
            t.analyze += analyzed;
            // Steps 2 and 1: this chunk's candidates beside the next chunk's analysis.
            let following: Vec<Article> = articles.by_ref().take(CHUNK).collect();
            let clock = std::time::Instant::now();
            let (candidates, ahead) = rayon::join(
                || self.index_and_query(batch, made, &mut kept, &mut t),
                || analyze_chunk(following, align, &furniture),
            );
            next = ahead;
            t.candidates += clock.elapsed().as_secs_f64();
            // Step 3.
            let clock = std::time::Instant::now();
            self.prepare_again(&candidates, &mut kept, &furniture, &mut t);
            t.analyze += clock.elapsed().as_secs_f64();
            // Step 4.
            let clock = std::time::Instant::now();
            let verdicts =
                self.chunk_verdicts(base, &candidates, &kept, &mut pending, debug_pairs, &mut t);
            t.verdicts += clock.elapsed().as_secs_f64();
            // Step 5.
            let clock = std::time::Instant::now();
            pending = self.place_chunk(base, verdicts, &kept);
            t.place += clock.elapsed().as_secs_f64();
            // Keep the most recent prepared texts only (and the last chunk's,
            // whose change reports come with the next chunk).
            let oldest = self.entries.len().saturating_sub(PREPARED_KEPT + CHUNK);
            kept.retain(|&j, _| j >= oldest);
            done += len;
            progress(done);
        }
        let clock = std::time::Instant::now();
        let reports = self.change_reports(pending, &|j| kept.get(&j));
        self.apply_changes(reports);
        // Round trips through a translation (see `cross`).
        self.mark_round_trips(first, &|j| kept.get(&j));
        t.changes += clock.elapsed().as_secs_f64();
        // Kept for the next batch (a service adds one batch at a time, and
        // its candidates are mostly in the batches just before), with what
        // the furniture took out of each text when it was prepared.
        self.carried = kept
            .into_iter()
            .map(|(j, p)| {
                let key = self
                    .entries
                    .get(j)
                    .map_or(0, |e| furniture.removed_key(&e.article));
                (j, (key, p))
            })
            .collect();
        let clock = std::time::Instant::now();
        self.split_touched.clear();
        self.reroot_all();
        t.reroot = clock.elapsed().as_secs_f64();
        if debug {
            self.print_timings(n, &t);
        }
    }

    /// Step 2: the chunk goes into the indexes, then each article's query
    /// sees only the articles before it, all queries in parallel; the
    /// chunk's articles become entries and their prepared texts are kept.
    fn index_and_query(
        &mut self,
        batch: Vec<Article>,
        made: Vec<(Prepared, Features)>,
        kept: &mut HashMap<usize, Prepared>,
        t: &mut Timings,
    ) -> Vec<Vec<usize>> {
        let clock = std::time::Instant::now();
        let base = self.entries.len();
        for (a, (p, f)) in batch.iter().zip(&made) {
            self.index.insert_unpruned(f, a.published);
            self.leads
                .insert_unpruned(&p.lead, a.published, briefs::word_count(p));
        }
        let engine = &*self;
        let candidates: Vec<Vec<usize>> = batch
            .par_iter()
            .zip(&made)
            .enumerate()
            .map(|(k, (a, (p, f)))| {
                let limit = (base + k) as u32;
                let c = engine.candidates_before(f, a.published, limit);
                engine.with_lead_candidates(c, p, a.published, limit)
            })
            .collect();
        // Candidates across languages: embedding the leads they need is
        // timed apart.
        let embedding = std::time::Instant::now();
        let candidates = self.with_cross_candidates(candidates, &batch);
        t.embed += embedding.elapsed().as_secs_f64();
        self.index.prune(made.iter().map(|(_, f)| f));
        self.leads
            .prune(made.iter().map(|(p, _)| p.lead.as_slice()));
        for (k, (a, (p, f))) in batch.into_iter().zip(made).enumerate() {
            self.terms.push(f.terms);
            self.languages
                .push(crate::features::language_key(p.doc.language));
            self.lead_terms.push(self.lead_kept(&p));
            self.entries.push(Entry {
                published: a.published,
                article: a,
            });
            kept.insert(base + k, p);
        }
        t.query += clock.elapsed().as_secs_f64();
        candidates
    }

    /// Step 3: candidates whose prepared text is no longer kept are
    /// prepared again.
    fn prepare_again(
        &self,
        candidates: &[Vec<usize>],
        kept: &mut HashMap<usize, Prepared>,
        furniture: &Furniture,
        t: &mut Timings,
    ) {
        let mut need: Vec<usize> = candidates
            .iter()
            .flatten()
            .copied()
            .filter(|j| !kept.contains_key(j))
            .collect();
        need.sort_unstable();
        need.dedup();
        t.prepared_again += need.len();
        let again: Vec<(usize, Prepared)> = need
            .par_iter()
            .map(|&j| {
                let p = Prepared::new(&self.entries[j].article, &self.config.align, furniture);
                (j, p)
            })
            .collect();
        kept.extend(again);
    }

    /// Step 4: the verdicts of the chunk starting at `base`, one parallel
    /// task per pair, beside the change reports `pending` from the
    /// previous chunk (both only read the engine: fewer idle cores at the
    /// end of a step, when one long pair is left). The reports are applied.
    fn chunk_verdicts(
        &mut self,
        base: usize,
        candidates: &[Vec<usize>],
        kept: &HashMap<usize, Prepared>,
        pending: &mut Vec<Due>,
        debug_pairs: bool,
        t: &mut Timings,
    ) -> ChunkVerdicts {
        let pairs: Vec<(usize, usize)> = candidates
            .iter()
            .enumerate()
            .flat_map(|(k, c)| {
                c.iter()
                    .filter(move |&&j| j != base + k)
                    .map(move |&j| (base + k, j))
            })
            .collect();
        t.pairs += pairs.len();
        let due_before = std::mem::take(pending);
        let engine = &*self;
        let (found, reports): (Vec<_>, Vec<ChangeReport>) = rayon::join(
            || {
                pairs
                    .par_iter()
                    .map(|&(i, j)| engine.timed_verdict(i, j, kept, debug_pairs))
                    .collect()
            },
            || engine.change_reports(due_before, &|j| kept.get(&j)),
        );
        self.apply_changes(reports);
        let mut verdicts: ChunkVerdicts = (0..candidates.len()).map(|_| Vec::new()).collect();
        for (&(i, _), v) in pairs.iter().zip(found) {
            verdicts[i - base].push(v);
        }
        verdicts
    }

    /// The verdict of pair (`i`, `j`), with its time and size printed when
    /// `debug_pairs`.
    fn timed_verdict(
        &self,
        i: usize,
        j: usize,
        kept: &HashMap<usize, Prepared>,
        debug_pairs: bool,
    ) -> (usize, Verdict, Option<Alignment>) {
        let clock = std::time::Instant::now();
        let (pi, pj) = (
            self.prepared(i, kept.get(&i)),
            self.prepared(j, kept.get(&j)),
        );
        let (v, al) = self.verdict(i, j, &pi, &pj);
        if debug_pairs {
            eprintln!(
                "pair\t{:.6}\t{}\t{}\t{:?}\t{}\t{}",
                clock.elapsed().as_secs_f64(),
                pi.doc.sentences.len(),
                pj.doc.sentences.len(),
                v.relation,
                self.entries[i].article.id,
                self.entries[j].article.id
            );
        }
        (j, v, al)
    }

    /// Step 5: places the chunk's articles in order; returns the derived
    /// links whose change reports are due.
    fn place_chunk(
        &mut self,
        base: usize,
        verdicts: ChunkVerdicts,
        kept: &HashMap<usize, Prepared>,
    ) -> Vec<Due> {
        let mut due = Vec::new();
        for (k, v) in verdicts.into_iter().enumerate() {
            // Document frequencies grow article by article, as in `add`:
            // the links (TF-IDF cosine) do not depend on chunking.
            self.doc_freq
                .add_in(self.languages[base + k], &self.terms[base + k]);
            let p = kept.get(&(base + k));
            let (no_names, no_facts) = (Names::default(), Facts::default());
            let names = p.map_or(&no_names, |p| &p.names);
            let facts = p.map_or(&no_facts, |p| &p.facts);
            due.extend(self.place(base + k, v, names, facts));
        }
        self.changes.resize_with(self.places.len(), Vec::new);
        self.links.resize_with(self.places.len(), || None);
        due
    }

    /// What `RETOLD_DEBUG` prints after a batch.
    fn print_timings(&self, n: usize, t: &Timings) {
        let link_bytes: usize = self
            .links
            .iter()
            .flatten()
            .map(|(_, al)| {
                al.pairs.len() * std::mem::size_of::<crate::align::AlignedPair>()
                    + al.passages.len() * std::mem::size_of::<crate::align::Passage>()
                    + (al.nearest_in_a.len() + al.nearest_in_b.len())
                        * std::mem::size_of::<Option<crate::align::Nearest>>()
                    + (al.a_spans.len() + al.b_spans.len())
                        * std::mem::size_of::<crate::text::Span>()
            })
            .sum();
        let change_count: usize = self.changes.iter().map(Vec::len).sum();
        let rss = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let rss = rss.lines().find(|l| l.starts_with("VmRSS")).unwrap_or("");
        eprintln!("retold: after add_all {rss}");
        eprintln!(
            "retold: {n} articles, {} candidate pairs, {} texts prepared again ({} kept from the last batch); links kept {:.0} MB, {change_count} changes",
            t.pairs,
            t.prepared_again,
            t.carried,
            link_bytes as f64 / 1e6
        );
        if self.cross_language_on() {
            eprintln!(
                "retold: cross-language: leads embedded {:.1} s, {} texts embedded in all",
                t.embed,
                self.embedded_texts()
            );
        }
        eprintln!(
            "retold: analyze {:.1} s, candidates (with the next chunk's analysis) {:.1} s (queries alone {:.1} s), verdicts (with the last chunk's change reports) {:.1} s, place {:.1} s, last change reports {:.1} s, re-rooting {:.2} s (wall)",
            t.analyze, t.candidates, t.query, t.verdicts, t.place, t.changes, t.reroot
        );
    }
}
