//! `POST /api/v1/sessions`: sign in from an API client; the token works as a Bearer token or
//! as the session cookie (which is set too).

use axum::Json;
use axum::extract::State as AppState;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::App;
use crate::api::Body;
use crate::auth;
use crate::context::ClientIp;
use crate::error::WebError;
use crate::pages::account::check_credentials;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    login: String,
    password: String,
}

pub async fn create(
    AppState(app): AppState<App>,
    ClientIp(ip): ClientIp,
    Body(credentials): Body<Credentials>,
) -> Result<Response, WebError> {
    let login = credentials.login.trim().to_lowercase();
    app.limits.login_by_ip.hit(&ip)?;
    app.limits.login_by_login.hit(&login)?;
    let Some(account) = check_credentials(&app, &login, &credentials.password).await? else {
        return Err(WebError::new(StatusCode::UNAUTHORIZED, "wrong_credentials", "wrong login name or password"));
    };
    let token = auth::start_session(&app, &account).await?;
    let cookie = auth::session_cookie(&app, Some(&token))?;
    let body = Json(serde_json::json!({ "token": token, "account": account.to_string() }));
    Ok((StatusCode::CREATED, [(header::SET_COOKIE, cookie)], body).into_response())
}
