//! Sentence splitting: UAX#29 sentence boundaries, then wrong splits merged
//! back with per-language abbreviation lists (`abbreviations/*.txt`).
//!
//! UAX#29 alone splits after "Mr.", "Sen.", "Jan.", "U.S." before a capital,
//! after initials ("J. R. Tolkien"), after "No." before a number and after
//! German ordinals ("am 3. März"). Every line of the text (a paragraph or a
//! heading) is split on its own, so a paragraph break always ends a sentence
//! and a heading without final punctuation is a sentence of its own.
//!
//! Quotes in Chinese and Japanese: UAX#29 ends a sentence after 。 and a
//! closing bracket, so 「…。」と述べた。 would become 「…。」 and a fragment
//! と述べた。 that aligns to nothing across languages. A Japanese quote in
//! corner brackets (「…」, 『…』) is part of the sentence that attributes
//! it: no break inside a bracket that closes on the same line, and a piece
//! that starts with the quotative particle (と, って) after a closing quote
//! joins it. A Chinese attribution after a closed quote (“…。”他说。,
//! 「…。」他說。) joins the quote too.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use super::language::{kit, Fnv};
use super::uax29::sentence_breaks;
use super::Span;

/// What a period after an abbreviation means (see `abbreviations/README.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Always,
    Usually,
    Number,
    Final,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    class: Class,
    /// Written capitalized in the list: matches only capitalized text.
    capital: bool,
}

type AbbrevTable = HashMap<String, Entry, BuildHasherDefault<Fnv>>;

/// The compiled-in lists, by language.
const LISTS: &[(&str, &str)] = &[
    ("en", include_str!("abbreviations/en.txt")),
    ("de", include_str!("abbreviations/de.txt")),
    ("fr", include_str!("abbreviations/fr.txt")),
    ("es", include_str!("abbreviations/es.txt")),
    ("it", include_str!("abbreviations/it.txt")),
    ("nl", include_str!("abbreviations/nl.txt")),
    ("pt", include_str!("abbreviations/pt.txt")),
];

/// Languages that write ordinal numbers with a period ("3. März").
const ORDINAL_PERIOD: &[&str] = &[
    "de", "da", "nb", "nn", "no", "fi", "hu", "cs", "sk", "pl", "hr", "sl", "sr", "tr", "et", "lv",
    "lt", "is", "fo",
];

fn parse_list(data: &str) -> AbbrevTable {
    let mut table = AbbrevTable::default();
    let mut class = Class::Usually;
    for line in data.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        match line {
            "" => continue,
            "[always]" => class = Class::Always,
            "[usually]" => class = Class::Usually,
            "[number]" => class = Class::Number,
            "[final]" => class = Class::Final,
            _ => {
                for word in line.split_whitespace() {
                    let word = word.trim_end_matches('.');
                    let capital = word.chars().next().is_some_and(char::is_uppercase);
                    table.insert(word.to_lowercase(), Entry { class, capital });
                }
            }
        }
    }
    table
}

/// The abbreviation table of `language` (English when there is no list).
fn table(language: &str) -> &'static AbbrevTable {
    static TABLES: OnceLock<Vec<AbbrevTable>> = OnceLock::new();
    let tables = TABLES.get_or_init(|| LISTS.iter().map(|(_, data)| parse_list(data)).collect());
    let i = LISTS.iter().position(|(l, _)| *l == language).unwrap_or(0);
    &tables[i]
}

/// Splits `text` (normally `TextDoc::clean`) into sentences, as byte spans
/// trimmed of surrounding whitespace, in order and non-overlapping.
pub fn split_sentences(text: &str, language: &'static str) -> Vec<Span> {
    let abbrevs = table(language);
    let ordinals = ORDINAL_PERIOD.contains(&language);
    let ctx = Context {
        abbrevs,
        language,
        ordinals,
    };
    let mut out = Vec::with_capacity(text.len() / 80 + 1);
    let mut line_start = 0;
    let mut breaks = Vec::new();
    for line in text.split('\n') {
        split_line(text, line_start, line, &ctx, &mut breaks, &mut out);
        line_start += line.len() + 1;
    }
    out
}

