//! Names: where a text mentions a person, place or organization, how alike
//! two spellings are, and which spellings across a story are one entity.
//!
//! Mentions are found from capitalization, which is what English news text
//! offers without a tagger: runs of capitalized words, joined over "of",
//! "for", "the" after an organization word ("School of Languages") and over
//! "and" only inside an organization ("University and College Staff
//! Association"), never between two people ("Corrow and Wrenfield"). Titles
//! ("Mayor", "Secretary General") are cues, kept apart from the name. A
//! capitalized first word of a sentence or quote is a name only when another
//! capitalized word follows it or the document writes it capitalized
//! elsewhere ("Cracks were found" is not a name, "Corrow said" is).
//!
//! ```
//! use retold_core::changes::entities::{mentions, same_name};
//! use retold_core::text::analyze;
//!
//! let doc = analyze("Mayor Anneliese Corrow closed the Harrow Street bridge. Corrow said the School of Languages was shut.", Some("en"));
//! let names: Vec<String> = mentions(&doc).into_iter().map(|m| m.text).collect();
//! assert_eq!(names, ["Anneliese Corrow", "Harrow Street", "Corrow", "School of Languages"]);
//! assert!(same_name("Keir Starmer", "Kiir Starmer"));
//! assert!(!same_name("Daniel Okafor", "Daniel Whitcombe"));
//! ```

use rustc_hash::FxHashSet;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::text::{Span, TextDoc};

/// A name mentioned in a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// The name as written, title and possessive left out ("Anneliese
    /// Corrow" of "Mayor Anneliese Corrow's").
    pub text: String,
    /// Byte span of the name in `TextDoc::clean`.
    pub clean: Span,
    /// Byte span of the name in the original text.
    pub original: Span,
    /// The title before it, if any ("Mayor", "Secretary General").
    pub title: Option<String>,
    /// Index of the sentence in `TextDoc::sentences`.
    pub sentence: usize,
}

/// Titles before a person's name: cues, not part of the name.
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "President", "Chancellor", "Mayor", "Secretary", "Minister", "Premier", "Governor",
    "Senator", "Councillor", "Councilor", "Dr", "Mr", "Mrs", "Ms", "Miss", "Mx", "Prof",
    "Professor", "Sir", "Dame", "Lord", "Lady", "Judge", "Justice", "Chief", "Executive",
    "Inspector", "Superintendent", "Sergeant", "Sgt", "Captain", "Capt", "Colonel",
    "Lieutenant", "Commissioner", "Ambassador", "King", "Queen", "Prince", "Princess", "Pope",
    "Bishop", "Archbishop", "Rev", "Reverend", "Father", "Rabbi", "Imam", "Sheikh", "Deputy",
    "Vice", "Acting", "Spokesperson", "Spokesman", "Spokeswoman", "Director", "Chairman",
    "Chairwoman", "Chair", "Coach", "Manager", "Officer", "Detective", "Constable", "Speaker",
    "Leader", "Gen", "Col", "Lt", "Cllr", "Sen", "Gov", "Rep", "Representative", "Congressman",
    "Congresswoman", "MP", "MEP", "CEO", "Engineer", "Goalkeeper", "Striker", "Treasurer", "Dean",
    "Provost", "Vice-Chancellor", "Headteacher", "Commander", "Admiral", "Marshal", "Sheriff",
    "Warden", "Convenor", "Chancellor",
];

/// Words that are titles only right after another title ("Secretary
/// General", "Prime Minister", "Attorney General").
#[rustfmt::skip]
const TITLE_TAILS: &[&str] = &[
    "General", "Prime", "Attorney", "Foreign", "Finance", "Fisheries",
];

/// Heads of organization and place names: "of"/"for"/"the" may follow them
/// inside a name, "and" may join a name that ends in one, and a possessive
/// word before one stays in the name ("Students' Union").
#[rustfmt::skip]
const ORG_WORDS: &[&str] = &[
    "University", "College", "School", "Academy", "Institute", "Institution", "Association",
    "Affiliation", "Union", "Council", "Party", "Celebration", "Ministry", "Department",
    "Office", "Bureau", "Agency", "Authority", "Commission", "Committee", "Board", "Bank",
    "Company", "Corporation", "Group", "Society", "Federation", "League", "Trust", "Foundation",
    "Fund", "Cooperative", "Co-operative", "Chamber", "Court", "House", "Hall", "Church",
    "Cathedral", "Hospital", "Museum", "Centre", "Center", "Faculty", "Service", "Services",
    "Police", "Army", "Navy", "Force", "Assembly", "Parliament", "Senate", "Congress",
    "Republic", "Kingdom", "States", "Nations", "Organisation", "Organization", "Team", "Club",
    "Port", "City", "Town", "County", "District", "Region", "Province", "State", "Isles",
    "Islands", "Bay", "Gulf", "Sea", "River", "Lake", "Mount", "Street", "Road", "Avenue",
    "Square", "Bridge", "Station", "Airport", "Motors", "Works", "Network", "Institute",
    "Observatory", "Laboratory", "Library", "Guild", "Alliance", "Coalition", "Movement",
    "Front", "Corps", "Courier", "Times", "Post", "News", "Herald", "Gazette", "Chronicle",
    "Record", "Observer", "Journal",
];

