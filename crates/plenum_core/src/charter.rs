//! A body's charter: its rules as data. Who may join, the quorum, the threshold each kind of
//! motion must reach, and the (usually higher) threshold for amending the charter itself. The
//! charter is changed only by a charter-amendment motion that passes that threshold.
//!
//! The rule types here are the serialisable, stable forms of `plenum_choice`'s
//! [`MotionRules`]; [`Charter::rules_for`] converts.

use std::collections::BTreeMap;
use std::fmt;

use plenum_choice::vote::motion::{Base, MotionRules, Quorum, QuorumOf, Share, Threshold};
use serde::{Deserialize, Serialize};

use crate::motion::MotionKind;
use crate::name::ParseError;

/// A share between 0 and 1, written `"p/q"` (e.g. `"2/3"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Fraction(Share);

impl Fraction {
    pub const HALF: Fraction = Fraction(Share::HALF);
    pub const TWO_THIRDS: Fraction = Fraction(Share::TWO_THIRDS);

    pub fn new(numerator: u64, denominator: u64) -> Result<Fraction, ParseError> {
        Share::new(numerator, denominator)
            .map(Fraction)
            .map_err(|_| ParseError::Share { text: format!("{numerator}/{denominator}") })
    }

    /// Reads `"p/q"` or a decimal such as `"0.6"`.
    pub fn parse(text: &str) -> Result<Fraction, ParseError> {
        Share::parse(text).map(Fraction).map_err(|_| ParseError::Share { text: text.to_owned() })
    }

    #[must_use]
    pub fn share(self) -> Share {
        self.0
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl TryFrom<String> for Fraction {
    type Error = ParseError;
    fn try_from(text: String) -> Result<Fraction, ParseError> {
        Fraction::parse(&text)
    }
}

impl From<Fraction> for String {
    fn from(fraction: Fraction) -> String {
        fraction.to_string()
    }
}

/// Whether a resident joins a body at once or on a facilitator's approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipRule {
    Open,
    ApprovalByFacilitator,
}

/// What a threshold is a share of (see [`Base`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdBase {
    VotesCast,
    VotesCastAndAbstentions,
    AllMembers,
}

/// How many yes votes a motion needs (see [`Threshold`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum ThresholdRule {
    MoreThan { share: Fraction, of: ThresholdBase },
    AtLeast { share: Fraction, of: ThresholdBase },
}

impl ThresholdRule {
    pub const SIMPLE_MAJORITY: ThresholdRule = ThresholdRule::MoreThan { share: Fraction::HALF, of: ThresholdBase::VotesCast };
    pub const TWO_THIRDS: ThresholdRule = ThresholdRule::AtLeast { share: Fraction::TWO_THIRDS, of: ThresholdBase::VotesCast };

    #[must_use]
    pub fn threshold(self) -> Threshold {
        let base = |b: ThresholdBase| match b {
            ThresholdBase::VotesCast => Base::VotesCast,
            ThresholdBase::VotesCastAndAbstentions => Base::VotesCastAndAbstentions,
            ThresholdBase::AllMembers => Base::AllMembers,
        };
        match self {
            ThresholdRule::MoreThan { share, of } => Threshold::MoreThan(share.0, base(of)),
            ThresholdRule::AtLeast { share, of } => Threshold::AtLeast(share.0, base(of)),
        }
    }
}

/// Who counts towards a quorum (see [`QuorumOf`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuorumBase {
    MembersPresent,
    BallotsCast,
}

/// How many must take part for a decision to count (see [`Quorum`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum QuorumRule {
    None,
    Count { count: u64, of: QuorumBase },
    ShareOfRoll { share: Fraction, of: QuorumBase },
}

impl QuorumRule {
    #[must_use]
    pub fn quorum(self) -> Quorum {
        let of = |b: QuorumBase| match b {
            QuorumBase::MembersPresent => QuorumOf::MembersPresent,
            QuorumBase::BallotsCast => QuorumOf::BallotsCast,
        };
        match self {
            QuorumRule::None => Quorum::None,
            QuorumRule::Count { count, of: base } => Quorum::Count(count, of(base)),
            QuorumRule::ShareOfRoll { share, of: base } => Quorum::ShareOfRoll(share.0, of(base)),
        }
    }
}

