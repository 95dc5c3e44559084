//! An assembly's page: its charter, members, meetings and motions; creating one, joining and
//! approving.

use askama::Template;
use axum::extract::{Path, RawQuery, State as AppState};
use axum::response::{IntoResponse, Response};
use plenum_core::charter::QuorumBase;
use plenum_core::{
    AccountId, Body, BodyId, BodySlug, Charter, CreateBody, MembershipRule, QuorumRule, State, ThresholdRule, Title,
};
use serde::Deserialize;

use crate::App;
use crate::context::Ctx;
use crate::csrf;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::ids::{new_id, now};
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
    budget_cycles: Vec<Item>,
    motions: Vec<Item>,
    /// Links to the next and previous pages of motions and of members, when there are any.
    motions_pages: Pager,
    members_pages: Pager,
    signed_in: bool,
    is_member: bool,
    is_facilitator: bool,
    requested: bool,
    pending: Vec<Pending>,
    /// The council page, for a council; the councils it sends delegates to, for any body.
    councils: Vec<(String, String)>,
}

/// How many motions and members one page of an assembly shows: a large assembly (ten thousand
/// members, a thousand motions) must not cost a page of megabytes on every visit.
const MOTIONS_PER_PAGE: usize = 50;
const MEMBERS_PER_PAGE: usize = 200;

/// The page number (from 1) that `key=N` in a query string asks for; anything else is page 1.
fn page_number(query: Option<&str>, key: &str) -> usize {
    query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == key)
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .filter(|&n| n >= 1)
        .unwrap_or(1)
}

