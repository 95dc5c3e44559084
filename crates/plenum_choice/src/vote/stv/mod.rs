//! Single transferable vote: Meek's method, the weighted inclusive Gregory method (WIGM) and
//! Scottish STV, each with the Droop quota.
//!
//! [`count`] takes ranked ballots, the number of seats, a [`Rule`], the withdrawn candidates and
//! a [`TieOrder`], and returns the [`Outcome`]: the winners in order of election, every tie that
//! was broken, and [`Working::Rounds`] with every round of the count.
//!
//! # Ballots
//!
//! - A ballot counts for its highest-ranked *continuing* candidate. Withdrawn candidates are
//!   skipped on every ballot; a ballot that ranks no candidate (or only withdrawn ones) is not a
//!   valid vote and is left out of the total and the quota, as Droop counts it.
//! - A truncated ballot that runs out of continuing candidates is *exhausted*: its value no
//!   longer counts for anyone (see [`Round::exhausted`]).
//! - Candidates ranked equally share the ballot, as Droop counts them for Meek: when a ballot's
//!   next preference is a group of `k` equally ranked continuing candidates, each receives `1/k`
//!   of the ballot's value. A share that leaves an excluded candidate goes first to the group's
//!   other continuing candidates (so they share the ballot as if the excluded one had never
//!   been there), a share that carries an elected candidate's surplus goes on past the group.
//!   Meek recomputes the split every iteration among the group's hopeful and elected members;
//!   WIGM and Scottish STV give new shares to hopeful candidates only, as every transfer does.
//!   Unlike Droop, a group with no continuing candidate is skipped, not the end of the ballot.
//!   pref_voting also splits equally but sends every share past its group. In fixed-point
//!   rules a share is rounded down to the precision and the remainder is exhausted (the Scottish
//!   order knows no equal preferences: this is an extension).
//!
//! # Rounds
//!
//! - WIGM and Scottish STV: round 1 is the first preferences; each later round is one transfer
//!   (a surplus, or the ballots of one excluded candidate), with the tallies after it. A
//!   candidate whose votes exactly equal the quota has no surplus, and no round transfers it.
//! - Meek: each round iterates the keep factors until a candidate reaches the quota or the
//!   surplus is small enough; the round holds the tallies, quota and keep factors of its last
//!   iteration, the candidates elected in it, and the candidates excluded on those tallies.
//! - Candidates elected because the continuing candidates just fill the remaining seats are
//!   listed in the last round.
//! - In every round, `tallies` plus `exhausted` equals the number of valid ballots exactly.
//!
//! # Ties
//!
//! Ties are broken with the [`TieOrder`]: the candidate it favours has its surplus transferred
//! first; the one it disfavours (latest in the order) is excluded. Scottish STV first looks back
//! at earlier stages (rules 49(2) and 51(2)) and uses the order only as the lot of rules 49(3)
//! and 51(2)(b). Meek treats as tied every candidate within the current surplus of the lowest
//! (the PR Foundation rule, step B.3). Every tie broken is reported as a [`Tie`].
//!
//! No rule ever elects more than `seats` candidates.

mod gregory;
mod meek;
mod number;
mod paths;

use super::ballot::{Alternative, Rankings};
use super::tie::{TieBreak, TieOrder};
use super::{Outcome, Round, Working};
use crate::rational::Rational;

#[cfg(doc)]
use super::Tie;

/// Which STV rule to count with. All use the Droop quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Meek's method (Hill, Wichmann and Woodall, 1987), as the Proportional Representation
    /// Foundation's reference rule and Droop describe it.
    Meek(Meek),
    /// The weighted inclusive Gregory method, as the PR Foundation's reference WIGM rule
    /// (single exclusions) and Droop's generic WIGM count it.
    Wigm(Wigm),
    /// The Scottish Local Government Elections Order 2007 (SSI 2007/42), rules 45–52: quota
    /// ⌊N/(seats+1)⌋ + 1, transfer values truncated to 5 decimals, largest surplus first, ties
    /// decided by earlier stages and then by lot (the [`TieOrder`]), and the continuing
    /// candidates elected when they are as many as the seats left.
    Scottish,
}

