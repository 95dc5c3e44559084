//! Approval voting: each voter approves any number of alternatives; the most approved win.
//!
//! With several seats this is block approval (the most approved alternatives fill the seats), which
//! lets a majority take every seat: for proportional delegations use
//! [`committee`](super::committee) (Phragmén, Equal Shares) or STV.

use super::ballot::Approvals;
use super::tie::TieOrder;
use super::{Outcome, Scores, Working};
use crate::rational::Rational;

/// Approval voting (block approval for several seats).
#[must_use]
pub fn approval(approvals: &Approvals, seats: usize, tie: &TieOrder) -> Outcome {
    let counts = approval_counts(approvals);
    let mut ties = Vec::new();
    let winners = tie.top(&counts, seats, |c| format!("{c} approvals"), &mut ties);
    Outcome {
        winners,
        ties,
        working: Working::Scores(Scores { counts: "approvals", scores: counts.into_iter().map(Rational::from).collect() }),
    }
}

/// How many voters approve each alternative.
#[must_use]
pub fn approval_counts(approvals: &Approvals) -> Vec<u64> {
    let mut counts = vec![0u64; approvals.alternatives()];
    for ballot in approvals.iter() {
        for &a in ballot.approved {
            counts[usize::from(a)] += ballot.count;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vote::tie::TieBreak;

    #[test]
    fn the_most_approved_alternatives_win_and_a_tie_is_reported() {
        let mut a = Approvals::new(3).unwrap();
        a.push(2, &[0, 1]).unwrap();
        a.push(2, &[2]).unwrap();
        let outcome = approval(&a, 1, &TieOrder::new(&TieBreak::AlternativeOrder, 3));
        assert_eq!(outcome.winners, vec![0]);
        assert_eq!(outcome.ties[0].tied, vec![0, 1, 2]);
    }
}
