//! Councils: confederal bodies whose seats are held by delegates of their constituent bodies
//! (assemblies, or lower councils for a regional council, nesting to any depth).
//!
//! A council is a [`Body`](crate::Body) like an assembly, so it meets, files motions and holds
//! polls with the same commands; its members are the delegates seated on it (and the clerk who
//! created it, its first facilitator). What makes it a council is its [`Council`] record: the
//! constituents, the seats each one fills, how each fills them ([`DelegationRules`]) and how
//! their ratification results combine ([`RatificationRule`]).
//!
//! A council only adjudicates and administers: a policy motion it passes does not take effect
//! until its constituents ratify it ([`State::policy_in_effect`]).
//!
//! # Apportionment
//!
//! With [`SeatRule::ByMembership`] the seats are apportioned when the council is created, on the
//! members each constituent represents then (an assembly's members; for a lower council, the
//! members of every assembly under it): every constituent gets one seat, and the other
//! `total − n` seats go by largest remainders (Hamilton): constituent *i* with *mᵢ* of the *M*
//! members first gets ⌊(total − n)·mᵢ / M⌋ seats, then the seats left go one each to the largest
//! remainders (total − n)·mᵢ mod M, ties to the constituent with more members, then to the one
//! listed first. All of it is integer arithmetic.

use serde::{Deserialize, Serialize};

use crate::assembly::CreateBody;
use crate::charter::Fraction;
use crate::event::Event;
use crate::id::{AccountId, BodyId, MotionId};
use crate::instant::Instant;
use crate::motion::{MotionKind, MotionStatus};
use crate::refusal::{Refusal, Thing};
use crate::state::{State, not_found};

/// How a council's seats are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum SeatRule {
    /// The same number of seats for every constituent.
    Fixed { per_constituent: u32 },
    /// `total` seats apportioned by membership (see the module documentation).
    ByMembership { total: u32 },
}

/// How a constituent fills its seats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Selection {
    /// Ranked ballots counted by STV (IRV for one seat).
    Election,
    /// Drawn by lot among volunteers, from a committed seed.
    Sortition,
}

impl Selection {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Selection::Election => "election",
            Selection::Sortition => "sortition",
        }
    }
}

/// How a seat left empty before the end of its term is filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VacancyRule {
    /// The next in the count: the last election counted again with the same ballots, the
    /// departed delegate withdrawn.
    NextInCount,
    /// A new draw among the volunteers not yet drawn, from the same seed.
    Redraw,
    /// The seat stays empty until the constituent holds a new election or draw.
    NewSelection,
}

/// A constituent's own rules for its delegation to one council.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DelegationRules {
    pub selection: Selection,
    /// At most this many consecutive terms for one person (rotation).
    pub max_consecutive_terms: u32,
    /// The share of the constituent's members whose signatures open a recall poll.
    pub recall_share: Fraction,
    /// How long a recall petition may gather signatures.
    pub recall_days: u32,
    /// How long a recall poll runs.
    pub recall_poll_days: u32,
    /// A vote against the mandate opens a recall petition at once.
    pub recall_on_deviation: bool,
    pub vacancy: VacancyRule,
}

impl DelegationRules {
    /// Elected delegates: two consecutive terms at most, a quarter of the members recall in 30
    /// days, a 7-day recall poll, a vacancy goes to the next in the count.
    #[must_use]
    pub fn elected() -> DelegationRules {
        DelegationRules {
            selection: Selection::Election,
            max_consecutive_terms: 2,
            recall_share: Fraction::new(1, 4).unwrap_or(Fraction::HALF),
            recall_days: 30,
            recall_poll_days: 7,
            recall_on_deviation: false,
            vacancy: VacancyRule::NextInCount,
        }
    }

    /// Delegates by lot: one term at a time, a vacancy is redrawn.
    #[must_use]
    pub fn drawn() -> DelegationRules {
        DelegationRules {
            selection: Selection::Sortition,
            max_consecutive_terms: 1,
            vacancy: VacancyRule::Redraw,
            ..DelegationRules::elected()
        }
    }
}

/// How constituents' results on a ratification combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    /// More than half of the constituents that count say yes.
    MajorityOfConstituents,
    /// A majority of constituents and more than half of all the yes and no votes cast in them.
    DoubleMajority,
    /// The constituents saying yes represent more than half of the members of those that count.
    MembershipWeighted,
    /// No constituent says no, and at least one says yes.
    Unanimity,
}

/// What a constituent that has not decided by the deadline counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NonDecider {
    Yes,
    No,
    /// Left out of the count.
    Abstains,
}

/// A council's ratification rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RatificationRule {
    pub combine: Combine,
    pub non_decider: NonDecider,
}

