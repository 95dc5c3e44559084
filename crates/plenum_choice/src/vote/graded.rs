//! Methods on graded ballots: score voting, STAR and majority judgment.
//!
//! A ballot gives each alternative a grade from 0 to the profile's highest grade. An alternative
//! a ballot leaves ungraded counts as grade 0 (the lowest: "reject"), as STAR Voting's rules and
//! majority judgment's usual practice say; so every alternative is judged by every ballot.
//! Several seats are filled one after another: the method runs again without those already
//! elected (bloc STAR; for score and majority judgment this is the same as taking the top of
//! the method's order).

use std::cmp::Ordering;

use super::ballot::{Alternative, Grades};
use super::tie::{Tie, TieOrder};
use super::{Outcome, Scores, Working};
use crate::rational::Rational;

/// Score voting: the highest total grade wins.
#[must_use]
pub fn score(grades: &Grades, seats: usize, tie: &TieOrder) -> Outcome {
    let totals = totals(grades);
    let mut ties = Vec::new();
    let winners = tie.top(&totals, seats, |t| format!("total score {t}"), &mut ties);
    Outcome {
        winners,
        ties,
        working: Working::Scores(Scores { counts: "total score", scores: totals.into_iter().map(Rational::from).collect() }),
    }
}

/// Each alternative's total grade.
fn totals(grades: &Grades) -> Vec<u128> {
    let mut totals = vec![0u128; grades.alternatives()];
    for ballot in grades.iter() {
        for (a, total) in totals.iter_mut().enumerate() {
            *total += u128::from(ballot.grade(a).unwrap_or(0)) * u128::from(ballot.count);
        }
    }
    totals
}

/// The working of STAR (Score Then Automatic Runoff), one entry per seat filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarRound {
    /// Total scores of the alternatives still in the running (0 for the others).
    pub totals: Vec<Rational>,
    /// The two highest-scoring alternatives.
    pub finalists: [Alternative; 2],
    /// How many voters graded each finalist above the other.
    pub preferring: [u64; 2],
    /// How many voters graded them equally.
    pub equal: u64,
    pub winner: Alternative,
}

/// STAR voting: the two highest total scores go to a runoff, which the finalist graded higher by
/// more voters wins. Ties (STAR Voting's official order): for a finalist place, the tie order;
/// in the runoff, the higher total score, then the tie order. With one alternative left it wins
/// alone.
#[must_use]
pub fn star(grades: &Grades, seats: usize, tie: &TieOrder) -> Outcome {
    let m = grades.alternatives();
    let all_totals = totals(grades);
    let mut running = vec![true; m];
    let mut winners = Vec::new();
    let mut ties = Vec::new();
    let mut rounds = Vec::new();
    while winners.len() < seats.min(m) {
        let round = Some(winners.len() + 1);
        let keys: Vec<Option<u128>> = (0..m).map(|a| running[a].then_some(all_totals[a])).collect();
        let mut round_ties = Vec::new();
        let finalists = match (0..m).filter(|&a| running[a]).collect::<Vec<_>>()[..] {
            // Those out of the running have no score (`None`, below every score), so with two or
            // more running both finalists are running.
            [only] => vec![only],
            _ => tie.top(&keys, 2, |t| format!("total score {}", t.unwrap_or(0)), &mut round_ties),
        };
        ties.extend(round_ties.into_iter().map(|t| Tie { round, ..t }));
        let winner = match finalists[..] {
            [only] => only,
            [a, b] => {
                let (prefer_a, prefer_b, equal) = runoff(grades, a, b);
                let winner = match prefer_a.cmp(&prefer_b).then(all_totals[a].cmp(&all_totals[b])) {
                    Ordering::Greater => a,
                    Ordering::Less => b,
                    Ordering::Equal => {
                        tie.favour(&[a, b], round, || format!("runoff: {prefer_a} voters each, equal total scores"), &mut ties)
                    }
                };
                rounds.push(StarRound {
                    totals: keys.iter().map(|k| Rational::from(k.unwrap_or(0))).collect(),
                    finalists: [a, b],
                    preferring: [prefer_a, prefer_b],
                    equal,
                    winner,
                });
                winner
            }
            _ => break,
        };
        running[winner] = false;
        winners.push(winner);
    }
    Outcome { winners, ties, working: Working::Star(rounds) }
}

/// Voters grading `a` above `b`, `b` above `a`, and both equally.
fn runoff(grades: &Grades, a: Alternative, b: Alternative) -> (u64, u64, u64) {
    let (mut above, mut below, mut equal) = (0, 0, 0);
    for ballot in grades.iter() {
        match ballot.grade(a).unwrap_or(0).cmp(&ballot.grade(b).unwrap_or(0)) {
            Ordering::Greater => above += ballot.count,
            Ordering::Less => below += ballot.count,
            Ordering::Equal => equal += ballot.count,
        }
    }
    (above, below, equal)
}

