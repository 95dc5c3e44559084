//! A coalition's platform (printable), one plank with its history and the members' positions,
//! the programme comparison, and the platform's exports as JSON and Markdown.

use askama::Template;
use axum::extract::{Path, State as AppState};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use plenum_core::{OrganisationId, PlankId, PlankText, Position, Prose, State, Title};
use serde::Deserialize;

use crate::App;
use crate::api::coalition::{PlatformExport, platform_export};
use crate::context::Ctx;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::ids::new_id;
use crate::pages::coalition::{Opt, act, org_name, organisation_id, parsed};
use crate::pages::{Form, Page, name_of, render};

/// One plank as the platform page and the plank page show it.
#[derive(Debug)]
pub struct PlankView {
    pub id: String,
    pub title: String,
    pub category: String,
    pub text: String,
    pub version: u32,
    pub status: String,
}

/// A member's position as shown.
#[derive(Debug)]
pub struct PositionView {
    pub organisation: String,
    pub stance: String,
    /// `endorse`, `block`, …, for styling.
    pub class: String,
    pub note: Option<String>,
}

fn plank_id(ctx: &Ctx, id: &str) -> Result<PlankId, WebError> {
    PlankId::parse(id).map_err(|_| ctx.page_error(WebError::not_found()))
}

fn stance_label(tr: Tr, position: &Position) -> String {
    tr.t(&format!("stance-{}", position.name()))
}

fn status_label(tr: Tr, adopted: bool) -> String {
    tr.t(if adopted { "plank-adopted" } else { "plank-proposed" })
}

#[derive(Template)]
#[template(path = "platform.html")]
struct PlatformPage {
    page: Page,
    id: String,
    name: String,
    planks: Vec<PlankView>,
    may_propose: bool,
}

fn plank_views(tr: Tr, s: &State, coalition: &OrganisationId) -> Option<Vec<PlankView>> {
    let c = s.coalition(coalition)?;
    Some(
        s.programme(c)
            .rows
            .iter()
            .filter_map(|row| {
                let current = s.plank(&row.plank)?.current()?;
                Some(PlankView {
                    id: row.plank.to_string(),
                    title: current.title.to_string(),
                    category: current.category.to_string(),
                    text: current.text.to_string(),
                    version: row.version,
                    status: status_label(tr, row.adopted),
                })
            })
            .collect(),
    )
}

/// Whether the viewer represents a member of the coalition.
fn represents_member(s: &State, coalition: &OrganisationId, ctx: &Ctx) -> bool {
    let Some(me) = ctx.viewer.as_ref().map(|v| &v.id) else { return false };
    s.coalition(coalition).is_some_and(|c| c.members.keys().any(|m| s.organisation(m).is_some_and(|o| o.is_representative(me))))
}

pub async fn show(ctx: Ctx, AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = organisation_id(&ctx, &id)?;
    let tr = ctx.tr;
    let view = app
        .store
        .read(|s| {
            let o = s.organisation(&id)?;
            Some(PlatformPage {
                page: Page::new(&ctx, format!("{} · {}", tr.t("platform-title"), o.name)),
                id: o.id.to_string(),
                name: o.name.to_string(),
                planks: plank_views(tr, s, &id)?,
                may_propose: represents_member(s, &id, &ctx),
            })
        })
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    render(&view, &ctx)
}

#[derive(Debug)]
pub struct VersionView {
    pub version: usize,
    pub title: String,
    pub category: String,
    pub text: String,
    pub by: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "plank.html")]
struct PlankPage {
    page: Page,
    coalition: String,
    coalition_name: String,
    plank: PlankView,
    versions: Vec<VersionView>,
    positions: Vec<PositionView>,
    silent: Vec<String>,
    platforms: Vec<Opt>,
    my_members: Vec<Opt>,
    share_to: Vec<Opt>,
    may_act: bool,
}

