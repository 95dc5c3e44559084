//! The event log: appending with the hash chain, reading it back, rebuilding the state.

use plenum_core::{BallotId, Choice, Event, PollId, ReceiptCode, SealedBallot, State};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{Any, AnyPool, Row, Transaction};

use crate::{Store, StoreError};

/// The `prev_hash` of the first event: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// SHA-256 over the previous event's hash (as its 64 hex digits) followed by this event's
/// payload (its canonical JSON), in lowercase hex. Anyone can recompute it from the public log.
#[must_use]
pub fn chain_hash(prev_hash: &str, payload: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(payload.as_bytes());
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// One event as the log stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogEntry {
    /// 1 for the first event, then one more for each.
    pub seq: u64,
    pub kind: String,
    pub version: u32,
    /// The event's canonical JSON, exactly as hashed.
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

impl LogEntry {
    /// The event the payload holds.
    pub fn event(&self) -> Result<Event, StoreError> {
        Ok(serde_json::from_str(&self.payload)?)
    }
}

/// How long the log is and the hash of its last event (`GENESIS` when empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogHead {
    pub count: u64,
    pub hash: String,
}

fn to_u64(value: i64, column: &'static str) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt { column, value: value.to_string() })
}

fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

pub(crate) fn entry_from(row: &sqlx::any::AnyRow) -> Result<LogEntry, StoreError> {
    let version: i64 = row.try_get("version")?;
    Ok(LogEntry {
        seq: to_u64(row.try_get("seq")?, "events.seq")?,
        kind: row.try_get("kind")?,
        version: u32::try_from(version)
            .map_err(|_| StoreError::Corrupt { column: "events.version", value: version.to_string() })?,
        payload: row.try_get("payload")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

/// The last event's place in the chain, as the next append needs it.
#[derive(Debug, Clone)]
pub(crate) struct Head {
    seq: u64,
    hash: String,
}

/// Reads the head of the log inside a transaction (0 and `GENESIS` for an empty log).
pub(crate) async fn head_in(tx: &mut Transaction<'_, Any>) -> Result<Head, StoreError> {
    let head = sqlx::query("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetch_optional(&mut **tx).await?;
    Ok(match head {
        Some(row) => Head { seq: to_u64(row.try_get("seq")?, "events.seq")?, hash: row.try_get("hash")? },
        None => Head { seq: 0, hash: GENESIS.to_owned() },
    })
}

/// Appends events after `head`, inside the caller's transaction, and moves `head` past them.
/// A batch of commands reads the head once and chains every command's events through it.
pub(crate) async fn append_after(
    tx: &mut Transaction<'_, Any>,
    head: &mut Head,
    events: &[Event],
) -> Result<Vec<LogEntry>, StoreError> {
    let mut entries = Vec::with_capacity(events.len());
    for event in events {
        let seq = head.seq + 1;
        let payload = serde_json::to_string(event)?;
        let hash = chain_hash(&head.hash, &payload);
        sqlx::query("INSERT INTO events (seq, kind, version, payload, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(to_i64(seq))
            .bind(event.kind())
            .bind(i64::from(event.version()))
            .bind(&payload)
            .bind(&head.hash)
            .bind(&hash)
            .execute(&mut **tx)
            .await?;
        let prev_hash = std::mem::replace(&mut head.hash, hash.clone());
        head.seq = seq;
        entries.push(LogEntry { seq, kind: event.kind().to_owned(), version: event.version(), payload, prev_hash, hash });
    }
    Ok(entries)
}

/// Pages through the whole log in order.
pub(crate) async fn for_each_entry(
    pool: &AnyPool,
    mut f: impl FnMut(LogEntry) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut after = 0i64;
    loop {
        let rows =
            sqlx::query("SELECT seq, kind, version, payload, prev_hash, hash FROM events WHERE seq > $1 ORDER BY seq LIMIT 1000")
                .bind(after)
                .fetch_all(pool)
                .await?;
        let Some(last) = rows.last() else { return Ok(()) };
        after = last.try_get("seq")?;
        for row in &rows {
            f(entry_from(row)?)?;
        }
    }
}

/// Sealed ballots of polls that have not closed.
pub(crate) async fn sealed_ballots(pool: &AnyPool) -> Result<Vec<SealedBallot>, StoreError> {
    let rows =
        sqlx::query("SELECT ballot_id, poll_id, receipt, choice FROM ballot_box WHERE position IS NULL ORDER BY ballot_id")
            .fetch_all(pool)
            .await?;
    rows.iter().map(sealed_from).collect()
}

pub(crate) fn parse_choice(text: &str) -> Result<Choice, StoreError> {
    match text {
        "yes" => Ok(Choice::Yes),
        "no" => Ok(Choice::No),
        "abstain" => Ok(Choice::Abstain),
        other => Err(StoreError::Corrupt { column: "choice", value: other.to_owned() }),
    }
}

pub(crate) fn sealed_from(row: &sqlx::any::AnyRow) -> Result<SealedBallot, StoreError> {
    let corrupt = |column: &'static str, value: String| StoreError::Corrupt { column, value };
    let ballot: String = row.try_get("ballot_id")?;
    let poll: String = row.try_get("poll_id")?;
    let receipt: String = row.try_get("receipt")?;
    let choice: String = row.try_get("choice")?;
    Ok(SealedBallot {
        ballot: BallotId::parse(&ballot).map_err(|_| corrupt("ballot_box.ballot_id", ballot.clone()))?,
        poll: PollId::parse(&poll).map_err(|_| corrupt("ballot_box.poll_id", poll.clone()))?,
        receipt: ReceiptCode::parse(&receipt).map_err(|_| corrupt("ballot_box.receipt", receipt.clone()))?,
        choice: parse_choice(&choice)?,
    })
}

/// The state from the log, plus the sealed ballots of open polls.
pub(crate) async fn load_state(pool: &AnyPool) -> Result<State, StoreError> {
    let mut state = State::default();
    for_each_entry(pool, |entry| {
        state.apply(&entry.event()?)?;
        Ok(())
    })
    .await?;
    for ballot in sealed_ballots(pool).await? {
        state.deposit(&ballot)?;
    }
    for ballot in crate::budget::sealed_ballots(pool).await? {
        state.deposit_budget_ballot(&ballot)?;
    }
    for entry in crate::paper_ballot::sealed_entries(pool).await? {
        state.deposit_paper_entry(&entry)?;
    }
    Ok(state)
}

impl Store {
    /// The number of events and the last one's hash.
    pub async fn log_head(&self) -> Result<LogHead, StoreError> {
        let row = sqlx::query("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetch_optional(&self.pool).await?;
        Ok(match row {
            Some(row) => LogHead { count: to_u64(row.try_get("seq")?, "events.seq")?, hash: row.try_get("hash")? },
            None => LogHead { count: 0, hash: GENESIS.to_owned() },
        })
    }

    /// Up to `limit` events with `seq > after`, in order.
    pub async fn events_after(&self, after: u64, limit: u32) -> Result<Vec<LogEntry>, StoreError> {
        let rows =
            sqlx::query("SELECT seq, kind, version, payload, prev_hash, hash FROM events WHERE seq > $1 ORDER BY seq LIMIT $2")
                .bind(to_i64(after))
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(entry_from).collect()
    }
}