/// Capitalized words that do not name anything by themselves.
#[rustfmt::skip]
const NOT_NAMES: &[&str] = &[
    "the", "a", "an", "and", "or", "but", "if", "in", "on", "at", "of", "for", "to", "from",
    "by", "with", "as", "he", "she", "it", "we", "they", "i", "you", "his", "her", "its", "our",
    "their", "my", "your", "this", "that", "these", "those", "there", "here", "when", "where",
    "while", "after", "before", "since", "until", "because", "although", "though", "yet", "so",
    "then", "now", "also", "not", "no", "yes", "some", "many", "most", "all", "every", "each",
    "about", "around", "nearly", "almost", "more", "less", "one", "two", "what", "who", "how",
    "why", "which", "once", "under", "over", "despite", "according", "meanwhile", "however",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "june", "july", "august", "september", "october", "november",
    "december", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Head nouns of bodies that news text often names in lower case ("the
/// works council", "the transport committee"): with modifier words before
/// them they may be a name ([`body_phrases`]). Not "chamber" nor "panel":
/// in lower case mostly a room or a thing ("council chamber", "solar panel").
#[rustfmt::skip]
const BODY_HEADS: &[&str] = &[
    "council", "committee", "union", "board", "association", "authority", "commission",
    "agency", "trust", "federation", "society", "institute", "foundation", "cooperative",
    "co-operative", "assembly", "ministry", "department", "bureau", "tribunal",
    "league", "guild", "alliance", "coalition", "corporation", "inspectorate",
    "regulator", "directorate", "secretariat", "taskforce", "consortium", "syndicate",
];

/// Words that open a noun phrase before a lower-case body name ("the works
/// council", "its transport committee").
#[rustfmt::skip]
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "its", "their", "his", "her", "our", "your", "this", "that", "these",
    "those", "every", "each", "any", "whose",
];

/// Most modifier words before a body head.
const MAX_BODY_MODIFIERS: usize = 3;

/// Lower-case words that may sit inside a name between capitalized words.
const CONNECTORS: &[&str] = &[
    "of", "for", "the", "and", "de", "van", "von", "der", "da", "di", "du", "del", "la", "le",
];

/// One word of a sentence, as the mention finder sees it.
#[derive(Debug, Clone)]
struct Word {
    /// Byte range in the scanned text, possessive included.
    range: Range<usize>,
    /// End of the word without a possessive `'s` / `'`.
    bare_end: usize,
    possessive: bool,
    /// Only whitespace separates it from the previous word.
    joined: bool,
    /// First word of a sentence, of a quote or after a colon.
    initial: bool,
}

fn is_inner_punct(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '-' | '.')
}

/// Words of `text[range]` with byte ranges in `text`.
fn scan_words(text: &str, range: Range<usize>) -> Vec<Word> {
    let Some(s) = text.get(range.clone()) else {
        return Vec::new();
    };
    let base = range.start;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out: Vec<Word> = Vec::new();
    let mut k = 0;
    let mut gap_clean = false; // only whitespace since the last word
    let mut initial = true;
    while k < chars.len() {
        let (i, c) = chars[k];
        if !c.is_alphanumeric() {
            if !c.is_whitespace() {
                gap_clean = false;
                // An opening quote (after a space or at the start) or a colon
                // starts a new clause whose first word is capitalized anyway.
                let opens = matches!(c, '"' | '\u{201c}' | '(')
                    && s[..i]
                        .chars()
                        .next_back()
                        .is_none_or(|p| p.is_whitespace() || p == '(');
                if opens || matches!(c, ':' | ';') {
                    initial = true;
                }
            }
            k += 1;
            continue;
        }
        let start = i;
        let mut end = i + c.len_utf8();
        k += 1;
        while k < chars.len() {
            let (j, d) = chars[k];
            if d.is_alphanumeric() {
                end = j + d.len_utf8();
                k += 1;
            } else if is_inner_punct(d)
                && chars.get(k + 1).is_some_and(|(_, n)| n.is_alphanumeric())
            {
                k += 1;
            } else {
                break;
            }
        }
        let word = &s[start..end];
        let mut bare_end = end;
        let mut possessive = false;
        let mut full_end = end;
        if let Some(stem) = word
            .strip_suffix("'s")
            .or_else(|| word.strip_suffix("\u{2019}s"))
        {
            if !stem.is_empty() {
                bare_end = start + stem.len();
                possessive = true;
            }
        } else if word.ends_with('s')
            && chars
                .get(k)
                .is_some_and(|(_, d)| matches!(d, '\'' | '\u{2019}'))
        {
            // "Students' Union": the apostrophe after a plural.
            possessive = true;
            if let Some(&(j, d)) = chars.get(k) {
                full_end = j + d.len_utf8();
            }
            k += 1;
        }
        out.push(Word {
            range: base + start..base + full_end,
            bare_end: base + bare_end,
            possessive,
            joined: gap_clean && !out.is_empty(),
            initial,
        });
        initial = false;
        gap_clean = true;
    }
    out
}

/// Starts with an upper-case letter and is not shouted text.
fn capitalized(w: &str) -> bool {
    let mut chars = w.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_uppercase() {
        return false;
    }
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    // Acronyms ("NHS", "EU") are names; long all-caps words are headline shouting.
    w.chars().any(char::is_lowercase) || letters <= 5
}

fn in_list(list: &[&str], w: &str) -> bool {
    list.contains(&w)
}

fn is_title(w: &str) -> bool {
    in_list(TITLES, w.trim_end_matches('.'))
}

fn is_org_word(w: &str) -> bool {
    in_list(ORG_WORDS, w)
}

/// A capitalized word that names no one by itself: a title ("Dr",
/// "President"), the head of an organization or place name ("Police",
/// "State", "Avenue"), a day, a month or a function word.
pub(crate) fn generic_name_word(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    is_title(w)
        || in_list(TITLE_TAILS, w)
        || is_org_word(w)
        || NOT_NAMES.iter().any(|n| n.eq_ignore_ascii_case(w))
}

/// Finds name mentions in the sentences `sentences` of `text`. `known`:
/// words seen capitalized inside a sentence (not first) anywhere in the
/// document, which makes a capitalized first word a name.
fn find_in(
    text: &str,
    sentences: &[Span],
    known: &dyn Fn(&str) -> bool,
) -> Vec<(usize, Range<usize>, Option<Range<usize>>)> {
    let scanned: Vec<Vec<Word>> = sentences
        .iter()
        .map(|s| scan_words(text, s.range()))
        .collect();
    find_in_words(text, &scanned, known)
}

