//! The rules named in a Pabulib file's `META rule`, as pabulib's checker verifies them.
//!
//! | `rule` | what runs |
//! |---|---|
//! | `greedy` | greedy by votes (by score when the file has scores), skipping what does not fit |
//! | `greedy-no-skip` | the same, stopping at the first project that does not fit |
//! | `greedy-threshold` | greedy over projects at or above `min_project_score_threshold` |
//! | `greedy-exclusive` | greedy; the exclusions between projects are only described in prose, so they are not applied (a note says so) |
//! | `greedy-custom` | Poznań's rule when `unit` is Poznań: stop at the first project that does not fit, but fund it if 80 % of its cost is left; other cities' custom rules are refused |
//! | `equalshares` | Equal Shares with cost satisfaction on approval ballots, costs and budget rounded down to whole units, ties by lower cost then more votes |
//! | `equalshares/add1` | the same, raising every voter's share by one unit from ⌊budget / voters⌋ while the outcome still fits the budget |
//! | `…-comparison` | then compared with greedy by votes: if more voters have more of their projects funded by greedy than by Equal Shares, greedy's outcome stands |
//! | `unknown` | refused: the file does not say how projects were chosen |

use crate::pb::ballots::Satisfaction;
use crate::pb::{Ballots, Instance, ProjectIndex};
use crate::rational::Rational;

use super::greedy::{self, Fit, GreedyTrace, Step};
use super::mes::{self, MesTrace};
use super::tie::{TieBreak, TieOrder};
use super::{Completion, Count, Outcome, Rule, RuleError, RuleSpec, Working};

/// `META min_project_score_threshold`, if the file has one.
///
/// # Errors
/// When the value is not a number.
pub fn threshold(instance: &Instance) -> Result<Option<Rational>, RuleError> {
    instance
        .meta
        .get("min_project_score_threshold")
        .map(|t| t.trim().parse::<Rational>().map_err(|_| RuleError::BadThreshold { found: t.to_owned() }))
        .transpose()
}

/// Runs the rule the file's `META rule` names.
///
/// # Errors
/// When the file names no rule, an unknown one, or one Plenum cannot run.
pub fn run(count: &Count<'_>, tie_break: TieBreak) -> Result<Outcome, RuleError> {
    let instance = &count.election.instance;
    let name = instance.meta.get("rule").ok_or(RuleError::NoMetaRule)?;
    let spec = |rule| RuleSpec { rule, tie_break, ..RuleSpec::default() };
    let mut outcome = match name {
        "greedy" | "greedy-exclusive" => count.run(&spec(Rule::Greedy))?,
        "greedy-no-skip" => count.run(&spec(Rule::GreedyNoSkip))?,
        "greedy-threshold" => count.run(&spec(Rule::GreedyThreshold))?,
        "greedy-custom" => poznan(count, tie_break)?,
        "equalshares" | "equalshares/add1" | "equalshares-comparison" | "equalshares/add1-comparison" => {
            equal_shares(count, name.contains("add1"), name.ends_with("-comparison"))?
        }
        "unknown" => return Err(RuleError::MetaRuleUnknown),
        other => return Err(RuleError::UnknownMetaRule(other.to_owned())),
    };
    outcome.notes.insert(0, format!("META rule {name:?}"));
    if name == "greedy-exclusive" {
        outcome.notes.push(
            "greedy-exclusive: the file's comment describes projects that exclude each other; that is prose, so Plenum ran plain greedy"
                .to_owned(),
        );
    }
    Ok(outcome)
}

/// Poznań: greedy by votes that stops at the first project that does not fit, funding that
/// project anyway when at least 80 % of its cost is left (the city adds the rest from reserves).
fn poznan(count: &Count<'_>, tie_break: TieBreak) -> Result<Outcome, RuleError> {
    let instance = &count.election.instance;
    let unit = instance.meta.get("unit").unwrap_or_default();
    if !unit.to_lowercase().contains("pozna") {
        return Err(RuleError::CustomRule { unit: unit.to_owned() });
    }
    let tie = count.tie_order(tie_break);
    let mut scan = greedy::city(instance, &count.ballots, count.ranks_by_score(), Fit::Stop, None, &tie);
    let mut notes = Vec::new();
    let stop = scan.trace.ranking.iter().find(|r| matches!(r.step, Step::DidNotFit { .. })).cloned();
    if let Some(stop) = stop
        && let Step::DidNotFit { left } = &stop.step
    {
        let cost = &instance.projects[stop.project].cost;
        if left.mul_int(5) >= cost.mul_int(4) {
            scan.funded.push(stop.project);
            notes.push(format!(
                "Poznań's 80 % rule: {} did not fit, but {} of its {} was left, so it is funded from reserves",
                instance.projects[stop.project].id,
                greedy::money(left),
                greedy::money(cost)
            ));
        }
    }
    Ok(Outcome {
        spec: RuleSpec { rule: Rule::GreedyNoSkip, tie_break, ..RuleSpec::default() },
        selected: scan.funded,
        ties: scan.ties,
        working: Working::Greedy(scan.trace),
        notes,
    })
}

