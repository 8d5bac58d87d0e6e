//! Normalization: one canonical spelling of the same text, with offsets kept.
//!
//! Steps, per line of the raw text:
//! 1. drop invisible characters (soft hyphens, zero-width spaces, bidi marks,
//!    control characters);
//! 2. Unicode NFKC, applied chunk by chunk at normalization boundaries so
//!    that every output char still knows which raw bytes it came from;
//! 3. curly quotes and guillemets become `"` / `'`, dashes become `-`
//!    (em dashes and `--` become a spaced ` - `), every space becomes ` `;
//! 4. runs of spaces collapse, lines are trimmed, and spacing artifacts of
//!    scrapers and machine translation are repaired (`word ,`, `( text )`,
//!    `face -to -face`, `« oui »`).
//!
//! Then lines are joined where a line break only wrapped a paragraph, and
//! blank lines become one paragraph break (`\n\n`). Lines that are kept apart
//! (headings, one-paragraph-per-line scrapes) stay separated by `\n`.
//!
//! The result is idempotent: normalizing normalized text changes nothing.

use std::ops::Range;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

use super::offsets::{MapBuilder, OffsetMap};

/// Normalized text and the map of its offsets back to the raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The normalized text: lines separated by `\n`, paragraphs by `\n\n`.
    pub text: String,
    /// Offsets of `text` back into the raw input.
    pub offsets: OffsetMap,
}

/// Normalizes `raw` (see the module docs), keeping offsets.
pub fn normalize(raw: &str) -> Normalized {
    let mut out = MapBuilder::with_capacity(raw.len());
    let mut block = Block::default();
    // Raw offset where the break region before the next kept line starts.
    let mut last_line_end: Option<usize> = None;
    let mut pending_paragraph = false;
    let mut scratch = Scratch::default();

    for line in RawLines::new(raw) {
        let units = normalize_line(raw, line.content.clone(), &mut scratch);
        if units.is_empty() {
            pending_paragraph |= last_line_end.is_some();
        } else {
            let before = last_line_end.map(|end| end..line.content.start);
            if pending_paragraph {
                block.flush(raw, &mut out);
                if let Some(gap) = before.clone() {
                    push_separator(raw, &mut out, "\n\n", gap);
                }
                block.push(units, None);
            } else {
                block.push(units, before);
            }
            pending_paragraph = false;
            last_line_end = Some(line.content.end);
        }
        if line.paragraph_break {
            pending_paragraph |= last_line_end.is_some();
        }
    }
    block.flush(raw, &mut out);
    let (text, offsets) = out.finish_with_text();
    Normalized { text, offsets }
}

/// Appends a separator (`\n` or `\n\n`) standing for the raw range `gap`.
fn push_separator(raw: &str, out: &mut MapBuilder, sep: &str, gap: Range<usize>) {
    if raw.get(gap.clone()) == Some(sep) {
        out.push_copied(sep, gap.start);
    } else {
        out.push_replaced(sep, gap);
    }
}

/// One char of a normalized line and the raw bytes it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Unit {
    ch: char,
    start: usize,
    end: usize,
    /// `raw[start..end]` is exactly `ch`.
    copied: bool,
    /// Came from a guillemet: 1 = «/‹ (opening in most languages), 2 = »/›.
    guillemet: u8,
}

/// A raw line: its content range (without the break) and whether the break
/// after it is a Unicode paragraph separator.
struct RawLine {
    content: Range<usize>,
    paragraph_break: bool,
}

/// Splits raw text at every kind of line break (`\n`, `\r\n`, `\r`, VT, FF,
/// NEL, U+2028, U+2029).
struct RawLines<'a> {
    raw: &'a str,
    pos: usize,
    done: bool,
}

impl<'a> RawLines<'a> {
    fn new(raw: &'a str) -> Self {
        RawLines {
            raw,
            pos: 0,
            done: false,
        }
    }
}