pub async fn show_plank(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path((id, plank)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = organisation_id(&ctx, &id)?;
    let plank = plank_id(&ctx, &plank)?;
    let tr = ctx.tr;
    let me = ctx.viewer.as_ref().map(|v| v.id.clone());
    let view = app
        .store
        .read(|s| {
            let o = s.organisation(&id)?;
            let c = o.coalition.as_ref()?;
            let entry = c.entry(&plank)?;
            let p = s.plank(&plank)?;
            let current = p.current()?;
            let version = p.version();
            let row = s.programme(c).rows.into_iter().find(|r| r.plank == plank)?;
            let mine =
                |org: &OrganisationId| me.as_ref().is_some_and(|me| s.organisation(org).is_some_and(|o| o.is_representative(me)));
            let positions = c
                .members
                .keys()
                .filter_map(|m| {
                    let position = entry.position_on(m, version)?;
                    Some(PositionView {
                        organisation: org_name(s, m),
                        stance: stance_label(tr, position),
                        class: position.name().to_owned(),
                        note: position.text().map(ToString::to_string),
                    })
                })
                .collect();
            let silent = c.members.keys().filter(|m| entry.position_on(m, version).is_none()).map(|m| org_name(s, m)).collect();
            let share_to = match &me {
                Some(me) => s
                    .organisations()
                    .filter(|k| {
                        k.coalition.as_ref().is_some_and(|kc| {
                            kc.entry(&plank).is_none()
                                && kc.members.keys().any(|m| s.organisation(m).is_some_and(|mo| mo.is_representative(me)))
                        })
                    })
                    .map(|k| Opt { value: k.id.to_string(), label: k.name.to_string() })
                    .collect(),
                None => Vec::new(),
            };
            Some(PlankPage {
                page: Page::new(&ctx, current.title.to_string()),
                coalition: o.id.to_string(),
                coalition_name: o.name.to_string(),
                plank: PlankView {
                    id: plank.to_string(),
                    title: current.title.to_string(),
                    category: current.category.to_string(),
                    text: current.text.to_string(),
                    version,
                    status: status_label(tr, row.adopted),
                },
                versions: p
                    .versions
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(i, v)| VersionView {
                        version: i + 1,
                        title: v.title.to_string(),
                        category: v.category.to_string(),
                        text: v.text.to_string(),
                        by: name_of(s, &v.by),
                        at: v.at.to_string(),
                    })
                    .collect(),
                positions,
                silent,
                platforms: s.platforms_with(&plank).map(|k| Opt { value: k.id.to_string(), label: k.name.to_string() }).collect(),
                my_members: c
                    .members
                    .keys()
                    .filter(|m| mine(m))
                    .map(|m| Opt { value: m.to_string(), label: org_name(s, m) })
                    .collect(),
                share_to,
                may_act: represents_member(s, &id, &ctx),
            })
        })
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    render(&view, &ctx)
}

#[derive(Debug, Deserialize)]
pub struct PlankForm {
    #[serde(default)]
    csrf: String,
    title: String,
    category: String,
    text: String,
}

fn wording(form: &PlankForm) -> Result<PlankText, WebError> {
    Ok(PlankText { title: Title::parse(&form.title)?, text: Prose::parse(&form.text)?, category: Title::parse(&form.category)? })
}

pub async fn propose(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<PlankForm>,
) -> Result<Response, WebError> {
    let coalition = organisation_id(&ctx, &id)?;
    crate::csrf::check(&ctx, &form.csrf)?;
    let wording = parsed(&ctx, wording(&form))?;
    let plank = parsed(&ctx, new_id(PlankId::parse))?;
    let back = format!("/coalitions/{coalition}/planks/{plank}");
    act(&ctx, &app, &form.csrf, &back, |s, me, at| s.propose_plank(plank, &coalition, wording, me, at)).await
}

pub async fn amend(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path((id, plank)): Path<(String, String)>,
    Form(form): Form<PlankForm>,
) -> Result<Response, WebError> {
    let coalition = organisation_id(&ctx, &id)?;
    let plank = plank_id(&ctx, &plank)?;
    crate::csrf::check(&ctx, &form.csrf)?;
    let wording = parsed(&ctx, wording(&form))?;
    let back = format!("/coalitions/{coalition}/planks/{plank}");
    act(&ctx, &app, &form.csrf, &back, |s, me, at| s.amend_plank(&plank, wording, me, at)).await
}