/// The working of majority judgment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgment {
    /// For each alternative, how many voters gave it each grade (index = grade).
    pub grade_counts: Vec<Vec<u64>>,
    /// Each alternative's majority grade (the lower median).
    pub majority_grades: Vec<u32>,
}

/// Majority judgment (Balinski and Laraki): the alternative with the highest majority grade (the
/// lower median) wins; between alternatives with the same majority grade, one vote at the
/// majority grade is taken away from each and the majority grades compared again, and so on
/// (the order of the medians removed one by one is compared lexicographically). Alternatives
/// with identical grade counts are tied, broken by the tie order.
#[must_use]
pub fn majority_judgment(grades: &Grades, seats: usize, tie: &TieOrder) -> Outcome {
    let m = grades.alternatives();
    let levels = grades.max_grade() as usize + 1;
    let mut grade_counts = vec![vec![0u64; levels]; m];
    for ballot in grades.iter() {
        for (a, counts) in grade_counts.iter_mut().enumerate() {
            counts[ballot.grade(a).unwrap_or(0) as usize] += ballot.count;
        }
    }
    let voters = grades.voters();
    let profiles: Vec<Sorted> = grade_counts.iter().map(|c| Sorted::new(c)).collect();
    let majority_grades: Vec<u32> = profiles.iter().map(|p| p.at(voters.saturating_sub(1) / 2)).collect();
    let keys: Vec<Judged> = profiles.iter().map(|sorted| Judged { sorted, voters }).collect();
    let mut ties = Vec::new();
    let winners = tie.top(&keys, seats, |k| format!("the same grades (majority grade {})", k.majority_grade()), &mut ties);
    Outcome { winners, ties, working: Working::MajorityJudgment(Judgment { grade_counts, majority_grades }) }
}

/// An alternative's grades in ascending order, as runs of equal grades.
#[derive(Debug)]
struct Sorted {
    /// `(grade, end)`: positions before `end` (and from the previous run's end) hold `grade`.
    runs: Vec<(u32, u64)>,
}

impl Sorted {
    fn new(counts: &[u64]) -> Sorted {
        let mut end = 0;
        let runs = counts
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c > 0)
            .map(|(g, &c)| {
                end += c;
                (g as u32, end)
            })
            .collect();
        Sorted { runs }
    }

    /// The grade at position `p` (from 0).
    fn at(&self, p: u64) -> u32 {
        let run = self.runs.partition_point(|&(_, end)| end <= p);
        self.runs.get(run).map_or(0, |&(g, _)| g)
    }

    /// The run holding position `p`: its grade and its first and last positions.
    fn run(&self, p: u64) -> (u32, u64, u64) {
        let run = self.runs.partition_point(|&(_, end)| end <= p);
        let start = if run == 0 { 0 } else { self.runs[run - 1].1 };
        self.runs.get(run).map_or((0, 0, 0), |&(g, end)| (g, start, end - 1))
    }
}

/// An alternative as majority judgment orders it.
#[derive(Debug)]
struct Judged<'a> {
    sorted: &'a Sorted,
    voters: u64,
}

impl Judged<'_> {
    fn majority_grade(&self) -> u32 {
        self.sorted.at(self.voters.saturating_sub(1) / 2)
    }
}

impl PartialEq for Judged<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Judged<'_> {}

impl PartialOrd for Judged<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Judged<'_> {
    /// Removing the lower median again and again from `n` sorted grades takes position
    /// `m = (n − 1) / 2`, then, for j = 1, 2, …, positions `m − j` and `m + j` (odd `n`: `m − j`
    /// first; even `n`: `m + j` first). Both alternatives have `n` grades, so their sequences
    /// are compared position by position; the first difference decides. Each side (below and
    /// above the median) is monotone, so the first difference on each side is found run by run.
    fn cmp(&self, other: &Self) -> Ordering {
        let n = self.voters;
        if n == 0 {
            return Ordering::Equal;
        }
        let m = (n - 1) / 2;
        let (a, b) = (self.sorted, other.sorted);
        let first = a.at(m).cmp(&b.at(m));
        if first != Ordering::Equal {
            return first;
        }
        // The first j ≥ 1 where the grades at m − j differ, and where those at m + j differ.
        let below = first_difference(a, b, m, true, m);
        let above = first_difference(a, b, m, false, n - 1 - m);
        // Step at which each is removed: odd n removes m − j at step 2j − 1, m + j at 2j.
        let step = |j: u64, below_side: bool| if (n % 2 == 1) == below_side { 2 * j - 1 } else { 2 * j };
        match (below, above) {
            (None, None) => Ordering::Equal,
            (Some((_, o)), None) | (None, Some((_, o))) => o,
            (Some((jb, ob)), Some((ja, oa))) => {
                if step(jb, true) < step(ja, false) {
                    ob
                } else {
                    oa
                }
            }
        }
    }
}