struct Context {
    abbrevs: &'static AbbrevTable,
    language: &'static str,
    ordinals: bool,
}

fn split_line(
    text: &str,
    offset: usize,
    line: &str,
    ctx: &Context,
    breaks: &mut Vec<usize>,
    out: &mut Vec<Span>,
) {
    let mut current: Option<Span> = None;
    sentence_breaks(line, breaks);
    drop_breaks_in_corner_brackets(line, breaks);
    let starts = std::iter::once(0).chain(breaks.iter().copied());
    let ends = breaks.iter().copied().chain(std::iter::once(line.len()));
    for (i, end) in starts.zip(ends) {
        let piece = &line[i..end];
        let Some(span) = trimmed(offset + i, piece) else {
            continue;
        };
        current = Some(match current {
            Some(prev)
                if should_merge(
                    &text[prev.start..prev.end],
                    &text[span.start..span.end],
                    ctx,
                ) =>
            {
                Span {
                    start: prev.start,
                    end: span.end,
                }
            }
            Some(prev) => {
                out.push(prev);
                span
            }
            None => span,
        });
    }
    out.extend(current);
}

/// Opening quotes and brackets of CJK text, which UAX#29 counts as `Close`
/// and so leaves at the end of the sentence before (。「 or 。“ without a
/// space between).
fn is_cjk_opening(c: char) -> bool {
    matches!(c, '「' | '『' | '“' | '‘' | '（' | '【' | '《' | '〈')
}

/// CJK fixes of the UAX#29 breaks of `line`: a break right after an
/// opening quote moves before it (。「… starts the next sentence with its
/// quote), and the breaks inside a corner-bracket quote (「…」 or 『…』,
/// nested or not) that closes on the same line are removed: in Japanese the
/// quote belongs to the sentence around it (「…。…」と述べた。).
fn drop_breaks_in_corner_brackets(line: &str, breaks: &mut Vec<usize>) {
    if breaks.is_empty() || line.is_ascii() {
        return;
    }
    let mut floor = 0;
    for b in breaks.iter_mut() {
        let mut at = *b;
        while let Some(c) = line[..at]
            .chars()
            .next_back()
            .filter(|&c| is_cjk_opening(c))
        {
            if at - c.len_utf8() <= floor {
                break;
            }
            at -= c.len_utf8();
        }
        // Only after a CJK terminator (。「): a German closing “ stays.
        if line[..at].ends_with(['。', '！', '？']) {
            *b = at;
        }
        floor = *b;
    }
    if !(line.contains('「') || line.contains('『')) {
        return;
    }
    let mut quoted: Vec<(usize, usize)> = Vec::new();
    let (mut depth, mut open) = (0usize, 0usize);
    for (i, c) in line.char_indices() {
        match c {
            '「' | '『' => {
                if depth == 0 {
                    open = i;
                }
                depth += 1;
            }
            '」' | '』' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    quoted.push((open, i));
                }
            }
            _ => {}
        }
    }
    breaks.retain(|&b| !quoted.iter().any(|&(s, e)| s < b && b <= e));
}

/// Whether `prev` ends a quote (a sentence terminator and a closing quote)
/// and `next` is its attribution: Japanese と述べた。 or って…, Chinese
/// 他说。 or 她补充道，… (a short clause ending in a verb of saying).
fn attribution_after_quote(prev: &str, next: &str) -> bool {
    let mut tail = prev.chars().rev();
    let closed = matches!(tail.next(), Some('」' | '』' | '”'));
    if !(closed && matches!(tail.next(), Some('。' | '！' | '？' | '!' | '?' | '.'))) {
        return false;
    }
    if next.starts_with('と') || next.starts_with("って") {
        return true;
    }
    let clause = next
        .split(['，', '。', '：', ',', ':', '；'])
        .next()
        .unwrap_or("");
    let n = clause.chars().count();
    (1..=14).contains(&n)
        && clause.len() < next.len()
        && !clause.contains(['“', '”', '「', '」', '"'])
        && SAYING.iter().any(|v| clause.ends_with(v))
}

/// Chinese verbs of saying that end an attribution clause.
const SAYING: &[&str] = &[
    "说", "說", "道", "表示", "称", "稱", "指出", "问", "問", "强调", "強調", "补充", "補充",
];

