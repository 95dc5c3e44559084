//! Positional methods on rankings: plurality and Borda.

use super::condorcet::best_of;
use super::{Outcome, Rankings, Scores, TieOrder, Working, pick_in_turn};
use crate::rational::Rational;

/// Plurality: each ballot gives one vote to the alternative it ranks first; the most votes win.
///
/// A truncated ballot counts for its first choice; an empty ballot counts for nobody. A ballot
/// whose first rank is a tie (an over-vote) counts for nobody, like pref_voting's
/// `plurality_scores_ignoring_overvotes` (pref_voting's `plurality` refuses such ballots).
/// Several alternatives with the most votes are one [`Tie`](super::Tie), broken in favour of the
/// earliest in `tie`. With `seats > 1` the outcome is the alternatives by votes from the top,
/// ties broken the same way.
#[must_use]
pub fn plurality(rankings: &Rankings, seats: usize, tie: &TieOrder) -> Outcome {
    let m = rankings.alternatives();
    let mut votes = vec![0u64; m];
    for ballot in rankings.iter() {
        if let Some(top) = ballot.groups().next()
            && let [only] = top
        {
            votes[usize::from(*only)] += ballot.count;
        }
    }
    let (winners, ties) =
        pick_in_turn(m, seats, tie, |seat| format!("place {seat}: equal first preferences"), |left| best_of(left, &votes));
    let scores = votes.into_iter().map(Rational::from).collect();
    Outcome { winners, ties, working: Working::Scores(Scores { counts: "first preferences", scores }) }
}

/// Borda: with `m` alternatives a ballot gives `m − 1` points to its first, `m − 2` to its second,
/// and so on down to 0.
///
/// Alternatives tied on a ballot share the points of the places they take (two tied first
/// share `m − 1` and `m − 2`: `m − 3/2` each), and the alternatives a truncated ballot leaves
/// unranked are tied last, sharing the points of the places left (so a ballot that ranks only
/// its favourite still gives the others `(m − 2)/2` each). Scores are exact rationals. This
/// gives the same winners as pref_voting's `borda` (symmetric Borda on ballots with ties and
/// truncation, which is twice this score minus `m − 1` per ballot). Several alternatives with
/// the highest score are one [`Tie`](super::Tie), broken in favour of the earliest in `tie`.
/// With `seats > 1` the outcome is the alternatives by score from the top, ties broken the same
/// way.
#[must_use]
pub fn borda(rankings: &Rankings, seats: usize, tie: &TieOrder) -> Outcome {
    let m = rankings.alternatives();
    // Twice the points, so that shared places stay whole numbers. Every alternative first gets
    // what the ballot's unranked alternatives get (`everyone`); the ranked ones get the rest.
    let mut doubled = vec![0u128; m];
    let mut everyone: u128 = 0;
    for ballot in rankings.iter() {
        let c = u128::from(ballot.count);
        let unranked = (m - ballot.alternatives.len()) as u128;
        let unranked_points = unranked.saturating_sub(1);
        everyone += unranked_points * c;
        let mut place = 0u128;
        for group in ballot.groups() {
            let size = group.len() as u128;
            // Places `place .. place + size` are worth `m − 1 − place` down to `m − place − size`.
            let points = 2 * (m as u128 - 1 - place) + 1 - size;
            for &a in group {
                doubled[usize::from(a)] += (points - unranked_points) * c;
            }
            place += size;
        }
    }
    let scores: Vec<Rational> = doubled.iter().map(|&d| halved(d + everyone)).collect();
    let (winners, ties) =
        pick_in_turn(m, seats, tie, |seat| format!("place {seat}: equal Borda scores"), |left| best_of(left, &scores));
    Outcome {
        winners,
        ties,
        working: Working::Scores(Scores {
            counts: "Borda points (tied and unranked alternatives share the points of their places)",
            scores,
        }),
    }
}

/// `n / 2` exactly.
fn halved(n: u128) -> Rational {
    let high = Rational::from((n >> 64) as u64);
    let low = Rational::from(n as u64);
    let two_to_64 = Rational::from(1u64 << 32) * Rational::from(1u64 << 32);
    let whole = high * two_to_64 + low;
    whole.div_int(2).unwrap_or(whole)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vote::TieBreak;

    #[test]
    fn plurality_ignores_a_ballot_with_a_tie_at_the_top() {
        let mut r = Rankings::new(3).unwrap();
        r.push(2, &[vec![1], vec![0]]).unwrap();
        r.push(3, &[vec![0, 2]]).unwrap();
        r.push(1, &[vec![2], vec![1]]).unwrap();
        r.push(1, &[] as &[Vec<usize>]).unwrap();
        let o = plurality(&r, 1, &TieOrder::new(&TieBreak::AlternativeOrder, 3));
        assert_eq!(o.winners, vec![1]);
        let Working::Scores(s) = o.working else { panic!("no scores") };
        assert_eq!(s.scores, vec![Rational::ZERO, Rational::from(2u64), Rational::ONE]);
    }

    #[test]
    fn borda_shares_the_points_of_tied_and_unranked_places() {
        let mut r = Rankings::new(4).unwrap();
        // 3, 2, 1, 0 points.
        r.push(1, &[vec![0], vec![1], vec![2], vec![3]]).unwrap();
        // 2 first: 3; 0 and 3 share 2 and 1: 3/2 each; 1 unranked: 0.
        r.push(2, &[vec![2], vec![0, 3]]).unwrap();
        // 1 first: 3; the rest share 2, 1, 0: 1 each.
        r.push(1, &[vec![1]]).unwrap();
        let o = borda(&r, 4, &TieOrder::new(&TieBreak::AlternativeOrder, 4));
        let Working::Scores(s) = &o.working else { panic!("no scores") };
        let half = |n: i64| Rational::new(n, 2).unwrap();
        assert_eq!(s.scores, vec![half(14), half(10), half(16), half(8)]);
        assert_eq!(o.winners, vec![2, 0, 1, 3]);
    }

    #[test]
    fn halving_is_exact_beyond_64_bits() {
        assert_eq!(halved(6), Rational::from(3u64));
        let big = halved(u128::from(u64::MAX) * 4);
        assert_eq!(big, Rational::from(u64::MAX) * Rational::from(2u64));
    }
}
