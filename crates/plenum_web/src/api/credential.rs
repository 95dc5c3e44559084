//! The instance's published credential keys: what anyone needs to check a resident credential
//! offline (`plenum credential verify --ring`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use plenum_core::KeyRing;
use serde_json::{Value, json};

use super::openapi::{error_response, ok};
use crate::App;
use crate::error::WebError;

pub async fn keys(State(app): State<App>) -> Result<Json<KeyRing>, WebError> {
    match &app.config.credential_keys {
        Some(ring) => Ok(Json(ring.as_ref().clone())),
        None => Err(WebError::new(StatusCode::NOT_FOUND, "no_credential_keys", "this instance publishes no credential keys")),
    }
}

/// The paths this module serves, for the OpenAPI document.
#[must_use]
pub fn openapi_paths() -> Value {
    json!({
        "/credentials/keys": { "get": {
            "summary": "The key ring resident credentials are checked with: every signing key, with when it was retired",
            "operationId": "getCredentialKeys",
            "responses": { "200": ok("The key ring", "CredentialKeyRing"), "404": error_response("This instance publishes no credential keys") }
        }}
    })
}

/// The schemas of those paths.
#[must_use]
pub fn openapi_schemas() -> Value {
    json!({
        "CredentialKeyRing": {
            "type": "object",
            "required": ["keys"],
            "properties": { "keys": { "type": "array", "items": { "$ref": "#/components/schemas/CredentialKey" } } }
        },
        "CredentialKey": {
            "type": "object",
            "required": ["id", "public_key", "created_at", "retired_at"],
            "properties": {
                "id": { "type": "string", "description": "The first 8 bytes of SHA-512 of the public key, in hex" },
                "public_key": { "type": "string", "description": "The Ed25519 public key, base64url without padding" },
                "created_at": { "type": "string", "format": "date-time" },
                "retired_at": { "type": ["string", "null"], "format": "date-time", "description": "When the key stopped issuing credentials; those it signed stay valid until they expire" }
            }
        }
    })
}
