//! The resident registry on the web: a registrar enrols a resident at the desk and prints the
//! card, the resident claims it with a new account and becomes a member of the area, the card
//! verifies, reads are logged and shown to the resident, the resident erases their data; claim
//! codes forged, malformed or replayed are refused; the register of legal demands is public
//! except for sealed demands; no page or API returns personal data in bulk.

use std::sync::Arc;

use axum::http::StatusCode;
use plenum_core::credential::{Issuer, KeyRing};
use plenum_core::{AccountId, Instant};
use plenum_web::{App, Config};

use crate::engine::{Answer, TestApp, TestDb, encode, on_both_engines};

const NAME: &str = "Xochitl Vandersloot-Okonkwo";

on_both_engines!(
    a_registrar_enrols_a_resident_who_claims_the_card_sees_the_reads_and_erases_the_data,
    the_register_of_legal_demands_is_public_except_sealed_demands,
    a_facilitator_opens_a_budget_vote_to_residents_only,
    a_facilitator_opens_a_poll_to_adult_residents_only,
    a_reprint_before_the_claim_prints_a_fresh_claim_code,
);

fn desk_app(db: &TestDb) -> TestApp {
    let issuer = Issuer::from_seed(&[9; 32]);
    let ring = KeyRing { keys: vec![issuer.published(Instant::parse("2026-01-01T00:00:00Z").unwrap())] };
    let config = Config {
        credential_keys: Some(Arc::new(ring)),
        credential_issuer: Some(Arc::new(issuer)),
        signups_per_ip: 1000,
        login_attempts_per_ip: 1000,
        ..Config::default()
    };
    let app = App::new(db.store.clone(), config);
    TestApp { router: plenum_web::router(app.clone()), app, cookies: Default::default() }
}

async fn registrar(db: &TestDb, web: &mut TestApp, login: &str) -> AccountId {
    web.sign_up(login, "Rosa Registrar").await;
    let (id, _) = db.store.credentials(login).await.unwrap().unwrap();
    db.store.appoint_registrar(&id, plenum_core::Instant::parse("2026-01-01T00:00:00Z").unwrap()).await.unwrap();
    id
}

/// The text of the element whose id is `id` (up to the next `<`).
fn element(page: &Answer, id: &str) -> String {
    let at = page.body.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} in {}", page.body));
    let rest = &page.body[at..];
    let start = rest.find('>').unwrap() + 1;
    rest[start..start + rest[start..].find('<').unwrap()].trim().to_owned()
}

