//! An assembly's meetings as an iCalendar feed (RFC 5545): one VEVENT per meeting, times in
//! UTC, text escaped and lines folded at 75 octets, CRLF line ends.

use axum::extract::{Path, State as AppState};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use plenum_core::{Instant, Venue};

use crate::App;
use crate::context::Ctx;
use crate::error::WebError;
use crate::ids::now;
use crate::pages::body::body_by_slug;

/// `20260329T173000Z`.
fn stamp(instant: Instant) -> String {
    instant.to_string().replace(['-', ':'], "")
}

/// Escapes a TEXT value (RFC 5545 3.3.11).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded so that no line is longer than 75 octets (3.1), never
/// splitting a UTF-8 character.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// The feed's text for the body with this slug.
pub async fn ics(app: &App, slug: &str, base: &str) -> Result<Option<String>, WebError> {
    let stamp_now = stamp(now()?);
    Ok(app
        .store
        .read(|s| {
            let b = body_by_slug(s, slug)?;
            let mut out = String::new();
            line(&mut out, "BEGIN:VCALENDAR");
            line(&mut out, "VERSION:2.0");
            line(&mut out, "PRODID:-//Plenum//Plenum//EN");
            line(&mut out, "CALSCALE:GREGORIAN");
            line(&mut out, &format!("X-WR-CALNAME:{}", text(b.name.as_str())));
            for m in s.meetings_of(&b.id) {
                line(&mut out, "BEGIN:VEVENT");
                line(&mut out, &format!("UID:{}@plenum", m.id));
                line(&mut out, &format!("DTSTAMP:{stamp_now}"));
                line(&mut out, &format!("DTSTART:{}", stamp(m.starts_at)));
                line(&mut out, &format!("DTEND:{}", stamp(m.ends_at)));
                line(&mut out, &format!("SUMMARY:{}", text(m.title.as_str())));
                let location = match &m.venue {
                    Venue::InPerson { place } => place.to_string(),
                    Venue::Online { link } => link.as_str().to_owned(),
                    Venue::Hybrid { place, link } => format!("{place} / {}", link.as_str()),
                };
                line(&mut out, &format!("LOCATION:{}", text(&location)));
                line(&mut out, &format!("URL:{base}/meetings/{}", m.id));
                line(&mut out, "END:VEVENT");
            }
            line(&mut out, "END:VCALENDAR");
            Some(out)
        })
        .await)
}

pub async fn feed(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(slug): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<Response, WebError> {
    // Absolute links need the host the feed was fetched from.
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if app.config.secure_cookies { "https" } else { "http" };
    let base = format!("{scheme}://{host}");
    let body = ics(&app, &slug, &base).await?.ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "ñ".repeat(60)));
        for l in out.split("\r\n") {
            assert!(l.len() <= 75, "{l:?}");
        }
        assert_eq!(out.replace("\r\n ", ""), format!("SUMMARY:{}\r\n", "ñ".repeat(60)));
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
