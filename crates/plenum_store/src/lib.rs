//! Plenum's persistence: the append-only, hash-chained event log, the read tables it feeds,
//! accounts and sessions, and the ballot box.
//!
//! One code path for SQLite (the default, a file in a data directory) and PostgreSQL, through
//! sqlx's `Any` driver and one folder of portable migrations, applied by [`Store::open`].
//!
//! # Writing
//!
//! [`Store`] holds the domain [`State`] in memory, rebuilt from the log when it opens. Every
//! change goes through one lock: [`Store::execute`] runs a `plenum_core` command against the
//! current state, appends the events it returns and updates the read tables in one
//! transaction, then the state moves on. [`Store::cast_vote`] does the same for a vote and, in a
//! secret poll, puts the sealed ballot in the ballot box (not the log) in that transaction.
//! [`Store::register_account`] does it for a new account and its private credentials.
//!
//! # Reading
//!
//! [`Store::read`] gives the in-memory state to a closure (fast, for pages); the `query`
//! methods read the tables (`bodies`, `motions_of`, `poll`, `published_ballots`, …);
//! [`Store::log_head`] and [`Store::events_after`] serve the public log; [`Store::verify`]
//! recomputes the hash chain and every closed poll's result.

mod log;
mod projection;
mod query;
mod session;
mod verify;

use std::path::Path;
use std::sync::Arc;

use plenum_core::{
    AccountId, BallotRandomness, Cast, Choice, DisplayName, Event, Instant, PollId, Refusal, ReplayError, SealedBallot, State,
};
use sqlx::any::AnyPoolOptions;
use sqlx::{Any, AnyPool, Executor, Transaction};
use tokio::sync::Mutex;

pub use log::{LogEntry, LogHead, chain_hash};
pub use query::{BodyRow, MemberRow, MotionRow, PollRow};
pub use session::Session;
pub use verify::{Problem, Verification};

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
    /// The domain state; also the lock that makes appends one at a time.
    state: Mutex<State>,
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
        Ok(Store { pool, engine, state: Mutex::new(state) })
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

    /// Closes the pool (waits for connections to finish).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Runs `f` on the current state.
    pub async fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&*self.state.lock().await)
    }

    /// Runs a domain command against the current state and, if it is accepted, appends its
    /// events (and updates the read tables) in one transaction. A refusal writes nothing.
    pub async fn execute(
        &self,
        command: impl FnOnce(&State) -> Result<Vec<Event>, Refusal>,
    ) -> Result<Vec<LogEntry>, StoreError> {
        let mut state = self.state.lock().await;
        let events = command(&state)?;
        self.commit(&mut state, events, None, None).await
    }

    /// Appends events that were made elsewhere (imports, demos). They must apply to the current
    /// state; nothing is written otherwise.
    pub async fn append(&self, events: Vec<Event>) -> Result<Vec<LogEntry>, StoreError> {
        let mut state = self.state.lock().await;
        self.commit(&mut state, events, None, None).await
    }

    /// A member votes. In a secret poll the roll mark goes to the log and the sealed ballot to
    /// the ballot box, in the same transaction; the returned [`Cast`] holds the voter's receipt.
    pub async fn cast_vote(
        &self,
        poll: &PollId,
        choice: Choice,
        by: &AccountId,
        at: Instant,
        randomness: BallotRandomness,
    ) -> Result<Cast, StoreError> {
        let mut state = self.state.lock().await;
        let cast = state.cast_vote(poll, choice, by, at, randomness)?;
        self.commit(&mut state, cast.events.clone(), cast.sealed.clone(), None).await?;
        Ok(cast)
    }

    /// Makes an account: the resident's public registration in the log and the credentials in
    /// the private `accounts` table, in one transaction.
    pub async fn register_account(&self, account: NewAccount, at: Instant) -> Result<LogEntry, StoreError> {
        let mut state = self.state.lock().await;
        let events = state.register_resident(account.id.clone(), account.display_name.clone(), at)?;
        let taken: Option<(String,)> =
            sqlx::query_as("SELECT id FROM accounts WHERE login = $1").bind(&account.login).fetch_optional(&self.pool).await?;
        if taken.is_some() {
            return Err(StoreError::LoginTaken { login: account.login });
        }
        let entries = self.commit(&mut state, events, None, Some((&account, at))).await?;
        entries.into_iter().next().ok_or(StoreError::Corrupt { column: "events", value: String::new() })
    }

    /// Applies `events` to the state and writes them with their side records in one
    /// transaction. If writing fails the state is rebuilt from the database, so memory never
    /// runs ahead of what is stored.
    async fn commit(
        &self,
        state: &mut State,
        events: Vec<Event>,
        sealed: Option<SealedBallot>,
        account: Option<(&NewAccount, Instant)>,
    ) -> Result<Vec<LogEntry>, StoreError> {
        let applied: Result<(), StoreError> = (|| {
            for event in &events {
                state.apply(event)?;
            }
            if let Some(ballot) = &sealed {
                state.deposit(ballot)?;
            }
            Ok(())
        })();
        let written = match applied {
            Ok(()) => self.write(&events, sealed.as_ref(), account).await,
            Err(e) => Err(e),
        };
        if written.is_err() {
            // Memory may be ahead of the database: start again from what is stored.
            *state = log::load_state(&self.pool).await?;
        }
        written
    }

    async fn write(
        &self,
        events: &[Event],
        sealed: Option<&SealedBallot>,
        account: Option<(&NewAccount, Instant)>,
    ) -> Result<Vec<LogEntry>, StoreError> {
        let mut tx: Transaction<'_, Any> = self.pool.begin().await?;
        if let Some((account, at)) = account {
            sqlx::query("INSERT INTO accounts (id, login, password_hash, created_at) VALUES ($1, $2, $3, $4)")
                .bind(account.id.as_str())
                .bind(&account.login)
                .bind(&account.password_hash)
                .bind(at.to_string())
                .execute(&mut *tx)
                .await?;
        }
        let entries = log::append_in(&mut tx, events).await?;
        for event in events {
            projection::project(&mut tx, event).await?;
        }
        if let Some(ballot) = sealed {
            projection::seal(&mut tx, ballot).await?;
        }
        tx.commit().await?;
        Ok(entries)
    }
}

/// Shared ownership of a store, as the web layer holds it.
pub type SharedStore = Arc<Store>;
