//! A case's evidence over the API: the vault's items of the case, and one
//! item's content, re-hashed before it is sent.
//!
//! Only users whose access to the case includes the evidence scope see it
//! (the owning agency's police and prosecutors, and agencies a referral gave
//! evidence to; never NGOs or social services, `case_access`). Listing is a
//! `read` entry on the case's chain; every download is a `viewed` entry on
//! the item, as a working copy is (`qorgau copy`): who, which agency, the
//! digest sent.
//!
//! Content is served as an attachment with `nosniff` and a sandboxing
//! content security policy: a captured page is hostile HTML and must never
//! run in the server's origin.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use qorgau_evidence::{EntryDraft, EventKind, ItemRecord};
use qorgau_routing::Scope;
use qorgau_store::ItemFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::cases::{Loaded, load, record_read};
use crate::api::parse_id;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::flow::actor_of;
use crate::state::AppState;

/// Largest item sent over the API; larger ones are examined from a working
/// copy made on the server (`qorgau copy`), which streams and re-hashes
/// without holding the file in memory.
pub const MAX_DOWNLOAD_BYTES: u64 = 64 * 1024 * 1024;

/// An evidence item as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvidenceItemView {
    /// Item id.
    pub id: String,
    /// File name of the original.
    pub file_name: String,
    /// Path inside what was acquired.
    pub relative_path: String,
    /// Media type detected from the content.
    pub media_type: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, hex.
    pub sha256: String,
    /// MD5, hex.
    pub md5: String,
    /// When the vault stored it (UTC).
    pub acquired_at: String,
    /// The same instant in Asia/Almaty.
    pub acquired_at_local: String,
    /// The acquisition (one `add` run or one capture) it came in.
    pub acquisition_id: String,
    /// The operator's note, if any.
    pub note: Option<String>,
}

impl EvidenceItemView {
    fn of(item: &ItemRecord) -> Self {
        Self {
            id: item.id.to_string(),
            file_name: item.file_name.clone(),
            relative_path: item.relative_path.clone(),
            media_type: item.media_type.clone(),
            size: item.size,
            sha256: item.sha256.to_hex(),
            md5: item.md5.to_hex(),
            acquired_at: item.acquired_at.to_utc_string(),
            acquired_at_local: item.acquired_at_local.clone(),
            acquisition_id: item.acquisition_id.to_string(),
            note: item.note.clone(),
        }
    }
}

/// Paging of the list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct EvidenceQuery {
    /// At most this many (default 200, at most 1000).
    pub limit: Option<u32>,
    /// Skip this many (default 0).
    pub offset: Option<u32>,
}

pub(crate) fn require_evidence(loaded: &Loaded) -> Result<(), ApiError> {
    if loaded.access.sees(Scope::Evidence) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "your access to this case does not include its evidence".into(),
        ))
    }
}

/// The case's evidence items in acquisition order; the read is recorded.
#[utoipa::path(get, path = "/api/cases/{id}/evidence", tag = "evidence",
    params(("id" = String, Path, description = "Case id"), EvidenceQuery),
    responses(
        (status = 200, description = "Items", body = Vec<EvidenceItemView>),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No access to evidence", body = ErrorBody),
        (status = 404, description = "No such case, or not yours to see", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Query(q): Query<EvidenceQuery>,
) -> Result<Json<Vec<EvidenceItemView>>, ApiError> {
    let loaded = load(&state, &principal, &id).await?;
    require_evidence(&loaded)?;
    let limit = q.limit.unwrap_or(200).clamp(1, 1000) as usize;
    let offset = q.offset.unwrap_or(0) as usize;
    let items = state
        .vault
        .store
        .items(&ItemFilter {
            case_id: Some(loaded.case.case.id),
            ..ItemFilter::default()
        })
        .await?;
    record_read(&state, &principal, &loaded, "evidence").await?;
    Ok(Json(
        items
            .iter()
            .skip(offset)
            .take(limit)
            .map(EvidenceItemView::of)
            .collect(),
    ))
}

/// One item's content, after its blob re-hashes to the recorded SHA-256,
/// MD5 and size; the download is a `viewed` entry on the item.
#[utoipa::path(get, path = "/api/cases/{id}/evidence/{item}", tag = "evidence",
    params(("id" = String, Path, description = "Case id"),
           ("item" = String, Path, description = "Item id")),
    responses(
        (status = 200, description = "The content, as an attachment; `X-Qorgau-SHA256` and `X-Qorgau-MD5` give its digests", content_type = "*/*", body = Vec<u8>),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No access to evidence", body = ErrorBody),
        (status = 404, description = "No such case or item", body = ErrorBody),
        (status = 409, description = "The stored blob no longer matches its record, or it is too large to send", body = ErrorBody),
    ))]
