//! The register of legal demands for registry data: public, except that a demand a court has
//! sealed shows only that it exists and when it came. Registrars record them.

use askama::Template;
use axum::extract::State as AppState;
use axum::response::Response;
use plenum_core::{DemandDetails, LegalDemandId, Prose, Title};
use serde::Deserialize;

use crate::App;
use crate::context::Ctx;
use crate::csrf;
use crate::error::WebError;
use crate::ids::{new_id, now};
use crate::local_time::{local_to_instant, show as local};
use crate::pages::{Form, Page, render, see};

/// One demand as the register shows it.
#[derive(Debug)]
pub struct DemandRow {
    received: String,
    /// Authority, what was asked, what was given; `None` when sealed.
    details: Option<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "legal_demands.html")]
struct Register {
    page: Page,
    demands: Vec<DemandRow>,
    is_registrar: bool,
}

pub async fn register(ctx: Ctx, AppState(app): AppState<App>) -> Result<Response, WebError> {
    let zone = app.config.time_zone;
    let viewer = ctx.viewer.as_ref().map(|v| v.id.clone());
    let (demands, is_registrar) = app
        .store
        .read(|s| {
            let registry = s.registry();
            let demands = registry
                .legal_demands()
                .map(|d| DemandRow {
                    received: local(d.received_at, zone).split(' ').next().unwrap_or_default().to_owned(),
                    details: d.details.as_ref().map(|x| (x.authority.to_string(), x.asked.to_string(), x.given.to_string())),
                })
                .collect();
            (demands, viewer.as_ref().is_some_and(|v| registry.is_registrar(v)))
        })
        .await;
    let page = Page::new(&ctx, ctx.tr.t("legal-demands-title"));
    render(&Register { page, demands, is_registrar }, &ctx)
}

#[derive(Debug, Deserialize)]
pub struct DemandForm {
    #[serde(default)]
    csrf: String,
    /// `YYYY-MM-DD`, in the instance's time zone.
    #[serde(default)]
    received: String,
    #[serde(default)]
    authority: String,
    #[serde(default)]
    asked: String,
    #[serde(default)]
    given: String,
    #[serde(default)]
    sealed: Option<String>,
}

pub async fn record(ctx: Ctx, AppState(app): AppState<App>, Form(form): Form<DemandForm>) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let viewer = ctx.viewer()?.id.clone();
    let parsed = (|| {
        let received_at = local_to_instant(&format!("{}T00:00", form.received.trim()), app.config.time_zone)
            .map_err(|e| WebError::bad_input(e.code(), e.to_string()))?;
        // Sealed by a court: the details are not recorded at all.
        let details = match form.sealed {
            Some(_) => None,
            None => Some(DemandDetails {
                authority: Title::parse(&form.authority)?,
                asked: Prose::parse(&form.asked)?,
                given: Prose::parse(&form.given)?,
            }),
        };
        Ok::<_, WebError>((received_at, details))
    })();
    let (received_at, details) = parsed.map_err(|e| ctx.page_error(e))?;
    let demand = new_id(LegalDemandId::parse)?;
    let at = now()?;
    app.store
        .execute(|s| s.record_legal_demand(demand, received_at, details, &viewer, at))
        .await
        .map_err(|e| ctx.page_error(e))?;
    Ok(see("/registry/legal-demands"))
}
