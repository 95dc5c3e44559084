//! `verify`: recompute the hash chain and every closed poll's result from stored data.

use std::collections::BTreeMap;

use plenum_core::poll::count;
use plenum_core::{Event, PollResult, PublishedBallot, Secrecy, State};
use serde::Serialize;
use sqlx::Row;

use crate::log::{GENESIS, chain_hash, for_each_entry, sealed_from};
use crate::{Store, StoreError};

/// The first thing found wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The event where it shows (`None` for a problem outside the log).
    pub seq: Option<u64>,
    pub kind: Option<String>,
    pub what: String,
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Events checked (up to the first problem).
    pub events: u64,
    /// The hash of the last event checked.
    pub head: String,
    /// Closed polls re-tallied.
    pub polls: u64,
    /// Sortition draws (and redraws of vacancies) repeated from their revealed seeds.
    pub draws: u64,
    /// Delegate elections recounted from their ballots.
    pub elections: u64,
    pub problem: Option<Problem>,
}

impl Verification {
    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.problem.is_none()
    }
}

impl Store {
    /// Walks the log from the start: each event must follow the one before (sequence and
    /// `prev_hash`), hash to its stored hash, parse, and apply; each closed poll is re-tallied
    /// from the stored ballots (the ballot box for a secret poll, the votes in the log for an
    /// open one) and must match the published result, the published board and the results
    /// table. Reports the first problem, naming its event.
    pub async fn verify(&self) -> Result<Verification, StoreError> {
        let mut boxes: BTreeMap<String, Vec<PublishedBallot>> = BTreeMap::new();
        for row in sqlx::query("SELECT ballot_id, poll_id, receipt, choice FROM ballot_box").fetch_all(&self.pool).await? {
            let b = sealed_from(&row)?;
            boxes.entry(b.poll.to_string()).or_default().push(PublishedBallot {
                ballot: b.ballot,
                receipt: b.receipt,
                choice: b.choice,
            });
        }
        let mut results: BTreeMap<String, String> = BTreeMap::new();
        for row in sqlx::query("SELECT poll_id, working FROM results").fetch_all(&self.pool).await? {
            results.insert(row.try_get("poll_id")?, row.try_get("working")?);
        }

        let mut budget_boxes = crate::budget::boxes(&self.pool).await?;
        let paper_boxes = crate::paper_ballot::boxes(&self.pool).await?;
        let mut state = State::default();
        let mut report = Verification { events: 0, head: GENESIS.to_owned(), polls: 0, draws: 0, elections: 0, problem: None };
        let mut found: Option<Problem> = None;
        for_each_entry(&self.pool, |entry| {
            if found.is_some() {
                return Ok(());
            }
            let problem = |what: String| Some(Problem { seq: Some(entry.seq), kind: Some(entry.kind.clone()), what });
            let expected = report.events + 1;
            if entry.seq != expected {
                found = problem(format!("expected event {expected} here: the log has a gap or is out of order"));
                return Ok(());
            }
            if entry.prev_hash != report.head {
                found = problem("its prev_hash is not the hash of the event before".to_owned());
                return Ok(());
            }
            if chain_hash(&entry.prev_hash, &entry.payload) != entry.hash {
                found = problem("its payload does not hash to its stored hash: it was altered".to_owned());
                return Ok(());
            }
            let event: Event = match serde_json::from_str(&entry.payload) {
                Ok(event) => event,
                Err(e) => {
                    found = problem(format!("its payload is not a valid event: {e}"));
                    return Ok(());
                }
            };
            if event.kind() != entry.kind {
                found = problem(format!("its kind column says {} but its payload is {}", entry.kind, event.kind()));
                return Ok(());
            }
            if let Event::PollClosed { poll, result, ballots, .. } = &event {
                let stored = boxes.remove(poll.as_str()).unwrap_or_default();
                if let Err(what) = recount(&state, &event, result, ballots, stored, results.get(poll.as_str())) {
                    found = problem(what);
                    return Ok(());
                }
                report.polls += 1;
            }
            if let Err(what) = crate::budget::recount(&state, &event, &mut budget_boxes, &paper_boxes) {
                found = problem(what);
                return Ok(());
            }
            if let Err(what) = recount_election(&state, &event) {
                found = problem(what);
                return Ok(());
            }
            if let Err(e) = state.apply(&event) {
                found = problem(e.to_string());
                return Ok(());
            }
            match repeat_draw(&state, &event) {
                Err(what) => {
                    found = problem(what);
                    return Ok(());
                }
                Ok(true) => report.draws += 1,
                Ok(false) => {}
            }
            if matches!(event, Event::DelegatesElected { .. }) {
                report.elections += 1;
            }
            report.events = entry.seq;
            report.head = entry.hash;
            Ok(())
        })
        .await?;
        report.problem = found;
        if report.problem.is_none() {
            // Ballots of polls that never closed must belong to open polls.
            for (poll, ballots) in &boxes {
                let open = state.polls_open_with(poll);
                if !open || state.voted_in(poll) != ballots.len() {
                    report.problem = Some(Problem {
                        seq: None,
                        kind: None,
                        what: format!(
                            "the ballot box holds {} ballots for poll {poll}, which does not match its roll",
                            ballots.len()
                        ),
                    });
                    break;
                }
            }
        }
        Ok(report)
    }
}

