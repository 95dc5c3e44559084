//! The resident registry's pages: what the registry holds (public), the registrar's desk
//! (enrol a resident seen in person, look one up with a reason, erase on request), the card
//! printed for the resident (SVG with a QR code of the signed token, and the one-time claim
//! code shown once), claiming a card with an account, and "my credential": who read my data,
//! and erase it now.
//!
//! No page lists residents or their personal data: the desk reads one resident at a time,
//! each read logged with its reason before the name is shown.

use askama::Template;
use axum::extract::{Query, State as AppState};
use axum::http::StatusCode;
use axum::response::Response;
use plenum_core::credential::{AgeBand, Credential};
use plenum_core::{AccountId, BodyId, EnrolResident, ErasureReason, Instant, Prose, ReceiptCode, Title};
use plenum_store::{ClaimRefusal, EnrolSecrets, PersonalData, StoreError};
use serde::Deserialize;

use crate::App;
use crate::context::Ctx;
use crate::csrf;
use crate::error::WebError;
use crate::ids::{now, random_bytes};
use crate::local_time::{local_to_instant, show as local};
use crate::pages::{Form, Page, name_of, render, see};

/// How long a claim code works after enrolment.
const CLAIM_CODE_SECONDS: i64 = 30 * 86_400;

pub fn age_band_key(band: AgeBand) -> &'static str {
    match band {
        AgeBand::Under16 => "credential-age-under16",
        AgeBand::From16To17 => "credential-age-from16-to17",
        AgeBand::Adult => "credential-age-adult",
    }
}

fn not_a_registrar(ctx: &Ctx) -> WebError {
    ctx.page_error(plenum_core::Refusal::NotARegistrar)
}

/// The signed-in viewer, if they are a registrar.
async fn registrar(ctx: &Ctx, app: &App) -> Result<AccountId, WebError> {
    let viewer = ctx.viewer()?.id.clone();
    if app.store.read(|s| s.registry().is_registrar(&viewer)).await { Ok(viewer) } else { Err(not_a_registrar(ctx)) }
}

#[derive(Template)]
#[template(path = "registry.html")]
struct Overview {
    page: Page,
    issued: usize,
    erased: usize,
    registrars: Vec<String>,
    is_registrar: bool,
    erasure_text: String,
}

pub async fn overview(ctx: Ctx, AppState(app): AppState<App>) -> Result<Response, WebError> {
    let viewer = ctx.viewer.as_ref().map(|v| v.id.clone());
    let (issued, erased, registrars, is_registrar) = app
        .store
        .read(|s| {
            let registry = s.registry();
            (
                registry.credentials().count(),
                registry.credentials().filter(|c| c.erased.is_some()).count(),
                registry.registrars().map(|(id, _)| name_of(s, id)).collect(),
                viewer.as_ref().is_some_and(|v| registry.is_registrar(v)),
            )
        })
        .await;
    let page = Page::new(&ctx, ctx.tr.t("registry-title"));
    let erasure_text = ctx.tr.args("registry-erasure", &[("days", app.config.registry_grace_days.into())]);
    render(&Overview { page, issued, erased, registrars, is_registrar, erasure_text }, &ctx)
}

#[derive(Template)]
#[template(path = "registry_desk.html")]
struct Desk {
    page: Page,
    can_issue: bool,
    areas: Vec<(String, String)>,
    default_expiry: String,
}

pub async fn desk(ctx: Ctx, AppState(app): AppState<App>) -> Result<Response, WebError> {
    registrar(&ctx, &app).await?;
    let areas = app.store.read(|s| s.bodies().map(|b| (b.id.to_string(), b.name.to_string())).collect()).await;
    let default_expiry = crate::local_time::field_value(now()?.plus_seconds(4 * 365 * 86_400), app.config.time_zone);
    let default_expiry = default_expiry.split('T').next().unwrap_or_default().to_owned();
    let page = Page::new(&ctx, ctx.tr.t("registry-desk-title"));
    render(&Desk { page, can_issue: app.config.credential_issuer.is_some(), areas, default_expiry }, &ctx)
}

