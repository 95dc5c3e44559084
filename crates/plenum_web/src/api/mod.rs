//! The JSON API under `/api/v1`: public reads (bodies, polls with results, the event log) and
//! the few writes an API client needs (a session, a vote). Every error is
//! `{"error":{"code","message"}}` with a fitting status; the codes are stable (a refusal's is
//! `Refusal::code()`). The OpenAPI document is `openapi::openapi_document`.

mod body;
mod budget;
pub mod coalition;
pub mod confederation;
mod credential;
mod log;
pub mod openapi;
mod poll;
mod registry;
mod session;
// --- unlinkable ballots ---
pub mod unlinkable;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;

use crate::App;
use crate::error::WebError;

pub fn router() -> Router<App> {
    Router::new()
        .route("/bodies", get(body::list))
        .route("/bodies/{id}", get(body::one))
        .route("/polls/{id}", get(poll::one))
        .route("/polls/{id}/votes", post(poll::vote))
        .route("/log/head", get(log::head))
        .route("/log/events", get(log::events))
        .route("/sessions", post(session::create))
        .route("/openapi.json", get(openapi::serve))
        // --- coalitions ---
        .route("/organisations", get(coalition::list))
        .route("/organisations/{id}", get(coalition::one))
        .route("/coalitions/{id}/platform", get(coalition::platform))
        .route("/coalitions/{id}/programme", get(coalition::programme))
        .route("/candidates", get(coalition::candidates))
        // --- credentials ---
        .route("/credentials/keys", get(credential::keys))
        // --- budget cycles ---
        .route("/budget-cycles", get(budget::list))
        .route("/budget-cycles/{id}", get(budget::one))
        .route("/budget-cycles/{id}/result", get(budget::result))
        // --- confederation ---
        .route("/bodies/{id}/delegates", get(confederation::delegates))
        .route("/councils/{id}", get(confederation::council))
        .route("/ratifications/{id}", get(confederation::ratification))
        .route("/recalls/{id}", get(confederation::recall))
        // --- registry ---
        .route("/registry/legal-demands", get(registry::legal_demands))
        .route("/registry/credentials/{number}", get(registry::credential))
        .merge(crate::council_action::api_routes(Router::new()))
        // --- unlinkable ballots ---
        .route("/polls/{id}/voting-key", get(unlinkable::key))
        .route("/polls/{id}/tokens", post(unlinkable::token))
        .route("/polls/{id}/ballots", post(unlinkable::ballot))
        .fallback(|| async { WebError::not_found() })
        .method_not_allowed_fallback(|| async { method_not_allowed() })
}

pub fn method_not_allowed() -> WebError {
    WebError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this address does not take that method")
}

pub async fn healthz(axum::extract::State(app): axum::extract::State<App>) -> Result<Json<serde_json::Value>, WebError> {
    let head = app.store.log_head().await?;
    Ok(Json(serde_json::json!({ "status": "ok", "events": head.count })))
}

/// A JSON body, whose every rejection is a JSON error: malformed (400), not JSON (415), too
/// large (413), or the wrong shape (422).
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<Body<T>, WebError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Body(value)),
            Err(rejection) => Err(match &rejection {
                JsonRejection::JsonSyntaxError(_) => {
                    WebError::new(StatusCode::BAD_REQUEST, "malformed_json", rejection.body_text())
                }
                JsonRejection::JsonDataError(_) => WebError::bad_input("invalid_input", rejection.body_text()),
                JsonRejection::MissingJsonContentType(_) => {
                    WebError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_json", "send the body as application/json")
                }
                _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "the request body is too large")
                }
                _ => WebError::new(StatusCode::BAD_REQUEST, "bad_request", rejection.body_text()),
            }),
        }
    }
}
