//! The registry's storage: the read tables its events feed, and its private side, which never
//! enters the log: each resident's personal data encrypted (XChaCha20-Poly1305) under a key of
//! its own, the keys in a table apart, one-time claim codes as hashes, and which account holds
//! which credential.
//!
//! Erasing a resident deletes their key, their sealed data, their claim codes and the link to
//! their account, in the transaction that logs `personal_data_erased`. Without the key the
//! ciphertext in any old backup is noise (crypto-shredding); SQLite runs with `secure_delete`
//! so the deleted key is overwritten in the file, and the write-ahead log is checkpointed and
//! truncated after an erasure so no old page keeps it.
//!
//! The store draws no randomness: the caller passes the key, the nonce and the claim code in.

use std::collections::HashSet;
use std::sync::PoisonError;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use plenum_core::{AccountId, EnrolResident, ErasureReason, Event, Instant, Prose, Refusal, Thing, Title};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{Any, Row, Transaction};

use crate::writer::Write;
use crate::{Engine, Store, StoreError};

/// What the registry keeps about a person, only ever encrypted: the name on their card.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonalData {
    pub name: Title,
}

impl std::fmt::Debug for PersonalData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never in a log line or a panic message.
        f.write_str("PersonalData(..)")
    }
}

/// The random values an enrolment needs, drawn by the caller.
#[derive(Clone)]
pub struct EnrolSecrets {
    /// The resident's own key.
    pub key: [u8; 32],
    pub nonce: [u8; 24],
    /// The one-time claim code given to the resident (stored only as a hash).
    pub claim_code: String,
    pub claim_expires_at: Instant,
}

impl std::fmt::Debug for EnrolSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnrolSecrets").field("claim_expires_at", &self.claim_expires_at).finish_non_exhaustive()
    }
}

/// Why a claim code was refused. Nothing changes when one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClaimRefusal {
    #[error("there is no such claim code: check it was typed as printed")]
    Unknown,
    #[error("this claim code has been used already; each code works once")]
    Used,
    #[error("this claim code has expired; ask a registrar for a new card")]
    Expired,
}

impl ClaimRefusal {
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            ClaimRefusal::Unknown => "claim_code_unknown",
            ClaimRefusal::Used => "claim_code_used",
            ClaimRefusal::Expired => "claim_code_expired",
        }
    }
}

/// The private side of a registry write, done in the transaction that logs its events.
#[derive(Debug)]
pub(crate) enum Private {
    Enrol {
        credential: u64,
        key_hex: String,
        nonce_hex: String,
        sealed_hex: String,
        claim_hash: String,
        claim_expires_at: Instant,
    },
    Claim {
        claim_hash: String,
        credential: u64,
        account: AccountId,
        at: Instant,
    },
    Erase {
        credential: u64,
    },
}

/// Claim codes being written, so that two claims with one code racing each other do not both
/// pass the check.
#[derive(Debug, Default)]
pub(crate) struct ClaimsInFlight(std::sync::Mutex<HashSet<String>>);

impl ClaimsInFlight {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The SHA-256 of a claim code, as stored.
#[must_use]
pub fn claim_hash(code: &str) -> String {
    hex(&Sha256::digest(code.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| text.get(i..i + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok())).collect()
}

/// What binds a ciphertext to its credential: moved to another row, it does not open.
fn aad(credential: u64) -> Vec<u8> {
    [b"plenum registry v1\0".as_slice(), &credential.to_be_bytes()].concat()
}

fn corrupt(column: &'static str) -> StoreError {
    StoreError::Corrupt { column, value: String::new() }
}

fn number(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::Corrupt { column: "registry_credentials.number", value: value.to_string() })
}

impl Store {
    /// The operator makes an account a registrar.
    pub async fn appoint_registrar(&self, account: &AccountId, at: Instant) -> Result<(), StoreError> {
        self.execute(|state| state.appoint_registrar(account, at)).await?;
        Ok(())
    }