async fn a_registrar_enrols_a_resident_who_claims_the_card_sees_the_reads_and_erases_the_data(db: &TestDb) {
    let mut desk = desk_app(db);
    registrar(db, &mut desk, "rosa").await;
    let area = crate::flows::assembly(db, "rosa", "riverside").await;

    // Someone who is not a registrar cannot use the desk.
    let mut ana = desk.browser();
    ana.sign_up("ana", "Ana").await;
    let page = ana.get("/registry/desk").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("Only a registrar may do that."), "{}", page.body);
    let token = ana.get("/registry/claim").await.csrf();
    let fields =
        [("csrf", token.as_str()), ("name", NAME), ("area", area.as_str()), ("age_band", "adult"), ("expires", "2035-01-01")];
    assert_eq!(ana.post_form("/registry/enrol", &fields).await.status, StatusCode::FORBIDDEN);

    // Bad input at the desk is refused with its reason.
    let bad = desk
        .submit(
            "/registry/desk",
            "/registry/enrol",
            &[("name", NAME), ("area", area.as_str()), ("age_band", "adult"), ("expires", "2020-01-01")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("must expire after today"), "{}", bad.body);

    // The desk enrols and prints the card: the name, the QR code, the token and the claim code.
    let card = desk
        .submit(
            "/registry/desk",
            "/registry/enrol",
            &[("name", NAME), ("area", area.as_str()), ("age_band", "adult"), ("expires", "2035-01-01")],
        )
        .await;
    assert_eq!(card.status, StatusCode::OK, "{}", card.body);
    assert!(card.body.contains(NAME) && card.body.contains("<svg") && card.body.contains("role=\"img\""), "{}", card.body);
    let token = element(&card, "token");
    let code = element(&card, "claim-code");
    assert!(token.starts_with("PLN1."), "{token}");
    assert_eq!(code.len(), 19, "{code}");

    // The card verifies on the check page; the name is in no public log entry.
    let check = ana.get(&format!("/credentials/check?token={}", encode(&token))).await;
    assert!(check.body.contains("Valid credential"), "{}", check.body);
    let log = ana.get("/api/v1/log/events").await;
    assert!(log.body.contains("resident_enrolled") && !log.body.contains(NAME), "{}", log.body);
    let status = ana.get("/api/v1/registry/credentials/1").await.json();
    assert_eq!(status["age_band"], "adult");
    assert!(!status.to_string().contains(NAME));

    // Claim codes: malformed and forged are unknown; the real one works once.
    for wrong in ["hello", "0000-0000-0000-0000"] {
        let refused = ana.submit("/registry/claim", "/registry/claim", &[("code", wrong)]).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{wrong}");
        assert!(refused.body.contains("There is no such claim code"), "{}", refused.body);
    }
    let claimed = ana.submit("/registry/claim", "/registry/claim", &[("code", &code.to_lowercase())]).await;
    assert_eq!(claimed.status, StatusCode::SEE_OTHER, "{}", claimed.body);
    assert_eq!(claimed.location.as_deref(), Some("/registry/mine"));
    let (ana_id, _) = db.store.credentials("ana").await.unwrap().unwrap();
    assert!(db.store.read(|s| s.body(&area).unwrap().is_member(&ana_id)).await);
    let mut ben = desk.browser();
    ben.sign_up("ben", "Ben").await;
    let head = db.store.log_head().await.unwrap();
    let replayed = ben.submit("/registry/claim", "/registry/claim", &[("code", &code)]).await;
    assert_eq!(replayed.status, StatusCode::CONFLICT);
    assert!(replayed.body.contains("used already"), "{}", replayed.body);
    assert_eq!(db.store.log_head().await.unwrap(), head, "a refused claim changes nothing");
    let mine = ben.get("/registry/mine?lang=es").await;
    assert!(mine.body.contains("no tiene tarjeta de residente"), "{}", mine.body);

    // A read needs a reason, is logged, and the resident sees it.
    let no_reason = desk.submit("/registry/desk", "/registry/lookup", &[("number", "1"), ("reason", " ")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mine = ana.get("/registry/mine").await;
    assert!(mine.body.contains("Nobody has read your data."), "{}", mine.body);
    let reprint = desk.submit("/registry/desk", "/registry/lookup", &[("number", "1"), ("reason", "Lost card, reprint")]).await;
    assert_eq!(reprint.status, StatusCode::OK, "{}", reprint.body);
    assert!(reprint.body.contains(NAME) && !reprint.body.contains("claim-code"), "{}", reprint.body);
    let mine = ana.get("/registry/mine").await;
    assert!(mine.body.contains("Lost card, reprint") && mine.body.contains("Rosa Registrar"), "{}", mine.body);

    // The resident erases their data: no more reads, and the page says so.
    let erased = ana.submit("/registry/mine", "/registry/mine/erase", &[]).await;
    assert_eq!(erased.status, StatusCode::SEE_OTHER);
    let mine = ana.get(erased.location.as_deref().unwrap()).await;
    assert!(mine.body.contains("your key is destroyed") && mine.body.contains("holds no resident card"), "{}", mine.body);
    let gone = desk.submit("/registry/desk", "/registry/lookup", &[("number", "1"), ("reason", "Check")]).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(ana.get("/api/v1/registry/credentials/1").await.json()["erased_at"].is_string());

    // The public overview, in both languages.
    let overview = ana.get("/registry").await;
    assert!(overview.body.contains("Credentials issued") && overview.body.contains("Rosa Registrar"), "{}", overview.body);
    let overview = ana.get("/registry?lang=es").await;
    assert!(overview.body.contains("Registro de residentes"), "{}", overview.body);
}

async fn the_register_of_legal_demands_is_public_except_sealed_demands(db: &TestDb) {
    let mut desk = desk_app(db);
    registrar(db, &mut desk, "rosa").await;
    let public = [
        ("received", "2026-01-02"),
        ("authority", "County Sheriff"),
        ("asked", "Every name on the registry"),
        ("given", "Nothing: there are no names in readable form"),
    ];
    let answer = desk.submit("/registry/legal-demands", "/registry/legal-demands", &public).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let sealed =
        [("received", "2026-01-03"), ("authority", "Hidden Agency"), ("asked", "Secret"), ("given", "Nothing"), ("sealed", "1")];
    let answer = desk.submit("/registry/legal-demands", "/registry/legal-demands", &sealed).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let future = [("received", "2999-01-01"), ("sealed", "1")];
    let answer = desk.submit("/registry/legal-demands", "/registry/legal-demands", &future).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);

    let mut anyone = desk.browser();
    let page = anyone.get("/registry/legal-demands").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("County Sheriff") && page.body.contains("2026-01-02"), "{}", page.body);
    assert!(page.body.contains("Sealed by court order") && page.body.contains("2026-01-03"), "{}", page.body);
    assert!(!page.body.contains("Hidden Agency"), "a sealed demand's details are not even stored");
    assert!(!page.body.contains("name=\"authority\""), "only registrars see the form");
    let json = anyone.get("/api/v1/registry/legal-demands").await.json();
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert_eq!(json[1]["sealed"], true);
    assert!(json[1]["authority"].is_null());
    let page = anyone.get("/registry/legal-demands?lang=es").await;
    assert!(page.body.contains("Bajo secreto judicial"), "{}", page.body);

    anyone.sign_up("ana", "Ana").await;
    let refused = anyone.submit("/registry/legal-demands", "/registry/legal-demands", &public).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let log = anyone.get("/api/v1/log/events").await;
    assert!(!log.body.contains("Hidden Agency"));
}

