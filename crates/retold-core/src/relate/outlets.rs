//! What an article says about outlets: which outlet it *is* (its source
//! field, its URL's host, a wire agency's dateline tag or byline) and which
//! outlets it *credits* (a credit line "SOURCE: X", "X reported",
//! "according to X", a URL or image host in its text, a closing line that
//! names a wire agency). Direction evidence ([`super::direction`]) reads
//! two articles' outlets: one that credits an outlet the other is was made
//! from it; a wire agency's own text is nearer the source than a text
//! written at a newspaper desk.
//!
//! **Wire agencies** are named in [`WIRE_AGENCIES`], a table of the major
//! news agencies and the spellings their names take in the scripts news is
//! written in (Latin, Arabic and Urdu, Devanagari, Cyrillic, Chinese,
//! Japanese, Korean, Bengali, Greek). Every spelling folds to its agency's
//! key, so "Press Association", "PA Media" and "PA" are one outlet, as are
//! "AFP", "اے ایف پی", "فرانس برس" and "एएफपी".
//!
//! **Dateline tags.** A text that opens with a dateline whose tag names wire
//! agencies only ("DENVER (AP) —", "ڈھاکہ ۔ یکم دسمبر (اے پی پی)",
//! "नई दिल्ली, 1 दिसंबर (भाषा)") is the agency's copy, or a verbatim reprint
//! of it. A tag that names a newspaper's own desk ("(Sports Desk/AFP)",
//! "میر پور (وقت نیوز)") is that desk's text, and the agencies named beside
//! the desk are credited. An article whose source field names a newspaper
//! but whose dateline carries an agency's tag took the text from the
//! agency: it credits it. A parenthesis is a dateline tag only when what
//! comes before it reads as a dateline: a dash after it, at most four words
//! before it, or at most seven words with a date or a dateline separator
//! (a digit, a comma, "۔", a dash) among them; "The national health service
//! of the country (NHS) said" is not one. A tag that names the article's
//! own source field ("ORRIN FALLS (Allied Press) -" in an article from
//! Allied Press), or the short name the source field gives itself ("(CNS)"
//! from "Continental News Service (CNS)": its part in parentheses or its
//! initials), marks the outlet's own filed copy, the way agencies file:
//! it counts as a wire text whether or not the table knows the outlet (a
//! desk rewriting another outlet's copy does not tag it with its own
//! name). A desk tag in another script than the source field ("(وقت
//! نیوز)" from "daily_waqt") is not matched.
//!
//! ```
//! use retold_core::article::{ArticleDraft, Origin};
//! use retold_core::relate::outlets::{outlets, agency};
//!
//! let article = |text: &str| {
//!     ArticleDraft { text: text.into(), ..Default::default() }.finish(Origin::whole("t")).unwrap()
//! };
//! let wire = outlets(&article("اسلام آباد ۔ 15 ستمبر (اے پی پی) وزیر اعظم نے کہا"));
//! assert_eq!(wire.wire.as_deref(), Some("app"));
//! let desk = outlets(&article("لاہور (سپورٹس ڈیسک/اے ایف پی) پاکستان نے میچ جیت لیا"));
//! assert_eq!(desk.wire, None);
//! assert_eq!(desk.credits, vec!["afp".to_string()]);
//! assert_eq!(agency("Press Association"), Some("pa"));
//! assert_eq!(agency("رائٹرز"), Some("reuters"));
//! ```

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::article::Article;

