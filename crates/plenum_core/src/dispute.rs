//! Disputes: a difference between two constituents of a council, brought to it for
//! adjudication: the claim, the response, a hearing at a council meeting, the council's
//! decision with its reasons, and an appeal that sends the decision to ratification by the
//! council's constituents (ratified: the decision stands; not ratified: it is overturned).

use serde::{Deserialize, Serialize};

use crate::event::Event;
use crate::id::{AccountId, BodyId, DisputeId, MeetingId, RatificationId};
use crate::instant::Instant;
use crate::name::{Prose, Title};
use crate::ratification::{OpenRatification, RatificationSubject};
use crate::refusal::{Refusal, Thing};
use crate::state::{State, already_exists, not_found};

/// Where a dispute stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum DisputeStage {
    Claimed,
    Answered,
    HearingScheduled,
    /// Decided by the council; settled unless appealed.
    Decided,
    Appealed {
        ratification: RatificationId,
    },
    /// The appeal's ratification upheld the decision.
    Upheld {
        ratification: RatificationId,
    },
    /// The appeal's ratification overturned it.
    Overturned {
        ratification: RatificationId,
    },
}

impl DisputeStage {
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            DisputeStage::Claimed => "claimed",
            DisputeStage::Answered => "answered",
            DisputeStage::HearingScheduled => "hearing_scheduled",
            DisputeStage::Decided => "decided",
            DisputeStage::Appealed { .. } => "appealed",
            DisputeStage::Upheld { .. } => "upheld",
            DisputeStage::Overturned { .. } => "overturned",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispute {
    pub id: DisputeId,
    pub council: BodyId,
    pub claimant: BodyId,
    pub respondent: BodyId,
    pub title: Title,
    pub claim: Prose,
    pub response: Option<Prose>,
    pub hearing: Option<MeetingId>,
    pub decision: Option<(Prose, Prose)>,
    pub brought_at: Instant,
    pub stage: DisputeStage,
}

/// What is needed to bring a dispute.
#[derive(Debug, Clone)]
pub struct BringDispute {
    pub dispute: DisputeId,
    pub council: BodyId,
    pub claimant: BodyId,
    pub respondent: BodyId,
    pub title: Title,
    pub claim: Prose,
}

impl State {
    #[must_use]
    pub fn dispute(&self, id: &DisputeId) -> Option<&Dispute> {
        self.confederation.disputes.get(id)
    }

    /// Every dispute, in id order.
    pub fn disputes(&self) -> impl Iterator<Item = &Dispute> {
        self.confederation.disputes.values()
    }

    fn existing_dispute(&self, id: &DisputeId) -> Result<&Dispute, Refusal> {
        self.confederation.disputes.get(id).ok_or_else(|| not_found(Thing::Dispute, id))
    }

    /// A facilitator of a constituent brings a dispute against another constituent of the same
    /// council.
    pub fn bring_dispute(&self, new: BringDispute, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let council = self.existing_council(&new.council)?;
        for body in [&new.claimant, &new.respondent] {
            if council.constituent(body).is_none() {
                return Err(Refusal::NotAConstituent { body: body.to_string() });
            }
        }
        if new.claimant == new.respondent {
            return Err(Refusal::SameBody);
        }
        self.as_facilitator(&new.claimant, by)?;
        if self.confederation.disputes.contains_key(&new.dispute) {
            return Err(already_exists(Thing::Dispute, &new.dispute));
        }
        Ok(vec![Event::DisputeBrought {
            dispute: new.dispute,
            council: new.council,
            claimant: new.claimant,
            respondent: new.respondent,
            title: new.title,
            claim: new.claim,
            by: by.clone(),
            at,
        }])
    }

    /// A facilitator of the respondent answers the claim, before the decision.
    pub fn answer_dispute(&self, id: &DisputeId, response: Prose, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let d = self.existing_dispute(id)?;
        if !matches!(d.stage, DisputeStage::Claimed | DisputeStage::Answered | DisputeStage::HearingScheduled) {
            return Err(Refusal::DisputeStage { stage: d.stage.name() });
        }
        self.as_facilitator(&d.respondent, by).map_err(|_| Refusal::NotAParty)?;
        Ok(vec![Event::DisputeAnswered { dispute: id.clone(), response, by: by.clone(), at }])
    }

    /// A facilitator of the council sets the hearing at one of its meetings.
    pub fn schedule_hearing(
        &self,
        id: &DisputeId,
        meeting: &MeetingId,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let d = self.existing_dispute(id)?;
        self.as_facilitator(&d.council, by)?;
        if self.existing_meeting(meeting)?.body != d.council {
            return Err(Refusal::FromAnotherBody { motion: meeting.to_string() });
        }
        if !matches!(d.stage, DisputeStage::Claimed | DisputeStage::Answered | DisputeStage::HearingScheduled) {
            return Err(Refusal::DisputeStage { stage: d.stage.name() });
        }
        Ok(vec![Event::HearingScheduled { dispute: id.clone(), meeting: meeting.clone(), by: by.clone(), at }])
    }

    /// A facilitator of the council records its decision with reasons, after the hearing.
    pub fn decide_dispute(
        &self,
        id: &DisputeId,
        decision: Prose,
        reasons: Prose,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let d = self.existing_dispute(id)?;
        self.as_facilitator(&d.council, by)?;
        if d.stage != DisputeStage::HearingScheduled {
            return Err(Refusal::DisputeStage { stage: d.stage.name() });
        }
        Ok(vec![Event::DisputeDecided { dispute: id.clone(), decision, reasons, by: by.clone(), at }])
    }

    /// A facilitator of either party appeals the decision: it goes to ratification by the
    /// council's constituents (see [`State::open_ratification`] for `ratification`).
    pub fn appeal_dispute(
        &self,
        id: &DisputeId,
        appellant: &BodyId,
        ratification: OpenRatification,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let d = self.existing_dispute(id)?;
        if appellant != &d.claimant && appellant != &d.respondent {
            return Err(Refusal::NotAParty);
        }
        self.as_facilitator(appellant, by).map_err(|_| Refusal::NotAParty)?;
        if d.stage != DisputeStage::Decided {
            return Err(Refusal::DisputeStage { stage: d.stage.name() });
        }
        let Some((decision, _)) = &d.decision else { return Err(Refusal::DisputeStage { stage: d.stage.name() }) };
        let ratification = OpenRatification { subject: RatificationSubject::Dispute { dispute: id.clone() }, ..ratification };
        let mut events = vec![Event::DisputeAppealed {
            dispute: id.clone(),
            appellant: appellant.clone(),
            ratification: ratification.ratification.clone(),
            by: by.clone(),
            at,
        }];
        events.extend(self.ratification_events(ratification, d.council.clone(), d.title.clone(), decision.clone(), by, at)?);
        Ok(events)
    }
}
