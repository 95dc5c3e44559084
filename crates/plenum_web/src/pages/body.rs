//! An assembly's page: its charter, members, meetings and motions; joining and approving.

use askama::Template;
use axum::extract::{Path, State as AppState};
use axum::response::Response;
use plenum_core::charter::QuorumBase;
use plenum_core::{AccountId, Body, BodySlug, Charter, MembershipRule, QuorumRule, State, ThresholdRule};
use serde::Deserialize;

use crate::App;
use crate::context::Ctx;
use crate::csrf;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::ids::now;
use crate::local_time::show as local;
use crate::pages::{Form, Page, name_of, render, see};

#[derive(Debug)]
pub struct Item {
    pub href: String,
    pub label: String,
    pub note: String,
}

#[derive(Debug)]
pub struct Pending {
    pub id: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "body.html")]
struct BodyPage {
    page: Page,
    slug: String,
    name: String,
    charter: Vec<String>,
    members_count: String,
    members: Vec<String>,
    meetings: Vec<Item>,
    motions: Vec<Item>,
    signed_in: bool,
    is_member: bool,
    is_facilitator: bool,
    requested: bool,
    pending: Vec<Pending>,
}

/// The body a slug in an address names, or a 404 page.
pub fn body_by_slug<'s>(state: &'s State, slug: &str) -> Option<&'s Body> {
    BodySlug::parse(slug).ok().and_then(|slug| state.body_by_slug(&slug))
}

fn threshold(tr: Tr, rule: ThresholdRule) -> String {
    crate::pages::rule::threshold(tr, rule)
}

/// The charter in a few sentences.
pub fn charter_summary(tr: Tr, charter: &Charter) -> Vec<String> {
    let membership = match charter.membership {
        MembershipRule::Open => tr.t("charter-open"),
        MembershipRule::ApprovalByFacilitator => tr.t("charter-approval"),
    };
    let quorum_of = |of: QuorumBase| {
        tr.t(match of {
            QuorumBase::MembersPresent => "quorum-of-present",
            QuorumBase::BallotsCast => "quorum-of-ballots",
        })
    };
    let quorum = match charter.quorum {
        QuorumRule::None => tr.t("quorum-none"),
        QuorumRule::Count { count, of } => format!("{} {count} ({})", tr.t("quorum-label"), quorum_of(of)),
        QuorumRule::ShareOfRoll { share, of } => {
            format!("{} {share} {} ({})", tr.t("quorum-label"), tr.t("quorum-of-roll"), quorum_of(of))
        }
    };
    vec![
        membership,
        quorum,
        format!("{}: {}", tr.t("charter-motions-pass"), threshold(tr, charter.default_threshold)),
        format!("{}: {}", tr.t("charter-amended-by"), threshold(tr, charter.amendment)),
    ]
}

pub async fn show(ctx: Ctx, AppState(app): AppState<App>, Path(slug): Path<String>) -> Result<Response, WebError> {
    let tr = ctx.tr;
    let zone = app.config.time_zone;
    let viewer = ctx.viewer.as_ref().map(|v| v.id.clone());
    let view = app
        .store
        .read(|s| {
            let b = body_by_slug(s, &slug)?;
            let me = viewer.as_ref();
            let mut members: Vec<String> = b
                .current_members()
                .map(|id| {
                    let name = name_of(s, id);
                    if b.is_facilitator(id) { format!("{name} ({})", tr.t("role-facilitator")) } else { name }
                })
                .collect();
            members.sort();
            let is_facilitator = me.is_some_and(|m| b.is_facilitator(m));
            Some(BodyPage {
                page: Page::new(&ctx, b.name.to_string()),
                slug: b.slug.to_string(),
                name: b.name.to_string(),
                charter: charter_summary(tr, &b.charter),
                members_count: tr.n("members-count", b.current_members().count() as u64),
                members,
                meetings: s
                    .meetings_of(&b.id)
                    .map(|m| Item {
                        href: format!("/meetings/{}", m.id),
                        label: m.title.to_string(),
                        note: local(m.starts_at, zone),
                    })
                    .collect(),
                motions: s
                    .motions_of(&b.id)
                    .map(|m| Item {
                        href: format!("/motions/{}", m.id),
                        label: m.title.to_string(),
                        note: tr.t(&format!("status-{}", m.status.name())),
                    })
                    .collect(),
                signed_in: me.is_some(),
                is_member: me.is_some_and(|m| b.is_member(m)),
                is_facilitator,
                requested: me.is_some_and(|m| b.members.contains_key(m) && !b.is_member(m)),
                pending: if is_facilitator {
                    b.pending_requests().map(|id| Pending { id: id.to_string(), name: name_of(s, id) }).collect()
                } else {
                    Vec::new()
                },
            })
        })
        .await
        .ok_or_else(|| WebError::not_found().as_page(ctx.lang()))?;
    render(&view, &ctx)
}

#[derive(Debug, Deserialize)]
pub struct JoinForm {
    #[serde(default)]
    csrf: String,
}

pub async fn join(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(slug): Path<String>,
    Form(form): Form<JoinForm>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let viewer = ctx.viewer()?.id.clone();
    let body = app
        .store
        .read(|s| body_by_slug(s, &slug).map(|b| b.id.clone()))
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    let at = now()?;
    app.store.execute(|s| s.join(&body, &viewer, at)).await.map_err(|e| ctx.page_error(e))?;
    Ok(see(&format!("/bodies/{slug}")))
}

#[derive(Debug, Deserialize)]
pub struct ApproveForm {
    #[serde(default)]
    csrf: String,
    resident: String,
}

pub async fn approve(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(slug): Path<String>,
    Form(form): Form<ApproveForm>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let viewer = ctx.viewer()?.id.clone();
    let resident = AccountId::parse(&form.resident).map_err(|e| ctx.page_error(e))?;
    let body = app
        .store
        .read(|s| body_by_slug(s, &slug).map(|b| b.id.clone()))
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    let at = now()?;
    app.store.execute(|s| s.approve_membership(&body, &resident, &viewer, at)).await.map_err(|e| ctx.page_error(e))?;
    Ok(see(&format!("/bodies/{slug}")))
}
