//! Whom an article is about: the people (or teams) of its headline and lede
//! that the text comes back to most (its *subjects*), and every name it uses.
//!
//! Two reports of different events of one kind (two players of one team
//! arrested a month apart) share the team, the city, the charge and the
//! police, and the later report often recounts the earlier event, naming
//! its player. What tells them apart is whom each is about: the name the
//! headline and lede give and the text comes back to again and again. A
//! report that recounts an earlier event names that event's subject once
//! or twice; the earlier story's reports never name the new subject at all.
//! So an article whose subject no member of an established story names is
//! not another report of that story (see
//! [`EngineConfig::subject_min_members`](super::EngineConfig::subject_min_members)).
//!
//! A subject is named the way news text names a person: in full once
//! ("Jamal Williams") and alone or after a title later ("Williams said",
//! "Mr. Trump"). Places and organizations are mostly named in full each
//! time, and a local report of an event is written from its own town: the
//! town is no subject. Computed once per article, from its analyzed text:
//! a few passes over the tokens.
//!
//! ```
//! use retold_core::story::subjects::{names, name_hash};
//! let doc = retold_core::text::analyze(
//!     "Chargers' Jamal Williams arrested on DUI suspicion\n\n\
//!      Chargers tackle Jamal Williams was arrested on suspicion of drunken driving. \
//!      Williams was pulled over early Sunday, the California Highway Patrol said. \
//!      Williams was booked into county jail. Receiver Vincent Jackson was arrested \
//!      on Jan. 6, five days before the playoff game against Pittsburgh.",
//!     Some("en"),
//! );
//! let n = names(&doc, None);
//! assert_eq!(n.subjects, vec![name_hash(&doc, "Williams")]);
//! assert!(n.vocabulary.contains(&name_hash(&doc, "Jackson")));
//! ```

use std::collections::HashMap;

use crate::changes::entities::{generic_name_word, token_similarity};
use crate::features::term_hash;
use crate::text::{tokenize, TextDoc, Token, TokenKind};

/// Word tokens at the start of the text read as its lede (the headline
/// and first sentence of a news report, whatever dateline lines come
/// between), besides the title.
pub const LEDE_WORDS: usize = 40;

/// Least mentions of a subject in the text (title included).
pub const MIN_MENTIONS: u32 = 3;

/// Least mentions of a subject, as a share of the most mentioned name's.
pub const MIN_SHARE: f64 = 0.7;

/// The names of one article, as hashes of their stems (see [`name_hash`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    /// Every name the text uses, sorted and distinct.
    pub vocabulary: Vec<u32>,
    /// The names of the title and lede mentioned at least
    /// [`MIN_MENTIONS`] times and at least [`MIN_SHARE`] as often as the
    /// most mentioned name, sorted. Empty for texts that repeat no name.
    pub subjects: Vec<u32>,
    /// Each subject as the text first writes it, lower-cased (same order).
    pub subject_words: Vec<String>,
}

/// The hash a name's stem gets in [`Names`] (the word analyzed in the
/// document's language).
pub fn name_hash(doc: &TextDoc, word: &str) -> u32 {
    tokenize(word, doc.language)
        .first()
        .map_or(0, |t| term_hash(&t.stem))
}

/// Starts with an upper-case letter.
fn capitalized(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Written in capitals throughout (an acronym, or a shouted headline): two
/// letters or more and none lower-case (a possessive `'s` aside).
fn shouted(word: &str) -> bool {
    let word = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("\u{2019}s"))
        .unwrap_or(word);
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !word.chars().any(char::is_lowercase)
}

/// Ordinals, which other reports may write in digits ("Fifth Avenue",
/// "5th Avenue"): no subject.
const ORDINALS: &[&str] = &[
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth",
];

/// A word that can be a name: a word (not a number) of two letters or more
/// that is no stop word.
fn wordlike(t: &Token) -> bool {
    t.kind == TokenKind::Word && !t.is_stop && t.stem.chars().count() >= 2
}

/// A headline in title case ("Trump Plans Meeting on Arizona Birth Bill"):
/// three words or more that can be names, all capitalized. Its capitals say
/// nothing about which words are names.
fn title_case<'a>(words: impl Iterator<Item = &'a str>) -> bool {
    let (mut all, mut upper) = (0usize, 0usize);
    for w in words {
        all += 1;
        upper += usize::from(capitalized(w));
    }
    all >= 3 && upper == all
}

