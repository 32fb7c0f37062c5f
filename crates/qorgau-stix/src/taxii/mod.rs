//! TAXII 2.1 without HTTP: resources, filters and pagination, access per
//! sharing group, and a storage trait.
//!
//! One API root holds one collection per sharing group (the partners that
//! may see a case's indicators: a region's police, prosecutors and NGOs; an
//! international liaison group). A requester sees only the collections of
//! its groups, with `can_read`/`can_write` computed for it; everything else
//! answers 404 so group membership does not leak.
//!
//! The HTTP server's part is small: authenticate the caller into a
//! [`Requester`], decode the query string, read the body (bounded by the API
//! root's `max_content_length`), build a [`Request`], call
//! [`TaxiiServer::handle`], and write the [`Response`].

mod query;
mod resources;
mod server;
mod storage;

pub use query::{Allowed, ObjectQuery, Page, Paging, StoredObject, VersionSelector};
pub use resources::{
    ApiRootInformation, CollectionInfo, Collections, Discovery, Envelope, ErrorMessage, Manifest,
    ManifestRecord, Status, StatusDetails, Versions,
};
pub use server::{
    ApiRootConfig, Paged, Request, Requester, Response, ServerConfig, SharingGroup, TaxiiServer,
};
pub use storage::{AddOutcome, MemoryStorage, NewVersion, Storage, StoredStatus};

pub use crate::{STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE};

/// A TAXII failure: the HTTP status and the error message resource's text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{status} {title}: {description}")]
pub struct TaxiiError {
    /// HTTP status code.
    pub status: u16,
    /// Short summary.
    pub title: String,
    /// Explanation for the client.
    pub description: String,
}

impl TaxiiError {
    /// An error with any status.
    pub fn new(status: u16, title: &str, description: &str) -> Self {
        TaxiiError {
            status,
            title: title.to_owned(),
            description: description.to_owned(),
        }
    }

    /// 400 with an explanation of what in the request is wrong.
    pub fn bad_request(description: String) -> Self {
        TaxiiError {
            status: 400,
            title: "Bad request".into(),
            description,
        }
    }

    /// 404 for a thing that does not exist or is not the requester's to see.
    pub fn not_found(what: &str) -> Self {
        TaxiiError::new(
            404,
            "Not found",
            &format!("No such {what}, or no access to it."),
        )
    }

    /// 403 for a collection the requester sees but may not use this way.
    pub fn forbidden(action: &str) -> Self {
        TaxiiError::new(403, "Forbidden", &format!("You may not {action}."))
    }
}
