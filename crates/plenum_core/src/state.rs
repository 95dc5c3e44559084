//! The state the events build, and `apply`, the one place where events change it.
//!
//! Commands (in the concept modules: `resident`, `assembly`, `meeting`, `motion`, `poll`) are
//! methods on [`State`] that check the command against the state and return the events it
//! causes, without changing anything; the caller appends the events to the log and then applies
//! them. Replaying a log from the start rebuilds the same state.

use std::collections::BTreeMap;

use crate::assembly::{Body, Membership, MembershipStatus, Role};
use crate::ballot::SealedBallot;
use crate::budget::Budgets;
use crate::coalition::Coalitions;
use crate::event::Event;
use crate::id::{AccountId, BodyId, MeetingId, MotionId, PollId};
use crate::meeting::Meeting;
use crate::motion::{Amendment, AmendmentStatus, Argument, Motion, MotionStatus};
use crate::name::BodySlug;
use crate::poll::{Closed, Poll};
use crate::refusal::{Refusal, ReplayError, Thing};
use crate::resident::Resident;

/// Everything the events so far have established.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    pub(crate) residents: BTreeMap<AccountId, Resident>,
    pub(crate) bodies: BTreeMap<BodyId, Body>,
    pub(crate) slugs: BTreeMap<BodySlug, BodyId>,
    pub(crate) meetings: BTreeMap<MeetingId, Meeting>,
    pub(crate) motions: BTreeMap<MotionId, Motion>,
    pub(crate) polls: BTreeMap<PollId, Poll>,
    /// Organisations, coalitions, platforms and pledges.
    pub(crate) coalitions: Coalitions,
    pub(crate) budgets: Budgets,
    pub(crate) confederation: crate::confederation::Confederation,
    /// The resident registry.
    pub(crate) registry: crate::registry::Registry,
    /// Paper ballots of budget cycles, entered twice.
    pub(crate) paper_ballots: crate::paper_ballot::PaperBallots,
    /// Unlinkable polls' keys, tokens issued and tokens spent.
    pub(crate) unlinkable: crate::unlinkable::Unlinkable,
    /// Polls open only to residents (and from what age).
    pub(crate) poll_residency: crate::poll_residency::PollResidency,
}

