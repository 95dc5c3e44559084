//! Paper ballots of a budget cycle's vote, entered twice.
//!
//! A facilitator of the cycle's body makes members *paper volunteers* for the cycle
//! (`paper_volunteer_appointed`). Each paper ballot has a number printed on it. During the vote,
//! two different volunteers enter the same paper ballot independently (`paper_ballot_entered`,
//! one event per entry, at most two per number). When both entries say the same (approvals and
//! points compared as sets, rankings in order) the ballot is *agreed*; when they differ it is a
//! *mismatch*, listed for a facilitator, who resolves it by entering what the paper says
//! (`paper_ballot_resolved`). The vote cannot be counted while a paper ballot is unsettled
//! (entered once, or mismatched): [`State::close_budget_vote`] refuses with
//! `paper_ballots_unsettled`. Once counted, each settled number is one ballot on the public
//! board (marked with its number), counted once in the same tally as the online ballots.
//!
//! Paper ballots name no voter: the paper itself is anonymous. The log records only that a
//! volunteer entered (or a facilitator resolved) paper ballot number N; what it says is a
//! [`SealedPaperEntry`], kept apart from the log like an online ballot's content and put in the
//! state with [`State::deposit_paper_entry`], so no partial result leaks before the count. The
//! count publishes the settled paper ballots on the board with the online ones.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::budget::count::check_ballot;
use crate::budget::{BudgetVote, Phase, PublishedBudgetBallot};
use crate::event::Event;
use crate::id::{AccountId, BallotId, BudgetCycleId, ReceiptCode};
use crate::instant::Instant;
use crate::name::ParseError;
use crate::refusal::{Refusal, ReplayError, Thing};
use crate::state::{State, not_found};

/// The number printed on a paper ballot (1 or more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PaperNumber(pub u32);

impl PaperNumber {
    /// Reads a printed number: digits only (leading zeros allowed), at least 1.
    pub fn parse(text: &str) -> Result<PaperNumber, ParseError> {
        let t = text.trim();
        let bad = || ParseError::Amount { text: text.to_owned() };
        if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        match t.parse::<u32>() {
            Ok(n) if n >= 1 => Ok(PaperNumber(n)),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for PaperNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One entry of a paper ballot: what a volunteer (or, resolving, a facilitator) read on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperEntry {
    /// What it says, once its sealed content is deposited (`None` in a state replayed from the
    /// log alone).
    pub vote: Option<BudgetVote>,
    pub by: AccountId,
    pub at: Instant,
}

/// The sealed content of one paper entry: kept apart from the log until the count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedPaperEntry {
    pub cycle: BudgetCycleId,
    pub number: PaperNumber,
    /// 1 or 2 for the volunteers' entries, 0 for a facilitator's resolution.
    pub entry: u8,
    pub vote: BudgetVote,
}

/// A paper entry's event with its sealed content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperCast {
    pub events: Vec<Event>,
    pub sealed: SealedPaperEntry,
}

/// A paper ballot as entered so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperBallot {
    pub number: PaperNumber,
    /// One or two entries, by different volunteers.
    pub entries: Vec<PaperEntry>,
    /// A facilitator's reading of a mismatched ballot.
    pub resolution: Option<PaperEntry>,
}

/// Where a paper ballot stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperStatus {
    /// Entered once; a second volunteer must enter it too.
    AwaitingSecondEntry,
    /// Both entries say the same.
    Agreed,
    /// The two entries differ; a facilitator must resolve it.
    Mismatch,
    /// A facilitator entered what the paper says.
    Resolved,
}

impl PaperStatus {
    /// The snake_case name (also the Fluent key suffix).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            PaperStatus::AwaitingSecondEntry => "awaiting_second_entry",
            PaperStatus::Agreed => "agreed",
            PaperStatus::Mismatch => "mismatch",
            PaperStatus::Resolved => "resolved",
        }
    }
}

/// A vote in a form where equal readings compare equal: approvals and points sorted by
/// project (a paper ballot has no order of crosses), rankings as they are.
#[must_use]
pub fn canonical(vote: &BudgetVote) -> BudgetVote {
    match vote {
        BudgetVote::Approval(p) => {
            let mut p = p.clone();
            p.sort();
            BudgetVote::Approval(p)
        }
        BudgetVote::Points(p) => {
            let mut p = p.clone();
            p.sort();
            BudgetVote::Points(p)
        }
        BudgetVote::Ranking(p) => BudgetVote::Ranking(p.clone()),
    }
}

impl PaperBallot {
    #[must_use]
    pub fn status(&self) -> PaperStatus {
        if self.resolution.is_some() {
            return PaperStatus::Resolved;
        }
        match self.entries.as_slice() {
            [a, b] if a.vote.is_some() && a.vote.as_ref().map(canonical) == b.vote.as_ref().map(canonical) => PaperStatus::Agreed,
            [_, _] => PaperStatus::Mismatch,
            _ => PaperStatus::AwaitingSecondEntry,
        }
    }

