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

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use qorgau_core::{CaseName, Id, Sha256Digest, Timestamp};
use qorgau_evidence::{CaptureRecord, CaseRecord, EntryDraft, EventKind, ItemRecord, LedgerEntry};

use crate::acquire::{self, AcquireObserver, AddRequest};
use crate::error::{AcquireError, VaultError};
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

/// One capture process's own part of the staging directory.
///
/// Several captures run at once on one data directory (a worker's jobs,
/// the server's, an operator's command), and each clears what interrupted
/// captures left. So each process writes under its own `run-<id>/`, with a
/// `run-<id>.lock` file it holds locked (`flock`) while it lives; clearing
/// removes only runs whose lock nobody holds. The kernel drops the lock
/// when the process ends, however it ends. Clearing and making a run take
/// `.clear.lock` first, so that no process clears a run between the
/// moment its lock file exists and the moment it is locked.
#[derive(Debug)]
pub struct StagingArea {
    /// Where this process writes its captures.
    pub dir: PathBuf,
    /// Held for as long as the area is in use.
    _lock: std::fs::File,
}

/// Clears what interrupted captures left, then makes this process's own
/// staging area.
pub fn open_staging(vault: &Vault) -> Result<StagingArea, VaultError> {
    let root = staging_dir(vault);
    std::fs::create_dir_all(&root)
        .map_err(|e| VaultError::io(format!("making {}", root.display()), e))?;
    let guard_path = root.join(".clear.lock");
    let guard = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&guard_path)
        .map_err(|e| VaultError::io(format!("opening {}", guard_path.display()), e))?;
    guard
        .lock()
        .map_err(|e| VaultError::io(format!("locking {}", guard_path.display()), e))?;
    clear_runs(&root)?;
    let name = format!("run-{}", qorgau_core::Id::new());
    let lock_path = root.join(format!("{name}.lock"));
    let lock = std::fs::File::create(&lock_path)
        .map_err(|e| VaultError::io(format!("making {}", lock_path.display()), e))?;
    lock.lock()
        .map_err(|e| VaultError::io(format!("locking {}", lock_path.display()), e))?;
    let dir = root.join(&name);
    std::fs::create_dir(&dir)
        .map_err(|e| VaultError::io(format!("making {}", dir.display()), e))?;
    drop(guard);
    Ok(StagingArea { dir, _lock: lock })
}

/// The clearing itself; the caller holds `.clear.lock`.
fn clear_runs(dir: &std::path::Path) -> Result<(), VaultError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| VaultError::io(format!("reading {}", dir.display()), e))?;
    let remove_dir = |p: &std::path::Path| match std::fs::remove_dir_all(p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(VaultError::io(format!("removing {}", p.display()), e)),
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if let Some(run) = name.strip_suffix(".lock") {
            // A run's lock: the run is over when nobody holds it.
            if let Some(lock) = unlocked(&path) {
                remove_dir(&dir.join(run))?;
                let _ = std::fs::remove_file(&path);
                drop(lock);
            }
            continue;
        }
        if dir.join(format!("{name}.lock")).exists() {
            continue; // decided by its lock
        }
        // Staging from before runs were locked, or a run whose lock went
        // first: nobody writes there.
        if path.is_dir() {
            remove_dir(&path)?;
        } else {
            let _ = std::fs::remove_file(&path);
        }
    }
    Ok(())
}

/// The file opened and locked when nobody holds its lock; None when a live
/// process holds it (or it vanished).
fn unlocked(path: &std::path::Path) -> Option<std::fs::File> {
    let file = std::fs::OpenOptions::new().write(true).open(path).ok()?;
    file.try_lock().ok()?;
    Some(file)
}

/// Acquires the capture's files and saves its record and log entry.
pub async fn store_capture(
    vault: &Vault,
    draft: &CaptureDraft,
    observer: &dyn AcquireObserver,
) -> Result<StoredCapture, VaultError> {
    let mut stored = store_captures(vault, std::slice::from_ref(draft), observer).await?;
    match stored.pop() {
        Some(result) => result,
        None => Err(VaultError::Input(format!(
            "capture {} was not stored",
            draft.id
        ))),
    }
}

