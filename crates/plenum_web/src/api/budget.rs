//! `GET /api/v1/budget-cycles`, `GET /api/v1/budget-cycles/{id}` (phases, districts, projects
//! with their review and implementation) and `GET /api/v1/budget-cycles/{id}/result` (each
//! pot's funded projects, votes, ties, and the explanation of every project).

use axum::Json;
use axum::extract::{Path, State as AppState};
use plenum_core::budget::count::explain;
use plenum_core::{BallotFormat, BudgetCycle, BudgetCycleId, BudgetRule, ImplementationStatus, Phase, Review, State};
use serde::Serialize;
use serde_json::{Value, json};

use super::openapi::{error_response, id_parameter, ok};
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
    /// Every amount of the cycle counts units of 10^-decimals of the currency.
    decimals: u32,
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
        decimals: c.decimals,
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

/// The paths this module serves, for the OpenAPI document.
#[must_use]
pub fn openapi_paths() -> Value {
    json!({
            "/budget-cycles": { "get": {
                "summary": "Every participatory-budgeting cycle",
                "operationId": "listBudgetCycles",
                "responses": { "200": ok("The cycles, oldest first", "BudgetCycleList") }
            }},
            "/budget-cycles/{id}": { "get": {
                "summary": "A budget cycle: phases, districts, ballot format, rule, and every project with its review, result and implementation",
                "operationId": "getBudgetCycle",
                "parameters": [id_parameter("The cycle's id")],
                "responses": { "200": ok("The cycle", "BudgetCycle"), "404": error_response("No such cycle") }
            }},
            "/budget-cycles/{id}/result": { "get": {
                "summary": "A counted cycle's result: each pot's funded projects, and why every project was or was not funded",
                "operationId": "getBudgetResult",
                "parameters": [id_parameter("The cycle's id")],
                "responses": { "200": ok("The result", "BudgetResult"), "404": error_response("No such cycle, or not counted yet") }
            }}
    })
}

/// The schemas of those paths.
#[must_use]
pub fn openapi_schemas() -> Value {
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "BudgetPhase".to_owned(),
        json!({ "type": "string", "enum": ["ideas", "development", "review", "vote", "results", "implementation"] }),
    );
    schemas.insert(
        "BudgetRule".to_owned(),
        json!({ "type": "string", "enum": ["equal_shares", "equal_shares_plain", "greedy", "phragmen", "max_welfare"] }),
    );
    schemas.insert("BudgetCycleSummary".to_owned(), json!({ "type": "object", "required": ["id", "body", "title", "phase", "currency", "total", "decimals", "url"], "properties": {
                    "id": { "type": "string", "format": "uuid" }, "body": { "type": "string", "format": "uuid" }, "title": { "type": "string" },
                    "phase": { "$ref": "#/components/schemas/BudgetPhase" }, "currency": { "type": "string" },
                    "total": { "type": "integer", "minimum": 0, "description": "Units of 10^-decimals of the currency, as every amount of the cycle" },
                    "decimals": { "type": "integer", "minimum": 0, "description": "0 for whole units; an imported file's decimal amounts keep theirs (2 for 216829.41)" },
                    "url": { "type": "string" }
                }}));
    schemas.insert("BudgetCycleList".to_owned(), json!({ "type": "object", "required": ["cycles"], "properties": { "cycles": { "type": "array", "items": { "$ref": "#/components/schemas/BudgetCycleSummary" } } } }));
    schemas.insert("BudgetCycle".to_owned(), json!({ "allOf": [{ "$ref": "#/components/schemas/BudgetCycleSummary" }, { "type": "object", "required": ["description", "city_wide_budget", "districts", "format", "rule", "schedule", "transitions", "roll_size", "voted", "imported", "projects"], "properties": {
                    "description": { "type": "string" }, "city_wide_budget": { "type": "integer" },
                    "districts": { "type": "array", "items": { "type": "object", "required": ["id", "name", "budget"], "properties": {
                        "id": { "type": "string" }, "name": { "type": "string" }, "budget": { "type": "integer" } } } },
                    "format": { "$ref": "#/components/schemas/BallotFormat" },
                    "rule": { "$ref": "#/components/schemas/BudgetRule" },
                    "schedule": { "type": "array", "items": { "type": "string", "format": "date-time" }, "description": "Planned start of each phase, in phase order" },
                    "transitions": { "type": "array", "items": { "type": "object", "required": ["phase", "at"], "properties": {
                        "phase": { "$ref": "#/components/schemas/BudgetPhase" }, "at": { "type": "string", "format": "date-time" } } } },
                    "roll_size": { "type": "integer" }, "voted": { "type": "integer" }, "imported": { "type": "boolean" },
                    "projects": { "type": "array", "items": { "$ref": "#/components/schemas/BudgetProject" } }
                }}]}));
    schemas.insert("BudgetResult".to_owned(), json!({ "type": "object", "required": ["cycle", "rule", "ballots", "counted_at", "pots"], "properties": {
                    "cycle": { "type": "string" }, "rule": { "$ref": "#/components/schemas/BudgetRule" }, "ballots": { "type": "integer" },
                    "counted_at": { "type": "string", "format": "date-time" },
                    "pots": { "type": "array", "items": { "type": "object", "required": ["district", "budget", "spent", "funded", "ties", "notes", "projects"], "properties": {
                        "district": { "type": ["string", "null"], "description": "Null for the city-wide pot" }, "budget": { "type": "integer" }, "spent": { "type": "integer" },
                        "funded": { "type": "array", "items": { "type": "string" }, "description": "Project ids in the order the rule chose them" },
                        "ties": { "type": "array", "items": { "type": "string" } }, "notes": { "type": "array", "items": { "type": "string" } },
                        "projects": { "type": "array", "items": { "type": "object", "required": ["project", "code", "funded", "votes", "why"], "properties": {
                            "project": { "type": "string" }, "code": { "type": "string" }, "funded": { "type": "boolean" }, "votes": { "type": "integer" },
                            "why": { "type": "string", "description": "The PB engine's explanation (English)" } } } } } } }
                }}));
    schemas.insert("BallotFormat".to_owned(), json!({ "type": "object", "required": ["format"], "description": "approval (min, max), knapsack, cumulative (points) or ranking (max)", "properties": {
                        "format": { "type": "string", "enum": ["approval", "knapsack", "cumulative", "ranking"] },
                        "min": { "type": "integer" }, "max": { "type": "integer" }, "points": { "type": "integer" } } }));
    schemas.insert("BudgetProject".to_owned(), json!({ "type": "object", "required": ["id", "code", "title", "description", "district", "estimate", "review", "final_cost", "reason", "funded", "progress"], "properties": {
                        "id": { "type": "string" }, "code": { "type": "string" }, "title": { "type": "string" }, "description": { "type": "string" },
                        "district": { "type": ["string", "null"] }, "estimate": { "type": "integer" },
                        "review": { "type": ["string", "null"], "enum": ["feasible", "not_feasible", null] },
                        "final_cost": { "type": ["integer", "null"] }, "reason": { "type": ["string", "null"] }, "funded": { "type": ["boolean", "null"] },
                        "progress": { "type": "array", "items": { "$ref": "#/components/schemas/BudgetProgress" } } } }));
    schemas.insert("BudgetProgress".to_owned(), json!({ "type": "object", "required": ["status", "spent", "note", "at"], "properties": {
                            "status": { "type": "string", "enum": ["planned", "in_progress", "completed", "cancelled"] }, "spent": { "type": "integer" },
                            "note": { "type": "string" }, "at": { "type": "string", "format": "date-time" } } }));
    Value::Object(schemas)
}
