//! Resident credentials: a signed card that says a resident of an area exists, in an age band,
//! until a date — and nothing else. Anyone verifies one offline with the instance's published
//! keys; nothing on it or behind it identifies the person.
//!
//! # The token
//!
//! `PLN1.` followed by the base64url (no padding) of 50 bytes, a dot, and the base64url of the
//! 64-byte Ed25519 signature (about 160 characters, small enough for a QR code):
//!
//! | bytes | field |
//! |---|---|
//! | 1 | format version, 1 |
//! | 8 | key id: the first 8 bytes of SHA-512 of the signing key's public half |
//! | 8 | credential number, big-endian |
//! | 16 | area: the assembly's id (a UUID) |
//! | 1 | age band (see [`AgeBand`]) |
//! | 8 | issued at, Unix seconds, big-endian |
//! | 8 | expires at, Unix seconds, big-endian |
//!
//! The signature covers `plenum credential v1` and a zero byte followed by those 50 bytes, so a
//! signature made for anything else never verifies as a credential.
//!
//! # Keys and rotation
//!
//! The instance publishes a [`KeyRing`]: every key it has issued credentials with, each with the
//! instant it was retired, if it was. A retired key issues nothing more, but the credentials it
//! signed while in service stay valid until they expire, so a ring only ever grows.
//!
//! This module does no IO and draws no random numbers: the caller passes the 32-byte seed of a
//! signing key in.

use std::fmt;

use ed25519_compact::{KeyPair, PublicKey, Seed, Signature};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha512};

use crate::id::BodyId;
use crate::instant::Instant;

/// The start of every token.
pub const TOKEN_PREFIX: &str = "PLN1.";
/// What a signature is made over, before the payload: signatures for anything else never match.
const CONTEXT: &[u8] = b"plenum credential v1\0";
const PAYLOAD_LEN: usize = 50;
const VERSION: u8 = 1;
/// The longest text [`verify`] looks at: a token is about 160 characters.
pub const MAX_TOKEN_LEN: usize = 512;

/// How old a resident is, only as finely as eligibility rules need: voting in most polls and
/// budgets is open from 16 or from 18.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    /// Younger than 16.
    Under16,
    /// 16 or 17.
    From16To17,
    /// 18 or older.
    Adult,
}

impl AgeBand {
    /// Whether everyone in this band is at least `age` years old.
    #[must_use]
    pub fn at_least(self, age: u8) -> bool {
        let youngest = match self {
            AgeBand::Under16 => 0,
            AgeBand::From16To17 => 16,
            AgeBand::Adult => 18,
        };
        youngest >= age
    }

    /// The snake_case name (`adult`), as in JSON and on the command line.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            AgeBand::Under16 => "under16",
            AgeBand::From16To17 => "from16_to17",
            AgeBand::Adult => "adult",
        }
    }

    /// Reads [`AgeBand::name`].
    #[must_use]
    pub fn parse(text: &str) -> Option<AgeBand> {
        [AgeBand::Under16, AgeBand::From16To17, AgeBand::Adult].into_iter().find(|band| band.name() == text)
    }

    fn byte(self) -> u8 {
        match self {
            AgeBand::Under16 => 1,
            AgeBand::From16To17 => 2,
            AgeBand::Adult => 3,
        }
    }

    fn from_byte(byte: u8) -> Option<AgeBand> {
        [AgeBand::Under16, AgeBand::From16To17, AgeBand::Adult].into_iter().find(|band| band.byte() == byte)
    }
}

impl fmt::Display for AgeBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a credential says: all of it is on the card, none of it names the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    pub number: u64,
    /// The assembly the resident belongs to.
    pub area: BodyId,
    pub age_band: AgeBand,
    pub issued_at: Instant,
    pub expires_at: Instant,
}

/// A signing key's id: the first 8 bytes of SHA-512 of its public half, in hex on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KeyId([u8; 8]);

impl KeyId {
    fn of(public: &PublicKey) -> KeyId {
        let digest = Sha512::digest(public.as_slice());
        let mut id = [0u8; 8];
        id.copy_from_slice(&digest[..8]);
        KeyId(id)
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl TryFrom<String> for KeyId {
    type Error = String;
    fn try_from(text: String) -> Result<KeyId, String> {
        let bytes = hex(&text).filter(|b| b.len() == 8).ok_or_else(|| format!("{text:?} is not a key id (16 hex digits)"))?;
        let mut id = [0u8; 8];
        id.copy_from_slice(&bytes);
        Ok(KeyId(id))
    }
}

impl From<KeyId> for String {
    fn from(id: KeyId) -> String {
        id.to_string()
    }
}

/// One published key: what verifies the credentials it signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedKey {
    pub id: KeyId,
    /// The Ed25519 public key, base64url without padding.
    pub public_key: String,
    pub created_at: Instant,
    /// When the key stopped issuing credentials, if it has.
    pub retired_at: Option<Instant>,
}

/// Every key the instance has issued credentials with: what it publishes for offline checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRing {
    pub keys: Vec<PublishedKey>,
}

