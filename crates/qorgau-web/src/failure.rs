//! Errors as pages: the API's error (its status and its message) in the
//! page's language, with a way back. Internal details stay in the log, as
//! in the API.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use qorgau_server::ApiError;

use crate::layout;
use crate::text::Tr;

/// A request that failed, to be shown as a page.
#[derive(Debug)]
pub struct Failure {
    /// The page's language.
    pub tr: Tr,
    /// What the API said.
    pub error: ApiError,
}

impl Failure {
    fn status_and_key(&self) -> (StatusCode, &'static str) {
        match &self.error {
            ApiError::Unauthenticated | ApiError::BadCredentials => {
                (StatusCode::UNAUTHORIZED, "error-unauthenticated")
            }
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "error-forbidden"),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "error-bad-request"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "error-not-found"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "error-conflict"),
            ApiError::Locked(_) => (StatusCode::LOCKED, "error-locked"),
            ApiError::TooMany(_) => (StatusCode::TOO_MANY_REQUESTS, "error-too-many"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "error-internal"),
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        if matches!(self.error, ApiError::Unauthenticated) {
            return Redirect::to("/login").into_response();
        }
        if let ApiError::Internal(detail) = &self.error {
            tracing::error!(%detail, "page failed");
        }
        let (status, key) = self.status_and_key();
        let tr = self.tr;
        let body = html! {
            section.failure role="alert" {
                h1 { (tr.t(key)) }
                p.detail { (self.error.to_string()) }
                p { a href="/" { (tr.t("error-back")) } }
            }
        };
        (status, layout::bare(tr, &tr.t(key), "/", body)).into_response()
    }
}
