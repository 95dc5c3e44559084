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
    paper_ballot_contents_stay_out_of_the_log_until_the_count_and_verify_checks_them,
);

/// Every event payload in the log, as text.
async fn log_text(store: &plenum_store::Store) -> String {
    use sqlx::Row;
    let rows = sqlx::query("SELECT payload FROM events ORDER BY seq").fetch_all(store.pool()).await.unwrap();
    rows.iter().map(|r| r.try_get::<String, _>("payload").unwrap()).collect::<Vec<_>>().join("\n")
}

async fn paper_ballot_contents_stay_out_of_the_log_until_the_count_and_verify_checks_them(db: &TestDb) {
    let store = &db.store;
    let (people, body, _) = assembly(store, 4).await;
    let (cycle, p) = cycle_in_vote(store, &people, &body).await;
    let c = cycle.as_str();
    let f = &people[0];
    for v in [&people[2], &people[3]] {
        store.execute(|s| s.appoint_paper_volunteer(&cycle, v, f, now())).await.unwrap();
    }
    let before = log_text(store).await;
    // Paper 1 names the district project only (p[2]); 2 is read differently, then resolved.
    store.enter_paper_ballot(&cycle, PaperNumber(1), approve(&[&p[2]]), &people[2], now()).await.unwrap();
    store.enter_paper_ballot(&cycle, PaperNumber(1), approve(&[&p[2]]), &people[3], now()).await.unwrap();
    store.enter_paper_ballot(&cycle, PaperNumber(2), approve(&[&p[2]]), &people[2], now()).await.unwrap();
    store.enter_paper_ballot(&cycle, PaperNumber(2), approve(&[&p[1]]), &people[3], now()).await.unwrap();
    store.resolve_paper_ballot(&cycle, PaperNumber(2), approve(&[&p[2]]), f, now()).await.unwrap();
    let log = log_text(store).await;
    let since = &log[before.len()..];
    assert!(since.contains("\"number\":1") && since.contains("\"number\":2"), "the log records the entries: {since}");
    for project in &p {
        assert!(!since.contains(project.as_str()), "paper ballot content in the log before the count: {since}");
    }
    // What they say is in the private box, not in the public read table.
    assert_eq!(count(store, "SELECT COUNT(*) FROM budget_paper_box WHERE cycle_id = $1", c).await, 5);
    assert_eq!(count(store, "SELECT COUNT(*) FROM budget_paper_entries WHERE cycle_id = $1", c).await, 5);
    // The state knows what they say (after a restart too): paper 1 agreed, 2 resolved.
    store.close().await;
    let store = db.reopen().await;
    let settled = store.read(|s| s.paper_ballots().of(&cycle).unwrap().unsettled()).await;
    assert_eq!(settled, 0);
    store.execute(|s| s.close_budget_vote(&cycle, now().plus_seconds(4 * DAY), [3; 32])).await.unwrap();
    let counted = store.read(|s| s.budgets().cycle(&cycle).unwrap().counted.clone().unwrap()).await;
    assert_eq!(counted.ballots.iter().filter(|b| b.paper.is_some()).count(), 2);
    assert!(log_text(&store).await[log.len()..].contains(p[2].as_str()), "the count publishes them on the board");
    assert!(store.verify().await.unwrap().is_ok());
    // A paper box rewritten after the count no longer matches the published board.
    sqlx::query("UPDATE budget_paper_box SET vote = $1 WHERE cycle_id = $2 AND number = 2 AND entry = 0")
        .bind(serde_json::to_string(&approve(&[&p[1]])).unwrap())
        .bind(c)
        .execute(store.pool())
        .await
        .unwrap();
    assert!(!store.verify().await.unwrap().is_ok(), "verify checks the published paper ballots against the box");
}

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
        store.enter_paper_ballot(&cycle, PaperNumber(number), vote, &people[who], now()).await.unwrap();
    }
    let again = store.enter_paper_ballot(&cycle, PaperNumber(1), approve(&[&p[1]]), &people[0], now()).await;
    assert!(matches!(again, Err(StoreError::Refused(Refusal::NotAPaperVolunteer))));
    assert_eq!(count(store, "SELECT COUNT(*) FROM budget_paper_entries WHERE cycle_id = $1 AND entry > 0", c).await, 4);
    assert_eq!(count(store, "SELECT COUNT(*) FROM budget_paper_volunteers WHERE cycle_id = $1", c).await, 2);
    let at = now().plus_seconds(4 * DAY);
    let early = store.execute(|s| s.close_budget_vote(&cycle, at, [3; 32])).await;
    assert!(matches!(early, Err(StoreError::Refused(Refusal::PaperBallotsUnsettled { count: 1 }))));
    store.resolve_paper_ballot(&cycle, PaperNumber(2), approve(&[&p[1]]), f, now()).await.unwrap();
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
        store.enter_paper_ballot(&cycle, PaperNumber(7), approve(&[&p[0]]), &people[who], now()).await.unwrap();
    }
    store.close().await;
    let store = db.reopen().await;
    store.execute(|s| s.appoint_paper_volunteer(&cycle, &people[3], f, now())).await.unwrap();
    let third = store.enter_paper_ballot(&cycle, PaperNumber(7), approve(&[&p[0]]), &people[3], now()).await;
    assert!(matches!(third, Err(StoreError::Refused(Refusal::PaperBallotEnteredTwice { number: 7 }))));
    store.execute(|s| s.close_budget_vote(&cycle, now().plus_seconds(4 * DAY), [3; 32])).await.unwrap();
    let counted = store.read(|s| s.budgets().cycle(&cycle).unwrap().counted.clone().unwrap()).await;
    assert_eq!(counted.ballots.len(), 1);
    assert_eq!(counted.ballots[0].paper, Some(PaperNumber(7)));
    assert_eq!(counted.result.ballots, 1);
    assert!(store.verify().await.unwrap().is_ok());
}