impl KeyRing {
    /// The key in service: the newest one not retired.
    #[must_use]
    pub fn current(&self) -> Option<&PublishedKey> {
        self.keys.iter().filter(|k| k.retired_at.is_none()).max_by_key(|k| k.created_at)
    }

    /// Adds `key` and retires the key in service at `at` (rotation).
    pub fn rotate(&mut self, key: PublishedKey, at: Instant) {
        for old in self.keys.iter_mut().filter(|k| k.retired_at.is_none()) {
            old.retired_at = Some(at);
        }
        self.keys.push(key);
    }
}

/// A signing key, made from a 32-byte seed the caller drew.
pub struct Issuer {
    key: KeyPair,
    id: KeyId,
}

impl fmt::Debug for Issuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the secret.
        f.debug_struct("Issuer").field("id", &self.id).finish_non_exhaustive()
    }
}

impl Issuer {
    #[must_use]
    pub fn from_seed(seed: &[u8; 32]) -> Issuer {
        let key = KeyPair::from_seed(Seed::new(*seed));
        let id = KeyId::of(&key.pk);
        Issuer { key, id }
    }

    #[must_use]
    pub fn id(&self) -> KeyId {
        self.id
    }

    /// The public half, to publish, created at `at`.
    #[must_use]
    pub fn published(&self, at: Instant) -> PublishedKey {
        PublishedKey { id: self.id, public_key: base64url(self.key.pk.as_slice()), created_at: at, retired_at: None }
    }

    /// The signed token for `credential`.
    #[must_use]
    pub fn issue(&self, credential: &Credential) -> String {
        let payload = encode(self.id, credential);
        // Deterministic (no noise): the same credential always gives the same token.
        let signature = self.key.sk.sign(signed_message(&payload), None);
        format!("{TOKEN_PREFIX}{}.{}", base64url(&payload), base64url(signature.as_slice()))
    }
}

/// Why a token is not a valid credential. [`CredentialError::code`] is stable, for APIs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    #[error("this is not a Plenum credential: {reason}")]
    Malformed { reason: &'static str },
    #[error("the credential was signed with key {key}, which this instance has not published")]
    UnknownKey { key: KeyId },
    #[error("the signature does not match: the credential was altered or forged")]
    BadSignature,
    #[error("the credential expired at {expired_at}")]
    Expired { expired_at: Instant },
    #[error("the credential says it was issued at {issued_at}, after its key was retired at {retired_at}")]
    IssuedByRetiredKey { issued_at: Instant, retired_at: Instant },
}

impl CredentialError {
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            CredentialError::Malformed { .. } => "malformed",
            CredentialError::UnknownKey { .. } => "unknown_key",
            CredentialError::BadSignature => "bad_signature",
            CredentialError::Expired { .. } => "expired",
            CredentialError::IssuedByRetiredKey { .. } => "issued_by_retired_key",
        }
    }
}

/// Checks `token` against `ring` at `now`: well formed, signed by a published key that was in
/// service when it was issued, not expired. Surrounding whitespace is ignored (a scanned code).
pub fn verify(token: &str, ring: &KeyRing, now: Instant) -> Result<Credential, CredentialError> {
    let malformed = |reason| CredentialError::Malformed { reason };
    let token = token.trim();
    if token.len() > MAX_TOKEN_LEN {
        return Err(malformed("it is far longer than a credential"));
    }
    let rest = token.strip_prefix(TOKEN_PREFIX).ok_or(malformed("it does not start with PLN1."))?;
    let (payload, signature) = rest.split_once('.').ok_or(malformed("the signature part is missing"))?;
    let payload = unbase64url(payload).ok_or(malformed("the payload is not base64url"))?;
    let signature = unbase64url(signature).ok_or(malformed("the signature is not base64url"))?;
    let payload: [u8; PAYLOAD_LEN] = payload.try_into().map_err(|_| malformed("the payload has the wrong length"))?;
    let signature: [u8; 64] = signature.try_into().map_err(|_| malformed("the signature has the wrong length"))?;
    let (key_id, credential) = decode(&payload).ok_or(malformed("the payload holds an impossible value"))?;
    let key = ring.keys.iter().find(|k| k.id == key_id).ok_or(CredentialError::UnknownKey { key: key_id })?;
    let public: [u8; 32] = unbase64url(&key.public_key)
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(malformed("the published key is not a base64url Ed25519 key"))?;
    PublicKey::new(public)
        .verify(signed_message(&payload), &Signature::new(signature))
        .map_err(|_| CredentialError::BadSignature)?;
    if let Some(retired_at) = key.retired_at
        && credential.issued_at > retired_at
    {
        return Err(CredentialError::IssuedByRetiredKey { issued_at: credential.issued_at, retired_at });
    }
    if now >= credential.expires_at {
        return Err(CredentialError::Expired { expired_at: credential.expires_at });
    }
    Ok(credential)
}

