//! CSRF protection for every POST form. Signed in, the token is derived from the session (a
//! synchronizer token: only a page served to this session shows it). Signed out (the sign-up
//! and sign-in forms), it is a double-submit token: a random `plenum_csrf` cookie whose value
//! the form must repeat. Session cookies are also `SameSite=Lax`.

use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};

use crate::App;
use crate::context::{Ctx, Viewer, cookie};
use crate::error::WebError;
use crate::ids::{hex, random_bytes};

pub const CSRF_COOKIE: &str = "plenum_csrf";

/// A token made for a request that came without the cookie.
#[derive(Debug, Clone)]
struct FreshToken(String);

/// Gives a browser without a CSRF cookie one (and the request the same value).
pub async fn issue_cookie(State(app): State<App>, mut request: Request, next: Next) -> Response {
    if cookie(request.headers(), CSRF_COOKIE).is_some() {
        return next.run(request).await;
    }
    let Ok(bytes) = random_bytes::<16>() else { return next.run(request).await };
    let token = hex(&bytes);
    request.extensions_mut().insert(FreshToken(token.clone()));
    let mut response = next.run(request).await;
    let secure = if app.config.secure_cookies { "; Secure" } else { "" };
    if let Ok(value) = HeaderValue::from_str(&format!("{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}")) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The token this request's forms carry.
pub fn expected(parts: &Parts, viewer: Option<&Viewer>) -> String {
    match viewer {
        Some(viewer) => {
            let mut hasher = Sha256::new();
            hasher.update(b"plenum csrf\0");
            hasher.update(viewer.token_hash.as_bytes());
            hex(&hasher.finalize())
        }
        None => cookie(&parts.headers, CSRF_COOKIE)
            .or_else(|| parts.extensions.get::<FreshToken>().map(|t| t.0.clone()))
            .unwrap_or_default(),
    }
}

/// Refuses a form whose token does not match (compared in constant time).
pub fn check(ctx: &Ctx, submitted: &str) -> Result<(), WebError> {
    let expected = ctx.csrf.as_bytes();
    let submitted = submitted.as_bytes();
    let same = expected.len() == submitted.len()
        && !expected.is_empty()
        && expected.iter().zip(submitted).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
    if same {
        Ok(())
    } else {
        Err(WebError::new(
            StatusCode::FORBIDDEN,
            "csrf_mismatch",
            "this form has expired or did not come from this site; reload the page and try again",
        )
        .as_page(ctx.lang()))
    }
}
