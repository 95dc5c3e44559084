//! Candidates and their pledges: a candidate for office (who made their own public profile, or
//! whom a coalition entered) pledges to planks of a coalition's platform; a pledge is signed
//! with the candidate's name, dated, and can be withdrawn (the withdrawal stays on record).
//! Once elected, an official's votes are recorded against their pledges.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::coalition::{Coalitions, broken};
use crate::event::Event;
use crate::id::{AccountId, CandidateId, OrganisationId, PlankId, VoteRecordId};
use crate::instant::Instant;
use crate::name::{DisplayName, Prose, Title};
use crate::refusal::{Refusal, ReplayError, Thing};
use crate::state::{State, already_exists, not_found};

/// How an official voted on a question their pledge bears on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfficialVote {
    /// Voted as the plank asks: the pledge kept.
    WithThePledge,
    /// Voted against what the plank asks: the pledge broken.
    AgainstThePledge,
    Abstained,
    Absent,
}

impl OfficialVote {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            OfficialVote::WithThePledge => "with_the_pledge",
            OfficialVote::AgainstThePledge => "against_the_pledge",
            OfficialVote::Abstained => "abstained",
            OfficialVote::Absent => "absent",
        }
    }
}

/// A pledge as it stands: signed, and perhaps withdrawn since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pledge {
    pub coalition: OrganisationId,
    pub plank: PlankId,
    /// The plank's version the candidate signed.
    pub version: u32,
    pub signature: DisplayName,
    pub signed_at: Instant,
    pub withdrawn: Option<Withdrawal>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    pub reason: Option<Prose>,
    pub at: Instant,
}

/// An official's vote, recorded against a pledge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteRecord {
    pub id: VoteRecordId,
    pub coalition: OrganisationId,
    pub plank: PlankId,
    pub question: Title,
    pub vote: OfficialVote,
    pub held_at: Instant,
    pub by: AccountId,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: CandidateId,
    pub name: DisplayName,
    pub office: Title,
    pub statement: Option<Prose>,
    /// The candidate's own account, when they made the profile.
    pub account: Option<AccountId>,
    /// The coalition that entered them, when they did not.
    pub coalition: Option<OrganisationId>,
    pub entered_at: Instant,
    pub elected_at: Option<Instant>,
    /// Pledges by (coalition, plank); signing again after a withdrawal replaces the record
    /// here, the log keeps both.
    pub pledges: BTreeMap<(OrganisationId, PlankId), Pledge>,
    pub votes: Vec<VoteRecord>,
}

impl Candidate {
    /// Standing (not withdrawn) pledges.
    pub fn standing(&self) -> impl Iterator<Item = &Pledge> {
        self.pledges.values().filter(|p| p.withdrawn.is_none())
    }
}

/// What is needed to enter a candidate.
#[derive(Debug, Clone)]
pub struct EnterCandidate {
    pub candidate: CandidateId,
    pub name: DisplayName,
    pub office: Title,
    pub statement: Option<Prose>,
    /// `None`: the resident enters themselves. `Some(coalition)`: a representative of one of
    /// its members enters the candidate for the coalition.
    pub coalition: Option<OrganisationId>,
}

impl State {
    /// Every candidate, in id order.
    pub fn candidates(&self) -> impl Iterator<Item = &Candidate> {
        self.coalitions.candidates.values()
    }

    #[must_use]
    pub fn candidate(&self, id: &CandidateId) -> Option<&Candidate> {
        self.coalitions.candidates.get(id)
    }

    fn existing_candidate(&self, id: &CandidateId) -> Result<&Candidate, Refusal> {
        self.candidate(id).ok_or_else(|| not_found(Thing::Candidate, id))
    }

    /// The candidate, if `who` is the candidate or acts for the coalition that entered them.
    fn as_candidate(&self, id: &CandidateId, who: &AccountId) -> Result<&Candidate, Refusal> {
        let c = self.existing_candidate(id)?;
        let own = c.account.as_ref() == Some(who);
        let for_coalition = c.coalition.as_ref().is_some_and(|k| self.as_coalition_member(k, who).is_ok());
        if own || for_coalition { Ok(c) } else { Err(Refusal::NotTheCandidate) }
    }

    /// A resident makes their own candidate profile, or a coalition enters a candidate.
    pub fn enter_candidate(&self, new: EnterCandidate, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        self.existing_resident(by)?;
        if self.coalitions.candidates.contains_key(&new.candidate) {
            return Err(already_exists(Thing::Candidate, &new.candidate));
        }
        let account = match &new.coalition {
            Some(coalition) => {
                self.as_coalition_member(coalition, by)?;
                None
            }
            None => Some(by.clone()),
        };
        Ok(vec![Event::CandidateEntered {
            candidate: new.candidate,
            name: new.name,
            office: new.office,
            statement: new.statement,
            account,
            coalition: new.coalition,
            by: by.clone(),
            at,
        }])
    }

