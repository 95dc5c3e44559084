//! Organisations and coalitions: the public list and pages, registering an organisation,
//! founding a coalition, and the membership forms (applying, answering, removing, leaving,
//! joining as an individual). The platform is in `platform`, pledges in `pledge`.

use askama::Template;
use axum::extract::{Path, State as AppState};
use axum::response::Response;
use plenum_core::charter::Fraction;
use plenum_core::{
    AccountId, Coalition, CoalitionCharter, CoalitionRule, CreateOrganisation, Event, Instant, MembershipMatter, Organisation,
    OrganisationId, Prose, Refusal, State, Title,
};
use serde::Deserialize;

use crate::App;
use crate::context::Ctx;
use crate::csrf;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::ids::{new_id, now};
use crate::pages::body::Item;
use crate::pages::{Form, Page, name_of, render, see};

/// An option of a select: value and label.
#[derive(Debug, Clone)]
pub struct Opt {
    pub value: String,
    pub label: String,
}

/// Runs a command as the signed-in viewer after checking the CSRF token, then shows `back`.
pub async fn act(
    ctx: &Ctx,
    app: &App,
    token: &str,
    back: &str,
    command: impl FnOnce(&State, &AccountId, Instant) -> Result<Vec<Event>, Refusal>,
) -> Result<Response, WebError> {
    csrf::check(ctx, token)?;
    let viewer = ctx.viewer()?.id.clone();
    let at = now()?;
    app.store.execute(|s| command(s, &viewer, at)).await.map_err(|e| ctx.page_error(e))?;
    Ok(see(back))
}

pub fn organisation_id(ctx: &Ctx, id: &str) -> Result<OrganisationId, WebError> {
    OrganisationId::parse(id).map_err(|_| ctx.page_error(WebError::not_found()))
}

/// Parses a form value, showing a refusal page in the viewer's language if it is not valid.
pub fn parsed<T, E: Into<WebError>>(ctx: &Ctx, value: Result<T, E>) -> Result<T, WebError> {
    value.map_err(|e| ctx.page_error(e))
}

pub fn org_name(state: &State, id: &OrganisationId) -> String {
    state.organisation(id).map_or_else(|| "?".to_owned(), |o| o.name.to_string())
}

/// The organisations the viewer represents, as options.
fn represented(state: &State, me: Option<&AccountId>, keep: impl Fn(&Organisation) -> bool) -> Vec<Opt> {
    let Some(me) = me else { return Vec::new() };
    state.represented_by(me).filter(|o| keep(o)).map(|o| Opt { value: o.id.to_string(), label: o.name.to_string() }).collect()
}

/// The charter in a few sentences.
pub fn charter_summary(tr: Tr, charter: &CoalitionCharter) -> Vec<String> {
    let rule = match charter.rule {
        CoalitionRule::Consensus => tr.t("coalition-rule-consensus"),
        CoalitionRule::Supermajority { share } => format!("{} {share}", tr.t("coalition-rule-supermajority")),
    };
    vec![
        rule,
        format!("{} {}", tr.t("coalition-maximum-share"), charter.maximum_share),
        tr.t(if charter.individuals_may_join { "coalition-individuals-yes" } else { "coalition-individuals-no" }),
    ]
}

#[derive(Template)]
#[template(path = "organisations.html")]
struct OrganisationsPage {
    page: Page,
    organisations: Vec<Item>,
    coalitions: Vec<Item>,
    signed_in: bool,
}

pub async fn list(ctx: Ctx, AppState(app): AppState<App>) -> Result<Response, WebError> {
    let tr = ctx.tr;
    let view = app
        .store
        .read(|s| {
            let item = |o: &Organisation, href: String| Item { href, label: o.name.to_string(), note: o.kind.to_string() };
            OrganisationsPage {
                page: Page::new(&ctx, tr.t("org-list-title")),
                organisations: s.organisations().map(|o| item(o, format!("/organisations/{}", o.id))).collect(),
                coalitions: s
                    .organisations()
                    .filter(|o| o.coalition.is_some())
                    .map(|o| item(o, format!("/coalitions/{}", o.id)))
                    .collect(),
                signed_in: ctx.viewer.is_some(),
            }
        })
        .await;
    render(&view, &ctx)
}

