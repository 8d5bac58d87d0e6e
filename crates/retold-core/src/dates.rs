//! Publication dates in the many shapes feeds and pages write them.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, Zoned};

/// Parses a publication date. Times without a zone are taken as UTC; a date
/// without a time is midnight UTC. Returns `None` when nothing fits.
///
/// ```
/// use retold_core::dates::parse_date;
/// let a = parse_date("2026-03-14T10:32:00+01:00").unwrap();
/// let b = parse_date("Sat, 14 Mar 2026 09:32:00 GMT").unwrap();
/// let c = parse_date("March 14, 2026 4:32 AM EST").unwrap();
/// assert_eq!(a, b);
/// assert_eq!(b, c);
/// assert!(parse_date("soon").is_none());
/// ```
pub fn parse_date(raw: &str) -> Option<Timestamp> {
    parse_dated(raw).map(|d| d.at)
}

/// A parsed date and whether its string stated the zone or offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedDate {
    /// The instant (UTC when the string named no zone).
    pub at: Timestamp,
    /// The string named its zone or offset (`Z`, `+08:00`, `EST`, Unix time).
    pub zoned: bool,
    /// The calendar day as written, in the string's own zone.
    pub local_day: Date,
}

/// Like [`parse_date`], and says whether the zone was stated and which
/// calendar day the string wrote, so a zoneless date can be matched with a
/// zoned one of the same day.
///
/// ```
/// use retold_core::dates::parse_dated;
/// let zoneless = parse_dated("November 20, 2019 13:42").unwrap();
/// let zoned = parse_dated("2019-11-20 13:42:06+08:00").unwrap();
/// assert!(!zoneless.zoned && zoned.zoned);
/// assert_eq!(zoneless.local_day, zoned.local_day);
/// assert_eq!(zoned.at.to_string(), "2019-11-20T05:42:06Z");
/// ```
pub fn parse_dated(raw: &str) -> Option<ParsedDate> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 100 {
        return None;
    }
    let zoned = |z: Zoned| ParsedDate {
        at: z.timestamp(),
        zoned: true,
        local_day: z.date(),
    };
    let civil = |dt: DateTime| {
        utc(dt).map(|at| ParsedDate {
            at,
            zoned: false,
            local_day: dt.date(),
        })
    };
    // An RFC 3339 string with an offset: keep the offset for the local day.
    if let Ok(t) = s.parse::<Timestamp>() {
        let offset = jiff::fmt::temporal::Pieces::parse(s)
            .ok()
            .and_then(|p| p.offset())
            .and_then(|o| match o {
                jiff::fmt::temporal::PiecesOffset::Numeric(n) => Some(n.offset()),
                _ => None,
            })
            .unwrap_or(Offset::UTC);
        return Some(zoned(t.to_zoned(TimeZone::fixed(offset))));
    }
    if let Ok(z) = s.parse::<Zoned>() {
        return Some(zoned(z));
    }
    if let Ok(dt) = s.parse::<DateTime>() {
        return civil(dt);
    }
    if let Ok(d) = s.parse::<Date>() {
        return civil(d.to_datetime(Time::midnight()));
    }
    if let Ok(z) = jiff::fmt::rfc2822::parse(s) {
        return Some(zoned(z));
    }
    if let Some(t) = parse_epoch(s) {
        let z = t.to_zoned(TimeZone::UTC);
        // 20260314 is a calendar day; 10 and 13 digits are Unix time (UTC by definition).
        if s.len() == 8 {
            return civil(z.datetime());
        }
        return Some(zoned(z));
    }
    parse_loose(s)
}

/// The earliest publication date taken as real: 1990-01-01 (before the web;
/// earlier dates in pages and feeds are placeholders such as `0001-01-01`
/// or Unix time zero).
pub const EARLIEST: Timestamp = Timestamp::constant(631_152_000, 0);

