//! Breaking ties between projects.
//!
//! A tie-breaking rule is a fixed order of all projects, decided before counting: when projects
//! are tied, the one that comes first in the order wins. Every tie a rule breaks is reported in
//! its [`Outcome`](super::Outcome) as a [`Tie`].

use std::cmp::Ordering;

use crate::pb::{Instance, ProjectIndex};

/// The order that decides between tied projects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum TieBreak {
    /// By `project_id`, compared as strings (so `"10"` comes before `"9"`): pabutools' default.
    #[default]
    ProjectId,
    /// Lower cost first, then more votes, then `project_id`: the order equalshares.net
    /// recommends (it leaves the last step undecided; Plenum needs an answer every time).
    CostThenVotes,
}

impl TieBreak {
    /// The name used on the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TieBreak::ProjectId => "project-id",
            TieBreak::CostThenVotes => "cost-votes",
        }
    }
}

/// A tie that a rule broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tie {
    /// The round of the rule in which it happened (1-based), where the rule has rounds.
    pub round: Option<usize>,
    /// The tied projects, in the order the tie-breaking rule put them.
    pub tied: Vec<ProjectIndex>,
    /// The project the tie-breaking rule favoured (the first of `tied`).
    pub chosen: ProjectIndex,
    /// What the projects were tied on, for people (`"2 votes"`, `"price 100 per supporter"`).
    pub on: String,
    pub by: TieBreak,
}

/// The position of every project in a tie-breaking order.
#[derive(Debug, Clone)]
pub struct TieOrder {
    rank: Vec<u32>,
    pub rule: TieBreak,
}

impl TieOrder {
    /// The order `rule` gives the projects of `instance`; `votes` are the approval counts.
    #[must_use]
    pub fn new(rule: TieBreak, instance: &Instance, votes: &[u64]) -> TieOrder {
        let mut order: Vec<ProjectIndex> = (0..instance.projects.len()).collect();
        let by_id = |a: &ProjectIndex, b: &ProjectIndex| instance.projects[*a].id.cmp(&instance.projects[*b].id);
        match rule {
            TieBreak::ProjectId => order.sort_by(by_id),
            TieBreak::CostThenVotes => order.sort_by(|a, b| {
                instance.projects[*a]
                    .cost
                    .cmp(&instance.projects[*b].cost)
                    .then_with(|| votes[*b].cmp(&votes[*a]))
                    .then_with(|| by_id(a, b))
            }),
        }
        let mut rank = vec![0u32; order.len()];
        for (position, p) in order.into_iter().enumerate() {
            rank[p] = position as u32;
        }
        TieOrder { rank, rule }
    }

    /// The position of `p` in the order: lower wins.
    #[must_use]
    pub fn rank(&self, p: ProjectIndex) -> u32 {
        self.rank[p]
    }

    /// Compares two projects: `Less` means `a` wins the tie.
    #[must_use]
    pub fn cmp(&self, a: ProjectIndex, b: ProjectIndex) -> Ordering {
        self.rank[a].cmp(&self.rank[b])
    }

    /// Sorts projects into tie-breaking order.
    pub fn sort(&self, projects: &mut [ProjectIndex]) {
        projects.sort_by_key(|&p| self.rank[p]);
    }

    /// Breaks a tie among `tied` (non-empty) in round `round`, and records it when there was a
    /// real tie (two or more projects). Returns the winner.
    pub fn decide(
        &self,
        round: Option<usize>,
        mut tied: Vec<ProjectIndex>,
        on: String,
        ties: &mut Vec<Tie>,
    ) -> Option<ProjectIndex> {
        self.sort(&mut tied);
        let chosen = *tied.first()?;
        if tied.len() > 1 {
            ties.push(Tie { round, tied, chosen, on, by: self.rule });
        }
        Some(chosen)
    }
}
