//! Greedy rules: rank the projects, then fund them in that order while money lasts.
//!
//! Two families share one scan:
//! - **as cities count** ([`city`]): rank by votes, or by score (points) when the election has
//!   them; `greedy` skips a project that does not fit and goes on, `greedy-no-skip` stops at the
//!   first one, `greedy-threshold` only ranks projects at or above the threshold. A project
//!   with the sentinel cost was withdrawn after the vote and is never funded.
//! - **utilitarian** ([`utilitarian`], pabutools' `greedy_utilitarian_welfare`): rank by total
//!   satisfaction per unit of cost, skip what does not fit. As in pabutools, a project nobody
//!   supports still comes last and is funded if it fits; a free project somebody supports comes
//!   first.

use std::cmp::Ordering;
use std::fmt;

use crate::pb::ballots::Satisfaction;
use crate::pb::{Ballots, Instance, ProjectIndex, SENTINEL_COST};
use crate::rational::Rational;

use super::tie::{Tie, TieOrder};

/// A project's place in the ranking: a number, or infinitely good (free and wanted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Score {
    Finite(Rational),
    Infinite,
}

impl Ord for Score {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Score::Finite(a), Score::Finite(b)) => a.cmp(b),
            (Score::Finite(_), Score::Infinite) => Ordering::Less,
            (Score::Infinite, Score::Finite(_)) => Ordering::Greater,
            (Score::Infinite, Score::Infinite) => Ordering::Equal,
        }
    }
}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Score::Finite(x) if x.is_integer() => write!(f, "{x}"),
            Score::Finite(x) => write!(f, "{}", x.to_decimal(4)),
            Score::Infinite => f.write_str("unbounded (free project)"),
        }
    }
}

/// What a greedy rule ranked by, for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankedBy {
    Votes,
    Score,
    /// Total satisfaction divided by cost.
    SatisfactionPerCost(Satisfaction),
}

impl fmt::Display for RankedBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RankedBy::Votes => f.write_str("votes"),
            RankedBy::Score => f.write_str("score (points)"),
            RankedBy::SatisfactionPerCost(Satisfaction::Cost) => f.write_str("votes (cost satisfaction per unit of cost)"),
            RankedBy::SatisfactionPerCost(Satisfaction::Cardinality) => f.write_str("votes per unit of cost"),
            RankedBy::SatisfactionPerCost(Satisfaction::Points) => f.write_str("points per unit of cost"),
        }
    }
}

/// Whether the scan goes on after a project that does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    Skip,
    Stop,
}

/// What happened to one project in the scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Funded; this much money was left afterwards.
    Funded { left: Rational },
    /// Not funded: it cost more than the money left.
    DidNotFit { left: Rational },
    /// Not funded: the scan had stopped at an earlier project that did not fit.
    AfterStop,
    /// Not ranked: its score is below the threshold.
    BelowThreshold,
    /// Not funded: withdrawn after the vote (sentinel cost).
    Withdrawn,
}

/// One project in ranking order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub project: ProjectIndex,
    /// 1-based place in the ranking.
    pub place: usize,
    pub score: Score,
    pub step: Step,
}

/// The working of a greedy scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GreedyTrace {
    pub ranked_by: RankedBy,
    pub fit: Fit,
    pub threshold: Option<Rational>,
    /// Money available when the scan started (the budget minus anything already funded).
    pub available: Rational,
    pub ranking: Vec<Ranked>,
}

/// The projects a scan funded, in order, and its working.
#[derive(Debug, Clone)]
pub struct Scan {
    pub funded: Vec<ProjectIndex>,
    pub trace: GreedyTrace,
    pub ties: Vec<Tie>,
}

/// Greedy as cities count: by votes or by score, skipping or stopping, with an optional threshold.
#[must_use]
pub fn city(
    instance: &Instance,
    ballots: &Ballots,
    by_score: bool,
    fit: Fit,
    threshold: Option<Rational>,
    tie: &TieOrder,
) -> Scan {
    let (scores, ranked_by) = if by_score {
        (ballots.point_totals(), RankedBy::Score)
    } else {
        (ballots.approval_counts().into_iter().map(Rational::from).collect(), RankedBy::Votes)
    };
    let sentinel = Rational::integer(SENTINEL_COST);
    let candidates = (0..instance.projects.len()).map(|p| (p, Score::Finite(scores[p].clone()))).collect();
    scan(instance, candidates, instance.budget.clone(), GreedyTrace::new(ranked_by, fit, threshold), tie, |p| {
        instance.projects[p].cost == sentinel
    })
}

