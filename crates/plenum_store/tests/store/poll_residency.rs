//! Polls open only to residents through the store, on both engines: the roll holds only members
//! with a valid credential of the area (from the minimum age), the rule is in its read table
//! and survives a replay; an unlinkable residents' poll gives tokens only to residents.

use plenum_core::credential::AgeBand;
use plenum_core::voting_key::generate_bits;
use plenum_core::{AccountId, Choice, EnrolResident, OpenPoll, PollId, Refusal, Secrecy, Title};
use plenum_store::{EnrolSecrets, PersonalData, Store, StoreError};
use sqlx::Row;

use crate::engine::{TestDb, on_both_engines};
use crate::scenarios::{assembly, now, random};

/// An assembly of four: the founder (facilitator and registrar, no credential), an adult
/// resident, a resident aged 16–17 and a member without a credential.
async fn residents(store: &Store) -> (Vec<AccountId>, plenum_core::MotionId) {
    let (people, body, motion) = assembly(store, 4).await;
    store.appoint_registrar(&people[0], now()).await.unwrap();
    for (who, age_band, seed, code) in
        [(1, AgeBand::Adult, 31, "RRRR-AAAA-1111-0001"), (2, AgeBand::From16To17, 32, "RRRR-AAAA-1111-0002")]
    {
        let enrol = EnrolResident { area: body.clone(), age_band, expires_at: now().plus_seconds(365 * 86_400) };
        let secrets = EnrolSecrets {
            key: [seed; 32],
            nonce: [seed; 24],
            claim_code: code.to_owned(),
            claim_expires_at: now().plus_seconds(86_400),
        };
        let person = PersonalData { name: Title::parse(&format!("Resident {who}")).unwrap() };
        store.enrol(enrol, &person, secrets, &people[0], now()).await.unwrap();
        store.claim_credential(code, &people[who], now()).await.unwrap();
    }
    (people, motion)
}

fn open(poll: &PollId, motion: &plenum_core::MotionId) -> OpenPoll {
    OpenPoll {
        poll: poll.clone(),
        motion: motion.clone(),
        secrecy: Secrecy::Open,
        opens_at: now(),
        closes_at: now().plus_seconds(3600),
    }
}

on_both_engines!(
    a_residents_poll_from_18_has_only_adult_residents_on_its_roll_and_replays,
    an_unlinkable_residents_poll_gives_tokens_only_to_residents,
);

async fn a_residents_poll_from_18_has_only_adult_residents_on_its_roll_and_replays(db: &TestDb) {
    let store = &db.store;
    let (people, motion) = residents(store).await;
    let poll = PollId::parse("01968a3c-0000-7000-8000-0000000b0001").unwrap();
    let head = store.log_head().await.unwrap();
    let refused = store.execute(|s| s.open_residents_poll(open(&poll, &motion), Some(18), None, &people[1], now())).await;
    assert!(matches!(refused, Err(StoreError::Refused(Refusal::NotAFacilitator))), "{refused:?}");
    assert_eq!(store.log_head().await.unwrap(), head, "a refusal writes nothing");

    store.execute(|s| s.open_residents_poll(open(&poll, &motion), Some(18), None, &people[0], now())).await.unwrap();
    let roll = store.read(|s| s.poll(&poll).unwrap().roll.iter().cloned().collect::<Vec<_>>()).await;
    assert_eq!(roll, [people[1].clone()]);
    let row = sqlx::query("SELECT min_age FROM poll_residency WHERE poll_id = $1")
        .bind(poll.as_str())
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(row.get::<Option<i64>, _>("min_age"), Some(18));
    let on_roll: i64 = sqlx::query("SELECT roll_size FROM polls WHERE id = $1")
        .bind(poll.as_str())
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!(on_roll, 1, "the read table counts the limited roll");

    store.cast_vote(&poll, Choice::Yes, &people[1], now(), random()).await.unwrap();
    for who in [2, 3] {
        let refused = store.cast_vote(&poll, Choice::No, &people[who], now(), random()).await;
        assert!(matches!(refused, Err(StoreError::Refused(Refusal::NotOnRoll))), "{who}: {refused:?}");
    }

    let reopened = db.reopen().await;
    assert_eq!(reopened.read(|s| s.poll_residency(&poll)).await, Some(Some(18)));
    assert_eq!(reopened.read(Clone::clone).await, store.read(Clone::clone).await);
    assert!(reopened.verify().await.unwrap().is_ok());
}

async fn an_unlinkable_residents_poll_gives_tokens_only_to_residents(db: &TestDb) {
    let store = &db.store;
    let (people, motion) = residents(store).await;
    let secret = generate_bits([41; 32], 1024).unwrap();
    let poll = PollId::parse("01968a3c-0000-7000-8000-0000000b0002").unwrap();
    store.open_unlinkable_poll_for(open(&poll, &motion), Some(None), &secret, &people[0], now()).await.unwrap();
    assert!(store.voting_key(&poll).await.unwrap().is_some());
    assert_eq!(store.read(|s| s.poll_residency(&poll)).await, Some(None));
    let mut roll = vec![people[1].clone(), people[2].clone()];
    roll.sort();
    assert_eq!(store.read(|s| s.poll(&poll).unwrap().roll.iter().cloned().collect::<Vec<_>>()).await, roll);
    let refused = store.issue_voting_token(&poll, &[7; 128], &people[3], now()).await;
    assert!(matches!(refused, Err(StoreError::Refused(Refusal::NotOnRoll))), "{refused:?}");

    // A refused opening (the motion is already being voted on) leaves no key behind.
    let other = PollId::parse("01968a3c-0000-7000-8000-0000000b0003").unwrap();
    let refused = store.open_unlinkable_poll_for(open(&other, &motion), Some(Some(18)), &secret, &people[0], now()).await;
    assert!(matches!(refused, Err(StoreError::Refused(Refusal::MotionNotOpen { .. }))), "{refused:?}");
    assert!(store.voting_key(&other).await.unwrap().is_none());
    let reopened = db.reopen().await;
    assert_eq!(reopened.read(Clone::clone).await, store.read(Clone::clone).await);
}
