//! Organisations, coalitions, platforms, programmes and pledges.

use plenum_core::{
    AccountId, CandidateId, CoalitionCharter, CoalitionRule, CreateOrganisation, DisplayName, EnterCandidate, Event,
    MembershipMatter, OfficialVote, OrganisationId, PlankId, PlankText, Position, Prose, Refusal, Title, VoteRecordId,
    charter::Fraction,
};
use proptest::prelude::*;

use crate::world::World;

fn text(t: &str) -> Prose {
    Prose::parse(t).unwrap()
}

fn organisation(w: &mut World, name: &str, by: &AccountId) -> OrganisationId {
    let id = OrganisationId::parse(&w.id()).unwrap();
    let new = CreateOrganisation {
        organisation: id.clone(),
        name: Title::parse(name).unwrap(),
        kind: Title::parse("Tenants' union").unwrap(),
        description: text("We organise tenants."),
        contact: Title::parse("hello@example.org").unwrap(),
    };
    let events = w.state.create_organisation(new, by, w.now);
    w.commit(events);
    id
}

fn coalition(w: &mut World, charter: CoalitionCharter, founders: Vec<OrganisationId>, by: &AccountId) -> OrganisationId {
    let id = OrganisationId::parse(&w.id()).unwrap();
    let new = CreateOrganisation {
        organisation: id.clone(),
        name: Title::parse("City Front").unwrap(),
        kind: Title::parse("Coalition").unwrap(),
        description: text("A municipal coalition."),
        contact: Title::parse("front@example.org").unwrap(),
    };
    let events = w.state.found_coalition(new, charter, founders, by, w.now);
    w.commit(events);
    id
}

fn plank(w: &mut World, coalition: &OrganisationId, title: &str, by: &AccountId) -> PlankId {
    let id = PlankId::parse(&w.id()).unwrap();
    let wording = PlankText {
        title: Title::parse(title).unwrap(),
        text: text("The city shall do it."),
        category: Title::parse("Housing").unwrap(),
    };
    let events = w.state.propose_plank(id.clone(), coalition, wording, by, w.now);
    w.commit(events);
    id
}

fn position(w: &mut World, coalition: &OrganisationId, plank: &PlankId, org: &OrganisationId, p: Position, by: &AccountId) {
    let version = w.state.plank(plank).unwrap().version();
    let events = w.state.take_position(coalition, plank, org, version, p, by, w.now);
    w.commit(events);
}

/// Applies and answers with every member on the roll agreeing.
fn admit(
    w: &mut World,
    coalition: &OrganisationId,
    org: &OrganisationId,
    rep: &AccountId,
    members: &[(OrganisationId, AccountId)],
) {
    let events = w.state.apply_to_join(coalition, org, rep, w.now);
    w.commit(events);
    for (member, member_rep) in members {
        if w.state.coalition(coalition).unwrap().pending.contains_key(org) {
            let events = w.state.answer_membership(coalition, org, member, true, member_rep, w.now);
            w.commit(events);
        }
    }
}

fn supermajority(p: u64, q: u64) -> CoalitionRule {
    CoalitionRule::Supermajority { share: Fraction::new(p, q).unwrap() }
}

/// Three organisations with one representative each; the first founds a coalition.
fn three(charter: CoalitionCharter) -> (World, OrganisationId, Vec<(OrganisationId, AccountId)>) {
    let mut w = World::new();
    let mut orgs = Vec::new();
    for name in ["Tenants Union", "Migrant Rights", "Care Coop"] {
        let rep = w.resident(&format!("Rep of {name}"));
        let org = organisation(&mut w, name, &rep);
        orgs.push((org, rep));
    }
    let front = coalition(&mut w, charter, vec![orgs[0].0.clone()], &orgs[0].1.clone());
    (w, front, orgs)
}

