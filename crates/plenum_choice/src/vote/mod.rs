//! Voting: motions, single-winner and multi-winner methods, and the PrefLib and BLT files that
//! hold ranked ballots.
//!
//! Every method counts weighted ballots ([`ballot`]), exactly (integers and [`Rational`]s, no
//! floats), breaks every tie with one documented [`TieOrder`](tie::TieOrder) and reports it, and
//! returns an [`Outcome`] that carries its working: the rounds, the pairwise matrix, the scores.

pub mod ballot;
pub mod tie;

pub use ballot::{Alternative, Approvals, Grades, Rankings};
pub use tie::{Tie, TieBreak, TieOrder};

use crate::rational::Rational;

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
}

/// One score per alternative, and what it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scores {
    /// What a score is, for people (`"first preferences"`, `"Borda points"`).
    pub counts: &'static str,
    pub scores: Vec<Rational>,
}
