//! `plenum credential`: make a signing key, issue resident credentials, and verify one offline
//! with nothing but the instance's published key ring.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use plenum_core::credential::{self, AgeBand, Credential, Issuer, KeyRing};
use plenum_core::{BodyId, Instant};
use serde::{Deserialize, Serialize};

#[derive(Debug, clap::Subcommand)]
pub enum CredentialCommand {
    /// Make a new signing key and add its public half to the key ring (retiring the key in
    /// service, whose credentials stay valid until they expire).
    Keygen {
        /// Where to write the secret key (created; never overwritten; readable by you alone).
        #[arg(long)]
        key: PathBuf,
        /// The key ring to publish (created if missing, else the new key is added).
        #[arg(long)]
        ring: PathBuf,
    },
    /// Issue a credential and print its token (what the card's QR code holds).
    Issue {
        /// The secret key made by `plenum credential keygen`.
        #[arg(long)]
        key: PathBuf,
        /// The credential's number.
        #[arg(long)]
        number: u64,
        /// The id of the resident's assembly.
        #[arg(long)]
        area: String,
        /// under16, from16_to17 or adult.
        #[arg(long)]
        age_band: String,
        /// When it expires (RFC 3339 UTC, e.g. 2030-03-01T00:00:00Z).
        #[arg(long)]
        expires: String,
        /// When it is issued (RFC 3339 UTC); now by default.
        #[arg(long)]
        issued_at: Option<String>,
    },
    /// Check a credential offline: well formed, signed by a key of the ring that was in service,
    /// not expired. Exits 0 if valid, 1 if not, and says why.
    Verify {
        /// The token (`PLN1.…`), as scanned from the card.
        token: String,
        /// The instance's published key ring (JSON).
        #[arg(long)]
        ring: PathBuf,
        /// Check as at this instant (RFC 3339 UTC) instead of now.
        #[arg(long)]
        at: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// The secret key file: the 32-byte Ed25519 seed in hex.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    seed: String,
    created_at: Instant,
}

/// The largest key or ring file read: a ring of thousands of keys is still far smaller.
const MAX_FILE: u64 = 1 << 20;

pub fn run(command: CredentialCommand) -> anyhow::Result<ExitCode> {
    match command {
        CredentialCommand::Keygen { key, ring } => keygen(&key, &ring),
        CredentialCommand::Issue { key, number, area, age_band, expires, issued_at } => {
            let issuer = read_key(&key)?;
            let credential = Credential {
                number,
                area: BodyId::parse(&area)?,
                age_band: AgeBand::parse(&age_band)
                    .with_context(|| format!("--age-band {age_band:?}: expected under16, from16_to17 or adult"))?,
                issued_at: issued_at.as_deref().map(Instant::parse).transpose()?.map_or_else(now, Ok)?,
                expires_at: Instant::parse(&expires).context("--expires")?,
            };
            if credential.expires_at <= credential.issued_at {
                bail!("--expires {} is not after the issue time {}", credential.expires_at, credential.issued_at);
            }
            println!("{}", issuer.issue(&credential));
            Ok(ExitCode::SUCCESS)
        }
        CredentialCommand::Verify { token, ring, at, format } => {
            let ring: KeyRing = read_json(&ring)?;
            let at = at.as_deref().map(Instant::parse).transpose()?.map_or_else(now, Ok)?;
            let result = credential::verify(&token, &ring, at);
            match (format, &result) {
                (Format::Text, Ok(c)) => println!(
                    "valid: credential {} for area {}, age band {}, issued {}, expires {}",
                    c.number, c.area, c.age_band, c.issued_at, c.expires_at
                ),
                (Format::Text, Err(e)) => println!("NOT VALID: {e}"),
                (Format::Json, Ok(c)) => println!("{}", serde_json::json!({ "valid": true, "credential": c })),
                (Format::Json, Err(e)) => {
                    println!("{}", serde_json::json!({ "valid": false, "code": e.code(), "reason": e.to_string() }));
                }
            }
            Ok(if result.is_ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
    }
}

pub(crate) fn now() -> anyhow::Result<Instant> {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
    Instant::from_unix_seconds(i64::try_from(seconds)?).context("the clock is out of range")
}

fn keygen(key: &Path, ring_path: &Path) -> anyhow::Result<ExitCode> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("the operating system's random source failed: {e}"))?;
    let created_at = now()?;
    let issuer = Issuer::from_seed(&seed);
    let mut ring: KeyRing = if ring_path.exists() { read_json(ring_path)? } else { KeyRing::default() };
    ring.rotate(issuer.published(created_at), created_at);
    let seed: String = seed.iter().map(|b| format!("{b:02x}")).collect();
    let secret = serde_json::to_string_pretty(&KeyFile { seed, created_at })?;
    // The secret first, created exclusively: an existing key is never overwritten.
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(key).with_context(|| format!("creating {} (it must not exist yet)", key.display()))?;
    file.write_all(secret.as_bytes())?;
    file.sync_all()?;
    // The ring is replaced whole, through a temporary file, so a reader never sees half of it.
    let temporary = ring_path.with_extension("json.tmp");
    std::fs::write(&temporary, serde_json::to_string_pretty(&ring)? + "\n")
        .with_context(|| format!("writing {}", temporary.display()))?;
    std::fs::rename(&temporary, ring_path).with_context(|| format!("replacing {}", ring_path.display()))?;
    println!("key {} written to {}; public key added to {}", issuer.id(), key.display(), ring_path.display());
    Ok(ExitCode::SUCCESS)
}

/// A published key ring file, as `plenum serve --credential-keys` reads it.
pub fn read_ring(path: &Path) -> anyhow::Result<KeyRing> {
    read_json(path).context("reading the credential key ring")
}

/// A secret key file, as `plenum serve --credential-signing-key` reads it.
pub fn read_key(path: &Path) -> anyhow::Result<Issuer> {
    let file: KeyFile = read_json(path)?;
    let bytes: Option<Vec<u8>> = (file.seed.len() == 64)
        .then(|| (0..64).step_by(2).map(|i| u8::from_str_radix(file.seed.get(i..i + 2)?, 16).ok()).collect())
        .flatten();
    let seed: [u8; 32] =
        bytes.and_then(|b| b.try_into().ok()).with_context(|| format!("{}: the seed must be 64 hex digits", path.display()))?;
    Ok(Issuer::from_seed(&seed))
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let size = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?.len();
    if size > MAX_FILE {
        bail!("{} is {size} bytes, more than a key file or ring can be ({MAX_FILE})", path.display());
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{}: not a valid file of this kind", path.display()))
}