/// The card as the resident gets it: on paper (SVG, printable) and as a token.
#[derive(Template)]
#[template(path = "registry_card.html")]
struct Card {
    page: Page,
    number: u64,
    name: String,
    area: String,
    age_band: String,
    issued: String,
    expires: String,
    token: String,
    /// The QR code of the token, an SVG element.
    qr: String,
    /// Shown once, right after enrolment; a reprint has none.
    claim_code: Option<String>,
    /// Until when the claim code works, as a sentence.
    claim_expires: String,
}

#[derive(Debug, Deserialize)]
pub struct EnrolForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    age_band: String,
    /// The expiry date, `YYYY-MM-DD`, in the instance's time zone.
    #[serde(default)]
    expires: String,
}

fn parse_age_band(text: &str) -> Result<AgeBand, WebError> {
    AgeBand::parse(text).ok_or_else(|| WebError::bad_input("invalid_age_band", "choose an age band"))
}

fn no_issuer() -> WebError {
    WebError::new(StatusCode::CONFLICT, "no_signing_key", "this instance has no credential signing key")
}

pub async fn enrol(ctx: Ctx, AppState(app): AppState<App>, Form(form): Form<EnrolForm>) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let registrar = registrar(&ctx, &app).await?;
    let issuer = app.config.credential_issuer.clone().ok_or_else(|| ctx.page_error(no_issuer()))?;
    let parsed = (|| {
        let name = Title::parse(&form.name)?;
        let area = BodyId::parse(form.area.trim())?;
        let age_band = parse_age_band(&form.age_band)?;
        let expires_at = local_to_instant(&format!("{}T00:00", form.expires.trim()), app.config.time_zone)
            .map_err(|e| WebError::bad_input(e.code(), e.to_string()))?;
        Ok::<_, WebError>((name, area, age_band, expires_at))
    })();
    let (name, area, age_band, expires_at) = parsed.map_err(|e| ctx.page_error(e))?;
    let at = now()?;
    let claim_code = ReceiptCode::from_random(random_bytes()?);
    let secrets = EnrolSecrets {
        key: random_bytes()?,
        nonce: random_bytes()?,
        claim_code: claim_code.as_str().to_owned(),
        claim_expires_at: at.plus_seconds(CLAIM_CODE_SECONDS),
    };
    let enrolment = EnrolResident { area: area.clone(), age_band, expires_at };
    let person = PersonalData { name };
    let number = app.store.enrol(enrolment, &person, secrets, &registrar, at).await.map_err(|e| ctx.page_error(e))?;
    let credential = Credential { number, area, age_band, issued_at: at, expires_at };
    let token = issuer.issue(&credential);
    let claim = Some((claim_code.to_string(), at.plus_seconds(CLAIM_CODE_SECONDS)));
    card(&ctx, &app, &credential, person.name.as_str(), token, claim).await
}

async fn card(
    ctx: &Ctx,
    app: &App,
    credential: &Credential,
    name: &str,
    token: String,
    claim: Option<(String, Instant)>,
) -> Result<Response, WebError> {
    let zone = app.config.time_zone;
    let area = app.store.read(|s| s.body(&credential.area).map(|b| b.name.to_string())).await.unwrap_or_default();
    let qr = qr_svg(&token, &ctx.tr.t("registry-card-qr")).map_err(|e| ctx.page_error(e))?;
    let page = Page::new(ctx, ctx.tr.t("registry-card-title"));
    let (claim_code, claim_expires) = match claim {
        Some((code, expires)) => (Some(code), ctx.tr.args("registry-claim-code-intro", &[("date", local(expires, zone).into())])),
        None => (None, String::new()),
    };
    let view = Card {
        page,
        number: credential.number,
        name: name.to_owned(),
        area,
        age_band: ctx.tr.t(age_band_key(credential.age_band)),
        issued: local(credential.issued_at, zone).split(' ').next().unwrap_or_default().to_owned(),
        expires: local(credential.expires_at, zone).split(' ').next().unwrap_or_default().to_owned(),
        token,
        qr,
        claim_code,
        claim_expires,
    };
    render(&view, ctx)
}

