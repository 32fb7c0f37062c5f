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

use std::collections::HashSet;
use std::fs::{self, File};
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use qorgau_core::Sha256Digest;

/// Where evidence blobs live.
#[derive(Debug)]
pub struct BlobStore {
    root: PathBuf,
    /// Shard directories known to exist: on slow virtual disks a failed
    /// `mkdir` per blob costs more than hashing a small file.
    made_dirs: Mutex<HashSet<PathBuf>>,
}

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
        }
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

    /// Where the blob with this digest lives (whether or not it exists).
    pub fn path_of(&self, sha256: &Sha256Digest) -> PathBuf {
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
        let target = self.path_of(sha256);
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
            store.path_of(&d),
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
