//! Polls: the vote on a motion. A facilitator opens one with the rules the charter sets for
//! the motion's kind; members on the roll vote online within the window; a facilitator may add
//! the counts from an in-person meeting; at the deadline the poll closes and
//! [`plenum_choice::vote::motion::decide`] gives the result, which is kept with its working.

use std::collections::{BTreeMap, BTreeSet};

use plenum_choice::vote::motion::{Tally, decide};
use serde::{Deserialize, Serialize};

use crate::ballot::{BallotRandomness, PublishedBallot, SealedBallot, shuffle};
use crate::charter::{DecisionRule, ThresholdRule};
use crate::event::Event;
use crate::id::{AccountId, AmendmentId, BallotId, BodyId, MeetingId, MotionId, PollId, ReceiptCode};
use crate::instant::Instant;
use crate::motion::{MotionKind, MotionStatus};
use crate::refusal::{Refusal, Thing};
use crate::state::{State, already_exists};

/// Whether the public sees who voted what (open) or only that they voted (secret).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Secrecy {
    Open,
    Secret,
}

/// A vote on a yes / no / abstain motion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    Yes,
    No,
    Abstain,
}

/// Counts from a meeting, entered by a facilitator: the votes by show of hands (or paper) and
/// how many members were present in the room, voting or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct InPersonCount {
    pub yes: u64,
    pub no: u64,
    pub abstain: u64,
    pub present: u64,
}

/// A closed poll's result and its working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollResult {
    /// Online and in-person votes together.
    pub yes: u64,
    pub no: u64,
    pub abstain: u64,
    /// Ballots cast online (the roll marks).
    pub online: u64,
    pub in_person: Option<InPersonCount>,
    /// Members on the roll.
    pub roll: u64,
    /// Members taking part as the quorum counts them, and how many were needed.
    pub quorum_taking_part: u64,
    pub quorum_needed: u64,
    pub quorum_met: bool,
    /// The number the threshold applied to, the yes votes needed and the margin (yes minus
    /// needed; negative when short).
    pub base: u64,
    pub needed: u64,
    pub margin: i64,
    pub passed: bool,
    /// The rule that decided, for people (`"at least 2/3 of the votes cast"`, `"no quorum: …"`).
    pub rule: String,
}

/// What decided a closed poll, as data: the interface words it in the reader's language
/// (`PollResult::rule` keeps the English sentence the log has always carried).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecidedBy {
    /// The quorum was met and the threshold decided.
    Threshold(ThresholdRule),
    /// Too few took part: `taking_part` of the `needed`.
    NoQuorum { taking_part: u64, needed: u64 },
}

impl DecidedBy {
    /// What decided a poll with these rules and this result.
    #[must_use]
    pub fn of(rules: &DecisionRule, result: &PollResult) -> DecidedBy {
        if result.quorum_met {
            DecidedBy::Threshold(rules.threshold)
        } else {
            DecidedBy::NoQuorum { taking_part: result.quorum_taking_part, needed: result.quorum_needed }
        }
    }
}

