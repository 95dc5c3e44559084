//! The pledge tracker: candidates, the planks each has pledged to (withdrawals shown), the
//! officials' recorded votes; a candidate's page with the forms to sign and withdraw pledges,
//! record an election and record a vote against a pledge.

use askama::Template;
use axum::extract::{Path, State as AppState};
use axum::response::Response;
use plenum_core::{
    CandidateId, DisplayName, EnterCandidate, Instant, OfficialVote, OrganisationId, PlankId, Prose, State, Title, VoteRecordId,
};
use serde::Deserialize;

use crate::App;
use crate::context::Ctx;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::ids::new_id;
use crate::local_time::local_to_instant;
use crate::pages::coalition::{Opt, act, org_name, parsed};
use crate::pages::{Form, Page, render};

#[derive(Debug)]
pub struct PledgeLine {
    /// `coalition:plank`, the form value that names the pledge.
    pub key: String,
    pub plank: String,
    pub href: String,
    pub coalition: String,
    pub signature: String,
    pub signed_at: String,
    pub withdrawn: Option<String>,
}

#[derive(Debug)]
pub struct VoteLine {
    pub plank: String,
    pub question: String,
    pub vote: String,
    pub class: &'static str,
    pub held_at: String,
}

#[derive(Debug)]
pub struct CandidateLine {
    pub id: String,
    pub name: String,
    pub office: String,
    pub elected: bool,
    pub pledges: Vec<PledgeLine>,
    pub votes: Vec<VoteLine>,
}

fn plank_title(s: &State, plank: &PlankId) -> String {
    s.plank(plank).and_then(|p| p.current()).map(|v| v.title.to_string()).unwrap_or_default()
}

fn vote_label(tr: Tr, vote: OfficialVote) -> String {
    tr.t(&format!("vote-{}", vote.name()))
}