/// Equal Shares compared with greedy by votes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparisonTrace {
    pub mes: MesTrace,
    pub greedy: GreedyTrace,
    /// Voters with more of their projects funded by Equal Shares than by greedy.
    pub prefer_mes: u64,
    /// Voters with more of their projects funded by greedy.
    pub prefer_greedy: u64,
}

impl ComparisonTrace {
    /// Why project `p` was or was not funded, in a sentence.
    #[must_use]
    pub fn explain(&self, instance: &Instance, p: ProjectIndex) -> Option<String> {
        let greedy_won = self.prefer_greedy > self.prefer_mes;
        let verdict = format!(
            "{} voters prefer Equal Shares' outcome and {} greedy's, so {}'s stands",
            self.prefer_mes,
            self.prefer_greedy,
            if greedy_won { "greedy" } else { "Equal Shares" }
        );
        let detail = if greedy_won { self.greedy.explain(instance, p) } else { self.mes.explain(instance, p) }?;
        Some(format!("{detail} ({verdict})"))
    }
}

/// The `equalshares` family, as pabulib's checker computes it.
fn equal_shares(count: &Count<'_>, add1: bool, comparison: bool) -> Result<Outcome, RuleError> {
    let ballots = &count.ballots;
    if ballots.vote_type != crate::pb::VoteType::Approval {
        return Err(RuleError::NeedsApprovalBallots { rule: "equalshares", vote_type: ballots.vote_type.as_str() });
    }
    // The checker counts in whole currency units.
    let mut instance = count.election.instance.clone();
    instance.budget = instance.budget.floor();
    for project in &mut instance.projects {
        project.cost = project.cost.floor();
    }
    let tie = TieOrder::new(TieBreak::CostThenVotes, &instance, &count.votes);
    let mut notes =
        vec!["costs and budget rounded down to whole units; ties: lower cost, then more votes, then project_id".to_owned()];
    let voters = ballots.voters as i64;
    let mut result = mes::equal_shares(&instance, ballots, Satisfaction::Cost, Completion::None, &tie, count.explain);
    if add1 && voters > 0 {
        let mut share = instance.budget.div_int(voters).unwrap_or_default().floor();
        let mut raised = None;
        loop {
            let next_share = &share + &Rational::ONE;
            let next = mes::equal_shares_with_share(&instance, ballots, Satisfaction::Cost, &next_share, &tie, false);
            if instance.cost_of(&next.funded) > instance.budget {
                break;
            }
            share = next_share;
            raised = Some(next);
        }
        if let Some(raised) = raised {
            result = if count.explain {
                mes::equal_shares_with_share(&instance, ballots, Satisfaction::Cost, &share, &tie, true)
            } else {
                raised
            };
            notes.push(format!("each voter's share raised to {share} (pabulib's add1: from ⌊budget / voters⌋ while it fits)"));
        }
    }
    let spec = RuleSpec {
        rule: Rule::Mes,
        satisfaction: Satisfaction::Cost,
        completion: if add1 { Completion::Add1 } else { Completion::None },
        tie_break: TieBreak::CostThenVotes,
    };
    if !comparison {
        return Ok(Outcome {
            spec,
            selected: result.funded,
            ties: result.ties,
            working: Working::Mes(Box::new(result.trace)),
            notes,
        });
    }
    let scan = greedy::city(&instance, ballots, false, Fit::Skip, None, &tie);
    let (prefer_mes, prefer_greedy) = preferences(ballots, &result.funded, &scan.funded, instance.projects.len());
    let trace = ComparisonTrace { mes: result.trace, greedy: scan.trace, prefer_mes, prefer_greedy };
    let (selected, ties) = if prefer_greedy > prefer_mes { (scan.funded, scan.ties) } else { (result.funded, result.ties) };
    Ok(Outcome { spec, selected, ties, working: Working::Comparison(Box::new(trace)), notes })
}

/// How many voters have more of their projects funded in `a` than in `b`, and the reverse.
fn preferences(ballots: &Ballots, a: &[ProjectIndex], b: &[ProjectIndex], projects: usize) -> (u64, u64) {
    let mut in_a = vec![false; projects];
    let mut in_b = vec![false; projects];
    a.iter().for_each(|&p| in_a[p] = true);
    b.iter().for_each(|&p| in_b[p] = true);
    let (mut prefer_a, mut prefer_b) = (0, 0);
    for ballot in &ballots.ballots {
        let count_a = ballot.projects.iter().filter(|&&p| in_a[p]).count();
        let count_b = ballot.projects.iter().filter(|&&p| in_b[p]).count();
        if count_a > count_b {
            prefer_a += ballot.weight;
        } else if count_b > count_a {
            prefer_b += ballot.weight;
        }
    }
    (prefer_a, prefer_b)
}
