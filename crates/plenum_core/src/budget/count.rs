//! Checking ballots and counting a cycle with the PB engine of `plenum_choice`.
//!
//! Each pot (the city-wide one and each district's) is one Pabulib [`Election`]: its feasible
//! projects at their final cost (ids are the projects' codes), its
//! budget, and one voter per published ballot that names at least one of its projects, with
//! the ballot's board position as voter id. The rule fixed before voting counts it.
//!
//! Ties are broken by [`TieBreak::CostThenVotes`]: the cheaper project, then the one on more
//! ballots, then the lower code. It is the order equalshares.net recommends and the one
//! pabulib's checker applies, so an exported cycle whose result turned on a tie still checks.

use std::collections::{BTreeMap, BTreeSet};

use plenum_choice::pb::rules::{Completion, Count, Rule, RuleSpec, TieBreak, greedy, max_welfare, phragmen};
use plenum_choice::pb::{Election, Instance, Meta, Profile, Project, VoteType, Voters};
use plenum_choice::rational::Rational;
use serde::{Deserialize, Serialize};

use super::{Amount, BallotFormat, BudgetCycle, BudgetProject, BudgetRule, BudgetVote, Budgets};
use crate::id::{BudgetProjectId, DistrictId};
use crate::refusal::Refusal;

/// A counted cycle's result: one entry per pot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetResult {
    pub rule: BudgetRule,
    /// Ballots counted (published).
    pub ballots: u64,
    pub pots: Vec<PotResult>,
}

/// One pot's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PotResult {
    /// `None` for the city-wide pot.
    pub district: Option<DistrictId>,
    pub budget: Amount,
    /// The funded projects, in the order the rule chose them.
    pub funded: Vec<BudgetProjectId>,
    pub spent: Amount,
    /// How many ballots name each project of the pot, in code order.
    pub votes: Vec<(BudgetProjectId, u64)>,
    /// The ties the tie-breaking order (cost, then votes, then code) decided, for people.
    pub ties: Vec<String>,
    pub notes: Vec<String>,
}

impl BudgetResult {
    #[must_use]
    pub fn is_funded(&self, project: &BudgetProjectId) -> bool {
        self.pots.iter().any(|p| p.funded.contains(project))
    }
}

/// The PB engine's settings for a rule.
#[must_use]
pub fn spec(rule: BudgetRule) -> RuleSpec {
    let default = RuleSpec { tie_break: TieBreak::CostThenVotes, ..RuleSpec::default() };
    match rule {
        BudgetRule::EqualShares => default,
        BudgetRule::EqualSharesPlain => RuleSpec { completion: Completion::None, ..default },
        BudgetRule::Greedy => RuleSpec { rule: Rule::Greedy, ..default },
        BudgetRule::Phragmen => RuleSpec { rule: Rule::Phragmen, ..default },
        BudgetRule::MaxWelfare => RuleSpec { rule: Rule::MaxWelfare, ..default },
    }
}

/// The Pabulib vote type of a format.
#[must_use]
pub fn vote_type(format: BallotFormat) -> VoteType {
    match format {
        BallotFormat::Approval { .. } | BallotFormat::Knapsack => VoteType::Approval,
        BallotFormat::Cumulative { .. } => VoteType::Cumulative,
        BallotFormat::Ranking { .. } => VoteType::Ordinal,
    }
}