/// How far past `now` a date may lie (clock skew, time zones): one day.
pub const FUTURE_SLACK_SECONDS: i64 = 86_400;

/// Why a parsed date was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Implausible {
    #[error("before 1990 (a placeholder)")]
    TooEarly,
    #[error("more than a day in the future")]
    Future,
}

/// Checks that a publication date can be real: not before [`EARLIEST`] and
/// not more than a day after `now`. `now` is passed in so the check is a
/// plain function (tests fix it; ingest passes the clock).
///
/// ```
/// use retold_core::dates::{check_plausible, parse_date, Implausible};
/// let now = parse_date("2026-03-14T12:00:00Z").unwrap();
/// let ok = parse_date("2026-03-15T06:00:00Z").unwrap();
/// assert_eq!(check_plausible(ok, now), Ok(ok));
/// let placeholder = parse_date("0001-01-01T00:00:00Z").unwrap();
/// assert_eq!(check_plausible(placeholder, now), Err(Implausible::TooEarly));
/// let later = parse_date("2026-03-16T00:00:00Z").unwrap();
/// assert_eq!(check_plausible(later, now), Err(Implausible::Future));
/// ```
pub fn check_plausible(t: Timestamp, now: Timestamp) -> Result<Timestamp, Implausible> {
    if t < EARLIEST {
        return Err(Implausible::TooEarly);
    }
    if t.as_second() > now.as_second().saturating_add(FUTURE_SLACK_SECONDS) {
        return Err(Implausible::Future);
    }
    Ok(t)
}

/// Picks the publication date among a page's or record's candidate strings,
/// best source first. The first candidate that parses to a plausible date
/// wins, except that a zoneless one gives way to a later zoned candidate of
/// the same calendar day (a visible "November 20, 2019 13:42" next to
/// JSON-LD's "2019-11-20 13:42:06+08:00": the JSON-LD one is 8 h truer).
/// When no candidate is plausible the first non-empty one is returned, so
/// the caller keeps the raw string and reports why it was not taken.
///
/// ```
/// use retold_core::dates::{choose_date, parse_date};
/// let now = parse_date("2026-01-01T00:00:00Z").unwrap();
/// let pick = |c: &[&str]| choose_date(c.iter().map(|s| s.to_string()), now);
/// assert_eq!(pick(&["0001-01-01", "2019-11-19"]).as_deref(), Some("2019-11-19"));
/// assert_eq!(
///     pick(&["November 20, 2019 13:42", "2019-11-20 13:42:06+08:00"]).as_deref(),
///     Some("2019-11-20 13:42:06+08:00")
/// );
/// assert_eq!(pick(&["", "0001-01-01"]).as_deref(), Some("0001-01-01"));
/// ```
pub fn choose_date(candidates: impl IntoIterator<Item = String>, now: Timestamp) -> Option<String> {
    let mut first_raw: Option<String> = None;
    let mut chosen: Option<(String, ParsedDate)> = None;
    for c in candidates {
        let c = c.trim().to_string();
        if c.is_empty() {
            continue;
        }
        let parsed = parse_dated(&c).filter(|p| check_plausible(p.at, now).is_ok());
        match (&chosen, parsed) {
            (None, Some(p)) => {
                if p.zoned {
                    return Some(c);
                }
                chosen = Some((c.clone(), p));
            }
            (Some((_, best)), Some(p)) if p.zoned && p.local_day == best.local_day => {
                return Some(c);
            }
            _ => {}
        }
        if first_raw.is_none() {
            first_raw = Some(c);
        }
    }
    chosen.map(|(c, _)| c).or(first_raw)
}

fn utc(dt: DateTime) -> Option<Timestamp> {
    dt.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
}

