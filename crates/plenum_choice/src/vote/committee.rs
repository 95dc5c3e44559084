//! Proportional committees from approval ballots: sequential Phragmén and the Method of Equal
//! Shares, for delegations that must represent an assembly proportionally.
//!
//! A committee election is a participatory-budgeting election in which every alternative costs
//! the same and the budget buys `seats` of them, so both rules run on the budgeting engine
//! ([`crate::pb::rules`]), exactly as it counts budgets:
//! - Phragmén: each alternative costs 1, the budget is `seats`.
//! - Equal Shares: each alternative costs `n` (the number of voters) and the budget is `seats × n`,
//!   so each voter starts with `seats` units and a seat costs one unit per voter. Cardinality
//!   satisfaction. Completion as on equalshares.net: *add one* (every voter gets one more unit
//!   and the count is repeated, which is the usual "increase the committee size until the seats
//!   are filled" for committees) while the outcome still fits the seats, then the most-approved
//!   alternatives fill any seat left.
//!
//! Ties follow the vote's [`TieOrder`]: the engine breaks ties by project id (as strings), and
//! each alternative's id is its place in that order, counted from 1 and padded on the left with
//! spaces so that string order is number order. Under the default order that place is the
//! alternative's own number, which is how the explanations name alternatives.

use super::approval::approval_counts;
use super::ballot::{Alternative, Approvals};
use super::tie::{Tie, TieOrder};
use super::{Outcome, Working};
use crate::pb::ballots::Satisfaction;
use crate::pb::rules::{Completion, Count, Rule, RuleSpec, TieBreak};
use crate::pb::{Ballot, Ballots, Election, Instance, Meta, Profile, Project, VoteType, Voters};
use crate::rational::Rational;

/// What a committee rule did, for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitteeWorking {
    /// How many voters approve each alternative.
    pub approvals: Vec<u64>,
    /// For each alternative, why it was or was not elected (the budgeting engine's explanation,
    /// with money counted in the units described in the module documentation).
    pub explanations: Vec<String>,
}

/// Sequential Phragmén.
#[must_use]
pub fn phragmen(approvals: &Approvals, seats: usize, tie: &TieOrder) -> Outcome {
    let spec = RuleSpec { rule: Rule::Phragmen, ..spec() };
    committee(approvals, seats, tie, Rational::ONE, &spec)
}

/// The Method of Equal Shares with add-one completion, then the most approved.
#[must_use]
pub fn equal_shares(approvals: &Approvals, seats: usize, tie: &TieOrder) -> Outcome {
    let cost = Rational::from(approvals.voters().max(1));
    committee(approvals, seats, tie, cost, &spec())
}

fn spec() -> RuleSpec {
    RuleSpec {
        rule: Rule::Mes,
        satisfaction: Satisfaction::Cardinality,
        completion: Completion::Add1Utilitarian,
        tie_break: TieBreak::ProjectId,
    }
}

/// Runs `spec` on the approvals as a budget election where each alternative costs `cost`.
fn committee(approvals: &Approvals, seats: usize, tie: &TieOrder, cost: Rational, spec: &RuleSpec) -> Outcome {
    let m = approvals.alternatives();
    let seats = seats.min(m);
    let width = m.to_string().len();
    let projects = (0..m)
        .map(|a| Project { id: format!("{:>width$}", tie.position(a) + 1), cost: cost.clone(), fields: Vec::new() })
        .collect();
    let instance = Instance { meta: Meta::default(), budget: cost.mul_int(seats as i64), project_columns: Vec::new(), projects };
    let election =
        Election { instance, profile: Profile { vote_type: VoteType::Approval, voters: Voters::new(), columns: Vec::new() } };
    // Identical approval sets merged (rankings read as approvals give many), in a fixed order.
    let mut sets: Vec<Ballot> = approvals
        .iter()
        .filter(|b| b.count > 0)
        .map(|b| {
            let mut projects: Vec<usize> = b.approved.iter().map(|&a| usize::from(a)).collect();
            projects.sort_unstable();
            Ballot { projects, points: Vec::new(), weight: b.count }
        })
        .collect();
    sets.sort_unstable_by(|a, b| a.projects.cmp(&b.projects));
    sets.dedup_by(|later, kept| {
        let same = later.projects == kept.projects;
        if same {
            kept.weight += later.weight;
        }
        same
    });
    let ballots = Ballots { vote_type: VoteType::Approval, ballots: sets, voters: approvals.voters(), projects: m };
    let votes = approval_counts(approvals);
    let count = Count { election: &election, ballots, votes: votes.clone(), explain: true };
    let Ok(outcome) = count.run(spec) else {
        // Both rules accept approval ballots; an error cannot happen here.
        return Outcome {
            winners: Vec::new(),
            ties: Vec::new(),
            working: Working::Committee(CommitteeWorking { approvals: votes, explanations: Vec::new() }),
        };
    };
    let ties = outcome
        .ties
        .iter()
        .map(|t| Tie { round: t.round, tied: t.tied.clone(), chosen: t.chosen, on: t.on.clone(), by: tie.rule().describe() })
        .collect();
    let explanations = (0..m).map(|a| outcome.explain(&election, a)).collect();
    let winners: Vec<Alternative> = outcome.selected;
    Outcome { winners, ties, working: Working::Committee(CommitteeWorking { approvals: votes, explanations }) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vote::tie::TieBreak as VoteTieBreak;

    fn approvals(m: usize, ballots: &[(u64, &[usize])]) -> Approvals {
        let mut a = Approvals::new(m).unwrap();
        for (count, approved) in ballots {
            a.push(*count, approved).unwrap();
        }
        a
    }

    fn order(m: usize) -> TieOrder {
        TieOrder::new(&VoteTieBreak::AlternativeOrder, m)
    }

    #[test]
    fn a_minority_of_a_third_gets_a_third_of_the_seats() {
        // 6 voters approve A, B, C; 3 approve D, E, F; 3 seats.
        let a = approvals(6, &[(6, &[0, 1, 2]), (3, &[3, 4, 5])]);
        for outcome in [phragmen(&a, 3, &order(6)), equal_shares(&a, 3, &order(6))] {
            assert_eq!(outcome.winners.len(), 3);
            assert_eq!(outcome.winners.iter().filter(|&&w| w >= 3).count(), 1, "{outcome:?}");
        }
    }

    #[test]
    fn ties_follow_the_vote_tie_order() {
        let a = approvals(3, &[(1, &[0]), (1, &[1]), (1, &[2])]);
        let reversed = TieOrder::new(&VoteTieBreak::Priority(vec![2, 1, 0]), 3);
        assert_eq!(phragmen(&a, 1, &reversed).winners, vec![2]);
        assert_eq!(equal_shares(&a, 1, &order(3)).winners, vec![0]);
    }

    #[test]
    fn no_committee_has_more_members_than_seats() {
        let a = approvals(4, &[(5, &[0, 1, 2, 3]), (1, &[3])]);
        assert_eq!(equal_shares(&a, 2, &order(4)).winners.len(), 2);
        assert_eq!(phragmen(&a, 2, &order(4)).winners.len(), 2);
    }
}
