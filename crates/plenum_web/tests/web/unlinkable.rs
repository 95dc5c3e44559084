//! Unlinkable ballots on the web: a facilitator opens one from the motion page (the key is
//! drawn then), a member takes one blind-signed token through the API, the ballot is cast by
//! a client with no cookies, and forged, altered and replayed tokens are refused with their
//! reasons while nothing changes.

use axum::http::StatusCode;
use plenum_core::blind::{PublicKey, blind, blind_sign, finalize};
use plenum_core::voting_key::{from_hex, generate_bits, to_hex};
use plenum_core::{PollId, State};

use crate::engine::{TestApp, TestDb, on_both_engines};
use crate::flows::assembly;

on_both_engines!(
    a_member_votes_unlinkably_and_forged_altered_and_replayed_tokens_change_nothing,
    the_demo_harbour_has_an_unlinkable_poll_with_two_ballots_cast_by_token
);

fn blinded(key: &PublicKey, n: u8) -> (Vec<u8>, Vec<u8>, plenum_core::blind::Unblinder) {
    let token = vec![n; 32];
    let mut r = vec![n ^ 0x3c; key.modulus_len() - 1];
    r[0] = 1;
    let (blinded, unblinder) = blind(key, &token, &[n; 48], &r).unwrap();
    (token, blinded, unblinder)
}

fn ballot(token: &[u8], signature: &[u8], choice: &str) -> String {
    serde_json::json!({ "token": to_hex(token), "signature": to_hex(signature), "choice": choice }).to_string()
}