impl Iterator for RawLines<'_> {
    type Item = RawLine;

    fn next(&mut self) -> Option<RawLine> {
        if self.done {
            return None;
        }
        let rest = self.raw.get(self.pos..)?;
        let start = self.pos;
        for (i, c) in rest.char_indices() {
            let at = start + i;
            let (is_break, width, para) = match c {
                '\n' | '\u{0B}' | '\u{0C}' => (true, 1, false),
                '\r' => (
                    true,
                    if rest[i + 1..].starts_with('\n') {
                        2
                    } else {
                        1
                    },
                    false,
                ),
                '\u{85}' | '\u{2028}' => (true, c.len_utf8(), false),
                '\u{2029}' => (true, c.len_utf8(), true),
                _ => (false, 0, false),
            };
            if is_break {
                self.pos = at + width;
                return Some(RawLine {
                    content: start..at,
                    paragraph_break: para,
                });
            }
        }
        self.done = true;
        self.pos = self.raw.len();
        Some(RawLine {
            content: start..self.raw.len(),
            paragraph_break: false,
        })
    }
}

/// Reused buffers for [`normalize_line`].
#[derive(Default)]
struct Scratch {
    chunk: Vec<(char, usize, usize)>,
    nfkc: Vec<char>,
}

/// Characters that carry no text: dropped before anything else.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{34F}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{FFFC}'
    ) || (c.is_control() && c != '\t')
}

/// Characters that NFKC would break into a space and a combining mark, but
/// that stand for quotes in practice: mapped before NFKC.
fn premap(c: char) -> char {
    match c {
        '\u{B4}' => '\'',
        '\u{2DD}' | '\u{2033}' | '\u{2034}' | '\u{2036}' | '\u{2037}' => '"',
        _ => c,
    }
}

/// What a char becomes after NFKC.
enum Mapped {
    Keep,
    To(char, u8),
    /// A dash between words: ` - `.
    SpacedDash,
}

fn postmap(c: char) -> Mapped {
    if c.is_ascii() {
        return match c {
            ' ' => Mapped::Keep,
            _ if c.is_ascii_whitespace() => Mapped::To(' ', 0),
            _ => Mapped::Keep,
        };
    }
    match c {
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{301D}' | '\u{301E}'
        | '\u{301F}' | '\u{275D}' | '\u{275E}' | '\u{2E42}' => Mapped::To('"', 0),
        '\u{AB}' => Mapped::To('"', 1),
        '\u{BB}' => Mapped::To('"', 2),
        '\u{2039}' => Mapped::To('\'', 1),
        '\u{203A}' => Mapped::To('\'', 2),
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{2BC}' | '\u{275B}'
        | '\u{275C}' => Mapped::To('\'', 0),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2043}' | '\u{2212}'
        | '\u{FE63}' => Mapped::To('-', 0),
        '\u{2014}' | '\u{2015}' | '\u{2E3A}' | '\u{2E3B}' | '\u{FE31}' | '\u{FE32}'
        | '\u{FE58}' => Mapped::SpacedDash,
        _ if c.is_whitespace() => Mapped::To(' ', 0),
        _ => Mapped::Keep,
    }
}

/// True when a normalization boundary lies before `c`: NFKC of the text can
/// be computed chunk by chunk between such chars.
fn starts_chunk(c: char) -> bool {
    c.is_ascii()
        || (canonical_combining_class(c) == 0
            && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes)
}

/// Char-level normalization of one raw line: steps 1 to 4 of the module docs.
fn normalize_line(raw: &str, range: Range<usize>, scratch: &mut Scratch) -> Vec<Unit> {
    let Some(line) = raw.get(range.clone()) else {
        return Vec::new();
    };
    let mut units: Vec<Unit> = Vec::with_capacity(line.len());
    if line.is_ascii() {
        push_ascii(line.as_bytes(), range.start, &mut units);
    } else {
        normalize_chars(raw, range.start, line, scratch, &mut units);
    }
    expand_double_hyphens(&mut units);
    collapse_spaces(&mut units);
    fix_spacing(&mut units);
    units
}

/// Units of ASCII bytes (NFKC already, nothing to map but control chars
/// and odd spaces).
fn push_ascii(bytes: &[u8], offset: usize, units: &mut Vec<Unit>) {
    for (i, &b) in bytes.iter().enumerate() {
        let at = offset + i;
        let (ch, copied) = match b {
            b'\t' | 0x0B | 0x0C => (' ', false),
            0x00..=0x1F | 0x7F => continue,
            _ => (char::from(b), true),
        };
        units.push(Unit {
            ch,
            start: at,
            end: at + 1,
            copied,
            guillemet: 0,
        });
    }
}

