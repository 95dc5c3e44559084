//! The confederation's writes, each written once and served twice: as an HTML form (CSRF, a
//! redirect to the page that shows the result) and as a JSON call under `/api/v1` (the
//! session's cookie or Bearer token; `201 {"id","page"}`), with its OpenAPI entry.
//!
//! An [`Action`] is the input a form or a JSON body carries. [`Action::prepare`] reads the
//! state to turn names, slugs and numbers into a domain command (and fresh ids); the command
//! then runs in the store, which checks it again against the state it applies to. Who may do
//! what is the domain's to say: the pages only hide forms a viewer could not use.
//!
//! Bodies may be named by id or slug, people by account id or by their display name among the
//! body's members, durations in whole days.

use axum::Json;
use axum::extract::{RawPathParams, State as AppState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use plenum_core::{AccountId, Event, Instant, Refusal, State};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::api::Body;
use crate::context::Ctx;
use crate::error::WebError;
use crate::ids::now;
use crate::pages::{Form, see};
use crate::{App, auth, csrf};

mod actions;
mod input;

use actions::{
    ActionDone, AddTask, AnnounceDraw, AnswerDispute, AppealDispute, BringDispute, DecideDispute, ElectDelegates, FileReport,
    HoldDraw, NewCouncil, OpenRatification, ScheduleHearing, SeekMandate, SignRecall, StartRecall, UpdateTask, Volunteer,
};

/// A command ready to run: checked by the domain against the state it applies to.
pub(super) type Command = Box<dyn FnOnce(&State, &AccountId, Instant) -> Result<Vec<Event>, Refusal> + Send>;

/// What an action's input became.
pub struct Prepared {
    command: Command,
    /// The page that shows the result.
    page: String,
    /// The id of what was made, if anything was.
    id: Option<String>,
}

impl Prepared {
    fn new(
        page: String,
        id: Option<String>,
        command: impl FnOnce(&State, &AccountId, Instant) -> Result<Vec<Event>, Refusal> + Send + 'static,
    ) -> Prepared {
        Prepared { command: Box::new(command), page, id }
    }
}

/// One field of an action's input, for the OpenAPI document.
pub struct Field {
    pub name: &'static str,
    /// `string`, `integer`, `boolean`, `list` (an array of strings, or one string split at
    /// commas and new lines) or `ballots` (an array of rankings, or lines of names split at `>`).
    pub kind: &'static str,
    pub required: bool,
    pub description: &'static str,
}

pub(super) const fn field(name: &'static str, kind: &'static str, required: bool, description: &'static str) -> Field {
    Field { name, kind, required, description }
}

/// One confederation write.
pub trait Action: DeserializeOwned + Send + 'static {
    /// What it does, for the OpenAPI document.
    const SUMMARY: &'static str;
    const OPERATION: &'static str;
    /// What `{id}` in its API path names, if it has one.
    const TARGET: Option<&'static str>;
    const FIELDS: &'static [Field];

    /// Reads the state to make the command. `path` holds the path's parameters in order (the
    /// council's slug or id, the dispute's id…).
    fn prepare(self, path: &[String], s: &State) -> Result<Prepared, WebError>;
}

async fn run<A: Action>(app: &App, by: &AccountId, path: &[String], input: A) -> Result<(String, Option<String>), WebError> {
    let prepared = app.store.read(|s| input.prepare(path, s)).await?;
    let at = now()?;
    let Prepared { command, page, id } = prepared;
    app.store.execute(|s| command(s, by, at)).await?;
    Ok((page, id))
}

fn params(raw: &RawPathParams) -> Vec<String> {
    raw.iter().map(|(_, v)| v.to_owned()).collect()
}

/// A form's fields: the CSRF token and the action's input.
#[derive(Debug, Deserialize)]
#[serde(bound = "A: DeserializeOwned")]
pub struct Submitted<A> {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    input: A,
}

/// The form handler of an action: a redirect to the page that shows the result.
pub async fn form<A: Action>(
    ctx: Ctx,
    AppState(app): AppState<App>,
    raw: RawPathParams,
    Form(form): Form<Submitted<A>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let by = ctx.viewer()?.id.clone();
    let (page, _) = run(&app, &by, &params(&raw), form.input).await.map_err(|e| ctx.page_error(e))?;
    Ok(see(&page))
}

/// The JSON handler of an action. As for votes, the JSON content type is what stops a
/// cross-site form from calling it with a cookie.
pub async fn call<A: Action>(
    AppState(app): AppState<App>,
    raw: RawPathParams,
    headers: HeaderMap,
    Body(input): Body<A>,
) -> Result<Response, WebError> {
    let by = auth::viewer(&app, &headers).await?.ok_or_else(WebError::sign_in_needed)?;
    let (page, id) = run(&app, &by.id, &params(&raw), input).await?;
    Ok((StatusCode::CREATED, Json(ActionDone { id, page })).into_response())
}