/// The names of `doc` (and of its `title`, if given apart from the text).
///
/// A name is a capitalized word that the text writes with a capital inside
/// a sentence (not only at its start, in a title-case headline or in
/// capitals throughout: acronyms are left out, since other reports may
/// spell them out). Each capitalized occurrence of such a word counts as a
/// mention, wherever it stands.
pub fn names(doc: &TextDoc, title: Option<&str>) -> Names {
    let title_tokens: Vec<Token> = title.map(|t| tokenize(t, doc.language)).unwrap_or_default();
    let title_text = title.unwrap_or("");
    // 1. The vocabulary: capitalized inside a sentence of running text.
    // Words the text also writes in lower case, and titles, heads of
    // organization names and calendar words, name no one by themselves:
    // they can be no subject.
    let mut vocabulary: Vec<u32> = Vec::new();
    let mut generic: Vec<u32> = Vec::new();
    for i in 0..doc.sentences.len() {
        let tokens = doc.sentence_tokens(i);
        let words = || {
            tokens
                .iter()
                .filter(|t| wordlike(t))
                .map(|t| doc.text(t.span))
        };
        if title_case(words()) {
            continue;
        }
        for (k, t) in tokens.iter().enumerate() {
            let w = doc.text(t.span);
            if k > 0 && wordlike(t) && capitalized(w) && !shouted(w) {
                vocabulary.push(term_hash(&t.stem));
                if generic_name_word(w) || ORDINALS.iter().any(|o| o.eq_ignore_ascii_case(w)) {
                    generic.push(term_hash(&t.stem));
                }
            }
        }
    }
    vocabulary.sort_unstable();
    vocabulary.dedup();
    for t in doc.tokens.iter().filter(|t| wordlike(t)) {
        if !capitalized(doc.text(t.span)) {
            let h = term_hash(&t.stem);
            if vocabulary.binary_search(&h).is_ok() {
                generic.push(h);
            }
        }
    }
    generic.sort_unstable();
    generic.dedup();
    let people = people(doc, &vocabulary);
    // 2. Mentions, and which names the title and lede hold.
    let known = |t: &Token| -> Option<u32> {
        let h = term_hash(&t.stem);
        vocabulary.binary_search(&h).is_ok().then_some(h)
    };
    let mut mentions: HashMap<u32, u32> = HashMap::new();
    let mut lede: Vec<u32> = Vec::new();
    let mut spelled: HashMap<u32, String> = HashMap::new();
    let mut count = |t: &Token, text: &str, in_lede: bool| {
        if !wordlike(t) || !capitalized(text) {
            return;
        }
        if let Some(h) = known(t) {
            *mentions.entry(h).or_default() += 1;
            if in_lede {
                lede.push(h);
                spelled.entry(h).or_insert_with(|| text.to_lowercase());
            }
        }
    };
    for t in &title_tokens {
        count(t, title_text.get(t.span.range()).unwrap_or(""), true);
    }
    for (k, t) in doc.tokens.iter().enumerate() {
        count(t, doc.text(t.span), k < LEDE_WORDS);
    }
    let most = mentions
        .iter()
        .filter(|(h, _)| generic.binary_search(h).is_err())
        .map(|(_, &m)| m)
        .max()
        .unwrap_or(0);
    let mut subjects: Vec<u32> = lede
        .into_iter()
        .filter(|h| {
            if generic.binary_search(h).is_ok() || people.binary_search(h).is_err() {
                return false;
            }
            let m = mentions.get(h).copied().unwrap_or(0);
            m >= MIN_MENTIONS && f64::from(m) >= MIN_SHARE * f64::from(most)
        })
        .collect();
    subjects.sort_unstable();
    subjects.dedup();
    let subject_words = subjects
        .iter()
        .map(|h| spelled.get(h).cloned().unwrap_or_default())
        .collect();
    Names {
        vocabulary,
        subjects,
        subject_words,
    }
}

