//! Background jobs over the API: checking every item of a case in the
//! work queue, and where a job stands.
//!
//! A job is visible to the person who asked for it and, when it works on
//! a case, to whoever may see that case's evidence; to anyone else it
//! does not exist (404), so job ids reveal nothing about other cases.

use axum::Json;
use axum::extract::{Path, State};
use qorgau_store::{ItemFilter, NewJob, WorkJob};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::cases::load;
use crate::api::evidence::require_evidence;
use crate::api::parse_id;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// A job as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobView {
    /// Id.
    pub id: String,
    /// What it does (`verify-item`, `capture`, …).
    pub kind: String,
    /// `queued`, `running`, `done` or `dead` (failed for good).
    pub state: String,
    /// The case it works on.
    pub case_id: Option<String>,
    /// Who asked.
    pub submitted_by: String,
    /// When (UTC).
    pub submitted_at: String,
    /// Attempts so far.
    pub attempts: i64,
    /// The last line of progress.
    pub progress: String,
    /// What it produced, when done.
    #[schema(value_type = Option<Object>)]
    pub result: Option<serde_json::Value>,
    /// The last attempt's error.
    pub last_error: Option<String>,
    /// When it ended (UTC).
    pub finished_at: Option<String>,
}

impl JobView {
    fn of(job: WorkJob) -> Self {
        Self {
            id: job.id.to_string(),
            kind: job.kind,
            state: job.state.as_str().to_owned(),
            case_id: job.case_id.map(|c| c.to_string()),
            submitted_by: job.submitted_by,
            submitted_at: job.submitted_at.to_utc_string(),
            attempts: job.attempts,
            progress: job.progress,
            result: job.result,
            last_error: job.last_error,
            finished_at: job.finished_at.map(|t| t.to_utc_string()),
        }
    }
}

/// The jobs queued.
#[derive(Debug, Serialize, ToSchema)]
pub struct Queued {
    /// One job per item, in the order of the items.
    pub jobs: Vec<String>,
}

/// Queues a check of every item of the case (re-hash, and the ledger
/// vouching for the record), one `verify-item` job per item; each check
/// is a `verified` entry on its item, written with the job's end.
#[utoipa::path(post, path = "/api/cases/{id}/evidence/verify", tag = "evidence",
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 202, description = "The jobs queued", body = Queued),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No access to evidence", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
    ))]
pub async fn verify_case(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<(axum::http::StatusCode, Json<Queued>), ApiError> {
    let loaded = load(&state, &principal, &id).await?;
    require_evidence(&loaded)?;
    let items = state
        .vault
        .store
        .items(&ItemFilter {
            case_id: Some(loaded.case.case.id),
            ..ItemFilter::default()
        })
        .await?;
    let mut jobs = Vec::with_capacity(items.len());
    for item in &items {
        let mut job = NewJob::new(
            "verify-item",
            serde_json::json!({ "item": item.id.to_string() }),
            &principal.user.username,
        );
        job.case_id = Some(loaded.case.case.id);
        if let Some(id) = state.vault.store.submit_job(&job).await? {
            jobs.push(id.to_string());
        }
    }
    Ok((axum::http::StatusCode::ACCEPTED, Json(Queued { jobs })))
}

/// Where a job stands.
#[utoipa::path(get, path = "/api/jobs/{id}", tag = "jobs",
    params(("id" = String, Path, description = "Job id")),
    responses(
        (status = 200, description = "The job", body = JobView),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such job, or not the caller's to see", body = ErrorBody),
    ))]
pub async fn one(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<JobView>, ApiError> {
    let missing = || ApiError::NotFound("no such job".into());
    let job = state
        .vault
        .store
        .work_job(parse_id(&id)?)
        .await?
        .ok_or_else(missing)?;
    if job.submitted_by != principal.user.username {
        let case = job.case_id.ok_or_else(missing)?;
        let loaded = load(&state, &principal, &case.to_string())
            .await
            .map_err(|_| missing())?;
        require_evidence(&loaded).map_err(|_| missing())?;
    }
    Ok(Json(JobView::of(job)))
}