/// Counts a yes / no / abstain poll: the online votes, the in-person counts if any, decided by
/// `rules` with `roll` members on the roll. `plenum verify` calls this too, on the stored
/// ballots, to check every published result.
pub fn count(
    rules: &DecisionRule,
    roll: u64,
    online: impl IntoIterator<Item = Choice>,
    in_person: Option<InPersonCount>,
) -> Result<PollResult, Refusal> {
    let (mut yes, mut no, mut abstain, mut cast) = (0u64, 0u64, 0u64, 0u64);
    for choice in online {
        cast += 1;
        match choice {
            Choice::Yes => yes += 1,
            Choice::No => no += 1,
            Choice::Abstain => abstain += 1,
        }
    }
    let present = in_person.map(|c| cast + c.present);
    if let Some(c) = in_person {
        yes += c.yes;
        no += c.no;
        abstain += c.abstain;
    }
    let tally = Tally { yes, no, abstain, roll, present };
    let decision = decide(&tally, &rules.motion_rules()).map_err(|e| Refusal::ImpossibleCount { reason: e.to_string() })?;
    Ok(PollResult {
        yes,
        no,
        abstain,
        online: cast,
        in_person,
        roll,
        quorum_taking_part: decision.quorum.0,
        quorum_needed: decision.quorum.1,
        quorum_met: decision.quorum_met,
        base: decision.base,
        needed: decision.needed,
        margin: i64::try_from(decision.margin).unwrap_or(if decision.margin < 0 { i64::MIN } else { i64::MAX }),
        passed: decision.passed,
        rule: decision.rule,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poll {
    pub id: PollId,
    pub motion: MotionId,
    /// The amendment this poll decides, if it is a vote on an amendment rather than on the
    /// motion itself.
    pub amendment: Option<AmendmentId>,
    pub body: BodyId,
    pub secrecy: Secrecy,
    pub rules: DecisionRule,
    pub opens_at: Instant,
    pub closes_at: Instant,
    /// Who may vote: the body's members when the poll opened.
    pub roll: BTreeSet<AccountId>,
    /// Who has voted online.
    pub voted: BTreeSet<AccountId>,
    /// An open poll's votes (empty for a secret poll).
    pub votes: BTreeMap<AccountId, Choice>,
    /// A secret poll's sealed ballots until it closes (then empty: see `closed`), sorted by
    /// ballot id.
    pub sealed: Vec<SealedBallot>,
    pub in_person: Option<InPersonCount>,
    pub closed: Option<Closed>,
}

/// What a closed poll keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub result: PollResult,
    /// A secret poll's ballots in published (shuffled) order.
    pub ballots: Vec<PublishedBallot>,
    pub at: Instant,
}

impl Poll {
    /// A poll as it opens: nobody has voted yet.
    #[expect(clippy::too_many_arguments, reason = "the fields of the two events that open a poll")]
    pub(crate) fn opened(
        id: PollId,
        motion: MotionId,
        amendment: Option<AmendmentId>,
        body: BodyId,
        secrecy: Secrecy,
        rules: DecisionRule,
        (opens_at, closes_at): (Instant, Instant),
        roll: Vec<AccountId>,
    ) -> Poll {
        Poll {
            id,
            motion,
            amendment,
            body,
            secrecy,
            rules,
            opens_at,
            closes_at,
            roll: roll.into_iter().collect(),
            voted: BTreeSet::new(),
            votes: BTreeMap::new(),
            sealed: Vec::new(),
            in_person: None,
            closed: None,
        }
    }

    /// Whether a vote at `at` falls in the window (and the poll has not been closed).
    #[must_use]
    pub fn accepts_votes_at(&self, at: Instant) -> bool {
        self.closed.is_none() && self.opens_at <= at && at < self.closes_at
    }

    /// What decided it, once closed.
    #[must_use]
    pub fn decided_by(&self) -> Option<DecidedBy> {
        self.closed.as_ref().map(|c| DecidedBy::of(&self.rules, &c.result))
    }
}

/// What is needed to open a poll.
#[derive(Debug, Clone)]
pub struct OpenPoll {
    pub poll: PollId,
    pub motion: MotionId,
    pub secrecy: Secrecy,
    pub opens_at: Instant,
    pub closes_at: Instant,
}

/// What casting a vote produces: the events for the log and, in a secret poll, the sealed
/// ballot to keep apart from it. The voter is shown `receipt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cast {
    pub events: Vec<Event>,
    pub sealed: Option<SealedBallot>,
    pub receipt: Option<ReceiptCode>,
}

impl State {
    /// A facilitator puts an open motion to a vote. The charter's rules for the motion's kind
    /// and the current members (the roll) are fixed in the poll.
    pub fn open_poll(&self, new: OpenPoll, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let motion = self.open_motion(&new.motion)?;
        let body = self.as_facilitator(&motion.body, by)?;
        if motion.amendment_vote_pending() {
            return Err(Refusal::AmendmentVotePending);
        }
        self.check_council_secrecy(&body.id, new.secrecy)?;
        if self.polls.contains_key(&new.poll) {
            return Err(already_exists(Thing::Poll, &new.poll));
        }
        if new.closes_at <= new.opens_at || new.closes_at <= at {
            return Err(Refusal::BadWindow);
        }
        Ok(vec![Event::PollOpened {
            poll: new.poll,
            motion: new.motion,
            body: body.id.clone(),
            secrecy: new.secrecy,
            rules: body.charter.rules_for(motion.kind),
            opens_at: new.opens_at,
            closes_at: new.closes_at,
            roll: body.current_members().cloned().collect(),
            by: by.clone(),
            at,
        }])
    }

    /// A member on the roll votes online, once, within the window. `randomness` is used only
    /// by secret polls (for the ballot id and the receipt).
    pub fn cast_vote(
        &self,
        poll: &PollId,
        choice: Choice,
        by: &AccountId,
        at: Instant,
        randomness: BallotRandomness,
    ) -> Result<Cast, Refusal> {
        let p = self.existing_poll(poll)?;
        if !p.roll.contains(by) {
            let member = self.body(&p.body).is_some_and(|b| b.is_member(by));
            return Err(if member { Refusal::NotOnRoll } else { Refusal::NotAMember });
        }
        if p.closed.is_some() {
            return Err(Refusal::PollClosed);
        }
        if at < p.opens_at {
            return Err(Refusal::PollNotOpenYet { opens_at: p.opens_at });
        }
        if at >= p.closes_at {
            return Err(Refusal::VotingOver { closes_at: p.closes_at });
        }
        if p.voted.contains(by) {
            return Err(Refusal::AlreadyVoted);
        }
        if self.unlinkable_poll(poll).is_some() {
            return Err(Refusal::TokenRequired);
        }
        Ok(match p.secrecy {
            Secrecy::Open => Cast {
                events: std::iter::once(Event::VoteCast { poll: poll.clone(), member: by.clone(), choice, at })
                    .chain(self.after_council_vote(poll, by, choice, at))
                    .collect(),
                sealed: None,
                receipt: None,
            },
            Secrecy::Secret => {
                let ballot = BallotId::from_random(randomness.ballot_id);
                if p.sealed.binary_search_by(|b| b.ballot.cmp(&ballot)).is_ok() {
                    return Err(already_exists(Thing::Ballot, &ballot));
                }
                let receipt = ReceiptCode::from_random(randomness.receipt);
                Cast {
                    events: vec![Event::RollMarked { poll: poll.clone(), member: by.clone() }],
                    sealed: Some(SealedBallot { poll: poll.clone(), ballot, receipt: receipt.clone(), choice }),
                    receipt: Some(receipt),
                }
            }
        })
    }

    /// A facilitator enters (or corrects) the counts from a meeting, before the poll closes.
    pub fn enter_in_person_count(
        &self,
        poll: &PollId,
        count: InPersonCount,
        meeting: Option<MeetingId>,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let p = self.existing_poll(poll)?;
        self.as_facilitator(&p.body, by)?;
        if p.closed.is_some() {
            return Err(Refusal::PollClosed);
        }
        if let Some(meeting) = &meeting
            && self.existing_meeting(meeting)?.body != p.body
        {
            return Err(Refusal::FromAnotherBody { motion: p.motion.to_string() });
        }
        let votes = count.yes.checked_add(count.no).and_then(|v| v.checked_add(count.abstain));
        if votes.is_none_or(|v| v > count.present) {
            return Err(Refusal::ImpossibleCount { reason: "more votes than members present".to_owned() });
        }
        if count.present.saturating_add(self.ballots_expected(p) as u64) > p.roll.len() as u64 {
            return Err(Refusal::ImpossibleCount {
                reason: format!(
                    "{} present in the room and {} online is more than the {} on the roll",
                    count.present,
                    self.ballots_expected(p),
                    p.roll.len()
                ),
            });
        }
        Ok(vec![Event::InPersonCounted { poll: poll.clone(), count, meeting, by: by.clone(), at }])
    }

    /// Closes a poll at or after its deadline: counts it and, for a secret poll, publishes the
    /// ballots shuffled with `shuffle_seed`. A charter amendment that passes amends the charter.
    /// Whether a poll may close at `at`: its deadline has passed, or it decides for the
    /// confederation (a mandate, a recall, a ratification) and its whole roll has voted, so
    /// nothing is left to wait for and a recalled delegate leaves the seat at once.
    #[must_use]
    pub fn poll_due(&self, poll: &Poll, at: Instant) -> bool {
        poll.closed.is_none()
            && (at >= poll.closes_at
                || (self.poll_purpose(&poll.id).is_some()
                    && !poll.roll.is_empty()
                    && poll.roll.iter().all(|m| poll.voted.contains(m))))
    }

    pub fn close_poll(&self, poll: &PollId, at: Instant, shuffle_seed: [u8; 32]) -> Result<Vec<Event>, Refusal> {
        let p = self.existing_poll(poll)?;
        if p.closed.is_some() {
            return Err(Refusal::PollClosed);
        }
        if !self.poll_due(p, at) {
            return Err(Refusal::PollStillOpen { closes_at: p.closes_at });
        }
        let (result, ballots) = match p.secrecy {
            Secrecy::Open => (count(&p.rules, p.roll.len() as u64, p.votes.values().copied(), p.in_person)?, Vec::new()),
            Secrecy::Secret => {
                let result = count(&p.rules, p.roll.len() as u64, p.sealed.iter().map(|b| b.choice), p.in_person)?;
                let mut ballots: Vec<PublishedBallot> = p
                    .sealed
                    .iter()
                    .map(|b| PublishedBallot { ballot: b.ballot.clone(), receipt: b.receipt.clone(), choice: b.choice })
                    .collect();
                // Sort first so that the published order depends on the seed alone, not on the
                // order the ballots were cast or loaded in.
                ballots.sort_by(|a, b| a.ballot.cmp(&b.ballot));
                shuffle(&mut ballots, shuffle_seed);
                (result, ballots)
            }
        };
        let motion = self.existing_motion(&p.motion)?;
        let mut events = Vec::with_capacity(2);
        let passed = result.passed;
        events.push(Event::PollClosed { poll: poll.clone(), result: result.clone(), ballots, at });
        if let Some(amendment) = &p.amendment {
            // A vote on an amendment decides the amendment; the motion stays open.
            events.push(Event::AmendmentDecided {
                amendment: amendment.clone(),
                motion: motion.id.clone(),
                poll: poll.clone(),
                adopted: passed,
                at,
            });
            return Ok(events);
        }
        if passed
            && motion.kind == MotionKind::CharterAmendment
            && let Some(charter) = &motion.proposed_charter
        {
            events.push(Event::CharterAmended { body: p.body.clone(), motion: motion.id.clone(), charter: charter.clone(), at });
        }
        events.extend(self.after_poll_closed(poll, &result, at));
        debug_assert!(matches!(motion.status, MotionStatus::Voting { .. }));
        Ok(events)
    }
}
