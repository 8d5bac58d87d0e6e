//! The analysis as terminal cards, from the [`Analysis`] view model: one
//! card per story with several versions (the tree in the overview's
//! reading order, what joined each member and what its direction rests on,
//! the changes of each derived version, names, claims and quotes), then the
//! articles alone in their story and the counts.

use std::collections::HashMap;
use std::io::Write;

use super::{Analysis, ArticleRow, ClaimCounts};
use crate::changes::quotes::QuoteMatchKind;
use crate::changes::ChangeKind;
use crate::relate::degree::DegreeBasis;
use crate::relate::model::TwoReportsBasis;
use crate::story::split::SplitView;
use crate::story::{
    ClaimStatus, DirectionStatus, JoinedBy, Member, QuoteStatus, RefusedBy, Role, Story, StoryQuote,
};

/// Cuts to `width` characters, marking the cut with `…`.
fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// One line about an article: source, date, title, its whole id and
/// where it was read (`path`, `path:line`, …).
fn describe(a: Option<&ArticleRow>, id: &str) -> String {
    let Some(a) = a else {
        return id.to_string();
    };
    let date = a
        .published
        .as_deref()
        .map(|d| d.replace('T', " ").chars().take(16).collect::<String>())
        .unwrap_or_else(|| "undated".into());
    // The id whole and where the article came from: the next step
    // (`retold compare PATH PATH --a-id ID`) needs both.
    format!(
        "{} · {} · {}  [{} · {}]",
        fit(a.source.as_deref().unwrap_or("?"), 28),
        date,
        fit(a.title.as_deref().unwrap_or("(no title)"), 60),
        id,
        a.at
    )
}

fn label(m: &Member) -> String {
    let degree = m
        .degree
        .map(|d| {
            let why = m
                .degree_basis
                .map(|b| format!(" ({})", degree_note(&b)))
                .unwrap_or_default();
            format!(", {} derived{why}", d.name())
        })
        .unwrap_or_default();
    format!(
        "{} {:.2}{degree}",
        m.relation.map_or("origin", |r| r.name()),
        m.confidence
    )
}

/// What joined a member when the pair verdict alone would not show it
/// (`retold compare` on the same pair): copied passages, shared wording,
/// shared vocabulary or a merge. Nothing for a verdict that speaks for itself.
fn joined_note(m: &Member) -> String {
    match m.evidence.as_ref().and_then(|e| e.joined_by) {
        Some(JoinedBy::CopiedPassages { share }) => {
            format!(
                "  · joined by copied passages ({:.0}% of one text)",
                100.0 * share
            )
        }
        Some(JoinedBy::SharedWording { share }) => format!(
            "  · joined by shared wording ({:.0}% of its phrasing, more than independent reports share)",
            100.0 * share
        ),
        Some(JoinedBy::Vocabulary { cosine, related }) => format!(
            "  · joined by shared vocabulary (TF-IDF cosine {cosine:.2}; the pair verdict alone: related {related:.2})"
        ),
        Some(JoinedBy::Merge) => "  · joined by a merge of two stories".to_string(),
        Some(JoinedBy::Translation { share }) => match m
            .evidence
            .as_ref()
            .and_then(|e| e.translation.as_deref())
        {
            Some(t) => format!(
                "  · translated ({:.0}% of its sentences aligned across languages, {}/{}; first reported in {})",
                100.0 * share,
                t.a_language,
                t.b_language,
                t.first_reported_in.as_deref().unwrap_or("an unknown language")
            ),
            None => format!("  · translated ({:.0}% of its sentences aligned)", 100.0 * share),
        },
        _ => String::new(),
    }
}

/// Another event of the same kind the member was kept out of, and the
/// weak conflicts of a report that joined despite them.
fn events_notes(m: &Member) -> Vec<String> {
    let mut out: Vec<String> = m
        .other_events
        .iter()
        .map(|o| {
            format!(
                "kept out of the story of {} (another event: {})",
                o.story_of,
                o.conflicts.join("; ")
            )
        })
        .collect();
    if let Some(e) = m.evidence.as_ref().filter(|e| !e.conflicts.is_empty()) {
        out.push(format!("joined despite: {}", e.conflicts.join("; ")));
    }
    out
}

