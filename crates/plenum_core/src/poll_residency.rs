//! Polls that follow residence and age: a facilitator opening a poll on a motion may limit
//! its roll to the members of the assembly holding a valid resident credential of the
//! assembly's area (see [`crate::registry`]), from a minimum age if wanted, exactly as a budget
//! cycle's vote can be ([`State::require_budget_residency`]).
//!
//! The roll is fixed in `poll_opened` as always, already limited; `poll_residency_required`
//! follows it in the same batch and says which rule made it, so that the poll page can say so.
//! Old logs replay unchanged: a poll without that event was open to every member.

use std::collections::BTreeMap;

use crate::blind::PublicKey;
use crate::event::Event;
use crate::id::{AccountId, PollId};
use crate::instant::Instant;
use crate::poll::OpenPoll;
use crate::refusal::Refusal;
use crate::state::State;

/// Polls open only to residents, with the minimum age if there is one: one field of [`State`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PollResidency {
    polls: BTreeMap<PollId, Option<u8>>,
}

impl PollResidency {
    pub(crate) fn apply(&mut self, event: &Event) {
        if let Event::PollResidencyRequired { poll, min_age, .. } = event {
            self.polls.insert(poll.clone(), *min_age);
        }
    }
}

impl State {
    /// Whether a poll was open only to residents of its assembly's area (credential holders),
    /// and from what age: `None` if every member was on its roll.
    #[must_use]
    pub fn poll_residency(&self, poll: &PollId) -> Option<Option<u8>> {
        self.poll_residency.polls.get(poll).copied()
    }

    /// A facilitator puts an open motion to a vote of the assembly's members who hold a
    /// credential of its area valid now, at least `min_age` years old when given. With `key`,
    /// the poll is unlinkable ([`State::open_unlinkable_poll`]), else as [`State::open_poll`]
    /// opens it. Everything else is checked as there.
    pub fn open_residents_poll(
        &self,
        new: OpenPoll,
        min_age: Option<u8>,
        key: Option<&PublicKey>,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let poll = new.poll.clone();
        let mut events = match key {
            Some(key) => self.open_unlinkable_poll(new, key, by, at)?,
            None => self.open_poll(new, by, at)?,
        };
        let registry = self.registry();
        for event in &mut events {
            if let Event::PollOpened { roll, body, .. } = event {
                roll.retain(|member| registry.eligible(member, body, min_age, at));
            }
        }
        let after_opening = events.iter().position(|e| matches!(e, Event::PollOpened { .. })).map_or(0, |i| i + 1);
        events.insert(after_opening, Event::PollResidencyRequired { poll, min_age, by: by.clone(), at });
        Ok(events)
    }
}
