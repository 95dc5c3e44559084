//! The resident registry: registrars enrol residents seen in person, residents claim their
//! credentials and become members of their area's assembly, reads of personal data are
//! logged, erasure at expiry or on request, and the register of legal demands.

use plenum_core::credential::AgeBand;
use plenum_core::{
    AccountId, BodyId, DemandDetails, EnrolResident, ErasureReason, Event, LegalDemandId, Prose, Refusal, State, Title,
};

use crate::world::{World, at};

struct Desk {
    world: World,
    registrar: AccountId,
    area: BodyId,
}

fn desk() -> Desk {
    let mut world = World::new();
    let founder = world.resident("Founder");
    let area = world.assembly("old-town", &founder, None);
    let registrar = world.resident("Registrar");
    let events = world.state.appoint_registrar(&registrar, world.now);
    world.commit(events);
    Desk { world, registrar, area }
}

impl Desk {
    fn enrol(&mut self, expires: &str) -> u64 {
        let enrol = EnrolResident { area: self.area.clone(), age_band: AgeBand::Adult, expires_at: at(expires) };
        let events = self.world.state.enrol_resident(enrol, &self.registrar, self.world.now).unwrap();
        let Some(Event::ResidentEnrolled { credential, .. }) = events.first().cloned() else { panic!("no enrolment") };
        self.world.commit(Ok(events));
        credential
    }
}

#[test]
fn a_registrar_enrols_residents_with_numbers_in_order_and_nothing_personal_in_the_log() {
    let mut desk = desk();
    assert_eq!(desk.enrol("2027-05-01T00:00:00Z"), 1);
    assert_eq!(desk.enrol("2027-05-01T00:00:00Z"), 2);
    let enrolment = desk.world.state.registry().credential(2).unwrap();
    assert_eq!(enrolment.registrar, desk.registrar);
    assert_eq!(enrolment.issued_at, desk.world.now);
    let logged = serde_json::to_string(desk.world.log.last().unwrap()).unwrap();
    for field in ["\"credential\":2", "\"area\"", "\"age_band\":\"adult\"", "\"expires_at\"", "\"registrar\"", "\"at\""] {
        assert!(logged.contains(field), "{logged} lacks {field}");
    }
    // Exactly these fields: a new one (a name, a document) would have to be added here.
    assert_eq!(logged.matches("\":").count(), 7, "{logged}");
    assert_eq!(desk.world.replayed(), desk.world.state);
}

#[test]
fn only_registrars_enrol_and_expiry_must_be_within_ten_years() {
    let mut desk = desk();
    let someone = desk.world.resident("Someone");
    let enrol = |expires: &str| EnrolResident { area: desk.area.clone(), age_band: AgeBand::Adult, expires_at: at(expires) };
    let now = desk.world.now;
    assert_eq!(desk.world.state.enrol_resident(enrol("2027-01-01T00:00:00Z"), &someone, now), Err(Refusal::NotARegistrar));
    for expires in ["2025-05-01T18:00:00Z", "2024-01-01T00:00:00Z", "2036-01-01T00:00:00Z"] {
        assert_eq!(
            desk.world.state.enrol_resident(enrol(expires), &desk.registrar, now),
            Err(Refusal::ExpiryOutOfRange),
            "{expires}"
        );
    }
    assert_eq!(desk.world.state.appoint_registrar(&desk.registrar, now), Err(Refusal::AlreadyARegistrar));
}

#[test]
fn claiming_a_credential_makes_the_account_a_member_of_its_area_and_eligible() {
    let mut desk = desk();
    let number = desk.enrol("2027-05-01T00:00:00Z");
    let ana = desk.world.resident("Ana");
    let now = desk.world.now;
    let events = desk.world.state.claim_credential(number, &ana, now).unwrap();
    assert!(matches!(events.as_slice(), [Event::CredentialClaimed { .. }, Event::MembershipGranted { .. }]));
    let logged = serde_json::to_string(&events[0]).unwrap();
    assert!(!logged.contains("\"credential\""), "the claim must not name the credential: {logged}");
    desk.world.commit(Ok(events));
    assert!(desk.world.state.body(&desk.area).unwrap().is_member(&ana));
    let registry = desk.world.state.registry();
    assert!(registry.eligible(&ana, &desk.area, Some(18), now));
    assert!(!registry.eligible(&ana, &desk.area, Some(18), at("2027-05-01T00:00:00Z")));
    assert_eq!(desk.world.state.claim_credential(number, &ana, now), Err(Refusal::AlreadyHoldsCredential));
    assert_eq!(desk.world.replayed(), desk.world.state);
}

