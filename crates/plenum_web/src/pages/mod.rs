//! Server-rendered pages, one module per civic concept. Every page works without JavaScript;
//! every POST form carries the CSRF token and answers with a redirect (303) or a page.

pub mod account;
pub mod body;
pub mod budget;
pub mod charter;
pub mod coalition;
pub mod council;
pub mod credential;
pub mod home;
pub mod legal_demand;
pub mod meeting;
pub mod motion;
pub mod platform;
pub mod pledge;
pub mod poll;
pub mod registry;
pub mod residency;
pub mod rule;
// --- unlinkable ballots ---
pub mod unlinkable;

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use plenum_core::{AccountId, State};

use crate::context::Ctx;
use crate::error::WebError;
use crate::i18n::{Lang, Tr};

/// What the layout needs: language, who is signed in, the CSRF token, the page's title.
#[derive(Debug, Clone)]
pub struct Page {
    pub tr: Tr,
    pub viewer_name: Option<String>,
    pub csrf: String,
    pub path: String,
    pub title: String,
}

impl Page {
    pub fn new(ctx: &Ctx, title: impl Into<String>) -> Page {
        Page {
            tr: ctx.tr,
            viewer_name: ctx.viewer.as_ref().map(|v| v.display_name.clone()),
            csrf: ctx.csrf.clone(),
            path: ctx.path.clone(),
            title: title.into(),
        }
    }

    pub fn lang(&self) -> &'static str {
        self.tr.lang.code()
    }

    pub fn dir(&self) -> &'static str {
        self.tr.lang.dir()
    }

    /// The link that switches language: to Spanish from English, to English otherwise.
    pub fn other_lang(&self) -> (&'static str, &'static str) {
        match self.tr.lang {
            Lang::En => ("es", "Español"),
            Lang::Es => ("en", "English"),
        }
    }
}

/// Renders a template as an HTML response.
pub fn render(template: &impl Template, ctx: &Ctx) -> Result<Response, WebError> {
    template
        .render()
        .map(|html| Html(html).into_response())
        .map_err(|e| WebError::internal(&format!("template: {e}")).as_page(ctx.lang()))
}

/// After a form: see the result at `to` (303, so reloading does not resubmit).
pub fn see(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// A form body (URL-encoded), whose rejection is a page in the request's language: a missing
/// or malformed field is a 422 with the reason, a body over the limit a 413.
#[derive(Debug)]
pub struct Form<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequest<S> for Form<T> {
    type Rejection = WebError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Form<T>, WebError> {
        let (parts, body) = request.into_parts();
        let lang = crate::context::language(&parts);
        let request = axum::extract::Request::from_parts(parts, body);
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(Form(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", rejection.body_text()).as_page(lang))
            }
            Err(rejection) => Err(WebError::bad_input("invalid_input", rejection.body_text()).as_page(lang)),
        }
    }
}

/// A resident's display name, or a placeholder if the account is unknown.
pub fn name_of(state: &State, id: &AccountId) -> String {
    state.resident(id).map_or_else(|| "?".to_owned(), |r| r.display_name.to_string())
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Page,
    status: u16,
    message: String,
}

/// The page an error shows: the translated message for its code (the English text if there
/// is no translation).
pub fn error_page(lang: Lang, status: StatusCode, code: &str, english: &str) -> String {
    let tr = Tr { lang };
    let message = if tr.has(code) { tr.t(code) } else { english.to_owned() };
    let page = Page { tr, viewer_name: None, csrf: String::new(), path: "/".to_owned(), title: tr.t("error-title") };
    ErrorPage { page, status: status.as_u16(), message }
        .render()
        .unwrap_or_else(|_| format!("<!doctype html><title>{}</title><p>{}</p>", status.as_u16(), status.as_u16()))
}

pub async fn not_found(ctx: Ctx) -> WebError {
    WebError::not_found().as_page(ctx.lang())
}

pub async fn method_not_allowed(ctx: Ctx) -> WebError {
    crate::api::method_not_allowed().as_page(ctx.lang())
}

pub async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/plenum.css"),
    )
}
