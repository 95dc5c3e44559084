//! Sequential Phragmén for approval ballots, as pabutools 1.2.3 computes it.
//!
//! Voters earn money continuously; a project is bought as soon as its supporters together can
//! pay for it, and buying it sets each of them to the same new *load* (what they have spent):
//! the project chosen is the one with the smallest resulting load
//! `(Σ supporters' loads + cost) / supporters`. Counting stops at the first chosen project that
//! does not fit the budget (when several are tied, if any of them does not fit). Only projects
//! that fit the whole budget are considered; a project nobody approves has infinite load and
//! can only come last.

use crate::pb::{Ballots, Instance, ProjectIndex};
use crate::rational::Rational;

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
    pub rounds: Vec<Round>,
    pub stop: Option<Stop>,
}

/// The funded projects in order, the working and the ties broken.
#[derive(Debug, Clone)]
pub struct PhragmenOutcome {
    pub funded: Vec<ProjectIndex>,
    pub trace: PhragmenTrace,
    pub ties: Vec<Tie>,
}

/// Runs sequential Phragmén on approval ballots.
#[must_use]
pub fn sequential(instance: &Instance, ballots: &Ballots, tie: &TieOrder) -> PhragmenOutcome {
    let n = instance.projects.len();
    let mut supporters: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (b, ballot) in ballots.ballots.iter().enumerate() {
        for &p in &ballot.projects {
            supporters[p].push(b as u32);
        }
    }
    let score = ballots.approval_counts();
    // Every voter's load is the load set by the last project they helped buy: level 0 is "none
    // yet", level k the load of the k-th purchase.
    let mut level_of = vec![0u32; ballots.ballots.len()];
    let mut level_load = vec![Rational::ZERO];
    let mut weight_at = vec![0u64; 1];
    let mut touched: Vec<u32> = Vec::new();

    let mut remaining: Vec<ProjectIndex> = (0..n).filter(|&p| instance.projects[p].cost <= instance.budget).collect();
    let mut spent = Rational::ZERO;
    let mut out =
        PhragmenOutcome { funded: Vec::new(), trace: PhragmenTrace { rounds: Vec::new(), stop: None }, ties: Vec::new() };
    while !remaining.is_empty() {
        let round = out.trace.rounds.len() + 1;
        let mut best: Option<Option<Rational>> = None;
        let mut tied: Vec<ProjectIndex> = Vec::new();
        for &p in &remaining {
            let load = if score[p] == 0 {
                None
            } else {
                for &b in &supporters[p] {
                    let level = level_of[b as usize];
                    if weight_at[level as usize] == 0 {
                        touched.push(level);
                    }
                    weight_at[level as usize] += ballots.ballots[b as usize].weight;
                }
                let mut total = instance.projects[p].cost.clone();
                for &level in &touched {
                    total += &level_load[level as usize].mul_int(weight_at[level as usize] as i64);
                    weight_at[level as usize] = 0;
                }
                touched.clear();
                total.div_int(score[p] as i64)
            };
            match best.as_ref().map(|b| compare(&load, b)) {
                Some(std::cmp::Ordering::Greater) => {}
                Some(std::cmp::Ordering::Equal) => tied.push(p),
                _ => {
                    best = Some(load);
                    tied = vec![p];
                }
            }
        }
        let Some(load) = best else { break };
        tie.sort(&mut tied);
        if let Some(&over) = tied.iter().find(|&&p| &spent + &instance.projects[p].cost > instance.budget) {
            out.trace.stop = Some(Stop { round, project: over, left: &instance.budget - &spent });
            break;
        }
        let on = format!("load {}", load.as_ref().map_or_else(|| "infinite".to_owned(), money));
        let Some(p) = tie.decide(Some(round), tied, on, &mut out.ties) else { break };
        if let Some(load) = &load {
            level_load.push(load.clone());
            weight_at.push(0);
            let level = (level_load.len() - 1) as u32;
            for &b in &supporters[p] {
                level_of[b as usize] = level;
            }
        }
        spent += &instance.projects[p].cost;
        remaining.retain(|&q| q != p);
        out.funded.push(p);
        out.trace.rounds.push(Round { project: p, load });
    }
    out
}

/// Orders loads with `None` (infinite) above every finite load.
fn compare(a: &Option<Rational>, b: &Option<Rational>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

impl PhragmenTrace {
    /// Why project `p` was or was not funded, in a sentence.
    #[must_use]
    pub fn explain(&self, instance: &Instance, p: ProjectIndex) -> Option<String> {
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