/// One constituent of a council, as fixed when the council was created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constituent {
    pub body: BodyId,
    pub seats: u32,
    /// The members it represented when the seats were set.
    pub represented: u64,
    pub rules: DelegationRules,
}

/// A council's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Council {
    pub id: BodyId,
    pub constituents: Vec<Constituent>,
    pub seat_rule: SeatRule,
    pub ratification: RatificationRule,
    pub created_at: Instant,
}

impl Council {
    #[must_use]
    pub fn constituent(&self, body: &BodyId) -> Option<&Constituent> {
        self.constituents.iter().find(|c| &c.body == body)
    }
}

/// What is needed to create a council.
#[derive(Debug, Clone)]
pub struct CreateCouncil {
    pub body: CreateBody,
    /// The constituents in order, each with its delegation rules.
    pub constituents: Vec<(BodyId, DelegationRules)>,
    pub seats: SeatRule,
    pub ratification: RatificationRule,
}

/// Where a council's policy motion stands on the way to taking effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyStatus {
    /// Not passed by the council (yet).
    NotPassed,
    /// Passed by the council; not yet sent to its constituents.
    AwaitingRatification,
    UnderRatification(crate::id::RatificationId),
    Ratified(crate::id::RatificationId),
    NotRatified(crate::id::RatificationId),
}

/// Apportions `total` seats among constituents with these member counts (see the module
/// documentation). Refuses fewer seats than constituents.
pub fn apportion(total: u32, members: &[u64]) -> Result<Vec<u32>, Refusal> {
    let n = u32::try_from(members.len()).map_err(|_| Refusal::BadSeats { reason: "too many constituents".to_owned() })?;
    if n == 0 {
        return Err(Refusal::BadSeats { reason: "a council needs constituents".to_owned() });
    }
    if total < n {
        return Err(Refusal::BadSeats { reason: format!("{total} seats cannot give each of {n} constituents one") });
    }
    let rest = u128::from(total - n);
    let sum: u128 = members.iter().map(|&m| u128::from(m)).sum();
    let mut seats = vec![1u32; members.len()];
    if rest == 0 {
        return Ok(seats);
    }
    let mut remainders: Vec<(u128, u64, usize)> = Vec::with_capacity(members.len());
    let mut given: u128 = 0;
    for (i, &m) in members.iter().enumerate() {
        let share = rest * u128::from(m);
        let (whole, remainder) = (share.checked_div(sum).unwrap_or(0), share.checked_rem(sum).unwrap_or(0));
        given += whole;
        seats[i] += u32::try_from(whole).unwrap_or(0);
        remainders.push((remainder, m, i));
    }
    // Largest remainder first, then more members, then the order listed.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let left = usize::try_from(rest - given).unwrap_or(0);
    for &(_, _, i) in remainders.iter().cycle().take(left) {
        seats[i] += 1;
    }
    Ok(seats)
}

impl State {
    /// The council with this body id.
    #[must_use]
    pub fn council(&self, id: &BodyId) -> Option<&Council> {
        self.confederation.councils.get(id)
    }

    /// Every council, in id order.
    pub fn councils(&self) -> impl Iterator<Item = &Council> {
        self.confederation.councils.values()
    }

    /// The councils this body is a constituent of.
    pub fn councils_of<'a>(&'a self, body: &'a BodyId) -> impl Iterator<Item = &'a Council> {
        self.confederation.councils.values().filter(move |c| c.constituent(body).is_some())
    }

    pub(crate) fn existing_council(&self, id: &BodyId) -> Result<&Council, Refusal> {
        self.existing_body(id)?;
        self.confederation.councils.get(id).ok_or(Refusal::NotACouncil)
    }

    /// Every poll held in a council is open: its voters are delegates, and a delegate's vote
    /// must be seen to be compared with the mandate and answered for. A secret poll in a
    /// council (on its own motion, or on a mandate when the constituent is a lower council)
    /// is refused.
    pub(crate) fn check_council_secrecy(&self, body: &BodyId, secrecy: crate::poll::Secrecy) -> Result<(), Refusal> {
        if secrecy == crate::poll::Secrecy::Secret && self.confederation.councils.contains_key(body) {
            return Err(Refusal::CouncilVotesAreOpen);
        }
        Ok(())
    }

    /// The members a body represents: an assembly's members, or for a council the members of
    /// every assembly under it (an assembly reached twice is counted once).
    #[must_use]
    pub fn represented(&self, body: &BodyId) -> u64 {
        self.assemblies_under(body).iter().filter_map(|b| self.body(b)).map(|b| b.current_members().count() as u64).sum()
    }

