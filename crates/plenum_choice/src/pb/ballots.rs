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
    /// The points given to each of `projects`, aligned with it; empty for approval ballots,
    /// where every project has one point (see [`Ballot::entries`]).
    pub points: Vec<Rational>,
    /// How many voters cast exactly this ballot.
    pub weight: u64,
}

impl Ballot {
    /// Each project on the ballot with the points it was given (one on approval ballots).
    pub fn entries(&self) -> impl Iterator<Item = (ProjectIndex, &Rational)> + '_ {
        static ONE: Rational = Rational::ONE;
        self.projects.iter().enumerate().map(|(k, &p)| (p, if self.points.is_empty() { &ONE } else { &self.points[k] }))
    }
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
    /// Distinct ballots come out in a fixed order that depends only on the ballots.
    #[must_use]
    pub fn from_profile(profile: &Profile, projects: usize) -> Ballots {
        let approval = profile.vote_type.is_approval();
        if approval
            && projects <= 128
            && let Some(ballots) = Ballots::from_approval_sets(profile, projects)
        {
            return ballots;
        }
        Ballots::merge(profile, projects)
    }

    /// [`Ballots::from_profile`] for any ballots: each in canonical form, then merged. When
    /// every point is a whole number (most cumulative and scoring files) the points are handled
    /// as `i64`s: the same ballots in the same order, without the cost of `Rational`s.
    fn merge(profile: &Profile, projects: usize) -> Ballots {
        if profile.voters.all_points().iter().all(|x| x.to_i64().is_some()) {
            merge_as::<i64>(profile, projects)
        } else {
            merge_as::<Rational>(profile, projects)
        }
    }

    /// [`Ballots::from_profile`] for approval ballots whose projects are among the first 128
    /// (most elections): each ballot is then a set of bits, in which a repeated project counts
    /// once, and merging is sorting integers. The ballots come out in the same order as from
    /// the general path, by fingerprint and then by projects. `None` if a project is past 128.
    fn from_approval_sets(profile: &Profile, projects: usize) -> Option<Ballots> {
        // Sixty-four projects or fewer (most elections): half-width sets sort faster.
        let sets = if projects <= 64 { count_sets::<u64>(profile)? } else { count_sets::<u128>(profile)? };
        // Each distinct set with its fingerprint and weight.
        let mut distinct: Vec<(u64, u128, u64)> =
            sets.into_iter().map(|(set, weight)| (fingerprint(members(set), std::iter::empty()), set, weight)).collect();
        distinct.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| members(a.1).cmp(members(b.1))));
        let ballots = distinct
            .into_iter()
            .map(|(_, set, weight)| Ballot { projects: members(set).collect(), points: Vec::new(), weight })
            .collect();
        Some(Ballots { vote_type: profile.vote_type, ballots, voters: profile.voters.len() as u64, projects })
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
            for (p, points) in ballot.entries() {
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
            for (p, points) in ballot.entries() {
                let sat = satisfaction.of(&instance.projects[p].cost, points);
                if sat.is_positive() {
                    supporters[p].push((b as u32, sat));
                }
            }
        }
        supporters
    }
}

/// The points of a ballot while ballots are merged: `Rational` in general, `i64` when every
/// point in the profile is a whole number that fits (see [`Ballots::merge`]). Both order and
/// fingerprint a whole number alike, so both give the same ballots in the same order.
trait Point: Clone + Ord {
    const ZERO: Self;
    /// A point from the file (for `i64`, one that [`Ballots::merge`] checked is whole).
    fn of(x: &Rational) -> Self;
    /// The points of a place in a ranking without a `points` cell.
    fn count(n: usize) -> Self;
    /// What the fingerprint mixes in for this point.
    fn word(&self) -> u64;
    fn rational(&self) -> Rational;
}

impl Point for Rational {
    const ZERO: Self = Rational::ZERO;
    fn of(x: &Rational) -> Self {
        x.clone()
    }
    fn count(n: usize) -> Self {
        Rational::from(n)
    }
    fn word(&self) -> u64 {
        self.to_i64().map_or(u64::MAX, |v| v as u64)
    }
    fn rational(&self) -> Rational {
        self.clone()
    }
}

