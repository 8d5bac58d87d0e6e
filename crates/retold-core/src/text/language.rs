//! Language identification and the per-language resources of the text
//! stage: stemmer and stop words, built once per process.
//!
//! English is told first by its function words (a cheap count over the
//! first kilobyte, see `english_by_function_words`); whatlang's trigram
//! tables read everything else. On the SemEval-2022 sample the two together
//! get 2,543 of 2,566 texts right, whatlang alone 2,542, at a fraction of the
//! cost for English (PERFORMANCE.md, session 8).

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use whatlang::Lang;

/// Below this many letters a guess is noise.
const MIN_LETTERS: usize = 20;
/// Detection reads at most this many bytes: on the 2,566 labeled texts of
/// the SemEval-2022 task 8 sample (`language_accuracy` test) 1 KB gives
/// 2,542 right against 2,545 for 4 KB, at a quarter of the cost.
const DETECT_PREFIX: usize = 1024;

/// ISO 639-1 code of the text's language, when it can be told reliably.
///
/// Returns `None` for short texts (fewer than 20 letters) and when whatlang
/// is not confident.
///
/// ```
/// use retold_core::text::detect_language;
/// let de = "Die Bundesregierung hat am Mittwoch beschlossen, die Steuern für \
///           kleine Unternehmen im kommenden Jahr deutlich zu senken.";
/// assert_eq!(detect_language(de), Some("de"));
/// assert_eq!(detect_language("ok"), None);
/// ```
pub fn detect_language(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(DETECT_PREFIX);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    if sample
        .chars()
        .filter(|c| c.is_alphabetic())
        .take(MIN_LETTERS)
        .count()
        < MIN_LETTERS
    {
        return None;
    }
    if english_by_function_words(sample) {
        return Some("en");
    }
    if icelandic_by_letters(sample) {
        return Some("is");
    }
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() {
        return None;
    }
    Some(iso639_1(info.lang()))
}

/// Words that are common in English running text and rare as words of
/// other languages written in Latin script ("in", "a", "is", "was", "die"
/// and "an" are left out: German, Dutch or Italian use them too).
const ENGLISH_FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "to", "that", "for", "with", "from", "his", "her", "this", "which", "they",
    "their", "have", "has", "were", "been", "would", "will", "said", "who", "after", "its", "than",
    "about", "there", "what", "when", "not", "but", "are", "she", "we", "you", "our", "these",
    "those", "into", "also", "more", "or", "on", "at", "by", "it", "he",
];

/// A cheap first look before whatlang: a sample of at least
/// [`MIN_FUNCTION_SAMPLE`] words, almost all in ASCII letters, of which
/// at least [`MIN_FUNCTION_SHARE`] are English function words, is English.
/// Running English prose has 35–45 % of such words; German, French,
/// Spanish, Dutch or Italian prose under 5 %. Whatlang reads the rest. It
/// is the costliest step of reading an article (a trigram table over 1 KB,
/// half the cost of the whole text stage), and most news read here is
/// English.
fn english_by_function_words(sample: &str) -> bool {
    let (mut words, mut hits, mut foreign) = (0usize, 0usize, 0usize);
    for w in sample
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        if !w.is_ascii() {
            foreign += 1;
            continue;
        }
        if w.len() > 5 {
            continue;
        }
        let mut buf = [0u8; 5];
        let buf = &mut buf[..w.len()];
        buf.copy_from_slice(w.as_bytes());
        buf.make_ascii_lowercase();
        if std::str::from_utf8(buf).is_ok_and(|l| ENGLISH_FUNCTION_WORDS.contains(&l)) {
            hits += 1;
        }
    }
    words >= MIN_FUNCTION_SAMPLE
        && foreign * 50 <= words
        && hits as f64 >= MIN_FUNCTION_SHARE * words as f64
}

/// Words a sample needs for [`english_by_function_words`].
const MIN_FUNCTION_SAMPLE: usize = 40;
/// Share of English function words that says English.
const MIN_FUNCTION_SHARE: f64 = 0.25;

