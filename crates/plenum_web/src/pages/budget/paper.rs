//! Paper ballots of a cycle's vote: the page that lists every printed number and where it
//! stands, the volunteers' entry form (each ballot entered twice, independently), the
//! facilitators' forms to appoint volunteers and to resolve mismatches. Works without
//! JavaScript; readable without signing in (what was entered is shown to facilitators only).

use askama::Template;
use axum::extract::{Path, Query, State as AppState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use plenum_core::{AccountId, BudgetCycleId, PaperNumber, PaperStatus, Phase, State};
use serde::Deserialize;

use super::vote::{BallotPot, BallotProject, ballot_problem, vote_from, vote_words};
use super::{Fact, cycle_id, district_name, field, money_in};
use crate::App;
use crate::context::Ctx;
use crate::csrf;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::ids::now;
use crate::pages::{Form, Page, name_of, render, see};

/// Where one printed number stands.
#[derive(Debug)]
pub struct PaperRow {
    pub number: String,
    pub status: String,
    pub status_key: &'static str,
}

/// A mismatched ballot as a facilitator sees it: both entries, and a form to resolve it.
#[derive(Debug)]
pub struct MismatchView {
    pub number: String,
    pub entries: Vec<Fact>,
    /// Prefix for the form's element ids (unique on the page).
    pub prefix: String,
}

#[derive(Template)]
#[template(path = "budget_paper.html")]
struct PaperPage {
    page: Page,
    id: String,
    title: String,
    /// "approval", "knapsack", "cumulative" or "ranking".
    kind: &'static str,
    points: u32,
    pots: Vec<BallotPot>,
    open: bool,
    volunteers: Vec<String>,
    candidates: Vec<(String, String)>,
    summary: Vec<Fact>,
    rows: Vec<PaperRow>,
    mismatches: Vec<MismatchView>,
    can_appoint: bool,
    can_enter: bool,
    can_resolve: bool,
    number: String,
    notice: Option<String>,
    error: Option<String>,
}

fn status_label(tr: Tr, status: PaperStatus) -> String {
    tr.t(&format!("paper-status-{}", status.name().replace('_', "-")))
}

/// The pots and their feasible projects, with the values of a form sent back.
fn pots(s: &State, c: &plenum_core::BudgetCycle, tr: Tr, sent: &[(String, String)]) -> Vec<BallotPot> {
    c.pots()
        .into_iter()
        .map(|pot| {
            let budget = c.pot_budget(pot.as_ref()).unwrap_or_default();
            let projects = s
                .budgets()
                .projects_of(c)
                .filter(|p| p.district == pot)
                .filter_map(|p| {
                    let cost = p.final_cost()?;
                    let key = p.id.as_str();
                    let points = field(sent, &format!("points:{key}"));
                    let rank = field(sent, &format!("rank:{key}"));
                    Some(BallotProject {
                        id: p.id.to_string(),
                        code: p.code.clone(),
                        title: p.title.to_string(),
                        description: String::new(),
                        cost: cost.0,
                        cost_text: money_in(c, cost),
                        value: if points.is_empty() { rank.to_owned() } else { points.to_owned() },
                        checked: sent.iter().any(|(k, v)| k == "approve" && v == key),
                    })
                })
                .collect();
            BallotPot {
                key: pot.as_ref().map_or_else(|| "city".to_owned(), ToString::to_string),
                name: district_name(c, tr, pot.as_ref()),
                budget: budget.0,
                budget_text: money_in(c, budget),
                projects,
            }
        })
        .collect()
}

fn paper_page(
    ctx: &Ctx,
    s: &State,
    id: &BudgetCycleId,
    sent: &[(String, String)],
    notice: Option<String>,
    error: Option<String>,
) -> Option<PaperPage> {
    let tr = ctx.tr;
    let c = s.budgets().cycle(id)?;
    if c.imported {
        return None;
    }
    let b = s.body(&c.body)?;
    let me = ctx.viewer.as_ref().map(|v| v.id.clone());
    let facilitator = me.as_ref().is_some_and(|me| b.is_facilitator(me));
    let paper = s.paper_ballots().of(id);
    let volunteer = me.as_ref().is_some_and(|me| paper.is_some_and(|p| p.volunteers.contains(me)) && b.is_member(me));
    let open = c.phase == Phase::Vote && c.counted.is_none();
    let (kind, points) = match c.format {
        plenum_core::BallotFormat::Approval { .. } => ("approval", 0),
        plenum_core::BallotFormat::Knapsack => ("knapsack", 0),
        plenum_core::BallotFormat::Cumulative { points } => ("cumulative", points),
        plenum_core::BallotFormat::Ranking { .. } => ("ranking", 0),
    };
    let mut tally = [0u64; 4];
    let rows: Vec<PaperRow> = paper
        .map(|p| {
            p.ballots
                .values()
                .map(|x| {
                    let status = x.status();
                    tally[status as usize] += 1;
                    PaperRow { number: x.number.to_string(), status: status_label(tr, status), status_key: status.name() }
                })
                .collect()
        })
        .unwrap_or_default();
    let summary = [PaperStatus::Agreed, PaperStatus::Resolved, PaperStatus::Mismatch, PaperStatus::AwaitingSecondEntry]
        .into_iter()
        .map(|status| Fact { label: status_label(tr, status), value: tally[status as usize].to_string() })
        .collect();
    let mismatches = if facilitator {
        paper
            .map(|p| {
                p.mismatches()
                    .map(|x| MismatchView {
                        number: x.number.to_string(),
                        prefix: format!("r{}", x.number),
                        entries: x
                            .entries
                            .iter()
                            .map(|e| Fact {
                                label: name_of(s, &e.by),
                                value: e.vote.as_ref().map(|v| vote_words(s, c, v)).unwrap_or_default(),
                            })
                            .collect(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let volunteers: Vec<String> = paper.map(|p| p.volunteers.iter().map(|v| name_of(s, v)).collect()).unwrap_or_default();
    let candidates = b
        .current_members()
        .filter(|m| !paper.is_some_and(|p| p.volunteers.contains(*m)))
        .map(|m| (m.to_string(), name_of(s, m)))
        .collect();
    Some(PaperPage {
        page: Page::new(ctx, format!("{} · {}", tr.t("paper-title"), c.title)),
        id: c.id.to_string(),
        title: c.title.to_string(),
        kind,
        points,
        pots: pots(s, c, tr, sent),
        open,
        volunteers,
        candidates,
        summary,
        rows,
        mismatches,
        can_appoint: facilitator && c.counted.is_none(),
        can_enter: open && volunteer,
        can_resolve: open && facilitator,
        number: field(sent, "number").to_owned(),
        notice,
        error,
    })
}

#[derive(Debug, Deserialize)]
pub struct PaperQuery {
    #[serde(default)]
    entered: Option<u32>,
}

pub async fn show(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Query(query): Query<PaperQuery>,
) -> Result<Response, WebError> {
    let id = cycle_id(&ctx, &id)?;
    let notice = query.entered.map(|n| ctx.tr.args("paper-entered", &[("number", n.into())]));
    let view = app.store.read(|s| paper_page(&ctx, s, &id, &[], notice, None)).await;
    render(&view.ok_or_else(|| ctx.page_error(WebError::not_found()))?, &ctx)
}

/// A facilitator makes a member a paper volunteer.
pub async fn appoint(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    let viewer = ctx.viewer()?.id.clone();
    let cycle = cycle_id(&ctx, &id)?;
    let volunteer = AccountId::parse(field(&form, "volunteer")).map_err(|e| ctx.page_error(WebError::from(e)))?;
    let at = now()?;
    app.store.execute(|s| s.appoint_paper_volunteer(&cycle, &volunteer, &viewer, at)).await.map_err(|e| ctx.page_error(e))?;
    Ok(see(&format!("/budget-cycles/{id}/paper")))
}

/// Re-renders the page with what was sent and what is wrong with it (422).
async fn refused(
    ctx: &Ctx,
    app: &App,
    cycle: &BudgetCycleId,
    form: &[(String, String)],
    message: String,
) -> Result<Response, WebError> {
    let view = app.store.read(|s| paper_page(ctx, s, cycle, form, None, Some(message))).await;
    let response = render(&view.ok_or_else(|| ctx.page_error(WebError::not_found()))?, ctx)?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, response).into_response())
}

/// What a paper-ballot form says: the printed number and the ballot, or what is wrong.
fn read_form(
    ctx: &Ctx,
    format: plenum_core::BallotFormat,
    form: &[(String, String)],
) -> Result<(PaperNumber, plenum_core::BudgetVote), String> {
    let number = PaperNumber::parse(field(form, "number")).map_err(|_| ctx.tr.t("paper-bad-number"))?;
    let vote = vote_from(format, form).map_err(|e| if ctx.tr.has(e.code) { ctx.tr.t(e.code) } else { e.message })?;
    Ok((number, vote))
}

/// A volunteer enters a paper ballot (one of its two entries).
pub async fn enter(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    let viewer = ctx.viewer()?.id.clone();
    let cycle = cycle_id(&ctx, &id)?;
    let format = app.store.read(|s| s.budgets().cycle(&cycle).map(|c| c.format)).await;
    let format = format.ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    let (number, vote) = match read_form(&ctx, format, &form) {
        Ok(x) => x,
        Err(message) => return refused(&ctx, &app, &cycle, &form, message).await,
    };
    let at = now()?;
    match app.store.enter_paper_ballot(&cycle, number, vote, &viewer, at).await {
        Ok(_) => Ok(see(&format!("/budget-cycles/{id}/paper?entered={number}"))),
        Err(plenum_store::StoreError::Refused(r)) => refused(&ctx, &app, &cycle, &form, ballot_problem(ctx.tr, &r)).await,
        Err(other) => Err(ctx.page_error(other)),
    }
}

/// A facilitator resolves a mismatch by entering what the paper says.
pub async fn resolve(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    let viewer = ctx.viewer()?.id.clone();
    let cycle = cycle_id(&ctx, &id)?;
    let format = app.store.read(|s| s.budgets().cycle(&cycle).map(|c| c.format)).await;
    let format = format.ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    let (number, vote) = match read_form(&ctx, format, &form) {
        Ok(x) => x,
        Err(message) => return refused(&ctx, &app, &cycle, &[], message).await,
    };
    let at = now()?;
    match app.store.resolve_paper_ballot(&cycle, number, vote, &viewer, at).await {
        Ok(_) => Ok(see(&format!("/budget-cycles/{id}/paper"))),
        Err(plenum_store::StoreError::Refused(r)) => refused(&ctx, &app, &cycle, &[], ballot_problem(ctx.tr, &r)).await,
        Err(other) => Err(ctx.page_error(other)),
    }
}
