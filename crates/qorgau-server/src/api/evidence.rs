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
use qorgau_evidence::{CaptureRecord, EntryDraft, EventKind, ItemRecord};
use qorgau_response::Permission;
use qorgau_routing::Scope;
use qorgau_store::{CaptureFilter, ItemFilter, RestrictionAction, RestrictionRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::cases::{Loaded, load, record_read};
use crate::api::parse_id;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::flow::actor_of;
use crate::json::Body as JsonBody;
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
    /// Set when the content is marked as suspected child sexual abuse
    /// material: then it is shown blurred, only to those allowed, and
    /// leaves the vault only with a recorded authorisation.
    pub restricted: Option<RestrictionView>,
}

/// A mark of content as suspected child sexual abuse material.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RestrictionView {
    /// `mark` or `clear` (history only; a cleared content is not restricted).
    pub action: String,
    /// `person` or `hash_list`.
    pub basis: String,
    /// Why, or the list's name.
    pub reason: String,
    /// Which hash matched a list (`md5`, `sha256`, a perceptual hash).
    pub matched_on: Option<String>,
    /// Distance of a perceptual match.
    pub distance: Option<u32>,
    /// When (UTC).
    pub at: String,
    /// Who.
    pub by: String,
}

impl RestrictionView {
    /// The view of a stored mark.
    pub fn of(r: &RestrictionRecord) -> Self {
        Self {
            action: r.action.as_str().into(),
            basis: r.basis.as_str().into(),
            reason: r.reason.clone(),
            matched_on: r.matched_on.clone(),
            distance: r.distance,
            at: r.at.to_utc_string(),
            by: r.by_user.clone(),
        }
    }
}

impl EvidenceItemView {
    fn with(item: &ItemRecord, mark: Option<&RestrictionRecord>) -> Self {
        let mut view = Self::of(item);
        view.restricted = mark.map(RestrictionView::of);
        view
    }

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
            restricted: None,
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
    let page: Vec<&ItemRecord> = items.iter().skip(offset).take(limit).collect();
    let contents: Vec<_> = page.iter().map(|i| i.sha256).collect();
    let marks = state.vault.store.restrictions_of(&contents).await?;
    record_read(&state, &principal, &loaded, "evidence").await?;
    Ok(Json(
        page.into_iter()
            .map(|i| EvidenceItemView::with(i, marks.get(&i.sha256)))
            .collect(),
    ))
}

/// How to show an item.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ContentQuery {
    /// For content marked as suspected abuse material: `blurred` (the
    /// default: a blurred PNG rendition of an image) or `original` (the
    /// bytes as stored). Both are recorded; other items ignore it.
    pub view: Option<String>,
}

/// One item's content, after its blob re-hashes to the recorded SHA-256,
/// MD5 and size; the download is a `viewed` entry on the item.
///
/// Content marked as suspected child sexual abuse material is refused to
/// roles without [`Permission::ViewRestrictedMaterial`]; to the others an
/// image is sent blurred unless `view=original` is asked, and other
/// content only on `view=original`. The entry says which was sent.
#[utoipa::path(get, path = "/api/cases/{id}/evidence/{item}", tag = "evidence",
    params(("id" = String, Path, description = "Case id"),
           ("item" = String, Path, description = "Item id"), ContentQuery),
    responses(
        (status = 200, description = "The content, as an attachment; `X-Qorgau-SHA256` and `X-Qorgau-MD5` give its digests", content_type = "*/*", body = Vec<u8>),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No access to evidence", body = ErrorBody),
        (status = 404, description = "No such case or item", body = ErrorBody),
        (status = 409, description = "The stored blob no longer matches its record, it is too large to send, or it is restricted content with no blurred rendition", body = ErrorBody),
    ))]
