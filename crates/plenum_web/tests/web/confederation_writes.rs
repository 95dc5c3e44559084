//! The confederation's writes through the forms and the JSON API, over the demo: creating a
//! council, an election, a draw with its reveal, a ratification, every step of a dispute,
//! tasks, a recall petition, and a term that ends on its date; each with the refusals.

use axum::http::StatusCode;
use plenum_core::{AccountId, BodyId, BodySlug, Choice, Hex32, Instant, MotionId, PollId, State};

use crate::engine::{TestApp, TestDb, on_both_engines};

on_both_engines!(
    a_resident_creates_a_council_with_the_form_and_a_client_with_the_api,
    facilitators_enter_an_election_and_hold_a_draw_with_the_reveal,
    the_clerk_sends_a_passed_policy_to_the_constituents_for_ratification,
    a_dispute_goes_from_claim_to_appeal_and_tasks_are_followed,
    a_recall_petition_is_started_and_signed_through_the_api,
    a_delegates_term_ends_when_its_date_passes,
);

fn now() -> Instant {
    Instant::from_unix_seconds(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64)
        .unwrap()
}

fn body_id(s: &State, slug: &str) -> BodyId {
    s.body_by_slug(&BodySlug::parse(slug).unwrap()).unwrap().id.clone()
}

fn person(s: &State, name: &str) -> AccountId {
    s.bodies()
        .flat_map(|b| b.members.keys())
        .find(|m| s.resident(m).is_some_and(|r| r.display_name.as_str() == name))
        .unwrap()
        .clone()
}

async fn demo(db: &TestDb) -> TestApp {
    plenum_web::demo::fill(&db.store, plenum_web::Tz::UTC).await.unwrap();
    TestApp::new(db)
}