/// Names of `vocabulary` that the text uses the way news text names a
/// person (or a team): at least once as the last word of a longer name
/// ("Jamal Williams", "Donald J. Trump") and at least once alone or after a
/// title only ("Williams said", "Mr. Trump"). Sorted. A place or an
/// organization is mostly named in full each time ("Oster Vik", "Norholm
/// Seafoods"): the one a local report is written from is no subject of its
/// own event.
fn people(doc: &TextDoc, vocabulary: &[u32]) -> Vec<u32> {
    let mut last: Vec<u32> = Vec::new();
    let mut alone: Vec<u32> = Vec::new();
    for i in 0..doc.sentences.len() {
        let tokens = doc.sentence_tokens(i);
        if title_case(
            tokens
                .iter()
                .filter(|t| wordlike(t))
                .map(|t| doc.text(t.span)),
        ) {
            continue;
        }
        // A word of a name: capitalized, not shouted, and a name of the
        // text or a title.
        let written_as_name = |t: &Token| {
            let w = doc.text(t.span);
            t.kind == TokenKind::Word && !t.is_stop && capitalized(w) && !shouted(w)
        };
        let part = |t: &Token| {
            written_as_name(t)
                && (vocabulary.binary_search(&term_hash(&t.stem)).is_ok()
                    || generic_name_word(doc.text(t.span)))
        };
        // Two tokens written as one name: nothing but spaces between them,
        // after an abbreviation's point maybe ("Dr. Regina", "J. Trump").
        let joined = |a: &Token, b: &Token| {
            doc.clean.get(a.span.end..b.span.start).is_some_and(|g| {
                let g = g.strip_prefix('.').unwrap_or(g);
                !g.is_empty() && g.chars().all(char::is_whitespace)
            })
        };
        for (k, t) in tokens.iter().enumerate() {
            let w = doc.text(t.span);
            let h = term_hash(&t.stem);
            if !part(t) || generic_name_word(w) || vocabulary.binary_search(&h).is_err() {
                continue;
            }
            // A first name opening its sentence ("Kieran Doyle, 29, was
            // at the wheel", agency style) is not in the vocabulary, which
            // counts no sentence's first word; joined to a name of the text
            // it is one.
            let opening = |p: &Token| k == 1 && written_as_name(p);
            let before = k
                .checked_sub(1)
                .map(|p| &tokens[p])
                .filter(|p| (part(p) || opening(p)) && joined(p, t));
            let after = tokens.get(k + 1).is_some_and(|n| part(n) && joined(t, n));
            if after {
                continue;
            }
            match before {
                Some(p) if !generic_name_word(doc.text(p.span)) => last.push(h),
                _ => alone.push(h),
            }
        }
    }
    last.sort_unstable();
    last.dedup();
    alone.sort_unstable();
    alone.dedup();
    last.retain(|h| alone.binary_search(h).is_ok());
    last
}

/// Least [`token_similarity`] of a near miss: the same name garbled by a
/// spinner or a round trip through translation ("jackson" / "jakson").
pub const NEAR_MISS: f64 = 0.85;

/// Whether `text` writes a capitalized word that is a near miss of `word`
/// (lower case; not the word itself, at least four letters): a text that
/// names the subject misspelled.
///
/// ```
/// use retold_core::story::subjects::near_miss_in;
/// assert!(near_miss_in("Vincent Jackson was arrested.", "jakson"));
/// assert!(!near_miss_in("Vincent Jackson was arrested.", "williams"));
/// ```
pub fn near_miss_in(text: &str, word: &str) -> bool {
    if word.chars().count() < 4 {
        return false;
    }
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| capitalized(w) && w.chars().count() >= 4)
        .any(|w| {
            let w = w.to_lowercase();
            w != word && token_similarity(&w, word) >= NEAR_MISS
        })
}

/// Subjects of `subjects` (sorted) missing from `known` (sorted).
pub fn missing(subjects: &[u32], known: &[u32]) -> usize {
    subjects
        .iter()
        .filter(|h| known.binary_search(h).is_err())
        .count()
}

