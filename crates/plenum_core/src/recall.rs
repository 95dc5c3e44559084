//! Recall: members of a constituent petition to recall its delegate; when the share of members
//! the charter requires has signed within its time limit, a recall poll opens in the
//! constituent; if it passes, the delegate loses the seat at once and the seat is filled as the
//! charter says.
//!
//! Nobody signs twice; a signer who has left the constituent no longer counts. The threshold is
//! exact: signatures × q ≥ p × members for a share p/q of the current members.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::charter::Fraction;
use crate::delegate::SeatEnded;
use crate::event::Event;
use crate::id::{AccountId, BodyId, MotionId, PollId, RecallId};
use crate::instant::Instant;
use crate::motion::MotionKind;
use crate::name::{Prose, Title};
use crate::poll::{PollResult, Secrecy};
use crate::refusal::{Refusal, Thing};
use crate::state::{State, already_exists, not_found};

/// Where a petition stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum RecallStage {
    Gathering,
    /// Enough signed: the recall poll is open.
    Polling {
        poll: PollId,
    },
    Recalled {
        poll: PollId,
    },
    Kept {
        poll: PollId,
    },
}

/// A recall petition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recall {
    pub id: RecallId,
    pub council: BodyId,
    pub constituent: BodyId,
    pub delegate: AccountId,
    pub reason: Option<Prose>,
    pub share: Fraction,
    pub closes_at: Instant,
    /// `None` when the charter opened it on a vote against the mandate.
    pub started_by: Option<AccountId>,
    pub started_at: Instant,
    pub signers: BTreeSet<AccountId>,
    pub stage: RecallStage,
}

/// Whether `signatures` of `members` reach `share`, exactly.
#[must_use]
pub fn threshold_reached(signatures: u64, members: u64, share: Fraction) -> bool {
    // A `Fraction` always displays as "p/q" with q > 0 (its only public form).
    let text = share.to_string();
    let Some((p, q)) = text.split_once('/').and_then(|(p, q)| Some((p.parse::<u128>().ok()?, q.parse::<u128>().ok()?))) else {
        return false;
    };
    members > 0 && u128::from(signatures) * q >= p * u128::from(members)
}

/// The id of the petition a vote against the mandate opens: a UUIDv7 with the poll's
/// timestamp and the rest taken from SHA-256 of the poll and the delegate, so that the same
/// vote always names the same petition.
#[must_use]
pub fn derived_recall_id(poll: &PollId, delegate: &AccountId) -> Option<RecallId> {
    let mut h = Sha256::new();
    h.update(poll.as_str());
    h.update(delegate.as_str());
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let time = poll.as_str().get(..13)?;
    RecallId::parse(&format!("{time}-7{}-8{}-{}", &hex[..3], &hex[3..6], &hex[6..18])).ok()
}

impl Recall {
    /// The signers who are still members of the constituent.
    #[must_use]
    pub fn counting(&self, state: &State) -> u64 {
        let Some(body) = state.body(&self.constituent) else { return 0 };
        self.signers.iter().filter(|s| body.is_member(s)).count() as u64
    }
}

/// What is needed to start a recall petition.
#[derive(Debug, Clone)]
pub struct StartRecall {
    pub recall: RecallId,
    pub council: BodyId,
    pub delegate: AccountId,
    pub reason: Option<Prose>,
}

impl State {
    #[must_use]
    pub fn recall(&self, id: &RecallId) -> Option<&Recall> {
        self.confederation.recalls.get(id)
    }

    /// Every petition, in id order.
    pub fn recalls(&self) -> impl Iterator<Item = &Recall> {
        self.confederation.recalls.values()
    }

    /// A member of the constituent starts a petition against its delegate (and signs it).
    pub fn start_recall(&self, new: StartRecall, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let council = self.existing_council(&new.council)?;
        let (constituent, _) = self.seat_of(&new.council, &new.delegate).ok_or(Refusal::NotADelegate)?;
        let rules = council.constituent(constituent).ok_or(Refusal::NotADelegate)?.rules;
        self.as_member(constituent, by)?;
        if self.confederation.recalls.contains_key(&new.recall) {
            return Err(already_exists(Thing::Recall, &new.recall));
        }
        Ok(vec![Event::RecallStarted {
            recall: new.recall,
            council: new.council.clone(),
            constituent: constituent.clone(),
            delegate: new.delegate,
            reason: new.reason,
            share: rules.recall_share,
            closes_at: at.plus_seconds(i64::from(rules.recall_days) * 86_400),
            by: Some(by.clone()),
            at,
        }])
    }

