//! The JSON API: public reads, the event log, voting with a session token, errors, and the
//! OpenAPI document against its committed snapshot.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use plenum_core::{OpenPoll, PollId, Secrecy, State};
use sha2::{Digest, Sha256};

use crate::engine::{TestApp, TestDb, on_both_engines};
use crate::flows::{now, uuid_v7};

on_both_engines!(
    the_public_api_lists_bodies_polls_and_the_log,
    voting_through_the_api_needs_a_session_and_refuses_twice,
    api_errors_are_json_with_stable_codes,
);

async fn the_public_api_lists_bodies_polls_and_the_log(db: &TestDb) {
    plenum_web::demo::fill(&db.store, plenum_web::Tz::UTC).await.unwrap();
    let mut web = TestApp::new(db);
    let health = web.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.json()["status"], "ok");

    let bodies = web.get("/api/v1/bodies").await.json();
    let bodies = bodies["bodies"].as_array().unwrap();
    // Six assemblies, two municipal councils and the regional council.
    assert_eq!(bodies.len(), 9);
    let riverside = bodies.iter().find(|b| b["slug"] == "riverside").unwrap();
    assert_eq!(riverside["name"], "Riverside Assembly");
    assert_eq!(riverside["members"], 7);
    let detail = web.get(&format!("/api/v1/bodies/{}", riverside["id"].as_str().unwrap())).await.json();
    // Its four motions, and the mandate and ratification the West Council asked of it.
    assert_eq!(detail["motions"].as_array().unwrap().len(), 6);
    assert_eq!(detail["meetings"].as_array().unwrap().len(), 2);

    let head = web.get("/api/v1/log/head").await.json();
    let count = head["count"].as_u64().unwrap();
    assert!(count > 50);
    // Page through the whole log and recompute the chain.
    let mut after = 0;
    let mut prev = "0".repeat(64);
    let mut seen = 0;
    loop {
        let page = web.get(&format!("/api/v1/log/events?after={after}&limit=25")).await.json();
        for e in page["events"].as_array().unwrap() {
            assert_eq!(e["prev_hash"], prev.as_str());
            let hash: String = Sha256::digest(format!("{prev}{}", e["payload"].as_str().unwrap()).as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(e["hash"], hash.as_str());
            prev = hash;
            seen += 1;
        }
        match page["next_after"].as_u64() {
            Some(next) => after = next,
            None => break,
        }
    }
    assert_eq!(seen, count);
    assert_eq!(head["hash"], prev.as_str());
    let capped = web.get("/api/v1/log/events?limit=100000").await.json();
    assert_eq!(capped["events"].as_array().unwrap().len(), count.min(1000) as usize);
    assert_eq!(web.get("/api/v1/log/events?after=-1").await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn voting_through_the_api_needs_a_session_and_refuses_twice(db: &TestDb) {
    let mut rosa = TestApp::new(db);
    rosa.sign_up("rosa", "Rosa").await;
    crate::flows::assembly(db, "rosa", "riverside").await;
    let (facilitator, _) = db.store.credentials("rosa").await.unwrap().unwrap();
    let filed = rosa
        .submit(
            "/bodies/riverside/motions/new",
            "/bodies/riverside/motions/new",
            &[("kind", "policy"), ("title", "Benches"), ("text", "Six benches.")],
        )
        .await;
    let motion = plenum_core::MotionId::parse(filed.location.unwrap().trim_start_matches("/motions/")).unwrap();
    let poll = PollId::parse(&uuid_v7()).unwrap();
    let new =
        OpenPoll { poll: poll.clone(), motion, secrecy: Secrecy::Secret, opens_at: now(), closes_at: now().plus_seconds(3600) };
    db.store.execute(|s: &State| s.open_poll(new, &facilitator, now())).await.unwrap();
    let path = format!("/api/v1/polls/{poll}/votes");

    let mut client = rosa.browser();
    let anonymous = client.post_json(&path, r#"{"choice":"yes"}"#).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.json()["error"]["code"], "sign_in_needed");
    let wrong = client.post_json("/api/v1/sessions", r#"{"login":"rosa","password":"wrong password"}"#).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let session = client.post_json("/api/v1/sessions", r#"{"login":"rosa","password":"a long password"}"#).await;
    assert_eq!(session.status, StatusCode::CREATED);
    let token = session.json()["token"].as_str().unwrap().to_owned();

    // With the Bearer token alone (no cookies).
    let mut bearer = rosa.browser();
    let vote = |choice: &str| {
        Request::post(&path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(format!(r#"{{"choice":"{choice}"}}"#)))
            .unwrap()
    };
    let cast = bearer.send(vote("yes")).await;
    assert_eq!(cast.status, StatusCode::CREATED, "{}", cast.body);
    assert_eq!(cast.json()["receipt"].as_str().unwrap().len(), 19);
    let twice = bearer.send(vote("no")).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.json()["error"]["code"], "already_voted");
    let invalid = bearer.send(vote("maybe")).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.json()["error"]["code"], "invalid_choice");

    let mut outsider = rosa.browser();
    outsider.sign_up("dora", "Dora").await;
    let refused = outsider.post_json(&path, r#"{"choice":"no"}"#).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.json()["error"]["code"], "not_a_member");
    let unknown = outsider.post_json(&format!("/api/v1/polls/{}/votes", uuid_v7()), r#"{"choice":"no"}"#).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.json()["error"]["code"], "not_found");
}

async fn api_errors_are_json_with_stable_codes(db: &TestDb) {
    let mut web = TestApp::new(db);
    let malformed = web.post_json("/api/v1/sessions", r#"{"login": "#).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.json()["error"]["code"], "malformed_json");
    let shape = web.post_json("/api/v1/sessions", r#"{"login": 5}"#).await;
    assert_eq!(shape.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(shape.json()["error"]["code"], "invalid_input");
    let request = Request::post("/api/v1/sessions").header(header::CONTENT_TYPE, "text/plain").body(Body::from("{}")).unwrap();
    let not_json = web.send(request).await;
    assert_eq!(not_json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(not_json.json()["error"]["code"], "not_json");
    let wrong_method = web.get("/api/v1/polls/01968a3c-0000-7000-8000-000000000001/votes").await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.json()["error"]["code"], "method_not_allowed");
    let page = web.get("/logout").await;
    assert_eq!(page.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(page.content_type.starts_with("text/html"));
    for path in ["/api/v1/polls/nope", "/api/v1/bodies/01968a3c-0000-7000-8000-000000000001", "/api/v1/nothing"] {
        let answer = web.get(path).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(answer.json()["error"]["code"], "not_found", "{path}");
        assert!(answer.content_type.starts_with("application/json"));
    }
}

/// The OpenAPI document the server serves equals `tests/snapshots/openapi.json`; run with
/// `PLENUM_UPDATE_SNAPSHOTS=1` to rewrite the file after a deliberate change.
#[tokio::test]
async fn the_openapi_document_matches_its_snapshot() {
    let db = crate::engine::sqlite().await;
    let mut web = TestApp::new(&db);
    let served = web.get("/api/v1/openapi.json").await;
    assert_eq!(served.status, StatusCode::OK);
    let document = served.json();
    assert_eq!(document["openapi"], "3.1.0");
    for path in ["/bodies", "/bodies/{id}", "/polls/{id}", "/polls/{id}/votes", "/log/head", "/log/events"] {
        assert!(document["paths"][path].is_object(), "{path}");
    }
    let text = serde_json::to_string_pretty(&document).unwrap() + "\n";
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json");
    if std::env::var_os("PLENUM_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&file, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        committed == text,
        "the OpenAPI document changed: check it and rerun with PLENUM_UPDATE_SNAPSHOTS=1 to update {}",
        file.display()
    );
}
