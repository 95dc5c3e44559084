//! Paper ballots through the web: a facilitator appoints volunteers, two volunteers enter each
//! paper ballot (a refused entry is explained, with what was sent kept), a mismatch is listed
//! for the facilitator and resolved, and the count puts the paper ballots on the board with
//! the online ones; readable without signing in, in both languages, CSRF on every form.

use axum::http::StatusCode;
use plenum_core::{
    AccountId, Amount, BallotFormat, BudgetCycleId, BudgetProjectId, BudgetRule, Currency, DevelopProject, IdeasFrom, NewCycle,
    Phase, Prose, Review, State, Title,
};

use crate::engine::{TestApp, TestDb, on_both_engines};
use crate::flows::{now, uuid_v7};

on_both_engines!(paper_ballots_are_entered_twice_resolved_and_counted_through_the_pages);

async fn paper_ballots_are_entered_twice_resolved_and_counted_through_the_pages(db: &TestDb) {
    let mut rosa = TestApp::new(db);
    rosa.sign_up("rosa", "Rosa").await;
    let body = crate::flows::assembly(db, "rosa", "riverside").await;
    let mut bea = rosa.browser();
    bea.sign_up("bea", "Bea").await;
    bea.submit("/bodies/riverside", "/bodies/riverside/join", &[]).await;
    let mut carl = rosa.browser();
    carl.sign_up("carl", "Carl").await;
    carl.submit("/bodies/riverside", "/bodies/riverside/join", &[]).await;
    let account = |login: &'static str| async move { db.store.credentials(login).await.unwrap().unwrap().0 };
    let (r, b, c): (AccountId, AccountId, AccountId) = (account("rosa").await, account("bea").await, account("carl").await);

    // A cycle in its vote, with two feasible projects, closing in a day.
    let id = BudgetCycleId::parse(&uuid_v7()).unwrap();
    let new = NewCycle {
        cycle: id.clone(),
        body,
        title: Title::parse("Budget 2027").unwrap(),
        description: Prose::parse("What should Riverside build?").unwrap(),
        currency: Currency::parse("EUR").unwrap(),
        total: Amount(1000),
        districts: Vec::new(),
        schedule: [-4, -3, -2, -1, 86_400, 2 * 86_400].iter().map(|k| now().plus_seconds(*k)).collect(),
        ideas_from: IdeasFrom::Members,
        format: BallotFormat::Approval { min: 1, max: 1 },
        rule: BudgetRule::EqualShares,
    };
    db.store.execute(|s: &State| s.create_budget_cycle(new, &r, now())).await.unwrap();
    db.store.execute(|s: &State| s.advance_budget_phase(&id, Phase::Development, &r, now())).await.unwrap();
    let mut projects = Vec::new();
    for t in ["Trees", "Benches"] {
        let project = BudgetProjectId::parse(&uuid_v7()).unwrap();
        let new = DevelopProject {
            project: project.clone(),
            cycle: id.clone(),
            ideas: Vec::new(),
            title: Title::parse(t).unwrap(),
            description: Prose::parse("A project").unwrap(),
            estimate: Amount(600),
            district: None,
        };
        db.store.execute(|s: &State| s.develop_project(new, &b, now())).await.unwrap();
        projects.push(project.to_string());
    }
    db.store.execute(|s: &State| s.advance_budget_phase(&id, Phase::Review, &r, now())).await.unwrap();
    for p in &projects {
        let p = BudgetProjectId::parse(p).unwrap();
        db.store
            .execute(|s: &State| s.review_project(&p, Review::Feasible { final_cost: Amount(600) }, &r, now()))
            .await
            .unwrap();
    }
    db.store.execute(|s: &State| s.advance_budget_phase(&id, Phase::Vote, &r, now())).await.unwrap();
    let cycle = format!("/budget-cycles/{id}");
    let paper = format!("{cycle}/paper");
    assert!(rosa.get(&cycle).await.body.contains(&format!("href=\"{paper}\"")), "the cycle page links the paper ballots");

    // The facilitator appoints two volunteers; the form needs its CSRF token.
    let forged = rosa.post_form(&format!("{paper}/volunteers"), &[("volunteer", b.as_str())]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    for v in [&b, &c] {
        let appointed = rosa.submit(&paper, &format!("{paper}/volunteers"), &[("volunteer", v.as_str())]).await;
        assert_eq!(appointed.status, StatusCode::SEE_OTHER, "{}", appointed.body);
    }
    let mut anyone = rosa.browser();
    let page = anyone.get(&paper).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Bea") && page.body.contains("Carl") && page.body.contains("No paper ballots entered yet."));
    assert!(!page.body.contains("action=\"/budget-cycles"), "no forms for visitors");
    assert!(!rosa.get(&paper).await.body.contains(&format!("action=\"{paper}\"")), "only volunteers enter ballots");

    // Two entries of ballot 12 agree; the same volunteer cannot enter it twice.
    let head = anyone.get("/api/v1/log/head").await.json()["count"].as_u64().unwrap();
    let entered = bea.submit(&paper, &paper, &[("number", "12"), ("approve", &projects[0])]).await;
    assert_eq!(entered.status, StatusCode::SEE_OTHER, "{}", entered.body);
    assert!(bea.get(entered.location.as_deref().unwrap()).await.body.contains("Paper ballot 12 entered."));
    let twice = bea.submit(&paper, &paper, &[("number", "12"), ("approve", &projects[0])]).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("another volunteer") && twice.body.contains(" checked"), "explained, with the choices kept");
    let too_many = carl.submit(&paper, &paper, &[("number", "12"), ("approve", &projects[0]), ("approve", &projects[1])]).await;
    assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY, "the content is checked like an online ballot");
    let no_number = carl.submit(&paper, &paper, &[("number", "twelve"), ("approve", &projects[0])]).await;
    assert!(no_number.body.contains("number printed on the ballot"));
    carl.submit(&paper, &paper, &[("number", "12"), ("approve", &projects[0])]).await;
    // Ballot 13 is read differently.
    bea.submit(&paper, &paper, &[("number", "13"), ("approve", &projects[0])]).await;
    carl.submit(&paper, &paper, &[("number", "13"), ("approve", &projects[1])]).await;
    // The public log says who entered which number, never what it says.
    let log = anyone.get(&format!("/api/v1/log/events?after={head}&limit=100")).await.body;
    assert_eq!(log.matches("\"kind\":\"paper_ballot_entered\",\"version\"").count(), 4, "{log}");
    assert!(projects.iter().all(|p| !log.contains(p.as_str())), "paper ballot content in the public log: {log}");
    let public = anyone.get(&paper).await.body;
    assert!(public.contains("Both entries agree") && public.contains("Entries differ"));
    assert!(!public.contains("data-testid=\"paper-mismatch\""), "what was entered is for facilitators");
    let later = now().plus_seconds(86_400);
    let early = db.store.execute(|s: &State| s.close_budget_vote(&id, later, [1; 32])).await;
    assert!(early.is_err(), "the count waits for the mismatch");

    let listed = rosa.get(&paper).await.body;
    assert!(listed.contains("data-testid=\"paper-mismatch\"") && listed.contains("Bea") && listed.contains("001"));
    let resolved = rosa.submit(&paper, &format!("{paper}/resolve"), &[("number", "13"), ("approve", &projects[1])]).await;
    assert_eq!(resolved.status, StatusCode::SEE_OTHER, "{}", resolved.body);
    let again = rosa.submit(&paper, &format!("{paper}/resolve"), &[("number", "13"), ("approve", &projects[0])]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let spanish = rosa.browser().get(&format!("{paper}?lang=es")).await.body;
    assert!(spanish.contains("Papeletas en papel") && spanish.contains("Resuelta por una persona facilitadora"));

    // Counted with the online ballot: three ballots, the paper ones marked by number.
    let cast = bea.submit(&format!("{cycle}/ballot"), &format!("{cycle}/ballot"), &[("approve", &projects[1])]).await;
    assert!(cast.body.contains("data-testid=\"receipt-code\""), "{}", cast.body);
    db.store.execute(|s: &State| s.close_budget_vote(&id, later, [1; 32])).await.unwrap();
    let results = anyone.get(&format!("{cycle}/results")).await.body;
    assert!(results.contains("Paper ballot 12") && results.contains("Paper ballot 13"), "{results}");
    // Explanations are worded in the reader's language.
    assert!(results.contains("funded in round 1: 300 per supporter, as if 2 supporters paid in full"), "{results}");
    let spanish = rosa.browser().get(&format!("{cycle}/results?lang=es")).await.body;
    assert!(spanish.contains("financiado en la ronda 1: 300 por persona que lo apoya"), "{spanish}");
    assert!(spanish.contains("no financiado: desde el principio"), "{spanish}");
    assert!(!spanish.contains("funded in round") && !spanish.contains("not funded"), "{spanish}");
    let api = anyone.get(&format!("/api/v1{cycle}/result")).await.json();
    assert_eq!(api["ballots"], 3);
    assert_eq!(api["pots"][0]["funded"][0], projects[1].as_str(), "Benches: 2 votes to 1");
    assert!(anyone.get(&paper).await.body.contains("before it is counted"));
    assert!(db.store.verify().await.unwrap().is_ok());
}