/// Wire agencies: each row is the agency's key (the folded form of its
/// usual short name) and the names it goes by in datelines, bylines, credit
/// lines and source fields, in the scripts news is written in. General
/// knowledge of the trade, not fitted to any corpus. Names that are also
/// common words in parentheses ("MAP", "Online", Persian "مهر") are left
/// out: a false wire tag makes a newspaper the source.
pub const WIRE_AGENCIES: &[(&str, &[&str])] = &[
    // International.
    (
        "ap",
        &[
            "AP",
            "Associated Press",
            "AP News",
            "اے پی",
            "ایسوسی ایٹڈ پریس",
            "أسوشيتد برس",
            "اسوشيتد برس",
            "أ ب",
            "एपी",
            "एसोसिएटेड प्रेस",
            "美联社",
            "Ассошиэйтед Пресс",
        ],
    ),
    (
        "afp",
        &[
            "AFP",
            "Agence France-Presse",
            "Agence France Presse",
            "اے ایف پی",
            "فرانس برس",
            "أ ف ب",
            "ا ف ب",
            "एएफपी",
            "法新社",
            "Франс Пресс",
            "এএফপি",
        ],
    ),
    (
        "reuters",
        &[
            "Reuters",
            "Thomson Reuters",
            "رائٹرز",
            "رائٹر",
            "رويترز",
            "रॉयटर्स",
            "रायटर",
            "路透社",
            "ロイター",
            "로이터",
            "Рейтер",
            "Reuters Health",
            "রয়টার্স",
        ],
    ),
    (
        "pa",
        &[
            "PA",
            "PA Media",
            "PA Wire",
            "PA News",
            "Press Association",
            "PA Reporters",
        ],
    ),
    ("upi", &["UPI", "United Press International"]),
    ("bloomberg", &["Bloomberg", "Bloomberg News"]),
    (
        "dpa",
        &["dpa", "Deutsche Presse-Agentur", "د ب أ", "ڈی پی اے"],
    ),
    ("efe", &["EFE", "Agencia EFE"]),
    ("ansa", &["ANSA"]),
    ("agi", &["AGI"]),
    ("europapress", &["Europa Press"]),
    ("lusa", &["Lusa"]),
    ("anp", &["ANP"]),
    ("belga", &["Belga"]),
    ("apa", &["APA"]),
    ("ntb", &["NTB"]),
    ("tt", &["TT", "TT News Agency"]),
    ("ritzau", &["Ritzau"]),
    ("pap", &["PAP"]),
    ("ctk", &["ČTK", "CTK"]),
    ("apempe", &["ΑΠΕ-ΜΠΕ", "ΑΠΕ"]),
    ("tass", &["TASS", "ITAR-TASS", "ТАСС", "تاس"]),
    ("ria", &["RIA Novosti", "РИА Новости"]),
    ("interfax", &["Interfax", "Интерфакс"]),
    ("ukrinform", &["Ukrinform", "Укрінформ"]),
    (
        "anadolu",
        &["Anadolu", "Anadolu Agency", "AA", "الأناضول", "انادولو"],
    ),
    // East and South-East Asia, Oceania.
    (
        "xinhua",
        &["Xinhua", "新华社", "新華社", "شينخوا", "شنہوا", "शिन्हुआ"],
    ),
    ("chinanews", &["中新社", "China News Service"]),
    ("kyodo", &["Kyodo", "Kyodo News", "共同通信", "共同社"]),
    ("jiji", &["Jiji", "Jiji Press", "時事通信"]),
    ("yonhap", &["Yonhap", "연합뉴스"]),
    ("bernama", &["Bernama"]),
    ("antara", &["Antara"]),
    ("pna", &["PNA", "Philippine News Agency"]),
    ("aap", &["AAP", "Australian Associated Press"]),
    ("cp", &["CP", "Canadian Press"]),
    // South Asia.
    ("app", &["APP", "Associated Press of Pakistan", "اے پی پی"]),
    ("ppi", &["PPI", "Pakistan Press International", "پی پی آئی"]),
    ("nni", &["NNI", "این این آئی"]),
    ("inp", &["INP", "آئی این پی"]),
    ("inn", &["INN", "آئی این این"]),
    ("sana", &["SANA", "ثناء نیوز", "ثنا نیوز", "سانا"]),
    ("onlinepk", &["آن لائن"]),
    (
        "pti",
        &["PTI", "Press Trust of India", "पीटीआई", "भाषा", "پی ٹی آئی"],
    ),
    ("ani", &["ANI", "एएनआई", "اے این آئی"]),
    ("ians", &["IANS", "आईएएनएस", "آئی اے این ایس"]),
    (
        "uni",
        &[
            "UNI",
            "United News of India",
            "यूएनआई",
            "वार्ता",
            "یو این آئی",
        ],
    ),
    ("bss", &["BSS", "বাসস"]),
    ("unb", &["UNB", "ইউএনবি"]),
    // Middle East and Africa.
    ("spa", &["SPA", "Saudi Press Agency", "واس"]),
    ("wam", &["WAM", "وام"]),
    ("kuna", &["KUNA", "كونا"]),
    ("qna", &["QNA", "قنا"]),
    ("mena", &["MENA", "أ ش أ"]),
    ("petra", &["Petra", "بترا"]),
    ("irna", &["IRNA", "ایرنا", "إرنا"]),
    ("nan", &["NAN", "News Agency of Nigeria"]),
];

