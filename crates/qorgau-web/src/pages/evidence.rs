//! One evidence item: what it is (file, type, size, both digests, when and
//! by whom acquired, both clocks), what it says about itself (metadata),
//! its custody from acquisition on, and its verification — the last check
//! and a button to re-hash it now, itself recorded in the ledger.
//!
//! Images are shown inline through the API's content endpoint, so each
//! showing is a `viewed` entry like any download; other content (a captured
//! page is hostile HTML) is only offered for download, never rendered in
//! the server's origin.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use qorgau_server::api::evidence::{CustodyEntry, ItemCustody};
use qorgau_server::{ApiError, AppState};
use serde::Deserialize;

use crate::layout::{self, Section, csrf};
use crate::text::Tr;
use crate::viewer::{Posted, Viewer};

/// `GET /cases/{id}/evidence/{item}`.
pub async fn page(
    State(state): State<AppState>,
    v: Viewer,
    Path((id, item)): Path<(String, String)>,
) -> Response {
    match qorgau_server::api::evidence::custody(
        State(state),
        v.principal.clone(),
        Path((id.clone(), item)),
    )
    .await
    {
        Ok(axum::Json(c)) => render(&v, &id, &c).into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

fn render(v: &Viewer, case: &str, c: &ItemCustody) -> Markup {
    let tr = v.tr;
    let i = &c.item;
    let content = format!("/api/cases/{case}/evidence/{}", i.id);
    let last_check = c.custody.iter().rev().find(|e| e.kind == "verified");
    let body = html! {
        p { a href={ "/cases/" (case) "#evidence" } { "← " (tr.t("evidence-back")) } }
        div.columns {
            div {
                section #item {
                    h2 { (tr.t("evidence-item")) }
                    dl.facts {
                        dt { (tr.t("evidence-file")) } dd { code { (i.relative_path) } }
                        dt { (tr.t("evidence-type")) } dd { (i.media_type) }
                        dt { (tr.t("evidence-size")) } dd { (i.size) }
                        dt { "SHA-256" } dd { code.hash { (i.sha256) } }
                        dt { "MD5" } dd { code.hash { (i.md5) } }
                        dt { (tr.t("evidence-acquired")) } dd { (tr.time_both(&i.acquired_at)) }
                        @if let Some(n) = &i.note { dt { (tr.t("evidence-note")) } dd { (n) } }
                    }
                    p { a.button href=(content) download { (tr.t("evidence-download")) } }
                }
                section #verification {
                    h2 { (tr.t("evidence-verification")) }
                    @match last_check {
                        Some(e) => (verification(tr, e)),
                        None => p.empty { (tr.t("evidence-never-checked")) },
                    }
                    form method="post" action={ "/cases/" (case) "/evidence/" (i.id) "/verify" } {
                        (csrf(v))
                        button type="submit" { (tr.t("evidence-verify-now")) }
                    }
                }
                @if let Some(m) = &c.metadata { (metadata(tr, m)) }
            }
            div {
                @if i.media_type.starts_with("image/") {
                    section #preview {
                        h2 { (tr.t("evidence-preview")) }
                        img.preview src=(content) alt=(i.file_name) loading="lazy";
                        p.hint { (tr.t("evidence-preview-logged")) }
                    }
                }
                section #custody {
                    h2 { (tr.t("evidence-custody")) }
                    ol.timeline {
                        @for e in &c.custody {
                            li {
                                (tr.time_both(&e.at)) " "
                                span.tag { (tr.code("event", &e.kind)) } " "
                                (e.actor) " · " span.meta { (e.tool) }
                                br; code.hash title=(tr.t("evidence-entry-hash")) { (e.entry_hash) }
                            }
                        }
                    }
                }
            }
        }
    };
    layout::page(v, &i.file_name, Section::Cases, body)
}

fn verification(tr: Tr, e: &CustodyEntry) -> Markup {
    let ok = e.details.get("ok").and_then(serde_json::Value::as_bool) == Some(true);
    html! {
        p class=(if ok { "verified ok" } else { "verified failed" }) role="status" {
            strong { (tr.t(if ok { "evidence-intact" } else { "evidence-altered" })) }
            " · " (tr.time_both(&e.at)) " · " (e.actor)
        }
    }
}

fn metadata(tr: Tr, m: &serde_json::Value) -> Markup {
    let Some(map) = m.as_object() else {
        return html! {};
    };
    html! {
        section #metadata {
            h2 { (tr.t("evidence-metadata")) }
            table {
                tbody {
                    @for (k, v) in map {
                        @if !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()) && v.as_object().is_none_or(|o| !o.is_empty()) {
                            tr {
                                th { (k) }
                                td { @match v.as_str() { Some(s) => (s), None => code { (v.to_string()) } } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The verify button's form (only its token).
#[derive(Debug, Deserialize)]
pub struct Check {}

/// `POST /cases/{id}/evidence/{item}/verify`: re-hash now; the result is a
/// `verified` entry, shown on the page it returns to.
pub async fn verify(
    State(state): State<AppState>,
    Path((id, item)): Path<(String, String)>,
    p: Posted<Check>,
) -> Response {
    let result: Result<_, ApiError> = qorgau_server::api::evidence::verify(
        State(state),
        p.viewer.principal.clone(),
        Path((id.clone(), item.clone())),
    )
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/cases/{id}/evidence/{item}#verification")).into_response(),
        Err(e) => p.viewer.fail(e).into_response(),
    }
}