impl Point for i64 {
    const ZERO: Self = 0;
    fn of(x: &Rational) -> Self {
        // `merge` takes this path only when every point is whole and fits.
        x.to_i64().unwrap_or(i64::MAX)
    }
    fn count(n: usize) -> Self {
        i64::try_from(n).unwrap_or(i64::MAX)
    }
    fn word(&self) -> u64 {
        *self as u64
    }
    fn rational(&self) -> Rational {
        Rational::integer(*self)
    }
}

/// [`Ballots::merge`] with points of type `P`.
fn merge_as<P: Point>(profile: &Profile, projects: usize) -> Ballots {
    let approval = profile.vote_type.is_approval();
    // Every voter's ballot, in canonical form, side by side in two flat arrays (points only
    // when they matter), so that reading a large election allocates per distinct ballot.
    let mut flat_projects: Vec<ProjectIndex> = Vec::new();
    let mut flat_points: Vec<P> = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(profile.voters.len());
    let mut scratch: Vec<(ProjectIndex, P)> = Vec::new();
    for voter in &profile.voters {
        let start = flat_projects.len();
        if approval {
            flat_projects.extend_from_slice(voter.vote);
            let ballot = &mut flat_projects[start..];
            if !ballot.is_sorted_by(|a, b| a < b) {
                ballot.sort_unstable();
                let mut unique = start;
                for k in start..flat_projects.len() {
                    if k == start || flat_projects[k] != flat_projects[unique - 1] {
                        flat_projects[unique] = flat_projects[k];
                        unique += 1;
                    }
                }
                flat_projects.truncate(unique);
            }
        } else {
            scratch.clear();
            let n = voter.vote.len();
            for (position, &p) in voter.vote.iter().enumerate() {
                let points = match voter.points {
                    Some(points) => points.get(position).map_or(P::ZERO, P::of),
                    None if profile.vote_type == VoteType::Ordinal => P::count(n - position),
                    None => P::ZERO,
                };
                scratch.push((p, points));
            }
            // Stable sort keeps file order among repeats of one project, so `last` and
            // `first` below mean what the module docs say.
            scratch.sort_by_key(|(p, _)| *p);
            let keep_first = profile.vote_type == VoteType::Ordinal && voter.points.is_none();
            for (p, points) in scratch.drain(..) {
                if flat_projects.len() > start && flat_projects.last() == Some(&p) {
                    if !keep_first && let Some(last) = flat_points.last_mut() {
                        *last = points;
                    }
                    continue;
                }
                flat_projects.push(p);
                flat_points.push(points);
            }
        }
        spans.push((start, flat_projects.len()));
    }
    let key = |&(start, end): &(usize, usize)| {
        let points: &[P] = if approval { &[] } else { &flat_points[start..end] };
        (&flat_projects[start..end], points)
    };
    // Identical ballots are found by sorting on a fingerprint: equal ballots end up side by
    // side. Different ballots with the same fingerprint (rare, or crafted) are told apart by
    // sorting that run on the ballots themselves: O(n log n) whatever the input.
    let mut order: Vec<(u64, usize)> = spans
        .iter()
        .enumerate()
        .map(|(k, span)| {
            let (projects, points) = key(span);
            (fingerprint(projects.iter().copied(), points.iter().map(P::word)), k)
        })
        .collect();
    order.sort_unstable();
    let mut ballots: Vec<Ballot> = Vec::new();
    for run in order.chunk_by_mut(|a, b| a.0 == b.0) {
        let first = key(&spans[run[0].1]);
        if !run.iter().all(|&(_, k)| key(&spans[k]) == first) {
            run.sort_unstable_by(|a, b| key(&spans[a.1]).cmp(&key(&spans[b.1])).then(a.1.cmp(&b.1)));
        }
        for same in run.chunk_by(|a, b| key(&spans[a.1]) == key(&spans[b.1])) {
            let (projects, points) = key(&spans[same[0].1]);
            ballots.push(Ballot {
                projects: projects.to_vec(),
                points: points.iter().map(P::rational).collect(),
                weight: same.len() as u64,
            });
        }
    }
    Ballots { vote_type: profile.vote_type, ballots, voters: profile.voters.len() as u64, projects }
}