/// Folded spelling → agency key.
static AGENCY_OF: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for (key, names) in WIRE_AGENCIES {
        m.insert((*key).to_string(), *key);
        for n in *names {
            if let Some(f) = canonical(n) {
                m.insert(f, *key);
            }
        }
    }
    m
});

/// The key of the wire agency `name` names (any spelling of
/// [`WIRE_AGENCIES`]), if it names one.
pub fn agency(name: &str) -> Option<&'static str> {
    canonical(name).and_then(|f| AGENCY_OF.get(&f).copied())
}

/// The agency a folded name is.
fn agency_folded(folded: &str) -> Option<&'static str> {
    AGENCY_OF.get(folded).copied()
}

/// The agency a name begins with ("PA Political Correspondent",
/// "Associated Press Writer"): its first one to three words.
fn agency_prefix(name: &str) -> Option<&'static str> {
    let words: Vec<&str> = name.split_whitespace().collect();
    (1..=words.len().min(3))
        .rev()
        .find_map(|k| agency(&words[..k].join(" ")))
}

/// Words by which a news agency not in [`WIRE_AGENCIES`] names itself
/// ("National News Agency", "Continental Wire Service", "Capitol News
/// Service"): the trade's own words for a wire, as a source field gives
/// them. A syndicate ("… News Service") sells its text to papers that
/// print it, as a wire does.
const AGENCY_WORDS: [&str; 9] = [
    "news agency",
    "press agency",
    "wire service",
    "news service",
    "newswire",
    "press service",
    "telegraph agency",
    "nachrichtenagentur",
    "agence de presse",
];

/// Whether a source field names a news agency by the trade's words for
/// one ("news agency", "wire service", "news service" …), whole words
/// only; or styles itself the way a wire's metadata does, a name of two
/// or more capitalized words followed by its initials in capitals in
/// parentheses ("Northern Counties Press (NCP)", "Press Association
/// (PA)", "Agence France-Presse (AFP)"). A newspaper's source field gives
/// its name, or its name and a place or an edition ("The Times
/// (London)", "Ohio Valley Ledger (online)"); the wire's short name is
/// what it tags its copy with, and what papers credit.
///
/// Why the initials: every agency of the five English sets, each named
/// by its writer without being asked to, styles itself so, and no
/// newspaper of any set does; without it, "Northern Counties Press
/// (NCP)" (reuse-en-5) went unknown and none of its 12 derived pairs had
/// a direction with dates hidden (QUALITY.md, session 30).
///
/// ```
/// use retold_core::relate::outlets::names_itself_an_agency;
/// assert!(names_itself_an_agency("National News Agency (NNA)"));
/// assert!(names_itself_an_agency("Atlantic Wire Service"));
/// assert!(names_itself_an_agency("Northern Counties Press (NCP)"));
/// assert!(names_itself_an_agency("Agence France-Presse (AFP)"));
/// assert!(!names_itself_an_agency("Northern Counties Press"));
/// assert!(!names_itself_an_agency("The Times (London)"));
/// assert!(!names_itself_an_agency("Ohio Valley Ledger (OVLX)"));
/// assert!(!names_itself_an_agency("The Daily Clarion"));
/// assert!(!names_itself_an_agency("Environment Agency"));
/// assert!(!names_itself_an_agency("Good News Servicemen's Gazette"));
/// ```
pub fn names_itself_an_agency(source: &str) -> bool {
    names_an_agency(source) || styled_with_initials(source)
}

/// Whether `source` is a name followed by its initials in capitals in
/// parentheses ([`initials`]: a hyphenated word gives the initial of each
/// part, "France-Presse", FP).
fn styled_with_initials(source: &str) -> bool {
    let Some((name, short)) = source
        .trim()
        .strip_suffix(')')
        .and_then(|s| s.rsplit_once('('))
    else {
        return false;
    };
    let short = short.trim();
    (2..=6).contains(&short.chars().count())
        && short.chars().all(|c| c.is_uppercase() && c.is_alphabetic())
        && initials(name).contains(&short.to_lowercase())
}

/// [`names_itself_an_agency`] by the trade's words alone.
fn names_an_agency(source: &str) -> bool {
    let words: Vec<String> = source
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let joined = format!(" {} ", words.join(" "));
    AGENCY_WORDS
        .iter()
        .any(|w| joined.contains(&format!(" {w} ")))
}

