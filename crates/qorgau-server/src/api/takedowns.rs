//! Blocking and takedown requests: preserve before blocking.
//!
//! A request is refused until the resource has a capture in the case whose
//! files re-hash to what the vault recorded, checked at the moment the
//! request is opened (study 2.3.2, 5.3: fix the content before it is gone).
//! Each request then tracks its legal basis, platform, the platform's reply
//! deadline and replies; the SLA report gives response times and compliance
//! per platform for the agency's requests.

use std::sync::OnceLock;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use qorgau_casework::takedown::{
    CaptureProof, NewTakedown, PlatformSlaRow, PlatformTable, Reply, ReplyOutcome, TakedownError,
    TakedownRequest, normalize_url, sla_report,
};
use qorgau_core::{Id, Sha256Digest};
use qorgau_response::{CaseStatus, Permission};
use qorgau_routing::Scope;
use qorgau_store::{CaptureFilter, ChangeBy, ItemFilter, TakedownRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::cases::load;
use crate::api::parse_id;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::flow::actor_of;
use crate::json::Body;
use crate::state::AppState;

fn platforms() -> Result<&'static PlatformTable, ApiError> {
    static TABLE: OnceLock<Result<PlatformTable, String>> = OnceLock::new();
    TABLE
        .get_or_init(|| PlatformTable::builtin().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| ApiError::Internal(format!("platform table: {e}")))
}

fn refused(e: TakedownError) -> ApiError {
    match e {
        TakedownError::NotPreserved { .. } | TakedownError::InvalidTransition { .. } => {
            ApiError::Conflict(e.to_string())
        }
        other => ApiError::BadRequest(other.to_string()),
    }
}

/// The newest capture of `url` in the case whose files all re-hash to the
/// vault's record, as a proof; `None` when there is none. Re-hashing reads
/// the blobs on a blocking thread.
async fn verified_capture(
    state: &AppState,
    case_id: Id,
    url: &str,
) -> Result<Option<CaptureProof>, ApiError> {
    let Some(target) = normalize_url(url) else {
        return Err(ApiError::BadRequest(format!(
            "{url:?} is not an http(s) URL with a host"
        )));
    };
    let store = &state.vault.store;
    let mut captures = store
        .captures(&CaptureFilter {
            case_id: Some(case_id),
            url: None,
        })
        .await?;
    captures.sort_by_key(|c| std::cmp::Reverse(c.finished_at));
    for capture in captures {
        let matched = [&capture.url, &capture.final_url]
            .into_iter()
            .find(|u| normalize_url(u).as_deref() == Some(target.as_str()))
            .cloned();
        let Some(captured_url) = matched else {
            continue;
        };
        let items = store
            .items(&ItemFilter {
                acquisition_id: Some(capture.acquisition_id),
                ..ItemFilter::default()
            })
            .await?;
        let Some(manifest) = items.iter().find(|i| i.sha256 == capture.manifest_sha256) else {
            continue;
        };
        // With S3, files not in the local cache are fetched (checked
        // against their addresses) first; one that cannot be is not intact.
        let mut blobs: Vec<(Sha256Digest, std::path::PathBuf)> = Vec::with_capacity(items.len());
        for i in &items {
            if let Ok(path) = state.vault.blobs.local(&i.sha256).await {
                blobs.push((i.sha256, path));
            }
        }
        let complete = blobs.len() == items.len();
        let intact = tokio::task::spawn_blocking(move || {
            blobs.iter().all(|(expected, path)| {
                std::fs::File::open(path)
                    .and_then(|mut f| qorgau_vault::hashing::hash_reader(&mut f))
                    .is_ok_and(|(sha, _, _)| sha == *expected)
            })
        })
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
        if !(intact && complete) {
            tracing::warn!(capture = %capture.id, "capture files do not re-hash; run qorgau verify");
            continue;
        }
        return Ok(Some(CaptureProof {
            vault_item_id: manifest.id.as_uuid(),
            sha256: capture.manifest_sha256.to_hex(),
            verified_at: state.clock.now().as_datetime(),
            captured_url,
        }));
    }
    Ok(None)
}

/// A request as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TakedownView {
    /// The request: URL, platform, recipient, legal basis, capture proof,
    /// state, sent time, replies.
    #[schema(value_type = Object)]
    #[serde(flatten)]
    pub request: TakedownRequest,
    /// The case.
    pub case_id: String,
    /// When the platform must answer (UTC), once sent.
    pub reply_deadline: Option<String>,
    /// Sent and unanswered past the deadline.
    pub overdue: bool,
}