    /// The candidate pledges to a plank of a coalition's platform, signing with their name.
    pub fn sign_pledge(
        &self,
        candidate: &CandidateId,
        coalition: &OrganisationId,
        plank: &PlankId,
        signature: DisplayName,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let c = self.as_candidate(candidate, by)?;
        let k = self.existing_coalition(coalition)?;
        if k.entry(plank).is_none() {
            return Err(Refusal::PlankNotOnPlatform);
        }
        let version = self.existing_plank(plank)?.version();
        if c.pledges.get(&(coalition.clone(), plank.clone())).is_some_and(|p| p.withdrawn.is_none()) {
            return Err(Refusal::AlreadyPledged);
        }
        Ok(vec![Event::PledgeSigned {
            candidate: candidate.clone(),
            coalition: coalition.clone(),
            plank: plank.clone(),
            version,
            signature,
            by: by.clone(),
            at,
        }])
    }

    pub fn withdraw_pledge(
        &self,
        candidate: &CandidateId,
        coalition: &OrganisationId,
        plank: &PlankId,
        reason: Option<Prose>,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let c = self.as_candidate(candidate, by)?;
        if c.pledges.get(&(coalition.clone(), plank.clone())).is_none_or(|p| p.withdrawn.is_some()) {
            return Err(Refusal::NoPledge);
        }
        Ok(vec![Event::PledgeWithdrawn {
            candidate: candidate.clone(),
            coalition: coalition.clone(),
            plank: plank.clone(),
            reason,
            by: by.clone(),
            at,
        }])
    }

    /// The candidate, the coalition that entered them, or a coalition they pledged to records
    /// that they were elected.
    pub fn record_elected(&self, candidate: &CandidateId, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let c = self.existing_candidate(candidate)?;
        let pledged_coalition = c.pledges.keys().any(|(k, _)| self.as_coalition_member(k, by).is_ok());
        if !pledged_coalition {
            self.as_candidate(candidate, by)?;
        }
        if c.elected_at.is_some() {
            return Err(Refusal::AlreadyElected);
        }
        Ok(vec![Event::CandidateElected { candidate: candidate.clone(), by: by.clone(), at }])
    }

    /// A representative of a member of the coalition records an elected official's vote
    /// against their pledge to one of its planks.
    #[expect(clippy::too_many_arguments, reason = "one command, all its parts named")]
    pub fn record_official_vote(
        &self,
        record: VoteRecordId,
        candidate: &CandidateId,
        coalition: &OrganisationId,
        plank: &PlankId,
        question: Title,
        vote: OfficialVote,
        held_at: Instant,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        self.as_coalition_member(coalition, by)?;
        let c = self.existing_candidate(candidate)?;
        if c.elected_at.is_none() {
            return Err(Refusal::NotElected);
        }
        if !c.pledges.contains_key(&(coalition.clone(), plank.clone())) {
            return Err(Refusal::NoPledge);
        }
        if c.votes.iter().any(|v| v.id == record) {
            return Err(Refusal::Duplicate { id: record.to_string() });
        }
        Ok(vec![Event::OfficialVoteRecorded {
            record,
            candidate: candidate.clone(),
            coalition: coalition.clone(),
            plank: plank.clone(),
            question,
            vote,
            held_at,
            by: by.clone(),
            at,
        }])
    }
}

impl Coalitions {
    fn candidate_mut(&mut self, event: &Event, id: &CandidateId) -> Result<&mut Candidate, ReplayError> {
        self.candidates.get_mut(id).ok_or_else(|| broken(event, format!("there is no candidate {id}")))
    }

    pub(crate) fn apply_pledge(&mut self, event: &Event) -> Result<(), ReplayError> {
        match event {
            Event::CandidateEntered { candidate, name, office, statement, account, coalition, at, .. } => {
                let c = Candidate {
                    id: candidate.clone(),
                    name: name.clone(),
                    office: office.clone(),
                    statement: statement.clone(),
                    account: account.clone(),
                    coalition: coalition.clone(),
                    entered_at: *at,
                    elected_at: None,
                    pledges: BTreeMap::new(),
                    votes: Vec::new(),
                };
                self.candidates.insert(candidate.clone(), c);
            }
            Event::PledgeSigned { candidate, coalition, plank, version, signature, at, .. } => {
                let pledge = Pledge {
                    coalition: coalition.clone(),
                    plank: plank.clone(),
                    version: *version,
                    signature: signature.clone(),
                    signed_at: *at,
                    withdrawn: None,
                };
                self.candidate_mut(event, candidate)?.pledges.insert((coalition.clone(), plank.clone()), pledge);
            }
            Event::PledgeWithdrawn { candidate, coalition, plank, reason, at, .. } => {
                let c = self.candidate_mut(event, candidate)?;
                let p = c
                    .pledges
                    .get_mut(&(coalition.clone(), plank.clone()))
                    .ok_or_else(|| broken(event, "no such pledge".to_owned()))?;
                p.withdrawn = Some(Withdrawal { reason: reason.clone(), at: *at });
            }
            Event::CandidateElected { candidate, at, .. } => {
                self.candidate_mut(event, candidate)?.elected_at = Some(*at);
            }
            Event::OfficialVoteRecorded { record, candidate, coalition, plank, question, vote, held_at, by, .. } => {
                self.candidate_mut(event, candidate)?.votes.push(VoteRecord {
                    id: record.clone(),
                    coalition: coalition.clone(),
                    plank: plank.clone(),
                    question: question.clone(),
                    vote: *vote,
                    held_at: *held_at,
                    by: by.clone(),
                });
            }
            other => return Err(broken(other, "not a pledge event".to_owned())),
        }
        Ok(())
    }
}
