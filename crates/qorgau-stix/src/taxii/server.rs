//! The TAXII 2.1 endpoints as functions of (requester, parameters) over a
//! [`Storage`], and [`TaxiiServer::handle`], which maps a transport-neutral
//! [`Request`] to a [`Response`]. The HTTP server supplies TLS, the socket and
//! authentication (it turns a client certificate or token into a
//! [`Requester`]); everything TAXII decides is here, where it can be tested
//! without a network.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::TaxiiError;
use super::query::{Allowed, ObjectQuery, Page, Paging, StoredObject, VersionSelector};
use super::resources::{
    ApiRootInformation, CollectionInfo, Collections, Discovery, Envelope, ErrorMessage, Manifest,
    ManifestRecord, Status, StatusDetails, Versions,
};
use super::storage::{AddOutcome, NewVersion, Storage, StoredStatus};
use crate::model::Tlp;
use crate::time::{parse_timestamp, taxii_timestamp};
use crate::{STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE};

/// Who is asking: the principal the HTTP layer authenticated (an
/// organisation's or a user's id, as the sharing groups list them).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Requester {
    /// The authenticated principal.
    pub principal: String,
}

impl Requester {
    /// A requester for `principal`.
    pub fn new(principal: impl Into<String>) -> Self {
        Requester {
            principal: principal.into(),
        }
    }
}

/// A sharing group: the partners that exchange indicators through one TAXII
/// collection (for example "Almaty region: police, prosecutors, NGOs").
#[derive(Clone, Debug, PartialEq)]
pub struct SharingGroup {
    /// The collection id.
    pub id: Uuid,
    /// Optional short name of the collection.
    pub alias: Option<String>,
    /// Name shown to partners.
    pub title: String,
    /// Who the group is, shown to partners.
    pub description: Option<String>,
    /// Principals that may read.
    pub readers: BTreeSet<String>,
    /// Principals that may add.
    pub writers: BTreeSet<String>,
    /// The most restrictive TLP an object added here may carry: a group of
    /// many organisations should not receive TLP:RED, and the server refuses
    /// such objects instead of trusting every sender to remember.
    pub max_tlp: Tlp,
}

impl SharingGroup {
    fn can_read(&self, who: &Requester) -> bool {
        self.readers.contains(&who.principal)
    }

    fn can_write(&self, who: &Requester) -> bool {
        self.writers.contains(&who.principal)
    }

    fn visible_to(&self, who: &Requester) -> bool {
        self.can_read(who) || self.can_write(who)
    }

    fn info(&self, who: &Requester) -> CollectionInfo {
        CollectionInfo {
            id: self.id.to_string(),
            title: self.title.clone(),
            description: self.description.clone(),
            alias: self.alias.clone(),
            can_read: self.can_read(who),
            can_write: self.can_write(who),
            media_types: vec![STIX_MEDIA_TYPE.to_owned()],
        }
    }
}

/// One API root and its collections.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiRootConfig {
    /// The root's path segment (`qorgau` for `/qorgau/`): `[A-Za-z0-9_-]`.
    pub name: String,
    /// Title shown to partners.
    pub title: String,
    /// Description shown to partners.
    pub description: Option<String>,
    /// Largest request body accepted, in bytes.
    pub max_content_length: u64,
    /// The sharing groups, one collection each.
    pub groups: Vec<SharingGroup>,
}

/// The server's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerConfig {
    /// The public URL the server is reached at, without a trailing slash
    /// (`https://taxii.qorgau.example`); API root URLs in discovery are built
    /// from it.
    pub base_url: String,
    /// Title of the discovery resource.
    pub title: String,
    /// Description of the discovery resource.
    pub description: Option<String>,
    /// Contact of the discovery resource.
    pub contact: Option<String>,
    /// The API roots; the first is the default.
    pub api_roots: Vec<ApiRootConfig>,
    /// Largest page the server returns, whatever `limit` asks.
    pub max_page_size: usize,
}

