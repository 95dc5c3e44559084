//! The confederation's state: councils, delegations, draws, mandates, recalls, ratifications,
//! disputes and tasks, held by one field of [`State`]; how its events apply; and what follows
//! a vote or the close of a poll that belongs to it (a mandate, a recall, a ratification).

use std::collections::BTreeMap;

use crate::assembly::{Membership, MembershipStatus, Role};
use crate::council::Council;
use crate::delegate::{Delegation, ElectionRecord, Seat, SeatEnded, SeatedBy};
use crate::dispute::{Dispute, DisputeStage};
use crate::event::Event;
use crate::id::{AccountId, BodyId, DisputeId, DrawId, MotionId, PollId, RatificationId, RecallId, TaskId};
use crate::instant::Instant;
use crate::mandate::{Deviation, Mandate, Report, mandate_of};
use crate::poll::PollResult;
use crate::ratification::{Ratification, RatificationSubject};
use crate::recall::{Recall, RecallStage};
use crate::refusal::{ReplayError, Thing};
use crate::sortition::{Draw, Redraw};
use crate::state::State;
use crate::task::{Task, TaskStatus, TaskUpdate};

/// What a poll run for the confederation decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollPurpose {
    Mandate { council_motion: MotionId, constituent: BodyId },
    Recall { recall: RecallId },
    Ratification { ratification: RatificationId },
}

/// Everything the confederation's events have established.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Confederation {
    pub(crate) councils: BTreeMap<BodyId, Council>,
    /// By (council, constituent).
    pub(crate) delegations: BTreeMap<(BodyId, BodyId), Delegation>,
    pub(crate) draws: BTreeMap<DrawId, Draw>,
    /// By (council motion, constituent).
    pub(crate) mandates: BTreeMap<(MotionId, BodyId), Mandate>,
    pub(crate) deviations: Vec<Deviation>,
    pub(crate) reports: Vec<Report>,
    pub(crate) recalls: BTreeMap<RecallId, Recall>,
    pub(crate) ratifications: BTreeMap<RatificationId, Ratification>,
    pub(crate) disputes: BTreeMap<DisputeId, Dispute>,
    pub(crate) tasks: BTreeMap<TaskId, Task>,
    pub(crate) poll_purposes: BTreeMap<PollId, PollPurpose>,
}

impl State {
    /// What a poll decides for the confederation, if anything.
    #[must_use]
    pub fn poll_purpose(&self, poll: &PollId) -> Option<&PollPurpose> {
        self.confederation.poll_purposes.get(poll)
    }

    /// The events that follow a poll's close with `result` (before it is applied).
    pub(crate) fn after_poll_closed(&self, poll: &PollId, result: &PollResult, at: Instant) -> Vec<Event> {
        match self.confederation.poll_purposes.get(poll) {
            Some(PollPurpose::Mandate { council_motion, constituent }) => vec![Event::MandateDecided {
                council_motion: council_motion.clone(),
                constituent: constituent.clone(),
                poll: poll.clone(),
                mandate: mandate_of(result),
                at,
            }],
            Some(PollPurpose::Recall { recall }) => self.after_recall_poll(recall, poll, result, at),
            Some(PollPurpose::Ratification { ratification }) => self.after_ratification_poll(ratification, poll, result, at),
            None => Vec::new(),
        }
    }

    fn seat_member(&mut self, council: &BodyId, who: &AccountId, at: Instant) {
        if let Some(b) = self.bodies.get_mut(council) {
            b.members.entry(who.clone()).or_insert(Membership {
                status: MembershipStatus::Member,
                role: Role::Member,
                since: at,
            });
        }
    }

    fn unseat_member(&mut self, council: &BodyId, who: &AccountId) {
        if let Some(b) = self.bodies.get_mut(council)
            && b.members.get(who).is_some_and(|m| m.role == Role::Member)
        {
            b.members.remove(who);
        }
    }

    /// A new round: the seats held end, the new delegates are seated.
    fn new_round(
        &mut self,
        key: (BodyId, BodyId),
        round: u32,
        seated: &[AccountId],
        seated_by: &SeatedBy,
        term_ends: Instant,
        at: Instant,
    ) {
        let d = self.confederation.delegations.entry(key.clone()).or_default();
        let mut leaving = Vec::new();
        for s in d.seats.iter_mut().filter(|s| s.ended.is_none()) {
            s.ended = Some((at, SeatEnded::NextRound));
            leaving.push(s.delegate.clone());
        }
        d.round = round;
        for who in seated {
            d.seats.push(Seat { delegate: who.clone(), round, seated_by: seated_by.clone(), since: at, term_ends, ended: None });
        }
        for who in leaving.iter().filter(|w| !seated.contains(w)) {
            self.unseat_member(&key.0, who);
        }
        for who in seated {
            self.seat_member(&key.0, who, at);
        }
    }

