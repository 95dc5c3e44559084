//! The one web error type. It becomes a JSON body (`{"error":{"code","message"}}`) under
//! `/api`, or an HTML page elsewhere, with a stable snake_case code (also its Fluent message
//! id) and never shows internals: those go to the server's log.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use plenum_core::Refusal;
use plenum_store::StoreError;

use crate::i18n::Lang;

#[derive(Debug, Clone, thiserror::Error)]
#[error("{message} ({code})")]
pub struct WebError {
    pub status: StatusCode,
    pub code: &'static str,
    /// English, for the API and the log; pages show the translation of `code`.
    pub message: String,
    /// Render as a page (with this language) rather than JSON.
    pub page: Option<Lang>,
}

impl WebError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> WebError {
        WebError { status, code, message: message.into(), page: None }
    }

    pub fn not_found() -> WebError {
        WebError::new(StatusCode::NOT_FOUND, "not_found", "there is nothing at this address")
    }

    pub fn internal(what: &str) -> WebError {
        eprintln!("plenum_web: internal error: {what}");
        WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "something went wrong on the server")
    }

    pub fn bad_input(code: &'static str, message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    pub fn sign_in_needed() -> WebError {
        WebError::new(StatusCode::UNAUTHORIZED, "sign_in_needed", "sign in first")
    }

    pub fn too_many() -> WebError {
        WebError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", "too many attempts; wait a few minutes")
    }

    /// The same error, shown as a page in `lang`.
    #[must_use]
    pub fn as_page(mut self, lang: Lang) -> WebError {
        self.page = Some(lang);
        self
    }
}

impl From<Refusal> for WebError {
    fn from(refusal: Refusal) -> WebError {
        let status = match &refusal {
            Refusal::NotFound { .. } => StatusCode::NOT_FOUND,
            Refusal::NotAMember | Refusal::NotAFacilitator | Refusal::NotTheMover | Refusal::NotOnRoll => StatusCode::FORBIDDEN,
            Refusal::AlreadyExists { .. }
            | Refusal::SlugTaken { .. }
            | Refusal::AlreadyAMember
            | Refusal::AlreadyRequested
            | Refusal::AlreadyAFacilitator
            | Refusal::AlreadyVoted
            | Refusal::PollClosed
            | Refusal::VotingOver { .. }
            | Refusal::PollNotOpenYet { .. }
            | Refusal::PollStillOpen { .. }
            | Refusal::MotionNotOpen { .. }
            | Refusal::AmendmentSettled
            | Refusal::AmendmentBeingVotedOn
            | Refusal::AmendmentVotePending
            | Refusal::MinutesAlreadyPublished
            | Refusal::LastFacilitator => StatusCode::CONFLICT,
            // --- coalitions ---
            Refusal::NotARepresentative | Refusal::NotACoalitionMember | Refusal::NotTheCandidate => StatusCode::FORBIDDEN,
            // --- registry ---
            Refusal::NotARegistrar => StatusCode::FORBIDDEN,
            Refusal::CredentialErased { .. } => StatusCode::GONE,
            // --- confederation ---
            Refusal::NotAParty | Refusal::NotADelegate => StatusCode::FORBIDDEN,
            Refusal::AlreadyVolunteered
            | Refusal::AlreadyDrawn
            | Refusal::AlreadySigned
            | Refusal::PetitionClosed
            | Refusal::DisputeStage { .. }
            | Refusal::VolunteeringClosed { .. }
            | Refusal::VolunteeringStillOpen { .. } => StatusCode::CONFLICT,
            // --- unlinkable ballots ---
            Refusal::TokenAlreadyIssued | Refusal::TokenAlreadyUsed => StatusCode::CONFLICT,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        WebError::new(status, refusal.code(), refusal.to_string())
    }
}

impl From<StoreError> for WebError {
    fn from(error: StoreError) -> WebError {
        match error {
            StoreError::Refused(refusal) => refusal.into(),
            StoreError::LoginTaken { .. } => WebError::new(StatusCode::CONFLICT, "login_taken", error.to_string()),
            StoreError::Claim(refusal) => crate::pages::registry::claim_error(refusal),
            other => WebError::internal(&other.to_string()),
        }
    }
}

impl From<plenum_core::ParseError> for WebError {
    fn from(error: plenum_core::ParseError) -> WebError {
        WebError::bad_input("invalid_input", error.to_string())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self.page {
            Some(lang) => {
                let html = crate::pages::error_page(lang, self.status, self.code, &self.message);
                (self.status, Html(html)).into_response()
            }
            None => {
                let body = serde_json::json!({ "error": { "code": self.code, "message": self.message } });
                (self.status, Json(body)).into_response()
            }
        }
    }
}
