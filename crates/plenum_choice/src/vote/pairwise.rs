//! The pairwise count: for every ordered pair of alternatives, how many voters prefer the first
//! to the second. Schulze, Ranked Pairs and Copeland all start from it.
//!
//! The count is made in one pass over the ballots and only touches the pairs a ballot ranks:
//! a ballot that ranks `k` alternatives costs `k·(k−1)/2` additions, however many alternatives
//! there are. Whether a ranked alternative also beats the ones a ballot leaves unranked
//! ([`Unranked`]) is then worked out from how many ballots rank each alternative, with no
//! per-ballot work.

use super::ballot::{Alternative, Rankings};

/// How a ballot compares an alternative it ranks with one it leaves unranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Unranked {
    /// Below every ranked alternative, and tied with the other unranked ones (the "extended
    /// strict preference" of pref_voting, and the convention of Debian's Condorcet vote).
    #[default]
    Last,
    /// No opinion: the ballot counts for neither side of a pair with an unranked alternative
    /// (pref_voting's default reading of a ballot with ties and truncation).
    NoOpinion,
}

/// The pairwise count of a profile.
///
/// Alternatives tied on a ballot count for neither side of their pair; so do two unranked
/// alternatives, and, with [`Unranked::NoOpinion`], a ranked and an unranked one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairwise {
    alternatives: usize,
    unranked: Unranked,
    /// `support[a * alternatives + b]`: the voters who prefer `a` to `b`.
    support: Vec<u64>,
}

/// A margin: voters preferring `a` to `b` minus voters preferring `b` to `a`. Wide enough for any
/// two `u64` counts.
pub type Margin = i128;

impl Pairwise {
    /// Counts `rankings` pairwise, reading unranked alternatives as `unranked` says.
    #[must_use]
    pub fn count(rankings: &Rankings, unranked: Unranked) -> Pairwise {
        let m = rankings.alternatives();
        // `preferred[a*m+b]`: ballots ranking both, `a` above `b`; `tied[a*m+b]`: ballots ranking
        // both at the same level; `ranked[a]`: ballots ranking `a`.
        let mut preferred = vec![0u64; m * m];
        let mut tied: Vec<u64> = Vec::new();
        let mut ranked = vec![0u64; m];
        for ballot in rankings.iter() {
            let c = ballot.count;
            let alts = ballot.alternatives;
            match ballot.levels {
                Some(levels) if ballot.has_ties() => {
                    if tied.is_empty() {
                        tied = vec![0u64; m * m];
                    }
                    for (i, &a) in alts.iter().enumerate() {
                        let a = usize::from(a);
                        ranked[a] += c;
                        for (j, &b) in alts.iter().enumerate().skip(i + 1) {
                            let b = usize::from(b);
                            if levels[j] == levels[i] {
                                tied[a * m + b] += c;
                                tied[b * m + a] += c;
                            } else {
                                preferred[a * m + b] += c;
                            }
                        }
                    }
                }
                _ => {
                    for (i, &a) in alts.iter().enumerate() {
                        let a = usize::from(a);
                        ranked[a] += c;
                        let row = &mut preferred[a * m..(a + 1) * m];
                        for &b in &alts[i + 1..] {
                            row[usize::from(b)] += c;
                        }
                    }
                }
            }
        }
        let support = match unranked {
            Unranked::NoOpinion => preferred,
            // A ballot ranking `a` prefers it to `b` unless it ranks `b` above or level with it.
            Unranked::Last => {
                let mut support = vec![0u64; m * m];
                for a in 0..m {
                    for b in (0..m).filter(|&b| b != a) {
                        let level = tied.get(a * m + b).copied().unwrap_or(0);
                        support[a * m + b] = ranked[a] - preferred[b * m + a] - level;
                    }
                }
                support
            }
        };
        Pairwise { alternatives: m, unranked, support }
    }

    /// The number of alternatives.
    #[must_use]
    pub fn alternatives(&self) -> usize {
        self.alternatives
    }

    /// How unranked alternatives were read.
    #[must_use]
    pub fn unranked(&self) -> Unranked {
        self.unranked
    }

    /// The voters who prefer `a` to `b`.
    #[must_use]
    pub fn support(&self, a: Alternative, b: Alternative) -> u64 {
        self.support[a * self.alternatives + b]
    }

    /// Voters preferring `a` to `b` minus voters preferring `b` to `a`.
    #[must_use]
    pub fn margin(&self, a: Alternative, b: Alternative) -> Margin {
        Margin::from(self.support(a, b)) - Margin::from(self.support(b, a))
    }

    /// The alternative that beats every other one by a positive margin, if there is one.
    #[must_use]
    pub fn condorcet_winner(&self) -> Option<Alternative> {
        let m = self.alternatives;
        (0..m).find(|&a| (0..m).all(|b| b == a || self.margin(a, b) > 0))
    }
}

/// The working of a Condorcet method: the pairwise count and what the method made of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairwiseWorking {
    /// The pairwise count the method worked on (it says how unranked alternatives were read).
    pub matrix: Pairwise,
    /// What the method computed from it.
    pub detail: PairwiseDetail,
}

/// What a Condorcet method computed from the pairwise count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PairwiseDetail {
    /// Schulze: `strength[a * m + b]` is the strength of the strongest path from `a` to `b`
    /// (the smallest margin along it), 0 when there is no path of positive margins.
    StrongestPaths(Vec<Margin>),
    /// Ranked Pairs: every pair considered, in the order considered.
    Pairs(Vec<RankedPair>),
    /// Copeland: each alternative's pairwise wins minus its pairwise losses.
    Copeland(Vec<i64>),
}

/// A pair as Ranked Pairs considered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RankedPair {
    /// The alternative the pair puts above (with a zero margin, either way round).
    pub winner: Alternative,
    pub loser: Alternative,
    /// `winner`'s margin over `loser` (never negative).
    pub margin: Margin,
    /// Whether it was locked in (false: it would have made a cycle with pairs locked before).
    pub locked: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> Rankings {
        let mut r = Rankings::new(4).unwrap();
        r.push(3, &[vec![0], vec![1], vec![2], vec![3]]).unwrap();
        r.push(2, &[vec![1], vec![0, 2]]).unwrap();
        r.push(1, &[vec![3]]).unwrap();
        r
    }

    #[test]
    fn unranked_alternatives_are_last_by_default() {
        let p = Pairwise::count(&profile(), Unranked::Last);
        // 0 over 1: the 3 full ballots; 1 over 0: the 2 tied ballots.
        assert_eq!((p.support(0, 1), p.support(1, 0)), (3, 2));
        // 0 and 2 tied on the 2 ballots: neither side.
        assert_eq!((p.support(0, 2), p.support(2, 0)), (3, 0));
        // 3 is unranked on the tied ballots, so below 0, 1 and 2 there.
        assert_eq!((p.support(0, 3), p.support(3, 0)), (5, 1));
        assert_eq!((p.support(2, 3), p.support(3, 2)), (5, 1));
        assert_eq!(p.margin(0, 3), 4);
        assert_eq!(p.condorcet_winner(), Some(0));
    }

    #[test]
    fn with_no_opinion_unranked_alternatives_count_for_neither_side() {
        let p = Pairwise::count(&profile(), Unranked::NoOpinion);
        assert_eq!((p.support(0, 1), p.support(1, 0)), (3, 2));
        assert_eq!((p.support(0, 3), p.support(3, 0)), (3, 0));
        assert_eq!((p.support(1, 3), p.support(3, 1)), (3, 0));
    }
}
