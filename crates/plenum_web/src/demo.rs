//! The demo confederation: four neighbourhood assemblies with members, meetings with published
//! minutes, motions with arguments and an amendment, closed polls (open and secret) with their
//! results, and a secret poll still open; then `demo_confederation` adds two assemblies, two
//! municipal councils and a regional council with their history. Only a fresh (empty) instance
//! is filled.
//!
//! Every demo account's password is [`DEMO_PASSWORD`]; Riverside Assembly's facilitator is
//! `facilitator` and `member1`..`member3` are members who have not voted in its open poll.

use std::collections::BTreeMap;

use chrono_tz::Tz;
use plenum_core::charter::MembershipRule;
use plenum_core::{
    AccountId, AmendmentId, ArgumentId, BodyId, BodySlug, Charter, Choice, CreateBody, DisplayName, FileMotion, InPersonCount,
    Instant, MeetingId, MotionId, MotionKind, OpenPoll, PollId, Prose, ScheduleMeeting, Secrecy, Side, TimeZoneName, Title,
    Venue,
};
use plenum_store::{NewAccount, Store, StoreError};

use crate::auth::hash_password;
use crate::error::WebError;
use crate::ids::{ballot_randomness, new_id, now, random_bytes};
use crate::local_time::{field_value, local_to_instant};

pub const DEMO_PASSWORD: &str = "demo-password";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "this instance is not empty ({events} events in its log): the demo fills only a fresh instance (use a new --data-dir or an empty database)"
    )]
    NotEmpty { events: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Other(String),
}

impl From<WebError> for DemoError {
    fn from(error: WebError) -> DemoError {
        DemoError::Other(error.message)
    }
}

impl From<plenum_core::ParseError> for DemoError {
    fn from(error: plenum_core::ParseError) -> DemoError {
        DemoError::Other(error.to_string())
    }
}

/// What the demo made, for `plenum demo` to print.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub assemblies: Vec<(String, String)>,
    /// Login names with their roles.
    pub logins: Vec<(String, String)>,
    pub events: u64,
}

struct Demo<'s> {
    store: &'s Store,
    now: Instant,
    zone: Tz,
    people: BTreeMap<&'static str, AccountId>,
}

pub(crate) const PEOPLE: [(&str, &str); 14] = [
    ("facilitator", "Rosa Martín"),
    ("member1", "Amadou Diallo"),
    ("member2", "Lucía Fernández"),
    ("member3", "Tom Becker"),
    ("ana", "Ana Souza"),
    ("bilal", "Bilal Haddad"),
    ("chen", "Chen Wei"),
    ("dolores", "Dolores Ruiz"),
    ("emeka", "Emeka Obi"),
    ("fatima", "Fátima Benali"),
    ("gus", "Gus Larsen"),
    ("hana", "Hana Kato"),
    ("ivan", "Iván Petrov"),
    ("jo", "Jo Murphy"),
];

