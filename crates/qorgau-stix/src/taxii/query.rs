//! Filters and pagination of TAXII 2.1 (section 3.4–3.6), parsed from the
//! query string and applied by [`ObjectQuery::select`].
//!
//! `select` is the reference meaning of a query: the in-memory store uses it
//! directly and a SQL store must return the same rows (its tests can compare
//! against it). Order of application:
//!
//! 1. `match[id]`, `match[type]`, `match[spec_version]` keep matching
//!    versions;
//! 2. `match[version]` picks, per object, among *all* its versions in the
//!    collection: `last` (default), `first`, `all`, or exact timestamps
//!    (several may be combined with commas);
//! 3. `added_after` keeps those added after the instant;
//! 4. the rest is ordered by `date_added` (unique per collection, see
//!    [`super::Storage`]) and cut into pages of `limit`; `next` is the
//!    `date_added` of the last item returned, so a page is "the first
//!    `limit` items after the token".
//!
//! Picking the version before `added_after` means a client polling with
//! `added_after` never receives an older version as if it were the latest.

use chrono::{DateTime, Utc};

use super::TaxiiError;
use crate::time::parse_timestamp;

/// One stored version of one object.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredObject {
    /// The STIX id.
    pub id: String,
    /// The STIX type (the id's prefix).
    pub object_type: String,
    /// `spec_version` (`2.1`).
    pub spec_version: String,
    /// The version as the object states it (`modified`, else `created`), or
    /// `None` for objects without one (most SCOs), whose version is then
    /// their `date_added`.
    pub version: Option<DateTime<Utc>>,
    /// The version's text as in the object, so it is echoed unchanged.
    pub version_text: Option<String>,
    /// When this server stored the version; unique within a collection.
    pub date_added: DateTime<Utc>,
    /// The object.
    pub object: serde_json::Value,
}

impl StoredObject {
    /// The version used for `match[version]`, manifests and versions.
    pub fn effective_version(&self) -> DateTime<Utc> {
        self.version.unwrap_or(self.date_added)
    }

    /// The version as text: the object's own, else `date_added`.
    pub fn version_string(&self) -> String {
        self.version_text
            .clone()
            .unwrap_or_else(|| crate::time::taxii_timestamp(self.date_added))
    }
}

/// Which versions of each object `match[version]` asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionSelector {
    /// Every version.
    pub all: bool,
    /// The earliest version.
    pub first: bool,
    /// The latest version.
    pub last: bool,
    /// Versions at exactly these instants.
    pub at: Vec<DateTime<Utc>>,
}

impl Default for VersionSelector {
    /// `last`, the specification's default.
    fn default() -> Self {
        VersionSelector {
            all: false,
            first: false,
            last: true,
            at: Vec::new(),
        }
    }
}

impl VersionSelector {
    /// Every version, as the versions endpoint lists them.
    pub fn all() -> Self {
        VersionSelector {
            all: true,
            first: false,
            last: false,
            at: Vec::new(),
        }
    }
}

/// A parsed query of the objects, manifest, object or versions endpoint.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObjectQuery {
    /// `match[id]`, or the object of the URL.
    pub ids: Option<Vec<String>>,
    /// `match[type]`.
    pub types: Option<Vec<String>>,
    /// `match[spec_version]`.
    pub spec_versions: Option<Vec<String>>,
    /// `match[version]`.
    pub versions: VersionSelector,
    /// `added_after`.
    pub added_after: Option<DateTime<Utc>>,
}

/// Which filters an endpoint understands (the specification lists them per
/// endpoint; others are ignored, as it requires).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allowed {
    /// `match[id]`.
    pub id: bool,
    /// `match[type]`.
    pub object_type: bool,
    /// `match[version]`.
    pub version: bool,
}

impl Allowed {
    /// Get objects and get manifest.
    pub const LISTING: Allowed = Allowed {
        id: true,
        object_type: true,
        version: true,
    };
    /// Get an object.
    pub const OBJECT: Allowed = Allowed {
        id: false,
        object_type: false,
        version: true,
    };
    /// Get object versions.
    pub const VERSIONS: Allowed = Allowed {
        id: false,
        object_type: false,
        version: false,
    };
}

/// `limit` and `next` of a request, after clamping to the server's page size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    /// Items per page, 1..=max page size.
    pub limit: usize,
    /// Return items added after this (decoded `next`).
    pub after: Option<DateTime<Utc>>,
}

/// One page of a query's result.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// The items, by `date_added`.
    pub items: Vec<StoredObject>,
    /// Whether more items follow.
    pub more: bool,
}

impl Page {
    /// The `next` token for the page after this one, when there is one.
    pub fn next_token(&self) -> Option<String> {
        if self.more {
            self.items.last().map(|last| encode_next(last.date_added))
        } else {
            None
        }
    }
}

fn encode_next(date_added: DateTime<Utc>) -> String {
    format!("n{}", date_added.timestamp_micros())
}