/// The token as a QR code: an `<svg>` element (without the XML prolog), labelled for screen
/// readers, to sit inside the card's SVG at (600, 140).
pub fn qr_svg(token: &str, label: &str) -> Result<String, WebError> {
    let code = qrcode::QrCode::new(token.as_bytes()).map_err(|e| WebError::internal(&format!("QR code: {e}")))?;
    let svg = code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(220, 220).quiet_zone(true).build();
    let start = svg.find("<svg").ok_or_else(|| WebError::internal("QR code: no svg element"))?;
    let label: String = label.chars().filter(|c| !matches!(c, '"' | '<' | '>' | '&')).collect();
    Ok(svg[start..].replacen("<svg", &format!("<svg x=\"600\" y=\"150\" role=\"img\" aria-label=\"{label}\""), 1))
}

#[derive(Debug, Deserialize)]
pub struct LookupForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    reason: String,
}

fn parse_number(text: &str) -> Result<u64, WebError> {
    text.trim().parse().map_err(|_| WebError::bad_input("invalid_credential_number", "a credential number is a whole number"))
}

/// A registrar looks up one resident, giving a reason: the read is logged, then the card is
/// shown again (to reprint it), with a fresh one-time claim code while the card is unclaimed
/// (its older codes stop working).
pub async fn lookup(ctx: Ctx, AppState(app): AppState<App>, Form(form): Form<LookupForm>) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let registrar = registrar(&ctx, &app).await?;
    let number = parse_number(&form.number).map_err(|e| ctx.page_error(e))?;
    let reason = Prose::parse(&form.reason)
        .map_err(|_| ctx.page_error(WebError::bad_input("reason_needed", "give the reason for reading this resident's data")))?;
    let at = now()?;
    let person = app.store.read_personal_data(number, &registrar, reason, at).await.map_err(|e| ctx.page_error(e))?;
    let enrolment = app
        .store
        .read(|s| s.registry().credential(number).cloned())
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    let credential = Credential {
        number,
        area: enrolment.area,
        age_band: enrolment.age_band,
        issued_at: enrolment.issued_at,
        expires_at: enrolment.expires_at,
    };
    let token = app.config.credential_issuer.as_ref().map(|issuer| issuer.issue(&credential)).unwrap_or_default();
    let code = ReceiptCode::from_random(random_bytes()?);
    let claim_expires_at = at.plus_seconds(CLAIM_CODE_SECONDS);
    let renewed = app.store.renew_claim_code(number, code.as_str(), claim_expires_at).await.map_err(|e| ctx.page_error(e))?;
    let claim = renewed.then(|| (code.to_string(), claim_expires_at));
    card(&ctx, &app, &credential, person.name.as_str(), token, claim).await
}

#[derive(Debug, Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    number: String,
}

/// A registrar erases a resident's data at their request, at the desk.
pub async fn erase(ctx: Ctx, AppState(app): AppState<App>, Form(form): Form<EraseForm>) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    registrar(&ctx, &app).await?;
    let number = parse_number(&form.number).map_err(|e| ctx.page_error(e))?;
    app.store.erase_personal_data(number, ErasureReason::Requested, now()?).await.map_err(|e| ctx.page_error(e))?;
    Ok(see("/registry/desk"))
}

#[derive(Template)]
#[template(path = "registry_claim.html")]
struct Claim {
    page: Page,
}

pub async fn claim_form(ctx: Ctx) -> Result<Response, WebError> {
    ctx.viewer()?;
    let page = Page::new(&ctx, ctx.tr.t("registry-claim-title"));
    render(&Claim { page }, &ctx)
}

#[derive(Debug, Deserialize)]
pub struct ClaimForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