/// The most confident derived verdict the story did not follow (what
/// `retold compare` on the pair says) and the gate that refused it; how
/// many more the JSON lists.
fn refusal_notes(m: &Member) -> Option<String> {
    let r = m.refused.first()?;
    let more = match m.refused.len() - 1 {
        0 => String::new(),
        n => format!(" (+{n} more in the JSON)"),
    };
    Some(format!(
        "compare says {} of {} ({:.2}); not followed: {}{more}",
        r.relation.name(),
        r.against,
        r.confidence,
        refusal_reason(&r.reason)
    ))
}

/// What a degree was read from, in a few words for a story card line
/// ([`degree_reason`] says it whole).
pub(crate) fn degree_note(b: &DegreeBasis) -> String {
    match *b {
        DegreeBasis::Share { share, .. } => format!("{:.0}% from its parent", 100.0 * share),
        DegreeBasis::NothingOfItsOwn { .. } => "no names of its own".into(),
        DegreeBasis::OwnWords { words } => format!("{words} words of its own"),
        DegreeBasis::SpunCopy { own } => format!("spun, {own} items of its own"),
        DegreeBasis::RoundTrip => "a round trip through translation".into(),
        DegreeBasis::Vocabulary { share, .. } => {
            format!("{:.0}% of its words from its parent", 100.0 * share)
        }
    }
}

/// What a degree was read from, in words; `source` names the text it
/// derives from ("its parent", "A").
pub(crate) fn degree_reason(b: &DegreeBasis, source: &str) -> String {
    let pct = |x: f64| format!("{:.0}%", 100.0 * x);
    match *b {
        DegreeBasis::Share { share, bar } => format!(
            "{} of it is {source}'s, in aligned sentences or 3-grams; wholly from {}",
            pct(share),
            pct(bar)
        ),
        DegreeBasis::NothingOfItsOwn { names } => format!(
            "a rewrite of {source} that adds no names of its own ({names} names, none new in its unaligned sentences)"
        ),
        DegreeBasis::OwnWords { words } => format!(
            "a rewrite of {source} that tells {words} words of its own ({} or more: written around {source}, not from it alone)",
            crate::relate::degree::OWN_WORDS
        ),
        DegreeBasis::SpunCopy { own } => format!(
            "a spun copy of {source}, with {own} names, figures or quotations of its own ({} would make it partial)",
            crate::relate::degree::OWN_MATERIAL
        ),
        DegreeBasis::RoundTrip => {
            format!("translated out of {source}'s language and back: a spun copy")
        }
        DegreeBasis::Vocabulary { share, bar } => format!(
            "no names to read; {} of its content words are {source}'s; wholly from {}",
            pct(share),
            pct(bar)
        ),
    }
}

/// Why a story gate refused a derived verdict, in words.
pub(crate) fn refusal_reason(r: &RefusedBy) -> String {
    match r {
        RefusedBy::Subject { subject } => {
            format!("its story never names this text's subject, \"{subject}\"")
        }
        RefusedBy::NamesReplaced { fidelity } => format!(
            "the names of the aligned sentences are replaced, not kept ({:.0}% kept or garbled)",
            100.0 * fidelity
        ),
        RefusedBy::AnotherEvent { conflicts } => format!(
            "only the structure says derived, and the key facts are another event's ({})",
            conflicts.join("; ")
        ),
        RefusedBy::ReuseOffSubject {
            cosine,
            story_link,
            needed,
        } => format!(
            "only copied passages or shared phrasing say derived, not the structure of a whole version, and the texts are on other subjects \
             (weighted cosine {cosine:.2}, link to its story {story_link:.2}; {needed:.2} needed)"
        ),
        RefusedBy::OwnReporting {
            items,
            words,
            occasion,
            lifted,
        } => {
            let basis = if *occasion {
                TwoReportsBasis::Occasion
            } else {
                TwoReportsBasis::Structure
            };
            two_reports_reason(basis, *items, *words, *lifted, "this text")
        }
        RefusedBy::InheritedFrom { source, copy } => {
            if *copy {
                format!(
                    "it is a copy of {source}, with which this text is two reports: what the two share, it took from {source}"
                )
            } else {
                format!(
                    "it was made from {source}, with which this text is two reports, and this text is no version of what it added to {source}"
                )
            }
        }
    }
}