/// A response body with the `X-TAXII-Date-Added-First`/`-Last` values of
/// the page it holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Paged<T> {
    /// The resource.
    pub body: T,
    /// `date_added` of the first item, if any.
    pub date_added_first: Option<String>,
    /// `date_added` of the last item, if any.
    pub date_added_last: Option<String>,
}

impl<T> Paged<T> {
    fn new(body: T, page: &Page) -> Self {
        Paged {
            body,
            date_added_first: page.items.first().map(|o| taxii_timestamp(o.date_added)),
            date_added_last: page.items.last().map(|o| taxii_timestamp(o.date_added)),
        }
    }
}

/// The TAXII 2.1 server logic over a store.
#[derive(Debug)]
pub struct TaxiiServer<S> {
    config: ServerConfig,
    storage: S,
}

fn storage_error<E: std::error::Error>(_: E) -> TaxiiError {
    TaxiiError::new(
        500,
        "Storage failure",
        "The server could not read or write its store.",
    )
}

impl<S: Storage> TaxiiServer<S> {
    /// A server with `config` over `storage`.
    pub fn new(config: ServerConfig, storage: S) -> Self {
        TaxiiServer { config, storage }
    }

    /// The store, for inspection.
    pub fn storage(&self) -> &S {
        &self.storage
    }

    /// The settings.
    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    fn root_url(&self, root: &ApiRootConfig) -> String {
        format!(
            "{}/{}/",
            self.config.base_url.trim_end_matches('/'),
            root.name
        )
    }

    /// `GET /taxii2/`.
    pub fn discovery(&self, _who: &Requester) -> Discovery {
        let api_roots: Vec<String> = self
            .config
            .api_roots
            .iter()
            .map(|r| self.root_url(r))
            .collect();
        Discovery {
            title: self.config.title.clone(),
            description: self.config.description.clone(),
            contact: self.config.contact.clone(),
            default: api_roots.first().cloned(),
            api_roots,
        }
    }

    fn root(&self, name: &str) -> Result<&ApiRootConfig, TaxiiError> {
        self.config
            .api_roots
            .iter()
            .find(|r| r.name == name)
            .ok_or_else(|| TaxiiError::not_found("API root"))
    }

    /// `GET /{root}/`.
    pub fn api_root(&self, _who: &Requester, root: &str) -> Result<ApiRootInformation, TaxiiError> {
        let root = self.root(root)?;
        Ok(ApiRootInformation {
            title: root.title.clone(),
            description: root.description.clone(),
            versions: vec![TAXII_MEDIA_TYPE.to_owned()],
            max_content_length: root.max_content_length,
        })
    }

    /// `GET /{root}/collections/`: only the groups the requester belongs to.
    pub fn collections(&self, who: &Requester, root: &str) -> Result<Collections, TaxiiError> {
        let root = self.root(root)?;
        Ok(Collections {
            collections: root
                .groups
                .iter()
                .filter(|g| g.visible_to(who))
                .map(|g| g.info(who))
                .collect(),
        })
    }

    /// A collection by id or alias. A group the requester is not in answers
    /// 404 like a missing one, so membership lists do not leak.
    fn group(
        &self,
        who: &Requester,
        root: &str,
        collection: &str,
    ) -> Result<&SharingGroup, TaxiiError> {
        let root = self.root(root)?;
        root.groups
            .iter()
            .find(|g| g.id.to_string() == collection || g.alias.as_deref() == Some(collection))
            .filter(|g| g.visible_to(who))
            .ok_or_else(|| TaxiiError::not_found("collection"))
    }

    fn readable(
        &self,
        who: &Requester,
        root: &str,
        collection: &str,
    ) -> Result<&SharingGroup, TaxiiError> {
        let group = self.group(who, root, collection)?;
        if group.can_read(who) {
            Ok(group)
        } else {
            Err(TaxiiError::forbidden("read this collection"))
        }
    }

