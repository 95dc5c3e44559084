//! Motions: proposals put to a body, with arguments for and against and amendments.

use serde::{Deserialize, Serialize};

use crate::charter::Charter;
use crate::event::Event;
use crate::id::{AccountId, AmendmentId, ArgumentId, BodyId, MotionId, PollId};
use crate::instant::Instant;
use crate::name::{Prose, Title};
use crate::poll::Secrecy;
use crate::refusal::{Refusal, Thing};
use crate::state::{State, already_exists, not_found};

/// The kinds of motion DESIGN.md names. Policy, procedural and charter-amendment motions can be
/// filed today; the others need the delegates, budgeting and council slices and are refused
/// with [`Refusal::KindNotSupportedYet`] until then (a charter may already set their thresholds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MotionKind {
    Policy,
    Procedural,
    CharterAmendment,
    Mandate,
    Recall,
    Ratification,
    Budget,
    Election,
}

impl MotionKind {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            MotionKind::Policy => "policy",
            MotionKind::Procedural => "procedural",
            MotionKind::CharterAmendment => "charter_amendment",
            MotionKind::Mandate => "mandate",
            MotionKind::Recall => "recall",
            MotionKind::Ratification => "ratification",
            MotionKind::Budget => "budget",
            MotionKind::Election => "election",
        }
    }
}

/// Where a motion stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum MotionStatus {
    /// Filed; under discussion and open to amendments.
    Open,
    Voting {
        poll: PollId,
    },
    Passed {
        poll: PollId,
    },
    Rejected {
        poll: PollId,
    },
    Withdrawn,
}