/// Merges the sorted, distinct `add` into the sorted, distinct `into`.
pub fn merge_into(into: &mut Vec<u32>, add: &[u32]) {
    if add.is_empty() {
        return;
    }
    let mut out = Vec::with_capacity(into.len() + add.len());
    let (mut i, mut j) = (0, 0);
    while i < into.len() && j < add.len() {
        match into[i].cmp(&add[j]) {
            std::cmp::Ordering::Less => {
                out.push(into[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(add[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(into[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&into[i..]);
    out.extend_from_slice(&add[j..]);
    *into = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analyze;

    const WILLIAMS: &str = "Chargers' Jamal Williams arrested on DUI suspicion\n\n\
        Posted 2/3/2009 11:11 PM\n\n\
        Chargers defensive tackle Jamal Williams was arrested on suspicion of drunken driving, \
        the team's second such arrest in less than a month. Williams was pulled over for speeding \
        early Sunday on a freeway outside downtown, the California Highway Patrol said. Williams \
        gave a blood sample. Williams was booked into county jail and later released on bail. \
        \"It's disappointing,\" general manager A.J. Smith said of the Chargers. Chargers receiver \
        Vincent Jackson was arrested for investigation of DUI on Jan. 6. Jackson is due in court \
        Feb. 17. Williams shared the team's award with quarterback Philip Rivers this season.";

    #[test]
    fn a_full_name_that_opens_its_sentence_makes_the_subject_of_agency_copy() {
        // Agency style: a lede that names no one, the full name opening the
        // next sentence, the surname alone after that.
        let text = "A delivery driver who was using a music app when he hit a cyclist was jailed today.\n\n\
            Kieran Doyle, 29, was driving a parcel van near Fenwick Cross when he struck the cyclist, \
            the court heard. Doyle admitted causing death by dangerous driving. Data from Doyle's \
            phone showed he had used the app for 40 seconds. The judge banned Doyle from driving.";
        let doc = analyze(text, Some("en"));
        let n = names(&doc, None);
        assert_eq!(n.subjects, vec![name_hash(&doc, "Doyle")]);
    }

    #[test]
    fn the_subject_is_the_repeated_name_of_the_lede() {
        let doc = analyze(WILLIAMS, Some("en"));
        let n = names(&doc, None);
        let h = |w| name_hash(&doc, w);
        // Williams: headline, lede and four more times; the Chargers four
        // times in all, under 0.7 of Williams's six.
        assert_eq!(n.subjects, vec![h("Williams")]);
        for w in [
            "Jackson", "Vincent", "Chargers", "Smith", "Rivers", "Sunday",
        ] {
            assert!(n.vocabulary.contains(&h(w)), "{w}");
        }
        // An acronym and a dateline's opening word are no names.
        for w in ["DUI", "Posted"] {
            assert!(!n.vocabulary.contains(&h(w)), "{w}");
        }
    }

    #[test]
    fn a_name_repeated_only_outside_the_lede_is_no_subject() {
        let doc = analyze(
            "The city council met on Monday to discuss the budget of the harbour, the roads \
             and the schools of the old town for the coming year. The meeting ran late into \
             the evening, and many residents came to listen to the long debate about the \
             bridge. Later, Mayor Ines Okafor spoke. Okafor said the harbour needs money. \
             Okafor asked for patience. Okafor left early.",
            Some("en"),
        );
        assert!(names(&doc, None).subjects.is_empty());
        // With a title naming her, she is the subject.
        let n = names(&doc, Some("Mayor Okafor asks for patience"));
        assert_eq!(n.subjects, vec![name_hash(&doc, "Okafor")]);
    }

    #[test]
    fn a_place_named_in_full_is_no_subject() {
        // A local report of a national story: its town and plant come back
        // again and again, always in full; the minister of the lede is a
        // person, named in full and then alone.
        let doc = analyze(
            "Oster Vik workers brace for cod cut\n\n\
             Workers at Oster Vik's two plants say they are bracing for short-time work \
             after Minister Halvard Brennock cut the cod quota. At the Norholm Seafoods plant, \
             managers told staff on Wednesday. Oster Vik's mayor asked to meet Brennock. \
             \"We cut cod at Norholm Seafoods,\" said a worker. Oster Vik depends on fishing. \
             Brennock said he would look at the case.",
            Some("en"),
        );
        let n = names(&doc, None);
        let h = |w| name_hash(&doc, w);
        for w in ["Oster", "Vik", "Norholm"] {
            assert!(n.vocabulary.contains(&h(w)), "{w}");
            assert!(!n.subjects.contains(&h(w)), "{w}");
        }
        assert_eq!(n.subjects, vec![h("Brennock")]);
    }

    #[test]
    fn title_case_headlines_add_no_names() {
        let doc = analyze(
            "Hey, Jamal Williams: Hire a Driver!\n\nThe lineman Jamal Williams was stopped again.",
            Some("en"),
        );
        let n = names(&doc, None);
        let h = |w| name_hash(&doc, w);
        assert!(n.vocabulary.contains(&h("Williams")));
        assert!(!n.vocabulary.contains(&h("Driver")));
        assert!(!n.vocabulary.contains(&h("Hire")));
    }

    #[test]
    fn short_texts_have_no_subject() {
        let doc = analyze("Police in Wexhall arrested a man on Sunday.", Some("en"));
        assert!(names(&doc, None).subjects.is_empty());
    }

    #[test]
    fn merging_and_missing_work_on_sorted_sets() {
        let mut v = vec![1, 4, 9];
        merge_into(&mut v, &[2, 4, 10]);
        assert_eq!(v, vec![1, 2, 4, 9, 10]);
        assert_eq!(missing(&[2, 3, 10], &v), 1);
        assert_eq!(missing(&[], &v), 0);
    }
}