impl Demo<'_> {
    fn who(&self, login: &str) -> Result<&AccountId, DemoError> {
        self.people.get(login).ok_or_else(|| DemoError::Other(format!("no demo person {login}")))
    }

    fn days_ago(&self, days: i64) -> Instant {
        self.now.plus_seconds(-days * 86_400)
    }

    /// 19:00 local time, `days` from today (negative: in the past).
    fn evening(&self, days: i64) -> Result<Instant, DemoError> {
        let day = field_value(self.now.plus_seconds(days * 86_400), self.zone);
        let date = day.split('T').next().unwrap_or_default();
        local_to_instant(&format!("{date}T19:00"), self.zone).map_err(|e| DemoError::Other(e.to_string()))
    }

    async fn assembly(
        &self,
        slug: &str,
        name: &str,
        by: &str,
        members: &[&str],
        charter: Option<Charter>,
    ) -> Result<BodyId, DemoError> {
        let body = new_id(BodyId::parse)?;
        let new = CreateBody { body: body.clone(), slug: BodySlug::parse(slug)?, name: Title::parse(name)?, charter };
        let at = self.days_ago(90);
        let founder = self.who(by)?.clone();
        self.store.execute(|s| s.create_body(new, &founder, at)).await?;
        for m in members {
            let m = self.who(m)?.clone();
            self.store.execute(|s| s.join(&body, &m, at)).await?;
            if self.store.read(|s| s.body(&body).is_some_and(|b| !b.is_member(&m))).await {
                self.store.execute(|s| s.approve_membership(&body, &m, &founder, at)).await?;
            }
        }
        Ok(body)
    }

    async fn motion(&self, body: &BodyId, by: &str, title: &str, text: &str, days_ago: i64) -> Result<MotionId, DemoError> {
        let motion = new_id(MotionId::parse)?;
        let new = FileMotion {
            motion: motion.clone(),
            body: body.clone(),
            kind: MotionKind::Policy,
            title: Title::parse(title)?,
            text: Prose::parse(text)?,
            proposed_charter: None,
        };
        let by = self.who(by)?.clone();
        self.store.execute(|s| s.file_motion(new, &by, self.days_ago(days_ago))).await?;
        Ok(motion)
    }

    async fn argue(&self, motion: &MotionId, by: &str, side: Side, text: &str, days_ago: i64) -> Result<(), DemoError> {
        let argument = new_id(ArgumentId::parse)?;
        let by = self.who(by)?.clone();
        let text = Prose::parse(text)?;
        self.store.execute(|s| s.add_argument(argument, motion, side, text, &by, self.days_ago(days_ago))).await?;
        Ok(())
    }

    async fn poll(
        &self,
        motion: &MotionId,
        by: &str,
        secrecy: Secrecy,
        opens: Instant,
        closes: Instant,
    ) -> Result<PollId, DemoError> {
        let poll = new_id(PollId::parse)?;
        let new = OpenPoll { poll: poll.clone(), motion: motion.clone(), secrecy, opens_at: opens, closes_at: closes };
        let by = self.who(by)?.clone();
        self.store.execute(|s| s.open_poll(new, &by, opens)).await?;
        Ok(poll)
    }

    async fn votes(&self, poll: &PollId, votes: &[(&str, Choice)], at: Instant) -> Result<(), DemoError> {
        for (who, choice) in votes {
            let who = self.who(who)?.clone();
            self.store.cast_vote(poll, *choice, &who, at, ballot_randomness()?).await?;
        }
        Ok(())
    }

    async fn close(&self, poll: &PollId, at: Instant) -> Result<(), DemoError> {
        let seed = random_bytes::<32>()?;
        self.store.execute(|s| s.close_poll(poll, at, seed)).await?;
        Ok(())
    }

    async fn meeting(
        &self,
        body: &BodyId,
        by: &str,
        title: &str,
        days: i64,
        place: &str,
        agenda: Vec<MotionId>,
    ) -> Result<MeetingId, DemoError> {
        let meeting = new_id(MeetingId::parse)?;
        let starts_at = self.evening(days)?;
        let new = ScheduleMeeting {
            meeting: meeting.clone(),
            body: body.clone(),
            title: Title::parse(title)?,
            starts_at,
            ends_at: starts_at.plus_seconds(2 * 3600),
            time_zone: TimeZoneName::parse(self.zone.name())?,
            venue: Venue::InPerson { place: Title::parse(place)? },
            agenda,
        };
        let by = self.who(by)?.clone();
        self.store.execute(|s| s.schedule_meeting(new, &by, self.days_ago(days.abs() + 7))).await?;
        Ok(meeting)
    }

    async fn minutes(
        &self,
        meeting: &MeetingId,
        by: &str,
        present: &[&str],
        guests: u64,
        text: &str,
        days_ago: i64,
    ) -> Result<(), DemoError> {
        let by = self.who(by)?.clone();
        let present = present.iter().map(|p| self.who(p).cloned()).collect::<Result<Vec<_>, _>>()?;
        let at = self.days_ago(days_ago);
        let minutes = Prose::parse(text)?;
        self.store.execute(|s| s.record_attendance(meeting, present, guests, &by, at)).await?;
        self.store.execute(|s| s.record_minutes(meeting, minutes, &by, at)).await?;
        self.store.execute(|s| s.publish_minutes(meeting, &by, at)).await?;
        Ok(())
    }
}