/// Checks a ballot against the cycle's format and the projects on offer (the feasible ones).
pub fn check_ballot(cycle: &BudgetCycle, budgets: &Budgets, vote: &BudgetVote) -> Result<(), Refusal> {
    let kind_fits = matches!(
        (cycle.format, vote),
        (BallotFormat::Approval { .. } | BallotFormat::Knapsack, BudgetVote::Approval(_))
            | (BallotFormat::Cumulative { .. }, BudgetVote::Points(_))
            | (BallotFormat::Ranking { .. }, BudgetVote::Ranking(_))
    );
    if !kind_fits {
        return Err(Refusal::BallotWrongKind { format: cycle.format.name() });
    }
    let mut seen = BTreeSet::new();
    // Per pot: cost of the approved projects and points given.
    let mut cost: BTreeMap<Option<&DistrictId>, u64> = BTreeMap::new();
    let mut points: BTreeMap<Option<&DistrictId>, u64> = BTreeMap::new();
    let marks: Vec<(&BudgetProjectId, u32)> = match vote {
        BudgetVote::Approval(p) | BudgetVote::Ranking(p) => p.iter().map(|id| (id, 1)).collect(),
        BudgetVote::Points(p) => p.iter().map(|(id, n)| (id, *n)).collect(),
    };
    for (id, n) in &marks {
        if !seen.insert(*id) {
            return Err(Refusal::Duplicate { id: id.to_string() });
        }
        let project = budgets.projects.get(*id).filter(|p| p.cycle == cycle.id);
        let Some((project, final_cost)) = project.and_then(|p| Some((p, p.final_cost()?))) else {
            return Err(Refusal::BallotNotOnOffer { project: id.to_string() });
        };
        if *n == 0 {
            return Err(Refusal::BallotZeroPoints { project: id.to_string() });
        }
        let pot = project.district.as_ref();
        *cost.entry(pot).or_default() = cost.get(&pot).copied().unwrap_or(0).saturating_add(final_cost.0);
        *points.entry(pot).or_default() = points.get(&pot).copied().unwrap_or(0).saturating_add(u64::from(*n));
    }
    let n = marks.len() as u64;
    match cycle.format {
        BallotFormat::Approval { min, max } => {
            if n < u64::from(min) {
                return Err(Refusal::BallotTooFew { min });
            }
            if n > u64::from(max) {
                return Err(Refusal::BallotTooMany { max });
            }
        }
        BallotFormat::Ranking { max } if n > u64::from(max) => return Err(Refusal::BallotTooMany { max }),
        BallotFormat::Knapsack => {
            for (pot, cost) in cost {
                let budget = cycle.pot_budget(pot).unwrap_or_default();
                if cost > budget.0 {
                    return Err(Refusal::BallotOverBudget { cost, budget: budget.0 });
                }
            }
        }
        BallotFormat::Cumulative { points: limit } => {
            for (_, given) in points {
                if given > u64::from(limit) {
                    return Err(Refusal::BallotTooManyPoints { points: given, limit });
                }
            }
        }
        BallotFormat::Ranking { .. } => {}
    }
    Ok(())
}

/// A pot as a Pabulib election, with the cycle's project id of each of its projects.
#[derive(Debug, Clone)]
pub struct PotElection {
    pub district: Option<DistrictId>,
    pub budget: Amount,
    pub projects: Vec<BudgetProjectId>,
    pub election: Election,
}

/// The feasible projects of a pot, in code order.
fn pot_projects<'a>(cycle: &'a BudgetCycle, budgets: &'a Budgets, pot: Option<&DistrictId>) -> Vec<&'a BudgetProject> {
    let mut projects: Vec<&BudgetProject> =
        budgets.projects_of(cycle).filter(|p| p.district.as_ref() == pot && p.final_cost().is_some()).collect();
    projects.sort_by(|a, b| a.code.cmp(&b.code));
    projects
}

