//! The referrals board of the person's agency: what was sent to it (to
//! acknowledge, act on and close, with the deadlines in working time) and
//! what its own cases sent out. Overdue ones stand out in red.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use qorgau_response::Permission;
use qorgau_server::api::referrals::{BoardQuery, ReferralView, Step};
use qorgau_server::json::Body;
use qorgau_server::{ApiError, AppState};
use serde::Deserialize;

use crate::layout::{self, Section, csrf};
use crate::pages::cases::overdue;
use crate::viewer::{Posted, Viewer};

/// Outcomes a closing referral may record (the API's list).
const OUTCOMES: [&str; 6] = [
    "services_given",
    "refused_by_person",
    "unreachable",
    "referred_elsewhere",
    "no_action_needed",
    "other",
];

/// `GET /referrals`.
pub async fn board(State(state): State<AppState>, v: Viewer) -> Response {
    match render(&state, &v).await {
        Ok(m) => m.into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

async fn direction(
    state: &AppState,
    v: &Viewer,
    which: &str,
) -> Result<Vec<ReferralView>, ApiError> {
    Ok(qorgau_server::api::referrals::board(
        State(state.clone()),
        v.principal.clone(),
        Query(BoardQuery {
            direction: Some(which.into()),
        }),
    )
    .await?
    .0)
}

async fn render(state: &AppState, v: &Viewer) -> Result<Markup, ApiError> {
    let tr = v.tr;
    let incoming = direction(state, v, "incoming").await?;
    let outgoing = direction(state, v, "outgoing").await?;
    let now = state.clock.now().to_utc_string();
    let may_respond = v.may(Permission::RespondToReferrals);
    let body = html! {
        section #incoming {
            h2 { (tr.t("referrals-incoming")) " (" (incoming.len()) ")" }
            (table(v, &incoming, &now, may_respond))
        }
        section #outgoing {
            h2 { (tr.t("referrals-outgoing")) " (" (outgoing.len()) ")" }
            (table(v, &outgoing, &now, false))
        }
    };
    Ok(layout::page(
        v,
        &tr.t("referrals-title"),
        Section::Referrals,
        body,
    ))
}

/// Referrals as a table with their case, agency, state and deadlines;
/// with `respond`, the step form of each.
pub fn table(v: &Viewer, rows: &[ReferralView], now: &str, respond: bool) -> Markup {
    let tr = v.tr;
    html! {
        @if rows.is_empty() { p.empty { (tr.t("none")) } }
        @else {
            table.referrals {
                thead { tr {
                    th { (tr.t("referral-case")) } th { (tr.t("referral-agency")) } th { (tr.t("referral-state")) }
                    th { (tr.t("referral-sent")) } th { (tr.t("referral-acknowledge-by")) } th { (tr.t("referral-act-by")) }
                    @if respond { th { (tr.t("referral-step")) } }
                } }
                tbody {
                    @for r in rows {
                        @let late = overdue(r, now);
                        tr class=[late.then_some("overdue")] id={ "referral-" (r.id) } {
                            td { a href={ "/cases/" (r.case_id) } { (tr.t("referral-open-case")) } }
                            td { (tr.code("agency", &r.agency_kind)) }
                            td { (tr.code("referral-state", &r.state)) @if late { " " strong.overdue-label { (tr.t("referral-overdue")) } } }
                            td { (tr.time(&r.sent_at)) }
                            td { (tr.time(&r.acknowledge_by)) }
                            td { (tr.time(&r.act_by)) }
                            @if respond { td { (step_form(v, r)) } }
                        }
                    }
                }
            }
        }
    }
}

fn step_form(v: &Viewer, r: &ReferralView) -> Markup {
    let tr = v.tr;
    let actions: &[&str] = match r.state.as_str() {
        "sent" => &["acknowledge", "reject"],
        "acknowledged" => &["act", "close"],
        "acted" => &["act", "close"],
        _ => &[],
    };
    html! {
        @if !actions.is_empty() {
            form.step method="post" action={ "/referrals/" (r.id) "/step" } {
                (csrf(v))
                label for={ "action-" (r.id) } { (tr.t("referral-step")) }
                select id={ "action-" (r.id) } name="action" {
                    @for a in actions { option value=(a) { (tr.code("referral-action", a)) } }
                }
                label for={ "outcome-" (r.id) } { (tr.t("referral-outcome")) }
                select id={ "outcome-" (r.id) } name="outcome" {
                    option value="" { "—" }
                    @for o in OUTCOMES { option value=(o) { (tr.code("outcome", o)) } }
                }
                label for={ "note-" (r.id) } { (tr.t("referral-note")) }
                input id={ "note-" (r.id) } name="note" maxlength="2000";
                button type="submit" { (tr.t("referral-step-submit")) }
            }
        }
    }
}

/// The step form.
#[derive(Debug, Deserialize)]
pub struct StepForm {
    action: String,
    outcome: Option<String>,
    note: Option<String>,
}

/// `POST /referrals/{id}/step`.
pub async fn step(
    State(state): State<AppState>,
    Path(id): Path<String>,
    p: Posted<StepForm>,
) -> Response {
    let v = &p.viewer;
    let f = &p.form;
    let nonempty = |s: &Option<String>| s.clone().filter(|t| !t.trim().is_empty());
    match qorgau_server::api::referrals::step(
        State(state),
        v.principal.clone(),
        Path(id.clone()),
        Body(Step {
            action: f.action.clone(),
            note: nonempty(&f.note),
            outcome: if f.action == "close" {
                nonempty(&f.outcome)
            } else {
                None
            },
        }),
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/referrals#referral-{id}")).into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}
