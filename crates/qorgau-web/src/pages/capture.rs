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

/// The protocol and package forms on the case page. When the case holds
/// items marked as suspected child sexual abuse material (`restricted`),
/// each form asks for the authorisation that lets them leave the vault,
/// and only roles allowed to view them get the forms at all.
pub fn exports(v: &Viewer, case: &str, restricted: usize) -> Markup {
    let tr = v.tr;
    if restricted > 0 && !v.principal.user.may(Permission::ViewRestrictedMaterial) {
        return html! {
            section #exports {
                h2 { (tr.t("exports-title")) }
                p.warning { (tr.t("exports-restricted-not-yours")) }
            }
        };
    }
    let authorisation = |id: &str| {
        html! {
            @if restricted > 0 {
                label for=(id) { (tr.t("exports-authorisation")) }
                input id=(id) type="text" name="authorisation" required;
            }
        }
    };
    html! {
        section #exports {
            h2 { (tr.t("exports-title")) }
            @if restricted > 0 {
                p.warning role="alert" { (tr.t("exports-restricted")) " (" (restricted) ")" }
            }
            form.inline method="post" action={ "/cases/" (case) "/exports" } {
                (csrf(v))
                input type="hidden" name="kind" value="protocol";
                label for="protocol-lang" { (tr.t("exports-protocol-lang")) }
                select #protocol-lang name="lang" {
                    @for l in ["ru", "kk", "en"] { option value=(l) selected[l == tr.lang.code()] { (l) } }
                }
                (authorisation("authorisation-protocol"))
                button type="submit" { (tr.t("exports-protocol")) }
            }
            form.inline method="post" action={ "/cases/" (case) "/exports" } {
                (csrf(v))
                input type="hidden" name="kind" value="wacz";
                (authorisation("authorisation-wacz"))
                button type="submit" { (tr.t("exports-wacz")) }
            }
            form.inline method="post" action={ "/cases/" (case) "/exports" } {
                (csrf(v))
                input type="hidden" name="kind" value="bagit";
                (authorisation("authorisation-bagit"))
                button type="submit" { (tr.t("exports-bagit")) }
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
    /// The reference of the decision that lets marked content leave.
    #[serde(default)]
    authorisation: String,
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
        let authorisation = restricted_release(&state, v, case_id, &p.form.authorisation).await?;
        let task = match p.form.kind.as_str() {
            "protocol" if matches!(p.form.lang.as_str(), "ru" | "kk" | "en") => Task::Protocol {
                lang: p.form.lang.clone(),
                authorisation,
            },
            "wacz" => Task::Wacz { authorisation },
            "bagit" => Task::Bagit { authorisation },
            other => {
                return Err(ApiError::BadRequest(format!(
                    "export {other:?} (language {:?}): protocol in ru, kk or en, wacz or bagit",
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

/// The authorisation an export of the case needs: none when it holds no
/// marked item; otherwise the viewer must be allowed to view such material
/// and name the decision (the export command records it in the ledger).
async fn restricted_release(
    state: &AppState,
    v: &Viewer,
    case_id: qorgau_core::Id,
    given: &str,
) -> Result<Option<String>, ApiError> {
    let marked = state.vault.store.restricted_items(case_id).await?.len();
    if marked == 0 {
        return Ok(None);
    }
    v.principal.require(Permission::ViewRestrictedMaterial)?;
    let given = given.trim();
    if given.is_empty() {
        return Err(ApiError::BadRequest(format!(
            "the case holds {marked} item(s) marked as suspected child sexual abuse material: \
             an export needs the reference of the decision that authorises it"
        )));
    }
    Ok(Some(given.to_owned()))
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
        // An export may carry marked material: while the case holds any,
        // its files go only to those allowed to view it.
        if !state
            .vault
            .store
            .restricted_items(case_id)
            .await?
            .is_empty()
        {
            v.principal.require(Permission::ViewRestrictedMaterial)?;
        }
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
                        li { a href={ "/cases/" (case) "/jobs/" (j.id) } { (state_label(tr, &j.kind, &j.state)) } " " code { (j.what) } }
                    }
                }
            }
        }
    }
}

/// Where a job stands in words; a capture says what it does, other jobs
/// (protocol, packages, imports, scans) say it plainly.
fn state_label(tr: Tr, kind: &str, s: &JobState) -> String {
    let capture = kind == "capture";
    tr.t(match s {
        JobState::Queued => "job-queued",
        JobState::Running if capture => "job-running",
        JobState::Running => "job-working",
        JobState::Done(_) if capture => "job-done",
        JobState::Done(_) => "job-finished",
        JobState::Failed(_) if capture => "job-failed",
        JobState::Failed(_) => "job-failed-other",
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
        // An export may carry marked material: while the case holds any,
        // its files go only to those allowed to view it.
        if !state
            .vault
            .store
            .restricted_items(case_id)
            .await?
            .is_empty()
        {
            v.principal.require(Permission::ViewRestrictedMaterial)?;
        }
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
            p role="status" { strong { (state_label(tr, &job.kind, &job.state)) } " · " (tr.time(&job.started_at.to_utc_string())) }
            @match &job.state {
                JobState::Queued => {
                    progress aria-label=(tr.t("job-queued")) {}
                    @if let Some(e) = &job.last_error { p.problem { (tr.t("job-retrying")) ": " (e) } }
                    @if idle { p.problem role="alert" { (tr.t("job-no-worker")) } }
                }
                JobState::Running => { (progress_bar(tr, &job.progress)) }
                JobState::Done(_) if job.file.is_some() => {
                    @if let Some(c) = &job.scanned {
                        p role="status" {
                            (c["documents"].as_u64().unwrap_or(0)) " " (tr.t("job-documents")) " · "
                            (tr.t("job-flagged")) ": " (c["flagged"].as_u64().unwrap_or(0))
                        }
                    }
                    p { a.button href={ "/cases/" (id) "/jobs/" (job.id) "/file" } download { (tr.t("job-download")) } }
                }
                JobState::Done(lines) if job.kind == "money-import" => {
                    @for l in lines {
                        dl.facts {
                            dt { (tr.t("import-file")) } dd { (l["file"].as_str().unwrap_or_default()) }
                            dt { "SHA-256" } dd { code.hash { (l["sha256"].as_str().unwrap_or_default()) } }
                            dt { (tr.t("job-rows")) } dd { (l["rows"].as_u64().unwrap_or(0)) }
                            dt { (tr.t("job-rows-new")) } dd { (l["new"].as_u64().unwrap_or(0)) }
                            dt { (tr.t("job-row-errors")) } dd { (l["row_errors"].as_u64().unwrap_or(0)) }
                        }
                        @if let Some(errors) = l["errors"].as_array().filter(|e| !e.is_empty()) {
                            ul.problem {
                                @for e in errors {
                                    li { (tr.t("job-line")) " " (e["line"].as_u64().unwrap_or(0)) ": " (e["message"].as_str().unwrap_or_default()) }
                                }
                            }
                        }
                    }
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

/// The running job's bar: filled to what the command reported when it knows
/// its total (an import's bytes), else moving with the count (a scan's
/// documents) or the address a capture is at.
fn progress_bar(tr: Tr, line: &str) -> Markup {
    let amount = |n: u64, unit: &str| match unit {
        #[allow(clippy::cast_precision_loss)] // shown to one decimal
        "bytes" => format!("{:.1} MB", n as f64 / 1e6),
        "documents" => format!("{n} {}", tr.t("job-documents")),
        other => format!("{n} {other}"),
    };
    match crate::jobs::progress_of(line) {
        Some(p) if p.total.is_some_and(|t| t > 0) => {
            let total = p.total.unwrap_or(1);
            let percent = p.done.min(total) * 100 / total;
            html! {
                progress value=(p.done.min(total)) max=(total) aria-label=(tr.t("job-running")) { (percent) " %" }
                p.meta { (percent) " % · " (amount(p.done, p.unit)) " / " (amount(total, p.unit)) }
            }
        }
        Some(p) => html! {
            progress aria-label=(tr.t("job-running")) {}
            p.meta { (amount(p.done, p.unit)) }
        },
        None => html! {
            progress aria-label=(tr.t("job-running")) {}
            @if !line.is_empty() { p.meta { (line) } }
        },
    }
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
