//! Preserving a page from the case: the investigator gives the address, the
//! capture runs in the background ([`crate::jobs`]), and its page shows the
//! progress until the capture is stored in the case's evidence, hashed and
//! entered in the ledger under the investigator's name.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, PreEscaped, html};
use qorgau_response::Permission;
use qorgau_routing::Scope;
use qorgau_server::{ApiError, AppState};
use serde::Deserialize;

use crate::Services;
use crate::jobs::{Job, JobState, Task};
use crate::layout::{self, Section, csrf};
use crate::text::Tr;
use crate::viewer::{Posted, Viewer};

/// The case's vault name, when the viewer may preserve evidence in it: the
/// owning agency, with the evidence scope and the right to change cases.
async fn capturable(state: &AppState, v: &Viewer, id: &str) -> Result<String, ApiError> {
    let loaded = qorgau_server::api::cases::load(state, &v.principal, id).await?;
    v.principal.require(Permission::EditCases)?;
    if !(loaded.access.owner && loaded.access.sees(Scope::Evidence)) {
        return Err(ApiError::Forbidden(
            "only the owning agency preserves evidence into a case".into(),
        ));
    }
    Ok(loaded.case.case.name.to_string())
}

/// The protocol and package forms on the case page.
pub fn exports(v: &Viewer, case: &str) -> Markup {
    let tr = v.tr;
    html! {
        section #exports {
            h2 { (tr.t("exports-title")) }
            form.inline method="post" action={ "/cases/" (case) "/exports" } {
                (csrf(v))
                input type="hidden" name="kind" value="protocol";
                label for="protocol-lang" { (tr.t("exports-protocol-lang")) }
                select #protocol-lang name="lang" {
                    @for l in ["ru", "kk", "en"] { option value=(l) selected[l == tr.lang.code()] { (l) } }
                }
                button type="submit" { (tr.t("exports-protocol")) }
            }
            form.inline method="post" action={ "/cases/" (case) "/exports" } {
                (csrf(v))
                input type="hidden" name="kind" value="wacz";
                button type="submit" { (tr.t("exports-wacz")) }
            }
            p.hint { (tr.t("exports-hint")) }
        }
    }
}

/// The export form's fields.
#[derive(Debug, Deserialize)]
pub struct Export {
    kind: String,
    #[serde(default)]
    lang: String,
}