/// Every pot of a cycle as an election over `votes` (the published ballots, in board order).
pub fn elections<'v>(
    cycle: &BudgetCycle,
    budgets: &Budgets,
    votes: impl Iterator<Item = &'v BudgetVote> + Clone,
) -> Vec<PotElection> {
    let mut out = Vec::new();
    for pot in cycle.pots() {
        let budget = cycle.pot_budget(pot.as_ref()).unwrap_or_default();
        let projects = pot_projects(cycle, budgets, pot.as_ref());
        let index: BTreeMap<&BudgetProjectId, usize> = projects.iter().enumerate().map(|(k, p)| (&p.id, k)).collect();
        let vote_type = vote_type(cycle.format);
        let mut voters = Voters::new();
        let (mut vote, mut points) = (Vec::new(), Vec::new());
        for (position, ballot) in votes.clone().enumerate() {
            vote.clear();
            points.clear();
            match ballot {
                BudgetVote::Approval(p) | BudgetVote::Ranking(p) => vote.extend(p.iter().filter_map(|id| index.get(id).copied())),
                BudgetVote::Points(p) => {
                    for (id, n) in p {
                        if let Some(&k) = index.get(id) {
                            vote.push(k);
                            points.push(Rational::from(*n));
                        }
                    }
                }
            }
            // A voter counts in a pot if their ballot names one of its projects; a blank
            // ballot counts in every pot (it shares in the budget like any other).
            if vote.is_empty() && ballot.projects().next().is_some() {
                continue;
            }
            let id = (position + 1).to_string();
            voters.push(&id, &vote, if vote_type.requires_points() { Some(&points) } else { None });
        }
        let mut meta = Meta::default();
        meta.set("description", cycle.title.as_str());
        meta.set("num_projects", projects.len().to_string());
        meta.set("num_votes", voters.len().to_string());
        meta.set("budget", budget.0.to_string());
        meta.set("vote_type", vote_type.as_str());
        let instance = Instance {
            meta,
            budget: cycle.exact(budget),
            project_columns: vec!["name".to_owned()],
            projects: projects
                .iter()
                .map(|p| Project {
                    id: p.code.clone(),
                    cost: cycle.exact(p.final_cost().unwrap_or_default()),
                    fields: vec![Some(p.title.to_string())],
                })
                .collect(),
        };
        out.push(PotElection {
            district: pot,
            budget,
            projects: projects.iter().map(|p| p.id.clone()).collect(),
            election: Election { instance, profile: Profile { vote_type, voters, columns: Vec::new() } },
        });
    }
    out
}

/// Counts every pot by `rule`.
pub fn count<'v>(
    cycle: &BudgetCycle,
    budgets: &Budgets,
    votes: impl ExactSizeIterator<Item = &'v BudgetVote> + Clone,
    rule: BudgetRule,
) -> Result<BudgetResult, Refusal> {
    let ballots = votes.len() as u64;
    let mut pots = Vec::new();
    for pot in elections(cycle, budgets, votes) {
        let count = Count::new(&pot.election);
        let outcome = count.run(&spec(rule)).map_err(|e| Refusal::ImpossibleCount { reason: e.to_string() })?;
        let funded: Vec<BudgetProjectId> = outcome.selected.iter().map(|&k| pot.projects[k].clone()).collect();
        let spent = outcome
            .selected
            .iter()
            .map(|&k| budgets.projects.get(&pot.projects[k]).and_then(BudgetProject::final_cost).unwrap_or_default().0)
            .sum();
        let code = |k: usize| pot.election.instance.projects[k].id.clone();
        pots.push(PotResult {
            district: pot.district,
            budget: pot.budget,
            funded,
            spent: Amount(spent),
            votes: pot.projects.iter().cloned().zip(count.votes.iter().copied()).collect(),
            ties: outcome
                .ties
                .iter()
                .map(|t| {
                    let tied: Vec<String> = t.tied.iter().map(|&k| code(k)).collect();
                    format!("{} tied on {}; {} chosen by {}", tied.join(", "), t.on, code(t.chosen), t.by.as_str())
                })
                .collect(),
            notes: outcome.notes,
        });
    }
    Ok(BudgetResult { rule, ballots, pots })
}