/// Each distinct set of approved projects (bit `p` for project `p`) with how many voters cast
/// it, in increasing order; `None` if a project does not fit in `S`.
fn count_sets<S>(profile: &Profile) -> Option<Vec<(u128, u64)>>
where
    S: Copy + Ord + Default + From<u8> + Into<u128> + std::ops::BitOr<Output = S> + std::ops::Shl<u32, Output = S>,
{
    let bits = u32::try_from(size_of::<S>() * 8).ok()?;
    let mut sets: Vec<S> = Vec::with_capacity(profile.voters.len());
    for voter in &profile.voters {
        let mut set = S::default();
        for &p in voter.vote {
            let p = u32::try_from(p).ok().filter(|&p| p < bits)?;
            set = set | (S::from(1) << p);
        }
        sets.push(set);
    }
    sets.sort_unstable();
    Some(sets.chunk_by(|a, b| a == b).map(|same| (same[0].into(), same.len() as u64)).collect())
}

/// The projects in a set of bits, ascending.
fn members(mut set: u128) -> impl ExactSizeIterator<Item = ProjectIndex> + Clone {
    let count = set.count_ones() as usize;
    (0..count).map(move |_| {
        let p = set.trailing_zeros() as ProjectIndex;
        set &= set - 1;
        p
    })
}

/// A fixed 64-bit fingerprint of a ballot (FNV-1a over its projects and points), to sort on.
fn fingerprint(projects: impl ExactSizeIterator<Item = ProjectIndex>, points: impl Iterator<Item = u64>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut mix = |x: u64| {
        h ^= x;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    let count = projects.len();
    for p in projects {
        mix(p as u64);
    }
    for x in points {
        mix(x);
    }
    mix(count as u64);
    h
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pb::Voter;

    /// Approval profiles with repeats, empty ballots and repeated projects, from a fixed seed.
    fn profiles() -> impl Iterator<Item = (Profile, usize)> {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound) as usize
        };
        (0..300).map(move |k| {
            let projects = [1, 3, 7, 64, 65, 128, 130][k % 7];
            let voters = (0..next(40))
                .map(|v| {
                    let vote = (0..next(6)).map(|_| next(projects as u64)).collect();
                    Voter { id: v.to_string(), vote, points: None }
                })
                .collect();
            let vote_type = if k % 2 == 0 { VoteType::Approval } else { VoteType::ChooseOne };
            (Profile { vote_type, voters, columns: Vec::new() }, projects)
        })
    }

    #[test]
    fn approval_ballots_merge_as_bit_sets_exactly_as_in_general() {
        for (profile, projects) in profiles() {
            assert_eq!(Ballots::from_profile(&profile, projects), Ballots::merge(&profile, projects), "{profile:?}");
        }
    }

    #[test]
    fn whole_points_merge_as_integers_exactly_as_rationals() {
        for (k, (mut profile, projects)) in profiles().enumerate() {
            profile.vote_type = [VoteType::Cumulative, VoteType::Scoring, VoteType::Ordinal][k % 3];
            let with_points = k % 4 != 3;
            profile.voters = profile
                .voters
                .iter()
                .map(|voter| {
                    let points = with_points
                        .then(|| voter.vote.iter().map(|&p| Rational::integer((p as i64 * 7 + k as i64) % 5 - 1)).collect());
                    Voter { points, ..voter.to_voter() }
                })
                .collect();
            let general = merge_as::<Rational>(&profile, projects);
            assert_eq!(merge_as::<i64>(&profile, projects), general, "{profile:?}");
            assert_eq!(Ballots::from_profile(&profile, projects), general);
        }
    }

    #[test]
    fn set_members_come_out_ascending() {
        assert_eq!(members(0).collect::<Vec<_>>(), Vec::<ProjectIndex>::new());
        assert_eq!(members((1 << 127) | (1 << 64) | 0b1010).collect::<Vec<_>>(), vec![1, 3, 64, 127]);
        assert_eq!(members(1 << 5).len(), 1);
    }
}
