//! Errors as pages: the API's error (its status and its message) in the
//! page's language, with a way back. Internal details stay in the log, as
//! in the API.

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

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        if matches!(self.error, ApiError::Unauthenticated) {
            return Redirect::to("/login").into_response();
        }
        if let ApiError::Internal(detail) = &self.error {
            tracing::error!(%detail, "page failed");
        }
        let (status, code) = self.error.status_and_code();
        let key = match code {
            "unauthenticated" | "bad_credentials" => "error-unauthenticated",
            "forbidden" => "error-forbidden",
            "bad_request" => "error-bad-request",
            "not_found" => "error-not-found",
            "conflict" => "error-conflict",
            "locked" => "error-locked",
            "too_many_requests" => "error-too-many",
            _ => "error-internal",
        };
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