    /// What the ballot counts as, once settled (agreed or resolved).
    #[must_use]
    pub fn settled(&self) -> Option<&BudgetVote> {
        match self.status() {
            PaperStatus::Resolved => self.resolution.as_ref().and_then(|r| r.vote.as_ref()),
            PaperStatus::Agreed => self.entries.first().and_then(|e| e.vote.as_ref()),
            _ => None,
        }
    }
}

/// A cycle's paper volunteers and paper ballots.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaperBox {
    pub volunteers: BTreeSet<AccountId>,
    /// By number.
    pub ballots: BTreeMap<PaperNumber, PaperBallot>,
}

impl PaperBox {
    /// The settled ballots, each number once, in number order.
    pub fn settled(&self) -> impl Iterator<Item = (PaperNumber, &BudgetVote)> {
        self.ballots.values().filter_map(|b| Some((b.number, b.settled()?)))
    }

    /// How many ballots are not settled yet (entered once, or mismatched).
    #[must_use]
    pub fn unsettled(&self) -> u64 {
        self.ballots.values().filter(|b| b.settled().is_none()).count() as u64
    }

    /// The ballots whose two entries differ, unresolved, in number order.
    pub fn mismatches(&self) -> impl Iterator<Item = &PaperBallot> {
        self.ballots.values().filter(|b| b.status() == PaperStatus::Mismatch)
    }

    /// Puts a sealed entry's content in the entry the log recorded.
    ///
    /// # Errors
    /// When the log has no such entry, or it has its content already.
    pub fn deposit(&mut self, sealed: &SealedPaperEntry) -> Result<(), String> {
        let number = sealed.number;
        let b = self.ballots.get_mut(&number).ok_or_else(|| format!("paper ballot {number} was never entered"))?;
        let entry = match sealed.entry {
            0 => b.resolution.as_mut(),
            k => b.entries.get_mut(usize::from(k) - 1),
        }
        .ok_or_else(|| format!("paper ballot {number} has no entry {}", sealed.entry))?;
        if entry.vote.is_some() {
            return Err(format!("paper ballot {number}'s entry {} was deposited twice", sealed.entry));
        }
        entry.vote = Some(sealed.vote.clone());
        Ok(())
    }
}

/// Every cycle's paper box: the part of [`State`] this module keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaperBallots {
    boxes: BTreeMap<BudgetCycleId, PaperBox>,
}

impl PaperBallots {
    /// A cycle's paper box, if anything was done with paper in it.
    #[must_use]
    pub fn of(&self, cycle: &BudgetCycleId) -> Option<&PaperBox> {
        self.boxes.get(cycle)
    }

    /// Puts a sealed entry's content in the state (see [`PaperBox::deposit`]).
    pub(crate) fn deposit(&mut self, sealed: &SealedPaperEntry) -> Result<(), ReplayError> {
        let broken = |reason: String| ReplayError { kind: "paper_entry_sealed", reason };
        self.boxes
            .get_mut(&sealed.cycle)
            .ok_or_else(|| broken(format!("no paper ballots in cycle {}", sealed.cycle)))?
            .deposit(sealed)
            .map_err(broken)
    }

    /// Applies one of this module's events (others are ignored).
    pub(crate) fn apply(&mut self, event: &Event) -> Result<(), ReplayError> {
        let broken = |reason: String| ReplayError { kind: event.kind(), reason };
        match event {
            Event::PaperVolunteerAppointed { cycle, volunteer, .. } => {
                self.boxes.entry(cycle.clone()).or_default().volunteers.insert(volunteer.clone());
            }
            Event::PaperBallotEntered { cycle, number, by, at } => {
                let b = self.boxes.entry(cycle.clone()).or_default().ballots.entry(*number).or_insert_with(|| PaperBallot {
                    number: *number,
                    entries: Vec::new(),
                    resolution: None,
                });
                if b.entries.len() >= 2 {
                    return Err(broken(format!("paper ballot {number} has two entries already")));
                }
                b.entries.push(PaperEntry { vote: None, by: by.clone(), at: *at });
            }
            Event::PaperBallotResolved { cycle, number, by, at } => {
                let b = self
                    .boxes
                    .get_mut(cycle)
                    .and_then(|x| x.ballots.get_mut(number))
                    .ok_or_else(|| broken(format!("there is no paper ballot {number}")))?;
                b.resolution = Some(PaperEntry { vote: None, by: by.clone(), at: *at });
            }
            _ => {}
        }
        Ok(())
    }
}

/// The ballot id and receipt a paper ballot gets on the public board: derived from the count's
/// shuffle seed and the number, so that they look like any other and cannot collide in practice.
/// Nobody holds the receipt; the board marks the ballot with its number.
#[must_use]
pub fn published(seed: &[u8; 32], number: PaperNumber, vote: &BudgetVote) -> PublishedBudgetBallot {
    let mut h = Sha256::new();
    h.update(b"plenum paper ballot");
    h.update(seed);
    h.update(number.0.to_be_bytes());
    let digest: [u8; 32] = h.finalize().into();
    let mut id = [0u8; 16];
    id.copy_from_slice(&digest[..16]);
    let mut receipt = [0u8; 10];
    receipt.copy_from_slice(&digest[16..26]);
    PublishedBudgetBallot {
        ballot: BallotId::from_random(id),
        receipt: ReceiptCode::from_random(receipt),
        vote: vote.clone(),
        paper: Some(number),
    }
}

