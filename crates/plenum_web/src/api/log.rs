//! `GET /api/v1/log/head` and `GET /api/v1/log/events`: the public, hash-chained event log,
//! for anyone to copy and verify.

use axum::Json;
use axum::extract::{Query, State as AppState};
use serde::{Deserialize, Serialize};

use crate::App;
use crate::error::WebError;

/// The most events one page of the log returns.
pub const MAX_LIMIT: u32 = 1000;

#[derive(Debug, Serialize)]
pub struct Head {
    count: u64,
    hash: String,
}

pub async fn head(AppState(app): AppState<App>) -> Result<Json<Head>, WebError> {
    let head = app.store.log_head().await?;
    Ok(Json(Head { count: head.count, hash: head.hash }))
}

#[derive(Debug, Deserialize)]
pub struct Page {
    after: Option<u64>,
    limit: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct Entry {
    seq: u64,
    kind: String,
    version: u32,
    /// The event's canonical JSON, exactly as hashed.
    payload: String,
    prev_hash: String,
    hash: String,
}

#[derive(Debug, Serialize)]
pub struct Events {
    events: Vec<Entry>,
    /// Pass as `after` for the next page (`null` at the end of the log).
    next_after: Option<u64>,
}

pub async fn events(
    AppState(app): AppState<App>,
    query: Result<Query<Page>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Events>, WebError> {
    let Query(page) = query.map_err(|e| WebError::bad_input("invalid_query", e.body_text()))?;
    let limit = page.limit.unwrap_or(100).clamp(1, MAX_LIMIT);
    let entries = app.store.events_after(page.after.unwrap_or(0), limit).await?;
    let full = entries.len() == limit as usize;
    let events: Vec<Entry> = entries
        .into_iter()
        .map(|e| Entry { seq: e.seq, kind: e.kind, version: e.version, payload: e.payload, prev_hash: e.prev_hash, hash: e.hash })
        .collect();
    let next_after = if full { events.last().map(|e| e.seq) } else { None };
    Ok(Json(Events { events, next_after }))
}
