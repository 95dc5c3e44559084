//! Accounts and sessions: argon2id password hashes, session tokens in an HttpOnly cookie (the
//! database keeps only their SHA-256), and who is signed in.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::http::{HeaderMap, HeaderValue, header};
use plenum_core::AccountId;
use plenum_store::Session;
use sha2::{Digest, Sha256};

use crate::App;
use crate::context::{Viewer, cookie};
use crate::error::WebError;
use crate::ids::{hex, now, random_bytes};

pub const SESSION_COOKIE: &str = "plenum_session";
/// Thirty days.
pub const SESSION_SECONDS: i64 = 30 * 24 * 3600;

/// An argon2id hash (PHC string) of `password` with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, WebError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?).map_err(|_| WebError::internal("salt encoding"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| WebError::internal("password hashing"))
}

/// Whether `password` matches the stored hash.
pub fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
}

/// A hash made once, to verify against when the login name is unknown, so that a wrong name
/// takes as long as a wrong password.
pub fn dummy_check(password: &str) {
    static DUMMY: std::sync::LazyLock<Option<String>> = std::sync::LazyLock::new(|| hash_password("not a password").ok());
    if let Some(hash) = DUMMY.as_ref() {
        let _ = password_matches(password, hash);
    }
}

pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Starts a session; returns the token for the cookie.
pub async fn start_session(app: &App, account: &AccountId) -> Result<String, WebError> {
    let token = hex(&random_bytes::<32>()?);
    let created_at = now()?;
    let session = Session {
        token_hash: token_hash(&token),
        account: account.clone(),
        created_at,
        expires_at: created_at.plus_seconds(SESSION_SECONDS),
    };
    app.store.create_session(&session).await?;
    Ok(token)
}

/// The `Set-Cookie` value for a session token (`None` clears the cookie).
pub fn session_cookie(app: &App, token: Option<&str>) -> Result<HeaderValue, WebError> {
    let secure = if app.config.secure_cookies { "; Secure" } else { "" };
    let value = match token {
        Some(token) => format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={SESSION_SECONDS}{secure}"),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&value).map_err(|_| WebError::internal("cookie header"))
}

/// The session token a request presents: the cookie, or `Authorization: Bearer` (for API
/// clients such as the load bench).
fn presented_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned())
        .or_else(|| cookie(headers, SESSION_COOKIE))
        .filter(|t| !t.is_empty() && t.len() <= 128)
}

/// Who is signed in, if anyone (an unknown or expired token is nobody).
pub async fn viewer(app: &App, headers: &HeaderMap) -> Result<Option<Viewer>, WebError> {
    let Some(token) = presented_token(headers) else { return Ok(None) };
    let hash = token_hash(&token);
    let Some(account) = app.store.session_account(&hash, now()?).await? else { return Ok(None) };
    let display_name = app.store.read(|s| s.resident(&account).map(|r| r.display_name.to_string())).await;
    Ok(display_name.map(|display_name| Viewer { id: account, display_name, token_hash: hash }))
}

/// Login names are compared exactly, so they are normalised first: trimmed and lowercased.
pub fn normalise_login(login: &str) -> Result<String, WebError> {
    let login = login.trim().to_lowercase();
    let ok = (2..=64).contains(&login.chars().count())
        && login.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok {
        Ok(login)
    } else {
        Err(WebError::bad_input("invalid_login", "a login name is 2 to 64 letters, digits, '.', '_', '-' or '@'"))
    }
}

/// Passwords: at least 8 characters, at most 1,000 (argon2 on huge inputs is a denial of service).
pub fn check_password(password: &str) -> Result<(), WebError> {
    let n = password.chars().count();
    if (8..=1000).contains(&n) {
        Ok(())
    } else {
        Err(WebError::bad_input("invalid_password", "a password is 8 to 1000 characters"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_matches_only_its_own_hash() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(password_matches("correct horse", &hash));
        assert!(!password_matches("wrong horse", &hash));
        assert!(!password_matches("correct horse", "not a hash"));
    }
}
