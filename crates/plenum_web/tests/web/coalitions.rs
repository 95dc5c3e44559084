//! Coalitions through the forms: organisations register, a coalition is founded, a second
//! organisation applies and is admitted, both take positions, the programmes follow, a plank is
//! adopted and exported, a candidate pledges and withdraws; every page readable anonymously.

use axum::http::StatusCode;

use crate::engine::{TestApp, TestDb, on_both_engines};

on_both_engines!(
    a_coalition_organises_itself_end_to_end_through_the_forms,
    the_demo_has_a_city_coalition_whose_programmes_differ_and_pledged_candidates,
);

fn id_after(location: Option<&str>, prefix: &str) -> String {
    let location = location.expect("a redirect");
    location.strip_prefix(prefix).unwrap_or_else(|| panic!("{location} does not start with {prefix}")).to_owned()
}

async fn register(web: &mut TestApp, name: &str) -> String {
    let fields = [("name", name), ("kind", "Tenants' union"), ("description", "We organise."), ("contact", "hello@example.org")];
    let answer = web.submit("/organisations", "/organisations", &fields).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    id_after(answer.location.as_deref(), "/organisations/")
}

async fn a_coalition_organises_itself_end_to_end_through_the_forms(db: &TestDb) {
    let mut ana = TestApp::new(db);
    ana.sign_up("ana", "Ana").await;
    // A form without its token is refused.
    let forged = ana.post_form("/organisations", &[("name", "X"), ("kind", "Y"), ("description", "Z"), ("contact", "W")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let tenants = register(&mut ana, "Tenants Union").await;

    let found = ana
        .submit(
            "/coalitions/new",
            "/coalitions",
            &[
                ("name", "City Front"),
                ("kind", "Coalition"),
                ("description", "A municipal front."),
                ("contact", "front@example.org"),
                ("rule", "consensus"),
                ("share", "2/3"),
                ("maximum_share", "1/2"),
                ("founder", &tenants),
            ],
        )
        .await;
    assert_eq!(found.status, StatusCode::SEE_OTHER, "{}", found.body);
    let front = id_after(found.location.as_deref(), "/coalitions/");
    let page = format!("/coalitions/{front}");

    let mut ben = ana.browser();
    ben.sign_up("ben", "Ben").await;
    let migrants = register(&mut ben, "Migrant Rights").await;
    let applied = ben.submit(&page, &format!("{page}/apply"), &[("organisation", &migrants)]).await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.body);
    assert!(ana.get(&page).await.body.contains("Admission: <a"));
    // Ben cannot answer for the Tenants Union.
    let refused = ben
        .submit(&page, &format!("{page}/answer"), &[("organisation", &migrants), ("member", &tenants), ("answer", "agree")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let answered = ana
        .submit(&page, &format!("{page}/answer"), &[("organisation", &migrants), ("member", &tenants), ("answer", "agree")])
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    assert!(ana.get(&page).await.body.contains(&format!("/organisations/{migrants}\">Migrant Rights")));

    let proposed = ana
        .submit(
            &page,
            &format!("{page}/planks"),
            &[("title", "Rent control"), ("category", "Housing"), ("text", "Freeze rents.")],
        )
        .await;
    assert_eq!(proposed.status, StatusCode::SEE_OTHER, "{}", proposed.body);
    let plank_page = proposed.location.unwrap();
    let plank = id_after(Some(&plank_page), &format!("{page}/planks/"));
    let position = format!("{plank_page}/position");
    let take = async |web: &mut TestApp, org: &str, stance: &str, note: &str| {
        web.submit(&plank_page, &position, &[("organisation", org), ("version", "1"), ("stance", stance), ("note", note)]).await
    };
    assert_eq!(take(&mut ana, &tenants, "endorse", "").await.status, StatusCode::SEE_OTHER);
    // A block needs its reasons.
    assert_eq!(take(&mut ben, &migrants, "block", "").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(take(&mut ben, &migrants, "block", "Not consulted.").await.status, StatusCode::SEE_OTHER);

    let programme = ana.get(&format!("{page}/programme")).await;
    assert!(
        programme.body.contains("Minimum programme (0)") && programme.body.contains("Maximum programme (1)"),
        "{}",
        programme.body
    );
    assert!(programme.body.contains("Not consulted."));
    let refused = ana.submit(&plank_page, &format!("{plank_page}/adopt"), &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    assert_eq!(
        take(&mut ben, &migrants, "endorse_with_reservations", "Only with tenant boards.").await.status,
        StatusCode::SEE_OTHER
    );
    let programme = ana.get(&format!("{page}/programme")).await;
    assert!(programme.body.contains("Minimum programme (1)"), "{}", programme.body);
    let adopted = ana.submit(&plank_page, &format!("{plank_page}/adopt"), &[]).await;
    assert_eq!(adopted.status, StatusCode::SEE_OTHER, "{}", adopted.body);

    // Exports and the API.
    let markdown = ana.get(&format!("{page}/platform.md")).await;
    assert!(markdown.content_type.starts_with("text/markdown"));
    assert!(markdown.body.starts_with("# City Front\n") && markdown.body.contains("## Rent control"), "{}", markdown.body);
    let json = ana.get(&format!("{page}/platform.json")).await.json();
    assert_eq!(json["planks"][0]["status"], "adopted");
    assert_eq!(json["planks"][0]["in_minimum"], true);
    assert_eq!(json["planks"][0]["positions"].as_array().unwrap().len(), 2);
    let api = ana.get(&format!("/api/v1/coalitions/{front}/programme")).await.json();
    assert_eq!(api["minimum"][0], plank.as_str());
    assert_eq!(ana.get(&format!("/api/v1/coalitions/{front}/platform")).await.json(), json);
    let organisations = ana.get("/api/v1/organisations").await.json();
    assert_eq!(organisations["organisations"].as_array().unwrap().len(), 3);

    // A candidate makes a profile, pledges, withdraws.
    let mut lee = ana.browser();
    lee.sign_up("lee", "Lee").await;
    let entered =
        lee.submit("/pledges", "/candidates", &[("name", "Lee Park"), ("office", "City council"), ("coalition", "")]).await;
    assert_eq!(entered.status, StatusCode::SEE_OTHER, "{}", entered.body);
    let candidate = entered.location.unwrap();
    let key = format!("{front}:{plank}");
    let signed = lee.submit(&candidate, &format!("{candidate}/pledges"), &[("plank", &key), ("signature", "Lee Park")]).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    let tracker = ana.get("/pledges").await;
    assert!(tracker.body.contains("Lee Park") && tracker.body.contains("Rent control"), "{}", tracker.body);
    let withdrawn =
        lee.submit(&candidate, &format!("{candidate}/withdraw"), &[("pledge", &key), ("reason", "Changed my mind.")]).await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER, "{}", withdrawn.body);
    assert!(ana.get("/pledges").await.body.contains("Withdrawn on"));
    // Only the coalition records an official's votes; then only once the candidate is elected.
    assert_eq!(
        lee.submit(
            &candidate,
            &format!("{candidate}/votes"),
            &[("pledge", &key), ("question", "Q"), ("vote", "absent"), ("held_on", "2026-01-15")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let vote = [
        ("pledge", key.as_str()),
        ("question", "Ordinance 7: rent freeze"),
        ("vote", "against_the_pledge"),
        ("held_on", "2026-01-15"),
    ];
    assert_eq!(ana.submit(&candidate, &format!("{candidate}/votes"), &vote).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(ana.submit(&candidate, &format!("{candidate}/elected"), &[]).await.status, StatusCode::SEE_OTHER);
    let recorded = ana.submit(&candidate, &format!("{candidate}/votes"), &vote).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let shown = ana.get(&candidate).await;
    assert!(shown.body.contains("Ordinance 7: rent freeze") && shown.body.contains("Against the pledge"), "{}", shown.body);
    let candidates = ana.get("/api/v1/candidates").await.json();
    assert_eq!(candidates["candidates"][0]["votes"][0]["vote"], "against_the_pledge");
    assert!(candidates["candidates"][0]["pledges"][0]["withdrawn_at"].is_string());

    // Every page is public, in both languages.
    let mut anonymous = ana.browser();
    for path in [
        "/organisations".to_owned(),
        format!("/organisations/{tenants}"),
        page.clone(),
        format!("{page}/platform"),
        plank_page.clone(),
        format!("{page}/programme"),
        "/pledges".to_owned(),
        candidate.clone(),
    ] {
        let answer = anonymous.get(&path).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.body);
        assert!(!answer.body.contains("name=\"organisation\""), "{path} shows a form to a stranger");
    }
    let spanish = anonymous.get(&format!("{page}/programme?lang=es")).await;
    assert!(spanish.body.contains("Programa mínimo (1)"), "{}", spanish.body);
    assert_eq!(anonymous.get("/coalitions/not-an-id").await.status, StatusCode::NOT_FOUND);

    // A representative adds another by login name; strangers cannot.
    let org_page = format!("/organisations/{tenants}");
    let action = format!("{org_page}/representatives");
    assert_eq!(ana.submit(&org_page, &action, &[("login", "nobody")]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(lee.submit(&org_page, &action, &[("login", "lee")]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(ana.submit(&org_page, &action, &[("login", "LEE")]).await.status, StatusCode::SEE_OTHER);
    assert!(ana.get(&org_page).await.body.contains("<li>Lee</li>"));
}

async fn the_demo_has_a_city_coalition_whose_programmes_differ_and_pledged_candidates(db: &TestDb) {
    plenum_web::demo::fill(&db.store, plenum_web::Tz::UTC).await.unwrap();
    let mut web = TestApp::new(db);
    let organisations = web.get("/api/v1/organisations").await.json();
    let front = organisations["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "Front for a Just City")
        .expect("the city front")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let platform = web.get(&format!("/api/v1/coalitions/{front}/platform")).await.json();
    assert!(platform["members"].as_array().unwrap().len() >= 6);
    let programme = web.get(&format!("/api/v1/coalitions/{front}/programme")).await.json();
    let (minimum, maximum) = (programme["minimum"].as_array().unwrap(), programme["maximum"].as_array().unwrap());
    assert!(!minimum.is_empty() && minimum.len() < maximum.len(), "{programme}");
    assert!(minimum.iter().all(|p| maximum.contains(p)));
    let candidates = web.get("/api/v1/candidates").await.json();
    let candidates = candidates["candidates"].as_array().unwrap();
    assert!(candidates.len() >= 2 && candidates.iter().all(|c| !c["pledges"].as_array().unwrap().is_empty()));
    for path in [
        format!("/coalitions/{front}"),
        format!("/coalitions/{front}/platform"),
        format!("/coalitions/{front}/programme"),
        "/pledges".to_owned(),
    ] {
        assert_eq!(web.get(&path).await.status, StatusCode::OK, "{path}");
    }
    assert!(db.store.verify().await.unwrap().is_ok());
}
