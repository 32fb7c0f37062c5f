//! Signing in and out.

use axum::Json;
use axum::extract::State;
use axum::http::header::{SET_COOKIE, USER_AGENT};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse};
use qorgau_core::Timestamp;
use qorgau_store::SessionRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::UserView;
use crate::auth::{
    Credential, Principal, SESSION_COOKIE, password_matches, random_secret, secret_hash,
};
use crate::error::{ApiError, ErrorBody};
use crate::json::Body;
use crate::state::AppState;

/// Sign-in form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// A new session.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// The account.
    pub user: UserView,
    /// Send this in `X-CSRF-Token` with every state-changing request.
    pub csrf_token: String,
    /// When the session ends (RFC 3339 UTC).
    pub expires_at: String,
}

/// Signs in with user name and password; sets the session cookie.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = LoginResponse),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Wrong user name or password", body = ErrorBody),
        (status = 423, description = "Locked after repeated failures", body = ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Body(form): Body<LoginRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let client = headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let signed = sign_in(&state, &form.username, &form.password, client).await?;
    Ok((
        AppendHeaders([(SET_COOKIE, signed.cookie)]),
        Json(LoginResponse {
            user: UserView::of(&signed.user),
            csrf_token: signed.csrf_token,
            expires_at: signed.expires_at.to_utc_string(),
        }),
    ))
}

/// A session just opened: what the JSON API and the web sign-in page both
/// hand back to the browser.
#[derive(Debug)]
pub struct SignedIn {
    /// The account.
    pub user: qorgau_response::User,
    /// The `Set-Cookie` value carrying the session secret.
    pub cookie: String,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When the session ends.
    pub expires_at: Timestamp,
}

/// Checks a user name and password and opens a session: one place for the
/// lock-out, the answer that does not tell unknown users from wrong
/// passwords, and the cookie's attributes, whichever front door is used.
pub async fn sign_in(
    state: &AppState,
    username: &str,
    password: &str,
    client: &str,
) -> Result<SignedIn, ApiError> {
    let store = &state.vault.store;
    let now = Timestamp::now();
    let user = store.user_by_name(username.trim()).await?;
    let Some(user) = user.filter(|u| !u.disabled) else {
        // Same work and answer as a wrong password: no user enumeration.
        let _ = password_matches(password, DUMMY_HASH);
        tracing::info!(username = %username, "sign-in refused: unknown or disabled user");
        return Err(ApiError::BadCredentials);
    };
    if let Some(until) = user.locked_until
        && until > now
    {
        return Err(ApiError::Locked(format!(
            "this account is locked after repeated failed sign-ins until {}",
            until.to_utc_string()
        )));
    }
    if !password_matches(password, &user.password_hash) {
        let after = store
            .record_failed_login(user.id, now, state.config.lock_after, state.config.lock_for)
            .await?;
        tracing::info!(username = %user.username, failures = after.map(|u| u.failed_logins), "sign-in refused: wrong password");
        return Err(ApiError::BadCredentials);
    }
    store.record_login(user.id, now).await?;
    let secret = random_secret()?;
    let csrf_token = random_secret()?;
    let expires_at = now.plus(state.config.session_ttl);
    store
        .add_session(&SessionRecord {
            token_sha256: secret_hash(&secret),
            user_id: user.id,
            csrf_token: csrf_token.clone(),
            created_at: now,
            expires_at,
            client: client.chars().take(200).collect(),
        })
        .await?;
    tracing::info!(username = %user.username, "signed in");
    let cookie = format!(
        "{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        state.config.session_ttl.as_secs(),
        if state.config.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    );
    Ok(SignedIn {
        user,
        cookie,
        csrf_token,
        expires_at,
    })
}

/// The `Set-Cookie` value that ends a session in the browser.
pub const CLEARED_SESSION_COOKIE: &str =
    "qorgau_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";

/// A valid Argon2id hash of nothing anyone knows, verified against when the
/// user does not exist, so that both answers take as long.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9Ic3JNtd9TcdlJfpyg4JkZNsrdtTwWOuCCJZxfKY2Ks";

/// Signs out: ends this session (an API token is revoked instead through
/// `DELETE /api/tokens/{id}`).
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth",
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "CSRF token missing", body = ErrorBody),
    ))]
pub async fn logout(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<impl IntoResponse, ApiError> {
    if let Credential::Session { token_sha256, .. } = &principal.credential {
        state.vault.store.delete_session(token_sha256).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([(SET_COOKIE, CLEARED_SESSION_COOKIE)]),
    ))
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth",
    responses(
        (status = 200, description = "The account", body = UserView),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
pub async fn me(principal: Principal) -> Json<UserView> {
    Json(UserView::of(&principal.user))
}