/// The parameters of a Meek count.
///
/// Every iteration distributes each ballot: each continuing candidate in order keeps the
/// ballot's current weight times its keep factor, and the rest goes on. The quota is
/// `(votes − exhausted)/(seats + 1)`, recomputed each iteration; a hopeful candidate who reaches
/// it is elected; then each elected candidate's keep factor becomes `kf · quota / votes`. A
/// round ends when someone is elected, when the total surplus falls below omega, or when it
/// stops falling; then the candidate with the fewest votes is excluded (keep factor 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Meek {
    /// The numbers it counts with, and so how it rounds.
    pub arithmetic: MeekArithmetic,
    /// Iteration stops when the total surplus is below `10^-omega_exponent`.
    pub omega_exponent: u32,
    /// Which reference counter's steps it follows where they differ.
    pub variant: MeekVariant,
    /// Exclude at once every candidate who cannot be elected: the largest set of lowest
    /// candidates whose votes together with the surplus are below the next candidate's votes,
    /// leaving enough candidates to fill the seats (Droop's `defeat_batch=safe`).
    pub defeat_sure_losers: bool,
}

impl Meek {
    /// Exact rational arithmetic, omega 10^-10, sure losers excluded together: Droop's
    /// `meek` with `arithmetic=rational` (`meek-o10-rational`).
    ///
    /// Exact Meek does not scale: each iteration multiplies the size of the keep factors'
    /// denominators by about the number of elected candidates, so a count that needs a few dozen
    /// iterations (which a profile of 7 candidates can) runs out of time. It is here to check
    /// other counts on small elections; [`Meek::ROUNDED_KEEP_FACTORS`] is exact with bounded
    /// numbers, and [`Meek::PRECISE`] is fast on any election.
    pub const EXACT: Meek = Meek {
        arithmetic: MeekArithmetic::Exact { keep_factor_decimals: None },
        omega_exponent: 10,
        variant: MeekVariant::Droop,
        defeat_sure_losers: true,
    };

    /// Exact rational arithmetic except that every new keep factor is rounded up to 12
    /// decimals; omega 10^-10, single exclusions. Every tally is the exact value given those keep
    /// factors, and no number grows beyond a denominator of `10^(12·k)` for a ballot passing `k`
    /// elected candidates, so the cost no longer grows with the iterations. Rounding keep
    /// factors up (as the PR Foundation's rule does) never takes from an elected candidate; it
    /// can leave a surplus of about the number of votes times 10^-12, in which case iteration
    /// stops when the surplus stops falling rather than at omega.
    pub const ROUNDED_KEEP_FACTORS: Meek = Meek {
        arithmetic: MeekArithmetic::Exact { keep_factor_decimals: Some(12) },
        omega_exponent: 10,
        variant: MeekVariant::Reference,
        defeat_sure_losers: false,
    };

    /// The PR Foundation's Meek reference rule: 9 decimals, omega 10^-6 (Droop's `meek-prf`).
    pub const PRF: Meek = Meek {
        arithmetic: MeekArithmetic::Fixed { decimals: 9 },
        omega_exponent: 6,
        variant: MeekVariant::Reference,
        defeat_sure_losers: false,
    };

    /// The PR Foundation's reference rule with 18 decimals and omega 10^-10: integer arithmetic
    /// whose every rounding is stated (keep values and keep factors rounded up, quota truncated
    /// plus 10^-18), and fast on any election. Rounding costs about 10^-18 per ballot and step,
    /// far below omega even with millions of ballots; where it is not (a quota that shrinks
    /// towards zero), iteration stops when the surplus stops falling, as the rule provides.
    pub const PRECISE: Meek = Meek {
        arithmetic: MeekArithmetic::Fixed { decimals: 18 },
        omega_exponent: 10,
        variant: MeekVariant::Reference,
        defeat_sure_losers: false,
    };

    /// Droop's default `meek`: guarded arithmetic with 18 + 9 decimals, omega 10^-9, sure losers
    /// excluded together.
    pub const DROOP: Meek = Meek {
        arithmetic: MeekArithmetic::Guarded { precision: 18, guard: 9 },
        omega_exponent: 9,
        variant: MeekVariant::Droop,
        defeat_sure_losers: true,
    };
}

impl Default for Meek {
    fn default() -> Self {
        Meek::PRECISE
    }
}

/// How a Meek count computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeekArithmetic {
    /// Exact rationals: the quota is exactly `votes/(seats+1)` and a candidate must exceed it.
    /// With `keep_factor_decimals`, each new keep factor `kf · quota / votes` is rounded up to
    /// that many decimals (see [`Meek::ROUNDED_KEEP_FACTORS`]).
    Exact { keep_factor_decimals: Option<u32> },
    /// Fixed-point decimals (at most 18; more count as 18): the quota is `votes/(seats+1)`
    /// truncated plus one unit of the last place, and a candidate must reach it. Keep factors are updated as
    /// `⌈⌈kf · quota⌉ / votes⌉`. How a ballot's weight is split depends on the [`MeekVariant`].
    Fixed { decimals: u32 },
    /// Droop's guarded arithmetic: fixed point with `precision + guard` decimals, every product
    /// and quotient truncated, values closer than half a unit of the guard compared equal, and
    /// the quota and election test of exact arithmetic. For reproducing Droop's counts. Values
    /// are 128-bit: with more than about 10^11 ballots at 27 places, guard places (then
    /// precision) are dropped until the total fits.
    Guarded { precision: u32, guard: u32 },
}