impl State {
    /// Paper ballots of every cycle.
    #[must_use]
    pub fn paper_ballots(&self) -> &PaperBallots {
        &self.paper_ballots
    }

    /// Puts a sealed paper entry's content in the state, after its event.
    ///
    /// # Errors
    /// When the log recorded no such entry, or its content is there already.
    pub fn deposit_paper_entry(&mut self, sealed: &SealedPaperEntry) -> Result<(), ReplayError> {
        self.paper_ballots.deposit(sealed)
    }

    fn paper_cycle(&self, cycle: &BudgetCycleId) -> Result<&crate::budget::BudgetCycle, Refusal> {
        let c = self.budgets.cycle(cycle).ok_or_else(|| not_found(Thing::BudgetCycle, cycle))?;
        if c.imported || c.counted.is_some() {
            return Err(Refusal::WrongPhase { phase: c.phase.name() });
        }
        Ok(c)
    }

    /// A facilitator makes a member of the cycle's body a paper volunteer for the cycle, at any
    /// time before the count.
    pub fn appoint_paper_volunteer(
        &self,
        cycle: &BudgetCycleId,
        volunteer: &AccountId,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let c = self.paper_cycle(cycle)?;
        let body = self.as_facilitator(&c.body, by)?;
        if !body.is_member(volunteer) {
            return Err(Refusal::NotAMember);
        }
        if self.paper_ballots.of(cycle).is_some_and(|b| b.volunteers.contains(volunteer)) {
            return Err(Refusal::AlreadyAPaperVolunteer);
        }
        Ok(vec![Event::PaperVolunteerAppointed { cycle: cycle.clone(), volunteer: volunteer.clone(), by: by.clone(), at }])
    }

    /// A paper volunteer enters a paper ballot while the vote is open (or closed but not yet
    /// counted). Each number is entered at most twice, by two different volunteers; the content
    /// is checked against the cycle's ballot format like an online ballot.
    pub fn enter_paper_ballot(
        &self,
        cycle: &BudgetCycleId,
        number: PaperNumber,
        vote: BudgetVote,
        by: &AccountId,
        at: Instant,
    ) -> Result<PaperCast, Refusal> {
        let c = self.paper_cycle(cycle)?;
        if c.phase != Phase::Vote {
            return Err(Refusal::WrongPhase { phase: c.phase.name() });
        }
        let paper = self.paper_ballots.of(cycle);
        let volunteer = paper.is_some_and(|b| b.volunteers.contains(by));
        if !volunteer || !self.body(&c.body).is_some_and(|b| b.is_member(by)) {
            return Err(Refusal::NotAPaperVolunteer);
        }
        if let Some(b) = paper.and_then(|p| p.ballots.get(&number)) {
            if b.entries.len() >= 2 {
                return Err(Refusal::PaperBallotEnteredTwice { number: number.0 });
            }
            if b.entries.iter().any(|e| &e.by == by) {
                return Err(Refusal::PaperBallotSameVolunteer { number: number.0 });
            }
        }
        check_ballot(c, &self.budgets, &vote)?;
        let entry = paper.and_then(|p| p.ballots.get(&number)).map_or(1, |b| if b.entries.is_empty() { 1 } else { 2 });
        Ok(PaperCast {
            events: vec![Event::PaperBallotEntered { cycle: cycle.clone(), number, by: by.clone(), at }],
            sealed: SealedPaperEntry { cycle: cycle.clone(), number, entry, vote },
        })
    }

    /// A facilitator resolves a mismatched paper ballot by entering what the paper says.
    pub fn resolve_paper_ballot(
        &self,
        cycle: &BudgetCycleId,
        number: PaperNumber,
        vote: BudgetVote,
        by: &AccountId,
        at: Instant,
    ) -> Result<PaperCast, Refusal> {
        let c = self.paper_cycle(cycle)?;
        if c.phase != Phase::Vote {
            return Err(Refusal::WrongPhase { phase: c.phase.name() });
        }
        self.as_facilitator(&c.body, by)?;
        let b = self
            .paper_ballots
            .of(cycle)
            .and_then(|p| p.ballots.get(&number))
            .ok_or_else(|| not_found(Thing::PaperBallot, &number))?;
        if b.status() != PaperStatus::Mismatch {
            return Err(Refusal::PaperBallotNoMismatch { number: number.0 });
        }
        check_ballot(c, &self.budgets, &vote)?;
        Ok(PaperCast {
            events: vec![Event::PaperBallotResolved { cycle: cycle.clone(), number, by: by.clone(), at }],
            sealed: SealedPaperEntry { cycle: cycle.clone(), number, entry: 0, vote },
        })
    }
}
