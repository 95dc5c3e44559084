//! A budget cycle open only to residents: the facilitator restricts the vote to members
//! holding a valid resident credential of the cycle's area, from a minimum age if wanted,
//! before the vote opens (the roll is fixed then).

use askama::Template;
use axum::extract::{Path, State as AppState};
use axum::response::Response;
use plenum_core::BudgetCycleId;
use serde::Deserialize;

use crate::App;
use crate::context::Ctx;
use crate::csrf;
use crate::error::WebError;
use crate::ids::now;
use crate::pages::{Form, Page, render, see};

#[derive(Template)]
#[template(path = "budget_residency.html")]
struct Residency {
    page: Page,
    id: String,
    cycle_title: String,
    /// What the rule is now, as a sentence.
    current: String,
    can_change: bool,
}

fn cycle_id(ctx: &Ctx, id: &str) -> Result<BudgetCycleId, WebError> {
    BudgetCycleId::parse(id).map_err(|_| ctx.page_error(WebError::not_found()))
}

pub async fn show(ctx: Ctx, AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Response, WebError> {
    let cycle = cycle_id(&ctx, &id)?;
    let viewer = ctx.viewer.as_ref().map(|v| v.id.clone());
    let tr = ctx.tr;
    let view = app
        .store
        .read(|s| {
            let c = s.budgets().cycle(&cycle)?;
            let facilitator = viewer.as_ref().is_some_and(|v| s.body(&c.body).is_some_and(|b| b.is_facilitator(v)));
            let before_vote =
                matches!(c.phase, plenum_core::Phase::Ideas | plenum_core::Phase::Development | plenum_core::Phase::Review);
            let current = match s.registry().budget_residency(&cycle) {
                None => tr.t("residency-everyone"),
                Some(None) => tr.t("residency-residents"),
                Some(Some(age)) => tr.args("residency-residents-from", &[("age", age.into())]),
            };
            Some(Residency {
                page: Page::new(&ctx, tr.t("residency-title")),
                id: cycle.to_string(),
                cycle_title: c.title.to_string(),
                current,
                can_change: facilitator && before_vote && !c.imported,
            })
        })
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    render(&view, &ctx)
}

#[derive(Debug, Deserialize)]
pub struct ResidencyForm {
    #[serde(default)]
    csrf: String,
    /// Empty for any age, else a whole number of years.
    #[serde(default)]
    min_age: String,
}

pub async fn require(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<ResidencyForm>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let viewer = ctx.viewer()?.id.clone();
    let cycle = cycle_id(&ctx, &id)?;
    let min_age = match form.min_age.trim() {
        "" => None,
        text => Some(text.parse::<u8>().ok().filter(|a| *a <= 120).ok_or_else(|| {
            ctx.page_error(WebError::bad_input("invalid_min_age", "the minimum age is a whole number of years"))
        })?),
    };
    let at = now()?;
    app.store.execute(|s| s.require_budget_residency(&cycle, min_age, &viewer, at)).await.map_err(|e| ctx.page_error(e))?;
    Ok(see(&format!("/budget-cycles/{cycle}/residency")))
}
