//! Membership, meetings, motions and amendments.

use plenum_core::{
    Charter, Event, MeetingId, MembershipRule, MotionKind, MotionStatus, Prose, Refusal, ScheduleMeeting, Side, TimeZoneName,
    Title, Venue,
};

use crate::world::{World, at};

#[test]
fn an_open_charter_admits_at_once_and_an_approval_charter_waits_for_a_facilitator() {
    let mut w = World::new();
    let ana = w.resident("Ana");
    let ben = w.resident("Ben");
    let open = w.assembly("old-town", &ana, None);
    w.join(&open, &ben);
    assert!(w.state.body(&open).unwrap().is_member(&ben));
    assert_eq!(w.state.join(&open, &ben, w.now), Err(Refusal::AlreadyAMember));

    let charter = Charter { membership: MembershipRule::ApprovalByFacilitator, ..Charter::default() };
    let closed = w.assembly("river-side", &ana, Some(charter));
    w.join(&closed, &ben);
    let body = w.state.body(&closed).unwrap();
    assert!(!body.is_member(&ben));
    assert_eq!(body.pending_requests().collect::<Vec<_>>(), [&ben]);
    assert_eq!(w.state.join(&closed, &ben, w.now), Err(Refusal::AlreadyRequested));
    assert_eq!(w.state.approve_membership(&closed, &ben, &ben, w.now), Err(Refusal::NotAFacilitator));
    let events = w.state.approve_membership(&closed, &ben, &ana, w.now);
    w.commit(events);
    assert!(w.state.body(&closed).unwrap().is_member(&ben));
}

#[test]
fn slugs_are_unique_and_the_last_facilitator_cannot_walk_away() {
    let mut w = World::new();
    let ana = w.resident("Ana");
    let ben = w.resident("Ben");
    let body = w.assembly("old-town", &ana, None);
    let again = plenum_core::CreateBody {
        body: plenum_core::BodyId::parse(&w.id()).unwrap(),
        slug: plenum_core::BodySlug::parse("old-town").unwrap(),
        name: Title::parse("Another").unwrap(),
        charter: None,
    };
    assert!(matches!(w.state.create_body(again, &ben, w.now), Err(Refusal::SlugTaken { .. })));
    w.join(&body, &ben);
    assert_eq!(w.state.leave(&body, &ana, &ana, w.now), Err(Refusal::LastFacilitator));
    let events = w.state.appoint_facilitator(&body, &ben, &ana, w.now);
    w.commit(events);
    let events = w.state.leave(&body, &ana, &ana, w.now);
    w.commit(events);
    assert!(!w.state.body(&body).unwrap().is_member(&ana));
}

#[test]
fn a_facilitator_schedules_a_meeting_records_it_and_publishes_the_minutes() {
    let mut w = World::new();
    let ana = w.resident("Ana");
    let ben = w.resident("Ben");
    let body = w.assembly("old-town", &ana, None);
    w.join(&body, &ben);
    let motion = w.motion(&body, &ben, MotionKind::Policy, None);
    let meeting = MeetingId::parse(&w.id()).unwrap();
    let schedule = |agenda| ScheduleMeeting {
        meeting: meeting.clone(),
        body: body.clone(),
        title: Title::parse("May assembly").unwrap(),
        starts_at: at("2025-05-10T17:00:00Z"),
        ends_at: at("2025-05-10T19:00:00Z"),
        time_zone: TimeZoneName::parse("Europe/Madrid").unwrap(),
        venue: Venue::InPerson { place: Title::parse("Community centre, Calle Mayor 3").unwrap() },
        agenda,
    };
    assert_eq!(w.state.schedule_meeting(schedule(vec![motion.clone()]), &ben, w.now), Err(Refusal::NotAFacilitator));
    assert!(matches!(
        w.state.schedule_meeting(schedule(vec![motion.clone(), motion.clone()]), &ana, w.now),
        Err(Refusal::Duplicate { .. })
    ));
    let events = w.state.schedule_meeting(schedule(vec![motion]), &ana, w.now);
    w.commit(events);

    assert_eq!(w.state.publish_minutes(&meeting, &ana, w.now), Err(Refusal::MinutesMissing));
    let events = w.state.record_attendance(&meeting, vec![ben.clone(), ana.clone()], 3, &ana, w.now);
    w.commit(events);
    let minutes = Prose::parse("The assembly discussed the trees.").unwrap();
    let events = w.state.record_minutes(&meeting, minutes.clone(), &ana, w.now);
    w.commit(events);
    let events = w.state.publish_minutes(&meeting, &ana, w.now);
    w.commit(events);
    let m = w.state.meeting(&meeting).unwrap();
    assert_eq!(m.present.len(), 2);
    assert_eq!((m.guests, m.minutes.as_ref(), m.published_at), (3, Some(&minutes), Some(w.now)));
    assert_eq!(w.state.record_minutes(&meeting, minutes, &ana, w.now), Err(Refusal::MinutesAlreadyPublished));
}

