//! Mandates: how a constituent's delegates must vote on a council agenda item, decided by the
//! constituent's own poll; the delegates' votes compared with it; and delegates' reports back.
//!
//! A facilitator of a constituent *seeks* a mandate on a council motion: this files a motion of
//! kind `mandate` in the constituent (its text is the council motion's) and opens its poll.
//! When that poll closes the mandate is decided: passed means the delegates must vote yes,
//! rejected means no, and a poll without quorum gives no mandate (the delegates are free).
//! When a delegate casts an open vote on the council motion against the mandate, a
//! `mandate_deviated` event records it publicly at once, and if the constituent's charter says
//! so a recall petition opens with it ([`crate::recall`]).

use serde::{Deserialize, Serialize};

use crate::event::Event;
use crate::id::{AccountId, BodyId, MeetingId, MotionId, PollId, ReportId};
use crate::instant::Instant;
use crate::motion::{MotionKind, MotionStatus};
use crate::name::Prose;
use crate::poll::{Choice, PollResult, Secrecy};
use crate::refusal::{Refusal, Thing};
use crate::state::{State, already_exists};

/// A constituent's mandate on a council motion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mandate {
    pub council: BodyId,
    pub council_motion: MotionId,
    pub constituent: BodyId,
    /// The constituent's poll that decides it.
    pub poll: PollId,
    /// `None` while the poll runs; then `Some(None)` for no mandate, `Some(Some(choice))`.
    pub decided: Option<Option<Choice>>,
}

/// A delegate's vote against their constituent's mandate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deviation {
    pub council: BodyId,
    pub council_motion: MotionId,
    pub poll: PollId,
    pub constituent: BodyId,
    pub delegate: AccountId,
    pub mandate: Choice,
    pub vote: Choice,
    pub at: Instant,
}

/// A delegate's report back to the constituent on a council meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: ReportId,
    pub council: BodyId,
    pub constituent: BodyId,
    pub meeting: MeetingId,
    pub delegate: AccountId,
    pub text: Prose,
    pub at: Instant,
}

/// What is needed to seek a mandate.
#[derive(Debug, Clone)]
pub struct SeekMandate {
    pub council_motion: MotionId,
    pub constituent: BodyId,
    /// The ids of the constituent's mandate motion and its poll.
    pub motion: MotionId,
    pub poll: PollId,
    pub secrecy: Secrecy,
    pub closes_at: Instant,
}

/// The mandate a closed poll gives: yes if passed, no if it failed with a quorum, none without.
#[must_use]
pub fn mandate_of(result: &PollResult) -> Option<Choice> {
    if !result.quorum_met {
        None
    } else if result.passed {
        Some(Choice::Yes)
    } else {
        Some(Choice::No)
    }
}

impl State {
    /// The mandate a constituent gave on a council motion.
    #[must_use]
    pub fn mandate(&self, council_motion: &MotionId, constituent: &BodyId) -> Option<&Mandate> {
        self.confederation.mandates.get(&(council_motion.clone(), constituent.clone()))
    }

    /// The mandates given on a council motion, by constituent.
    pub fn mandates_on<'a>(&'a self, council_motion: &'a MotionId) -> impl Iterator<Item = &'a Mandate> {
        self.confederation.mandates.values().filter(move |m| &m.council_motion == council_motion)
    }

    /// Every vote against a mandate, in the order cast.
    #[must_use]
    pub fn deviations(&self) -> &[Deviation] {
        &self.confederation.deviations
    }

    /// Reports, in the order filed.
    #[must_use]
    pub fn reports(&self) -> &[Report] {
        &self.confederation.reports
    }

