//! Who is looking, in which language, and the checked form they posted.
//!
//! Pages use the JSON API's own session (the same cookie, the same lookup in
//! `qorgau_server::auth`), so a person signed in on one is signed in on the
//! other and every permission check is the API's. An HTML form cannot send
//! the `X-CSRF-Token` header the API wants, so [`Posted`] takes the token
//! from a hidden `csrf` field instead and compares it in constant time
//! before the form is even decoded.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use qorgau_core::Timestamp;
use qorgau_response::Permission;
use qorgau_server::auth::{Principal, session_cookie, session_principal};
use qorgau_server::{ApiError, AppState};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::failure::Failure;
use crate::text::{Tr, negotiate};

/// The cookie that keeps the chosen language (not a secret, not signed).
pub const LANG_COOKIE: &str = "qorgau_lang";

/// Largest form body accepted, in bytes: forms carry words, not files.
const MAX_FORM: usize = 256 * 1024;

/// The signed-in person looking at a page.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The account and its session, as the API checks them.
    pub principal: Principal,
    /// The page's language.
    pub tr: Tr,
    /// The path and query asked for (to come back to after a language switch).
    pub path: String,
}

impl Viewer {
    /// The session's CSRF token, for the hidden field of every form.
    pub fn csrf(&self) -> &str {
        match &self.principal.credential {
            qorgau_server::auth::Credential::Session { csrf_token, .. } => csrf_token,
            qorgau_server::auth::Credential::Token { .. } => "",
        }
    }

    /// Whether the roles allow `permission` (to show or hide a link; the
    /// handler behind it checks again).
    pub fn may(&self, permission: Permission) -> bool {
        self.principal.user.may(permission)
    }

    /// An error page in this viewer's language.
    pub fn fail(&self, error: ApiError) -> Failure {
        Failure { tr: self.tr, error }
    }
}

/// The language of a request that may not be signed in (sign-in page,
/// errors).
pub fn tr_of(parts: &Parts) -> Tr {
    let cookie = cookie_value(parts, LANG_COOKIE);
    let accept = parts
        .headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Tr {
        lang: negotiate(cookie.as_deref(), accept),
    }
}

fn cookie_value(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim().to_owned())
}

/// A local path to return to; anything else (another host, `//host`,
/// a scheme) becomes the dashboard, so no link can bounce a signed-in
/// person to a look-alike site.
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.starts_with("/\\")
                && !p.chars().any(char::is_control) =>
        {
            p.to_owned()
        }
        _ => "/".to_owned(),
    }
}

fn to_sign_in(parts: &Parts) -> Response {
    let here = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let next: String = serde_urlencoded::to_string([("next", here)]).unwrap_or_default();
    Redirect::to(&format!("/login?{next}")).into_response()
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let tr = tr_of(parts);
        let Some(cookie) = session_cookie(parts) else {
            return Err(to_sign_in(parts));
        };
        match session_principal(state, &cookie, Timestamp::now()).await {
            Ok(principal) => Ok(Viewer {
                principal,
                tr,
                path: parts
                    .uri
                    .path_and_query()
                    .map_or("/", |p| p.as_str())
                    .to_owned(),
            }),
            Err(ApiError::Unauthenticated) => Err(to_sign_in(parts)),
            Err(error) => Err(Failure { tr, error }.into_response()),
        }
    }
}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// A form posted by a signed-in person, its CSRF field checked.
#[derive(Debug)]
pub struct Posted<T> {
    /// Who posted it.
    pub viewer: Viewer,
    /// The form's fields.
    pub form: T,
}

impl<T: DeserializeOwned> FromRequest<AppState> for Posted<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let viewer = Viewer::from_request_parts(&mut parts, state).await?;
        let bytes = axum::body::to_bytes(body, MAX_FORM).await.map_err(|_| {
            viewer
                .fail(ApiError::BadRequest(format!(
                    "the form is larger than {MAX_FORM} bytes"
                )))
                .into_response()
        })?;
        let token: CsrfField = serde_urlencoded::from_bytes(&bytes).unwrap_or(CsrfField {
            csrf: String::new(),
        });
        if !viewer.principal.csrf_matches(&token.csrf) {
            return Err(viewer
                .fail(ApiError::Forbidden(
                    "the form's security token is missing or old: reload the page and send it again"
                        .into(),
                ))
                .into_response());
        }
        let form = serde_urlencoded::from_bytes(&bytes).map_err(|e| {
            viewer
                .fail(ApiError::BadRequest(format!("the form: {e}")))
                .into_response()
        })?;
        Ok(Posted { viewer, form })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/cases/1?x=2")), "/cases/1?x=2");
        assert_eq!(local_path(Some("//evil.example/")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(Some("https://evil.example/")), "/");
        assert_eq!(local_path(Some("/a\r\nSet-Cookie: x")), "/");
        assert_eq!(local_path(None), "/");
    }
}
