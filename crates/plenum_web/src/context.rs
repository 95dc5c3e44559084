//! What every request carries: the language, the signed-in resident (if any), the CSRF token
//! its forms must send back, and the caller's address for rate limits.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use plenum_core::AccountId;

use crate::App;
use crate::auth;
use crate::csrf;
use crate::error::WebError;
use crate::i18n::{Lang, Tr};

pub const LANG_COOKIE: &str = "plenum_lang";

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The language asked for in the query string (`?lang=es`).
fn query_lang(query: Option<&str>) -> Option<Lang> {
    query?.split('&').filter_map(|p| p.split_once('=')).find(|(k, _)| *k == "lang").and_then(|(_, v)| Lang::parse(v))
}

/// The language for a request: `?lang=`, the cookie, `Accept-Language`, English.
pub fn language(parts: &Parts) -> Lang {
    query_lang(parts.uri.query())
        .or_else(|| cookie(&parts.headers, LANG_COOKIE).and_then(|c| Lang::parse(&c)))
        .or_else(|| parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::from_accept_language))
        .unwrap_or(Lang::En)
}

/// Remembers a language chosen with `?lang=` in a cookie, so later pages keep it.
pub async fn remember_language(request: Request, next: Next) -> Response {
    let chosen = query_lang(request.uri().query());
    let mut response = next.run(request).await;
    if let Some(lang) = chosen
        && let Ok(value) =
            HeaderValue::from_str(&format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code()))
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The caller's address, for rate limits (`unknown` when serving in-process).
pub fn client_ip(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |ConnectInfo(addr)| addr.ip().to_string())
}

/// The caller's address, as an extractor.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ClientIp, Self::Rejection> {
        Ok(ClientIp(client_ip(parts)))
    }
}

/// The signed-in resident.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub id: AccountId,
    pub display_name: String,
    /// The session token's hash (to end the session on sign-out).
    pub token_hash: String,
}

/// The request's context, for pages and actions.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub tr: Tr,
    pub viewer: Option<Viewer>,
    /// The token this request's forms carry, and POSTs must send back.
    pub csrf: String,
    /// The caller's address, for rate limits (`unknown` when serving in-process).
    pub ip: String,
    /// The path and query, for the language links.
    pub path: String,
}

impl Ctx {
    pub fn lang(&self) -> Lang {
        self.tr.lang
    }

    /// The signed-in resident, or a "sign in first" page.
    pub fn viewer(&self) -> Result<&Viewer, WebError> {
        self.viewer.as_ref().ok_or_else(|| WebError::sign_in_needed().as_page(self.lang()))
    }

    /// An error shown as a page in this request's language.
    pub fn page_error(&self, error: impl Into<WebError>) -> WebError {
        error.into().as_page(self.lang())
    }
}

impl FromRequestParts<App> for Ctx {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Ctx, WebError> {
        let lang = language(parts);
        let viewer = auth::viewer(app, &parts.headers).await.map_err(|e| e.as_page(lang))?;
        let csrf = csrf::expected(parts, viewer.as_ref());
        let ip = client_ip(parts);
        let path = parts.uri.path().to_owned();
        Ok(Ctx { tr: Tr { lang }, viewer, csrf, ip, path })
    }
}
