//! The Method of Equal Shares (MES), exactly as pabutools 1.2.3 computes it.
//!
//! Every voter receives an equal share of the budget. In each round, the project that its
//! supporters can buy most cheaply is funded: for each project, the price factor ρ is the
//! smallest number such that supporter i paying min(money_i, ρ·sat_i) covers the cost, and the
//! project with the smallest ρ wins (ties: the tie-breaking order). Rounds go on while some
//! project is still affordable. Free projects with support are funded first; projects nobody
//! is satisfied by are never considered.
//!
//! Completions ([`Completion`]): `add1` reruns MES with one more unit of money per voter until
//! the outcome is exhaustive (nothing else considered fits) or the next one would overspend,
//! in which case the previous one stands (pabutools' `voter_budget_increment = 1`);
//! `add1-utilitarian` then fills what is left with utilitarian greedy (equalshares.net's default).

mod explain;
mod run;
mod wallets;

use crate::pb::ballots::Satisfaction;
use crate::pb::{Ballots, Instance, ProjectIndex};
use crate::rational::Rational;

use super::Completion;
use super::amount::{self, Hybrid, Interval, Uncertain};
use super::greedy::{self, GreedyTrace};
use super::tie::{Tie, TieOrder};

/// One round of MES: the project funded and what its supporters paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub project: ProjectIndex,
    /// The price factor ρ: supporter i paid min(money_i, ρ·sat_i).
    pub rho: Rational,
    /// Supporters who paid their full share (ρ·sat).
    pub paid_in_full: u64,
    /// Supporters who could not and gave all they had left.
    pub paid_all_they_had: u64,
    /// The project that would have been next, and its ρ (recorded when explaining).
    pub runner_up: Option<(ProjectIndex, Rational)>,
}

/// What happened to a project under MES.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Costs nothing and somebody wants it: funded before counting.
    Free,
    /// Nobody gets any satisfaction from it: never considered.
    NoSupport,
    /// Funded in this round (1-based).
    Funded { round: usize },
    /// After this many rounds its supporters held `available` in all, less than its cost.
    /// `last_price` is its ρ in the last round it was still affordable, if it ever was priced.
    OutOfReach { after_round: usize, available: Rational, last_price: Option<(usize, Rational)> },
    /// Funded by the utilitarian completion after MES.
    FundedByCompletion,
}

/// The working of MES.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MesTrace {
    pub satisfaction: Satisfaction,
    pub completion: Completion,
    pub voters: u64,
    /// Each voter's starting money in the run reported.
    pub budget_per_voter: Rational,
    /// How many runs the add-one completion needed (1 without it); one run may settle a whole
    /// range of shares.
    pub runs: usize,
    /// How many of those runs floating-point intervals could not certify, so that they were
    /// redone in exact arithmetic (see `amount.rs`).
    pub exact_runs: usize,
    pub rounds: Vec<Round>,
    /// Indexed by project.
    pub fates: Vec<Fate>,
    /// The utilitarian completion, when it ran.
    pub greedy: Option<GreedyTrace>,
    /// Whether `rounds` and `fates` were recorded (they cost an exact rerun; see [`Count`](super::Count)).
    pub explained: bool,
}

/// The funded projects, in order, with the working and the ties broken.
#[derive(Debug, Clone)]
pub struct MesOutcome {
    pub funded: Vec<ProjectIndex>,
    pub trace: MesTrace,
    pub ties: Vec<Tie>,
}

/// Everything about the election that stays fixed while MES runs, however often.
#[derive(Debug)]
struct Problem<'a> {
    instance: &'a Instance,
    satisfaction: Satisfaction,
    tie: &'a TieOrder,
    weights: Vec<u64>,
    voters: u64,
    /// Per project: the distinct ballots that support it.
    supporters: Vec<Vec<u32>>,
    /// Per project: each supporter's satisfaction (aligned with `supporters`), only when they differ.
    sats: Vec<Vec<Rational>>,
    /// Per project: the satisfaction every supporter gets, when it is the same for all.
    unit_sat: Vec<Rational>,
    /// Per project: Σ weight · satisfaction.
    total_sat: Vec<Rational>,
    /// Projects MES prices: positive cost and some support.
    considered: Vec<ProjectIndex>,
    /// Free projects with some support.
    free: Vec<ProjectIndex>,
}

