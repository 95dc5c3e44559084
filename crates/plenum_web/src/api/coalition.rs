//! `GET /api/v1/organisations`, `/organisations/{id}`, `/coalitions/{id}/platform` (also the
//! platform's JSON export), `/coalitions/{id}/programme` and `/candidates` (the pledge
//! tracker), with their wire types and their part of the OpenAPI document.

use axum::Json;
use axum::extract::{Path, State as AppState};
use plenum_core::{Candidate, CoalitionRule, Organisation, OrganisationId, Position, State};
use serde::Serialize;
use serde_json::{Value, json};

use super::openapi::{error_response, id_parameter, ok};
use crate::App;
use crate::error::WebError;

#[derive(Debug, Serialize)]
pub struct OrganisationSummary {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub is_coalition: bool,
    pub url: String,
}

impl From<&Organisation> for OrganisationSummary {
    fn from(o: &Organisation) -> OrganisationSummary {
        OrganisationSummary {
            id: o.id.to_string(),
            name: o.name.to_string(),
            kind: o.kind.to_string(),
            is_coalition: o.coalition.is_some(),
            url: if o.coalition.is_some() { format!("/coalitions/{}", o.id) } else { format!("/organisations/{}", o.id) },
        }
    }
}

#[derive(Debug, Serialize)]
pub struct CharterView {
    /// `consensus` or `supermajority`.
    pub rule: &'static str,
    /// The supermajority's share, `p/q`.
    pub share: Option<String>,
    pub maximum_share: String,
    pub individuals_may_join: bool,
}

#[derive(Debug, Serialize)]
pub struct OrganisationDetail {
    #[serde(flatten)]
    pub summary: OrganisationSummary,
    pub description: String,
    pub contact: String,
    pub representatives: Vec<String>,
    /// The coalitions it is a member of.
    pub member_of: Vec<OrganisationSummary>,
    /// For a coalition: its charter and member organisations.
    pub charter: Option<CharterView>,
    pub members: Vec<OrganisationSummary>,
}