async fn a_member_votes_unlinkably_and_forged_altered_and_replayed_tokens_change_nothing(db: &TestDb) {
    let mut rosa = TestApp::new(db);
    rosa.sign_up("rosa", "Rosa").await;
    assembly(db, "rosa", "riverside").await;
    let mut ana = rosa.browser();
    ana.sign_up("ana", "Ana").await;
    ana.submit("/bodies/riverside", "/bodies/riverside/join", &[]).await;
    let mut dora = rosa.browser();
    dora.sign_up("dora", "Dora").await;
    let filed = rosa
        .submit(
            "/bodies/riverside/motions/new",
            "/bodies/riverside/motions/new",
            &[("kind", "policy"), ("title", "Trees"), ("text", "Plant trees.")],
        )
        .await;
    let motion_path = filed.location.unwrap();
    assert!(rosa.get(&motion_path).await.body.contains(r#"<option value="unlinkable">"#));
    let opened = rosa
        .submit(
            &motion_path,
            &format!("{motion_path}/polls"),
            &[("secrecy", "unlinkable"), ("closes_in", "5"), ("closes_at", "")],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let path = opened.location.unwrap();
    let poll = PollId::parse(path.trim_start_matches("/polls/")).unwrap();

    // The key is public, with the hash the log carries; the page says what the tier protects.
    let mut anonymous = rosa.browser();
    let published = anonymous.get(&format!("/api/v1/polls/{poll}/voting-key")).await.json();
    let key = PublicKey::from_be_bytes(
        &from_hex(published["modulus"].as_str().unwrap()).unwrap(),
        &from_hex(published["exponent"].as_str().unwrap()).unwrap(),
    )
    .unwrap();
    assert_eq!(key.modulus_len(), 256, "a 2048-bit key");
    let hash = published["key_hash"].as_str().unwrap().to_owned();
    let log = anonymous.get("/api/v1/log/events?after=0&limit=1000").await.body;
    assert!(log.contains("voting_key_published") && log.contains(&hash));
    let page = ana.get(&path).await;
    assert!(page.body.contains(&hash) && page.body.contains("What it does not protect against"), "{}", page.body);
    assert!(page.body.contains("Unlinkable (secret, with blind-signed voting tokens)"));
    assert!(page.body.contains(r#"id="unlinkable-vote""#) && page.body.contains("/static/blind-ballot.js"));
    assert!(!page.body.contains(&format!(r#"action="{path}/vote""#)), "no tier-A form on an unlinkable poll");
    let script = anonymous.get("/static/blind-ballot.js").await;
    assert!(script.status == StatusCode::OK && script.content_type.starts_with("text/javascript"));

    // Ana takes her token, signed in.
    let (token, blind_token, unblinder) = blinded(&key, 1);
    let request = serde_json::json!({ "blinded": to_hex(&blind_token) }).to_string();
    let issued = ana.post_json(&format!("/api/v1/polls/{poll}/tokens"), &request).await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.body);
    let answer = from_hex(issued.json()["blind_signature"].as_str().unwrap()).unwrap();
    let signature = finalize(&key, &token, &answer, &unblinder).unwrap();
    // A second token, a stranger's, an anonymous request: refused.
    let (_, again, _) = blinded(&key, 2);
    let again = serde_json::json!({ "blinded": to_hex(&again) }).to_string();
    let second = ana.post_json(&format!("/api/v1/polls/{poll}/tokens"), &again).await;
    assert_eq!((second.status, second.json()["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("token_already_issued")));
    assert_eq!(dora.post_json(&format!("/api/v1/polls/{poll}/tokens"), &again).await.status, StatusCode::FORBIDDEN);
    assert_eq!(anonymous.post_json(&format!("/api/v1/polls/{poll}/tokens"), &again).await.status, StatusCode::UNAUTHORIZED);

    // The ballot, from a client with no cookies at all.
    let cast = anonymous.post_json(&format!("/api/v1/polls/{poll}/ballots"), &ballot(&token, &signature, "yes")).await;
    assert_eq!(cast.status, StatusCode::CREATED, "{}", cast.body);
    let receipt = cast.json()["receipt"].as_str().unwrap().to_owned();

    let before = (anonymous.get("/api/v1/log/head").await.body, db.store.read(Clone::clone).await);
    let refused = |answer: &crate::engine::Answer| (answer.status, answer.json()["error"]["code"].as_str().unwrap().to_owned());
    // Replayed.
    let replay = anonymous.post_json(&format!("/api/v1/polls/{poll}/ballots"), &ballot(&token, &signature, "no")).await;
    assert_eq!(refused(&replay), (StatusCode::CONFLICT, "token_already_used".to_owned()));
    // Altered signature, altered token.
    let mut bad = signature.clone();
    bad[10] ^= 1;
    let altered = anonymous.post_json(&format!("/api/v1/polls/{poll}/ballots"), &ballot(&token, &bad, "no")).await;
    assert_eq!(refused(&altered), (StatusCode::UNPROCESSABLE_ENTITY, "bad_token_signature".to_owned()));
    let mut other = token.clone();
    other[0] ^= 1;
    let altered = anonymous.post_json(&format!("/api/v1/polls/{poll}/ballots"), &ballot(&other, &signature, "no")).await;
    assert_eq!(refused(&altered), (StatusCode::UNPROCESSABLE_ENTITY, "bad_token_signature".to_owned()));
    // Forged: a token signed by a key of the forger's own.
    let forger = generate_bits([5; 32], 2048).unwrap();
    let (forged_token, forged_blind, forged_unblinder) = blinded(forger.public(), 3);
    let forged =
        finalize(forger.public(), &forged_token, &blind_sign(&forger, &forged_blind).unwrap(), &forged_unblinder).unwrap();
    let forged = anonymous.post_json(&format!("/api/v1/polls/{poll}/ballots"), &ballot(&forged_token, &forged, "no")).await;
    assert_eq!(refused(&forged), (StatusCode::UNPROCESSABLE_ENTITY, "bad_token_signature".to_owned()));
    let garbage =
        anonymous.post_json(&format!("/api/v1/polls/{poll}/ballots"), r#"{"token":"zz","signature":"00","choice":"yes"}"#).await;
    assert_eq!(garbage.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        (anonymous.get("/api/v1/log/head").await.body, db.store.read(Clone::clone).await),
        before,
        "refusals change nothing"
    );

    // The page counts the token and the ballot; Ana's page says she took her token.
    let page = ana.get(&path).await;
    assert!(page.body.contains(r#"data-testid="tokens-issued">1<"#) && page.body.contains(r#"data-testid="ballots-cast">1<"#));
    assert!(page.body.contains(r#"data-took-token="1""#));
    assert_eq!(anonymous.get(&format!("/api/v1/polls/{poll}")).await.json()["voted"], 1, "the ballots cast, not the roll marks");

    // At the close the ballot is on the board, found by its receipt, and the log verifies.
    let closes_at = db.store.read(|s: &State| s.poll(&poll).unwrap().closes_at).await;
    db.store.execute(|s: &State| s.close_poll(&poll, closes_at, [4; 32])).await.unwrap();
    let board = anonymous.get(&path).await;
    assert!(board.body.contains(&receipt) && board.body.contains("Passed"), "{}", board.body);
    let late = anonymous.post_json(&format!("/api/v1/polls/{poll}/ballots"), &ballot(&token, &signature, "no")).await;
    assert_eq!(refused(&late), (StatusCode::CONFLICT, "poll_closed".to_owned()));
    assert!(db.store.verify().await.unwrap().is_ok());
}

async fn the_demo_harbour_has_an_unlinkable_poll_with_two_ballots_cast_by_token(db: &TestDb) {
    plenum_web::demo::fill(&db.store, plenum_web::Tz::UTC).await.unwrap();
    let polls: Vec<(String, usize, usize)> = db
        .store
        .read(|s: &State| {
            s.bodies()
                .flat_map(|b| s.motions_of(&b.id).flat_map(|m| s.polls_on(&m.id)).collect::<Vec<_>>())
                .filter_map(|p| s.unlinkable_poll(&p.id).map(|u| (p.id.to_string(), u.tokens_issued.len(), u.spent.len())))
                .collect()
        })
        .await;
    assert_eq!(polls.len(), 1, "{polls:?}");
    assert_eq!((polls[0].1, polls[0].2), (2, 2));
    let mut ana = TestApp::new(db);
    ana.submit("/login", "/login", &[("login", "ana"), ("password", plenum_web::demo::DEMO_PASSWORD)]).await;
    let page = ana.get(&format!("/polls/{}", polls[0].0)).await;
    assert!(page.body.contains(r#"id="unlinkable-vote""#) && page.body.contains(r#"data-took-token="0""#), "{}", page.body);
    assert!(db.store.verify().await.unwrap().is_ok());
}