pub async fn content(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, item)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let loaded = load(&state, &principal, &id).await?;
    require_evidence(&loaded)?;
    let item = item_of(&state, &loaded, &item).await?;
    let item_id = item.id;
    if item.size > MAX_DOWNLOAD_BYTES {
        return Err(ApiError::Conflict(format!(
            "item {} has {} bytes, more than the API sends ({MAX_DOWNLOAD_BYTES}); \
             make a working copy on the server with `qorgau copy {} DEST --reason …`",
            item.id, item.size, item.id
        )));
    }
    let path = state
        .vault
        .blobs
        .local(&item.sha256)
        .await
        .map_err(|e| ApiError::Internal(format!("reading the blob of item {item_id}: {e}")))?;
    let bytes = tokio::task::spawn_blocking(move || std::fs::read(path))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Internal(format!("reading the blob of item {item_id}: {e}")))?;
    let (sha256, md5, size) = qorgau_vault::hashing::hash_reader(&mut bytes.as_slice())
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if sha256 != item.sha256 || md5 != item.md5 || size != item.size {
        tracing::error!(item = %item.id, "blob does not match its record");
        return Err(ApiError::Conflict(format!(
            "the stored content of item {} no longer matches its record; nothing was sent — run `qorgau verify`",
            item.id
        )));
    }
    let actor = actor_of(&state, &principal.user.username);
    let mut draft = EntryDraft::now(EventKind::Viewed, actor, state.vault.tool.clone());
    draft.case_id = Some(item.case_id);
    draft.item_id = Some(item.id);
    draft.subject_digest = Some(item.record_digest());
    draft.details = serde_json::json!({
        "via": "api",
        "agency_id": principal.user.agency_id.to_string(),
        "sha256": item.sha256,
    })
    .to_string();
    state
        .vault
        .store
        .append(vec![draft], &state.vault.key)
        .await?;

    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    let media = HeaderValue::from_str(&item.media_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, media);
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!(
            "attachment; filename=\"{}\"; filename*=UTF-8''{}",
            ascii_name(&item.file_name),
            percent_encode(&item.file_name)
        ))
        .unwrap_or(HeaderValue::from_static("attachment")),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for (name, value) in [
        ("x-qorgau-sha256", item.sha256.to_hex()),
        ("x-qorgau-md5", item.md5.to_hex()),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    }
    Ok(response)
}

/// One entry of an item's custody.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustodyEntry {
    /// Position in the case's chain.
    pub seq: u64,
    /// When (UTC).
    pub at: String,
    /// acquired, viewed, verified, exported, transferred…
    pub kind: String,
    /// Who.
    pub actor: String,
    /// The tool and its version.
    pub tool: String,
    /// What, as recorded.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// The entry's hash (to check against a ledger export).
    pub entry_hash: String,
}

/// An item with its metadata and its custody, oldest entry first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemCustody {
    /// The item.
    pub item: EvidenceItemView,
    /// What the file says about itself (EXIF, XMP, QuickTime), as extracted
    /// when it was acquired.
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<serde_json::Value>,
    /// Every ledger entry about the item.
    pub custody: Vec<CustodyEntry>,
}

async fn item_of(state: &AppState, loaded: &Loaded, item: &str) -> Result<ItemRecord, ApiError> {
    let item_id = parse_id(item)?;
    state
        .vault
        .store
        .item(item_id)
        .await?
        .filter(|i| i.case_id == loaded.case.case.id)
        .ok_or_else(|| ApiError::NotFound("no such item in this case".into()))
}

/// An item's metadata and custody: who acquired, viewed, verified and
/// exported it, when, with which tool. The read is recorded.
#[utoipa::path(get, path = "/api/cases/{id}/evidence/{item}/custody", tag = "evidence",
    params(("id" = String, Path, description = "Case id"), ("item" = String, Path, description = "Item id")),
    responses(
        (status = 200, description = "The item and its custody", body = ItemCustody),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No access to evidence", body = ErrorBody),
        (status = 404, description = "No such case or item", body = ErrorBody),
    ))]