/// The span of `piece` (at `start`) without surrounding whitespace.
fn trimmed(start: usize, piece: &str) -> Option<Span> {
    let lead = piece.len() - piece.trim_start().len();
    let body = piece.trim();
    if body.is_empty() {
        return None;
    }
    Some(Span {
        start: start + lead,
        end: start + lead + body.len(),
    })
}

fn is_opening(c: char) -> bool {
    matches!(c, '"' | '\'' | '(' | '[' | '{' | '\u{BF}' | '\u{A1}')
}

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '}')
}

/// Whether UAX#29 split `prev | next` wrongly.
fn should_merge(prev: &str, next: &str, ctx: &Context) -> bool {
    // A piece without letters is a list number ("1."), a stray quote or a
    // dash: it belongs with its neighbour.
    if !prev.chars().any(char::is_alphabetic) && prev.chars().count() <= 4 {
        return true;
    }
    if !next.chars().any(char::is_alphanumeric) {
        return true;
    }
    if attribution_after_quote(prev, next) {
        return true;
    }
    let next_word = next
        .trim_start_matches(is_opening)
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .next()
        .unwrap_or("");
    let Some(next_first) = next_word.chars().next() else {
        return false;
    };
    let body = prev.trim_end_matches(is_closing);
    let quoted = body.len() < prev.len();
    let Some(end) = body.chars().next_back() else {
        return false;
    };
    // `"Why?" he asked.` — a quote closed by ?/! and continued in lower case.
    if matches!(end, '?' | '!') {
        return next_first.is_lowercase();
    }
    if end != '.' || quoted {
        return false;
    }
    let before = &body[..body.len() - 1];
    if before.ends_with('.') {
        // An ellipsis: UAX#29 only splits it before a capital; keep that.
        return false;
    }
    if next_first.is_lowercase() {
        return true;
    }
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '.')
        .last()
        .map_or(before.len(), |(i, _)| i);
    let word = before[word_start..].trim_start_matches('.');
    if word.is_empty() {
        return false;
    }
    let starts_number = next_first.is_numeric();
    let next_is_stop = || {
        let lower = next_word.to_lowercase();
        kit(ctx.language).stop_words.contains(lower.as_str())
    };
    let usually = || starts_number || !next_is_stop();
    match lookup(ctx.abbrevs, word) {
        Some(Class::Always) => true,
        Some(Class::Number) => starts_number,
        Some(Class::Usually) => usually(),
        Some(Class::Final) => false,
        None => {
            let mut chars = word.chars();
            let first = chars.next();
            let single = chars.next().is_none();
            if single && first.is_some_and(char::is_uppercase) {
                // An initial: "J. R. Tolkien".
                return usually();
            }
            if is_dotted_acronym(word) {
                return usually();
            }
            if ctx.ordinals
                && word.len() <= 3
                && word.bytes().all(|b| b.is_ascii_digit())
                && next_first.is_uppercase()
            {
                // "am 3. März", "der 2. Weltkrieg"; not "im Jahr 2024. Die ..."
                return !next_is_stop();
            }
            false
        }
    }
}

fn lookup(table: &AbbrevTable, word: &str) -> Option<Class> {
    if word.len() > 12 {
        return None;
    }
    let entry = table.get(word.to_lowercase().as_str())?;
    if entry.capital && !word.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    Some(entry.class)
}

