//! The rule options shared by `tally`, `explain` and `bench`.

use clap::ValueEnum;
use plenum_choice::pb::ballots::Satisfaction;
use plenum_choice::pb::rules::{Completion, Rule, RuleSpec, TieBreak};

#[derive(Debug, Clone, clap::Args)]
pub struct RuleArgs {
    /// The rule: how cities count (greedy, greedy-no-skip, greedy-threshold), pabutools' rules
    /// (greedy-utilitarian, mes, phragmen, max-welfare), or the one the file's META names (meta).
    #[arg(long, value_enum, default_value_t = RuleName::Mes)]
    pub rule: RuleName,
    /// What a voter gets from a funded project on their ballot (utilitarian greedy, mes, max-welfare).
    #[arg(long, value_enum, default_value_t = SatisfactionName::Cost)]
    pub satisfaction: SatisfactionName,
    /// How Equal Shares spends what it leaves: none, add1 (raise each voter's share by one unit
    /// until exhaustive), add1-utilitarian (then fill up with utilitarian greedy).
    #[arg(long, value_enum, default_value_t = CompletionName::Add1Utilitarian)]
    pub completion: CompletionName,
    /// The order that decides between tied projects: project-id (pabutools' default) or
    /// cost-votes (lower cost, then more votes, then project-id).
    #[arg(long, value_enum, default_value_t = TieBreakName::ProjectId)]
    pub tie_break: TieBreakName,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RuleName {
    Greedy,
    GreedyNoSkip,
    GreedyThreshold,
    GreedyUtilitarian,
    Mes,
    Phragmen,
    MaxWelfare,
    Meta,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SatisfactionName {
    Cost,
    Cardinality,
    Points,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionName {
    None,
    Add1,
    Add1Utilitarian,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TieBreakName {
    ProjectId,
    CostVotes,
}

impl From<RuleName> for Rule {
    fn from(name: RuleName) -> Rule {
        match name {
            RuleName::Greedy => Rule::Greedy,
            RuleName::GreedyNoSkip => Rule::GreedyNoSkip,
            RuleName::GreedyThreshold => Rule::GreedyThreshold,
            RuleName::GreedyUtilitarian => Rule::GreedyUtilitarian,
            RuleName::Mes => Rule::Mes,
            RuleName::Phragmen => Rule::Phragmen,
            RuleName::MaxWelfare => Rule::MaxWelfare,
            RuleName::Meta => Rule::Meta,
        }
    }
}

impl From<Rule> for RuleName {
    fn from(rule: Rule) -> RuleName {
        match rule {
            Rule::Greedy => RuleName::Greedy,
            Rule::GreedyNoSkip => RuleName::GreedyNoSkip,
            Rule::GreedyThreshold => RuleName::GreedyThreshold,
            Rule::GreedyUtilitarian => RuleName::GreedyUtilitarian,
            Rule::Mes => RuleName::Mes,
            Rule::Phragmen => RuleName::Phragmen,
            Rule::MaxWelfare => RuleName::MaxWelfare,
            Rule::Meta => RuleName::Meta,
        }
    }
}

impl RuleArgs {
    pub fn spec(&self) -> RuleSpec {
        RuleSpec {
            rule: self.rule.into(),
            satisfaction: match self.satisfaction {
                SatisfactionName::Cost => Satisfaction::Cost,
                SatisfactionName::Cardinality => Satisfaction::Cardinality,
                SatisfactionName::Points => Satisfaction::Points,
            },
            completion: match self.completion {
                CompletionName::None => Completion::None,
                CompletionName::Add1 => Completion::Add1,
                CompletionName::Add1Utilitarian => Completion::Add1Utilitarian,
            },
            tie_break: match self.tie_break {
                TieBreakName::ProjectId => TieBreak::ProjectId,
                TieBreakName::CostVotes => TieBreak::CostThenVotes,
            },
        }
    }
}