    /// A registrar enrols a resident: `resident_enrolled` in the log; the personal data
    /// encrypted under the resident's key, the key and the claim code's hash in private tables;
    /// all in one transaction. Returns the credential's number.
    pub async fn enrol(
        &self,
        enrol: EnrolResident,
        personal: &PersonalData,
        secrets: EnrolSecrets,
        registrar: &AccountId,
        at: Instant,
    ) -> Result<u64, StoreError> {
        let mut pending = self.lock_pending().await?;
        let events = pending.state.enrol_resident(enrol, registrar, at)?;
        let credential = match events.first() {
            Some(Event::ResidentEnrolled { credential, .. }) => *credential,
            _ => return Err(corrupt("events")),
        };
        let plaintext = serde_json::to_vec(personal)?;
        let cipher = XChaCha20Poly1305::new(Key::from_slice(&secrets.key));
        let sealed = cipher
            .encrypt(XNonce::from_slice(&secrets.nonce), Payload { msg: &plaintext, aad: &aad(credential) })
            .map_err(|_| corrupt("registry_sealed_data"))?;
        let private = Private::Enrol {
            credential,
            key_hex: hex(&secrets.key),
            nonce_hex: hex(&secrets.nonce),
            sealed_hex: hex(&sealed),
            claim_hash: claim_hash(&secrets.claim_code),
            claim_expires_at: secrets.claim_expires_at,
        };
        let answer = self.enqueue(&mut pending, Write::private(events, private)).await?;
        drop(pending);
        Store::acknowledged(answer).await?;
        Ok(credential)
    }

