//! An image's authenticity signals for the examiner: each observation with
//! what it may mean and what it cannot show, the JPEG quantisation tables,
//! the error-level image, the vault's earliest copy of the same picture,
//! and the conclusions examiners recorded — with the form to record one.
//!
//! Nothing here is a verdict: the page never says "fake" or "genuine",
//! and only a person's conclusion goes into the custody ledger (study
//! section 3.3: metadata analysis with visual artefacts and the search for
//! the first source, for an expert to weigh).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use qorgau_response::Permission;
use qorgau_server::api::authenticity::{AuthenticityView, ConclusionInput};
use qorgau_server::{ApiError, AppState};
use serde::Deserialize;

use crate::layout::{self, Section, csrf};
use crate::viewer::{Posted, Viewer};

/// `GET /cases/{id}/evidence/{item}/authenticity`.
pub async fn page(
    State(state): State<AppState>,
    v: Viewer,
    Path((id, item)): Path<(String, String)>,
) -> Response {
    match qorgau_server::api::authenticity::authenticity(
        State(state),
        v.principal.clone(),
        Path((id.clone(), item.clone())),
    )
    .await
    {
        Ok(axum::Json(view)) => render(&v, &id, &item, &view).into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

fn render(v: &Viewer, case: &str, item: &str, a: &AuthenticityView) -> Markup {
    let tr = v.tr;
    let ex = &a.examination;
    let back = format!("/cases/{case}/evidence/{item}");
    let body = html! {
        p { a href=(back) { "← " (tr.t("authenticity-back")) } }
        p.hint role="note" { (tr.t("authenticity-not-a-verdict")) }
        div.columns {
            div {
                section #signals {
                    h2 { (tr.t("authenticity-signals")) }
                    @if ex.signals.is_empty() { p.empty { (tr.t("authenticity-no-signals")) } }
                    @for s in &ex.signals {
                        article.signal {
                            h3 {
                                span class={ "tag " (if s.level == qorgau_media::authenticity::Level::WorthExamining { "warning" } else { "" }) } {
                                    (tr.code("authenticity-level", level_name(s.level)))
                                }
                                " " code { (s.kind) }
                            }
                            p { strong { (tr.t("authenticity-observed")) ": " } (s.observed) }
                            p { strong { (tr.t("authenticity-may-mean")) ": " } (s.may_mean) }
                            p { strong { (tr.t("authenticity-cannot-show")) ": " } (s.cannot_show) }
                        }
                    }
                    @if !ex.notes.is_empty() {
                        h3 { (tr.t("authenticity-notes")) }
                        ul { @for n in &ex.notes { li { (n) } } }
                    }
                    p.meta { (tr.t("authenticity-method")) " " code { (ex.method) } }
                }
                @if let Some(q) = &ex.quantisation {
                    section #quantisation {
                        h2 { (tr.t("authenticity-quantisation")) }
                        p {
                            @match q.nearest_ijg_quality {
                                Some(quality) => { (tr.t("authenticity-nearest-quality")) " " strong { (quality) } }
                                None => (tr.t("authenticity-no-quality")),
                            }
                            " · " (tr.t(if q.standard_ijg { "authenticity-standard-tables" } else { "authenticity-custom-tables" }))
                        }
                        @for t in &q.tables {
                            details {
                                summary { (tr.t("authenticity-table")) " " (t.id) }
                                pre.table { @for row in t.values.chunks(8) {
                                    (row.iter().map(|v| format!("{v:>4}")).collect::<String>()) "\n"
                                } }
                            }
                        }
                    }
                }
            }
            div {
                @if a.error_level_image {
                    section #error-level {
                        h2 { (tr.t("authenticity-error-level")) }
                        img.preview src={ "/api/cases/" (case) "/evidence/" (item) "/authenticity/error-level.png" }
                            alt=(tr.t("authenticity-error-level")) loading="lazy";
                        p.hint { (tr.t("authenticity-error-level-hint")) }
                    }
                }
                section #first-source {
                    h2 { (tr.t("authenticity-first-source")) }
                    @match &a.first_source {
                        None => p.empty { (tr.t("none")) },
                        Some(f) if f.this_item => p { (tr.t("authenticity-first-is-this")) " (" (f.copies) ")" },
                        Some(f) => dl.facts {
                            dt { (tr.t("authenticity-first-acquired")) } dd { (tr.time_both(&f.acquired_at)) }
                            dt { (tr.t("authenticity-first-kind")) } dd {
                                @if f.same_content { (tr.t("authenticity-same-bytes")) }
                                @else { (tr.t("authenticity-near-copy")) @if let Some(d) = f.distance { " (" (d) ")" } }
                            }
                            @match (&f.case, &f.item) {
                                (Some(c), Some(i)) => {
                                    dt { (tr.t("authenticity-first-item")) }
                                    dd { a href={ "/cases/" (c) "/evidence/" (i) } { (i) } }
                                }
                                _ => { dt { (tr.t("authenticity-first-item")) } dd.meta { (tr.t("authenticity-first-hidden")) } }
                            }
                            @if let Some(u) = &f.captured_from {
                                dt { (tr.t("authenticity-captured-from")) } dd { code.copy { (u) } }
                            }
                            dt { (tr.t("authenticity-copies")) } dd { (f.copies) }
                        },
                    }
                }
                section #conclusions {
                    h2 { (tr.t("authenticity-conclusions")) }
                    @if a.conclusions.is_empty() { p.empty { (tr.t("none")) } }
                    ol.timeline { @for c in &a.conclusions {
                        li { (tr.time_both(&c.at)) " · " (c.by) " · " span.meta { (c.method) } br; (c.conclusion) }
                    } }
                    @if v.principal.user.may(Permission::EditCases) {
                        form method="post" action={ "/cases/" (case) "/evidence/" (item) "/authenticity" } {
                            (csrf(v))
                            label for="conclusion" { (tr.t("authenticity-conclusion")) }
                            textarea #conclusion name="conclusion" rows="4" required {}
                            button type="submit" { (tr.t("authenticity-record")) }
                        }
                        p.hint { (tr.t("authenticity-record-hint")) }
                    }
                }
            }
        }
    };
    layout::page(v, &tr.t("authenticity-title"), Section::Cases, body)
}

fn level_name(level: qorgau_media::authenticity::Level) -> &'static str {
    match level {
        qorgau_media::authenticity::Level::WorthExamining => "worth-examining",
        qorgau_media::authenticity::Level::Note => "note",
    }
}

/// The conclusion form.
#[derive(Debug, Deserialize)]
pub struct Conclude {
    conclusion: String,
}

/// `POST /cases/{id}/evidence/{item}/authenticity`: records the
/// examiner's conclusion through the API (an `examined` entry).
pub async fn conclude(
    State(state): State<AppState>,
    Path((id, item)): Path<(String, String)>,
    p: Posted<Conclude>,
) -> Response {
    let result: Result<_, ApiError> = qorgau_server::api::authenticity::conclude(
        State(state),
        p.viewer.principal.clone(),
        Path((id.clone(), item.clone())),
        qorgau_server::json::Body(ConclusionInput {
            conclusion: p.form.conclusion.clone(),
        }),
    )
    .await;
    match result {
        Ok(_) => Redirect::to(&format!(
            "/cases/{id}/evidence/{item}/authenticity#conclusions"
        ))
        .into_response(),
        Err(e) => p.viewer.fail(e).into_response(),
    }
}
