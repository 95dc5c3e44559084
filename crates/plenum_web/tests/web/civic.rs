//! What facilitators do: approve members, schedule meetings and publish minutes, settle
//! amendments (the mover), open polls with a local deadline, enter in-person counts.

use axum::http::StatusCode;
use plenum_core::charter::MembershipRule;
use plenum_core::{BodyId, BodySlug, Charter, CreateBody, State, Title};

use crate::engine::{TestApp, TestDb, on_both_engines};
use crate::flows::{now, uuid_v7};

on_both_engines!(
    joining_an_assembly_that_needs_approval_waits_for_a_facilitator,
    a_facilitator_schedules_a_meeting_records_attendance_and_publishes_minutes,
    the_mover_accepts_an_amendment_and_the_text_changes,
    an_open_poll_with_a_local_deadline_shows_who_voted_what_and_takes_in_person_counts,
    a_local_deadline_follows_daylight_saving_time_in_the_instance_zone,
);

async fn a_local_deadline_follows_daylight_saving_time_in_the_instance_zone(db: &TestDb) {
    let mut rosa = TestApp::in_zone(db, plenum_web::Tz::Europe__Madrid);
    rosa.sign_up("rosa", "Rosa").await;
    crate::flows::assembly(db, "rosa", "riverside").await;
    let filed = rosa
        .submit(
            "/bodies/riverside/motions/new",
            "/bodies/riverside/motions/new",
            &[("kind", "policy"), ("title", "Benches"), ("text", "Six benches.")],
        )
        .await;
    let motion = filed.location.unwrap();
    // Clocks in Madrid jump from 02:00 to 03:00 on 28 March 2027: 02:30 never happens.
    let gap = rosa
        .submit(
            &motion,
            &format!("{motion}/polls"),
            &[("secrecy", "secret"), ("closes_in", ""), ("closes_at", "2027-03-28T02:30")],
        )
        .await;
    assert_eq!(gap.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(gap.body.contains("does not exist in this time zone"), "{}", gap.body);
    let summer = rosa
        .submit(
            &motion,
            &format!("{motion}/polls"),
            &[("secrecy", "secret"), ("closes_in", ""), ("closes_at", "2027-07-01T19:00")],
        )
        .await;
    assert_eq!(summer.status, StatusCode::SEE_OTHER, "{}", summer.body);
    let poll = summer.location.unwrap();
    assert_eq!(rosa.get(&format!("/api/v1{poll}")).await.json()["closes_at"], "2027-07-01T17:00:00Z");
    assert!(rosa.get(&poll).await.body.contains("2027-07-01 19:00 CEST"));
}

async fn approval_assembly(db: &TestDb, founder: &str) -> BodyId {
    let (founder, _) = db.store.credentials(founder).await.unwrap().unwrap();
    let body = BodyId::parse(&uuid_v7()).unwrap();
    let charter = Charter { membership: MembershipRule::ApprovalByFacilitator, ..Charter::default() };
    let new = CreateBody {
        body: body.clone(),
        slug: BodySlug::parse("old-town").unwrap(),
        name: Title::parse("Old Town Assembly").unwrap(),
        charter: Some(charter),
    };
    db.store.execute(|s: &State| s.create_body(new, &founder, now())).await.unwrap();
    body
}

async fn joining_an_assembly_that_needs_approval_waits_for_a_facilitator(db: &TestDb) {
    let mut dolores = TestApp::new(db);
    dolores.sign_up("dolores", "Dolores").await;
    let body = approval_assembly(db, "dolores").await;
    let mut hana = dolores.browser();
    hana.sign_up("hana", "Hana Kato").await;
    hana.submit("/bodies/old-town", "/bodies/old-town/join", &[]).await;
    let page = hana.get("/bodies/old-town").await;
    assert!(page.body.contains("waiting for a facilitator") && !page.body.contains("File a motion"));
    let (hana_id, _) = db.store.credentials("hana").await.unwrap().unwrap();

    // Only a facilitator approves.
    let mut other = dolores.browser();
    other.sign_up("gus", "Gus").await;
    let refused = other.submit("/bodies/old-town", "/bodies/old-town/approve", &[("resident", hana_id.as_str())]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let page = dolores.get("/bodies/old-town").await;
    assert!(page.body.contains("Requests to join") && page.body.contains("Hana Kato"));
    let approved = dolores.submit("/bodies/old-town", "/bodies/old-town/approve", &[("resident", hana_id.as_str())]).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    assert!(db.store.read(|s| s.body(&body).unwrap().is_member(&hana_id)).await);
    assert!(hana.get("/bodies/old-town").await.body.contains("File a motion"));
}

async fn a_facilitator_schedules_a_meeting_records_attendance_and_publishes_minutes(db: &TestDb) {
    let mut rosa = TestApp::new(db);
    rosa.sign_up("rosa", "Rosa").await;
    crate::flows::assembly(db, "rosa", "riverside").await;
    let mut ana = rosa.browser();
    ana.sign_up("ana", "Ana").await;
    ana.submit("/bodies/riverside", "/bodies/riverside/join", &[]).await;
    assert_eq!(ana.get("/bodies/riverside/meetings/new").await.status, StatusCode::OK);
    let refused = ana
        .submit(
            "/bodies/riverside/meetings/new",
            "/bodies/riverside/meetings/new",
            &[("title", "Ana's meeting"), ("starts_at", "2030-05-01T19:00"), ("duration", "60"), ("place", "Park")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let page = rosa.get("/bodies/riverside").await;
    assert!(page.body.contains("Schedule a meeting"));
    let scheduled = rosa
        .submit(
            "/bodies/riverside/meetings/new",
            "/bodies/riverside/meetings/new",
            &[
                ("title", "May assembly"),
                ("starts_at", "2030-05-01T19:00"),
                ("duration", "90"),
                ("place", "Community centre"),
                ("link", ""),
            ],
        )
        .await;
    assert_eq!(scheduled.status, StatusCode::SEE_OTHER, "{}", scheduled.body);
    let meeting = scheduled.location.unwrap();
    let (ana_id, _) = db.store.credentials("ana").await.unwrap().unwrap();
    let recorded =
        rosa.submit(&meeting, &format!("{meeting}/attendance"), &[("present", ana_id.as_str()), ("guests", "2")]).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER);
    rosa.submit(&meeting, &format!("{meeting}/minutes"), &[("minutes", "We agreed to meet again in June.")]).await;
    assert!(!ana.get(&meeting).await.body.contains("meet again in June"), "draft minutes are for facilitators");
    let published = rosa.submit(&meeting, &format!("{meeting}/publish"), &[]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let public = rosa.browser().get(&meeting).await;
    assert!(
        public.body.contains("meet again in June") && public.body.contains("Ana") && public.body.contains("Community centre")
    );
    let again = rosa.submit(&meeting, &format!("{meeting}/minutes"), &[("minutes", "Changed.")]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let feed = rosa.get("/bodies/riverside/calendar.ics").await;
    assert!(feed.body.contains("SUMMARY:May assembly") && feed.body.contains("DTSTART:20300501T190000Z"), "{}", feed.body);
}

async fn the_mover_accepts_an_amendment_and_the_text_changes(db: &TestDb) {
    let mut rosa = TestApp::new(db);
    rosa.sign_up("rosa", "Rosa").await;
    crate::flows::assembly(db, "rosa", "riverside").await;
    let mut ana = rosa.browser();
    ana.sign_up("ana", "Ana").await;
    ana.submit("/bodies/riverside", "/bodies/riverside/join", &[]).await;
    let filed = rosa
        .submit(
            "/bodies/riverside/motions/new",
            "/bodies/riverside/motions/new",
            &[("kind", "procedural"), ("title", "Meet monthly"), ("text", "Meet every month.")],
        )
        .await;
    let motion = filed.location.unwrap();
    ana.submit(&motion, &format!("{motion}/amendments"), &[("text", "Meet every second month.")]).await;
    let amendment = db
        .store
        .read(|s| s.bodies().flat_map(|b| s.motions_of(&b.id)).flat_map(|m| m.amendments.clone()).next().unwrap().id)
        .await;
    let by_ana = ana.submit(&motion, &format!("{motion}/amendments/{amendment}"), &[("decision", "accept")]).await;
    assert_eq!(by_ana.status, StatusCode::FORBIDDEN);
    let accepted = rosa.submit(&motion, &format!("{motion}/amendments/{amendment}"), &[("decision", "accept")]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let page = rosa.get(&motion).await;
    assert!(page.body.contains(r#"<div class="prose">Meet every second month.</div>"#), "{}", page.body);
}

async fn an_open_poll_with_a_local_deadline_shows_who_voted_what_and_takes_in_person_counts(db: &TestDb) {
    let mut rosa = TestApp::new(db);
    rosa.sign_up("rosa", "Rosa").await;
    crate::flows::assembly(db, "rosa", "riverside").await;
    let filed = rosa
        .submit(
            "/bodies/riverside/motions/new",
            "/bodies/riverside/motions/new",
            &[("kind", "policy"), ("title", "Benches"), ("text", "Six benches.")],
        )
        .await;
    let motion = filed.location.unwrap();
    // A local time in the spring-forward gap does not exist (the instance's zone is UTC in
    // tests, which has none), so here: a time in the past is refused, a future one accepted.
    let past = rosa
        .submit(
            &motion,
            &format!("{motion}/polls"),
            &[("secrecy", "open"), ("closes_in", "5"), ("closes_at", "2001-01-01T10:00")],
        )
        .await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(past.body.contains("not in the past"), "{}", past.body);
    let opened = rosa
        .submit(&motion, &format!("{motion}/polls"), &[("secrecy", "open"), ("closes_in", ""), ("closes_at", "2099-06-01T12:30")])
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let poll = opened.location.unwrap();
    let api = rosa.get(&format!("/api/v1{poll}")).await.json();
    assert_eq!(api["closes_at"], "2099-06-01T12:30:00Z");
    let voted = rosa.submit(&poll, &format!("{poll}/vote"), &[("choice", "no")]).await;
    assert_eq!(voted.status, StatusCode::SEE_OTHER);
    let page = rosa.browser().get(&poll).await;
    assert!(page.body.contains("Who voted what") && page.body.contains("<td>Rosa</td><td>No</td>"), "{}", page.body);
    let impossible =
        rosa.submit(&poll, &format!("{poll}/in-person"), &[("yes", "3"), ("no", "0"), ("abstain", "0"), ("present", "1")]).await;
    assert_eq!(impossible.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(impossible.body.contains("impossible"));
    let malformed = rosa.submit(&poll, &format!("{poll}/in-person"), &[("yes", "many")]).await;
    assert_eq!(malformed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        malformed.content_type.starts_with("text/html") && malformed.body.contains("Something is not right"),
        "{}",
        malformed.body
    );
}