    /// `GET /{root}/collections/{id}/`.
    pub fn collection(
        &self,
        who: &Requester,
        root: &str,
        collection: &str,
    ) -> Result<CollectionInfo, TaxiiError> {
        Ok(self.group(who, root, collection)?.info(who))
    }

    fn run(
        &self,
        group: &SharingGroup,
        query: &ObjectQuery,
        paging: Paging,
    ) -> Result<Page, TaxiiError> {
        self.storage
            .query(group.id, query, paging)
            .map_err(storage_error)
    }

    /// `GET /{root}/collections/{id}/objects/` with its filters.
    pub fn get_objects(
        &self,
        who: &Requester,
        root: &str,
        collection: &str,
        params: &[(String, String)],
    ) -> Result<Paged<Envelope>, TaxiiError> {
        let group = self.readable(who, root, collection)?;
        let (query, paging) =
            ObjectQuery::parse(params, Allowed::LISTING, self.config.max_page_size)?;
        let page = self.run(group, &query, paging)?;
        Ok(Paged::new(envelope(&page), &page))
    }

    /// `GET /{root}/collections/{id}/objects/{object_id}/`: 404 when no
    /// version matches.
    pub fn get_object(
        &self,
        who: &Requester,
        root: &str,
        collection: &str,
        object_id: &str,
        params: &[(String, String)],
    ) -> Result<Paged<Envelope>, TaxiiError> {
        let group = self.readable(who, root, collection)?;
        let (mut query, paging) =
            ObjectQuery::parse(params, Allowed::OBJECT, self.config.max_page_size)?;
        query.ids = Some(vec![object_id.to_owned()]);
        let page = self.run(group, &query, paging)?;
        if page.items.is_empty() && paging.after.is_none() {
            return Err(TaxiiError::not_found("object"));
        }
        Ok(Paged::new(envelope(&page), &page))
    }

    /// `GET /{root}/collections/{id}/objects/{object_id}/versions/`.
    pub fn object_versions(
        &self,
        who: &Requester,
        root: &str,
        collection: &str,
        object_id: &str,
        params: &[(String, String)],
    ) -> Result<Paged<Versions>, TaxiiError> {
        let group = self.readable(who, root, collection)?;
        let (mut query, paging) =
            ObjectQuery::parse(params, Allowed::VERSIONS, self.config.max_page_size)?;
        query.ids = Some(vec![object_id.to_owned()]);
        query.versions = VersionSelector::all();
        let page = self.run(group, &query, paging)?;
        if page.items.is_empty() && paging.after.is_none() {
            return Err(TaxiiError::not_found("object"));
        }
        let body = Versions {
            more: page.more,
            next: page.next_token(),
            versions: page
                .items
                .iter()
                .map(StoredObject::version_string)
                .collect(),
        };
        Ok(Paged::new(body, &page))
    }

    /// `GET /{root}/collections/{id}/manifest/` with its filters.
    pub fn manifest(
        &self,
        who: &Requester,
        root: &str,
        collection: &str,
        params: &[(String, String)],
    ) -> Result<Paged<Manifest>, TaxiiError> {
        let group = self.readable(who, root, collection)?;
        let (query, paging) =
            ObjectQuery::parse(params, Allowed::LISTING, self.config.max_page_size)?;
        let page = self.run(group, &query, paging)?;
        let body = Manifest {
            more: page.more,
            next: page.next_token(),
            objects: page
                .items
                .iter()
                .map(|o| ManifestRecord {
                    id: o.id.clone(),
                    date_added: taxii_timestamp(o.date_added),
                    version: o.version_string(),
                    media_type: Some(STIX_MEDIA_TYPE.to_owned()),
                })
                .collect(),
        };
        Ok(Paged::new(body, &page))
    }