/// Steps 1 to 3 for a line with non-ASCII chars: runs of ASCII go the fast
/// way, except the last char before a non-ASCII one, which may compose with
/// it (`e` + combining acute).
fn normalize_chars(
    raw: &str,
    offset: usize,
    line: &str,
    scratch: &mut Scratch,
    units: &mut Vec<Unit>,
) {
    scratch.chunk.clear();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..].iter().take_while(|b| b.is_ascii()).count();
        let fast = if i + run < bytes.len() {
            run.saturating_sub(1)
        } else {
            run
        };
        if fast > 0 {
            flush_chunk(raw, scratch, units);
            push_ascii(&bytes[i..i + fast], offset + i, units);
            i += fast;
            continue;
        }
        let Some(c) = line[i..].chars().next() else {
            break;
        };
        let at = offset + i;
        i += c.len_utf8();
        if is_invisible(c) {
            continue;
        }
        let mapped = premap(c);
        if starts_chunk(mapped) && !scratch.chunk.is_empty() {
            flush_chunk(raw, scratch, units);
        }
        scratch.chunk.push((mapped, at, at + c.len_utf8()));
    }
    flush_chunk(raw, scratch, units);
}

/// NFKC-normalizes the pending chunk and appends its chars as units.
fn flush_chunk(raw: &str, scratch: &mut Scratch, units: &mut Vec<Unit>) {
    let chunk = &scratch.chunk;
    let (Some(first), Some(last)) = (chunk.first(), chunk.last()) else {
        return;
    };
    let whole = first.1..last.2;
    // A char is copied when the raw bytes it stands on are that very char.
    let copied = |c: char, s: usize, e: usize| {
        raw.get(s..e)
            .is_some_and(|t| t.len() == c.len_utf8() && t.starts_with(c))
    };
    let stable = chunk.len() == 1 && starts_chunk(first.0);
    if stable || is_nfkc_quick(chunk.iter().map(|t| t.0)) == IsNormalized::Yes {
        for &(c, s, e) in chunk {
            push_mapped(units, c, s, e, copied(c, s, e));
        }
    } else {
        scratch.nfkc.clear();
        scratch.nfkc.extend(chunk.iter().map(|t| t.0).nfkc());
        let same = scratch.nfkc.len() == chunk.len()
            && scratch
                .nfkc
                .iter()
                .zip(chunk.iter())
                .all(|(a, b)| *a == b.0);
        if same {
            for &(c, s, e) in chunk {
                push_mapped(units, c, s, e, copied(c, s, e));
            }
        } else {
            for &c in &scratch.nfkc {
                push_mapped(units, c, whole.start, whole.end, false);
            }
        }
    }
    scratch.chunk.clear();
}

/// Appends `c` (from raw `start..end`) after the quote/dash/space mapping.
fn push_mapped(units: &mut Vec<Unit>, c: char, start: usize, end: usize, copied: bool) {
    let unit = |ch, copied, guillemet| Unit {
        ch,
        start,
        end,
        copied,
        guillemet,
    };
    match postmap(c) {
        Mapped::Keep => units.push(unit(c, copied, 0)),
        Mapped::To(to, g) => units.push(unit(to, false, g)),
        Mapped::SpacedDash => {
            units.push(unit(' ', false, 0));
            units.push(unit('-', false, 0));
            units.push(unit(' ', false, 0));
        }
    }
}

/// `--` (and longer runs), the typewriter em dash, becomes ` - `.
fn expand_double_hyphens(units: &mut Vec<Unit>) {
    let has_run = units.windows(2).any(|w| w[0].ch == '-' && w[1].ch == '-');
    if !has_run {
        return;
    }
    let mut out = Vec::with_capacity(units.len() + 4);
    let mut i = 0;
    while i < units.len() {
        if units[i].ch == '-' {
            let mut j = i + 1;
            while j < units.len() && units[j].ch == '-' {
                j += 1;
            }
            if j - i >= 2 {
                let (start, end) = (units[i].start, units[j - 1].end);
                for ch in [' ', '-', ' '] {
                    out.push(Unit {
                        ch,
                        start,
                        end,
                        copied: false,
                        guillemet: 0,
                    });
                }
                i = j;
                continue;
            }
        }
        out.push(units[i]);
        i += 1;
    }
    *units = out;
}

/// Drops leading, trailing and repeated spaces.
fn collapse_spaces(units: &mut Vec<Unit>) {
    let mut prev_space = true;
    units.retain(|u| {
        let space = u.ch == ' ';
        let keep = !(space && prev_space);
        prev_space = space;
        keep
    });
    if units.last().is_some_and(|u| u.ch == ' ') {
        units.pop();
    }
}

