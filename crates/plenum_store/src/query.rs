//! Typed reads of the read tables, for the web layer and the public API.

use plenum_core::{
    AccountId, BodyId, BodySlug, Charter, Instant, MotionId, MotionKind, PollId, PollResult, PublishedBallot, ReceiptCode,
    Secrecy,
};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::log::sealed_from;
use crate::{Store, StoreError};

/// Parses a stored text with `parse`, naming the column if it does not parse.
fn parsed<T, E>(row: &AnyRow, column: &'static str, parse: impl FnOnce(&str) -> Result<T, E>) -> Result<T, StoreError> {
    let text: String = row.try_get(column)?;
    parse(&text).map_err(|_| StoreError::Corrupt { column, value: text.clone() })
}

fn json<T: serde::de::DeserializeOwned>(row: &AnyRow, column: &'static str) -> Result<T, StoreError> {
    parsed(row, column, |text| serde_json::from_str::<T>(text))
}

fn count(row: &AnyRow, column: &'static str) -> Result<u64, StoreError> {
    let n: i64 = row.try_get(column)?;
    u64::try_from(n).map_err(|_| StoreError::Corrupt { column, value: n.to_string() })
}

fn kind(text: &str) -> Result<MotionKind, serde_json::Error> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
}

/// A body as listed publicly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BodyRow {
    pub id: BodyId,
    pub slug: BodySlug,
    pub name: String,
    pub charter: Charter,
    pub created_at: Instant,
    /// Members (not pending requests).
    pub members: u64,
}

/// A member of a body, with the name they show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberRow {
    pub resident: AccountId,
    pub display_name: String,
    /// `"member"` or `"requested"`.
    pub status: String,
    /// `"member"` or `"facilitator"`.
    pub role: String,
    pub since: Instant,
}

/// A motion as listed publicly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MotionRow {
    pub id: MotionId,
    pub body: BodyId,
    pub kind: MotionKind,
    pub title: String,
    pub text: String,
    pub mover: AccountId,
    pub filed_at: Instant,
    /// `open`, `voting`, `passed`, `rejected` or `withdrawn`.
    pub status: String,
    /// The poll voting on it or that decided it.
    pub poll: Option<PollId>,
}

/// A poll, with its result once closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PollRow {
    pub id: PollId,
    pub motion: MotionId,
    pub body: BodyId,
    pub secrecy: Secrecy,
    pub opens_at: Instant,
    pub closes_at: Instant,
    pub roll_size: u64,
    /// How many have voted online so far.
    pub voted: u64,
    pub closed_at: Option<Instant>,
    pub result: Option<PollResult>,
}

const BODY_COLUMNS: &str = "SELECT b.id, b.slug, b.name, b.charter, b.created_at,
    (SELECT COUNT(*) FROM memberships m WHERE m.body_id = b.id AND m.status = 'member') AS members FROM bodies b";

fn body_from(row: &AnyRow) -> Result<BodyRow, StoreError> {
    Ok(BodyRow {
        id: parsed(row, "id", BodyId::parse)?,
        slug: parsed(row, "slug", BodySlug::parse)?,
        name: row.try_get("name")?,
        charter: json(row, "charter")?,
        created_at: parsed(row, "created_at", Instant::parse)?,
        members: count(row, "members")?,
    })
}

const MOTION_COLUMNS: &str = "SELECT id, body_id, kind, title, text, mover_id, filed_at, status, poll_id FROM motions";

fn motion_from(row: &AnyRow) -> Result<MotionRow, StoreError> {
    let poll: Option<String> = row.try_get("poll_id")?;
    Ok(MotionRow {
        id: parsed(row, "id", MotionId::parse)?,
        body: parsed(row, "body_id", BodyId::parse)?,
        kind: parsed(row, "kind", kind)?,
        title: row.try_get("title")?,
        text: row.try_get("text")?,
        mover: parsed(row, "mover_id", AccountId::parse)?,
        filed_at: parsed(row, "filed_at", Instant::parse)?,
        status: row.try_get("status")?,
        poll: poll
            .map(|p| PollId::parse(&p).map_err(|_| StoreError::Corrupt { column: "poll_id", value: p.clone() }))
            .transpose()?,
    })
}

impl Store {
    /// Every body, oldest first.
    pub async fn bodies(&self) -> Result<Vec<BodyRow>, StoreError> {
        let rows = sqlx::query(&format!("{BODY_COLUMNS} ORDER BY b.id")).fetch_all(&self.pool).await?;
        rows.iter().map(body_from).collect()
    }

