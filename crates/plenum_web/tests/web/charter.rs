//! Assemblies made on the web, and their charters amended by motion.

use axum::http::StatusCode;

use crate::engine::{TestApp, TestDb, on_both_engines};
use crate::flows::now;

on_both_engines!(
    a_resident_creates_an_assembly_and_facilitates_it,
    a_taken_or_malformed_address_name_is_refused,
    a_charter_amendment_that_passes_changes_the_charter,
);

async fn create(web: &mut TestApp, name: &str, slug: &str, membership: &str) -> crate::engine::Answer {
    web.submit("/bodies/new", "/bodies", &[("name", name), ("slug", slug), ("membership", membership)]).await
}

async fn a_resident_creates_an_assembly_and_facilitates_it(db: &TestDb) {
    let mut web = TestApp::new(db);
    assert!(!web.get("/").await.body.contains("Create an assembly"));
    web.sign_up("rosa", "Rosa").await;
    let home = web.get("/").await;
    assert!(home.body.contains(r#"href="/bodies/new">Create an assembly<"#), "{}", home.body);
    let form = web.get("/bodies/new").await;
    assert!(form.body.contains("Address name (slug)") && form.body.contains("Approval by a facilitator"), "{}", form.body);
    // The language chosen is remembered, so the Spanish form is followed by a return to English.
    assert!(web.get("/bodies/new?lang=es").await.body.contains("Crear asamblea"));
    assert!(web.get("/bodies/new?lang=en").await.body.contains("Create assembly"));

    let created = create(&mut web, "Garden Assembly", "garden", "approval").await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert_eq!(created.location.as_deref(), Some("/bodies/garden"));
    let page = web.get("/bodies/garden").await;
    assert!(page.body.contains("<h1>Garden Assembly</h1>") && page.body.contains("Rosa (facilitator)"), "{}", page.body);
    assert!(page.body.contains("Schedule a meeting") && page.body.contains("A facilitator approves each new member."));
    let home = web.browser().get("/").await;
    assert!(home.body.contains(r#"<a href="/bodies/garden">Garden Assembly</a>"#), "{}", home.body);

    // Signed out, there is no form, and a post (with a valid token) is refused.
    let mut stranger = web.browser();
    assert_eq!(stranger.get("/bodies/new").await.status, StatusCode::UNAUTHORIZED);
    let fields = [("name", "Other"), ("slug", "other"), ("membership", "open")];
    assert_eq!(stranger.submit("/signup", "/bodies", &fields).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(stranger.post_form("/bodies", &fields).await.status, StatusCode::FORBIDDEN);
}

async fn a_taken_or_malformed_address_name_is_refused(db: &TestDb) {
    let mut web = TestApp::new(db);
    web.sign_up("rosa", "Rosa").await;
    assert_eq!(create(&mut web, "Garden Assembly", "garden", "open").await.status, StatusCode::SEE_OTHER);
    let taken = create(&mut web, "Another Garden", "garden", "open").await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(taken.body.contains("This address name is taken") && taken.body.contains("Another Garden"), "{}", taken.body);
    for bad in ["Garden!", "new", "-x"] {
        let refused = create(&mut web, "Garden", bad, "open").await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(refused.body.contains("An address name is 2 to 64"), "{}", refused.body);
    }
    let unnamed = create(&mut web, " ", "unnamed", "open").await;
    assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unnamed.body.contains("Give the assembly a name."), "{}", unnamed.body);
    assert_eq!(web.get("/bodies/unnamed").await.status, StatusCode::NOT_FOUND);
}

async fn a_charter_amendment_that_passes_changes_the_charter(db: &TestDb) {
    let mut rosa = TestApp::new(db);
    rosa.sign_up("rosa", "Rosa").await;
    create(&mut rosa, "Garden Assembly", "garden", "open").await;
    let form = rosa.get("/bodies/garden/motions/new").await;
    assert!(form.body.contains(r#"value="charter_amendment""#) && form.body.contains(r#"value="2/3""#), "{}", form.body);

    // A bad share is refused with the form shown again; other kinds ignore the fields.
    let mut fields = vec![
        ("kind", "charter_amendment"),
        ("title", "Members by approval"),
        ("text", "New members are approved by a facilitator; the charter is harder to amend."),
        ("charter_membership", "approval"),
        ("charter_threshold", "1/2"),
        ("charter_threshold_rule", "more_than"),
        ("charter_amendment", "3/2"),
        ("charter_amendment_rule", "at_least"),
        ("charter_quorum", "1/10"),
    ];
    let refused = rosa.submit("/bodies/garden/motions/new", "/bodies/garden/motions/new", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Members by approval") && refused.body.contains(r#"value="3/2""#), "{}", refused.body);
    fields[0] = ("kind", "policy");
    let policy = rosa.submit("/bodies/garden/motions/new", "/bodies/garden/motions/new", &fields).await;
    assert_eq!(policy.status, StatusCode::SEE_OTHER, "{}", policy.body);

    fields[0] = ("kind", "charter_amendment");
    fields[6] = ("charter_amendment", "3/4");
    let filed = rosa.submit("/bodies/garden/motions/new", "/bodies/garden/motions/new", &fields).await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let motion_path = filed.location.unwrap();
    assert!(rosa.get(&motion_path).await.body.contains("Charter amendment"));

    // Put to an open vote closing in a few seconds; Rosa, the only member, votes yes.
    let closes = now().plus_seconds(5);
    let closes_at = closes.to_string().trim_end_matches('Z').to_owned();
    let opened = rosa
        .submit(
            &motion_path,
            &format!("{motion_path}/polls"),
            &[("secrecy", "open"), ("closes_in", "1"), ("closes_at", &closes_at)],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let poll_path = opened.location.unwrap();
    let voted = rosa.submit(&poll_path, &format!("{poll_path}/vote"), &[("choice", "yes")]).await;
    assert_eq!(voted.status, StatusCode::SEE_OTHER, "{}", voted.body);
    let before = rosa.get("/bodies/garden").await;
    assert!(before.body.contains("Anyone may join.") && before.body.contains("at least 2/3 of the votes cast"));

    let left = closes.unix_seconds() - now().unix_seconds();
    tokio::time::sleep(std::time::Duration::from_millis(u64::try_from(left.max(0)).unwrap() * 1000 + 1100)).await;
    assert_eq!(plenum_web::closer::close_overdue(&db.store).await.unwrap(), 1);
    assert!(rosa.get(&poll_path).await.body.contains("Passed"));
    let after = rosa.get("/bodies/garden").await;
    assert!(
        after.body.contains("A facilitator approves each new member.")
            && after.body.contains("The charter is amended with: at least 3/4 of the votes cast"),
        "{}",
        after.body
    );
    let after = rosa.browser().get("/bodies/garden?lang=es").await;
    assert!(after.body.contains("al menos 3/4 de los votos emitidos"), "{}", after.body);
    assert!(db.store.verify().await.unwrap().is_ok());
}
