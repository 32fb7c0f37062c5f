//! Takedown requests on the case page: each resource the case asks a
//! platform (or «Кибернадзор») to block, with the capture that proves what
//! it showed, the platform's reply deadline (red when passed unanswered)
//! and its replies. A request is refused by the API unless the case holds a
//! capture of the resource whose files re-hash now: evidence first.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use qorgau_server::api::takedowns::{NewRequest, TakedownStep, TakedownView};
use qorgau_server::json::Body;
use qorgau_server::{ApiError, AppState};
use serde::Deserialize;

use crate::layout::csrf;
use crate::viewer::{Posted, Viewer};

const OUTCOMES: [&str; 5] = [
    "acknowledged",
    "removed",
    "refused",
    "partially",
    "no_reply",
];

/// The case's requests, if the viewer may see them.
pub async fn of_case(state: &AppState, v: &Viewer, case: &str) -> Option<Vec<TakedownView>> {
    qorgau_server::api::takedowns::of_case(
        State(state.clone()),
        v.principal.clone(),
        Path(case.to_owned()),
    )
    .await
    .ok()
    .map(|j| j.0)
}

/// The section of the case page.
pub fn section(v: &Viewer, case: &str, requests: &[TakedownView], may_open: bool) -> Markup {
    let tr = v.tr;
    html! {
        section #takedowns {
            h2 { (tr.t("takedowns-title")) " (" (requests.len()) ")" }
            @if requests.is_empty() { p.empty { (tr.t("none")) } }
            @for r in requests {
                @let body = serde_json::to_value(&r.request).unwrap_or_default();
                @let id = body["id"].as_str().unwrap_or_default().to_owned();
                @let state = body["state"].as_str().unwrap_or_default().to_owned();
                article.takedown class=[r.overdue.then_some("overdue")] id={ "takedown-" (id) } {
                    p {
                        span.tag { (tr.code("platform", body["platform"].as_str().unwrap_or_default())) } " "
                        code { (body["url"].as_str().unwrap_or_default()) } " · "
                        strong { (tr.code("takedown-state", &state)) }
                        @if r.overdue { " " strong.overdue-label { (tr.t("referral-overdue")) } }
                    }
                    @if let Some(d) = &r.reply_deadline { p.meta { (tr.t("takedowns-reply-by")) " " (tr.time(d)) } }
                    @if may_open && matches!(state.as_str(), "draft" | "sent" | "acknowledged") {
                        form.inline method="post" action={ "/takedowns/" (id) "/step" } {
                            (csrf(v))
                            input type="hidden" name="case" value=(case);
                            select name="action" aria-label=(tr.t("referral-step")) {
                                @if state == "draft" { option value="send" { (tr.code("takedown-action", "send")) } }
                                @else { option value="reply" { (tr.code("takedown-action", "reply")) } }
                                option value="withdraw" { (tr.code("takedown-action", "withdraw")) }
                            }
                            select name="outcome" aria-label=(tr.t("referral-outcome")) {
                                option value="" { "—" }
                                @for o in OUTCOMES { option value=(o) { (tr.code("takedown-outcome", o)) } }
                            }
                            input name="note" maxlength="1000" aria-label=(tr.t("referral-note")) placeholder=(tr.t("referral-note"));
                            button type="submit" { (tr.t("referral-step-submit")) }
                        }
                    }
                }
            }
            @if may_open {
                h3 { (tr.t("takedowns-new")) }
                form method="post" action={ "/cases/" (case) "/takedowns" } {
                    (csrf(v))
                    label for="td-url" { (tr.t("takedowns-url")) }
                    input #td-url name="url" type="url" required;
                    label for="td-platform" { (tr.t("document-platform")) }
                    select #td-platform name="platform" {
                        @for p in qorgau_casework::takedown::PlatformTable::builtin().iter().flat_map(|t| t.platforms()) {
                            option value=(p.key) { (tr.code("platform", &p.key)) }
                        }
                    }
                    label for="td-recipient" { (tr.t("takedowns-recipient")) }
                    input #td-recipient name="recipient" required maxlength="300";
                    label for="td-basis" { (tr.t("takedowns-basis")) }
                    input #td-basis name="legal_basis" required maxlength="500";
                    label.fact { input type="checkbox" name="send"; " " (tr.t("takedowns-send-now")) }
                    p.hint { (tr.t("takedowns-hint")) }
                    button type="submit" { (tr.t("takedowns-open")) }
                }
            }
        }
    }
}

/// The new request's fields.
#[derive(Debug, Deserialize)]
pub struct Opened {
    url: String,
    platform: String,
    recipient: String,
    legal_basis: String,
    send: Option<String>,
}

/// `POST /cases/{id}/takedowns`.
pub async fn open(
    State(state): State<AppState>,
    Path(id): Path<String>,
    p: Posted<Opened>,
) -> Response {
    let v = &p.viewer;
    let f = &p.form;
    match qorgau_server::api::takedowns::open(
        State(state),
        v.principal.clone(),
        Path(id.clone()),
        Body(NewRequest {
            url: f.url.clone(),
            platform: f.platform.clone(),
            recipient: f.recipient.clone(),
            legal_basis: f.legal_basis.clone(),
            send: f.send.is_some(),
        }),
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/cases/{id}#takedowns")).into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

/// A step's fields.
#[derive(Debug, Deserialize)]
pub struct Stepped {
    case: String,
    action: String,
    outcome: Option<String>,
    note: Option<String>,
}

/// `POST /takedowns/{id}/step`.
pub async fn step(
    State(state): State<AppState>,
    Path(id): Path<String>,
    p: Posted<Stepped>,
) -> Response {
    let v = &p.viewer;
    let f = &p.form;
    let nonempty = |s: &Option<String>| s.clone().filter(|t| !t.trim().is_empty());
    let result: Result<_, ApiError> = qorgau_server::api::takedowns::step(
        State(state),
        v.principal.clone(),
        Path(id),
        Body(TakedownStep {
            action: f.action.clone(),
            outcome: if f.action == "reply" {
                nonempty(&f.outcome)
            } else {
                None
            },
            note: nonempty(&f.note),
            at: None,
        }),
    )
    .await;
    match result {
        Ok(_) => match qorgau_server::api::parse_id(&f.case) {
            Ok(case) => Redirect::to(&format!("/cases/{case}#takedowns")).into_response(),
            Err(_) => Redirect::to("/").into_response(),
        },
        Err(e) => v.fail(e).into_response(),
    }
}
