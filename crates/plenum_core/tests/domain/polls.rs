//! Polls: windows, rolls, secret ballots, in-person counts, results, charter amendments.

use plenum_core::{
    Charter, Choice, Event, InPersonCount, MembershipRule, MotionKind, MotionStatus, OpenPoll, PollId, QuorumRule, ReceiptCode,
    Refusal, Secrecy,
};

use crate::world::World;

/// Ana (facilitator) and `n` more members in one assembly, and a policy motion by Ana.
fn assembly_with(n: usize) -> (World, Vec<plenum_core::AccountId>, plenum_core::BodyId, plenum_core::MotionId) {
    let mut w = World::new();
    let ana = w.resident("Ana");
    let body = w.assembly("old-town", &ana, None);
    let mut members = vec![ana.clone()];
    for i in 0..n {
        let m = w.resident(&format!("Member {i}"));
        w.join(&body, &m);
        members.push(m);
    }
    let motion = w.motion(&body, &ana, MotionKind::Policy, None);
    (w, members, body, motion)
}

#[test]
fn a_secret_poll_marks_the_roll_seals_ballots_and_publishes_them_shuffled_at_close() {
    let (mut w, members, _, motion) = assembly_with(3);
    let poll = w.poll(&motion, &members[0], Secrecy::Secret);
    let mut receipts = Vec::new();
    for (member, choice) in members.iter().zip([Choice::Yes, Choice::Yes, Choice::No, Choice::Abstain]) {
        let cast = w.vote(&poll, member, choice).unwrap();
        assert!(matches!(cast.events.as_slice(), [Event::RollMarked { .. }]));
        receipts.push(cast.receipt.unwrap());
    }
    // The log says who voted, never what.
    let json = serde_json::to_string(&w.log).unwrap();
    assert!(!json.contains("\"yes\"") && !json.contains("receipt"), "{json}");
    let p = w.state.poll(&poll).unwrap();
    assert_eq!((p.voted.len(), p.sealed.len()), (4, 4));

    w.close(&poll);
    let p = w.state.poll(&poll).unwrap();
    let closed = p.closed.as_ref().unwrap();
    assert_eq!((closed.result.yes, closed.result.no, closed.result.abstain), (2, 1, 1));
    assert!(closed.result.passed, "{:?}", closed.result);
    assert_eq!(closed.result.rule, "more than 1/2 of the votes cast");
    assert!(p.sealed.is_empty());
    for receipt in &receipts {
        let typed = ReceiptCode::parse(&receipt.as_str().to_lowercase()).unwrap();
        assert_eq!(closed.ballots.iter().filter(|b| b.receipt == typed).count(), 1);
    }
    assert!(matches!(w.state.motion(&motion).unwrap().status, MotionStatus::Passed { .. }));
    assert_eq!(w.replayed(), w.state);
}

#[test]
fn an_open_poll_records_who_voted_what() {
    let (mut w, members, _, motion) = assembly_with(2);
    let poll = w.poll(&motion, &members[0], Secrecy::Open);
    let cast = w.vote(&poll, &members[1], Choice::No).unwrap();
    assert!(cast.sealed.is_none() && cast.receipt.is_none());
    assert!(matches!(&cast.events[..], [Event::VoteCast { member, choice: Choice::No, .. }] if member == &members[1]));
    w.close(&poll);
    let result = &w.state.poll(&poll).unwrap().closed.as_ref().unwrap().result;
    assert!(!result.passed);
    assert!(matches!(w.state.motion(&motion).unwrap().status, MotionStatus::Rejected { .. }));
}

#[test]
fn double_votes_votes_outside_the_window_and_votes_by_non_members_are_refused() {
    let (mut w, members, body, motion) = assembly_with(2);
    let outsider = w.resident("Olga");
    let poll = w.poll(&motion, &members[0], Secrecy::Secret);
    let late_joiner = w.resident("Lena");
    w.join(&body, &late_joiner);

    w.vote(&poll, &members[1], Choice::Yes).unwrap();
    assert_eq!(w.vote(&poll, &members[1], Choice::No), Err(Refusal::AlreadyVoted));
    assert_eq!(w.vote(&poll, &outsider, Choice::Yes), Err(Refusal::NotAMember));
    assert_eq!(w.vote(&poll, &late_joiner, Choice::Yes), Err(Refusal::NotOnRoll));

    let p = w.state.poll(&poll).unwrap().clone();
    let random = w.random();
    let early = w.state.cast_vote(&poll, Choice::Yes, &members[2], p.opens_at.plus_seconds(-1), random);
    assert_eq!(early, Err(Refusal::PollNotOpenYet { opens_at: p.opens_at }));
    let late = w.state.cast_vote(&poll, Choice::Yes, &members[2], p.closes_at, random);
    assert_eq!(late, Err(Refusal::VotingOver { closes_at: p.closes_at }));

    assert_eq!(
        w.state.close_poll(&poll, p.closes_at.plus_seconds(-1), [0; 32]),
        Err(Refusal::PollStillOpen { closes_at: p.closes_at })
    );
    w.close(&poll);
    assert_eq!(w.state.close_poll(&poll, p.closes_at, [0; 32]), Err(Refusal::PollClosed));
    let after = w.state.cast_vote(&poll, Choice::Yes, &members[2], p.closes_at, random);
    assert_eq!(after, Err(Refusal::PollClosed));
}

