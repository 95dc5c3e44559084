//! Unlinkable ballots through the store: the secret key stays in its private table, tokens are
//! issued once per member, ballots cast with tokens are sealed, published at close and
//! re-counted by `verify`; refusals write nothing.

use plenum_core::blind::{PublicKey, blind, finalize};
use plenum_core::voting_key::{generate_bits, key_hash, to_hex};
use plenum_core::{Choice, OpenPoll, PollId, Refusal, Secrecy, token_hash};
use plenum_store::{Store, StoreError};
use sqlx::Row;

use crate::engine::{TestDb, on_both_engines};
use crate::scenarios::{assembly, close, now, random};

/// A token blinded for `key`, and how to finish its signature.
fn blinded(key: &PublicKey, n: u8) -> (Vec<u8>, Vec<u8>, plenum_core::blind::Unblinder) {
    let token = vec![n; 32];
    let mut r = vec![n ^ 0x5a; key.modulus_len() - 1];
    r[0] = 1;
    let (blinded, unblinder) = blind(key, &token, &[n; 48], &r).unwrap();
    (token, blinded, unblinder)
}

async fn events_and_ballots(store: &Store) -> (i64, i64) {
    let events: i64 = sqlx::query("SELECT COUNT(*) FROM events").fetch_one(store.pool()).await.unwrap().get(0);
    let ballots: i64 = sqlx::query("SELECT COUNT(*) FROM ballot_box").fetch_one(store.pool()).await.unwrap().get(0);
    (events, ballots)
}

on_both_engines!(an_unlinkable_poll_issues_tokens_takes_ballots_by_token_and_verifies);

async fn an_unlinkable_poll_issues_tokens_takes_ballots_by_token_and_verifies(db: &TestDb) {
    let store = &db.store;
    let (people, _, motion) = assembly(store, 3).await;
    let secret = generate_bits([21; 32], 1024).unwrap();
    let key = secret.public().clone();
    let poll = PollId::parse("01968a3c-0000-7000-8000-0000000a0001").unwrap();
    let new =
        OpenPoll { poll: poll.clone(), motion, secrecy: Secrecy::Secret, opens_at: now(), closes_at: now().plus_seconds(3600) };
    store.open_unlinkable_poll(new, &secret, &people[0], now()).await.unwrap();

    // The public key and its hash are published; the secret exponent is only in the private table.
    let row = store.voting_key(&poll).await.unwrap().unwrap();
    assert_eq!((row.modulus.clone(), row.key_hash.clone()), (to_hex(&key.modulus()), key_hash(&key)));
    let d = to_hex(&secret.secret_exponent());
    let log: Vec<String> =
        sqlx::query("SELECT payload FROM events").fetch_all(store.pool()).await.unwrap().iter().map(|r| r.get(0)).collect();
    assert!(log.iter().any(|p| p.contains(&row.key_hash)));
    assert!(!log.iter().any(|p| p.contains(&d)), "the secret key is never in the log");

    let mut spent = Vec::new();
    for (i, person) in people.iter().enumerate() {
        let (token, blinded, unblinder) = blinded(&key, u8::try_from(i).unwrap() + 1);
        let answer = store.issue_voting_token(&poll, &blinded, person, now()).await.unwrap();
        let signature = finalize(&key, &token, &answer, &unblinder).unwrap();
        spent.push((token, signature));
    }
    let (_, again, _) = blinded(&key, 9);
    let second = store.issue_voting_token(&poll, &again, &people[1], now()).await;
    assert!(matches!(second, Err(StoreError::Refused(Refusal::TokenAlreadyIssued))), "{second:?}");

    let mut receipts = Vec::new();
    for ((token, signature), choice) in spent.iter().zip([Choice::Yes, Choice::No, Choice::Yes]) {
        let cast = store.cast_unlinkable_ballot(&poll, token, signature, choice, now(), random()).await.unwrap();
        receipts.push(cast.receipt.unwrap());
    }
    let before = events_and_ballots(store).await;
    let replay = store.cast_unlinkable_ballot(&poll, &spent[0].0, &spent[0].1, Choice::No, now(), random()).await;
    assert!(matches!(replay, Err(StoreError::Refused(Refusal::TokenAlreadyUsed))), "{replay:?}");
    let mut altered = spent[1].1.clone();
    altered[3] ^= 0x10;
    let forged = store.cast_unlinkable_ballot(&poll, &spent[1].0, &altered, Choice::No, now(), random()).await;
    assert!(matches!(forged, Err(StoreError::Refused(Refusal::BadTokenSignature))), "{forged:?}");
    assert_eq!(events_and_ballots(store).await, before, "refusals write nothing");

    let row = store.voting_key(&poll).await.unwrap().unwrap();
    assert_eq!((row.tokens_issued, row.tokens_spent), (3, 3));
    let hashes: Vec<String> = sqlx::query("SELECT token_hash FROM spent_tokens")
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(hashes.contains(&token_hash(&spent[2].0)));

    // Reopened before the close: the same state, sealed ballots and spent tokens included.
    let before = store.read(Clone::clone).await;
    let reopened = db.reopen().await;
    assert_eq!(reopened.read(Clone::clone).await, before);
    close(&reopened, &poll).await;
    let board = reopened.published_ballots(&poll).await.unwrap();
    assert_eq!(board.len(), 3);
    for receipt in &receipts {
        assert_eq!(board.iter().filter(|b| &b.receipt == receipt).count(), 1);
    }
    assert!(reopened.verify().await.unwrap().is_ok());
}

on_both_engines!(a_refused_opening_keeps_no_key_and_an_ordinary_poll_issues_no_token);

async fn a_refused_opening_keeps_no_key_and_an_ordinary_poll_issues_no_token(db: &TestDb) {
    let store = &db.store;
    let (people, _, motion) = assembly(store, 2).await;
    let secret = generate_bits([22; 32], 1024).unwrap();
    let poll = PollId::parse("01968a3c-0000-7000-8000-0000000a0002").unwrap();
    let new = OpenPoll {
        poll: poll.clone(),
        motion: motion.clone(),
        secrecy: Secrecy::Secret,
        opens_at: now(),
        closes_at: now().plus_seconds(3600),
    };
    // Not a facilitator.
    let refused = store.open_unlinkable_poll(new.clone(), &secret, &people[1], now()).await;
    assert!(matches!(refused, Err(StoreError::Refused(Refusal::NotAFacilitator))), "{refused:?}");
    let keys: i64 = sqlx::query("SELECT COUNT(*) FROM poll_signing_keys").fetch_one(store.pool()).await.unwrap().get(0);
    assert_eq!(keys, 0);

    let plain = crate::scenarios::poll(store, &motion, &people[0], Secrecy::Secret).await;
    let (_, blinded, _) = blinded(secret.public(), 3);
    let refused = store.issue_voting_token(&plain, &blinded, &people[1], now()).await;
    assert!(matches!(refused, Err(StoreError::Refused(Refusal::NotUnlinkable))), "{refused:?}");
}
