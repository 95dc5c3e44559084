//! The confederation: councils over assemblies (and over councils), delegates elected and
//! drawn, mandates, a deviation and the recall that follows, ratification down the levels,
//! disputes and tasks. The scenario of issue 5, and its properties.

use plenum_core::{
    AccountId, AddTask, AnnounceDraw, BodyId, BodySlug, BringDispute, Choice, Combine, CreateBody, CreateCouncil, Decision,
    DelegationRules, DisputeId, DisputeStage, DrawId, ElectDelegates, Event, Hex32, MeetingId, MotionId, MotionKind, NonDecider,
    OpenRatification, PolicyStatus, PollId, Prose, RatificationId, RatificationRule, RecallId, RecallStage, Refusal, ReportId,
    ScheduleMeeting, SeatRule, Secrecy, SeekMandate, StartRecall, TaskId, TaskStatus, Title, Venue,
};
use proptest::prelude::*;

use crate::world::World;

fn title(t: &str) -> Title {
    Title::parse(t).unwrap()
}

fn prose(t: &str) -> Prose {
    Prose::parse(t).unwrap()
}

/// Helpers on the test world for the confederation.
trait Confed {
    fn council(
        &mut self,
        slug: &str,
        clerk: &AccountId,
        constituents: Vec<(BodyId, DelegationRules)>,
        seats: SeatRule,
        rule: RatificationRule,
    ) -> BodyId;
    fn ids(&mut self, n: usize) -> Vec<(MotionId, PollId)>;
    fn close_now(&mut self, poll: &PollId);
}

impl Confed for World {
    fn council(
        &mut self,
        slug: &str,
        clerk: &AccountId,
        constituents: Vec<(BodyId, DelegationRules)>,
        seats: SeatRule,
        rule: RatificationRule,
    ) -> BodyId {
        let body = BodyId::parse(&self.id()).unwrap();
        let new = CreateCouncil {
            body: CreateBody {
                body: body.clone(),
                slug: BodySlug::parse(slug).unwrap(),
                name: title(&format!("Council {slug}")),
                charter: None,
            },
            constituents,
            seats,
            ratification: rule,
        };
        let events = self.state.create_council(new, clerk, self.now);
        self.commit(events);
        body
    }

    fn ids(&mut self, n: usize) -> Vec<(MotionId, PollId)> {
        (0..n).map(|_| (MotionId::parse(&self.id()).unwrap(), PollId::parse(&self.id()).unwrap())).collect()
    }

    fn close_now(&mut self, poll: &PollId) {
        self.close(poll);
    }
}

/// An assembly founded by `founder` with `n` more members.
fn assembly(w: &mut World, slug: &str, n: usize) -> (BodyId, Vec<AccountId>) {
    let founder = w.resident(&format!("Founder of {slug}"));
    let body = w.assembly(slug, &founder, None);
    let mut members = vec![founder];
    for i in 0..n {
        let m = w.resident(&format!("{slug} member {i}"));
        w.join(&body, &m);
        members.push(m);
    }
    (body, members)
}

const DOUBLE: RatificationRule = RatificationRule { combine: Combine::DoubleMajority, non_decider: NonDecider::No };

fn seed() -> Hex32 {
    Hex32::from_bytes([9; 32])
}

