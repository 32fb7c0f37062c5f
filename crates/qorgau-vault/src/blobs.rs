//! The content-addressed blob store: evidence bytes on disk, named by SHA-256.
//!
//! Layout: `blobs/sha256/ab/cd/abcd…` (two levels of fan-out keep directories
//! small for millions of items). A blob is written to `blobs/tmp/` first and
//! made durable, then renamed into place and the rename made durable; only
//! then may a database row point at it. Durability is batched: [`BlobStore::sync`]
//! flushes the whole file system once for a batch of blobs (one journal
//! commit instead of two per file, which dominates when a phone extraction
//! holds tens of thousands of small files). Blobs are made read-only and
//! never rewritten: a second copy of the same content finds the blob there.
//!
//! Temporary files carry the writer's process id, so a later run can clear
//! the leftovers of a killed process without touching a live one's.
//!
//! With an S3 bucket attached ([`BlobStore::attach_s3`], see [`crate::s3`])
//! the bucket holds the evidence and this directory is a cache of it:
//! committed blobs are uploaded with their retention lock before any row
//! points at them ([`BlobStore::upload_new`]), and readers ask for a blob
//! with [`BlobStore::local`], which returns the cached file or downloads
//! the recorded object version into a temporary file, checks its SHA-256
//! against the address and only then renames it into the cache. A cached
//! copy may be deleted at any time (to free disk); it is fetched again.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::Utc;
use futures_util::StreamExt;
use qorgau_core::{Md5Digest, Sha256Digest, Timestamp};
use qorgau_store::{S3ObjectRecord, Store};

use crate::error::VaultError;
use crate::s3::{BucketLock, ObjectHashes, S3Client, S3Config, S3Error, object_key};

/// Where evidence blobs live.
#[derive(Debug)]
pub struct BlobStore {
    root: PathBuf,
    /// Shard directories known to exist: on slow virtual disks a failed
    /// `mkdir` per blob costs more than hashing a small file.
    made_dirs: Mutex<HashSet<PathBuf>>,
    /// The S3 bucket that holds the evidence, when one is configured.
    remote: Option<Remote>,
}

/// An attached bucket and the database its object versions are recorded in.
#[derive(Debug)]
struct Remote {
    client: S3Client,
    store: Store,
    /// The bucket has object lock and versions are locked on upload.
    locking: bool,
}

/// What [`BlobStore::replicate_to_s3`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replicated {
    /// The recorded object (bucket, key, version, retention).
    pub object: S3ObjectRecord,
    /// False when the blob was already in the bucket (nothing uploaded).
    pub uploaded: bool,
}

/// Uploads at once when a batch of new blobs goes to S3.
const UPLOADS_AT_ONCE: usize = 4;

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A temporary file on its way into the store.
#[derive(Debug)]
pub struct TempBlob {
    path: PathBuf,
    kept: bool,
}

impl TempBlob {
    /// Where the bytes are being written.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempBlob {
    fn drop(&mut self) {
        if !self.kept {
            let _ = fs::remove_file(&self.path);
        }
    }
}