/// Why one project of a counted pot was or was not funded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub project: BudgetProjectId,
    pub funded: bool,
    pub votes: u64,
    /// The PB engine's sentence, in English (what each supporter paid and the effective
    /// support under Equal Shares; what a project that lost lacked).
    pub why: String,
    /// The same as data, for the web to word in each language (every rule a cycle can use;
    /// `Other` only when the engine recorded no working, which keeps the English sentence).
    pub reason: Why,
}

/// A price under Equal Shares with cost satisfaction, as people read it: what each supporter
/// paid (an amount as text, exact or to two decimals) and as how many full supporters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Price {
    pub per_supporter: String,
    pub effective: String,
}

/// Why a project was or was not funded, as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// Funded in this round of Equal Shares; the next best project and its price, if any.
    FundedInRound { round: usize, price: Price, paid_in_full: u64, gave_all: u64, next_best: Option<(String, Price)> },
    /// Its supporters had too little left after this many rounds (0: from the start); the
    /// round where a cheaper-per-supporter project beat it, if it was ever affordable.
    OutOfReach {
        after_round: usize,
        available: String,
        cost: String,
        short: String,
        lost_to: Option<(usize, Price, String, Price)>,
    },
    /// Funded by the completion after Equal Shares (add-one, then greedy by support per unit of
    /// cost); the greedy completion's ranking of it, when recorded.
    FundedByCompletion(Option<GreedyWhy>),
    /// Nobody supports it (or, for maximum welfare, it satisfies no voter).
    NoSupport,
    /// It costs nothing and somebody wants it.
    Free,
    /// Greedy: its place in the ranking and what the scan did with it.
    Greedy(GreedyWhy),
    /// Not funded: it costs more than the whole budget of the pot.
    CostsMoreThanBudget { cost: String, budget: String },
    /// Phragmén: bought in this round, its supporters' load rising to `load` (`None`: nobody
    /// approves it, the load is infinite).
    PhragmenFunded { round: usize, load: Option<String> },
    /// Phragmén: it was next in this round but did not fit, so counting stopped.
    PhragmenStoppedHere { round: usize, cost: String, left: String },
    /// Phragmén: counting stopped in this round at project `project` (a code), before its turn.
    PhragmenStoppedBefore { round: usize, project: String },
    /// Not funded, with nothing more recorded.
    NotFunded,
    /// Maximum welfare: in the affordable set with the greatest total satisfaction.
    WelfareFunded { welfare: String, own: String },
    /// Maximum welfare: the best affordable set with it reaches only `with`.
    WelfareBestWith { with: String, welfare: String },
    /// Maximum welfare: no affordable set with it reaches the best total.
    WelfareNoSet { welfare: String },
    /// No working recorded: only the engine's sentence.
    Other,
}

/// What a greedy ranking ranked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankBasis {
    Votes,
    /// Points (cumulative ballots).
    Points,
    /// Support per unit of cost (the completion after Equal Shares).
    SupportPerCost,
}

/// A project in a greedy scan, as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GreedyWhy {
    /// 1-based place in the ranking, of `of` projects.
    pub place: usize,
    pub of: usize,
    pub basis: RankBasis,
    /// Its score as text (whole, or to four decimals); `None` when unbounded (a free project
    /// somebody wants).
    pub score: Option<String>,
    pub step: GreedyStep,
}

/// What a greedy scan did with a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GreedyStep {
    /// Funded; `left` was left afterwards.
    Funded { cost: String, left: String },
    /// Did not fit in what was left; `stopped`: counting stopped there (no skipping).
    DidNotFit { cost: String, left: String, stopped: bool },
    /// Counting had stopped at an earlier project.
    AfterStop,
    /// Below the score threshold.
    BelowThreshold { threshold: String },
    /// Withdrawn after the vote (Pabulib's sentinel cost).
    Withdrawn,
}

fn amount_text(x: &Rational) -> String {
    if x.is_integer() { x.to_string() } else { x.to_decimal(2) }
}