    /// Applies one of the confederation's events.
    pub(crate) fn apply_confederation(&mut self, event: &Event) -> Result<(), ReplayError> {
        let broken = |reason: String| ReplayError { kind: event.kind(), reason };
        let missing = |thing: Thing, id: &dyn std::fmt::Display| broken(format!("there is no {thing} {id}"));
        let c = &mut self.confederation;
        match event.clone() {
            Event::CouncilCreated { council, constituents, seat_rule, ratification, at, .. } => {
                c.councils
                    .insert(council.clone(), Council { id: council, constituents, seat_rule, ratification, created_at: at });
            }
            Event::DelegatesElected { council, constituent, round, candidates, ballots, elected, term_ends, at, .. } => {
                let seats = c
                    .councils
                    .get(&council)
                    .and_then(|k| k.constituent(&constituent))
                    .map(|k| k.seats)
                    .ok_or_else(|| missing(Thing::Council, &council))?;
                let key = (council, constituent);
                let d = c.delegations.entry(key.clone()).or_default();
                d.last_election = Some(ElectionRecord { candidates, ballots, seats });
                d.last_draw = None;
                self.new_round(key, round, &elected, &SeatedBy::Election, term_ends, at);
            }
            Event::DrawAnnounced {
                draw,
                council,
                constituent,
                seats,
                commitment,
                volunteers_close_at,
                quotas,
                term_ends,
                at,
                ..
            } => {
                c.draws.insert(
                    draw.clone(),
                    Draw {
                        id: draw,
                        council,
                        constituent,
                        seats,
                        commitment,
                        volunteers_close_at,
                        quotas,
                        term_ends,
                        announced_at: at,
                        volunteers: Vec::new(),
                        held: None,
                        redraws: Vec::new(),
                    },
                );
            }
            Event::VolunteerEnrolled { draw, resident, category, .. } => {
                let d = c.draws.get_mut(&draw).ok_or_else(|| missing(Thing::Draw, &draw))?;
                d.volunteers.push(crate::sortition::Volunteer { resident, category });
            }
            Event::DrawHeld { draw, round, seed, drawn, at } => {
                let d = c.draws.get_mut(&draw).ok_or_else(|| missing(Thing::Draw, &draw))?;
                d.held = Some((seed, drawn.clone()));
                let (key, term_ends) = ((d.council.clone(), d.constituent.clone()), d.term_ends);
                let del = c.delegations.entry(key.clone()).or_default();
                del.last_draw = Some(draw.clone());
                del.last_election = None;
                self.new_round(key, round, &drawn, &SeatedBy::Sortition { draw }, term_ends, at);
            }
            Event::SeatVacated { council, constituent, delegate, reason, at } => {
                let d =
                    c.delegations.get_mut(&(council.clone(), constituent)).ok_or_else(|| missing(Thing::Council, &council))?;
                let s = d
                    .seats
                    .iter_mut()
                    .find(|s| s.ended.is_none() && s.delegate == delegate)
                    .ok_or_else(|| missing(Thing::Resident, &delegate))?;
                s.ended = Some((at, reason));
                self.unseat_member(&council, &delegate);
            }
            Event::SeatFilled { council, constituent, delegate, replaces, seated_by, term_ends, at } => {
                if let SeatedBy::Redraw { draw, round } = &seated_by {
                    let d = c.draws.get_mut(draw).ok_or_else(|| missing(Thing::Draw, draw))?;
                    d.redraws.push(Redraw { round: *round, departed: replaces, drawn: delegate.clone() });
                }
                let d =
                    c.delegations.get_mut(&(council.clone(), constituent)).ok_or_else(|| missing(Thing::Council, &council))?;
                d.seats.push(Seat { delegate: delegate.clone(), round: d.round, seated_by, since: at, term_ends, ended: None });
                self.seat_member(&council, &delegate, at);
            }
            Event::MandateSought { council, council_motion, constituent, poll, .. } => {
                c.poll_purposes.insert(
                    poll.clone(),
                    PollPurpose::Mandate { council_motion: council_motion.clone(), constituent: constituent.clone() },
                );
                c.mandates.insert(
                    (council_motion.clone(), constituent.clone()),
                    Mandate { council, council_motion, constituent, poll, decided: None },
                );
            }
            Event::MandateDecided { council_motion, constituent, mandate, .. } => {
                let m = c
                    .mandates
                    .get_mut(&(council_motion.clone(), constituent))
                    .ok_or_else(|| missing(Thing::Motion, &council_motion))?;
                m.decided = Some(mandate);
            }
            Event::MandateDeviated { council, council_motion, poll, constituent, delegate, mandate, vote, at } => {
                c.deviations.push(Deviation { council, council_motion, poll, constituent, delegate, mandate, vote, at });
            }
            Event::DelegateReported { report, council, constituent, meeting, delegate, text, at } => {
                c.reports.push(Report { id: report, council, constituent, meeting, delegate, text, at });
            }
            Event::RecallStarted { recall, council, constituent, delegate, reason, share, closes_at, by, at } => {
                let signers = by.iter().cloned().collect();
                c.recalls.insert(
                    recall.clone(),
                    Recall {
                        id: recall,
                        council,
                        constituent,
                        delegate,
                        reason,
                        share,
                        closes_at,
                        started_by: by,
                        started_at: at,
                        signers,
                        stage: RecallStage::Gathering,
                    },
                );
            }
            Event::RecallSigned { recall, resident, .. } => {
                let r = c.recalls.get_mut(&recall).ok_or_else(|| missing(Thing::Recall, &recall))?;
                if !r.signers.insert(resident.clone()) {
                    return Err(broken(format!("{resident} signed twice")));
                }
            }
            Event::RecallQualified { recall, poll, .. } => {
                let r = c.recalls.get_mut(&recall).ok_or_else(|| missing(Thing::Recall, &recall))?;
                r.stage = RecallStage::Polling { poll: poll.clone() };
                c.poll_purposes.insert(poll, PollPurpose::Recall { recall });
            }
            Event::RecallDecided { recall, poll, recalled, .. } => {
                let r = c.recalls.get_mut(&recall).ok_or_else(|| missing(Thing::Recall, &recall))?;
                r.stage = if recalled { RecallStage::Recalled { poll } } else { RecallStage::Kept { poll } };
            }
            Event::RatificationOpened { ratification, council, subject, title, nodes, closes_at, at, .. } => {
                for p in nodes.iter().filter_map(|n| n.poll.clone()) {
                    c.poll_purposes.insert(p, PollPurpose::Ratification { ratification: ratification.clone() });
                }
                c.ratifications.insert(
                    ratification.clone(),
                    Ratification { id: ratification, council, subject, title, nodes, closes_at, opened_at: at, outcome: None },
                );
            }
            Event::RatificationDecided { ratification, outcome, .. } => {
                let r = c.ratifications.get_mut(&ratification).ok_or_else(|| missing(Thing::Ratification, &ratification))?;
                let ratified = outcome.ratified;
                r.outcome = Some(outcome);
                if let RatificationSubject::Dispute { dispute } = &r.subject {
                    let d = c.disputes.get_mut(dispute).ok_or_else(|| missing(Thing::Dispute, dispute))?;
                    d.stage = if ratified {
                        DisputeStage::Upheld { ratification: ratification.clone() }
                    } else {
                        DisputeStage::Overturned { ratification: ratification.clone() }
                    };
                }
            }
            Event::DisputeBrought { dispute, council, claimant, respondent, title, claim, at, .. } => {
                c.disputes.insert(
                    dispute.clone(),
                    Dispute {
                        id: dispute,
                        council,
                        claimant,
                        respondent,
                        title,
                        claim,
                        response: None,
                        hearing: None,
                        decision: None,
                        brought_at: at,
                        stage: DisputeStage::Claimed,
                    },
                );
            }
            Event::DisputeAnswered { dispute, response, .. } => {
                let d = c.disputes.get_mut(&dispute).ok_or_else(|| missing(Thing::Dispute, &dispute))?;
                d.response = Some(response);
                if d.stage == DisputeStage::Claimed {
                    d.stage = DisputeStage::Answered;
                }
            }
            Event::HearingScheduled { dispute, meeting, .. } => {
                let d = c.disputes.get_mut(&dispute).ok_or_else(|| missing(Thing::Dispute, &dispute))?;
                d.hearing = Some(meeting);
                d.stage = DisputeStage::HearingScheduled;
            }
            Event::DisputeDecided { dispute, decision, reasons, .. } => {
                let d = c.disputes.get_mut(&dispute).ok_or_else(|| missing(Thing::Dispute, &dispute))?;
                d.decision = Some((decision, reasons));
                d.stage = DisputeStage::Decided;
            }
            Event::DisputeAppealed { dispute, ratification, .. } => {
                let d = c.disputes.get_mut(&dispute).ok_or_else(|| missing(Thing::Dispute, &dispute))?;
                d.stage = DisputeStage::Appealed { ratification };
            }
            Event::TaskAdded { task, council, title, responsible, due, at, .. } => {
                c.tasks.insert(
                    task.clone(),
                    Task {
                        id: task,
                        council,
                        title,
                        responsible,
                        due,
                        status: TaskStatus::Open,
                        added_at: at,
                        updates: Vec::new(),
                    },
                );
            }
            Event::TaskUpdated { task, status, note, by, at } => {
                let t = c.tasks.get_mut(&task).ok_or_else(|| missing(Thing::Task, &task))?;
                t.status = status;
                t.updates.push(TaskUpdate { status, note, by, at });
            }
            other => return Err(broken(format!("{} is not a confederation event", other.kind()))),
        }
        Ok(())
    }
}
