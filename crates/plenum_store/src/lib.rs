//! Plenum's persistence: the append-only, hash-chained event log, the read tables it feeds,
//! accounts and sessions, and the ballot box.
//!
//! One code path for SQLite (the default, a file in a data directory) and PostgreSQL, through
//! sqlx's `Any` driver and one folder of portable migrations, applied by [`Store::open`].
//!
//! # Writing
//!
//! [`Store`] holds the domain [`State`] in memory, rebuilt from the log when it opens. Every
//! change is checked under one lock: [`Store::execute`] runs a `plenum_core` command against
//! the pending state (what is stored plus what is queued), and queues the events it returns.
//! [`Store::cast_vote`] does the same for a vote and, in a secret poll, its sealed ballot (for
//! the ballot box, not the log); [`Store::register_account`] for a new account and its private
//! credentials. A refusal is answered at once and writes nothing.
//!
//! One writer task takes what is queued and writes it as a batch in one transaction — events
//! appended with the hash chain, read tables updated — so many concurrent votes cost one
//! fsync (group commit). Each caller returns only after its batch committed; if the
//! transaction fails, every caller in the batch gets the error and the state is rebuilt from
//! the database. See the `writer` module.
//!
//! # Reading
//!
//! [`Store::read`] gives the in-memory state to a closure (fast, for pages); the `query`
//! methods read the tables (`bodies`, `motions_of`, `poll`, `published_ballots`, …);
//! [`Store::log_head`] and [`Store::events_after`] serve the public log; [`Store::verify`]
//! recomputes the hash chain and every closed poll's result.

mod budget;
mod coalition;
mod confederation;
mod log;
mod paper_ballot;
mod projection;
mod query;
mod registry;
mod session;
mod unlinkable;
mod verify;
mod writer;

use std::path::Path;
use std::sync::Arc;

use std::sync::atomic::AtomicU64;

use plenum_core::{AccountId, BallotRandomness, Cast, Choice, DisplayName, Event, Instant, PollId, Refusal, ReplayError, State};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use tokio::sync::{Mutex, MutexGuard, RwLock, mpsc, oneshot};
use writer::{Job, Message, Shared, Write};

pub use coalition::{PledgeRow, PositionRow};
pub use log::{LogEntry, LogHead, chain_hash};
pub use query::{BodyRow, MemberRow, MotionRow, PollRow};
pub use registry::{ClaimRefusal, EnrolSecrets, PersonalData, claim_hash};
pub use session::Session;
pub use unlinkable::VotingKeyRow;
pub use verify::{Problem, Verification};
pub use writer::WriteStats;

