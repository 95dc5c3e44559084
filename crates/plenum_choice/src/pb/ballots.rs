//! Distinct ballots with their multiplicity: what the rules count.
//!
//! A voter's `vote` cell becomes a set of projects, each with the points the voter gave it.
//! Semantics follow pabutools 1.2.3 so that outcomes agree with it:
//! - approval and choose-1: a project named twice is approved once; every approved project
//!   carries one point;
//! - cumulative and scoring: a project named twice keeps the **last** points written for it
//!   (`579,579` with points `3,1` gives 1 point, not 4);
//! - ordinal: a project named twice keeps its first (highest) place; points come from the
//!   `points` cell when there is one (last value wins, as above), otherwise from the position,
//!   `n, n-1, …, 1` for a ranking of length `n` (the convention of pabulib's checker).
//!
//! Identical ballots (same projects, same points) are merged and counted with a weight.

use crate::rational::Rational;

use super::{Instance, Profile, ProjectIndex, VoteType};

/// One distinct ballot and how many voters cast it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballot {
    /// The projects on the ballot, ascending and without repetition.
    pub projects: Vec<ProjectIndex>,
    /// The points given to each of `projects`, aligned with it.
    pub points: Vec<Rational>,
    /// How many voters cast exactly this ballot.
    pub weight: u64,
}

/// The distinct ballots of a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballots {
    pub vote_type: VoteType,
    pub ballots: Vec<Ballot>,
    /// Number of voters (the sum of the weights), including voters with empty ballots.
    pub voters: u64,
    /// Number of projects in the instance the ballots refer to.
    pub projects: usize,
}

impl Ballots {
    /// Merges a profile's ballots, with the duplicate semantics described in the module docs.
    /// Distinct ballots come out sorted (by projects, then points), whatever the file order.
    #[must_use]
    pub fn from_profile(profile: &Profile, projects: usize) -> Ballots {
        let mut entries: Vec<(Vec<ProjectIndex>, Vec<Rational>)> = Vec::with_capacity(profile.voters.len());
        let mut scratch: Vec<(ProjectIndex, Rational)> = Vec::new();
        for voter in &profile.voters {
            scratch.clear();
            let n = voter.vote.len();
            for (position, &p) in voter.vote.iter().enumerate() {
                let points = match (&voter.points, profile.vote_type) {
                    (_, VoteType::Approval | VoteType::ChooseOne) => Rational::ONE,
                    (Some(points), _) => points.get(position).cloned().unwrap_or(Rational::ZERO),
                    (None, VoteType::Ordinal) => Rational::from(n - position),
                    (None, _) => Rational::ZERO,
                };
                scratch.push((p, points));
            }
            // Stable sort keeps file order among repeats of one project, so `last` and `first`
            // below mean what the module docs say.
            scratch.sort_by_key(|(p, _)| *p);
            let keep_first = profile.vote_type == VoteType::Ordinal && voter.points.is_none();
            let mut entry: (Vec<ProjectIndex>, Vec<Rational>) = (Vec::with_capacity(n), Vec::with_capacity(n));
            for (p, points) in scratch.drain(..) {
                if entry.0.last() == Some(&p) {
                    if !keep_first && let Some(last) = entry.1.last_mut() {
                        *last = points;
                    }
                    continue;
                }
                entry.0.push(p);
                entry.1.push(points);
            }
            entries.push(entry);
        }
        // Sorting, not hashing, finds the identical ballots: O(n log n) whatever the input.
        entries.sort_unstable();
        let mut ballots: Vec<Ballot> = Vec::new();
        for (projects, points) in entries {
            match ballots.last_mut() {
                Some(last) if last.projects == projects && last.points == points => last.weight += 1,
                _ => ballots.push(Ballot { projects, points, weight: 1 }),
            }
        }
        Ballots { vote_type: profile.vote_type, ballots, voters: profile.voters.len() as u64, projects }
    }

    /// For each project, the number of voters whose ballot contains it.
    #[must_use]
    pub fn approval_counts(&self) -> Vec<u64> {
        let mut counts = vec![0u64; self.projects];
        for ballot in &self.ballots {
            for &p in &ballot.projects {
                counts[p] += ballot.weight;
            }
        }
        counts
    }

    /// For each project, the total points voters gave it.
    #[must_use]
    pub fn point_totals(&self) -> Vec<Rational> {
        let mut totals = vec![Rational::ZERO; self.projects];
        for ballot in &self.ballots {
            for (&p, points) in ballot.projects.iter().zip(&ballot.points) {
                totals[p] += &points.mul_int(ballot.weight as i64);
            }
        }
        totals
    }

    /// For each project, the distinct ballots that support it under `satisfaction`, with the
    /// satisfaction each of their voters gets from it (a supporter is a ballot with positive
    /// satisfaction, as in pabutools).
    #[must_use]
    pub fn supporters(&self, instance: &Instance, satisfaction: Satisfaction) -> Vec<Vec<(u32, Rational)>> {
        let mut supporters: Vec<Vec<(u32, Rational)>> = vec![Vec::new(); self.projects];
        for (b, ballot) in self.ballots.iter().enumerate() {
            for (&p, points) in ballot.projects.iter().zip(&ballot.points) {
                let sat = satisfaction.of(&instance.projects[p].cost, points);
                if sat.is_positive() {
                    supporters[p].push((b as u32, sat));
                }
            }
        }
        supporters
    }
}

/// How much a voter is satisfied by a funded project on their ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Satisfaction {
    /// The project's cost (pabutools `Cost_Sat`): money spent on what the voter wanted.
    Cost,
    /// One per project (pabutools `Cardinality_Sat`): how many of the voter's projects are funded.
    Cardinality,
    /// The points the voter gave the project (pabutools `Additive_Cardinal_Sat`); one per
    /// approved project on approval ballots.
    Points,
}

impl Satisfaction {
    /// The satisfaction of a voter who gave `points` to a project costing `cost`.
    #[must_use]
    pub fn of(self, cost: &Rational, points: &Rational) -> Rational {
        match self {
            Satisfaction::Cost => cost.clone(),
            Satisfaction::Cardinality => Rational::ONE,
            Satisfaction::Points => points.clone(),
        }
    }

    /// Whether every supporter of a project gets the same satisfaction from it.
    #[must_use]
    pub fn is_uniform(self) -> bool {
        !matches!(self, Satisfaction::Points)
    }

    /// The name used on the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Satisfaction::Cost => "cost",
            Satisfaction::Cardinality => "cardinality",
            Satisfaction::Points => "points",
        }
    }
}