impl BlobStore {
    /// A store rooted at `root` (created on first write).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            made_dirs: Mutex::new(HashSet::new()),
            remote: None,
        }
    }

    /// Makes `config`'s bucket the home of the evidence, this directory its
    /// cache. Checks the bucket first: reachable, credentials accepted,
    /// object lock on (the bucket is created with it when missing). A
    /// bucket without object lock is refused unless the configuration says
    /// the store has none. Every failure is an input error naming the
    /// endpoint, the bucket and the problem; nothing is changed.
    pub async fn attach_s3(&mut self, config: S3Config, store: Store) -> Result<(), VaultError> {
        let where_ = format!("S3 bucket {} at {}", config.bucket, config.endpoint);
        let without_lock = config.without_object_lock;
        let client = S3Client::new(config).map_err(VaultError::Input)?;
        let explain = |e: S3Error| {
            let hint = match e.code() {
                Some("InvalidAccessKeyId" | "SignatureDoesNotMatch") => {
                    " — check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
                }
                Some("AccessDenied") => " — the credentials may not use this bucket",
                _ if matches!(e, S3Error::Unreachable { .. }) => {
                    " — check QORGAU_S3_ENDPOINT and that the server runs"
                }
                _ => "",
            };
            VaultError::Input(format!(
                "cannot use the {where_} as the blob store: {e}{hint}; nothing was stored"
            ))
        };
        let lock = match client.bucket_lock().await.map_err(explain)? {
            Some(lock) => lock,
            None => {
                client.create_bucket(!without_lock).await.map_err(explain)?;
                client
                    .bucket_lock()
                    .await
                    .map_err(explain)?
                    .unwrap_or(BucketLock::Absent)
            }
        };
        if lock == BucketLock::Absent && !without_lock {
            return Err(VaultError::Input(format!(
                "the {where_} has no object lock, so evidence in it could be deleted or                  overwritten; use a bucket created with object lock (qorgau creates one                  when the bucket does not exist) or, if this store cannot lock objects,                  set QORGAU_S3_NO_OBJECT_LOCK=1 to accept that; nothing was stored"
            )));
        }
        self.remote = Some(Remote {
            client,
            store,
            locking: lock == BucketLock::Enabled && !without_lock,
        });
        Ok(())
    }

    /// The attached S3 client, if a bucket is configured.
    pub fn s3(&self) -> Option<&S3Client> {
        self.remote.as_ref().map(|r| &r.client)
    }

    /// True when uploads are locked in COMPLIANCE mode.
    pub fn s3_locking(&self) -> bool {
        self.remote.as_ref().is_some_and(|r| r.locking)
    }

    fn ensure_dir(&self, dir: &Path) -> io::Result<()> {
        let mut made = self.made_dirs.lock().unwrap_or_else(|p| p.into_inner());
        if !made.contains(dir) {
            fs::create_dir_all(dir)?;
            made.insert(dir.to_path_buf());
        }
        Ok(())
    }

    /// The store's root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the local copy of the blob with this digest is (whether or
    /// not it exists). Readers use [`BlobStore::local`], which fetches the
    /// blob from S3 when it is not cached; this is for writers and checks
    /// of the local directory itself.
    pub fn cache_path(&self, sha256: &Sha256Digest) -> PathBuf {
        let hex = sha256.to_hex();
        self.root
            .join("sha256")
            .join(&hex[0..2])
            .join(&hex[2..4])
            .join(hex)
    }

    fn temp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// A fresh temporary path; the file is removed again unless committed.
    pub fn temp(&self) -> io::Result<TempBlob> {
        let dir = self.temp_dir();
        self.ensure_dir(&dir)?;
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("{}-{n}.partial", std::process::id()));
        Ok(TempBlob { path, kept: false })
    }

    /// Moves a fully written temporary file to its address. The temporary
    /// must be durable already (fsynced, or covered by a [`BlobStore::sync`]
    /// since it was written), and the rename is durable only after the next
    /// `sync`. Returns false when the content was already stored (the
    /// temporary is then discarded and the existing blob left untouched).
    pub fn commit(&self, mut temp: TempBlob, sha256: &Sha256Digest) -> io::Result<bool> {
        let target = self.cache_path(sha256);
        if target.is_file() {
            return Ok(false);
        }
        let dir = target.parent().unwrap_or(&self.root).to_path_buf();
        self.ensure_dir(&dir)?;
        fs::set_permissions(&temp.path, fs::Permissions::from_mode(0o444))?;
        fs::rename(&temp.path, &target)?;
        temp.kept = true;
        Ok(true)
    }

    /// Makes everything written to the store so far durable: file contents,
    /// renames and directories, with one `syncfs` of the store's file system.
    pub fn sync(&self) -> io::Result<()> {
        fs::create_dir_all(&self.root)?;
        let dir = File::open(&self.root)?;
        // SAFETY: syncfs on a descriptor we own; no memory is shared.
        let rc = unsafe { libc::syncfs(std::os::unix::io::AsRawFd::as_raw_fd(&dir)) };
        if rc != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// The blob's local file: the cached copy, or — with S3 attached —
    /// the recorded object version downloaded into a temporary file, its
    /// SHA-256 checked against the address, then renamed into the cache.
    /// A download that does not hash to its address is an error naming
    /// the object and both digests, and is never served. Without S3 the
    /// path is returned whether or not the file exists (the caller's open
    /// reports a missing blob, as before).
    pub async fn local(&self, sha256: &Sha256Digest) -> Result<PathBuf, VaultError> {
        let path = self.cache_path(sha256);
        let Some(remote) = &self.remote else {
            return Ok(path);
        };
        if tokio::fs::metadata(&path).await.is_ok_and(|m| m.is_file()) {
            return Ok(path);
        }
        let config = remote.client.config();
        let recorded = remote.store.s3_object(&config.bucket, sha256).await?;
        let key = object_key(sha256);
        let version = recorded.as_ref().map(|r| r.version_id.as_str());
        let temp = self
            .temp()
            .map_err(|e| VaultError::io("making a temporary file for a download", e))?;
        let got = remote
            .client
            .get_hashed(&key, version, Some(temp.path()))
            .await
            .map_err(|e| {
                VaultError::Remote(format!(
                    "blob {sha256} is not in the local cache and cannot be fetched: {e}"
                ))
            })?;
        if got.sha256 != *sha256 {
            return Err(VaultError::Remote(format!(
                "S3 object {key}{} in bucket {} at {} hashes to SHA-256 {}, not its address                  {sha256}: it was altered and is not served — run `qorgau verify`",
                version
                    .map(|v| format!(" (version {v})"))
                    .unwrap_or_default(),
                config.bucket,
                config.endpoint,
                got.sha256
            )));
        }
        match self.commit(temp, sha256) {
            Ok(_) => Ok(path),
            Err(e) => Err(VaultError::io(
                format!("placing the downloaded blob {sha256} into the cache"),
                e,
            )),
        }
    }

    /// Uploads newly committed blobs to S3, locked, and records their
    /// versions; blobs already recorded in the bucket are skipped. Called
    /// after the blobs are durable locally and before any item row points
    /// at them, so with S3 no item is registered whose bytes the bucket
    /// does not hold. Without S3 it does nothing. `blobs` are (address,
    /// MD5, size) as just hashed on acquisition.
    pub async fn upload_new(
        &self,
        blobs: &[(Sha256Digest, Md5Digest, u64)],
    ) -> Result<(), VaultError> {
        if self.remote.is_none() {
            return Ok(());
        }
        let mut distinct: Vec<(Sha256Digest, Md5Digest, u64)> = blobs.to_vec();
        distinct.sort_by_key(|b| b.0);
        distinct.dedup_by_key(|b| b.0);
        let mut uploads = futures_util::stream::iter(distinct.into_iter().map(
            |(sha256, md5, size)| async move {
                self.upload(&sha256, Some(ObjectHashes { sha256, md5, size }), false)
                    .await
            },
        ))
        .buffer_unordered(UPLOADS_AT_ONCE);
        while let Some(result) = uploads.next().await {
            result?;
        }
        Ok(())
    }

    /// Puts an existing local blob into the attached bucket with its
    /// retention lock, reads it back and checks its digests, checks the
    /// lock the server reports, and records the version. A blob already
    /// recorded in the bucket is left as it is. The API of `qorgau
    /// migrate --to-s3`.
    pub async fn replicate_to_s3(&self, sha256: &Sha256Digest) -> Result<Replicated, VaultError> {
        self.upload(sha256, None, true).await
    }

    async fn upload(
        &self,
        sha256: &Sha256Digest,
        known: Option<ObjectHashes>,
        read_back: bool,
    ) -> Result<Replicated, VaultError> {
        let Some(remote) = &self.remote else {
            return Err(VaultError::Input(
                "no S3 blob store is configured (--blob-store s3://BUCKET)".into(),
            ));
        };
        let config = remote.client.config();
        if let Some(object) = remote.store.s3_object(&config.bucket, sha256).await? {
            return Ok(Replicated {
                object,
                uploaded: false,
            });
        }
        let path = self.cache_path(sha256);
        let hashes = match known {
            Some(h) => h,
            None => {
                let p = path.clone();
                let (sha, md5, size) = tokio::task::spawn_blocking(move || {
                    let mut file = File::open(&p)?;
                    crate::hashing::hash_reader(&mut file)
                })
                .await
                .map_err(|e| VaultError::io("hashing a blob", io::Error::other(e)))?
                .map_err(|e| VaultError::io(format!("reading blob {}", path.display()), e))?;
                if sha != *sha256 {
                    return Err(VaultError::Remote(format!(
                        "the local blob {} hashes to SHA-256 {sha}, not its address {sha256}:                          it was altered and is not uploaded — run `qorgau verify`",
                        path.display()
                    )));
                }
                ObjectHashes {
                    sha256: sha,
                    md5,
                    size,
                }
            }
        };
        let key = object_key(sha256);
        let retain_until = match (remote.locking, config.retention_days) {
            // Whole seconds: the date is sent, read back and compared.
            (true, Some(days)) => chrono::DateTime::<Utc>::from_timestamp(
                (Utc::now() + chrono::Duration::days(i64::from(days))).timestamp(),
                0,
            ),
            _ => None,
        };
        let remote_error = |e: S3Error| VaultError::Remote(format!("blob {sha256}: {e}"));
        let version_id = remote
            .client
            .put_file(&key, &path, &hashes, retain_until)
            .await
            .map_err(remote_error)?;
        if read_back {
            let version = (!version_id.is_empty()).then_some(version_id.as_str());
            let got = remote
                .client
                .get_hashed(&key, version, None)
                .await
                .map_err(remote_error)?;
            if got != hashes {
                return Err(VaultError::Remote(format!(
                    "S3 object {key} (version {version_id}) in bucket {} read back as SHA-256 {},                      MD5 {}, {} bytes; the blob is SHA-256 {sha256}, MD5 {}, {} bytes",
                    config.bucket, got.sha256, got.md5, got.size, hashes.md5, hashes.size
                )));
            }
            if let Some(until) = retain_until {
                let retention = remote
                    .client
                    .retention(&key, &version_id)
                    .await
                    .map_err(remote_error)?;
                if retention
                    .as_ref()
                    .is_none_or(|r| r.mode != "COMPLIANCE" || r.retain_until < until)
                {
                    return Err(VaultError::Remote(format!(
                        "S3 object {key} (version {version_id}) in bucket {} was uploaded with                          COMPLIANCE retention until {until} but the server reports {retention:?}",
                        config.bucket
                    )));
                }
            }
        }
        let object = remote
            .store
            .record_s3_object(&S3ObjectRecord {
                bucket: config.bucket.clone(),
                sha256: *sha256,
                key,
                version_id,
                lock_mode: if retain_until.is_some() {
                    "COMPLIANCE".into()
                } else {
                    String::new()
                },
                retain_until: retain_until.map(Timestamp::from_datetime),
                uploaded_at: Timestamp::now(),
            })
            .await?;
        Ok(Replicated {
            object,
            uploaded: true,
        })
    }

    /// Removes temporary files left by processes that no longer run.
    pub fn clear_stale_temps(&self) -> io::Result<usize> {
        let dir = self.temp_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let mut removed = 0;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(pid) = name
                .to_str()
                .and_then(|n| n.split('-').next())
                .and_then(|p| p.parse::<i32>().ok())
            else {
                continue;
            };
            if !process_alive(pid) && fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
        Ok(removed)
    }
}

fn process_alive(pid: i32) -> bool {
    if pid <= 0 {
        return false;
    }
    // SAFETY: kill with signal 0 only checks whether the process exists.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_fans_out_by_prefix() {
        let store = BlobStore::new("/v/blobs");
        let d = Sha256Digest::parse(&format!("abcd{}", "0".repeat(60))).unwrap();
        assert_eq!(
            store.cache_path(&d),
            PathBuf::from(format!("/v/blobs/sha256/ab/cd/abcd{}", "0".repeat(60)))
        );
    }

    #[test]
    fn stale_temps_of_dead_processes_are_cleared_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        let live = store.temp().unwrap();
        fs::write(live.path(), b"x").unwrap();
        // A pid far above pid_max cannot be running.
        let dead = dir.path().join("tmp").join("99999999-0.partial");
        fs::write(&dead, b"y").unwrap();
        assert_eq!(store.clear_stale_temps().unwrap(), 1);
        assert!(live.path().exists());
        assert!(!dead.exists());
    }
}
