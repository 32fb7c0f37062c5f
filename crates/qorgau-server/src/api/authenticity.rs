//! An image's authenticity signals for an examiner, the vault's earliest
//! copy of the same picture (the first source), and the examiner's
//! conclusion recorded in the custody ledger.
//!
//! The software lists what it observed and what each observation can and
//! cannot mean (`qorgau_media::authenticity`); it never says "fake" or
//! "genuine". Only a person concludes, and the conclusion is an `examined`
//! entry on the item, beside the method version of the signals they saw.
//!
//! The error-level image shows the picture's edges: it is content, so each
//! showing is a `viewed` entry, and for material marked as suspected child
//! sexual abuse material the same rules hold as for the original.

use std::sync::{Arc, Mutex, OnceLock};

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use qorgau_core::Sha256Digest;
use qorgau_evidence::{EntryDraft, EventKind, ItemRecord};
use qorgau_media::authenticity::{self, Examination};
use qorgau_media::index::ImageIndex;
use qorgau_media::phash::ALGORITHM;
use qorgau_response::Permission;
use qorgau_routing::Scope;
use qorgau_store::{CaptureFilter, ItemFilter, MediaHashOutcome, StoredImageHash};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::cases::{load, record_read};
use crate::api::evidence::{
    item_of, record_showing, require_evidence, restriction_for, verified_bytes,
};
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::flow::actor_of;
use crate::json::Body as JsonBody;
use crate::state::AppState;

/// Distance within which another image counts as the same picture for the
/// first source: the default of `qorgau media similar`.
const SAME_PICTURE: u32 = 8;

/// Most near-duplicate contents looked at for the first source.
const MAX_NEAR: usize = 200;

/// What the examiner sees for one image.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthenticityView {
    /// The signals, quantisation tables and notes
    /// (`qorgau_media::authenticity::Examination`).
    #[schema(value_type = Object)]
    pub examination: Examination,
    /// Whether an error-level image can be fetched from
    /// `…/authenticity/error-level.png`.
    pub error_level_image: bool,
    /// The earliest copy of the same picture in the vault.
    pub first_source: Option<FirstSource>,
    /// Conclusions recorded so far, oldest first.
    pub conclusions: Vec<Conclusion>,
}

/// The vault's earliest copy of the same picture, exact or near.
#[derive(Debug, Serialize, ToSchema)]
pub struct FirstSource {
    /// When it was acquired (UTC).
    pub acquired_at: String,
    /// True when it is this item itself: nothing in the vault is older.
    pub this_item: bool,
    /// True for the same bytes, false for a near-duplicate.
    pub same_content: bool,
    /// pHash distance of a near-duplicate.
    pub distance: Option<u32>,
    /// Its case and item, when the viewer may see that case's evidence;
    /// otherwise only the time is given.
    pub case: Option<String>,
    /// The item id, under the same condition.
    pub item: Option<String>,
    /// The address the page was captured from, when the copy came in a
    /// capture the viewer may see.
    pub captured_from: Option<String>,
    /// How many copies (exact or near) the vault holds in all.
    pub copies: usize,
}

/// A conclusion as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct Conclusion {
    /// When (UTC).
    pub at: String,
    /// Who.
    pub by: String,
    /// What the examiner concluded, in their words.
    pub conclusion: String,
    /// The signals' method version they had before them.
    pub method: String,
}

/// A conclusion to record.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConclusionInput {
    /// The examiner's conclusion, in their words.
    pub conclusion: String,
}

async fn image_of(
    state: &AppState,
    principal: &Principal,
    id: &str,
    item: &str,
) -> Result<(crate::api::cases::Loaded, ItemRecord, bool), ApiError> {
    let loaded = load(state, principal, id).await?;
    require_evidence(&loaded)?;
    let item = item_of(state, &loaded, item).await?;
    if !qorgau_media::phash::hashable(&item.media_type) {
        return Err(ApiError::Conflict(format!(
            "item {} is {}: authenticity signals are for images (JPEG, PNG, GIF, WebP)",
            item.id, item.media_type
        )));
    }
    let marked = restriction_for(state, principal, &item).await?.is_some();
    Ok((loaded, item, marked))
}

async fn blob_bytes(state: &AppState, item: &ItemRecord) -> Result<Vec<u8>, ApiError> {
    if item.size > crate::api::evidence::MAX_DOWNLOAD_BYTES {
        return Err(ApiError::Conflict(format!(
            "item {} has {} bytes, more than is examined on the server",
            item.id, item.size
        )));
    }
    verified_bytes(state, item).await
}

/// An image's authenticity signals, its first source in the vault and the
/// conclusions recorded. The read is recorded.
#[utoipa::path(get, path = "/api/cases/{id}/evidence/{item}/authenticity", tag = "evidence",
    params(("id" = String, Path, description = "Case id"), ("item" = String, Path, description = "Item id")),
    responses(
        (status = 200, description = "Signals, first source, conclusions", body = AuthenticityView),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No access to evidence, or restricted material", body = ErrorBody),
        (status = 404, description = "No such case or item", body = ErrorBody),
        (status = 409, description = "Not an image, too large, or altered", body = ErrorBody),
    ))]
