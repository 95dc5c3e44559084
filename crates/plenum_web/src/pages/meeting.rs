//! Meetings: scheduling (facilitators), the meeting page with its agenda, attendance and
//! published minutes, and the facilitator's forms for attendance, minutes and publishing.

use askama::Template;
use axum::extract::{Path, State as AppState};
use axum::response::Response;
use plenum_core::{AccountId, Link, MeetingId, MotionId, Prose, ScheduleMeeting, TimeZoneName, Title, Venue};
use serde::Deserialize;

use crate::App;
use crate::context::Ctx;
use crate::csrf;
use crate::error::WebError;
use crate::ids::{new_id, now};
use crate::local_time::{local_to_instant, show as local};
use crate::pages::body::{Item, body_by_slug};
use crate::pages::{Form, Page, name_of, render, see};

#[derive(Debug)]
pub struct Choice {
    pub id: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "meeting_new.html")]
struct NewMeetingPage {
    page: Page,
    slug: String,
    body_name: String,
    motions: Vec<Choice>,
    zone: String,
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    page: Page,
    id: String,
    title: String,
    body_slug: String,
    body_name: String,
    when: String,
    venue: String,
    link: Option<String>,
    agenda: Vec<Item>,
    present: Vec<String>,
    guests: u64,
    minutes: Option<String>,
    published: bool,
    is_facilitator: bool,
    members: Vec<Choice>,
}

pub async fn new_form(ctx: Ctx, AppState(app): AppState<App>, Path(slug): Path<String>) -> Result<Response, WebError> {
    ctx.viewer()?;
    let view = app
        .store
        .read(|s| {
            let b = body_by_slug(s, &slug)?;
            Some(NewMeetingPage {
                page: Page::new(&ctx, ctx.tr.t("meeting-new-title")),
                slug: b.slug.to_string(),
                body_name: b.name.to_string(),
                motions: s
                    .motions_of(&b.id)
                    .filter(|m| matches!(m.status, plenum_core::MotionStatus::Open | plenum_core::MotionStatus::Voting { .. }))
                    .map(|m| Choice { id: m.id.to_string(), label: m.title.to_string(), checked: false })
                    .collect(),
                zone: app.config.time_zone.name().to_owned(),
            })
        })
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    render(&view, &ctx)
}

/// The value of the first field `name` in a form read as pairs (forms with repeated fields).
fn field<'f>(form: &'f [(String, String)], name: &str) -> &'f str {
    form.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

pub async fn schedule(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(slug): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    let viewer = ctx.viewer()?.id.clone();
    let body = app
        .store
        .read(|s| body_by_slug(s, &slug).map(|b| b.id.clone()))
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    let scheduled = async {
        let zone = app.config.time_zone;
        let starts_at =
            local_to_instant(field(&form, "starts_at"), zone).map_err(|e| WebError::bad_input(e.code(), e.to_string()))?;
        let minutes: i64 =
            field(&form, "duration").trim().parse().ok().filter(|m| (1..=24 * 60).contains(m)).ok_or_else(|| {
                WebError::bad_input("invalid_minutes", "the duration is a whole number of minutes, at most a day")
            })?;
        let place = field(&form, "place");
        let link = field(&form, "link").trim();
        let venue = match (place.trim().is_empty(), link.is_empty()) {
            (false, true) => Venue::InPerson { place: Title::parse(place)? },
            (true, false) => Venue::Online { link: Link::parse(link)? },
            (false, false) => Venue::Hybrid { place: Title::parse(place)?, link: Link::parse(link)? },
            (true, true) => return Err(WebError::bad_input("venue_missing", "give a place, a link, or both")),
        };
        let agenda =
            form.iter().filter(|(k, _)| k == "agenda").map(|(_, v)| MotionId::parse(v)).collect::<Result<Vec<_>, _>>()?;
        let meeting = new_id(MeetingId::parse)?;
        let new = ScheduleMeeting {
            meeting: meeting.clone(),
            body,
            title: Title::parse(field(&form, "title"))?,
            starts_at,
            ends_at: starts_at.plus_seconds(minutes * 60),
            time_zone: TimeZoneName::parse(zone.name())?,
            venue,
            agenda,
        };
        let at = now()?;
        app.store.execute(|s| s.schedule_meeting(new, &viewer, at)).await?;
        Ok::<_, WebError>(meeting)
    }
    .await;
    let meeting = scheduled.map_err(|e| ctx.page_error(e))?;
    Ok(see(&format!("/meetings/{meeting}")))
}

