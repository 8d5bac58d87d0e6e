//! The analysis as one self-contained HTML file: inline CSS and a few
//! lines of inline script (filtering the story index), no network, opens
//! from disk. The page is a [minijinja] template over the [`Analysis`]
//! view model (its serde form, as in the JSON output), so it shows the
//! numbers the JSON and the terminal cards show. Every text is escaped by
//! the template engine (the template's name ends in `.html`): an article
//! containing `<script>` shows as text.
//!
//! What the page holds, per story with several versions: the derivation
//! tree (relation, degree, confidence; the direction evidence and the
//! verdict's features on expand), a timeline when members are dated, the
//! change list of each derived version, the names spelled more than one
//! way, the quotes and how faithfully each version carries them, the claims
//! with their support, and each derived version beside its parent with the
//! changed words marked in both texts. An index at the top lists the
//! stories (size, origin, outlets, time span) and filters them as one
//! types.

use minijinja::value::ViaDeserialize;
use minijinja::{context, Environment, Value};

use super::pair::PairReport;
use super::{Analysis, Segment};

/// A report that could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("cannot render the HTML report: {0}")]
    Template(#[from] minijinja::Error),
}

/// Reports with at most this many stories open every story on load;
/// larger ones open a story when it is clicked, linked or filtered to.
pub const OPEN_ALL_BELOW: usize = 60;

const TEMPLATE: &str = include_str!("templates/analysis.html");
const PAIR_TEMPLATE: &str = include_str!("templates/pair.html");
/// The stylesheet both pages include inline.
const STYLE: &str = include_str!("templates/style.css");

/// The template engine with both pages, their one stylesheet and the
/// filters they use.
fn environment() -> Result<Environment<'static>, RenderError> {
    let mut env = Environment::new();
    env.add_filter("when", when);
    env.add_filter("gap", gap);
    env.add_filter("pct", pct);
    env.add_filter("f2", f2);
    env.add_filter("num", num);
    env.add_filter("words", words);
    env.add_filter("refusal", refusal);
    env.add_filter("degree_note", degree_note);
    env.add_filter("two_reports", two_reports);
    env.add_filter("counted", |kind: String, n: usize| {
        crate::changes::counted(&kind, n)
    });
    env.add_template_owned("style.css", unindent(STYLE))?;
    env.add_template_owned("analysis.html", unindent(TEMPLATE))?;
    env.add_template_owned("pair.html", unindent(PAIR_TEMPLATE))?;
    Ok(env)
}

