//! Group commit: one writer task writes queued commands in batches, one transaction (one
//! fsync) per batch, and answers each caller only after its batch committed.
//!
//! Callers check their command against the *pending* state (what is stored plus what is
//! queued), apply it there and queue it, all under one lock, so commands are checked and
//! written in the same order and a double vote is refused even when the first vote is still
//! in the queue. The writer keeps the *committed* state (what the database holds), which
//! `Store::read` shows: memory that readers see never runs ahead of the database.
//!
//! When a batch's transaction fails, every caller in it gets the error, and so does every
//! command queued behind it (it was checked against a state that counted the failed batch).
//! Each queued command carries the *generation* of the pending state it was checked against;
//! a failure marks its generation failed, and the next caller to take the pending lock
//! rebuilds the state from the database before checking anything (`Store::resync`).

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError};

use plenum_core::{Event, Instant, SealedBallot, SealedBudgetBallot, State};
use sqlx::{Any, AnyPool, Transaction};
use tokio::sync::{RwLock, mpsc, oneshot};

use crate::{Engine, LogEntry, NewAccount, StoreError, log, projection};

/// The most commands one transaction holds. Bounds a batch's latency (and the size of the
/// transaction) when a burst queues thousands at once.
const MAX_BATCH: usize = 512;

/// What a command writes: its events, and beside them the sealed ballot of a secret vote or
/// the private credentials of a new account.
#[derive(Debug)]
pub(crate) struct Write {
    pub events: Vec<Event>,
    pub sealed: Option<SealedBallot>,
    /// The sealed ballot of a budget cycle's vote.
    pub budget_sealed: Option<SealedBudgetBallot>,
    pub account: Option<(NewAccount, Instant)>,
    /// The registry's private side (keys, sealed personal data, claim codes).
    pub registry: Option<crate::registry::Private>,
    /// The sealed content of a paper ballot's entry.
    pub paper: Option<plenum_core::SealedPaperEntry>,
}

impl Write {
    pub fn events(events: Vec<Event>) -> Write {
        Write { events, sealed: None, budget_sealed: None, account: None, registry: None, paper: None }
    }

    /// Events with the registry's private side.
    pub fn private(events: Vec<Event>, private: crate::registry::Private) -> Write {
        Write { registry: Some(private), ..Write::events(events) }
    }

    /// Moves `state` past this write. Fails only on events that do not fit the state.
    pub fn apply_to(&self, state: &mut State) -> Result<(), StoreError> {
        for event in &self.events {
            state.apply(event)?;
        }
        if let Some(ballot) = &self.sealed {
            state.deposit(ballot)?;
        }
        if let Some(ballot) = &self.budget_sealed {
            state.deposit_budget_ballot(ballot)?;
        }
        if let Some(entry) = &self.paper {
            state.deposit_paper_entry(entry)?;
        }
        Ok(())
    }
}

pub(crate) type Answer = oneshot::Sender<Result<Vec<LogEntry>, StoreError>>;

/// A checked command waiting for the writer.
#[derive(Debug)]
pub(crate) struct Job {
    /// The generation of the pending state it was checked against.
    pub generation: u64,
    pub write: Write,
    pub answer: Answer,
}

#[derive(Debug)]
#[expect(clippy::large_enum_variant, reason = "nearly every message is a Write; boxing it would allocate per ballot")]
pub(crate) enum Message {
    Write(Job),
    /// Answered once everything queued before it has been written or failed.
    Flush(oneshot::Sender<()>),
}

/// What the writer task and the store share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub pool: AnyPool,
    pub engine: Engine,
    /// What the database holds; moves only after a commit.
    pub committed: RwLock<State>,
    /// The newest generation a failed batch was checked in (0: none yet). Queued commands of
    /// that generation or older are failed without being written.
    pub failed_generation: AtomicU64,
    /// Logins of queued, not yet written accounts, so that two registrations racing for one
    /// login do not both pass the check and then fail a whole batch on the UNIQUE constraint.
    pub reserved_logins: std::sync::Mutex<HashSet<String>>,
    /// Committed transactions and the commands in them, for [`WriteStats`].
    pub batches: AtomicU64,
    pub commands: AtomicU64,
}

/// How many transactions the writer has committed and how many commands they held (their
/// ratio is the mean batch size).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteStats {
    pub batches: u64,
    pub commands: u64,
}

impl Shared {
    pub fn failed_generation(&self) -> u64 {
        self.failed_generation.load(Ordering::SeqCst)
    }

    pub fn mark_failed(&self, generation: u64) {
        self.failed_generation.fetch_max(generation, Ordering::SeqCst);
    }