fn signed_message(payload: &[u8; PAYLOAD_LEN]) -> Vec<u8> {
    [CONTEXT, payload.as_slice()].concat()
}

fn encode(key: KeyId, credential: &Credential) -> [u8; PAYLOAD_LEN] {
    let mut out = [0u8; PAYLOAD_LEN];
    out[0] = VERSION;
    out[1..9].copy_from_slice(&key.0);
    out[9..17].copy_from_slice(&credential.number.to_be_bytes());
    out[17..33].copy_from_slice(&uuid_bytes(credential.area.as_str()));
    out[33] = credential.age_band.byte();
    out[34..42].copy_from_slice(&credential.issued_at.unix_seconds().to_be_bytes());
    out[42..50].copy_from_slice(&credential.expires_at.unix_seconds().to_be_bytes());
    out
}

fn decode(payload: &[u8; PAYLOAD_LEN]) -> Option<(KeyId, Credential)> {
    if payload[0] != VERSION {
        return None;
    }
    let word = |range: std::ops::Range<usize>| -> Option<[u8; 8]> { payload.get(range)?.try_into().ok() };
    let key = KeyId(word(1..9)?);
    let number = u64::from_be_bytes(word(9..17)?);
    let area = BodyId::parse(&uuid_text(payload.get(17..33)?)).ok()?;
    let age_band = AgeBand::from_byte(payload[33])?;
    let issued_at = Instant::from_unix_seconds(i64::from_be_bytes(word(34..42)?))?;
    let expires_at = Instant::from_unix_seconds(i64::from_be_bytes(word(42..50)?))?;
    (issued_at < expires_at).then_some((key, Credential { number, area, age_band, issued_at, expires_at }))
}

/// The 16 bytes of a hyphenated UUID (whose text `BodyId` has already checked).
fn uuid_bytes(text: &str) -> [u8; 16] {
    let digits: String = text.chars().filter(|c| *c != '-').collect();
    let mut out = [0u8; 16];
    if let Some(bytes) = hex(&digits) {
        for (slot, byte) in out.iter_mut().zip(bytes) {
            *slot = byte;
        }
    }
    out
}

fn uuid_text(bytes: &[u8]) -> String {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

fn hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect()
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 4648 §5).
fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let word = chunk.iter().enumerate().fold(0u32, |w, (k, &b)| w | (u32::from(b) << (16 - 8 * k)));
        for k in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(word >> (18 - 6 * k)) as usize & 63]));
        }
    }
    out
}