pub async fn content(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, item)): Path<(String, String)>,
    Query(q): Query<ContentQuery>,
) -> Result<Response, ApiError> {
    let loaded = load(&state, &principal, &id).await?;
    require_evidence(&loaded)?;
    let item = item_of(&state, &loaded, &item).await?;
    let item_id = item.id;
    let original = match q.view.as_deref() {
        None | Some("blurred") => false,
        Some("original") => true,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "view {other:?}: blurred or original"
            )));
        }
    };
    let mark = restriction_for(&state, &principal, &item).await?;
    if mark.is_some() && !original && !qorgau_media::phash::hashable(&item.media_type) {
        return Err(ApiError::Conflict(format!(
            "item {item_id} is marked as suspected child sexual abuse material and has no blurred rendition ({}); ask for view=original, which is recorded",
            item.media_type
        )));
    }
    let blurred = mark.is_some() && !original;
    if item.size > MAX_DOWNLOAD_BYTES {
        return Err(ApiError::Conflict(format!(
            "item {} has {} bytes, more than the API sends ({MAX_DOWNLOAD_BYTES}); \
             make a working copy on the server with `qorgau copy {} DEST --reason …`",
            item.id, item.size, item.id
        )));
    }
    let bytes = verified_bytes(&state, &item).await?;
    let bytes = if blurred {
        let label = item.id.to_string();
        tokio::task::spawn_blocking(move || qorgau_media::redact::blurred_png(&bytes, &label))
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?
            .map_err(|e| {
                ApiError::Conflict(format!(
                    "item {item_id} is marked as suspected child sexual abuse material and cannot be blurred ({e}); ask for view=original, which is recorded"
                ))
            })?
    } else {
        bytes
    };
    record_showing(
        &state,
        &principal,
        &item,
        mark.is_some(),
        if blurred { "blurred" } else { "original" },
    )
    .await?;

    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    let media = if blurred {
        HeaderValue::from_static("image/png")
    } else {
        HeaderValue::from_str(&item.media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream"))
    };
    if mark.is_some() {
        headers.insert(
            "x-qorgau-restricted",
            HeaderValue::from_static(if blurred { "blurred" } else { "original" }),
        );
    }
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

/// The mark in force on the item's content, if any; refused (403) to a
/// role that may not view marked material. Every path that shows an
/// item's pixels asks this first.
pub(crate) async fn restriction_for(
    state: &AppState,
    principal: &Principal,
    item: &ItemRecord,
) -> Result<Option<RestrictionRecord>, ApiError> {
    let mark = state
        .vault
        .store
        .restrictions_of(&[item.sha256])
        .await?
        .remove(&item.sha256);
    if mark.is_some() && !principal.user.may(Permission::ViewRestrictedMaterial) {
        return Err(ApiError::Forbidden(format!(
            "item {} is marked as suspected child sexual abuse material; your role may not view it",
            item.id
        )));
    }
    Ok(mark)
}

/// The item's content, read from its blob on a blocking thread and
/// re-hashed against its record (SHA-256, MD5, size) before anything is
/// made of it; a blob that changed gives a conflict naming `qorgau verify`.
/// Callers bound the size first.
pub(crate) async fn verified_bytes(
    state: &AppState,
    item: &ItemRecord,
) -> Result<Vec<u8>, ApiError> {
    let item_id = item.id;
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
            "the stored content of item {item_id} no longer matches its record; nothing was sent — run `qorgau verify`"
        )));
    }
    Ok(bytes)
}

/// Records that `item` was shown to the caller: a `viewed` entry saying
/// whether it is marked and which rendition was sent (`original`,
/// `blurred`, `error_level`).
pub(crate) async fn record_showing(
    state: &AppState,
    principal: &Principal,
    item: &ItemRecord,
    restricted: bool,
    rendition: &str,
) -> Result<(), ApiError> {
    let actor = actor_of(state, &principal.user.username);
    let mut draft = EntryDraft::now(EventKind::Viewed, actor, state.vault.tool.clone());
    draft.case_id = Some(item.case_id);
    draft.item_id = Some(item.id);
    draft.subject_digest = Some(item.record_digest());
    draft.details = serde_json::json!({
        "via": "api",
        "agency_id": principal.user.agency_id.to_string(),
        "sha256": item.sha256,
        "restricted": restricted,
        "rendition": rendition,
    })
    .to_string();
    state
        .vault
        .store
        .append(vec![draft], &state.vault.key)
        .await?;
    Ok(())
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
    /// The capture (`qorgau capture`) the item is a file of, when it is one.
    pub capture: Option<CaptureOfItem>,
    /// Every mark and clear of the content as suspected abuse material,
    /// oldest first; the item is restricted when the last is a mark.
    pub restriction_history: Vec<RestrictionView>,
}

