//! Sequential Phragmén for approval ballots, as pabutools 1.2.3 computes it.
//!
//! Voters earn money continuously; a project is bought as soon as its supporters together can
//! pay for it, and buying it sets each of them to the same new *load* (what they have spent):
//! the project chosen is the one with the smallest resulting load
//! `(Σ supporters' loads + cost) / supporters`. Counting stops at the first chosen project that
//! does not fit the budget (when several are tied, if any of them does not fit). Only projects
//! that fit the whole budget are considered; a project nobody approves has infinite load and
//! can only come last.

use std::cmp::Ordering;

use crate::pb::{Ballots, Instance, ProjectIndex};
use crate::rational::Rational;

use super::amount::{Amount, Hybrid, Interval, Uncertain};

use super::greedy::money;
use super::tie::{Tie, TieOrder};

/// One round: the project bought and the load its supporters were raised to (`None`: nobody
/// supports it, its load is infinite).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub project: ProjectIndex,
    pub load: Option<Rational>,
}

/// Why counting stopped, if it stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    /// The round that would have come next (1-based).
    pub round: usize,
    /// The project with the smallest load that did not fit.
    pub project: ProjectIndex,
    /// Money left when it stopped.
    pub left: Rational,
}

/// The working of sequential Phragmén.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhragmenTrace {
    /// Each round's purchase and load, when explained (see [`Count`](super::Count)).
    pub rounds: Vec<Round>,
    pub stop: Option<Stop>,
    pub explained: bool,
}

/// The funded projects in order, the working and the ties broken.
#[derive(Debug, Clone)]
pub struct PhragmenOutcome {
    pub funded: Vec<ProjectIndex>,
    pub trace: PhragmenTrace,
    pub ties: Vec<Tie>,
}

/// Runs sequential Phragmén on approval ballots.
///
/// Loads are fractions whose denominators multiply round after round, so the rounds are first
/// decided with certified intervals, then with hybrids (which see exact ties between small
/// values), and only then exactly (see `amount.rs`); the loads reported are then recomputed
/// exactly along the rounds decided.
#[must_use]
pub fn sequential(instance: &Instance, ballots: &Ballots, tie: &TieOrder, explain: bool) -> PhragmenOutcome {
    let race = Race::new(instance, ballots, tie);
    let decided = race
        .run::<Interval>()
        .or_else(|Uncertain| race.run::<Hybrid>())
        .or_else(|Uncertain| race.run::<Rational>())
        // Exact arithmetic never reports Uncertain; the default (nothing funded) is unreachable.
        .unwrap_or_default();
    race.replay(decided, explain)
}

/// The rounds as decided: who was bought, the ties, and where counting stopped.
#[derive(Debug, Default)]
struct Decided {
    funded: Vec<ProjectIndex>,
    /// (round, tied projects in tie-breaking order).
    ties: Vec<(usize, Vec<ProjectIndex>)>,
    /// (round, the project that did not fit).
    stop: Option<(usize, ProjectIndex)>,
}

/// What stays fixed while Phragmén runs.
#[derive(Debug)]
struct Race<'a> {
    instance: &'a Instance,
    ballots: &'a Ballots,
    tie: &'a TieOrder,
    supporters: Vec<Vec<u32>>,
    score: Vec<u64>,
}

