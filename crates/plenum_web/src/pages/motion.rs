//! Motions: filing one, its page with arguments and amendments, and the forms for them.

use askama::Template;
use axum::extract::{Path, State as AppState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use plenum_core::motion::AmendmentStatus;
use plenum_core::{AmendmentId, ArgumentId, FileMotion, MotionId, MotionKind, MotionStatus, Prose, Side, Title};
use serde::Deserialize;

use crate::App;
use crate::context::Ctx;
use crate::csrf;
use crate::error::WebError;
use crate::ids::{new_id, now};
use crate::local_time::show as local;
use crate::pages::body::body_by_slug;
use crate::pages::charter::CharterFields;
use crate::pages::{Form, Page, name_of, render, see};

#[derive(Template)]
#[template(path = "motion_new.html")]
struct NewMotionPage {
    page: Page,
    slug: String,
    body_name: String,
    error: Option<String>,
    title: String,
    text: String,
    /// The charter a charter amendment would propose (the current one, until edited).
    charter: CharterFields,
}

#[derive(Debug)]
pub struct ArgumentItem {
    pub by: String,
    pub text: String,
}

#[derive(Debug)]
pub struct AmendmentItem {
    pub id: String,
    pub by: String,
    pub text: String,
    pub status: String,
    pub open: bool,
    /// Where its poll is, once it was put to a vote.
    pub poll_href: Option<String>,
}

#[derive(Debug)]
pub struct PollItem {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "motion.html")]
struct MotionPage {
    page: Page,
    id: String,
    title: String,
    text: String,
    kind: String,
    status: String,
    body_slug: String,
    body_name: String,
    mover: String,
    filed: String,
    arguments_for: Vec<ArgumentItem>,
    arguments_against: Vec<ArgumentItem>,
    amendments: Vec<AmendmentItem>,
    polls: Vec<PollItem>,
    can_argue: bool,
    can_amend: bool,
    is_mover: bool,
    can_open_poll: bool,
    /// A facilitator may put one of the amendments to a vote now.
    can_vote_on_amendments: bool,
    /// A council votes in the open only (its delegates answer to their constituents).
    in_council: bool,
}

fn motion_id(ctx: &Ctx, id: &str) -> Result<MotionId, WebError> {
    MotionId::parse(id).map_err(|_| ctx.page_error(WebError::not_found()))
}

pub async fn new_form(ctx: Ctx, AppState(app): AppState<App>, Path(slug): Path<String>) -> Result<Response, WebError> {
    ctx.viewer()?;
    let (name, charter) = app
        .store
        .read(|s| body_by_slug(s, &slug).map(|b| (b.name.to_string(), CharterFields::of(&b.charter))))
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    let page = Page::new(&ctx, ctx.tr.t("motion-new-title"));
    let view = NewMotionPage { page, slug, body_name: name, error: None, title: String::new(), text: String::new(), charter };
    render(&view, &ctx)
}

#[derive(Debug, Deserialize)]
pub struct FileForm {
    #[serde(default)]
    csrf: String,
    kind: String,
    title: String,
    text: String,
    /// Read only when the kind is a charter amendment.
    #[serde(flatten)]
    charter: CharterFields,
}

fn kind(text: &str) -> Result<MotionKind, WebError> {
    match text {
        "policy" => Ok(MotionKind::Policy),
        "procedural" => Ok(MotionKind::Procedural),
        "charter_amendment" => Ok(MotionKind::CharterAmendment),
        _ => Err(WebError::bad_input("invalid_input", format!("{text:?} is not a kind of motion that can be filed here"))),
    }
}

pub async fn file(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(slug): Path<String>,
    Form(form): Form<FileForm>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let viewer = ctx.viewer()?.id.clone();
    let (body, body_name, current) = app
        .store
        .read(|s| body_by_slug(s, &slug).map(|b| (b.id.clone(), b.name.to_string(), b.charter.clone())))
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    let filed = async {
        let kind = kind(&form.kind)?;
        let proposed_charter = if kind == MotionKind::CharterAmendment { Some(form.charter.charter(&current)?) } else { None };
        let new = FileMotion {
            motion: new_id(MotionId::parse)?,
            body,
            kind,
            title: Title::parse(&form.title)?,
            text: Prose::parse(&form.text)?,
            proposed_charter,
        };
        let id = new.motion.clone();
        let at = now()?;
        app.store.execute(|s| s.file_motion(new, &viewer, at)).await?;
        Ok::<_, WebError>(id)
    }
    .await;
    match filed {
        Ok(id) => Ok(see(&format!("/motions/{id}"))),
        Err(error) if error.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let page = Page::new(&ctx, ctx.tr.t("motion-new-title"));
            let view = NewMotionPage {
                page,
                slug,
                body_name,
                error: Some(error.message),
                title: form.title,
                text: form.text,
                charter: form.charter,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view, &ctx)?).into_response())
        }
        Err(error) => Err(ctx.page_error(error)),
    }
}

