//! `GET /api/v1/budget-cycles`, `GET /api/v1/budget-cycles/{id}` (phases, districts, projects
//! with their review and implementation) and `GET /api/v1/budget-cycles/{id}/result` (each
//! pot's funded projects, votes, ties, and the explanation of every project).

use axum::Json;
use axum::extract::{Path, State as AppState};
use plenum_core::budget::count::explain;
use plenum_core::{BallotFormat, BudgetCycle, BudgetCycleId, BudgetRule, ImplementationStatus, Phase, Review, State};
use serde::Serialize;

use crate::App;
use crate::error::WebError;

#[derive(Debug, Serialize)]
pub struct CycleSummary {
    id: String,
    body: String,
    title: String,
    phase: Phase,
    currency: String,
    total: u64,
    url: String,
}

#[derive(Debug, Serialize)]
pub struct CycleList {
    cycles: Vec<CycleSummary>,
}

#[derive(Debug, Serialize)]
pub struct DistrictJson {
    id: String,
    name: String,
    budget: u64,
}

#[derive(Debug, Serialize)]
pub struct TransitionJson {
    phase: Phase,
    at: String,
}

#[derive(Debug, Serialize)]
pub struct ProgressJson {
    status: ImplementationStatus,
    spent: u64,
    note: String,
    at: String,
}

#[derive(Debug, Serialize)]
pub struct ProjectJson {
    id: String,
    code: String,
    title: String,
    description: String,
    district: Option<String>,
    estimate: u64,
    /// `feasible`, `not_feasible`, or null while waiting for review.
    review: Option<&'static str>,
    final_cost: Option<u64>,
    reason: Option<String>,
    /// Null until the vote is counted.
    funded: Option<bool>,
    progress: Vec<ProgressJson>,
}

#[derive(Debug, Serialize)]
pub struct CycleDetail {
    #[serde(flatten)]
    summary: CycleSummary,
    description: String,
    city_wide_budget: u64,
    districts: Vec<DistrictJson>,
    format: BallotFormat,
    rule: BudgetRule,
    schedule: Vec<String>,
    transitions: Vec<TransitionJson>,
    roll_size: u64,
    voted: u64,
    imported: bool,
    projects: Vec<ProjectJson>,
}

#[derive(Debug, Serialize)]
pub struct ExplainedJson {
    project: String,
    code: String,
    funded: bool,
    votes: u64,
    why: String,
}

#[derive(Debug, Serialize)]
pub struct PotJson {
    district: Option<String>,
    budget: u64,
    spent: u64,
    funded: Vec<String>,
    ties: Vec<String>,
    notes: Vec<String>,
    projects: Vec<ExplainedJson>,
}

#[derive(Debug, Serialize)]
pub struct ResultJson {
    cycle: String,
    rule: BudgetRule,
    ballots: u64,
    counted_at: String,
    pots: Vec<PotJson>,
}

fn summary(c: &BudgetCycle) -> CycleSummary {
    CycleSummary {
        id: c.id.to_string(),
        body: c.body.to_string(),
        title: c.title.to_string(),
        phase: c.phase,
        currency: c.currency.to_string(),
        total: c.total.0,
        url: format!("/budget-cycles/{}", c.id),
    }
}

fn detail(s: &State, c: &BudgetCycle) -> CycleDetail {
    let funded = |p| c.counted.as_ref().map(|k| k.result.is_funded(p));
    CycleDetail {
        summary: summary(c),
        description: c.description.to_string(),
        city_wide_budget: c.city_wide_budget().0,
        districts: c
            .districts
            .iter()
            .map(|d| DistrictJson { id: d.id.to_string(), name: d.name.to_string(), budget: d.budget.0 })
            .collect(),
        format: c.format,
        rule: c.rule,
        schedule: c.schedule.iter().map(ToString::to_string).collect(),
        transitions: c.transitions.iter().map(|t| TransitionJson { phase: t.to, at: t.at.to_string() }).collect(),
        roll_size: c.roll.len() as u64,
        voted: c.voted.len() as u64,
        imported: c.imported,
        projects: s
            .budgets()
            .projects_of(c)
            .map(|p| ProjectJson {
                id: p.id.to_string(),
                code: p.code.clone(),
                title: p.title.to_string(),
                description: p.description.to_string(),
                district: p.district.as_ref().map(ToString::to_string),
                estimate: p.estimate.0,
                review: p.review.as_ref().map(|r| match r {
                    Review::Feasible { .. } => "feasible",
                    Review::NotFeasible { .. } => "not_feasible",
                }),
                final_cost: p.final_cost().map(|a| a.0),
                reason: match &p.review {
                    Some(Review::NotFeasible { reason }) => Some(reason.to_string()),
                    _ => None,
                },
                funded: funded(&p.id),
                progress: p
                    .progress
                    .iter()
                    .map(|u| ProgressJson { status: u.status, spent: u.spent.0, note: u.note.to_string(), at: u.at.to_string() })
                    .collect(),
            })
            .collect(),
    }
}

fn cycle_id(id: &str) -> Result<BudgetCycleId, WebError> {
    BudgetCycleId::parse(id).map_err(|_| WebError::not_found())
}

pub async fn list(AppState(app): AppState<App>) -> Json<CycleList> {
    Json(app.store.read(|s| CycleList { cycles: s.budgets().cycles().map(summary).collect() }).await)
}

pub async fn one(AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Json<CycleDetail>, WebError> {
    let id = cycle_id(&id)?;
    app.store.read(|s| s.budgets().cycle(&id).map(|c| detail(s, c))).await.map(Json).ok_or_else(WebError::not_found)
}

/// The counted result. 404 until the vote is counted.
pub async fn result(AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Json<ResultJson>, WebError> {
    let id = cycle_id(&id)?;
    app.store
        .read(|s| {
            let c = s.budgets().cycle(&id)?;
            let counted = c.counted.as_ref()?;
            let explained = explain(c, s.budgets(), c.rule).ok()?;
            let code = |p: &plenum_core::BudgetProjectId| s.budgets().project(p).map(|x| x.code.clone()).unwrap_or_default();
            let pots = counted
                .result
                .pots
                .iter()
                .zip(explained)
                .map(|(pot, why)| PotJson {
                    district: pot.district.as_ref().map(ToString::to_string),
                    budget: pot.budget.0,
                    spent: pot.spent.0,
                    funded: pot.funded.iter().map(ToString::to_string).collect(),
                    ties: pot.ties.clone(),
                    notes: pot.notes.clone(),
                    projects: why
                        .projects
                        .into_iter()
                        .map(|p| ExplainedJson {
                            code: code(&p.project),
                            project: p.project.to_string(),
                            funded: p.funded,
                            votes: p.votes,
                            why: p.why,
                        })
                        .collect(),
                })
                .collect();
            Some(ResultJson {
                cycle: c.id.to_string(),
                rule: counted.result.rule,
                ballots: counted.result.ballots,
                counted_at: counted.at.to_string(),
                pots,
            })
        })
        .await
        .map(Json)
        .ok_or_else(WebError::not_found)
}