    /// `POST /{root}/collections/{id}/objects/`: stores what it can and
    /// returns the status (already complete: storing is synchronous).
    /// `status_id` is chosen by the caller (a fresh UUIDv7) so this crate
    /// needs no randomness; `now` is the request time.
    pub fn add_objects(
        &mut self,
        who: &Requester,
        root: &str,
        collection: &str,
        body: &[u8],
        status_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Status, TaxiiError> {
        let max = self.root(root)?.max_content_length;
        let group = self.group(who, root, collection)?;
        if !group.can_write(who) {
            return Err(TaxiiError::forbidden("add objects to this collection"));
        }
        if body.len() as u64 > max {
            return Err(TaxiiError::new(
                413,
                "Request too large",
                &format!(
                    "The body has {} bytes; this API root accepts at most {max}.",
                    body.len()
                ),
            ));
        }
        let envelope: Value = serde_json::from_slice(body)
            .map_err(|e| TaxiiError::bad_request(format!("The body is not JSON: {e}")))?;
        let Some(objects) = envelope.get("objects").and_then(Value::as_array) else {
            return Err(TaxiiError::bad_request(
                "The body is not a TAXII envelope with an objects list.".into(),
            ));
        };
        let (collection_id, max_tlp) = (group.id, group.max_tlp);
        let mut status = Status {
            id: status_id.to_string(),
            status: "complete".into(),
            request_timestamp: taxii_timestamp(now),
            total_count: objects.len() as u64,
            success_count: 0,
            successes: Vec::new(),
            failure_count: 0,
            failures: Vec::new(),
            pending_count: 0,
            pendings: Vec::new(),
        };
        for object in objects {
            match admit(object, max_tlp) {
                Err(details) => status.failures.push(details),
                Ok(version) => {
                    let id = version.id.clone();
                    let version_text = version.version_text.clone();
                    let outcome = self
                        .storage
                        .add_version(collection_id, version, now)
                        .map_err(storage_error)?;
                    let (version, message) = match outcome {
                        AddOutcome::Added(date_added) => (
                            version_text.unwrap_or_else(|| taxii_timestamp(date_added)),
                            None,
                        ),
                        AddOutcome::AlreadyPresent => (
                            version_text.unwrap_or_default(),
                            Some("This version was already present.".to_owned()),
                        ),
                    };
                    status.successes.push(StatusDetails {
                        id,
                        version,
                        message,
                    });
                }
            }
        }
        status.success_count = status.successes.len() as u64;
        status.failure_count = status.failures.len() as u64;
        self.storage
            .save_status(StoredStatus {
                api_root: root.to_owned(),
                owner: who.principal.clone(),
                status: status.clone(),
            })
            .map_err(storage_error)?;
        Ok(status)
    }

    /// `GET /{root}/status/{id}/`: only the requester that sent the request
    /// may read its status.
    pub fn status(&self, who: &Requester, root: &str, id: &str) -> Result<Status, TaxiiError> {
        self.root(root)?;
        match self.storage.status(root, id).map_err(storage_error)? {
            Some(stored) if stored.owner == who.principal => Ok(stored.status),
            _ => Err(TaxiiError::not_found("status")),
        }
    }
}

fn envelope(page: &Page) -> Envelope {
    Envelope {
        more: page.more,
        next: page.next_token(),
        objects: page.items.iter().map(|o| o.object.clone()).collect(),
    }
}

/// Checks one posted object; `Err` holds its failure details.
fn admit(object: &Value, max_tlp: Tlp) -> Result<NewVersion, StatusDetails> {
    let text = |name: &str| object.get(name).and_then(Value::as_str);
    let id = text("id").unwrap_or("").to_owned();
    let fail = |message: String, version: &str| StatusDetails {
        id: if id.is_empty() {
            "(no id)".into()
        } else {
            id.clone()
        },
        version: version.to_owned(),
        message: Some(message),
    };
    let Some(object_type) = text("type") else {
        return Err(fail("The object has no type.".into(), ""));
    };
    let Some(uuid) = id
        .strip_prefix(object_type)
        .and_then(|rest| rest.strip_prefix("--"))
    else {
        return Err(fail(
            format!("The id does not start with the type {object_type:?} and '--'."),
            "",
        ));
    };
    if Uuid::parse_str(uuid).is_err() {
        return Err(fail("The id does not end in a UUID.".into(), ""));
    }
    let version_text = text("modified").or_else(|| text("created"));
    let version = match version_text {
        Some(t) => Some(
            parse_timestamp(t)
                .ok_or_else(|| fail(format!("The version {t:?} is not a STIX timestamp."), t))?,
        ),
        None => None,
    };
    let shown = version_text.unwrap_or("");
    let spec_version = text("spec_version").unwrap_or("2.1");
    if spec_version != "2.1" {
        return Err(fail(
            format!("spec_version {spec_version:?}: this server holds STIX 2.1 only."),
            shown,
        ));
    }
    let markings = object
        .get("object_marking_refs")
        .and_then(Value::as_array)
        .map(|refs| {
            refs.iter()
                .filter_map(Value::as_str)
                .filter_map(Tlp::from_marking_definition_id)
                .max()
        })
        .unwrap_or(None);
    if let Some(level) = markings
        && level > max_tlp
    {
        return Err(fail(
            format!(
                "Marked {}, more restrictive than this collection allows ({}).",
                level.name(),
                max_tlp.name()
            ),
            shown,
        ));
    }
    Ok(NewVersion {
        id: id.clone(),
        object_type: object_type.to_owned(),
        spec_version: spec_version.to_owned(),
        version,
        version_text: version_text.map(str::to_owned),
        object: object.clone(),
    })
}

/// A transport-neutral request: what the HTTP layer read, already
/// authenticated.
#[derive(Clone, Debug, PartialEq)]
pub struct Request<'a> {
    /// `GET` or `POST` (others answer 405).
    pub method: &'a str,
    /// The path below the server's base URL, e.g. `/qorgau/collections/`.
    pub path: &'a str,
    /// Query string pairs, percent-decoded, in order.
    pub query: &'a [(String, String)],
    /// The `Accept` header, if sent.
    pub accept: Option<&'a str>,
    /// The `Content-Type` header, if sent.
    pub content_type: Option<&'a str>,
    /// The body (empty for `GET`).
    pub body: &'a [u8],
    /// Who is asking.
    pub requester: &'a Requester,
    /// The request time.
    pub now: DateTime<Utc>,
    /// The id a `POST` gives its status.
    pub status_id: Uuid,
}

