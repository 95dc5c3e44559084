//! What the domain takes from outside: the current instant, fresh ids and random bytes.

use plenum_core::{BallotRandomness, Instant};

use crate::error::WebError;

/// Now, to the second.
pub fn now() -> Result<Instant, WebError> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    Instant::from_unix_seconds(seconds).ok_or_else(|| WebError::internal("the system clock is out of range"))
}

/// A fresh UUIDv7, parsed as the id type `T`.
pub fn new_id<T, E>(parse: impl FnOnce(&str) -> Result<T, E>) -> Result<T, WebError> {
    parse(&uuid::Uuid::now_v7().hyphenated().to_string()).map_err(|_| WebError::internal("a fresh id did not parse"))
}

/// `N` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], WebError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| WebError::internal("the operating system's random source failed"))?;
    Ok(bytes)
}

/// The random bytes one secret vote needs.
pub fn ballot_randomness() -> Result<BallotRandomness, WebError> {
    Ok(BallotRandomness { ballot_id: random_bytes()?, receipt: random_bytes()? })
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
