//! Deciding motions: yes / no / abstain with quorum and thresholds, consent, and consensus with a
//! fallback.
//!
//! Everything is exact: thresholds are fractions `p/q`, compared by cross-multiplication in
//! integers, so "two-thirds" means two-thirds and 40 of 60 passes "at least two-thirds".

use std::fmt;

/// A share such as one half or two thirds: `numerator / denominator`, between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Share {
    numerator: u64,
    denominator: u64,
}

impl Share {
    pub const HALF: Share = Share { numerator: 1, denominator: 2 };
    pub const TWO_THIRDS: Share = Share { numerator: 2, denominator: 3 };

    /// `p/q` with `q > 0` and `p ≤ q`.
    pub fn new(numerator: u64, denominator: u64) -> Result<Share, MotionError> {
        if denominator == 0 || numerator > denominator {
            return Err(MotionError::BadShare(format!("{numerator}/{denominator}")));
        }
        Ok(Share { numerator, denominator })
    }

    /// Reads `"2/3"`, `"1/2"` or `"0.6"` style shares.
    pub fn parse(text: &str) -> Result<Share, MotionError> {
        let bad = || MotionError::BadShare(text.to_owned());
        let number = |s: &str| s.trim().parse::<u64>().map_err(|_| bad());
        if let Some((p, q)) = text.split_once('/') {
            return Share::new(number(p)?, number(q)?).map_err(|_| bad());
        }
        let (whole, fraction) = text.trim().split_once('.').ok_or_else(bad)?;
        if fraction.is_empty() || fraction.len() > 18 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let denominator = 10u64.pow(fraction.len() as u32);
        let numerator =
            number(whole)?.checked_mul(denominator).and_then(|w| w.checked_add(number(fraction).ok()?)).ok_or_else(bad)?;
        Share::new(numerator, denominator).map_err(|_| bad())
    }

    /// `self × n`, as a fraction `(numerator, denominator)` in 128-bit integers.
    fn of(self, n: u64) -> (u128, u128) {
        (u128::from(self.numerator) * u128::from(n), u128::from(self.denominator))
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.numerator, self.denominator)
    }
}

/// Why a motion cannot be decided as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MotionError {
    #[error("{0:?} is not a share between 0 and 1 (write it as p/q, e.g. 2/3, or as a decimal, e.g. 0.5)")]
    BadShare(String),
    #[error("{cast} ballots were cast but only {present} members are present")]
    MoreBallotsThanPresent { cast: u64, present: u64 },
    #[error("{present} members are present but the roll has only {roll}")]
    MorePresentThanRoll { present: u64, roll: u64 },
    #[error("an objection needs a reason")]
    ObjectionWithoutReason,
}

/// What a threshold is a share of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Base {
    /// Yes plus no: abstentions do not count.
    #[default]
    VotesCast,
    /// Yes, no and abstentions: an abstention counts like a no.
    VotesCastAndAbstentions,
    /// Every member on the roll, voting or not (an "absolute majority of members").
    AllMembers,
}

/// How many yes votes a motion needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Threshold {
    /// Strictly more than the share of the base (a majority is more than half).
    MoreThan(Share, Base),
    /// At least the share of the base (a two-thirds majority is at least two-thirds).
    AtLeast(Share, Base),
}

impl Threshold {
    /// More than half of the votes cast.
    pub const SIMPLE_MAJORITY: Threshold = Threshold::MoreThan(Share::HALF, Base::VotesCast);
    /// More than half of all members.
    pub const ABSOLUTE_MAJORITY: Threshold = Threshold::MoreThan(Share::HALF, Base::AllMembers);
    /// At least two-thirds of the votes cast.
    pub const TWO_THIRDS: Threshold = Threshold::AtLeast(Share::TWO_THIRDS, Base::VotesCast);

    fn base(self) -> Base {
        match self {
            Threshold::MoreThan(_, base) | Threshold::AtLeast(_, base) => base,
        }
    }

    /// The fewest yes votes that pass, out of `base` (other votes fixed). Never fewer than one:
    /// "at least two-thirds" of no votes at all passes nothing.
    #[must_use]
    pub fn needed(self, base: u64) -> u64 {
        let needed = match self {
            Threshold::MoreThan(share, _) => {
                let (n, d) = share.of(base);
                (n / d) as u64 + 1
            }
            Threshold::AtLeast(share, _) => {
                let (n, d) = share.of(base);
                n.div_ceil(d) as u64
            }
        };
        needed.max(1)
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let base = |b: &Base| match b {
            Base::VotesCast => "of the votes cast",
            Base::VotesCastAndAbstentions => "of the votes cast and abstentions",
            Base::AllMembers => "of all members",
        };
        match self {
            Threshold::MoreThan(share, b) => write!(f, "more than {share} {}", base(b)),
            Threshold::AtLeast(share, b) => write!(f, "at least {share} {}", base(b)),
        }
    }
}

