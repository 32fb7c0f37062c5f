//! A capture of a web page or a public channel: the index record that ties
//! a URL and a moment to the items (WARC, screenshot, DOM, text, media,
//! manifest) one `qorgau capture` stored.
//!
//! The items carry the evidence and their own `acquired` entries; this
//! record says what they are a capture *of*, and is vouched for by the
//! capture's OSINT-log entry (its digest is the entry's subject), so that a
//! changed URL, time or manifest hash in the database is detected.

use qorgau_core::{Actor, Id, Sha256Digest, Timestamp, Tool};
use serde::{Deserialize, Serialize};

use crate::canonical::digest_of;

/// One capture.
///
/// The field order is part of the record digest: append new fields at the
/// end and bump the digest tag when you do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureRecord {
    /// Stable identifier of the capture.
    pub id: Id,
    /// The case it is filed under.
    pub case_id: Id,
    /// The `add` run that stored its items.
    pub acquisition_id: Id,
    /// `page` or `channel`.
    pub kind: String,
    /// `browser` or `http`.
    pub engine: String,
    /// The URL asked for.
    pub url: String,
    /// The URL after redirects (the channel's first page for a channel).
    pub final_url: String,
    /// When capturing began (UTC).
    pub started_at: Timestamp,
    /// When it ended.
    pub finished_at: Timestamp,
    /// HTTP status of the page.
    pub http_status: Option<u16>,
    /// Why the capture is partial; `None` when complete.
    pub partial: Option<String>,
    /// SHA-256 of the manifest that lists every file with its hashes.
    pub manifest_sha256: Sha256Digest,
    /// RFC 3161 time-stamp token over the manifest hash (DER, base64),
    /// when a time-stamping authority was used.
    pub time_stamp: Option<String>,
    /// The authority's URL.
    pub time_stamp_authority: Option<String>,
    /// Who captured, on which machine.
    pub captured_by: Actor,
    /// The software.
    pub tool: Tool,
    /// What the capture found, as JSON text: title, server IP, certificate,
    /// counts, warnings, the file list.
    pub summary: String,
}

impl CaptureRecord {
    /// Digest over every field, vouched for by the capture's log entry.
    pub fn record_digest(&self) -> Sha256Digest {
        digest_of("qorgau-capture-v1", self)
    }
}