/// Links to the neighbouring pages of a list.
#[derive(Debug, Default)]
pub struct Pager {
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// For page `page` (from 1) of `total` items shown `per_page` at a time; `href` makes the
    /// link to a page number.
    fn new(page: usize, per_page: usize, total: usize, href: impl Fn(usize) -> String) -> Pager {
        Pager {
            previous: (page > 1).then(|| href(page - 1)),
            next: (page.saturating_mul(per_page) < total).then(|| href(page + 1)),
        }
    }
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

pub async fn show(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    // `?motions=N&members=N`: which page of each list to show.
    let (motions_page, members_page) = (page_number(query.as_deref(), "motions"), page_number(query.as_deref(), "members"));
    let tr = ctx.tr;
    let zone = app.config.time_zone;
    let viewer = ctx.viewer.as_ref().map(|v| v.id.clone());
    let view = app
        .store
        .read(|s| {
            let b = body_by_slug(s, &slug)?;
            let me = viewer.as_ref();
            // Facilitators first, then the others, each group in the roll's order; only one
            // page of names is looked up.
            let total_members = b.current_members().count();
            let members: Vec<String> = b
                .current_members()
                .filter(|id| b.is_facilitator(id))
                .chain(b.current_members().filter(|id| !b.is_facilitator(id)))
                .skip((members_page - 1).saturating_mul(MEMBERS_PER_PAGE))
                .take(MEMBERS_PER_PAGE)
                .map(|id| {
                    let name = name_of(s, id);
                    if b.is_facilitator(id) { format!("{name} ({})", tr.t("role-facilitator")) } else { name }
                })
                .collect();
            // Newest motions first: the reversed filing order (`motions_of` gives id order, which
            // the stable sort keeps among motions filed at the same instant).
            let mut all_motions: Vec<_> = s.motions_of(&b.id).collect();
            all_motions.sort_by_key(|m| m.filed_at);
            let link = |motions: usize, members: usize| format!("/bodies/{}?motions={motions}&members={members}", b.slug);
            let is_facilitator = me.is_some_and(|m| b.is_facilitator(m));
            let councils = s
                .council(&b.id)
                .map(|_| (format!("/councils/{}", b.slug), tr.t("body-council-page")))
                .into_iter()
                .chain(s.councils_of(&b.id).filter_map(|c| s.body(&c.id)).map(|c| {
                    (format!("/councils/{}", c.slug), tr.args("body-delegates-to", &[("council", c.name.to_string().into())]))
                }))
                .collect();
            Some(BodyPage {
                councils,
                page: Page::new(&ctx, b.name.to_string()),
                slug: b.slug.to_string(),
                name: b.name.to_string(),
                charter: charter_summary(tr, &b.charter),
                members_count: tr.n("members-count", total_members as u64),
                members,
                meetings: s
                    .meetings_of(&b.id)
                    .map(|m| Item {
                        href: format!("/meetings/{}", m.id),
                        label: m.title.to_string(),
                        note: local(m.starts_at, zone),
                    })
                    .collect(),
                budget_cycles: s
                    .budgets()
                    .cycles_of(&b.id)
                    .map(|c| Item {
                        href: format!("/budget-cycles/{}", c.id),
                        label: c.title.to_string(),
                        note: crate::pages::budget::phase_label(tr, c.phase),
                    })
                    .collect(),
                motions_pages: Pager::new(motions_page, MOTIONS_PER_PAGE, all_motions.len(), |n| link(n, members_page)),
                members_pages: Pager::new(members_page, MEMBERS_PER_PAGE, total_members, |n| link(motions_page, n)),
                motions: all_motions
                    .iter()
                    .rev()
                    .skip((motions_page - 1).saturating_mul(MOTIONS_PER_PAGE))
                    .take(MOTIONS_PER_PAGE)
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

#[derive(Template)]
#[template(path = "body_new.html")]
struct NewBodyPage {
    page: Page,
    error: Option<String>,
    name: String,
    slug: String,
    membership: String,
}

pub async fn new_form(ctx: Ctx) -> Result<Response, WebError> {
    ctx.viewer()?;
    let page = Page::new(&ctx, ctx.tr.t("body-new-title"));
    let view = NewBodyPage { page, error: None, name: String::new(), slug: String::new(), membership: "open".to_owned() };
    render(&view, &ctx)
}

#[derive(Debug, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    csrf: String,
    name: String,
    slug: String,
    membership: String,
}

/// Addresses under `/bodies/` that are pages rather than assemblies.
pub const RESERVED_SLUGS: [&str; 1] = ["new"];

/// A resident creates an assembly, under the default charter with the membership rule they
/// chose, and becomes its facilitator.
pub async fn create(ctx: Ctx, AppState(app): AppState<App>, Form(form): Form<CreateForm>) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let viewer = ctx.viewer()?.id.clone();
    let created = async {
        let name = Title::parse(&form.name).map_err(|e| WebError::bad_input("invalid_body_name", e.to_string()))?;
        let slug = BodySlug::parse(form.slug.trim())
            .ok()
            .filter(|s| !RESERVED_SLUGS.contains(&s.as_str()))
            .ok_or_else(|| WebError::bad_input("invalid_slug", format!("{:?} cannot be an address name", form.slug)))?;
        let charter = Charter { membership: crate::pages::charter::membership(&form.membership)?, ..Charter::default() };
        let new = CreateBody { body: new_id(BodyId::parse)?, slug: slug.clone(), name, charter: Some(charter) };
        let at = now()?;
        app.store.execute(|s| s.create_body(new, &viewer, at)).await?;
        Ok::<_, WebError>(slug)
    }
    .await;
    match created {
        Ok(slug) => Ok(see(&format!("/bodies/{slug}"))),
        Err(error) if error.status.is_client_error() => {
            let page = Page::new(&ctx, ctx.tr.t("body-new-title"));
            let message = if ctx.tr.has(error.code) { ctx.tr.t(error.code) } else { error.message.clone() };
            let view = NewBodyPage { page, error: Some(message), name: form.name, slug: form.slug, membership: form.membership };
            Ok((error.status, render(&view, &ctx)?).into_response())
        }
        Err(error) => Err(ctx.page_error(error)),
    }
}
