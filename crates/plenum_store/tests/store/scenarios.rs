//! Appending, reading, voting and reopening.

use std::sync::atomic::{AtomicU64, Ordering};

use plenum_core::{
    AccountId, BallotRandomness, BodyId, BodySlug, Choice, CreateBody, DisplayName, FileMotion, Instant, MotionId, MotionKind,
    OpenPoll, PollId, Prose, Refusal, Secrecy, Title,
};
use plenum_store::{NewAccount, Session, Store, StoreError, chain_hash};
use sqlx::Row;

use crate::engine::{TestDb, on_both_engines};

static NEXT: AtomicU64 = AtomicU64::new(1);

fn id() -> String {
    format!("01968a3c-0000-7000-8000-{:012x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

pub fn now() -> Instant {
    Instant::parse("2025-05-01T18:00:00Z").unwrap()
}

pub fn random() -> BallotRandomness {
    let n = NEXT.fetch_add(1, Ordering::Relaxed).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut ballot_id = [7u8; 16];
    ballot_id[..8].copy_from_slice(&n.to_le_bytes());
    let mut receipt = [3u8; 10];
    receipt[2..].copy_from_slice(&n.to_be_bytes());
    BallotRandomness { ballot_id, receipt }
}

pub async fn account(store: &Store, name: &str) -> AccountId {
    let id = AccountId::parse(&id()).unwrap();
    let new = NewAccount {
        id: id.clone(),
        login: format!("{}-{}", name.to_lowercase(), id.as_str()),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        display_name: DisplayName::parse(name).unwrap(),
    };
    store.register_account(new, now()).await.unwrap();
    id
}

/// An assembly founded by the first of `n` residents, all members, with a policy motion.
pub async fn assembly(store: &Store, n: usize) -> (Vec<AccountId>, BodyId, MotionId) {
    let mut people = Vec::new();
    for i in 0..n {
        people.push(account(store, &format!("Resident{i}")).await);
    }
    let body = BodyId::parse(&id()).unwrap();
    let slug = BodySlug::parse(&format!("barrio-{}", &id()[24..])).unwrap();
    let new = CreateBody { body: body.clone(), slug, name: Title::parse("Barrio Assembly").unwrap(), charter: None };
    store.execute(|s| s.create_body(new, &people[0], now())).await.unwrap();
    for p in &people[1..] {
        store.execute(|s| s.join(&body, p, now())).await.unwrap();
    }
    let motion = MotionId::parse(&id()).unwrap();
    let file = FileMotion {
        motion: motion.clone(),
        body: body.clone(),
        kind: MotionKind::Policy,
        title: Title::parse("Open the library on Sundays").unwrap(),
        text: Prose::parse("The assembly asks for Sunday opening hours.").unwrap(),
        proposed_charter: None,
    };
    store.execute(|s| s.file_motion(file, &people[0], now())).await.unwrap();
    (people, body, motion)
}

pub async fn poll(store: &Store, motion: &MotionId, by: &AccountId, secrecy: Secrecy) -> PollId {
    let poll = PollId::parse(&id()).unwrap();
    let new =
        OpenPoll { poll: poll.clone(), motion: motion.clone(), secrecy, opens_at: now(), closes_at: now().plus_seconds(3600) };
    store.execute(|s| s.open_poll(new, by, now())).await.unwrap();
    poll
}

pub async fn close(store: &Store, poll: &PollId) {
    store.execute(|s| s.close_poll(poll, now().plus_seconds(3600), [9; 32])).await.unwrap();
}

on_both_engines!(
    a_fresh_store_has_an_empty_log,
    commands_append_hash_chained_events_and_feed_the_read_tables,
    a_refused_command_writes_nothing,
    a_secret_poll_keeps_ballots_out_of_the_log_and_publishes_them_at_close,
    an_open_poll_records_who_voted_what,
    reopening_rebuilds_the_same_state_sealed_ballots_included,
    logins_are_unique_and_sessions_expire,
);

async fn a_fresh_store_has_an_empty_log(db: &TestDb) {
    let head = db.store.log_head().await.unwrap();
    assert_eq!((head.count, head.hash.as_str()), (0, "0".repeat(64).as_str()));
    assert!(db.store.events_after(0, 10).await.unwrap().is_empty());
    assert!(db.store.verify().await.unwrap().is_ok());
}

async fn commands_append_hash_chained_events_and_feed_the_read_tables(db: &TestDb) {
    let store = &db.store;
    let (people, body, motion) = assembly(store, 3).await;
    // 3 registrations, the body, 2 joins, the motion.
    let head = store.log_head().await.unwrap();
    assert_eq!(head.count, 7);
    let first = store.events_after(0, 4).await.unwrap();
    let rest = store.events_after(4, 100).await.unwrap();
    assert_eq!((first.len(), rest.len()), (4, 3));
    let mut prev = "0".repeat(64);
    for entry in first.iter().chain(&rest) {
        assert_eq!(entry.prev_hash, prev);
        assert_eq!(entry.hash, chain_hash(&entry.prev_hash, &entry.payload));
        assert_eq!(entry.event().unwrap().kind(), entry.kind);
        prev = entry.hash.clone();
    }
    assert_eq!(prev, head.hash);
    assert_eq!(rest[0].kind, "membership_granted");

    let bodies = store.bodies().await.unwrap();
    assert_eq!(bodies.len(), 1);
    assert_eq!((bodies[0].id.clone(), bodies[0].members), (body.clone(), 3));
    assert_eq!(store.body_by_slug(&bodies[0].slug).await.unwrap().unwrap().id, body);
    let members = store.members(&body).await.unwrap();
    assert_eq!(members.iter().filter(|m| m.role == "facilitator").count(), 1);
    let motions = store.motions_of(&body).await.unwrap();
    assert_eq!((motions[0].id.clone(), motions[0].status.as_str()), (motion.clone(), "open"));
    assert_eq!(store.motion(&motion).await.unwrap().unwrap().mover, people[0]);
    assert!(store.verify().await.unwrap().is_ok());
}

async fn a_refused_command_writes_nothing(db: &TestDb) {
    let store = &db.store;
    let (people, body, _) = assembly(store, 2).await;
    let before = store.log_head().await.unwrap();
    let refused = store.execute(|s| s.join(&body, &people[1], now())).await;
    assert!(matches!(refused, Err(StoreError::Refused(Refusal::AlreadyAMember))));
    assert_eq!(store.log_head().await.unwrap(), before);
}

async fn a_secret_poll_keeps_ballots_out_of_the_log_and_publishes_them_at_close(db: &TestDb) {
    let store = &db.store;
    let (people, _, motion) = assembly(store, 4).await;
    let poll = poll(store, &motion, &people[0], Secrecy::Secret).await;
    let mut receipts = Vec::new();
    for (p, choice) in people.iter().zip([Choice::Yes, Choice::Yes, Choice::No, Choice::Yes]) {
        let cast = store.cast_vote(&poll, choice, p, now(), random()).await.unwrap();
        receipts.push(cast.receipt.unwrap());
    }
    let again = store.cast_vote(&poll, Choice::No, &people[1], now(), random()).await;
    assert!(matches!(again, Err(StoreError::Refused(Refusal::AlreadyVoted))));
    let outsider = account(store, "Olga").await;
    let outside = store.cast_vote(&poll, Choice::No, &outsider, now(), random()).await;
    assert!(matches!(outside, Err(StoreError::Refused(Refusal::NotAMember))));

    let log = store.events_after(0, 1000).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.kind == "roll_marked").count(), 4);
    assert!(log.iter().all(|e| !e.payload.contains("\"yes\"") && !e.payload.contains("receipt")));
    let sealed: i64 = sqlx::query("SELECT COUNT(*) AS n FROM ballot_box WHERE position IS NULL")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    assert_eq!(sealed, 4);
    assert!(store.published_ballots(&poll).await.unwrap().is_empty());
    assert!(store.ballot_by_receipt(&poll, &receipts[0]).await.unwrap().is_none());
    assert_eq!(store.poll(&poll).await.unwrap().unwrap().voted, 4);

    close(store, &poll).await;
    let row = store.poll(&poll).await.unwrap().unwrap();
    let result = row.result.unwrap();
    assert_eq!((result.yes, result.no, result.passed), (3, 1, true));
    let board = store.published_ballots(&poll).await.unwrap();
    assert_eq!(board.len(), 4);
    for receipt in &receipts {
        assert_eq!(&store.ballot_by_receipt(&poll, receipt).await.unwrap().unwrap().receipt, receipt);
    }
    assert_eq!(store.motion(&motion).await.unwrap().unwrap().status, "passed");
    let verified = store.verify().await.unwrap();
    assert!(verified.is_ok(), "{verified:?}");
    assert_eq!(verified.polls, 1);
}