/// The rules a poll is decided by: a quorum and a threshold. Fixed when the poll opens, so a
/// later charter amendment does not change a vote already under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DecisionRule {
    pub quorum: QuorumRule,
    pub threshold: ThresholdRule,
}

impl DecisionRule {
    #[must_use]
    pub fn motion_rules(self) -> MotionRules {
        MotionRules { quorum: self.quorum.quorum(), threshold: self.threshold.threshold() }
    }
}

/// A body's rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charter {
    pub membership: MembershipRule,
    /// The quorum every poll of this body needs.
    pub quorum: QuorumRule,
    /// The threshold for kinds of motion not named in `thresholds`.
    pub default_threshold: ThresholdRule,
    /// Thresholds for particular kinds of motion.
    pub thresholds: BTreeMap<MotionKind, ThresholdRule>,
    /// The threshold a charter amendment must reach (this one is never taken from
    /// `thresholds`, so the charter cannot be amended more easily than it says).
    pub amendment: ThresholdRule,
}

impl Default for Charter {
    /// Open membership; a tenth of the roll must cast a ballot; more than half of the votes cast
    /// pass a motion; at least two-thirds of the votes cast amend the charter.
    fn default() -> Charter {
        Charter {
            membership: MembershipRule::Open,
            quorum: QuorumRule::ShareOfRoll { share: Fraction(ten_percent()), of: QuorumBase::BallotsCast },
            default_threshold: ThresholdRule::SIMPLE_MAJORITY,
            thresholds: BTreeMap::new(),
            amendment: ThresholdRule::TWO_THIRDS,
        }
    }
}

fn ten_percent() -> Share {
    // 1/10 is a valid share; `Share::new` only refuses q = 0 or p > q.
    Share::new(1, 10).unwrap_or(Share::HALF)
}

impl Charter {
    /// The rules a poll on a motion of this kind is decided by.
    #[must_use]
    pub fn rules_for(&self, kind: MotionKind) -> DecisionRule {
        let threshold = match kind {
            MotionKind::CharterAmendment => self.amendment,
            kind => self.thresholds.get(&kind).copied().unwrap_or(self.default_threshold),
        };
        DecisionRule { quorum: self.quorum, threshold }
    }

    /// The rules a poll on an amendment is decided by: the charter's rule for ordinary motions
    /// (its quorum and default threshold), whatever the kind of the motion amended.
    #[must_use]
    pub fn amendment_vote_rules(&self) -> DecisionRule {
        DecisionRule { quorum: self.quorum, threshold: self.default_threshold }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_charter_amends_itself_only_by_two_thirds() {
        let charter = Charter::default();
        assert_eq!(charter.rules_for(MotionKind::Policy).threshold, ThresholdRule::SIMPLE_MAJORITY);
        assert_eq!(charter.rules_for(MotionKind::CharterAmendment).threshold, ThresholdRule::TWO_THIRDS);
        let mut lax = charter.clone();
        lax.thresholds.insert(MotionKind::CharterAmendment, ThresholdRule::SIMPLE_MAJORITY);
        assert_eq!(lax.rules_for(MotionKind::CharterAmendment).threshold, ThresholdRule::TWO_THIRDS);
    }

    #[test]
    fn a_charter_reads_back_from_its_json() {
        let mut charter = Charter::default();
        charter.thresholds.insert(MotionKind::Procedural, ThresholdRule::SIMPLE_MAJORITY);
        let json = serde_json::to_string(&charter).unwrap();
        assert!(json.contains(r#""share":"1/10""#), "{json}");
        assert_eq!(serde_json::from_str::<Charter>(&json).unwrap(), charter);
        assert!(serde_json::from_str::<Fraction>(r#""3/2""#).is_err());
    }
}