    /// A facilitator of a constituent puts to its members how its delegates must vote on a
    /// council motion that is open or being voted on.
    pub fn seek_mandate(&self, new: SeekMandate, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let item = self.existing_motion(&new.council_motion)?;
        let council = self.existing_council(&item.body)?;
        if council.constituent(&new.constituent).is_none() {
            return Err(Refusal::NotAConstituent { body: new.constituent.to_string() });
        }
        if !matches!(item.status, MotionStatus::Open | MotionStatus::Voting { .. }) {
            return Err(Refusal::MotionNotOpen { status: item.status.name() });
        }
        let body = self.as_facilitator(&new.constituent, by)?;
        self.check_council_secrecy(&new.constituent, new.secrecy)?;
        if self.mandate(&new.council_motion, &new.constituent).is_some_and(|m| m.decided.is_none()) {
            return Err(Refusal::AlreadyExists { thing: Thing::Poll, id: format!("mandate on {}", new.council_motion) });
        }
        if self.motions.contains_key(&new.motion) {
            return Err(already_exists(Thing::Motion, &new.motion));
        }
        if self.polls.contains_key(&new.poll) {
            return Err(already_exists(Thing::Poll, &new.poll));
        }
        if new.closes_at <= at {
            return Err(Refusal::BadWindow);
        }
        Ok(vec![
            Event::MotionFiled {
                motion: new.motion.clone(),
                body: new.constituent.clone(),
                motion_kind: MotionKind::Mandate,
                title: item.title.clone(),
                text: item.text.clone(),
                proposed_charter: None,
                by: by.clone(),
                at,
            },
            Event::PollOpened {
                poll: new.poll.clone(),
                motion: new.motion,
                body: new.constituent.clone(),
                secrecy: new.secrecy,
                rules: body.charter.rules_for(MotionKind::Mandate),
                opens_at: at,
                closes_at: new.closes_at,
                roll: body.current_members().cloned().collect(),
                by: by.clone(),
                at,
            },
            Event::MandateSought {
                council: council.id.clone(),
                council_motion: new.council_motion,
                constituent: new.constituent,
                poll: new.poll,
                at,
            },
        ])
    }

    /// A delegate reports back to their constituent on a council meeting.
    pub fn file_report(
        &self,
        report: ReportId,
        meeting: &MeetingId,
        text: Prose,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let m = self.existing_meeting(meeting)?;
        self.existing_council(&m.body)?;
        let (constituent, _) = self.seat_of(&m.body, by).ok_or(Refusal::NotADelegate)?;
        if self.confederation.reports.iter().any(|r| r.id == report) {
            return Err(already_exists(Thing::Report, &report));
        }
        Ok(vec![Event::DelegateReported {
            report,
            council: m.body.clone(),
            constituent: constituent.clone(),
            meeting: meeting.clone(),
            delegate: by.clone(),
            text,
            at,
        }])
    }

    /// The events a delegate's open vote on a council motion adds: a deviation if it goes
    /// against the mandate, and the automatic recall petition if the charter asks for one.
    pub(crate) fn after_council_vote(&self, poll: &PollId, by: &AccountId, choice: Choice, at: Instant) -> Vec<Event> {
        let Some(p) = self.polls.get(poll) else { return Vec::new() };
        if p.amendment.is_some() || !self.confederation.councils.contains_key(&p.body) {
            return Vec::new();
        }
        let Some((constituent, _)) = self.seat_of(&p.body, by) else { return Vec::new() };
        let Some(Some(mandate)) = self.mandate(&p.motion, constituent).and_then(|m| m.decided) else { return Vec::new() };
        if mandate == choice {
            return Vec::new();
        }
        let mut events = vec![Event::MandateDeviated {
            council: p.body.clone(),
            council_motion: p.motion.clone(),
            poll: poll.clone(),
            constituent: constituent.clone(),
            delegate: by.clone(),
            mandate,
            vote: choice,
            at,
        }];
        let rules = self.council(&p.body).and_then(|c| c.constituent(constituent)).map(|c| c.rules);
        if let Some(rules) = rules.filter(|r| r.recall_on_deviation)
            && let Some(recall) = crate::recall::derived_recall_id(poll, by)
            && !self.confederation.recalls.contains_key(&recall)
        {
            events.push(Event::RecallStarted {
                recall,
                council: p.body.clone(),
                constituent: constituent.clone(),
                delegate: by.clone(),
                reason: Prose::parse(&format!("Voted {} against the mandate {}.", choice_word(choice), choice_word(mandate)))
                    .ok(),
                share: rules.recall_share,
                closes_at: at.plus_seconds(i64::from(rules.recall_days) * 86_400),
                by: None,
                at,
            });
        }
        events
    }
}

fn choice_word(choice: Choice) -> &'static str {
    match choice {
        Choice::Yes => "yes",
        Choice::No => "no",
        Choice::Abstain => "abstain",
    }
}
