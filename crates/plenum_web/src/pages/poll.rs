//! Polls: opening one, voting, the result with its working, the public board of a secret
//! poll and checking a receipt on it, and a facilitator's in-person counts.

use askama::Template;
use axum::extract::{Path, State as AppState};
use axum::response::Response;
use plenum_core::{
    AmendmentId, Choice, InPersonCount, Instant, MotionId, OpenAmendmentPoll, OpenPoll, PollId, ReceiptCode, Secrecy,
};
use serde::Deserialize;

use crate::App;
use crate::context::Ctx;
use crate::csrf;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::ids::{ballot_randomness, new_id, now};
use crate::local_time::{local_to_instant, show as local};
use crate::pages::{Form, Page, name_of, render, see};

#[derive(Debug)]
pub struct Row {
    pub label: String,
    pub value: String,
}

#[derive(Debug)]
pub struct BallotItem {
    pub ballot: String,
    pub receipt: String,
    pub choice: String,
}

#[derive(Template)]
#[template(path = "poll.html")]
struct PollPage {
    page: Page,
    id: String,
    motion_href: String,
    motion_title: String,
    secret: bool,
    closed: bool,
    status: String,
    facts: Vec<Row>,
    can_vote: bool,
    has_voted: bool,
    is_facilitator: bool,
    receipt: Option<String>,
    receipt_check: Option<(bool, String)>,
    passed: bool,
    result: Vec<Row>,
    rule: String,
    ballots: Vec<BallotItem>,
    votes: Vec<Row>,
    /// Tier B: the poll's key and the token form.
    unlinkable: Option<crate::pages::unlinkable::UnlinkableView>,
}

pub fn choice_label(tr: Tr, choice: Choice) -> String {
    tr.t(match choice {
        Choice::Yes => "choice-yes",
        Choice::No => "choice-no",
        Choice::Abstain => "choice-abstain",
    })
}

fn poll_id(ctx: &Ctx, id: &str) -> Result<PollId, WebError> {
    PollId::parse(id).map_err(|_| ctx.page_error(WebError::not_found()))
}

/// Builds the poll page; `receipt` is shown right after a secret vote, `receipt_check` after
/// a receipt is looked up.
async fn page(
    ctx: &Ctx,
    app: &App,
    id: &PollId,
    receipt: Option<String>,
    receipt_check: Option<(bool, String)>,
) -> Result<Response, WebError> {
    let tr = ctx.tr;
    let zone = app.config.time_zone;
    let me = ctx.viewer.as_ref().map(|v| v.id.clone());
    let at = now()?;
    let view = app
        .store
        .read(|s| {
            let p = s.poll(id)?;
            let m = s.motion(&p.motion)?;
            let b = s.body(&p.body)?;
            let secret = p.secrecy == Secrecy::Secret;
            let on_roll = me.as_ref().is_some_and(|me| p.roll.contains(me));
            let has_voted = me.as_ref().is_some_and(|me| p.voted.contains(me));
            let row = |label: &str, value: String| Row { label: tr.t(label), value };
            let amendment = p.amendment.as_ref().and_then(|a| m.amendments.iter().find(|x| &x.id == a));
            let mut facts: Vec<Row> = amendment.map(|a| row("poll-on-amendment", a.text.to_string())).into_iter().collect();
            facts.extend([
                row(
                    "poll-secrecy",
                    tr.t(if s.unlinkable_poll(id).is_some() {
                        "secrecy-unlinkable"
                    } else if secret {
                        "secrecy-secret"
                    } else {
                        "secrecy-open"
                    }),
                ),
                row("poll-opens", local(p.opens_at, zone)),
                row("poll-closes", local(p.closes_at, zone)),
                row("poll-roll", p.roll.len().to_string()),
                row("poll-voted", s.ballots_expected(p).to_string()),
            ]);
            // Residents only (issue 7): who the roll was limited to.
            match s.poll_residency(id) {
                Some(None) => facts.push(row("poll-who-may-vote", tr.t("residency-residents"))),
                Some(Some(age)) => {
                    facts.push(row("poll-who-may-vote", tr.args("residency-residents-from", &[("age", age.into())])));
                }
                None => {}
            }
            if let Some(c) = p.in_person {
                facts.push(row(
                    "poll-in-person",
                    format!(
                        "{} {}, {} {}, {} {}",
                        tr.t("choice-yes"),
                        c.yes,
                        tr.t("choice-no"),
                        c.no,
                        tr.t("choice-abstain"),
                        c.abstain
                    ),
                ));
            }
            let (passed, result, rule, ballots) = match &p.closed {
                Some(closed) => {
                    let r = &closed.result;
                    let result = vec![
                        row("choice-yes", r.yes.to_string()),
                        row("choice-no", r.no.to_string()),
                        row("choice-abstain", r.abstain.to_string()),
                        row("result-online", r.online.to_string()),
                        row("result-in-person", r.in_person.map_or(0, |c| c.yes + c.no + c.abstain).to_string()),
                        row("poll-roll", r.roll.to_string()),
                        row(
                            "result-quorum",
                            format!(
                                "{} / {} ({})",
                                r.quorum_taking_part,
                                r.quorum_needed,
                                tr.t(if r.quorum_met { "result-met" } else { "result-not-met" })
                            ),
                        ),
                        row("result-base", r.base.to_string()),
                        row("result-needed", r.needed.to_string()),
                        row("result-margin", r.margin.to_string()),
                        row("poll-closed-at", local(closed.at, zone)),
                    ];
                    let ballots = closed
                        .ballots
                        .iter()
                        .map(|b| BallotItem {
                            ballot: b.ballot.to_string(),
                            receipt: b.receipt.to_string(),
                            choice: choice_label(tr, b.choice),
                        })
                        .collect();
                    let rule = p.decided_by().map(|d| crate::pages::rule::decided_by(tr, d)).unwrap_or_default();
                    (r.passed, result, rule, ballots)
                }
                None => (false, Vec::new(), String::new(), Vec::new()),
            };
            let votes = if secret {
                Vec::new()
            } else {
                let mut votes: Vec<Row> = p
                    .votes
                    .iter()
                    .map(|(who, choice)| Row { label: name_of(s, who), value: choice_label(tr, *choice) })
                    .collect();
                votes.sort_by(|a, b| a.label.cmp(&b.label));
                votes
            };
            Some(PollPage {
                page: Page::new(ctx, format!("{} · {}", tr.t("poll-title"), m.title)),
                id: p.id.to_string(),
                motion_href: format!("/motions/{}", m.id),
                motion_title: m.title.to_string(),
                secret,
                closed: p.closed.is_some(),
                status: tr.t(if p.closed.is_some() {
                    "poll-closed"
                } else if p.accepts_votes_at(at) {
                    "poll-open"
                } else {
                    "poll-awaiting-close"
                }),
                facts,
                can_vote: on_roll && !has_voted && p.accepts_votes_at(at) && s.unlinkable_poll(id).is_none(),
                has_voted,
                is_facilitator: me.as_ref().is_some_and(|me| b.is_facilitator(me)),
                receipt,
                receipt_check,
                passed,
                result,
                rule,
                ballots,
                votes,
                unlinkable: crate::pages::unlinkable::view(s, p, me.as_ref(), at),
            })
        })
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    render(&view, ctx)
}