fn price(rho: &Rational, cost: &Rational) -> Price {
    let share = rho * cost;
    let effective =
        cost.checked_div(&share).map(|e| if e.is_integer() { e.to_string() } else { e.to_decimal(1) }).unwrap_or_default();
    Price { per_supporter: amount_text(&share), effective }
}

/// A greedy scan's ranking of project `k`, as data.
fn greedy_why(trace: &greedy::GreedyTrace, election: &Election, k: usize) -> Option<GreedyWhy> {
    use greedy::{Fit, RankedBy, Score, Step};
    let r = trace.ranking.iter().find(|r| r.project == k)?;
    let cost = amount_text(&election.instance.projects.get(k)?.cost);
    Some(GreedyWhy {
        place: r.place,
        of: trace.ranking.len(),
        basis: match trace.ranked_by {
            RankedBy::Votes => RankBasis::Votes,
            RankedBy::Score => RankBasis::Points,
            RankedBy::SatisfactionPerCost(_) => RankBasis::SupportPerCost,
        },
        score: match &r.score {
            Score::Finite(x) if x.is_integer() => Some(x.to_string()),
            Score::Finite(x) => Some(x.to_decimal(4)),
            Score::Infinite => None,
        },
        step: match &r.step {
            Step::Funded { left } => GreedyStep::Funded { cost, left: amount_text(left) },
            Step::DidNotFit { left } => GreedyStep::DidNotFit { cost, left: amount_text(left), stopped: trace.fit == Fit::Stop },
            Step::AfterStop => GreedyStep::AfterStop,
            Step::BelowThreshold => {
                GreedyStep::BelowThreshold { threshold: trace.threshold.as_ref().map_or_else(String::new, Rational::to_string) }
            }
            Step::Withdrawn => GreedyStep::Withdrawn,
        },
    })
}

/// Phragmén's reason for project `k`.
fn phragmen_why(t: &phragmen::PhragmenTrace, election: &Election, k: usize) -> Why {
    if !t.explained {
        return Why::Other;
    }
    let instance = &election.instance;
    let Some(cost) = instance.projects.get(k).map(|p| &p.cost) else { return Why::Other };
    if let Some(round) = t.rounds.iter().position(|r| r.project == k) {
        return Why::PhragmenFunded { round: round + 1, load: t.rounds[round].load.as_ref().map(amount_text) };
    }
    if cost > &instance.budget {
        return Why::CostsMoreThanBudget { cost: amount_text(cost), budget: amount_text(&instance.budget) };
    }
    match &t.stop {
        Some(stop) if stop.project == k => {
            Why::PhragmenStoppedHere { round: stop.round, cost: amount_text(cost), left: amount_text(&stop.left) }
        }
        Some(stop) => Why::PhragmenStoppedBefore {
            round: stop.round,
            project: instance.projects.get(stop.project).map(|p| p.id.clone()).unwrap_or_default(),
        },
        None => Why::NotFunded,
    }
}

/// Maximum welfare's reason for project `k`.
fn welfare_why(t: &max_welfare::WelfareTrace, election: &Election, k: usize) -> Why {
    let instance = &election.instance;
    let (Some(value), Some(project)) = (t.value.get(k), instance.projects.get(k)) else { return Why::Other };
    let welfare = amount_text(&t.welfare);
    if t.funded.get(k).copied().unwrap_or(false) {
        Why::WelfareFunded { welfare, own: amount_text(value) }
    } else if !value.is_positive() {
        Why::NoSupport
    } else if project.cost > instance.budget {
        Why::CostsMoreThanBudget { cost: amount_text(&project.cost), budget: amount_text(&instance.budget) }
    } else {
        match t.best_with.get(k).cloned().flatten() {
            Some(with) => Why::WelfareBestWith { with: amount_text(&with), welfare },
            None => Why::WelfareNoSet { welfare },
        }
    }
}

