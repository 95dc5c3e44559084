//! The demo's confederation, three levels: six assemblies (the four of the demo, Docks and
//! Market), two municipal councils (West: Riverside, Old Town, Harbour; East: Hillside, Docks,
//! Market) and the Regional Council over both. Its history shows every feature: an elected
//! delegation (Riverside, STV) and a drawn one (Old Town, by lot from a committed seed), the
//! assemblies' mandates on the West Council's night-bus policy, a delegate who voted against
//! Old Town's mandate, the recall that followed and the redraw that replaced her, the policy
//! ratified by double majority, a dispute in the East Council heard and settled, a delegate's
//! report and an administrative task.

use plenum_core::{
    AccountId, AddTask, AnnounceDraw, BodyId, BodySlug, BringDispute, Choice, Combine, CreateBody, CreateCouncil,
    DelegationRules, DisplayName, DisputeId, DrawId, ElectDelegates, FileMotion, Hex32, Instant, MeetingId, MotionId, MotionKind,
    NonDecider, OpenPoll, OpenRatification, PollId, Prose, RatificationId, RatificationRule, RatificationSubject, RecallStage,
    ReportId, ScheduleMeeting, SeatRule, Secrecy, SeekMandate, TaskId, TaskStatus, TimeZoneName, Title, Venue,
};
use plenum_store::{NewAccount, Store};

use crate::auth::hash_password;
use crate::demo::{DEMO_PASSWORD, DemoError};
use crate::ids::{ballot_randomness, new_id, random_bytes};

const MORE_PEOPLE: [(&str, &str); 9] = [
    ("clerk", "Marta Llorens"),
    ("kofi", "Kofi Mensah"),
    ("lena", "Lena Vogel"),
    ("mateo", "Mateo Silva"),
    ("nadia", "Nadia Haddad"),
    ("oscar", "Óscar Prieto"),
    ("priya", "Priya Nair"),
    ("quinn", "Quinn Byrne"),
    ("rui", "Rui Costa"),
];

struct Conf<'s> {
    store: &'s Store,
    now: Instant,
}

impl Conf<'_> {
    fn ago(&self, days: i64) -> Instant {
        self.now.plus_seconds(-days * 86_400)
    }

    async fn person(&self, login: &str) -> Result<AccountId, DemoError> {
        // Demo accounts are found by their display names, which the demo chose unique.
        let name = MORE_PEOPLE
            .iter()
            .chain(crate::demo::PEOPLE.iter())
            .find(|(l, _)| *l == login)
            .map(|(_, n)| *n)
            .ok_or_else(|| DemoError::Other(format!("no demo person {login}")))?;
        self.store.read(|s| find_resident(s, name)).await.ok_or_else(|| DemoError::Other(format!("{login} is not registered")))
    }

    async fn people(&self, logins: &[&str]) -> Result<Vec<AccountId>, DemoError> {
        let mut out = Vec::new();
        for l in logins {
            out.push(self.person(l).await?);
        }
        Ok(out)
    }

    async fn body(&self, slug: &str) -> Result<BodyId, DemoError> {
        let slug = BodySlug::parse(slug)?;
        self.store
            .read(|s| s.body_by_slug(&slug).map(|b| b.id.clone()))
            .await
            .ok_or_else(|| DemoError::Other(format!("no {slug}")))
    }

    async fn poll_closed(&self, poll: &PollId) -> Result<(), DemoError> {
        let closes_at = self.store.read(|s| s.poll(poll).map(|p| p.closes_at)).await.unwrap_or(self.now);
        let seed = random_bytes::<32>()?;
        self.store.execute(|s| s.close_poll(poll, closes_at, seed)).await?;
        Ok(())
    }

    async fn votes(&self, poll: &PollId, votes: &[(&str, Choice)], at: Instant) -> Result<(), DemoError> {
        for (who, choice) in votes {
            let who = self.person(who).await?;
            self.store.cast_vote(poll, *choice, &who, at, ballot_randomness()?).await?;
        }
        Ok(())
    }

    async fn council(
        &self,
        slug: &str,
        name: &str,
        constituents: Vec<(BodyId, DelegationRules)>,
        seats: SeatRule,
        ratification: RatificationRule,
    ) -> Result<BodyId, DemoError> {
        let body = new_id(BodyId::parse)?;
        let new = CreateCouncil {
            body: CreateBody { body: body.clone(), slug: BodySlug::parse(slug)?, name: Title::parse(name)?, charter: None },
            constituents,
            seats,
            ratification,
        };
        let clerk = self.person("clerk").await?;
        self.store.execute(|s| s.create_council(new, &clerk, self.ago(95))).await?;
        Ok(body)
    }

    async fn elect(
        &self,
        council: &BodyId,
        constituent: &BodyId,
        by: &str,
        candidates: &[&str],
        ballots: &[&[&str]],
    ) -> Result<(), DemoError> {
        let mut ranked = Vec::new();
        for b in ballots {
            ranked.push(self.people(b).await?);
        }
        let new = ElectDelegates {
            council: council.clone(),
            constituent: constituent.clone(),
            candidates: self.people(candidates).await?,
            ballots: ranked,
            term_ends: self.now.plus_seconds(275 * 86_400),
        };
        let by = self.person(by).await?;
        self.store.execute(|s| s.elect_delegates(new, &by, self.ago(90))).await?;
        Ok(())
    }

    async fn meeting(&self, body: &BodyId, title: &str, days_ago: i64) -> Result<MeetingId, DemoError> {
        let meeting = new_id(MeetingId::parse)?;
        let starts_at = self.ago(days_ago);
        let new = ScheduleMeeting {
            meeting: meeting.clone(),
            body: body.clone(),
            title: Title::parse(title)?,
            starts_at,
            ends_at: starts_at.plus_seconds(2 * 3600),
            time_zone: TimeZoneName::parse("Europe/Madrid")?,
            venue: Venue::InPerson { place: Title::parse("City hall, council room")? },
            agenda: vec![],
        };
        let clerk = self.person("clerk").await?;
        self.store.execute(|s| s.schedule_meeting(new, &clerk, self.ago(days_ago + 7))).await?;
        Ok(meeting)
    }
}

