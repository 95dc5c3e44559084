//! Organisations, coalitions, platforms and pledges through the store: the read tables follow
//! the events, a reopened store rebuilds the same state, and the chain verifies.

use std::sync::atomic::{AtomicU64, Ordering};

use plenum_core::{
    CandidateId, CoalitionCharter, CreateOrganisation, DisplayName, EnterCandidate, OrganisationId, PlankId, PlankText, Position,
    Prose, Refusal, Title,
};
use plenum_store::{PositionRow, StoreError};

use crate::engine::{TestDb, on_both_engines};
use crate::scenarios::{account, now};

static NEXT: AtomicU64 = AtomicU64::new(1);

fn id() -> String {
    format!("01968a3d-0000-7000-8000-{:012x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

fn new_organisation(name: &str) -> CreateOrganisation {
    CreateOrganisation {
        organisation: OrganisationId::parse(&id()).unwrap(),
        name: Title::parse(name).unwrap(),
        kind: Title::parse("Community group").unwrap(),
        description: Prose::parse("We organise.").unwrap(),
        contact: Title::parse("hello@example.org").unwrap(),
    }
}

on_both_engines!(a_coalition_admits_members_takes_positions_and_its_candidates_pledge);

async fn a_coalition_admits_members_takes_positions_and_its_candidates_pledge(db: &TestDb) {
    let store = &db.store;
    let (ana, ben, lee) = (account(store, "Ana").await, account(store, "Ben").await, account(store, "Lee").await);
    let tenants = new_organisation("Tenants Union");
    let migrants = new_organisation("Migrant Rights");
    let (t, m) = (tenants.organisation.clone(), migrants.organisation.clone());
    store.execute(|s| s.create_organisation(tenants, &ana, now())).await.unwrap();
    store.execute(|s| s.create_organisation(migrants, &ben, now())).await.unwrap();
    let front = new_organisation("City Front");
    let f = front.organisation.clone();
    store.execute(|s| s.found_coalition(front, CoalitionCharter::default(), vec![t.clone()], &ana, now())).await.unwrap();
    store.execute(|s| s.apply_to_join(&f, &m, &ben, now())).await.unwrap();
    assert_eq!(store.coalition_members(f.as_str()).await.unwrap(), [t.to_string()]);
    store.execute(|s| s.answer_membership(&f, &m, &t, true, &ana, now())).await.unwrap();
    let mut members = vec![t.to_string(), m.to_string()];
    members.sort();
    assert_eq!(store.coalition_members(f.as_str()).await.unwrap(), members);

    let plank = PlankId::parse(&id()).unwrap();
    let wording = |title: &str| PlankText {
        title: Title::parse(title).unwrap(),
        text: Prose::parse("The city freezes rents.").unwrap(),
        category: Title::parse("Housing").unwrap(),
    };
    store.execute(|s| s.propose_plank(plank.clone(), &f, wording("Rent control"), &ana, now())).await.unwrap();
    store.execute(|s| s.take_position(&f, &plank, &t, 1, Position::Endorse, &ana, now())).await.unwrap();
    let block = Position::Block { reasons: Prose::parse("Not consulted.").unwrap() };
    store.execute(|s| s.take_position(&f, &plank, &m, 1, block, &ben, now())).await.unwrap();
    let refused = store.execute(|s| s.adopt_plank(&f, &plank, &ana, now())).await;
    assert!(matches!(refused, Err(StoreError::Refused(Refusal::PlankNotAdoptable { .. }))), "{refused:?}");
    store.execute(|s| s.take_position(&f, &plank, &m, 1, Position::StandAside, &ben, now())).await.unwrap();
    store.execute(|s| s.adopt_plank(&f, &plank, &ana, now())).await.unwrap();
    let positions = store.positions(f.as_str()).await.unwrap();
    let stances: Vec<(&str, Option<&str>)> =
        positions.iter().map(|p: &PositionRow| (p.stance.as_str(), p.note.as_deref())).collect();
    assert_eq!(stances.len(), 2);
    assert!(stances.contains(&("endorse", None)) && stances.contains(&("stand_aside", None)));
    store.execute(|s| s.amend_plank(&plank, wording("Rent control now"), &ben, now())).await.unwrap();
    assert_eq!(store.plank_version(plank.as_str()).await.unwrap(), Some(2));

    let candidate = CandidateId::parse(&id()).unwrap();
    let new = EnterCandidate {
        candidate: candidate.clone(),
        name: DisplayName::parse("Lee Park").unwrap(),
        office: Title::parse("City council").unwrap(),
        statement: None,
        coalition: None,
    };
    store.execute(|s| s.enter_candidate(new, &lee, now())).await.unwrap();
    let signature = DisplayName::parse("Lee Park").unwrap();
    store.execute(|s| s.sign_pledge(&candidate, &f, &plank, signature, &lee, now())).await.unwrap();
    store.execute(|s| s.withdraw_pledge(&candidate, &f, &plank, None, &lee, now())).await.unwrap();
    let pledges = store.pledges(candidate.as_str()).await.unwrap();
    assert_eq!(pledges.len(), 1);
    assert!(pledges[0].withdrawn_at.is_some());

    let before = store.read(Clone::clone).await;
    let programme = before.programme(before.coalition(&f).unwrap());
    assert_eq!(programme.rows.len(), 1);
    assert_eq!(programme.rows[0].count.silent, 2, "positions on version 1 do not count for version 2");
    let reopened = db.reopen().await;
    assert_eq!(reopened.read(Clone::clone).await, before);
    let verified = reopened.verify().await.unwrap();
    assert!(verified.is_ok(), "{verified:?}");
}