#[test]
fn an_organisation_acts_through_its_representatives_and_keeps_at_least_one() {
    let mut w = World::new();
    let ana = w.resident("Ana");
    let ben = w.resident("Ben");
    let org = organisation(&mut w, "Tenants Union", &ana);
    assert_eq!(w.state.add_representative(&org, &ben, &ben, w.now), Err(Refusal::NotARepresentative));
    assert_eq!(w.state.remove_representative(&org, &ana, &ana, w.now), Err(Refusal::LastRepresentative));
    let events = w.state.add_representative(&org, &ben, &ana, w.now);
    w.commit(events);
    assert_eq!(w.state.add_representative(&org, &ben, &ana, w.now), Err(Refusal::AlreadyARepresentative));
    let events = w.state.remove_representative(&org, &ana, &ben, w.now);
    w.commit(events);
    assert!(!w.state.organisation(&org).unwrap().is_representative(&ana));
    assert_eq!(w.replayed(), w.state);
}

#[test]
fn under_consensus_one_objection_refuses_admission_and_all_agreeing_admit() {
    let (mut w, front, orgs) = three(CoalitionCharter::default());
    // Migrant Rights applies: the only member, Tenants Union, agrees.
    admit(&mut w, &front, &orgs[1].0, &orgs[1].1, &orgs[..1]);
    assert!(w.state.coalition(&front).unwrap().is_member(&orgs[1].0));
    // Care Coop applies: Tenants agree, Migrant Rights objects.
    let events = w.state.apply_to_join(&front, &orgs[2].0, &orgs[2].1, w.now);
    w.commit(events);
    assert_eq!(w.state.apply_to_join(&front, &orgs[2].0, &orgs[2].1, w.now), Err(Refusal::MembershipDecisionPending));
    assert_eq!(
        w.state.answer_membership(&front, &orgs[2].0, &orgs[0].0, true, &orgs[1].1, w.now),
        Err(Refusal::NotARepresentative)
    );
    let events = w.state.answer_membership(&front, &orgs[2].0, &orgs[0].0, true, &orgs[0].1, w.now);
    assert_eq!(events.as_ref().unwrap().len(), 1, "one of two agreeing does not decide");
    w.commit(events);
    assert_eq!(
        w.state.answer_membership(&front, &orgs[2].0, &orgs[0].0, false, &orgs[0].1, w.now),
        Err(Refusal::NotOnDecisionRoll)
    );
    let events = w.state.answer_membership(&front, &orgs[2].0, &orgs[1].0, false, &orgs[1].1, w.now);
    w.commit(events);
    assert!(matches!(w.log.last(), Some(Event::MembershipDecided { carried: false, agree: 1, object: 1, roll: 2, .. })));
    assert!(!w.state.coalition(&front).unwrap().is_member(&orgs[2].0));
    assert_eq!(w.replayed(), w.state);
}

#[test]
fn a_supermajority_of_two_thirds_admits_and_removes_exactly() {
    let charter = CoalitionCharter { rule: supermajority(2, 3), ..CoalitionCharter::default() };
    let (mut w, front, orgs) = three(charter);
    admit(&mut w, &front, &orgs[1].0, &orgs[1].1, &orgs[..1]);
    admit(&mut w, &front, &orgs[2].0, &orgs[2].1, &orgs[..2]);
    // Removing Care Coop: the roll is the two others; ⌈2/3 × 2⌉ = 2, so one objection defeats it.
    let events = w.state.propose_removal(&front, &orgs[2].0, &orgs[0].1, w.now);
    w.commit(events);
    let events = w.state.answer_membership(&front, &orgs[2].0, &orgs[1].0, false, &orgs[1].1, w.now);
    w.commit(events);
    assert!(matches!(w.log.last(), Some(Event::MembershipDecided { matter: MembershipMatter::Removal, carried: false, .. })));
    assert!(w.state.coalition(&front).unwrap().is_member(&orgs[2].0));
    // Both agree: removed.
    let events = w.state.propose_removal(&front, &orgs[2].0, &orgs[0].1, w.now);
    w.commit(events);
    for (org, rep) in &orgs[..2] {
        let events = w.state.answer_membership(&front, &orgs[2].0, org, true, rep, w.now);
        w.commit(events);
    }
    assert!(!w.state.coalition(&front).unwrap().is_member(&orgs[2].0));
    assert_eq!(w.replayed(), w.state);
}