/// A capture of a web page or channel, as seen from one of its files: what
/// was captured, when, how, and every file the capture stored.
///
/// The DOM and the WARC are the captured site's own content, hostile by
/// nature: they are listed (and downloadable as sandboxed attachments,
/// like every item) but a client must never render them in its origin.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaptureOfItem {
    /// The capture's id.
    pub id: String,
    /// `page` or `channel`.
    pub kind: String,
    /// `browser` or `http`.
    pub engine: String,
    /// The URL asked for (text, not a link to follow).
    pub url: String,
    /// The URL after redirects.
    pub final_url: String,
    /// The page's title as captured, when it had one.
    pub title: Option<String>,
    /// When capturing began (UTC).
    pub started_at: String,
    /// When it ended (UTC).
    pub finished_at: String,
    /// HTTP status of the page.
    pub http_status: Option<u16>,
    /// Why the capture is partial; absent when it is complete.
    pub partial: Option<String>,
    /// SHA-256 of the manifest listing every file with its hashes.
    pub manifest_sha256: String,
    /// Whether an RFC 3161 time-stamp token covers the manifest.
    pub time_stamped: bool,
    /// The time-stamping authority, when one was used.
    pub time_stamp_authority: Option<String>,
    /// Who captured.
    pub captured_by: String,
    /// The software and its version.
    pub tool: String,
    /// The item id of the screenshot to show with this item (the one of
    /// the same channel page, else the first), when there is one.
    pub screenshot_item: Option<String>,
    /// The item id of the visible text (`text.txt`) to go with this item,
    /// chosen as the screenshot is.
    pub text_item: Option<String>,
    /// Every file of the capture, in path order.
    pub files: Vec<CaptureFileView>,
}

/// One file of a capture.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaptureFileView {
    /// Item id.
    pub id: String,
    /// Path inside the capture (`page-01/text.txt`, `media/01-photo.jpg`).
    pub path: String,
    /// File name.
    pub file_name: String,
    /// What it is: `warc`, `screenshot`, `dom`, `title`, `text`, `links`,
    /// `media`, `capture`, `manifest`, `time_stamp`, `post` or `other`.
    pub role: String,
    /// Media type detected from the content.
    pub media_type: String,
    /// Size in bytes.
    pub size: u64,
    /// True for the captured site's own markup and archive (DOM, WARC):
    /// download only, never rendered.
    pub hostile: bool,
    /// Its content is marked as suspected child sexual abuse material.
    pub restricted: bool,
}

/// The path of an item inside its capture: its relative path without the
/// capture folder's own name.
fn path_in_capture(relative_path: &str) -> &str {
    relative_path
        .split_once('/')
        .map_or(relative_path, |(_, rest)| rest)
}

/// A channel capture's page folder (`page-01/`) of a path, else "".
fn page_of(path: &str) -> &str {
    match path.split_once('/') {
        Some((first, _)) if first.starts_with("page-") => first,
        _ => "",
    }
}

/// What a file of a capture is, from its place in the bundle
/// (`qorgau-capture`'s `bundle` writes the layout).
fn capture_role(path: &str) -> &'static str {
    let page = page_of(path);
    let rest = if page.is_empty() {
        path
    } else {
        &path[page.len() + 1..]
    };
    match rest {
        "capture.warc.gz" => "warc",
        "screenshot.png" => "screenshot",
        "dom.html" => "dom",
        "title.txt" => "title",
        "text.txt" => "text",
        "links.txt" => "links",
        "capture.json" => "capture",
        "manifest.json" => "manifest",
        "manifest.tsr" => "time_stamp",
        r if r.starts_with("media/") => "media",
        r if r.starts_with("posts/") && r.ends_with(".json") => "post",
        _ => "other",
    }
}