#[test]
fn assemblies_mandate_a_deviating_delegate_is_recalled_and_replaced_and_the_policy_is_ratified() {
    let mut w = World::new();
    let clerk = w.resident("Clerk");
    let (north, nm) = assembly(&mut w, "north", 5);
    let (south, sm) = assembly(&mut w, "south", 5);
    let mut drawn_rules = DelegationRules::drawn();
    drawn_rules.recall_on_deviation = true;
    let council = w.council(
        "city",
        &clerk,
        vec![(north.clone(), DelegationRules::elected()), (south.clone(), drawn_rules)],
        SeatRule::Fixed { per_constituent: 2 },
        DOUBLE,
    );

    // North elects two delegates by STV.
    let ballots = vec![
        vec![nm[1].clone(), nm[2].clone()],
        vec![nm[1].clone(), nm[3].clone()],
        vec![nm[2].clone(), nm[1].clone()],
        vec![nm[3].clone(), nm[2].clone()],
        vec![nm[2].clone()],
    ];
    let elect = ElectDelegates {
        council: council.clone(),
        constituent: north.clone(),
        candidates: vec![nm[1].clone(), nm[2].clone(), nm[3].clone()],
        ballots,
        term_ends: w.now.plus_seconds(365 * 86_400),
    };
    let events = w.state.elect_delegates(elect, &nm[0], w.now);
    w.commit(events);
    let mut seated: Vec<AccountId> =
        w.state.delegation(&council, &north).unwrap().current().map(|s| s.delegate.clone()).collect();
    seated.sort();
    assert_eq!(seated, vec![nm[1].clone(), nm[2].clone()], "nm[3]'s ballot transfers to nm[2]");
    // South fills its seats by lot; an election is refused.
    let wrong = ElectDelegates {
        council: council.clone(),
        constituent: south.clone(),
        candidates: vec![sm[1].clone()],
        ballots: vec![],
        term_ends: w.now.plus_seconds(86_400),
    };
    assert_eq!(w.state.elect_delegates(wrong, &sm[0], w.now), Err(Refusal::WrongSelection { method: "sortition" }));

    // South draws two by lot: commitment first, volunteers, then the seed revealed.
    let draw = DrawId::parse(&w.id()).unwrap();
    let announce = AnnounceDraw {
        draw: draw.clone(),
        council: council.clone(),
        constituent: south.clone(),
        commitment: seed().commitment(),
        volunteers_close_at: w.now.plus_seconds(86_400),
        quotas: vec![],
        term_ends: w.now.plus_seconds(365 * 86_400),
    };
    let events = w.state.announce_draw(announce, &sm[0], w.now);
    w.commit(events);
    for m in &sm[1..5] {
        let events = w.state.volunteer(&draw, None, m, w.now);
        w.commit(events);
    }
    assert_eq!(w.state.volunteer(&draw, None, &sm[1], w.now), Err(Refusal::AlreadyVolunteered));
    assert!(matches!(w.state.hold_draw(&draw, seed(), &sm[0], w.now), Err(Refusal::VolunteeringStillOpen { .. })));
    w.now = w.now.plus_seconds(86_400);
    assert_eq!(w.state.hold_draw(&draw, Hex32::from_bytes([1; 32]), &sm[0], w.now), Err(Refusal::SeedMismatch));
    let events = w.state.hold_draw(&draw, seed(), &sm[0], w.now);
    w.commit(events);
    let south_delegates: Vec<AccountId> =
        w.state.delegation(&council, &south).unwrap().current().map(|s| s.delegate.clone()).collect();
    assert_eq!(south_delegates.len(), 2);
    assert_eq!(w.state.draw(&draw).unwrap().repeat(), Ok(()));

    // The council puts a policy on its agenda; both assemblies mandate their delegates: yes.
    let item = w.motion(&council, &nm[1], MotionKind::Policy, None);
    for (body, members) in [(&north, &nm), (&south, &sm)] {
        let ids = w.ids(1);
        let seek = SeekMandate {
            council_motion: item.clone(),
            constituent: body.clone(),
            motion: ids[0].0.clone(),
            poll: ids[0].1.clone(),
            secrecy: Secrecy::Secret,
            closes_at: w.now.plus_seconds(86_400),
        };
        let events = w.state.seek_mandate(seek, &members[0], w.now);
        w.commit(events);
        for m in members.iter() {
            w.vote(&ids[0].1, m, Choice::Yes).unwrap();
        }
        w.close_now(&ids[0].1);
        assert_eq!(w.state.mandate(&item, body).unwrap().decided, Some(Some(Choice::Yes)));
    }
    w.now = w.now.plus_seconds(86_400);

    // The council votes; one south delegate votes against the mandate.
    let poll = w.poll(&item, &clerk, Secrecy::Open);
    w.vote(&poll, &nm[1], Choice::Yes).unwrap();
    w.vote(&poll, &nm[2], Choice::Yes).unwrap();
    w.vote(&poll, &south_delegates[0], Choice::Yes).unwrap();
    let cast = w.vote(&poll, &south_delegates[1], Choice::No).unwrap();
    assert!(matches!(cast.events[1], Event::MandateDeviated { mandate: Choice::Yes, vote: Choice::No, .. }));
    assert!(matches!(cast.events[2], Event::RecallStarted { by: None, .. }), "{:?}", cast.events);
    assert_eq!(w.state.deviations().len(), 1);
    w.close_now(&poll);
    // Passed by the council, but not in effect: it awaits ratification.
    assert!(!w.state.policy_in_effect(&item));
    assert_eq!(w.state.policy_status(&item), Some(PolicyStatus::AwaitingRatification));

    // The automatic petition gathers signatures: a quarter of 6 members is 2 (1.5 rounded up).
    let recall = w.state.recalls().next().unwrap().id.clone();
    let ids = w.ids(1);
    let events = w.state.sign_recall(&recall, ids[0].clone(), &sm[0], w.now);
    assert_eq!(events.as_ref().unwrap().len(), 1, "one signature of six is not a quarter");
    w.commit(events);
    assert_eq!(w.state.sign_recall(&recall, ids[0].clone(), &sm[0], w.now), Err(Refusal::AlreadySigned));
    let signer = sm.iter().find(|m| !south_delegates.contains(m) && **m != sm[0]).unwrap().clone();
    let events = w.state.sign_recall(&recall, ids[0].clone(), &signer, w.now);
    w.commit(events);
    let RecallStage::Polling { poll: recall_poll } = w.state.recall(&recall).unwrap().stage.clone() else { panic!() };
    for m in &sm {
        w.vote(&recall_poll, m, Choice::Yes).unwrap();
    }
    w.now = w.now.plus_seconds(8 * 86_400);
    w.close_now(&recall_poll);
    assert!(matches!(w.state.recall(&recall).unwrap().stage, RecallStage::Recalled { .. }));
    let now_south: Vec<AccountId> = w.state.delegation(&council, &south).unwrap().current().map(|s| s.delegate.clone()).collect();
    assert_eq!(now_south.len(), 2, "the vacancy is redrawn at once");
    assert!(!now_south.contains(&south_delegates[1]));
    assert!(!w.state.body(&council).unwrap().is_member(&south_delegates[1]));
    assert_eq!(w.state.draw(&draw).unwrap().repeat(), Ok(()));

    // Ratification: each assembly votes; double majority of bodies and votes.
    let rid = RatificationId::parse(&w.id()).unwrap();
    let ids = w.ids(2);
    let open = OpenRatification {
        ratification: rid.clone(),
        subject: plenum_core::RatificationSubject::Motion { motion: item.clone() },
        closes_at: w.now.plus_seconds(86_400),
        ids: ids.clone(),
    };
    let events = w.state.open_ratification(open.clone(), &clerk, w.now);
    w.commit(events);
    assert!(w.state.open_ratification(open, &clerk, w.now).is_err());
    assert_eq!(w.state.policy_status(&item), Some(PolicyStatus::UnderRatification(rid.clone())));
    for m in &nm {
        w.vote(&ids[0].1, m, Choice::Yes).unwrap();
    }
    for (i, m) in sm.iter().enumerate() {
        w.vote(&ids[1].1, m, if i < 4 { Choice::Yes } else { Choice::No }).unwrap();
    }
    w.now = w.now.plus_seconds(86_400);
    w.close_now(&ids[0].1);
    assert!(!w.state.policy_in_effect(&item), "one of two assemblies has decided");
    w.close_now(&ids[1].1);
    let outcome = w.state.ratification(&rid).unwrap().outcome.clone().unwrap();
    assert!(outcome.ratified);
    assert_eq!(outcome.results.len(), 2);
    assert!(outcome.results.iter().all(|r| r.decision == Decision::Yes));
    assert!(w.state.policy_in_effect(&item));

    // Delegates report back on a council meeting.
    let meeting = MeetingId::parse(&w.id()).unwrap();
    let schedule = ScheduleMeeting {
        meeting: meeting.clone(),
        body: council.clone(),
        title: title("Council session"),
        starts_at: w.now.plus_seconds(3600),
        ends_at: w.now.plus_seconds(7200),
        time_zone: plenum_core::TimeZoneName::parse("Europe/Madrid").unwrap(),
        venue: Venue::InPerson { place: title("Town hall") },
        agenda: vec![],
    };
    let events = w.state.schedule_meeting(schedule, &clerk, w.now);
    w.commit(events);
    let report = ReportId::parse(&w.id()).unwrap();
    let events = w.state.file_report(report, &meeting, prose("We voted yes."), &nm[1], w.now);
    w.commit(events);
    let report = ReportId::parse(&w.id()).unwrap();
    assert_eq!(w.state.file_report(report, &meeting, prose("Not mine."), &nm[4], w.now), Err(Refusal::NotADelegate));
    assert_eq!(w.state.reports().len(), 1);

    // A dispute: claim, answer, hearing, decision, appeal, ratification overturns it.
    let dispute = DisputeId::parse(&w.id()).unwrap();
    let bring = BringDispute {
        dispute: dispute.clone(),
        council: council.clone(),
        claimant: north.clone(),
        respondent: south.clone(),
        title: title("The shared garden"),
        claim: prose("South closed the garden gate."),
    };
    assert_eq!(w.state.bring_dispute(bring.clone(), &sm[0], w.now), Err(Refusal::NotAFacilitator));
    let events = w.state.bring_dispute(bring, &nm[0], w.now);
    w.commit(events);
    let events = w.state.answer_dispute(&dispute, prose("For the winter only."), &sm[0], w.now);
    w.commit(events);
    assert!(matches!(w.state.decide_dispute(&dispute, prose("x"), prose("y"), &clerk, w.now), Err(Refusal::DisputeStage { .. })));
    let events = w.state.schedule_hearing(&dispute, &meeting, &clerk, w.now);
    w.commit(events);
    let events =
        w.state.decide_dispute(&dispute, prose("The gate opens on weekends."), prose("Both need the garden."), &clerk, w.now);
    w.commit(events);
    let rid2 = RatificationId::parse(&w.id()).unwrap();
    let ids = w.ids(2);
    let open = OpenRatification {
        ratification: rid2.clone(),
        subject: plenum_core::RatificationSubject::Motion { motion: item.clone() },
        closes_at: w.now.plus_seconds(86_400),
        ids: ids.clone(),
    };
    let events = w.state.appeal_dispute(&dispute, &south, open, &sm[0], w.now);
    w.commit(events);
    for m in &nm {
        w.vote(&ids[0].1, m, Choice::No).unwrap();
    }
    w.now = w.now.plus_seconds(86_400);
    w.close_now(&ids[0].1);
    w.close_now(&ids[1].1);
    assert!(matches!(w.state.dispute(&dispute).unwrap().stage, DisputeStage::Overturned { .. }));

    // Tasks.
    let task = TaskId::parse(&w.id()).unwrap();
    let add = AddTask {
        task: task.clone(),
        council: council.clone(),
        title: title("Order the trees"),
        responsible: nm[1].clone(),
        due: w.now.plus_seconds(30 * 86_400),
    };
    let events = w.state.add_task(add, &clerk, w.now);
    w.commit(events);
    let events = w.state.update_task(&task, TaskStatus::Done, prose("Ordered."), &nm[1], w.now);
    w.commit(events);
    assert_eq!(w.state.task(&task).unwrap().status, TaskStatus::Done);

    assert_eq!(w.replayed(), w.state);
}