/// pabutools' greedy utilitarian welfare, continuing from `already` funded projects.
#[must_use]
pub fn utilitarian(
    instance: &Instance,
    ballots: &Ballots,
    satisfaction: Satisfaction,
    already: &[ProjectIndex],
    tie: &TieOrder,
) -> Scan {
    let total: Vec<Rational> = if satisfaction.is_uniform() {
        // Every supporter gets the same: count supporters, then multiply once.
        let votes = ballots.approval_counts();
        (0..instance.projects.len())
            .map(|p| satisfaction.of(&instance.projects[p].cost, &Rational::ONE).mul_int(votes[p] as i64))
            .collect()
    } else {
        let mut total = vec![Rational::ZERO; instance.projects.len()];
        for ballot in &ballots.ballots {
            for (p, points) in ballot.entries() {
                total[p] += &satisfaction.of(&instance.projects[p].cost, points).mul_int(ballot.weight as i64);
            }
        }
        total
    };
    let candidates = (0..instance.projects.len())
        .filter(|p| !already.contains(p))
        .map(|p| {
            let cost = &instance.projects[p].cost;
            let score = if !total[p].is_positive() {
                Score::Finite(Rational::ZERO)
            } else {
                total[p].checked_div(cost).map_or(Score::Infinite, Score::Finite)
            };
            (p, score)
        })
        .collect();
    let available = &instance.budget - instance.cost_of(already);
    scan(
        instance,
        candidates,
        available,
        GreedyTrace::new(RankedBy::SatisfactionPerCost(satisfaction), Fit::Skip, None),
        tie,
        |_| false,
    )
}

impl GreedyTrace {
    fn new(ranked_by: RankedBy, fit: Fit, threshold: Option<Rational>) -> GreedyTrace {
        GreedyTrace { ranked_by, fit, threshold, available: Rational::ZERO, ranking: Vec::new() }
    }
}

/// Ranks `candidates` by score (best first, ties by `tie`) and funds them in that order.
fn scan(
    instance: &Instance,
    mut candidates: Vec<(ProjectIndex, Score)>,
    available: Rational,
    mut trace: GreedyTrace,
    tie: &TieOrder,
    withdrawn: impl Fn(ProjectIndex) -> bool,
) -> Scan {
    candidates.sort_by(|(a, sa), (b, sb)| sb.cmp(sa).then_with(|| tie.cmp(*a, *b)));
    let mut left = available.clone();
    let mut stopped = false;
    let mut funded = Vec::new();
    for (place, (p, score)) in candidates.into_iter().enumerate() {
        let cost = &instance.projects[p].cost;
        let below = match (&trace.threshold, &score) {
            (Some(t), Score::Finite(s)) => s < t,
            _ => false,
        };
        let step = if below {
            Step::BelowThreshold
        } else if withdrawn(p) {
            Step::Withdrawn
        } else if stopped {
            Step::AfterStop
        } else if cost <= &left {
            left -= cost;
            funded.push(p);
            Step::Funded { left: left.clone() }
        } else {
            stopped = trace.fit == Fit::Stop;
            Step::DidNotFit { left: left.clone() }
        };
        trace.ranking.push(Ranked { project: p, place: place + 1, score, step });
    }
    trace.available = available;
    let ties = decisive_ties(&trace, tie);
    Scan { funded, trace, ties }
}

/// Groups of projects with equal scores whose fates differ: there the tie-breaking order decided
/// who was funded. (Equal scores with equal fates are not reported: the order did not matter.)
fn decisive_ties(trace: &GreedyTrace, tie: &TieOrder) -> Vec<Tie> {
    let mut ties = Vec::new();
    let ranked: Vec<&Ranked> =
        trace.ranking.iter().filter(|r| r.step != Step::BelowThreshold && r.step != Step::Withdrawn).collect();
    for group in ranked.chunk_by(|a, b| a.score == b.score) {
        let funded = |r: &&Ranked| matches!(r.step, Step::Funded { .. });
        if group.len() > 1 && group.iter().any(funded) && !group.iter().all(funded) {
            ties.push(Tie {
                round: None,
                tied: group.iter().map(|r| r.project).collect(),
                chosen: group[0].project,
                on: trace.scored(&group[0].score),
                by: tie.rule,
            });
        }
    }
    ties
}

impl GreedyTrace {
    /// A score with its unit: `1 vote`, `12 votes`, `30 points`.
    fn scored(&self, score: &Score) -> String {
        match (self.ranked_by, score) {
            (RankedBy::Votes, Score::Finite(one)) if one == &Rational::ONE => "1 vote".to_owned(),
            _ => format!("{score} {}", self.ranked_by),
        }
    }

    /// Why project `p` was or was not funded, in a sentence.
    #[must_use]
    pub fn explain(&self, instance: &Instance, p: ProjectIndex) -> Option<String> {
        let r = self.ranking.iter().find(|r| r.project == p)?;
        let cost = &instance.projects[p].cost;
        let head = format!("ranked {} of {} with {}", r.place, self.ranking.len(), self.scored(&r.score));
        Some(match &r.step {
            Step::Funded { left } => format!("funded: {head}; it cost {} and left {}", money(cost), money(left)),
            Step::DidNotFit { left } if self.fit == Fit::Stop => {
                format!("not funded: {head}; it cost {} but only {} was left, so counting stopped here", money(cost), money(left))
            }
            Step::DidNotFit { left } => format!("not funded: {head}; it cost {} but only {} was left", money(cost), money(left)),
            Step::AfterStop => format!("not funded: {head}; counting had stopped at an earlier project that did not fit"),
            Step::BelowThreshold => format!(
                "not funded: {} is below the threshold of {}",
                self.scored(&r.score),
                self.threshold.as_ref().map_or_else(String::new, Rational::to_string)
            ),
            Step::Withdrawn => "not funded: withdrawn after the vote (sentinel cost 999999999)".to_owned(),
        })
    }
}

/// An amount of money for people: exact when whole, else to the cent.
pub(crate) fn money(x: &Rational) -> String {
    if x.is_integer() { x.to_string() } else { x.to_decimal(2) }
}
