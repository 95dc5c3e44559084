//! Group commit: concurrent votes share transactions, and nothing is lost, doubled or
//! half-written on the way.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use plenum_core::{
    AccountId, BallotId, BallotRandomness, BodyId, Choice, DisplayName, Event, PollId, ReceiptCode, Refusal, Secrecy,
};
use plenum_store::{Engine, Store, StoreError};
use sqlx::{Executor, Row};
use tokio::task::JoinSet;

use crate::engine::{TestDb, on_both_engines};
use crate::scenarios::{account, assembly, close, now, poll, random};

on_both_engines!(
    two_hundred_concurrent_voters_are_each_stored_exactly_once_and_the_chain_verifies,
    a_double_vote_racing_in_the_same_batch_is_refused,
    a_refusal_in_a_batch_does_not_affect_the_others,
    a_failed_batch_fails_every_caller_in_it_and_the_state_equals_the_database,
    durability_settings_hold_on_every_pooled_connection,
    events_that_do_not_fit_are_not_queued_and_the_pending_state_is_rebuilt,
);

/// Casts one ballot per `(voter, randomness)` pair, all at once, each in its own task.
async fn cast_all(
    store: &Arc<Store>,
    poll: &PollId,
    votes: Vec<(AccountId, BallotRandomness)>,
) -> Vec<(AccountId, BallotRandomness, Result<Option<ReceiptCode>, StoreError>)> {
    let mut tasks = JoinSet::new();
    for (i, (voter, randomness)) in votes.into_iter().enumerate() {
        let (store, poll) = (Arc::clone(store), poll.clone());
        let choice = if i % 3 == 0 { Choice::No } else { Choice::Yes };
        tasks.spawn(async move {
            let cast = store.cast_vote(&poll, choice, &voter, now(), randomness).await;
            (voter, randomness, cast.map(|c| c.receipt))
        });
    }
    tasks.join_all().await
}

async fn count(store: &Store, sql: &str, poll: &PollId) -> i64 {
    sqlx::query(sql).bind(poll.as_str()).fetch_one(store.pool()).await.unwrap().try_get("n").unwrap()
}

async fn stored_receipts(store: &Store, poll: &PollId) -> Vec<String> {
    sqlx::query("SELECT receipt FROM ballot_box WHERE poll_id = $1")
        .bind(poll.as_str())
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("receipt").unwrap())
        .collect()
}

/// The state in memory equals the state a fresh store rebuilds from the database.
async fn assert_state_equals_database(db: &TestDb) {
    let fresh = Store::open(&db.url).await.unwrap();
    let rebuilt = fresh.read(Clone::clone).await;
    assert!(db.store.read(|memory| *memory == rebuilt).await, "memory and database differ");
    fresh.close().await;
}

async fn two_hundred_concurrent_voters_are_each_stored_exactly_once_and_the_chain_verifies(db: &TestDb) {
    let store = &db.store;
    let (people, _, motion) = assembly(store, 200).await;
    let poll = poll(store, &motion, &people[0], Secrecy::Secret).await;
    let before = store.write_stats();
    let votes = people.iter().map(|p| (p.clone(), random())).collect();
    let results = cast_all(store, &poll, votes).await;

    let receipts: Vec<String> = results.iter().map(|(_, _, r)| r.as_ref().unwrap().clone().unwrap().to_string()).collect();
    let stored = stored_receipts(store, &poll).await;
    assert_eq!(stored.len(), 200);
    assert_eq!(stored.iter().collect::<HashSet<_>>(), receipts.iter().collect::<HashSet<_>>());
    assert_eq!(count(store, "SELECT COUNT(*) AS n FROM roll WHERE poll_id = $1 AND voted = 1", &poll).await, 200);
    assert_eq!(count(store, "SELECT voted AS n FROM polls WHERE id = $1", &poll).await, 200);
    let after = store.write_stats();
    assert_eq!(after.commands - before.commands, 200);
    // Group commit did group: fewer transactions than ballots.
    assert!(after.batches - before.batches < 200, "{before:?} → {after:?}");
    assert!(store.verify().await.unwrap().is_ok());
    assert_state_equals_database(db).await;

    close(store, &poll).await;
    let result = store.poll(&poll).await.unwrap().unwrap().result.unwrap();
    assert_eq!((result.yes, result.no), (133, 67));
    let verified = store.verify().await.unwrap();
    assert!(verified.is_ok(), "{verified:?}");
}