#[test]
fn only_a_facilitator_opens_a_poll_on_an_open_motion_with_a_sensible_window() {
    let (mut w, members, _, motion) = assembly_with(1);
    let new = |w: &mut World, opens, closes| OpenPoll {
        poll: PollId::parse(&w.id()).unwrap(),
        motion: motion.clone(),
        secrecy: Secrecy::Open,
        opens_at: opens,
        closes_at: closes,
    };
    let now = w.now;
    let p = new(&mut w, now, now.plus_seconds(60));
    assert_eq!(w.state.open_poll(p, &members[1], now), Err(Refusal::NotAFacilitator));
    let p = new(&mut w, now, now);
    assert_eq!(w.state.open_poll(p, &members[0], now), Err(Refusal::BadWindow));
    let p = new(&mut w, now.plus_seconds(-120), now.plus_seconds(-60));
    assert_eq!(w.state.open_poll(p, &members[0], now), Err(Refusal::BadWindow));
    w.poll(&motion, &members[0], Secrecy::Open);
    let p = new(&mut w, now, now.plus_seconds(60));
    assert_eq!(w.state.open_poll(p, &members[0], now), Err(Refusal::MotionNotOpen { status: "voting" }));
}

#[test]
fn in_person_counts_join_the_online_votes_and_count_towards_the_quorum() {
    // Eleven members; the default quorum is a tenth of the roll casting ballots (2 of 11).
    let (mut w, members, _, motion) = assembly_with(10);
    let poll = w.poll(&motion, &members[0], Secrecy::Open);
    w.vote(&poll, &members[1], Choice::No).unwrap();
    let count = InPersonCount { yes: 3, no: 1, abstain: 1, present: 6 };
    assert_eq!(w.state.enter_in_person_count(&poll, count, None, &members[1], w.now), Err(Refusal::NotAFacilitator));
    let too_many = InPersonCount { yes: 3, no: 1, abstain: 1, present: 4 };
    assert!(matches!(
        w.state.enter_in_person_count(&poll, too_many, None, &members[0], w.now),
        Err(Refusal::ImpossibleCount { .. })
    ));
    let crowd = InPersonCount { yes: 3, no: 1, abstain: 1, present: 11 };
    assert!(matches!(
        w.state.enter_in_person_count(&poll, crowd, None, &members[0], w.now),
        Err(Refusal::ImpossibleCount { .. })
    ));
    let events = w.state.enter_in_person_count(&poll, count, None, &members[0], w.now);
    w.commit(events);
    w.close(&poll);
    let result = &w.state.poll(&poll).unwrap().closed.as_ref().unwrap().result;
    assert_eq!((result.yes, result.no, result.abstain, result.online), (3, 2, 1, 1));
    assert!(result.passed && result.quorum_met);
}

#[test]
fn without_quorum_a_poll_fails_and_says_why() {
    let (mut w, members, _, motion) = assembly_with(19);
    let poll = w.poll(&motion, &members[0], Secrecy::Secret);
    w.vote(&poll, &members[1], Choice::Yes).unwrap();
    w.close(&poll);
    let result = &w.state.poll(&poll).unwrap().closed.as_ref().unwrap().result;
    assert!(!result.passed && !result.quorum_met);
    assert_eq!(result.rule, "no quorum: 1 of 2 needed");
}

#[test]
fn a_charter_amendment_changes_the_charter_only_when_two_thirds_agree() {
    for (yes, no, amended) in [(2u64, 1u64, true), (3, 2, false)] {
        let mut w = World::new();
        let ana = w.resident("Ana");
        let body = w.assembly("old-town", &ana, None);
        let mut members = vec![ana.clone()];
        for i in 0..(yes + no - 1) {
            let m = w.resident(&format!("M{i}"));
            w.join(&body, &m);
            members.push(m);
        }
        let proposed =
            Charter { membership: MembershipRule::ApprovalByFacilitator, quorum: QuorumRule::None, ..Charter::default() };
        let motion = w.motion(&body, &ana, MotionKind::CharterAmendment, Some(proposed.clone()));
        let poll = w.poll(&motion, &ana, Secrecy::Open);
        for (i, m) in members.iter().enumerate() {
            let choice = if (i as u64) < yes { Choice::Yes } else { Choice::No };
            w.vote(&poll, m, choice).unwrap();
        }
        w.close(&poll);
        let charter = &w.state.body(&body).unwrap().charter;
        assert_eq!(charter == &proposed, amended, "{yes} yes, {no} no");
        assert_eq!(w.log.last().unwrap().kind() == "charter_amended", amended);
        assert_eq!(w.replayed(), w.state);
    }
}

#[test]
fn a_closed_poll_says_what_decided_it_as_data() {
    let (mut w, members, _, motion) = assembly_with(3);
    let poll = w.poll(&motion, &members[0], Secrecy::Open);
    assert_eq!(w.state.poll(&poll).unwrap().decided_by(), None);
    w.close(&poll);
    let p = w.state.poll(&poll).unwrap();
    let result = &p.closed.as_ref().unwrap().result;
    assert_eq!(p.decided_by(), Some(plenum_core::DecidedBy::NoQuorum { taking_part: 0, needed: result.quorum_needed }));
    assert!(result.rule.starts_with("no quorum"), "{}", result.rule);

    let motion = w.motion(&p.body.clone(), &members[1], MotionKind::Policy, None);
    let poll = w.poll(&motion, &members[0], Secrecy::Open);
    w.vote(&poll, &members[1], Choice::Yes).unwrap();
    w.close(&poll);
    let p = w.state.poll(&poll).unwrap();
    assert_eq!(p.decided_by(), Some(plenum_core::DecidedBy::Threshold(plenum_core::ThresholdRule::SIMPLE_MAJORITY)));
    assert_eq!(p.closed.as_ref().unwrap().result.rule, "more than 1/2 of the votes cast");
}