/// The ISO 639-1 code of a whatlang language.
fn iso639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Epo => "eo",
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Ben => "bn",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ukr => "uk",
        Lang::Kat => "ka",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Heb => "he",
        Lang::Yid => "yi",
        Lang::Pol => "pl",
        Lang::Amh => "am",
        Lang::Jav => "jv",
        Lang::Kor => "ko",
        Lang::Nob => "nb",
        Lang::Dan => "da",
        Lang::Swe => "sv",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Nld => "nl",
        Lang::Hun => "hu",
        Lang::Ces => "cs",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mar => "mr",
        Lang::Kan => "kn",
        Lang::Ron => "ro",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Mkd => "mk",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tam => "ta",
        Lang::Vie => "vi",
        Lang::Urd => "ur",
        Lang::Tha => "th",
        Lang::Guj => "gu",
        Lang::Uzb => "uz",
        Lang::Pan => "pa",
        Lang::Aze => "az",
        Lang::Ind => "id",
        Lang::Tel => "te",
        Lang::Pes => "fa",
        Lang::Mal => "ml",
        Lang::Ori => "or",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Tuk => "tk",
        Lang::Aka => "ak",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Slk => "sk",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Hye => "hy",
        Lang::Cym => "cy",
    }
}

/// Reads a language hint ("en", "EN", "en-US", "de_AT", "deu", "fra") as a
/// known ISO 639-1 code. Unknown hints give `None`.
pub fn language_code(hint: &str) -> Option<&'static str> {
    let base = hint.trim().split(['-', '_']).next().unwrap_or("");
    if !(2..=3).contains(&base.len()) || !base.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let lower = base.to_ascii_lowercase();
    if lower.len() == 3 {
        if let Some((code, _)) = OTHER_LANGUAGES
            .iter()
            .find(|(_, three)| three.contains(&lower.as_str()))
        {
            return Some(code);
        }
        let lang = match lower.as_str() {
            // Bibliographic ISO 639-2 codes whatlang does not know.
            "ger" => Lang::Deu,
            "fre" => Lang::Fra,
            "dut" => Lang::Nld,
            "cze" => Lang::Ces,
            "gre" => Lang::Ell,
            "chi" | "zho" => Lang::Cmn,
            "per" | "fas" => Lang::Pes,
            "rum" => Lang::Ron,
            "slo" => Lang::Slk,
            "arm" => Lang::Hye,
            "geo" => Lang::Kat,
            "wel" => Lang::Cym,
            "nor" => Lang::Nob,
            code => Lang::from_code(code)?,
        };
        return Some(iso639_1(lang));
    }
    if lower == "no" {
        return Some("no");
    }
    if let Some((code, _)) = OTHER_LANGUAGES.iter().find(|(one, _)| *one == lower) {
        return Some(code);
    }
    if let Some(l) = Lang::all()
        .iter()
        .map(|&l| iso639_1(l))
        .find(|c| *c == lower)
    {
        return Some(l);
    }
    stop_words::available_languages()
        .iter()
        .copied()
        .find(|c| *c == lower)
}

/// Languages of the news that whatlang does not know, by ISO 639-1 code
/// and their ISO 639-2 codes: a hint naming one is kept (and Icelandic is
/// also told by its letters, [`icelandic_by_letters`]).
const OTHER_LANGUAGES: &[(&str, &[&str])] = &[
    ("is", &["isl", "ice"]),
    ("ga", &["gle"]),
    ("mt", &["mlt"]),
    ("sq", &["sqi", "alb"]),
    ("eu", &["eus", "baq"]),
    ("gl", &["glg"]),
    ("lb", &["ltz"]),
    ("fo", &["fao"]),
    ("sw", &["swa"]),
    ("ms", &["msa", "may"]),
];