async fn a_double_vote_racing_in_the_same_batch_is_refused(db: &TestDb) {
    let store = &db.store;
    let (people, _, motion) = assembly(store, 50).await;
    let poll = poll(store, &motion, &people[0], Secrecy::Secret).await;
    // Every member tries twice, the two attempts side by side in the queue.
    let votes = people.iter().flat_map(|p| [(p.clone(), random()), (p.clone(), random())]).collect();
    let results = cast_all(store, &poll, votes).await;
    for p in &people {
        let mine: Vec<_> = results.iter().filter(|(v, _, _)| v == p).map(|(_, _, r)| r).collect();
        assert_eq!(mine.iter().filter(|r| r.is_ok()).count(), 1);
        assert!(mine.iter().any(|r| matches!(r, Err(StoreError::Refused(Refusal::AlreadyVoted)))));
    }
    assert_eq!(stored_receipts(store, &poll).await.len(), 50);
    assert_eq!(count(store, "SELECT voted AS n FROM polls WHERE id = $1", &poll).await, 50);
    assert!(store.verify().await.unwrap().is_ok());
    assert_state_equals_database(db).await;
}

async fn a_refusal_in_a_batch_does_not_affect_the_others(db: &TestDb) {
    let store = &db.store;
    let (people, _, motion) = assembly(store, 40).await;
    let poll = poll(store, &motion, &people[0], Secrecy::Secret).await;
    let mut outsiders = Vec::new();
    for i in 0..20 {
        outsiders.push(account(store, &format!("Outsider{i}")).await);
    }
    // Members and outsiders interleaved, so refusals fall between accepted votes.
    let votes = people.iter().zip(outsiders.iter().cycle()).flat_map(|(p, o)| [(p.clone(), random()), (o.clone(), random())]);
    let results = cast_all(store, &poll, votes.collect()).await;
    for (voter, _, result) in &results {
        if people.contains(voter) {
            assert!(result.is_ok(), "{result:?}");
        } else {
            assert!(matches!(result, Err(StoreError::Refused(Refusal::NotAMember))), "{result:?}");
        }
    }
    assert_eq!(stored_receipts(store, &poll).await.len(), 40);
    assert!(store.verify().await.unwrap().is_ok());
    assert_state_equals_database(db).await;
}

/// Holds the lock on the ballot box from another connection, so that the writer's next
/// transaction waits at its first sealed ballot while more votes queue up behind it.
async fn lock_ballot_box(store: &Store) -> sqlx::pool::PoolConnection<sqlx::Any> {
    let mut conn = store.pool().acquire().await.unwrap();
    match store.engine() {
        Engine::Sqlite => {
            conn.execute("BEGIN IMMEDIATE").await.unwrap();
        }
        Engine::Postgres => {
            conn.execute("BEGIN").await.unwrap();
            conn.execute("LOCK TABLE ballot_box IN EXCLUSIVE MODE").await.unwrap();
        }
    }
    conn
}