/// What to send back: status, headers (`Content-Type` and the TAXII
/// headers) and the JSON body.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The body (a TAXII resource or an error message).
    pub body: Vec<u8>,
}

impl Response {
    fn json<T: Serialize>(status: u16, body: &T) -> Response {
        let body = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
        Response {
            status,
            headers: vec![("Content-Type".into(), TAXII_MEDIA_TYPE.into())],
            body,
        }
    }

    fn paged<T: Serialize>(paged: Paged<T>) -> Response {
        let mut response = Response::json(200, &paged.body);
        if let Some(first) = paged.date_added_first {
            response
                .headers
                .push(("X-TAXII-Date-Added-First".into(), first));
        }
        if let Some(last) = paged.date_added_last {
            response
                .headers
                .push(("X-TAXII-Date-Added-Last".into(), last));
        }
        response
    }

    /// The value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl From<TaxiiError> for Response {
    fn from(error: TaxiiError) -> Self {
        Response::json(
            error.status,
            &ErrorMessage {
                title: error.title,
                description: Some(error.description),
                http_status: Some(error.status.to_string()),
            },
        )
    }
}

/// Whether a media type (with parameters) is TAXII 2.1: `application/
/// taxii+json` with `version=2.1` or no version (which means the latest).
fn is_taxii(media: &str) -> bool {
    let mut parts = media.split(';').map(str::trim);
    let essence = parts.next().unwrap_or("");
    if !essence.eq_ignore_ascii_case("application/taxii+json") {
        return false;
    }
    parts
        .filter_map(|p| p.split_once('='))
        .filter(|(k, _)| k.trim().eq_ignore_ascii_case("version"))
        .all(|(_, v)| v.trim().trim_matches('"') == "2.1")
}

