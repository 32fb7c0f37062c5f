//! The TAXII 2.1 server at `/taxii2/`: one API root (`qorgau`) with one
//! collection per sharing group, over the database.
//!
//! Everything TAXII decides (routing, content negotiation, filters, paging,
//! what a group may receive) is `qorgau_stix::taxii`; this module
//! authenticates the caller (the same sessions and API tokens as the JSON
//! API, a partner system's token being the usual client), turns the user's
//! agency into the TAXII requester (`agency:<id>`: groups are made of
//! agencies), and runs the request on the store. The TAXII logic is
//! synchronous, so it runs on a blocking thread that waits on the async
//! store there ([`SqlStorage`]); requests are short and few.
//!
//! These endpoints speak `application/taxii+json` and have their own
//! specification, so they are not in the OpenAPI document; the sharing
//! groups themselves are managed through the JSON API (`/api/sharing-groups`).

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::{DateTime, Utc};
use qorgau_response::Permission;
use qorgau_stix::taxii::{
    AddOutcome, ApiRootConfig, NewVersion, ObjectQuery, Page, Paging, Requester, ServerConfig,
    SharingGroup, Status, Storage, StoredStatus, TaxiiError, TaxiiServer,
};
use qorgau_store::{SharingGroupRow, Store, StoreError};
use uuid::Uuid;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// The API root's path segment: collections live under `/taxii2/qorgau/`.
pub const API_ROOT: &str = "qorgau";

/// The TAXII storage contract over the database, for a blocking thread.
pub struct SqlStorage {
    store: Store,
    runtime: tokio::runtime::Handle,
}

impl SqlStorage {
    /// Storage on `store`, waiting on `runtime` (call from a blocking
    /// thread only: `block_on` panics on a runtime worker).
    pub fn new(store: Store, runtime: tokio::runtime::Handle) -> Self {
        SqlStorage { store, runtime }
    }
}

impl Storage for SqlStorage {
    type Error = StoreError;

    fn add_version(
        &mut self,
        collection: Uuid,
        version: NewVersion,
        now: DateTime<Utc>,
    ) -> Result<AddOutcome, StoreError> {
        self.runtime
            .block_on(self.store.taxii_add_version(collection, &version, now))
    }

    fn query(
        &self,
        collection: Uuid,
        query: &ObjectQuery,
        paging: Paging,
    ) -> Result<Page, StoreError> {
        self.runtime
            .block_on(self.store.taxii_query(collection, query, paging))
    }

    fn save_status(&mut self, status: StoredStatus) -> Result<(), StoreError> {
        self.runtime.block_on(self.store.taxii_save_status(&status))
    }

    fn status(&self, api_root: &str, id: &str) -> Result<Option<StoredStatus>, StoreError> {
        self.runtime.block_on(self.store.taxii_status(api_root, id))
    }
}

/// The TAXII principal of an agency.
pub fn principal_of(agency_id: qorgau_core::Id) -> String {
    format!("agency:{agency_id}")
}

/// A stored group as the TAXII logic sees it.
pub fn sharing_group(row: &SharingGroupRow) -> SharingGroup {
    let members = |pick: fn(&qorgau_store::GroupMember) -> bool| {
        row.members
            .iter()
            .filter(|m| pick(m))
            .map(|m| principal_of(m.agency_id))
            .collect()
    };
    SharingGroup {
        id: row.id,
        alias: row.alias.clone(),
        title: row.title.clone(),
        description: row.description.clone(),
        readers: members(|m| m.can_read),
        writers: members(|m| m.can_write),
        max_tlp: row.max_tlp,
    }
}

/// The server's TAXII settings with the groups as stored now; discovery
/// names the API root under `base_url`.
async fn config(state: &AppState, base_url: String) -> Result<ServerConfig, ApiError> {
    let groups = state.vault.store.sharing_groups().await?;
    Ok(ServerConfig {
        base_url,
        title: "Qorgau: indicators shared between agencies".into(),
        description: Some(
            "One collection per sharing group; objects carry TLP 2.0 markings and no victim data."
                .into(),
        ),
        contact: None,
        max_page_size: state.config.taxii_max_page_size,
        api_roots: vec![ApiRootConfig {
            name: API_ROOT.into(),
            title: "Qorgau sharing groups".into(),
            description: None,
            max_content_length: state.config.taxii_max_content_length,
            groups: groups.iter().map(sharing_group).collect(),
        }],
    })
}

/// `https://host/taxii2`: the configured public URL, else the `Host` the
/// client used over plain HTTP (development on loopback).
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    let root = match &state.config.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("127.0.0.1");
            format!("http://{host}")
        }
    };
    format!("{root}/taxii2")
}

fn taxii_error(error: TaxiiError) -> Response {
    into_response(qorgau_stix::taxii::Response::from(error))
}