/// [`two_reports_reason`] of a verdict's reading, the version named by its
/// side ("each text" when both were read).
pub(crate) fn two_reports_said(t: &crate::relate::model::TwoReports) -> String {
    let who = t.version.map_or("each text", super::pair::side_name);
    two_reports_reason(t.basis, t.items, t.words, t.lifted, who)
}

/// Why a pair the model reads as a rewrite or a spun copy is two reports,
/// in words; `who` names the text read as the version ("this text", "B",
/// "each text").
pub(crate) fn two_reports_reason(
    basis: TwoReportsBasis,
    items: usize,
    words: usize,
    lifted: usize,
    who: &str,
) -> String {
    match basis {
        TwoReportsBasis::Structure => format!(
            "only the structure says derived, and {who} brings reporting of its own the other never has \
             ({items} names, figures and quotations in sentences they do not share, {words} words of its own): two reports"
        ),
        TwoReportsBasis::Occasion => format!(
            "the structure and shared phrasing say derived, but no passage is copied, {} written from the other's \
             ({} would make a version), and {who} tells {words} words of its own: two reports of one occasion",
            match lifted {
                0 => "no sentence is".to_string(),
                1 => "one sentence is".to_string(),
                n => format!("{n} sentences are"),
            },
            crate::relate::model::LIFTED_MIN
        ),
    }
}

/// A translation's first aligned sentence pair and its cosine, and how
/// many more.
fn translation_note(m: &Member) -> Option<String> {
    let t = m.evidence.as_ref()?.translation.as_deref()?;
    let first = t.sentences.first()?;
    let cut = |s: &str| {
        let mut q: String = s.chars().take(60).collect();
        if q.chars().count() < s.chars().count() {
            q.push('…');
        }
        q
    };
    let more = t.sentences.len() - 1 + t.more_sentences;
    Some(format!(
        "aligned: \"{}\" ~ \"{}\" (cosine {:.2}){}",
        cut(&first.a),
        cut(&first.b),
        first.cosine,
        if more > 0 {
            format!(" + {more} more")
        } else {
            String::new()
        }
    ))
}

/// The passages a partially derived member reused: the first quoted (cut
/// to 90 characters), and how many more.
fn passages_note(m: &Member) -> Option<String> {
    let e = m.evidence.as_ref()?;
    let first = e.passages.first()?;
    let more = e.passages.len() - 1 + e.more_passages;
    let mut quote: String = first.text.chars().take(90).collect();
    if quote.chars().count() < first.text.chars().count() && !quote.ends_with('…') {
        quote.push('…');
    }
    let quote = quote.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(format!(
        "reused: \"{quote}\"{}",
        if more > 0 {
            format!(" + {more} more")
        } else {
            String::new()
        }
    ))
}

/// What a family member's place rests on: the evidence that decided it,
/// or that nothing did (never a silent input order).
fn direction_note(m: &Member) -> String {
    match m.direction {
        Some(DirectionStatus::Known) => {
            let basis: Vec<&str> = m.direction_basis.iter().map(|b| b.name()).collect();
            format!("  · direction: {}", basis.join(", "))
        }
        Some(DirectionStatus::Unknown) => {
            "  · direction unknown (no date, credit or other evidence says which came first; shown from the version holding most of the others)"
                .to_string()
        }
        None => String::new(),
    }
}

