//! The confederation on the web: the demo's councils, delegates, ratification and recall as
//! pages (English and Spanish) and JSON, and signing a recall petition through the form.

use axum::http::StatusCode;
use plenum_core::{BodySlug, RecallId, StartRecall};

use crate::engine::{TestApp, TestDb, on_both_engines};

on_both_engines!(
    the_demo_confederation_is_public_as_pages_and_json,
    a_member_signs_a_recall_petition_with_the_form,
    a_member_starts_a_recall_petition_from_the_delegate_page,
    a_facilitator_asks_the_assembly_for_a_mandate_on_a_council_item,
);

async fn a_facilitator_asks_the_assembly_for_a_mandate_on_a_council_item(db: &TestDb) {
    plenum_web::demo::fill(&db.store, plenum_web::Tz::UTC).await.unwrap();
    let (east, lena) = db
        .store
        .read(|s| {
            let east = s.body_by_slug(&BodySlug::parse("east-council").unwrap()).unwrap();
            let lena =
                east.current_members().find(|m| s.resident(m).unwrap().display_name.as_str() == "Lena Vogel").unwrap().clone();
            (east.id.clone(), lena)
        })
        .await;
    let item = plenum_core::MotionId::parse("01968a3c-0000-7000-8000-00000000beef").unwrap();
    let file = plenum_core::FileMotion {
        motion: item.clone(),
        body: east,
        kind: plenum_core::MotionKind::Policy,
        title: plenum_core::Title::parse("Shared tool library").unwrap(),
        text: plenum_core::Prose::parse("The council proposes a tool library shared by the East assemblies.").unwrap(),
        proposed_charter: None,
    };
    let at = plenum_core::Instant::from_unix_seconds(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64,
    )
    .unwrap();
    db.store.execute(|s| s.file_motion(file, &lena, at)).await.unwrap();

    let mut web = TestApp::new(db);
    assert!(!web.get("/councils/east-council").await.body.contains("Ask our members for a mandate"));
    web.submit("/login", "/login", &[("login", "kofi"), ("password", "demo-password")]).await;
    let page = web.get("/councils/east-council").await;
    assert!(page.body.contains("Ask our members for a mandate (Docks Assembly)"), "{}", page.body);
    let docks = db.store.read(|s| s.body_by_slug(&BodySlug::parse("docks").unwrap()).unwrap().id.to_string()).await;
    let bad = web
        .submit(
            "/councils/east-council",
            "/councils/east-council/mandates",
            &[("motion", item.as_str()), ("constituent", &docks), ("days", "90")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answer = web
        .submit(
            "/councils/east-council",
            "/councils/east-council/mandates",
            &[("motion", item.as_str()), ("constituent", &docks), ("days", "3")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(answer.location.unwrap().starts_with("/polls/"));
    let page = web.get("/councils/east-council").await;
    assert!(page.body.contains("Docks Assembly: the members are voting"));
    assert!(!page.body.contains("Ask our members for a mandate (Docks Assembly)"), "one mandate poll at a time");
}

async fn a_member_starts_a_recall_petition_from_the_delegate_page(db: &TestDb) {
    plenum_web::demo::fill(&db.store, plenum_web::Tz::UTC).await.unwrap();
    let delegate = db
        .store
        .read(|s| {
            let west = s.body_by_slug(&BodySlug::parse("west-council").unwrap()).unwrap().id.clone();
            let riverside = s.body_by_slug(&BodySlug::parse("riverside").unwrap()).unwrap();
            s.delegation(&west, &riverside.id).unwrap().current().next().unwrap().delegate.clone()
        })
        .await;
    let path = format!("/councils/west-council/delegates/{delegate}");
    let mut web = TestApp::new(db);
    assert!(!web.get(&path).await.body.contains("Start a recall petition"), "not signed in");
    // Someone from another assembly may not start it.
    let mut outsider = web.browser();
    outsider.submit("/login", "/login", &[("login", "dolores"), ("password", "demo-password")]).await;
    assert!(!outsider.get(&path).await.body.contains("Start a recall petition"));
    let refused = outsider.submit(&path, &format!("{path}/recalls"), &[("reason", "x")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    web.submit("/login", "/login", &[("login", "member3"), ("password", "demo-password")]).await;
    assert!(web.get(&path).await.body.contains("Start a recall petition"));
    let answer = web.submit(&path, &format!("{path}/recalls"), &[("reason", "Voted against our wishes on the library.")]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let recall = answer.location.unwrap().trim_start_matches("/recalls/").to_owned();
    let json = web.get(&format!("/api/v1/recalls/{recall}")).await.json();
    assert_eq!(
        (json["signatures"].as_u64(), json["stage"].as_str(), json["automatic"].as_bool()),
        (Some(1), Some("gathering"), Some(false))
    );
    assert_eq!(json["reason"], "Voted against our wishes on the library.");
}

fn between<'a>(text: &'a str, start: &str, end: char) -> &'a str {
    let from = text.find(start).map(|i| i + start.len()).unwrap_or_else(|| panic!("{start} not in the page"));
    let rest = &text[from..];
    &rest[..rest.find(end).unwrap()]
}

async fn the_demo_confederation_is_public_as_pages_and_json(db: &TestDb) {
    plenum_web::demo::fill(&db.store, plenum_web::Tz::UTC).await.unwrap();
    let mut web = TestApp::new(db);
    for slug in ["west-council", "east-council", "regional-council"] {
        assert_eq!(web.get(&format!("/councils/{slug}")).await.status, StatusCode::OK, "{slug}");
    }
    assert_eq!(web.get("/councils/riverside").await.status, StatusCode::NOT_FOUND, "an assembly is not a council");
    let west = web.get("/councils/west-council").await;
    for text in [
        "Riverside Assembly",
        "Old Town Assembly",
        "drawn by lot",
        "redrawn by lot",
        "elected",
        "Votes against mandates",
        "ratified",
        "Night buses across the West",
        "Agree night-bus timetables",
        "recalled",
    ] {
        assert!(west.body.contains(text), "{text}");
    }
    let east = web.get("/councils/east-council").await;
    assert!(east.body.contains("Where the shared compost site goes") && east.body.contains("north corner"));

    // The delegate who voted against the mandate: the record shows it.
    let recall = between(&west.body, r#"href="/recalls/"#, '"').to_owned();
    let json = web.get(&format!("/api/v1/recalls/{recall}")).await.json();
    assert_eq!(json["stage"], "recalled");
    assert_eq!(json["automatic"], true);
    let delegate = json["delegate"]["id"].as_str().unwrap().to_owned();
    let page = web.get(&format!("/councils/west-council/delegates/{delegate}")).await;
    assert!(page.body.contains("Against the mandate") && page.body.contains("recalled on"), "{}", page.body);
    assert_eq!(web.get(&format!("/recalls/{recall}")).await.status, StatusCode::OK);

    // The ratification: three assemblies, double majority.
    let ratification = between(&west.body, r#"href="/ratifications/"#, '"').to_owned();
    let json = web.get(&format!("/api/v1/ratifications/{ratification}")).await.json();
    assert_eq!(json["status"], "ratified");
    assert_eq!(json["rule"]["combine"], "double_majority");
    assert_eq!(json["results"].as_array().unwrap().len(), 3);
    let page = web.get(&format!("/ratifications/{ratification}")).await;
    assert!(page.body.contains("Harbour Assembly") && page.body.contains("A double majority"));
    let es = web.get(&format!("/ratifications/{ratification}?lang=es")).await;
    assert!(es.body.contains("Doble mayoría") && es.body.contains("ratificada"));

    // Delegates by body: the council's seats, and an assembly's delegation up.
    let west_id = db.store.read(|s| s.body_by_slug(&BodySlug::parse("west-council").unwrap()).unwrap().id.clone()).await;
    let json = web.get(&format!("/api/v1/bodies/{west_id}/delegates")).await.json();
    assert_eq!(json["is_council"], true);
    let delegations = json["delegations"].as_array().unwrap();
    // West's three constituents, and West's own delegation to the Regional Council.
    assert_eq!(delegations.len(), 4);
    let seats: u64 =
        delegations.iter().filter(|d| d["council"]["id"] == west_id.as_str()).map(|d| d["seats"].as_u64().unwrap()).sum();
    assert_eq!(seats, 5);
    let old_town = delegations.iter().find(|d| d["constituent"]["slug"] == "old-town").unwrap();
    assert_eq!(old_town["selection"], "sortition");
    assert_eq!(old_town["current"].as_array().unwrap().len(), 2);
    assert_eq!(old_town["past"].as_array().unwrap().iter().filter(|p| p["ended_reason"] == "recalled").count(), 1);
    let council = web.get(&format!("/api/v1/councils/{west_id}")).await.json();
    assert_eq!(council["deviations"].as_array().unwrap().len(), 1);
    assert_eq!(web.get("/api/v1/recalls/not-an-id").await.status, StatusCode::NOT_FOUND);
    assert!(db.store.verify().await.unwrap().is_ok());
}

async fn a_member_signs_a_recall_petition_with_the_form(db: &TestDb) {
    plenum_web::demo::fill(&db.store, plenum_web::Tz::UTC).await.unwrap();
    let (west, delegate, member2) = db
        .store
        .read(|s| {
            let west = s.body_by_slug(&BodySlug::parse("west-council").unwrap()).unwrap().id.clone();
            let riverside = s.body_by_slug(&BodySlug::parse("riverside").unwrap()).unwrap();
            let delegate = s.delegation(&west, &riverside.id).unwrap().current().next().unwrap().delegate.clone();
            let member2 = riverside
                .current_members()
                .find(|m| s.resident(m).unwrap().display_name.as_str() == "Lucía Fernández")
                .unwrap()
                .clone();
            (west, delegate, member2)
        })
        .await;
    let recall = RecallId::parse("01968a3c-0000-7000-8000-00000000abcd").unwrap();
    let start = StartRecall {
        recall: recall.clone(),
        council: west,
        delegate,
        reason: Some(plenum_core::Prose::parse("Never reports back.").unwrap()),
    };
    let at = plenum_core::Instant::from_unix_seconds(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64,
    )
    .unwrap();
    db.store.execute(|s| s.start_recall(start, &member2, at)).await.unwrap();

    let mut web = TestApp::new(db);
    let page = web.get(&format!("/recalls/{recall}")).await;
    assert!(page.body.contains("1 of 7 members; 2 needed"), "{}", page.body);
    assert!(!page.body.contains("Sign the petition"), "only members who are signed in may sign");
    web.submit("/login", "/login", &[("login", "member1"), ("password", "demo-password")]).await;
    let answer = web.submit(&format!("/recalls/{recall}"), &format!("/recalls/{recall}/sign"), &[]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let json = web.get(&format!("/api/v1/recalls/{recall}")).await.json();
    // 2 of 7 reach a quarter: the recall poll opens.
    assert_eq!((json["signatures"].as_u64(), json["stage"].as_str()), (Some(2), Some("polling")));
    let again = web.post_form(&format!("/recalls/{recall}/sign"), &[("csrf", "wrong")]).await;
    assert_ne!(again.status, StatusCode::SEE_OTHER);
}
