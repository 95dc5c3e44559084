//! `GET /api/v1/polls/{id}` (with the result and its working once closed, the public board of
//! a secret poll, who voted what in an open one) and `POST /api/v1/polls/{id}/votes`.

use axum::Json;
use axum::extract::{Path, State as AppState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use plenum_core::{Choice, Poll, PollId, PollResult, Secrecy, State};
use serde::{Deserialize, Serialize};

use crate::App;
use crate::api::Body;
use crate::auth;
use crate::error::WebError;
use crate::pages::poll::cast;

#[derive(Debug, Serialize)]
pub struct BallotJson {
    ballot: String,
    receipt: String,
    choice: Choice,
}

#[derive(Debug, Serialize)]
pub struct VoteJson {
    member: String,
    display_name: String,
    choice: Choice,
}

#[derive(Debug, Serialize)]
pub struct PollJson {
    id: String,
    motion: String,
    body: String,
    secrecy: Secrecy,
    /// `open` or `closed`.
    status: &'static str,
    opens_at: String,
    closes_at: String,
    roll_size: u64,
    /// Ballots cast online: roll marks, or in an unlinkable poll the tokens spent.
    voted: u64,
    closed_at: Option<String>,
    /// The result and its working, once closed.
    result: Option<PollResult>,
    /// A closed secret poll's ballots, in published (shuffled) order.
    ballots: Vec<BallotJson>,
    /// An open poll's votes, by member.
    votes: Vec<VoteJson>,
}

fn poll_json(s: &State, p: &Poll) -> PollJson {
    PollJson {
        id: p.id.to_string(),
        motion: p.motion.to_string(),
        body: p.body.to_string(),
        secrecy: p.secrecy,
        status: if p.closed.is_some() { "closed" } else { "open" },
        opens_at: p.opens_at.to_string(),
        closes_at: p.closes_at.to_string(),
        roll_size: p.roll.len() as u64,
        voted: s.ballots_expected(p) as u64,
        closed_at: p.closed.as_ref().map(|c| c.at.to_string()),
        result: p.closed.as_ref().map(|c| c.result.clone()),
        ballots: p
            .closed
            .iter()
            .flat_map(|c| &c.ballots)
            .map(|b| BallotJson { ballot: b.ballot.to_string(), receipt: b.receipt.to_string(), choice: b.choice })
            .collect(),
        votes: p
            .votes
            .iter()
            .map(|(who, choice)| VoteJson {
                member: who.to_string(),
                display_name: s.resident(who).map_or_else(String::new, |r| r.display_name.to_string()),
                choice: *choice,
            })
            .collect(),
    }
}

fn poll_id(id: &str) -> Result<PollId, WebError> {
    PollId::parse(id).map_err(|_| WebError::not_found())
}

pub async fn one(AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Json<PollJson>, WebError> {
    let id = poll_id(&id)?;
    app.store.read(|s| s.poll(&id).map(|p| poll_json(s, p))).await.map(Json).ok_or_else(WebError::not_found)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewVote {
    /// `yes`, `no` or `abstain`.
    choice: String,
}

/// Casts the caller's vote. The caller is the session (cookie or Bearer token). With a cookie,
/// the JSON content type is what stops cross-site forgery: a form on another site cannot send
/// `application/json` without the browser asking first.
pub async fn vote(
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(vote): Body<NewVote>,
) -> Result<Response, WebError> {
    let voter = auth::viewer(&app, &headers).await?.ok_or_else(WebError::sign_in_needed)?;
    let poll = poll_id(&id)?;
    let receipt = cast(&app, &poll, &voter.id, &vote.choice).await?;
    let body = Json(serde_json::json!({ "poll": poll.to_string(), "receipt": receipt.map(|r| r.to_string()) }));
    Ok((StatusCode::CREATED, body).into_response())
}
