//! The OpenAPI 3.1 document for `/api/v1`, written by hand next to the handlers it describes.
//! `tests/web/api.rs` compares it with the committed `tests/snapshots/openapi.json`.

use axum::Json;
use serde_json::{Value, json};

pub(crate) fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

pub(super) fn ok(description: &str, schema: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } })
}

pub(crate) fn id_parameter(description: &str) -> Value {
    json!({ "name": "id", "in": "path", "required": true, "description": description, "schema": { "type": "string", "format": "uuid" } })
}

/// The document.
#[must_use]
pub fn openapi_document() -> Value {
    let mut document = base_document();
    // Each part of the API describes its own paths and schemas (one `json!` for everything would
    // pass the macro's recursion limit).
    let parts = [
        (super::coalition::openapi_paths(), super::coalition::openapi_schemas()),
        (super::credential::openapi_paths(), super::credential::openapi_schemas()),
        (super::confederation::openapi_paths(), super::confederation::openapi_schemas()),
        (super::budget::openapi_paths(), super::budget::openapi_schemas()),
        (super::registry::openapi_paths(), super::registry::openapi_schemas()),
        (crate::council_action::openapi_paths(), crate::council_action::openapi_schemas()),
        (super::unlinkable::openapi_paths(), super::unlinkable::openapi_schemas()),
    ];
    for (more_paths, more_schemas) in parts {
        if let (Some(Value::Object(paths)), Value::Object(more)) = (document.get_mut("paths"), more_paths) {
            paths.extend(more);
        }
        if let (Some(Value::Object(schemas)), Value::Object(more)) = (document.pointer_mut("/components/schemas"), more_schemas) {
            schemas.extend(more);
        }
    }
    document
}

