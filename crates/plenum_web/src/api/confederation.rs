//! The confederation's JSON: `GET /api/v1/bodies/{id}/delegates`, `/councils/{id}`,
//! `/ratifications/{id}` and `/recalls/{id}`, with their OpenAPI entries.

use axum::Json;
use axum::extract::{Path, State as AppState};
use plenum_core::{AccountId, BodyId, Choice, RatificationId, RecallId, RecallStage, Seat, State};
use serde::Serialize;
use serde_json::{Value, json};

use super::openapi::{error_response, id_parameter, ok};
use crate::App;
use crate::error::WebError;

#[derive(Debug, Serialize)]
pub struct BodyRef {
    pub id: String,
    pub slug: String,
    pub name: String,
}

pub fn body_ref(s: &State, id: &BodyId) -> BodyRef {
    s.body(id).map_or_else(
        || BodyRef { id: id.to_string(), slug: String::new(), name: "?".to_owned() },
        |b| BodyRef { id: b.id.to_string(), slug: b.slug.to_string(), name: b.name.to_string() },
    )
}

/// One vote a delegate cast in the council, beside the constituent's mandate.
#[derive(Debug, Serialize)]
pub struct RecordRow {
    pub motion: String,
    pub title: String,
    pub poll: String,
    pub mandate: Option<Choice>,
    pub vote: Choice,
    pub against_mandate: bool,
}

