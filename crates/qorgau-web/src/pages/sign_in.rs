//! Signing in and out, and choosing the language.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{SET_COOKIE, USER_AGENT};
use axum::http::request::Parts;
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use maud::html;
use qorgau_i18n::Lang;
use qorgau_server::api::auth::{CLEARED_SESSION_COOKIE, sign_in};
use qorgau_server::auth::Credential;
use qorgau_server::{ApiError, AppState};
use serde::Deserialize;

use crate::layout;
use crate::text::Tr;
use crate::viewer::{LANG_COOKIE, Posted, local_path, tr_of};

/// Where to go after signing in.
#[derive(Debug, Deserialize)]
pub struct Next {
    next: Option<String>,
}

fn form(tr: Tr, next: &str, username: &str, problem: Option<&str>) -> maud::Markup {
    let here = format!(
        "/login?{}",
        serde_urlencoded::to_string([("next", next)]).unwrap_or_default()
    );
    layout::bare(
        tr,
        &tr.t("sign-in-title"),
        &here,
        html! {
            section.sign-in {
                h1 { (tr.t("sign-in-title")) }
                @if let Some(p) = problem { p.problem role="alert" { (p) } }
                form method="post" action="/login" {
                    input type="hidden" name="next" value=(next);
                    label for="username" { (tr.t("sign-in-username")) }
                    input #username name="username" autocomplete="username" required autofocus value=(username);
                    label for="password" { (tr.t("sign-in-password")) }
                    input #password type="password" name="password" autocomplete="current-password" required;
                    button type="submit" { (tr.t("sign-in-submit")) }
                }
                p.hint { (tr.t("sign-in-hint")) }
                p { a href="/report" { (tr.t("sign-in-report")) } }
            }
        },
    )
}

/// `GET /login`.
pub async fn show(parts: Parts, Query(q): Query<Next>) -> impl IntoResponse {
    let tr = tr_of(&parts);
    form(tr, &local_path(q.next.as_deref()), "", None)
}

/// The sign-in form's fields.
#[derive(Debug, Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
    next: Option<String>,
}

/// `POST /login`: the API's own sign-in (lock-out, one answer for unknown
/// users and wrong passwords), then back to where the person was going.
pub async fn submit(
    State(state): State<AppState>,
    parts: Parts,
    Form(c): Form<Credentials>,
) -> Response {
    let tr = tr_of(&parts);
    let headers = &parts.headers;
    // A sign-in form posted from another site (login CSRF) is refused.
    if headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|s| s == "cross-site")
    {
        return (
            StatusCode::FORBIDDEN,
            form(tr, "/", &c.username, Some(&tr.t("sign-in-cross-site"))),
        )
            .into_response();
    }
    let next = local_path(c.next.as_deref());
    let client = headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    match sign_in(&state, &c.username, &c.password, client).await {
        Ok(signed) => (
            AppendHeaders([(SET_COOKIE, signed.cookie)]),
            Redirect::to(&next),
        )
            .into_response(),
        Err(e) => {
            let (status, key) = match &e {
                ApiError::Locked(_) => (StatusCode::LOCKED, "sign-in-locked"),
                ApiError::BadCredentials => (StatusCode::UNAUTHORIZED, "sign-in-wrong"),
                _ => return crate::failure::Failure { tr, error: e }.into_response(),
            };
            (status, form(tr, &next, &c.username, Some(&tr.t(key)))).into_response()
        }
    }
}

/// `POST /logout`.
pub async fn sign_out(State(state): State<AppState>, posted: Posted<Next>) -> Response {
    if let Credential::Session { token_sha256, .. } = &posted.viewer.principal.credential
        && let Err(e) = state.vault.store.delete_session(token_sha256).await
    {
        return posted.viewer.fail(e.into()).into_response();
    }
    (
        AppendHeaders([(SET_COOKIE, CLEARED_SESSION_COOKIE)]),
        Redirect::to("/login"),
    )
        .into_response()
}

/// `GET /lang/{code}?next=…`: keeps the choice in a cookie for a year and
/// returns to the same page.
pub async fn choose(Path(code): Path<String>, Query(q): Query<Next>) -> Response {
    let Ok(lang) = code.parse::<Lang>() else {
        return (StatusCode::NOT_FOUND, "no such language").into_response();
    };
    (
        AppendHeaders([(
            SET_COOKIE,
            format!(
                "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
                lang.code()
            ),
        )]),
        Redirect::to(&local_path(q.next.as_deref())),
    )
        .into_response()
}