/// The capture `item` is a file of, with its files; `None` for an item
/// acquired otherwise.
///
/// There is no store query for a capture by its acquisition, so the case's
/// captures are listed and the one of this acquisition kept (a case holds
/// few captures; `CaptureFilter` could take an acquisition id).
async fn capture_of(
    state: &AppState,
    item: &ItemRecord,
) -> Result<Option<CaptureOfItem>, ApiError> {
    let Some(record) = state
        .vault
        .store
        .captures(&CaptureFilter {
            case_id: Some(item.case_id),
            ..CaptureFilter::default()
        })
        .await?
        .into_iter()
        .find(|c| c.acquisition_id == item.acquisition_id)
    else {
        return Ok(None);
    };
    let mut files = state
        .vault
        .store
        .items(&ItemFilter {
            case_id: Some(item.case_id),
            acquisition_id: Some(item.acquisition_id),
            ..ItemFilter::default()
        })
        .await?;
    files.sort_by(|a, b| a.relative_path.cmp(&b.relative_path));
    let contents: Vec<_> = files.iter().map(|f| f.sha256).collect();
    let marks = state.vault.store.restrictions_of(&contents).await?;
    Ok(Some(capture_view(&record, item, &files, &marks)))
}

fn capture_view(
    record: &CaptureRecord,
    item: &ItemRecord,
    files: &[ItemRecord],
    marks: &std::collections::BTreeMap<qorgau_core::Sha256Digest, RestrictionRecord>,
) -> CaptureOfItem {
    let summary: serde_json::Value =
        serde_json::from_str(&record.summary).unwrap_or(serde_json::Value::Null);
    let files: Vec<CaptureFileView> = files
        .iter()
        .map(|f| {
            let path = path_in_capture(&f.relative_path);
            let role = capture_role(path);
            CaptureFileView {
                id: f.id.to_string(),
                path: path.to_owned(),
                file_name: f.file_name.clone(),
                role: role.to_owned(),
                media_type: f.media_type.clone(),
                size: f.size,
                hostile: matches!(role, "dom" | "warc"),
                restricted: marks.contains_key(&f.sha256),
            }
        })
        .collect();
    let page = page_of(path_in_capture(&item.relative_path));
    let pick = |role: &str| {
        let of_role = || files.iter().filter(move |f| f.role == role);
        of_role()
            .find(|f| page_of(&f.path) == page)
            .or_else(|| of_role().next())
            .map(|f| f.id.clone())
    };
    CaptureOfItem {
        id: record.id.to_string(),
        kind: record.kind.clone(),
        engine: record.engine.clone(),
        url: record.url.clone(),
        final_url: record.final_url.clone(),
        title: summary
            .get("title")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
            .filter(|t| !t.trim().is_empty()),
        started_at: record.started_at.to_utc_string(),
        finished_at: record.finished_at.to_utc_string(),
        http_status: record.http_status,
        partial: record.partial.clone(),
        manifest_sha256: record.manifest_sha256.to_hex(),
        time_stamped: record.time_stamp.is_some(),
        time_stamp_authority: record.time_stamp_authority.clone(),
        captured_by: record.captured_by.user.clone(),
        tool: format!("{} {}", record.tool.name, record.tool.version),
        screenshot_item: pick("screenshot"),
        text_item: pick("text"),
        files,
    }
}

pub(crate) async fn item_of(
    state: &AppState,
    loaded: &Loaded,
    item: &str,
) -> Result<ItemRecord, ApiError> {
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
/// exported it, when, with which tool; for a file of a capture, the
/// capture (URL, times, status, engine, time stamp) and its other files.
/// The read is recorded.
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
    let capture = capture_of(&state, &item).await?;
    let history = state.vault.store.restriction_history(&item.sha256).await?;
    let mark = history
        .last()
        .filter(|r| r.action == RestrictionAction::Mark);
    record_read(&state, &principal, &loaded, "evidence").await?;
    Ok(Json(ItemCustody {
        item: EvidenceItemView::with(&item, mark),
        restriction_history: history.iter().map(RestrictionView::of).collect(),
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
        capture,
    }))
}