/// Fills an empty instance with the demo confederation.
pub async fn fill(store: &Store, zone: Tz) -> Result<DemoSummary, DemoError> {
    let events = store.log_head().await?.count;
    if events > 0 {
        return Err(DemoError::NotEmpty { events });
    }
    let mut demo = Demo { store, now: now()?, zone, people: BTreeMap::new() };
    for (login, name) in PEOPLE {
        let id = new_id(AccountId::parse)?;
        let password_hash =
            tokio::task::spawn_blocking(|| hash_password(DEMO_PASSWORD)).await.map_err(|e| DemoError::Other(e.to_string()))??;
        let account =
            NewAccount { id: id.clone(), login: login.to_owned(), password_hash, display_name: DisplayName::parse(name)? };
        store.register_account(account, demo.days_ago(120)).await?;
        demo.people.insert(login, id);
    }
    use Choice::{Abstain, No, Yes};

    // Riverside: the assembly the browser tests use.
    let riverside = demo
        .assembly(
            "riverside",
            "Riverside Assembly",
            "facilitator",
            &["member1", "member2", "member3", "ana", "bilal", "chen"],
            None,
        )
        .await?;
    let library = demo
        .motion(&riverside, "ana", "Open the library on Sundays", "The assembly asks the city to open the Riverside branch library on Sundays from 10:00 to 14:00, staffed by the existing team on a rota with paid overtime.", 30)
        .await?;
    demo.argue(&library, "chen", Side::For, "Working families can only go at weekends; Saturday mornings are packed.", 29)
        .await?;
    demo.argue(&library, "member2", Side::For, "The reading room is the only quiet, heated place for students on Sundays.", 28)
        .await?;
    demo.argue(&library, "bilal", Side::Against, "Overtime costs money we would rather spend on longer weekday hours.", 28)
        .await?;
    let trees = demo
        .motion(&riverside, "member1", "Plant trees along the river path", "Plant forty native trees (alder, willow, ash) along the river path between the two bridges, with neighbours adopting and watering them in their first summer.", 25)
        .await?;
    demo.argue(&trees, "ana", Side::For, "Shade for the path in August, and roots that hold the bank.", 24).await?;
    demo.argue(
        &trees,
        "member3",
        Side::Against,
        "The council's gardeners are already stretched; who waters them in year two?",
        24,
    )
    .await?;
    let playground = demo
        .motion(&riverside, "chen", "Repaint the playground", "Repaint the playground's climbing frame and benches with lead-free paint chosen by the children of the two primary schools.", 6)
        .await?;
    demo.argue(&playground, "ana", Side::For, "The paint is flaking: children pick it off.", 5).await?;
    let repair = demo
        .motion(&riverside, "member2", "A monthly repair café", "Hold a repair café in the community centre on the first Saturday of every month: volunteers fix clothes, bikes, lamps and small electronics for free.", 3)
        .await?;
    demo.argue(&repair, "bilal", Side::For, "Less waste, and neighbours meet each other.", 2).await?;
    demo.argue(&repair, "member3", Side::Against, "Insurance for electrical repairs needs sorting out first.", 2).await?;
    let amendment = new_id(AmendmentId::parse)?;
    let by = demo.who("member3")?.clone();
    let text = Prose::parse(
        "Hold a repair café in the community centre on the first Saturday of every month: volunteers fix clothes, bikes and lamps for free; small electronics once the centre's insurance covers them.",
    )?;
    store.execute(|s| s.propose_amendment(amendment, &repair, text, &by, demo.days_ago(1))).await?;

    let past = demo
        .meeting(
            &riverside,
            "facilitator",
            "Riverside Assembly, monthly meeting",
            -14,
            "Riverside Community Centre, main hall",
            vec![library.clone(), trees.clone()],
        )
        .await?;
    demo.minutes(&past, "facilitator", &["facilitator", "member1", "member2", "ana", "chen"], 3,
        "1. The library motion was presented by Ana Souza. Discussion on costs; the online poll stays open until the 20th.\n2. Trees along the river path: Amadou Diallo presented; the gardeners' union will be asked about watering.\n3. Next meeting in four weeks. Thanks to the three guests from the harbour.", 13).await?;
    demo.meeting(
        &riverside,
        "facilitator",
        "Riverside Assembly, next meeting",
        7,
        "Riverside Community Centre, main hall",
        vec![playground.clone(), repair.clone()],
    )
    .await?;

    let poll = demo.poll(&library, "facilitator", Secrecy::Open, demo.days_ago(20), demo.days_ago(10)).await?;
    demo.votes(
        &poll,
        &[
            ("facilitator", Yes),
            ("member1", Yes),
            ("member2", Yes),
            ("ana", Yes),
            ("bilal", No),
            ("chen", Yes),
            ("member3", Abstain),
        ],
        demo.days_ago(15),
    )
    .await?;
    demo.close(&poll, demo.days_ago(10)).await?;
    let poll = demo.poll(&trees, "facilitator", Secrecy::Secret, demo.days_ago(12), demo.days_ago(5)).await?;
    demo.votes(
        &poll,
        &[("facilitator", Yes), ("member1", Yes), ("member2", No), ("member3", No), ("ana", Yes), ("chen", Yes)],
        demo.days_ago(8),
    )
    .await?;
    demo.close(&poll, demo.days_ago(5)).await?;
    let open =
        demo.poll(&playground, "facilitator", Secrecy::Secret, demo.days_ago(2), demo.now.plus_seconds(7 * 86_400)).await?;
    demo.votes(&open, &[("ana", Yes), ("bilal", Yes), ("chen", No)], demo.days_ago(1)).await?;

    // Old Town: membership by approval, one request waiting, a secret poll that failed.
    let charter = Charter { membership: MembershipRule::ApprovalByFacilitator, ..Charter::default() };
    let old_town = demo.assembly("old-town", "Old Town Assembly", "dolores", &["emeka", "fatima", "gus"], Some(charter)).await?;
    let hana = demo.who("hana")?.clone();
    store.execute(|s| s.join(&old_town, &hana, demo.days_ago(1))).await?;
    let cars = demo
        .motion(&old_town, "emeka", "Close Main Street to cars on Sundays", "Close Main Street to motor traffic every Sunday from 09:00 to 20:00, except for deliveries before 10:00, emergency vehicles and residents' disabled parking.", 40)
        .await?;
    demo.argue(&cars, "fatima", Side::For, "Children could play in the street and cafés could put tables out.", 39).await?;
    demo.argue(&cars, "gus", Side::Against, "The shops on Main Street depend on Sunday drivers from outside the centre.", 38)
        .await?;
    let poll = demo.poll(&cars, "dolores", Secrecy::Secret, demo.days_ago(30), demo.days_ago(20)).await?;
    demo.votes(&poll, &[("dolores", No), ("emeka", Yes), ("fatima", No), ("gus", No)], demo.days_ago(25)).await?;
    demo.close(&poll, demo.days_ago(20)).await?;
    let meeting = demo
        .meeting(
            &old_town,
            "dolores",
            "Old Town Assembly, spring meeting",
            -35,
            "Old Town Library, first floor",
            vec![cars.clone()],
        )
        .await?;
    demo.minutes(&meeting, "dolores", &["dolores", "emeka", "fatima", "gus"], 6,
        "1. Main Street on Sundays: a long discussion with shopkeepers (six guests). The motion goes to a secret online poll for ten days.\n2. The assembly will ask the council for a traffic count before deciding again.", 34).await?;

    // Harbour: an open poll decided with in-person counts from the meeting.
    let harbour = demo.assembly("harbour", "Harbour Assembly", "ivan", &["jo", "hana", "ana"], None).await?;
    let sunscreen = demo
        .motion(&harbour, "jo", "Free sunscreen dispensers at the beach", "Install four free sunscreen dispensers at the harbour beach from June to September, refilled by the lifeguard service.", 50)
        .await?;
    demo.argue(&sunscreen, "hana", Side::For, "Skin cancer rates in the neighbourhood are above the city's average.", 49).await?;
    let poll = demo.poll(&sunscreen, "ivan", Secrecy::Open, demo.days_ago(45), demo.days_ago(38)).await?;
    demo.votes(&poll, &[("jo", Yes), ("ana", Yes)], demo.days_ago(44)).await?;
    let ivan = demo.who("ivan")?.clone();
    let count = InPersonCount { yes: 1, no: 1, abstain: 0, present: 2 };
    store.execute(|s| s.enter_in_person_count(&poll, count, None, &ivan, demo.days_ago(40))).await?;
    demo.close(&poll, demo.days_ago(38)).await?;
    let meeting = demo
        .meeting(&harbour, "ivan", "Harbour Assembly at the fishermen's hall", -40, "Fishermen's hall, Quay 3", vec![sunscreen])
        .await?;
    demo.minutes(
        &meeting,
        "ivan",
        &["ivan", "hana"],
        4,
        "Show of hands on the sunscreen dispensers: one for, one against; entered as the in-person count of the poll.",
        39,
    )
    .await?;
    demo.motion(
        &harbour,
        "hana",
        "Night bus to the harbour on Fridays",
        "Ask the transport company for a night bus from the centre to the harbour on Friday nights.",
        4,
    )
    .await?;

    // Hillside: a young assembly with one open motion and its first meeting ahead.
    let hillside = demo.assembly("hillside", "Hillside Assembly", "fatima", &["gus", "chen"], None).await?;
    let compost = demo
        .motion(
            &hillside,
            "gus",
            "Community composting",
            "Set up three composting bays in the hillside allotments, open to every household in the neighbourhood.",
            8,
        )
        .await?;
    demo.argue(&compost, "chen", Side::For, "Half of our household waste is kitchen scraps.", 7).await?;
    demo.meeting(&hillside, "fatima", "Hillside Assembly, first meeting", 10, "Hillside school gym", vec![compost]).await?;
    crate::demo_budget::fill(store, &demo.people, &hillside, demo.now).await?;
    crate::demo_paper::fill(store, &demo.people, demo.now).await?;

    crate::demo_unlinkable::fill(store, &demo.people, &harbour, demo.now).await?;
    crate::demo_coalitions::fill(store, &demo.people, demo.now).await?;
    crate::demo_confederation::fill(store, demo.now).await?;
    crate::demo_registry::fill(store, &demo.people, &harbour, demo.now).await?;

    let logins = vec![
        ("facilitator".to_owned(), "Riverside Assembly, facilitator".to_owned()),
        ("member1".to_owned(), "Riverside Assembly, member".to_owned()),
        ("member2".to_owned(), "Riverside Assembly, member".to_owned()),
        ("member3".to_owned(), "Riverside Assembly, member".to_owned()),
        ("dolores".to_owned(), "Old Town Assembly, facilitator (approves hana's request)".to_owned()),
        ("ivan".to_owned(), "Harbour Assembly, facilitator; registrar".to_owned()),
        ("fatima".to_owned(), "Hillside Assembly, facilitator".to_owned()),
        ("clerk".to_owned(), "the councils' clerk (West, East, Regional)".to_owned()),
        ("quinn".to_owned(), "Market Assembly, member (can sign the open recall petition)".to_owned()),
    ];
    let assemblies = ["riverside", "old-town", "harbour", "hillside", "docks", "market"]
        .into_iter()
        .zip([
            "Riverside Assembly",
            "Old Town Assembly",
            "Harbour Assembly",
            "Hillside Assembly",
            "Docks Assembly",
            "Market Assembly",
        ])
        .map(|(s, n)| (s.to_owned(), n.to_owned()))
        .collect();
    Ok(DemoSummary { assemblies, logins, events: store.log_head().await?.count })
}