pub async fn show(ctx: Ctx, AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = motion_id(&ctx, &id)?;
    let tr = ctx.tr;
    let zone = app.config.time_zone;
    let me = ctx.viewer.as_ref().map(|v| v.id.clone());
    let view = app
        .store
        .read(|s| {
            let m = s.motion(&id)?;
            let b = s.body(&m.body)?;
            let member = me.as_ref().is_some_and(|me| b.is_member(me));
            let facilitator = me.as_ref().is_some_and(|me| b.is_facilitator(me));
            let argued = |side: Side| {
                m.arguments
                    .iter()
                    .filter(|a| a.side == side)
                    .map(|a| ArgumentItem { by: name_of(s, &a.by), text: a.text.to_string() })
                    .collect()
            };
            let open = m.status == MotionStatus::Open;
            let can_open_poll = facilitator && open && !m.amendment_vote_pending();
            Some(MotionPage {
                page: Page::new(&ctx, m.title.to_string()),
                id: m.id.to_string(),
                title: m.title.to_string(),
                text: m.text.to_string(),
                kind: tr.t(&format!("kind-{}", m.kind.name())),
                status: tr.t(&format!("status-{}", m.status.name())),
                body_slug: b.slug.to_string(),
                body_name: b.name.to_string(),
                mover: name_of(s, &m.mover),
                filed: local(m.filed_at, zone),
                arguments_for: argued(Side::For),
                arguments_against: argued(Side::Against),
                amendments: m
                    .amendments
                    .iter()
                    .map(|a| AmendmentItem {
                        id: a.id.to_string(),
                        by: name_of(s, &a.by),
                        text: a.text.to_string(),
                        status: tr.t(match a.status {
                            AmendmentStatus::Proposed => "amendment-proposed",
                            AmendmentStatus::Voting => "amendment-voting",
                            AmendmentStatus::Accepted => "amendment-accepted",
                            AmendmentStatus::Declined => "amendment-declined",
                        }),
                        open: a.status == AmendmentStatus::Proposed && open,
                        poll_href: a.poll.as_ref().map(|p| format!("/polls/{p}")),
                    })
                    .collect(),
                polls: s
                    .polls_on(&m.id)
                    .map(|p| PollItem {
                        href: format!("/polls/{}", p.id),
                        label: format!(
                            "{}{} · {}",
                            if p.amendment.is_some() { format!("{} · ", tr.t("poll-on-amendment")) } else { String::new() },
                            tr.t(if p.closed.is_some() { "poll-closed" } else { "poll-open" }),
                            local(p.closes_at, zone)
                        ),
                    })
                    .collect(),
                can_argue: member && matches!(m.status, MotionStatus::Open | MotionStatus::Voting { .. }),
                can_amend: member && open,
                is_mover: me.as_ref() == Some(&m.mover),
                // While an amendment is being voted on, neither the motion nor another
                // amendment can be put to a vote (the domain refuses it too).
                can_open_poll,
                can_vote_on_amendments: can_open_poll && m.amendments.iter().any(|a| a.status == AmendmentStatus::Proposed),
                in_council: s.council(&b.id).is_some(),
            })
        })
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    render(&view, &ctx)
}

#[derive(Debug, Deserialize)]
pub struct ArgueForm {
    #[serde(default)]
    csrf: String,
    side: String,
    text: String,
}

pub async fn argue(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<ArgueForm>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let viewer = ctx.viewer()?.id.clone();
    let motion = motion_id(&ctx, &id)?;
    let added = async {
        let side = match form.side.as_str() {
            "for" => Side::For,
            "against" => Side::Against,
            other => return Err(WebError::bad_input("invalid_input", format!("{other:?} is not a side (for or against)"))),
        };
        let text = Prose::parse(&form.text)?;
        let argument = new_id(ArgumentId::parse)?;
        let at = now()?;
        app.store.execute(|s| s.add_argument(argument, &motion, side, text, &viewer, at)).await?;
        Ok(())
    }
    .await;
    added.map_err(|e| ctx.page_error(e))?;
    Ok(see(&format!("/motions/{motion}")))
}

#[derive(Debug, Deserialize)]
pub struct AmendForm {
    #[serde(default)]
    csrf: String,
    text: String,
}

pub async fn amend(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<AmendForm>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let viewer = ctx.viewer()?.id.clone();
    let motion = motion_id(&ctx, &id)?;
    let proposed = async {
        let text = Prose::parse(&form.text)?;
        let amendment = new_id(AmendmentId::parse)?;
        let at = now()?;
        app.store.execute(|s| s.propose_amendment(amendment, &motion, text, &viewer, at)).await?;
        Ok::<_, WebError>(())
    }
    .await;
    proposed.map_err(|e| ctx.page_error(e))?;
    Ok(see(&format!("/motions/{motion}")))
}

#[derive(Debug, Deserialize)]
pub struct SettleForm {
    #[serde(default)]
    csrf: String,
    /// `accept` or `decline`.
    decision: String,
}

pub async fn settle(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path((id, amendment)): Path<(String, String)>,
    Form(form): Form<SettleForm>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let viewer = ctx.viewer()?.id.clone();
    let motion = motion_id(&ctx, &id)?;
    let amendment = AmendmentId::parse(&amendment).map_err(|_| ctx.page_error(WebError::not_found()))?;
    let accept = match form.decision.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return Err(ctx.page_error(WebError::bad_input("invalid_input", "the decision is accept or decline"))),
    };
    let at = now()?;
    app.store.execute(|s| s.settle_amendment(&motion, &amendment, accept, &viewer, at)).await.map_err(|e| ctx.page_error(e))?;
    Ok(see(&format!("/motions/{motion}")))
}
