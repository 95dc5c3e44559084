//! Delegates: the seats a constituent holds on a council, who holds them, for which term, and
//! how they are filled: by election (STV for several seats, IRV for one, from
//! `plenum_choice`) or by sortition ([`crate::sortition`]).
//!
//! Every election or draw starts a new *round* of the delegation; the delegates of the round
//! before leave their seats. Rotation: nobody is seated who held a seat in each of the last
//! `max_consecutive_terms` rounds. A seat left empty (recall) is filled as the charter says
//! ([`VacancyRule`]) without starting a round.

use plenum_choice::vote::ballot::Rankings;
use plenum_choice::vote::irv::irv;
use plenum_choice::vote::stv::{self, Meek};
use plenum_choice::vote::tie::{TieBreak, TieOrder};
use serde::{Deserialize, Serialize};

use crate::council::{Selection, VacancyRule};
use crate::event::Event;
use crate::id::{AccountId, BodyId, DrawId};
use crate::instant::Instant;
use crate::refusal::Refusal;
use crate::state::State;

/// How a delegate came to hold a seat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "how", rename_all = "snake_case")]
pub enum SeatedBy {
    Election,
    Sortition {
        draw: DrawId,
    },
    /// Next in the count of the last election, after a vacancy.
    NextInCount,
    /// Drawn from the remaining volunteers after a vacancy (`round` of the draw's stream).
    Redraw {
        draw: DrawId,
        round: u32,
    },
}

/// Why a seat was left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeatEnded {
    /// A new election or draw seated the next delegation.
    NextRound,
    Recalled,
    /// The term's end date passed before a new delegation was seated ([`State::end_terms`]).
    TermEnded,
}

/// One seat held, now or in the past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seat {
    pub delegate: AccountId,
    pub round: u32,
    pub seated_by: SeatedBy,
    pub since: Instant,
    pub term_ends: Instant,
    /// When and why it ended, if it has.
    pub ended: Option<(Instant, SeatEnded)>,
}

/// The last election's ballots, kept to find the next in the count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElectionRecord {
    pub candidates: Vec<AccountId>,
    pub ballots: Vec<Vec<AccountId>>,
    pub seats: u32,
}

/// A constituent's delegation to one council.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delegation {
    /// Rounds held so far (the current round's number).
    pub round: u32,
    /// Every seat held, in the order seated.
    pub seats: Vec<Seat>,
    pub last_election: Option<ElectionRecord>,
    pub last_draw: Option<DrawId>,
}

impl Delegation {
    /// The seats held now.
    pub fn current(&self) -> impl Iterator<Item = &Seat> {
        self.seats.iter().filter(|s| s.ended.is_none())
    }

    /// How many rounds in a row, ending with the current one, this person held a seat in.
    #[must_use]
    pub fn consecutive_rounds(&self, who: &AccountId) -> u32 {
        let mut n = 0;
        let mut round = self.round;
        while round > 0 && self.seats.iter().any(|s| s.round == round && &s.delegate == who) {
            n += 1;
            round -= 1;
        }
        n
    }
}

/// What is needed to elect a constituent's delegation: the candidates in the order that breaks
/// ties (first wins), and the ranked ballots as counted (each lists candidates, best first).
#[derive(Debug, Clone)]
pub struct ElectDelegates {
    pub council: BodyId,
    pub constituent: BodyId,
    pub candidates: Vec<AccountId>,
    pub ballots: Vec<Vec<AccountId>>,
    pub term_ends: Instant,
}

/// Counts an election: IRV for one seat, STV (Meek, exact with rounded keep factors) for more;
/// ties are broken in the order the candidates are listed. Gives the elected in order.
pub fn count_election(
    candidates: &[AccountId],
    ballots: &[Vec<AccountId>],
    seats: u32,
    withdrawn: &[AccountId],
) -> Result<Vec<AccountId>, Refusal> {
    let bad = |reason: String| Refusal::BadBallot { reason };
    let mut rankings = Rankings::new(candidates.len()).map_err(|e| bad(e.to_string()))?;
    for ballot in ballots {
        let mut groups: Vec<[usize; 1]> = Vec::with_capacity(ballot.len());
        for who in ballot {
            let i = candidates.iter().position(|c| c == who).ok_or_else(|| bad(format!("{who} is not a candidate")))?;
            if groups.iter().any(|g| g[0] == i) {
                return Err(bad(format!("{who} is ranked twice")));
            }
            groups.push([i]);
        }
        rankings.push(1, &groups).map_err(|e| bad(e.to_string()))?;
    }
    let tie = TieOrder::new(&TieBreak::AlternativeOrder, candidates.len());
    let withdrawn: Vec<usize> = withdrawn.iter().filter_map(|w| candidates.iter().position(|c| c == w)).collect();
    let seats = usize::try_from(seats).unwrap_or(usize::MAX);
    let outcome = if seats <= 1 {
        irv(&rankings.without(&withdrawn), 1, &tie)
    } else {
        stv::count(&rankings, seats, stv::Rule::Meek(Meek::ROUNDED_KEEP_FACTORS), &withdrawn, &tie)
    };
    Ok(outcome
        .winners
        .iter()
        .filter(|a| !withdrawn.contains(a))
        .take(seats)
        .filter_map(|&a| candidates.get(a).cloned())
        .collect())
}

impl State {
    /// A constituent's delegation to a council (empty if it has never filled its seats).
    #[must_use]
    pub fn delegation(&self, council: &BodyId, constituent: &BodyId) -> Option<&Delegation> {
        self.confederation.delegations.get(&(council.clone(), constituent.clone()))
    }