/// How many must take part for a decision to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Quorum {
    #[default]
    None,
    /// At least this many.
    Count(u64, QuorumOf),
    /// At least this share of the roll.
    ShareOfRoll(Share, QuorumOf),
}

/// Who counts towards a quorum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum QuorumOf {
    /// Members present (in person or online), voting or not.
    #[default]
    MembersPresent,
    /// Ballots cast, abstentions included.
    BallotsCast,
}

impl Quorum {
    /// The number needed with `roll` members on the roll.
    #[must_use]
    pub fn needed(self, roll: u64) -> u64 {
        match self {
            Quorum::None => 0,
            Quorum::Count(n, _) => n,
            Quorum::ShareOfRoll(share, _) => {
                let (n, d) = share.of(roll);
                n.div_ceil(d) as u64
            }
        }
    }
}

/// The rules a body decides a kind of motion by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MotionRules {
    pub quorum: Quorum,
    pub threshold: Threshold,
}

/// The votes on a motion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub yes: u64,
    pub no: u64,
    pub abstain: u64,
    /// Members on the roll (entitled to vote).
    pub roll: u64,
    /// Members present; `None` when only ballots are known (then those who voted were present).
    pub present: Option<u64>,
}

/// How a motion was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub passed: bool,
    pub quorum_met: bool,
    /// How many took part, as the quorum counts them, and how many were needed.
    pub quorum: (u64, u64),
    /// The base the threshold applied to, and the yes votes it needed.
    pub base: u64,
    pub needed: u64,
    /// Yes votes minus those needed: how far above (or, negative, below) the threshold.
    pub margin: i128,
    /// The rule that decided, for people (`"at least 2/3 of the votes cast"`, `"no quorum"`).
    pub rule: String,
}

/// Decides a yes / no / abstain motion.
pub fn decide(tally: &Tally, rules: &MotionRules) -> Result<Decision, MotionError> {
    let cast = tally.yes + tally.no + tally.abstain;
    let present = tally.present.unwrap_or(cast);
    if cast > present {
        return Err(MotionError::MoreBallotsThanPresent { cast, present });
    }
    if present > tally.roll {
        return Err(MotionError::MorePresentThanRoll { present, roll: tally.roll });
    }
    let taking_part = match rules.quorum {
        Quorum::Count(_, QuorumOf::BallotsCast) | Quorum::ShareOfRoll(_, QuorumOf::BallotsCast) => cast,
        _ => present,
    };
    let quorum_needed = rules.quorum.needed(tally.roll);
    let quorum_met = taking_part >= quorum_needed;
    let base = match rules.threshold.base() {
        Base::VotesCast => tally.yes + tally.no,
        Base::VotesCastAndAbstentions => cast,
        Base::AllMembers => tally.roll,
    };
    let needed = rules.threshold.needed(base);
    let margin = i128::from(tally.yes) - i128::from(needed);
    let rule =
        if quorum_met { rules.threshold.to_string() } else { format!("no quorum: {taking_part} of {quorum_needed} needed") };
    Ok(Decision {
        passed: quorum_met && margin >= 0,
        quorum_met,
        quorum: (taking_part, quorum_needed),
        base,
        needed,
        margin,
        rule,
    })
}

/// An objection raised under consent decision-making.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objection {
    /// Who objected (a member's name or id, as the body records it).
    pub by: String,
    reason: String,
    pub status: ObjectionStatus,
}

/// Where an objection stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectionStatus {
    Standing,
    /// The facilitator recorded it as resolved (the proposal was changed to meet it).
    Resolved {
        note: String,
    },
    /// The member withdrew it.
    Withdrawn,
}

impl Objection {
    /// A standing objection; it must carry a reason.
    pub fn new(by: impl Into<String>, reason: impl Into<String>) -> Result<Objection, MotionError> {
        let reason = reason.into();
        if reason.trim().is_empty() {
            return Err(MotionError::ObjectionWithoutReason);
        }
        Ok(Objection { by: by.into(), reason, status: ObjectionStatus::Standing })
    }

    #[must_use]
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// The result of a consent decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentDecision {
    pub passed: bool,
    /// Indices (into the objections given) of those still standing.
    pub standing: Vec<usize>,
    pub rule: String,
}

