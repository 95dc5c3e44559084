//! A budget cycle through the web: started from the form, ideas submitted and supported,
//! projects developed and reviewed, a ballot refused with its reason and then cast with a
//! receipt, the results with explanations and the comparison with greedy, the JSON API, the
//! CSV, the implementation tracker, in both languages.

use axum::http::StatusCode;
use plenum_core::{BudgetCycleId, State};

use crate::engine::{TestApp, TestDb, on_both_engines};
use crate::flows::now;

on_both_engines!(
    a_budget_cycle_runs_from_ideas_to_implementation_through_the_pages,
    the_demo_has_a_cycle_in_every_phase_and_a_real_election_and_every_page_answers,
    every_rule_explains_its_results_in_spanish_on_the_results_page_and_the_comparison,
);

/// English sentences of the PB engine's explanations (and their Fluent wording in English).
const ENGLISH: [&str; 12] = [
    "funded in round",
    "not funded",
    "ranked ",
    "per supporter",
    "it cost ",
    "was left",
    "counting stopped",
    "total satisfaction",
    "load rose",
    "the completion after Equal Shares",
    "supporters had",
    "count with explanations",
];

async fn every_rule_explains_its_results_in_spanish_on_the_results_page_and_the_comparison(db: &TestDb) {
    plenum_web::demo::fill(&db.store, plenum_web::Tz::UTC).await.unwrap();
    let counted: Vec<String> = db
        .store
        .read(|s: &State| s.budgets().cycles().filter(|c| c.counted.is_some() && !c.imported).map(|c| c.id.to_string()).collect())
        .await;
    assert!(!counted.is_empty());
    let mut visitor = TestApp::new(db);
    for id in &counted {
        // The cycle's own rule (Equal Shares), then each other rule compared with it.
        let english = visitor.get(&format!("/budget-cycles/{id}/results?compare=greedy")).await;
        assert!(english.body.contains("ranked 1 of") && english.body.contains("Why, by Greedy by votes"), "{}", english.body);
        let mut spanish_seen = Vec::new();
        for compare in ["", "greedy", "phragmen", "max_welfare", "equal_shares_plain"] {
            let page = visitor.get(&format!("/budget-cycles/{id}/results?lang=es&compare={compare}")).await;
            assert_eq!(page.status, StatusCode::OK);
            let body = &page.body;
            for phrase in ENGLISH {
                assert!(!body.contains(phrase), "{compare:?}: English {phrase:?} on a Spanish page: {body}");
            }
            assert!(!body.contains("<td lang=\"en\">"), "{compare:?}: an explanation left in English: {body}");
            assert!(body.contains("financiado"), "{body}");
            if !compare.is_empty() {
                assert!(body.contains("data-testid=\"compared-why\"") && body.contains("Por qué, según"), "{body}");
            }
            spanish_seen.push(body.clone());
        }
        let all = spanish_seen.concat();
        for phrase in ["financiado en la ronda", "en el puesto 1 de", "satisfacción total", "la carga de quienes lo apoyan"] {
            assert!(all.contains(phrase), "Spanish {phrase:?} missing");
        }
    }
}

async fn the_demo_has_a_cycle_in_every_phase_and_a_real_election_and_every_page_answers(db: &TestDb) {
    plenum_web::demo::fill(&db.store, plenum_web::Tz::UTC).await.unwrap();
    let cycles: Vec<(String, plenum_core::Phase, bool, bool)> = db
        .store
        .read(|s: &State| s.budgets().cycles().map(|c| (c.id.to_string(), c.phase, c.counted.is_some(), c.imported)).collect())
        .await;
    let phases: Vec<plenum_core::Phase> = cycles.iter().map(|c| c.1).collect();
    for phase in plenum_core::Phase::ALL {
        assert!(phases.contains(&phase) || phase == plenum_core::Phase::Results, "no demo cycle in {phase:?}");
    }
    assert!(cycles.iter().any(|c| c.3), "a real election is imported");
    assert!(cycles.iter().any(|c| !c.3 && c.2), "a cycle of the demo was counted");
    let mut visitor = TestApp::new(db);
    assert!(visitor.get("/bodies/hillside").await.body.contains("Hillside budget 2025"));
    for (id, phase, counted, imported) in &cycles {
        let page = visitor.get(&format!("/budget-cycles/{id}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        if *phase == plenum_core::Phase::Vote {
            assert_eq!(visitor.get(&format!("/budget-cycles/{id}/ballot")).await.status, StatusCode::OK);
            let paper = visitor.get(&format!("/budget-cycles/{id}/paper")).await;
            assert!(paper.body.contains("Both entries agree") && paper.body.contains("Entries differ"), "{}", paper.body);
        }
        if *counted {
            let results = visitor.get(&format!("/budget-cycles/{id}/results")).await;
            assert_eq!(results.status, StatusCode::OK);
            if *imported {
                assert!(results.body.contains("LES/"), "the real election's projects");
            }
            assert_eq!(visitor.get(&format!("/budget-cycles/{id}/results?compare=greedy")).await.status, StatusCode::OK);
            assert_eq!(visitor.get(&format!("/budget-cycles/{id}/implementation")).await.status, StatusCode::OK);
            assert_eq!(visitor.get(&format!("/api/v1/budget-cycles/{id}/result")).await.status, StatusCode::OK);
        }
    }
    assert!(db.store.verify().await.unwrap().is_ok());
}

fn local(offset: i64) -> String {
    // A `datetime-local` value in UTC, the test application's zone.
    now().plus_seconds(offset).to_string()[..16].to_owned()
}

fn after<'a>(text: &'a str, marker: &str) -> &'a str {
    let at = text.find(marker).unwrap_or_else(|| panic!("{marker:?} not in {text}"));
    &text[at + marker.len()..]
}