/// The variants of Meek's method the reference counters implement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeekVariant {
    /// The PR Foundation's reference rule: a candidate keeps `w · kf` rounded up and the ballot
    /// goes on with `w` minus that; iteration stops when the surplus is below omega (`s < ω`);
    /// the surplus is never taken below 0.
    Reference,
    /// Droop's parametric `meek` (and stv-rs): the kept part `w · kf` and the part that goes on
    /// `w · (1 − kf)` are each rounded down; iteration stops when `s ≤ ω`.
    Droop,
}

/// How a WIGM count computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Wigm {
    /// Exact rationals (Droop's `wigm` with `arithmetic=rational`): quota `N/(seats+1)`,
    /// which a candidate must exceed; each ballot's new weight is `w · surplus / votes`.
    Exact,
    /// Fixed-point decimals (at most 18; more count as 18), every product and quotient
    /// truncated: quota `N/(seats+1)` truncated plus one unit of the last place, which a
    /// candidate must reach; new weight `⌊⌊w · surplus⌋ / votes⌋`. With 4 decimals this is the
    /// PR Foundation's reference WIGM rule (Droop's `wigm-prf`).
    Fixed { decimals: u32 },
}

impl Wigm {
    /// The PR Foundation's reference WIGM rule: 4 decimals.
    pub const PRF: Wigm = Wigm::Fixed { decimals: 4 };
}

/// Counts `rankings` for `seats` seats with `rule`, skipping the `withdrawn` candidates and
/// breaking ties with `tie` (made for `rankings.alternatives()` alternatives; alternatives it
/// does not order follow in their own order).
#[must_use]
pub fn count(rankings: &Rankings, seats: usize, rule: Rule, withdrawn: &[Alternative], tie: &TieOrder) -> Outcome {
    let m = rankings.alternatives();
    let tie = if tie.order().len() == m {
        tie.clone()
    } else {
        let mut order = tie.order();
        order.retain(|&a| a < m);
        TieOrder::new(&TieBreak::Priority(order), m)
    };
    let mut excluded = vec![false; m];
    for &a in withdrawn {
        if a < m {
            excluded[a] = true;
        }
    }
    let count = Setup { rankings, seats, withdrawn: excluded, tie };
    match rule {
        Rule::Meek(meek) => meek::count(&count, meek),
        Rule::Wigm(wigm) => gregory::count(&count, gregory::Kind::Wigm(wigm)),
        Rule::Scottish => gregory::count(&count, gregory::Kind::Scottish),
    }
}

/// What every count starts from.
struct Setup<'a> {
    rankings: &'a Rankings,
    seats: usize,
    withdrawn: Vec<bool>,
    tie: TieOrder,
}

impl Setup<'_> {
    /// The number of valid ballots: those that rank a candidate who is not withdrawn.
    fn valid_ballots(&self) -> u64 {
        self.rankings.iter().filter(|b| b.alternatives.iter().any(|&a| !self.withdrawn[usize::from(a)])).map(|b| b.count).sum()
    }
}

/// Where a candidate stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Hopeful,
    /// Elected, with a surplus still to transfer (WIGM, Scottish).
    Pending,
    Elected,
    Excluded,
    Withdrawn,
}

/// `candidates` from most to fewest votes, equal votes in tie order.
fn by_votes_descending(candidates: &mut [Alternative], votes: &[Rational], tie: &TieOrder) {
    candidates.sort_by(|&a, &b| votes[b].cmp(&votes[a]).then(tie.position(a).cmp(&tie.position(b))));
}

/// A candidate as notes name them: its number in files, from 1.
fn name(a: Alternative) -> String {
    (a + 1).to_string()
}

/// Candidates as notes list them.
fn names(list: &[Alternative]) -> String {
    list.iter().map(|&a| name(a)).collect::<Vec<_>>().join(", ")
}

/// A value for people: exact when it has at most `decimals` decimals, else rounded and marked.
fn shown(value: &Rational, decimals: u32) -> String {
    match value.decimal_places() {
        Some(places) if places <= decimals => value.to_decimal(places),
        _ => format!("≈{}", value.to_decimal(decimals)),
    }
}

/// The outcome of a count that went in `rounds`.
fn outcome(winners: Vec<Alternative>, ties: Vec<super::Tie>, rounds: Vec<Round>) -> Outcome {
    Outcome { winners, ties, working: Working::Rounds(rounds) }
}