/// [`find_in`] over the words of each sentence, scanned once.
fn find_in_words(
    text: &str,
    scanned: &[Vec<Word>],
    known: &dyn Fn(&str) -> bool,
) -> Vec<(usize, Range<usize>, Option<Range<usize>>)> {
    let mut out = Vec::new();
    let word_text = |w: &Word| text.get(w.range.start..w.bare_end).unwrap_or("");
    // Capitalized words also written without a possessive: a name of their
    // own, so "Vellmark's School of Languages" is two names.
    let mut standalone: FxHashSet<&str> = FxHashSet::default();
    for words in scanned {
        for w in words {
            let t = word_text(w);
            if !w.possessive && capitalized(t) {
                standalone.insert(t);
            }
        }
    }
    let mut lower = String::new();
    let mut is_name: Vec<bool> = Vec::new();
    for (si, words) in scanned.iter().enumerate() {
        // Whether each word can be part of a name (asked several times per
        // word below, so decided once).
        is_name.clear();
        for (k, w) in words.iter().enumerate() {
            let t = word_text(w);
            let name = capitalized(t)
                && {
                    lower.clear();
                    if t.is_ascii() {
                        lower.push_str(t);
                        lower.make_ascii_lowercase();
                    } else {
                        lower.push_str(&t.to_lowercase());
                    }
                    !in_list(NOT_NAMES, &lower)
                }
                && (!w.initial
                // A first word: a name if the document writes it capitalized
                // elsewhere, or a capitalized word (or a title before it) goes with it.
                || known(t)
                || is_title(t)
                || words
                    .get(k + 1)
                    .is_some_and(|n| n.joined && capitalized(word_text(n)) && !w.possessive));
            is_name.push(name);
        }
        let name_word = |k: usize| -> bool { is_name.get(k).copied().unwrap_or(false) };
        let mut k = 0;
        while k < words.len() {
            if !name_word(k) {
                k += 1;
                continue;
            }
            // Grow the run.
            let first = k;
            let mut last = k;
            let mut j = k + 1;
            while j < words.len()
                && words[j].joined
                && (!words[last].possessive
                    || (is_org_word(word_text(&words[j]))
                        && !standalone.contains(word_text(&words[last]))))
            {
                if name_word(j) {
                    last = j;
                    j += 1;
                    continue;
                }
                // A connector followed by a capitalized word.
                let conn = word_text(&words[j]);
                let next_is_name = j + 1 < words.len() && words[j + 1].joined && name_word(j + 1);
                let ok = next_is_name
                    && match conn {
                        "of" | "for" | "de" | "van" | "von" | "der" | "da" | "di" | "du"
                        | "del" | "la" | "le" => {
                            !matches!(conn, "of" | "for") || is_org_word(word_text(&words[last]))
                        }
                        "the" => is_org_word(word_text(&words[last])),
                        "and" => {
                            // Only inside an organization: the rest of the run
                            // must end in an organization word.
                            let mut m = j + 1;
                            let mut org = false;
                            while m < words.len() && (m == j + 1 || words[m].joined) && name_word(m)
                            {
                                org |= is_org_word(word_text(&words[m]));
                                if words[m].possessive {
                                    break;
                                }
                                m += 1;
                            }
                            org
                        }
                        _ => false,
                    };
                if ok && CONNECTORS.contains(&conn) {
                    j += 1;
                    continue;
                }
                break;
            }
            // A possessive inside the name only before an organization word.
            let mut cut = last;
            for m in first..last {
                if words[m].possessive
                    && !words.get(m + 1).is_some_and(|n| is_org_word(word_text(n)))
                {
                    cut = m;
                    break;
                }
            }
            let last = cut;
            // Titles are cues, not the name: everything up to the last title
            // word with a name after it ("Industry Minister Siobhan Marlowe",
            // "City Engineer Tobias Wrenfield", "Secretary General X").
            let mut start = first;
            let mut title: Option<Range<usize>> = None;
            for t in first..last {
                let w = word_text(&words[t]);
                let tail =
                    t > first && in_list(TITLE_TAILS, w) && is_title(word_text(&words[t - 1]));
                let next = word_text(&words[t + 1]);
                if (is_title(w) || tail) && !CONNECTORS.contains(&next) && !is_org_word(next) {
                    title = Some(words[first].range.start..words[t].bare_end);
                    start = t + 1;
                }
            }
            let lone_title = start == last && is_title(word_text(&words[start]));
            // Trim connectors left at the edges.
            let mut end_w = last;
            while end_w > start && CONNECTORS.contains(&word_text(&words[end_w])) {
                end_w -= 1;
            }
            if !lone_title {
                let range = words[start].range.start..words[end_w].bare_end;
                if !range.is_empty() {
                    out.push((si, range, title));
                }
            }
            k = last + 1;
        }
    }
    out
}

/// Words of `text` written capitalized and not first in their sentence.
fn capitalized_inside<'t>(text: &'t str, scanned: &[Vec<Word>]) -> FxHashSet<&'t str> {
    let mut known = FxHashSet::default();
    for w in scanned.iter().flatten() {
        let t = text.get(w.range.start..w.bare_end).unwrap_or("");
        if !w.initial && capitalized(t) {
            known.insert(t);
        }
    }
    known
}

/// The name mentions of a document, in order.
///
/// Capitalization marks names in English and most languages written in
/// Latin script, not in German (every noun is capitalized): there a mention
/// needs a title or two words, and no mention starts with a stop word of
/// the document's language.
pub fn mentions(doc: &TextDoc) -> Vec<Mention> {
    let scanned: Vec<Vec<Word>> = doc
        .sentences
        .iter()
        .map(|s| scan_words(&doc.clean, s.range()))
        .collect();
    let known = capitalized_inside(&doc.clean, &scanned);
    let nouns_capitalized = matches!(doc.language, "de" | "lb");
    let starts_with_stop = |r: &Range<usize>| {
        let i = doc.tokens.partition_point(|t| t.span.start < r.start);
        doc.tokens
            .get(i)
            .is_some_and(|t| t.span.start == r.start && t.is_stop)
    };
    find_in_words(&doc.clean, &scanned, &|t| known.contains(t))
        .into_iter()
        .filter(|(_, r, title)| {
            let words = doc
                .clean
                .get(r.clone())
                .map_or(0, |t| t.split_whitespace().count());
            !starts_with_stop(r) && (!nouns_capitalized || title.is_some() || words >= 2)
        })
        .map(|(sentence, r, title)| {
            let clean = Span {
                start: r.start,
                end: r.end,
            };
            Mention {
                text: doc.text(clean).to_string(),
                clean,
                original: doc.to_original_span(clean),
                title: title.and_then(|t| doc.clean.get(t)).map(str::to_string),
                sentence,
            }
        })
        .collect()
}

/// The name mentions of a short text (one or a few sentences), as byte
/// ranges of `text`. `known` capitalized words make a first word a name
/// (pass the document's, or an empty set).
pub fn mentions_in(text: &str, known: &HashSet<&str>) -> Vec<Range<usize>> {
    let whole = [Span {
        start: 0,
        end: text.len(),
    }];
    find_in(text, &whole, &|t| known.contains(t))
        .into_iter()
        .map(|(_, r, _)| r)
        .collect()
}

