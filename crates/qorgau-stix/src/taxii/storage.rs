//! Where a TAXII server keeps objects and statuses: a trait the server crate
//! implements over SQL, and [`MemoryStorage`] for tests and demos.

use std::collections::HashMap;
use std::convert::Infallible;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::query::{ObjectQuery, Page, Paging, StoredObject};
use super::resources::Status;

/// A version to store; the store assigns `date_added`.
#[derive(Clone, Debug, PartialEq)]
pub struct NewVersion {
    /// The STIX id.
    pub id: String,
    /// The STIX type.
    pub object_type: String,
    /// `spec_version`.
    pub spec_version: String,
    /// `modified`, else `created`, if the object has one.
    pub version: Option<DateTime<Utc>>,
    /// That timestamp's text as sent.
    pub version_text: Option<String>,
    /// The object.
    pub object: serde_json::Value,
}

/// What storing a version did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddOutcome {
    /// Stored, with this `date_added`.
    Added(DateTime<Utc>),
    /// The same id and version was already stored (for unversioned objects:
    /// the same id); nothing changed. TAXII counts this as a success.
    AlreadyPresent,
}

/// A status and who may read it (the requester that made the request).
#[derive(Clone, Debug, PartialEq)]
pub struct StoredStatus {
    /// The API root it belongs to.
    pub api_root: String,
    /// The principal that sent the request.
    pub owner: String,
    /// The status resource.
    pub status: Status,
}

/// The storage a [`super::TaxiiServer`] runs on.
///
/// Contract, which the SQL implementation must keep:
///
/// * `date_added` is assigned by the store, at least `now`, and strictly
///   greater than every other `date_added` of the same collection (for
///   example `max(now, last + 1µs)` in the inserting transaction). Paging
///   tokens and `added_after` rely on it: with ties a client could skip an
///   object.
/// * `query` returns exactly the page [`ObjectQuery::page`] computes over all
///   versions of the collection (filters, version choice, `added_after`,
///   order by `date_added`, `limit` after `paging.after`).
pub trait Storage {
    /// The store's error; the server answers it with HTTP 500 and logs
    /// nothing of it to the client.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Stores one version of one object in a collection.
    fn add_version(
        &mut self,
        collection: Uuid,
        version: NewVersion,
        now: DateTime<Utc>,
    ) -> Result<AddOutcome, Self::Error>;

    /// One page of the versions a query selects.
    fn query(
        &self,
        collection: Uuid,
        query: &ObjectQuery,
        paging: Paging,
    ) -> Result<Page, Self::Error>;

    /// Keeps a status so `GET status` can return it later.
    fn save_status(&mut self, status: StoredStatus) -> Result<(), Self::Error>;

    /// A status by API root and id.
    fn status(&self, api_root: &str, id: &str) -> Result<Option<StoredStatus>, Self::Error>;
}

/// Everything in memory, for tests, demos and the reference behaviour.
#[derive(Clone, Debug, Default)]
pub struct MemoryStorage {
    objects: HashMap<Uuid, Vec<StoredObject>>,
    statuses: Vec<StoredStatus>,
}

impl MemoryStorage {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStorage::default()
    }

    /// Every stored version of a collection, in insertion order.
    pub fn versions(&self, collection: Uuid) -> &[StoredObject] {
        self.objects
            .get(&collection)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

impl Storage for MemoryStorage {
    type Error = Infallible;

    fn add_version(
        &mut self,
        collection: Uuid,
        version: NewVersion,
        now: DateTime<Utc>,
    ) -> Result<AddOutcome, Self::Error> {
        let stored = self.objects.entry(collection).or_default();
        if stored
            .iter()
            .any(|o| o.id == version.id && o.version == version.version)
        {
            return Ok(AddOutcome::AlreadyPresent);
        }
        // Microsecond resolution, as the timestamps are written.
        let now = DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now);
        let date_added = match stored.iter().map(|o| o.date_added).max() {
            Some(last) if last >= now => last + Duration::microseconds(1),
            _ => now,
        };
        stored.push(StoredObject {
            id: version.id,
            object_type: version.object_type,
            spec_version: version.spec_version,
            version: version.version,
            version_text: version.version_text,
            date_added,
            object: version.object,
        });
        Ok(AddOutcome::Added(date_added))
    }

    fn query(
        &self,
        collection: Uuid,
        query: &ObjectQuery,
        paging: Paging,
    ) -> Result<Page, Self::Error> {
        Ok(query.page(self.versions(collection), paging))
    }

    fn save_status(&mut self, status: StoredStatus) -> Result<(), Self::Error> {
        self.statuses
            .retain(|s| !(s.api_root == status.api_root && s.status.id == status.status.id));
        self.statuses.push(status);
        Ok(())
    }

    fn status(&self, api_root: &str, id: &str) -> Result<Option<StoredStatus>, Self::Error> {
        Ok(self
            .statuses
            .iter()
            .find(|s| s.api_root == api_root && s.status.id == id)
            .cloned())
    }
}
