//! Meetings: a body gathers at a time, in a place or online, with an agenda of motions; a
//! facilitator records who came and the minutes, and publishes them.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::event::Event;
use crate::id::{AccountId, BodyId, MeetingId, MotionId};
use crate::instant::Instant;
use crate::name::{Link, Prose, TimeZoneName, Title};
use crate::refusal::{Refusal, Thing};
use crate::state::{State, already_exists};

/// Where a meeting is held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Venue {
    InPerson { place: Title },
    Online { link: Link },
    Hybrid { place: Title, link: Link },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: MeetingId,
    pub body: BodyId,
    pub title: Title,
    pub starts_at: Instant,
    pub ends_at: Instant,
    pub time_zone: TimeZoneName,
    pub venue: Venue,
    pub agenda: Vec<MotionId>,
    /// Members recorded as present, in id order.
    pub present: Vec<AccountId>,
    pub guests: u64,
    pub minutes: Option<Prose>,
    /// When the minutes were published; unpublished minutes are for facilitators only.
    pub published_at: Option<Instant>,
}

/// What is needed to schedule a meeting.
#[derive(Debug, Clone)]
pub struct ScheduleMeeting {
    pub meeting: MeetingId,
    pub body: BodyId,
    pub title: Title,
    pub starts_at: Instant,
    pub ends_at: Instant,
    pub time_zone: TimeZoneName,
    pub venue: Venue,
    /// Motions of the same body, in the order they will be taken.
    pub agenda: Vec<MotionId>,
}

impl State {
    /// A facilitator schedules a meeting.
    pub fn schedule_meeting(&self, new: ScheduleMeeting, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        self.as_facilitator(&new.body, by)?;
        if self.meetings.contains_key(&new.meeting) {
            return Err(already_exists(Thing::Meeting, &new.meeting));
        }
        if new.ends_at <= new.starts_at {
            return Err(Refusal::EndsBeforeStart);
        }
        let mut seen = BTreeSet::new();
        for motion in &new.agenda {
            if self.existing_motion(motion)?.body != new.body {
                return Err(Refusal::FromAnotherBody { motion: motion.to_string() });
            }
            if !seen.insert(motion) {
                return Err(Refusal::Duplicate { id: motion.to_string() });
            }
        }
        Ok(vec![Event::MeetingScheduled {
            meeting: new.meeting,
            body: new.body,
            title: new.title,
            starts_at: new.starts_at,
            ends_at: new.ends_at,
            time_zone: new.time_zone,
            venue: new.venue,
            agenda: new.agenda,
            by: by.clone(),
            at,
        }])
    }

    /// A facilitator records who was present (members) and how many guests came; a later
    /// record replaces an earlier one.
    pub fn record_attendance(
        &self,
        meeting: &MeetingId,
        present: Vec<AccountId>,
        guests: u64,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let m = self.existing_meeting(meeting)?;
        let body = self.as_facilitator(&m.body, by)?;
        let mut sorted = BTreeSet::new();
        for member in present {
            if !body.is_member(&member) {
                return Err(Refusal::NotAMember);
            }
            if !sorted.insert(member.clone()) {
                return Err(Refusal::Duplicate { id: member.to_string() });
            }
        }
        Ok(vec![Event::AttendanceRecorded {
            meeting: meeting.clone(),
            present: sorted.into_iter().collect(),
            guests,
            by: by.clone(),
            at,
        }])
    }

    /// A facilitator writes (or rewrites) the minutes, until they are published.
    pub fn record_minutes(
        &self,
        meeting: &MeetingId,
        minutes: Prose,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let m = self.existing_meeting(meeting)?;
        self.as_facilitator(&m.body, by)?;
        if m.published_at.is_some() {
            return Err(Refusal::MinutesAlreadyPublished);
        }
        Ok(vec![Event::MinutesRecorded { meeting: meeting.clone(), minutes, by: by.clone(), at }])
    }

    /// A facilitator publishes the minutes; from then on they are public and final.
    pub fn publish_minutes(&self, meeting: &MeetingId, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let m = self.existing_meeting(meeting)?;
        self.as_facilitator(&m.body, by)?;
        if m.published_at.is_some() {
            return Err(Refusal::MinutesAlreadyPublished);
        }
        if m.minutes.is_none() {
            return Err(Refusal::MinutesMissing);
        }
        Ok(vec![Event::MinutesPublished { meeting: meeting.clone(), by: by.clone(), at }])
    }
}
