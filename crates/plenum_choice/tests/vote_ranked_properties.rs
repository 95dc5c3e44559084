//! Properties of the ranked single-winner methods on small random profiles (with truncation and
//! ties): anonymity, neutrality where no tie was broken, Condorcet and majority winners, seat
//! counts, and the fast counts against one-ballot-at-a-time recounts.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly on broken fixtures")]

use plenum_choice::vote::{
    Alternative, Outcome, Pairwise, Rankings, TieBreak, TieOrder, Unranked, Working, borda, copeland, copeland_from, irv,
    plurality, ranked_pairs, ranked_pairs_from, schulze, schulze_from,
};
use proptest::prelude::*;

type Ballot = (u64, Vec<Vec<Alternative>>);
type Method = fn(&Rankings, usize, &TieOrder) -> Outcome;

const METHODS: [(&str, Method); 6] = [
    ("plurality", plurality),
    ("borda", borda),
    ("irv", irv),
    ("schulze", schulze),
    ("ranked_pairs", ranked_pairs),
    ("copeland", copeland),
];

/// A ranking of a random part of `m` alternatives, with some ties.
fn ballot(m: usize) -> impl Strategy<Value = Ballot> {
    (
        1u64..=3,
        Just((0..m).collect::<Vec<_>>()).prop_shuffle(),
        0..=m,
        prop::collection::vec(prop::bool::weighted(0.2), m),
        prop::bool::weighted(0.7),
    )
        .prop_map(move |(count, order, len, tied, complete)| {
            let len = if complete { m } else { len };
            let mut groups: Vec<Vec<Alternative>> = Vec::new();
            for (i, &a) in order[..len].iter().enumerate() {
                match groups.last_mut() {
                    Some(group) if tied[i] => group.push(a),
                    _ => groups.push(vec![a]),
                }
            }
            (count, groups)
        })
}

fn profile() -> impl Strategy<Value = (usize, Vec<Ballot>)> {
    (2usize..=5).prop_flat_map(|m| (Just(m), prop::collection::vec(ballot(m), 0..10)))
}

fn rankings(m: usize, ballots: &[Ballot]) -> Rankings {
    let mut r = Rankings::new(m).unwrap();
    for (count, groups) in ballots {
        r.push(*count, groups).unwrap();
    }
    r
}

fn order(m: usize) -> TieOrder {
    TieOrder::new(&TieBreak::AlternativeOrder, m)
}

/// IRV recounted from scratch every round, one ballot at a time.
fn irv_by_recount(r: &Rankings, tie: &TieOrder) -> Vec<Alternative> {
    let m = r.alternatives();
    let mut continuing = vec![true; m];
    let has_ties = r.has_ties();
    let mut eliminated = Vec::new();
    let mut ties = Vec::new();
    for round in 1.. {
        let mut tally = vec![0u64; m];
        let mut counting = 0;
        for b in r.iter() {
            if let Some(group) = b.groups().find(|g| g.iter().any(|&a| continuing[usize::from(a)])) {
                counting += b.count;
                for &a in group.iter().filter(|&&a| continuing[usize::from(a)]) {
                    tally[usize::from(a)] += b.count;
                }
            }
        }
        let left: Vec<Alternative> = (0..m).filter(|&a| continuing[a]).collect();
        if left.len() <= 1 {
            return left;
        }
        if !has_ties && let Some(&w) = left.iter().find(|&&a| 2 * tally[a] > counting) {
            return vec![w];
        }
        let fewest = left.iter().map(|&a| tally[a]).min().unwrap();
        let lowest: Vec<Alternative> = left.iter().copied().filter(|&a| tally[a] == fewest).collect();
        let out = tie.disfavour(&lowest, Some(round), String::new, &mut ties);
        continuing[out] = false;
        eliminated.push(out);
    }
    unreachable!()
}

/// The pairwise count made pair by pair.
fn support_by_pairs(ballots: &[Ballot], a: usize, b: usize, unranked: Unranked) -> u64 {
    ballots
        .iter()
        .filter(|(_, groups)| {
            let level = |x: usize| groups.iter().position(|g| g.contains(&x));
            match (level(a), level(b)) {
                (Some(la), Some(lb)) => la < lb,
                (Some(_), None) => unranked == Unranked::Last,
                _ => false,
            }
        })
        .map(|(c, _)| *c)
        .sum()
}

