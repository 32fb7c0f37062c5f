//! Acquiring evidence: `qorgau add PATH… --case CASE`.
//!
//! Each file is read once: copied into the blob store while MD5 and SHA-256
//! are computed ([`crate::hashing`]). Its size, modification and change times
//! and inode are compared before and after the read; a file that changed is
//! refused rather than stored as a copy of no single moment. Media metadata is
//! read from the stored copy, never from the original ("work only on copies"),
//! and so are the perceptual hashes of JPEG, PNG, GIF and WebP images
//! ([`crate::image_hashes`]), which are registered in the items' transaction.
//!
//! Items are registered with their signed `acquired` custody entries in
//! batches. For each batch: one `syncfs` makes the temporary copies durable,
//! they are renamed to their addresses, a second `syncfs` makes the renames
//! durable, and one transaction registers the items. The observer hears of an
//! item only after its transaction is committed, so everything reported as
//! stored survives a crash, and a crash at any point leaves at most
//! temporary or unreferenced blobs, never a row without its blob.
//!
//! Files are processed by a pool of threads (twice as many as cores, since
//! small files wait on the file system more than on the CPU), so many small
//! files use every core; a large file uses the threaded pipeline, and at most
//! half as many large files as cores are copied at once.

use std::fs::{self, File, Metadata};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use qorgau_core::{CaseName, Id, Timestamp};
use qorgau_evidence::{CaseRecord, FileTimes, ItemRecord, LedgerEntry};
use qorgau_store::MediaHashRecord;
use tokio::sync::mpsc;

use crate::blobs::TempBlob;
use crate::error::{AcquireError, VaultError};
use crate::hashing::{self, CopyError, Durability};
use crate::image_hashes;
use crate::media_type;
use crate::vault::Vault;

/// What to acquire.
#[derive(Debug, Clone)]
pub struct AddRequest {
    /// Files and folders, as named by the operator.
    pub paths: Vec<PathBuf>,
    /// The case to file them under (opened if new).
    pub case: CaseName,
    /// The operator's note, kept with every item.
    pub note: Option<String>,
}

/// Hears what an acquisition does, for progress bars and `--json` output.
/// Every method has a default that ignores the event.
pub trait AcquireObserver: Sync {
    /// The case was found or opened (`created`).
    fn case_ready(&self, _case: &CaseRecord, _created: bool) {}
    /// The walk is done: this many files and bytes are to be read.
    fn planned(&self, _files: u64, _bytes: u64) {}
    /// More bytes were read.
    fn advanced(&self, _bytes: u64) {}
    /// An item and its custody entry are committed.
    fn stored(&self, _item: &ItemRecord, _entry: &LedgerEntry, _new_blob: bool) {}
    /// A file could not be acquired; the rest goes on unless it is fatal.
    fn failed(&self, _error: &AcquireError) {}
}

/// What an acquisition did.
#[derive(Debug, Clone)]
pub struct AddSummary {
    /// The case.
    pub case: CaseRecord,
    /// Whether the case was opened by this acquisition.
    pub case_created: bool,
    /// Identifier shared by the items of this run.
    pub acquisition_id: Id,
    /// Items stored.
    pub stored: u64,
    /// Bytes stored (sum of item sizes).
    pub bytes: u64,
    /// Items whose content was new to the vault.
    pub new_blobs: u64,
    /// Files that could not be acquired.
    pub failed: u64,
    /// Items stored whose content is on a hash list of known abuse
    /// material, and so marked restricted as they were stored.
    pub restricted: u64,
    /// True when the run stopped early because the vault could not take more.
    pub aborted: bool,
}

/// One file found by the walk.
#[derive(Debug)]
struct Planned {
    path: PathBuf,
    /// Which named path it came from (its acquisition, in `add_separately`).
    group: usize,
    root: PathBuf,
    relative: String,
    size: u64,
}

/// What a worker hands to the registrar.
enum Outcome {
    /// Copied and hashed; the copy still sits in its temporary file. With
    /// the perceptual hashes when it is an image.
    Copied(Box<ItemRecord>, TempBlob, Option<MediaHashRecord>),
    Failed(AcquireError),
}

/// An item copied into a temporary blob, with its image's perceptual hashes.
type Copied = (ItemRecord, TempBlob, Option<MediaHashRecord>);

/// Items per transaction; also flushed when the workers pause.
const BATCH: usize = 256;
const BATCH_WAIT: Duration = Duration::from_millis(200);

