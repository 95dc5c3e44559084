//! Properties of the approval, graded and committee methods on random profiles: never more
//! winners than seats, anonymity, neutrality (relabelling the alternatives, and the tie order with
//! them, relabels the outcome), and justified representation for the proportional committees.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly on broken fixtures")]

use plenum_choice::vote::ballot::{Approvals, Grades};
use plenum_choice::vote::{Outcome, TieBreak, TieOrder, approval, committee, graded};
use proptest::prelude::*;

/// A profile as plain data: (count, grade per alternative or none), grades 0..=3; approval
/// ballots approve the alternatives graded 2 or more.
type Profile = Vec<(u64, Vec<Option<u32>>)>;

fn profiles() -> impl Strategy<Value = (usize, Profile)> {
    (2usize..7).prop_flat_map(|m| {
        (Just(m), prop::collection::vec((1u64..4, prop::collection::vec(prop::option::of(0u32..4), m)), 1..12))
    })
}

fn grades(m: usize, profile: &Profile) -> Grades {
    let mut g = Grades::new(m, 3).unwrap();
    for (count, row) in profile {
        g.push(*count, row).unwrap();
    }
    g
}

fn approvals(m: usize, profile: &Profile) -> Approvals {
    let mut a = Approvals::new(m).unwrap();
    for (count, row) in profile {
        let approved: Vec<usize> = (0..m).filter(|&x| row[x].is_some_and(|g| g >= 2)).collect();
        a.push(*count, &approved).unwrap();
    }
    a
}

/// Every method under test, by name, on a profile with a tie order.
fn outcomes(m: usize, profile: &Profile, seats: usize, tie: &TieOrder) -> Vec<(&'static str, Outcome)> {
    let g = grades(m, profile);
    let a = approvals(m, profile);
    vec![
        ("approval", approval::approval(&a, seats, tie)),
        ("score", graded::score(&g, seats, tie)),
        ("star", graded::star(&g, seats, tie)),
        ("majority judgment", graded::majority_judgment(&g, seats, tie)),
        ("phragmen", committee::phragmen(&a, seats, tie)),
        ("equal shares", committee::equal_shares(&a, seats, tie)),
    ]
}

proptest! {
    #[test]
    fn no_method_elects_more_than_the_seats((m, profile) in profiles(), seats in 1usize..5) {
        let tie = TieOrder::new(&TieBreak::AlternativeOrder, m);
        for (name, outcome) in outcomes(m, &profile, seats, &tie) {
            prop_assert!(outcome.winners.len() <= seats, "{name}: {:?}", outcome.winners);
            let mut distinct = outcome.winners.clone();
            distinct.sort_unstable();
            distinct.dedup();
            prop_assert_eq!(distinct.len(), outcome.winners.len(), "{} elected someone twice", name);
        }
    }

    #[test]
    fn the_order_of_the_ballots_does_not_matter((m, profile) in profiles(), seats in 1usize..4, rotate in 0usize..12) {
        let tie = TieOrder::new(&TieBreak::AlternativeOrder, m);
        let mut shuffled = profile.clone();
        let k = rotate % shuffled.len();
        shuffled.rotate_left(k);
        shuffled.reverse();
        for ((name, a), (_, b)) in outcomes(m, &profile, seats, &tie).into_iter().zip(outcomes(m, &shuffled, seats, &tie)) {
            prop_assert_eq!(a.winners, b.winners, "{}", name);
        }
    }

    #[test]
    fn relabelling_the_alternatives_relabels_the_outcome((m, profile) in profiles(), seats in 1usize..4, seed in any::<u64>()) {
        // A permutation from the seed, applied to ballots and tie order alike.
        let mut perm: Vec<usize> = (0..m).collect();
        let mut s = seed;
        for i in (1..m).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            perm.swap(i, (s >> 33) as usize % (i + 1));
        }
        let relabelled: Profile = profile
            .iter()
            .map(|(count, row)| {
                let mut new = vec![None; m];
                for (a, &g) in row.iter().enumerate() {
                    new[perm[a]] = g;
                }
                (*count, new)
            })
            .collect();
        let tie = TieOrder::new(&TieBreak::AlternativeOrder, m);
        let tie_relabelled = TieOrder::new(&TieBreak::Priority(perm.clone()), m);
        for ((name, a), (_, b)) in outcomes(m, &profile, seats, &tie).into_iter().zip(outcomes(m, &relabelled, seats, &tie_relabelled)) {
            let mapped: Vec<usize> = a.winners.iter().map(|&w| perm[w]).collect();
            prop_assert_eq!(mapped, b.winners, "{}", name);
        }
    }

    #[test]
    fn a_cohesive_group_of_a_quota_of_voters_is_represented((m, profile) in profiles(), seats in 1usize..4) {
        // Justified representation: if at least n/k voters all approve some alternative and none
        // of them approves a winner, the committee is not proportional.
        let a = approvals(m, &profile);
        let n = a.voters();
        let tie = TieOrder::new(&TieBreak::AlternativeOrder, m);
        for outcome in [committee::phragmen(&a, seats, &tie), committee::equal_shares(&a, seats, &tie)] {
            if outcome.winners.len() < seats {
                continue;
            }
            for c in 0..m {
                let unrepresented: u64 = a
                    .iter()
                    .filter(|b| b.approved.contains(&(c as u16)) && !b.approved.iter().any(|&x| outcome.winners.contains(&usize::from(x))))
                    .map(|b| b.count)
                    .sum();
                prop_assert!(unrepresented * (seats as u64) < n, "{unrepresented} voters approving {c} have no one: {:?}", outcome.winners);
            }
        }
    }
}
