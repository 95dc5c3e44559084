//! `verify` finds what was altered behind the store's back, and names it.

use plenum_core::{Choice, Secrecy};

use crate::engine::{TestDb, on_both_engines};
use crate::scenarios::{assembly, close, now, poll, random};

on_both_engines!(
    editing_an_event_payload_makes_verify_name_that_event,
    changing_a_stored_ballot_makes_verify_fail_at_the_poll_closing,
    deleting_an_event_makes_verify_name_the_gap,
);

async fn editing_an_event_payload_makes_verify_name_that_event(db: &TestDb) {
    let store = &db.store;
    assembly(store, 3).await;
    assert!(store.verify().await.unwrap().is_ok());
    sqlx::query("UPDATE events SET payload = replace(payload, 'Resident1', 'Mallory') WHERE seq = 2")
        .execute(store.pool())
        .await
        .unwrap();
    let verified = store.verify().await.unwrap();
    let problem = verified.problem.unwrap();
    assert_eq!((problem.seq, problem.kind.as_deref()), (Some(2), Some("resident_registered")));
    assert!(problem.what.contains("altered"), "{}", problem.what);
    assert_eq!(verified.events, 1);
}

async fn changing_a_stored_ballot_makes_verify_fail_at_the_poll_closing(db: &TestDb) {
    let store = &db.store;
    let (people, _, motion) = assembly(store, 3).await;
    let poll = poll(store, &motion, &people[0], Secrecy::Secret).await;
    for p in &people {
        store.cast_vote(&poll, Choice::Yes, p, now(), random()).await.unwrap();
    }
    close(store, &poll).await;
    let closing = store.log_head().await.unwrap().count;
    sqlx::query("UPDATE ballot_box SET choice = 'no' WHERE position = 0").execute(store.pool()).await.unwrap();
    let problem = store.verify().await.unwrap().problem.unwrap();
    assert_eq!((problem.seq, problem.kind.as_deref()), (Some(closing), Some("poll_closed")));
}

async fn deleting_an_event_makes_verify_name_the_gap(db: &TestDb) {
    let store = &db.store;
    assembly(store, 2).await;
    sqlx::query("DELETE FROM events WHERE seq = 3").execute(store.pool()).await.unwrap();
    let problem = store.verify().await.unwrap().problem.unwrap();
    assert_eq!(problem.seq, Some(4));
    assert!(problem.what.contains("expected event 3"), "{}", problem.what);
}