fn find_resident(s: &plenum_core::State, name: &str) -> Option<AccountId> {
    // Residents are found through the bodies' members and the council clerk's founding.
    let mut seen = std::collections::BTreeSet::new();
    for b in s.bodies() {
        for id in b.members.keys() {
            if seen.insert(id.clone()) && s.resident(id).is_some_and(|r| r.display_name.as_str() == name) {
                return Some(id.clone());
            }
        }
    }
    None
}

/// Adds the confederation to the demo (after its four assemblies exist).
pub(crate) async fn fill(store: &Store, now: Instant) -> Result<(), DemoError> {
    let c = Conf { store, now };
    let password_hash =
        tokio::task::spawn_blocking(|| hash_password(DEMO_PASSWORD)).await.map_err(|e| DemoError::Other(e.to_string()))??;
    let mut more = Vec::new();
    for (login, name) in MORE_PEOPLE {
        let id = new_id(AccountId::parse)?;
        let account = NewAccount {
            id: id.clone(),
            login: login.to_owned(),
            password_hash: password_hash.clone(),
            display_name: DisplayName::parse(name)?,
        };
        store.register_account(account, c.ago(120)).await?;
        more.push((login, id));
    }
    let id_of = |login: &str| more.iter().find(|(l, _)| *l == login).map(|(_, id)| id.clone());
    // Docks and Market, two more assemblies (founders first).
    for (slug, name, members) in
        [("docks", "Docks Assembly", ["kofi", "lena", "mateo"]), ("market", "Market Assembly", ["nadia", "oscar", "priya"])]
    {
        let body = new_id(BodyId::parse)?;
        let founder = id_of(members[0]).ok_or_else(|| DemoError::Other("founder".to_owned()))?;
        let new = CreateBody { body: body.clone(), slug: BodySlug::parse(slug)?, name: Title::parse(name)?, charter: None };
        store.execute(|s| s.create_body(new, &founder, c.ago(100))).await?;
        for m in members.iter().skip(1).chain(["quinn", "rui"].iter()) {
            let m = id_of(m).ok_or_else(|| DemoError::Other("member".to_owned()))?;
            if store.read(|s| s.body(&body).is_some_and(|b| b.is_member(&m))).await {
                continue;
            }
            store.execute(|s| s.join(&body, &m, c.ago(100))).await?;
        }
    }
    let clerk = id_of("clerk").ok_or_else(|| DemoError::Other("clerk".to_owned()))?;
    let (riverside, old_town, harbour) = (c.body("riverside").await?, c.body("old-town").await?, c.body("harbour").await?);
    let (hillside, docks, market) = (c.body("hillside").await?, c.body("docks").await?, c.body("market").await?);

    let double = RatificationRule { combine: Combine::DoubleMajority, non_decider: NonDecider::No };
    let mut drawn = DelegationRules::drawn();
    drawn.recall_on_deviation = true;
    let elected = DelegationRules::elected();
    let west = {
        let body = new_id(BodyId::parse)?;
        let new = CreateCouncil {
            body: CreateBody {
                body: body.clone(),
                slug: BodySlug::parse("west-council")?,
                name: Title::parse("West Municipal Council")?,
                charter: None,
            },
            constituents: vec![(riverside.clone(), elected), (old_town.clone(), drawn), (harbour.clone(), elected)],
            seats: SeatRule::ByMembership { total: 5 },
            ratification: double,
        };
        store.execute(|s| s.create_council(new, &clerk, c.ago(95))).await?;
        body
    };
    let east = c
        .council(
            "east-council",
            "East Municipal Council",
            vec![(hillside.clone(), elected), (docks.clone(), elected), (market.clone(), elected)],
            SeatRule::Fixed { per_constituent: 1 },
            RatificationRule { combine: Combine::MajorityOfConstituents, non_decider: NonDecider::Abstains },
        )
        .await?;
    let region = c
        .council(
            "regional-council",
            "Regional Council",
            vec![(west.clone(), elected), (east.clone(), elected)],
            SeatRule::Fixed { per_constituent: 1 },
            RatificationRule { combine: Combine::MembershipWeighted, non_decider: NonDecider::No },
        )
        .await?;

    // Riverside elects two delegates by STV; Harbour one by IRV; the East assemblies one each.
    c.elect(
        &west,
        &riverside,
        "facilitator",
        &["ana", "member1", "chen"],
        &[
            &["ana", "chen"],
            &["ana", "member1"],
            &["member1", "ana"],
            &["chen", "member1"],
            &["member1"],
            &["ana"],
            &["chen", "ana"],
        ],
    )
    .await?;
    c.elect(&west, &harbour, "ivan", &["jo", "hana"], &[&["jo"], &["hana", "jo"], &["jo", "hana"], &["jo"]]).await?;
    c.elect(&east, &hillside, "fatima", &["gus", "chen"], &[&["gus"], &["gus", "chen"], &["chen"]]).await?;
    c.elect(&east, &docks, "kofi", &["lena", "mateo"], &[&["lena"], &["lena"], &["mateo"], &["lena", "mateo"]]).await?;
    c.elect(&east, &market, "nadia", &["oscar", "priya"], &[&["priya"], &["oscar"], &["priya"], &["priya", "oscar"]]).await?;

    // Old Town draws its two delegates by lot: the commitment is published first.
    let seed = Hex32::from_bytes(random_bytes::<32>()?);
    let draw = new_id(DrawId::parse)?;
    let dolores = c.person("dolores").await?;
    let announce = AnnounceDraw {
        draw: draw.clone(),
        council: west.clone(),
        constituent: old_town.clone(),
        commitment: seed.commitment(),
        volunteers_close_at: c.ago(91),
        quotas: vec![],
        term_ends: now.plus_seconds(275 * 86_400),
    };
    store.execute(|s| s.announce_draw(announce, &dolores, c.ago(94))).await?;
    for v in ["emeka", "fatima", "gus", "dolores"] {
        let v = c.person(v).await?;
        store.execute(|s| s.volunteer(&draw, None, &v, c.ago(93))).await?;
    }
    store.execute(|s| s.hold_draw(&draw, seed, &dolores, c.ago(90))).await?;

    // The Regional Council's delegates, elected by each municipal council's delegates.
    let west_delegates: Vec<AccountId> = store
        .read(|s| s.delegation(&west, &riverside).map(|d| d.current().map(|s| s.delegate.clone()).collect()).unwrap_or_default())
        .await;
    let east_delegate = c.person("lena").await?;
    for (council, candidate) in [(&west, west_delegates.first().cloned()), (&east, Some(east_delegate))] {
        let Some(candidate) = candidate else { continue };
        let new = ElectDelegates {
            council: region.clone(),
            constituent: council.clone(),
            candidates: vec![candidate.clone()],
            ballots: vec![vec![candidate]],
            term_ends: now.plus_seconds(275 * 86_400),
        };
        store.execute(|s| s.elect_delegates(new, &clerk, c.ago(85))).await?;
    }

    // The West Council's night-bus policy: each assembly mandates its delegates.
    let item = new_id(MotionId::parse)?;
    let ana = west_delegates.first().cloned().ok_or_else(|| DemoError::Other("Riverside elected nobody".to_owned()))?;
    let file = FileMotion {
        motion: item.clone(),
        body: west.clone(),
        kind: MotionKind::Policy,
        title: Title::parse("Night buses across the West")?,
        text: Prose::parse(
            "Run night buses every 30 minutes on Friday and Saturday nights linking Riverside, Old Town and the Harbour.",
        )?,
        proposed_charter: None,
    };
    store.execute(|s| s.file_motion(file, &ana, c.ago(62))).await?;
    let west_meeting = c.meeting(&west, "West Municipal Council, spring session", 52).await?;
    for (body, by, votes) in [
        (
            &riverside,
            "facilitator",
            vec![
                ("facilitator", Choice::Yes),
                ("member1", Choice::Yes),
                ("member2", Choice::Yes),
                ("ana", Choice::Yes),
                ("bilal", Choice::No),
            ],
        ),
        (
            &old_town,
            "dolores",
            vec![("dolores", Choice::Yes), ("emeka", Choice::Yes), ("gus", Choice::Yes), ("fatima", Choice::No)],
        ),
        (&harbour, "ivan", vec![("ivan", Choice::No), ("jo", Choice::No), ("hana", Choice::Yes)]),
    ] {
        let (motion, poll) = (new_id(MotionId::parse)?, new_id(PollId::parse)?);
        let seek = SeekMandate {
            council_motion: item.clone(),
            constituent: body.clone(),
            motion,
            poll: poll.clone(),
            secrecy: Secrecy::Secret,
            closes_at: c.ago(55),
        };
        let by = c.person(by).await?;
        store.execute(|s| s.seek_mandate(seek, &by, c.ago(60))).await?;
        c.votes(&poll, &votes, c.ago(58)).await?;
        c.poll_closed(&poll).await?;
    }
    // The council votes at its session; one of Old Town's drawn delegates votes against the
    // mandate, which opens a recall petition at once (Old Town's charter says so).
    let council_poll = new_id(PollId::parse)?;
    let open = OpenPoll {
        poll: council_poll.clone(),
        motion: item.clone(),
        secrecy: Secrecy::Open,
        opens_at: c.ago(52),
        closes_at: c.ago(51),
    };
    store.execute(|s| s.open_poll(open, &clerk, c.ago(52))).await?;
    let old_town_delegates: Vec<AccountId> = store
        .read(|s| s.delegation(&west, &old_town).map(|d| d.current().map(|s| s.delegate.clone()).collect()).unwrap_or_default())
        .await;
    let mut council_votes: Vec<(AccountId, Choice)> = Vec::new();
    for d in store
        .read(|s| {
            s.delegation(&west, &riverside)
                .map(|d| d.current().map(|s| s.delegate.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
        .await
    {
        council_votes.push((d, Choice::Yes));
    }
    for (i, d) in old_town_delegates.iter().enumerate() {
        council_votes.push((d.clone(), if i == 0 { Choice::No } else { Choice::Yes }));
    }
    for d in store
        .read(|s| {
            s.delegation(&west, &harbour).map(|d| d.current().map(|s| s.delegate.clone()).collect::<Vec<_>>()).unwrap_or_default()
        })
        .await
    {
        council_votes.push((d, Choice::No));
    }
    for (who, choice) in &council_votes {
        store.cast_vote(&council_poll, *choice, who, c.ago(52), ballot_randomness()?).await?;
    }
    c.poll_closed(&council_poll).await?;
    let report = new_id(ReportId::parse)?;
    let text = Prose::parse(
        "We voted yes on the night buses, as Riverside mandated; the policy now goes to every West assembly for ratification.",
    )?;
    store.execute(|s| s.file_report(report, &west_meeting, text, &ana, c.ago(50))).await?;

    // The recall: Old Town's members sign; the poll passes; the seat is redrawn.
    let recall = store.read(|s| s.recalls().next().map(|r| r.id.clone())).await;
    if let Some(recall) = recall {
        for signer in ["dolores", "gus"] {
            let signer = c.person(signer).await?;
            let ids = (new_id(MotionId::parse)?, new_id(PollId::parse)?);
            let stage = store.read(|s| s.recall(&recall).map(|r| r.stage.clone())).await;
            if stage == Some(RecallStage::Gathering) {
                store.execute(|s| s.sign_recall(&recall, ids, &signer, c.ago(49))).await?;
            }
        }
        if let Some(RecallStage::Polling { poll }) = store.read(|s| s.recall(&recall).map(|r| r.stage.clone())).await {
            c.votes(
                &poll,
                &[("dolores", Choice::Yes), ("emeka", Choice::Yes), ("gus", Choice::Yes), ("fatima", Choice::No)],
                c.ago(47),
            )
            .await?;
            c.poll_closed(&poll).await?;
        }
    }

    // Ratification by the West assemblies, decided by double majority.
    let ratification = new_id(RatificationId::parse)?;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push((new_id(MotionId::parse)?, new_id(PollId::parse)?));
    }
    let open = OpenRatification {
        ratification,
        subject: RatificationSubject::Motion { motion: item.clone() },
        closes_at: c.ago(35),
        ids: ids.clone(),
    };
    store.execute(|s| s.open_ratification(open, &clerk, c.ago(44))).await?;
    let ballots: [&[(&str, Choice)]; 3] = [
        &[
            ("facilitator", Choice::Yes),
            ("member1", Choice::Yes),
            ("ana", Choice::Yes),
            ("chen", Choice::Yes),
            ("bilal", Choice::No),
            ("member3", Choice::No),
        ],
        &[("dolores", Choice::Yes), ("emeka", Choice::Yes), ("gus", Choice::Yes), ("fatima", Choice::No)],
        &[("ivan", Choice::No), ("jo", Choice::No), ("hana", Choice::Yes), ("ana", Choice::No)],
    ];
    for ((_, poll), votes) in ids.iter().zip(ballots) {
        c.votes(poll, votes, c.ago(40)).await?;
    }
    for (_, poll) in &ids {
        c.poll_closed(poll).await?;
    }

    // A dispute in the East Council: claim, response, hearing, decision; settled.
    let east_meeting = c.meeting(&east, "East Municipal Council, hearing on the compost site", 30).await?;
    let dispute = new_id(DisputeId::parse)?;
    let (fatima, kofi) = (c.person("fatima").await?, c.person("kofi").await?);
    let bring = BringDispute {
        dispute: dispute.clone(),
        council: east.clone(),
        claimant: hillside.clone(),
        respondent: docks.clone(),
        title: Title::parse("Where the shared compost site goes")?,
        claim: Prose::parse("Docks placed the shared compost site next to Hillside's school without asking Hillside.")?,
    };
    store.execute(|s| s.bring_dispute(bring, &fatima, c.ago(40))).await?;
    let response =
        Prose::parse("The only council land large enough is there; we are open to moving it if Hillside finds another plot.")?;
    store.execute(|s| s.answer_dispute(&dispute, response, &kofi, c.ago(36))).await?;
    store.execute(|s| s.schedule_hearing(&dispute, &east_meeting, &clerk, c.ago(35))).await?;
    let decision = Prose::parse("The compost site moves to the allotments' north corner, 150 metres from the school.")?;
    let reasons = Prose::parse(
        "Both assemblies need the site; the north corner is council land, keeps the distance Hillside asked for, and Docks can reach it.",
    )?;
    store.execute(|s| s.decide_dispute(&dispute, decision, reasons, &clerk, c.ago(29))).await?;

    // An administrative task of the West Council.
    let task = new_id(TaskId::parse)?;
    let add = AddTask {
        task: task.clone(),
        council: west.clone(),
        title: Title::parse("Agree night-bus timetables with the transport company")?,
        responsible: ana.clone(),
        due: now.plus_seconds(30 * 86_400),
    };
    store.execute(|s| s.add_task(add, &clerk, c.ago(30))).await?;
    let note = Prose::parse("First meeting held; the company proposes a 40-minute frequency to start.")?;
    store.execute(|s| s.update_task(&task, TaskStatus::InProgress, note, &ana, c.ago(20))).await?;

    // A petition still gathering signatures: Market members against their delegate.
    let market_delegate =
        store.read(|s| s.delegation(&east, &market).and_then(|d| d.current().next().map(|s| s.delegate.clone()))).await;
    if let Some(delegate) = market_delegate {
        let oscar = c.person("oscar").await?;
        let start = plenum_core::StartRecall {
            recall: new_id(plenum_core::RecallId::parse)?,
            council: east.clone(),
            delegate,
            reason: Some(Prose::parse("Has not reported back on a single council session since the spring.")?),
        };
        store.execute(|s| s.start_recall(start, &oscar, c.ago(3))).await?;
    }
    Ok(())
}
