//! Unlinkable ballots (tier B) on the poll page: the published key, what the tier protects
//! against and what it does not, and the form that `blind-ballot.js` drives (take a token,
//! then cast the ballot on a request without credentials). Opening an unlinkable poll draws
//! its RSA key here, from the operating system's randomness.

use axum::http::header;
use axum::response::IntoResponse;
use plenum_core::blind::SecretKey;
use plenum_core::voting_key::{generate, to_hex};
use plenum_core::{AccountId, Instant, Poll, State};

use crate::error::WebError;
use crate::ids::random_bytes;

/// What the poll page shows of an unlinkable poll.
#[derive(Debug)]
pub struct UnlinkableView {
    pub modulus: String,
    pub exponent: String,
    pub key_hash: String,
    pub tokens_issued: usize,
    pub ballots_cast: usize,
    /// The viewer took the token already (the script may still hold it, unspent).
    pub took_token: bool,
    /// The poll takes votes and the viewer is on its roll.
    pub voting: bool,
}

#[must_use]
pub fn view(s: &State, p: &Poll, me: Option<&AccountId>, at: Instant) -> Option<UnlinkableView> {
    let u = s.unlinkable_poll(&p.id)?;
    let on_roll = me.is_some_and(|me| p.roll.contains(me));
    let took_token = me.is_some_and(|me| u.tokens_issued.contains(me));
    let voting = on_roll && p.accepts_votes_at(at);
    Some(UnlinkableView {
        modulus: to_hex(&u.key.modulus()),
        exponent: to_hex(&u.key.exponent()),
        key_hash: u.key_hash.clone(),
        tokens_issued: u.tokens_issued.len(),
        ballots_cast: u.spent.len(),
        took_token,
        voting,
    })
}

/// A fresh 2048-bit key for a poll, from 32 bytes of the operating system's randomness (used
/// once, then dropped). Generation takes a moment, so it runs off the async workers.
pub async fn new_key() -> Result<SecretKey, WebError> {
    let seed: [u8; 32] = random_bytes()?;
    tokio::task::spawn_blocking(move || generate(seed))
        .await
        .map_err(|_| WebError::internal("key generation stopped"))?
        .map_err(|e| WebError::internal(&format!("key generation: {e}")))
}

/// `GET /static/blind-ballot.js`: blinds, unblinds and verifies in the browser (RFC 9474).
pub async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/blind-ballot.js"),
    )
}