/// Removes spaces that scrapers and machine translation put in the wrong
/// place. Expects collapsed spaces; every decision reads only the non-space
/// neighbours, so one pass reaches the fixed point.
fn fix_spacing(units: &mut Vec<Unit>) {
    let n = units.len();
    if n < 3 {
        return;
    }
    // Compacts in place; `prev` and `prev2` keep the original neighbours
    // that the write index may already have overwritten.
    let mut w = 0;
    let mut prev: Option<Unit> = None;
    let mut prev2: Option<char> = None;
    for r in 0..n {
        let u = units[r];
        let drop = match (u.ch, prev, units.get(r + 1).copied()) {
            (' ', Some(p), Some(nx)) => {
                let nn = units.get(r + 2).map(|u| u.ch);
                (match nx.ch {
                    // `word ,` / `word .` but not `at .5`
                    ',' | '.' => !nn.is_some_and(char::is_alphanumeric),
                    ';' | ':' | '!' | '?' | ')' | ']' | '}' => true,
                    // `face -to -face`
                    '-' => p.ch.is_alphanumeric() && nn.is_some_and(char::is_alphabetic),
                    _ => false,
                }) || matches!(p.ch, '(' | '[' | '{' | '\u{BF}' | '\u{A1}')
                    // `« oui »`: inside an opening guillemet, before a closing one
                    || (p.guillemet == 1 && prev2.is_none_or(|c| c == ' '))
                    || (nx.guillemet == 2 && nn.is_none_or(|c| c == ' ' || is_closing_punct(c)))
            }
            _ => false,
        };
        if !drop {
            units[w] = u;
            w += 1;
        }
        prev2 = prev.map(|p| p.ch);
        prev = Some(u);
    }
    units.truncate(w);
}

fn is_closing_punct(c: char) -> bool {
    matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')' | ']' | '}')
}

/// Lines of one paragraph block, waiting to be joined and emitted.
#[derive(Default)]
struct Block {
    /// Each line and the raw range of the break before it (None for the
    /// first line of the block).
    lines: Lines,
}

impl Block {
    fn push(&mut self, units: Vec<Unit>, before: Option<Range<usize>>) {
        self.lines.push((units, before));
    }

    /// Joins wrapped lines and writes the block to `out`.
    fn flush(&mut self, raw: &str, out: &mut MapBuilder) {
        let lines = std::mem::take(&mut self.lines);
        if lines.is_empty() {
            return;
        }
        // A hard-wrapped block (lines of near-equal width) is one paragraph;
        // otherwise only breaks that visibly cut a sentence are joined. The
        // width test runs again after the local joins so that a second pass
        // over the output decides the same way (idempotence).
        let joined = if looks_wrapped(&lines) {
            join_all(lines)
        } else {
            let local = join_local(lines);
            if looks_wrapped(&local) {
                join_all(local)
            } else {
                local
            }
        };
        for (units, before) in joined {
            if let Some(gap) = before {
                push_separator(raw, out, "\n", gap);
            }
            // Runs of copied chars go out as one slice.
            let mut k = 0;
            while k < units.len() {
                let u = units[k];
                let first = k;
                k += 1;
                if !u.copied {
                    out.push_replaced_char(u.ch, u.start..u.end);
                    continue;
                }
                let mut end = u.end;
                while k < units.len() && units[k].copied && units[k].start == end {
                    end = units[k].end;
                    k += 1;
                }
                match raw.get(u.start..end) {
                    Some(piece) => out.push_copied(piece, u.start),
                    None => {
                        for v in &units[first..k] {
                            out.push_copied_char(v.ch, v.start);
                        }
                    }
                }
            }
        }
    }
}

type Lines = Vec<(Vec<Unit>, Option<Range<usize>>)>;

/// Joins the breaks that [`join_kind`] finds to be wraps.
fn join_local(lines: Lines) -> Lines {
    let mut joined: Lines = Vec::with_capacity(lines.len());
    for (units, before) in lines {
        match (joined.last_mut(), before) {
            (Some((prev, _)), Some(gap)) => match join_kind(prev, &units) {
                Some(kind) => join_into(prev, units, gap, kind),
                None => joined.push((units, Some(gap))),
            },
            (_, before) => joined.push((units, before)),
        }
    }
    joined
}