async fn a_facilitator_opens_a_budget_vote_to_residents_only(db: &TestDb) {
    let mut rosa = TestApp::new(db);
    rosa.sign_up("rosa", "Rosa").await;
    crate::flows::assembly(db, "rosa", "riverside").await;
    // `datetime-local` values in UTC, the test application's zone.
    let day = |d: i64| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        Instant::from_unix_seconds(i64::try_from(now).unwrap() + d * 86_400).unwrap().to_string()[..16].to_owned()
    };
    let (a, b, c) = (day(1), day(2), day(3));
    let fields = [
        ("title", "Budget 2027"),
        ("description", "What should Riverside build?"),
        ("currency", "EUR"),
        ("total", "1000"),
        ("districts", ""),
        ("ideas_from", "members"),
        ("format", "knapsack"),
        ("min", "1"),
        ("max", "5"),
        ("points", "10"),
        ("rule", "equal_shares"),
        ("date_ideas", a.as_str()),
        ("date_development", a.as_str()),
        ("date_review", a.as_str()),
        ("date_vote", b.as_str()),
        ("date_results", c.as_str()),
        ("date_implementation", c.as_str()),
    ];
    let created = rosa.submit("/bodies/riverside/budget-cycles/new", "/bodies/riverside/budget-cycles", &fields).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let cycle = created.location.unwrap();
    assert!(rosa.get(&cycle).await.body.contains(&format!("{cycle}/residency")));
    let page = rosa.get(&format!("{cycle}/residency")).await;
    assert!(page.body.contains("Every member of the assembly may vote."), "{}", page.body);

    let mut bea = rosa.browser();
    bea.sign_up("bea", "Bea").await;
    let refused = bea.submit(&format!("{cycle}/residency"), &format!("{cycle}/residency"), &[("min_age", "18")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let bad = rosa.submit(&format!("{cycle}/residency"), &format!("{cycle}/residency"), &[("min_age", "old")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let set = rosa.submit(&format!("{cycle}/residency"), &format!("{cycle}/residency"), &[("min_age", "18")]).await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    let page = rosa.get(&format!("{cycle}/residency")).await;
    assert!(page.body.contains("aged 18 or more"), "{}", page.body);
    let page = bea.get(&format!("{cycle}/residency?lang=es")).await;
    assert!(page.body.contains("18 años o más") && !page.body.contains("name=\"min_age\""), "{}", page.body);
}

async fn a_facilitator_opens_a_poll_to_adult_residents_only(db: &TestDb) {
    let mut desk = desk_app(db);
    registrar(db, &mut desk, "rosa").await;
    let area = crate::flows::assembly(db, "rosa", "riverside").await;
    // Ana is enrolled as an adult and claims her card; Teo as 16–17; Ben only joins.
    let mut codes = Vec::new();
    for (name, band) in [(NAME, "adult"), ("Teo Young", "from16_to17")] {
        let card = desk
            .submit(
                "/registry/desk",
                "/registry/enrol",
                &[("name", name), ("area", area.as_str()), ("age_band", band), ("expires", "2035-01-01")],
            )
            .await;
        assert_eq!(card.status, StatusCode::OK, "{}", card.body);
        codes.push(element(&card, "claim-code"));
    }
    let mut ana = desk.browser();
    ana.sign_up("ana", "Ana").await;
    assert_eq!(ana.submit("/registry/claim", "/registry/claim", &[("code", &codes[0])]).await.status, StatusCode::SEE_OTHER);
    let mut teo = desk.browser();
    teo.sign_up("teo", "Teo").await;
    assert_eq!(teo.submit("/registry/claim", "/registry/claim", &[("code", &codes[1])]).await.status, StatusCode::SEE_OTHER);
    let mut ben = desk.browser();
    ben.sign_up("ben", "Ben").await;
    ben.submit("/bodies/riverside", "/bodies/riverside/join", &[]).await;

    let filed = desk
        .submit(
            "/bodies/riverside/motions/new",
            "/bodies/riverside/motions/new",
            &[("kind", "policy"), ("title", "Benches"), ("text", "Put benches in the square.")],
        )
        .await;
    let motion = filed.location.unwrap();
    let form = desk.get(&motion).await;
    assert!(form.body.contains(r#"<option value="residents18">"#), "{}", form.body);
    let polls = format!("{motion}/polls");
    let bad = desk.submit(&motion, &polls, &[("secrecy", "open"), ("closes_in", "60"), ("roll", "tourists")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let head = db.store.log_head().await.unwrap();
    let refused = ana.submit(&motion, &polls, &[("secrecy", "open"), ("closes_in", "60"), ("roll", "residents18")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(db.store.log_head().await.unwrap(), head, "a refusal changes nothing");
    let opened = desk.submit(&motion, &polls, &[("secrecy", "open"), ("closes_in", "60"), ("roll", "residents18")]).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let poll = opened.location.unwrap();

    let page = ana.get(&poll).await;
    assert!(page.body.contains("Who may vote") && page.body.contains("aged 18 or more"), "{}", page.body);
    assert!(page.body.contains(&format!(r#"action="{poll}/vote""#)), "Ana is on the roll");
    let voted = ana.submit(&poll, &format!("{poll}/vote"), &[("choice", "yes")]).await;
    assert_eq!(voted.status, StatusCode::SEE_OTHER, "{}", voted.body);
    for (who, web) in [("teo", &mut teo), ("ben", &mut ben)] {
        let page = web.get(&poll).await;
        assert!(!page.body.contains(&format!(r#"action="{poll}/vote""#)), "{who} is not on the roll");
        let token = page.csrf();
        let refused = web.post_form(&format!("{poll}/vote"), &[("csrf", token.as_str()), ("choice", "no")]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{who}: {}", refused.body);
    }
    let id = plenum_core::PollId::parse(poll.trim_start_matches("/polls/")).unwrap();
    let (ana_id, _) = db.store.credentials("ana").await.unwrap().unwrap();
    let roll = db.store.read(|s| s.poll(&id).unwrap().roll.iter().cloned().collect::<Vec<_>>()).await;
    assert_eq!(roll, [ana_id], "only Ana: Teo is under 18, Ben holds no card, Rosa neither");
    let page = ben.get(&format!("{poll}?lang=es")).await;
    assert!(page.body.contains("Quién vota") && page.body.contains("18 años o más"), "{}", page.body);
}

async fn a_reprint_before_the_claim_prints_a_fresh_claim_code(db: &TestDb) {
    let mut desk = desk_app(db);
    registrar(db, &mut desk, "rosa").await;
    let area = crate::flows::assembly(db, "rosa", "riverside").await;
    let card = desk
        .submit(
            "/registry/desk",
            "/registry/enrol",
            &[("name", NAME), ("area", area.as_str()), ("age_band", "adult"), ("expires", "2035-01-01")],
        )
        .await;
    let old = element(&card, "claim-code");
    let reprint = desk.submit("/registry/desk", "/registry/lookup", &[("number", "1"), ("reason", "Lost card, reprint")]).await;
    assert_eq!(reprint.status, StatusCode::OK, "{}", reprint.body);
    let fresh = element(&reprint, "claim-code");
    assert!(fresh.len() == 19 && fresh != old, "{old} {fresh}");
    let mut ana = desk.browser();
    ana.sign_up("ana", "Ana").await;
    let refused = ana.submit("/registry/claim", "/registry/claim", &[("code", &old)]).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "the older code stops working: {}", refused.body);
    let claimed = ana.submit("/registry/claim", "/registry/claim", &[("code", &fresh)]).await;
    assert_eq!(claimed.status, StatusCode::SEE_OTHER, "{}", claimed.body);
    let again = desk.submit("/registry/desk", "/registry/lookup", &[("number", "1"), ("reason", "Second reprint")]).await;
    assert!(again.body.contains(NAME) && !again.body.contains("claim-code"), "a claimed card gets no code: {}", again.body);
}