/// Whether a sample reads as Icelandic by its letters: whatlang has no
/// Icelandic, and its guesses for it are unreliable (so the text was left
/// without a language, and a translation into Icelandic never met the
/// cross-language path). Thorn (þ) is written in no other living language,
/// eth (ð) in Icelandic and Faroese; a text with several of each, and
/// Latin letters otherwise, is Icelandic. A single þ in an English text
/// (a quoted name) is not enough.
fn icelandic_by_letters(sample: &str) -> bool {
    let (mut thorn, mut eth, mut latin) = (0usize, 0usize, 0usize);
    for c in sample.chars() {
        match c {
            'þ' | 'Þ' => thorn += 1,
            'ð' | 'Ð' => eth += 1,
            c if c.is_ascii_alphabetic() => latin += 1,
            _ => {}
        }
    }
    thorn >= 2 && eth >= 3 && (thorn + eth) * 200 >= latin
}

/// Snowball stemmer for an ISO 639-1 code, if there is one.
fn stemmer_algorithm(code: &str) -> Option<Algorithm> {
    Some(match code {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "nb" | "nn" | "no" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

/// FNV-1a: stop-word lookups hash short words, where SipHash is slow.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A fast set of short strings.
pub(crate) type WordSet = HashSet<&'static str, BuildHasherDefault<Fnv>>;

/// Stemmer and stop words of one language.
pub(crate) struct LanguageKit {
    pub(crate) stemmer: Option<Stemmer>,
    pub(crate) stop_words: WordSet,
}

/// Languages whose kit has been built, by code. Few languages are ever used
/// in one process, so a short list searched linearly is enough.
static KITS: OnceLock<std::sync::RwLock<Vec<(&'static str, &'static LanguageKit)>>> =
    OnceLock::new();

/// The kit of `code`, built on first use and kept for the process.
pub(crate) fn kit(code: &'static str) -> &'static LanguageKit {
    let kits = KITS.get_or_init(Default::default);
    if let Ok(read) = kits.read() {
        if let Some((_, k)) = read.iter().find(|(c, _)| *c == code) {
            return k;
        }
    }
    let built: &'static LanguageKit = Box::leak(Box::new(build_kit(code)));
    match kits.write() {
        Ok(mut write) => {
            if let Some((_, k)) = write.iter().find(|(c, _)| *c == code) {
                return k;
            }
            write.push((code, built));
            built
        }
        Err(_) => built,
    }
}

fn build_kit(code: &str) -> LanguageKit {
    let lookup = match code {
        "nb" | "nn" => "no",
        c => c,
    };
    let mut stop_words = WordSet::default();
    if let Some(words) = stop_words::lookup(lookup) {
        stop_words.extend(words.iter().copied());
    }
    LanguageKit {
        stemmer: stemmer_algorithm(code).map(Stemmer::create),
        stop_words,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_german_french_english() {
        let de = "Die Bundesregierung hat am Mittwoch beschlossen, die Steuern für kleine \
                  Unternehmen im kommenden Jahr deutlich zu senken. Der Finanzminister sagte, \
                  das sei ein wichtiges Signal für die Wirtschaft.";
        let fr = "Le gouvernement a annoncé mercredi une baisse des impôts pour les petites \
                  entreprises l'année prochaine. Le ministre des Finances a déclaré que \
                  c'était un signal important pour l'économie.";
        let en = "The government announced on Wednesday that taxes for small businesses \
                  will be cut next year. The finance minister said it was an important \
                  signal for the economy.";
        assert_eq!(detect_language(de), Some("de"));
        assert_eq!(detect_language(fr), Some("fr"));
        assert_eq!(detect_language(en), Some("en"));
    }

    #[test]
    fn english_is_told_by_its_function_words_and_other_languages_are_not() {
        let en = "The government announced on Wednesday that taxes for small businesses \
                  will be cut next year. The finance minister said it was an important \
                  signal for the economy, and that the cut would be paid for by savings \
                  in other parts of the budget, which the opposition has called a trick.";
        assert!(english_by_function_words(en));
        let others = [
            "Die Bundesregierung hat am Mittwoch beschlossen, die Steuern für kleine \
             Unternehmen im kommenden Jahr deutlich zu senken. Der Finanzminister sagte, \
             das sei ein wichtiges Signal für die Wirtschaft und die Beschäftigten in \
             allen Teilen des Landes, wie er in Berlin vor Journalisten erklärte.",
            "Le gouvernement a annoncé mercredi une baisse des impôts pour les petites \
             entreprises l'année prochaine. Le ministre des Finances a déclaré que \
             c'était un signal important pour l'économie et pour les salariés de toutes \
             les régions du pays, a-t-il dit devant des journalistes à Paris.",
            "De regering heeft woensdag besloten de belastingen voor kleine bedrijven \
             volgend jaar flink te verlagen. De minister van Financiën zei dat het een \
             belangrijk signaal is voor de economie en voor de werknemers in alle delen \
             van het land, zo zei hij tegen journalisten in Den Haag op woensdag.",
            "Il governo ha annunciato mercoledì un taglio delle tasse per le piccole \
             imprese il prossimo anno. Il ministro delle Finanze ha detto che era un \
             segnale importante per l'economia e per i lavoratori di tutte le regioni \
             del paese, come ha spiegato ai giornalisti a Roma nel pomeriggio di oggi.",
        ];
        for t in others {
            assert!(!english_by_function_words(t), "{t}");
            assert_ne!(detect_language(t), Some("en"), "{t}");
        }
        // Too short to be sure: left to whatlang.
        assert!(!english_by_function_words(
            "The bridge of the town and the river."
        ));
    }

    #[test]
    fn icelandic_is_told_by_its_letters() {
        let is = "Sendibílstjóri sem var að fletta í gegnum stefnumótaforrit þegar hann ók á \
                  hjólreiðamann og varð honum að bana hefur verið dæmdur í fangelsi. Hann \
                  játaði að hafa valdið dauða með hættulegum akstri, að því er fram kom.";
        assert_eq!(detect_language(is), Some("is"));
        // An English text quoting one Icelandic name stays English; a
        // Faroese-like text with eth and no thorn is not Icelandic.
        let en = "The court in Reykjavík heard that Þórður Guðmundsson had driven the van \
                  for eleven hours without a break before the crash on the ring road.";
        assert_eq!(detect_language(en), Some("en"));
        assert!(!icelandic_by_letters(
            "Við fóru heim til hennar í gjárkvøldið og sóðu tað"
        ));
        assert_eq!(language_code("is"), Some("is"));
        assert_eq!(language_code("isl"), Some("is"));
        assert_eq!(language_code("ice"), Some("is"));
        assert_eq!(language_code("ga"), Some("ga"));
    }

    #[test]
    fn short_or_empty_text_is_unknown() {
        assert_eq!(detect_language(""), None);
        assert_eq!(detect_language("Hello there"), None);
        assert_eq!(detect_language("12345 67890 !!! ??? 3.5 1,200"), None);
    }

    #[test]
    fn hints_are_read_as_iso_639_1() {
        assert_eq!(language_code("en"), Some("en"));
        assert_eq!(language_code("EN-us"), Some("en"));
        assert_eq!(language_code("de_AT"), Some("de"));
        assert_eq!(language_code("deu"), Some("de"));
        assert_eq!(language_code("fre"), Some("fr"));
        assert_eq!(language_code("no"), Some("no"));
        assert_eq!(language_code("xx"), None);
        assert_eq!(language_code("english"), None);
        assert_eq!(language_code(""), None);
    }

    #[test]
    fn kits_have_stemmers_and_stop_words() {
        let en = kit("en");
        assert!(en.stop_words.contains("the"));
        assert!(!en.stop_words.contains("government"));
        let stem = en.stemmer.as_ref().map(|s| s.stem("running").into_owned());
        assert_eq!(stem.as_deref(), Some("run"));
        assert!(kit("de").stop_words.contains("und"));
        assert!(std::ptr::eq(kit("en"), en));
        // No stemmer for Japanese; stop words may or may not exist.
        assert!(kit("ja").stemmer.is_none());
    }
}