/// Runs MES with the given satisfaction and completion; with `explain`, records every round and
/// every project's fate in exact arithmetic.
#[must_use]
pub fn equal_shares(
    instance: &Instance,
    ballots: &Ballots,
    satisfaction: Satisfaction,
    completion: Completion,
    tie: &TieOrder,
    explain: bool,
) -> MesOutcome {
    let problem = Problem::new(instance, ballots, satisfaction, tie);
    let empty_trace = |fates| MesTrace {
        satisfaction,
        completion,
        voters: 0,
        budget_per_voter: Rational::ZERO,
        runs: 0,
        exact_runs: 0,
        rounds: Vec::new(),
        fates,
        greedy: None,
        explained: explain,
    };
    // No voters, no shares: pabutools returns an empty allocation.
    let Some(share) = instance.budget.div_int(problem.voters as i64) else {
        return MesOutcome {
            funded: Vec::new(),
            trace: empty_trace(vec![Fate::NoSupport; instance.projects.len()]),
            ties: Vec::new(),
        };
    };
    let (share, runs, run) = match completion {
        Completion::None => {
            let (run, exact) = problem.certified(&share);
            (share, Runs { total: 1, exact: usize::from(exact) }, run)
        }
        Completion::Add1 | Completion::Add1Utilitarian => problem.add_one(share),
    };
    problem.outcome(ballots, share, runs, run, completion, explain)
}

/// Runs plain MES (no completion) with a given starting share per voter.
#[must_use]
pub fn equal_shares_with_share(
    instance: &Instance,
    ballots: &Ballots,
    satisfaction: Satisfaction,
    share: &Rational,
    tie: &TieOrder,
    explain: bool,
) -> MesOutcome {
    let problem = Problem::new(instance, ballots, satisfaction, tie);
    let (run, exact) = problem.certified(share);
    problem.outcome(ballots, share.clone(), Runs { total: 1, exact: usize::from(exact) }, run, Completion::None, explain)
}

/// Whether no project among `candidates` outside `funded` still fits in the budget.
fn is_exhaustive(instance: &Instance, funded: &[ProjectIndex], candidates: impl IntoIterator<Item = ProjectIndex>) -> bool {
    let spent = instance.cost_of(funded);
    candidates.into_iter().all(|p| funded.contains(&p) || &spent + &instance.projects[p].cost > instance.budget)
}

/// How many runs MES needed, and how many of them in exact arithmetic.
#[derive(Debug, Clone, Copy)]
struct Runs {
    total: usize,
    exact: usize,
}

