//! Reading an action's input: field types forgiving of forms (everything is text) and of
//! JSON, and the lookups that turn names, slugs and numbers into the domain's ids.

use axum::http::StatusCode;
use plenum_core::{AccountId, BodyId, BodySlug, Council, DisputeId, Instant, Prose, State, Title};
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use crate::error::WebError;
use crate::ids::now;

// --- the inputs' field types: forgiving of forms (everything is text) and of JSON ---

/// A text field that also takes a JSON number or truth value.
#[derive(Debug, Default, Clone)]
pub struct Text(pub String);

struct TextVisitor;

impl Visitor<'_> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string, number or boolean")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text(v.to_owned()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

impl Text {
    pub(super) fn trim(&self) -> &str {
        self.0.trim()
    }
}

/// A list: a JSON array of strings, or one string split at commas and new lines (a form).
#[derive(Debug, Default, Clone)]
pub struct List(pub Vec<String>);

struct ListVisitor(&'static [char]);

impl<'de> Visitor<'de> for ListVisitor {
    type Value = List;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of strings, or a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<List, E> {
        Ok(List(v.split(self.0).map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned).collect()))
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<List, S::Error> {
        let mut all = Vec::new();
        while let Some(Text(x)) = seq.next_element()? {
            all.push(x.trim().to_owned());
        }
        Ok(List(all))
    }
}

impl<'de> Deserialize<'de> for List {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<List, D::Error> {
        d.deserialize_any(ListVisitor(&[',', '\n']))
    }
}

/// Ranked ballots: a JSON array of arrays of names, or lines (one ballot a line) whose names
/// are split at `>` or commas, best first.
#[derive(Debug, Default, Clone)]
pub struct Ballots(pub Vec<Vec<String>>);

struct Ranking(Vec<String>);

impl<'de> Deserialize<'de> for Ranking {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Ranking, D::Error> {
        d.deserialize_any(ListVisitor(&['>', ','])).map(|l| Ranking(l.0))
    }
}

struct BallotsVisitor;

impl<'de> Visitor<'de> for BallotsVisitor {
    type Value = Ballots;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of rankings, or lines of names")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Ballots, E> {
        let lines = v.lines().map(str::trim).filter(|l| !l.is_empty());
        Ok(Ballots(
            lines.map(|l| l.split(['>', ',']).map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned).collect()).collect(),
        ))
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Ballots, S::Error> {
        let mut all = Vec::new();
        while let Some(Ranking(r)) = seq.next_element()? {
            all.push(r);
        }
        Ok(Ballots(all))
    }
}

impl<'de> Deserialize<'de> for Ballots {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Ballots, D::Error> {
        d.deserialize_any(BallotsVisitor)
    }
}

// --- reading the input ---

pub(super) fn bad(what: impl Into<String>) -> WebError {
    WebError::bad_input("invalid_input", what.into())
}

pub(super) fn title(text: &Text, what: &str) -> Result<Title, WebError> {
    Title::parse(text.trim()).map_err(|e| bad(format!("{what}: {e}")))
}

pub(super) fn prose(text: &Text, what: &str) -> Result<Prose, WebError> {
    Prose::parse(text.trim()).map_err(|e| bad(format!("{what}: {e}")))
}

/// A whole number of days in `range`.
pub(super) fn days(text: &Text, what: &str, range: std::ops::RangeInclusive<i64>) -> Result<i64, WebError> {
    text.trim()
        .parse()
        .ok()
        .filter(|d| range.contains(d))
        .ok_or_else(|| bad(format!("{what}: a whole number of days from {} to {}", range.start(), range.end())))
}

/// A deadline given in minutes (if any) or else in days, at most `max_days` away.
pub(super) fn closes_in(minutes: &Text, days_text: &Text, max_days: i64) -> Result<Instant, WebError> {
    if minutes.trim().is_empty() {
        return in_days(days(days_text, "days", 1..=max_days)?);
    }
    let m: i64 = minutes
        .trim()
        .parse()
        .ok()
        .filter(|m| (1..=max_days * 1440).contains(m))
        .ok_or_else(|| bad(format!("minutes: a whole number from 1 to {}", max_days * 1440)))?;
    Ok(now()?.plus_seconds(m * 60))
}

pub(super) fn in_days(d: i64) -> Result<Instant, WebError> {
    Ok(now()?.plus_seconds(d * 86_400))
}

pub(super) fn first(path: &[String]) -> Result<&str, WebError> {
    path.first().map(String::as_str).ok_or_else(WebError::not_found)
}

/// A body by id or slug.
pub(super) fn body<'s>(s: &'s State, text: &str) -> Result<&'s plenum_core::Body, WebError> {
    let text = text.trim();
    BodyId::parse(text)
        .ok()
        .and_then(|id| s.body(&id))
        .or_else(|| BodySlug::parse(text).ok().and_then(|slug| s.body_by_slug(&slug)))
        .ok_or_else(|| WebError::new(StatusCode::NOT_FOUND, "not_found", format!("there is no body {text:?}")))
}

/// A council by id or slug, with its slug.
pub(super) fn council<'s>(s: &'s State, text: &str) -> Result<(&'s Council, String), WebError> {
    let b = body(s, text)?;
    let c = s
        .council(&b.id)
        .ok_or_else(|| WebError::new(StatusCode::NOT_FOUND, "not_found", format!("{text:?} is not a council")))?;
    Ok((c, b.slug.to_string()))
}

pub(super) fn council_page(s: &State, id: &BodyId) -> String {
    s.body(id).map_or_else(|| "/".to_owned(), |b| format!("/councils/{}", b.slug))
}

/// A person by account id, or by display name among the members of `among`.
pub(super) fn person(s: &State, among: &BodyId, text: &str) -> Result<AccountId, WebError> {
    let text = text.trim();
    if let Ok(id) = AccountId::parse(text)
        && s.resident(&id).is_some()
    {
        return Ok(id);
    }
    let b = s.body(among).ok_or_else(WebError::not_found)?;
    let mut found = b.current_members().filter(|m| s.resident(m).is_some_and(|r| r.display_name.as_str() == text));
    match (found.next(), found.next()) {
        (Some(one), None) => Ok(one.clone()),
        (Some(_), Some(_)) => Err(bad(format!("more than one member is called {text:?}: use the account id"))),
        (None, _) => Err(WebError::new(StatusCode::NOT_FOUND, "not_found", format!("{text:?} is not a member of {}", b.name))),
    }
}

pub(super) fn dispute<'s>(s: &'s State, path: &[String]) -> Result<&'s plenum_core::Dispute, WebError> {
    DisputeId::parse(first(path)?).ok().and_then(|id| s.dispute(&id)).ok_or_else(WebError::not_found)
}

pub(super) fn yes(text: &Text) -> bool {
    matches!(text.trim(), "on" | "true" | "yes" | "1")
}