/// What an article says about outlets: which it is and which it credits.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Outlets {
    /// Outlets the article is (folded, spaces removed; agencies by their
    /// key): its source and URL host, an agency tag or byline, and "told
    /// X" in its own text when it has neither source nor URL.
    pub is: Vec<String>,
    /// The wire agency whose text it is (a dateline tag of agencies only, a
    /// byline "By …, PA", or an agency as its source field), by key.
    pub wire: Option<String>,
    /// Outlets it credits: credit lines, "X reported", hosts of URLs in
    /// its text, agencies beside a desk in its dateline tag, a closing line
    /// naming an agency.
    pub credits: Vec<String>,
}

impl Outlets {
    /// The outlets it is and does not also credit (a scraped copy keeps
    /// "told X" and X's image URL).
    pub fn own(&self) -> impl Iterator<Item = &String> {
        self.is
            .iter()
            .filter(|n| !self.credits.iter().any(|c| same_outlet(n, c)))
    }

    /// The outlet it credits that `other` is, if any.
    pub fn credited_outlet_of<'o>(&self, other: &'o Outlets) -> Option<&'o String> {
        other
            .own()
            .find(|n| self.credits.iter().any(|c| same_outlet(n, c)))
    }
}

const NAME: &str = r"[\p{Lu}0-9][\p{L}\p{N}'’&.-]*(?:[ \t]+[\p{Lu}0-9][\p{L}\p{N}'’&.-]*){0,4}";

static TOLD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?-u:\b)told\s+(?:the\s+)?({NAME})"))
        .unwrap_or_else(|_| unreachable!("the pattern is valid"))
});

static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i:(?-u:\b)(?:source|sources|credit|via|courtesy(?:\s+of)?|according\s+to|(?:first\s+|originally\s+)?(?:reported|published)\s+(?:by|in)|additional\s+reporting\s+by)\s*[:\-–—]?)\s+(?:(?i:the)\s+)?({NAME})"
    ))
    .unwrap_or_else(|_| unreachable!("the pattern is valid"))
});

static REPORTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"({NAME})\s+(?:first\s+)?reported(?-u:\b)"))
        .unwrap_or_else(|_| unreachable!("the pattern is valid"))
});

static URL_HOST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:https?://|www\.)([a-z0-9][a-z0-9.-]*\.[a-z]{2,})")
        .unwrap_or_else(|_| unreachable!("the pattern is valid"))
});

/// A byline line "By Tom Reddle, PA" (or "…, Press Association", "…, PA
/// Political Correspondent").
static BYLINE_AGENCY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^\s*(?i:by)\s+[^\n,]{2,60},\s*(\p{Lu}[\p{L}.-]{1,20}(?:\s+\p{L}[\p{L}.-]*){0,3})\s*$",
    )
    .unwrap_or_else(|_| unreachable!("the pattern is valid"))
});

/// A byline line that is an agency alone: "By Press Association".
static BYLINE_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*(?i:by)\s+(\p{Lu}[\p{L}.-]*(?:\s+\p{L}[\p{L}.-]*){0,3})\s*$")
        .unwrap_or_else(|_| unreachable!("the pattern is valid"))
});

/// A dateline: up to 60 characters, then a tag in parentheses (ASCII or
/// full-width), then maybe a dash.
static DATELINE_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([^()（）\n]{0,60}?)[(（]([^()（）\n\d]{1,40})[)）]\s*([-–—:]?)")
        .unwrap_or_else(|_| unreachable!("the pattern is valid"))
});

/// A closing credit line that names an agency alone: "PA", "— Reuters",
/// "(AFP)", "Press Association".
static CLOSING_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\s\-–—(（]*([^()（）\n\d]{2,40}?)[\s)）.]*$")
        .unwrap_or_else(|_| unreachable!("the pattern is valid"))
});

/// Folded outlet name: lower case, letters and digits only, no spaces, no
/// leading "the"; `None` when under two characters (agencies go by "AP",
/// "PA").
pub fn canonical(s: &str) -> Option<String> {
    let words: Vec<String> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let words = match words.first().map(String::as_str) {
        Some("the") => &words[1..],
        _ => &words[..],
    };
    let joined: String = words.concat();
    (joined.chars().count() >= 2).then_some(joined)
}

/// A folded name with agencies as their key.
fn keyed(folded: String) -> String {
    agency_folded(&folded).map_or(folded, str::to_string)
}