/// Consent: the proposal passes unless an objection still stands.
#[must_use]
pub fn decide_by_consent(objections: &[Objection]) -> ConsentDecision {
    let standing: Vec<usize> =
        objections.iter().enumerate().filter(|(_, o)| o.status == ObjectionStatus::Standing).map(|(i, _)| i).collect();
    let rule = match standing.len() {
        0 => "consent: no standing objection".to_owned(),
        n => format!("consent: {n} standing objection{}", if n == 1 { "" } else { "s" }),
    };
    ConsentDecision { passed: standing.is_empty(), standing, rule }
}

/// Consensus rules: every participant must agree (abstaining, "standing aside", is allowed);
/// after `fallback_after` rounds without consensus, the last round is decided by `fallback`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConsensusRules {
    pub quorum: Quorum,
    pub fallback_after: u32,
    pub fallback: Threshold,
}

/// Where a consensus process stands after the rounds so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsensusDecision {
    /// Consensus reached in this round (1-based).
    Consensus { round: usize, decision: Decision },
    /// No consensus yet and rounds remain before the fallback: discuss and vote again.
    NoConsensusYet { round: usize, objecting: u64 },
    /// Decided by the fallback threshold in this round.
    Fallback { round: usize, decision: Decision },
}

/// Decides a consensus process from its rounds so far (each round's tally, in order). A round
/// without quorum is not a round of consensus: it never reaches consensus, and it counts
/// towards the fallback like any other.
pub fn decide_by_consensus(rounds: &[Tally], rules: &ConsensusRules) -> Result<Option<ConsensusDecision>, MotionError> {
    let Some(last) = rounds.last() else { return Ok(None) };
    let round = rounds.len();
    let unanimity = MotionRules {
        quorum: rules.quorum,
        threshold: Threshold::AtLeast(Share { numerator: 1, denominator: 1 }, Base::VotesCast),
    };
    let mut decision = decide(last, &unanimity)?;
    if decision.passed {
        decision.rule = "consensus: nobody objected".to_owned();
        return Ok(Some(ConsensusDecision::Consensus { round, decision }));
    }
    if round < rules.fallback_after as usize {
        return Ok(Some(ConsensusDecision::NoConsensusYet { round, objecting: last.no }));
    }
    let mut decision = decide(last, &MotionRules { quorum: rules.quorum, threshold: rules.fallback })?;
    if decision.quorum_met {
        decision.rule = format!("no consensus after {round} rounds; fallback: {}", rules.fallback);
    }
    Ok(Some(ConsensusDecision::Fallback { round, decision }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tally(yes: u64, no: u64, abstain: u64, roll: u64) -> Tally {
        Tally { yes, no, abstain, roll, present: None }
    }

    fn rules(threshold: Threshold) -> MotionRules {
        MotionRules { quorum: Quorum::None, threshold }
    }

    #[test]
    fn exactly_two_thirds_passes_at_least_two_thirds_but_half_fails_a_majority() {
        let two_thirds = decide(&tally(40, 20, 5, 100), &rules(Threshold::TWO_THIRDS)).unwrap();
        assert!(two_thirds.passed);
        assert_eq!((two_thirds.needed, two_thirds.margin), (40, 0));
        let half = decide(&tally(30, 30, 0, 100), &rules(Threshold::SIMPLE_MAJORITY)).unwrap();
        assert!(!half.passed);
        assert_eq!((half.needed, half.margin), (31, -1));
    }

    #[test]
    fn the_base_decides_whether_abstentions_and_absentees_count_against() {
        let t = tally(30, 20, 15, 100);
        assert!(decide(&t, &rules(Threshold::SIMPLE_MAJORITY)).unwrap().passed);
        assert!(!decide(&t, &rules(Threshold::MoreThan(Share::HALF, Base::VotesCastAndAbstentions))).unwrap().passed);
        let absolute = decide(&t, &rules(Threshold::ABSOLUTE_MAJORITY)).unwrap();
        assert!(!absolute.passed);
        assert_eq!(absolute.needed, 51);
    }

    #[test]
    fn without_quorum_nothing_passes_and_the_decision_says_so() {
        let quorum = Quorum::ShareOfRoll(Share::new(1, 3).unwrap(), QuorumOf::MembersPresent);
        let mut t = tally(20, 5, 0, 100);
        t.present = Some(33);
        let d = decide(&t, &MotionRules { quorum, threshold: Threshold::SIMPLE_MAJORITY }).unwrap();
        assert!(!d.passed && !d.quorum_met);
        assert_eq!(d.quorum, (33, 34));
        assert_eq!(d.rule, "no quorum: 33 of 34 needed");
        t.present = Some(34);
        assert!(decide(&t, &MotionRules { quorum, threshold: Threshold::SIMPLE_MAJORITY }).unwrap().passed);
        let of_ballots = Quorum::Count(30, QuorumOf::BallotsCast);
        assert!(!decide(&t, &MotionRules { quorum: of_ballots, threshold: Threshold::SIMPLE_MAJORITY }).unwrap().quorum_met);
    }

    #[test]
    fn impossible_counts_are_refused() {
        let mut t = tally(5, 5, 0, 8);
        assert_eq!(
            decide(&t, &rules(Threshold::SIMPLE_MAJORITY)),
            Err(MotionError::MorePresentThanRoll { present: 10, roll: 8 })
        );
        t.roll = 20;
        t.present = Some(9);
        assert_eq!(
            decide(&t, &rules(Threshold::SIMPLE_MAJORITY)),
            Err(MotionError::MoreBallotsThanPresent { cast: 10, present: 9 })
        );
    }

    #[test]
    fn shares_are_read_exactly_or_refused() {
        assert_eq!(Share::parse("2/3"), Ok(Share::TWO_THIRDS));
        assert_eq!(Share::parse("0.5"), Share::new(5, 10));
        for bad in ["3/2", "1/0", "x", "0.", "-1/2", "1.5"] {
            assert!(Share::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn consent_passes_once_every_objection_is_resolved_or_withdrawn() {
        let mut objections =
            vec![Objection::new("Ana", "the cost is unknown").unwrap(), Objection::new("Ben", "too noisy").unwrap()];
        assert!(!decide_by_consent(&objections).passed);
        objections[0].status = ObjectionStatus::Resolved { note: "cost estimate added".into() };
        let d = decide_by_consent(&objections);
        assert_eq!((d.passed, d.standing.clone()), (false, vec![1]));
        objections[1].status = ObjectionStatus::Withdrawn;
        assert!(decide_by_consent(&objections).passed);
        assert_eq!(Objection::new("Cy", "  "), Err(MotionError::ObjectionWithoutReason));
    }

    #[test]
    fn consensus_falls_back_to_the_threshold_after_the_rounds_allowed() {
        let rules = ConsensusRules { quorum: Quorum::None, fallback_after: 2, fallback: Threshold::TWO_THIRDS };
        let first = tally(8, 2, 1, 20);
        assert!(matches!(
            decide_by_consensus(&[first], &rules),
            Ok(Some(ConsensusDecision::NoConsensusYet { round: 1, objecting: 2 }))
        ));
        let Ok(Some(ConsensusDecision::Fallback { round: 2, decision })) =
            decide_by_consensus(&[first, tally(9, 1, 1, 20)], &rules)
        else {
            panic!()
        };
        assert!(decision.passed);
        assert!(matches!(
            decide_by_consensus(&[tally(9, 0, 2, 20)], &rules),
            Ok(Some(ConsensusDecision::Consensus { round: 1, .. }))
        ));
        assert_eq!(decide_by_consensus(&[], &rules), Ok(None));
    }

    proptest! {
        #[test]
        fn one_more_yes_never_turns_a_pass_into_a_failure(yes in 0u64..200, no in 0u64..200, abstain in 0u64..50, p in 1u64..10, q in 1u64..10, strict: bool, base in 0usize..3) {
            prop_assume!(p <= q);
            let share = Share::new(p, q).unwrap();
            let base = [Base::VotesCast, Base::VotesCastAndAbstentions, Base::AllMembers][base];
            let threshold = if strict { Threshold::MoreThan(share, base) } else { Threshold::AtLeast(share, base) };
            let roll = yes + no + abstain + 1;
            let before = decide(&tally(yes, no, abstain, roll), &rules(threshold)).unwrap();
            let after = decide(&tally(yes + 1, no, abstain, roll), &rules(threshold)).unwrap();
            prop_assert!(!before.passed || after.passed);
        }

        #[test]
        fn the_threshold_is_exact(yes in 0u64..500, no in 0u64..500, p in 1u64..12, q in 1u64..12) {
            prop_assume!(p <= q);
            let share = Share::new(p, q).unwrap();
            let d = decide(&tally(yes, no, 0, yes + no), &rules(Threshold::AtLeast(share, Base::VotesCast))).unwrap();
            // yes / (yes + no) >= p / q, cross-multiplied.
            prop_assert_eq!(d.passed, yes > 0 && u128::from(yes) * u128::from(q) >= u128::from(p) * u128::from(yes + no));
        }
    }
}
