//! A victim record: the facts anyone on the case may see, the personal data
//! only the roles and agencies allowed to see it (and, outside the agency
//! that recorded it, only what the person's consent covers), and the
//! person's consents — recorded, and withdrawn, here. Every opening is a
//! `read` entry written by the API's handler; the page says so.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use qorgau_server::json::Body;
use qorgau_server::{ApiError, AppState};

use crate::layout::{self, Section, csrf};
use crate::text::Tr;
use crate::viewer::{Posted, Viewer};

const CATEGORIES: [&str; 8] = [
    "identity",
    "contacts",
    "address",
    "documents",
    "notes",
    "screening",
    "health",
    "images",
];
const PURPOSES: [&str; 7] = [
    "special_social_services",
    "shelter",
    "legal_aid",
    "medical_care",
    "child_protection",
    "criminal_proceedings",
    "repatriation",
];
const RECIPIENTS: [&str; 5] = [
    "ngo",
    "social_services",
    "child_rights_committee",
    "mvd_investigation",
    "prosecutor",
];

/// `GET /victims/{id}`.
pub async fn page(State(state): State<AppState>, v: Viewer, Path(id): Path<String>) -> Response {
    match qorgau_server::api::victims::victim(State(state), v.principal.clone(), Path(id.clone()))
        .await
    {
        Ok(axum::Json(record)) => {
            let view = serde_json::to_value(&record.view).unwrap_or_default();
            let consents = record
                .consents
                .as_ref()
                .map(|c| serde_json::to_value(c).unwrap_or_default());
            render(
                &v,
                &id,
                &view,
                !record.granted.is_empty(),
                consents.as_ref(),
            )
            .into_response()
        }
        Err(e) => v.fail(e).into_response(),
    }
}

/// A JSON value as a definition list (records are nested data; every field
/// shown as the record holds it, nothing invented).
fn fields(tr: Tr, value: &serde_json::Value) -> Markup {
    match value {
        serde_json::Value::Object(map) => html! {
            dl.facts {
                @for (k, v) in map {
                    @if !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()) {
                        dt { (tr.code("victim-field", k)) }
                        dd { (fields(tr, v)) }
                    }
                }
            }
        },
        serde_json::Value::Array(items) => html! {
            ul { @for i in items { li { (fields(tr, i)) } } }
        },
        serde_json::Value::String(s) => html! { (s) },
        other => html! { (other.to_string()) },
    }
}

fn render(
    v: &Viewer,
    id: &str,
    view: &serde_json::Value,
    personal: bool,
    consents: Option<&serde_json::Value>,
) -> Markup {
    let tr = v.tr;
    let body = html! {
        p.hint role="note" { (tr.t("victim-logged")) }
        section #record class=[personal.then_some("sealed")] {
            h2 { (tr.t(if personal { "victim-personal" } else { "victim-sealed" })) }
            (fields(tr, view))
        }
        @if let Some(consents) = consents {
            section #consents {
                h2 { (tr.t("victim-consents")) }
                @let list = consents.as_array().cloned().unwrap_or_default();
                @if list.is_empty() { p.empty { (tr.t("none")) } }
                @for c in &list {
                    article.consent {
                        (fields(tr, c))
                        @if c["withdrawal"].is_null() {
                            @if let Some(cid) = c["id"].as_str() {
                                form method="post" action={ "/victims/" (id) "/consents/" (cid) "/withdraw" } {
                                    (csrf(v))
                                    label for={ "w-" (cid) } { (tr.t("victim-withdraw-note")) }
                                    input id={ "w-" (cid) } name="note" maxlength="500";
                                    button type="submit" { (tr.t("victim-withdraw")) }
                                }
                            }
                        }
                    }
                }
                h3 { (tr.t("victim-new-consent")) }
                form.consent method="post" action={ "/victims/" (id) "/consents" } {
                    (csrf(v))
                    div.columns {
                        div {
                            label for="recipient" { (tr.t("victim-recipient")) }
                            select #recipient name="recipient_kind" {
                                @for r in RECIPIENTS { option value=(r) { (tr.code("agency", r)) } }
                            }
                            label for="purpose" { (tr.t("victim-purpose")) }
                            select #purpose name="purpose" {
                                @for p in PURPOSES { option value=(p) { (tr.code("purpose", p)) } }
                            }
                            label for="method" { (tr.t("victim-method")) }
                            select #method name="method" {
                                @for m in ["signed_form", "oral_with_witness", "legal_representative"] { option value=(m) { (tr.code("consent-method", m)) } }
                            }
                            label for="reference" { (tr.t("victim-reference")) }
                            input #reference name="reference" required maxlength="200";
                            label for="relation" { (tr.t("victim-relation")) }
                            input #relation name="relation" maxlength="100";
                        }
                        fieldset {
                            legend { (tr.t("victim-categories")) }
                            @for c in CATEGORIES {
                                label.fact { input type="checkbox" name={ "c:" (c) }; " " (tr.code("victim-field", c)) }
                            }
                        }
                    }
                    button type="submit" { (tr.t("victim-record-consent")) }
                }
            }
        }
    };
    layout::page(v, &tr.t("victim-title"), Section::Cases, body)
}

/// `POST /victims/{id}/consents`: records the person's consent through the
/// API (routing then sends what was waiting for it).
pub async fn consent(
    State(state): State<AppState>,
    Path(id): Path<String>,
    p: Posted<BTreeMap<String, String>>,
) -> Response {
    let v = &p.viewer;
    let f = &p.form;
    let get = |k: &str| f.get(k).map(|s| s.trim().to_owned()).unwrap_or_default();
    let categories: Vec<String> = f
        .keys()
        .filter_map(|k| k.strip_prefix("c:").map(str::to_owned))
        .collect();
    let method = match get("method").as_str() {
        "oral_with_witness" => {
            serde_json::json!({"method": "oral_with_witness", "witness": get("reference")})
        }
        "legal_representative" => serde_json::json!({"method": "legal_representative",
            "representative": get("reference"), "relation": get("relation"), "form_reference": null}),
        _ => serde_json::json!({"method": "signed_form", "form_reference": get("reference")}),
    };
    let body = serde_json::json!({
        "recipient_kind": get("recipient_kind"),
        "categories": categories,
        "purpose": get("purpose"),
        "method": method,
    });
    let result = async {
        let new = serde_json::from_value(body)
            .map_err(|e| ApiError::BadRequest(format!("the consent form: {e}")))?;
        qorgau_server::api::victims::add_consent(
            State(state),
            v.principal.clone(),
            Path(id.clone()),
            Body(new),
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/victims/{id}#consents")).into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

/// `POST /victims/{id}/consents/{consent}/withdraw`.
pub async fn withdraw(
    State(state): State<AppState>,
    Path((id, consent)): Path<(String, String)>,
    p: Posted<BTreeMap<String, String>>,
) -> Response {
    let v = &p.viewer;
    let note = p
        .form
        .get("note")
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    match qorgau_server::api::victims::withdraw_consent(
        State(state),
        v.principal.clone(),
        Path((id.clone(), consent)),
        Body(qorgau_server::api::victims::Withdraw { note }),
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/victims/{id}#consents")).into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}