impl State {
    /// The state after these events, from nothing.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a Event>) -> Result<State, ReplayError> {
        let mut state = State::default();
        for event in events {
            state.apply(event)?;
        }
        Ok(state)
    }

    #[must_use]
    pub fn resident(&self, id: &AccountId) -> Option<&Resident> {
        self.residents.get(id)
    }

    #[must_use]
    pub fn body(&self, id: &BodyId) -> Option<&Body> {
        self.bodies.get(id)
    }

    #[must_use]
    pub fn body_by_slug(&self, slug: &BodySlug) -> Option<&Body> {
        self.slugs.get(slug).and_then(|id| self.bodies.get(id))
    }

    /// Every body, in id order (which is creation order for UUIDv7 ids).
    pub fn bodies(&self) -> impl Iterator<Item = &Body> {
        self.bodies.values()
    }

    #[must_use]
    pub fn meeting(&self, id: &MeetingId) -> Option<&Meeting> {
        self.meetings.get(id)
    }

    /// A body's meetings, in id order.
    pub fn meetings_of<'a>(&'a self, body: &'a BodyId) -> impl Iterator<Item = &'a Meeting> {
        self.meetings.values().filter(move |m| &m.body == body)
    }

    #[must_use]
    pub fn motion(&self, id: &MotionId) -> Option<&Motion> {
        self.motions.get(id)
    }

    /// A body's motions, in id order.
    pub fn motions_of<'a>(&'a self, body: &'a BodyId) -> impl Iterator<Item = &'a Motion> {
        self.motions.values().filter(move |m| &m.body == body)
    }

    #[must_use]
    pub fn poll(&self, id: &PollId) -> Option<&Poll> {
        self.polls.get(id)
    }

    /// The polls held on a motion, in id order.
    pub fn polls_on<'a>(&'a self, motion: &'a MotionId) -> impl Iterator<Item = &'a Poll> {
        self.polls.values().filter(move |p| &p.motion == motion)
    }

    /// Participatory budgeting: cycles, ideas, projects.
    #[must_use]
    pub fn budgets(&self) -> &Budgets {
        &self.budgets
    }

    /// Puts a sealed budget ballot in its cycle's box (see [`Budgets::deposit`]).
    pub fn deposit_budget_ballot(&mut self, ballot: &crate::budget::SealedBudgetBallot) -> Result<(), ReplayError> {
        self.budgets.deposit(ballot)
    }

    // Lookups for commands: each refuses with `NotFound` or a permission refusal.

    pub(crate) fn existing_resident(&self, id: &AccountId) -> Result<&Resident, Refusal> {
        self.residents.get(id).ok_or_else(|| not_found(Thing::Resident, id))
    }

    pub(crate) fn existing_body(&self, id: &BodyId) -> Result<&Body, Refusal> {
        self.bodies.get(id).ok_or_else(|| not_found(Thing::Body, id))
    }

    pub(crate) fn existing_meeting(&self, id: &MeetingId) -> Result<&Meeting, Refusal> {
        self.meetings.get(id).ok_or_else(|| not_found(Thing::Meeting, id))
    }

    pub(crate) fn existing_motion(&self, id: &MotionId) -> Result<&Motion, Refusal> {
        self.motions.get(id).ok_or_else(|| not_found(Thing::Motion, id))
    }

    pub(crate) fn existing_poll(&self, id: &PollId) -> Result<&Poll, Refusal> {
        self.polls.get(id).ok_or_else(|| not_found(Thing::Poll, id))
    }

    /// The body, if `who` is one of its members.
    pub(crate) fn as_member(&self, body: &BodyId, who: &AccountId) -> Result<&Body, Refusal> {
        let body = self.existing_body(body)?;
        if body.is_member(who) { Ok(body) } else { Err(Refusal::NotAMember) }
    }

    /// The body, if `who` is one of its facilitators.
    pub(crate) fn as_facilitator(&self, body: &BodyId, who: &AccountId) -> Result<&Body, Refusal> {
        let body = self.existing_body(body)?;
        if body.is_facilitator(who) { Ok(body) } else { Err(Refusal::NotAFacilitator) }
    }

    /// Puts a sealed ballot in its poll's box. The store calls this for the ballots it holds
    /// apart from the log (a secret poll's ballots before it closes), after replaying the log.
    pub fn deposit(&mut self, ballot: &SealedBallot) -> Result<(), ReplayError> {
        let broken = |reason: &str| ReplayError { kind: "sealed_ballot", reason: reason.to_owned() };
        let poll = self.polls.get_mut(&ballot.poll).ok_or_else(|| broken("no such poll"))?;
        if poll.closed.is_some() {
            return Err(broken("the poll is closed"));
        }
        // Kept sorted by ballot id, so the box is the same whatever order the ballots came in
        // (cast one by one, or reloaded from the store) and a duplicate is found by search.
        match poll.sealed.binary_search_by(|b| b.ballot.cmp(&ballot.ballot)) {
            Ok(_) => Err(broken("a ballot with this id is in the box already")),
            Err(place) => {
                poll.sealed.insert(place, ballot.clone());
                Ok(())
            }
        }
    }

    /// Applies one event. Fails only if the event does not fit the state (a corrupt log):
    /// events made by this crate's commands always apply.
    pub fn apply(&mut self, event: &Event) -> Result<(), ReplayError> {
        let broken = |reason: String| ReplayError { kind: event.kind(), reason };
        let missing = |thing: Thing, id: &dyn std::fmt::Display| broken(format!("there is no {thing} {id}"));
        match event.clone() {
            Event::ResidentRegistered { resident, display_name, at } => {
                self.residents.insert(resident.clone(), Resident { id: resident, display_name, registered_at: at });
            }
            Event::BodyCreated { body, slug, name, charter, by, at } => {
                let mut members = BTreeMap::new();
                members.insert(by, Membership { status: MembershipStatus::Member, role: Role::Facilitator, since: at });
                self.slugs.insert(slug.clone(), body.clone());
                self.bodies.insert(body.clone(), Body { id: body, slug, name, charter, created_at: at, members });
            }
            Event::MembershipRequested { body, resident, at } => {
                let b = self.bodies.get_mut(&body).ok_or_else(|| missing(Thing::Body, &body))?;
                b.members.insert(resident, Membership { status: MembershipStatus::Requested, role: Role::Member, since: at });
            }
            Event::MembershipGranted { body, resident, at, .. } => {
                let b = self.bodies.get_mut(&body).ok_or_else(|| missing(Thing::Body, &body))?;
                b.members.insert(resident, Membership { status: MembershipStatus::Member, role: Role::Member, since: at });
            }
            Event::MembershipEnded { body, resident, .. } => {
                let b = self.bodies.get_mut(&body).ok_or_else(|| missing(Thing::Body, &body))?;
                b.members.remove(&resident);
            }
            Event::FacilitatorAppointed { body, resident, .. } => {
                let b = self.bodies.get_mut(&body).ok_or_else(|| missing(Thing::Body, &body))?;
                let m = b.members.get_mut(&resident).ok_or_else(|| missing(Thing::Resident, &resident))?;
                m.role = Role::Facilitator;
            }
            Event::MeetingScheduled { meeting, body, title, starts_at, ends_at, time_zone, venue, agenda, .. } => {
                let m = Meeting {
                    id: meeting.clone(),
                    body,
                    title,
                    starts_at,
                    ends_at,
                    time_zone,
                    venue,
                    agenda,
                    present: Vec::new(),
                    guests: 0,
                    minutes: None,
                    published_at: None,
                };
                self.meetings.insert(meeting, m);
            }
            Event::AttendanceRecorded { meeting, present, guests, .. } => {
                let m = self.meetings.get_mut(&meeting).ok_or_else(|| missing(Thing::Meeting, &meeting))?;
                m.present = present;
                m.guests = guests;
            }
            Event::MinutesRecorded { meeting, minutes, .. } => {
                let m = self.meetings.get_mut(&meeting).ok_or_else(|| missing(Thing::Meeting, &meeting))?;
                m.minutes = Some(minutes);
            }
            Event::MinutesPublished { meeting, at, .. } => {
                let m = self.meetings.get_mut(&meeting).ok_or_else(|| missing(Thing::Meeting, &meeting))?;
                m.published_at = Some(at);
            }
            Event::MotionFiled { motion, body, motion_kind: kind, title, text, proposed_charter, by, at } => {
                let m = Motion {
                    id: motion.clone(),
                    body,
                    kind,
                    title,
                    text,
                    proposed_charter,
                    mover: by,
                    filed_at: at,
                    status: MotionStatus::Open,
                    arguments: Vec::new(),
                    amendments: Vec::new(),
                };
                self.motions.insert(motion, m);
            }
            Event::MotionWithdrawn { motion, .. } => {
                let m = self.motions.get_mut(&motion).ok_or_else(|| missing(Thing::Motion, &motion))?;
                m.status = MotionStatus::Withdrawn;
            }
            Event::ArgumentAdded { argument, motion, side, text, by, at } => {
                let m = self.motions.get_mut(&motion).ok_or_else(|| missing(Thing::Motion, &motion))?;
                m.arguments.push(Argument { id: argument, side, text, by, at });
            }
            Event::AmendmentProposed { amendment, motion, text, by, at } => {
                let m = self.motions.get_mut(&motion).ok_or_else(|| missing(Thing::Motion, &motion))?;
                m.amendments.push(Amendment { id: amendment, text, by, at, status: AmendmentStatus::Proposed, poll: None });
            }
            Event::AmendmentAccepted { amendment, motion, .. } | Event::AmendmentDeclined { amendment, motion, .. } => {
                let accepted = matches!(event, Event::AmendmentAccepted { .. });
                let m = self.motions.get_mut(&motion).ok_or_else(|| missing(Thing::Motion, &motion))?;
                let a =
                    m.amendments.iter_mut().find(|a| a.id == amendment).ok_or_else(|| missing(Thing::Amendment, &amendment))?;
                if accepted {
                    a.status = AmendmentStatus::Accepted;
                    m.text = a.text.clone();
                } else {
                    a.status = AmendmentStatus::Declined;
                }
            }
            Event::AmendmentPollOpened { poll, motion, amendment, body, secrecy, rules, opens_at, closes_at, roll, .. } => {
                let m = self.motions.get_mut(&motion).ok_or_else(|| missing(Thing::Motion, &motion))?;
                let a =
                    m.amendments.iter_mut().find(|a| a.id == amendment).ok_or_else(|| missing(Thing::Amendment, &amendment))?;
                a.status = AmendmentStatus::Voting;
                a.poll = Some(poll.clone());
                let p = Poll::opened(poll.clone(), motion, Some(amendment), body, secrecy, rules, (opens_at, closes_at), roll);
                self.polls.insert(poll, p);
            }
            Event::AmendmentDecided { amendment, motion, adopted, .. } => {
                let m = self.motions.get_mut(&motion).ok_or_else(|| missing(Thing::Motion, &motion))?;
                let a =
                    m.amendments.iter_mut().find(|a| a.id == amendment).ok_or_else(|| missing(Thing::Amendment, &amendment))?;
                if adopted {
                    a.status = AmendmentStatus::Accepted;
                    m.text = a.text.clone();
                } else {
                    a.status = AmendmentStatus::Declined;
                }
            }
            Event::PollOpened { poll, motion, body, secrecy, rules, opens_at, closes_at, roll, .. } => {
                let m = self.motions.get_mut(&motion).ok_or_else(|| missing(Thing::Motion, &motion))?;
                m.status = MotionStatus::Voting { poll: poll.clone() };
                let p = Poll::opened(poll.clone(), motion, None, body, secrecy, rules, (opens_at, closes_at), roll);
                self.polls.insert(poll, p);
            }
            Event::VoteCast { poll, member, choice, .. } => {
                let p = self.polls.get_mut(&poll).ok_or_else(|| missing(Thing::Poll, &poll))?;
                if !p.voted.insert(member.clone()) {
                    return Err(broken(format!("{member} voted twice")));
                }
                p.votes.insert(member, choice);
            }
            Event::RollMarked { poll, member } => {
                let p = self.polls.get_mut(&poll).ok_or_else(|| missing(Thing::Poll, &poll))?;
                if !p.voted.insert(member.clone()) {
                    return Err(broken(format!("{member} voted twice")));
                }
            }
            Event::InPersonCounted { poll, count, .. } => {
                let p = self.polls.get_mut(&poll).ok_or_else(|| missing(Thing::Poll, &poll))?;
                p.in_person = Some(count);
            }
            Event::PollClosed { poll, result, ballots, at } => {
                let p = self.polls.get_mut(&poll).ok_or_else(|| missing(Thing::Poll, &poll))?;
                p.sealed.clear();
                p.closed = Some(Closed { result: result.clone(), ballots, at });
                if p.amendment.is_some() {
                    // `amendment_decided` follows and settles the amendment; the motion stays open.
                    return Ok(());
                }
                let m = self.motions.get_mut(&p.motion).ok_or_else(|| missing(Thing::Motion, &p.motion))?;
                m.status = if result.passed {
                    MotionStatus::Passed { poll: poll.clone() }
                } else {
                    MotionStatus::Rejected { poll: poll.clone() }
                };
            }
            Event::CharterAmended { body, charter, .. } => {
                let b = self.bodies.get_mut(&body).ok_or_else(|| missing(Thing::Body, &body))?;
                b.charter = charter;
            }
            // --- coalitions ---
            Event::OrganisationCreated { .. }
            | Event::RepresentativeAdded { .. }
            | Event::RepresentativeRemoved { .. }
            | Event::CoalitionFounded { .. }
            | Event::MembershipProposed { .. }
            | Event::MembershipStanceTaken { .. }
            | Event::MembershipDecided { .. }
            | Event::CoalitionLeft { .. }
            | Event::IndividualJoined { .. }
            | Event::IndividualLeft { .. }
            | Event::PlankProposed { .. }
            | Event::PlankAmended { .. }
            | Event::PlankShared { .. }
            | Event::PositionTaken { .. }
            | Event::PlankAdopted { .. }
            | Event::CandidateEntered { .. }
            | Event::PledgeSigned { .. }
            | Event::PledgeWithdrawn { .. }
            | Event::CandidateElected { .. }
            | Event::OfficialVoteRecorded { .. } => self.coalitions.apply(event)?,
            // --- budget cycles ---
            Event::BudgetCycleCreated { .. }
            | Event::BudgetBallotSet { .. }
            | Event::BudgetPhaseChanged { .. }
            | Event::BudgetVoteOpened { .. }
            | Event::BudgetRollMarked { .. }
            | Event::BudgetVoteCounted { .. }
            | Event::IdeaSubmitted { .. }
            | Event::IdeaSupported { .. }
            | Event::IdeaCommented { .. }
            | Event::IdeasMerged { .. }
            | Event::BudgetProjectDeveloped { .. }
            | Event::BudgetProjectReviewed { .. }
            | Event::ProjectProgressRecorded { .. }
            | Event::BudgetCycleImported { .. } => self.budgets.apply(event)?,
            // --- confederation ---
            Event::CouncilCreated { .. }
            | Event::DelegatesElected { .. }
            | Event::DrawAnnounced { .. }
            | Event::VolunteerEnrolled { .. }
            | Event::DrawHeld { .. }
            | Event::SeatVacated { .. }
            | Event::SeatFilled { .. }
            | Event::MandateSought { .. }
            | Event::MandateDecided { .. }
            | Event::MandateDeviated { .. }
            | Event::DelegateReported { .. }
            | Event::RecallStarted { .. }
            | Event::RecallSigned { .. }
            | Event::RecallQualified { .. }
            | Event::RecallDecided { .. }
            | Event::RatificationOpened { .. }
            | Event::RatificationDecided { .. }
            | Event::DisputeBrought { .. }
            | Event::DisputeAnswered { .. }
            | Event::HearingScheduled { .. }
            | Event::DisputeDecided { .. }
            | Event::DisputeAppealed { .. }
            | Event::TaskAdded { .. }
            | Event::TaskUpdated { .. } => {
                self.apply_confederation(event)?;
            }
            // --- registry ---
            Event::RegistrarAppointed { .. }
            | Event::ResidentEnrolled { .. }
            | Event::CredentialClaimed { .. }
            | Event::PersonalDataRead { .. }
            | Event::PersonalDataErased { .. }
            | Event::LegalDemandRecorded { .. }
            | Event::BudgetResidencyRequired { .. } => self.registry.apply(event)?,
            // --- paper ballots ---
            Event::PaperVolunteerAppointed { .. } | Event::PaperBallotEntered { .. } | Event::PaperBallotResolved { .. } => {
                self.paper_ballots.apply(event)?;
            }
            // --- unlinkable ballots ---
            Event::VotingKeyPublished { .. } | Event::VotingTokenIssued { .. } | Event::VotingTokenSpent { .. } => {
                self.apply_unlinkable(event)?;
            }
            // --- poll residency ---
            Event::PollResidencyRequired { .. } => self.poll_residency.apply(event),
        }
        Ok(())
    }
}

pub(crate) fn not_found(thing: Thing, id: &impl std::fmt::Display) -> Refusal {
    Refusal::NotFound { thing, id: id.to_string() }
}

pub(crate) fn already_exists(thing: Thing, id: &impl std::fmt::Display) -> Refusal {
    Refusal::AlreadyExists { thing, id: id.to_string() }
}