/// A mark of an item's content as suspected child sexual abuse material,
/// or the release of a mark found to be wrong.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RestrictionInput {
    /// `mark` or `clear`.
    pub action: String,
    /// Why, in the person's words (kept in the ledger).
    pub reason: String,
}

/// What a mark or release did.
#[derive(Debug, Serialize, ToSchema)]
pub struct RestrictionResult {
    /// The item's content is restricted now.
    pub restricted: bool,
    /// False when the content already was in the state asked for.
    pub changed: bool,
    /// Items in the vault covered (every item with the same content).
    pub items: usize,
}

/// Marks the item's content as suspected child sexual abuse material
/// (`mark`: whoever reads evidence may, since a mark protects), or clears
/// a mark (`clear`: supervisors, with a reason). The mark covers every item
/// with the same content and is a `restricted` entry on each.
#[utoipa::path(post, path = "/api/cases/{id}/evidence/{item}/restriction", tag = "evidence",
    params(("id" = String, Path, description = "Case id"), ("item" = String, Path, description = "Item id")),
    request_body = RestrictionInput,
    responses(
        (status = 200, description = "Recorded", body = RestrictionResult),
        (status = 400, description = "Invalid id, unknown action or no reason", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case or item", body = ErrorBody),
        (status = 409, description = "Recorded by someone else at the same moment", body = ErrorBody),
    ))]
pub async fn restriction(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, item)): Path<(String, String)>,
    JsonBody(input): JsonBody<RestrictionInput>,
) -> Result<Json<RestrictionResult>, ApiError> {
    let action = match input.action.as_str() {
        "mark" => RestrictionAction::Mark,
        "clear" => RestrictionAction::Clear,
        other => {
            return Err(ApiError::BadRequest(format!(
                "action {other:?}: mark or clear"
            )));
        }
    };
    principal.require(match action {
        RestrictionAction::Mark => Permission::MarkRestrictedMaterial,
        RestrictionAction::Clear => Permission::ReleaseRestrictedMaterial,
    })?;
    if input.reason.trim().is_empty() {
        return Err(ApiError::BadRequest(
            "say why: a mark or a release needs a reason".into(),
        ));
    }
    let loaded = load(&state, &principal, &id).await?;
    require_evidence(&loaded)?;
    let item = item_of(&state, &loaded, &item).await?;
    let actor = actor_of(&state, &principal.user.username);
    let outcome = qorgau_vault::restricted::set_restriction(
        &state.vault,
        item.sha256,
        action,
        &input.reason,
        &actor,
    )
    .await?;
    Ok(Json(RestrictionResult {
        restricted: action == RestrictionAction::Mark,
        changed: outcome.record.is_some(),
        items: outcome.items.len(),
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

    #[test]
    fn files_of_a_capture_are_known_by_their_place_in_the_bundle() {
        let role = |p: &str| capture_role(path_in_capture(p));
        assert_eq!(role("capture-1/screenshot.png"), "screenshot");
        assert_eq!(role("capture-1/dom.html"), "dom");
        assert_eq!(role("capture-1/capture.warc.gz"), "warc");
        assert_eq!(role("capture-1/media/01-photo.jpg"), "media");
        assert_eq!(role("capture-1/page-02/text.txt"), "text");
        assert_eq!(role("capture-1/page-02/media/dom.html"), "media");
        assert_eq!(role("capture-1/posts/123.json"), "post");
        assert_eq!(role("capture-1/manifest.tsr"), "time_stamp");
        assert_eq!(role("capture-1/notes.txt"), "other");
        assert_eq!(
            page_of(path_in_capture("capture-1/page-02/text.txt")),
            "page-02"
        );
        assert_eq!(page_of(path_in_capture("capture-1/text.txt")), "");
    }
}