/// Joins every break of a hard-wrapped block except before list items.
fn join_all(lines: Lines) -> Lines {
    let mut acc: Lines = Vec::with_capacity(2);
    for (units, before) in lines {
        let list_item = starts_list_item(&units);
        match (acc.last_mut(), before) {
            (Some((prev, _)), Some(gap)) if !list_item => {
                let kind = if ends_with_word_hyphen(prev)
                    && units.first().is_some_and(|u| u.ch.is_lowercase())
                {
                    Join::NoSpace
                } else {
                    Join::Space
                };
                join_into(prev, units, gap, kind);
            }
            (_, before) => acc.push((units, before)),
        }
    }
    acc
}

#[derive(Clone, Copy)]
enum Join {
    Space,
    NoSpace,
}

/// Whether the break between `prev` and `next` only wrapped a paragraph.
fn join_kind(prev: &[Unit], next: &[Unit]) -> Option<Join> {
    let last = prev.last()?.ch;
    let first = next.first()?.ch;
    if starts_list_item(next) {
        return None;
    }
    if ends_with_word_hyphen(prev) && first.is_lowercase() {
        return Some(Join::NoSpace);
    }
    if first.is_lowercase() && !matches!(last, '.' | '!' | '?' | ':') {
        return Some(Join::Space);
    }
    if last == ',' && first.is_alphanumeric() {
        return Some(Join::Space);
    }
    None
}

fn ends_with_word_hyphen(units: &[Unit]) -> bool {
    let n = units.len();
    n >= 2 && units[n - 1].ch == '-' && units[n - 2].ch.is_alphabetic()
}

/// `- item`, `* item`, `• item`, `1. item`, `2) item`.
fn starts_list_item(units: &[Unit]) -> bool {
    let mut it = units.iter().map(|u| u.ch);
    match it.next() {
        Some('-' | '*' | '\u{2022}' | '\u{B7}' | '\u{25AA}' | '\u{25BA}' | '\u{25CF}') => {
            it.next() == Some(' ')
        }
        Some(c) if c.is_ascii_digit() => {
            let rest: Vec<char> = it.take(4).collect();
            let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
            matches!(rest.get(digits), Some('.' | ')')) && rest.get(digits + 1) == Some(&' ')
        }
        _ => false,
    }
}

/// Appends `next` to `prev` across a line break at raw `gap`.
fn join_into(prev: &mut Vec<Unit>, next: Vec<Unit>, gap: Range<usize>, kind: Join) {
    if let Join::Space = kind {
        prev.push(Unit {
            ch: ' ',
            start: gap.start,
            end: gap.end,
            copied: false,
            guillemet: 0,
        });
    }
    prev.extend(next);
    fix_spacing(prev);
}