#[test]
fn an_amendment_the_mover_accepts_replaces_the_text_and_arguments_gather_on_both_sides() {
    let mut w = World::new();
    let ana = w.resident("Ana");
    let ben = w.resident("Ben");
    let outsider = w.resident("Olga");
    let body = w.assembly("old-town", &ana, None);
    w.join(&body, &ben);
    let motion = w.motion(&body, &ben, MotionKind::Policy, None);
    let text = Prose::parse("The assembly asks the city to plant forty trees.").unwrap();
    let amendment = plenum_core::AmendmentId::parse(&w.id()).unwrap();
    assert_eq!(w.state.propose_amendment(amendment.clone(), &motion, text.clone(), &outsider, w.now), Err(Refusal::NotAMember));
    let events = w.state.propose_amendment(amendment.clone(), &motion, text.clone(), &ana, w.now);
    w.commit(events);
    assert_eq!(w.state.settle_amendment(&motion, &amendment, true, &ana, w.now), Err(Refusal::NotTheMover));
    let events = w.state.settle_amendment(&motion, &amendment, true, &ben, w.now);
    w.commit(events);
    assert_eq!(w.state.motion(&motion).unwrap().text, text);
    assert_eq!(w.state.settle_amendment(&motion, &amendment, false, &ben, w.now), Err(Refusal::AmendmentSettled));

    for side in [Side::For, Side::Against] {
        let argument = plenum_core::ArgumentId::parse(&w.id()).unwrap();
        let events = w.state.add_argument(argument, &motion, side, Prose::parse("Shade.").unwrap(), &ana, w.now);
        w.commit(events);
    }
    assert_eq!(w.state.motion(&motion).unwrap().arguments.len(), 2);
    let events = w.state.withdraw_motion(&motion, &ben, w.now);
    w.commit(events);
    assert_eq!(w.state.motion(&motion).unwrap().status, MotionStatus::Withdrawn);
}

#[test]
fn a_charter_amendment_must_carry_a_charter_and_kinds_of_later_slices_wait() {
    let mut w = World::new();
    let ana = w.resident("Ana");
    let body = w.assembly("old-town", &ana, None);
    let new = |w: &mut World, kind, charter| plenum_core::FileMotion {
        motion: plenum_core::MotionId::parse(&w.id()).unwrap(),
        body: body.clone(),
        kind,
        title: Title::parse("t").unwrap(),
        text: Prose::parse("t").unwrap(),
        proposed_charter: charter,
    };
    let m = new(&mut w, MotionKind::CharterAmendment, None);
    assert_eq!(w.state.file_motion(m, &ana, w.now), Err(Refusal::ProposedCharterMissing));
    let m = new(&mut w, MotionKind::Policy, Some(Charter::default()));
    assert_eq!(w.state.file_motion(m, &ana, w.now), Err(Refusal::ProposedCharterUnexpected));
    let m = new(&mut w, MotionKind::Recall, None);
    assert_eq!(w.state.file_motion(m, &ana, w.now), Err(Refusal::KindNotSupportedYet { kind: "recall" }));
}

#[test]
fn events_are_json_with_stable_snake_case_kinds_and_read_back_the_same() {
    let mut w = World::new();
    let ana = w.resident("Ana");
    let body = w.assembly("old-town", &ana, None);
    w.motion(&body, &ana, MotionKind::Policy, None);
    let kinds: Vec<&str> = w.log.iter().map(Event::kind).collect();
    assert_eq!(kinds, ["resident_registered", "body_created", "motion_filed"]);
    for event in &w.log {
        let json = serde_json::to_value(event).unwrap();
        assert_eq!(json["kind"], event.kind());
        assert_eq!(&serde_json::from_value::<Event>(json).unwrap(), event);
    }
    let json = serde_json::to_string(&w.log[1]).unwrap();
    assert!(json.contains(r#""slug":"old-town""#) && json.contains(r#""membership":"open""#), "{json}");
    assert!(serde_json::from_str::<Event>(&json.replace("old-town", "Old Town")).is_err());
}