#[derive(Debug, Serialize)]
pub struct PositionExport {
    pub organisation: String,
    /// `endorse`, `endorse_with_reservations`, `stand_aside` or `block`.
    pub stance: &'static str,
    /// The reservation or the reasons.
    pub note: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PlankExport {
    pub id: String,
    pub title: String,
    pub category: String,
    pub text: String,
    pub version: u32,
    /// `adopted` (its current version) or `proposed`.
    pub status: &'static str,
    pub endorsements: u64,
    pub blocks: u64,
    pub in_minimum: bool,
    pub in_maximum: bool,
    /// Positions on the current version, by member.
    pub positions: Vec<PositionExport>,
}

#[derive(Debug, Serialize)]
pub struct PlatformExport {
    pub coalition: OrganisationSummary,
    pub charter: CharterView,
    pub members: Vec<MemberExport>,
    /// Endorsements a plank needs for the maximum programme.
    pub maximum_needs: u64,
    pub maximum_share: String,
    pub planks: Vec<PlankExport>,
}

#[derive(Debug, Serialize)]
pub struct MemberExport {
    pub id: String,
    pub name: String,
}

fn charter_view(charter: &plenum_core::CoalitionCharter) -> CharterView {
    let (rule, share) = match charter.rule {
        CoalitionRule::Consensus => ("consensus", None),
        CoalitionRule::Supermajority { share } => ("supermajority", Some(share.to_string())),
    };
    CharterView {
        rule,
        share,
        maximum_share: charter.maximum_share.to_string(),
        individuals_may_join: charter.individuals_may_join,
    }
}

fn position_export(s: &State, member: &OrganisationId, p: &Position) -> PositionExport {
    PositionExport {
        organisation: s.organisation(member).map_or_else(|| member.to_string(), |o| o.name.to_string()),
        stance: p.name(),
        note: p.text().map(ToString::to_string),
    }
}

/// The platform of a coalition with the programmes, as exported and served by the API.
#[must_use]
pub fn platform_export(s: &State, id: &OrganisationId) -> Option<PlatformExport> {
    let o = s.organisation(id)?;
    let c = o.coalition.as_ref()?;
    let programme = s.programme(c);
    let planks = programme
        .rows
        .iter()
        .filter_map(|row| {
            let current = s.plank(&row.plank)?.current()?;
            let entry = c.entry(&row.plank)?;
            Some(PlankExport {
                id: row.plank.to_string(),
                title: current.title.to_string(),
                category: current.category.to_string(),
                text: current.text.to_string(),
                version: row.version,
                status: if row.adopted { "adopted" } else { "proposed" },
                endorsements: row.count.endorsements(),
                blocks: row.count.block,
                in_minimum: row.in_minimum,
                in_maximum: row.in_maximum,
                positions: c
                    .members
                    .keys()
                    .filter_map(|m| entry.position_on(m, row.version).map(|p| position_export(s, m, p)))
                    .collect(),
            })
        })
        .collect();
    Some(PlatformExport {
        coalition: o.into(),
        charter: charter_view(&c.charter),
        members: c
            .members
            .keys()
            .map(|m| MemberExport { id: m.to_string(), name: s.organisation(m).map(|o| o.name.to_string()).unwrap_or_default() })
            .collect(),
        maximum_needs: programme.maximum_needs,
        maximum_share: c.charter.maximum_share.to_string(),
        planks,
    })
}

pub async fn list(AppState(app): AppState<App>) -> Json<Value> {
    let organisations: Vec<OrganisationSummary> = app.store.read(|s| s.organisations().map(Into::into).collect()).await;
    Json(json!({ "organisations": organisations }))
}

pub async fn one(AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Json<OrganisationDetail>, WebError> {
    let id = OrganisationId::parse(&id).map_err(|_| WebError::not_found())?;
    app.store
        .read(|s| {
            let o = s.organisation(&id)?;
            Some(OrganisationDetail {
                summary: o.into(),
                description: o.description.to_string(),
                contact: o.contact.to_string(),
                representatives: o
                    .representatives
                    .iter()
                    .map(|r| s.resident(r).map_or_else(|| r.to_string(), |r| r.display_name.to_string()))
                    .collect(),
                member_of: s.coalitions_of(&id).map(Into::into).collect(),
                charter: o.coalition.as_ref().map(|c| charter_view(&c.charter)),
                members: o
                    .coalition
                    .iter()
                    .flat_map(|c| c.members.keys())
                    .filter_map(|m| s.organisation(m).map(Into::into))
                    .collect(),
            })
        })
        .await
        .map(Json)
        .ok_or_else(WebError::not_found)
}

pub async fn platform(AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Json<PlatformExport>, WebError> {
    let id = OrganisationId::parse(&id).map_err(|_| WebError::not_found())?;
    app.store.read(|s| platform_export(s, &id)).await.map(Json).ok_or_else(WebError::not_found)
}

#[derive(Debug, Serialize)]
pub struct Programme {
    pub coalition: String,
    pub maximum_needs: u64,
    /// Plank ids.
    pub minimum: Vec<String>,
    pub maximum: Vec<String>,
}

pub async fn programme(AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Json<Programme>, WebError> {
    let id = OrganisationId::parse(&id).map_err(|_| WebError::not_found())?;
    app.store
        .read(|s| {
            let p = s.programme(s.coalition(&id)?);
            Some(Programme {
                coalition: id.to_string(),
                maximum_needs: p.maximum_needs,
                minimum: p.minimum().map(|r| r.plank.to_string()).collect(),
                maximum: p.maximum().map(|r| r.plank.to_string()).collect(),
            })
        })
        .await
        .map(Json)
        .ok_or_else(WebError::not_found)
}

#[derive(Debug, Serialize)]
pub struct PledgeView {
    pub coalition: String,
    pub plank: String,
    pub plank_title: String,
    pub signature: String,
    pub signed_at: String,
    pub withdrawn_at: Option<String>,
    pub withdrawal_reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct OfficialVoteView {
    pub plank: String,
    pub question: String,
    /// `with_the_pledge`, `against_the_pledge`, `abstained` or `absent`.
    pub vote: &'static str,
    pub held_at: String,
}

#[derive(Debug, Serialize)]
pub struct CandidateView {
    pub id: String,
    pub name: String,
    pub office: String,
    pub statement: Option<String>,
    pub elected_at: Option<String>,
    pub pledges: Vec<PledgeView>,
    pub votes: Vec<OfficialVoteView>,
}

#[must_use]
pub fn candidate_view(s: &State, c: &Candidate) -> CandidateView {
    let title = |p: &plenum_core::PlankId| s.plank(p).and_then(|p| p.current()).map(|v| v.title.to_string()).unwrap_or_default();
    CandidateView {
        id: c.id.to_string(),
        name: c.name.to_string(),
        office: c.office.to_string(),
        statement: c.statement.as_ref().map(ToString::to_string),
        elected_at: c.elected_at.map(|a| a.to_string()),
        pledges: c
            .pledges
            .values()
            .map(|p| PledgeView {
                coalition: p.coalition.to_string(),
                plank: p.plank.to_string(),
                plank_title: title(&p.plank),
                signature: p.signature.to_string(),
                signed_at: p.signed_at.to_string(),
                withdrawn_at: p.withdrawn.as_ref().map(|w| w.at.to_string()),
                withdrawal_reason: p.withdrawn.as_ref().and_then(|w| w.reason.as_ref()).map(ToString::to_string),
            })
            .collect(),
        votes: c
            .votes
            .iter()
            .map(|v| OfficialVoteView {
                plank: v.plank.to_string(),
                question: v.question.to_string(),
                vote: v.vote.name(),
                held_at: v.held_at.to_string(),
            })
            .collect(),
    }
}

pub async fn candidates(AppState(app): AppState<App>) -> Json<Value> {
    let candidates: Vec<CandidateView> = app.store.read(|s| s.candidates().map(|c| candidate_view(s, c)).collect()).await;
    Json(json!({ "candidates": candidates }))
}

/// The paths this module serves, for the OpenAPI document.
#[must_use]
pub fn openapi_paths() -> Value {
    json!({
        "/organisations": { "get": {
            "summary": "Every organisation, coalitions included",
            "operationId": "listOrganisations",
            "responses": { "200": ok("The organisations, oldest first", "OrganisationList") }
        }},
        "/organisations/{id}": { "get": {
            "summary": "One organisation: its representatives, the coalitions it belongs to, and for a coalition its charter and members",
            "operationId": "getOrganisation",
            "parameters": [id_parameter("The organisation's id")],
            "responses": { "200": ok("The organisation", "OrganisationDetail"), "404": error_response("No such organisation") }
        }},
        "/coalitions/{id}/platform": { "get": {
            "summary": "A coalition's platform: every plank's current text, status, positions and place in the programmes",
            "operationId": "getPlatform",
            "parameters": [id_parameter("The coalition's id")],
            "responses": { "200": ok("The platform", "Platform"), "404": error_response("No such coalition") }
        }},
        "/coalitions/{id}/programme": { "get": {
            "summary": "The minimum programme (planks every member endorses) and the maximum one (endorsed by at least the charter's share)",
            "operationId": "getProgramme",
            "parameters": [id_parameter("The coalition's id")],
            "responses": { "200": ok("The programmes", "Programme"), "404": error_response("No such coalition") }
        }},
        "/candidates": { "get": {
            "summary": "The pledge tracker: every candidate with their pledges (withdrawals shown) and recorded votes",
            "operationId": "listCandidates",
            "responses": { "200": ok("The candidates", "CandidateList") }
        }}
    })
}

/// The schemas this module's paths use, for the OpenAPI document.
#[must_use]
pub fn openapi_schemas() -> Value {
    let string = json!({ "type": "string" });
    let nullable = json!({ "type": ["string", "null"] });
    let mut schemas = serde_json::Map::new();
    schemas.insert("OrganisationSummary".to_owned(), json!({ "type": "object", "required": ["id", "name", "kind", "is_coalition", "url"], "properties": {
            "id": { "type": "string", "format": "uuid" }, "name": string, "kind": string, "is_coalition": { "type": "boolean" }, "url": string
        }}));
    schemas.insert(
        "OrganisationList".to_owned(),
        json!({ "type": "object", "required": ["organisations"], "properties": {
            "organisations": { "type": "array", "items": { "$ref": "#/components/schemas/OrganisationSummary" } } } }),
    );
    schemas.insert(
        "CoalitionCharter".to_owned(),
        json!({ "type": "object", "required": ["rule", "share", "maximum_share", "individuals_may_join"], "properties": {
            "rule": { "type": "string", "enum": ["consensus", "supermajority"] }, "share": nullable,
            "maximum_share": { "type": "string", "description": "p/q" }, "individuals_may_join": { "type": "boolean" }
        }}),
    );
    schemas.insert(
        "OrganisationDetail".to_owned(),
        json!({ "allOf": [{ "$ref": "#/components/schemas/OrganisationSummary" }, { "type": "object",
            "required": ["description", "contact", "representatives", "member_of", "charter", "members"], "properties": {
            "description": string, "contact": string, "representatives": { "type": "array", "items": string },
            "member_of": { "type": "array", "items": { "$ref": "#/components/schemas/OrganisationSummary" } },
            "charter": { "oneOf": [{ "$ref": "#/components/schemas/CoalitionCharter" }, { "type": "null" }] },
            "members": { "type": "array", "items": { "$ref": "#/components/schemas/OrganisationSummary" } }
        }}]}),
    );
    schemas.insert(
        "Stance".to_owned(),
        json!({ "type": "string", "enum": ["endorse", "endorse_with_reservations", "stand_aside", "block"] }),
    );
    schemas.insert("Platform".to_owned(), json!({ "type": "object", "required": ["coalition", "charter", "members", "maximum_needs", "maximum_share", "planks"], "properties": {
            "coalition": { "$ref": "#/components/schemas/OrganisationSummary" },
            "charter": { "$ref": "#/components/schemas/CoalitionCharter" },
            "members": { "type": "array", "items": { "type": "object", "required": ["id", "name"], "properties": { "id": string, "name": string } } },
            "maximum_needs": { "type": "integer", "minimum": 0 }, "maximum_share": string,
            "planks": { "type": "array", "items": { "type": "object",
                "required": ["id", "title", "category", "text", "version", "status", "endorsements", "blocks", "in_minimum", "in_maximum", "positions"], "properties": {
                "id": string, "title": string, "category": string, "text": string, "version": { "type": "integer", "minimum": 1 },
                "status": { "type": "string", "enum": ["adopted", "proposed"] },
                "endorsements": { "type": "integer" }, "blocks": { "type": "integer" },
                "in_minimum": { "type": "boolean" }, "in_maximum": { "type": "boolean" },
                "positions": { "type": "array", "items": { "type": "object", "required": ["organisation", "stance", "note"], "properties": {
                    "organisation": string, "stance": { "$ref": "#/components/schemas/Stance" }, "note": nullable } } }
            }}}
        }}));
    schemas.insert(
        "Programme".to_owned(),
        json!({ "type": "object", "required": ["coalition", "maximum_needs", "minimum", "maximum"], "properties": {
            "coalition": string, "maximum_needs": { "type": "integer" },
            "minimum": { "type": "array", "items": string }, "maximum": { "type": "array", "items": string }
        }}),
    );
    schemas.insert("CandidateList".to_owned(), json!({ "type": "object", "required": ["candidates"], "properties": { "candidates": { "type": "array", "items": { "type": "object",
            "required": ["id", "name", "office", "statement", "elected_at", "pledges", "votes"], "properties": {
            "id": string, "name": string, "office": string, "statement": nullable, "elected_at": nullable,
            "pledges": { "type": "array", "items": { "type": "object",
                "required": ["coalition", "plank", "plank_title", "signature", "signed_at", "withdrawn_at", "withdrawal_reason"], "properties": {
                "coalition": string, "plank": string, "plank_title": string, "signature": string, "signed_at": string,
                "withdrawn_at": nullable, "withdrawal_reason": nullable } } },
            "votes": { "type": "array", "items": { "type": "object", "required": ["plank", "question", "vote", "held_at"], "properties": {
                "plank": string, "question": string,
                "vote": { "type": "string", "enum": ["with_the_pledge", "against_the_pledge", "abstained", "absent"] }, "held_at": string } } }
        }}}}}));
    Value::Object(schemas)
}