/// `POST /cases/{id}/exports`: the protocol of inspection (PDF) or a WACZ
/// package of the case's captures, written in the background.
pub async fn export(
    State(state): State<AppState>,
    Extension(services): Extension<Arc<Services>>,
    Path(id): Path<String>,
    p: Posted<Export>,
) -> Response {
    let v = &p.viewer;
    let result = async {
        let name = capturable(&state, v, &id).await?;
        let task = match p.form.kind.as_str() {
            "protocol" if matches!(p.form.lang.as_str(), "ru" | "kk" | "en") => Task::Protocol {
                lang: p.form.lang.clone(),
            },
            "wacz" => Task::Wacz,
            other => {
                return Err(ApiError::BadRequest(format!(
                    "export {other:?} (language {:?}): protocol in ru, kk or en, or wacz",
                    p.form.lang
                )));
            }
        };
        let worker = services
            .worker
            .as_ref()
            .ok_or_else(|| ApiError::Conflict("this server was started without a worker".into()))?;
        Ok(services
            .jobs
            .start(worker, &v.principal.user.username, &id, &name, &task))
    }
    .await;
    match result {
        Ok(job) => Redirect::to(&format!("/cases/{id}/jobs/{job}")).into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

/// `GET /cases/{id}/jobs/{job}/file`: the protocol or package a finished
/// job wrote (its hash is in the case's ledger, written by the command).
pub async fn file(
    State(state): State<AppState>,
    Extension(services): Extension<Arc<Services>>,
    v: Viewer,
    Path((id, job)): Path<(String, String)>,
) -> Response {
    let result = async {
        capturable(&state, &v, &id).await?;
        let job_id = qorgau_server::api::parse_id(&job)?;
        let job = services
            .jobs
            .get(job_id)
            .filter(|j| j.case_id == id && matches!(j.state, JobState::Done(_)))
            .ok_or_else(|| ApiError::NotFound("no finished job with a file in this case".into()))?;
        let path = job
            .file
            .ok_or_else(|| ApiError::NotFound("this job wrote no file".into()))?;
        let bytes = tokio::fs::read(&path)
            .await
            .map_err(|e| ApiError::Internal(format!("{}: {e}", path.display())))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "export".into());
        let kind = if name.ends_with(".pdf") {
            "application/pdf"
        } else {
            "application/zip"
        };
        Ok::<_, ApiError>((
            [
                (axum::http::header::CONTENT_TYPE, kind.to_owned()),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            bytes,
        ))
    }
    .await;
    match result {
        Ok(r) => r.into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

/// The capture form on the case page.
pub fn form(v: &Viewer, case: &str, jobs: &[Job]) -> Markup {
    let tr = v.tr;
    html! {
        section #capture {
            h2 { (tr.t("capture-title")) }
            form method="post" action={ "/cases/" (case) "/capture" } {
                (csrf(v))
                label for="capture-url" { (tr.t("capture-url")) }
                input #capture-url name="url" type="url" required placeholder="https://";
                label for="capture-note" { (tr.t("capture-note")) }
                input #capture-note name="note" maxlength="500";
                button type="submit" { (tr.t("capture-submit")) }
            }
            @if !jobs.is_empty() {
                ul.jobs {
                    @for j in jobs {
                        li { a href={ "/cases/" (case) "/jobs/" (j.id) } { (state_label(tr, &j.state)) } " " code { (j.what) } }
                    }
                }
            }
        }
    }
}

fn state_label(tr: Tr, s: &JobState) -> String {
    tr.t(match s {
        JobState::Running => "job-running",
        JobState::Done(_) => "job-done",
        JobState::Failed(_) => "job-failed",
    })
}

/// The capture form's fields.
#[derive(Debug, Deserialize)]
pub struct Asked {
    url: String,
    #[serde(default)]
    note: String,
}

/// `POST /cases/{id}/capture`.
pub async fn start(
    State(state): State<AppState>,
    Extension(services): Extension<Arc<Services>>,
    Path(id): Path<String>,
    p: Posted<Asked>,
) -> Response {
    let v = &p.viewer;
    let result = async {
        let name = capturable(&state, v, &id).await?;
        let url = p.form.url.trim();
        if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() > 4096 {
            return Err(ApiError::BadRequest(format!(
                "{url:?}: give the full address of the page, starting with http:// or https://"
            )));
        }
        let worker = services.worker.as_ref().ok_or_else(|| {
            ApiError::Conflict("this server was started without a capture worker".into())
        })?;
        Ok(services.jobs.start(
            worker,
            &v.principal.user.username,
            &id,
            &name,
            &Task::Capture {
                url: url.to_owned(),
                note: p.form.note.clone(),
            },
        ))
    }
    .await;
    match result {
        Ok(job) => Redirect::to(&format!("/cases/{id}/jobs/{job}")).into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

/// `GET /cases/{id}/jobs/{job}`: the job's progress; the page reloads
/// itself every two seconds while the job runs (no script needed).
pub async fn show(
    State(state): State<AppState>,
    Extension(services): Extension<Arc<Services>>,
    v: Viewer,
    Path((id, job)): Path<(String, String)>,
) -> Response {
    let tr = v.tr;
    let result = async {
        capturable(&state, &v, &id).await?;
        let job_id = qorgau_server::api::parse_id(&job)?;
        services
            .jobs
            .get(job_id)
            .filter(|j| j.case_id == id)
            .ok_or_else(|| ApiError::NotFound("no such job in this case".into()))
    }
    .await;
    let job = match result {
        Ok(j) => j,
        Err(e) => return v.fail(e).into_response(),
    };
    let body = html! {
        @if job.state == JobState::Running {
            (PreEscaped(r#"<meta http-equiv="refresh" content="2">"#))
        }
        section #job {
            p { code { (job.what) } }
            p role="status" { strong { (state_label(tr, &job.state)) } " · " (tr.time(&job.started_at.to_utc_string())) }
            @match &job.state {
                JobState::Running => {
                    progress aria-label=(tr.t("job-running")) {}
                    @if !job.progress.is_empty() { p.meta { (job.progress) } }
                }
                JobState::Done(_) if job.file.is_some() => {
                    p { a.button href={ "/cases/" (id) "/jobs/" (job.id) "/file" } download { (tr.t("job-download")) } }
                }
                JobState::Done(lines) => {
                    table.captures {
                        thead { tr { th { (tr.t("capture-final-url")) } th { "HTTP" } th { (tr.t("capture-items")) } th { (tr.t("capture-manifest")) } } }
                        tbody {
                            @for l in lines {
                                tr {
                                    td { code { (l["final_url"].as_str().unwrap_or_default()) } }
                                    td { (l["http_status"].as_u64().map(|s| s.to_string()).unwrap_or_default()) }
                                    td.num { (l["items"].as_u64().unwrap_or(0)) }
                                    td { code.hash { (l["manifest_sha256"].as_str().unwrap_or_default()) } }
                                }
                                @if let Some(p) = l["partial"].as_str() { tr.overdue { td colspan="4" { (tr.t("capture-partial")) ": " (p) } } }
                            }
                        }
                    }
                }
                JobState::Failed(words) => p.problem role="alert" { (words) },
            }
            p { a href={ "/cases/" (id) "#evidence" } { "← " (tr.t("evidence-back")) } }
        }
    };
    layout::page(&v, &tr.t("job-title"), Section::Cases, body).into_response()
}