/// Reads [`base64url`]'s output; `None` for anything else (padding, other alphabets, stray bits).
fn unbase64url(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 == 1 {
        return None;
    }
    let values: Vec<u32> =
        text.bytes().map(|c| ALPHABET.iter().position(|&a| a == c).map(|v| v as u32)).collect::<Option<_>>()?;
    let mut out = Vec::with_capacity(values.len() * 3 / 4);
    for chunk in values.chunks(4) {
        let word = chunk.iter().enumerate().fold(0u32, |w, (k, &v)| w | (v << (18 - 6 * k)));
        let bytes = chunk.len() - 1;
        // The bits past the last byte must be zero, so that each byte string has one text.
        if word & ((1 << (24 - 8 * bytes)) - 1) != 0 {
            return None;
        }
        out.extend((0..bytes).map(|k| (word >> (16 - 8 * k)) as u8));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Instant {
        Instant::parse(text).unwrap()
    }

    fn card() -> Credential {
        Credential {
            number: 1042,
            area: BodyId::parse("01968a3c-0000-7000-8000-000000000002").unwrap(),
            age_band: AgeBand::Adult,
            issued_at: at("2026-03-01T10:00:00Z"),
            expires_at: at("2030-03-01T00:00:00Z"),
        }
    }

    fn ring(issuer: &Issuer) -> KeyRing {
        KeyRing { keys: vec![issuer.published(at("2026-01-01T00:00:00Z"))] }
    }

    #[test]
    fn an_issued_credential_verifies_and_says_what_was_issued() {
        let issuer = Issuer::from_seed(&[7; 32]);
        let token = issuer.issue(&card());
        assert!(token.starts_with(TOKEN_PREFIX) && token.len() < 200, "{token}");
        assert_eq!(verify(&format!(" {token}\n"), &ring(&issuer), at("2027-01-01T00:00:00Z")), Ok(card()));
    }

    #[test]
    fn altered_forged_expired_and_unknown_credentials_are_refused_with_their_reason() {
        let issuer = Issuer::from_seed(&[7; 32]);
        let ring = ring(&issuer);
        let now = at("2027-01-01T00:00:00Z");
        let token = issuer.issue(&card());

        // Every single-character change in the payload or signature is caught.
        let alphabet = "Aa0_";
        for position in TOKEN_PREFIX.len()..token.len() {
            for replacement in alphabet.chars() {
                let mut altered: Vec<char> = token.chars().collect();
                if altered[position] == replacement || altered[position] == '.' {
                    continue;
                }
                altered[position] = replacement;
                let altered: String = altered.into_iter().collect();
                assert!(verify(&altered, &ring, now).is_err(), "{altered}");
            }
        }
        let forger = Issuer::from_seed(&[8; 32]);
        let forged = forger.issue(&card());
        assert_eq!(verify(&forged, &ring, now), Err(CredentialError::UnknownKey { key: forger.id() }));
        // The forger's key under the real key's id: the signature fails.
        let (_, signature) = forged.rsplit_once('.').unwrap();
        let (genuine_payload, _) = token.rsplit_once('.').unwrap();
        assert_eq!(verify(&format!("{genuine_payload}.{signature}"), &ring, now), Err(CredentialError::BadSignature));

        let expired = Credential { expires_at: at("2026-12-31T00:00:00Z"), ..card() };
        assert_eq!(verify(&issuer.issue(&expired), &ring, now), Err(CredentialError::Expired { expired_at: expired.expires_at }));
        for bad in ["", "PLN1.", "PLN2.AAAA.AAAA", "PLN1.!!!.AAAA", &"PLN1.A".repeat(200), &token.replace('.', "")] {
            assert_eq!(verify(bad, &ring, now).map_err(|e| e.code()), Err("malformed"), "{bad:?}");
        }
    }

    #[test]
    fn rotation_keeps_old_credentials_valid_and_stops_the_old_key_issuing() {
        let old = Issuer::from_seed(&[1; 32]);
        let new = Issuer::from_seed(&[2; 32]);
        let mut ring = ring(&old);
        let before = old.issue(&card());
        let rotated_at = at("2026-06-01T00:00:00Z");
        ring.rotate(new.published(rotated_at), rotated_at);
        assert_eq!(ring.current().map(|k| k.id), Some(new.id()));
        let now = at("2027-01-01T00:00:00Z");
        assert_eq!(verify(&before, &ring, now), Ok(card()));
        let late = Credential { issued_at: at("2026-07-01T00:00:00Z"), ..card() };
        assert_eq!(
            verify(&old.issue(&late), &ring, now),
            Err(CredentialError::IssuedByRetiredKey { issued_at: late.issued_at, retired_at: rotated_at })
        );
        assert_eq!(verify(&new.issue(&late), &ring, now), Ok(late));
        // The ring is published as JSON and read back whole.
        let json = serde_json::to_string(&ring).unwrap();
        assert_eq!(serde_json::from_str::<KeyRing>(&json).unwrap(), ring);
    }

    #[test]
    fn base64url_reads_back_and_refuses_what_it_never_writes() {
        for length in 0..40u8 {
            let bytes: Vec<u8> = (0..length).map(|k| k.wrapping_mul(37).wrapping_add(200)).collect();
            assert_eq!(unbase64url(&base64url(&bytes)), Some(bytes));
        }
        assert_eq!(base64url(b"Man"), "TWFu");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        for bad in ["A", "TWF=", "TWF+", "-_9"] {
            assert_eq!(unbase64url(bad), None, "{bad}");
        }
    }

    #[test]
    fn age_bands_say_who_may_take_part() {
        assert!(AgeBand::Adult.at_least(18) && AgeBand::Adult.at_least(16));
        assert!(AgeBand::From16To17.at_least(16) && !AgeBand::From16To17.at_least(18));
        assert!(!AgeBand::Under16.at_least(16) && AgeBand::Under16.at_least(0));
        for band in [AgeBand::Under16, AgeBand::From16To17, AgeBand::Adult] {
            assert_eq!(AgeBand::parse(band.name()), Some(band));
            assert_eq!(AgeBand::from_byte(band.byte()), Some(band));
        }
    }
}
