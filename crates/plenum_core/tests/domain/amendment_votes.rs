//! Amendments put to a vote: a facilitator opens a poll on an amendment; it is decided by the
//! charter's rule for ordinary motions, and its result adopts or declines the amendment.

use plenum_core::motion::AmendmentStatus;
use plenum_core::{
    AccountId, AmendmentId, Charter, Choice, Event, MotionId, MotionKind, MotionStatus, OpenAmendmentPoll, OpenPoll, PollId,
    Prose, Refusal, Secrecy, State, ThresholdRule,
};

use crate::world::World;

const NEW_TEXT: &str = "The assembly asks the city to plant forty trees.";

/// Ana (facilitator, mover) and Ben, Cai (members); a policy motion with one amendment by Ben.
fn motion_with_amendment(charter: Option<Charter>) -> (World, Vec<AccountId>, MotionId, AmendmentId) {
    let mut w = World::new();
    let ana = w.resident("Ana");
    let body = w.assembly("old-town", &ana, charter);
    let (ben, cai) = (w.resident("Ben"), w.resident("Cai"));
    w.join(&body, &ben);
    w.join(&body, &cai);
    let motion = w.motion(&body, &ana, MotionKind::Policy, None);
    let amendment = AmendmentId::parse(&w.id()).unwrap();
    let events = w.state.propose_amendment(amendment.clone(), &motion, Prose::parse(NEW_TEXT).unwrap(), &ben, w.now);
    w.commit(events);
    (w, vec![ana, ben, cai], motion, amendment)
}

fn put_to_vote(
    w: &mut World,
    motion: &MotionId,
    amendment: &AmendmentId,
    by: &AccountId,
    secrecy: Secrecy,
) -> Result<PollId, Refusal> {
    let poll = PollId::parse(&w.id()).unwrap();
    let new = OpenAmendmentPoll {
        poll: poll.clone(),
        motion: motion.clone(),
        amendment: amendment.clone(),
        secrecy,
        opens_at: w.now,
        closes_at: w.now.plus_seconds(3600),
    };
    let events = w.state.open_amendment_poll(new, by, w.now)?;
    w.commit(Ok(events));
    Ok(poll)
}

fn amendment_status(state: &State, motion: &MotionId) -> AmendmentStatus {
    state.motion(motion).unwrap().amendments[0].status
}

#[test]
fn an_amendment_that_passes_its_vote_replaces_the_text_and_the_motion_stays_open() {
    let (mut w, people, motion, amendment) = motion_with_amendment(None);
    let poll = put_to_vote(&mut w, &motion, &amendment, &people[0], Secrecy::Secret).unwrap();
    assert_eq!(amendment_status(&w.state, &motion), AmendmentStatus::Voting);
    assert_eq!(w.state.motion(&motion).unwrap().status, MotionStatus::Open);
    for (who, choice) in people.iter().zip([Choice::Yes, Choice::Yes, Choice::No]) {
        w.vote(&poll, who, choice).unwrap();
    }
    w.close(&poll);
    assert!(matches!(w.log.last(), Some(Event::AmendmentDecided { adopted: true, .. })), "{:?}", w.log.last());
    let m = w.state.motion(&motion).unwrap();
    assert_eq!((m.text.as_str(), &m.status), (NEW_TEXT, &MotionStatus::Open));
    assert_eq!(m.amendments[0].status, AmendmentStatus::Accepted);
    assert_eq!(m.amendments[0].poll.as_ref(), Some(&poll));
    assert!(w.state.poll(&poll).unwrap().closed.as_ref().unwrap().result.passed);
    // The motion itself can now be put to a vote, on its amended text.
    w.poll(&motion, &people[0], Secrecy::Open);
    assert_eq!(w.replayed(), w.state);
}

#[test]
fn an_amendment_that_fails_its_vote_is_declined_and_the_text_stays() {
    let (mut w, people, motion, amendment) = motion_with_amendment(None);
    let before = w.state.motion(&motion).unwrap().text.clone();
    let poll = put_to_vote(&mut w, &motion, &amendment, &people[0], Secrecy::Open).unwrap();
    for (who, choice) in people.iter().zip([Choice::Yes, Choice::No, Choice::No]) {
        w.vote(&poll, who, choice).unwrap();
    }
    w.close(&poll);
    let m = w.state.motion(&motion).unwrap();
    assert_eq!((&m.text, m.amendments[0].status), (&before, AmendmentStatus::Declined));
    assert_eq!(m.status, MotionStatus::Open);
    assert_eq!(w.replayed(), w.state);
}

