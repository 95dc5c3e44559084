//! Login credentials and sessions. Private tables, never in the log. The web layer makes the
//! password hashes and the session tokens; the store keeps only hashes of tokens.

use plenum_core::{AccountId, Instant};
use sqlx::Row;

use crate::{Store, StoreError};

/// A login session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// A hash of the token the browser holds (so a leaked table does not log anyone in).
    pub token_hash: String,
    pub account: AccountId,
    pub created_at: Instant,
    pub expires_at: Instant,
}

impl Store {
    /// The account and password hash for a login name.
    pub async fn credentials(&self, login: &str) -> Result<Option<(AccountId, String)>, StoreError> {
        let row =
            sqlx::query("SELECT id, password_hash FROM accounts WHERE login = $1").bind(login).fetch_optional(&self.pool).await?;
        let Some(row) = row else { return Ok(None) };
        let id: String = row.try_get("id")?;
        let account = AccountId::parse(&id).map_err(|_| StoreError::Corrupt { column: "accounts.id", value: id })?;
        Ok(Some((account, row.try_get("password_hash")?)))
    }

    pub async fn create_session(&self, session: &Session) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(&session.token_hash)
            .bind(session.account.as_str())
            .bind(session.created_at.to_string())
            .bind(session.expires_at.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Starts many sessions in one transaction. For the load bench (`plenum bench http`), whose
    /// thousands of residents have no passwords: signing each in through argon2 would take
    /// minutes and meet the sign-in rate limits.
    pub async fn create_sessions(&self, sessions: &[Session]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for session in sessions {
            sqlx::query("INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(&session.token_hash)
                .bind(session.account.as_str())
                .bind(session.created_at.to_string())
                .bind(session.expires_at.to_string())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The account a session token hash belongs to, if the session has not expired at `now`.
    /// (RFC 3339 UTC text with a fixed width compares in time order.)
    pub async fn session_account(&self, token_hash: &str, now: Instant) -> Result<Option<AccountId>, StoreError> {
        let row = sqlx::query("SELECT account_id FROM sessions WHERE token_hash = $1 AND expires_at > $2")
            .bind(token_hash)
            .bind(now.to_string())
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let id: String = row.try_get("account_id")?;
        AccountId::parse(&id).map(Some).map_err(|_| StoreError::Corrupt { column: "sessions.account_id", value: id })
    }

    pub async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    /// Removes sessions expired at `now`; returns how many.
    pub async fn purge_sessions(&self, now: Instant) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now.to_string()).execute(&self.pool).await?;
        Ok(done.rows_affected())
    }
}
