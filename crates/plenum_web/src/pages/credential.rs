//! Checking a resident credential: paste or scan the code from a card, and see whether this
//! instance's published keys vouch for it. Nothing is recorded and no account is needed.

use askama::Template;
use axum::extract::{Query, State as AppState};
use axum::response::Response;
use plenum_core::BodyId;
use plenum_core::credential::{self, AgeBand, CredentialError};
use serde::Deserialize;

use crate::App;
use crate::context::Ctx;
use crate::error::WebError;
use crate::ids;
use crate::pages::{Page, render};

#[derive(Debug, Deserialize)]
pub struct CheckQuery {
    #[serde(default)]
    token: String,
}

/// A valid credential, as the page shows it.
#[derive(Debug)]
pub struct Valid {
    number: u64,
    area: String,
    /// The assembly's address, when this instance has it.
    area_slug: Option<String>,
    age_band: String,
    expires: String,
}

#[derive(Template)]
#[template(path = "credential_check.html")]
struct Check {
    page: Page,
    token: String,
    /// Whether the instance publishes keys at all.
    has_keys: bool,
    valid: Option<Valid>,
    invalid: Option<String>,
}

fn age_band_key(band: AgeBand) -> &'static str {
    match band {
        AgeBand::Under16 => "credential-age-under16",
        AgeBand::From16To17 => "credential-age-from16-to17",
        AgeBand::Adult => "credential-age-adult",
    }
}

fn reason(ctx: &Ctx, app: &App, error: &CredentialError) -> String {
    match error {
        CredentialError::Expired { expired_at } => ctx
            .tr
            .args("credential-error-expired", &[("date", crate::local_time::show(*expired_at, app.config.time_zone).into())]),
        other => ctx.tr.t(&format!("credential-error-{}", other.code().replace('_', "-"))),
    }
}

pub async fn check(ctx: Ctx, AppState(app): AppState<App>, Query(query): Query<CheckQuery>) -> Result<Response, WebError> {
    let title = ctx.tr.t("credential-check-title");
    let token = query.token.trim().to_owned();
    let ring = app.config.credential_keys.clone();
    let (mut valid, mut invalid) = (None, None);
    if let Some(ring) = &ring
        && !token.is_empty()
    {
        match credential::verify(&token, ring, ids::now()?) {
            Ok(card) => {
                let area = area(&app, &card.area).await;
                valid = Some(Valid {
                    number: card.number,
                    area: area.as_ref().map_or_else(|| card.area.to_string(), |(_, name)| name.clone()),
                    area_slug: area.map(|(slug, _)| slug),
                    age_band: ctx.tr.t(age_band_key(card.age_band)),
                    expires: crate::local_time::show(card.expires_at, app.config.time_zone),
                });
            }
            Err(error) => invalid = Some(reason(&ctx, &app, &error)),
        }
    }
    // A pasted token is echoed back into the form, within the length any credential has.
    let token = if token.len() <= credential::MAX_TOKEN_LEN { token } else { String::new() };
    render(&Check { page: Page::new(&ctx, title), token, has_keys: ring.is_some(), valid, invalid }, &ctx)
}

/// The assembly a credential names: its address and name, if this instance has it.
async fn area(app: &App, id: &BodyId) -> Option<(String, String)> {
    app.store.read(|s| s.body(id).map(|b| (b.slug.to_string(), b.name.to_string()))).await
}
