//! Sharing a case's indicators with partners: STIX 2.1 bundles and the
//! HTTP-independent logic of a TAXII 2.1 server.
//!
//! The study asks for automatic transfer of data about suspicious resources
//! between police, prosecutors, social services and NGOs (DOMAIN.md,
//! capability 6) and across borders (capability 10). STIX 2.1 is the format
//! those partners' tools (OpenCTI, MISP, national CERT platforms) read, and
//! TAXII 2.1 is how they exchange it. This crate:
//!
//! * takes [`CaseIndicators`], an input that has no place for victim data
//!   (see [`model`]), checks and normalises every value ([`normalise_value`]),
//!   and writes one [`Bundle`] ([`export_bundle`]) with deterministic ids,
//!   TLP 2.0 markings, indicators with escaped patterns and a report that is
//!   the network;
//! * implements TAXII 2.1 (discovery, API roots, collections per sharing
//!   group, objects with filters and pagination, manifests, versions, add
//!   objects with status) over a [`taxii::Storage`] trait, with an in-memory
//!   store for tests; an HTTP server maps requests to [`taxii::TaxiiServer`]
//!   and its [`taxii::Request`]/[`taxii::Response`] and does nothing else.
//!
//! No I/O, no HTTP, no SQL here: the server crate calls this one.

#![warn(missing_docs)]

pub mod error;
pub mod export;
pub mod ids;
pub mod model;
pub mod normalise;
pub mod pattern;
pub mod taxii;
pub mod time;
pub mod tlp;

pub use error::{ExportError, ModelError, ValueProblem};
pub use export::{Bundle, Observable, export_bundle, observable};
pub use model::{
    CaseIndicators, CaseRef, Chain, FunnelRole, Indicator, IndicatorKind, Label, Platform,
    Relation, RelationReason, Scenario, Tlp,
};
pub use normalise::normalise_value;

/// The STIX media type, for `Accept`/`Content-Type` of bundle files and the
/// `media_types` of TAXII collections.
pub const STIX_MEDIA_TYPE: &str = "application/stix+json;version=2.1";

/// The TAXII 2.1 media type every TAXII response and request body uses.
pub const TAXII_MEDIA_TYPE: &str = "application/taxii+json;version=2.1";