pub async fn show(ctx: Ctx, AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = poll_id(&ctx, &id)?;
    page(&ctx, &app, &id, None, None).await
}

#[derive(Debug, Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    csrf: String,
    secrecy: String,
    #[serde(default)]
    closes_in: String,
    #[serde(default)]
    closes_at: String,
    /// Who may vote: `members` (or nothing), or residents of the area with a valid
    /// credential: `residents` of any age, `residents16`, `residents18`.
    #[serde(default)]
    roll: String,
}

impl OpenForm {
    /// The secrecy and the window the form asks for, opening now.
    fn parse(&self, app: &App) -> Result<(Secrecy, Instant, Instant), WebError> {
        let secrecy = match self.secrecy.as_str() {
            // An unlinkable poll is a secret poll with voting tokens (see `open`).
            "secret" | "unlinkable" => Secrecy::Secret,
            "open" => Secrecy::Open,
            other => return Err(WebError::bad_input("invalid_input", format!("{other:?} is not secret, unlinkable or open"))),
        };
        let at = now()?;
        // A local date and time wins over a number of minutes.
        let closes_at = if self.closes_at.trim().is_empty() {
            let minutes: i64 =
                self.closes_in.trim().parse().ok().filter(|m| (1..=525_600).contains(m)).ok_or_else(|| {
                    WebError::bad_input("invalid_minutes", "closes in: a whole number of minutes from 1 to 525600")
                })?;
            at.plus_seconds(minutes * 60)
        } else {
            local_to_instant(&self.closes_at, app.config.time_zone).map_err(|e| WebError::bad_input(e.code(), e.to_string()))?
        };
        Ok((secrecy, at, closes_at))
    }

    /// `None` for every member; `Some(min_age)` for residents only.
    fn residents(&self) -> Result<Option<Option<u8>>, WebError> {
        match self.roll.as_str() {
            "" | "members" => Ok(None),
            "residents" => Ok(Some(None)),
            "residents16" => Ok(Some(Some(16))),
            "residents18" => Ok(Some(Some(18))),
            other => Err(WebError::bad_input(
                "invalid_input",
                format!("{other:?} is not members, residents, residents16 or residents18"),
            )),
        }
    }
}

pub async fn open(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(motion): Path<String>,
    Form(form): Form<OpenForm>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let viewer = ctx.viewer()?.id.clone();
    let motion = MotionId::parse(&motion).map_err(|_| ctx.page_error(WebError::not_found()))?;
    let opened = async {
        let (secrecy, at, closes_at) = form.parse(&app)?;
        let residents = form.residents()?;
        let poll = new_id(PollId::parse)?;
        let new = OpenPoll { poll: poll.clone(), motion, secrecy, opens_at: at, closes_at };
        if form.secrecy == "unlinkable" {
            let key = crate::pages::unlinkable::new_key().await?;
            app.store.open_unlinkable_poll_for(new, residents, &key, &viewer, at).await?;
        } else if let Some(min_age) = residents {
            app.store.execute(|s| s.open_residents_poll(new, min_age, None, &viewer, at)).await?;
        } else {
            app.store.execute(|s| s.open_poll(new, &viewer, at)).await?;
        }
        Ok::<_, WebError>(poll)
    }
    .await;
    let poll = opened.map_err(|e| ctx.page_error(e))?;
    Ok(see(&format!("/polls/{poll}")))
}