#[test]
fn an_amendment_vote_uses_the_rule_for_ordinary_motions_even_on_a_charter_amendment() {
    let charter =
        Charter { default_threshold: ThresholdRule::TWO_THIRDS, amendment: ThresholdRule::SIMPLE_MAJORITY, ..Charter::default() };
    let (mut w, people, motion, amendment) = motion_with_amendment(Some(charter));
    let poll = put_to_vote(&mut w, &motion, &amendment, &people[0], Secrecy::Secret).unwrap();
    assert_eq!(w.state.poll(&poll).unwrap().rules.threshold, ThresholdRule::TWO_THIRDS);
    assert_eq!(w.state.poll(&poll).unwrap().amendment.as_ref(), Some(&amendment));
}

#[test]
fn only_a_facilitator_puts_an_amendment_to_a_vote_and_only_once_while_it_runs() {
    let (mut w, people, motion, amendment) = motion_with_amendment(None);
    assert_eq!(put_to_vote(&mut w, &motion, &amendment, &people[1], Secrecy::Secret), Err(Refusal::NotAFacilitator));
    put_to_vote(&mut w, &motion, &amendment, &people[0], Secrecy::Secret).unwrap();
    assert_eq!(put_to_vote(&mut w, &motion, &amendment, &people[0], Secrecy::Secret), Err(Refusal::AmendmentBeingVotedOn));
    // The mover cannot settle it, withdraw the motion or put the motion to a vote meanwhile.
    assert_eq!(w.state.settle_amendment(&motion, &amendment, true, &people[0], w.now), Err(Refusal::AmendmentBeingVotedOn));
    assert_eq!(w.state.withdraw_motion(&motion, &people[0], w.now), Err(Refusal::AmendmentVotePending));
    let new = OpenPoll {
        poll: PollId::parse(&w.id()).unwrap(),
        motion: motion.clone(),
        secrecy: Secrecy::Open,
        opens_at: w.now,
        closes_at: w.now.plus_seconds(60),
    };
    assert_eq!(w.state.open_poll(new, &people[0], w.now), Err(Refusal::AmendmentVotePending));
    // A second amendment waits for the first one's vote.
    let second = AmendmentId::parse(&w.id()).unwrap();
    let events = w.state.propose_amendment(second.clone(), &motion, Prose::parse("Fifty trees.").unwrap(), &people[2], w.now);
    w.commit(events);
    assert_eq!(put_to_vote(&mut w, &motion, &second, &people[0], Secrecy::Open), Err(Refusal::AmendmentVotePending));
}

#[test]
fn a_settled_amendment_cannot_be_put_to_a_vote() {
    let (mut w, people, motion, amendment) = motion_with_amendment(None);
    let events = w.state.settle_amendment(&motion, &amendment, false, &people[0], w.now);
    w.commit(events);
    assert_eq!(put_to_vote(&mut w, &motion, &amendment, &people[0], Secrecy::Open), Err(Refusal::AmendmentSettled));
}

#[test]
fn the_new_event_kinds_read_back_from_their_json() {
    let (mut w, people, motion, amendment) = motion_with_amendment(None);
    let poll = put_to_vote(&mut w, &motion, &amendment, &people[0], Secrecy::Open).unwrap();
    w.vote(&poll, &people[0], Choice::Yes).unwrap();
    w.close(&poll);
    let kinds: Vec<&str> = w.log.iter().map(Event::kind).collect();
    assert!(kinds.ends_with(&["poll_closed", "amendment_decided"]), "{kinds:?}");
    assert!(kinds.contains(&"amendment_poll_opened"));
    let json = serde_json::to_string(&w.log).unwrap();
    let back: Vec<Event> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, w.log);
    assert!(back.iter().all(|e| e.version() == 1));
    assert_eq!(State::replay(&back).unwrap(), w.state);
}