async fn a_budget_cycle_runs_from_ideas_to_implementation_through_the_pages(db: &TestDb) {
    let mut rosa = TestApp::new(db);
    rosa.sign_up("rosa", "Rosa").await;
    crate::flows::assembly(db, "rosa", "riverside").await;
    let mut bea = rosa.browser();
    bea.sign_up("bea", "Bea").await;
    bea.submit("/bodies/riverside", "/bodies/riverside/join", &[]).await;

    let (past, day) = (local(-3600), local(86_400));
    let later = local(2 * 86_400);
    let bad = rosa
        .submit(
            "/bodies/riverside/budget-cycles/new",
            "/bodies/riverside/budget-cycles",
            &[("title", "Budget 2027"), ("description", "What to build"), ("currency", "eur"), ("total", "1000")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = [
        ("title", "Budget 2027"),
        ("description", "What should Riverside build?"),
        ("currency", "EUR"),
        ("total", "1 000"),
        ("districts", ""),
        ("ideas_from", "members"),
        ("format", "knapsack"),
        ("min", "1"),
        ("max", "5"),
        ("points", "10"),
        ("rule", "equal_shares"),
        ("date_ideas", past.as_str()),
        ("date_development", past.as_str()),
        ("date_review", past.as_str()),
        ("date_vote", past.as_str()),
        ("date_results", day.as_str()),
        ("date_implementation", later.as_str()),
    ];
    let created = rosa.submit("/bodies/riverside/budget-cycles/new", "/bodies/riverside/budget-cycles", &fields).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let cycle = created.location.unwrap();
    assert!(rosa.get("/bodies/riverside").await.body.contains("Budget 2027"));

    let idea = bea
        .submit(
            &cycle,
            &format!("{cycle}/ideas"),
            &[
                ("title", "Shade trees"),
                ("description", "Along the river"),
                ("category", "Parks"),
                ("place", "River walk"),
                ("lat", "41.38"),
                ("lon", "2.17"),
            ],
        )
        .await;
    assert_eq!(idea.status, StatusCode::SEE_OTHER, "{}", idea.body);
    let page = rosa.get(&cycle).await;
    assert!(page.body.contains("Shade trees") && page.body.contains("41.380000"));
    let idea_id = &after(&page.body, "/ideas/")[..36];
    let support = rosa.submit(&cycle, &format!("{cycle}/ideas/{idea_id}/support"), &[]).await;
    assert_eq!(support.status, StatusCode::SEE_OTHER);
    assert!(rosa.get(&cycle).await.body.contains("1 supporter"));

    let advance = |to: &'static str| [("to", to)];
    rosa.submit(&cycle, &format!("{cycle}/phase"), &advance("development")).await;
    for (title, cost) in [("Trees", "600"), ("Benches", "500"), ("Bridge", "5000")] {
        let made = bea
            .submit(
                &cycle,
                &format!("{cycle}/projects"),
                &[("title", title), ("description", "A project"), ("estimate", cost), ("idea", idea_id)],
            )
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    }
    rosa.submit(&cycle, &format!("{cycle}/phase"), &advance("review")).await;
    let id = BudgetCycleId::parse(cycle.trim_start_matches("/budget-cycles/")).unwrap();
    let projects: Vec<String> = db
        .store
        .read(|s: &State| s.budgets().projects_of(s.budgets().cycle(&id).unwrap()).map(|p| p.id.to_string()).collect())
        .await;
    for (project, verdict, cost) in [(&projects[0], "feasible", "600"), (&projects[1], "feasible", "500")] {
        let reviewed = rosa
            .submit(
                &cycle,
                &format!("{cycle}/projects/{project}/review"),
                &[("verdict", verdict), ("final_cost", cost), ("reason", "")],
            )
            .await;
        assert_eq!(reviewed.status, StatusCode::SEE_OTHER, "{}", reviewed.body);
    }
    let early = rosa.submit(&cycle, &format!("{cycle}/phase"), &advance("vote")).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "the bridge waits for review");
    let no_reason = rosa
        .submit(
            &cycle,
            &format!("{cycle}/projects/{}/review", projects[2]),
            &[("verdict", "not_feasible"), ("final_cost", ""), ("reason", "")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    rosa.submit(
        &cycle,
        &format!("{cycle}/projects/{}/review", projects[2]),
        &[("verdict", "not_feasible"), ("reason", "The river is protected")],
    )
    .await;
    let opened = rosa.submit(&cycle, &format!("{cycle}/phase"), &advance("vote")).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    assert!(rosa.get(&cycle).await.body.contains("The river is protected"), "a rejected project keeps its reason");

    let ballot = bea.get(&format!("{cycle}/ballot")).await;
    assert!(ballot.body.contains("data-budget-meter") && ballot.body.contains("/static/budget-meter.js"));
    assert!(!ballot.body.contains(&projects[2]), "only feasible projects are on the ballot");
    let over = bea
        .submit(&format!("{cycle}/ballot"), &format!("{cycle}/ballot"), &[("approve", &projects[0]), ("approve", &projects[1])])
        .await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", over.body);
    assert!(over.body.contains("Leave some out") && over.body.contains(" checked"), "explained, with the choices kept");
    let cast = bea.submit(&format!("{cycle}/ballot"), &format!("{cycle}/ballot"), &[("approve", &projects[0])]).await;
    assert!(cast.body.contains("data-testid=\"receipt-code\""), "{}", cast.body);
    let receipt = after(&cast.body, "data-testid=\"receipt-code\">")[..19].to_owned();
    let script = bea.get("/static/budget-meter.js").await;
    assert!(script.content_type.starts_with("text/javascript"));

    let at = now().plus_seconds(86_400);
    db.store.execute(|s: &State| s.close_budget_vote(&id, at, [1; 32])).await.unwrap();
    let mut anyone = rosa.browser();
    let results = anyone.get(&format!("{cycle}/results")).await;
    assert_eq!(results.status, StatusCode::OK);
    assert!(results.body.contains("<svg role=\"img\"") && results.body.contains("<caption>"));
    assert!(results.body.contains("funded in round") || results.body.contains("funded"), "{}", results.body);
    assert!(results.body.contains(&receipt), "the board lists the ballot");
    let compare = anyone.get(&format!("{cycle}/results?compare=greedy")).await;
    assert!(compare.body.contains("data-testid=\"comparison\""));
    let api = anyone.get(&format!("/api/v1{cycle}/result")).await.json();
    assert_eq!(api["ballots"], 1);
    assert_eq!(api["pots"][0]["funded"][0], projects[0].as_str());
    assert!(api["pots"][0]["projects"][0]["why"].as_str().unwrap().contains("funded"));
    let detail = anyone.get(&format!("/api/v1{cycle}")).await.json();
    assert_eq!(detail["phase"], "results");
    assert_eq!(detail["projects"][2]["reason"], "The river is protected");
    let csv = anyone.get(&format!("{cycle}/projects.csv")).await;
    assert!(csv.body.starts_with("project_id;code;") && csv.body.contains(";The river is protected;"));
    let spanish = anyone.get(&format!("{cycle}/results?lang=es")).await;
    assert!(spanish.body.contains("Resultados") && spanish.body.contains("Financiado"));

    rosa.submit(&cycle, &format!("{cycle}/phase"), &advance("implementation")).await;
    let tracked = rosa
        .submit(
            &format!("{cycle}/implementation"),
            &format!("{cycle}/projects/{}/progress", projects[0]),
            &[("status", "in_progress"), ("spent", "250"), ("note", "Twelve trees planted")],
        )
        .await;
    assert_eq!(tracked.status, StatusCode::SEE_OTHER, "{}", tracked.body);
    let tracker = rosa.browser().get(&format!("{cycle}/implementation")).await;
    assert!(tracker.body.contains("Twelve trees planted") && tracker.body.contains("In progress"));
    assert!(db.store.verify().await.unwrap().is_ok());
}