#[test]
fn a_regional_ratification_goes_down_to_the_assemblies_through_the_municipal_councils() {
    let mut w = World::new();
    let clerk = w.resident("Clerk");
    let mut assemblies = Vec::new();
    for slug in ["a1", "a2", "a3", "b1", "b2", "b3"] {
        assemblies.push(assembly(&mut w, slug, 3));
    }
    let majority = RatificationRule { combine: Combine::MajorityOfConstituents, non_decider: NonDecider::No };
    let rules = DelegationRules::elected();
    let a = w.council(
        "muni-a",
        &clerk,
        assemblies[..3].iter().map(|(b, _)| (b.clone(), rules)).collect(),
        SeatRule::ByMembership { total: 5 },
        majority,
    );
    let b = w.council(
        "muni-b",
        &clerk,
        assemblies[3..].iter().map(|(b, _)| (b.clone(), rules)).collect(),
        SeatRule::Fixed { per_constituent: 1 },
        majority,
    );
    assert_eq!(w.state.council(&a).unwrap().constituents.iter().map(|c| c.seats).sum::<u32>(), 5);
    let region =
        w.council("region", &clerk, vec![(a.clone(), rules), (b.clone(), rules)], SeatRule::Fixed { per_constituent: 1 }, DOUBLE);
    assert_eq!(w.state.assemblies_under(&region).len(), 6);
    assert_eq!(w.state.represented(&region), 24);

    let item = w.motion(&region, &clerk, MotionKind::Policy, None);
    let poll = w.poll(&item, &clerk, Secrecy::Open);
    w.vote(&poll, &clerk, Choice::Yes).unwrap();
    w.close_now(&poll);
    assert_eq!(w.state.policy_status(&item), Some(PolicyStatus::AwaitingRatification));
    let rid = RatificationId::parse(&w.id()).unwrap();
    let short = OpenRatification {
        ratification: rid.clone(),
        subject: plenum_core::RatificationSubject::Motion { motion: item.clone() },
        closes_at: w.now.plus_seconds(86_400),
        ids: w.ids(5),
    };
    assert_eq!(w.state.open_ratification(short, &clerk, w.now), Err(Refusal::NotEnoughIds { needed: 6 }));
    let ids = w.ids(6);
    let open = OpenRatification {
        ratification: rid.clone(),
        subject: plenum_core::RatificationSubject::Motion { motion: item.clone() },
        closes_at: w.now.plus_seconds(86_400),
        ids: ids.clone(),
    };
    let events = w.state.open_ratification(open, &clerk, w.now);
    w.commit(events);
    // Municipal A: all three yes. Municipal B: one yes, one no, one no quorum (counts as no).
    let choices = [Some(Choice::Yes), Some(Choice::Yes), Some(Choice::Yes), Some(Choice::Yes), Some(Choice::No), None];
    for (((_, members), (_, poll)), choice) in assemblies.iter().zip(&ids).zip(choices) {
        if let Some(choice) = choice {
            for m in members {
                w.vote(poll, m, choice).unwrap();
            }
        }
    }
    w.now = w.now.plus_seconds(86_400);
    for (_, poll) in &ids {
        w.close_now(poll);
    }
    let outcome = w.state.ratification(&rid).unwrap().outcome.clone().unwrap();
    // Eight results: two municipal councils and six assemblies.
    assert_eq!(outcome.results.len(), 8);
    let of = |body: &BodyId| outcome.results.iter().find(|r| &r.body == body).unwrap().clone();
    assert_eq!(of(&a).decision, Decision::Yes);
    assert_eq!(of(&b).decision, Decision::No);
    assert_eq!(of(&assemblies[5].0).decision, Decision::Undecided);
    assert_eq!(of(&assemblies[5].0).counted_as, Some(false));
    // One council each way: no majority of constituents, so not ratified.
    assert!(!outcome.ratified);
    assert!(!w.state.policy_in_effect(&item));
    assert_eq!(w.replayed(), w.state);
}