fn into_response(r: qorgau_stix::taxii::Response) -> Response {
    let mut response = Response::new(Body::from(r.body));
    *response.status_mut() =
        StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in r.headers {
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::try_from(name),
            HeaderValue::from_str(&value),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// The TAXII error for an API error (sign-in, permission, store).
fn from_api(error: ApiError) -> Response {
    let (status, title) = match &error {
        ApiError::Unauthenticated | ApiError::BadCredentials => (401, "Unauthorized"),
        ApiError::Forbidden(_) => (403, "Forbidden"),
        ApiError::Internal(detail) => {
            tracing::error!(%detail, "TAXII request failed");
            (500, "Internal error")
        }
        _ => (400, "Bad request"),
    };
    let mut response = taxii_error(TaxiiError::new(status, title, &error.to_string()));
    if status == 401 {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"qorgau\""),
        );
    }
    response
}

/// Runs one TAXII request for an agency: the TAXII logic on a blocking
/// thread over the store.
#[allow(clippy::too_many_arguments)]
pub async fn run(
    state: &AppState,
    requester: Requester,
    base_url: String,
    method: String,
    path: String,
    query: Vec<(String, String)>,
    accept: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
) -> Result<qorgau_stix::taxii::Response, ApiError> {
    let config = config(state, base_url).await?;
    let storage = SqlStorage::new(state.vault.store.clone(), tokio::runtime::Handle::current());
    tokio::task::spawn_blocking(move || {
        let mut server = TaxiiServer::new(config, storage);
        server.handle(&qorgau_stix::taxii::Request {
            method: &method,
            path: &path,
            query: &query,
            accept: accept.as_deref(),
            content_type: content_type.as_deref(),
            body: &body,
            requester: &requester,
            now: Utc::now(),
            status_id: Uuid::now_v7(),
        })
    })
    .await
    .map_err(|e| ApiError::Internal(format!("TAXII request: {e}")))
}

/// Adds `objects` to a group's collection for `agency` (publishing a case's
/// bundle): the same checks as a partner's `POST`, answered with its status.
pub async fn publish(
    state: &AppState,
    agency: qorgau_core::Id,
    group: Uuid,
    objects: &[serde_json::Value],
) -> Result<Status, ApiError> {
    let body = serde_json::to_vec(&serde_json::json!({ "objects": objects }))
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let response = run(
        state,
        Requester::new(principal_of(agency)),
        base_url(state, &HeaderMap::new()),
        "POST".into(),
        format!("/{API_ROOT}/collections/{group}/objects/"),
        Vec::new(),
        None,
        Some(qorgau_stix::TAXII_MEDIA_TYPE.into()),
        body,
    )
    .await?;
    if response.status != 202 {
        let message: serde_json::Value = serde_json::from_slice(&response.body).unwrap_or_default();
        let text = message["description"].as_str().unwrap_or("refused");
        return Err(match response.status {
            403 | 404 => ApiError::Forbidden(format!(
                "sharing group {group}: your agency may not add to it ({text})"
            )),
            413 => ApiError::BadRequest(format!("sharing group {group}: {text}")),
            _ => ApiError::Internal(format!("publishing to {group}: {text}")),
        });
    }
    serde_json::from_slice(&response.body).map_err(|e| ApiError::Internal(e.to_string()))
}

/// Every request under `/taxii2/`.
pub async fn endpoint(State(state): State<AppState>, request: Request) -> Response {
    let (mut parts, body) = request.into_parts();
    let principal = match Principal::from_request_parts(&mut parts, &state).await {
        Ok(p) => p,
        Err(e) => return from_api(e),
    };
    if let Err(e) = principal.require(Permission::ShareIndicators) {
        return from_api(e);
    }
    let limit = usize::try_from(state.config.taxii_max_content_length).unwrap_or(usize::MAX);
    let body = match axum::body::to_bytes(body, limit.saturating_add(1)).await {
        Ok(b) if b.len() <= limit => b.to_vec(),
        _ => {
            return taxii_error(TaxiiError::new(
                413,
                "Request too large",
                &format!("This API root accepts at most {limit} bytes."),
            ));
        }
    };
    // `/taxii2/` is discovery; below it, paths are relative to the server's
    // base URL (`/qorgau/collections/…`), as the TAXII logic routes them.
    let full = parts.uri.path();
    let rest = full.strip_prefix("/taxii2").unwrap_or(full);
    let path = if rest.trim_matches('/').is_empty() {
        "/taxii2".to_owned()
    } else {
        rest.to_owned()
    };
    let query = match axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&parts.uri) {
        Ok(q) => q.0,
        Err(e) => {
            return taxii_error(TaxiiError::bad_request(format!(
                "The query string does not parse: {e}"
            )));
        }
    };
    let header_text = |name: header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let response = run(
        &state,
        Requester::new(principal_of(principal.user.agency_id)),
        base_url(&state, &parts.headers),
        parts.method.as_str().to_owned(),
        path,
        query,
        header_text(header::ACCEPT),
        header_text(header::CONTENT_TYPE),
        body,
    )
    .await;
    match response {
        Ok(r) => into_response(r),
        Err(e) => from_api(e),
    }
}