/// Every action: its form's path, its API path (under `/api/v1`), the handlers and the
/// OpenAPI entry.
struct Route {
    page: &'static str,
    api: &'static str,
    form: axum::routing::MethodRouter<App>,
    call: axum::routing::MethodRouter<App>,
    doc: Value,
}

fn route<A: Action>(page: &'static str, api: &'static str) -> Route {
    Route { page, api, form: post(form::<A>), call: post(call::<A>), doc: openapi_entry::<A>() }
}

fn routes() -> Vec<Route> {
    vec![
        route::<NewCouncil>("/councils", "/councils"),
        route::<SeekMandate>("/councils/{slug}/mandates", "/councils/{id}/mandates"),
        route::<StartRecall>("/councils/{slug}/delegates/{account}/recalls", "/councils/{id}/recalls"),
        route::<SignRecall>("/recalls/{id}/sign", "/recalls/{id}/signatures"),
        route::<OpenRatification>("/councils/{slug}/ratifications", "/councils/{id}/ratifications"),
        route::<BringDispute>("/councils/{slug}/disputes", "/councils/{id}/disputes"),
        route::<AnswerDispute>("/disputes/{id}/response", "/disputes/{id}/response"),
        route::<ScheduleHearing>("/disputes/{id}/hearing", "/disputes/{id}/hearing"),
        route::<DecideDispute>("/disputes/{id}/decision", "/disputes/{id}/decision"),
        route::<AppealDispute>("/disputes/{id}/appeal", "/disputes/{id}/appeal"),
        route::<AddTask>("/councils/{slug}/tasks", "/councils/{id}/tasks"),
        route::<UpdateTask>("/tasks/{id}/updates", "/tasks/{id}/updates"),
        route::<ElectDelegates>("/councils/{slug}/elections", "/councils/{id}/elections"),
        route::<AnnounceDraw>("/councils/{slug}/draws", "/councils/{id}/draws"),
        route::<Volunteer>("/draws/{id}/volunteers", "/draws/{id}/volunteers"),
        route::<HoldDraw>("/draws/{id}/held", "/draws/{id}/held"),
        route::<FileReport>("/councils/{slug}/reports", "/councils/{id}/reports"),
    ]
}

/// The forms' routes.
pub fn page_routes(router: axum::Router<App>) -> axum::Router<App> {
    routes().into_iter().fold(router, |r, x| r.route(x.page, x.form))
}

/// The JSON routes (to nest under `/api/v1`).
pub fn api_routes(router: axum::Router<App>) -> axum::Router<App> {
    routes().into_iter().fold(router, |r, x| r.route(x.api, x.call))
}

/// The OpenAPI paths of the writes.
#[must_use]
pub fn openapi_paths() -> Value {
    Value::Object(routes().into_iter().map(|r| (r.api.to_owned(), r.doc)).collect())
}

fn openapi_entry<A: Action>() -> Value {
    use crate::api::openapi::{error_response, id_parameter};
    let properties: serde_json::Map<String, Value> = A::FIELDS
        .iter()
        .map(|f| {
            let schema = match f.kind {
                "list" => json!({ "oneOf": [{ "type": "array", "items": { "type": "string" } }, { "type": "string" }], "description": f.description }),
                "ballots" => json!({ "oneOf": [{ "type": "array", "items": { "type": "array", "items": { "type": "string" } } }, { "type": "string" }], "description": f.description }),
                kind => json!({ "type": kind, "description": f.description }),
            };
            (f.name.to_owned(), schema)
        })
        .collect();
    let required: Vec<&str> = A::FIELDS.iter().filter(|f| f.required).map(|f| f.name).collect();
    let mut op = json!({
        "summary": A::SUMMARY,
        "operationId": A::OPERATION,
        "security": [{ "session": [] }, { "bearer": [] }],
        "requestBody": { "required": true, "content": { "application/json": { "schema": {
            "type": "object", "required": required, "properties": properties
        } } } },
        "responses": {
            "201": { "description": "Done: the id of what was made (if anything) and the page that shows it", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ActionDone" } } } },
            "400": error_response("Malformed JSON"),
            "401": error_response("Not signed in"),
            "403": error_response("Not allowed: not a member, facilitator, party or delegate as the step needs"),
            "404": error_response("No such council, body, person, dispute, task or draw"),
            "409": error_response("Already done, or not at this stage"),
            "415": error_response("The body is not application/json"),
            "422": error_response("A field is missing or not valid, or the domain refused the step (the code says why)")
        }
    });
    if let (Some(target), Some(o)) = (A::TARGET, op.as_object_mut()) {
        o.insert("parameters".to_owned(), json!([id_parameter(target)]));
    }
    json!({ "post": op })
}

/// The schema of every write's answer.
#[must_use]
pub fn openapi_schemas() -> Value {
    json!({ "ActionDone": { "type": "object", "required": ["id", "page"], "properties": {
        "id": { "type": ["string", "null"], "description": "The id of what was made, if anything" },
        "page": { "type": "string", "description": "The page that shows the result" }
    } } })
}