pub async fn custody(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, item)): Path<(String, String)>,
) -> Result<Json<ItemCustody>, ApiError> {
    let loaded = load(&state, &principal, &id).await?;
    require_evidence(&loaded)?;
    let item = item_of(&state, &loaded, &item).await?;
    let entries = state
        .vault
        .store
        .ledger(&qorgau_store::LedgerFilter {
            case_id: Some(item.case_id),
            item_id: Some(item.id),
            ..qorgau_store::LedgerFilter::default()
        })
        .await?;
    record_read(&state, &principal, &loaded, "evidence").await?;
    Ok(Json(ItemCustody {
        item: EvidenceItemView::of(&item),
        metadata: item
            .metadata
            .as_deref()
            .and_then(|m| serde_json::from_str(m).ok()),
        custody: entries
            .into_iter()
            .map(|e| CustodyEntry {
                seq: e.seq,
                at: e.at.to_utc_string(),
                kind: e.kind.as_str().into(),
                actor: e.actor.user,
                tool: format!("{} {}", e.tool.name, e.tool.version),
                details: serde_json::from_str(&e.details).unwrap_or(serde_json::Value::Null),
                entry_hash: e.entry_hash.to_hex(),
            })
            .collect(),
    }))
}

/// What checking an item found.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemVerification {
    /// True when the stored content re-hashes to the recorded digests and
    /// an `acquired` entry vouches for the item's record as it is.
    pub ok: bool,
    /// SHA-256 of the stored content now.
    pub sha256_now: String,
    /// MD5 of the stored content now.
    pub md5_now: String,
    /// Whether both digests and the size match the record.
    pub content_matches: bool,
    /// Whether an `acquired` entry of the case's chain carries the digest
    /// of the item's record (so the record was not changed after).
    pub record_vouched: bool,
    /// When checked (UTC).
    pub checked_at: String,
}

/// Re-hashes one item's stored content and checks that the ledger vouches
/// for its record; the check is a `verified` entry on the item, whatever
/// it found.
#[utoipa::path(post, path = "/api/cases/{id}/evidence/{item}/verify", tag = "evidence",
    params(("id" = String, Path, description = "Case id"), ("item" = String, Path, description = "Item id")),
    responses(
        (status = 200, description = "What the check found", body = ItemVerification),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No access to evidence", body = ErrorBody),
        (status = 404, description = "No such case or item", body = ErrorBody),
    ))]
pub async fn verify(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, item)): Path<(String, String)>,
) -> Result<Json<ItemVerification>, ApiError> {
    let loaded = load(&state, &principal, &id).await?;
    require_evidence(&loaded)?;
    let item = item_of(&state, &loaded, &item).await?;
    let check = qorgau_vault::item_check::check_item(&state.vault, &item)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if let Some(why) = &check.unreadable {
        tracing::error!(item = %item.id, error = %why, "the item's blob cannot be read");
    }
    let now = state.clock.now();
    let actor = actor_of(&state, &principal.user.username);
    let draft = check.entry(&item, actor, state.vault.tool.clone(), "api", None);
    state
        .vault
        .store
        .append(vec![draft], &state.vault.key)
        .await?;
    let (sha256, md5) = (check.sha256_now, check.md5_now);
    let (ok, content_matches, record_vouched) =
        (check.ok(), check.content_matches, check.record_vouched);
    Ok(Json(ItemVerification {
        ok,
        sha256_now: sha256.map(|d| d.to_hex()).unwrap_or_default(),
        md5_now: md5.map(|d| d.to_hex()).unwrap_or_default(),
        content_matches,
        record_vouched,
        checked_at: now.to_utc_string(),
    }))
}

/// The file name with everything outside printable ASCII (and quotes and
/// backslashes) replaced, for the plain `filename=` parameter.
fn ascii_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// RFC 8187 encoding of the name for `filename*=` (written here: one small
/// function, not worth a dependency).
fn percent_encode(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_in_headers() {
        assert_eq!(ascii_name("скрин \"1\".png"), "_____ _1_.png");
        assert_eq!(percent_encode("а b.png"), "%D0%B0%20b.png");
    }
}
