//! Identifiers. The application makes them (UUIDv7 for things, so they sort by creation) and
//! passes them in as text; this crate only checks their shape. Ballot ids are different: they are
//! drawn from random bytes (UUIDv4), because a UUIDv7 would carry the time the ballot was cast.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::name::ParseError;

/// Checks `text` is a lowercase hyphenated UUID of the given version with the RFC 9562 variant.
fn check_uuid(text: &str, version: u8) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 36 {
        return false;
    }
    for (i, &b) in bytes.iter().enumerate() {
        let ok = match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        };
        if !ok {
            return false;
        }
    }
    bytes[14] == b'0' + version && matches!(bytes[19], b'8' | b'9' | b'a' | b'b')
}

fn hyphenated(bytes: [u8; 16]) -> String {
    let mut text = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            text.push('-');
        }
        text.push_str(&format!("{b:02x}"));
    }
    text
}

macro_rules! uuid7_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// A UUIDv7 in lowercase hyphenated text, made by the caller.
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Accepts a lowercase hyphenated UUIDv7.
            pub fn parse(text: &str) -> Result<Self, ParseError> {
                if check_uuid(text, 7) {
                    Ok(Self(text.to_owned()))
                } else {
                    Err(ParseError::Id { id: text.to_owned() })
                }
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
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl FromStr for $name {
            type Err = ParseError;
            fn from_str(text: &str) -> Result<Self, ParseError> {
                Self::parse(text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

uuid7_id!(
    /// A resident's account.
    AccountId
);
uuid7_id!(
    /// A body (an assembly or, later, a council).
    BodyId
);
uuid7_id!(
    /// A meeting of a body.
    MeetingId
);
uuid7_id!(
    /// A motion put to a body.
    MotionId
);
uuid7_id!(
    /// An argument for or against a motion.
    ArgumentId
);
uuid7_id!(
    /// A proposed amendment to a motion.
    AmendmentId
);
uuid7_id!(
    /// A poll on a motion.
    PollId
);
uuid7_id!(
    /// An organisation (a tenants' union, a cooperative, …); a coalition is an organisation too.
    OrganisationId
);
uuid7_id!(
    /// A plank: one item of a coalition's platform, possibly shared by several platforms.
    PlankId
);
uuid7_id!(
    /// A candidate for office with a public pledge profile.
    CandidateId
);
uuid7_id!(
    /// An elected official's vote, recorded against their pledge.
    VoteRecordId
);

uuid7_id!(
    /// A participatory-budgeting cycle.
    BudgetCycleId
);
uuid7_id!(
    /// A district (a pot of its own) in a budget cycle.
    DistrictId
);
uuid7_id!(
    /// An idea submitted to a budget cycle.
    IdeaId
);
uuid7_id!(
    /// A comment on an idea.
    CommentId
);
uuid7_id!(
    /// A project of a budget cycle.
    BudgetProjectId
);

/// A secret ballot's id: a UUIDv4 made from random bytes, so it says nothing about who voted or
/// when.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BallotId(String);

impl BallotId {
    /// The UUIDv4 made of these random bytes (version and variant bits are set here).
    #[must_use]
    pub fn from_random(mut bytes: [u8; 16]) -> BallotId {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        BallotId(hyphenated(bytes))
    }

    pub fn parse(text: &str) -> Result<BallotId, ParseError> {
        if check_uuid(text, 4) { Ok(BallotId(text.to_owned())) } else { Err(ParseError::Id { id: text.to_owned() }) }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for BallotId {
    type Error = ParseError;
    fn try_from(text: String) -> Result<BallotId, ParseError> {
        BallotId::parse(&text)
    }
}

impl From<BallotId> for String {
    fn from(id: BallotId) -> String {
        id.0
    }
}

impl fmt::Display for BallotId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The code a secret voter keeps to find their ballot on the public board when the poll closes:
/// 80 random bits in Crockford base 32, as four groups of four (`7K2M-…`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReceiptCode(String);

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

impl ReceiptCode {
    #[must_use]
    pub fn from_random(bytes: [u8; 10]) -> ReceiptCode {
        let bits = bytes.iter().fold(0u128, |acc, &b| (acc << 8) | u128::from(b));
        let mut text = String::with_capacity(19);
        for i in 0..16 {
            if i > 0 && i % 4 == 0 {
                text.push('-');
            }
            let digit = (bits >> (75 - 5 * i)) & 0x1f;
            text.push(char::from(CROCKFORD[digit as usize]));
        }
        ReceiptCode(text)
    }

    /// Reads a code as a person types it: case, spaces and hyphens do not matter, and the
    /// letters Crockford reads as digits (`O`, `I`, `L`) are read as digits.
    pub fn parse(text: &str) -> Result<ReceiptCode, ParseError> {
        let bad = || ParseError::Receipt { text: text.to_owned() };
        let mut digits = String::with_capacity(16);
        for c in text.chars().filter(|c| *c != '-' && !c.is_whitespace()) {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii() || !CROCKFORD.contains(&(c as u8)) {
                return Err(bad());
            }
            digits.push(c);
        }
        if digits.len() != 16 {
            return Err(bad());
        }
        let groups: Vec<&str> = (0..4).map(|i| &digits[i * 4..i * 4 + 4]).collect();
        Ok(ReceiptCode(groups.join("-")))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ReceiptCode {
    type Error = ParseError;
    fn try_from(text: String) -> Result<ReceiptCode, ParseError> {
        ReceiptCode::parse(&text)
    }
}

impl From<ReceiptCode> for String {
    fn from(code: ReceiptCode) -> String {
        code.0
    }
}

impl fmt::Display for ReceiptCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// --- confederation ---
uuid7_id!(
    /// A sortition draw: the announced commitment, its volunteers and the people it drew.
    DrawId
);
uuid7_id!(
    /// A recall petition against a delegate.
    RecallId
);
uuid7_id!(
    /// A ratification: a council decision sent down to its constituents.
    RatificationId
);
uuid7_id!(
    /// A dispute between bodies brought to a council.
    DisputeId
);
uuid7_id!(
    /// A council's administrative task.
    TaskId
);
uuid7_id!(
    /// A delegate's report back on a council meeting.
    ReportId
);

// --- registry ---
uuid7_id!(
    /// A legal demand for registry data, as the register of legal demands records it.
    LegalDemandId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lowercase_uuid_v7_text_is_an_id() {
        assert!(BodyId::parse("01890a5d-ac96-774b-bcce-b302099a8057").is_ok());
        assert!(BodyId::parse("01890A5D-AC96-774B-BCCE-B302099A8057").is_err());
        assert!(BodyId::parse("01890a5d-ac96-474b-bcce-b302099a8057").is_err());
        assert!(BodyId::parse("01890a5d-ac96-774b-7cce-b302099a8057").is_err());
        assert!(BodyId::parse("").is_err());
    }

    #[test]
    fn ballot_ids_are_uuid_v4_whatever_the_bytes() {
        for bytes in [[0u8; 16], [0xff; 16]] {
            let id = BallotId::from_random(bytes);
            assert_eq!(BallotId::parse(id.as_str()).unwrap(), id);
        }
    }

    #[test]
    fn receipt_codes_read_back_as_people_type_them() {
        let code = ReceiptCode::from_random([0xa5; 10]);
        assert_eq!(code.as_str().len(), 19);
        let typed = code.as_str().to_lowercase().replace('-', " ").replace('1', "l");
        assert_eq!(ReceiptCode::parse(&typed).unwrap(), code);
        assert!(ReceiptCode::parse("UUUU-0000-0000-0000").is_err());
        assert!(ReceiptCode::parse("0000-0000-0000").is_err());
    }
}
