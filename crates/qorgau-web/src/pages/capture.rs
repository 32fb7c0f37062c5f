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
use crate::jobs::{self, Job, JobState, Task};
use crate::layout::{self, Section, csrf};
use crate::text::Tr;
use crate::viewer::{Posted, Viewer};

/// The case's vault name, when the viewer may preserve evidence in it: the
/// owning agency, with the evidence scope and the right to change cases.
async fn capturable(
    state: &AppState,
    v: &Viewer,
    id: &str,
) -> Result<(qorgau_core::Id, String), ApiError> {
    let loaded = qorgau_server::api::cases::load(state, &v.principal, id).await?;
    v.principal.require(Permission::EditCases)?;
    if !(loaded.access.owner && loaded.access.sees(Scope::Evidence)) {
        return Err(ApiError::Forbidden(
            "only the owning agency preserves evidence into a case".into(),
        ));
    }
    Ok((loaded.case.case.id, loaded.case.case.name.to_string()))
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
    Path(id): Path<String>,
    p: Posted<Export>,
) -> Response {
    let v = &p.viewer;
    let result = async {
        let (case_id, name) = capturable(&state, v, &id).await?;
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
        Ok(jobs::start(
            &state.vault.store,
            &v.principal.user.username,
            case_id,
            &name,
            &task,
        )
        .await?)
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
        let (case_id, _) = capturable(&state, &v, &id).await?;
        let job = job_of_case(&state, &services, &job, case_id)
            .await?
            .filter(|j| matches!(j.state, JobState::Done(_)))
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
        JobState::Queued => "job-queued",
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
    Path(id): Path<String>,
    p: Posted<Asked>,
) -> Response {
    let v = &p.viewer;
    let result = async {
        let (case_id, name) = capturable(&state, v, &id).await?;
        let url = p.form.url.trim();
        if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() > 4096 {
            return Err(ApiError::BadRequest(format!(
                "{url:?}: give the full address of the page, starting with http:// or https://"
            )));
        }
        Ok(jobs::start(
            &state.vault.store,
            &v.principal.user.username,
            case_id,
            &name,
            &Task::Capture {
                url: url.to_owned(),
                note: p.form.note.clone(),
            },
        )
        .await?)
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
        let (case_id, _) = capturable(&state, &v, &id).await?;
        let job = job_of_case(&state, &services, &job, case_id)
            .await?
            .ok_or_else(|| ApiError::NotFound("no such job in this case".into()))?;
        let idle = job.state == JobState::Queued
            && state
                .vault
                .store
                .live_workers(120_000)
                .await
                .map_err(ApiError::from)?
                .is_empty();
        Ok::<_, ApiError>((job, idle))
    }
    .await;
    let (job, idle) = match result {
        Ok(j) => j,
        Err(e) => return v.fail(e).into_response(),
    };
    let body = html! {
        @if job.state.is_open() {
            (PreEscaped(r#"<meta http-equiv="refresh" content="2">"#))
        }
        section #job {
            p { code { (job.what) } }
            p role="status" { strong { (state_label(tr, &job.state)) } " · " (tr.time(&job.started_at.to_utc_string())) }
            @match &job.state {
                JobState::Queued => {
                    progress aria-label=(tr.t("job-queued")) {}
                    @if let Some(e) = &job.last_error { p.problem { (tr.t("job-retrying")) ": " (e) } }
                    @if idle { p.problem role="alert" { (tr.t("job-no-worker")) } }
                }
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

/// The job `job` (an id from the address) when it belongs to the case.
async fn job_of_case(
    state: &AppState,
    services: &Services,
    job: &str,
    case_id: qorgau_core::Id,
) -> Result<Option<Job>, ApiError> {
    let job_id = qorgau_server::api::parse_id(job)?;
    Ok(state
        .vault
        .store
        .work_job(job_id)
        .await?
        .filter(|j| j.case_id == Some(case_id))
        .map(|j| Job::of(j, &services.exports_dir)))
}
