//! Unlinkable ballots (tier B) over JSON: an unlinkable poll's public key
//! (`GET /api/v1/polls/{id}/voting-key`), a member's blind-signed voting token
//! (`POST /api/v1/polls/{id}/tokens`, signed in) and the anonymous ballot cast with it
//! (`POST /api/v1/polls/{id}/ballots`, which reads no session, no cookie and no address).

use axum::Json;
use axum::extract::{Path, State as AppState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use plenum_core::voting_key::{from_hex, to_hex};
use plenum_core::{PollId, State};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::App;
use crate::api::Body;
use crate::api::openapi::{error_response, id_parameter, ok};
use crate::auth;
use crate::error::WebError;
use crate::ids::{ballot_randomness, now};
use crate::pages::poll::parse_choice;

/// An unlinkable poll's public key (RFC 9474 RSABSSA-SHA384-PSS-Deterministic), as the log
/// published it.
#[derive(Debug, Serialize)]
pub struct VotingKeyJson {
    poll: String,
    /// Hexadecimal, big-endian.
    modulus: String,
    exponent: String,
    /// SHA-256 over the length-prefixed modulus and exponent, as in the `voting_key_published` event.
    key_hash: String,
    tokens_issued: u64,
    ballots_cast: u64,
}

pub fn voting_key_json(s: &State, poll: &PollId) -> Option<VotingKeyJson> {
    let u = s.unlinkable_poll(poll)?;
    Some(VotingKeyJson {
        poll: poll.to_string(),
        modulus: to_hex(&u.key.modulus()),
        exponent: to_hex(&u.key.exponent()),
        key_hash: u.key_hash.clone(),
        tokens_issued: u.tokens_issued.len() as u64,
        ballots_cast: u.spent.len() as u64,
    })
}

fn poll_id(id: &str) -> Result<PollId, WebError> {
    PollId::parse(id).map_err(|_| WebError::not_found())
}

fn hex_field(text: &str, field: &str) -> Result<Vec<u8>, WebError> {
    from_hex(text).ok_or_else(|| WebError::bad_input("invalid_input", format!("{field}: hexadecimal digits expected")))
}

pub async fn key(AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Json<VotingKeyJson>, WebError> {
    let poll = poll_id(&id)?;
    app.store.read(|s| voting_key_json(s, &poll)).await.map(Json).ok_or_else(WebError::not_found)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// The blinded token, hexadecimal, exactly as long as the modulus.
    blinded: String,
}

/// Signs the caller's blinded token, once per member and poll. The caller is the session
/// (cookie or Bearer token); with a cookie, the JSON content type stops cross-site forgery.
pub async fn token(
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(request): Body<TokenRequest>,
) -> Result<Response, WebError> {
    let member = auth::viewer(&app, &headers).await?.ok_or_else(WebError::sign_in_needed)?;
    let poll = poll_id(&id)?;
    app.limits.votes_by_account.hit(member.id.as_str())?;
    let blinded = hex_field(&request.blinded, "blinded")?;
    let signature = app.store.issue_voting_token(&poll, &blinded, &member.id, now()?).await?;
    let body = Json(serde_json::json!({ "poll": poll.to_string(), "blind_signature": to_hex(&signature) }));
    Ok((StatusCode::CREATED, body).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnlinkableBallot {
    /// The token (16 to 64 bytes), hexadecimal.
    token: String,
    /// The token's RSASSA-PSS signature (unblinded), hexadecimal.
    signature: String,
    /// `yes`, `no` or `abstain`.
    choice: String,
}

/// Casts a ballot with a token. Nobody is signed in for this: no session, cookie or address is
/// read, so nothing here can name the voter.
pub async fn ballot(
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Body(ballot): Body<UnlinkableBallot>,
) -> Result<Response, WebError> {
    let poll = poll_id(&id)?;
    let token = hex_field(&ballot.token, "token")?;
    let signature = hex_field(&ballot.signature, "signature")?;
    let choice = parse_choice(&ballot.choice)?;
    let cast = app.store.cast_unlinkable_ballot(&poll, &token, &signature, choice, now()?, ballot_randomness()?).await?;
    let body = Json(serde_json::json!({ "poll": poll.to_string(), "receipt": cast.receipt.map(|r| r.to_string()) }));
    Ok((StatusCode::CREATED, body).into_response())
}

/// This part's paths in the OpenAPI document.
#[must_use]
pub fn openapi_paths() -> Value {
    json!({
        "/polls/{id}/voting-key": { "get": {
            "summary": "An unlinkable poll's RSA public key (RFC 9474 RSABSSA-SHA384-PSS-Deterministic), its hash as logged, and its counts",
            "operationId": "getVotingKey",
            "parameters": [id_parameter("The poll's id")],
            "responses": { "200": ok("The key", "VotingKey"), "404": error_response("No such poll, or the poll is not unlinkable") }
        }},
        "/polls/{id}/tokens": { "post": {
            "summary": "The signed-in member's one voting token: the poll's key signs the blinded token",
            "operationId": "issueVotingToken",
            "security": [{ "session": [] }, { "bearer": [] }],
            "parameters": [id_parameter("The poll's id")],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/TokenRequest" } } } },
            "responses": {
                "201": ok("The blind signature; the roll records that the member took a token", "BlindSignature"),
                "400": error_response("Malformed JSON"),
                "401": error_response("Not signed in"),
                "403": error_response("Not a member, or not on the poll's roll"),
                "404": error_response("No such poll"),
                "409": error_response("The token was taken already (token_already_issued), or voting is over"),
                "413": error_response("The body is larger than 64 KiB"),
                "415": error_response("The body is not application/json"),
                "422": error_response("Not hexadecimal, not a value the key can sign (bad_blinded_token), or the poll is not unlinkable"),
                "429": error_response("Too many attempts")
            }
        }},
        "/polls/{id}/ballots": { "post": {
            "summary": "Cast a ballot with a voting token, anonymously: no session, cookie or address is read",
            "operationId": "castUnlinkableBallot",
            "parameters": [id_parameter("The poll's id")],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/UnlinkableBallot" } } } },
            "responses": {
                "201": ok("The ballot was cast", "VoteReceipt"),
                "400": error_response("Malformed JSON"),
                "404": error_response("No such poll"),
                "409": error_response("The token was used already (token_already_used), or voting is over"),
                "413": error_response("The body is larger than 64 KiB"),
                "415": error_response("The body is not application/json"),
                "422": error_response("A bad signature (bad_token_signature), a malformed token, a choice that is not yes, no or abstain")
            }
        }}
    })
}

/// The schemas of those paths.
#[must_use]
pub fn openapi_schemas() -> Value {
    let hex = |description: &str| json!({ "type": "string", "pattern": "^([0-9a-fA-F]{2})*$", "description": description });
    json!({
        "VotingKey": {
            "type": "object",
            "required": ["poll", "modulus", "exponent", "key_hash", "tokens_issued", "ballots_cast"],
            "properties": {
                "poll": { "type": "string", "format": "uuid" },
                "modulus": hex("n, big-endian hexadecimal"),
                "exponent": hex("e, big-endian hexadecimal"),
                "key_hash": { "type": "string", "description": "SHA-256 (hex) of the modulus and the exponent, each preceded by its length as 4 big-endian bytes" },
                "tokens_issued": { "type": "integer", "minimum": 0 },
                "ballots_cast": { "type": "integer", "minimum": 0 }
            }
        },
        "TokenRequest": {
            "type": "object",
            "required": ["blinded"],
            "properties": { "blinded": hex("The blinded token (RFC 9474 Blind), exactly as long as the modulus") }
        },
        "BlindSignature": {
            "type": "object",
            "required": ["poll", "blind_signature"],
            "properties": { "poll": { "type": "string", "format": "uuid" }, "blind_signature": hex("RFC 9474 BlindSign's answer; Finalize unblinds it") }
        },
        "UnlinkableBallot": {
            "type": "object",
            "required": ["token", "signature", "choice"],
            "properties": {
                "token": hex("The token, 16 to 64 bytes"),
                "signature": hex("The token's RSASSA-PSS signature (SHA-384, 48-byte salt), as Finalize gives it"),
                "choice": { "type": "string", "enum": ["yes", "no", "abstain"] }
            }
        }
    })
}