/// Three or more lines whose widths cluster just under a maximum of 40 to
/// 120 chars: text hard-wrapped at a fixed column.
fn looks_wrapped(lines: &[(Vec<Unit>, Option<Range<usize>>)]) -> bool {
    if lines.len() < 3 {
        return false;
    }
    let widths: Vec<usize> = lines.iter().map(|(u, _)| u.len()).collect();
    let body = &widths[..widths.len() - 1];
    let max = body.iter().copied().max().unwrap_or(0);
    if !(40..=120).contains(&max) || widths.iter().any(|&w| w > max) {
        return false;
    }
    let near = body.iter().filter(|&&w| w * 10 >= max * 7).count();
    near * 5 >= body.len() * 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        normalize(s).text
    }

    #[test]
    fn nfkc_quotes_dashes_spaces() {
        assert_eq!(norm("\u{201c}Hi,\u{201d} she said"), "\"Hi,\" she said");
        assert_eq!(norm("it\u{2019}s"), "it's");
        assert_eq!(norm("1990\u{2013}1995"), "1990-1995");
        assert_eq!(norm("wait\u{2014}what"), "wait - what");
        assert_eq!(norm("wait -- what"), "wait - what");
        assert_eq!(norm("\u{2212}5 degrees"), "-5 degrees");
        assert_eq!(norm("a\u{a0}b\u{2009}c\u{3000}d"), "a b c d");
        assert_eq!(norm("\u{fb01}ne \u{ff21}"), "fine A");
        assert_eq!(norm("wait\u{2026}"), "wait...");
        assert_eq!(norm("cafe\u{301}"), "caf\u{e9}");
    }

    #[test]
    fn invisible_chars_vanish() {
        assert_eq!(norm("co\u{ad}operate"), "cooperate");
        assert_eq!(norm("zero\u{200b}width"), "zerowidth");
        assert_eq!(norm("\u{feff}Title"), "Title");
        assert_eq!(norm("e\u{200b}\u{301}"), "\u{e9}");
    }

    #[test]
    fn spacing_artifacts_are_repaired() {
        assert_eq!(norm("a face -to -face meeting"), "a face-to-face meeting");
        assert_eq!(norm("a 32 -member team"), "a 32-member team");
        assert_eq!(norm("word , word ."), "word, word.");
        assert_eq!(norm("( text )"), "(text)");
        assert_eq!(norm("at .5 percent"), "at .5 percent");
        assert_eq!(norm("really ?"), "really?");
        assert_eq!(norm("il a dit : \u{ab} oui \u{bb} ."), "il a dit: \"oui\".");
        assert_eq!(norm("er sagte \u{bb}Ja\u{ab} und"), "er sagte \"Ja\" und");
        assert_eq!(norm("many    spaces\there"), "many spaces here");
        // A spaced dash is punctuation, not a broken compound.
        assert_eq!(norm("one - two"), "one - two");
        assert_eq!(norm("temperatures of -5"), "temperatures of -5");
    }

    #[test]
    fn paragraphs_and_wrapped_lines() {
        assert_eq!(norm("one\n\n\n  \ntwo"), "one\n\ntwo");
        assert_eq!(norm("one\r\n\r\nTwo\r\nThree"), "one\n\nTwo\nThree");
        assert_eq!(norm("  lead\n\n"), "lead");
        // A break before a lower-case word wraps the sentence.
        assert_eq!(
            norm("The mayor said\nthat it rained."),
            "The mayor said that it rained."
        );
        assert_eq!(norm("a well-\nknown fact"), "a well-known fact");
        assert_eq!(norm("apples,\nPears"), "apples, Pears");
        // Headings and one-paragraph-per-line text stay apart.
        assert_eq!(
            norm("Breaking News\nThe mayor left."),
            "Breaking News\nThe mayor left."
        );
        assert_eq!(
            norm("First para.\nSecond para."),
            "First para.\nSecond para."
        );
        assert_eq!(norm("one\u{2029}two"), "one\n\ntwo");
    }

    #[test]
    fn hard_wrapped_block_becomes_one_line() {
        let raw = "The city council voted on Tuesday to approve a new\n\
                   budget for the coming year, said Mayor Jane Smith\n\
                   Brown, who called it a turning point for the city\n\
                   and its people.";
        let n = norm(raw);
        assert!(!n.contains('\n'), "{n}");
        assert!(n.contains("Jane Smith Brown"));
        let list = "Key points of the new budget for the coming year:\n\
                    - more money for schools and for the city's parks\n\
                    - fewer police officers on the streets of the city\n\
                    - a new bridge across the river by the end of 2027";
        assert_eq!(norm(list).matches('\n').count(), 3);
    }

    #[test]
    fn offsets_point_back_into_raw() {
        let raw = "  \u{201c}Yes,\u{201d} she said\u{a0}\u{2014} then left.\n\nNext  one .";
        let n = normalize(raw);
        assert_eq!(n.text, "\"Yes,\" she said - then left.\n\nNext one.");
        let pos = n.text.find("she").unwrap_or(0);
        let o = n.offsets.to_original(pos);
        assert_eq!(&raw[o..o + 3], "she");
        let pos = n.text.find("one").unwrap_or(0);
        let o = n.offsets.to_original(pos);
        assert_eq!(&raw[o..o + 3], "one");
        let quote = n
            .offsets
            .to_original_span(super::super::Span { start: 0, end: 6 });
        assert_eq!(&raw[quote.start..quote.end], "\u{201c}Yes,\u{201d}");
        assert_eq!(n.offsets.to_original(n.text.len()), raw.len());
    }

    #[test]
    fn idempotent_on_tricky_samples() {
        for s in [
            "a - - b",
            "x , -b",
            "« oui » ,",
            "( « x » )",
            "word . . . next",
            "e\n\u{301}",
            "inter-\nnational\n, x",
            "A -\nb",
        ] {
            let once = norm(s);
            assert_eq!(norm(&once), once, "input {s:?}");
        }
    }
}
