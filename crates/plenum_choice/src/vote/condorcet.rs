//! Condorcet methods on margins: Schulze, Ranked Pairs and Copeland.
//!
//! Each comes in two forms: `schulze(rankings, …)` counts the ballots pairwise with
//! [`Unranked::Last`] (a ranked alternative beats every unranked one, unranked ones are tied),
//! and `schulze_from(pairwise, …)` takes a count already made, with either reading of
//! unranked alternatives ([`Pairwise::count`]). Counting is the expensive part; the methods
//! themselves only look at the `m × m` matrix. Alternatives tied on a ballot count for neither
//! side of their pair. All three elect the Condorcet winner when there is one.

use super::pairwise::{Margin, Pairwise, PairwiseDetail, PairwiseWorking, RankedPair, Unranked};
use super::{Alternative, Outcome, Rankings, Tie, TieOrder, Working, pick_in_turn};

/// Schulze (beat path) on margins, as pref_voting's `beat_path`: the strength of a path is its
/// smallest margin, only positive margins are links, and `a` beats `b` when the strongest path
/// from `a` to `b` is stronger than the strongest from `b` to `a`.
///
/// Truncated ballots put their unranked alternatives last ([`Unranked::Last`]); use
/// [`schulze_from`] for the other reading. The winners are the alternatives nobody beats; when
/// there are several, that is one [`Tie`] (all of them, in tie order), broken in favour of the
/// earliest in `tie`. With `seats > 1` the outcome is Schulze's ranking from the top: each next
/// alternative is one that nobody left beats (the relation is transitive), ties broken the same
/// way.
#[must_use]
pub fn schulze(rankings: &Rankings, seats: usize, tie: &TieOrder) -> Outcome {
    schulze_from(Pairwise::count(rankings, Unranked::Last), seats, tie)
}

/// [`schulze`] on a pairwise count already made.
#[must_use]
pub fn schulze_from(pairwise: Pairwise, seats: usize, tie: &TieOrder) -> Outcome {
    let m = pairwise.alternatives();
    let mut strength: Vec<Margin> = vec![0; m * m];
    for a in 0..m {
        for b in (0..m).filter(|&b| b != a) {
            strength[a * m + b] = pairwise.margin(a, b).max(0);
        }
    }
    // Floyd–Warshall for the widest path.
    for via in 0..m {
        for from in (0..m).filter(|&x| x != via) {
            let to_via = strength[from * m + via];
            if to_via == 0 {
                continue;
            }
            for to in (0..m).filter(|&x| x != via && x != from) {
                let through = to_via.min(strength[via * m + to]);
                if through > strength[from * m + to] {
                    strength[from * m + to] = through;
                }
            }
        }
    }
    let beats = |a: usize, b: usize| strength[a * m + b] > strength[b * m + a];
    let (winners, ties) = pick_in_turn(
        m,
        seats,
        tie,
        |seat| format!("place {seat}: unbeaten by strongest paths"),
        |left| (0..m).filter(|&a| left[a] && !(0..m).any(|b| left[b] && beats(b, a))).collect(),
    );
    let detail = PairwiseDetail::StrongestPaths(strength);
    Outcome { winners, ties, working: Working::Pairwise(PairwiseWorking { matrix: pairwise, detail }) }
}

/// Ranked Pairs (Tideman) on margins, resolute, as pref_voting's `ranked_pairs_tb`: every pair
/// with a positive margin, and both directions of every pair with a zero margin, is considered
/// from the largest margin down, and locked in unless it would make a cycle with the pairs
/// locked before it. Pairs with equal margins are taken in the order of (winner, loser) in the
/// tie order: the pair whose winner comes first in `tie` first, then by its loser.
///
/// Truncated ballots put their unranked alternatives last ([`Unranked::Last`]); use
/// [`ranked_pairs_from`] for the other reading. The locked pairs order every alternative, so
/// the outcome is that order from the top, `seats` long. Where the tie order decided between two
/// alternatives (a pair not locked because of a pair of the same margin locked just before it),
/// that is a [`Tie`] between the two, `chosen` being the one that ended above.
#[must_use]
pub fn ranked_pairs(rankings: &Rankings, seats: usize, tie: &TieOrder) -> Outcome {
    ranked_pairs_from(Pairwise::count(rankings, Unranked::Last), seats, tie)
}

