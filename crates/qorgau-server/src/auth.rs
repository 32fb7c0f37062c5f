//! Who is asking: sessions (browser, cookie + CSRF token) and API tokens
//! (machine clients, `Authorization: Bearer`), and how passwords are kept.
//!
//! - Passwords: Argon2id (RFC 9106's second recommended setting, the
//!   `argon2` crate's default: m = 19 MiB, t = 2, p = 1), PHC strings.
//! - Session cookie `qorgau_session`: 32 random bytes, `HttpOnly`,
//!   `SameSite=Strict`, `Secure` unless the server runs plain HTTP on
//!   loopback for development; stored as SHA-256 only.
//! - CSRF: a state-changing request signed in by cookie must carry the
//!   session's token in `X-CSRF-Token` (double submit against the stored
//!   value); bearer tokens are not sent by browsers on their own and need
//!   none.
//! - Lock-out: after `lock_after` failures in a row the account refuses
//!   sign-in for `lock_for`, even with the right password.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use qorgau_core::Timestamp;
use qorgau_response::{Permission, User};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "qorgau_session";
/// The header that carries the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Prefix of API token secrets, so a leaked one is recognisable in logs and scanners.
pub const TOKEN_PREFIX: &str = "qgt_";

/// Hashes a password for storage.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| ApiError::Internal(format!("random salt: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| ApiError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("hashing a password: {e}")))
}

/// Whether `password` matches the stored hash (constant time inside argon2).
pub fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A password the policy accepts: 12 to 1024 characters, not all one kind.
pub fn check_password(password: &str) -> Result<(), ApiError> {
    let n = password.chars().count();
    if !(12..=1024).contains(&n) {
        return Err(ApiError::BadRequest(
            "a password must be 12 to 1024 characters long".into(),
        ));
    }
    let kinds = [
        password.chars().any(char::is_lowercase),
        password.chars().any(char::is_uppercase),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if kinds.iter().filter(|k| **k).count() < 2 {
        return Err(ApiError::BadRequest(
            "a password must mix at least two of: lower-case, upper-case, digits, symbols".into(),
        ));
    }
    Ok(())
}

/// A fresh random secret, hex (for cookies, CSRF and API tokens).
pub fn random_secret() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("randomness: {e}")))?;
    Ok(hex::encode(bytes))
}

/// SHA-256 of a secret, hex: what the database keeps.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Credential {
    /// A browser session (cookie).
    Session {
        /// SHA-256 of the cookie's token.
        token_sha256: String,
        /// Its CSRF token.
        csrf_token: String,
    },
    /// An API token.
    Token {
        /// Its id.
        id: qorgau_core::Id,
    },
}

/// The signed-in caller of a request.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The account.
    pub user: User,
    /// How it signed in.
    pub credential: Credential,
}

impl Principal {
    /// Whether `sent` is this session's CSRF token (compared in constant
    /// time); always false for an API token, which has none.
    pub fn csrf_matches(&self, sent: &str) -> bool {
        match &self.credential {
            Credential::Session { csrf_token, .. } => {
                constant_time_eq(sent.as_bytes(), csrf_token.as_bytes())
            }
            Credential::Token { .. } => false,
        }
    }

    /// Allows the request only when the caller's roles grant `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.user.may(permission) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "your roles ({}) do not allow this",
                self.user
                    .roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    }
}

/// The session cookie's value, if the request carries one.
pub fn session_cookie(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|v| !v.is_empty())
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let now = Timestamp::now();
        let store = &state.vault.store;
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if let Some(secret) = bearer {
            let hash = secret_hash(secret);
            if let Some(principal) = state.tokens.get(&hash, now) {
                return Ok(principal);
            }
            let token = store
                .api_token(&hash, now)
                .await?
                .ok_or(ApiError::Unauthenticated)?;
            let user = store
                .user(token.user_id)
                .await?
                .filter(|u| !u.disabled)
                .ok_or(ApiError::Unauthenticated)?;
            let principal = Principal {
                user,
                credential: Credential::Token { id: token.id },
            };
            state.tokens.put(hash, token.expires_at, principal.clone());
            return Ok(principal);
        }
        let cookie = session_cookie(parts).ok_or(ApiError::Unauthenticated)?;
        let principal = session_principal(state, &cookie, now).await?;
        let changes = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if changes {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !principal.csrf_matches(sent) {
                return Err(ApiError::Forbidden(format!(
                    "missing or wrong {CSRF_HEADER} header (cross-site request refused)"
                )));
            }
        }
        Ok(principal)
    }
}

/// The caller behind a session cookie, without the CSRF check: the JSON API
/// checks the `X-CSRF-Token` header after this, the web interface checks the
/// token its forms carry in a hidden field (an HTML form cannot send a header).
pub async fn session_principal(
    state: &AppState,
    cookie: &str,
    now: Timestamp,
) -> Result<Principal, ApiError> {
    let store = &state.vault.store;
    let session = store
        .session(&secret_hash(cookie), now)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let user = store
        .user(session.user_id)
        .await?
        .filter(|u| !u.disabled)
        .ok_or(ApiError::Unauthenticated)?;
    Ok(Principal {
        user,
        credential: Credential::Session {
            token_sha256: session.token_sha256,
            csrf_token: session.csrf_token,
        },
    })
}

/// How long a checked API token is trusted without asking the database.
pub const TOKEN_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(5);

/// API tokens checked in the last [`TOKEN_CACHE_TTL`], with their users, so
/// that a machine client sending thousands of reports a second does not
/// cost two queries per request. A token revoked through this server is
/// forgotten at once ([`TokenCache::clear`]); one revoked or a user disabled
/// elsewhere (`qorgau admin`, another server) stops working within the TTL.
#[derive(Default)]
pub struct TokenCache {
    entries: std::sync::Mutex<std::collections::HashMap<String, CachedToken>>,
}

struct CachedToken {
    expires_at: Option<Timestamp>,
    principal: Principal,
    checked: std::time::Instant,
}

impl TokenCache {
    /// Most entries kept; past it the cache starts again empty.
    const MAX: usize = 10_000;

    fn get(&self, token_sha256: &str, now: Timestamp) -> Option<Principal> {
        let entries = self.entries.lock().ok()?;
        let cached = entries.get(token_sha256)?;
        let fresh =
            cached.checked.elapsed() < TOKEN_CACHE_TTL && cached.expires_at.is_none_or(|e| e > now);
        fresh.then(|| cached.principal.clone())
    }

    fn put(&self, token_sha256: String, expires_at: Option<Timestamp>, principal: Principal) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= Self::MAX {
                entries.clear();
            }
            entries.insert(
                token_sha256,
                CachedToken {
                    expires_at,
                    principal,
                    checked: std::time::Instant::now(),
                },
            );
        }
    }

    /// Forgets every token (after a revocation or a change of accounts).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

/// Compares secrets without leaking where they differ through timing.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("Correct horse 7").unwrap_or_default();
        assert!(h.starts_with("$argon2id$"));
        assert!(password_matches("Correct horse 7", &h));
        assert!(!password_matches("correct horse 7", &h));
        assert!(!password_matches("x", "not a hash"));
    }

    #[test]
    fn password_policy() {
        assert!(check_password("short").is_err());
        assert!(check_password("alllowercaseletters").is_err());
        assert!(check_password("Long enough 2026").is_ok());
    }
}
