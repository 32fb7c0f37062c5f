//! Storing a capture: its files become items, its record and log entry are
//! written together.
//!
//! The capture layer writes a capture into a staging directory inside the
//! data directory (same file system as the blobs, so nothing is copied across
//! devices); [`store_capture`] acquires that directory like any other folder
//! (one pass of hashing, `acquired` entries, batches of one transaction
//! each), then saves the [`CaptureRecord`] with an OSINT-log entry whose
//! subject is the record's digest, and only then removes the staging
//! directory. A crash before the record is saved leaves items without a
//! capture record (still evidence, still verified) and the staging directory
//! (removed by the next capture), never a record without its items.

use std::path::PathBuf;

use qorgau_core::{CaseName, Id, Sha256Digest, Timestamp};
use qorgau_evidence::{CaptureRecord, EntryDraft, EventKind, LedgerEntry};

use crate::acquire::{self, AcquireObserver, AddRequest};
use crate::error::VaultError;
use crate::vault::Vault;

/// What the capture layer hands over.
#[derive(Debug, Clone)]
pub struct CaptureDraft {
    /// The capture's id (also in its manifest and WARC).
    pub id: Id,
    /// The staging directory with the capture's files.
    pub dir: PathBuf,
    /// The case.
    pub case: CaseName,
    /// The operator's note.
    pub note: Option<String>,
    /// `page` or `channel`.
    pub kind: String,
    /// `browser` or `http`.
    pub engine: String,
    /// The URL asked for.
    pub url: String,
    /// The URL after redirects.
    pub final_url: String,
    /// When capturing began.
    pub started_at: Timestamp,
    /// When it ended.
    pub finished_at: Timestamp,
    /// The page's HTTP status.
    pub http_status: Option<u16>,
    /// Why the capture is partial.
    pub partial: Option<String>,
    /// SHA-256 of `manifest.json`.
    pub manifest_sha256: Sha256Digest,
    /// RFC 3161 token (base64 DER) over the manifest hash, and its authority.
    pub time_stamp: Option<(String, String)>,
    /// Title, server, certificate, counts, warnings, files (JSON).
    pub summary: serde_json::Value,
}

/// A stored capture.
#[derive(Debug, Clone)]
pub struct StoredCapture {
    /// The record.
    pub record: CaptureRecord,
    /// Its OSINT-log entry.
    pub entry: LedgerEntry,
    /// Items stored.
    pub items: u64,
    /// Bytes stored.
    pub bytes: u64,
}

/// Where captures are written before they are stored.
pub fn staging_dir(vault: &Vault) -> PathBuf {
    vault.data_dir.join("staging")
}

/// Removes staging directories left by captures that were interrupted.
pub fn clear_staging(vault: &Vault) -> Result<(), VaultError> {
    let dir = staging_dir(vault);
    match std::fs::read_dir(&dir) {
        Ok(entries) => {
            for e in entries.flatten() {
                let p = e.path();
                std::fs::remove_dir_all(&p)
                    .map_err(|e| VaultError::io(format!("removing {}", p.display()), e))?;
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(VaultError::io(format!("reading {}", dir.display()), e)),
    }
}

/// Acquires the capture's files and saves its record and log entry.
pub async fn store_capture(
    vault: &Vault,
    draft: &CaptureDraft,
    observer: &dyn AcquireObserver,
) -> Result<StoredCapture, VaultError> {
    let request = AddRequest {
        paths: vec![draft.dir.clone()],
        case: draft.case.clone(),
        note: draft.note.clone(),
    };
    let summary = acquire::add(vault, &request, observer).await?;
    if summary.failed > 0 || summary.aborted {
        return Err(VaultError::Input(format!(
            "{} file(s) of capture {} could not be stored; the files that were are kept as items, \
             the staging copy stays in {}",
            summary.failed,
            draft.id,
            draft.dir.display()
        )));
    }
    let record = CaptureRecord {
        id: draft.id,
        case_id: summary.case.id,
        acquisition_id: summary.acquisition_id,
        kind: draft.kind.clone(),
        engine: draft.engine.clone(),
        url: draft.url.clone(),
        final_url: draft.final_url.clone(),
        started_at: draft.started_at,
        finished_at: draft.finished_at,
        http_status: draft.http_status,
        partial: draft.partial.clone(),
        manifest_sha256: draft.manifest_sha256,
        time_stamp: draft.time_stamp.as_ref().map(|(t, _)| t.clone()),
        time_stamp_authority: draft.time_stamp.as_ref().map(|(_, a)| a.clone()),
        captured_by: vault.actor.clone(),
        tool: vault.tool.clone(),
        summary: draft.summary.to_string(),
    };
    let mut entry = EntryDraft::now(
        EventKind::InvestigativeStep,
        vault.actor.clone(),
        vault.tool.clone(),
    );
    entry.case_id = Some(record.case_id);
    entry.subject_digest = Some(record.record_digest());
    entry.details = serde_json::json!({
        "action": "capture",
        "capture_id": record.id.to_string(),
        "kind": record.kind,
        "engine": record.engine,
        "sources": [record.url],
        "final_url": record.final_url,
        "http_status": record.http_status,
        "partial": record.partial,
        "manifest_sha256": record.manifest_sha256.to_hex(),
        "acquisition_id": record.acquisition_id.to_string(),
        "time_stamp_authority": record.time_stamp_authority,
        "note": draft.note,
    })
    .to_string();
    let entry = vault.store.save_capture(&record, entry, &vault.key).await?;
    // The items hold the files now; a staging copy left behind by a failed
    // removal is cleared by the next capture.
    let _ = std::fs::remove_dir_all(&draft.dir);
    Ok(StoredCapture {
        record,
        entry,
        items: summary.stored,
        bytes: summary.bytes,
    })
}
