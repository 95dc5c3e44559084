//! Words and texts as the domain accepts them, parsed once at the boundary: a value of one of
//! these types is valid by construction.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a piece of input is not a valid domain value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("{id:?} is not a valid id (a lowercase hyphenated UUID of the expected version)")]
    Id { id: String },
    #[error("{text:?} is not a receipt code (16 letters and digits, e.g. 7K2M-Q9XD-0H4T-WZ3C)")]
    Receipt { text: String },
    #[error(
        "{text:?} is not a valid slug: 2 to 64 lowercase letters, digits and single hyphens, not starting or ending with one"
    )]
    Slug { text: String },
    #[error("{what} must not be empty")]
    Empty { what: &'static str },
    #[error("{what} is too long ({length} characters, at most {max})")]
    TooLong { what: &'static str, length: usize, max: usize },
    #[error("{what} must be one line without control characters")]
    NotOneLine { what: &'static str },
    #[error("{text:?} is not an http or https link")]
    Link { text: String },
    #[error("{text:?} is not an IANA time zone name (like Europe/Madrid or UTC)")]
    TimeZone { text: String },
    #[error("{text:?} is not an RFC 3339 UTC instant (like 2025-05-01T18:30:00Z)")]
    Instant { text: String },
    #[error("{text:?} is not a share p/q between 0 and 1")]
    Share { text: String },
    #[error("{text:?} is not a whole amount of money (like 250000)")]
    Amount { text: String },
    #[error("{text:?} is not a currency code (three capital letters, like EUR)")]
    Currency { text: String },
    #[error("{text:?} is not a coordinate in decimal degrees (like 41.3851, at most six decimals)")]
    Coordinate { text: String },
}

/// Trims `text` and checks its length in characters; single-line texts may hold no control
/// characters at all, multi-line ones only newlines and tabs.
fn checked(text: &str, what: &'static str, max: usize, one_line: bool) -> Result<String, ParseError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ParseError::Empty { what });
    }
    let length = text.chars().count();
    if length > max {
        return Err(ParseError::TooLong { what, length, max });
    }
    let bad_control = |c: char| c.is_control() && (one_line || !matches!(c, '\n' | '\t' | '\r'));
    if text.chars().any(bad_control) {
        return Err(ParseError::NotOneLine { what });
    }
    Ok(text.to_owned())
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $what:literal, $max:expr, $one_line:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            /// Trims the text and checks it is not empty, not too long and (for one-line
            /// texts) has no line breaks.
            pub fn parse(text: &str) -> Result<Self, ParseError> {
                checked(text, $what, $max, $one_line).map(Self)
            }

            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ParseError;
            fn try_from(text: String) -> Result<Self, ParseError> {
                Self::parse(&text)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_type!(
    /// The name a resident shows to others (not necessarily their legal name).
    DisplayName, "a display name", 80, true
);
text_type!(
    /// A one-line title: a body's name, a motion's or meeting's title, a place.
    Title, "a title", 200, true
);
text_type!(
    /// Running text: a motion, an argument, an amendment, minutes.
    Prose, "the text", 50_000, false
);

/// A body's short name in addresses (`/bodies/old-town`): 2 to 64 characters among `a-z`,
/// `0-9` and single inner hyphens.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BodySlug(String);

impl BodySlug {
    pub fn parse(text: &str) -> Result<BodySlug, ParseError> {
        let ok = (2..=64).contains(&text.len())
            && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !text.starts_with('-')
            && !text.ends_with('-')
            && !text.contains("--");
        if ok { Ok(BodySlug(text.to_owned())) } else { Err(ParseError::Slug { text: text.to_owned() }) }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for BodySlug {
    type Error = ParseError;
    fn try_from(text: String) -> Result<BodySlug, ParseError> {
        BodySlug::parse(&text)
    }
}

impl From<BodySlug> for String {
    fn from(slug: BodySlug) -> String {
        slug.0
    }
}

impl fmt::Display for BodySlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An online meeting's link: `http://` or `https://`, one line, at most 2,000 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Link(String);

impl Link {
    pub fn parse(text: &str) -> Result<Link, ParseError> {
        let text = checked(text, "a link", 2_000, true)?;
        let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
        match rest {
            Some(rest) if !rest.is_empty() && !rest.contains(char::is_whitespace) => Ok(Link(text)),
            _ => Err(ParseError::Link { text }),
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Link {
    type Error = ParseError;
    fn try_from(text: String) -> Result<Link, ParseError> {
        Link::parse(&text)
    }
}

impl From<Link> for String {
    fn from(link: Link) -> String {
        link.0
    }
}

/// An IANA time zone name (`Europe/Madrid`, `America/Argentina/Buenos_Aires`, `UTC`), checked
/// for shape only: this crate has no time zone database. The web layer resolves it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TimeZoneName(String);

impl TimeZoneName {
    pub fn parse(text: &str) -> Result<TimeZoneName, ParseError> {
        let part_ok = |p: &str| {
            !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+'))
                && p.as_bytes()[0].is_ascii_alphabetic()
        };
        if text.len() <= 64 && text.split('/').all(part_ok) {
            Ok(TimeZoneName(text.to_owned()))
        } else {
            Err(ParseError::TimeZone { text: text.to_owned() })
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TimeZoneName {
    type Error = ParseError;
    fn try_from(text: String) -> Result<TimeZoneName, ParseError> {
        TimeZoneName::parse(&text)
    }
}

impl From<TimeZoneName> for String {
    fn from(zone: TimeZoneName) -> String {
        zone.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_single_hyphens() {
        assert!(BodySlug::parse("old-town").is_ok());
        assert!(BodySlug::parse("barrio-5").is_ok());
        for bad in ["", "a", "Old-Town", "-old", "old-", "old--town", "old town", "ñu-ñu"] {
            assert!(BodySlug::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn display_names_are_trimmed_one_line_and_bounded() {
        assert_eq!(DisplayName::parse("  Ana María ").map(String::from), Ok("Ana María".to_owned()));
        assert_eq!(DisplayName::parse("   "), Err(ParseError::Empty { what: "a display name" }));
        assert!(DisplayName::parse("Ana\nMaría").is_err());
        assert!(DisplayName::parse(&"x".repeat(81)).is_err());
        assert!(Prose::parse("line one\nline two").is_ok());
    }

    #[test]
    fn links_must_be_web_links_and_zones_look_like_iana_names() {
        assert!(Link::parse("https://meet.example.org/plenum").is_ok());
        assert!(Link::parse("javascript:alert(1)").is_err());
        assert!(Link::parse("https://").is_err());
        for zone in ["UTC", "Europe/Madrid", "America/Argentina/Buenos_Aires", "Etc/GMT+3"] {
            assert!(TimeZoneName::parse(zone).is_ok(), "{zone}");
        }
        for bad in ["", "Europe/", "/Madrid", "Europe Madrid", "../etc/passwd"] {
            assert!(TimeZoneName::parse(bad).is_err(), "{bad}");
        }
    }
}
