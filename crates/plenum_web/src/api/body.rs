//! `GET /api/v1/bodies` and `GET /api/v1/bodies/{id}`.

use axum::Json;
use axum::extract::{Path, State as AppState};
use plenum_core::{Body, BodyId, State};
use serde::Serialize;

use crate::App;
use crate::error::WebError;

#[derive(Debug, Serialize)]
pub struct BodySummary {
    id: String,
    slug: String,
    name: String,
    members: u64,
    url: String,
}

#[derive(Debug, Serialize)]
pub struct MotionSummary {
    id: String,
    title: String,
    kind: &'static str,
    status: &'static str,
}

#[derive(Debug, Serialize)]
pub struct MeetingSummary {
    id: String,
    title: String,
    starts_at: String,
    ends_at: String,
    minutes_published: bool,
}

#[derive(Debug, Serialize)]
pub struct BodyDetail {
    #[serde(flatten)]
    summary: BodySummary,
    charter: serde_json::Value,
    motions: Vec<MotionSummary>,
    meetings: Vec<MeetingSummary>,
}

impl From<&Body> for BodySummary {
    fn from(b: &Body) -> BodySummary {
        BodySummary {
            id: b.id.to_string(),
            slug: b.slug.to_string(),
            name: b.name.to_string(),
            members: b.current_members().count() as u64,
            url: format!("/bodies/{}", b.slug),
        }
    }
}

fn detail(s: &State, b: &Body) -> BodyDetail {
    BodyDetail {
        summary: b.into(),
        charter: serde_json::to_value(&b.charter).unwrap_or(serde_json::Value::Null),
        motions: s
            .motions_of(&b.id)
            .map(|m| MotionSummary {
                id: m.id.to_string(),
                title: m.title.to_string(),
                kind: m.kind.name(),
                status: m.status.name(),
            })
            .collect(),
        meetings: s
            .meetings_of(&b.id)
            .map(|m| MeetingSummary {
                id: m.id.to_string(),
                title: m.title.to_string(),
                starts_at: m.starts_at.to_string(),
                ends_at: m.ends_at.to_string(),
                minutes_published: m.published_at.is_some(),
            })
            .collect(),
    }
}

pub async fn list(AppState(app): AppState<App>) -> Json<serde_json::Value> {
    let bodies: Vec<BodySummary> = app.store.read(|s| s.bodies().map(BodySummary::from).collect()).await;
    Json(serde_json::json!({ "bodies": bodies }))
}

pub async fn one(AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Json<BodyDetail>, WebError> {
    let id = BodyId::parse(&id).map_err(|_| WebError::not_found())?;
    app.store.read(|s| s.body(&id).map(|b| detail(s, b))).await.map(Json).ok_or_else(WebError::not_found)
}