fn decode_next(token: &str) -> Option<DateTime<Utc>> {
    let micros: i64 = token.strip_prefix('n')?.parse().ok()?;
    DateTime::from_timestamp_micros(micros)
}

fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

impl ObjectQuery {
    /// Parses the query string pairs (already percent-decoded) of a request
    /// to an endpoint that understands `allowed`. A repeated parameter adds
    /// to the list, as comma-separated values do.
    pub fn parse(
        pairs: &[(String, String)],
        allowed: Allowed,
        max_page_size: usize,
    ) -> Result<(ObjectQuery, Paging), TaxiiError> {
        let mut query = ObjectQuery::default();
        let mut version_terms: Vec<String> = Vec::new();
        let mut paging = Paging {
            limit: max_page_size,
            after: None,
        };
        let extend = |slot: &mut Option<Vec<String>>, value: &str| {
            slot.get_or_insert_with(Vec::new).extend(list(value));
        };
        for (name, value) in pairs {
            match name.as_str() {
                "match[id]" if allowed.id => extend(&mut query.ids, value),
                "match[type]" if allowed.object_type => extend(&mut query.types, value),
                "match[spec_version]" => extend(&mut query.spec_versions, value),
                "match[version]" if allowed.version => version_terms.extend(list(value)),
                "added_after" => {
                    let at = parse_timestamp(value).ok_or_else(|| {
                        TaxiiError::bad_request(format!(
                            "added_after {value:?} is not a timestamp like 2026-01-01T00:00:00.000Z"
                        ))
                    })?;
                    query.added_after = Some(at);
                }
                "limit" => {
                    let limit: usize = value.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                        TaxiiError::bad_request(format!(
                            "limit {value:?} is not a positive integer"
                        ))
                    })?;
                    paging.limit = limit.min(max_page_size);
                }
                "next" => {
                    let after = decode_next(value).ok_or_else(|| {
                        TaxiiError::bad_request(format!(
                            "next {value:?} is not a token this server issued"
                        ))
                    })?;
                    paging.after = Some(after);
                }
                _ => {}
            }
        }
        if !version_terms.is_empty() {
            let mut selector = VersionSelector {
                all: false,
                first: false,
                last: false,
                at: Vec::new(),
            };
            for term in &version_terms {
                match term.as_str() {
                    "all" => selector.all = true,
                    "first" => selector.first = true,
                    "last" => selector.last = true,
                    other => selector.at.push(parse_timestamp(other).ok_or_else(|| {
                        TaxiiError::bad_request(format!(
                            "match[version] {other:?} is not last, first, all or a timestamp"
                        ))
                    })?),
                }
            }
            query.versions = selector;
        }
        Ok((query, paging))
    }

    fn keeps(&self, object: &StoredObject) -> bool {
        let within = |filter: &Option<Vec<String>>, value: &str| {
            filter
                .as_ref()
                .is_none_or(|values| values.iter().any(|v| v == value))
        };
        within(&self.ids, &object.id)
            && within(&self.types, &object.object_type)
            && within(&self.spec_versions, &object.spec_version)
    }

    /// The versions of `stored` (all versions of one collection, any order)
    /// that the query selects, ordered by `date_added`.
    pub fn select<'a>(&self, stored: &'a [StoredObject]) -> Vec<&'a StoredObject> {
        let candidates: Vec<&StoredObject> = stored.iter().filter(|o| self.keeps(o)).collect();
        let selector = &self.versions;
        let mut chosen: Vec<&StoredObject> = if selector.all {
            candidates
        } else {
            let mut by_id: std::collections::BTreeMap<&str, Vec<&StoredObject>> =
                Default::default();
            for object in candidates {
                by_id.entry(object.id.as_str()).or_default().push(object);
            }
            let mut out = Vec::new();
            for versions in by_id.values() {
                let first = versions
                    .iter()
                    .min_by_key(|o| (o.effective_version(), o.date_added));
                let last = versions
                    .iter()
                    .max_by_key(|o| (o.effective_version(), o.date_added));
                for object in versions {
                    let pick = (selector.first && first.is_some_and(|f| std::ptr::eq(*f, *object)))
                        || (selector.last && last.is_some_and(|l| std::ptr::eq(*l, *object)))
                        || selector.at.contains(&object.effective_version());
                    if pick {
                        out.push(*object);
                    }
                }
            }
            out
        };
        if let Some(after) = self.added_after {
            chosen.retain(|o| o.date_added > after);
        }
        chosen.sort_by_key(|o| o.date_added);
        chosen
    }

    /// [`ObjectQuery::select`] then one page of it.
    pub fn page(&self, stored: &[StoredObject], paging: Paging) -> Page {
        let selected = self.select(stored);
        let mut rest = selected
            .into_iter()
            .filter(|o| paging.after.is_none_or(|after| o.date_added > after));
        let items: Vec<StoredObject> = rest.by_ref().take(paging.limit).cloned().collect();
        let more = rest.next().is_some();
        Page { items, more }
    }
}