fn candidate_line(tr: Tr, s: &State, c: &plenum_core::Candidate) -> CandidateLine {
    CandidateLine {
        id: c.id.to_string(),
        name: c.name.to_string(),
        office: c.office.to_string(),
        elected: c.elected_at.is_some(),
        pledges: c
            .pledges
            .values()
            .map(|p| PledgeLine {
                key: format!("{}:{}", p.coalition, p.plank),
                plank: plank_title(s, &p.plank),
                href: format!("/coalitions/{}/planks/{}", p.coalition, p.plank),
                coalition: org_name(s, &p.coalition),
                signature: p.signature.to_string(),
                signed_at: p.signed_at.to_string(),
                withdrawn: p.withdrawn.as_ref().map(|w| {
                    let reason = w.reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default();
                    format!("{} {}{reason}", tr.t("pledge-withdrawn-on"), w.at)
                }),
            })
            .collect(),
        votes: c
            .votes
            .iter()
            .map(|v| VoteLine {
                plank: plank_title(s, &v.plank),
                question: v.question.to_string(),
                vote: vote_label(tr, v.vote),
                class: v.vote.name(),
                held_at: v.held_at.to_string(),
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "pledges.html")]
struct TrackerPage {
    page: Page,
    candidates: Vec<CandidateLine>,
    signed_in: bool,
    /// Coalitions the viewer may enter candidates for.
    coalitions: Vec<Opt>,
}

/// Coalitions in which the viewer represents a member organisation.
fn my_coalitions(s: &State, ctx: &Ctx) -> Vec<Opt> {
    let Some(me) = ctx.viewer.as_ref().map(|v| &v.id) else { return Vec::new() };
    s.organisations()
        .filter(|o| {
            o.coalition
                .as_ref()
                .is_some_and(|c| c.members.keys().any(|m| s.organisation(m).is_some_and(|mo| mo.is_representative(me))))
        })
        .map(|o| Opt { value: o.id.to_string(), label: o.name.to_string() })
        .collect()
}

pub async fn tracker(ctx: Ctx, AppState(app): AppState<App>) -> Result<Response, WebError> {
    let tr = ctx.tr;
    let view = app
        .store
        .read(|s| TrackerPage {
            page: Page::new(&ctx, tr.t("pledge-tracker-title")),
            candidates: s.candidates().map(|c| candidate_line(tr, s, c)).collect(),
            signed_in: ctx.viewer.is_some(),
            coalitions: my_coalitions(s, &ctx),
        })
        .await;
    render(&view, &ctx)
}

#[derive(Debug, Deserialize)]
pub struct CandidateForm {
    #[serde(default)]
    csrf: String,
    name: String,
    office: String,
    #[serde(default)]
    statement: String,
    /// Empty: the viewer enters themselves.
    #[serde(default)]
    coalition: String,
}

pub async fn enter(ctx: Ctx, AppState(app): AppState<App>, Form(form): Form<CandidateForm>) -> Result<Response, WebError> {
    crate::csrf::check(&ctx, &form.csrf)?;
    let built = (|| {
        let statement = form.statement.trim();
        Ok::<_, WebError>(EnterCandidate {
            candidate: new_id(CandidateId::parse)?,
            name: DisplayName::parse(&form.name)?,
            office: Title::parse(&form.office)?,
            statement: if statement.is_empty() { None } else { Some(Prose::parse(statement)?) },
            coalition: if form.coalition.is_empty() { None } else { Some(OrganisationId::parse(&form.coalition)?) },
        })
    })();
    let new = parsed(&ctx, built)?;
    let back = format!("/candidates/{}", new.candidate);
    act(&ctx, &app, &form.csrf, &back, |s, me, at| s.enter_candidate(new, me, at)).await
}

#[derive(Template)]
#[template(path = "candidate.html")]
struct CandidatePage {
    page: Page,
    candidate: CandidateLine,
    statement: Option<String>,
    may_act: bool,
    /// Planks of every platform, as `coalition:plank` options.
    planks: Vec<Opt>,
    /// Coalitions the viewer acts for that the candidate pledged to: may record votes.
    may_record: bool,
    zone: String,
}

fn candidate_id(ctx: &Ctx, id: &str) -> Result<CandidateId, WebError> {
    CandidateId::parse(id).map_err(|_| ctx.page_error(WebError::not_found()))
}

pub async fn show(ctx: Ctx, AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = candidate_id(&ctx, &id)?;
    let tr = ctx.tr;
    let me = ctx.viewer.as_ref().map(|v| v.id.clone());
    let zone = app.config.time_zone;
    let view = app
        .store
        .read(|s| {
            let c = s.candidate(&id)?;
            let mine = my_coalitions(s, &ctx);
            let own = me.is_some() && c.account == me;
            let for_coalition = c.coalition.as_ref().is_some_and(|k| mine.iter().any(|o| o.value == k.as_str()));
            let planks = s
                .organisations()
                .filter_map(|o| o.coalition.as_ref().map(|c| (o, c)))
                .flat_map(|(o, k)| {
                    k.platform.iter().map(move |e| Opt {
                        value: format!("{}:{}", o.id, e.plank),
                        label: format!("{} — {}", o.name, plank_title(s, &e.plank)),
                    })
                })
                .collect();
            Some(CandidatePage {
                page: Page::new(&ctx, c.name.to_string()),
                candidate: candidate_line(tr, s, c),
                statement: c.statement.as_ref().map(ToString::to_string),
                may_act: own || for_coalition,
                planks,
                may_record: c.pledges.keys().any(|(k, _)| mine.iter().any(|o| o.value == k.as_str())),
                zone: zone.name().to_owned(),
            })
        })
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    render(&view, &ctx)
}

/// A `coalition:plank` form value.
fn pledge_key(value: &str) -> Result<(OrganisationId, PlankId), WebError> {
    let (coalition, plank) = value.split_once(':').ok_or_else(|| WebError::bad_input("invalid_input", "choose a plank"))?;
    Ok((OrganisationId::parse(coalition)?, PlankId::parse(plank)?))
}

#[derive(Debug, Deserialize)]
pub struct SignForm {
    #[serde(default)]
    csrf: String,
    plank: String,
    signature: String,
}

pub async fn sign(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<SignForm>,
) -> Result<Response, WebError> {
    let candidate = candidate_id(&ctx, &id)?;
    crate::csrf::check(&ctx, &form.csrf)?;
    let (coalition, plank) = parsed(&ctx, pledge_key(&form.plank))?;
    let signature = parsed(&ctx, DisplayName::parse(&form.signature))?;
    let back = format!("/candidates/{candidate}");
    act(&ctx, &app, &form.csrf, &back, |s, me, at| s.sign_pledge(&candidate, &coalition, &plank, signature, me, at)).await
}

#[derive(Debug, Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    csrf: String,
    pledge: String,
    #[serde(default)]
    reason: String,
}

pub async fn withdraw(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<WithdrawForm>,
) -> Result<Response, WebError> {
    let candidate = candidate_id(&ctx, &id)?;
    crate::csrf::check(&ctx, &form.csrf)?;
    let (coalition, plank) = parsed(&ctx, pledge_key(&form.pledge))?;
    let reason = if form.reason.trim().is_empty() { None } else { Some(parsed(&ctx, Prose::parse(&form.reason))?) };
    let back = format!("/candidates/{candidate}");
    act(&ctx, &app, &form.csrf, &back, |s, me, at| s.withdraw_pledge(&candidate, &coalition, &plank, reason, me, at)).await
}

#[derive(Debug, Deserialize)]
pub struct ElectedForm {
    #[serde(default)]
    csrf: String,
}

pub async fn elected(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<ElectedForm>,
) -> Result<Response, WebError> {
    let candidate = candidate_id(&ctx, &id)?;
    let back = format!("/candidates/{candidate}");
    act(&ctx, &app, &form.csrf, &back, |s, me, at| s.record_elected(&candidate, me, at)).await
}

#[derive(Debug, Deserialize)]
pub struct VoteForm {
    #[serde(default)]
    csrf: String,
    pledge: String,
    question: String,
    vote: String,
    held_on: String,
}

fn official_vote(text: &str) -> Result<OfficialVote, WebError> {
    Ok(match text {
        "with_the_pledge" => OfficialVote::WithThePledge,
        "against_the_pledge" => OfficialVote::AgainstThePledge,
        "abstained" => OfficialVote::Abstained,
        "absent" => OfficialVote::Absent,
        other => return Err(WebError::bad_input("invalid_input", format!("{other:?} is not a vote"))),
    })
}

pub async fn record_vote(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<VoteForm>,
) -> Result<Response, WebError> {
    let candidate = candidate_id(&ctx, &id)?;
    crate::csrf::check(&ctx, &form.csrf)?;
    let built = (|| {
        let (coalition, plank) = pledge_key(&form.pledge)?;
        let held_at: Instant = local_to_instant(&format!("{}T12:00", form.held_on.trim()), app.config.time_zone)
            .map_err(|e| WebError::bad_input(e.code(), e.to_string()))?;
        Ok::<_, WebError>((
            coalition,
            plank,
            Title::parse(&form.question)?,
            official_vote(&form.vote)?,
            held_at,
            new_id(VoteRecordId::parse)?,
        ))
    })();
    let (coalition, plank, question, vote, held_at, record) = parsed(&ctx, built)?;
    let back = format!("/candidates/{candidate}");
    act(&ctx, &app, &form.csrf, &back, |s, me, at| {
        s.record_official_vote(record, &candidate, &coalition, &plank, question, vote, held_at, me, at)
    })
    .await
}