/// A delegate's votes in the council's open polls on motions, each beside the mandate their
/// constituent gave on it (if any).
pub fn voting_record(s: &State, council: &BodyId, constituent: &BodyId, delegate: &AccountId) -> Vec<RecordRow> {
    s.motions_of(council)
        .flat_map(|m| s.polls_on(&m.id).filter(|p| p.amendment.is_none()).map(move |p| (m, p)))
        .filter_map(|(m, p)| {
            let vote = *p.votes.get(delegate)?;
            let mandate = s.mandate(&m.id, constituent).and_then(|x| x.decided).flatten();
            Some(RecordRow {
                motion: m.id.to_string(),
                title: m.title.to_string(),
                poll: p.id.to_string(),
                mandate,
                vote,
                against_mandate: mandate.is_some_and(|x| x != vote),
            })
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct DelegateWire {
    pub account: String,
    pub display_name: String,
    pub round: u32,
    pub seated_by: Value,
    pub since: String,
    pub term_ends: String,
    pub ended_at: Option<String>,
    pub ended_reason: Option<Value>,
    pub record: Vec<RecordRow>,
}

#[derive(Debug, Serialize)]
pub struct DelegationWire {
    pub council: BodyRef,
    pub constituent: BodyRef,
    pub seats: u32,
    pub selection: &'static str,
    pub max_consecutive_terms: u32,
    pub round: u32,
    pub current: Vec<DelegateWire>,
    pub past: Vec<DelegateWire>,
}

fn delegate_wire(s: &State, council: &BodyId, constituent: &BodyId, seat: &Seat) -> DelegateWire {
    DelegateWire {
        account: seat.delegate.to_string(),
        display_name: crate::pages::name_of(s, &seat.delegate),
        round: seat.round,
        seated_by: serde_json::to_value(&seat.seated_by).unwrap_or(Value::Null),
        since: seat.since.to_string(),
        term_ends: seat.term_ends.to_string(),
        ended_at: seat.ended.map(|(at, _)| at.to_string()),
        ended_reason: seat.ended.map(|(_, why)| serde_json::to_value(why).unwrap_or(Value::Null)),
        record: voting_record(s, council, constituent, &seat.delegate),
    }
}

/// Every delegation a body is part of: a council's constituents', or an assembly's (or lower
/// council's) to the councils above it.
pub fn delegations(s: &State, body: &BodyId) -> Vec<DelegationWire> {
    let pairs: Vec<(BodyId, BodyId)> = match s.council(body) {
        Some(c) => c.constituents.iter().map(|k| (body.clone(), k.body.clone())).collect(),
        None => Vec::new(),
    }
    .into_iter()
    .chain(s.councils_of(body).map(|c| (c.id.clone(), body.clone())))
    .collect();
    pairs
        .into_iter()
        .filter_map(|(council, constituent)| {
            let c = s.council(&council)?;
            let k = c.constituent(&constituent)?;
            let d = s.delegation(&council, &constituent);
            let seats: Vec<&Seat> = d.map(|d| d.seats.iter().collect()).unwrap_or_default();
            Some(DelegationWire {
                council: body_ref(s, &council),
                constituent: body_ref(s, &constituent),
                seats: k.seats,
                selection: k.rules.selection.name(),
                max_consecutive_terms: k.rules.max_consecutive_terms,
                round: d.map_or(0, |d| d.round),
                current: seats
                    .iter()
                    .filter(|x| x.ended.is_none())
                    .map(|x| delegate_wire(s, &council, &constituent, x))
                    .collect(),
                past: seats.iter().filter(|x| x.ended.is_some()).map(|x| delegate_wire(s, &council, &constituent, x)).collect(),
            })
        })
        .collect()
}

pub async fn delegates(AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Json<Value>, WebError> {
    let id = BodyId::parse(&id).map_err(|_| WebError::not_found())?;
    app.store
        .read(|s| {
            s.body(&id)?;
            Some(json!({ "body": body_ref(s, &id), "is_council": s.council(&id).is_some(), "delegations": delegations(s, &id) }))
        })
        .await
        .map(Json)
        .ok_or_else(WebError::not_found)
}

pub fn ratification_json(s: &State, id: &RatificationId) -> Option<Value> {
    let r = s.ratification(id)?;
    let status = match &r.outcome {
        None => "open",
        Some(o) if o.ratified => "ratified",
        Some(_) => "not_ratified",
    };
    let results: Vec<Value> = r
        .outcome
        .iter()
        .flat_map(|o| o.results.iter())
        .map(|x| {
            json!({
                "body": body_ref(s, &x.body), "parent": body_ref(s, &x.parent), "decision": x.decision,
                "counted_as": x.counted_as, "yes": x.yes, "no": x.no, "members": x.members,
            })
        })
        .collect();
    let polls: Vec<Value> = r
        .nodes
        .iter()
        .filter_map(|n| n.poll.as_ref().map(|p| json!({ "body": body_ref(s, &n.body), "poll": p.to_string() })))
        .collect();
    Some(json!({
        "id": r.id.to_string(), "council": body_ref(s, &r.council), "subject": r.subject, "title": r.title.to_string(),
        "opened_at": r.opened_at.to_string(), "closes_at": r.closes_at.to_string(), "status": status,
        "rule": s.council(&r.council).map(|c| c.ratification), "results": results, "polls": polls,
    }))
}

pub async fn ratification(AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Json<Value>, WebError> {
    let id = RatificationId::parse(&id).map_err(|_| WebError::not_found())?;
    app.store.read(|s| ratification_json(s, &id)).await.map(Json).ok_or_else(WebError::not_found)
}

/// How many signatures the share needs of `members`, exactly: the least `n` with n·q ≥ p·members.
pub fn signatures_needed(share: plenum_core::Fraction, members: u64) -> u64 {
    let text = share.to_string();
    let Some((p, q)) = text.split_once('/').and_then(|(p, q)| Some((p.parse::<u128>().ok()?, q.parse::<u128>().ok()?))) else {
        return members;
    };
    let need = (p * u128::from(members)).div_ceil(q.max(1));
    u64::try_from(need).unwrap_or(u64::MAX)
}

pub fn recall_json(s: &State, id: &RecallId) -> Option<Value> {
    let r = s.recall(id)?;
    let members = s.body(&r.constituent).map_or(0, |b| b.current_members().count() as u64);
    let (stage, poll) = match &r.stage {
        RecallStage::Gathering => ("gathering", None),
        RecallStage::Polling { poll } => ("polling", Some(poll.to_string())),
        RecallStage::Recalled { poll } => ("recalled", Some(poll.to_string())),
        RecallStage::Kept { poll } => ("kept", Some(poll.to_string())),
    };
    Some(json!({
        "id": r.id.to_string(), "council": body_ref(s, &r.council), "constituent": body_ref(s, &r.constituent),
        "delegate": { "id": r.delegate.to_string(), "display_name": crate::pages::name_of(s, &r.delegate) },
        "reason": r.reason.as_ref().map(ToString::to_string), "share": r.share.to_string(),
        "started_by": r.started_by.as_ref().map(ToString::to_string), "automatic": r.started_by.is_none(),
        "started_at": r.started_at.to_string(), "closes_at": r.closes_at.to_string(),
        "signatures": r.signers.len(), "counting": r.counting(s), "members": members,
        "needed": signatures_needed(r.share, members), "stage": stage, "poll": poll,
    }))
}

pub async fn recall(AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Json<Value>, WebError> {
    let id = RecallId::parse(&id).map_err(|_| WebError::not_found())?;
    app.store.read(|s| recall_json(s, &id)).await.map(Json).ok_or_else(WebError::not_found)
}

pub fn council_json(s: &State, id: &BodyId) -> Option<Value> {
    let c = s.council(id)?;
    let constituents: Vec<Value> = c
        .constituents
        .iter()
        .map(|k| json!({ "body": body_ref(s, &k.body), "seats": k.seats, "represented": k.represented, "rules": k.rules }))
        .collect();
    let ratifications: Vec<Value> =
        s.ratifications().filter(|r| &r.council == id).filter_map(|r| ratification_json(s, &r.id)).collect();
    let recalls: Vec<Value> = s.recalls().filter(|r| &r.council == id).filter_map(|r| recall_json(s, &r.id)).collect();
    let disputes: Vec<Value> = s
        .disputes()
        .filter(|d| &d.council == id)
        .map(|d| {
            json!({
                "id": d.id.to_string(), "title": d.title.to_string(), "claimant": body_ref(s, &d.claimant),
                "respondent": body_ref(s, &d.respondent), "claim": d.claim.to_string(),
                "response": d.response.as_ref().map(ToString::to_string), "hearing": d.hearing.as_ref().map(ToString::to_string),
                "decision": d.decision.as_ref().map(|(x, _)| x.to_string()), "reasons": d.decision.as_ref().map(|(_, y)| y.to_string()),
                "stage": d.stage, "brought_at": d.brought_at.to_string(),
            })
        })
        .collect();
    let tasks: Vec<Value> = s
        .tasks_of(id)
        .map(|t| {
            json!({
                "id": t.id.to_string(), "title": t.title.to_string(), "responsible": crate::pages::name_of(s, &t.responsible),
                "due": t.due.to_string(), "status": t.status,
                "updates": t.updates.iter().map(|u| json!({ "status": u.status, "note": u.note.to_string(), "by": crate::pages::name_of(s, &u.by), "at": u.at.to_string() })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let deviations: Vec<Value> = s
        .deviations()
        .iter()
        .filter(|d| &d.council == id)
        .map(|d| {
            json!({ "delegate": crate::pages::name_of(s, &d.delegate), "constituent": body_ref(s, &d.constituent),
                    "motion": d.council_motion.to_string(), "mandate": d.mandate, "vote": d.vote, "at": d.at.to_string() })
        })
        .collect();
    let reports: Vec<Value> = s
        .reports()
        .iter()
        .filter(|r| &r.council == id)
        .map(|r| json!({ "delegate": crate::pages::name_of(s, &r.delegate), "constituent": body_ref(s, &r.constituent), "meeting": r.meeting.to_string(), "text": r.text.to_string(), "at": r.at.to_string() }))
        .collect();
    Some(json!({
        "body": body_ref(s, id), "seat_rule": c.seat_rule, "ratification_rule": c.ratification, "constituents": constituents,
        "ratifications": ratifications, "recalls": recalls, "disputes": disputes, "tasks": tasks,
        "deviations": deviations, "reports": reports,
    }))
}

pub async fn council(AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Json<Value>, WebError> {
    let id = BodyId::parse(&id).map_err(|_| WebError::not_found())?;
    app.store.read(|s| council_json(s, &id)).await.map(Json).ok_or_else(WebError::not_found)
}

/// The paths this module serves, for the OpenAPI document.
#[must_use]
pub fn openapi_paths() -> Value {
    let get = |summary: &str, op: &str, param: &str, schema: &str, missing: &str| {
        json!({ "get": {
            "summary": summary, "operationId": op,
            "parameters": [id_parameter(param)],
            "responses": { "200": ok(summary, schema), "404": error_response(missing) }
        }})
    };
    let paths = [
        (
            "/bodies/{id}/delegates",
            get(
                "A body's delegations: a council's seats by constituent, or a body's delegates to the councils above it, each delegate with term and voting record against mandates",
                "getDelegates",
                "The body's id",
                "Delegates",
                "No such body",
            ),
        ),
        (
            "/councils/{id}",
            get(
                "A council: constituents and seats, ratifications, recall petitions, disputes, tasks, votes against mandates and delegates' reports",
                "getCouncil",
                "The council's id",
                "Council",
                "No such council",
            ),
        ),
        (
            "/ratifications/{id}",
            get(
                "A ratification with every constituent's result",
                "getRatification",
                "The ratification's id",
                "Ratification",
                "No such ratification",
            ),
        ),
        (
            "/recalls/{id}",
            get(
                "A recall petition: signatures, the exact number needed, its poll",
                "getRecall",
                "The petition's id",
                "Recall",
                "No such petition",
            ),
        ),
    ];
    Value::Object(paths.into_iter().map(|(path, item)| (path.to_owned(), item)).collect())
}

/// The schemas of those paths.
#[must_use]
pub fn openapi_schemas() -> Value {
    let body_ref = json!({ "type": "object", "required": ["id", "slug", "name"], "properties": { "id": { "type": "string" }, "slug": { "type": "string" }, "name": { "type": "string" } } });
    let choice = json!({ "$ref": "#/components/schemas/Choice" });
    let schemas = [
        ("BodyRef", body_ref),
        (
            "Delegate",
            json!({ "type": "object", "required": ["account", "display_name", "round", "seated_by", "since", "term_ends", "ended_at", "ended_reason", "record"], "properties": {
                "account": { "type": "string" }, "display_name": { "type": "string" }, "round": { "type": "integer" },
                "seated_by": { "type": "object", "description": "How the seat was filled: election, sortition (with its draw), next_in_count, redraw" },
                "since": { "type": "string", "format": "date-time" }, "term_ends": { "type": "string", "format": "date-time" },
                "ended_at": { "type": ["string", "null"], "format": "date-time" }, "ended_reason": { "type": ["string", "null"], "enum": ["next_round", "recalled", "term_ended", null] },
                "record": { "type": "array", "items": { "type": "object", "required": ["motion", "title", "poll", "mandate", "vote", "against_mandate"], "properties": {
                    "motion": { "type": "string" }, "title": { "type": "string" }, "poll": { "type": "string" },
                    "mandate": { "oneOf": [choice.clone(), { "type": "null" }] }, "vote": choice.clone(), "against_mandate": { "type": "boolean" } } } }
            }}),
        ),
        (
            "Delegates",
            json!({ "type": "object", "required": ["body", "is_council", "delegations"], "properties": {
                "body": { "$ref": "#/components/schemas/BodyRef" }, "is_council": { "type": "boolean" },
                "delegations": { "type": "array", "items": { "type": "object", "required": ["council", "constituent", "seats", "selection", "max_consecutive_terms", "round", "current", "past"], "properties": {
                    "council": { "$ref": "#/components/schemas/BodyRef" }, "constituent": { "$ref": "#/components/schemas/BodyRef" },
                    "seats": { "type": "integer" }, "selection": { "type": "string", "enum": ["election", "sortition"] },
                    "max_consecutive_terms": { "type": "integer" }, "round": { "type": "integer" },
                    "current": { "type": "array", "items": { "$ref": "#/components/schemas/Delegate" } },
                    "past": { "type": "array", "items": { "$ref": "#/components/schemas/Delegate" } } } } }
            }}),
        ),
        (
            "Ratification",
            json!({ "type": "object", "required": ["id", "council", "subject", "title", "opened_at", "closes_at", "status", "rule", "results", "polls"], "properties": {
                "id": { "type": "string" }, "council": { "$ref": "#/components/schemas/BodyRef" }, "subject": { "type": "object" },
                "title": { "type": "string" }, "opened_at": { "type": "string", "format": "date-time" }, "closes_at": { "type": "string", "format": "date-time" },
                "status": { "type": "string", "enum": ["open", "ratified", "not_ratified"] },
                "rule": { "type": ["object", "null"], "properties": { "combine": { "type": "string", "enum": ["majority_of_constituents", "double_majority", "membership_weighted", "unanimity"] }, "non_decider": { "type": "string", "enum": ["yes", "no", "abstains"] } } },
                "results": { "type": "array", "items": { "type": "object", "required": ["body", "parent", "decision", "counted_as", "yes", "no", "members"], "properties": {
                    "body": { "$ref": "#/components/schemas/BodyRef" }, "parent": { "$ref": "#/components/schemas/BodyRef" },
                    "decision": { "type": "string", "enum": ["yes", "no", "undecided"] }, "counted_as": { "type": ["boolean", "null"] },
                    "yes": { "type": "integer" }, "no": { "type": "integer" }, "members": { "type": "integer" } } } },
                "polls": { "type": "array", "items": { "type": "object", "required": ["body", "poll"], "properties": { "body": { "$ref": "#/components/schemas/BodyRef" }, "poll": { "type": "string" } } } }
            }}),
        ),
        (
            "Recall",
            json!({ "type": "object", "required": ["id", "council", "constituent", "delegate", "reason", "share", "started_by", "automatic", "started_at", "closes_at", "signatures", "counting", "members", "needed", "stage", "poll"], "properties": {
                "id": { "type": "string" }, "council": { "$ref": "#/components/schemas/BodyRef" }, "constituent": { "$ref": "#/components/schemas/BodyRef" },
                "delegate": { "type": "object", "required": ["id", "display_name"], "properties": { "id": { "type": "string" }, "display_name": { "type": "string" } } },
                "reason": { "type": ["string", "null"] }, "share": { "type": "string", "description": "p/q of the constituent's members" },
                "started_by": { "type": ["string", "null"] }, "automatic": { "type": "boolean", "description": "Opened by the charter on a vote against the mandate" },
                "started_at": { "type": "string", "format": "date-time" }, "closes_at": { "type": "string", "format": "date-time" },
                "signatures": { "type": "integer" }, "counting": { "type": "integer", "description": "Signers who are still members" },
                "members": { "type": "integer" }, "needed": { "type": "integer", "description": "The least n with n·q ≥ p·members" },
                "stage": { "type": "string", "enum": ["gathering", "polling", "recalled", "kept"] }, "poll": { "type": ["string", "null"] }
            }}),
        ),
        (
            "Council",
            json!({ "type": "object", "required": ["body", "seat_rule", "ratification_rule", "constituents", "ratifications", "recalls", "disputes", "tasks", "deviations", "reports"], "properties": {
                "body": { "$ref": "#/components/schemas/BodyRef" }, "seat_rule": { "type": "object" }, "ratification_rule": { "type": "object" },
                "constituents": { "type": "array", "items": { "type": "object" } },
                "ratifications": { "type": "array", "items": { "$ref": "#/components/schemas/Ratification" } },
                "recalls": { "type": "array", "items": { "$ref": "#/components/schemas/Recall" } },
                "disputes": { "type": "array", "items": { "type": "object" } }, "tasks": { "type": "array", "items": { "type": "object" } },
                "deviations": { "type": "array", "items": { "type": "object" } }, "reports": { "type": "array", "items": { "type": "object" } }
            }}),
        ),
    ];
    Value::Object(schemas.into_iter().map(|(name, schema)| (name.to_owned(), schema)).collect())
}