/// A body named in lower case: modifier words and a head noun ("works
/// council" of "the 11-member works council").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyPhrase {
    /// Byte range of the modifiers and the head.
    pub name: Range<usize>,
    /// `name` with the quantity before it, if any ("11-member works council").
    pub extent: Range<usize>,
}

/// Lower-case names of bodies in `text` (a sentence or a few): one to
/// three lower-case modifier words before a head noun such as "council",
/// "committee", "union" or "board", the phrase opened by a determiner, a
/// possessive or a quantity ("the works council", "the council's transport
/// committee", "11 member jobs council"). A quantity before the modifiers
/// ("11-member", "11 member") is not part of the name. Lower-case words are
/// weak evidence of a name: callers take these only where a copy replaced
/// one with another at an aligned position.
///
/// ```
/// use retold_core::changes::entities::body_phrases;
/// let t = "The 11-member works council, which includes union representatives, meets.";
/// let found: Vec<&str> = body_phrases(t).iter().map(|b| &t[b.name.clone()]).collect();
/// assert_eq!(found, ["works council"]);
/// assert_eq!(&t[body_phrases(t)[0].extent.clone()], "11-member works council");
/// ```
pub fn body_phrases(text: &str) -> Vec<BodyPhrase> {
    let words = scan_words(text, 0..text.len());
    let quantities = super::numbers::quantities(text);
    let bare = |w: &Word| text.get(w.range.start..w.bare_end).unwrap_or("");
    let lower_first = |t: &str| t.chars().next().is_some_and(char::is_lowercase);
    let quantity_at = |w: &Word| {
        quantities
            .iter()
            .map(|q| q.full_span())
            .find(|r| r.start < w.bare_end && w.range.start < r.end)
    };
    let is_head = |w: &Word| {
        let t = bare(w);
        lower_first(t) && BODY_HEADS.contains(&t)
    };
    let mut out = Vec::new();
    for (k, w) in words.iter().enumerate() {
        // "council chamber": the later head names the body.
        if !is_head(w)
            || (!w.possessive && words.get(k + 1).is_some_and(|n| n.joined && is_head(n)))
        {
            continue;
        }
        let mut first = k;
        while first > 0 && k - first < MAX_BODY_MODIFIERS && words[first].joined {
            let m = &words[first - 1];
            let t = bare(m);
            let modifier = lower_first(t)
                && t.chars().all(|c| c.is_alphabetic() || c == '-')
                && !in_list(NOT_NAMES, t)
                && !in_list(DETERMINERS, t)
                && (!m.possessive || first == k)
                && quantity_at(m).is_none();
            if !modifier {
                break;
            }
            first -= 1;
        }
        if first == k {
            continue;
        }
        let name = words[first].range.start..w.bare_end;
        // What opens the phrase: a determiner, a possessive, a quantity.
        let opener = first
            .checked_sub(1)
            .filter(|_| words[first].joined)
            .map(|o| &words[o]);
        let Some(o) = opener else { continue };
        let extent = match quantity_at(o) {
            Some(q) => q.start.min(name.start)..name.end,
            None if o.possessive || in_list(DETERMINERS, &bare(o).to_lowercase()) => name.clone(),
            None => continue,
        };
        out.push(BodyPhrase { name, extent });
    }
    out
}

/// Lower case, accents and punctuation removed, titles dropped, split into
/// words: the form names are compared in.
pub fn name_tokens(name: &str) -> Vec<String> {
    let folded: String = name
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase();
    let raw: Vec<&str> = folded
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for w in raw {
        let w = w.strip_suffix("'s").unwrap_or(w);
        let t: String = w.chars().filter(|c| c.is_alphanumeric()).collect();
        if t.is_empty() {
            continue;
        }
        out.push(t);
    }
    // Titles at the front ("mayor anneliese corrow").
    while out.len() > 1 && TITLES.iter().any(|x| x.eq_ignore_ascii_case(&out[0])) {
        out.remove(0);
    }
    out
}

/// How alike two name words are, in `[0, 1]`: the better of Jaro–Winkler
/// and normalized edit distance; an initial matches a word it starts.
pub fn token_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la == 0 || lb == 0 {
        return 0.0;
    }
    if la == 1 || lb == 1 {
        return if a.chars().next() == b.chars().next() {
            0.9
        } else {
            0.0
        };
    }
    let jw = strsim::jaro_winkler(a, b);
    let ed = 1.0 - strsim::levenshtein(a, b) as f64 / la.max(lb) as f64;
    jw.max(ed)
}

/// The words of two names paired in order: equal counts position by
/// position, else the shorter name's words matched in order against the
/// best words of the longer ("Starmer" in "Keir Starmer"). The similarity
/// of each pair.
fn paired(ta: &[String], tb: &[String]) -> Vec<f64> {
    if ta.len() == tb.len() {
        return ta
            .iter()
            .zip(tb)
            .map(|(x, y)| token_similarity(x, y))
            .collect();
    }
    let (short, long) = if ta.len() < tb.len() {
        (ta, tb)
    } else {
        (tb, ta)
    };
    let mut out = Vec::new();
    let mut from = 0;
    // The last word (the surname) pairs with the last word.
    for (i, s) in short.iter().enumerate() {
        let is_last = i + 1 == short.len();
        let pick = if is_last {
            long.len() - 1
        } else {
            let mut best = from;
            let mut best_s = -1.0;
            for (j, l) in long
                .iter()
                .enumerate()
                .take(long.len() - (short.len() - i))
                .skip(from)
            {
                let v = token_similarity(s, l);
                if v > best_s {
                    best_s = v;
                    best = j;
                }
            }
            best
        };
        out.push(long.get(pick).map_or(0.0, |l| token_similarity(s, l)));
        from = pick + 1;
    }
    out
}

/// Similarity of two names in `[0, 1]`, word by word (mean of the word
/// pairs, scaled down when one name has more words). "Keir Starmer" /
/// "Kiir Starmer" ≈ 0.92, "Daniel Okafor" / "Daniel Whitcombe" ≈ 0.7,
/// "Harrow Street" / "Harrow Road" 0.5.
pub fn name_similarity(a: &str, b: &str) -> f64 {
    let (ta, tb) = (name_tokens(a), name_tokens(b));
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    let p = paired(&ta, &tb);
    let mean = p.iter().sum::<f64>() / p.len().max(1) as f64;
    let cover = ta.len().min(tb.len()) as f64 / ta.len().max(tb.len()) as f64;
    mean * (0.5 + 0.5 * cover)
}

