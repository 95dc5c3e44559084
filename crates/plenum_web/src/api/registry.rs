//! The registry's public side as JSON: the register of legal demands (a sealed demand only
//! with its dates) and whether a credential number exists and until when. Never personal data.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use serde_json::{Value, json};

use super::openapi::{error_response, ok};
use crate::App;
use crate::error::WebError;

#[derive(Debug, Serialize)]
pub struct LegalDemandJson {
    id: String,
    received_at: String,
    recorded_at: String,
    sealed: bool,
    authority: Option<String>,
    asked: Option<String>,
    given: Option<String>,
}

pub async fn legal_demands(State(app): State<App>) -> Json<Vec<LegalDemandJson>> {
    let demands = app
        .store
        .read(|s| {
            s.registry()
                .legal_demands()
                .map(|d| LegalDemandJson {
                    id: d.id.to_string(),
                    received_at: d.received_at.to_string(),
                    recorded_at: d.recorded_at.to_string(),
                    sealed: d.details.is_none(),
                    authority: d.details.as_ref().map(|x| x.authority.to_string()),
                    asked: d.details.as_ref().map(|x| x.asked.to_string()),
                    given: d.details.as_ref().map(|x| x.given.to_string()),
                })
                .collect()
        })
        .await;
    Json(demands)
}

#[derive(Debug, Serialize)]
pub struct CredentialStatusJson {
    number: u64,
    area: String,
    age_band: String,
    issued_at: String,
    expires_at: String,
    /// When the holder's personal data was erased, if it was.
    erased_at: Option<String>,
}

pub async fn credential(State(app): State<App>, Path(number): Path<String>) -> Result<Json<CredentialStatusJson>, WebError> {
    let number: u64 = number.parse().map_err(|_| WebError::not_found())?;
    app.store
        .read(|s| {
            s.registry().credential(number).map(|c| CredentialStatusJson {
                number,
                area: c.area.to_string(),
                age_band: c.age_band.name().to_owned(),
                issued_at: c.issued_at.to_string(),
                expires_at: c.expires_at.to_string(),
                erased_at: c.erased.map(|(_, at)| at.to_string()),
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
        "/registry/legal-demands": { "get": {
            "summary": "The register of legal demands for registry data; a demand sealed by a court shows only its dates",
            "operationId": "listLegalDemands",
            "responses": { "200": ok("Every legal demand, oldest first", "LegalDemandList") }
        }},
        "/registry/credentials/{number}": { "get": {
            "summary": "Whether a resident credential number was issued, for which area and age band, until when, and when its holder's data was erased. Never personal data",
            "operationId": "getCredentialStatus",
            "parameters": [{ "name": "number", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 1 } }],
            "responses": { "200": ok("The credential's status", "CredentialStatus"), "404": error_response("No such credential") }
        }}
    })
}

/// The schemas of those paths.
#[must_use]
pub fn openapi_schemas() -> Value {
    let text_or_null = json!({ "type": ["string", "null"], "description": "Absent (null) when sealed" });
    json!({
        "LegalDemandList": { "type": "array", "items": { "$ref": "#/components/schemas/LegalDemand" } },
        "LegalDemand": {
            "type": "object",
            "required": ["id", "received_at", "recorded_at", "sealed", "authority", "asked", "given"],
            "properties": {
                "id": { "type": "string", "format": "uuid" },
                "received_at": { "type": "string", "format": "date-time" },
                "recorded_at": { "type": "string", "format": "date-time" },
                "sealed": { "type": "boolean", "description": "A court forbids publishing it: only its dates are recorded" },
                "authority": text_or_null,
                "asked": text_or_null,
                "given": text_or_null
            }
        },
        "CredentialStatus": {
            "type": "object",
            "required": ["number", "area", "age_band", "issued_at", "expires_at", "erased_at"],
            "properties": {
                "number": { "type": "integer" },
                "area": { "type": "string", "format": "uuid", "description": "The assembly the holder belongs to" },
                "age_band": { "type": "string", "enum": ["under16", "from16_to17", "adult"] },
                "issued_at": { "type": "string", "format": "date-time" },
                "expires_at": { "type": "string", "format": "date-time" },
                "erased_at": { "type": ["string", "null"], "format": "date-time" }
            }
        }
    })
}