    /// The assemblies under a body (itself, if it is an assembly), in the order reached.
    #[must_use]
    pub fn assemblies_under(&self, body: &BodyId) -> Vec<BodyId> {
        let mut out = Vec::new();
        let mut stack = vec![body.clone()];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(b) = stack.pop() {
            if !seen.insert(b.clone()) {
                continue;
            }
            match self.confederation.councils.get(&b) {
                Some(c) => stack.extend(c.constituents.iter().rev().map(|c| c.body.clone())),
                None => out.push(b),
            }
        }
        out
    }

    /// Whether a motion may take effect: a council's policy motion only once its constituents
    /// have ratified it; any other passed motion at once.
    #[must_use]
    pub fn policy_in_effect(&self, motion: &MotionId) -> bool {
        let Some(m) = self.motion(motion) else { return false };
        if self.confederation.councils.contains_key(&m.body) && m.kind == MotionKind::Policy {
            return matches!(self.policy_status(motion), Some(PolicyStatus::Ratified(_)));
        }
        matches!(m.status, MotionStatus::Passed { .. })
    }

    /// Where a council's policy motion stands; `None` for other motions.
    #[must_use]
    pub fn policy_status(&self, motion: &MotionId) -> Option<PolicyStatus> {
        let m = self.motion(motion)?;
        if !self.confederation.councils.contains_key(&m.body) || m.kind != MotionKind::Policy {
            return None;
        }
        let latest = self
            .confederation
            .ratifications
            .values()
            .rfind(|r| r.subject == crate::ratification::RatificationSubject::Motion { motion: motion.clone() });
        Some(match (latest, &m.status) {
            (Some(r), _) => match &r.outcome {
                None => PolicyStatus::UnderRatification(r.id.clone()),
                Some(o) if o.ratified => PolicyStatus::Ratified(r.id.clone()),
                Some(_) => PolicyStatus::NotRatified(r.id.clone()),
            },
            (None, MotionStatus::Passed { .. }) => PolicyStatus::AwaitingRatification,
            (None, _) => PolicyStatus::NotPassed,
        })
    }

    /// A resident creates a council over existing bodies and becomes its first facilitator
    /// (its clerk). The seats are set now, by the seat rule.
    pub fn create_council(&self, new: CreateCouncil, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let mut seen = std::collections::BTreeSet::new();
        for (body, _) in &new.constituents {
            if self.body(body).is_none() {
                return Err(not_found(Thing::Body, body));
            }
            if !seen.insert(body.clone()) {
                return Err(Refusal::Duplicate { id: body.to_string() });
            }
        }
        let represented: Vec<u64> = new.constituents.iter().map(|(b, _)| self.represented(b)).collect();
        let seats = match new.seats {
            SeatRule::Fixed { per_constituent: 0 } => {
                return Err(Refusal::BadSeats { reason: "each constituent needs at least one seat".to_owned() });
            }
            SeatRule::Fixed { per_constituent } => {
                if new.constituents.is_empty() {
                    return Err(Refusal::BadSeats { reason: "a council needs constituents".to_owned() });
                }
                vec![per_constituent; new.constituents.len()]
            }
            SeatRule::ByMembership { total } => apportion(total, &represented)?,
        };
        for (_, rules) in &new.constituents {
            if rules.max_consecutive_terms == 0 || rules.recall_days == 0 || rules.recall_poll_days == 0 {
                return Err(Refusal::BadSeats { reason: "terms, petition and poll lengths must be at least one".to_owned() });
            }
        }
        let council = new.body.body.clone();
        let mut events = self.create_body(new.body, by, at)?;
        let constituents = new
            .constituents
            .into_iter()
            .zip(seats)
            .zip(represented)
            .map(|(((body, rules), seats), represented)| Constituent { body, seats, represented, rules })
            .collect();
        events.push(Event::CouncilCreated {
            council,
            constituents,
            seat_rule: new.seats,
            ratification: new.ratification,
            by: by.clone(),
            at,
        });
        Ok(events)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportionment_gives_one_seat_each_then_largest_remainders() {
        assert_eq!(apportion(7, &[100, 50, 10]).unwrap(), vec![4, 2, 1]);
        assert_eq!(apportion(3, &[1000, 1, 1]).unwrap(), vec![1, 1, 1]);
        // 4 seats left over 3 equal constituents: ties go to the one listed first.
        assert_eq!(apportion(7, &[5, 5, 5]).unwrap(), vec![3, 2, 2]);
        assert_eq!(apportion(5, &[0, 0]).unwrap(), vec![3, 2]);
        assert!(apportion(1, &[3, 4]).is_err());
        for total in 3..40 {
            let seats = apportion(total, &[17, 3, 9]).unwrap();
            assert_eq!(seats.iter().sum::<u32>(), total);
            assert!(seats[0] >= seats[2] && seats[2] >= seats[1]);
        }
    }
}