    /// A registrar reads a resident's personal data, giving a reason: the read is logged (and
    /// committed) before the data is decrypted and returned. One resident at a time; there is
    /// no way to read many.
    pub async fn read_personal_data(
        &self,
        credential: u64,
        by: &AccountId,
        reason: Prose,
        at: Instant,
    ) -> Result<PersonalData, StoreError> {
        self.execute(|state| state.read_personal_data(credential, by, reason, at)).await?;
        let row = sqlx::query(
            "SELECT k.key_hex, d.nonce_hex, d.sealed_hex FROM registry_keys k
             JOIN registry_sealed_data d ON d.credential_number = k.credential_number
             WHERE k.credential_number = $1",
        )
        .bind(number(credential)?)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| corrupt("registry_keys"))?;
        let field = |name: &'static str| -> Result<Vec<u8>, StoreError> {
            let text: String = row.try_get(name)?;
            unhex(&text).ok_or_else(|| corrupt(name))
        };
        let (key, nonce, sealed) = (field("key_hex")?, field("nonce_hex")?, field("sealed_hex")?);
        if key.len() != 32 || nonce.len() != 24 {
            return Err(corrupt("registry_keys"));
        }
        let cipher = XChaCha20Poly1305::new(Key::from_slice(&key));
        let plaintext = cipher
            .decrypt(XNonce::from_slice(&nonce), Payload { msg: &sealed, aad: &aad(credential) })
            .map_err(|_| corrupt("registry_sealed_data"))?;
        Ok(serde_json::from_slice(&plaintext)?)
    }

    /// Erases a resident's personal data: destroys their key (and the ciphertext, their claim
    /// codes and the link to their account) and logs `personal_data_erased`.
    pub async fn erase_personal_data(&self, credential: u64, reason: ErasureReason, at: Instant) -> Result<(), StoreError> {
        let mut pending = self.lock_pending().await?;
        let events = pending.state.erase_personal_data(credential, reason, at)?;
        let answer = self.enqueue(&mut pending, Write::private(events, Private::Erase { credential })).await?;
        drop(pending);
        Store::acknowledged(answer).await?;
        self.scrub().await;
        Ok(())
    }

    /// Erases the personal data of every credential that expired `grace_seconds` or more
    /// before `now`. Returns how many were erased.
    pub async fn erase_expired(&self, grace_seconds: i64, now: Instant) -> Result<u64, StoreError> {
        let due: Vec<u64> = self
            .read(|state| {
                state
                    .registry()
                    .credentials()
                    .filter(|c| c.erased.is_none() && c.expires_at.plus_seconds(grace_seconds) <= now)
                    .map(|c| c.number)
                    .collect()
            })
            .await;
        let mut erased = 0;
        for credential in due {
            match self.erase_personal_data(credential, ErasureReason::Expired, now).await {
                Ok(()) => erased += 1,
                // Erased meanwhile on request: nothing left to do.
                Err(StoreError::Refused(Refusal::CredentialErased { .. })) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(erased)
    }

    /// An account claims a credential with its one-time code: it becomes a member of the
    /// credential's area. Returns the credential's number. A refused claim changes nothing.
    pub async fn claim_credential(&self, code: &str, account: &AccountId, at: Instant) -> Result<u64, StoreError> {
        let hash = claim_hash(code);
        let mut pending = self.lock_pending().await?;
        if self.claims.lock().contains(&hash) {
            return Err(StoreError::Claim(ClaimRefusal::Used));
        }
        let row = sqlx::query("SELECT credential_number, expires_at, used_at FROM registry_claim_codes WHERE code_hash = $1")
            .bind(&hash)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::Claim(ClaimRefusal::Unknown))?;
        let used_at: Option<String> = row.try_get("used_at")?;
        if used_at.is_some() {
            return Err(StoreError::Claim(ClaimRefusal::Used));
        }
        let expires_at: String = row.try_get("expires_at")?;
        let expires_at = Instant::parse(&expires_at).map_err(|_| corrupt("registry_claim_codes.expires_at"))?;
        if at >= expires_at {
            return Err(StoreError::Claim(ClaimRefusal::Expired));
        }
        let credential: i64 = row.try_get("credential_number")?;
        let credential = u64::try_from(credential).map_err(|_| corrupt("registry_claim_codes.credential_number"))?;
        let events = pending.state.claim_credential(credential, account, at)?;
        self.claims.lock().insert(hash.clone());
        let private = Private::Claim { claim_hash: hash.clone(), credential, account: account.clone(), at };
        let answer = self.enqueue(&mut pending, Write::private(events, private)).await;
        drop(pending);
        let written = match answer {
            Ok(answer) => Store::acknowledged(answer).await.map(|_| ()),
            Err(e) => Err(e),
        };
        self.claims.lock().remove(&hash);
        written.map(|()| credential)
    }

    /// A reprint at the desk: a fresh one-time claim code for `credential`, valid until
    /// `expires_at`, replacing its unused codes (which stop working). Returns `false`, and
    /// changes nothing, when the credential has been claimed already (or a claim of it is
    /// being written): a card links to one account. Refused when the credential is unknown or
    /// its personal data erased.
    pub async fn renew_claim_code(&self, credential: u64, code: &str, expires_at: Instant) -> Result<bool, StoreError> {
        // Held while checking and writing, so that no claim of this credential starts meanwhile.
        let pending = self.lock_pending().await?;
        match pending.state.registry().credential(credential) {
            None => {
                return Err(StoreError::Refused(Refusal::NotFound { thing: Thing::Credential, id: credential.to_string() }));
            }
            Some(c) if c.erased.is_some() => {
                return Err(StoreError::Refused(Refusal::CredentialErased { number: credential }));
            }
            Some(_) => {}
        }
        let n = number(credential)?;
        let codes = sqlx::query("SELECT code_hash, used_at FROM registry_claim_codes WHERE credential_number = $1")
            .bind(n)
            .fetch_all(&self.pool)
            .await?;
        let in_flight = self.claims.lock().clone();
        for row in &codes {
            let hash: String = row.try_get("code_hash")?;
            let used_at: Option<String> = row.try_get("used_at")?;
            if used_at.is_some() || in_flight.contains(&hash) {
                return Ok(false);
            }
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM registry_claim_codes WHERE credential_number = $1 AND used_at IS NULL")
            .bind(n)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO registry_claim_codes (code_hash, credential_number, expires_at, used_at) VALUES ($1, $2, $3, NULL)",
        )
        .bind(claim_hash(code))
        .bind(n)
        .bind(expires_at.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        drop(pending);
        Ok(true)
    }

    /// The credential an account claimed, while its personal data has not been erased.
    pub async fn held_credential(&self, account: &AccountId) -> Result<Option<u64>, StoreError> {
        let row = sqlx::query("SELECT credential_number FROM registry_holders WHERE account_id = $1")
            .bind(account.as_str())
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let credential: i64 = row.try_get("credential_number")?;
        u64::try_from(credential).map(Some).map_err(|_| corrupt("registry_holders.credential_number"))
    }

    /// After an erasure on SQLite: copies the write-ahead log into the database file and
    /// truncates it, so the deleted key survives in no old page. (A busy reader can keep the
    /// checkpoint from finishing; the next erasure tries again.)
    async fn scrub(&self) {
        if self.engine == Engine::Sqlite {
            let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await;
        }
    }
}

/// The private side of a write, after its events are projected.
pub(crate) async fn write_private(tx: &mut Transaction<'_, Any>, private: &Private) -> Result<(), StoreError> {
    match private {
        Private::Enrol { credential, key_hex, nonce_hex, sealed_hex, claim_hash, claim_expires_at } => {
            let credential = number(*credential)?;
            sqlx::query("INSERT INTO registry_keys (credential_number, key_hex) VALUES ($1, $2)")
                .bind(credential)
                .bind(key_hex)
                .execute(&mut **tx)
                .await?;
            sqlx::query("INSERT INTO registry_sealed_data (credential_number, nonce_hex, sealed_hex) VALUES ($1, $2, $3)")
                .bind(credential)
                .bind(nonce_hex)
                .bind(sealed_hex)
                .execute(&mut **tx)
                .await?;
            sqlx::query(
                "INSERT INTO registry_claim_codes (code_hash, credential_number, expires_at, used_at) VALUES ($1, $2, $3, NULL)",
            )
            .bind(claim_hash)
            .bind(credential)
            .bind(claim_expires_at.to_string())
            .execute(&mut **tx)
            .await?;
        }
        Private::Claim { claim_hash, credential, account, at } => {
            sqlx::query("UPDATE registry_claim_codes SET used_at = $1 WHERE code_hash = $2")
                .bind(at.to_string())
                .bind(claim_hash)
                .execute(&mut **tx)
                .await?;
            sqlx::query("INSERT INTO registry_holders (credential_number, account_id) VALUES ($1, $2)")
                .bind(number(*credential)?)
                .bind(account.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Private::Erase { credential } => {
            let credential = number(*credential)?;
            for table in ["registry_keys", "registry_sealed_data", "registry_claim_codes", "registry_holders"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE credential_number = $1"))
                    .bind(credential)
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
    Ok(())
}

/// The registry's read tables.
pub(crate) async fn project(tx: &mut Transaction<'_, Any>, event: &Event) -> Result<(), StoreError> {
    match event {
        Event::RegistrarAppointed { registrar, at } => {
            sqlx::query("INSERT INTO registrars (account_id, appointed_at) VALUES ($1, $2)")
                .bind(registrar.as_str())
                .bind(at.to_string())
                .execute(&mut **tx)
                .await?;
        }
        Event::ResidentEnrolled { credential, area, age_band, expires_at, registrar, at } => {
            sqlx::query(
                "INSERT INTO registry_credentials (number, area_id, age_band, issued_at, expires_at, registrar_id, erased_at, erasure_reason)
                 VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)",
            )
            .bind(number(*credential)?)
            .bind(area.as_str())
            .bind(age_band.name())
            .bind(at.to_string())
            .bind(expires_at.to_string())
            .bind(registrar.as_str())
            .execute(&mut **tx)
            .await?;
        }
        Event::PersonalDataRead { credential, by, reason, at } => {
            sqlx::query("INSERT INTO registry_reads (credential_number, reader_id, reason, at) VALUES ($1, $2, $3, $4)")
                .bind(number(*credential)?)
                .bind(by.as_str())
                .bind(reason.as_str())
                .bind(at.to_string())
                .execute(&mut **tx)
                .await?;
        }
        Event::PersonalDataErased { credential, reason, at } => {
            sqlx::query("UPDATE registry_credentials SET erased_at = $1, erasure_reason = $2 WHERE number = $3")
                .bind(at.to_string())
                .bind(reason.name())
                .bind(number(*credential)?)
                .execute(&mut **tx)
                .await?;
        }
        Event::LegalDemandRecorded { demand, received_at, details, recorded_by, at } => {
            sqlx::query(
                "INSERT INTO legal_demands (id, received_at, sealed, authority, asked, given, recorded_by, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(demand.as_str())
            .bind(received_at.to_string())
            .bind(i64::from(details.is_none()))
            .bind(details.as_ref().map(|d| d.authority.to_string()))
            .bind(details.as_ref().map(|d| d.asked.to_string()))
            .bind(details.as_ref().map(|d| d.given.to_string()))
            .bind(recorded_by.as_str())
            .bind(at.to_string())
            .execute(&mut **tx)
            .await?;
        }
        Event::BudgetResidencyRequired { cycle, min_age, at, .. } => {
            sqlx::query("DELETE FROM budget_residency WHERE cycle_id = $1").bind(cycle.as_str()).execute(&mut **tx).await?;
            sqlx::query("INSERT INTO budget_residency (cycle_id, min_age, set_at) VALUES ($1, $2, $3)")
                .bind(cycle.as_str())
                .bind(min_age.map(i64::from))
                .bind(at.to_string())
                .execute(&mut **tx)
                .await?;
        }
        // `credential_claimed` changes no read table: its membership comes as its own event.
        _ => {}
    }
    Ok(())
}
