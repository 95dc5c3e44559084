//! Paper ballots in the store: entered twice, resolved, counted once in the same tally as the
//! online ballots, in the read tables and through `verify`, on both engines.

use plenum_core::{PaperNumber, Refusal};
use plenum_store::StoreError;

use crate::budget::{approve, count, cycle_in_vote};
use crate::engine::{TestDb, on_both_engines};
use crate::scenarios::{assembly, now, random};

const DAY: i64 = 86_400;

on_both_engines!(
    paper_ballots_entered_twice_are_counted_once_with_the_online_ballots,
    a_reopened_store_keeps_paper_entries_and_counts_each_number_once,
);

async fn paper_ballots_entered_twice_are_counted_once_with_the_online_ballots(db: &TestDb) {
    let store = &db.store;
    let (people, body, _) = assembly(store, 4).await;
    let (cycle, p) = cycle_in_vote(store, &people, &body).await;
    let c = cycle.as_str();
    let f = &people[0];
    for v in [&people[2], &people[3]] {
        store.execute(|s| s.appoint_paper_volunteer(&cycle, v, f, now())).await.unwrap();
    }
    store.cast_budget_ballot(&cycle, approve(&[&p[0]]), &people[1], now(), random()).await.unwrap();
    // Paper 1 agrees; paper 2 does not until a facilitator resolves it.
    let entries = [
        (1, 2, approve(&[&p[1], &p[2]])),
        (1, 3, approve(&[&p[2], &p[1]])),
        (2, 2, approve(&[&p[1]])),
        (2, 3, approve(&[&p[0]])),
    ];
    for (number, who, vote) in entries {
        store.execute(|s| s.enter_paper_ballot(&cycle, PaperNumber(number), vote, &people[who], now())).await.unwrap();
    }
    let again = store.execute(|s| s.enter_paper_ballot(&cycle, PaperNumber(1), approve(&[&p[1]]), &people[0], now())).await;
    assert!(matches!(again, Err(StoreError::Refused(Refusal::NotAPaperVolunteer))));
    assert_eq!(count(store, "SELECT COUNT(*) FROM budget_paper_entries WHERE cycle_id = $1 AND entry > 0", c).await, 4);
    assert_eq!(count(store, "SELECT COUNT(*) FROM budget_paper_volunteers WHERE cycle_id = $1", c).await, 2);
    let at = now().plus_seconds(4 * DAY);
    let early = store.execute(|s| s.close_budget_vote(&cycle, at, [3; 32])).await;
    assert!(matches!(early, Err(StoreError::Refused(Refusal::PaperBallotsUnsettled { count: 1 }))));
    store.execute(|s| s.resolve_paper_ballot(&cycle, PaperNumber(2), approve(&[&p[1]]), f, now())).await.unwrap();
    assert_eq!(count(store, "SELECT COUNT(*) FROM budget_paper_entries WHERE cycle_id = $1 AND entry = 0", c).await, 1);
    store.execute(|s| s.close_budget_vote(&cycle, at, [3; 32])).await.unwrap();
    // One online ballot and two paper ballots, each number once.
    assert_eq!(count(store, "SELECT ballots FROM budget_results WHERE cycle_id = $1", c).await, 3);
    let counted = store.read(|s| s.budgets().cycle(&cycle).unwrap().counted.clone().unwrap()).await;
    assert_eq!(counted.ballots.iter().filter(|b| b.paper.is_some()).count(), 2);
    // Library (400) has both paper ballots, Park (600) the online one: the city pot of 700
    // funds Library first.
    assert!(counted.result.is_funded(&p[1]));
    assert!(store.verify().await.unwrap().is_ok());
    let before = store.read(Clone::clone).await;
    store.close().await;
    assert_eq!(db.reopen().await.read(Clone::clone).await, before);
}

async fn a_reopened_store_keeps_paper_entries_and_counts_each_number_once(db: &TestDb) {
    let store = &db.store;
    let (people, body, _) = assembly(store, 4).await;
    let (cycle, p) = cycle_in_vote(store, &people, &body).await;
    let f = &people[0];
    for v in [&people[1], &people[2]] {
        store.execute(|s| s.appoint_paper_volunteer(&cycle, v, f, now())).await.unwrap();
    }
    for who in [1, 2] {
        store.execute(|s| s.enter_paper_ballot(&cycle, PaperNumber(7), approve(&[&p[0]]), &people[who], now())).await.unwrap();
    }
    store.close().await;
    let store = db.reopen().await;
    store.execute(|s| s.appoint_paper_volunteer(&cycle, &people[3], f, now())).await.unwrap();
    let third = store.execute(|s| s.enter_paper_ballot(&cycle, PaperNumber(7), approve(&[&p[0]]), &people[3], now())).await;
    assert!(matches!(third, Err(StoreError::Refused(Refusal::PaperBallotEnteredTwice { number: 7 }))));
    store.execute(|s| s.close_budget_vote(&cycle, now().plus_seconds(4 * DAY), [3; 32])).await.unwrap();
    let counted = store.read(|s| s.budgets().cycle(&cycle).unwrap().counted.clone().unwrap()).await;
    assert_eq!(counted.ballots.len(), 1);
    assert_eq!(counted.ballots[0].paper, Some(PaperNumber(7)));
    assert_eq!(counted.result.ballots, 1);
    assert!(store.verify().await.unwrap().is_ok());
}