/// Acquires `request.paths` into the vault.
///
/// Runs on a multi-threaded tokio runtime: the file workers are plain
/// threads, and this task blocks in place while it registers their output.
pub async fn add(
    vault: &Vault,
    request: &AddRequest,
    observer: &dyn AcquireObserver,
) -> Result<AddSummary, VaultError> {
    add_grouped(vault, request, None, observer).await
}

/// Like [`add`], but each named path is an acquisition of its own
/// (`acquisition_ids[i]` for `request.paths[i]`), all made in one pass:
/// the syncs and transactions are shared by every batch rather than paid
/// per path. A run of captures uses it, so that fifty pages cost the file
/// system what one does. The summary's `acquisition_id` is the first id.
pub async fn add_separately(
    vault: &Vault,
    request: &AddRequest,
    acquisition_ids: &[Id],
    observer: &dyn AcquireObserver,
) -> Result<AddSummary, VaultError> {
    if acquisition_ids.len() != request.paths.len() {
        return Err(VaultError::Input(format!(
            "{} paths but {} acquisition ids; nothing was stored",
            request.paths.len(),
            acquisition_ids.len()
        )));
    }
    add_grouped(vault, request, Some(acquisition_ids), observer).await
}

async fn add_grouped(
    vault: &Vault,
    request: &AddRequest,
    acquisition_ids: Option<&[Id]>,
    observer: &dyn AcquireObserver,
) -> Result<AddSummary, VaultError> {
    if request.paths.is_empty() {
        return Err(VaultError::Input(
            "name at least one file or folder to add".into(),
        ));
    }
    for path in &request.paths {
        if let Err(e) = fs::metadata(path) {
            return Err(VaultError::Input(format!(
                "cannot acquire {}: {e}; nothing was stored",
                path.display()
            )));
        }
    }
    vault
        .blobs
        .clear_stale_temps()
        .map_err(|e| VaultError::io("clearing unfinished blobs of earlier runs", e))?;
    let (case, case_created) = vault
        .store
        .open_case(&request.case, &vault.actor, &vault.tool, &vault.key)
        .await?;
    observer.case_ready(&case, case_created);

    let mut failures = Vec::new();
    let planned = plan(&request.paths, &mut failures)?;
    let total_bytes = planned.iter().map(|p| p.size).sum();
    observer.planned(planned.len() as u64, total_bytes);
    let mut summary = AddSummary {
        case: case.clone(),
        case_created,
        // A new id (time-ordered) unless the caller gave them.
        acquisition_id: acquisition_ids
            .and_then(|ids| ids.first().copied())
            .unwrap_or_default(),
        stored: 0,
        bytes: 0,
        new_blobs: 0,
        failed: 0,
        restricted: 0,
        aborted: false,
    };
    for failure in failures {
        observer.failed(&failure);
        summary.failed += 1;
    }

    let context = Arc::new(ItemContext {
        case_id: case.id,
        acquisition_ids: acquisition_ids
            .map(<[Id]>::to_vec)
            .unwrap_or_else(|| vec![summary.acquisition_id]),
        note: request.note.clone(),
    });
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, mut rx) = mpsc::channel::<Outcome>(BATCH * 2);
    // Small files wait on the file system more than on the CPU, so there are
    // more workers than cores; a large file runs its own threaded pipeline,
    // so only half as many large files as cores are copied at once.
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let workers = (cores * 2).clamp(2, 16);
    let large_files = Gate::new((cores / 2).max(1));

    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| -> Result<(), VaultError> {
        let planned = &planned;
        let next = &next;
        let large_files = &large_files;
        for _ in 0..workers.min(planned.len().max(1)) {
            let tx = tx.clone();
            let stop = Arc::clone(&stop);
            let context = Arc::clone(&context);
            scope.spawn(move || {
                loop {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(file) = planned.get(i) else {
                        return;
                    };
                    let _permit = (file.size >= hashing::PIPELINE_MIN).then(|| large_files.enter());
                    let outcome = match acquire_file(vault, file, &context, observer) {
                        Ok((item, temp, hashes)) => Outcome::Copied(Box::new(item), temp, hashes),
                        Err(e) => {
                            if e.is_fatal() {
                                stop.store(true, Ordering::SeqCst);
                            }
                            Outcome::Failed(e)
                        }
                    };
                    if tx.blocking_send(outcome).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        // The registrar runs on this thread, driving the async store with
        // the caller's runtime while the workers read files.
        tokio::task::block_in_place(|| {
            tokio::runtime::Handle::current().block_on(register_all(
                vault,
                &mut rx,
                observer,
                &mut summary,
                &stop,
            ))
        })
    })?;
    summary.aborted = stop.load(Ordering::SeqCst);
    Ok(summary)
}

async fn register_all(
    vault: &Vault,
    rx: &mut mpsc::Receiver<Outcome>,
    observer: &dyn AcquireObserver,
    summary: &mut AddSummary,
    stop: &AtomicBool,
) -> Result<(), VaultError> {
    let mut batch: Vec<Copied> = Vec::new();
    let mut open = true;
    while open {
        // Wait for the first outcome, then gather more until the batch is
        // full or the workers pause.
        match rx.recv().await {
            Some(outcome) => take(outcome, &mut batch, observer, summary),
            None => open = false,
        }
        while open && batch.len() < BATCH {
            match tokio::time::timeout(BATCH_WAIT, rx.recv()).await {
                Ok(Some(outcome)) => take(outcome, &mut batch, observer, summary),
                Ok(None) => open = false,
                Err(_) => break,
            }
        }
        if batch.is_empty() {
            continue;
        }
        let result = store_batch(vault, &mut batch, observer, summary).await;
        if let Err(e) = result {
            stop.store(true, Ordering::SeqCst);
            return Err(e);
        }
    }
    Ok(())
}

/// Makes a batch durable and registers it; see the module doc for the order.
async fn store_batch(
    vault: &Vault,
    batch: &mut Vec<Copied>,
    observer: &dyn AcquireObserver,
    summary: &mut AddSummary,
) -> Result<(), VaultError> {
    let sync = |what: &str| {
        vault.blobs.sync().map_err(|e| {
            VaultError::io(
                format!("making {what} durable in {}", vault.blobs.root().display()),
                e,
            )
        })
    };
    sync("the copied files")?;
    let mut items = Vec::with_capacity(batch.len());
    let mut new_blobs = Vec::with_capacity(batch.len());
    let mut image_hashes = Vec::new();
    for (item, temp, hashes) in batch.drain(..) {
        let new_blob = vault.blobs.commit(temp, &item.sha256).map_err(|e| {
            VaultError::io(
                format!(
                    "moving the copy of {} to its place in the vault",
                    item.original_path
                ),
                e,
            )
        })?;
        items.push(item);
        new_blobs.push(new_blob);
        image_hashes.extend(hashes);
    }
    sync("the stored blobs")?;
    // With S3 the bucket holds the evidence: every blob is there, locked,
    // before a row points at it (a failure stops the command with the
    // batch unregistered, as a failed sync does).
    let uploads: Vec<_> = items.iter().map(|i| (i.sha256, i.md5, i.size)).collect();
    vault.blobs.upload_new(&uploads).await?;
    let entries = vault
        .store
        .register_items_with_hashes(&items, &image_hashes, &vault.key)
        .await?;
    // Before the command can report these items stored, match them
    // against the authority's hash lists: a listed picture is marked (and
    // so shown blurred) from the moment it exists in the vault.
    let listed = crate::restricted::check_new_items(vault, &items, &image_hashes).await?;
    summary.restricted += items
        .iter()
        .filter(|i| listed.iter().any(|m| m.sha256 == i.sha256))
        .count() as u64;
    for ((item, new_blob), entry) in items.iter().zip(new_blobs).zip(entries.iter()) {
        summary.stored += 1;
        summary.bytes += item.size;
        summary.new_blobs += u64::from(new_blob);
        observer.stored(item, entry, new_blob);
    }
    Ok(())
}

fn take(
    outcome: Outcome,
    batch: &mut Vec<Copied>,
    observer: &dyn AcquireObserver,
    summary: &mut AddSummary,
) {
    match outcome {
        Outcome::Copied(item, temp, hashes) => batch.push((*item, temp, hashes)),
        Outcome::Failed(error) => {
            summary.failed += 1;
            observer.failed(&error);
        }
    }
}

/// Walks the named paths into a list of regular files; everything else is
/// reported as a failure and left out.
fn plan(paths: &[PathBuf], failures: &mut Vec<AcquireError>) -> Result<Vec<Planned>, VaultError> {
    let mut planned = Vec::new();
    for (group, given) in paths.iter().enumerate() {
        let root = std::path::absolute(given)
            .map_err(|e| VaultError::io(format!("resolving {}", given.display()), e))?;
        let meta = fs::metadata(&root)
            .map_err(|e| VaultError::Input(format!("cannot acquire {}: {e}", given.display())))?;
        let root_name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "root".to_owned());
        if meta.is_file() {
            planned.push(Planned {
                group,
                size: meta.len(),
                relative: root_name,
                root: root.clone(),
                path: root,
            });
            continue;
        }
        if !meta.is_dir() {
            failures.push(AcquireError::NotAFile {
                path: root,
                kind: kind_of(&meta),
            });
            continue;
        }
        for entry in walkdir::WalkDir::new(&root)
            .follow_links(false)
            .sort_by_file_name()
        {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone());
                    let source = e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("file system loop"));
                    failures.push(AcquireError::Unreadable { path, source });
                    continue;
                }
            };
            let file_type = entry.file_type();
            if file_type.is_dir() {
                continue;
            }
            let path = entry.path().to_path_buf();
            let relative = relative_path(&root_name, &root, &path);
            if file_type.is_symlink() {
                // A link inside seized material is recorded as what it is,
                // never followed out of the evidence tree.
                failures.push(AcquireError::NotAFile {
                    path,
                    kind: "symbolic link",
                });
                continue;
            }
            match entry.metadata() {
                Ok(meta) if meta.is_file() => planned.push(Planned {
                    group,
                    size: meta.len(),
                    relative,
                    root: root.clone(),
                    path,
                }),
                Ok(meta) => failures.push(AcquireError::NotAFile {
                    path,
                    kind: kind_of(&meta),
                }),
                Err(e) => failures.push(AcquireError::Unreadable {
                    path,
                    source: e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("unreadable")),
                }),
            }
        }
    }
    Ok(planned)
}

fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_fifo() {
        "named pipe"
    } else if t.is_socket() {
        "socket"
    } else if t.is_block_device() {
        "block device"
    } else if t.is_char_device() {
        "character device"
    } else if t.is_symlink() {
        "symbolic link"
    } else {
        "special file"
    }
}

/// `root_name/sub/dir/file`, `/`-separated, whatever the platform.
fn relative_path(root_name: &str, root: &Path, path: &Path) -> String {
    let mut parts = vec![root_name.to_owned()];
    if let Ok(rest) = path.strip_prefix(root) {
        for component in rest.components() {
            if let Component::Normal(part) = component {
                parts.push(part.to_string_lossy().into_owned());
            }
        }
    }
    parts.join("/")
}

/// A counting gate: at most `limit` holders at once.
struct Gate {
    inside: Mutex<usize>,
    limit: usize,
    freed: Condvar,
}

/// Leaves the gate when dropped.
struct Permit<'g>(&'g Gate);

impl Gate {
    fn new(limit: usize) -> Self {
        Self {
            inside: Mutex::new(0),
            limit,
            freed: Condvar::new(),
        }
    }

    fn enter(&self) -> Permit<'_> {
        let mut inside = self.inside.lock().unwrap_or_else(|p| p.into_inner());
        while *inside >= self.limit {
            inside = self.freed.wait(inside).unwrap_or_else(|p| p.into_inner());
        }
        *inside += 1;
        Permit(self)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut inside = self.0.inside.lock().unwrap_or_else(|p| p.into_inner());
        *inside -= 1;
        self.0.freed.notify_one();
    }
}

