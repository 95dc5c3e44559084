//! Unlinkable ballots (tier B): each poll's RSA key (the secret half in the private
//! `poll_signing_keys` table, never in the log), blind-signed voting tokens, and ballots cast
//! with a token. See `plenum_core::unlinkable`.

use plenum_core::blind::SecretKey;
use plenum_core::voting_key::{from_hex, to_hex};
use plenum_core::{AccountId, BallotRandomness, Cast, Choice, Event, Instant, OpenPoll, PollId};
use sqlx::{Any, Row, Transaction};

use crate::writer::Write;
use crate::{LogEntry, Store, StoreError};

/// An unlinkable poll's public key and counts, as the read tables hold them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VotingKeyRow {
    /// Hexadecimal, big-endian.
    pub modulus: String,
    pub public_exponent: String,
    pub key_hash: String,
    pub tokens_issued: u64,
    pub tokens_spent: u64,
}

impl Store {
    /// A facilitator opens an unlinkable poll whose tokens `key` signs. The secret key is
    /// stored first, in its private table; then the poll opens with the public key and its
    /// hash in the log. If the opening is refused, the key is deleted.
    pub async fn open_unlinkable_poll(
        &self,
        new: OpenPoll,
        key: &SecretKey,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<LogEntry>, StoreError> {
        self.open_unlinkable_poll_for(new, None, key, by, at).await
    }

    /// As [`Store::open_unlinkable_poll`], with `residents: Some(min_age)` for a poll open only
    /// to residents of the area from that age ([`State::open_residents_poll`]).
    ///
    /// [`State::open_residents_poll`]: plenum_core::State::open_residents_poll
    pub async fn open_unlinkable_poll_for(
        &self,
        new: OpenPoll,
        residents: Option<Option<u8>>,
        key: &SecretKey,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<LogEntry>, StoreError> {
        let open = |state: &plenum_core::State, new: OpenPoll| match residents {
            Some(min_age) => state.open_residents_poll(new, min_age, Some(key.public()), by, at),
            None => state.open_unlinkable_poll(new, key.public(), by, at),
        };
        let poll = new.poll.clone();
        // Checked first so that a refusal writes nothing at all.
        self.read(|state| open(state, new.clone())).await?;
        sqlx::query(
            "INSERT INTO poll_signing_keys (poll_id, modulus, public_exponent, secret_exponent, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(poll.as_str())
        .bind(to_hex(&key.public().modulus()))
        .bind(to_hex(&key.public().exponent()))
        .bind(to_hex(&key.secret_exponent()))
        .bind(at.to_string())
        .execute(&self.pool)
        .await?;
        let opened = self.execute(|state| open(state, new)).await;
        if opened.is_err() {
            sqlx::query("DELETE FROM poll_signing_keys WHERE poll_id = $1").bind(poll.as_str()).execute(&self.pool).await?;
        }
        opened
    }

    /// A member takes their voting token: the poll's key signs `blinded`. The answer (the blind
    /// signature) is returned once the roll records that the member took a token.
    pub async fn issue_voting_token(
        &self,
        poll: &PollId,
        blinded: &[u8],
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<u8>, StoreError> {
        let key = self.signing_key(poll).await?;
        let mut pending = self.lock_pending().await?;
        let Some(key) = key else {
            // No key: the domain says why (no such poll, not unlinkable, …).
            pending.state.may_take_voting_token(poll, by, at)?;
            return Err(StoreError::Corrupt { column: "poll_signing_keys", value: poll.to_string() });
        };
        let issued = pending.state.issue_voting_token(poll, blinded, &key, by, at)?;
        let answer = self.enqueue(&mut pending, Write::events(issued.events)).await?;
        drop(pending);
        Store::acknowledged(answer).await?;
        Ok(issued.blind_signature)
    }

    /// A ballot cast with a token and its signature, by nobody the store knows: the spent
    /// token goes to the log and the sealed ballot to the ballot box, in one transaction.
    pub async fn cast_unlinkable_ballot(
        &self,
        poll: &PollId,
        token: &[u8],
        signature: &[u8],
        choice: Choice,
        at: Instant,
        randomness: BallotRandomness,
    ) -> Result<Cast, StoreError> {
        let mut pending = self.lock_pending().await?;
        let cast = pending.state.cast_unlinkable_ballot(poll, token, signature, choice, at, randomness)?;
        let mut write = Write::events(cast.events.clone());
        write.sealed.clone_from(&cast.sealed);
        let answer = self.enqueue(&mut pending, write).await?;
        drop(pending);
        Store::acknowledged(answer).await?;
        Ok(cast)
    }

    /// An unlinkable poll's public key and counts from the read tables.
    pub async fn voting_key(&self, poll: &PollId) -> Result<Option<VotingKeyRow>, StoreError> {
        let row = sqlx::query(
            "SELECT modulus, public_exponent, key_hash, tokens_issued, tokens_spent FROM unlinkable_polls WHERE poll_id = $1",
        )
        .bind(poll.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(VotingKeyRow {
                modulus: r.try_get(0)?,
                public_exponent: r.try_get(1)?,
                key_hash: r.try_get(2)?,
                tokens_issued: u64::try_from(r.try_get::<i64, _>(3)?).unwrap_or(0),
                tokens_spent: u64::try_from(r.try_get::<i64, _>(4)?).unwrap_or(0),
            })
        })
        .transpose()
    }

    /// The secret key of an unlinkable poll, from the private table.
    async fn signing_key(&self, poll: &PollId) -> Result<Option<SecretKey>, StoreError> {
        let row = sqlx::query("SELECT modulus, public_exponent, secret_exponent FROM poll_signing_keys WHERE poll_id = $1")
            .bind(poll.as_str())
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let corrupt = || StoreError::Corrupt { column: "poll_signing_keys", value: poll.to_string() };
        let part = |i: usize| -> Result<Vec<u8>, StoreError> {
            let text: String = row.try_get(i)?;
            from_hex(&text).ok_or_else(corrupt)
        };
        SecretKey::from_be_bytes(&part(0)?, &part(1)?, &part(2)?).map(Some).map_err(|_| corrupt())
    }
}

/// The read tables' share of this module's events.
pub(crate) async fn project(tx: &mut Transaction<'_, Any>, event: &Event) -> Result<(), StoreError> {
    match event {
        Event::VotingKeyPublished { poll, modulus, exponent, key_hash, .. } => {
            sqlx::query(
                "INSERT INTO unlinkable_polls (poll_id, modulus, public_exponent, key_hash, tokens_issued, tokens_spent)
                 VALUES ($1, $2, $3, $4, 0, 0)",
            )
            .bind(poll.as_str())
            .bind(modulus)
            .bind(exponent)
            .bind(key_hash)
            .execute(&mut **tx)
            .await?;
        }
        Event::VotingTokenIssued { poll, member } => {
            sqlx::query("INSERT INTO voting_tokens_issued (poll_id, member_id) VALUES ($1, $2)")
                .bind(poll.as_str())
                .bind(member.as_str())
                .execute(&mut **tx)
                .await?;
            sqlx::query("UPDATE unlinkable_polls SET tokens_issued = tokens_issued + 1 WHERE poll_id = $1")
                .bind(poll.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Event::VotingTokenSpent { poll, token_hash } => {
            sqlx::query("INSERT INTO spent_tokens (poll_id, token_hash) VALUES ($1, $2)")
                .bind(poll.as_str())
                .bind(token_hash)
                .execute(&mut **tx)
                .await?;
            sqlx::query("UPDATE unlinkable_polls SET tokens_spent = tokens_spent + 1 WHERE poll_id = $1")
                .bind(poll.as_str())
                .execute(&mut **tx)
                .await?;
        }
        _ => {}
    }
    Ok(())
}