    pub fn logins(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        // A panic while holding this lock cannot leave the set half-changed: go on with it.
        self.reserved_logins.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The writer task: takes whatever is queued (up to `MAX_BATCH`), writes it in one
/// transaction, answers, and goes again. It ends when the store is dropped.
pub(crate) async fn run(shared: Arc<Shared>, mut inbox: mpsc::UnboundedReceiver<Message>) {
    // The error of the last failed batch, given to the commands queued behind it.
    let mut last_failure: Option<Arc<StoreError>> = None;
    while let Some(first) = inbox.recv().await {
        let (mut jobs, mut flushes) = (Vec::new(), Vec::new());
        let mut next = Some(first);
        while let Some(message) = next.take() {
            match message {
                Message::Write(job) => jobs.push(job),
                Message::Flush(done) => flushes.push(done),
            }
            if jobs.len() < MAX_BATCH {
                next = inbox.try_recv().ok();
            }
        }
        let jobs = fail_stale(&shared, jobs, last_failure.as_ref());
        if !jobs.is_empty()
            && let Err(failure) = write_batch(&shared, jobs).await
        {
            last_failure = Some(failure);
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}

/// Answers the commands that were checked against a state that counted a failed batch, and
/// returns the others.
fn fail_stale(shared: &Shared, jobs: Vec<Job>, failure: Option<&Arc<StoreError>>) -> Vec<Job> {
    let failed = shared.failed_generation();
    let (stale, fresh): (Vec<Job>, Vec<Job>) = jobs.into_iter().partition(|job| job.generation <= failed);
    for job in stale {
        release_login(shared, &job.write);
        let error = failure.map_or(StoreError::Discarded, |e| StoreError::WriteFailed(Arc::clone(e)));
        let _ = job.answer.send(Err(error));
    }
    fresh
}

/// Writes a batch and answers its callers: each with its log entries after the commit, or
/// all with the error.
async fn write_batch(shared: &Shared, jobs: Vec<Job>) -> Result<(), Arc<StoreError>> {
    match write(&shared.pool, shared.engine, &jobs).await {
        Ok(entries) => {
            advance_committed(shared, &jobs).await;
            shared.batches.fetch_add(1, Ordering::Relaxed);
            shared.commands.fetch_add(jobs.len() as u64, Ordering::Relaxed);
            for (job, entries) in jobs.into_iter().zip(entries) {
                release_login(shared, &job.write);
                let _ = job.answer.send(Ok(entries));
            }
            Ok(())
        }
        Err(error) => {
            // Before answering: a caller told of the failure must find its generation failed.
            shared.mark_failed(jobs.iter().map(|job| job.generation).max().unwrap_or(0));
            // What readers see is rebuilt now; the pending state by the next command (if this
            // reload fails, that one reloads both).
            if let Ok(state) = log::load_state(&shared.pool).await {
                *shared.committed.write().await = state;
            }
            let error = Arc::new(error);
            for job in jobs {
                release_login(shared, &job.write);
                let _ = job.answer.send(Err(StoreError::WriteFailed(Arc::clone(&error))));
            }
            Err(error)
        }
    }
}

/// Moves the committed state past a written batch. The batch applied to the pending state in
/// the same order, so it applies here too; if it somehow does not, the committed state is
/// read again from the database rather than left wrong.
async fn advance_committed(shared: &Shared, jobs: &[Job]) {
    let mut committed = shared.committed.write().await;
    let applied: Result<(), StoreError> = jobs.iter().try_for_each(|job| job.write.apply_to(&mut committed));
    if applied.is_err()
        && let Ok(state) = log::load_state(&shared.pool).await
    {
        *committed = state;
    }
}

fn release_login(shared: &Shared, write: &Write) {
    if let Some((account, _)) = &write.account {
        shared.logins().remove(&account.login);
    }
}

/// One transaction for the whole batch: the log's head is read once and every command's
/// events are chained after the previous command's, in queue order.
async fn write(pool: &AnyPool, engine: Engine, jobs: &[Job]) -> Result<Vec<Vec<LogEntry>>, StoreError> {
    // SQLite: take the write lock at BEGIN. A deferred transaction that reads the head first
    // and then finds another connection writing (a session, a tool) fails at once with
    // SQLITE_BUSY instead of waiting for the busy timeout.
    let mut tx: Transaction<'_, Any> = match engine {
        Engine::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await?,
        Engine::Postgres => pool.begin().await?,
    };
    let mut head = log::head_in(&mut tx).await?;
    let mut written = Vec::with_capacity(jobs.len());
    for job in jobs {
        written.push(write_one(&mut tx, &mut head, &job.write).await?);
    }
    tx.commit().await?;
    Ok(written)
}

async fn write_one(tx: &mut Transaction<'_, Any>, head: &mut log::Head, write: &Write) -> Result<Vec<LogEntry>, StoreError> {
    if let Some((account, at)) = &write.account {
        sqlx::query("INSERT INTO accounts (id, login, password_hash, created_at) VALUES ($1, $2, $3, $4)")
            .bind(account.id.as_str())
            .bind(&account.login)
            .bind(&account.password_hash)
            .bind(at.to_string())
            .execute(&mut **tx)
            .await?;
    }
    let entries = log::append_after(tx, head, &write.events).await?;
    for event in &write.events {
        projection::project(tx, event).await?;
    }
    if let Some(ballot) = &write.sealed {
        projection::seal(tx, ballot).await?;
    }
    if let Some(ballot) = &write.budget_sealed {
        crate::budget::seal(tx, ballot).await?;
    }
    if let Some(entry) = &write.paper {
        crate::paper_ballot::seal(tx, entry).await?;
    }
    if let Some(private) = &write.registry {
        crate::registry::write_private(tx, private).await?;
    }
    Ok(entries)
}