impl MotionStatus {
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            MotionStatus::Open => "open",
            MotionStatus::Voting { .. } => "voting",
            MotionStatus::Passed { .. } => "passed",
            MotionStatus::Rejected { .. } => "rejected",
            MotionStatus::Withdrawn => "withdrawn",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    For,
    Against,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Motion {
    pub id: MotionId,
    pub body: BodyId,
    pub kind: MotionKind,
    pub title: Title,
    /// The text as it stands, amendments accepted so far included.
    pub text: Prose,
    /// For a charter amendment: the charter the body would have if it passes.
    pub proposed_charter: Option<Charter>,
    pub mover: AccountId,
    pub filed_at: Instant,
    pub status: MotionStatus,
    pub arguments: Vec<Argument>,
    pub amendments: Vec<Amendment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Argument {
    pub id: ArgumentId,
    pub side: Side,
    pub text: Prose,
    pub by: AccountId,
    pub at: Instant,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amendment {
    pub id: AmendmentId,
    /// The text that would replace the motion's.
    pub text: Prose,
    pub by: AccountId,
    pub at: Instant,
    pub status: AmendmentStatus,
    /// The poll that decides (or decided) it, if it was put to a vote.
    pub poll: Option<PollId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmendmentStatus {
    Proposed,
    /// Put to a vote: its poll decides it.
    Voting,
    Accepted,
    Declined,
}

/// What is needed to put an amendment to a vote (the same window and secrecy as any poll).
#[derive(Debug, Clone)]
pub struct OpenAmendmentPoll {
    pub poll: PollId,
    pub motion: MotionId,
    pub amendment: AmendmentId,
    pub secrecy: Secrecy,
    pub opens_at: Instant,
    pub closes_at: Instant,
}

impl Motion {
    /// Whether one of its amendments is being voted on.
    #[must_use]
    pub fn amendment_vote_pending(&self) -> bool {
        self.amendments.iter().any(|a| a.status == AmendmentStatus::Voting)
    }
}

/// What is needed to file a motion.
#[derive(Debug, Clone)]
pub struct FileMotion {
    pub motion: MotionId,
    pub body: BodyId,
    pub kind: MotionKind,
    pub title: Title,
    pub text: Prose,
    /// Required for a charter amendment, refused otherwise.
    pub proposed_charter: Option<Charter>,
}

impl State {
    /// A member files a motion.
    pub fn file_motion(&self, new: FileMotion, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        self.as_member(&new.body, by)?;
        if self.motions.contains_key(&new.motion) {
            return Err(already_exists(Thing::Motion, &new.motion));
        }
        match (new.kind, &new.proposed_charter) {
            (MotionKind::Policy | MotionKind::Procedural, None) => {}
            (MotionKind::CharterAmendment, Some(_)) => {}
            (MotionKind::CharterAmendment, None) => return Err(Refusal::ProposedCharterMissing),
            (MotionKind::Policy | MotionKind::Procedural, Some(_)) => return Err(Refusal::ProposedCharterUnexpected),
            (kind, _) => return Err(Refusal::KindNotSupportedYet { kind: kind.name() }),
        }
        Ok(vec![Event::MotionFiled {
            motion: new.motion,
            body: new.body,
            motion_kind: new.kind,
            title: new.title,
            text: new.text,
            proposed_charter: new.proposed_charter,
            by: by.clone(),
            at,
        }])
    }

    /// The mover withdraws a motion that is not being voted on.
    pub fn withdraw_motion(&self, motion: &MotionId, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let m = self.open_motion(motion)?;
        if &m.mover != by {
            return Err(Refusal::NotTheMover);
        }
        if m.amendment_vote_pending() {
            return Err(Refusal::AmendmentVotePending);
        }
        Ok(vec![Event::MotionWithdrawn { motion: motion.clone(), by: by.clone(), at }])
    }

    /// A member argues for or against a motion, while it is open or being voted on.
    pub fn add_argument(
        &self,
        argument: ArgumentId,
        motion: &MotionId,
        side: Side,
        text: Prose,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let m = self.existing_motion(motion)?;
        self.as_member(&m.body, by)?;
        if !matches!(m.status, MotionStatus::Open | MotionStatus::Voting { .. }) {
            return Err(Refusal::MotionNotOpen { status: m.status.name() });
        }
        if self.motions.values().any(|m| m.arguments.iter().any(|a| a.id == argument)) {
            return Err(already_exists(Thing::Argument, &argument));
        }
        Ok(vec![Event::ArgumentAdded { argument, motion: motion.clone(), side, text, by: by.clone(), at }])
    }

    /// A member proposes new text for an open motion.
    pub fn propose_amendment(
        &self,
        amendment: AmendmentId,
        motion: &MotionId,
        text: Prose,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let m = self.open_motion(motion)?;
        self.as_member(&m.body, by)?;
        if self.motions.values().any(|m| m.amendments.iter().any(|a| a.id == amendment)) {
            return Err(already_exists(Thing::Amendment, &amendment));
        }
        Ok(vec![Event::AmendmentProposed { amendment, motion: motion.clone(), text, by: by.clone(), at }])
    }

    /// The mover accepts (the motion's text becomes the amendment's) or declines an amendment.
    pub fn settle_amendment(
        &self,
        motion: &MotionId,
        amendment: &AmendmentId,
        accept: bool,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let m = self.open_motion(motion)?;
        if &m.mover != by {
            return Err(Refusal::NotTheMover);
        }
        let a = m.amendments.iter().find(|a| &a.id == amendment).ok_or_else(|| not_found(Thing::Amendment, amendment))?;
        match a.status {
            AmendmentStatus::Proposed => {}
            AmendmentStatus::Voting => return Err(Refusal::AmendmentBeingVotedOn),
            AmendmentStatus::Accepted | AmendmentStatus::Declined => return Err(Refusal::AmendmentSettled),
        }
        let (amendment, motion, by) = (amendment.clone(), motion.clone(), by.clone());
        Ok(vec![if accept {
            Event::AmendmentAccepted { amendment, motion, by, at }
        } else {
            Event::AmendmentDeclined { amendment, motion, by, at }
        }])
    }

    /// A facilitator puts a proposed amendment of an open motion to a vote, decided by the
    /// charter's rule for ordinary motions. One amendment vote at a time per motion, so that
    /// two adopted amendments never race to replace the same text.
    pub fn open_amendment_poll(&self, new: OpenAmendmentPoll, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let m = self.open_motion(&new.motion)?;
        let body = self.as_facilitator(&m.body, by)?;
        let a = m.amendments.iter().find(|a| a.id == new.amendment).ok_or_else(|| not_found(Thing::Amendment, &new.amendment))?;
        match a.status {
            AmendmentStatus::Proposed => {}
            AmendmentStatus::Voting => return Err(Refusal::AmendmentBeingVotedOn),
            AmendmentStatus::Accepted | AmendmentStatus::Declined => return Err(Refusal::AmendmentSettled),
        }
        if m.amendment_vote_pending() {
            return Err(Refusal::AmendmentVotePending);
        }
        if self.polls.contains_key(&new.poll) {
            return Err(already_exists(Thing::Poll, &new.poll));
        }
        if new.closes_at <= new.opens_at || new.closes_at <= at {
            return Err(Refusal::BadWindow);
        }
        Ok(vec![Event::AmendmentPollOpened {
            poll: new.poll,
            motion: new.motion,
            amendment: new.amendment,
            body: body.id.clone(),
            secrecy: new.secrecy,
            rules: body.charter.amendment_vote_rules(),
            opens_at: new.opens_at,
            closes_at: new.closes_at,
            roll: body.current_members().cloned().collect(),
            by: by.clone(),
            at,
        }])
    }

    pub(crate) fn open_motion(&self, motion: &MotionId) -> Result<&Motion, Refusal> {
        let m = self.existing_motion(motion)?;
        if m.status != MotionStatus::Open {
            return Err(Refusal::MotionNotOpen { status: m.status.name() });
        }
        Ok(m)
    }
}