#[test]
fn coalitions_join_coalitions_but_never_in_a_circle() {
    let mut w = World::new();
    let ana = w.resident("Ana");
    let tenants = organisation(&mut w, "Tenants Union", &ana);
    let city = coalition(&mut w, CoalitionCharter::default(), vec![tenants.clone()], &ana);
    let region = coalition(&mut w, CoalitionCharter::default(), vec![], &ana);
    // The regional front has no members yet, so the city front is admitted at once.
    let events = w.state.apply_to_join(&region, &city, &ana, w.now);
    w.commit(events);
    assert!(w.state.coalition(&region).unwrap().is_member(&city));
    assert_eq!(w.state.apply_to_join(&city, &region, &ana, w.now), Err(Refusal::CoalitionCycle));
    assert_eq!(w.state.apply_to_join(&region, &region, &ana, w.now), Err(Refusal::CoalitionCycle));
    assert_eq!(w.state.apply_to_join(&region, &city, &ana, w.now), Err(Refusal::AlreadyInCoalition));
    assert_eq!(w.state.coalitions_of(&city).map(|o| o.id.clone()).collect::<Vec<_>>(), [region]);
}

#[test]
fn individuals_join_only_where_the_charter_allows() {
    let (mut w, front, orgs) = three(CoalitionCharter::default());
    let eve = w.resident("Eve");
    assert_eq!(w.state.join_as_individual(&front, &eve, w.now), Err(Refusal::IndividualsNotAdmitted));
    let open = coalition(
        &mut w,
        CoalitionCharter { individuals_may_join: true, ..CoalitionCharter::default() },
        vec![],
        &orgs[0].1.clone(),
    );
    let events = w.state.join_as_individual(&open, &eve, w.now);
    w.commit(events);
    assert_eq!(w.state.join_as_individual(&open, &eve, w.now), Err(Refusal::AlreadyAnIndividualMember));
    assert!(w.state.coalition(&open).unwrap().individuals.contains_key(&eve));
}

#[test]
fn positions_build_the_minimum_and_maximum_programmes() {
    let charter = CoalitionCharter { maximum_share: Fraction::new(2, 3).unwrap(), ..CoalitionCharter::default() };
    let (mut w, front, orgs) = three(charter);
    admit(&mut w, &front, &orgs[1].0, &orgs[1].1, &orgs[..1]);
    admit(&mut w, &front, &orgs[2].0, &orgs[2].1, &orgs[..2]);
    let rep = orgs[0].1.clone();
    let rent = plank(&mut w, &front, "Rent control", &rep);
    let sanctuary = plank(&mut w, &front, "Sanctuary city", &rep);
    let police = plank(&mut w, &front, "Cut the police budget", &rep);
    use Position::*;
    let reserve = || EndorseWithReservations { reservation: text("Only for buildings over ten flats.") };
    let block = || Block { reasons: text("Our members were not consulted.") };
    for (org, rep) in &orgs {
        position(&mut w, &front, &rent, org, if org == &orgs[2].0 { reserve() } else { Endorse }, rep);
    }
    for ((org, rep), p) in orgs.iter().zip([Endorse, Endorse, StandAside]) {
        position(&mut w, &front, &sanctuary, org, p, rep);
    }
    for ((org, rep), p) in orgs.iter().zip([Endorse, block(), StandAside]) {
        position(&mut w, &front, &police, org, p, rep);
    }
    let programme = w.state.programme(w.state.coalition(&front).unwrap());
    assert_eq!(programme.maximum_needs, 2);
    assert_eq!(programme.minimum().map(|r| r.plank.clone()).collect::<Vec<_>>(), std::slice::from_ref(&rent));
    assert_eq!(programme.maximum().map(|r| r.plank.clone()).collect::<Vec<_>>(), [rent.clone(), sanctuary.clone()]);
    let police_row = &programme.rows[2];
    assert_eq!((police_row.count.endorse, police_row.count.block, police_row.count.stand_aside), (1, 1, 1));
    // An outsider cannot take a position; a stale version is refused.
    assert_eq!(w.state.take_position(&front, &rent, &orgs[0].0, 1, Endorse, &orgs[1].1, w.now), Err(Refusal::NotARepresentative));
    assert_eq!(
        w.state.take_position(&front, &rent, &orgs[0].0, 2, Endorse, &orgs[0].1, w.now),
        Err(Refusal::StaleVersion { version: 2 })
    );
    assert_eq!(w.replayed(), w.state);
}