struct ItemContext {
    case_id: Id,
    /// One per named path, or one for all.
    acquisition_ids: Vec<Id>,
    note: Option<String>,
}

/// The facts that must not change while a file is read.
#[derive(Debug, PartialEq, Eq)]
struct Stability {
    len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
    inode: (u64, u64),
}

impl Stability {
    fn of(meta: &Metadata) -> Self {
        Self {
            len: meta.len(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
            inode: (meta.dev(), meta.ino()),
        }
    }

    fn difference(&self, after: &Stability, read: u64) -> Option<String> {
        if self.inode != after.inode {
            Some("the file was replaced".into())
        } else if self.len != after.len || read != self.len {
            Some(format!(
                "size was {} bytes, {} bytes were read, size is now {}",
                self.len, read, after.len
            ))
        } else if self.mtime != after.mtime {
            Some("its modification time changed".into())
        } else if self.ctime != after.ctime {
            Some("its status-change time changed".into())
        } else {
            None
        }
    }
}

fn acquire_file(
    vault: &Vault,
    planned: &Planned,
    context: &ItemContext,
    observer: &dyn AcquireObserver,
) -> Result<Copied, AcquireError> {
    let path = &planned.path;
    let unreadable = |source| AcquireError::Unreadable {
        path: path.clone(),
        source,
    };
    let vault_write = |source| AcquireError::VaultWrite {
        path: path.clone(),
        vault: vault.blobs.root().to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(unreadable)?;
    let before = file.metadata().map_err(unreadable)?;
    if !before.is_file() {
        return Err(AcquireError::NotAFile {
            path: path.clone(),
            kind: kind_of(&before),
        });
    }
    let times = file_times(&before);
    let stable_before = Stability::of(&before);
    let temp = vault.blobs.temp().map_err(vault_write)?;
    let hashed = hashing::copy_and_hash(
        &mut file,
        before.len(),
        temp.path(),
        Durability::Batched,
        &|n| observer.advanced(n),
    )
    .map_err(|e| match e {
        CopyError::Read(source) => unreadable(source),
        CopyError::Write(source) => vault_write(source),
    })?;
    let after = file.metadata().map_err(unreadable)?;
    let at_path = fs::metadata(path).map_err(unreadable)?;
    let change = stable_before
        .difference(&Stability::of(&after), hashed.size)
        .or_else(|| stable_before.difference(&Stability::of(&at_path), hashed.size));
    if let Some(what) = change {
        return Err(AcquireError::Changed {
            path: path.clone(),
            what,
        });
    }

    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let media_type = media_type::detect(&hashed.head, &file_name);
    let metadata = read_media_metadata(temp.path(), &media_type);
    let hashes = image_hashes::hash_copy(
        temp.path(),
        &media_type,
        hashed.sha256,
        &path.to_string_lossy(),
    );
    let acquired_at = Timestamp::now();
    let item = ItemRecord {
        id: Id::new(),
        case_id: context.case_id,
        acquisition_id: context
            .acquisition_ids
            .get(planned.group)
            .or(context.acquisition_ids.first())
            .copied()
            .unwrap_or_default(),
        sha256: hashed.sha256,
        md5: hashed.md5,
        size: hashed.size,
        media_type,
        source_root: planned.root.to_string_lossy().into_owned(),
        original_path: path.to_string_lossy().into_owned(),
        relative_path: planned.relative.clone(),
        file_name,
        file_times: times,
        acquired_at,
        acquired_at_local: acquired_at.to_almaty_string(),
        acquired_by: vault.actor.clone(),
        tool: vault.tool.clone(),
        note: context.note.clone(),
        metadata,
    };
    Ok((item, temp, hashes))
}

/// Metadata of images and video, read from the vault's copy (not the
/// original). A file whose metadata cannot be read is still evidence: the
/// problem is recorded in the metadata instead of refusing the file.
fn read_media_metadata(copy: &Path, media_type: &str) -> Option<String> {
    if !qorgau_media::supports(media_type) {
        return None;
    }
    let value = match qorgau_media::extract_from_path(copy, media_type) {
        Ok(Some(meta)) => serde_json::to_value(meta).ok()?,
        Ok(None) => return None,
        Err(e) => serde_json::json!({ "error": e.to_string() }),
    };
    Some(value.to_string())
}

fn file_times(meta: &Metadata) -> FileTimes {
    let ts = |secs: i64, nanos: i64| {
        chrono::DateTime::from_timestamp(secs, u32::try_from(nanos).unwrap_or(0))
            .map(Timestamp::from_datetime)
    };
    FileTimes {
        modified: ts(meta.mtime(), meta.mtime_nsec()),
        accessed: ts(meta.atime(), meta.atime_nsec()),
        changed: ts(meta.ctime(), meta.ctime_nsec()),
        created: meta.created().ok().map(Timestamp::from_system_time),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_keep_the_tree_under_the_root_name() {
        let root = Path::new("/media/phone");
        assert_eq!(
            relative_path("phone", root, Path::new("/media/phone/DCIM/Camera/a.jpg")),
            "phone/DCIM/Camera/a.jpg"
        );
    }

    #[test]
    fn stability_names_what_changed() {
        let a = Stability {
            len: 10,
            mtime: (1, 0),
            ctime: (1, 0),
            inode: (1, 2),
        };
        assert_eq!(a.difference(&a, 10), None);
        let grown = Stability { len: 11, ..a };
        let b = Stability {
            len: 10,
            mtime: (1, 0),
            ctime: (1, 0),
            inode: (1, 2),
        };
        assert!(b.difference(&grown, 10).unwrap().contains("size"));
        assert!(b.difference(&b, 9).unwrap().contains("9 bytes were read"));
    }
}