/// The analysis as terminal cards: one per story with several versions
/// (its tree, names, claims and quotes), then the articles alone in their
/// story, then the counts.
pub fn write_cards(out: &mut dyn Write, r: &Analysis) -> std::io::Result<()> {
    let rows: HashMap<&str, &ArticleRow> = r.articles.iter().map(|a| (a.id.as_str(), a)).collect();
    for v in r.stories.iter().filter(|v| v.story.members.len() > 1) {
        let s = &v.story;
        writeln!(
            out,
            "━━ {} · {} versions · {}",
            s.id,
            s.members.len(),
            fit(&s.title, 70)
        )?;
        for t in &v.overview.tree {
            let Some(m) = s.members.get(t.member) else {
                continue;
            };
            let row = rows.get(m.article.as_str()).copied();
            match m.role {
                Role::Origin => {
                    writeln!(
                        out,
                        "   origin      {}{}",
                        describe(row, &m.article),
                        direction_note(m)
                    )?;
                    for note in events_notes(m).into_iter().chain(refusal_notes(m)) {
                        writeln!(out, "               {note}")?;
                    }
                }
                Role::Independent if t.depth == 0 => {
                    writeln!(
                        out,
                        "   independent {} ({:.2}){}{}",
                        describe(row, &m.article),
                        m.confidence,
                        joined_note(m),
                        direction_note(m)
                    )?;
                    for note in events_notes(m).into_iter().chain(refusal_notes(m)) {
                        writeln!(out, "               {note}")?;
                    }
                }
                _ => {
                    let rails: String = t
                        .rails
                        .iter()
                        .map(|&r| if r { "│  " } else { "   " })
                        .collect();
                    let indent = format!("   {rails}");
                    writeln!(
                        out,
                        "{indent}{} {:<15} {}{}{}",
                        if t.last { "└─" } else { "├─" },
                        label(m),
                        describe(row, &m.article),
                        joined_note(m),
                        direction_note(m)
                    )?;
                    let deeper = if t.last { "   " } else { "│  " };
                    if let Some(summary) = change_summary(m) {
                        writeln!(out, "{indent}{deeper}   {summary}")?;
                    }
                    if let Some(note) = passages_note(m) {
                        writeln!(out, "{indent}{deeper}   {note}")?;
                    }
                    if let Some(note) = translation_note(m) {
                        writeln!(out, "{indent}{deeper}   {note}")?;
                    }
                    if let Some(note) = refusal_notes(m) {
                        writeln!(out, "{indent}{deeper}   {note}")?;
                    }
                    if let Some(rt) = m.evidence.as_ref().and_then(|e| e.round_trip.as_ref()) {
                        let by = rt
                            .source
                            .as_deref()
                            .map_or_else(String::new, |s| format!("{s}'s "));
                        writeln!(
                            out,
                            "{indent}{deeper}   round trip: translated back from {by}{} translation [{}]",
                            rt.language, rt.via
                        )?;
                    }
                }
            }
        }
        for split in &s.splits {
            writeln!(out, "   split       {}", split_note(split))?;
        }
        for e in &s.entities {
            let others: Vec<String> = e
                .variants
                .iter()
                .filter(|v| v.spelling != e.canonical)
                .map(|v| format!("{} ({})", v.spelling, v.articles.len()))
                .collect();
            writeln!(
                out,
                "   name        {} ← also {}",
                e.canonical,
                others.join(", ")
            )?;
        }
        write_consensus(out, s, &v.overview.claims)?;
        writeln!(out)?;
    }
    let singles: Vec<&Story> = r
        .stories
        .iter()
        .map(|v| &v.story)
        .filter(|s| s.members.len() == 1)
        .collect();
    if !singles.is_empty() {
        writeln!(out, "{} articles with no other version:", singles.len())?;
        for s in singles {
            writeln!(
                out,
                "   {}",
                describe(rows.get(s.origin.as_str()).copied(), &s.origin)
            )?;
        }
    }
    writeln!(
        out,
        "\n{} articles from {} inputs: {} stories with several versions, {} single; {} skipped, {} warnings",
        r.summary.articles,
        r.summary.inputs,
        r.summary.stories,
        r.summary.singletons,
        r.summary.skipped,
        r.summary.warnings
    )?;
    Ok(())
}

/// Most disputed claims and unattested or altered quotes shown per card.
const CARD_EXAMPLES: usize = 3;