fn renamed(ballots: &[Ballot], sigma: &[Alternative]) -> Vec<Ballot> {
    ballots.iter().map(|(c, groups)| (*c, groups.iter().map(|g| g.iter().map(|&a| sigma[a]).collect()).collect())).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn the_pairwise_count_equals_counting_pair_by_pair((m, ballots) in profile()) {
        let r = rankings(m, &ballots);
        for unranked in [Unranked::Last, Unranked::NoOpinion] {
            let p = Pairwise::count(&r, unranked);
            for a in 0..m {
                for b in (0..m).filter(|&b| b != a) {
                    prop_assert_eq!(p.support(a, b), support_by_pairs(&ballots, a, b, unranked));
                }
            }
        }
    }

    #[test]
    fn irv_equals_a_recount_from_scratch_every_round((m, ballots) in profile(), reverse in any::<bool>()) {
        let r = rankings(m, &ballots);
        let tie = if reverse { TieOrder::new(&TieBreak::Priority((0..m).rev().collect()), m) } else { order(m) };
        prop_assert_eq!(irv(&r, 1, &tie).winners, irv_by_recount(&r, &tie));
    }

    #[test]
    fn outcomes_do_not_depend_on_the_order_or_grouping_of_ballots((m, ballots) in profile(), seats in 1usize..4) {
        let r = rankings(m, &ballots);
        let mut shuffled = ballots.clone();
        shuffled.reverse();
        // Every ballot cast one voter at a time.
        let singles: Vec<Ballot> =
            shuffled.iter().flat_map(|(c, g)| std::iter::repeat_n((1, g.clone()), *c as usize)).collect();
        let (r2, r3) = (rankings(m, &shuffled), rankings(m, &singles));
        for (name, method) in METHODS {
            let o = method(&r, seats, &order(m));
            prop_assert_eq!(&o, &method(&r2, seats, &order(m)), "{}", name);
            prop_assert_eq!(&o, &method(&r3, seats, &order(m)), "{}", name);
        }
    }

    #[test]
    fn renaming_the_alternatives_renames_the_outcome_when_no_tie_was_broken(
        (m, ballots, sigma) in profile().prop_flat_map(|(m, b)| (Just(m), Just(b), Just((0..m).collect::<Vec<_>>()).prop_shuffle()))
    ) {
        let r = rankings(m, &ballots);
        let r2 = rankings(m, &renamed(&ballots, &sigma));
        for (name, method) in METHODS {
            let o = method(&r, m, &order(m));
            if o.ties.is_empty() {
                let o2 = method(&r2, m, &order(m));
                let expected: Vec<Alternative> = o.winners.iter().map(|&a| sigma[a]).collect();
                prop_assert_eq!(o2.winners, expected, "{}", name);
                prop_assert!(o2.ties.is_empty(), "{}", name);
            }
        }
    }

    #[test]
    fn renaming_the_alternatives_renames_a_tie_for_the_win(
        (m, ballots, sigma) in profile().prop_flat_map(|(m, b)| (Just(m), Just(b), Just((0..m).collect::<Vec<_>>()).prop_shuffle()))
    ) {
        let r = rankings(m, &ballots);
        let r2 = rankings(m, &renamed(&ballots, &sigma));
        let methods: [Method; 4] = [plurality, borda, schulze, copeland];
        for method in methods {
            let tied = |o: Outcome| {
                let mut set = o.ties.first().map_or(o.winners, |t| t.tied.clone());
                set.sort_unstable();
                set
            };
            let mut expected: Vec<Alternative> = tied(method(&r, 1, &order(m))).iter().map(|&a| sigma[a]).collect();
            expected.sort_unstable();
            prop_assert_eq!(tied(method(&r2, 1, &order(m))), expected);
        }
    }

    #[test]
    fn a_condorcet_winner_wins_schulze_ranked_pairs_and_copeland((m, ballots) in profile()) {
        let r = rankings(m, &ballots);
        for unranked in [Unranked::Last, Unranked::NoOpinion] {
            let p = Pairwise::count(&r, unranked);
            if let Some(w) = p.condorcet_winner() {
                for o in [schulze_from(p.clone(), 1, &order(m)), copeland_from(p.clone(), 1, &order(m))] {
                    prop_assert_eq!(&o.winners, &vec![w]);
                    prop_assert!(o.ties.is_empty());
                }
                // Ranked Pairs reports the ties it broke lower down, but none involves the winner.
                let o = ranked_pairs_from(p.clone(), 1, &order(m));
                prop_assert_eq!(&o.winners, &vec![w]);
                prop_assert!(o.ties.iter().all(|t| !t.tied.contains(&w)));
            }
        }
    }

    #[test]
    fn a_majority_first_choice_wins_irv((m, ballots) in profile()) {
        let r = rankings(m, &ballots);
        let mut first = vec![0u64; m];
        for (c, groups) in &ballots {
            if let Some([a]) = groups.first().map(Vec::as_slice) {
                first[*a] += c;
            }
        }
        if let Some(w) = (0..m).find(|&a| 2 * first[a] > r.voters()) {
            prop_assert_eq!(irv(&r, 1, &order(m)).winners, vec![w]);
        }
    }

    #[test]
    fn there_are_never_more_winners_than_seats_and_never_one_twice((m, ballots) in profile(), seats in 0usize..7) {
        let r = rankings(m, &ballots);
        for (name, method) in METHODS {
            let o = method(&r, seats, &order(m));
            prop_assert_eq!(o.winners.len(), seats.min(m), "{}", name);
            let mut distinct = o.winners.clone();
            distinct.sort_unstable();
            distinct.dedup();
            prop_assert_eq!(distinct.len(), o.winners.len(), "{}", name);
            if let Working::Rounds(rounds) = &o.working {
                prop_assert!(!rounds.is_empty() || m == 0);
            }
        }
    }
}