#[derive(Debug, Deserialize)]
pub struct OrganisationForm {
    #[serde(default)]
    csrf: String,
    name: String,
    kind: String,
    description: String,
    contact: String,
}

fn new_organisation(form: &OrganisationForm) -> Result<CreateOrganisation, WebError> {
    Ok(CreateOrganisation {
        organisation: new_id(OrganisationId::parse)?,
        name: Title::parse(&form.name)?,
        kind: Title::parse(&form.kind)?,
        description: Prose::parse(&form.description)?,
        contact: Title::parse(&form.contact)?,
    })
}

pub async fn create(ctx: Ctx, AppState(app): AppState<App>, Form(form): Form<OrganisationForm>) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let new = parsed(&ctx, new_organisation(&form))?;
    let back = format!("/organisations/{}", new.organisation);
    act(&ctx, &app, &form.csrf, &back, |s, me, at| s.create_organisation(new, me, at)).await
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct OrganisationPage {
    page: Page,
    id: String,
    name: String,
    kind: String,
    description: String,
    contact: String,
    is_coalition: bool,
    representatives: Vec<String>,
    coalitions: Vec<Item>,
    is_representative: bool,
}

pub async fn show(ctx: Ctx, AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = organisation_id(&ctx, &id)?;
    let view = app
        .store
        .read(|s| {
            let o = s.organisation(&id)?;
            Some(OrganisationPage {
                page: Page::new(&ctx, o.name.to_string()),
                id: o.id.to_string(),
                name: o.name.to_string(),
                kind: o.kind.to_string(),
                description: o.description.to_string(),
                contact: o.contact.to_string(),
                is_coalition: o.coalition.is_some(),
                representatives: o.representatives.iter().map(|r| name_of(s, r)).collect(),
                coalitions: s
                    .coalitions_of(&id)
                    .map(|c| Item { href: format!("/coalitions/{}", c.id), label: c.name.to_string(), note: String::new() })
                    .collect(),
                is_representative: ctx.viewer.as_ref().is_some_and(|v| o.is_representative(&v.id)),
            })
        })
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    render(&view, &ctx)
}

#[derive(Template)]
#[template(path = "coalition_new.html")]
struct NewCoalitionPage {
    page: Page,
    founders: Vec<Opt>,
}

pub async fn new_form(ctx: Ctx, AppState(app): AppState<App>) -> Result<Response, WebError> {
    let me = ctx.viewer()?.id.clone();
    let founders = app.store.read(|s| represented(s, Some(&me), |_| true)).await;
    render(&NewCoalitionPage { page: Page::new(&ctx, ctx.tr.t("coalition-new-title")), founders }, &ctx)
}

/// A charter from the form's fields: `rule` (`consensus` or `supermajority`), `share`,
/// `maximum_share` and the `individuals` checkbox.
fn charter_from(form: &[(String, String)]) -> Result<CoalitionCharter, WebError> {
    let share =
        |name: &str| Fraction::parse(field(form, name).trim()).map_err(|e| WebError::bad_input("invalid_share", e.to_string()));
    let rule = match field(form, "rule") {
        "consensus" => CoalitionRule::Consensus,
        "supermajority" => CoalitionRule::Supermajority { share: share("share")? },
        other => return Err(WebError::bad_input("invalid_rule", format!("{other:?} is not a decision rule"))),
    };
    Ok(CoalitionCharter {
        rule,
        maximum_share: share("maximum_share")?,
        individuals_may_join: field(form, "individuals") == "yes",
    })
}

/// The value of the first field `name` in a form read as pairs.
pub fn field<'f>(form: &'f [(String, String)], name: &str) -> &'f str {
    form.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

pub async fn found(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    let built = (|| {
        let organisation = OrganisationForm {
            csrf: String::new(),
            name: field(&form, "name").to_owned(),
            kind: field(&form, "kind").to_owned(),
            description: field(&form, "description").to_owned(),
            contact: field(&form, "contact").to_owned(),
        };
        let new = new_organisation(&organisation)?;
        let founders =
            form.iter().filter(|(k, _)| k == "founder").map(|(_, v)| OrganisationId::parse(v)).collect::<Result<Vec<_>, _>>()?;
        Ok::<_, WebError>((new, charter_from(&form)?, founders))
    })();
    let (new, charter, founders) = parsed(&ctx, built)?;
    let back = format!("/coalitions/{}", new.organisation);
    act(&ctx, &app, field(&form, "csrf"), &back, |s, me, at| s.found_coalition(new, charter, founders, me, at)).await
}