/// A template with each line's leading white space dropped: the source
/// stays indented for its reader, the page does not carry the indents
/// (1.3 MB of a 10 k-article report). No page has white space that matters
/// at a line start: the texts are variables, and each side-by-side column
/// is one line of template.
fn unindent(source: &str) -> String {
    source
        .lines()
        .map(str::trim_start)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The HTML page of `analysis`.
pub fn render(analysis: &Analysis) -> Result<String, RenderError> {
    let env = environment()?;
    let rows: std::collections::BTreeMap<&str, &super::ArticleRow> = analysis
        .articles
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    let tmpl = env.get_template("analysis.html")?;
    Ok(tmpl.render(context! {
        a => Value::from_serialize(analysis),
        rows => Value::from_serialize(&rows),
        version => env!("CARGO_PKG_VERSION"),
        open_all_below => OPEN_ALL_BELOW,
    })?)
}

/// The HTML page of a comparison of two articles ([`PairReport`]): the
/// verdict, the direction and what it rests on, both texts side by side in
/// full with the aligned passages highlighted in each text's own wording
/// and linked (hovering or clicking a passage lights its partner; passage
/// `p{n}` is `a-p{n}` in A's text and `b-p{n}` in B's), the changed words
/// marked, and the change list. Every text is escaped.
///
/// ```
/// use retold_core::article::{ArticleDraft, Origin};
/// use retold_core::report::pair::PairReport;
///
/// let article = |id: &str, text: &str| {
///     ArticleDraft { id: Some(id.into()), text: text.into(), ..Default::default() }
///         .finish(Origin::whole(id))
///         .expect("an article with text")
/// };
/// let a = article("a", "The mayor closed the bridge on Monday. <script>alert(1)</script>");
/// let b = article("b", "The mayor shut the bridge on Monday.");
/// let page = retold_core::report::html::render_pair(&PairReport::compare(&a, &b)).unwrap();
/// assert!(page.contains("id=\"a-p0\"") && page.contains("id=\"b-p0\""));
/// assert!(page.contains("&lt;script&gt;") && !page.contains("<script>alert"));
/// ```
pub fn render_pair(report: &PairReport) -> Result<String, RenderError> {
    let env = environment()?;
    let tmpl = env.get_template("pair.html")?;
    Ok(tmpl.render(context! {
        r => Value::from_serialize(report),
        version => env!("CARGO_PKG_VERSION"),
    })?)
}

/// A segment's text as `[text, edited]` runs ([`Segment::runs`]); the
/// template escapes each run.
fn words(segment: ViaDeserialize<Segment>) -> Vec<Value> {
    segment
        .runs()
        .into_iter()
        .map(|(text, edited)| Value::from(vec![Value::from(text), Value::from(edited)]))
        .collect()
}

/// `2026-02-26T07:00:00Z` → `2026-02-26 07:00`; anything else as it is.
fn when(v: String) -> String {
    if v.len() >= 16 && v.is_char_boundary(16) {
        v[..16].replace('T', " ")
    } else {
        v
    }
}

/// Seconds → `+2 h 48 min`, `+3 d 4 h`, `+0 min`.
fn gap(seconds: i64) -> String {
    let m = seconds.abs() / 60;
    let sign = if seconds < 0 { "−" } else { "+" };
    let (d, h, m) = (m / 1440, (m / 60) % 24, m % 60);
    if d > 0 {
        format!("{sign}{d} d {h} h")
    } else if h > 0 {
        format!("{sign}{h} h {m} min")
    } else {
        format!("{sign}{m} min")
    }
}

/// A probability or score to two decimals; nothing for a missing one.
fn f2(v: Value) -> String {
    f64::try_from(v).map_or_else(|_| String::new(), |f| format!("{f:.2}"))
}

/// A feature value: floats to three decimals, anything else as it is.
fn num(v: Value) -> String {
    match f64::try_from(v.clone()) {
        Ok(f) if v.as_i64().is_none() => format!("{f:.3}"),
        _ => v.to_string(),
    }
}

/// 0.523 → `52%`.
/// Why a story gate refused a derived verdict (a member's `refused[].reason`),
/// in the words of the text report.
fn refusal(v: Value) -> String {
    serde_json::to_value(&v)
        .ok()
        .and_then(|j| serde_json::from_value::<crate::story::RefusedBy>(j).ok())
        .map_or_else(String::new, |r| super::text::refusal_reason(&r))
}

/// Why a verdict the model read as a rewrite is two reports (a verdict's
/// `two_reports`), in the words of `compare`'s text.
fn two_reports(v: Value) -> String {
    serde_json::to_value(&v)
        .ok()
        .and_then(|j| serde_json::from_value::<crate::relate::model::TwoReports>(j).ok())
        .map_or_else(String::new, |t| super::text::two_reports_said(&t))
}

/// What a member's degree was read from (`degree_basis`), in the few
/// words of the text report's card.
fn degree_note(v: Value) -> String {
    serde_json::to_value(&v)
        .ok()
        .and_then(|j| serde_json::from_value::<crate::relate::degree::DegreeBasis>(j).ok())
        .map_or_else(String::new, |b| super::text::degree_note(&b))
}

fn pct(v: Value) -> String {
    f64::try_from(v).map_or_else(|_| String::new(), |f| format!("{:.0}%", 100.0 * f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_read_as_durations() {
        assert_eq!(gap(0), "+0 min");
        assert_eq!(gap(2 * 3600 + 48 * 60), "+2 h 48 min");
        assert_eq!(gap(3 * 86400 + 4 * 3600), "+3 d 4 h");
        assert_eq!(when("2026-02-26T07:00:00Z".into()), "2026-02-26 07:00");
        assert_eq!(when("2026".into()), "2026");
        assert_eq!(pct(Value::from(0.523)), "52%");
        assert_eq!(f2(Value::UNDEFINED), "");
    }
}
