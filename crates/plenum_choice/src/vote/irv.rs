//! Instant-runoff voting (the alternative vote, ranked-choice voting, Hare).
//!
//! The count keeps, for every alternative, the list of ballots that currently count for it, so
//! eliminating an alternative only looks at its own ballots: a count of a million ballots costs
//! about one pass over them plus the ballots that move, not one pass per round.

use super::ballot::Ranking;
use super::{Alternative, Outcome, Rankings, Round, TieOrder, Working};
use crate::rational::Rational;

/// Instant-runoff voting: each ballot counts for the alternative it ranks highest among those
/// still in the count; while no alternative has a majority, the one with the fewest votes is
/// eliminated, **one per round**, and its ballots move on to their next choice still in the
/// count.
///
/// - Truncated ballots: a ballot whose ranked alternatives have all been eliminated is
///   exhausted and counts for nobody from then on; a majority is more than half of the ballots
///   still counting (not of all ballots).
/// - Ties inside a ballot: when the highest rank still in the count holds several alternatives,
///   the ballot gives a full vote to **each** of them, as pref_voting does (`tops_scores` with
///   `score_type="approval"`). A ballot can then count for several alternatives, so a majority
///   no longer makes the winner safe: on a profile with any such ballot the count goes on until
///   one alternative is left (which gives the same winner as stopping at a majority when no
///   ballot has ties).
/// - Ties for the fewest votes: the alternative latest in `tie` is eliminated
///   ([`TieOrder::disfavour`]) and the [`Tie`](super::Tie) is recorded with its round. Under the
///   default order that is the highest-numbered tied alternative; pref_voting's
///   `instant_runoff_tb` with tie-breaker `t` eliminates the tied alternative first in `t`, which
///   is this count with `tie` the reverse of `t`.
///
/// With `seats > 1` the count goes on until one alternative is left, and the outcome is the
/// IRV ranking from the top: the last alternative left, then the others in reverse order of
/// elimination, `seats` long. (That is not STV: it makes no attempt at proportionality.)
///
/// The working is one [`Round`] per round: every alternative's votes at the start of the round
/// (0 once eliminated), the exhausted ballots, and who was elected or eliminated.
#[must_use]
pub fn irv(rankings: &Rankings, seats: usize, tie: &TieOrder) -> Outcome {
    let m = rankings.alternatives();
    let stop_at_majority = seats <= 1 && !rankings.has_ties();
    let mut count = Count::new(rankings);
    let mut rounds = Vec::new();
    let mut ties = Vec::new();
    let mut eliminated = Vec::new();
    let mut left = m;
    let mut majority_winner = None;
    let mut round = 0;
    while left > 0 {
        round += 1;
        let continuing_votes = rankings.voters() - count.exhausted;
        let tallies: Vec<Rational> = count.tally.iter().map(|&v| Rational::from(v)).collect();
        let exhausted = Rational::from(count.exhausted);
        let record = |elected: Vec<Alternative>, out: Vec<Alternative>, note: String| Round {
            tallies: tallies.clone(),
            exhausted: exhausted.clone(),
            quota: None,
            keep_factors: None,
            elected,
            eliminated: out,
            note,
        };
        let candidates: Vec<Alternative> = (0..m).filter(|&a| count.continuing[a]).collect();
        if let [last] = candidates[..] {
            rounds.push(record(vec![last], vec![], format!("{} is the last alternative left", last + 1)));
            break;
        }
        if stop_at_majority
            && let Some(&leader) = candidates.iter().max_by_key(|&&a| count.tally[a])
            && u128::from(count.tally[leader]) * 2 > u128::from(continuing_votes)
        {
            majority_winner = Some(leader);
            let note =
                format!("{} has a majority: {} of {} votes still counting", leader + 1, count.tally[leader], continuing_votes);
            rounds.push(record(vec![leader], vec![], note));
            break;
        }
        let fewest = candidates.iter().map(|&a| count.tally[a]).min().unwrap_or(0);
        let lowest: Vec<Alternative> = candidates.iter().copied().filter(|&a| count.tally[a] == fewest).collect();
        let out = tie.disfavour(&lowest, Some(round), || format!("eliminated: {fewest} votes each"), &mut ties);
        rounds.push(record(vec![], vec![out], format!("{} eliminated with {fewest} votes", out + 1)));
        count.eliminate(rankings, out);
        eliminated.push(out);
        left -= 1;
    }
    let mut winners: Vec<Alternative> = match majority_winner {
        Some(w) => vec![w],
        None => eliminated.iter().rev().copied().collect(),
    };
    if majority_winner.is_none()
        && let Some(last) = (0..m).find(|&a| count.continuing[a])
    {
        winners.insert(0, last);
    }
    winners.truncate(seats);
    Outcome { winners, ties, working: Working::Rounds(rounds) }
}

/// Where every ballot stands.
struct Count {
    continuing: Vec<bool>,
    /// Votes for each alternative (0 once eliminated).
    tally: Vec<u64>,
    /// The ballots counting for each alternative (stale for eliminated ones).
    holders: Vec<Vec<u32>>,
    /// For each ballot, the start of the group of alternatives it counts for.
    at: Vec<u32>,
    exhausted: u64,
}