/// A claim refusal as a web error: 404 for an unknown code, 409 for a used one, 410 for an
/// expired one.
pub fn claim_error(refusal: ClaimRefusal) -> WebError {
    let status = match refusal {
        ClaimRefusal::Unknown => StatusCode::NOT_FOUND,
        ClaimRefusal::Used => StatusCode::CONFLICT,
        ClaimRefusal::Expired => StatusCode::GONE,
    };
    WebError::new(status, refusal.code(), refusal.to_string())
}

pub async fn claim(ctx: Ctx, AppState(app): AppState<App>, Form(form): Form<ClaimForm>) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let viewer = ctx.viewer()?.id.clone();
    // A code that cannot be one is refused like an unknown one.
    let code = ReceiptCode::parse(&form.code).map_err(|_| ctx.page_error(claim_error(ClaimRefusal::Unknown)))?;
    match app.store.claim_credential(code.as_str(), &viewer, now()?).await {
        Ok(_) => Ok(see("/registry/mine")),
        Err(StoreError::Claim(refusal)) => Err(ctx.page_error(claim_error(refusal))),
        Err(e) => Err(ctx.page_error(e)),
    }
}

/// One read of the viewer's data, as "my credential" shows it.
#[derive(Debug)]
pub struct ReadRow {
    who: String,
    when: String,
    why: String,
}

#[derive(Template)]
#[template(path = "registry_mine.html")]
struct Mine {
    page: Page,
    number: Option<u64>,
    area: String,
    age_band: String,
    expires: String,
    verified_by: String,
    reads: Vec<ReadRow>,
    member_of: Option<(String, String)>,
    erased: bool,
}

#[derive(Debug, Deserialize)]
pub struct MineQuery {
    /// Set after the resident erased their data, to say so.
    #[serde(default)]
    erased: Option<String>,
}

pub async fn mine(ctx: Ctx, AppState(app): AppState<App>, Query(query): Query<MineQuery>) -> Result<Response, WebError> {
    let viewer = ctx.viewer()?.id.clone();
    let zone = app.config.time_zone;
    let number = app.store.held_credential(&viewer).await.map_err(|e| ctx.page_error(e))?;
    let page = Page::new(&ctx, ctx.tr.t("registry-mine-title"));
    let tr = ctx.tr;
    let view = app
        .store
        .read(|s| {
            let registry = s.registry();
            let enrolment = number.and_then(|n| registry.credential(n));
            let holding = registry.holding(&viewer);
            let reads = number
                .map(|n| {
                    registry
                        .reads_of(n)
                        .map(|r| ReadRow { who: name_of(s, &r.by), when: local(r.at, zone), why: r.reason.to_string() })
                        .collect()
                })
                .unwrap_or_default();
            let member_of = holding.and_then(|h| s.body(&h.area)).map(|b| (b.slug.to_string(), b.name.to_string()));
            Mine {
                page,
                number: enrolment.map(|e| e.number),
                area: enrolment.and_then(|e| s.body(&e.area)).map(|b| b.name.to_string()).unwrap_or_default(),
                age_band: enrolment.map(|e| tr.t(age_band_key(e.age_band))).unwrap_or_default(),
                expires: enrolment.map(|e| local(e.expires_at, zone)).unwrap_or_default(),
                verified_by: enrolment.map(|e| name_of(s, &e.registrar)).unwrap_or_default(),
                reads,
                member_of,
                erased: query.erased.is_some(),
            }
        })
        .await;
    render(&view, &ctx)
}

#[derive(Debug, Deserialize)]
pub struct EraseMineForm {
    #[serde(default)]
    csrf: String,
}

/// The resident erases their own data, at once.
pub async fn erase_mine(ctx: Ctx, AppState(app): AppState<App>, Form(form): Form<EraseMineForm>) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let viewer = ctx.viewer()?.id.clone();
    let number = app.store.held_credential(&viewer).await.map_err(|e| ctx.page_error(e))?.ok_or_else(|| {
        ctx.page_error(WebError::new(StatusCode::NOT_FOUND, "no_credential", "this account holds no credential"))
    })?;
    app.store.erase_personal_data(number, ErasureReason::Requested, now()?).await.map_err(|e| ctx.page_error(e))?;
    Ok(see("/registry/mine?erased=1"))
}