    pub async fn body(&self, id: &BodyId) -> Result<Option<BodyRow>, StoreError> {
        let row = sqlx::query(&format!("{BODY_COLUMNS} WHERE b.id = $1")).bind(id.as_str()).fetch_optional(&self.pool).await?;
        row.as_ref().map(body_from).transpose()
    }

    pub async fn body_by_slug(&self, slug: &BodySlug) -> Result<Option<BodyRow>, StoreError> {
        let row =
            sqlx::query(&format!("{BODY_COLUMNS} WHERE b.slug = $1")).bind(slug.as_str()).fetch_optional(&self.pool).await?;
        row.as_ref().map(body_from).transpose()
    }

    /// A body's members and pending requests, by display name.
    pub async fn members(&self, body: &BodyId) -> Result<Vec<MemberRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT m.resident_id, r.display_name, m.status, m.role, m.since FROM memberships m
             JOIN residents r ON r.id = m.resident_id WHERE m.body_id = $1 ORDER BY r.display_name, m.resident_id",
        )
        .bind(body.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(MemberRow {
                    resident: parsed(row, "resident_id", AccountId::parse)?,
                    display_name: row.try_get("display_name")?,
                    status: row.try_get("status")?,
                    role: row.try_get("role")?,
                    since: parsed(row, "since", Instant::parse)?,
                })
            })
            .collect()
    }

    /// A body's motions, newest first.
    pub async fn motions_of(&self, body: &BodyId) -> Result<Vec<MotionRow>, StoreError> {
        let rows = sqlx::query(&format!("{MOTION_COLUMNS} WHERE body_id = $1 ORDER BY id DESC"))
            .bind(body.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(motion_from).collect()
    }

    pub async fn motion(&self, id: &MotionId) -> Result<Option<MotionRow>, StoreError> {
        let row = sqlx::query(&format!("{MOTION_COLUMNS} WHERE id = $1")).bind(id.as_str()).fetch_optional(&self.pool).await?;
        row.as_ref().map(motion_from).transpose()
    }

    /// A poll, with its result and working once closed.
    pub async fn poll(&self, id: &PollId) -> Result<Option<PollRow>, StoreError> {
        let row = sqlx::query(
            "SELECT p.id, p.motion_id, p.body_id, p.secrecy, p.opens_at, p.closes_at, p.roll_size, p.voted, p.closed_at,
                    r.working FROM polls p LEFT JOIN results r ON r.poll_id = p.id WHERE p.id = $1",
        )
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let closed_at: Option<String> = row.try_get("closed_at")?;
        let working: Option<String> = row.try_get("working")?;
        Ok(Some(PollRow {
            id: parsed(&row, "id", PollId::parse)?,
            motion: parsed(&row, "motion_id", MotionId::parse)?,
            body: parsed(&row, "body_id", BodyId::parse)?,
            secrecy: parsed(&row, "secrecy", |s| serde_json::from_value(serde_json::Value::String(s.to_owned())))?,
            opens_at: parsed(&row, "opens_at", Instant::parse)?,
            closes_at: parsed(&row, "closes_at", Instant::parse)?,
            roll_size: count(&row, "roll_size")?,
            voted: count(&row, "voted")?,
            closed_at: closed_at
                .map(|t| Instant::parse(&t).map_err(|_| StoreError::Corrupt { column: "closed_at", value: t.clone() }))
                .transpose()?,
            result: working.map(|w| serde_json::from_str(&w)).transpose()?,
        }))
    }

    /// A closed secret poll's public board, in published order (empty before it closes).
    pub async fn published_ballots(&self, poll: &PollId) -> Result<Vec<PublishedBallot>, StoreError> {
        let rows = sqlx::query(
            "SELECT ballot_id, poll_id, receipt, choice FROM ballot_box WHERE poll_id = $1 AND position IS NOT NULL ORDER BY position",
        )
        .bind(poll.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let b = sealed_from(row)?;
                Ok(PublishedBallot { ballot: b.ballot, receipt: b.receipt, choice: b.choice })
            })
            .collect()
    }

    /// The published ballot a receipt code finds, once the poll has closed.
    pub async fn ballot_by_receipt(&self, poll: &PollId, receipt: &ReceiptCode) -> Result<Option<PublishedBallot>, StoreError> {
        let row = sqlx::query(
            "SELECT ballot_id, poll_id, receipt, choice FROM ballot_box WHERE poll_id = $1 AND receipt = $2 AND position IS NOT NULL",
        )
        .bind(poll.as_str())
        .bind(receipt.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref()
            .map(|row| {
                let b = sealed_from(row)?;
                Ok(PublishedBallot { ballot: b.ballot, receipt: b.receipt, choice: b.choice })
            })
            .transpose()
    }
}