/// Stores a run of captures of one case at once: each is still its own
/// acquisition with its own record and log entry, but the file copies
/// share their syncs and every record is committed in one transaction, so
/// a run of fifty pages costs the file system what one page does.
///
/// The outer error means nothing of the run could be stored. Inside, a
/// capture whose files could not all be stored gets its error (its stored
/// files stay items; its staging copy stays for the operator) while the
/// others are recorded.
pub async fn store_captures(
    vault: &Vault,
    drafts: &[CaptureDraft],
    observer: &dyn AcquireObserver,
) -> Result<Vec<Result<StoredCapture, VaultError>>, VaultError> {
    let Some(first) = drafts.first() else {
        return Ok(Vec::new());
    };
    if let Some(other) = drafts
        .iter()
        .find(|d| d.case != first.case || d.note != first.note)
    {
        return Err(VaultError::Input(format!(
            "captures {} and {} are for different cases or notes; store them apart",
            first.id, other.id
        )));
    }
    let request = AddRequest {
        paths: drafts.iter().map(|d| d.dir.clone()).collect(),
        case: first.case.clone(),
        note: first.note.clone(),
    };
    let acquisition_ids: Vec<Id> = drafts.iter().map(|_| Id::new()).collect();
    let counting = Counting {
        inner: observer,
        seen: Mutex::default(),
    };
    let summary = acquire::add_separately(vault, &request, &acquisition_ids, &counting).await?;
    let seen = counting
        .seen
        .into_inner()
        .unwrap_or_else(|p| p.into_inner());

    let mut results: Vec<Option<Result<StoredCapture, VaultError>>> = Vec::new();
    let mut to_save = Vec::new();
    for (draft, acquisition_id) in drafts.iter().zip(&acquisition_ids) {
        let failed = seen
            .failed
            .iter()
            .filter(|p| p.starts_with(&draft.dir))
            .count();
        if failed > 0 || summary.aborted {
            results.push(Some(Err(VaultError::Input(format!(
                "{} file(s) of capture {} ({}) could not be stored; the files that were are kept \
                 as items, the staging copy stays in {}",
                failed.max(1),
                draft.id,
                draft.url,
                draft.dir.display()
            )))));
            continue;
        }
        let record = record_of(vault, draft, summary.case.id, *acquisition_id);
        let entry = log_entry(vault, &record, draft);
        to_save.push((record, entry));
        results.push(None);
    }
    let records: Vec<CaptureRecord> = to_save.iter().map(|(r, _)| r.clone()).collect();
    let entries = vault.store.save_captures(to_save, &vault.key).await?;
    let mut saved = records.into_iter().zip(entries);
    Ok(drafts
        .iter()
        .zip(results)
        .zip(&acquisition_ids)
        .map(|((draft, result), acquisition_id)| match result {
            Some(err) => err,
            None => {
                // The items hold the files now; a staging copy left behind
                // by a failed removal is cleared by the next capture.
                let _ = std::fs::remove_dir_all(&draft.dir);
                let (items, bytes) = seen.counts.get(acquisition_id).copied().unwrap_or_default();
                saved
                    .next()
                    .map(|(record, entry)| StoredCapture {
                        record,
                        entry,
                        items,
                        bytes,
                    })
                    .ok_or_else(|| VaultError::Input(format!("capture {} was not saved", draft.id)))
            }
        })
        .collect())
}

fn record_of(
    vault: &Vault,
    draft: &CaptureDraft,
    case_id: Id,
    acquisition_id: Id,
) -> CaptureRecord {
    CaptureRecord {
        id: draft.id,
        case_id,
        acquisition_id,
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
    }
}

/// The OSINT-log entry that vouches for a capture record.
fn log_entry(vault: &Vault, record: &CaptureRecord, draft: &CaptureDraft) -> EntryDraft {
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
    entry
}

/// What the acquisition stored per capture, and which files failed.
#[derive(Default)]
struct Seen {
    counts: HashMap<Id, (u64, u64)>,
    failed: Vec<PathBuf>,
}

/// Passes events on to the caller's observer while counting them.
struct Counting<'a> {
    inner: &'a dyn AcquireObserver,
    seen: Mutex<Seen>,
}

impl AcquireObserver for Counting<'_> {
    fn case_ready(&self, case: &CaseRecord, created: bool) {
        self.inner.case_ready(case, created);
    }
    fn planned(&self, files: u64, bytes: u64) {
        self.inner.planned(files, bytes);
    }
    fn advanced(&self, bytes: u64) {
        self.inner.advanced(bytes);
    }
    fn stored(&self, item: &ItemRecord, entry: &LedgerEntry, new_blob: bool) {
        if let Ok(mut seen) = self.seen.lock() {
            let c = seen.counts.entry(item.acquisition_id).or_default();
            c.0 += 1;
            c.1 += item.size;
        }
        self.inner.stored(item, entry, new_blob);
    }
    fn failed(&self, error: &AcquireError) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.failed.push(error.path().to_path_buf());
        }
        self.inner.failed(error);
    }
}