/// The migrations, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The database file's name inside a data directory.
pub const SQLITE_FILE: &str = "plenum.sqlite3";

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The command was refused by the domain; nothing was written.
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The log does not replay (a corrupt or altered database): run `plenum verify`.
    #[error("the event log does not replay: {0}")]
    Replay(#[from] ReplayError),
    #[error("the stored value {value:?} in {column} is not valid")]
    Corrupt { column: &'static str, value: String },
    #[error("the login {login:?} is taken")]
    LoginTaken { login: String },
    #[error("cannot create the data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("{url:?} is not a database URL this build knows (sqlite:… or postgres://…)")]
    UnknownUrl { url: String },
    /// The transaction of the batch this command was written in failed (or one queued before
    /// it did): it was not acknowledged, and the state was rebuilt from the database.
    #[error("the write failed: {0}")]
    WriteFailed(Arc<StoreError>),
    /// The command was checked against a state that could not be trusted; nothing was
    /// written and the state was rebuilt from the database. Trying again is safe.
    #[error("the command was discarded while the state was rebuilt; nothing was written")]
    Discarded,
    /// A one-time claim code was refused (unknown, used or expired); nothing changed.
    #[error(transparent)]
    Claim(#[from] ClaimRefusal),
    /// The store's writer task has ended (its runtime shut down): nothing more can be written.
    #[error("the store's writer has stopped")]
    WriterStopped,
}

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A new account: the public part goes to the log, the credentials stay private.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub id: AccountId,
    /// What the resident logs in with; unique (compared exactly: normalise before).
    pub login: String,
    /// A password hash made by the web layer (argon2id, PHC string). Never a password.
    pub password_hash: String,
    pub display_name: DisplayName,
}

/// The persistent store. Cheap to share: wrap it in an `Arc`.
#[derive(Debug)]
pub struct Store {
    pool: AnyPool,
    engine: Engine,
    /// The state every command is checked against: the committed state plus the commands
    /// queued for the writer. Its lock puts commands in order.
    pending: Mutex<Pending>,
    /// What the writer task shares with the store (the committed state among it).
    shared: Arc<Shared>,
    /// The writer's queue. Dropping the store closes it, which ends the writer task.
    outbox: mpsc::UnboundedSender<Message>,
    /// Registry claim codes being written.
    claims: registry::ClaimsInFlight,
}

/// The pending state and its generation, which moves on each time it is rebuilt after a
/// failed write (see [`writer`]).
#[derive(Debug)]
struct Pending {
    state: State,
    generation: u64,
}

impl Store {
    /// The SQLite URL for a data directory.
    #[must_use]
    pub fn sqlite_url(data_dir: &Path) -> String {
        format!("sqlite://{}?mode=rwc", data_dir.join(SQLITE_FILE).display())
    }

    /// Opens (creating it if needed) the SQLite database in a data directory.
    pub async fn open_data_dir(data_dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|source| StoreError::DataDir { path: data_dir.display().to_string(), source })?;
        Store::open(&Store::sqlite_url(data_dir)).await
    }

    /// Opens the database at `url` (`sqlite://path?mode=rwc` or `postgres://…`), applies the
    /// migrations and rebuilds the state from the log. SQLite runs in WAL mode with
    /// `synchronous=FULL` (an acknowledged write survives a crash) and foreign keys on.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Engine::Postgres
        } else {
            return Err(StoreError::UnknownUrl { url: url.to_owned() });
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if engine == Engine::Sqlite { 4 } else { 8 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = FULL",
                            "PRAGMA foreign_keys = ON",
                            "PRAGMA busy_timeout = 10000",
                            // Deleted rows (a destroyed registry key) are overwritten, not left in free pages.
                            "PRAGMA secure_delete = ON",
                        ] {
                            conn.execute(pragma).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        MIGRATOR.run(&pool).await?;
        let state = log::load_state(&pool).await?;
        let shared = Arc::new(Shared {
            pool: pool.clone(),
            engine,
            committed: RwLock::new(state.clone()),
            failed_generation: AtomicU64::new(0),
            reserved_logins: std::sync::Mutex::default(),
            batches: AtomicU64::new(0),
            commands: AtomicU64::new(0),
        });
        let (outbox, inbox) = mpsc::unbounded_channel();
        tokio::spawn(writer::run(Arc::clone(&shared), inbox));
        Ok(Store {
            pool,
            engine,
            pending: Mutex::new(Pending { state, generation: 1 }),
            shared,
            outbox,
            claims: registry::ClaimsInFlight::default(),
        })
    }

    #[must_use]
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The connection pool, for tests and tools that need plain SQL.
    #[must_use]
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// How many transactions the writer has committed since the store opened, and how many
    /// commands they held.
    #[must_use]
    pub fn write_stats(&self) -> WriteStats {
        WriteStats {
            batches: self.shared.batches.load(std::sync::atomic::Ordering::Relaxed),
            commands: self.shared.commands.load(std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// Closes the pool (waits for connections to finish).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Runs `f` on the current state: what the database holds (commands still queued for the
    /// writer are not in it).
    pub async fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&*self.shared.committed.read().await)
    }

    /// Runs a domain command against the current state and, if it is accepted, appends its
    /// events (and updates the read tables) in one transaction. A refusal writes nothing.
    pub async fn execute(
        &self,
        command: impl FnOnce(&State) -> Result<Vec<Event>, Refusal>,
    ) -> Result<Vec<LogEntry>, StoreError> {
        let mut pending = self.lock_pending().await?;
        let write = Write::events(command(&pending.state)?);
        let answer = self.enqueue(&mut pending, write).await?;
        drop(pending);
        Store::acknowledged(answer).await
    }

    /// Appends events that were made elsewhere (imports, demos). They must apply to the current
    /// state; nothing is written otherwise.
    pub async fn append(&self, events: Vec<Event>) -> Result<Vec<LogEntry>, StoreError> {
        let mut pending = self.lock_pending().await?;
        let answer = self.enqueue(&mut pending, Write::events(events)).await?;
        drop(pending);
        Store::acknowledged(answer).await
    }

    /// A member votes. In a secret poll the roll mark goes to the log and the sealed ballot to
    /// the ballot box, in the same transaction; the returned [`Cast`] holds the voter's receipt.
    /// Concurrent votes share transactions (group commit); each returns after its own is
    /// committed.
    pub async fn cast_vote(
        &self,
        poll: &PollId,
        choice: Choice,
        by: &AccountId,
        at: Instant,
        randomness: BallotRandomness,
    ) -> Result<Cast, StoreError> {
        let mut pending = self.lock_pending().await?;
        let cast = pending.state.cast_vote(poll, choice, by, at, randomness)?;
        let write = Write {
            events: cast.events.clone(),
            sealed: cast.sealed.clone(),
            budget_sealed: None,
            account: None,
            registry: None,
            paper: None,
        };
        let answer = self.enqueue(&mut pending, write).await?;
        drop(pending);
        Store::acknowledged(answer).await?;
        Ok(cast)
    }

    /// Makes an account: the resident's public registration in the log and the credentials in
    /// the private `accounts` table, in one transaction.
    pub async fn register_account(&self, account: NewAccount, at: Instant) -> Result<LogEntry, StoreError> {
        let mut pending = self.lock_pending().await?;
        let events = pending.state.register_resident(account.id.clone(), account.display_name.clone(), at)?;
        // Queued logins first: one is only released after it is in the table.
        let queued = self.shared.logins().contains(&account.login);
        let taken = queued
            || sqlx::query("SELECT id FROM accounts WHERE login = $1")
                .bind(&account.login)
                .fetch_optional(&self.pool)
                .await?
                .is_some();
        if taken {
            return Err(StoreError::LoginTaken { login: account.login });
        }
        self.shared.logins().insert(account.login.clone());
        let login = account.login.clone();
        let answer = match self.enqueue(&mut pending, Write { account: Some((account, at)), ..Write::events(events) }).await {
            Ok(answer) => answer,
            Err(e) => {
                self.shared.logins().remove(&login);
                return Err(e);
            }
        };
        drop(pending);
        let entries = Store::acknowledged(answer).await?;
        entries.into_iter().next().ok_or(StoreError::Corrupt { column: "events", value: String::new() })
    }

    /// The pending state, rebuilt from the database first if a write failed since it was
    /// last checked against.
    async fn lock_pending(&self) -> Result<MutexGuard<'_, Pending>, StoreError> {
        let mut pending = self.pending.lock().await;
        if self.shared.failed_generation() >= pending.generation {
            self.resync(&mut pending).await?;
        }
        Ok(pending)
    }

    /// Applies a checked write to the pending state and queues it for the writer, in that
    /// order and under the pending lock, so the queue's order is the order of the checks.
    async fn enqueue(
        &self,
        pending: &mut Pending,
        write: Write,
    ) -> Result<oneshot::Receiver<Result<Vec<LogEntry>, StoreError>>, StoreError> {
        if let Err(e) = write.apply_to(&mut pending.state) {
            // Partly applied: the pending state is unknown. Nothing of this write is queued.
            self.shared.mark_failed(pending.generation);
            self.resync(pending).await?;
            return Err(e);
        }
        let (answer, acknowledged) = oneshot::channel();
        let job = Job { generation: pending.generation, write, answer };
        self.outbox.send(Message::Write(job)).map_err(|_| StoreError::WriterStopped)?;
        Ok(acknowledged)
    }

    /// Waits for the writer's answer: the log entries once the batch is committed.
    async fn acknowledged(answer: oneshot::Receiver<Result<Vec<LogEntry>, StoreError>>) -> Result<Vec<LogEntry>, StoreError> {
        answer.await.map_err(|_| StoreError::WriterStopped)?
    }

    /// Rebuilds both states from the database, once the writer has finished with everything
    /// queued so far (the commands checked against the failed generation are answered with an
    /// error, not written). Holding the pending lock keeps new commands out meanwhile.
    async fn resync(&self, pending: &mut Pending) -> Result<(), StoreError> {
        let (done, flushed) = oneshot::channel();
        self.outbox.send(Message::Flush(done)).map_err(|_| StoreError::WriterStopped)?;
        flushed.await.map_err(|_| StoreError::WriterStopped)?;
        let state = log::load_state(&self.pool).await?;
        *self.shared.committed.write().await = state.clone();
        pending.state = state;
        pending.generation = pending.generation.max(self.shared.failed_generation() + 1);
        Ok(())
    }
}

/// Shared ownership of a store, as the web layer holds it.
pub type SharedStore = Arc<Store>;