#[test]
fn consensus_adopts_only_when_everyone_has_spoken_and_nobody_blocks() {
    let (mut w, front, orgs) = three(CoalitionCharter::default());
    admit(&mut w, &front, &orgs[1].0, &orgs[1].1, &orgs[..1]);
    let rep = orgs[0].1.clone();
    let rent = plank(&mut w, &front, "Rent control", &rep);
    position(&mut w, &front, &rent, &orgs[0].0, Position::Endorse, &rep);
    assert!(matches!(w.state.adopt_plank(&front, &rent, &rep, w.now), Err(Refusal::PlankNotAdoptable { .. })));
    position(&mut w, &front, &rent, &orgs[1].0, Position::Block { reasons: text("Too weak.") }, &orgs[1].1);
    assert!(matches!(w.state.adopt_plank(&front, &rent, &rep, w.now), Err(Refusal::PlankNotAdoptable { .. })));
    position(&mut w, &front, &rent, &orgs[1].0, Position::StandAside, &orgs[1].1);
    let events = w.state.adopt_plank(&front, &rent, &rep, w.now);
    w.commit(events);
    assert!(w.state.programme(w.state.coalition(&front).unwrap()).rows[0].adopted);
    assert_eq!(w.state.adopt_plank(&front, &rent, &rep, w.now), Err(Refusal::PlankAlreadyAdopted));
    // Amending keeps the history, un-adopts the plank and makes earlier positions stop counting.
    let wording = PlankText {
        title: Title::parse("Rent control now").unwrap(),
        text: text("Freeze rents."),
        category: Title::parse("Housing").unwrap(),
    };
    let events = w.state.amend_plank(&rent, wording, &orgs[1].1, w.now);
    w.commit(events);
    let plank = w.state.plank(&rent).unwrap();
    assert_eq!((plank.version(), plank.versions[0].title.as_str()), (2, "Rent control"));
    let row = w.state.programme(w.state.coalition(&front).unwrap()).rows[0].clone();
    assert!(!row.adopted);
    assert_eq!(row.count.silent, 2);
    assert_eq!(w.replayed(), w.state);
}

#[test]
fn a_supermajority_adopts_over_a_block() {
    let charter = CoalitionCharter { rule: supermajority(2, 3), ..CoalitionCharter::default() };
    let (mut w, front, orgs) = three(charter);
    admit(&mut w, &front, &orgs[1].0, &orgs[1].1, &orgs[..1]);
    admit(&mut w, &front, &orgs[2].0, &orgs[2].1, &orgs[..2]);
    let rent = plank(&mut w, &front, "Rent control", &orgs[0].1.clone());
    position(&mut w, &front, &rent, &orgs[0].0, Position::Endorse, &orgs[0].1.clone());
    assert!(matches!(w.state.adopt_plank(&front, &rent, &orgs[0].1, w.now), Err(Refusal::PlankNotAdoptable { .. })));
    position(&mut w, &front, &rent, &orgs[1].0, Position::Endorse, &orgs[1].1.clone());
    position(&mut w, &front, &rent, &orgs[2].0, Position::Block { reasons: text("No.") }, &orgs[2].1.clone());
    let events = w.state.adopt_plank(&front, &rent, &orgs[0].1, w.now);
    w.commit(events);
    assert!(matches!(w.log.last(), Some(Event::PlankAdopted { endorsements: 2, blocks: 1, members: 3, .. })));
}