    /// A member of the constituent signs. If the signatures now reach the threshold, the
    /// recall poll opens (a motion of kind `recall` in the constituent, with `ids` for its
    /// motion and poll), secret, for the charter's number of days.
    pub fn sign_recall(
        &self,
        recall: &RecallId,
        ids: (MotionId, PollId),
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let r = self.confederation.recalls.get(recall).ok_or_else(|| not_found(Thing::Recall, recall))?;
        let body = self.as_member(&r.constituent, by)?;
        if r.stage != RecallStage::Gathering || at >= r.closes_at {
            return Err(Refusal::PetitionClosed);
        }
        if r.signers.contains(by) {
            return Err(Refusal::AlreadySigned);
        }
        let mut events = vec![Event::RecallSigned { recall: recall.clone(), resident: by.clone(), at }];
        let signatures = r.counting(self) + 1;
        let members = body.current_members().count() as u64;
        if threshold_reached(signatures, members, r.share) {
            events.extend(self.open_recall_poll(r, ids, signatures, members, at)?);
        }
        Ok(events)
    }

    fn open_recall_poll(
        &self,
        r: &Recall,
        (motion, poll): (MotionId, PollId),
        signatures: u64,
        members: u64,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let body = self.existing_body(&r.constituent)?;
        if self.motions.contains_key(&motion) {
            return Err(already_exists(Thing::Motion, &motion));
        }
        if self.polls.contains_key(&poll) {
            return Err(already_exists(Thing::Poll, &poll));
        }
        let rules = self.council(&r.council).and_then(|c| c.constituent(&r.constituent)).map(|c| c.rules);
        let days = rules.map_or(7, |r| r.recall_poll_days);
        let name = self.resident(&r.delegate).map_or_else(|| r.delegate.to_string(), |d| d.display_name.to_string());
        let council_name = self.body(&r.council).map_or_else(|| r.council.to_string(), |b| b.name.to_string());
        let title = Title::parse(&format!("Recall {name} from {council_name}"))
            .or_else(|_| Title::parse("Recall of a delegate"))
            .map_err(|_| Refusal::NotADelegate)?;
        let text =
            r.reason.clone().map_or_else(|| Prose::parse("Recall of a delegate."), Ok).map_err(|_| Refusal::NotADelegate)?;
        let starter = r.started_by.clone().unwrap_or_else(|| r.delegate.clone());
        Ok(vec![
            Event::MotionFiled {
                motion: motion.clone(),
                body: r.constituent.clone(),
                motion_kind: MotionKind::Recall,
                title,
                text,
                proposed_charter: None,
                by: starter.clone(),
                at,
            },
            Event::PollOpened {
                poll: poll.clone(),
                motion,
                body: r.constituent.clone(),
                secrecy: if self.council(&r.constituent).is_some() { Secrecy::Open } else { Secrecy::Secret },
                rules: body.charter.rules_for(MotionKind::Recall),
                opens_at: at,
                closes_at: at.plus_seconds(i64::from(days) * 86_400),
                roll: body.current_members().cloned().collect(),
                by: starter,
                at,
            },
            Event::RecallQualified { recall: r.id.clone(), poll, signatures, members, at },
        ])
    }

    /// The events that follow a recall poll's close: the decision, and if recalled the seat
    /// vacated and filled.
    pub(crate) fn after_recall_poll(&self, recall: &RecallId, poll: &PollId, result: &PollResult, at: Instant) -> Vec<Event> {
        let Some(r) = self.confederation.recalls.get(recall) else { return Vec::new() };
        let mut events = vec![Event::RecallDecided { recall: recall.clone(), poll: poll.clone(), recalled: result.passed, at }];
        if result.passed && self.seat_of(&r.council, &r.delegate).is_some() {
            events.extend(self.vacate_and_fill(&r.council, &r.constituent, &r.delegate, SeatEnded::Recalled, at));
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_derived_recall_id_is_a_uuid_v7_fixed_by_poll_and_delegate() {
        let poll = PollId::parse("01968a3c-0000-7000-8000-000000000009").unwrap();
        let a = AccountId::parse("01968a3c-0000-7000-8000-000000000001").unwrap();
        let b = AccountId::parse("01968a3c-0000-7000-8000-000000000002").unwrap();
        let id = derived_recall_id(&poll, &a).unwrap();
        assert_eq!(derived_recall_id(&poll, &a).unwrap(), id);
        assert_ne!(derived_recall_id(&poll, &b).unwrap(), id);
        assert!(id.as_str().starts_with("01968a3c-0000-7"));
    }

    #[test]
    fn the_threshold_is_exact() {
        let quarter = Fraction::new(1, 4).unwrap();
        assert!(!threshold_reached(24, 100, quarter));
        assert!(threshold_reached(25, 100, quarter));
        assert!(!threshold_reached(0, 0, quarter));
        let third = Fraction::new(1, 3).unwrap();
        assert!(!threshold_reached(3, 10, third));
        assert!(threshold_reached(4, 10, third));
    }
}