fn meeting_id(ctx: &Ctx, id: &str) -> Result<MeetingId, WebError> {
    MeetingId::parse(id).map_err(|_| ctx.page_error(WebError::not_found()))
}

pub async fn show(ctx: Ctx, AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = meeting_id(&ctx, &id)?;
    let tr = ctx.tr;
    let zone = app.config.time_zone;
    let me = ctx.viewer.as_ref().map(|v| v.id.clone());
    let view = app
        .store
        .read(|s| {
            let m = s.meeting(&id)?;
            let b = s.body(&m.body)?;
            let is_facilitator = me.as_ref().is_some_and(|me| b.is_facilitator(me));
            let (venue, link) = match &m.venue {
                Venue::InPerson { place } => (place.to_string(), None),
                Venue::Online { link } => (tr.t("venue-online"), Some(link.as_str().to_owned())),
                Venue::Hybrid { place, link } => (place.to_string(), Some(link.as_str().to_owned())),
            };
            let published = m.published_at.is_some();
            let mut present: Vec<String> = m.present.iter().map(|p| name_of(s, p)).collect();
            present.sort();
            Some(MeetingPage {
                page: Page::new(&ctx, m.title.to_string()),
                id: m.id.to_string(),
                title: m.title.to_string(),
                body_slug: b.slug.to_string(),
                body_name: b.name.to_string(),
                when: format!("{} – {}", local(m.starts_at, zone), local(m.ends_at, zone)),
                venue,
                link,
                agenda: m
                    .agenda
                    .iter()
                    .filter_map(|id| s.motion(id))
                    .map(|mo| Item {
                        href: format!("/motions/{}", mo.id),
                        label: mo.title.to_string(),
                        note: tr.t(&format!("status-{}", mo.status.name())),
                    })
                    .collect(),
                present,
                guests: m.guests,
                // Unpublished minutes are a draft: only facilitators see them.
                minutes: m.minutes.as_ref().filter(|_| published || is_facilitator).map(|p| p.to_string()),
                published,
                is_facilitator,
                members: if is_facilitator {
                    b.current_members()
                        .map(|id| Choice { id: id.to_string(), label: name_of(s, id), checked: m.present.contains(id) })
                        .collect()
                } else {
                    Vec::new()
                },
            })
        })
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    render(&view, &ctx)
}

pub async fn attendance(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    let viewer = ctx.viewer()?.id.clone();
    let meeting = meeting_id(&ctx, &id)?;
    let recorded = async {
        let present =
            form.iter().filter(|(k, _)| k == "present").map(|(_, v)| AccountId::parse(v)).collect::<Result<Vec<_>, _>>()?;
        let guests: u64 = field(&form, "guests").trim().parse().unwrap_or(0);
        let at = now()?;
        app.store.execute(|s| s.record_attendance(&meeting, present, guests, &viewer, at)).await?;
        Ok::<_, WebError>(())
    }
    .await;
    recorded.map_err(|e| ctx.page_error(e))?;
    Ok(see(&format!("/meetings/{id}")))
}

#[derive(Debug, Deserialize)]
pub struct MinutesForm {
    #[serde(default)]
    csrf: String,
    minutes: String,
}

pub async fn minutes(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<MinutesForm>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let viewer = ctx.viewer()?.id.clone();
    let meeting = meeting_id(&ctx, &id)?;
    let minutes = Prose::parse(&form.minutes).map_err(|e| ctx.page_error(e))?;
    let at = now()?;
    app.store.execute(|s| s.record_minutes(&meeting, minutes, &viewer, at)).await.map_err(|e| ctx.page_error(e))?;
    Ok(see(&format!("/meetings/{id}")))
}

#[derive(Debug, Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    csrf: String,
}

pub async fn publish(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<PublishForm>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, &form.csrf)?;
    let viewer = ctx.viewer()?.id.clone();
    let meeting = meeting_id(&ctx, &id)?;
    let at = now()?;
    app.store.execute(|s| s.publish_minutes(&meeting, &viewer, at)).await.map_err(|e| ctx.page_error(e))?;
    Ok(see(&format!("/meetings/{id}")))
}