async fn a_failed_batch_fails_every_caller_in_it_and_the_state_equals_the_database(db: &TestDb) {
    let store = &db.store;
    let (people, _, motion) = assembly(store, 21).await;
    let poll = poll(store, &motion, &people[0], Secrecy::Secret).await;
    // A ballot id that is already in the box, put there behind the store's back: the write
    // of the vote drawing it fails on the primary key, and with it the whole batch.
    let clash = random();
    let clash_id = clash.ballot_id;
    sqlx::query("INSERT INTO ballot_box (ballot_id, poll_id, receipt, choice, position) VALUES ($1, $2, $3, 'yes', NULL)")
        .bind(BallotId::from_random(clash.ballot_id).as_str())
        .bind(poll.as_str())
        .bind(ReceiptCode::from_random([1; 10]).as_str())
        .execute(store.pool())
        .await
        .unwrap();

    let mut lock = lock_ballot_box(store).await;
    // The first vote starts a transaction that waits for the lock...
    let first = {
        let (store, poll, voter) = (Arc::clone(store), poll.clone(), people[0].clone());
        tokio::spawn(async move { store.cast_vote(&poll, Choice::Yes, &voter, now(), random()).await })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    // ...while twenty more queue up, the clashing one among them: they make the next batch.
    let mut votes: Vec<_> = people[1..].iter().map(|p| (p.clone(), random())).collect();
    votes[7].1 = clash;
    let rest = {
        let (store, poll) = (Arc::clone(store), poll.clone());
        tokio::spawn(async move { cast_all(&store, &poll, votes).await })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    conn_rollback(&mut lock).await;
    drop(lock);

    let first = first.await.unwrap();
    assert!(first.is_ok(), "{first:?}");
    let rest = rest.await.unwrap();
    for (_, _, result) in &rest {
        assert!(matches!(result, Err(StoreError::WriteFailed(_))), "{result:?}");
    }
    // Only the first vote and the intruder are in the box; nobody else is marked.
    assert_eq!(stored_receipts(store, &poll).await.len(), 2);
    assert_eq!(count(store, "SELECT COUNT(*) AS n FROM roll WHERE poll_id = $1 AND voted = 1", &poll).await, 1);
    assert_state_equals_database(db).await;
    assert!(store.read(|s| s.poll(&poll).is_some_and(|p| p.voted.len() == 1)).await);

    // The failed voters were not marked, so they can vote now.
    let again = cast_all(store, &poll, people[1..4].iter().map(|p| (p.clone(), random())).collect()).await;
    assert!(again.iter().all(|(_, _, r)| r.is_ok()), "{again:?}");
    assert_state_equals_database(db).await;
    // verify sees the intruder (a ballot without a roll mark); without it, all is well.
    assert!(store.verify().await.unwrap().problem.unwrap().what.contains("does not match its roll"));
    sqlx::query("DELETE FROM ballot_box WHERE ballot_id = $1")
        .bind(BallotId::from_random(clash_id).as_str())
        .execute(store.pool())
        .await
        .unwrap();
    let verified = store.verify().await.unwrap();
    assert!(verified.is_ok(), "{verified:?}");
}

async fn conn_rollback(conn: &mut sqlx::pool::PoolConnection<sqlx::Any>) {
    conn.execute("ROLLBACK").await.unwrap();
}

async fn durability_settings_hold_on_every_pooled_connection(db: &TestDb) {
    let store = &db.store;
    // Take as many connections as the pool gives at once, so none is checked twice.
    let mut conns = Vec::new();
    while let Ok(Ok(conn)) = tokio::time::timeout(Duration::from_millis(500), store.pool().acquire()).await {
        conns.push(conn);
    }
    assert!(conns.len() >= 2, "only {} connections", conns.len());
    for conn in &mut conns {
        match store.engine() {
            Engine::Sqlite => {
                let mode: String = conn.fetch_one("PRAGMA journal_mode").await.unwrap().try_get(0).unwrap();
                let sync: i64 = conn.fetch_one("PRAGMA synchronous").await.unwrap().try_get(0).unwrap();
                let keys: i64 = conn.fetch_one("PRAGMA foreign_keys").await.unwrap().try_get(0).unwrap();
                assert_eq!((mode.as_str(), sync, keys), ("wal", 2, 1), "2 is FULL");
            }
            Engine::Postgres => {
                let commit: String = conn.fetch_one("SHOW synchronous_commit").await.unwrap().try_get(0).unwrap();
                assert_eq!(commit, "on");
            }
        }
    }
}

async fn events_that_do_not_fit_are_not_queued_and_the_pending_state_is_rebuilt(db: &TestDb) {
    let store = &db.store;
    let (people, _, motion) = assembly(store, 3).await;
    let poll = poll(store, &motion, &people[0], Secrecy::Secret).await;
    let head = store.log_head().await.unwrap();
    let newcomer = AccountId::parse("01968a3c-0000-7000-8000-ffff00000001").unwrap();
    let nowhere = BodyId::parse("01968a3c-0000-7000-8000-ffff00000002").unwrap();
    let registered =
        Event::ResidentRegistered { resident: newcomer.clone(), display_name: DisplayName::parse("Nadia").unwrap(), at: now() };
    // The first event fits, the second names no body: the first was applied to the pending
    // state before the second failed, so that state is rebuilt and nothing is written.
    let granted = Event::MembershipGranted { body: nowhere, resident: newcomer.clone(), approved_by: None, at: now() };
    assert!(matches!(store.append(vec![registered, granted]).await, Err(StoreError::Replay(_))));
    assert_eq!(store.log_head().await.unwrap(), head);
    assert_state_equals_database(db).await;
    // The pending state forgot the half-applied registration: it is not refused as a duplicate.
    store.execute(|s| s.register_resident(newcomer.clone(), DisplayName::parse("Nadia").unwrap(), now())).await.unwrap();
    store.cast_vote(&poll, Choice::Yes, &people[1], now(), random()).await.unwrap();
    assert_state_equals_database(db).await;
    assert!(store.verify().await.unwrap().is_ok());
}
