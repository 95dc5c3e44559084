//! The public pages over the demo confederation, the calendar feed, languages, security
//! headers, and the errors for unknown addresses and oversized bodies.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::engine::{TestApp, TestDb, on_both_engines};

on_both_engines!(
    the_demo_fills_a_fresh_instance_and_refuses_a_filled_one,
    public_pages_show_assemblies_meetings_motions_and_results_without_an_account,
    the_calendar_feed_is_icalendar,
    language_follows_the_link_the_cookie_and_accept_language,
    every_answer_carries_the_security_headers_and_unknown_things_are_404,
    a_body_over_the_limit_is_refused_before_it_is_read,
    a_large_assembly_shows_its_motions_and_members_a_page_at_a_time,
);

async fn the_demo_fills_a_fresh_instance_and_refuses_a_filled_one(db: &TestDb) {
    let summary = plenum_web::demo::fill(&db.store, plenum_web::Tz::Europe__Madrid).await.unwrap();
    assert!(summary.assemblies.iter().any(|(slug, name)| slug == "riverside" && name == "Riverside Assembly"));
    let again = plenum_web::demo::fill(&db.store, plenum_web::Tz::UTC).await.unwrap_err();
    assert!(again.to_string().contains("not empty"), "{again}");
    assert!(db.store.verify().await.unwrap().is_ok());
    // The demo logins work.
    let mut web = TestApp::new(db);
    for login in ["facilitator", "member1", "member2", "member3"] {
        let mut b = web.browser();
        let answer = b.submit("/login", "/login", &[("login", login), ("password", "demo-password")]).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{login}");
    }
    let page = {
        web.submit("/login", "/login", &[("login", "facilitator"), ("password", "demo-password")]).await;
        web.get("/bodies/riverside").await
    };
    assert!(page.body.contains("Schedule a meeting") && page.body.contains("File a motion"));
}

