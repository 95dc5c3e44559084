//! Voting: motions, single-winner and multi-winner methods, and the PrefLib and BLT files that
//! hold ranked ballots.
//!
//! Every method counts weighted ballots ([`ballot`]), exactly (integers and [`Rational`]s, no
//! floats), breaks every tie with one documented [`TieOrder`] and reports it, and
//! returns an [`Outcome`] that carries its working: the rounds, the pairwise matrix, the scores.

pub mod approval;
pub mod ballot;
pub mod blt;
pub mod committee;
pub mod condorcet;
mod file;
pub mod graded;
pub mod irv;
pub mod method;
pub mod motion;
pub mod pairwise;
pub mod preflib;
pub mod scoring;
pub mod stv;
pub mod tie;

pub use ballot::{Alternative, Approvals, Grades, Rankings};
pub use condorcet::{copeland, copeland_from, ranked_pairs, ranked_pairs_from, schulze, schulze_from};
pub use irv::irv;
pub use pairwise::{Margin, Pairwise, PairwiseDetail, PairwiseWorking, RankedPair, Unranked};
pub use scoring::{borda, plurality};
pub use tie::{Tie, TieBreak, TieOrder};

use crate::rational::Rational;

/// A ranked election as a file holds it: the alternatives' names and the ballots.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Election {
    pub title: Option<String>,
    /// The alternatives' names; alternative `a` is `alternatives[a]` (number `a + 1` in files).
    pub alternatives: Vec<String>,
    /// The number of seats, where the file states it (BLT does).
    pub seats: Option<usize>,
    /// Alternatives withdrawn before the count (BLT): they are skipped on every ballot.
    pub withdrawn: Vec<Alternative>,
    pub rankings: Rankings,
    /// Header facts that have no field above (PrefLib `# KEY: value` lines), in file order.
    pub metadata: Vec<(String, String)>,
    /// Short names the file uses for the alternatives on its ballot lines (BLT `[nick …]`), one
    /// per alternative; empty when the file has none.
    pub nicknames: Vec<String>,
    /// A tie-breaking order fixed in the file (BLT `[tie …]`): every alternative once, in the
    /// file's order; empty when the file gives none. Which end it favours is the method's rule.
    pub tie_order: Vec<Alternative>,
    /// One id per ballot of `rankings`, in order, when the file names its ballots (BLT
    /// `(id) …` lines, each cast by one voter, for audits); empty otherwise.
    pub ballot_ids: Vec<String>,
}

/// What a method returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The elected alternatives in order of election; for a single-winner method asked for
    /// several seats, its ranking from the top.
    pub winners: Vec<Alternative>,
    /// Every tie that was broken, in the order they were met.
    pub ties: Vec<Tie>,
    /// How the method got there.
    pub working: Working,
}

/// The working of a method, for people and for checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Working {
    /// One score per alternative; the highest scores win.
    Scores(Scores),
    /// The rounds of IRV or STV.
    Rounds(Vec<Round>),
    /// STAR: the scores and the runoff, for each seat filled.
    Star(Vec<graded::StarRound>),
    MajorityJudgment(graded::Judgment),
    /// Phragmén or Equal Shares for a committee.
    Committee(committee::CommitteeWorking),
    /// The pairwise count and what a Condorcet method (Schulze, Ranked Pairs, Copeland) made of
    /// it.
    Pairwise(PairwiseWorking),
}

/// One round of a count that goes in rounds (IRV, STV).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    /// Each alternative's votes at the end of the round (0 for those no longer in the count,
    /// except elected ones, who keep what they hold).
    pub tallies: Vec<Rational>,
    /// Votes that no longer count for anyone (exhausted ballots, and value lost to rounding).
    pub exhausted: Rational,
    /// The quota in force, for STV.
    pub quota: Option<Rational>,
    /// Meek keep factors, one per alternative, for Meek STV.
    pub keep_factors: Option<Vec<Rational>>,
    pub elected: Vec<Alternative>,
    pub eliminated: Vec<Alternative>,
    /// What happened, for people (`"surplus of 3 transferred at 0.12345 per vote"`).
    pub note: String,
}

/// One score per alternative, and what it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scores {
    /// What a score is, for people (`"first preferences"`, `"Borda points"`).
    pub counts: &'static str,
    pub scores: Vec<Rational>,
}

/// The first `seats` alternatives (at most all of them), taking at each step the best of those
/// left: `best(left)` returns the best alternatives among those with `left[a]`. Several best are
/// a tie, broken in favour of the earliest in `tie` and recorded with `on(seat)` as its reason.
pub(crate) fn pick_in_turn(
    alternatives: usize,
    seats: usize,
    tie: &TieOrder,
    on: impl Fn(usize) -> String,
    mut best: impl FnMut(&[bool]) -> Vec<Alternative>,
) -> (Vec<Alternative>, Vec<Tie>) {
    let mut left = vec![true; alternatives];
    let mut winners = Vec::with_capacity(seats.min(alternatives));
    let mut ties = Vec::new();
    while winners.len() < seats.min(alternatives) {
        let best = best(&left);
        let Some(&first) = best.first() else { break };
        let chosen = if best.len() > 1 { tie.favour(&best, None, || on(winners.len() + 1), &mut ties) } else { first };
        left[chosen] = false;
        winners.push(chosen);
    }
    (winners, ties)
}