/// A subject split the story is part of, in a line: which event's reports
/// were taken out, into which story, and why.
pub fn split_note(s: &SplitView) -> String {
    let others = match (s.other_articles.first(), s.other_members) {
        (Some(first), n) if n > 1 => format!("{first} and {} more", n - 1),
        (Some(first), _) => first.clone(),
        (None, _) => String::new(),
    };
    if s.left {
        format!(
            "taken out of the story about \"{}\" ({others}) when {} came in: these {} reports about \"{}\" are another event, which its {} reports never name",
            s.other_subject, s.by, s.members, s.subject, s.other_members
        )
    } else {
        format!(
            "{} reports about \"{}\" ({others}) taken out to a story of their own when {} came in: another event, which the {} reports here about \"{}\" never name",
            s.other_members, s.other_subject, s.by, s.members, s.subject
        )
    }
}

/// The story's consensus line, its disputed claims, and the quotes that
/// were altered, reattributed or carried by one report group only.
fn write_consensus(out: &mut dyn Write, s: &Story, n: &ClaimCounts) -> std::io::Result<()> {
    if !s.consensus.is_empty() {
        writeln!(
            out,
            "   claims      {} corroborated by 2+ reports, {} single-source, {} disputed",
            n.corroborated, n.single_source, n.disputed
        )?;
        for c in s
            .consensus
            .iter()
            .filter(|c| c.status == ClaimStatus::Disputed)
            .take(CARD_EXAMPLES)
        {
            let values: Vec<String> = c
                .conflicts
                .iter()
                .map(|x| format!("{} vs {}", x.values[0], x.values[1]))
                .collect();
            writeln!(
                out,
                "   disputed    {} ({})",
                fit(&c.text, 90),
                values.join("; ")
            )?;
        }
    }
    for (status, label) in [
        (QuoteStatus::Reattributed, "reattributed"),
        (QuoteStatus::Altered, "altered"),
        (QuoteStatus::Unattested, "unattested"),
    ] {
        let qs: Vec<&StoryQuote> = s.quotes.iter().filter(|q| q.status == status).collect();
        if qs.is_empty() {
            continue;
        }
        writeln!(out, "   quotes      {} {label}", qs.len())?;
        for q in qs.iter().take(CARD_EXAMPLES) {
            let what = match status {
                QuoteStatus::Reattributed => {
                    let others: Vec<&str> = q
                        .wordings
                        .iter()
                        .filter(|w| w.kind == QuoteMatchKind::Reattributed)
                        .filter_map(|w| w.speaker.as_deref())
                        .collect();
                    format!(
                        "{} → {}",
                        q.speaker.as_deref().unwrap_or("?"),
                        others.join(", ")
                    )
                }
                QuoteStatus::Altered => q
                    .wordings
                    .iter()
                    .flat_map(|w| w.changes.iter())
                    .filter(|c| !c.from.is_empty() && !c.to.is_empty())
                    .take(2)
                    .map(|c| format!("{} → {}", fit(&c.from, 30), fit(&c.to, 30)))
                    .collect::<Vec<_>>()
                    .join("; "),
                _ => q.speaker.clone().unwrap_or_default(),
            };
            writeln!(out, "      “{}” {}", fit(&q.text, 70), fit(&what, 70))?;
        }
    }
    Ok(())
}

/// One line on what a derived member changed: counts per kind and the
/// first name and number changes.
fn change_summary(m: &Member) -> Option<String> {
    if m.changes.is_empty() {
        return None;
    }
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for c in &m.changes {
        *counts.entry(c.kind.name()).or_default() += 1;
    }
    let mut parts: Vec<String> = counts
        .iter()
        .map(|(k, n)| crate::changes::counted(k, *n))
        .collect();
    let examples: Vec<String> = m
        .changes
        .iter()
        .filter(|c| matches!(c.kind, ChangeKind::NameVariant | ChangeKind::NumberChanged))
        .filter_map(|c| {
            Some(format!(
                "{} → {}",
                c.parent.as_ref()?.text,
                c.child.as_ref()?.text
            ))
        })
        .take(3)
        .collect();
    if !examples.is_empty() {
        parts.push(format!("e.g. {}", examples.join("; ")));
    }
    Some(fit(&format!("changed: {}", parts.join(", ")), 150))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_marks_cuts() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("a longer title here", 8), "a longe…");
        assert_eq!(fit("ééééé", 3), "éé…");
    }
}