/// Walks away from the median position `m` (down when `descending`), `count` positions at
/// most, in both alternatives' sorted grades a run at a time; returns the first distance j
/// (1-based) at which the grades differ, and how `a` compares with `b` there.
fn first_difference(a: &Sorted, b: &Sorted, m: u64, descending: bool, count: u64) -> Option<(u64, Ordering)> {
    if count == 0 {
        return None;
    }
    let mut p = if descending { m - 1 } else { m + 1 };
    let mut j = 1;
    loop {
        let (ga, sa, ea) = a.run(p);
        let (gb, sb, eb) = b.run(p);
        if ga != gb {
            return Some((j, ga.cmp(&gb)));
        }
        // Both grades hold until the nearer run boundary in the direction of travel.
        let skip = if descending { (p - sa).min(p - sb) } else { (ea - p).min(eb - p) } + 1;
        j += skip;
        if j > count {
            return None;
        }
        p = if descending { p - skip } else { p + skip };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vote::tie::TieBreak;

    fn grades(max: u32, ballots: &[(u64, &[u32])]) -> Grades {
        let m = ballots[0].1.len();
        let mut g = Grades::new(m, max).unwrap();
        for (count, row) in ballots {
            g.push(*count, &row.iter().map(|&x| Some(x)).collect::<Vec<_>>()).unwrap();
        }
        g
    }

    fn order() -> TieOrder {
        TieOrder::new(&TieBreak::AlternativeOrder, 8)
    }

    #[test]
    fn score_voting_elects_the_highest_total() {
        let g = grades(5, &[(2, &[5, 0, 4]), (1, &[0, 5, 3])]);
        assert_eq!(score(&g, 1, &order()).winners, vec![2]);
        assert_eq!(score(&g, 3, &order()).winners, vec![2, 0, 1]);
    }

    #[test]
    fn star_runoff_can_overturn_the_scoring_round() {
        // A has the highest total, but more voters prefer B to A.
        let g = grades(5, &[(2, &[5, 0, 0]), (3, &[0, 1, 0])]);
        let outcome = star(&g, 1, &order());
        assert_eq!(outcome.winners, vec![1]);
        let Working::Star(rounds) = &outcome.working else { panic!() };
        assert_eq!(rounds[0].finalists, [0, 1]);
        assert_eq!(rounds[0].preferring, [2, 3]);
    }

    #[test]
    fn a_star_runoff_tie_goes_to_the_higher_total() {
        let g = grades(5, &[(1, &[5, 0]), (1, &[0, 4])]);
        assert_eq!(star(&g, 1, &order()).winners, vec![0]);
    }

    #[test]
    fn majority_judgment_elects_the_best_median() {
        let g = grades(4, &[(2, &[4, 2]), (3, &[1, 2])]);
        assert_eq!(majority_judgment(&g, 1, &order()).winners, vec![1]);
    }

    #[test]
    fn majority_judgment_breaks_equal_medians_by_removing_medians() {
        // Both have median 2; removing medians, A's next is 3 (above), B's is 1 (below).
        // A: 0 2 2 3 4 -> 2, then 2 (pos 1), 3 ... ; B: 1 1 2 4 4 -> 2, then 1.
        let mut g = Grades::new(2, 4).unwrap();
        for (a, b) in [(0, 1), (2, 1), (2, 2), (3, 4), (4, 4)] {
            g.push(1, &[Some(a), Some(b)]).unwrap();
        }
        assert_eq!(majority_judgment(&g, 2, &order()).winners, vec![0, 1]);
    }

    /// The definition, one vote at a time.
    fn medians_removed(mut sorted: Vec<u32>) -> Vec<u32> {
        let mut out = Vec::new();
        while !sorted.is_empty() {
            out.push(sorted.remove((sorted.len() - 1) / 2));
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn majority_judgment_orders_as_removing_medians_one_by_one(
            rows in proptest::collection::vec(proptest::collection::vec(0u32..4, 3), 1..12)
        ) {
            let mut g = Grades::new(3, 3).unwrap();
            for row in &rows {
                g.push(1, &row.iter().map(|&x| Some(x)).collect::<Vec<_>>()).unwrap();
            }
            let outcome = majority_judgment(&g, 3, &order());
            let sequences: Vec<Vec<u32>> = (0..3).map(|a| {
                let mut column: Vec<u32> = rows.iter().map(|r| r[a]).collect();
                column.sort_unstable();
                medians_removed(column)
            }).collect();
            let mut expected: Vec<usize> = (0..3).collect();
            expected.sort_by(|&a, &b| sequences[b].cmp(&sequences[a]).then(a.cmp(&b)));
            proptest::prop_assert_eq!(outcome.winners, expected);
        }
    }
}