/// The outlet a host names: its first label after "www.", "images." and
/// the like.
fn host_label(host: &str) -> Option<String> {
    let host = host.to_lowercase();
    let mut labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    while labels.len() > 2
        && matches!(
            labels[0],
            "www" | "images" | "image" | "img" | "cdn" | "static" | "media" | "i" | "m" | "s"
        )
    {
        labels.remove(0);
    }
    if labels.first() == Some(&"www") {
        labels.remove(0);
    }
    labels.first().and_then(|l| canonical(l))
}

/// Two folded outlet names that name one outlet.
pub fn same_outlet(a: &str, b: &str) -> bool {
    a == b || (a.len().min(b.len()) >= 5 && (a.starts_with(b) || b.starts_with(a)))
}

/// The short names an outlet's name gives itself, folded: a part in
/// parentheses ("Continental News Service (CNS)") and the initials of its
/// words, all of them and the capitalized ones ("Associated Press of
/// Pakistan": "apop", "app"). Agencies tag their datelines with these.
fn short_names(source: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = source;
    while let Some((_, after)) = rest.split_once('(') {
        let Some((inner, tail)) = after.split_once(')') else {
            break;
        };
        out.extend(canonical(inner));
        rest = tail;
    }
    out.extend(initials(source.split('(').next().unwrap_or_default()));
    out.sort();
    out.dedup();
    out
}

/// The initials of a name of two or more words ("the" aside), folded: of
/// all its words and of its capitalized ones ("Associated Press of
/// Pakistan": "apop", "app"), each of at least two letters.
fn initials(name: &str) -> Vec<String> {
    let words: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("the"))
        .collect();
    if words.len() < 2 {
        return Vec::new();
    }
    [false, true]
        .into_iter()
        .map(|capitalized_only| {
            words
                .iter()
                .filter(|w| !capitalized_only || w.chars().next().is_some_and(char::is_uppercase))
                .filter_map(|w| w.chars().next())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|i| i.chars().count() >= 2)
        .collect()
}

/// Whether what comes before a parenthesis reads as a dateline (see the
/// [module documentation](self)).
fn is_dateline(before: &str, dash: bool) -> bool {
    let words = before.split_whitespace().count();
    let marked = before
        .chars()
        .any(|c| c.is_ascii_digit() || matches!(c, ',' | '،' | '۔' | '-' | '–' | '—' | '.'));
    dash || words <= 4 || (words <= 7 && marked)
}

/// The outlet two articles both are, by their metadata: the same source
/// name (agencies by their key) or the same URL host. What a text says of
/// itself does not count: a newspaper's copy of a wire story keeps the
/// agency's dateline tag and byline, and a scraped copy keeps "told X".
/// The outlet is named as `a`'s source field writes it, or by the host.
/// `None` when they are two outlets' texts or either has no metadata.
pub fn one_outlet(a: &Article, b: &Article) -> Option<String> {
    let source = |x: &Article| x.source.as_deref().and_then(canonical).map(keyed);
    if let (Some(x), Some(y)) = (source(a), source(b)) {
        return same_outlet(&x, &y).then(|| a.source.as_deref().unwrap_or(&x).trim().to_string());
    }
    let host = |x: &Article| {
        x.url
            .as_deref()
            .and_then(crate::article::host_of)
            .and_then(|h| host_label(&h))
    };
    match (host(a), host(b)) {
        (Some(x), Some(y)) if x == y => Some(x),
        _ => None,
    }
}