impl<'a> Race<'a> {
    fn new(instance: &'a Instance, ballots: &'a Ballots, tie: &'a TieOrder) -> Race<'a> {
        let mut supporters: Vec<Vec<u32>> = vec![Vec::new(); instance.projects.len()];
        for (b, ballot) in ballots.ballots.iter().enumerate() {
            for &p in &ballot.projects {
                supporters[p].push(b as u32);
            }
        }
        Race { instance, ballots, tie, supporters, score: ballots.approval_counts() }
    }

    /// Decides the rounds in arithmetic `N`.
    fn run<N: Amount>(&self) -> Result<Decided, Uncertain> {
        let instance = self.instance;
        // Every voter's load is the load set by the last project they helped buy: level 0 is
        // "none yet", level k the load of the k-th purchase.
        let mut level_of = vec![0u32; self.ballots.ballots.len()];
        let mut level_load = vec![N::zero()];
        let mut weight_at = vec![0u64; 1];
        let mut touched: Vec<u32> = Vec::new();
        let cost: Vec<N> = instance.projects.iter().map(|p| N::of(&p.cost)).collect();
        let mut remaining: Vec<ProjectIndex> =
            (0..cost.len()).filter(|&p| instance.projects[p].cost <= instance.budget).collect();
        let mut spent = Rational::ZERO;
        let mut decided = Decided::default();
        while !remaining.is_empty() {
            let round = decided.funded.len() + 1;
            // `None` is an infinite load (nobody approves the project).
            let mut best: Option<Option<N>> = None;
            let mut tied: Vec<ProjectIndex> = Vec::new();
            for &p in &remaining {
                let load = if self.score[p] == 0 {
                    None
                } else {
                    for &b in &self.supporters[p] {
                        let level = level_of[b as usize];
                        if weight_at[level as usize] == 0 {
                            touched.push(level);
                        }
                        weight_at[level as usize] += self.ballots.ballots[b as usize].weight;
                    }
                    let mut total = cost[p].clone();
                    for &level in &touched {
                        total = total.add(&level_load[level as usize].mul_int(weight_at[level as usize]));
                        weight_at[level as usize] = 0;
                    }
                    touched.clear();
                    total.div_int(self.score[p])
                };
                match best.as_ref().map(|b| compare(&load, b)).transpose()? {
                    Some(Ordering::Greater) => {}
                    Some(Ordering::Equal) => tied.push(p),
                    _ => {
                        best = Some(load);
                        tied = vec![p];
                    }
                }
            }
            let Some(load) = best else { break };
            self.tie.sort(&mut tied);
            if let Some(&over) = tied.iter().find(|&&p| &spent + &instance.projects[p].cost > instance.budget) {
                decided.stop = Some((round, over));
                break;
            }
            let p = tied[0];
            if tied.len() > 1 {
                decided.ties.push((round, tied));
            }
            if let Some(load) = load {
                level_load.push(load);
                weight_at.push(0);
                let level = (level_load.len() - 1) as u32;
                for &b in &self.supporters[p] {
                    level_of[b as usize] = level;
                }
            }
            spent += &instance.projects[p].cost;
            remaining.retain(|&q| q != p);
            decided.funded.push(p);
        }
        Ok(decided)
    }

    /// The outcome of the rounds decided. With `explain` (or to say what tied projects were
    /// tied on), every load is computed exactly along the way.
    fn replay(&self, decided: Decided, explain: bool) -> PhragmenOutcome {
        let instance = self.instance;
        let mut load_of = vec![Rational::ZERO; self.ballots.ballots.len()];
        let mut rounds = Vec::with_capacity(decided.funded.len());
        let spent = instance.cost_of(&decided.funded);
        let loads_needed = explain || !decided.ties.is_empty();
        for &p in decided.funded.iter().take(if loads_needed { usize::MAX } else { 0 }) {
            let load = (self.score[p] > 0).then(|| {
                let total = self.supporters[p].iter().fold(instance.projects[p].cost.clone(), |t, &b| {
                    t + load_of[b as usize].mul_int(self.ballots.ballots[b as usize].weight as i64)
                });
                total.div_int(self.score[p] as i64).unwrap_or_default()
            });
            if let Some(load) = &load {
                for &b in &self.supporters[p] {
                    load_of[b as usize] = load.clone();
                }
            }
            rounds.push(Round { project: p, load });
        }
        let stop = decided.stop.map(|(round, project)| Stop { round, project, left: &instance.budget - &spent });
        let ties = decided
            .ties
            .into_iter()
            .map(|(round, tied)| {
                let on = match rounds.get(round - 1).and_then(|r| r.load.as_ref()) {
                    Some(load) => format!("load {}", money(load)),
                    None => "load infinite".to_owned(),
                };
                Tie { round: Some(round), chosen: tied[0], tied, on, by: self.tie.rule }
            })
            .collect();
        if !explain {
            rounds.clear();
        }
        PhragmenOutcome { funded: decided.funded, trace: PhragmenTrace { rounds, stop, explained: explain }, ties }
    }
}

/// Orders loads with `None` (infinite) above every finite load.
fn compare<N: Amount>(a: &Option<N>, b: &Option<N>) -> Result<Ordering, Uncertain> {
    Ok(match (a, b) {
        (Some(a), Some(b)) => a.compare(b)?,
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    })
}

impl PhragmenTrace {
    /// Why project `p` was or was not funded, in a sentence.
    #[must_use]
    pub fn explain(&self, instance: &Instance, p: ProjectIndex) -> Option<String> {
        if !self.explained {
            return None;
        }
        let cost = &instance.projects[p].cost;
        if let Some(round) = self.rounds.iter().position(|r| r.project == p) {
            let load = self.rounds[round].load.as_ref().map_or_else(|| "infinite (nobody approves it)".to_owned(), money);
            return Some(format!("funded in round {}: its supporters' load rose to {load}", round + 1));
        }
        if cost > &instance.budget {
            return Some(format!(
                "not funded: it costs {}, more than the whole budget of {}",
                money(cost),
                money(&instance.budget)
            ));
        }
        Some(match &self.stop {
            Some(stop) if stop.project == p => format!(
                "not funded: it was next in round {} but cost {} with only {} left, so counting stopped",
                stop.round,
                money(cost),
                money(&stop.left)
            ),
            Some(stop) => format!(
                "not funded: counting stopped in round {} when {} did not fit, before this project's turn",
                stop.round, instance.projects[stop.project].id
            ),
            None => "not funded".to_owned(),
        })
    }
}