/// [`ranked_pairs`] on a pairwise count already made.
#[must_use]
pub fn ranked_pairs_from(pairwise: Pairwise, seats: usize, tie: &TieOrder) -> Outcome {
    let m = pairwise.alternatives();
    let mut pairs: Vec<RankedPair> = Vec::new();
    for winner in 0..m {
        for loser in (0..m).filter(|&b| b != winner) {
            let margin = pairwise.margin(winner, loser);
            if margin >= 0 {
                pairs.push(RankedPair { winner, loser, margin, locked: false });
            }
        }
    }
    pairs.sort_by_key(|p| (std::cmp::Reverse(p.margin), tie.position(p.winner), tie.position(p.loser)));

    let mut above = Reach::new(m);
    let mut ties = Vec::new();
    let mut group_start = 0;
    // What was locked before the current group of equal margins, kept only when a pair of the
    // group is skipped (to tell whether the tie order decided it).
    let mut before_group: Option<Reach> = None;
    for i in 0..pairs.len() {
        if i == 0 || pairs[i].margin != pairs[group_start].margin {
            group_start = i;
            before_group = None;
        }
        let RankedPair { winner, loser, margin, .. } = pairs[i];
        if !above.reaches(loser, winner) {
            if before_group.is_none() && pairs.get(i + 1).is_some_and(|p| p.margin == margin) {
                before_group = Some(above.clone());
            }
            above.add(winner, loser);
            pairs[i].locked = true;
            continue;
        }
        let decided_in_group = match &before_group {
            Some(before) => !before.reaches(loser, winner),
            None => false,
        };
        if decided_in_group {
            let mut tied = vec![winner, loser];
            tied.sort_by_key(|&a| tie.position(a));
            ties.push(Tie {
                round: None,
                tied,
                chosen: loser,
                on: format!(
                    "{} over {} (margin {margin}) not locked: {} was already over {} by pairs of the same margin \
                     locked first",
                    winner + 1,
                    loser + 1,
                    loser + 1,
                    winner + 1
                ),
                by: tie.rule().describe(),
            });
        }
    }
    // Every pair of alternatives was decided one way, so the locked pairs order everyone; an
    // alternative's place is the number of alternatives above it.
    let mut order: Vec<Alternative> = (0..m).collect();
    order.sort_by_key(|&a| ((0..m).filter(|&x| above.reaches(x, a)).count(), tie.position(a)));
    order.truncate(seats);
    let detail = PairwiseDetail::Pairs(pairs);
    Outcome { winners: order, ties, working: Working::Pairwise(PairwiseWorking { matrix: pairwise, detail }) }
}

/// Copeland, as pref_voting's `copeland`: an alternative's score is the number of alternatives
/// it beats by a positive margin minus the number that beat it (a zero margin scores 0 for
/// both). The highest scores win.
///
/// Truncated ballots put their unranked alternatives last ([`Unranked::Last`]); use
/// [`copeland_from`] for the other reading. Several alternatives with the highest score are one
/// [`Tie`], broken in favour of the earliest in `tie`. With `seats > 1` the outcome is the
/// alternatives by score from the top, ties broken the same way.
#[must_use]
pub fn copeland(rankings: &Rankings, seats: usize, tie: &TieOrder) -> Outcome {
    copeland_from(Pairwise::count(rankings, Unranked::Last), seats, tie)
}

/// [`copeland`] on a pairwise count already made.
#[must_use]
pub fn copeland_from(pairwise: Pairwise, seats: usize, tie: &TieOrder) -> Outcome {
    let m = pairwise.alternatives();
    let scores: Vec<i64> =
        (0..m).map(|a| (0..m).filter(|&b| b != a).map(|b| pairwise.margin(a, b).signum() as i64).sum()).collect();
    let (winners, ties) =
        pick_in_turn(m, seats, tie, |seat| format!("place {seat}: equal Copeland scores"), |left| best_of(left, &scores));
    let detail = PairwiseDetail::Copeland(scores);
    Outcome { winners, ties, working: Working::Pairwise(PairwiseWorking { matrix: pairwise, detail }) }
}

/// The alternatives left with the highest score.
pub(crate) fn best_of<S: Ord>(left: &[bool], scores: &[S]) -> Vec<Alternative> {
    let Some(top) = (0..scores.len()).filter(|&a| left[a]).map(|a| &scores[a]).max() else {
        return Vec::new();
    };
    (0..scores.len()).filter(|&a| left[a] && &scores[a] == top).collect()
}

/// The transitive closure of the locked pairs, one bit row per alternative.
#[derive(Debug, Clone)]
struct Reach {
    words: usize,
    /// Row `a`: the alternatives `a` is above.
    rows: Vec<u64>,
}

impl Reach {
    fn new(m: usize) -> Reach {
        let words = m.div_ceil(64);
        Reach { words, rows: vec![0; m * words] }
    }

    fn reaches(&self, a: Alternative, b: Alternative) -> bool {
        self.rows[a * self.words + b / 64] >> (b % 64) & 1 == 1
    }