pub async fn authenticity(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, item)): Path<(String, String)>,
) -> Result<Json<AuthenticityView>, ApiError> {
    let (loaded, item, _) = image_of(&state, &principal, &id, &item).await?;
    let bytes = blob_bytes(&state, &item).await?;
    let metadata: Option<qorgau_media::MediaMetadata> = item
        .metadata
        .as_deref()
        .and_then(|m| serde_json::from_str(m).ok());
    // The installation's C2PA trust anchors; a configured file that cannot
    // be read is the server's fault, said as such, never a silent "untrusted".
    let options = authenticity::ExamineOptions::from_env().map_err(ApiError::Internal)?;
    let mut examination = tokio::task::spawn_blocking(move || {
        authenticity::examine_with(&bytes, metadata.as_ref(), &options)
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    let error_level_image = examination.error_level.is_some();
    // The PNG is fetched on its own (and recorded as a showing).
    if let Some(e) = examination.error_level.as_mut() {
        e.png = Vec::new();
    }
    let first_source = first_source(&state, &principal, &item).await?;
    let conclusions = conclusions_of(&state, &item).await?;
    record_read(&state, &principal, &loaded, "evidence").await?;
    Ok(Json(AuthenticityView {
        examination,
        error_level_image,
        first_source,
        conclusions,
    }))
}

/// The error-level image of an image item (PNG), recorded as a `viewed`
/// entry with the rendition `error_level`.
#[utoipa::path(get, path = "/api/cases/{id}/evidence/{item}/authenticity/error-level.png", tag = "evidence",
    params(("id" = String, Path, description = "Case id"), ("item" = String, Path, description = "Item id")),
    responses(
        (status = 200, description = "The error-level image", content_type = "image/png", body = Vec<u8>),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No access to evidence, or restricted material", body = ErrorBody),
        (status = 404, description = "No such case or item", body = ErrorBody),
        (status = 409, description = "Not an image, not decodable, too large, or altered", body = ErrorBody),
    ))]
pub async fn error_level(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, item)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (_, item, marked) = image_of(&state, &principal, &id, &item).await?;
    let bytes = blob_bytes(&state, &item).await?;
    let image = tokio::task::spawn_blocking(move || authenticity::error_level_image(&bytes))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Conflict(format!("item {}: {e}", item.id)))?;
    record_showing(&state, &principal, &item, marked, "error_level").await?;
    let mut response = Response::new(Body::from(image.png));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}

/// Records an examiner's conclusion about the item as an `examined` entry
/// in its custody, with the signals' method version. The software never
/// writes one.
#[utoipa::path(post, path = "/api/cases/{id}/evidence/{item}/examinations", tag = "evidence",
    params(("id" = String, Path, description = "Case id"), ("item" = String, Path, description = "Item id")),
    request_body = ConclusionInput,
    responses(
        (status = 200, description = "Recorded", body = Conclusion),
        (status = 400, description = "Invalid id or no conclusion", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case or item", body = ErrorBody),
    ))]
pub async fn conclude(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, item)): Path<(String, String)>,
    JsonBody(input): JsonBody<ConclusionInput>,
) -> Result<Json<Conclusion>, ApiError> {
    principal.require(Permission::EditCases)?;
    let conclusion = input.conclusion.trim();
    if conclusion.is_empty() {
        return Err(ApiError::BadRequest(
            "write the conclusion: an empty one records nothing".into(),
        ));
    }
    if conclusion.chars().count() > 8000 {
        return Err(ApiError::BadRequest(
            "a conclusion of more than 8000 characters belongs in the expert's report, attached as evidence".into(),
        ));
    }
    let loaded = load(&state, &principal, &id).await?;
    require_evidence(&loaded)?;
    let item = item_of(&state, &loaded, &item).await?;
    let actor = actor_of(&state, &principal.user.username);
    let mut draft = EntryDraft::now(EventKind::Examined, actor, state.vault.tool.clone());
    draft.case_id = Some(item.case_id);
    draft.item_id = Some(item.id);
    draft.subject_digest = Some(item.record_digest());
    draft.details = serde_json::json!({
        "subject": "authenticity",
        "conclusion": conclusion,
        "method": authenticity::METHOD,
        "agency_id": principal.user.agency_id.to_string(),
    })
    .to_string();
    let entry = state
        .vault
        .store
        .append(vec![draft], &state.vault.key)
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal("the ledger returned no entry".into()))?;
    Ok(Json(Conclusion {
        at: entry.at.to_utc_string(),
        by: entry.actor.user,
        conclusion: conclusion.to_owned(),
        method: authenticity::METHOD.to_owned(),
    }))
}