/// Re-tallies the poll a `poll_closed` event closes, from the state before it and the stored
/// ballots, and compares.
fn recount(
    state: &State,
    event: &Event,
    published: &PollResult,
    board: &[PublishedBallot],
    mut stored: Vec<PublishedBallot>,
    table: Option<&String>,
) -> Result<(), String> {
    let Event::PollClosed { poll, .. } = event else { return Ok(()) };
    let p = state.poll(poll).ok_or_else(|| format!("poll {poll} was never opened"))?;
    let roll = p.roll.len() as u64;
    let recounted = match p.secrecy {
        Secrecy::Secret => {
            if stored.len() != state.ballots_expected(p) {
                return Err(format!(
                    "the ballot box holds {} ballots but the roll shows {} voters",
                    stored.len(),
                    state.ballots_expected(p)
                ));
            }
            let mut published_board = board.to_vec();
            published_board.sort_by(|a, b| a.ballot.cmp(&b.ballot));
            stored.sort_by(|a, b| a.ballot.cmp(&b.ballot));
            if published_board != stored {
                return Err("the published ballots differ from the ballot box".to_owned());
            }
            count(&p.rules, roll, stored.iter().map(|b| b.choice), p.in_person)
        }
        Secrecy::Open => count(&p.rules, roll, p.votes.values().copied(), p.in_person),
    }
    .map_err(|e| format!("the votes cannot be counted: {e}"))?;
    if &recounted != published {
        return Err(format!(
            "re-tallying gives {} yes, {} no, {} abstain ({}) but the published result is {} yes, {} no, {} abstain ({})",
            recounted.yes,
            recounted.no,
            recounted.abstain,
            if recounted.passed { "passed" } else { "rejected" },
            published.yes,
            published.no,
            published.abstain,
            if published.passed { "passed" } else { "rejected" },
        ));
    }
    let in_table: Option<PollResult> = table.and_then(|w| serde_json::from_str(w).ok());
    if in_table.as_ref() != Some(published) {
        return Err("the results table does not hold the published result".to_owned());
    }
    Ok(())
}

/// Recounts a delegate election from its ballots, with the seats its constituent fills.
fn recount_election(state: &State, event: &Event) -> Result<(), String> {
    let Event::DelegatesElected { council, constituent, candidates, ballots, elected, .. } = event else { return Ok(()) };
    let seats = state
        .council(council)
        .and_then(|c| c.constituent(constituent))
        .map(|c| c.seats)
        .ok_or_else(|| format!("{constituent} is not a constituent of council {council}"))?;
    let again = plenum_core::delegate::count_election(candidates, ballots, seats, &[]).map_err(|e| e.to_string())?;
    if &again != elected {
        return Err(format!("recounting the ballots elects {again:?}, the log says {elected:?}"));
    }
    Ok(())
}

/// Repeats a sortition draw (after its `draw_held`, or a redraw's `seat_filled`, is applied):
/// the seed must match the commitment and draw the same people. `Ok(true)` if it was a draw.
fn repeat_draw(state: &State, event: &Event) -> Result<bool, String> {
    let draw = match event {
        Event::DrawHeld { draw, .. } => draw,
        Event::SeatFilled { seated_by: plenum_core::SeatedBy::Redraw { draw, .. }, .. } => draw,
        _ => return Ok(false),
    };
    state.draw(draw).ok_or_else(|| format!("draw {draw} was never announced"))?.repeat()?;
    Ok(true)
}

trait PollFacts {
    fn polls_open_with(&self, poll: &str) -> bool;
    fn voted_in(&self, poll: &str) -> usize;
}

impl PollFacts for State {
    fn polls_open_with(&self, poll: &str) -> bool {
        plenum_core::PollId::parse(poll).ok().and_then(|id| self.poll(&id).map(|p| p.closed.is_none())).unwrap_or(false)
    }

    fn voted_in(&self, poll: &str) -> usize {
        plenum_core::PollId::parse(poll).ok().and_then(|id| self.poll(&id).map(|p| self.ballots_expected(p))).unwrap_or(0)
    }
}