impl<'a> Problem<'a> {
    fn new(instance: &'a Instance, ballots: &Ballots, satisfaction: Satisfaction, tie: &'a TieOrder) -> Problem<'a> {
        let weights: Vec<u64> = ballots.ballots.iter().map(|b| b.weight).collect();
        let n = instance.projects.len();
        let unit_sat: Vec<Rational> =
            instance.projects.iter().map(|project| satisfaction.of(&project.cost, &Rational::ONE)).collect();
        let mut supporters: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut sats = vec![Vec::new(); n];
        let total_sat: Vec<Rational> = if satisfaction.is_uniform() {
            // Everyone who names the project gets the same: count them, multiply once.
            let mut counts = vec![0u64; n];
            if unit_sat.iter().any(Rational::is_positive) {
                for (b, ballot) in ballots.ballots.iter().enumerate() {
                    for &p in &ballot.projects {
                        if unit_sat[p].is_positive() {
                            supporters[p].push(b as u32);
                            counts[p] += ballot.weight;
                        }
                    }
                }
            }
            unit_sat.iter().zip(&counts).map(|(sat, &count)| sat.mul_int(count as i64)).collect()
        } else {
            let mut total_sat = vec![Rational::ZERO; n];
            for (p, list) in ballots.supporters(instance, satisfaction).into_iter().enumerate() {
                for (b, sat) in list {
                    total_sat[p] += &sat.mul_int(weights[b as usize] as i64);
                    supporters[p].push(b);
                    sats[p].push(sat);
                }
            }
            total_sat
        };
        let supported = |p: &ProjectIndex| total_sat[*p].is_positive();
        let mut free: Vec<ProjectIndex> =
            (0..n).filter(supported).filter(|&p| !instance.projects[p].cost.is_positive()).collect();
        tie.sort(&mut free);
        let considered = (0..n).filter(supported).filter(|&p| instance.projects[p].cost.is_positive()).collect();
        Problem {
            instance,
            satisfaction,
            tie,
            voters: ballots.voters,
            weights,
            supporters,
            sats,
            unit_sat,
            total_sat,
            considered,
            free,
        }
    }

    /// The outcome of MES at `share` per voter, from its certified `run`, with the utilitarian
    /// completion when asked; with `explain`, rerun exactly to record every round and fate.
    fn outcome(
        &self,
        ballots: &Ballots,
        share: Rational,
        runs: Runs,
        run: run::Run,
        completion: Completion,
        explain: bool,
    ) -> MesOutcome {
        let instance = self.instance;
        let (run, mut fates) = if explain {
            let explained = self.explained(&share);
            let run = run::Run { funded: explained.funded, rounds: explained.rounds, ties: explained.ties, fates: Vec::new() };
            (run, explained.fates)
        } else {
            (run, Vec::new())
        };
        let mut funded = self.free.clone();
        funded.extend(&run.funded);
        let mut ties = run.ties;
        if explain {
            for &p in &self.free {
                fates[p] = Fate::Free;
            }
        }
        let mut greedy_trace = None;
        if completion == Completion::Add1Utilitarian && !is_exhaustive(instance, &funded, 0..instance.projects.len()) {
            let scan = greedy::utilitarian(instance, ballots, self.satisfaction, &funded, self.tie);
            if explain {
                for &p in &scan.funded {
                    fates[p] = Fate::FundedByCompletion;
                }
            }
            funded.extend(&scan.funded);
            ties.extend(scan.ties);
            greedy_trace = Some(scan.trace);
        }
        let trace = MesTrace {
            satisfaction: self.satisfaction,
            completion,
            voters: self.voters,
            budget_per_voter: share,
            runs: runs.total,
            exact_runs: runs.exact,
            rounds: run.rounds,
            fates,
            greedy: greedy_trace,
            explained: explain,
        };
        MesOutcome { funded, trace, ties }
    }

    /// The run of MES at `share` per voter (free projects aside), and whether exact arithmetic
    /// was needed to be sure of it.
    /// Tried with plain intervals first (fastest), then with hybrids, which also see exact ties
    /// between small values (first with the share itself as an interval: the ties that matter
    /// are usually between prices that do not depend on it, such as cost / supporters), then
    /// exactly.
    fn certified(&self, share: &Rational) -> (run::Run, bool) {
        if let Ok(run) = self.select(<Interval as amount::Amount>::of(share), false) {
            return (run, false);
        }
        if let Ok(run) = self.select(Hybrid::approximately(share), false) {
            return (run, false);
        }
        match self.select(<Hybrid as amount::Amount>::of(share), false) {
            Ok(run) => (run, false),
            // Exact arithmetic never reports Uncertain; the default (nothing funded) is unreachable.
            Err(Uncertain) => (self.select(share.clone(), false).unwrap_or_default(), true),
        }
    }

    /// The add-one completion: the per-voter budget of the outcome it settles on, the runs it
    /// took, and that outcome's run.
    ///
    /// The result is that of trying share, share + 1, share + 2, … one at a time (pabutools'
    /// semantics), but most steps change nothing, so whole ranges of shares are tried at once:
    /// a run with the share given as an interval that decides every comparison holds for every
    /// share in the range, and the range then needs no further run. Ranges grow while runs
    /// succeed and shrink when one cannot decide, down to single shares counted exactly.
    fn add_one(&self, mut share: Rational) -> (Rational, Runs, run::Run) {
        let budget = &self.instance.budget;
        let mut runs = Runs { total: 0, exact: 0 };
        let mut previous: Option<(Rational, run::Run)> = None;
        // Ranges double while they settle and halve when they cannot; when even two shares
        // cannot be settled at once, single shares are counted for a while (longer each time)
        // before ranges are tried again.
        let (mut width, mut wait, mut patience): (i64, u32, u32) = (1, 0, 1);
        loop {
            let attempt_width = if wait > 0 { 0 } else { width };
            let last = &share + &Rational::integer(attempt_width);
            let attempt = if attempt_width == 0 {
                wait = wait.saturating_sub(1);
                let (run, exact) = self.certified(&share);
                runs.exact += usize::from(exact);
                Some(run)
            } else {
                self.select(Hybrid::range(&share, &last), false).ok()
            };
            runs.total += 1;
            let Some(run) = attempt else {
                if width > 1 {
                    width /= 2;
                } else {
                    wait = patience;
                    patience = (patience * 2).min(16);
                }
                continue;
            };
            if attempt_width > 0 {
                width = (width * 2).min(1 << 20);
                patience = 1;
            }
            // Every share from `share` to `last` funds the same projects.
            let mut funded = self.free.clone();
            funded.extend(&run.funded);
            if &self.instance.cost_of(&funded) > budget {
                let (share, run) = previous.unwrap_or((share, run));
                return (share, runs, run);
            }
            if is_exhaustive(self.instance, &funded, self.considered.iter().copied()) {
                return (share, runs, run);
            }
            share = &last + &Rational::ONE;
            previous = Some((last, run));
        }
    }
}