fn parse_epoch(s: &str) -> Option<Timestamp> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = s.parse().ok()?;
    match s.len() {
        // 2001..2286 in seconds or milliseconds.
        10 => Timestamp::from_second(n).ok(),
        13 => Timestamp::from_millisecond(n).ok(),
        8 => {
            let (y, m, d) = (n / 10000, (n / 100) % 100, n % 100);
            let date = Date::new(i16::try_from(y).ok()?, m as i8, d as i8).ok()?;
            utc(date.to_datetime(Time::midnight()))
        }
        _ => None,
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// English month names, in order.
pub(crate) const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// English weekday names.
pub(crate) const WEEKDAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Whether the lower-cased word `w` is a month name or a start of one of
/// three letters or more ("sep", "sept", "dec").
pub(crate) fn is_month_word(w: &str) -> bool {
    w.len() >= 3 && MONTH_NAMES.iter().any(|m| m.starts_with(w)) || w == "sept"
}

/// Whether the lower-cased word `w` is a weekday name or a start of one of
/// three letters or more.
pub(crate) fn is_weekday_word(w: &str) -> bool {
    w.len() >= 3 && WEEKDAY_NAMES.iter().any(|d| d.starts_with(w))
}

fn month_of(word: &str) -> Option<i8> {
    let w = word.to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .zip(MONTH_NAMES.iter())
        .position(|(abbr, f)| {
            w.starts_with(abbr) && f.starts_with(w.as_str()) || w == "sept" && *abbr == "sep"
        })
        .map(|i| i as i8 + 1)
}

fn zone_offset(word: &str) -> Option<i32> {
    let hours = match word.to_ascii_uppercase().as_str() {
        "UTC" | "GMT" | "Z" | "UT" => 0.0,
        "EST" => -5.0,
        "EDT" => -4.0,
        "CST" => -6.0,
        "CDT" => -5.0,
        "MST" => -7.0,
        "MDT" => -6.0,
        "PST" => -8.0,
        "PDT" => -7.0,
        "BST" | "CET" | "WAT" => 1.0,
        "CEST" | "EET" | "CAT" | "SAST" => 2.0,
        "EEST" | "MSK" | "EAT" => 3.0,
        "IST" => 5.5,
        "JST" | "KST" => 9.0,
        "AEST" => 10.0,
        "AEDT" => 11.0,
        _ => return None,
    };
    Some((hours * 3600.0) as i32)
}

/// `+0100`, `-05:00` → seconds east of UTC.
fn numeric_offset(word: &str) -> Option<i32> {
    let sign = match word.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = word[1..].chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let m: i32 = digits[2..].parse().ok()?;
    Some(sign * (h * 3600 + m * 60))
}

/// Free-form dates: "March 14, 2026", "14 Mar. 2026 10:32 am EST",
/// "Published 2026/03/14 at 10:32", "14.03.2026".
fn parse_loose(s: &str) -> Option<ParsedDate> {
    let mut year: Option<i16> = None;
    let mut month: Option<i8> = None;
    let mut day: Option<i8> = None;
    let mut time: Option<(i8, i8, i8)> = None;
    let mut pm: Option<bool> = None;
    let mut offset: Option<i32> = None;
    let mut bare_numbers: Vec<i64> = Vec::new();

    let cleaned = s.replace([',', '|'], " ");
    for raw_word in cleaned.split_whitespace() {
        let word = raw_word.trim_end_matches('.');
        if word.is_empty() {
            continue;
        }
        if let Some(off) = numeric_offset(word) {
            if time.is_some() {
                offset = Some(off);
                continue;
            }
        }
        if word.contains(':') {
            let lower = word.to_ascii_lowercase();
            let (clock, ampm) = if let Some(c) = lower.strip_suffix("pm") {
                (c.to_string(), Some(true))
            } else if let Some(c) = lower.strip_suffix("am") {
                (c.to_string(), Some(false))
            } else {
                (lower.clone(), None)
            };
            let parts: Vec<i8> = clock.split(':').filter_map(|p| p.parse().ok()).collect();
            if parts.len() >= 2 {
                time = Some((parts[0], parts[1], parts.get(2).copied().unwrap_or(0)));
                pm = ampm.or(pm);
                continue;
            }
        }
        match word.to_ascii_lowercase().as_str() {
            "pm" | "p.m" => {
                pm = Some(true);
                continue;
            }
            "am" | "a.m" => {
                pm = Some(false);
                continue;
            }
            _ => {}
        }
        if let Some(off) = zone_offset(word) {
            offset = Some(off);
            continue;
        }
        if let Some(m) = month_of(word) {
            month = Some(m);
            continue;
        }
        // 2026/03/14, 14.03.2026, 2026-03-14
        let parts: Vec<&str> = word.split(['/', '.', '-']).collect();
        if parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            let nums: Vec<i64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
            if nums.len() == 3 {
                if parts[0].len() == 4 {
                    year = i16::try_from(nums[0]).ok();
                    month = i8::try_from(nums[1]).ok();
                    day = i8::try_from(nums[2]).ok();
                } else if parts[2].len() == 4 && word.contains('.') {
                    // Dotted dates are day first in the languages that use them.
                    day = i8::try_from(nums[0]).ok();
                    month = i8::try_from(nums[1]).ok();
                    year = i16::try_from(nums[2]).ok();
                } else if parts[2].len() == 4 {
                    // Slashed dates: day first unless that cannot be.
                    let (a, b) = (nums[0], nums[1]);
                    let (d, m) = if b > 12 { (b, a) } else { (a, b) };
                    day = i8::try_from(d).ok();
                    month = i8::try_from(m).ok();
                    year = i16::try_from(nums[2]).ok();
                }
                continue;
            }
        }
        let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(n) = digits.parse::<i64>() {
                bare_numbers.push(n);
            }
        }
    }
    for n in bare_numbers {
        if (1000..=9999).contains(&n) && year.is_none() {
            year = Some(n as i16);
        } else if (0..=99).contains(&n) && day.is_none() {
            day = Some(n as i8);
        }
    }
    let date = Date::new(year?, month?, day.unwrap_or(1)).ok()?;
    let (mut h, mi, se) = time.unwrap_or((0, 0, 0));
    match pm {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    let t = Time::new(h, mi, se, 0).ok()?;
    let tz = TimeZone::fixed(Offset::from_seconds(offset.unwrap_or(0)).ok()?);
    let at = date.to_datetime(t).to_zoned(tz).ok()?.timestamp();
    Some(ParsedDate {
        at,
        zoned: offset.is_some(),
        local_day: date,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        parse_date(s)
            .map(|t| t.to_string())
            .unwrap_or_else(|| "NONE".into())
    }

    #[test]
    fn many_formats() {
        let want = "2026-03-14T09:32:00Z";
        for s in [
            "2026-03-14T09:32:00Z",
            "2026-03-14T10:32:00+01:00",
            "2026-03-14T09:32:00",
            "2026-03-14 09:32:00",
            "Sat, 14 Mar 2026 09:32:00 GMT",
            "Sat, 14 Mar 2026 10:32:00 +0100",
            "March 14, 2026 9:32 AM",
            "Mar. 14, 2026 4:32 a.m. EST",
            "14 March 2026 09:32 UTC",
            "Published 2026/03/14 at 09:32",
            "1773480720",
        ] {
            assert_eq!(iso(s), want, "{s}");
        }
    }

    #[test]
    fn date_only_is_midnight_utc() {
        assert_eq!(iso("2026-03-14"), "2026-03-14T00:00:00Z");
        assert_eq!(iso("14.03.2026"), "2026-03-14T00:00:00Z");
        assert_eq!(iso("March 14, 2026"), "2026-03-14T00:00:00Z");
        assert_eq!(iso("20260314"), "2026-03-14T00:00:00Z");
    }

    #[test]
    fn pm_and_noon() {
        assert_eq!(iso("March 14, 2026 12:05 pm"), "2026-03-14T12:05:00Z");
        assert_eq!(iso("March 14, 2026 12:05 am"), "2026-03-14T00:05:00Z");
        assert_eq!(iso("March 14, 2026 3:05PM"), "2026-03-14T15:05:00Z");
    }

    #[test]
    fn zone_stated_or_not() {
        for (s, zoned, day) in [
            ("2019-11-20T13:42:06+08:00", true, "2019-11-20"),
            ("2019-11-20T01:00:00+08:00", true, "2019-11-20"),
            ("2019-11-20T13:42:06Z", true, "2019-11-20"),
            ("2019-11-20 13:42:06", false, "2019-11-20"),
            ("November 20, 2019 13:42", false, "2019-11-20"),
            ("November 20, 2019 11:42 pm EST", true, "2019-11-20"),
            ("Wed, 20 Nov 2019 23:00:00 -0500", true, "2019-11-20"),
            ("20191120", false, "2019-11-20"),
            ("1574228526", true, "2019-11-20"),
        ] {
            let p = parse_dated(s).unwrap();
            assert_eq!(p.zoned, zoned, "{s}");
            assert_eq!(p.local_day.to_string(), day, "{s}");
        }
    }

    #[test]
    fn placeholders_and_future_are_implausible() {
        let now = parse_date("2026-03-14T12:00:00Z").unwrap();
        for (s, want) in [
            ("0001-01-01T00:00:00Z", Err(Implausible::TooEarly)),
            ("1970-01-01", Err(Implausible::TooEarly)),
            ("1989-12-31T23:59:59Z", Err(Implausible::TooEarly)),
            ("2026-03-16T00:00:00Z", Err(Implausible::Future)),
            ("2099-01-01", Err(Implausible::Future)),
        ] {
            let t = parse_date(s).unwrap();
            assert_eq!(check_plausible(t, now).map(|_| ()), want, "{s}");
        }
        for s in ["1990-01-01", "2026-03-15T11:59:00Z", "2019-11-20"] {
            let t = parse_date(s).unwrap();
            assert!(check_plausible(t, now).is_ok(), "{s}");
        }
    }

    #[test]
    fn choose_skips_placeholders_and_prefers_stated_zone() {
        let now = parse_date("2026-03-14T12:00:00Z").unwrap();
        let pick = |c: &[&str]| choose_date(c.iter().map(|s| s.to_string()), now);
        assert_eq!(
            pick(&["0001-01-01T00:00:00Z", "2019-11-19T10:00:00Z"]).as_deref(),
            Some("2019-11-19T10:00:00Z")
        );
        // A zoneless visible date gives way to the zoned JSON-LD date of that day…
        let best = pick(&["November 20, 2019 13:42", "2019-11-20 13:42:06+08:00"]).unwrap();
        assert_eq!(
            parse_date(&best).unwrap().to_string(),
            "2019-11-20T05:42:06Z"
        );
        // …but not to a zoned date of another day, nor does a zoned one give way.
        assert_eq!(
            pick(&["November 20, 2019 13:42", "2019-11-25T10:00:00+08:00"]).as_deref(),
            Some("November 20, 2019 13:42")
        );
        assert_eq!(
            pick(&["2019-11-20T13:42:00Z", "2019-11-20 13:42:06+08:00"]).as_deref(),
            Some("2019-11-20T13:42:00Z")
        );
        // Nothing plausible: the first raw string, for the caller to report.
        assert_eq!(
            pick(&["  ", "0001-01-01", "soon"]).as_deref(),
            Some("0001-01-01")
        );
        assert_eq!(pick(&["soon", "0001-01-01"]).as_deref(), Some("soon"));
        assert_eq!(pick(&[]), None);
    }

    #[test]
    fn garbage_is_none() {
        for s in ["", "yesterday", "32 March 2026", "2026-13-01", "1234"] {
            assert!(parse_date(s).is_none(), "{s}");
        }
    }
}