fn accepts_taxii(accept: Option<&str>) -> bool {
    let Some(accept) = accept else { return true };
    accept.split(',').any(|range| {
        let essence = range.split(';').next().unwrap_or("").trim();
        is_taxii(range) || essence == "*/*" || essence.eq_ignore_ascii_case("application/*")
    })
}

impl<S: Storage> TaxiiServer<S> {
    /// Answers one request: routing, content negotiation (406 for an
    /// `Accept` without TAXII 2.1, 415 for a `POST` body that is not TAXII
    /// 2.1), the endpoint, and the error message resource on failure.
    pub fn handle(&mut self, request: &Request<'_>) -> Response {
        match self.route(request) {
            Ok(response) => response,
            Err(error) => error.into(),
        }
    }

    fn route(&mut self, request: &Request<'_>) -> Result<Response, TaxiiError> {
        if !accepts_taxii(request.accept) {
            return Err(TaxiiError::new(
                406,
                "Not acceptable",
                &format!("This server answers {TAXII_MEDIA_TYPE} only."),
            ));
        }
        let who = request.requester;
        let segments: Vec<&str> = request.path.split('/').filter(|s| !s.is_empty()).collect();
        let q = request.query;
        let method = request.method.to_ascii_uppercase();
        match (segments.as_slice(), method.as_str()) {
            (["taxii2"], "GET") => Ok(Response::json(200, &self.discovery(who))),
            ([root], "GET") => Ok(Response::json(200, &self.api_root(who, root)?)),
            ([root, "status", id], "GET") => Ok(Response::json(200, &self.status(who, root, id)?)),
            ([root, "collections"], "GET") => {
                Ok(Response::json(200, &self.collections(who, root)?))
            }
            ([root, "collections", c], "GET") => {
                Ok(Response::json(200, &self.collection(who, root, c)?))
            }
            ([root, "collections", c, "manifest"], "GET") => {
                Ok(Response::paged(self.manifest(who, root, c, q)?))
            }
            ([root, "collections", c, "objects"], "GET") => {
                Ok(Response::paged(self.get_objects(who, root, c, q)?))
            }
            ([root, "collections", c, "objects"], "POST") => {
                if !request.content_type.is_some_and(is_taxii) {
                    return Err(TaxiiError::new(
                        415,
                        "Unsupported media type",
                        &format!("Send the envelope as {TAXII_MEDIA_TYPE}."),
                    ));
                }
                let status =
                    self.add_objects(who, root, c, request.body, request.status_id, request.now)?;
                Ok(Response::json(202, &status))
            }
            ([root, "collections", c, "objects", id], "GET") => {
                Ok(Response::paged(self.get_object(who, root, c, id, q)?))
            }
            ([root, "collections", c, "objects", id, "versions"], "GET") => {
                Ok(Response::paged(self.object_versions(who, root, c, id, q)?))
            }
            (
                ["taxii2"]
                | [_]
                | [_, "status", _]
                | [_, "collections"]
                | [_, "collections", _]
                | [_, "collections", _, "manifest" | "objects"]
                | [_, "collections", _, "objects", _]
                | [_, "collections", _, "objects", _, "versions"],
                _,
            ) => Err(TaxiiError::new(
                405,
                "Method not allowed",
                "This endpoint does not support the method (object deletion is not offered).",
            )),
            _ => Err(TaxiiError::not_found("resource")),
        }
    }
}