#[test]
fn rotation_refuses_a_delegate_past_the_consecutive_term_limit() {
    let mut w = World::new();
    let clerk = w.resident("Clerk");
    let (north, nm) = assembly(&mut w, "north", 3);
    let mut rules = DelegationRules::elected();
    rules.max_consecutive_terms = 1;
    let council = w.council("city", &clerk, vec![(north.clone(), rules)], SeatRule::Fixed { per_constituent: 1 }, DOUBLE);
    let elect = |w: &World, candidates: Vec<AccountId>| ElectDelegates {
        council: council.clone(),
        constituent: north.clone(),
        ballots: vec![candidates.clone()],
        candidates,
        term_ends: w.now.plus_seconds(86_400),
    };
    let events = w.state.elect_delegates(elect(&w, vec![nm[1].clone()]), &nm[0], w.now);
    w.commit(events);
    assert_eq!(
        w.state.elect_delegates(elect(&w, vec![nm[1].clone(), nm[2].clone()]), &nm[0], w.now),
        Err(Refusal::TermLimitReached { resident: nm[1].to_string() })
    );
    let events = w.state.elect_delegates(elect(&w, vec![nm[2].clone()]), &nm[0], w.now);
    w.commit(events);
    // After a term out, nm[1] may serve again.
    assert!(w.state.elect_delegates(elect(&w, vec![nm[1].clone()]), &nm[0], w.now).is_ok());
    assert!(!w.state.body(&council).unwrap().is_member(&nm[1]));
    assert!(w.state.body(&council).unwrap().is_member(&nm[2]));
}

