//! The confederation through the store: council, elected and drawn delegations, a mandate, a
//! vote against it, the recall that follows, ratification; the read tables; `verify` repeats
//! every draw and recounts every election, and names a draw whose outcome was rewritten.

use plenum_core::{
    AccountId, AnnounceDraw, BodyId, BodySlug, Choice, Combine, CreateBody, CreateCouncil, DelegationRules, DrawId,
    ElectDelegates, Event, Hex32, MotionId, MotionKind, NonDecider, OpenPoll, OpenRatification, PollId, RatificationId,
    RatificationRule, RatificationSubject, RecallStage, SeatRule, Secrecy, SeekMandate, Title,
};
use plenum_store::{Store, chain_hash};
use sqlx::Row;

use crate::engine::{TestDb, on_both_engines};
use crate::scenarios::{account, assembly, now, random};

on_both_engines!(
    a_confederation_is_stored_projected_and_verified,
    verify_repeats_every_draw_and_names_a_rewritten_one,
    terms_that_end_on_their_date_are_stored_and_replayed,
);

fn id() -> String {
    // A range apart from the other scenarios' counter.
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0x00c0_0000_0000);
    format!("01968a3c-0000-7000-8000-{:012x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

fn seed() -> Hex32 {
    Hex32::from_bytes([5; 32])
}

async fn close_at(store: &Store, poll: &PollId) {
    let closes_at = store.read(|s| s.poll(poll).unwrap().closes_at).await;
    store.execute(|s| s.close_poll(poll, closes_at, [9; 32])).await.unwrap();
}

async fn count(store: &Store, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(store.pool()).await.unwrap().get::<i64, _>(0)
}

struct Confed {
    clerk: AccountId,
    council: BodyId,
    north: (Vec<AccountId>, BodyId),
    south: (Vec<AccountId>, BodyId),
    draw: DrawId,
}

/// Two assemblies and their council: north elects two delegates, south draws two by lot and
/// recalls on a vote against the mandate.
async fn confederation(store: &Store) -> Confed {
    let clerk = account(store, "Clerk").await;
    let (nm, north, _) = assembly(store, 5).await;
    let (sm, south, _) = assembly(store, 6).await;
    let council = BodyId::parse(&id()).unwrap();
    let mut drawn = DelegationRules::drawn();
    drawn.recall_on_deviation = true;
    let new = CreateCouncil {
        body: CreateBody {
            body: council.clone(),
            slug: BodySlug::parse(&format!("council-{}", &id()[24..])).unwrap(),
            name: Title::parse("City Council").unwrap(),
            charter: None,
        },
        constituents: vec![(north.clone(), DelegationRules::elected()), (south.clone(), drawn)],
        seats: SeatRule::ByMembership { total: 4 },
        ratification: RatificationRule { combine: Combine::DoubleMajority, non_decider: NonDecider::No },
    };
    store.execute(|s| s.create_council(new, &clerk, now())).await.unwrap();
    let elect = ElectDelegates {
        council: council.clone(),
        constituent: north.clone(),
        candidates: nm[1..4].to_vec(),
        ballots: vec![vec![nm[1].clone()], vec![nm[2].clone()], vec![nm[1].clone(), nm[3].clone()], vec![nm[2].clone()]],
        term_ends: now().plus_seconds(365 * 86_400),
    };
    store.execute(|s| s.elect_delegates(elect, &nm[0], now())).await.unwrap();
    let draw = DrawId::parse(&id()).unwrap();
    let announce = AnnounceDraw {
        draw: draw.clone(),
        council: council.clone(),
        constituent: south.clone(),
        commitment: seed().commitment(),
        volunteers_close_at: now().plus_seconds(600),
        quotas: vec![],
        term_ends: now().plus_seconds(365 * 86_400),
    };
    store.execute(|s| s.announce_draw(announce, &sm[0], now())).await.unwrap();
    for m in &sm[1..6] {
        store.execute(|s| s.volunteer(&draw, None, m, now())).await.unwrap();
    }
    store.execute(|s| s.hold_draw(&draw, seed(), &sm[0], now().plus_seconds(600))).await.unwrap();
    Confed { clerk, council, north: (nm, north), south: (sm, south), draw }
}

async fn a_confederation_is_stored_projected_and_verified(db: &TestDb) {
    let store = &db.store;
    let c = confederation(store).await;
    let (nm, sm) = (&c.north.0, &c.south.0);
    assert_eq!(count(store, "SELECT CAST(SUM(seats) AS BIGINT) FROM council_constituents").await, 4);
    assert_eq!(count(store, "SELECT COUNT(*) FROM delegate_seats WHERE ended_at IS NULL").await, 4);
    let south_delegates: Vec<AccountId> =
        store.read(|s| s.delegation(&c.council, &c.south.1).unwrap().current().map(|s| s.delegate.clone()).collect()).await;

    // A council item, south's mandate (yes), the council's vote with a deviation.
    let item = MotionId::parse(&id()).unwrap();
    let file = plenum_core::FileMotion {
        motion: item.clone(),
        body: c.council.clone(),
        kind: MotionKind::Policy,
        title: Title::parse("A night bus").unwrap(),
        text: plenum_core::Prose::parse("The council proposes a night bus.").unwrap(),
        proposed_charter: None,
    };
    store.execute(|s| s.file_motion(file, &nm[1], now())).await.unwrap();
    let (mandate_motion, mandate_poll) = (MotionId::parse(&id()).unwrap(), PollId::parse(&id()).unwrap());
    let seek = SeekMandate {
        council_motion: item.clone(),
        constituent: c.south.1.clone(),
        motion: mandate_motion,
        poll: mandate_poll.clone(),
        secrecy: Secrecy::Secret,
        closes_at: now().plus_seconds(3600),
    };
    store.execute(|s| s.seek_mandate(seek, &sm[0], now())).await.unwrap();
    for m in sm {
        store.cast_vote(&mandate_poll, Choice::Yes, m, now(), random()).await.unwrap();
    }
    close_at(store, &mandate_poll).await;
    let row = sqlx::query("SELECT decided, mandate FROM mandates").fetch_one(store.pool()).await.unwrap();
    assert_eq!((row.get::<i64, _>(0), row.get::<Option<String>, _>(1)), (1, Some("yes".to_owned())));

    let council_poll = PollId::parse(&id()).unwrap();
    let open = OpenPoll {
        poll: council_poll.clone(),
        motion: item.clone(),
        secrecy: Secrecy::Open,
        opens_at: now(),
        closes_at: now().plus_seconds(7200),
    };
    store.execute(|s| s.open_poll(open, &c.clerk, now())).await.unwrap();
    store.cast_vote(&council_poll, Choice::Yes, &nm[1], now(), random()).await.unwrap();
    store.cast_vote(&council_poll, Choice::Yes, &nm[2], now(), random()).await.unwrap();
    store.cast_vote(&council_poll, Choice::No, &south_delegates[0], now(), random()).await.unwrap();
    assert_eq!(count(store, "SELECT COUNT(*) FROM mandate_deviations").await, 1);
    assert_eq!(count(store, "SELECT COUNT(*) FROM recalls WHERE started_by IS NULL").await, 1);
    close_at(store, &council_poll).await;
    assert!(!store.read(|s| s.policy_in_effect(&item)).await);

    // The petition: a quarter of 6 is 1.5, so two signatures open the poll; it passes.
    let recall = store.read(|s| s.recalls().next().unwrap().id.clone()).await;
    for m in &sm[..2] {
        let ids = (MotionId::parse(&id()).unwrap(), PollId::parse(&id()).unwrap());
        store.execute(|s| s.sign_recall(&recall, ids, m, now())).await.unwrap();
    }
    let RecallStage::Polling { poll: recall_poll } = store.read(|s| s.recall(&recall).unwrap().stage.clone()).await else {
        panic!("the recall poll should be open")
    };
    for m in sm {
        store.cast_vote(&recall_poll, Choice::Yes, m, now(), random()).await.unwrap();
    }
    close_at(store, &recall_poll).await;
    assert_eq!(count(store, "SELECT COUNT(*) FROM recalls WHERE stage = 'recalled'").await, 1);
    assert_eq!(count(store, "SELECT COUNT(*) FROM delegate_seats WHERE ended_reason = 'recalled'").await, 1);
    assert_eq!(count(store, "SELECT COUNT(*) FROM delegate_seats WHERE ended_at IS NULL").await, 4, "the seat is redrawn");
    let council_members = count(store, &format!("SELECT COUNT(*) FROM memberships WHERE body_id = '{}'", c.council)).await;
    assert_eq!(council_members, store.read(|s| s.body(&c.council).unwrap().members.len() as i64).await);

    // Ratification by both assemblies.
    let rid = RatificationId::parse(&id()).unwrap();
    let ids: Vec<(MotionId, PollId)> = (0..2).map(|_| (MotionId::parse(&id()).unwrap(), PollId::parse(&id()).unwrap())).collect();
    let open = OpenRatification {
        ratification: rid.clone(),
        subject: RatificationSubject::Motion { motion: item.clone() },
        closes_at: now().plus_seconds(86_400),
        ids: ids.clone(),
    };
    store.execute(|s| s.open_ratification(open, &c.clerk, now())).await.unwrap();
    for (people, (_, poll)) in [nm, sm].into_iter().zip(&ids) {
        for m in people {
            store.cast_vote(poll, Choice::Yes, m, now(), random()).await.unwrap();
        }
    }
    for (_, poll) in &ids {
        close_at(store, poll).await;
    }
    assert!(store.read(|s| s.policy_in_effect(&item)).await);
    assert_eq!(count(store, "SELECT COUNT(*) FROM ratifications WHERE ratified = 1").await, 1);
    assert_eq!(count(store, "SELECT COUNT(*) FROM ratification_results WHERE decision = 'yes'").await, 2);

    let verified = store.verify().await.unwrap();
    assert!(verified.is_ok(), "{:?}", verified.problem);
    assert_eq!((verified.draws, verified.elections), (2, 1), "the draw, the redraw, the election");
    let before = store.read(Clone::clone).await;
    let reopened = db.reopen().await;
    assert_eq!(reopened.read(Clone::clone).await, before);
}

async fn verify_repeats_every_draw_and_names_a_rewritten_one(db: &TestDb) {
    let store = &db.store;
    let c = confederation(store).await;
    assert!(store.verify().await.unwrap().is_ok());
    // Someone with access to the database swaps who was drawn and rebuilds the hash chain, so
    // that only repeating the draw can tell.
    let drawn = store.read(|s| s.draw(&c.draw).unwrap().held.clone().unwrap().1).await;
    let outsider = c.south.0.iter().find(|m| !drawn.contains(m) && *m != &c.south.0[0]).unwrap().clone();
    let rows = sqlx::query("SELECT seq, payload FROM events ORDER BY seq").fetch_all(store.pool()).await.unwrap();
    let mut prev = "0".repeat(64);
    let mut held_at = None;
    for row in rows {
        let (seq, mut payload): (i64, String) = (row.get(0), row.get(1));
        if let Ok(Event::DrawHeld { .. }) = serde_json::from_str::<Event>(&payload) {
            payload = payload.replace(drawn[0].as_str(), outsider.as_str());
            held_at = Some(u64::try_from(seq).unwrap());
        }
        let hash = chain_hash(&prev, &payload);
        sqlx::query("UPDATE events SET payload = $1, prev_hash = $2, hash = $3 WHERE seq = $4")
            .bind(&payload)
            .bind(&prev)
            .bind(&hash)
            .bind(seq)
            .execute(store.pool())
            .await
            .unwrap();
        prev = hash;
    }
    let problem = store.verify().await.unwrap().problem.unwrap();
    assert_eq!((problem.seq, problem.kind.as_deref()), (held_at, Some("draw_held")));
    assert!(problem.what.contains("the seed draws"), "{}", problem.what);
}

async fn terms_that_end_on_their_date_are_stored_and_replayed(db: &TestDb) {
    let store = &db.store;
    let c = confederation(store).await;
    assert!(store.read(|s| s.end_terms(now().plus_seconds(364 * 86_400)).is_empty()).await);
    let ended = store.execute(|s| Ok(s.end_terms(now().plus_seconds(366 * 86_400)))).await.unwrap();
    assert_eq!(ended.len(), 4);
    assert_eq!(count(store, "SELECT COUNT(*) FROM delegate_seats WHERE ended_at IS NULL").await, 0);
    assert_eq!(count(store, "SELECT COUNT(*) FROM delegate_seats WHERE ended_reason = 'term_ended'").await, 4);
    let reopened = db.reopen().await;
    let (seated, members) = reopened
        .read(|s| {
            let seated = s.delegation(&c.council, &c.north.1).unwrap().current().count()
                + s.delegation(&c.council, &c.south.1).unwrap().current().count();
            (seated, s.body(&c.council).unwrap().current_members().cloned().collect::<Vec<_>>())
        })
        .await;
    assert_eq!(seated, 0);
    assert_eq!(members, vec![c.clerk.clone()], "only the clerk is left on the council");
    assert!(reopened.verify().await.unwrap().is_ok());
}