#[derive(Debug)]
pub struct PendingView {
    pub organisation: String,
    pub name: String,
    pub matter: String,
    pub agree: usize,
    pub object: usize,
    pub roll: usize,
    /// The viewer's organisations on the roll that have not answered.
    pub answerable: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "coalition.html")]
struct CoalitionPage {
    page: Page,
    id: String,
    name: String,
    description: String,
    contact: String,
    charter: Vec<String>,
    members: Vec<Item>,
    individuals: Vec<String>,
    pending: Vec<PendingView>,
    decisions: Vec<String>,
    planks: usize,
    signed_in: bool,
    may_apply: Vec<Opt>,
    my_members: Vec<Opt>,
    removable: Vec<Opt>,
    may_join_individually: bool,
    is_individual: bool,
}

fn matter_label(tr: Tr, matter: MembershipMatter) -> String {
    tr.t(match matter {
        MembershipMatter::Admission => "coalition-admission",
        MembershipMatter::Removal => "coalition-removal",
    })
}

pub async fn show_coalition(ctx: Ctx, AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = organisation_id(&ctx, &id)?;
    let tr = ctx.tr;
    let me = ctx.viewer.as_ref().map(|v| v.id.clone());
    let view = app
        .store
        .read(|s| {
            let o = s.organisation(&id)?;
            let c: &Coalition = o.coalition.as_ref()?;
            let mine =
                |org: &OrganisationId| me.as_ref().is_some_and(|me| s.organisation(org).is_some_and(|o| o.is_representative(me)));
            let pending = c
                .pending
                .iter()
                .map(|(org, p)| PendingView {
                    organisation: org.to_string(),
                    name: org_name(s, org),
                    matter: matter_label(tr, p.matter),
                    agree: p.agree.len(),
                    object: p.object.len(),
                    roll: p.roll.len(),
                    answerable: p
                        .roll
                        .iter()
                        .filter(|m| mine(m) && !p.agree.contains(*m) && !p.object.contains(*m))
                        .map(|m| Opt { value: m.to_string(), label: org_name(s, m) })
                        .collect(),
                })
                .collect();
            let decisions = c
                .decisions
                .iter()
                .rev()
                .map(|d| {
                    let outcome = tr.t(if d.carried { "coalition-carried" } else { "coalition-not-carried" });
                    format!(
                        "{}: {} — {outcome} ({} {}, {} {}, {} {})",
                        matter_label(tr, d.matter),
                        org_name(s, &d.organisation),
                        d.agree,
                        tr.t("coalition-agree"),
                        d.object,
                        tr.t("coalition-object"),
                        d.roll,
                        tr.t("coalition-roll")
                    )
                })
                .collect();
            let my_members: Vec<Opt> =
                c.members.keys().filter(|m| mine(m)).map(|m| Opt { value: m.to_string(), label: org_name(s, m) }).collect();
            Some(CoalitionPage {
                page: Page::new(&ctx, o.name.to_string()),
                id: o.id.to_string(),
                name: o.name.to_string(),
                description: o.description.to_string(),
                contact: o.contact.to_string(),
                charter: charter_summary(tr, &c.charter),
                members: c
                    .members
                    .keys()
                    .map(|m| Item {
                        href: format!("/organisations/{m}"),
                        label: org_name(s, m),
                        note: s.organisation(m).map(|o| o.kind.to_string()).unwrap_or_default(),
                    })
                    .collect(),
                individuals: c.individuals.keys().map(|r| name_of(s, r)).collect(),
                pending,
                decisions,
                planks: c.platform.len(),
                signed_in: me.is_some(),
                may_apply: represented(s, me.as_ref(), |org| {
                    org.id != id && !c.is_member(&org.id) && !c.pending.contains_key(&org.id)
                }),
                removable: if my_members.is_empty() {
                    Vec::new()
                } else {
                    c.members
                        .keys()
                        .filter(|m| !c.pending.contains_key(*m))
                        .map(|m| Opt { value: m.to_string(), label: org_name(s, m) })
                        .collect()
                },
                my_members,
                may_join_individually: c.charter.individuals_may_join,
                is_individual: me.as_ref().is_some_and(|me| c.individuals.contains_key(me)),
            })
        })
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    render(&view, &ctx)
}