/// Two spellings of the same name: the same number of words, each pair
/// alike (Jaro–Winkler or edit distance ≥ 0.8, at most two edits in a word,
/// initials matching), the last word closest of all (≥ 0.85). Different
/// words ("Street" / "Road") or different surnames are not spellings.
pub fn same_name(a: &str, b: &str) -> bool {
    same_name_tokens(&name_tokens(a), &name_tokens(b))
}

/// [`same_name`] on names already split by [`name_tokens`].
fn same_name_tokens(ta: &[String], tb: &[String]) -> bool {
    if ta.is_empty() || ta.len() != tb.len() {
        return false;
    }
    if ta == tb {
        return true;
    }
    let mut last = 0.0;
    for (x, y) in ta.iter().zip(tb) {
        // "Europe" / "European": another word, not another spelling.
        let (lx, ly) = (x.chars().count(), y.chars().count());
        if lx.abs_diff(ly) >= 2 && (x.starts_with(y.as_str()) || y.starts_with(x.as_str())) {
            return false;
        }
        // More than two edits apart (the edit limit below), unless one is an
        // initial: settled before the dearer measures.
        if lx > 1 && ly > 1 && lx.abs_diff(ly) > 2 {
            return false;
        }
        let s = token_similarity(x, y);
        let edits = strsim::levenshtein(x, y);
        let short = lx.min(ly);
        // Short words tolerate one edit, longer ones two.
        let max_edits = if short <= 4 { 1 } else { 2 };
        if s < 0.8
            || (x.len() > 1 && y.len() > 1 && edits > max_edits)
            || x.chars().next() != y.chars().next() && short < 5
        {
            return false;
        }
        last = s;
    }
    last >= 0.85
}

/// The first letters of a name's words ("Anneliese Corrow" → "ac").
pub fn initials(name: &str) -> String {
    name_tokens(name)
        .iter()
        .filter_map(|w| w.chars().next())
        .collect()
}

/// Whether a name reads as a person's: a title before it, or two or three
/// words none of which is an organization or place word.
pub fn looks_like_person(name: &str, title: Option<&str>) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    let org = words
        .iter()
        .any(|w| is_org_word(w.trim_end_matches(|c: char| !c.is_alphanumeric())))
        || words.iter().any(|w| CONNECTORS.contains(w));
    // People's names are capitalized; a lower-case word makes it a thing
    // ("works council").
    let lower = words
        .iter()
        .any(|w| w.chars().next().is_some_and(char::is_lowercase));
    if org || lower {
        return false;
    }
    title.is_some() || (2..=3).contains(&words.len())
}

/// Surname-only mention of a longer name in the same text ("Corrow" for
/// "Anneliese Corrow"): same last word, one word, on names split by
/// [`name_tokens`]; `long_person`: the long one reads as a person's
/// ([`looks_like_person`]).
fn is_short_form_tokens(ts: &[String], tl: &[String], long_person: bool) -> bool {
    ts.len() == 1 && tl.len() > 1 && tl.last() == ts.first() && long_person
}

/// Two spellings that must stay apart: both read as people and their last
/// words (surnames) are unlike, or their first names are unlike while the
/// surnames match ("Daniel Okafor" / "Daniel Whitcombe", "Ines Carrow" /
/// "Marta Carrow").
pub fn different_people(a: &str, b: &str) -> bool {
    looks_like_person(a, None)
        && looks_like_person(b, None)
        && different_people_tokens(&name_tokens(a), &name_tokens(b))
}

/// [`different_people`] on split names both read as people's.
fn different_people_tokens(ta: &[String], tb: &[String]) -> bool {
    let (Some(la), Some(lb)) = (ta.last(), tb.last()) else {
        return false;
    };
    if token_similarity(la, lb) < 0.8 {
        return true;
    }
    if ta.len() >= 2 && tb.len() >= 2 {
        let (fa, fb) = (&ta[0], &tb[0]);
        return token_similarity(fa, fb) < 0.7;
    }
    false
}

/// A name in a derived text aligned against another name in its parent:
/// evidence that the two are one entity written two ways.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Substitution {
    /// Index of the parent article (as given to [`EntityMerger::add_doc`]).
    pub parent_article: usize,
    pub parent_name: String,
    pub child_article: usize,
    pub child_name: String,
}

/// One spelling of an entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub spelling: String,
    /// Articles using it (indices as given to [`EntityMerger::add_doc`]), sorted.
    pub articles: Vec<usize>,
    /// Mentions in all of them.
    pub mentions: usize,
    /// Sum of the fidelity weights of those articles.
    pub weight: f64,
}

/// An entity of a story with its spellings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// The spelling of the most faithful sources (greatest summed fidelity
    /// weight; ties: more mentions, then the earliest article).
    pub canonical: String,
    /// Every spelling, canonical first.
    pub variants: Vec<Variant>,
    /// Reads as a person ([`looks_like_person`] for the canonical spelling
    /// or a title seen before it).
    pub person: bool,
}

impl Entity {
    /// Written more than one way.
    pub fn is_varied(&self) -> bool {
        self.variants.len() > 1
    }

    /// Spelled more than one way: two of its spellings differ other than
    /// as a surname alone and the full name ("Marlow" / "Marlowe" or
    /// "Siobahn Marlow" / "Siobhan Marlowe", not "Marlowe" / "Siobhan
    /// Marlowe").
    pub fn is_respelled(&self) -> bool {
        let forms: Vec<Vec<String>> = self
            .variants
            .iter()
            .map(|v| name_tokens(&v.spelling))
            .collect();
        forms.iter().enumerate().any(|(i, x)| {
            forms[i + 1..].iter().any(|y| {
                let short = |s: &[String], l: &[String]| {
                    s.len() == 1 && l.len() > 1 && l.last() == s.first()
                };
                x != y && !short(x, y) && !short(y, x)
            })
        })
    }
}

#[derive(Debug, Default, Clone)]
struct Spelling {
    text: String,
    /// [`name_tokens`] of `text`.
    tokens: Vec<String>,
    /// `text` reads as a person's name ([`looks_like_person`]).
    person: bool,
    /// article → mentions there.
    articles: BTreeMap<usize, usize>,
    titled: bool,
}