async fn an_open_poll_records_who_voted_what(db: &TestDb) {
    let store = &db.store;
    let (people, _, motion) = assembly(store, 3).await;
    let poll = poll(store, &motion, &people[0], Secrecy::Open).await;
    store.cast_vote(&poll, Choice::No, &people[1], now(), random()).await.unwrap();
    store.cast_vote(&poll, Choice::No, &people[2], now(), random()).await.unwrap();
    let late = store.cast_vote(&poll, Choice::Yes, &people[0], now().plus_seconds(3600), random()).await;
    assert!(matches!(late, Err(StoreError::Refused(Refusal::VotingOver { .. }))));
    let votes: Vec<(String, String)> = sqlx::query("SELECT member_id, choice FROM open_votes ORDER BY member_id")
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| (r.try_get("member_id").unwrap(), r.try_get("choice").unwrap()))
        .collect();
    assert_eq!(votes, [(people[1].to_string(), "no".to_owned()), (people[2].to_string(), "no".to_owned())]);
    close(store, &poll).await;
    assert!(!store.poll(&poll).await.unwrap().unwrap().result.unwrap().passed);
    assert!(store.verify().await.unwrap().is_ok());
}

async fn reopening_rebuilds_the_same_state_sealed_ballots_included(db: &TestDb) {
    let store = &db.store;
    let (people, _, motion) = assembly(store, 3).await;
    let poll = poll(store, &motion, &people[0], Secrecy::Secret).await;
    store.cast_vote(&poll, Choice::Yes, &people[1], now(), random()).await.unwrap();
    let before = store.read(Clone::clone).await;
    store.close().await;
    let reopened = db.reopen().await;
    assert_eq!(reopened.read(Clone::clone).await, before);
    assert_eq!(reopened.read(|s| s.poll(&poll).unwrap().sealed.len()).await, 1);
    // And it goes on from where it was.
    reopened.cast_vote(&poll, Choice::No, &people[2], now(), random()).await.unwrap();
    close(&reopened, &poll).await;
    assert!(reopened.verify().await.unwrap().is_ok());
}