async fn public_pages_show_assemblies_meetings_motions_and_results_without_an_account(db: &TestDb) {
    plenum_web::demo::fill(&db.store, plenum_web::Tz::UTC).await.unwrap();
    let mut web = TestApp::new(db);
    let home = web.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.content_type.starts_with("text/html"));
    for slug in ["riverside", "old-town", "harbour", "hillside"] {
        assert!(home.body.contains(&format!(r#"href="/bodies/{slug}""#)), "{slug}");
    }
    assert!(home.body.contains(r#"<html lang="en" dir="ltr">"#) && home.body.contains(r##"href="#main""##));
    let riverside = web.get("/bodies/riverside").await;
    assert!(riverside.body.contains("<h1>Riverside Assembly</h1>") && riverside.body.contains("Calendar (iCal)"));
    let meeting = between(&riverside.body, r#"href="/meetings/"#, '"');
    let meeting = web.get(&format!("/meetings/{meeting}")).await;
    assert!(meeting.body.contains("Thanks to the three guests"), "published minutes are public");
    let motion = between(&riverside.body, r#"href="/motions/"#, '"');
    assert_eq!(web.get(&format!("/motions/{motion}")).await.status, StatusCode::OK);

    // Every poll page; closed ones show a result, the open one a count of votes.
    let polls: Vec<serde_json::Value> = {
        let mut all = Vec::new();
        for body in web.get("/api/v1/bodies").await.json()["bodies"].as_array().unwrap() {
            let detail = web.get(&format!("/api/v1/bodies/{}", body["id"].as_str().unwrap())).await.json();
            for m in detail["motions"].as_array().unwrap() {
                let page = web.get(&format!("/motions/{}", m["id"].as_str().unwrap())).await;
                let mut rest = page.body.as_str();
                while let Some(at) = rest.find(r#"href="/polls/"#) {
                    let id = between(rest, r#"href="/polls/"#, '"');
                    all.push(web.get(&format!("/api/v1/polls/{id}")).await.json());
                    rest = &rest[at + 10..];
                }
            }
        }
        all
    };
    assert!(polls.iter().any(|p| p["status"] == "open"));
    assert!(polls.iter().any(|p| p["status"] == "closed" && p["secrecy"] == "secret" && p["result"]["passed"] == false));
    assert!(polls.iter().any(|p| p["status"] == "closed" && p["secrecy"] == "open" && p["result"]["passed"] == true));
    for p in &polls {
        let page = web.get(&format!("/polls/{}", p["id"].as_str().unwrap())).await;
        assert_eq!(page.status, StatusCode::OK);
        if p["status"] == "closed" {
            assert!(page.body.contains(">Result<") && (page.body.contains("Passed") || page.body.contains("Failed")));
            if p["secrecy"] == "open" {
                assert!(
                    page.body.contains("Who voted what") && page.body.contains("Rosa Martín") || page.body.contains("Jo Murphy")
                );
            } else {
                assert!(page.body.contains("Published ballots") && page.body.contains("Check receipt"));
            }
        }
    }
}

fn between(text: &str, start: &str, end: char) -> String {
    let at = text.find(start).unwrap_or_else(|| panic!("no {start}")) + start.len();
    text[at..].split(end).next().unwrap().to_owned()
}

async fn the_calendar_feed_is_icalendar(db: &TestDb) {
    plenum_web::demo::fill(&db.store, plenum_web::Tz::Europe__Madrid).await.unwrap();
    let mut web = TestApp::new(db);
    let feed = web.get("/bodies/riverside/calendar.ics").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.content_type.starts_with("text/calendar"));
    assert!(feed.body.ends_with("\r\n"));
    let lines: Vec<&str> = feed.body.trim_end_matches("\r\n").split("\r\n").collect();
    assert_eq!(lines.first(), Some(&"BEGIN:VCALENDAR"));
    assert_eq!(lines.last(), Some(&"END:VCALENDAR"));
    assert!(lines.iter().all(|l| l.len() <= 75 && !l.contains('\n')));
    // Unfold, then every content line is NAME[;params]:value, and components nest.
    let unfolded = feed.body.replace("\r\n ", "");
    let mut open = Vec::new();
    let mut events = 0;
    for line in unfolded.trim_end_matches("\r\n").split("\r\n") {
        let (name, value) = line.split_once(':').unwrap_or_else(|| panic!("not a content line: {line}"));
        assert!(name.chars().all(|c| c.is_ascii_uppercase() || c == '-' || c == ';' || c == '='), "{name}");
        match name {
            "BEGIN" => open.push(value.to_owned()),
            "END" => assert_eq!(open.pop().as_deref(), Some(value)),
            "DTSTART" | "DTEND" | "DTSTAMP" => {
                assert_eq!(value.len(), 16, "{value}");
                assert!(value.ends_with('Z') && value.as_bytes()[8] == b'T');
            }
            _ => {}
        }
        if line == "BEGIN:VEVENT" {
            events += 1;
        }
        assert!(open.len() <= 2);
    }
    assert!(open.is_empty());
    assert_eq!(events, 2, "Riverside has a past and a coming meeting");
    assert!(unfolded.contains("SUMMARY:Riverside Assembly\\, monthly meeting"));
    assert_eq!(web.get("/bodies/nowhere/calendar.ics").await.status, StatusCode::NOT_FOUND);
}

async fn language_follows_the_link_the_cookie_and_accept_language(db: &TestDb) {
    let mut web = TestApp::new(db);
    let english = web.get("/").await;
    assert!(english.body.contains("Español") && english.body.contains(r#"href="/?lang=es""#));
    let spanish = web.get("/?lang=es").await;
    assert!(
        spanish.body.contains(r#"<html lang="es" dir="ltr">"#)
            && spanish.body.contains("Entrar")
            && spanish.body.contains(r#"href="/?lang=en""#)
    );
    assert_eq!(web.cookies.get("plenum_lang").map(String::as_str), Some("es"));
    assert!(web.get("/signup").await.body.contains("Nombre de usuario"), "the cookie keeps Spanish");
    let mut browser = web.browser();
    let request = Request::get("/login").header(header::ACCEPT_LANGUAGE, "es-ES,es;q=0.9,en;q=0.5").body(Body::empty()).unwrap();
    assert!(browser.send(request).await.body.contains("Contraseña"));
    let missing = plenum_web::missing_keys();
    assert!(missing.iter().all(|(_, keys)| keys.is_empty()), "{missing:?}");
}

async fn every_answer_carries_the_security_headers_and_unknown_things_are_404(db: &TestDb) {
    let mut web = TestApp::new(db);
    for path in [
        "/",
        "/no/such/page",
        "/bodies/nowhere",
        "/motions/not-an-id",
        "/motions/01968a3c-0000-7000-8000-000000000001",
        "/polls/01968a3c-0000-7000-8000-000000000001",
        "/meetings/x",
        "/api/v1/bodies/x",
    ] {
        let answer = web.get(path).await;
        let csp = answer.headers.get("content-security-policy").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(answer.headers.get("x-content-type-options").unwrap(), "nosniff");
        assert!(answer.headers.get("referrer-policy").is_some());
        if path != "/" {
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
            if path.starts_with("/api/") {
                assert_eq!(answer.json()["error"]["code"], "not_found");
            } else {
                assert!(answer.content_type.starts_with("text/html") && answer.body.contains("There is nothing here"), "{path}");
            }
        }
    }
}

async fn a_body_over_the_limit_is_refused_before_it_is_read(db: &TestDb) {
    let mut web = TestApp::new(db);
    let token = web.get("/signup").await.csrf();
    let big = format!("csrf={token}&login=a&display_name={}&password=x", "a".repeat(70 * 1024));
    let request = Request::post("/signup")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(big.clone()))
        .unwrap();
    let answer = web.send(request).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Without a declared length (streamed), the extractor stops at the limit.
    let stream = futures_stream(big);
    let request =
        Request::post("/signup").header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(stream).unwrap();
    let answer = web.send(request).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    let api = web.post_json("/api/v1/sessions", &format!(r#"{{"login":"{}","password":"x"}}"#, "a".repeat(70 * 1024))).await;
    assert_eq!(api.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(api.json()["error"]["code"], "body_too_large");
}

/// A body with no length, as a chunked upload.
fn futures_stream(text: String) -> Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = text.into_bytes().chunks(8192).map(|c| Ok(c.to_vec())).collect();
    Body::from_stream(futures_util::stream::iter(chunks))
}

/// 260 members and 70 motions: the assembly page shows 200 names and the 50 newest motions,
/// and the pager links reach the rest.
async fn a_large_assembly_shows_its_motions_and_members_a_page_at_a_time(db: &TestDb) {
    use plenum_core::{AccountId, BodySlug, DisplayName, FileMotion, Instant, MotionId, MotionKind, Prose, Title};
    plenum_web::demo::fill(&db.store, plenum_web::Tz::UTC).await.unwrap();
    let body = db.store.read(|s| s.body_by_slug(&BodySlug::parse("riverside").unwrap()).unwrap().id.clone()).await;
    let at = Instant::from_unix_seconds(1_900_000_000).unwrap();
    let mut newcomer = None;
    for n in 0..260 {
        let id = AccountId::parse(&format!("019b0000-0001-7000-8000-{n:012x}")).unwrap();
        let account = plenum_store::NewAccount {
            id: id.clone(),
            login: format!("crowd{n}"),
            password_hash: "!test: no password".to_owned(),
            display_name: DisplayName::parse(&format!("Crowd {n:03}")).unwrap(),
        };
        db.store.register_account(account, at).await.unwrap();
        db.store.execute(|s| s.join(&body, &id, at)).await.unwrap();
        newcomer = Some(id);
    }
    let mover = newcomer.unwrap();
    for n in 0..70 {
        let motion = FileMotion {
            motion: MotionId::parse(&format!("019b0000-0002-7000-8000-{n:012x}")).unwrap(),
            body: body.clone(),
            kind: MotionKind::Policy,
            title: Title::parse(&format!("Motion number {n:03}")).unwrap(),
            text: Prose::parse("Text.").unwrap(),
            proposed_charter: None,
        };
        db.store.execute(|s| s.file_motion(motion, &mover, at)).await.unwrap();
    }
    let mut web = TestApp::new(db);
    let first = web.get("/bodies/riverside").await;
    assert_eq!(first.status, StatusCode::OK);
    let names = |body: &str| body.matches("Crowd ").count();
    let motions = |body: &str| body.matches("Motion number ").count();
    assert_eq!(motions(&first.body), 50);
    assert!(first.body.contains("Motion number 069") && !first.body.contains("Motion number 019"), "newest first");
    assert!(names(&first.body) <= 200 && first.body.contains("Older") && first.body.contains("Next"));
    assert!(!first.body.contains("Newer") && !first.body.contains("Previous"));
    let older = web.get("/bodies/riverside?motions=2&members=1").await;
    assert!(older.body.contains("Motion number 019") && older.body.contains("Newer"));
    assert!(motions(&older.body) > 0);
    let rest = web.get("/bodies/riverside?motions=1&members=2").await;
    // Every member is on one of the two pages (the demo's members with them).
    assert_eq!(names(&first.body) + names(&rest.body), 260);
    // A page number that is no number is page 1.
    assert_eq!(web.get("/bodies/riverside?motions=x").await.status, StatusCode::OK);
}