#[test]
fn a_term_ends_when_its_date_passes_and_the_seat_stays_empty_until_the_next_election() {
    let mut w = World::new();
    let clerk = w.resident("Clerk");
    let (north, nm) = assembly(&mut w, "north", 3);
    let council = w.council(
        "city",
        &clerk,
        vec![(north.clone(), DelegationRules::elected())],
        SeatRule::Fixed { per_constituent: 1 },
        DOUBLE,
    );
    let elect = ElectDelegates {
        council: council.clone(),
        constituent: north.clone(),
        candidates: vec![nm[1].clone()],
        ballots: vec![vec![nm[1].clone()]],
        term_ends: w.now.plus_seconds(86_400),
    };
    let events = w.state.elect_delegates(elect, &nm[0], w.now);
    w.commit(events);
    // Before the end date nothing ends; at it, the seat does.
    assert!(w.state.end_terms(w.now.plus_seconds(86_399)).is_empty());
    let events = w.state.end_terms(w.now.plus_seconds(86_400));
    assert_eq!(events.len(), 1);
    assert!(
        matches!(&events[0], Event::SeatVacated { delegate, reason: plenum_core::SeatEnded::TermEnded, .. } if delegate == &nm[1])
    );
    w.commit(Ok(events));
    assert_eq!(w.state.delegation(&council, &north).unwrap().current().count(), 0, "no one is seated in their place");
    assert!(!w.state.body(&council).unwrap().is_member(&nm[1]), "and the former delegate no longer votes in the council");
    assert!(w.state.end_terms(w.now.plus_seconds(10 * 86_400)).is_empty(), "a term ends once");
    assert_eq!(w.replayed(), w.state);
}