/// Merges the names of a story's articles into entities with spellings.
///
/// Feed it each article's document with a fidelity weight (how far its
/// spellings are to be trusted: say 1.0 for the origin and faithful copies,
/// less for spun versions) and the substitutions found where a copy's
/// sentence was aligned against its parent's. Spellings merge when
/// a substitution links them or when they are spellings of one name
/// ([`same_name`]), or when one is the surname-only form of the other in an
/// article; never when they are [`different_people`] nor when an article of
/// fidelity ≥ [`EntityMerger::faithful`] writes both (two people
/// with alike names, each written correctly there).
///
/// ```
/// use retold_core::changes::entities::{EntityMerger, Substitution};
/// use retold_core::text::analyze;
///
/// let origin = analyze("Mayor Anneliese Corrow closed the bridge. Corrow said it was unsafe.", Some("en"));
/// let spun = analyze("Mayor Annaliese Corrow shut the bridge. Corrow stated it was dangerous.", Some("en"));
/// let mut m = EntityMerger::new();
/// m.add_doc(0, &origin, 1.0);
/// m.add_doc(1, &spun, 0.3);
/// let entities = m.merge();
/// let corrow = entities.iter().find(|e| e.canonical == "Anneliese Corrow").unwrap();
/// assert_eq!(corrow.variants.len(), 3); // with "Annaliese Corrow" and "Corrow"
/// ```
#[derive(Debug, Clone)]
pub struct EntityMerger {
    spellings: Vec<Spelling>,
    index: HashMap<String, usize>,
    weights: BTreeMap<usize, f64>,
    /// Per article, its spellings (for the short-form and conflict rules).
    by_article: BTreeMap<usize, Vec<usize>>,
    substitutions: Vec<(usize, usize)>,
    /// Least fidelity weight of an article whose two spellings are taken as
    /// two entities.
    pub faithful: f64,
}

impl Default for EntityMerger {
    fn default() -> Self {
        Self::new()
    }
}

impl EntityMerger {
    pub fn new() -> Self {
        EntityMerger {
            spellings: Vec::new(),
            index: HashMap::new(),
            weights: BTreeMap::new(),
            by_article: BTreeMap::new(),
            substitutions: Vec::new(),
            faithful: 0.8,
        }
    }

    fn spelling(&mut self, text: &str) -> usize {
        let key = text.trim().to_string();
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let i = self.spellings.len();
        self.spellings.push(Spelling {
            tokens: name_tokens(&key),
            person: looks_like_person(&key, None),
            text: key.clone(),
            ..Default::default()
        });
        self.index.insert(key, i);
        i
    }

    /// Adds the mentions of article `article` with fidelity weight `fidelity` (≥ 0).
    pub fn add_doc(&mut self, article: usize, doc: &TextDoc, fidelity: f64) {
        let found: Vec<(String, bool)> = mentions(doc)
            .into_iter()
            .map(|m| (m.text, m.title.is_some()))
            .collect();
        self.add_names(
            article,
            found.iter().map(|(t, titled)| (t.as_str(), *titled)),
            fidelity,
        );
    }

    /// Adds names of article `article` found by other means (`(spelling,
    /// seen after a title)`).
    pub fn add_names<'n>(
        &mut self,
        article: usize,
        names: impl IntoIterator<Item = (&'n str, bool)>,
        fidelity: f64,
    ) {
        self.weights.insert(
            article,
            if fidelity.is_finite() {
                fidelity.max(0.0)
            } else {
                0.0
            },
        );
        for (name, titled) in names {
            let i = match self.index.get(name.trim()) {
                Some(&i) => i,
                None if name_tokens(name).is_empty() => continue,
                None => self.spelling(name),
            };
            if self.spellings[i].tokens.is_empty() {
                continue;
            }
            let s = &mut self.spellings[i];
            *s.articles.entry(article).or_insert(0) += 1;
            s.titled |= titled;
            let list = self.by_article.entry(article).or_default();
            if !list.contains(&i) {
                list.push(i);
            }
        }
    }

    /// Adds the evidence of one aligned substitution.
    pub fn add_substitution(&mut self, s: &Substitution) {
        if s.parent_name.trim().is_empty() || s.child_name.trim().is_empty() {
            return;
        }
        let (a, b) = (self.spelling(&s.parent_name), self.spelling(&s.child_name));
        for (art, i) in [(s.parent_article, a), (s.child_article, b)] {
            let list = self.by_article.entry(art).or_default();
            if !list.contains(&i) {
                list.push(i);
            }
            self.spellings[i].articles.entry(art).or_insert(1);
        }
        self.substitutions.push((a, b));
    }

    fn weight(&self, article: usize) -> f64 {
        self.weights.get(&article).copied().unwrap_or(1.0)
    }

    /// Two spellings that must not end up in one entity.
    fn conflict(&self, a: usize, b: usize) -> bool {
        let (x, y) = (&self.spellings[a], &self.spellings[b]);
        if x.person && y.person && different_people_tokens(&x.tokens, &y.tokens) {
            return true;
        }
        // Both written in one faithful article, neither a short form of the other.
        if is_short_form_tokens(&x.tokens, &y.tokens, y.person)
            || is_short_form_tokens(&y.tokens, &x.tokens, x.person)
        {
            return false;
        }
        x.articles
            .keys()
            .any(|art| y.articles.contains_key(art) && self.weight(*art) >= self.faithful)
    }