fn base_document() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Plenum API",
            "version": "1",
            "description": "Public, read-only access to an instance's assemblies, polls, confederation and hash-chained event log; casting a vote; and, for a signed-in resident, every confederation step (councils, mandates, recalls, ratifications, disputes, tasks, elections, draws). Errors are always {\"error\":{\"code\",\"message\"}} with a stable snake_case code.",
            "license": { "name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later" }
        },
        "servers": [{ "url": "/api/v1" }],
        "paths": {
            "/bodies": { "get": {
                "summary": "Every assembly",
                "operationId": "listBodies",
                "responses": { "200": ok("The assemblies, oldest first", "BodyList") }
            }},
            "/bodies/{id}": { "get": {
                "summary": "One assembly with its charter, motions and meetings",
                "operationId": "getBody",
                "parameters": [id_parameter("The body's id")],
                "responses": { "200": ok("The assembly", "BodyDetail"), "404": error_response("No such body") }
            }},
            "/polls/{id}": { "get": {
                "summary": "A poll; once closed, with its result and working, and the published ballots of a secret poll",
                "operationId": "getPoll",
                "parameters": [id_parameter("The poll's id")],
                "responses": { "200": ok("The poll", "Poll"), "404": error_response("No such poll") }
            }},
            "/polls/{id}/votes": { "post": {
                "summary": "Cast the signed-in member's vote",
                "operationId": "castVote",
                "security": [{ "session": [] }, { "bearer": [] }],
                "parameters": [id_parameter("The poll's id")],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewVote" } } } },
                "responses": {
                    "201": ok("The vote was cast; a secret poll gives a receipt code", "VoteReceipt"),
                    "400": error_response("Malformed JSON"),
                    "401": error_response("Not signed in"),
                    "403": error_response("Not a member, or not on the poll's roll"),
                    "404": error_response("No such poll"),
                    "409": error_response("Already voted, or voting is over"),
                    "413": error_response("The body is larger than 64 KiB"),
                    "415": error_response("The body is not application/json"),
                    "422": error_response("Not a valid vote"),
                    "429": error_response("Too many attempts")
                }
            }},
            "/sessions": { "post": {
                "summary": "Sign in; the token is a Bearer token and is also set as the session cookie",
                "operationId": "createSession",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Credentials" } } } },
                "responses": {
                    "201": ok("Signed in", "SessionToken"),
                    "401": error_response("Wrong login name or password"),
                    "429": error_response("Too many attempts")
                }
            }},
            "/log/head": { "get": {
                "summary": "How many events the log holds and the hash of the last one",
                "operationId": "getLogHead",
                "responses": { "200": ok("The head of the log", "LogHead") }
            }},
            "/log/events": { "get": {
                "summary": "Events after a sequence number, in order, with their hashes",
                "operationId": "listEvents",
                "parameters": [
                    { "name": "after", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 0, "default": 0 } },
                    { "name": "limit", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 1, "maximum": 1000, "default": 100 } }
                ],
                "responses": { "200": ok("A page of the log", "EventPage"), "422": error_response("A bad query") }
            }}
        },
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": "plenum_session" },
                "bearer": { "type": "http", "scheme": "bearer" }
            },
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": { "error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": { "code": { "type": "string" }, "message": { "type": "string" } }
                }}},
                "BodySummary": { "type": "object", "required": ["id", "slug", "name", "members", "url"], "properties": {
                    "id": { "type": "string", "format": "uuid" }, "slug": { "type": "string" }, "name": { "type": "string" },
                    "members": { "type": "integer", "minimum": 0 }, "url": { "type": "string" }
                }},
                "BodyList": { "type": "object", "required": ["bodies"], "properties": { "bodies": { "type": "array", "items": { "$ref": "#/components/schemas/BodySummary" } } } },
                "BodyDetail": { "allOf": [{ "$ref": "#/components/schemas/BodySummary" }, { "type": "object", "required": ["charter", "motions", "meetings"], "properties": {
                    "charter": { "type": "object" },
                    "motions": { "type": "array", "items": { "type": "object", "required": ["id", "title", "kind", "status"], "properties": {
                        "id": { "type": "string" }, "title": { "type": "string" }, "kind": { "type": "string" },
                        "status": { "type": "string", "enum": ["open", "voting", "passed", "rejected", "withdrawn"] } } } },
                    "meetings": { "type": "array", "items": { "type": "object", "required": ["id", "title", "starts_at", "ends_at", "minutes_published"], "properties": {
                        "id": { "type": "string" }, "title": { "type": "string" }, "starts_at": { "type": "string", "format": "date-time" },
                        "ends_at": { "type": "string", "format": "date-time" }, "minutes_published": { "type": "boolean" } } } }
                }}]},
                "Choice": { "type": "string", "enum": ["yes", "no", "abstain"] },
                "Result": { "type": "object", "description": "The count and its working", "required": ["yes", "no", "abstain", "online", "roll", "quorum_taking_part", "quorum_needed", "quorum_met", "base", "needed", "margin", "passed", "rule"], "properties": {
                    "yes": { "type": "integer" }, "no": { "type": "integer" }, "abstain": { "type": "integer" }, "online": { "type": "integer" },
                    "in_person": { "type": ["object", "null"] }, "roll": { "type": "integer" },
                    "quorum_taking_part": { "type": "integer" }, "quorum_needed": { "type": "integer" }, "quorum_met": { "type": "boolean" },
                    "base": { "type": "integer" }, "needed": { "type": "integer" }, "margin": { "type": "integer" },
                    "passed": { "type": "boolean" }, "rule": { "type": "string" }
                }},
                "Poll": { "type": "object", "required": ["id", "motion", "body", "secrecy", "status", "opens_at", "closes_at", "roll_size", "voted", "closed_at", "result", "ballots", "votes"], "properties": {
                    "id": { "type": "string" }, "motion": { "type": "string" }, "body": { "type": "string" },
                    "secrecy": { "type": "string", "enum": ["open", "secret"] }, "status": { "type": "string", "enum": ["open", "closed"] },
                    "opens_at": { "type": "string", "format": "date-time" }, "closes_at": { "type": "string", "format": "date-time" },
                    "roll_size": { "type": "integer" }, "voted": { "type": "integer" },
                    "closed_at": { "type": ["string", "null"], "format": "date-time" },
                    "result": { "oneOf": [{ "$ref": "#/components/schemas/Result" }, { "type": "null" }] },
                    "ballots": { "type": "array", "items": { "type": "object", "required": ["ballot", "receipt", "choice"], "properties": {
                        "ballot": { "type": "string" }, "receipt": { "type": "string" }, "choice": { "$ref": "#/components/schemas/Choice" } } } },
                    "votes": { "type": "array", "items": { "type": "object", "required": ["member", "display_name", "choice"], "properties": {
                        "member": { "type": "string" }, "display_name": { "type": "string" }, "choice": { "$ref": "#/components/schemas/Choice" } } } }
                }},
                "NewVote": { "type": "object", "required": ["choice"], "additionalProperties": false, "properties": { "choice": { "$ref": "#/components/schemas/Choice" } } },
                "VoteReceipt": { "type": "object", "required": ["poll", "receipt"], "properties": { "poll": { "type": "string" }, "receipt": { "type": ["string", "null"] } } },
                "Credentials": { "type": "object", "required": ["login", "password"], "additionalProperties": false, "properties": { "login": { "type": "string" }, "password": { "type": "string" } } },
                "SessionToken": { "type": "object", "required": ["token", "account"], "properties": { "token": { "type": "string" }, "account": { "type": "string" } } },
                "LogHead": { "type": "object", "required": ["count", "hash"], "properties": { "count": { "type": "integer" }, "hash": { "type": "string" } } },
                "EventPage": { "type": "object", "required": ["events", "next_after"], "properties": {
                    "events": { "type": "array", "items": { "type": "object", "required": ["seq", "kind", "version", "payload", "prev_hash", "hash"], "properties": {
                        "seq": { "type": "integer" }, "kind": { "type": "string" }, "version": { "type": "integer" },
                        "payload": { "type": "string", "description": "The event's canonical JSON, exactly as hashed: hash = SHA-256(prev_hash + payload)" },
                        "prev_hash": { "type": "string" }, "hash": { "type": "string" } } } },
                    "next_after": { "type": ["integer", "null"] }
                }}
            }
        }
    })
}

pub async fn serve() -> Json<Value> {
    Json(openapi_document())
}