impl Count {
    fn new(rankings: &Rankings) -> Count {
        let m = rankings.alternatives();
        let mut count = Count {
            continuing: vec![true; m],
            tally: vec![0; m],
            holders: vec![Vec::new(); m],
            at: vec![0; rankings.len()],
            exhausted: 0,
        };
        for (i, ballot) in rankings.iter().enumerate() {
            count.place(i, &ballot, 0);
        }
        count
    }

    /// Gives ballot `i` to the first group from `from` on that has an alternative still in
    /// the count, or exhausts it.
    fn place(&mut self, i: usize, ballot: &Ranking<'_>, from: usize) {
        let alternatives = ballot.alternatives;
        let mut start = from;
        while start < alternatives.len() {
            let end = group_end(ballot, start);
            let mut counted = false;
            for &a in &alternatives[start..end] {
                let a = usize::from(a);
                if self.continuing[a] {
                    self.tally[a] += ballot.count;
                    self.holders[a].push(i as u32);
                    counted = true;
                }
            }
            if counted {
                self.at[i] = start as u32;
                return;
            }
            start = end;
        }
        self.at[i] = alternatives.len() as u32;
        self.exhausted += ballot.count;
    }

    fn eliminate(&mut self, rankings: &Rankings, out: Alternative) {
        self.continuing[out] = false;
        self.tally[out] = 0;
        for i in std::mem::take(&mut self.holders[out]) {
            let i = i as usize;
            let ballot = rankings.get(i);
            let start = self.at[i] as usize;
            let end = group_end(&ballot, start);
            // Still counting for another alternative of its tied group.
            if ballot.alternatives[start..end].iter().any(|&a| self.continuing[usize::from(a)]) {
                continue;
            }
            self.place(i, &ballot, end);
        }
    }
}

/// The end of the group of tied alternatives that starts at `start`.
fn group_end(ballot: &Ranking<'_>, start: usize) -> usize {
    match ballot.levels {
        None => start + 1,
        Some(levels) => {
            let mut end = start + 1;
            while end < levels.len() && levels[end] == levels[start] {
                end += 1;
            }
            end
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vote::TieBreak;

    fn order(m: usize) -> TieOrder {
        TieOrder::new(&TieBreak::AlternativeOrder, m)
    }

    #[test]
    fn the_fewest_votes_go_out_one_at_a_time_until_a_majority() {
        let mut r = Rankings::new(4).unwrap();
        r.push(8, &[vec![0]]).unwrap();
        r.push(5, &[vec![1], vec![2]]).unwrap();
        r.push(4, &[vec![2], vec![1]]).unwrap();
        r.push(2, &[vec![3], vec![2]]).unwrap();
        // Round 1: 3 out (2). Round 2: 0 8, 1 5, 2 6: 1 out. Round 3: 0 8, 2 11 of 19: majority.
        let o = irv(&r, 1, &order(4));
        assert_eq!(o.winners, vec![2]);
        assert!(o.ties.is_empty());
        let Working::Rounds(rounds) = &o.working else { panic!("no rounds") };
        assert_eq!(rounds.len(), 3);
        assert_eq!(rounds[1].eliminated, vec![1]);
        assert_eq!(rounds[2].tallies[2], Rational::from(11u64));
        assert_eq!(rounds[2].elected, vec![2]);
    }

    #[test]
    fn a_tie_for_the_fewest_eliminates_the_latest_in_the_tie_order() {
        let mut r = Rankings::new(3).unwrap();
        r.push(3, &[vec![0]]).unwrap();
        r.push(2, &[vec![1], vec![0]]).unwrap();
        r.push(2, &[vec![2], vec![1]]).unwrap();
        let o = irv(&r, 1, &order(3));
        // 1 and 2 tie on 2: 2 goes, its ballots make 1 the winner with 4 of 7.
        assert_eq!(o.winners, vec![1]);
        assert_eq!(o.ties.len(), 1);
        assert_eq!((o.ties[0].chosen, o.ties[0].round), (2, Some(1)));
        // The reverse order eliminates 1 instead, whose ballots go to 0.
        let reverse = TieOrder::new(&TieBreak::Priority(vec![2, 1, 0]), 3);
        assert_eq!(irv(&r, 1, &reverse).winners, vec![0]);
    }

    #[test]
    fn a_tied_top_gives_a_vote_to_each_and_exhausted_ballots_drop_out() {
        let mut r = Rankings::new(3).unwrap();
        r.push(2, &[vec![0, 1]]).unwrap();
        r.push(3, &[vec![2]]).unwrap();
        r.push(1, &[vec![1]]).unwrap();
        // 0: 2, 1: 3, 2: 3. 0 goes; its tied ballots still count for 1 only: 1 3, 2 3; tie: 2 goes.
        let o = irv(&r, 3, &order(3));
        assert_eq!(o.winners, vec![1, 2, 0]);
        let Working::Rounds(rounds) = &o.working else { panic!("no rounds") };
        assert_eq!(rounds[0].tallies, vec![Rational::from(2u64), Rational::from(3u64), Rational::from(3u64)]);
        assert_eq!(rounds[2].exhausted, Rational::from(3u64));
    }
}