    /// The constituent whose seat this person holds now on this council, if any.
    #[must_use]
    pub fn seat_of(&self, council: &BodyId, who: &AccountId) -> Option<(&BodyId, &Seat)> {
        self.confederation
            .delegations
            .iter()
            .filter(|((c, _), _)| c == council)
            .find_map(|((_, constituent), d)| d.current().find(|s| &s.delegate == who).map(|s| (constituent, s)))
    }

    /// Checks that rotation allows this person another term.
    pub(crate) fn check_term_limit(&self, council: &BodyId, constituent: &BodyId, who: &AccountId) -> Result<(), Refusal> {
        let c = self.existing_council(council)?;
        let rules = c.constituent(constituent).ok_or_else(|| Refusal::NotAConstituent { body: constituent.to_string() })?.rules;
        let held = self.delegation(council, constituent).map_or(0, |d| d.consecutive_rounds(who));
        if held >= rules.max_consecutive_terms {
            return Err(Refusal::TermLimitReached { resident: who.to_string() });
        }
        Ok(())
    }

    /// A facilitator of the constituent enters an election's ranked ballots; the count seats the
    /// elected for a new term. Refused if the constituent's charter fills its seats by lot, if
    /// a candidate is not a member or has served the most consecutive terms allowed.
    pub fn elect_delegates(&self, new: ElectDelegates, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let council = self.existing_council(&new.council)?;
        let constituent = council
            .constituent(&new.constituent)
            .ok_or_else(|| Refusal::NotAConstituent { body: new.constituent.to_string() })?;
        let body = self.as_facilitator(&new.constituent, by)?;
        if constituent.rules.selection != Selection::Election {
            return Err(Refusal::WrongSelection { method: constituent.rules.selection.name() });
        }
        if new.term_ends <= at {
            return Err(Refusal::InThePast);
        }
        let mut seen = std::collections::BTreeSet::new();
        for candidate in &new.candidates {
            if !seen.insert(candidate) {
                return Err(Refusal::Duplicate { id: candidate.to_string() });
            }
            if !body.is_member(candidate) {
                return Err(Refusal::NotAMember);
            }
            self.check_term_limit(&new.council, &new.constituent, candidate)?;
        }
        if new.candidates.is_empty() {
            return Err(Refusal::BadBallot { reason: "there are no candidates".to_owned() });
        }
        let elected = count_election(&new.candidates, &new.ballots, constituent.seats, &[])?;
        let round = self.delegation(&new.council, &new.constituent).map_or(0, |d| d.round) + 1;
        Ok(vec![Event::DelegatesElected {
            council: new.council,
            constituent: new.constituent,
            round,
            candidates: new.candidates,
            ballots: new.ballots,
            elected,
            term_ends: new.term_ends,
            by: by.clone(),
            at,
        }])
    }

    /// Ends every seat whose term has run out by `at`: the seat is left empty until the
    /// constituent's next election or draw (a term that ends is not a vacancy to fill). The
    /// server runs this on its timer, beside closing overdue polls, so a delegate whose term
    /// passed stops being a member of the council within one tick.
    #[must_use]
    pub fn end_terms(&self, at: Instant) -> Vec<Event> {
        self.confederation
            .delegations
            .iter()
            .flat_map(|((council, constituent), d)| {
                d.current().filter(move |s| s.term_ends <= at).map(move |s| Event::SeatVacated {
                    council: council.clone(),
                    constituent: constituent.clone(),
                    delegate: s.delegate.clone(),
                    reason: SeatEnded::TermEnded,
                    at,
                })
            })
            .collect()
    }

    /// The events that leave `delegate`'s seat and fill it as the charter says.
    pub(crate) fn vacate_and_fill(
        &self,
        council: &BodyId,
        constituent: &BodyId,
        delegate: &AccountId,
        reason: SeatEnded,
        at: Instant,
    ) -> Vec<Event> {
        let mut events = vec![Event::SeatVacated {
            council: council.clone(),
            constituent: constituent.clone(),
            delegate: delegate.clone(),
            reason,
            at,
        }];
        let (Some(c), Some(d)) = (self.council(council), self.delegation(council, constituent)) else { return events };
        let Some(rules) = c.constituent(constituent).map(|c| c.rules) else { return events };
        let Some(seat) = d.current().find(|s| &s.delegate == delegate) else { return events };
        let holders: Vec<&AccountId> = d.current().map(|s| &s.delegate).filter(|h| *h != delegate).collect();
        let term_ends = seat.term_ends;
        let filled = match rules.vacancy {
            VacancyRule::NewSelection => None,
            VacancyRule::NextInCount => d.last_election.as_ref().and_then(|e| {
                // Everyone who ever left a seat of this round is withdrawn, as is the departed.
                let mut withdrawn: Vec<AccountId> =
                    d.seats.iter().filter(|s| s.round == d.round && s.ended.is_some()).map(|s| s.delegate.clone()).collect();
                withdrawn.push(delegate.clone());
                let elected = count_election(&e.candidates, &e.ballots, e.seats, &withdrawn).ok()?;
                let next = elected.into_iter().find(|w| !holders.contains(&w))?;
                Some((next, SeatedBy::NextInCount))
            }),
            VacancyRule::Redraw => d.last_draw.as_ref().and_then(|draw| {
                let dr = self.confederation.draws.get(draw)?;
                let (round, next) = dr.redraw(seat)?;
                Some((next, SeatedBy::Redraw { draw: draw.clone(), round }))
            }),
        };
        if let Some((next, seated_by)) = filled {
            events.push(Event::SeatFilled {
                council: council.clone(),
                constituent: constituent.clone(),
                delegate: next,
                replaces: delegate.clone(),
                seated_by,
                term_ends,
                at,
            });
        }
        events
    }
}
