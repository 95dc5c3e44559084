//! Instants in UTC, to the second, written as RFC 3339 (`2025-05-01T18:30:00Z`). The caller
//! passes the current instant in; this crate never reads a clock. Local times (a meeting at
//! 19:00 in Europe/Madrid) are turned into instants by the caller, which has a time zone
//! database; the zone's name is kept beside the instant for display.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::name::ParseError;

/// Seconds since 1970-01-01T00:00:00Z, between the years 1 and 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Instant(i64);

const MIN: i64 = -62_135_596_800; // 0001-01-01T00:00:00Z
const MAX: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Instant {
    /// The instant `seconds` after the Unix epoch, if it lies in the years 1 to 9999.
    #[must_use]
    pub fn from_unix_seconds(seconds: i64) -> Option<Instant> {
        (MIN..=MAX).contains(&seconds).then_some(Instant(seconds))
    }

    #[must_use]
    pub fn unix_seconds(self) -> i64 {
        self.0
    }

    /// This instant plus `seconds` (saturating at the ends of the range).
    #[must_use]
    pub fn plus_seconds(self, seconds: i64) -> Instant {
        Instant(self.0.saturating_add(seconds).clamp(MIN, MAX))
    }

    /// Reads `YYYY-MM-DDTHH:MM:SSZ` (a lowercase `t`/`z`, a space for `T`, a fraction of a
    /// second, which is dropped, and the offset `+00:00` are accepted too). Other offsets are
    /// refused: the caller converts local times.
    pub fn parse(text: &str) -> Result<Instant, ParseError> {
        let bad = || ParseError::Instant { text: text.to_owned() };
        let b = text.as_bytes();
        if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
            return Err(bad());
        }
        if b[13] != b':' || b[16] != b':' {
            return Err(bad());
        }
        let number = |range: std::ops::Range<usize>| -> Result<i64, ParseError> {
            let digits = &text[range];
            if digits.bytes().all(|d| d.is_ascii_digit()) { digits.parse().map_err(|_| bad()) } else { Err(bad()) }
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
        let mut rest = &text[19..];
        if let Some(fraction) = rest.strip_prefix('.') {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(bad());
            }
            rest = &fraction[digits..];
        }
        if !matches!(rest, "Z" | "z" | "+00:00") {
            return Err(bad());
        }
        if year < 1 || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return Err(bad());
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(bad());
        }
        let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
        Instant::from_unix_seconds(seconds).ok_or_else(bad)
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (days, time) = (self.0.div_euclid(86_400), self.0.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        let (hour, minute, second) = (time / 3600, time / 60 % 60, time % 60);
        write!(f, "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
    }
}

impl TryFrom<String> for Instant {
    type Error = ParseError;
    fn try_from(text: String) -> Result<Instant, ParseError> {
        Instant::parse(&text)
    }
}

impl From<Instant> for String {
    fn from(instant: Instant) -> String {
        instant.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_instants_read_and_write_as_rfc_3339() {
        assert_eq!(Instant::parse("1970-01-01T00:00:00Z").unwrap().unix_seconds(), 0);
        assert_eq!(Instant::parse("2024-02-29T12:00:00Z").unwrap().unix_seconds(), 1_709_208_000);
        assert_eq!(Instant::parse("2024-02-29 12:00:00.999+00:00").unwrap().to_string(), "2024-02-29T12:00:00Z");
        assert_eq!(Instant::from_unix_seconds(MIN).unwrap().to_string(), "0001-01-01T00:00:00Z");
        assert_eq!(Instant::from_unix_seconds(MAX).unwrap().to_string(), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn impossible_dates_and_local_offsets_are_refused() {
        for bad in [
            "2023-02-29T12:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T10:00:00+02:00",
            "2024-01-01",
            "+2024-01-01T00:00:00Z",
        ] {
            assert!(Instant::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn every_instant_reads_back_from_its_text(seconds in MIN..=MAX) {
            let instant = Instant::from_unix_seconds(seconds).unwrap();
            prop_assert_eq!(Instant::parse(&instant.to_string()).unwrap(), instant);
        }
    }
}