/// What `article` says about outlets (see [`Outlets`]).
pub fn outlets(article: &Article) -> Outlets {
    let mut out = Outlets::default();
    let text = &article.text;
    // The source field's outlet, folded (agencies by their key).
    let source_key = article.source.as_deref().and_then(canonical).map(keyed);
    if let (Some(source), Some(key)) = (article.source.as_deref(), &source_key) {
        // A source that is a wire agency ("AP", "APP"), or begins with
        // one's name ("Press Association Wire", "Reuters UK", "AP News"),
        // marks an agency text.
        if let Some(a) = agency_folded(key).or_else(|| agency_prefix(source)) {
            out.wire = Some(a.to_string());
            if key != a {
                out.is.push(a.to_string());
            }
        } else if names_itself_an_agency(source) {
            out.wire = Some(key.clone());
        }
        out.is.push(key.clone());
    }
    if let Some(h) = article
        .url
        .as_deref()
        .and_then(crate::article::host_of)
        .and_then(|h| host_label(&h))
    {
        out.is.push(h);
    }
    let has_metadata = !out.is.is_empty();
    if !has_metadata {
        out.is.extend(
            TOLD.captures_iter(text)
                .filter_map(|c| c.get(1).and_then(|m| canonical(m.as_str()))),
        );
    }
    // A byline naming a wire agency: "By Tom Reddle, PA" or "By Press
    // Association" in the first lines of the text, or such a byline field.
    let head_lines: String = text.lines().take(6).collect::<Vec<_>>().join("\n");
    let mut byline: Vec<&'static str> = BYLINE_AGENCY
        .captures_iter(&head_lines)
        .filter_map(|c| c.get(1).and_then(|m| agency_prefix(m.as_str())))
        .chain(
            BYLINE_ONLY
                .captures_iter(&head_lines)
                .filter_map(|c| c.get(1).and_then(|m| agency(m.as_str()))),
        )
        .collect();
    if let Some(b) = article.byline.as_deref() {
        let b = b.trim();
        let b = b
            .strip_prefix("By ")
            .or_else(|| b.strip_prefix("by "))
            .unwrap_or(b);
        byline.extend(agency(b).or_else(|| {
            b.rsplit(',')
                .next()
                .and_then(|last| agency_prefix(last.trim()))
        }));
    }
    if let Some(&a) = byline.first() {
        out.wire.get_or_insert_with(|| a.to_string());
        out.is.extend(byline.iter().map(|a| a.to_string()));
    }
    // A dateline tag: "DENVER (AP) —", "ڈھاکہ ۔ یکم دسمبر (اے پی پی)".
    let head: String = text.trim_start().chars().take(160).collect();
    let tag = DATELINE_TAG.captures(&head).and_then(|c| {
        let before = c.get(1)?.as_str();
        let inner = c.get(2)?.as_str();
        let dash = c.get(3).is_some_and(|d| !d.as_str().is_empty());
        is_dateline(before, dash).then_some(inner)
    });
    if let Some(inner) = tag {
        let parts: Vec<String> = inner
            .split(['/', ',', '،', '&', '+', ';'])
            .filter(|p| p.split_whitespace().count() <= 4)
            .filter_map(canonical)
            .collect();
        let (wire, own): (Vec<String>, Vec<String>) =
            parts.into_iter().partition(|p| agency_folded(p).is_some());
        let wire: Vec<String> = wire.into_iter().map(keyed).collect();
        // An article whose source field names a non-wire outlet took the
        // tag from the agency: it credits it.
        let other_outlet = has_metadata && out.wire.is_none() && article.source.is_some();
        // A tag that names the article's own source field ("ORRIN FALLS
        // (Allied Press) -" from Allied Press) is an outlet filing its own
        // datelined copy, as agencies do, whether or not the table knows it.
        // (`own` holds no agency: its parts are folded as they are.)
        let short = article
            .source
            .as_deref()
            .map(short_names)
            .unwrap_or_default();
        let self_tag = source_key.as_ref().filter(|s| {
            wire.is_empty() && own.iter().any(|o| same_outlet(o, s) || short.contains(o))
        });
        if own.is_empty() && !wire.is_empty() && !other_outlet {
            out.wire.get_or_insert_with(|| wire[0].clone());
            out.is.extend(wire);
        } else {
            if let Some(s) = self_tag {
                out.wire.get_or_insert_with(|| s.clone());
            }
            out.credits.extend(wire);
            out.is.extend(own);
        }
    }
    // "X reported" is looked for only where "reported" is written (the
    // pattern tries a name at every capital letter).
    let reported = text.contains("reported").then_some(&*REPORTED);
    for re in std::iter::once(&*CREDIT).chain(reported) {
        out.credits.extend(
            re.captures_iter(text)
                .filter_map(|c| c.get(1).and_then(|m| canonical(m.as_str())))
                .map(keyed),
        );
    }
    // A closing line naming an agency alone credits it: an agency does not
    // sign its own copy off with its name.
    if let Some(last) = text.lines().rev().find(|l| !l.trim().is_empty()) {
        if let Some(a) = CLOSING_CREDIT
            .captures(last)
            .and_then(|c| c.get(1))
            .and_then(|m| agency(m.as_str()))
        {
            out.credits.push(a.to_string());
        }
    }
    out.credits.extend(
        URL_HOST
            .captures_iter(text)
            .filter_map(|c| c.get(1).and_then(|m| host_label(m.as_str()))),
    );
    for v in [&mut out.is, &mut out.credits] {
        v.sort();
        v.dedup();
    }
    out
}

#[cfg(test)]
mod tests;