/// Puts an amendment to a vote. The motion page's "Put to a vote" buttons submit the open-poll
/// form (its secrecy and closing time) here.
pub async fn open_on_amendment(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path((motion, amendment)): Path<(String, String)>,
    Form(form): Form<OpenForm>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let viewer = ctx.viewer()?.id.clone();
    let motion = MotionId::parse(&motion).map_err(|_| ctx.page_error(WebError::not_found()))?;
    let amendment = AmendmentId::parse(&amendment).map_err(|_| ctx.page_error(WebError::not_found()))?;
    if form.secrecy == "unlinkable" {
        let refused = WebError::bad_input("unlinkable_motions_only", "only a vote on a motion can be unlinkable");
        return Err(ctx.page_error(refused));
    }
    if !matches!(form.residents(), Ok(None)) {
        let refused = WebError::bad_input("residents_motions_only", "only a vote on a motion can be limited to residents");
        return Err(ctx.page_error(refused));
    }
    let opened = async {
        let (secrecy, at, closes_at) = form.parse(&app)?;
        let poll = new_id(PollId::parse)?;
        let new = OpenAmendmentPoll { poll: poll.clone(), motion, amendment, secrecy, opens_at: at, closes_at };
        app.store.execute(|s| s.open_amendment_poll(new, &viewer, at)).await?;
        Ok::<_, WebError>(poll)
    }
    .await;
    let poll = opened.map_err(|e| ctx.page_error(e))?;
    Ok(see(&format!("/polls/{poll}")))
}

#[derive(Debug, Deserialize)]
pub struct VoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    choice: String,
}

pub fn parse_choice(text: &str) -> Result<Choice, WebError> {
    match text {
        "yes" => Ok(Choice::Yes),
        "no" => Ok(Choice::No),
        "abstain" => Ok(Choice::Abstain),
        _ => Err(WebError::bad_input("invalid_choice", "choose yes, no or abstain")),
    }
}

/// Casts the viewer's vote. A secret vote's receipt is shown on the page that answers (and
/// never stored with the voter), so this answers with the page rather than a redirect.
pub async fn vote(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<VoteForm>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let viewer = ctx.viewer()?.id.clone();
    let poll = poll_id(&ctx, &id)?;
    let receipt = cast(&app, &poll, &viewer, &form.choice).await.map_err(|e| ctx.page_error(e))?;
    match receipt {
        Some(receipt) => page(&ctx, &app, &poll, Some(receipt.to_string()), None).await,
        None => Ok(see(&format!("/polls/{poll}"))),
    }
}

/// One vote, rate-limited per account; the receipt for a secret poll.
pub async fn cast(
    app: &App,
    poll: &PollId,
    voter: &plenum_core::AccountId,
    choice: &str,
) -> Result<Option<ReceiptCode>, WebError> {
    app.limits.votes_by_account.hit(voter.as_str())?;
    let choice = parse_choice(choice)?;
    let cast = app.store.cast_vote(poll, choice, voter, now()?, ballot_randomness()?).await?;
    Ok(cast.receipt)
}

#[derive(Debug, Deserialize)]
pub struct ReceiptForm {
    #[serde(default)]
    csrf: String,
    receipt: String,
}

/// Anyone may check a receipt code against a closed poll's published ballots.
pub async fn check_receipt(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<ReceiptForm>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let poll = poll_id(&ctx, &id)?;
    let found = match ReceiptCode::parse(&form.receipt) {
        Ok(code) => app.store.ballot_by_receipt(&poll, &code).await.map_err(|e| ctx.page_error(e))?,
        Err(_) => None,
    };
    let message = match &found {
        Some(ballot) => {
            format!("{} {}: {}", ctx.tr.t("receipt-found"), ctx.tr.t("receipt-choice"), choice_label(ctx.tr, ballot.choice))
        }
        None => ctx.tr.t("receipt-not-found"),
    };
    page(&ctx, &app, &poll, None, Some((found.is_some(), message))).await
}

#[derive(Debug, Deserialize)]
pub struct InPersonForm {
    #[serde(default)]
    csrf: String,
    yes: u64,
    no: u64,
    abstain: u64,
    present: u64,
}

pub async fn in_person(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<InPersonForm>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let viewer = ctx.viewer()?.id.clone();
    let poll = poll_id(&ctx, &id)?;
    let count = InPersonCount { yes: form.yes, no: form.no, abstain: form.abstain, present: form.present };
    let at = now()?;
    app.store.execute(|s| s.enter_in_person_count(&poll, count, None, &viewer, at)).await.map_err(|e| ctx.page_error(e))?;
    Ok(see(&format!("/polls/{poll}")))
}