    /// The entities, each with its spellings; entities in order of first
    /// appearance.
    pub fn merge(&self) -> Vec<Entity> {
        let n = self.spellings.len();
        let mut parent: Vec<usize> = (0..n).collect();
        let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
        fn find(p: &mut [usize], mut x: usize) -> usize {
            while p[x] != x {
                p[x] = p[p[x]];
                x = p[x];
            }
            x
        }
        let unite = |a: usize, b: usize, parent: &mut Vec<usize>, members: &mut Vec<Vec<usize>>| {
            let (ra, rb) = (find(parent, a), find(parent, b));
            if ra == rb {
                return;
            }
            // Never join groups holding a conflicting pair.
            if members[ra]
                .iter()
                .any(|&x| members[rb].iter().any(|&y| self.conflict(x, y)))
            {
                return;
            }
            let moved = std::mem::take(&mut members[rb]);
            members[ra].extend(moved);
            parent[rb] = ra;
        };
        // Strongest evidence first: aligned substitutions, then spellings,
        // then surname-only forms inside one article.
        for &(a, b) in &self.substitutions {
            unite(a, b, &mut parent, &mut members);
        }
        // Spellings are compared only with others of as many words (the
        // first test of `same_name`).
        let mut by_words: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, sp) in self.spellings.iter().enumerate() {
            by_words.entry(sp.tokens.len()).or_default().push(i);
        }
        for a in 0..n {
            let group = &by_words[&self.spellings[a].tokens.len()];
            let after = group.partition_point(|&b| b <= a);
            for &b in &group[after..] {
                if same_name_tokens(&self.spellings[a].tokens, &self.spellings[b].tokens) {
                    unite(a, b, &mut parent, &mut members);
                }
            }
        }
        for list in self.by_article.values() {
            for &s in list {
                // The short form joins the one long form of the article it is in.
                let longs: Vec<usize> = list
                    .iter()
                    .copied()
                    .filter(|&l| {
                        let (ss, sl) = (&self.spellings[s], &self.spellings[l]);
                        is_short_form_tokens(&ss.tokens, &sl.tokens, sl.person)
                    })
                    .collect();
                let roots: HashSet<usize> = longs.iter().map(|&l| find(&mut parent, l)).collect();
                if roots.len() == 1 {
                    if let Some(&l) = longs.first() {
                        unite(l, s, &mut parent, &mut members);
                    }
                }
            }
        }
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..n {
            let r = find(&mut parent, i);
            groups.entry(r).or_default().push(i);
        }
        let mut out: Vec<(usize, Entity)> = groups
            .into_values()
            .map(|ids| {
                let mut variants: Vec<(Variant, usize, bool, usize)> = ids
                    .iter()
                    .map(|&i| {
                        let s = &self.spellings[i];
                        let first = s.articles.keys().next().copied().unwrap_or(usize::MAX);
                        (
                            Variant {
                                spelling: s.text.clone(),
                                articles: s.articles.keys().copied().collect(),
                                mentions: s.articles.values().sum(),
                                weight: s.articles.keys().map(|a| self.weight(*a)).sum(),
                            },
                            first,
                            s.titled,
                            s.tokens.len(),
                        )
                    })
                    .collect();
                // A surname-only form is never the canonical spelling when a full one exists.
                let most_words = variants.iter().map(|v| v.3).max().unwrap_or(0);
                variants.sort_by(|x, y| {
                    let full = |words: usize| words == most_words || words > 1;
                    full(y.3)
                        .cmp(&full(x.3))
                        .then(y.0.weight.total_cmp(&x.0.weight))
                        .then(y.0.mentions.cmp(&x.0.mentions))
                        .then(x.1.cmp(&y.1))
                        .then(x.0.spelling.cmp(&y.0.spelling))
                });
                let first = variants.iter().map(|v| v.1).min().unwrap_or(usize::MAX);
                let titled = variants.iter().any(|v| v.2);
                let canonical = variants
                    .first()
                    .map(|v| v.0.spelling.clone())
                    .unwrap_or_default();
                let person = looks_like_person(&canonical, titled.then_some(""));
                (
                    first,
                    Entity {
                        canonical,
                        variants: variants.into_iter().map(|v| v.0).collect(),
                        person,
                    },
                )
            })
            .collect();
        out.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.canonical.cmp(&y.1.canonical)));
        out.into_iter().map(|x| x.1).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analyze;
    use proptest::prelude::*;

    fn names(text: &str) -> Vec<String> {
        mentions(&analyze(text, Some("en")))
            .into_iter()
            .map(|m| m.text)
            .collect()
    }

    #[test]
    fn runs_titles_connectors_and_possessives() {
        assert_eq!(
            names("Secretary General Maura Dunleavy of the Skerrin Fishermen's Cooperative spoke to the Students' Union."),
            ["Maura Dunleavy", "Skerrin Fishermen's Cooperative", "Students' Union"]
        );
        assert_eq!(
            names("The University and College Staff Association said Corrow and Wrenfield were wrong."),
            ["University and College Staff Association", "Corrow", "Wrenfield"]
        );
        assert_eq!(
            names("Vellmark University said Vellmark's School of Languages and St Aldric's Hospital stay."),
            ["Vellmark University", "Vellmark", "School of Languages", "St Aldric's Hospital"]
        );
        assert_eq!(
            names("On Friday, Corrow's office confirmed it."),
            ["Corrow"]
        );
        assert_eq!(
            names("Premier Osric Tallan told the Assembly in Kilbrae."),
            ["Osric Tallan", "Assembly", "Kilbrae"]
        );
        assert_eq!(
            names("Industry Minister Siobhan Marlowe met City Engineer Tobias Wrenfield."),
            ["Siobhan Marlowe", "Tobias Wrenfield"]
        );
        assert_eq!(
            names("The Wexcombe Chamber of Commerce estimates more."),
            ["Wexcombe Chamber of Commerce"]
        );
    }

    #[test]
    fn first_words_need_support() {
        // "Cracks" starts the sentence and appears nowhere else.
        assert_eq!(
            names("Cracks were found in the girders."),
            Vec::<String>::new()
        );
        // "Corrow" is capitalized inside another sentence.
        assert_eq!(
            names("Corrow said no. The mayor, Corrow, left."),
            ["Corrow", "Corrow"]
        );
        // Followed by another capitalized word.
        assert_eq!(
            names("Vellmark University will cut jobs."),
            ["Vellmark University"]
        );
        // First word of a quote.
        assert_eq!(
            names("\"Nobody wants this,\" she said."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn spans_map_to_the_original() {
        let raw = "Mayor \u{201c}Anneliese\u{201d} Corrow met Dr Tobias Wrenfield.";
        let doc = analyze(raw, Some("en"));
        let ms = mentions(&doc);
        let last = ms.last().expect("a mention");
        assert_eq!(last.text, "Tobias Wrenfield");
        assert_eq!(&raw[last.original.range()], "Tobias Wrenfield");
        assert_eq!(last.title.as_deref(), Some("Dr"));
    }

    #[test]
    fn similarity_and_sameness() {
        assert!(same_name("Keir Starmer", "Kiir Starmer"));
        assert!(same_name("Anneliese Corrow", "Annaliese Corrow"));
        assert!(same_name("Ines Carrow", "Inez Carow"));
        assert!(same_name("Siobhan Marlowe", "Siobahn Marlow"));
        assert!(same_name("Steinhaven", "Steinhafen"));
        assert!(!same_name("Daniel Okafor", "Daniel Whitcombe"));
        assert!(!same_name("Harrow Street", "Harrow Road"));
        assert!(!same_name("Marlowe", "Tennant"));
        assert!(!same_name("Ines Carrow", "Ines Corrow Smith"));
        assert!(!same_name("European", "Europe"));
        assert!(name_similarity("Keir Starmer", "Kiir Starmer") > 0.9);
        assert!(name_similarity("Daniel Okafor", "Daniel Whitcombe") < 0.8);
        assert!(different_people("Daniel Okafor", "Daniel Whitcombe"));
        assert!(different_people("Siobhan Marlowe", "Abigail Tennant"));
        assert!(!different_people("Keir Starmer", "Kiir Starmer"));
        assert!(!different_people("City Hall", "Town Corridor"));
        assert_eq!(initials("Mayor Anneliese Corrow"), "ac");
    }

    #[test]
    fn merger_weights_and_guards() {
        let mut m = EntityMerger::new();
        m.add_names(
            0,
            [
                ("Anneliese Corrow", true),
                ("Daniel Okafor", false),
                ("City Hall", false),
            ],
            1.0,
        );
        m.add_names(
            1,
            [
                ("Annaliese Corrow", true),
                ("Daniel Okafur", false),
                ("Town Corridor", false),
            ],
            0.2,
        );
        m.add_names(
            2,
            [("Annaliese Corrow", true), ("Daniel Whitcombe", false)],
            0.2,
        );
        m.add_substitution(&Substitution {
            parent_article: 0,
            parent_name: "City Hall".into(),
            child_article: 1,
            child_name: "Town Corridor".into(),
        });
        // A substitution between two different people is refused.
        m.add_substitution(&Substitution {
            parent_article: 0,
            parent_name: "Daniel Okafor".into(),
            child_article: 2,
            child_name: "Daniel Whitcombe".into(),
        });
        let es = m.merge();
        let find = |s: &str| {
            es.iter()
                .find(|e| e.variants.iter().any(|v| v.spelling == s))
                .expect(s)
        };
        // Two low-fidelity articles do not outvote the origin.
        assert_eq!(find("Annaliese Corrow").canonical, "Anneliese Corrow");
        assert_eq!(find("Annaliese Corrow").variants[1].articles, [1, 2]);
        assert!(find("Annaliese Corrow").person);
        assert_eq!(find("Town Corridor").canonical, "City Hall");
        assert_eq!(find("Daniel Okafur").canonical, "Daniel Okafor");
        assert_eq!(find("Daniel Whitcombe").variants.len(), 1);
    }

    #[test]
    fn two_people_in_one_faithful_article_stay_apart() {
        let mut m = EntityMerger::new();
        m.add_names(0, [("Ines Carrow", false), ("Ines Corrow", false)], 1.0);
        m.add_names(1, [("Ines Carow", false)], 0.5);
        let es = m.merge();
        assert!(es
            .iter()
            .all(|e| !(e.variants.iter().any(|v| v.spelling == "Ines Carrow")
                && e.variants.iter().any(|v| v.spelling == "Ines Corrow"))));
    }

    fn bodies(text: &str) -> Vec<(&str, &str)> {
        body_phrases(text)
            .into_iter()
            .map(|b| (&text[b.name], &text[b.extent]))
            .collect()
    }

    #[test]
    fn lower_case_body_phrases() {
        assert_eq!(
            bodies("The 11-member works council meets."),
            [("works council", "11-member works council")]
        );
        assert_eq!(
            bodies("The 11 member jobs council meets."),
            [("jobs council", "11 member jobs council")]
        );
        // A possessive opens the phrase; "chamber" is a room, no head.
        assert_eq!(
            bodies("Dace chairs the council's transport committee in the city council chamber."),
            [
                ("transport committee", "transport committee"),
                ("city council", "city council")
            ]
        );
        // Of two heads in a row the later names the body.
        assert_eq!(
            bodies("the works council union met").first().map(|x| x.0),
            Some("works council union")
        );
        // No modifier, a verb before the head, capitalized words: none.
        assert!(bodies("The council voted. It includes union members.").is_empty());
        assert!(bodies("The Fisheries Council met.").is_empty());
        // "and" ends the modifiers, and opens no phrase.
        assert_eq!(
            bodies("the regional health and safety board")
                .first()
                .map(|x| x.0),
            None
        );
        // At most three modifiers: "big" is a fourth, so nothing opens the phrase.
        assert!(bodies("the big regional health safety board").is_empty());
        assert_eq!(
            bodies("the regional health safety board")
                .first()
                .map(|x| x.0),
            Some("regional health safety board")
        );
    }

    #[test]
    fn lower_case_names_are_no_people() {
        assert!(!looks_like_person("works council", None));
        assert!(!different_people("works council", "jobs council"));
        assert!(looks_like_person("Daniel Okafor", None));
        let mut m = EntityMerger::new();
        m.add_names(0, [("Wexcombe Borough Council", false)], 1.0);
        m.add_names(1, [("Wexcombe Borough Council", false)], 0.3);
        m.add_substitution(&Substitution {
            parent_article: 0,
            parent_name: "works council".into(),
            child_article: 1,
            child_name: "jobs council".into(),
        });
        let es = m.merge();
        let e = es
            .iter()
            .find(|e| e.variants.iter().any(|v| v.spelling == "jobs council"))
            .expect("jobs council");
        assert_eq!(e.canonical, "works council");
        assert_eq!(e.variants.len(), 2);
        assert!(!e.person && e.is_respelled());
    }

    proptest! {
        #[test]
        fn mentions_are_in_bounds(s in "[A-Za-z' .,\"\u{e9}\u{2019}-]{0,80}") {
            let doc = analyze(&s, Some("en"));
            for m in mentions(&doc) {
                prop_assert!(doc.clean.get(m.clean.range()).is_some());
                prop_assert!(s.get(m.original.range()).is_some());
                prop_assert!(!m.text.is_empty());
            }
            let _ = same_name(&s, "Anneliese Corrow");
            let _ = name_similarity(&s, &s);
        }
    }
}