#[test]
fn a_plank_can_be_shared_by_several_platforms() {
    let mut w = World::new();
    let ana = w.resident("Ana");
    let tenants = organisation(&mut w, "Tenants Union", &ana);
    let city = coalition(&mut w, CoalitionCharter::default(), vec![tenants.clone()], &ana);
    let region = coalition(&mut w, CoalitionCharter::default(), vec![tenants.clone()], &ana);
    let rent = plank(&mut w, &city, "Rent control", &ana);
    let events = w.state.share_plank(&rent, &region, &ana, w.now);
    w.commit(events);
    assert_eq!(w.state.share_plank(&rent, &region, &ana, w.now), Err(Refusal::PlankAlreadyOnPlatform));
    assert_eq!(w.state.platforms_with(&rent).count(), 2);
    position(&mut w, &region, &rent, &tenants, Position::Endorse, &ana);
    assert_eq!(w.state.programme(w.state.coalition(&region).unwrap()).minimum().count(), 1);
    assert_eq!(w.state.programme(w.state.coalition(&city).unwrap()).minimum().count(), 0);
}

#[test]
fn candidates_pledge_withdraw_and_have_their_votes_recorded() {
    let (mut w, front, orgs) = three(CoalitionCharter::default());
    let rep = orgs[0].1.clone();
    let rent = plank(&mut w, &front, "Rent control", &rep);
    let lee = w.resident("Lee");
    let own = CandidateId::parse(&w.id()).unwrap();
    let new = |candidate: CandidateId, coalition| EnterCandidate {
        candidate,
        name: DisplayName::parse("Lee Park").unwrap(),
        office: Title::parse("City council, ward 3").unwrap(),
        statement: None,
        coalition,
    };
    let events = w.state.enter_candidate(new(own.clone(), None), &lee, w.now);
    w.commit(events);
    let entered = CandidateId::parse(&w.id()).unwrap();
    assert_eq!(
        w.state.enter_candidate(new(entered.clone(), Some(front.clone())), &lee, w.now),
        Err(Refusal::NotACoalitionMember)
    );
    let events = w.state.enter_candidate(new(entered.clone(), Some(front.clone())), &rep, w.now);
    w.commit(events);

    let sign = DisplayName::parse("Lee Park").unwrap();
    assert_eq!(w.state.sign_pledge(&own, &front, &rent, sign.clone(), &rep, w.now), Err(Refusal::NotTheCandidate));
    let events = w.state.sign_pledge(&own, &front, &rent, sign.clone(), &lee, w.now);
    w.commit(events);
    assert_eq!(w.state.sign_pledge(&own, &front, &rent, sign.clone(), &lee, w.now), Err(Refusal::AlreadyPledged));
    let events = w.state.sign_pledge(&entered, &front, &rent, sign.clone(), &rep, w.now);
    w.commit(events);
    let events = w.state.withdraw_pledge(&entered, &front, &rent, Some(text("Changed my mind.")), &rep, w.now);
    w.commit(events);
    let c = w.state.candidate(&entered).unwrap();
    assert_eq!(c.standing().count(), 0);
    assert!(c.pledges.values().next().unwrap().withdrawn.is_some());

    let record = VoteRecordId::parse(&w.id()).unwrap();
    let question = Title::parse("Ordinance 12: rent freeze").unwrap();
    let vote = |w: &World, record: &VoteRecordId| {
        w.state.record_official_vote(
            record.clone(),
            &own,
            &front,
            &rent,
            question.clone(),
            OfficialVote::AgainstThePledge,
            w.now,
            &rep,
            w.now,
        )
    };
    assert_eq!(vote(&w, &record), Err(Refusal::NotElected));
    let events = w.state.record_elected(&own, &rep, w.now);
    w.commit(events);
    assert_eq!(w.state.record_elected(&own, &lee, w.now), Err(Refusal::AlreadyElected));
    let events = vote(&w, &record);
    w.commit(events);
    assert_eq!(vote(&w, &record), Err(Refusal::Duplicate { id: record.to_string() }));
    assert_eq!(w.state.candidate(&own).unwrap().votes[0].vote, OfficialVote::AgainstThePledge);
    assert_eq!(w.replayed(), w.state);
}