#[derive(Debug, Deserialize)]
pub struct PositionForm {
    #[serde(default)]
    csrf: String,
    organisation: String,
    version: String,
    stance: String,
    #[serde(default)]
    note: String,
}

/// The position a form describes: the stance and, for reservations and blocks, the text.
fn position_from(form: &PositionForm) -> Result<Position, WebError> {
    let note = || {
        Prose::parse(&form.note).map_err(|_| WebError::bad_input("position_needs_text", "write the reservation or the reasons"))
    };
    Ok(match form.stance.as_str() {
        "endorse" => Position::Endorse,
        "endorse_with_reservations" => Position::EndorseWithReservations { reservation: note()? },
        "stand_aside" => Position::StandAside,
        "block" => Position::Block { reasons: note()? },
        other => return Err(WebError::bad_input("invalid_input", format!("{other:?} is not a position"))),
    })
}

pub async fn take_position(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path((id, plank)): Path<(String, String)>,
    Form(form): Form<PositionForm>,
) -> Result<Response, WebError> {
    let coalition = organisation_id(&ctx, &id)?;
    let plank = plank_id(&ctx, &plank)?;
    crate::csrf::check(&ctx, &form.csrf)?;
    let org = parsed(&ctx, OrganisationId::parse(&form.organisation))?;
    let version: u32 = parsed(&ctx, form.version.trim().parse().map_err(|_| WebError::bad_input("invalid_input", "no version")))?;
    let position = parsed(&ctx, position_from(&form))?;
    let back = format!("/coalitions/{coalition}/planks/{plank}");
    act(&ctx, &app, &form.csrf, &back, |s, me, at| s.take_position(&coalition, &plank, &org, version, position, me, at)).await
}

#[derive(Debug, Deserialize)]
pub struct AdoptForm {
    #[serde(default)]
    csrf: String,
}

pub async fn adopt(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path((id, plank)): Path<(String, String)>,
    Form(form): Form<AdoptForm>,
) -> Result<Response, WebError> {
    let coalition = organisation_id(&ctx, &id)?;
    let plank = plank_id(&ctx, &plank)?;
    let back = format!("/coalitions/{coalition}/planks/{plank}");
    act(&ctx, &app, &form.csrf, &back, |s, me, at| s.adopt_plank(&coalition, &plank, me, at)).await
}

#[derive(Debug, Deserialize)]
pub struct ShareForm {
    #[serde(default)]
    csrf: String,
    coalition: String,
}

pub async fn share(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path((id, plank)): Path<(String, String)>,
    Form(form): Form<ShareForm>,
) -> Result<Response, WebError> {
    organisation_id(&ctx, &id)?;
    let plank = plank_id(&ctx, &plank)?;
    let to = parsed(&ctx, OrganisationId::parse(&form.coalition))?;
    let back = format!("/coalitions/{to}/planks/{plank}");
    act(&ctx, &app, &form.csrf, &back, |s, me, at| s.share_plank(&plank, &to, me, at)).await
}

/// One plank in the programme comparison.
#[derive(Debug)]
pub struct ComparisonRow {
    pub id: String,
    pub title: String,
    pub status: String,
    pub endorsements: u64,
    pub blocks: u64,
    pub in_minimum: bool,
    pub in_maximum: bool,
    /// One cell per member, in the order of the header.
    pub cells: Vec<PositionView>,
}

#[derive(Template)]
#[template(path = "programme.html")]
struct ProgrammePage {
    page: Page,
    id: String,
    name: String,
    members: Vec<String>,
    member_count: usize,
    maximum_needs: u64,
    maximum_share: String,
    minimum: Vec<(String, String)>,
    maximum: Vec<(String, String)>,
    rows: Vec<ComparisonRow>,
}

