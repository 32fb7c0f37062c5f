//! The TAXII 2.1 resources (section 4 and 5 of the specification) as the
//! server sends them. Field names are the specification's; optional fields
//! are omitted when empty, as taxii2-client and medallion expect.

use serde::{Deserialize, Serialize};

/// The discovery resource (`GET /taxii2/`): what a partner's client reads
/// first to find the API roots.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Discovery {
    /// Human-readable name of the server.
    pub title: String,
    /// What the server is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whom partners contact about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The API root to use when a client has no preference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// URLs of the API roots.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub api_roots: Vec<String>,
}

/// An API root's information (`GET /{root}/`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiRootInformation {
    /// Human-readable name.
    pub title: String,
    /// What the root holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// TAXII versions served: only [`crate::TAXII_MEDIA_TYPE`].
    pub versions: Vec<String>,
    /// Largest request body accepted, in bytes.
    pub max_content_length: u64,
}

/// A collection as a requester sees it: `can_read`/`can_write` are that
/// requester's rights, not the group's membership.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CollectionInfo {
    /// The collection's UUID.
    pub id: String,
    /// Human-readable name (the sharing group's).
    pub title: String,
    /// Who shares here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A short name usable instead of the id in the URL's place in clients.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Whether the requester may get objects.
    pub can_read: bool,
    /// Whether the requester may add objects.
    pub can_write: bool,
    /// Object media types held: [`crate::STIX_MEDIA_TYPE`].
    pub media_types: Vec<String>,
}

/// The collections resource (`GET /{root}/collections/`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Collections {
    /// The collections the requester may read or write.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collections: Vec<CollectionInfo>,
}

/// The envelope of objects (`GET …/objects/`, `POST …/objects/` body).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    /// Whether another page follows.
    #[serde(default)]
    pub more: bool,
    /// The token for the next page, when `more`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// The STIX objects.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<serde_json::Value>,
}

/// One version of one object in a manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestRecord {
    /// The object's id.
    pub id: String,
    /// When this server added this version (microseconds).
    pub date_added: String,
    /// The version (the object's `modified`, else `created`, else
    /// `date_added`).
    pub version: String,
    /// [`crate::STIX_MEDIA_TYPE`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
}

/// The manifest resource (`GET …/manifest/`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Whether another page follows.
    #[serde(default)]
    pub more: bool,
    /// The token for the next page, when `more` (the specification leaves it
    /// out of the manifest resource; taxii2-client reads it anyway).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// The records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<ManifestRecord>,
}

/// The versions resource (`GET …/objects/{id}/versions/`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Versions {
    /// Whether another page follows.
    #[serde(default)]
    pub more: bool,
    /// The token for the next page, when `more`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// The versions, oldest added first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
}

/// The outcome of one object of an add request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatusDetails {
    /// The object's id (as sent, when it was unusable).
    pub id: String,
    /// The object's version (empty when it had none readable).
    pub version: String,
    /// Why it failed, or a note on success ("already present").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The status resource of an add request (`GET /{root}/status/{id}/`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Status {
    /// The status id (chosen by the caller of the add, e.g. a UUIDv7).
    pub id: String,
    /// `complete` or `pending`.
    pub status: String,
    /// When the request arrived.
    pub request_timestamp: String,
    /// Objects in the request.
    pub total_count: u64,
    /// Objects stored (or already present).
    pub success_count: u64,
    /// Their details.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub successes: Vec<StatusDetails>,
    /// Objects refused.
    pub failure_count: u64,
    /// Their details.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<StatusDetails>,
    /// Objects not processed yet (asynchronous stores).
    pub pending_count: u64,
    /// Their details.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pendings: Vec<StatusDetails>,
}

/// The error message resource sent with every 4xx/5xx answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorMessage {
    /// Short, human-readable summary.
    pub title: String,
    /// Longer explanation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The HTTP status, as a string (the specification's type).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<String>,
}