fn any_position() -> impl Strategy<Value = Option<Position>> {
    prop_oneof![
        Just(None),
        Just(Some(Position::Endorse)),
        Just(Some(Position::EndorseWithReservations { reservation: Prose::parse("But.").unwrap() })),
        Just(Some(Position::StandAside)),
        Just(Some(Position::Block { reasons: Prose::parse("No.").unwrap() })),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the members, the positions and the charter's share, every plank of the minimum
    /// programme is in the maximum one, and the minimum is exactly the unanimous endorsements.
    #[test]
    fn the_minimum_programme_is_always_inside_the_maximum(
        members in 1usize..7,
        share in (1u64..=12, 1u64..=12).prop_map(|(p, q)| (p.min(q), q)),
        positions in prop::collection::vec(prop::collection::vec(any_position(), 7), 1..5),
    ) {
        let charter = CoalitionCharter { maximum_share: Fraction::new(share.0, share.1).unwrap(), ..CoalitionCharter::default() };
        let mut w = World::new();
        // One organiser represents every member, so that she can found the coalition with all of them.
        let rep = w.resident("Ana");
        let mut orgs = Vec::new();
        for i in 0..members {
            orgs.push((organisation(&mut w, &format!("Org {i}"), &rep), rep.clone()));
        }
        let founders = orgs.iter().map(|(o, _)| o.clone()).collect();
        let front = coalition(&mut w, charter, founders, &orgs[0].1.clone());
        for (i, stances) in positions.iter().enumerate() {
            let p = plank(&mut w, &front, &format!("Plank {i}"), &orgs[0].1.clone());
            for ((org, rep), stance) in orgs.iter().zip(stances) {
                if let Some(stance) = stance {
                    position(&mut w, &front, &p, org, stance.clone(), rep);
                }
            }
        }
        let programme = w.state.programme(w.state.coalition(&front).unwrap());
        for (row, stances) in programme.rows.iter().zip(&positions) {
            prop_assert!(!row.in_minimum || row.in_maximum);
            let unanimous = stances[..members].iter().all(|s| s.as_ref().is_some_and(Position::endorses));
            prop_assert_eq!(row.in_minimum, unanimous);
            let endorsed = stances[..members].iter().filter(|s| s.as_ref().is_some_and(Position::endorses)).count() as u64;
            // Exactly: endorsed / members ≥ p / q.
            prop_assert_eq!(row.in_maximum, u128::from(endorsed) * u128::from(share.1) >= u128::from(share.0) * members as u128);
        }
    }
}

#[test]
fn a_member_that_leaves_no_longer_holds_up_a_decision() {
    let (mut w, front, orgs) = three(CoalitionCharter::default());
    admit(&mut w, &front, &orgs[1].0, &orgs[1].1, &orgs[..1]);
    // Care Coop applies; Tenants agree, Migrant Rights has not answered, then leaves.
    let events = w.state.apply_to_join(&front, &orgs[2].0, &orgs[2].1, w.now);
    w.commit(events);
    let events = w.state.answer_membership(&front, &orgs[2].0, &orgs[0].0, true, &orgs[0].1, w.now);
    w.commit(events);
    let events = w.state.leave_coalition(&front, &orgs[1].0, &orgs[1].1, w.now);
    w.commit(events);
    assert!(
        matches!(w.log.last(), Some(Event::MembershipDecided { carried: true, agree: 1, roll: 1, .. })),
        "{:?}",
        w.log.last()
    );
    let c = w.state.coalition(&front).unwrap();
    assert!(c.is_member(&orgs[2].0) && !c.is_member(&orgs[1].0) && c.pending.is_empty());
    assert_eq!(w.replayed(), w.state);
}