async fn conclusions_of(state: &AppState, item: &ItemRecord) -> Result<Vec<Conclusion>, ApiError> {
    let entries = state
        .vault
        .store
        .ledger(&qorgau_store::LedgerFilter {
            case_id: Some(item.case_id),
            item_id: Some(item.id),
            ..qorgau_store::LedgerFilter::default()
        })
        .await?;
    Ok(entries
        .into_iter()
        .filter(|e| e.kind == EventKind::Examined)
        .map(|e| {
            let d: serde_json::Value = serde_json::from_str(&e.details).unwrap_or_default();
            Conclusion {
                at: e.at.to_utc_string(),
                by: e.actor.user,
                conclusion: d["conclusion"].as_str().unwrap_or_default().to_owned(),
                method: d["method"].as_str().unwrap_or_default().to_owned(),
            }
        })
        .collect())
}

/// The similarity index of every hashed image, kept by the process and
/// rebuilt when the number of hash rows changes (rows are only added): the
/// first request after new images pays the build, the rest a count. Keyed
/// by the vault's data directory and database, so that two vaults served
/// by one process (tests do) never share one.
type Kept = (String, u64, Arc<(Vec<StoredImageHash>, ImageIndex)>);

fn kept() -> &'static Mutex<Option<Kept>> {
    static KEPT: OnceLock<Mutex<Option<Kept>>> = OnceLock::new();
    KEPT.get_or_init(|| Mutex::new(None))
}

async fn image_index(
    state: &AppState,
) -> Result<Arc<(Vec<StoredImageHash>, ImageIndex)>, ApiError> {
    let count = state.vault.store.image_hash_count(ALGORITHM).await?;
    let vault = format!(
        "{}|{}",
        state.vault.data_dir.display(),
        state.vault.store.location()
    );
    if let Ok(guard) = kept().lock()
        && let Some((v, n, index)) = guard.as_ref()
        && *v == vault
        && *n == count
    {
        return Ok(index.clone());
    }
    let hashes = state.vault.store.image_hashes(ALGORITHM, None).await?;
    let built = tokio::task::spawn_blocking(move || {
        let pairs: Vec<(u64, u64)> = hashes.iter().map(|h| (h.phash, h.dhash)).collect();
        ImageIndex::new(&pairs).map(|index| Arc::new((hashes, index)))
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
    .map_err(|e| ApiError::Internal(format!("indexing the vault's images: {e}")))?;
    if let Ok(mut guard) = kept().lock() {
        *guard = Some((vault, count, built.clone()));
    }
    Ok(built)
}

async fn first_source(
    state: &AppState,
    principal: &Principal,
    item: &ItemRecord,
) -> Result<Option<FirstSource>, ApiError> {
    // The same bytes, then the same picture re-encoded.
    let mut contents: Vec<(Sha256Digest, Option<u32>)> = vec![(item.sha256, None)];
    if let Some(row) = state
        .vault
        .store
        .media_hash(&item.sha256, ALGORITHM)
        .await?
        && let MediaHashOutcome::Hashed { phash, dhash, .. } = row.outcome
    {
        let index = image_index(state).await?;
        let (hashes, idx) = &*index;
        let mut near = idx.similar(phash, dhash, SAME_PICTURE);
        near.sort_by_key(|m| m.phash_distance);
        for m in near.into_iter().take(MAX_NEAR) {
            if let Some(h) = hashes.get(m.id as usize)
                && h.sha256 != item.sha256
            {
                contents.push((h.sha256, Some(m.phash_distance)));
            }
        }
    }
    let mut copies: Vec<(ItemRecord, Option<u32>)> = Vec::new();
    for (sha256, distance) in contents {
        for i in state
            .vault
            .store
            .items(&ItemFilter {
                sha256: Some(sha256),
                ..ItemFilter::default()
            })
            .await?
        {
            copies.push((i, distance));
        }
    }
    let total = copies.len();
    let Some((first, distance)) = copies.into_iter().min_by(|a, b| {
        a.0.acquired_at
            .cmp(&b.0.acquired_at)
            .then(a.0.id.cmp(&b.0.id))
    }) else {
        return Ok(None);
    };
    // Name the case only to someone who may see its evidence.
    let visible = match load(state, principal, &first.case_id.to_string()).await {
        Ok(l) => l.access.sees(Scope::Evidence),
        Err(_) => false,
    };
    let captured_from = if visible {
        state
            .vault
            .store
            .captures(&CaptureFilter {
                case_id: Some(first.case_id),
                ..CaptureFilter::default()
            })
            .await?
            .into_iter()
            .find(|c| c.acquisition_id == first.acquisition_id)
            .map(|c| c.url)
    } else {
        None
    };
    Ok(Some(FirstSource {
        acquired_at: first.acquired_at.to_utc_string(),
        this_item: first.id == item.id,
        same_content: first.sha256 == item.sha256,
        distance,
        case: visible.then(|| first.case_id.to_string()),
        item: visible.then(|| first.id.to_string()),
        captured_from,
        copies: total,
    }))
}