/// `U.S`, `N.Y.C`, `e.g`: letters in groups of one or two joined by periods.
fn is_dotted_acronym(word: &str) -> bool {
    word.contains('.')
        && word.split('.').all(|part| {
            (1..=2).contains(&part.chars().count()) && part.chars().all(char::is_alphabetic)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split<'a>(text: &'a str, lang: &'static str) -> Vec<&'a str> {
        split_sentences(text, lang)
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn plain_sentences() {
        assert_eq!(
            split("The mayor spoke. Then she left! Why? Nobody knows.", "en"),
            [
                "The mayor spoke.",
                "Then she left!",
                "Why?",
                "Nobody knows."
            ]
        );
    }

    #[test]
    fn titles_never_end_a_sentence() {
        for t in [
            "Mr.", "Mrs.", "Dr.", "Sen.", "Gov.", "Prof.", "Rep.", "Gen.",
        ] {
            let text = format!("Yesterday {t} Smith spoke. He left.");
            assert_eq!(split(&text, "en").len(), 2, "{text}");
        }
        assert_eq!(
            split("He met Dr. The Rock.", "en"),
            ["He met Dr. The Rock."]
        );
    }

    #[test]
    fn usual_abbreviations_split_only_before_a_stop_word() {
        assert_eq!(split("He lives on St. Mark's Place.", "en").len(), 1);
        assert_eq!(split("He moved to St. Louis in May.", "en").len(), 1);
        assert_eq!(split("The U.S. Army said so. It left.", "en").len(), 2);
        assert_eq!(
            split("She moved to the U.S. The next day she left.", "en"),
            ["She moved to the U.S.", "The next day she left."]
        );
        assert_eq!(split("The U.K. Government agreed.", "en").len(), 1);
        assert_eq!(
            split("It works with Apple Inc. The deal closed.", "en").len(),
            2
        );
        assert_eq!(split("Apple Inc. Chief Tim Cook spoke.", "en").len(), 1);
        assert_eq!(split("On Jan. 5 the vote was held.", "en").len(), 1);
        assert_eq!(
            split("It was held on Jan. 5. The count began.", "en").len(),
            2
        );
        assert_eq!(split("Take fruit, e.g. Apples and pears.", "en").len(), 1);
        assert_eq!(
            split("Trade rose in the U.S. Over the year it fell.", "en").len(),
            2
        );
    }

    #[test]
    fn numbers_after_no_and_decimals() {
        assert_eq!(split("He is ranked No. 5 in the world.", "en").len(), 1);
        assert_eq!(split("He said no. The vote failed.", "en").len(), 2);
        assert_eq!(
            split("Growth was 3.5 percent. Prices rose 1,200.5 points.", "en").len(),
            2
        );
    }

    #[test]
    fn initials() {
        assert_eq!(
            split("J. R. R. Tolkien wrote it. He died.", "en"),
            ["J. R. R. Tolkien wrote it.", "He died."]
        );
        assert_eq!(
            split("The author, George R. R. Martin, spoke.", "en").len(),
            1
        );
        assert_eq!(split("It was World War I. The end came.", "en").len(), 2);
    }

    #[test]
    fn ellipses() {
        assert_eq!(split("He paused... and then went on.", "en").len(), 1);
        assert_eq!(split("We waited... Nothing happened.", "en").len(), 2);
        assert_eq!(
            split("The results were... surprising, she said.", "en").len(),
            1
        );
    }

    #[test]
    fn quotes_stay_with_their_sentence() {
        assert_eq!(
            split("\"We will rebuild.\" The mayor left.", "en"),
            ["\"We will rebuild.\"", "The mayor left."]
        );
        assert_eq!(
            split("\"Why?\" he asked. She shrugged.", "en"),
            ["\"Why?\" he asked.", "She shrugged."]
        );
        assert_eq!(
            split("He said: \"It is over.\" Then silence.", "en").len(),
            2
        );
        assert_eq!(split("'Go home,' she said. He went.", "en").len(), 2);
    }

    #[test]
    fn japanese_quotes_keep_their_attribution() {
        assert_eq!(
            split("「我々は再建する。」と市長は述べた。会見は終わった。", "ja"),
            ["「我々は再建する。」と市長は述べた。", "会見は終わった。"]
        );
        // A quote of several sentences is one sentence with its attribution.
        assert_eq!(
            split(
                "会長は「彼は善良な人物だ。最高の季節をくれた」と述べた。次の試合は土曜日だ。",
                "ja"
            ),
            [
                "会長は「彼は善良な人物だ。最高の季節をくれた」と述べた。",
                "次の試合は土曜日だ。"
            ]
        );
        assert_eq!(
            split("『本当か？』って聞かれた。答えなかった。", "ja"),
            ["『本当か？』って聞かれた。", "答えなかった。"]
        );
        assert_eq!(
            split(
                "彼女は「毎週『あれは私の人生だ』という手紙が届く。贈り物だ。」と話した。",
                "ja"
            )
            .len(),
            1
        );
        // A quote after a sentence starts the next one with its bracket.
        assert_eq!(
            split(
                "「父は眠った」と彼は語った。「誇りに思ってくれたはずです」",
                "ja"
            ),
            [
                "「父は眠った」と彼は語った。",
                "「誇りに思ってくれたはずです」"
            ]
        );
        // A quote standing alone stays a sentence; plain sentences split.
        assert_eq!(
            split("「安全が第一だ。」市長は会見を終えた。", "ja"),
            ["「安全が第一だ。」", "市長は会見を終えた。"]
        );
        assert_eq!(split("橋は閉鎖された。修理は16週間かかる。", "ja").len(), 2);
        // German closes a quote with “: it stays with its sentence.
        assert_eq!(
            split(
                "Er sagte: „Es ist vorbei.“ Dann ging er. „Nein.“Sie blieb.",
                "de"
            ),
            [
                "Er sagte: „Es ist vorbei.“",
                "Dann ging er.",
                "„Nein.“",
                "Sie blieb."
            ]
        );
        // A bracket that does not close on the line breaks as before.
        assert_eq!(split("彼は「待て。話は終わっていない。", "ja").len(), 2);
    }

    #[test]
    fn chinese_attribution_joins_its_quote() {
        assert_eq!(
            split("“他们在最后一刻投票。”安布勒说。“我们的提议没有被提交。”她补充道。学生们将继续抗议。", "zh"),
            [
                "“他们在最后一刻投票。”安布勒说。",
                "“我们的提议没有被提交。”她补充道。",
                "学生们将继续抗议。"
            ]
        );
        assert_eq!(
            split("「我們會重建。」市長說。會議結束了。", "zh"),
            ["「我們會重建。」市長說。", "會議結束了。"]
        );
        // A new sentence after a quote is not an attribution.
        assert_eq!(
            split(
                "“安全第一。”市政府随后宣布将于周一召开紧急会议讨论此事。",
                "zh"
            )
            .len(),
            2
        );
    }

    #[test]
    fn paragraphs_and_headings() {
        let text = "Storm Hits City\nThe storm hit the city on Monday\n\nIt left. Nobody stayed";
        assert_eq!(
            split(text, "en"),
            [
                "Storm Hits City",
                "The storm hit the city on Monday",
                "It left.",
                "Nobody stayed"
            ]
        );
    }

    #[test]
    fn list_numbers_join_their_item() {
        assert_eq!(
            split("1. Buy milk.\n2. Sell bread.", "en"),
            ["1. Buy milk.", "2. Sell bread."]
        );
    }

    #[test]
    fn german_ordinals_and_abbreviations() {
        assert_eq!(
            split("Die Wahl findet am 3. März statt. Alle gehen hin.", "de").len(),
            2
        );
        assert_eq!(split("Im 20. Jahrhundert war das anders.", "de").len(), 1);
        assert_eq!(
            split(
                "Er wurde im Jahr 1990 geboren. Die Eltern lebten in Bonn.",
                "de"
            )
            .len(),
            2
        );
        assert_eq!(split("Er kam z.B. Am Montag nicht.", "de").len(), 1);
        assert_eq!(
            split("Es gibt Äpfel, Birnen usw. Die Auswahl ist groß.", "de").len(),
            2
        );
        assert_eq!(split("Laut Art. 5 ist das erlaubt.", "de").len(), 1);
        // English has no period ordinals.
        assert_eq!(split("He was born in 1990. Mozart was not.", "en").len(), 2);
    }

    #[test]
    fn french_titles() {
        assert_eq!(split("M. Macron a parlé. Il est parti.", "fr").len(), 2);
        assert_eq!(split("Selon M. Le Pen, tout va bien.", "fr").len(), 1);
    }

    #[test]
    fn time_abbreviations_may_end_a_sentence() {
        assert_eq!(split("It ended at 5 p.m. Officials left.", "en").len(), 2);
        assert_eq!(split("It ended at 5 p.m. on Monday.", "en").len(), 1);
    }
}
