//! API errors: one JSON shape for every failure, a status that says what
//! kind, and a message a person can act on. Internal details go to the log,
//! never to the client.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use qorgau_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable code (`unauthenticated`, `forbidden`, `bad_request`,
    /// `not_found`, `conflict`, `locked`, `too_many_requests`, `internal`).
    pub error: String,
    /// What happened, in words.
    pub message: String,
}

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No valid session or token.
    #[error("sign in first (no valid session or API token)")]
    Unauthenticated,
    /// Sign-in with a wrong user name or password (one answer for both).
    #[error("wrong user name or password")]
    BadCredentials,
    /// Signed in, but the roles or the agency do not allow it.
    #[error("{0}")]
    Forbidden(String),
    /// The request itself is wrong.
    #[error("{0}")]
    BadRequest(String),
    /// Nothing there (or nothing the caller may know of).
    #[error("{0}")]
    NotFound(String),
    /// It clashes with what exists.
    #[error("{0}")]
    Conflict(String),
    /// Too many failed sign-ins: wait.
    #[error("{0}")]
    Locked(String),
    /// Rate limit hit: wait this many seconds.
    #[error("too many requests; try again in {0} s")]
    TooMany(u64),
    /// Something broke inside; the message is logged, not sent.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status and the stable code of this error: one mapping for
    /// the JSON API and the web interface's error pages.
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            ApiError::BadCredentials => (StatusCode::UNAUTHORIZED, "bad_credentials"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::Locked(_) => (StatusCode::LOCKED, "locked"),
            ApiError::TooMany(_) => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        let (status, code) = self.status_and_code();
        let mut response = (
            status,
            Json(ErrorBody {
                error: code.to_owned(),
                message: self.to_string(),
            }),
        )
            .into_response();
        if let ApiError::TooMany(seconds) = self
            && let Ok(v) = axum::http::HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert("retry-after", v);
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(m) => ApiError::Conflict(m),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<qorgau_vault::VaultError> for ApiError {
    fn from(e: qorgau_vault::VaultError) -> Self {
        match e {
            qorgau_vault::VaultError::Input(m) => ApiError::BadRequest(m),
            qorgau_vault::VaultError::Store(s) => s.into(),
            other => ApiError::Internal(other.to_string()),
        }
    }
}