async fn logins_are_unique_and_sessions_expire(db: &TestDb) {
    let store = &db.store;
    let ana = account(store, "Ana").await;
    let login = store.credentials(&format!("ana-{}", ana.as_str())).await.unwrap().unwrap();
    assert_eq!(login.0, ana);
    let twin = NewAccount {
        id: AccountId::parse(&id()).unwrap(),
        login: format!("ana-{}", ana.as_str()),
        password_hash: "x".to_owned(),
        display_name: DisplayName::parse("Ana Two").unwrap(),
    };
    let head = store.log_head().await.unwrap();
    assert!(matches!(store.register_account(twin, now()).await, Err(StoreError::LoginTaken { .. })));
    assert_eq!(store.log_head().await.unwrap(), head);

    let session =
        Session { token_hash: "h1".to_owned(), account: ana.clone(), created_at: now(), expires_at: now().plus_seconds(60) };
    store.create_session(&session).await.unwrap();
    assert_eq!(store.session_account("h1", now()).await.unwrap(), Some(ana));
    assert_eq!(store.session_account("h1", now().plus_seconds(60)).await.unwrap(), None);
    assert_eq!(store.purge_sessions(now().plus_seconds(61)).await.unwrap(), 1);
    store.end_session("h1").await.unwrap();
}