#[test]
fn a_council_votes_in_the_open_so_that_votes_can_be_held_against_the_mandate() {
    let mut w = World::new();
    let clerk = w.resident("Clerk");
    let (north, nm) = assembly(&mut w, "north", 3);
    let (south, _) = assembly(&mut w, "south", 3);
    let city = w.council(
        "city",
        &clerk,
        vec![(north.clone(), DelegationRules::elected()), (south, DelegationRules::elected())],
        SeatRule::Fixed { per_constituent: 1 },
        DOUBLE,
    );
    let region = w.council(
        "region",
        &clerk,
        vec![(city.clone(), DelegationRules::elected())],
        SeatRule::Fixed { per_constituent: 1 },
        DOUBLE,
    );
    let item = w.motion(&city, &clerk, MotionKind::Policy, None);
    let secret = plenum_core::OpenPoll {
        poll: PollId::parse(&w.id()).unwrap(),
        motion: item.clone(),
        secrecy: Secrecy::Secret,
        opens_at: w.now,
        closes_at: w.now.plus_seconds(86_400),
    };
    assert_eq!(w.state.open_poll(secret.clone(), &clerk, w.now), Err(Refusal::CouncilVotesAreOpen));
    assert!(w.state.open_poll(plenum_core::OpenPoll { secrecy: Secrecy::Open, ..secret }, &clerk, w.now).is_ok());
    // An assembly may still vote in secret.
    let local = w.motion(&north, &nm[0], MotionKind::Policy, None);
    w.poll(&local, &nm[0], Secrecy::Secret);
    // A mandate asked of a lower council is a vote of that council: open too.
    let regional_item = w.motion(&region, &clerk, MotionKind::Policy, None);
    let seek = |secrecy| SeekMandate {
        council_motion: regional_item.clone(),
        constituent: city.clone(),
        motion: MotionId::parse("01968a3c-0000-7000-8000-0000000000aa").unwrap(),
        poll: PollId::parse("01968a3c-0000-7000-8000-0000000000ab").unwrap(),
        secrecy,
        closes_at: w.now.plus_seconds(86_400),
    };
    assert_eq!(w.state.seek_mandate(seek(Secrecy::Secret), &clerk, w.now), Err(Refusal::CouncilVotesAreOpen));
    assert!(w.state.seek_mandate(seek(Secrecy::Open), &clerk, w.now).is_ok());
}

#[test]
fn a_confederation_poll_closes_once_its_whole_roll_has_voted_and_an_ordinary_poll_waits() {
    let mut w = World::new();
    let clerk = w.resident("Clerk");
    let (north, nm) = assembly(&mut w, "north", 2);
    let council = w.council(
        "city",
        &clerk,
        vec![(north.clone(), DelegationRules::elected())],
        SeatRule::Fixed { per_constituent: 1 },
        DOUBLE,
    );
    let item = w.motion(&council, &clerk, MotionKind::Policy, None);
    let poll = PollId::parse(&w.id()).unwrap();
    let seek = SeekMandate {
        council_motion: item.clone(),
        constituent: north.clone(),
        motion: MotionId::parse(&w.id()).unwrap(),
        poll: poll.clone(),
        secrecy: Secrecy::Secret,
        closes_at: w.now.plus_seconds(7 * 86_400),
    };
    let events = w.state.seek_mandate(seek, &nm[0], w.now);
    w.commit(events);
    let local = w.motion(&north, &nm[0], MotionKind::Policy, None);
    let ordinary = w.poll(&local, &nm[0], Secrecy::Secret);
    for m in &nm[..2] {
        w.vote(&poll, m, Choice::Yes).unwrap();
        w.vote(&ordinary, m, Choice::Yes).unwrap();
    }
    assert!(matches!(w.state.close_poll(&poll, w.now, [0; 32]), Err(Refusal::PollStillOpen { .. })), "one member has not voted");
    w.vote(&poll, &nm[2], Choice::No).unwrap();
    w.vote(&ordinary, &nm[2], Choice::No).unwrap();
    assert!(
        matches!(w.state.close_poll(&ordinary, w.now, [0; 32]), Err(Refusal::PollStillOpen { .. })),
        "an ordinary poll keeps its window"
    );
    let events = w.state.close_poll(&poll, w.now, [0; 32]);
    w.commit(events);
    assert_eq!(w.state.mandate(&item, &north).unwrap().decided, Some(Some(Choice::Yes)));
    assert_eq!(w.replayed(), w.state);
}