fn view(state: &AppState, row: &TakedownRow, request: TakedownRequest) -> TakedownView {
    let now = state.clock.now().as_datetime();
    TakedownView {
        case_id: row.case_id.to_string(),
        reply_deadline: request
            .reply_deadline()
            .map(|d| qorgau_core::Timestamp::from_datetime(d).to_utc_string()),
        overdue: request.is_overdue(now),
        request,
    }
}

fn decode(row: &TakedownRow) -> Result<TakedownRequest, ApiError> {
    serde_json::from_str(&row.body)
        .map_err(|e| ApiError::Internal(format!("takedown {} does not decode: {e}", row.id)))
}

fn encode(request: &TakedownRequest) -> Result<String, ApiError> {
    serde_json::to_string(request).map_err(|e| ApiError::Internal(e.to_string()))
}

/// A request as an investigator opens it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRequest {
    /// The resource to block or remove.
    pub url: String,
    /// Platform key: telegram, instagram, tiktok, vk, whatsapp, youtube,
    /// website, kibernadzor.
    pub platform: String,
    /// The addressee (the platform's law-enforcement contact, «Кибернадзор»).
    pub recipient: String,
    /// The legal basis cited.
    pub legal_basis: String,
    /// Mark it sent now (default: keep as a draft).
    #[serde(default)]
    pub send: bool,
}

/// Opens a takedown request for a resource of the case; refused (409)
/// unless the case holds a capture of that resource whose files re-hash
/// to the vault's record now.
#[utoipa::path(post, path = "/api/cases/{id}/takedowns", tag = "takedowns",
    params(("id" = String, Path, description = "Case id")),
    request_body = NewRequest,
    responses(
        (status = 201, description = "Opened", body = TakedownView),
        (status = 400, description = "Invalid request", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
        (status = 409, description = "No verified capture of the resource, or the case is closed", body = ErrorBody),
    ))]
pub async fn open(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(new): Body<NewRequest>,
) -> Result<(StatusCode, Json<TakedownView>), ApiError> {
    principal.require(Permission::EditCases)?;
    let loaded = load(&state, &principal, &id).await?;
    if !loaded.access.edit {
        return Err(ApiError::Forbidden(
            "only the agency that owns the case requests takedowns".into(),
        ));
    }
    if loaded.case.status == CaseStatus::Closed {
        return Err(ApiError::Conflict("the case is closed".into()));
    }
    let case_id = loaded.case.case.id;
    let proof = verified_capture(&state, case_id, &new.url).await?;
    let now = state.clock.now().as_datetime();
    let mut request = TakedownRequest::new(
        NewTakedown {
            id: Id::new().as_uuid(),
            case_ref: loaded.case.case.name.to_string(),
            url: new.url,
            platform: new.platform,
            recipient: new.recipient,
            legal_basis: new.legal_basis,
            created_by: principal.user.username.clone(),
        },
        proof,
        platforms()?,
        now,
    )
    .map_err(refused)?;
    if new.send {
        request.send(now).map_err(refused)?;
    }
    let row = TakedownRow {
        id: Id::from_uuid(request.id()),
        case_id,
        agency_id: principal.user.agency_id,
        platform: request.platform().to_owned(),
        state: request.state().to_string(),
        body: encode(&request)?,
    };
    let actor = actor_of(&state, &principal.user.username);
    state
        .vault
        .store
        .add_takedown(
            &row,
            serde_json::json!({
                "action": "takedown_opened",
                "takedown": row.id.to_string(),
                "url": request.url(),
                "platform": request.platform(),
                "legal_basis": request.legal_basis(),
                "capture": request.capture(),
                "state": row.state,
            }),
            ChangeBy {
                actor: &actor,
                tool: &state.vault.tool,
                key: &state.vault.key,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(view(&state, &row, request))))
}

/// A case's takedown requests (operational scope).
#[utoipa::path(get, path = "/api/cases/{id}/takedowns", tag = "takedowns",
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, description = "Requests, oldest first", body = Vec<TakedownView>),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
    ))]
