//! Resident credentials on the web: the published key ring, and the page that checks a card.

use std::sync::Arc;

use axum::http::StatusCode;
use plenum_core::Instant;
use plenum_core::credential::{AgeBand, Credential, Issuer, KeyRing};
use plenum_web::{App, Config};

use crate::engine::{TestApp, TestDb, encode, on_both_engines};

on_both_engines!(a_card_is_checked_against_the_published_keys, an_instance_without_keys_says_so);

fn at(text: &str) -> Instant {
    Instant::parse(text).unwrap()
}

fn with_keys(db: &TestDb, ring: KeyRing) -> TestApp {
    let config = Config { credential_keys: Some(Arc::new(ring)), ..Config::default() };
    let app = App::new(db.store.clone(), config);
    TestApp { router: plenum_web::router(app.clone()), app, cookies: Default::default() }
}

async fn a_card_is_checked_against_the_published_keys(db: &TestDb) {
    let issuer = Issuer::from_seed(&[3; 32]);
    let ring = KeyRing { keys: vec![issuer.published(at("2026-01-01T00:00:00Z"))] };
    let mut web = with_keys(db, ring.clone());
    web.sign_up("rosa", "Rosa").await;
    let area = crate::flows::assembly(db, "rosa", "riverside").await;

    let keys = web.get("/api/v1/credentials/keys").await;
    assert_eq!(keys.status, StatusCode::OK);
    assert_eq!(serde_json::from_str::<KeyRing>(&keys.body).unwrap(), ring);

    let card = Credential {
        number: 1042,
        area,
        age_band: AgeBand::From16To17,
        issued_at: at("2026-03-01T10:00:00Z"),
        expires_at: at("2099-03-01T00:00:00Z"),
    };
    let token = issuer.issue(&card);
    let page = web.get(&format!("/credentials/check?token={}", encode(&token))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Valid credential"), "{}", page.body);
    assert!(page.body.contains("1042") && page.body.contains("16 or 17"), "{}", page.body);
    assert!(page.body.contains(r#"href="/bodies/riverside""#), "the assembly is named and linked: {}", page.body);

    // The same card altered, an expired one, and one from another instance, in Spanish too.
    let altered = format!("{}A{}", &token[..30], &token[31..]);
    let altered = if altered == token { format!("{}B{}", &token[..30], &token[31..]) } else { altered };
    let page = web.get(&format!("/credentials/check?token={}", encode(&altered))).await;
    assert!(page.body.contains("Not valid"), "{}", page.body);
    assert!(page.body.contains("altered or forged") || page.body.contains("not a Plenum credential"), "{}", page.body);
    let expired = issuer.issue(&Credential { expires_at: at("2026-06-01T00:00:00Z"), ..card.clone() });
    let page = web.get(&format!("/credentials/check?token={}&lang=es", encode(&expired))).await;
    assert!(page.body.contains("La credencial caducó el 2026-06-01"), "{}", page.body);
    let foreign = Issuer::from_seed(&[4; 32]).issue(&card);
    let page = web.get(&format!("/credentials/check?token={}&lang=en", encode(&foreign))).await;
    assert!(page.body.contains("a key this instance has not published"), "{}", page.body);
    let page = web.get(&format!("/credentials/check?token={}", "x".repeat(5000))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("not a Plenum credential"), "{}", page.body);
    assert!(!page.body.contains(&"x".repeat(600)), "an overlong code is not echoed back");
}

async fn an_instance_without_keys_says_so(db: &TestDb) {
    let mut web = TestApp::new(db);
    let keys = web.get("/api/v1/credentials/keys").await;
    assert_eq!(keys.status, StatusCode::NOT_FOUND);
    assert_eq!(keys.json()["error"]["code"], "no_credential_keys");
    let page = web.get("/credentials/check?token=PLN1.x.y").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("issues no resident credentials yet"), "{}", page.body);
}