    /// Locks `a` over `b`: everyone at or above `a` is now above `b` and all below it.
    fn add(&mut self, a: Alternative, b: Alternative) {
        let w = self.words;
        let mut below: Vec<u64> = self.rows[b * w..(b + 1) * w].to_vec();
        below[b / 64] |= 1 << (b % 64);
        let m = self.rows.len() / w.max(1);
        for x in 0..m {
            if x == a || self.reaches(x, a) {
                for (row, add) in self.rows[x * w..(x + 1) * w].iter_mut().zip(&below) {
                    *row |= add;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vote::TieBreak;

    fn rankings(m: usize, ballots: &[(u64, &[usize])]) -> Rankings {
        let mut r = Rankings::new(m).unwrap();
        for (count, order) in ballots {
            let groups: Vec<Vec<usize>> = order.iter().map(|&a| vec![a]).collect();
            r.push(*count, &groups).unwrap();
        }
        r
    }

    fn default_order(m: usize) -> TieOrder {
        TieOrder::new(&TieBreak::AlternativeOrder, m)
    }

    // Wikipedia's Schulze example: 45 voters, 5 candidates, winner E (4).
    fn wikipedia_schulze() -> Rankings {
        rankings(
            5,
            &[
                (5, &[0, 2, 1, 4, 3]),
                (5, &[0, 3, 4, 2, 1]),
                (8, &[1, 4, 3, 0, 2]),
                (3, &[2, 0, 1, 4, 3]),
                (7, &[2, 0, 4, 1, 3]),
                (2, &[2, 1, 0, 3, 4]),
                (7, &[3, 2, 4, 1, 0]),
                (8, &[4, 1, 0, 3, 2]),
            ],
        )
    }

    #[test]
    fn schulze_finds_the_strongest_paths_of_the_classic_example() {
        let o = schulze(&wikipedia_schulze(), 5, &default_order(5));
        // E > A > C > B > D.
        assert_eq!(o.winners, vec![4, 0, 2, 1, 3]);
        assert!(o.ties.is_empty());
        let Working::Pairwise(PairwiseWorking { detail: PairwiseDetail::StrongestPaths(s), .. }) = &o.working else {
            panic!("no strongest paths")
        };
        // E→D→C→B→A: margins 17, 11, 13, 5 (the direct E→A is only 1); B→D directly, 21.
        assert_eq!(s[4 * 5], 5);
        assert_eq!(s[5 + 3], 21);
    }

    #[test]
    fn ranked_pairs_locks_the_largest_margins_first_and_skips_cycles() {
        // A cycle 0 > 1 (margin 3), 1 > 2 (margin 5), 2 > 0 (margin 1): 2 > 0 is skipped.
        let r = rankings(3, &[(4, &[0, 1, 2]), (3, &[1, 2, 0]), (2, &[2, 0, 1])]);
        let o = ranked_pairs(&r, 3, &default_order(3));
        assert_eq!(o.winners, vec![0, 1, 2]);
        let Working::Pairwise(PairwiseWorking { detail: PairwiseDetail::Pairs(pairs), .. }) = &o.working else {
            panic!("no pairs")
        };
        let skipped: Vec<_> = pairs.iter().filter(|p| !p.locked).map(|p| (p.winner, p.loser)).collect();
        assert_eq!(skipped, vec![(2, 0)]);
        assert!(o.ties.is_empty());
    }

    #[test]
    fn ranked_pairs_breaks_zero_margins_by_the_tie_order_and_says_so() {
        let r = rankings(2, &[(1, &[0, 1]), (1, &[1, 0])]);
        let o = ranked_pairs(&r, 1, &default_order(2));
        assert_eq!(o.winners, vec![0]);
        assert_eq!(o.ties.len(), 1);
        assert_eq!((o.ties[0].tied.clone(), o.ties[0].chosen), (vec![0, 1], 0));
        let reversed = TieOrder::new(&TieBreak::Priority(vec![1, 0]), 2);
        assert_eq!(ranked_pairs(&r, 1, &reversed).winners, vec![1]);
    }

    #[test]
    fn copeland_counts_wins_minus_losses_and_reports_a_tie_for_the_top() {
        let r = rankings(3, &[(1, &[0, 1, 2]), (1, &[1, 2, 0]), (1, &[2, 0, 1])]);
        let o = copeland(&r, 1, &default_order(3));
        assert_eq!(o.winners, vec![0]);
        assert_eq!(o.ties.len(), 1);
        assert_eq!(o.ties[0].tied, vec![0, 1, 2]);
        let s = schulze(&r, 1, &default_order(3));
        assert_eq!(s.ties[0].tied, vec![0, 1, 2]);
    }
}
