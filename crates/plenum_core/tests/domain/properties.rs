//! Properties of voting, over random sequences of attempts.

use plenum_core::{Choice, MotionKind, Refusal, Secrecy};
use proptest::prelude::*;

use crate::world::World;

fn choice() -> impl Strategy<Value = Choice> {
    prop_oneof![Just(Choice::Yes), Just(Choice::No), Just(Choice::Abstain)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Members (and outsiders) try to vote, some more than once, some outside the window:
    /// nobody is ever counted twice, the roll count equals the number of ballots, the result
    /// adds up, and replaying the log gives the same state.
    #[test]
    fn nobody_votes_twice_and_the_roll_always_matches_the_ballots(
        members in 1usize..8,
        secret in any::<bool>(),
        attempts in prop::collection::vec((0usize..10, choice(), -2i64..3), 0..40),
        seed in any::<[u8; 32]>(),
    ) {
        let mut w = World::new();
        let ana = w.resident("Ana");
        let body = w.assembly("old-town", &ana, None);
        let mut people = vec![ana.clone()];
        for i in 1..members {
            let m = w.resident(&format!("M{i}"));
            w.join(&body, &m);
            people.push(m);
        }
        while people.len() < 10 {
            let outsider = w.resident("Outsider");
            people.push(outsider);
        }
        let motion = w.motion(&body, &ana, MotionKind::Policy, None);
        let poll = w.poll(&motion, &ana, if secret { Secrecy::Secret } else { Secrecy::Open });
        let (opens, closes) = {
            let p = w.state.poll(&poll).unwrap();
            (p.opens_at, p.closes_at)
        };
        let mut accepted = std::collections::BTreeSet::new();
        for (who, choice, when) in attempts {
            // -2, -1: before opening; 0, 1: inside; 2: at the deadline.
            let at = match when {
                -2 | -1 => opens.plus_seconds(when),
                2 => closes,
                n => opens.plus_seconds(n * 60),
            };
            let random = w.random();
            match w.state.cast_vote(&poll, choice, &people[who], at, random) {
                Ok(cast) => {
                    prop_assert!(accepted.insert(who), "voted twice");
                    prop_assert!(who < members && (0..=1).contains(&when));
                    w.commit_cast(cast);
                }
                Err(Refusal::AlreadyVoted) => prop_assert!(accepted.contains(&who)),
                Err(Refusal::NotAMember) => prop_assert!(who >= members),
                Err(Refusal::PollNotOpenYet { .. }) => prop_assert!(when < 0),
                Err(Refusal::VotingOver { .. }) => prop_assert_eq!(when, 2),
                Err(other) => prop_assert!(false, "unexpected refusal {other}"),
            }
            let p = w.state.poll(&poll).unwrap();
            let ballots = if secret { p.sealed.len() } else { p.votes.len() };
            prop_assert_eq!(p.voted.len(), ballots);
            prop_assert_eq!(p.voted.len(), accepted.len());
        }
        prop_assert_eq!(&w.replayed(), &w.state);

        let events = w.state.close_poll(&poll, closes, seed);
        w.commit(events);
        let p = w.state.poll(&poll).unwrap();
        let closed = p.closed.as_ref().unwrap();
        let r = &closed.result;
        prop_assert_eq!(r.yes + r.no + r.abstain, accepted.len() as u64);
        prop_assert_eq!(r.online, accepted.len() as u64);
        prop_assert_eq!(closed.ballots.len(), if secret { accepted.len() } else { 0 });
        prop_assert_eq!(&w.replayed(), &w.state);
    }
}