#[test]
fn a_member_who_leaves_stops_counting_towards_a_recall() {
    let mut w = World::new();
    let clerk = w.resident("Clerk");
    let (north, nm) = assembly(&mut w, "north", 7);
    let mut rules = DelegationRules::elected();
    rules.recall_share = plenum_core::Fraction::new(1, 2).unwrap();
    let council = w.council("city", &clerk, vec![(north.clone(), rules)], SeatRule::Fixed { per_constituent: 1 }, DOUBLE);
    let elect = ElectDelegates {
        council: council.clone(),
        constituent: north.clone(),
        candidates: vec![nm[1].clone()],
        ballots: vec![vec![nm[1].clone()]],
        term_ends: w.now.plus_seconds(86_400 * 300),
    };
    let events = w.state.elect_delegates(elect, &nm[0], w.now);
    w.commit(events);
    let recall = RecallId::parse(&w.id()).unwrap();
    let start = StartRecall {
        recall: recall.clone(),
        council: council.clone(),
        delegate: nm[1].clone(),
        reason: Some(prose("Never reports back.")),
    };
    let events = w.state.start_recall(start, &nm[2], w.now);
    w.commit(events);
    for m in &nm[3..5] {
        let ids = w.ids(1);
        let events = w.state.sign_recall(&recall, ids[0].clone(), m, w.now);
        w.commit(events);
    }
    // 3 of 8 signed; nm[3] leaves: 2 of 7 count.
    let events = w.state.leave(&north, &nm[3], &nm[3], w.now);
    w.commit(events);
    assert_eq!(w.state.recall(&recall).unwrap().counting(&w.state), 2);
    let ids = w.ids(1);
    let events = w.state.sign_recall(&recall, ids[0].clone(), &nm[5], w.now).unwrap();
    assert_eq!(events.len(), 1, "3 of 7 is less than half");
    w.commit(Ok(events));
    let events = w.state.sign_recall(&recall, ids[0].clone(), &nm[6], w.now).unwrap();
    assert!(events.iter().any(|e| matches!(e, Event::RecallQualified { signatures: 4, members: 7, .. })), "{events:?}");
    // Too late to sign.
    w.commit(Ok(events));
    w.now = w.now.plus_seconds(31 * 86_400);
    let ids = w.ids(1);
    assert_eq!(w.state.sign_recall(&recall, ids[0].clone(), &nm[7], w.now), Err(Refusal::PetitionClosed));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The petition reaches the poll exactly when signatures × q ≥ p × members.
    #[test]
    fn recall_thresholds_are_exact(extra in 1usize..10, p in 1u64..6, q in 1u64..7, signers in 1usize..11) {
        prop_assume!(p <= q);
        let mut w = World::new();
        let clerk = w.resident("Clerk");
        let (north, nm) = assembly(&mut w, "north", extra);
        let mut rules = DelegationRules::elected();
        rules.recall_share = plenum_core::Fraction::new(p, q).unwrap();
        let council = w.council("city", &clerk, vec![(north.clone(), rules)], SeatRule::Fixed { per_constituent: 1 }, DOUBLE);
        let elect = ElectDelegates { council: council.clone(), constituent: north.clone(), candidates: vec![nm[0].clone()], ballots: vec![], term_ends: w.now.plus_seconds(86_400 * 300) };
        let events = w.state.elect_delegates(elect, &nm[0], w.now);
        w.commit(events);
        let members = nm.len() as u64;
        let recall = RecallId::parse(&w.id()).unwrap();
        let start = StartRecall { recall: recall.clone(), council, delegate: nm[0].clone(), reason: None };
        let events = w.state.start_recall(start, &nm[0], w.now);
        w.commit(events);
        let mut signed = 1u64;
        let mut opened_at = if signed * q >= p * members { Some(signed) } else { None };
        for m in nm.iter().skip(1).take(signers) {
            if opened_at.is_some() { break; }
            let ids = w.ids(1);
            let events = w.state.sign_recall(&recall, ids[0].clone(), m, w.now).unwrap();
            signed += 1;
            let opened = events.iter().any(|e| matches!(e, Event::RecallQualified { .. }));
            prop_assert_eq!(opened, signed * q >= p * members);
            if opened { opened_at = Some(signed); }
            w.commit(Ok(events));
        }
        if let Some(n) = opened_at {
            prop_assert!(n * q >= p * members && (n == 1 || (n - 1) * q < p * members));
        }
    }

    /// Whatever the votes, a council's policy is in effect only after a ratification says yes.
    #[test]
    fn a_council_never_adopts_policy_without_ratification(
        council_votes in proptest::collection::vec(0u8..3, 1..4),
        assembly_votes in proptest::collection::vec(proptest::collection::vec(0u8..3, 0..4), 2..4),
        ratify in any::<bool>(),
    ) {
        let choice = |v: u8| [Choice::Yes, Choice::No, Choice::Abstain][usize::from(v)];
        let mut w = World::new();
        let clerk = w.resident("Clerk");
        let mut bodies = Vec::new();
        for (i, _) in assembly_votes.iter().enumerate() {
            bodies.push(assembly(&mut w, &format!("as{i}"), 3));
        }
        let council = w.council("city", &clerk, bodies.iter().map(|(b, _)| (b.clone(), DelegationRules::elected())).collect(), SeatRule::Fixed { per_constituent: 1 }, DOUBLE);
        let item = w.motion(&council, &clerk, MotionKind::Policy, None);
        let poll = w.poll(&item, &clerk, Secrecy::Open);
        w.vote(&poll, &clerk, choice(council_votes[0])).unwrap();
        w.close_now(&poll);
        prop_assert!(!w.state.policy_in_effect(&item));
        if ratify {
            let rid = RatificationId::parse(&w.id()).unwrap();
            let ids = w.ids(bodies.len());
            let open = OpenRatification { ratification: rid, subject: plenum_core::RatificationSubject::Motion { motion: item.clone() }, closes_at: w.now.plus_seconds(86_400), ids: ids.clone() };
            let events = w.state.open_ratification(open, &clerk, w.now);
            if w.state.policy_status(&item) == Some(PolicyStatus::AwaitingRatification) {
                w.commit(events);
                for (((_, members), (_, p)), votes) in bodies.iter().zip(&ids).zip(&assembly_votes) {
                    for (m, v) in members.iter().zip(votes) {
                        w.vote(p, m, choice(*v)).unwrap();
                    }
                }
                w.now = w.now.plus_seconds(86_400);
                for (_, p) in &ids {
                    prop_assert!(!w.state.policy_in_effect(&item));
                    w.close_now(p);
                }
            } else {
                prop_assert!(events.is_err());
            }
        }
        let ratified = w.log.iter().any(|e| matches!(e, Event::RatificationDecided { outcome, .. } if outcome.ratified));
        prop_assert_eq!(w.state.policy_in_effect(&item), ratified);
    }

    /// The same seed and volunteers, in any order, always draw the same people.
    #[test]
    fn sortition_with_the_same_seed_and_volunteers_draws_the_same_people(
        seed in any::<[u8; 32]>(),
        n in 0u64..30,
        seats in 1u32..8,
        rotate in 0usize..30,
        north in 0u32..4,
    ) {
        let volunteers: Vec<plenum_core::Volunteer> = (0..n)
            .map(|i| plenum_core::Volunteer {
                resident: AccountId::parse(&format!("01968a3c-0000-7000-8000-{i:012x}")).unwrap(),
                category: Some(title(if i % 4 == 0 { "north" } else { "south" })),
            })
            .collect();
        let quotas = vec![plenum_core::Quota { category: title("north"), at_least: north.min(seats) }];
        let seed = Hex32::from_bytes(seed);
        let drawn = plenum_core::sortition::draw(&seed, 0, &volunteers, seats, &quotas);
        let mut shuffled = volunteers.clone();
        if !shuffled.is_empty() {
            let k = rotate % shuffled.len();
            shuffled.rotate_left(k);
            shuffled.reverse();
        }
        prop_assert_eq!(&plenum_core::sortition::draw(&seed, 0, &shuffled, seats, &quotas), &drawn);
        prop_assert_eq!(drawn.len() as u64, n.min(u64::from(seats)));
        let mut unique = drawn.clone();
        unique.sort();
        unique.dedup();
        prop_assert_eq!(unique.len(), drawn.len());
        let norths = volunteers.iter().filter(|v| v.category == Some(title("north"))).count() as u32;
        let drawn_north = drawn.iter().filter(|d| volunteers.iter().any(|v| &v.resident == *d && v.category == Some(title("north")))).count() as u32;
        prop_assert!(drawn_north >= north.min(seats).min(norths));
    }
}