async fn signed_in(web: &TestApp, login: &str) -> TestApp {
    let mut b = web.browser();
    let answer = b.submit("/login", "/login", &[("login", login), ("password", "demo-password")]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{login} signs in");
    b
}

async fn a_resident_creates_a_council_with_the_form_and_a_client_with_the_api(db: &TestDb) {
    let web = demo(db).await;
    let mut anonymous = web.browser();
    let page = anonymous.get("/councils/new").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Sign in to create a council"));
    let refused = anonymous.post_json("/api/v1/councils", r#"{"name":"X","slug":"x","constituents":["docks"],"seats":1}"#).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);

    let mut kofi = signed_in(&web, "kofi").await;
    assert!(kofi.get("/councils/new").await.body.contains("Create the council"));
    let fields = |constituents: &'static str, seats: &'static str| {
        vec![
            ("name", "Waterfront Forum"),
            ("slug", "waterfront"),
            ("constituents", constituents),
            ("seat_rule", "fixed"),
            ("seats", seats),
            ("drawn", "market"),
            ("combine", "unanimity"),
            ("non_decider", "abstains"),
        ]
    };
    let unknown = kofi.submit("/councils/new", "/councils", &fields("docks, nowhere", "1")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let no_seats = kofi.submit("/councils/new", "/councils", &fields("docks, market", "0")).await;
    assert_eq!(no_seats.status, StatusCode::UNPROCESSABLE_ENTITY);
    let made = kofi.submit("/councils/new", "/councils", &fields("docks, market", "2")).await;
    assert_eq!((made.status, made.location.as_deref()), (StatusCode::SEE_OTHER, Some("/councils/waterfront")));
    let page = kofi.get("/councils/waterfront").await;
    assert!(
        page.body.contains("Docks Assembly")
            && page.body.contains("Market Assembly")
            && page.body.contains("sortition among volunteers")
    );
    let taken = kofi.submit("/councils/new", "/councils", &fields("docks, market", "2")).await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "the address name is taken");

    // The API takes arrays and numbers.
    let answer = kofi
        .post_json(
            "/api/v1/councils",
            r#"{"name":"Three Assemblies","slug":"three","constituents":["docks","market","hillside"],"seat_rule":"by_membership","seats":5,"recall_on_deviation":true}"#,
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let json = answer.json();
    assert_eq!(json["page"], "/councils/three");
    let council = kofi.get(&format!("/api/v1/councils/{}", json["id"].as_str().unwrap())).await.json();
    let constituents = council["constituents"].as_array().unwrap();
    assert_eq!(constituents.len(), 3);
    assert_eq!(constituents.iter().map(|c| c["seats"].as_u64().unwrap()).sum::<u64>(), 5);
    assert_eq!(constituents[0]["rules"]["recall_on_deviation"], true);
    let wrong = kofi
        .post_json(
            "/api/v1/councils",
            r#"{"name":"Docks alone","slug":"docks-alone","constituents":["docks"],"seats":1,"extra":[1,2]}"#,
        )
        .await;
    assert_eq!(wrong.status, StatusCode::CREATED, "unknown fields are ignored: {}", wrong.body);
    let bad = kofi.post_json("/api/v1/councils", r#"{"name":"Z","slug":"z","seats":1}"#).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "constituents are required");
}

async fn facilitators_enter_an_election_and_hold_a_draw_with_the_reveal(db: &TestDb) {
    let web = demo(db).await;
    let mut kofi = signed_in(&web, "kofi").await;
    let answer = kofi
        .post_json(
            "/api/v1/councils",
            r#"{"name":"Waterfront Forum","slug":"waterfront","constituents":"docks, market","seats":1,"drawn":["market"]}"#,
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);

    // Kofi facilitates Docks, which elects: the election form is his, the draw form is not.
    let page = kofi.get("/councils/waterfront").await;
    assert!(page.body.contains("Enter an election") && !page.body.contains("Announce a draw"));
    let elect = |candidates: &'static str, ballots: &'static str| {
        vec![("constituent", "docks"), ("candidates", candidates), ("ballots", ballots), ("term_days", "365")]
    };
    let stranger = kofi
        .submit("/councils/waterfront", "/councils/waterfront/elections", &elect("Lena Vogel\nPriya Nair", "Lena Vogel"))
        .await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND, "Priya is not a member of Docks");
    let off_ballot = kofi
        .submit("/councils/waterfront", "/councils/waterfront/elections", &elect("Lena Vogel\nMateo Silva", "Kofi Mensah"))
        .await;
    assert_eq!(off_ballot.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = kofi
        .submit(
            "/councils/waterfront",
            "/councils/waterfront/elections",
            &elect("Mateo Silva\nLena Vogel", "Lena Vogel > Mateo Silva\nMateo Silva\nLena Vogel"),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let (forum, docks, lena) = db.store.read(|s| (body_id(s, "waterfront"), body_id(s, "docks"), person(s, "Lena Vogel"))).await;
    let seated: Vec<AccountId> =
        db.store.read(|s| s.delegation(&forum, &docks).unwrap().current().map(|x| x.delegate.clone()).collect()).await;
    assert_eq!(seated, vec![lena], "two ballots to one: IRV seats Lena");

    // Nadia facilitates Market, which draws by lot; Kofi may not announce its draw.
    let seed = Hex32::from_bytes([7; 32]);
    let announce = format!(r#"{{"constituent":"market","commitment":"{}","close_days":3,"term_days":365}}"#, seed.commitment());
    let refused = kofi.post_json(&format!("/api/v1/councils/{forum}/draws"), &announce).await;
    assert_eq!((refused.status, refused.json()["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_a_facilitator")));
    let mut nadia = signed_in(&web, "nadia").await;
    assert!(nadia.get("/councils/waterfront").await.body.contains("Announce a draw"));
    let answer = nadia
        .submit(
            "/councils/waterfront",
            "/councils/waterfront/draws",
            &[
                ("constituent", "market"),
                ("commitment", &seed.commitment().to_string()),
                ("close_days", "3"),
                ("term_days", "365"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let draw = answer.location.unwrap().rsplit_once("#draw-").unwrap().1.to_owned();
    let mut oscar = signed_in(&web, "oscar").await;
    assert!(oscar.get("/councils/waterfront").await.body.contains("Volunteer for this draw"));
    assert_eq!(
        oscar.submit("/councils/waterfront", &format!("/draws/{draw}/volunteers"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(!oscar.get("/councils/waterfront").await.body.contains("Volunteer for this draw"), "once");
    let twice = oscar.post_json(&format!("/api/v1/draws/{draw}/volunteers"), "{}").await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let outsider = kofi.post_json(&format!("/api/v1/draws/{draw}/volunteers"), "{}").await;
    assert_eq!(outsider.status, StatusCode::FORBIDDEN, "Kofi is not a member of Market");
    let early = nadia.submit("/councils/waterfront", &format!("/draws/{draw}/held"), &[("seed", &seed.to_string())]).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "the volunteer list is still open");

    // A draw whose list has closed (announced earlier through the store): the reveal holds it.
    let (market, nadia_id, priya) =
        db.store.read(|s| (body_id(s, "market"), person(s, "Nadia Haddad"), person(s, "Priya Nair"))).await;
    let past = now().plus_seconds(-3 * 86_400);
    let closed = plenum_core::DrawId::parse("01968a3c-0000-7000-8000-00000000d1a0").unwrap();
    let old = plenum_core::AnnounceDraw {
        draw: closed.clone(),
        council: forum.clone(),
        constituent: market.clone(),
        commitment: seed.commitment(),
        volunteers_close_at: past.plus_seconds(86_400),
        quotas: vec![],
        term_ends: now().plus_seconds(300 * 86_400),
    };
    db.store.execute(|s| s.announce_draw(old, &nadia_id, past)).await.unwrap();
    db.store.execute(|s| s.volunteer(&closed, None, &priya, past.plus_seconds(3600))).await.unwrap();
    let wrong = nadia.post_json(&format!("/api/v1/draws/{closed}/held"), &format!(r#"{{"seed":"{}"}}"#, "ab".repeat(32))).await;
    assert_eq!((wrong.status, wrong.json()["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("seed_mismatch")));
    let held = nadia.submit("/councils/waterfront", &format!("/draws/{closed}/held"), &[("seed", &seed.to_string())]).await;
    assert_eq!(held.status, StatusCode::SEE_OTHER, "{}", held.body);
    let page = web.browser().get("/councils/waterfront").await;
    assert!(page.body.contains(&seed.to_string()) && page.body.contains("Priya Nair"));
    assert!(db.store.verify().await.unwrap().is_ok(), "plenum verify repeats the draw");
}

/// The East Council passes a policy (its delegates vote yes in an open poll).
async fn east_passes_a_policy(db: &TestDb) -> MotionId {
    let (east, clerk, delegates) = db
        .store
        .read(|s| {
            let east = body_id(s, "east-council");
            let delegates: Vec<AccountId> = s
                .councils()
                .find(|c| c.id == east)
                .unwrap()
                .constituents
                .iter()
                .flat_map(|k| s.delegation(&east, &k.body).unwrap().current().map(|x| x.delegate.clone()).collect::<Vec<_>>())
                .collect();
            (east, person(s, "Marta Llorens"), delegates)
        })
        .await;
    let item = MotionId::parse("01968a3c-0000-7000-8000-00000000f00d").unwrap();
    let file = plenum_core::FileMotion {
        motion: item.clone(),
        body: east,
        kind: plenum_core::MotionKind::Policy,
        title: plenum_core::Title::parse("A shared repair café").unwrap(),
        text: plenum_core::Prose::parse("The East assemblies run a repair café together.").unwrap(),
        proposed_charter: None,
    };
    let at = now().plus_seconds(-7200);
    db.store.execute(|s| s.file_motion(file, &clerk, at)).await.unwrap();
    let poll = PollId::parse("01968a3c-0000-7000-8000-00000000f00e").unwrap();
    let open = plenum_core::OpenPoll {
        poll: poll.clone(),
        motion: item.clone(),
        secrecy: plenum_core::Secrecy::Open,
        opens_at: at,
        closes_at: at.plus_seconds(3600),
    };
    db.store.execute(|s| s.open_poll(open, &clerk, at)).await.unwrap();
    for d in &delegates {
        db.store
            .cast_vote(
                &poll,
                Choice::Yes,
                d,
                at.plus_seconds(60),
                plenum_core::BallotRandomness { ballot_id: [1; 16], receipt: [2; 10] },
            )
            .await
            .unwrap();
    }
    assert_eq!(plenum_web::closer::close_overdue(&db.store).await.unwrap(), 1);
    item
}

async fn the_clerk_sends_a_passed_policy_to_the_constituents_for_ratification(db: &TestDb) {
    let web = demo(db).await;
    // A council votes in the open: the poll form's secret choice is refused with the reason.
    let mut clerk = signed_in(&web, "clerk").await;
    let (east, clerk_id) = db.store.read(|s| (body_id(s, "east-council"), person(s, "Marta Llorens"))).await;
    let other = MotionId::parse("01968a3c-0000-7000-8000-00000000f0f0").unwrap();
    let file = plenum_core::FileMotion {
        motion: other.clone(),
        body: east.clone(),
        kind: plenum_core::MotionKind::Policy,
        title: plenum_core::Title::parse("Street lights").unwrap(),
        text: plenum_core::Prose::parse("Brighter street lights.").unwrap(),
        proposed_charter: None,
    };
    db.store.execute(|s| s.file_motion(file, &clerk_id, now())).await.unwrap();
    let form = clerk.get(&format!("/motions/{other}")).await;
    assert!(
        form.body.contains(r#"value="open""#) && !form.body.contains(r#"value="secret""#),
        "a council's poll form offers open votes only"
    );
    let secret = clerk
        .submit(&format!("/motions/{other}"), &format!("/motions/{other}/polls"), &[("secrecy", "secret"), ("closes_in", "60")])
        .await;
    assert_eq!(secret.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(secret.body.contains("A council votes in the open"), "{}", secret.body);

    let item = east_passes_a_policy(db).await;
    let page = clerk.get("/councils/east-council").await;
    assert!(page.body.contains("Send to the constituents for ratification"), "{}", page.body);
    let mut kofi = signed_in(&web, "kofi").await;
    assert!(!kofi.get("/councils/east-council").await.body.contains("Send to the constituents for ratification"));
    let body = format!(r#"{{"motion":"{item}","days":10}}"#);
    let refused = kofi.post_json(&format!("/api/v1/councils/{east}/ratifications"), &body).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let sent = clerk
        .submit("/councils/east-council", "/councils/east-council/ratifications", &[("motion", item.as_str()), ("days", "10")])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let ratification = sent.location.unwrap().trim_start_matches("/ratifications/").to_owned();
    let json = web.browser().get(&format!("/api/v1/ratifications/{ratification}")).await.json();
    assert_eq!(json["status"], "open");
    assert_eq!(json["polls"].as_array().unwrap().len(), 3, "a poll in each East assembly");
    let again = clerk.post_json(&format!("/api/v1/councils/{east}/ratifications"), &body).await;
    assert_eq!(
        (again.status, again.json()["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("not_ratifiable"))
    );
    let page = clerk.get("/councils/east-council").await;
    assert!(!page.body.contains("Send to the constituents for ratification"), "sent once");
    let es = clerk.get("/councils/east-council?lang=es").await;
    assert!(es.body.contains("Añadir una tarea") && !es.body.contains("Anunciar un sorteo"));
}

async fn a_dispute_goes_from_claim_to_appeal_and_tasks_are_followed(db: &TestDb) {
    let web = demo(db).await;
    let (east, market, meeting, lena) = db
        .store
        .read(|s| {
            let east = body_id(s, "east-council");
            let meeting = s.meetings_of(&east).next().unwrap().id.clone();
            (east, body_id(s, "market"), meeting, person(s, "Lena Vogel"))
        })
        .await;
    // Fatima facilitates Hillside: she brings a dispute against Market.
    let mut fatima = signed_in(&web, "fatima").await;
    assert!(fatima.get("/councils/east-council").await.body.contains("Bring a dispute"));
    let same = fatima
        .submit(
            "/councils/east-council",
            "/councils/east-council/disputes",
            &[("claimant", "hillside"), ("respondent", "hillside"), ("title", "x"), ("claim", "y")],
        )
        .await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    let brought = fatima
        .submit(
            "/councils/east-council",
            "/councils/east-council/disputes",
            &[
                ("claimant", "hillside"),
                ("respondent", "market"),
                ("title", "Market stalls on the Hillside green"),
                ("claim", "Market let stalls onto the Hillside green every Sunday without asking."),
            ],
        )
        .await;
    assert_eq!(brought.status, StatusCode::SEE_OTHER, "{}", brought.body);
    let dispute = brought.location.unwrap().rsplit_once("#dispute-").unwrap().1.to_owned();
    let mut kofi = signed_in(&web, "kofi").await;
    let not_party = kofi.post_json(&format!("/api/v1/disputes/{dispute}/response"), r#"{"response":"Not ours."}"#).await;
    assert_eq!(not_party.status, StatusCode::FORBIDDEN);
    let mut nadia = signed_in(&web, "nadia").await;
    let answered = nadia
        .post_json(&format!("/api/v1/disputes/{dispute}/response"), r#"{"response":"The stalls stay off the paths."}"#)
        .await;
    assert_eq!(answered.status, StatusCode::CREATED, "{}", answered.body);
    let mut clerk = signed_in(&web, "clerk").await;
    let early = clerk.post_json(&format!("/api/v1/disputes/{dispute}/decision"), r#"{"decision":"a","reasons":"b"}"#).await;
    assert_eq!((early.status, early.json()["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("dispute_stage")));
    let heard =
        clerk.submit("/councils/east-council", &format!("/disputes/{dispute}/hearing"), &[("meeting", meeting.as_str())]).await;
    assert_eq!(heard.status, StatusCode::SEE_OTHER);
    let decided = clerk
        .submit(
            "/councils/east-council",
            &format!("/disputes/{dispute}/decision"),
            &[("decision", "Stalls on alternate Sundays only."), ("reasons", "Both assemblies use the green.")],
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER);
    let page = nadia.get("/councils/east-council").await;
    assert!(
        page.body.contains("Stalls on alternate Sundays only.")
            && page.body.contains("Appeal to the constituents (Market Assembly)")
    );
    let appealed =
        nadia.post_json(&format!("/api/v1/disputes/{dispute}/appeal"), &format!(r#"{{"appellant":"{market}","days":14}}"#)).await;
    assert_eq!(appealed.status, StatusCode::CREATED, "{}", appealed.body);
    let ratification = appealed.json()["id"].as_str().unwrap().to_owned();
    let json = web.browser().get(&format!("/api/v1/ratifications/{ratification}")).await.json();
    assert_eq!(json["subject"]["dispute"], dispute.as_str());

    // Tasks: the clerk adds one; the person responsible records progress; others may not.
    assert!(clerk.get("/councils/east-council").await.body.contains("Add a task"));
    assert!(!kofi.get("/councils/east-council").await.body.contains("Add a task"));
    let added = clerk
        .submit(
            "/councils/east-council",
            "/councils/east-council/tasks",
            &[("title", "Book the repair café room"), ("responsible", lena.as_str()), ("due_days", "20")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let task = db.store.read(|s| s.tasks_of(&east).last().unwrap().id.clone()).await;
    let not_yours = kofi.post_json(&format!("/api/v1/tasks/{task}/updates"), r#"{"status":"done","note":"x"}"#).await;
    assert_eq!(not_yours.status, StatusCode::FORBIDDEN);
    let mut lena_web = signed_in(&web, "lena").await;
    let bad = lena_web.post_json(&format!("/api/v1/tasks/{task}/updates"), r#"{"status":"finished","note":"x"}"#).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let updated = lena_web
        .post_json(&format!("/api/v1/tasks/{task}/updates"), r#"{"status":"in_progress","note":"Room booked for March."}"#)
        .await;
    assert_eq!(updated.status, StatusCode::CREATED);
    let page = web.browser().get("/councils/east-council").await;
    assert!(page.body.contains("Room booked for March."));

    // A delegate reports back on a council meeting; someone without a seat may not.
    assert!(lena_web.get("/councils/east-council").await.body.contains("Report back to our assembly"));
    assert!(!kofi.get("/councils/east-council").await.body.contains("Report back to our assembly"));
    let report = format!(r#"{{"meeting":"{meeting}","text":"The hearing on the green was heard; a decision follows."}}"#);
    assert_eq!(kofi.post_json(&format!("/api/v1/councils/{east}/reports"), &report).await.status, StatusCode::FORBIDDEN);
    let filed = lena_web
        .submit(
            "/councils/east-council",
            "/councils/east-council/reports",
            &[("meeting", meeting.as_str()), ("text", "We heard Hillside and Market on the green.")],
        )
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    assert!(web.browser().get("/councils/east-council").await.body.contains("We heard Hillside and Market on the green."));
}

async fn a_recall_petition_is_started_and_signed_through_the_api(db: &TestDb) {
    let web = demo(db).await;
    let (west, delegate) = db
        .store
        .read(|s| {
            let west = body_id(s, "west-council");
            let riverside = body_id(s, "riverside");
            (west.clone(), s.delegation(&west, &riverside).unwrap().current().next().unwrap().delegate.clone())
        })
        .await;
    let body = format!(r#"{{"delegate":"{delegate}","reason":"Never reports back."}}"#);
    let mut dolores = signed_in(&web, "dolores").await;
    assert_eq!(dolores.post_json(&format!("/api/v1/councils/{west}/recalls"), &body).await.status, StatusCode::FORBIDDEN);
    let mut member3 = signed_in(&web, "member3").await;
    let started = member3.post_json(&format!("/api/v1/councils/{west}/recalls"), &body).await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    let recall = started.json()["id"].as_str().unwrap().to_owned();
    let twice = member3.post_json(&format!("/api/v1/recalls/{recall}/signatures"), "{}").await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "the starter has signed");
    let mut member1 = signed_in(&web, "member1").await;
    assert_eq!(member1.post_json(&format!("/api/v1/recalls/{recall}/signatures"), "{}").await.status, StatusCode::CREATED);
    let json = web.browser().get(&format!("/api/v1/recalls/{recall}")).await.json();
    assert_eq!((json["signatures"].as_u64(), json["stage"].as_str()), (Some(2), Some("polling")));
    let missing = member1.post_json("/api/v1/recalls/01968a3c-0000-7000-8000-000000000000/signatures", "{}").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

async fn a_delegates_term_ends_when_its_date_passes(db: &TestDb) {
    let web = demo(db).await;
    let (east, docks, kofi, lena) = db
        .store
        .read(|s| (body_id(s, "east-council"), body_id(s, "docks"), person(s, "Kofi Mensah"), person(s, "Lena Vogel")))
        .await;
    // A new round whose term ended yesterday (entered ten days ago).
    let ten_days_ago = now().plus_seconds(-10 * 86_400);
    let elect = plenum_core::ElectDelegates {
        council: east.clone(),
        constituent: docks.clone(),
        candidates: vec![lena.clone()],
        ballots: vec![vec![lena.clone()]],
        term_ends: now().plus_seconds(-86_400),
    };
    db.store.execute(|s| s.elect_delegates(elect, &kofi, ten_days_ago)).await.unwrap();
    assert!(db.store.read(|s| s.body(&east).unwrap().is_member(&lena)).await);
    assert!(plenum_web::closer::close_overdue(&db.store).await.unwrap() >= 1);
    let (current, member) = db
        .store
        .read(|s| (s.delegation(&east, &docks).unwrap().current().count(), s.body(&east).unwrap().is_member(&lena)))
        .await;
    assert_eq!((current, member), (0, false), "the seat is empty and Lena no longer sits on the council");
    let json = web.browser().get(&format!("/api/v1/bodies/{east}/delegates")).await.json();
    let docks_delegation =
        json["delegations"].as_array().unwrap().iter().find(|d| d["constituent"]["slug"] == "docks").unwrap().clone();
    assert!(docks_delegation["past"].as_array().unwrap().iter().any(|p| p["ended_reason"] == "term_ended"));
    assert_eq!(plenum_web::closer::close_overdue(&db.store).await.unwrap(), 0, "a term ends once");
}
