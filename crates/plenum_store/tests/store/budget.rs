//! Budget cycles in the store: the read tables, secret ballots kept apart from the log, the
//! count, and a reopened store that rebuilds the same state.

use std::sync::atomic::{AtomicU64, Ordering};

use plenum_core::{
    AccountId, Amount, BallotFormat, BodyId, BudgetCycleId, BudgetProjectId, BudgetRule, BudgetVote, Currency, DevelopProject,
    District, DistrictId, IdeaId, IdeasFrom, ImplementationStatus, NewCycle, Phase, Prose, Refusal, Review, SubmitIdea, Title,
};
use plenum_store::{Store, StoreError};
use sqlx::Row;

use crate::engine::{TestDb, on_both_engines};
use crate::scenarios::{assembly, now, random};

static NEXT: AtomicU64 = AtomicU64::new(1);

fn id() -> String {
    format!("01968a3c-0000-7000-9000-{:012x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

const DAY: i64 = 86_400;

on_both_engines!(
    a_budget_cycle_runs_from_ideas_to_implementation_in_the_read_tables,
    budget_ballots_stay_out_of_the_log_and_survive_a_reopen,
    a_refused_budget_ballot_writes_nothing,
    changing_a_stored_budget_ballot_makes_verify_name_the_count,
);

async fn changing_a_stored_budget_ballot_makes_verify_name_the_count(db: &TestDb) {
    let store = &db.store;
    let (people, body, _) = assembly(store, 3).await;
    let (cycle, p) = cycle_in_vote(store, &people, &body).await;
    store.cast_budget_ballot(&cycle, approve(&[&p[0]]), &people[1], now(), random()).await.unwrap();
    store.cast_budget_ballot(&cycle, approve(&[&p[1]]), &people[2], now(), random()).await.unwrap();
    store.execute(|s| s.close_budget_vote(&cycle, now().plus_seconds(4 * DAY), [3; 32])).await.unwrap();
    assert!(store.verify().await.unwrap().is_ok());
    sqlx::query("UPDATE budget_ballot_box SET vote = $1 WHERE ballot_id = (SELECT MIN(ballot_id) FROM budget_ballot_box)")
        .bind(serde_json::to_string(&approve(&[&p[2]])).unwrap())
        .execute(store.pool())
        .await
        .unwrap();
    let verification = store.verify().await.unwrap();
    let problem = verification.problem.unwrap();
    assert_eq!(problem.kind.as_deref(), Some("budget_vote_counted"), "{}", problem.what);
}

pub(crate) async fn count(store: &Store, sql: &str, bind: &str) -> i64 {
    sqlx::query(sql).bind(bind).fetch_one(store.pool()).await.unwrap().try_get::<i64, _>(0).unwrap()
}

/// A cycle of 1000 EUR with a district pot of 300, phases a day apart, in its vote phase with
/// three feasible projects (city: 600 and 400; district: 300) and one not feasible.
pub(crate) async fn cycle_in_vote(store: &Store, people: &[AccountId], body: &BodyId) -> (BudgetCycleId, Vec<BudgetProjectId>) {
    let cycle = BudgetCycleId::parse(&id()).unwrap();
    let north = DistrictId::parse(&id()).unwrap();
    let new = NewCycle {
        cycle: cycle.clone(),
        body: body.clone(),
        title: Title::parse("Budget 2027").unwrap(),
        description: Prose::parse("What should we build?").unwrap(),
        currency: Currency::parse("EUR").unwrap(),
        total: Amount(1000),
        districts: vec![District { id: north.clone(), name: Title::parse("North").unwrap(), budget: Amount(300) }],
        schedule: (0..6).map(|k| now().plus_seconds(k * DAY)).collect(),
        ideas_from: IdeasFrom::Members,
        format: BallotFormat::Knapsack,
        rule: BudgetRule::EqualShares,
    };
    let f = &people[0];
    store.execute(|s| s.create_budget_cycle(new, f, now())).await.unwrap();
    let idea = IdeaId::parse(&id()).unwrap();
    let duplicate = IdeaId::parse(&id()).unwrap();
    for (i, t) in [(&idea, "A park"), (&duplicate, "A green park")] {
        let new = SubmitIdea {
            idea: i.clone(),
            cycle: cycle.clone(),
            title: Title::parse(t).unwrap(),
            description: Prose::parse("Trees and benches").unwrap(),
            place: None,
            category: Title::parse("Parks").unwrap(),
            district: None,
        };
        store.execute(|s| s.submit_idea(new, &people[1], now())).await.unwrap();
    }
    store.execute(|s| s.support_idea(&duplicate, &people[2], now())).await.unwrap();
    store.execute(|s| s.support_idea(&idea, &people[2], now())).await.unwrap();
    store.execute(|s| s.merge_ideas(&duplicate, &idea, f, now())).await.unwrap();
    store.execute(|s| s.advance_budget_phase(&cycle, Phase::Development, f, now())).await.unwrap();
    let mut projects = Vec::new();
    for (t, cost, district) in
        [("Park", 600, None), ("Library", 400, None), ("Square", 300, Some(north.clone())), ("Bridge", 900, None)]
    {
        let project = BudgetProjectId::parse(&id()).unwrap();
        let new = DevelopProject {
            project: project.clone(),
            cycle: cycle.clone(),
            ideas: if t == "Park" { vec![idea.clone()] } else { Vec::new() },
            title: Title::parse(t).unwrap(),
            description: Prose::parse("A project").unwrap(),
            estimate: Amount(cost),
            district,
        };
        store.execute(|s| s.develop_project(new, &people[1], now())).await.unwrap();
        projects.push(project);
    }
    store.execute(|s| s.advance_budget_phase(&cycle, Phase::Review, f, now())).await.unwrap();
    for (k, p) in projects.iter().enumerate() {
        let review = if k == 3 {
            Review::NotFeasible { reason: Prose::parse("The river is protected").unwrap() }
        } else {
            Review::Feasible { final_cost: Amount([600, 400, 300][k]) }
        };
        store.execute(|s| s.review_project(p, review, f, now())).await.unwrap();
    }
    store.execute(|s| s.advance_budget_phase(&cycle, Phase::Vote, f, now())).await.unwrap();
    (cycle, projects)
}

pub(crate) fn approve(p: &[&BudgetProjectId]) -> BudgetVote {
    BudgetVote::Approval(p.iter().map(|x| (*x).clone()).collect())
}

async fn a_budget_cycle_runs_from_ideas_to_implementation_in_the_read_tables(db: &TestDb) {
    let store = &db.store;
    let (people, body, _) = assembly(store, 4).await;
    let (cycle, p) = cycle_in_vote(store, &people, &body).await;
    let c = cycle.as_str();
    assert_eq!(count(store, "SELECT supporters FROM budget_ideas WHERE cycle_id = $1 AND merged_into IS NULL", c).await, 1);
    assert_eq!(count(store, "SELECT roll_size FROM budget_cycles WHERE id = $1", c).await, 4);
    let votes = [approve(&[&p[0], &p[2]]), approve(&[&p[0]]), approve(&[&p[1], &p[2]]), approve(&[&p[0]])];
    let mut receipts = Vec::new();
    for (who, vote) in people.iter().zip(votes) {
        receipts.push(store.cast_budget_ballot(&cycle, vote, who, now(), random()).await.unwrap().receipt);
    }
    assert_eq!(count(store, "SELECT voted FROM budget_cycles WHERE id = $1", c).await, 4);
    let at = now().plus_seconds(4 * DAY);
    store.execute(|s| s.close_budget_vote(&cycle, at, [3; 32])).await.unwrap();
    assert_eq!(count(store, "SELECT COUNT(*) FROM budget_ballot_box WHERE cycle_id = $1 AND position IS NOT NULL", c).await, 4);
    assert_eq!(count(store, "SELECT ballots FROM budget_results WHERE cycle_id = $1", c).await, 4);
    // The city-wide pot is 700: Park (600, 3 votes) leaves too little for Library (400, 1);
    // the district's Square (300, 2 votes) fills its pot.
    assert_eq!(count(store, "SELECT COUNT(*) FROM budget_projects WHERE cycle_id = $1 AND funded = 1", c).await, 2);
    assert_eq!(count(store, "SELECT funded FROM budget_projects WHERE id = $1", p[0].as_str()).await, 1);
    assert_eq!(count(store, "SELECT funded FROM budget_projects WHERE id = $1", p[2].as_str()).await, 1);
    assert_eq!(count(store, "SELECT feasible FROM budget_projects WHERE id = $1", p[3].as_str()).await, 0);
    let board = store.budget_ballots(&cycle).await.unwrap();
    assert_eq!(board.len(), 4);
    assert!(board.iter().all(|b| receipts.contains(&b.receipt)));
    let f = &people[0];
    store.execute(|s| s.advance_budget_phase(&cycle, Phase::Implementation, f, now())).await.unwrap();
    let note = Prose::parse("Trees planted").unwrap();
    store.execute(|s| s.record_progress(&p[0], ImplementationStatus::InProgress, Amount(250), note, f, now())).await.unwrap();
    assert_eq!(count(store, "SELECT spent FROM budget_projects WHERE id = $1", p[0].as_str()).await, 250);
    assert_eq!(count(store, "SELECT COUNT(*) FROM budget_transitions WHERE cycle_id = $1", c).await, 6);
    assert!(store.verify().await.unwrap().is_ok());
    let before = store.read(Clone::clone).await;
    store.close().await;
    assert_eq!(db.reopen().await.read(Clone::clone).await, before);
}

async fn budget_ballots_stay_out_of_the_log_and_survive_a_reopen(db: &TestDb) {
    let store = &db.store;
    let (people, body, _) = assembly(store, 3).await;
    let (cycle, p) = cycle_in_vote(store, &people, &body).await;
    let cast = store.cast_budget_ballot(&cycle, approve(&[&p[1]]), &people[1], now(), random()).await.unwrap();
    let head = store.log_head().await.unwrap();
    let last = store.events_after(head.count - 1, 1).await.unwrap();
    assert_eq!(last[0].kind, "budget_roll_marked");
    let payloads: Vec<String> = sqlx::query("SELECT payload FROM events")
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String, _>("payload").unwrap())
        .collect();
    assert!(payloads.iter().all(|p| !p.contains(cast.receipt.as_str()) && !p.contains(cast.sealed.ballot.as_str())));
    let columns: Vec<String> = sqlx::query("SELECT * FROM budget_ballot_box")
        .fetch_all(store.pool())
        .await
        .unwrap()
        .first()
        .map(|r| sqlx::Row::columns(r).iter().map(|c| sqlx::Column::name(c).to_owned()).collect())
        .unwrap();
    assert_eq!(columns, ["ballot_id", "cycle_id", "receipt", "vote", "position"], "no voter, no time");
    let before = store.read(Clone::clone).await;
    store.close().await;
    let reopened = db.reopen().await;
    assert_eq!(reopened.read(Clone::clone).await, before);
    assert_eq!(reopened.read(|s| s.budgets().cycle(&cycle).unwrap().sealed.len()).await, 1);
    let again = reopened.cast_budget_ballot(&cycle, approve(&[&p[1]]), &people[1], now(), random()).await;
    assert!(matches!(again, Err(StoreError::Refused(Refusal::AlreadyVoted))));
}

async fn a_refused_budget_ballot_writes_nothing(db: &TestDb) {
    let store = &db.store;
    let (people, body, _) = assembly(store, 3).await;
    let (cycle, p) = cycle_in_vote(store, &people, &body).await;
    let head = store.log_head().await.unwrap();
    let over = store.cast_budget_ballot(&cycle, approve(&[&p[0], &p[1]]), &people[1], now(), random()).await;
    assert!(matches!(over, Err(StoreError::Refused(Refusal::BallotOverBudget { cost: 1000, budget: 700 }))));
    assert_eq!(store.log_head().await.unwrap(), head);
    assert_eq!(count(store, "SELECT COUNT(*) FROM budget_ballot_box WHERE cycle_id = $1", cycle.as_str()).await, 0);
}
