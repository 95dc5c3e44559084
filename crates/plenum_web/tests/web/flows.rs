//! What residents do: sign up, in and out; join; file motions; argue; vote; check receipts.

use axum::http::StatusCode;
use plenum_core::{BodyId, BodySlug, CreateBody, MotionId, OpenPoll, PollId, Secrecy, State, Title};

use crate::engine::{TestApp, TestDb, on_both_engines};

on_both_engines!(
    signing_up_signs_in_and_signing_out_signs_out,
    a_wrong_password_is_refused_and_login_attempts_are_limited,
    a_form_without_the_csrf_token_is_refused,
    residents_join_file_motions_argue_and_open_a_poll,
    a_secret_poll_counts_three_votes_refuses_the_rest_and_publishes_receipts,
    a_facilitator_puts_amendments_to_a_vote_and_their_polls_adopt_or_decline_them,
);

fn id_after(location: &str, prefix: &str) -> String {
    location.strip_prefix(prefix).unwrap_or_else(|| panic!("{location} does not start with {prefix}")).to_owned()
}

async fn signing_up_signs_in_and_signing_out_signs_out(db: &TestDb) {
    let mut web = TestApp::new(db);
    let answer = web.sign_up("ana", "Ana Souza").await;
    assert_eq!(answer.location.as_deref(), Some("/"));
    let session = web.cookies.get("plenum_session").cloned().unwrap();
    let home = web.get("/").await;
    assert!(home.body.contains("Ana Souza") && home.body.contains("Sign out"), "{}", home.body);
    let cookie = answer
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("plenum_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");

    // The same login cannot be taken twice.
    let mut other = web.browser();
    let taken = other
        .submit("/signup", "/signup", &[("login", "ANA"), ("display_name", "Another"), ("password", "another password")])
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(taken.body.contains("taken"), "{}", taken.body);

    let out = web.submit("/", "/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(!web.cookies.contains_key("plenum_session"));
    let home = web.get("/").await;
    assert!(home.body.contains("Sign in") && !home.body.contains("Ana Souza"));
    // The old token no longer works.
    web.cookies.insert("plenum_session".to_owned(), session);
    assert!(!web.get("/").await.body.contains("Sign out"));

    let back = web.browser().submit("/login", "/login", &[("login", "ana"), ("password", "a long password")]).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
}

async fn a_wrong_password_is_refused_and_login_attempts_are_limited(db: &TestDb) {
    let mut web = TestApp::new(db);
    web.sign_up("bilal", "Bilal").await;
    let mut stranger = web.browser();
    let wrong = stranger.submit("/login", "/login", &[("login", "bilal"), ("password", "not his password")]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("Wrong login name or password"));
    let mut last = wrong.status;
    for _ in 0..12 {
        last = stranger.submit("/login", "/login", &[("login", "bilal"), ("password", "guess guess")]).await.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

async fn a_form_without_the_csrf_token_is_refused(db: &TestDb) {
    let mut web = TestApp::new(db);
    web.get("/signup").await;
    let forged = web.post_form("/signup", &[("login", "eve"), ("display_name", "Eve"), ("password", "a long password")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let wrong = web
        .post_form("/signup", &[("csrf", "0000"), ("login", "eve"), ("display_name", "Eve"), ("password", "a long password")])
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert!(wrong.body.contains("expired"), "{}", wrong.body);
    // Signed in, the token is the session's: an anonymous page's token does not do.
    web.sign_up("eve", "Eve").await;
    let out = web.post_form("/logout", &[("csrf", "0000")]).await;
    assert_eq!(out.status, StatusCode::FORBIDDEN);
}

/// An assembly made through the store (quicker than the form the charter tests use), whose
/// facilitator is the resident behind `login`.
pub async fn assembly(db: &TestDb, login: &str, slug: &str) -> BodyId {
    let (founder, _) = db.store.credentials(login).await.unwrap().unwrap();
    let body = BodyId::parse(&uuid_v7()).unwrap();
    let new = CreateBody {
        body: body.clone(),
        slug: BodySlug::parse(slug).unwrap(),
        name: Title::parse("Riverside Assembly").unwrap(),
        charter: None,
    };
    db.store.execute(|s: &State| s.create_body(new, &founder, now())).await.unwrap();
    body
}

pub fn uuid_v7() -> String {
    uuid::Uuid::now_v7().hyphenated().to_string()
}

pub fn now() -> plenum_core::Instant {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    plenum_core::Instant::from_unix_seconds(i64::try_from(seconds).unwrap()).unwrap()
}

async fn residents_join_file_motions_argue_and_open_a_poll(db: &TestDb) {
    let mut rosa = TestApp::new(db);
    rosa.sign_up("rosa", "Rosa").await;
    assembly(db, "rosa", "riverside").await;
    let mut ana = rosa.browser();
    ana.sign_up("ana", "Ana").await;

    let page = ana.get("/bodies/riverside").await;
    assert!(page.body.contains("<h1>Riverside Assembly</h1>") && page.body.contains("Join this assembly"));
    assert!(!page.body.contains("File a motion"));
    let joined = ana.submit("/bodies/riverside", "/bodies/riverside/join", &[]).await;
    assert_eq!(joined.location.as_deref(), Some("/bodies/riverside"));
    let page = ana.get("/bodies/riverside").await;
    assert!(
        page.body.contains("File a motion")
            && !page.body.contains("Join this assembly")
            && !page.body.contains("Schedule a meeting")
    );
    assert_eq!(ana.submit("/bodies/riverside", "/bodies/riverside/join", &[]).await.status, StatusCode::CONFLICT);

    let filed = ana
        .submit(
            "/bodies/riverside/motions/new",
            "/bodies/riverside/motions/new",
            &[("kind", "policy"), ("title", "Benches by the river"), ("text", "Put six benches along the path.")],
        )
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER);
    let motion_path = filed.location.unwrap();
    let motion = ana.get(&motion_path).await;
    assert!(motion.body.contains("<h1>Benches by the river</h1>"));
    let empty =
        ana.submit(&motion_path, "/bodies/riverside/motions/new", &[("kind", "policy"), ("title", " "), ("text", "x")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);

    let argued = ana
        .submit(&motion_path, &format!("{motion_path}/arguments"), &[("side", "for"), ("text", "Older neighbours need to rest.")])
        .await;
    assert_eq!(argued.status, StatusCode::SEE_OTHER);
    let amended =
        ana.submit(&motion_path, &format!("{motion_path}/amendments"), &[("text", "Put eight benches along the path.")]).await;
    assert_eq!(amended.status, StatusCode::SEE_OTHER);
    let page = ana.get(&motion_path).await;
    assert!(page.body.contains("Older neighbours need to rest.") && page.body.contains("Put eight benches"));

    // Only a facilitator opens polls; Ana sees no form and is refused.
    assert!(!page.body.contains("Open poll"));
    let refused = ana.submit(&motion_path, &format!("{motion_path}/polls"), &[("secrecy", "secret"), ("closes_in", "1")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let page = rosa.get(&motion_path).await;
    assert!(page.body.contains("Open poll") && page.body.contains("Closes in (minutes)"));
    let opened = rosa
        .submit(&motion_path, &format!("{motion_path}/polls"), &[("secrecy", "secret"), ("closes_in", "1"), ("closes_at", "")])
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let poll = ana.get(&opened.location.unwrap()).await;
    assert!(poll.body.contains("Your vote") && poll.body.contains("Cast vote"), "{}", poll.body);
    assert!(!poll.body.contains("Close poll now"));
}

async fn a_secret_poll_counts_three_votes_refuses_the_rest_and_publishes_receipts(db: &TestDb) {
    let mut rosa = TestApp::new(db);
    rosa.sign_up("rosa", "Rosa").await;
    let body = assembly(db, "rosa", "riverside").await;
    let mut members = Vec::new();
    for name in ["ana", "bilal", "chen"] {
        let mut m = rosa.browser();
        m.sign_up(name, name).await;
        m.submit("/bodies/riverside", "/bodies/riverside/join", &[]).await;
        members.push(m);
    }
    let mut outsider = rosa.browser();
    outsider.sign_up("dora", "Dora").await;
    let filed = members[0]
        .submit(
            "/bodies/riverside/motions/new",
            "/bodies/riverside/motions/new",
            &[("kind", "policy"), ("title", "Trees"), ("text", "Plant trees.")],
        )
        .await;
    let motion = MotionId::parse(&id_after(&filed.location.unwrap(), "/motions/")).unwrap();

    // A poll that closes in eight seconds (the form's shortest is a minute): time enough for
    // the votes below on a slow machine.
    let (facilitator, _) = db.store.credentials("rosa").await.unwrap().unwrap();
    let poll = PollId::parse(&uuid_v7()).unwrap();
    let opened = now();
    let new =
        OpenPoll { poll: poll.clone(), motion, secrecy: Secrecy::Secret, opens_at: opened, closes_at: opened.plus_seconds(8) };
    db.store.execute(|s: &State| s.open_poll(new, &facilitator, opened)).await.unwrap();
    let _ = body;
    let path = format!("/polls/{poll}");

    let mut receipts = Vec::new();
    for (m, choice) in members.iter_mut().zip(["yes", "yes", "no"]) {
        let voted = m.submit(&path, &format!("{path}/vote"), &[("choice", choice)]).await;
        assert_eq!(voted.status, StatusCode::OK, "{}", voted.body);
        let at = voted.body.find(r#"data-testid="receipt-code">"#).expect("a receipt");
        let code = &voted.body[at + r#"data-testid="receipt-code">"#.len()..];
        receipts.push(code[..code.find('<').unwrap()].to_owned());
    }
    let again = members[0].submit(&path, &format!("{path}/vote"), &[("choice", "no")]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("already voted"), "{}", again.body);
    let stranger = outsider.submit(&path, &format!("{path}/vote"), &[("choice", "no")]).await;
    assert_eq!(stranger.status, StatusCode::FORBIDDEN);
    // Not yet closed: no receipt is found.
    let early = outsider.submit(&path, &format!("{path}/receipt"), &[("receipt", &receipts[0])]).await;
    assert!(early.body.contains("No published ballot"));

    let left = opened.plus_seconds(8).unix_seconds() - now().unix_seconds();
    tokio::time::sleep(std::time::Duration::from_millis(u64::try_from(left.max(0)).unwrap() * 1000 + 1100)).await;
    let late = rosa.submit(&path, &format!("{path}/vote"), &[("choice", "yes")]).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.body.contains("over"), "{}", late.body);

    assert_eq!(plenum_web::closer::close_overdue(&db.store).await.unwrap(), 1);
    assert_eq!(plenum_web::closer::close_overdue(&db.store).await.unwrap(), 0);
    let page = outsider.get(&path).await;
    assert!(page.body.contains(">Result<") && page.body.contains("Passed"), "{}", page.body);
    for receipt in &receipts {
        assert!(page.body.contains(receipt.as_str()), "the board lacks {receipt}");
    }
    let checked = outsider.submit(&path, &format!("{path}/receipt"), &[("receipt", &receipts[2].to_lowercase())]).await;
    assert!(checked.body.contains("Your ballot is among the published ballots."), "{}", checked.body);
    let unknown = outsider.submit(&path, &format!("{path}/receipt"), &[("receipt", "0000-0000-0000-0000")]).await;
    assert!(unknown.body.contains("No published ballot"));

    let api = outsider.get(&format!("/api/v1/polls/{poll}")).await.json();
    assert_eq!(api["status"], "closed");
    assert_eq!(api["result"]["yes"], 2);
    assert_eq!(api["result"]["no"], 1);
    assert_eq!(api["result"]["passed"], true);
    assert_eq!(api["ballots"].as_array().unwrap().len(), 3);
    assert!(api["votes"].as_array().unwrap().is_empty(), "a secret poll shows no one's vote");
    assert!(db.store.verify().await.unwrap().is_ok());
}

/// The ids of the amendments the page offers to put to a vote, in page order.
fn amendments_to_vote_on(page: &str, motion_path: &str) -> Vec<String> {
    let prefix = format!(r#"formaction="{motion_path}/amendments/"#);
    page.match_indices(&prefix)
        .map(|(at, _)| {
            let rest = &page[at + prefix.len()..];
            rest[..rest.find('/').unwrap()].to_owned()
        })
        .collect()
}

/// A local date-time (the instance is in UTC here) `seconds` from now, as the form takes it.
fn closes_in_seconds(seconds: i64) -> (plenum_core::Instant, String) {
    let at = now().plus_seconds(seconds);
    (at, at.to_string().trim_end_matches('Z').to_owned())
}

async fn wait_until(at: plenum_core::Instant) {
    let left = at.unix_seconds() - now().unix_seconds();
    tokio::time::sleep(std::time::Duration::from_millis(u64::try_from(left.max(0)).unwrap() * 1000 + 1100)).await;
}

async fn a_facilitator_puts_amendments_to_a_vote_and_their_polls_adopt_or_decline_them(db: &TestDb) {
    let mut rosa = TestApp::new(db);
    rosa.sign_up("rosa", "Rosa").await;
    assembly(db, "rosa", "riverside").await;
    let mut ana = rosa.browser();
    ana.sign_up("ana", "Ana").await;
    ana.submit("/bodies/riverside", "/bodies/riverside/join", &[]).await;
    let filed = ana
        .submit(
            "/bodies/riverside/motions/new",
            "/bodies/riverside/motions/new",
            &[("kind", "policy"), ("title", "Benches by the river"), ("text", "Put six benches along the path.")],
        )
        .await;
    let motion_path = filed.location.unwrap();
    for text in ["Put eight benches along the path.", "Put sixty benches along the path."] {
        let amended = ana.submit(&motion_path, &format!("{motion_path}/amendments"), &[("text", text)]).await;
        assert_eq!(amended.status, StatusCode::SEE_OTHER);
    }

    // Only facilitators see "Put to a vote", one button by each proposed amendment, submitting
    // the open-poll form; a member who posts anyway is refused.
    let page = ana.get(&motion_path).await;
    assert!(!page.body.contains("Put to a vote") && page.body.contains(">Accept<"), "{}", page.body);
    let page = rosa.get(&motion_path).await;
    let ids = amendments_to_vote_on(&page.body, &motion_path);
    assert_eq!(ids.len(), 2, "{}", page.body);
    assert_eq!(page.body.matches(">Put to a vote<").count(), 2);
    assert!(page.body.contains(r#"form="open-poll""#) && page.body.contains(r#"id="open-poll""#));
    let refused = ana
        .submit(&motion_path, &format!("{motion_path}/amendments/{}/polls", ids[0]), &[("secrecy", "open"), ("closes_in", "1")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // The first amendment passes (Rosa and Ana vote yes in an open poll) and replaces the text.
    let (closes, closes_at) = closes_in_seconds(6);
    let opened = rosa
        .submit(
            &motion_path,
            &format!("{motion_path}/amendments/{}/polls", ids[0]),
            &[("secrecy", "open"), ("closes_in", "10080"), ("closes_at", &closes_at)],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let poll_path = opened.location.unwrap();
    let poll = ana.get(&poll_path).await;
    assert!(poll.body.contains("Vote on an amendment") && poll.body.contains("Put eight benches"), "{}", poll.body);
    for voter in [&mut rosa, &mut ana] {
        let voted = voter.submit(&poll_path, &format!("{poll_path}/vote"), &[("choice", "yes")]).await;
        assert_eq!(voted.status, StatusCode::SEE_OTHER, "{}", voted.body);
    }
    // Meanwhile the motion stays open, nothing else is put to a vote and the mover cannot settle it.
    let page = rosa.get(&motion_path).await;
    assert!(page.body.contains("being voted on") && !page.body.contains("Put to a vote") && !page.body.contains("Open poll"));
    let settle = ana.submit(&motion_path, &format!("{motion_path}/amendments/{}", ids[0]), &[("decision", "accept")]).await;
    assert_eq!(settle.status, StatusCode::CONFLICT, "{}", settle.body);
    wait_until(closes).await;
    assert_eq!(plenum_web::closer::close_overdue(&db.store).await.unwrap(), 1);
    let page = rosa.get(&motion_path).await;
    assert!(page.body.contains(r#"<div class="prose">Put eight benches along the path.</div>"#), "{}", page.body);
    assert!(page.body.contains("accepted") && page.body.contains("Open poll"));

    // The second fails (a secret poll: one yes, one no is not more than half) and is declined.
    let ids = amendments_to_vote_on(&page.body, &motion_path);
    assert_eq!(ids.len(), 1);
    let (closes, closes_at) = closes_in_seconds(6);
    let opened = rosa
        .submit(
            &motion_path,
            &format!("{motion_path}/amendments/{}/polls", ids[0]),
            &[("secrecy", "secret"), ("closes_in", "10080"), ("closes_at", &closes_at)],
        )
        .await;
    let poll_path = opened.location.unwrap();
    for (voter, choice) in [(&mut rosa, "yes"), (&mut ana, "no")] {
        let voted = voter.submit(&poll_path, &format!("{poll_path}/vote"), &[("choice", choice)]).await;
        assert_eq!(voted.status, StatusCode::OK, "{}", voted.body);
    }
    wait_until(closes).await;
    assert_eq!(plenum_web::closer::close_overdue(&db.store).await.unwrap(), 1);
    let page = rosa.get(&motion_path).await;
    assert!(page.body.contains(r#"<div class="prose">Put eight benches along the path.</div>"#));
    assert!(page.body.contains("declined") && !page.body.contains(">Put to a vote<"));
    assert!(!page.body.contains("amendment-vote-hint"), "no hint without an amendment to vote on");
    let closed = rosa.get(&poll_path).await;
    assert!(closed.body.contains("Failed") && closed.body.contains("more than 1/2 of the votes cast"), "{}", closed.body);
    // The rule is worded in the page's language.
    let closed = rosa.get(&format!("{poll_path}?lang=es")).await;
    assert!(closed.body.contains("más de 1/2 de los votos emitidos"), "{}", closed.body);

    // The read tables follow, and the log verifies with both amendment polls re-tallied.
    let motion = plenum_core::MotionId::parse(&id_after(&motion_path, "/motions/")).unwrap();
    let row = db.store.motion(&motion).await.unwrap().unwrap();
    assert_eq!((row.text.as_str(), row.status.as_str()), ("Put eight benches along the path.", "open"));
    let verified = db.store.verify().await.unwrap();
    assert!(verified.is_ok() && verified.polls == 2, "{verified:?}");
}