#[derive(Debug, Deserialize)]
pub struct OrganisationChoice {
    #[serde(default)]
    csrf: String,
    organisation: String,
    #[serde(default)]
    member: String,
    #[serde(default)]
    answer: String,
}

pub async fn apply(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<OrganisationChoice>,
) -> Result<Response, WebError> {
    let coalition = organisation_id(&ctx, &id)?;
    let org = parsed(&ctx, OrganisationId::parse(&form.organisation))?;
    let back = format!("/coalitions/{coalition}");
    act(&ctx, &app, &form.csrf, &back, |s, me, at| s.apply_to_join(&coalition, &org, me, at)).await
}

pub async fn answer(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<OrganisationChoice>,
) -> Result<Response, WebError> {
    let coalition = organisation_id(&ctx, &id)?;
    let org = parsed(&ctx, OrganisationId::parse(&form.organisation))?;
    let member = parsed(&ctx, OrganisationId::parse(&form.member))?;
    let agree = match form.answer.as_str() {
        "agree" => true,
        "object" => false,
        _ => return Err(ctx.page_error(WebError::bad_input("invalid_input", "answer agree or object"))),
    };
    let back = format!("/coalitions/{coalition}");
    act(&ctx, &app, &form.csrf, &back, |s, me, at| s.answer_membership(&coalition, &org, &member, agree, me, at)).await
}

pub async fn remove(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<OrganisationChoice>,
) -> Result<Response, WebError> {
    let coalition = organisation_id(&ctx, &id)?;
    let org = parsed(&ctx, OrganisationId::parse(&form.organisation))?;
    let back = format!("/coalitions/{coalition}");
    act(&ctx, &app, &form.csrf, &back, |s, me, at| s.propose_removal(&coalition, &org, me, at)).await
}

pub async fn leave(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<OrganisationChoice>,
) -> Result<Response, WebError> {
    let coalition = organisation_id(&ctx, &id)?;
    let org = parsed(&ctx, OrganisationId::parse(&form.organisation))?;
    let back = format!("/coalitions/{coalition}");
    act(&ctx, &app, &form.csrf, &back, |s, me, at| s.leave_coalition(&coalition, &org, me, at)).await
}

#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub async fn join_individually(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let coalition = organisation_id(&ctx, &id)?;
    let back = format!("/coalitions/{coalition}");
    act(&ctx, &app, &form.csrf, &back, |s, me, at| s.join_as_individual(&coalition, me, at)).await
}

pub async fn leave_individually(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let coalition = organisation_id(&ctx, &id)?;
    let back = format!("/coalitions/{coalition}");
    act(&ctx, &app, &form.csrf, &back, |s, me, at| s.leave_as_individual(&coalition, me, at)).await
}

#[derive(Debug, Deserialize)]
pub struct RepresentativeForm {
    #[serde(default)]
    csrf: String,
    login: String,
}

/// A representative makes another resident, named by their login name, a representative too.
pub async fn add_representative(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<RepresentativeForm>,
) -> Result<Response, WebError> {
    let organisation = organisation_id(&ctx, &id)?;
    csrf::check(&ctx, &form.csrf)?;
    ctx.viewer()?;
    let login = form.login.trim().to_lowercase();
    let resident = app
        .store
        .credentials(&login)
        .await
        .map_err(|e| ctx.page_error(e))?
        .map(|(id, _)| id)
        .ok_or_else(|| ctx.page_error(WebError::bad_input("unknown_login", format!("nobody signs in as {login:?}"))))?;
    let back = format!("/organisations/{organisation}");
    act(&ctx, &app, &form.csrf, &back, |s, me, at| s.add_representative(&organisation, &resident, me, at)).await
}
