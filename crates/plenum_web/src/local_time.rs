//! Local times in a time zone, as people enter and read them. Daylight saving time is
//! handled by the zone database (chrono-tz): a time that falls in the spring-forward gap does
//! not exist and is refused; a time that occurs twice (autumn) is taken at its later
//! occurrence, which gives voters the longer window.

use chrono::{LocalResult, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use plenum_core::Instant;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocalTimeError {
    #[error("{text:?} is not a date and time (like 2026-03-29T19:30)")]
    Unreadable { text: String },
    #[error("{text} does not exist in {zone}: the clocks move forward then")]
    Skipped { text: String, zone: String },
    #[error("{text} is out of range")]
    OutOfRange { text: String },
}

impl LocalTimeError {
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            LocalTimeError::Unreadable { .. } => "invalid_local_time",
            LocalTimeError::Skipped { .. } => "local_time_skipped",
            LocalTimeError::OutOfRange { .. } => "invalid_local_time",
        }
    }
}

/// The instant a local date and time (`YYYY-MM-DDTHH:MM`, as an HTML `datetime-local` field
/// sends it, seconds optional) names in `zone`.
pub fn local_to_instant(text: &str, zone: Tz) -> Result<Instant, LocalTimeError> {
    let text = text.trim();
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| LocalTimeError::Unreadable { text: text.to_owned() })?;
    let local = match zone.from_local_datetime(&naive) {
        LocalResult::Single(t) => t,
        LocalResult::Ambiguous(_, later) => later,
        LocalResult::None => return Err(LocalTimeError::Skipped { text: text.to_owned(), zone: zone.name().to_owned() }),
    };
    Instant::from_unix_seconds(local.timestamp()).ok_or_else(|| LocalTimeError::OutOfRange { text: text.to_owned() })
}

/// `2026-03-29 19:30 CEST`: an instant as read in `zone`.
#[must_use]
pub fn show(instant: Instant, zone: Tz) -> String {
    match zone.timestamp_opt(instant.unix_seconds(), 0) {
        LocalResult::Single(t) => t.format("%Y-%m-%d %H:%M %Z").to_string(),
        _ => instant.to_string(),
    }
}

/// The value an HTML `datetime-local` field shows for an instant.
#[must_use]
pub fn field_value(instant: Instant, zone: Tz) -> String {
    match zone.timestamp_opt(instant.unix_seconds(), 0) {
        LocalResult::Single(t) => t.format("%Y-%m-%dT%H:%M").to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn madrid_summer_and_winter_times_have_their_offsets() {
        let madrid: Tz = "Europe/Madrid".parse().unwrap();
        assert_eq!(local_to_instant("2026-07-01T19:00", madrid).unwrap().to_string(), "2026-07-01T17:00:00Z");
        assert_eq!(local_to_instant("2026-01-15T19:00", madrid).unwrap().to_string(), "2026-01-15T18:00:00Z");
    }

    #[test]
    fn a_time_in_the_spring_gap_is_refused_and_an_autumn_repeat_takes_the_later() {
        let madrid: Tz = "Europe/Madrid".parse().unwrap();
        assert!(matches!(local_to_instant("2026-03-29T02:30", madrid), Err(LocalTimeError::Skipped { .. })));
        // 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET) on 25 October 2026.
        assert_eq!(local_to_instant("2026-10-25T02:30", madrid).unwrap().to_string(), "2026-10-25T01:30:00Z");
        assert!(local_to_instant("tomorrow", madrid).is_err());
    }

    #[test]
    fn instants_show_in_the_zone() {
        let madrid: Tz = "Europe/Madrid".parse().unwrap();
        let at = Instant::parse("2026-07-01T17:00:00Z").unwrap();
        assert_eq!(show(at, madrid), "2026-07-01 19:00 CEST");
        assert_eq!(field_value(at, madrid), "2026-07-01T19:00");
    }
}
