//! Polls that follow residence and age: the roll holds only members with a valid credential of
//! the assembly's area, from a minimum age; unlinkable polls too.

use plenum_core::credential::AgeBand;
use plenum_core::voting_key::generate_bits;
use plenum_core::{AccountId, BodyId, Choice, EnrolResident, Event, MotionKind, OpenPoll, PollId, Refusal, Secrecy, State};

use crate::world::World;

const YEAR: i64 = 365 * 86_400;

/// Ana (facilitator and registrar) and members: 1 adult resident, 2 resident aged 16–17,
/// 3 no credential, 4 an adult credential that expires in a minute, 5 an adult credential of
/// another area.
fn world() -> (World, BodyId, Vec<AccountId>) {
    let mut w = World::new();
    let ana = w.resident("Ana");
    let body = w.assembly("old-town", &ana, None);
    let other = w.assembly("riverside", &ana, None);
    let events = w.state.appoint_registrar(&ana, w.now);
    w.commit(events);
    let mut people = vec![ana.clone()];
    for i in 1..=5 {
        let m = w.resident(&format!("Member {i}"));
        w.join(&body, &m);
        people.push(m);
    }
    let now = w.now;
    for (who, area, age_band, expires_at) in [
        (1, &body, AgeBand::Adult, now.plus_seconds(YEAR)),
        (2, &body, AgeBand::From16To17, now.plus_seconds(YEAR)),
        (4, &body, AgeBand::Adult, now.plus_seconds(60)),
        (5, &other, AgeBand::Adult, now.plus_seconds(YEAR)),
    ] {
        let enrol = EnrolResident { area: area.clone(), age_band, expires_at };
        let events = w.state.enrol_resident(enrol, &ana, now).unwrap();
        let Some(Event::ResidentEnrolled { credential, .. }) = events.first().cloned() else { panic!("no enrolment") };
        w.commit(Ok(events));
        let events = w.state.claim_credential(credential, &people[who], now);
        w.commit(events);
    }
    // The short credential has expired by the time polls open.
    w.now = w.now.plus_seconds(120);
    (w, body, people)
}

fn new_poll(w: &mut World, body: &BodyId, by: &AccountId) -> OpenPoll {
    let motion = w.motion(body, by, MotionKind::Policy, None);
    let poll = PollId::parse(&w.id()).unwrap();
    OpenPoll { poll, motion, secrecy: Secrecy::Open, opens_at: w.now, closes_at: w.now.plus_seconds(86_400) }
}

fn roll(w: &World, poll: &PollId) -> Vec<AccountId> {
    w.state.poll(poll).unwrap().roll.iter().cloned().collect()
}

#[test]
fn a_residents_poll_from_18_puts_on_the_roll_only_adult_holders_of_a_valid_credential_of_the_area() {
    let (mut w, body, people) = world();
    let new = new_poll(&mut w, &body, &people[0]);
    let poll = new.poll.clone();
    assert_eq!(
        w.state.open_residents_poll(new.clone(), Some(18), None, &people[1], w.now),
        Err(Refusal::NotAFacilitator),
        "only a facilitator opens a poll"
    );
    let events = w.state.open_residents_poll(new, Some(18), None, &people[0], w.now).unwrap();
    assert!(
        matches!(&events[..], [Event::PollOpened { .. }, Event::PollResidencyRequired { min_age: Some(18), .. }]),
        "{events:?}"
    );
    w.commit(Ok(events));
    assert_eq!(roll(&w, &poll), [people[1].clone()]);
    assert_eq!(w.state.poll_residency(&poll), Some(Some(18)));
    assert!(w.vote(&poll, &people[1], Choice::Yes).is_ok());
    for (who, why) in [(2, "too young"), (3, "no credential"), (4, "expired"), (5, "another area"), (0, "no credential")] {
        assert_eq!(w.vote(&poll, &people[who], Choice::No).err(), Some(Refusal::NotOnRoll), "{why}");
    }
    let replayed = w.replayed();
    assert_eq!(replayed.poll_residency(&poll), Some(Some(18)));
    assert_eq!(replayed.poll(&poll), w.state.poll(&poll));
}

#[test]
fn a_residents_poll_of_any_age_takes_the_16_to_17_band_and_an_ordinary_poll_takes_every_member() {
    let (mut w, body, people) = world();
    let residents = new_poll(&mut w, &body, &people[0]);
    let events = w.state.open_residents_poll(residents.clone(), None, None, &people[0], w.now);
    w.commit(events);
    let mut expected = vec![people[1].clone(), people[2].clone()];
    expected.sort();
    assert_eq!(roll(&w, &residents.poll), expected, "the roll is kept in id order");
    assert_eq!(w.state.poll_residency(&residents.poll), Some(None));
    let from16 = new_poll(&mut w, &body, &people[0]);
    let events = w.state.open_residents_poll(from16.clone(), Some(16), None, &people[0], w.now);
    w.commit(events);
    assert_eq!(roll(&w, &from16.poll), roll(&w, &residents.poll));
    let everyone = new_poll(&mut w, &body, &people[0]);
    let events = w.state.open_poll(everyone.clone(), &people[0], w.now);
    w.commit(events);
    assert_eq!(roll(&w, &everyone.poll).len(), 6);
    assert_eq!(w.state.poll_residency(&everyone.poll), None);
}

#[test]
fn an_unlinkable_residents_poll_gives_tokens_only_to_residents() {
    let (mut w, body, people) = world();
    let secret = generate_bits([7; 32], 1024).unwrap();
    let new = new_poll(&mut w, &body, &people[0]);
    let poll = new.poll.clone();
    let events = w.state.open_residents_poll(new, Some(18), Some(secret.public()), &people[0], w.now).unwrap();
    assert!(
        matches!(&events[..], [Event::PollOpened { .. }, Event::PollResidencyRequired { .. }, Event::VotingKeyPublished { .. }]),
        "{events:?}"
    );
    w.commit(Ok(events));
    assert!(w.state.unlinkable_poll(&poll).is_some());
    assert_eq!(roll(&w, &poll), [people[1].clone()]);
    assert!(w.state.may_take_voting_token(&poll, &people[1], w.now).is_ok());
    assert_eq!(w.state.may_take_voting_token(&poll, &people[2], w.now).err(), Some(Refusal::NotOnRoll));
    assert_eq!(State::replay(&w.log).unwrap().unlinkable_poll(&poll), w.state.unlinkable_poll(&poll));
}
