//! Signing up, in and out.

use askama::Template;
use axum::extract::State as AppState;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use plenum_core::{AccountId, DisplayName};
use plenum_store::NewAccount;
use serde::Deserialize;

use crate::App;
use crate::auth;
use crate::context::Ctx;
use crate::csrf;
use crate::error::WebError;
use crate::ids::{new_id, now};
use crate::pages::{Form, Page, render, see};

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    page: Page,
    error: Option<String>,
    login: String,
    display_name: String,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Page,
    error: Option<String>,
    login: String,
}

#[derive(Debug, Deserialize)]
pub struct SignupForm {
    #[serde(default)]
    csrf: String,
    login: String,
    display_name: String,
    password: String,
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    login: String,
    password: String,
}

#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub async fn signup_form(ctx: Ctx) -> Result<Response, WebError> {
    let page = Page::new(&ctx, ctx.tr.t("signup-title"));
    render(&SignupPage { page, error: None, login: String::new(), display_name: String::new() }, &ctx)
}

/// Makes an account and signs it in. A problem with the input shows the form again, with
/// what was typed (but not the password) and the reason.
pub async fn signup(ctx: Ctx, AppState(app): AppState<App>, Form(form): Form<SignupForm>) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    app.limits.signup_by_ip.hit(&ctx.ip).map_err(|e| ctx.page_error(e))?;
    match create_account(&app, &form.login, &form.display_name, &form.password).await {
        Ok(account) => {
            let token = auth::start_session(&app, &account).await.map_err(|e| ctx.page_error(e))?;
            let mut response = see("/");
            response.headers_mut().append(header::SET_COOKIE, auth::session_cookie(&app, Some(&token))?);
            Ok(response)
        }
        Err(error) if error.status.is_client_error() => {
            let page = Page::new(&ctx, ctx.tr.t("signup-title"));
            let message = if ctx.tr.has(error.code) { ctx.tr.t(error.code) } else { error.message.clone() };
            let view = SignupPage { page, error: Some(message), login: form.login, display_name: form.display_name };
            Ok((error.status, render(&view, &ctx)?).into_response())
        }
        Err(error) => Err(ctx.page_error(error)),
    }
}

/// Checks the input, hashes the password and registers the account.
pub async fn create_account(app: &App, login: &str, display_name: &str, password: &str) -> Result<AccountId, WebError> {
    let login = auth::normalise_login(login)?;
    let display_name = DisplayName::parse(display_name)?;
    auth::check_password(password)?;
    let password_hash = auth::hash_password(password)?;
    let id = new_id(AccountId::parse)?;
    app.store.register_account(NewAccount { id: id.clone(), login, password_hash, display_name }, now()?).await?;
    Ok(id)
}

pub async fn login_form(ctx: Ctx) -> Result<Response, WebError> {
    render(&LoginPage { page: Page::new(&ctx, ctx.tr.t("login-title")), error: None, login: String::new() }, &ctx)
}

pub async fn login(ctx: Ctx, AppState(app): AppState<App>, Form(form): Form<LoginForm>) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let login = form.login.trim().to_lowercase();
    app.limits.login_by_ip.hit(&ctx.ip).map_err(|e| ctx.page_error(e))?;
    app.limits.login_by_login.hit(&login).map_err(|e| ctx.page_error(e))?;
    match check_credentials(&app, &login, &form.password).await.map_err(|e| ctx.page_error(e))? {
        Some(account) => {
            let token = auth::start_session(&app, &account).await.map_err(|e| ctx.page_error(e))?;
            let mut response = see("/");
            response.headers_mut().append(header::SET_COOKIE, auth::session_cookie(&app, Some(&token))?);
            Ok(response)
        }
        None => {
            let page = Page::new(&ctx, ctx.tr.t("login-title"));
            let view = LoginPage { page, error: Some(ctx.tr.t("wrong_credentials")), login: form.login };
            Ok((StatusCode::UNAUTHORIZED, render(&view, &ctx)?).into_response())
        }
    }
}

/// The account whose login name and password these are.
pub async fn check_credentials(app: &App, login: &str, password: &str) -> Result<Option<AccountId>, WebError> {
    let password = password.to_owned();
    let stored = app.store.credentials(login).await?;
    // argon2 takes tens of milliseconds: off the async threads.
    tokio::task::spawn_blocking(move || match stored {
        Some((account, hash)) => auth::password_matches(&password, &hash).then_some(account),
        None => {
            auth::dummy_check(&password);
            None
        }
    })
    .await
    .map_err(|_| WebError::internal("password check task"))
}

pub async fn logout(ctx: Ctx, AppState(app): AppState<App>, Form(form): Form<CsrfOnly>) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    if let Some(viewer) = &ctx.viewer {
        app.store.end_session(&viewer.token_hash).await.map_err(|e| ctx.page_error(e))?;
    }
    let mut response = see("/");
    response.headers_mut().append(header::SET_COOKIE, auth::session_cookie(&app, None)?);
    Ok(response)
}