pub async fn of_case(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<Vec<TakedownView>>, ApiError> {
    let loaded = load(&state, &principal, &id).await?;
    if !loaded.access.sees(Scope::Operational) {
        return Err(ApiError::Forbidden(
            "takedown requests are operational data".into(),
        ));
    }
    let rows = state
        .vault
        .store
        .takedowns_of_case(loaded.case.case.id)
        .await?;
    let mut out = Vec::new();
    for row in &rows {
        out.push(view(&state, row, decode(row)?));
    }
    Ok(Json(out))
}

/// A step on a request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TakedownStep {
    /// send, reply or withdraw.
    pub action: String,
    /// For a reply: acknowledged, removed, refused, partially or no_reply.
    pub outcome: Option<String>,
    /// The platform's reason (refused) or what remains (partially).
    pub note: Option<String>,
    /// When it happened (UTC, RFC 3339); default now.
    pub at: Option<String>,
}

/// Sends, records the platform's reply to, or withdraws a request (the
/// agency that made it only).
#[utoipa::path(post, path = "/api/takedowns/{id}/steps", tag = "takedowns",
    params(("id" = String, Path, description = "Takedown request id")),
    request_body = TakedownStep,
    responses(
        (status = 200, description = "Done", body = TakedownView),
        (status = 400, description = "Invalid step", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such request of your agency", body = ErrorBody),
        (status = 409, description = "Not possible in the request's state", body = ErrorBody),
    ))]
pub async fn step(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(step): Body<TakedownStep>,
) -> Result<Json<TakedownView>, ApiError> {
    principal.require(Permission::EditCases)?;
    let id = parse_id(&id)?;
    let store = &state.vault.store;
    let mut row = store
        .takedown(id)
        .await?
        .filter(|r| r.agency_id == principal.user.agency_id)
        .ok_or_else(|| ApiError::NotFound("no such takedown request of your agency".into()))?;
    let mut request = decode(&row)?;
    let at = match step.at.as_deref() {
        Some(t) => chrono::DateTime::parse_from_rfc3339(t)
            .map(|t| t.with_timezone(&chrono::Utc))
            .map_err(|e| ApiError::BadRequest(format!("at {t:?}: {e}")))?,
        None => state.clock.now().as_datetime(),
    };
    if at > state.clock.now().as_datetime() {
        return Err(ApiError::BadRequest(
            "a step cannot be dated in the future".into(),
        ));
    }
    let note = step.note.clone().unwrap_or_default();
    match step.action.as_str() {
        "send" => request.send(at),
        "withdraw" => request.withdraw(),
        "reply" => {
            let outcome = match step.outcome.as_deref() {
                Some("acknowledged") => ReplyOutcome::Acknowledged,
                Some("removed") => ReplyOutcome::Removed,
                Some("refused") => ReplyOutcome::Refused { reason: note },
                Some("partially") => ReplyOutcome::Partially { note },
                Some("no_reply") => ReplyOutcome::NoReply,
                other => {
                    return Err(ApiError::BadRequest(format!(
                        "outcome {other:?}: use acknowledged, removed, refused, partially or no_reply"
                    )));
                }
            };
            request.record_reply(Reply {
                at,
                by: principal.user.username.clone(),
                outcome,
            })
        }
        other => {
            return Err(ApiError::BadRequest(format!(
                "action {other:?}: use send, reply or withdraw"
            )));
        }
    }
    .map_err(refused)?;
    let expected = row.state.clone();
    row.state = request.state().to_string();
    row.body = encode(&request)?;
    let actor = actor_of(&state, &principal.user.username);
    store
        .save_takedown(
            &row,
            &expected,
            serde_json::json!({
                "action": "takedown_step",
                "takedown": row.id.to_string(),
                "step": step.action,
                "outcome": step.outcome,
                "state": row.state,
            }),
            ChangeBy {
                actor: &actor,
                tool: &state.vault.tool,
                key: &state.vault.key,
            },
        )
        .await?;
    Ok(Json(view(&state, &row, request)))
}

/// Response times and compliance per platform for the caller's agency's
/// requests: the SLA reporting the study asks for.
#[utoipa::path(get, path = "/api/takedowns/report", tag = "takedowns",
    responses(
        (status = 200, description = "One row per platform", body = Vec<Object>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn report(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<PlatformSlaRow>>, ApiError> {
    principal.require(Permission::EditCases)?;
    let rows = state
        .vault
        .store
        .takedowns_of_agency(principal.user.agency_id)
        .await?;
    let requests = rows.iter().map(decode).collect::<Result<Vec<_>, _>>()?;
    Ok(Json(sla_report(&requests, state.clock.now().as_datetime())))
}