#[test]
fn an_expired_or_erased_credential_cannot_be_claimed_or_read() {
    let mut desk = desk();
    let number = desk.enrol("2025-06-01T00:00:00Z");
    let ana = desk.world.resident("Ana");
    let later = at("2025-06-01T00:00:00Z");
    assert_eq!(desk.world.state.claim_credential(number, &ana, later), Err(Refusal::CredentialExpired));
    let now = desk.world.now;
    assert_eq!(desk.world.state.erase_personal_data(number, ErasureReason::Expired, now), Err(Refusal::NotYetExpired));
    let events = desk.world.state.erase_personal_data(number, ErasureReason::Requested, now);
    desk.world.commit(events);
    assert_eq!(desk.world.state.claim_credential(number, &ana, now), Err(Refusal::CredentialErased { number }));
    let reason = Prose::parse("Renewal").unwrap();
    assert_eq!(
        desk.world.state.read_personal_data(number, &desk.registrar, reason, now),
        Err(Refusal::CredentialErased { number })
    );
    assert_eq!(
        desk.world.state.erase_personal_data(number, ErasureReason::Requested, now),
        Err(Refusal::CredentialErased { number })
    );
    assert!(matches!(desk.world.state.claim_credential(99, &ana, now), Err(Refusal::NotFound { .. })));
}

#[test]
fn every_read_of_personal_data_is_logged_with_who_and_why() {
    let mut desk = desk();
    let number = desk.enrol("2027-05-01T00:00:00Z");
    let now = desk.world.now;
    let someone = desk.world.resident("Someone");
    let reason = Prose::parse("The resident asked for a new card").unwrap();
    assert_eq!(desk.world.state.read_personal_data(number, &someone, reason.clone(), now), Err(Refusal::NotARegistrar));
    let events = desk.world.state.read_personal_data(number, &desk.registrar, reason.clone(), now);
    desk.world.commit(events);
    let reads: Vec<_> = desk.world.state.registry().reads_of(number).collect();
    assert_eq!(reads.len(), 1);
    assert_eq!((&reads[0].by, &reads[0].reason, reads[0].at), (&desk.registrar, &reason, now));
    assert_eq!(desk.world.state.registry().reads_of(number + 1).count(), 0);
}

#[test]
fn a_sealed_legal_demand_shows_only_that_it_exists_and_when() {
    let mut desk = desk();
    let now = desk.world.now;
    let details = DemandDetails {
        authority: Title::parse("County sheriff").unwrap(),
        asked: Prose::parse("Every name on the registry").unwrap(),
        given: Prose::parse("Nothing: the registry holds no names in readable form").unwrap(),
    };
    let open = LegalDemandId::parse(&desk.world.id()).unwrap();
    let sealed = LegalDemandId::parse(&desk.world.id()).unwrap();
    let received = at("2025-04-30T09:00:00Z");
    let events = desk.world.state.record_legal_demand(open.clone(), received, Some(details.clone()), &desk.registrar, now);
    desk.world.commit(events);
    let events = desk.world.state.record_legal_demand(sealed.clone(), received, None, &desk.registrar, now);
    desk.world.commit(events);
    let demands: Vec<_> = desk.world.state.registry().legal_demands().collect();
    assert_eq!(demands.len(), 2);
    assert_eq!(demands[0].details.as_ref(), Some(&details));
    assert_eq!(demands[1].details, None);
    let future = at("2025-05-02T00:00:00Z");
    let id = LegalDemandId::parse(&desk.world.id()).unwrap();
    assert_eq!(desk.world.state.record_legal_demand(id.clone(), future, None, &desk.registrar, now), Err(Refusal::InTheFuture));
    let someone = desk.world.resident("Someone");
    assert_eq!(desk.world.state.record_legal_demand(id, received, None, &someone, now), Err(Refusal::NotARegistrar));
    assert_eq!(State::replay(&desk.world.log).unwrap(), desk.world.state);
}