/// The reason for project `k` from the engine's working.
fn reason(outcome: &plenum_choice::pb::rules::Outcome, election: &Election, k: usize) -> Why {
    use plenum_choice::pb::ballots::Satisfaction;
    use plenum_choice::pb::rules::Working;
    use plenum_choice::pb::rules::mes::Fate;
    let t = match &outcome.working {
        Working::Mes(t) => t,
        Working::Greedy(g) => return greedy_why(g, election, k).map_or(Why::Other, Why::Greedy),
        Working::Phragmen(t) => return phragmen_why(t, election, k),
        Working::MaxWelfare(t) => return welfare_why(t, election, k),
        Working::Comparison(_) => return Why::Other,
    };
    if !t.explained || t.satisfaction != Satisfaction::Cost {
        return Why::Other;
    }
    let projects = &election.instance.projects;
    let Some(cost) = projects.get(k).map(|p| &p.cost) else { return Why::Other };
    match t.fates.get(k) {
        Some(Fate::Free) => Why::Free,
        Some(Fate::NoSupport) => Why::NoSupport,
        Some(Fate::FundedByCompletion) => Why::FundedByCompletion(t.greedy.as_ref().and_then(|g| greedy_why(g, election, k))),
        Some(Fate::Funded { round }) => {
            let Some(r) = round.checked_sub(1).and_then(|i| t.rounds.get(i)) else { return Why::Other };
            Why::FundedInRound {
                round: *round,
                price: price(&r.rho, cost),
                paid_in_full: r.paid_in_full,
                gave_all: r.paid_all_they_had,
                next_best: r
                    .runner_up
                    .as_ref()
                    .and_then(|(q, rho)| Some((projects.get(*q)?.id.clone(), price(rho, &projects[*q].cost)))),
            }
        }
        Some(Fate::OutOfReach { after_round, available, last_price }) => Why::OutOfReach {
            after_round: *after_round,
            available: amount_text(available),
            cost: amount_text(cost),
            short: amount_text(&(cost - available)),
            lost_to: last_price.as_ref().and_then(|(round, rho)| {
                let winner = t.rounds.get(round.checked_sub(1)?)?;
                let w = projects.get(winner.project)?;
                Some((*round, price(rho, cost), w.id.clone(), price(&winner.rho, &w.cost)))
            }),
        },
        None => Why::Other,
    }
}

/// One pot counted again with explanations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PotExplained {
    pub district: Option<DistrictId>,
    pub budget: Amount,
    pub funded: Vec<BudgetProjectId>,
    pub spent: Amount,
    pub projects: Vec<Explained>,
}

/// Counts a counted cycle's published ballots again by `rule` (the cycle's own, or another to
/// compare), explaining every project.
pub fn explain(cycle: &BudgetCycle, budgets: &Budgets, rule: BudgetRule) -> Result<Vec<PotExplained>, Refusal> {
    let Some(counted) = &cycle.counted else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for pot in elections(cycle, budgets, counted.ballots.iter().map(|b| &b.vote)) {
        let count = Count::new(&pot.election).explaining();
        let outcome = count.run(&spec(rule)).map_err(|e| Refusal::ImpossibleCount { reason: e.to_string() })?;
        let cost = |k: usize| budgets.projects.get(&pot.projects[k]).and_then(BudgetProject::final_cost).unwrap_or_default().0;
        let projects = (0..pot.projects.len())
            .map(|k| Explained {
                project: pot.projects[k].clone(),
                funded: outcome.selected.contains(&k),
                votes: count.votes[k],
                why: outcome.explain(&pot.election, k),
                reason: reason(&outcome, &pot.election, k),
            })
            .collect();
        out.push(PotExplained {
            district: pot.district,
            budget: pot.budget,
            funded: outcome.selected.iter().map(|&k| pot.projects[k].clone()).collect(),
            spent: Amount(outcome.selected.iter().map(|&k| cost(k)).sum()),
            projects,
        });
    }
    Ok(out)
}