pub async fn programme(ctx: Ctx, AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = organisation_id(&ctx, &id)?;
    let tr = ctx.tr;
    let view = app
        .store
        .read(|s| {
            let o = s.organisation(&id)?;
            let c = o.coalition.as_ref()?;
            let programme = s.programme(c);
            let title =
                |plank: &PlankId| s.plank(plank).and_then(|p| p.current()).map(|v| v.title.to_string()).unwrap_or_default();
            let link = |plank: &PlankId| (format!("/coalitions/{id}/planks/{plank}"), title(plank));
            let rows = programme
                .rows
                .iter()
                .filter_map(|row| {
                    let entry = c.entry(&row.plank)?;
                    Some(ComparisonRow {
                        id: row.plank.to_string(),
                        title: title(&row.plank),
                        status: status_label(tr, row.adopted),
                        endorsements: row.count.endorsements(),
                        blocks: row.count.block,
                        in_minimum: row.in_minimum,
                        in_maximum: row.in_maximum,
                        cells: c
                            .members
                            .keys()
                            .map(|m| match entry.position_on(m, row.version) {
                                Some(p) => PositionView {
                                    organisation: org_name(s, m),
                                    stance: stance_label(tr, p),
                                    class: p.name().to_owned(),
                                    note: p.text().map(ToString::to_string),
                                },
                                None => PositionView {
                                    organisation: org_name(s, m),
                                    stance: tr.t("stance-none"),
                                    class: "none".to_owned(),
                                    note: None,
                                },
                            })
                            .collect(),
                    })
                })
                .collect();
            Some(ProgrammePage {
                page: Page::new(&ctx, format!("{} · {}", tr.t("programme-title"), o.name)),
                id: o.id.to_string(),
                name: o.name.to_string(),
                members: c.members.keys().map(|m| org_name(s, m)).collect(),
                member_count: c.members.len(),
                maximum_needs: programme.maximum_needs,
                maximum_share: c.charter.maximum_share.to_string(),
                minimum: programme.minimum().map(|r| link(&r.plank)).collect(),
                maximum: programme.maximum().map(|r| link(&r.plank)).collect(),
                rows,
            })
        })
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    render(&view, &ctx)
}

async fn export(ctx: &Ctx, app: &App, id: &str) -> Result<PlatformExport, WebError> {
    let id = organisation_id(ctx, id)?;
    app.store.read(|s| platform_export(s, &id)).await.ok_or_else(|| ctx.page_error(WebError::not_found()))
}

/// `GET /coalitions/{id}/platform.json`: the platform as open data, for download.
pub async fn export_json(ctx: Ctx, AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Response, WebError> {
    let export = export(&ctx, &app, &id).await?;
    let json = serde_json::to_string_pretty(&export).map_err(|e| WebError::internal(&e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

/// `GET /coalitions/{id}/platform.md`: the platform as Markdown, to edit, print or post.
pub async fn export_markdown(ctx: Ctx, AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Response, WebError> {
    let export = export(&ctx, &app, &id).await?;
    Ok(([(header::CONTENT_TYPE, "text/markdown; charset=utf-8")], markdown(&export)).into_response())
}

/// The platform in Markdown: a heading per plank, its category and status, then its text.
#[must_use]
pub fn markdown(export: &PlatformExport) -> String {
    let mut out = format!("# {}\n\n", export.coalition.name);
    out.push_str(&format!(
        "Members: {}\n\nMinimum programme: {} plank(s). Maximum programme (endorsed by at least {} of the members): {} plank(s).\n",
        export.members.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", "),
        export.planks.iter().filter(|p| p.in_minimum).count(),
        export.maximum_share,
        export.planks.iter().filter(|p| p.in_maximum).count(),
    ));
    for plank in &export.planks {
        let mut tags = vec![plank.status.to_owned()];
        if plank.in_minimum {
            tags.push("minimum programme".to_owned());
        } else if plank.in_maximum {
            tags.push("maximum programme".to_owned());
        }
        out.push_str(&format!(
            "\n## {}\n\n*{}* · version {} · {}\n\n{}\n",
            plank.title.replace('\n', " "),
            plank.category,
            plank.version,
            tags.join(" · "),
            plank.text.trim_end()
        ));
    }
    out
}
